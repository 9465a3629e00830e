/* test_vmath: forkgp's exp, log, sin, cos and tanh against glibc's long double ones. */
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
#include <string.h>

#include "rng.h"
#include "vmath.h"

/* Random arguments per range: enough to find a 1-ulp slip (one did show
 * within 100,000 draws of exp while its polynomial was being cut). */
#define DRAWS 300000

/* Exact equality of doubles, bits included (so -0 differs from 0). */
#define assert_double_bits(got, want)                                          \
    do {                                                                       \
        double got_ = (got), want_ = (want);                                   \
        if (memcmp(&got_, &want_, sizeof got_) != 0)                           \
            fail_msg("got %a, want %a", got_, want_);                          \
    } while (0)

/*
 * How far got is from the exact value, in units of the last place of the
 * double nearest it. glibc's long double functions carry 11 more bits than
 * a double, so they stand in for the exact value.
 */
static double ulp_error(double got, long double exact)
{
    double nearest = (double)exact;
    if (isinf(nearest) || nearest == 0.0)
        return got == nearest ? 0.0 : INFINITY;
    int e;
    frexp(nearest, &e);
    long double ulp = ldexpl(1.0L, e - 53 < -1074 ? -1074 : e - 53);
    return (double)(fabsl((long double)got - exact) / ulp);
}

enum fn { EXP, LOG, SIN, COS, TANH };

static double ours(enum fn f, double x)
{
    switch (f) {
    case EXP: return vmath_exp(x);
    case LOG: return vmath_log(x);
    case SIN: return vmath_sin(x);
    case COS: return vmath_cos(x);
    default: return vmath_tanh(x);
    }
}

static long double exact(enum fn f, double x)
{
    switch (f) {
    case EXP: return expl(x);
    case LOG: return logl(x);
    case SIN: return sinl(x);
    case COS: return cosl(x);
    default: return tanhl(x);
    }
}

/* The worst error over DRAWS arguments uniform in [lo, hi]. */
static double worst_error(enum fn f, double lo, double hi, uint64_t seed)
{
    struct rng r;
    rng_seed(&r, seed, 7);
    double worst = 0.0, at = 0.0;
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_uniform(&r, lo, hi);
        double e = ulp_error(ours(f, x), exact(f, x));
        if (e > worst) {
            worst = e;
            at = x;
        }
    }
    print_message("    [%g, %g]: at most %.3f ulp (at %a)\n", lo, hi, worst,
                  at);
    return worst;
}

static void test_exp_within_one_ulp(void **state)
{
    (void)state;
    assert_true(worst_error(EXP, -1.0, 1.0, 1) < 1.0);
    assert_true(worst_error(EXP, -1e-6, 1e-6, 2) < 1.0);
    assert_true(worst_error(EXP, -708.0, 709.78, 3) < 1.0);
    /* Subnormal results: rounded once, from y 2^k1 (exact) times 2^k2. */
    assert_true(worst_error(EXP, -745.1, -708.4, 4) < 1.0);
}

static void test_log_within_one_ulp(void **state)
{
    (void)state;
    assert_true(worst_error(LOG, 0.5, 2.0, 5) < 1.0);
    assert_true(worst_error(LOG, 0.0, 100.0, 6) < 1.0);
    assert_true(worst_error(LOG, 1.0, 1e300, 7) < 1.0);
    assert_true(worst_error(LOG, 0x1p-1074, 0x1p-1022, 8) < 1.0);
}

static void test_sin_cos_within_one_ulp(void **state)
{
    (void)state;
    assert_true(worst_error(SIN, -4.0, 4.0, 9) < 1.0);
    assert_true(worst_error(SIN, -1e-4, 1e-4, 10) < 1.0);
    assert_true(worst_error(SIN, -0x1p19, 0x1p19, 11) < 1.0);
    assert_true(worst_error(COS, -4.0, 4.0, 12) < 1.0);
    assert_true(worst_error(COS, -0x1p19, 0x1p19, 13) < 1.0);
    /* Near multiples of pi/2 the reduction cancels most of x: every k pi/2
     * below 2^19, the nearest double and two either side. The remainder
     * is then as small as 2^-60 of x, and once rounded at 2^-104 (cos of
     * 0x1.93c05c9ed3cbcp+18 was 0.94 ulp off). */
    double worst = 0.0, at = 0.0;
    for (long k = 1; k * 1.5707963267948966 < 0x1p19; k++) {
        uint64_t mid = vmath_bits((double)(k * 1.57079632679489661923L));
        for (int d = -2; d <= 2; d++) {
            double y = vmath_double(mid + (uint64_t)(int64_t)d);
            double es = ulp_error(vmath_sin(y), sinl(y));
            double ec = ulp_error(vmath_cos(y), cosl(y));
            if (fmax(es, ec) > worst) {
                worst = fmax(es, ec);
                at = y;
            }
        }
    }
    print_message("    near k pi/2: at most %.3f ulp (at %a)\n", worst, at);
    assert_true(worst < 0.6);
}

/* glibc's own tanh is off by up to 2.2 ulp on these ranges. */
static void test_tanh_within_one_ulp(void **state)
{
    (void)state;
    assert_true(worst_error(TANH, -1e-6, 1e-6, 15) < 1.0);
    assert_true(worst_error(TANH, -0.6, 0.6, 16) < 1.0);
    assert_true(worst_error(TANH, 0.3, 1.5, 17) < 1.0);
    assert_true(worst_error(TANH, -20.0, 20.0, 18) < 1.0);
    /* Where e^2x's reduction turns from k = 0 to 1, N = E - 1 cancels to
     * 0.45: a c rounded as one double cost 0.95 ulp there. */
    assert_true(worst_error(TANH, 0.1725, 0.1735, 20) < 0.7);
}

