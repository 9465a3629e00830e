/* lexicase: lexicase and epsilon-lexicase parent selection on the case
 * errors of an evaluated population. */
#include "lexicase.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats.h"

/* Grows *p to hold n elements of size bytes each (never shrinks). Returns
 * 0 or -1. */
static int grow(void *p, size_t *cap, size_t n, size_t size)
{
    if (n <= *cap)
        return 0;
    void *more = realloc(*(void **)p, n * size);
    if (!more)
        return -1;
    *(void **)p = more;
    *cap = n;
    return 0;
}

/* A float as an unsigned integer in the same order (the sign bit flipped
 * for positives, every bit for negatives), and back. */
static uint64_t float_key(float f)
{
    uint32_t b;
    memcpy(&b, &f, sizeof b);
    return b >> 31 ? ~b : b | 0x80000000u;
}

static float key_float(uint64_t k)
{
    uint32_t b = (uint32_t)k;
    b = b >> 31 ? b & 0x7fffffffu : ~b;
    float f;
    memcpy(&f, &b, sizeof f);
    return f;
}

/* The weighted median of the n keys (counted kw[i] times, total in all;
 * lo and hi their least and largest), as a float; keys and kw are
 * reordered. */
static double median_of_keys(uint64_t *keys, uint32_t *kw, size_t n,
                             uint64_t total, uint64_t lo, uint64_t hi)
{
    uint64_t lower, upper;
    stats_order_pair(keys, kw, n, total / 2, lo, hi, &lower, &upper);
    if (total % 2)
        return key_float(upper);
    return 0.5 * ((double)key_float(lower) + (double)key_float(upper));
}

double lexicase_median(const float *v, const uint32_t *w, size_t n,
                       uint64_t *keys, uint32_t *kw)
{
    uint64_t total = 0, lo = UINT64_MAX, hi = 0;
    for (size_t i = 0; i < n; i++) {
        uint64_t key = float_key(v[i]);
        keys[i] = key;
        lo = key < lo ? key : lo;
        hi = key > hi ? key : hi;
        kw[i] = w ? w[i] : 1;
        total += kw[i];
    }
    return median_of_keys(keys, kw, n, total, lo, hi);
}

/* Case j's epsilon: the median absolute deviation of the finite errors on
 * it, each vector counted as often as individuals have it (0 when there
 * are none); and into *best the least error on it. gw holds each vector's
 * count; vals and w are scratch of ng. Each pass over the row fills the
 * keys of a median as it goes (lexicase_median's work, without its
 * copies). */
static float mad(struct lexicase *lx, uint32_t j, const uint32_t *gw,
                 float *vals, uint32_t *w, float *best)
{
    const float *row = lx->by_case + (size_t)j * lx->ng;
    uint64_t *keys = lx->keys;
    uint32_t *kw = lx->weight;
    uint64_t total = 0, lo = UINT64_MAX, hi = 0;
    size_t m = 0;
    float least = INFINITY;
    for (size_t g = 0; g < lx->ng; g++) {
        float e = row[g];
        uint32_t n = gw[g];
        least = e < least ? e : least;
        uint64_t key = float_key(e);
        int in = isfinite(e) != 0;
        vals[m] = e;
        w[m] = kw[m] = n;
        keys[m] = key;
        lo = in && key < lo ? key : lo;
        hi = in && key > hi ? key : hi;
        total += in ? n : 0;
        m += (size_t)in;
    }
    *best = least;
    if (m == 0)
        return 0.0f;
    double med = median_of_keys(keys, kw, m, total, lo, hi);
    lo = UINT64_MAX;
    hi = 0;
    for (size_t i = 0; i < m; i++) {
        uint64_t key = float_key((float)fabs((double)vals[i] - med));
        keys[i] = key;
        kw[i] = w[i];
        lo = key < lo ? key : lo;
        hi = key > hi ? key : hi;
    }
    return (float)median_of_keys(keys, kw, m, total, lo, hi);
}

/* An individual's errors, for grouping: NULL when it failed. */
struct entry {
    const float *e;
    uint32_t index;
    uint32_t ncases;
};

/* Once grouped, the entries' room holds a case's values, their weights and
 * each vector's count (lexicase_prepare). */
