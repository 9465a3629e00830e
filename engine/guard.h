/* guard: a plug-in's code run in forkgp's own process (its loading and its
 * setup) watched, so that a crash or an exit() there ends forkgp with a
 * message and exit status 2, never a bare signal or a false success. */
#ifndef FORKGP_GUARD_H
#define FORKGP_GUARD_H

/*
 * Starts watching, until guard_end: a fatal signal (SIGSEGV, SIGBUS,
 * SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP) in this process prints
 * "forkgp: WHO: CRASHED (segmentation fault)" and exits with status 2; an
 * exit(n) prints "forkgp: WHO: called exit(n) EXITED" and exits with
 * status 2 (who, crashed and exited are copied). What an _exit() or a
 * SIGKILL does cannot be caught in the process. Not nested.
 */
void guard_begin(const char *who, const char *crashed, const char *exited);

/* Stops watching: the signals' actions are as before guard_begin, except
 * those the watched code set itself, which it keeps. */
void guard_end(void);

#endif
