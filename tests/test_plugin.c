/* test_plugin: the plug-in loader on shared objects built at test time:
 * its refusals (no file, not a shared object, no descriptor, another ABI,
 * a bad descriptor), setup failures with their messages, and good
 * plug-ins that read keys, declare primitives, load data and score (a
 * whole data set at once or a block of rows at a time). */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <dlfcn.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "fitness.h"
#include "hash.h"
#include "plugin.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"
#include "testutil.h"

/* One scratch directory for the whole run, removed by the group teardown. */
static char tmpdir[256]; /* made by testutil_mkdtemp */

/* Writes text and then more (may be NULL) to tmpdir/name; returns 0 or
 * -1. */
static int put_files(const char *name, const char *text, const char *more)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    int ok = fputs(text, f) >= 0 && (!more || fputs(more, f) >= 0);
    return fclose(f) == 0 && ok ? 0 : -1;
}

static int put_file(const char *name, const char *text)
{
    return put_files(name, text, NULL);
}

static void write_file(const char *name, const char *text)
{
    assert_int_equal(put_file(name, text), 0);
}

/* ---- the plug-ins, as their authors would write them ------------------- */

/* A shared object without the descriptor. */
static const char nodesc_c[] =
    "#include \"forkgp.h\"\n"
    "int not_a_plugin(void);\n"
    "int not_a_plugin(void) { return FGP_ABI_VERSION; }\n";

/* A descriptor whose fields the build sets with -D. */
static const char desc_c[] =
    "#include \"forkgp.h\"\n"
    "#ifndef ABI\n#define ABI FGP_ABI_VERSION\n#endif\n"
    "#ifndef NAME\n#define NAME \"desc\"\n#endif\n"
    "#ifndef NSCORES\n#define NSCORES 1\n#endif\n"
    "#ifndef EVALUATE\n#define EVALUATE evaluate\n#endif\n"
    "static int setup(struct fgp_setup *s, void **state)\n"
    "{\n"
    "    (void)state;\n"
    "    return fgp_add_variable(s, \"x\") < 0 ? -1 : 0;\n"
    "}\n"
    "__attribute__((unused)) static int evaluate(void *state,\n"
    "    const struct fgp_program *p, struct fgp_rng *rng, double *scores)\n"
    "{\n"
    "    (void)state; (void)p; (void)rng;\n"
    "    scores[0] = 1.0;\n"
    "    return FGP_OK;\n"
    "}\n"
    "const struct fgp_plugin forkgp_plugin = {.abi_version = ABI,\n"
    "    .name = NAME, .nscores = NSCORES, .setup = setup,\n"
    "    .evaluate = EVALUATE};\n";

/*
 * flex: a plug-in of its own symbols whose [flex] mode picks a way to fail,
 * or (mode = ok) reads a key of each type and declares symbols. What it
 * read goes to flex_seen, the program it last scored to flex_program.
 */
static const char flex_c[] =
    "#include <math.h>\n"
    "#include <stdio.h>\n"
    "#include <stdlib.h>\n"
    "#include <string.h>\n"
    "#include \"forkgp.h\"\n"
    "char flex_seen[2048];\n"
    "char flex_program[1024];\n"
    "int flex_teardowns;\n"
    "struct flex { long n; double r; int b, move, turn, prog2; };\n"
    "static int setup(struct fgp_setup *s, void **state)\n"
    "{\n"
    "    const char *mode, *path, *target, *metric, *sym, *score;\n"
    "    long n, arity, pop, v;\n"
    "    double r;\n"
    "    int b, max;\n"
    "    struct flex *f = calloc(1, sizeof *f);\n"
    "    if (!f)\n"
    "        return fgp_fail(s, \"out of memory\");\n"
    "    *state = f;\n"
    "    if (fgp_get_string(s, NULL, \"mode\", \"ok\", &mode) < 0)\n"
    "        return -1;\n"
    "    if (strcmp(mode, \"fail\") == 0)\n"
    "        return fgp_fail(s, \"told to fail (%d)\", 42);\n"
    "    if (strcmp(mode, \"fail_key\") == 0)\n"
    "        return fgp_fail_key(s, NULL, \"mode\", \"told to fail\");\n"
    "    if (strcmp(mode, \"silent\") == 0)\n"
    "        return -1;\n"
    "    if (strcmp(mode, \"ignore\") == 0) {\n"
    "        fgp_fail(s, \"failed, then said 0\");\n"
    "        fgp_fail(s, \"a second message\");\n"
    "        return 0;\n"
    "    }\n"
    "    if (strcmp(mode, \"core\") == 0)\n"
    "        return fgp_get_int(s, \"data\", \"nope\", 0, 0, 1, &v);\n"
    "    if (strcmp(mode, \"population\") == 0)\n"
    "        return fgp_get_int(s, \"run\", \"population\", 0, 2, 100, &v);\n"
    "    if (strcmp(mode, \"noterm\") == 0)\n"
    "        return fgp_add_symbol(s, \"prog2\", 2) < 0 ? -1 : 0;\n"
    "    if (fgp_get_int(s, NULL, \"n\", 3, 1, 10, &n) < 0 ||\n"
    "        fgp_get_double(s, NULL, \"r\", 0.5, 0, 1, &r) < 0 ||\n"
    "        fgp_get_bool(s, NULL, \"b\", 0, &b) < 0 ||\n"
    "        fgp_get_bool(s, NULL, \"maximise\", 0, &max) < 0 ||\n"
    "        fgp_get_path(s, NULL, \"path\", \"trail.txt\", &path) < 0 ||\n"
    "        fgp_get_string(s, \"data\", \"target\", \"\", &target) < 0 ||\n"
    "        fgp_get_string(s, \"fitness\", \"metric\", \"flexmetric\",\n"
    "                       &metric) < 0 ||\n"
    "        fgp_get_int(s, \"run\", \"population\", 0, 2, 1000000, &pop) <\n"
    "            0 ||\n"
    "        fgp_get_string(s, NULL, \"symbol\", \"move\", &sym) < 0 ||\n"
    "        fgp_get_int(s, NULL, \"arity\", 0, 0, 9, &arity) < 0 ||\n"
    "        fgp_get_string(s, NULL, \"score\", \"eaten\", &score) < 0)\n"
    "        return -1;\n"
    "    f->n = n;\n"
    "    f->r = r;\n"
    "    f->b = b;\n"
    "    snprintf(flex_seen, sizeof flex_seen,\n"
    "             \"n=%ld r=%g b=%d path=%s target=%s metric=%s pop=%ld\",\n"
    "             n, r, b, path, target, metric, pop);\n"
    "    if ((f->move = fgp_add_symbol(s, sym, (int)arity)) < 0 ||\n"
    "        (f->turn = fgp_add_symbol(s, \"turn\", 0)) < 0 ||\n"
    "        (f->prog2 = fgp_add_symbol(s, \"prog2\", 2)) < 0)\n"
    "        return -1;\n"
    "    fgp_set_maximise(s, max);\n"
    "    fgp_set_score_name(s, score);\n"
    "    return 0;\n"
    "}\n";
