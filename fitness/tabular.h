/* tabular: what the built-in regression and classification share: [data]
 * train/test/target read, the CSVs loaded, every other column declared a
 * variable, and [primitives] functions and constants declared. */
#ifndef FORKGP_TABULAR_H
#define FORKGP_TABULAR_H

#include <stddef.h>

#include "forkgp.h"
#include "prim.h"

/* One data set, bound: target and inputs in the variables' order. */
struct tabular_set {
    size_t nrows;
    const double *y;
    const double *x[PRIM_MAX_VARS];
};

struct tabular {
    struct tabular_set train, test;
    int has_test;
    const char *target_name;
    const char *train_path, *test_path;
};

/* Does the shared part of setup for fitness `who` (named in messages).
 * Returns 0 or -1 (after fgp_fail). */
int tabular_setup(struct fgp_setup *s, struct tabular *t, const char *who);

#endif
