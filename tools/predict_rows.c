/* predict_rows: what forkgp computes for printed programs on a CSV's rows. */
/*
 * Usage: build/tools/predict_rows DATA.csv <PROGRAMS
 *
 * Every column of DATA.csv is a variable, by its header name. Each line of
 * stdin is a program as forkgp prints it (infix_write); for each, one line
 * goes to stdout: the program's value on every row, in row order, comma-
 * separated, in %.17g (nan, inf and -inf as printf writes them), or
 * "error: MESSAGE" when the line does not parse. The programs are read by
 * parse_program and evaluated by the interpreter, as a run evaluates them.
 * tests/e2e/sympy.sh compares these with SymPy's and NumPy's values.
 * Exit status: 0, or 2 when the data cannot be loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "error.h"
#include "interp.h"
#include "parse.h"
#include "prim.h"
#include "tree.h"

#define MAX_NODES 65535

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: predict_rows DATA.csv <PROGRAMS\n");
        return 2;
    }
    struct dataset d;
    struct error err;
    if (csv_load(&d, argv[1], &err) != 0) {
        fprintf(stderr, "predict_rows: %s\n", err.msg);
        return 2;
    }
    if (d.ncols > PRIM_MAX_VARS) {
        fprintf(stderr, "predict_rows: more than %d columns\n", PRIM_MAX_VARS);
        return 2;
    }
    static struct primset ps;
    for (size_t j = 0; j < d.ncols; j++) {
        ps.var_names[j] = d.names[j];
        ps.var_cols[j] = (uint16_t)j;
    }
    ps.nvars = (int)d.ncols;
    struct tree t;
    struct interp in;
    if (tree_init(&t, MAX_NODES) < 0 || interp_init(&in, MAX_NODES) < 0) {
        fprintf(stderr, "predict_rows: out of memory\n");
        return 1;
    }
    const double *const *cols = (const double *const *)d.cols;
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    while ((got = getline(&line, &cap, stdin)) >= 0) {
        if (got > 0 && line[got - 1] == '\n')
            line[got - 1] = '\0';
        if (parse_program(&t, line, &ps, &err) < 0) {
            printf("error: %s\n", err.msg);
            continue;
        }
        for (size_t row = 0; row < d.nrows; row += INTERP_BLOCK) {
            size_t n = d.nrows - row < INTERP_BLOCK ? d.nrows - row
                                                    : INTERP_BLOCK;
            const double *v = interp_block(&in, &t, cols, row, n);
            for (size_t k = 0; k < n; k++)
                printf("%s%.17g", row + k ? "," : "", v[k]);
        }
        putchar('\n');
    }
    free(line);
    interp_release(&in);
    tree_release(&t);
    dataset_release(&d);
    return 0;
}
