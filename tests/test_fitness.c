/* test_fitness: the built-in fitness functions (regression, classification,
 * boolean) through plugin_load, from temporary INI and CSV files: their
 * setup, their messages and their scores on hand-computed examples. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fitness.h"
#include "interp.h"
#include "plugin.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"
#include "testutil.h"

/* One scratch directory for the whole run, removed by the group teardown. */
static char tmpdir[256]; /* made by testutil_mkdtemp */

static int group_setup(void **state)
{
    (void)state;
    return testutil_mkdtemp(tmpdir, sizeof tmpdir, "test_fitness") ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return testutil_rmtree(tmpdir);
}

/* Writes text to tmpdir/name. */
static void write_file(const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* want with each @ replaced by the temporary folder. */
static void expand(char *out, size_t cap, const char *want)
{
    testutil_expand(out, cap, want, tmpdir);
}

/* testutil_load_fitness in the temporary folder. */
static struct testutil_fitness *load(const char *name, const char *ini,
                                     const char *const *sets, int nsets,
                                     struct error *err)
{
    return testutil_load_fitness(tmpdir, name, ini, sets, nsets, err);
}

/* Loads the INI text; fails the test when the fitness does not load. */
static struct testutil_fitness *load_ok(const char *name, const char *ini)
{
    struct error err;
    struct testutil_fitness *x = load(name, ini, NULL, 0, &err);
    if (!x->pl)
        fail_msg("plugin_load: %s", err.msg);
    return x;
}

/* Expects plugin_load to fail with exactly `want` (@: the temp folder),
 * leaving the fitness untouched. */
static void load_fails_set(const char *name, const char *ini,
                           const char *const *sets, int nsets,
                           const char *want)
{
    struct error err;
    struct testutil_fitness *x = load(name, ini, sets, nsets, &err);
    char msg[2048];
    expand(msg, sizeof msg, want);
    if (x->pl)
        fail_msg("%s loaded, expected: %s", name, msg);
    assert_string_equal(err.msg, msg);
    assert_null(x->f.evaluate);
    assert_null(x->f.ctx);
    testutil_fitness_free(x);
}

static void load_fails(const char *name, const char *ini, const char *want)
{
    load_fails_set(name, ini, NULL, 0, want);
}

/* Fills t from a prefix spec of the set's names: functions, variables
 * by name, numbers. */
static void build(struct tree *t, const struct primset *ps, const char *spec)
{
    testutil_build(t, ps, spec);
}

/* Scores the program spec through the fitness interface (train data). */
static int score(struct testutil_fitness *x, const char *spec, double *s)
{
    struct tree t;
    struct rng r;
    assert_int_equal(tree_init(&t, 512), 0);
    build(&t, &x->ps, spec);
    rng_seed(&r, 1, 1);
    struct scaling scaling;
    const struct tree *tuned;
    int rc = x->f.evaluate(x->f.ctx, &t, &r, s, &scaling, &tuned, NULL);
    tree_release(&t);
    return rc;
}

/* Scores the program spec with case errors asked for: they go to e (room
 * for the fitness's ncases). */
static int score_cases(struct testutil_fitness *x, const char *spec,
                       double *s, double *e)
{
    struct tree t;
    struct rng r;
    assert_int_equal(tree_init(&t, 512), 0);
    build(&t, &x->ps, spec);
    rng_seed(&r, 1, 1);
    struct scaling scaling;
    const struct tree *tuned;
    int rc = x->f.evaluate(x->f.ctx, &t, &r, s, &scaling, &tuned, e);
    tree_release(&t);
    return rc;
}

/* The built-ins give each case's error: regression |residual| of the
 * model scored (scaled or not, whatever the metric), boolean and
 * classification 0 for a case right and 1 for a case wrong. */
static void test_case_errors(void **state)
{
    (void)state;
    write_file("xy.csv", "x,y\n0,1\n1,2\n2,3\n3,4\n"); /* y = x + 1 */
    static const char *const metric[] = {"mae", "r2"};
    for (int k = 0; k < 2; k++) {
        char ini[256];
        snprintf(ini, sizeof ini,
                 "[data]\ntrain = xy.csv\n[fitness]\nmetric = %s\n"
                 "linear_scaling = no\n",
                 metric[k]);
        struct testutil_fitness *x = load_ok("cases.ini", ini);
        assert_int_equal(x->f.ncases, 4);
        double s, e[4];
        assert_int_equal(score_cases(x, "mul x 2", &s, e), EVAL_OK);
        static const double want[4] = {1, 0, 1, 2}; /* 2x - (x + 1) */
        for (int i = 0; i < 4; i++)
            assert_true(e[i] == want[i]);
        testutil_fitness_free(x);
    }
    /* Scaled: a + b * x fits y = x + 1 exactly. */
    struct testutil_fitness *x =
        load_ok("scaled.ini", "[data]\ntrain = xy.csv\n");
    double s, e[4] = {9, 9, 9, 9};
    assert_int_equal(score_cases(x, "x", &s, e), EVAL_OK);
    for (int i = 0; i < 4; i++)
        assert_true(e[i] == 0.0);
    testutil_fitness_free(x);
    x = load_ok("par3.ini", "[fitness]\nfunction = boolean\n"
                            "[boolean]\nproblem = parity\nbits = 2\n"
                            "[primitives]\nfunctions = and, or, not\n"
                            "constants =\n");
    assert_int_equal(x->f.ncases, 4);
    /* Even-2-parity is true for cases 0 and 3; b0 is 1 in cases 1, 3. */
    assert_int_equal(score_cases(x, "b0", &s, e), EVAL_OK);
    static const double miss[4] = {1, 1, 0, 0};
    for (int i = 0; i < 4; i++)
        assert_true(e[i] == miss[i]);
    testutil_fitness_free(x);
}

/* Scores the program spec on the test data (plugin_test). */
static int score_test(struct testutil_fitness *x, const char *spec, double *s)
{
    struct tree t;
    assert_int_equal(tree_init(&t, 512), 0);
    build(&t, &x->ps, spec);
    int rc = plugin_test(x->pl, &t, s);
    tree_release(&t);
    return rc;
}

/* Expects program spec to score exactly want (EVAL_OK). */
static void expect_score(struct testutil_fitness *x, const char *spec,
                         double want)
{
    double s = NAN;
    assert_int_equal(score(x, spec, &s), EVAL_OK);
    if (s != want)
        fail_msg("%s: got %.17g, want %.17g", spec, s, want);
}

static void expect_test_score(struct testutil_fitness *x, const char *spec,
                              double want)
{
    double s = NAN;
    assert_int_equal(score_test(x, spec, &s), EVAL_OK);
    if (s != want)
        fail_msg("test %s: got %.17g, want %.17g", spec, s, want);
}

/* ---- regression ------------------------------------------------------- */

/* x = 0 1 2 3, y = x + 1: the program x misses every row by 1. */
static const char xy_csv[] = "x,y\n0,1\n1,2\n2,3\n3,4\n";

static void test_target_by_name(void **state)
{
    (void)state;
    write_file("xzy.csv", "x,z,y\n1,10,100\n2,20,200\n");
    struct testutil_fitness *x = load_ok("name.ini",
                           "[data]\ntrain = xzy.csv\ntarget = z\n"
                           "[fitness]\nlinear_scaling = no\n"
                           "[primitives]\nfunctions = add, mul, sin\n"
                           "constants = 1, 0..2\n");
    /* The variables: every other column, in file order. */
    assert_int_equal(x->ps.nvars, 2);
    assert_string_equal(x->ps.var_names[0], "x");
    assert_string_equal(x->ps.var_names[1], "y");
    assert_int_equal(x->ps.nfuncs, 3);
    assert_int_equal(x->ps.nconsts, 1);
    assert_int_equal(x->ps.nranges, 1);
    assert_string_equal(x->f.name, "regression");
    assert_string_equal(x->f.score_name, "mse");
    assert_ptr_equal(x->f.ctx, x->pl);
    assert_non_null(x->f.evaluate);
    assert_int_equal(x->f.maximise, 0);
    assert_int_equal(x->f.stochastic, 0);
    assert_int_equal(x->f.nscores, 1);
    /* Bound to the right columns: z = 10 20 is the target. */
    expect_score(x, "x", (81.0 + 324.0) / 2.0);
    expect_score(x, "y", (8100.0 + 32400.0) / 2.0);
    expect_score(x, "mul x 10", 0.0);
    /* No test data: nothing to test on. */
    double s = 5.0;
    assert_int_equal(score_test(x, "x", &s), -1);
    testutil_fitness_free(x);
}

/* [data] inputs: only those columns are variables, in the file's order,
 * bound to their own columns; names that are wrong are errors. */
static void test_inputs(void **state)
{
    (void)state;
    write_file("inputs.csv", "id,b,a,y\n7,1,10,100\n8,2,20,200\n");
    struct testutil_fitness *x = load_ok(
        "inputs.ini", "[data]\ntrain = inputs.csv\ninputs = a , b\n");
    assert_int_equal(x->ps.nvars, 2);
    assert_string_equal(x->ps.var_names[0], "b");
    assert_string_equal(x->ps.var_names[1], "a");
    expect_score(x, "mul a 10", 0.0);
    expect_score(x, "mul b 100", 0.0);
    testutil_fitness_free(x);

    load_fails("in1.ini", "[data]\ntrain = inputs.csv\ninputs = a, bb\n",
               "@/in1.ini:3: [data] inputs: no column 'bb' in "
               "'@/inputs.csv'; did you mean 'b'?");
    load_fails("in2.ini", "[data]\ntrain = inputs.csv\ninputs = a, y\n",
               "@/in2.ini:3: [data] inputs: 'y' is the target column of "
               "'@/inputs.csv', which cannot be an input too");
    load_fails("in3.ini", "[data]\ntrain = inputs.csv\ninputs = a, b, a\n",
               "@/in3.ini:3: [data] inputs: 'a' is listed twice");
    load_fails("in4.ini", "[data]\ntrain = inputs.csv\ninputs = a,, b\n",
               "@/in4.ini:3: [data] inputs: an empty name in the list (two "
               "commas, or one at an end)");

    /* More columns than variables may be: only the inputs count. */
    char *wide = malloc(20 * 1100);
    assert_non_null(wide);
    size_t n = 0;
    for (int j = 0; j < 1100; j++)
        n += (size_t)sprintf(wide + n, "%sc%d", j ? "," : "", j);
    n += (size_t)sprintf(wide + n, "\n");
    for (int j = 0; j < 1100; j++)
        n += (size_t)sprintf(wide + n, "%s%d", j ? "," : "", j);
    sprintf(wide + n, "\n");
    write_file("wide_in.csv", wide);
    free(wide);
    x = load_ok("wide_in.ini",
                "[data]\ntrain = wide_in.csv\ninputs = c5, c3\n");
    assert_int_equal(x->ps.nvars, 2);
    assert_string_equal(x->ps.var_names[0], "c3");
    assert_string_equal(x->ps.var_names[1], "c5");
    testutil_fitness_free(x);
}

static void test_target_default_last(void **state)
{
    (void)state;
    write_file("xzy2.csv", "x,z,y\n1,10,100\n2,20,300\n");
    struct testutil_fitness *x =
        load_ok("last.ini", "[data]\ntrain = xzy2.csv\n"
                            "[fitness]\nlinear_scaling = no\n");
    assert_int_equal(x->ps.nvars, 2);
    assert_string_equal(x->ps.var_names[0], "x");
    assert_string_equal(x->ps.var_names[1], "z");
    /* The config's defaults: add, sub, mul, div and -1..1. */
    assert_int_equal(x->ps.nfuncs, 4);
    assert_int_equal(x->ps.nconsts, 0);
    assert_int_equal(x->ps.nranges, 1);
    assert_string_equal(x->f.score_name, "mse");
    expect_score(x, "mul z 10", (0.0 + 100.0 * 100.0) / 2.0);
    testutil_fitness_free(x);
}

static void test_setup_errors(void **state)
{
    (void)state;
    write_file("train.csv", "x1,x2,target\n1,2,3\n4,5,6\n7,8,10\n");
    load_fails("miss.ini", "[data]\ntrain = train.csv\ntarget = targt\n",
               "@/miss.ini:3: [data] target: no column 'targt' in "
               "'@/train.csv'; did you mean 'target'?");
    load_fails("miss2.ini", "[data]\ntrain = train.csv\ntarget = zzzzzz\n",
               "@/miss2.ini:3: [data] target: no column 'zzzzzz' in "
               "'@/train.csv'");
    /* From the command line, the message cites the --set argument. */
    const char *const set_z[] = {"data.target=z"};
    load_fails_set("miss3.ini", "[data]\ntrain = train.csv\n", set_z, 1,
                   "--set data.target=z: no column 'z' in '@/train.csv'");
    const char *const set_t[] = {"data.target = x3"};
    load_fails_set("miss4.ini", "[data]\ntrain = train.csv\n", set_t, 1,
                   "--set data.target=x3: no column 'x3' in '@/train.csv'; "
                   "did you mean 'x1'?");

    /* No training data at all. */
    load_fails("notrain.ini", "[run]\nseed = 2\n",
               "@/notrain.ini: [data] train: required by fitness "
               "'regression': the training data CSV");

    /* A test file whose columns differ in name, number or order. */
    write_file("test_names.csv", "a,b,target\n1,2,3\n");
    load_fails("names.ini",
               "[data]\ntrain = train.csv\ntest = test_names.csv\n",
               "@/names.ini:3: [data] test: '@/test_names.csv' has other "
               "columns than the training data '@/train.csv'");
    write_file("test_count.csv", "x1,x2\n1,2\n");
    load_fails("count.ini",
               "[data]\ntrain = train.csv\ntest = test_count.csv\n",
               "@/count.ini:3: [data] test: '@/test_count.csv' has other "
               "columns than the training data '@/train.csv'");
    write_file("test_order.csv", "x2,x1,target\n1,2,3\n");
    load_fails("order.ini",
               "[data]\ntrain = train.csv\ntest = test_order.csv\n",
               "@/order.ini:3: [data] test: '@/test_order.csv' has other "
               "columns than the training data '@/train.csv'");
    write_file("test_more.csv", "x1,x2,target,x3\n1,2,3,4\n");
    load_fails("more.ini",
               "[data]\ntrain = train.csv\ntest = test_more.csv\n",
               "@/more.ini:3: [data] test: '@/test_more.csv' has other "
               "columns than the training data '@/train.csv'");

    /* A constant target leaves r2 and nmse undefined (mse is fine). */
    write_file("const.csv", "x,y\n1,5\n2,5\n3,5\n");
    load_fails("const.ini", "[data]\ntrain = const.csv\n[fitness]\n"
                            "metric = r2\n",
               "@/const.ini:4: [fitness] metric: r2 is undefined: the "
               "target column 'y' of the training data '@/const.csv' is "
               "constant");
    load_fails("const2.ini", "[data]\ntrain = const.csv\n[fitness]\n"
                             "metric = nmse\n",
               "@/const2.ini:4: [fitness] metric: nmse is undefined: the "
               "target column 'y' of the training data '@/const.csv' is "
               "constant");
    /* Constant, though rounding leaves its squared deviations a tiny sum,
     * not 0 (r2 was -3.4e31). */
    write_file("const01.csv", "x,y\n1,0.1\n3,0.1\n5,0.1\n");
    load_fails("const01.ini", "[data]\ntrain = const01.csv\n[fitness]\n"
                              "metric = r2\n",
               "@/const01.ini:4: [fitness] metric: r2 is undefined: the "
               "target column 'y' of the training data '@/const01.csv' is "
               "constant");
    load_fails("const01n.ini", "[data]\ntrain = const01.csv\n[fitness]\n"
                               "metric = nmse\n",
               "@/const01n.ini:4: [fitness] metric: nmse is undefined: the "
               "target column 'y' of the training data '@/const01.csv' is "
               "constant");
    /* ... in the test file alone, too: the message names it. */
    write_file("xy.csv", xy_csv);
    write_file("xy_const.csv", "x,y\n1,2\n2,2\n");
    load_fails("const3.ini",
               "[data]\ntrain = xy.csv\ntest = xy_const.csv\n"
               "[fitness]\nmetric = r2\n",
               "@/const3.ini:5: [fitness] metric: r2 is undefined on the "
               "test data: the target column 'y' of '@/xy_const.csv' is "
               "constant");
    write_file("xy_const01.csv", "x,y\n1,0.1\n2,0.1\n4,0.1\n");
    load_fails("const5.ini",
               "[data]\ntrain = xy.csv\ntest = xy_const01.csv\n"
               "[fitness]\nmetric = nmse\n",
               "@/const5.ini:5: [fitness] metric: nmse is undefined on the "
               "test data: the target column 'y' of '@/xy_const01.csv' is "
               "constant");
    const char *const set_r2[] = {"fitness.metric=r2"};
    load_fails_set("const4.ini", "[data]\ntrain = const.csv\n", set_r2, 1,
                   "--set fitness.metric=r2: r2 is undefined: the target "
                   "column 'y' of the training data '@/const.csv' is "
                   "constant");
    /* Not constant, but the squares underflow to 0. */
    write_file("tiny.csv", "x,y\n1,1e-200\n2,2e-200\n");
    load_fails("tiny.ini", "[data]\ntrain = tiny.csv\n[fitness]\n"
                           "metric = r2\n",
               "@/tiny.ini:4: [fitness] metric: r2 is undefined: the "
               "squared deviations of the target column 'y' of "
               "'@/tiny.csv' do not sum to a finite, nonzero double");
    testutil_fitness_free(load_ok("tiny_mse.ini", "[data]\ntrain = tiny.csv\n"));
    testutil_fitness_free(
        load_ok("const_mse.ini", "[data]\ntrain = const.csv\n"));
    testutil_fitness_free(load_ok("const_mae.ini", "[data]\ntrain = const.csv\n"
                                     "[fitness]\nmetric = mae\n"));

    /* A classification metric is no regression metric. */
    load_fails("acc.ini", "[data]\ntrain = xy.csv\n[fitness]\n"
                          "metric = accuracy\n",
               "@/acc.ini:4: [fitness] metric: 'accuracy' is not a "
               "regression metric (mse, rmse, mae, nmse, r2)");

    /* Nothing beside the target; a column with a primitive's name. */
    write_file("one.csv", "y\n1\n2\n");
    load_fails("one.ini", "[data]\ntrain = one.csv\n",
               "fitness 'regression': '@/one.csv' has only one column: no "
               "inputs beside the target");
    /* The message names the file and the column. */
    write_file("sin.csv", "sin,y\n1,2\n2,3\n");
    load_fails("sin.ini", "[data]\ntrain = sin.csv\n",
               "@/sin.ini:2: [data] train: column 1 'sin' of '@/sin.csv' has "
               "the name of a function or constant; rename it");
    write_file("pi.csv", "x,pi,y\n1,2,3\n2,3,4\n");
    load_fails("pi.ini", "[data]\ntrain = pi.csv\n",
               "@/pi.ini:2: [data] train: column 2 'pi' of '@/pi.csv' has "
               "the name of a function or constant; rename it");
    write_file("e.csv", "e,y\n1,2\n3,4\n");
    const char *const set_e[] = {"data.train=@/e.csv"};
    load_fails_set("e.ini", "[run]\nseed = 1\n", set_e, 1,
                   "--set data.train=@/e.csv: column 1 'e' of '@/e.csv' has "
                   "the name of a function or constant; rename it");
    write_file("add.csv", "x,add,y\n1,2,3\n2,3,4\n");
    load_fails("add.ini",
               "[data]\ntrain = add.csv\n[fitness]\n"
               "function = classification\n",
               "@/add.ini:2: [data] train: column 2 'add' of '@/add.csv' has "
               "the name of a function or constant; rename it");
    /* ... unless it is the target, which is no variable. */
    write_file("sin_y.csv", "x,sin\n1,2\n2,3\n");
    testutil_fitness_free(load_ok("sin_y.ini", "[data]\ntrain = sin_y.csv\n"));

    /* A file that cannot be opened is cited at its key; the loader's
     * messages about what is in a file cite the file's own line. */
    load_fails("nofile.ini", "[data]\ntrain = no-such.csv\n",
               "@/nofile.ini:2: [data] train: cannot open '@/no-such.csv': "
               "No such file or directory");
    load_fails("notest.ini", "[data]\ntrain = xy.csv\ntest = no-test.csv\n",
               "@/notest.ini:3: [data] test: cannot open '@/no-test.csv': No "
               "such file or directory");
    const char *const set_nofile[] = {"data.train=@/gone.csv"};
    load_fails_set("nofile2.ini", "[data]\ntrain = xy.csv\n", set_nofile, 1,
                   "--set data.train=@/gone.csv: cannot open '@/gone.csv': "
                   "No such file or directory");
    load_fails("nofile3.ini", "[data]\ntrain = xy.csv\ntest = .\n",
               "@/nofile3.ini:3: [data] test: cannot read '@/.': Is a "
               "directory");
    /* More input columns than variables: said before any name is looked
     * at (even a target that is not there). */
    char *wide = malloc(1100 * 8 + 64);
    assert_non_null(wide);
    size_t wlen = 0;
    for (int j = 0; j < 1100; j++)
        wlen += (size_t)sprintf(wide + wlen, "%sc%d", j ? "," : "", j);
    wide[wlen++] = '\n';
    for (int j = 0; j < 1100; j++)
        wlen += (size_t)sprintf(wide + wlen, "%s1", j ? "," : "");
    strcpy(wide + wlen, "\n");
    write_file("wide.csv", wide);
    free(wide);
    load_fails("wide.ini", "[data]\ntrain = wide.csv\ntarget = nope\n",
               "fitness 'regression': '@/wide.csv' has more than 1024 input "
               "columns");
    write_file("bad.csv", "x,y\n1,2\n3\n");
    load_fails("badcsv.ini", "[data]\ntrain = bad.csv\n",
               "@/bad.csv:3: expected 2 fields, got 1");
}

static void test_metrics(void **state)
{
    (void)state;
    write_file("xy.csv", xy_csv);
    const struct {
        const char *metric;
        int maximise;
        double want_x;   /* program x: errors -1 -1 -1 -1 */
        double want_mul; /* program 2x: errors -1 0 1 2 */
        double want_ok;  /* program x + 1: no error */
    } cases[] = {
        /* ss_tot: y = 1 2 3 4, mean 2.5: 2.25 + 0.25 + 0.25 + 2.25 = 5 */
        {"mse", 0, 1.0, 6.0 / 4.0, 0.0},
        {"rmse", 0, 1.0, sqrt(6.0 / 4.0), 0.0},
        {"mae", 0, 1.0, 4.0 / 4.0, 0.0},
        {"nmse", 0, 4.0 / 5.0, 6.0 / 5.0, 0.0},
        {"r2", 1, 1.0 - 4.0 / 5.0, 1.0 - 6.0 / 5.0, 1.0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char ini[256];
        snprintf(ini, sizeof ini,
                 "[data]\ntrain = xy.csv\n[fitness]\nmetric = %s\n"
                 "linear_scaling = no\n",
                 cases[k].metric);
        struct testutil_fitness *x = load_ok("metric.ini", ini);
        /* Maximised for r2 only; the metric names the score. */
        assert_int_equal(x->f.maximise, cases[k].maximise);
        assert_string_equal(x->f.score_name, cases[k].metric);
        expect_score(x, "x", cases[k].want_x);
        expect_score(x, "mul x 2", cases[k].want_mul);
        expect_score(x, "add x 1", cases[k].want_ok);
        testutil_fitness_free(x);
    }
    /* The metric from the command line, over the file's. */
    const char *const sets[] = {"fitness.metric=r2"};
    struct error err;
    struct testutil_fitness *x = load("metric_set.ini",
                        "[data]\ntrain = xy.csv\n[fitness]\nmetric = mae\n"
                        "linear_scaling = no\n",
                        sets, 1, &err);
    assert_non_null(x->pl);
    assert_int_equal(x->f.maximise, 1);
    assert_string_equal(x->f.score_name, "r2");
    expect_score(x, "x", 1.0 - 4.0 / 5.0);
    testutil_fitness_free(x);
}

/* Scores spec and checks the scaling the evaluation reported. */
static void expect_scaled(struct testutil_fitness *x, const char *spec,
                          double want, double intercept, double slope)
{
    struct tree t;
    struct rng r;
    assert_int_equal(tree_init(&t, 512), 0);
    build(&t, &x->ps, spec);
    rng_seed(&r, 1, 1);
    double s = NAN;
    struct scaling sc = {0, NAN, NAN};
    const struct tree *tuned;
    assert_int_equal(x->f.evaluate(x->f.ctx, &t, &r, &s, &sc, &tuned, NULL), EVAL_OK);
    tree_release(&t);
    if (s != want || !sc.on || sc.intercept != intercept ||
        sc.slope != slope)
        fail_msg("%s: got %.17g (on %d, a %.17g, b %.17g), want %.17g "
                 "(a %.17g, b %.17g)",
                 spec, s, sc.on, sc.intercept, sc.slope, want, intercept,
                 slope);
}

/* Linear scaling: the output o scored as a + b*o, a and b the least-
 * squares fit, by default for the least-squares metrics. */
static void test_linear_scaling(void **state)
{
    (void)state;
    write_file("xy.csv", xy_csv);
    struct testutil_fitness *x =
        load_ok("ls.ini", "[data]\ntrain = xy.csv\n");
    /* y = x + 1: x and 2x are exact once scaled. */
    expect_scaled(x, "x", 0.0, 1.0, 1.0);
    expect_scaled(x, "mul x 2", 0.0, 1.0, 0.5);
    expect_scaled(x, "mul x -4", 0.0, 1.0, -0.25);
    /* A constant scores as the mean predictor: b = 0, a = mean y. */
    expect_scaled(x, "1", 5.0 / 4.0, 2.5, 0.0);
    expect_scaled(x, "sub x x", 5.0 / 4.0, 2.5, 0.0);
    /* A non-finite output cannot be scaled: invalid. */
    double s;
    assert_int_equal(score(x, "exp mul x 1000", &s), EVAL_INVALID);
    testutil_fitness_free(x);

    /* r2 of a scaled exact program is 1; nmse 0. */
    x = load_ok("ls_r2.ini", "[data]\ntrain = xy.csv\n[fitness]\n"
                             "metric = r2\n");
    expect_scaled(x, "mul x 3", 1.0, 1.0, 1.0 / 3.0);
    testutil_fitness_free(x);

    /* Off on request, and off by default for mae. */
    x = load_ok("ls_no.ini", "[data]\ntrain = xy.csv\n[fitness]\n"
                             "linear_scaling = no\n");
    expect_score(x, "x", 1.0);
    testutil_fitness_free(x);
    x = load_ok("ls_mae.ini", "[data]\ntrain = xy.csv\n[fitness]\n"
                              "metric = mae\n");
    expect_score(x, "x", 1.0);
    testutil_fitness_free(x);
    load_fails("ls_mae_yes.ini",
               "[data]\ntrain = xy.csv\n[fitness]\nmetric = mae\n"
               "linear_scaling = yes\n",
               "@/ls_mae_yes.ini:5: [fitness] linear_scaling: yes needs a "
               "least-squares metric (mse, rmse, nmse, r2), not mae");

    /* The test data is scored with the training data's a and b. */
    write_file("ls_tr.csv", "x,y\n0,1\n1,3\n2,5\n");
    write_file("ls_te.csv", "x,y\n10,21\n20,40\n");
    x = load_ok("ls_tt.ini", "[data]\ntrain = ls_tr.csv\n"
                             "test = ls_te.csv\n");
    expect_scaled(x, "x", 0.0, 1.0, 2.0);
    /* 1 + 2x: 21 and 41, errors 0 and 1. */
    expect_test_score(x, "x", 0.5);
    testutil_fitness_free(x);

    /* Other fitness functions do not scale: the key is refused. */
    write_file("ls_cls.csv", "x,c\n0,0\n1,1\n");
    load_fails("ls_cls.ini",
               "[data]\ntrain = ls_cls.csv\n[fitness]\n"
               "function = classification\nlinear_scaling = yes\n",
               "@/ls_cls.ini:5: [fitness] linear_scaling: fitness "
               "'classification' does not use it");
}

/* [optimize] method = lm: the evaluation tunes the program's constants
 * and reports the tuned program, whose score it gives. */
static void test_optimize(void **state)
{
    (void)state;
    write_file("opt.csv", "x,y\n0,0.3\n1,2.8\n2,5.3\n3,7.8\n");
    struct testutil_fitness *x =
        load_ok("opt.ini", "[data]\ntrain = opt.csv\n[fitness]\n"
                           "linear_scaling = no\n[optimize]\nmethod = lm\n"
                           "[primitives]\nfunctions = add, mul\n");
    /* y = 2.5 x + 0.3, from constants 1 and 1. */
    struct tree t;
    struct rng r;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, &x->ps, "add mul x 1 1");
    rng_seed(&r, 1, 1);
    double s = NAN;
    struct scaling sc;
    const struct tree *tuned = NULL;
    assert_int_equal(x->f.evaluate(x->f.ctx, &t, &r, &s, &sc, &tuned, NULL),
                     EVAL_OK);
    assert_non_null(tuned);
    assert_true(s < 1e-20);
    assert_true(fabs(tuned->nodes[3].value - 2.5) < 1e-9);
    assert_true(fabs(tuned->nodes[4].value - 0.3) < 1e-9);
    /* The program it was given is left as it was. */
    assert_true(t.nodes[3].value == 1.0 && t.nodes[4].value == 1.0);
    tree_release(&t);
    testutil_fitness_free(x);

    /* Without it, nothing is tuned. */
    x = load_ok("opt_none.ini", "[data]\ntrain = opt.csv\n");
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, &x->ps, "add mul x 1 1");
    tuned = &t;
    assert_int_equal(x->f.evaluate(x->f.ctx, &t, &r, &s, &sc, &tuned, NULL),
                     EVAL_OK);
    assert_null(tuned);
    tree_release(&t);
    testutil_fitness_free(x);

    /* mae is not least squares; a boolean problem has no constants to
     * fit. */
    load_fails("opt_mae.ini",
               "[data]\ntrain = opt.csv\n[fitness]\nmetric = mae\n"
               "[optimize]\nmethod = lm\n",
               "@/opt_mae.ini:6: [optimize] method: lm needs a "
               "least-squares metric (mse, rmse, nmse, r2), not mae");
    load_fails("opt_bool.ini",
               "[fitness]\nfunction = boolean\n[optimize]\nmethod = lm\n",
               "@/opt_bool.ini:4: [optimize] method: fitness 'boolean' "
               "does not use it");
}

