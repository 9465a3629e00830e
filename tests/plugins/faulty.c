/*
 * faulty: a test plug-in that misbehaves on a deterministic subset of
 * programs, those whose size is a multiple of [faulty] every, in the way
 * [faulty] mode says: segv, abort, exit (_exit(3)), loop (forever), bomb
 * (allocates until it fails), nan (returns a NaN score), stdout (writes
 * garbage to stdout, then scores), closefd1 (closes fd 1, then scores),
 * grandchild (forks a child that sleeps, then scores), setsid (the same,
 * the child leaving the worker's session and group with setsid()), orphan
 * (forks a child that sleeps holding the worker's pipes, then _exit(3):
 * only waitpid shows the death), sleep (sleeps [faulty] sleep_ms, then
 * scores: a worker that blocks), sigkill (raise(SIGKILL), as no OOM killer
 * does), kill-parent-int, kill-parent-term, kill-parent-hup (signals
 * forkgp, then scores), kill-group (SIGTERM to forkgp's process group,
 * then scores), kill-grandchild (a child that leaves the worker's session
 * sends forkgp SIGTERM; the worker waits for it, then scores), or none.
 * Every other program scores as with mode = none, so runs can be compared.
 * [faulty] forks bounds the children each worker forks (0: no bound);
 * [faulty] pids names a file each child appends its pid to, as the system
 * sees it (/proc/self: in a PID namespace getpid() gives the inner one).
 * [faulty] score_name, when given, goes to fgp_set_score_name ("(null)":
 * NULL).
 */
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "forkgp.h"

struct faulty {
    char mode[32];
    long every;
    long forks;
    long sleep_ms;
    char pids[4096];
};

static long forked; /* children this worker forked */

static int setup(struct fgp_setup *s, void **state)
{
    static struct faulty f;
    const char *mode, *score_name;
    if (fgp_get_string(s, NULL, "mode", "none", &mode) < 0 ||
        fgp_get_int(s, NULL, "every", 5, 1, 1000, &f.every) < 0 ||
        fgp_get_string(s, NULL, "score_name", NULL, &score_name) < 0 ||
        fgp_get_int(s, NULL, "forks", 0, 0, 1000000, &f.forks) < 0 ||
        fgp_get_int(s, NULL, "sleep_ms", 500, 0, 100000, &f.sleep_ms) < 0)
        return -1;
    if (score_name)
        fgp_set_score_name(s, strcmp(score_name, "(null)") == 0 ? NULL
                                                               : score_name);
    snprintf(f.mode, sizeof f.mode, "%s", mode);
    const char *pids;
    if (fgp_get_string(s, NULL, "pids", "", &pids) < 0)
        return -1;
    snprintf(f.pids, sizeof f.pids, "%s", pids);
    *state = &f;
    fgp_add_variable(s, "x");
    fgp_use_constants(s, "-1..1");
    return fgp_use_functions(s, "add, sub, mul");
}

/* A score that depends on the whole program: its values on 8 points. */
static int score(const struct fgp_program *p, double *scores)
{
    double xs[8], out[8], sum = 0;
    for (int i = 0; i < 8; i++)
        xs[i] = i / 4.0 - 1.0;
    const double *x[] = {xs};
    fgp_eval(p, x, 8, out);
    for (int i = 0; i < 8; i++)
        sum += (out[i] - xs[i] * xs[i]) * (out[i] - xs[i] * xs[i]);
    scores[0] = sum / 8;
    return isfinite(scores[0]) ? FGP_OK : FGP_INVALID;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng;
    const struct faulty *f = state;
    if (fgp_program_size(p) % (size_t)f->every != 0 ||
        strcmp(f->mode, "none") == 0)
        return score(p, scores);
    if (strcmp(f->mode, "segv") == 0)
        raise(SIGSEGV);
    if (strcmp(f->mode, "abort") == 0)
        abort();
    if (strcmp(f->mode, "exit") == 0)
        _exit(3);
    if (strcmp(f->mode, "loop") == 0)
        for (volatile int spin = 1; spin;)
            ;
    if (strcmp(f->mode, "bomb") == 0) {
        for (;;) {
            char *block = malloc(64 << 20);
            if (!block)
                return FGP_ERROR;
            memset(block, 1, 64 << 20);
        }
    }
    if (strcmp(f->mode, "nan") == 0) {
        scores[0] = NAN;
        return FGP_OK;
    }
    if (strcmp(f->mode, "stdout") == 0) {
        printf("garbage from a plug-in\n");
        fflush(stdout);
        (void)!write(1, "\x01\x02 more garbage\n", 16);
    }
    if (strcmp(f->mode, "closefd1") == 0)
        close(1);
    int forks = strcmp(f->mode, "grandchild") == 0 ||
                strcmp(f->mode, "setsid") == 0;
    if (forks && (f->forks == 0 || forked < f->forks)) {
        forked++;
        if (fork() == 0) {
            if (strcmp(f->mode, "setsid") == 0)
                setsid();
            char pid[32] = "";
            ssize_t n = readlink("/proc/self", pid, sizeof pid - 2);
            int fd = f->pids[0] ? open(f->pids, O_WRONLY | O_APPEND | O_CREAT,
                                       0644)
                                : -1;
            if (fd >= 0 && n > 0) {
                pid[n] = '\n';
                (void)!write(fd, pid, (size_t)n + 1);
            }
            if (fd >= 0)
                close(fd);
            sleep(1000);
            _exit(0);
        }
    }
    if (strcmp(f->mode, "sleep") == 0) {
        struct timespec ts = {f->sleep_ms / 1000, f->sleep_ms % 1000 * 1000000};
        nanosleep(&ts, NULL);
    }
    if (strcmp(f->mode, "sigkill") == 0)
        raise(SIGKILL);
    if (strcmp(f->mode, "kill-parent-int") == 0)
        kill(getppid(), SIGINT);
    if (strcmp(f->mode, "kill-parent-term") == 0)
        kill(getppid(), SIGTERM);
    if (strcmp(f->mode, "kill-parent-hup") == 0)
        kill(getppid(), SIGHUP);
    if (strcmp(f->mode, "kill-group") == 0)
        kill(-getpgid(getppid()), SIGTERM);
    if (strcmp(f->mode, "kill-grandchild") == 0) {
        pid_t forkgp = getppid(), child = fork();
        if (child == 0) {
            setsid();
            kill(forkgp, SIGTERM);
            _exit(0);
        }
        if (child > 0)
            waitpid(child, NULL, 0);
    }
    if (strcmp(f->mode, "orphan") == 0) {
        if (fork() == 0)
            sleep(1000);
        _exit(3);
    }
    return score(p, scores);
}

FGP_PLUGIN(.name = "faulty", .nscores = 1, .setup = setup,
           .evaluate = evaluate);
