/* test_simplify: folded constants, removed identities, and the check. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "infix.h"
#include "init.h"
#include "interp.h"
#include "prim.h"
#include "rng.h"
#include "simplify.h"
#include "testutil.h"
#include "tree.h"

#define NVARS 2
#define NROWS 300
#define CAP 512

static struct primset ps;
static double data[NVARS][NROWS];
static const double *cols[NVARS];

/* Rows of ordinary values, with zeros, ones and a few large ones. */
static void fill_data(struct rng *r, int awkward)
{
    static const double special[] = {0.0, 1.0, -1.0, 2.0, 1e300, -0.0};
    for (int v = 0; v < NVARS; v++) {
        for (size_t i = 0; i < NROWS; i++) {
            uint32_t kind = rng_below(r, 5);
            data[v][i] = kind == 0 && awkward ? special[rng_below(r, 6)]
                                              : rng_uniform(r, -4, 4);
        }
        cols[v] = data[v];
    }
}

static int setup(void **state)
{
    (void)state;
    memset(&ps, 0, sizeof ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps.funcs[ps.nfuncs++] = (uint16_t)op;
    ps.nvars = NVARS;
    ps.var_names[0] = "x";
    ps.var_names[1] = "y";
    ps.consts[ps.nconsts++] = 0.0;
    ps.consts[ps.nconsts++] = 1.0;
    ps.consts[ps.nconsts++] = -1.0;
    ps.range_lo[0] = -2;
    ps.range_hi[0] = 2;
    ps.nranges = 1;
    return 0;
}

static char *print(const struct tree *t)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    infix_write(f, t, &ps);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Simplifies the program of prefix spec (with the rows, or without) and
 * checks what it prints. */
static void expect(const char *spec, int with_rows, const char *want)
{
    struct tree t, s;
    assert_int_equal(tree_init(&t, 64), 0);
    assert_int_equal(tree_init(&s, 64), 0);
    testutil_build(&t, &ps, spec);
    int rc = simplify_tree(&s, &t, cols, with_rows ? NROWS : 0);
    assert_true(rc == 0 || rc == 1);
    testutil_check_spans(&s);
    char *got = print(&s);
    if (strcmp(got, want) != 0)
        fail_msg("%s%s: want %s, got %s", spec, with_rows ? " (rows)" : "",
                 want, got);
    char *orig = print(&t);
    assert_int_equal(rc, strcmp(orig, got) != 0);
    free(orig);
    free(got);
    tree_release(&s);
    tree_release(&t);
}

static void test_folding(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 1, 1);
    fill_data(&r, 0);
    expect("mul 2 3", 0, "6");
    expect("add x mul 0.5 4", 0, "(x + 2)");
    expect("sin 0", 0, "0");
    expect("div 1 4", 0, "0.25");
    expect("aq 3 0", 0, "3");
    expect("if 0 x y", 0, "y");
    expect("if -2 x y", 0, "x");
    expect("and x 0", 0, "0");
    expect("or 3 x", 0, "1");
    expect("min 1 2", 0, "1");
    /* exactly interp_apply's value: vmath's log, not libm's */
    char want[64];
    snprintf(want, sizeof want, "%.17g", interp_apply(OP_LOG, 3.0, 0.0));
    struct tree t, s;
    assert_int_equal(tree_init(&t, 8), 0);
    assert_int_equal(tree_init(&s, 8), 0);
    testutil_build(&t, &ps, "log 3");
    assert_int_equal(simplify_tree(&s, &t, cols, 0), 1);
    assert_int_equal(s.size, 1);
    assert_memory_equal(&s.nodes[0].value,
                        &(double){interp_apply(OP_LOG, 3.0, 0.0)},
                        sizeof(double));
    tree_release(&s);
    tree_release(&t);
    /* Not finite: kept as it is. */
    expect("log 0", 0, "log(abs(0))");
    expect("div 1 0", 0, "(1 / 0)");
    expect("exp 1000", 0, "exp(1000)");
}

static void test_identities(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 2, 2);
    fill_data(&r, 0);
    expect("add x 0", 0, "x");
    expect("add 0 x", 0, "x");
    expect("sub x 0", 0, "x");
    expect("sub 0 x", 0, "(-x)");
    expect("mul x 1", 0, "x");
    expect("mul 1 x", 0, "x");
    expect("mul x -1", 0, "(-x)");
    expect("div x 1", 0, "x");
    expect("div x -1", 0, "(-x)");
    expect("neg neg x", 0, "x");
    expect("abs abs x", 0, "abs(x)");
    expect("abs neg x", 0, "abs(x)");
    expect("abs square x", 0, "(x**2)");
    expect("sqrt neg x", 0, "sqrt(abs(x))");
    expect("log abs x", 0, "log(abs(x))");
    expect("square neg x", 0, "(x**2)");
    expect("mul x x", 0, "(x**2)");
    expect("min sin x sin x", 0, "sin(x)");
    expect("if x y y", 0, "y");
    expect("add x -2", 0, "(x - 2)");
    expect("sub x -2", 0, "(x + 2)");
    expect("add x neg y", 0, "(x - y)");
    expect("sub x neg y", 0, "(x + y)");
    expect("add neg x y", 0, "(y - x)");
    /* Nested: constants meet after identities go. */
    expect("add mul x 1 mul 0.5 add 1 1", 0, "(x + 1)");
    expect("mul add x 0 sub 3 2", 0, "x");
    /* Those that hold for finite x only: with rows alone. */
    expect("sub x x", 0, "(x - x)");
    expect("sub x x", 1, "0");
    expect("div sin x sin x", 1, "1");
    expect("mul x 0", 0, "(x * 0)");
    expect("mul x 0", 1, "0");
    expect("add y sub x x", 1, "y");
    /* Plug-in symbols and variables stay. */
    expect("x", 1, "x");
}