/* Non-finite predictions, or a score that overflows, are invalid. */
static void test_invalid(void **state)
{
    (void)state;
    write_file("xy.csv", xy_csv);
    struct testutil_fitness *x = load_ok("inv.ini", "[data]\ntrain = xy.csv\n"
                                      "[fitness]\nlinear_scaling = no\n"
                                      "[primitives]\n"
                                      "functions = add, sub, mul, div, neg, "
                                      "exp, log\n");
    double s = 123.0;
    /* inf on rows 1..3 (exp(1000)), NaN (0 * inf), -inf. */
    assert_int_equal(score(x, "exp mul x 1000", &s), EVAL_INVALID);
    assert_int_equal(score(x, "mul 0 exp mul x 1000", &s), EVAL_INVALID);
    assert_int_equal(score(x, "neg exp mul x 1000", &s), EVAL_INVALID);
    assert_int_equal(score(x, "sub exp 1000 exp 1000", &s), EVAL_INVALID);
    /* Finite predictions whose squares overflow: mse is inf. */
    assert_int_equal(score(x, "mul x 1e200", &s), EVAL_INVALID);
    /* Division by 0 and log(0) are not finite: invalid; aq, the analytic
     * quotient, never divides by 0. */
    assert_int_equal(score(x, "div x 0", &s), EVAL_INVALID);
    assert_int_equal(score(x, "add x log 0", &s), EVAL_INVALID);
    assert_int_equal(score(x, "aq x 0", &s), EVAL_OK);
    testutil_fitness_free(x);

    /* The mae of the same program is finite: valid. */
    x = load_ok("inv_mae.ini", "[data]\ntrain = xy.csv\n[fitness]\n"
                               "metric = mae\n");
    assert_int_equal(score(x, "mul x 1e200", &s), EVAL_OK);
    assert_true(isfinite(s) && s > 1e200);
    testutil_fitness_free(x);

    /* r2 of the same: 1 - inf is invalid as well. */
    x = load_ok("inv_r2.ini", "[data]\ntrain = xy.csv\n[fitness]\n"
                              "metric = r2\nlinear_scaling = no\n");
    assert_int_equal(score(x, "mul x 1e200", &s), EVAL_INVALID);
    testutil_fitness_free(x);
}

