/* test_rdo: semantic backpropagation (RDO) on even-5-parity's table and on
 * a table of more than 64 cases: subtrees' semantics as the interpreter
 * computes them, the desired semantics as what the output depends on, the
 * library, and offspring that are never worse than their parent. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "init.h"
#include "interp.h"
#include "pop.h"
#include "prim.h"
#include "rdo.h"
#include "rng.h"
#include "testutil.h"
#include "tree.h"

#define MAXV 7
#define CAP 500
#define POP 100

static struct primset ps;
static struct rdo_cases cases;
static double *table; /* (nvars + 1) columns of ncases */
static const double *cols[MAXV];

/* The boolean primitives on nvars inputs, and the table of all their
 * 2^nvars cases with even parity as the target (7 inputs: 128 cases, two
 * words a vector). */
static void boolean_table(int nvars)
{
    memset(&ps, 0, sizeof ps);
    static const uint16_t ops[] = {OP_AND,  OP_OR,  OP_NOT,
                                   OP_NAND, OP_NOR, OP_IF};
    for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
        ps.funcs[ps.nfuncs++] = ops[k];
    ps.nvars = nvars;
    static const char *names[MAXV] = {"b0", "b1", "b2", "b3", "b4", "b5", "b6"};
    for (int k = 0; k < nvars; k++) {
        ps.var_names[k] = names[k];
        ps.var_cols[k] = (uint16_t)k;
    }
    size_t n = (size_t)1 << nvars;
    /* padded to whole blocks for the interpreter */
    size_t stride = (n + INTERP_BLOCK - 1) / INTERP_BLOCK * INTERP_BLOCK;
    free(table);
    table = calloc(((size_t)nvars + 1) * stride, sizeof *table);
    assert_non_null(table);
    double *data = calloc(((size_t)nvars + 1) * n, sizeof *data);
    assert_non_null(data);
    for (int k = 0; k <= nvars; k++)
        for (size_t i = 0; i < n; i++) {
            double v = k < nvars ? (double)((i >> k) & 1u)
                                 : (double)(__builtin_popcountl(i) % 2 == 0);
            table[(size_t)k * stride + i] = v;
            data[(size_t)k * n + i] = v;
        }
    for (int k = 0; k < nvars; k++)
        cols[k] = table + (size_t)k * stride;
    rdo_cases_release(&cases);
    assert_int_equal(rdo_cases_init(&cases, n, nvars, data), 0);
    free(data);
}

static int teardown(void **state)
{
    (void)state;
    rdo_cases_release(&cases);
    free(table);
    table = NULL;
    return 0;
}

/* Bit i of v. */
static int bit(const uint64_t *v, size_t i)
{
    return (int)((v[i / 64] >> (i % 64)) & 1u);
}

/* The interpreter's truths of t on every case into out. */
static void interp_truths(struct interp *in, const struct tree *t,
                          uint64_t *out)
{
    memset(out, 0, cases.words * sizeof *out);
    for (size_t row = 0; row < cases.ncases; row += INTERP_BLOCK) {
        size_t n = cases.ncases - row < INTERP_BLOCK ? cases.ncases - row
                                                     : INTERP_BLOCK;
        const double *o = interp_block(in, t, cols, row, n);
        for (size_t k = 0; k < n; k++)
            if (o[k] != 0.0)
                out[(row + k) / 64] |= (uint64_t)1 << ((row + k) % 64);
    }
}

/* Every node's semantics is its subtree's output, as the interpreter
 * computes it, on 5 inputs (one word) and on 7 (two words). */
static void test_semantics(void **state)
{
    (void)state;
    for (int nvars = 5; nvars <= 7; nvars += 2) {
        boolean_table(nvars);
        struct rdo d;
        assert_int_equal(rdo_init(&d, &cases, CAP), 0);
        struct interp in;
        assert_int_equal(interp_init(&in, CAP), 0);
        struct tree t, sub;
        assert_int_equal(tree_init(&t, CAP), 0);
        assert_int_equal(tree_init(&sub, CAP), 0);
        uint64_t want[2];
        struct rng r;
        rng_seed(&r, 11, 1);
        for (int k = 0; k < 100; k++) {
            assert_int_equal(init_tree(&t, &ps, k % 2 ? INIT_GROW : INIT_FULL,
                                       1, 1 + k % 6, &r),
                             0);
            rdo_semantics(&d, &t);
            for (uint32_t i = 0; i < t.size; i++) {
                sub.size = t.nodes[i].span;
                memcpy(sub.nodes, &t.nodes[i], sub.size * sizeof *sub.nodes);
                interp_truths(&in, &sub, want);
                assert_memory_equal(d.sem + (size_t)i * cases.words, want,
                                    cases.words * sizeof *want);
            }
        }
        tree_release(&t);
        tree_release(&sub);
        interp_release(&in);
        rdo_release(&d);
    }
}

