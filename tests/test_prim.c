/* test_prim: the primitive table, set parsing and the protection table. */
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
#include <string.h>

#include "interp.h"
#include "prim.h"

/* What a list with an empty item is told (strtok would skip the item). */
#define EMPTY_ITEM                                                             \
    "an empty item in the list (two commas in a row, or one at an end)"

#define PI 3.14159265358979323846
#define E 2.71828182845904523536
#define RANGE_MSG "expected a range LO..HI with LO < HI (and HI - LO finite)"

/* Exact equality of doubles, bits included (so -0 differs from 0). */
#define assert_double_bits(got, want)                                          \
    do {                                                                       \
        double got_ = (got), want_ = (want);                                   \
        if (memcmp(&got_, &want_, sizeof got_) != 0)                           \
            fail_msg("%s: got %.17g, want %.17g", #got, got_, want_);          \
    } while (0)

static void test_table(void **state)
{
    (void)state;
    assert_int_equal(prim_arity(OP_VAR), 0);
    assert_int_equal(prim_arity(OP_CONST), 0);
    for (int op = 0; op < OP_COUNT; op++) {
        assert_non_null(prim_table[op].name);
        assert_non_null(prim_table[op].protection);
        int arity = prim_arity((unsigned)op);
        if (op >= OP_ADD) {
            assert_in_range(arity, 1, op == OP_IF ? 3 : 2);
        }
        /* Only binary functions print as infix operators. */
        if (prim_table[op].infix)
            assert_int_equal(arity, 2);
    }
    static const struct {
        int op, arity;
        const char *name;
    } want[] = {
        {OP_ADD, 2, "add"},       {OP_SUB, 2, "sub"},   {OP_MUL, 2, "mul"},
        {OP_DIV, 2, "div"},       {OP_NEG, 1, "neg"},   {OP_ABS, 1, "abs"},
        {OP_SQUARE, 1, "square"}, {OP_SQRT, 1, "sqrt"}, {OP_EXP, 1, "exp"},
        {OP_LOG, 1, "log"},       {OP_SIN, 1, "sin"},   {OP_COS, 1, "cos"},
        {OP_TANH, 1, "tanh"},     {OP_MIN, 2, "min"},   {OP_MAX, 2, "max"},
        {OP_AND, 2, "and"},       {OP_OR, 2, "or"},     {OP_NOT, 1, "not"},
        {OP_NAND, 2, "nand"},     {OP_NOR, 2, "nor"},   {OP_IF, 3, "if"},
        {OP_AQ, 2, "aq"},
    };
    assert_int_equal(sizeof want / sizeof want[0], OP_COUNT - OP_ADD);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_string_equal(prim_table[want[i].op].name, want[i].name);
        assert_int_equal(prim_arity((unsigned)want[i].op), want[i].arity);
    }
    /* The opcodes are part of the checkpoint format. */
    assert_int_equal(OP_VAR, 0);
    assert_int_equal(OP_CONST, 1);
    assert_int_equal(OP_ADD, 2);
    assert_int_equal(OP_MAX, 16);
    assert_int_equal(OP_AQ, 23);
    /* A printed form names each argument once. */
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        const char *form = prim_table[op].printed;
        if (!form)
            continue;
        for (int a = 1; a <= 3; a++) {
            char mark[3] = {'%', (char)('0' + a), '\0'};
            const char *at = strstr(form, mark);
            if (a <= prim_arity((unsigned)op)) {
                assert_non_null(at);
                assert_null(strstr(at + 2, mark));
            } else {
                assert_null(at);
            }
        }
    }
}

/* prim_is_function agrees with prim_arity on every known opcode. */
static void test_is_function(void **state)
{
    (void)state;
    int known = 0;
    for (unsigned op = 0; op < 65536; op++)
        if (prim_known(op)) {
            assert_int_equal(prim_is_function(op), prim_arity(op) > 0);
            known++;
        }
    assert_int_equal(known, OP_COUNT + (PRIM_MAX_ARITY + 1) * PRIM_MAX_SYMBOLS);
}

