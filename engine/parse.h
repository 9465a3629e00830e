/* parse: infix expressions (as infix_write prints them, or typed) to trees. */
#ifndef FORKGP_PARSE_H
#define FORKGP_PARSE_H

#include "error.h"
#include "prim.h"
#include "tree.h"

/* Deepest tree, and most nested parentheses, that parse_program accepts. */
#define PARSE_MAX_NESTING 1000

/*
 * Reads `text` into t (at most t->cap nodes) as a program of primitive set
 * ps: + - * / with the usual precedence, unary minus, **2 (tighter than
 * unary minus, as in Python), parentheses, numbers, pi and e, ps's variables
 * and symbols, and every built-in function by name. What infix_write prints
 * reads back to the same nodes, byte for byte. Allocates nothing and keeps
 * no state; recursion is bounded by PARSE_MAX_NESTING (under 1 KB of stack
 * a level). Returns 0, or -1 (t->size 0) with a message, "column N: ...",
 * naming the 1-based column and what was expected there.
 */
int parse_program(struct tree *t, const char *text, const struct primset *ps,
                  struct error *err);

#endif
