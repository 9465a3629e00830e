/* farm: evaluates a population's fitness; the one place for processes and
 * signals. (This step evaluates in the parent; forked workers come next.) */
#ifndef FORKGP_FARM_H
#define FORKGP_FARM_H

#include <stdint.h>

#include "fitness.h"
#include "pop.h"

struct farm;

/* Makes a farm that scores with f (borrowed) and derives each
 * evaluation's stream from seed. Returns NULL when out of memory. */
struct farm *farm_new(const struct fitness *f, uint64_t seed);

/* Stops the farm and frees it; farm_free(NULL) is a no-op. */
void farm_free(struct farm *fm);

/*
 * Scores every individual of p as generation `generation`: individual i
 * gets the stream rng_derive(seed, RNG_EVAL, generation, i), so its score
 * depends on nothing else. Sets each fitness and status. Returns 0, or -1
 * when a signal asked the run to stop before all were scored.
 */
int farm_eval(struct farm *fm, struct population *p, uint64_t generation);

/* Installs the SIGINT and SIGTERM handlers that ask the run to stop. */
void farm_catch_signals(void);

/* The signal that asked the run to stop, or 0. */
int farm_interrupted(void);

#endif
