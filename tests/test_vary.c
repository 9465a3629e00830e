/* test_vary: crossover and mutations always make well-formed offspring
 * within the limits, and change the parents only the way they say. */
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

#include "hash.h"
#include "init.h"
#include "prim.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"
#include "vary.h"

#define NVARS 3
#define MAX_DEPTH 5
#define MAX_SIZE 25
#define POOL 50

static struct primset ps;
static struct vary_params vp;

static int setup(void **state)
{
    (void)state;
    memset(&ps, 0, sizeof ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps.funcs[ps.nfuncs++] = (uint16_t)op;
    ps.nvars = NVARS;
    ps.consts[ps.nconsts++] = 1.0;
    ps.range_lo[0] = -1;
    ps.range_hi[0] = 1;
    ps.nranges = 1;
    vp = (struct vary_params){
        .max_depth = MAX_DEPTH,
        .max_size = MAX_SIZE,
        .mutation_max_depth = 3,
        .internal_bias = 0.9,
        .root_points = 1,
        .point_replace = 0.1,
    };
    return 0;
}

/* Fills t from a prefix spec: function names, xN variables, numbers. */
static void build(struct tree *t, const char *spec)
{
    testutil_build(t, NULL, spec);
}

static int same_tree(const struct tree *a, const struct tree *b)
{
    return a->size == b->size &&
           memcmp(a->nodes, b->nodes, a->size * sizeof *a->nodes) == 0;
}

static int is_tree(const struct tree *t, const char *spec)
{
    struct tree want;
    assert_int_equal(tree_init(&want, 64), 0);
    build(&want, spec);
    int same = same_tree(t, &want);
    tree_release(&want);
    return same;
}

/* Two parents and a child of MAX_SIZE nodes each, for crossover tests. */
static void make_trio(struct tree *p1, struct tree *p2, struct tree *child)
{
    assert_int_equal(tree_init(p1, MAX_SIZE), 0);
    assert_int_equal(tree_init(p2, MAX_SIZE), 0);
    assert_int_equal(tree_init(child, MAX_SIZE), 0);
}

static void release_trio(struct tree *p1, struct tree *p2, struct tree *child)
{
    tree_release(p1);
    tree_release(p2);
    tree_release(child);
}

/* A random parent within the limits. */
static void random_parent(struct tree *t, struct rng *r)
{
    for (;;) {
        int depth = (int)rng_below(r, MAX_DEPTH + 1);
        int min_depth = (int)rng_below(r, (uint32_t)depth + 1);
        enum init_method how = rng_below(r, 2) ? INIT_FULL : INIT_GROW;
        if (init_tree(t, &ps, how, min_depth, depth, r) == 0)
            return;
    }
}

/* What every offspring must be. */
static void check_limits(const struct tree *t)
{
    assert_int_equal(tree_check(t, NVARS), 0);
    assert_true(t->size <= vp.max_size);
    assert_true(tree_depth(t) <= vp.max_depth);
    testutil_check_spans(t);
}

/* Nonzero when child is dst with the subtree at some `at` replaced by the
 * subtree of src at some `from` (from inside the replaced subtree and
 * below `at` when `inside`). */
static int is_one_splice(const struct tree *child, const struct tree *dst,
                         const struct tree *src, int inside,
                         struct tree *scratch)
{
    for (uint32_t at = 0; at < dst->size; at++) {
        uint32_t at_end = tree_subtree_end(dst->nodes, at);
        uint32_t lo = inside ? at + 1 : 0, hi = inside ? at_end : src->size;
        for (uint32_t from = lo; from < hi; from++)
            if (tree_splice(scratch, dst, at, src, from) == 0 &&
                same_tree(scratch, child))
                return 1;
    }
    return 0;
}

/* Nonzero when the n nodes at a and b are the same but for their spans
 * and heights (an ancestor of a changed subtree has new ones). */
static int same_but_spans(const struct node *a, const struct node *b,
                          uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        if (a[i].op != b[i].op ||
            (!prim_is_function(a[i].op) && a[i].var != b[i].var) ||
            memcmp(&a[i].value, &b[i].value, sizeof a[i].value) != 0)
            return 0;
    return 1;
}

/* Nonzero when child is p with one subtree replaced by a tree of depth at
 * most `depth` (the subtree mutation's grown branch). */
static int is_one_mutation(const struct tree *child, const struct tree *p,
                           int depth)
{
    for (uint32_t at = 0; at < p->size; at++) {
        uint32_t at_end = tree_subtree_end(p->nodes, at);
        uint32_t tail = p->size - at_end;
        if (child->size < at + tail + 1)
            continue;
        if (!same_but_spans(child->nodes, p->nodes, at) ||
            memcmp(child->nodes + child->size - tail, p->nodes + at_end,
                   tail * sizeof *p->nodes) != 0)
            continue;
        /* The middle must be exactly one subtree. */
        if (tree_subtree_end(child->nodes, at) != child->size - tail)
            continue;
        if (tree_subtree_depth(child->nodes, at) <= depth &&
            tree_node_level(child, at) + tree_subtree_depth(child->nodes, at) <=
                vp.max_depth)
            return 1;
    }
    return 0;
}

/* Same size and the same arity at every position. */
static void check_point(const struct tree *child, const struct tree *p,
                        int *ndiff)
{
    assert_int_equal(child->size, p->size);
    *ndiff = 0;
    for (uint32_t i = 0; i < p->size; i++) {
        assert_int_equal(prim_arity(child->nodes[i].op),
                         prim_arity(p->nodes[i].op));
        *ndiff += memcmp(&child->nodes[i], &p->nodes[i], sizeof *p->nodes) != 0;
    }
}

static void test_crossover_random(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 1, 1);
    struct tree p1, p2, child, scratch;
    assert_int_equal(tree_init(&p1, MAX_SIZE), 0);
    assert_int_equal(tree_init(&p2, MAX_SIZE), 0);
    assert_int_equal(tree_init(&child, 2 * MAX_SIZE), 0);
    assert_int_equal(tree_init(&scratch, 2 * MAX_SIZE), 0);
    int changed = 0;
    for (int n = 0; n < 5000; n++) {
        random_parent(&p1, &r);
        random_parent(&p2, &r);
        vp.internal_bias = n % 3 == 0 ? 0.0 : n % 3 == 1 ? 0.9 : 1.0;
        int rc = vary_crossover(&child, &p1, &p2, &vp, &r);
        check_limits(&child);
        if (rc) {
            changed++;
            /* 1 only for another program than p1 */
            assert_false(same_tree(&child, &p1));
            assert_true(is_one_splice(&child, &p1, &p2, 0, &scratch));
        } else {
            assert_true(same_tree(&child, &p1));
        }
    }
    vp.internal_bias = 0.9;
    assert_true(changed > 2500);
    tree_release(&scratch);
    release_trio(&p1, &p2, &child);
}

