/* plot: draws a run's (or a batch's) log.csv with gnuplot: convergence and
 * size growth, as PNG and SVG, beside the data and script that drew them. */
#ifndef FORKGP_PLOT_H
#define FORKGP_PLOT_H

#include "error.h"

/* The failures: a folder or log that cannot be plotted (bad input), or
 * anything else (writing, finding or starting gnuplot). */
#define PLOT_ERUNTIME (-1)
#define PLOT_EINPUT (-2)

/*
 * Reads dir/log.csv, or for a batch (dir/run-000/log.csv exists) every
 * dir/run-N/log.csv, and writes dir/plot.gp (a commented gnuplot script
 * that, run in dir, draws convergence.{png,svg} and size.{png,svg}) and,
 * for a batch, dir/plot_median.dat. Returns 0, PLOT_EINPUT (no log.csv,
 * an unreadable or empty log) or PLOT_ERUNTIME (a write failed), with a
 * message in err (err may be NULL).
 */
int plot_write(const char *dir, struct error *err);

/*
 * plot_write, then runs `gnuplot plot.gp` in dir and waits for it, and on
 * success writes "wrote DIR/NAME" on stdout for each file the folder now
 * holds (the drawings, plot.gp, a batch's plot_median.dat). Returns 0,
 * PLOT_EINPUT as plot_write, or PLOT_ERUNTIME when gnuplot is not on PATH
 * ("gnuplot not found: install gnuplot-nox (make deps)"), a write failed,
 * or gnuplot failed (its own messages are on stderr); err as above.
 * Checks PATH before writing anything.
 */
int plot_draw(const char *dir, struct error *err);

#endif
