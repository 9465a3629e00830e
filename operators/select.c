/* select: choosing parents and elites from an evaluated population. */
#include "select.h"

#include <stdlib.h>
#include <string.h>

void select_standings(const struct population *p, const struct ranking *rk,
                      struct standing *s)
{
    double sign = rk->maximise ? -1.0 : 1.0;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        s[i].size = x->tree.size;
        /* The same penalised fitness as ind_better, bit for bit (an OK
         * score is finite); negated exactly when maximising; + 0.0 makes
         * a -0 a +0. Any finite key is below the failed one: a finite
         * double's key is at most that of the largest, 0xffefff... */
        double f = x->fitness + sign * rk->parsimony * x->tree.size;
        s[i].key = x->status != EVAL_OK
                       ? UINT64_MAX
                       : double_order_key((rk->maximise ? -f : f) + 0.0);
    }
}

size_t select_tournament(const struct standing *s,
                         const struct rng_bound *draw, int k, struct rng *r)
{
    size_t best = rng_below_fixed(r, draw);
    uint64_t key = s[best].key;
    uint32_t size = s[best].size;
    for (int i = 1; i < k; i++) {
        size_t c = rng_below_fixed(r, draw);
        /* Whether c beats the best so far is a coin flip to predict, so
         * the choice is made with masks rather than a branch. */
        uint64_t better = (uint64_t)((s[c].key < key) |
                                     ((s[c].key == key) & (s[c].size < size)));
        uint64_t mask = 0 - better;
        best ^= (best ^ c) & mask;
        key ^= (key ^ s[c].key) & mask;
        size ^= (size ^ s[c].size) & (uint32_t)mask;
    }
    return best;
}

/* Whether a ranks before b: by standing, then by index (select_best's
 * ties to the lower index). */
static int ranks_before(const struct standing *s, size_t a, size_t b)
{
    if (s[a].key != s[b].key)
        return s[a].key < s[b].key;
    if (s[a].size != s[b].size)
        return s[a].size < s[b].size;
    return a < b;
}

void select_best_standings(const struct standing *s, size_t count,
                           size_t *order, size_t n)
{
    /* The j-th best is the first in rank after the (j-1)-th: one pass
     * each, n being the elite count, usually 1. */
    for (size_t j = 0; j < n && j < count; j++) {
        size_t best = SIZE_MAX;
        for (size_t i = 0; i < count; i++) {
            if (j > 0 && !ranks_before(s, order[j - 1], i))
                continue;
            if (best == SIZE_MAX || ranks_before(s, i, best))
                best = i;
        }
        order[j] = best;
    }
}

void select_worst_standings(const struct standing *s, size_t count,
                            size_t *order, size_t n)
{
    /* The j-th worst is the last in rank before the (j-1)-th. */
    for (size_t j = 0; j < n && j < count; j++) {
        size_t worst = SIZE_MAX;
        for (size_t i = 0; i < count; i++) {
            if (j > 0 && !ranks_before(s, i, order[j - 1]))
                continue;
            if (worst == SIZE_MAX || ranks_before(s, worst, i))
                worst = i;
        }
        order[j] = worst;
    }
}

int select_best(const struct population *p, const struct ranking *rk, size_t *order,
                size_t n)
{
    /* One ordering for elites, whichever way they are asked for: the
     * standings' (ind_better's, as numbers). */
    struct standing *s = malloc((p->n ? p->n : 1) * sizeof *s);
    if (!s)
        return -1;
    select_standings(p, rk, s);
    select_best_standings(s, p->n, order, n);
    free(s);
    return 0;
}
