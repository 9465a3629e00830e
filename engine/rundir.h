/* rundir: whether a folder may become a run's output folder: new, empty,
 * or one that forkgp made. */
#ifndef FORKGP_RUNDIR_H
#define FORKGP_RUNDIR_H

#include "error.h"

/*
 * Whether `forkgp run` may write into dir: it does not exist yet, is
 * empty, or holds a forkgp run or batch (its config.ini or manifest.ini
 * begins with forkgp's first line). A folder of other files is not a run
 * folder: writing there replaces files of the same names (config.ini,
 * log.csv, ...) that forkgp did not make. Returns 0, or -1 with the
 * reason in err. A folder that cannot be read passes: making or writing
 * it fails later with the system's reason.
 */
int rundir_check(const char *dir, struct error *err);

#endif
