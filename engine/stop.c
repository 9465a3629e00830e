/* stop: the request to stop a run, made by a signal. */
#include "stop.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t stop_signal;

static void on_stop_signal(int sig)
{
    /* A second signal ends the process at once; workers follow (parent
     * death signal, EOF). */
    if (stop_signal)
        _exit(128 + sig);
    stop_signal = sig;
}

void stop_catch_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A closed terminal or a dropped ssh session: the same, so the run
     * stops with its outputs and a checkpoint to resume from. */
    sigaction(SIGHUP, &sa, NULL);
    /* A worker that died leaves a broken pipe: write() says EPIPE. */
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);
}

int stop_requested(void)
{
    return stop_signal;
}
