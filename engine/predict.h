/* predict: forkgp predict: a finished run's program applied to new data. */
#ifndef FORKGP_PREDICT_H
#define FORKGP_PREDICT_H

#include <limits.h>
#include <stdio.h>

#include "config.h"
#include "error.h"
#include "prim.h"
#include "tree.h"

/* What predict_load returns when memory runs out (a runtime failure, not
 * bad input). */
#define PREDICT_ENOMEM (-2)

/*
 * A finished run's program, ready to evaluate: the run's configuration,
 * its variables (ps holds them and nothing else: parse_program knows
 * every built-in function by name) and the program.
 */
struct predict_model {
    struct config cfg;          /* RUNDIR/config.ini */
    struct primset ps;          /* the run's variables, in its order */
    char **names;               /* ps.nvars names, owned (ps borrows them) */
    struct tree tree;           /* the program */
    char *program;              /* its text, as the run wrote it; owned */
    char source[PATH_MAX + 32]; /* where it came from, for messages and
                                   export's comments: "DIR/best.txt" or
                                   "DIR/front.csv:4" */
    char *target; /* the target column's name; NULL when not known */
};

/*
 * Loads the model of run folder `dir`: its config.ini, and best.txt's
 * program (size 0) or front.csv's program of `size` nodes. The variables
 * come from best.txt's `variables = a, b` line; a best.txt without one
 * (written before forkgp recorded it) takes them from the training CSV's
 * header, when that file is still there. Returns 0, PREDICT_ENOMEM, or -1
 * with a message naming the file (no finished run, no front, no program
 * of that size, a program that does not parse). *m then holds nothing.
 */
int predict_load(struct predict_model *m, const char *dir, long size,
                 struct error *err);

/* Frees what m holds; a zeroed model is fine. */
void predict_release(struct predict_model *m);

/*
 * Writes best.txt's line `variables = a, b` (and its newline): the run's
 * variable names in their order, so that predict and export need not read
 * the training data again. Writes nothing when the set has no variables.
 */
void predict_write_variables(FILE *out, const struct primset *ps);

/*
 * forkgp predict: applies the model of run folder `dir` (front.csv's
 * program of `size` nodes, or best.txt's when size is 0) to the CSV
 * `data`, and writes one prediction per row, under the header
 * `prediction`, to `out` (atomically) or to stdout when out is NULL. When
 * the data hold the target column of a regression run, prints the run's
 * metric on them on stderr. Returns an exit status: 0, 1 (I/O, memory) or
 * 2 (bad input) with a message.
 */
int predict_main(const char *dir, const char *data, const char *out, long size);

#endif