/* (in two strings: C11 promises 4095 characters a literal) */
static const char flex_c2[] =
    "static int evaluate(void *state, const struct fgp_program *p,\n"
    "                    struct fgp_rng *rng, double *scores)\n"
    "{\n"
    "    const struct flex *f = state;\n"
    "    size_t size = fgp_program_size(p), moves = 0, len = 0;\n"
    "    struct fgp_node nd;\n"
    "    flex_program[0] = '\\0';\n"
    "    for (size_t i = 0; i < size; i++) {\n"
    "        fgp_program_node(p, i, &nd);\n"
    "        if (nd.kind != FGP_SYMBOL)\n"
    "            return FGP_ERROR;\n"
    "        len += (size_t)snprintf(flex_program + len,\n"
    "                                sizeof flex_program - len,\n"
    "                                \"%s%s/%d/%d/%zu\", i ? \" \" : \"\",\n"
    "                                nd.name, nd.symbol, nd.arity,\n"
    "                                fgp_subtree_end(p, i));\n"
    "        moves += nd.symbol == f->move;\n"
    "    }\n"
    "    scores[0] = (double)moves * (double)f->n * f->r;\n"
    "    scores[1] = (double)size;\n"
    "    scores[2] = fgp_rng_double(rng);\n"
    "    fgp_program_node(p, 0, &nd);\n"
    "    if (nd.symbol == f->turn)\n"
    "        return FGP_INVALID;\n"
    "    if (nd.symbol == f->prog2) {\n"
    "        fgp_program_node(p, fgp_subtree_end(p, 1), &nd);\n"
    "        if (nd.symbol == f->turn)\n"
    "            return 7; /* no status */\n"
    "        fgp_program_node(p, 1, &nd);\n"
    "        if (nd.symbol == f->turn)\n"
    "            scores[0] = NAN;\n"
    "    }\n"
    "    return FGP_OK;\n"
    "}\n"
    "static int test(void *state, const struct fgp_program *p,\n"
    "                double *scores)\n"
    "{\n"
    "    const struct flex *f = state;\n"
    "    if (!f->b)\n"
    "        return -1;\n"
    "    scores[0] = 100.0 + (double)fgp_program_size(p);\n"
    "    return FGP_OK;\n"
    "}\n"
    "static void teardown(void *state)\n"
    "{\n"
    "    flex_teardowns++;\n"
    "    free(state);\n"
    "}\n"
    "FGP_PLUGIN(.name = \"flex\", .flags = FGP_STOCHASTIC, .nscores = 3,\n"
    "           .setup = setup, .evaluate = evaluate, .teardown = teardown,\n"
    "           .test = test);\n";

/*
 * num: a numeric plug-in on a CSV of its own ([num] data): the last column
 * is the target, the others variables; the sum of squared errors with
 * fgp_eval, plus [num] noise times a normal draw; scores[1] is a draw.
 */
static const char num_c[] =
    "#include <stdlib.h>\n"
    "#include \"forkgp.h\"\n"
    "struct num { const struct fgp_table *t; double noise, *out; };\n"
    "static int setup(struct fgp_setup *s, void **state)\n"
    "{\n"
    "    const char *path, *fn, *cs, *sym, *var;\n"
    "    struct num *u = calloc(1, sizeof *u);\n"
    "    if (!u)\n"
    "        return fgp_fail(s, \"out of memory\");\n"
    "    *state = u;\n"
    "    if (fgp_get_path(s, NULL, \"data\", \"\", &path) < 0 ||\n"
    "        fgp_get_string(s, NULL, \"functions\", \"add, mul\", &fn) < 0 ||\n"
    "        fgp_get_string(s, NULL, \"constants\", \"1, 2\", &cs) < 0 ||\n"
    "        fgp_get_double(s, NULL, \"noise\", 0, 0, 10, &u->noise) < 0 ||\n"
    "        fgp_get_string(s, NULL, \"symbol\", \"\", &sym) < 0 ||\n"
    "        fgp_get_string(s, NULL, \"variable\", \"\", &var) < 0)\n"
    "        return -1;\n"
    "    if (!*path)\n"
    "        return fgp_fail_key(s, NULL, \"data\", \"required: a CSV\");\n"
    "    if (fgp_load_csv(s, path, &u->t) < 0)\n"
    "        return -1;\n"
    "    for (size_t j = 0; j + 1 < u->t->ncols; j++)\n"
    "        if (fgp_add_variable(s, u->t->names[j]) < 0)\n"
    "            return -1;\n"
    "    if (fgp_use_functions(s, fn) < 0 || fgp_use_constants(s, cs) < 0)\n"
    "        return -1;\n"
    "    if (*sym && fgp_add_symbol(s, sym, 1) < 0)\n"
    "        return -1;\n"
    "    if (*var && fgp_add_variable(s, var) < 0)\n"
    "        return -1;\n"
    "    u->out = malloc(u->t->nrows * sizeof *u->out);\n"
    "    return u->out ? 0 : fgp_fail(s, \"out of memory\");\n"
    "}\n"
    "static int evaluate(void *state, const struct fgp_program *p,\n"
    "                    struct fgp_rng *rng, double *scores)\n"
    "{\n"
    "    const struct num *u = state;\n"
    "    const double *y = u->t->cols[u->t->ncols - 1];\n"
    "    if (fgp_eval(p, u->t->cols, u->t->nrows, u->out) < 0)\n"
    "        return FGP_ERROR;\n"
    "    double sse = 0.0;\n"
    "    for (size_t i = 0; i < u->t->nrows; i++)\n"
    "        sse += (u->out[i] - y[i]) * (u->out[i] - y[i]);\n"
    "    scores[0] = sse + u->noise * fgp_rng_normal(rng);\n"
    "    scores[1] = (double)fgp_rng_below(rng, 1000) +\n"
    "                (double)(fgp_rng_u32(rng) & 0);\n"
    "    return FGP_OK;\n"
    "}\n"
    "static void teardown(void *state)\n"
    "{\n"
    "    struct num *u = state;\n"
    "    if (u)\n"
    "        free(u->out);\n"
    "    free(u);\n"
    "}\n"
    "FGP_PLUGIN(.name = \"num\", .flags = FGP_STOCHASTIC, .nscores = 2,\n"
    "           .setup = setup, .evaluate = evaluate, .teardown = teardown);\n";

/*
 * blk: a numeric plug-in that scores a block at a time, as the built-ins
 * do: [blk] data is a CSV, [blk] target its target column (found with
 * fgp_suggest's help), every other column a variable unless a built-in has
 * its name (fgp_reserved_name); it says its rows (fgp_set_rows). scores[0]
 * is the sum of squared errors from fgp_eval_block_padded on the CSV's own
 * columns; scores[1] is 1 when fgp_eval_block on unpadded copies of them
 * and fgp_eval (for a program without symbols) gave the same bits;
 * scores[2] is 1 when a block of FGP_BLOCK + 1 rows was refused.
 */
