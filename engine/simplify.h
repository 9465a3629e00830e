/* simplify: a program with its constants folded and identities taken out,
 * checked against the data it was trained on. */
#ifndef FORKGP_SIMPLIFY_H
#define FORKGP_SIMPLIFY_H

#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "prim.h"
#include "tree.h"

/* How far two values may differ, relative to the larger, and still agree
 * in simplify_tree's check. */
#define SIMPLIFY_TOLERANCE 1e-9

/*
 * Writes t simplified into out (out->cap >= t->size; the result is never
 * larger): each subtree of constants only becomes one constant, its value
 * by interp_apply (exactly what forkgp computes; left as it is when that
 * is not finite), and identities that keep forkgp's value for every
 * double go (x*1, x+0, x-0, x/1, --x, abs(abs(x)), min(x, x),
 * if(1, a, b), ...). With rows (cols[k] is variable k's column, nrows >
 * 0), so do those that keep it only where x is finite (x-x, x/x, x*0,
 * 0/x), and the result is then checked: it is kept only when it agrees
 * with t on every row, to SIMPLIFY_TOLERANCE relative (NaN where t gives
 * NaN, the same infinity where t gives one); else the first kind alone is
 * tried and checked, else out is t. Returns 1 when out differs from t, 0
 * when it is t, -1 when memory ran out (out is then t).
 */
int simplify_tree(struct tree *out, const struct tree *t,
                  const double *const *cols, size_t nrows);

/*
 * The simplified program of a run's outputs: t simplified (simplify_tree)
 * against the training data `train` (its columns found by the names of
 * ps's variables; NULL or a variable it lacks: no rows), appended to the
 * malloc'd text *text of *len bytes (realloc'd) as the line "simplified =
 * PROGRAM" with every digit of its constants, and written to `screen` as
 * the same line with `digits` significant digits (infix_append_digits).
 * Returns 0, or -1 when memory ran out (nothing appended or written).
 */
int simplify_lines(char **text, size_t *len, FILE *screen,
                   const struct tree *t, const struct primset *ps,
                   const struct dataset *train, int digits);

#endif
