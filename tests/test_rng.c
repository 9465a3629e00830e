/* test_rng: engine/rng.c against pcg-cpp (via PCG_ORACLE) and by property. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rng.h"

#define ORACLE_DRAWS 1000
#define PROPERTY_DRAWS 100000

/* The (state, stream) pairs compared bit for bit with pcg-cpp. */
static const uint64_t oracle_pairs[][2] = {
    {42u, 54u}, /* the PCG reference demo pair */
    {0u, 0u},
    {UINT64_MAX, UINT64_MAX},
    {0u, UINT64_MAX},
    {UINT64_MAX, 0u},
    {0x853c49e6748fea9bULL, 0xda3e39cb94b95bdbULL}, /* pcg32 static init */
    {0x0123456789abcdefULL, 0xfedcba9876543210ULL},
    {0x9e3779b97f4a7c15ULL, 1u},
};
#define N_PAIRS (sizeof oracle_pairs / sizeof oracle_pairs[0])

/* Returns PCG_ORACLE, failing the test (never skipping) when it is unusable. */
static const char *oracle_path(void)
{
    const char *path = getenv("PCG_ORACLE");
    if (path == NULL || *path == '\0')
        fail_msg("PCG_ORACLE is not set: point it at the pcg_oracle binary "
                 "built from tests/pcg_oracle.cpp");
    if (access(path, X_OK) != 0)
        fail_msg("PCG_ORACLE '%s' is not an executable file", path);
    return path;
}

/* Appends s to buf single-quoted for sh; fails the test if buf is too small. */
static void shell_quote(char *buf, size_t size, const char *s)
{
    size_t n = strlen(buf);
    if (n + 1 >= size)
        fail_msg("oracle command too long");
    buf[n++] = '\'';
    for (; *s; s++) {
        const char *piece = *s == '\'' ? "'\\''" : NULL;
        size_t len = piece ? strlen(piece) : 1;
        if (n + len + 2 >= size)
            fail_msg("oracle command too long");
        if (piece) {
            memcpy(buf + n, piece, len);
            n += len;
        } else {
            buf[n++] = *s;
        }
    }
    buf[n++] = '\'';
    buf[n] = '\0';
}

/*
 * Runs the oracle with args (already formatted, after the binary) and reads
 * exactly n numbers into out; fails the test on any error or short output.
 */
static void oracle_read(const char *args, uint32_t *out, size_t n)
{
    char cmd[4096] = "";
    shell_quote(cmd, sizeof cmd, oracle_path());
    size_t len = strlen(cmd);
    int w = snprintf(cmd + len, sizeof cmd - len, " %s", args);
    if (w < 0 || (size_t)w >= sizeof cmd - len)
        fail_msg("oracle command too long");

    FILE *f = popen(cmd, "r");
    if (f == NULL)
        fail_msg("cannot run oracle '%s'", cmd);
    char line[64];
    size_t got = 0;
    while (got < n && fgets(line, sizeof line, f) != NULL) {
        char *end;
        unsigned long long v = strtoull(line, &end, 10);
        if (end == line || (*end != '\n' && *end != '\0') || v > UINT32_MAX) {
            pclose(f);
            fail_msg("oracle '%s': bad line %zu: '%s'", cmd, got + 1, line);
        }
        out[got++] = (uint32_t)v;
    }
    int status = pclose(f);
    if (status != 0)
        fail_msg("oracle '%s' failed (wait status %d)", cmd, status);
    if (got != n)
        fail_msg("oracle '%s': expected %zu numbers, got %zu", cmd, n, got);
}

/* The first six outputs of pcg32(42, 54), from the PCG reference demo. */
static void test_reference_demo(void **state)
{
    static const uint32_t want[] = {0xa15c02b7u, 0x7b47f409u, 0xba1d3330u,
                                    0x83d2f293u, 0xbfa4784bu, 0xcbed606eu};
    (void)state;
    struct rng r;
    rng_seed(&r, 42u, 54u);
    assert_int_equal(r.inc, 54u * 2u + 1u);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        assert_int_equal(rng_u32(&r), want[i]);

    /* The oracle must agree with the paper too, or it proves nothing. */
    uint32_t got[6];
    oracle_read("42 54 6", got, 6);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(got[i], want[i]);
}

