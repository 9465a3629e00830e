/* rescore: a stochastic fitness's program scored again, on streams of its
 * own, for a figure that is not one lucky evaluation. */
#ifndef FORKGP_RESCORE_H
#define FORKGP_RESCORE_H

#include <stddef.h>
#include <stdint.h>

#include "farm.h"
#include "pop.h"
#include "tree.h"

/* The streams each program is scored on again: individuals 0 .. 29 of a
 * generation no run reaches (generations stop at 1e7), the same for every
 * program, so that the programs' means compare on the same draws. */
#define RESCORE_STREAMS 30
#define RESCORE_GENERATION ((uint64_t)1 << 62)

struct rescore {
    size_t streams; /* evaluations made */
    size_t valid;   /* of them OK */
    double mean;    /* the mean of the OK ones' fitness; NaN when none */
};

/*
 * Scores t again through the farm fm on min(RESCORE_STREAMS, scratch's
 * size) streams, using the individuals of scratch (a population of the
 * run's size and max_size, whose contents are lost) as room; *out gets
 * the mean, summed in stream order, so the same bytes for any worker
 * count or backend. Returns FARM_DONE, or why the farm did not finish
 * (*out is then not set).
 */
int rescore_program(struct farm *fm, struct population *scratch,
                    const struct tree *t, struct rescore *out);

#endif
