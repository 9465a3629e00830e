/* minimal: the smallest useful plug-in: fit y = x^3 - x on 64 points. */
#include <math.h>

#include "forkgp.h"

#define N 64
static double xs[N], ys[N];

static int setup(struct fgp_setup *s, void **state)
{
    long n;
    if (fgp_get_int(s, NULL, "points", N, 2, N, &n) < 0)
        return -1;
    for (int i = 0; i < N; i++) {
        xs[i] = -1.0 + 2.0 * i / (n - 1);
        ys[i] = xs[i] * xs[i] * xs[i] - xs[i];
    }
    *state = (void *)(long)n; /* what evaluate gets back */
    fgp_add_variable(s, "x");
    return fgp_use_functions(s, "add, sub, mul");
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng;
    long n = (long)state;
    double out[N], sse = 0.0;
    const double *x[] = {xs};
    fgp_eval(p, x, (size_t)n, out);
    for (long i = 0; i < n; i++)
        sse += (out[i] - ys[i]) * (out[i] - ys[i]);
    scores[0] = sse / (double)n;
    return isfinite(scores[0]) ? FGP_OK : FGP_INVALID;
}

FGP_PLUGIN(.name = "minimal", .nscores = 1, .setup = setup,
           .evaluate = evaluate);
