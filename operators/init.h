/* init: random trees (grow, full) and ramped half-and-half populations. */
#ifndef FORKGP_INIT_H
#define FORKGP_INIT_H

#include <stdint.h>

#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"

/* Sets *nd to a terminal drawn uniformly from the set's variables, fixed
 * constants and constant ranges (an ERC gets its value now). */
void init_terminal(struct node *nd, const struct primset *ps, struct rng *r);

/* A function opcode drawn uniformly from the set. */
uint16_t init_function(const struct primset *ps, struct rng *r);

enum init_method { INIT_GROW, INIT_FULL };

/*
 * Writes a random tree of depth at most `depth` into t. FULL puts functions
 * on every level above `depth`; GROW draws from functions and terminals
 * alike (Koza) but puts functions on the levels above `min_depth`. Returns
 * 0, or -1 when the tree would not fit in t->cap (t is then undefined).
 */
int init_tree(struct tree *t, const struct primset *ps, enum init_method how,
              int min_depth, int depth, struct rng *r);

/*
 * Ramped half-and-half: individual i gets depth min + (i / 2) % (max - min
 * + 1), full when i is even and grow when odd. A tree too big for its cap
 * is drawn again, one level shallower after 10 tries. Statuses are reset.
 */
void init_ramped(struct population *p, const struct primset *ps,
                 int min_depth, int max_depth, struct rng *r);

#endif
