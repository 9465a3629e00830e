/* parse: infix expressions (as infix_write prints them, or typed) to trees. */
#include "parse.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/*
 * The grammar, by recursive descent, loosest first:
 *
 *   expr    := term (('+' | '-') term)*          left-associative
 *   term    := unary (('*' | '/') unary)*         left-associative
 *   unary   := '-'* power                         -NUMBER is a constant
 *   power   := primary ('**' '('* NUMBER ')'*)?   the NUMBER must be 2
 *   primary := NUMBER | NAME | NAME '(' args ')' | '(' expr ')'
 *            | 'Piecewise' '(' '(' expr ',' cond ')' ',' '(' expr ','
 *              'True' ')' ')'
 *   cond    := 'Ne' '(' expr ',' 0 ')' | ('And' | 'Or' | 'Nand' | 'Nor')
 *              '(' cond ',' cond ')' | 'Not' '(' cond ')'
 *            | 'And' '(' 'Implies' '(' cond ',' cond ')' ',' 'Or' '('
 *              cond ',' cond ')' ')'     the same cond twice: if
 *
 * The printed forms of prim.c and infix.c read back as their one node:
 * sqrt(abs(E)) and log(abs(E)) are sqrt and log over E (one abs is taken
 * off: forkgp's sqrt and log take the absolute value themselves),
 * A / sqrt(1 + B**2) is aq(A, B) where the sqrt has no abs (what forkgp
 * computes either way), Min and Max are min and max, a Piecewise is a
 * boolean function or if, and And, Or, Nand, Nor and Not in its
 * condition are those functions (And of an Implies: if).
 *
 * Only parentheses recurse (unary minus is a loop), and they are counted,
 * so hostile input cannot exhaust the C stack.
 */

/* Longest token quoted back in a message, in bytes. */
#define PARSE_SHOW_MAX 40

/* Error paths are cold and kept out of line, so that their buffers take
 * stack space once, not once per level of nesting. */
#if defined(__GNUC__)
#define PARSE_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PARSE_COLD __attribute__((cold, noinline))
#else
#define PARSE_PRINTF(f, a)
#define PARSE_COLD
#endif

enum tok {
    TOK_END,
    TOK_NUMBER,
    TOK_NAME,
    TOK_PLUS,
    TOK_MINUS,
    TOK_STAR,
    TOK_SLASH,
    TOK_POW,
    TOK_LPAREN,
    TOK_RPAREN,
    TOK_COMMA,
    TOK_BADNUM, /* a number run into letters, dots or a bare exponent */
    TOK_BAD     /* a character that starts no token */
};

struct token {
    enum tok kind;
    const char *start;
    size_t len;
};

/* One parse: the input, the output and where we are. */
struct parser {
    const char *text;
    const struct primset *ps;
    struct tree *t;
    struct error *err;
    struct token tok;    /* the current, not yet consumed, token */
    int nesting;         /* parentheses open around the current token */
    const char *unknown; /* the unknown name that failed the parse, if any */
    size_t unknown_len;
    uint32_t bare_sqrt; /* the node of the last sqrt read without abs(),
                           UINT32_MAX when it had one (see aq_divisor) */
};

static int is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* The token that starts at s, after white space. */
static struct token lex(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    struct token k = {TOK_BAD, s, 1};
    const char *p = s;
    switch (*s) {
    case '\0':
        k.kind = TOK_END;
        k.len = 0;
        return k;
    case '+':
        k.kind = TOK_PLUS;
        return k;
    case '-':
        k.kind = TOK_MINUS;
        return k;
    case '*':
        k.kind = s[1] == '*' ? TOK_POW : TOK_STAR;
        k.len = s[1] == '*' ? 2 : 1;
        return k;
    case '/':
        k.kind = TOK_SLASH;
        return k;
    case '(':
        k.kind = TOK_LPAREN;
        return k;
    case ')':
        k.kind = TOK_RPAREN;
        return k;
    case ',':
        k.kind = TOK_COMMA;
        return k;
    default:
        break;
    }
    if (isalpha((unsigned char)*s) || *s == '_') {
        while (is_name_char(*p))
            p++;
        k.kind = TOK_NAME;
        k.len = (size_t)(p - s);
        return k;
    }
    if (!is_digit(*s) && !(*s == '.' && is_digit(s[1])))
        return k; /* TOK_BAD, one byte */
    /* DIGITS [. DIGITS] | . DIGITS, then an optional exponent: exactly what
     * strtod reads as a decimal, so that it stops where we do. */
    while (is_digit(*p))
        p++;
    if (*p == '.')
        for (p++; is_digit(*p);)
            p++;
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        if (*q == '+' || *q == '-')
            q++;
        if (is_digit(*q)) {
            while (is_digit(*q))
                q++;
            p = q;
        }
    }
    k.kind = TOK_NUMBER;
    /* "2x", "1.2.3", "1e", "0x1p3": no number runs straight into these. */
    if (is_name_char(*p) || *p == '.') {
        k.kind = TOK_BADNUM;
        while (is_name_char(*p) || *p == '.')
            p++;
    }
    k.len = (size_t)(p - s);
    return k;
}