static void test_u32_matches_oracle(void **state)
{
    (void)state;
    uint32_t want[ORACLE_DRAWS];
    for (size_t p = 0; p < N_PAIRS; p++) {
        uint64_t s = oracle_pairs[p][0], q = oracle_pairs[p][1];
        char args[128];
        snprintf(args, sizeof args, "0x%" PRIx64 " 0x%" PRIx64 " %d", s, q,
                 ORACLE_DRAWS);
        oracle_read(args, want, ORACLE_DRAWS);

        struct rng r;
        rng_seed(&r, s, q);
        for (size_t i = 0; i < ORACLE_DRAWS; i++) {
            uint32_t got = rng_u32(&r);
            if (got != want[i])
                fail_msg("pcg32(0x%" PRIx64 ", 0x%" PRIx64 ") draw %zu: "
                         "got 0x%08" PRIx32 ", pcg-cpp 0x%08" PRIx32,
                         s, q, i, got, want[i]);
        }
    }
}

/* Random (state, stream) pairs, drawn from a fixed SplitMix64 sequence. */
static void test_u32_matches_oracle_random_pairs(void **state)
{
    (void)state;
    uint32_t want[ORACLE_DRAWS];
    uint64_t x = 0x5eed5eed5eed5eedULL;
    for (int p = 0; p < 4; p++) {
        uint64_t s = rng_splitmix64(&x), q = rng_splitmix64(&x);
        char args[128];
        snprintf(args, sizeof args, "%" PRIu64 " %" PRIu64 " %d", s, q,
                 ORACLE_DRAWS);
        oracle_read(args, want, ORACLE_DRAWS);

        struct rng r;
        rng_seed(&r, s, q);
        for (size_t i = 0; i < ORACLE_DRAWS; i++) {
            uint32_t got = rng_u32(&r);
            if (got != want[i])
                fail_msg("pcg32(%" PRIu64 ", %" PRIu64 ") draw %zu: "
                         "got %" PRIu32 ", pcg-cpp %" PRIu32,
                         s, q, i, got, want[i]);
        }
    }
}

/*
 * rng_below against pcg-cpp's rng(bound) (pcg_extras bounded_rand, the same
 * rejection method); a bound with many rejections, 2^31 + 1, checks that both
 * redraw on exactly the same values.
 */
static void test_below_matches_oracle(void **state)
{
    static const uint32_t bounds[] = {1u,    2u,          3u,        7u,
                                      1000u, 0x80000001u, UINT32_MAX};
    (void)state;
    uint32_t want[ORACLE_DRAWS];
    for (size_t p = 0; p < 3; p++) {
        uint64_t s = oracle_pairs[p][0], q = oracle_pairs[p][1];
        for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
            char args[160];
            snprintf(args, sizeof args,
                     "--bounded 0x%" PRIx64 " 0x%" PRIx64 " %d %" PRIu32, s, q,
                     ORACLE_DRAWS, bounds[b]);
            oracle_read(args, want, ORACLE_DRAWS);

            struct rng r;
            rng_seed(&r, s, q);
            for (size_t i = 0; i < ORACLE_DRAWS; i++) {
                uint32_t got = rng_below(&r, bounds[b]);
                if (got != want[i])
                    fail_msg("pcg32(0x%" PRIx64 ", 0x%" PRIx64 ")(%" PRIu32
                             ") draw %zu: got %" PRIu32 ", pcg-cpp %" PRIu32,
                             s, q, bounds[b], i, got, want[i]);
            }
        }
    }
}

/*
 * Pearson chi-square over 10 buckets of rng_below(bound); 9 degrees of
 * freedom put the 99.99th percentile near 33.7, so 40 is loose. A bound near
 * 3e9 is where plain modulo would be grossly biased.
 */
