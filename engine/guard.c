/* guard: a plug-in's code in forkgp's own process, watched for a crash or
 * an exit(). */
#define _DEFAULT_SOURCE /* on_exit, sigaltstack */
#include "guard.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcode.h"

/* The signals that end a process with a core: what a crash is. */
static const struct {
    int sig;
    const char *name;
} fatal[] = {
    {SIGSEGV, "segmentation fault"}, {SIGBUS, "bus error"},
    {SIGFPE, "arithmetic exception"}, {SIGILL, "illegal instruction"},
    {SIGABRT, "aborted"},            {SIGSYS, "bad system call"},
    {SIGTRAP, "trace trap"},
};
#define NFATAL (sizeof fatal / sizeof fatal[0])

/* What the handlers need, made before the watched code runs: a handler
 * may only copy and write. */
static volatile sig_atomic_t active;
static pid_t watched;          /* the process watched (not its children) */
static char who[1024], crashed[128], exited[128];
static struct sigaction saved[NFATAL];
static stack_t saved_stack;
static int exit_hooked;
/* Room for the handler to run in when the crash is a stack overflow. */
static char alt_stack[64 * 1024];

/* Appends s to buf (cap bytes, NUL-terminated); async-signal-safe. */
static void append(char *buf, size_t cap, const char *s)
{
    size_t n = strlen(buf);
    while (*s && n + 1 < cap)
        buf[n++] = *s++;
    buf[n] = '\0';
}

/* Writes "forkgp: WHO: " + what + "\n" to stderr and exits with 2. */
static void die(const char *a, const char *b, const char *c, const char *d)
    __attribute__((noreturn));

static void die(const char *a, const char *b, const char *c, const char *d)
{
    char msg[sizeof who + 512] = "forkgp: ";
    append(msg, sizeof msg, who);
    append(msg, sizeof msg, ": ");
    append(msg, sizeof msg, a);
    append(msg, sizeof msg, b);
    append(msg, sizeof msg, c);
    append(msg, sizeof msg, d);
    append(msg, sizeof msg, "\n");
    for (size_t done = 0, n = strlen(msg); done < n;) {
        ssize_t w = write(2, msg + done, n - done);
        if (w <= 0)
            break;
        done += (size_t)w;
    }
    _exit(EXIT_INPUT);
}

static void on_fatal(int sig)
{
    if (!active || getpid() != watched) {
        /* A child the watched code forked, or a late signal: as if
         * forkgp had not been here. */
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    const char *name = "a fatal signal";
    for (size_t i = 0; i < NFATAL; i++)
        if (fatal[i].sig == sig)
            name = fatal[i].name;
    die(crashed, " (", name, ")");
}

static void on_exit_call(int status, void *arg)
{
    (void)arg;
    if (!active || getpid() != watched)
        return;
    char num[24], *p = num + sizeof num;
    unsigned v = (unsigned)status & 0xff; /* what the parent would see */
    *--p = '\0';
    do
        *--p = (char)('0' + v % 10);
    while ((v /= 10) != 0);
    die("called exit(", p, ") ", exited);
}

void guard_begin(const char *w, const char *c, const char *e)
{
    snprintf(who, sizeof who, "%s", w);
    snprintf(crashed, sizeof crashed, "%s", c);
    snprintf(exited, sizeof exited, "%s", e);
    watched = getpid();
    /* on_exit, not atexit: its handler is told the status. It cannot be
     * taken back, so it is hooked once and does nothing when inactive. */
    if (!exit_hooked && on_exit(on_exit_call, NULL) == 0)
        exit_hooked = 1;
    stack_t st = {.ss_sp = alt_stack, .ss_size = sizeof alt_stack};
    sigaltstack(&st, &saved_stack);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_fatal;
    sa.sa_flags = SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    active = 1;
    for (size_t i = 0; i < NFATAL; i++)
        sigaction(fatal[i].sig, &sa, &saved[i]);
}

void guard_end(void)
{
    active = 0;
    for (size_t i = 0; i < NFATAL; i++) {
        struct sigaction now;
        /* Put back only what is still ours. */
        if (sigaction(fatal[i].sig, NULL, &now) == 0 &&
            now.sa_handler == on_fatal)
            sigaction(fatal[i].sig, &saved[i], NULL);
    }
    sigaltstack(&saved_stack, NULL);
}