static void advance(struct parser *p)
{
    p->tok = lex(p->tok.start + p->tok.len);
}

static size_t column(const struct parser *p, const char *at)
{
    return (size_t)(at - p->text) + 1;
}

static int fail(struct parser *p, const char *at, const char *fmt, ...)
    PARSE_PRINTF(3, 4) PARSE_COLD;

/* Sets the message "column N: ..." for the byte `at`; returns -1. */
static int fail(struct parser *p, const char *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(p->err, fmt, ap);
    va_end(ap);
    return error_prefix(p->err, "column %zu: ", column(p, at));
}

/* Writes token text for quoting: at most PARSE_SHOW_MAX bytes, "..." when
 * cut. Tokens other than TOK_BAD are ASCII, so any cut is clean. */
static void show(char out[PARSE_SHOW_MAX + 4], const char *s, size_t n)
{
    size_t k = n > PARSE_SHOW_MAX ? PARSE_SHOW_MAX : n;
    memcpy(out, s, k);
    if (k < n) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = '\0';
}

/* Fails at the current token, which is not what the grammar `wants`. */
PARSE_COLD static int unexpected(struct parser *p, const char *wants)
{
    char shown[PARSE_SHOW_MAX + 4];
    const struct token *k = &p->tok;
    switch (k->kind) {
    case TOK_END:
        return fail(p, k->start, "expected %s, got end of input", wants);
    case TOK_BAD: {
        unsigned char c = (unsigned char)*k->start;
        if (isprint(c))
            return fail(p, k->start, "unexpected character '%c'", c);
        return fail(p, k->start, "unexpected character '\\x%02x'", c);
    }
    case TOK_BADNUM:
        show(shown, k->start, k->len);
        return fail(p, k->start, "malformed number '%s'", shown);
    default:
        show(shown, k->start, k->len);
        return fail(p, k->start, "expected %s, got '%s'", wants, shown);
    }
}

/* What is wrong with a name (or number) token. */
enum fault {
    UNKNOWN_NAME,
    UNKNOWN_FUNCTION,
    NOT_A_FUNCTION,
    NEEDS_ARGUMENTS,
    WRONG_COUNT, /* of arguments: arity and got say more */
    NOT_FINITE
};

/* Fails at the token `name`, quoting it. */
PARSE_COLD static int fail_at(struct parser *p, const struct token *name,
                              enum fault which, int arity, int got)
{
    char shown[PARSE_SHOW_MAX + 4];
    show(shown, name->start, name->len);
    switch (which) {
    case UNKNOWN_NAME:
        return fail(p, name->start, "unknown name '%s'", shown);
    case UNKNOWN_FUNCTION:
        return fail(p, name->start, "unknown function '%s'", shown);
    case NOT_A_FUNCTION:
        return fail(p, name->start, "'%s' is not a function", shown);
    case NOT_FINITE:
        return fail(p, name->start, "'%s' is not a finite number", shown);
    case NEEDS_ARGUMENTS: {
        char wants[PARSE_SHOW_MAX + 32];
        snprintf(wants, sizeof wants, "'(' after '%s'", shown);
        return unexpected(p, wants);
    }
    case WRONG_COUNT:
    default:
        return fail(p, name->start, "'%s' takes %d argument%s, got %d", shown,
                    arity, arity == 1 ? "" : "s", got);
    }
}

/* Reads the current TOK_NUMBER into *v. */
static int number_value(struct parser *p, double *v)
{
    char *end;
    *v = strtod(p->tok.start, &end);
    if (end != p->tok.start + p->tok.len)
        return unexpected(p, "a number"); /* cannot happen: see lex */
    if (!isfinite(*v))
        return fail_at(p, &p->tok, NOT_FINITE, 0, 0);
    return 0;
}

