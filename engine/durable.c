/* durable: files replaced atomically and durably, now or from a forked
 * child while the caller goes on ("write-behind"). */
#define _GNU_SOURCE /* pipe2, close_range */
#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "path.h"

int durable_write(const char *dir, const char *name, const void *data,
                  size_t len, struct error *err)
{
    const char *bytes = data;
    char path[PATH_MAX], tmp[PATH_MAX];
    if (path_join(path, dir, name) < 0 ||
        path_format(tmp, "%s.tmp", path) < 0)
        return error_set(err, "cannot write '%s/%s': %s", dir, name,
                         strerror(ENAMETOOLONG));
    int e = 0;
    /* The temporary is made afresh (O_EXCL), never opened through what
     * stands at its name: a link planted there would have its target
     * overwritten. What stands there (a temporary left by a writer that
     * was killed, or such a link) is removed first: unlink removes a
     * link, not its target. */
    int flags = O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC;
    int fd = open(tmp, flags, 0666);
    if (fd < 0 && errno == EEXIST) {
        if (unlink(tmp) < 0)
            return error_set(err, "cannot write '%s': %s", path,
                             strerror(errno));
        fd = open(tmp, flags, 0666);
    }
    if (fd < 0)
        return error_set(err, "cannot write '%s': %s", path, strerror(errno));
    for (size_t done = 0; done < len && !e;) {
        ssize_t n = write(fd, bytes + done, len - done);
        if (n < 0 && errno != EINTR)
            e = errno;
        else if (n > 0)
            done += (size_t)n;
    }
    if (!e && fsync(fd) < 0)
        e = errno;
    if (close(fd) < 0 && !e)
        e = errno;
    if (!e && rename(tmp, path) < 0)
        e = errno;
    if (e) {
        unlink(tmp);
        return error_set(err, "cannot write '%s': %s", path, strerror(e));
    }
    /* The rename is durable only once the folder is synced (best effort:
     * some file systems refuse to sync a folder). */
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

#ifndef FORKGP_MPI
/* The writers in flight, for the SIGCHLD handler, which reaps each as it
 * ends and keeps its wait status here until the job collects it. A slot's
 * pid is 0 when free. */
#define MAX_WRITERS 16
static struct {
    volatile sig_atomic_t pid, done, status;
} writers[MAX_WRITERS];

static void on_child(int sig)
{
    (void)sig;
    int saved = errno;
    for (int i = 0; i < MAX_WRITERS; i++) {
        int status;
        if (writers[i].pid > 0 && !writers[i].done &&
            waitpid(writers[i].pid, &status, WNOHANG) == writers[i].pid) {
            writers[i].status = status;
            writers[i].done = 1;
        }
    }
    errno = saved;
}

/* Blocks SIGCHLD (the previous mask in *old): the table is the caller's
 * until it unblocks. */
static void block_child(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, old);
}

/* The slot of pid, or -1. */
static int writer_slot(pid_t pid)
{
    for (int i = 0; i < MAX_WRITERS; i++)
        if (writers[i].pid == pid)
            return i;
    return -1;
}

/* Installs the handler, once; it restarts the system calls it interrupts,
 * and is told of ended children only. */
static void watch_children(void)
{
    static int installed;
    if (installed)
        return;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGCHLD, &sa, NULL) == 0)
        installed = 1;
}

/* The writer child: writes, sends any message up the pipe, and leaves
 * with _exit (the parent's atexit handlers and stdio buffers are not its
 * to run or flush). */
static void writer_main(int report, pid_t parent, const char *dir,
                        const char *name, const void *data, size_t len)
    __attribute__((noreturn));

static void writer_main(int report, pid_t parent, const char *dir,
                        const char *name, const void *data, size_t len)
{
    /* Die with the parent: a parent killed with -9 has left its run to be
     * resumed, and a write landing after that would replace what the
     * resumed run writes. The half-written temporary file is harmless. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(1);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    /* Only the pipe is ours: the workers' pipes and the logs are not
     * (holding a worker's pipe open would hide its end from it). */
    if (report != 3 && dup2(report, 3) == 3)
        report = 3;
    if (report == 3)
        close_range(4, ~0U, 0); /* ENOSYS on old kernels: then kept */

    struct error err;
    if (durable_write(dir, name, data, len, &err) == 0)
        _exit(0);
    size_t n = strlen(err.msg);
    for (size_t done = 0; done < n;) {
        ssize_t w = write(report, err.msg + done, n - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    _exit(1);
}
#endif

#ifndef FORKGP_MPI
/* Forks the child that writes job's file from data. Returns 0, or -1 when
 * no child could be started. */
static int start_writer(struct durable_job *job, const void *data,
                        size_t len)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0)
        return -1;
    watch_children();
    /* Held back until the child is in the table, so that the handler
     * reaps it even when it ends at once. */
    sigset_t old;
    block_child(&old);
    int slot = writer_slot(0);
    pid_t parent = getpid();
    pid_t pid = slot < 0 ? -1 : child_fork();
    if (pid == 0) {
        close(fds[0]);
        writer_main(fds[1], parent, job->dir, job->name, data, len);
    }
    close(fds[1]);
    if (pid < 0) {
        sigprocmask(SIG_SETMASK, &old, NULL);
        close(fds[0]);
        return -1;
    }
    writers[slot].done = 0;
    writers[slot].pid = pid;
    sigprocmask(SIG_SETMASK, &old, NULL);
    job->pid = pid;
    job->report_fd = fds[0];
    job->tries++;
    return 0;
}
#endif