/* The check: x / x is 1 but where x is 0, so with a zero among the rows
 * the rewrite is refused, and the exact ones alone are kept. */
static void test_check_refuses(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 3, 3);
    fill_data(&r, 0);
    expect("div x x", 1, "1");
    data[0][17] = 0.0;
    expect("div x x", 1, "(x / x)");
    expect("add div x x mul y 1", 1, "((x / x) + y)");
    /* NaN swallowed by a boolean: not(0 * inf) is 0, not(0) 1. */
    data[0][17] = INFINITY;
    expect("not mul x 0", 1, "Piecewise((1, Not(Ne((x * 0), 0))), (0, True))");
}

/* Whether the simplified program agrees with t on the rows (NaN with
 * NaN, infinities equal, finite values to the tolerance); with
 * finite_only, only on the rows where t's value is finite. */
static void check_agrees(const struct tree *t, const struct tree *s,
                         int finite_only)
{
    struct interp a, b;
    assert_int_equal(interp_init(&a, CAP), 0);
    assert_int_equal(interp_init(&b, CAP), 0);
    for (size_t row = 0; row < NROWS; row += INTERP_BLOCK) {
        size_t n = NROWS - row < INTERP_BLOCK ? NROWS - row : INTERP_BLOCK;
        const double *va = interp_block(&a, t, cols, row, n);
        const double *vb = interp_block(&b, s, cols, row, n);
        for (size_t k = 0; k < n; k++) {
            double x = va[k], y = vb[k];
            if (finite_only && !isfinite(x))
                continue;
            int ok = (isnan(x) && isnan(y)) || x == y ||
                     (isfinite(x) && isfinite(y) &&
                      fabs(x - y) <= 1e-9 * fmax(fabs(x), fabs(y)));
            if (!ok) {
                char *p = print(t), *q = print(s);
                fail_msg("row %zu: %s gives %.17g, simplified %s %.17g",
                         row + k, p, x, q, y);
            }
        }
    }
    interp_release(&a);
    interp_release(&b);
}

/* Random programs of every function over awkward data: the simplified
 * program is well formed, no larger, and agrees on the rows. */
static void test_random(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 2026, 7);
    fill_data(&r, 1);
    struct tree t, s;
    assert_int_equal(tree_init(&t, CAP), 0);
    assert_int_equal(tree_init(&s, CAP), 0);
    int changed = 0;
    for (int done = 0; done < 3000;) {
        int depth = 1 + (int)rng_below(&r, 7);
        if (init_tree(&t, &ps, rng_below(&r, 2) ? INIT_FULL : INIT_GROW, 0,
                      depth, &r) < 0)
            continue;
        done++;
        int rc = simplify_tree(&s, &t, cols, NROWS);
        assert_true(rc == 0 || rc == 1);
        changed += rc;
        assert_int_equal(tree_check(&s, NVARS), 0);
        testutil_check_spans(&s);
        assert_true(s.size <= t.size);
        check_agrees(&t, &s, 0);
    }
    /* Most random programs hold something to simplify. */
    assert_true(changed > 1000);
    tree_release(&s);
    tree_release(&t);
}

/* Without rows, only the rewrites that hold for every double: on
 * functions that make no infinity of finite values, the simplified
 * program gives the same values wherever the original's are finite. */
static void test_random_without_rows(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 2027, 8);
    fill_data(&r, 0);
    struct primset saved = ps;
    static const uint16_t safe[] = {OP_ADD,  OP_SUB, OP_MUL, OP_NEG,
                                    OP_ABS,  OP_SQUARE, OP_SQRT, OP_SIN,
                                    OP_COS,  OP_TANH, OP_MIN, OP_MAX,
                                    OP_AND,  OP_OR,  OP_NOT, OP_IF};
    ps.nfuncs = 0;
    for (size_t k = 0; k < sizeof safe / sizeof safe[0]; k++)
        ps.funcs[ps.nfuncs++] = safe[k];
    struct tree t, s;
    assert_int_equal(tree_init(&t, CAP), 0);
    assert_int_equal(tree_init(&s, CAP), 0);
    for (int done = 0; done < 2000;) {
        if (init_tree(&t, &ps, INIT_GROW, 0, 1 + (int)rng_below(&r, 6),
                      &r) < 0)
            continue;
        done++;
        assert_true(simplify_tree(&s, &t, cols, 0) >= 0);
        assert_int_equal(tree_check(&s, NVARS), 0);
        assert_true(s.size <= t.size);
        check_agrees(&t, &s, 1);
    }
    ps = saved;
    tree_release(&s);
    tree_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_folding),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_check_refuses),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_random_without_rows),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
