/* vary: crossover and the mutations that make an offspring from parents. */
#include "vary.h"

#include <stdint.h>
#include <string.h>

#include "init.h"

/*
 * A node of t from node `first` on (0, or 1 to leave the root out: then t
 * has more than one node, and its root is a function): a function node
 * with probability bias when there is one, else a terminal; uniform among
 * the nodes of that kind. Drawn by rejection: a uniform node until one of
 * the wanted kind comes up, which takes about two draws in a tree of
 * binary functions (half its nodes are terminals), and no walk.
 */
static uint32_t pick_point(const struct tree *t, double bias, uint32_t first,
                           struct rng *r)
{
    const struct node *root = &t->nodes[0];
    /* A function past the root unless every argument of the root is a
     * terminal (then the tree is the root and one node per argument). */
    int has_function = first == 0 ? prim_is_function(root->op)
                                   : root->span > 1u + (uint32_t)prim_arity(root->op);
    int want_function = has_function && rng_chance(r, bias);
    /* The tree holds at least one node of the wanted kind, so one comes
     * up within 64 draws per node of the tree but with a probability
     * below e^-64: the bound only keeps a tree whose spans were wrong (a
     * bug) from hanging the run. */
    uint64_t tries = 64 * (uint64_t)t->size;
    for (uint64_t k = 0; k < tries; k++) {
        uint32_t i = first + rng_below(r, t->size - first);
        if (prim_is_function(t->nodes[i].op) == want_function)
            return i;
    }
    return first;
}

/* Whether a's subtree [at, at_end) and b's [from, from_end) are the same
 * program (the same bytes: spans and heights follow from the shape). */
static int same_subtree(const struct tree *a, uint32_t at, uint32_t at_end,
                        const struct tree *b, uint32_t from,
                        uint32_t from_end)
{
    return at_end - at == from_end - from &&
           memcmp(&a->nodes[at], &b->nodes[from],
                  (size_t)(at_end - at) * sizeof *a->nodes) == 0;
}

int vary_crossover(struct tree *child, const struct tree *p1,
                   const struct tree *p2, const struct vary_params *vp,
                   struct rng *r)
{
    /* Without roots, a one-node parent has no point (as DEAP's). */
    uint32_t first = vp->root_points ? 0 : 1;
    if (p1->size <= first || p2->size <= first) {
        tree_copy(child, p1);
        return 0;
    }
    for (int t = 0; t < VARY_TRIES; t++) {
        uint32_t at = pick_point(p1, vp->internal_bias, first, r);
        uint32_t from = pick_point(p2, vp->internal_bias, first, r);
        /* p1 respects the depth limit, so only the new branch can break
         * it: its level plus the depth of what is put there. The level is
         * at most p1's depth less that of the subtree at `at`, which
         * settles most points without finding the level (a walk from the
         * root, a dependent load per level). */
        uint32_t from_end = tree_subtree_end(p2->nodes, from);
        int put = tree_height(&p2->nodes[from]);
        if (tree_height(&p1->nodes[0]) - tree_height(&p1->nodes[at]) + put >
                vp->max_depth &&
            tree_node_level(p1, at) + put > vp->max_depth)
            continue;
        uint32_t at_end = tree_subtree_end(p1->nodes, at);
        if (same_subtree(p1, at, at_end, p2, from, from_end))
            break; /* the child would be p1 */
        if (tree_splice_ends(child, p1, at, at_end, p2, from, from_end) == 0 &&
            child->size <= vp->max_size)
            return 1;
    }
    tree_copy(child, p1);
    return 0;
}

int vary_subtree(struct tree *child, const struct tree *p,
                 struct tree *scratch, const struct primset *ps,
                 const struct vary_params *vp, struct rng *r)
{
    uint32_t cap = scratch->cap;
    int changed = 0;
    for (int t = 0; t < VARY_TRIES && !changed; t++) {
        uint32_t at = rng_below(r, p->size);
        int room = vp->max_depth - tree_node_level(p, at);
        int depth = vp->mutation_max_depth < room ? vp->mutation_max_depth
                                                  : room;
        uint32_t old = tree_subtree_end(p->nodes, at) - at;
        /* Grow into no more room than the limit leaves beside the rest of
         * the parent, so an oversized subtree fails early. */
        scratch->cap = vp->max_size - (p->size - old);
        if (scratch->cap > cap)
            scratch->cap = cap;
        if (init_tree(scratch, ps, INIT_GROW, 0, depth, r) != 0)
            continue;
        if (same_subtree(p, at, at + old, scratch, 0, scratch->size))
            break; /* grown as it was: the child would be p */
        changed = tree_splice(child, p, at, scratch, 0) == 0;
    }
    scratch->cap = cap;
    if (!changed)
        tree_copy(child, p);
    return changed;
}

int vary_point(struct tree *child, const struct tree *p,
               const struct primset *ps, const struct vary_params *vp,
               struct rng *r)
{
    tree_copy(child, p);
    int changed = 0, differs = 0;
    uint32_t forced = rng_below(r, p->size);
    for (uint32_t i = 0; i < child->size; i++) {
        if (!rng_chance(r, vp->point_replace) && !(i == forced && !changed))
            continue;
        if (i == forced)
            changed = 1;
        struct node *nd = &child->nodes[i];
        struct node was = *nd;
        int arity = prim_arity(nd->op);
        if (arity == 0) {
            init_terminal(nd, ps, r);
            changed = 1;
            differs |= memcmp(&was, nd, sizeof was) != 0;
            continue;
        }
        /* Another function of the same arity, drawn uniformly. */
        int n = 0;
        for (int k = 0; k < ps->nfuncs; k++)
            n += prim_arity(ps->funcs[k]) == arity;
        int pick = (int)rng_below(r, (uint32_t)n);
        for (int k = 0; k < ps->nfuncs; k++)
            if (prim_arity(ps->funcs[k]) == arity && pick-- == 0)
                nd->op = ps->funcs[k];
        changed = 1;
        differs |= memcmp(&was, nd, sizeof was) != 0;
    }
    return differs;
}

int vary_hoist(struct tree *child, const struct tree *p, struct rng *r)
{
    uint32_t at = rng_below(r, p->size);
    uint32_t end = tree_subtree_end(p->nodes, at);
    if (end - at == 1) {
        tree_copy(child, p);
        return 0;
    }
    uint32_t from = at + 1 + rng_below(r, end - at - 1);
    tree_splice(child, p, at, p, from);
    return 1;
}
