/* front: the Pareto front of accuracy against size: for each program size,
 * the best program a run has seen, kept across generations (and
 * checkpoints), from which the run's front.csv is drawn. */
#ifndef FORKGP_FRONT_H
#define FORKGP_FRONT_H

#include <stddef.h>
#include <stdint.h>

#include "pop.h"

/* The best program of one size: its tree (room for exactly that size),
 * score and scaling, and when it was found. */
struct front_entry {
    struct individual ind; /* status EVAL_OK; ind.tree.cap == its size */
    long generation;
    uint64_t index;
};

/* One slot per size 1..max_size; a slot whose tree has size 0 is empty.
 * A zeroed front is empty and holds no memory. */
struct front {
    uint32_t max_size;
    struct front_entry *slot; /* [max_size + 1], slot[0] unused */
};

/* Allocates the slots for programs of up to max_size nodes (no trees
 * yet). Returns 0 or -1 (out of memory). */
int front_init(struct front *f, uint32_t max_size);

/* Frees the slots and their trees; a zeroed front is fine. */
void front_release(struct front *f);

/*
 * Takes p's scored programs (status EVAL_OK) of generation `generation`
 * into f: each replaces its size's entry when its fitness is strictly
 * better (higher with maximise), so the first of equals, in index order,
 * stays. Returns 0, or -1 when out of memory (the front is then only
 * missing that program).
 */
int front_update(struct front *f, const struct population *p, int maximise,
                 long generation);

/* Sets the entry of t's size to (x's result, generation, index), copying
 * the tree: for a checkpoint being read. Returns 0 or -1 (out of memory,
 * or a size outside 1..max_size). */
int front_set(struct front *f, const struct individual *x, long generation,
              uint64_t index);

/* The least relative gain by which a bigger program must beat a smaller
 * one to be on the front: differences of rounding do not count. */
#define FRONT_MIN_GAIN 1e-9

/*
 * The Pareto-optimal sizes, ascending, into sizes (room for max_size):
 * those whose entry is better than every smaller one's by more than
 * FRONT_MIN_GAIN of it. Returns their number.
 */
size_t front_pareto(const struct front *f, int maximise, uint32_t *sizes);

#endif
