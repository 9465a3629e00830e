/* test_nsga2: non-dominated sorting and crowding on error and size, and
 * on further objectives (against a brute-force sort), the survivors of
 * two populations, and the crowded tournament. */
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

#include "forkgp.h"
#include "nsga2.h"
#include "pop.h"
#include "rng.h"

#define CAP 16

/* Sets x to a program of `size` nodes (negations of a variable) with the
 * fitness f (status OK, or failed when f is NaN). */
static void set(struct individual *x, uint32_t size, double f)
{
    for (uint32_t k = 0; k + 1 < size; k++)
        x->tree.nodes[k] = (struct node){.op = OP_NEG};
    x->tree.nodes[size - 1] = (struct node){.op = OP_VAR};
    x->tree.size = size;
    tree_set_shape(&x->tree);
    if (isnan(f))
        ind_set_result(x, EVAL_CRASHED, 11, 0.0, NULL);
    else
        ind_set_result(x, EVAL_OK, 0, f, NULL);
}

static void make_pop(struct population *p, size_t n, const uint32_t *size,
                     const double *f)
{
    assert_int_equal(pop_init(p, n, CAP), 0);
    for (size_t i = 0; i < n; i++) {
        pop_place(p, i);
        set(&p->ind[i], size[i], f[i]);
    }
}

static void rank(struct nsga2 *ns, const struct population *p, int maximise)
{
    const struct individual *ptr[64];
    for (size_t i = 0; i < p->n; i++)
        ptr[i] = &p->ind[i];
    assert_int_equal(nsga2_rank(ns, ptr, p->n, maximise), 0);
}

/* Fronts by domination on (error, size); a failed individual below all;
 * copies of one point below every distinct point, one per front. */
static void test_fronts(void **state)
{
    (void)state;
    /* 0: (1, 0.5)  1: (3, 0.2)  2: (5, 0.1)  -- the first front
     * 3: (3, 0.5)  dominated by 0; 4: (6, 0.2) dominated by 1 and 2
     * 5: failed, size 1; 6: a copy of 1 */
    const uint32_t size[] = {1, 3, 5, 3, 6, 1, 3};
    const double f[] = {0.5, 0.2, 0.1, 0.5, 0.2, NAN, 0.2};
    struct population p;
    make_pop(&p, 7, size, f);
    struct nsga2 ns = {0};
    rank(&ns, &p, 0);
    const uint32_t want[] = {0, 0, 0, 1, 1, 2, 3};
    for (int i = 0; i < 7; i++)
        assert_int_equal(ns.rank[i], want[i]);
    /* The ends of a front are infinitely crowded; its middle gets the
     * gaps of its neighbours over the ranges: errors (0.5 - 0.1) / 0.4,
     * sizes (5 - 1) / 4. */
    assert_true(isinf(ns.crowd[0]) && isinf(ns.crowd[2]));
    assert_true(fabs(ns.crowd[1] - 2.0) < 1e-12);
    /* Maximising: higher fitness is better, the order turns. */
    rank(&ns, &p, 1);
    assert_int_equal(ns.rank[0], 0); /* (1, 0.5): best and smallest */
    assert_int_equal(ns.rank[3], 1); /* the same error, larger */
    nsga2_release(&ns);
    pop_release(&p);
}

/* Survivors: the first front whole, then the most crowded of the next;
 * copies with their results, in their order (a's, then b's). */
static void test_survivors(void **state)
{
    (void)state;
    const uint32_t sa[] = {1, 4, 6};
    const double fa[] = {0.9, 0.4, 0.39};
    const uint32_t sb[] = {2, 3, 8};
    const double fb[] = {0.5, 0.45, 0.1};
    struct population a, b, out;
    make_pop(&a, 3, sa, fa);
    make_pop(&b, 3, sb, fb);
    assert_int_equal(pop_init(&out, 4, CAP), 0);
    struct nsga2 ns = {0};
    assert_int_equal(nsga2_survivors(&ns, &a, &b, &out, 0), 0);
    /* Union: a0 (1, .9) a1 (4, .4) a2 (6, .39) b0 (2, .5) b1 (3, .45)
     * b2 (8, .1): all six non-dominated; the ends (a0, b2) and the most
     * crowded two of the rest stay. */
    uint32_t got[4];
    for (int i = 0; i < 4; i++)
        got[i] = out.ind[i].tree.size;
    assert_int_equal(got[0], 1);
    assert_int_equal(got[3], 8);
    for (int i = 0; i < 4; i++)
        assert_int_equal(out.ind[i].status, EVAL_OK);
    /* Exactly what the crowding says: recompute it. */
    const struct individual *all[6] = {&a.ind[0], &a.ind[1], &a.ind[2],
                                       &b.ind[0], &b.ind[1], &b.ind[2]};
    assert_int_equal(nsga2_rank(&ns, all, 6, 0), 0);
    int kept = 0;
    for (int i = 1; i < 5; i++) {
        int in = 0;
        for (int k = 1; k < 3; k++)
            in |= got[k] == all[i]->tree.size;
        if (in)
            kept++;
        for (int j = 1; j < 5; j++) {
            int jin = 0;
            for (int k = 1; k < 3; k++)
                jin |= got[k] == all[j]->tree.size;
            if (in && !jin)
                assert_true(ns.crowd[i] >= ns.crowd[j]);
        }
    }
    assert_int_equal(kept, 2);
    nsga2_release(&ns);
    pop_release(&a);
    pop_release(&b);
    pop_release(&out);
}

