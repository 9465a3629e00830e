/* simplify: a program with its constants folded and identities taken out,
 * checked against the data it was trained on. */
#include "simplify.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"
#include "infix.h"
#include "interp.h"

/*
 * One pass, bottom up: each node's arguments are simplified first (into
 * out, in prefix order after the node), then the node is rewritten in
 * place, by taking one argument's subtree in its stead, folding it into a
 * constant, or changing its opcode. The rewrites never add nodes.
 */
struct pass {
    const struct tree *in;
    struct tree *out;
    int finite_only; /* the rewrites that hold where x is finite, too */
};

/* A node with op and nothing else, as trees hold functions. */
static struct node bare(unsigned op)
{
    struct node n;
    memset(&n, 0, sizeof n);
    n.op = (uint16_t)op;
    return n;
}

static struct node constant(double v)
{
    struct node n = bare(OP_CONST);
    n.value = v;
    return n;
}

/* Whether the subtree at i is one constant of value v (compared with ==,
 * so 0 matches -0 too). */
static int is_const(const struct tree *t, uint32_t i, uint32_t end, double v)
{
    return end == i + 1 && t->nodes[i].op == OP_CONST && t->nodes[i].value == v;
}

/* Whether the subtrees [a, a_end) and [b, b_end) are the same program. */
static int same_subtree(const struct tree *t, uint32_t a, uint32_t a_end,
                        uint32_t b, uint32_t b_end)
{
    if (a_end - a != b_end - b)
        return 0;
    for (uint32_t k = 0; k < a_end - a; k++) {
        const struct node *x = &t->nodes[a + k], *y = &t->nodes[b + k];
        if (x->op != y->op || (x->op == OP_VAR && x->var != y->var) ||
            (x->op == OP_CONST &&
             memcmp(&x->value, &y->value, sizeof x->value) != 0))
            return 0;
    }
    return 1;
}

/* Replaces the subtree at `at` (which ends at out->size) with its part
 * [from, to). */
static void keep(struct tree *t, uint32_t at, uint32_t from, uint32_t to)
{
    memmove(&t->nodes[at], &t->nodes[from], (to - from) * sizeof t->nodes[0]);
    t->size = at + (to - from);
}

/* Replaces the subtree at `at` with op over the subtree [from, to). */
static void wrap(struct tree *t, uint32_t at, unsigned op, uint32_t from,
                 uint32_t to)
{
    memmove(&t->nodes[at + 1], &t->nodes[from],
            (to - from) * sizeof t->nodes[0]);
    t->nodes[at] = bare(op);
    t->size = at + 1 + (to - from);
}

/* Replaces the subtree at `at` with one constant. */
static void fold(struct tree *t, uint32_t at, double v)
{
    t->nodes[at] = constant(v);
    t->size = at + 1;
}

/*
 * Rewrites the node at `at`, whose arguments start at arg[0..arity) and
 * end at arg[arity] (out->size). Every rewrite keeps forkgp's value
 * (interp_apply's) for every double, up to the sign of a zero, except
 * those under finite_only, which keep it where their x is finite.
 */
