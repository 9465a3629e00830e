/* rdo: the Random Desired Operator, semantic backpropagation for boolean
 * programs (rdo.h). */
#include "rdo.h"

#include <stdlib.h>
#include <string.h>

/* The library's largest size in semantics' bytes: past it, new semantics
 * are left out (the same ones every time, so runs stay reproducible). */
#define RDO_LIBRARY_BYTES ((size_t)64 << 20)

int rdo_cases_init(struct rdo_cases *c, size_t ncases, int nvars,
                   const double *data)
{
    memset(c, 0, sizeof *c);
    c->ncases = ncases;
    c->words = (ncases + 63) / 64;
    c->nvars = nvars;
    c->inputs = calloc(((size_t)nvars + 2) * c->words, sizeof(uint64_t));
    if (!c->inputs)
        return -1;
    c->target = c->inputs + (size_t)nvars * c->words;
    c->valid = c->target + c->words;
    for (int k = 0; k <= nvars; k++) {
        const double *col = data + (size_t)k * ncases;
        uint64_t *bits = c->inputs + (size_t)k * c->words;
        for (size_t i = 0; i < ncases; i++)
            if (col[i] != 0.0) /* the primitives' truth: NaN is true */
                bits[i / 64] |= (uint64_t)1 << (i % 64);
    }
    for (size_t i = 0; i < ncases; i++)
        c->valid[i / 64] |= (uint64_t)1 << (i % 64);
    return 0;
}

void rdo_cases_release(struct rdo_cases *c)
{
    free(c->inputs);
    memset(c, 0, sizeof *c);
}

/* Whether RDO can compute and walk op. */
static int walkable(unsigned op)
{
    switch (op) {
    case OP_AND:
    case OP_OR:
    case OP_NOT:
    case OP_NAND:
    case OP_NOR:
    case OP_IF:
        return 1;
    default:
        return 0;
    }
}

int rdo_refuses(const struct primset *ps)
{
    for (int k = 0; k < ps->nfuncs; k++)
        if (!walkable(ps->funcs[k]))
            return ps->funcs[k];
    if (ps->nsymterms > 0)
        return ps->symterms[0];
    return -1;
}

int rdo_init(struct rdo *d, const struct rdo_cases *c, uint32_t max_size)
{
    memset(d, 0, sizeof *d);
    d->cases = c;
    d->max_size = max_size;
    size_t w = c->words;
    d->sem = malloc(((size_t)max_size + 3) * w * sizeof *d->sem);
    d->vars = calloc(c->nvars > 0 ? (size_t)c->nvars : 1, sizeof *d->vars);
    d->count = calloc((size_t)max_size + 1, sizeof *d->count);
    if (!d->sem || !d->vars || !d->count) {
        rdo_release(d);
        return -1;
    }
    d->want = d->sem + (size_t)max_size * w;
    d->care = d->want + w;
    d->scratch = d->care + w;
    for (int k = 0; k < c->nvars; k++) {
        d->vars[k].op = OP_VAR;
        d->vars[k].var = (uint16_t)k;
        d->vars[k].span = 1;
    }
    return 0;
}

void rdo_release(struct rdo *d)
{
    free(d->sem);
    free(d->vars);
    free(d->entries);
    free(d->lib);
    free(d->slots);
    free(d->order);
    free(d->count);
    memset(d, 0, sizeof *d);
}

/* The semantics of the node at nodes[0] (a terminal, or a function whose
 * arguments' semantics are at their own indexes of sem) into out. */
static void node_semantics(const struct rdo *d, const struct node *nodes,
                           uint32_t i, uint64_t *sem, uint64_t *out)
{
    const struct rdo_cases *c = d->cases;
    size_t w = c->words;
    const struct node *nd = &nodes[i];
    switch (nd->op) {
    case OP_VAR:
        memcpy(out, c->inputs + (size_t)nd->var * w, w * sizeof *out);
        return;
    case OP_CONST:
        if (nd->value != 0.0)
            memcpy(out, c->valid, w * sizeof *out);
        else
            memset(out, 0, w * sizeof *out);
        return;
    default:
        break;
    }
    uint32_t a1 = i + 1;
    const uint64_t *x = sem + (size_t)a1 * w;
    if (nd->op == OP_NOT) {
        for (size_t k = 0; k < w; k++)
            out[k] = ~x[k] & c->valid[k];
        return;
    }
    uint32_t a2 = a1 + nodes[a1].span;
    const uint64_t *y = sem + (size_t)a2 * w;
    switch (nd->op) {
    case OP_AND:
        for (size_t k = 0; k < w; k++)
            out[k] = x[k] & y[k];
        break;
    case OP_OR:
        for (size_t k = 0; k < w; k++)
            out[k] = x[k] | y[k];
        break;
    case OP_NAND:
        for (size_t k = 0; k < w; k++)
            out[k] = ~(x[k] & y[k]) & c->valid[k];
        break;
    case OP_NOR:
        for (size_t k = 0; k < w; k++)
            out[k] = ~(x[k] | y[k]) & c->valid[k];
        break;
    case OP_IF: {
        const uint64_t *z = sem + (size_t)(a2 + nodes[a2].span) * w;
        for (size_t k = 0; k < w; k++)
            out[k] = (x[k] & y[k]) | (~x[k] & z[k]);
        break;
    }
    default: /* rdo_refuses keeps other functions out */
        memset(out, 0, w * sizeof *out);
        break;
    }
}

