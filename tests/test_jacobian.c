/* test_jacobian: exact derivatives vs finite differences; interp's bits. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "init.h"
#include "interp.h"
#include "jacobian.h"
#include "prim.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"

#define NVARS 3
#define NROWS (3 * JACOBIAN_BLOCK + 13)
#define CAP 200
#define B JACOBIAN_BLOCK

static double data[NVARS][NROWS];
static const double *cols[NVARS];
static double jac[CAP * B];

/* Same bits, or both NaN. */
static int same_value(double x, double y)
{
    return memcmp(&x, &y, sizeof x) == 0 || (isnan(x) && isnan(y));
}

/* Ordinary values in [-3, 3]: where the functions are smooth almost
 * everywhere, for the finite differences. */
static void fill_smooth(struct rng *r)
{
    for (int v = 0; v < NVARS; v++) {
        for (size_t i = 0; i < NROWS; i++)
            data[v][i] = rng_uniform(r, -3, 3);
        cols[v] = data[v];
    }
}

/* Every awkward value among ordinary ones, for the outputs' bits. */
static void fill_awkward(struct rng *r)
{
    static const double special[] = {
        0.0,       -0.0,   1.0,     -1.0,    2.0,
        0.5,       -3.25,  1e300,   -1e300,  1e-300,
        -1e-300,   5e-324, DBL_MAX, DBL_MIN, INFINITY,
        -INFINITY, NAN,    710.0,   -745.0,  3.14159265358979323846,
        1e6,       4e5,
    };
    size_t nspecial = sizeof special / sizeof special[0];
    for (int v = 0; v < NVARS; v++) {
        for (size_t i = 0; i < NROWS; i++) {
            uint32_t kind = rng_below(r, 4);
            data[v][i] = kind == 0   ? special[rng_below(r, (uint32_t)nspecial)]
                         : kind == 1 ? rng_uniform(r, -1e6, 1e6)
                                     : rng_uniform(r, -4, 4);
        }
        cols[v] = data[v];
    }
}

static void all_functions(struct primset *ps)
{
    memset(ps, 0, sizeof *ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps->funcs[ps->nfuncs++] = (uint16_t)op;
    ps->nvars = NVARS;
    ps->range_lo[0] = -2;
    ps->range_hi[0] = 2;
    ps->nranges = 1;
}

/* A random tree of ps's functions that fits CAP. */
static void random_tree(struct tree *t, const struct primset *ps, struct rng *r,
                        int max_depth)
{
    for (;;) {
        int depth = (int)rng_below(r, (uint32_t)max_depth + 1);
        enum init_method how = rng_below(r, 2) ? INIT_FULL : INIT_GROW;
        if (init_tree(t, ps, how, 0, depth, r) == 0)
            return;
    }
}

/* t's outputs on rows [row, row + n), by the interpreter. */
static void eval(struct interp *in, const struct tree *t, size_t row, size_t n,
                 double *out)
{
    memcpy(out, interp_block(in, t, cols, row, n), n * sizeof *out);
}

/* jacobian_block's outputs against interp_block's, with and without the
 * derivatives. */
static void check_outputs(struct jacobian *jc, struct interp *in,
                          const struct tree *t, size_t row, size_t n)
{
    double want[B], got[B];
    eval(in, t, row, n, want);
    for (int with = 0; with < 2; with++) {
        jacobian_block(jc, t, cols, row, n, NULL, got, with ? jac : NULL, n);
        for (size_t k = 0; k < n; k++)
            if (!same_value(got[k], want[k]))
                fail_msg("tree of %u nodes, row %zu: got %.17g, want %.17g",
                         (unsigned)t->size, row + k, got[k], want[k]);
    }
}

static void test_outputs_are_interp_bits(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 17, 1);
    fill_awkward(&r);
    struct primset ps;
    all_functions(&ps);
    ps.consts[ps.nconsts++] = 0.0;
    ps.consts[ps.nconsts++] = -1.0;
    ps.consts[ps.nconsts++] = 1e300;
    struct jacobian jc;
    struct interp in;
    struct tree t;
    assert_int_equal(jacobian_init(&jc, CAP), 0);
    assert_int_equal(interp_init(&in, CAP), 0);
    assert_int_equal(tree_init(&t, CAP), 0);
    static const size_t sizes[] = {1, 7, 20, B};
    for (int i = 0; i < 1500; i++) {
        random_tree(&t, &ps, &r, 9);
        size_t n = sizes[i % 4];
        check_outputs(&jc, &in, &t, rng_below(&r, NROWS - (uint32_t)n + 1), n);
    }
    /* the arithmetic alone: more subtrees of constants only, which the
     * interpreter computes once per block */
    ps.nfuncs = 4;
    for (int i = 0; i < 500; i++) {
        random_tree(&t, &ps, &r, 7);
        check_outputs(&jc, &in, &t, 0, B);
    }
    tree_release(&t);
    interp_release(&in);
    jacobian_release(&jc);
}