/* The crowded tournament picks the lower front, then the more crowded. */
static void test_tournament(void **state)
{
    (void)state;
    const uint32_t size[] = {1, 2, 9};
    const double f[] = {0.1, 0.2, 0.3}; /* 0 dominates both others */
    struct population p;
    make_pop(&p, 3, size, f);
    struct nsga2 ns = {0};
    rank(&ns, &p, 0);
    struct rng r;
    rng_seed(&r, 3, 3);
    struct rng_bound draw;
    rng_bound_init(&draw, 3);
    int hits[3] = {0};
    for (int k = 0; k < 9000; k++)
        hits[nsga2_tournament(&ns, &draw, &r)]++;
    /* 0 wins whenever drawn: 1 - (2/3)^2 = 5/9 of the time. */
    assert_true(hits[0] > 4700 && hits[0] < 5300);
    assert_true(hits[1] > hits[2]);
    nsga2_release(&ns);
    pop_release(&p);
}

/* ---- further objectives -------------------------------------------------- */

/* Gives p's scored individuals k further objectives, o[i * k + j]. */
static void set_objectives(struct population *p, uint32_t k, const double *o)
{
    assert_int_equal(pop_keep_objectives(p, k), 0);
    for (size_t i = 0; i < p->n; i++) {
        double sc[FGP_MAX_SCORES];
        sc[0] = p->ind[i].fitness;
        for (uint32_t j = 0; j < k; j++)
            sc[1 + j] = o[i * k + j];
        if (p->ind[i].status == EVAL_OK)
            assert_int_equal(ind_set_objectives(&p->ind[i], sc, 1 + k, k), 0);
    }
}

/* Three objectives by hand: error, size and one more. */
static void test_fronts_three(void **state)
{
    (void)state;
    /* 0: (1, 1, 5)  1: (2, 1, 4)  2: (1, 2, 3): none dominates another
     * 3: (2, 2, 5)  dominated by 0 and 1; 4: failed; 5: a copy of 1;
     * 6: (3, 3, 3)  dominated by 2 alone, and by no member of front 1;
     * 7: (3, 1, 4)  dominated by 1 */
    const uint32_t size[] = {1, 1, 2, 2, 1, 1, 3, 1};
    const double f[] = {1, 2, 1, 2, NAN, 2, 3, 3};
    const double o[] = {5, 4, 3, 5, 0, 4, 3, 4};
    struct population p;
    make_pop(&p, 8, size, f);
    set_objectives(&p, 1, o);
    struct nsga2 ns = {0};
    rank(&ns, &p, 0);
    const uint32_t want[] = {0, 0, 0, 1, 2, 3, 1, 1};
    for (int i = 0; i < 8; i++)
        assert_int_equal(ns.rank[i], want[i]);
    /* Without the third objective, 2 is dominated by 0, and 6 by 3, which
     * 1 dominates, which 0 does. */
    struct population q;
    make_pop(&q, 8, size, f);
    rank(&ns, &q, 0);
    assert_int_equal(ns.rank[2], 1);
    assert_int_equal(ns.rank[6], 3);
    /* Front 1 of the three, {3, 6, 7}: along the error 3 is an end (2),
     * 6 and 7 tie at 3, 7 first (lexicographically (3, 1, 4) before
     * (3, 3, 3)), so 6 is the other end; along the size 7 (1) and 6 (3)
     * are the ends; along the third 6 (3) and 3 (5): each an end. */
    rank(&ns, &p, 0);
    assert_true(isinf(ns.crowd[3]) && isinf(ns.crowd[6]) &&
                isinf(ns.crowd[7]));
    nsga2_release(&ns);
    pop_release(&p);
    pop_release(&q);
}