/* Scores over several blocks: the sums run in row order, and a bad value
 * in the last row of the last block is still seen. */
static void test_many_rows(void **state)
{
    (void)state;
    enum { N = 2 * INTERP_BLOCK + 88 };
    char *csv = malloc(N * 40 + 16);
    assert_non_null(csv);
    size_t len = (size_t)sprintf(csv, "x,y\n");
    for (int i = 0; i < N; i++)
        len +=
            (size_t)sprintf(csv + len, "%d,%d\n", 111 + i, (i * 7919) % 1000);
    write_file("many.csv", csv);
    free(csv);
    struct testutil_fitness *x =
        load_ok("many.ini", "[data]\ntrain = many.csv\n"
                            "[fitness]\nlinear_scaling = no\n");

    /* mse of 1.1 x, summed in row order by hand. */
    double sse = 0.0;
    for (int i = 0; i < N; i++) {
        double e =
            interp_apply(OP_MUL, 111.0 + i, 1.1) - (double)((i * 7919) % 1000);
        sse += e * e;
    }
    expect_score(x, "mul x 1.1", sse / N);
    /* y - x is -111 - i + ((i * 7919) % 1000): mse of x is known too. */
    sse = 0.0;
    for (int i = 0; i < N; i++) {
        double e = (111.0 + i) - (double)((i * 7919) % 1000);
        sse += e * e;
    }
    expect_score(x, "x", sse / N);
    testutil_fitness_free(x);

    /* x runs 111 .. 710: exp(x) overflows in the last row only. */
    assert_int_equal(111 + N - 1, 710);
    x = load_ok("many_mae.ini", "[data]\ntrain = many.csv\n[fitness]\n"
                                "metric = mae\n[primitives]\n"
                                "functions = sub, exp\n");
    double s;
    assert_int_equal(score(x, "exp x", &s), EVAL_INVALID);
    assert_int_equal(score(x, "exp sub x 1", &s), EVAL_OK);
    assert_true(isfinite(s));
    testutil_fitness_free(x);
}

