/* prim: the primitive table (functions and terminals) and a run's set. */
#include "prim.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The one place where each primitive's name, arity, protection and printed
 * form live; the README's function table is printed from it (forkgp help
 * functions). NaN counts as nonzero, as C's tests do. */
const struct prim_info prim_table[OP_COUNT] = {
    [OP_VAR] = {"<var>", 0, NULL, "a data column", NULL},
    [OP_CONST] = {"<const>", 0, NULL, "a constant", NULL},
    [OP_ADD] = {"add", 2, "+", "a + b; overflow gives inf (invalid)", NULL},
    [OP_SUB] = {"sub", 2, "-", "a - b; overflow gives inf (invalid)", NULL},
    [OP_MUL] = {"mul", 2, "*", "a * b; overflow gives inf (invalid)", NULL},
    [OP_DIV] = {"div", 2, "/",
                "a / b, IEEE: b == 0 gives inf or NaN (invalid; aq is the "
                "protected division)",
                NULL},
    [OP_NEG] = {"neg", 1, NULL, "-a", NULL},
    [OP_ABS] = {"abs", 1, NULL, "the absolute value of a", NULL},
    [OP_SQUARE] = {"square", 1, NULL, "a * a", NULL},
    [OP_SQRT] = {"sqrt", 1, NULL, "the square root of abs(a)",
                 "sqrt(abs(%1))"},
    [OP_EXP] = {"exp", 1, NULL,
                "e^a (within 1 ulp, below); overflow gives inf (invalid)",
                NULL},
    [OP_LOG] = {"log", 1, NULL,
                "the natural log of abs(a) (within 1 ulp); -inf when a == 0 "
                "(invalid)",
                "log(abs(%1))"},
    [OP_SIN] = {"sin", 1, NULL, "sin(a) (within 1 ulp)", NULL},
    [OP_COS] = {"cos", 1, NULL, "cos(a) (within 1 ulp)", NULL},
    [OP_TANH] = {"tanh", 1, NULL, "tanh(a) (within 1 ulp)", NULL},
    [OP_MIN] = {"min", 2, NULL,
                "the smaller of a and b; NaN when either is (as NumPy's)",
                "Min(%1, %2)"},
    [OP_MAX] = {"max", 2, NULL,
                "the larger of a and b; NaN when either is (as NumPy's)",
                "Max(%1, %2)"},
    [OP_AND] = {"and", 2, NULL, "1 when a and b are both nonzero, else 0",
                "Piecewise((1, And(Ne(%1, 0), Ne(%2, 0))), (0, True))"},
    [OP_OR] = {"or", 2, NULL, "1 when a or b is nonzero, else 0",
               "Piecewise((1, Or(Ne(%1, 0), Ne(%2, 0))), (0, True))"},
    [OP_NOT] = {"not", 1, NULL, "1 when a is 0, else 0",
                "Piecewise((1, Not(Ne(%1, 0))), (0, True))"},
    [OP_NAND] = {"nand", 2, NULL, "not(and(a, b))",
                 "Piecewise((1, Nand(Ne(%1, 0), Ne(%2, 0))), (0, True))"},
    [OP_NOR] = {"nor", 2, NULL, "not(or(a, b))",
                "Piecewise((1, Nor(Ne(%1, 0), Ne(%2, 0))), (0, True))"},
    [OP_IF] = {"if", 3, NULL, "b when a is nonzero, else c",
               "Piecewise((%2, Ne(%1, 0)), (%3, True))"},
    [OP_AQ] = {"aq", 2, NULL,
               "the analytic quotient a / sqrt(1 + b*b): a smooth division "
               "that never divides by 0",
               "(%1 / sqrt(1 + %2**2))"},
};

int prim_lookup(const char *name)
{
    for (int op = OP_ADD; op < OP_COUNT; op++)
        if (strcmp(prim_table[op].name, name) == 0)
            return op;
    return -1;
}

/* Splits a comma-separated list in place, calling fn on each trimmed item
 * (an empty one too: "add,,mul" has one, which the callers refuse, where
 * strtok would skip it); stops at the first nonzero return. An empty or
 * all-blank list has no items. */
static int for_each_item(char *list, int (*fn)(void *, char *), void *arg)
{
    if (*text_trim(list) == '\0')
        return 0;
    for (char *tok = list;;) {
        char *comma = strchr(tok, ',');
        if (comma)
            *comma = '\0';
        int rc = fn(arg, text_trim(tok));
        if (rc || !comma)
            return rc;
        tok = comma + 1;
    }
}

#define EMPTY_ITEM "an empty item in the list (two commas in a row, or one at an end)"

struct parse_ctx {
    struct primset *ps;
    struct error *err;
};

static int add_function(void *arg, char *name)
{
    struct parse_ctx *c = arg;
    if (*name == '\0') {
        error_set(c->err, EMPTY_ITEM);
        return -1;
    }
    int op = prim_lookup(name);
    if (op < 0) {
        const char *names[OP_COUNT + PRIM_MAX_SYMBOLS] = {0};
        for (int i = OP_ADD; i < OP_COUNT; i++)
            names[i] = prim_table[i].name;
        for (int k = 0; k < c->ps->nsymbols; k++)
            names[OP_COUNT + k] = c->ps->sym_names[k];
        const char *near =
            text_suggest(name, names, OP_COUNT + (size_t)c->ps->nsymbols);
        if (near)
            error_set(c->err, "unknown function '%s'; did you mean '%s'?", name, near);
        else
            error_set(c->err, "unknown function '%s' (see: forkgp help functions)",
                     name);
        return -1;
    }
    for (int i = 0; i < c->ps->nfuncs; i++)
        if (c->ps->funcs[i] == op) {
            error_set(c->err, "function '%s' listed twice", name);
            return -1;
        }
    c->ps->funcs[c->ps->nfuncs++] = (uint16_t)op;
    return 0;
}

