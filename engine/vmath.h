/* vmath: exp, log, sin, cos and tanh of forkgp's own, that a block loop vectorizes. */
#ifndef FORKGP_VMATH_H
#define FORKGP_VMATH_H

/*
 * glibc's exp, log, sin, cos and tanh are one call a value, each many
 * times the cost of an add. These are the textbook algorithms
 * (reduce the argument by a multiple of ln 2 or pi/2, or split off the
 * exponent, then a polynomial; tanh from e^2x as a quotient of
 * double-doubles), written as straight-line IEEE double arithmetic: no
 * calls, no branches, no tables, so a loop over a block of rows vectorizes
 * them, and the results are the same bits in every build and on every
 * machine (no fused multiply-adds: forkgp builds with -ffp-contract=off;
 * glibc picks FMA variants by CPU). Each is within one unit in the last
 * place of the exact result (tests/test_vmath.c measures them against
 * glibc's long double functions; glibc's own tanh is off by up to 2.2),
 * not always the correctly rounded double, so a value can differ from
 * glibc's in its last bit.
 *
 * The polynomials are Taylor series cut where the next term is below
 * 1e-19 of the result (minimax ones would need fewer terms; these need no
 * fitting, and the coefficients are plainly 1/k!). The constants that
 * split ln 2 and pi/2 into exactly representable parts are worked out by
 * tools/vmath_constants.py.
 *
 * sin and cos reduce their argument exactly only while |x| < VMATH_TRIG_NEAR;
 * beyond it (and for inf and NaN) vmath_sin and vmath_cos call glibc's.
 * The block loops take such rows in a second pass (vmath_trig_near says
 * which).
 */

#include <math.h>
#include <stdint.h>
#include <string.h>

static inline uint64_t vmath_bits(double x)
{
    uint64_t u;
    memcpy(&u, &x, sizeof u);
    return u;
}

static inline double vmath_double(uint64_t u)
{
    double x;
    memcpy(&x, &u, sizeof x);
    return x;
}

/* 1.5 * 2^52: x + VMATH_SHIFT - VMATH_SHIFT rounds x (|x| < 2^51) to the
 * nearest integer, and the low bits of x + VMATH_SHIFT are that integer. */
#define VMATH_SHIFT 0x1.8p52

/* ln 2 as hi + lo, hi with 42 significant bits so that k * hi is exact for
 * the |k| <= 1076 of exp. */
#define VMATH_LN2_HI 0x1.62e42fefa38p-1
#define VMATH_LN2_LO 0x1.ef35793c7673p-45
#define VMATH_LOG2E 0x1.71547652b82fep+0

/* pi/2 as four parts, the first three of 33 significant bits so that
 * k * part is exact for |k| < 2^20. */
#define VMATH_PIO2_1 0x1.921fb544p+0
#define VMATH_PIO2_2 0x1.0b4611a6p-34
#define VMATH_PIO2_3 0x1.3198a2ep-69
#define VMATH_PIO2_3T 0x1.b839a252049c1p-104
#define VMATH_2_OVER_PI 0x1.45f306dc9c883p-1

/* sin and cos of forkgp's own below this |x| (then k < 2^19 multiples of
 * pi/2 come off exactly); glibc's at and beyond it. */
#define VMATH_TRIG_NEAR 0x1p19

/* a + b as s + err exactly (Knuth's TwoSum, any magnitudes). */
static inline double vmath_two_sum(double a, double b, double *err)
{
    double s = a + b;
    double bv = s - a;
    *err = (a - (s - bv)) + (b - bv);
    return s;
}

/* 2^k for an integer-valued double k in [-1022, 1023]. */
static inline double vmath_pow2(double k)
{
    uint64_t n = vmath_bits(k + VMATH_SHIFT) - vmath_bits(VMATH_SHIFT);
    return vmath_double((n + 1023) << 52);
}

