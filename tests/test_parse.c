/* test_parse: infix text to trees: round trips, precedence, errors. */
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
#include "init.h"
#include "parse.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"
#include "testutil.h"

/* The parser's refusal of a program nested too deep. */
#define TOO_DEEP                                                               \
    "nested deeper than 1000 (each parenthesis, call and operator counts)"

#define CAP 4096

static struct primset ps;

/* Every built-in, variables x, y1 and rate, awkward fixed constants, ERC
 * ranges and plug-in symbols of each arity. */
static int setup(void **state)
{
    (void)state;
    struct error perr;
    memset(&ps, 0, sizeof ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps.funcs[ps.nfuncs++] = (uint16_t)op;
    ps.nvars = 3;
    ps.var_names[0] = "x";
    ps.var_names[1] = "y1";
    ps.var_names[2] = "rate";
    if (prim_parse_constants(&ps,
                             "-2.5, -0, 0, 1e300, -1e300, 5e-324, 0.1, pi, "
                             "e, 3, -1..1, 0..1e6, -1e-300..1e-300",
                             &perr) < 0 ||
        prim_add_symbol(&ps, "k0", 0, &perr) < 0 ||
        prim_add_symbol(&ps, "f1", 1, &perr) < 0 ||
        prim_add_symbol(&ps, "g2", 2, &perr) < 0 ||
        prim_add_symbol(&ps, "h3", 3, &perr) < 0 ||
        prim_add_symbol(&ps, "tick", 0, &perr) < 0) {
        fprintf(stderr, "setup: %s\n", perr.msg);
        return -1;
    }
    return 0;
}

/* What infix_write prints for t, in a malloc'd string. */
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

/* Fills t from a prefix spec: function, variable and symbol names, and
 * numbers; every unused field zero. */
static void build(struct tree *t, const char *spec)
{
    testutil_build(t, &ps, spec);
}

/* Parses text and checks that it gives exactly the tree `want`. */
static void expect_tree(const char *text, const struct tree *want)
{
    struct tree got;
    struct error err = {{0}};
    assert_int_equal(tree_init(&got, CAP), 0);
    /* Stale bytes must not leak into the result. */
    memset(got.nodes, 0xA5, CAP * sizeof *got.nodes);
    if (parse_program(&got, text, &ps, &err) != 0)
        fail_msg("'%s': %s", text, err.msg);
    if (got.size != want->size ||
        memcmp(got.nodes, want->nodes, want->size * sizeof *want->nodes)) {
        char *a = print(want), *b = print(&got);
        fail_msg("'%s': want %s (%u nodes), got %s (%u nodes)", text, a,
                 want->size, b, got.size);
    }
    tree_release(&got);
}

/* Parses text and checks that it gives the tree of prefix spec. */
static void expect(const char *text, const char *spec)
{
    struct tree want;
    assert_int_equal(tree_init(&want, 256), 0);
    build(&want, spec);
    expect_tree(text, &want);
    tree_release(&want);
}

/* Parses text into a tree of cap nodes and checks the error message. */
static void expect_error_cap(const char *text, uint32_t cap, const char *msg)
{
    struct tree t;
    struct error err = {{0}};
    assert_int_equal(tree_init(&t, cap), 0);
    if (parse_program(&t, text, &ps, &err) == 0) {
        char *s = print(&t);
        fail_msg("'%.60s' parsed as %.200s", text, s);
    }
    assert_int_equal(t.size, 0);
    assert_string_equal(err.msg, msg);
    tree_release(&t);
}

static void expect_error(const char *text, const char *msg)
{
    expect_error_cap(text, CAP, msg);
}

/* Prints t and parses it back: the same nodes, byte for byte. */
static void round_trip(const struct tree *t)
{
    char *text = print(t);
    expect_tree(text, t);
    free(text);
}

static void test_round_trip_random(void **state)
{
    (void)state;
    struct rng r;
    struct tree t;
    rng_seed(&r, 2024, 7);
    assert_int_equal(tree_init(&t, CAP), 0);
    int done = 0;
    for (int n = 0; n < 6000; n++) {
        enum init_method how = n % 2 ? INIT_GROW : INIT_FULL;
        int depth = n % 9;
        if (init_tree(&t, &ps, how, 0, depth, &r) < 0)
            continue;
        assert_int_equal(tree_check(&t, ps.nvars), 0);
        round_trip(&t);
        done++;
    }
    assert_true(done > 5000);
    tree_release(&t);
}

/* Constants of any finite bit pattern, signs and subnormals included. */
static void test_round_trip_any_double(void **state)
{
    (void)state;
    struct rng r;
    struct tree t;
    rng_seed(&r, 99, 3);
    assert_int_equal(tree_init(&t, CAP), 0);
    for (int n = 0; n < 3000; n++) {
        if (init_tree(&t, &ps, INIT_GROW, 1, 5, &r) < 0)
            continue;
        for (uint32_t i = 0; i < t.size; i++) {
            if (t.nodes[i].op != OP_CONST)
                continue;
            double v;
            do {
                uint64_t bits = (uint64_t)rng_u32(&r) << 32 | rng_u32(&r);
                if (n % 3 == 0)
                    bits &= 0x800fffffffffffffULL; /* subnormal or zero */
                memcpy(&v, &bits, sizeof v);
            } while (!isfinite(v));
            t.nodes[i].value = v;
        }
        round_trip(&t);
    }
    tree_release(&t);
}

/* The cases that the printer treats specially. */
static void test_round_trip_edges(void **state)
{
    (void)state;
    static const char *const specs[] = {
        "-0",
        "0",
        "-2.5",
        "neg 2",
        "neg -2",
        "neg -0",
        "neg neg 2",
        "square -3",
        "neg square 2",
        "square neg 2",
        "sub x -1",
        "sub -1 -1",
        "mul x -0",
        "5e-324",
        "-5e-324",
        "1e300",
        "-1e300",
        "1e15",
        "-1e15",
        "999999999999999",
        "0.1",
        "1e-05",
        "9007199254740992",
        "1.7976931348623157e308",
        "-1.7976931348623157e308",
        "2.2250738585072014e-308",
        "k0",
        "tick",
        "f1 k0",
        "g2 tick -1",
        "h3 x neg y1 square rate",
        "if and x y1 or rate k0 not nand x nor 1 2",
        "neg f1 -3",
        "square square neg x",
        /* The printed forms (prim.c) and what looks like them. */
        "sqrt x",
        "sqrt abs x",
        "log abs abs x",
        "aq x y1",
        "aq aq x -2 square y1",
        "div x sqrt add 1 square y1",
        "div x sqrt add 1 square square y1",
        "aq x add 1 square y1",
        "div aq x y1 sqrt add 1 square rate",
        "sqrt add 1 square y1",
        "if x if y1 1 0 not x",
        "if and x y1 nand x y1 or nor x y1 rate",
        "min max x y1 min 1 -1",
        "if and x y1 1 0",
        "if not x 1 0",
        "if nor x y1 1 -0",
        "if and x y1 0 1",
        "if if x y1 rate 1 0",
        "and if and x y1 1 0 if x 1 0",
        "not add x if y1 1 0",
    };
    struct tree t;
    assert_int_equal(tree_init(&t, 256), 0);
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        build(&t, specs[i]);
        round_trip(&t);
    }
    tree_release(&t);
}

