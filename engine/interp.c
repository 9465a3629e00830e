/* interp: evaluates a numeric program over a block of data rows at once. */
#include "interp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vmath.h"

int interp_init(struct interp *in, size_t cap)
{
    memset(in, 0, sizeof *in);
    void *p = NULL;
    if (posix_memalign(&p, 64, cap * INTERP_BLOCK * sizeof(double)) != 0)
        return -1;
    in->slots = p;
    in->operand = calloc(cap, sizeof *in->operand);
    in->scalar = calloc(cap, sizeof *in->scalar);
    if (!in->operand || !in->scalar) {
        free(in->slots);
        free(in->operand);
        free(in->scalar);
        memset(in, 0, sizeof *in);
        return -1;
    }
    in->cap = cap;
    return 0;
}

void interp_release(struct interp *in)
{
    free(in->slots);
    free(in->operand);
    free(in->scalar);
    memset(in, 0, sizeof *in);
}

/* The primitives that are not one C operator, one value at a time. These
 * definitions are the semantics; the block loops below apply the same
 * expressions. Each computes what its printed form (prim.c) computes in
 * SymPy and NumPy: div is IEEE's a / b, log and sqrt take abs(a), min and
 * max give NaN when an argument is NaN and b on a tie (NumPy's amin and
 * amax give NaN too; a tie's two values are equal). exp, log, sin, cos
 * and tanh are vmath's (engine/vmath.h): the same bits in every build,
 * and a block of them vectorizes. */
static inline double p_sqrt(double a)
{
    return sqrt(fabs(a));
}
static inline double p_log(double a)
{
    return vmath_log(fabs(a)); /* -inf at 0 */
}
static inline double p_min(double a, double b)
{
    return a < b || a != a ? a : b;
}
static inline double p_max(double a, double b)
{
    return a > b || a != a ? a : b;
}
static inline double p_aq(double a, double b)
{
    return a / sqrt(1.0 + b * b);
}
static inline double truth(int x)
{
    return x ? 1.0 : 0.0;
}

double interp_apply3(unsigned op, double a, double b, double c)
{
    if (op == OP_IF)
        return a != 0.0 ? b : c;
    return interp_apply(op, a, b);
}

double interp_apply(unsigned op, double a, double b)
{
    switch (op) {
    case OP_ADD: return a + b;
    case OP_SUB: return a - b;
    case OP_MUL: return a * b;
    case OP_DIV: return a / b;
    case OP_NEG: return -a;
    case OP_ABS: return fabs(a);
    case OP_SQUARE: return a * a;
    case OP_SQRT: return p_sqrt(a);
    case OP_EXP: return vmath_exp(a);
    case OP_LOG: return p_log(a);
    case OP_SIN: return vmath_sin(a);
    case OP_COS: return vmath_cos(a);
    case OP_TANH: return vmath_tanh(a);
    case OP_MIN: return p_min(a, b);
    case OP_MAX: return p_max(a, b);
    case OP_AND: return truth(a != 0.0 && b != 0.0);
    case OP_OR: return truth(a != 0.0 || b != 0.0);
    case OP_NOT: return truth(a == 0.0);
    case OP_NAND: return truth(!(a != 0.0 && b != 0.0));
    case OP_NOR: return truth(!(a != 0.0 || b != 0.0));
    case OP_AQ: return p_aq(a, b);
    default: return NAN;
    }
}

/*
 * A node's result takes the place of an argument's block (out == x or out
 * == y), which is safe: row k is read before it is written. gcc's
 * vectorized loops check for overlap at run time and take this case;
 * clang's fall back to their scalar loop, at half the speed, unless told
 * (and then 4 lanes are quicker for the short blocks of a few rows).
 */
#if defined(__clang__)
#define ROWS_LOOP                                                             \
    _Pragma(                                                                  \
        "clang loop vectorize(assume_safety) vectorize_width(4) interleave_count(1)")
#define MATH_LOOP                                                             \
    _Pragma("clang loop vectorize(assume_safety) interleave_count(1)")
#else
#define ROWS_LOOP
#define MATH_LOOP
#endif

