/* infix: programs printed as infix expressions that SymPy's sympify reads. */
#ifndef FORKGP_INFIX_H
#define FORKGP_INFIX_H

#include <stdio.h>

#include "buf.h"
#include "prim.h"
#include "tree.h"

/*
 * Writes t as one infix expression that SymPy's sympify reads and that
 * computes, in SymPy and NumPy, what forkgp computes: binary operators
 * parenthesised, add, sub, mul, div as + - * /, square as **2, neg as
 * unary minus, the functions whose meaning differs from SymPy's by their
 * printed form (prim_info.printed: sqrt(abs(a)), log(abs(a)), Min, Max,
 * Piecewise for the boolean functions, a / sqrt(1 + b**2) for aq), the
 * others by name, variables by their column names and constants in the
 * fewest digits that read back to the same double. parse_program reads
 * it back to the same nodes.
 */
void infix_write(FILE *out, const struct tree *t, const struct primset *ps);

/* Appends what infix_write writes to b (no NUL). Returns 0, or -1 when
 * memory runs out (b then failed, its length as before the call). */
int infix_append(struct buf *b, const struct tree *t,
                 const struct primset *ps);

/* infix_append with constants rounded to `digits` significant digits
 * (1..16; 0 or 17 and more: the fewest that read back exactly), for
 * people: the text then computes what forkgp computes only nearly. */
int infix_append_digits(struct buf *b, const struct tree *t,
                        const struct primset *ps, int digits);

/* Writes the README's function table (forkgp help functions): each
 * built-in's name, arity, printed form and protection, in Markdown. */
void infix_write_functions(FILE *out);

/* Writes a double in the fewest significant digits that round-trip. */
void infix_number(FILE *out, double v);

/* What snprintf(buf, size, "%.17g", v) writes, and its return value;
 * most doubles without printf's multi-precision arithmetic (faster:
 * population.csv and log.csv print one or more a row). */
int infix_g17(char *buf, size_t size, double v);

#endif
