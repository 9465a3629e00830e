/* select: choosing parents and elites from an evaluated population. */
#ifndef FORKGP_SELECT_H
#define FORKGP_SELECT_H

#include <stddef.h>

#include "pop.h"
#include "rng.h"

/* The index of the best of k individuals drawn uniformly with replacement
 * (ties to the first drawn). */
size_t select_tournament(const struct population *p, int k, const struct ranking *rk,
                         struct rng *r);

/*
 * Writes into order[0..n) the indices of the n best individuals, best
 * first (ties to the lower index, so the result is deterministic).
 * Returns 0 or -1 (out of memory).
 */
int select_best(const struct population *p, const struct ranking *rk, size_t *order,
                size_t n);

#endif
