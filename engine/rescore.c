/* rescore: a stochastic fitness's program scored again, on streams of its
 * own, for a figure that is not one lucky evaluation. */
#include "rescore.h"

#include <math.h>

int rescore_program(struct farm *fm, struct population *scratch,
                    const struct tree *t, struct rescore *out)
{
    size_t n = scratch->n, k = n < RESCORE_STREAMS ? n : RESCORE_STREAMS;
    for (size_t i = 0; i < k; i++) {
        struct individual *x = &scratch->ind[i];
        pop_place(scratch, i);
        tree_copy(&x->tree, t);
        x->origin = ORIGIN_NEW;
        x->ntuned = 0;
    }
    scratch->n = k;
    int fr = farm_eval(fm, scratch, RESCORE_GENERATION);
    scratch->n = n;
    if (fr != FARM_DONE)
        return fr;
    double sum = 0.0;
    size_t valid = 0;
    for (size_t i = 0; i < k; i++)
        if (scratch->ind[i].status == EVAL_OK) {
            sum += scratch->ind[i].fitness;
            valid++;
        }
    out->streams = k;
    out->valid = valid;
    out->mean = valid ? sum / (double)valid : NAN;
    return FARM_DONE;
}
