/* durable: files replaced atomically and durably, now or from a forked
 * child while the caller goes on ("write-behind"). */
#ifndef FORKGP_DURABLE_H
#define FORKGP_DURABLE_H

#include <stddef.h>
#include <sys/types.h>

#include "error.h"
#include "path.h"

/*
 * Writes dir/name with len bytes of data: a temporary file, fsync, rename,
 * fsync of the folder (Redis's rdbSave), so that a crash of the process or
 * of the machine leaves the old file or the new one, never a mix. The
 * temporary (dir/name.tmp) is created anew, never followed through a
 * link, and the rename replaces a link at dir/name, not its target. Returns
 * 0, or -1 with a message in err (`cannot write '<path>': <reason>`).
 */
int durable_write(const char *dir, const char *name, const void *data,
                  size_t len, struct error *err);

/* A durable_write in flight in a child process. Zeroed: none. */
struct durable_job {
    pid_t pid;     /* the child; 0 when none */
    int report_fd; /* the read end of the pipe its message comes on */
    char name[256];   /* the file it writes, as named (for ordering) */
    char path[PATH_MAX]; /* and its whole path (for messages) */
    char dir[PATH_MAX];  /* its folder (for a second try) */
    void *copy;   /* the data, for a second try when the child is killed */
    size_t len;
    int tries;    /* children started for this write */
};

/*
 * Starts durable_write(dir, name, data, len) in a forked child, which
 * writes its own copy-on-write view of data: the caller may change or free
 * data at once. The fsyncs, the costly part, then overlap the caller's
 * work. The child ignores SIGINT, SIGTERM and SIGHUP, so that Ctrl-C at a
 * terminal (which signals the whole process group) cannot cut a write in
 * half, and
 * dies with the caller (a write landing after a kill -9 could replace what
 * a resumed run writes). When no child can be forked, and in MPI builds,
 * the file is written now. job must be idle (durable_wait). A child that
 * dies of a signal (killed from outside) is replaced once by another with
 * the same data: job keeps a copy until the write is done. A child that
 * ends is reaped at once (a SIGCHLD handler, installed at the first call),
 * not left a zombie until durable_poll. Returns 0, or -1 with a message
 * in err (when written now, or dir/name is too long).
 */
int durable_write_behind(struct durable_job *job, const char *dir,
                         const char *name, const void *data, size_t len,
                         struct error *err);

/* Waits for job's child, if any, and reaps it; job is then idle. Returns
 * 0, or -1 when its write failed, with the message in err. */
int durable_wait(struct durable_job *job, struct error *err);

/* durable_wait if job's child has finished, without waiting for it: so
 * that a finished writer is no zombie for long, and its failure shows at
 * once. Returns 1 while it is still writing, else as durable_wait. */
int durable_poll(struct durable_job *job, struct error *err);

#endif
