/* test_select: ranking, tournament selection and the choice of elites. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pop.h"
#include "rng.h"
#include "select.h"

#define MAX_SIZE 16

static const struct ranking minimise = {0, 0.0};
static const struct ranking maximise = {1, 0.0};

/* Sets an individual: its fitness, status and a well-formed tree of `size`
 * nodes (negations over one variable). */
static void set(struct individual *x, double fitness, int status, uint32_t size)
{
    assert_true(size >= 1 && size <= x->tree.cap);
    for (uint32_t k = 0; k + 1 < size; k++)
        x->tree.nodes[k] = (struct node){.op = OP_NEG};
    x->tree.nodes[size - 1] = (struct node){.op = OP_VAR};
    x->tree.size = size;
    x->fitness = fitness;
    x->status = status;
}

static void make_pop(struct population *p, size_t n)
{
    assert_int_equal(pop_init(p, n, MAX_SIZE), 0);
    for (size_t i = 0; i < n; i++)
        set(&p->ind[i], 0.0, EVAL_OK, 1);
}

/* A tournament on p as breeding runs one: standings first. */
static size_t tourney(const struct population *p, int k,
                      const struct ranking *rk, struct rng *r)
{
    struct standing s[64];
    assert_true(p->n <= 64);
    select_standings(p, rk, s);
    struct rng_bound draw;
    rng_bound_init(&draw, (uint32_t)p->n);
    return select_tournament(s, &draw, k, r);
}

/* Standings order individuals exactly as ind_better does: every pair of a
 * population full of ties, failures, both directions, with parsimony. */
static void test_standings_order(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 40);
    struct rng r;
    rng_seed(&r, 9, 9);
    const struct ranking ranks[] = {{0, 0.0}, {1, 0.0}, {0, 0.25}, {1, 0.5}};
    for (int round = 0; round < 20; round++) {
        for (size_t i = 0; i < p.n; i++) {
            uint32_t pick = rng_below(&r, 5);
            double f = pick == 4 ? -0.0 : (double)pick * 0.5;
            set(&p.ind[i], f, rng_below(&r, 4) == 0 ? EVAL_INVALID : EVAL_OK,
                1 + rng_below(&r, 4));
        }
        for (size_t k = 0; k < sizeof ranks / sizeof ranks[0]; k++) {
            struct standing s[40];
            select_standings(&p, &ranks[k], s);
            for (size_t a = 0; a < p.n; a++)
                for (size_t b = 0; b < p.n; b++) {
                    /* One tournament of two draws, a then b, wins b
                     * exactly when b is better. */
                    int better = ind_better(&p.ind[b], &p.ind[a], &ranks[k]);
                    const struct standing *x = &s[a], *y = &s[b];
                    int by_standing = y->key != x->key ? y->key < x->key
                                                       : y->size < x->size;
                    assert_int_equal(better, by_standing);
                }
        }
    }
    pop_release(&p);
}

static void test_ind_better(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 2);
    struct individual *a = &p.ind[0], *b = &p.ind[1];

    set(a, 1.0, EVAL_OK, 3);
    set(b, 2.0, EVAL_OK, 3);
    assert_true(ind_better(a, b, &minimise));
    assert_false(ind_better(b, a, &minimise));
    assert_false(ind_better(a, b, &maximise));
    assert_true(ind_better(b, a, &maximise));

    /* Equal fitness: the smaller tree, in either direction. */
    set(a, 1.0, EVAL_OK, 2);
    set(b, 1.0, EVAL_OK, 5);
    assert_true(ind_better(a, b, &minimise));
    assert_false(ind_better(b, a, &minimise));
    assert_true(ind_better(a, b, &maximise));
    assert_false(ind_better(b, a, &maximise));

    /* Equal in everything: neither ranks strictly before the other. */
    set(b, 1.0, EVAL_OK, 2);
    assert_false(ind_better(a, b, &minimise));
    assert_false(ind_better(b, a, &minimise));
    assert_false(ind_better(a, a, &maximise));

    /* A failed individual never beats an OK one, whatever its fitness. */
    static const double junk[] = {-INFINITY, INFINITY, NAN, -1e300, 0.0};
    for (size_t j = 0; j < sizeof junk / sizeof junk[0]; j++) {
        set(a, 1e300, EVAL_OK, MAX_SIZE);
        set(b, junk[j], EVAL_INVALID, 1);
        assert_true(ind_better(a, b, &minimise));
        assert_false(ind_better(b, a, &minimise));
        assert_true(ind_better(a, b, &maximise));
        assert_false(ind_better(b, a, &maximise));
    }
    /* Two failed ones: only the size counts. */
    set(a, 5.0, EVAL_INVALID, 3);
    set(b, -5.0, EVAL_INVALID, 4);
    assert_true(ind_better(a, b, &minimise));
    assert_false(ind_better(b, a, &minimise));
    assert_true(ind_better(a, b, &maximise));
    set(b, -5.0, EVAL_INVALID, 3);
    assert_false(ind_better(a, b, &minimise));
    assert_false(ind_better(b, a, &minimise));
    pop_release(&p);
}