/* Builds a chain of `n` unary ops over x, or a left-nested sum of n adds. */
static void chain(struct tree *t, unsigned op, uint32_t n)
{
    t->size = 0;
    memset(t->nodes, 0, t->cap * sizeof *t->nodes);
    for (uint32_t i = 0; i < n; i++)
        t->nodes[t->size++].op = (uint16_t)op;
    t->nodes[t->size++].op = OP_VAR;
    for (uint32_t i = 0; op == OP_ADD && i < n; i++)
        t->nodes[t->size++].op = OP_VAR;
    tree_set_shape(t);
}

static void test_round_trip_deep(void **state)
{
    (void)state;
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    unsigned ops[] = {OP_NEG, OP_SQUARE, OP_SIN, OP_ADD};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
        chain(&t, ops[k], PARSE_MAX_NESTING);
        round_trip(&t);
    }
    /* One deeper: refused at the 1001st parenthesis. */
    chain(&t, OP_ADD, PARSE_MAX_NESTING + 1);
    char *text = print(&t);
    expect_error(text, "column 1001: " TOO_DEEP);
    free(text);
    tree_release(&t);
}

static void test_precedence(void **state)
{
    (void)state;
    expect("x + y1 * 2", "add x mul y1 2");
    expect("x * y1 + 2", "add mul x y1 2");
    expect("x - y1 - rate", "sub sub x y1 rate");
    expect("x - y1 + rate", "add sub x y1 rate");
    expect("x / y1 / 2", "div div x y1 2");
    expect("x / y1 * 2", "mul div x y1 2");
    expect("x - (y1 - rate)", "sub x sub y1 rate");
    expect("x + y1 * rate - 1 / x", "sub add x mul y1 rate div 1 x");
    expect("-x**2", "neg square x");
    expect("-x ** 2 * 3", "mul neg square x 3");
    expect("-x*y1", "mul neg x y1");
    expect("x**2*3", "mul square x 3");
    expect("2*x**2", "mul 2 square x");
    expect("(x**2)**2", "square square x");
    expect("x**2.0", "square x");
    expect("x ** (2)", "square x");
    expect("x**((2))", "square x");
    expect("(-x)**2", "square neg x");
}