/* The test data is bound with the same variables and scored apart. */
static void test_test_data(void **state)
{
    (void)state;
    write_file("tr.csv", "a,b,y\n0,5,1\n1,5,2\n2,5,3\n");
    write_file("te.csv", "a,b,y\n10,0,10\n20,0,22\n");
    struct testutil_fitness *x =
        load_ok("tt.ini", "[data]\ntrain = tr.csv\ntest = te.csv\n"
                          "[fitness]\nmetric = mae\n");
    expect_score(x, "a", 1.0);
    expect_test_score(x, "a", 1.0); /* |10 - 10| + |20 - 22| over 2 */
    expect_score(x, "add a b", 4.0);
    expect_test_score(x, "add a b", 1.0);
    double s;
    assert_int_equal(score_test(x, "mul a 1e300", &s), EVAL_OK);
    assert_int_equal(score_test(x, "aq 1 sub a a", &s), EVAL_OK);
    assert_int_equal(score_test(x, "div 1 sub a a", &s), EVAL_INVALID);
    testutil_fitness_free(x);

    /* r2 on the test data uses the test data's own mean: 16, ss 72. */
    x = load_ok("tt_r2.ini", "[data]\ntrain = tr.csv\ntest = te.csv\n"
                             "[fitness]\nmetric = r2\n"
                             "linear_scaling = no\n");
    expect_test_score(x, "a", 1.0 - 4.0 / 72.0);
    expect_score(x, "add a 1", 1.0);
    assert_int_equal(score_test(x, "mul a 1e300", &s), EVAL_INVALID);
    testutil_fitness_free(x);
}

