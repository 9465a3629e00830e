/* test_infix: programs printed as infix, and numbers in shortest form. */
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
#include <stdlib.h>
#include <string.h>

#include "infix.h"
#include "prim.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"

static struct primset ps;

static int setup(void **state)
{
    (void)state;
    memset(&ps, 0, sizeof ps);
    ps.nvars = 3;
    ps.var_names[0] = "x";
    ps.var_names[1] = "height";
    ps.var_names[2] = "x_2";
    return 0;
}

/* Fills t from a prefix spec: function names, xN variables, numbers. */
static void build(struct tree *t, const char *spec)
{
    testutil_build(t, NULL, spec);
}

/* What infix_write prints for the program spec. */
static void expect(const char *spec, const char *want)
{
    struct tree t;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, spec);
    assert_int_equal(tree_check(&t, ps.nvars), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    infix_write(f, &t, &ps);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(buf, want);
    free(buf);
    tree_release(&t);
}

/* What infix_number prints for v. */
static char *number(double v, char *out, size_t cap)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    infix_number(f, v);
    assert_int_equal(fclose(f), 0);
    assert_true(len < cap);
    memcpy(out, buf, len + 1);
    free(buf);
    return out;
}

static void expect_number(double v, const char *want)
{
    char got[64];
    assert_string_equal(number(v, got, sizeof got), want);
}

static void test_each_primitive(void **state)
{
    (void)state;
    expect("add x0 x1", "(x + height)");
    expect("sub x0 x1", "(x - height)");
    expect("mul x0 x1", "(x * height)");
    expect("div x0 x1", "(x / height)");
    expect("neg x0", "(-x)");
    expect("abs x0", "abs(x)");
    expect("square x0", "(x**2)");
    expect("sqrt x0", "sqrt(abs(x))");
    expect("exp x0", "exp(x)");
    expect("log x0", "log(abs(x))");
    expect("sin x0", "sin(x)");
    expect("cos x0", "cos(x)");
    expect("tanh x0", "tanh(x)");
    expect("min x0 x1", "Min(x, height)");
    expect("max x0 x1", "Max(x, height)");
    expect("aq x0 x1", "(x / sqrt(1 + height**2))");
    expect("and x0 x1",
           "Piecewise((1, And(Ne(x, 0), Ne(height, 0))), (0, True))");
    expect("or x0 x1", "Piecewise((1, Or(Ne(x, 0), Ne(height, 0))), (0, True))");
    expect("nand x0 x1",
           "Piecewise((1, Nand(Ne(x, 0), Ne(height, 0))), (0, True))");
    expect("nor x0 x1",
           "Piecewise((1, Nor(Ne(x, 0), Ne(height, 0))), (0, True))");
    expect("not x0", "Piecewise((1, Not(Ne(x, 0))), (0, True))");
    /* if(c, a, b): the arguments in another order than the nodes'. */
    expect("if x0 x1 x2", "Piecewise((height, Ne(x, 0)), (x_2, True))");
    expect("if add x0 1 mul x1 2 sin x2",
           "Piecewise(((height * 2), Ne((x + 1), 0)), (sin(x_2), True))");
}

/* Nested, the boolean functions and if are SymPy Booleans in the
 * conditions, so that no condition holds a Piecewise. */
static void test_conditions(void **state)
{
    (void)state;
    expect("and or x0 x1 not x2",
           "Piecewise((1, And(Or(Ne(x, 0), Ne(height, 0)), Not(Ne(x_2, 0)))), "
           "(0, True))");
    expect("if if x0 x1 x2 nand x0 x1 add x2 1",
           "Piecewise((Piecewise((1, Nand(Ne(x, 0), Ne(height, 0))), (0, "
           "True)), And(Implies(Ne(x, 0), Ne(height, 0)), Or(Ne(x, 0), "
           "Ne(x_2, 0)))), ((x_2 + 1), True))");
    expect("nor if x0 and x1 x2 x0 sin x1",
           "Piecewise((1, Nor(And(Implies(Ne(x, 0), And(Ne(height, 0), "
           "Ne(x_2, 0))), Or(Ne(x, 0), Ne(x, 0))), Ne(sin(height), 0))), (0, "
           "True))");
    /* A value inside: a Piecewise in a Ne, as any other value. */
    expect("and add x0 if x1 1 2 x2",
           "Piecewise((1, And(Ne((x + Piecewise((1, Ne(height, 0)), (2, "
           "True))), 0), Ne(x_2, 0))), (0, True))");
    /* if(c, 1, 0) of a connective: its condition by Ne, so that it does
     * not read back as the connective. */
    expect("if and x0 x1 1 0",
           "Piecewise((1, Ne(Piecewise((1, And(Ne(x, 0), Ne(height, 0))), "
           "(0, True)), 0)), (0, True))");
    expect("if and x0 x1 0 1",
           "Piecewise((0, And(Ne(x, 0), Ne(height, 0))), (1, True))");
    expect("if if x0 x1 x2 1 0",
           "Piecewise((1, And(Implies(Ne(x, 0), Ne(height, 0)), Or(Ne(x, 0), "
           "Ne(x_2, 0)))), (0, True))");
}

