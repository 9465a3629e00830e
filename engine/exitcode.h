/* exitcode: forkgp's exit statuses, returned by each command's main. */
#ifndef FORKGP_EXITCODE_H
#define FORKGP_EXITCODE_H

enum exit_code {
    EXIT_OK = 0,
    EXIT_RUNTIME = 1, /* a failure during the run (I/O, memory) */
    EXIT_INPUT = 2,   /* bad usage, configuration or data */
    /* 128 + signal when a signal stopped the run (130 for SIGINT) */
};

#endif
