/* tabular: what the built-in regression and classification share: [data]
 * train/test/target/inputs read, the CSVs loaded, the input columns
 * declared variables, and [primitives] functions and constants declared. */
#ifndef FORKGP_TABULAR_H
#define FORKGP_TABULAR_H

#include <stddef.h>

#include "forkgp.h"

/* One data set, bound: target and inputs in the variables' order. */
struct tabular_set {
    size_t nrows;
    const double *y;
    const double *x[FGP_MAX_VARIABLES];
};

struct tabular {
    struct tabular_set train, test;
    int has_test;
    const char *target_name;
    size_t target_col; /* its column in the files, from 0 */
    size_t ninputs;    /* the variables' columns, in the files' order */
    size_t input_cols[FGP_MAX_VARIABLES];
    const char *train_path, *test_path;
};

/* Does the shared part of setup for fitness `who` (named in messages).
 * Returns 0 or -1 (after fgp_fail). */
int tabular_setup(struct fgp_setup *s, struct tabular *t, const char *who);

/* Nonzero when every target value of set is the same (one row, too). */
int tabular_constant_target(const struct tabular_set *set);

/* The line of the file that holds row i: the header is line 1, and blank
 * lines may only follow the data. */
size_t tabular_line(size_t row);

/* Writes v in the fewest digits that read back as v. */
void tabular_number(char *out, size_t cap, double v);

#endif
