/* tree: programs as contiguous prefix-order arrays of plain nodes. */
#ifndef FORKGP_TREE_H
#define FORKGP_TREE_H

#include <stddef.h>
#include <stdint.h>

#include "prim.h"

/*
 * One node: an opcode (enum prim_op), the column of a variable, the value
 * of a constant, and the size and height of its subtree. No pointers, so a
 * tree is copied, piped and checkpointed as bytes. 16 bytes.
 *
 * span and height follow from the tree's shape, so equal trees are still
 * equal bytes. They are kept by whatever makes or changes a tree, so that
 * variation finds a subtree's end, a node's parent and a subtree's depth
 * without a walk.
 */
struct node {
    uint16_t op;
    union {
        uint16_t var;    /* OP_VAR: index into the primset's variables */
        uint16_t height; /* a function: its subtree's depth (1 when its
                            arguments are terminals); tree_height */
    };                   /* 0 for any other terminal */
    uint32_t span; /* nodes in the subtree that starts here (1 for a
                      terminal): the subtree is [i, i + span) */
    double value;  /* OP_CONST: the constant; else 0 */
};

/* Checkpoints, frames and hashes take a node as 16 bytes. */
_Static_assert(sizeof(struct node) == 16, "a node is 16 bytes");

/*
 * A program in prefix order: a function node is followed by its arguments'
 * subtrees, first to last. A subtree is the contiguous range
 * [i, i + nodes[i].span). `nodes` has room for `cap` nodes, fixed when the
 * tree is made, so variation never allocates.
 */
struct tree {
    uint32_t size;
    uint32_t cap;
    struct node *nodes;
};

/* Allocates room for cap nodes; size 0. Returns 0 or -1 (out of memory). */
int tree_init(struct tree *t, uint32_t cap);

/* Frees the nodes; a zeroed tree is fine. */
void tree_release(struct tree *t);

/* Copies src into dst; dst->cap must be >= src->size. */
void tree_copy(struct tree *dst, const struct tree *src);

/* Sets every node's span and height from the shape of t, which must be
 * well formed (tree_check): for trees made node by node, or read from
 * outside. */
void tree_set_shape(struct tree *t);

/* The depth of the subtree that starts at node nd, as the node keeps it
 * (0 for a terminal). tree_subtree_depth walks the subtree instead. */
static inline int tree_height(const struct node *nd)
{
    return prim_is_function(nd->op) ? nd->height : 0;
}

/* The index just past the subtree that starts at node i. */
static inline uint32_t tree_subtree_end(const struct node *nodes, uint32_t i)
{
    return i + nodes[i].span;
}

/* Depth of the tree: a lone terminal has depth 0. Walks it, whatever its
 * nodes' heights say. */
int tree_depth(const struct tree *t);

/* Depth of the subtree starting at node i, by a walk. */
int tree_subtree_depth(const struct node *nodes, uint32_t i);

/* Depth at which node i sits (the root is at depth 0): the number of its
 * ancestors, found from the root down. */
int tree_node_level(const struct tree *t, uint32_t i);

/* The values of t's constants (its OP_CONST nodes, in prefix order) into
 * out (room for t->size). Returns their number. */
uint32_t tree_get_constants(const struct tree *t, double *out);

/* Sets t's constants, in prefix order, to the n doubles at values (host
 * order, possibly unaligned). Returns 0, or -1 (t unchanged) when t has
 * another number of constants. */
int tree_set_constants(struct tree *t, const void *values, uint32_t n);

/*
 * Checks that the tree is well formed: opcodes known, arities add up to
 * exactly one tree of `size` nodes, variables below nvars. Spans and
 * heights are not looked at (tree_set_shape makes them). Returns 0 or -1.
 */
int tree_check(const struct tree *t, int nvars);

/*
 * Replaces the subtree of dst starting at `at` with the subtree of src
 * starting at `from`, writing the result into out (which must not alias
 * dst or src), spans and all: only at's ancestors change size. Returns 0,
 * or -1 when the result would exceed out->cap.
 */
int tree_splice(struct tree *out, const struct tree *dst, uint32_t at,
                const struct tree *src, uint32_t from);

/* tree_splice when the subtrees' ends are known: at_end and from_end are
 * tree_subtree_end of dst at `at` and of src at `from`. */
int tree_splice_ends(struct tree *out, const struct tree *dst, uint32_t at,
                     uint32_t at_end, const struct tree *src, uint32_t from,
                     uint32_t from_end);

#endif
