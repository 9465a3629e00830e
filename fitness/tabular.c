/* tabular: what the built-in regression and classification share. */
#include "tabular.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>


/* The target's column: by name, or the last. */
static int find_target(struct fgp_setup *s, const struct fgp_table *tab,
                       const char *target, const char *path)
{
    if (*target == '\0')
        return (int)tab->ncols - 1;
    for (size_t j = 0; j < tab->ncols; j++)
        if (strcmp(tab->names[j], target) == 0)
            return (int)j;
    const char *near = fgp_suggest(target, tab->names, tab->ncols);
    if (near)
        return fgp_fail_key(s, "data", "target",
                            "no column '%s' in '%s'; did you mean '%s'?",
                            target, path, near);
    return fgp_fail_key(s, "data", "target", "no column '%s' in '%s'", target,
                        path);
}

static void bind(struct tabular_set *set, const struct tabular *t,
                 const struct fgp_table *tab)
{
    set->nrows = tab->nrows;
    set->y = tab->cols[t->target_col];
    for (size_t k = 0; k < t->ninputs; k++)
        set->x[k] = tab->cols[t->input_cols[k]];
}

/* The column of tab called name[0..len), or -1. */
static int find_column(const struct fgp_table *tab, const char *name,
                       size_t len)
{
    for (size_t j = 0; j < tab->ncols; j++)
        if (strncmp(tab->names[j], name, len) == 0 &&
            tab->names[j][len] == '\0')
            return (int)j;
    return -1;
}

/* Fails on the name[0..len) of [data] inputs that names no column of the
 * training data, with the nearest column name. Returns -1. */
static int no_input(struct fgp_setup *s, const struct fgp_table *tab,
                    const char *name, size_t len, const char *path)
{
    char *word = malloc(len + 1);
    if (!word)
        return fgp_fail(s, "out of memory");
    memcpy(word, name, len);
    word[len] = '\0';
    const char *near = fgp_suggest(word, tab->names, tab->ncols);
    if (near)
        fgp_fail_key(s, "data", "inputs",
                     "no column '%s' in '%s'; did you mean '%s'?", word, path,
                     near);
    else
        fgp_fail_key(s, "data", "inputs", "no column '%s' in '%s'", word,
                     path);
    free(word);
    return -1;
}

/*
 * The input columns, in file order, into t->input_cols: the columns that
 * [data] inputs names (each once, never the target), or, when it is
 * empty, every column but the target. The order is the file's whatever
 * the list's, so that listing every input is the same run as the default.
 * Returns 0 or -1 (after fgp_fail).
 */
static int choose_inputs(struct fgp_setup *s, struct tabular *t,
                         const struct fgp_table *tab, const char *list)
{
    t->ninputs = 0;
    if (*list == '\0') {
        for (size_t j = 0; j < tab->ncols; j++)
            if (j != t->target_col)
                t->input_cols[t->ninputs++] = j;
        return 0;
    }
    unsigned char *chosen = calloc(tab->ncols, 1);
    if (!chosen)
        return fgp_fail(s, "out of memory");
    int rc = -1;
    size_t count = 0;
    for (const char *p = list;; p++) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        size_t len = (size_t)(end - p);
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == 0) {
            fgp_fail_key(s, "data", "inputs",
                         "an empty name in the list (two commas, or one at "
                         "an end)");
            goto out;
        }
        int j = find_column(tab, p, len);
        if (j < 0) {
            no_input(s, tab, p, len, t->train_path);
            goto out;
        }
        if ((size_t)j == t->target_col) {
            fgp_fail_key(s, "data", "inputs",
                         "'%s' is the target column of '%s', which cannot "
                         "be an input too",
                         tab->names[j], t->train_path);
            goto out;
        }
        if (chosen[j]) {
            fgp_fail_key(s, "data", "inputs", "'%s' is listed twice",
                         tab->names[j]);
            goto out;
        }
        if (++count > FGP_MAX_VARIABLES) {
            fgp_fail_key(s, "data", "inputs", "more than %d names",
                         FGP_MAX_VARIABLES);
            goto out;
        }
        chosen[j] = 1;
        p = end;
        if (*end == '\0')
            break;
    }
    for (size_t j = 0; j < tab->ncols; j++)
        if (chosen[j])
            t->input_cols[t->ninputs++] = j;
    rc = 0;