static void test_lookup(void **state)
{
    (void)state;
    for (int op = OP_ADD; op < OP_COUNT; op++)
        assert_int_equal(prim_lookup(prim_table[op].name), op);
    /* Terminals are not functions; names are case-sensitive and whole. */
    assert_int_equal(prim_lookup("<var>"), -1);
    assert_int_equal(prim_lookup("<const>"), -1);
    assert_int_equal(prim_lookup(""), -1);
    assert_int_equal(prim_lookup("ADD"), -1);
    assert_int_equal(prim_lookup("ad"), -1);
    assert_int_equal(prim_lookup("add "), -1);
    assert_int_equal(prim_lookup("pow"), -1);
}

static void test_parse_functions(void **state)
{
    (void)state;
    struct primset ps;
    struct error err;
    memset(&ps, 0, sizeof ps);
    assert_int_equal(prim_parse_functions(&ps, "add, sub ,mul,\tdiv", &err), 0);
    assert_int_equal(ps.nfuncs, 4);
    assert_int_equal(ps.funcs[0], OP_ADD);
    assert_int_equal(ps.funcs[1], OP_SUB);
    assert_int_equal(ps.funcs[2], OP_MUL);
    assert_int_equal(ps.funcs[3], OP_DIV);

    /* A second list adds to the first; order is kept. */
    assert_int_equal(prim_parse_functions(&ps, "max,sin", &err), 0);
    assert_int_equal(ps.nfuncs, 6);
    assert_int_equal(ps.funcs[4], OP_MAX);
    assert_int_equal(ps.funcs[5], OP_SIN);

    /* Every function at once. */
    memset(&ps, 0, sizeof ps);
    char all[256] = "";
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        if (op > OP_ADD)
            strcat(all, ", ");
        strcat(all, prim_table[op].name);
    }
    assert_int_equal(prim_parse_functions(&ps, all, &err), 0);
    assert_int_equal(ps.nfuncs, OP_COUNT - OP_ADD);
    for (int i = 0; i < ps.nfuncs; i++)
        assert_int_equal(ps.funcs[i], OP_ADD + i);
}

static void expect_functions_error(const char *list, const char *msg)
{
    struct primset ps;
    struct error err;
    memset(&ps, 0, sizeof ps);
    memset(&err, 0, sizeof err);
    assert_int_equal(prim_parse_functions(&ps, list, &err), -1);
    assert_string_equal(err.msg, msg);
}

static void test_parse_functions_errors(void **state)
{
    (void)state;
    expect_functions_error("add, divv", "unknown function 'divv'; did you "
                                        "mean 'div'?");
    expect_functions_error("ADD", "unknown function 'ADD'; did you mean "
                                  "'add'?");
    expect_functions_error("add, frobnicate",
                           "unknown function 'frobnicate' (see: forkgp help "
                           "functions)");
    expect_functions_error("<var>", "unknown function '<var>' (see: forkgp "
                                    "help functions)");
    expect_functions_error("add, sub, add", "function 'add' listed twice");
    expect_functions_error("", "no functions given");
    expect_functions_error(",", EMPTY_ITEM);
    expect_functions_error("add, ,sub", EMPTY_ITEM);
    expect_functions_error("add,,sub", EMPTY_ITEM);
    expect_functions_error("add, sub,", EMPTY_ITEM);
}

