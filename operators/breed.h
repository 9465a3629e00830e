/* breed: the next generation from an evaluated one (elites + offspring). */
#ifndef FORKGP_BREED_H
#define FORKGP_BREED_H

#include <stddef.h>

#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "lexicase.h"
#include "nsga2.h"
#include "rdo.h"
#include "select.h"
#include "vary.h"

/* How offspring are made: operator shares in this order. */
enum breed_op {
    BREED_CROSSOVER,
    BREED_SUBTREE,
    BREED_POINT,
    BREED_HOIST,
    BREED_RDO,
    BREED_REPRODUCTION,
    BREED_NOPS
};

/* The breeding plan, as the configuration's [operators] and [tree] keys
 * give it. */
struct breed_options {
    struct vary_params vp;      /* variation's limits and choices */
    int method;                 /* enum select_method */
    int tournament_size;
    size_t elitism;             /* the best carried over unchanged */
    double share[BREED_NOPS];   /* each operator's share of offspring */
    size_t population;          /* the largest generation to breed */
    size_t islands;             /* slices bred apart (0 or 1: one) */
    size_t migration_size;      /* each island's emigrants */
    long migration_interval;    /* generations between migrations */
    const struct rdo_cases *cases; /* the fitness's table, for RDO; NULL
                                      when its share is 0 */
};

/* The breeding plan and its preallocated scratch (no allocation per
 * offspring). */
struct breed {
    struct vary_params vp;
    int method;
    int tournament_size;
    size_t elitism;
    double share[BREED_NOPS];
    struct tree scratch; /* subtree mutation's new subtree */
    size_t *elites;      /* elitism indices */
    struct standing *standings; /* the current generation's, for tournaments */
    size_t population;          /* room in standings */
    struct rng_bound draw;      /* tournament draws among the generation */
    struct lexicase lex;        /* lexicase's view of the generation */
    struct nsga2 ns;            /* NSGA-II's fronts of the generation */
    const struct individual **ptrs; /* the generation's, for nsga2_rank */
    size_t islands;             /* 1: the generation is one population */
    size_t migration_size;
    long migration_interval;
    struct individual *pool; /* islands: one island's parents, shallow
                                copies of cur's (trees and errors shared) */
    size_t *migrants;        /* islands x migration_size: each island's
                                best, in cur */
    size_t *victims;         /* islands x migration_size: each island's
                                worst, in cur, that its neighbour's replace */
    struct rdo rdo;          /* RDO's library of the parents, when its
                                share is not 0 */
};

/* Takes the plan (copied) and allocates scratch. Returns 0 or -1. */
int breed_init(struct breed *b, const struct breed_options *o);

/* Frees the scratch; a zeroed breed is fine. */
void breed_release(struct breed *b);

/*
 * Fills next (same size as cur) from cur, generation `generation`, drawing
 * only on r: first the `elitism` best individuals unchanged, then
 * offspring, each made by one operator chosen by the shares, from parents
 * chosen by the method (tournament, lexicase on cur's case errors, or
 * NSGA-II's crowded tournament on cur's fronts of error and size). An
 * unchanged copy (an elite, reproduction, or an operator the limits left
 * no choice) keeps its parent's score and is ORIGIN_COPY; the others are
 * ORIGIN_NEW. Returns 0 or -1 (out of memory).
 *
 * With islands, each island (breed_island's slice of the population) is
 * bred so from its own slice alone, one island after the other. When
 * generation is a positive multiple of the migration interval, each
 * island's parents are first its slice with its migration_size worst
 * replaced by the best of the island before it (island 0's by the last
 * one's): a ring. Migration draws nothing.
 */
int breed_next(struct breed *b, struct population *next,
               const struct population *cur, const struct primset *ps,
               const struct ranking *rk, long generation, struct rng *r);

/* Island k's slice [*lo, *hi) of a population of n in `islands` islands:
 * sizes that differ by at most one, the larger last. */
void breed_island(size_t n, size_t islands, size_t k, size_t *lo,
                  size_t *hi);

#endif
