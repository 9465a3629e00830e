/* test_optimize: Levenberg-Marquardt recovers constants, never worsens. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <string.h>

#include "init.h"
#include "interp.h"
#include "optimize.h"
#include "prim.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"

#define NVARS 2
#define NROWS 300
#define CAP 128

static double data[NVARS][NROWS];
static const double *cols[NVARS];
static double y[NROWS];

static void fill(struct rng *r, double lo, double hi)
{
    for (int v = 0; v < NVARS; v++) {
        for (size_t i = 0; i < NROWS; i++)
            data[v][i] = rng_uniform(r, lo, hi);
        cols[v] = data[v];
    }
}

/* The sum of squared residuals a + b * t - y over the first n rows, by the
 * interpreter. */
static double sse(const struct tree *t, double a, double b, size_t n)
{
    struct interp in;
    assert_int_equal(interp_init(&in, CAP), 0);
    double s = 0;
    for (size_t row = 0; row < n; row += INTERP_BLOCK) {
        size_t m = n - row < INTERP_BLOCK ? n - row : INTERP_BLOCK;
        const double *o = interp_block(&in, t, cols, row, m);
        for (size_t k = 0; k < m; k++) {
            double r = (a + b * o[k]) - y[row + k];
            s += r * r;
        }
    }
    interp_release(&in);
    return s;
}

/* y = 2.5 x^2 + 0.3 from a tree of the right shape and wrong constants. */
static void test_recovers_constants(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 3, 1);
    fill(&r, -2, 2);
    for (size_t k = 0; k < NROWS; k++)
        y[k] = 2.5 * data[0][k] * data[0][k] + 0.3;
    struct optimize *o = optimize_new();
    assert_non_null(o);
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    testutil_build(&t, NULL, "add mul 1 square x0 -1");
    struct optimize_options opt = {.max_evaluations = 50};
    struct optimize_result res;
    assert_int_equal(
        optimize_fit(o, &t, cols, y, NROWS, &opt, NULL, NULL, &res), 0);
    assert_true(fabs(t.nodes[2].value - 2.5) < 1e-9);
    assert_true(fabs(t.nodes[5].value - 0.3) < 1e-9);
    assert_true(res.end < 1e-18 && res.start > 1);
    assert_true(res.evaluations >= 2 && res.jacobians >= 1);
    assert_true(res.end == sse(&t, 0, 1, NROWS));

    /* nonlinear in its constant: y = exp(0.7 x0) from exp(0.1 x0) */
    for (size_t k = 0; k < NROWS; k++)
        y[k] = exp(0.7 * data[0][k]);
    testutil_build(&t, NULL, "exp mul 0.1 x0");
    assert_int_equal(
        optimize_constants(o, &t, cols, y, NROWS, 50, 0, NULL, NULL), 0);
    assert_true(fabs(t.nodes[2].value - 0.7) < 1e-9);

    /* with linear scaling: 2.5 x^2 + 0.3 as a + b (c x^2) */
    for (size_t k = 0; k < NROWS; k++)
        y[k] = 2.5 * data[0][k] * data[0][k] + 0.3;
    testutil_build(&t, NULL, "mul 1 square x0");
    double a = 0, b = 1;
    assert_int_equal(optimize_constants(o, &t, cols, y, NROWS, 50, 1, &a, &b),
                     0);
    assert_true(fabs(a - 0.3) < 1e-9);
    assert_true(fabs(b * t.nodes[1].value - 2.5) < 1e-9);
    assert_true(sse(&t, a, b, NROWS) < 1e-18);

    /* sin(c x0 + d) through sin's derivative */
    for (size_t k = 0; k < NROWS; k++)
        y[k] = sin(1.2 * data[0][k] - 0.4);
    testutil_build(&t, NULL, "sin add mul 1 x0 0");
    assert_int_equal(
        optimize_constants(o, &t, cols, y, NROWS, 100, 0, NULL, NULL), 0);
    assert_true(fabs(t.nodes[3].value - 1.2) < 1e-7);
    assert_true(fabs(t.nodes[5].value + 0.4) < 1e-7);
    tree_release(&t);
    optimize_free(o);
    optimize_free(NULL);
}

/* Only a and b: a program without constants, scaled; without scaling
 * there is nothing to tune. */
