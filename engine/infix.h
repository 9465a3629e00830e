/* infix: programs printed as infix expressions that SymPy's sympify reads. */
#ifndef FORKGP_INFIX_H
#define FORKGP_INFIX_H

#include <stdio.h>

#include "buf.h"
#include "prim.h"
#include "tree.h"

/*
 * Writes t as one infix expression: binary operators parenthesised, add,
 * sub, mul, div as + - * /, square as **2, neg as unary minus, the other
 * functions by name (abs, min and max as Python's builtins, which sympify
 * maps to Abs, Min and Max), variables by their column names and
 * constants in the fewest digits that read back to the same double. The
 * printed operators have their plain mathematical meaning; see the
 * protection table (forkgp help functions) for where forkgp's differ.
 */
void infix_write(FILE *out, const struct tree *t, const struct primset *ps);

/* Appends what infix_write writes to b (no NUL). Returns 0, or -1 when
 * memory runs out (b then failed, its length as before the call). */
int infix_append(struct buf *b, const struct tree *t,
                 const struct primset *ps);

/* Writes a double in the fewest significant digits that round-trip. */
void infix_number(FILE *out, double v);

/* What snprintf(buf, size, "%.17g", v) writes, and its return value;
 * most doubles without printf's multi-precision arithmetic (faster:
 * population.csv and log.csv print one or more a row). */
int infix_g17(char *buf, size_t size, double v);

#endif