out:
    free(chosen);
    return rc;
}

int tabular_setup(struct fgp_setup *s, struct tabular *t, const char *who)
{
    const char *functions, *constants, *inputs;
    const struct fgp_table *train, *test = NULL;
    memset(t, 0, sizeof *t);
    if (fgp_get_path(s, "data", "train", "", &t->train_path) < 0 ||
        fgp_get_path(s, "data", "test", "", &t->test_path) < 0 ||
        fgp_get_string(s, "data", "target", "", &t->target_name) < 0 ||
        fgp_get_string(s, "data", "inputs", "", &inputs) < 0 ||
        fgp_get_string(s, "primitives", "functions", "", &functions) < 0 ||
        fgp_get_string(s, "primitives", "constants", "", &constants) < 0)
        return -1;
    if (*t->train_path == '\0')
        return fgp_fail_key(s, "data", "train",
                            "required by fitness '%s': the training data CSV",
                            who);
    if (fgp_load_csv(s, t->train_path, &train) < 0)
        return -1;
    /* The column counts first: a file of many columns fails here, before
     * anything that looks at every name. */
    if (train->ncols < 2)
        return fgp_fail(s, "'%s' has only one column: no inputs beside the "
                           "target",
                        t->train_path);
    /* Without [data] inputs, every other column is a variable. */
    if (*inputs == '\0' && train->ncols - 1 > FGP_MAX_VARIABLES)
        return fgp_fail(s, "'%s' has more than %d input columns",
                        t->train_path, FGP_MAX_VARIABLES);
    int target = find_target(s, train, t->target_name, t->train_path);
    if (target < 0)
        return -1;
    t->target_name = train->names[target];
    t->target_col = (size_t)target;
    if (choose_inputs(s, t, train, inputs) < 0)
        return -1;
    if (*t->test_path != '\0') {
        if (fgp_load_csv(s, t->test_path, &test) < 0)
            return -1;
        int same = test->ncols == train->ncols;
        for (size_t j = 0; same && j < train->ncols; j++)
            same = strcmp(train->names[j], test->names[j]) == 0;
        if (!same)
            return fgp_fail_key(s, "data", "test",
                                "'%s' has other columns than the training "
                                "data '%s'",
                                t->test_path, t->train_path);
        t->has_test = 1;
    }
    for (size_t k = 0; k < t->ninputs; k++) {
        size_t j = t->input_cols[k];
        /* Said here, where the file and column are known; the variable
         * itself would only name the fitness. */
        if (fgp_reserved_name(train->names[j]))
            return fgp_fail_key(s, "data", "train",
                                "column %zu '%s' of '%s' has the name of a "
                                "function or constant; rename it",
                                j + 1, train->names[j], t->train_path);
        if (fgp_add_variable(s, train->names[j]) < 0)
            return -1;
    }
    if (fgp_use_functions(s, functions) < 0 ||
        fgp_use_constants(s, constants) < 0)
        return -1;
    bind(&t->train, t, train);
    if (test)
        bind(&t->test, t, test);
    fgp_set_rows(s, train->nrows);
    /* Each training row a case, for lexicase selection (more rows than
     * it takes: none, and lexicase says so). */
    if (train->nrows <= FGP_MAX_CASES && fgp_set_cases(s, train->nrows) < 0)
        return -1;
    return 0;
}

int tabular_constant_target(const struct tabular_set *set)
{
    for (size_t i = 1; i < set->nrows; i++)
        if (set->y[i] != set->y[0])
            return 0;
    return 1;
}

size_t tabular_line(size_t row)
{
    return row + 2;
}

void tabular_number(char *out, size_t cap, double v)
{
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(out, cap, "%.*g", digits, v);
        if (strtod(out, NULL) == v)
            return;
    }
}