/* Crossover judges a donor subtree's depth by the height its root keeps:
 * offspring within the limits, their heights right; and heights that
 * claim less (all 0) wave deep subtrees through, so the heights are what
 * decides in these draws and the check above would see them go wrong. */
static void test_crossover_heights(void **state)
{
    (void)state;
    struct vary_params big = vp;
    big.max_size = 2 * MAX_SIZE;
    struct rng r;
    rng_seed(&r, 5, 5);
    struct tree p1, p2, child;
    assert_int_equal(tree_init(&p1, MAX_SIZE), 0);
    assert_int_equal(tree_init(&p2, MAX_SIZE), 0);
    assert_int_equal(tree_init(&child, 2 * MAX_SIZE), 0);
    int too_deep = 0;
    for (int n = 0; n < 5000; n++) {
        random_parent(&p1, &r);
        random_parent(&p2, &r);
        vary_crossover(&child, &p1, &p2, &big, &r);
        assert_true(tree_depth(&child) <= MAX_DEPTH);
        testutil_check_spans(&child);
        for (uint32_t i = 0; i < p2.size; i++)
            if (prim_is_function(p2.nodes[i].op))
                p2.nodes[i].height = 0;
        vary_crossover(&child, &p1, &p2, &big, &r);
        too_deep += tree_depth(&child) > MAX_DEPTH;
    }
    assert_true(too_deep > 0);
    tree_release(&child);
    tree_release(&p2);
    tree_release(&p1);
}

