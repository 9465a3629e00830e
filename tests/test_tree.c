/* test_tree: subtree ranges, depths, levels, checks, splices and copies. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "prim.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"

/*
 * Fills t from a prefix spec of space-separated tokens: a function name,
 * xN for variable N, or a number for a constant. t must have room.
 */
static void build(struct tree *t, const char *spec)
{
    testutil_build(t, NULL, spec);
}

/* A tree made from spec, with room for 64 nodes. */
static struct tree make(const char *spec)
{
    struct tree t;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, spec);
    return t;
}

static void assert_tree_is(const struct tree *t, const char *spec)
{
    struct tree want = make(spec);
    assert_int_equal(t->size, want.size);
    assert_memory_equal(t->nodes, want.nodes, want.size * sizeof *t->nodes);
    tree_release(&want);
}

static void test_init_release(void **state)
{
    (void)state;
    struct tree t;
    assert_int_equal(tree_init(&t, 0), 0);
    assert_int_equal(t.size, 0);
    assert_int_equal(t.cap, 0);
    assert_non_null(t.nodes);
    tree_release(&t);
    assert_null(t.nodes);
    tree_release(&t); /* a zeroed tree is fine */
    assert_int_equal(tree_init(&t, 10), 0);
    assert_int_equal(t.cap, 10);
    /* Room only: nodes are written before they are read (unzeroed, so
     * unused capacity costs no page faults). */
    t.nodes[9].op = OP_VAR;
    tree_release(&t);
    assert_int_equal(sizeof(struct node), 16);
}

static void test_subtree_end(void **state)
{
    (void)state;
    /* 0 add, 1 mul, 2 x0, 3 x1, 4 neg, 5 2 */
    struct tree t = make("add mul x0 x1 neg 2");
    static const uint32_t want[] = {6, 4, 3, 4, 6, 6};
    for (uint32_t i = 0; i < t.size; i++)
        assert_int_equal(tree_subtree_end(t.nodes, i), want[i]);
    build(&t, "x2");
    assert_int_equal(tree_subtree_end(t.nodes, 0), 1);
    build(&t, "min max 1 x0 sin cos x1");
    assert_int_equal(tree_subtree_end(t.nodes, 0), 7);
    assert_int_equal(tree_subtree_end(t.nodes, 1), 4);
    assert_int_equal(tree_subtree_end(t.nodes, 4), 7);
    assert_int_equal(tree_subtree_end(t.nodes, 5), 7);
    tree_release(&t);
}

static void test_depth(void **state)
{
    (void)state;
    struct tree t = make("x0");
    assert_int_equal(tree_depth(&t), 0);
    build(&t, "3.5");
    assert_int_equal(tree_depth(&t), 0);
    build(&t, "add x0 x1");
    assert_int_equal(tree_depth(&t), 1);
    build(&t, "add mul x0 x1 neg 2");
    assert_int_equal(tree_depth(&t), 2);
    assert_int_equal(tree_subtree_depth(t.nodes, 1), 1);
    assert_int_equal(tree_subtree_depth(t.nodes, 2), 0);
    assert_int_equal(tree_subtree_depth(t.nodes, 4), 1);
    build(&t, "neg neg neg x0");
    assert_int_equal(tree_depth(&t), 3);
    /* The deep branch last, then first. */
    build(&t, "add x0 sub x1 mul x2 exp x0");
    assert_int_equal(tree_depth(&t), 4);
    build(&t, "add sub mul exp x0 x2 x1 x0");
    assert_int_equal(tree_depth(&t), 4);
    t.size = 0;
    assert_int_equal(tree_depth(&t), 0);
    tree_release(&t);
}

static void test_node_level(void **state)
{
    (void)state;
    struct tree t = make("add mul x0 x1 neg 2");
    static const int want[] = {0, 1, 2, 2, 1, 2};
    for (uint32_t i = 0; i < t.size; i++)
        assert_int_equal(tree_node_level(&t, i), want[i]);
    build(&t, "add x0 sub x1 mul x2 exp x0");
    static const int want2[] = {0, 1, 1, 2, 2, 3, 3, 4};
    for (uint32_t i = 0; i < t.size; i++)
        assert_int_equal(tree_node_level(&t, i), want2[i]);
    tree_release(&t);
}

static void test_check_good(void **state)
{
    (void)state;
    struct tree t = make("add mul x0 x1 neg 2");
    assert_int_equal(tree_check(&t, 2), 0);
    build(&t, "x2");
    assert_int_equal(tree_check(&t, 3), 0);
    build(&t, "-1e300");
    assert_int_equal(tree_check(&t, 0), 0);
    /* Every opcode with the right number of arguments. */
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        t.size = 0;
        t.nodes[t.size++] = (struct node){.op = (uint16_t)op};
        for (int a = 0; a < prim_arity((unsigned)op); a++)
            t.nodes[t.size++] = (struct node){.op = OP_VAR, .var = 0};
        assert_int_equal(tree_check(&t, 1), 0);
    }
    tree_release(&t);
}

