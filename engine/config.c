/* config: the run's configuration, from an INI file and --set overrides. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "pop.h"
#include "prim.h"
#include "text.h"

/* The most bytes of a --set argument that a message quotes. */
#define CONFIG_SHOW_MAX 160

const struct config_key config_keys[CONFIG_NKEYS] = {
#define X(sec, key, type, def, lo, hi, choices, help)                         \
    {#sec, #key, CFG_##type, def, lo, hi, choices, help,                      \
     offsetof(struct config, sec##_##key)},
    CONFIG_KEYS(X)
#undef X
};

static const char *const sections[] = {
    "run",       "data",    "fitness",  "primitives", "tree",
    "operators", "selection", "islands", "optimize",  "output"};
#define NSECTIONS (sizeof sections / sizeof sections[0])

/* State shared by the line reader and the key handler while parsing. */
struct parse {
    struct config *c;
    struct error *err;
    FILE *fp;
    int line;         /* the line inih is handling now */
    int continuation; /* inih takes that line as a multi-line value */
    int after_key;    /* a key was read since the last [section] line */
    int failed;       /* err is set; stop */
};

static void fail(struct parse *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void fail(struct parse *p, const char *fmt, ...)
{
    if (p->failed)
        return;
    p->failed = 1;
    int n = snprintf(p->err->msg, sizeof p->err->msg, "%s:%d: ", p->c->file,
                     p->line);
    if (n < 0 || (size_t)n >= sizeof p->err->msg)
        return; /* a path that long fills the message by itself */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err->msg + n, sizeof p->err->msg - (size_t)n, fmt, ap);
    va_end(ap);
}

/* The most entries (keys and section lines) of the fitness function's own
 * sections: each new key is checked against the others, so a runaway
 * file (40,000 keys took seconds) is stopped early. */
#define CONFIG_MAX_EXTRAS 4096

/* Appends an extra entry (key NULL for a [section] line). Returns 0, -1
 * (out of memory) or -2 (more than CONFIG_MAX_EXTRAS). */
static int add_extra(struct config *c, const char *section, const char *key,
                     const char *value, int line)
{
    if (c->nextras >= CONFIG_MAX_EXTRAS)
        return -2;
    /* Room grows by doubling: a power of two entries at a time. */
    int n = c->nextras;
    if ((n & (n - 1)) == 0) {
        struct config_extra *more =
            realloc(c->extras, (size_t)(n ? 2 * n : 1) * sizeof *more);
        if (!more)
            return -1;
        c->extras = more;
    }
    struct config_extra *x = &c->extras[c->nextras];
    memset(x, 0, sizeof *x);
    x->line = line;
    x->section = strdup(section);
    x->key = key ? strdup(key) : NULL;
    x->value = value ? strdup(value) : NULL;
    c->nextras++;
    if (!x->section || (key && !x->key) || (value && !x->value))
        return -1;
    return 0;
}

int config_set_extra(struct config *c, int i, const char *value)
{
    char *copy = strdup(value);
    if (!copy)
        return -1;
    free(c->extras[i].value);
    c->extras[i].value = copy;
    return 0;
}

int config_find_extra(const struct config *c, const char *section,
                      const char *key)
{
    for (int i = c->nextras - 1; i >= 0; i--)
        if (c->extras[i].key && strcmp(c->extras[i].section, section) == 0 &&
            strcmp(c->extras[i].key, key) == 0)
            return i;
    return -1;
}

static int find_key(const char *section, const char *name)
{
    for (int i = 0; i < CONFIG_NKEYS; i++)
        if (strcmp(config_keys[i].section, section) == 0 &&
            strcmp(config_keys[i].name, name) == 0)
            return i;
    return -1;
}

int config_core_section(const char *name)
{
    for (size_t i = 0; i < NSECTIONS; i++)
        if (strcmp(sections[i], name) == 0)
            return 1;
    return 0;
}

/* Says why add_extra failed, if it did. */
static void extra_failed(struct parse *p, int rc)
{
    if (rc == -2)
        fail(p, "more than %d keys and sections of the fitness function's "
                "own",
             CONFIG_MAX_EXTRAS);
    else if (rc < 0)
        fail(p, "out of memory");
}

/* Checks [section] lines here, since inih reports no event for a section
 * that holds no keys. */
static void check_section_line(struct parse *p, const char *line)
{
    /* inih skips a UTF-8 byte order mark at the start of the file. */
    if (p->line == 1 && strncmp(line, "\xEF\xBB\xBF", 3) == 0)
        line += 3;
    char buf[256];
    snprintf(buf, sizeof buf, "%s", line);
    char *s = text_trim(buf);
    if (*s != '[')
        return;
    char *end = strchr(s, ']');
    if (!end)
        return; /* inih reports it as a syntax error */
    /* inih ignores what follows the ']': a key there would be lost. */
    const char *rest = end + 1;
    while (isspace((unsigned char)*rest))
        rest++;
    if (*rest != '\0' && *rest != ';' && *rest != '#') {
        *end = '\0';
        fail(p, "text after [%s]: a key goes on a line of its own",
             text_trim(s + 1));
        return;
    }
    *end = '\0';
    p->after_key = 0;
    char *name = text_trim(s + 1);
    if (config_core_section(name))
        return;
    /* A near miss of ours is a typo; any other section may be the fitness
     * function's own, which only its setup can tell (config_check_extras). */
    const char *near = text_suggest(name, sections, NSECTIONS);
    if (near)
        fail(p, "unknown section [%s]; did you mean [%s]?", name, near);
    else
        extra_failed(p, add_extra(p->c, name, NULL, NULL, p->line));
}

/* inih's line source: counts lines, so handler errors can cite them, and
 * refuses a line too long for inih rather than letting it split it, a NUL
 * byte (the line would end there for inih, silently) and a carriage
 * return that ends no line (old Mac line endings would make one line of
 * the whole file). Reads a byte at a time: a config is small. */
static char *read_line(char *buf, int size, void *stream)
{
    struct parse *p = stream;
    if (p->failed)
        return NULL;
    int n = 0, ch = EOF;
    while (n < size - 1 && (ch = getc(p->fp)) != EOF) {
        if (n == 0)
            p->line++;
        if (ch == '\0') {
            fail(p, "a NUL byte (is this a text file?)");
            return NULL;
        }
        buf[n++] = (char)ch;
        if (ch == '\n')
            break;
    }
    if (n == 0) {
        if (ferror(p->fp)) {
            p->line++;
            fail(p, "cannot read: %s", strerror(errno));
            return NULL;
        }
        return NULL; /* end of file */
    }
    buf[n] = '\0';
    if (buf[n - 1] != '\n' && (ch = getc(p->fp)) != EOF) {
        fail(p, "line longer than %d characters", size - 2);
        return NULL;
    }
    char *cr = strchr(buf, '\r');
    if (cr && !(cr[1] == '\0' || (cr[1] == '\n' && cr[2] == '\0'))) {
        fail(p, "a carriage return inside the line (line endings must be "
                "\\n or \\r\\n)");
        return NULL;
    }
    /* Like inih: an indented line continues the previous key's value only
     * when a key came before it in this section; an indented first key is
     * a key. (Blank and comment lines never reach on_key.) */
    p->continuation = p->after_key && isspace((unsigned char)buf[0]);
    check_section_line(p, buf);
    return p->failed ? NULL : buf;
}

static int set_raw(struct config *c, int k, const char *value, int line)
{
    char *copy = strdup(value);
    if (!copy)
        return -1;
    free(c->origin[k].raw);
    c->origin[k].raw = copy;
    c->origin[k].line = line;
    return 0;
}

static int on_key(void *user, const char *section, const char *name,
                  const char *value)
{
    struct parse *p = user;
    if (p->failed)
        return 0;
    p->after_key = 1;
    if (*section == '\0') {
        fail(p, "key '%s' outside any section", name);
        return 0;
    }
    if (!config_core_section(section)) {
        int prev = config_find_extra(p->c, section, name);
        if (p->continuation && prev >= 0)
            fail(p, "[%s] %s: indented line continues the value; values "
                    "are one line",
                 section, name);
        else if (prev >= 0)
            fail(p, "[%s] %s: already set at line %d", section, name,
                 p->c->extras[prev].line);
        else
            extra_failed(p, add_extra(p->c, section, name, value, p->line));
        return !p->failed;
    }
    int k = find_key(section, name);
    if (k >= 0 && p->continuation) {
        fail(p, "[%s] %s: indented line continues the value; values are "
                "one line",
             section, name);
        return 0;
    }
    if (k < 0) {
        const char *names[CONFIG_NKEYS];
        const char *elsewhere = NULL;
        for (int i = 0; i < CONFIG_NKEYS; i++) {
            int same = strcmp(config_keys[i].section, section) == 0;
            names[i] = same ? config_keys[i].name : NULL;
            if (!same && strcmp(config_keys[i].name, name) == 0)
                elsewhere = config_keys[i].section;
        }
        const char *near = text_suggest(name, names, CONFIG_NKEYS);
        if (elsewhere)
            fail(p, "[%s] unknown key '%s'; it belongs in [%s]", section,
                 name, elsewhere);
        else if (near)
            fail(p, "[%s] unknown key '%s'; did you mean '%s'?", section,
                 name, near);
        else
            fail(p, "[%s] unknown key '%s' (see: forkgp help keys)", section,
                 name);
        return 0;
    }
    if (p->c->origin[k].line > 0) {
        fail(p, "[%s] %s: already set at line %d", section, name,
             p->c->origin[k].line);
        return 0;
    }
    if (set_raw(p->c, k, value, p->line) < 0) {
        fail(p, "out of memory");
        return 0;
    }
    return 1;
}

/* Applies one "section.key=value" from the command line. */
static int apply_set(struct config *c, const char *arg,
                     struct error *err)
{
    /* The argument as messages quote it: escaped, and cut where long, so
     * the reason after it stays in the message. */
    char shown[TEXT_SHOWN(CONFIG_SHOW_MAX)];
    text_show(shown, arg, strlen(arg), CONFIG_SHOW_MAX);
    const char *eq = strchr(arg, '=');
    const char *dot = strchr(arg, '.');
    if (!eq || !dot || dot > eq) {
        error_set(err, "--set %s: expected section.key=value", shown);
        return -1;
    }
    char section[64], name[64];
    snprintf(section, sizeof section, "%.*s", (int)(dot - arg), arg);
    snprintf(name, sizeof name, "%.*s", (int)(eq - dot - 1), dot + 1);
    /* Trimmed like the value, so "run.seed = 5" names run.seed. */
    const char *sec = text_trim(section), *key = text_trim(name);
    int k = find_key(sec, key);
    const char *near_section =
        config_core_section(sec) ? NULL
                                 : text_suggest(sec, sections, NSECTIONS);
    if (near_section) {
        error_set(err, "--set %s: unknown section [%s]; did you mean [%s]?", shown, sec,
                 near_section);
        return -1;
    }
    if (k < 0 && !config_core_section(sec) && *sec && *key) {
        /* A key of the fitness function's own section. */
        char *value = strdup(eq + 1);
        int rc = value ? add_extra(c, sec, key, text_trim(value), -1) : -1;
        free(value);
        if (rc == -2)
            error_set(err, "--set %s: more than %d keys and sections of the "
                     "fitness function's own",
                     shown, CONFIG_MAX_EXTRAS);
        else if (rc < 0)
            error_set(err, "out of memory");
        return rc < 0 ? -1 : 0;
    }
    if (k < 0) {
        const char *names[CONFIG_NKEYS];
        char full[CONFIG_NKEYS][80];
        for (int i = 0; i < CONFIG_NKEYS; i++) {
            snprintf(full[i], sizeof full[i], "%s.%s", config_keys[i].section,
                     config_keys[i].name);
            names[i] = full[i];
        }
        char want[130];
        snprintf(want, sizeof want, "%s.%s", sec, key);
        const char *near = text_suggest(want, names, CONFIG_NKEYS);
        if (near)
            error_set(err, "--set %s: unknown key '%s'; did you mean '%s'?", shown,
                     want, near);
        else
            error_set(err, "--set %s: unknown key '%s' (see: forkgp help keys)",
                     shown, want);
        return -1;
    }
    char *value = strdup(eq + 1);
    int rc = value ? set_raw(c, k, text_trim(value), -1) : -1;
    free(value);
    if (rc < 0)
        error_set(err, "out of memory");
    return rc;
}

/* Leads a message with where key k was set. */
static int place(const struct config *c, int k, char *buf, size_t size)
{
    const struct config_key *key = &config_keys[k];
    int line = c->origin[k].line;
    if (line > 0)
        return snprintf(buf, size, "%s:%d: [%s] %s: ", c->file, line,
                        key->section, key->name);
    if (line < 0) {
        char shown[TEXT_SHOWN(CONFIG_SHOW_MAX)];
        text_show(shown, c->origin[k].raw, strlen(c->origin[k].raw),
                  CONFIG_SHOW_MAX);
        return snprintf(buf, size, "--set %s.%s=%s: ", key->section,
                        key->name, shown);
    }
    return snprintf(buf, size, "%s: [%s] %s: ", c->file, key->section,
                    key->name);
}

void config_place(const struct config *c, const char *section,
                  const char *name, char *buf, size_t size)
{
    for (int k = 0; k < CONFIG_NKEYS; k++)
        if (strcmp(config_keys[k].section, section) == 0 &&
            strcmp(config_keys[k].name, name) == 0) {
            place(c, k, buf, size);
            return;
        }
    snprintf(buf, size, "%s: [%s] %s: ", c->file, section, name);
}

int config_key_error(const struct config *c, int k, struct error *err,
                     const char *fmt, ...)
{
    int n = place(c, k, err->msg, sizeof err->msg);
    if (n < 0 || (size_t)n >= sizeof err->msg)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg + n, sizeof err->msg - (size_t)n, fmt, ap);
    va_end(ap);
    text_hash_hint(err->msg, sizeof err->msg);
    return -1;
}

/* Joins a relative path onto dir; an absolute path is kept. */
static char *resolve_path(const char *dir, const char *path)
{
    if (*path == '\0' || *path == '/' || !dir)
        return strdup(path);
    size_t n = strlen(dir) + strlen(path) + 2;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s/%s", dir, path);
    return out;
}

static char *cwd_path(void)
{
    char buf[PATH_MAX];
    return getcwd(buf, sizeof buf) ? strdup(buf) : NULL;
}

static int convert_choice(const struct config *c, int k, const char *raw,
                          struct error *err)
{
    const struct config_key *key = &config_keys[k];
    char list[256], pretty[256] = "";
    snprintf(list, sizeof list, "%s", key->choices);
    const char *names[32];
    size_t n = 0;
    char *save = NULL;
    for (char *t = strtok_r(list, "|", &save); t && n < 32;
         t = strtok_r(NULL, "|", &save)) {
        if (strcmp(t, raw) == 0)
            return 0;
        names[n++] = t;
        size_t len = strlen(pretty);
        snprintf(pretty + len, sizeof pretty - len, "%s%s", len ? ", " : "",
                 t);
    }
    const char *near = text_suggest(raw, names, n);
    if (near)
        return config_key_error(c, k, err, "expected one of %s, got '%s'; did you "
                                    "mean '%s'?",
                         pretty, raw, near);
    return config_key_error(c, k, err, "expected one of %s, got '%s'", pretty, raw);
}

/* Turns key k's raw text into its typed field, checking type and range. */
static int convert(struct config *c, int k, struct error *err)
{
    const struct config_key *key = &config_keys[k];
    const char *raw = c->origin[k].raw;
    void *field = (char *)c + key->offset;
    switch (key->type) {
    case CFG_INT:
    case CFG_AUTOINT: {
        long v;
        if (key->type == CFG_AUTOINT && strcmp(raw, "auto") == 0) {
            *(long *)field = -1;
            return 0;
        }
        if (text_to_long(raw, &v) < 0)
            return config_key_error(c, k, err, "expected an integer%s, got '%s'",
                             key->type == CFG_AUTOINT ? " or auto" : "", raw);
        if (v < key->min || v > key->max)
            return config_key_error(c, k, err, "expected %.0f..%.0f, got %ld",
                             key->min, key->max, v);
        *(long *)field = v;
        return 0;
    }
    case CFG_REAL:
    case CFG_OPTREAL: {
        double v;
        if (key->type == CFG_OPTREAL && strcmp(raw, "none") == 0) {
            *(double *)field = NAN;
            return 0;
        }
        if (text_to_double(raw, &v) < 0)
            return config_key_error(c, k, err, "expected a number%s, got '%s'",
                             key->type == CFG_OPTREAL ? " or none" : "", raw);
        if (v < key->min || v > key->max)
            return config_key_error(c, k, err, "expected %g..%g, got %s", key->min,
                             key->max, raw);
        *(double *)field = v;
        return 0;
    }
    case CFG_SEED: {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(raw, &end, 10);
        if (*raw == '\0' || *raw == '-' || *end != '\0' || errno == ERANGE)
            return config_key_error(c, k, err,
                             "expected an integer 0..18446744073709551615, "
                             "got '%s'",
                             raw);
        *(uint64_t *)field = (uint64_t)v;
        return 0;
    }
    case CFG_CHOICE:
        if (convert_choice(c, k, raw, err) < 0)
            return -1;
        break;
    case CFG_FUNCS:
    case CFG_CONSTS: {
        struct primset *ps = calloc(1, sizeof *ps); /* ~12 KB */
        struct error perr = {"out of memory"};
        int rc = !ps                    ? -1
                 : key->type == CFG_FUNCS ? prim_parse_functions(ps, raw, &perr)
                                          : prim_parse_constants(ps, raw, &perr);
        free(ps);
        if (rc < 0)
            return config_key_error(c, k, err, "%s", perr.msg);
        break;
    }
    case CFG_STR:
    case CFG_PATH:
    case CFG_FUNCTION:
        break;
    }
    /* String types: the field owns its copy (PATH keys resolved). */
    size_t len = strlen(raw);
    int is_path = key->type == CFG_PATH ||
                  (key->type == CFG_FUNCTION &&
                   (strchr(raw, '/') ||
                    (len > 3 && strcmp(raw + len - 3, ".so") == 0)));
    char *s;
    if (is_path)
        s = resolve_path(c->origin[k].line < 0 ? NULL : c->dir, raw);
    else
        s = strdup(raw);
    if (!s)
        return config_key_error(c, k, err, "out of memory");
    free(*(char **)field);
    *(char **)field = s;
    return 0;
}

/* The rules that involve more than one key. */
static int check_together(struct config *c, struct error *err)
{
    /* Each pair is cited at the key the user set (a default is rarely
     * the one to change). */
    static const struct {
        int small, large;
    } order[] = {
        {CFG_KEY_tree_init_min_depth, CFG_KEY_tree_init_max_depth},
        {CFG_KEY_tree_init_max_depth, CFG_KEY_tree_max_depth},
        {CFG_KEY_tree_mutation_max_depth, CFG_KEY_tree_max_depth},
        {CFG_KEY_operators_tournament_size, CFG_KEY_run_population},
    };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        int a = order[i].small, b = order[i].large;
        long va = *(const long *)((const char *)c + config_keys[a].offset);
        long vb = *(const long *)((const char *)c + config_keys[b].offset);
        if (va <= vb)
            continue;
        if (c->origin[a].line == 0 && c->origin[b].line != 0)
            return config_key_error(c, b, err, "%ld is less than [%s] %s (%ld)", vb,
                             config_keys[a].section, config_keys[a].name,
                             va);
        return config_key_error(c, a, err, "%ld is more than [%s] %s (%ld)", va,
                         config_keys[b].section, config_keys[b].name, vb);
    }
#ifndef FORKGP_MPI
    if (strcmp(c->run_backend, "mpi") == 0)
        return config_key_error(c, CFG_KEY_run_backend, err,
                         "this forkgp was built without MPI (build it with "
                         "make MPI=1)");
#endif
    if (c->run_runs > 1 && strcmp(c->run_backend, "mpi") == 0)
        return config_key_error(c, c->origin[CFG_KEY_run_backend].line != 0
                                ? CFG_KEY_run_backend
                                : CFG_KEY_run_runs,
                         err, "batches (runs > 1) use the fork backend");
    if (c->selection_cases != 0 &&
        strstr(c->selection_method, "lexicase") == NULL)
        return config_key_error(c, CFG_KEY_selection_cases, err,
                                "only lexicase and epsilon_lexicase use it "
                                "([selection] method is %s)",
                                c->selection_method);
    if (c->islands_count > 1) {
        /* The smallest island holds population / count (rounded down). */
        long room = c->run_population / c->islands_count;
        if (room < 2)
            return config_key_error(c, CFG_KEY_islands_count, err,
                                    "%ld islands in a population of %ld "
                                    "leave fewer than 2 individuals each",
                                    c->islands_count, c->run_population);
        if (c->operators_elitism >= room)
            return config_key_error(c, CFG_KEY_operators_elitism, err,
                                    "%ld leaves no room for offspring in an "
                                    "island of %ld ([islands] count %ld)",
                                    c->operators_elitism, room,
                                    c->islands_count);
        if (2 * c->islands_migration_size > room)
            return config_key_error(c, CFG_KEY_islands_migration_size, err,
                                    "%ld is more than half an island of %ld "
                                    "([islands] count %ld): the migrants "
                                    "would replace each other",
                                    c->islands_migration_size, room,
                                    c->islands_count);
    }
    if (c->operators_elitism >= c->run_population)
        return config_key_error(c, CFG_KEY_operators_elitism, err,
                         "%ld leaves no room for offspring in a population "
                         "of %ld",
                         c->operators_elitism, c->run_population);
    double sum = c->operators_crossover + c->operators_subtree_mutation +
                 c->operators_point_mutation + c->operators_hoist_mutation +
                 c->operators_rdo + c->operators_reproduction;
    if (fabs(sum - 1.0) > 1e-9) {
        /* Cite the rate set last in the file: the likeliest to be new. */
        int k = CFG_KEY_operators_crossover;
        for (int i = CFG_KEY_operators_crossover;
             i <= CFG_KEY_operators_reproduction; i++)
            if (c->origin[i].line != 0 &&
                (c->origin[k].line == 0 || c->origin[i].line < 0 ||
                 (c->origin[k].line > 0 && c->origin[i].line > c->origin[k].line)))
                k = i;
        return config_key_error(c, k, err,
                         "crossover + subtree_mutation + point_mutation + "
                         "hoist_mutation + rdo + reproduction must be 1, got "
                         "%.17g",
                         sum);
    }
    if (c->output_dir[0] == '\0') {
        /* runs/<config file name without .ini> */
        const char *base = strrchr(c->file, '/');
        base = base ? base + 1 : c->file;
        size_t len = strlen(base);
        if (len > 4 && strcmp(base + len - 4, ".ini") == 0)
            len -= 4;
        char *dir = malloc(len + 6);
        if (!dir)
            return config_key_error(c, CFG_KEY_output_dir, err, "out of memory");
        snprintf(dir, len + 6, "runs/%.*s", (int)len, base);
        free(c->output_dir);
        c->output_dir = dir;
    }
    return 0;
}

