/* test_fitness: the regression fitness: setup from a config, its messages,
 * and the metrics on hand-computed examples. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "fitness.h"
#include "interp.h"
#include "pop.h"
#include "prim.h"
#include "regression.h"
#include "rng.h"
#include "tree.h"

/* One scratch directory for the whole run, removed by the group teardown. */
static char tmpdir[] = "/tmp/test_fitness.XXXXXX";

static int group_setup(void **state)
{
    (void)state;
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    DIR *dir = opendir(tmpdir);
    if (!dir)
        return -1;
    struct dirent *e;
    char path[512];
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", tmpdir, e->d_name);
        unlink(path);
    }
    closedir(dir);
    return rmdir(tmpdir);
}

/* Writes text to tmpdir/name; path gets its full name. */
static void write_file(char *path, size_t cap, const char *name,
                       const char *text)
{
    snprintf(path, cap, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

/* x = 0 1 2 3, y = x + 1: the program x misses every row by 1. */
static const char xy_csv[] = "x,y\n0,1\n1,2\n2,3\n3,4\n";

/* Loads the INI text (written as tmpdir/name) into c; fails the test when
 * config_load does. */
static void load_config(struct config *c, const char *name, const char *ini)
{
    char path[512];
    struct config_error err;
    write_file(path, sizeof path, name, ini);
    if (config_load(c, path, NULL, 0, &err) < 0)
        fail_msg("config_load: %s", err.msg);
}

/* Sets up reg from the INI text; fails the test when setup fails. */
static void setup_ok(struct regression *reg, struct fitness *f,
                     const char *name, const char *ini)
{
    struct config c;
    struct regression_error err;
    load_config(&c, name, ini);
    if (regression_setup(reg, f, &c, &err) < 0)
        fail_msg("regression_setup: %s", err.msg);
    config_release(&c);
}

/* Expects setup to fail with exactly `want`, in which each @ stands for
 * the temporary folder. */
static void setup_fails(const char *name, const char *ini, const char *want)
{
    struct config c;
    struct regression reg;
    struct fitness f;
    struct regression_error err;
    memset(&f, 0, sizeof f);
    load_config(&c, name, ini);
    memset(&err, 0, sizeof err);
    assert_int_equal(regression_setup(&reg, &f, &c, &err), -1);
    config_release(&c);
    char msg[2048];
    size_t n = 0;
    for (const char *w = want; *w && n + sizeof tmpdir < sizeof msg; w++) {
        if (*w == '@') {
            memcpy(msg + n, tmpdir, strlen(tmpdir));
            n += strlen(tmpdir);
        } else {
            msg[n++] = *w;
        }
    }
    msg[n] = '\0';
    assert_string_equal(err.msg, msg);
    assert_null(f.evaluate);
    regression_release(&reg); /* safe after a failed setup */
}

/* Fills t from a prefix spec: function names, xN variables, numbers. */
static void build(struct tree *t, const char *spec)
{
    char buf[256];
    char *save = NULL;
    snprintf(buf, sizeof buf, "%s", spec);
    t->size = 0;
    for (char *tok = strtok_r(buf, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        assert_true(t->size < t->cap);
        struct node *nd = &t->nodes[t->size++];
        memset(nd, 0, sizeof *nd);
        int op = prim_lookup(tok);
        if (op >= 0) {
            nd->op = (uint16_t)op;
        } else if (tok[0] == 'x') {
            nd->op = OP_VAR;
            nd->var = (uint16_t)atoi(tok + 1);
        } else {
            nd->op = OP_CONST;
            nd->value = strtod(tok, NULL);
        }
    }
}

/* Scores the program spec on the training data. */
static int score(struct regression *reg, const char *spec, double *s)
{
    struct tree t;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, spec);
    assert_int_equal(tree_check(&t, reg->ps.nvars), 0);
    int rc = regression_score(reg, &reg->on_train, &t, s);
    tree_release(&t);
    return rc;
}

static void test_target_by_name(void **state)
{
    (void)state;
    char path[512];
    write_file(path, sizeof path, "xzy.csv", "x,z,y\n1,10,100\n2,20,200\n");
    struct regression reg;
    struct fitness f;
    setup_ok(&reg, &f, "name.ini",
             "[data]\ntrain = xzy.csv\ntarget = z\n"
             "[primitives]\nfunctions = add, sin\nconstants = 1, 0..2\n");
    /* The variables: every other column, in file order. */
    assert_int_equal(reg.ps.nvars, 2);
    assert_string_equal(reg.ps.var_names[0], "x");
    assert_string_equal(reg.ps.var_names[1], "y");
    assert_int_equal(reg.ps.var_cols[0], 0);
    assert_int_equal(reg.ps.var_cols[1], 2);
    assert_int_equal(reg.on_train.nrows, 2);
    assert_true(reg.on_train.y[0] == 10 && reg.on_train.y[1] == 20);
    assert_true(reg.on_train.x[0][1] == 2 && reg.on_train.x[1][1] == 200);
    assert_true(reg.on_train.ss_tot == 50.0);
    assert_int_equal(reg.ps.nfuncs, 2);
    assert_int_equal(reg.ps.nconsts, 1);
    assert_int_equal(reg.ps.nranges, 1);
    assert_int_equal(reg.has_test, 0);
    assert_string_equal(f.name, "regression");
    assert_ptr_equal(f.ctx, &reg);
    assert_non_null(f.evaluate);
    assert_int_equal(f.maximise, 0);
    regression_release(&reg);
}

static void test_target_default_last(void **state)
{
    (void)state;
    char path[512];
    write_file(path, sizeof path, "xzy2.csv", "x,z,y\n1,10,100\n2,20,300\n");
    struct regression reg;
    struct fitness f;
    setup_ok(&reg, &f, "last.ini", "[data]\ntrain = xzy2.csv\n");
    assert_int_equal(reg.ps.nvars, 2);
    assert_string_equal(reg.ps.var_names[0], "x");
    assert_string_equal(reg.ps.var_names[1], "z");
    assert_true(reg.on_train.y[0] == 100 && reg.on_train.y[1] == 300);
    assert_true(reg.on_train.ss_tot == 20000.0);
    /* The config's defaults: add, sub, mul, div and -1..1. */
    assert_int_equal(reg.ps.nfuncs, 4);
    assert_int_equal(reg.ps.nranges, 1);
    regression_release(&reg);
}

static void test_setup_errors(void **state)
{
    (void)state;
    char path[512];
    write_file(path, sizeof path, "train.csv",
               "x1,x2,target\n1,2,3\n4,5,6\n7,8,10\n");
    setup_fails("miss.ini", "[data]\ntrain = train.csv\ntarget = targt\n",
                "@/miss.ini: [data] target: no column 'targt' in "
                "'@/train.csv'; did you mean 'target'?");
    setup_fails("miss2.ini", "[data]\ntrain = train.csv\ntarget = zzzzzz\n",
                "@/miss2.ini: [data] target: no column 'zzzzzz' in "
                "'@/train.csv'");

    /* A test file whose columns differ in name, or in number. */
    write_file(path, sizeof path, "test_names.csv", "a,b,target\n1,2,3\n");
    setup_fails("names.ini",
                "[data]\ntrain = train.csv\ntest = test_names.csv\n",
                "@/test_names.csv:1: columns differ from the training "
                "data's (x1, x2, target)");
    write_file(path, sizeof path, "test_count.csv", "x1,x2\n1,2\n");
    setup_fails("count.ini",
                "[data]\ntrain = train.csv\ntest = test_count.csv\n",
                "@/test_count.csv:1: columns differ from the training "
                "data's (x1, x2, target)");
    write_file(path, sizeof path, "test_order.csv", "x2,x1,target\n1,2,3\n");
    setup_fails("order.ini",
                "[data]\ntrain = train.csv\ntest = test_order.csv\n",
                "@/test_order.csv:1: columns differ from the training "
                "data's (x1, x2, target)");

    /* A constant target leaves r2 and nmse undefined (mse is fine). */
    write_file(path, sizeof path, "const.csv", "x,y\n1,5\n2,5\n3,5\n");
    setup_fails("const.ini",
                "[data]\ntrain = const.csv\n[fitness]\n"
                "metric = r2\n",
                "@/const.ini: [fitness] metric: r2 is undefined: the target "
                "column 'y' is constant");
    setup_fails("const2.ini",
                "[data]\ntrain = const.csv\n[fitness]\n"
                "metric = nmse\n",
                "@/const2.ini: [fitness] metric: nmse is undefined: the "
                "target column 'y' is constant");
    /* ... in the test file alone, too. */
    write_file(path, sizeof path, "xy.csv", xy_csv);
    write_file(path, sizeof path, "xy_const.csv", "x,y\n1,2\n2,2\n");
    setup_fails("const3.ini",
                "[data]\ntrain = xy.csv\ntest = xy_const.csv\n"
                "[fitness]\nmetric = r2\n",
                "@/const3.ini: [fitness] metric: r2 is undefined: the "
                "target column 'y' is constant");
    struct regression reg;
    struct fitness f;
    setup_ok(&reg, &f, "const_mse.ini", "[data]\ntrain = const.csv\n");
    regression_release(&reg);

    /* Nothing beside the target; a column with a primitive's name. */
    write_file(path, sizeof path, "one.csv", "y\n1\n2\n");
    setup_fails("one.ini", "[data]\ntrain = one.csv\n",
                "@/one.csv: only one column: no inputs beside the target");
    write_file(path, sizeof path, "sin.csv", "sin,y\n1,2\n2,3\n");
    setup_fails("sin.ini", "[data]\ntrain = sin.csv\n",
                "@/sin.csv:1: column 'sin' has the name of a primitive; "
                "rename it");
    write_file(path, sizeof path, "pi.csv", "x,pi,y\n1,2,3\n2,3,4\n");
    setup_fails("pi.ini", "[data]\ntrain = pi.csv\n",
                "@/pi.csv:1: column 'pi' has the name of a primitive; "
                "rename it");

    /* The loader's own message, as it is. */
    setup_fails("nofile.ini", "[data]\ntrain = no-such.csv\n",
                "cannot open '@/no-such.csv': No such file or directory");
}

static void test_metrics(void **state)
{
    (void)state;
    char path[512];
    write_file(path, sizeof path, "xy.csv", xy_csv);
    const struct {
        const char *metric;
        enum metric m;
        double want_x;   /* program x: errors -1 -1 -1 -1 */
        double want_mul; /* program 2x: errors -1 0 1 2 */
    } cases[] = {
        /* ss_tot: y = 1 2 3 4, mean 2.5: 2.25 + 0.25 + 0.25 + 2.25 = 5 */
        {"mse", METRIC_MSE, 1.0, 6.0 / 4.0},
        {"rmse", METRIC_RMSE, 1.0, sqrt(6.0 / 4.0)},
        {"mae", METRIC_MAE, 1.0, 4.0 / 4.0},
        {"nmse", METRIC_NMSE, 4.0 / 5.0, 6.0 / 5.0},
        {"r2", METRIC_R2, 1.0 - 4.0 / 5.0, 1.0 - 6.0 / 5.0},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char ini[256];
        snprintf(ini, sizeof ini,
                 "[data]\ntrain = xy.csv\n[fitness]\n"
                 "metric = %s\n",
                 cases[k].metric);
        struct regression reg;
        struct fitness f;
        setup_ok(&reg, &f, "metric.ini", ini);
        assert_int_equal(reg.metric, cases[k].m);
        assert_true(reg.on_train.ss_tot == 5.0);
        assert_int_equal(f.maximise, cases[k].m == METRIC_R2);
        double s = NAN;
        assert_int_equal(score(&reg, "x0", &s), EVAL_OK);
        if (s != cases[k].want_x)
            fail_msg("%s of x: got %.17g, want %.17g", cases[k].metric, s,
                     cases[k].want_x);
        assert_int_equal(score(&reg, "mul x0 2", &s), EVAL_OK);
        if (s != cases[k].want_mul)
            fail_msg("%s of 2x: got %.17g, want %.17g", cases[k].metric, s,
                     cases[k].want_mul);
        /* The perfect program. */
        assert_int_equal(score(&reg, "add x0 1", &s), EVAL_OK);
        assert_true(s == (cases[k].m == METRIC_R2 ? 1.0 : 0.0));
        /* Through the fitness interface, the same. */
        struct tree t;
        struct rng r;
        rng_seed(&r, 1, 1);
        assert_int_equal(tree_init(&t, 8), 0);
        build(&t, "mul x0 2");
        double s2 = NAN;
        assert_int_equal(f.evaluate(f.ctx, &t, &r, &s2), EVAL_OK);
        assert_true(s2 == cases[k].want_mul);
        tree_release(&t);
        regression_release(&reg);
    }
}

static void test_maximise(void **state)
{
    (void)state;
    assert_int_equal(regression_maximise(METRIC_MSE), 0);
    assert_int_equal(regression_maximise(METRIC_RMSE), 0);
    assert_int_equal(regression_maximise(METRIC_MAE), 0);
    assert_int_equal(regression_maximise(METRIC_NMSE), 0);
    assert_int_equal(regression_maximise(METRIC_R2), 1);
}

/* Non-finite predictions, or a score that overflows, are invalid. */
static void test_invalid(void **state)
{
    (void)state;
    char path[512];
    write_file(path, sizeof path, "xy.csv", xy_csv);
    struct regression reg;
    struct fitness f;
    setup_ok(&reg, &f, "inv.ini", "[data]\ntrain = xy.csv\n");
    double s = 123.0;
    /* inf on rows 1..3 (exp(1000)), NaN (0 * inf), -inf. */
    assert_int_equal(score(&reg, "exp mul x0 1000", &s), EVAL_INVALID);
    assert_int_equal(score(&reg, "mul 0 exp mul x0 1000", &s), EVAL_INVALID);
    assert_int_equal(score(&reg, "neg exp mul x0 1000", &s), EVAL_INVALID);
    assert_int_equal(score(&reg, "sub exp 1000 exp 1000", &s), EVAL_INVALID);
    assert_true(s == 123.0); /* untouched */
    /* Finite predictions whose squares overflow: mse is inf. */
    assert_int_equal(score(&reg, "mul x0 1e200", &s), EVAL_INVALID);
    /* Protected operators keep a program valid. */
    assert_int_equal(score(&reg, "add div x0 0 log 0", &s), EVAL_OK);
    regression_release(&reg);

    /* Mae of the same program is finite: valid. */
    setup_ok(&reg, &f, "inv_mae.ini",
             "[data]\ntrain = xy.csv\n[fitness]\nmetric = mae\n");
    assert_int_equal(score(&reg, "mul x0 1e200", &s), EVAL_OK);
    assert_true(isfinite(s) && s > 1e200);
    regression_release(&reg);
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
    char path[512];
    write_file(path, sizeof path, "many.csv", csv);
    struct regression reg;
    struct fitness f;
    setup_ok(&reg, &f, "many.ini", "[data]\ntrain = many.csv\n");
    assert_int_equal(reg.on_train.nrows, N);

    /* mse of 1.1 x, summed in row order by hand. */
    double sse = 0.0;
    for (int i = 0; i < N; i++) {
        double e =
            interp_apply(OP_MUL, 111.0 + i, 1.1) - (double)((i * 7919) % 1000);
        sse += e * e;
    }
    double s;
    assert_int_equal(score(&reg, "mul x0 1.1", &s), EVAL_OK);
    assert_true(s == sse / N);
    /* y - x is -111 - i + ((i * 7919) % 1000): mse of x is known too. */
    sse = 0.0;
    for (int i = 0; i < N; i++) {
        double e = (111.0 + i) - (double)((i * 7919) % 1000);
        sse += e * e;
    }
    assert_int_equal(score(&reg, "x0", &s), EVAL_OK);
    assert_true(s == sse / N);
    regression_release(&reg);

    /* x runs 111 .. 710: exp(x) overflows in the last row only. */
    assert_int_equal(111 + N - 1, 710);
    setup_ok(&reg, &f, "many_mae.ini",
             "[data]\ntrain = many.csv\n[fitness]\nmetric = mae\n");
    assert_int_equal(score(&reg, "exp x0", &s), EVAL_INVALID);
    assert_int_equal(score(&reg, "exp sub x0 1", &s), EVAL_OK);
    assert_true(isfinite(s));
    regression_release(&reg);
    free(csv);
}

/* The test data is bound with the same variables and scored apart. */
static void test_test_data(void **state)
{
    (void)state;
    char path[512];
    write_file(path, sizeof path, "tr.csv", "a,b,y\n0,5,1\n1,5,2\n2,5,3\n");
    write_file(path, sizeof path, "te.csv", "a,b,y\n10,0,10\n20,0,22\n");
    struct regression reg;
    struct fitness f;
    setup_ok(&reg, &f, "tt.ini",
             "[data]\ntrain = tr.csv\ntest = te.csv\n[fitness]\n"
             "metric = mae\n");
    assert_int_equal(reg.has_test, 1);
    assert_int_equal(reg.on_test.nrows, 2);
    assert_true(reg.on_test.ss_tot == 72.0); /* mean 16: 36 + 36 */
    struct tree t;
    assert_int_equal(tree_init(&t, 8), 0);
    build(&t, "x0");
    double s;
    assert_int_equal(regression_score(&reg, &reg.on_train, &t, &s), EVAL_OK);
    assert_true(s == 1.0);
    assert_int_equal(regression_score(&reg, &reg.on_test, &t, &s), EVAL_OK);
    assert_true(s == 1.0); /* |10 - 10| + |20 - 22| over 2 */
    build(&t, "add x0 x1");
    assert_int_equal(regression_score(&reg, &reg.on_train, &t, &s), EVAL_OK);
    assert_true(s == 4.0);
    assert_int_equal(regression_score(&reg, &reg.on_test, &t, &s), EVAL_OK);
    assert_true(s == 1.0);
    tree_release(&t);
    regression_release(&reg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_target_by_name),
        cmocka_unit_test(test_target_default_last),
        cmocka_unit_test(test_setup_errors),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_maximise),
        cmocka_unit_test(test_invalid),
        cmocka_unit_test(test_many_rows),
        cmocka_unit_test(test_test_data),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
