/* rng: PCG32 random streams (XSH-RR, 64-bit state) and their derivation. */
#ifndef FORKGP_RNG_H
#define FORKGP_RNG_H

#include <stdint.h>

/*
 * One PCG32 stream: 64-bit LCG state and an odd increment that selects the
 * stream. Plain data, so it is copied, checkpointed and sent as bytes.
 */
struct rng {
    uint64_t state;
    uint64_t inc; /* always odd */
};

/* What a derived stream is for; part of the derivation key (never reorder). */
enum rng_purpose {
    RNG_MAIN = 1, /* the parent's stream: init, selection, variation */
    RNG_EVAL = 2, /* one individual's evaluation in one generation */
    RNG_CASES = 3, /* the cases a generation's lexicase selection uses */
};

/*
 * Seeds like pcg-cpp's pcg32(initstate, initseq) and the reference C
 * pcg32_srandom_r: increment = initseq << 1 | 1, then state is advanced.
 */
void rng_seed(struct rng *r, uint64_t initstate, uint64_t initseq);

/*
 * Derives the stream for (seed, purpose, generation, index) by chaining
 * SplitMix64 over the four keys into initstate and initseq. Streams of
 * neighbouring indices or seeds are unrelated; never seed + index.
 */
void rng_derive(struct rng *r, uint64_t seed, enum rng_purpose purpose,
                uint64_t generation, uint64_t index);

/* One SplitMix64 step: advances *x and returns the mixed output. */
uint64_t rng_splitmix64(uint64_t *x);

/* Next 32 random bits (PCG32 XSH-RR of the previous state). Inline: the
 * breeding loop draws about twenty per offspring. */
static inline uint32_t rng_u32(struct rng *r)
{
    uint64_t old = r->state;
    r->state = old * 6364136223846793005ULL + r->inc;
    uint32_t xorshifted = (uint32_t)(((old >> 18) ^ old) >> 27);
    uint32_t rot = (uint32_t)(old >> 59);
    return (xorshifted >> rot) | (xorshifted << ((-rot) & 31u));
}

/* Uniform integer in [0, bound) without modulo bias; bound > 0. */
uint32_t rng_below(struct rng *r, uint32_t bound);

/* Writes into out[0..k) k distinct indices of [0, n), k <= n, uniformly
 * chosen, in increasing order (Knuth's selection sampling: one draw per
 * index looked at, no scratch). */
void rng_sample(struct rng *r, uint32_t n, uint32_t k, uint32_t *out);

/*
 * A bound fixed for many draws (a tournament's population size): its
 * rejection threshold and a reciprocal made once, so that each draw needs
 * no division. rng_below_fixed gives exactly rng_below's draws.
 */
struct rng_bound {
    uint32_t bound;
    uint32_t threshold;
    uint64_t reciprocal; /* 2^64 / bound, rounded up (0 for bound 1) */
};
void rng_bound_init(struct rng_bound *b, uint32_t bound);

static inline uint32_t rng_below_fixed(struct rng *r, const struct rng_bound *b)
{
    for (;;) {
        uint32_t x = rng_u32(r);
        if (x >= b->threshold) {
            /* x mod bound by Lemire, Kaser and Kurz's direct computation
             * ("Faster remainder by direct computation", 2019), exact for
             * every 32-bit x and bound: the high 64 bits of
             * (reciprocal * x mod 2^64) * bound. One 64 x 64 product
             * where the compiler has a 128-bit type (an extension of
             * GCC's and clang's, not ISO C), else two 32 x 32 ones (whose
             * sum cannot overflow): the same value. */
            uint64_t low = b->reciprocal * x;
#if defined(__SIZEOF_INT128__)
            __extension__ typedef unsigned __int128 wide;
            return (uint32_t)(((wide)low * b->bound) >> 64);
#else
            uint64_t hi = (low >> 32) * b->bound;
            uint64_t lo = (low & 0xffffffffu) * b->bound;
            return (uint32_t)((hi + (lo >> 32)) >> 32);
#endif
        }
    }
}

/* Uniform double in [0, 1) with 53 random bits. */
double rng_double(struct rng *r);

/* Uniform double in [lo, hi). */
double rng_uniform(struct rng *r, double lo, double hi);

/* Standard normal deviate (Marsaglia's polar method; no cached spare), the
 * same bits on every machine (vmath's log, not the C library's). */
double rng_normal(struct rng *r);

/* True with probability p. */
int rng_chance(struct rng *r, double p);

#endif
