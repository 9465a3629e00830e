/* durable: files replaced atomically and durably, now or from a forked
 * child while the caller goes on ("write-behind"). */
#define _GNU_SOURCE /* pipe2, close_range */
#include "durable.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
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
    int fds[2];
    char path[PATH_MAX];
    if (path_join(path, dir, name) < 0)
        return error_set(err, "cannot write '%s/%s': %s", dir, name,
                         strerror(ENAMETOOLONG));
    if (job->pid > 0 || pipe2(fds, O_CLOEXEC) < 0)
        return durable_write(dir, name, data, len, err);
    pid_t parent = getpid();
    pid_t pid = child_fork();
    if (pid == 0) {
        close(fds[0]);
        writer_main(fds[1], parent, dir, name, data, len);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return durable_write(dir, name, data, len, err);
    }
    job->pid = pid;
    job->report_fd = fds[0];
    snprintf(job->name, sizeof job->name, "%s", name);
    memcpy(job->path, path, sizeof job->path);
    return 0;
#endif
}

/* Collects job's message and reaps its child (waiting for it unless
 * `reaped`, when status is already its wait status); job is then idle.
 * Returns 0, or -1 with the failure in err. */
static int collect(struct durable_job *job, int reaped, int status,
                   struct error *err)
{
    /* The message, if any, then end of file when the child is gone. */
    char msg[sizeof err->msg];
    size_t got = 0;
    for (;;) {
        ssize_t n = read(job->report_fd, msg + got, sizeof msg - 1 - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
        if (got == sizeof msg - 1)
            break;
    }
    msg[got] = '\0';
    close(job->report_fd);
    while (!reaped && waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
        ;
    pid_t pid = job->pid;
    job->pid = 0;
    job->report_fd = -1;
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
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

int durable_wait(struct durable_job *job, struct error *err)
{
    if (job->pid <= 0)
        return 0;
    return collect(job, 0, 0, err);
}

int durable_poll(struct durable_job *job, struct error *err)
{
    if (job->pid <= 0)
        return 0;
    int status = 0;
    pid_t r = waitpid(job->pid, &status, WNOHANG);
    if (r == 0 || (r < 0 && errno == EINTR))
        return 1; /* still writing */
    /* Gone (or, r < 0, not ours to wait for: then as if it wrote). */
    return collect(job, 1, r < 0 ? 0 : status, err);
}