static void test_scaling_only(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 5, 2);
    fill(&r, -1, 1);
    for (size_t k = 0; k < NROWS; k++)
        y[k] = 3 + 2 * data[0][k] * data[1][k];
    struct optimize *o = optimize_new();
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    testutil_build(&t, NULL, "mul x0 x1");
    double a = 0, b = 1;
    struct optimize_options opt = {.max_evaluations = 20, .scale = 1};
    struct optimize_result res;
    assert_int_equal(optimize_fit(o, &t, cols, y, NROWS, &opt, &a, &b, &res),
                     0);
    assert_true(fabs(a - 3) < 1e-12 && fabs(b - 2) < 1e-12);
    opt.scale = 0;
    a = 5;
    assert_int_equal(optimize_fit(o, &t, cols, y, NROWS, &opt, &a, &b, &res),
                     0);
    assert_true(res.evaluations == 0 && res.info == 0 && a == 5);
    tree_release(&t);
    optimize_free(o);
}

/* Constants the data cannot tell apart (c1 and c2 of x0 + (c1 + c2),
 * and an additive constant beside linear scaling's intercept) stay near
 * where they started, however often the program is tuned again: they
 * must not drift to huge values that cancel. The fit is still exact. */
static void test_unidentifiable_constants_stay(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 11, 4);
    fill(&r, 0.5, 3);
    for (size_t k = 0; k < NROWS; k++)
        y[k] = 0.7 + 1.9 * log(data[0][k] + 0.4) + 0.01 * sin(3 * data[1][k]);
    struct optimize *o = optimize_new();
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    testutil_build(&t, NULL, "add log add x0 add 0.1 0.2 0.3");
    double a = 0, b = 1, first = NAN, last = NAN;
    struct optimize_options opt = {.max_evaluations = 10, .scale = 1};
    for (int round = 0; round < 30; round++) {
        struct optimize_result res;
        assert_int_equal(
            optimize_fit(o, &t, cols, y, NROWS, &opt, &a, &b, &res), 0);
        first = round == 0 ? res.end : first;
        last = res.end;
    }
    assert_true(last <= first);
    double c[CAP];
    uint32_t n = tree_get_constants(&t, c);
    assert_int_equal(n, 3);
    for (uint32_t j = 0; j < n; j++)
        assert_true(fabs(c[j]) < 10);
    assert_true(fabs(a) < 10 && fabs(b) < 10);
    tree_release(&t);
    optimize_free(o);
}

/* Random programs against a target they cannot all fit: the error never
 * grows, and the same inputs give the same bits, with a fresh solver or a
 * reused one whose scratch has grown. */
static void test_never_worse_and_deterministic(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 7, 3);
    fill(&r, -3, 3);
    for (size_t k = 0; k < NROWS; k++)
        y[k] = 10 / (5 + (data[0][k] - 1) * (data[0][k] - 1)) + sin(data[1][k]);
    struct primset ps;
    memset(&ps, 0, sizeof ps);
    static const uint16_t funcs[] = {OP_ADD, OP_SUB,  OP_MUL, OP_DIV,
                                     OP_SIN, OP_EXP,  OP_LOG, OP_SQRT,
                                     OP_ABS, OP_TANH, OP_MIN, OP_SQUARE};
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        ps.funcs[ps.nfuncs++] = funcs[i];
    ps.nvars = NVARS;
    ps.range_lo[0] = -2;
    ps.range_hi[0] = 2;
    ps.nranges = 1;
    struct optimize *o = optimize_new(), *fresh;
    struct tree t, t2;
    assert_int_equal(tree_init(&t, CAP), 0);
    assert_int_equal(tree_init(&t2, CAP), 0);
    int improved = 0, tried = 0;
    for (int i = 0; i < 300; i++) {
        if (init_tree(&t, &ps, i % 2 ? INIT_GROW : INIT_FULL, 1,
                      1 + (int)rng_below(&r, 5), &r) < 0)
            continue;
        tree_copy(&t2, &t);
        int scale = i % 3 != 0;
        size_t n = i % 5 ? NROWS : 1 + rng_below(&r, 4);
        double a = 0, b = 1, a2 = 0, b2 = 1;
        double before = sse(&t, a, b, n);
        struct optimize_options opt = {.max_evaluations = 30, .scale = scale};
        struct optimize_result res;
        int rc = optimize_fit(o, &t, cols, y, n, &opt, &a, &b, &res);
        if (rc == OPTIMIZE_ENONFINITE) {
            assert_memory_equal(t.nodes, t2.nodes, t.size * sizeof *t.nodes);
            continue;
        }
        assert_int_equal(rc, 0);
        double after = sse(&t, a, b, n);
        if (res.evaluations == 0) {
            /* nothing to tune: no constants, no scaling */
            assert_int_equal(scale, 0);
            assert_memory_equal(t.nodes, t2.nodes, t.size * sizeof *t.nodes);
            continue;
        }
        tried++;
        assert_true(res.start == before);
        assert_true(after == res.end && after <= before);
        improved += after < before;
        /* again, with a solver of its own */
        fresh = optimize_new();
        assert_int_equal(
            optimize_fit(fresh, &t2, cols, y, n, &opt, &a2, &b2, NULL), 0);
        optimize_free(fresh);
        assert_memory_equal(t.nodes, t2.nodes, t.size * sizeof *t.nodes);
        assert_memory_equal(&a, &a2, sizeof a);
        assert_memory_equal(&b, &b2, sizeof b);
    }
    assert_true(tried > 150);
    assert_true(improved > tried / 2);
    tree_release(&t2);
    tree_release(&t);
    optimize_free(o);
}

