/* model: a scored program as the model its score measures: with linear
 * scaling, intercept + slope * program, as one tree that prints, parses
 * and evaluates to exactly what was scored. */
#ifndef FORKGP_MODEL_H
#define FORKGP_MODEL_H

#include <stdint.h>

#include "pop.h"
#include "tree.h"

/* The nodes model_tree adds around a program. */
#define MODEL_EXTRA_NODES 4

/*
 * Writes into out (out->cap >= t->size + MODEL_EXTRA_NODES) the model of
 * program t under scaling s (borrowed; NULL or off: t itself): the tree
 * add(intercept, mul(slope, t)), whose value on every row is
 * intercept + (slope * o), the very operations the fitness scored.
 * Returns 0, or -1 when out is too small.
 */
int model_tree(struct tree *out, const struct tree *t,
               const struct scaling *s);

/* The model of individual x: model_tree of its tree, with the constants
 * its evaluation tuned and kept apart (x->ntuned) written in. */
int model_of(struct tree *out, const struct individual *x);

#endif
