/* lexicase: lexicase and epsilon-lexicase parent selection on the case
 * errors of an evaluated population. */
#ifndef FORKGP_LEXICASE_H
#define FORKGP_LEXICASE_H

#include <stddef.h>
#include <stdint.h>

#include "pop.h"
#include "rng.h"

/* Pools of at most LEXICASE_FEW vectors are asked whether any case could
 * still filter them; LEXICASE_SETTLED of those found settled are kept for
 * the rest of the generation. */
#define LEXICASE_FEW 16
#define LEXICASE_SETTLED 256

/*
 * One generation's errors, case by case, over its distinct error vectors
 * (individuals with the same errors on every case are one candidate, as
 * many times as they are: lexicase cannot tell them apart, and a pool of
 * them would otherwise be filtered through every case). by_case[j * ng +
 * g] is vector g's error on case j (+inf for the individuals that failed,
 * so that any other beats them); eps[j] is case j's epsilon (0 for plain
 * lexicase). A zeroed struct is ready; lexicase_release frees it.
 */
struct lexicase {
    size_t n;             /* individuals */
    size_t ng;            /* distinct error vectors */
    uint32_t ncases;      /* cases */
    float *by_case;       /* ncases x ng */
    float *eps;           /* ncases */
    uint32_t *opening;    /* each case's opening pool, case after case: the
                             vectors within its epsilon of its least error,
                             those it keeps when it comes first */
    uint32_t *opening_at; /* ncases + 1: case j's opening pool is
                             opening[opening_at[j] .. opening_at[j + 1]) */
    size_t cap_opening;   /* room in opening */
    const float **vec;    /* ng: vector g's errors, case after case, as its
                             first individual holds them (worst: it
                             failed) */
    float *worst;         /* ncases +inf: a failed individual's errors */
    uint32_t *settled;    /* LEXICASE_SETTLED slots of the generation's pools
                             found settled (lexicase.c): a count (0: empty),
                             then that many vectors, ascending */
    int settled_afresh;   /* nonzero: keep none (for the tests, which
                             compare the selections either way) */
    uint32_t *first;      /* ng + 1: vector g's individuals are
                             members[first[g] .. first[g + 1]) */
    uint32_t *members;    /* n: individuals, grouped by vector, each group in
                             index order, groups by their first individual */
    uint32_t *pool;       /* scratch: the candidate vectors still in */
    uint32_t *order;      /* the cases, in the order the last selection
                             shuffled them into */
    uint64_t *keys;       /* scratch: n, for medians */
    uint32_t *weight;     /* scratch: n, for medians */
    void *sorted;         /* scratch: n, for grouping */
    size_t cap_n;         /* room in the per-individual arrays */
    size_t cap_cells;     /* room in by_case */
    uint32_t cap_cases;   /* room in eps and order */
};

/*
 * Takes the case errors of p (each individual's nerrors are p->ncases, or
 * 0 when it failed) for the selections that follow. With epsilon, each
 * case's epsilon is the median absolute deviation of the population's
 * finite errors on it, every individual counted (La Cava, Spector and
 * Danai 2016). Draws nothing. Returns 0 or -1 (out of memory).
 */
int lexicase_prepare(struct lexicase *lx, const struct population *p,
                     int epsilon);

/*
 * Chooses one parent: the candidates start as the whole population; the
 * cases are taken in a random order, and on each only the candidates
 * whose error is at most the best candidate's plus the case's epsilon stay
 * in, until one is left or the cases run out; then one of the individuals
 * left, drawn uniformly (semi-dynamic epsilon-lexicase: the best of the
 * candidates, the epsilon of the population). Draws only on r. Returns the
 * individual's index.
 */
size_t lexicase_select(struct lexicase *lx, struct rng *r);

/* Frees everything; a zeroed struct is fine. */
void lexicase_release(struct lexicase *lx);

/* The median of the n > 0 values v[i], each counted w[i] > 0 times (w
 * NULL: once), the mean of the two middle ones when the count is even;
 * keys and kw are scratch of n. For epsilon and for the tests. */
double lexicase_median(const float *v, const uint32_t *w, size_t n,
                       uint64_t *keys, uint32_t *kw);

#endif