/* (e^r - 1 - r - r^2/2) / r^3 = 1/3! + r/4! + ... + r^10/13! */
static inline double vmath_exp_poly3(double r)
{
    double q = 1.0 / 6227020800; /* 1/13! */
    q = 1.0 / 479001600 + r * q;
    q = 1.0 / 39916800 + r * q;
    q = 1.0 / 3628800 + r * q;
    q = 1.0 / 362880 + r * q;
    q = 1.0 / 40320 + r * q;
    q = 1.0 / 5040 + r * q;
    q = 1.0 / 720 + r * q;
    q = 1.0 / 120 + r * q;
    q = 1.0 / 24 + r * q;
    return 1.0 / 6 + r * q;
}

/*
 * x = k ln 2 + r for x in [-746, 710], k an integer (a double), r = hi -
 * lo, |r| <= ln(2)/2: k * LN2_HI is exact, and so is the subtraction (x
 * and k ln 2 are close). Then e^x = 2^k e^r. Shared by exp and tanh.
 */
static inline double vmath_exp_reduce(double x, double *hi, double *lo)
{
    double k = (x * VMATH_LOG2E + VMATH_SHIFT) - VMATH_SHIFT;
    *hi = x - k * VMATH_LN2_HI;
    *lo = k * VMATH_LN2_LO;
    return k;
}

/* e^x: inf above 709.78, 0 below -745.13, subnormal between. */
static inline double vmath_exp(double x)
{
    /* Clamped where e^x is already inf or 0, so that k fits; NaN passes
     * the comparisons and is returned as it is at the end. */
    double xc = x > 710.0 ? 710.0 : x < -746.0 ? -746.0 : x;
    double hi, lo;
    double k = vmath_exp_reduce(xc, &hi, &lo);
    double r = hi - lo;
    /* e^r = 1 + hi + c, c = r^2 (1/2 + r q3) - lo: r's rounding error (in
     * lo) taken back out */
    double c = (r * r) * (0.5 + r * vmath_exp_poly3(r)) - lo;
    /* 1 + hi exactly as sum + err (|hi| < 1), so that only the last
     * addition rounds at y's scale. */
    double sum = 1.0 + hi;
    double err = (1.0 - sum) + hi;
    double y = sum + (err + c);
    /* y 2^k as (y 2^k1) 2^k2: both factors are normal, the first product
     * is exact, so a subnormal result is rounded once. */
    double k1 = (k * 0.5 + VMATH_SHIFT) - VMATH_SHIFT;
    double k2 = k - k1;
    double e = (y * vmath_pow2(k1)) * vmath_pow2(k2);
    return x == x ? e : x + x; /* NaN, quieted */
}

/* a * b as p + err exactly (Dekker's product, by Veltkamp's split: no
 * fused multiply-add), for |a|, |b| well inside the double range. */
static inline double vmath_two_product(double a, double b, double *err)
{
    double p = a * b;
    double ca = 134217729.0 * a, cb = 134217729.0 * b; /* 2^27 + 1 */
    double ahi = ca - (ca - a), alo = a - ahi;
    double bhi = cb - (cb - b), blo = b - bhi;
    *err = ((ahi * bhi - p) + ahi * blo + alo * bhi) + alo * blo;
    return p;
}