/*
 * Padded blocks (interp_block_padded): a whole number of INTERP_LANES rows,
 * a vector at a time, with no loop for the rows left over and no check
 * for overlap (a vector is loaded before it is stored). The arithmetic
 * functions are written on vectors (GCC's vector extensions, which clang
 * has too); each lane is the same IEEE operation as the one-row
 * expression, so the same bits.
 */
/* The vectors are the target's own width (its registers: AVX-512's 8
 * doubles, AVX's 4, else SSE2's 2), which divides INTERP_LANES: a wider
 * one is split by the compiler through the stack, which made AVX2
 * builds slower than scalar code. */
#if defined(__AVX512F__)
#define VLANES 8
#elif defined(__AVX__)
#define VLANES 4
#else
#define VLANES 2
#endif
_Static_assert(INTERP_LANES % VLANES == 0, "vectors divide a padded block");
typedef double vdouble __attribute__((vector_size(VLANES * 8)));

/* Macros, not functions: a function passing a 64-byte vector would have
 * an ABI of its own where AVX-512 is not enabled (-O0 builds, other
 * machines), which compilers warn of. */
#define VLOAD(v, p) memcpy(&(v), (p), sizeof(v))
/* Every lane s, exactly: not {0} + s, which makes -0 a +0 (0 + -0 is
 * +0), so that x * -0 came out +0 for x > 0 where the reference gives -0
 * (found by test_interp's arithmetic-only trees). */
#define VSPLAT(v, s)                                                          \
    do {                                                                      \
        for (int l_ = 0; l_ < VLANES; l_++)                                   \
            (v)[l_] = (s);                                                    \
    } while (0)
#define VSTORE(p, v) memcpy((p), &(v), sizeof(v))
#define PADDED_BINARY(expr)                                                   \
    if (!x) {                                                                 \
        vdouble a, b, v;                                                      \
        VSPLAT(a, xs);                                                        \
        for (size_t k = 0; k < n; k += VLANES) {                              \
            VLOAD(b, y + k);                                                  \
            v = (expr);                                                       \
            VSTORE(out + k, v);                                               \
        }                                                                     \
    } else if (!y) {                                                          \
        vdouble a, b, v;                                                      \
        VSPLAT(b, ys);                                                        \
        for (size_t k = 0; k < n; k += VLANES) {                              \
            VLOAD(a, x + k);                                                  \
            v = (expr);                                                       \
            VSTORE(out + k, v);                                               \
        }                                                                     \
    } else {                                                                  \
        vdouble a, b, v;                                                      \
        for (size_t k = 0; k < n; k += VLANES) {                              \
            VLOAD(a, x + k);                                                  \
            VLOAD(b, y + k);                                                  \
            v = (expr);                                                       \
            VSTORE(out + k, v);                                               \
        }                                                                     \
    }                                                                         \
    break

/* The block loops. x or y is NULL when that argument is the same for every
 * row (a constant, or a subtree of constants): its value is xs or ys, and
 * the loop broadcasts it instead of reading a filled vector. */
#define UNARY(expr)                                                           \
    ROWS_LOOP                                                                 \
    for (size_t k = 0; k < n; k++) {                                          \
        double a = x[k];                                                      \
        out[k] = (expr);                                                      \
    }                                                                         \
    break
#define BINARY(expr)                                                          \
    if (!x) {                                                                 \
        ROWS_LOOP                                                             \
        for (size_t k = 0; k < n; k++) {                                      \
            double a = xs, b = y[k];                                          \
            out[k] = (expr);                                                  \
        }                                                                     \
    } else if (!y) {                                                          \
        ROWS_LOOP                                                             \
        for (size_t k = 0; k < n; k++) {                                      \
            double a = x[k], b = ys;                                          \
            out[k] = (expr);                                                  \
        }                                                                     \
    } else {                                                                  \
        ROWS_LOOP                                                             \
        for (size_t k = 0; k < n; k++) {                                      \
            double a = x[k], b = y[k];                                        \
            out[k] = (expr);                                                  \
        }                                                                     \
    }                                                                         \
    break

/*
 * The loops of exp, log, sin, cos and tanh, each a function of its own,
 * out of line: inlined, their vector code (a few hundred instructions)
 * slowed interp_block's dispatch of the other nodes by up to 20% at 20
 * rows.
 * out and x are the same or apart.
 */
