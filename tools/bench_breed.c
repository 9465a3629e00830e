/* bench_breed: the parent's cost per offspring (selection and variation),
 * without evaluation, for `make bench`. A population of 1000 grown to a
 * chosen mean size is bred again and again with quartic's operators; the
 * fitness is a made-up function of the tree, so selection has ties and
 * order to work with. Prints nanoseconds per offspring, best of 5 runs. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "breed.h"
#include "clock.h"
#include "hash.h"
#include "init.h"
#include "pop.h"

#define POP 1000
#define MAX_SIZE 500

/* A fitness from the tree's bytes, as if evaluated. */
static void score(struct population *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct individual *x = &p->ind[i];
        uint64_t h =
            hash_bytes(x->tree.nodes, x->tree.size * sizeof *x->tree.nodes);
        x->status = EVAL_OK;
        x->fitness = (double)(h % 1000);
    }
}

static double mean_size(const struct population *p)
{
    double s = 0;
    for (size_t i = 0; i < p->n; i++)
        s += p->ind[i].tree.size;
    return s / (double)p->n;
}

int main(void)
{
    struct primset ps;
    memset(&ps, 0, sizeof ps);
    ps.funcs[ps.nfuncs++] = OP_ADD;
    ps.funcs[ps.nfuncs++] = OP_SUB;
    ps.funcs[ps.nfuncs++] = OP_MUL;
    ps.funcs[ps.nfuncs++] = OP_DIV;
    ps.nvars = 1;
    ps.range_lo[0] = -1;
    ps.range_hi[0] = 1;
    ps.nranges = 1;

    struct breed_options c = {
        .vp = {.max_depth = 17, .max_size = MAX_SIZE, .mutation_max_depth = 4,
               .internal_bias = 0.9, .root_points = 1, .point_replace = 0.05},
        .tournament_size = 7,
        .elitism = 1,
        .share = {[BREED_CROSSOVER] = 0.9, [BREED_SUBTREE] = 0.05,
                  [BREED_REPRODUCTION] = 0.05},
        .population = POP,
    };
    struct ranking rk = {0, 0.0};

    printf("breeding, population %d, quartic's operators: ns per offspring\n",
           POP);
    printf("%12s %12s\n", "mean size", "ns");
    for (int depth = 3; depth <= 7; depth += 2) {
        struct breed b;
        struct population pa, pb;
        if (breed_init(&b, &c) < 0 || pop_init(&pa, POP, MAX_SIZE) < 0 ||
            pop_init(&pb, POP, MAX_SIZE) < 0)
            return 1;
        struct rng r;
        rng_seed(&r, 1, 1);
        init_ramped(&pa, &ps, 2, depth, &r);
        score(&pa);
        double best = 1e9;
        for (int run = 0; run < 5; run++) {
            /* Breed from the same parents each time: the sizes stay put. */
            double t0 = clock_now();
            for (int g = 0; g < 20; g++)
                if (breed_next(&b, &pb, &pa, &ps, &rk, g, &r) < 0)
                    return 1;
            double ns = (clock_now() - t0) * 1e9 / (20.0 * POP);
            if (ns < best)
                best = ns;
        }
        printf("%12.1f %12.0f\n", mean_size(&pa), best);
        pop_release(&pa);
        pop_release(&pb);
        breed_release(&b);
    }
    return 0;
}
