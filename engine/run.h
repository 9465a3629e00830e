/* run: one evolutionary run, from the configuration to the best program. */
#ifndef FORKGP_RUN_H
#define FORKGP_RUN_H

#include <stdint.h>

#include "config.h"
#include "exitcode.h"

struct run_options {
    int quiet;  /* only the final lines on stdout */
    int resume; /* continue from [output] dir's checkpoint */
};

/* What a run ended with, for its caller (a batch's summary). */
struct run_result {
    int status;           /* the exit status run_main returned */
    int scored;           /* a generation was scored: the rest is set */
    double best;          /* the best program's train score; NaN when no
                             program was valid */
    int reached_target;   /* stopped because the target was reached */
    long last_generation; /* the last generation scored */
    uint64_t evaluations; /* over all sessions of the run */
    char score_name[32];  /* what best is ("mse", "hits", ...) */
    int maximise;         /* the fitness is maximised; -1: no fitness
                             was loaded */
};

/* Runs the configured experiment, or resumes it from the checkpoint in
 * its output folder; reentrant. Fills *res when res is not NULL. Returns
 * an exit status (enum exit_code, or 128 + the signal that stopped it). */
int run_main(struct config *c, const struct run_options *o,
             struct run_result *res);

#endif
