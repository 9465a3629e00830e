/* prim: the primitive table (functions and terminals) and a run's set. */
#ifndef FORKGP_PRIM_H
#define FORKGP_PRIM_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "rng.h"

/*
 * Opcodes of the built-in primitives. A tree node stores one; the numbers
 * are part of the checkpoint format, so only ever append.
 */
enum prim_op {
    OP_VAR = 0, /* a data column */
    OP_CONST,   /* a constant (fixed or ephemeral random) */
    OP_ADD,
    OP_SUB,
    OP_MUL,
    OP_DIV,
    OP_NEG,
    OP_ABS,
    OP_SQUARE,
    OP_SQRT,
    OP_EXP,
    OP_LOG,
    OP_SIN,
    OP_COS,
    OP_TANH,
    OP_MIN,
    OP_MAX,
    OP_AND, /* boolean: 0 is false, anything else true; results are 0/1 */
    OP_OR,
    OP_NOT,
    OP_NAND,
    OP_NOR,
    OP_IF, /* if(c, a, b): a when c is true, else b */
    OP_AQ, /* the analytic quotient a / sqrt(1 + b*b) */
    OP_COUNT
};

/*
 * A plug-in's own symbols get opcodes from OP_SYMBOL up, with the arity in
 * the opcode (OP_SYMBOL + arity * PRIM_MAX_SYMBOLS + k for the k-th symbol),
 * so the arity of every node is known from its opcode alone.
 */
#define OP_SYMBOL 256
#define PRIM_MAX_SYMBOLS 64
#define PRIM_MAX_ARITY 3

static inline int prim_is_symbol(unsigned op)
{
    return op >= OP_SYMBOL &&
           op < OP_SYMBOL + (PRIM_MAX_ARITY + 1) * PRIM_MAX_SYMBOLS;
}

/* The opcode of a plug-in's k-th symbol of the given arity. */
static inline unsigned prim_symbol_op(int arity, int k)
{
    return OP_SYMBOL + (unsigned)(arity * PRIM_MAX_SYMBOLS + k);
}

/* What the engine knows of one opcode. */
struct prim_info {
    const char *name;       /* the config name, and the printed one unless
                               `printed` says otherwise */
    int arity;              /* 0 for terminals */
    const char *infix;      /* binary operator symbol when printed infix */
    const char *protection; /* how it behaves where math is undefined */
    const char *printed;    /* NULL, or how infix_write prints it: the
                               text with %1, %2, %3 for the arguments,
                               each once, in any order (a SymPy form that
                               computes what forkgp computes; parse.c
                               reads it back). The boolean functions and
                               if print so alone; nested in one another's
                               conditions, as SymPy's And, Or, Nand, Nor,
                               Not and ITE (see infix.c) */
};

extern const struct prim_info prim_table[OP_COUNT];

/* The arity of opcode `op` (a built-in or a plug-in symbol). */
static inline int prim_arity(unsigned op)
{
    if (op < OP_COUNT)
        return prim_table[op].arity;
    if (op >= OP_SYMBOL)
        return (int)((op - OP_SYMBOL) / PRIM_MAX_SYMBOLS);
    return 0; /* not an opcode: tree_check rejects it */
}

/* Whether a known opcode is a function (arity > 0), from the opcode alone:
 * every built-in but a variable and a constant is, and every symbol but
 * the arity-0 ones. No table and no branch, so tree walks that only need
 * this run at a cycle per node. (tests/test_prim.c checks it against
 * prim_arity for every known opcode.) */
static inline int prim_is_function(unsigned op)
{
    return (op >= OP_ADD) &
           ((op < OP_SYMBOL) | (op >= OP_SYMBOL + PRIM_MAX_SYMBOLS));
}

/* Nonzero when op names a primitive: a built-in or a symbol opcode. */
static inline int prim_known(unsigned op)
{
    return op < OP_COUNT || prim_is_symbol(op);
}

/* The opcode of function `name`, or -1 when it is not a function. */
int prim_lookup(const char *name);

/* Largest number of entries a primset can hold of each kind. */
#define PRIM_MAX_VARS 1024
#define PRIM_MAX_CONSTS 64

/*
 * The primitives one run draws from: its functions (built-in and plug-in
 * symbols with arguments), its variables (named), fixed constants,
 * ephemeral random constant ranges and plug-in symbols without arguments.
 * A terminal is drawn uniformly among variables, fixed constants, ERC
 * ranges (each range counts as one terminal) and terminal symbols.
 */
struct primset {
    int nfuncs;
    uint16_t funcs[OP_COUNT + PRIM_MAX_SYMBOLS];
    int nsymbols; /* plug-in symbols, in the order declared */
    char sym_names[PRIM_MAX_SYMBOLS][32];
    uint16_t sym_ops[PRIM_MAX_SYMBOLS];
    int nsymterms; /* the symbols of arity 0, as opcodes */
    uint16_t symterms[PRIM_MAX_SYMBOLS];
    int nvars;
    const char *var_names[PRIM_MAX_VARS]; /* borrowed */
    uint16_t var_cols[PRIM_MAX_VARS];     /* column index in the data */
    int nconsts;
    double consts[PRIM_MAX_CONSTS];
    int nranges;
    double range_lo[PRIM_MAX_CONSTS], range_hi[PRIM_MAX_CONSTS];
};

/*
 * Adds a comma-separated list of built-in functions to ps->funcs (an
 * empty list is an error). Returns 0, or -1
 * with a message naming the unknown name (and a near miss) or a duplicate.
 */
int prim_parse_functions(struct primset *ps, const char *list,
                         struct error *err);

/*
 * Sets the constants from a spec (replacing any): comma-separated items, each a number, `pi`, `e`,
 * or a range `LO..HI` for an ephemeral random constant drawn uniformly.
 * An empty spec means no constants. Returns 0 or -1 with a message.
 */
int prim_parse_constants(struct primset *ps, const char *spec,
                         struct error *err);

/*
 * Declares a plug-in symbol of 0..PRIM_MAX_ARITY arguments; it joins the
 * functions (or terminals, for arity 0). Returns its index k (so that its
 * opcode is ps->sym_ops[k]), or -1 with a message.
 */
int prim_add_symbol(struct primset *ps, const char *name, int arity,
                    struct error *err);

/* The printed name of any opcode of the set (not OP_VAR or OP_CONST). */
const char *primset_name(const struct primset *ps, unsigned op);

/* Number of terminals to draw from (variables, constants, ranges and
 * terminal symbols). */
int primset_nterminals(const struct primset *ps);

#endif
