/* predict: forkgp predict: a finished run's program applied to new data. */
#include "predict.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "durable.h"
#include "exitcode.h"
#include "forkgp.h"
#include "infix.h"
#include "interp.h"
#include "parse.h"
#include "path.h"
#include "text.h"

/* best.txt's line that names the run's variables. */
#define VARIABLES_KEY "variables ="

void predict_write_variables(FILE *out, const struct primset *ps)
{
    fputs(VARIABLES_KEY, out);
    for (int k = 0; k < ps->nvars; k++)
        fprintf(out, "%s %s", k ? "," : "", ps->var_names[k]);
    fputc('\n', out);
}

/* Takes the line's end ("\n" or "\r\n") off s. */
static void chomp(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
        s[--n] = '\0';
}

/* s without its leading and trailing spaces and tabs (cut in place). */
static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

/*
 * Splits a CSV line in place into at most max fields; a field in double
 * quotes may hold commas, and "" in it stands for one quote (as
 * population.csv and front.csv quote their programs). Returns the number
 * of fields, or max + 1 when there are more.
 */
static int split_csv(char *line, char **fields, int max)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == max)
            return max + 1;
        while (*p == ' ' || *p == '\t')
            p++;
        fields[n++] = p;
        char *end;
        if (*p == '"') {
            char *r = p + 1, *w = p;
            while (*r != '\0') {
                if (*r == '"' && r[1] != '"') {
                    r++;
                    break;
                }
                if (*r == '"')
                    r++; /* the first of "" */
                *w++ = *r++;
            }
            end = strchr(r, ',');
            *w = '\0';
        } else {
            end = strchr(p, ',');
            if (end)
                *end = '\0';
            trim(p);
        }
        if (!end)
            return n;
        p = end + 1;
    }
}

/* Adds variable `name` to m. Returns 0, PREDICT_ENOMEM or -1. */
static int add_variable(struct predict_model *m, const char *name,
                        struct error *err)
{
    if (m->ps.nvars == PRIM_MAX_VARS)
        return error_set(err, "more than %d variables", PRIM_MAX_VARS);
    char *copy = strdup(name);
    if (!copy)
        return PREDICT_ENOMEM;
    int k = m->ps.nvars++;
    m->names[k] = copy;
    m->ps.var_names[k] = copy;
    m->ps.var_cols[k] = (uint16_t)k;
    return 0;
}

/* The variables from best.txt's list "a, b" (changed in place). */
static int variables_from_list(struct predict_model *m, char *list,
                               struct error *err)
{
    if (*trim(list) == '\0')
        return 0;
    for (char *p = list;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        int rc = add_variable(m, trim(p), err);
        if (rc < 0)
            return rc;
        if (!comma)
            return 0;
        p = comma + 1;
    }
}

/*
 * Reads dir/best.txt: its first line (the program) into m->program, and
 * its variables line, when it has one, into *vars (owned; NULL when
 * none).
 */
