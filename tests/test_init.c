/* test_init: grow, full and ramped half-and-half initialisation. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "init.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"

#define NVARS 3

/* Every function, three variables, two constants and two ranges. */
static void all_functions(struct primset *ps)
{
    memset(ps, 0, sizeof *ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps->funcs[ps->nfuncs++] = (uint16_t)op;
    ps->nvars = NVARS;
    ps->consts[ps->nconsts++] = 1.0;
    ps->consts[ps->nconsts++] = 2.0;
    ps->range_lo[0] = -1;
    ps->range_hi[0] = 1;
    ps->range_lo[1] = 10;
    ps->range_hi[1] = 20;
    ps->nranges = 2;
}

/* Only add: every full tree of depth d has 2^(d+1) - 1 nodes. */
static void only_add(struct primset *ps)
{
    memset(ps, 0, sizeof *ps);
    ps->funcs[ps->nfuncs++] = OP_ADD;
    ps->nvars = 1;
}

/* A terminal is a variable in range, a fixed constant or an ERC in range. */
static void check_terminal(const struct node *nd, const struct primset *ps)
{
    assert_int_equal(nd->span, 1);
    if (nd->op == OP_VAR) {
        assert_in_range(nd->var, 0, ps->nvars - 1);
        assert_true(nd->value == 0.0);
        return;
    }
    assert_int_equal(nd->op, OP_CONST);
    assert_int_equal(nd->var, 0);
    for (int k = 0; k < ps->nconsts; k++)
        if (nd->value == ps->consts[k])
            return;
    for (int k = 0; k < ps->nranges; k++)
        if (nd->value >= ps->range_lo[k] && nd->value < ps->range_hi[k])
            return;
    fail_msg("constant %g is from no constant or range", nd->value);
}

/* Checks shape and contents of a tree init_tree wrote. */
static void check_tree(const struct tree *t, const struct primset *ps,
                       enum init_method how, int min_depth, int depth)
{
    assert_int_equal(tree_check(t, ps->nvars), 0);
    testutil_check_spans(t);
    assert_true(t->size <= t->cap);
    assert_true(tree_depth(t) <= depth);
    int floor = min_depth < depth ? min_depth : depth;
    for (uint32_t i = 0; i < t->size; i++) {
        const struct node *nd = &t->nodes[i];
        int level = tree_node_level(t, i);
        if (prim_arity(nd->op) == 0) {
            check_terminal(nd, ps);
            if (how == INIT_FULL && ps->nfuncs > 0)
                assert_int_equal(level, depth); /* every leaf at depth */
            else
                assert_true(level >= floor || ps->nfuncs == 0);
        } else {
            assert_true(level < depth);
            int in_set = 0;
            for (int k = 0; k < ps->nfuncs; k++)
                in_set |= ps->funcs[k] == nd->op;
            assert_true(in_set);
        }
    }
    if (how == INIT_FULL && ps->nfuncs > 0)
        assert_int_equal(tree_depth(t), depth);
}

static void test_grow_full_random(void **state)
{
    (void)state;
    struct primset ps;
    all_functions(&ps);
    struct rng r;
    rng_seed(&r, 1, 2);
    struct tree t;
    assert_int_equal(tree_init(&t, 60), 0);
    int fitted = 0, too_big = 0, deepest_grow = 0;
    for (int n = 0; n < 4000; n++) {
        int depth = (int)rng_below(&r, 9);
        int min_depth = (int)rng_below(&r, 9);
        enum init_method how = n % 2 ? INIT_FULL : INIT_GROW;
        if (init_tree(&t, &ps, how, min_depth, depth, &r) < 0) {
            too_big++;
            continue;
        }
        fitted++;
        check_tree(&t, &ps, how, min_depth, depth);
        if (how == INIT_GROW && tree_depth(&t) > deepest_grow)
            deepest_grow = tree_depth(&t);
    }
    assert_true(fitted > 2000);
    assert_true(too_big > 0);
    assert_true(deepest_grow >= 6); /* grow does reach deep */
    tree_release(&t);
}

/* Grow with min_depth 0 makes lone terminals sometimes, and not always. */
static void test_grow_mixes(void **state)
{
    (void)state;
    struct primset ps;
    all_functions(&ps);
    struct rng r;
    rng_seed(&r, 3, 4);
    struct tree t;
    assert_int_equal(tree_init(&t, 200), 0);
    int lone = 0;
    for (int n = 0; n < 1000; n++) {
        assert_int_equal(init_tree(&t, &ps, INIT_GROW, 0, 2, &r), 0);
        check_tree(&t, &ps, INIT_GROW, 0, 2);
        lone += t.size == 1;
    }
    /* The root is a terminal with chance 7 / (15 + 7). */
    assert_in_range(lone, 200, 450);
    /* Depth 0: a lone terminal, whatever the method. */
    for (int n = 0; n < 100; n++) {
        assert_int_equal(
            init_tree(&t, &ps, n % 2 ? INIT_FULL : INIT_GROW, 3, 0, &r), 0);
        assert_int_equal(t.size, 1);
        check_terminal(&t.nodes[0], &ps);
    }
    tree_release(&t);
}

static void test_cap(void **state)
{
    (void)state;
    struct primset ps;
    only_add(&ps);
    struct rng r;
    rng_seed(&r, 5, 6);
    struct tree t;
    for (int depth = 0; depth <= 5; depth++) {
        uint32_t need = (2u << depth) - 1;
        assert_int_equal(tree_init(&t, need - 1), 0);
        assert_int_equal(init_tree(&t, &ps, INIT_FULL, 0, depth, &r), -1);
        tree_release(&t);
        assert_int_equal(tree_init(&t, need), 0);
        assert_int_equal(init_tree(&t, &ps, INIT_FULL, 0, depth, &r), 0);
        assert_int_equal(t.size, need);
        check_tree(&t, &ps, INIT_FULL, 0, depth);
        tree_release(&t);
    }
    /* Grow never writes past the cap either. */
    all_functions(&ps);
    assert_int_equal(tree_init(&t, 5), 0);
    int ok = 0;
    for (int n = 0; n < 500; n++)
        if (init_tree(&t, &ps, INIT_GROW, 1, 6, &r) == 0) {
            ok++;
            check_tree(&t, &ps, INIT_GROW, 1, 6);
        }
    assert_true(ok > 0 && ok < 500);
    tree_release(&t);
}

/* No functions: every tree is a lone terminal. */
static void test_terminals_only(void **state)
{
    (void)state;
    struct primset ps;
    all_functions(&ps);
    ps.nfuncs = 0;
    struct rng r;
    rng_seed(&r, 7, 8);
    struct tree t;
    assert_int_equal(tree_init(&t, 10), 0);
    for (int n = 0; n < 100; n++) {
        assert_int_equal(
            init_tree(&t, &ps, n % 2 ? INIT_FULL : INIT_GROW, 2, 4, &r), 0);
        assert_int_equal(t.size, 1);
        check_terminal(&t.nodes[0], &ps);
    }
    tree_release(&t);
}

/* Terminals are drawn uniformly among variables, constants and ranges. */
static void test_terminal_distribution(void **state)
{
    (void)state;
    struct primset ps;
    all_functions(&ps);
    struct rng r;
    rng_seed(&r, 9, 10);
    int count[7] = {0};
    enum { N = 70000 };
    for (int n = 0; n < N; n++) {
        struct node nd;
        memset(&nd, 0xff, sizeof nd);
        init_terminal(&nd, &ps, &r);
        check_terminal(&nd, &ps);
        if (nd.op == OP_VAR)
            count[nd.var]++;
        else if (nd.value == 1.0)
            count[3]++;
        else if (nd.value == 2.0)
            count[4]++;
        else if (nd.value < 1.0)
            count[5]++;
        else
            count[6]++;
    }
    for (int k = 0; k < 7; k++)
        assert_in_range(count[k], N / 7 - 500, N / 7 + 500);
    /* Functions uniformly from the set. */
    int fcount[OP_COUNT] = {0};
    for (int n = 0; n < 1000 * (OP_COUNT - OP_ADD); n++)
        fcount[init_function(&ps, &r)]++;
    for (int op = OP_ADD; op < OP_COUNT; op++)
        assert_in_range(fcount[op], 1000 - 150, 1000 + 150);
}

static void test_ramped(void **state)
{
    (void)state;
    struct primset ps;
    all_functions(&ps);
    struct rng r;
    rng_seed(&r, 11, 12);
    struct population p;
    assert_int_equal(pop_init(&p, 60, 500), 0);
    for (size_t i = 0; i < p.n; i++) {
        p.ind[i].status = EVAL_INVALID;
        p.ind[i].fitness = 42;
    }
    init_ramped(&p, &ps, 2, 4, &r);
    for (size_t i = 0; i < p.n; i++) {
        const struct individual *x = &p.ind[i];
        int depth = 2 + (int)((i / 2) % 3);
        enum init_method how = i % 2 == 0 ? INIT_FULL : INIT_GROW;
        check_tree(&x->tree, &ps, how, 2, depth);
        if (how == INIT_GROW)
            assert_true(tree_depth(&x->tree) >= 2);
        assert_int_equal(x->status, EVAL_OK);
        assert_true(x->fitness == 0.0);
    }
    pop_release(&p);

    /* min == max: one depth for everyone. */
    assert_int_equal(pop_init(&p, 8, 500), 0);
    init_ramped(&p, &ps, 3, 3, &r);
    for (size_t i = 0; i < p.n; i++)
        check_tree(&p.ind[i].tree, &ps, i % 2 ? INIT_GROW : INIT_FULL, 3, 3);
    pop_release(&p);
}

/* A full tree too big for its cap is drawn one level shallower. */
static void test_ramped_shrinks(void **state)
{
    (void)state;
    struct primset ps;
    only_add(&ps);
    struct rng r;
    rng_seed(&r, 13, 14);
    struct population p;
    /* Depths 1, 1, 2, 2, 3, 3: the full depth-3 tree (15 nodes) does not
     * fit in 7, the depth-2 one does. */
    assert_int_equal(pop_init(&p, 6, 7), 0);
    init_ramped(&p, &ps, 1, 3, &r);
    check_tree(&p.ind[0].tree, &ps, INIT_FULL, 1, 1);
    check_tree(&p.ind[2].tree, &ps, INIT_FULL, 1, 2);
    check_tree(&p.ind[4].tree, &ps, INIT_FULL, 1, 2);
    assert_int_equal(p.ind[4].tree.size, 7);
    for (size_t i = 1; i < p.n; i += 2)
        check_tree(&p.ind[i].tree, &ps, INIT_GROW, 1, 3);
    pop_release(&p);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct primset ps;
    all_functions(&ps);
    struct rng r1, r2;
    rng_seed(&r1, 99, 1);
    rng_seed(&r2, 99, 1);
    struct population a, b;
    assert_int_equal(pop_init(&a, 50, 300), 0);
    assert_int_equal(pop_init(&b, 50, 300), 0);
    init_ramped(&a, &ps, 1, 6, &r1);
    init_ramped(&b, &ps, 1, 6, &r2);
    assert_memory_equal(&r1, &r2, sizeof r1);
    for (size_t i = 0; i < a.n; i++) {
        assert_int_equal(a.ind[i].tree.size, b.ind[i].tree.size);
        assert_memory_equal(a.ind[i].tree.nodes, b.ind[i].tree.nodes,
                            a.ind[i].tree.size * sizeof(struct node));
    }
    /* A different seed gives a different population. */
    rng_seed(&r2, 100, 1);
    init_ramped(&b, &ps, 1, 6, &r2);
    int differ = 0;
    for (size_t i = 0; i < a.n; i++)
        differ |= a.ind[i].tree.size != b.ind[i].tree.size ||
                  memcmp(a.ind[i].tree.nodes, b.ind[i].tree.nodes,
                         a.ind[i].tree.size * sizeof(struct node)) != 0;
    assert_true(differ);
    pop_release(&a);
    pop_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_grow_full_random),
        cmocka_unit_test(test_grow_mixes),
        cmocka_unit_test(test_cap),
        cmocka_unit_test(test_terminals_only),
        cmocka_unit_test(test_terminal_distribution),
        cmocka_unit_test(test_ramped),
        cmocka_unit_test(test_ramped_shrinks),
        cmocka_unit_test(test_deterministic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
