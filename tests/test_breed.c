/* test_breed: the next generation keeps its elites and stays in limits. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "breed.h"
#include "config.h"
#include "hash.h"
#include "init.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "select.h"
#include "testutil.h"
#include "tree.h"

#define NVARS 3
#define POP 60
#define MAX_DEPTH 5
#define MAX_SIZE 25

static struct primset ps;

static void all_functions(void)
{
    memset(&ps, 0, sizeof ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps.funcs[ps.nfuncs++] = (uint16_t)op;
    ps.nvars = NVARS;
    ps.consts[ps.nconsts++] = 1.0;
    ps.range_lo[0] = -1;
    ps.range_hi[0] = 1;
    ps.nranges = 1;
}

/* A breeding plan (config_load and run.c's translation are tested apart). */
static void plan(struct breed_options *o, size_t elitism,
                 const double share[BREED_NOPS])
{
    memset(o, 0, sizeof *o);
    o->vp.max_depth = MAX_DEPTH;
    o->vp.max_size = MAX_SIZE;
    o->vp.mutation_max_depth = 3;
    o->vp.internal_bias = 0.9;
    o->vp.root_points = 1;
    o->vp.point_replace = 0.1;
    o->tournament_size = 4;
    o->elitism = elitism;
    for (int k = 0; k < BREED_NOPS; k++)
        o->share[k] = share[k];
}

static const double mixed[BREED_NOPS] = {
    [BREED_CROSSOVER] = 0.5, [BREED_SUBTREE] = 0.15, [BREED_POINT] = 0.15,
    [BREED_HOIST] = 0.1, [BREED_REPRODUCTION] = 0.1};

/* A made-up fitness that depends on the tree only, with ties and failures. */
static void score(struct population *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct individual *x = &p->ind[i];
        uint64_t h =
            hash_bytes(x->tree.nodes, x->tree.size * sizeof *x->tree.nodes);
        x->status = h % 7 == 0 ? EVAL_INVALID : EVAL_OK;
        x->fitness = (double)(h % 20);
    }
}

static void check_limits(const struct tree *t)
{
    assert_int_equal(tree_check(t, NVARS), 0);
    assert_true(t->size <= MAX_SIZE);
    assert_true(tree_depth(t) <= MAX_DEPTH);
    testutil_check_spans(t);
}

static int same_tree(const struct tree *a, const struct tree *b)
{
    return a->size == b->size &&
           memcmp(a->nodes, b->nodes, a->size * sizeof *a->nodes) == 0;
}

/* A population's bytes: trees, statuses and fitnesses. */
static uint64_t hash_pop(const struct population *p)
{
    uint64_t h = HASH_INIT;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        h = hash_update(h, &x->tree.size, sizeof x->tree.size);
        h = hash_update(h, x->tree.nodes, x->tree.size * sizeof *x->tree.nodes);
        h = hash_update(h, &x->status, sizeof x->status);
    }
    return h;
}

/*
 * Runs `gens` generations from a seeded ramped population, checking each
 * one; returns a hash of every generation and the final stream.
 */
