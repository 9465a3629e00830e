/* manifest: manifest.ini, what a colleague needs to re-run a run: the
 * binary, the seed, the effective configuration's hash, the hashes of the
 * data and plug-in files, the host, the times and the outcome. */
#ifndef FORKGP_MANIFEST_H
#define FORKGP_MANIFEST_H

#include <stdint.h>

#include "plugin.h"
#include "report.h"

struct manifest {
    uint64_t seed;
    uint64_t config_hash;            /* config_hash of the effective config */
    const struct plugin_file *files; /* borrowed: what the fitness read */
    size_t nfiles;
    char start[32]; /* UTC, ISO 8601 */
    char end[32];   /* empty while running */
    int exit_status; /* -1 while running */
    int workers;
    int workers_started; /* -1 until the end: whether this process forked
                            its workers (a resume is a new process) */
    uint64_t evaluations, failures;
};

/* Marks the start (now) of m: a run of `workers` workers with the seed,
 * the config's hash and the files (borrowed: they must outlive m). */
void manifest_start(struct manifest *m, int workers, uint64_t seed,
                    uint64_t config_hash, const struct plugin_file *files,
                    size_t nfiles);

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
int manifest_write(struct report *rp, const struct manifest *m, int behind,
                   struct error *err);

/*
 * Reads dir/manifest.ini when there is one: its start time into m->start
 * (so a resumed run keeps its first start) and, for each file it lists
 * that m's files hold too, warns on stderr when the hash differs. Returns
 * the number of differing files.
 */
int manifest_compare(const char *dir, struct manifest *m);

#endif
