/* stop: the request to stop a run, made by a signal (SIGINT, SIGTERM,
 * SIGHUP) and read by whoever loops: the run between generations, the farm
 * between results. */
#ifndef FORKGP_STOP_H
#define FORKGP_STOP_H

#include <signal.h>
#include <sys/types.h>

/* Installs the handlers that ask the run to stop (a second signal ends
 * the process at once) and ignores SIGPIPE, so that a write to a dead
 * worker's pipe fails with EPIPE instead of killing forkgp. SIGHUP is
 * left ignored when it was at the start (nohup). */
void stop_catch_signals(void);

/* The signal that asked the run to stop, or 0. */
int stop_requested(void);

/* Signals sent by the leader of session sid (a worker), or by any process
 * in that session, are ignored from now on (stop_ignore_session), or
 * heeded again (stop_heed_session, when the worker is gone and its pid may
 * be reused). At most 1100 sessions at once; more are heeded. */
void stop_ignore_session(pid_t sid);
void stop_heed_session(pid_t sid);

/* Holds back SIGINT, SIGTERM and SIGHUP (the previous mask in *old) until
 * stop_unblock(old): for a write that a stop must not cut in half. */
void stop_block(sigset_t *old);
void stop_unblock(const sigset_t *old);

#endif