/* ---- classification ----------------------------------------------------- */

/* Two classes, labels 7 and 3 (sorted: 3 is class 0, 7 class 1): an
 * output > 0 is the larger label. */
static void test_two_classes(void **state)
{
    (void)state;
    write_file("two.csv", "o,label\n-1,3\n0,3\n0.25,7\n3,7\n-0.5,7\n");
    struct testutil_fitness *x = load_ok("two.ini", "[data]\ntrain = two.csv\n"
                                      "[fitness]\n"
                                      "function = classification\n");
    assert_string_equal(x->f.name, "classification");
    /* The default metric of classification, maximised. */
    assert_string_equal(x->f.score_name, "accuracy");
    assert_int_equal(x->f.maximise, 1);
    assert_int_equal(x->f.nscores, 1);
    assert_int_equal(x->ps.nvars, 1);
    assert_string_equal(x->ps.var_names[0], "o");
    /* o: -1 0 .25 3 -.5 → 3 3 7 7 3: the last row is wrong. */
    expect_score(x, "o", 4.0 / 5.0);
    /* -o: 1 -0 -.25 -3 .5 → 7 3 3 3 7: rows 2 and 5 are right. */
    expect_score(x, "sub 0 o", 2.0 / 5.0);
    /* Constants: all 3 (0 is not > 0), all 7. */
    expect_score(x, "0", 2.0 / 5.0);
    expect_score(x, "1e-300", 3.0 / 5.0);
    expect_score(x, "-1e300", 2.0 / 5.0);
    /* inf is an output like any other; NaN is invalid. */
    expect_score(x, "div 1 0", 3.0 / 5.0); /* protected: 1 */
    double s;
    assert_int_equal(score(x, "mul 1e300 1e300", &s), EVAL_OK);
    assert_true(s == 3.0 / 5.0);
    assert_int_equal(score(x, "sub mul 1e300 1e300 mul 1e300 1e300", &s),
                     EVAL_INVALID);
    testutil_fitness_free(x);
}

