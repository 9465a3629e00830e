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

#endif
