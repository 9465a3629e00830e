/* breed: the next generation from an evaluated one (elites + offspring). */
#include "breed.h"

#include <stdlib.h>
#include <string.h>

int breed_init(struct breed *b, const struct breed_options *o)
{
    memset(b, 0, sizeof *b);
    b->vp = o->vp;
    b->method = o->method;
    b->tournament_size = o->tournament_size;
    b->elitism = o->elitism;
    memcpy(b->share, o->share, sizeof b->share);
    b->elites = calloc(b->elitism ? b->elitism : 1, sizeof *b->elites);
    b->population = o->population;
    b->standings =
        calloc(b->population ? b->population : 1, sizeof *b->standings);
    b->ptrs = calloc(b->population ? b->population : 1, sizeof *b->ptrs);
    if (!b->elites || !b->standings || !b->ptrs ||
        tree_init(&b->scratch, b->vp.max_size) < 0) {
        breed_release(b);
        return -1;
    }
    return 0;
}

void breed_release(struct breed *b)
{
    free(b->elites);
    free(b->standings);
    free(b->ptrs);
    tree_release(&b->scratch);
    lexicase_release(&b->lex);
    nsga2_release(&b->ns);
    memset(b, 0, sizeof *b);
}

static enum breed_op choose_op(const struct breed *b, struct rng *r)
{
    double u = rng_double(r), sum = 0.0;
    for (int op = 0; op < BREED_NOPS - 1; op++) {
        sum += b->share[op];
        if (u < sum)
            return (enum breed_op)op;
    }
    return BREED_REPRODUCTION;
}

/* One parent, by the generation's method. */
static size_t choose_parent(struct breed *b, struct rng *r)
{
    if (b->method == SELECT_TOURNAMENT)
        return select_tournament(b->standings, &b->draw, b->tournament_size,
                                 r);
    if (b->method == SELECT_NSGA2)
        return nsga2_tournament(&b->ns, &b->draw, r);
    return lexicase_select(&b->lex, r);
}

/* Makes x, whose tree is parent's already, an unchanged copy of it, score
 * and all. */
static void keep_score(struct individual *x, const struct individual *parent)
{
    ind_take_result(x, parent);
    x->origin = ORIGIN_COPY;
}

int breed_next(struct breed *b, struct population *next,
               const struct population *cur, const struct primset *ps,
               const struct ranking *rk, struct rng *r)
{
    if (cur->n > b->population) { /* more than the config said: grow */
        struct standing *more =
            realloc(b->standings, cur->n * sizeof *b->standings);
        if (!more)
            return -1;
        b->standings = more;
        const struct individual **ptrs =
            realloc(b->ptrs, cur->n * sizeof *b->ptrs);
        if (!ptrs)
            return -1;
        b->ptrs = ptrs;
        b->population = cur->n;
    }
    select_standings(cur, rk, b->standings);
    select_best_standings(b->standings, cur->n, b->elites, b->elitism);
    rng_bound_init(&b->draw, (uint32_t)cur->n);
    if ((b->method == SELECT_LEXICASE ||
         b->method == SELECT_EPSILON_LEXICASE) &&
        lexicase_prepare(&b->lex, cur,
                         b->method == SELECT_EPSILON_LEXICASE) < 0)
        return -1;
    if (b->method == SELECT_NSGA2) {
        /* The fronts of cur alone, made afresh each generation (a resumed
         * run makes the same). */
        for (size_t k = 0; k < cur->n; k++)
            b->ptrs[k] = &cur->ind[k];
        if (nsga2_rank(&b->ns, b->ptrs, cur->n, rk->maximise) < 0)
            return -1;
    }
    size_t i = 0;
    for (; i < b->elitism; i++) {
        pop_place(next, i);
        tree_copy(&next->ind[i].tree, &cur->ind[b->elites[i]].tree);
        keep_score(&next->ind[i], &cur->ind[b->elites[i]]);
    }
    for (; i < next->n; i++) {
        pop_place(next, i);
        struct individual *x = &next->ind[i];
        enum breed_op op = choose_op(b, r);
        size_t i1 = choose_parent(b, r);
        const struct individual *p1 = &cur->ind[i1];
        int changed;
        switch (op) {
        case BREED_CROSSOVER: {
            size_t i2 = choose_parent(b, r);
            changed = vary_crossover(&x->tree, &p1->tree, &cur->ind[i2].tree,
                                     &b->vp, r);
            break;
        }
        case BREED_SUBTREE:
            changed =
                vary_subtree(&x->tree, &p1->tree, &b->scratch, ps, &b->vp, r);
            break;
        case BREED_POINT:
            changed = vary_point(&x->tree, &p1->tree, ps, &b->vp, r);
            break;
        case BREED_HOIST:
            changed = vary_hoist(&x->tree, &p1->tree, r);
            break;
        default: /* reproduction */
            tree_copy(&x->tree, &p1->tree);
            changed = 0;
            break;
        }
        if (changed) {
            x->origin = ORIGIN_NEW;
            x->status = EVAL_OK;
            x->fitness = 0.0;
            x->detail = 0;
        } else { /* variation left the child as p1 (vary.h) */
            keep_score(x, p1);
        }
    }
    return 0;
}
