/* stop: the request to stop a run, made by a signal (SIGINT, SIGTERM,
 * SIGHUP) and read by whoever loops: the run between generations, the farm
 * between results. */
#ifndef FORKGP_STOP_H
#define FORKGP_STOP_H

/* Installs the handlers that ask the run to stop (a second signal ends
 * the process at once) and ignores SIGPIPE, so that a write to a dead
 * worker's pipe fails with EPIPE instead of killing forkgp. */
void stop_catch_signals(void);

/* The signal that asked the run to stop, or 0. */
int stop_requested(void);

#endif
