/* pop: individuals, populations, and how two individuals compare. */
#ifndef FORKGP_POP_H
#define FORKGP_POP_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "tree.h"

/*
 * The outcome of one evaluation, kept apart from the score: only EVAL_OK
 * individuals have a fitness; any other status ranks below every OK one.
 */
enum eval_status {
    EVAL_OK = 0,
    EVAL_INVALID = 1,  /* a non-finite prediction: the program's fault */
    EVAL_ERROR = 2,    /* the fitness function said the evaluation failed */
    EVAL_CRASHED = 3,  /* its worker died of a signal (detail: the signal) */
    EVAL_EXITED = 4,   /* its worker exited (detail: the exit status) */
    EVAL_TIMEOUT = 5,  /* it ran past [run] eval_timeout */
    EVAL_OOM = 6,      /* the kernel's OOM killer killed its worker */
    EVAL_PROTOCOL = 7, /* its worker sent a malformed or unexpected frame */
    EVAL_KILLED = 8,   /* its worker got a SIGKILL that neither forkgp nor
                          the OOM killer sent */
    EVAL_NSTATUS
};

/* The status's name in reports: "ok", "invalid", "crashed", ... */
const char *eval_status_name(int status);

/* Where an individual's score comes from. */
enum origin {
    ORIGIN_NEW = 0,  /* a new program: it must be evaluated */
    ORIGIN_COPY = 1, /* an unchanged copy: its parent's score stands when
                        the fitness is deterministic */
    ORIGIN_ELSEWHERE = 2, /* evaluated by another process (an MPI rank's
                             share of a population): never here */
    ORIGIN_TWIN = 3, /* the same program as individual `twin` of the same
                        generation: with a deterministic fitness it takes
                        that one's score instead of being evaluated */
};

/*
 * How a program's output o became the model its score measures: with
 * linear scaling, intercept + slope * o (the least-squares fit the
 * evaluation found); else o itself. Part of the evaluation's result:
 * printed, checkpointed and predicted with the program.
 */
struct scaling {
    int on;
    double intercept, slope;
};

struct individual {
    struct tree tree;
    double fitness; /* meaningful only when status == EVAL_OK */
    int status;     /* enum eval_status */
    int detail;     /* the signal or exit status of CRASHED and EXITED */
    int origin;     /* enum origin */
    size_t twin;    /* ORIGIN_TWIN: the individual whose score it takes */
    struct scaling scaling; /* meaningful only when status == EVAL_OK */
    /* Constants the evaluation tuned and did not write into the tree
     * ([optimize] lamarckian = no): the program scored is tree with
     * these, in prefix order. ntuned is 0 when the tree is what was scored;
     * tuned is room for the tree's cap, or NULL where a population keeps
     * none (pop_keep_tuned). */
    double *tuned;
    uint32_t ntuned;
    /* Each case's error as the evaluation gave it (rounded to float), for
     * lexicase selection: nerrors of them, 0 when the individual failed or
     * its population keeps none; errors is room for the population's
     * ncases, or NULL (pop_keep_errors). */
    float *errors;
    uint32_t nerrors;
    /* The fitness's further objectives (scores[1..], fgp_set_objectives),
     * for NSGA-II: nobjectives of them, 0 when the individual failed or
     * its population keeps none; objectives is room for the population's
     * nobjectives, or NULL (pop_keep_objectives). */
    uint32_t nobjectives;
    double *objectives;
};

/* Sets x's evaluation result: a fitness and scaling only when status is
 * EVAL_OK (0 and none otherwise); s may be NULL (no scaling). An OK
 * result's tuned constants are set before, by ind_set_tuned. */
static inline void ind_set_result(struct individual *x, int status,
                                  int detail, double fitness,
                                  const struct scaling *s)
{
    x->status = status;
    x->detail = detail;
    x->fitness = status == EVAL_OK ? fitness : 0.0;
    if (status != EVAL_OK) {
        x->ntuned = 0;
        x->nerrors = 0;
        x->nobjectives = 0;
    }
    if (status == EVAL_OK && s && s->on)
        x->scaling = *s;
    else
        x->scaling = (struct scaling){0, 0.0, 1.0};
}

/* Gives `to` the evaluation's result that `from` holds (status, detail,
 * fitness, scaling, constants kept apart, case errors, objectives): for a
 * copy or a twin of the same program, in a population that keeps tuned
 * constants, case errors and objectives (as many) when from's does. */
static inline void ind_take_result(struct individual *to,
                                   const struct individual *from)
{
    to->fitness = from->fitness;
    to->status = from->status;
    to->detail = from->detail;
    to->scaling = from->scaling;
    to->ntuned = to->tuned ? from->ntuned : 0;
    if (to->ntuned)
        memcpy(to->tuned, from->tuned, from->ntuned * sizeof(double));
    to->nerrors = to->errors ? from->nerrors : 0;
    if (to->nerrors)
        memcpy(to->errors, from->errors, from->nerrors * sizeof(float));
    to->nobjectives = to->objectives ? from->nobjectives : 0;
    if (to->nobjectives)
        memcpy(to->objectives, from->objectives,
               from->nobjectives * sizeof(double));
}

/*
 * Takes the constants an evaluation of x tuned (n doubles at values, host
 * order, possibly unaligned; n = 0: none were tuned): kept apart in
 * x->tuned when its population keeps them (lamarckian = no), else written
 * into its tree. Returns 0, or -1 (x unchanged) when x's tree has another
 * number of constants.
 */
int ind_set_tuned(struct individual *x, const void *values, uint32_t n);

/*
 * Makes `to` (tree room for from's size, no tuned room needed) a copy of
 * the program from's score measures, result and all: from's tree with its
 * tuned constants written in. For the best of run and the front.
 */
