/* regression: the built-in symbolic-regression fitness on CSV data. */
#ifndef FORKGP_REGRESSION_H
#define FORKGP_REGRESSION_H

#include <stddef.h>

#include "config.h"
#include "csv.h"
#include "fitness.h"
#include "interp.h"
#include "prim.h"

enum metric { METRIC_MSE, METRIC_RMSE, METRIC_MAE, METRIC_NMSE, METRIC_R2 };

/* One data set prepared for scoring: target and input columns. */
struct regression_data {
    const double *y;
    const double *x[PRIM_MAX_VARS]; /* the primset's variables, in order */
    size_t nrows;
    double ss_tot; /* sum of (y - mean y)^2 */
};

/*
 * The problem: training (and optional test) data, the primitive set whose
 * variables are every column but the target, and scratch to evaluate.
 */
struct regression {
    struct dataset train, test;
    int has_test;
    struct regression_data on_train, on_test;
    struct primset ps;
    enum metric metric;
    struct interp interp;
};

/* A message for a person; set when a function returns -1. */
struct regression_error {
    char msg[1024];
};

/*
 * Loads [data] train (and test), picks the target column, parses the
 * primitives and fills *f to score programs on the training data. Returns
 * 0, or -1 with a message naming the file, row and column (or the key).
 */
int regression_setup(struct regression *reg, struct fitness *f,
                     const struct config *c, struct regression_error *err);

/* Frees what reg holds; safe after a failed setup. */
void regression_release(struct regression *reg);

/*
 * Scores t on one data set with the configured metric. Returns EVAL_OK with
 * *score set, or EVAL_INVALID when a prediction (or the score) is not
 * finite.
 */
int regression_score(struct regression *reg, const struct regression_data *d,
                     const struct tree *t, double *score);

/* 1 when the metric is maximised (r2), 0 when minimised. */
int regression_maximise(enum metric m);

#endif