static int parse_file(struct config *c, const char *path,
                      struct error *err)
{
    struct parse p = {.c = c, .err = err};
    p.fp = fopen(path, "r");
    if (!p.fp) {
        error_set(err, "cannot open '%s': %s", path,
                 strerror(errno));
        return -1;
    }
    /* fopen takes a folder; reading it fails, and must not pass for an
     * empty file. */
    struct stat st;
    if (fstat(fileno(p.fp), &st) == 0 && S_ISDIR(st.st_mode)) {
        error_set(err, "cannot read '%s': %s", path,
                 strerror(EISDIR));
        fclose(p.fp);
        return -1;
    }
    int rc = ini_parse_stream(read_line, &p, on_key, &p);
    fclose(p.fp);
    /* inih reads on after a syntax error, so a key error of ours may come
     * from a later line (p.line, where reading stopped): report the first. */
    if (p.failed && !(rc > 0 && rc < p.line))
        return -1;
    if (rc > 0) {
        error_set(err, "%s:%d: syntax error: expected [section], key = value or a "
                 "comment",
                 path, rc);
        return -1;
    }
    if (rc < 0) {
        error_set(err, "cannot read '%s'", path);
        return -1;
    }
    return 0;
}

static int extra_place(const struct config *c, int i, char *buf, size_t size);