int prim_parse_functions(struct primset *ps, const char *list,
                         struct error *err)
{
    char *copy = strdup(list);
    if (!copy) {
        error_set(err, "out of memory");
        return -1;
    }
    struct parse_ctx c = {ps, err};
    int before = ps->nfuncs;
    int rc = for_each_item(copy, add_function, &c);
    free(copy);
    if (rc == 0 && ps->nfuncs == before) {
        error_set(err, "no functions given");
        rc = -1;
    }
    return rc;
}

static int parse_constant(const char *s, double *out)
{
    if (strcmp(s, "pi") == 0) {
        *out = 3.14159265358979323846;
        return 0;
    }
    if (strcmp(s, "e") == 0) {
        *out = 2.71828182845904523536;
        return 0;
    }
    return text_to_double(s, out);
}

static int add_constant(void *arg, char *item)
{
    struct parse_ctx c = *(struct parse_ctx *)arg;
    struct primset *ps = c.ps;
    if (*item == '\0') {
        error_set(c.err, EMPTY_ITEM);
        return -1;
    }
    if (ps->nconsts + ps->nranges >= PRIM_MAX_CONSTS) {
        error_set(c.err, "more than %d constants and ranges", PRIM_MAX_CONSTS);
        return -1;
    }
    char *dots = strstr(item, "..");
    if (!dots) {
        if (parse_constant(item, &ps->consts[ps->nconsts]) < 0) {
            error_set(c.err, "expected a number, pi, e or a range LO..HI, got '%s'",
                     item);
            return -1;
        }
        ps->nconsts++;
        return 0;
    }
    *dots = '\0';
    char *lo_s = text_trim(item), *hi_s = text_trim(dots + 2);
    double lo, hi;
    if (parse_constant(lo_s, &lo) < 0 || parse_constant(hi_s, &hi) < 0 ||
        !(lo < hi) || !isfinite(hi - lo)) {
        error_set(c.err, "expected a range LO..HI with LO < HI (and HI - LO finite), "
                 "got '%s..%s'",
                 lo_s,
                 hi_s);
        return -1;
    }
    ps->range_lo[ps->nranges] = lo;
    ps->range_hi[ps->nranges] = hi;
    ps->nranges++;
    return 0;
}

int prim_parse_constants(struct primset *ps, const char *spec,
                         struct error *err)
{
    ps->nconsts = 0;
    ps->nranges = 0;
    char *copy = strdup(spec);
    if (!copy) {
        error_set(err, "out of memory");
        return -1;
    }
    struct parse_ctx c = {ps, err};
    int rc = 0;
    if (*text_trim(copy) != '\0')
        rc = for_each_item(copy, add_constant, &c);
    free(copy);
    return rc;
}

int prim_add_symbol(struct primset *ps, const char *name, int arity,
                    struct error *err)
{
    if (arity < 0 || arity > PRIM_MAX_ARITY) {
        error_set(err, "symbol '%s': arity %d is not 0..%d", name, arity,
                 PRIM_MAX_ARITY);
        return -1;
    }
    if (ps->nsymbols == PRIM_MAX_SYMBOLS) {
        error_set(err, "more than %d symbols",
                 PRIM_MAX_SYMBOLS);
        return -1;
    }
    size_t len = strlen(name);
    int ident = len > 0 && len < sizeof ps->sym_names[0] &&
                (isalpha((unsigned char)name[0]) || name[0] == '_');
    for (size_t i = 0; ident && i < len; i++)
        ident = isalnum((unsigned char)name[i]) || name[i] == '_';
    if (!ident) {
        error_set(err, "symbol '%s' is not a name (letters, digits, _; at most "
                 "31)",
                 name);
        return -1;
    }
    int taken = prim_lookup(name) >= 0 || strcmp(name, "pi") == 0 ||
                strcmp(name, "e") == 0;
    for (int k = 0; k < ps->nsymbols; k++)
        taken |= strcmp(ps->sym_names[k], name) == 0;
    for (int k = 0; k < ps->nvars; k++)
        taken |= strcmp(ps->var_names[k], name) == 0;
    if (taken) {
        error_set(err, "symbol '%s' is declared twice",
                 name);
        return -1;
    }
    /* Its index among the symbols of the same arity, for the opcode. */
    int same = 0;
    for (int k = 0; k < ps->nsymbols; k++)
        same += prim_arity(ps->sym_ops[k]) == arity;
    int k = ps->nsymbols++;
    snprintf(ps->sym_names[k], sizeof ps->sym_names[k], "%s", name);
    ps->sym_ops[k] = (uint16_t)prim_symbol_op(arity, same);
    if (arity == 0)
        ps->symterms[ps->nsymterms++] = ps->sym_ops[k];
    else
        ps->funcs[ps->nfuncs++] = ps->sym_ops[k];
    return k;
}

const char *primset_name(const struct primset *ps, unsigned op)
{
    if (op < OP_COUNT)
        return prim_table[op].name;
    for (int k = 0; k < ps->nsymbols; k++)
        if (ps->sym_ops[k] == op)
            return ps->sym_names[k];
    return "?";
}

int primset_nterminals(const struct primset *ps)
{
    return ps->nvars + ps->nconsts + ps->nranges + ps->nsymterms;
}
