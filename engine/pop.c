/* pop: individuals, populations, and how two individuals compare. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MAP_NORESERVE, MADV_HUGEPAGE */
#include "pop.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "stats.h"

int pop_init(struct population *p, size_t n, uint32_t max_size)
{
    memset(p, 0, sizeof *p);
    /* One block for all the trees, rather than a malloc each: no page
     * fault per tree, and huge pages for the random parents breeding reads
     * (when the block is big enough and the kernel allows). */
    size_t cap = max_size ? max_size : 1;
    if (n > SIZE_MAX / sizeof(struct node) / cap)
        return -1;
    size_t bytes = n * cap * sizeof(struct node);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    bytes = (bytes + page - 1) / page * page;
    bytes = bytes ? bytes : page;
    /* Room for every tree at its largest, but only the pages the trees
     * touch are memory: pop_place packs them end to end. MAP_NORESERVE,
     * so that the kernel's overcommit heuristic does not refuse a room
     * far larger than what is used (a population of millions); under
     * strict overcommit or an address-space limit the mapping fails, and
     * config_load says which key to lower. */
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return -1;
#ifdef MADV_HUGEPAGE
    if (bytes >= (2u << 20))
        madvise(mem, bytes, MADV_HUGEPAGE);
#endif
#ifdef MADV_DONTFORK
    /* Workers get their programs through pipes and never read a
     * population, so their copies of it would only make each page the
     * parent writes after a fork a copy-on-write fault (workers forked
     * mid-run: workers = auto, or a restart after a crash). */
    madvise(mem, bytes, MADV_DONTFORK);
#endif
    p->arena = mem;
    p->arena_bytes = bytes;
    p->max_size = (uint32_t)cap;
    p->ind = calloc(n ? n : 1, sizeof *p->ind);
    if (!p->ind) {
        pop_release(p);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        struct tree *t = &p->ind[i].tree;
        t->size = 0;
        t->cap = (uint32_t)cap;
        t->nodes = p->arena + i * cap;
    }
    p->n = n;
    return 0;
}

int pop_room(size_t n, uint32_t max_size, int keep_tuned, int generations)
{
    size_t cap = max_size ? max_size : 1, per = sizeof(struct node) +
                                                (keep_tuned ? sizeof(double)
                                                            : 0);
    if (n > (SIZE_MAX - n * sizeof(struct individual)) / per / cap / 2)
        return -1;
    size_t bytes = n * cap * per + n * sizeof(struct individual) + 1;
    void *mem[8];
    int got = 0, ok = 1;
    for (; got < generations && got < 8 && ok; got++) {
        mem[got] = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        ok = mem[got] != MAP_FAILED;
    }
    for (int i = 0; i < got; i++)
        if (mem[i] != MAP_FAILED)
            munmap(mem[i], bytes);
    return ok ? 0 : -1;
}

void pop_release(struct population *p)
{
    if (p->arena)
        munmap(p->arena, p->arena_bytes);
    if (p->tuned)
        munmap(p->tuned, p->tuned_bytes);
    free(p->errors);
    free(p->objectives);
    free(p->ind);
    memset(p, 0, sizeof *p);
}

int pop_keep_tuned(struct population *p)
{
    if (p->tuned)
        return 0;
    size_t n = p->n ? p->n : 1;
    if (n > SIZE_MAX / sizeof(double) / p->max_size)
        return -1;
    /* Reserved as the trees are (pop_init): touched as used. */
    size_t bytes = n * p->max_size * sizeof(double);
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED)
        return -1;
    p->tuned = mem;
    p->tuned_bytes = bytes;
    for (size_t i = 0; i < p->n; i++) {
        p->ind[i].tuned = p->tuned + i * p->max_size;
        p->ind[i].ntuned = 0;
    }
    return 0;
}

int pop_keep_errors(struct population *p, uint32_t ncases)
{
    if (p->errors || ncases == 0)
        return 0;
    size_t n = p->n ? p->n : 1;
    if (n > SIZE_MAX / sizeof(float) / ncases)
        return -1;
    p->errors = malloc(n * ncases * sizeof(float));
    if (!p->errors)
        return -1;
    p->ncases = ncases;
    for (size_t i = 0; i < p->n; i++) {
        p->ind[i].errors = p->errors + i * ncases;
        p->ind[i].nerrors = 0;
    }
    return 0;
}

int pop_keep_objectives(struct population *p, uint32_t k)
{
    if (p->objectives || k == 0)
        return 0;
    size_t n = p->n ? p->n : 1;
    if (n > SIZE_MAX / sizeof(double) / k)
        return -1;
    p->objectives = malloc(n * k * sizeof(double));
    if (!p->objectives)
        return -1;
    p->nobjectives = k;
    for (size_t i = 0; i < p->n; i++) {
        p->ind[i].objectives = p->objectives + i * k;
        p->ind[i].nobjectives = 0;
    }
    return 0;
}