static void rewrite(struct pass *p, uint32_t at, const uint32_t *arg,
                    int arity)
{
    struct tree *t = p->out;
    struct node *n = t->nodes;
    unsigned op = n[at].op;
    if (op >= OP_COUNT)
        return; /* a plug-in's symbol: its meaning is the plug-in's */
    int consts = 1;
    double c[PRIM_MAX_ARITY] = {0};
    for (int a = 0; a < arity; a++) {
        consts &= arg[a + 1] == arg[a] + 1 && n[arg[a]].op == OP_CONST;
        c[a] = n[arg[a]].value;
    }
    if (consts) {
        double v = interp_apply3(op, c[0], c[1], c[2]);
        if (isfinite(v)) /* a program's constants are finite */
            fold(t, at, v);
        return;
    }
    uint32_t x = arg[0], x_end = arg[1];
    uint32_t y = arity > 1 ? arg[1] : 0, y_end = arity > 1 ? arg[2] : 0;
    int fin = p->finite_only;
    switch (op) {
    case OP_ADD:
        if (is_const(t, y, y_end, 0.0))
            keep(t, at, x, x_end);
        else if (is_const(t, x, x_end, 0.0))
            keep(t, at, y, y_end);
        else if (y_end == y + 1 && n[y].op == OP_CONST && n[y].value < 0) {
            n[at].op = OP_SUB; /* x + (-c) is x - c */
            n[y].value = -n[y].value;
        } else if (n[y].op == OP_NEG) {
            n[at].op = OP_SUB; /* x + (-e) is x - e */
            keep(t, y, y + 1, y_end);
        } else if (n[x].op == OP_NEG) {
            /* (-e) + y is y - e: the arguments change places. */
            uint32_t e = x_end - x - 1, m = y_end - y;
            struct node *tmp = malloc((e + m) * sizeof *tmp);
            if (!tmp)
                return;
            memcpy(tmp, &n[y], m * sizeof *tmp);
            memcpy(tmp + m, &n[x + 1], e * sizeof *tmp);
            n[at].op = OP_SUB;
            memcpy(&n[at + 1], tmp, (e + m) * sizeof *tmp);
            t->size = at + 1 + e + m;
            free(tmp);
        }
        return;
    case OP_SUB:
        if (is_const(t, y, y_end, 0.0))
            keep(t, at, x, x_end);
        else if (is_const(t, x, x_end, 0.0))
            wrap(t, at, OP_NEG, y, y_end);
        else if (fin && same_subtree(t, x, x_end, y, y_end))
            fold(t, at, 0.0);
        else if (y_end == y + 1 && n[y].op == OP_CONST && n[y].value < 0) {
            n[at].op = OP_ADD; /* x - (-c) is x + c */
            n[y].value = -n[y].value;
        } else if (n[y].op == OP_NEG) {
            n[at].op = OP_ADD; /* x - (-e) is x + e */
            keep(t, y, y + 1, y_end);
        }
        return;
    case OP_MUL:
        if (is_const(t, y, y_end, 1.0))
            keep(t, at, x, x_end);
        else if (is_const(t, x, x_end, 1.0))
            keep(t, at, y, y_end);
        else if (is_const(t, y, y_end, -1.0))
            wrap(t, at, OP_NEG, x, x_end);
        else if (is_const(t, x, x_end, -1.0))
            wrap(t, at, OP_NEG, y, y_end);
        else if (fin && (is_const(t, x, x_end, 0.0) ||
                         is_const(t, y, y_end, 0.0)))
            fold(t, at, 0.0);
        else if (same_subtree(t, x, x_end, y, y_end))
            wrap(t, at, OP_SQUARE, x, x_end); /* x * x is square's x * x */
        return;
    case OP_DIV:
        if (is_const(t, y, y_end, 1.0))
            keep(t, at, x, x_end);
        else if (is_const(t, y, y_end, -1.0))
            wrap(t, at, OP_NEG, x, x_end);
        else if (fin && same_subtree(t, x, x_end, y, y_end))
            fold(t, at, 1.0);
        else if (fin && is_const(t, x, x_end, 0.0))
            fold(t, at, 0.0);
        return;
    case OP_AQ:
        if (is_const(t, y, y_end, 0.0))
            keep(t, at, x, x_end); /* a / sqrt(1 + 0) is a / 1 */
        else if (fin && is_const(t, x, x_end, 0.0))
            fold(t, at, 0.0);
        return;
    case OP_NEG:
        if (n[x].op == OP_NEG)
            keep(t, at, x + 1, x_end);
        return;
    case OP_ABS:
        /* Already >= 0 (or NaN): abs changes nothing. */
        if (n[x].op == OP_ABS || n[x].op == OP_SQUARE ||
            n[x].op == OP_SQRT || n[x].op == OP_EXP)
            keep(t, at, x, x_end);
        else if (n[x].op == OP_NEG)
            keep(t, at + 1, x + 1, x_end);
        return;
    case OP_SQUARE:
    case OP_SQRT:
    case OP_LOG:
        /* Each is the same for -x and x, and sqrt and log take abs. */
        if (n[x].op == OP_NEG || n[x].op == OP_ABS)
            keep(t, at + 1, x + 1, x_end);
        return;
    case OP_MIN:
    case OP_MAX:
        if (same_subtree(t, x, x_end, y, y_end))
            keep(t, at, x, x_end);
        return;
    case OP_AND:
    case OP_NAND:
        /* One false argument: false, whatever the other. */
        if (is_const(t, x, x_end, 0.0) || is_const(t, y, y_end, 0.0))
            fold(t, at, op == OP_AND ? 0.0 : 1.0);
        return;
    case OP_OR:
    case OP_NOR:
        if ((x_end == x + 1 && n[x].op == OP_CONST && n[x].value != 0.0) ||
            (y_end == y + 1 && n[y].op == OP_CONST && n[y].value != 0.0))
            fold(t, at, op == OP_OR ? 1.0 : 0.0);
        return;
    case OP_IF:
        if (x_end == x + 1 && n[x].op == OP_CONST && n[x].value != 0.0)
            keep(t, at, y, y_end);
        else if (x_end == x + 1 && n[x].op == OP_CONST)
            keep(t, at, y_end, arg[3]);
        else if (same_subtree(t, y, y_end, y_end, arg[3]))
            keep(t, at, y, y_end);
        return;
    default:
        return;
    }
}

/* Appends the simplified subtree of p->in at node i to p->out; returns
 * the index just past that subtree in p->in. */
