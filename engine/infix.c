/* infix: programs printed as infix expressions that SymPy's sympify reads. */
#include "infix.h"

#include <float.h>
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
    char text[32]; /* "" when empty */
} number_cache[NUMBER_CACHE];

/* The shortest text of v, from the cache. */
static const char *number_text(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    uint64_t h = bits * 0x9e3779b97f4a7c15ULL;
    size_t slot = (size_t)(h >> 54) % NUMBER_CACHE;
    if (number_cache[slot].text[0] == '\0' || number_cache[slot].bits != bits) {
        shortest(number_cache[slot].text, sizeof number_cache[slot].text, v);
        number_cache[slot].bits = bits;
    }
    return number_cache[slot].text;
}

void infix_number(FILE *out, double v)
{
    fputs(number_text(v), out);
}

/*
 * The text goes out through a buffer of our own, a whole buffer per
 * fwrite: stdio's calls, each taking the stream's lock, cost more than the
 * text itself (a population.csv of 1000 quartic programs, 60,000 nodes,
 * took 3.4 ms in fputc and fputs).
 */
struct sink {
    FILE *out;
    size_t len;
    char buf[4096];
};

static void flush(struct sink *s)
{
    if (s->len > 0)
        fwrite(s->buf, 1, s->len, s->out);
    s->len = 0;
}

static void put(struct sink *s, const char *text, size_t n)
{
    if (s->len + n > sizeof s->buf) {
        flush(s);
        if (n > sizeof s->buf) {
            fwrite(text, 1, n, s->out);
            return;
        }
    }
    memcpy(s->buf + s->len, text, n);
    s->len += n;
}

static void put_str(struct sink *s, const char *text)
{
    put(s, text, strlen(text));
}

/* Writes the subtree at node i; returns the index just past it. */
static uint32_t write_node(struct sink *out, const struct tree *t,
                           const struct primset *ps, uint32_t i)
{
    const struct node *nd = &t->nodes[i++];
    switch (nd->op) {
    case OP_VAR:
        put_str(out, ps->var_names[nd->var]);
        return i;
    case OP_CONST:
        /* Negative numbers in parentheses, so "a - -1" never appears. */
        if (signbit(nd->value))
            put(out, "(", 1);
        put_str(out, number_text(nd->value));
        if (signbit(nd->value))
            put(out, ")", 1);
        return i;
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
        put(out, ")", 1);
        return i;
    case OP_SQUARE:
        put(out, "(", 1);
        i = write_node(out, t, ps, i);
        put(out, "**2)", 4);
        return i;
    default:
        break;
    }
    const char *infix = nd->op < OP_COUNT ? prim_table[nd->op].infix : NULL;
    int arity = prim_arity(nd->op);
    if (infix) {
        put(out, "(", 1);
        i = write_node(out, t, ps, i);
        put(out, " ", 1);
        put_str(out, infix);
        put(out, " ", 1);
        i = write_node(out, t, ps, i);
        put(out, ")", 1);
        return i;
    }
    /* By name: a plug-in's terminal symbol bare, anything else called. */
    put_str(out, primset_name(ps, nd->op));
    if (arity == 0)
        return i;
    put(out, "(", 1);
    for (int a = 0; a < arity; a++) {
        if (a)
            put(out, ", ", 2);
        i = write_node(out, t, ps, i);
    }
    put(out, ")", 1);
    return i;
}

void infix_write(FILE *out, const struct tree *t, const struct primset *ps)
{
    struct sink s;
    s.out = out;
    s.len = 0;
    if (t->size > 0)
        write_node(&s, t, ps, 0);
    flush(&s);
}
