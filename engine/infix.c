/* infix: programs printed as infix expressions that SymPy's sympify reads. */
#include "infix.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

void infix_number(FILE *out, double v)
{
    char buf[40];
    /* Whole numbers as such: 100, not 1e+02. */
    if (v == trunc(v) && fabs(v) < 1e15) {
        fprintf(out, "%.0f", v);
        return;
    }
    /* A normal double with a decimal of at most 15 digits prints as that
     * decimal at %.15g (trailing zeros dropped), which is then the
     * shortest that reads back; else 16 or 17 digits are needed (17
     * always do). Subnormals have fewer digits of precision: try all. */
    for (int digits = fabs(v) < DBL_MIN ? 1 : 15; digits <= 17; digits++) {
        snprintf(buf, sizeof buf, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    fputs(buf, out);
}

/* Writes the subtree at node i; returns the index just past it. */
static uint32_t write_node(FILE *out, const struct tree *t,
                           const struct primset *ps, uint32_t i)
{
    const struct node *nd = &t->nodes[i++];
    switch (nd->op) {
    case OP_VAR:
        fputs(ps->var_names[nd->var], out);
        return i;
    case OP_CONST:
        /* Negative numbers in parentheses, so "a - -1" never appears. */
        if (signbit(nd->value))
            fputc('(', out);
        infix_number(out, nd->value);
        if (signbit(nd->value))
            fputc(')', out);
        return i;
    case OP_NEG:
        /* neg of a number as "(-(2))", so it never reads back as the
         * constant -2 (which prints "(-2)"). */
        if (t->nodes[i].op == OP_CONST) {
            fputs("(-(", out);
            i = write_node(out, t, ps, i);
            fputs("))", out);
            return i;
        }
        fputs("(-", out);
        i = write_node(out, t, ps, i);
        fputc(')', out);
        return i;
    case OP_SQUARE:
        fputc('(', out);
        i = write_node(out, t, ps, i);
        fputs("**2)", out);
        return i;
    default:
        break;
    }
    const char *infix = nd->op < OP_COUNT ? prim_table[nd->op].infix : NULL;
    int arity = prim_arity(nd->op);
    if (infix) {
        fputc('(', out);
        i = write_node(out, t, ps, i);
        fprintf(out, " %s ", infix);
        i = write_node(out, t, ps, i);
        fputc(')', out);
        return i;
    }
    /* By name: a plug-in's terminal symbol bare, anything else called. */
    fputs(primset_name(ps, nd->op), out);
    if (arity == 0)
        return i;
    fputc('(', out);
    for (int a = 0; a < arity; a++) {
        if (a)
            fputs(", ", out);
        i = write_node(out, t, ps, i);
    }
    fputc(')', out);
    return i;
}

void infix_write(FILE *out, const struct tree *t, const struct primset *ps)
{
    if (t->size > 0)
        write_node(out, t, ps, 0);
}
