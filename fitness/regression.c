/* regression: the built-in symbolic-regression fitness on CSV data. */
#include "regression.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "pop.h"
#include "text.h"

static const char *const metric_names[] = {"mse", "rmse", "mae", "nmse",
                                           "r2"};

int regression_maximise(enum metric m)
{
    return m == METRIC_R2;
}

static int evaluate_train(void *ctx, const struct tree *t, struct rng *r,
                          double *score)
{
    (void)r; /* deterministic: the stream is not needed */
    struct regression *reg = ctx;
    return regression_score(reg, &reg->on_train, t, score);
}

int regression_score(struct regression *reg, const struct regression_data *d,
                     const struct tree *t, double *score)
{
    /* Sums run in row order whatever the block size, so the score is the
     * same bits for any INTERP_BLOCK. */
    double sse = 0.0, sae = 0.0;
    for (size_t row = 0; row < d->nrows; row += INTERP_BLOCK) {
        size_t n = d->nrows - row < INTERP_BLOCK ? d->nrows - row
                                                 : INTERP_BLOCK;
        const double *p = interp_block(&reg->interp, t, d->x, row, n);
        for (size_t k = 0; k < n; k++) {
            if (!isfinite(p[k]))
                return EVAL_INVALID;
            double e = p[k] - d->y[row + k];
            sse += e * e;
            sae += fabs(e);
        }
    }
    double nrows = (double)d->nrows, s;
    switch (reg->metric) {
    case METRIC_MSE: s = sse / nrows; break;
    case METRIC_RMSE: s = sqrt(sse / nrows); break;
    case METRIC_MAE: s = sae / nrows; break;
    case METRIC_NMSE: s = sse / d->ss_tot; break;
    case METRIC_R2: s = 1.0 - sse / d->ss_tot; break;
    default: s = NAN; break;
    }
    if (!isfinite(s))
        return EVAL_INVALID;
    *score = s;
    return EVAL_OK;
}

/* Points d at the target and the primset's variables in data set ds. */
static void bind_data(struct regression_data *d, const struct dataset *ds,
                      int target, const struct primset *ps)
{
    d->nrows = ds->nrows;
    d->y = ds->cols[target];
    for (int k = 0; k < ps->nvars; k++)
        d->x[k] = ds->cols[ps->var_cols[k]];
    double mean = 0.0;
    for (size_t i = 0; i < ds->nrows; i++)
        mean += d->y[i];
    mean /= (double)ds->nrows;
    d->ss_tot = 0.0;
    for (size_t i = 0; i < ds->nrows; i++)
        d->ss_tot += (d->y[i] - mean) * (d->y[i] - mean);
}

static int find_target(const struct dataset *ds, const struct config *c,
                       struct regression_error *err)
{
    if (c->data_target[0] == '\0')
        return (int)ds->ncols - 1;
    int t = dataset_find(ds, c->data_target);
    if (t >= 0)
        return t;
    const char *near = text_suggest(c->data_target,
                                    (const char *const *)ds->names,
                                    ds->ncols);
    int n = snprintf(err->msg, sizeof err->msg,
                     "%s: [data] target: no column '%s' in '%s'", c->file,
                     c->data_target, ds->path);
    if (near)
        snprintf(err->msg + n, sizeof err->msg - (size_t)n,
                 "; did you mean '%s'?", near);
    return -1;
}

/* The test file must have the training file's columns, in order. */
static int check_same_columns(const struct dataset *train,
                              const struct dataset *test,
                              struct regression_error *err)
{
    int same = train->ncols == test->ncols;
    for (size_t j = 0; same && j < train->ncols; j++)
        same = strcmp(train->names[j], test->names[j]) == 0;
    if (same)
        return 0;
    int n = snprintf(err->msg, sizeof err->msg,
                     "%s:1: columns differ from the training data's (",
                     test->path);
    for (size_t j = 0; j < train->ncols && n < (int)sizeof err->msg; j++)
        n += snprintf(err->msg + n, sizeof err->msg - (size_t)n, "%s%s",
                      j ? ", " : "", train->names[j]);
    if (n < (int)sizeof err->msg)
        snprintf(err->msg + n, sizeof err->msg - (size_t)n, ")");
    return -1;
}

