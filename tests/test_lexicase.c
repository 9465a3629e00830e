/* test_lexicase: lexicase and epsilon-lexicase selection, the case
 * sample, and the case errors individuals carry. */
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

#include "lexicase.h"
#include "pop.h"
#include "rng.h"

/* A population of n one-node programs keeping nc case errors each, every
 * individual OK with errors e[i * nc + j]. */
static void make_pop(struct population *p, size_t n, uint32_t nc,
                     const float *e)
{
    assert_int_equal(pop_init(p, n, 4), 0);
    assert_int_equal(pop_keep_errors(p, nc), 0);
    for (size_t i = 0; i < n; i++) {
        struct individual *x = &p->ind[i];
        x->tree.nodes[0] = (struct node){.op = OP_VAR};
        x->tree.size = 1;
        ind_set_result(x, EVAL_OK, 0, 0.0, NULL);
        assert_int_equal(ind_set_errors(x, e + i * nc, nc, nc), 0);
    }
}

/* How often each of n individuals is chosen in `draws` selections. */
static void count(struct lexicase *lx, size_t n, int draws, int *hits,
                  uint64_t seed)
{
    struct rng r;
    rng_derive(&r, seed, RNG_MAIN, 0, 0);
    memset(hits, 0, n * sizeof *hits);
    for (int d = 0; d < draws; d++) {
        size_t i = lexicase_select(lx, &r);
        assert_true(i < n);
        hits[i]++;
    }
}

/* One individual best on every case is always chosen. */
static void test_elite_always(void **state)
{
    (void)state;
    float e[4 * 3] = {1, 2, 3, /**/ 0, 0, 0, /**/ 2, 0.5f, 1, /**/ 5, 5, 5};
    struct population p;
    make_pop(&p, 4, 3, e);
    struct lexicase lx = {0};
    int hits[4];
    for (int eps = 0; eps < 2; eps++) {
        assert_int_equal(lexicase_prepare(&lx, &p, eps), 0);
        count(&lx, 4, 500, hits, 1);
        assert_int_equal(hits[1], 500);
    }
    lexicase_release(&lx);
    pop_release(&p);
}

/* Specialists, each alone best on one case, are chosen about equally; a
 * generalist that is second best on every case, never: what sets lexicase
 * apart from selection on the summed error (the generalist's is the
 * least). A failed individual is never chosen. */
static void test_specialists(void **state)
{
    (void)state;
    enum { N = 5, C = 3 };
    float e[N * C] = {0,    9,    9,    /* best on case 0 */
                      9,    0,    9,    /* on case 1 */
                      9,    9,    0,    /* on case 2 */
                      1,    1,    1,    /* the generalist */
                      0.5f, 0.5f, 0.5f};
    struct population p;
    make_pop(&p, N, C, e);
    ind_set_result(&p.ind[4], EVAL_CRASHED, 9, 0.0, NULL);
    assert_int_equal(p.ind[4].nerrors, 0);
    struct lexicase lx = {0};
    assert_int_equal(lexicase_prepare(&lx, &p, 0), 0);
    int hits[N];
    count(&lx, N, 3000, hits, 2);
    for (int i = 0; i < 3; i++)
        assert_true(hits[i] > 850 && hits[i] < 1150);
    assert_int_equal(hits[3], 0);
    assert_int_equal(hits[4], 0);
    lexicase_release(&lx);
    pop_release(&p);
}

/* Epsilon: errors 0, 0.1, 0.2, 10, 20 on one case have median 0.2 and
 * median absolute deviation 0.2, so the three within 0.2 of the best are
 * chosen about equally, and the others never; plain lexicase chooses the
 * best alone. */
static void test_epsilon(void **state)
{
    (void)state;
    float e[5] = {0.0f, 0.1f, 0.2f, 10.0f, 20.0f};
    struct population p;
    make_pop(&p, 5, 1, e);
    struct lexicase lx = {0};
    assert_int_equal(lexicase_prepare(&lx, &p, 1), 0);
    assert_true(fabsf(lx.eps[0] - 0.2f) < 1e-7f);
    int hits[5];
    count(&lx, 5, 3000, hits, 3);
    for (int i = 0; i < 3; i++)
        assert_true(hits[i] > 850 && hits[i] < 1150);
    assert_int_equal(hits[3] + hits[4], 0);
    assert_int_equal(lexicase_prepare(&lx, &p, 0), 0);
    assert_true(lx.eps[0] == 0.0f);
    count(&lx, 5, 100, hits, 3);
    assert_int_equal(hits[0], 100);
    lexicase_release(&lx);
    pop_release(&p);
}

/* The same stream gives the same choices, after a fresh prepare too (a
 * resumed run prepares afresh): each generation starts from the same
 * case order. */
