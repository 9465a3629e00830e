/* test_stats: engine/stats.c against published values and hand computation. */
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

#include "stats.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* |got - want| <= tol, with the numbers in the failure message. */
static void assert_near(double got, double want, double tol)
{
    if (!(fabs(got - want) <= tol))
        fail_msg("got %.17g, want %.17g (tolerance %g)", got, want, tol);
}

/* ---- Wilson ---------------------------------------------------------- */

/* Reference values from the textbook formula
 * (p + z^2/2n -+ z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n) in Python. */
static void test_wilson_known(void **state)
{
    (void)state;
    struct stats_interval iv = stats_wilson(4, 10, STATS_Z95);
    assert_near(iv.lo, 0.1682, 1e-4);
    assert_near(iv.hi, 0.6873, 1e-4);
    assert_near(iv.lo, 0.16818032970623614, 1e-14);
    assert_near(iv.hi, 0.6873262302663417, 1e-14);

    iv = stats_wilson(50, 100, STATS_Z95);
    assert_near(iv.lo, 0.4038315303659956, 1e-14);
    assert_near(iv.hi, 0.5961684696340044, 1e-14);

    iv = stats_wilson(1, 20, STATS_Z95);
    assert_near(iv.lo, 0.008881448800795402, 1e-14);
    assert_near(iv.hi, 0.23613119344674205, 1e-14);
}

/* No successes: lo is exactly 0; all successes: hi is exactly 1. */
static void test_wilson_ends(void **state)
{
    (void)state;
    struct stats_interval iv = stats_wilson(0, 10, STATS_Z95);
    assert_true(iv.lo == 0.0);
    assert_near(iv.hi, 0.2775327998628892, 1e-14);

    iv = stats_wilson(10, 10, STATS_Z95);
    assert_near(iv.lo, 0.7224672001371107, 1e-14);
    assert_true(iv.hi == 1.0);

    iv = stats_wilson(1, 1, STATS_Z95);
    assert_near(iv.lo, 0.20654931437723745, 1e-14);
    assert_true(iv.hi == 1.0);
}

static void test_wilson_degenerate(void **state)
{
    (void)state;
    struct stats_interval iv = stats_wilson(0, 0, STATS_Z95);
    assert_true(iv.lo == 0.0 && iv.hi == 1.0);

    iv = stats_wilson(11, 10, STATS_Z95); /* k > n */
    assert_true(isnan(iv.lo) && isnan(iv.hi));
    iv = stats_wilson(1, 10, NAN);
    assert_true(isnan(iv.lo) && isnan(iv.hi));
    iv = stats_wilson(1, 10, -1.0);
    assert_true(isnan(iv.lo) && isnan(iv.hi));

    iv = stats_wilson(3, 12, 0.0); /* z = 0 shrinks it to p */
    assert_near(iv.lo, 0.25, 1e-15);
    assert_near(iv.hi, 0.25, 1e-15);
    iv = stats_wilson(3, 12, INFINITY);
    assert_true(iv.lo == 0.0 && iv.hi == 1.0);
}

/* Over many (k, n): inside [0, 1], around p, and k's interval the mirror of
 * n - k's. */
static void test_wilson_properties(void **state)
{
    (void)state;
    static const unsigned long ns[] = {1, 2, 3, 7, 10, 30, 100, 1000, 1000000};
    for (size_t a = 0; a < NELEMS(ns); a++) {
        unsigned long n = ns[a];
        unsigned long step = n > 100 ? n / 97 : 1;
        for (unsigned long k = 0; k <= n; k += step) {
            struct stats_interval iv = stats_wilson(k, n, STATS_Z95);
            struct stats_interval mirror = stats_wilson(n - k, n, STATS_Z95);
            double p = (double)k / (double)n;
            assert_true(0.0 <= iv.lo && iv.lo <= p);
            assert_true(p <= iv.hi && iv.hi <= 1.0);
            assert_near(iv.lo, 1.0 - mirror.hi, 1e-15);
            assert_near(iv.hi, 1.0 - mirror.lo, 1e-15);
        }
    }
    /* A rare success among many trials: lo keeps its relative accuracy
     * (nothing cancels). Reference: the textbook formula in 50-digit
     * decimal arithmetic (Python's decimal module). */
    struct stats_interval iv = stats_wilson(1, 1000000000UL, STATS_Z95);
    assert_near(iv.lo / 1.7652455495696316e-10, 1.0, 1e-14);
    assert_near(iv.hi / 5.6649342432974384e-9, 1.0, 1e-14);
}

/* ---- quartiles ------------------------------------------------------- */

static void check_quartiles(const double *v, size_t n, size_t want_m,
                            double want_q1, double want_med, double want_q3)
{
    double q1, med, q3;
    assert_int_equal(stats_quartiles(v, n, &q1, &med, &q3), want_m);
    assert_near(q1, want_q1, 1e-12);
    assert_near(med, want_med, 1e-12);
    assert_near(q3, want_q3, 1e-12);
}

