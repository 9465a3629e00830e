/* contain: keeping a worker's descendants from outliving it, or the run. */
#ifndef FORKGP_CONTAIN_H
#define FORKGP_CONTAIN_H

#include <stddef.h>
#include <sys/types.h>

enum contain_mode {
    CONTAIN_REAPER = 0, /* only the parent's sweep (contain_sweep) */
    CONTAIN_PIDNS = 1,  /* the worker's descendants in a PID namespace */
};

/*
 * Makes this process (the parent) the subreaper of its descendants: what a
 * worker's child leaves when its parent dies is re-parented here rather
 * than to init, so that contain_sweep finds it. Process-wide and lasting;
 * returns 0, or -1 where the kernel refuses.
 */
int contain_adopt(void);

/*
 * Called in a freshly forked worker, single-threaded, already the leader
 * of its own process group, before it sets its parent-death signal (a new
 * user namespace clears it). Puts every process the worker will fork into
 * a new PID namespace whose init (a small process forked here, in the
 * worker's group) dies with the worker; when it dies the kernel kills
 * everything in the namespace, setsid() or not, even after a kill -9 of
 * forkgp. Tries a PID namespace alone (privileged), then with a user
 * namespace that maps the worker's own ids. With FORKGP_CONTAIN=reaper in
 * the environment, or where neither is allowed, does nothing. Returns an
 * enum contain_mode; exits the worker (_exit(125)) only when the
 * namespace was made but its init cannot be forked.
 */
int contain_enter(void);

/* Reads the pids of this process's children into out (at most max).
 * Returns how many, or -1 where /proc does not list them. */
int contain_children(pid_t *out, int max);

/*
 * Kills (SIGKILL) and reaps every child of this process that is not in
 * its process group and not one of keep[0..nkeep): what a worker left
 * (its namespace's init, a grandchild that called setsid) once re-parented
 * here. Repeats while kills bring more, for 5 s at most.
 * Returns how many it reaped.
 */
int contain_sweep(const pid_t *keep, size_t nkeep);

#endif
