/* rng: PCG32 (O'Neill 2014, XSH-RR 64/32) and SplitMix64 stream derivation. */
#include "rng.h"

#include <math.h>

#include "vmath.h"

void rng_seed(struct rng *r, uint64_t initstate, uint64_t initseq)
{
    r->state = 0;
    r->inc = (initseq << 1) | 1u;
    (void)rng_u32(r);
    r->state += initstate;
    (void)rng_u32(r);
}

uint64_t rng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void rng_derive(struct rng *r, uint64_t seed, enum rng_purpose purpose,
                uint64_t generation, uint64_t index)
{
    /* Each key is folded in after a full mix of the ones before it, so
     * (seed, gen, index) and (seed, gen, index + 1) share no structure. */
    uint64_t x = seed;
    x = rng_splitmix64(&x) ^ (uint64_t)purpose;
    x = rng_splitmix64(&x) ^ generation;
    x = rng_splitmix64(&x) ^ index;
    uint64_t initstate = rng_splitmix64(&x);
    uint64_t initseq = rng_splitmix64(&x);
    rng_seed(r, initstate, initseq);
}

uint32_t rng_below(struct rng *r, uint32_t bound)
{
    /* Reject the low 2^32 mod bound values so every residue is equally
     * likely (the reference pcg32_boundedrand_r method). That threshold is
     * below bound, so a draw of bound or more passes without it: the
     * division that makes it is only needed for the rare small draw. */
    for (;;) {
        uint32_t x = rng_u32(r);
        if (x >= bound || x >= (uint32_t)(-bound) % bound)
            return x % bound;
    }
}

void rng_bound_init(struct rng_bound *b, uint32_t bound)
{
    b->bound = bound;
    b->threshold = (uint32_t)(-bound) % bound;
    b->reciprocal = UINT64_MAX / bound + 1; /* wraps to 0 for bound 1 */
}

double rng_double(struct rng *r)
{
    uint64_t hi = rng_u32(r) >> 5; /* 27 bits */
    uint64_t lo = rng_u32(r) >> 6; /* 26 bits */
    return (double)(hi << 26 | lo) * (1.0 / 9007199254740992.0);
}

double rng_uniform(struct rng *r, double lo, double hi)
{
    double x = lo + (hi - lo) * rng_double(r);
    /* With d just below 1, rounding can carry the sum up to hi when the span
     * is small beside |lo| (2 + 0.5 * (1 - 2^-53) rounds to 2.5); keep the
     * promised half-open range. */
    if (lo < hi && x >= hi)
        x = nextafter(hi, lo);
    return x;
}

double rng_normal(struct rng *r)
{
    for (;;) {
        double u = 2.0 * rng_double(r) - 1.0;
        double v = 2.0 * rng_double(r) - 1.0;
        double s = u * u + v * v;
        if (s > 0.0 && s < 1.0)
            return u * sqrt(-2.0 * vmath_log(s) / s);
    }
}

int rng_chance(struct rng *r, double p)
{
    return rng_double(r) < p;
}

void rng_sample(struct rng *r, uint32_t n, uint32_t k, uint32_t *out)
{
    uint32_t m = 0;
    for (uint32_t t = 0; t < n && m < k; t++)
        /* Index t is taken with chance (k - m) / (n - t): what is still
         * wanted of what is still to look at. */
        if (n - t == k - m || rng_below(r, n - t) < k - m)
            out[m++] = t;
}