/* The longest line inih reads back (its buffer, less the newline and NUL). */
#define INI_LINE_MAX 198

/* Why "key = value" would not read back from a config dump as value, or
 * NULL when it would. */
static const char *unwritable(const char *key, const char *value)
{
    size_t n = strlen(value);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20 && value[i] != '\t')
            return "a line break or control character cannot be written "
                   "to config.ini";
    if (n > 0 && (isspace((unsigned char)value[0]) ||
                  isspace((unsigned char)value[n - 1])))
        return "leading or trailing spaces would be lost in config.ini";
    if (value[0] == ';' || value[0] == '#' || strstr(value, " ;") ||
        strstr(value, "\t;"))
        return "a ';' at the start or after a space starts a comment in "
               "config.ini";
    if (strlen(key) + 3 + n > INI_LINE_MAX)
        return "too long for a line of config.ini (198 characters at most, "
               "with the key): a shorter path would do (a symbolic link, "
               "say)";
    return NULL;
}

/*
 * Whether the system gives a run the room its populations take: two
 * generations of [run] population trees of [tree] max_size nodes (and,
 * with lamarckian = no, a constant's room per node), reserved up front
 * but memory only as the trees use it. Where the system refuses (strict
 * overcommit, an address-space limit), the message says what was asked
 * for and which keys to lower, now rather than when the run starts.
 */
