/* plugin: finds the fitness function (built-in or shared object), runs its
 * setup and binds it to the engine's fitness interface. Also implements the
 * fgp_* functions of forkgp.h, which the binary exports to plug-ins. */
#include "plugin.h"

#include <ctype.h>
#include <dlfcn.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "builtin.h"
#include "csv.h"
#include "guard.h"
#include "hash.h"
#include "optimize.h"
#include "interp.h"
#include "pop.h"
#include "rdo.h"
#include "rng.h"
#include "text.h"

/* forkgp.h's constants are the engine's own, which it cannot include. */
_Static_assert(FGP_BLOCK == INTERP_BLOCK, "FGP_BLOCK is INTERP_BLOCK");
_Static_assert(FGP_LANES == INTERP_LANES, "FGP_LANES is INTERP_LANES");
_Static_assert(FGP_MAX_VARIABLES == PRIM_MAX_VARS,
               "FGP_MAX_VARIABLES is PRIM_MAX_VARS");
_Static_assert(CSV_STRIDE_STEP % INTERP_LANES == 0,
               "fgp_load_csv's columns are padded for "
               "fgp_eval_block_padded");

/* What forkgp.h leaves opaque: a program is the tree, its primitive set
 * (for names) and the process's interpreter scratch; a stream is the
 * engine's, passed as it is. */
struct fgp_program {
    const struct tree *tree;
    const struct primset *ps;
    struct interp *interp;
    struct scaling *scaling; /* evaluate's result (fgp_set_scaling), or
                                NULL where there is none to set */
    struct plugin *pl;       /* fgp_optimize's scratch; NULL outside
                                evaluate */
    int tuned;               /* fgp_optimize tuned it: tree is pl->tuned */
    double *errors;          /* fgp_case_errors's, or NULL: not wanted */
};
struct fgp_rng {
    struct rng rng;
};

const char *const plugin_builtin_names[] = {"regression", "classification",
                                            "boolean", NULL};
static const struct fgp_plugin *const builtins[] = {
    &builtin_regression, &builtin_classification, &builtin_boolean};

#define MAX_ASKED 256
#define MAX_TABLES 16
#define MAX_PATHS 32
/* The most bytes of a --set value that a message quotes. */
#define PLUGIN_SHOW_MAX 100

struct plugin {
    const struct fgp_plugin *desc;
    void *handle; /* dlopen's, for a shared object */
    void *state;  /* what setup returned */
    int set_up;   /* setup was called: teardown is owed */
    struct primset *ps;
    struct interp interp;
    struct optimize *opt; /* fgp_optimize's solver, made when first used */
    struct tree tuned;    /* the evaluation's program, tuned */
    struct dataset tables[MAX_TABLES];
    struct fgp_table views[MAX_TABLES];
    int ntables;
    char **strings; /* owned copies handed to the plug-in */
    int nstrings;
    struct plugin_file files[MAX_TABLES + 1];
    int nfiles;
    double *case_data; /* fgp_set_case_data's copy: each variable's ncases
                          values, then the target's; NULL: not given */
};

/* What a setup may ask; lives only during plugin_load. */
struct fgp_setup {
    struct config *cfg; /* its plug-in paths made absolute (fgp_get_path) */
    struct plugin *pl;
    const char *own; /* the plug-in's section */
    int maximise;    /* the descriptor's flag, or what setup said */
    char score_name[32];
    unsigned char *used;
    const char *asked[MAX_ASKED];
    size_t nasked;
    unsigned char core_read[CONFIG_NKEYS]; /* core keys the setup asked for */
    struct {
        const char *path; /* what fgp_get_path returned */
        char where[600];  /* the place of its key */
    } paths[MAX_PATHS];
    int npaths;
    int failed;
    char msg[1024];
    size_t rows; /* fgp_set_rows's; 0 when not said */
    size_t ncases; /* fgp_set_cases's; 0 when not said */
    int nobjectives; /* fgp_set_objectives's; 0 when not said */
    int case_given; /* fgp_set_case_data was called */
    int case_vars;  /* the variables declared by then */
};

/* ---- setup: messages and strings -------------------------------------- */

/* The setup in progress (plugin_load): what a call that passes NULL for
 * its setup is told against. */
static struct fgp_setup *current_setup;

static int setup_fail(struct fgp_setup *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int setup_fail(struct fgp_setup *s, const char *fmt, ...)
{
    if (!s->failed) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(s->msg, sizeof s->msg, fmt, ap);
        va_end(ap);
        s->failed = 1;
    }
    return -1;
}

int fgp_fail(struct fgp_setup *s, const char *fmt, ...)
{
    if (!s->failed) {
        int n = snprintf(s->msg, sizeof s->msg, "fitness '%s': ", s->own);
        va_list ap;
        va_start(ap, fmt);
        if (n > 0 && (size_t)n < sizeof s->msg)
            vsnprintf(s->msg + n, sizeof s->msg - (size_t)n, fmt, ap);
        va_end(ap);
        s->failed = 1;
    }
    return -1;
}

/* Keeps a copy of str until plugin_free. */
static const char *keep(struct fgp_setup *s, const char *str)
{
    struct plugin *pl = s->pl;
    char **more =
        realloc(pl->strings, (size_t)(pl->nstrings + 1) * sizeof *more);
    char *copy = strdup(str);
    if (!more || !copy) {
        free(copy);
        if (more)
            pl->strings = more;
        setup_fail(s, "out of memory");
        return NULL;
    }
    pl->strings = more;
    pl->strings[pl->nstrings++] = copy;
    return copy;
}

