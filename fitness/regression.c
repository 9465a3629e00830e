/* regression: the built-in symbolic-regression fitness on CSV data, a
 * plug-in like any other (see builtin.h). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "tabular.h"

enum metric { METRIC_MSE, METRIC_RMSE, METRIC_MAE, METRIC_NMSE, METRIC_R2 };
static const char *const metric_names[] = {"mse", "rmse", "mae", "nmse",
                                           "r2"};

struct regression {
    struct tabular tab;
    enum metric metric;
    double ss_tot_train, ss_tot_test; /* sum of (y - mean y)^2 */
    int scale;          /* linear scaling: score a + b*o, not o */
    double mean_y;      /* the training target's mean */
    double *yc;         /* the training target less its mean, per row */
    double *pred;       /* scratch: one evaluation's outputs, per row */
    int optimize;       /* [optimize] method = lm */
    long iterations;    /* the most error evaluations one tuning makes */
    double share;       /* the chance that an evaluation tunes */
};

static double sum_squares(const struct tabular_set *set)
{
    double mean = 0.0, ss = 0.0;
    for (size_t i = 0; i < set->nrows; i++)
        mean += set->y[i];
    mean /= (double)set->nrows;
    for (size_t i = 0; i < set->nrows; i++)
        ss += (set->y[i] - mean) * (set->y[i] - mean);
    return ss;
}

/* The training target's mean and centred values, and room for one
 * evaluation's outputs (on the training or the test data). Returns 0 or
 * -1 (out of memory). */
static int setup_scaling(struct regression *reg)
{
    const struct tabular_set *train = &reg->tab.train;
    size_t n = train->nrows;
    size_t rows = n;
    if (reg->tab.has_test && reg->tab.test.nrows > rows)
        rows = reg->tab.test.nrows;
    reg->yc = malloc(n * sizeof *reg->yc);
    reg->pred = malloc(rows * sizeof *reg->pred);
    if (!reg->yc || !reg->pred)
        return -1;
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += train->y[i];
    reg->mean_y = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        reg->yc[i] = train->y[i] - reg->mean_y;
    return 0;
}