static void test_terminals(void **state)
{
    (void)state;
    expect("x0", "x");
    expect("x1", "height");
    expect("x2", "x_2");
    expect("2.5", "2.5");
    expect("0", "0");
    expect("0.1", "0.1");
    /* Negative constants in parentheses, so no "- -" nor "**-" appears. */
    expect("-1", "(-1)");
    expect("-0.0", "(-0)");
    expect("sub x0 -1", "(x - (-1))");
    expect("square -3", "((-3)**2)");
    expect("neg -2", "(-((-2)))");
    expect("neg 2", "(-(2))");
}

static void test_nesting(void **state)
{
    (void)state;
    expect("add mul x0 2 neg x1", "((x * 2) + (-height))");
    expect("div sub x0 x2 add x1 1e-05", "((x - x_2) / (height + 1e-05))");
    expect("max min x0 x1 sin cos x2", "Max(Min(x, height), sin(cos(x_2)))");
    expect("square square neg x0", "(((-x)**2)**2)");
    expect("sqrt abs exp log tanh x1",
           "sqrt(abs(abs(exp(log(abs(tanh(height)))))))");
    expect("aq aq x0 -2 square x1", "((x / sqrt(1 + (-2)**2)) / sqrt(1 + "
                                    "(height**2)**2))");
    expect("mul add x0 x1 sub x0 x1", "((x + height) * (x - height))");
}

/* What infix_append_digits writes for spec with `digits` digits. */
static void expect_digits(const char *spec, int digits, const char *want)
{
    struct tree t;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, spec);
    struct buf b;
    buf_init(&b);
    assert_int_equal(infix_append_digits(&b, &t, &ps, digits), 0);
    assert_int_equal(buf_put(&b, "", 1), 0);
    assert_string_equal((const char *)b.data, want);
    buf_release(&b);
    tree_release(&t);
}

static void test_digits(void **state)
{
    (void)state;
    expect_digits("add x0 0.123456789", 3, "(x + 0.123)");
    expect_digits("mul -2.718281828459045 x1", 6, "((-2.71828) * height)");
    expect_digits("sub x0 1234567.5", 6, "(x - 1.23457e+06)");
    expect_digits("add x0 0.5", 6, "(x + 0.5)");
    expect_digits("add x0 100", 1, "(x + 1e+02)");
    /* 17 and 0: every digit that tells, as infix_write. */
    expect_digits("add x0 0.1", 17, "(x + 0.1)");
    expect_digits("add x0 0.30000000000000004", 0,
                  "(x + 0.30000000000000004)");
    expect_digits("add x0 0.30000000000000004", 16, "(x + 0.3)");
}

