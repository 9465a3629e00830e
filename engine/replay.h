/* replay: evaluates one given program exactly as individual I of
 * generation G is evaluated in a run (forkgp eval), for debugging. */
#ifndef FORKGP_REPLAY_H
#define FORKGP_REPLAY_H

#include <stdint.h>

#include "config.h"

/*
 * Loads the fitness function, parses `program` (infix, as forkgp prints
 * it), evaluates it in this process with the stream of (seed, generation,
 * index), and prints the status and scores (and the test score) as
 * "key = value" lines. Returns an exit status: 0, 2 for a bad program or
 * configuration, 1 for a runtime failure.
 */
int replay_main(struct config *c, const char *program,
                uint64_t generation, uint64_t index);

#endif