static void test_unary_minus(void **state)
{
    (void)state;
    expect("-2", "-2");
    expect("- 2", "-2");
    expect("-0", "-0");
    expect("0", "0");
    expect("-(2)", "neg 2");
    expect("--2", "neg -2");
    expect("--x", "neg neg x");
    expect("-x", "neg x");
    expect("-2**2", "neg square 2");
    expect("(-2)**2", "square -2");
    expect("2*-3", "mul 2 -3");
    expect("x - -1", "sub x -1");
    expect("x--1", "sub x -1");
    expect("x-1", "sub x 1");
    expect("-2*x", "mul -2 x");
    expect("-pi", "neg 3.141592653589793");
    expect("-sin(x)", "neg sin x");
    expect("- - - 1.5", "neg neg -1.5");
}

static void test_numbers_and_names(void **state)
{
    (void)state;
    expect("1", "1");
    expect("1.5", "1.5");
    expect(".5", "0.5");
    expect("1.", "1");
    expect("1e-3", "0.001");
    expect("2E+5", "200000");
    expect("2e5", "200000");
    expect("1.5e-300", "1.5e-300");
    expect("0.30000000000000004", "0.30000000000000004");
    expect("1e-999", "0"); /* underflow to zero, as in Python */
    expect("pi", "3.141592653589793");
    expect("e", "2.718281828459045");
    expect("pi * e", "mul 3.141592653589793 2.718281828459045");
    expect("x", "x");
    expect("rate", "rate");
    expect("k0 + tick", "add k0 tick");
    expect("f1(x) * g2(x, y1) - h3(x, y1, rate)",
           "sub mul f1 x g2 x y1 h3 x y1 rate");
    expect("sin(x) + cos(y1)", "add sin x cos y1");
    expect("min(x, max(y1, rate))", "min x max y1 rate");
    expect("if(x, y1, rate)", "if x y1 rate");
    expect("and(x, 1)", "and x 1");
    expect("nand(or(x, y1), nor(x, not(rate)))", "nand or x y1 nor x not rate");
    expect("add(x, y1)", "add x y1");
    expect("neg(x)", "neg x");
    expect("square(x)", "square x");
    expect("abs(sqrt(exp(log(tanh(x)))))", "abs sqrt exp log tanh x");
}