static void test_below_range_and_uniformity(void **state)
{
    static const uint32_t bounds[] = {10u, 1000u, 3000000000u, UINT32_MAX};
    (void)state;
    struct rng r;
    rng_seed(&r, 2024u, 7u);
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
        uint32_t bound = bounds[b];
        long counts[10] = {0};
        for (int i = 0; i < PROPERTY_DRAWS; i++) {
            uint32_t x = rng_below(&r, bound);
            if (x >= bound)
                fail_msg("rng_below(%" PRIu32 ") returned %" PRIu32, bound, x);
            counts[(uint64_t)x * 10u / bound]++;
        }
        double expect = PROPERTY_DRAWS / 10.0, chi2 = 0.0;
        for (int k = 0; k < 10; k++)
            chi2 += (counts[k] - expect) * (counts[k] - expect) / expect;
        if (chi2 > 40.0)
            fail_msg("rng_below(%" PRIu32 "): chi-square %.1f over 10 buckets",
                     bound, chi2);
    }

    for (int i = 0; i < 1000; i++)
        assert_int_equal(rng_below(&r, 1u), 0);
}

static void test_double_range_and_bits(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 99u, 3u);
    int below_2_32 = 0, odd_53 = 0;
    double sum = 0.0;
    for (int i = 0; i < PROPERTY_DRAWS; i++) {
        double d = rng_double(&r);
        if (!(d >= 0.0 && d < 1.0))
            fail_msg("rng_double returned %a", d);
        double scaled = d * 9007199254740992.0; /* 2^53, exact */
        assert_true(scaled == floor(scaled));   /* on the 2^-53 grid */
        if (fmod(scaled, 2.0) == 1.0)
            odd_53++; /* lowest of the 53 bits set */
        if (fmod(scaled, 2097152.0) != 0.0)
            below_2_32++; /* not a multiple of 2^-32 */
        sum += d;
    }
    /* Each should hold for about half (odd) or nearly all (below 2^-32). */
    assert_true(odd_53 > PROPERTY_DRAWS / 3);
    assert_true(below_2_32 > PROPERTY_DRAWS * 9 / 10);
    assert_true(fabs(sum / PROPERTY_DRAWS - 0.5) < 0.01);
}

/* The stream depends on the exact construction: 27 high bits, then 26. */
static void test_double_construction(void **state)
{
    (void)state;
    struct rng a, b;
    rng_seed(&a, 5u, 6u);
    b = a;
    for (int i = 0; i < 1000; i++) {
        uint64_t hi = rng_u32(&b) >> 5, lo = rng_u32(&b) >> 6;
        double want = (double)(hi << 26 | lo) / 9007199254740992.0;
        assert_true(rng_double(&a) == want);
    }
}

/*
 * Builds a stream whose next two outputs are hi32 then lo32: PCG32 outputs
 * depend only on the old state's bits 27..63, so each state is solved from
 * its output (undoing the xorshift), and the increment, which is free, is
 * chosen to step from the first state to the second.
 */
static uint64_t state_for_output(uint32_t out)
{
    uint64_t x = (uint64_t)out << 27; /* rot = 0, so xorshifted = out */
    return x ^ x >> 18 ^ x >> 36 ^ x >> 54;
}

static void rng_forge(struct rng *r, uint32_t hi32, uint32_t lo32)
{
    uint64_t s1 = state_for_output(hi32), s2 = state_for_output(lo32);
    uint64_t inc = s2 - s1 * 6364136223846793005ULL;
    r->state = s1;
    r->inc = inc | 1u; /* s2's bit 0 does not reach the output */
    struct rng check = *r;
    assert_int_equal(rng_u32(&check), hi32);
    assert_int_equal(rng_u32(&check), lo32);
}

/*
 * The rejection boundary, which random draws almost never hit: a draw equal
 * to the threshold 2^32 mod bound is kept, the one below it is redrawn.
 */