/* ---- setup: reading keys ---------------------------------------------- */

/* Writes the place of core key k for leading a message: file:line, the
 * --set argument as given, or the file alone for a default. */
static void core_place(const struct config *c, int k, char *where, size_t size)
{
    const char *section = config_keys[k].section, *key = config_keys[k].name;
    int line = c->origin[k].line;
    if (line > 0)
        snprintf(where, size, "%s:%d: [%s] %s: ", c->file, line, section, key);
    else if (line < 0) {
        char shown[TEXT_SHOWN(PLUGIN_SHOW_MAX)];
        text_show(shown, c->origin[k].raw, strlen(c->origin[k].raw),
                  PLUGIN_SHOW_MAX);
        snprintf(where, size, "--set %s.%s=%s: ", section, key, shown);
    } else
        snprintf(where, size, "%s: [%s] %s: ", c->file, section, key);
}

/*
 * Finds section.key: *raw is its text (NULL when unset) and *where the
 * place for messages. A core key answers from the key table; another
 * section from the extras, which are then marked read.
 */
static int lookup(struct fgp_setup *s, const char *section, const char *key,
                  const char **raw, char *where, size_t size)
{
    const struct config *c = s->cfg;
    if (!section)
        section = s->own;
    *raw = NULL;
    if (config_core_section(section)) {
        for (int k = 0; k < CONFIG_NKEYS; k++)
            if (strcmp(config_keys[k].section, section) == 0 &&
                strcmp(config_keys[k].name, key) == 0) {
                /* Text keys answer with their checked value (a PATH
                 * resolved), the others with their text as given. */
                enum config_type t = config_keys[k].type;
                if (t == CFG_STR || t == CFG_PATH || t == CFG_CHOICE ||
                    t == CFG_FUNCS || t == CFG_CONSTS || t == CFG_FUNCTION)
                    *raw = *(char *const *)((const char *)c +
                                            config_keys[k].offset);
                else
                    *raw = c->origin[k].raw;
                s->core_read[k] = 1;
                core_place(c, k, where, size);
                return 0;
            }
        return setup_fail(s,
                          "fitness '%s' asked for [%s] %s, which forkgp "
                          "does not have",
                          s->own, section, key);
    }
    if (s->nasked < MAX_ASKED && strcmp(section, s->own) == 0)
        s->asked[s->nasked++] = key;
    int i = config_find_extra(c, section, key);
    if (i < 0) {
        snprintf(where, size, "%s: [%s] %s: ", c->file, section, key);
        return 0;
    }
    /* Every entry of this key counts as read, the overridden ones too. */
    for (int j = 0; j <= i; j++)
        if (c->extras[j].key && strcmp(c->extras[j].section, section) == 0 &&
            strcmp(c->extras[j].key, key) == 0)
            s->used[j] = 1;
    *raw = c->extras[i].value;
    if (c->extras[i].line < 0) {
        char shown[TEXT_SHOWN(PLUGIN_SHOW_MAX)];
        text_show(shown, *raw, strlen(*raw), PLUGIN_SHOW_MAX);
        snprintf(where, size, "--set %s.%s=%s: ", section, key, shown);
    } else
        snprintf(where, size, "%s:%d: [%s] %s: ", c->file, c->extras[i].line,
                 section, key);
    return 0;
}

int fgp_get_int(struct fgp_setup *s, const char *section, const char *key,
                long def, long min, long max, long *out)
{
    const char *raw;
    char where[600];
    if (lookup(s, section, key, &raw, where, sizeof where) < 0)
        return -1;
    long v = def;
    if (raw && text_to_long(raw, &v) < 0)
        return setup_fail(s, "%sexpected an integer, got '%s'", where, raw);
    if (v < min || v > max)
        return setup_fail(s, "%sexpected %ld..%ld, got %ld", where, min, max,
                          v);
    *out = v;
    return 0;
}

int fgp_get_double(struct fgp_setup *s, const char *section, const char *key,
                   double def, double min, double max, double *out)
{
    const char *raw;
    char where[600];
    if (lookup(s, section, key, &raw, where, sizeof where) < 0)
        return -1;
    double v = def;
    if (raw && text_to_double(raw, &v) < 0)
        return setup_fail(s, "%sexpected a number, got '%s'", where, raw);
    if (!(v >= min && v <= max))
        return setup_fail(s, "%sexpected %g..%g, got %g", where, min, max, v);
    *out = v;
    return 0;
}

int fgp_get_bool(struct fgp_setup *s, const char *section, const char *key,
                 int def, int *out)
{
    const char *raw;
    char where[600];
    if (lookup(s, section, key, &raw, where, sizeof where) < 0)
        return -1;
    if (!raw) {
        *out = def != 0;
        return 0;
    }
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (int i = 0; i < 4; i++) {
        if (strcmp(raw, yes[i]) == 0) {
            *out = 1;
            return 0;
        }
        if (strcmp(raw, no[i]) == 0) {
            *out = 0;
            return 0;
        }
    }
    return setup_fail(s, "%sexpected true or false, got '%s'", where, raw);
}

