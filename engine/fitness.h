/* fitness: what the evaluation farm calls to score one program. */
#ifndef FORKGP_FITNESS_H
#define FORKGP_FITNESS_H

#include "pop.h"
#include "rng.h"
#include "tree.h"

/*
 * A fitness function bound to its loaded state. evaluate scores one
 * program with its own random stream and returns an enum eval_status;
 * scores[0..nscores) and *scaling (how the output was scored: linear
 * scaling's intercept and slope, or off) are meaningful only for EVAL_OK;
 * *tuned is the program with its constants tuned (the fitness's scratch,
 * valid until its next evaluation), or NULL when they were not.
 * case_errors: room for ncases doubles that an EVAL_OK evaluation fills
 * with each case's error (lower is better), or NULL when they are not
 * wanted. It must depend on (program, stream) only: in a forked worker,
 * whatever else it changes is lost.
 */
struct fitness {
    const char *name;
    int maximise;   /* 1: higher is better; 0: lower is better */
    int stochastic; /* evaluate draws on its stream */
    int builtin;    /* one of forkgp's own (regression, classification,
                       boolean), not a shared object */
    int draws;      /* evaluate may draw on its stream (a plug-in's always
                       may): the farm derives it for every evaluation */
    int rescore;    /* an unchanged copy is evaluated again, as its score
                       may differ from its parent's: the fitness is
                       stochastic, or each generation's case errors are on
                       cases of its own (set by the run) */
    int nscores;    /* scores per evaluation; scores[0] is the fitness */
    size_t rows;    /* the rows an evaluation runs a program over (a
                       built-in's data), so what it costs; 0: not known
                       (a plug-in) */
    size_t ncases;  /* cases with an error each (fgp_set_cases); 0: the
                       fitness gives none */
    int nobjectives; /* scores[1..nobjectives] are objectives too, for
                        NSGA-II (fgp_set_objectives); 0: none */
    const double *case_data; /* the cases' table (fgp_set_case_data): each
                                variable's ncases values, then the wanted
                                outputs; NULL: not given, or not kept
                                because [operators] rdo is 0 */
    char score_name[32]; /* what scores[0] is called in reports */
    void *ctx;
    int (*evaluate)(void *ctx, const struct tree *t, struct rng *r,
                    double *scores, struct scaling *scaling,
                    const struct tree **tuned, double *case_errors);
};

/* Nonzero when fitness a reaches the target t in the direction given. */
static inline int fitness_reaches(double a, double t, int maximise)
{
    return maximise ? a >= t : a <= t;
}

#endif
