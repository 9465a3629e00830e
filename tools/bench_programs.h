/* bench_programs: the random programs the interpreter's and the Jacobian's
 * benchmarks time, made the same way for both. */
#ifndef FORKGP_BENCH_PROGRAMS_H
#define FORKGP_BENCH_PROGRAMS_H

#include <stdint.h>

#include "init.h"
#include "rng.h"
#include "tree.h"

/* n programs of 1..max_size nodes, sizes spread evenly: for each wanted
 * size, the closest of many random grow and full trees, into progs (each
 * with room for max_size). Returns their mean size. */
static inline double bench_make_programs(struct tree *progs, int n,
                                         uint32_t max_size,
                                         const struct primset *ps,
                                         struct rng *r)
{
    struct tree t;
    tree_init(&t, max_size);
    double total = 0;
    for (int p = 0; p < n; p++) {
        uint32_t want = 1 + (uint32_t)p % max_size;
        uint32_t best_gap = UINT32_MAX;
        for (int tries = 0; tries < 400 && best_gap > 1; tries++) {
            enum init_method how = tries % 2 ? INIT_GROW : INIT_FULL;
            if (init_tree(&t, ps, how, 0, tries % 7, r) < 0)
                continue;
            uint32_t gap = t.size > want ? t.size - want : want - t.size;
            if (gap < best_gap) {
                best_gap = gap;
                tree_copy(&progs[p], &t);
            }
        }
        total += progs[p].size;
    }
    tree_release(&t);
    return total / n;
}

#endif
