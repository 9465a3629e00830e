/* export: forkgp export: a finished run's program as standalone code. */
#include "export.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitcode.h"
#include "infix.h"
#include "predict.h"
/* engine/vmath.h and engine/vmath.c as lines of text (vmath_source[],
 * NULL-terminated), made by the Makefile from the files the interpreter
 * is compiled from: the exported C computes exp, log, sin, cos and tanh
 * with the very same code. */
#include "vmath_source.h"

/*
 * How each built-in computes, written out for the exported code: the
 * interpreter's semantics (engine/interp.c, interp_apply). A function
 * missing here is refused by export; one whose semantics change there
 * must change here too, and tests/e2e/predict.sh, which runs every
 * function at its edges through the exported C and Python and through
 * forkgp predict, says when they differ. add, sub, mul and neg are
 * written as operators. c_def and py_def are NULL where c_call or
 * py_call is the library's (or vmath's).
 */
struct export_op {
    const char *c_call, *c_def;
    const char *py_call, *py_def;
};

static const struct export_op export_ops[OP_COUNT] = {
    [OP_DIV] = {"forkgp_div",
                "/* a / b, IEEE's: inf or NaN where b is 0 */\n"
                "static double forkgp_div(double a, double b)\n"
                "{\n    return a / b;\n}\n",
                "_div",
                "def _div(a, b):\n"
                "    \"\"\"a / b, IEEE's: inf or NaN where b is 0\"\"\"\n"
                "    with np.errstate(divide='ignore', invalid='ignore'):\n"
                "        return np.asarray(a, dtype=float) / "
                "np.asarray(b, dtype=float)\n"},
    [OP_AQ] = {"forkgp_aq",
               "/* the analytic quotient a / sqrt(1 + b*b) */\n"
               "static double forkgp_aq(double a, double b)\n"
               "{\n    return a / sqrt(1.0 + b * b);\n}\n",
               "_aq",
               "def _aq(a, b):\n"
               "    \"\"\"the analytic quotient a / sqrt(1 + b*b)\"\"\"\n"
               "    b = np.asarray(b, dtype=float)\n"
               "    return np.asarray(a, dtype=float) / np.sqrt(1.0 + b * b)\n"},
    [OP_ABS] = {"fabs", NULL, "np.abs", NULL},
    [OP_SQUARE] = {"forkgp_square",
                   "static double forkgp_square(double a)\n"
                   "{\n    return a * a;\n}\n",
                   "_square", "def _square(a):\n    return a * a\n"},
    [OP_SQRT] = {"forkgp_sqrt",
                 "/* the square root of |a| */\n"
                 "static double forkgp_sqrt(double a)\n"
                 "{\n    return sqrt(fabs(a));\n}\n",
                 "_sqrt",
                 "def _sqrt(a):\n"
                 "    \"\"\"the square root of |a|\"\"\"\n"
                 "    return np.sqrt(np.abs(a))\n"},
    [OP_EXP] = {"vmath_exp", NULL, "np.exp", NULL},
    [OP_LOG] = {"forkgp_log",
                "/* the natural log of |a|: -inf where a is 0 */\n"
                "static double forkgp_log(double a)\n"
                "{\n    return vmath_log(fabs(a));\n}\n",
                "_log",
                "def _log(a):\n"
                "    \"\"\"the natural log of |a|: -inf where a is 0\"\"\"\n"
                "    with np.errstate(divide='ignore'):\n"
                "        return np.log(np.abs(np.asarray(a, dtype=float)))\n"},
    [OP_SIN] = {"vmath_sin", NULL, "np.sin", NULL},
    [OP_COS] = {"vmath_cos", NULL, "np.cos", NULL},
    [OP_TANH] = {"vmath_tanh", NULL, "np.tanh", NULL},
    [OP_MIN] = {"forkgp_min",
                "/* the smaller of a and b: NaN where either is, b on a tie */\n"
                "static double forkgp_min(double a, double b)\n"
                "{\n    return a < b || a != a ? a : b;\n}\n",
                "_min",
                "def _min(a, b):\n"
                "    \"\"\"the smaller of a and b: NaN where either is\"\"\"\n"
                "    a, b = np.asarray(a, dtype=float), np.asarray(b, "
                "dtype=float)\n"
                "    return np.where((a < b) | np.isnan(a), a, b)\n"},
    [OP_MAX] = {"forkgp_max",
                "/* the larger of a and b: NaN where either is, b on a tie */\n"
                "static double forkgp_max(double a, double b)\n"
                "{\n    return a > b || a != a ? a : b;\n}\n",
                "_max",
                "def _max(a, b):\n"
                "    \"\"\"the larger of a and b: NaN where either is\"\"\"\n"
                "    a, b = np.asarray(a, dtype=float), np.asarray(b, "
                "dtype=float)\n"
                "    return np.where((a > b) | np.isnan(a), a, b)\n"},
    [OP_AND] = {"forkgp_and",
                "static double forkgp_and(double a, double b)\n"
                "{\n    return a != 0.0 && b != 0.0 ? 1.0 : 0.0;\n}\n",
                "_and",
                "def _and(a, b):\n"
                "    return np.where((np.asarray(a) != 0.0) & "
                "(np.asarray(b) != 0.0), 1.0, 0.0)\n"},
    [OP_OR] = {"forkgp_or",
               "static double forkgp_or(double a, double b)\n"
               "{\n    return a != 0.0 || b != 0.0 ? 1.0 : 0.0;\n}\n",
               "_or",
               "def _or(a, b):\n"
               "    return np.where((np.asarray(a) != 0.0) | "
               "(np.asarray(b) != 0.0), 1.0, 0.0)\n"},
    [OP_NOT] = {"forkgp_not",
                "static double forkgp_not(double a)\n"
                "{\n    return a == 0.0 ? 1.0 : 0.0;\n}\n",
                "_not",
                "def _not(a):\n"
                "    return np.where(np.asarray(a) == 0.0, 1.0, 0.0)\n"},
    [OP_NAND] = {"forkgp_nand",
                 "static double forkgp_nand(double a, double b)\n"
                 "{\n    return a != 0.0 && b != 0.0 ? 0.0 : 1.0;\n}\n",
                 "_nand",
                 "def _nand(a, b):\n"
                 "    return np.where((np.asarray(a) != 0.0) & "
                 "(np.asarray(b) != 0.0), 0.0, 1.0)\n"},
    [OP_NOR] = {"forkgp_nor",
                "static double forkgp_nor(double a, double b)\n"
                "{\n    return a != 0.0 || b != 0.0 ? 0.0 : 1.0;\n}\n",
                "_nor",
                "def _nor(a, b):\n"
                "    return np.where((np.asarray(a) != 0.0) | "
                "(np.asarray(b) != 0.0), 0.0, 1.0)\n"},
    [OP_IF] = {"forkgp_if",
               "/* b where a is nonzero, else c */\n"
               "static double forkgp_if(double a, double b, double c)\n"
               "{\n    return a != 0.0 ? b : c;\n}\n",
               "_if",
               "def _if(a, b, c):\n"
               "    \"\"\"b where a is nonzero, else c\"\"\"\n"
               "    return np.where(np.asarray(a) != 0.0, b, c)\n"},
};