static int setup(struct fgp_setup *s, void **state)
{
    struct regression *reg = calloc(1, sizeof *reg);
    if (!reg)
        return fgp_fail(s, "out of memory");
    *state = reg;
    const char *metric, *scaling, *method;
    if (fgp_get_string(s, "fitness", "metric", "mse", &metric) < 0 ||
        fgp_get_string(s, "fitness", "linear_scaling", "auto", &scaling) < 0 ||
        fgp_get_string(s, "optimize", "method", "none", &method) < 0 ||
        fgp_get_int(s, "optimize", "iterations", 10, 1, 10000,
                    &reg->iterations) < 0 ||
        fgp_get_double(s, "optimize", "share", 1.0, 0.0, 1.0, &reg->share) <
            0 ||
        tabular_setup(s, &reg->tab, "regression") < 0)
        return -1;
    if (strcmp(metric, "auto") == 0)
        metric = "mse";
    size_t m = 0;
    while (m < 5 && strcmp(metric, metric_names[m]) != 0)
        m++;
    if (m == 5)
        return fgp_fail_key(s, "fitness", "metric",
                            "'%s' is not a regression metric (mse, rmse, "
                            "mae, nmse, r2)",
                            metric);
    reg->metric = (enum metric)m;
    /* Least squares' intercept and slope minimise the squared errors,
     * not the absolute ones: with mae they would score a model that mae
     * itself does not prefer. */
    if (reg->metric == METRIC_MAE && strcmp(scaling, "yes") == 0)
        return fgp_fail_key(s, "fitness", "linear_scaling",
                            "yes needs a least-squares metric (mse, rmse, "
                            "nmse, r2), not mae");
    reg->scale = strcmp(scaling, "no") != 0 && reg->metric != METRIC_MAE;
    /* Levenberg-Marquardt minimises squared errors, as scaling does. */
    reg->optimize = strcmp(method, "lm") == 0;
    if (reg->optimize && reg->metric == METRIC_MAE)
        return fgp_fail_key(s, "optimize", "method",
                            "lm needs a least-squares metric (mse, rmse, "
                            "nmse, r2), not mae");
    if (reg->scale && setup_scaling(reg) < 0)
        return fgp_fail(s, "out of memory");
    fgp_set_maximise(s, reg->metric == METRIC_R2);
    fgp_set_score_name(s, metric);
    reg->ss_tot_train = sum_squares(&reg->tab.train);
    if (reg->tab.has_test)
        reg->ss_tot_test = sum_squares(&reg->tab.test);
    /* nmse and r2 divide by the spread of the target. Whether it is 0 is
     * asked of the values, not of the sum: rounding leaves the sum of a
     * constant 0.1 column tiny but not 0, and r2 would be -3e31. */
    if (reg->metric == METRIC_NMSE || reg->metric == METRIC_R2) {
        if (tabular_constant_target(&reg->tab.train))
            return fgp_fail_key(s, "fitness", "metric",
                                "%s is undefined: the target column '%s' of "
                                "the training data '%s' is constant",
                                metric, reg->tab.target_name,
                                reg->tab.train_path);
        if (reg->tab.has_test && tabular_constant_target(&reg->tab.test))
            return fgp_fail_key(s, "fitness", "metric",
                                "%s is undefined on the test data: the "
                                "target column '%s' of '%s' is constant",
                                metric, reg->tab.target_name,
                                reg->tab.test_path);
        /* Not constant, yet the sum can underflow to 0 (values near
         * 1e-200) or overflow (near 1e200): every score would be NaN. */
        const char *bad =
            !(reg->ss_tot_train > 0.0 && isfinite(reg->ss_tot_train))
                ? reg->tab.train_path
            : reg->tab.has_test &&
                    !(reg->ss_tot_test > 0.0 && isfinite(reg->ss_tot_test))
                ? reg->tab.test_path
                : NULL;
        if (bad)
            return fgp_fail_key(s, "fitness", "metric",
                                "%s is undefined: the squared deviations of "
                                "the target column '%s' of '%s' do not sum "
                                "to a finite, nonzero double",
                                metric, reg->tab.target_name, bad);
    }
    return 0;
}

/* Lanes of the error sums: row r adds into lane r % LANES, and the lanes
 * are added in order at the end. The order depends on the row alone, so a
 * score is the same bits for any block size and any build, and the lanes
 * are independent, so the compiler runs them as one vector. */
#define LANES 4

/* Adds the block's errors (|e| for mae, e^2 otherwise) into the lanes.
 * No test per row, so the loops vectorise: a prediction that is not
 * finite (the data are) makes its error, and so its lane, inf or NaN,
 * and every later term is >= 0, so the lane stays that way; the caller
 * checks the lanes once per block. */
/* Four doubles, one per lane, as one value (a GCC and Clang vector
 * extension): written this way, the sums are one vector add per four rows,
 * where a plain loop is vectorised along the rows and then reduced in
 * order, one scalar add at a time. */
typedef double lanes __attribute__((vector_size(LANES * sizeof(double))));

static void add_errors(const double *pred, const double *target, size_t n,
                       int absolute, double *lane)
{
    lanes acc;
    memcpy(&acc, lane, sizeof acc);
    size_t k = 0;
    for (; k + LANES <= n; k += LANES) {
        lanes p, t;
        memcpy(&p, pred + k, sizeof p);
        memcpy(&t, target + k, sizeof t);
        lanes e = p - t;
        if (absolute) {
            for (int l = 0; l < LANES; l++)
                e[l] = fabs(e[l]);
            acc += e;
        } else {
            acc += e * e;
        }
    }
    memcpy(lane, &acc, sizeof acc);
    for (int l = 0; k < n; k++, l++) {
        double e = pred[k] - target[k];
        lane[l] += absolute ? fabs(e) : e * e;
    }
}

/* The metric from the sum of the errors over n rows. Returns FGP_OK or
 * FGP_INVALID (not finite). */
