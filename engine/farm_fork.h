/* farm_fork: the farm's fork backend: evaluates a population's fitness in
 * worker processes forked on this machine, or with workers = 0 in this
 * one. The front (farm.h) and the MPI backend's ranks use it. */
#ifndef FORKGP_FARM_FORK_H
#define FORKGP_FARM_FORK_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "farm_types.h"
#include "fitness.h"
#include "pop.h"

struct fork_farm;

/*
 * The evaluations' pace from which n workers pay for the farm, in seconds
 * per evaluation (an adaptive farm evaluates in this process below it).
 * The farm adds about FARM_COST to each evaluation (pipes, copies,
 * wake-ups), and n workers save all but 1 / (n FARM_EFFICIENCY) of each
 * evaluation: FARM_COST / (1 - 1 / (n FARM_EFFICIENCY)), never for one
 * worker. docs/farm.md derives both constants from measurements.
 */
#define FARM_COST 1.5e-6
#define FARM_EFFICIENCY 0.8
double fork_farm_quick_eval(int workers);

/*
 * Starts the farm: forks the workers now (after setup, so that they share
 * the loaded data copy-on-write; an adaptive farm forks them when they are
 * first needed), each scoring with f (borrowed) and the stream
 * rng_derive(seed, RNG_EVAL, generation, index). Returns NULL with a
 * message in err (at least 256 bytes) when a worker cannot be started.
 */
struct fork_farm *fork_farm_new(const struct fitness *f, uint64_t seed,
                                const struct farm_options *o,
                                struct error *err);

/* Stops the workers (EOF, then KILL after a grace), reaps them and their
 * process groups, and frees the farm; fork_farm_free(NULL) is a no-op. */
void fork_farm_free(struct fork_farm *fm);

/*
 * Scores the individuals of p that need it as generation `generation`:
 * every ORIGIN_NEW one, and with a stochastic fitness every one (an
 * unchanged copy keeps its score otherwise). Sets fitness, status,
 * detail. An evaluation that crashes, exits, hangs past the timeout or
 * breaks the protocol costs its worker (forked again) and that
 * individual's score, nothing else. An adaptive farm evaluates in this
 * process while evaluations take under fork_farm_quick_eval(workers)
 * seconds (always with a single worker): the farm would cost more than it
 * gives, and a built-in fitness needs no containment. Then it starts its
 * workers, for the rest of the run. Either way the scores are the same.
 * Returns an enum farm_result.
 */
int fork_farm_eval(struct fork_farm *fm, struct population *p,
                   uint64_t generation);

/* The counts so far. */
void fork_farm_get_stats(const struct fork_farm *fm, struct farm_stats *s);

#endif
