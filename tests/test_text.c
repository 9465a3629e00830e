/* test_text: trimming, edit distance, did-you-mean and strict numbers. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

/* Trims a copy of `in` and checks the result. */
static void check_trim(const char *in, const char *want)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", in);
    char *out = text_trim(buf);
    assert_string_equal(out, want);
    /* In place: the result lies inside buf. */
    assert_true(out >= buf && out <= buf + strlen(in));
}

static void test_trim(void **state)
{
    (void)state;
    check_trim("", "");
    check_trim("abc", "abc");
    check_trim("  abc", "abc");
    check_trim("abc  ", "abc");
    check_trim(" \t\r\n abc def \r\n\t ", "abc def");
    check_trim("   ", "");
    check_trim("\n", "");
    check_trim("a", "a");
    check_trim(" a ", "a");

    char buf[] = "  x y  ";
    char *out = text_trim(buf);
    assert_ptr_equal(out, buf + 2);
    assert_int_equal(buf[5], '\0');
}

static void test_distance(void **state)
{
    (void)state;
    assert_int_equal(text_distance("", ""), 0);
    assert_int_equal(text_distance("", "abc"), 3);
    assert_int_equal(text_distance("abc", ""), 3);
    assert_int_equal(text_distance("abc", "abc"), 0);
    assert_int_equal(text_distance("kitten", "sitting"), 3);
    assert_int_equal(text_distance("sitting", "kitten"), 3);
    assert_int_equal(text_distance("flaw", "lawn"), 2);
    assert_int_equal(text_distance("seed", "sed"), 1); /* deletion */
    assert_int_equal(text_distance("sed", "seed"), 1); /* insertion */
    assert_int_equal(text_distance("sin", "sinn"), 1);
    assert_int_equal(text_distance("mse", "mae"), 1); /* substitution */
    assert_int_equal(text_distance("mes", "mse"), 1); /* transposition */
    assert_int_equal(text_distance("sede", "seed"), 1);
    assert_int_equal(text_distance("abcd", "badc"), 2); /* two swaps */
    /* Case is ignored. */
    assert_int_equal(text_distance("ABC", "abc"), 0);
    assert_int_equal(text_distance("Tree", "tREE"), 0);

    /* 63 bytes is the longest measured; 64 is "far". */
    char a[70], b[70];
    memset(a, 'a', sizeof a);
    memset(b, 'a', sizeof b);
    a[63] = '\0';
    b[62] = 'b';
    b[63] = '\0';
    assert_int_equal(text_distance(a, b), 1);
    assert_int_equal(text_distance(a, a), 0);
    a[63] = 'a';
    a[64] = '\0';
    assert_true(text_distance(a, b) == (size_t)-1);
    assert_true(text_distance(b, a) == (size_t)-1);
    assert_true(text_distance(a, a) == (size_t)-1);
    assert_true(text_distance(a, "") == (size_t)-1);
}

static void test_suggest(void **state)
{
    (void)state;
    static const char *const sections[] = {
        "run", "data", "fitness", "primitives", "tree", "operators", "output"};
    const size_t n = sizeof sections / sizeof sections[0];
    assert_string_equal(text_suggest("tre", sections, n), "tree");
    assert_string_equal(text_suggest("Tree", sections, n), "tree");
    assert_string_equal(text_suggest("operator", sections, n), "operators");
    assert_string_equal(text_suggest("primitive", sections, n), "primitives");
    assert_string_equal(text_suggest("fitnes", sections, n), "fitness");
    assert_string_equal(text_suggest("outptu", sections, n), "output");
    assert_string_equal(text_suggest("daat", sections, n), "data");
    /* An exact match is its own suggestion. */
    assert_string_equal(text_suggest("run", sections, n), "run");

    /* Far words get none. */
    assert_null(text_suggest("banana", sections, n));
    assert_null(text_suggest("xyz", sections, n));
    assert_null(text_suggest("operatorsxyz", sections, n)); /* 3 away */
    assert_null(text_suggest("", sections, n));
    /* Two edits on a three-letter word is too many. */
    assert_null(text_suggest("rxx", sections, n));
    assert_null(text_suggest("tra", sections, n));

    /* NULL entries are skipped; no candidates, no suggestion. */
    static const char *const holes[] = {NULL, "seed", NULL, "population", NULL};
    assert_string_equal(text_suggest("sede", holes, 5), "seed");
    assert_string_equal(text_suggest("popluation", holes, 5), "population");
    assert_null(text_suggest("seed", holes, 0));
    static const char *const none[] = {NULL, NULL};
    assert_null(text_suggest("seed", none, 2));

    /* Ties go to the first candidate. */
    static const char *const tie[] = {"mae", "mse"};
    assert_string_equal(text_suggest("mze", tie, 2), "mae");
    static const char *const tie2[] = {"mse", "mae"};
    assert_string_equal(text_suggest("mze", tie2, 2), "mse");

    /* The closest wins, wherever it is. */
    static const char *const funcs[] = {"add", "sub",    "mul",  "div", "neg",
                                        "abs", "square", "sqrt", "exp", "log",
                                        "sin", "cos",    "tanh", "min", "max"};
    const size_t nf = sizeof funcs / sizeof funcs[0];
    assert_string_equal(text_suggest("sinn", funcs, nf), "sin");
    assert_string_equal(text_suggest("tahn", funcs, nf), "tanh");
    assert_string_equal(text_suggest("sqaure", funcs, nf), "square");
    assert_null(text_suggest("frobnicate", funcs, nf));

    /* A word too long to measure gets none. */
    char longword[80];
    memset(longword, 'a', sizeof longword - 1);
    longword[sizeof longword - 1] = '\0';
    assert_null(text_suggest(longword, funcs, nf));
}