#if defined(__GNUC__)
#define OUT_OF_LINE __attribute__((noinline))
#define ALWAYS_INLINE __attribute__((always_inline))
#else
#define OUT_OF_LINE
#define ALWAYS_INLINE
#endif

static OUT_OF_LINE void exp_block(double *out, const double *x, size_t n)
{
    MATH_LOOP
    for (size_t k = 0; k < n; k++)
        out[k] = vmath_exp(x[k]);
}

static OUT_OF_LINE void log_block(double *out, const double *x, size_t n)
{
    MATH_LOOP
    for (size_t k = 0; k < n; k++)
        out[k] = p_log(x[k]);
}

static OUT_OF_LINE void tanh_block(double *out, const double *x, size_t n)
{
    MATH_LOOP
    for (size_t k = 0; k < n; k++)
        out[k] = vmath_tanh(x[k]);
}

/* aq's loop, out of line for the same reason; x or y NULL when that
 * argument is the same for every row (xs or ys). */
static OUT_OF_LINE void aq_block(double *out, const double *x, double xs,
                                 const double *y, double ys, size_t n)
{
    if (!x) {
        MATH_LOOP
        for (size_t k = 0; k < n; k++)
            out[k] = p_aq(xs, y[k]);
    } else if (!y) {
        MATH_LOOP
        for (size_t k = 0; k < n; k++)
            out[k] = p_aq(x[k], ys);
    } else {
        MATH_LOOP
        for (size_t k = 0; k < n; k++)
            out[k] = p_aq(x[k], y[k]);
    }
}

/*
 * sin (want_cos 0) or cos (1): vmath's own reduction where it serves, in a
 * loop that vectorizes, which leaves the other values as they are; glibc's
 * for those, in a second pass (rare: |x| >= 2^19, inf or NaN). Each value
 * as vmath_sin or vmath_cos gives it.
 */
static inline void trig_block(double *out, const double *x, size_t n,
                              int want_cos)
{
    int far = 0;
    MATH_LOOP
    for (size_t k = 0; k < n; k++) {
        double a = x[k];
        int near = vmath_trig_near(a);
        far |= !near;
        out[k] = near ? vmath_trig_reduced(a, want_cos) : a;
    }
    if (far)
        for (size_t k = 0; k < n; k++)
            if (!vmath_trig_near(out[k]))
                out[k] = want_cos ? cos(out[k]) : sin(out[k]);
}

static OUT_OF_LINE void sin_block(double *out, const double *x, size_t n)
{
    trig_block(out, x, n, 0);
}

static OUT_OF_LINE void cos_block(double *out, const double *x, size_t n)
{
    trig_block(out, x, n, 1);
}

/* Stack entry e as a vector: a row-constant entry is spread into its own
 * slot first. */
static const double *spread(struct interp *in, size_t e, size_t n)
{
    if (in->operand[e])
        return in->operand[e];
    double *v = in->slots + e * INTERP_BLOCK;
    for (size_t k = 0; k < n; k++)
        v[k] = in->scalar[e];
    in->operand[e] = v;
    return v;
}

/*
 * The evaluation, in two versions: exact (n rows) and padded (a constant:
 * n is then a whole number of INTERP_LANES rows, and the four arithmetic
 * functions take vectors).
 */
