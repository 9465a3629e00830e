/* optimize: Levenberg-Marquardt (lmder) over a program's constants. */
#include "optimize.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cminpack-1/cminpack.h>

#include "interp.h"
#include "jacobian.h"

struct optimize {
    struct interp in;
    struct jacobian jc;
    size_t nodes_cap;  /* trees in.cap and jc.cap hold */
    size_t rows_cap;   /* rows of fvec, wa4, out, mvec, rvec, drvec */
    size_t params_cap; /* parameters of the vectors below */
    size_t jac_cap;    /* doubles of fjac */
    double *fjac;      /* lmder's Jacobian, column-major, rows x params */
    double *fvec, *wa4, *out, *mvec, *rvec, *drvec;          /* rows each */
    double *x, *start, *best, *diag, *qtf, *wa1, *wa2, *wa3; /* params */
    double *ridge;                                           /* params */
    int *ipvt;                                               /* params */
    uint32_t *at; /* nodes_cap: the constants' node indices */
    double seed[JACOBIAN_BLOCK];

    /* The fit under way, for the callback. */
    struct tree *t;
    const double *const *cols;
    const double *y;
    size_t nrows;
    const struct optimize_options *opt;
    uint32_t nconsts;
    double a, b;
    double start_sse; /* the first evaluation's */
    double best_sse;
    int any_best;
    int calls;      /* residual evaluations so far */
    int have_ridge; /* ridge[] is set: the first Jacobian was made */
};

/*
 * The ridge: each parameter's change from the start, times ridge[j], is
 * one more residual (Tikhonov). ridge[j] is RIDGE times the norm of the
 * parameter's column in the first Jacobian, so a parameter the data
 * determine moves as without it (its pull is RIDGE squared of the data's),
 * while one the data cannot tell apart from another (c1 and c2 of
 * c1 + c2, an additive constant beside linear scaling's intercept) stays
 * where it was: without the ridge the Gauss-Newton step along such a
 * direction is rounding noise over a zero pivot, and the constants drift
 * to huge values that cancel, which no printed decimal then reproduces.
 */
#define RIDGE 1e-7

struct optimize *optimize_new(void)
{
    return calloc(1, sizeof(struct optimize));
}

static void release_vectors(struct optimize *o)
{
    free(o->fjac);
    double **rows[] = {&o->fvec, &o->wa4,  &o->out,
                       &o->mvec, &o->rvec, &o->drvec};
    double **params[] = {&o->x,   &o->start, &o->best, &o->diag,
                         &o->qtf, &o->wa1,   &o->wa2,  &o->wa3, &o->ridge};
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        free(*rows[i]);
        *rows[i] = NULL;
    }
    for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
        free(*params[i]);
        *params[i] = NULL;
    }
    free(o->ipvt);
    o->fjac = NULL;
    o->ipvt = NULL;
}

void optimize_free(struct optimize *o)
{
    if (!o)
        return;
    interp_release(&o->in);
    jacobian_release(&o->jc);
    release_vectors(o);
    free(o->at);
    free(o);
}

/* Doubles each capacity until it holds want: a worker's scratch settles at
 * its largest problem after a few growths. */
static size_t grown(size_t cap, size_t want)
{
    size_t c = cap ? cap : 64;
    while (c < want)
        c *= 2;
    return c;
}

/* Makes room for a tree of `nodes` nodes and a problem of mrows x nparams.
 * Returns 0 or -1 (out of memory; what was there is kept or freed, and
 * the capacities say which). */
static int reserve(struct optimize *o, size_t nodes, size_t mrows,
                   size_t nparams)
{
    if (nodes > o->nodes_cap) {
        size_t cap = grown(o->nodes_cap, nodes);
        interp_release(&o->in);
        jacobian_release(&o->jc);
        free(o->at);
        o->nodes_cap = 0;
        o->at = malloc(cap * sizeof *o->at);
        if (!o->at || interp_init(&o->in, cap) < 0 ||
            jacobian_init(&o->jc, cap) < 0)
            return -1;
        o->nodes_cap = cap;
    }
    if (mrows > o->rows_cap || nparams > o->params_cap ||
        mrows * nparams > o->jac_cap) {
        size_t rows = grown(o->rows_cap, mrows);
        size_t params = grown(o->params_cap, nparams);
        release_vectors(o);
        o->rows_cap = o->params_cap = o->jac_cap = 0;
        double **rv[] = {&o->fvec, &o->wa4,  &o->out,
                         &o->mvec, &o->rvec, &o->drvec};
        double **pv[] = {&o->x,   &o->start, &o->best, &o->diag,
                         &o->qtf, &o->wa1,   &o->wa2,  &o->wa3, &o->ridge};
        int bad = 0;
        for (size_t i = 0; i < sizeof rv / sizeof rv[0]; i++)
            bad |= !(*rv[i] = malloc(rows * sizeof(double)));
        for (size_t i = 0; i < sizeof pv / sizeof pv[0]; i++)
            bad |= !(*pv[i] = malloc(params * sizeof(double)));
        o->ipvt = malloc(params * sizeof *o->ipvt);
        o->fjac = malloc(rows * params * sizeof *o->fjac);
        if (bad || !o->ipvt || !o->fjac) {
            release_vectors(o);
            return -1;
        }
        o->rows_cap = rows;
        o->params_cap = params;
        o->jac_cap = rows * params;
    }
    return 0;
}

