/* objectives: a plug-in whose further scores are objectives for NSGA-II
 * (fgp_set_objectives): on 24 points x in [-1, 1], scores[0] is the mean
 * squared error against x^2, scores[1] against 1 - x (the two conflict),
 * scores[2] the largest absolute error against x^2. [objectives] count
 * (default 1) is what it passes to fgp_set_objectives, any value, so that
 * a count out of range can be tried. */
#include <math.h>

#include "forkgp.h"

#define N 24
static double xs[N];

static int setup(struct fgp_setup *s, void **state)
{
    (void)state;
    long count;
    if (fgp_get_int(s, NULL, "count", 1, -100, 100, &count) < 0)
        return -1;
    for (int i = 0; i < N; i++)
        xs[i] = -1.0 + 2.0 * i / (N - 1);
    fgp_add_variable(s, "x");
    if (fgp_set_objectives(s, (int)count) < 0)
        return -1;
    if (fgp_use_constants(s, "1") < 0)
        return -1;
    return fgp_use_functions(s, "add, sub, mul");
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)state;
    (void)rng;
    double out[N], a = 0.0, b = 0.0, worst = 0.0;
    const double *x[] = {xs};
    fgp_eval(p, x, N, out);
    for (int i = 0; i < N; i++) {
        double ea = out[i] - xs[i] * xs[i], eb = out[i] - (1.0 - xs[i]);
        a += ea * ea;
        b += eb * eb;
        if (fabs(ea) > worst)
            worst = fabs(ea);
    }
    scores[0] = a / N;
    scores[1] = b / N;
    scores[2] = worst;
    return isfinite(scores[0]) && isfinite(scores[1]) ? FGP_OK : FGP_INVALID;
}

FGP_PLUGIN(.name = "objectives", .nscores = 3, .setup = setup,
           .evaluate = evaluate);
