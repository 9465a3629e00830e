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
    b->islands = o->islands > 1 ? o->islands : 1;
    b->migration_size = b->islands > 1 ? o->migration_size : 0;
    b->migration_interval =
        o->migration_interval > 0 ? o->migration_interval : 1;
    int islands_ok = 1;
    if (b->islands > 1) {
        size_t m = b->islands * b->migration_size;
        b->pool = calloc(b->population ? b->population : 1, sizeof *b->pool);
        b->migrants = calloc(m ? m : 1, sizeof *b->migrants);
        b->victims = calloc(m ? m : 1, sizeof *b->victims);
        islands_ok = b->pool && b->migrants && b->victims;
    }
    int rdo_ok = b->share[BREED_RDO] <= 0.0 ||
                 (o->cases && rdo_init(&b->rdo, o->cases, b->vp.max_size) == 0);
    if (!b->elites || !b->standings || !b->ptrs || !islands_ok || !rdo_ok ||
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
    free(b->pool);
    free(b->migrants);
    free(b->victims);
    tree_release(&b->scratch);
    lexicase_release(&b->lex);
    nsga2_release(&b->ns);
    rdo_release(&b->rdo);
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

void breed_island(size_t n, size_t islands, size_t k, size_t *lo,
                  size_t *hi)
{
    *lo = k * n / islands;
    *hi = (k + 1) * n / islands;
}

/* Fills next->ind[lo, lo + v->n) from the parents v: the whole generation,
 * or one island's. */
static int breed_from(struct breed *b, struct population *next, size_t lo,
                      const struct population *v, const struct primset *ps,
                      const struct ranking *rk, struct rng *r)
{
    select_standings(v, rk, b->standings);
    select_best_standings(b->standings, v->n, b->elites, b->elitism);
    rng_bound_init(&b->draw, (uint32_t)v->n);
    if ((b->method == SELECT_LEXICASE ||
         b->method == SELECT_EPSILON_LEXICASE) &&
        lexicase_prepare(&b->lex, v,
                         b->method == SELECT_EPSILON_LEXICASE) < 0)
        return -1;
    if (b->method == SELECT_NSGA2) {
        /* The fronts of the parents alone, made afresh each generation (a
         * resumed run makes the same). */
        for (size_t k = 0; k < v->n; k++)
            b->ptrs[k] = &v->ind[k];
        if (nsga2_rank(&b->ns, b->ptrs, v->n, rk->maximise) < 0)
            return -1;
    }
    if (b->share[BREED_RDO] > 0.0 && rdo_library(&b->rdo, v) < 0)
        return -1;
    size_t i = 0;
    for (; i < b->elitism; i++) {
        pop_place(next, lo + i);
        struct individual *x = &next->ind[lo + i];
        tree_copy(&x->tree, &v->ind[b->elites[i]].tree);
        keep_score(x, &v->ind[b->elites[i]]);
    }
    for (; i < v->n; i++) {
        pop_place(next, lo + i);
        struct individual *x = &next->ind[lo + i];
        enum breed_op op = choose_op(b, r);
        size_t i1 = choose_parent(b, r);
        const struct individual *p1 = &v->ind[i1];
        int changed;
        switch (op) {
        case BREED_CROSSOVER: {
            size_t i2 = choose_parent(b, r);
            changed = vary_crossover(&x->tree, &p1->tree, &v->ind[i2].tree,
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
        case BREED_RDO:
            changed = vary_rdo(&x->tree, &p1->tree, &b->rdo, &b->vp, r);
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

/* Each island's best and worst migration_size of cur, in b->migrants and
 * b->victims (indexes into cur). */
static void choose_migrants(struct breed *b, const struct population *cur,
                            const struct ranking *rk)
{
    size_t m = b->migration_size;
    select_standings(cur, rk, b->standings);
    for (size_t k = 0; k < b->islands; k++) {
        size_t lo, hi;
        breed_island(cur->n, b->islands, k, &lo, &hi);
        select_best_standings(b->standings + lo, hi - lo,
                              b->migrants + k * m, m);
        select_worst_standings(b->standings + lo, hi - lo,
                               b->victims + k * m, m);
        for (size_t j = 0; j < m; j++) {
            b->migrants[k * m + j] += lo;
            b->victims[k * m + j] += lo;
        }
    }
}

int breed_next(struct breed *b, struct population *next,
               const struct population *cur, const struct primset *ps,
               const struct ranking *rk, long generation, struct rng *r)
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
        if (b->islands > 1) {
            struct individual *pool =
                realloc(b->pool, cur->n * sizeof *b->pool);
            if (!pool)
                return -1;
            b->pool = pool;
        }
        b->population = cur->n;
    }
    if (b->islands <= 1)
        return breed_from(b, next, 0, cur, ps, rk, r);
    size_t m = b->migration_size;
    int migrate =
        m > 0 && generation > 0 && generation % b->migration_interval == 0;
    if (migrate)
        choose_migrants(b, cur, rk);
    for (size_t k = 0; k < b->islands; k++) {
        size_t lo, hi;
        breed_island(cur->n, b->islands, k, &lo, &hi);
        memcpy(b->pool, cur->ind + lo, (hi - lo) * sizeof *b->pool);
        if (migrate) {
            size_t from = (k + b->islands - 1) % b->islands;
            for (size_t j = 0; j < m; j++)
                b->pool[b->victims[k * m + j] - lo] =
                    cur->ind[b->migrants[from * m + j]];
        }
        struct population island = *cur;
        island.n = hi - lo;
        island.ind = b->pool;
        if (breed_from(b, next, lo, &island, ps, rk, r) < 0)
            return -1;
    }
    return 0;
}