/* Puts the parameter vector x into the tree's constants, a and b. */
static void set_point(struct optimize *o, const double *x)
{
    for (uint32_t j = 0; j < o->nconsts; j++)
        o->t->nodes[o->at[j]].value = x[j];
    if (o->opt->scale) {
        o->a = x[o->nconsts];
        o->b = x[o->nconsts + 1];
    }
    /* least squares' d r / d c_j = b d o / d c_j: b is the sweep's seed */
    for (size_t k = 0; k < JACOBIAN_BLOCK; k++)
        o->seed[k] = o->b;
}

/* Residuals at the point in the tree into fvec[0..m): rows past nrows are
 * 0. Returns the sum of their squares, or NaN when one is not finite or
 * the residual function stopped. */
static double residuals(struct optimize *o, double *fvec, int m)
{
    const struct optimize_options *opt = o->opt;
    double sse = 0.0;
    int finite = 1;
    for (size_t row = 0; row < o->nrows; row += INTERP_BLOCK) {
        size_t n =
            o->nrows - row < INTERP_BLOCK ? o->nrows - row : INTERP_BLOCK;
        const double *v = interp_block(&o->in, o->t, o->cols, row, n);
        double *r = fvec + row;
        if (opt->residuals) {
            double *mv = o->mvec + row;
            for (size_t k = 0; k < n; k++)
                mv[k] = o->a + o->b * v[k];
            if (opt->residuals(opt->ctx, row, n, mv, r, o->drvec + row))
                return NAN;
        } else {
            for (size_t k = 0; k < n; k++)
                r[k] = (o->a + o->b * v[k]) - o->y[row + k];
        }
        for (size_t k = 0; k < n; k++) {
            finite &= isfinite(r[k]);
            sse += r[k] * r[k];
        }
    }
    for (size_t k = o->nrows; k < (size_t)m; k++)
        fvec[k] = 0.0;
    return finite && isfinite(sse) ? sse : NAN;
}

/* The Jacobian of the residuals at the point in the tree into fjac
 * (column-major, ld rows): the constants' columns from jacobian.c, then
 * a's and b's. Returns 0, or -1 when an entry is not finite or the
 * residual function stopped. */
static int derivatives(struct optimize *o, double *fjac, int ld, int m)
{
    const struct optimize_options *opt = o->opt;
    size_t nc = o->nconsts;
    size_t ldz = (size_t)ld;
    for (size_t row = 0; row < o->nrows; row += JACOBIAN_BLOCK) {
        size_t n =
            o->nrows - row < JACOBIAN_BLOCK ? o->nrows - row : JACOBIAN_BLOCK;
        double *v = o->out + row;
        double *dr = o->drvec + row;
        if (opt->residuals) {
            /* d r / d c_j = r'(m) b d o / d c_j: r' is known once the
             * outputs are, so the columns are scaled after the sweep. */
            jacobian_block(&o->jc, o->t, o->cols, row, n, NULL, v,
                           nc ? fjac + row : NULL, ldz);
            double *mv = o->mvec + row;
            for (size_t k = 0; k < n; k++)
                mv[k] = o->a + o->b * v[k];
            if (opt->residuals(opt->ctx, row, n, mv, o->rvec + row, dr))
                return -1;
            for (size_t j = 0; j < nc; j++) {
                double *c = fjac + j * ldz + row;
                for (size_t k = 0; k < n; k++)
                    c[k] = (o->b * dr[k]) * c[k];
            }
        } else {
            for (size_t k = 0; k < n; k++)
                dr[k] = 1.0;
            jacobian_block(&o->jc, o->t, o->cols, row, n, o->seed, v,
                           nc ? fjac + row : NULL, ldz);
        }
        if (opt->scale) {
            double *ca = fjac + nc * ldz + row, *cb = ca + ldz;
            jacobian_scaling(v, n, ca, cb);
            for (size_t k = 0; k < n; k++) {
                ca[k] = dr[k] * ca[k];
                cb[k] = dr[k] * cb[k];
            }
        }
    }
    size_t np = nc + (opt->scale ? 2 : 0);
    int finite = 1;
    for (size_t j = 0; j < np; j++) {
        double *c = fjac + j * ldz;
        for (size_t k = 0; k < o->nrows; k++)
            finite &= isfinite(c[k]);
        for (size_t k = o->nrows; k < (size_t)m; k++)
            c[k] = 0.0;
    }
    return finite ? 0 : -1;
}

/* Below the rows of the Jacobian fjac (ld rows, n parameters), the
 * ridge's: ridge[j] at row nrows + j of column j. Sets the ridge from
 * this Jacobian when it is the first. */
