/* report: what a run tells: the stdout lines and the files of the output
 * folder (config.ini, log.csv, timing.csv, best.txt). */
#ifndef FORKGP_REPORT_H
#define FORKGP_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "durable.h"
#include "pop.h"

/* Files being written behind the run's back, at most. */
#define REPORT_BEHIND 4

struct report {
    char *dir;
    FILE *log;    /* log.csv: reproducible, no timings */
    FILE *timing; /* timing.csv: the timings */
    int quiet;    /* no per-generation lines on stdout */
    const char *metric;
    struct durable_job behind[REPORT_BEHIND]; /* report_write_behind's */
};

/* Where and how a run reports. The strings are borrowed: they must outlive
 * the report. */
struct report_options {
    const char *dir;        /* the output folder */
    const char *score_name; /* what the fitness is called ("mse") */
    int quiet;              /* no per-generation lines on stdout */
};

/*
 * Creates the output folder (and its parents), writes config.ini (the
 * len bytes of config_text: the effective configuration) and opens
 * log.csv (columns named after the score) and timing.csv with their
 * headers. Returns 0 or -1.
 */
int report_open(struct report *rp, const struct report_options *o,
                const char *config_text, size_t len,
                struct error *err);

/* Creates a folder and its parents (mkdir -p). Returns 0 or -1 (errno). */
int report_make_dirs(const char *path);

/*
 * Reopens the output folder of a run being resumed: log.csv and timing.csv
 * are cut back to the sizes the checkpoint recorded (what was written
 * after it is written again) and appended to. Returns 0 or -1.
 */
int report_reopen(struct report *rp, const struct report_options *o,
                  uint64_t log_size, uint64_t timing_size,
                  struct error *err);

/* The sizes of log.csv and timing.csv now (for a checkpoint). */
void report_sizes(struct report *rp, uint64_t *log_size,
                  uint64_t *timing_size);

/* What one generation cost: a timing.csv row. */
struct gen_timing {
    double breed_seconds; /* making it: breeding, or the initial population */
    double eval_seconds;  /* scoring it: evaluations, twins, statistics */
    double elapsed;       /* the run's seconds so far, resumes included */
    uint64_t evaluations; /* the programs evaluated */
    uint64_t nodes;       /* and their nodes, summed */
};

/* Reports one scored generation: a stdout line (unless quiet) with the
 * estimated seconds left (eta; NaN: unknown), a log.csv row and a
 * timing.csv row. */
void report_generation(struct report *rp, long generation,
                       const struct pop_stats *s, const struct gen_timing *tm,
                       double eta);

/*
 * Writes `name` in the output folder atomically (temporary file, fsync,
 * rename, fsync of the folder) with len bytes of data: a crash leaves the
 * old file or the new one, never a mix. A write of the same name still
 * behind is waited for first. Returns 0 or -1.
 */
int report_write_file(struct report *rp, const char *name, const void *data,
                      size_t len, struct error *err);

/*
 * report_write_file from a forked child (durable_write_behind), so that
 * its fsyncs overlap the run: the caller may free data at once. A write
 * of the same name still behind is waited for first, so writes of one
 * file land in order. Returns 0, or -1 when the write (made now) or the
 * earlier one of that name failed; a failure of this one shows in a
 * later report_settle or report_close.
 */
int report_write_behind(struct report *rp, const char *name,
                        const void *data, size_t len,
                        struct error *err);

/* Waits for every write behind. Returns 0, or -1 when one failed (err:
 * the first failure). */
int report_settle(struct report *rp, struct error *err);

/* Reaps the writes behind that have finished, without waiting for the
 * others (durable_poll). Returns 0, or -1 when one failed (err). */
int report_poll(struct report *rp, struct error *err);

/* Waits for the writes behind, flushes and closes the files. Returns 0,
 * or -1 when a write failed. */
int report_close(struct report *rp, struct error *err);

#endif
