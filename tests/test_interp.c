/* test_interp: the block interpreter against a per-row recursive reference. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <float.h>
#include <math.h>
#include <string.h>

#include "init.h"
#include "interp.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"

#define NVARS 3
#define NROWS (3 * INTERP_BLOCK + 13)
#define CAP 400
#define NTREES 1500

/* Each column padded with zeros past its last row, as far as
 * interp_block_padded may read from any row (csv.c's columns go as far
 * from rows that are multiples of INTERP_LANES). */
static double data[NVARS][NROWS + INTERP_LANES];
static const double *cols[NVARS];

/* The reference: one row, recursively, on interp_apply's semantics. */
static double ref_eval(const struct node *nodes, uint32_t *i, size_t row)
{
    const struct node *nd = &nodes[(*i)++];
    switch (nd->op) {
    case OP_VAR:
        return cols[nd->var][row];
    case OP_CONST:
        return nd->value;
    default:
        break;
    }
    double a = ref_eval(nodes, i, row);
    double b = prim_arity(nd->op) >= 2 ? ref_eval(nodes, i, row) : 0.0;
    double c = prim_arity(nd->op) == 3 ? ref_eval(nodes, i, row) : 0.0;
    return interp_apply3(nd->op, a, b, c);
}

/* Same bits, or both NaN (whose payloads need not agree). */
static int same_value(double x, double y)
{
    return memcmp(&x, &y, sizeof x) == 0 || (isnan(x) && isnan(y));
}

/* interp_block and interp_block_padded against the reference, row by
 * row. */
static void check_block(struct interp *in, const struct tree *t, size_t row,
                        size_t n)
{
    for (int padded = 0; padded < 2; padded++) {
        const double *got = padded ? interp_block_padded(in, t, cols, row, n)
                                   : interp_block(in, t, cols, row, n);
        assert_non_null(got);
        for (size_t k = 0; k < n; k++) {
            uint32_t i = 0;
            double want = ref_eval(t->nodes, &i, row + k);
            assert_int_equal(i, t->size);
            if (!same_value(got[k], want))
                fail_msg("tree of %u nodes, row %zu%s: got %.17g, want "
                         "%.17g",
                         (unsigned)t->size, row + k,
                         padded ? " (padded)" : "", got[k], want);
        }
    }
}

/* Data with every awkward value, shuffled among ordinary ones. */
static void fill_data(struct rng *r)
{
    static const double special[] = {
        0.0,       -0.0,
        1.0,       -1.0,
        2.0,       0.5,
        -3.25,     1e300,
        -1e300,    1e-300,
        -1e-300,   5e-324,
        DBL_MAX,   -DBL_MAX,
        DBL_MIN,   INFINITY,
        -INFINITY, NAN,
        -NAN,      710.0,
        -745.0,    3.14159265358979323846,
    };
    size_t nspecial = sizeof special / sizeof special[0];
    for (int v = 0; v < NVARS; v++) {
        for (size_t i = 0; i < NROWS; i++) {
            uint32_t kind = rng_below(r, 4);
            if (kind == 0)
                data[v][i] = special[rng_below(r, (uint32_t)nspecial)];
            else if (kind == 1)
                data[v][i] = rng_uniform(r, -1e6, 1e6);
            else
                data[v][i] = rng_uniform(r, -4, 4);
        }
        cols[v] = data[v];
    }
}

static void all_functions(struct primset *ps)
{
    memset(ps, 0, sizeof *ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        ps->funcs[ps->nfuncs++] = (uint16_t)op;
    ps->nvars = NVARS;
    ps->consts[ps->nconsts++] = 0.0;
    ps->consts[ps->nconsts++] = -1.0;
    ps->consts[ps->nconsts++] = 1e300;
    ps->range_lo[0] = -5;
    ps->range_hi[0] = 5;
    ps->nranges = 1;
}

/* Random trees of ps's functions against the reference. */
static void check_random_trees(const struct primset *ps, struct rng *r0)
{
    struct rng r = *r0;
    struct interp in;
    assert_int_equal(interp_init(&in, CAP), 0);
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    /* Block sizes and starting rows: the edges of blocks and of data. */
    static const size_t sizes[] = {1, 7, 9, 20, INTERP_BLOCK};
    int done = 0;
    while (done < NTREES) {
        int depth = (int)rng_below(&r, 11);
        int min_depth = (int)rng_below(&r, (uint32_t)depth + 1);
        enum init_method how = rng_below(&r, 2) ? INIT_FULL : INIT_GROW;
        if (init_tree(&t, ps, how, min_depth, depth, &r) < 0)
            continue;
        assert_int_equal(tree_check(&t, NVARS), 0);
        done++;
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t n = sizes[s];
            size_t rows[] = {
                0,         1,
                5,         INTERP_BLOCK + 3,
                NROWS - n, rng_below(&r, (uint32_t)(NROWS - n + 1))};
            /* Large blocks cost most: two starting rows are enough. */
            size_t nrows = n == INTERP_BLOCK ? 2 : sizeof rows / sizeof *rows;
            if (n == INTERP_BLOCK)
                rows[0] = rows[4 + rng_below(&r, 2)];
            for (size_t k = 0; k < nrows; k++)
                check_block(&in, &t, rows[k], n);
        }
    }
    tree_release(&t);
    interp_release(&in);
}

static void test_random_trees(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 2024, 3);
    fill_data(&r);
    struct primset ps;
    all_functions(&ps);
    check_random_trees(&ps, &r);
}

/* The four arithmetic functions only, so that more of a tree's subtrees
 * are of constants only (computed once per block, then spread over the
 * rows): the padded loops once spread a -0 as +0 (0 + -0 is +0), and
 * x * -0 came out +0. With sin added now and then. */