PARSE_COLD static int too_deep(struct parser *p, const char *at)
{
    return fail(p, at,
                "nested deeper than %d (each parenthesis, call and "
                "operator counts)",
                PARSE_MAX_NESTING);
}

/* Makes room for n nodes at index `at`, moving [at, size) up, and zeroes
 * them. Fails at `where` when the tree would pass its cap. */
static int insert(struct parser *p, uint32_t at, uint32_t n, const char *where)
{
    struct tree *t = p->t;
    if (n > t->cap - t->size)
        return fail(p, where, "too many nodes ([tree] max_size is %u)",
                    (unsigned)t->cap);
    memmove(&t->nodes[at + n], &t->nodes[at],
            (t->size - at) * sizeof t->nodes[0]);
    memset(&t->nodes[at], 0, n * sizeof t->nodes[0]);
    t->size += n;
    return 0;
}

/* Puts a node of opcode op at index `at` (the end, for a terminal). */
static int put(struct parser *p, uint32_t at, unsigned op, const char *where)
{
    if (insert(p, at, 1, where) < 0)
        return -1;
    p->t->nodes[at].op = (uint16_t)op;
    return 0;
}

static int put_const(struct parser *p, double v, const char *where)
{
    if (put(p, p->t->size, OP_CONST, where) < 0)
        return -1;
    p->t->nodes[p->t->size - 1].value = v;
    return 0;
}

/* Removes the n nodes at index `at`, moving [at + n, size) down. */
static void remove_nodes(struct tree *t, uint32_t at, uint32_t n)
{
    memmove(&t->nodes[at], &t->nodes[at + n],
            (t->size - at - n) * sizeof t->nodes[0]);
    t->size -= n;
}

/* Reverses the nodes [from, to). */
static void reverse_nodes(struct tree *t, uint32_t from, uint32_t to)
{
    while (from + 1 < to) {
        struct node x = t->nodes[from];
        t->nodes[from++] = t->nodes[--to];
        t->nodes[to] = x;
    }
}

/* Depth of a function node over arguments at most `depth` deep. */
static int function_depth(struct parser *p, int depth, const char *where,
                          int *out)
{
    if (depth + 1 > PARSE_MAX_NESTING)
        return too_deep(p, where);
    *out = depth + 1;
    return 0;
}

/* Nonzero when the token s[0..n) spells name. */
static int spells(const char *s, size_t n, const char *name)
{
    return strncmp(s, name, n) == 0 && name[n] == '\0';
}

/* What a name stands for. */
struct meaning {
    int found;
    unsigned op; /* OP_VAR, OP_CONST, a built-in or a symbol */
    uint16_t var;
    double value;
};

static struct meaning resolve(const struct primset *ps, const char *s, size_t n)
{
    struct meaning m = {1, OP_VAR, 0, 0.0};
    for (int k = 0; k < ps->nvars; k++)
        if (spells(s, n, ps->var_names[k])) {
            m.var = (uint16_t)k;
            return m;
        }
    for (int k = 0; k < ps->nsymbols; k++)
        if (spells(s, n, ps->sym_names[k])) {
            m.op = ps->sym_ops[k];
            return m;
        }
    /* Every built-in, in the set or not: parsing is for people too. */
    for (unsigned op = OP_ADD; op < OP_COUNT; op++)
        if (spells(s, n, prim_table[op].name)) {
            m.op = op;
            return m;
        }
    /* SymPy's names of the printed forms. */
    static const struct {
        const char *name;
        unsigned op;
    } sympy_names[] = {{"Min", OP_MIN}, {"Max", OP_MAX}, {"Abs", OP_ABS}};
    for (size_t k = 0; k < sizeof sympy_names / sizeof sympy_names[0]; k++)
        if (spells(s, n, sympy_names[k].name)) {
            m.op = sympy_names[k].op;
            return m;
        }
    m.op = OP_CONST;
    if (spells(s, n, "pi"))
        m.value = 3.14159265358979323846;
    else if (spells(s, n, "e"))
        m.value = 2.71828182845904523536;
    else
        m.found = 0;
    return m;
}

static int parse_expr(struct parser *p, int *depth);

/* '(' expr ')' or a call's '(' args ')': the '(' is current. */
static int open_paren(struct parser *p)
{
    if (++p->nesting > PARSE_MAX_NESTING)
        return too_deep(p, p->tok.start);
    advance(p);
    return 0;
}

