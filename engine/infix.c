/* infix: programs printed as infix expressions that SymPy's sympify reads. */
#include "infix.h"

#include <float.h>
#include <stdio.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The text %.{digits}g prints for the decimal d[0] . d[1] ... d[digits-1]
 * times 10^exp10 (negative when neg): fixed notation when
 * -4 <= exp10 < digits, else d.ddde+XX; trailing zeros dropped, and the
 * point with them. */
static void format_g(char *buf, size_t size, int neg, const char *d,
                     int digits, int exp10)
{
    char text[48];
    size_t n = 0;
    if (neg)
        text[n++] = '-';
    int fixed = exp10 >= -4 && exp10 < digits;
    int point; /* digits before the point */
    if (!fixed)
        point = 1;
    else if (exp10 >= 0)
        point = exp10 + 1;
    else
        point = 0;
    if (point == 0) {
        text[n++] = '0';
        text[n++] = '.';
        for (int z = 0; z < -exp10 - 1; z++)
            text[n++] = '0';
    }
    int last = digits; /* the significant digits left after the zeros */
    while (last > point && last > 1 && d[last - 1] == '0')
        last--;
    for (int k = 0; k < last; k++) {
        if (k == point && point > 0)
            text[n++] = '.';
        text[n++] = d[k];
    }
    if (!fixed) {
        int e = exp10 < 0 ? -exp10 : exp10;
        text[n++] = 'e';
        text[n++] = exp10 < 0 ? '-' : '+';
        if (e >= 100)
            text[n++] = (char)('0' + e / 100);
        text[n++] = (char)('0' + e / 10 % 10);
        text[n++] = (char)('0' + e % 10);
    }
    text[n] = '\0';
    snprintf(buf, size, "%s", text);
}

/*
 * Whether the decimal d[0..digits) x 10^(exp10 - digits + 1), negated when
 * neg, reads back as v: that is, whether strtod of its text gives v.
 * Where the digits make an integer N below 2^53 and the power of ten is
 * 10^0 to 10^22, both are doubles exactly, and N * 10^k or N / 10^k,
 * rounded once, is the double nearest the decimal, which is what strtod
 * returns (Clinger's fast path); else strtod of text, the decimal
 * written out, is asked.
 */
static int reads_back(const char *d, int digits, int exp10, int neg,
                      const char *text, double v)
{
    static const double ten[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                 1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                 1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                 1e18, 1e19, 1e20, 1e21, 1e22};
    uint64_t n = 0;
    for (int k = 0; k < digits; k++)
        n = n * 10 + (uint64_t)(d[k] - '0');
    int scale = exp10 - digits + 1;
    if (n > (1ULL << 53) || scale < -22 || scale > 22)
        return strtod(text, NULL) == v;
    double back = scale >= 0 ? (double)n * ten[scale]
                             : (double)n / ten[-scale];
    return (neg ? -back : back) == v;
}

/*
 * The 17 significant digits of v > 0 as printf's %.16e gives them (the
 * exact value rounded half to even) into d[0..17), and the decimal
 * exponent of d[0]: 1 where worked out here, 0 where printf must be asked.
 * v = m 2^q exactly (m < 2^53), and N = v / 10^s for s = e - 16 is found
 * in 128-bit integers: m 10^-s 2^q (a shift, with the bits shifted out
 * for the rounding) when s <= 0, m 2^q / 10^s when s > 0. That covers
 * 1e-6 <= v < 2^127, where m 10^-s and m 2^q fit in 128 bits; printf
 * (slower: multi-precision arithmetic) does the rest.
 */