static uint32_t simplify_node(struct pass *p, uint32_t i)
{
    const struct node *nd = &p->in->nodes[i];
    struct tree *t = p->out;
    uint32_t at = t->size;
    t->nodes[t->size++] = *nd;
    int arity = prim_arity(nd->op);
    if (arity == 0)
        return i + 1;
    uint32_t arg[PRIM_MAX_ARITY + 1];
    uint32_t j = i + 1;
    for (int a = 0; a < arity; a++) {
        arg[a] = t->size;
        j = simplify_node(p, j);
    }
    arg[arity] = t->size;
    rewrite(p, at, arg, arity);
    return j;
}

/* Simplifies in into out, pass after pass until one changes nothing. */
static void simplify_passes(struct tree *out, const struct tree *in,
                            int finite_only)
{
    tree_copy(out, in);
    for (int round = 0; round < 16; round++) {
        struct node *was = malloc(out->size * sizeof *was);
        if (!was)
            break;
        uint32_t was_size = out->size;
        memcpy(was, out->nodes, out->size * sizeof *was);
        struct tree from = {was_size, was_size, was};
        struct pass p = {&from, out, finite_only};
        out->size = 0;
        simplify_node(&p, 0);
        tree_set_shape(out);
        int same = out->size == was_size &&
                   memcmp(out->nodes, was, was_size * sizeof *was) == 0;
        free(was);
        if (same)
            break;
    }
}

/* Whether a and b agree as simplify_tree's check asks. */
static int agree(double a, double b)
{
    if (isnan(a) || isnan(b))
        return isnan(a) && isnan(b);
    if (a == b)
        return 1;
    return isfinite(a) && isfinite(b) &&
           fabs(a - b) <= SIMPLIFY_TOLERANCE * fmax(fabs(a), fabs(b));
}

/* Whether a and b agree on every row: 1, 0, or -1 out of memory. */
static int agree_on_rows(const struct tree *a, const struct tree *b,
                         const double *const *cols, size_t nrows)
{
    struct interp ia, ib;
    if (interp_init(&ia, a->size) < 0)
        return -1;
    if (interp_init(&ib, b->size) < 0) {
        interp_release(&ia);
        return -1;
    }
    int ok = 1;
    for (size_t row = 0; ok && row < nrows; row += INTERP_BLOCK) {
        size_t n = nrows - row < INTERP_BLOCK ? nrows - row : INTERP_BLOCK;
        const double *va = interp_block(&ia, a, cols, row, n);
        const double *vb = interp_block(&ib, b, cols, row, n);
        for (size_t k = 0; ok && k < n; k++)
            ok = agree(va[k], vb[k]);
    }
    interp_release(&ia);
    interp_release(&ib);
    return ok;
}

int simplify_tree(struct tree *out, const struct tree *t,
                  const double *const *cols, size_t nrows)
{
    if (t->size == 0) {
        tree_copy(out, t);
        return 0;
    }
    for (int finite_only = nrows > 0; finite_only >= 0; finite_only--) {
        simplify_passes(out, t, finite_only);
        if (out->size == t->size &&
            memcmp(out->nodes, t->nodes, t->size * sizeof *t->nodes) == 0)
            continue;
        if (nrows == 0)
            return 1;
        int ok = agree_on_rows(t, out, cols, nrows);
        if (ok < 0)
            break;
        if (ok)
            return 1;
    }
    tree_copy(out, t);
    return 0;
}

/* Appends "simplified = " and the text of s with `digits` digits (0: all)
 * and a newline to b. */
static int simplified_line(struct buf *b, const struct tree *s,
                           const struct primset *ps, int digits)
{
    static const char key[] = "simplified = ";
    if (buf_put(b, key, sizeof key - 1) < 0 ||
        infix_append_digits(b, s, ps, digits) < 0 || buf_put(b, "\n", 1) < 0)
        return -1;
    return 0;
}

int simplify_lines(char **text, size_t *len, FILE *screen,
                   const struct tree *t, const struct primset *ps,
                   const struct dataset *train, int digits)
{
    const double *cols[PRIM_MAX_VARS];
    size_t nrows = 0;
    if (train) {
        nrows = train->nrows;
        for (int k = 0; k < ps->nvars && nrows > 0; k++) {
            int c = dataset_find(train, ps->var_names[k]);
            if (c < 0)
                nrows = 0;
            else
                cols[k] = train->cols[c];
        }
    }
    struct tree s;
    struct buf full, brief;
    buf_init(&full);
    buf_init(&brief);
    int rc = -1;
    if (tree_init(&s, t->size > 0 ? t->size : 1) == 0 &&
        simplify_tree(&s, t, cols, nrows) >= 0 &&
        simplified_line(&full, &s, ps, 0) == 0 &&
        simplified_line(&brief, &s, ps, digits) == 0) {
        char *grown = realloc(*text, *len + full.len + 1);
        if (grown) {
            memcpy(grown + *len, full.data, full.len);
            *len += full.len;
            grown[*len] = '\0';
            *text = grown;
            fwrite(brief.data, 1, brief.len, screen);
            rc = 0;
        }
    }
    tree_release(&s);
    buf_release(&full);
    buf_release(&brief);
    return rc;
}