static int check_room(const struct config *c, struct error *err)
{
    size_t n = (size_t)c->run_population;
    int keep = strcmp(c->optimize_lamarckian, "no") == 0;
    if (pop_room(n, (uint32_t)c->tree_max_size, keep, 2) == 0)
        return 0;
    double bytes = 2.0 * (double)n * (double)c->tree_max_size *
                   (double)(sizeof(struct node) + (keep ? sizeof(double) : 0));
    int k = c->origin[CFG_KEY_run_population].line == 0 &&
                    c->origin[CFG_KEY_tree_max_size].line != 0
                ? CFG_KEY_tree_max_size
                : CFG_KEY_run_population;
    return config_key_error(c, k, err,
                     "%ld programs of up to %ld nodes need %.3g GiB of room "
                     "for two generations, which this system refuses: lower "
                     "[run] population or [tree] max_size",
                     c->run_population, c->tree_max_size, bytes / 1073741824.0);
}

/*
 * Every run writes its effective configuration as config.ini, to be read
 * back by `forkgp resume` and `forkgp run RUNDIR/config.ini`: a value
 * that would not read back as itself (a path with a line break or " ;"
 * from --set, a path made long by resolving it) is refused now, with its
 * place, rather than leaving a run that cannot be resumed.
 */
static int check_writable(const struct config *c, struct error *err)
{
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        /* Numbers are written by printf, always well: the text keys are
         * written as they are held. */
        enum config_type t = config_keys[k].type;
        if (t != CFG_STR && t != CFG_PATH && t != CFG_CHOICE &&
            t != CFG_FUNCS && t != CFG_CONSTS && t != CFG_FUNCTION)
            continue;
        const char *text = *(char *const *)((const char *)c +
                                            config_keys[k].offset);
        const char *why = unwritable(config_keys[k].name, text);
        if (why)
            return config_key_error(c, k, err, "%s", why);
    }
    for (int i = 0; i < c->nextras; i++) {
        const struct config_extra *x = &c->extras[i];
        const char *why = x->key ? unwritable(x->key, x->value) : NULL;
        if (!why)
            continue;
        int n = extra_place(c, i, err->msg, sizeof err->msg);
        if (n >= 0 && (size_t)n < sizeof err->msg)
            snprintf(err->msg + n, sizeof err->msg - (size_t)n, "[%s] %s: %s",
                     x->section, x->key, why);
        return -1;
    }
    return 0;
}