static void test_subtree_random(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 2, 2);
    struct tree p, child, scratch;
    /* Room beyond max_size, so that only the limits keep the child small
     * (the pool test below uses exact rooms). */
    assert_int_equal(tree_init(&p, MAX_SIZE), 0);
    assert_int_equal(tree_init(&child, 2 * MAX_SIZE), 0);
    assert_int_equal(tree_init(&scratch, 2 * MAX_SIZE), 0);
    int changed = 0;
    for (int n = 0; n < 5000; n++) {
        random_parent(&p, &r);
        vp.mutation_max_depth = (int)rng_below(&r, MAX_DEPTH + 1);
        int rc = vary_subtree(&child, &p, &scratch, &ps, &vp, &r);
        check_limits(&child);
        assert_int_equal(scratch.cap, 2 * MAX_SIZE); /* restored */
        if (rc) {
            changed++;
            assert_false(same_tree(&child, &p));
            assert_true(is_one_mutation(&child, &p, vp.mutation_max_depth));
        } else {
            assert_true(same_tree(&child, &p));
        }
    }
    vp.mutation_max_depth = 3;
    assert_true(changed > 2500);
    tree_release(&scratch);
    tree_release(&child);
    tree_release(&p);
}

static void test_point_random(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 3, 3);
    struct tree p, child;
    assert_int_equal(tree_init(&p, MAX_SIZE), 0);
    assert_int_equal(tree_init(&child, MAX_SIZE), 0);
    long total_diff = 0, total_nodes = 0, unchanged = 0;
    for (int n = 0; n < 5000; n++) {
        random_parent(&p, &r);
        int ndiff;
        int rc = vary_point(&child, &p, &ps, &vp, &r);
        check_limits(&child);
        check_point(&child, &p, &ndiff);
        /* 0 exactly when every point was drawn as it was */
        assert_int_equal(rc, ndiff > 0);
        assert_int_equal(rc, !same_tree(&child, &p));
        unchanged += !rc;
        total_diff += ndiff;
        total_nodes += p.size;
    }
    /* About point_replace of the nodes change, and at least one is
     * replaced per offspring (it may draw the same primitive: then,
     * now and then, the child is the parent). */
    assert_true(unchanged > 0 && unchanged < 5000 / 5); /* 570 */
    assert_true(total_diff > total_nodes / 20);
    assert_true(total_diff < total_nodes / 3);

    /* point_replace 0: the one forced replacement only. */
    vp.point_replace = 0.0;
    int some = 0;
    for (int n = 0; n < 2000; n++) {
        random_parent(&p, &r);
        int ndiff;
        int rc = vary_point(&child, &p, &ps, &vp, &r);
        check_limits(&child);
        check_point(&child, &p, &ndiff);
        assert_in_range(ndiff, 0, 1);
        assert_int_equal(rc, ndiff);
        some += ndiff;
    }
    assert_true(some > 1500);

    /* point_replace 1: every node redrawn, shape kept. */
    vp.point_replace = 1.0;
    for (int n = 0; n < 500; n++) {
        random_parent(&p, &r);
        int ndiff;
        int rc = vary_point(&child, &p, &ps, &vp, &r);
        check_limits(&child);
        check_point(&child, &p, &ndiff);
        assert_int_equal(rc, ndiff > 0);
    }
    vp.point_replace = 0.1;
    tree_release(&child);
    tree_release(&p);
}

