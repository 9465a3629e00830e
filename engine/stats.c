/* stats: the numbers that summarise a batch of runs, and order statistics
 * for a generation's median and lexicase's epsilons. */
#include "stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/*
 * Up to this many values, stats_quartiles selects order statistics in
 * O(n^2) without allocating (a batch of runs is usually this small);
 * above it, it sorts a copy.
 */
#define STATS_SELECT_MAX 64

/*
 * R(z) = log(1 - z) / log(1 - P) is often an integer in exact arithmetic
 * (z = 0.9999, P = 0.9 gives 4) that rounding lifts just above it
 * (4.000000000000048), and ceil would then count one independent run too
 * many. Shrinking the ratio by this relative amount first absorbs such
 * rounding (about 1e-14 relative); the price is that a ratio truly within
 * 1e-9 above an integer rounds down, an error far below any sampling error
 * in P.
 */
#define STATS_CEIL_REL_EPS 1e-9

struct stats_interval stats_wilson(unsigned long k, unsigned long n, double z)
{
    struct stats_interval iv = {NAN, NAN};

    if (isnan(z) || z < 0.0 || k > n)
        return iv;
    if (n == 0 || isinf(z)) {
        iv.lo = 0.0;
        iv.hi = 1.0;
        return iv;
    }
    double kd = (double)k, nd = (double)n;
    double s = sqrt(z * z + 4.0 * kd * ((double)(n - k) / nd));
    /*
     * The usual lo = (2k + z^2 - z s) / (2 (n + z^2)) cancels badly for
     * small k; with its numerator rationalised it is 2k^2 / (n (2k + z^2 +
     * z s)), all terms positive, and exactly 0 at k = 0. hi has no
     * cancellation as it stands, and is set to exactly 1 at k = n.
     */
    iv.lo = k == 0 ? 0.0 : 2.0 * kd * kd / (nd * (2.0 * kd + z * z + z * s));
    iv.hi = k == n ? 1.0 : (2.0 * kd + z * z + z * s) / (2.0 * (nd + z * z));
    /* Both lie in [0, 1] in exact arithmetic; keep rounding from saying
     * otherwise. */
    iv.lo = fmin(iv.lo, 1.0);
    iv.hi = fmin(iv.hi, 1.0);
    return iv;
}

/* The k-th smallest (0-based) non-NaN value of v, found without moving
 * anything: v[i] is it when fewer than k + 1 values are below it and at
 * least k + 1 are at or below it. O(n^2). */
static double select_rank(const double *v, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++) {
        if (isnan(v[i]))
            continue;
        size_t below = 0, equal = 0;
        for (size_t j = 0; j < n; j++) {
            if (v[j] < v[i])
                below++;
            else if (v[j] == v[i])
                equal++;
        }
        if (below <= k && k < below + equal)
            return v[i];
    }
    return NAN; /* unreachable for k below the count of non-NaN values */
}

static int cmp_double(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

/* a + (b - a) t as numpy's _lerp computes it: from the nearer end, so that
 * t = 0 and t = 1 give a and b exactly and the result is monotonic in t.
 * a == b returns a, which keeps equal infinities from giving NaN. */
static double lerp(double a, double b, double t)
{
    if (a == b)
        return a;
    double d = b - a;
    return t < 0.5 ? a + d * t : b - d * (1.0 - t);
}

/* The non-NaN values in order: a sorted copy, or the original read through
 * select_rank when there is none. */
struct ordered {
    const double *sorted; /* m values ascending, or NULL to select */
    const double *v;      /* the original n values, NaNs included */
    size_t n;
};

static double ordered_at(const struct ordered *o, size_t k)
{
    return o->sorted ? o->sorted[k] : select_rank(o->v, o->n, k);
}

/* The type 7 quantile p of the m ordered values. */
static double quantile7(const struct ordered *o, size_t m, double p)
{
    /* For p = 1/4, 1/2, 3/4, h is exact while m < 2^51. */
    double h = (double)(m - 1) * p;
    size_t j = (size_t)floor(h);
    double t = h - (double)j;
    double a = ordered_at(o, j);
    if (t == 0.0 || j + 1 >= m)
        return a;
    return lerp(a, ordered_at(o, j + 1), t);
}

size_t stats_quartiles(const double *v, size_t n, double *q1, double *median,
                       double *q3)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(v[i]))
            m++;
    if (m == 0) {
        *q1 = *median = *q3 = NAN;
        return 0;
    }

    struct ordered o = {NULL, v, n};
    double *copy = NULL;
    if (n > STATS_SELECT_MAX) {
        /* Failing to allocate only costs time: select_rank stands in. */
        copy = malloc(m * sizeof *copy);
        if (copy != NULL) {
            size_t c = 0;
            for (size_t i = 0; i < n; i++)
                if (!isnan(v[i]))
                    copy[c++] = v[i];
            qsort(copy, m, sizeof *copy, cmp_double);
            o.sorted = copy;
        }
    }
    *q1 = quantile7(&o, m, 0.25);
    *median = quantile7(&o, m, 0.5);
    *q3 = quantile7(&o, m, 0.75);
    free(copy);
    return m;
}

/* R(z) for 0 < P < 1 from the counts, with log1p for accuracy when P or
 * 1 - z is small. */
static double koza_runs(size_t successes, size_t nruns, double z)
{
    double p = (double)successes / (double)nruns;
    double ratio = log1p(-z) / log1p(-p);
    double r = ceil(ratio * (1.0 - STATS_CEIL_REL_EPS));
    /* A z so small that the ratio is below 1 still needs one run. */
    return r < 1.0 ? 1.0 : r;
}