/* The printed forms of prim.c read back as their one node. */
static void test_printed_forms(void **state)
{
    (void)state;
    /* One abs comes off sqrt's and log's argument. */
    expect("sqrt(abs(x))", "sqrt x");
    expect("log(abs(x))", "log x");
    expect("sqrt(abs(abs(x)))", "sqrt abs x");
    expect("log(Abs(x + 1))", "log add x 1");
    expect("sqrt(abs(x) + 1)", "sqrt add abs x 1");
    expect("Abs(x)", "abs x");
    expect("Min(x, Max(y1, rate))", "min x max y1 rate");
    /* aq: a divisor sqrt(1 + B**2) with no abs. */
    expect("x / sqrt(1 + y1**2)", "aq x y1");
    expect("(x / sqrt(1 + (y1 + 2)**2))", "aq x add y1 2");
    expect("x / sqrt(1 + y1**2) / 2", "div aq x y1 2");
    expect("x / sqrt(abs(1 + y1**2))", "div x sqrt add 1 square y1");
    expect("x / sqrt(2 + y1**2)", "div x sqrt add 2 square y1");
    expect("x / sqrt(y1**2 + 1)", "div x sqrt add square y1 1");
    expect("x * sqrt(1 + y1**2)", "mul x sqrt add 1 square y1");
    expect("sqrt(1 + y1**2)", "sqrt add 1 square y1");
    /* The boolean functions and if. */
    expect("Piecewise((1, And(Ne(x, 0), Ne(y1, 0))), (0, True))", "and x y1");
    expect("Piecewise((1, Or(Ne(x, 0), Ne(y1, 0))), (0, True))", "or x y1");
    expect("Piecewise((1, Nand(Ne(x, 0), Ne(y1, 0))), (0, True))",
           "nand x y1");
    expect("Piecewise((1, Nor(Ne(x, 0), Ne(y1, 0))), (0, True))", "nor x y1");
    expect("Piecewise((1, Not(Ne(x, 0))), (0, True))", "not x");
    expect("Piecewise((y1, Ne(x, 0)), (rate, True))", "if x y1 rate");
    expect("Piecewise((1, Ne(x, 0)), (0, True))", "if x 1 0");
    expect("Piecewise((0, And(Ne(x, 0), Ne(y1, 0))), (1, True))",
           "if and x y1 0 1");
    expect("Piecewise((1, And(Implies(Ne(x, 0), Ne(y1, 0)), Or(Ne(x, 0), "
           "Ne(rate, 0)))), (0, True))",
           "if if x y1 rate 1 0");
    expect("Piecewise((1, Ne(Piecewise((1, And(Ne(x, 0), Ne(y1, 0))), (0, "
           "True)), 0)), (0, True))",
           "if and x y1 1 0");
    expect("Piecewise((y1 + 1, Ne(x * 2, 0)), (sin(rate), True))",
           "if mul x 2 add y1 1 sin rate");
    expect("Piecewise((1, And(Or(Ne(x, 0), Ne(y1, 0)), Not(And(Implies(Ne(x, "
           "0), Ne(rate, 0)), Or(Ne(x, 0), Nor(Ne(x, 0), Ne(1, 0))))))), (0, "
           "True))",
           "and or x y1 not if x rate nor x 1");
}

static void test_spaces_and_parens(void **state)
{
    (void)state;
    expect("  ((( x )))  ", "x");
    expect("\tx\n+\r\n1 ", "add x 1");
    expect("sin ( x )", "sin x");
    expect("min( x ,y1 )", "min x y1");
    expect("((x) + ((y1)))", "add x y1");
    expect("x*(y1+rate)", "mul x add y1 rate");
}

/* Any built-in parses, whether the set draws from it or not. */
static void test_functions_outside_the_set(void **state)
{
    (void)state;
    struct primset small;
    memset(&small, 0, sizeof small);
    small.funcs[small.nfuncs++] = OP_ADD;
    small.nvars = 1;
    small.var_names[0] = "x";
    struct tree t;
    struct error err;
    assert_int_equal(tree_init(&t, 16), 0);
    assert_int_equal(parse_program(&t, "tanh(x) + if(x, 1, 2)", &small, &err),
                     0);
    assert_int_equal(t.size, 7);
    assert_int_equal(t.nodes[0].op, OP_ADD);
    assert_int_equal(t.nodes[1].op, OP_TANH);
    assert_int_equal(t.nodes[3].op, OP_IF);
    /* The symbols of another set are unknown here. */
    assert_int_equal(parse_program(&t, "f1(x)", &small, &err), -1);
    assert_string_equal(err.msg, "column 1: unknown function 'f1'");
    tree_release(&t);
}