int config_load(struct config *c, const char *path, const char *const *sets,
                int nsets, struct error *err)
{
    memset(c, 0, sizeof *c);
    c->file = strdup(path);
    char *cwd = cwd_path();
    if (!c->file || !cwd)
        goto oom;
    /* The INI file's folder, absolute, so PATH keys do not depend on the
     * working directory of a later `forkgp run RUNDIR/config.ini`. */
    const char *slash = strrchr(path, '/');
    size_t dlen = slash ? (size_t)(slash - path) : 0;
    size_t n = strlen(cwd) + dlen + 2;
    c->dir = malloc(n);
    if (!c->dir)
        goto oom;
    if (slash && path[0] == '/')
        snprintf(c->dir, n, "%.*s", (int)(dlen ? dlen : 1), path);
    else if (slash)
        snprintf(c->dir, n, "%s/%.*s", cwd, (int)dlen, path);
    else
        snprintf(c->dir, n, "%s", cwd);
    free(cwd);
    cwd = NULL;

    for (int k = 0; k < CONFIG_NKEYS; k++)
        if (set_raw(c, k, config_keys[k].def, 0) < 0)
            goto oom;
    if (parse_file(c, path, err) < 0)
        goto fail;
    for (int i = 0; i < nsets; i++)
        if (apply_set(c, sets[i], err) < 0)
            goto fail;
    for (int k = 0; k < CONFIG_NKEYS; k++)
        if (convert(c, k, err) < 0)
            goto fail;
    if (check_together(c, err) < 0 || check_writable(c, err) < 0 ||
        check_room(c, err) < 0)
        goto fail;
    return 0;
oom:
    free(cwd);
    error_set(err, "out of memory");
fail:
    /* Messages quote keys, values and paths as they were typed. */
    text_escape(err->msg, sizeof err->msg);
    config_release(c);
    return -1;
}