/* Three classes: class clamp(ceil(o), 0, 2), so o <= 0 is class 0, 0 < o
 * <= 1 class 1 and o > 1 class 2, however far beyond. */
static void test_three_classes(void **state)
{
    (void)state;
    write_file("three.csv", "o,label\n"
                            "-5,10\n-0,10\n0,10\n"
                            "1e-9,20\n0.5,20\n1,20\n"
                            "1.000001,30\n2,30\n7,30\n1e300,30\n");
    struct testutil_fitness *x =
        load_ok("three.ini", "[data]\ntrain = three.csv\n"
                             "[fitness]\n"
                             "function = classification\n"
                             "metric = accuracy\n"
                             "[primitives]\n"
                             "functions = add, mul, exp\n");
    expect_score(x, "o", 1.0);
    /* o - 1: every row of class 1 and 2 falls a class, but not below 0:
     * right on the three of class 0, and on 7 and 1e300. */
    expect_score(x, "add o -1", 5.0 / 10.0);
    /* exp(1000 o): 0 1 1 1.000001 e^500 inf inf inf inf inf → 0 1 1 2 2 2
     * 2 2 2 2: rows 1, 7, 8, 9 and 10 are right. */
    expect_score(x, "exp mul o 1000", 5.0 / 10.0);
    /* NaN (0 * inf) is invalid. */
    double s;
    assert_int_equal(score(x, "mul 0 exp mul o 1000", &s), EVAL_INVALID);
    testutil_fitness_free(x);
}

/* Accuracy and balanced accuracy (the mean of the per-class recalls) on a
 * hand example: six rows of class 0 (four right), two of class 1 (one
 * right). */
static void test_accuracy_metrics(void **state)
{
    (void)state;
    write_file("bal.csv", "o,y\n-1,0\n-1,0\n-1,0\n-1,0\n1,0\n1,0\n"
                          "1,1\n-1,1\n");
    write_file("bal_test.csv", "o,y\n1,1\n1,1\n1,1\n-1,1\n-1,0\n");
    struct testutil_fitness *x = load_ok("acc.ini", "[data]\ntrain = bal.csv\n"
                                      "test = bal_test.csv\n"
                                      "[fitness]\n"
                                      "function = classification\n"
                                      "metric = accuracy\n");
    assert_string_equal(x->f.score_name, "accuracy");
    expect_score(x, "o", 5.0 / 8.0);
    expect_score(x, "0", 6.0 / 8.0);
    expect_score(x, "1", 2.0 / 8.0);
    expect_test_score(x, "o", 4.0 / 5.0);
    expect_test_score(x, "0", 1.0 / 5.0);
    testutil_fitness_free(x);

    x = load_ok("bal.ini", "[data]\ntrain = bal.csv\ntest = bal_test.csv\n"
                           "[fitness]\nfunction = classification\n"
                           "metric = balanced_accuracy\n");
    assert_string_equal(x->f.score_name, "balanced_accuracy");
    assert_int_equal(x->f.maximise, 1);
    expect_score(x, "o", (4.0 / 6.0 + 1.0 / 2.0) / 2.0);
    /* Always the majority class: accuracy 0.75, balanced 0.5. */
    expect_score(x, "0", (1.0 + 0.0) / 2.0);
    expect_score(x, "1", (0.0 + 1.0) / 2.0);
    /* On the test data, with its own class counts. */
    expect_test_score(x, "o", (1.0 + 3.0 / 4.0) / 2.0);
    expect_test_score(x, "0", (1.0 + 0.0) / 2.0);
    testutil_fitness_free(x);

    /* A test set with one class only: the recall of the classes present. */
    write_file("bal_one.csv", "o,y\n1,1\n-1,1\n1,1\n");
    x = load_ok("bal1.ini", "[data]\ntrain = bal.csv\ntest = bal_one.csv\n"
                            "[fitness]\nfunction = classification\n"
                            "metric = balanced_accuracy\n");
    expect_test_score(x, "o", 2.0 / 3.0);
    testutil_fitness_free(x);
}