/* NAME '(' args ')', the name already read; the '(' is current. */
static int parse_call(struct parser *p, const struct token *name, unsigned op,
                      int *depth)
{
    int arity = prim_arity(op), got = 0, deepest = 0;
    uint32_t at = p->t->size;
    if (put(p, at, op, name->start) < 0 || open_paren(p) < 0)
        return -1;
    if (p->tok.kind != TOK_RPAREN)
        for (;;) {
            uint32_t before = p->t->size;
            int d;
            if (parse_expr(p, &d) < 0)
                return -1;
            if (++got > arity)
                p->t->size = before; /* only counted, for the message */
            else if (d > deepest)
                deepest = d;
            if (p->tok.kind == TOK_RPAREN)
                break;
            if (p->tok.kind != TOK_COMMA)
                return unexpected(p, "an operator, ',' or ')'");
            advance(p);
        }
    p->nesting--;
    advance(p);
    if (got != arity)
        return fail_at(p, name, WRONG_COUNT, arity, got);
    if (op == OP_SQRT || op == OP_LOG) {
        struct tree *t = p->t;
        int abs_arg = t->nodes[at + 1].op == OP_ABS;
        if (abs_arg)
            remove_nodes(t, at + 1, 1);
        if (op == OP_SQRT)
            p->bare_sqrt = abs_arg ? UINT32_MAX : at;
    }
    return function_depth(p, deepest, name->start, depth);
}

/* Consumes the current token, which must be of `kind` (`what` names it
 * for the message); counts parentheses as open_paren does. */
static int take(struct parser *p, enum tok kind, const char *what)
{
    if (p->tok.kind != kind)
        return unexpected(p, what);
    if (kind == TOK_LPAREN)
        return open_paren(p);
    if (kind == TOK_RPAREN)
        p->nesting--;
    advance(p);
    return 0;
}

/* Consumes the name `word`. */
static int take_word(struct parser *p, const char *word, const char *what)
{
    if (p->tok.kind != TOK_NAME || !spells(p->tok.start, p->tok.len, word))
        return unexpected(p, what);
    advance(p);
    return 0;
}

/* Consumes ", 0)" (the end of Ne(E, 0)). */
static int take_zero(struct parser *p)
{
    double zero;
    if (take(p, TOK_COMMA, "','") < 0)
        return -1;
    if (p->tok.kind != TOK_NUMBER || number_value(p, &zero) < 0 || zero != 0.0)
        return unexpected(p, "0");
    advance(p);
    return take(p, TOK_RPAREN, "')'");
}

/*
 * A condition, as infix.c writes one (cond in the grammar above): And,
 * Or, Nand, Nor and Not of conditions are those functions' nodes,
 * And(Implies(C, A), Or(C, B)) is if(C, A, B), and Ne(E, 0) is E's
 * nodes. *direct is set when it was And, Or, Nand, Nor or Not, whose
 * value is then the Piecewise's.
 */
