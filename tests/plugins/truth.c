/* truth: a boolean plug-in that hands forkgp its table of cases
 * (fgp_set_case_data), for [operators] rdo: the 5-input majority, true
 * when at least three inputs are. [truth] give = yes (the default) gives
 * the table after the last variable; no gives none; early gives it
 * before the last variable, which forkgp refuses. */
#include <string.h>

#include "forkgp.h"

#define INPUTS 5
#define N (1 << INPUTS)
static double xs[INPUTS][N], ys[N];

static int setup(struct fgp_setup *s, void **state)
{
    (void)state;
    const char *give;
    if (fgp_get_string(s, NULL, "give", "yes", &give) < 0)
        return -1;
    const double *cols[INPUTS];
    for (int k = 0; k < INPUTS; k++) {
        for (int i = 0; i < N; i++)
            xs[k][i] = (double)((i >> k) & 1);
        cols[k] = xs[k];
    }
    for (int i = 0; i < N; i++)
        ys[i] = __builtin_popcount((unsigned)i) >= 3;
    if (fgp_set_cases(s, N) < 0)
        return -1;
    static const char *names[INPUTS] = {"v0", "v1", "v2", "v3", "v4"};
    for (int k = 0; k < INPUTS; k++) {
        if (strcmp(give, "early") == 0 && k == INPUTS - 1 &&
            fgp_set_case_data(s, cols, ys) < 0)
            return -1;
        if (fgp_add_variable(s, names[k]) < 0)
            return -1;
    }
    if (strcmp(give, "yes") == 0 && fgp_set_case_data(s, cols, ys) < 0)
        return -1;
    fgp_set_maximise(s, 1);
    fgp_set_score_name(s, "hits");
    return fgp_use_functions(s, "and, or, not");
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)state;
    (void)rng;
    double out[N];
    const double *x[INPUTS];
    for (int k = 0; k < INPUTS; k++)
        x[k] = xs[k];
    double *cases = fgp_case_errors(p);
    int hits = 0;
    fgp_eval(p, x, N, out);
    for (int i = 0; i < N; i++) {
        int right = (out[i] != 0.0) == (ys[i] != 0.0);
        hits += right;
        if (cases)
            cases[i] = !right;
    }
    scores[0] = hits;
    return FGP_OK;
}

FGP_PLUGIN(.name = "truth", .nscores = 1, .flags = FGP_MAXIMISE,
           .setup = setup, .evaluate = evaluate);
