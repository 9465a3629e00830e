/* batch: N independent runs of one configuration, each in its own
 * run-NNN/ folder, and the summary over them. */
#ifndef FORKGP_BATCH_H
#define FORKGP_BATCH_H

#include "config.h"
#include "run.h"

/*
 * Runs [run] runs runs (run i with seed + i) in [output] dir/run-NNN/,
 * then prints and writes the summary (summary.csv, summary.txt). With
 * o->resume, finished runs are kept, an interrupted one resumes from its
 * checkpoint, and the rest run. Returns an exit status: that of the first
 * run that did not finish (130 when interrupted), else 0.
 */
int batch_main(struct config *c, const struct run_options *o);

#endif