void ind_copy_scored(struct individual *to, const struct individual *from);

/* n individuals, each tree with room for max_size nodes. */
struct population {
    size_t n;
    struct individual *ind;
    struct node *arena; /* every individual's nodes, in one block */
    size_t arena_bytes;
    uint32_t max_size; /* each tree's room */
    double *tuned;     /* each individual's tuned room, in one block, or
                          NULL (pop_keep_tuned) */
    float *errors;     /* each individual's case errors, in one block, or
                          NULL (pop_keep_errors) */
    uint32_t ncases;   /* room per individual in errors */
    double *objectives; /* each individual's further objectives, in one
                           block, or NULL (pop_keep_objectives) */
    uint32_t nobjectives; /* room per individual in objectives */
    size_t tuned_bytes;
};

/*
 * Whether x is evaluated this generation: a new program always; an
 * unchanged copy only when copies are rescored (a stochastic fitness, or
 * case errors on each generation's own cases; otherwise an evaluation
 * would give the result it carries); a twin or another rank's individual
 * never. The one rule the farms and the run's counts share.
 */
static inline int ind_needs_eval(const struct individual *x, int rescore)
{
    return x->origin == ORIGIN_NEW || (x->origin == ORIGIN_COPY && rescore);
}

/* A finite double as an unsigned integer in the same order: the sign bit
 * flipped for positives, every bit for negatives. -0 must come in as +0
 * (the two are equal as doubles: add 0.0). */
static inline uint64_t double_order_key(double d)
{
    uint64_t bits;
    memcpy(&bits, &d, sizeof bits);
    return bits >> 63 ? ~bits : bits | (1ULL << 63);
}

/* The double of a double_order_key. */
static inline double double_of_order_key(uint64_t key)
{
    uint64_t bits = key >> 63 ? key & ~(1ULL << 63) : ~key;
    double d;
    memcpy(&d, &bits, sizeof d);
    return d;
}

/* Allocates n empty individuals, each with room for max_size nodes, all in
 * one block (huge pages when big; memory only as the trees use it).
 * Returns 0 or -1 (out of memory, or of address space). */
int pop_init(struct population *p, size_t n, uint32_t max_size);

/*
 * Gives individual i the room right after individual i-1's nodes (the
 * arena's start for i = 0), max_size nodes of it. Filling a population in
 * index order with pop_place before each tree packs the trees end to end:
 * a generation then touches as many pages as it has nodes, not one
 * max_size stride per tree (fresh pages cost a fault and zeroing each),
 * and breeding reads parents that lie close together. The room is always
 * there: the i trees before take at most i * max_size nodes.
 */
static inline void pop_place(struct population *p, size_t i)
{
    struct tree *t = &p->ind[i].tree;
    t->nodes = i == 0 ? p->arena
                      : p->ind[i - 1].tree.nodes + p->ind[i - 1].tree.size;
    t->cap = p->max_size;
}

/*
 * Whether the system gives `generations` populations of n individuals,
 * each with room for max_size nodes (and their tuned constants, when
 * keep_tuned), the address space pop_init and pop_keep_tuned map: mapped
 * as they do, without touching a page, and let go. Returns 0 or -1.
 */
int pop_room(size_t n, uint32_t max_size, int keep_tuned, int generations);

/* Frees everything; a zeroed population is fine. */
void pop_release(struct population *p);

/* Gives each individual of p room for tuned constants kept apart from its
 * tree (lamarckian = no), memory only as used. Returns 0 or -1 (out of
 * memory, or of address space). */
int pop_keep_tuned(struct population *p);

/* Gives each individual of p room for ncases case errors (lexicase
 * selection). Returns 0 or -1 (out of memory). */
int pop_keep_errors(struct population *p, uint32_t ncases);

/* Gives each individual of p room for k further objectives (NSGA-II on a
 * plug-in's scores[1..k]). Returns 0 or -1 (out of memory). */
int pop_keep_objectives(struct population *p, uint32_t k);

/* Sets x's objectives from an evaluation's scores[1..n) (scores has n
 * doubles): the first k of them (k: its population's count) when x keeps
 * them, else none. Returns 0, or -1 (x unchanged) when n - 1 < k. */
int ind_set_objectives(struct individual *x, const double *scores,
                       uint32_t n, uint32_t k);

/* Sets x's case errors from an evaluation's n values (host order,
 * possibly unaligned). Returns 0, or -1 (x unchanged) when x's population
 * keeps another number of them (none: n must be 0). */
int ind_set_errors(struct individual *x, const void *values, uint32_t n,
                   uint32_t ncases);

/*
 * How individuals are ranked for selection, elitism and best of run: by
 * fitness penalised by `parsimony` per node (gplearn's parsimony
 * coefficient), in the direction of the metric. Reports show raw fitness.
 */
struct ranking {
    int maximise;
    double parsimony;
};

/*
 * Nonzero when a ranks strictly before b: an OK individual before a failed
 * one, then the better penalised fitness, then the smaller tree
 * (lexicographic parsimony: equal fitness prefers fewer nodes).
 */
int ind_better(const struct individual *a, const struct individual *b,
               const struct ranking *rk);

/* What a generation's report shows. */
struct pop_stats {
    size_t best;          /* index of the best individual */
    double best_fitness;  /* NaN when no individual is OK */
    double median_fitness; /* over the OK individuals; NaN when none */
    uint32_t best_size;
    double mean_size;
    size_t invalid; /* individuals whose status is INVALID */
    size_t failed;  /* individuals whose evaluation failed (ERROR and on) */
};

/* Computes the stats of p. Returns 0 or -1 (out of memory). */
int pop_stats(const struct population *p, const struct ranking *rk, struct pop_stats *s);

#endif