/* Expected values are numpy.percentile(v, [25, 50, 75]) (method
 * 'linear'), here the same as Python's statistics.quantiles(v, n=4,
 * method='inclusive'). */
static void test_quartiles_numpy(void **state)
{
    (void)state;
    const double odd[] = {3, 1, 2};
    check_quartiles(odd, 3, 3, 1.5, 2.0, 2.5);
    const double even[] = {4, 1, 3, 2};
    check_quartiles(even, 4, 4, 1.75, 2.5, 3.25);
    const double one[] = {7};
    check_quartiles(one, 1, 1, 7.0, 7.0, 7.0);
    const double two[] = {5, 2};
    check_quartiles(two, 2, 2, 2.75, 3.5, 4.25);
    const double eleven[] = {11, 2, 9, 4, 5, 6, 7, 8, 3, 10, 1};
    check_quartiles(eleven, 11, 11, 3.5, 6.0, 8.5);
    const double mixed[] = {0.5, -2, 10, 3.25, 7, 1};
    check_quartiles(mixed, 6, 6, 0.625, 2.125, 6.0625);
    const double ties[] = {2, 2, 2, 5, 5};
    check_quartiles(ties, 5, 5, 2.0, 2.0, 5.0);
}

/* NaNs are skipped and the input is left as it was. */
static void test_quartiles_nan(void **state)
{
    (void)state;
    double v[] = {NAN, 4, NAN, 1, 3, 2, NAN};
    double before[NELEMS(v)];
    memcpy(before, v, sizeof v);
    check_quartiles(v, NELEMS(v), 4, 1.75, 2.5, 3.25);
    assert_memory_equal(v, before, sizeof v);

    const double one[] = {NAN, 9};
    check_quartiles(one, 2, 1, 9.0, 9.0, 9.0);

    const double none[] = {NAN, NAN};
    double q1 = 0, med = 0, q3 = 0;
    assert_int_equal(stats_quartiles(none, 2, &q1, &med, &q3), 0);
    assert_true(isnan(q1) && isnan(med) && isnan(q3));
    q1 = med = q3 = 0;
    assert_int_equal(stats_quartiles(NULL, 0, &q1, &med, &q3), 0);
    assert_true(isnan(q1) && isnan(med) && isnan(q3));
}

/* Infinities order like numbers; interpolating towards one gives it. */
static void test_quartiles_infinite(void **state)
{
    (void)state;
    const double v[] = {INFINITY, 1, -INFINITY, 2};
    double q1, med, q3;
    assert_int_equal(stats_quartiles(v, 4, &q1, &med, &q3), 4);
    assert_true(q1 == -INFINITY);
    assert_near(med, 1.5, 0.0);
    assert_true(q3 == INFINITY);

    const double same[] = {INFINITY, INFINITY};
    assert_int_equal(stats_quartiles(same, 2, &q1, &med, &q3), 2);
    assert_true(q1 == INFINITY && med == INFINITY && q3 == INFINITY);
}

/* Deterministic scrambling for the larger tests (an LCG's high bits). */
static uint32_t next_u32(uint64_t *x)
{
    *x = *x * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(*x >> 33);
}

