/* child: forking a child process the way forkgp's children need it. */
#ifndef FORKGP_CHILD_H
#define FORKGP_CHILD_H

#include <sys/types.h>

/*
 * fork() with stdout and stderr flushed first (no buffered output is
 * copied into the child, to be written twice) and every signal blocked
 * around it, so that no handler of the parent's runs in the child: the
 * child starts with every signal blocked, sets its own handlers, then
 * unblocks. In the parent the signal mask is as before. Returns as fork
 * does, errno kept on failure.
 */
pid_t child_fork(void);

/*
 * Keeps this process, and every process it starts, from signalling
 * `parent` or its process group `parent_group`: kill, tkill, tgkill,
 * sigqueue and pidfd_send_signal aimed there fail with EPERM, as do
 * kill(-1) and making the parent the owner of a descriptor's I/O signals
 * (F_SETOWN). A seccomp filter, which no descendant can lift; it also sets
 * no_new_privs (set-user-ID programs run without their privileges).
 * Returns 0, or -1 (errno set) where the kernel or the architecture has
 * no such filter.
 */
int child_guard_parent(pid_t parent, pid_t parent_group);

#endif
