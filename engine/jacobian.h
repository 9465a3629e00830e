/* jacobian: a program's outputs and their exact derivatives in constants. */
#ifndef FORKGP_JACOBIAN_H
#define FORKGP_JACOBIAN_H

#include <stddef.h>
#include <stdint.h>

#include "tree.h"

/* Rows per call of jacobian_block. Every node keeps its values and its
 * adjoint for the block, so a block is smaller than the interpreter's:
 * both arrays of a typical program stay in the core's own caches. */
#define JACOBIAN_BLOCK 128

/*
 * Scratch for trees of up to `cap` nodes, allocated once and reused for
 * every call: reverse mode over a block of rows needs each node's values
 * (the forward pass) and each node's adjoint (the backward sweep).
 */
struct jacobian {
    size_t cap;
    double *values;      /* cap * JACOBIAN_BLOCK: function nodes' values */
    double *adjoints;    /* cap * JACOBIAN_BLOCK: adjoints computed here */
    const double **val;  /* cap: node i's values (its block, or the data) */
    const double **adj;  /* cap: d output / d node i for each row (its
                            block, an ancestor's, or a shared constant) */
    uint32_t *args;      /* 3 * cap: each function node's argument nodes */
    uint32_t *stack;     /* cap: the forward pass's pending subtrees */
    unsigned char *live; /* cap: nonzero when the subtree has a constant */
    double *ones, *zeros, *nans; /* JACOBIAN_BLOCK each */
};

/* Allocates scratch for trees of up to cap nodes. Returns 0 or -1 (out of
 * memory). */
int jacobian_init(struct jacobian *jc, size_t cap);

/* Frees the scratch; a zeroed jacobian is fine. */
void jacobian_release(struct jacobian *jc);

/*
 * The number of OP_CONST nodes of t, which are the Jacobian's columns in
 * prefix order; when at is not NULL, their node indices are written to
 * at[0..count).
 */
uint32_t jacobian_constants(const struct tree *t, uint32_t *at);

/*
 * Evaluates t (t->size <= jc->cap) on rows [row, row + n), n <=
 * JACOBIAN_BLOCK, of the columns `cols` (as interp_block takes them) and
 * writes the n outputs to out: the same bits as interp_block. When jac is
 * not NULL, also writes seed[k] * d out[k] / d c_j to jac[j * ld + k] for
 * the j-th constant c_j of t (jacobian_constants' order); seed NULL means
 * 1 for every row. ld >= n. The derivatives are those of interp_apply's
 * semantics, with these choices where a function has no derivative:
 *   abs at 0 (either sign): +1, the right-hand derivative;
 *   min(a, b) and max(a, b) at a tie: b's (b is the value taken), so
 *     d/da = 0 and d/db = 1 (where an argument is NaN, so is the output,
 *     and the derivatives are of no use);
 *   if(c, a, b): the branch taken, and 0 for the condition;
 *   sqrt(|a|) at 0, log(|a|) at 0 and a / b at b == 0: 0 (the function is
 *     not finite or not differentiable there);
 *   the boolean functions: 0; a plug-in symbol, or a built-in this file
 *     has no derivative for: NaN.
 */
void jacobian_block(struct jacobian *jc, const struct tree *t,
                    const double *const *cols, size_t row, size_t n,
                    const double *seed, double *out, double *jac, size_t ld);

/*
 * Linear scaling's derivatives: for a scaled output a + b * o, d/da is 1
 * and d/db is o, written to col_a[0..n) and col_b[0..n); d/dc_j is b times
 * jacobian_block's (pass b as its seed).
 */
void jacobian_scaling(const double *o, size_t n, double *col_a, double *col_b);

#endif