static void test_check_malformed(void **state)
{
    (void)state;
    struct tree t = make("add x0 x1");
    assert_int_equal(tree_check(&t, 2), 0);

    /* Unknown opcodes, as a root and as an argument. */
    t.nodes[0].op = OP_COUNT;
    assert_int_equal(tree_check(&t, 2), -1);
    t.nodes[0].op = 0xffff;
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "add x0 x1");
    t.nodes[2].op = OP_COUNT + 3;
    assert_int_equal(tree_check(&t, 2), -1);

    /* Too few arguments. */
    build(&t, "add x0");
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "neg");
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "add mul x0 x1 neg");
    assert_int_equal(tree_check(&t, 2), -1);

    /* Too many: the tree ends before the last node. */
    build(&t, "x0 x1");
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "add x0 x1 x1");
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "neg x0 neg x1");
    assert_int_equal(tree_check(&t, 2), -1);

    /* Variables out of range. */
    build(&t, "add x0 x2");
    assert_int_equal(tree_check(&t, 3), 0);
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "x0");
    assert_int_equal(tree_check(&t, 0), -1);
    assert_int_equal(tree_check(&t, 1), 0);

    /* Empty, or bigger than its room. */
    t.size = 0;
    assert_int_equal(tree_check(&t, 2), -1);
    build(&t, "x0");
    t.cap = 0;
    assert_int_equal(tree_check(&t, 2), -1);
    t.cap = 64;
    tree_release(&t);
}

static void test_splice(void **state)
{
    (void)state;
    struct tree dst = make("add x0 x1");
    struct tree src = make("mul x2 neg 3");
    struct tree out;
    assert_int_equal(tree_init(&out, 64), 0);

    /* A leaf replaced by a whole tree. */
    assert_int_equal(tree_splice(&out, &dst, 2, &src, 0), 0);
    assert_tree_is(&out, "add x0 mul x2 neg 3");
    /* A leaf by an inner subtree. */
    assert_int_equal(tree_splice(&out, &dst, 1, &src, 2), 0);
    assert_tree_is(&out, "add neg 3 x1");
    /* The root by a leaf, and by the whole of src. */
    assert_int_equal(tree_splice(&out, &dst, 0, &src, 3), 0);
    assert_tree_is(&out, "3");
    assert_int_equal(tree_splice(&out, &dst, 0, &src, 0), 0);
    assert_tree_is(&out, "mul x2 neg 3");
    /* A subtree in the middle: what comes after it is kept. */
    build(&dst, "add sub x0 x1 div x2 x0");
    assert_int_equal(tree_splice(&out, &dst, 1, &src, 1), 0);
    assert_tree_is(&out, "add x2 div x2 x0");
    assert_int_equal(tree_splice(&out, &dst, 4, &src, 0), 0);
    assert_tree_is(&out, "add sub x0 x1 mul x2 neg 3");
    /* From a tree into itself (out is separate). */
    assert_int_equal(tree_splice(&out, &dst, 4, &dst, 1), 0);
    assert_tree_is(&out, "add sub x0 x1 sub x0 x1");
    assert_int_equal(tree_check(&out, 3), 0);

    /* The room is the limit: exactly full is fine, one more is not. */
    build(&dst, "add x0 x1");
    out.cap = 6; /* result: add x0 mul x2 neg 3 = 6 nodes */
    assert_int_equal(tree_splice(&out, &dst, 2, &src, 0), 0);
    assert_int_equal(out.size, 6);
    out.cap = 5;
    out.size = 1;
    assert_int_equal(tree_splice(&out, &dst, 2, &src, 0), -1);
    assert_int_equal(out.size, 1); /* untouched on failure */
    out.cap = 1;
    assert_int_equal(tree_splice(&out, &dst, 0, &src, 3), 0);
    assert_tree_is(&out, "3");
    out.cap = 64;

    tree_release(&out);
    tree_release(&src);
    tree_release(&dst);
}

static void test_copy(void **state)
{
    (void)state;
    struct tree src = make("add mul x0 x1 neg -2.25");
    struct tree dst;
    assert_int_equal(tree_init(&dst, 6), 0);
    build(&dst, "x1");
    tree_copy(&dst, &src);
    assert_int_equal(dst.size, 6);
    assert_int_equal(dst.cap, 6);
    assert_memory_equal(dst.nodes, src.nodes, 6 * sizeof *src.nodes);
    tree_release(&dst);
    tree_release(&src);
}

