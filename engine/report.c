/* report: what a run tells: the stdout lines and the files of the output
 * folder (config.ini, log.csv, timing.csv, best.txt). */
#include "report.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "infix.h"
#include "path.h"
#include "stop.h"

/* mkdir -p */
int report_make_dirs(const char *path)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        errno = ENAMETOOLONG;
        return -1;
    }
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) < 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) < 0 && errno != EEXIST)
        return -1;
    return 0;
}

/* Opens dir/name as a stream of mode, with flags and O_NOFOLLOW: a link
 * planted in the run folder must not have its target written. Only a
 * regular file is taken (O_NONBLOCK: a named pipe does not wait for its
 * other end). NULL with errno set (ELOOP for a link, EINVAL for a file
 * that is not regular). */
static FILE *open_nofollow(const char *dir, const char *name, int flags,
                           const char *mode)
{
    char path[PATH_MAX];
    if (path_join(path, dir, name) < 0) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd < 0)
        return NULL;
    struct stat st;
    FILE *f = NULL;
    if (fstat(fd, &st) < 0)
        ;
    else if (!S_ISREG(st.st_mode))
        errno = EINVAL;
    else if (fcntl(fd, F_SETFL, 0) == 0) /* blocking again */
        f = fdopen(fd, mode);
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

/* Why dir/name could not be opened, from open_nofollow's errno. */
static const char *open_why(int e)
{
    return e == ELOOP    ? "it is a symbolic link"
           : e == EINVAL ? "not a regular file"
                         : strerror(e);
}

/* A log file of a new run: whatever stood at its name (an old run's log,
 * or a link or pipe planted there) is removed, and the file made anew. */
static FILE *open_in(struct report *rp, const char *name, struct error *err)
{
    char path[PATH_MAX];
    FILE *f = NULL;
    if (path_join(path, rp->dir, name) < 0)
        errno = ENAMETOOLONG;
    else if (unlink(path) == 0 || errno == ENOENT)
        f = open_nofollow(rp->dir, name, O_WRONLY | O_CREAT | O_EXCL, "w");
    if (!f)
        error_set(err, "cannot write '%s/%s': %s", rp->dir, name,
                  open_why(errno));
    return f;
}

/* What opening and reopening share: the settings and the folder's name. */
static int begin(struct report *rp, const struct report_options *o,
                 struct error *err)
{
    memset(rp, 0, sizeof *rp);
    rp->quiet = o->quiet;
    rp->metric = o->score_name;
    rp->dir = strdup(o->dir);
    if (!rp->dir) {
        error_set(err, "out of memory");
        return -1;
    }
    return 0;
}

int report_open(struct report *rp, const struct report_options *o,
                const char *config_text, size_t len, struct error *err)
{
    if (begin(rp, o, err) < 0)
        return -1;
    /* config.ini first, in place before anything else is (not behind):
     * with it a run folder can always be resumed or repeated, however
     * the run ends. A stop signal waits until it is; a second signal,
     * which ends forkgp at once, cannot leave the folder without it. */
    sigset_t old;
    stop_block(&old);
    int made = report_make_dirs(rp->dir);
    if (made < 0)
        error_set(err, "cannot create output folder '%s': %s", rp->dir,
                  strerror(errno));
    else
        made = durable_write(rp->dir, "config.ini", config_text, len, err);
    stop_unblock(&old);
    if (made < 0)
        goto fail;
    rp->log = open_in(rp, "log.csv", err);
    if (!rp->log)
        goto fail;
    rp->timing = open_in(rp, "timing.csv", err);
    if (!rp->timing)
        goto fail;
    fprintf(rp->log,
            "generation,best_%s,median_%s,best_size,mean_size,"
            "invalid,failed\n",
            rp->metric, rp->metric);
    /* New columns go last: scripts that read the first ones keep
     * working. */
    fprintf(rp->timing, "generation,eval_seconds,elapsed_seconds,"
                        "breed_seconds,evaluations,evaluated_nodes\n");
    if (!o->quiet)
        printf("%5s %14s %14s %9s %9s %7s %6s %9s %9s\n", "gen", "best",
               "median", "best_size", "mean_size", "invalid", "failed",
               "seconds", "eta");
    return 0;
fail:
    report_close(rp, NULL);
    return -1;
}