static void test_errors(void **state)
{
    (void)state;
    expect_error("", "column 1: empty input, expected an expression");
    expect_error(" \t\n", "column 1: empty input, expected an expression");
    expect_error("sn(x)",
                 "column 1: unknown function 'sn'; did you mean 'sin'?");
    expect_error("x + rte", "column 5: unknown name 'rte'; did you mean "
                            "'rate'?");
    expect_error("X", "column 1: unknown name 'X'; did you mean 'x'?");
    expect_error("g(x, y1)", "column 1: unknown function 'g'");
    expect_error("h33(x)", "column 1: unknown function 'h33'; did you mean "
                           "'h3'?");
    expect_error("x + qqqq", "column 5: unknown name 'qqqq'");
    /* Not a misspelt 'if' or 'nand': numbers a constant cannot be. */
    expect_error("inf", "column 1: unknown name 'inf'; constants must be "
                        "finite numbers");
    expect_error("x + NaN", "column 5: unknown name 'NaN'; constants must "
                            "be finite numbers");
    expect_error("min(x)", "column 1: 'min' takes 2 arguments, got 1");
    expect_error("Piecewise((1, Ne(x, 1)), (0, True))",
                 "column 21: expected 0, got '1'");
    expect_error("Piecewise((1, x > 0), (0, True))",
                 "column 15: expected a condition (Ne, And, Or, Nand, Nor or "
                 "Not), got 'x'");
    expect_error("Piecewise((1, And(Implies(Ne(x, 0), Ne(y1, 0)), Or(Ne(y1, "
                 "0), Ne(x, 0)))), (0, True))",
                 "column 49: the two conditions of an if (And(Implies(C, A), "
                 "Or(C, B))) differ");
    expect_error("Piecewise((1, And(Ne(x, 0))), (0, True))",
                 "column 27: expected ',', got ')'");
    expect_error("Piecewise((1, Ne(x, 0)), (0, x))",
                 "column 30: expected 'True', got 'x'");
    expect_error("Piecewise(x)", "column 11: expected '(', got 'x'");
    expect_error("x & y1", "column 3: unexpected character '&'");
    expect_error("1 + sin(x, y1)", "column 5: 'sin' takes 1 argument, got 2");
    expect_error("if()", "column 1: 'if' takes 3 arguments, got 0");
    expect_error("h3(x, y1, rate, x, 1)",
                 "column 1: 'h3' takes 3 arguments, got 5");
    expect_error("x $ 2", "column 3: unexpected character '$'");
    expect_error("x + \x01", "column 5: unexpected character '\\x01'");
    expect_error("x + \xc3\xa9", "column 5: unexpected character '\\xc3'");
    expect_error("x.y1", "column 2: unexpected character '.'");
    expect_error("x +", "column 4: expected an expression, got end of input");
    expect_error("(x", "column 3: expected an operator or ')', got end of "
                       "input");
    expect_error("(x y1)", "column 4: expected an operator or ')', got 'y1'");
    expect_error("sin(x", "column 6: expected an operator, ',' or ')', got "
                          "end of input");
    expect_error("min(x,)", "column 7: expected an expression, got ')'");
    expect_error("x y1", "column 3: expected an operator or end of input, "
                         "got 'y1'");
    expect_error("x)", "column 2: expected an operator or end of input, got "
                       "')'");
    expect_error("(x))", "column 4: expected an operator or end of input, "
                         "got ')'");
    expect_error("* x", "column 1: expected an expression, got '*'");
    expect_error("x + + y1", "column 5: expected an expression, got '+'");
    expect_error("()", "column 2: expected an expression, got ')'");
    expect_error("sin + 1", "column 5: expected '(' after 'sin', got '+'");
    expect_error("sin", "column 4: expected '(' after 'sin', got end of "
                        "input");
    expect_error("x(1)", "column 1: 'x' is not a function");
    expect_error("pi(1)", "column 1: 'pi' is not a function");
    expect_error("k0()", "column 1: 'k0' is not a function");
    expect_error("x ** 3", "column 6: only **2 is supported");
    expect_error("x**-2", "column 4: only **2 is supported");
    expect_error("x**2**2", "column 4: only **2 is supported");
    expect_error("x**(2", "column 4: only **2 is supported");
    expect_error("x**y1", "column 4: only **2 is supported");
    expect_error("-2**3", "column 5: only **2 is supported");
    expect_error("x ^ 2", "column 3: unexpected character '^'");
    expect_error("1e999", "column 1: '1e999' is not a finite number");
    expect_error("x * -1e999", "column 6: '1e999' is not a finite number");
    expect_error("x**1e999", "column 4: only **2 is supported");
    expect_error("2x", "column 1: malformed number '2x'");
    expect_error("1.2.3", "column 1: malformed number '1.2.3'");
    expect_error("x + 2e", "column 5: malformed number '2e'");
    expect_error("0x10", "column 1: malformed number '0x10'");
    expect_error("1e+", "column 1: malformed number '1e'");
}