void config_release(struct config *c)
{
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const struct config_key *key = &config_keys[k];
        switch (key->type) {
        case CFG_STR:
        case CFG_PATH:
        case CFG_CHOICE:
        case CFG_FUNCS:
        case CFG_CONSTS:
        case CFG_FUNCTION:
            free(*(char **)((char *)c + key->offset));
            break;
        default:
            break;
        }
        free(c->origin[k].raw);
    }
    for (int i = 0; i < c->nextras; i++) {
        free(c->extras[i].section);
        free(c->extras[i].key);
        free(c->extras[i].value);
    }
    free(c->extras);
    free(c->file);
    free(c->dir);
    memset(c, 0, sizeof *c);
}

/* Leads a message with where extras[i] was set. */
static int extra_place(const struct config *c, int i, char *buf, size_t size)
{
    const struct config_extra *x = &c->extras[i];
    if (x->line < 0) {
        char shown[TEXT_SHOWN(CONFIG_SHOW_MAX)];
        text_show(shown, x->value, strlen(x->value), CONFIG_SHOW_MAX);
        return snprintf(buf, size, "--set %s.%s=%s: ", x->section, x->key,
                        shown);
    }
    return snprintf(buf, size, "%s:%d: ", c->file, x->line);
}

int config_check_extras(const struct config *c, const char *own,
                        const unsigned char *used, const char *const *asked,
                        size_t nasked, struct error *err)
{
    for (int i = 0; i < c->nextras; i++) {
        const struct config_extra *x = &c->extras[i];
        if (used[i])
            continue;
        /* A section is known when it is the setup's own or it read a key
         * of it. */
        int known = own && strcmp(x->section, own) == 0;
        for (int j = 0; j < c->nextras && !known; j++)
            known = used[j] && strcmp(c->extras[j].section, x->section) == 0;
        if (known && !x->key)
            continue;
        int n = extra_place(c, i, err->msg, sizeof err->msg);
        if (n < 0 || (size_t)n >= sizeof err->msg)
            return -1;
        char *rest = err->msg + n;
        size_t room = sizeof err->msg - (size_t)n;
        if (known) {
            const char *near = text_suggest(x->key, asked, nasked);
            if (near)
                snprintf(rest, room, "[%s] unknown key '%s'; did you mean "
                                     "'%s'?",
                         x->section, x->key, near);
            else
                snprintf(rest, room, "[%s] unknown key '%s'", x->section,
                         x->key);
            return -1;
        }
        const char *names[NSECTIONS + 1];
        for (size_t k = 0; k < NSECTIONS; k++)
            names[k] = sections[k];
        names[NSECTIONS] = own;
        const char *near = text_suggest(x->section, names, NSECTIONS + 1);
        if (near)
            snprintf(rest, room, "unknown section [%s]; did you mean [%s]?",
                     x->section, near);
        else
            snprintf(rest, room,
                     "unknown section [%s] (the sections are run, data, "
                     "fitness, primitives, tree, operators, output%s%s)",
                     x->section, own ? " and " : "", own ? own : "");
        return -1;
    }
    return 0;
}