static inline ALWAYS_INLINE const double *
evaluate(struct interp *in, const struct tree *t, const double *const *cols,
         size_t row, size_t n, const int padded)
{
    /* Walk the prefix array backwards: each node finds its arguments on top
     * of the stack, first argument topmost, and leaves its value there. A
     * variable is pushed as a pointer into the data: no copy. A constant,
     * and any function of constants only, is kept as one value (operand
     * NULL, value in scalar[]): computed once per block, not per row, by
     * the same operations, so the results are the same bits. */
    const double **stack = in->operand;
    double *scalar = in->scalar;
    size_t sp = 0;
    for (uint32_t i = t->size; i-- > 0;) {
        const struct node *nd = &t->nodes[i];
        /* Terminals first, before any lookup: they are half the nodes. */
        if (nd->op == OP_VAR) {
            stack[sp++] = cols[nd->var] + row;
            continue;
        }
        if (nd->op == OP_CONST) {
            scalar[sp] = nd->value;
            stack[sp++] = NULL;
            continue;
        }
        int arity = prim_arity(nd->op);
        /* The result takes the place of the node's first argument. */
        double *out = in->slots + (sp - (size_t)arity) * INTERP_BLOCK;
        if (prim_is_symbol(nd->op)) {
            /* A plug-in's symbol: meaningless here, so NaN. */
            sp -= (size_t)arity;
            scalar[sp] = NAN;
            stack[sp++] = NULL;
            continue;
        }
        if (nd->op == OP_IF) {
            const double *x = spread(in, sp - 1, n);
            const double *y = spread(in, sp - 2, n);
            const double *z = spread(in, sp - 3, n);
            ROWS_LOOP
            for (size_t k = 0; k < n; k++)
                out[k] = x[k] != 0.0 ? y[k] : z[k];
            sp -= 2;
            stack[sp - 1] = out;
            continue;
        }
        const double *x = stack[sp - 1];
        double xs = scalar[sp - 1];
        if (arity == 1) {
            if (!x) {
                scalar[sp - 1] = interp_apply(nd->op, xs, 0.0);
                continue;
            }
            switch (nd->op) {
            case OP_NEG: UNARY(-a);
            case OP_ABS: UNARY(fabs(a));
            case OP_SQUARE: UNARY(a * a);
            case OP_SQRT: UNARY(p_sqrt(a));
            case OP_EXP: exp_block(out, x, n); break;
            case OP_LOG: log_block(out, x, n); break;
            case OP_SIN: sin_block(out, x, n); break;
            case OP_COS: cos_block(out, x, n); break;
            case OP_TANH: tanh_block(out, x, n); break;
            case OP_NOT: UNARY(truth(a == 0.0));
            default: UNARY(a * NAN); /* unreachable: trees are checked */
            }
            stack[sp - 1] = out;
            continue;
        }
        const double *y = stack[sp - 2];
        double ys = scalar[sp - 2];
        sp--;
        if (!x && !y) {
            scalar[sp - 1] = interp_apply(nd->op, xs, ys);
            stack[sp - 1] = NULL;
            continue;
        }
        if (padded) {
            switch (nd->op) {
            case OP_ADD: PADDED_BINARY(a + b);
            case OP_SUB: PADDED_BINARY(a - b);
            case OP_MUL: PADDED_BINARY(a * b);
            case OP_DIV: PADDED_BINARY(a / b);
            default: goto by_row;
            }
            stack[sp - 1] = out;
            continue;
        }
    by_row:
        switch (nd->op) {
        case OP_ADD: BINARY(a + b);
        case OP_SUB: BINARY(a - b);
        case OP_MUL: BINARY(a * b);
        case OP_DIV: BINARY(a / b);
        case OP_MIN: BINARY(p_min(a, b));
        case OP_MAX: BINARY(p_max(a, b));
        case OP_AND: BINARY(truth(a != 0.0 && b != 0.0));
        case OP_OR: BINARY(truth(a != 0.0 || b != 0.0));
        case OP_NAND: BINARY(truth(!(a != 0.0 && b != 0.0)));
        case OP_NOR: BINARY(truth(!(a != 0.0 || b != 0.0)));
        case OP_AQ: aq_block(out, x, xs, y, ys, n); break;
        default: BINARY(a + b + NAN);
        }
        stack[sp - 1] = out;
    }
    return spread(in, 0, n);
}

const double *interp_block(struct interp *in, const struct tree *t,
                           const double *const *cols, size_t row, size_t n)
{
    return evaluate(in, t, cols, row, n, 0);
}

/*
 * At 20 rows the rows left over after the last whole vector (4 of 20) and
 * the checks that choose the loop's way cost about a quarter of a node's
 * time;
 * data padded to whole vectors (csv.c's columns) needs neither: the
 * extra rows are computed, from the zeros of the padding, and not
 * returned.
 */
const double *interp_block_padded(struct interp *in, const struct tree *t,
                                  const double *const *cols, size_t row,
                                  size_t n)
{
    size_t whole = (n + INTERP_LANES - 1) / INTERP_LANES * INTERP_LANES;
    return evaluate(in, t, cols, row, whole, 1);
}
