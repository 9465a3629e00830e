/* farm: the farm's front: hands each call to the backend the options
 * name. Neither backend calls back into it. */
#define _GNU_SOURCE /* sched_getaffinity */
#include "farm.h"

#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "farm_fork.h"
#ifdef FORKGP_MPI
#include "farm_mpi.h"
#endif

struct farm {
    struct fork_farm *fork; /* the fork backend, or NULL */
#ifdef FORKGP_MPI
    struct mpi_farm *mpi; /* the MPI backend, or NULL */
#endif
};

#ifndef FORKGP_MPI
/* The message for an MPI backend asked of a build without it. */
static void no_mpi(struct error *err)
{
    error_set(err, "[run] backend = mpi: this forkgp was built "
                   "without MPI (build it with make MPI=1)");
}
#endif

struct farm *farm_new(const struct fitness *f, uint64_t seed,
                      const struct farm_options *o, struct error *err)
{
    struct farm *fm = calloc(1, sizeof *fm);
    if (!fm) {
        error_set(err, "out of memory");
        return NULL;
    }
    if (o->backend == FARM_BACKEND_MPI) {
#ifdef FORKGP_MPI
        fm->mpi = mpi_farm_new(f, o, err);
        if (fm->mpi)
            return fm;
#else
        no_mpi(err);
#endif
    } else {
        fm->fork = fork_farm_new(f, seed, o, err);
        if (fm->fork)
            return fm;
    }
    free(fm);
    return NULL;
}

int farm_serve(const struct fitness *f, uint64_t seed,
               const struct farm_options *o, size_t population,
               struct error *err)
{
    if (o->backend != FARM_BACKEND_MPI)
        return 0;
#ifdef FORKGP_MPI
    return mpi_farm_serve(f, seed, o, population, err);
#else
    (void)f;
    (void)seed;
    (void)population;
    no_mpi(err);
    return -1;
#endif
}

void farm_free(struct farm *fm)
{
    if (!fm)
        return;
#ifdef FORKGP_MPI
    mpi_farm_free(fm->mpi);
#endif
    fork_farm_free(fm->fork);
    free(fm);
}

int farm_eval(struct farm *fm, struct population *p, uint64_t generation)
{
#ifdef FORKGP_MPI
    if (fm->mpi)
        return mpi_farm_eval(fm->mpi, p, generation);
#endif
    return fork_farm_eval(fm->fork, p, generation);
}

void farm_get_stats(const struct farm *fm, struct farm_stats *s)
{
#ifdef FORKGP_MPI
    if (fm->mpi) {
        mpi_farm_get_stats(fm->mpi, s);
        return;
    }
#endif
    fork_farm_get_stats(fm->fork, s);
}

int farm_usable_cpus(void)
{
    /* The CPUs this process may run on: under taskset, a batch system's
     * cpuset or a container's, that is fewer than the machine has, and
     * workers beyond them would only take turns. */
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
        return CPU_COUNT(&set);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}
