/* select: choosing parents and elites from an evaluated population. */
#ifndef FORKGP_SELECT_H
#define FORKGP_SELECT_H

#include <stddef.h>
#include <stdint.h>

#include "pop.h"
#include "rng.h"

/* How parents are chosen ([selection] method). */
enum select_method {
    SELECT_TOURNAMENT = 0,
    SELECT_LEXICASE = 1,
    SELECT_EPSILON_LEXICASE = 2,
    SELECT_NSGA2 = 3,
};

/*
 * An individual's standing: ind_better's order as plain numbers, made once
 * per generation, so that a tournament compares small contiguous records
 * without branches instead of calling ind_better on scattered individuals.
 * a is better than b exactly when (key, size) of a is below b's, in that
 * order. key: the penalised fitness (negated when maximising, so lower is
 * better) as an unsigned integer in the same order; all ones when the
 * individual failed.
 */
struct standing {
    uint64_t key;
    uint32_t size;
};

/* Fills s[0..p->n) with the individuals' standings under rk. */
void select_standings(const struct population *p, const struct ranking *rk,
                      struct standing *s);

/* The index of the best of k of the n individuals, drawn uniformly with
 * replacement (ties to the first drawn), by their standings s. `draw` is
 * rng_bound_init(n): made once per generation, it spares each draw a
 * division, and draws exactly what rng_below(r, n) would. */
size_t select_tournament(const struct standing *s,
                         const struct rng_bound *draw, int k, struct rng *r);

/*
 * Writes into order[0..n) the indices of the n best individuals, best
 * first (ties to the lower index, so the result is deterministic).
 * Returns 0 or -1 (out of memory).
 */
int select_best(const struct population *p, const struct ranking *rk, size_t *order,
                size_t n);

/* select_best by the standings s of the population's count individuals
 * (select_standings): the same order[0..n), without ind_better's
 * arithmetic per comparison or any allocation. */
void select_best_standings(const struct standing *s, size_t count,
                           size_t *order, size_t n);

/* The n worst of the count individuals by their standings s, worst first
 * (of equals, the higher index is the worse): select_best_standings's
 * order read from its end. */
void select_worst_standings(const struct standing *s, size_t count,
                            size_t *order, size_t n);

#endif
