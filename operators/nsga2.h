/* nsga2: NSGA-II (Deb et al. 2002) on the error, the size and a
 * fitness's further objectives: non-dominated sorting, crowding distance,
 * the survivors of parents and offspring, and the crowded tournament. */
#ifndef FORKGP_NSGA2_H
#define FORKGP_NSGA2_H

#include <stddef.h>
#include <stdint.h>

#include "pop.h"
#include "rng.h"

/*
 * The objectives, all minimised: an individual's raw fitness (negated
 * when maximising; +inf when it failed), its size in nodes (failed: the
 * largest), and the further objectives it carries (individual.objectives,
 * a fitness's scores[1..]; failed or NaN: +inf). a dominates b when it is
 * no worse in every one and better in one. Of individuals with the same objectives, the first (by index) is
 * ranked among the others, and the c-th copy in the c-th front after the
 * last of theirs: copies of a few small programs, each non-dominated,
 * would otherwise fill the population. Scratch for
 * up to cap individuals; a zeroed struct is ready; nsga2_release frees it.
 * After nsga2_rank, rank[i] is individual i's front (0: non-dominated)
 * and crowd[i] its crowding distance within that front (+inf at the
 * front's ends).
 */
struct nsga2 {
    size_t cap;
    double *error;
    uint32_t *size;
    uint32_t *rank;
    double *crowd;
    uint32_t *order; /* scratch */
    uint32_t *front_size; /* scratch: per front, its least size so far */
    double *front_error;  /* and the least error at that size */
};

/* Ranks the n individuals ind[0..n) (pointers: they may come from two
 * populations). Returns 0 or -1 (out of memory). */
int nsga2_rank(struct nsga2 *ns, const struct individual *const *ind,
               size_t n, int maximise);

/*
 * Fills out (out->n individuals, room for every tree) with the survivors
 * of a and b together: whole fronts, best first, and of the front that
 * does not fit whole, those with the largest crowding distance (ties to
 * the lower index, a's before b's). Each is a copy with its result; they
 * keep the order they had (a's, then b's). out must keep tuned constants
 * and case errors where a and b do. Returns 0 or -1 (out of memory).
 */
int nsga2_survivors(struct nsga2 *ns, const struct population *a,
                    const struct population *b, struct population *out,
                    int maximise);

/* The winner of a crowded tournament of two drawn uniformly (draw is
 * rng_bound_init(n) of the n individuals last ranked): the lower front,
 * then the larger crowding distance, then the first drawn. */
size_t nsga2_tournament(const struct nsga2 *ns, const struct rng_bound *draw,
                        struct rng *r);

/* Frees the scratch; a zeroed struct is fine. */
void nsga2_release(struct nsga2 *ns);

#endif
