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

static void bind(struct tabular_set *set, const struct fgp_table *tab,
                 int target)
{
    set->nrows = tab->nrows;
    set->y = tab->cols[target];
    size_t k = 0;
    for (size_t j = 0; j < tab->ncols; j++)
        if ((int)j != target)
            set->x[k++] = tab->cols[j];
}

int tabular_setup(struct fgp_setup *s, struct tabular *t, const char *who)
{
    const char *functions, *constants;
    const struct fgp_table *train, *test = NULL;
    memset(t, 0, sizeof *t);
    if (fgp_get_path(s, "data", "train", "", &t->train_path) < 0 ||
        fgp_get_path(s, "data", "test", "", &t->test_path) < 0 ||
        fgp_get_string(s, "data", "target", "", &t->target_name) < 0 ||
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
    if (train->ncols - 1 > FGP_MAX_VARIABLES)
        return fgp_fail(s, "'%s' has more than %d input columns",
                        t->train_path, FGP_MAX_VARIABLES);
    int target = find_target(s, train, t->target_name, t->train_path);
    if (target < 0)
        return -1;
    t->target_name = train->names[target];
    t->target_col = (size_t)target;
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
    for (size_t j = 0; j < train->ncols; j++) {
        if ((int)j == target)
            continue;
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
    bind(&t->train, train, target);
    if (test)
        bind(&t->test, test, target);
    fgp_set_rows(s, train->nrows);
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