int durable_write_behind(struct durable_job *job, const char *dir,
                         const char *name, const void *data, size_t len,
                         struct error *err)
{
#ifdef FORKGP_MPI
    /* A forked MPI rank is a risk on some interconnects (memory
     * registered with the network card): an MPI build writes now. */
    (void)job;
    return durable_write(dir, name, data, len, err);
#else
    char path[PATH_MAX];
    if (path_join(path, dir, name) < 0 || strlen(dir) >= sizeof job->dir ||
        strlen(name) >= sizeof job->name)
        return error_set(err, "cannot write '%s/%s': %s", dir, name,
                         strerror(ENAMETOOLONG));
    if (job->pid > 0)
        return durable_write(dir, name, data, len, err);
    snprintf(job->name, sizeof job->name, "%s", name);
    snprintf(job->dir, sizeof job->dir, "%s", dir);
    memcpy(job->path, path, sizeof job->path);
    job->tries = 0;
    if (start_writer(job, data, len) < 0)
        return durable_write(dir, name, data, len, err);
    /* The copy for a second try (none when memory is short: then a
     * killed writer fails the write, as it would without one). */
    job->copy = malloc(len ? len : 1);
    if (job->copy)
        memcpy(job->copy, data, len);
    job->len = len;
    return 0;
#endif
}

#ifndef FORKGP_MPI
/* Reads job's message from its pipe until end of file (or a full buffer)
 * into msg; closes the pipe. Returns its length. */
static size_t read_message(struct durable_job *job, char *msg, size_t size)
{
    size_t got = 0;
    for (;;) {
        ssize_t n = read(job->report_fd, msg + got, size - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == size - 1)
            break;
    }
    msg[got] = '\0';
    close(job->report_fd);
    job->report_fd = -1;
    return got;
}

/* Whether job's child has ended; its wait status in *status then, and it
 * is reaped (by the handler, or here). With `wait`, waits for it. */
static int child_ended(struct durable_job *job, int wait, int *status)
{
    sigset_t old;
    block_child(&old);
    int slot = writer_slot(job->pid), ended = 0;
    if (slot >= 0 && writers[slot].done) {
        *status = writers[slot].status;
        ended = 1;
    } else {
        pid_t r;
        while ((r = waitpid(job->pid, status, wait ? 0 : WNOHANG)) < 0 &&
               errno == EINTR)
            ;
        /* r < 0: not ours to wait for (a caller that reaped it): as if it
         * wrote. */
        if (r != 0) {
            if (r < 0)
                *status = 0;
            ended = 1;
        }
    }
    if (ended && slot >= 0) {
        writers[slot].pid = 0;
        writers[slot].done = 0;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return ended;
}

/* Collects job's message after its child ended with wait status
 * `status`: job is then idle, or (a killed first child) writing again.
 * Returns 0, 1 when writing again, or -1 with the failure in err. */
static int collect(struct durable_job *job, int status, struct error *err)
{
    char msg[sizeof err->msg];
    size_t got = read_message(job, msg, sizeof msg);
    pid_t pid = job->pid;
    job->pid = 0;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
        free(job->copy);
        job->copy = NULL;
        return 0;
    }
    /* Killed from outside (a kill of the wrong process, the OOM killer):
     * once more, from the copy. */
    if (WIFSIGNALED(status) && got == 0 && job->copy && job->tries < 2 &&
        start_writer(job, job->copy, job->len) == 0)
        return 1;
    free(job->copy);
    job->copy = NULL;
    if (got > 0)
        return error_set(err, "%s", msg);
    if (WIFSIGNALED(status))
        return error_set(err,
                         "cannot write '%s': its writer (process %ld) died "
                         "of signal %d",
                         job->path, (long)pid, WTERMSIG(status));
    return error_set(err,
                     "cannot write '%s': its writer (process %ld) exited "
                     "with status %d",
                     job->path, (long)pid, WEXITSTATUS(status));
}
#endif

int durable_wait(struct durable_job *job, struct error *err)
{
#ifndef FORKGP_MPI
    while (job->pid > 0) {
        int status;
        child_ended(job, 1, &status);
        int rc = collect(job, status, err);
        if (rc <= 0)
            return rc;
    }
#else
    (void)job;
    (void)err;
#endif
    return 0;
}

int durable_poll(struct durable_job *job, struct error *err)
{
#ifndef FORKGP_MPI
    int status;
    if (job->pid <= 0)
        return 0;
    if (!child_ended(job, 0, &status))
        return 1; /* still writing */
    return collect(job, status, err);
#else
    (void)job;
    (void)err;
    return 0;
#endif
}
