/*
 * forkgp.h: the public interface of forkgp fitness plug-ins (installed).
 *
 * A plug-in is a shared object that defines one constant descriptor,
 *
 *     FGP_PLUGIN(.name = "ant", .flags = FGP_MAXIMISE, .nscores = 1,
 *                .setup = ant_setup, .evaluate = ant_evaluate);
 *
 * built with `cc -shared -fPIC $(pkg-config --cflags forkgp) fit.c -o
 * fit.so` and named in the INI file: `[fitness] function = ./fit.so`.
 *
 * Life cycle. forkgp loads the plug-in in the parent, calls setup once
 * (before any evaluation, and before worker processes are forked, so what
 * setup loads is shared with them copy-on-write), then calls evaluate for
 * each individual of each generation, then teardown once.
 *
 * The mirror rule. evaluate runs in a worker process (or, with workers = 0,
 * in the parent) and must be a function of (program, stream) only: the
 * same program and the same stream must give the same scores. Whatever it
 * writes to globals or to the state from setup stays in that worker and is
 * never seen by the parent or by other evaluations; results come back only
 * through `scores` and the returned status. Draw randomness only from the
 * stream passed in: it is derived from (seed, generation, index), so a run
 * is reproducible for any number of workers.
 *
 * The built-in fitness functions (fitness/regression.c, classify.c,
 * boolean.c and tabular.c in forkgp's sources) use this header alone:
 * read them for numeric plug-ins that score a block of rows at a time
 * (fgp_eval_block_padded), say what an evaluation costs (fgp_set_rows) and
 * name the column a user misspelt (fgp_suggest).
 */