static int parse_condition(struct parser *p, int *depth, int *direct)
{
    static const struct {
        const char *name;
        unsigned op;
    } forms[] = {{"And", OP_AND},
                 {"Or", OP_OR},
                 {"Nand", OP_NAND},
                 {"Nor", OP_NOR},
                 {"Not", OP_NOT}};
    struct tree *t = p->t;
    const char *at = p->tok.start;
    *direct = 0;
    if (p->tok.kind == TOK_NAME && spells(at, p->tok.len, "Ne")) {
        advance(p);
        if (take(p, TOK_LPAREN, "'('") < 0 || parse_expr(p, depth) < 0)
            return -1;
        return take_zero(p);
    }
    size_t k = 0;
    while (k < 5 && !(p->tok.kind == TOK_NAME &&
                      spells(at, p->tok.len, forms[k].name)))
        k++;
    if (k == 5)
        return unexpected(p, "a condition (Ne, And, Or, Nand, Nor or Not)");
    unsigned op = forms[k].op;
    int deepest = 0, d, ignored;
    advance(p);
    if (put(p, t->size, op, at) < 0 || take(p, TOK_LPAREN, "'('") < 0)
        return -1;
    if (op == OP_AND && p->tok.kind == TOK_NAME &&
        spells(p->tok.start, p->tok.len, "Implies")) {
        /* if(C, A, B), as And(Implies(C, A), Or(C, B)): C twice, the same
         * both times, read once. */
        t->nodes[t->size - 1].op = OP_IF;
        advance(p);
        uint32_t c = t->size, c_end, again;
        if (take(p, TOK_LPAREN, "'('") < 0 ||
            parse_condition(p, &deepest, &ignored) < 0)
            return -1;
        c_end = t->size;
        if (take(p, TOK_COMMA, "','") < 0 ||
            parse_condition(p, &d, &ignored) < 0 ||
            take(p, TOK_RPAREN, "')'") < 0 || take(p, TOK_COMMA, "','") < 0)
            return -1;
        deepest = d > deepest ? d : deepest;
        const char *second = p->tok.start;
        if (take_word(p, "Or", "'Or'") < 0 || take(p, TOK_LPAREN, "'('") < 0)
            return -1;
        again = t->size;
        if (parse_condition(p, &d, &ignored) < 0)
            return -1;
        if (t->size - again != c_end - c ||
            memcmp(&t->nodes[again], &t->nodes[c],
                   (c_end - c) * sizeof t->nodes[0]) != 0)
            return fail(p, second,
                        "the two conditions of an if (And(Implies(C, A), "
                        "Or(C, B))) differ");
        t->size = again;
        if (take(p, TOK_COMMA, "','") < 0 ||
            parse_condition(p, &d, &ignored) < 0 ||
            take(p, TOK_RPAREN, "')'") < 0 || take(p, TOK_RPAREN, "')'") < 0)
            return -1;
        deepest = d > deepest ? d : deepest;
        return function_depth(p, deepest, at, depth);
    }
    for (int a = 0; a < prim_arity(op); a++) {
        if ((a > 0 && take(p, TOK_COMMA, "','") < 0) ||
            parse_condition(p, &d, &ignored) < 0)
            return -1;
        deepest = d > deepest ? d : deepest;
    }
    if (take(p, TOK_RPAREN, "')'") < 0)
        return -1;
    *direct = 1;
    return function_depth(p, deepest, at, depth);
}

/* The value of the subtree [from, to) when it is one constant, else NaN. */
static double lone_constant(const struct tree *t, uint32_t from, uint32_t to)
{
    return to == from + 1 && t->nodes[from].op == OP_CONST
               ? t->nodes[from].value
               : NAN;
}

/*
 * Piecewise((E1, COND), (E2, True)), the name read and the '(' current:
 * with E1 1, E2 0 and COND an And, Or, Nand, Nor or Not, that function;
 * else if(COND, E1, E2).
 */
static int parse_piecewise(struct parser *p, int *depth)
{
    struct tree *t = p->t;
    uint32_t e1 = t->size, c, e2;
    int d, deepest = 0, direct;
    if (take(p, TOK_LPAREN, "'('") < 0 || take(p, TOK_LPAREN, "'('") < 0 ||
        parse_expr(p, &deepest) < 0 || take(p, TOK_COMMA, "','") < 0)
        return -1;
    c = t->size;
    if (parse_condition(p, &d, &direct) < 0)
        return -1;
    deepest = d > deepest ? d : deepest;
    if (take(p, TOK_RPAREN, "')'") < 0 || take(p, TOK_COMMA, "','") < 0 ||
        take(p, TOK_LPAREN, "'('") < 0)
        return -1;
    e2 = t->size;
    if (parse_expr(p, &d) < 0 || take(p, TOK_COMMA, "','") < 0 ||
        take_word(p, "True", "'True'") < 0 || take(p, TOK_RPAREN, "')'") < 0 ||
        take(p, TOK_RPAREN, "')'") < 0)
        return -1;
    deepest = d > deepest ? d : deepest;
    if (direct && lone_constant(t, e1, c) == 1.0 &&
        lone_constant(t, e2, t->size) == 0.0) {
        /* The connective's own value: the constants go. */
        t->size--;
        remove_nodes(t, e1, 1);
        *depth = deepest;
        return 0;
    }
    /* if: E1, COND, E2 in the text; COND, E1, E2 in prefix order. */
    if (insert(p, e1, 1, p->tok.start) < 0)
        return -1;
    t->nodes[e1].op = OP_IF;
    reverse_nodes(t, e1 + 1, e2 + 1);
    reverse_nodes(t, e1 + 1, e1 + 1 + (e2 - c));
    reverse_nodes(t, e1 + 1 + (e2 - c), e2 + 1);
    return function_depth(p, deepest, p->tok.start, depth);
}