static void dump_value(const struct config *c, int k, FILE *out)
{
    const struct config_key *key = &config_keys[k];
    const void *field = (const char *)c + key->offset;
    switch (key->type) {
    case CFG_INT:
        fprintf(out, "%ld", *(const long *)field);
        break;
    case CFG_AUTOINT:
        if (*(const long *)field < 0)
            fputs("auto", out);
        else
            fprintf(out, "%ld", *(const long *)field);
        break;
    case CFG_REAL:
        fprintf(out, "%.17g", *(const double *)field);
        break;
    case CFG_OPTREAL:
        if (isnan(*(const double *)field))
            fputs("none", out);
        else
            fprintf(out, "%.17g", *(const double *)field);
        break;
    case CFG_SEED:
        fprintf(out, "%llu", (unsigned long long)*(const uint64_t *)field);
        break;
    default:
        fputs(*(char *const *)field, out);
        break;
    }
}

/* Keys that do not change what a run computes: where it writes, how many
 * processes evaluate and where, how often it checkpoints. The hash leaves
 * them out, so a run resumes with another worker count or into another
 * folder. */
int config_outside_hash(int k)
{
    /* The generation budget decides only where a run stops: a run
     * resumed with a larger one goes on as one that had it from the
     * start. */
    return k == CFG_KEY_output_dir || k == CFG_KEY_run_workers ||
           k == CFG_KEY_run_generations ||
           k == CFG_KEY_output_checkpoint_every ||
           k == CFG_KEY_output_checkpoint_seconds || k == CFG_KEY_run_backend ||
           k == CFG_KEY_output_digits;
}

/* Writes text as "; " comment lines of at most about 78 columns, broken
 * at spaces (inih refuses lines over 198 characters, and a dump must read
 * back). */
static void dump_comment(FILE *out, const char *text)
{
    const size_t width = 76;
    while (*text) {
        size_t n = strlen(text);
        if (n > width) {
            n = width;
            while (n > 0 && text[n] != ' ')
                n--;
            if (n == 0) /* one long word (a path): cut it */
                n = width;
        }
        fprintf(out, "; %.*s\n", (int)n, text);
        text += n;
        while (*text == ' ')
            text++;
    }
}

/* Every section and key with its help as a comment, in table order; for
 * the hash, without the comments and the keys outside it. */
static void dump_keys(const struct config *c, FILE *out, int for_hash)
{
    const char *section = "";
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const struct config_key *key = &config_keys[k];
        if (for_hash && config_outside_hash(k))
            continue;
        if (strcmp(key->section, section) != 0) {
            section = key->section;
            fprintf(out, "\n[%s]\n", section);
        }
        /* The help is for readers: not hashed, so rewording it keeps
         * checkpoints resumable. */
        if (!for_hash)
            dump_comment(out, key->help);
        fprintf(out, "%s = ", key->name);
        dump_value(c, k, out);
        fputc('\n', out);
    }
    /* The fitness function's own sections, each once, each key with the
     * value that won (a --set after the file's). */
    for (int i = 0; i < c->nextras; i++) {
        const char *sec = c->extras[i].section;
        int first = 1;
        for (int j = 0; j < i && first; j++)
            first = strcmp(c->extras[j].section, sec) != 0;
        if (!first)
            continue;
        fprintf(out, "\n[%s]\n", sec);
        for (int j = i; j < c->nextras; j++)
            if (c->extras[j].key && strcmp(c->extras[j].section, sec) == 0 &&
                config_find_extra(c, sec, c->extras[j].key) == j)
                fprintf(out, "%s = %s\n", c->extras[j].key,
                        c->extras[j].value);
    }
}

