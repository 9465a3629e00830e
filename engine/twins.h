/* twins: finds the programs of a generation whose score is already known,
 * so that a deterministic fitness evaluates each program once: a repeat of
 * an earlier program of the same generation (a twin, scored when its first
 * copy is), or a program the generation before held (a copy, scored now). */
#ifndef FORKGP_TWINS_H
#define FORKGP_TWINS_H

#include <stddef.h>
#include <stdint.h>

#include "pop.h"

/* An index of a population's programs by their bytes: an open-addressing
 * table of individual indices (SIZE_MAX: empty), by tree hash. */
struct twin_index {
    const struct individual *ind; /* the population indexed; NULL: none */
    size_t cap;                   /* slots: a power of two, >= 2n */
    size_t *slot;
};

/* The indexes of two generations: the last paired and the one before. A
 * zeroed struct twins is ready; twins_release frees it. */
struct twins {
    struct twin_index cur, prev;
};

/* The fewest rows of data from which pairing pays. */
#define TWINS_MIN_ROWS 100

/*
 * Whether pairing pays for a fitness whose evaluation runs over `rows`
 * rows (0: unknown, as for a plug-in, which always pays). Pairing costs
 * a hash of every program each generation and saves the twins'
 * evaluations: below TWINS_MIN_ROWS rows the hashing costs more than the
 * evaluations it saves (BENCHMARKS.md, twins). The rule depends on the
 * configuration and data only, so every run of them evaluates the same
 * programs, resumed or not, whatever the workers.
 */
int twins_pay(size_t rows);

/*
 * Marks p's new programs that need no evaluation: a later copy of a
 * program of p becomes ORIGIN_TWIN of the first (twin = its index), and,
 * when prev (the generation p was bred from, scored) is not NULL, a
 * program prev holds becomes ORIGIN_COPY with prev's score. prev's index
 * is the one the last call made, or is made now (after a resume): the
 * same either way. Returns 0 or -1 (out of memory: nothing is paired,
 * which is merely slower).
 */
int twins_pair(struct twins *tw, struct population *p,
               const struct population *prev);

/* Says that the trees of the generation last paired may have changed
 * since (constants tuned in place, Lamarckian): its index is made again
 * from them when the next generation is paired, as after a resume, so
 * that a resumed run pairs the same programs. */
void twins_forget(struct twins *tw);

/* Gives every twin of p the score of the program it repeats, and its tree
 * (whose constants the evaluation may have tuned). */
void twins_score(struct population *p);

/* Frees the indexes. */
void twins_release(struct twins *tw);

#endif
