/* farm: evaluates a population's fitness in forked worker processes (or,
 * with workers = 0, in this one). The one file that forks, polls, signals
 * and waits. */
#ifndef FORKGP_FARM_H
#define FORKGP_FARM_H

#include <stdint.h>

#include "fitness.h"
#include "pop.h"

struct farm;

enum farm_backend {
    FARM_BACKEND_FORK = 0, /* workers forked on this machine */
    FARM_BACKEND_MPI = 1,  /* MPI ranks, each with its own workers */
};

struct farm_options {
    int backend;           /* enum farm_backend */
    int workers;           /* 0: evaluate in this process */
    double eval_timeout;   /* seconds per evaluation; 0: no limit */
    long memory_mb;        /* address-space limit per worker; 0: none */
    double restart_limit;  /* largest share of a generation lost to dead
                              workers before the run is called broken */
    int stop_on_failure;   /* on_failure = abort */
    uint32_t max_size;     /* the largest tree a job carries */
    int adaptive;          /* workers = auto with a built-in fitness: see
                              farm_eval */
};

/*
 * The evaluations' pace from which n workers pay for the farm, in
 * seconds per evaluation (an adaptive farm evaluates in this process
 * below it). The farm adds about FARM_COST to each evaluation (pipes,
 * copies, wake-ups; with 2 workers sharing 2 cores with the parent), and
 * n workers save all but 1 / (n FARM_EFFICIENCY) of each evaluation: FARM_COST / (1 - 1 / (n FARM_EFFICIENCY)), never for one
 * worker. Measured on quartic (BENCHMARKS.md, The worker farm): 4 us
 * for 2 workers sharing 2 cores with the parent (where the two ways tied
 * at 3 to 4.5 us), 1.6 us for 16 workers on 16 cores (where workers were
 * 2 times faster at 1.6 to 2.8 us, 1.2 to 1.4 times at 0.8 to 1 us).
 */
#define FARM_COST 1.5e-6
#define FARM_EFFICIENCY 0.8
double farm_quick_eval(int workers);

/* What farm_eval returns. */
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
    uint64_t restarts; /* workers forked again after one died */
    double busy_seconds;
};

/*
 * Starts the farm: forks the workers now (after setup, so that they share
 * the loaded data copy-on-write; an adaptive farm forks them when they are
 * first needed), each scoring with f (borrowed) and the stream
 * rng_derive(seed, RNG_EVAL, generation, index). Returns NULL with a
 * message in err (at least 256 bytes) when a worker cannot be started.
 */
struct farm *farm_new(const struct fitness *f, uint64_t seed,
                      const struct farm_options *o, char *err, size_t size);

/*
 * With the MPI backend, on every rank but 0: serves as an evaluating rank
 * (its own workers per o) until rank 0 is done, then returns 1; the caller
 * then has nothing more to do. On rank 0, and with the fork backend,
 * returns 0 at once. Returns -1 with a message in err on failure (MPI
 * backend asked of a build without MPI, say).
 */
int farm_serve(const struct fitness *f, uint64_t seed,
               const struct farm_options *o, size_t population, char *err,
               size_t size);

/* Stops the workers (EOF, then KILL after a grace), reaps them and their
 * process groups, and frees the farm; farm_free(NULL) is a no-op. */
void farm_free(struct farm *fm);

/*
 * Scores the individuals of p that need it as generation `generation`:
 * every ORIGIN_NEW one, and with a stochastic fitness every one (an
 * unchanged copy keeps its score otherwise). Sets fitness, status,
 * detail. An evaluation that crashes, exits, hangs past the timeout or
 * breaks the protocol costs its worker (forked again) and that
 * individual's score, nothing else. An adaptive farm evaluates in this
 * process while evaluations take under farm_quick_eval(workers) seconds
 * (always with a single worker): the farm would cost more than it gives,
 * and a built-in fitness needs no containment. Then it starts its workers, for
 * the rest of the run. Either way the scores are the same. Returns an
 * enum farm_result.
 */
int farm_eval(struct farm *fm, struct population *p, uint64_t generation);

/* The counts so far. */
void farm_get_stats(const struct farm *fm, struct farm_stats *s);

/* The number of CPUs this process may run on (its affinity: taskset, a
 * cpuset), else of online CPUs: what workers = auto means. */
int farm_usable_cpus(void);

/* Installs the SIGINT and SIGTERM handlers that ask the run to stop (a
 * second signal ends the process at once), and ignores SIGPIPE. */
void farm_catch_signals(void);

/* The signal that asked the run to stop, or 0. */
int farm_interrupted(void);

#endif