/* One individual's objectives as nsga2 sorts them: m values. */
static void objectives_of(const struct individual *x, int maximise,
                          uint32_t m, double *v)
{
    int ok = x->status == EVAL_OK;
    v[0] = !ok ? INFINITY : maximise ? -x->fitness + 0.0 : x->fitness + 0.0;
    v[1] = ok ? (double)x->tree.size : (double)UINT32_MAX;
    for (uint32_t j = 2; j < m; j++) {
        double o = ok ? x->objectives[j - 2] : INFINITY;
        v[j] = o == o ? o + 0.0 : INFINITY;
    }
}

#define MAXN 80
#define MAXM 6

static int dominates(const double *a, const double *b, uint32_t m)
{
    int better = 0;
    for (uint32_t j = 0; j < m; j++) {
        if (a[j] > b[j])
            return 0;
        better |= a[j] < b[j];
    }
    return better;
}

static int same_point(const double *a, const double *b, uint32_t m)
{
    for (uint32_t j = 0; j < m; j++)
        if (a[j] != b[j])
            return 0;
    return 1;
}

/* Lexicographic, then the index. */
static int lex_before(const double (*v)[MAXM], uint32_t m, size_t a,
                      size_t b)
{
    for (uint32_t j = 0; j < m; j++)
        if (v[a][j] != v[b][j])
            return v[a][j] < v[b][j];
    return a < b;
}

/*
 * Brute force, from the definitions: the distinct points (the first of
 * each set of copies, by index) peeled front by front (a front: those no
 * other remaining point dominates); the c-th later copy of a point in the
 * c-th front after the last. Crowding: per front and objective, the
 * members in increasing order (ties: lexicographic, then index), the ends
 * +inf, each interior one (next - prev) / range when the range is finite
 * and positive, summed in the objectives' order.
 */
static void brute(const double (*v)[MAXM], size_t n, uint32_t m,
                  uint32_t *rank, double *crowd)
{
    int copy[MAXN], assigned[MAXN] = {0};
    size_t left = 0, nfronts = 0;
    for (size_t i = 0; i < n; i++) {
        copy[i] = 0;
        for (size_t k = 0; k < i; k++)
            if (same_point(v[k], v[i], m))
                copy[i]++;
        left += copy[i] == 0;
    }
    while (left > 0) {
        int in[MAXN] = {0};
        for (size_t i = 0; i < n; i++) {
            if (copy[i] || assigned[i])
                continue;
            int dom = 0;
            for (size_t k = 0; k < n && !dom; k++)
                dom = !copy[k] && !assigned[k] && dominates(v[k], v[i], m);
            in[i] = !dom;
        }
        for (size_t i = 0; i < n; i++)
            if (in[i]) {
                rank[i] = (uint32_t)nfronts;
                assigned[i] = 1;
                left--;
            }
        nfronts++;
    }
    for (size_t i = 0; i < n; i++)
        if (copy[i])
            rank[i] = (uint32_t)(nfronts - 1 + (size_t)copy[i]);
    for (size_t i = 0; i < n; i++)
        crowd[i] = 0.0;
    for (uint32_t f = 0; f < (uint32_t)(nfronts + n); f++) {
        size_t mem[MAXN], k = 0;
        for (size_t i = 0; i < n; i++)
            if (rank[i] == f)
                mem[k++] = i;
        if (k == 0)
            continue;
        for (uint32_t j = 0; j < m; j++) {
            /* Insertion sort by (value j, lexicographic order). */
            for (size_t a = 1; a < k; a++)
                for (size_t b = a; b > 0; b--) {
                    size_t x = mem[b - 1], y = mem[b];
                    int after = v[x][j] > v[y][j] ||
                                (v[x][j] == v[y][j] && lex_before(v, m, y, x));
                    if (!after)
                        break;
                    mem[b - 1] = y;
                    mem[b] = x;
                }
            crowd[mem[0]] = INFINITY;
            crowd[mem[k - 1]] = INFINITY;
            double range = v[mem[k - 1]][j] - v[mem[0]][j];
            if (!(range > 0) || !isfinite(range))
                continue;
            for (size_t c = 1; c + 1 < k; c++)
                crowd[mem[c]] += (v[mem[c + 1]][j] - v[mem[c - 1]][j]) / range;
        }
    }
}

