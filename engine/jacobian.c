/* jacobian: a program's outputs and their exact derivatives in constants. */
#include "jacobian.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interp.h"
#include "prim.h"
#include "vmath.h"

/*
 * Reverse mode: a forward pass walks the prefix array backwards and keeps
 * every node's values for the block; then one sweep in prefix order takes
 * each node's adjoint (d output / d node, per row) to its arguments. A
 * node has one parent, so each adjoint is set once, never summed, and an
 * argument whose derivative is 1 shares its parent's block. Subtrees
 * without a constant get no adjoint. The cost is a few passes over the
 * tree whatever the number of constants, where forward mode would cost a
 * pass per constant.
 */

#define B JACOBIAN_BLOCK

int jacobian_init(struct jacobian *jc, size_t cap)
{
    memset(jc, 0, sizeof *jc);
    void *v = NULL, *a = NULL, *c = NULL;
    if (cap == 0)
        cap = 1;
    int bad = posix_memalign(&v, 64, cap * B * sizeof(double)) != 0;
    bad |= posix_memalign(&a, 64, cap * B * sizeof(double)) != 0;
    bad |= posix_memalign(&c, 64, 3 * B * sizeof(double)) != 0;
    jc->values = v;
    jc->adjoints = a;
    jc->ones = c;
    jc->val = calloc(cap, sizeof *jc->val);
    jc->adj = calloc(cap, sizeof *jc->adj);
    jc->args = calloc(3 * cap, sizeof *jc->args);
    jc->stack = calloc(cap, sizeof *jc->stack);
    jc->live = calloc(cap, 1);
    if (bad || !jc->val || !jc->adj || !jc->args || !jc->stack ||
        !jc->live) {
        jacobian_release(jc);
        return -1;
    }
    jc->zeros = jc->ones + B;
    jc->nans = jc->ones + 2 * B;
    for (size_t k = 0; k < B; k++) {
        jc->ones[k] = 1.0;
        jc->zeros[k] = 0.0;
        jc->nans[k] = NAN;
    }
    jc->cap = cap;
    return 0;
}

void jacobian_release(struct jacobian *jc)
{
    free(jc->values);
    free(jc->adjoints);
    free(jc->ones);
    free(jc->val);
    free(jc->adj);
    free(jc->args);
    free(jc->stack);
    free(jc->live);
    memset(jc, 0, sizeof *jc);
}

uint32_t jacobian_constants(const struct tree *t, uint32_t *at)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < t->size; i++)
        if (t->nodes[i].op == OP_CONST) {
            if (at)
                at[count] = i;
            count++;
        }
    return count;
}

void jacobian_scaling(const double *o, size_t n, double *col_a,
                      double *col_b)
{
    for (size_t k = 0; k < n; k++) {
        col_a[k] = 1.0;
        col_b[k] = o[k];
    }
}

/*
 * sin (want_cos 0) or cos (1) of a block, as vmath_sin and vmath_cos give
 * each value: vmath's reduction in a loop that vectorizes, glibc's for the
 * rare rows beyond it in a second pass (the interpreter's way, so the
 * same bits).
 */
static void trig(double *restrict out, const double *restrict x, size_t n,
                 int want_cos)
{
    int far = 0;
    for (size_t k = 0; k < n; k++) {
        double a = x[k];
        int near = vmath_trig_near(a);
        far |= !near;
        out[k] = near ? vmath_trig_reduced(a, want_cos) : 0.0;
    }
    if (far)
        for (size_t k = 0; k < n; k++)
            if (!vmath_trig_near(x[k]))
                out[k] = want_cos ? cos(x[k]) : sin(x[k]);
}

/* The block loops of the forward pass: a node's values never share memory
 * with its arguments' (each node has its own block), so they vectorize
 * without checks. */
#define MAP1(expr)                                                            \
    for (size_t k = 0; k < n; k++) {                                          \
        double a = x[k];                                                      \
        out[k] = (expr);                                                      \
    }                                                                         \
    break
