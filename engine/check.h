/* check: forkgp check: validates a configuration and prints it in full. */
#ifndef FORKGP_CHECK_H
#define FORKGP_CHECK_H

#include "config.h"

/* Runs the fitness function's setup too (only it can tell whether its own
 * keys are right), then prints the effective configuration on stdout.
 * Returns an exit status: 0, or 2 with a message for a bad configuration. */
int check_main(struct config *cfg);

#endif
