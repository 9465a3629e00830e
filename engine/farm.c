/* farm: evaluates a population's fitness; the one place for processes and
 * signals. (This step evaluates in the parent; forked workers come next.) */
#include "farm.h"

#include "forkgp.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct farm {
    const struct fitness *fitness;
    uint64_t seed;
};

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    /* A second signal ends the process at once, as users expect. */
    if (stop_signal)
        _exit(128 + sig);
    stop_signal = sig;
}

void farm_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
}

int farm_interrupted(void)
{
    return stop_signal;
}

struct farm *farm_new(const struct fitness *f, uint64_t seed)
{
    struct farm *fm = calloc(1, sizeof *fm);
    if (fm) {
        fm->fitness = f;
        fm->seed = seed;
    }
    return fm;
}

void farm_free(struct farm *fm)
{
    free(fm);
}

int farm_eval(struct farm *fm, struct population *p, uint64_t generation)
{
    for (size_t i = 0; i < p->n; i++) {
        if (stop_signal)
            return -1;
        struct individual *x = &p->ind[i];
        struct rng r;
        rng_derive(&r, fm->seed, RNG_EVAL, generation, i);
        double scores[FGP_MAX_SCORES];
        x->status = fm->fitness->evaluate(fm->fitness->ctx, &x->tree, &r,
                                          scores);
        x->fitness = x->status == EVAL_OK ? scores[0] : 0.0;
    }
    return 0;
}
