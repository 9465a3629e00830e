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

/* What `forkgp eval RUNDIR` replays: the best program of the run in dir. */
struct replay_best {
    char *program; /* best.txt's program (malloc'd) */
    uint64_t generation, index;
};

/*
 * Reads dir/best.txt: the evolved program (its `program =` line when the
 * model is scaled, else its first line), and the generation and index it
 * was found at. Returns 0, or -1 with a message in err (no finished run:
 * no best.txt, or one without those lines). Free b->program.
 */
int replay_read_best(const char *dir, struct replay_best *b,
                     struct error *err);

#endif