static void add_ridge_rows(struct optimize *o, double *fjac, int ld, int n)
{
    size_t ldz = (size_t)ld;
    if (!o->have_ridge) {
        double most = 0.0;
        for (int j = 0; j < n; j++) {
            const double *c = fjac + (size_t)j * ldz;
            double ss = 0.0;
            for (size_t k = 0; k < o->nrows; k++)
                ss += c[k] * c[k];
            o->ridge[j] = sqrt(ss);
            most = o->ridge[j] > most ? o->ridge[j] : most;
        }
        /* A column of zeros (a constant with no effect) gets a ridge
         * too, so that nothing moves it. */
        double floor = most > 0.0 ? RIDGE * most : 1.0;
        for (int j = 0; j < n; j++)
            o->ridge[j] = RIDGE * (o->ridge[j] > floor ? o->ridge[j] : floor);
        o->have_ridge = 1;
    }
    for (int j = 0; j < n; j++)
        fjac[(size_t)j * ldz + o->nrows + (size_t)j] = o->ridge[j];
}

/* lmder's callback: iflag 1 asks for the residuals at x, 2 for the
 * Jacobian; a negative return stops lmder. The best point evaluated is
 * kept here, so what lmder does after it cannot make the fit worse. */
static int callback(void *p, int m, int n, const double *x, double *fvec,
                    double *fjac, int ldfjac, int iflag)
{
    struct optimize *o = p;
    if (iflag == 0)
        return 0;
    set_point(o, x);
    if (iflag == 2) {
        if (derivatives(o, fjac, ldfjac, m) < 0)
            return -1;
        add_ridge_rows(o, fjac, ldfjac, n);
        return 0;
    }
    double sse = residuals(o, fvec, m);
    if (o->have_ridge)
        for (int j = 0; j < n; j++)
            fvec[o->nrows + (size_t)j] = o->ridge[j] * (x[j] - o->start[j]);
    if (o->calls++ == 0)
        o->start_sse = sse;
    if (isnan(sse))
        return -1;
    if (!o->any_best || sse < o->best_sse) {
        o->best_sse = sse;
        o->any_best = 1;
        memcpy(o->best, x, (size_t)n * sizeof *x);
    }
    return 0;
}

int optimize_fit(struct optimize *o, struct tree *t, const double *const *cols,
                 const double *y, size_t nrows,
                 const struct optimize_options *opt, double *a, double *b,
                 struct optimize_result *res)
{
    struct optimize_result ignored;
    if (!res)
        res = &ignored;
    memset(res, 0, sizeof *res);
    uint32_t nc = jacobian_constants(t, NULL);
    size_t np = nc + (opt->scale ? 2u : 0u);
    if (np == 0 || nrows == 0)
        return 0;
    size_t m = nrows + np; /* the data's rows, then the ridge's */
    if (m > INT_MAX || np > INT_MAX || m > SIZE_MAX / sizeof(double) / np)
        return OPTIMIZE_ETOOBIG;
    if (reserve(o, t->size, m, np) < 0)
        return OPTIMIZE_ENOMEM;

    o->t = t;
    o->cols = cols;
    o->y = y;
    o->nrows = nrows;
    o->opt = opt;
    o->nconsts = jacobian_constants(t, o->at);
    o->a = a ? *a : 0.0;
    o->b = b ? *b : 1.0;
    o->any_best = 0;
    o->calls = 0;
    o->have_ridge = 0;
    for (uint32_t j = 0; j < nc; j++)
        o->start[j] = t->nodes[o->at[j]].value;
    if (opt->scale) {
        o->start[nc] = o->a;
        o->start[nc + 1] = o->b;
    }
    memcpy(o->x, o->start, np * sizeof *o->x);

    /* MINPACK's recommended tolerances (the square root of the machine
     * precision for ftol and xtol, gtol 0), with mode 1: lmder scales the
     * parameters by the norms of the Jacobian's columns, so that constants
     * of very different sizes converge alike. */
    double tol = sqrt(DBL_EPSILON);
    int nfev = 0, njev = 0;
    int maxfev = opt->max_evaluations > 0 ? opt->max_evaluations : 1;
    int info = lmder(callback, o, (int)m, (int)np, o->x, o->fvec, o->fjac,
                     (int)m, tol, tol, 0.0, maxfev, o->diag, 1, 100.0, 0, &nfev,
                     &njev, o->ipvt, o->qtf, o->wa1, o->wa2, o->wa3, o->wa4);
    res->evaluations = nfev;
    res->jacobians = njev;
    res->info = info;

    const double *keep = o->any_best ? o->best : o->start;
    set_point(o, keep);
    if (!o->any_best) {
        res->start = o->start_sse;
        res->end = NAN;
        return OPTIMIZE_ENONFINITE;
    }
    res->start = o->start_sse;
    res->end = o->best_sse;
    if (a)
        *a = o->a;
    if (b)
        *b = o->b;
    return 0;
}

int optimize_constants(struct optimize *o, struct tree *t,
                       const double *const *cols, const double *y, size_t nrows,
                       int max_evaluations, int scale, double *a, double *b)
{
    struct optimize_options opt = {.max_evaluations = max_evaluations,
                                   .scale = scale};
    return optimize_fit(o, t, cols, y, nrows, &opt, a, b, NULL);
}
