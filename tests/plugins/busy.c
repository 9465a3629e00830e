/* busy: a test and benchmark plug-in that spins for [busy] micros of CPU
 * per evaluation (0: null work) and scores a program by its size, so the
 * farm's own cost can be measured. It says it is stochastic so that every
 * individual is evaluated every generation (no score is carried over). */
#include <time.h>

#include "forkgp.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int setup(struct fgp_setup *s, void **state)
{
    static double micros;
    if (fgp_get_double(s, NULL, "micros", 0, 0, 1e7, &micros) < 0)
        return -1;
    *state = &micros;
    fgp_add_variable(s, "x");
    return fgp_use_functions(s, "add, mul");
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng;
    double until = now() + *(double *)state * 1e-6;
    while (now() < until)
        ;
    scores[0] = (double)fgp_program_size(p);
    return FGP_OK;
}

FGP_PLUGIN(.name = "busy", .flags = FGP_STOCHASTIC, .nscores = 1,
           .setup = setup, .evaluate = evaluate);