static uint64_t run(uint64_t seed, int gens, size_t elitism,
                    const double share[BREED_NOPS], const struct ranking *rk)
{
    struct breed_options c;
    plan(&c, elitism, share);
    struct breed b;
    assert_int_equal(breed_init(&b, &c), 0);
    assert_int_equal(b.scratch.cap, MAX_SIZE);
    struct rng r;
    rng_seed(&r, seed, 1);
    struct population pa, pb, *cur = &pa, *next = &pb;
    assert_int_equal(pop_init(&pa, POP, MAX_SIZE), 0);
    assert_int_equal(pop_init(&pb, POP, MAX_SIZE), 0);
    init_ramped(cur, &ps, 1, 4, &r);
    uint64_t h = HASH_INIT;
    size_t want[POP];
    for (int g = 0; g < gens; g++) {
        score(cur);
        uint64_t before = hash_pop(cur);
        for (size_t i = 0; i < next->n; i++)
            next->ind[i].status = EVAL_INVALID;
        assert_int_equal(breed_next(&b, next, cur, &ps, rk, g, &r), 0);
        /* The parents are read, never written. */
        assert_true(hash_pop(cur) == before);
        /* The elites first, best first, unchanged. */
        assert_int_equal(select_best(cur, rk, want, elitism), 0);
        for (size_t i = 0; i < elitism; i++)
            assert_true(same_tree(&next->ind[i].tree, &cur->ind[want[i]].tree));
        /* Every offspring is within the limits, and a new one is to be
         * scored; a copy carries its parent's score, whatever it was. */
        for (size_t i = 0; i < next->n; i++) {
            check_limits(&next->ind[i].tree);
            assert_true(next->ind[i].status == EVAL_OK ||
                        next->ind[i].origin == ORIGIN_COPY);
        }
        /* Reproduction only: every offspring is a copy of some parent. */
        if (share[BREED_REPRODUCTION] == 1.0)
            for (size_t i = elitism; i < next->n; i++) {
                int found = 0;
                for (size_t j = 0; j < cur->n && !found; j++)
                    found = same_tree(&next->ind[i].tree, &cur->ind[j].tree);
                assert_true(found);
            }
        h ^= hash_pop(next) + (uint64_t)g;
        struct population *t = cur;
        cur = next;
        next = t;
    }
    h = hash_update(h, &r, sizeof r);
    pop_release(&pa);
    pop_release(&pb);
    breed_release(&b);
    return h;
}

static void test_mixed(void **state)
{
    (void)state;
    static const struct ranking rk = {0, 0.0};
    run(1, 30, 3, mixed, &rk);
    static const struct ranking rk_max = {1, 0.05};
    run(2, 30, 1, mixed, &rk_max);
}

static void test_no_elitism(void **state)
{
    (void)state;
    static const struct ranking rk = {0, 0.0};
    run(3, 10, 0, mixed, &rk);
}

/* Each operator alone keeps every offspring in the limits. */
static void test_each_operator(void **state)
{
    (void)state;
    static const struct ranking rk = {0, 0.01};
    for (int op = 0; op < BREED_NOPS; op++) {
        if (op == BREED_RDO) /* numeric primitives: test_rdo's */
            continue;
        double share[BREED_NOPS] = {0};
        share[op] = 1.0;
        run(10 + (uint64_t)op, 15, 2, share, &rk);
    }
}

static void test_deterministic(void **state)
{
    (void)state;
    static const struct ranking rk = {0, 0.0};
    uint64_t a = run(7, 20, 2, mixed, &rk);
    uint64_t b = run(7, 20, 2, mixed, &rk);
    uint64_t c = run(8, 20, 2, mixed, &rk);
    assert_true(a == b);
    assert_true(a != c);
}

/* Island k's slices: sizes that differ by at most one, end to end. */
static void test_island_slices(void **state)
{
    (void)state;
    size_t lo, hi, end = 0;
    for (size_t k = 0; k < 3; k++) {
        breed_island(10, 3, k, &lo, &hi);
        assert_int_equal(lo, end);
        assert_true(hi - lo == 3 || (k == 2 && hi - lo == 4));
        end = hi;
    }
    assert_int_equal(end, 10);
    breed_island(7, 1, 0, &lo, &hi);
    assert_int_equal(lo, 0);
    assert_int_equal(hi, 7);
}

/* cur scored by index (individual i: 100 + i, lower is better), but
 * individual `star` of island 0 the best of all. */
static void score_by_index(struct population *p, size_t star)
{
    for (size_t i = 0; i < p->n; i++) {
        p->ind[i].status = EVAL_OK;
        p->ind[i].fitness = i == star ? 0.0 : 100.0 + (double)i;
        p->ind[i].origin = ORIGIN_NEW;
    }
}