_Static_assert(sizeof(struct entry) >= 3 * sizeof(uint32_t),
               "an entry holds three 32-bit values");

/* Orders entries by their errors' bytes (failed ones last), then by
 * index: a total order, so any sort gives the same groups. */
static int by_errors(const void *pa, const void *pb)
{
    const struct entry *a = pa, *b = pb;
    int c = 0;
    if (a->e && b->e)
        c = memcmp(a->e, b->e, a->ncases * sizeof(float));
    else if (a->e || b->e)
        c = a->e ? -1 : 1;
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int same_errors(const struct entry *a, const struct entry *b)
{
    if (!a->e || !b->e)
        return a->e == b->e;
    return memcmp(a->e, b->e, a->ncases * sizeof(float)) == 0;
}

/* Cases transposed a tile at a time: each vector's errors are read in runs
 * of TILE, and each case's row written TILE vectors at a time. */
#define TILE 32

int lexicase_prepare(struct lexicase *lx, const struct population *p,
                     int epsilon)
{
    size_t n = p->n;
    uint32_t nc = p->ncases;
    size_t room = n ? n : 1;
    if (room > lx->cap_n) {
        uint32_t *first = realloc(lx->first, (room + 1) * sizeof *first);
        if (first)
            lx->first = first;
        uint32_t *members = realloc(lx->members, room * sizeof *members);
        if (members)
            lx->members = members;
        const float **vec = realloc(lx->vec, room * sizeof *vec);
        if (vec)
            lx->vec = vec;
        uint32_t *pool = realloc(lx->pool, room * sizeof *pool);
        if (pool)
            lx->pool = pool;
        uint64_t *keys = realloc(lx->keys, room * sizeof *keys);
        if (keys)
            lx->keys = keys;
        uint32_t *weight = realloc(lx->weight, room * sizeof *weight);
        if (weight)
            lx->weight = weight;
        void *sorted = realloc(lx->sorted, room * sizeof(struct entry));
        if (sorted)
            lx->sorted = sorted;
        if (!first || !members || !vec || !pool || !keys || !weight || !sorted)
            return -1;
        lx->cap_n = room;
    }
    if (!lx->settled) {
        lx->settled = malloc((size_t)LEXICASE_SETTLED * (LEXICASE_FEW + 1) *
                             sizeof *lx->settled);
        if (!lx->settled)
            return -1;
    }
    /* A pool settled in one generation need not be in the next. */
    for (size_t k = 0; k < LEXICASE_SETTLED; k++)
        lx->settled[k * (LEXICASE_FEW + 1)] = 0;
    if (nc > lx->cap_cases) {
        float *eps = realloc(lx->eps, nc * sizeof *eps);
        if (!eps)
            return -1;
        lx->eps = eps;
        uint32_t *at = realloc(lx->opening_at, (nc + 1) * sizeof *at);
        if (!at)
            return -1;
        lx->opening_at = at;
        uint32_t *order = realloc(lx->order, nc * sizeof *order);
        if (!order)
            return -1;
        lx->order = order;
        float *worst = realloc(lx->worst, nc * sizeof *worst);
        if (!worst)
            return -1;
        lx->worst = worst;
        for (uint32_t j = 0; j < nc; j++)
            worst[j] = INFINITY;
        lx->cap_cases = nc;
    }
    /* The distinct vectors: sorted, then runs of the same. */
    struct entry *sorted = lx->sorted;
    for (size_t i = 0; i < n; i++)
        sorted[i] = (struct entry){p->ind[i].nerrors ? p->ind[i].errors : NULL,
                                   (uint32_t)i, nc};
    qsort(sorted, n, sizeof *sorted, by_errors);
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || !same_errors(&sorted[i - 1], &sorted[i]))
            lx->first[ng++] = (uint32_t)i;
        lx->members[i] = sorted[i].index;
    }
    lx->first[ng] = (uint32_t)n;
    /* A failed individual has no errors: it loses every case to any that
     * has. */
    for (size_t g = 0; g < ng; g++) {
        const float *e = sorted[lx->first[g]].e;
        lx->vec[g] = e ? e : lx->worst;
    }
    if (grow(&lx->by_case, &lx->cap_cells, ng * nc > 0 ? ng * nc : 1,
             sizeof *lx->by_case) < 0)
        return -1;
    lx->n = n;
    lx->ng = ng;
    lx->ncases = nc;
    for (size_t g0 = 0; g0 < ng; g0 += TILE)
        for (uint32_t j0 = 0; j0 < nc; j0 += TILE) {
            size_t g1 = g0 + TILE < ng ? g0 + TILE : ng;
            uint32_t j1 = j0 + TILE < nc ? j0 + TILE : nc;
            for (size_t g = g0; g < g1; g++) {
                const float *e = lx->vec[g];
                for (uint32_t j = j0; j < j1; j++)
                    lx->by_case[(size_t)j * ng + g] = e[j];
            }
        }
    /* Every generation starts from the same order, so that a resumed run
     * draws what an uninterrupted one does. The scratch of the grouping
     * is free again: it holds a case's values for its median. */
    float *vals = lx->sorted;
    uint32_t *w = (uint32_t *)((char *)lx->sorted + room * sizeof(float));
    uint32_t *gw = w + room; /* each vector's individuals */
    for (size_t g = 0; g < ng; g++)
        gw[g] = lx->first[g + 1] - lx->first[g];
    size_t used = 0;
    for (uint32_t j = 0; j < nc; j++) {
        lx->order[j] = j;
        const float *row = lx->by_case + (size_t)j * ng;
        float best = INFINITY;
        if (epsilon) {
            lx->eps[j] = mad(lx, j, gw, vals, w, &best);
        } else {
            lx->eps[j] = 0.0f;
            for (size_t g = 0; g < ng; g++)
                best = row[g] < best ? row[g] : best;
        }
        /* The opening pool, made once here rather than by every selection
         * that draws the case first. */
        if (used + ng > lx->cap_opening &&
            grow(&lx->opening, &lx->cap_opening,
                 used + ng > 2 * lx->cap_opening ? used + ng
                                                 : 2 * lx->cap_opening,
                 sizeof *lx->opening) < 0)
            return -1;
        float limit = best + lx->eps[j];
        lx->opening_at[j] = (uint32_t)used;
        for (size_t g = 0; g < ng; g++) {
            lx->opening[used] = (uint32_t)g;
            used += row[g] <= limit;
        }
    }
    lx->opening_at[nc] = (uint32_t)used;
    return 0;
}