static void test_reproducible(void **state)
{
    (void)state;
    enum { N = 40, C = 25 };
    float e[N * C];
    struct rng g;
    rng_derive(&g, 9, RNG_MAIN, 0, 0);
    for (int k = 0; k < N * C; k++)
        e[k] = (float)rng_below(&g, 4); /* many ties */
    struct population p;
    make_pop(&p, N, C, e);
    struct lexicase a = {0}, b = {0};
    size_t first[200];
    struct rng r;
    assert_int_equal(lexicase_prepare(&a, &p, 1), 0);
    rng_derive(&r, 4, RNG_MAIN, 0, 0);
    for (int d = 0; d < 200; d++)
        first[d] = lexicase_select(&a, &r);
    /* a again, prepared again; and b, new. */
    assert_int_equal(lexicase_prepare(&a, &p, 1), 0);
    assert_int_equal(lexicase_prepare(&b, &p, 1), 0);
    struct rng ra, rb;
    rng_derive(&ra, 4, RNG_MAIN, 0, 0);
    rb = ra;
    for (int d = 0; d < 200; d++) {
        assert_int_equal(lexicase_select(&a, &ra), first[d]);
        assert_int_equal(lexicase_select(&b, &rb), first[d]);
    }
    lexicase_release(&a);
    lexicase_release(&b);
    pop_release(&p);
}

/*
 * Pools that no case can filter (near-identical vectors, within epsilon
 * of each other on every case) are remembered for the generation once
 * found: the selections are the same as when each is found afresh, draw
 * for draw, and some were remembered.
 */
static void test_settled_remembered(void **state)
{
    (void)state;
    enum { N = 120, C = 60, CLUSTERS = 12 };
    static float e[N * C];
    struct rng g;
    rng_derive(&g, 21, RNG_MAIN, 0, 0);
    /* Each individual belongs to a random cluster: its errors are the
     * cluster's, a hair apart (far below any case's epsilon). Clusters
     * err 0 to 3 on each case, so pools of several clusters, of every
     * size, come and go before the settled ones. */
    float centre[CLUSTERS][C];
    for (int c = 0; c < CLUSTERS; c++)
        for (int j = 0; j < C; j++)
            centre[c][j] = (float)rng_below(&g, 4);
    for (int i = 0; i < N; i++) {
        uint32_t c = rng_below(&g, CLUSTERS);
        for (int j = 0; j < C; j++)
            e[i * C + j] = centre[c][j] + (float)rng_below(&g, 10) * 1e-5f;
    }
    struct population p;
    make_pop(&p, N, C, e);
    struct lexicase a = {0}, b = {0};
    b.settled_afresh = 1;
    assert_int_equal(lexicase_prepare(&a, &p, 1), 0);
    assert_int_equal(lexicase_prepare(&b, &p, 1), 0);
    struct rng ra, rb;
    rng_derive(&ra, 5, RNG_MAIN, 0, 0);
    rb = ra;
    for (int d = 0; d < 2000; d++)
        assert_int_equal(lexicase_select(&a, &ra), lexicase_select(&b, &rb));
    int kept = 0;
    for (size_t k = 0; k < LEXICASE_SETTLED; k++)
        kept += a.settled[k * (LEXICASE_FEW + 1)] != 0;
    assert_true(kept > 0);
    /* The next generation (other vectors at the same indexes) starts
     * with nothing remembered. */
    for (int k = 0; k < N * C; k++)
        e[k] = (float)rng_below(&g, 4) + (float)rng_below(&g, 10) * 1e-5f;
    struct population q;
    make_pop(&q, N, C, e);
    assert_int_equal(lexicase_prepare(&a, &q, 1), 0);
    assert_int_equal(lexicase_prepare(&b, &q, 1), 0);
    for (int d = 0; d < 2000; d++)
        assert_int_equal(lexicase_select(&a, &ra), lexicase_select(&b, &rb));
    lexicase_release(&a);
    lexicase_release(&b);
    pop_release(&p);
    pop_release(&q);
}

/* The median of v[0..n), each counted w[i] times (w NULL: once). */
static double median(const float *v, const uint32_t *w, size_t n)
{
    uint64_t keys[600];
    uint32_t kw[600];
    assert_true(n <= 600);
    return lexicase_median(v, w, n, keys, kw);
}

static void test_median(void **state)
{
    (void)state;
    float odd[] = {5, 1, 4, 2, 3};
    assert_true(median(odd, NULL, 5) == 3.0);
    float even[] = {8, 1, 7, 2};
    assert_true(median(even, NULL, 4) == 4.5);
    float one[] = {-2};
    assert_true(median(one, NULL, 1) == -2.0);
    float same[] = {1, 1, 1, 1, 1, 1};
    assert_true(median(same, NULL, 6) == 1.0);
    /* Weights count as copies: 1 once, 2 three times, 10 twice: 1 2 2 2
     * 10 10, median 2. */
    float wv[] = {10, 1, 2};
    uint32_t ww[] = {2, 1, 3};
    assert_true(median(wv, ww, 3) == 2.0);
    /* Against a sort of the values with their copies, on many random
     * arrays with ties, negatives and wide ranges (past the buckets). */
    struct rng r;
    rng_derive(&r, 1, RNG_MAIN, 0, 0);
    for (int t = 0; t < 2000; t++) {
        size_t n = 1 + rng_below(&r, 100);
        float v[100], s[600];
        uint32_t w[100];
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t kind = rng_below(&r, 3);
            v[i] = kind == 0   ? (float)rng_below(&r, 10)
                   : kind == 1 ? (float)(rng_double(&r) * 1e6 - 1e3)
                               : (float)ldexp(rng_double(&r),
                                              (int)rng_below(&r, 80) - 40);
            w[i] = t % 2 ? 1 + rng_below(&r, 5) : 1;
            for (uint32_t c = 0; c < w[i]; c++)
                s[m++] = v[i];
        }
        for (size_t i = 1; i < m; i++)
            for (size_t j = i; j > 0 && s[j - 1] > s[j]; j--) {
                float x = s[j];
                s[j] = s[j - 1];
                s[j - 1] = x;
            }
        double want = m % 2 ? s[m / 2] : 0.5 * ((double)s[m / 2 - 1] + s[m / 2]);
        assert_true(median(v, t % 2 ? w : NULL, n) == want);
    }
}