static const char blk_c[] =
    "#include <stdlib.h>\n"
    "#include <string.h>\n"
    "#include \"forkgp.h\"\n"
    "struct blk {\n"
    "    size_t nrows, nx;\n"
    "    const double *y, *x[FGP_MAX_VARIABLES];\n"
    "    double *copy[FGP_MAX_VARIABLES], *out;\n"
    "};\n"
    "static int setup(struct fgp_setup *s, void **state)\n"
    "{\n"
    "    const char *path, *target;\n"
    "    const struct fgp_table *t;\n"
    "    struct blk *b = calloc(1, sizeof *b);\n"
    "    if (!b)\n"
    "        return fgp_fail(s, \"out of memory\");\n"
    "    *state = b;\n"
    "    if (fgp_get_path(s, NULL, \"data\", \"\", &path) < 0 ||\n"
    "        fgp_get_string(s, NULL, \"target\", \"y\", &target) < 0 ||\n"
    "        fgp_load_csv(s, path, &t) < 0)\n"
    "        return -1;\n"
    "    size_t j = 0;\n"
    "    while (j < t->ncols && strcmp(t->names[j], target) != 0)\n"
    "        j++;\n"
    "    if (j == t->ncols) {\n"
    "        const char *near = fgp_suggest(target, t->names, t->ncols);\n"
    "        if (near)\n"
    "            return fgp_fail_key(s, NULL, \"target\",\n"
    "                                \"no column '%s'; did you mean '%s'?\",\n"
    "                                target, near);\n"
    "        return fgp_fail_key(s, NULL, \"target\", \"no column '%s'\",\n"
    "                            target);\n"
    "    }\n"
    "    if (t->ncols - 1 > FGP_MAX_VARIABLES)\n"
    "        return fgp_fail(s, \"more than %d inputs\", FGP_MAX_VARIABLES);\n"
    "    b->nrows = t->nrows;\n"
    "    b->y = t->cols[j];\n"
    "    for (size_t k = 0; k < t->ncols; k++) {\n"
    "        if (k == j)\n"
    "            continue;\n"
    "        if (fgp_reserved_name(t->names[k]))\n"
    "            return fgp_fail_key(s, NULL, \"data\",\n"
    "                                \"column '%s' has a built-in's name\",\n"
    "                                t->names[k]);\n"
    "        if (fgp_add_variable(s, t->names[k]) < 0)\n"
    "            return -1;\n"
    "        b->x[b->nx] = t->cols[k];\n"
    "        b->copy[b->nx] = malloc(t->nrows * sizeof(double));\n"
    "        if (!b->copy[b->nx])\n"
    "            return fgp_fail(s, \"out of memory\");\n"
    "        memcpy(b->copy[b->nx++], t->cols[k], t->nrows * sizeof(double));\n"
    "    }\n"
    "    if (fgp_use_functions(s, \"add, mul, sin\") < 0 ||\n"
    "        fgp_use_constants(s, \"1, 2\") < 0 ||\n"
    "        fgp_add_symbol(s, \"hold\", 1) < 0)\n"
    "        return -1;\n"
    "    fgp_set_rows(s, t->nrows);\n"
    "    b->out = malloc(t->nrows * sizeof(double));\n"
    "    return b->out ? 0 : fgp_fail(s, \"out of memory\");\n"
    "}\n";
/* (in two strings: C11 promises 4095 characters a literal) */
static const char blk_c2[] =
    "static int evaluate(void *state, const struct fgp_program *p,\n"
    "                    struct fgp_rng *rng, double *scores)\n"
    "{\n"
    "    (void)rng;\n"
    "    const struct blk *b = state;\n"
    "    const double *const *copy = (const double *const *)b->copy;\n"
    "    double sse = 0.0;\n"
    "    int same = 1;\n"
    "    for (size_t row = 0; row < b->nrows; row += FGP_BLOCK) {\n"
    "        size_t n = b->nrows - row < FGP_BLOCK ? b->nrows - row\n"
    "                                              : FGP_BLOCK;\n"
    "        const double *v = fgp_eval_block_padded(p, b->x, row, n);\n"
    "        for (size_t k = 0; k < n; k++)\n"
    "            sse += (v[k] - b->y[row + k]) * (v[k] - b->y[row + k]);\n"
    "        /* v is valid until the next call: keep it first. */\n"
    "        memcpy(b->out + row, v, n * sizeof(double));\n"
    "        const double *u = fgp_eval_block(p, copy, row, n);\n"
    "        same = same && memcmp(b->out + row, u, n * sizeof(double)) == 0;\n"
    "    }\n"
    "    double *all = malloc(b->nrows * sizeof(double));\n"
    "    if (!all)\n"
    "        return FGP_ERROR;\n"
    "    if (fgp_eval(p, copy, b->nrows, all) == 0)\n"
    "        same = same && memcmp(all, b->out, b->nrows * sizeof(double)) == 0;\n"
    "    free(all);\n"
    "    scores[0] = sse;\n"
    "    scores[1] = same;\n"
    "    scores[2] = fgp_eval_block(p, copy, 0, FGP_BLOCK + 1) == NULL &&\n"
    "                fgp_eval_block_padded(p, b->x, 0, FGP_BLOCK + 1) == NULL;\n"
    "    return FGP_OK;\n"
    "}\n"
    "static void teardown(void *state)\n"
    "{\n"
    "    struct blk *b = state;\n"
    "    if (b) {\n"
    "        for (size_t k = 0; k < b->nx; k++)\n"
    "            free(b->copy[k]);\n"
    "        free(b->out);\n"
    "    }\n"
    "    free(b);\n"
    "}\n"
    "FGP_PLUGIN(.name = \"blk\", .nscores = 3, .setup = setup,\n"
    "           .evaluate = evaluate, .teardown = teardown);\n";

/* The folder of forkgp.h: the tests run from the repository root. */
static char include_dir[1024];

/* Builds tmpdir/<so> from tmpdir/<src> as a plug-in author would, with
 * extra compiler flags. Returns 0 or -1. */