static void test_parsimony(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 2);
    struct individual *a = &p.ind[0], *b = &p.ind[1];

    /* Minimised: a 1.0 + 0.01 * 10 = 1.1, b 1.05 + 0.01 * 3 = 1.08. */
    struct ranking rk = {0, 0.01};
    set(a, 1.0, EVAL_OK, 10);
    set(b, 1.05, EVAL_OK, 3);
    assert_true(ind_better(a, b, &minimise));
    assert_true(ind_better(b, a, &rk));
    assert_false(ind_better(a, b, &rk));

    /* Maximised: a 0.9 - 0.1 = 0.8, b 0.88 - 0.03 = 0.85. */
    rk.maximise = 1;
    set(a, 0.9, EVAL_OK, 10);
    set(b, 0.88, EVAL_OK, 3);
    assert_true(ind_better(a, b, &maximise));
    assert_true(ind_better(b, a, &rk));
    assert_false(ind_better(a, b, &rk));

    /* A small penalty leaves a clear fitness gap alone. */
    rk.parsimony = 1e-6;
    assert_true(ind_better(a, b, &rk));

    /* Penalised tie: then the smaller tree (a: 1 + 0.5 * 2 = 2, b: 0 +
     * 0.5 * 4 = 2, exact in binary). */
    rk = (struct ranking){0, 0.5};
    set(a, 1.0, EVAL_OK, 2);
    set(b, 0.0, EVAL_OK, 4);
    assert_true(ind_better(a, b, &rk));
    assert_false(ind_better(b, a, &rk));

    /* select_best follows the penalised ranking. */
    size_t order[2];
    rk = (struct ranking){0, 0.01};
    set(a, 1.0, EVAL_OK, 10);
    set(b, 1.05, EVAL_OK, 3);
    assert_int_equal(select_best(&p, &minimise, order, 2), 0);
    assert_int_equal(order[0], 0);
    assert_int_equal(order[1], 1);
    assert_int_equal(select_best(&p, &rk, order, 2), 0);
    assert_int_equal(order[0], 1);
    assert_int_equal(order[1], 0);
    pop_release(&p);
}

/* With k = 1 every individual is as likely as any other. */
static void test_tournament_uniform(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 10);
    for (size_t i = 0; i < p.n; i++)
        set(&p.ind[i], (double)i, EVAL_OK, 1 + (uint32_t)i);
    struct rng r;
    rng_seed(&r, 1, 1);
    int count[10] = {0};
    enum { N = 100000 };
    for (int n = 0; n < N; n++) {
        size_t w = tourney(&p, 1, &minimise, &r);
        assert_true(w < p.n);
        count[w]++;
    }
    /* Expected 10000 each, standard deviation about 95. */
    for (int i = 0; i < 10; i++)
        assert_in_range(count[i], 9500, 10500);
    pop_release(&p);
}

/* With large k the best wins most tournaments. */
static void test_tournament_pressure(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 10);
    /* The best is in the middle, so no index order can fake the result. */
    for (size_t i = 0; i < p.n; i++)
        set(&p.ind[i], fabs((double)i - 5.0), EVAL_OK, 1);
    struct rng r;
    rng_seed(&r, 2, 2);
    enum { N = 20000 };
    int best = 0, worst = 0;
    for (int n = 0; n < N; n++) {
        size_t w = tourney(&p, 10, &minimise, &r);
        best += w == 5;
        worst += w == 0;
    }
    /* P(best drawn in 10) = 1 - 0.9^10 = 0.651. */
    assert_in_range(best, 12400, 13600);
    assert_int_equal(worst, 0);
    best = 0;
    for (int n = 0; n < N; n++)
        best += tourney(&p, 50, &minimise, &r) == 5;
    assert_true(best > N * 99 / 100); /* 1 - 0.9^50 = 0.9948 */
    /* Maximising, the best is the other end. */
    best = 0;
    for (int n = 0; n < N; n++)
        best += tourney(&p, 50, &maximise, &r) == 0;
    assert_true(best > N * 99 / 100);
    pop_release(&p);
}

