/* bench_cases: what lexicase selection costs, for `make bench`.
 *
 * Transport: the same population of 1000 random programs (ramped
 * half-and-half, depths 3..8: about the sizes of a run under way),
 * scored by the built-in regression (quartic
 * on ROWS rows) with 2 workers, with and without each case's error in the
 * result frames, and with 100 cases drawn per generation: the seconds per
 * generation (best of 5) and what the errors add. The same programs every
 * time, so the difference is the transport alone.
 *
 * Selection: at 1,000 rows (1,000 cases), the CPU seconds one
 * generation's parent selection takes (prepare, then 1.9 x population
 * selections, as crossover at 0.9 draws two parents), for tournament,
 * lexicase, epsilon-lexicase and epsilon-lexicase on 100 cases, beside the
 * CPU seconds of the generation's evaluation in one process (workers = 0).
 * CPU time rather than wall-clock time, so that the ratio holds on a
 * machine busy with other work.
 *
 * Figures only: nothing is asserted. Usage: bench_cases [ROWS...]
 * (default 20 1000 10000). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "config.h"
#include "farm.h"
#include "init.h"
#include "lexicase.h"
#include "plugin.h"
#include "pop.h"
#include "select.h"

#define POP 1000
#define MAX_SIZE 500
#define REPEATS 7

struct setup {
    struct config cfg;
    struct primset ps;
    struct fitness f;
    struct plugin *pl;
};

/* This process's CPU seconds (its own work, whatever else runs). */
static double cpu_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Quartic on n rows of x in [-1, 1], loaded as the built-in regression
 * does for a run. Returns 0 or -1. */
static int load(struct setup *s, const char *dir, size_t n)
{
    char csv[512], ini[512];
    snprintf(csv, sizeof csv, "%s/q%zu.csv", dir, n);
    snprintf(ini, sizeof ini, "%s/q%zu.ini", dir, n);
    FILE *f = fopen(csv, "w");
    if (!f)
        return -1;
    fprintf(f, "x,y\n");
    for (size_t i = 0; i < n; i++) {
        double x = -1.0 + 2.0 * (double)i / (double)(n > 1 ? n - 1 : 1);
        fprintf(f, "%.17g,%.17g\n", x, x * x * x * x + x * x * x + x * x + x);
    }
    fclose(f);
    f = fopen(ini, "w");
    if (!f)
        return -1;
    fprintf(f, "[data]\ntrain = %s\n[primitives]\nfunctions = add, sub, "
               "mul, div, sin, cos, exp, log\n",
            csv);
    fclose(f);
    struct error err;
    memset(s, 0, sizeof *s);
    if (config_load(&s->cfg, ini, NULL, 0, &err) < 0 ||
        !(s->pl = plugin_load(&s->cfg, &s->ps, &s->f, &err))) {
        fprintf(stderr, "bench_cases: %s\n", err.msg);
        return -1;
    }
    return 0;
}

/* Seconds per generation of scoring p with workers and `cases` case
 * errors per result (best of REPEATS). */
static double scoring(struct setup *s, struct population *p, int workers,
                      uint32_t cases)
{
    struct farm_options o = {.backend = FARM_BACKEND_FORK,
                             .workers = workers,
                             .restart_limit = 0.5,
                             .max_size = MAX_SIZE,
                             .cases = cases};
    struct error err;
    s->f.rescore = 1;
    struct farm *fm = farm_new(&s->f, 1, &o, &err);
    if (!fm) {
        fprintf(stderr, "bench_cases: %s\n", err.msg);
        exit(1);
    }
    double best = 1e9;
    for (int k = 0; k < REPEATS + 1; k++) {
        for (size_t i = 0; i < p->n; i++)
            p->ind[i].origin = ORIGIN_NEW;
        /* In one process, its CPU time; with workers, wall-clock time
         * (the workers' CPU time is not the parent's). */
        double t0 = workers ? clock_now() : cpu_now();
        if (farm_eval(fm, p, (uint64_t)k) != FARM_DONE)
            exit(1);
        double t = (workers ? clock_now() : cpu_now()) - t0;
        if (k > 0 && t < best) /* the first warms the workers up */
            best = t;
    }
    farm_free(fm);
    return best;
}

/* CPU seconds of one generation's parent selection by `method` (best of
 * REPEATS); *prepare: of its lexicase_prepare alone. */
