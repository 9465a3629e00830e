/*
 * rdo: the Random Desired Operator (Pawlak, Wieloch and Krawiec, "Semantic
 * Backpropagation for Designing Search Operators in Genetic Programming",
 * IEEE TEVC 2015), for programs of boolean functions.
 *
 * A program's semantics is what it outputs on each case of the fitness's
 * table, here its truth (nonzero is true) as one bit per case. RDO draws
 * a node of the parent and asks what that node should output for the
 * whole program to output the target: walking from the root, each
 * function's wanted output and its other arguments' outputs give what
 * the argument on the way must output, case by case, or that the case
 * does not matter there (an `and` whose other argument is false is false
 * whatever this one says). The node's subtree is then replaced by the
 * library's subtree that agrees with that on the most cases that matter,
 * the smallest of those. The library is every distinct semantics among
 * the subtrees of the parents' generation (the smallest subtree of each)
 * and the variables.
 *
 * Only and, or, not, nand, nor and if can be walked so; the run refuses
 * others (rdo_refuses). Everything here is a function of the generation
 * and the random stream, so runs stay reproducible.
 */
#ifndef FORKGP_RDO_H
#define FORKGP_RDO_H

#include <stddef.h>
#include <stdint.h>

#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"
#include "vary.h"

/* The fitness's table as truths, one bit per case, `words` 64-bit words
 * per vector (the bits past ncases 0). */
struct rdo_cases {
    size_t ncases;
    size_t words;
    int nvars;
    uint64_t *inputs; /* nvars vectors: variable k's truth on each case */
    uint64_t *target; /* the wanted output's truth */
    uint64_t *valid;  /* 1 for each case, 0 past ncases */
};

/* Makes the table from the fitness's case data (fitness.h case_data:
 * nvars columns of ncases values, then the target's). Returns 0 or -1
 * (out of memory). */
int rdo_cases_init(struct rdo_cases *c, size_t ncases, int nvars,
                   const double *data);
void rdo_cases_release(struct rdo_cases *c);

/* The first opcode among ps's functions that RDO cannot walk, or -1 when
 * there is none. */
int rdo_refuses(const struct primset *ps);

/* One library entry: a subtree of a parent (or a variable). */
struct rdo_entry {
    const struct node *nodes; /* the subtree's first node */
    uint32_t size;
    int height;
};

/* The operator's state: the library of the generation being bred, and
 * scratch, all reused. */
struct rdo {
    const struct rdo_cases *cases;
    uint32_t max_size;
    uint64_t *sem;     /* max_size vectors: a tree's nodes' semantics */
    uint64_t *want;    /* the wanted output, on the way down */
    uint64_t *care;    /* the cases where it matters */
    uint64_t *scratch; /* one vector */
    struct node *vars; /* one terminal node per variable */
    struct rdo_entry *entries;
    uint64_t *lib;   /* entries' semantics, `words` each */
    size_t n, cap;   /* entries, room */
    uint32_t *slots; /* hash table of entries (index + 1; 0 empty) */
    size_t nslots;   /* a power of two, at least twice cap */
    uint32_t *order; /* entries by size, then as found */
    uint32_t *count; /* counting sort's, max_size + 1 */
};

/* Returns 0 or -1 (out of memory); a zeroed rdo is fine to release. */
int rdo_init(struct rdo *d, const struct rdo_cases *c, uint32_t max_size);
void rdo_release(struct rdo *d);

/* The library from the generation v (its trees must outlive its use).
 * Returns 0 or -1 (out of memory). */
int rdo_library(struct rdo *d, const struct population *v);

/* The semantics of every node of t into d->sem (node i's at
 * d->sem + i * words): for tests and the operator. */
void rdo_semantics(struct rdo *d, const struct tree *t);

/* What the node at `at` of t must output for t to output the target:
 * d->want on the cases set in d->care, which are those where t's output
 * depends on that node's (d->sem must hold t's semantics: rdo_semantics).
 * Returns at's depth in t, or -1 when no case matters there. */
int rdo_desired(struct rdo *d, const struct tree *t, uint32_t at);

/* One RDO offspring of p into child (vary.h's contract: returns 1 when
 * the child differs from p, 0 when it is p's copy). A drawn node where
 * no case matters, or whose subtree no library entry can replace within
 * the limits, is drawn again, VARY_TRIES times in all. */
int vary_rdo(struct tree *child, const struct tree *p, struct rdo *d,
             const struct vary_params *vp, struct rng *r);

#endif