/* The reference tournament: the same draws, the first of the best wins. */
static int ref_better(const struct individual *a, const struct individual *b)
{
    if ((a->status == EVAL_OK) != (b->status == EVAL_OK))
        return a->status == EVAL_OK;
    if (a->status == EVAL_OK && a->fitness != b->fitness)
        return a->fitness < b->fitness;
    return a->tree.size < b->tree.size;
}

/* Every tournament is exactly the draws' best, ties to the first drawn, and
 * a failed individual wins only when no OK one was drawn. */
static void test_tournament_exact(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 12);
    struct rng r;
    rng_seed(&r, 3, 3);
    /* Few distinct values, so ties in fitness and size abound. */
    for (size_t i = 0; i < p.n; i++)
        set(&p.ind[i], (double)rng_below(&r, 3),
            rng_below(&r, 3) == 0 ? EVAL_INVALID : EVAL_OK,
            1 + rng_below(&r, 2));
    p.ind[4].status = EVAL_INVALID;
    p.ind[4].fitness = -INFINITY;
    size_t draws[32];
    int ok_wins = 0;
    for (int n = 0; n < 20000; n++) {
        /* Up to 20: more than one group of the tree of comparisons. */
        int k = 1 + (int)rng_below(&r, 20);
        struct rng copy = r;
        size_t want = 0;
        int any_ok = 0;
        for (int j = 0; j < k; j++) {
            draws[j] = rng_below(&copy, (uint32_t)p.n);
            if (j == 0 || ref_better(&p.ind[draws[j]], &p.ind[want]))
                want = draws[j];
            any_ok |= p.ind[draws[j]].status == EVAL_OK;
        }
        size_t got = tourney(&p, k, &minimise, &r);
        assert_int_equal(got, want);
        assert_memory_equal(&r, &copy, sizeof r); /* k draws, no more */
        if (any_ok)
            assert_int_equal(p.ind[got].status, EVAL_OK);
        ok_wins += p.ind[got].status == EVAL_OK;
    }
    assert_true(ok_wins > 0);

    /* All tied: the first drawn wins. */
    for (size_t i = 0; i < p.n; i++)
        set(&p.ind[i], 1.0, EVAL_OK, 2);
    for (int n = 0; n < 1000; n++) {
        struct rng copy = r;
        size_t first = rng_below(&copy, (uint32_t)p.n);
        assert_int_equal(tourney(&p, 5, &minimise, &r), first);
    }
    pop_release(&p);
}

/* The stable reference order: ranks by ind_better, ties by index. */
static void ref_order(const struct population *p, const struct ranking *rk,
                      size_t *order)
{
    for (size_t i = 0; i < p->n; i++) {
        size_t j = i;
        while (j > 0 && ind_better(&p->ind[i], &p->ind[order[j - 1]], rk)) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
}

static void test_select_best(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 40);
    struct rng r;
    rng_seed(&r, 4, 4);
    size_t got[48], want[40];
    for (int round = 0; round < 50; round++) {
        for (size_t i = 0; i < p.n; i++)
            set(&p.ind[i], (double)rng_below(&r, 5),
                rng_below(&r, 4) == 0 ? EVAL_INVALID : EVAL_OK,
                1 + rng_below(&r, 3));
        const struct ranking *rk = round % 2 ? &maximise : &minimise;
        ref_order(&p, rk, want);
        for (size_t n = 0; n <= p.n; n += 7) {
            for (size_t j = 0; j < 48; j++)
                got[j] = 9999;
            assert_int_equal(select_best(&p, rk, got, n), 0);
            for (size_t j = 0; j < n; j++)
                assert_int_equal(got[j], want[j]);
            assert_int_equal(got[n], 9999);
            /* and by the standings, as breeding finds its elites */
            struct standing st[40];
            select_standings(&p, rk, st);
            for (size_t j = 0; j < 48; j++)
                got[j] = 9999;
            select_best_standings(st, p.n, got, n);
            for (size_t j = 0; j < n; j++)
                assert_int_equal(got[j], want[j]);
            assert_int_equal(got[n], 9999);
        }
        /* All of them, and more than there are: only p.n are written. */
        for (size_t j = 0; j < 48; j++)
            got[j] = 9999;
        assert_int_equal(select_best(&p, rk, got, 45), 0);
        for (size_t j = 0; j < p.n; j++)
            assert_int_equal(got[j], want[j]);
        assert_int_equal(got[p.n], 9999);
        /* Best first: no later individual ranks before an earlier one. */
        for (size_t j = 1; j < p.n; j++)
            assert_false(ind_better(&p.ind[got[j]], &p.ind[got[j - 1]], rk));
    }

    /* A hand-made case: ties to the lower index. */
    set(&p.ind[0], 3.0, EVAL_OK, 1);
    set(&p.ind[1], 1.0, EVAL_INVALID, 1);
    set(&p.ind[2], 2.0, EVAL_OK, 2);
    set(&p.ind[3], 2.0, EVAL_OK, 1);
    set(&p.ind[4], 2.0, EVAL_OK, 1);
    set(&p.ind[5], 9.0, EVAL_OK, 1);
    p.n = 6;
    static const size_t hand[] = {3, 4, 2, 0, 5, 1};
    assert_int_equal(select_best(&p, &minimise, got, 6), 0);
    assert_memory_equal(got, hand, sizeof hand);
    p.n = 40;
    pop_release(&p);
}

