/* manifest: manifest.ini, what a colleague needs to re-run a run: the
 * binary, the seed, the effective configuration's hash, the hashes of the
 * data and plug-in files, the host, the times and the outcome. */
#ifndef FORKGP_MANIFEST_H
#define FORKGP_MANIFEST_H

#include <stdint.h>

#include "config.h"
#include "plugin.h"
#include "report.h"

struct manifest {
    char start[32]; /* UTC, ISO 8601 */
    char end[32];   /* empty while running */
    int exit_status; /* -1 while running */
    int workers;
    int workers_started; /* -1 until the end: forked this session or not */
    uint64_t evaluations, failures;
};

/* Marks the start (now) of m. */
void manifest_start(struct manifest *m, int workers);

/* Marks the end (now) and the outcome; workers_started: whether this
 * session forked its workers. */
void manifest_end(struct manifest *m, int exit_status, uint64_t evaluations,
                  uint64_t failures, int workers_started);

/*
 * Writes manifest.ini into the output folder (atomically), as INI that
 * forkgp and Python's configparser both read; behind: from a forked child
 * (report_write_behind), a failure then showing at report_settle. Returns
 * 0 or -1.
 */
int manifest_write(struct report *rp, const struct config *c,
                   const struct plugin *pl, const struct manifest *m,
                   int behind, struct error *err);

/*
 * Reads dir/manifest.ini when there is one: its start time into m->start
 * (so a resumed run keeps its first start) and, for each file it lists
 * that the plug-in loaded too, warns on stderr when the hash differs.
 * Returns the number of differing files.
 */
int manifest_compare(const char *dir, const struct plugin *pl,
                     struct manifest *m);

#endif