static int parse_name(struct parser *p, int *depth)
{
    struct token name = p->tok;
    struct meaning m = resolve(p->ps, name.start, name.len);
    advance(p);
    int call = p->tok.kind == TOK_LPAREN;
    if (!m.found && call && spells(name.start, name.len, "Piecewise"))
        return parse_piecewise(p, depth);
    if (!m.found) {
        p->unknown = name.start;
        p->unknown_len = name.len;
        return fail_at(p, &name, call ? UNKNOWN_FUNCTION : UNKNOWN_NAME, 0, 0);
    }
    *depth = 0;
    if (m.op != OP_VAR && m.op != OP_CONST && prim_arity(m.op) > 0)
        return call ? parse_call(p, &name, m.op, depth)
                    : fail_at(p, &name, NEEDS_ARGUMENTS, 0, 0);
    if (call)
        return fail_at(p, &name, NOT_A_FUNCTION, 0, 0);
    if (put(p, p->t->size, m.op, name.start) < 0)
        return -1;
    p->t->nodes[p->t->size - 1].var = m.var;
    p->t->nodes[p->t->size - 1].value = m.value;
    return 0;
}

static int parse_primary(struct parser *p, int *depth)
{
    double v;
    *depth = 0;
    switch (p->tok.kind) {
    case TOK_NUMBER:
        if (number_value(p, &v) < 0 || put_const(p, v, p->tok.start) < 0)
            return -1;
        advance(p);
        return 0;
    case TOK_NAME:
        return parse_name(p, depth);
    case TOK_LPAREN:
        if (open_paren(p) < 0 || parse_expr(p, depth) < 0)
            return -1;
        if (p->tok.kind != TOK_RPAREN)
            return unexpected(p, "an operator or ')'");
        p->nesting--;
        advance(p);
        return 0;
    default:
        return unexpected(p, "an expression");
    }
}

/* The exponent after '**': '('* NUMBER ')'*, and the NUMBER must be 2.
 * Read without recursion or nodes, so x**2 fits wherever square(x) does. */
static int parse_exponent(struct parser *p)
{
    const char *at = p->tok.start;
    int open = 0;
    double v = 0.0;
    while (p->tok.kind == TOK_LPAREN) {
        open++;
        advance(p);
    }
    if (p->tok.kind == TOK_NUMBER && strtod(p->tok.start, NULL) == 2.0) {
        advance(p);
        for (; open > 0 && p->tok.kind == TOK_RPAREN; open--)
            advance(p);
        v = 2.0;
    }
    /* x**2**2 means x**(2**2) in Python: not a square either. */
    if (v != 2.0 || open > 0 || p->tok.kind == TOK_POW)
        return fail(p, at, "only **2 is supported");
    return 0;
}

static int parse_power(struct parser *p, int *depth)
{
    uint32_t at = p->t->size;
    if (parse_primary(p, depth) < 0)
        return -1;
    if (p->tok.kind != TOK_POW)
        return 0;
    const char *op = p->tok.start;
    advance(p);
    if (parse_exponent(p) < 0 || function_depth(p, *depth, op, depth) < 0)
        return -1;
    return put(p, at, OP_SQUARE, op);
}

static int parse_unary(struct parser *p, int *depth)
{
    uint32_t at = p->t->size;
    const char *first = p->tok.start;
    uint32_t negs = 0;
    for (; p->tok.kind == TOK_MINUS; advance(p))
        if (++negs > PARSE_MAX_NESTING)
            return too_deep(p, p->tok.start);
    /* -2 is the constant -2, but -2**2 is -(2**2) as in Python. */
    if (negs > 0 && p->tok.kind == TOK_NUMBER &&
        lex(p->tok.start + p->tok.len).kind != TOK_POW) {
        double v;
        if (number_value(p, &v) < 0 || put_const(p, -v, p->tok.start) < 0)
            return -1;
        advance(p);
        negs--;
        *depth = 0;
    } else if (parse_power(p, depth) < 0) {
        return -1;
    }
    if (negs == 0)
        return 0;
    if (*depth + (int)negs > PARSE_MAX_NESTING)
        return too_deep(p, first);
    *depth += (int)negs;
    if (insert(p, at, negs, first) < 0)
        return -1;
    for (uint32_t i = 0; i < negs; i++)
        p->t->nodes[at + i].op = OP_NEG;
    return 0;
}