static void test_random_arithmetic(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 2025, 4);
    fill_data(&r);
    struct primset ps;
    all_functions(&ps);
    ps.nfuncs = 0;
    static const uint16_t four[] = {OP_ADD, OP_SUB, OP_MUL, OP_DIV};
    for (int k = 0; k < 4; k++)
        ps.funcs[ps.nfuncs++] = four[k];
    check_random_trees(&ps, &r);
    ps.funcs[ps.nfuncs++] = OP_SIN;
    check_random_trees(&ps, &r);
}

/* Trees that use the whole stack: long chains leaning either way. */
static void test_deep_chains(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 5, 5);
    fill_data(&r);
    struct interp in;
    assert_int_equal(interp_init(&in, CAP), 0);
    struct tree t;
    assert_int_equal(tree_init(&t, CAP), 0);
    static const uint16_t binary[] = {OP_ADD, OP_SUB, OP_MUL,
                                      OP_DIV, OP_MIN, OP_MAX};
    for (int lean = 0; lean < 2; lean++) {
        /* lean 0: op x op x ... (deep last argument); lean 1: op op ...
         * x x (deep first argument). */
        uint32_t nfunc = (CAP - 1) / 2;
        t.size = 0;
        for (uint32_t f = 0; f < nfunc; f++) {
            t.nodes[t.size++] = (struct node){.op = binary[rng_below(&r, 6)]};
            if (lean == 0)
                t.nodes[t.size++] = (struct node){
                    .op = OP_VAR, .var = (uint16_t)rng_below(&r, NVARS)};
        }
        for (uint32_t f = 0; f < (lean ? nfunc : 0u) + 1; f++)
            t.nodes[t.size++] = (struct node){
                .op = OP_CONST, .value = rng_uniform(&r, 0.5, 1.5)};
        assert_int_equal(tree_check(&t, NVARS), 0);
        check_block(&in, &t, 0, INTERP_BLOCK);
        check_block(&in, &t, NROWS - 7, 7);
    }
    /* A chain of every unary function, repeated. */
    t.size = 0;
    while (t.size < CAP - 1)
        t.nodes[t.size++] =
            (struct node){.op = (uint16_t)(OP_NEG + t.size % 9)};
    t.nodes[t.size++] = (struct node){.op = OP_VAR, .var = 1};
    assert_int_equal(tree_check(&t, NVARS), 0);
    check_block(&in, &t, 3, INTERP_BLOCK);
    tree_release(&t);
    interp_release(&in);
}

static void test_lone_variable(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 1, 1);
    fill_data(&r);
    struct interp in;
    assert_int_equal(interp_init(&in, 4), 0);
    struct tree t;
    assert_int_equal(tree_init(&t, 4), 0);
    t.size = 1;
    for (uint16_t v = 0; v < NVARS; v++) {
        t.nodes[0] = (struct node){.op = OP_VAR, .var = v};
        assert_ptr_equal(interp_block(&in, &t, cols, 0, INTERP_BLOCK), cols[v]);
        assert_ptr_equal(interp_block(&in, &t, cols, 17, 7), cols[v] + 17);
        assert_ptr_equal(interp_block(&in, &t, cols, NROWS - 1, 1),
                         cols[v] + NROWS - 1);
    }
    tree_release(&t);
    interp_release(&in);
}

static void test_lone_constant(void **state)
{
    (void)state;
    struct interp in;
    assert_int_equal(interp_init(&in, 1), 0);
    struct tree t;
    assert_int_equal(tree_init(&t, 1), 0);
    t.size = 1;
    static const double values[] = {2.5, -0.0, 1e300, -7};
    for (size_t v = 0; v < sizeof values / sizeof values[0]; v++) {
        t.nodes[0] = (struct node){.op = OP_CONST, .value = values[v]};
        static const size_t sizes[] = {1, 7, INTERP_BLOCK};
        for (size_t s = 0; s < 3; s++) {
            const double *got = interp_block(&in, &t, cols, 100, sizes[s]);
            for (size_t k = 0; k < sizes[s]; k++)
                assert_memory_equal(&got[k], &values[v], sizeof(double));
        }
    }
    tree_release(&t);
    interp_release(&in);
}

/* One interp serves trees of any size up to its cap, one after another. */
static void test_reuse(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 9, 9);
    fill_data(&r);
    struct primset ps;
    all_functions(&ps);
    struct interp in;
    assert_int_equal(interp_init(&in, 64), 0);
    struct tree a, b;
    assert_int_equal(tree_init(&a, 64), 0);
    assert_int_equal(tree_init(&b, 64), 0);
    while (init_tree(&a, &ps, INIT_FULL, 0, 5, &r) < 0)
        ;
    while (init_tree(&b, &ps, INIT_GROW, 0, 3, &r) < 0)
        ;
    double first[INTERP_BLOCK];
    memcpy(first, interp_block(&in, &a, cols, 0, INTERP_BLOCK), sizeof first);
    check_block(&in, &b, 0, INTERP_BLOCK);
    const double *again = interp_block(&in, &a, cols, 0, INTERP_BLOCK);
    for (size_t k = 0; k < INTERP_BLOCK; k++)
        assert_true(same_value(again[k], first[k]));
    tree_release(&b);
    tree_release(&a);
    interp_release(&in);

    /* A zeroed interp releases cleanly. */
    struct interp z;
    memset(&z, 0, sizeof z);
    interp_release(&z);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_trees),
        cmocka_unit_test(test_random_arithmetic),
        cmocka_unit_test(test_deep_chains),
        cmocka_unit_test(test_lone_variable),
        cmocka_unit_test(test_lone_constant),
        cmocka_unit_test(test_reuse),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