/*
 * Checks the derivatives of t on rows [row, row + n) against central
 * differences in each constant: Richardson's extrapolation of steps h and
 * h/2, so that truncation is O(h^4), with a tolerance for the rounding of
 * the outputs (eps |f| / h). A row is compared only where the two steps
 * agree to 1e-4 and the outputs are finite and moderate: a kink or a jump
 * near the point (a branch of min, max, if, abs; a boolean flipping) makes
 * them disagree. Returns the number of (row, constant) pairs compared.
 */
static size_t check_fd(struct jacobian *jc, struct interp *in, struct tree *t,
                       size_t row, size_t n, size_t *nonzero)
{
    uint32_t at[CAP];
    uint32_t nc = jacobian_constants(t, at);
    double out[B];
    jacobian_block(jc, t, cols, row, n, NULL, out, jac, B);
    size_t compared = 0;
    for (uint32_t j = 0; j < nc; j++) {
        double c = t->nodes[at[j]].value;
        double h = 1e-4 * fmax(1.0, fabs(c));
        double fp[B], fm[B], fp2[B], fm2[B];
        t->nodes[at[j]].value = c + h;
        eval(in, t, row, n, fp);
        t->nodes[at[j]].value = c - h;
        eval(in, t, row, n, fm);
        t->nodes[at[j]].value = c + h / 2;
        eval(in, t, row, n, fp2);
        t->nodes[at[j]].value = c - h / 2;
        eval(in, t, row, n, fm2);
        t->nodes[at[j]].value = c;
        for (size_t k = 0; k < n; k++) {
            double scale = fmax(fmax(fabs(fp[k]), fabs(fm[k])), fabs(out[k]));
            if (!(scale < 1e6))
                continue;
            double d1 = (fp[k] - fm[k]) / (2 * h);
            double d2 = (fp2[k] - fm2[k]) / h;
            double round = 4 * DBL_EPSILON * scale / h;
            if (!(fabs(d1 - d2) <= 1e-4 * fmax(1.0, fabs(d2)) + 4 * round))
                continue;
            double fd = (4 * d2 - d1) / 3;
            double got = jac[j * B + k];
            double tol = 1e-6 * fmax(1.0, fabs(got)) + 4 * round;
            if (!(fabs(got - fd) <= tol))
                fail_msg("tree of %u nodes, constant %u (node %u, %.17g), "
                         "row %zu: exact %.17g, differences %.17g",
                         (unsigned)t->size, (unsigned)j, (unsigned)at[j], c,
                         row + k, got, fd);
            compared++;
            *nonzero += got != 0.0;
        }
    }
    return compared;
}

/* Random trees of ps's functions; the booleans' derivatives are 0, so a
 * set without them has most derivatives nonzero. */