static int digits17(double v, char *d, int *exp10)
{
#if defined(__SIZEOF_INT128__)
    __extension__ typedef unsigned __int128 u128;
    static const uint64_t pow10[] = {
        1ULL,
        10ULL,
        100ULL,
        1000ULL,
        10000ULL,
        100000ULL,
        1000000ULL,
        10000000ULL,
        100000000ULL,
        1000000000ULL,
        10000000000ULL,
        100000000000ULL,
        1000000000000ULL,
        10000000000000ULL,
        100000000000000ULL,
        1000000000000000ULL,
        10000000000000000ULL,
        100000000000000000ULL,
        1000000000000000000ULL,
        10000000000000000000ULL};
    if (!(v >= 1e-6 && v < 0x1p127))
        return 0;
    int q;
    double f = frexp(v, &q); /* v = f 2^q, 0.5 <= f < 1 */
    uint64_t m = (uint64_t)ldexp(f, 53);
    q -= 53;
    /* e: the decimal exponent, from log10(2) (q + 53 - 1 <= log2 v), then
     * made exact by what N comes to. */
    int e = (int)floor((q + 52) * 0.30102999566398120);
    if (e < -6)
        e = -6; /* v >= 1e-6 */
    for (int tries = 0; tries < 4; tries++) {
        int s = e - 16;
        u128 n, rem = 0, half = 0;
        if (s < -22) /* m 10^-s might not fit */
            return 0;
        if (s <= 0) {
            u128 x = (u128)m;
            for (int t = -s; t > 0; t -= 19)
                x *= pow10[t > 19 ? 19 : t];
            if (q >= 0) {
                n = x << q; /* an integer: nothing to round */
            } else {
                n = x >> -q;
                rem = x & (((u128)1 << -q) - 1);
                half = (u128)1 << (-q - 1);
            }
        } else {
            u128 x = (u128)m << q; /* q >= 4 here: v >= 1e17 */
            u128 div = s > 19 ? (u128)pow10[19] * pow10[s - 19]
                              : (u128)pow10[s];
            n = x / div;
            /* compared doubled: rem against half a divisor */
            rem = 2 * (x % div);
            half = div;
        }
        if (n >= (u128)pow10[17]) {
            e++;
            continue;
        }
        if (n < (u128)pow10[16]) {
            e--;
            continue;
        }
        if (rem > half || (rem == half && half != 0 && (n & 1)))
            n++;
        if (n == (u128)pow10[17]) { /* 9.99...95 up to 10.00...0 */
            n = pow10[16];
            e++;
        }
        uint64_t digits = (uint64_t)n;
        for (int k = 16; k >= 0; k--) {
            d[k] = (char)('0' + digits % 10);
            digits /= 10;
        }
        *exp10 = e;
        return 1;
    }
#else
    (void)v;
    (void)d;
    (void)exp10;
#endif
    return 0;
}