static void test_below_threshold_edge(void **state)
{
    static const uint32_t bounds[] = {3u, 7u, 1000u, 0x80000001u, UINT32_MAX};
    (void)state;
    struct rng r;
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
        uint32_t bound = bounds[b];
        uint32_t threshold = (uint32_t)((UINT64_C(1) << 32) % bound);
        /* UINT32_MAX is never below a threshold, so it ends a redraw. */
        rng_forge(&r, threshold, 0u);
        assert_int_equal(rng_below(&r, bound), threshold % bound);
        rng_forge(&r, threshold - 1u, UINT32_MAX);
        assert_int_equal(rng_below(&r, bound), UINT32_MAX % bound);
        rng_forge(&r, 0u, threshold);
        assert_int_equal(rng_below(&r, bound), threshold % bound);
    }
}

/* The extremes of rng_double: 0 and the largest double below 1. */
static void test_double_extremes(void **state)
{
    (void)state;
    struct rng r;
    rng_forge(&r, 0u, 0u);
    assert_true(rng_double(&r) == 0.0);
    rng_forge(&r, UINT32_MAX, UINT32_MAX);
    assert_true(rng_double(&r) == 1.0 - 0x1p-53);
    rng_forge(&r, UINT32_MAX, UINT32_MAX);
    assert_true(rng_chance(&r, 1.0));
}

/*
 * At the largest rng_double, lo + (hi - lo) * d rounds up to hi whenever the
 * span is small beside |lo|; rng_uniform must still stay below hi.
 */
static void test_uniform_never_hi(void **state)
{
    static const double ranges[][2] = {{2.0, 2.5},
                                       {-1e6, -999999.5},
                                       {1e15, 1e15 + 1.0},
                                       {-1.0, 1.0},
                                       {0.0, 1e-300}};
    (void)state;
    struct rng r;
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        double lo = ranges[k][0], hi = ranges[k][1];
        rng_forge(&r, UINT32_MAX, UINT32_MAX);
        double x = rng_uniform(&r, lo, hi);
        if (!(x >= lo && x < hi))
            fail_msg("rng_uniform(%.17g, %.17g) at d = 1 - 2^-53 returned "
                     "%.17g",
                     lo, hi, x);
        rng_forge(&r, 0u, 0u);
        assert_true(rng_uniform(&r, lo, hi) == lo);
    }
}

static void test_uniform_range(void **state)
{
    static const double ranges[][2] = {
        {-3.0, 5.0}, {0.0, 1e-9}, {-1e6, -999999.5}, {2.0, 2.5}};
    (void)state;
    struct rng r;
    rng_seed(&r, 11u, 12u);
    for (size_t k = 0; k < sizeof ranges / sizeof ranges[0]; k++) {
        double lo = ranges[k][0], hi = ranges[k][1];
        double min = INFINITY, max = -INFINITY, sum = 0.0;
        for (int i = 0; i < PROPERTY_DRAWS; i++) {
            double x = rng_uniform(&r, lo, hi);
            if (!(x >= lo && x < hi))
                fail_msg("rng_uniform(%g, %g) returned %.17g", lo, hi, x);
            min = fmin(min, x);
            max = fmax(max, x);
            sum += x;
        }
        double span = hi - lo;
        assert_true(min - lo < span * 1e-3);
        assert_true(hi - max < span * 1e-3);
        assert_true(fabs(sum / PROPERTY_DRAWS - (lo + span / 2)) < span * 0.01);
    }
}

/*
 * Moments of 100k normal deviates; standard errors are about 0.003 for the
 * mean, 0.0045 for the variance and 0.0015 for the one-sigma mass.
 */
static void test_normal_moments(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 31337u, 1u);
    double sum = 0.0, sum2 = 0.0;
    int within1 = 0;
    for (int i = 0; i < PROPERTY_DRAWS; i++) {
        double x = rng_normal(&r);
        if (!isfinite(x))
            fail_msg("rng_normal returned %g", x);
        sum += x;
        sum2 += x * x;
        within1 += fabs(x) < 1.0;
    }
    double mean = sum / PROPERTY_DRAWS;
    double var = sum2 / PROPERTY_DRAWS - mean * mean;
    if (fabs(mean) > 0.02 || fabs(var - 1.0) > 0.03)
        fail_msg("rng_normal: mean %.4f, variance %.4f", mean, var);
    double frac = (double)within1 / PROPERTY_DRAWS;
    if (fabs(frac - 0.6827) > 0.01)
        fail_msg("rng_normal: %.4f of draws within one sigma", frac);
}

