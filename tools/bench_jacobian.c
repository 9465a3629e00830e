/* bench_jacobian: the Jacobian's GPops/s and Levenberg-Marquardt's pace. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "init.h"
#include "interp.h"
#include "jacobian.h"
#include "optimize.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"
#include "bench_programs.h"

/*
 * 1000 random programs of 1 to 64 nodes over 10 columns with constants
 * drawn from -1..1, for two function sets, at 20, 1,000 and 10,000 rows:
 * GPops/s (tree nodes x rows per second) of interp_block and of
 * jacobian_block (outputs and every constant's derivative, written to a
 * rows x constants array as the solver takes it); then evaluations per
 * second of a least-squares score with no optimisation (one pass of the
 * interpreter and the sum of squares) and with Levenberg-Marquardt over
 * the constants and linear scaling's a and b (optimize_constants, at most
 * LM_EVALUATIONS residual evaluations), each fit from the program's own
 * constants. Each figure is the best of REPEATS runs.
 */

#define NPROGRAMS 1000
#define MAX_SIZE 64
#define NCOLS 10
#define MAXROWS 10000
#define LM_EVALUATIONS 10
#define SECONDS 0.25
#define REPEATS 3

static struct tree progs[NPROGRAMS];
static double y[MAXROWS];

/* Runs step over the programs (p), round and round, until SECONDS pass,
 * REPEATS times, and sets rate to the best work done per second, work
 * being one step's (a step's commas must sit inside parentheses): the
 * best of a few, as other processes share the cores. */
#define TIMED(work, step)                                                      \
    do {                                                                       \
        rate = 0;                                                              \
        for (int r_ = 0; r_ < REPEATS; r_++) {                                 \
            double done_ = 0, t0_ = clock_now(), t_;                           \
            int p = 0;                                                         \
            do {                                                               \
                step;                                                          \
                done_ += (work);                                               \
                p = (p + 1) % NPROGRAMS;                                       \
                t_ = clock_now() - t0_;                                        \
            } while (t_ < SECONDS);                                            \
            rate = done_ / t_ > rate ? done_ / t_ : rate;                      \
        }                                                                      \
    } while (0)

int main(void)
{
    static const char *const names[NCOLS] = {"x0", "x1", "x2", "x3", "x4",
                                             "x5", "x6", "x7", "x8", "x9"};
    static const char *const sets[] = {
        "add, sub, mul, div", "add, sub, mul, div, exp, log, sin, cos"};
    static const size_t sizes[] = {20, 1000, 10000};
    struct rng r;
    rng_seed(&r, 42, 54);
    double *data = malloc(NCOLS * MAXROWS * sizeof *data);
    double *jac = malloc((size_t)MAX_SIZE * MAXROWS * sizeof *jac);
    double *out = malloc(MAXROWS * sizeof *out);
    const double *cols[NCOLS];
    struct interp in;
    struct jacobian jc;
    struct optimize *o = optimize_new();
    struct tree work;
    if (!data || !jac || !out || !o || interp_init(&in, MAX_SIZE) < 0 ||
        jacobian_init(&jc, MAX_SIZE) < 0 || tree_init(&work, MAX_SIZE) < 0)
        return 1;
    for (int j = 0; j < NCOLS; j++) {
        for (size_t k = 0; k < MAXROWS; k++)
            data[j * MAXROWS + k] = rng_uniform(&r, -1.0, 1.0);
        cols[j] = data + j * MAXROWS;
    }
    for (size_t k = 0; k < MAXROWS; k++) {
        double u = cols[0][k] - 0.3, v = cols[1][k];
        y[k] = 10.0 / (5.0 + u * u + v * v) + sin(cols[2][k]);
    }
    for (int p = 0; p < NPROGRAMS; p++)
        tree_init(&progs[p], MAX_SIZE);

    printf("one core, double precision; %d programs of 1 to %d nodes over "
           "%d columns\n",
           NPROGRAMS, MAX_SIZE, NCOLS);
    printf("%-38s %6s  %8s  %8s  %12s  %12s\n", "functions", "rows", "interp",
           "jacobian", "evals/s none", "evals/s lm");
    printf("%-38s %6s  %8s  %8s  %12s  %12s\n", "", "", "GPops/s", "GPops/s",
           "", "");
    double sink = 0;
    for (size_t s = 0; s < 2; s++) {
        struct primset ps = {0};
        struct error err;
        ps.nvars = NCOLS;
        for (int j = 0; j < NCOLS; j++)
            ps.var_names[j] = names[j];
        if (prim_parse_functions(&ps, sets[s], &err) < 0 ||
            prim_parse_constants(&ps, "-1..1", &err) < 0)
            return 1;
        double mean = bench_make_programs(progs, NPROGRAMS, MAX_SIZE, &ps, &r);
        for (size_t i = 0; i < 3; i++) {
            size_t nrows = sizes[i];
            double rate, interp_rate, jac_rate, none_rate, lm_rate;
            TIMED((double)progs[p].size * (double)nrows, {
                for (size_t row = 0; row < nrows; row += INTERP_BLOCK) {
                    size_t n =
                        nrows - row < INTERP_BLOCK ? nrows - row : INTERP_BLOCK;
                    sink += interp_block(&in, &progs[p], cols, row, n)[0];
                }
            });
            interp_rate = rate;
            TIMED((double)progs[p].size * (double)nrows, {
                for (size_t row = 0; row < nrows; row += JACOBIAN_BLOCK) {
                    size_t n = nrows - row < JACOBIAN_BLOCK ? nrows - row
                                                            : JACOBIAN_BLOCK;
                    jacobian_block(&jc, &progs[p], cols, row, n, NULL,
                                   out + row, jac + row, nrows);
                }
                sink += out[0] + jac[0];
            });
            jac_rate = rate;
            TIMED(1.0, {
                double e = 0;
                for (size_t row = 0; row < nrows; row += INTERP_BLOCK) {
                    size_t n =
                        nrows - row < INTERP_BLOCK ? nrows - row : INTERP_BLOCK;
                    const double *v =
                        interp_block(&in, &progs[p], cols, row, n);
                    for (size_t k = 0; k < n; k++)
                        e += (v[k] - y[row + k]) * (v[k] - y[row + k]);
                }
                sink += e;
            });
            none_rate = rate;
            TIMED(1.0, {
                double a = 0;
                double b = 1;
                tree_copy(&work, &progs[p]);
                optimize_constants(o, &work, cols, y, nrows, LM_EVALUATIONS, 1,
                                   &a, &b);
                sink += a + b;
            });
            lm_rate = rate;
            printf("%-38s %6zu  %8.3g  %8.3g  %12.4g  %12.4g\n",
                   i == 0 ? sets[s] : "", nrows, interp_rate / 1e9,
                   jac_rate / 1e9, none_rate, lm_rate);
        }
        printf("%-38s (mean %.1f nodes)\n", "", mean);
    }
    printf("lm: at most %d residual evaluations, constants and a, b\n",
           LM_EVALUATIONS);
    tree_release(&work);
    optimize_free(o);
    jacobian_release(&jc);
    interp_release(&in);
    for (int p = 0; p < NPROGRAMS; p++)
        tree_release(&progs[p]);
    free(out);
    free(jac);
    free(data);
    return isnan(sink) ? 0 : 0;
}