int ind_set_objectives(struct individual *x, const double *scores,
                       uint32_t n, uint32_t k)
{
    if (!x->objectives) {
        x->nobjectives = 0;
        return 0;
    }
    if (n < 1 || n - 1 < k)
        return -1;
    /* A NaN (a score the plug-in left unwritten, say) is the worst. */
    for (uint32_t j = 0; j < k; j++)
        x->objectives[j] = scores[1 + j] == scores[1 + j] ? scores[1 + j]
                                                          : INFINITY;
    x->nobjectives = k;
    return 0;
}

int ind_set_errors(struct individual *x, const void *values, uint32_t n,
                   uint32_t ncases)
{
    if (n != (x->errors ? ncases : 0))
        return -1;
    if (n)
        memcpy(x->errors, values, n * sizeof(float));
    x->nerrors = n;
    return 0;
}

int ind_set_tuned(struct individual *x, const void *values, uint32_t n)
{
    if (n == 0) {
        x->ntuned = 0;
        return 0;
    }
    if (!x->tuned)
        return tree_set_constants(&x->tree, values, n);
    /* Constants equal to the tree's, bit for bit, are kept as none: a
     * backend that sends every constant back gives the same state as one
     * that sends only tuned ones. */
    const unsigned char *v = values;
    uint32_t have = 0;
    int same = 1;
    for (uint32_t i = 0; i < x->tree.size; i++)
        if (x->tree.nodes[i].op == OP_CONST) {
            if (have < n)
                same &= memcmp(&x->tree.nodes[i].value,
                               v + have * sizeof(double), sizeof(double)) == 0;
            have++;
        }
    if (have != n)
        return -1;
    memcpy(x->tuned, values, n * sizeof(double));
    x->ntuned = same ? 0 : n;
    return 0;
}

void ind_copy_scored(struct individual *to, const struct individual *from)
{
    tree_copy(&to->tree, &from->tree);
    if (from->ntuned)
        tree_set_constants(&to->tree, from->tuned, from->ntuned);
    ind_take_result(to, from);
}

const char *eval_status_name(int status)
{
    static const char *const names[EVAL_NSTATUS] = {
        "ok",     "invalid", "error", "crashed",
        "exited", "timeout", "oom",   "protocol", "killed"};
    return status >= 0 && status < EVAL_NSTATUS ? names[status] : "unknown";
}

int ind_better(const struct individual *a, const struct individual *b,
               const struct ranking *rk)
{
    int a_ok = a->status == EVAL_OK, b_ok = b->status == EVAL_OK;
    if (a_ok != b_ok)
        return a_ok;
    if (a_ok) {
        double sign = rk->maximise ? -1.0 : 1.0;
        double fa = a->fitness + sign * rk->parsimony * a->tree.size;
        double fb = b->fitness + sign * rk->parsimony * b->tree.size;
        if (fa != fb)
            return rk->maximise ? fa > fb : fa < fb;
    }
    return a->tree.size < b->tree.size;
}

int pop_stats(const struct population *p, const struct ranking *rk, struct pop_stats *s)
{
    memset(s, 0, sizeof *s);
    uint64_t *ok = malloc((p->n ? p->n : 1) * sizeof *ok);
    if (!ok)
        return -1;
    size_t nok = 0;
    double size_sum = 0;
    uint64_t lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        size_sum += x->tree.size;
        if (x->status == EVAL_OK) {
            uint64_t key = double_order_key(x->fitness + 0.0);
            ok[nok++] = key;
            lo = key < lo ? key : lo;
            hi = key > hi ? key : hi;
        }
        if (ind_better(x, &p->ind[s->best], rk))
            s->best = i;
    }
    s->invalid = 0;
    for (size_t i = 0; i < p->n; i++)
        s->invalid += p->ind[i].status == EVAL_INVALID;
    s->failed = p->n - nok - s->invalid;
    s->mean_size = p->n ? size_sum / (double)p->n : 0;
    s->best_size = p->n ? p->ind[s->best].tree.size : 0;
    s->best_fitness = NAN;
    s->median_fitness = NAN;
    if (nok > 0) {
        s->best_fitness = p->ind[s->best].fitness;
        uint64_t upper, lower;
        stats_order_pair(ok, NULL, nok, nok / 2, lo, hi, &lower, &upper);
        /* The middle one, or the mean of the middle two (lower is the
         * largest of those below). A -0 counts as +0. */
        s->median_fitness = nok % 2 ? double_of_order_key(upper)
                                    : 0.5 * (double_of_order_key(lower) +
                                             double_of_order_key(upper));
    }
    free(ok);
    return 0;
}
