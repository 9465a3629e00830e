/* bench_interp: the interpreter's throughput in GPops/s (tree nodes x rows
 * evaluated per second) on quartic-style data, for `make bench`. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "init.h"
#include "interp.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"

#define NPROGRAMS 1000
#define MAX_SIZE 64

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Evaluates every program over all rows until `seconds` pass; returns
 * GPops/s. The sum keeps the compiler from dropping the work. */
static double measure(struct tree *progs, const double *x, size_t nrows,
                      struct interp *in, double seconds, double *sink)
{
    const double *cols[1] = {x};
    double nodes_rows = 0, t0 = now(), t;
    do {
        for (int p = 0; p < NPROGRAMS; p++) {
            for (size_t row = 0; row < nrows; row += INTERP_BLOCK) {
                size_t n = nrows - row < INTERP_BLOCK ? nrows - row
                                                      : INTERP_BLOCK;
                const double *out = interp_block(in, &progs[p], cols, row, n);
                *sink += out[0];
            }
            nodes_rows += (double)progs[p].size * (double)nrows;
        }
        t = now() - t0;
    } while (t < seconds);
    return nodes_rows / t;
}

int main(void)
{
    struct primset ps = {0};
    struct prim_error err;
    static const char *const names[] = {"x"};
    ps.nvars = 1;
    ps.var_names[0] = names[0];
    if (prim_parse_functions(&ps, "add, sub, mul, div", &err) < 0 ||
        prim_parse_constants(&ps, "-1..1", &err) < 0)
        return 1;
    struct rng r;
    rng_seed(&r, 42, 54);
    static struct tree progs[NPROGRAMS];
    double total = 0;
    for (int p = 0; p < NPROGRAMS; p++) {
        tree_init(&progs[p], MAX_SIZE);
        /* random programs of 1 to 64 nodes */
        while (init_tree(&progs[p], &ps, INIT_GROW, 0, 1 + (int)rng_below(&r, 8),
                         &r) < 0)
            ;
        total += progs[p].size;
    }
    struct interp in;
    if (interp_init(&in, MAX_SIZE) < 0)
        return 1;
    printf("interpreter: %d random programs (add, sub, mul, div; mean %.1f "
           "nodes), one core, double precision\n",
           NPROGRAMS, total / NPROGRAMS);
    size_t sizes[] = {20, 100, 1000, 10000, 100000};
    double sink = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        size_t nrows = sizes[i];
        double *x = malloc(nrows * sizeof *x);
        for (size_t k = 0; k < nrows; k++)
            x[k] = -1.0 + 2.0 * (double)k / (double)nrows;
        double gpops = measure(progs, x, nrows, &in, 1.0, &sink);
        printf("  %6zu rows: %8.3g GPops/s\n", nrows, gpops);
        free(x);
    }
    interp_release(&in);
    for (int p = 0; p < NPROGRAMS; p++)
        tree_release(&progs[p]);
    return isnan(sink) ? 0 : 0;
}