static void test_spans(void **state)
{
    (void)state;
    /* 0 add, 1 mul, 2 x0, 3 x1, 4 neg, 5 2 */
    struct tree t = make("add mul x0 x1 neg 2");
    const uint32_t want[] = {6, 3, 1, 1, 2, 1};
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(t.nodes[i].span, want[i]);
    /* Made from the shape alone: whatever was there is overwritten. */
    for (uint32_t i = 0; i < 6; i++)
        t.nodes[i].span = 77;
    tree_set_shape(&t);
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(t.nodes[i].span, want[i]);
    build(&t, "if x0 x1 sin x2");
    const uint32_t want_if[] = {5, 1, 1, 2, 1};
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(t.nodes[i].span, want_if[i]);
    tree_release(&t);
}

/* Reference depth by recursion; *i moves past the subtree. */
static int ref_depth(const struct node *nodes, uint32_t *i)
{
    int arity = prim_arity(nodes[(*i)++].op), d = 0;
    for (int a = 0; a < arity; a++) {
        int sub = ref_depth(nodes, i) + 1;
        if (sub > d)
            d = sub;
    }
    return d;
}

/* Reference levels by recursion. */
static void ref_levels(const struct node *nodes, uint32_t *i, int level,
                       int *out)
{
    int arity = prim_arity(nodes[*i].op);
    out[(*i)++] = level;
    for (int a = 0; a < arity; a++)
        ref_levels(nodes, i, level + 1, out);
}

/* On random trees, every function agrees with a recursive reference. */
static void test_random_against_reference(void **state)
{
    (void)state;
    struct primset ps;
    memset(&ps, 0, sizeof ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps.funcs[ps.nfuncs++] = (uint16_t)op;
    ps.nvars = 3;
    ps.consts[ps.nconsts++] = 1.0;
    ps.range_lo[0] = -1;
    ps.range_hi[0] = 1;
    ps.nranges = 1;
    struct rng r;
    rng_seed(&r, 7, 11);
    struct tree t, out;
    assert_int_equal(tree_init(&t, 300), 0);
    assert_int_equal(tree_init(&out, 600), 0);
    int levels[300];
    for (int n = 0; n < 2000; n++) {
        int depth = (int)rng_below(&r, 8);
        enum init_method how = rng_below(&r, 2) ? INIT_FULL : INIT_GROW;
        if (init_tree(&t, &ps, how, 0, depth, &r) < 0)
            continue;
        assert_int_equal(tree_check(&t, 3), 0);
        uint32_t i = 0;
        assert_int_equal(tree_depth(&t), ref_depth(t.nodes, &i));
        assert_int_equal(i, t.size);
        i = 0;
        ref_levels(t.nodes, &i, 0, levels);
        testutil_check_spans(&t);
        for (i = 0; i < t.size; i++) {
            assert_int_equal(tree_node_level(&t, i), levels[i]);
            uint32_t j = i;
            assert_int_equal(tree_subtree_depth(t.nodes, i),
                             ref_depth(t.nodes, &j));
            assert_int_equal(tree_subtree_end(t.nodes, i), j);
        }
        /* Splicing a random subtree of t into itself stays well formed. */
        uint32_t at = rng_below(&r, t.size), from = rng_below(&r, t.size);
        assert_int_equal(tree_splice(&out, &t, at, &t, from), 0);
        assert_int_equal(tree_check(&out, 3), 0);
        testutil_check_spans(&out);
        uint32_t at_end = tree_subtree_end(t.nodes, at);
        uint32_t from_end = tree_subtree_end(t.nodes, from);
        assert_int_equal(out.size, t.size - (at_end - at) + (from_end - from));
        /* The same nodes before at, where only the spans and heights of
         * at's ancestors (the nodes whose subtree holds at) have changed
         * (testutil_check_spans has checked them). */
        int32_t delta = (int32_t)(from_end - from) - (int32_t)(at_end - at);
        for (i = 0; i < at; i++) {
            struct node want = t.nodes[i];
            if (i + want.span > at) {
                want.span = (uint32_t)((int32_t)want.span + delta);
                want.height = out.nodes[i].height;
            }
            assert_memory_equal(&out.nodes[i], &want, sizeof want);
        }
        assert_memory_equal(out.nodes + at, t.nodes + from,
                            (from_end - from) * sizeof *t.nodes);
        assert_memory_equal(out.nodes + at + (from_end - from),
                            t.nodes + at_end,
                            (t.size - at_end) * sizeof *t.nodes);
    }
    tree_release(&out);
    tree_release(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_release),
        cmocka_unit_test(test_subtree_end),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_node_level),
        cmocka_unit_test(test_check_good),
        cmocka_unit_test(test_check_malformed),
        cmocka_unit_test(test_splice),
        cmocka_unit_test(test_copy),
        cmocka_unit_test(test_spans),
        cmocka_unit_test(test_random_against_reference),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
