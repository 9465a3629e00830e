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

int model_of(struct tree *out, const struct individual *x)
{
    if (model_tree(out, &x->tree, &x->scaling) < 0)
        return -1;
    if (x->ntuned == 0)
        return 0;
    /* The program's nodes follow the scaling's. */
    uint32_t k = 0;
    for (uint32_t i = out->size - x->tree.size; i < out->size; i++)
        if (out->nodes[i].op == OP_CONST && k < x->ntuned)
            out->nodes[i].value = x->tuned[k++];
    return 0;
}
