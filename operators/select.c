/* select: choosing parents and elites from an evaluated population. */
#include "select.h"

#include <stdlib.h>

void select_standings(const struct population *p, const struct ranking *rk,
                      struct standing *s)
{
    double sign = rk->maximise ? -1.0 : 1.0;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        s[i].size = x->tree.size;
        s[i].failed = x->status != EVAL_OK;
        /* The same penalised fitness as ind_better, bit for bit; negated
         * (exactly) when maximising, so that lower is always better. */
        double f = x->fitness + sign * rk->parsimony * x->tree.size;
        s[i].score = s[i].failed ? 0.0 : rk->maximise ? -f : f;
    }
}

/* a better than b: ind_better's order on standings, without branches. */
static inline int standing_better(const struct standing *a,
                                  const struct standing *b)
{
    return (a->failed < b->failed) |
           ((a->failed == b->failed) &
            ((a->score < b->score) |
             ((a->score == b->score) & (a->size < b->size))));
}

size_t select_tournament(const struct standing *s, size_t n, int k,
                         struct rng *r)
{
    struct rng_bound draw; /* the same draws as rng_below, no division */
    rng_bound_init(&draw, (uint32_t)n);
    size_t best = rng_below_fixed(r, &draw);
    for (int i = 1; i < k; i++) {
        size_t c = rng_below_fixed(r, &draw);
        best = standing_better(&s[c], &s[best]) ? c : best;
    }
    return best;
}

int select_best(const struct population *p, const struct ranking *rk, size_t *order,
                size_t n)
{
    /* Partial selection sort: n is the elite count, usually tiny. */
    char *taken = calloc(p->n ? p->n : 1, 1);
    if (!taken)
        return -1;
    for (size_t j = 0; j < n && j < p->n; j++) {
        size_t best = p->n;
        for (size_t i = 0; i < p->n; i++)
            if (!taken[i] &&
                (best == p->n || ind_better(&p->ind[i], &p->ind[best], rk)))
                best = i;
        taken[best] = 1;
        order[j] = best;
    }
    free(taken);
    return 0;
}
