/* model: a scored program as the model its score measures. */
#include "model.h"

#include <string.h>

static struct node constant(double v)
{
    struct node nd;
    memset(&nd, 0, sizeof nd);
    nd.op = OP_CONST;
    nd.span = 1;
    nd.value = v;
    return nd;
}

static struct node function(unsigned op)
{
    struct node nd;
    memset(&nd, 0, sizeof nd);
    nd.op = (uint16_t)op;
    return nd;
}

int model_tree(struct tree *out, const struct tree *t,
               const struct scaling *s)
{
    if (!s || !s->on) {
        if (out->cap < t->size)
            return -1;
        tree_copy(out, t);
        return 0;
    }
    if (out->cap < t->size + MODEL_EXTRA_NODES)
        return -1;
    struct node *nd = out->nodes;
    nd[0] = function(OP_ADD);
    nd[1] = constant(s->intercept);
    nd[2] = function(OP_MUL);
    nd[3] = constant(s->slope);
    memcpy(nd + MODEL_EXTRA_NODES, t->nodes, t->size * sizeof *nd);
    out->size = t->size + MODEL_EXTRA_NODES;
    tree_set_shape(out);
    return 0;
}