/* Opens dir/name for appending after cutting it to size bytes. */
static FILE *reopen_at(struct report *rp, const char *name, uint64_t size,
                       struct error *err)
{
    char path[PATH_MAX];
    FILE *f = path_join(path, rp->dir, name) == 0
                  ? open_nofollow(rp->dir, name, O_RDWR, "r+")
                  : NULL;
    if (!f) {
        error_set(err, "cannot resume: '%s/%s': %s", rp->dir, name,
                  open_why(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(f), &st) < 0 || (uint64_t)st.st_size < size) {
        error_set(err,
                  "cannot resume: '%s' is shorter than the checkpoint says",
                  path);
        fclose(f);
        return NULL;
    }
    if (ftruncate(fileno(f), (off_t)size) < 0 || fseek(f, 0, SEEK_END) < 0) {
        error_set(err, "cannot resume: '%s': %s", path, strerror(errno));
        fclose(f);
        return NULL;
    }
    return f;
}

int report_reopen(struct report *rp, const struct report_options *o,
                  uint64_t log_size, uint64_t timing_size, struct error *err)
{
    if (begin(rp, o, err) < 0)
        return -1;
    rp->log = reopen_at(rp, "log.csv", log_size, err);
    if (rp->log)
        rp->timing = reopen_at(rp, "timing.csv", timing_size, err);
    if (!rp->timing) {
        report_close(rp, NULL);
        return -1;
    }
    if (!o->quiet)
        printf("resuming %s\n", rp->dir);
    return 0;
}

void report_sizes(struct report *rp, uint64_t *log_size, uint64_t *timing_size)
{
    long a = ftell(rp->log), b = ftell(rp->timing);
    *log_size = a > 0 ? (uint64_t)a : 0;
    *timing_size = b > 0 ? (uint64_t)b : 0;
}

/* Seconds as "42s", "3m07s" or "2h05m"; "-" when unknown. */
static void format_eta(char *buf, size_t size, double t)
{
    if (!(t >= 0) || t > 1e8)
        snprintf(buf, size, "-");
    else if (t < 60)
        snprintf(buf, size, "%.0fs", t);
    else if (t < 3600)
        snprintf(buf, size, "%dm%02ds", (int)t / 60, (int)t % 60);
    else
        snprintf(buf, size, "%dh%02dm", (int)t / 3600, (int)t % 3600 / 60);
}

void report_generation(struct report *rp, long generation,
                       const struct pop_stats *s, const struct gen_timing *tm,
                       double eta)
{
    /* %.17g: the log is for machines and must round-trip exactly. */
    char best[32], median[32], mean_size[32];
    infix_g17(best, sizeof best, s->best_fitness);
    infix_g17(median, sizeof median, s->median_fitness);
    infix_g17(mean_size, sizeof mean_size, s->mean_size);
    fprintf(rp->log, "%ld,%s,%s,%u,%s,%zu,%zu\n", generation, best, median,
            s->best_size, mean_size, s->invalid, s->failed);
    fflush(rp->log);
    fprintf(rp->timing, "%ld,%.6f,%.6f,%.6f,%llu,%llu\n", generation,
            tm->eval_seconds, tm->elapsed, tm->breed_seconds,
            (unsigned long long)tm->evaluations, (unsigned long long)tm->nodes);
    fflush(rp->timing);
    if (!rp->quiet) {
        char left[32];
        format_eta(left, sizeof left, eta);
        printf("%5ld %14.6g %14.6g %9u %9.2f %7zu %6zu %9.2f %9s\n", generation,
               s->best_fitness, s->median_fitness, s->best_size, s->mean_size,
               s->invalid, s->failed, tm->elapsed, left);
        fflush(stdout);
    }
}

/* Waits for the write of `name` behind, if one is. Returns 0 or -1. */
static int settle_name(struct report *rp, const char *name, struct error *err)
{
    for (int i = 0; i < REPORT_BEHIND; i++)
        if (rp->behind[i].pid > 0 && strcmp(rp->behind[i].name, name) == 0)
            return durable_wait(&rp->behind[i], err);
    return 0;
}

int report_write_file(struct report *rp, const char *name, const void *data,
                      size_t len, struct error *err)
{
    if (settle_name(rp, name, err) < 0)
        return -1;
    return durable_write(rp->dir, name, data, len, err);
}

int report_write_behind(struct report *rp, const char *name, const void *data,
                        size_t len, struct error *err)
{
    if (settle_name(rp, name, err) < 0)
        return -1;
    int slot = 0;
    while (slot < REPORT_BEHIND && rp->behind[slot].pid > 0)
        slot++;
    if (slot == REPORT_BEHIND) { /* all busy: the first will do */
        slot = 0;
        if (durable_wait(&rp->behind[0], err) < 0)
            return -1;
    }
    return durable_write_behind(&rp->behind[slot], rp->dir, name, data, len,
                                err);
}

/* Waits for every write behind (wait), or reaps those done (not wait).
 * Returns 0, or -1 with the first failure in err (when err is given). */
static int collect_behind(struct report *rp, int wait, struct error *err)
{
    int rc = 0;
    for (int i = 0; i < REPORT_BEHIND; i++) {
        struct error one;
        struct durable_job *job = &rp->behind[i];
        int got = wait ? durable_wait(job, &one) : durable_poll(job, &one);
        if (got < 0 && rc == 0) {
            rc = -1;
            if (err)
                memcpy(err->msg, one.msg, sizeof err->msg);
        }
    }
    return rc;
}

int report_settle(struct report *rp, struct error *err)
{
    return collect_behind(rp, 1, err);
}

int report_poll(struct report *rp, struct error *err)
{
    return collect_behind(rp, 0, err);
}

int report_close(struct report *rp, struct error *err)
{
    int rc = report_settle(rp, err);
    FILE *files[] = {rp->log, rp->timing};
    for (size_t i = 0; i < 2; i++)
        if (files[i] && (ferror(files[i]) | fclose(files[i])) && rc == 0) {
            rc = -1;
            if (err)
                error_set(err, "cannot write the logs in '%s'", rp->dir);
        }
    free(rp->dir);
    memset(rp, 0, sizeof *rp);
    return rc;
}
