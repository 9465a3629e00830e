/* test_config: config_load on good files, every error message, --set, dump. */
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
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "text.h"
#include "testutil.h"

/* The first lines of most files (no longer required by config_load, but
 * the files read like real ones, and line numbers below count on it). */
#define TRAIN "[data]\ntrain = t.csv\n"
/* config_check_extras' list of the sections, before " and OWN)" or ")". */
#define SECTIONS                                                               \
    "(the sections are run, data, fitness, primitives, tree, operators, "      \
    "output"
#define METRICS "auto, mse, rmse, mae, nmse, r2, accuracy, balanced_accuracy"
#define RANGE_MSG "expected a range LO..HI with LO < HI (and HI - LO finite)"

/* One scratch directory for the whole run (plus its sub/ folder), removed
 * by the group teardown. */
static char tmpdir[256]; /* made by testutil_mkdtemp */
static char path[PATH_MAX]; /* the file ini() wrote last */

static int group_setup(void **state)
{
    (void)state;
    if (!testutil_mkdtemp(tmpdir, sizeof tmpdir, "test_config"))
        return -1;
    char sub[PATH_MAX];
    snprintf(sub, sizeof sub, "%s/sub", tmpdir);
    return mkdir(sub, 0700);
}


static int group_teardown(void **state)
{
    (void)state;
    return testutil_rmtree(tmpdir);
}

/* Writes `text` to tmpdir/name; returns its path (valid until the next
 * call). */
static const char *ini(const char *name, const char *text)
{
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
    return path;
}

static void load_ok(struct config *c, const char *file, const char *const *sets,
                    int nsets)
{
    struct error err;
    if (config_load(c, file, sets, nsets, &err) != 0)
        fail_msg("config_load: %s", err.msg);
}