/* The report's statistics, on a small population. */
static void test_stats(void **state)
{
    (void)state;
    struct population p;
    make_pop(&p, 5);
    set(&p.ind[0], 4.0, EVAL_OK, 3);
    set(&p.ind[1], 1.0, EVAL_INVALID, 1);
    set(&p.ind[2], 2.0, EVAL_OK, 5);
    set(&p.ind[3], 8.0, EVAL_OK, 2);
    set(&p.ind[4], 2.0, EVAL_OK, 4);
    struct pop_stats s;
    assert_int_equal(pop_stats(&p, &minimise, &s), 0);
    assert_int_equal(s.best, 4);
    assert_true(s.best_fitness == 2.0);
    assert_int_equal(s.best_size, 4);
    assert_true(s.median_fitness == 3.0);
    assert_true(s.mean_size == 3.0);
    assert_int_equal(s.invalid, 1);
    assert_int_equal(pop_stats(&p, &maximise, &s), 0);
    assert_int_equal(s.best, 3);
    for (size_t i = 0; i < p.n; i++)
        p.ind[i].status = EVAL_INVALID;
    assert_int_equal(pop_stats(&p, &minimise, &s), 0);
    assert_true(isnan(s.best_fitness));
    assert_true(isnan(s.median_fitness));
    assert_int_equal(s.invalid, 5);
    assert_int_equal(s.best, 1); /* the smallest tree */
    pop_release(&p);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The median against a sort, on populations of every shape the bucket
 * selection must handle: sizes 1 to 2000, few distinct values (one value
 * repeated, two clusters with the middle between them), negatives,
 * values spread over many orders of magnitude, invalids mixed in. */
static void test_median_random(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 77, 5);
    struct population p;
    make_pop(&p, 2000);
    double *v = malloc(2000 * sizeof *v);
    assert_non_null(v);
    for (int round = 0; round < 3000; round++) {
        size_t n = 1 + rng_below(&r, round % 10 == 0 ? 2000 : 64);
        int shape = (int)rng_below(&r, 6);
        size_t nok = 0;
        for (size_t i = 0; i < n; i++) {
            double f;
            switch (shape) {
            case 0: f = rng_uniform(&r, -1, 1); break;
            case 1: f = (double)rng_below(&r, 3); break; /* few values */
            case 2: f = rng_below(&r, 2) ? 1e-3 : 7.5; break; /* clusters */
            case 3: f = pow(10.0, rng_uniform(&r, -300, 300)); break;
            case 4: f = 0.25; break; /* one value */
            default: /* near each other: neighbouring doubles */
                f = 1.0 + (double)rng_below(&r, 50) * 0x1p-52;
                break;
            }
            int ok = rng_below(&r, 10) != 0;
            set(&p.ind[i], f, ok ? EVAL_OK : EVAL_INVALID, 1);
            if (ok)
                v[nok++] = f;
        }
        p.n = n;
        struct pop_stats s;
        assert_int_equal(pop_stats(&p, &minimise, &s), 0);
        if (nok == 0) {
            assert_true(isnan(s.median_fitness));
            continue;
        }
        qsort(v, nok, sizeof *v, by_value);
        double want = nok % 2 ? v[nok / 2]
                              : 0.5 * (v[nok / 2 - 1] + v[nok / 2]);
        assert_memory_equal(&s.median_fitness, &want, sizeof want);
    }
    p.n = 2000;
    free(v);
    pop_release(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ind_better),
        cmocka_unit_test(test_standings_order),
        cmocka_unit_test(test_parsimony),
        cmocka_unit_test(test_tournament_uniform),
        cmocka_unit_test(test_tournament_pressure),
        cmocka_unit_test(test_tournament_exact),
        cmocka_unit_test(test_select_best),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_median_random),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