static void test_parse_constants(void **state)
{
    (void)state;
    struct primset ps;
    struct error err;
    memset(&ps, 0, sizeof ps);
    assert_int_equal(prim_parse_constants(&ps, "1, -2.5, pi, e, 1e3", &err), 0);
    assert_int_equal(ps.nconsts, 5);
    assert_int_equal(ps.nranges, 0);
    assert_double_bits(ps.consts[0], 1.0);
    assert_double_bits(ps.consts[1], -2.5);
    assert_double_bits(ps.consts[2], PI);
    assert_double_bits(ps.consts[3], E);
    assert_double_bits(ps.consts[4], 1000.0);

    ps.nvars = 3;
    assert_int_equal(
        prim_parse_constants(&ps, "-1..1, 0 .. pi, -3..-1, 2", &err), 0);
    assert_int_equal(ps.nconsts, 1);
    assert_double_bits(ps.consts[0], 2.0);
    assert_int_equal(ps.nranges, 3);
    assert_double_bits(ps.range_lo[0], -1.0);
    assert_double_bits(ps.range_hi[0], 1.0);
    assert_double_bits(ps.range_lo[1], 0.0);
    assert_double_bits(ps.range_hi[1], PI);
    assert_double_bits(ps.range_lo[2], -3.0);
    assert_double_bits(ps.range_hi[2], -1.0);
    assert_int_equal(primset_nterminals(&ps), 3 + 1 + 3);

    /* An empty spec: no constants, whatever was there. */
    assert_int_equal(prim_parse_constants(&ps, "", &err), 0);
    assert_int_equal(ps.nconsts, 0);
    assert_int_equal(ps.nranges, 0);
    assert_int_equal(primset_nterminals(&ps), 3);
    assert_int_equal(prim_parse_constants(&ps, "1", &err), 0);
    assert_int_equal(prim_parse_constants(&ps, "  \t ", &err), 0);
    assert_int_equal(ps.nconsts, 0);
    assert_int_equal(ps.nranges, 0);

    /* Exactly the limit is fine. */
    char spec[1024] = "";
    for (int i = 0; i < PRIM_MAX_CONSTS; i++) {
        char item[16];
        snprintf(item, sizeof item, "%s%d", i ? "," : "", i);
        strcat(spec, item);
    }
    assert_int_equal(prim_parse_constants(&ps, spec, &err), 0);
    assert_int_equal(ps.nconsts, PRIM_MAX_CONSTS);
    assert_double_bits(ps.consts[PRIM_MAX_CONSTS - 1],
                       (double)(PRIM_MAX_CONSTS - 1));
    strcat(spec, ",0..1");
    assert_int_equal(prim_parse_constants(&ps, spec, &err), -1);
    assert_string_equal(err.msg, "more than 64 constants and ranges");
}

static void expect_constants_error(const char *spec, const char *msg)
{
    struct primset ps;
    struct error err;
    memset(&ps, 0, sizeof ps);
    memset(&err, 0, sizeof err);
    assert_int_equal(prim_parse_constants(&ps, spec, &err), -1);
    assert_string_equal(err.msg, msg);
}

static void test_parse_constants_errors(void **state)
{
    (void)state;
    expect_constants_error("1,,2", EMPTY_ITEM);
    expect_constants_error("1, 2,", EMPTY_ITEM);
    expect_constants_error("1, two", "expected a number, pi, e or a range "
                                     "LO..HI, got 'two'");
    expect_constants_error("inf", "expected a number, pi, e or a range "
                                  "LO..HI, got 'inf'");
    expect_constants_error("nan", "expected a number, pi, e or a range "
                                  "LO..HI, got 'nan'");
    expect_constants_error("1e999", "expected a number, pi, e or a range "
                                    "LO..HI, got '1e999'");
    expect_constants_error("PI", "expected a number, pi, e or a range "
                                 "LO..HI, got 'PI'");
    expect_constants_error("1..1", RANGE_MSG ", got '1..1'");
    expect_constants_error("2 .. 1", RANGE_MSG ", got '2..1'");
    expect_constants_error("..1", RANGE_MSG ", got '..1'");
    expect_constants_error("0..x", RANGE_MSG ", got '0..x'");
    expect_constants_error("0..inf", RANGE_MSG ", got '0..inf'");
    /* Both ends finite, HI - LO not: a draw lo + u * (hi - lo) would give
     * inf or NaN. */
    expect_constants_error("-1e308..1e308", RANGE_MSG ", got '-1e308..1e308'");
    expect_constants_error("1, -1.7976931348623157e308 .. "
                           "1.7976931348623157e308",
                           RANGE_MSG ", got '-1.7976931348623157e308.."
                                     "1.7976931348623157e308'");
    expect_constants_error("-9e307..9e307", RANGE_MSG ", got '-9e307..9e307'");

    /* Wide spans that stay finite are fine. */
    struct primset ps;
    struct error err;
    memset(&ps, 0, sizeof ps);
    assert_int_equal(prim_parse_constants(&ps,
                                          "-1e308..7e307, "
                                          "0..1.7976931348623157e308, "
                                          "-1.7976931348623157e308..0",
                                          &err),
                     0);
    assert_int_equal(ps.nranges, 3);
    assert_double_bits(ps.range_lo[0], -1e308);
    assert_double_bits(ps.range_hi[0], 7e307);
    assert_double_bits(ps.range_hi[1], 1.7976931348623157e308);
    assert_double_bits(ps.range_lo[2], -1.7976931348623157e308);
    for (int i = 0; i < ps.nranges; i++)
        assert_true(isfinite(ps.range_hi[i] - ps.range_lo[i]));
}