int fgp_get_string(struct fgp_setup *s, const char *section, const char *key,
                   const char *def, const char **out)
{
    const char *raw;
    char where[600];
    if (lookup(s, section, key, &raw, where, sizeof where) < 0)
        return -1;
    *out = raw ? raw : def;
    return 0;
}

/* Remembers where path came from, so that a file that cannot be opened is
 * cited at the key that named it (see fgp_load_csv). */
static void remember_path(struct fgp_setup *s, const char *path,
                          const char *where)
{
    if (!path || *path == '\0' || s->npaths == MAX_PATHS)
        return;
    s->paths[s->npaths].path = path;
    snprintf(s->paths[s->npaths].where, sizeof s->paths[s->npaths].where, "%s",
             where);
    s->npaths++;
}

int fgp_get_path(struct fgp_setup *s, const char *section, const char *key,
                 const char *def, const char **out)
{
    const char *raw;
    char where[600];
    if (lookup(s, section, key, &raw, where, sizeof where) < 0)
        return -1;
    if (!raw)
        raw = def;
    /* Core PATH keys are resolved already; a plug-in's are resolved here,
     * against the INI file's folder (or the working directory for --set). */
    int from_set = strncmp(where, "--set ", 6) == 0;
    if (!raw || *raw == '\0' || *raw == '/' ||
        config_core_section(section ? section : s->own) || from_set) {
        *out = raw;
        remember_path(s, raw, where);
        return 0;
    }
    size_t n = strlen(s->cfg->dir) + strlen(raw) + 2;
    char *path = malloc(n);
    if (!path)
        return setup_fail(s, "out of memory");
    snprintf(path, n, "%s/%s", s->cfg->dir, raw);
    /* The configuration keeps it absolute from now on, as it keeps [data]
     * train: the run folder's config.ini is read from another folder. (A
     * relative default is resolved here alone: it is not in the file.) */
    int i = config_find_extra(s->cfg, section ? section : s->own, key);
    if (i >= 0 && raw == s->cfg->extras[i].value &&
        config_set_extra(s->cfg, i, path) < 0) {
        free(path);
        return setup_fail(s, "out of memory");
    }
    *out = keep(s, path);
    free(path);
    remember_path(s, *out, where);
    return *out ? 0 : -1;
}

void fgp_set_maximise(struct fgp_setup *s, int maximise)
{
    s->maximise = maximise != 0;
}

void fgp_set_score_name(struct fgp_setup *s, const char *name)
{
    /* It heads columns (train_NAME in front.csv, best_NAME in log.csv)
     * and keys of best.txt: a bad one is the plug-in's error, not a name
     * cut or dropped without a word. */
    if (!name) {
        fgp_fail(s, "fgp_set_score_name: the name is NULL");
        return;
    }
    size_t n = strnlen(name, sizeof s->score_name);
    int ok = n > 0 && n < sizeof s->score_name;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)name[i]) || name[i] == '_';
    if (!ok) {
        fgp_fail(s,
                 "fgp_set_score_name: expected 1 to %zu letters, digits and "
                 "_, got '%.40s%s'",
                 sizeof s->score_name - 1, name,
                 n >= sizeof s->score_name ? "..." : "");
        return;
    }
    snprintf(s->score_name, sizeof s->score_name, "%s", name);
}

void fgp_set_rows(struct fgp_setup *s, size_t rows)
{
    s->rows = rows;
}

int fgp_set_cases(struct fgp_setup *s, size_t ncases)
{
    if (ncases < 1 || ncases > FGP_MAX_CASES)
        return fgp_fail(s, "fgp_set_cases: %zu cases, expected 1..%d", ncases,
                        FGP_MAX_CASES);
    s->ncases = ncases;
    return 0;
}

int fgp_set_case_data(struct fgp_setup *s, const double *const *inputs,
                      const double *target)
{
    if (s->ncases == 0)
        return fgp_fail(s, "fgp_set_case_data: call fgp_set_cases first");
    int nvars = s->pl->ps->nvars;
    if ((nvars > 0 && !inputs) || !target)
        return fgp_fail(s, "fgp_set_case_data: NULL %s",
                        target ? "inputs" : "target");
    for (int k = 0; k < nvars; k++)
        if (!inputs[k])
            return fgp_fail(s, "fgp_set_case_data: inputs[%d] is NULL", k);
    s->case_vars = nvars;
    s->case_given = 1;
    if (s->cfg->operators_rdo <= 0.0)
        return 0; /* nothing reads it: no copy */
    size_t n = s->ncases;
    double *copy = calloc(((size_t)nvars + 1) * n, sizeof *copy);
    if (!copy)
        return fgp_fail(s, "out of memory for the case data");
    for (int k = 0; k < nvars; k++)
        memcpy(copy + (size_t)k * n, inputs[k], n * sizeof *copy);
    memcpy(copy + (size_t)nvars * n, target, n * sizeof *copy);
    free(s->pl->case_data);
    s->pl->case_data = copy;
    return 0;
}

int fgp_set_objectives(struct fgp_setup *s, int count)
{
    int most = s->pl->desc->nscores - 1;
    if (count < 0 || count > most)
        return fgp_fail(s,
                        "fgp_set_objectives: %d objectives, expected 0..%d "
                        "(scores[1..count] of its %d scores)",
                        count, most, s->pl->desc->nscores);
    s->nobjectives = count;
    return 0;
}