static void expect_fail(const char *file, const char *const *sets, int nsets,
                        const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Loads file with the --set arguments, expects failure with exactly the
 * message fmt..., and checks that the config was left empty. */
static void expect_fail(const char *file, const char *const *sets, int nsets,
                        const char *fmt, ...)
{
    char want[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(want, sizeof want, fmt, ap);
    va_end(ap);

    struct config c, zero;
    struct error err;
    memset(&c, 0xA5, sizeof c); /* config_load must initialise it */
    memset(&zero, 0, sizeof zero);
    memset(&err, 0, sizeof err);
    assert_int_equal(config_load(&c, file, sets, nsets, &err), -1);
    assert_string_equal(err.msg, want);
    assert_memory_equal(&c, &zero, sizeof c);
    config_release(&c);
}

/* Expects the file TRAIN + body to fail with "PATH:LINE: rest". */
static void expect_line(const char *body, int line, const char *rest)
{
    char text[4096];
    snprintf(text, sizeof text, TRAIN "%s", body);
    const char *p = ini("line.ini", text);
    expect_fail(p, NULL, 0, "%s:%d: %s", p, line, rest);
}

/* Expects `--set arg` on a minimal file to fail with "--set arg: rest". */
static void expect_set(const char *arg, const char *rest)
{
    const char *p = ini("set.ini", TRAIN);
    const char *sets[] = {arg};
    expect_fail(p, sets, 1, "--set %s: %s", arg, rest);
}

/* --- good files ---------------------------------------------------------- */

/* The rows of the key table, counted from the X macro itself, and checked:
 * every row in a core section, no (section, key) twice. */
static int count_table_rows(void)
{
    static const char *const rows[][2] = {
#define X(sec, key, ...) {#sec, #key},
        CONFIG_KEYS(X)
#undef X
    };
    int n = (int)(sizeof rows / sizeof rows[0]);
    for (int i = 0; i < n; i++) {
        assert_true(config_core_section(rows[i][0]));
        assert_string_equal(config_keys[i].section, rows[i][0]);
        assert_string_equal(config_keys[i].name, rows[i][1]);
        for (int j = 0; j < i; j++)
            assert_false(strcmp(rows[i][0], rows[j][0]) == 0 &&
                         strcmp(rows[i][1], rows[j][1]) == 0);
    }
    return n;
}

static void test_minimal_defaults(void **state)
{
    (void)state;
    const char *p = ini("minimal.ini", "[data]\ntrain = t.csv\n");
    struct config c;
    load_ok(&c, p, NULL, 0);

    char want[PATH_MAX];
    snprintf(want, sizeof want, "%s/t.csv", tmpdir);
    assert_string_equal(c.data_train, want);
    assert_string_equal(c.file, p);
    assert_string_equal(c.dir, tmpdir);
    assert_string_equal(c.output_dir, "runs/minimal");
    assert_int_equal(c.origin[CFG_KEY_data_train].line, 2);
    assert_string_equal(c.origin[CFG_KEY_data_train].raw, "t.csv");

    /* Every other key holds the table's default. */
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const struct config_key *key = &config_keys[k];
        const void *field = (const char *)&c + key->offset;
        if (k == CFG_KEY_data_train)
            continue;
        assert_int_equal(c.origin[k].line, 0);
        assert_string_equal(c.origin[k].raw, key->def);
        switch (key->type) {
        case CFG_INT: {
            long v;
            assert_int_equal(text_to_long(key->def, &v), 0);
            assert_int_equal(*(const long *)field, v);
            break;
        }
        case CFG_AUTOINT: {
            long v = -1; /* auto */
            if (strcmp(key->def, "auto") != 0)
                assert_int_equal(text_to_long(key->def, &v), 0);
            assert_int_equal(*(const long *)field, v);
            break;
        }
        case CFG_REAL: {
            double v;
            assert_int_equal(text_to_double(key->def, &v), 0);
            assert_true(*(const double *)field == v);
            break;
        }
        case CFG_OPTREAL: {
            double v;
            if (strcmp(key->def, "none") == 0) {
                assert_true(isnan(*(const double *)field));
                break;
            }
            assert_int_equal(text_to_double(key->def, &v), 0);
            assert_true(*(const double *)field == v);
            break;
        }
        case CFG_SEED:
            assert_true(*(const uint64_t *)field ==
                        strtoull(key->def, NULL, 10));
            break;
        default:
            if (k != CFG_KEY_output_dir)
                assert_string_equal(*(char *const *)field, key->def);
            break;
        }
    }
    /* A few by name, so a broken table cannot pass by agreeing with
     * itself. */
    assert_int_equal(CONFIG_NKEYS, count_table_rows());
    assert_int_equal(c.nextras, 0);
    assert_null(c.extras);
    assert_string_equal(c.fitness_function, "regression");
    assert_int_equal(config_keys[CFG_KEY_fitness_function].type, CFG_FUNCTION);
    assert_true(c.run_seed == 1);
    assert_int_equal(c.run_population, 500);
    assert_int_equal(c.run_workers, -1); /* auto */
    assert_int_equal(c.tree_max_depth, 17);
    assert_true(c.operators_crossover == 0.9);
    assert_true(isnan(c.fitness_target_fitness));
    assert_string_equal(c.fitness_metric, "auto");
    assert_string_equal(c.primitives_functions, "add, sub, mul, div");
    assert_string_equal(c.primitives_constants, "-1..1");
    assert_string_equal(c.data_test, "");
    assert_string_equal(c.data_target, "");
    config_release(&c);
}

static void test_every_key_set(void **state)
{
    (void)state;
    const char *p = ini("full.ini", "; a comment\n"
                                    "# another\n"
                                    "[run]\n"
                                    "seed = 18446744073709551615\n"
                                    "population = 100\n"
                                    "generations = 0\n"
                                    "max_seconds = 2.5\n"
                                    "workers = 3\n"
                                    "eval_timeout = 1.5\n"
                                    "worker_memory_mb = 512\n"
                                    "on_failure = abort\n"
                                    "restart_limit = 0.25\n"
                                    "\n"
                                    "[data]\n"
                                    "train = /abs/train.csv\n"
                                    "test = sub/te.csv ; inline comment\n"
                                    "target = y\n"
                                    "[fitness]\n"
                                    "function = classification\n"
                                    "metric = balanced_accuracy\n"
                                    "target_fitness = -1e-6\n"
                                    "parsimony = 0.001\n"
                                    "[primitives]\n"
                                    "functions = add,  sin ,max\n"
                                    "constants = pi, e, 2, -5..5\n"
                                    "[tree]\n"
                                    "init_min_depth = 0\n"
                                    "init_max_depth = 4\n"
                                    "max_depth = 8\n"
                                    "max_size = 65535\n"
                                    "mutation_max_depth = 8\n"
                                    "[operators]\n"
                                    "tournament_size = 100\n"
                                    "elitism = 99\n"
                                    "crossover = 0.5\n"
                                    "subtree_mutation = 0.25\n"
                                    "point_mutation = 0.125\n"
                                    "hoist_mutation = 0.0625\n"
                                    "reproduction = 0.0625\n"
                                    "internal_bias = 1\n"
                                    "point_replace = 0\n"
                                    "[output]\n"
                                    "dir = out/here\n");
    struct config c;
    load_ok(&c, p, NULL, 0);
    char want[PATH_MAX];
    assert_true(c.run_seed == UINT64_MAX);
    assert_int_equal(c.run_population, 100);
    assert_int_equal(c.run_generations, 0);
    assert_true(c.run_max_seconds == 2.5);
    assert_int_equal(c.run_workers, 3);
    assert_true(c.run_eval_timeout == 1.5);
    assert_int_equal(c.run_worker_memory_mb, 512);
    assert_string_equal(c.run_on_failure, "abort");
    assert_true(c.run_restart_limit == 0.25);
    assert_string_equal(c.data_train, "/abs/train.csv"); /* kept */
    snprintf(want, sizeof want, "%s/sub/te.csv", tmpdir);
    assert_string_equal(c.data_test, want);
    assert_string_equal(c.data_target, "y");
    assert_string_equal(c.fitness_function, "classification");
    assert_string_equal(c.fitness_metric, "balanced_accuracy");
    assert_true(c.fitness_target_fitness == -1e-6);
    assert_true(c.fitness_parsimony == 0.001);
    assert_string_equal(c.primitives_functions, "add,  sin ,max");
    assert_string_equal(c.primitives_constants, "pi, e, 2, -5..5");
    assert_int_equal(c.tree_init_min_depth, 0);
    assert_int_equal(c.tree_init_max_depth, 4);
    assert_int_equal(c.tree_max_depth, 8);
    assert_int_equal(c.tree_max_size, 65535);
    assert_int_equal(c.tree_mutation_max_depth, 8);
    assert_int_equal(c.operators_tournament_size, 100);
    assert_int_equal(c.operators_elitism, 99);
    assert_true(c.operators_crossover == 0.5);
    assert_true(c.operators_reproduction == 0.0625);
    assert_true(c.operators_internal_bias == 1.0);
    assert_true(c.operators_point_replace == 0.0);
    assert_string_equal(c.output_dir, "out/here"); /* not resolved */
    assert_int_equal(c.origin[CFG_KEY_run_seed].line, 4);
    assert_int_equal(c.origin[CFG_KEY_fitness_function].line, 19);
    assert_int_equal(c.origin[CFG_KEY_output_dir].line, 43);
    assert_int_equal(c.nextras, 0);
    config_release(&c);
}

/* The INI's folder is absolute even when the INI is named relatively. */
static void test_relative_ini(void **state)
{
    (void)state;
    char old[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 32];
    assert_non_null(getcwd(old, sizeof old));
    ini("sub/rel.ini", "[data]\ntrain = t.csv\ntest = ../x/te.csv\n");
    ini("here.ini", "[data]\ntrain = t.csv\n");
    assert_int_equal(chdir(tmpdir), 0);
    assert_non_null(getcwd(cwd, sizeof cwd));

    struct config c;
    load_ok(&c, "sub/rel.ini", NULL, 0);
    snprintf(want, sizeof want, "%s/sub/t.csv", cwd);
    assert_string_equal(c.data_train, want);
    snprintf(want, sizeof want, "%s/sub/../x/te.csv", cwd);
    assert_string_equal(c.data_test, want);
    assert_string_equal(c.output_dir, "runs/rel");
    config_release(&c);

    load_ok(&c, "here.ini", NULL, 0);
    snprintf(want, sizeof want, "%s/t.csv", cwd);
    assert_string_equal(c.data_train, want);
    assert_string_equal(c.dir, cwd);
    config_release(&c);

    assert_int_equal(chdir(old), 0);
}

static void test_output_dir_default(void **state)
{
    (void)state;
    struct config c;
    load_ok(&c, ini("quartic.ini", TRAIN), NULL, 0);
    assert_string_equal(c.output_dir, "runs/quartic");
    config_release(&c);
    load_ok(&c, ini("noext.conf", TRAIN), NULL, 0);
    assert_string_equal(c.output_dir, "runs/noext.conf");
    config_release(&c);
    load_ok(&c, ini("a.b.ini", TRAIN), NULL, 0);
    assert_string_equal(c.output_dir, "runs/a.b");
    config_release(&c);
    load_ok(&c, ini("set_dir.ini", TRAIN "[output]\ndir = mine\n"), NULL, 0);
    assert_string_equal(c.output_dir, "mine");
    config_release(&c);
}

static void test_target_fitness(void **state)
{
    (void)state;
    struct config c;
    load_ok(&c, ini("tf.ini", TRAIN "[fitness]\ntarget_fitness = none\n"), NULL,
            0);
    assert_true(isnan(c.fitness_target_fitness));
    config_release(&c);
    load_ok(&c, ini("tf.ini", TRAIN "[fitness]\ntarget_fitness = 1e-3\n"), NULL,
            0);
    assert_true(c.fitness_target_fitness == 1e-3);
    config_release(&c);
    load_ok(&c, ini("tf.ini", TRAIN "[fitness]\ntarget_fitness = -0.5\n"), NULL,
            0);
    assert_true(c.fitness_target_fitness == -0.5);
    config_release(&c);
    expect_line("[fitness]\ntarget_fitness = never\n", 4,
                "[fitness] target_fitness: expected a number or none, got "
                "'never'");
    expect_line("[fitness]\ntarget_fitness = None\n", 4,
                "[fitness] target_fitness: expected a number or none, got "
                "'None'");
}

/* --- errors in the file -------------------------------------------------- */

/* Expects extras[i] of c to be exactly section, key, value, line. */
static void expect_extra(const struct config *c, int i, const char *section,
                         const char *key, const char *value, int line)
{
    assert_in_range(i, 0, c->nextras - 1);
    const struct config_extra *x = &c->extras[i];
    assert_string_equal(x->section, section);
    if (key) {
        assert_non_null(x->key);
        assert_string_equal(x->key, key);
        assert_non_null(x->value);
        assert_string_equal(x->value, value);
    } else {
        assert_null(x->key);
        assert_null(x->value);
    }
    assert_int_equal(x->line, line);
}

/* A near miss of one of forkgp's sections is a typo, refused at load. */
static void test_unknown_section(void **state)
{
    (void)state;
    expect_line("[tre]\nmax_depth = 5\n", 3,
                "unknown section [tre]; did you mean [tree]?");
    expect_line("[ Operator ]\n", 3,
                "unknown section [Operator]; did you mean [operators]?");
    expect_line("[fitnes]\nfunction = ant.so\n", 3,
                "unknown section [fitnes]; did you mean [fitness]?");
    const char *p = ini("first.ini", "[runn]\n" TRAIN);
    expect_fail(p, NULL, 0, "%s:1: unknown section [runn]; did you mean [run]?",
                p);
    /* After a plug-in's section, too. */
    p = ini("after.ini", TRAIN "[ant]\nsteps = 1\n[dta]\n");
    expect_fail(p, NULL, 0, "%s:5: unknown section [dta]; did you mean [data]?",
                p);

    /* Any other section may be a fitness plug-in's own: kept, not refused
     * (config_check_extras decides, after the plug-in's setup). */
    struct config c;
    load_ok(&c, ini("bogus.ini", TRAIN "[bogus]\nx = 1\n"), NULL, 0);
    assert_int_equal(c.nextras, 2);
    expect_extra(&c, 0, "bogus", NULL, NULL, 3);
    expect_extra(&c, 1, "bogus", "x", "1", 4);
    config_release(&c);
    /* No keys in it: inih reports nothing, the reader still sees it. */
    load_ok(&c, ini("extra.ini", TRAIN "[extra]\n"), NULL, 0);
    assert_int_equal(c.nextras, 1);
    expect_extra(&c, 0, "extra", NULL, NULL, 3);
    config_release(&c);
    load_ok(&c, ini("extra.ini", TRAIN "[ extra ]\n; just a comment\n"), NULL,
            0);
    assert_int_equal(c.nextras, 1);
    expect_extra(&c, 0, "extra", NULL, NULL, 3);
    config_release(&c);
    load_ok(&c, ini("ant.ini", "[ant]\n" TRAIN), NULL, 0);
    assert_int_equal(c.nextras, 1);
    expect_extra(&c, 0, "ant", NULL, NULL, 1);
    config_release(&c);
}

static void test_unknown_key(void **state)
{
    (void)state;
    expect_line("[run]\npopulaton = 5\n", 4,
                "[run] unknown key 'populaton'; did you mean 'population'?");
    expect_line("[run]\nsede = 5\n", 4,
                "[run] unknown key 'sede'; did you mean 'seed'?");
    expect_line("[run]\nfrobnicate = 5\n", 4,
                "[run] unknown key 'frobnicate' (see: forkgp help keys)");
    /* Suggestions come from the key's own section only. */
    expect_line("[tree]\nelitsm = 5\n", 4,
                "[tree] unknown key 'elitsm' (see: forkgp help keys)");
}

static void test_key_in_other_section(void **state)
{
    (void)state;
    expect_line("[run]\nmax_depth = 5\n", 4,
                "[run] unknown key 'max_depth'; it belongs in [tree]");
    const char *p = ini("other.ini", "[run]\ntrain = t.csv\n");
    expect_fail(p, NULL, 0,
                "%s:2: [run] unknown key 'train'; it belongs in "
                "[data]",
                p);
}

static void test_key_outside_section(void **state)
{
    (void)state;
    const char *p = ini("outside.ini", "seed = 1\n" TRAIN);
    expect_fail(p, NULL, 0, "%s:1: key 'seed' outside any section", p);
    p = ini("outside.ini", "\n; comment\nfoo = 1\n" TRAIN);
    expect_fail(p, NULL, 0, "%s:3: key 'foo' outside any section", p);
}

static void test_bad_integer(void **state)
{
    (void)state;
    expect_line("[run]\npopulation = 5x\n", 4,
                "[run] population: expected an integer, got '5x'");
    expect_line("[run]\npopulation = 5.0\n", 4,
                "[run] population: expected an integer, got '5.0'");
    expect_line("[run]\npopulation =\n", 4,
                "[run] population: expected an integer, got ''");
    expect_line("[run]\npopulation = 99999999999999999999\n", 4,
                "[run] population: expected an integer, got "
                "'99999999999999999999'");
    expect_line("[run]\npopulation = 1\n", 4,
                "[run] population: expected 2..10000000, got 1");
    expect_line("[run]\npopulation = 10000001\n", 4,
                "[run] population: expected 2..10000000, got 10000001");
    expect_line("[run]\ngenerations = -1\n", 4,
                "[run] generations: expected 0..10000000, got -1");
    expect_line("[tree]\nmax_size = 0\n", 4,
                "[tree] max_size: expected 1..65535, got 0");
    expect_line("\n[tree]\nmax_depth = 257\n", 5,
                "[tree] max_depth: expected 0..256, got 257");
}

/* AUTOINT keys ([run] workers): an integer in range, or auto (-1). */
static void test_auto_integer(void **state)
{
    (void)state;
    static const struct {
        const char *raw;
        long want;
    } good[] = {{"auto", -1}, {"0", 0}, {"1", 1}, {"1024", 1024}};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, TRAIN "[run]\nworkers = %s\n", good[i].raw);
        struct config c;
        load_ok(&c, ini("workers.ini", text), NULL, 0);
        assert_int_equal(c.run_workers, good[i].want);
        config_release(&c);
    }
    expect_line("[run]\nworkers = Auto\n", 4,
                "[run] workers: expected an integer or auto, got 'Auto'");
    expect_line("[run]\nworkers =\n", 4,
                "[run] workers: expected an integer or auto, got ''");
    /* -1 is how auto is stored, not a value one may type. */
    expect_line("[run]\nworkers = -1\n", 4,
                "[run] workers: expected 0..1024, got -1");
    expect_line("[run]\nworkers = 1025\n", 4,
                "[run] workers: expected 0..1024, got 1025");
    expect_set("run.workers=many", "expected an integer or auto, got 'many'");
}