/*
 * tanh(x) = (E - 1) / (E + 1), E = e^(2|x|) = 2^k (1 + hi + c): the
 * numerator and the denominator as double-doubles, so that neither the
 * cancellation in E - 1 for small x nor the rounding of either matters,
 * then their quotient with one correction step: q + (N - q D) / D.
 * Always inlined: clang otherwise calls it from tanh_block's loop, which
 * then cannot be vectorized (and clang warns that it was asked to).
 */
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
static inline double vmath_tanh(double x)
{
    double a = fabs(x);
    /* tanh is 1 to the last bit from 19.06 on; a is clamped so that the
     * arithmetic below stays finite for the rows that take 1. */
    double ac = a < 20.0 ? a : 20.0;
    double hi, lo;
    double k = vmath_exp_reduce(2.0 * ac, &hi, &lo);
    double r = hi - lo;
    /* c = e^r - 1 - hi = r^2/2 + r^3 q3 - lo, its leading hi^2/2 kept
     * exact as ch + its error: where k turns from 0 to 1 (x near 0.173),
     * N = 1 + 2 hi + 2 c cancels to 0.45, and c rounded as one double
     * cost tanh 0.95 ulp. (r^2 = hi^2 - 2 hi lo + lo^2, lo^2 < 2^-75.) */
    double sq_err;
    double ch = 0.5 * vmath_two_product(hi, hi, &sq_err);
    double cl = ((0.5 * sq_err - hi * lo) + (r * r) * r * vmath_exp_poly3(r)) -
                lo;
    double t = vmath_pow2(k);
    /* N = t + t hi + t ch + t cl - 1 and D the same + 1 (the t products
     * are exact scalings), each as nh + nl with the roundings of its sums
     * kept in nl. */
    double e1, e2, e3, e4;
    double s1 = vmath_two_sum(t, t * hi, &e1);
    double s2 = vmath_two_sum(s1, t * ch, &e2);
    double nh = vmath_two_sum(s2, -1.0, &e3);
    double dh = vmath_two_sum(s2, 1.0, &e4);
    double rest = (e1 + e2) + t * cl;
    double nl = rest + e3;
    double dl = rest + e4;
    /* normalised: nh the nearest double to N, nl what is left */
    nh = vmath_two_sum(nh, nl, &nl);
    dh = vmath_two_sum(dh, dl, &dl);
    double q = nh / dh;
    double pl;
    double ph = vmath_two_product(q, dh, &pl);
    double res = (((nh - ph) - pl) + nl) - q * dl;
    double y = q + res / dh;
    y = a < 0x1p-28 ? a : a > 19.1 ? 1.0 : y;
    /* the sign of x (for -0 too); NaN as it came, quieted */
    y = vmath_double(vmath_bits(y) | (vmath_bits(x) & 0x8000000000000000ULL));
    return x == x ? y : x + x;
}

/* The natural log of x (as glibc's log: -inf at 0, inf at inf, NaN below
 * 0). */
static inline double vmath_log(double x)
{
    /* Subnormals are first scaled into the normal range. */
    int subnormal = x < 0x1p-1022;
    double a = subnormal ? x * 0x1p54 : x;
    uint64_t bits = vmath_bits(a);
    /* a = 2^e m, m in [1, 2), then m in [sqrt(2)/2, sqrt(2)) */
    double m = vmath_double((bits & 0x000fffffffffffffULL) |
                            0x3ff0000000000000ULL);
    double e = vmath_double((bits >> 52) | 0x4330000000000000ULL) -
               (0x1p52 + 1023);
    int halve = m >= 0x1.6a09e667f3bcdp+0;
    m = halve ? m * 0.5 : m;
    e = e + (halve ? 1.0 : 0.0) - (subnormal ? 54.0 : 0.0);
    /* log(1 + f) = 2 atanh(s), s = f / (2 + f): 2s + s R(s^2), and 2s =
     * f - f^2/2 + s f^2/2, so log(1 + f) = f - f^2/2 + s (f^2/2 + R).
     * f is exact, and so is e LN2_HI + f as sum + err: only the last
     * addition, of the small terms to sum, rounds at the result's scale. */
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double z = s * s;
    double p = 2.0 / 23;
    p = 2.0 / 21 + z * p;
    p = 2.0 / 19 + z * p;
    p = 2.0 / 17 + z * p;
    p = 2.0 / 15 + z * p;
    p = 2.0 / 13 + z * p;
    p = 2.0 / 11 + z * p;
    p = 2.0 / 9 + z * p;
    p = 2.0 / 7 + z * p;
    p = 2.0 / 5 + z * p;
    p = 2.0 / 3 + z * p;
    double big_r = z * p;
    double hfsq = 0.5 * f * f;
    double err;
    double sum = vmath_two_sum(e * VMATH_LN2_HI, f, &err);
    double l = sum + (err + ((s * (hfsq + big_r) + e * VMATH_LN2_LO) - hfsq));
    return x > 0.0 && x <= 0x1.fffffffffffffp+1023 ? l
           : x == 0.0                              ? -INFINITY
           : x < 0.0                               ? NAN
                                                   : x + x; /* inf, NaN */
}

