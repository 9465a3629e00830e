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

static int setup(struct fgp_setup *s, void **state)
{
    struct regression *reg = calloc(1, sizeof *reg);
    if (!reg)
        return fgp_fail(s, "out of memory");
    *state = reg;
    const char *metric;
    if (fgp_get_string(s, "fitness", "metric", "mse", &metric) < 0 ||
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

/* Scores a program on one data set with the configured metric. */
static int score(const struct regression *reg, const struct tabular_set *set,
                 double ss_tot, const struct fgp_program *p, double *out)
{
    double lane[LANES] = {0};
    int absolute = reg->metric == METRIC_MAE;
    for (size_t row = 0; row < set->nrows; row += FGP_BLOCK) {
        size_t n = set->nrows - row < FGP_BLOCK ? set->nrows - row : FGP_BLOCK;
        const double *y = fgp_eval_block_padded(p, set->x, row, n);
        add_errors(y, set->y + row, n, absolute, lane);
        /* Not finite: a prediction was not, or the sum overflowed; either
         * way the score would be, so stop here. */
        double check = 0.0;
        for (int l = 0; l < LANES; l++)
            check += lane[l];
        if (!(check <= DBL_MAX))
            return FGP_INVALID;
    }
    double sum = 0.0;
    for (int l = 0; l < LANES; l++)
        sum += lane[l];
    double nrows = (double)set->nrows;
    switch (reg->metric) {
    case METRIC_MSE: *out = sum / nrows; break;
    case METRIC_RMSE: *out = sqrt(sum / nrows); break;
    case METRIC_MAE: *out = sum / nrows; break;
    case METRIC_NMSE: *out = sum / ss_tot; break;
    case METRIC_R2: *out = 1.0 - sum / ss_tot; break;
    }
    return isfinite(*out) ? FGP_OK : FGP_INVALID;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng; /* deterministic */
    const struct regression *reg = state;
    return score(reg, &reg->tab.train, reg->ss_tot_train, p, scores);
}

static int test(void *state, const struct fgp_program *p, double *scores)
{
    const struct regression *reg = state;
    if (!reg->tab.has_test)
        return -1;
    return score(reg, &reg->tab.test, reg->ss_tot_test, p, scores);
}

static void teardown(void *state)
{
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
