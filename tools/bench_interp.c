/* bench_interp: the interpreter's throughput in GPops/s (tree nodes x rows
 * evaluated per second), one core, double precision, for `make bench`:
 * 1000 random programs of 1 to 64 nodes over 10 columns, for two function
 * sets, at 20 to 100,000 rows; padded columns (interp_block_padded, as the
 * built-in fitness functions evaluate their CSV data), and for the first
 * set also exact ones (interp_block, as fgp_eval evaluates a plug-in's
 * arrays). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "init.h"
#include "interp.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"
#include "bench_programs.h"

#define NPROGRAMS 1000
#define MAX_SIZE 64
#define NCOLS 10

/* Evaluates every program over all rows until `seconds` pass; returns
 * GPops/s. The sum keeps the compiler from dropping the work. */
static double measure(struct tree *progs, const double *const *cols,
                      size_t nrows, struct interp *in, double seconds,
                      int padded, double *sink)
{
    double nodes_rows = 0, t0 = clock_now(), t;
    do {
        for (int p = 0; p < NPROGRAMS; p++) {
            for (size_t row = 0; row < nrows; row += INTERP_BLOCK) {
                size_t n = nrows - row < INTERP_BLOCK ? nrows - row
                                                      : INTERP_BLOCK;
                const double *out =
                    padded ? interp_block_padded(in, &progs[p], cols, row, n)
                           : interp_block(in, &progs[p], cols, row, n);
                *sink += out[0];
            }
            nodes_rows += (double)progs[p].size * (double)nrows;
        }
        t = clock_now() - t0;
    } while (t < seconds);
    return nodes_rows / t;
}

int main(void)
{
    static const char *const names[NCOLS] = {"x0", "x1", "x2", "x3", "x4",
                                             "x5", "x6", "x7", "x8", "x9"};
    static const char *const sets[] = {"add, sub, mul, div",
                                       "add, sub, mul, div, exp, log, sin, cos"};
    size_t sizes[] = {20, 100, 1000, 10000, 100000};
    struct rng r;
    rng_seed(&r, 42, 54);
    /* Columns of 100,000 rows end to end, and zeros past the last: every
     * column readable as far as interp_block_padded reads. */
    double *data = calloc(NCOLS * 100000 + INTERP_LANES, sizeof *data);
    const double *cols[NCOLS];
    for (int j = 0; j < NCOLS; j++) {
        for (size_t k = 0; k < 100000; k++)
            data[j * 100000 + k] = rng_uniform(&r, -1.0, 1.0);
        cols[j] = data + j * 100000;
    }
    static struct tree progs[NPROGRAMS];
    for (int p = 0; p < NPROGRAMS; p++)
        tree_init(&progs[p], MAX_SIZE);
    struct interp in;
    if (!data || interp_init(&in, MAX_SIZE) < 0)
        return 1;
    double sink = 0;
    printf("interpreter, one core, double precision: GPops/s (nodes x rows "
           "per second)\n%8s", "rows");
    for (size_t s = 0; s < 2; s++)
        printf("  %-36s", sets[s]);
    printf("  %s\n", "add, sub, mul, div: exact rows");
    double mean[2];
    double table[5][3];
    for (size_t s = 0; s < 2; s++) {
        struct primset ps = {0};
        struct error err;
        ps.nvars = NCOLS;
        for (int j = 0; j < NCOLS; j++)
            ps.var_names[j] = names[j];
        if (prim_parse_functions(&ps, sets[s], &err) < 0 ||
            prim_parse_constants(&ps, "-1..1", &err) < 0)
            return 1;
        mean[s] = bench_make_programs(progs, NPROGRAMS, MAX_SIZE, &ps, &r);
        for (size_t i = 0; i < 5; i++) {
            table[i][s] = measure(progs, cols, sizes[i], &in, 0.5, 1, &sink);
            if (s == 0)
                table[i][2] =
                    measure(progs, cols, sizes[i], &in, 0.5, 0, &sink);
        }
    }
    for (size_t i = 0; i < 5; i++)
        printf("%8zu  %-36.3g  %-36.3g  %.3g\n", sizes[i], table[i][0],
               table[i][1], table[i][2]);
    printf("(1000 programs of 1 to 64 nodes over 10 columns; mean %.1f and "
           "%.1f nodes)\n",
           mean[0], mean[1]);
    interp_release(&in);
    for (int p = 0; p < NPROGRAMS; p++)
        tree_release(&progs[p]);
    free(data);
    return isnan(sink) ? 0 : 0;
}
