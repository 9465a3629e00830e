/*
 * classify: the built-in classification fitness (Karoo GP's kernel) on
 * CSV data. The target column holds class labels (any numbers; sorted,
 * the i-th smallest is class i). A program's output o picks the class
 * clamp(ceil(o), 0, k - 1): for two classes, o > 0 is the larger label;
 * for k classes, o <= 0 is class 0, i - 1 < o <= i is class i, and o >
 * k - 2 is class k - 1. Fitness is accuracy or balanced accuracy (the mean
 * of the per-class recalls), maximised.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"
#include "tabular.h"

#define MAX_CLASSES 64

struct classify {
    struct tabular tab;
    int balanced;
    int nclasses;
    double labels[MAX_CLASSES];
    unsigned char *train_class, *test_class; /* per row */
    size_t train_count[MAX_CLASSES], test_count[MAX_CLASSES];
};

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The class of every row: returns 0, -2 when out of memory, or -1 with
 * *bad the first row whose label is not one of the classes. */
static int classes_of(struct classify *c, const struct tabular_set *set,
                      unsigned char **out, size_t *count, size_t *bad)
{
    *out = malloc(set->nrows ? set->nrows : 1);
    if (!*out)
        return -2;
    for (size_t i = 0; i < set->nrows; i++) {
        const double *hit = bsearch(&set->y[i], c->labels,
                                    (size_t)c->nclasses, sizeof(double),
                                    cmp_double);
        if (!hit) {
            *bad = i;
            return -1;
        }
        (*out)[i] = (unsigned char)(hit - c->labels);
        count[(*out)[i]]++;
    }
    return 0;
}

static int setup(struct fgp_setup *s, void **state)
{
    struct classify *c = calloc(1, sizeof *c);
    if (!c)
        return fgp_fail(s, "out of memory");
    *state = c;
    const char *metric;
    if (fgp_get_string(s, "fitness", "metric", "accuracy", &metric) < 0 ||
        tabular_setup(s, &c->tab, "classification") < 0)
        return -1;
    if (strcmp(metric, "auto") == 0)
        metric = "accuracy";
    if (strcmp(metric, "accuracy") != 0 &&
        strcmp(metric, "balanced_accuracy") != 0)
        return fgp_fail_key(s, "fitness", "metric",
                            "'%s' is not a classification metric (accuracy, "
                            "balanced_accuracy)",
                            metric);
    c->balanced = strcmp(metric, "balanced_accuracy") == 0;
    fgp_set_maximise(s, 1);
    fgp_set_score_name(s, metric);

    /* The classes: the distinct labels of the training data, sorted. */
    const struct tabular_set *train = &c->tab.train;
    for (size_t i = 0; i < train->nrows; i++) {
        int seen = 0;
        for (int k = 0; k < c->nclasses && !seen; k++)
            seen = c->labels[k] == train->y[i];
        if (seen)
            continue;
        if (c->nclasses == MAX_CLASSES) {
            char label[32];
            tabular_number(label, sizeof label, train->y[i]);
            return fgp_fail_key(s, "data", "target",
                                "column %zu '%s' of '%s' has more than %d "
                                "classes (the %dth, %s, is on line %zu)",
                                c->tab.target_col + 1, c->tab.target_name,
                                c->tab.train_path, MAX_CLASSES, MAX_CLASSES + 1,
                                label, tabular_line(i));
        }
        c->labels[c->nclasses++] = train->y[i];
    }
    if (c->nclasses < 2)
        return fgp_fail_key(s, "data", "target",
                            "column '%s' has only one class",
                            c->tab.target_name);
    qsort(c->labels, (size_t)c->nclasses, sizeof(double), cmp_double);
    size_t bad = 0;
    if (classes_of(c, train, &c->train_class, c->train_count, &bad) == -2)
        return fgp_fail(s, "out of memory");
    if (c->tab.has_test) {
        int rc =
            classes_of(c, &c->tab.test, &c->test_class, c->test_count, &bad);
        if (rc == -2)
            return fgp_fail(s, "out of memory");
        if (rc < 0) {
            char label[32];
            tabular_number(label, sizeof label, c->tab.test.y[bad]);
            return fgp_fail_key(s, "data", "test",
                                "'%s' line %zu, column %zu '%s': class label "
                                "%s does not occur in the training data '%s'",
                                c->tab.test_path, tabular_line(bad),
                                c->tab.target_col + 1, c->tab.target_name,
                                label, c->tab.train_path);
        }
    }
    return 0;
}

static int score(const struct classify *c, const struct tabular_set *set,
                 const unsigned char *cls, const size_t *count,
                 const struct fgp_program *p, double *out)
{
    size_t right[MAX_CLASSES] = {0}, hits = 0;
    double top = (double)(c->nclasses - 1);
    double *cases = fgp_case_errors(p); /* 0 right, 1 wrong */
    for (size_t row = 0; row < set->nrows; row += FGP_BLOCK) {
        size_t n = set->nrows - row < FGP_BLOCK ? set->nrows - row : FGP_BLOCK;
        const double *o = fgp_eval_block_padded(p, set->x, row, n);
        for (size_t k = 0; k < n; k++) {
            if (isnan(o[k]))
                return FGP_INVALID;
            double v = ceil(o[k]);
            int guess = (int)(v < 0.0 ? 0.0 : v > top ? top : v);
            if (guess == cls[row + k]) {
                hits++;
                right[guess]++;
            }
            if (cases)
                cases[row + k] = guess != cls[row + k];
        }
    }
    if (!c->balanced) {
        *out = (double)hits / (double)set->nrows;
        return FGP_OK;
    }
    double sum = 0.0;
    int present = 0;
    for (int k = 0; k < c->nclasses; k++)
        if (count[k]) {
            sum += (double)right[k] / (double)count[k];
            present++;
        }
    *out = sum / present;
    return FGP_OK;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng; /* deterministic */
    const struct classify *c = state;
    return score(c, &c->tab.train, c->train_class, c->train_count, p, scores);
}

static int test(void *state, const struct fgp_program *p, double *scores)
{
    const struct classify *c = state;
    if (!c->tab.has_test)
        return -1;
    return score(c, &c->tab.test, c->test_class, c->test_count, p, scores);
}

static void teardown(void *state)
{
    struct classify *c = state;
    if (c) {
        free(c->train_class);
        free(c->test_class);
    }
    free(c);
}

const struct fgp_plugin builtin_classification = {
    .abi_version = FGP_ABI_VERSION,
    .name = "classification",
    .flags = FGP_MAXIMISE,
    .nscores = 1,
    .setup = setup,
    .evaluate = evaluate,
    .teardown = teardown,
    .test = test,
};