int fgp_fail_key(struct fgp_setup *s, const char *section, const char *key,
                 const char *fmt, ...)
{
    const char *raw;
    char where[600];
    if (s->failed || lookup(s, section, key, &raw, where, sizeof where) < 0)
        return -1;
    char text[800];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    return setup_fail(s, "%s%s", where, text);
}

/* Notes a file the run depends on, with the hash of its bytes. Returns 0
 * or -1. */
static int note_hash(struct plugin *pl, const char *path, uint64_t hash)
{
    if (pl->nfiles == MAX_TABLES + 1)
        return 0;
    struct plugin_file *f = &pl->files[pl->nfiles];
    f->path = strdup(path);
    if (!f->path)
        return -1;
    f->hash = hash;
    pl->nfiles++;
    return 0;
}

/* note_hash for a file read here only to hash it (the plug-in's .so). */
static int note_file(struct plugin *pl, const char *path)
{
    uint64_t hash;
    if (hash_file(path, &hash) < 0)
        return -1;
    return note_hash(pl, path, hash);
}

size_t plugin_files(const struct plugin *pl, const struct plugin_file **out)
{
    *out = pl->files;
    return (size_t)pl->nfiles;
}

const struct dataset *plugin_dataset(const struct plugin *pl,
                                     const char *path)
{
    for (int i = 0; path && *path && i < pl->ntables; i++)
        if (strcmp(pl->tables[i].path, path) == 0)
            return &pl->tables[i];
    return NULL;
}

uint64_t plugin_data_hash(const struct plugin *pl)
{
    uint64_t h = HASH_INIT;
    for (int i = 0; i < pl->nfiles; i++)
        h = hash_u64(h, pl->files[i].hash);
    return h;
}

/* ---- setup: data and primitives --------------------------------------- */

int fgp_load_csv(struct fgp_setup *s, const char *path,
                 const struct fgp_table **out)
{
    struct plugin *pl = s->pl;
    if (pl->ntables == MAX_TABLES)
        return setup_fail(s, "fitness '%s': more than %d tables", s->own,
                          MAX_TABLES);
    struct dataset *d = &pl->tables[pl->ntables];
    struct error cerr;
    if (!path)
        return setup_fail(s, "no CSV file named");
    int rc = csv_load(d, path, &cerr);
    if (rc < 0) {
        /* A file that cannot be opened or read has no line of its own to
         * cite: lead with the key that named it, when a getter gave it. */
        const char *where = "";
        for (int i = 0; rc == CSV_EIO && i < s->npaths; i++)
            if (strcmp(s->paths[i].path, path) == 0) {
                where = s->paths[i].where;
                break;
            }
        return setup_fail(s, "%s%s", where, cerr.msg);
    }
    /* The hash of the bytes loaded: opening the file again to hash it
     * would hang on a pipe and could read other bytes. */
    if (note_hash(pl, path, d->hash) < 0) {
        dataset_release(d);
        return setup_fail(s, "out of memory");
    }
    struct fgp_table *v = &pl->views[pl->ntables++];
    v->nrows = d->nrows;
    v->ncols = d->ncols;
    v->names = (const char *const *)d->names;
    v->cols = (const double *const *)d->cols;
    *out = v;
    return 0;
}

/*
 * Checks a setup call's arguments: s, or the setup in progress when s is
 * NULL, and the string arg. A NULL fails the setup, with the function's
 * name (the setup may ignore what the call returns: plugin_load still
 * sees it). Returns 0, or -1 (*s then the setup to fail, or NULL outside
 * one).
 */
static int check_call(struct fgp_setup **s, const char *fn, const char *arg,
                      const char *what)
{
    if (!*s) {
        *s = current_setup;
        return *s ? setup_fail(*s, "fitness '%s': %s was passed a NULL setup",
                               (*s)->own, fn)
                  : -1;
    }
    if (!arg)
        return setup_fail(*s, "fitness '%s': %s was passed a NULL %s",
                          (*s)->own, fn, what);
    return 0;
}

int fgp_use_functions(struct fgp_setup *s, const char *list)
{
    struct error perr;
    if (check_call(&s, "fgp_use_functions", list, "list") < 0)
        return -1;
    if (prim_parse_functions(s->pl->ps, list, &perr) < 0)
        return setup_fail(s, "fitness '%s': functions '%s': %s", s->own, list,
                          perr.msg);
    return 0;
}

int fgp_use_constants(struct fgp_setup *s, const char *spec)
{
    struct error perr;
    if (check_call(&s, "fgp_use_constants", spec, "list") < 0)
        return -1;
    if (prim_parse_constants(s->pl->ps, spec, &perr) < 0)
        return setup_fail(s, "fitness '%s': constants '%s': %s", s->own, spec,
                          perr.msg);
    return 0;
}

int fgp_reserved_name(const char *name)
{
    return prim_lookup(name) >= 0 || strcmp(name, "pi") == 0 ||
           strcmp(name, "e") == 0;
}

const char *fgp_suggest(const char *word, const char *const *names, size_t n)
{
    return text_suggest(word, names, n);
}