static void test_bad_real(void **state)
{
    (void)state;
    expect_line("[operators]\ninternal_bias = abc\n", 4,
                "[operators] internal_bias: expected a number, got 'abc'");
    expect_line("[operators]\ninternal_bias = 0.5.\n", 4,
                "[operators] internal_bias: expected a number, got '0.5.'");
    expect_line("[operators]\ninternal_bias = nan\n", 4,
                "[operators] internal_bias: expected a number, got 'nan'");
    expect_line("[fitness]\nparsimony = inf\n", 4,
                "[fitness] parsimony: expected a number, got 'inf'");
    expect_line("[operators]\ninternal_bias = 1.5\n", 4,
                "[operators] internal_bias: expected 0..1, got 1.5");
    expect_line("[operators]\npoint_replace = -0.01\n", 4,
                "[operators] point_replace: expected 0..1, got -0.01");
    expect_line("[run]\nmax_seconds = -1\n", 4,
                "[run] max_seconds: expected 0..1e+09, got -1");
}

static void test_bad_seed(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "-1", "abc", "1.5", "", "18446744073709551616", "0x10"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[128], rest[256];
        snprintf(body, sizeof body, "[run]\nseed = %s\n", bad[i]);
        snprintf(rest, sizeof rest,
                 "[run] seed: expected an integer 0..18446744073709551615, "
                 "got '%s'",
                 bad[i]);
        expect_line(body, 4, rest);
    }
    struct config c;
    load_ok(&c, ini("seed0.ini", TRAIN "[run]\nseed = 0\n"), NULL, 0);
    assert_true(c.run_seed == 0);
    config_release(&c);
}

static void test_bad_choice(void **state)
{
    (void)state;
    expect_line("[fitness]\nmetric = mes\n", 4,
                "[fitness] metric: expected one of " METRICS ", got 'mes'; "
                "did you mean 'mse'?");
    expect_line("[fitness]\nmetric = R2\n", 4,
                "[fitness] metric: expected one of " METRICS ", got 'R2'; did "
                "you mean 'r2'?");
    expect_line("[fitness]\nmetric = acuracy\n", 4,
                "[fitness] metric: expected one of " METRICS ", got "
                "'acuracy'; did you mean 'accuracy'?");
    expect_line("[fitness]\nmetric = balanced_acuracy\n", 4,
                "[fitness] metric: expected one of " METRICS ", got "
                "'balanced_acuracy'; did you mean 'balanced_accuracy'?");
    expect_line("[fitness]\nmetric = logloss\n", 4,
                "[fitness] metric: expected one of " METRICS ", got "
                "'logloss'");
    /* Every choice loads (whether it suits the fitness function is for
     * that function's setup to say). */
    static const char *const good[] = {
        "mse", "rmse", "mae", "nmse", "r2", "accuracy", "balanced_accuracy"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        char text[128];
        snprintf(text, sizeof text, TRAIN "[fitness]\nmetric = %s\n", good[i]);
        struct config c;
        load_ok(&c, ini("metric.ini", text), NULL, 0);
        assert_string_equal(c.fitness_metric, good[i]);
        config_release(&c);
    }
}

static void test_bad_functions(void **state)
{
    (void)state;
    expect_line("[primitives]\nfunctions = add, sinn\n", 4,
                "[primitives] functions: unknown function 'sinn'; did you "
                "mean 'sin'?");
    expect_line("[primitives]\nfunctions = add, frobnicate\n", 4,
                "[primitives] functions: unknown function 'frobnicate' (see: "
                "forkgp help functions)");
    expect_line("[primitives]\nfunctions = add, mul, add\n", 4,
                "[primitives] functions: function 'add' listed twice");
    expect_line("[primitives]\nfunctions =\n", 4,
                "[primitives] functions: no functions given");
    expect_line("[primitives]\nfunctions = add, , sub\n", 4,
                "[primitives] functions: an empty item in the list (two "
                "commas in a row, or one at an end)");
}

static void test_bad_constants(void **state)
{
    (void)state;
    expect_line("[primitives]\nconstants = 1..1\n", 4,
                "[primitives] constants: " RANGE_MSG ", got '1..1'");
    expect_line("[primitives]\nconstants = pi, 2 .. -2\n", 4,
                "[primitives] constants: " RANGE_MSG ", got '2..-2'");
    expect_line("[primitives]\nconstants = 1, x..2\n", 4,
                "[primitives] constants: " RANGE_MSG ", got 'x..2'");
    /* Both ends finite, the span not: drawing from it would give inf. */
    expect_line("[primitives]\nconstants = -1e308..1e308\n", 4,
                "[primitives] constants: " RANGE_MSG ", got '-1e308..1e308'");
    expect_set("primitives.constants=0, -1e308 .. 1e308",
               RANGE_MSG ", got '-1e308..1e308'");
    expect_line("[primitives]\nconstants = 1, banana\n", 4,
                "[primitives] constants: expected a number, pi, e or a range "
                "LO..HI, got 'banana'");
    expect_line("[primitives]\nconstants = inf\n", 4,
                "[primitives] constants: expected a number, pi, e or a range "
                "LO..HI, got 'inf'");
    /* An empty spec is allowed: no constants. */
    struct config c;
    load_ok(&c, ini("noconst.ini", TRAIN "[primitives]\nconstants =\n"), NULL,
            0);
    assert_string_equal(c.primitives_constants, "");
    config_release(&c);
    /* A wide span that is still finite is fine. */
    load_ok(&c,
            ini("wide.ini", TRAIN "[primitives]\nconstants = -1e308..7e307\n"),
            NULL, 0);
    assert_string_equal(c.primitives_constants, "-1e308..7e307");
    config_release(&c);
}

static void test_duplicate_key(void **state)
{
    (void)state;
    expect_line("[run]\nseed = 1\npopulation = 9\nseed = 2\n", 6,
                "[run] seed: already set at line 4");
    expect_line("[data]\ntrain = u.csv\n", 4,
                "[data] train: already set at line 2");
    /* Across two blocks of the same section. */
    expect_line("[run]\nseed = 1\n[tree]\n[run]\nseed = 1\n", 7,
                "[run] seed: already set at line 4");
}

static void test_continuation(void **state)
{
    (void)state;
    expect_line("[run]\nseed = 1\n  2\n", 5,
                "[run] seed: indented line continues the value; values are "
                "one line");
    expect_line("[run]\nseed = 1\n\tpopulation = 9\n", 5,
                "[run] seed: indented line continues the value; values are "
                "one line");
}

/* Indentation alone is fine where inih does not see a continuation: the
 * first key of a section, blank lines and comments. */
static void test_indented_keys(void **state)
{
    (void)state;
    struct config c;
    load_ok(&c,
            ini("indent.ini", "  [data]\n"
                              "  train = t.csv\n"
                              "[run]\n"
                              "    seed = 5\n"
                              "   \n"
                              "  ; an indented comment\n"
                              "[tree]\n"
                              "\tmax_depth = 9\n"),
            NULL, 0);
    assert_true(c.run_seed == 5);
    assert_int_equal(c.tree_max_depth, 9);
    config_release(&c);
}

/* inih's rule: after a key, every indented line continues its value, so
 * a section indented throughout fails at its second key. */
static void test_indented_section(void **state)
{
    (void)state;
    expect_line("[run]\n  seed = 1\n  population = 9\n", 5,
                "[run] seed: indented line continues the value; values are "
                "one line");
}