void config_dump(const struct config *c, FILE *out)
{
    /* A comment too, since the file's path can be longer than a line. */
    char *head = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&head, &len);
    if (mem) {
        fprintf(mem, "forkgp %s: effective configuration of %s",
                FORKGP_VERSION, c->file);
        fclose(mem);
    }
    if (head && strlen(head) + 2 <= INI_LINE_MAX)
        fprintf(out, "; %s\n", head);
    else if (head)
        dump_comment(out, head);
    free(head);
    dump_keys(c, out, 0);
}

static const char *type_name(enum config_type t)
{
    static const char *const names[] = {
        [CFG_INT] = "integer",     [CFG_REAL] = "number",
        [CFG_AUTOINT] = "integer or auto",
        [CFG_SEED] = "integer",    [CFG_STR] = "text",
        [CFG_PATH] = "path",       [CFG_CHOICE] = "choice",
        [CFG_OPTREAL] = "number or none", [CFG_FUNCS] = "list",
        [CFG_CONSTS] = "list",     [CFG_FUNCTION] = "name or path"};
    return names[t];
}

/* The type's token in the TSV reference: stable, for programs to read. */
static const char *type_token(enum config_type t)
{
    static const char *const names[] = {
        [CFG_INT] = "int",         [CFG_AUTOINT] = "autoint",
        [CFG_REAL] = "real",       [CFG_SEED] = "seed",
        [CFG_STR] = "str",         [CFG_PATH] = "path",
        [CFG_CHOICE] = "choice",   [CFG_OPTREAL] = "optreal",
        [CFG_FUNCS] = "funcs",     [CFG_CONSTS] = "consts",
        [CFG_FUNCTION] = "function"};
    return names[t];
}

/* One key as a line of the TSV reference (config.h). */
static void reference_tsv(FILE *out, const struct config_key *key)
{
    int ranged = key->type == CFG_INT || key->type == CFG_AUTOINT ||
                 key->type == CFG_REAL || key->type == CFG_OPTREAL;
    char lo[32] = "", hi[32] = "";
    if (ranged) {
        snprintf(lo, sizeof lo, "%.17g", key->min);
        snprintf(hi, sizeof hi, "%.17g", key->max);
    }
    fprintf(out, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", key->section,
            key->name, type_token(key->type), key->def, lo, hi,
            key->type == CFG_CHOICE ? key->choices : "", key->help);
}

void config_reference(FILE *out, enum config_ref_format format)
{
    int markdown = format == CONFIG_REF_MARKDOWN;
    if (markdown)
        fputs("| key | type | default | allowed | meaning |\n"
              "|---|---|---|---|---|\n",
              out);
    else if (format == CONFIG_REF_TSV)
        fputs("section\tkey\ttype\tdefault\tmin\tmax\tchoices\thelp\n",
              out);
    for (int k = 0; k < CONFIG_NKEYS; k++) {
        const struct config_key *key = &config_keys[k];
        if (format == CONFIG_REF_TSV) {
            reference_tsv(out, key);
            continue;
        }
        char allowed[128] = "";
        if (key->type == CFG_INT || key->type == CFG_AUTOINT)
            snprintf(allowed, sizeof allowed, "%s%.0f..%.0f",
                     key->type == CFG_AUTOINT ? "auto, " : "", key->min,
                     key->max);
        else if (key->type == CFG_REAL)
            snprintf(allowed, sizeof allowed, "%g..%g", key->min, key->max);
        else if (key->type == CFG_CHOICE)
            for (const char *ch = key->choices; *ch; ch++) {
                size_t len = strlen(allowed);
                /* "a|b" becomes "a, b": '|' would split a Markdown cell */
                snprintf(allowed + len, sizeof allowed - len, "%s",
                         *ch == '|' ? ", " : (char[]){*ch, 0});
            }
        if (markdown)
            fprintf(out, "| `[%s] %s` | %s | %s%s%s | %s | %s |\n",
                    key->section, key->name, type_name(key->type),
                    *key->def ? "`" : "", *key->def ? key->def : "(empty)",
                    *key->def ? "`" : "", allowed, key->help);
        else
            fprintf(out, "  [%s] %s = %s (%s%s%s)\n      %s\n", key->section,
                    key->name, *key->def ? key->def : "\"\"",
                    type_name(key->type), *allowed ? ", " : "", allowed,
                    key->help);
    }
}

/* FNV-1a over the dumped keys (not the header, which names the file). */
uint64_t config_hash(const struct config *c)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return 0;
    dump_keys(c, mem, 1);
    fclose(mem);
    uint64_t h = hash_bytes(text, len);
    free(text);
    return h;
}
