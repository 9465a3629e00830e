/* farm: evaluates a population's fitness, behind one interface, with one
 * of two backends: forked workers on this machine (farm_fork.c) or MPI
 * ranks (farm_mpi.c, built with make MPI=1). The run calls only this. */
#ifndef FORKGP_FARM_H
#define FORKGP_FARM_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "farm_types.h"
#include "fitness.h"
#include "pop.h"

struct farm;

/*
 * Starts the farm of backend o->backend: forks the workers (after setup,
 * so that they share the loaded data copy-on-write), or joins MPI as rank
 * 0. Each evaluation scores with f (borrowed) and the stream
 * rng_derive(seed, RNG_EVAL, generation, index), whichever process runs
 * it. Returns NULL with a message in err: a worker
 * cannot be started, MPI has no ranks, or this build has no MPI.
 */
struct farm *farm_new(const struct fitness *f, uint64_t seed,
                      const struct farm_options *o, struct error *err);

/*
 * With the MPI backend, on every rank but 0: serves as an evaluating rank
 * (its own workers per o) until rank 0 is done, then returns 1; the caller
 * then has nothing more to do. On rank 0, and with the fork backend,
 * returns 0 at once. Returns -1 with a message in err on failure (MPI
 * backend asked of a build without MPI, say).
 */
int farm_serve(const struct fitness *f, uint64_t seed,
               const struct farm_options *o, size_t population,
               struct error *err);

/* Stops the backend's processes, reaps them and frees the farm;
 * farm_free(NULL) is a no-op. */
void farm_free(struct farm *fm);

/*
 * Scores the individuals of p that need it as generation `generation`
 * (see fork_farm_eval for what "need" and a failed evaluation mean). The
 * scores are the same for either backend and any number of workers.
 * Returns an enum farm_result.
 */
int farm_eval(struct farm *fm, struct population *p, uint64_t generation);

/* The counts so far. */
void farm_get_stats(const struct farm *fm, struct farm_stats *s);

/* The number of CPUs this process may run on (its affinity: taskset, a
 * cpuset), else of online CPUs: what workers = auto means. */
int farm_usable_cpus(void);

#endif
