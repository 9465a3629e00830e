/* init: random trees (grow, full) and ramped half-and-half populations. */
#include "init.h"

void init_terminal(struct node *nd, const struct primset *ps, struct rng *r)
{
    uint32_t k = rng_below(r, (uint32_t)primset_nterminals(ps));
    nd->span = 1;
    nd->var = 0;
    nd->value = 0.0;
    if (k < (uint32_t)ps->nvars) {
        nd->op = OP_VAR;
        nd->var = (uint16_t)k;
        return;
    }
    k -= (uint32_t)ps->nvars;
    nd->op = OP_CONST;
    if (k < (uint32_t)ps->nconsts) {
        nd->value = ps->consts[k];
        return;
    }
    k -= (uint32_t)ps->nconsts;
    if (k < (uint32_t)ps->nranges) {
        nd->value = rng_uniform(r, ps->range_lo[k], ps->range_hi[k]);
        return;
    }
    k -= (uint32_t)ps->nranges;
    nd->op = ps->symterms[k];
    nd->value = 0.0;
}

uint16_t init_function(const struct primset *ps, struct rng *r)
{
    return ps->funcs[rng_below(r, (uint32_t)ps->nfuncs)];
}

int init_tree(struct tree *t, const struct primset *ps, enum init_method how,
              int min_depth, int depth, struct rng *r)
{
    /* Prefix order is depth-first: keep a stack of how many arguments each
     * open function still needs, whose height is the current level. */
    int owed[258];
    int top = 0;
    uint32_t nterm = (uint32_t)primset_nterminals(ps);
    uint32_t nfunc = (uint32_t)ps->nfuncs;
    if (depth > 256)
        depth = 256;
    owed[0] = 1;
    t->size = 0;
    while (top > 0 || owed[0] > 0) {
        if (t->size == t->cap)
            return -1;
        struct node *nd = &t->nodes[t->size++];
        int level = top;
        int function;
        if (level >= depth || nfunc == 0)
            function = 0;
        else if (how == INIT_FULL || level < min_depth)
            function = 1;
        else
            function = rng_below(r, nfunc + nterm) < nfunc;
        owed[top]--;
        if (function) {
            nd->op = init_function(ps, r);
            nd->var = 0;
            nd->value = 0.0;
            owed[++top] = prim_arity(nd->op);
        } else {
            init_terminal(nd, ps, r);
        }
        while (top > 0 && owed[top] == 0)
            top--;
    }
    tree_set_shape(t);
    return 0;
}

void init_ramped(struct population *p, const struct primset *ps,
                 int min_depth, int max_depth, struct rng *r)
{
    int span = max_depth - min_depth + 1;
    for (size_t i = 0; i < p->n; i++) {
        pop_place(p, i);
        struct individual *x = &p->ind[i];
        int depth = min_depth + (int)((i / 2) % (size_t)span);
        enum init_method how = i % 2 == 0 ? INIT_FULL : INIT_GROW;
        for (int tries = 1;
             init_tree(&x->tree, ps, how, min_depth, depth, r) < 0; tries++)
            if (tries % 10 == 0 && depth > 0)
                depth--;
        x->status = EVAL_OK;
        x->fitness = 0.0;
        x->origin = ORIGIN_NEW;
    }
}