static void test_tanh_edges(void **state)
{
    (void)state;
    assert_double_bits(vmath_tanh(0.0), 0.0);
    assert_double_bits(vmath_tanh(-0.0), -0.0);
    assert_double_bits(vmath_tanh(0x1p-1074), 0x1p-1074);
    assert_double_bits(vmath_tanh(-1e-300), -1e-300);
    assert_double_bits(vmath_tanh(INFINITY), 1.0);
    assert_double_bits(vmath_tanh(-INFINITY), -1.0);
    assert_double_bits(vmath_tanh(1e300), 1.0);
    assert_true(isnan(vmath_tanh(NAN)));
    /* Where tanh rounds to 1: 19.06 does not yet, 19.1 does. */
    assert_double_bits(vmath_tanh(19.06), 0x1.fffffffffffffp-1);
    assert_double_bits(vmath_tanh(19.1), 1.0);
    assert_double_bits(vmath_tanh(-19.1), -1.0);
    struct rng r;
    rng_seed(&r, 19, 7);
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_uniform(&r, 0.0, 25.0);
        assert_double_bits(vmath_tanh(-x), -vmath_tanh(x));
    }
}

static void test_exp_edges(void **state)
{
    (void)state;
    assert_double_bits(vmath_exp(0.0), 1.0);
    assert_double_bits(vmath_exp(-0.0), 1.0);
    assert_double_bits(vmath_exp(INFINITY), INFINITY);
    assert_double_bits(vmath_exp(-INFINITY), 0.0);
    assert_true(isnan(vmath_exp(NAN)));
    assert_true(isnan(vmath_exp(-NAN)));
    /* The largest x whose e^x is finite, and the next double. */
    assert_double_bits(vmath_exp(0x1.62e42fefa39efp+9), exp(0x1.62e42fefa39efp+9));
    assert_double_bits(vmath_exp(0x1.62e42fefa39fp+9), INFINITY);
    assert_double_bits(vmath_exp(1e300), INFINITY);
    /* The smallest subnormal, and below it 0. */
    assert_double_bits(vmath_exp(-745.13321910194111), 0x1p-1074);
    assert_double_bits(vmath_exp(-745.13321910194122), 0.0);
    assert_double_bits(vmath_exp(-1e300), 0.0);
    assert_double_bits(vmath_exp(1.0), exp(1.0));
}

static void test_log_edges(void **state)
{
    (void)state;
    assert_double_bits(vmath_log(1.0), 0.0);
    assert_double_bits(vmath_log(0.0), -INFINITY);
    assert_double_bits(vmath_log(INFINITY), INFINITY);
    assert_true(isnan(vmath_log(NAN)));
    assert_true(isnan(vmath_log(-1.0)));
    assert_true(isnan(vmath_log(-0x1p-1074)));
    assert_true(isnan(vmath_log(-INFINITY)));
    assert_double_bits(vmath_log(-0.0), -INFINITY);
    assert_double_bits(vmath_log(2.0), 0x1.62e42fefa39efp-1);
    assert_double_bits(vmath_log(0x1p-1074), -0x1.74385446d71c3p+9);
    assert_double_bits(vmath_log(DBL_MAX), 0x1.62e42fefa39efp+9);
    assert_double_bits(vmath_log(2.718281828459045), 1.0);
}

static void test_sin_cos_edges(void **state)
{
    (void)state;
    assert_double_bits(vmath_sin(0.0), 0.0);
    assert_double_bits(vmath_sin(-0.0), -0.0);
    assert_double_bits(vmath_sin(0x1p-1074), 0x1p-1074);
    assert_double_bits(vmath_sin(-1e-300), -1e-300);
    assert_double_bits(vmath_cos(0.0), 1.0);
    assert_double_bits(vmath_cos(-1e-300), 1.0);
    assert_double_bits(vmath_sin(1.5707963267948966), 1.0);
    assert_true(isnan(vmath_sin(INFINITY)));
    assert_true(isnan(vmath_cos(-INFINITY)));
    assert_true(isnan(vmath_sin(NAN)));
    assert_true(isnan(vmath_cos(NAN)));
    /* At and beyond 2^19: glibc's. */
    double far[] = {0x1p19, -0x1p19, 1e6, -3.5e12, 1e300, DBL_MAX};
    for (size_t i = 0; i < sizeof far / sizeof far[0]; i++) {
        assert_false(vmath_trig_near(far[i]));
        assert_double_bits(vmath_sin(far[i]), sin(far[i]));
        assert_double_bits(vmath_cos(far[i]), cos(far[i]));
    }
    assert_true(vmath_trig_near(nextafter(0x1p19, 0.0)));
    assert_false(vmath_trig_near(NAN));
    assert_false(vmath_trig_near(INFINITY));
}

/* sin and cos are odd and even bit for bit: the reduction of -x is the
 * negated reduction of x. */
static void test_sin_cos_symmetry(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 14, 7);
    for (int i = 0; i < DRAWS; i++) {
        double x = rng_uniform(&r, 0.0, 0x1p19);
        assert_double_bits(vmath_sin(-x), -vmath_sin(x));
        assert_double_bits(vmath_cos(-x), vmath_cos(x));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exp_within_one_ulp),
        cmocka_unit_test(test_log_within_one_ulp),
        cmocka_unit_test(test_sin_cos_within_one_ulp),
        cmocka_unit_test(test_tanh_within_one_ulp),
        cmocka_unit_test(test_exp_edges),
        cmocka_unit_test(test_log_edges),
        cmocka_unit_test(test_sin_cos_edges),
        cmocka_unit_test(test_sin_cos_symmetry),
        cmocka_unit_test(test_tanh_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
