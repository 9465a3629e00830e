/* interp: evaluates a numeric program over a block of data rows at once. */
#ifndef FORKGP_INTERP_H
#define FORKGP_INTERP_H

#include <stddef.h>

#include "prim.h"
#include "tree.h"

/* Rows evaluated per pass over the tree: each node costs one dispatch per
 * block, not per row. */
#define INTERP_BLOCK 256

/* Rows in one vector of interp_block_padded (8 doubles: 64 bytes, a cache
 * line, one AVX-512 register or two AVX2 ones). INTERP_BLOCK is a
 * multiple. */
#define INTERP_LANES 8

/*
 * Scratch space for evaluating trees of up to `cap` nodes: one block of
 * doubles per stack level, allocated once and reused for every call.
 */
struct interp {
    size_t cap;
    double *slots;          /* cap * INTERP_BLOCK doubles, 64-byte aligned */
    const double **operand; /* cap pointers: the value of each stack entry,
                               NULL when it is the same for every row */
    double *scalar;         /* cap values: that value, when it is */
};

/* Allocates scratch for trees of up to cap nodes. Returns 0 or -1. */
int interp_init(struct interp *in, size_t cap);

/* Frees the scratch; a zeroed interp is fine. */
void interp_release(struct interp *in);

/*
 * Evaluates tree t on rows [row, row + n) (n <= INTERP_BLOCK) of the
 * columns `cols` (cols[k] is the data of the primset's variable k).
 * Returns a pointer to the n results, valid until the next call: either
 * the scratch, or the data itself when the program is a lone variable.
 * A plug-in symbol in t makes its value NaN.
 */
const double *interp_block(struct interp *in, const struct tree *t,
                           const double *const *cols, size_t row, size_t n);

/*
 * interp_block for data padded to whole vectors: every column is readable
 * (and its values defined, such as csv.c's zeros) up to row + n rounded up
 * to INTERP_LANES, and the scratch is used as far. The first n results
 * are interp_block's, the same bits; faster for few rows.
 */
const double *interp_block_padded(struct interp *in, const struct tree *t,
                                  const double *const *cols, size_t row,
                                  size_t n);

/* Applies one built-in primitive to plain values: the reference
 * semantics (interp_apply3 for the 3-argument `if`). Plug-in symbols
 * give NaN: they mean nothing to the interpreter. */
double interp_apply(unsigned op, double a, double b);
double interp_apply3(unsigned op, double a, double b, double c);

#endif