#ifndef FORKGP_H
#define FORKGP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The ABI this header describes; forkgp refuses a plug-in built for
 * another. It numbers the descriptor's layout and the meaning of what
 * exists: a function added to this header leaves it as it is, so every
 * plug-in built before keeps loading. (A plug-in that calls a function
 * its forkgp lacks fails to load, with the function's name.) */
#define FGP_ABI_VERSION 1

/* The most scores one evaluation may return. */
#define FGP_MAX_SCORES 8

/* Descriptor flags. */
#define FGP_MINIMISE 0u   /* lower scores[0] is better (the default) */
#define FGP_MAXIMISE 1u   /* higher scores[0] is better */
#define FGP_STOCHASTIC 2u /* evaluate draws on its stream */

/* What evaluate returns. */
enum fgp_status {
    FGP_OK = 0,      /* scores are set */
    FGP_INVALID = 1, /* the program is unusable here (a non-finite output,
                        say): it gets the worst fitness */
    FGP_ERROR = 2    /* the evaluation itself failed */
};

struct fgp_setup;   /* what setup may ask of forkgp */
struct fgp_program; /* a read-only program */
struct fgp_rng;     /* one evaluation's PCG32 stream */

/* The descriptor, exported as the symbol `forkgp_plugin`. */
struct fgp_plugin {
    int abi_version;  /* FGP_ABI_VERSION (FGP_PLUGIN sets it) */
    const char *name; /* also the name of its INI section */
    unsigned flags;   /* FGP_MAXIMISE | FGP_STOCHASTIC */
    int nscores;      /* 1..FGP_MAX_SCORES; scores[0] is the fitness */
    /* Reads the plug-in's section, loads data, declares the primitives.
     * Returns 0, or -1 after fgp_fail. *state is passed to the others. */
    int (*setup)(struct fgp_setup *s, void **state);
    /* Scores one program; returns an enum fgp_status. */
    int (*evaluate)(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores);
    /* Frees the state (may be NULL). Runs after setup whether it succeeded
     * or not, so setup may store its state first and fail later. */
    void (*teardown)(void *state);
    /* Optional (may be NULL): scores a program on held-out data, for the
     * report of the best program; called in the parent, without a stream.
     * Returns an enum fgp_status, or -1 when there is nothing to test on. */
    int (*test)(void *state, const struct fgp_program *p, double *scores);
};

#define FGP_PLUGIN_SYMBOL "forkgp_plugin"
#define FGP_PLUGIN(...)                                                       \
    const struct fgp_plugin forkgp_plugin = {.abi_version = FGP_ABI_VERSION,  \
                                             __VA_ARGS__}

/* ---- setup: reading the configuration ---------------------------------
 * Each getter reads `key` of INI section `section` (NULL: the plug-in's own
 * section, named after it). A missing key gives the default; a value of
 * the wrong type or out of range fails the setup with a message that cites
 * the INI file and line. Every key of the plug-in's own section must be
 * read, or the run stops with "unknown key". Getters return 0 or -1. */
int fgp_get_int(struct fgp_setup *s, const char *section, const char *key,
                long def, long min, long max, long *out);
int fgp_get_double(struct fgp_setup *s, const char *section, const char *key,
                   double def, double min, double max, double *out);
int fgp_get_bool(struct fgp_setup *s, const char *section, const char *key,
                 int def, int *out);
/* *out points into forkgp's memory, valid until teardown. */
int fgp_get_string(struct fgp_setup *s, const char *section, const char *key,
                   const char *def, const char **out);
/* A path, resolved against the INI file's folder when relative. */
int fgp_get_path(struct fgp_setup *s, const char *section, const char *key,
                 const char *def, const char **out);

/* Fails the setup with a message (printf format); returns -1. */
int fgp_fail(struct fgp_setup *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The same, led by the place of section.key ("file.ini:12: [ant] trail: "),
 * for a value that is well formed but wrong (a file without the column). */
int fgp_fail_key(struct fgp_setup *s, const char *section, const char *key,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Says how many rows each evaluation runs a program over (a data set's
 * nrows), as a hint of its cost: forkgp weighs some of its own work
 * against it (finding the repeated programs of a deterministic fitness,
 * to evaluate each once, pays only where an evaluation is not cheap). 0,
 * the default: not known, taken as costly. It changes no score. */
void fgp_set_rows(struct fgp_setup *s, size_t rows);

/* Sets the direction of scores[0] when it depends on the configuration
 * (a metric that is maximised); the descriptor's flag is the default. */
void fgp_set_maximise(struct fgp_setup *s, int maximise);

/* Names scores[0] in the reports ("train_rmse", "best_rmse"); the default
 * is "fitness". 1 to 31 letters, digits and _: any other name (NULL too)
 * fails the setup with a message naming the plug-in. */
void fgp_set_score_name(struct fgp_setup *s, const char *name);

/* The closest of names[0..n) to word (NULL entries skipped) when word
 * looks like a misspelling of it (at most 2 letters off, and at most half
 * of word), else NULL: for a message's "did you mean '%s'?". Returns one
 * of names, or NULL. Callable anywhere. */
const char *fgp_suggest(const char *word, const char *const *names, size_t n);

/* ---- setup: data ---------------------------------------------------------
 * A numeric CSV table (header row), loaded by forkgp's own loader; errors
 * name the file, row and column. Owned by forkgp until teardown. Each
 * column is padded with zeros to a whole number of FGP_LANES rows, so the
 * columns may be given to fgp_eval_block_padded. */
struct fgp_table {
    size_t nrows, ncols;
    const char *const *names;  /* column names */
    const double *const *cols; /* column-major: cols[j][row] */
};
int fgp_load_csv(struct fgp_setup *s, const char *path,
                 const struct fgp_table **out);

/* ---- setup: the primitive set --------------------------------------------
 * A program's functions and terminals. Numeric problems use the built-in
 * functions (add, sub, mul, div, ..., and the boolean and, or, not, nand,
 * nor, if; see `forkgp help functions`), variables and constants, and are
 * evaluated by forkgp's interpreter (fgp_eval). Other problems declare
 * their own symbols and walk the program themselves. */
/* The most variables a primitive set holds: fgp_add_variable fails
 * beyond. */
#define FGP_MAX_VARIABLES 1024

/* Nonzero when name is taken by a built-in function or constant (add,
 * sin, pi, e), which fgp_add_variable and fgp_add_symbol refuse: for a
 * message of the plug-in's own that says where the name came from (a
 * column of its data, say). Callable anywhere. */
int fgp_reserved_name(const char *name);

/* Adds built-in functions from a comma-separated list of names. */
int fgp_use_functions(struct fgp_setup *s, const char *list);
/* Adds a variable terminal; returns its index (0, 1, ...) or -1. */
int fgp_add_variable(struct fgp_setup *s, const char *name);
/* Adds constants: numbers, pi, e, and LO..HI ephemeral random ranges. */
int fgp_use_constants(struct fgp_setup *s, const char *spec);
/* Adds a symbol of the plug-in's own with 0..3 arguments; returns its id
 * (what fgp_node.symbol holds for it) or -1. */
int fgp_add_symbol(struct fgp_setup *s, const char *name, int arity);

/* ---- evaluate: reading a program ---------------------------------------
 * A program is a tree in prefix order: node 0 is the root, each function
 * node is followed by its arguments' subtrees, first to last. */
enum fgp_node_kind { FGP_VARIABLE, FGP_CONSTANT, FGP_BUILTIN, FGP_SYMBOL };
struct fgp_node {
    enum fgp_node_kind kind;
    int symbol;   /* FGP_SYMBOL: the id from fgp_add_symbol */
    int arity;    /* number of arguments */
    int variable; /* FGP_VARIABLE: the index from fgp_add_variable */
    double value; /* FGP_CONSTANT: the value */
    const char *name;
};
size_t fgp_program_size(const struct fgp_program *p);
void fgp_program_node(const struct fgp_program *p, size_t i,
                      struct fgp_node *out);
/* The index just past the subtree that starts at node i. */
size_t fgp_subtree_end(const struct fgp_program *p, size_t i);

/* Evaluates a numeric program on rows [0, nrows) of columns x (x[k] is
 * variable k's data) into out[0..nrows), with the engine's interpreter.
 * Returns 0, or -1 when the program holds a symbol of the plug-in's. */
int fgp_eval(const struct fgp_program *p, const double *const *x,
             size_t nrows, double *out);

/* ---- evaluate: a block of rows at a time -------------------------------
 * fgp_eval's inner step, for a plug-in that uses each block's values as
 * they come (a running sum of errors, a stop at the first NaN) with no
 * array of all the outputs. The interpreter walks the program once per
 * block of up to FGP_BLOCK rows, so whole blocks cost the least per row.
 * FGP_LANES is the rows of one vector of the padded variant; FGP_BLOCK is
 * a multiple of it. */
#define FGP_BLOCK 256
#define FGP_LANES 8

/* Evaluates p on rows [row, row + n), n <= FGP_BLOCK, of columns x (x[k]
 * is variable k's data, as for fgp_eval, readable to row + n). Returns
 * the n values, read-only and owned by forkgp (its scratch, or x itself
 * for a lone variable), valid until the next fgp_eval* call of this
 * process; NULL when n > FGP_BLOCK. A symbol of the plug-in's evaluates
 * to NaN. */
const double *fgp_eval_block(const struct fgp_program *p,
                             const double *const *x, size_t row, size_t n);

/* The same values, to the bit, faster for few rows, for padded data: every
 * column of x must be readable, and hold defined values (zeros, say), up
 * to row + n rounded up to a multiple of FGP_LANES. fgp_load_csv's columns
 * are; a plug-in's own data can be made so by allocating each column to a
 * multiple of FGP_LANES rows and zeroing the rest. */
const double *fgp_eval_block_padded(const struct fgp_program *p,
                                    const double *const *x, size_t row,
                                    size_t n);

/* ---- evaluate: linear scaling -------------------------------------------
 * Says that evaluate scored the model intercept + slope * o, where o is
 * the program's output (linear scaling, Keijzer 2003: the least-squares
 * intercept and slope, found as the error is computed). forkgp then
 * prints, predicts and exports the program as that model, so that what a
 * user takes home is what was scored. Call it from evaluate, before it
 * returns FGP_OK; elsewhere (test) it does nothing. Without it the model
 * is the program's output itself. */
void fgp_set_scaling(const struct fgp_program *p, double intercept,
                     double slope);

/* ---- evaluate: tuning a program's constants -----------------------------
 * A plug-in's own residuals, one per row: given the program's scaled
 * outputs m[k] = a + b * output on rows [row, row + n), writes each row's
 * residual to r[k] and its derivative d r[k] / d m[k] to dr[k]. Returns 0,
 * or nonzero to stop the fit where it is. It must be a function of its
 * arguments and the plug-in's fixed data: the solver calls it more than
 * once at the same point. */
typedef int (*fgp_residuals)(void *ctx, size_t row, size_t n,
                             const double *m, double *r, double *dr);

/* What a fit is asked to do (in), and what it did (out). */
struct fgp_fit {
    int max_evaluations; /* in: evaluations of the residuals at most, >= 1 */
    int scale;           /* in: nonzero: a and b are tuned too */
    double a, b;         /* in: the start (0 and 1: no scaling); out: tuned */
    double start, end;   /* out: the sums of squared residuals */
    int evaluations;     /* out: evaluations made */
};

/*
 * Tunes the constants of p by Levenberg-Marquardt (MINPACK's lmder) with
 * the exact derivatives of forkgp's functions, to minimise the sum over
 * rows [0, nrows) of columns x (as for fgp_eval) of r^2, r from `residuals`
 * (NULL: m - y[row], least squares against y). The best point evaluated is
 * kept, so end <= start. It draws nothing from the stream. From the call
 * on, p stands for the tuned program: fgp_eval*, fgp_program_node and the
 * program forkgp keeps (the tuned constants are written into the
 * individual) see the tuned constants. Call it from evaluate only.
 * Returns 0, or -1 with the program unchanged: a symbol of the plug-in's
 * is in it, the residuals are not finite at the start, memory ran out,
 * or it was called outside evaluate.
 */
int fgp_optimize(const struct fgp_program *p, const double *const *x,
                 const double *y, size_t nrows, fgp_residuals residuals,
                 void *ctx, struct fgp_fit *fit);

/* ---- per-case errors (lexicase selection) ------------------------------
 * A fitness over cases (rows, fitness cases, trials) may report each
 * case's error, which lexicase and epsilon-lexicase selection compare
 * ([selection] method). setup declares how many cases there are; evaluate
 * then asks for the array to fill. A plug-in that does neither keeps
 * working with every other selection method; lexicase refuses it by name.
 * These functions were added without changing FGP_ABI_VERSION (the
 * descriptor is as it was): a plug-in that calls them fails to load in a
 * forkgp that lacks them, with the function's name. FGP_HAS_CASE_ERRORS
 * tells the header that has them. */
#define FGP_HAS_CASE_ERRORS 1

/* Declares that every evaluation has ncases cases (1..FGP_MAX_CASES).
 * Call it from setup; returns 0, or -1 after failing the setup. */
#define FGP_MAX_CASES 16777216
int fgp_set_cases(struct fgp_setup *s, size_t ncases);

/*
 * The array of ncases doubles (fgp_set_cases's) into which evaluate writes
 * case k's error at [k]: 0 for a case solved, larger for worse, whatever
 * the direction of scores[0] (a regression's |residual|, a boolean case's
 * 0 or 1). NULL when this run does not use them (no lexicase selection,
 * or a call outside evaluate): then there is nothing to write. Read only
 * when evaluate returns FGP_OK; a NaN, or a case left unwritten, counts
 * as the worst error. Owned by forkgp, valid until evaluate returns.
 */
double *fgp_case_errors(const struct fgp_program *p);

/* ---- further objectives (NSGA-II) -------------------------------------
 * [selection] method = nsga2 sorts on two objectives, the error
 * (scores[0]) and the program's size. A plug-in may add its other scores:
 * fgp_set_objectives(s, k) says that scores[1..k] are objectives too, each
 * minimised (negate in evaluate a score that is better higher). They are
 * read only when evaluate returns FGP_OK; a NaN counts as the worst. A run
 * with another selection method ignores the call, and keeps none of them.
 * Added, like the case errors, without changing FGP_ABI_VERSION: a
 * plug-in that calls it fails to load in a forkgp that lacks it, with the
 * function's name. FGP_HAS_OBJECTIVES tells the header that has it. */
#define FGP_HAS_OBJECTIVES 1

/* Declares scores[1..count] objectives; count is 0 (none, the default) to
 * the descriptor's nscores - 1. Call it from setup; returns 0, or -1 after
 * failing the setup (a count out of that range). */
int fgp_set_objectives(struct fgp_setup *s, int count);

/* ---- the cases themselves (semantic operators) -------------------------
 * A fitness over a fixed table of cases may hand forkgp the table: each
 * variable's value on every case, and the output wanted. Operators that
 * reason about what a subtree computes ([operators] rdo, semantic
 * backpropagation) then evaluate subtrees on it in forkgp's own process,
 * with the built-in primitives only (never the plug-in's code). Nothing
 * else reads it. Added without changing FGP_ABI_VERSION, as the case
 * errors were; FGP_HAS_CASE_DATA tells the header that has it. */
#define FGP_HAS_CASE_DATA 1

/* inputs[k] holds the ncases (fgp_set_cases's) values of variable k, in
 * fgp_add_variable's order, one array per variable declared so far;
 * target the ncases wanted outputs. forkgp copies them when the run uses
 * them, and reads them no further. Call it from setup after
 * fgp_set_cases and the last fgp_add_variable; returns 0, or -1 after
 * failing the setup. */
int fgp_set_case_data(struct fgp_setup *s, const double *const *inputs,
                      const double *target);

/* ---- evaluate: the evaluation's random stream -------------------------- */
uint32_t fgp_rng_u32(struct fgp_rng *r);
uint32_t fgp_rng_below(struct fgp_rng *r, uint32_t bound); /* [0, bound) */
double fgp_rng_double(struct fgp_rng *r);                  /* [0, 1) */
double fgp_rng_normal(struct fgp_rng *r);                  /* N(0, 1) */

#ifdef __cplusplus
}
#endif

#endif
