/* twins: finds the programs of a generation whose score is already known. */
#include "twins.h"

#include <stdlib.h>
#include <string.h>

#include "tree.h"

/* A node's two words folded and mixed: one multiply. */
static inline uint64_t node_mix(const struct node *nd)
{
    uint64_t w[2];
    memcpy(w, nd, sizeof w);
    return (w[0] ^ (w[1] << 29 | w[1] >> 35)) * 0xbf58476d1ce4e5b9ULL;
}

/* A hash of a tree's bytes, a 64-bit word at a time (a node is two). */
static uint64_t tree_hash(const struct tree *t)
{
    /* One multiply per node, and two sums taking every other node: what
     * carries a sum along is a rotate and a xor per two nodes, and the
     * multiplies overlap. Twins are confirmed byte for byte, so the hash
     * only has to spread. */
    uint64_t a = t->size, b = 0x9e3779b97f4a7c15ULL;
    uint32_t i = 0;
    for (; i + 2 <= t->size; i += 2) {
        a = (a << 23 | a >> 41) ^ node_mix(&t->nodes[i]);
        b = (b << 23 | b >> 41) ^ node_mix(&t->nodes[i + 1]);
    }
    if (i < t->size)
        a = (a << 23 | a >> 41) ^ node_mix(&t->nodes[i]);
    uint64_t x = a ^ (b * 0x94d049bb133111ebULL);
    x ^= x >> 31;
    x *= 0x94d049bb133111ebULL;
    return x ^ (x >> 29);
}

/* Empties x for a population of n, allocating its slots the first time.
 * Returns 0 or -1 (out of memory). */
static int index_reset(struct twin_index *x, size_t n)
{
    size_t cap = 1;
    while (cap < 2 * n)
        cap *= 2;
    if (x->cap != cap) {
        free(x->slot);
        x->slot = malloc(cap * sizeof *x->slot);
        x->cap = x->slot ? cap : 0;
        if (!x->slot)
            return -1;
    }
    for (size_t i = 0; i < cap; i++)
        x->slot[i] = SIZE_MAX;
    x->ind = NULL;
    return 0;
}

/* The index in p of a program with t's bytes, or SIZE_MAX; with insert
 * (as individual i), t is added when it is not there. */
static size_t index_find(struct twin_index *x, const struct population *p,
                         const struct tree *t, uint64_t hash, size_t insert)
{
    for (size_t h = (size_t)hash & (x->cap - 1);; h = (h + 1) & (x->cap - 1)) {
        if (x->slot[h] == SIZE_MAX) {
            if (insert != SIZE_MAX)
                x->slot[h] = insert;
            return SIZE_MAX;
        }
        const struct tree *o = &p->ind[x->slot[h]].tree;
        if (o->size == t->size &&
            memcmp(o->nodes, t->nodes, o->size * sizeof *o->nodes) == 0)
            return x->slot[h];
    }
}

int twins_pay(size_t rows)
{
    return rows == 0 || rows >= TWINS_MIN_ROWS;
}

int twins_pair(struct twins *tw, struct population *p,
               const struct population *prev)
{
    if (p->n == 0)
        return 0;
    struct twin_index *now = &tw->cur, *before = &tw->prev;
    if (prev && before->ind != prev->ind) {
        if (index_reset(before, prev->n) < 0)
            return -1;
        for (size_t i = 0; i < prev->n; i++)
            index_find(before, prev, &prev->ind[i].tree,
                       tree_hash(&prev->ind[i].tree), i);
        before->ind = prev->ind;
    }
    if (index_reset(now, p->n) < 0)
        return -1;
    for (size_t i = 0; i < p->n; i++) {
        struct individual *x = &p->ind[i];
        uint64_t hash = tree_hash(&x->tree);
        size_t first = index_find(now, p, &x->tree, hash, i);
        if (x->origin != ORIGIN_NEW)
            continue;
        if (first != SIZE_MAX) {
            x->origin = ORIGIN_TWIN;
            x->twin = first;
            continue;
        }
        size_t old = prev ? index_find(before, prev, &x->tree, hash, SIZE_MAX)
                          : SIZE_MAX;
        if (old != SIZE_MAX) {
            x->origin = ORIGIN_COPY;
            ind_take_result(x, &prev->ind[old]);
        }
    }
    now->ind = p->ind;
    /* This generation's index is the previous one's for the next. */
    struct twin_index swap = *now;
    *now = *before;
    *before = swap;
    return 0;
}

void twins_score(struct population *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct individual *x = &p->ind[i];
        if (x->origin != ORIGIN_TWIN)
            continue;
        /* Its tree too: the evaluation may have tuned the first's
         * constants. */
        tree_copy(&x->tree, &p->ind[x->twin].tree);
        ind_take_result(x, &p->ind[x->twin]);
    }
}

void twins_forget(struct twins *tw)
{
    tw->prev.ind = NULL;
}

void twins_release(struct twins *tw)
{
    free(tw->cur.slot);
    free(tw->prev.slot);
    memset(tw, 0, sizeof *tw);
}
