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

/* The first lines of most files: the one required key. */
#define TRAIN "[data]\ntrain = t.csv\n"
#define SECTIONS                                                               \
    "(sections: run, data, fitness, primitives, tree, operators, output)"

/* One scratch directory for the whole run (plus its sub/ folder), removed
 * by the group teardown. */
static char tmpdir[] = "/tmp/test_config.XXXXXX";
static char path[PATH_MAX]; /* the file ini() wrote last */

static int group_setup(void **state)
{
    (void)state;
    if (!mkdtemp(tmpdir))
        return -1;
    char sub[PATH_MAX];
    snprintf(sub, sizeof sub, "%s/sub", tmpdir);
    return mkdir(sub, 0700);
}

/* Removes the plain files in dir, then dir. */
static int remove_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    struct dirent *e;
    char p[PATH_MAX];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
            strcmp(e->d_name, "sub") == 0)
            continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    return rmdir(dir);
}

static int group_teardown(void **state)
{
    (void)state;
    char sub[PATH_MAX];
    snprintf(sub, sizeof sub, "%s/sub", tmpdir);
    int rc = remove_dir(sub);
    return remove_dir(tmpdir) < 0 ? -1 : rc;
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
    struct config_error err;
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
    struct config_error err;
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
    assert_int_equal(CONFIG_NKEYS, 27);
    assert_true(c.run_seed == 1);
    assert_int_equal(c.run_population, 500);
    assert_int_equal(c.tree_max_depth, 17);
    assert_true(c.operators_crossover == 0.9);
    assert_true(isnan(c.fitness_target_fitness));
    assert_string_equal(c.fitness_metric, "mse");
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
                                    "\n"
                                    "[data]\n"
                                    "train = /abs/train.csv\n"
                                    "test = sub/te.csv ; inline comment\n"
                                    "target = y\n"
                                    "[fitness]\n"
                                    "metric = r2\n"
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
    assert_string_equal(c.data_train, "/abs/train.csv"); /* kept */
    snprintf(want, sizeof want, "%s/sub/te.csv", tmpdir);
    assert_string_equal(c.data_test, want);
    assert_string_equal(c.data_target, "y");
    assert_string_equal(c.fitness_metric, "r2");
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
    assert_int_equal(c.origin[CFG_KEY_output_dir].line, 37);
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

static void test_unknown_section(void **state)
{
    (void)state;
    expect_line("[tre]\nmax_depth = 5\n", 3,
                "unknown section [tre]; did you mean [tree]?");
    expect_line("[ Operator ]\n", 3,
                "unknown section [Operator]; did you mean [operators]?");
    expect_line("[bogus]\nx = 1\n", 3, "unknown section [bogus] " SECTIONS);
    /* No keys in it: inih reports nothing, the reader still does. */
    expect_line("[extra]\n", 3, "unknown section [extra] " SECTIONS);
    expect_line("[extra]\n; just a comment\n", 3,
                "unknown section [extra] " SECTIONS);
    const char *p = ini("first.ini", "[runn]\n" TRAIN);
    expect_fail(p, NULL, 0, "%s:1: unknown section [runn]; did you mean [run]?",
                p);
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
                "[fitness] metric: expected one of mse, rmse, mae, nmse, r2, "
                "got 'mes'; did you mean 'mse'?");
    expect_line("[fitness]\nmetric = R2\n", 4,
                "[fitness] metric: expected one of mse, rmse, mae, nmse, r2, "
                "got 'R2'; did you mean 'r2'?");
    expect_line("[fitness]\nmetric = accuracy\n", 4,
                "[fitness] metric: expected one of mse, rmse, mae, nmse, r2, "
                "got 'accuracy'");
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
                "[primitives] functions: empty function name");
}