/* A start that is not finite changes nothing. */
static void test_nonfinite_start(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 11, 4);
    fill(&r, 1, 2);
    for (size_t k = 0; k < NROWS; k++)
        y[k] = data[0][k];
    struct optimize *o = optimize_new();
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    testutil_build(&t, NULL, "exp mul 1000 x0");
    double a = 1, b = 2;
    struct optimize_options opt = {.max_evaluations = 20, .scale = 1};
    struct optimize_result res;
    assert_int_equal(optimize_fit(o, &t, cols, y, NROWS, &opt, &a, &b, &res),
                     OPTIMIZE_ENONFINITE);
    assert_true(t.nodes[2].value == 1000 && a == 1 && b == 2);
    assert_true(res.info < 0 && isnan(res.end));
    tree_release(&t);
    optimize_free(o);
}

/* A residual function of the fit's own: weighted, and one that turns
 * non-finite beyond a bound, which stops the fit at the best point found
 * before it. */
struct weighted {
    const double *w;
    double bound;
};

static int weighted_residuals(void *ctx, size_t row, size_t n, const double *m,
                              double *r, double *dr)
{
    const struct weighted *wt = ctx;
    for (size_t k = 0; k < n; k++) {
        r[k] = wt->w[row + k] * (m[k] - y[row + k]);
        dr[k] = wt->w[row + k];
        if (m[k] > wt->bound)
            r[k] = INFINITY;
    }
    return 0;
}

static void test_own_residuals(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 13, 5);
    fill(&r, 0, 1);
    static double w[NROWS];
    for (size_t k = 0; k < NROWS; k++) {
        y[k] = 4 * data[0][k] - 1;
        w[k] = 0.5 + data[1][k];
    }
    struct weighted wt = {w, INFINITY};
    struct optimize *o = optimize_new();
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    testutil_build(&t, NULL, "add mul 1 x0 0");
    struct optimize_options opt = {
        .max_evaluations = 50, .residuals = weighted_residuals, .ctx = &wt};
    struct optimize_result res;
    assert_int_equal(
        optimize_fit(o, &t, cols, NULL, NROWS, &opt, NULL, NULL, &res), 0);
    assert_true(fabs(t.nodes[2].value - 4) < 1e-9);
    assert_true(fabs(t.nodes[4].value + 1) < 1e-9);

    /* y = 4 x0 - 1 reaches 3; outputs above 1.5 are not finite */
    wt.bound = 1.5;
    testutil_build(&t, NULL, "add mul 1 x0 0");
    assert_int_equal(
        optimize_fit(o, &t, cols, NULL, NROWS, &opt, NULL, NULL, &res), 0);
    assert_true(res.info < 0);
    assert_true(isfinite(res.end) && res.end <= res.start);
    /* the point kept is finite everywhere */
    for (size_t k = 0; k < NROWS; k++)
        assert_true(t.nodes[2].value * data[0][k] + t.nodes[4].value <= 1.5);
    tree_release(&t);
    optimize_free(o);
}

/* max_evaluations caps lmder's residual evaluations. */
static void test_evaluation_cap(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 17, 6);
    fill(&r, -2, 2);
    for (size_t k = 0; k < NROWS; k++)
        y[k] = tanh(3 * data[0][k]) + cos(2 * data[1][k]);
    struct optimize *o = optimize_new();
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    for (int cap = 1; cap <= 8; cap++) {
        testutil_build(&t, NULL, "add tanh mul 0.1 x0 cos mul 0.5 x1");
        struct optimize_options opt = {.max_evaluations = cap};
        struct optimize_result res;
        assert_int_equal(
            optimize_fit(o, &t, cols, y, NROWS, &opt, NULL, NULL, &res), 0);
        assert_true(res.evaluations <= (cap < 2 ? 2 : cap));
        assert_true(res.end <= res.start);
    }
    tree_release(&t);
    optimize_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovers_constants),
        cmocka_unit_test(test_scaling_only),
        cmocka_unit_test(test_unidentifiable_constants_stay),
        cmocka_unit_test(test_never_worse_and_deterministic),
        cmocka_unit_test(test_nonfinite_start),
        cmocka_unit_test(test_own_residuals),
        cmocka_unit_test(test_evaluation_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
