/* run: one evolutionary run, from the configuration to the best program. */
#ifndef FORKGP_RUN_H
#define FORKGP_RUN_H

#include "config.h"

/* Exit statuses (main returns them). */
enum run_exit {
    EXIT_OK = 0,
    EXIT_RUNTIME = 1, /* a failure during the run (I/O, memory) */
    EXIT_INPUT = 2,   /* bad usage, configuration or data */
    /* 128 + signal when a signal stopped the run (130 for SIGINT) */
};

struct run_options {
    int quiet; /* only the final lines on stdout */
};

/* Runs the configured experiment. Returns an exit status. */
int run_main(const struct config *c, const struct run_options *o);

#endif