/* 0..m-1 shuffled among NaNs: large enough that the module sorts a copy. */
static void test_quartiles_large(void **state)
{
    (void)state;
    static const size_t ms[] = {1000, 999};
    /* h = (m - 1) p: 249.75, 499.5, 749.25 for m = 1000; 249.5, 499,
     * 748.5 for m = 999. */
    static const double want[][3] = {{249.75, 499.5, 749.25},
                                     {249.5, 499.0, 748.5}};
    uint64_t seed = 12345;
    for (size_t a = 0; a < NELEMS(ms); a++) {
        size_t m = ms[a], n = m + 200;
        double *v = malloc(n * sizeof *v);
        assert_non_null(v);
        for (size_t i = 0; i < n; i++)
            v[i] = i < m ? (double)i : NAN;
        for (size_t i = n - 1; i > 0; i--) {
            size_t j = next_u32(&seed) % (i + 1);
            double t = v[i];
            v[i] = v[j];
            v[j] = t;
        }
        check_quartiles(v, n, m, want[a][0], want[a][1], want[a][2]);
        free(v);
    }
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* Type 7 straight from its definition, on values already sorted. */
static double ref_quantile(const double *sorted, size_t m, double p)
{
    double h = (double)(m - 1) * p;
    size_t j = (size_t)floor(h);
    if (j + 1 >= m)
        return sorted[j];
    return sorted[j] + (h - (double)j) * (sorted[j + 1] - sorted[j]);
}

/* Both ways of ordering (selection up to 64 values, sorting above) against
 * the definition, on random values with ties and NaNs, sizes 1..200. */
static void test_quartiles_random(void **state)
{
    (void)state;
    uint64_t seed = 99;
    double v[200], sorted[200];
    for (size_t n = 1; n <= NELEMS(v); n++) {
        size_t m = 0;
        for (size_t i = 0; i < n; i++) {
            uint32_t r = next_u32(&seed);
            v[i] = r % 10 == 0 ? NAN : (double)(r % 37) / 4.0 - 3.0;
            if (!isnan(v[i]))
                sorted[m++] = v[i];
        }
        if (m == 0)
            continue;
        qsort(sorted, m, sizeof sorted[0], cmp_double);
        check_quartiles(v, n, m, ref_quantile(sorted, m, 0.25),
                        ref_quantile(sorted, m, 0.5),
                        ref_quantile(sorted, m, 0.75));
    }
}

/* ---- Koza's computational effort ------------------------------------- */

static void check_effort(const long *gens, size_t nruns, unsigned long m,
                         long g, double z, double want, long want_at)
{
    long at = -2;
    double got = stats_koza_effort(gens, nruns, m, g, z, &at);
    if (isnan(want))
        assert_true(isnan(got));
    else
        assert_true(got == want);
    assert_int_equal(at, want_at);
}

/*
 * 10 runs of M = 500 over generations 0..10; successes at 3, 5, 5, the
 * other 7 never. z = 0.99, so log(1 - z) = log 0.01 = -4.60517.
 *   i = 0..2: P = 0, R infinite.
 *   i = 3, 4: P = 0.1, log 0.9 = -0.105361, ratio 43.709, R = 44:
 *             I(3) = 500 * 4 * 44 = 88000, I(4) = 110000.
 *   i = 5..10: P = 0.3, log 0.7 = -0.356675, ratio 12.911, R = 13:
 *             I(5) = 500 * 6 * 13 = 39000, then larger.
 * So E = 39000 at i* = 5.
 */
static void test_koza_hand(void **state)
{
    (void)state;
    const long gens[] = {-1, 5, -1, 3, -1, -1, 5, -1, -1, -1};
    check_effort(gens, NELEMS(gens), 500, 10, 0.99, 39000.0, 5);
}

/*
 * 10 runs of M = 100: 5 succeed at generation 0, 5 at generation 1.
 *   i = 0: P = 0.5, ratio log 0.01 / log 0.5 = 6.644, R = 7: I = 100*1*7.
 *   i = 1: P = 1, R = 1 exactly: I = 100 * 2 * 1 = 200.
 * E = 200 at i* = 1: every run succeeding is handled without log(0).
 */
static void test_koza_all_succeed(void **state)
{
    (void)state;
    const long gens[] = {0, 1, 0, 1, 0, 1, 0, 1, 0, 1};
    check_effort(gens, NELEMS(gens), 100, 50, 0.99, 200.0, 1);

    /* Every run at generation 0: P(0) = 1, E = M * 1 * 1. */
    const long first[] = {0, 0, 0};
    check_effort(first, NELEMS(first), 4000, 50, 0.99, 4000.0, 0);
}

/*
 * Ratios that are integers in exact arithmetic must not round up to the
 * next integer.
 *   z = 0.99, P = 0.99: log 0.01 / log 0.01 = 1, R = 1.
 *   z = 0.9999, P = 0.9: log 1e-4 / log 0.1 = 4 (computed
 *     4.000000000000048, which a bare ceil would make 5).
 *   z = 0.9999, P = 0.99: log 1e-4 / log 0.01 = 2 (computed
 *     2.000000000000025).
 */
static void test_koza_integer_ratio(void **state)
{
    (void)state;
    long gens[100];
    for (size_t i = 0; i < 100; i++)
        gens[i] = i == 42 ? -1 : 4;
    /* 99 of 100 at generation 4: I(4) = 10 * 5 * R. */
    check_effort(gens, 100, 10, 20, 0.99, 10.0 * 5 * 1, 4);
    check_effort(gens, 100, 10, 20, 0.9999, 10.0 * 5 * 2, 4);

    /* 9 of 10 at generation 2: I(2) = 1000 * 3 * 4 = 12000. */
    const long nine[] = {2, 2, 2, 2, -1, 2, 2, 2, 2, 2};
    check_effort(nine, NELEMS(nine), 1000, 10, 0.9999, 12000.0, 2);
}

/*
 * 9 runs at generation 0 and 1 at generation 1, M = 100, z = 0.99:
 *   i = 0: P = 0.9, R = 2 (log 0.01 / log 0.1 = 2): I = 100 * 1 * 2 = 200.
 *   i = 1: P = 1, R = 1: I = 100 * 2 * 1 = 200.
 * A tie: the earlier generation is reported.
 */
static void test_koza_tie(void **state)
{
    (void)state;
    const long gens[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    check_effort(gens, NELEMS(gens), 100, 10, 0.99, 200.0, 0);
}

static void test_koza_no_success(void **state)
{
    (void)state;
    const long none[] = {-1, -1, -1, -1};
    check_effort(none, NELEMS(none), 500, 50, 0.99, INFINITY, -1);
    check_effort(NULL, 0, 500, 50, 0.99, INFINITY, -1);

    /* Outside 0..G counts as no success: 11 > G = 10, and -5. */
    const long outside[] = {11, -5, -1};
    check_effort(outside, NELEMS(outside), 500, 10, 0.99, INFINITY, -1);

    /* ... while generation G itself counts: 1 of 4 at G = 10, P = 0.25,
     * ratio log 0.01 / log 0.75 = 16.008, R = 17: 500 * 11 * 17 = 93500. */
    const long last[] = {10, 11, -1, -1};
    check_effort(last, NELEMS(last), 500, 10, 0.99, 93500.0, 10);
}

static void test_koza_invalid(void **state)
{
    (void)state;
    const long gens[] = {3, 5};
    check_effort(gens, 2, 500, 10, 0.0, NAN, -1);
    check_effort(gens, 2, 500, 10, 1.0, NAN, -1);
    check_effort(gens, 2, 500, 10, NAN, NAN, -1);
    check_effort(gens, 2, 0, 10, 0.99, NAN, -1);
    check_effort(gens, 2, 500, -1, 0.99, NAN, -1);

    /* at may be NULL. P(3) = 0.5, R = 7: 500 * 4 * 7 = 14000; P(5) = 1:
     * 500 * 6 = 3000. */
    assert_true(stats_koza_effort(gens, 2, 500, 10, 0.99, NULL) == 3000.0);
}

static int by_key(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/*
 * stats_order_pair against a sort of the keys each repeated by its weight,
 * with and without weights, on shapes the buckets meet: few keys, all
 * equal, two values, keys spread over the whole range, clustered keys
 * with far outliers (several rounds of buckets).
 */
static void test_order_pair(void **state)
{
    (void)state;
    enum { MAXN = 3000 };
    static uint64_t key[MAXN], copy[MAXN], expanded[MAXN * 4];
    static uint32_t w[MAXN];
    srand(11);
    for (int trial = 0; trial < 400; trial++) {
        size_t n = 1 + (size_t)rand() % (trial % 3 ? 60 : MAXN);
        int shape = trial % 5, weighted = trial % 2;
        uint64_t lo = UINT64_MAX, hi = 0, total = 0;
        size_t ne = 0;
        for (size_t i = 0; i < n; i++) {
            uint64_t r = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^
                         (uint64_t)rand();
            key[i] = shape == 0   ? 42
                     : shape == 1 ? (r & 1 ? 7 : 9)
                     : shape == 2 ? r
                     : shape == 3 ? (i % 97 ? 1000000 + r % 5000 : r)
                                  : r % 3000;
            w[i] = weighted ? 1 + (uint32_t)rand() % 4 : 1;
            for (uint32_t c = 0; c < w[i]; c++)
                expanded[ne++] = key[i];
            total += w[i];
            lo = key[i] < lo ? key[i] : lo;
            hi = key[i] > hi ? key[i] : hi;
        }
        qsort(expanded, ne, sizeof *expanded, by_key);
        uint64_t ks[3] = {0, total / 2, total - 1};
        for (int q = 0; q < 3; q++) {
            uint64_t k = ks[q], lower, upper;
            memcpy(copy, key, n * sizeof *key);
            uint32_t wc[MAXN];
            memcpy(wc, w, n * sizeof *w);
            stats_order_pair(copy, weighted ? wc : NULL, n, k, lo, hi, &lower,
                             &upper);
            assert_true(upper == expanded[k]);
            assert_true(lower == expanded[k ? k - 1 : 0]);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_pair),
        cmocka_unit_test(test_wilson_known),
        cmocka_unit_test(test_wilson_ends),
        cmocka_unit_test(test_wilson_degenerate),
        cmocka_unit_test(test_wilson_properties),
        cmocka_unit_test(test_quartiles_numpy),
        cmocka_unit_test(test_quartiles_nan),
        cmocka_unit_test(test_quartiles_infinite),
        cmocka_unit_test(test_quartiles_large),
        cmocka_unit_test(test_quartiles_random),
        cmocka_unit_test(test_koza_hand),
        cmocka_unit_test(test_koza_all_succeed),
        cmocka_unit_test(test_koza_integer_ratio),
        cmocka_unit_test(test_koza_tie),
        cmocka_unit_test(test_koza_no_success),
        cmocka_unit_test(test_koza_invalid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