/* Nonzero when name is free for a new variable or symbol. */
static int name_free(const struct primset *ps, const char *name)
{
    if (fgp_reserved_name(name))
        return 0;
    for (int k = 0; k < ps->nvars; k++)
        if (strcmp(ps->var_names[k], name) == 0)
            return 0;
    for (int k = 0; k < ps->nsymbols; k++)
        if (strcmp(ps->sym_names[k], name) == 0)
            return 0;
    return 1;
}

int fgp_add_variable(struct fgp_setup *s, const char *name)
{
    if (check_call(&s, "fgp_add_variable", name, "name") < 0)
        return -1;
    struct primset *ps = s->pl->ps;
    if (ps->nvars == PRIM_MAX_VARS)
        return setup_fail(s, "fitness '%s': more than %d variables", s->own,
                          PRIM_MAX_VARS);
    int ident = isalpha((unsigned char)name[0]) || name[0] == '_';
    for (const char *p = name; ident && *p; p++)
        ident = isalnum((unsigned char)*p) || *p == '_';
    if (!ident)
        return setup_fail(s,
                          "fitness '%s': variable '%s' is not a name "
                          "(letters, digits and _)",
                          s->own, name);
    if (!name_free(ps, name))
        return setup_fail(s,
                          "fitness '%s': variable '%s' has the name of a "
                          "function, constant or another variable",
                          s->own, name);
    const char *copy = keep(s, name);
    if (!copy)
        return -1;
    ps->var_names[ps->nvars] = copy;
    ps->var_cols[ps->nvars] = (uint16_t)ps->nvars;
    return ps->nvars++;
}

int fgp_add_symbol(struct fgp_setup *s, const char *name, int arity)
{
    struct error perr;
    if (check_call(&s, "fgp_add_symbol", name, "name") < 0)
        return -1;
    if (!name_free(s->pl->ps, name))
        return setup_fail(s,
                          "fitness '%s': symbol '%s' has the name of a "
                          "function, constant or variable",
                          s->own, name);
    int k = prim_add_symbol(s->pl->ps, name, arity, &perr);
    if (k < 0)
        return setup_fail(s, "fitness '%s': %s", s->own, perr.msg);
    return k;
}

/* ---- evaluate: programs and streams ------------------------------------ */

size_t fgp_program_size(const struct fgp_program *p)
{
    return p->tree->size;
}

void fgp_program_node(const struct fgp_program *p, size_t i,
                      struct fgp_node *out)
{
    const struct node *nd = &p->tree->nodes[i];
    memset(out, 0, sizeof *out);
    out->arity = prim_arity(nd->op);
    out->symbol = -1;
    switch (nd->op) {
    case OP_VAR:
        out->kind = FGP_VARIABLE;
        out->variable = nd->var;
        out->name = p->ps->var_names[nd->var];
        return;
    case OP_CONST:
        out->kind = FGP_CONSTANT;
        out->value = nd->value;
        out->name = "";
        return;
    default:
        break;
    }
    out->name = primset_name(p->ps, nd->op);
    if (!prim_is_symbol(nd->op)) {
        out->kind = FGP_BUILTIN;
        return;
    }
    out->kind = FGP_SYMBOL;
    for (int k = 0; k < p->ps->nsymbols; k++)
        if (p->ps->sym_ops[k] == nd->op)
            out->symbol = k;
}

size_t fgp_subtree_end(const struct fgp_program *p, size_t i)
{
    return tree_subtree_end(p->tree->nodes, (uint32_t)i);
}

double *fgp_case_errors(const struct fgp_program *p)
{
    return p->errors;
}

void fgp_set_scaling(const struct fgp_program *p, double intercept,
                     double slope)
{
    if (p->scaling)
        *p->scaling = (struct scaling){1, intercept, slope};
}

int fgp_optimize(const struct fgp_program *cp, const double *const *x,
                 const double *y, size_t nrows, fgp_residuals residuals,
                 void *ctx, struct fgp_fit *fit)
{
    /* The evaluation's own record, forkgp's: it comes to stand for the
     * tuned program. */
    struct fgp_program *p = (struct fgp_program *)cp;
    struct plugin *pl = p->pl;
    if (!pl || !fit || fit->max_evaluations < 1)
        return -1;
    for (uint32_t i = 0; i < p->tree->size; i++)
        if (prim_is_symbol(p->tree->nodes[i].op))
            return -1;
    if (!pl->opt && !(pl->opt = optimize_new()))
        return -1;
    if (p->tree != &pl->tuned) {
        if (pl->tuned.cap < p->tree->size) {
            tree_release(&pl->tuned);
            if (tree_init(&pl->tuned, p->tree->size) < 0)
                return -1;
        }
        tree_copy(&pl->tuned, p->tree);
    }
    struct optimize_options o = {.max_evaluations = fit->max_evaluations,
                                 .scale = fit->scale,
                                 .residuals = residuals,
                                 .ctx = ctx};
    struct optimize_result res;
    double a = fit->a, b = fit->b;
    if (optimize_fit(pl->opt, &pl->tuned, x, y, nrows, &o, &a, &b, &res) < 0)
        return -1;
    fit->a = a;
    fit->b = b;
    fit->start = res.start;
    fit->end = res.end;
    fit->evaluations = res.evaluations;
    p->tree = &pl->tuned;
    p->tuned = 1;
    return 0;
}