static void test_empty(void **state)
{
    (void)state;
    struct tree t;
    assert_int_equal(tree_init(&t, 1), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    infix_write(f, &t, &ps);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(len, 0);
    free(buf);
    tree_release(&t);
}

static void test_numbers(void **state)
{
    (void)state;
    expect_number(0.1, "0.1");
    expect_number(0.2, "0.2");
    expect_number(0.1 + 0.2, "0.30000000000000004");
    expect_number(1.0 / 3.0, "0.3333333333333333");
    expect_number(2.0 / 3.0, "0.6666666666666666");
    expect_number(1.0, "1");
    expect_number(123456789.0, "123456789");
    expect_number(-2.5, "-2.5");
    expect_number(0.0, "0");
    expect_number(-0.0, "-0");
    expect_number(1e21, "1e+21");
    expect_number(1e-5, "1e-05");
    expect_number(1e300, "1e+300");
    expect_number(5e-324, "5e-324");
    expect_number(DBL_MAX, "1.7976931348623157e+308");
    expect_number(DBL_MIN, "2.2250738585072014e-308");
    expect_number(9007199254740993.0, "9007199254740992");
    expect_number(3.14159265358979323846, "3.141592653589793");
    expect_number(2.71828182845904523536, "2.718281828459045");
}

/* Any double reads back the same, and one digit fewer would not. */
static void test_round_trip(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 17, 29);
    for (int n = 0; n < 20000; n++) {
        double v;
        if (n % 2) {
            uint64_t bits = (uint64_t)rng_u32(&r) << 32 | rng_u32(&r);
            memcpy(&v, &bits, sizeof v);
            if (!isfinite(v))
                continue;
        } else {
            v = rng_uniform(&r, -10, 10);
        }
        char got[64];
        number(v, got, sizeof got);
        char *end;
        double back = strtod(got, &end);
        assert_int_equal(*end, '\0');
        assert_memory_equal(&back, &v, sizeof v);
        /* The number of significant digits used, and one fewer. */
        int digits = 0;
        for (const char *c = got; *c && *c != 'e'; c++)
            digits += *c >= '0' && *c <= '9';
        /* Leading zeros of 0.000ddd are not significant. */
        const char *c = got;
        while (*c == '-' || *c == '0' || *c == '.')
            digits -= *c++ == '0';
        if (digits > 1) {
            char fewer[400];
            snprintf(fewer, sizeof fewer, "%.*g", digits - 1, v);
            assert_true(strtod(fewer, NULL) != v);
        }
    }
}

/* The definition of the text, as printf gives it: whole numbers below
 * 1e15 at %.0f, else the first of %.15g, %.16g, %.17g that reads back (of
 * %.1g to %.17g for subnormals). */
static void reference_number(double v, char *out, size_t cap)
{
    if (v == trunc(v) && fabs(v) < 1e15) {
        snprintf(out, cap, "%.0f", v);
        return;
    }
    for (int digits = fabs(v) < DBL_MIN ? 1 : 15; digits <= 17; digits++) {
        snprintf(out, cap, "%.*g", digits, v);
        if (strtod(out, NULL) == v)
            break;
    }
}

static void expect_reference(double v)
{
    char got[64], want[64];
    number(v, got, sizeof got);
    reference_number(v, want, sizeof want);
    if (strcmp(got, want) != 0)
        fail_msg("%a: printed %s, printf gives %s", v, got, want);
}

/* check(w) and check(-w) for v and its neighbours up to steps doubles
 * away on either side. */
static void around(double v, int steps, void (*check)(double))
{
    for (int step = -steps; step <= steps; step++) {
        double w = v;
        for (int s = 0; s < abs(step); s++)
            w = nextafter(w, step < 0 ? 0.0 : INFINITY);
        check(w);
        check(-w);
    }
}

/* An exact half at the 17th digit: an integer of 14 to 16 digits plus
 * sixteenths, eighths or quarters has 18 significant digits, the last a
 * 5 (123456789012345.125), which printf rounds half to even. */
static double exact_half(struct rng *r)
{
    int k = 2 + (int)rng_below(r, 3); /* quarters to sixteenths */
    double whole = floor(rng_uniform(r, 1e13, 0x1p53 / (1 << k)));
    return whole + (double)(1 + 2 * rng_below(r, 1u << (k - 1))) /
                       (double)(1 << k);
}

/* The double nearest 10^e. */
static double power_of_ten(int e)
{
    char text[16];
    snprintf(text, sizeof text, "1e%d", e);
    return strtod(text, NULL);
}

/*
 * infix_number makes its text from one printing of 17 digits; the text
 * must be printf's, byte for byte, where the digits dropped are half a
 * unit (printf rounds the exact value), where rounding carries into a new
 * digit (9.9999...), and at the edges of the exponent form.
 */