void rdo_semantics(struct rdo *d, const struct tree *t)
{
    size_t w = d->cases->words;
    /* Arguments follow their function in prefix order: from the last
     * node back, each function's arguments are done before it. */
    for (uint32_t i = t->size; i-- > 0;)
        node_semantics(d, t->nodes, i, d->sem, d->sem + (size_t)i * w);
}

static uint64_t hash_semantics(const uint64_t *s, size_t w)
{
    uint64_t h = 0x9e3779b97f4a7c15u;
    for (size_t k = 0; k < w; k++) {
        h ^= s[k];
        h *= 0xff51afd7ed558ccdu;
        h ^= h >> 32;
    }
    return h;
}

/* Room for `want` entries (at most the byte limit's). Returns 0 or -1. */
static int reserve(struct rdo *d, size_t want)
{
    size_t w = d->cases->words;
    size_t most = RDO_LIBRARY_BYTES / (w * sizeof(uint64_t));
    if (want > most)
        want = most;
    if (want <= d->cap)
        return 0;
    size_t slots = 16;
    while (slots < 2 * want)
        slots *= 2;
    struct rdo_entry *e = realloc(d->entries, want * sizeof *e);
    if (!e)
        return -1;
    d->entries = e;
    uint64_t *lib = realloc(d->lib, want * w * sizeof *lib);
    if (!lib)
        return -1;
    d->lib = lib;
    uint32_t *order = realloc(d->order, want * sizeof *order);
    if (!order)
        return -1;
    d->order = order;
    uint32_t *s = realloc(d->slots, slots * sizeof *s);
    if (!s)
        return -1;
    d->slots = s;
    d->nslots = slots;
    d->cap = want;
    return 0;
}

/* Adds the subtree at nodes[0], of semantics sem, or makes it the entry
 * of that semantics when it is smaller than the one there. */
static void add(struct rdo *d, const struct node *nodes, const uint64_t *sem)
{
    size_t w = d->cases->words;
    size_t mask = d->nslots - 1;
    for (size_t j = hash_semantics(sem, w) & mask;; j = (j + 1) & mask) {
        uint32_t at = d->slots[j];
        if (at == 0) {
            if (d->n == d->cap)
                return; /* full: left out */
            d->slots[j] = (uint32_t)(d->n + 1);
            memcpy(d->lib + d->n * w, sem, w * sizeof *sem);
            d->entries[d->n++] =
                (struct rdo_entry){.nodes = nodes,
                                   .size = nodes->span,
                                   .height = tree_height(nodes)};
            return;
        }
        struct rdo_entry *e = &d->entries[at - 1];
        if (memcmp(d->lib + (size_t)(at - 1) * w, sem, w * sizeof *sem) == 0) {
            if (nodes->span < e->size)
                *e = (struct rdo_entry){.nodes = nodes,
                                        .size = nodes->span,
                                        .height = tree_height(nodes)};
            return;
        }
    }
}

int rdo_library(struct rdo *d, const struct population *v)
{
    size_t w = d->cases->words;
    size_t total = (size_t)d->cases->nvars;
    for (size_t k = 0; k < v->n; k++)
        total += v->ind[k].tree.size;
    if (reserve(d, total) < 0)
        return -1;
    d->n = 0;
    memset(d->slots, 0, d->nslots * sizeof *d->slots);
    /* The variables first, so each is there whatever the generation. */
    for (int k = 0; k < d->cases->nvars; k++)
        add(d, &d->vars[k], d->cases->inputs + (size_t)k * w);
    for (size_t k = 0; k < v->n; k++) {
        const struct tree *t = &v->ind[k].tree;
        rdo_semantics(d, t);
        for (uint32_t i = 0; i < t->size; i++)
            add(d, &t->nodes[i], d->sem + (size_t)i * w);
    }
    /* By size, smallest first, ties as found: a counting sort. */
    memset(d->count, 0, ((size_t)d->max_size + 1) * sizeof *d->count);
    for (size_t k = 0; k < d->n; k++) {
        uint32_t s = d->entries[k].size;
        d->count[s < d->max_size ? s : d->max_size]++;
    }
    uint32_t sum = 0;
    for (size_t s = 0; s <= d->max_size; s++) {
        uint32_t c = d->count[s];
        d->count[s] = sum;
        sum += c;
    }
    for (size_t k = 0; k < d->n; k++) {
        uint32_t s = d->entries[k].size;
        d->order[d->count[s < d->max_size ? s : d->max_size]++] = (uint32_t)k;
    }
    return 0;
}