static void test_hoist_random(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 4, 4);
    struct tree p, child, scratch;
    assert_int_equal(tree_init(&p, MAX_SIZE), 0);
    assert_int_equal(tree_init(&child, MAX_SIZE), 0);
    assert_int_equal(tree_init(&scratch, MAX_SIZE), 0);
    int changed = 0;
    for (int n = 0; n < 5000; n++) {
        random_parent(&p, &r);
        int rc = vary_hoist(&child, &p, &r);
        check_limits(&child);
        assert_true(child.size <= p.size);
        assert_true(tree_depth(&child) <= tree_depth(&p));
        if (rc) {
            changed++;
            assert_true(child.size < p.size);
            assert_true(is_one_splice(&child, &p, &p, 1, &scratch));
        } else {
            assert_true(same_tree(&child, &p));
        }
    }
    assert_true(changed > 1000);
    /* A lone terminal has nothing to hoist. */
    build(&p, "x1");
    for (int n = 0; n < 10; n++) {
        assert_int_equal(vary_hoist(&child, &p, &r), 0);
        assert_true(same_tree(&child, &p));
    }
    /* One function over terminals: the child is one of the terminals. */
    build(&p, "add x0 x1");
    int saw0 = 0, saw1 = 0;
    for (int n = 0; n < 200; n++) {
        if (vary_hoist(&child, &p, &r)) {
            saw0 |= is_tree(&child, "x0");
            saw1 |= is_tree(&child, "x1");
            assert_true(is_tree(&child, "x0") || is_tree(&child, "x1"));
        } else {
            assert_true(same_tree(&child, &p));
        }
    }
    assert_true(saw0 && saw1);
    tree_release(&scratch);
    tree_release(&child);
    tree_release(&p);
}

/* Crossover on hand-made parents: exactly the expected children. */
static void test_crossover_example(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 5, 5);
    struct tree p1, p2, child;
    make_trio(&p1, &p2, &child);

    /* Terminal points only: a leaf of p1 becomes a leaf of p2. */
    build(&p1, "add x0 x1");
    build(&p2, "mul x2 neg 3");
    vp.internal_bias = 0.0;
    static const char *const leaf[] = {"add x2 x1", "add 3 x1", "add x0 x2",
                                       "add x0 3"};
    int seen[4] = {0};
    for (int n = 0; n < 400; n++) {
        assert_int_equal(vary_crossover(&child, &p1, &p2, &vp, &r), 1);
        int which = -1;
        for (int k = 0; k < 4; k++)
            if (is_tree(&child, leaf[k]))
                which = k;
        assert_true(which >= 0);
        seen[which]++;
    }
    for (int k = 0; k < 4; k++)
        assert_in_range(seen[k], 60, 140);

    /* Function points only. */
    build(&p1, "add sin x0 x1");
    vp.internal_bias = 1.0;
    static const char *const inner[] = {"mul x2 neg 3", "neg 3",
                                        "add mul x2 neg 3 x1", "add neg 3 x1"};
    memset(seen, 0, sizeof seen);
    for (int n = 0; n < 400; n++) {
        assert_int_equal(vary_crossover(&child, &p1, &p2, &vp, &r), 1);
        int which = -1;
        for (int k = 0; k < 4; k++)
            if (is_tree(&child, inner[k]))
                which = k;
        assert_true(which >= 0);
        seen[which]++;
    }
    for (int k = 0; k < 4; k++)
        assert_in_range(seen[k], 60, 140);

    /* The depth limit: only branches that fit are taken, else a copy. */
    build(&p1, "neg neg neg neg neg x0"); /* depth 5: the limit */
    build(&p2, "sin cos x1");
    for (int n = 0; n < 400; n++) {
        int rc = vary_crossover(&child, &p1, &p2, &vp, &r);
        check_limits(&child);
        if (!rc)
            assert_true(same_tree(&child, &p1));
    }

    /* The size limit: a 5-node branch never replaces the root. */
    vp.max_size = 4;
    build(&p1, "sub x0 x1");
    build(&p2, "add add x0 x1 x2");
    int copies = 0;
    for (int n = 0; n < 400; n++) {
        int rc = vary_crossover(&child, &p1, &p2, &vp, &r);
        if (rc)
            assert_true(is_tree(&child, "add x0 x1"));
        else
            assert_true(same_tree(&child, &p1));
        copies += !rc;
    }
    assert_true(copies < 40); /* all five tries fail: 1 in 32 */
    vp.max_size = MAX_SIZE;

    /* A lone terminal as the first parent is replaced whole. */
    build(&p1, "x0");
    build(&p2, "add x1 x2");
    vp.internal_bias = 0.9;
    for (int n = 0; n < 100; n++) {
        assert_int_equal(vary_crossover(&child, &p1, &p2, &vp, &r), 1);
        assert_true(is_tree(&child, "add x1 x2") || is_tree(&child, "x1") ||
                    is_tree(&child, "x2"));
    }
    release_trio(&p1, &p2, &child);
}