double stats_koza_effort(const long *success_gen, size_t nruns,
                         unsigned long population, long generations, double z,
                         long *at)
{
    long best_gen = -1;
    double best = INFINITY;

    if (at != NULL)
        *at = -1;
    if (!(z > 0.0 && z < 1.0) || population == 0 || generations < 0)
        return NAN;
    /*
     * Between two generations at which some run succeeded, P and so R stay
     * the same while i + 1 grows, so the minimum is at one of those
     * generations: try each run's, counting the runs done by then. O(nruns^2)
     * without allocating; a batch is at most thousands of runs.
     */
    for (size_t r = 0; r < nruns; r++) {
        long g = success_gen[r];
        if (g < 0 || g > generations)
            continue;
        size_t done = 0;
        for (size_t q = 0; q < nruns; q++)
            if (success_gen[q] >= 0 && success_gen[q] <= g)
                done++;
        double runs = done == nruns ? 1.0 : koza_runs(done, nruns, z);
        double effort = (double)population * ((double)g + 1.0) * runs;
        if (effort < best || (effort == best && g < best_gen)) {
            best = effort;
            best_gen = g;
        }
    }
    if (at != NULL)
        *at = best_gen;
    return best;
}

#define ORDER_BUCKETS 1024
#define ORDER_SORTED 32 /* keys few enough to sort */
#define ORDER_SPREAD 2   /* keys per bucket, about */

/* The weight of key i: w[i], or 1 without weights. */
static inline uint64_t weight_of(const uint32_t *w, size_t i)
{
    return w ? w[i] : 1;
}

void stats_order_pair(uint64_t *key, uint32_t *w, size_t n, uint64_t k,
                      uint64_t lo, uint64_t hi, uint64_t *lower,
                      uint64_t *upper)
{
    uint64_t count[ORDER_BUCKETS];
    for (;;) {
        uint64_t first = k ? k - 1 : 0;
        if (lo == hi) {
            *lower = *upper = lo;
            return;
        }
        if (n <= ORDER_SORTED) {
            for (size_t i = 1; i < n; i++) /* insertion sort */
                for (size_t j = i; j > 0 && key[j - 1] > key[j]; j--) {
                    uint64_t t = key[j];
                    key[j] = key[j - 1];
                    key[j - 1] = t;
                    if (w) {
                        uint32_t tw = w[j];
                        w[j] = w[j - 1];
                        w[j - 1] = tw;
                    }
                }
            uint64_t below = 0;
            size_t i = 0;
            while (i + 1 < n && below + weight_of(w, i) <= first)
                below += weight_of(w, i++);
            *lower = key[i];
            while (i + 1 < n && below + weight_of(w, i) <= k)
                below += weight_of(w, i++);
            *upper = key[i];
            return;
        }
        /* About one bucket for every ORDER_SPREAD keys: more would cost
         * more to clear and to scan than they save. */
        size_t want = n / ORDER_SPREAD;
        want = want < ORDER_SORTED ? ORDER_SORTED
               : want > ORDER_BUCKETS ? ORDER_BUCKETS
                                      : want;
        unsigned shift = 0;
        while (((hi - lo) >> shift) >= want)
            shift++;
        size_t nb = (size_t)((hi - lo) >> shift) + 1; /* 2 or more */
        memset(count, 0, nb * sizeof *count);
        if (w)
            for (size_t i = 0; i < n; i++)
                count[(key[i] - lo) >> shift] += w[i];
        else
            for (size_t i = 0; i < n; i++)
                count[(key[i] - lo) >> shift]++;
        /* The buckets of ranks k - 1 (or k, for k = 0) and k. */
        uint64_t below = 0;
        size_t b = 0;
        while (below + count[b] <= first)
            below += count[b++];
        size_t low_b = b;
        uint64_t upto = below;
        while (upto + count[b] <= k)
            upto += count[b++];
        if (low_b != b) {
            /* Rank k opens bucket b, rank k - 1 closes low_b. */
            uint64_t least = UINT64_MAX, most = 0;
            for (size_t i = 0; i < n; i++) {
                size_t kb = (size_t)((key[i] - lo) >> shift);
                if (kb == b && key[i] < least)
                    least = key[i];
                if (kb == low_b && key[i] > most)
                    most = key[i];
            }
            *lower = most;
            *upper = least;
            return;
        }
        /* Both in one bucket, never all the keys (lo and hi are in two):
         * keep it, with its own least and largest. */
        size_t m = 0;
        uint64_t base = lo + ((uint64_t)low_b << shift);
        uint64_t span = ((uint64_t)1 << shift) - 1; /* the bucket's keys:
                                                       base .. base + span */
        if (w)
            for (size_t i = 0; i < n; i++) {
                uint64_t x = key[i];
                key[m] = x;
                w[m] = w[i];
                m += (size_t)(x - base <= span);
            }
        else
            for (size_t i = 0; i < n; i++) {
                uint64_t x = key[i];
                key[m] = x;
                m += (size_t)(x - base <= span);
            }
        uint64_t nlo = UINT64_MAX, nhi = 0;
        for (size_t i = 0; i < m; i++) {
            nlo = key[i] < nlo ? key[i] : nlo;
            nhi = key[i] > nhi ? key[i] : nhi;
        }
        n = m;
        k -= below;
        lo = nlo;
        hi = nhi;
    }
}
