/* optimize: Levenberg-Marquardt (lmder) over a program's constants. */
#ifndef FORKGP_OPTIMIZE_H
#define FORKGP_OPTIMIZE_H

#include <stddef.h>

#include "tree.h"

/*
 * The solver's scratch: the Jacobian (rows x parameters), lmder's work
 * arrays, the interpreter's and jacobian.c's. Allocated by the first calls
 * and grown to the largest problem seen, so that a worker that optimises
 * every evaluation allocates only while its problems still grow.
 */
struct optimize;

/* A new, empty solver; NULL when out of memory. */
struct optimize *optimize_new(void);

/* Frees o and its scratch; optimize_free(NULL) does nothing. */
void optimize_free(struct optimize *o);

/* What optimize_constants returns besides 0. */
enum {
    OPTIMIZE_ENOMEM = -1,    /* no memory for the scratch: t unchanged */
    OPTIMIZE_ETOOBIG = -2,   /* more rows or parameters than lmder's int
                                sizes hold: t unchanged */
    OPTIMIZE_ENONFINITE = -3 /* a residual at the start is not finite (or
                                a residual function stopped there): t
                                unchanged */
};

/*
 * A fit's own residuals, for objectives other than y - model: given the
 * scaled outputs m[k] = a + b * o[k] of rows [row, row + n), writes each
 * row's residual to r[k] and its derivative d r[k] / d m[k] to dr[k].
 * Returns 0, or nonzero to stop the fit where it is (the best point so far
 * is kept). It must be a function of its arguments (and ctx's fixed data):
 * the solver calls it more than once at the same point.
 */
typedef int (*optimize_residual_fn)(void *ctx, size_t row, size_t n,
                                    const double *m, double *r, double *dr);

/* What a fit is asked to do. */
struct optimize_options {
    int max_evaluations; /* lmder's maxfev: residual evaluations at most,
                            the one at the start included (>= 1); each
                            iteration costs one, and one Jacobian */
    int scale;           /* nonzero: a and b are tuned with the constants;
                            else they stay as given */
    optimize_residual_fn residuals; /* NULL: m - y, least squares */
    void *ctx;                      /* residuals' first argument */
};

/* What a fit did. */
struct optimize_result {
    double start;    /* sum of squared residuals at the start */
    double end;      /* ... at the point written back (<= start) */
    int evaluations; /* residual evaluations (lmder's nfev) */
    int jacobians;   /* Jacobian evaluations (lmder's njev) */
    int info;        /* lmder's info: why it stopped (1-8); negative when a
                        residual or derivative that was not finite stopped
                        it, or the residual function did; 0 when nothing
                        was to be fitted */
};

/*
 * Tunes the constants of t (its OP_CONST nodes) and, when opt->scale, a
 * and b, to minimise the sum over rows [0, nrows) of r_k^2, where r_k =
 * a + b * o_k - y[k] (or opt->residuals of it), o_k the output of t on row
 * k of cols (as interp_block takes them: cols[v] is variable v's column).
 * Levenberg-Marquardt (MINPACK's lmder, Moré's scaling) with the exact
 * Jacobian of jacobian.c. Writes back the best point evaluated, the start
 * included, so the error never grows; stops at the first residual that
 * is not finite. Deterministic: the same inputs give the same bits.
 * a and b may be NULL: 0 and 1, and not written. y may be NULL
 * when opt->residuals is given. Without constants and without scale there
 * is nothing to tune: it returns at once. With fewer rows than
 * parameters the fit is still made (the missing rows count as zero
 * residuals). res may be NULL. Returns 0, or an OPTIMIZE_E* code with t,
 * a and b unchanged.
 */
int optimize_fit(struct optimize *o, struct tree *t, const double *const *cols,
                 const double *y, size_t nrows,
                 const struct optimize_options *opt, double *a, double *b,
                 struct optimize_result *res);

/* optimize_fit for least squares against y, with at most max_evaluations
 * residual evaluations; a and b tuned too when scale is nonzero. */
int optimize_constants(struct optimize *o, struct tree *t,
                       const double *const *cols, const double *y, size_t nrows,
                       int max_evaluations, int scale, double *a, double *b);

/*
 * Proposed for fitness/forkgp.h (the plug-ins' call onto optimize_fit):
 *
 * ---- evaluate: tuning a program's constants ----------------------------
 * A plug-in's own residuals, one per row: given the program's scaled
 * outputs m[k] = a + b * output on rows [row, row + n), writes each row's
 * residual to r[k] and its derivative d r[k] / d m[k] to dr[k]. Returns 0,
 * or nonzero to stop the fit where it is. It must be a function of its
 * arguments and the plug-in's fixed data: the solver calls it more than
 * once at the same point. (A residual that mixes several rows' outputs,
 * such as a simulation's, is not of this form.)
 *
 *     typedef int (*fgp_residuals)(void *ctx, size_t row, size_t n,
 *                                  const double *m, double *r, double *dr);
 *
 * What a fit is asked to do, and what it did:
 *
 *     struct fgp_fit {
 *         int max_evaluations; // residual evaluations at most, >= 1
 *         int scale;           // nonzero: a and b are tuned too
 *         double a, b;         // in: the start (0 and 1: no scaling);
 *                              // out: the values tuned
 *         double start, end;   // out: the sums of squared residuals
 *         int evaluations;     // out: residual evaluations made
 *     };
 *
 * Tunes the constants of p by Levenberg-Marquardt (MINPACK's lmder) with
 * the exact derivatives of forkgp's functions (the interpreter's own
 * semantics, reverse mode over blocks of rows), to minimise the sum over
 * rows [0, nrows) of columns x (x[k] is variable k's data, as for
 * fgp_eval) of r^2, r from `residuals` (NULL: m - y[row], least squares
 * against y; y may be NULL otherwise). The best point evaluated is kept,
 * so end <= start; the fit stops at the first residual that is not
 * finite. It draws nothing from the stream: the same program and data
 * give the same bits. p is read-only to the plug-in, but the program it
 * stands for is the evaluation's own copy: from the call on, fgp_eval*,
 * fgp_program_node and the program sent back with the scores hold the
 * tuned constants (the parent writes them into the individual when the
 * run's [optimize] section asks it to). Returns 0, or -1 with the program
 * unchanged: a symbol of the plug-in's is in it, the residuals are not
 * finite at the start, or memory ran out.
 *
 *     int fgp_optimize(const struct fgp_program *p, const double *const *x,
 *                      const double *y, size_t nrows,
 *                      fgp_residuals residuals, void *ctx,
 *                      struct fgp_fit *fit);
 */

#endif