/* The defaults with function points only, never a root (root_crossover
 * = never, internal_bias = 1). */
static struct vary_params function_points_no_roots(void)
{
    struct vary_params p = vp;
    p.root_points = 0;
    p.internal_bias = 1.0;
    return p;
}

/* A tree whose spans are wrong (a bug somewhere) cannot hang crossover:
 * the root's span says there is a function below it, there is none, and
 * the draw for a function point gives up after its bound. */
/* A crossover that puts back what it takes out (a subtree of p2 equal to
 * the one replaced) makes p1 again: 0, a copy; every 1 is another
 * program. mul x0 x0 with itself: the root swapped for a leaf gives x0,
 * a leaf for the root (mul x0 x0) x0 or x0 (mul x0 x0), a leaf for a
 * leaf or the root for the root gives the parent back. */
static void test_crossover_rebuilding_the_parent(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 8, 8);
    struct tree p1, p2, child;
    make_trio(&p1, &p2, &child);
    build(&p1, "mul x0 x0");
    build(&p2, "mul x0 x0");
    vp.internal_bias = 0.5;
    int copies = 0, others = 0;
    for (int n = 0; n < 400; n++) {
        int rc = vary_crossover(&child, &p1, &p2, &vp, &r);
        check_limits(&child);
        if (rc) {
            others++;
            assert_true(is_tree(&child, "x0") ||
                        is_tree(&child, "mul mul x0 x0 x0") ||
                        is_tree(&child, "mul x0 mul x0 x0"));
        } else {
            copies++;
            assert_true(same_tree(&child, &p1));
        }
    }
    /* leaf for leaf (1/4) and root for root (1/4): about half */
    assert_true(copies > 120 && copies < 280);
    assert_true(others > 120);
    vp.internal_bias = 0.9;
    release_trio(&p1, &p2, &child);
}

static void test_crossover_wrong_spans_end(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 8, 8);
    struct tree p1, p2, child;
    make_trio(&p1, &p2, &child);
    struct vary_params functions_only = function_points_no_roots();
    build(&p1, "add x0 x1");
    build(&p2, "mul x2 x3");
    p1.nodes[0].span = 5; /* wrong: add x0 x1 has 3 nodes */
    for (int n = 0; n < 10; n++)
        assert_true(vary_crossover(&child, &p1, &p2, &functions_only, &r) >=
                    0);
    release_trio(&p1, &p2, &child);
}

/* root_crossover = never: no point is a root, as in DEAP's crossover. */
static void test_crossover_without_roots(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 6, 6);
    struct tree p1, p2, child;
    make_trio(&p1, &p2, &child);
    struct vary_params no_roots = function_points_no_roots();

    /* Function points only, roots left out: neg 3 (p2's only function
     * below its root) goes in for sin x0 (p1's); with roots, the whole of
     * either parent takes part too. */
    build(&p1, "add sin x0 x1");
    build(&p2, "mul x2 neg 3");
    for (int n = 0; n < 200; n++) {
        assert_int_equal(
            vary_crossover(&child, &p1, &p2, &no_roots, &r), 1);
        assert_true(is_tree(&child, "add neg 3 x1"));
    }
    struct vary_params roots = no_roots;
    roots.root_points = 1;
    int whole = 0;
    for (int n = 0; n < 200; n++) {
        assert_int_equal(vary_crossover(&child, &p1, &p2, &roots, &r), 1);
        whole += !is_tree(&child, "add neg 3 x1");
    }
    assert_true(whole > 0);

    /* A root that is p2's only function: terminals are all it has left. */
    build(&p2, "mul x2 x3");
    for (int n = 0; n < 100; n++) {
        assert_int_equal(
            vary_crossover(&child, &p1, &p2, &no_roots, &r), 1);
        assert_true(is_tree(&child, "add x2 x1") ||
                    is_tree(&child, "add x3 x1"));
    }

    /* A one-node parent leaves nothing to cross: the child is p1. */
    build(&p2, "x2");
    assert_int_equal(vary_crossover(&child, &p1, &p2, &no_roots, &r), 0);
    assert_true(same_tree(&child, &p1));
    build(&p1, "x0");
    build(&p2, "mul x2 x3");
    assert_int_equal(vary_crossover(&child, &p1, &p2, &no_roots, &r), 0);
    assert_true(is_tree(&child, "x0"));
    release_trio(&p1, &p2, &child);
}

