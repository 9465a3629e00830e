/* farm_mpi: the farm's MPI backend (built with make MPI=1). Rank 0 breeds
 * and hands out jobs; every other rank evaluates them with its own fork
 * backend (farm_fork.h), so a crashing or hanging evaluation stays
 * contained in its node. The messages are the farm's own frames. Only the
 * front, farm.c, calls these. */
#ifndef FORKGP_FARM_MPI_H
#define FORKGP_FARM_MPI_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "farm_types.h"
#include "fitness.h"
#include "pop.h"

struct mpi_farm;

/* Rank 0's side: joins MPI and checks there are ranks to evaluate. Returns
 * NULL with a message when not. */
struct mpi_farm *mpi_farm_new(const struct fitness *f,
                              const struct farm_options *o, struct error *err);

/* Scores what p needs by sending it to the ranks in chunks (an idle rank
 * gets the next one). Returns an enum farm_result. */
int mpi_farm_eval(struct mpi_farm *mf, struct population *p,
                  uint64_t generation);

/* The counts so far: the evaluations rank 0 handed out and got back (the
 * ranks' own workers are not counted here). */
void mpi_farm_get_stats(const struct mpi_farm *mf, struct farm_stats *s);

/* Tells every rank to stop, waits for their last results, leaves MPI. */
void mpi_farm_free(struct mpi_farm *mf);

/*
 * On a rank other than 0: evaluates what rank 0 sends, with a local farm
 * of o->workers processes (seed, population size as configured), until
 * told to stop; then leaves MPI and returns 1. On rank 0: returns 0 at
 * once. Returns -1 with a message when the local farm cannot start.
 */
int mpi_farm_serve(const struct fitness *f, uint64_t seed,
                   const struct farm_options *o, size_t population,
                   struct error *err);

#endif