/* Windows files: CRLF line ends and a UTF-8 byte order mark. */
static void test_crlf_bom(void **state)
{
    (void)state;
    struct config c;
    load_ok(&c,
            ini("crlf.ini", "\xEF\xBB\xBF[data]\r\ntrain = t.csv\r\n"
                            "[run]\r\nseed = 4\r\n"),
            NULL, 0);
    char want[PATH_MAX + 16];
    snprintf(want, sizeof want, "%s/t.csv", tmpdir);
    assert_string_equal(c.data_train, want);
    assert_true(c.run_seed == 4);
    config_release(&c);

    /* The mark does not stick to a plug-in's first section, nor hide a
     * near miss. */
    load_ok(&c, ini("bom.ini", "\xEF\xBB\xBF[ant]\nsteps = 5\n" TRAIN), NULL,
            0);
    assert_int_equal(c.nextras, 2);
    expect_extra(&c, 0, "ant", NULL, NULL, 1);
    expect_extra(&c, 1, "ant", "steps", "5", 2);
    config_release(&c);
    const char *p = ini("bom.ini", "\xEF\xBB\xBF[dta]\ntrain = t.csv\n");
    expect_fail(p, NULL, 0, "%s:1: unknown section [dta]; did you mean [data]?",
                p);
    p = ini("bom.ini", "\xEF\xBB\xBF[data]\r\ntrain = t.csv\r\n"
                       "[run]\r\nseed = 1\r\n  2\r\n");
    expect_fail(p, NULL, 0,
                "%s:5: [run] seed: indented line continues the value; "
                "values are one line",
                p);
}

static void test_long_line(void **state)
{
    (void)state;
    /* inih's buffer holds INI_MAX_LINE (200) bytes: 198 characters, the
     * newline and the NUL. */
    char text[1024], comment[512];
    memset(comment, 'x', sizeof comment - 1);
    comment[0] = ';';
    comment[sizeof comment - 1] = '\0';
    snprintf(text, sizeof text, TRAIN "%.198s\n[run]\nseed = 3\n", comment);
    struct config c;
    load_ok(&c, ini("long.ini", text), NULL, 0);
    assert_true(c.run_seed == 3);
    config_release(&c);

    snprintf(text, sizeof text, TRAIN "[run]\nseed = 3\n%.199s\n", comment);
    const char *p = ini("long.ini", text);
    expect_fail(p, NULL, 0, "%s:5: line longer than 198 characters", p);

    /* A long value, not just a comment; the last line, with no newline. */
    snprintf(text, sizeof text, TRAIN "[data]\ntarget = %.300s", comment);
    p = ini("long.ini", text);
    expect_fail(p, NULL, 0, "%s:4: line longer than 198 characters", p);
}

static void test_syntax_error(void **state)
{
    (void)state;
    expect_line("[run]\nseed 5\n", 4,
                "syntax error: expected [section], key = value or a comment");
    expect_line("[run\n", 3,
                "syntax error: expected [section], key = value or a comment");
}

/* [data] train is for the fitness functions that read data to require
 * (regression, classification); config_load does not. */
static void test_no_train(void **state)
{
    (void)state;
    struct config c;
    load_ok(&c, ini("notrain.ini", "[run]\nseed = 1\n"), NULL, 0);
    assert_string_equal(c.data_train, "");
    assert_int_equal(c.origin[CFG_KEY_data_train].line, 0);
    assert_true(c.run_seed == 1);
    config_release(&c);
    load_ok(&c, ini("notrain.ini", "[data]\ntrain =\n"), NULL, 0);
    assert_string_equal(c.data_train, ""); /* empty: not resolved */
    assert_int_equal(c.origin[CFG_KEY_data_train].line, 2);
    config_release(&c);
    load_ok(&c, ini("empty.ini", ""), NULL, 0);
    assert_string_equal(c.data_train, "");
    assert_string_equal(c.output_dir, "runs/empty");
    assert_int_equal(c.nextras, 0);
    config_release(&c);
    const char *p = ini("settrain.ini", TRAIN);
    const char *sets[] = {"data.train="};
    load_ok(&c, p, sets, 1);
    assert_string_equal(c.data_train, "");
    assert_int_equal(c.origin[CFG_KEY_data_train].line, -1);
    config_release(&c);
}

static void test_depth_order(void **state)
{
    (void)state;
    expect_line("[tree]\ninit_min_depth = 4\n", 4,
                "[tree] init_min_depth: 4 is more than [tree] init_max_depth "
                "(3)");
    expect_line("[tree]\ninit_max_depth = 0\n", 4,
                "[tree] init_max_depth: 0 is less than [tree] init_min_depth "
                "(1)");
    expect_line("[tree]\ninit_min_depth = 3\ninit_max_depth = 2\n", 4,
                "[tree] init_min_depth: 3 is more than [tree] init_max_depth "
                "(2)");
    expect_line("[tree]\ninit_max_depth = 20\n", 4,
                "[tree] init_max_depth: 20 is more than [tree] max_depth "
                "(17)");
    expect_line("[tree]\nmax_depth = 2\n", 4,
                "[tree] max_depth: 2 is less than [tree] init_max_depth (3)");
    expect_line("[tree]\nmutation_max_depth = 18\n", 4,
                "[tree] mutation_max_depth: 18 is more than [tree] max_depth "
                "(17)");
    struct config c;
    load_ok(&c,
            ini("depth.ini", TRAIN "[tree]\ninit_min_depth = 3\n"
                                   "init_max_depth = 3\nmax_depth = 3\n"
                                   "mutation_max_depth = 3\n"),
            NULL, 0);
    config_release(&c);
}

static void test_population_rules(void **state)
{
    (void)state;
    expect_line("[operators]\ntournament_size = 501\n", 4,
                "[operators] tournament_size: 501 is more than [run] "
                "population (500)");
    expect_line("[run]\npopulation = 5\n", 4,
                "[run] population: 5 is less than [operators] tournament_size "
                "(7)");
    expect_line("[run]\npopulation = 10\n[operators]\ntournament_size = 2\n"
                "elitism = 10\n",
                7,
                "[operators] elitism: 10 leaves no room for offspring in a "
                "population of 10");
    struct config c;
    load_ok(&c,
            ini("pop.ini", TRAIN "[run]\npopulation = 7\n"
                                 "[operators]\nelitism = 6\n"),
            NULL, 0);
    config_release(&c);
}

static void test_rates_sum(void **state)
{
    (void)state;
    char rest[512];
    volatile double x = 0.8; /* the sum as config.c adds it */
    double sum = x + 0.02 + 0.02 + 0.01 + 0.05;
    snprintf(rest, sizeof rest,
             "[operators] crossover: crossover + subtree_mutation + "
             "point_mutation + hoist_mutation + rdo + reproduction must be 1, "
             "got %.17g",
             sum);
    expect_line("[operators]\ncrossover = 0.8\n", 4, rest);

    /* The rate set last in the file is cited. */
    x = 0.9;
    sum = x + 0.02 + 0.02 + 0.01 + 0.1;
    snprintf(rest, sizeof rest,
             "[operators] reproduction: crossover + subtree_mutation + "
             "point_mutation + hoist_mutation + rdo + reproduction must be 1, "
             "got %.17g",
             sum);
    expect_line("[operators]\ncrossover = 0.9\nreproduction = 0.1\n", 5, rest);
    x = 0.8;
    sum = x + 0.02 + 0.02 + 0.01 + 0.1;
    snprintf(rest, sizeof rest,
             "[operators] crossover: crossover + subtree_mutation + "
             "point_mutation + hoist_mutation + rdo + reproduction must be 1, "
             "got %.17g",
             sum);
    expect_line("[operators]\nreproduction = 0.1\ncrossover = 0.8\n", 5, rest);

    /* Shares that sum to 1 in binary are fine. */
    struct config c;
    load_ok(&c,
            ini("rates.ini", TRAIN "[operators]\ncrossover = 0.5\n"
                                   "reproduction = 0.45\n"),
            NULL, 0);
    config_release(&c);
}

/* What inih would read wrongly is refused with its line: a NUL byte (the
 * line would end there), text after a section's ']' (dropped), a carriage
 * return that ends no line (old Mac endings: one line of the whole
 * file); and a folder is not an empty file. */
static void test_unreadable_text(void **state)
{
    (void)state;
    static const char nul[] = TRAIN "[run]\n\0population = 5\n";
    snprintf(path, sizeof path, "%s/nul.ini", tmpdir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(nul, 1, sizeof nul - 1, f), sizeof nul - 1);
    assert_int_equal(fclose(f), 0);
    expect_fail(path, NULL, 0, "%s:4: a NUL byte (is this a text file?)",
                path);

    expect_line("[run] seed = 5\n", 3,
                "text after [run]: a key goes on a line of its own");
    expect_line("[run]junk\n", 3,
                "text after [run]: a key goes on a line of its own");
    struct config c;
    load_ok(&c, ini("comment.ini", TRAIN "[run] ; the run\nseed = 5\n"), NULL,
            0);
    assert_true(c.run_seed == 5);
    config_release(&c);

    const char *p = ini("cr.ini", "[data]\rtrain = t.csv\r");
    expect_fail(p, NULL, 0,
                "%s:1: a carriage return inside the line (line endings "
                "must be \\n or \\r\\n)",
                p);

    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s/sub", tmpdir);
    expect_fail(dir, NULL, 0, "cannot read '%s': %s", dir, strerror(EISDIR));
}

/* Messages quote what a file held as plain text: a control byte or a byte
 * of UTF-8 shows as \xNN, the message one line. */