/* Whether x's tree is that of one of p's individuals [lo, hi) or of the
 * extra ones. */
static int copy_of(const struct tree *x, const struct population *p,
                   size_t lo, size_t hi, const size_t *extra, size_t nextra)
{
    for (size_t j = lo; j < hi; j++)
        if (same_tree(x, &p->ind[j].tree))
            return 1;
    for (size_t j = 0; j < nextra; j++)
        if (same_tree(x, &p->ind[extra[j]].tree))
            return 1;
    return 0;
}

/*
 * Three islands of 20, reproduction only, elitism 1: between migrations
 * each island's offspring are copies of its own individuals; at a
 * migration (generation 5, interval 5, 2 migrants) island 1's parents
 * gain island 0's best two in place of its worst two, so its elite is
 * island 0's best of all, and island 0's gain island 2's best.
 */
static void test_islands(void **state)
{
    (void)state;
    static const struct ranking rk = {0, 0.0};
    double share[BREED_NOPS] = {[BREED_REPRODUCTION] = 1};
    struct breed_options c;
    plan(&c, 1, share);
    c.islands = 3;
    c.migration_size = 2;
    c.migration_interval = 5;
    struct breed b;
    assert_int_equal(breed_init(&b, &c), 0);
    struct rng r;
    rng_seed(&r, 5, 1);
    struct population cur, next;
    assert_int_equal(pop_init(&cur, POP, MAX_SIZE), 0);
    assert_int_equal(pop_init(&next, POP, MAX_SIZE), 0);
    init_ramped(&cur, &ps, 2, MAX_DEPTH, &r);
    const size_t star = 3, island = POP / 3;
    score_by_index(&cur, star);
    /* The test means something only if the star's program is not island
     * 1's best's. */
    assert_false(same_tree(&cur.ind[star].tree, &cur.ind[island].tree));
    for (long g = 4; g <= 6; g++) {
        assert_int_equal(breed_next(&b, &next, &cur, &ps, &rk, g, &r), 0);
        int migrated = g == 5;
        /* each island's best two go to the next: island 0's (the star,
         * then 0) to island 1, island 1's (20, 21) to island 2, island
         * 2's (40, 41) to island 0 */
        const size_t best[3][2] = {{star, 0},
                                   {island, island + 1},
                                   {2 * island, 2 * island + 1}};
        for (size_t k = 0; k < 3; k++) {
            size_t lo = k * island, hi = lo + island;
            const size_t *in = best[(k + 2) % 3];
            /* the elite: the best of the island's parents */
            size_t elite = k == 0 ? star : migrated ? in[0] : lo;
            assert_true(same_tree(&next.ind[lo].tree, &cur.ind[elite].tree));
            for (size_t i = lo; i < hi; i++)
                assert_true(copy_of(&next.ind[i].tree, &cur, lo, hi, in,
                                    migrated ? 2 : 0));
        }
    }
    pop_release(&cur);
    pop_release(&next);
    breed_release(&b);
}

static void test_release(void **state)
{
    (void)state;
    struct breed b;
    memset(&b, 0, sizeof b);
    breed_release(&b); /* a zeroed breed is fine */
    struct breed_options c;
    plan(&c, 0, mixed);
    assert_int_equal(breed_init(&b, &c), 0);
    assert_non_null(b.elites);
    assert_int_equal(b.vp.max_depth, MAX_DEPTH);
    assert_int_equal(b.vp.max_size, MAX_SIZE);
    assert_int_equal(b.tournament_size, 4);
    breed_release(&b);
    breed_release(&b);
}

static int setup(void **state)
{
    (void)state;
    all_functions();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixed),
        cmocka_unit_test(test_no_elitism),
        cmocka_unit_test(test_each_operator),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_island_slices),
        cmocka_unit_test(test_islands),
        cmocka_unit_test(test_release),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