static int metric_of(const struct regression *reg, double sum, size_t n,
                     double ss_tot, double *out)
{
    double nrows = (double)n;
    switch (reg->metric) {
    case METRIC_MSE: *out = sum / nrows; break;
    case METRIC_RMSE: *out = sqrt(sum / nrows); break;
    case METRIC_MAE: *out = sum / nrows; break;
    case METRIC_NMSE: *out = sum / ss_tot; break;
    case METRIC_R2: *out = 1.0 - sum / ss_tot; break;
    }
    return isfinite(*out) ? FGP_OK : FGP_INVALID;
}

/* The sum of the lanes, in lane order. */
static double lanes_sum(const double *lane)
{
    double sum = 0.0;
    for (int l = 0; l < LANES; l++)
        sum += lane[l];
    return sum;
}

/* Scores a program's own output on one data set with the configured
 * metric. */
static int score(const struct regression *reg, const struct tabular_set *set,
                 double ss_tot, const struct fgp_program *p, double *out)
{
    double lane[LANES] = {0};
    int absolute = reg->metric == METRIC_MAE;
    double *cases = fgp_case_errors(p); /* NULL: not wanted */
    for (size_t row = 0; row < set->nrows; row += FGP_BLOCK) {
        size_t n = set->nrows - row < FGP_BLOCK ? set->nrows - row
                                                : FGP_BLOCK;
        const double *y = fgp_eval_block_padded(p, set->x, row, n);
        add_errors(y, set->y + row, n, absolute, lane);
        if (cases)
            for (size_t k = 0; k < n; k++)
                cases[row + k] = fabs(y[k] - set->y[row + k]);
        /* Not finite: a prediction was not, or the sum overflowed; either
         * way the score would be, so stop here. */
        if (!(lanes_sum(lane) <= DBL_MAX))
            return FGP_INVALID;
    }
    return metric_of(reg, lanes_sum(lane), set->nrows, ss_tot, out);
}

/* The program's outputs on set into reg->pred. Returns 1 when they are
 * all finite and the same, 0 when finite and not all the same, -1 when
 * one is not finite. */
static int outputs(const struct regression *reg,
                   const struct tabular_set *set, const struct fgp_program *p)
{
    double *pred = reg->pred;
    int same = 1;
    for (size_t row = 0; row < set->nrows; row += FGP_BLOCK) {
        size_t n = set->nrows - row < FGP_BLOCK ? set->nrows - row
                                                : FGP_BLOCK;
        const double *o = fgp_eval_block_padded(p, set->x, row, n);
        /* o * 0 is 0 for a finite o, NaN for inf and NaN: one test per
         * block, in a loop that vectorises. */
        double bad = 0.0;
        for (size_t k = 0; k < n; k++) {
            pred[row + k] = o[k];
            bad += o[k] * 0.0;
            same &= o[k] == pred[0];
        }
        if (bad != 0.0)
            return -1;
    }
    return same;
}

/*
 * Linear scaling (Keijzer 2003): the intercept a and slope b that minimise
 * the training error of a + b*o, from the program's training outputs in
 * reg->pred: b = sum((o - mean o)(y - mean y)) / sum((o - mean o)^2), a =
 * mean y - b mean o. A constant output gets b = 0 and a = mean y: it scores
 * as the mean predictor, and no better than any program correlated with
 * the target. Returns 0, or -1 when a or b is not finite.
 */
static int fit_scaling(const struct regression *reg, int constant,
                       double *a, double *b)
{
    const struct tabular_set *train = &reg->tab.train;
    size_t n = train->nrows;
    const double *o = reg->pred;
    if (constant) {
        *a = reg->mean_y;
        *b = 0.0;
        return 0;
    }
    double lane[LANES] = {0};
    size_t k = 0;
    for (; k + LANES <= n; k += LANES)
        for (int l = 0; l < LANES; l++)
            lane[l] += o[k + l];
    for (int l = 0; k < n; k++, l++)
        lane[l] += o[k];
    double mean_o = lanes_sum(lane) / (double)n;
    double soo[LANES] = {0}, soy[LANES] = {0};
    for (k = 0; k + LANES <= n; k += LANES)
        for (int l = 0; l < LANES; l++) {
            double d = o[k + l] - mean_o;
            soo[l] += d * d;
            soy[l] += d * reg->yc[k + l];
        }
    for (int l = 0; k < n; k++, l++) {
        double d = o[k] - mean_o;
        soo[l] += d * d;
        soy[l] += d * reg->yc[k];
    }
    double s_oo = lanes_sum(soo), s_oy = lanes_sum(soy);
    *b = s_oo > 0.0 ? s_oy / s_oo : 0.0;
    *a = reg->mean_y - *b * mean_o;
    return isfinite(*a) && isfinite(*b) ? 0 : -1;
}