/* One of the individuals of the m vectors in pool, each as likely. */
static size_t pick(const struct lexicase *lx, const uint32_t *pool, size_t m,
                   struct rng *r)
{
    uint32_t total = 0;
    for (size_t c = 0; c < m; c++)
        total += lx->first[pool[c] + 1] - lx->first[pool[c]];
    uint32_t u = total > 1 ? rng_below(r, total) : 0;
    for (size_t c = 0;; c++) {
        uint32_t g = pool[c], size = lx->first[g + 1] - lx->first[g];
        if (u < size)
            return lx->members[lx->first[g] + u];
        u -= size;
    }
}

/* The pool size from which a selection asks whether any case is left that
 * could still filter it. */
#define FEW LEXICASE_FEW

/*
 * Whether no case after the t-th of the current order could filter the
 * m vectors in pool: on each, their errors all lie within the case's
 * epsilon of their best. Then none ever will (the pool can only shrink,
 * and it would not), so where the rest of the order falls makes no
 * difference, and the selection need not draw it. Near-identical programs
 * (constants a hair apart) would otherwise be taken through every case.
 * The cases go in the selection's random order, which finds one that
 * filters sooner than the data's order would (neighbouring rows err
 * alike); the errors are read from each vector's own run of floats (m
 * runs that stay in cache) rather than from a row per case.
 */
static int settled_now(const struct lexicase *lx, const uint32_t *pool,
                       size_t m, uint32_t t)
{
    const float *v[FEW];
    for (size_t c = 0; c < m; c++)
        v[c] = lx->vec[pool[c]];
    for (uint32_t k = t + 1; k < lx->ncases; k++) {
        uint32_t j = lx->order[k];
        float lo = v[0][j], hi = lo;
        for (size_t c = 1; c < m; c++) {
            float e = v[c][j];
            lo = e < lo ? e : lo;
            hi = e > hi ? e : hi;
        }
        if (hi > lo + lx->eps[j])
            return 0;
    }
    return 1;
}