/* The shortest text of v that reads back to v. */
static void shortest(char *buf, size_t size, double v)
{
    /* Whole numbers as such: 100, not 1e+02. */
    if (v == trunc(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    /*
     * A normal double with a decimal of at most 15 digits prints as that
     * decimal at %.15g (trailing zeros dropped), which is then the
     * shortest that reads back; else 16 or 17 digits are needed (17
     * always do). The text is the first of %.15g, %.16g and %.17g that
     * reads back, made from one printing of 17 digits: rounding those to
     * 15 or 16 gives what printf would, unless the digits dropped are
     * exactly half a unit (5 or 50), when the exact value, which printf
     * rounds, may lie on either side; then printf is asked. Three printf
     * and strtod rounds a number were most of the time of writing an
     * evolved population.csv, which holds many different constants.
     * Subnormals (fewer digits of precision), inf and NaN: printf's.
     */
    if (!isfinite(v) || fabs(v) < DBL_MIN) {
        for (int digits = 1; digits <= 17; digits++) {
            snprintf(buf, size, "%.*g", digits, v);
            if (strtod(buf, NULL) == v)
                break;
        }
        return;
    }
    int neg = signbit(v) != 0;
    char d17[17];
    int exp17;
    if (!digits17(fabs(v), d17, &exp17)) {
        char e17[40]; /* -d.dddddddddddddddde-308 at most */
        snprintf(e17, sizeof e17, "%.16e", v);
        const char *m = e17 + neg;
        d17[0] = m[0];
        memcpy(d17 + 1, m + 2, 16);
        exp17 = atoi(m + 19); /* past "d.dddddddddddddddde" */
    }
    for (int digits = 15; digits <= 16; digits++) {
        const char *tail = d17 + digits;
        int half = digits == 16 ? tail[0] == '5'
                                : tail[0] == '5' && tail[1] == '0';
        if (half) {
            snprintf(buf, size, "%.*g", digits, v);
            if (strtod(buf, NULL) == v)
                return;
        } else {
            char d[17];
            memcpy(d, d17, (size_t)digits);
            int exp10 = exp17;
            if (tail[0] >= '5') { /* up, carrying */
                int k = digits - 1;
                while (k >= 0 && d[k] == '9')
                    d[k--] = '0';
                if (k >= 0) {
                    d[k]++;
                } else { /* 99...9 became 100...0 */
                    d[0] = '1';
                    exp10++;
                }
            }
            format_g(buf, size, neg, d, digits, exp10);
            if (reads_back(d, digits, exp10, neg, buf, v))
                return;
        }
    }
    format_g(buf, size, neg, d17, 17, exp17);
}

int infix_g17(char *buf, size_t size, double v)
{
    char d[17];
    int e;
    if (!digits17(fabs(v), d, &e))
        return snprintf(buf, size, "%.17g", v);
    format_g(buf, size, signbit(v) != 0, d, 17, e);
    return (int)strlen(buf);
}

/*
 * The texts of recently printed numbers. Finding the shortest text takes
 * up to three printf and strtod rounds, and an evolved population
 * repeats its constants: most of those a final population.csv prints are
 * copies.
 * Direct-mapped by the double's bits; a process-wide cache is fine, since
 * only the parent prints and it prints from one thread.
 */
#define NUMBER_CACHE 4096
#define NUMBER_TEXT 32 /* the longest text is 24 bytes and its '\0' */
static struct {
    uint64_t bits;
    uint32_t len;  /* 0 when empty */
    char text[NUMBER_TEXT];
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
 * The text is made in memory (a struct buf), a token at a time with one
 * check for room: stdio's calls, each taking the stream's lock, cost more
 * than the text itself.
 */

/* Appends n bytes; out of memory, the buffer fails and the caller sees it
 * in infix_append's result through `failed`. */
struct writer {
    struct buf *b;
    int failed;
    int digits; /* significant digits of constants; 0: as many as read
                   back to the same double */
};

static inline void put(struct writer *w, const char *text, size_t n)
{
    if (buf_put(w->b, text, n) < 0)
        w->failed = 1;
}

/* put of n bytes from a source that has `size` bytes readable (a
 * constant): when there is room, all `size` are copied at once (the
 * compiler's few moves, not a call to memcpy) and the n counted. */
#define PUT_PADDED(w, src, n, size)                                           \
    do {                                                                      \
        struct buf *b_ = (w)->b;                                              \
        if (b_->cap - b_->len >= (size)) {                                    \
            memcpy(b_->data + b_->len, (src), (size));                        \
            b_->len += (n);                                                   \
        } else {                                                              \
            put((w), (src), (n));                                             \
        }                                                                     \
    } while (0)

static inline void put_char(struct writer *w, char c)
{
    struct buf *b = w->b;
    if (b->cap - b->len >= 1)
        b->data[b->len++] = (unsigned char)c;
    else
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

static uint32_t write_node(struct writer *out, const struct tree *t,
                           const struct primset *ps, uint32_t i);

/*
 * The boolean functions and if. Each prints as a SymPy Piecewise whose
 * condition is a SymPy Boolean: the value of and(a, b) is
 * Piecewise((1, And(A, B)), (0, True)), that of if(c, a, b) is
 * Piecewise((a, C), (b, True)), where A, B and C are the conditions of
 * a, b and c: And, Or, Nand, Nor and Not for those functions, nested as
 * deep as they go, And(Implies(C, A), Or(C, B)) for if(c, a, b), and
 * Ne(x, 0) for any other x. So no condition holds a Piecewise, which
 * SymPy 1.11 would fold into its own (slowly, and for some nestings
 * wrongly). NumPy evaluates the Piecewise with select and Ne with
 * not_equal, so NaN is true there as here.
 */
static int is_connective(unsigned op)
{
    return op == OP_AND || op == OP_OR || op == OP_NAND || op == OP_NOR ||
           op == OP_NOT;
}

/* Writes the condition that the subtree at node i is nonzero; returns the
 * index just past the subtree. */
static uint32_t write_condition(struct writer *out, const struct tree *t,
                                const struct primset *ps, uint32_t i)
{
    unsigned op = t->nodes[i].op;
    if (op == OP_IF) {
        /* ITE(C, A, B) would be shorter, but SymPy 1.11's NumPy code for
         * an ITE in a condition fails (a select of booleans with a NaN
         * default), so C is written twice (and a chain of ifs, each in the
         * condition of the next, writes the innermost condition 2^k
         * times). */
        uint32_t c = i + 1, a = tree_subtree_end(t->nodes, c);
        put(out, "And(Implies(", 12);
        write_condition(out, t, ps, c);
        put(out, ", ", 2);
        uint32_t b = write_condition(out, t, ps, a);
        put(out, "), Or(", 6);
        write_condition(out, t, ps, c);
        put(out, ", ", 2);
        uint32_t end = write_condition(out, t, ps, b);
        put(out, "))", 2);
        return end;
    }
    const char *name = op == OP_AND    ? "And("
                       : op == OP_OR   ? "Or("
                       : op == OP_NAND ? "Nand("
                       : op == OP_NOR  ? "Nor("
                       : op == OP_NOT  ? "Not("
                                       : NULL;
    if (!name) {
        put(out, "Ne(", 3);
        i = write_node(out, t, ps, i);
        put(out, ", 0)", 4);
        return i;
    }
    put(out, name, strlen(name));
    int arity = prim_arity(op);
    i++;
    for (int a = 0; a < arity; a++) {
        if (a)
            put(out, ", ", 2);
        i = write_condition(out, t, ps, i);
    }
    put_char(out, ')');
    return i;
}

/* Writes the value of the boolean function or if at node i (see above);
 * returns the index just past its subtree. */
static uint32_t write_choice(struct writer *out, const struct tree *t,
                             const struct primset *ps, uint32_t i)
{
    const struct node *n = t->nodes;
    put(out, "Piecewise((", 11);
    if (n[i].op != OP_IF) {
        put(out, "1, ", 3);
        i = write_condition(out, t, ps, i);
        put(out, "), (0, True))", 13);
        return i;
    }
    uint32_t c = i + 1, a = tree_subtree_end(n, c), b = tree_subtree_end(n, a);
    write_node(out, t, ps, a);
    put(out, ", ", 2);
    /* if(c, 1, 0) of a connective c would print as c's own value: its
     * condition is then written as Ne(c, 0), which parse.c reads as if. */
    if (is_connective(n[c].op) && n[a].op == OP_CONST && n[a].value == 1.0 &&
        n[b].op == OP_CONST && n[b].value == 0.0) {
        put(out, "Ne(", 3);
        write_node(out, t, ps, c);
        put(out, ", 0)", 4);
    } else {
        write_condition(out, t, ps, c);
    }
    put(out, "), (", 4);
    uint32_t end = write_node(out, t, ps, b);
    put(out, ", True))", 8);
    return end;
}

/* Writes a function whose arguments start at node `first` by its printed
 * form (prim_info.printed: %1, %2, %3 are the arguments, in any order);
 * returns the index just past its last argument. */
static uint32_t write_template(struct writer *out, const struct tree *t,
                               const struct primset *ps, uint32_t first,
                               int arity, const char *form)
{
    uint32_t arg[PRIM_MAX_ARITY + 1];
    arg[0] = first;
    for (int a = 1; a <= arity; a++)
        arg[a] = tree_subtree_end(t->nodes, arg[a - 1]);
    uint32_t end = arg[arity];
    for (const char *s = form; *s; s++) {
        if (s[0] == '%' && s[1] >= '1' && s[1] <= '0' + PRIM_MAX_ARITY) {
            write_node(out, t, ps, arg[s[1] - '1']);
            s++;
            continue;
        }
        size_t run = strcspn(s, "%");
        if (run == 0)
            run = 1;
        put(out, s, run);
        s += run - 1;
    }
    return end;
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
        if (name[0] != '\0' && name[1] == '\0') /* x, the commonest */
            put_char(out, name[0]);
        else
            put(out, name, strlen(name));
        return i;
    }
    case OP_CONST: {
        /* Negative numbers in parentheses, so "a - -1" never appears. */
        char rounded[NUMBER_TEXT];
        const char *text;
        if (out->digits > 0) {
            snprintf(rounded, sizeof rounded, "%.*g", out->digits, nd->value);
            text = rounded;
            len = strlen(rounded);
        } else {
            text = number_text(nd->value, &len);
        }
        if (signbit(nd->value)) {
            put_char(out, '(');
            PUT_PADDED(out, text, len, NUMBER_TEXT);
            put_char(out, ')');
        } else {
            PUT_PADDED(out, text, len, NUMBER_TEXT);
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
    if (is_connective(op) || op == OP_IF)
        return write_choice(out, t, ps, i - 1);
    if (op < OP_COUNT && prim_table[op].printed)
        return write_template(out, t, ps, i, prim_arity(op),
                              prim_table[op].printed);
    if (op < OP_COUNT && infix_token_len[op]) {
        put_char(out, '(');
        i = write_node(out, t, ps, i);
        PUT_PADDED(out, infix_token[op], infix_token_len[op],
                   sizeof infix_token[op]);
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

int infix_append_digits(struct buf *b, const struct tree *t,
                        const struct primset *ps, int digits)
{
    static int tokens_made; /* only the parent prints, from one thread */
    if (!tokens_made) {
        make_infix_tokens();
        tokens_made = 1;
    }
    size_t was = b->len;
    struct writer w = {b, 0, digits > 0 && digits < 17 ? digits : 0};
    /* Room for the usual text at once (a node's is rarely over 32 bytes),
     * so that the puts find it. */
    if (buf_reserve(b, (size_t)t->size * 32 + 64) < 0)
        return -1;
    if (t->size > 0)
        write_node(&w, t, ps, 0);
    if (w.failed)
        b->len = was;
    return w.failed ? -1 : 0;
}

int infix_append(struct buf *b, const struct tree *t,
                 const struct primset *ps)
{
    return infix_append_digits(b, t, ps, 0);
}

void infix_write(FILE *out, const struct tree *t, const struct primset *ps)
{
    struct buf b;
    buf_init(&b);
    if (infix_append(&b, t, ps) < 0)
        fputs("(out of memory)", out);
    else if (b.len > 0) /* an empty tree has no text, not even a block */
        fwrite(b.data, 1, b.len, out);
    buf_release(&b);
}

void infix_write_functions(FILE *out)
{
    static const char *const names[] = {"a", "b", "c"};
    fprintf(out, "| function | arity | printed as | forkgp computes |\n"
                 "|---|---|---|---|\n");
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        const struct prim_info *p = &prim_table[op];
        char printed[96];
        if (p->infix) {
            snprintf(printed, sizeof printed, "(a %s b)", p->infix);
        } else if (op == OP_NEG) {
            snprintf(printed, sizeof printed, "(-a)");
        } else if (op == OP_SQUARE) {
            snprintf(printed, sizeof printed, "(a**2)");
        } else if (p->printed) {
            size_t n = 0;
            for (const char *s = p->printed; *s && n + 2 < sizeof printed;
                 s++) {
                if (s[0] == '%' && s[1] >= '1' && s[1] <= '3')
                    printed[n++] = names[*++s - '1'][0];
                else
                    printed[n++] = *s;
            }
            printed[n] = '\0';
        } else {
            snprintf(printed, sizeof printed, "%s(%s)", p->name,
                     p->arity == 1   ? "a"
                     : p->arity == 2 ? "a, b"
                                     : "a, b, c");
        }
        fprintf(out, "| `%s` | %d | `%s` | %s |\n", p->name, p->arity,
                printed, p->protection);
    }
}
