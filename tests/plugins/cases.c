/* cases: a plug-in that reports each case's error (fgp_set_cases,
 * fgp_case_errors), for lexicase selection: y = x^3 - x on 32 points,
 * each point a case. */
#include <math.h>

#include "forkgp.h"

#define N 32
static double xs[N], ys[N];

static int setup(struct fgp_setup *s, void **state)
{
    (void)state;
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
    fgp_eval(p, x, N, out);
    for (int i = 0; i < N; i++) {
        double e = out[i] - ys[i];
        sse += e * e;
        if (cases)
            cases[i] = fabs(e);
    }
    scores[0] = sse / N;
    return isfinite(scores[0]) ? FGP_OK : FGP_INVALID;
}

FGP_PLUGIN(.name = "cases", .nscores = 1, .setup = setup,
           .evaluate = evaluate);
