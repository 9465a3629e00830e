/* cases: a plug-in that reports each case's error (fgp_set_cases,
 * fgp_case_errors), for lexicase selection: y = x^3 - x on 32 points,
 * each point a case. With [cases] half = yes it leaves the odd cases of
 * programs of 1, 5, 9, ... nodes unwritten: they must count as the worst,
 * not as whatever the process's evaluation before wrote there. */
#include <math.h>

#include "forkgp.h"

#define N 32
static double xs[N], ys[N];
static int half;

static int setup(struct fgp_setup *s, void **state)
{
    (void)state;
    if (fgp_get_bool(s, NULL, "half", 0, &half) < 0)
        return -1;
    for (int i = 0; i < N; i++) {
        xs[i] = -1.0 + 2.0 * i / (N - 1);
        ys[i] = xs[i] * xs[i] * xs[i] - xs[i];
    }
    fgp_add_variable(s, "x");
    if (fgp_set_cases(s, N) < 0)
        return -1;
    return fgp_use_functions(s, "add, sub, mul");
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)state;
    (void)rng;
    double out[N], sse = 0.0;
    const double *x[] = {xs};
    double *cases = fgp_case_errors(p);
    int skip = half && fgp_program_size(p) % 4 == 1;
    fgp_eval(p, x, N, out);
    for (int i = 0; i < N; i++) {
        double e = out[i] - ys[i];
        sse += e * e;
        if (cases && !(skip && i % 2))
            cases[i] = fabs(e);
    }
    scores[0] = sse / N;
    return isfinite(scores[0]) ? FGP_OK : FGP_INVALID;
}

FGP_PLUGIN(.name = "cases", .nscores = 1, .setup = setup,
           .evaluate = evaluate);