static void test_numbers_as_printf(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 5, 11);
    /* Decimals of 15 to 17 digits, their neighbours a few units of the
     * last place away, at many exponents. */
    for (int n = 0; n < 40000; n++) {
        int digits = 15 + (int)rng_below(&r, 3);
        char text[64];
        int len = 0;
        text[len++] = (char)('1' + rng_below(&r, 9));
        text[len++] = '.';
        for (int k = 1; k < digits - 2; k++)
            text[len++] = (char)('0' + rng_below(&r, 10));
        /* The last two digits: any, but a 5 in one of them half the
         * time (the 16th or 17th digit half a unit) and 99 an eighth of
         * the time (a carry). */
        char end[2] = {(char)('0' + rng_below(&r, 10)),
                       (char)('0' + rng_below(&r, 10))};
        if (rng_below(&r, 2))
            end[rng_below(&r, 2)] = '5';
        else if (rng_below(&r, 4) == 0)
            end[0] = end[1] = '9';
        text[len++] = end[0];
        text[len++] = end[1];
        snprintf(text + len, sizeof text - (size_t)len, "e%d",
                 (int)rng_below(&r, 80) - 40);
        around(strtod(text, NULL), 2, expect_reference);
    }
    /* Exact halves at the 17th digit. */
    for (int n = 0; n < 20000; n++)
        around(exact_half(&r), 0, expect_reference);
    /* Any bits, and numbers of every size. */
    for (int n = 0; n < 40000; n++) {
        uint64_t bits = (uint64_t)rng_u32(&r) << 32 | rng_u32(&r);
        double v;
        memcpy(&v, &bits, sizeof v);
        if (isfinite(v))
            expect_reference(v);
        expect_reference(rng_uniform(&r, -1, 1) *
                         pow(10.0, (double)rng_below(&r, 40) - 20));
    }
    /* Powers of ten: many are doubles of 9.99...9x, whose text carries
     * into a new digit (1e23 is 9.9999999999999992e+22). */
    for (int e = -320; e <= 308; e++)
        around(power_of_ten(e), 2, expect_reference);
    /* Where the form changes: 1e-5 and 1e15-ish, 9.99... rounding up. */
    const double edges[] = {1e-4,     1e-5,   9.9999999999999995e-5,
                            0.0001,   1e15,   999999999999999.9,
                            1e16,     1e17,   9.999999999999999e16,
                            0.99999999999999989, 9.9999999999999982,
                            123456789012345.67, 1.5e300, 2.5e-300,
                            DBL_MIN,  DBL_MAX, 5e-324, INFINITY, -INFINITY};
    for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++)
        around(edges[k], 3, expect_reference);
}

/* infix_g17 is %.17g, byte for byte. */
static void expect_g17(double v)
{
    char got[64], want[64];
    int n = infix_g17(got, sizeof got, v);
    int m = snprintf(want, sizeof want, "%.17g", v);
    if (strcmp(got, want) != 0 || n != m)
        fail_msg("%a: infix_g17 gives %s (%d), printf %s (%d)", v, got, n,
                 want, m);
}

static void test_g17(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 9, 13);
    for (int n = 0; n < 100000; n++) {
        uint64_t bits = (uint64_t)rng_u32(&r) << 32 | rng_u32(&r);
        double v;
        memcpy(&v, &bits, sizeof v);
        expect_g17(v);
        expect_g17(rng_uniform(&r, -1, 1) *
                   pow(10.0, (double)rng_below(&r, 60) - 30));
        around(exact_half(&r), 0, expect_g17);
        expect_g17((double)rng_below(&r, 100000));
    }
    for (int e = -330; e <= 310; e++)
        around(power_of_ten(e), 2, expect_g17);
    const double edges[] = {0.0, -0.0, INFINITY, -INFINITY, NAN, 1e-6,
                            0x1p127, 1e17, 99999999999999999.0, DBL_MAX,
                            DBL_MIN, 5e-324, 0.1, 1.0 / 3.0};
    for (size_t k = 0; k < sizeof edges / sizeof edges[0]; k++)
        expect_g17(edges[k]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_primitive),
        cmocka_unit_test(test_terminals),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_conditions),
        cmocka_unit_test(test_digits),
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_numbers_as_printf),
        cmocka_unit_test(test_g17),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