static void test_classification_errors(void **state)
{
    (void)state;
    write_file("cls.csv", "x,y\n1,0\n2,1\n3,2\n");
    load_fails("cls_mse.ini", "[data]\ntrain = cls.csv\n[fitness]\n"
                              "function = classification\nmetric = mse\n",
               "@/cls_mse.ini:5: [fitness] metric: 'mse' is not a "
               "classification metric (accuracy, balanced_accuracy)");
    const char *const set_r2[] = {"fitness.metric=r2"};
    load_fails_set("cls_r2.ini", "[data]\ntrain = cls.csv\n[fitness]\n"
                                 "function = classification\n",
                   set_r2, 1,
                   "--set fitness.metric=r2: 'r2' is not a classification "
                   "metric (accuracy, balanced_accuracy)");
    /* A label of the test data that the training data lacks: its line,
     * column and value. */
    write_file("cls_te.csv", "x,y\n1,0\n2,1\n2,0.1\n3,1.5\n");
    load_fails("cls_unseen.ini",
               "[data]\ntrain = cls.csv\ntest = cls_te.csv\n"
               "[fitness]\nfunction = classification\n",
               "@/cls_unseen.ini:3: [data] test: '@/cls_te.csv' line 4, "
               "column 2 'y': class label 0.1 does not occur in the training "
               "data '@/cls.csv'");
    write_file("cls_te2.csv", "y,x\n-7,1\n");
    write_file("cls2.csv", "y,x\n1,1\n2,2\n");
    load_fails("cls_unseen2.ini",
               "[data]\ntrain = cls2.csv\ntest = cls_te2.csv\ntarget = y\n"
               "[fitness]\nfunction = classification\n",
               "@/cls_unseen2.ini:3: [data] test: '@/cls_te2.csv' line 2, "
               "column 1 'y': class label -7 does not occur in the training "
               "data '@/cls2.csv'");
    /* One class is no classification; the key is at its default. */
    write_file("cls_one.csv", "x,y\n1,4\n2,4\n");
    load_fails("cls_one.ini",
               "[data]\ntrain = cls_one.csv\n"
               "[fitness]\nfunction = classification\n",
               "@/cls_one.ini: [data] target: column 'y' has only one "
               "class");
    /* At most 64 classes. */
    char csv[2048];
    size_t len = (size_t)sprintf(csv, "x,y\n");
    for (int i = 0; i < 65; i++)
        len += (size_t)sprintf(csv + len, "%d,%d\n", i, i);
    write_file("cls_65.csv", csv);
    load_fails("cls_65.ini",
               "[data]\ntrain = cls_65.csv\ntarget = y\n"
               "[fitness]\nfunction = classification\n",
               "@/cls_65.ini:3: [data] target: column 2 'y' of "
               "'@/cls_65.csv' has more than 64 classes (the 65th, 64, is on "
               "line 66)");
    csv[len - strlen("64,64\n")] = '\0';
    write_file("cls_64.csv", csv);
    struct testutil_fitness *x = load_ok("cls_64.ini",
                           "[data]\ntrain = cls_64.csv\n"
                           "[fitness]\nfunction = classification\n");
    expect_score(x, "x", 1.0);
    expect_score(x, "1e300", 1.0 / 64.0);
    testutil_fitness_free(x);
}

/* ---- boolean ------------------------------------------------------------ */

/* The program that selects data bit d[address], testing address bits
 * a{k}..a0 (address so far: addr). */
static void mux_program(char *out, size_t cap, int k, int addr)
{
    size_t n = strlen(out);
    if (k < 0) {
        snprintf(out + n, cap - n, "d%d ", addr);
        return;
    }
    snprintf(out + n, cap - n, "if a%d ", k);
    mux_program(out, cap, k - 1, addr | 1 << k);
    mux_program(out, cap, k - 1, addr);
}

/* The xor of b{from}..b{n-1}, as if(a, not rest, rest). */
static void xor_program(char *out, size_t cap, int from, int n)
{
    size_t len = strlen(out);
    if (from == n - 1) {
        snprintf(out + len, cap - len, "b%d ", from);
        return;
    }
    snprintf(out + len, cap - len, "if b%d not ", from);
    xor_program(out, cap, from + 1, n);
    xor_program(out, cap, from + 1, n);
}

static void test_multiplexer6(void **state)
{
    (void)state;
    struct testutil_fitness *x = load_ok("mux6.ini",
                           "[fitness]\nfunction = boolean\n"
                           "[boolean]\nproblem = multiplexer\nbits = 2\n"
                           "[primitives]\nfunctions = and, or, not, if\n"
                           "constants =\n");
    assert_string_equal(x->f.name, "boolean");
    assert_string_equal(x->f.score_name, "hits");
    assert_int_equal(x->f.maximise, 1);
    assert_int_equal(x->f.nscores, 1);
    /* a0 a1, then d0..d3. */
    assert_int_equal(x->ps.nvars, 6);
    const char *names[] = {"a0", "a1", "d0", "d1", "d2", "d3"};
    for (int k = 0; k < 6; k++)
        assert_string_equal(x->ps.var_names[k], names[k]);
    assert_int_equal(x->ps.nfuncs, 4);
    assert_int_equal(x->ps.nconsts + x->ps.nranges, 0);
    /* Koza's solution: all 64 cases. */
    expect_score(x, "if a0 if a1 d3 d1 if a1 d2 d0", 64.0);
    char prog[256] = "";
    mux_program(prog, sizeof prog, 1, 0);
    expect_score(x, prog, 64.0);
    /* Constants: half the cases either way. */
    expect_score(x, "0", 32.0);
    expect_score(x, "1", 32.0);
    expect_score(x, "-2.5", 32.0);
    /* d0 is right when the address is 0, and half the time otherwise. */
    expect_score(x, "d0", 16.0 + 24.0);
    /* The address bits swapped: right for addresses 0 and 3, half of 1
     * and 2. */
    expect_score(x, "if a1 if a0 d3 d1 if a0 d2 d0", 32.0 + 16.0);
    expect_score(x, "not if a0 if a1 d3 d1 if a1 d2 d0", 0.0);
    /* No test data. */
    double s;
    assert_int_equal(score_test(x, "d0", &s), -1);
    testutil_fitness_free(x);

    /* The defaults: the 6-multiplexer. */
    x = load_ok("mux_def.ini", "[fitness]\nfunction = boolean\n"
                               "[primitives]\nfunctions = if\n");
    assert_int_equal(x->ps.nvars, 6);
    assert_int_equal(x->ps.nranges, 1); /* [primitives] constants' */
    expect_score(x, "if a0 if a1 d3 d1 if a1 d2 d0", 64.0);
    testutil_fitness_free(x);
}