static int build_so(const char *src, const char *so, const char *flags)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cc -shared -fPIC -std=c11 -O1 -Wall -Wextra -Wpedantic "
             "-Werror -I'%s' %s -o '%s/%s' '%s/%s'",
             include_dir, flags, tmpdir, so, tmpdir, src);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_plugin: failed: %s\n", cmd);
        return -1;
    }
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (!getcwd(include_dir, sizeof include_dir - 16) ||
        access("fitness/forkgp.h", R_OK) != 0) {
        fprintf(stderr, "test_plugin: run from the repository root "
                        "(fitness/forkgp.h not found)\n");
        return -1;
    }
    strcat(include_dir, "/fitness");
    if (!testutil_mkdtemp(tmpdir, sizeof tmpdir, "test_plugin"))
        return -1;
    static const struct {
        const char *src, *so, *flags;
    } builds[] = {
        {"nodesc.c", "nodesc.so", ""},
        {"desc.c", "desc.so", ""},
        {"desc.c", "abi.so", "-DABI=999"},
        {"desc.c", "nscores0.so", "-DNSCORES=0"},
        {"desc.c", "nscores9.so", "-DNSCORES=9"},
        {"desc.c", "noeval.so", "-DEVALUATE=0"},
        {"desc.c", "core.so", "-DNAME='\"data\"'"},
        {"desc.c", "badname.so", "-DNAME='\"my-fit\"'"},
        {"desc.c", "noname.so", "-DNAME=0"},
        {"flex.c", "flex.so", ""},
        {"num.c", "num.so", ""},
        {"blk.c", "blk.so", ""},
    };
    if (put_file("nodesc.c", nodesc_c) < 0 || put_file("desc.c", desc_c) < 0 ||
        put_files("flex.c", flex_c, flex_c2) < 0 ||
        put_file("num.c", num_c) < 0 ||
        put_files("blk.c", blk_c, blk_c2) < 0 ||
        put_file("x.so", "not a shared object\n") < 0)
        return -1;
    for (size_t i = 0; i < sizeof builds / sizeof builds[0]; i++)
        if (build_so(builds[i].src, builds[i].so, builds[i].flags) < 0)
            return -1;
    /* The test plug-in whose setup misbehaves, from its own file. */
    char cmd[4096];
    snprintf(cmd, sizeof cmd,
             "cc -shared -fPIC -std=c11 -O1 -Wall -Wextra -Werror -I'%s' "
             "-o '%s/hostile.so' tests/plugins/hostile.c",
             include_dir, tmpdir);
    if (system(cmd) != 0) {
        fprintf(stderr, "test_plugin: failed: %s\n", cmd);
        return -1;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    return testutil_rmtree(tmpdir);
}

/* ---- loading ------------------------------------------------------------ */

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

static struct testutil_fitness *load_ok_set(const char *name, const char *ini,
                              const char *const *sets, int nsets)
{
    struct error err;
    struct testutil_fitness *x = load(name, ini, sets, nsets, &err);
    if (!x->pl)
        fail_msg("plugin_load: %s", err.msg);
    return x;
}

static struct testutil_fitness *load_ok(const char *name, const char *ini)
{
    return load_ok_set(name, ini, NULL, 0);
}

/* Expects plugin_load to fail with a message that starts with `want` (@:
 * the temp folder), or equals it when `exact`; the fitness untouched. */
static void fails_like(const char *name, const char *ini,
                       const char *const *sets, int nsets, const char *want,
                       int exact)
{
    struct error err;
    struct testutil_fitness *x = load(name, ini, sets, nsets, &err);
    char msg[2048];
    expand(msg, sizeof msg, want);
    if (x->pl)
        fail_msg("%s loaded, expected: %s", name, msg);
    if (exact)
        assert_string_equal(err.msg, msg);
    else if (strncmp(err.msg, msg, strlen(msg)) != 0)
        fail_msg("got '%s', expected a message starting '%s'", err.msg, msg);
    assert_null(x->f.evaluate);
    assert_null(x->f.ctx);
    testutil_fitness_free(x);
}

static void load_fails(const char *name, const char *ini, const char *want)
{
    fails_like(name, ini, NULL, 0, want, 1);
}

static void load_fails_set(const char *name, const char *ini,
                           const char *const *sets, int nsets,
                           const char *want)
{
    fails_like(name, ini, sets, nsets, want, 1);
}

/* A variable of the plug-in's own shared object (held open meanwhile). */
static void *so_symbol(void **handle, const char *so, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, so);
    *handle = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
    assert_non_null(*handle);
    void *sym = dlsym(*handle, name);
    assert_non_null(sym);
    return sym;
}

/* Fills t from a prefix spec of the set's names: built-in functions,
 * symbols, variables, numbers. */
static void build(struct tree *t, const struct primset *ps, const char *spec)
{
    testutil_build(t, ps, spec);
}

/* Scores the program spec with the stream (seed, 1). */
static int score(struct testutil_fitness *x, const char *spec, uint64_t seed,
                 double *scores)
{
    struct tree t;
    struct rng r;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, &x->ps, spec);
    rng_seed(&r, seed, 1);
    struct scaling scaling;
    const struct tree *tuned;
    int rc = x->f.evaluate(x->f.ctx, &t, &r, scores, &scaling, &tuned, NULL);
    tree_release(&t);
    return rc;
}

static int score_test(struct testutil_fitness *x, const char *spec,
                      double *scores)
{
    struct tree t;
    assert_int_equal(tree_init(&t, 64), 0);
    build(&t, &x->ps, spec);
    int rc = plugin_test(x->pl, &t, scores);
    tree_release(&t);
    return rc;
}

/* ---- the tests ---------------------------------------------------------- */

static void test_not_found(void **state)
{
    (void)state;
    load_fails("builtin.ini", "[fitness]\nfunction = regresion\n",
               "@/builtin.ini:2: [fitness] function: no built-in fitness "
               "'regresion'; did you mean 'regression'?");
    load_fails("builtin2.ini", "[fitness]\nfunction = ant\n",
               "@/builtin2.ini:2: [fitness] function: no built-in fitness "
               "'ant' (built-ins: regression, classification, boolean; a "
               "plug-in is a path to a .so)");
    /* A relative path is resolved against the INI file's folder. */
    load_fails("missing.ini", "[fitness]\nfunction = nope.so\n",
               "@/missing.ini:2: [fitness] function: cannot load plug-in "
               "'@/nope.so': No such file or directory");
    load_fails("missing2.ini",
               "[run]\nseed = 3\n\n[fitness]\nfunction = ./sub/nope.so\n",
               "@/missing2.ini:5: [fitness] function: cannot load plug-in "
               "'@/./sub/nope.so': No such file or directory");
    const char *const sets[] = {"fitness.function=@/gone.so"};
    load_fails_set("missing3.ini", "[run]\nseed = 3\n", sets, 1,
                   "--set fitness.function=@/gone.so: cannot load plug-in "
                   "'@/gone.so': No such file or directory");
}

