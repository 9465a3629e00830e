/*
 * config_keys: every configuration key, declared once. From this table come
 * the config struct, the defaults, the parser, the validation, the
 * `forkgp check` dump and the README's key reference (forkgp help keys).
 *
 * X(section, key, type, default, min, max, choices, help)
 *   type     INT (long), AUTOINT (a long or "auto", stored as -1), REAL
 *            (double), SEED (uint64), STR, PATH (resolved
 *            against the INI file's folder), CHOICE (one of `choices`,
 *            separated by '|'), OPTREAL (a number or "none"; NaN when none),
 *            FUNCS (a function list), CONSTS (a constants spec; see prim.h),
 *            FUNCTION (a built-in name, or a path when it has a '/' or ends
 *            in .so, resolved like PATH)
 *   min/max  the allowed range of INT and REAL keys
 */
#ifndef FORKGP_CONFIG_KEYS_H
#define FORKGP_CONFIG_KEYS_H

#define CONFIG_KEYS(X)                                                        \
    X(run, seed, SEED, "1", 0, 0, NULL,                                       \
      "random seed; the same seed and config give the same run")              \
    X(run, population, INT, "500", 2, 10000000, NULL,                         \
      "individuals per generation")                                           \
    X(run, generations, INT, "50", 0, 10000000, NULL,                         \
      "generations bred after the initial population (generation 0)")         \
    X(run, runs, INT, "1", 1, 100000, NULL,                                   \
      "independent runs, in run-NNN/ folders, run i with seed + i; then a "  \
      "summary")                                                              \
    X(run, max_seconds, REAL, "0", 0, 1e9, NULL,                              \
      "stop after this much wall-clock time (0: no limit; not reproducible)") \
    X(run, workers, AUTOINT, "auto", 0, 1024, NULL,                          \
      "worker processes that evaluate; 0: in this process (for debuggers); " \
      "auto: one per CPU the run may use (its affinity), but a built-in "   \
      "fitness without limits evaluates in this process until evaluations " \
      "take long enough for the workers to pay (4 us for 2 workers, 1.6 "   \
      "us for 16)")                                                         \
    X(run, backend, CHOICE, "fork", 0, 0, "fork|mpi",                         \
      "fork: workers on this machine; mpi: under mpirun, rank 0 breeds and " \
      "every other rank evaluates with its own workers (make MPI=1)")         \
    X(run, eval_timeout, REAL, "0", 0, 1e6, NULL,                             \
      "CPU seconds one evaluation may use before its worker is killed and "  \
      "it is TIMEOUT; one that blocks is stopped after 10 times as long "    \
      "plus 1 s of wall-clock time (0: no limit)")                           \
    X(run, worker_memory_mb, INT, "0", 0, 16777216, NULL,                     \
      "address-space limit of each worker in MiB (0: none)")                 \
    X(run, on_failure, CHOICE, "penalize", 0, 0, "penalize|abort",            \
      "a failed evaluation: penalize (worst fitness, go on) or abort the run") \
    X(run, restart_limit, REAL, "0.5", 0, 1, NULL,                            \
      "stop when dead workers cost more than this share of a generation's "  \
      "evaluations")                                                          \
    X(data, train, PATH, "", 0, 0, NULL,                                      \
      "training CSV (header row, numeric columns); regression and "           \
      "classification need it")                                               \
    X(data, test, PATH, "", 0, 0, NULL,                                       \
      "test CSV with the same columns; empty for none")                       \
    X(data, target, STR, "", 0, 0, NULL,                                      \
      "name of the target column; empty for the last column")                \
    X(data, inputs, STR, "", 0, 0, NULL,                                      \
      "comma-separated names of the columns that become variables (in the "  \
      "file's order, whatever the list's); empty for every column but the "  \
      "target")                                                               \
    X(fitness, function, FUNCTION, "regression", 0, 0, NULL,                  \
      "regression, classification, boolean, or a plug-in .so (a path)")      \
    X(fitness, metric, CHOICE, "auto", 0, 0,                                 \
      "auto|mse|rmse|mae|nmse|r2|accuracy|balanced_accuracy",                 \
      "regression: mse (auto), rmse, mae, nmse (minimised), r2; "             \
      "classification: accuracy (auto), balanced_accuracy (maximised)")       \
    X(fitness, linear_scaling, CHOICE, "auto", 0, 0, "auto|yes|no",          \
      "regression: score each program's output o as a + b*o, a and b its "    \
      "least-squares fit (Keijzer 2003), printed with the program; auto: "   \
      "yes for mse, rmse, nmse and r2, no for mae")                           \
    X(fitness, target_fitness, OPTREAL, "none", -1e300, 1e300, NULL,          \
      "stop when the best fitness reaches this value (none: never)")          \
    X(fitness, parsimony, REAL, "0", 0, 1e300, NULL,                          \
      "ranking penalty per node, added to a minimised fitness (subtracted "   \
      "from a maximised one); reports show the raw fitness")                  \
    X(primitives, functions, FUNCS, "add, sub, mul, div", 0, 0, NULL,           \
      "comma-separated function names (forkgp help functions)")              \
    X(primitives, constants, CONSTS, "-1..1", 0, 0, NULL,                        \
      "numbers, pi, e and ranges LO..HI (ephemeral random constants)")        \
    X(tree, init_min_depth, INT, "1", 0, 64, NULL,                            \
      "smallest depth of initial trees (a lone terminal has depth 0)")        \
    X(tree, init_max_depth, INT, "3", 0, 64, NULL,                            \
      "largest depth of initial trees (ramped half-and-half)")                \
    X(tree, max_depth, INT, "17", 0, 256, NULL,                               \
      "no offspring deeper than this")                                        \
    X(tree, max_size, INT, "500", 1, 65535, NULL,                             \
      "no offspring with more nodes than this")                               \
    X(tree, mutation_max_depth, INT, "4", 0, 64, NULL,                        \
      "largest depth of the random subtree grown by subtree mutation")        \
    X(operators, tournament_size, INT, "7", 1, 100000, NULL,                  \
      "individuals drawn per tournament selection")                           \
    X(operators, elitism, INT, "1", 0, 10000000, NULL,                        \
      "best individuals copied unchanged into the next generation")           \
    X(operators, crossover, REAL, "0.9", 0, 1, NULL,                          \
      "share of offspring made by subtree crossover")                         \
    X(operators, subtree_mutation, REAL, "0.02", 0, 1, NULL,                  \
      "share of offspring made by subtree mutation")                          \
    X(operators, point_mutation, REAL, "0.02", 0, 1, NULL,                    \
      "share of offspring made by point mutation")                            \
    X(operators, hoist_mutation, REAL, "0.01", 0, 1, NULL,                    \
      "share of offspring made by hoist mutation")                            \
    X(operators, rdo, REAL, "0", 0, 1, NULL,                                  \
      "share of offspring made by RDO, semantic backpropagation (Pawlak, "    \
      "Wieloch, Krawiec 2015): a random node's subtree replaced by the "      \
      "generation's subtree closest to what that node must output for the "   \
      "program to be right; boolean problems (and, or, not, nand, nor, if)") \
    X(operators, reproduction, REAL, "0.05", 0, 1, NULL,                      \
      "share of offspring copied unchanged; the six shares sum to 1")        \
    X(operators, internal_bias, REAL, "0.9", 0, 1, NULL,                      \
      "chance that a crossover point is a function node (Koza's 90/10)")      \
    X(operators, root_crossover, CHOICE, "allow", 0, 0, "allow|never",        \
      "whether a crossover point may be a tree's root (allow: Koza's and "    \
      "gplearn's crossover, where a whole parent can be the part given; "     \
      "never: DEAP's, which grows programs far less)")                        \
    X(operators, point_replace, REAL, "0.05", 0, 1, NULL,                     \
      "chance that point mutation replaces each node (at least one is)")      \
    X(selection, method, CHOICE, "tournament", 0, 0,                          \
      "tournament|lexicase|epsilon_lexicase|nsga2",                           \
      "how parents are chosen: tournament ([operators] tournament_size); "    \
      "lexicase (Spector: on the cases in a random order, keep those best "   \
      "on each; for boolean and classification problems); "                  \
      "epsilon_lexicase (La Cava 2016: within each case's median absolute "  \
      "deviation of the best; for regression); nsga2 (Deb 2002: "            \
      "non-dominated sorting on error and size, and on a plug-in's own "     \
      "objectives (fgp_set_objectives); the survivors of parents and "      \
      "offspring form each generation, and the last one's first front is "  \
      "front.csv)")                                                           \
    X(selection, cases, INT, "0", 0, 16777216, NULL,                          \
      "lexicase: the cases each generation's selection uses, drawn anew "     \
      "each generation (down-sampled lexicase); 0: all of them")              \
    X(islands, count, INT, "1", 1, 5000000, NULL,                             \
      "subpopulations, each a slice of the population bred on its own "       \
      "(selection and elitism within it); all of them are scored in one "     \
      "batch (1: one population)")                                            \
    X(islands, migration_interval, INT, "10", 1, 10000000, NULL,              \
      "generations between migrations: after each multiple of it, the best " \
      "migration_size of each island replace the worst of the next one's "   \
      "parents (a ring)")                                                     \
    X(islands, migration_size, INT, "1", 0, 2500000, NULL,                    \
      "individuals each island sends to the next at a migration (0: none)")  \
    X(optimize, method, CHOICE, "none", 0, 0, "none|lm",                     \
      "regression: tune each program's constants (and linear scaling's a "    \
      "and b) by Levenberg-Marquardt with exact derivatives, in the "         \
      "worker, before it is scored (none: no tuning)")                      \
    X(optimize, iterations, INT, "10", 1, 10000, NULL,                        \
      "the most evaluations of a program's error one tuning may make")       \
    X(optimize, share, REAL, "1", 0, 1, NULL,                                 \
      "the chance that an evaluation tunes, drawn from its own stream")      \
    X(optimize, lamarckian, CHOICE, "yes", 0, 0, "yes|no",                    \
      "yes: the tuned constants are written into the individual, and its "   \
      "offspring inherit them; no (Baldwinian): they give only its score "   \
      "and the printed program, and offspring inherit the untuned ones")     \
    X(output, checkpoint_every, INT, "10", 0, 10000000, NULL,                \
      "write checkpoint.bin every this many generations (0: only on "       \
      "SIGINT, SIGTERM or SIGHUP, and when the run ends)")                   \
    X(output, checkpoint_seconds, REAL, "1", 0, 1e9, NULL,                    \
      "least seconds between two periodic checkpoints after generation "     \
      "0's (0: every checkpoint_every generations, however quick)")          \
    X(output, dir, STR, "", 0, 0, NULL,                                       \
      "output folder, relative to the working directory; empty: "             \
      "runs/<config name>")                                                   \
    X(output, digits, INT, "6", 1, 17, NULL,                                  \
      "significant digits of the constants of the simplified best program "  \
      "on stdout (best.txt's simplified line has them all)")

#endif