static int read_best(struct predict_model *m, const char *dir, char **vars,
                     struct error *err)
{
    char path[PATH_MAX];
    *vars = NULL;
    if (path_join(path, dir, "best.txt") < 0)
        return error_set(err, "run folder name too long: '%s'", dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return error_set(err, "no finished run in '%s': cannot open '%s': %s",
                         dir, path, strerror(errno));
    char *line = NULL;
    size_t cap = 0;
    int rc = 0;
    if (getline(&line, &cap, f) <= 0) {
        rc =
            error_set(err, "'%s' is empty: no finished run in '%s'", path, dir);
        goto out;
    }
    chomp(line);
    m->program = strdup(line);
    snprintf(m->source, sizeof m->source, "%s:1", path);
    while (m->program && getline(&line, &cap, f) > 0) {
        chomp(line);
        if (strncmp(line, VARIABLES_KEY, strlen(VARIABLES_KEY)) == 0) {
            *vars = strdup(line + strlen(VARIABLES_KEY));
            if (!*vars)
                rc = PREDICT_ENOMEM;
            break;
        }
    }
    if (!m->program)
        rc = PREDICT_ENOMEM;
out:
    free(line);
    fclose(f);
    return rc;
}

/* Reads the program of `size` nodes from dir/front.csv into m->program
 * (replacing best.txt's). */
static int read_front(struct predict_model *m, const char *dir, long size,
                      struct error *err)
{
    char path[PATH_MAX];
    if (path_join(path, dir, "front.csv") < 0)
        return error_set(err, "run folder name too long: '%s'", dir);
    FILE *f = fopen(path, "r");
    if (!f && errno == ENOENT)
        return error_set(err,
                         "--size: the run in '%s' has no front.csv (its "
                         "programs by size)",
                         dir);
    if (!f)
        return error_set(err, "cannot open '%s': %s", path, strerror(errno));
    char *line = NULL, *fields[8];
    size_t cap = 0, lineno = 1;
    int rc = -1, size_col = -1, program_col = -1;
    char sizes[200] = "";
    size_t shown = 0;
    if (getline(&line, &cap, f) > 0) {
        chomp(line);
        int n = split_csv(line, fields, 8);
        for (int j = 0; j < n && j < 8; j++) {
            if (strcmp(fields[j], "size") == 0)
                size_col = j;
            else if (strcmp(fields[j], "program") == 0)
                program_col = j;
        }
    }
    if (size_col < 0 || program_col < 0) {
        error_set(err,
                  "%s:1: expected a header with the columns size and "
                  "program",
                  path);
        goto out;
    }
    while (getline(&line, &cap, f) > 0) {
        lineno++;
        chomp(line);
        if (*trim(line) == '\0')
            continue;
        int n = split_csv(line, fields, 8);
        long s;
        if (n <= size_col || n <= program_col || n > 8) {
            error_set(err, "%s:%zu: expected the fields of the header", path,
                      lineno);
            goto out;
        }
        if (text_to_long(fields[size_col], &s) < 0) {
            char q[TEXT_SHOWN(40)];
            text_show(q, fields[size_col], strlen(fields[size_col]), 40);
            error_set(err, "%s:%zu: size: expected a whole number, got '%s'",
                      path, lineno, q);
            goto out;
        }
        if (s == size) {
            free(m->program);
            m->program = strdup(fields[program_col]);
            snprintf(m->source, sizeof m->source, "%s:%zu", path, lineno);
            rc = m->program ? 0 : PREDICT_ENOMEM;
            goto out;
        }
        /* The sizes there are, for the message when none fits. */
        if (shown < sizeof sizes - 24)
            shown += (size_t)snprintf(sizes + shown, sizeof sizes - shown,
                                      "%s%ld", shown ? ", " : "", s);
        else if (!strstr(sizes, "..."))
            strcat(sizes, ", ...");
    }
    error_set(err, "--size: no program of size %ld in '%s' (%s%s)", size, path,
              *sizes ? "its sizes: " : "it is empty", sizes);
out:
    free(line);
    fclose(f);
    return rc;
}

/* The column names of the CSV file's header (its first line), for a
 * run's training data, of which nothing more is needed. Returns the
 * number of names (*names owned, each pointing into (*names)[0]'s
 * block), -1 when the file cannot be read, or PREDICT_ENOMEM. */
static long csv_header(const char *path, char ***names)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char *line = NULL;
    size_t cap = 0;
    long n = getline(&line, &cap, f) > 0 ? 1 : -1;
    fclose(f);
    if (n < 0) {
        free(line);
        return -1;
    }
    chomp(line);
    char *p = line;
    if (strncmp(p, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
        p += 3;
    for (const char *c = p; *c; c++)
        n += *c == ',';
    /* One block: the pointers, then the text they point into. */
    size_t len = strlen(p) + 1;
    char **v = malloc((size_t)n * sizeof *v + len);
    if (!v) {
        free(line);
        return PREDICT_ENOMEM;
    }
    char *text = (char *)(v + n);
    memcpy(text, p, len);
    free(line);
    for (long j = 0; j < n; j++) {
        char *comma = strchr(text, ',');
        if (comma)
            *comma = '\0';
        char *name = trim(text);
        size_t k = strlen(name);
        if (k >= 2 && name[0] == '"' && name[k - 1] == '"') {
            name[k - 1] = '\0';
            name++;
        }
        v[j] = name;
        text = comma ? comma + 1 : text + strlen(text);
    }
    *names = v;
    return n;
}

/* Nonzero when list (a comma-separated list) holds name. */
static int listed(const char *list, const char *name)
{
    size_t len = strlen(name);
    for (const char *p = list; p;) {
        while (*p == ' ' || *p == '\t')
            p++;
        const char *end = strchr(p, ',');
        size_t n = end ? (size_t)(end - p) : strlen(p);
        while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\t'))
            n--;
        if (n == len && strncmp(p, name, n) == 0)
            return 1;
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/*
 * What the training CSV's header says, when the file is there: the target
 * column's name (when [data] target does not give it) and, for a best.txt
 * without a variables line, the variables as tabular.c chose them (the
 * inputs in file order). Returns 0, PREDICT_ENOMEM, or -1 when the
 * variables were needed and cannot be found.
 */
static int from_training_header(struct predict_model *m, int need_vars,
                                const char *best, struct error *err)
{
    const struct config *c = &m->cfg;
    char **names = NULL;
    long n = *c->data_train ? csv_header(c->data_train, &names) : -1;
    if (n == PREDICT_ENOMEM)
        return PREDICT_ENOMEM;
    long target = -1;
    for (long j = 0; j < n; j++)
        if (*c->data_target ? strcmp(names[j], c->data_target) == 0
                            : j == n - 1)
            target = j;
    int rc = 0;
    if (target >= 0 && !*c->data_target) {
        m->target = strdup(names[target]);
        rc = m->target ? 0 : PREDICT_ENOMEM;
    }
    if (rc == 0 && need_vars) {
        if (n < 0)
            rc = error_set(err,
                           "'%s' names no variables (a run of an older "
                           "forkgp), and the training data that would "
                           "cannot be read: '%s'",
                           best, *c->data_train ? c->data_train : "(none)");
        else if (target < 0)
            rc = error_set(err,
                           "'%s' names no variables (a run of an older "
                           "forkgp), and the training data '%s' has no "
                           "target column '%s'",
                           best, c->data_train, c->data_target);
        for (long j = 0; j < n && rc == 0; j++)
            if (j != target &&
                (!*c->data_inputs || listed(c->data_inputs, names[j])))
                rc = add_variable(m, names[j], err);
    }
    free(names);
    return rc;
}

void predict_release(struct predict_model *m)
{
    config_release(&m->cfg);
    if (m->names)
        for (int k = 0; k < m->ps.nvars; k++)
            free(m->names[k]);
    free(m->names);
    tree_release(&m->tree);
    free(m->program);
    free(m->target);
    memset(m, 0, sizeof *m);
}

/* Nonzero for the fitness functions whose data have a target column. */
static int tabular_fitness(const struct config *c)
{
    return strcmp(c->fitness_function, "regression") == 0 ||
           strcmp(c->fitness_function, "classification") == 0;
}

int predict_load(struct predict_model *m, const char *dir, long size,
                 struct error *err)
{
    memset(m, 0, sizeof *m);
    char *vars = NULL, best[PATH_MAX], path[PATH_MAX];
    int rc = read_best(m, dir, &vars, err);
    if (rc == 0 && (path_join(best, dir, "best.txt") < 0 ||
                    path_join(path, dir, "config.ini") < 0))
        rc = error_set(err, "run folder name too long: '%s'", dir);
    if (rc == 0 && config_load(&m->cfg, path, NULL, 0, err) < 0)
        rc = -1;
    if (rc == 0 && !(m->names = calloc(PRIM_MAX_VARS, sizeof *m->names)))
        rc = PREDICT_ENOMEM;
    if (rc == 0 && vars)
        rc = variables_from_list(m, vars, err);
    if (rc == 0 && *m->cfg.data_target && tabular_fitness(&m->cfg) &&
        !(m->target = strdup(m->cfg.data_target)))
        rc = PREDICT_ENOMEM;
    /* The training data's header only when it has something to say. */
    if (rc == 0 && (!vars || (!m->target && tabular_fitness(&m->cfg))))
        rc = from_training_header(m, !vars, best, err);
    free(vars);
    if (rc == 0 && size > 0)
        rc = read_front(m, dir, size, err);
    if (rc == 0) {
        size_t len = strlen(m->program);
        uint32_t cap = len < UINT32_MAX ? (uint32_t)len + 1 : UINT32_MAX;
        if (tree_init(&m->tree, cap) < 0)
            rc = PREDICT_ENOMEM;
        else if (parse_program(&m->tree, m->program, &m->ps, err) < 0)
            rc = error_prefix(err, "%s: ", m->source);
    }
    if (rc == PREDICT_ENOMEM)
        error_set(err, "out of memory");
    if (rc < 0)
        predict_release(m);
    return rc;
}

/* Lanes of the regression fitness's error sums (fitness/regression.c):
 * row r adds into lane r % LANES, and the lanes are added in order, so
 * that the metric on the training data is the run's train score. */
#define LANES 4

/* The metric `name` of predictions p against targets y (n rows), as the
 * regression fitness computes it; NaN when not finite. */
static double metric_of(const char *name, const double *p, const double *y,
                        size_t n)
{
    int absolute = strcmp(name, "mae") == 0;
    double lane[LANES] = {0};
    for (size_t i = 0; i < n; i++) {
        double e = p[i] - y[i];
        lane[i % LANES] += absolute ? fabs(e) : e * e;
    }
    double sum = 0.0;
    for (int l = 0; l < LANES; l++)
        sum += lane[l];
    double rows = (double)n, mean = 0.0, ss = 0.0;
    for (size_t i = 0; i < n; i++)
        mean += y[i];
    mean /= rows;
    for (size_t i = 0; i < n; i++)
        ss += (y[i] - mean) * (y[i] - mean);
    double v = strcmp(name, "rmse") == 0   ? sqrt(sum / rows)
               : strcmp(name, "nmse") == 0 ? sum / ss
               : strcmp(name, "r2") == 0   ? 1.0 - sum / ss
                                           : sum / rows;
    return isfinite(v) ? v : NAN;
}

/* Writes text to path atomically (a temporary file, then a rename). */
static int write_file(const char *path, const char *text, size_t len,
                      struct error *err)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return error_set(err, "--out: path too long");
    char *slash = strrchr(dir, '/');
    const char *name = slash ? slash + 1 : dir;
    if (*name == '\0')
        return error_set(err, "--out: '%s' names a folder, not a file", path);
    if (slash == dir)
        return durable_write("/", name, text, len, err);
    if (slash)
        *slash = '\0';
    return durable_write(slash ? dir : ".", name, text, len, err);
}

int predict_main(const char *dir, const char *data, const char *out, long size)
{
    struct predict_model m;
    struct error err;
    int rc = predict_load(&m, dir, size, &err);
    if (rc < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        return rc == PREDICT_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    struct dataset d = {0};
    struct interp in = {0};
    const double **cols = NULL;
    double *pred = NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *o = NULL;
    int status = EXIT_INPUT;
    if (csv_load(&d, data, &err) < 0) {
        fprintf(stderr, "forkgp: --data: %s\n", err.msg);
        goto out;
    }
    status = EXIT_RUNTIME;
    cols = calloc((size_t)m.ps.nvars + 1, sizeof *cols);
    pred = malloc(d.nrows * sizeof *pred);
    if (!cols || !pred || interp_init(&in, m.tree.size) < 0) {
        fprintf(stderr, "forkgp: out of memory\n");
        goto out;
    }
    for (int k = 0; k < m.ps.nvars; k++) {
        int j = dataset_find(&d, m.ps.var_names[k]);
        if (j < 0) {
            const char *near = fgp_suggest(
                m.ps.var_names[k], (const char *const *)d.names, d.ncols);
            fprintf(stderr,
                    "forkgp: --data: '%s' has no column '%s' (an input of "
                    "the run in '%s')",
                    data, m.ps.var_names[k], dir);
            if (near)
                fprintf(stderr, "; did you mean '%s'?", near);
            fputc('\n', stderr);
            status = EXIT_INPUT;
            goto out;
        }
        cols[k] = d.cols[j];
    }

    /* The interpreter a run scores with, block by block: the same bits. */
    for (size_t row = 0; row < d.nrows; row += INTERP_BLOCK) {
        size_t n = d.nrows - row < INTERP_BLOCK ? d.nrows - row : INTERP_BLOCK;
        const double *y = interp_block(&in, &m.tree, cols, row, n);
        memcpy(pred + row, y, n * sizeof *y);
    }
    o = open_memstream(&text, &len);
    if (!o) {
        fprintf(stderr, "forkgp: out of memory\n");
        goto out;
    }
    fputs("prediction\n", o);
    for (size_t i = 0; i < d.nrows; i++) {
        infix_number(o, pred[i]);
        fputc('\n', o);
    }
    if (fclose(o) != 0) {
        o = NULL;
        fprintf(stderr, "forkgp: out of memory\n");
        goto out;
    }
    o = NULL;
    if (out) {
        if (write_file(out, text, len, &err) < 0) {
            fprintf(stderr, "forkgp: %s\n", err.msg);
            goto out;
        }
    } else {
        fwrite(text, 1, len, stdout);
    }

    /* The run's metric, where the data hold its target (regression). */
    int target = m.target ? dataset_find(&d, m.target) : -1;
    if (target >= 0 && strcmp(m.cfg.fitness_function, "regression") == 0) {
        const char *metric = strcmp(m.cfg.fitness_metric, "auto") == 0
                                 ? "mse"
                                 : m.cfg.fitness_metric;
        double v = metric_of(metric, pred, d.cols[target], d.nrows);
        if (isnan(v))
            fprintf(stderr, "%s = invalid\n", metric);
        else
            fprintf(stderr, "%s = %.17g\n", metric, v);
    }
    status = EXIT_OK;
out:
    if (o)
        fclose(o);
    free(text);
    free(pred);
    free(cols);
    interp_release(&in);
    dataset_release(&d);
    predict_release(&m);
    return status;
}