/* Scores the model a + b*o on set, whose outputs o are in reg->pred: the
 * error of exactly what the printed model computes (a + (b * o)); each
 * row's |error| into cases[row] unless cases is NULL. */
static int score_scaled(const struct regression *reg,
                        const struct tabular_set *set, double ss_tot,
                        double a, double b, double *out, double *cases)
{
    double lane[LANES] = {0};
    const double *o = reg->pred;
    size_t n = set->nrows, k = 0;
    for (; k + LANES <= n; k += LANES)
        for (int l = 0; l < LANES; l++) {
            double e = set->y[k + l] - (a + b * o[k + l]);
            lane[l] += e * e;
        }
    for (int l = 0; k < n; k++, l++) {
        double e = set->y[k] - (a + b * o[k]);
        lane[l] += e * e;
    }
    /* Apart from the sums, so that their loop stays as it was. */
    if (cases)
        for (k = 0; k < n; k++)
            cases[k] = fabs(set->y[k] - (a + b * o[k]));
    return metric_of(reg, lanes_sum(lane), n, ss_tot, out);
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    const struct regression *reg = state;
    /* Constant optimisation first: p then stands for the tuned program,
     * scored as any other. With share < 1 the evaluation's own stream
     * says whether this one tunes. */
    if (reg->optimize &&
        (reg->share >= 1.0 || fgp_rng_double(rng) < reg->share)) {
        const struct tabular_set *train = &reg->tab.train;
        struct fgp_fit fit = {.max_evaluations = (int)reg->iterations,
                              .scale = reg->scale,
                              .a = 0.0,
                              .b = 1.0};
        fgp_optimize(p, train->x, train->y, train->nrows, NULL, NULL, &fit);
    }
    if (!reg->scale)
        return score(reg, &reg->tab.train, reg->ss_tot_train, p, scores);
    int constant = outputs(reg, &reg->tab.train, p);
    double a, b;
    if (constant < 0 || fit_scaling(reg, constant, &a, &b) < 0)
        return FGP_INVALID;
    fgp_set_scaling(p, a, b);
    return score_scaled(reg, &reg->tab.train, reg->ss_tot_train, a, b,
                        scores, fgp_case_errors(p));
}

/* Scores on the test data; a scaled model keeps the training data's
 * intercept and slope. */
static int test(void *state, const struct fgp_program *p, double *scores)
{
    const struct regression *reg = state;
    if (!reg->tab.has_test)
        return -1;
    if (!reg->scale)
        return score(reg, &reg->tab.test, reg->ss_tot_test, p, scores);
    int constant = outputs(reg, &reg->tab.train, p);
    double a, b;
    if (constant < 0 || fit_scaling(reg, constant, &a, &b) < 0 ||
        outputs(reg, &reg->tab.test, p) < 0)
        return FGP_INVALID;
    return score_scaled(reg, &reg->tab.test, reg->ss_tot_test, a, b, scores,
                        NULL);
}

static void teardown(void *state)
{
    struct regression *reg = state;
    if (reg) {
        free(reg->yc);
        free(reg->pred);
    }
    free(state);
}

/* Minimised by default; setup says maximise for r2. */
const struct fgp_plugin builtin_regression = {
    .abi_version = FGP_ABI_VERSION,
    .name = "regression",
    .flags = FGP_MINIMISE,
    .nscores = 1,
    .setup = setup,
    .evaluate = evaluate,
    .teardown = teardown,
    .test = test,
};