/* The root's truths of t with the subtree at `at` replaced by the constant
 * v (1 or 0): what the output is when that node says v on every case. */
static void forced(struct rdo *d, const struct tree *t, uint32_t at, double v,
                   uint64_t *out)
{
    struct node c = {.op = OP_CONST, .span = 1, .value = v};
    struct tree one = {.size = 1, .cap = 1, .nodes = &c}, u;
    assert_int_equal(tree_init(&u, CAP), 0);
    assert_int_equal(tree_splice(&u, t, at, &one, 0), 0);
    rdo_semantics(d, &u);
    memcpy(out, d->sem, cases.words * sizeof *out);
    tree_release(&u);
}

/*
 * The cases that matter at a node are exactly those where the output
 * changes with that node's, and on each of them the wanted value is the
 * one that makes the output the target. Every node of many random
 * programs of all six functions, on both tables.
 */
static void test_desired(void **state)
{
    (void)state;
    for (int nvars = 5; nvars <= 7; nvars += 2) {
        boolean_table(nvars);
        struct rdo d;
        assert_int_equal(rdo_init(&d, &cases, CAP), 0);
        struct tree t;
        assert_int_equal(tree_init(&t, CAP), 0);
        struct rng r;
        rng_seed(&r, 12, 1);
        uint64_t on[2], off[2], want[2], care[2];
        int mattered = 0, none = 0;
        for (int k = 0; k < 200; k++) {
            assert_int_equal(init_tree(&t, &ps, INIT_GROW, 1, 2 + k % 5, &r),
                             0);
            for (uint32_t at = 0; at < t.size; at++) {
                forced(&d, &t, at, 1.0, on);
                forced(&d, &t, at, 0.0, off);
                rdo_semantics(&d, &t);
                int level = rdo_desired(&d, &t, at);
                if (level < 0) { /* no case matters: output never moves */
                    assert_memory_equal(on, off, cases.words * sizeof *on);
                    none++;
                    continue;
                }
                assert_int_equal(level, tree_node_level(&t, at));
                memcpy(want, d.want, sizeof want);
                memcpy(care, d.care, sizeof care);
                mattered++;
                for (size_t i = 0; i < cases.ncases; i++) {
                    int sensitive = bit(on, i) != bit(off, i);
                    assert_int_equal(bit(care, i), sensitive);
                    if (sensitive)
                        assert_int_equal(bit(on, i) == bit(cases.target, i),
                                         bit(want, i));
                }
            }
        }
        assert_true(mattered > 1000 && none > 100);
        tree_release(&t);
        rdo_release(&d);
    }
}

/* A ramped population of boolean programs. */
static void population(struct population *p, uint64_t seed)
{
    assert_int_equal(pop_init(p, POP, CAP), 0);
    struct rng r;
    rng_seed(&r, seed, 1);
    init_ramped(p, &ps, 2, 6, &r);
}

/* The library holds each distinct semantics of the generation's subtrees
 * and of the variables once, as the smallest subtree that has it, ordered
 * by size. */
