/* select: choosing parents and elites from an evaluated population. */
#include "select.h"

#include <stdlib.h>

size_t select_tournament(const struct population *p, int k, const struct ranking *rk,
                         struct rng *r)
{
    size_t best = rng_below(r, (uint32_t)p->n);
    for (int i = 1; i < k; i++) {
        size_t c = rng_below(r, (uint32_t)p->n);
        if (ind_better(&p->ind[c], &p->ind[best], rk))
            best = c;
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
