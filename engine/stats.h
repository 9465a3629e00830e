/* stats: the numbers that summarise a batch of runs, and order statistics
 * for a generation's median and lexicase's epsilons. */
#ifndef FORKGP_STATS_H
#define FORKGP_STATS_H

#include <stddef.h>
#include <stdint.h>

/* A closed interval [lo, hi]. */
struct stats_interval {
    double lo, hi;
};

/* z for a two-sided 95% interval: the 0.975 quantile of the normal law. */
#define STATS_Z95 1.959963984540054

/*
 * Wilson score interval for k successes in n trials at z (STATS_Z95 for
 * 95%). The result lies in [0, 1], with lo exactly 0 when k = 0 and hi
 * exactly 1 when k = n. n = 0 or an infinite z gives [0, 1]; k > n or a z
 * that is negative or NaN gives [NaN, NaN].
 */
struct stats_interval stats_wilson(unsigned long k, unsigned long n, double z);

/*
 * Median and quartiles of the n values at v (borrowed, not modified; NaNs
 * ignored), by type 7 of Hyndman and Fan, the default of R and numpy:
 * linear interpolation between order statistics at h = (m - 1) p of the m
 * non-NaN values. Returns m; when m = 0 all three outputs are NaN. Never
 * fails: without memory for a sorted copy it selects in place of sorting.
 */
size_t stats_quartiles(const double *v, size_t n, double *q1, double *median,
                       double *q3);

/*
 * Koza's computational effort. success_gen[r] is the generation at which
 * run r first succeeded, or -1 (any value outside 0..generations counts as
 * no success). Each run has `population` individuals and generations
 * 0..generations. With P(i) the fraction of the nruns runs successful by
 * generation i, R(i) = ceil(log(1 - z) / log(1 - P(i))) (1 when P(i) = 1,
 * infinite when P(i) = 0) and I(i) = population * (i + 1) * R(i). Returns
 * min over i of I(i), INFINITY when no run succeeded, and stores the first
 * generation reaching it in *at (if at is not NULL), -1 when none. z outside
 * (0, 1), population 0 or generations < 0 give NaN and -1. O(nruns^2) time,
 * no allocation.
 */
double stats_koza_effort(const long *success_gen, size_t nruns,
                         unsigned long population, long generations, double z,
                         long *at);

/*
 * The keys at ranks k - 1 (k itself when k = 0) and k of key[0..n) in
 * ascending order, each key counted w[i] > 0 times (w NULL: once), into
 * *lower and *upper; lo and hi are the least and the largest key (the
 * caller has them from filling key). n > 0 and k below the total count.
 * key and w are reordered. By buckets over the keys' range rather than
 * by comparisons (a branch per comparison that no predictor gets right
 * half the time): the keys counted into at most 1024 buckets, only the
 * bucket(s) of the two ranks kept, until few keys are left (then sorted)
 * or all are equal. Keys that are doubles or floats in the same order
 * (sign bit flipped for positives, every bit for negatives) make this a
 * median of numbers.
 */
void stats_order_pair(uint64_t *key, uint32_t *w, size_t n, uint64_t k,
                      uint64_t lo, uint64_t hi, uint64_t *lower,
                      uint64_t *upper);

#endif
