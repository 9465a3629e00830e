/* prim: the primitive table (functions and terminals) and a run's set. */
#ifndef FORKGP_PRIM_H
#define FORKGP_PRIM_H

#include <stddef.h>
#include <stdint.h>

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
    OP_COUNT
};

/* What the engine knows of one opcode. */
struct prim_info {
    const char *name;       /* the config and printed name */
    int arity;              /* 0 for terminals */
    const char *infix;      /* binary operator symbol when printed infix */
    const char *protection; /* how it behaves where math is undefined */
};

extern const struct prim_info prim_table[OP_COUNT];

/* The arity of opcode `op` (which must be < OP_COUNT). */
static inline int prim_arity(unsigned op)
{
    return prim_table[op].arity;
}

/* The opcode of function `name`, or -1 when it is not a function. */
int prim_lookup(const char *name);

/* Largest number of entries a primset can hold of each kind. */
#define PRIM_MAX_VARS 1024
#define PRIM_MAX_CONSTS 64

/*
 * The primitives one run draws from: its functions, its variables (data
 * columns, named), fixed constants and ephemeral random constant ranges.
 * A terminal is drawn uniformly among variables, fixed constants and ERC
 * ranges (each range counts as one terminal).
 */
struct primset {
    int nfuncs;
    uint16_t funcs[OP_COUNT];
    int nvars;
    const char *var_names[PRIM_MAX_VARS]; /* borrowed */
    uint16_t var_cols[PRIM_MAX_VARS];     /* column index in the data */
    int nconsts;
    double consts[PRIM_MAX_CONSTS];
    int nranges;
    double range_lo[PRIM_MAX_CONSTS], range_hi[PRIM_MAX_CONSTS];
};

/* A message for a person; set when a function returns -1. */
struct prim_error {
    char msg[512];
};

/*
 * Parses a comma-separated function list into ps->funcs. Returns 0, or -1
 * with a message naming the unknown name (and a near miss) or a duplicate.
 */
int prim_parse_functions(struct primset *ps, const char *list,
                         struct prim_error *err);

/*
 * Parses a constants spec: comma-separated items, each a number, `pi`, `e`,
 * or a range `LO..HI` for an ephemeral random constant drawn uniformly.
 * An empty spec means no constants. Returns 0 or -1 with a message.
 */
int prim_parse_constants(struct primset *ps, const char *spec,
                         struct prim_error *err);

/* Number of terminals to draw from (variables, constants and ranges). */
int primset_nterminals(const struct primset *ps);

#endif