int fgp_eval(const struct fgp_program *p, const double *const *x, size_t nrows,
             double *out)
{
    for (uint32_t i = 0; i < p->tree->size; i++)
        if (prim_is_symbol(p->tree->nodes[i].op))
            return -1;
    for (size_t row = 0; row < nrows; row += INTERP_BLOCK) {
        size_t n = nrows - row < INTERP_BLOCK ? nrows - row : INTERP_BLOCK;
        const double *v = interp_block(p->interp, p->tree, x, row, n);
        memcpy(out + row, v, n * sizeof *out);
    }
    return 0;
}

/* The scratch holds one block: a longer one would be written past it. */
const double *fgp_eval_block(const struct fgp_program *p,
                             const double *const *x, size_t row, size_t n)
{
    if (n > INTERP_BLOCK)
        return NULL;
    return interp_block(p->interp, p->tree, x, row, n);
}

const double *fgp_eval_block_padded(const struct fgp_program *p,
                                    const double *const *x, size_t row,
                                    size_t n)
{
    if (n > INTERP_BLOCK)
        return NULL;
    return interp_block_padded(p->interp, p->tree, x, row, n);
}

uint32_t fgp_rng_u32(struct fgp_rng *r)
{
    return rng_u32(&r->rng);
}

uint32_t fgp_rng_below(struct fgp_rng *r, uint32_t bound)
{
    return bound ? rng_below(&r->rng, bound) : 0;
}

double fgp_rng_double(struct fgp_rng *r)
{
    return rng_double(&r->rng);
}

double fgp_rng_normal(struct fgp_rng *r)
{
    return rng_normal(&r->rng);
}

/* ---- loading ------------------------------------------------------------ */

/* Maps what a plug-in returned to an engine status; a non-finite fitness
 * from an OK evaluation is invalid. */
static int map_status(int rc, const double *scores)
{
    switch (rc) {
    case FGP_OK:
        return isfinite(scores[0]) ? EVAL_OK : EVAL_INVALID;
    case FGP_INVALID:
        return EVAL_INVALID;
    default:
        return EVAL_ERROR;
    }
}

static int plugin_evaluate(void *ctx, const struct tree *t, struct rng *r,
                           double *scores, struct scaling *scaling,
                           const struct tree **tuned, double *case_errors)
{
    struct plugin *pl = ctx;
    *scaling = (struct scaling){0, 0.0, 1.0};
    struct fgp_program prog = {t,  pl->ps, &pl->interp, scaling,
                               pl, 0,      case_errors};
    for (int i = 0; i < pl->desc->nscores; i++)
        scores[i] = NAN;
    int rc = pl->desc->evaluate(pl->state, &prog, (struct fgp_rng *)r, scores);
    *tuned = prog.tuned ? prog.tree : NULL;
    return map_status(rc, scores);
}

int plugin_test(struct plugin *pl, const struct tree *t, double *scores)
{
    if (!pl->desc->test)
        return -1;
    struct fgp_program prog = {t, pl->ps, &pl->interp, NULL, NULL, 0, NULL};
    for (int i = 0; i < pl->desc->nscores; i++)
        scores[i] = NAN;
    int rc = pl->desc->test(pl->state, &prog, scores);
    return rc < 0 ? -1 : map_status(rc, scores);
}

/* Leads a loading error with the place of [fitness] function. */
static void load_error(const struct config *c, struct error *err,
                       const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The place of [fitness] function, as a message's lead, into buf. Returns
 * what snprintf does. */
static int function_place(const struct config *c, char *buf, size_t cap)
{
    int line = c->origin[CFG_KEY_fitness_function].line;
    if (line > 0)
        return snprintf(buf, cap, "%s:%d: [fitness] function: ", c->file,
                        line);
    if (line < 0)
        return snprintf(buf, cap, "--set fitness.function=%s: ",
                        c->origin[CFG_KEY_fitness_function].raw);
    return snprintf(buf, cap, "%s: [fitness] function: ", c->file);
}

/* Watches a shared object's code while it runs in this process (guard.c):
 * its loading (constructors) or its setup. */
static void guard_plugin(const struct config *c, const char *crashed,
                         const char *exited)
{
    char who[1024];
    int n = function_place(c, who, sizeof who);
    if (n >= 0 && (size_t)n < sizeof who)
        snprintf(who + n, sizeof who - (size_t)n, "plug-in '%s'",
                 c->fitness_function);
    guard_begin(who, crashed, exited);
}

static void load_error(const struct config *c, struct error *err,
                       const char *fmt, ...)
{
    int n = function_place(c, err->msg, sizeof err->msg);
    if (n < 0 || (size_t)n >= sizeof err->msg)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
    va_end(ap);
    text_hash_hint(err->msg, sizeof err->msg);
}

/* Nonzero for a core key that only a fitness function reads: [data],
 * [primitives], [optimize] but lamarckian, [fitness] metric and
 * linear_scaling. The engine reads the rest of [fitness] (function,
 * target_fitness, parsimony), lamarckian and every other section itself. */
static int fitness_key(int k)
{
    const char *section = config_keys[k].section;
    return strcmp(section, "data") == 0 || strcmp(section, "primitives") == 0 ||
           (strcmp(section, "optimize") == 0 &&
            strcmp(config_keys[k].name, "lamarckian") != 0) ||
           (strcmp(section, "fitness") == 0 &&
            (strcmp(config_keys[k].name, "metric") == 0 ||
             strcmp(config_keys[k].name, "linear_scaling") == 0));
}

/*
 * Fails on a key of the fitness function's that the user set (in the file
 * or with --set) and its setup never read: a metric that a boolean problem
 * ignores is a mistake, never a silent default. A value that asks for
 * nothing passes: the key's default (the effective config that `check`
 * prints and a run folder keeps writes every key, and must load again)
 * or empty (examples/ant.ini says `constants =` of an ant that has none).
 */
static int check_unread(const struct fgp_setup *s, struct error *err)
{
    const struct config *c = s->cfg;
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const char *raw = c->origin[k].raw;
        if (!fitness_key(k) || s->core_read[k] || c->origin[k].line == 0 ||
            !raw || *raw == '\0' || strcmp(raw, config_keys[k].def) == 0)
            continue;
        char where[600];
        core_place(c, k, where, sizeof where);
        snprintf(err->msg, sizeof err->msg, "%sfitness '%s' does not use it",
                 where, s->own);
        return -1;
    }
    return 0;
}

