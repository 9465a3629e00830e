/* stop: the request to stop a run, made by a signal. */
#define _GNU_SOURCE /* getsid */
#include "stop.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#define MAX_SESSIONS 1100 /* the workers, at most 1024, and some room */

static volatile sig_atomic_t stop_signal;

/* The sessions whose members may not stop the run: the workers'. A slot
 * holds a session id (a worker's pid), or 0. */
static volatile sig_atomic_t ignored[MAX_SESSIONS];

/* Whether pid, a signal's sender, is a worker or in a worker's session.
 * Only system calls: it runs in the handler. */
static int from_ignored(pid_t pid)
{
    int saved = errno;
    pid_t sid = getsid(pid);
    errno = saved;
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (ignored[i] && (ignored[i] == pid || ignored[i] == sid))
            return 1;
    return 0;
}

static void on_stop_signal(int sig, siginfo_t *info, void *ctx)
{
    (void)ctx;
    /* A signal some process sent (kill, sigqueue) carries its pid: a
     * worker's, or a process of a worker's session, costs the run
     * nothing (the terminal's Ctrl-C comes from the kernel, pid 0). */
    if (info &&
        (info->si_code == SI_USER || info->si_code == SI_QUEUE ||
         info->si_code == SI_TKILL) &&
        info->si_pid > 0 && from_ignored(info->si_pid))
        return;
    /* A second signal ends the process at once; workers follow (parent
     * death signal, EOF). The run folder stays usable: config.ini is in
     * place before anything else (report_open), and the other files are
     * replaced by rename, so a cut write leaves the old one. */
    if (stop_signal)
        _exit(128 + sig);
    stop_signal = sig;
}

void stop_catch_signals(void)
{
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_stop_signal;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* A closed terminal or a dropped ssh session: the same, so the run
     * stops with its outputs and a checkpoint to resume from. Unless it
     * was ignored when forkgp started (nohup): then it stays ignored. */
    if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
        sigaction(SIGHUP, &sa, NULL);
    /* A worker that died leaves a broken pipe: write() says EPIPE. */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGPIPE, &sa, NULL);
}

int stop_requested(void)
{
    return stop_signal;
}

void stop_ignore_session(pid_t sid)
{
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (!ignored[i]) {
            ignored[i] = sid;
            return;
        }
}

void stop_heed_session(pid_t sid)
{
    for (int i = 0; i < MAX_SESSIONS; i++)
        if (ignored[i] == sid)
            ignored[i] = 0;
}

void stop_block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    sigprocmask(SIG_BLOCK, &set, old);
}

void stop_unblock(const sigset_t *old)
{
    sigprocmask(SIG_SETMASK, old, NULL);
}