static void test_multiplexer11(void **state)
{
    (void)state;
    struct testutil_fitness *x = load_ok("mux11.ini",
                           "[fitness]\nfunction = boolean\n"
                           "[boolean]\nbits = 3\n"
                           "[primitives]\nfunctions = and, or, not, if\n"
                           "constants = 0, 1\n");
    assert_int_equal(x->ps.nvars, 11);
    assert_string_equal(x->ps.var_names[0], "a0");
    assert_string_equal(x->ps.var_names[2], "a2");
    assert_string_equal(x->ps.var_names[3], "d0");
    assert_string_equal(x->ps.var_names[10], "d7");
    char prog[512] = "";
    mux_program(prog, sizeof prog, 2, 0);
    expect_score(x, prog, 2048.0);
    expect_score(x, "1", 1024.0);
    expect_score(x, "d7", 256.0 + 7.0 * 128.0);
    testutil_fitness_free(x);

    /* 20 inputs at most: the 20-multiplexer (4 + 16). */
    x = load_ok("mux20.ini", "[fitness]\nfunction = boolean\n"
                             "[boolean]\nbits = 4\n"
                             "[primitives]\nfunctions = if\n");
    assert_int_equal(x->ps.nvars, 20);
    assert_string_equal(x->ps.var_names[19], "d15");
    expect_score(x, "0", 524288.0);
    testutil_fitness_free(x);
}

static void test_parity(void **state)
{
    (void)state;
    struct testutil_fitness *x = load_ok("par5.ini",
                           "[fitness]\nfunction = boolean\n"
                           "[boolean]\nproblem = parity\n"
                           "[primitives]\nfunctions = and, or, not, if\n"
                           "constants =\n");
    /* Even-5-parity by default: b0..b4, 32 cases, 16 of them true. */
    assert_int_equal(x->ps.nvars, 5);
    for (int k = 0; k < 5; k++) {
        char name[16];
        snprintf(name, sizeof name, "b%d", k);
        assert_string_equal(x->ps.var_names[k], name);
    }
    char odd[1024] = "";
    xor_program(odd, sizeof odd, 0, 5);
    char even[1100];
    snprintf(even, sizeof even, "not %s", odd);
    expect_score(x, even, 32.0);
    expect_score(x, odd, 0.0);
    expect_score(x, "1", 16.0);
    expect_score(x, "0", 16.0);
    /* b0 agrees with even parity in half the cases. */
    expect_score(x, "b0", 16.0);
    testutil_fitness_free(x);

    x = load_ok("par3.ini", "[fitness]\nfunction = boolean\n"
                            "[boolean]\nproblem = parity\nbits = 3\n"
                            "[primitives]\nfunctions = not, if\n");
    assert_int_equal(x->ps.nvars, 3);
    odd[0] = '\0';
    xor_program(odd, sizeof odd, 0, 3);
    snprintf(even, sizeof even, "not %s", odd);
    expect_score(x, even, 8.0);
    expect_score(x, "1", 4.0);
    testutil_fitness_free(x);

    /* One input: even-1-parity is not b0. */
    x = load_ok("par1.ini", "[fitness]\nfunction = boolean\n"
                            "[boolean]\nproblem = parity\nbits = 1\n"
                            "[primitives]\nfunctions = not\n");
    expect_score(x, "not b0", 2.0);
    expect_score(x, "b0", 0.0);
    testutil_fitness_free(x);
}

static void test_boolean_errors(void **state)
{
    (void)state;
    load_fails("b_problem.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nproblem = bogus\n",
               "@/b_problem.ini:4: [boolean] problem: expected multiplexer "
               "or parity, got 'bogus'");
    load_fails("b_bits.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nproblem = multiplexer\nbits = 5\n",
               "@/b_bits.ini:5: [boolean] bits: expected 1..4, got 5");
    load_fails("b_bits0.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nbits = 0\n",
               "@/b_bits0.ini:4: [boolean] bits: expected 1..4, got 0");
    load_fails("b_par21.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nproblem = parity\nbits = 21\n",
               "@/b_par21.ini:5: [boolean] bits: expected 1..20, got 21");
    load_fails("b_bitsx.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nbits = two\n",
               "@/b_bitsx.ini:4: [boolean] bits: expected an integer, got "
               "'two'");
    const char *const set_bits[] = {"boolean.bits=9"};
    load_fails_set("b_set.ini", "[fitness]\nfunction = boolean\n", set_bits,
                   1, "--set boolean.bits=9: expected 1..4, got 9");

    /* A key of [boolean] that nobody reads; a misspelt section. */
    load_fails("b_key.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nproblem = parity\nbitz = 3\n",
               "@/b_key.ini:5: [boolean] unknown key 'bitz'; did you mean "
               "'bits'?");
    load_fails("b_key2.ini",
               "[fitness]\nfunction = boolean\n"
               "[boolean]\nwhatever = 3\n",
               "@/b_key2.ini:4: [boolean] unknown key 'whatever'");
    const char *const set_key[] = {"boolean.problme=parity"};
    load_fails_set("b_key3.ini", "[fitness]\nfunction = boolean\n", set_key,
                   1,
                   "--set boolean.problme=parity: [boolean] unknown key "
                   "'problme'; did you mean 'problem'?");
    load_fails("b_section.ini",
               "[fitness]\nfunction = boolean\n"
               "[bolean]\nbits = 3\n",
               "@/b_section.ini:3: unknown section [bolean]; did you mean "
               "[boolean]?");
    /* Keys that boolean does not read, set by the user: each an error at
     * its place, not a silent default. */
    load_fails("b_train.ini",
               "[fitness]\nfunction = boolean\n"
               "[data]\ntrain = /nonexistent.csv\n",
               "@/b_train.ini:4: [data] train: fitness 'boolean' does not "
               "use it");
    load_fails("b_metric.ini",
               "[fitness]\nfunction = boolean\nmetric = mse\n",
               "@/b_metric.ini:3: [fitness] metric: fitness 'boolean' does "
               "not use it");
    const char *const set_unused[] = {"data.target=zz", "fitness.metric=mse"};
    load_fails_set("b_unused.ini", "[fitness]\nfunction = boolean\n",
                   set_unused, 2,
                   "--set data.target=zz: fitness 'boolean' does not use it");
    /* What a run folder's config.ini (every key written) holds passes. */
    struct testutil_fitness *x =
        load_ok("b_dump.ini", "[data]\ntrain =\ntest =\ntarget =\n"
                              "[fitness]\nfunction = boolean\nmetric = auto\n"
                              "target_fitness = 64\n");
    testutil_fitness_free(x);

    /* [boolean] is no section of regression's. */
    write_file("xy.csv", xy_csv);
    load_fails("b_reg.ini",
               "[data]\ntrain = xy.csv\n"
               "[boolean]\nbits = 3\n",
               "@/b_reg.ini:3: unknown section [boolean] (the sections are "
               "run, data, fitness, primitives, tree, operators, output and "
               "regression)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_by_name),
        cmocka_unit_test(test_target_default_last),
        cmocka_unit_test(test_inputs),
        cmocka_unit_test(test_setup_errors),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_case_errors),
        cmocka_unit_test(test_linear_scaling),
        cmocka_unit_test(test_optimize),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_test_data),
        cmocka_unit_test(test_two_classes),
        cmocka_unit_test(test_three_classes),
        cmocka_unit_test(test_accuracy_metrics),
        cmocka_unit_test(test_classification_errors),
        cmocka_unit_test(test_multiplexer6),
        cmocka_unit_test(test_multiplexer11),
        cmocka_unit_test(test_parity),
        cmocka_unit_test(test_boolean_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