static void random_against_differences(const struct primset *ps, struct rng *r,
                                       int numeric)
{
    struct jacobian jc;
    struct interp in;
    struct tree t;
    assert_int_equal(jacobian_init(&jc, CAP), 0);
    assert_int_equal(interp_init(&in, CAP), 0);
    assert_int_equal(tree_init(&t, CAP), 0);
    size_t compared = 0, nonzero = 0, possible = 0;
    for (int i = 0; i < 600; i++) {
        random_tree(&t, ps, r, 6);
        size_t n = i % 3 ? 20 : B;
        size_t row = rng_below(r, NROWS - (uint32_t)n + 1);
        compared += check_fd(&jc, &in, &t, row, n, &nonzero);
        possible += jacobian_constants(&t, NULL) * n;
    }
    /* Most pairs are compared (the others sit near a kink, or overflow),
     * and, without the booleans, most derivatives are not 0. */
    if (compared < possible / 2 || (numeric && nonzero < compared / 3))
        fail_msg("%zu of %zu (row, constant) pairs compared, %zu nonzero",
                 compared, possible, nonzero);
    tree_release(&t);
    interp_release(&in);
    jacobian_release(&jc);
}

static void test_random_against_differences(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 23, 2);
    fill_smooth(&r);
    struct primset ps;
    all_functions(&ps);
    random_against_differences(&ps, &r, 0);
    ps.nfuncs = 0;
    for (int op = OP_ADD; op <= OP_MAX; op++)
        ps.funcs[ps.nfuncs++] = (uint16_t)op;
    ps.funcs[ps.nfuncs++] = OP_IF;
    random_against_differences(&ps, &r, 1);
}

/* Each function on its own, with constants in every argument, and the
 * chain through an affine argument: f(1.3 x0 + 0.2, -0.7 x1 + 0.4, ...). */
static void test_every_function(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 29, 3);
    fill_smooth(&r);
    struct jacobian jc;
    struct interp in;
    struct tree t;
    assert_int_equal(jacobian_init(&jc, CAP), 0);
    assert_int_equal(interp_init(&in, CAP), 0);
    assert_int_equal(tree_init(&t, CAP), 0);
    static const char *const args[] = {
        "add mul 1.3 x0 0.2 ", "add mul -0.7 x1 0.4 ", "add mul 0.9 x2 -0.1 "};
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        char spec[256];
        int len = snprintf(spec, sizeof spec, "%s ", prim_table[op].name);
        for (int j = 0; j < prim_arity((unsigned)op); j++)
            len +=
                snprintf(spec + len, sizeof spec - (size_t)len, "%s", args[j]);
        testutil_build(&t, NULL, spec);
        assert_int_equal(tree_check(&t, NVARS), 0);
        size_t nonzero = 0, compared = 0;
        for (size_t row = 0; row + B <= NROWS; row += B)
            compared += check_fd(&jc, &in, &t, row, B, &nonzero);
        int boolean = op >= OP_AND && op <= OP_NOR;
        /* every function is differentiable on most rows; the booleans'
         * derivatives are all 0 */
        size_t possible = 3 * B * 2 * (size_t)prim_arity((unsigned)op);
        if (compared < possible / 2)
            fail_msg("%s: %zu of %zu pairs compared", spec, compared, possible);
        if (boolean ? nonzero != 0 : nonzero < compared / 4)
            fail_msg("%s: %zu of %zu derivatives nonzero", spec, nonzero,
                     compared);
    }
    tree_release(&t);
    interp_release(&in);
    jacobian_release(&jc);
}

/* d out / d c of a one-constant tree, row 0, with x0 = x. */
static double derivative(struct jacobian *jc, struct tree *t, const char *spec,
                         double x)
{
    testutil_build(t, NULL, spec);
    assert_int_equal(jacobian_constants(t, NULL), 1);
    data[0][0] = x;
    data[1][0] = 1.0;
    double out[1];
    jacobian_block(jc, t, cols, 0, 1, NULL, out, jac, 1);
    return jac[0];
}

/* One-sided differences of a one-constant tree at row 0: right (+1) or
 * left (-1), step h. */
static double one_sided(struct interp *in, struct tree *t, int side, double h)
{
    uint32_t at;
    jacobian_constants(t, &at);
    double c = t->nodes[at].value, f0, f1;
    eval(in, t, 0, 1, &f0);
    t->nodes[at].value = c + side * h;
    eval(in, t, 0, 1, &f1);
    t->nodes[at].value = c;
    return (f1 - f0) / (side * h);
}