/* The operators: printed between (or before) their arguments. */
static const char *operator_of(unsigned op)
{
    switch (op) {
    case OP_ADD:
        return " + ";
    case OP_SUB:
        return " - ";
    case OP_MUL:
        return " * ";
    case OP_NEG:
        return "-";
    default:
        return NULL;
    }
}

/* Whether vmath's code is needed: exp, log, sin, cos and tanh use it. */
static int uses_vmath(unsigned op)
{
    return op == OP_EXP || op == OP_LOG || op == OP_SIN || op == OP_COS ||
           op == OP_TANH;
}

/* The shortest decimal text that reads back as v (whole numbers below
 * 1e15 without an exponent, as infix prints them). */
static void number_text(char *buf, size_t size, double v)
{
    if (v == trunc(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int digits = 1; digits <= 17; digits++) {
        snprintf(buf, size, "%.*g", digits, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

enum lang { LANG_C, LANG_PYTHON };

/* A constant as a double literal of C or Python: a point or an exponent
 * always (100 would be an integer), in parentheses when negative. */
static void code_number(FILE *out, double v, enum lang lang)
{
    if (isnan(v)) {
        fputs(lang == LANG_C ? "NAN" : "np.nan", out);
        return;
    }
    if (isinf(v)) {
        fputs(v > 0            ? (lang == LANG_C ? "INFINITY" : "np.inf")
              : lang == LANG_C ? "(-INFINITY)"
                               : "(-np.inf)",
              out);
        return;
    }
    char buf[40];
    number_text(buf, sizeof buf, v);
    int whole = strpbrk(buf, ".e") == NULL;
    fprintf(out, "%s%s%s%s", buf[0] == '-' ? "(" : "", buf, whole ? ".0" : "",
            buf[0] == '-' ? ")" : "");
}

/*
 * Writes the subtree at node *i as an expression of lang, and moves *i
 * past it; marks the functions it calls in used[]. Variables are x[k] (C)
 * or X[:, k] (Python). Returns 0, or -1 with the first function that the
 * table lacks in *missing.
 */
static int code_expr(FILE *out, const struct tree *t, uint32_t *i,
                     enum lang lang, unsigned char *used, unsigned *missing)
{
    const struct node *nd = &t->nodes[(*i)++];
    if (nd->op == OP_VAR) {
        fprintf(out, lang == LANG_C ? "x[%u]" : "X[:, %u]", (unsigned)nd->var);
        return 0;
    }
    if (nd->op == OP_CONST) {
        code_number(out, nd->value, lang);
        return 0;
    }
    const char *infix = operator_of(nd->op);
    const struct export_op *e = nd->op < OP_COUNT ? &export_ops[nd->op] : NULL;
    const char *call = !e ? NULL : lang == LANG_C ? e->c_call : e->py_call;
    if (!infix && !call) {
        *missing = nd->op;
        return -1;
    }
    int arity = prim_arity(nd->op);
    if (infix && arity == 1) {
        fprintf(out, "(%s", infix);
        int rc = code_expr(out, t, i, lang, used, missing);
        fputc(')', out);
        return rc;
    }
    if (infix) {
        fputc('(', out);
        if (code_expr(out, t, i, lang, used, missing) < 0)
            return -1;
        fputs(infix, out);
        int rc = code_expr(out, t, i, lang, used, missing);
        fputc(')', out);
        return rc;
    }
    used[nd->op] = 1;
    fprintf(out, "%s(", call);
    for (int k = 0; k < arity; k++) {
        if (k)
            fputs(", ", out);
        if (code_expr(out, t, i, lang, used, missing) < 0)
            return -1;
    }
    fputc(')', out);
    return 0;
}

/* The program as infix text (what the run printed, canonically), owned. */
static char *program_text(const struct predict_model *m)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    infix_write(f, &m->tree, &m->ps);
    if (fclose(f) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* The model's expression in lang, malloc'd, marking the functions it
 * calls in used. NULL with *rc -1 (a function lang cannot write: said on
 * stderr) or -2 (out of memory). */
static char *model_expr(const struct predict_model *m, enum lang lang,
                        unsigned char *used, int *rc)
{
    unsigned missing = 0;
    char *body = NULL;
    size_t len = 0;
    FILE *b = open_memstream(&body, &len);
    if (!b) {
        *rc = -2;
        return NULL;
    }
    uint32_t i = 0;
    *rc = code_expr(b, &m->tree, &i, lang, used, &missing);
    if (fclose(b) != 0)
        *rc = -2;
    if (*rc == -1)
        fprintf(stderr, "forkgp: export: cannot write function '%s' in %s\n",
                primset_name(&m->ps, missing),
                lang == LANG_C ? "C" : "Python");
    if (*rc < 0) {
        free(body);
        return NULL;
    }
    return body;
}

/* Writes the C translation unit: vmath's code when needed, the helpers,
 * then forkgp_model. */
static int export_c(FILE *out, const struct predict_model *m,
                    const char *program)
{
    unsigned char used[OP_COUNT] = {0};
    int rc;
    char *body = model_expr(m, LANG_C, used, &rc);
    if (!body)
        return rc;
    int vmath = 0;
    for (unsigned op = 0; op < OP_COUNT; op++)
        vmath |= used[op] && uses_vmath(op);
    fprintf(out,
            "/*\n"
            " * forkgp_model: the program of %s, exported by forkgp %s:\n"
            " *     %s\n"
            " * It computes what forkgp computes, to the bit, with every "
            "protection\n"
            " * and forkgp's own exp, log, sin, cos and tanh written out. "
            "Build it\n"
            " * with -ffp-contract=off (a fused multiply-add rounds once "
            "where forkgp\n"
            " * rounds twice) and without -ffast-math, e.g.\n"
            " *     cc -std=c11 -O2 -ffp-contract=off -c model.c "
            "(link with -lm)\n"
            " * x holds one row of the inputs, in this order:\n",
            m->source, FORKGP_VERSION, program);
    for (int k = 0; k < m->ps.nvars; k++)
        fprintf(out, " *     x[%d] = %s\n", k, m->ps.var_names[k]);
    if (m->ps.nvars == 0)
        fputs(" *     (none: the program uses no input)\n", out);
    fputs(" */\n#include <math.h>\n\n", out);
    if (vmath) {
        fputs("/* ---- engine/vmath.h and engine/vmath.c of forkgp, as "
              "they are ---- */\n",
              out);
        for (const char *const *line = vmath_source; *line; line++)
            fprintf(out, "%s\n", *line);
        fputs("/* ---- end of forkgp's vmath ---- */\n\n", out);
    }
    for (unsigned op = 0; op < OP_COUNT; op++)
        if (used[op] && export_ops[op].c_def)
            fprintf(out, "%s\n", export_ops[op].c_def);
    int reads_x = 0;
    for (uint32_t k = 0; k < m->tree.size; k++)
        reads_x |= m->tree.nodes[k].op == OP_VAR;
    fprintf(out,
            "double forkgp_model(const double *x);\n\n"
            "double forkgp_model(const double *x)\n{\n%s"
            "    return %s;\n}\n",
            reads_x ? "" : "    (void)x; /* a constant */\n", body);
    free(body);
    return 0;
}

/* Writes the Python module: the helpers, then forkgp_model. */
static int export_python(FILE *out, const struct predict_model *m,
                         const char *program)
{
    unsigned char used[OP_COUNT] = {0};
    int rc;
    char *body = model_expr(m, LANG_PYTHON, used, &rc);
    if (!body)
        return rc;
    fprintf(out,
            "# forkgp_model: the program of %s, exported by forkgp %s:\n"
            "#     %s\n"
            "# With NumPy it computes what forkgp computes, every protection "
            "written\n"
            "# out, but with NumPy's exp, log, sin, cos and tanh: each within "
            "a unit\n"
            "# in the last place of forkgp's own.\n"
            "import numpy as np\n\n"
            "VARIABLES = [",
            m->source, FORKGP_VERSION, program);
    for (int k = 0; k < m->ps.nvars; k++)
        fprintf(out, "%s\"%s\"", k ? ", " : "", m->ps.var_names[k]);
    fputs("]\n\n", out);
    for (unsigned op = 0; op < OP_COUNT; op++)
        if (used[op] && export_ops[op].py_def)
            fprintf(out, "\n%s\n", export_ops[op].py_def);
    fprintf(out,
            "\ndef forkgp_model(X):\n"
            "    \"\"\"The predictions for the rows of X, an array of shape "
            "(rows, %d)\n"
            "    whose columns are VARIABLES, in that order.\"\"\"\n"
            "    X = np.asarray(X, dtype=float)\n"
            "    if X.ndim != 2 or X.shape[1] != %d:\n"
            "        raise ValueError(\"forkgp_model: X must have shape (rows, "
            "%d)\")\n"
            "    with np.errstate(all=\"ignore\"):\n"
            "        y = %s\n"
            "    return np.broadcast_to(np.asarray(y, dtype=float), "
            "(X.shape[0],)).copy()\n",
            m->ps.nvars, m->ps.nvars, m->ps.nvars, body);
    free(body);
    return 0;
}

/* A string made by printf (owned), or NULL when memory runs out. */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
static char *
strf(const char *fmt, ...);
static char *strf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = n >= 0 ? malloc((size_t)n + 1) : NULL;
    if (s) {
        va_start(ap, fmt);
        vsnprintf(s, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    return s;
}

/* How tightly a LaTeX term binds, loosest first: a sum, a product, a term
 * that starts with a minus, a power, a function's application, an atom. */
enum prec { P_SUM, P_PRODUCT, P_MINUS, P_POWER, P_CALL, P_ATOM };

/* A variable's name in LaTeX: x, x_{1}, \mathrm{rate}_{2}. */
static char *latex_name(const char *name)
{
    size_t n = strlen(name), base = n;
    while (base > 0 && name[base - 1] >= '0' && name[base - 1] <= '9')
        base--;
    if (base == 0)
        base = n; /* all digits: no subscript */
    size_t stem = base;
    if (stem > 1 && base < n && name[stem - 1] == '_')
        stem--; /* x_1 as x_{1} */
    char *s = malloc(2 * n + 32);
    if (!s)
        return NULL;
    size_t k = 0;
    if (stem > 1)
        k += (size_t)sprintf(s, "\\mathrm{");
    for (size_t j = 0; j < stem; j++) {
        if (name[j] == '_')
            s[k++] = '\\';
        s[k++] = name[j];
    }
    if (stem > 1)
        s[k++] = '}';
    if (base < n)
        k += (size_t)sprintf(s + k, "_{%s}", name + base);
    s[k] = '\0';
    return s;
}

/* The subtree at *i in LaTeX (owned; NULL when memory runs out), and how
 * tightly it binds in *prec; moves *i past it. */
static char *latex(const struct predict_model *m, uint32_t *i, enum prec *prec)
{
    const struct node *nd = &m->tree.nodes[(*i)++];
    *prec = P_ATOM;
    if (nd->op == OP_VAR)
        return latex_name(m->ps.var_names[nd->var]);
    if (nd->op == OP_CONST) {
        double v = nd->value;
        if (isnan(v))
            return strf("\\mathrm{NaN}");
        if (isinf(v)) {
            *prec = v < 0 ? P_MINUS : P_ATOM;
            return strf("%s\\infty", v < 0 ? "-" : "");
        }
        char buf[40];
        number_text(buf, sizeof buf, v);
        char *e = strchr(buf, 'e');
        *prec = buf[0] == '-' ? P_MINUS : P_ATOM;
        if (!e)
            return strf("%s", buf);
        *e = '\0';
        int exp10 = atoi(e + 1);
        if (*prec == P_ATOM)
            *prec = P_PRODUCT;
        if (strcmp(buf, "1") == 0)
            return strf("10^{%d}", exp10);
        if (strcmp(buf, "-1") == 0)
            return strf("-10^{%d}", exp10);
        return strf("%s \\cdot 10^{%d}", buf, exp10);
    }
    int arity = prim_arity(nd->op);
    /* sqrt and log take |a|: an argument that is abs(...) already shows
     * its bars once. */
    int abs_arg = arity > 0 && m->tree.nodes[*i].op == OP_ABS;
    char *arg[PRIM_MAX_ARITY] = {NULL};
    enum prec ap[PRIM_MAX_ARITY] = {P_ATOM};
    int ok = 1;
    for (int k = 0; k < arity; k++)
        ok &= (arg[k] = latex(m, i, &ap[k])) != NULL;
    char *wrapped[PRIM_MAX_ARITY] = {NULL};
    char *s = NULL;
    /* An argument in parentheses where it binds looser than `least`, or
     * starts with a minus where a minus cannot follow (`minus` 0). */
#define ARG(k, least, minus)                                                   \
    (ap[k] < (least) || (!(minus) && ap[k] == P_MINUS)                         \
         ? (wrapped[k] = strf("\\left(%s\\right)", arg[k]))                    \
         : arg[k])
    if (ok) {
        switch (nd->op) {
        case OP_ADD:
            *prec = P_SUM;
            s = strf("%s + %s", arg[0], ARG(1, P_SUM, 0));
            break;
        case OP_SUB:
            *prec = P_SUM;
            s = strf("%s - %s", arg[0], ARG(1, P_PRODUCT, 0));
            break;
        case OP_MUL:
            *prec = P_PRODUCT;
            s = strf("%s \\cdot %s", ARG(0, P_PRODUCT, 1),
                     ARG(1, P_PRODUCT, 0));
            break;
        case OP_DIV:
            *prec = P_CALL;
            s = strf("\\frac{%s}{%s}", arg[0], arg[1]);
            break;
        case OP_NEG:
            *prec = P_MINUS;
            s = strf("-%s", ARG(0, P_PRODUCT, 0));
            break;
        case OP_ABS:
            s = strf("\\left|%s\\right|", arg[0]);
            break;
        case OP_SQUARE:
            *prec = P_POWER;
            s = strf("%s^{2}", ARG(0, P_ATOM, 0));
            break;
        case OP_SQRT:
            *prec = P_CALL;
            s = abs_arg ? strf("\\sqrt{%s}", arg[0])
                        : strf("\\sqrt{\\left|%s\\right|}", arg[0]);
            break;
        case OP_EXP:
            *prec = P_POWER;
            s = strf("e^{%s}", arg[0]);
            break;
        case OP_LOG:
            *prec = P_CALL;
            s = abs_arg ? strf("\\log%s", arg[0])
                        : strf("\\log\\left|%s\\right|", arg[0]);
            break;
        default: {
            /* \sin(a), \min(a, b), \operatorname{if}(a, b, c) */
            const char *name = primset_name(&m->ps, nd->op);
            int known = strcmp(name, "sin") == 0 || strcmp(name, "cos") == 0 ||
                        strcmp(name, "tanh") == 0 || strcmp(name, "min") == 0 ||
                        strcmp(name, "max") == 0;
            *prec = P_CALL;
            s = strf("%s%s%s\\left(%s%s%s%s%s\\right)",
                     known ? "\\" : "\\operatorname{", name, known ? "" : "}",
                     arity > 0 ? arg[0] : "", arity > 1 ? ", " : "",
                     arity > 1 ? arg[1] : "", arity > 2 ? ", " : "",
                     arity > 2 ? arg[2] : "");
        }
        }
    }
#undef ARG
    for (int k = 0; k < arity; k++) {
        free(arg[k]);
        free(wrapped[k]);
    }
    return s;
}

int export_main(const char *dir, const char *fmt, long size)
{
    static const char *const formats[] = {"c", "python", "sympy", "latex"};
    int f = 0;
    while (f < 4 && strcmp(fmt, formats[f]) != 0)
        f++;
    if (f == 4) {
        fprintf(stderr,
                "forkgp: --format: unknown format '%s' (c, python, sympy, "
                "latex)\n",
                fmt);
        return EXIT_INPUT;
    }
    struct predict_model m;
    struct error err;
    int rc = predict_load(&m, dir, size, &err);
    if (rc < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        return rc == PREDICT_ENOMEM ? EXIT_RUNTIME : EXIT_INPUT;
    }
    char *program = program_text(&m);
    rc = program ? 0 : -2;
    if (rc == 0) {
        switch (f) {
        case 0:
            rc = export_c(stdout, &m, program);
            break;
        case 1:
            rc = export_python(stdout, &m, program);
            break;
        case 2:
            printf("%s\n", program);
            break;
        default: {
            uint32_t i = 0;
            enum prec p;
            char *s = latex(&m, &i, &p);
            if (s)
                printf("%s\n", s);
            else
                rc = -2;
            free(s);
        }
        }
    }
    if (rc == -2)
        fprintf(stderr, "forkgp: out of memory\n");
    free(program);
    predict_release(&m);
    return rc == 0 ? EXIT_OK : rc == -2 ? EXIT_RUNTIME : EXIT_INPUT;
}
