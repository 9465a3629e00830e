/*
 * boolean: the built-in boolean problems, Koza's k-multiplexer and even-n
 * parity, over their whole truth table. [boolean] problem = multiplexer
 * (bits = address bits: 2 for the 6-multiplexer, 3 for the 11-) or parity
 * (bits = inputs: 5 for even-5-parity). Inputs are 0/1 variables (a0.. and
 * d0.. for the multiplexer, b0.. for parity); a program's output is true
 * when nonzero. Fitness is hits, the number of cases right (maximised);
 * all 2^inputs right is a solution.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "builtin.h"

#define MAX_INPUTS 20

struct boolean {
    size_t ncases;
    size_t stride; /* ncases to whole vectors: the columns are padded with
                      zeros, as fgp_eval_block_padded reads them */
    int ninputs;
    double *cells; /* ninputs + 1 columns of stride: inputs, then target */
    const double *x[MAX_INPUTS];
    const double *y;
};

static int setup(struct fgp_setup *s, void **state)
{
    struct boolean *b = calloc(1, sizeof *b);
    if (!b)
        return fgp_fail(s, "out of memory");
    *state = b;
    const char *problem, *functions, *constants;
    long bits;
    if (fgp_get_string(s, NULL, "problem", "multiplexer", &problem) < 0)
        return -1;
    int mux = strcmp(problem, "multiplexer") == 0;
    if (!mux && strcmp(problem, "parity") != 0)
        return fgp_fail_key(s, NULL, "problem",
                            "expected multiplexer or parity, got '%s'",
                            problem);
    if (fgp_get_int(s, NULL, "bits", mux ? 2 : 5, 1, mux ? 4 : MAX_INPUTS,
                    &bits) < 0 ||
        fgp_get_string(s, "primitives", "functions", "", &functions) < 0 ||
        fgp_get_string(s, "primitives", "constants", "", &constants) < 0)
        return -1;
    b->ninputs = mux ? (int)bits + (1 << bits) : (int)bits;
    b->ncases = (size_t)1 << b->ninputs;
    fgp_set_rows(s, b->ncases);
    if (fgp_set_cases(s, b->ncases) < 0)
        return -1;
    b->stride = (b->ncases + FGP_LANES - 1) / FGP_LANES * FGP_LANES;
    b->cells = calloc((size_t)(b->ninputs + 1) * b->stride, sizeof(double));
    if (!b->cells)
        return fgp_fail(s, "out of memory");

    /* The truth table: case i sets input j to bit j of i. */
    for (int j = 0; j < b->ninputs; j++) {
        char name[16];
        if (mux && j < bits)
            snprintf(name, sizeof name, "a%d", j);
        else
            snprintf(name, sizeof name, "%c%d", mux ? 'd' : 'b',
                     mux ? j - (int)bits : j);
        if (fgp_add_variable(s, name) < 0)
            return -1;
        double *col = b->cells + (size_t)j * b->stride;
        for (size_t i = 0; i < b->ncases; i++)
            col[i] = (double)((i >> j) & 1u);
        b->x[j] = col;
    }
    double *target = b->cells + (size_t)b->ninputs * b->stride;
    for (size_t i = 0; i < b->ncases; i++) {
        if (mux) {
            size_t address = i & (((size_t)1 << bits) - 1);
            target[i] = (double)((i >> (bits + (long)address)) & 1u);
        } else {
            target[i] = (double)(__builtin_popcountl((unsigned long)i) % 2 == 0);
        }
    }
    b->y = target;
    /* The table itself, for semantic operators ([operators] rdo). */
    if (fgp_set_case_data(s, b->x, b->y) < 0)
        return -1;
    fgp_set_maximise(s, 1);
    fgp_set_score_name(s, "hits");
    if (fgp_use_functions(s, functions) < 0 ||
        fgp_use_constants(s, constants) < 0)
        return -1;
    return 0;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng; /* deterministic */
    const struct boolean *b = state;
    size_t hits = 0;
    double *cases = fgp_case_errors(p); /* 0 a hit, 1 a miss */
    for (size_t row = 0; row < b->ncases; row += FGP_BLOCK) {
        size_t n = b->ncases - row < FGP_BLOCK ? b->ncases - row : FGP_BLOCK;
        const double *o = fgp_eval_block_padded(p, b->x, row, n);
        for (size_t k = 0; k < n; k++)
            hits += (o[k] != 0.0) == (b->y[row + k] != 0.0);
        if (cases)
            for (size_t k = 0; k < n; k++)
                cases[row + k] = (o[k] != 0.0) != (b->y[row + k] != 0.0);
    }
    scores[0] = (double)hits;
    return FGP_OK;
}

static void teardown(void *state)
{
    struct boolean *b = state;
    if (b)
        free(b->cells);
    free(b);
}

const struct fgp_plugin builtin_boolean = {
    .abi_version = FGP_ABI_VERSION,
    .name = "boolean",
    .flags = FGP_MAXIMISE,
    .nscores = 1,
    .setup = setup,
    .evaluate = evaluate,
    .teardown = teardown,
};
