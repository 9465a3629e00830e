/* run: one evolutionary run, from the configuration to the best program. */
#ifndef FORKGP_RUN_H
#define FORKGP_RUN_H

#include "config.h"

/* What built this binary: version, commit, compiler and flags. */
#if defined(__clang__)
#define FORKGP_CC "clang " __clang_version__
#else
#define FORKGP_CC "gcc " __VERSION__
#endif
#define FORKGP_BUILD                                                          \
    "forkgp " FORKGP_VERSION " (commit " FORKGP_COMMIT ", " FORKGP_CC ", "    \
    FORKGP_CFLAGS ")"

/* Exit statuses (main returns them). */
enum run_exit {
    EXIT_OK = 0,
    EXIT_RUNTIME = 1, /* a failure during the run (I/O, memory) */
    EXIT_INPUT = 2,   /* bad usage, configuration or data */
    /* 128 + signal when a signal stopped the run (130 for SIGINT) */
};

struct run_options {
    int quiet;  /* only the final lines on stdout */
    int resume; /* continue from [output] dir's checkpoint */
};

/* Runs the configured experiment, or resumes it from the checkpoint in
 * its output folder. Returns an exit status. */
int run_main(struct config *c, const struct run_options *o);

#endif
