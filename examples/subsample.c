/*
 * subsample: a stochastic fitness plug-in. Symbolic regression scored on a
 * random subsample of the training rows, drawn anew for every evaluation
 * from the evaluation's own stream (like gplearn's max_samples): cheaper
 * per evaluation, and a noisy fitness that discourages over-fitting.
 *
 * Because the subsample comes from the stream forkgp derives from (seed,
 * generation, index), a run is still reproducible: the same seed gives the
 * same subsamples, another seed other ones.
 *
 *   [fitness]  function = ../build/examples/subsample.so
 *   [subsample] data = ../configs/data/pagie1.csv   ; the target is the last column
 *              fraction = 0.25                       ; share of rows per evaluation
 */
#include <math.h>
#include <stdlib.h>

#include "forkgp.h"

struct subsample {
    const struct fgp_table *data;
    const double *x[64]; /* the inputs, in variable order */
    const double *y;     /* the target: the last column */
    size_t nsample;      /* rows per evaluation */
    double *rows[64];    /* per-evaluation copies of the sampled inputs */
    double *pred, *target;
};

static int setup(struct fgp_setup *s, void **state)
{
    struct subsample *st = calloc(1, sizeof *st);
    if (!st)
        return fgp_fail(s, "out of memory");
    *state = st;
    const char *path;
    double fraction;
    if (fgp_get_path(s, NULL, "data", "", &path) < 0 ||
        fgp_get_double(s, NULL, "fraction", 0.5, 1e-6, 1.0, &fraction) < 0)
        return -1;
    if (*path == '\0')
        return fgp_fail_key(s, NULL, "data", "required: a CSV file");
    if (fgp_load_csv(s, path, &st->data) < 0)
        return -1;
    size_t ninputs = st->data->ncols - 1;
    if (ninputs < 1 || ninputs > 64)
        return fgp_fail_key(s, NULL, "data", "expected 2..65 columns");
    for (size_t j = 0; j < ninputs; j++) {
        if (fgp_add_variable(s, st->data->names[j]) < 0)
            return -1;
        st->x[j] = st->data->cols[j];
    }
    st->y = st->data->cols[ninputs];
    st->nsample = (size_t)ceil(fraction * (double)st->data->nrows);
    /* Buffers for one evaluation; each worker process has its own copy. */
    for (size_t j = 0; j < ninputs; j++)
        if (!(st->rows[j] = malloc(st->nsample * sizeof(double))))
            return fgp_fail(s, "out of memory");
    st->pred = malloc(st->nsample * sizeof(double));
    st->target = malloc(st->nsample * sizeof(double));
    if (!st->pred || !st->target)
        return fgp_fail(s, "out of memory");
    fgp_set_score_name(s, "mse");
    return fgp_use_functions(s, "add, sub, mul, div") < 0 ||
                   fgp_use_constants(s, "-1..1") < 0
               ? -1
               : 0;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    struct subsample *st = state;
    size_t ninputs = st->data->ncols - 1;
    /* Rows drawn with replacement from this evaluation's stream. */
    for (size_t i = 0; i < st->nsample; i++) {
        size_t row = fgp_rng_below(rng, (uint32_t)st->data->nrows);
        for (size_t j = 0; j < ninputs; j++)
            st->rows[j][i] = st->x[j][row];
        st->target[i] = st->y[row];
    }
    if (fgp_eval(p, (const double *const *)st->rows, st->nsample,
                 st->pred) < 0)
        return FGP_ERROR;
    double sse = 0.0;
    for (size_t i = 0; i < st->nsample; i++) {
        double e = st->pred[i] - st->target[i];
        sse += e * e;
    }
    scores[0] = sse / (double)st->nsample;
    return isfinite(scores[0]) ? FGP_OK : FGP_INVALID;
}

static void teardown(void *state)
{
    struct subsample *st = state;
    if (!st)
        return;
    for (size_t j = 0; j < 64; j++)
        free(st->rows[j]);
    free(st->pred);
    free(st->target);
    free(st);
}

FGP_PLUGIN(.name = "subsample", .flags = FGP_MINIMISE | FGP_STOCHASTIC,
           .nscores = 1, .setup = setup, .evaluate = evaluate,
           .teardown = teardown);