#define MAP2(expr)                                                            \
    for (size_t k = 0; k < n; k++) {                                          \
        double a = x[k], b = y[k];                                            \
        out[k] = (expr);                                                      \
    }                                                                         \
    break

static inline double truth(int c)
{
    return c ? 1.0 : 0.0;
}

/* Node i's values into out, from its arguments' x, y, z. */
static void forward_node(unsigned op, double *restrict out,
                         const double *restrict x, const double *restrict y,
                         const double *restrict z, size_t n)
{
    int special = 0;
    switch (op) {
    case OP_ADD: MAP2(a + b);
    case OP_SUB: MAP2(a - b);
    case OP_MUL: MAP2(a * b);
    case OP_DIV:
        /* The quotient where b is 0 is interp_apply's, the reference,
         * whatever value the interpreter gives that point. */
        for (size_t k = 0; k < n; k++) {
            out[k] = x[k] / y[k];
            special |= y[k] == 0.0;
        }
        if (special)
            for (size_t k = 0; k < n; k++)
                if (y[k] == 0.0)
                    out[k] = interp_apply(OP_DIV, x[k], y[k]);
        break;
    case OP_NEG: MAP1(-a);
    case OP_ABS: MAP1(fabs(a));
    case OP_SQUARE: MAP1(a * a);
    case OP_SQRT: MAP1(sqrt(fabs(a)));
    case OP_EXP: MAP1(vmath_exp(a));
    case OP_LOG:
        /* log(|a|), and interp_apply's value at 0, as for the quotient. */
        for (size_t k = 0; k < n; k++) {
            out[k] = vmath_log(fabs(x[k]));
            special |= x[k] == 0.0;
        }
        if (special)
            for (size_t k = 0; k < n; k++)
                if (x[k] == 0.0)
                    out[k] = interp_apply(OP_LOG, x[k], 0.0);
        break;
    case OP_SIN: trig(out, x, n, 0); break;
    case OP_COS: trig(out, x, n, 1); break;
    case OP_TANH: MAP1(vmath_tanh(a));
    case OP_AQ: MAP2(a / sqrt(1.0 + b * b));
    case OP_MIN:
    case OP_MAX:
        /* Where a is NaN, interp_apply's value, whichever of a and b the
         * interpreter gives there. */
        for (size_t k = 0; k < n; k++) {
            double a = x[k], b = y[k];
            out[k] = op == OP_MIN ? (a < b ? a : b) : (a > b ? a : b);
            special |= a != a;
        }
        if (special)
            for (size_t k = 0; k < n; k++)
                if (x[k] != x[k])
                    out[k] = interp_apply(op, x[k], y[k]);
        break;
    case OP_AND: MAP2(truth(a != 0.0 && b != 0.0));
    case OP_OR: MAP2(truth(a != 0.0 || b != 0.0));
    case OP_NOT: MAP1(truth(a == 0.0));
    case OP_NAND: MAP2(truth(!(a != 0.0 && b != 0.0)));
    case OP_NOR: MAP2(truth(!(a != 0.0 || b != 0.0)));
    case OP_IF:
        for (size_t k = 0; k < n; k++)
            out[k] = x[k] != 0.0 ? y[k] : z[k];
        break;
    default:
        /* A plug-in's symbol means nothing here (NaN, as in the
         * interpreter); a built-in without a loop of its own is the
         * reference's, a row at a time. */
        for (size_t k = 0; k < n; k++)
            out[k] = op >= OP_COUNT ? NAN
                     : prim_arity(op) == 3
                         ? interp_apply3(op, x[k], y[k], z[k])
                         : interp_apply(op, x[k], y ? y[k] : 0.0);
        break;
    }
}

/* The forward pass over rows [row, row + n): every node's values in
 * jc->val, each function node's arguments in jc->args and whether a
 * subtree holds a constant in jc->live. */