static void test_messages_escaped(void **state)
{
    (void)state;
    expect_line("[run]\npopulation = 2\x01\n", 4,
                "[run] population: expected an integer, got '2\\x01'");
    expect_line("[run]\ngeneratio\xfes = 1\n", 4,
                "[run] unknown key 'generatio\\xfes'; did you mean "
                "'generations'?");
}

/* A value that config.ini could not hold as itself is refused where it was
 * given: a run must be resumable from the config.ini it writes. */
static void test_unwritable_values(void **state)
{
    (void)state;
    expect_set("data.train=/tmp/my ;data.csv",
               "a ';' at the start or after a space starts a comment in "
               "config.ini");
    /* Quoted with the line break shown, the message one line. */
    const char *p = ini("set.ini", TRAIN);
    const char *sets[] = {"output.dir=/tmp/a\nb"};
    expect_fail(p, sets, 1,
                "--set output.dir=/tmp/a\\x0ab: a line break or control "
                "character cannot be written to config.ini");
    const char *tab[] = {"myfit.name=a\tb ;c"};
    expect_fail(ini("set.ini", TRAIN), tab, 1,
                "--set myfit.name=a\\x09b ;c: [myfit] name: a ';' at the "
                "start or after a space starts a comment in config.ini");
    /* A long --set is cut in the message, so the reason stays in it. */
    char huge[6000];
    memcpy(huge, "run.seed=", 9);
    memset(huge + 9, '9', 5000);
    huge[5009] = '\0';
    struct config c;
    struct error err;
    const char *big[] = {huge};
    assert_int_equal(config_load(&c, p, big, 1, &err), -1);
    assert_non_null(strstr(err.msg, "9999...: "));
    assert_non_null(strstr(err.msg, "expected"));
    char longdir[300];
    memset(longdir, 'd', 250);
    longdir[250] = '\0';
    char arg[400];
    snprintf(arg, sizeof arg, "output.dir=/tmp/%s", longdir);
    const char *longset[] = {arg};
    /* The message quotes the first 160 bytes of the value. */
    expect_fail(ini("set.ini", TRAIN), longset, 1,
                "--set output.dir=/tmp/%.155s...: too long for a line of "
                "config.ini (198 characters at most, with the key): a "
                "shorter path would do (a symbolic link, say)",
                longdir);
}

/* A runaway plug-in section is stopped at 4096 entries (each new key is
 * checked against the others), with the line that went over. */
static void test_too_many_extras(void **state)
{
    (void)state;
    size_t cap = 200000, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)snprintf(text + n, cap - n, TRAIN "[foo]\n");
    for (int i = 0; i < 5000; i++)
        n += (size_t)snprintf(text + n, cap - n, "k%d = 1\n", i);
    const char *p = ini("many.ini", text);
    /* Line 3 is [foo] (an entry), keys from line 4: the 4097th entry is
     * key 4095, on line 4099. */
    expect_fail(p, NULL, 0,
                "%s:4099: more than 4096 keys and sections of the fitness "
                "function's own",
                p);
    free(text);
}

static void test_missing_file(void **state)
{
    (void)state;
    char p[PATH_MAX];
    snprintf(p, sizeof p, "%s/nope.ini", tmpdir);
    expect_fail(p, NULL, 0, "cannot open '%s': %s", p, strerror(ENOENT));
}

