/* infix: programs printed as infix expressions that SymPy's sympify reads. */
#include "infix.h"

#include <float.h>
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The shortest text of v that reads back to v. */
static void shortest(char *buf, size_t size, double v)
{
    /* Whole numbers as such: 100, not 1e+02. */
    if (v == trunc(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    /* A normal double with a decimal of at most 15 digits prints as that
     * decimal at %.15g (trailing zeros dropped), which is then the
     * shortest that reads back; else 16 or 17 digits are needed (17
     * always do). Subnormals have fewer digits of precision: try all. */
    for (int digits = fabs(v) < DBL_MIN ? 1 : 15; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            break;
    }
}

/*
 * The texts of recently printed numbers. Finding the shortest text takes
 * up to three printf and strtod rounds (a few microseconds), and an
 * evolved population repeats its constants: a final population.csv of
 * 1000 quartic programs prints about 5000 constants, most of them copies.
 * Direct-mapped by the double's bits; a process-wide cache is fine, since
 * only the parent prints and it prints from one thread.
 */
#define NUMBER_CACHE 1024
static struct {
    uint64_t bits;
    uint32_t len;  /* 0 when empty */
    char text[32];
} number_cache[NUMBER_CACHE];

/* The shortest text of v, from the cache, and its length. */
static const char *number_text(double v, size_t *len)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t h = bits * 0x9e3779b97f4a7c15ULL;
    size_t slot = (size_t)(h >> 54) % NUMBER_CACHE;
    if (number_cache[slot].len == 0 || number_cache[slot].bits != bits) {
        shortest(number_cache[slot].text, sizeof number_cache[slot].text, v);
        number_cache[slot].bits = bits;
        number_cache[slot].len = (uint32_t)strlen(number_cache[slot].text);
    }
    *len = number_cache[slot].len;
    return number_cache[slot].text;
}

void infix_number(FILE *out, double v)
{
    size_t len;
    fputs(number_text(v, &len), out);
}

/*
 * The text is made in memory, a token at a time with one check for room:
 * stdio's calls, each taking the stream's lock, cost more than the text
 * itself (a population.csv of 1000 quartic programs, 60,000 nodes, took
 * 3.4 ms in fputc and fputs; through a buffer of 4 KB per fwrite into an
 * open_memstream, 1.1 ms; in one growing block, about a third of that).
 */
int infix_reserve(struct infix_text *b, size_t more)
{
    if (b->cap - b->len >= more)
        return 0;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap - b->len < more)
        cap *= 2;
    char *text = realloc(b->text, cap);
    if (!text)
        return -1;
    b->text = text;
    b->cap = cap;
    return 0;
}

int infix_add(struct infix_text *b, const char *text, size_t n)
{
    if (infix_reserve(b, n) < 0)
        return -1;
    memcpy(b->text + b->len, text, n);
    b->len += n;
    return 0;
}

/* Appends n bytes; the text stays as it was when out of memory (the
 * caller sees it in infix_append's result through `failed`). */
struct writer {
    struct infix_text *b;
    int failed;
};

static inline void put(struct writer *w, const char *text, size_t n)
{
    struct infix_text *b = w->b;
    if (b->cap - b->len < n && infix_reserve(b, n) < 0) {
        w->failed = 1;
        return;
    }
    memcpy(b->text + b->len, text, n);
    b->len += n;
}

static inline void put_char(struct writer *w, char c)
{
    put(w, &c, 1);
}

/* A binary operator with its spaces, " + ", by opcode; its length, 0
 * when the function is written by name. */
static char infix_token[OP_COUNT][8];
static uint8_t infix_token_len[OP_COUNT];

static void make_infix_tokens(void)
{
    for (int op = 0; op < OP_COUNT; op++) {
        const char *infix = prim_table[op].infix;
        if (infix && strlen(infix) + 3 <= sizeof infix_token[op]) {
            snprintf(infix_token[op], sizeof infix_token[op], " %s ", infix);
            infix_token_len[op] = (uint8_t)strlen(infix_token[op]);
        }
    }
}

/* Writes the subtree at node i; returns the index just past it. */
static uint32_t write_node(struct writer *out, const struct tree *t,
                           const struct primset *ps, uint32_t i)
{
    const struct node *nd = &t->nodes[i++];
    size_t len;
    switch (nd->op) {
    case OP_VAR: {
        const char *name = ps->var_names[nd->var];
        put(out, name, strlen(name));
        return i;
    }
    case OP_CONST: {
        /* Negative numbers in parentheses, so "a - -1" never appears. */
        const char *text = number_text(nd->value, &len);
        if (signbit(nd->value)) {
            put_char(out, '(');
            put(out, text, len);
            put_char(out, ')');
        } else {
            put(out, text, len);
        }
        return i;
    }
    case OP_NEG:
        /* neg of a number as "(-(2))", so it never reads back as the
         * constant -2 (which prints "(-2)"). */
        if (t->nodes[i].op == OP_CONST) {
            put(out, "(-(", 3);
            i = write_node(out, t, ps, i);
            put(out, "))", 2);
            return i;
        }
        put(out, "(-", 2);
        i = write_node(out, t, ps, i);
        put_char(out, ')');
        return i;
    case OP_SQUARE:
        put_char(out, '(');
        i = write_node(out, t, ps, i);
        put(out, "**2)", 4);
        return i;
    default:
        break;
    }
    unsigned op = nd->op;
    if (op < OP_COUNT && infix_token_len[op]) {
        put_char(out, '(');
        i = write_node(out, t, ps, i);
        put(out, infix_token[op], infix_token_len[op]);
        i = write_node(out, t, ps, i);
        put_char(out, ')');
        return i;
    }
    /* By name: a plug-in's terminal symbol bare, anything else called. */
    const char *name = primset_name(ps, op);
    put(out, name, strlen(name));
    int arity = prim_arity(op);
    if (arity == 0)
        return i;
    put_char(out, '(');
    for (int a = 0; a < arity; a++) {
        if (a)
            put(out, ", ", 2);
        i = write_node(out, t, ps, i);
    }
    put_char(out, ')');
    return i;
}

int infix_append(struct infix_text *b, const struct tree *t,
                 const struct primset *ps)
{
    static int tokens_made; /* only the parent prints, from one thread */
    if (!tokens_made) {
        make_infix_tokens();
        tokens_made = 1;
    }
    size_t was = b->len;
    struct writer w = {b, 0};
    if (t->size > 0)
        write_node(&w, t, ps, 0);
    if (w.failed)
        b->len = was;
    return w.failed ? -1 : 0;
}

void infix_write(FILE *out, const struct tree *t, const struct primset *ps)
{
    struct infix_text b = {0};
    if (infix_append(&b, t, ps) < 0)
        fputs("(out of memory)", out);
    else if (b.len > 0) /* an empty tree has no text, not even a block */
        fwrite(b.text, 1, b.len, out);
    free(b.text);
}
