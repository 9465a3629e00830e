/* clock: the one monotonic clock that runs, farms and benchmarks time
 * themselves by. */
#ifndef FORKGP_CLOCK_H
#define FORKGP_CLOCK_H

/* Seconds on CLOCK_MONOTONIC: from an arbitrary start, never stepped back
 * by a change of the wall clock. Only differences mean anything. */
double clock_now(void);

#endif