static void test_chance(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 8u, 9u);
    int hits = 0;
    for (int i = 0; i < PROPERTY_DRAWS; i++) {
        assert_false(rng_chance(&r, 0.0));
        assert_true(rng_chance(&r, 1.0));
        hits += rng_chance(&r, 0.3);
    }
    assert_true(fabs((double)hits / PROPERTY_DRAWS - 0.3) < 0.01);
}

/* Copying the plain struct duplicates the stream (checkpoints rely on it). */
static void test_copy_is_same_stream(void **state)
{
    (void)state;
    struct rng a, b;
    rng_seed(&a, 1u, 2u);
    (void)rng_u32(&a);
    b = a;
    for (int i = 0; i < 100; i++)
        assert_int_equal(rng_u32(&a), rng_u32(&b));
}

static int same_stream(const struct rng *a, const struct rng *b)
{
    return a->state == b->state && a->inc == b->inc;
}

static void test_derive_deterministic(void **state)
{
    (void)state;
    struct rng a, b;
    rng_derive(&a, 12345u, RNG_EVAL, 7u, 99u);
    rng_derive(&b, 12345u, RNG_EVAL, 7u, 99u);
    assert_true(same_stream(&a, &b));
    for (int i = 0; i < 100; i++)
        assert_int_equal(rng_u32(&a), rng_u32(&b));
}

/* Changing any one key gives another stream, not just another position. */
static void test_derive_each_key_matters(void **state)
{
    (void)state;
    struct rng base, other;
    rng_derive(&base, 1u, RNG_EVAL, 2u, 3u);

    struct rng variants[6];
    rng_derive(&variants[0], 0u, RNG_EVAL, 2u, 3u);
    rng_derive(&variants[1], 1u, RNG_MAIN, 2u, 3u);
    rng_derive(&variants[2], 1u, RNG_EVAL, 3u, 3u);
    rng_derive(&variants[3], 1u, RNG_EVAL, 2u, 4u);
    rng_derive(&variants[4], 1u, RNG_EVAL, 3u, 2u); /* swapped gen, index */
    rng_derive(&variants[5], 3u, RNG_EVAL, 2u, 1u); /* swapped seed, index */
    for (size_t v = 0; v < 6; v++) {
        if (same_stream(&base, &variants[v]))
            fail_msg("variant %zu derives the base stream", v);
        assert_true(base.inc != variants[v].inc);
        struct rng a = base;
        other = variants[v];
        int equal = 0;
        for (int i = 0; i < 8; i++)
            equal += rng_u32(&a) == rng_u32(&other);
        if (equal > 1)
            fail_msg("variant %zu: %d of 8 first outputs equal the base's", v,
                     equal);
    }
}

/*
 * Neighbouring indices (and seeds) give unrelated streams: first outputs
 * differ, and differ in about half their bits on average.
 */
static void test_derive_neighbours_unrelated(void **state)
{
    (void)state;
    long bits = 0;
    const int n = 1000;
    for (int i = 0; i < n; i++) {
        struct rng a, b, c;
        rng_derive(&a, 42u, RNG_EVAL, 5u, (uint64_t)i);
        rng_derive(&b, 42u, RNG_EVAL, 5u, (uint64_t)i + 1u);
        rng_derive(&c, 43u, RNG_EVAL, 5u, (uint64_t)i);
        uint32_t x = rng_u32(&a), y = rng_u32(&b), z = rng_u32(&c);
        if (x == y || x == z)
            fail_msg("index %d: first output equals a neighbour's", i);
        for (uint32_t d = x ^ y; d; d &= d - 1)
            bits++;
    }
    double mean = (double)bits / n;
    if (fabs(mean - 16.0) > 0.5)
        fail_msg("neighbouring indices differ in %.2f bits on average", mean);
}