/* Each primitive's value on plain and on undefined arguments. */
static void test_protection(void **state)
{
    (void)state;
    const double inf = INFINITY;

    assert_double_bits(interp_apply(OP_ADD, 2, 3), 5);
    assert_double_bits(interp_apply(OP_ADD, 1e308, 1e308), inf);
    assert_double_bits(interp_apply(OP_SUB, 2, 3), -1);
    assert_double_bits(interp_apply(OP_SUB, -1e308, 1e308), -inf);
    assert_double_bits(interp_apply(OP_MUL, 2, -3), -6);
    assert_double_bits(interp_apply(OP_MUL, 1e200, 1e200), inf);

    assert_double_bits(interp_apply(OP_DIV, 6, 3), 2);
    assert_double_bits(interp_apply(OP_DIV, 1, 4), 0.25);
    /* IEEE's quotient: by zero, inf or NaN (the program is invalid). */
    assert_double_bits(interp_apply(OP_DIV, 5, 0), inf);
    assert_double_bits(interp_apply(OP_DIV, -5, 0), -inf);
    assert_double_bits(interp_apply(OP_DIV, 5, -0.0), -inf);
    assert_true(isnan(interp_apply(OP_DIV, 0, 0)));
    assert_double_bits(interp_apply(OP_DIV, inf, 0), inf);
    assert_double_bits(interp_apply(OP_DIV, 1e300, 1e-300), inf);
    assert_double_bits(interp_apply(OP_DIV, 1, 5e-324), inf);
    assert_true(isnan(interp_apply(OP_DIV, inf, inf)));
    assert_true(isnan(interp_apply(OP_DIV, 1, NAN)));

    /* The analytic quotient: a / sqrt(1 + b^2), never by 0. */
    assert_double_bits(interp_apply(OP_AQ, 6, 0), 6);
    assert_double_bits(interp_apply(OP_AQ, 6, -0.0), 6);
    assert_double_bits(interp_apply(OP_AQ, 3, 1), 3 / sqrt(2.0));
    assert_double_bits(interp_apply(OP_AQ, 3, -1), 3 / sqrt(2.0));
    assert_double_bits(interp_apply(OP_AQ, 1, 1e200), 0);
    assert_double_bits(interp_apply(OP_AQ, -1, inf), -0.0);
    assert_double_bits(interp_apply(OP_AQ, inf, 1), inf);
    assert_true(isnan(interp_apply(OP_AQ, inf, inf)));
    assert_true(isnan(interp_apply(OP_AQ, 1, NAN)));

    assert_double_bits(interp_apply(OP_NEG, 2, 0), -2);
    assert_double_bits(interp_apply(OP_NEG, 0, 0), -0.0);
    assert_double_bits(interp_apply(OP_ABS, -2.5, 0), 2.5);
    assert_double_bits(interp_apply(OP_ABS, -0.0, 0), 0.0);
    assert_double_bits(interp_apply(OP_SQUARE, -3, 0), 9);
    assert_double_bits(interp_apply(OP_SQUARE, 1e200, 0), inf);

    assert_double_bits(interp_apply(OP_SQRT, 4, 0), 2);
    assert_double_bits(interp_apply(OP_SQRT, -4, 0), 2);
    assert_double_bits(interp_apply(OP_SQRT, 0, 0), 0);
    assert_double_bits(interp_apply(OP_SQRT, -0.0, 0), 0);
    assert_double_bits(interp_apply(OP_SQRT, -inf, 0), inf);

    assert_double_bits(interp_apply(OP_EXP, 0, 0), 1);
    assert_double_bits(interp_apply(OP_EXP, 1000, 0), inf);
    assert_double_bits(interp_apply(OP_EXP, 710, 0), inf);
    assert_true(isfinite(interp_apply(OP_EXP, 709, 0)));
    assert_double_bits(interp_apply(OP_EXP, -1000, 0), 0);

    assert_double_bits(interp_apply(OP_LOG, 1, 0), 0);
    /* log(abs(a)), as NumPy computes it: -inf at 0. */
    assert_double_bits(interp_apply(OP_LOG, 0, 0), -inf);
    assert_double_bits(interp_apply(OP_LOG, -0.0, 0), -inf);
    assert_double_bits(interp_apply(OP_LOG, E, 0), 1);
    assert_double_bits(interp_apply(OP_LOG, -E, 0), 1);
    assert_double_bits(interp_apply(OP_LOG, -1, 0), 0);
    assert_double_bits(interp_apply(OP_LOG, 5e-324, 0), log(5e-324));
    assert_double_bits(interp_apply(OP_LOG, -inf, 0), inf);
    assert_true(isnan(interp_apply(OP_LOG, NAN, 0)));

    assert_double_bits(interp_apply(OP_SIN, 0, 0), 0);
    assert_double_bits(interp_apply(OP_SIN, PI / 2, 0), 1);
    assert_true(isnan(interp_apply(OP_SIN, inf, 0)));
    assert_double_bits(interp_apply(OP_COS, 0, 0), 1);
    assert_true(isnan(interp_apply(OP_COS, -inf, 0)));
    assert_double_bits(interp_apply(OP_TANH, 0, 0), 0);
    assert_double_bits(interp_apply(OP_TANH, 1000, 0), 1);
    assert_double_bits(interp_apply(OP_TANH, -inf, 0), -1);

    assert_double_bits(interp_apply(OP_MIN, 1, 2), 1);
    assert_double_bits(interp_apply(OP_MIN, 2, 1), 1);
    assert_double_bits(interp_apply(OP_MAX, 1, 2), 2);
    assert_double_bits(interp_apply(OP_MAX, 2, 1), 2);
    /* NaN when either argument is NaN, as NumPy's amin and amax. */
    assert_true(isnan(interp_apply(OP_MIN, NAN, 1)));
    assert_true(isnan(interp_apply(OP_MAX, NAN, 1)));
    assert_true(isnan(interp_apply(OP_MIN, 1, NAN)));
    assert_true(isnan(interp_apply(OP_MAX, 1, NAN)));
    assert_true(isnan(interp_apply(OP_MIN, NAN, -inf)));
    assert_true(isnan(interp_apply(OP_MAX, inf, NAN)));
    /* Equal: b (so min(0, -0) is -0 and min(-0, 0) is 0). */
    assert_double_bits(interp_apply(OP_MIN, 0.0, -0.0), -0.0);
    assert_double_bits(interp_apply(OP_MIN, -0.0, 0.0), 0.0);
    assert_double_bits(interp_apply(OP_MAX, -inf, inf), inf);
    assert_double_bits(interp_apply(OP_MIN, -inf, inf), -inf);

    /* Terminals and unknown opcodes have no value. */
    assert_true(isnan(interp_apply(OP_VAR, 1, 1)));
    assert_true(isnan(interp_apply(OP_CONST, 1, 1)));
    assert_true(isnan(interp_apply(OP_COUNT, 1, 1)));

    /* NaN goes through every arithmetic function, in either argument. */
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        if (op >= OP_AND && op <= OP_IF)
            continue;
        assert_true(isnan(interp_apply((unsigned)op, NAN, 1)));
        if (prim_arity((unsigned)op) == 2)
            assert_true(isnan(interp_apply((unsigned)op, 1, NAN)));
    }
    assert_true(isnan(interp_apply(OP_DIV, NAN, 0)));

    /* Booleans: 0 is false, anything else (NaN too) true; results 0/1. */
    static const double tv[] = {0.0, 1.0, -2.5, NAN};
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++) {
            int a = tv[i] != 0.0, b = tv[j] != 0.0;
            assert_double_bits(interp_apply(OP_AND, tv[i], tv[j]), a && b);
            assert_double_bits(interp_apply(OP_OR, tv[i], tv[j]), a || b);
            assert_double_bits(interp_apply(OP_NAND, tv[i], tv[j]),
                               !(a && b));
            assert_double_bits(interp_apply(OP_NOR, tv[i], tv[j]),
                               !(a || b));
            assert_double_bits(interp_apply3(OP_IF, tv[i], 5.0, 7.0),
                               a ? 5.0 : 7.0);
        }
    assert_double_bits(interp_apply(OP_NOT, 0.0, 0), 1.0);
    assert_double_bits(interp_apply(OP_NOT, -0.0, 0), 1.0);
    assert_double_bits(interp_apply(OP_NOT, 3.0, 0), 0.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_is_function),
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_parse_functions),
        cmocka_unit_test(test_parse_functions_errors),
        cmocka_unit_test(test_parse_constants),
        cmocka_unit_test(test_parse_constants_errors),
        cmocka_unit_test(test_protection),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
