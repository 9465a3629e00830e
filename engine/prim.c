/* prim: the primitive table (functions and terminals) and a run's set. */
#include "prim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

/* The one place where each primitive's name, arity and protection live;
 * the README's protection table is printed from it (forkgp help functions). */
const struct prim_info prim_table[OP_COUNT] = {
    [OP_VAR] = {"<var>", 0, NULL, "a data column"},
    [OP_CONST] = {"<const>", 0, NULL, "a constant"},
    [OP_ADD] = {"add", 2, "+", "a + b; overflow gives inf (invalid)"},
    [OP_SUB] = {"sub", 2, "-", "a - b; overflow gives inf (invalid)"},
    [OP_MUL] = {"mul", 2, "*", "a * b; overflow gives inf (invalid)"},
    [OP_DIV] = {"div", 2, "/",
                "a / b, but 1 when b == 0; overflow gives inf (invalid)"},
    [OP_NEG] = {"neg", 1, NULL, "-a"},
    [OP_ABS] = {"abs", 1, NULL, "the absolute value of a"},
    [OP_SQUARE] = {"square", 1, NULL, "a * a"},
    [OP_SQRT] = {"sqrt", 1, NULL, "the square root of abs(a)"},
    [OP_EXP] = {"exp", 1, NULL, "e^a; overflow gives inf (invalid)"},
    [OP_LOG] = {"log", 1, NULL, "the natural log of abs(a), but 0 when a == 0"},
    [OP_SIN] = {"sin", 1, NULL, "sin(a)"},
    [OP_COS] = {"cos", 1, NULL, "cos(a)"},
    [OP_TANH] = {"tanh", 1, NULL, "tanh(a)"},
    [OP_MIN] = {"min", 2, NULL, "the smaller of a and b (b when unordered)"},
    [OP_MAX] = {"max", 2, NULL, "the larger of a and b (b when unordered)"},
};

int prim_lookup(const char *name)
{
    for (int op = OP_ADD; op < OP_COUNT; op++)
        if (strcmp(prim_table[op].name, name) == 0)
            return op;
    return -1;
}

/* Splits a comma-separated list in place, calling fn on each trimmed item;
 * stops at the first nonzero return. */
static int for_each_item(char *list, int (*fn)(void *, char *), void *arg)
{
    char *save = NULL;
    for (char *tok = strtok_r(list, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        int rc = fn(arg, text_trim(tok));
        if (rc)
            return rc;
    }
    return 0;
}

struct parse_ctx {
    struct primset *ps;
    struct prim_error *err;
};

static int add_function(void *arg, char *name)
{
    struct parse_ctx *c = arg;
    if (*name == '\0') {
        snprintf(c->err->msg, sizeof c->err->msg, "empty function name");
        return -1;
    }
    int op = prim_lookup(name);
    if (op < 0) {
        const char *names[OP_COUNT] = {0};
        for (int i = OP_ADD; i < OP_COUNT; i++)
            names[i] = prim_table[i].name;
        const char *near = text_suggest(name, names, OP_COUNT);
        if (near)
            snprintf(c->err->msg, sizeof c->err->msg,
                     "unknown function '%s'; did you mean '%s'?", name, near);
        else
            snprintf(c->err->msg, sizeof c->err->msg,
                     "unknown function '%s' (see: forkgp help functions)",
                     name);
        return -1;
    }
    for (int i = 0; i < c->ps->nfuncs; i++)
        if (c->ps->funcs[i] == op) {
            snprintf(c->err->msg, sizeof c->err->msg,
                     "function '%s' listed twice", name);
            return -1;
        }
    c->ps->funcs[c->ps->nfuncs++] = (uint16_t)op;
    return 0;
}

int prim_parse_functions(struct primset *ps, const char *list,
                         struct prim_error *err)
{
    char *copy = strdup(list);
    if (!copy) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return -1;
    }
    struct parse_ctx c = {ps, err};
    ps->nfuncs = 0;
    int rc = for_each_item(copy, add_function, &c);
    free(copy);
    if (rc == 0 && ps->nfuncs == 0) {
        snprintf(err->msg, sizeof err->msg, "no functions given");
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
    if (ps->nconsts + ps->nranges >= PRIM_MAX_CONSTS) {
        snprintf(c.err->msg, sizeof c.err->msg,
                 "more than %d constants and ranges", PRIM_MAX_CONSTS);
        return -1;
    }
    char *dots = strstr(item, "..");
    if (!dots) {
        if (parse_constant(item, &ps->consts[ps->nconsts]) < 0) {
            snprintf(c.err->msg, sizeof c.err->msg,
                     "expected a number, pi, e or a range LO..HI, got '%s'",
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
        !(lo < hi)) {
        snprintf(c.err->msg, sizeof c.err->msg,
                 "expected a range LO..HI with LO < HI, got '%s..%s'", lo_s,
                 hi_s);
        return -1;
    }
    ps->range_lo[ps->nranges] = lo;
    ps->range_hi[ps->nranges] = hi;
    ps->nranges++;
    return 0;
}

int prim_parse_constants(struct primset *ps, const char *spec,
                         struct prim_error *err)
{
    ps->nconsts = 0;
    ps->nranges = 0;
    char *copy = strdup(spec);
    if (!copy) {
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return -1;
    }
    struct parse_ctx c = {ps, err};
    int rc = 0;
    if (*text_trim(copy) != '\0')
        rc = for_each_item(copy, add_constant, &c);
    free(copy);
    return rc;
}

int primset_nterminals(const struct primset *ps)
{
    return ps->nvars + ps->nconsts + ps->nranges;
}