/* Whether the divisor read at node `at` is sqrt(1 + B**2), its sqrt
 * written without abs(): aq's printed form. */
static int aq_divisor(const struct parser *p, uint32_t at)
{
    const struct node *n = p->t->nodes;
    return p->bare_sqrt == at && p->t->size > at + 4 &&
           n[at].op == OP_SQRT && n[at + 1].op == OP_ADD &&
           n[at + 2].op == OP_CONST && n[at + 2].value == 1.0 &&
           n[at + 3].op == OP_SQUARE;
}

/* A left-associative chain of `next` joined by two operators. */
static int parse_chain(struct parser *p, int *depth,
                       int (*next)(struct parser *, int *), enum tok tok1,
                       unsigned op1, enum tok tok2, unsigned op2)
{
    uint32_t at = p->t->size;
    if (next(p, depth) < 0)
        return -1;
    while (p->tok.kind == tok1 || p->tok.kind == tok2) {
        const char *where = p->tok.start;
        unsigned op = p->tok.kind == tok1 ? op1 : op2;
        int right;
        advance(p);
        /* Prefix order: the operator goes before its left operand. */
        if (put(p, at, op, where) < 0)
            return -1;
        uint32_t divisor = p->t->size;
        if (next(p, &right) < 0)
            return -1;
        if (op == OP_DIV && aq_divisor(p, divisor)) {
            /* A / sqrt(1 + B**2): aq(A, B), its sqrt, add, 1 and square
             * taken out. */
            p->t->nodes[at].op = OP_AQ;
            remove_nodes(p->t, divisor, 4);
            p->bare_sqrt = UINT32_MAX;
        }
        if (right > *depth)
            *depth = right;
        if (function_depth(p, *depth, where, depth) < 0)
            return -1;
    }
    return 0;
}

static int parse_term(struct parser *p, int *depth)
{
    return parse_chain(p, depth, parse_unary, TOK_STAR, OP_MUL, TOK_SLASH,
                       OP_DIV);
}

static int parse_expr(struct parser *p, int *depth)
{
    return parse_chain(p, depth, parse_term, TOK_PLUS, OP_ADD, TOK_MINUS,
                       OP_SUB);
}

/* Adds to the message for an unknown name the nearest variable, function
 * or symbol, if one is close. Called after the recursion has unwound, so
 * that its buffers take stack space once. */
static void suggest(const struct parser *p)
{
    const char *names[PRIM_MAX_VARS + OP_COUNT + PRIM_MAX_SYMBOLS];
    size_t n = 0;
    char word[64];
    if (p->unknown_len >= sizeof word)
        return; /* too long to be a misspelling */
    memcpy(word, p->unknown, p->unknown_len);
    word[p->unknown_len] = '\0';
    /* Not a misspelt 'nand' or 'if': a number a program cannot hold. */
    if (strcasecmp(word, "nan") == 0 || strcasecmp(word, "inf") == 0 ||
        strcasecmp(word, "infinity") == 0) {
        size_t len = strlen(p->err->msg);
        snprintf(p->err->msg + len, sizeof p->err->msg - len,
                 "; constants must be finite numbers");
        return;
    }
    for (int k = 0; k < p->ps->nvars; k++)
        names[n++] = p->ps->var_names[k];
    for (int op = OP_ADD; op < OP_COUNT; op++)
        names[n++] = prim_table[op].name;
    for (int k = 0; k < p->ps->nsymbols; k++)
        names[n++] = p->ps->sym_names[k];
    const char *near = text_suggest(word, names, n);
    if (!near)
        return;
    size_t len = strlen(p->err->msg);
    snprintf(p->err->msg + len, sizeof p->err->msg - len,
             "; did you mean '%s'?", near);
}

int parse_program(struct tree *t, const char *text, const struct primset *ps,
                  struct error *err)
{
    struct parser p = {text, ps, t, err, lex(text), 0, NULL, 0, UINT32_MAX};
    int depth;
    t->size = 0;
    if (p.tok.kind == TOK_END) {
        error_set(err, "column 1: empty input, expected an expression");
        return -1;
    }
    if (parse_expr(&p, &depth) == 0) {
        if (p.tok.kind == TOK_END) {
            tree_set_shape(t);
            return 0;
        }
        unexpected(&p, "an operator or end of input");
    }
    if (p.unknown)
        suggest(&p);
    t->size = 0;
    return -1;
}
