/* vary: crossover and the mutations that make an offspring from parents. */
#ifndef FORKGP_VARY_H
#define FORKGP_VARY_H

#include "prim.h"
#include "rng.h"
#include "tree.h"

/* What every offspring must respect, and the knobs of the operators. */
struct vary_params {
    int max_depth;          /* no offspring deeper */
    uint32_t max_size;      /* no offspring bigger */
    int mutation_max_depth; /* depth of a subtree mutation's new subtree */
    double internal_bias;   /* crossover: chance a point is a function */
    int root_points;        /* crossover: whether a point may be a root */
    double point_replace;   /* point mutation: chance per node */
};

/* Tries made to find crossover or mutation points that respect the limits
 * before an operator gives up and the offspring is a copy of the parent. */
#define VARY_TRIES 5

/*
 * Each operator writes one offspring into `child` (cap >= max_size), made
 * from parents that respect the limits, and always returns a tree that
 * respects them. Returns 1 when the child is another program than the
 * parent (p1), 0 when it is the same one: a plain copy where the limits
 * left no choice, or where the operation rebuilt the parent (a subtree
 * replaced by an identical one, a point drawn as it was). Converged
 * populations do that a lot (65% of iris's offspring), and such a child
 * keeps its parent's score without the cost of finding it among the
 * programs already scored (run.c's twins).
 */

/* Subtree crossover: a subtree of p1 replaced by one of p2; points are
 * function nodes with probability internal_bias (Koza's 90/10), roots
 * included only with root_points (a one-node parent then leaves the
 * child a copy of p1). */
int vary_crossover(struct tree *child, const struct tree *p1,
                   const struct tree *p2, const struct vary_params *vp,
                   struct rng *r);

/* Subtree mutation: a uniformly chosen subtree replaced by a grown random
 * tree; `scratch` (cap >= max_size) holds it while splicing. */
int vary_subtree(struct tree *child, const struct tree *p,
                 struct tree *scratch, const struct primset *ps,
                 const struct vary_params *vp, struct rng *r);

/* Point mutation: each node replaced with probability point_replace by a
 * random primitive of the same arity; at least one node is replaced. */
int vary_point(struct tree *child, const struct tree *p,
               const struct primset *ps, const struct vary_params *vp,
               struct rng *r);

/* Hoist mutation: a random subtree replaced by one of its own subtrees,
 * so the offspring is never bigger (gplearn's anti-bloat operator). */
int vary_hoist(struct tree *child, const struct tree *p, struct rng *r);

#endif
