/* export: forkgp export: a finished run's program as standalone code. */
#ifndef FORKGP_EXPORT_H
#define FORKGP_EXPORT_H

/*
 * Writes the program of run folder `dir` (front.csv's of `size` nodes, or
 * best.txt's when size is 0) on stdout in `format`: "c" (a function
 * `double forkgp_model(const double *x)` with every protection and
 * forkgp's own exp, log, sin, cos and tanh written out, so that it
 * computes forkgp's bits), "python" (a NumPy function), "sympy" (the
 * expression text that SymPy's sympify reads) or "latex". Returns an exit
 * status: 0, 1 (memory) or 2 (an unknown format, a run that cannot be
 * read, a function the format cannot express) with a message.
 */
int export_main(const char *dir, const char *format, long size);

#endif