/* A path longer than the message: the message is cut, never overrun. */
static void test_long_path(void **state)
{
    (void)state;
    char p[PATH_MAX];
    int n = snprintf(p, sizeof p, "%s/", tmpdir);
    while (n < 1500)
        n += snprintf(p + n, sizeof p - (size_t)n, "./");
    snprintf(p + n, sizeof p - (size_t)n, "deep.ini");
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs("[run]\nfoo = 1\n", f);
    assert_int_equal(fclose(f), 0);

    struct error err;
    struct config c;
    /* The message is the path cut to fit. */
    char want[sizeof err.msg];
    memcpy(want, p, sizeof want - 1);
    want[sizeof want - 1] = '\0';
    assert_int_equal(config_load(&c, p, NULL, 0, &err), -1);
    assert_string_equal(err.msg, want);

    /* The same for an error found after parsing. */
    f = fopen(p, "w");
    assert_non_null(f);
    fputs("[run]\npopulation = 1\n", f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(config_load(&c, p, NULL, 0, &err), -1);
    assert_string_equal(err.msg, want);
}

/* --- --set --------------------------------------------------------------- */

static void test_set_overrides(void **state)
{
    (void)state;
    const char *p = ini("over.ini", TRAIN "[run]\nseed = 5\npopulation = 9\n");
    const char *sets[] = {"run.seed=9", "run.population = 12 ",
                          "run.population=13", "data.test=rel/te.csv",
                          "fitness.metric=rmse"};
    struct config c;
    load_ok(&c, p, sets, 5);
    assert_true(c.run_seed == 9);
    assert_int_equal(c.run_population, 13); /* the last --set wins */
    assert_int_equal(c.origin[CFG_KEY_run_seed].line, -1);
    assert_string_equal(c.origin[CFG_KEY_run_seed].raw, "9");
    /* --set paths are relative to the working directory, as typed. */
    assert_string_equal(c.data_test, "rel/te.csv");
    assert_string_equal(c.fitness_metric, "rmse");
    config_release(&c);

    /* A --set may supply the training data, and an absolute path. */
    p = ini("over2.ini", "[run]\nseed = 5\n");
    const char *sets2[] = {"data.train=/x/t.csv"};
    load_ok(&c, p, sets2, 1);
    assert_string_equal(c.data_train, "/x/t.csv");
    config_release(&c);
}

static void test_set_errors(void **state)
{
    (void)state;
    expect_set("run.population=1", "expected 2..10000000, got 1");
    expect_set("run.population=lots", "expected an integer, got 'lots'");
    expect_set("run.seed=-3",
               "expected an integer 0..18446744073709551615, got '-3'");
    expect_set("fitness.metric=mes", "expected one of " METRICS ", got 'mes'; "
                                     "did you mean 'mse'?");
    expect_set("primitives.functions=add,sinn",
               "unknown function 'sinn'; did you mean 'sin'?");
    expect_set("operators.crossover=2", "expected 0..1, got 2");
    expect_set("tree.max_depth=2", "2 is less than [tree] init_max_depth (3)");

    /* Malformed arguments. */
    expect_set("runseed=3", "expected section.key=value");
    expect_set("run.seed", "expected section.key=value");
    expect_set("seed=run.3", "expected section.key=value");
    expect_set("", "expected section.key=value");

    /* Unknown keys. */
    expect_set("run.sed=3", "unknown key 'run.sed'; did you mean 'run.seed'?");
    expect_set("tree.max_dept=3",
               "unknown key 'tree.max_dept'; did you mean 'tree.max_depth'?");
    expect_set("run.max_depth=3",
               "unknown key 'run.max_depth' (see: forkgp help keys)");
    expect_set("fitness.functon=ant.so",
               "unknown key 'fitness.functon'; did you mean "
               "'fitness.function'?");
    expect_set("fitness.bar=1",
               "unknown key 'fitness.bar' (see: forkgp help keys)");
    /* A section or key left empty names nothing, not a plug-in's key. */
    expect_set(".steps=1", "unknown key '.steps' (see: forkgp help keys)");
    expect_set("ant.=1", "unknown key 'ant.' (see: forkgp help keys)");
    expect_set(" . =1", "unknown key '.' (see: forkgp help keys)");

    /* A --set error wins over the file's values it replaces. */
    const char *p = ini("setfile.ini", TRAIN "[run]\npopulation = 50\n");
    const char *sets[] = {"run.population=1"};
    expect_fail(p, sets, 1,
                "--set run.population=1: expected 2..10000000, "
                "got 1");
    /* Values are checked once every --set is applied: a --set can mend a
     * bad value in the file, and a bad --set is reported before it. */
    p = ini("setfile.ini", TRAIN "[run]\npopulation = x\n");
    const char *mend[] = {"run.population=50"};
    struct config c;
    load_ok(&c, p, mend, 1);
    assert_int_equal(c.run_population, 50);
    config_release(&c);
    const char *sets2[] = {"nodot=1"};
    expect_fail(p, sets2, 1, "--set nodot=1: expected section.key=value");
    /* Errors in the file's layout come first. */
    p = ini("setfile.ini", TRAIN "[run]\npopulaton = 1\n");
    expect_fail(p, sets2, 1,
                "%s:4: [run] unknown key 'populaton'; did you mean "
                "'population'?",
                p);
}

/* --- [fitness] function -------------------------------------------------- */

/* A built-in name is kept as is; a path (a '/' in it, or ending in .so) is
 * resolved against the INI's folder like a PATH key, except from --set. */
static void test_fitness_function(void **state)
{
    (void)state;
    static const struct {
        const char *raw, *want; /* want NULL: tmpdir/raw */
    } cases[] = {
        {"regression", "regression"},
        {"classification", "classification"},
        {"boolean", "boolean"},
        {"my_fitness", "my_fitness"},
        {"ant.so", NULL},
        {"plugins/ant.so", NULL},
        {"sub/ant", NULL},
        {"./ant", NULL},
        {"../build/examples/ant.so", NULL},
        {"/abs/ant.so", "/abs/ant.so"},
        {"/abs/ant", "/abs/ant"},
        {"ant.so.1", "ant.so.1"}, /* neither a '/' nor ending in .so */
        {"ant.SO", "ant.SO"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char text[256], want[PATH_MAX + 64];
        snprintf(text, sizeof text, TRAIN "[fitness]\nfunction = %s\n",
                 cases[i].raw);
        if (cases[i].want)
            snprintf(want, sizeof want, "%s", cases[i].want);
        else
            snprintf(want, sizeof want, "%s/%s", tmpdir, cases[i].raw);
        struct config c;
        load_ok(&c, ini("function.ini", text), NULL, 0);
        assert_string_equal(c.fitness_function, want);
        assert_string_equal(c.origin[CFG_KEY_fitness_function].raw,
                            cases[i].raw);
        assert_int_equal(c.origin[CFG_KEY_fitness_function].line, 4);
        config_release(&c);

        /* From --set: as typed (relative to the working directory). */
        char arg[256];
        snprintf(arg, sizeof arg, "fitness.function= %s ", cases[i].raw);
        const char *sets[] = {arg};
        load_ok(&c, ini("function_set.ini", TRAIN), sets, 1);
        assert_string_equal(c.fitness_function, cases[i].raw);
        assert_int_equal(c.origin[CFG_KEY_fitness_function].line, -1);
        config_release(&c);
    }

    /* Relative to the INI's folder, not the working directory. */
    char old[PATH_MAX], cwd[PATH_MAX], want[PATH_MAX + 32];
    assert_non_null(getcwd(old, sizeof old));
    ini("sub/fn.ini", "[fitness]\nfunction = ../lib/ant.so\n");
    assert_int_equal(chdir(tmpdir), 0);
    assert_non_null(getcwd(cwd, sizeof cwd));
    struct config c;
    load_ok(&c, "sub/fn.ini", NULL, 0);
    snprintf(want, sizeof want, "%s/sub/../lib/ant.so", cwd);
    assert_string_equal(c.fitness_function, want);
    config_release(&c);
    assert_int_equal(chdir(old), 0);

    /* The layout rules of every key. */
    expect_line("[fitness]\nfunction = a.so\nfunction = b.so\n", 5,
                "[fitness] function: already set at line 4");
    expect_line("[fitness]\nfuncton = ant.so\n", 4,
                "[fitness] unknown key 'functon'; did you mean 'function'?");
    expect_line("[run]\nfunction = ant.so\n", 4,
                "[run] unknown key 'function'; it belongs in [fitness]");
}

/* --- a plug-in's own sections (extras) ----------------------------------- */

static void test_extras_file(void **state)
{
    (void)state;
    struct config c;
    load_ok(&c,
            ini("extras.ini", TRAIN "[ant]\n"                   /* 3 */
                                    "steps = 600 ; a comment\n" /* 4 */
                                    "moves=left , right\n"      /* 5 */
                                    "empty =\n"                 /* 6 */
                                    "[bogus]\n"                 /* 7 */
                                    "[run]\n"                   /* 8 */
                                    "seed = 2\n"                /* 9 */
                                    "[ant]\n"                   /* 10 */
                                    "  limit = 3\n"             /* 11 */
                                    "[bee]\n"                   /* 12 */
                                    "steps = 7\n"               /* 13 */
                                    "seed = 8\n"),              /* 14 */
            NULL, 0);
    assert_true(c.run_seed == 2); /* [bee] seed is the plug-in's */
    assert_int_equal(c.nextras, 10);
    expect_extra(&c, 0, "ant", NULL, NULL, 3);
    expect_extra(&c, 1, "ant", "steps", "600", 4);
    expect_extra(&c, 2, "ant", "moves", "left , right", 5);
    expect_extra(&c, 3, "ant", "empty", "", 6);
    expect_extra(&c, 4, "bogus", NULL, NULL, 7);
    expect_extra(&c, 5, "ant", NULL, NULL, 10);
    expect_extra(&c, 6, "ant", "limit", "3", 11);
    expect_extra(&c, 7, "bee", NULL, NULL, 12);
    expect_extra(&c, 8, "bee", "steps", "7", 13);
    expect_extra(&c, 9, "bee", "seed", "8", 14);

    assert_int_equal(config_find_extra(&c, "ant", "steps"), 1);
    assert_int_equal(config_find_extra(&c, "ant", "limit"), 6);
    assert_int_equal(config_find_extra(&c, "bee", "steps"), 8);
    assert_int_equal(config_find_extra(&c, "ant", "seed"), -1);
    assert_int_equal(config_find_extra(&c, "ant", "Steps"), -1);
    assert_int_equal(config_find_extra(&c, "bogus", "x"), -1);
    assert_int_equal(config_find_extra(&c, "run", "seed"), -1);
    assert_int_equal(config_find_extra(&c, "nope", "steps"), -1);
    config_release(&c);
    assert_int_equal(c.nextras, 0);
    assert_null(c.extras);

    assert_true(config_core_section("run"));
    assert_true(config_core_section("output"));
    assert_false(config_core_section("ant"));
    assert_false(config_core_section("Run"));
    assert_false(config_core_section(""));

    /* Layout errors in a plug-in's section are refused at load. */
    expect_line("[ant]\nsteps = 1\nsteps = 2\n", 5,
                "[ant] steps: already set at line 4");
    expect_line("[ant]\nsteps = 1\n[run]\nseed = 1\n[ant]\nmoves = 3\n"
                "steps = 2\n",
                9, "[ant] steps: already set at line 4");
    expect_line("[ant]\nsteps = 1\n  2\n", 5,
                "[ant] steps: indented line continues the value; values are "
                "one line");
    expect_line("[ant]\n  steps = 1\n  moves = 2\n", 5,
                "[ant] steps: indented line continues the value; values are "
                "one line");
    expect_line("[ant]\nsteps 1\n", 4,
                "syntax error: expected [section], key = value or a comment");
    /* An error after the extras: nothing is left behind (see expect_fail
     * and valgrind). */
    expect_line("[ant]\nsteps = 1\n[bee]\n[run]\npopulation = 1\n", 7,
                "[run] population: expected 2..10000000, got 1");
    const char *p = ini("extras_set.ini", TRAIN "[ant]\nsteps = 1\n");
    const char *sets[] = {"ant.moves=2", "run.population=1"};
    expect_fail(p, sets, 2,
                "--set run.population=1: expected 2..10000000, got 1");
}

static void test_extras_set(void **state)
{
    (void)state;
    struct config c;
    /* A plug-in's key from --set: an extra with line -1, trimmed like a
     * core key; the file's entries stay, the last one set wins. */
    const char *p = ini("xset.ini", TRAIN "[ant]\nsteps = 600\n");
    const char *sets[] = {"ant.steps=5", " ant . moves = left, right ",
                          "bee.x=", "ant.steps=6", "run.seed=3"};
    load_ok(&c, p, sets, 5);
    assert_true(c.run_seed == 3);
    assert_int_equal(c.nextras, 6);
    expect_extra(&c, 0, "ant", NULL, NULL, 3);
    expect_extra(&c, 1, "ant", "steps", "600", 4);
    expect_extra(&c, 2, "ant", "steps", "5", -1);
    expect_extra(&c, 3, "ant", "moves", "left, right", -1);
    expect_extra(&c, 4, "bee", "x", "", -1);
    expect_extra(&c, 5, "ant", "steps", "6", -1);
    assert_int_equal(config_find_extra(&c, "ant", "steps"), 5);
    assert_int_equal(config_find_extra(&c, "ant", "moves"), 3);
    assert_int_equal(config_find_extra(&c, "bee", "x"), 4);
    config_release(&c);

    /* No section of its own in the file: no [section] entry either. */
    const char *one[] = {"ant.steps=5"};
    load_ok(&c, ini("xset2.ini", TRAIN), one, 1);
    assert_int_equal(c.nextras, 1);
    expect_extra(&c, 0, "ant", "steps", "5", -1);
    config_release(&c);
}

/* Calls config_check_extras on c; expects rc and, on -1, the message
 * fmt... (with %s for c's file, given as the first argument). */
static void check_extras_is(const struct config *c, const char *own,
                            const unsigned char *used, const char *const *asked,
                            size_t nasked, const char *want)
{
    struct error err;
    memset(&err, 0, sizeof err);
    int rc = config_check_extras(c, own, used, asked, nasked, &err);
    if (!want) {
        if (rc != 0)
            fail_msg("config_check_extras: %s", err.msg);
        return;
    }
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, want);
}

/* Loads TRAIN + body (with the --sets) into *c. */
static const char *load_extras(struct config *c, const char *body,
                               const char *const *sets, int nsets)
{
    char text[4096];
    snprintf(text, sizeof text, TRAIN "%s", body);
    const char *p = ini("check.ini", text);
    load_ok(c, p, sets, nsets);
    return p;
}

static void test_check_extras(void **state)
{
    (void)state;
    struct config c;
    char want[PATH_MAX + 512];
    static const char *const asked[] = {"steps", "moves"};
    const unsigned char none[16] = {0};

    /* Nothing extra: nothing to check. */
    load_extras(&c, "[run]\nseed = 1\n", NULL, 0);
    assert_int_equal(c.nextras, 0);
    check_extras_is(&c, "ant", none, NULL, 0, NULL);
    check_extras_is(&c, NULL, none, NULL, 0, NULL);
    config_release(&c);

    /* Every key read: fine (the [ant] line itself is never "read"). */
    load_extras(&c, "[ant]\nsteps = 600\nmoves = 3\n", NULL, 0);
    assert_int_equal(c.nextras, 3);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 1}, asked, 2,
                    NULL);

    /* An unread key of the own section, with and without a near miss. */
    const char *p = c.file;
    snprintf(want, sizeof want, "%s:5: [ant] unknown key 'moves'", p);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 0}, NULL, 0, want);
    snprintf(want, sizeof want, "%s:4: [ant] unknown key 'steps'", p);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 0, 0}, NULL, 0, want);
    config_release(&c);

    p = load_extras(&c, "[ant]\nstpes = 600\nmoves = 3\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:4: [ant] unknown key 'stpes'; did you mean 'steps'?", p);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 0, 1}, asked, 2,
                    want);
    config_release(&c);

    p = load_extras(&c, "[ant]\nfrobnicate = 1\n", NULL, 0);
    snprintf(want, sizeof want, "%s:4: [ant] unknown key 'frobnicate'", p);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 0}, asked, 2, want);
    config_release(&c);

    /* A bare own section is fine; so is it opened twice. */
    load_extras(&c, "[ant]\n", NULL, 0);
    check_extras_is(&c, "ant", none, asked, 2, NULL);
    config_release(&c);
    load_extras(&c, "[ant]\nsteps = 1\n[run]\n[ant]\n", NULL, 0);
    assert_int_equal(c.nextras, 3);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 0}, asked, 2,
                    NULL);
    config_release(&c);

    /* A section nobody read: cited at its [section] line. */
    p = load_extras(&c, "[bogus]\nx = 1\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:3: unknown section [bogus] " SECTIONS " and ant)", p);
    check_extras_is(&c, "ant", none, asked, 2, want);
    snprintf(want, sizeof want, "%s:3: unknown section [bogus] " SECTIONS ")",
             p);
    check_extras_is(&c, NULL, none, NULL, 0, want);
    config_release(&c);
    p = load_extras(&c, "[bogus]\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:3: unknown section [bogus] " SECTIONS " and ant)", p);
    check_extras_is(&c, "ant", none, asked, 2, want);
    config_release(&c);
    /* ... with a near miss, of the own section too. */
    p = load_extras(&c, "[ants]\nsteps = 1\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:3: unknown section [ants]; did you mean [ant]?", p);
    check_extras_is(&c, "ant", none, asked, 2, want);
    snprintf(want, sizeof want, "%s:3: unknown section [ants] " SECTIONS ")",
             p);
    check_extras_is(&c, NULL, none, NULL, 0, want);
    config_release(&c);
    p = load_extras(&c, "[ant]\nsteps = 1\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:3: unknown section [ant]; did you mean [ants]?", p);
    check_extras_is(&c, "ants", none, asked, 2, want);
    config_release(&c);

    /* A section counts as known once any key of it was read: the others
     * are unknown keys of it. */
    p = load_extras(&c, "[shared]\na = 1\nb = 2\n", NULL, 0);
    snprintf(want, sizeof want, "%s:5: [shared] unknown key 'b'", p);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 0}, asked, 2,
                    want);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 1}, asked, 2,
                    NULL);
    config_release(&c);

    /* The first unread entry, in file order, is the one reported. */
    p = load_extras(&c, "[ant]\nstpes = 1\n[bogus]\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:4: [ant] unknown key 'stpes'; did you mean 'steps'?", p);
    check_extras_is(&c, "ant", none, asked, 2, want);
    config_release(&c);
    p = load_extras(&c, "[bogus]\n[ant]\nstpes = 1\n", NULL, 0);
    snprintf(want, sizeof want,
             "%s:3: unknown section [bogus] " SECTIONS " and ant)", p);
    check_extras_is(&c, "ant", none, asked, 2, want);
    config_release(&c);

    /* From --set: cited as the --set argument. */
    const char *sets[] = {"ant.stpes = 5"};
    load_extras(&c, "", sets, 1);
    check_extras_is(&c, "ant", none, asked, 2,
                    "--set ant.stpes=5: [ant] unknown key 'stpes'; did you "
                    "mean 'steps'?");
    check_extras_is(&c, "ant", (const unsigned char[]){1}, asked, 2, NULL);
    config_release(&c);
    const char *sets2[] = {"bogus.x=1"};
    load_extras(&c, "[ant]\nsteps = 1\n", sets2, 1);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 0}, asked, 2,
                    "--set bogus.x=1: unknown section [bogus] " SECTIONS
                    " and ant)");
    config_release(&c);
    /* A file key overridden by --set: both read, fine. */
    const char *sets3[] = {"ant.steps=5"};
    load_extras(&c, "[ant]\nsteps = 1\n", sets3, 1);
    check_extras_is(&c, "ant", (const unsigned char[]){0, 1, 1}, asked, 2,
                    NULL);
    config_release(&c);
}