/* Random populations on 3 to 5 objectives, with ties, copies, failures,
 * NaNs and -0 among them: the fronts and crowding of the brute force. */
static void test_many_brute(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 12, 5);
    for (int trial = 0; trial < 400; trial++) {
        size_t n = 1 + rng_below(&r, MAXN);
        uint32_t k = 1 + rng_below(&r, 3), m = 2 + k;
        int maximise = (int)rng_below(&r, 2);
        uint32_t size[MAXN];
        double f[MAXN], o[MAXN * 3];
        /* Few values, so that ties and copies are common. */
        uint32_t spread = 2 + rng_below(&r, 6);
        for (size_t i = 0; i < n; i++) {
            size[i] = 1 + rng_below(&r, 4);
            f[i] = rng_below(&r, 40) == 0 ? NAN
                                           : (double)rng_below(&r, spread) / 4;
            for (uint32_t j = 0; j < k; j++) {
                uint32_t d = rng_below(&r, 30);
                o[i * k + j] = d == 0   ? NAN
                               : d == 1 ? -0.0
                               : d == 2 ? INFINITY
                                        : (double)rng_below(&r, spread) - 1;
            }
        }
        struct population p;
        make_pop(&p, n, size, f);
        set_objectives(&p, k, o);
        struct nsga2 ns = {0};
        const struct individual *ptr[MAXN];
        for (size_t i = 0; i < n; i++)
            ptr[i] = &p.ind[i];
        assert_int_equal(nsga2_rank(&ns, ptr, n, maximise), 0);
        double v[MAXN][MAXM], crowd[MAXN];
        uint32_t want[MAXN];
        for (size_t i = 0; i < n; i++)
            objectives_of(&p.ind[i], maximise, m, v[i]);
        brute((const double(*)[MAXM])v, n, m, want, crowd);
        for (size_t i = 0; i < n; i++) {
            assert_int_equal(ns.rank[i], want[i]);
            if (isinf(crowd[i]))
                assert_true(isinf(ns.crowd[i]));
            else
                assert_true(fabs(ns.crowd[i] - crowd[i]) <= 1e-12);
        }
        nsga2_release(&ns);
        pop_release(&p);
    }
}

/* Survivors carry their objectives; a NaN objective is kept as +inf, and
 * an evaluation with fewer scores than objectives is refused. */
static void test_survivors_objectives(void **state)
{
    (void)state;
    const uint32_t sa[] = {1, 2};
    const double fa[] = {0.5, 0.4};
    const uint32_t sb[] = {1, 3};
    const double fb[] = {0.6, 0.1};
    const double oa[] = {1, -1, NAN, 7}, ob[] = {-5, 0, 2, 2};
    struct population a, b, out;
    make_pop(&a, 2, sa, fa);
    make_pop(&b, 2, sb, fb);
    set_objectives(&a, 2, oa);
    set_objectives(&b, 2, ob);
    assert_true(isinf(a.ind[1].objectives[0]));
    double few[2] = {0.4, 1};
    assert_int_equal(ind_set_objectives(&a.ind[1], few, 2, 2), -1);
    assert_int_equal(pop_init(&out, 3, CAP), 0);
    assert_int_equal(pop_keep_objectives(&out, 2), 0);
    struct nsga2 ns = {0};
    assert_int_equal(nsga2_survivors(&ns, &a, &b, &out, 0), 0);
    /* All four are on the first front (b0 is dominated in neither the
     * error nor the size, and best in the first objective); the three
     * kept have the objectives they came with. */
    for (size_t i = 0; i < 3; i++) {
        const struct individual *x = &out.ind[i];
        assert_int_equal(x->nobjectives, 2);
        const struct individual *from[] = {&a.ind[0], &a.ind[1], &b.ind[0],
                                           &b.ind[1]};
        int found = 0;
        for (int s2 = 0; s2 < 4; s2++)
            found |= from[s2]->tree.size == x->tree.size &&
                     from[s2]->fitness == x->fitness &&
                     memcmp(from[s2]->objectives, x->objectives,
                            2 * sizeof(double)) == 0;
        assert_true(found);
    }
    nsga2_release(&ns);
    pop_release(&a);
    pop_release(&b);
    pop_release(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fronts),
        cmocka_unit_test(test_fronts_three),
        cmocka_unit_test(test_many_brute),
        cmocka_unit_test(test_survivors_objectives),
        cmocka_unit_test(test_survivors),
        cmocka_unit_test(test_tournament),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