/* Point mutation draws functions of the same arity only. */
static void test_point_example(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 6, 6);
    struct primset small = ps;
    small.nfuncs = 0;
    small.funcs[small.nfuncs++] = OP_ADD;
    small.funcs[small.nfuncs++] = OP_SIN;
    small.funcs[small.nfuncs++] = OP_MUL;
    small.funcs[small.nfuncs++] = OP_COS;
    struct tree p, child;
    assert_int_equal(tree_init(&p, MAX_SIZE), 0);
    assert_int_equal(tree_init(&child, MAX_SIZE), 0);
    build(&p, "add sin x0 x1");
    vp.point_replace = 1.0;
    int seen_mul = 0, seen_cos = 0;
    for (int n = 0; n < 200; n++) {
        int rc = vary_point(&child, &p, &small, &vp, &r);
        assert_int_equal(rc, !same_tree(&child, &p));
        assert_true(child.nodes[0].op == OP_ADD || child.nodes[0].op == OP_MUL);
        assert_true(child.nodes[1].op == OP_SIN || child.nodes[1].op == OP_COS);
        seen_mul |= child.nodes[0].op == OP_MUL;
        seen_cos |= child.nodes[1].op == OP_COS;
        check_limits(&child);
    }
    assert_true(seen_mul && seen_cos);
    vp.point_replace = 0.1;
    tree_release(&child);
    tree_release(&p);
}

/*
 * A pool of trees bred from itself for many steps, every operator on the
 * offspring of the others: each child checked. Returns a hash of every
 * child and the final stream, for the determinism test.
 */
static uint64_t evolve_pool(uint64_t seed, int steps)
{
    struct rng r;
    rng_seed(&r, seed, 7);
    struct tree pool[POOL], child, scratch;
    for (int i = 0; i < POOL; i++) {
        assert_int_equal(tree_init(&pool[i], MAX_SIZE), 0);
        random_parent(&pool[i], &r);
    }
    assert_int_equal(tree_init(&child, MAX_SIZE), 0);
    assert_int_equal(tree_init(&scratch, MAX_SIZE), 0);
    uint64_t h = HASH_INIT;
    for (int s = 0; s < steps; s++) {
        const struct tree *a = &pool[rng_below(&r, POOL)];
        const struct tree *b = &pool[rng_below(&r, POOL)];
        switch (rng_below(&r, 4)) {
        case 0:
            vary_crossover(&child, a, b, &vp, &r);
            break;
        case 1:
            vary_subtree(&child, a, &scratch, &ps, &vp, &r);
            break;
        case 2:
            vary_point(&child, a, &ps, &vp, &r);
            break;
        default:
            vary_hoist(&child, a, &r);
            break;
        }
        check_limits(&child);
        h = hash_update(h, child.nodes, child.size * sizeof *child.nodes);
        tree_copy(&pool[rng_below(&r, POOL)], &child);
    }
    h = hash_update(h, &r, sizeof r);
    for (int i = 0; i < POOL; i++)
        tree_release(&pool[i]);
    tree_release(&scratch);
    tree_release(&child);
    return h;
}

static void test_pool_and_determinism(void **state)
{
    (void)state;
    uint64_t a = evolve_pool(42, 10000);
    uint64_t b = evolve_pool(42, 10000);
    assert_true(a == b);
    uint64_t c = evolve_pool(43, 10000);
    assert_true(a != c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crossover_random),
        cmocka_unit_test(test_crossover_heights),
        cmocka_unit_test(test_subtree_random),
        cmocka_unit_test(test_point_random),
        cmocka_unit_test(test_hoist_random),
        cmocka_unit_test(test_crossover_example),
        cmocka_unit_test(test_crossover_without_roots),
        cmocka_unit_test(test_crossover_rebuilding_the_parent),
        cmocka_unit_test(test_crossover_wrong_spans_end),
        cmocka_unit_test(test_point_example),
        cmocka_unit_test(test_pool_and_determinism),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