/* Whether vmath's own reduction serves x (|x| < VMATH_TRIG_NEAR): not for
 * inf or NaN either. */
static inline int vmath_trig_near(double x)
{
    return fabs(x) < VMATH_TRIG_NEAR;
}

/* sin (want_cos 0) or cos (1) of x, for vmath_trig_near(x) only. */
static inline double vmath_trig_reduced(double x, int want_cos)
{
    /* x = k pi/2 + (hi + lo), |hi| <= pi/4 (a little more when k rounds
     * up), hi + lo to about 2^-130 of x. */
    double kshift = x * VMATH_2_OVER_PI + VMATH_SHIFT;
    uint64_t quadrant = vmath_bits(kshift) + (uint64_t)want_cos;
    double k = kshift - VMATH_SHIFT;
    double r1 = x - k * VMATH_PIO2_1; /* exact */
    /* r1 - k PIO2_2 - k PIO2_3 as r2 + r3 + e3, exactly (the products are
     * exact), so that nothing rounds at the scale of a remainder that
     * cancels down to 2^-60 of x: before, the last subtraction rounded at
     * about 2^-104, which cost cos 0.94 ulp near 2^18 pi/2. */
    double e2, e3;
    double r2 = vmath_two_sum(r1, -(k * VMATH_PIO2_2), &e2);
    double r3 = vmath_two_sum(e2, -(k * VMATH_PIO2_3), &e3);
    double lo;
    double hi = vmath_two_sum(r2, r3, &lo);
    lo += e3 - k * VMATH_PIO2_3T;
    double z = hi * hi;

    /* sin(hi + lo) = hi + hi^3 S(z) + lo (1 - z/2), S = -1/3! + z/5! -
     * ... + z^7/17!: the terms that matter, small ones summed first */
    double v = z * hi;
    double sr = 1.0 / 355687428096000; /* 1/17! */
    sr = -1.0 / 1307674368000 + z * sr;
    sr = 1.0 / 6227020800 + z * sr;
    sr = -1.0 / 39916800 + z * sr;
    sr = 1.0 / 362880 + z * sr;
    sr = -1.0 / 5040 + z * sr;
    sr = 1.0 / 120 + z * sr; /* from z/5! on */
    double sin_r = hi - ((z * (0.5 * lo - v * sr) - lo) - v * (-1.0 / 6));

    /* cos(hi + lo) = 1 - z/2 + z^2 C(z) - hi lo, C = 1/4! - z/6! + ... -
     * z^7/18!; 1 - z/2's rounding error is put back. */
    double cr = -1.0 / 6402373705728000; /* -1/18! */
    cr = 1.0 / 20922789888000 + z * cr;
    cr = -1.0 / 87178291200 + z * cr;
    cr = 1.0 / 479001600 + z * cr;
    cr = -1.0 / 3628800 + z * cr;
    cr = 1.0 / 40320 + z * cr;
    cr = -1.0 / 720 + z * cr;
    cr = 1.0 / 24 + z * cr;
    double hz = 0.5 * z;
    double w = 1.0 - hz;
    double cos_r = w + (((1.0 - w) - hz) + (z * (z * cr) - hi * lo));

    /* sin x by quadrant: sin r, cos r, -sin r, -cos r; cos x is one
     * quadrant on (quadrant + 1 above). */
    double t = (quadrant & 1) ? cos_r : sin_r;
    t = vmath_double(vmath_bits(t) ^ ((quadrant & 2) << 62));
    /* sin of a tiny x is x itself (-0 included); cos of one is 1, which
     * the polynomial gives. */
    return !want_cos && fabs(x) < 0x1p-27 ? x : t;
}

/* sin and cos of any x: vmath's own near 0, glibc's beyond. */
double vmath_sin(double x);
double vmath_cos(double x);

#endif
