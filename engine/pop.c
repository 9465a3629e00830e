/* pop: individuals, populations, and how two individuals compare. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "pop.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

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
    void *mem = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
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

void pop_release(struct population *p)
{
    if (p->arena)
        munmap(p->arena, p->arena_bytes);
    free(p->ind);
    memset(p, 0, sizeof *p);
}

const char *eval_status_name(int status)
{
    static const char *const names[EVAL_NSTATUS] = {
        "ok",     "invalid", "error", "crashed",
        "exited", "timeout", "oom",   "protocol"};
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

/* Puts the k-th smallest of v[0..n) at v[k], smaller ones before it,
 * larger after (Hoare's quickselect; v holds no NaN). Linear on average,
 * where sorting the whole generation would be n log n. */
static void select_kth(double *v, size_t n, size_t k)
{
    size_t lo = 0, hi = n - 1;
    while (lo < hi) {
        double pivot = v[lo + (hi - lo) / 2];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                double t = v[i];
                v[i] = v[j];
                v[j] = t;
                i++;
                if (j == 0)
                    break;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

int pop_stats(const struct population *p, const struct ranking *rk, struct pop_stats *s)
{
    memset(s, 0, sizeof *s);
    double *ok = malloc((p->n ? p->n : 1) * sizeof *ok);
    if (!ok)
        return -1;
    size_t nok = 0;
    double size_sum = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        size_sum += x->tree.size;
        if (x->status == EVAL_OK)
            ok[nok++] = x->fitness;
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
        select_kth(ok, nok, nok / 2);
        double upper = ok[nok / 2];
        if (nok % 2) {
            s->median_fitness = upper;
        } else {
            /* The lower middle: the largest of what select left below. */
            double lower = ok[0];
            for (size_t i = 1; i < nok / 2; i++)
                if (ok[i] > lower)
                    lower = ok[i];
            s->median_fitness = 0.5 * (lower + upper);
        }
    }
    free(ok);
    return 0;
}
