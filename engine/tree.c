/* tree: programs as contiguous prefix-order arrays of plain nodes. */
#include "tree.h"

#include <stdlib.h>
#include <string.h>

int tree_init(struct tree *t, uint32_t cap)
{
    t->size = 0;
    t->cap = cap;
    /* Not zeroed: only the first size nodes are ever read, and untouched
     * capacity then costs no page faults. */
    t->nodes = malloc((cap ? cap : 1) * sizeof *t->nodes);
    return t->nodes ? 0 : -1;
}

void tree_release(struct tree *t)
{
    free(t->nodes);
    memset(t, 0, sizeof *t);
}

void tree_copy(struct tree *dst, const struct tree *src)
{
    memcpy(dst->nodes, src->nodes, src->size * sizeof *src->nodes);
    dst->size = src->size;
}

/* A function node's height from its arguments' (whose spans and heights
 * are right): one more than the highest. */
static uint16_t height_from_arguments(const struct node *nodes, uint32_t i,
                                      uint32_t size)
{
    int highest = 0;
    uint32_t arg = i + 1;
    for (int k = prim_arity(nodes[i].op); k > 0 && arg < size; k--) {
        int h = tree_height(&nodes[arg]);
        highest = h > highest ? h : highest;
        arg += nodes[arg].span;
    }
    return (uint16_t)(highest + 1);
}

void tree_set_shape(struct tree *t)
{
    /* Backwards, so that a node's arguments have their spans and heights:
     * the first starts just after it, each next one where the one before
     * ends. */
    for (uint32_t i = t->size; i-- > 0;) {
        struct node *nd = &t->nodes[i];
        uint32_t end = i + 1;
        for (int k = prim_arity(nd->op); k > 0 && end < t->size; k--)
            end += t->nodes[end].span;
        nd->span = end - i;
        if (prim_is_function(nd->op))
            nd->height = height_from_arguments(t->nodes, i, t->size);
    }
}

int tree_subtree_depth(const struct node *nodes, uint32_t i)
{
    /* A stack of the arguments still owed at each level (level 0: the
     * subtree itself); it is over when nothing above level 0 is owed. */
    int owed[1024];
    int top = 0, depth = 0;
    owed[0] = 1;
    do {
        owed[top]--;
        int arity = prim_arity(nodes[i++].op);
        if (arity > 0) {
            if (top + 1 >= (int)(sizeof owed / sizeof owed[0]))
                return top + 1; /* deeper than any limit we allow: say so */
            owed[++top] = arity;
            if (top > depth)
                depth = top;
        }
        while (top > 0 && owed[top] == 0)
            top--;
    } while (top > 0);
    return depth;
}

int tree_depth(const struct tree *t)
{
    return t->size ? tree_subtree_depth(t->nodes, 0) : 0;
}

/* The argument of node i whose subtree holds node target (i is one of
 * target's ancestors): one step from the root down towards target. */
static uint32_t step_towards(const struct node *nodes, uint32_t i,
                             uint32_t target)
{
    uint32_t arg = i + 1;
    while (arg + nodes[arg].span <= target)
        arg += nodes[arg].span;
    return arg;
}

int tree_node_level(const struct tree *t, uint32_t target)
{
    int level = 0;
    for (uint32_t i = 0; i != target; i = step_towards(t->nodes, i, target))
        level++;
    return level;
}

int tree_check(const struct tree *t, int nvars)
{
    if (t->size == 0 || t->size > t->cap)
        return -1;
    long need = 1;
    for (uint32_t i = 0; i < t->size; i++) {
        const struct node *n = &t->nodes[i];
        if (need <= 0 || !prim_known(n->op))
            return -1;
        if (n->op == OP_VAR && n->var >= nvars)
            return -1;
        need += prim_arity(n->op) - 1;
    }
    return need == 0 ? 0 : -1;
}

int tree_splice(struct tree *out, const struct tree *dst, uint32_t at,
                const struct tree *src, uint32_t from)
{
    return tree_splice_ends(out, dst, at, tree_subtree_end(dst->nodes, at), src,
                            from, tree_subtree_end(src->nodes, from));
}

int tree_splice_ends(struct tree *out, const struct tree *dst, uint32_t at,
                     uint32_t at_end, const struct tree *src, uint32_t from,
                     uint32_t from_end)
{
    uint32_t piece = from_end - from;
    uint32_t size = dst->size - (at_end - at) + piece;
    if (size > out->cap)
        return -1;
    memcpy(out->nodes, dst->nodes, at * sizeof *out->nodes);
    memcpy(out->nodes + at, src->nodes + from, piece * sizeof *out->nodes);
    memcpy(out->nodes + at + piece, dst->nodes + at_end,
           (dst->size - at_end) * sizeof *out->nodes);
    out->size = size;
    /* at's ancestors, which sit before it in out as in dst, grow or
     * shrink by what changed; every other span is as it was. So may their
     * heights, from the lowest up (below). */
    uint32_t delta = piece - (at_end - at); /* modulo 2^32 */
    uint32_t path[256];
    size_t n = 0;
    for (uint32_t i = 0; i != at; i = step_towards(dst->nodes, i, at)) {
        out->nodes[i].span += delta;
        if (n < sizeof path / sizeof path[0])
            path[n] = i;
        n++;
    }
    if (n > sizeof path / sizeof path[0]) {
        tree_set_shape(out); /* deeper than any limit allows: all again */
        return 0;
    }
    /* An ancestor is one above its highest argument. When the argument on
     * the path is now at least as high as the others can be (one below
     * the ancestor's old height), it decides alone; else all are asked.
     * Once an ancestor's height is as it was, so are those above it. */
    int h = tree_height(&out->nodes[at]);
    while (n-- > 0) {
        struct node *a = &out->nodes[path[n]];
        int now = h + 1 >= a->height
                      ? h + 1
                      : height_from_arguments(out->nodes, path[n], size);
        if (now == a->height)
            break;
        a->height = (uint16_t)now;
        h = now;
    }
    return 0;
}

uint32_t tree_get_constants(const struct tree *t, double *out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < t->size; i++)
        if (t->nodes[i].op == OP_CONST)
            out[n++] = t->nodes[i].value;
    return n;
}

int tree_set_constants(struct tree *t, const void *values, uint32_t n)
{
    uint32_t have = 0;
    for (uint32_t i = 0; i < t->size; i++)
        have += t->nodes[i].op == OP_CONST;
    if (have != n)
        return -1;
    const unsigned char *v = values;
    for (uint32_t i = 0; i < t->size; i++)
        if (t->nodes[i].op == OP_CONST) {
            memcpy(&t->nodes[i].value, v, sizeof(double));
            v += sizeof(double);
        }
    return 0;
}