/* --- dump, hash, reference ----------------------------------------------- */

/* config_dump's text, malloc'd. */
/* Not inlined: GCC 12 then takes the text for a pointer to the local
 * variable holding it (-Wdangling-pointer, a false alarm). */
static __attribute__((noinline)) char *dump_text(const struct config *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    config_dump(c, mem);
    assert_int_equal(fclose(mem), 0);
    return text;
}

static void test_dump_reloads(void **state)
{
    (void)state;
    const char *p = ini("orig.ini", TRAIN "test = te.csv\ntarget = y\n"
                                          "[run]\nseed = 77\n"
                                          "max_seconds = 0.1\n"
                                          "[fitness]\nmetric = nmse\n"
                                          "function = plug/fit.so\n"
                                          "target_fitness = 1e-3\n"
                                          "parsimony = 0.3\n"
                                          "[primitives]\n"
                                          "functions = add, sin, max\n"
                                          "constants = pi, -2..2\n"
                                          "[operators]\ncrossover = 0.7\n"
                                          "reproduction = 0.25\n");
    char orig[PATH_MAX];
    snprintf(orig, sizeof orig, "%s", p);
    struct config c1, c2;
    load_ok(&c1, orig, NULL, 0);
    char *text1 = dump_text(&c1);

    char head[PATH_MAX + 64];
    snprintf(head, sizeof head,
             "; forkgp " FORKGP_VERSION ": effective configuration of %s\n",
             orig);
    assert_int_equal(strncmp(text1, head, strlen(head)), 0);

    const char *copy = ini("dump.ini", text1);
    load_ok(&c2, copy, NULL, 0);
    char *text2 = dump_text(&c2);
    const char *body1 = strchr(text1, '\n'), *body2 = strchr(text2, '\n');
    assert_non_null(body1);
    assert_non_null(body2);
    assert_string_equal(body1, body2);
    assert_true(config_hash(&c1) == config_hash(&c2));
    assert_string_equal(c2.data_train, c1.data_train);
    assert_string_equal(c2.output_dir, "runs/orig");
    assert_true(c2.operators_crossover == 0.7);
    assert_true(c2.fitness_target_fitness == 1e-3);
    char fn[PATH_MAX + 32];
    snprintf(fn, sizeof fn, "%s/plug/fit.so", tmpdir);
    assert_string_equal(c1.fitness_function, fn);
    assert_string_equal(c2.fitness_function, fn); /* absolute: kept */
    assert_int_equal(c2.nextras, 0);

    /* One value changed, the hash changes. */
    struct config c3;
    const char *sets[] = {"run.seed=78"};
    load_ok(&c3, orig, sets, 1);
    assert_true(config_hash(&c3) != config_hash(&c1));
    config_release(&c3);
    const char *sets2[] = {"fitness.parsimony=0.30000000000000004"};
    load_ok(&c3, orig, sets2, 1);
    assert_true(config_hash(&c3) != config_hash(&c1));
    config_release(&c3);
    const char *sets3[] = {"fitness.function=regression"};
    load_ok(&c3, orig, sets3, 1);
    assert_true(config_hash(&c3) != config_hash(&c1));
    config_release(&c3);
    /* The same values from another file name: the same hash. */
    load_ok(&c3, ini("renamed.ini", text1), NULL, 0);
    assert_true(config_hash(&c3) == config_hash(&c1));
    config_release(&c3);

    free(text1);
    free(text2);
    config_release(&c1);
    config_release(&c2);
}

/* A default-only config dumps and reloads too (empty strings, none). */
static void test_dump_defaults(void **state)
{
    (void)state;
    struct config c1, c2;
    load_ok(&c1, ini("defaults.ini", TRAIN), NULL, 0);
    char *text1 = dump_text(&c1);
    load_ok(&c2, ini("defaults_dump.ini", text1), NULL, 0);
    char *text2 = dump_text(&c2);
    assert_string_equal(strchr(text1, '\n'), strchr(text2, '\n'));
    assert_true(config_hash(&c1) == config_hash(&c2));
    assert_true(isnan(c2.fitness_target_fitness));
    assert_string_equal(c2.data_test, "");
    free(text1);
    free(text2);
    config_release(&c1);
    config_release(&c2);
}

/* A plug-in's sections come after forkgp's, each once, each key with the
 * value that won; the dump reloads to the same dump. */