/* Individuals with the same errors are one candidate, chosen as often as
 * they are many: three copies of one specialist and one of another, on
 * cases where each is alone best on one. */
static void test_copies(void **state)
{
    (void)state;
    float e[5 * 2] = {0, 9, /**/ 9, 0, /**/ 0, 9, /**/ 0, 9, /**/ 5, 5};
    struct population p;
    make_pop(&p, 5, 2, e);
    struct lexicase lx = {0};
    assert_int_equal(lexicase_prepare(&lx, &p, 0), 0);
    assert_int_equal(lx.ng, 3);
    int hits[5];
    count(&lx, 5, 4000, hits, 5);
    /* Case 0 first (half the time): one of the three copies; case 1
     * first: individual 1. */
    for (int i = 0; i < 4; i++)
        assert_true(hits[i] > 550 + (i == 1) * 1300 &&
                    hits[i] < 800 + (i == 1) * 1450);
    assert_int_equal(hits[4], 0);
    lexicase_release(&lx);
    pop_release(&p);
}

/* rng_sample: k distinct, increasing indices below n; every index as
 * likely; the same stream, the same sample. */
static void test_sample(void **state)
{
    (void)state;
    struct rng r;
    rng_derive(&r, 7, RNG_CASES, 3, 0);
    int hits[20] = {0};
    uint32_t out[20];
    for (int t = 0; t < 4000; t++) {
        rng_sample(&r, 20, 5, out);
        for (int k = 0; k < 5; k++) {
            assert_true(out[k] < 20);
            if (k)
                assert_true(out[k] > out[k - 1]);
            hits[out[k]]++;
        }
    }
    for (int i = 0; i < 20; i++)
        assert_true(hits[i] > 850 && hits[i] < 1150); /* 1000 expected */
    rng_sample(&r, 6, 6, out);
    for (uint32_t k = 0; k < 6; k++)
        assert_int_equal(out[k], k);
    struct rng a, b;
    rng_derive(&a, 7, RNG_CASES, 4, 0);
    b = a;
    uint32_t x[10], y[10];
    rng_sample(&a, 1000, 10, x);
    rng_sample(&b, 1000, 10, y);
    assert_memory_equal(x, y, sizeof x);
}

/* Case errors follow a copy's or a twin's result, are dropped with a
 * failure, and must match the population's count. */
static void test_individual_errors(void **state)
{
    (void)state;
    float e[2 * 3] = {1, 2, 3, 4, 5, 6};
    struct population p, q;
    make_pop(&p, 2, 3, e);
    assert_int_equal(pop_init(&q, 2, 4), 0);
    assert_int_equal(pop_keep_errors(&q, 3), 0);
    ind_take_result(&q.ind[0], &p.ind[1]);
    assert_int_equal(q.ind[0].nerrors, 3);
    assert_memory_equal(q.ind[0].errors, e + 3, 3 * sizeof(float));
    assert_int_equal(ind_set_errors(&q.ind[1], e, 2, 3), -1);
    assert_int_equal(ind_set_errors(&q.ind[1], e, 0, 3), -1);
    /* A population keeping none takes none. */
    struct population none;
    assert_int_equal(pop_init(&none, 1, 4), 0);
    assert_int_equal(ind_set_errors(&none.ind[0], e, 3, 3), -1);
    assert_int_equal(ind_set_errors(&none.ind[0], e, 0, 3), 0);
    ind_take_result(&none.ind[0], &p.ind[0]);
    assert_int_equal(none.ind[0].nerrors, 0);
    ind_set_result(&q.ind[0], EVAL_INVALID, 0, 0.0, NULL);
    assert_int_equal(q.ind[0].nerrors, 0);
    pop_release(&p);
    pop_release(&q);
    pop_release(&none);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_elite_always),
        cmocka_unit_test(test_specialists),
        cmocka_unit_test(test_epsilon),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_settled_remembered),
        cmocka_unit_test(test_median),
        cmocka_unit_test(test_copies),
        cmocka_unit_test(test_sample),
        cmocka_unit_test(test_individual_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