static void forward(struct jacobian *jc, const struct tree *t,
                    const double *const *cols, size_t row, size_t n)
{
    const double **val = jc->val;
    unsigned char *live = jc->live;
    uint32_t *stack = jc->stack;
    size_t sp = 0;
    for (uint32_t i = t->size; i-- > 0;) {
        const struct node *nd = &t->nodes[i];
        double *out = jc->values + (size_t)i * B;
        if (nd->op == OP_VAR) {
            val[i] = cols[nd->var] + row;
            live[i] = 0;
            stack[sp++] = i;
            continue;
        }
        if (nd->op == OP_CONST) {
            for (size_t k = 0; k < n; k++)
                out[k] = nd->value;
            val[i] = out;
            live[i] = 1;
            stack[sp++] = i;
            continue;
        }
        int arity = prim_arity(nd->op);
        uint32_t *args = jc->args + 3 * (size_t)i;
        unsigned char any = 0;
        for (int j = 0; j < arity; j++) {
            args[j] = stack[sp - 1 - (size_t)j];
            any |= live[args[j]];
        }
        sp -= (size_t)arity;
        stack[sp++] = i;
        live[i] = any;
        /* (a plug-in's symbol may have no arguments) */
        forward_node(nd->op, out, arity > 0 ? val[args[0]] : NULL,
                     arity > 1 ? val[args[1]] : NULL,
                     arity > 2 ? val[args[2]] : NULL, n);
        val[i] = out;
    }
}

/* The adjoint block of node c, to be filled by its parent. */
static inline double *own(struct jacobian *jc, uint32_t c)
{
    double *d = jc->adjoints + (size_t)c * B;
    jc->adj[c] = d;
    return d;
}

/* Argument c's adjoint, when its subtree holds a constant, as g times the
 * local derivative expr (of a, b, the arguments' values, and o, the
 * node's, at row k). Where g is 0 the output does not depend on the node
 * (a branch not taken, a boolean's argument), so neither does it on the
 * argument: 0, even where the local derivative is not finite (an
 * overflowed exp), which would make it NaN. */
#define PASS(c, expr)                                                         \
    do {                                                                      \
        if (live[c]) {                                                        \
            double *restrict d_ = own(jc, (c));                               \
            for (size_t k = 0; k < n; k++) {                                  \
                double a = x[k], b = y ? y[k] : 0.0, o = v[k];                \
                (void)a, (void)b, (void)o;                                    \
                d_[k] = g[k] == 0.0 ? 0.0 : (expr);                           \
            }                                                                 \
        }                                                                     \
    } while (0)
/* Argument c's adjoint shared: the same block as another's. */
#define SHARE(c, p)                                                           \
    do {                                                                      \
        if (live[c])                                                          \
            jc->adj[c] = (p);                                                 \
    } while (0)