static void test_too_many_nodes(void **state)
{
    (void)state;
    expect_error_cap("x", 0, "column 1: too many nodes ([tree] max_size is 0)");
    expect_error_cap("x + y1 + rate", 3,
                     "column 8: too many nodes ([tree] max_size is 3)");
    expect_error_cap("sin(x)", 1, "column 5: too many nodes ([tree] max_size is 1)");
    expect_error_cap("--x", 2, "column 1: too many nodes ([tree] max_size is 2)");
    expect_error_cap("x**2", 1, "column 2: too many nodes ([tree] max_size is 1)");
    /* Exactly full is fine. */
    struct tree t;
    struct error err;
    assert_int_equal(tree_init(&t, 6), 0);
    assert_int_equal(parse_program(&t, "(x + y1) * rate**2", &ps, &err), 0);
    assert_int_equal(t.size, 6);
    assert_int_equal(parse_program(&t, "--x**2", &ps, &err), 0);
    assert_int_equal(t.size, 4);
    tree_release(&t);
}

/* A string of `n` copies of `piece` between head and tail. */
static char *repeat(const char *head, const char *piece, size_t n,
                    const char *tail)
{
    size_t lh = strlen(head), lp = strlen(piece), lt = strlen(tail);
    char *s = malloc(lh + n * lp + lt + 1);
    assert_non_null(s);
    memcpy(s, head, lh);
    for (size_t i = 0; i < n; i++)
        memcpy(s + lh + i * lp, piece, lp);
    memcpy(s + lh + n * lp, tail, lt + 1);
    return s;
}

static void test_hostile(void **state)
{
    (void)state;
    char *s;
    /* 100000 '(' fail at the 1001st, without exhausting the stack. */
    s = repeat("", "(", 100000, "");
    expect_error(s, "column 1001: " TOO_DEEP);
    free(s);
    s = repeat("", "sin(", 100000, "x");
    expect_error(s, "column 4004: " TOO_DEEP);
    free(s);
    s = repeat("", "-", 100000, "x");
    expect_error(s, "column 1001: " TOO_DEEP);
    free(s);
    s = repeat("x", "**2", 5, "");
    expect_error(s, "column 4: only **2 is supported");
    free(s);
    s = repeat("x**", "(", 100000, "2");
    expect_error(s, "column 4: only **2 is supported");
    free(s);
    /* 1000 deep is fine: parentheses, calls, minus signs. */
    s = repeat("", "(", 1000, "x");
    char *t = repeat(s, ")", 1000, "");
    expect(t, "x");
    free(s);
    free(t);
    s = repeat("", "sin(", 1000, "x");
    t = repeat(s, ")", 1000, "");
    struct tree want;
    assert_int_equal(tree_init(&want, CAP), 0);
    chain(&want, OP_SIN, 1000);
    expect_tree(t, &want);
    free(s);
    free(t);
    s = repeat("", "-", 1000, "x");
    chain(&want, OP_NEG, 1000);
    expect_tree(s, &want);
    free(s);
    /* Long sums stop at the depth limit, long before the cap. */
    s = repeat("x", "+x", 100000, "");
    expect_error(s, "column 2002: " TOO_DEEP);
    free(s);
    tree_release(&want);
    /* Long names and numbers are quoted, cut. */
    s = repeat("", "a", 100000, "");
    expect_error(s, "column 1: unknown name "
                    "'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'");
    free(s);
    s = repeat("1", "0", 400, "");
    expect_error(s, "column 1: '1000000000000000000000000000000000000000..."
                    "' is not a finite number");
    free(s);
    s = repeat("x + 1", "0", 100000, "x");
    expect_error(s, "column 5: malformed number "
                    "'1000000000000000000000000000000000000000...'");
    free(s);
    /* Long but valid: a 100000-digit number that is tiny. */
    s = repeat("0.", "0", 100000, "1");
    expect(s, "0");
    free(s);
    s = repeat("1.", "0", 100000, "1");
    expect(s, "1");
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_random),
        cmocka_unit_test(test_round_trip_any_double),
        cmocka_unit_test(test_round_trip_edges),
        cmocka_unit_test(test_round_trip_deep),
        cmocka_unit_test(test_precedence),
        cmocka_unit_test(test_unary_minus),
        cmocka_unit_test(test_numbers_and_names),
        cmocka_unit_test(test_printed_forms),
        cmocka_unit_test(test_spaces_and_parens),
        cmocka_unit_test(test_functions_outside_the_set),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_too_many_nodes),
        cmocka_unit_test(test_hostile),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
