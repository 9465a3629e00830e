/* farm_types: what the farm's front (farm.h) and its backends (farm_fork.h,
 * farm_mpi.h) share: the options, the result of a generation's evaluation,
 * the counts. Types only, so that a backend needs nothing of the front. */
#ifndef FORKGP_FARM_TYPES_H
#define FORKGP_FARM_TYPES_H

#include <stdint.h>

enum farm_backend {
    FARM_BACKEND_FORK = 0, /* workers forked on this machine */
    FARM_BACKEND_MPI = 1,  /* MPI ranks, each with its own workers */
};

struct farm_options {
    int backend;          /* enum farm_backend */
    int workers;          /* 0: evaluate in this process */
    double eval_timeout;  /* seconds per evaluation; 0: no limit */
    long memory_mb;       /* address-space limit per worker; 0: none */
    double restart_limit; /* largest share of a generation lost to dead
                             workers before the run is called broken */
    int stop_on_failure;  /* on_failure = abort */
    uint32_t max_size;    /* the largest tree a job carries */
    int adaptive;         /* workers = auto with a built-in fitness: see
                             fork_farm_eval */
    uint32_t cases;       /* case errors each result carries (lexicase):
                             0 none; the fitness's ncases: all of them;
                             fewer: those rng_sample draws from the stream
                             (seed, RNG_CASES, generation), the same in
                             every process */
    uint32_t objectives;  /* the fitness's further objectives each result
                             carries (scores[1..objectives], NSGA-II): 0
                             none */
};

/* What an evaluation of a generation returns. */
enum farm_result {
    FARM_DONE = 0,         /* every individual has a status */
    FARM_INTERRUPTED = -1, /* a signal asked the run to stop */
    FARM_BROKEN = -2,      /* workers died past restart_limit */
    FARM_FAILED = -3,      /* stop_on_failure, and an evaluation failed */
};

/* Counts of what happened, for the summary. */
struct farm_stats {
    uint64_t evaluations;
    int workers_started; /* the worker processes were forked */
    uint64_t restarts;   /* workers forked again after one died */
    double busy_seconds;
    int limit_too_small; /* a worker found [run] worker_memory_mb below the
                            address space it starts with */
};

#endif