static void test_library(void **state)
{
    (void)state;
    boolean_table(5);
    struct population p;
    population(&p, 13);
    struct rdo d;
    assert_int_equal(rdo_init(&d, &cases, CAP), 0);
    assert_int_equal(rdo_library(&d, &p), 0);
    /* Entries' semantics are distinct, and recomputed from their own
     * subtrees. */
    struct tree sub;
    assert_int_equal(tree_init(&sub, CAP), 0);
    for (size_t k = 0; k < d.n; k++) {
        for (size_t j = 0; j < k; j++)
            assert_true(d.lib[j] != d.lib[k]);
        sub.size = d.entries[k].size;
        memcpy(sub.nodes, d.entries[k].nodes, sub.size * sizeof *sub.nodes);
        testutil_check_spans(&sub);
        assert_int_equal(d.entries[k].height, tree_depth(&sub));
        uint64_t was = d.lib[k];
        rdo_semantics(&d, &sub);
        assert_true(d.sem[0] == was);
    }
    for (size_t k = 1; k < d.n; k++)
        assert_true(d.entries[d.order[k - 1]].size <=
                    d.entries[d.order[k]].size);
    /* The variables come first, as themselves. */
    for (int v = 0; v < ps.nvars; v++) {
        assert_int_equal(d.entries[v].size, 1);
        assert_int_equal(d.entries[v].nodes->op, OP_VAR);
        assert_true(d.lib[v] == cases.inputs[v]);
    }
    /* Every subtree's semantics is there, no bigger. */
    struct rdo e;
    assert_int_equal(rdo_init(&e, &cases, CAP), 0);
    for (size_t i = 0; i < p.n; i++) {
        const struct tree *t = &p.ind[i].tree;
        rdo_semantics(&e, t);
        for (uint32_t at = 0; at < t->size; at++) {
            size_t k = 0;
            while (k < d.n && d.lib[k] != e.sem[at])
                k++;
            assert_true(k < d.n);
            assert_true(d.entries[k].size <= t->nodes[at].span);
        }
    }
    tree_release(&sub);
    rdo_release(&e);
    rdo_release(&d);
    pop_release(&p);
}

/* Cases of t's output that differ from the target. */
static int wrong(struct rdo *d, const struct tree *t)
{
    rdo_semantics(d, t);
    int n = 0;
    for (size_t k = 0; k < cases.words; k++)
        n += __builtin_popcountll((d->sem[k] ^ cases.target[k]) &
                                  cases.valid[k]);
    return n;
}

/*
 * Offspring within the limits, well formed, another program exactly when
 * vary_rdo says so, and never wrong on more cases than their parent (the
 * parent's own subtree is in the library, and the output moves only where
 * the drawn node matters); many are right on more.
 */
static void test_offspring(void **state)
{
    (void)state;
    for (int nvars = 5; nvars <= 7; nvars += 2) {
        boolean_table(nvars);
        struct population p;
        population(&p, 14);
        struct rdo d;
        assert_int_equal(rdo_init(&d, &cases, CAP), 0);
        assert_int_equal(rdo_library(&d, &p), 0);
        struct vary_params vp = {.max_depth = 17, .max_size = CAP};
        struct tree child;
        assert_int_equal(tree_init(&child, CAP), 0);
        struct rng r;
        rng_seed(&r, 15, 1);
        int better = 0, changed = 0;
        for (int k = 0; k < 1000; k++) {
            const struct tree *parent = &p.ind[rng_below(&r, POP)].tree;
            int c = vary_rdo(&child, parent, &d, &vp, &r);
            testutil_check_spans(&child);
            assert_true(child.size <= CAP && tree_depth(&child) <= 17);
            int same = child.size == parent->size &&
                       memcmp(child.nodes, parent->nodes,
                              child.size * sizeof *child.nodes) == 0;
            assert_int_equal(c, !same);
            changed += c;
            int before = wrong(&d, parent), after = wrong(&d, &child);
            assert_true(after <= before);
            better += after < before;
        }
        assert_true(changed > 500 && better > 300);
        /* Tight limits are kept too. */
        struct vary_params tight = {.max_depth = 4, .max_size = 20};
        for (int k = 0; k < 1000; k++) {
            const struct tree *parent = &p.ind[rng_below(&r, POP)].tree;
            if (parent->size > 20 || tree_depth(parent) > 4)
                continue;
            vary_rdo(&child, parent, &d, &tight, &r);
            testutil_check_spans(&child);
            assert_true(child.size <= 20 && tree_depth(&child) <= 4);
        }
        tree_release(&child);
        rdo_release(&d);
        pop_release(&p);
    }
}

/* Only the boolean functions, and no plug-in terminals. */
static void test_refuses(void **state)
{
    (void)state;
    boolean_table(5);
    assert_int_equal(rdo_refuses(&ps), -1);
    ps.funcs[ps.nfuncs++] = OP_ADD;
    assert_int_equal(rdo_refuses(&ps), OP_ADD);
    boolean_table(5);
    ps.symterms[ps.nsymterms++] = (uint16_t)prim_symbol_op(0, 0);
    assert_int_equal(rdo_refuses(&ps), prim_symbol_op(0, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_semantics), cmocka_unit_test(test_desired),
        cmocka_unit_test(test_library),   cmocka_unit_test(test_offspring),
        cmocka_unit_test(test_refuses),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