/* Node i's adjoint g taken to its arguments. */
static void backward_node(struct jacobian *jc, unsigned op, const double *g,
                          const uint32_t *args, const double *v, size_t n)
{
    const unsigned char *live = jc->live;
    int arity = prim_arity(op);
    const double *x = jc->val[args[0]];
    const double *y = arity > 1 ? jc->val[args[1]] : NULL;
    const double *z = arity > 2 ? jc->val[args[2]] : NULL;
    uint32_t c0 = args[0], c1 = args[1], c2 = args[2];
    switch (op) {
    case OP_ADD:
        SHARE(c0, g);
        SHARE(c1, g);
        break;
    case OP_SUB:
        SHARE(c0, g);
        PASS(c1, -g[k]);
        break;
    case OP_MUL:
        PASS(c0, g[k] * b);
        PASS(c1, g[k] * a);
        break;
    case OP_DIV:
        /* d/da = 1/b, d/db = -a/b^2 = -o/b */
        PASS(c0, b != 0.0 ? g[k] / b : 0.0);
        PASS(c1, b != 0.0 ? -(g[k] * o) / b : 0.0);
        break;
    case OP_NEG: PASS(c0, -g[k]); break;
    case OP_ABS: PASS(c0, a < 0.0 ? -g[k] : g[k]); break;
    case OP_SQUARE: PASS(c0, g[k] * (2.0 * a)); break;
    case OP_SQRT:
        /* d sqrt(|a|) / da = sign(a) / (2 sqrt(|a|)) */
        PASS(c0, a == 0.0 ? 0.0 : g[k] * ((a > 0.0 ? 0.5 : -0.5) / o));
        break;
    case OP_EXP: PASS(c0, g[k] * o); break;
    case OP_LOG: PASS(c0, a != 0.0 ? g[k] / a : 0.0); break;
    case OP_SIN:
    case OP_COS:
        if (live[c0]) {
            /* sin' = cos, cos' = -sin, of forkgp's own */
            double *restrict d = own(jc, c0);
            trig(d, x, n, op == OP_SIN);
            if (op == OP_SIN)
                for (size_t k = 0; k < n; k++)
                    d[k] = g[k] == 0.0 ? 0.0 : g[k] * d[k];
            else
                for (size_t k = 0; k < n; k++)
                    d[k] = g[k] == 0.0 ? 0.0 : -(g[k] * d[k]);
        }
        break;
    case OP_TANH:
        /* 1 - tanh^2 = 4e / (1 + e)^2 with e = exp(-2|a|): no cancellation
         * where tanh rounds to +-1. */
        if (live[c0]) {
            double *restrict d = own(jc, c0);
            for (size_t k = 0; k < n; k++) {
                double e = vmath_exp(-2.0 * fabs(x[k]));
                double s = 1.0 + e;
                d[k] = g[k] == 0.0 ? 0.0 : g[k] * (4.0 * e / (s * s));
            }
        }
        break;
    case OP_AQ:
        PASS(c0, g[k] / sqrt(1.0 + b * b));
        PASS(c1, -(g[k] * o) * (b / (1.0 + b * b)));
        break;
    case OP_MIN:
        PASS(c0, a < b ? g[k] : 0.0);
        PASS(c1, a < b ? 0.0 : g[k]);
        break;
    case OP_MAX:
        PASS(c0, a > b ? g[k] : 0.0);
        PASS(c1, a > b ? 0.0 : g[k]);
        break;
    case OP_IF:
        SHARE(c0, jc->zeros);
        PASS(c1, a != 0.0 ? g[k] : 0.0);
        if (live[c2]) {
            double *restrict d = own(jc, c2);
            for (size_t k = 0; k < n; k++)
                d[k] = x[k] != 0.0 ? 0.0 : g[k];
        }
        break;
    case OP_AND:
    case OP_OR:
    case OP_NOT:
    case OP_NAND:
    case OP_NOR:
        for (int j = 0; j < arity; j++)
            SHARE(args[j], jc->zeros);
        break;
    default:
        for (int j = 0; j < arity; j++)
            SHARE(args[j], jc->nans);
        break;
    }
    (void)z;
}

void jacobian_block(struct jacobian *jc, const struct tree *t,
                    const double *const *cols, size_t row, size_t n,
                    const double *seed, double *out, double *jac, size_t ld)
{
    forward(jc, t, cols, row, n);
    memcpy(out, jc->val[0], n * sizeof *out);
    if (!jac)
        return;
    /* The sweep in prefix order: a node's adjoint is complete before its
     * arguments' are made from it, and the constants come in column
     * order. */
    const unsigned char *live = jc->live;
    jc->adj[0] = seed ? seed : jc->ones;
    size_t col = 0;
    for (uint32_t i = 0; i < t->size; i++) {
        if (!live[i])
            continue;
        unsigned op = t->nodes[i].op;
        if (op == OP_CONST) {
            memcpy(jac + col * ld, jc->adj[i], n * sizeof *jac);
            col++;
            continue;
        }
        backward_node(jc, op, jc->adj[i], jc->args + 3 * (size_t)i,
                      jc->val[i], n);
    }
}