int regression_setup(struct regression *reg, struct fitness *f,
                     const struct config *c, struct regression_error *err)
{
    memset(reg, 0, sizeof *reg);
    struct csv_error cerr;
    struct prim_error perr;
    for (size_t m = 0; m < sizeof metric_names / sizeof *metric_names; m++)
        if (strcmp(c->fitness_metric, metric_names[m]) == 0)
            reg->metric = (enum metric)m;

    if (csv_load(&reg->train, c->data_train, &cerr) < 0)
        goto csv_fail;
    int target = find_target(&reg->train, c, err);
    if (target < 0)
        goto fail;
    if (reg->train.ncols < 2) {
        snprintf(err->msg, sizeof err->msg,
                 "%s: only one column: no inputs beside the target",
                 reg->train.path);
        goto fail;
    }
    if (reg->train.ncols - 1 > PRIM_MAX_VARS) {
        snprintf(err->msg, sizeof err->msg, "%s: more than %d input columns",
                 reg->train.path, PRIM_MAX_VARS);
        goto fail;
    }
    if (c->data_test[0] != '\0') {
        if (csv_load(&reg->test, c->data_test, &cerr) < 0)
            goto csv_fail;
        if (check_same_columns(&reg->train, &reg->test, err) < 0)
            goto fail;
        reg->has_test = 1;
    }

    /* The variables: every column but the target, in file order. */
    for (size_t j = 0; j < reg->train.ncols; j++) {
        if ((int)j == target)
            continue;
        reg->ps.var_names[reg->ps.nvars] = reg->train.names[j];
        reg->ps.var_cols[reg->ps.nvars++] = (uint16_t)j;
    }
    /* The config has validated both lists already. */
    if (prim_parse_functions(&reg->ps, c->primitives_functions, &perr) < 0 ||
        prim_parse_constants(&reg->ps, c->primitives_constants, &perr) < 0) {
        snprintf(err->msg, sizeof err->msg, "%s: [primitives] %s", c->file,
                 perr.msg);
        goto fail;
    }
    for (int k = 0; k < reg->ps.nvars; k++)
        if (prim_lookup(reg->ps.var_names[k]) >= 0 ||
            strcmp(reg->ps.var_names[k], "pi") == 0 ||
            strcmp(reg->ps.var_names[k], "e") == 0) {
            snprintf(err->msg, sizeof err->msg,
                     "%s:1: column '%s' has the name of a primitive; rename "
                     "it",
                     reg->train.path, reg->ps.var_names[k]);
            goto fail;
        }

    bind_data(&reg->on_train, &reg->train, target, &reg->ps);
    if (reg->has_test)
        bind_data(&reg->on_test, &reg->test, target, &reg->ps);
    if ((reg->metric == METRIC_NMSE || reg->metric == METRIC_R2) &&
        (reg->on_train.ss_tot == 0.0 ||
         (reg->has_test && reg->on_test.ss_tot == 0.0))) {
        snprintf(err->msg, sizeof err->msg,
                 "%s: [fitness] metric: %s is undefined: the target column "
                 "'%s' is constant",
                 c->file, c->fitness_metric, reg->train.names[target]);
        goto fail;
    }
    if (interp_init(&reg->interp, (size_t)c->tree_max_size) < 0) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        goto fail;
    }
    f->name = "regression";
    f->maximise = regression_maximise(reg->metric);
    f->ctx = reg;
    f->evaluate = evaluate_train;
    return 0;
csv_fail:
    snprintf(err->msg, sizeof err->msg, "%s", cerr.msg);
fail:
    regression_release(reg);
    return -1;
}

void regression_release(struct regression *reg)
{
    dataset_release(&reg->train);
    dataset_release(&reg->test);
    interp_release(&reg->interp);
    memset(reg, 0, sizeof *reg);
}
