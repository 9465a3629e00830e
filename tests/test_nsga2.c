/* test_nsga2: non-dominated sorting and crowding on error and size, the
 * survivors of two populations, and the crowded tournament. */
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fronts),
        cmocka_unit_test(test_survivors),
        cmocka_unit_test(test_tournament),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