static void test_not_a_plugin(void **state)
{
    (void)state;
    /* dlerror's words vary; the lead does not. */
    fails_like("text.ini", "[fitness]\nfunction = x.so\n", NULL, 0,
               "@/text.ini:2: [fitness] function: cannot load plug-in "
               "'@/x.so': @/x.so: ",
               0);
    /* A folder is no shared object either. */
    fails_like("dir.ini", "[fitness]\nfunction = @\n", NULL, 0,
               "@/dir.ini:2: [fitness] function: cannot load plug-in '@': ",
               0);
    load_fails("nodesc.ini", "[fitness]\nfunction = nodesc.so\n",
               "@/nodesc.ini:2: [fitness] function: '@/nodesc.so' is not a "
               "forkgp plug-in: it defines no 'forkgp_plugin' descriptor "
               "(see FGP_PLUGIN in forkgp.h)");
    load_fails("abi.ini", "[fitness]\nfunction = abi.so\n",
               "@/abi.ini:2: [fitness] function: '@/abi.so' was built for "
               "plug-in ABI 999, but this forkgp speaks ABI 1: rebuild it "
               "against this forkgp's forkgp.h");
}

static void test_bad_descriptor(void **state)
{
    (void)state;
    static const struct {
        const char *so, *why;
    } cases[] = {
        {"nscores0.so", "nscores is not 1..8"},
        {"nscores9.so", "nscores is not 1..8"},
        {"noeval.so", "setup or evaluate is missing"},
        {"core.so", "its name is one of forkgp's sections"},
        {"badname.so", "its name is not a name (letters, digits and _)"},
        {"noname.so", "its name is not a name (letters, digits and _)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char ini[256], want[512];
        snprintf(ini, sizeof ini, "[fitness]\nfunction = %s\n", cases[i].so);
        snprintf(want, sizeof want,
                 "@/bad.ini:2: [fitness] function: plug-in '@/%s' has a bad "
                 "descriptor: %s",
                 cases[i].so, cases[i].why);
        load_fails("bad.ini", ini, want);
    }
    /* The same source with a good descriptor loads. */
    struct testutil_fitness *x =
        load_ok("desc.ini", "[fitness]\nfunction = desc.so\n");
    assert_string_equal(x->f.name, "desc");
    assert_int_equal(x->f.nscores, 1);
    assert_int_equal(x->f.maximise, 0);
    assert_int_equal(x->f.stochastic, 0);
    assert_string_equal(x->f.score_name, "fitness");
    assert_int_equal(x->ps.nvars, 1);
    double s[1];
    assert_int_equal(score(x, "x", 1, s), EVAL_OK);
    assert_true(s[0] == 1.0);
    /* No test callback. */
    assert_int_equal(score_test(x, "x", s), -1);
    testutil_fitness_free(x);
}

/* A NULL passed to a setup call fails the setup with the call's name,
 * even when the setup ignores what the call returned; never a crash. */
static void test_null_arguments(void **state)
{
    (void)state;
    static const struct {
        const char *mode, *want;
    } cases[] = {
        {"null_variable", "fgp_add_variable was passed a NULL name"},
        {"null_symbol", "fgp_add_symbol was passed a NULL name"},
        {"null_functions", "fgp_use_functions was passed a NULL list"},
        {"null_constants", "fgp_use_constants was passed a NULL list"},
        {"null_setup", "fgp_add_variable was passed a NULL setup"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char ini[256], want[256];
        snprintf(ini, sizeof ini,
                 "[fitness]\nfunction = hostile.so\n[hostile]\nmode = %s\n",
                 cases[i].mode);
        snprintf(want, sizeof want, "fitness 'hostile': %s", cases[i].want);
        load_fails("null.ini", ini, want);
    }
    /* Outside a setup, a NULL setup is refused and nothing else. */
    assert_int_equal(fgp_add_variable(NULL, "x"), -1);
    assert_int_equal(fgp_add_symbol(NULL, "s", 0), -1);
    assert_int_equal(fgp_use_functions(NULL, "add"), -1);
    assert_int_equal(fgp_use_constants(NULL, "1"), -1);
}

static void test_setup_fails(void **state)
{
    (void)state;
    load_fails("fail.ini", "[fitness]\nfunction = flex.so\n"
                           "[flex]\nmode = fail\n",
               "fitness 'flex': told to fail (42)");
    load_fails("fail_key.ini", "[fitness]\nfunction = flex.so\n"
                               "[flex]\nmode = fail_key\n",
               "@/fail_key.ini:4: [flex] mode: told to fail");
    const char *const set_mode[] = {"flex.mode=fail_key"};
    load_fails_set("fail_key2.ini", "[fitness]\nfunction = flex.so\n",
                   set_mode, 1, "--set flex.mode=fail_key: told to fail");
    load_fails("silent.ini", "[fitness]\nfunction = flex.so\n"
                             "[flex]\nmode = silent\n",
               "setup failed");
    /* A setup that returns 0 after a failure still fails; the first
     * message wins. */
    load_fails("ignore.ini", "[fitness]\nfunction = flex.so\n"
                             "[flex]\nmode = ignore\n",
               "fitness 'flex': failed, then said 0");
    load_fails("noterm.ini", "[fitness]\nfunction = flex.so\n"
                             "[flex]\nmode = noterm\n",
               "fitness 'flex' declared no terminals (variables, constants "
               "or symbols without arguments)");
    load_fails("core.ini", "[fitness]\nfunction = flex.so\n"
                           "[flex]\nmode = core\n",
               "fitness 'flex' asked for [data] nope, which forkgp does not "
               "have");
    /* A core key out of the plug-in's range: at its default, from the
     * file, from the command line. */
    load_fails("pop.ini", "[fitness]\nfunction = flex.so\n"
                          "[flex]\nmode = population\n",
               "@/pop.ini: [run] population: expected 2..100, got 500");
    load_fails("pop2.ini", "[run]\npopulation = 200\n"
                           "[fitness]\nfunction = flex.so\n"
                           "[flex]\nmode = population\n",
               "@/pop2.ini:2: [run] population: expected 2..100, got 200");
    const char *const set_pop[] = {"run.population=300"};
    load_fails_set("pop3.ini", "[fitness]\nfunction = flex.so\n"
                               "[flex]\nmode = population\n",
                   set_pop, 1,
                   "--set run.population=300: expected 2..100, got 300");
}

/* Getters that read a bad value cite the file and line of the key. */
static void test_bad_values(void **state)
{
    (void)state;
    static const struct {
        const char *line, *want;
    } cases[] = {
        {"n = 0", "[flex] n: expected 1..10, got 0"},
        {"n = 11", "[flex] n: expected 1..10, got 11"},
        {"n = 2.5", "[flex] n: expected an integer, got '2.5'"},
        {"n = ", "[flex] n: expected an integer, got ''"},
        {"r = 1.5", "[flex] r: expected 0..1, got 1.5"},
        {"r = nan", "[flex] r: expected a number, got 'nan'"},
        {"r = half", "[flex] r: expected a number, got 'half'"},
        {"b = maybe", "[flex] b: expected true or false, got 'maybe'"},
        {"arity = -1", "[flex] arity: expected 0..9, got -1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char ini[256], want[512];
        snprintf(ini, sizeof ini,
                 "[fitness]\nfunction = flex.so\n\n[flex]\nmode = ok\n%s\n",
                 cases[i].line);
        snprintf(want, sizeof want, "@/values.ini:6: %s", cases[i].want);
        load_fails("values.ini", ini, want);
    }
    const char *const set_n[] = {"flex.n=99"};
    load_fails_set("values2.ini", "[fitness]\nfunction = flex.so\n"
                                  "[flex]\nn = 3\n",
                   set_n, 1, "--set flex.n=99: expected 1..10, got 99");

    /* Symbols: a taken name, a bad name, an arity out of range. */
    load_fails("sym.ini", "[fitness]\nfunction = flex.so\n"
                          "[flex]\nsymbol = add\n",
               "fitness 'flex': symbol 'add' has the name of a function, "
               "constant or variable");
    load_fails("sym2.ini", "[fitness]\nfunction = flex.so\n"
                           "[flex]\nsymbol = turn\n",
               "fitness 'flex': symbol 'turn' has the name of a function, "
               "constant or variable");
    load_fails("sym3.ini", "[fitness]\nfunction = flex.so\n"
                           "[flex]\nsymbol = go-on\n",
               "fitness 'flex': symbol 'go-on' is not a name (letters, "
               "digits, _; at most 31)");
    load_fails("sym4.ini", "[fitness]\nfunction = flex.so\n"
                           "[flex]\narity = 4\n",
               "fitness 'flex': symbol 'move': arity 4 is not 0..3");
}

/* Keys of the plug-in's section that it never reads, and sections that
 * are nobody's. */
static void test_unknown_keys(void **state)
{
    (void)state;
    load_fails("key.ini", "[fitness]\nfunction = flex.so\n"
                          "[flex]\nn = 3\nmaximse = 1\n",
               "@/key.ini:5: [flex] unknown key 'maximse'; did you mean "
               "'maximise'?");
    load_fails("key2.ini", "[fitness]\nfunction = flex.so\n"
                           "[flex]\nzzzzzz = 1\n",
               "@/key2.ini:4: [flex] unknown key 'zzzzzz'");
    load_fails("section.ini", "[fitness]\nfunction = flex.so\n"
                              "[flx]\nn = 3\n",
               "@/section.ini:3: unknown section [flx]; did you mean "
               "[flex]?");
    /* An empty section of the plug-in's is fine. */
    testutil_fitness_free(
        load_ok("empty.ini", "[fitness]\nfunction = flex.so\n[flex]\n"));
}

/* A good plug-in of its own symbols: keys of each type, the descriptor's
 * flags, its scores and statuses, its test and its teardown. */
static void test_symbols(void **state)
{
    (void)state;
    struct testutil_fitness *x = load_ok("flex.ini",
                           "[fitness]\nfunction = flex.so\n"
                           "[flex]\nn = 4\nr = 0.25\nb = yes\n"
                           "maximise = on\npath = trails/santa_fe.txt\n"
                           "score = moves\n");
    void *h;
    const char *seen = so_symbol(&h, "flex.so", "flex_seen");
    const char *program = so_symbol(&h, "flex.so", "flex_program");
    const int *teardowns = so_symbol(&h, "flex.so", "flex_teardowns");
    char want[1024];
    /* The plug-in's default for a choice left unset (metric); the core
     * key's value otherwise; its own path against the INI's folder. */
    expand(want, sizeof want,
           "n=4 r=0.25 b=1 path=@/trails/santa_fe.txt target= "
           "metric=auto pop=500");
    assert_string_equal(seen, want);
    assert_string_equal(x->f.name, "flex");
    assert_int_equal(x->f.nscores, 3);
    assert_int_equal(x->f.maximise, 1);
    assert_int_equal(x->f.stochastic, 1);
    assert_string_equal(x->f.score_name, "moves");
    assert_int_equal(x->ps.nvars, 0);
    assert_int_equal(x->ps.nsymbols, 3);
    assert_string_equal(x->ps.sym_names[0], "move");
    assert_string_equal(x->ps.sym_names[1], "turn");
    assert_string_equal(x->ps.sym_names[2], "prog2");
    assert_int_equal(primset_nterminals(&x->ps), 2);

    double s[3], s2[3];
    assert_int_equal(score(x, "prog2 move prog2 turn move", 5, s), EVAL_OK);
    assert_true(s[0] == 2.0 * 4.0 * 0.25);
    assert_true(s[1] == 5.0);
    assert_true(s[2] >= 0.0 && s[2] < 1.0);
    /* Each node: name/symbol/arity/end of its subtree. */
    assert_string_equal(program, "prog2/2/2/5 move/0/0/2 prog2/2/2/5 "
                                 "turn/1/0/4 move/0/0/5");
    /* The same stream, the same draw; another stream, another. */
    assert_int_equal(score(x, "prog2 move prog2 turn move", 5, s2), EVAL_OK);
    assert_true(s2[2] == s[2]);
    assert_int_equal(score(x, "prog2 move prog2 turn move", 6, s2), EVAL_OK);
    assert_true(s2[2] != s[2]);
    /* Statuses: FGP_INVALID, an unknown one, a NaN fitness. */
    assert_int_equal(score(x, "turn", 1, s), EVAL_INVALID);
    assert_int_equal(score(x, "prog2 move turn", 1, s), EVAL_ERROR);
    assert_int_equal(score(x, "prog2 turn move", 1, s), EVAL_INVALID);
    assert_int_equal(score(x, "move", 1, s), EVAL_OK);
    assert_true(s[0] == 1.0);
    /* The test callback. */
    assert_int_equal(score_test(x, "prog2 move turn", s), EVAL_OK);
    assert_true(s[0] == 103.0);
    assert_int_equal(*teardowns, 0);
    testutil_fitness_free(x);
    /* Still mapped: h holds it. */
    assert_int_equal(*teardowns, 1);
    dlclose(h);

    /* The score name must be a name: else the setup fails, naming the
     * plug-in. */
    load_fails("flex3.ini",
               "[fitness]\nfunction = flex.so\n[flex]\nscore = not a name\n",
               "fitness 'flex': fgp_set_score_name: expected 1 to 31 letters, "
               "digits and _, got 'not a name'");
    /* The defaults; b = false: no test. */
    x = load_ok("flex2.ini", "[fitness]\nfunction = flex.so\n"
                             "metric = r2\n");
    seen = so_symbol(&h, "flex.so", "flex_seen");
    expand(want, sizeof want,
           "n=3 r=0.5 b=0 path=@/trail.txt target= metric=r2 pop=500");
    assert_string_equal(seen, want);
    assert_int_equal(x->f.maximise, 0);
    assert_string_equal(x->f.score_name, "eaten");
    assert_int_equal(score_test(x, "move", s), -1);
    dlclose(h);
    testutil_fitness_free(x);

    /* Paths from the command line stay as given (the working directory's);
     * core keys answer with their value. */
    const char *const sets[] = {"flex.path=rel.txt", "data.target=t",
                                "run.population=64"};
    x = load_ok_set("flex3.ini", "[fitness]\nfunction = flex.so\n", sets, 3);
    seen = so_symbol(&h, "flex.so", "flex_seen");
    assert_string_equal(seen, "n=3 r=0.5 b=0 path=rel.txt target=t "
                              "metric=auto pop=64");
    dlclose(h);
    testutil_fitness_free(x);

    /* A failed setup is torn down too (it may hold what it allocated). */
    struct error err;
    x = load("flex4.ini", "[fitness]\nfunction = flex.so\n[flex]\nn = 0\n",
             NULL, 0, &err);
    assert_null(x->pl);
    testutil_fitness_free(x);
}

static void test_numeric(void **state)
{
    (void)state;
    /* 300 rows, over two interpreter blocks: y = 2 x + 1. */
    char csv[8192];
    size_t len = (size_t)sprintf(csv, "x,y\n");
    for (int i = 0; i < 300; i++)
        len += (size_t)sprintf(csv + len, "%d,%d\n", i - 150,
                               2 * (i - 150) + 1);
    write_file("line.csv", csv);
    struct testutil_fitness *x =
        load_ok("num.ini", "[fitness]\nfunction = num.so\n"
                           "[num]\ndata = line.csv\n"
                           "symbol = hold\n");
    assert_string_equal(x->f.name, "num");
    assert_int_equal(x->f.nscores, 2);
    assert_int_equal(x->f.maximise, 0);
    assert_int_equal(x->ps.nvars, 1);
    assert_string_equal(x->ps.var_names[0], "x");
    assert_int_equal(x->ps.nconsts, 2);
    double s[2], s2[2];
    assert_int_equal(score(x, "add mul x 2 1", 1, s), EVAL_OK);
    assert_true(s[0] == 0.0);
    assert_true(s[1] >= 0.0 && s[1] < 1000.0 && s[1] == floor(s[1]));
    /* y - x = x + 1: the sum of (x + 1)^2. */
    double sse = 0.0;
    for (int i = 0; i < 300; i++)
        sse += (double)(i - 149) * (double)(i - 149);
    assert_int_equal(score(x, "x", 1, s), EVAL_OK);
    assert_true(s[0] == sse);
    /* A symbol means nothing to the interpreter: fgp_eval refuses. */
    assert_int_equal(score(x, "hold x", 1, s), EVAL_ERROR);
    assert_int_equal(score(x, "add x hold 1", 1, s), EVAL_ERROR);
    testutil_fitness_free(x);

    /* Noise: the same stream, the same score. */
    x = load_ok("noise.ini", "[fitness]\nfunction = num.so\n"
                             "[num]\ndata = line.csv\nnoise = 1\n");
    assert_int_equal(score(x, "add mul x 2 1", 9, s), EVAL_OK);
    assert_int_equal(score(x, "add mul x 2 1", 9, s2), EVAL_OK);
    assert_true(s[0] == s2[0] && s[1] == s2[1]);
    assert_true(s[0] != 0.0);
    assert_int_equal(score(x, "add mul x 2 1", 10, s2), EVAL_OK);
    assert_true(s2[0] != s[0]);
    testutil_fitness_free(x);
}

static void test_numeric_errors(void **state)
{
    (void)state;
    write_file("two.csv", "x,y\n1,2\n3,4\n");
    load_fails("n_nodata.ini", "[fitness]\nfunction = num.so\n",
               "@/n_nodata.ini: [num] data: required: a CSV");
    /* A file that cannot be opened is cited at the key that named it. */
    load_fails("n_missing.ini", "[fitness]\nfunction = num.so\n"
                                "[num]\ndata = missing.csv\n",
               "@/n_missing.ini:4: [num] data: cannot open '@/missing.csv': "
               "No such file or directory");
    const char *const set_rel[] = {"num.data=missing_rel.csv"};
    load_fails_set("n_rel.ini", "[fitness]\nfunction = num.so\n", set_rel, 1,
                   "--set num.data=missing_rel.csv: cannot open "
                   "'missing_rel.csv': No such file or directory");
    load_fails("n_dir.ini", "[fitness]\nfunction = num.so\n"
                            "[num]\ndata = @\n",
               "@/n_dir.ini:4: [num] data: cannot read '@': Is a directory");
    write_file("bad.csv", "x,y\n1,2\n3,oops\n");
    load_fails("n_bad.ini", "[fitness]\nfunction = num.so\n"
                            "[num]\ndata = bad.csv\n",
               "@/bad.csv:3: column 2 'y': expected a number, got 'oops'");
    load_fails("n_fn.ini", "[fitness]\nfunction = num.so\n"
                           "[num]\ndata = two.csv\nfunctions = add, mull\n",
               "fitness 'num': functions 'add, mull': unknown function "
               "'mull'; did you mean 'mul'?");
    load_fails("n_var.ini", "[fitness]\nfunction = num.so\n"
                            "[num]\ndata = two.csv\nvariable = 2x\n",
               "fitness 'num': variable '2x' is not a name (letters, digits "
               "and _)");
    load_fails("n_var2.ini", "[fitness]\nfunction = num.so\n"
                             "[num]\ndata = two.csv\nvariable = x\n",
               "fitness 'num': variable 'x' has the name of a function, "
               "constant or another variable");
    load_fails("n_var3.ini", "[fitness]\nfunction = num.so\n"
                             "[num]\ndata = two.csv\nvariable = e\n",
               "fitness 'num': variable 'e' has the name of a function, "
               "constant or another variable");
    load_fails("n_sym.ini", "[fitness]\nfunction = num.so\n"
                            "[num]\ndata = two.csv\nsymbol = x\n",
               "fitness 'num': symbol 'x' has the name of a function, "
               "constant or variable");
}

/* A plug-in of forkgp.h alone that does what the built-ins do: blocks of
 * rows, padded or not, the same bits as fgp_eval; its rows; a column with
 * a built-in's name; a target misspelt. */
static void test_blocks(void **state)
{
    (void)state;
    /* 300 rows, a block and a part (not a whole vector): y = 2 x + 1. */
    char csv[8192];
    size_t len = (size_t)sprintf(csv, "x,z,y\n");
    for (int i = 0; i < 300; i++)
        len += (size_t)sprintf(csv + len, "%d,%g,%d\n", i - 150, i * 0.01,
                               2 * (i - 150) + 1);
    write_file("blocks.csv", csv);
    struct testutil_fitness *x =
        load_ok("blk.ini", "[fitness]\nfunction = blk.so\n"
                           "[blk]\ndata = blocks.csv\n");
    assert_true(x->f.rows == 300);
    assert_int_equal(x->ps.nvars, 2);
    double s[3];
    assert_int_equal(score(x, "add mul x 2 1", 1, s), EVAL_OK);
    assert_true(s[0] == 0.0 && s[1] == 1.0 && s[2] == 1.0);
    double sse = 0.0;
    for (int i = 0; i < 300; i++)
        sse += (double)(i - 149) * (double)(i - 149);
    /* A lone variable: its own data back, padded or not. */
    assert_int_equal(score(x, "x", 1, s), EVAL_OK);
    assert_true(s[0] == sse && s[1] == 1.0 && s[2] == 1.0);
    assert_int_equal(score(x, "sin mul z x", 1, s), EVAL_OK);
    assert_true(s[1] == 1.0);
    /* A symbol evaluates to NaN in a block: an invalid fitness. */
    assert_int_equal(score(x, "add x hold z", 1, s), EVAL_INVALID);
    assert_true(s[1] == 1.0 && s[2] == 1.0);
    testutil_fitness_free(x);

    /* A plug-in that says nothing of its rows: 0, not known. */
    x = load_ok("blk_num.ini", "[fitness]\nfunction = num.so\n"
                               "[num]\ndata = blocks.csv\n");
    assert_true(x->f.rows == 0);
    testutil_fitness_free(x);

    write_file("reserved.csv", "x,pi,y\n1,2,3\n");
    load_fails("blk_pi.ini", "[fitness]\nfunction = blk.so\n"
                             "[blk]\ndata = reserved.csv\n",
               "@/blk_pi.ini:4: [blk] data: column 'pi' has a built-in's "
               "name");
    write_file("reserved2.csv", "x,cos,y\n1,2,3\n");
    load_fails("blk_cos.ini", "[fitness]\nfunction = blk.so\n"
                              "[blk]\ndata = reserved2.csv\n",
               "@/blk_cos.ini:4: [blk] data: column 'cos' has a built-in's "
               "name");
    load_fails("blk_near.ini", "[fitness]\nfunction = blk.so\n"
                               "[blk]\ndata = blocks.csv\ntarget = yy\n",
               "@/blk_near.ini:5: [blk] target: no column 'yy'; did you "
               "mean 'y'?");
    load_fails("blk_far.ini", "[fitness]\nfunction = blk.so\n"
                              "[blk]\ndata = blocks.csv\n"
                              "target = banana\n",
               "@/blk_far.ini:5: [blk] target: no column 'banana'");
}

/* The files a run depends on, with their hashes: the .so hashed from its
 * file, the data from the bytes loaded. */
static void test_files(void **state)
{
    (void)state;
    static const char csv[] = "x,y\n1,3\n2,5\n";
    write_file("files.csv", csv);
    struct testutil_fitness *x =
        load_ok("files.ini", "[fitness]\nfunction = num.so\n"
                             "[num]\ndata = files.csv\n");
    const struct plugin_file *files;
    assert_int_equal(plugin_files(x->pl, &files), 2);
    char want[512];
    expand(want, sizeof want, "@/num.so");
    assert_string_equal(files[0].path, want);
    uint64_t so_hash;
    assert_int_equal(hash_file(want, &so_hash), 0);
    assert_true(files[0].hash == so_hash);
    expand(want, sizeof want, "@/files.csv");
    assert_string_equal(files[1].path, want);
    assert_true(files[1].hash == hash_bytes(csv, sizeof csv - 1));
    testutil_fitness_free(x);
}

/* Data from a named pipe: read once, hashed as read. Opening it a second
 * time to hash it would wait for a writer that never comes. */
static void test_fifo(void **state)
{
    (void)state;
    static const char csv[] = "x,y\n1,3\n2,5\n3,7\n";
    char path[512];
    snprintf(path, sizeof path, "%s/pipe.csv", tmpdir);
    int pid = testutil_fifo_writer(path, csv);
    alarm(20); /* a second open blocks: fail the test, not hang the suite */
    struct testutil_fitness *x =
        load_ok("fifo.ini", "[fitness]\nfunction = num.so\n"
                            "[num]\ndata = pipe.csv\n");
    alarm(0);
    testutil_fifo_done(pid);
    const struct plugin_file *files;
    assert_int_equal(plugin_files(x->pl, &files), 2);
    assert_string_equal(files[1].path, path);
    assert_true(files[1].hash == hash_bytes(csv, sizeof csv - 1));
    double s[2];
    assert_int_equal(score(x, "add mul x 2 1", 1, s), EVAL_OK);
    assert_true(s[0] == 0.0);
    testutil_fitness_free(x);
}

/* A core key that only a fitness function reads ([data], [primitives],
 * [fitness] metric), set by the user but never read by the chosen one, is
 * an error at its place; its default or an empty value asks for nothing. */
static void test_unread_core_keys(void **state)
{
    (void)state;
    write_file("two.csv", "x,y\n1,2\n3,4\n");
    /* flex reads [data] target and [fitness] metric, not [data] train. */
    load_fails("u_train.ini", "[fitness]\nfunction = flex.so\n"
                              "[data]\ntrain = two.csv\n",
               "@/u_train.ini:4: [data] train: fitness 'flex' does not use "
               "it");
    const char *const set_test[] = {"data.test=x.csv"};
    load_fails_set("u_test.ini", "[fitness]\nfunction = flex.so\n", set_test,
                   1, "--set data.test=x.csv: fitness 'flex' does not use it");
    load_fails("u_fn.ini", "[fitness]\nfunction = flex.so\n"
                           "[primitives]\nconstants = 1\n",
               "@/u_fn.ini:4: [primitives] constants: fitness 'flex' does "
               "not use it");
    /* num reads none of them: the metric is checked too. */
    load_fails("u_metric.ini", "[fitness]\nfunction = num.so\nmetric = mse\n"
                               "[num]\ndata = two.csv\n",
               "@/u_metric.ini:3: [fitness] metric: fitness 'num' does not "
               "use it");
    /* What flex reads may be set; the defaults and empty values pass (an
     * effective config writes every key); so do the engine's own keys. */
    testutil_fitness_free(
        load_ok("u_ok.ini", "[fitness]\nfunction = flex.so\nmetric = mse\n"
                            "target_fitness = 3\nparsimony = 0.5\n"
                            "[data]\ntarget = y\ntrain =\ntest = \n"
                            "[primitives]\nfunctions = add, sub, mul, div\n"
                            "constants =\n"));
    const char *const set_ok[] = {"fitness.metric=auto", "data.train="};
    testutil_fitness_free(load_ok_set(
        "u_ok2.ini", "[fitness]\nfunction = num.so\n[num]\ndata = two.csv\n",
        set_ok, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_not_found),
        cmocka_unit_test(test_not_a_plugin),
        cmocka_unit_test(test_null_arguments),
        cmocka_unit_test(test_bad_descriptor),
        cmocka_unit_test(test_setup_fails),
        cmocka_unit_test(test_bad_values),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_symbols),
        cmocka_unit_test(test_numeric),
        cmocka_unit_test(test_numeric_errors),
        cmocka_unit_test(test_blocks),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_unread_core_keys),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