static double selecting(const struct population *p, int method,
                        double *prepare)
{
    struct standing *st = malloc(p->n * sizeof *st);
    struct lexicase lx = {0};
    struct rng r;
    rng_seed(&r, 1, 1);
    double best = 1e9;
    *prepare = 1e9;
    size_t sink = 0, draws = p->n * 19 / 10;
    for (int k = 0; k < REPEATS; k++) {
        double t0 = cpu_now();
        if (method == SELECT_TOURNAMENT) {
            struct ranking rk = {0, 0.0};
            struct rng_bound b;
            select_standings(p, &rk, st);
            rng_bound_init(&b, (uint32_t)p->n);
            for (size_t d = 0; d < draws; d++)
                sink += select_tournament(st, &b, 7, &r);
        } else {
            if (lexicase_prepare(&lx, p,
                                 method == SELECT_EPSILON_LEXICASE) < 0)
                exit(1);
            double tp = cpu_now() - t0;
            *prepare = tp < *prepare ? tp : *prepare;
            for (size_t d = 0; d < draws; d++)
                sink += lexicase_select(&lx, &r);
        }
        double t = cpu_now() - t0;
        if (t < best)
            best = t;
    }
    if (sink == 0)
        printf(" ");
    lexicase_release(&lx);
    free(st);
    return best;
}

int main(int argc, char **argv)
{
    static const size_t defaults[] = {20, 1000, 10000};
    size_t nrows = argc > 1 ? (size_t)argc - 1 : 3;
    char dir[] = "/tmp/bench_cases.XXXXXX";
    if (!mkdtemp(dir))
        return 1;
    printf("case errors: scoring population %d with 2 workers, seconds per "
           "generation (best of %d)\n",
           POP, REPEATS);
    printf("%8s %8s %12s %12s %12s %10s\n", "rows", "nodes", "no errors",
           "all errors", "100 cases", "added");
    double select_eval = 0; /* one process, 1,000 rows */
    struct population at1000 = {0}, at1000s = {0};
    for (size_t k = 0; k < nrows; k++) {
        size_t n = argc > 1 ? (size_t)atol(argv[k + 1]) : defaults[k];
        struct setup s;
        if (n == 0 || load(&s, dir, n) < 0)
            return 1;
        struct population p = {0}, q = {0}, z = {0};
        uint32_t sample = n > 100 ? 100 : (uint32_t)n;
        if (pop_init(&z, POP, MAX_SIZE) < 0 ||
            pop_init(&p, POP, MAX_SIZE) < 0 ||
            pop_keep_errors(&p, (uint32_t)n) < 0 ||
            pop_init(&q, POP, MAX_SIZE) < 0 ||
            pop_keep_errors(&q, sample) < 0)
            return 1;
        struct rng r;
        rng_seed(&r, 7, 7);
        init_ramped(&p, &s.ps, 3, 8, &r);
        double nodes = 0;
        for (size_t i = 0; i < POP; i++) {
            pop_place(&q, i);
            tree_copy(&q.ind[i].tree, &p.ind[i].tree);
            pop_place(&z, i);
            tree_copy(&z.ind[i].tree, &p.ind[i].tree);
            nodes += p.ind[i].tree.size;
        }
        double none = scoring(&s, &z, 2, 0);
        double all = scoring(&s, &p, 2, (uint32_t)n);
        double some = scoring(&s, &q, 2, sample);
        printf("%8zu %8.1f %12.5f %12.5f %12.5f %9.0f%%\n", n, nodes / POP,
               none, all, some, 100.0 * (all - none) / none);
        if (n == 1000) {
            select_eval = scoring(&s, &z, 0, 0);
            at1000 = p;
            at1000s = q;
        } else {
            pop_release(&p);
            pop_release(&q);
        }
        pop_release(&z);
        plugin_free(s.pl);
        config_release(&s.cfg);
    }
    if (at1000.n) {
        printf("\nselection at population %d and 1,000 cases, CPU seconds "
               "per generation (best of %d),\nbeside its evaluation in one "
               "process: %.5f\n",
               POP, REPEATS, select_eval);
        static const char *const name[] = {"tournament", "lexicase",
                                           "epsilon_lexicase"};
        printf("%-28s %10s %10s %8s\n", "method", "seconds", "prepare",
               "x eval");
        for (int m = 0; m < 3; m++) {
            double prep, t = selecting(&at1000, m, &prep);
            printf("%-28s %10.5f %10.5f %8.2f\n", name[m], t,
                   m ? prep : 0.0, t / select_eval);
        }
        double prep, t = selecting(&at1000s, SELECT_EPSILON_LEXICASE, &prep);
        printf("%-28s %10.5f %10.5f %8.2f\n", "epsilon_lexicase, 100 cases",
               t, prep, t / select_eval);
        pop_release(&at1000);
        pop_release(&at1000s);
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : 1;
}