static void test_increment_always_odd(void **state)
{
    static const uint64_t seqs[] = {
        0u, 1u, 2u, 54u, UINT64_MAX, UINT64_MAX - 1u, 0x8000000000000000ULL};
    (void)state;
    struct rng r;
    for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
        rng_seed(&r, 0u, seqs[i]);
        assert_int_equal(r.inc & 1u, 1u);
        assert_int_equal(r.inc, seqs[i] << 1 | 1u);
    }
    for (uint64_t i = 0; i < 10000; i++) {
        rng_derive(&r, i * 0x9e3779b97f4a7c15ULL, RNG_EVAL, i >> 3, i);
        assert_int_equal(r.inc & 1u, 1u);
        rng_derive(&r, i, RNG_MAIN, 0u, 0u);
        assert_int_equal(r.inc & 1u, 1u);
    }
}

/* SplitMix64 from x = 0 (Steele, Lea, Flood 2014; Vigna's splitmix64.c). */
static void test_splitmix64_published(void **state)
{
    static const uint64_t want[] = {
        0xe220a8397b1dcdafULL, 0x6e789e6aa1b965f4ULL, 0x06c45d188009454fULL};
    (void)state;
    uint64_t x = 0;
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(rng_splitmix64(&x), want[i]);
        assert_int_equal(x, (i + 1) * 0x9e3779b97f4a7c15ULL);
    }
}

/* rng_below_fixed draws exactly what rng_below draws, bound by bound
 * (small, large, powers of two and their neighbours, 1 and 2^32 - 1), and
 * on random bounds. */
static void test_below_fixed(void **state)
{
    (void)state;
    const uint32_t bounds[] = {1,           2,           3,
                               7,           1000,        1024,
                               65535,       65536,       65537,
                               1u << 31,    (1u << 31) + 1,
                               0xfffffffeu, 0xffffffffu};
    for (size_t b = 0; b < sizeof bounds / sizeof bounds[0]; b++) {
        struct rng a, f;
        rng_seed(&a, 42 + b, 7);
        f = a;
        struct rng_bound fixed;
        rng_bound_init(&fixed, bounds[b]);
        for (int i = 0; i < 100000; i++)
            assert_int_equal(rng_below_fixed(&f, &fixed),
                             rng_below(&a, bounds[b]));
        assert_memory_equal(&a, &f, sizeof a);
    }
    struct rng r, a, f;
    rng_seed(&r, 5, 5);
    for (int i = 0; i < 2000; i++) {
        uint32_t bound = rng_u32(&r) >> (rng_u32(&r) % 32);
        if (bound == 0)
            bound = 1;
        struct rng_bound fixed;
        rng_bound_init(&fixed, bound);
        rng_seed(&a, (uint64_t)i, 3);
        f = a;
        for (int k = 0; k < 50; k++)
            assert_int_equal(rng_below_fixed(&f, &fixed),
                             rng_below(&a, bound));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_demo),
        cmocka_unit_test(test_u32_matches_oracle),
        cmocka_unit_test(test_u32_matches_oracle_random_pairs),
        cmocka_unit_test(test_below_matches_oracle),
        cmocka_unit_test(test_below_range_and_uniformity),
        cmocka_unit_test(test_double_range_and_bits),
        cmocka_unit_test(test_double_construction),
        cmocka_unit_test(test_below_threshold_edge),
        cmocka_unit_test(test_double_extremes),
        cmocka_unit_test(test_uniform_range),
        cmocka_unit_test(test_uniform_never_hi),
        cmocka_unit_test(test_normal_moments),
        cmocka_unit_test(test_chance),
        cmocka_unit_test(test_copy_is_same_stream),
        cmocka_unit_test(test_derive_deterministic),
        cmocka_unit_test(test_derive_each_key_matters),
        cmocka_unit_test(test_derive_neighbours_unrelated),
        cmocka_unit_test(test_increment_always_odd),
        cmocka_unit_test(test_splitmix64_published),
        cmocka_unit_test(test_below_fixed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