int plugin_check_rdo(const struct config *c, const struct fitness *f,
                     const struct primset *ps, struct error *err)
{
    if (c->operators_rdo <= 0.0)
        return 0;
    if (!f->case_data)
        return config_key_error(c, CFG_KEY_operators_rdo, err,
                                "RDO needs the table of cases, and fitness "
                                "'%s' gives none (the built-in boolean "
                                "does; a plug-in gives it with "
                                "fgp_set_case_data, forkgp.h)",
                                f->name);
    int op = rdo_refuses(ps);
    if (op >= 0)
        return config_key_error(c, CFG_KEY_operators_rdo, err,
                                "RDO works on and, or, not, nand, nor and "
                                "if alone, and the primitives include '%s'",
                                op < OP_COUNT ? prim_table[op].name
                                              : "a plug-in's symbol");
    return 0;
}

int plugin_cases(const struct config *c, const struct fitness *f,
                 uint32_t *cases, struct error *err)
{
    *cases = 0;
    if (strstr(c->selection_method, "lexicase") == NULL)
        return 0;
    size_t n = (size_t)c->run_population, want = (size_t)c->selection_cases;
    if (f->ncases == 0)
        return config_key_error(c, CFG_KEY_selection_method, err,
                                "%s needs each case's error, and fitness "
                                "'%s' gives none (a plug-in declares its "
                                "cases with fgp_set_cases, forkgp.h)",
                                c->selection_method, f->name);
    if (want > f->ncases)
        return config_key_error(c, CFG_KEY_selection_cases, err,
                                "%zu is more than the %zu cases of fitness "
                                "'%s'",
                                want, f->ncases, f->name);
    size_t use = want ? want : f->ncases;
    if (use > PLUGIN_MAX_CASE_CELLS / n)
        return config_key_error(c, CFG_KEY_selection_cases, err,
                                "%zu cases of %zu individuals are more "
                                "errors than forkgp keeps (%zu): set cases "
                                "to at most %zu",
                                use, n, PLUGIN_MAX_CASE_CELLS,
                                PLUGIN_MAX_CASE_CELLS / n);
    *cases = (uint32_t)use;
    return 0;
}

/* Finds the descriptor: a built-in by name, or a shared object's. */
static const struct fgp_plugin *find(struct plugin *pl, const struct config *c,
                                     struct error *err)
{
    const char *name = c->fitness_function;
    if (!strchr(name, '/')) {
        for (size_t i = 0; plugin_builtin_names[i]; i++)
            if (strcmp(name, plugin_builtin_names[i]) == 0)
                return builtins[i];
        const char *near = text_suggest(name, plugin_builtin_names, 3);
        if (near)
            load_error(c, err, "no built-in fitness '%s'; did you mean '%s'?",
                       name, near);
        else
            load_error(c, err,
                       "no built-in fitness '%s' (built-ins: regression, "
                       "classification, boolean; a plug-in is a path to a "
                       ".so)",
                       name);
        return NULL;
    }
    struct stat st;
    if (stat(name, &st) < 0) {
        load_error(c, err, "cannot load plug-in '%s': %s", name,
                   strerror(errno));
        return NULL;
    }
    /* RTLD_NOW: an unresolved symbol fails here, not mid-run in a worker.
     * Its constructors run here, in this process: watched. */
    guard_plugin(c, "crashed while being loaded", "while being loaded");
    pl->handle = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    guard_end();
    if (!pl->handle) {
        load_error(c, err, "cannot load plug-in '%s': %s", name, dlerror());
        return NULL;
    }
    if (note_file(pl, name) < 0) {
        load_error(c, err, "cannot read plug-in '%s': %s", name,
                   strerror(errno));
        return NULL;
    }
    const struct fgp_plugin *d = dlsym(pl->handle, FGP_PLUGIN_SYMBOL);
    if (!d) {
        load_error(c, err,
                   "'%s' is not a forkgp plug-in: it defines no '%s' "
                   "descriptor (see FGP_PLUGIN in forkgp.h)",
                   name, FGP_PLUGIN_SYMBOL);
        return NULL;
    }
    if (d->abi_version != FGP_ABI_VERSION) {
        load_error(c, err,
                   "'%s' was built for plug-in ABI %d, but this forkgp "
                   "speaks ABI %d: rebuild it against this forkgp's "
                   "forkgp.h",
                   name, d->abi_version, FGP_ABI_VERSION);
        return NULL;
    }
    return d;
}

