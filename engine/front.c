/* front: the Pareto front of accuracy against size. */
#include "front.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int front_init(struct front *f, uint32_t max_size)
{
    memset(f, 0, sizeof *f);
    f->slot = calloc((size_t)max_size + 1, sizeof *f->slot);
    if (!f->slot)
        return -1;
    f->max_size = max_size;
    return 0;
}

void front_release(struct front *f)
{
    if (f->slot)
        for (uint32_t s = 0; s <= f->max_size; s++)
            tree_release(&f->slot[s].ind.tree);
    free(f->slot);
    memset(f, 0, sizeof *f);
}

/* Whether fitness a is strictly better than b. */
static int better(double a, double b, int maximise)
{
    return maximise ? a > b : a < b;
}

int front_set(struct front *f, const struct individual *x, long generation,
              uint64_t index)
{
    uint32_t size = x->tree.size;
    if (size == 0 || size > f->max_size)
        return -1;
    struct front_entry *e = &f->slot[size];
    if (!e->ind.tree.nodes && tree_init(&e->ind.tree, size) < 0)
        return -1;
    ind_copy_scored(&e->ind, x);
    e->generation = generation;
    e->index = index;
    return 0;
}

int front_update(struct front *f, const struct population *p, int maximise,
                 long generation)
{
    int rc = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        uint32_t size = x->tree.size;
        if (x->status != EVAL_OK || size == 0 || size > f->max_size)
            continue;
        const struct front_entry *e = &f->slot[size];
        if (e->ind.tree.size != 0 &&
            !better(x->fitness, e->ind.fitness, maximise))
            continue;
        if (front_set(f, x, generation, i) < 0)
            rc = -1;
    }
    return rc;
}

size_t front_pareto(const struct front *f, int maximise, uint32_t *sizes)
{
    size_t n = 0;
    double best = 0.0;
    for (uint32_t s = 1; s <= f->max_size; s++) {
        const struct front_entry *e = &f->slot[s];
        if (e->ind.tree.size == 0)
            continue;
        /* Rounding is no gain: a bigger program must be better by more
         * than FRONT_MIN_GAIN of the score. */
        double margin = FRONT_MIN_GAIN * fabs(best);
        if (n > 0 && !better(e->ind.fitness, maximise ? best + margin
                                                       : best - margin,
                             maximise))
            continue;
        best = e->ind.fitness;
        sizes[n++] = s;
    }
    return n;
}
