/* child: forking a child process the way forkgp's children need it. */
#include "child.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

pid_t child_fork(void)
{
    fflush(stdout);
    fflush(stderr);
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    pid_t pid = fork();
    if (pid == 0)
        return 0;
    int saved = errno;
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return pid;
}