/* The documented choices where a function has no derivative, each the
 * one-sided derivative of the branch the function takes. */
static void test_kinks(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 31, 4);
    fill_smooth(&r);
    struct jacobian jc;
    struct interp in;
    struct tree t;
    assert_int_equal(jacobian_init(&jc, CAP), 0);
    assert_int_equal(interp_init(&in, CAP), 0);
    assert_int_equal(tree_init(&t, CAP), 0);
    double h = 1e-8;

    /* abs at 0, either sign: +1, the right-hand derivative */
    assert_true(derivative(&jc, &t, "abs 0", 0) == 1.0);
    assert_true(one_sided(&in, &t, +1, h) == 1.0);
    assert_true(derivative(&jc, &t, "abs -0", 0) == 1.0);
    assert_true(derivative(&jc, &t, "abs -2", 0) == -1.0);
    assert_true(derivative(&jc, &t, "abs sub x0 0.5", 0.5) == -1.0);

    /* min and max at a tie take b: d/da = 0, d/db = 1 */
    assert_true(derivative(&jc, &t, "min 0.5 x0", 0.5) == 0.0);
    assert_true(one_sided(&in, &t, +1, h) == 0.0);
    assert_true(derivative(&jc, &t, "min x0 0.5", 0.5) == 1.0);
    assert_true(fabs(one_sided(&in, &t, -1, h) - 1.0) < 1e-6);
    assert_true(derivative(&jc, &t, "max 0.5 x0", 0.5) == 0.0);
    assert_true(one_sided(&in, &t, -1, h) == 0.0);
    assert_true(derivative(&jc, &t, "max x0 0.5", 0.5) == 1.0);
    assert_true(fabs(one_sided(&in, &t, +1, h) - 1.0) < 1e-6);
    /* away from the tie, the branch taken */
    assert_true(derivative(&jc, &t, "min 0.25 x0", 0.5) == 1.0);
    assert_true(derivative(&jc, &t, "max 0.25 x0", 0.5) == 0.0);

    /* if: the branch taken; 0 for the condition */
    assert_true(derivative(&jc, &t, "if 0.5 x0 x1", 2.0) == 0.0);
    assert_true(derivative(&jc, &t, "if x0 mul 3 x1 x1", 2.0) == 1.0);
    assert_true(derivative(&jc, &t, "if x0 mul 3 x1 x1", 0.0) == 0.0);
    assert_true(derivative(&jc, &t, "if x0 x1 mul 3 x1", 0.0) == 1.0);
    assert_true(derivative(&jc, &t, "if x0 x1 mul 3 x1", -0.0) == 1.0);

    /* sqrt(|a|), log(|a|) and a / b at their poles: 0 */
    assert_true(derivative(&jc, &t, "sqrt 0", 0) == 0.0);
    assert_true(derivative(&jc, &t, "sqrt sub x0 1", 1.0) == 0.0);
    assert_true(derivative(&jc, &t, "log 0", 0) == 0.0);
    assert_true(derivative(&jc, &t, "div x0 0", 3.0) == 0.0);
    assert_true(derivative(&jc, &t, "div 0 x0", 0.0) == 0.0);
    /* and their signs either side */
    assert_true(derivative(&jc, &t, "sqrt -4", 0) == -0.25);
    assert_true(derivative(&jc, &t, "log -4", 0) == -0.25);

    /* a branch not taken, or a boolean's argument, that overflowed: 0, not
     * NaN (0 times an infinite local derivative) */
    assert_true(derivative(&jc, &t, "min x1 exp mul 1000 x0", 1.0) == 0.0);
    assert_true(derivative(&jc, &t, "not exp mul 1000 x0", 1.0) == 0.0);
    assert_true(derivative(&jc, &t, "if x1 x1 exp mul 1000 x0", 1.0) == 0.0);

    /* the booleans: 0 */
    assert_true(derivative(&jc, &t, "and 0.5 x0", 1.0) == 0.0);
    assert_true(derivative(&jc, &t, "not 0", 1.0) == 0.0);

    /* a plug-in's symbol: NaN (and so is its value) */
    t.size = 0;
    t.nodes[t.size++] = (struct node){.op = (uint16_t)prim_symbol_op(1, 0)};
    t.nodes[t.size++] = (struct node){.op = OP_CONST, .value = 1.0};
    tree_set_shape(&t);
    double out[1];
    jacobian_block(&jc, &t, cols, 0, 1, NULL, out, jac, 1);
    assert_true(isnan(out[0]) && isnan(jac[0]));
    /* and one without arguments */
    t.size = 0;
    t.nodes[t.size++] = (struct node){.op = OP_MUL};
    t.nodes[t.size++] = (struct node){.op = (uint16_t)prim_symbol_op(0, 0)};
    t.nodes[t.size++] = (struct node){.op = OP_CONST, .value = 1.0};
    tree_set_shape(&t);
    jacobian_block(&jc, &t, cols, 0, 1, NULL, out, jac, 1);
    assert_true(isnan(out[0]) && isnan(jac[0]));

    tree_release(&t);
    interp_release(&in);
    jacobian_release(&jc);
}