/* The descriptor's promises, checked before anything is called. */
static int check_descriptor(const struct fgp_plugin *d, const char *name,
                            const struct config *c, struct error *err)
{
    const char *why = NULL;
    int ident =
        d->name && (isalpha((unsigned char)d->name[0]) || d->name[0] == '_');
    for (const char *p = d->name; ident && *p; p++)
        ident = isalnum((unsigned char)*p) || *p == '_';
    if (!ident)
        why = "its name is not a name (letters, digits and _)";
    else if (config_core_section(d->name))
        why = "its name is one of forkgp's sections";
    else if (d->nscores < 1 || d->nscores > FGP_MAX_SCORES)
        why = "nscores is not 1..8";
    else if (!d->setup || !d->evaluate)
        why = "setup or evaluate is missing";
    if (!why)
        return 0;
    load_error(c, err, "plug-in '%s' has a bad descriptor: %s", name, why);
    return -1;
}

struct plugin *plugin_load(struct config *c, struct primset *ps,
                           struct fitness *f, struct error *err)
{
    struct plugin *pl = calloc(1, sizeof *pl);
    struct fgp_setup *s = calloc(1, sizeof *s);
    unsigned char *used = calloc((size_t)c->nextras + 1, 1);
    if (!pl || !s || !used) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        goto fail;
    }
    memset(ps, 0, sizeof *ps);
    pl->ps = ps;
    pl->desc = find(pl, c, err);
    if (!pl->desc ||
        check_descriptor(pl->desc, c->fitness_function, c, err) < 0)
        goto fail;
    if (interp_init(&pl->interp, (size_t)c->tree_max_size) < 0) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        goto fail;
    }

    /* setup: in the parent, once, before any evaluation */
    *s = (struct fgp_setup){.cfg = c,
                            .pl = pl,
                            .own = pl->desc->name,
                            .used = used,
                            .maximise = (pl->desc->flags & FGP_MAXIMISE) != 0,
                            .score_name = "fitness"};
    if (pl->handle)
        guard_plugin(c, "setup crashed", "during setup");
    current_setup = s;
    int rc = pl->desc->setup(s, &pl->state);
    current_setup = NULL;
    if (pl->handle)
        guard_end();
    /* teardown is owed even when setup fails: a setup that fails midway
     * leaves in *state what it allocated (see the built-ins). */
    pl->set_up = 1;
    if (rc != 0 || s->failed) {
        snprintf(err->msg, sizeof err->msg, "%s",
                 s->failed ? s->msg : "setup failed");
        text_hash_hint(err->msg, sizeof err->msg);
        goto fail;
    }
    if (primset_nterminals(ps) == 0) {
        snprintf(err->msg, sizeof err->msg,
                 "fitness '%s' declared no terminals (variables, constants "
                 "or symbols without arguments)",
                 pl->desc->name);
        goto fail;
    }
    struct error cerr;
    if (config_check_extras(c, pl->desc->name, used, s->asked, s->nasked,
                            &cerr) < 0) {
        snprintf(err->msg, sizeof err->msg, "%s", cerr.msg);
        goto fail;
    }
    if (check_unread(s, err) < 0)
        goto fail;
    if (s->case_given && s->case_vars != ps->nvars) {
        snprintf(err->msg, sizeof err->msg,
                 "fitness '%s': fgp_set_case_data was given %d variables, "
                 "and %d were declared: call it after the last "
                 "fgp_add_variable",
                 pl->desc->name, s->case_vars, ps->nvars);
        goto fail;
    }
    f->case_data = pl->case_data;
    f->maximise = s->maximise;
    snprintf(f->score_name, sizeof f->score_name, "%s", s->score_name);
    f->rows = s->rows;
    f->ncases = s->ncases;
    f->nobjectives = s->nobjectives;
    free(used);
    free(s);
    f->name = pl->desc->name;
    f->stochastic = (pl->desc->flags & FGP_STOCHASTIC) != 0;
    f->builtin = pl->handle == NULL;
    /* A deterministic built-in draws on its stream only to choose which
     * evaluations tune their constants. */
    f->draws = f->stochastic || !f->builtin ||
               (strcmp(c->optimize_method, "lm") == 0 &&
                c->optimize_share < 1.0);
    f->nscores = pl->desc->nscores;
    f->ctx = pl;
    f->evaluate = plugin_evaluate;
    return pl;
fail:
    /* Messages quote keys, values and paths as they were given. */
    text_escape(err->msg, sizeof err->msg);
    free(used);
    free(s);
    plugin_free(pl);
    return NULL;
}

void plugin_free(struct plugin *pl)
{
    if (!pl)
        return;
    if (pl->set_up && pl->desc->teardown)
        pl->desc->teardown(pl->state);
    for (int i = 0; i < pl->ntables; i++)
        dataset_release(&pl->tables[i]);
    for (int i = 0; i < pl->nstrings; i++)
        free(pl->strings[i]);
    for (int i = 0; i < pl->nfiles; i++)
        free(pl->files[i].path);
    free(pl->strings);
    free(pl->case_data);
    interp_release(&pl->interp);
    optimize_free(pl->opt);
    tree_release(&pl->tuned);
    if (pl->handle)
        dlclose(pl->handle);
    free(pl);
}
