/* contain: keeping a worker's descendants from outliving it, or the run. */
#define _GNU_SOURCE /* unshare, CLONE_NEWPID, close_range */
#include "contain.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SWEEP_ROUNDS 5000 /* kill-and-reap passes 1 ms apart, at most */
#define MAX_CHILDREN 4096

int contain_adopt(void)
{
    return prctl(PR_SET_CHILD_SUBREAPER, 1) < 0 ? -1 : 0;
}

/* The parent's pid of this process as /proc (the outer namespace's) sees
 * it: getppid() says 0 inside a new PID namespace. -1 when unreadable. */
static pid_t outer_parent(void)
{
    char buf[512];
    int fd = open("/proc/self/stat", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0)
        return -1;
    buf[n] = '\0';
    /* pid (comm) state ppid ...: comm may hold anything but the last ')' */
    char *p = strrchr(buf, ')');
    char state;
    int ppid;
    if (!p || sscanf(p + 1, " %c %d", &state, &ppid) != 2)
        return -1;
    return (pid_t)ppid;
}

static void on_child(int sig)
{
    (void)sig; /* only wakes sigsuspend */
}

/*
 * The namespace's init: reaps what is re-parented to it, and dies with
 * the worker (its parent-death signal), which makes the kernel kill the
 * rest of the namespace. Signals from inside the namespace cannot kill
 * it: an init gets only those it handles.
 */
static void keeper_main(pid_t worker) __attribute__((noreturn));
static void keeper_main(pid_t worker)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    pid_t parent = outer_parent();
    if (parent >= 0 && parent != worker)
        _exit(0); /* the worker died before the line above */
    /* Holding the worker's pipes would hide its death from the parent. */
    if (close_range(0, ~0U, 0) < 0)
        for (int fd = 0; fd < 1024; fd++)
            close(fd);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_child;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t all, wake;
    sigfillset(&all);
    sigprocmask(SIG_SETMASK, &all, NULL);
    sigfillset(&wake);
    sigdelset(&wake, SIGCHLD);
    for (;;) {
        while (waitpid(-1, NULL, WNOHANG | __WALL) > 0)
            ;
        sigsuspend(&wake);
    }
}

/* Writes text to a /proc file; 0 or -1. */
static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    ssize_t put = write(fd, text, n);
    close(fd);
    return put == (ssize_t)n ? 0 : -1;
}

/* In a new user namespace: the same uid and gid as outside, so that files
 * are reached as before (groups cannot be changed in it). */
static void map_ids(uid_t uid, gid_t gid)
{
    char line[64];
    write_file("/proc/self/setgroups", "deny");
    snprintf(line, sizeof line, "%lu %lu 1", (unsigned long)uid,
             (unsigned long)uid);
    write_file("/proc/self/uid_map", line);
    snprintf(line, sizeof line, "%lu %lu 1", (unsigned long)gid,
             (unsigned long)gid);
    write_file("/proc/self/gid_map", line);
}

int contain_enter(void)
{
    const char *force = getenv("FORKGP_CONTAIN");
    if (force && strcmp(force, "reaper") == 0)
        return CONTAIN_REAPER;
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWPID) < 0) {
        if (unshare(CLONE_NEWUSER | CLONE_NEWPID) < 0)
            return CONTAIN_REAPER;
        map_ids(uid, gid);
    }
    /* The first child forked now is the namespace's init (pid 1); were a
     * plug-in's child the first, the namespace would end with it. */
    pid_t worker = getpid();
    pid_t pid = fork();
    if (pid == 0)
        keeper_main(worker);
    if (pid < 0)
        _exit(125);
    return CONTAIN_PIDNS;
}

int contain_children(pid_t *out, int max)
{
    DIR *d = opendir("/proc/self/task");
    if (!d)
        return -1;
    int n = 0, found = 0;
    for (struct dirent *e; (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[300];
        snprintf(path, sizeof path, "/proc/self/task/%s/children", e->d_name);
        FILE *f = fopen(path, "re");
        if (!f)
            continue;
        found = 1;
        long pid;
        while (fscanf(f, "%ld", &pid) == 1)
            if (n < max)
                out[n++] = (pid_t)pid;
        fclose(f);
    }
    closedir(d);
    return found ? n : -1;
}

int contain_sweep(const pid_t *keep, size_t nkeep)
{
    static pid_t kids[MAX_CHILDREN];
    pid_t group = getpgrp();
    int reaped = 0;
    struct timespec pause = {0, 1000000};
    /* Kill all, then reap what has died, until none is left: a namespace's
     * init does not end before its members are reaped, and those whose
     * parent was the worker are re-parented here, so waiting for one of
     * them alone could wait for ever. */
    for (int round = 0; round < SWEEP_ROUNDS; round++) {
        int n = contain_children(kids, MAX_CHILDREN), left = 0;
        for (int i = 0; i < n; i++) {
            int ours = 0;
            for (size_t k = 0; k < nkeep && !ours; k++)
                ours = keep[k] == kids[i];
            /* Our own group holds what this process forked for itself
             * (the writer of checkpoints); a worker leads its own. */
            pid_t g = getpgid(kids[i]);
            if (ours || g == group || g < 0)
                continue;
            kill(kids[i], SIGKILL);
            if (waitpid(kids[i], NULL, WNOHANG | __WALL) == kids[i])
                reaped++;
            else
                left++;
        }
        if (left == 0)
            break;
        nanosleep(&pause, NULL);
    }
    return reaped;
}