/* The seed scales every column row by row (to rounding: it enters at the
 * root, so the products are made in another order); the columns go ld
 * apart; a
 * block gives the rows it is asked for whatever came before; linear
 * scaling's columns. */
static void test_seed_and_layout(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 37, 5);
    fill_smooth(&r);
    struct jacobian jc;
    struct tree t;
    assert_int_equal(jacobian_init(&jc, CAP), 0);
    assert_int_equal(tree_init(&t, CAP), 0);
    testutil_build(&t, NULL, "add mul 2.5 square x0 sin mul 0.3 add x1 -1.5");
    assert_int_equal(jacobian_constants(&t, NULL), 3);
    size_t n = 37, ld = 50;
    double plain[3 * 50], seeded[3 * 50], seed[B], out[B], out2[B];
    for (size_t k = 0; k < n; k++)
        seed[k] = rng_uniform(&r, -2, 2);
    jacobian_block(&jc, &t, cols, 11, n, NULL, out, plain, ld);
    jacobian_block(&jc, &t, cols, 11, n, seed, out2, seeded, ld);
    assert_memory_equal(out, out2, n * sizeof *out);
    for (size_t j = 0; j < 3; j++)
        for (size_t k = 0; k < n; k++)
            assert_true(
                fabs(seeded[j * ld + k] - seed[k] * plain[j * ld + k]) <=
                4 * DBL_EPSILON * fabs(seed[k] * plain[j * ld + k]));
    /* by hand: d/d2.5 = x0^2; d/d0.3 = cos(0.3 (x1 - 1.5)) (x1 - 1.5) */
    for (size_t k = 0; k < n; k++) {
        double x0 = data[0][11 + k], u = data[1][11 + k] + -1.5;
        assert_true(plain[k] == x0 * x0);
        assert_true(fabs(plain[ld + k] - cos(0.3 * u) * u) < 1e-15);
    }
    double ca[B], cb[B];
    jacobian_scaling(out, n, ca, cb);
    for (size_t k = 0; k < n; k++)
        assert_true(ca[k] == 1.0 && cb[k] == out[k]);
    /* no constants: nothing written */
    testutil_build(&t, NULL, "mul x0 x1");
    jac[0] = 42;
    jacobian_block(&jc, &t, cols, 0, n, NULL, out, jac, n);
    assert_true(jac[0] == 42);
    tree_release(&t);
    jacobian_release(&jc);

    struct jacobian z;
    memset(&z, 0, sizeof z);
    jacobian_release(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outputs_are_interp_bits),
        cmocka_unit_test(test_random_against_differences),
        cmocka_unit_test(test_every_function),
        cmocka_unit_test(test_kinks),
        cmocka_unit_test(test_seed_and_layout),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
