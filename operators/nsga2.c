/* nsga2: NSGA-II (Deb et al. 2002) on the error, the size and a
 * fitness's further objectives: non-dominated sorting, crowding distance,
 * the survivors of parents and offspring, and the crowded tournament. */
#include "nsga2.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* An individual's objectives and index, sorted on. */
struct point {
    double error;
    uint32_t size;
    uint32_t index;
};

static int by_objectives(const void *pa, const void *pb)
{
    const struct point *a = pa, *b = pb;
    if (a->error != b->error)
        return a->error < b->error ? -1 : 1;
    if (a->size != b->size)
        return a->size < b->size ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int grow(struct nsga2 *ns, size_t n)
{
    if (n <= ns->cap)
        return 0;
    struct nsga2 m = *ns;
    m.error = realloc(ns->error, n * sizeof *m.error);
    if (m.error)
        ns->error = m.error;
    m.size = realloc(ns->size, n * sizeof *m.size);
    if (m.size)
        ns->size = m.size;
    m.rank = realloc(ns->rank, n * sizeof *m.rank);
    if (m.rank)
        ns->rank = m.rank;
    m.crowd = realloc(ns->crowd, n * sizeof *m.crowd);
    if (m.crowd)
        ns->crowd = m.crowd;
    /* Room for the points, which order holds while sorting. */
    m.order = realloc(ns->order, n * sizeof(struct point));
    if (m.order)
        ns->order = m.order;
    m.front_size = realloc(ns->front_size, (n + 1) * sizeof *m.front_size);
    if (m.front_size)
        ns->front_size = m.front_size;
    m.front_error = realloc(ns->front_error, n * sizeof *m.front_error);
    if (m.front_error)
        ns->front_error = m.front_error;
    if (!m.error || !m.size || !m.rank || !m.crowd || !m.order ||
        !m.front_size || !m.front_error)
        return -1;
    ns->cap = n;
    return 0;
}

/* Adds to crowd[] the distances along one objective of a front whose
 * members, at pts[0..k), are in increasing order of it: each interior
 * member gets the gap between its neighbours over the front's range. */
static void crowd_along(struct nsga2 *ns, const struct point *pts, size_t k,
                        int by_size)
{
    double lo = by_size ? pts[k - 1].size : pts[0].error;
    double hi = by_size ? pts[0].size : pts[k - 1].error;
    double range = fabs(hi - lo);
    if (!(range > 0) || !isfinite(range))
        return;
    for (size_t c = 1; c + 1 < k; c++) {
        double gap = by_size ? (double)pts[c - 1].size - pts[c + 1].size
                             : pts[c + 1].error - pts[c - 1].error;
        ns->crowd[pts[c].index] += gap / range;
    }
}

/* ---- more than two objectives ------------------------------------------ */

/* A point of m objectives (row: its m values) and its index, sorted on. */
struct row {
    const double *v;
    uint32_t m;
    uint32_t index;
};

/* Lexicographic on the objectives, then the index. */
static int by_row(const void *pa, const void *pb)
{
    const struct row *a = pa, *b = pb;
    for (uint32_t j = 0; j < a->m; j++)
        if (a->v[j] != b->v[j])
            return a->v[j] < b->v[j] ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

static int same_row(const struct row *a, const struct row *b)
{
    for (uint32_t j = 0; j < a->m; j++)
        if (a->v[j] != b->v[j])
            return 0;
    return 1;
}

/* Whether a, a different point lexicographically before b, dominates it:
 * it is then better in one objective, so it dominates b when it is no
 * worse in any. */
static int dominates_before(const struct row *a, const struct row *b)
{
    for (uint32_t j = 0; j < a->m; j++)
        if (a->v[j] > b->v[j])
            return 0;
    return 1;
}

/* A front's member along one objective: its value there and its place in
 * the lexicographic order, which breaks ties. */
struct along {
    double v;
    uint32_t at;
    uint32_t index;
};

static int by_along(const void *pa, const void *pb)
{
    const struct along *a = pa, *b = pb;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return a->at < b->at ? -1 : a->at > b->at;
}

/*
 * nsga2_rank on m > 2 objectives, values[i * m + j] individual i's j-th.
 * The fronts are those of the two-objective case, found as the efficient
 * non-dominated sort (Zhang et al. 2015) finds them: in lexicographic
 * order a point is dominated only by one before it, so each joins the
 * first front none of whose members dominates it (up to m n^2
 * comparisons, as Deb's fast sort, when most points share a front).
 * Copies are ranked as there. Crowding: along each objective, each front's members in
 * increasing order (ties in the lexicographic order), the ends infinitely
 * crowded, each interior member the gap between its neighbours over the
 * front's range (none when the range is 0 or not finite), added in the
 * objectives' order. Returns 0 or -1 (out of memory).
 */
static int rank_many(struct nsga2 *ns, const double *values, size_t n,
                     uint32_t m)
{
    size_t cap = n ? n : 1;
    struct row *pts = malloc(cap * sizeof *pts);
    /* Each front's members as a chain, the last first: last[f] the last
     * placed, link[k] the one placed before k (UINT32_MAX: none). */
    uint32_t *link = malloc(cap * sizeof *link);
    uint32_t *last = malloc(cap * sizeof *last);
    uint32_t *start = malloc((cap + 1) * sizeof *start);
    uint32_t *byfront = malloc(cap * sizeof *byfront);
    struct along *al = malloc(cap * sizeof *al);
    int rc = -1;
    if (!pts || !link || !last || !start || !byfront || !al)
        goto out;
    for (size_t i = 0; i < n; i++) {
        pts[i] = (struct row){values + i * m, m, (uint32_t)i};
        ns->crowd[i] = 0.0;
    }
    qsort(pts, n, sizeof *pts, by_row);
    size_t nfronts = 0;
    for (size_t k = 0; k < n; k++) {
        if (k > 0 && same_row(&pts[k], &pts[k - 1]))
            continue;
        size_t f = 0;
        for (; f < nfronts; f++) {
            uint32_t q = last[f];
            while (q != UINT32_MAX && !dominates_before(&pts[q], &pts[k]))
                q = link[q];
            if (q == UINT32_MAX)
                break; /* none of front f dominates it */
        }
        link[k] = f < nfronts ? last[f] : UINT32_MAX;
        last[f] = (uint32_t)k;
        if (f == nfronts)
            nfronts++;
        ns->rank[pts[k].index] = (uint32_t)f;
    }
    size_t distinct = nfronts;
    for (size_t k = 1, c = 0; k < n; k++) {
        c = same_row(&pts[k], &pts[k - 1]) ? c + 1 : 0;
        if (c == 0)
            continue;
        ns->rank[pts[k].index] = (uint32_t)(distinct - 1 + c);
        if (distinct + c > nfronts)
            nfronts = distinct + c;
    }
    /* The lexicographic places, front after front (count, then place). */
    memset(start, 0, (nfronts + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[ns->rank[i] + 1]++;
    for (size_t f = 0; f < nfronts; f++)
        start[f + 1] += start[f];
    for (size_t k = 0; k < n; k++)
        byfront[start[ns->rank[pts[k].index]]++] = (uint32_t)k;
    size_t at = 0;
    for (size_t f = 0; f < nfronts; f++) {
        size_t k = 0;
        while (at + k < n && ns->rank[pts[byfront[at + k]].index] == f)
            k++;
        for (uint32_t j = 0; j < m; j++) {
            for (size_t c = 0; c < k; c++) {
                const struct row *p = &pts[byfront[at + c]];
                al[c] = (struct along){p->v[j], byfront[at + c], p->index};
            }
            qsort(al, k, sizeof *al, by_along);
            ns->crowd[al[0].index] = INFINITY;
            ns->crowd[al[k - 1].index] = INFINITY;
            double range = al[k - 1].v - al[0].v;
            if (!(range > 0) || !isfinite(range))
                continue;
            for (size_t c = 1; c + 1 < k; c++)
                ns->crowd[al[c].index] += (al[c + 1].v - al[c - 1].v) / range;
        }
        at += k;
    }
    rc = 0;
out:
    free(pts);
    free(link);
    free(last);
    free(start);
    free(byfront);
    free(al);
    return rc;
}

/* The further objectives the individuals carry: every scored individual
 * of a population that keeps them has as many, a failed one none. */
static uint32_t further(const struct individual *const *ind, size_t n)
{
    uint32_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (ind[i]->nobjectives > k)
            k = ind[i]->nobjectives;
    return k;
}

int nsga2_rank(struct nsga2 *ns, const struct individual *const *ind,
               size_t n, int maximise)
{
    if (grow(ns, n ? n : 1) < 0)
        return -1;
    uint32_t extra = further(ind, n);
    if (extra > 0) {
        /* Each individual's row: error, size, then the further
         * objectives; a failed one is the worst in every one (+inf, and
         * the largest size), a NaN the worst, -0 as +0. */
        uint32_t m = 2 + extra;
        double *v = malloc((n ? n : 1) * m * sizeof *v);
        if (!v)
            return -1;
        for (size_t i = 0; i < n; i++) {
            const struct individual *x = ind[i];
            int ok = x->status == EVAL_OK;
            double *row = v + i * m;
            double e = !ok ? INFINITY : maximise ? -x->fitness : x->fitness;
            ns->error[i] = row[0] = e + 0.0;
            ns->size[i] = ok ? x->tree.size : UINT32_MAX;
            row[1] = ns->size[i];
            for (uint32_t j = 0; j < extra; j++) {
                double o =
                    ok && j < x->nobjectives ? x->objectives[j] : INFINITY;
                row[2 + j] = o == o ? o + 0.0 : INFINITY;
            }
        }
        int rc = rank_many(ns, v, n, m);
        free(v);
        return rc;
    }
    struct point *pts = (struct point *)(void *)ns->order;
    for (size_t i = 0; i < n; i++) {
        const struct individual *x = ind[i];
        double e = x->status != EVAL_OK ? INFINITY
                   : maximise           ? -x->fitness
                                        : x->fitness;
        ns->error[i] = e + 0.0; /* -0 as +0 */
        /* A failed individual is worst in both: every scored one
         * dominates it, whatever its size. */
        ns->size[i] = x->status != EVAL_OK ? UINT32_MAX : x->tree.size;
        ns->crowd[i] = 0.0;
        pts[i] = (struct point){ns->error[i], ns->size[i], (uint32_t)i};
    }
    qsort(pts, n, sizeof *pts, by_objectives);
    /* In that order, a point is dominated only by one before it. It joins
     * the first front none of whose members dominates it: one with a
     * smaller size, or the same size and a smaller error. Each front
     * keeps its least size so far, and the least error at that size (the
     * first seen). Copies of a point's objectives (they follow it) are
     * left out here and ranked below every distinct point: the c-th copy
     * in the c-th front after the last. Copies of a few small programs,
     * each on the first front, would otherwise fill the population and
     * stall the search. */
    size_t nfronts = 0;
    for (size_t k = 0; k < n; k++) {
        const struct point *p = &pts[k];
        if (k > 0 && p->error == pts[k - 1].error && p->size == pts[k - 1].size)
            continue;
        size_t f = 0;
        while (f < nfronts &&
               (ns->front_size[f] < p->size ||
                (ns->front_size[f] == p->size && ns->front_error[f] < p->error)))
            f++;
        if (f == nfronts) {
            ns->front_size[f] = p->size;
            ns->front_error[f] = p->error;
            nfronts++;
        } else if (p->size < ns->front_size[f]) {
            ns->front_size[f] = p->size;
            ns->front_error[f] = p->error;
        }
        ns->rank[p->index] = (uint32_t)f;
    }
    size_t distinct = nfronts;
    for (size_t k = 1, c = 0; k < n; k++) {
        const struct point *p = &pts[k];
        c = p->error == pts[k - 1].error && p->size == pts[k - 1].size ? c + 1
                                                                       : 0;
        if (c == 0)
            continue;
        ns->rank[p->index] = (uint32_t)(distinct - 1 + c);
        if (distinct + c > nfronts)
            nfronts = distinct + c;
    }
    /* Crowding, front by front: a front's members, in the sorted order,
     * go up in error and down in size. Gathered into the points' own
     * array, front after front (a stable pass per front would be
     * quadratic in the fronts: count, then place). */
    uint32_t *start = ns->front_size; /* reused: where each front begins */
    memset(start, 0, (nfronts + 1) * sizeof *start);
    for (size_t i = 0; i < n; i++)
        start[ns->rank[i] + 1]++;
    for (size_t f = 0; f < nfronts; f++)
        start[f + 1] += start[f];
    /* The sorted points again, placed by front, in their order within
     * each. */
    struct point *byfront = malloc((n ? n : 1) * sizeof *byfront);
    if (!byfront)
        return -1;
    for (size_t k = 0; k < n; k++)
        byfront[start[ns->rank[pts[k].index]]++] = pts[k];
    size_t at = 0;
    for (size_t f = 0; f < nfronts; f++) {
        size_t k = 0;
        while (at + k < n && ns->rank[byfront[at + k].index] == f)
            k++;
        const struct point *fr = byfront + at;
        ns->crowd[fr[0].index] = INFINITY;
        ns->crowd[fr[k - 1].index] = INFINITY;
        crowd_along(ns, fr, k, 0);
        crowd_along(ns, fr, k, 1);
        at += k;
    }
    free(byfront);
    return 0;
}

/* A union member's standing for survival. */
struct standing2 {
    uint32_t rank;
    uint32_t index;
    double crowd;
};

/* Lower front first, then the larger crowding distance, then the lower
 * index. */
static int by_survival(const void *pa, const void *pb)
{
    const struct standing2 *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    if (a->crowd != b->crowd)
        return a->crowd > b->crowd ? -1 : 1;
    return a->index < b->index ? -1 : a->index > b->index;
}

int nsga2_survivors(struct nsga2 *ns, const struct population *a,
                    const struct population *b, struct population *out,
                    int maximise)
{
    size_t n = a->n + b->n;
    const struct individual **all = malloc((n ? n : 1) * sizeof *all);
    struct standing2 *pick = malloc((n ? n : 1) * sizeof *pick);
    unsigned char *keep = calloc(n ? n : 1, 1);
    int rc = -1;
    if (!all || !pick || !keep)
        goto out;
    for (size_t i = 0; i < a->n; i++)
        all[i] = &a->ind[i];
    for (size_t i = 0; i < b->n; i++)
        all[a->n + i] = &b->ind[i];
    if (nsga2_rank(ns, all, n, maximise) < 0)
        goto out;
    for (size_t i = 0; i < n; i++)
        pick[i] = (struct standing2){ns->rank[i], (uint32_t)i, ns->crowd[i]};
    qsort(pick, n, sizeof *pick, by_survival);
    for (size_t k = 0; k < out->n && k < n; k++)
        keep[pick[k].index] = 1;
    size_t o = 0;
    for (size_t i = 0; i < n && o < out->n; i++) {
        if (!keep[i])
            continue;
        pop_place(out, o);
        struct individual *x = &out->ind[o++];
        tree_copy(&x->tree, &all[i]->tree);
        ind_take_result(x, all[i]);
        x->origin = ORIGIN_COPY;
    }
    rc = 0;
out:
    free(all);
    free(pick);
    free(keep);
    return rc;
}

size_t nsga2_tournament(const struct nsga2 *ns, const struct rng_bound *draw,
                        struct rng *r)
{
    size_t a = rng_below_fixed(r, draw), b = rng_below_fixed(r, draw);
    if (ns->rank[b] != ns->rank[a])
        return ns->rank[b] < ns->rank[a] ? b : a;
    return ns->crowd[b] > ns->crowd[a] ? b : a;
}

void nsga2_release(struct nsga2 *ns)
{
    free(ns->error);
    free(ns->size);
    free(ns->rank);
    free(ns->crowd);
    free(ns->order);
    free(ns->front_size);
    free(ns->front_error);
    memset(ns, 0, sizeof *ns);
}