/*
 * settled_now, remembered for the generation. Whether a pool is settled
 * depends on its vectors alone: no case drawn before could filter it (it
 * came through them), so none at all can when none left can. A
 * generation's selections come to the same few settled pools again and
 * again (near-identical programs), and each would otherwise go through
 * every case left. Pools found settled are kept by their vectors,
 * ascending, in a table of LEXICASE_SETTLED slots (when it is full, the
 * rest are found afresh each time).
 */
static int settled(struct lexicase *lx, const uint32_t *pool, size_t m,
                   uint32_t t)
{
    if (lx->settled_afresh)
        return settled_now(lx, pool, m, t);
    uint32_t key[FEW + 1];
    key[0] = (uint32_t)m;
    for (size_t i = 0; i < m; i++) { /* insertion sort */
        size_t j = i + 1;
        for (; j > 1 && key[j - 1] > pool[i]; j--)
            key[j] = key[j - 1];
        key[j] = pool[i];
    }
    uint64_t h = 0x9e3779b97f4a7c15u;
    for (size_t i = 0; i <= m; i++)
        h = (h ^ key[i]) * 0xff51afd7ed558ccdu;
    size_t width = FEW + 1, slot = (size_t)(h >> 32) % LEXICASE_SETTLED;
    for (size_t probe = 0; probe < LEXICASE_SETTLED; probe++) {
        uint32_t *e = lx->settled + ((slot + probe) % LEXICASE_SETTLED) * width;
        if (e[0] == 0) { /* not known: find out, and keep a yes */
            if (!settled_now(lx, pool, m, t))
                return 0;
            memcpy(e, key, (m + 1) * sizeof *key);
            return 1;
        }
        if (memcmp(e, key, (m + 1) * sizeof *key) == 0)
            return 1;
    }
    return settled_now(lx, pool, m, t);
}

size_t lexicase_select(struct lexicase *lx, struct rng *r)
{
    size_t ng = lx->ng, m = 0;
    uint32_t nc = lx->ncases;
    uint32_t *pool = lx->pool;
    if (ng == 0)
        return 0;
    for (uint32_t t = 0; t < nc && m != 1; t++) {
        /* The next case of a random order: a Fisher-Yates step, taken
         * only as far as the selection goes. */
        uint32_t k = t + rng_below(r, nc - t);
        uint32_t j = lx->order[k];
        lx->order[k] = lx->order[t];
        lx->order[t] = j;
        const float *row = lx->by_case + (size_t)j * ng;
        float best = INFINITY;
        if (t == 0) { /* every vector: the case's opening pool */
            m = lx->opening_at[j + 1] - lx->opening_at[j];
            memcpy(pool, lx->opening + lx->opening_at[j], m * sizeof *pool);
            continue;
        }
        for (size_t c = 0; c < m; c++)
            best = row[pool[c]] < best ? row[pool[c]] : best;
        float limit = best + lx->eps[j];
        size_t kept = 0;
        for (size_t c = 0; c < m; c++) {
            uint32_t g = pool[c];
            pool[kept] = g;
            kept += row[g] <= limit;
        }
        if (kept != m && kept <= FEW && kept > 1 && settled(lx, pool, kept, t))
            return pick(lx, pool, kept, r);
        m = kept;
    }
    if (m == 0) { /* no cases: every vector is in */
        for (size_t g = 0; g < ng; g++)
            pool[g] = (uint32_t)g;
        m = ng;
    }
    return pick(lx, pool, m, r);
}

void lexicase_release(struct lexicase *lx)
{
    free(lx->by_case);
    free(lx->eps);
    free(lx->opening);
    free(lx->opening_at);
    free(lx->first);
    free(lx->members);
    free(lx->vec);
    free(lx->worst);
    free(lx->settled);
    free(lx->pool);
    free(lx->order);
    free(lx->keys);
    free(lx->weight);
    free(lx->sorted);
    memset(lx, 0, sizeof *lx);
}