/* Whether any bit of the w words at v is set. */
static int any(const uint64_t *v, size_t w)
{
    for (size_t k = 0; k < w; k++)
        if (v[k])
            return 1;
    return 0;
}

int rdo_desired(struct rdo *d, const struct tree *t, uint32_t at)
{
    const struct rdo_cases *c = d->cases;
    size_t w = c->words;
    uint64_t *want = d->want, *care = d->care;
    memcpy(want, c->target, w * sizeof *want);
    memcpy(care, c->valid, w * sizeof *care);
    int level = 0;
    for (uint32_t i = 0; i != at; level++) {
        const struct node *nd = &t->nodes[i];
        uint32_t arg[3] = {i + 1, i + 1, i + 1}, j = 0;
        int arity = prim_arity(nd->op);
        arg[0] = i + 1;
        for (int k = 1; k < arity; k++)
            arg[k] = arg[k - 1] + t->nodes[arg[k - 1]].span;
        for (int k = arity - 1; k > 0; k--)
            if (arg[k] <= at) {
                j = (uint32_t)k;
                break;
            }
        /* The other argument of a binary function, and what each wanted
         * output and its value ask of this one. */
        const uint64_t *o = d->sem + (size_t)arg[1 - (j & 1)] * w;
        switch (nd->op) {
        case OP_AND: /* other true: this = want; other false: no matter */
            for (size_t k = 0; k < w; k++)
                care[k] &= o[k];
            break;
        case OP_OR: /* other false: this = want; other true: no matter */
            for (size_t k = 0; k < w; k++)
                care[k] &= ~o[k];
            break;
        case OP_NAND:
            for (size_t k = 0; k < w; k++) {
                care[k] &= o[k];
                want[k] = ~want[k];
            }
            break;
        case OP_NOR:
            for (size_t k = 0; k < w; k++) {
                care[k] &= ~o[k];
                want[k] = ~want[k];
            }
            break;
        case OP_NOT:
            for (size_t k = 0; k < w; k++)
                want[k] = ~want[k];
            break;
        case OP_IF: {
            const uint64_t *cond = d->sem + (size_t)arg[0] * w;
            const uint64_t *a = d->sem + (size_t)arg[1] * w;
            const uint64_t *b = d->sem + (size_t)arg[2] * w;
            for (size_t k = 0; k < w; k++) {
                if (j == 0) { /* true where a is wanted and b is not */
                    care[k] &= a[k] ^ b[k];
                    want[k] = ~(want[k] ^ a[k]);
                } else if (j == 1) { /* matters where it is taken */
                    care[k] &= cond[k];
                } else {
                    care[k] &= ~cond[k];
                }
            }
            break;
        }
        default:
            return -1;
        }
        if (!any(care, w))
            return -1;
        i = arg[j];
    }
    return level;
}

/* The library entry (an index into d->entries) that disagrees with
 * d->want on the fewest cases of d->care, the smallest of those, within
 * size and height; -1 when none fits. */
static long closest(const struct rdo *d, uint32_t size, int height)
{
    size_t w = d->cases->words;
    long best = -1;
    uint64_t fewest = UINT64_MAX;
    for (size_t k = 0; k < d->n; k++) {
        const struct rdo_entry *e = &d->entries[d->order[k]];
        if (e->size > size)
            break; /* the rest are bigger still */
        if (e->height > height)
            continue;
        const uint64_t *s = d->lib + (size_t)d->order[k] * w;
        uint64_t wrong = 0;
        for (size_t i = 0; i < w && wrong < fewest; i++)
            wrong += (uint64_t)__builtin_popcountll((s[i] ^ d->want[i]) &
                                                    d->care[i]);
        if (wrong < fewest) {
            fewest = wrong;
            best = (long)d->order[k];
            if (wrong == 0)
                break;
        }
    }
    return best;
}

int vary_rdo(struct tree *child, const struct tree *p, struct rdo *d,
             const struct vary_params *vp, struct rng *r)
{
    rdo_semantics(d, p);
    for (int t = 0; t < VARY_TRIES; t++) {
        uint32_t at = rng_below(r, p->size);
        int level = rdo_desired(d, p, at);
        if (level < 0)
            continue;
        uint32_t at_end = tree_subtree_end(p->nodes, at);
        uint32_t room = vp->max_size - (p->size - (at_end - at));
        long k = closest(d, room, vp->max_depth - level);
        if (k < 0)
            continue;
        const struct rdo_entry *e = &d->entries[k];
        if (e->size == at_end - at &&
            memcmp(e->nodes, &p->nodes[at], e->size * sizeof *e->nodes) == 0)
            continue; /* the subtree there is already the closest */
        struct tree piece = {
            .size = e->size, .cap = e->size, .nodes = (struct node *)e->nodes};
        if (tree_splice_ends(child, p, at, at_end, &piece, 0, e->size) == 0)
            return 1;
    }
    tree_copy(child, p);
    return 0;
}