static void good_double(const char *s, double want)
{
    double v = -12345.0;
    if (text_to_double(s, &v) != 0)
        fail_msg("text_to_double rejected '%s'", s);
    if (!(v == want))
        fail_msg("text_to_double('%s') = %.17g, want %.17g", s, v, want);
}

static void bad_double(const char *s)
{
    double v = -12345.0;
    if (text_to_double(s, &v) != -1)
        fail_msg("text_to_double accepted '%s'", s);
    assert_true(v == -12345.0); /* untouched */
}

static void test_to_double(void **state)
{
    (void)state;
    good_double("0", 0.0);
    good_double("1", 1.0);
    good_double("-1", -1.0);
    good_double("+2.5", 2.5);
    good_double("0.1", 0.1);
    good_double(".5", 0.5);
    good_double("5.", 5.0);
    good_double("1e3", 1000.0);
    good_double("1E-3", 1e-3);
    good_double("-1e300", -1e300);
    good_double("1.7976931348623157e308", 1.7976931348623157e308);
    good_double("0.30000000000000004", 0.30000000000000004);
    good_double("1e-400", 0.0); /* underflow to zero is a number */

    bad_double("");
    bad_double(" ");
    bad_double(" 1");
    bad_double("\t1");
    bad_double("1 ");
    bad_double("1\n");
    bad_double("1x");
    bad_double("1.2.3");
    bad_double("1e");
    bad_double("e5");
    bad_double("-");
    bad_double(".");
    bad_double("abc");
    bad_double("1,5");
    bad_double("inf");
    bad_double("-inf");
    bad_double("infinity");
    bad_double("INF");
    bad_double("nan");
    bad_double("NaN");
    bad_double("-nan");
    bad_double("nan(1)");
    bad_double("1e309"); /* overflows to inf */
    bad_double("-1e999");
}

static void good_long(const char *s, long want)
{
    long v = -12345;
    if (text_to_long(s, &v) != 0)
        fail_msg("text_to_long rejected '%s'", s);
    assert_int_equal(v, want);
}

static void bad_long(const char *s)
{
    long v = -12345;
    if (text_to_long(s, &v) != -1)
        fail_msg("text_to_long accepted '%s'", s);
    assert_int_equal(v, -12345); /* untouched */
}

static void test_to_long(void **state)
{
    (void)state;
    good_long("0", 0);
    good_long("7", 7);
    good_long("-7", -7);
    good_long("+7", 7);
    good_long("007", 7); /* decimal, not octal */
    good_long("010", 10);
    good_long("9223372036854775807", LONG_MAX);
    good_long("-9223372036854775808", LONG_MIN);

    bad_long("");
    bad_long(" ");
    bad_long(" 1");
    bad_long("\t1");
    bad_long("1 ");
    bad_long("1\n");
    bad_long("1x");
    bad_long("1.0");
    bad_long("1e3");
    bad_long("0x10");
    bad_long("-");
    bad_long("+");
    bad_long("abc");
    bad_long("9223372036854775808");
    bad_long("-9223372036854775809");
    bad_long("99999999999999999999999");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trim),    cmocka_unit_test(test_distance),
        cmocka_unit_test(test_suggest), cmocka_unit_test(test_to_double),
        cmocka_unit_test(test_to_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