static void test_bad_constants(void **state)
{
    (void)state;
    expect_line("[primitives]\nconstants = 1..1\n", 4,
                "[primitives] constants: expected a range LO..HI with LO < "
                "HI, got '1..1'");
    expect_line("[primitives]\nconstants = pi, 2 .. -2\n", 4,
                "[primitives] constants: expected a range LO..HI with LO < "
                "HI, got '2..-2'");
    expect_line("[primitives]\nconstants = 1, x..2\n", 4,
                "[primitives] constants: expected a range LO..HI with LO < "
                "HI, got 'x..2'");
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

    /* The mark does not hide an unknown first section. */
    const char *p = ini("bom.ini", "\xEF\xBB\xBF[bogus]\n" TRAIN);
    expect_fail(p, NULL, 0, "%s:1: unknown section [bogus] " SECTIONS, p);
    p = ini("bom.ini", "\xEF\xBB\xBF[dta]\ntrain = t.csv\n");
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

static void test_missing_train(void **state)
{
    (void)state;
    const char *p = ini("notrain.ini", "[run]\nseed = 1\n");
    expect_fail(p, NULL, 0, "%s: [data] train: required: the training data CSV",
                p);
    p = ini("notrain.ini", "[data]\ntrain =\n");
    expect_fail(p, NULL, 0,
                "%s:2: [data] train: required: the training data CSV", p);
    p = ini("empty.ini", "");
    expect_fail(p, NULL, 0, "%s: [data] train: required: the training data CSV",
                p);
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
             "point_mutation + hoist_mutation + reproduction must be 1, got "
             "%.17g",
             sum);
    expect_line("[operators]\ncrossover = 0.8\n", 4, rest);

    /* The rate set last in the file is cited. */
    x = 0.9;
    sum = x + 0.02 + 0.02 + 0.01 + 0.1;
    snprintf(rest, sizeof rest,
             "[operators] reproduction: crossover + subtree_mutation + "
             "point_mutation + hoist_mutation + reproduction must be 1, got "
             "%.17g",
             sum);
    expect_line("[operators]\ncrossover = 0.9\nreproduction = 0.1\n", 5, rest);
    x = 0.8;
    sum = x + 0.02 + 0.02 + 0.01 + 0.1;
    snprintf(rest, sizeof rest,
             "[operators] crossover: crossover + subtree_mutation + "
             "point_mutation + hoist_mutation + reproduction must be 1, got "
             "%.17g",
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

    struct config_error err;
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
    fputs("[run]\nseed = 1\n", f);
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

    /* A --set may supply the required key, and an absolute path. */
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
    expect_set("fitness.metric=mes", "expected one of mse, rmse, mae, nmse, "
                                     "r2, got 'mes'; did you mean 'mse'?");
    expect_set("primitives.functions=add,sinn",
               "unknown function 'sinn'; did you mean 'sin'?");
    expect_set("operators.crossover=2", "expected 0..1, got 2");
    expect_set("tree.max_depth=2", "2 is less than [tree] init_max_depth (3)");
    expect_set("data.train=", "required: the training data CSV");

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
    expect_set("foo.bar=1", "unknown key 'foo.bar' (see: forkgp help keys)");

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

/* --- dump, hash, reference ----------------------------------------------- */

/* config_dump's text, malloc'd. */
static char *dump_text(const struct config *c)
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
    config_reference(mem, 1);
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
    config_reference(mem, 0);
    assert_int_equal(fclose(mem), 0);
    lines = 0;
    for (const char *s = text; *s; s++)
        lines += *s == '\n';
    assert_int_equal(lines, 2 * CONFIG_NKEYS);
    assert_non_null(strstr(text, "  [tree] max_depth = 17 (integer, 0..256)"));
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
        cmocka_unit_test(test_missing_train),
        cmocka_unit_test(test_depth_order),
        cmocka_unit_test(test_population_rules),
        cmocka_unit_test(test_rates_sum),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_long_path),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_dump_reloads),
        cmocka_unit_test(test_dump_defaults),
        cmocka_unit_test(test_reference),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