static void test_dump_extras(void **state)
{
    (void)state;
    const char *p = ini("xdump.ini", TRAIN "[ant]\n"
                                           "steps = 600\n"
                                           "moves = left, right\n"
                                           "[bogus]\n"
                                           "[run]\n"
                                           "seed = 3\n"
                                           "[ant]\n"
                                           "limit = 2\n"
                                           "empty =\n");
    char orig[PATH_MAX];
    snprintf(orig, sizeof orig, "%s", p);
    const char *sets[] = {"ant.steps=5", " zed.k = v w "};
    struct config c1, c2, c3;
    load_ok(&c1, orig, sets, 2);
    char *text1 = dump_text(&c1);

    /* After the last core section, in the order each section first
     * appears; --set ant.steps replaces the file's 600. */
    const char *out = strstr(text1, "\n[output]\n");
    const char *ant = strstr(text1, "\n[ant]\n");
    assert_non_null(out);
    assert_non_null(ant);
    assert_true(out < ant);
    assert_null(strstr(ant + 1, "\n[ant]\n")); /* once */
    assert_null(strstr(text1, "600"));
    const char *tail = "\n[ant]\n"
                       "moves = left, right\n"
                       "limit = 2\n"
                       "empty = \n"
                       "steps = 5\n"
                       "\n[bogus]\n"
                       "\n[zed]\n"
                       "k = v w\n";
    size_t n1 = strlen(text1), nt = strlen(tail);
    assert_true(n1 > nt);
    assert_string_equal(text1 + n1 - nt, tail);

    /* Reloaded: the same dump, the same hash, the same winning values. */
    load_ok(&c2, ini("xdump2.ini", text1), NULL, 0);
    char *text2 = dump_text(&c2);
    assert_string_equal(strchr(text1, '\n'), strchr(text2, '\n'));
    assert_true(config_hash(&c1) == config_hash(&c2));
    int i = config_find_extra(&c2, "ant", "steps");
    assert_true(i >= 0);
    assert_string_equal(c2.extras[i].value, "5");
    assert_true(c2.extras[i].line > 0);
    i = config_find_extra(&c2, "zed", "k");
    assert_true(i >= 0);
    assert_string_equal(c2.extras[i].value, "v w");
    i = config_find_extra(&c2, "ant", "empty");
    assert_true(i >= 0);
    assert_string_equal(c2.extras[i].value, "");
    free(text2);
    config_release(&c2);

    /* An extra's value changes the hash; so does a new extra key, or a
     * new (empty) section. */
    const char *six[] = {"ant.steps=6", " zed.k = v w "};
    load_ok(&c3, orig, six, 2);
    assert_true(config_hash(&c3) != config_hash(&c1));
    config_release(&c3);
    const char *more[] = {"ant.steps=5", " zed.k = v w ", "zed.j=1"};
    load_ok(&c3, orig, more, 3);
    assert_true(config_hash(&c3) != config_hash(&c1));
    config_release(&c3);
    const char *same[] = {"ant.steps=5", "zed.k=v w"};
    load_ok(&c3, orig, same, 2);
    assert_true(config_hash(&c3) == config_hash(&c1));
    config_release(&c3);
    load_ok(&c3, orig, sets, 2);
    assert_true(config_hash(&c3) == config_hash(&c1));
    config_release(&c3);
    load_ok(&c3, ini("xdump3.ini", text1), NULL, 0);
    assert_true(config_hash(&c3) == config_hash(&c1));
    config_release(&c3);
    char *text3 = malloc(n1 + 32);
    assert_non_null(text3);
    snprintf(text3, n1 + 32, "%s[yak]\n", text1);
    load_ok(&c3, ini("xdump3.ini", text3), NULL, 0);
    assert_true(config_hash(&c3) != config_hash(&c1));
    config_release(&c3);
    free(text3);

    /* With no extras, the dump ends with the core sections. */
    load_ok(&c3, ini("xdump4.ini", TRAIN), NULL, 0);
    char *text4 = dump_text(&c3);
    const char *last = strstr(text4, "\n[output]\n");
    assert_non_null(last);
    assert_null(strchr(last + strlen("\n[output]\n"), '['));
    free(text4);
    config_release(&c3);

    free(text1);
    config_release(&c1);
}

/* Counts the cells of a Markdown table row: unescaped '|' minus one. */
static int markdown_cells(const char *line, size_t len)
{
    int pipes = 0;
    for (size_t i = 0; i < len; i++)
        if (line[i] == '|' && (i == 0 || line[i - 1] != '\\'))
            pipes++;
    return pipes - 1;
}

static void test_reference(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    config_reference(mem, CONFIG_REF_MARKDOWN);
    assert_int_equal(fclose(mem), 0);

    int lines = 0, rows = 0;
    for (const char *s = text; *s;) {
        const char *nl = strchr(s, '\n');
        assert_non_null(nl);
        assert_int_equal(markdown_cells(s, (size_t)(nl - s)), 5);
        if (strncmp(s, "| `[", 4) == 0) {
            const struct config_key *key = &config_keys[rows];
            char cell[128];
            snprintf(cell, sizeof cell, "| `[%s] %s` |", key->section,
                     key->name);
            assert_int_equal(strncmp(s, cell, strlen(cell)), 0);
            rows++;
        }
        lines++;
        s = nl + 1;
    }
    assert_int_equal(rows, CONFIG_NKEYS);
    assert_int_equal(lines, CONFIG_NKEYS + 2);
    assert_int_equal(strncmp(text,
                             "| key | type | default | allowed | "
                             "meaning |\n|---|---|---|---|---|\n",
                             strlen("| key | type | default | allowed | "
                                    "meaning |\n|---|---|---|---|---|\n")),
                     0);
    free(text);

    /* Plain text: two lines per key. */
    text = NULL;
    mem = open_memstream(&text, &len);
    assert_non_null(mem);
    config_reference(mem, CONFIG_REF_TEXT);
    assert_int_equal(fclose(mem), 0);
    lines = 0;
    for (const char *s = text; *s; s++)
        lines += *s == '\n';
    assert_int_equal(lines, 2 * CONFIG_NKEYS);
    assert_non_null(strstr(text, "  [tree] max_depth = 17 (integer, 0..256)"));
    assert_non_null(
        strstr(text, "  [fitness] function = regression (name or path)\n"));
    assert_non_null(strstr(text, "(choice, " METRICS ")\n"));
    free(text);
}

/* The TSV reference: a header, then a line of 8 fields per key, in the
 * table's order, with what programs read of it exact. */
static void test_reference_tsv(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    assert_non_null(mem);
    config_reference(mem, CONFIG_REF_TSV);
    assert_int_equal(fclose(mem), 0);
    const char *header = "section\tkey\ttype\tdefault\tmin\tmax\tchoices\thelp\n";
    assert_int_equal(strncmp(text, header, strlen(header)), 0);
    int rows = 0;
    for (const char *s = text + strlen(header); *s; rows++) {
        const char *nl = strchr(s, '\n');
        assert_non_null(nl);
        int tabs = 0;
        for (const char *c = s; c < nl; c++)
            tabs += *c == '\t';
        assert_int_equal(tabs, 7);
        assert_true(rows < CONFIG_NKEYS);
        const struct config_key *key = &config_keys[rows];
        char start[128];
        snprintf(start, sizeof start, "%s\t%s\t", key->section, key->name);
        assert_int_equal(strncmp(s, start, strlen(start)), 0);
        s = nl + 1;
    }
    assert_int_equal(rows, CONFIG_NKEYS);
    assert_non_null(strstr(text, "\ntree\tmax_depth\tint\t17\t0\t256\t\t"));
    assert_non_null(strstr(text, "\nrun\tworkers\tautoint\tauto\t0\t1024\t\t"));
    assert_non_null(strstr(text, "\noperators\tcrossover\treal\t0.9\t0\t1\t\t"));
    assert_non_null(strstr(text, "\nfitness\tlinear_scaling\tchoice\tauto\t\t\t"
                                 "auto|yes|no\t"));
    assert_non_null(strstr(text, "\nrun\tseed\tseed\t1\t\t\t\t"));
    assert_non_null(strstr(text, "\ndata\ttrain\tpath\t\t\t\t\t"));
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_defaults),
        cmocka_unit_test(test_every_key_set),
        cmocka_unit_test(test_relative_ini),
        cmocka_unit_test(test_output_dir_default),
        cmocka_unit_test(test_target_fitness),
        cmocka_unit_test(test_unknown_section),
        cmocka_unit_test(test_unknown_key),
        cmocka_unit_test(test_key_in_other_section),
        cmocka_unit_test(test_key_outside_section),
        cmocka_unit_test(test_bad_integer),
        cmocka_unit_test(test_auto_integer),
        cmocka_unit_test(test_bad_real),
        cmocka_unit_test(test_bad_seed),
        cmocka_unit_test(test_bad_choice),
        cmocka_unit_test(test_bad_functions),
        cmocka_unit_test(test_bad_constants),
        cmocka_unit_test(test_duplicate_key),
        cmocka_unit_test(test_continuation),
        cmocka_unit_test(test_indented_keys),
        cmocka_unit_test(test_indented_section),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_long_line),
        cmocka_unit_test(test_syntax_error),
        cmocka_unit_test(test_no_train),
        cmocka_unit_test(test_depth_order),
        cmocka_unit_test(test_population_rules),
        cmocka_unit_test(test_rates_sum),
        cmocka_unit_test(test_unreadable_text),
        cmocka_unit_test(test_unwritable_values),
        cmocka_unit_test(test_messages_escaped),
        cmocka_unit_test(test_too_many_extras),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_fitness_function),
        cmocka_unit_test(test_extras_file),
        cmocka_unit_test(test_extras_set),
        cmocka_unit_test(test_check_extras),
        cmocka_unit_test(test_dump_reloads),
        cmocka_unit_test(test_dump_defaults),
        cmocka_unit_test(test_dump_extras),
        cmocka_unit_test(test_reference),
        cmocka_unit_test(test_reference_tsv),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
