/*
 * farm_fork: the farm's fork backend. Evaluates a population's fitness in
 * worker processes forked on this machine (or, with workers = 0, in this
 * one): the one file that polls worker processes and waits for them.
 *
 * Each worker has a pipe down (jobs) and a pipe up (results). The parent
 * keeps, per worker, the indices it sent in order: the first of them is
 * the one being evaluated, so when a worker dies or hangs the parent knows
 * whose evaluation it was (that individual gets the failure status) and
 * which jobs to send elsewhere (the rest). Only what comes up the pipe
 * counts: a worker shares nothing else with the parent.
 */
#define _GNU_SOURCE /* pipe2, F_SETPIPE_SZ, sched_getaffinity */
#include "farm_fork.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "child.h"
#include "clock.h"
#include "contain.h"
#include "error.h"
#include "forkgp.h"
#include "rng.h"
#include "stop.h"
#include "wire.h"

#define MAX_CHUNK 64        /* jobs in flight per worker, at most */
#define CHUNK_SECONDS 0.002 /* aim: this much work per worker in flight */
#define POLL_MS 50          /* longest wait between checks on workers */
#define QUIET_MIN 100e-6    /* shortest sleep between checks, seconds */
#define TERM_GRACE 0.2      /* seconds between SIGTERM and SIGKILL */
#define STOP_GRACE 2.0      /* seconds a stopping run waits in flight */
#define MAX_KEEP_FDS 256
#define MAX_ATTEMPTS 3 /* tries of an evaluation whose worker dies */
/* A worker's exit status when [run] worker_memory_mb is below the address
 * space it starts with: no evaluation could run. */
#define EXIT_LIMIT_TOO_SMALL 124
#define MAX_FOREIGN 64 /* children of the parent's own before the farm */
/* eval_timeout counts a worker's CPU time; a worker that blocks (sleeps,
 * reads) is stopped by the wall clock after WALL_FACTOR times as long plus
 * WALL_EXTRA seconds: enough for a busy machine's share of a CPU. */
#define WALL_FACTOR 10.0
#define WALL_EXTRA 1.0

struct worker {
    pid_t pid; /* 0: not running */
    int job_fd, result_fd;
    int killed;                 /* we sent it SIGKILL/SIGTERM */
    long long oom_base;         /* the OOM-kill counter when it started */
    size_t inflight[MAX_CHUNK]; /* indices sent, first = being evaluated */
    int nin;
    double started;     /* when the first in flight began */
    struct buf out; /* jobs queued for the pipe; the first outoff sent */
    size_t outoff;
    unsigned char *in; /* result frames read, not yet taken (room for
                          result_max bytes: a whole frame) */
    size_t inlen;
    uint32_t job_id, result_id;
};

struct fork_farm {
    const struct fitness *fitness;
    uint64_t seed;
    struct farm_options opt;
    struct worker *w;
    pid_t parent, parent_group;
    char oom_path[PATH_MAX]; /* the kernel's OOM-kill counter; "" none */
    int keep_fds[MAX_KEEP_FDS]; /* open at start: the plug-in's; kept */
    int nkeep;
    pid_t foreign[MAX_FOREIGN]; /* the parent's children before the farm,
                                   not the farm's to sweep */
    int nforeign;
    pid_t *spare; /* room for the pids a sweep spares */
    double mean_eval; /* seconds, running estimate for chunk sizes */
    double next_scan; /* when to look for dead workers with waitpid next */
    int forked;       /* the workers were started */
    int unforkable;   /* an adaptive farm could not start them */
    struct farm_stats stats;
    unsigned char *frame; /* one job frame */
    double *consts;       /* one evaluation's tuned constants */
    size_t result_max;    /* the largest result frame */
    double *case_errors;  /* one evaluation's errors on every case */
    float *errors;        /* the opt.cases of them a result carries */
    uint32_t *sample;     /* which ones, when fewer than all */
    uint64_t sample_generation; /* whose they are; UINT64_MAX: none yet */
};

/* The cases of generation g whose errors go back, when a result carries
 * fewer than the fitness has: drawn once per generation and process from
 * their own stream, so every process draws the same. */
static const uint32_t *case_sample(struct fork_farm *fm, uint64_t g)
{
    if (fm->sample_generation != g) {
        struct rng r;
        rng_derive(&r, fm->seed, RNG_CASES, g, 0);
        rng_sample(&r, (uint32_t)fm->fitness->ncases, fm->opt.cases,
                   fm->sample);
        fm->sample_generation = g;
    }
    return fm->sample;
}

/* One evaluation, the same in a worker and in the parent (workers = 0). */
static void evaluate_one(struct fork_farm *fm, uint64_t generation,
                         uint64_t index, const struct tree *t,
                         struct wire_result *res)
{
    struct rng r = {0, 1};
    /* A deterministic built-in never draws on its stream, so it is not
     * derived (a cost per evaluation that shows with few rows); a
     * plug-in gets its own whatever its flags say. */
    if (fm->fitness->draws)
        rng_derive(&r, fm->seed, RNG_EVAL, generation, index);
    memset(res, 0, sizeof *res);
    res->index = index;
    struct scaling s = {0, 0.0, 1.0};
    const struct tree *tuned = NULL;
    /* A plug-in that leaves a case unwritten must not pass on the last
     * evaluation's error there (whichever this process made last): it
     * reads as NaN, the worst. The built-ins write every case. */
    if (fm->opt.cases && !fm->fitness->builtin)
        for (size_t k = 0; k < fm->fitness->ncases; k++)
            fm->case_errors[k] = NAN;
    res->status = fm->fitness->evaluate(fm->fitness->ctx, t, &r, res->scores,
                                        &s, &tuned, fm->case_errors);
    res->nscores = (uint32_t)fm->fitness->nscores;
    res->scaled = s.on;
    res->intercept = s.intercept;
    res->slope = s.slope;
    /* Tuned constants go back with the score, to be written into the
     * individual (its tree then is the program that was scored). */
    if (tuned && res->status == EVAL_OK) {
        res->nconst = tree_get_constants(tuned, fm->consts);
        res->constants = fm->consts;
    }
    /* The case errors selection asked for, as floats; a NaN is the worst
     * error there is. */
    if (fm->opt.cases && res->status == EVAL_OK) {
        uint32_t k = fm->opt.cases;
        const uint32_t *which = k < fm->fitness->ncases
                                    ? case_sample(fm, generation)
                                    : NULL;
        for (uint32_t j = 0; j < k; j++) {
            double e = fm->case_errors[which ? which[j] : j];
            fm->errors[j] = e == e ? (float)e : INFINITY;
        }
        res->nerrors = k;
        res->errors = fm->errors;
    }
}

/* ---- the worker's side --------------------------------------------------- */

static int kept(const struct fork_farm *fm, int fd)
{
    for (int i = 0; i < fm->nkeep; i++)
        if (fm->keep_fds[i] == fd)
            return 1;
    return 0;
}

/* Closes what the worker does not own: the other workers' pipes and any
 * file the parent opened since the farm started (its logs). */
static void close_foreign_fds(const struct fork_farm *fm, int in, int out)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return;
    int self = dirfd(d);
    int fds[1024], n = 0;
    for (struct dirent *e; (e = readdir(d)) && n < 1024;) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd > 2 && fd != self && fd != in &&
            fd != out && !kept(fm, fd))
            fds[n++] = fd;
    }
    closedir(d);
    for (int i = 0; i < n; i++)
        close(fds[i]);
}

/* The worker's end of the job pipe, read in bulk: one read() takes as many
 * frames as the pipe holds (a whole chunk, often), where reading frame by
 * frame costs two system calls per job. */
struct job_reader {
    int fd;
    unsigned char *buf;
    size_t cap;        /* 2 frames of the largest size */
    size_t start, end; /* the bytes read and not yet taken */
};

#define WIRE_FRAME_MAX (WIRE_HEADER + WIRE_MAX_PAYLOAD)

/* Makes n <= WIRE_FRAME_MAX bytes available at buf + start. Returns 0, or
 * -1 at end of file (or on an error) before that. */
static int reader_need(struct job_reader *r, size_t n)
{
    if (r->end - r->start >= n)
        return 0;
    if (r->cap - r->start < n) { /* no room after the start: move down */
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    while (r->end - r->start < n) {
        size_t got = wire_read_some(r->fd, r->buf + r->end, r->cap - r->end);
        if (got == 0)
            return -1;
        r->end += got;
    }
    return 0;
}

/* This process's address space in bytes (what RLIMIT_AS counts), or 0
 * when /proc does not say. */
static double address_space(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    unsigned long pages = 0;
    if (!f)
        return 0;
    if (fscanf(f, "%lu", &pages) != 1)
        pages = 0;
    fclose(f);
    return (double)pages * (double)sysconf(_SC_PAGESIZE);
}

/* The worker's end of eval_timeout: SIGXCPU once the evaluation has used
 * that much CPU time, whatever the machine's load. The signal's default
 * action would write a core file: the handler turns that off, then dies of
 * the same signal, which the parent reads as the timeout. */
static void on_cpu_limit(int sig)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    raise(sig); /* SA_RESETHAND | SA_NODEFER: the default action, now */
}

/* Makes the worker's CPU-time timer. Returns 0, or -1 (then only the
 * parent's wall clock limits an evaluation). */
static int cpu_limit_new(timer_t *timer)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = on_cpu_limit;
    sa.sa_flags = SA_RESETHAND | SA_NODEFER;
    sigaction(SIGXCPU, &sa, NULL);
    struct sigevent ev;
    memset(&ev, 0, sizeof ev);
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGXCPU;
    return timer_create(CLOCK_PROCESS_CPUTIME_ID, &ev, timer);
}

/* Arms the timer to fire after `seconds` more of this process's CPU time
 * (all its threads); 0 disarms it. */
static void cpu_limit_arm(timer_t timer, double seconds)
{
    struct itimerspec it;
    memset(&it, 0, sizeof it);
    it.it_value.tv_sec = (time_t)seconds;
    it.it_value.tv_nsec = (long)((seconds - (double)(time_t)seconds) * 1e9);
    if (seconds > 0 && it.it_value.tv_sec == 0 && it.it_value.tv_nsec == 0)
        it.it_value.tv_nsec = 1;
    timer_settime(timer, 0, &it, NULL);
}

static void worker_main(struct fork_farm *fm, int in, int out)
    __attribute__((noreturn));

static void worker_main(struct fork_farm *fm, int in, int out)
{
    /* Its own session, and so its own process group: no terminal, whose
     * signals are the parent's to handle; killing the group takes any
     * grandchildren too; and the parent ignores signals from the session
     * (stop_ignore_session). */
    setsid();
    /* What it forks dies with it, even a child that calls setsid(). */
    contain_enter();
    /* Die with the parent, even if it is killed with -9. */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != fm->parent)
        _exit(0);
    /* Neither it nor anything it starts may signal the parent: a plug-in
     * stops its own evaluation at most, never the run. Where the kernel
     * has no filter, the session check above still holds for all but a
     * grandchild that leaves the session. */
    child_guard_parent(fm->parent, fm->parent_group);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGPIPE, &sa, NULL);
    sigaction(SIGCHLD, &sa, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);

    /* stdin from nowhere; what a plug-in prints goes to stderr, so the
     * parent's report on stdout stays clean. */
    int null = open("/dev/null", O_RDONLY);
    if (null >= 0) {
        dup2(null, 0);
        if (null > 2)
            close(null);
    }
    dup2(2, 1);
    close_foreign_fds(fm, in, out);
    timer_t cpu_timer;
    int timed = fm->opt.eval_timeout > 0 && cpu_limit_new(&cpu_timer) == 0;

    /* The worker's own buffers first, so that the memory limit is the
     * evaluations' alone. */
    struct tree t;
    struct job_reader jobs = {.fd = in, .cap = 2 * WIRE_FRAME_MAX};
    jobs.buf = malloc(jobs.cap);
    unsigned char *result = malloc(fm->result_max);
    if (!jobs.buf || !result || tree_init(&t, fm->opt.max_size) < 0)
        _exit(125);
    if (fm->opt.memory_mb > 0) {
        /* A limit below what the worker already maps (the program, its
         * libraries, the data setup loaded) fails every allocation: the
         * limit's fault, not the fitness function's. */
        if ((double)fm->opt.memory_mb * 1048576.0 <= address_space())
            _exit(EXIT_LIMIT_TOO_SMALL);
        struct rlimit rl;
        rl.rlim_cur = rl.rlim_max = (rlim_t)fm->opt.memory_mb << 20;
        setrlimit(RLIMIT_AS, &rl);
    }
    uint32_t expect = 0, sent = 0;
    for (;;) {
        struct wire_header h;
        if (reader_need(&jobs, WIRE_HEADER) < 0)
            _exit(0); /* EOF: the farm is done */
        if (wire_get_header(jobs.buf + jobs.start, &h, WIRE_JOB,
                            WIRE_MAX_PAYLOAD) < 0 ||
            h.id != expect++ || reader_need(&jobs, WIRE_HEADER + h.length) < 0)
            _exit(126);
        uint64_t generation, index;
        if (wire_get_job(jobs.buf + jobs.start + WIRE_HEADER, h.length,
                         &generation, &index, &t) < 0)
            _exit(126);
        jobs.start += WIRE_HEADER + h.length;
        struct wire_result res;
        double t0 = clock_now();
        if (timed)
            cpu_limit_arm(cpu_timer, fm->opt.eval_timeout);
        evaluate_one(fm, generation, index, &t, &res);
        if (timed)
            cpu_limit_arm(cpu_timer, 0);
        res.seconds = clock_now() - t0;
        /* Each result goes up as soon as it is known: the parent's record
         * of what is in flight then says whose evaluation a crash was. */
        size_t n = wire_put_result(result, sent++, &res);
        if (wire_write_full(out, result, n) != n)
            _exit(0); /* the parent is gone */
    }
}

/* ---- the parent's side: workers ------------------------------------------ */

/* The kernel's count of OOM kills in fm->oom_path (an "oom_kill N" line),
 * or -1 when there is none to read. */
static long long oom_kills(const struct fork_farm *fm)
{
    if (!fm->oom_path[0])
        return -1;
    FILE *f = fopen(fm->oom_path, "r");
    if (!f)
        return -1;
    char line[256];
    long long n = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "oom_kill %lld", &n) == 1)
            break;
    fclose(f);
    return n;
}

/*
 * Finds where the kernel counts the OOM kills that reach forkgp's workers:
 * their memory cgroup's counter (cgroup v2 memory.events, or v1
 * memory.oom_control: both count kills by the OOM killer of the machine
 * as well as of the cgroup, within a container too), or else the
 * machine's (/proc/vmstat, which counts every process's). Leaves
 * fm->oom_path empty when none can be read.
 */
static void find_oom_counter(struct fork_farm *fm)
{
    char line[PATH_MAX], v2[PATH_MAX] = "", v1[PATH_MAX] = "";
    FILE *f = fopen("/proc/self/cgroup", "r");
    while (f && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        if (strncmp(line, "0::", 3) == 0)
            snprintf(v2, sizeof v2, "%s", line + 3);
        char *m = strstr(line, ":memory:");
        if (m)
            snprintf(v1, sizeof v1, "%s", m + 8);
    }
    if (f)
        fclose(f);
    char path[4][PATH_MAX];
    int n = 0;
    if (v2[0] && strlen(v2) < 4000) {
        snprintf(path[n++], PATH_MAX, "/sys/fs/cgroup%.4000s/memory.events", v2);
        snprintf(path[n++], PATH_MAX, "/sys/fs/cgroup/unified%.4000s/memory.events",
                 v2);
    }
    if (v1[0] && strlen(v1) < 4000)
        snprintf(path[n++], PATH_MAX,
                 "/sys/fs/cgroup/memory%.4000s/memory.oom_control", v1);
    snprintf(path[n++], PATH_MAX, "/proc/vmstat");
    for (int i = 0; i < n; i++) {
        memcpy(fm->oom_path, path[i], sizeof fm->oom_path);
        if (oom_kills(fm) >= 0)
            return;
    }
    fm->oom_path[0] = '\0';
}

/* Forks worker i. Returns 0 or -1 (errno set). */
static int start_worker(struct fork_farm *fm, int i)
{
    struct worker *w = &fm->w[i];
    int down[2], up[2];
    if (pipe2(down, O_CLOEXEC) < 0)
        return -1;
    if (pipe2(up, O_CLOEXEC) < 0) {
        close(down[0]);
        close(down[1]);
        return -1;
    }
    /* Room for a chunk of big trees without blocking (best effort). */
    fcntl(down[1], F_SETPIPE_SZ, 1 << 20);
    /* Results that carry case errors are large: room for a chunk of them
     * too, or a worker waits for the parent, which sleeps by the pace
     * (best effort: 1 MiB is the most an unprivileged process gets). */
    if (fm->opt.cases) {
        size_t want = MAX_CHUNK * fm->result_max;
        want = want < ((size_t)16 << 20) ? want : ((size_t)16 << 20);
        if (fcntl(up[1], F_SETPIPE_SZ, (int)want) < 0)
            fcntl(up[1], F_SETPIPE_SZ, 1 << 20);
    }

    pid_t pid = child_fork();
    if (pid == 0) {
        close(down[1]);
        close(up[0]);
        worker_main(fm, down[0], up[1]);
    }
    int saved = errno;
    close(down[0]);
    close(up[1]);
    if (pid < 0) {
        close(down[1]);
        close(up[0]);
        errno = saved;
        return -1;
    }
    /* Its signals are ignored from now on: before it can run a plug-in
     * (until its setsid, its pid is what shows). */
    stop_ignore_session(pid);
    w->oom_base = oom_kills(fm);
    fcntl(down[1], F_SETFL, O_NONBLOCK);
    fcntl(up[0], F_SETFL, O_NONBLOCK);
    w->pid = pid;
    w->job_fd = down[1];
    w->result_fd = up[0];
    w->killed = 0;
    w->nin = 0;
    buf_reset(&w->out);
    w->outoff = 0;
    w->inlen = 0;
    w->job_id = w->result_id = 0;
    return 0;
}

/* Kills and reaps what workers left re-parented to this process (their
 * namespaces' inits, grandchildren that left their group), sparing the
 * workers and what the parent had forked before the farm. */
static void sweep(struct fork_farm *fm)
{
    size_t n = 0;
    for (int i = 0; i < fm->nforeign; i++)
        fm->spare[n++] = fm->foreign[i];
    for (int i = 0; i < fm->opt.workers; i++)
        if (fm->w[i].pid)
            fm->spare[n++] = fm->w[i].pid;
    contain_sweep(fm->spare, n);
}

/* Waits up to `seconds` for the worker to end; then kills its group and
 * reaps it, and what it left. Returns its wait status. */
static int reap(struct fork_farm *fm, struct worker *w, double seconds)
{
    int status = 0;
    double until = clock_now() + seconds;
    for (;;) {
        pid_t r = waitpid(w->pid, &status, WNOHANG);
        if (r == w->pid || (r < 0 && errno != EINTR))
            break;
        if (clock_now() >= until) {
            kill(-w->pid, SIGKILL);
            kill(w->pid, SIGKILL);
            w->killed = 1;
            while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
                ;
            break;
        }
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    /* Grandchildren it left behind in its group go with it. */
    kill(-w->pid, SIGKILL);
    stop_heed_session(w->pid);
    close(w->job_fd);
    close(w->result_fd);
    w->pid = 0;
    sweep(fm);
    return status;
}

/* What a dead worker's wait status means for the evaluation it was on. */
static int death_status(struct fork_farm *fm, const struct worker *w,
                        int wstatus, int *detail)
{
    if (WIFSIGNALED(wstatus)) {
        *detail = WTERMSIG(wstatus);
        /* A SIGKILL we did not send: the OOM killer's when the kernel
         * counted an OOM kill since the worker started (it counts before
         * it sends the signal), anyone's otherwise. */
        if (*detail == SIGKILL && !w->killed) {
            long long now = oom_kills(fm);
            return w->oom_base >= 0 && now > w->oom_base ? EVAL_OOM
                                                         : EVAL_KILLED;
        }
        return EVAL_CRASHED;
    }
    *detail = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
    return EVAL_EXITED;
}

/* ---- the parent's side: one generation ----------------------------------- */

/* The state of one fork_farm_eval call. */
struct round {
    struct population *p;
    uint64_t generation;
    size_t *queue; /* indices still to send; taken from the end */
    size_t nqueue;
    unsigned char *attempts; /* per individual: workers it has cost */
    size_t remaining;        /* individuals without a status */
    size_t lost;             /* evaluations lost to dead workers */
    int failed;              /* an evaluation failed (for stop_on_failure) */
};

static void set_status(struct round *rd, size_t index, int status, int detail,
                       double fitness, const struct scaling *s)
{
    ind_set_result(&rd->p->ind[index], status, detail, fitness, s);
    rd->remaining--;
    if (status >= EVAL_ERROR)
        rd->failed = 1;
    if (status >= EVAL_CRASHED)
        rd->lost++;
}

/*
 * A worker is gone (dead, hung or misbehaving): its first job in flight
 * gets `status`, the rest go back in the queue, and a new one starts. A
 * death may not be the program's doing (a kill from outside, the OOM
 * killer picking this worker), so that evaluation is tried again, up to
 * MAX_ATTEMPTS in all, before the status sticks; a timeout is final.
 */
static int replace_worker(struct fork_farm *fm, struct round *rd, int i,
                          int status, int detail)
{
    struct worker *w = &fm->w[i];
    if (w->nin > 0) {
        size_t first = w->inflight[0];
        if (status != EVAL_TIMEOUT && ++rd->attempts[first] < MAX_ATTEMPTS)
            rd->queue[rd->nqueue++] = first;
        else
            set_status(rd, first, status, detail, 0.0, NULL);
        for (int k = w->nin - 1; k >= 1; k--)
            rd->queue[rd->nqueue++] = w->inflight[k];
        w->nin = 0;
    }
    fm->stats.restarts++;
    return start_worker(fm, i);
}

/* How long an evaluation may take by the wall clock: the backstop for a
 * worker that blocks, which its CPU-time limit does not see. */
static double wall_limit(const struct fork_farm *fm)
{
    return WALL_FACTOR * fm->opt.eval_timeout + WALL_EXTRA;
}

/* Kills a worker that hangs or misbehaves: TERM, a short grace, KILL. */
static int stop_worker(struct fork_farm *fm, struct worker *w)
{
    kill(-w->pid, SIGTERM);
    kill(w->pid, SIGTERM);
    w->killed = 1;
    return reap(fm, w, TERM_GRACE);
}

/* Takes one evaluation's time, as the evaluating process measured it, into
 * the running pace: the parent's clock would add the delays of pipes,
 * wake-ups and its own sleeps. */
static void note_pace(struct fork_farm *fm, double seconds)
{
    if (!(seconds >= 0 && seconds < 1e9))
        seconds = 0; /* a worker's clock is only a hint */
    fm->stats.busy_seconds += seconds;
    fm->mean_eval =
        fm->mean_eval > 0 ? 0.9 * fm->mean_eval + 0.1 * seconds : seconds;
}

/* How many jobs a worker may have in flight: about CHUNK_SECONDS of work,
 * and no more than a fair share of what is left, so the tail balances. */
static int chunk_size(const struct fork_farm *fm, const struct round *rd)
{
    double c = fm->mean_eval > 0 ? CHUNK_SECONDS / fm->mean_eval : 1;
    size_t share = rd->nqueue / (2 * (size_t)fm->opt.workers) + 1;
    if (c > (double)share)
        c = (double)share;
    if (c > MAX_CHUNK)
        c = MAX_CHUNK;
    return c < 1 ? 1 : (int)c;
}

/*
 * How long the parent may sleep before it need look at the workers again:
 * until the first busy worker is expected to be down to half its chunk (or
 * done, when nothing is left to send), at the pace the workers report;
 * never while a worker has a single job, if more are waiting. Sleeping
 * instead of waking for every result leaves the cores to the workers; the
 * results wait in the pipes and are read in bulk. The estimate only sets
 * when to look: a worker that is slower than expected is waited for by
 * poll as before. Returns seconds, 0 to poll at once.
 */
static double quiet_time(const struct fork_farm *fm, const struct round *rd,
                         double t)
{
    if (fm->mean_eval <= 0)
        return 0;
    double quiet = POLL_MS / 1000.0;
    int chunk = chunk_size(fm, rd);
    for (int i = 0; i < fm->opt.workers; i++) {
        const struct worker *w = &fm->w[i];
        if (w->nin == 0) {
            if (rd->nqueue > 0)
                return 0; /* idle with work to do: feed it now */
            continue;
        }
        /* With work left to send, wake while it still has some: a worker
         * must not wait for the parent. */
        int keep = rd->nqueue == 0 ? 0 : chunk / 2 > 1 ? chunk / 2 : 1;
        double due = w->started + (w->nin - keep) * fm->mean_eval - t;
        if (fm->opt.eval_timeout > 0) {
            double limit = w->started + wall_limit(fm) - t;
            if (limit < due)
                due = limit;
        }
        if (due < quiet)
            quiet = due;
    }
    /* Not worth a sleep shorter than the timer's own slack. */
    return quiet > QUIET_MIN ? quiet : 0;
}

/* Queues jobs for worker i and writes what the pipe takes. */
static void dispatch(struct fork_farm *fm, struct round *rd, int i,
                     int stopping)
{
    struct worker *w = &fm->w[i];
    int chunk = chunk_size(fm, rd);
    while (!stopping && w->nin < chunk && rd->nqueue > 0) {
        size_t index = rd->queue[--rd->nqueue];
        size_t n = wire_put_job(fm->frame, w->job_id++, rd->generation, index,
                                &rd->p->ind[index].tree);
        if (buf_put(&w->out, fm->frame, n) < 0) {
            /* Out of memory: the job waits for the queue to drain. */
            rd->queue[rd->nqueue++] = index;
            w->job_id--;
            break;
        }
        if (w->nin == 0)
            w->started = clock_now();
        w->inflight[w->nin++] = index;
    }
    while (w->outoff < w->out.len) {
        ssize_t put = write(w->job_fd, w->out.data + w->outoff,
                            w->out.len - w->outoff);
        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            break; /* full (EAGAIN) or dead (EPIPE): poll tells which */
        w->outoff += (size_t)put;
    }
    if (w->outoff == w->out.len) {
        buf_reset(&w->out);
        w->outoff = 0;
    }
}

/* Reads what worker i sent; takes each whole result frame. Returns 0, 1 on
 * end of file, or -1 on a protocol error. Reads in bulk: one read() can
 * bring many results, which keeps the parent's cost per individual low. */
static int collect(struct fork_farm *fm, struct round *rd, int i)
{
    struct worker *w = &fm->w[i];
    for (;;) {
        size_t room = fm->result_max - w->inlen;
        ssize_t got = read(w->result_fd, w->in + w->inlen, room);
        if (got < 0 && errno == EINTR)
            continue;
        if (got == 0)
            return 1;
        if (got < 0)
            return 0; /* nothing more now */
        w->inlen += (size_t)got;
        size_t off = 0;
        double t = clock_now();
        while (w->inlen - off >= WIRE_HEADER) {
            struct wire_header h;
            const size_t max = fm->result_max;
            if (wire_get_header(w->in + off, &h, WIRE_RESULT,
                                max - WIRE_HEADER) < 0 ||
                h.id != w->result_id)
                return -1;
            if (w->inlen - off < WIRE_HEADER + h.length)
                break; /* the rest comes later */
            struct wire_result res;
            if (wire_get_result(w->in + off + WIRE_HEADER, h.length, &res) <
                    0 ||
                w->nin == 0 || res.index != w->inflight[0] ||
                res.status < EVAL_OK || res.status > EVAL_ERROR)
                return -1;
            /* Tuned constants fit the program sent, or the frame is
             * wrong. */
            if (res.status == EVAL_OK &&
                (ind_set_tuned(&rd->p->ind[res.index], res.constants,
                               res.nconst) < 0 ||
                 ind_set_errors(&rd->p->ind[res.index], res.errors,
                                res.nerrors, rd->p->ncases) < 0 ||
                 ind_set_objectives(&rd->p->ind[res.index], res.scores,
                                    res.nscores, rd->p->nobjectives) < 0))
                return -1;
            off += WIRE_HEADER + h.length;
            w->result_id++;
            struct scaling s = {res.scaled, res.intercept, res.slope};
            set_status(rd, res.index, res.status, 0, res.scores[0], &s);
            memmove(w->inflight, w->inflight + 1,
                    (size_t)(--w->nin) * sizeof w->inflight[0]);
            w->started = t; /* the next one in flight begins now */
            note_pace(fm, res.seconds);
        }
        memmove(w->in, w->in + off, w->inlen - off);
        w->inlen -= off;
        /* Less than there was room for: the pipe is empty, and a read
         * now would only say so (poll tells when there is more). */
        if ((size_t)got < room)
            return 0;
    }
}

/* Checks worker i after poll: results, death, protocol, timeout. A death
 * shows as the end of its result pipe; `scan` asks waitpid too, for one
 * whose pipe a child of its own still holds open. */
static int service(struct fork_farm *fm, struct round *rd, int i, short revents,
                   int scan)
{
    struct worker *w = &fm->w[i];
    int eof = 0;
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
        int rc = collect(fm, rd, i);
        if (rc < 0) {
            stop_worker(fm, w);
            return replace_worker(fm, rd, i, EVAL_PROTOCOL, 0);
        }
        eof = rc == 1;
    }
    int wstatus;
    pid_t r = eof ? w->pid : scan ? waitpid(w->pid, &wstatus, WNOHANG) : 0;
    if (r == w->pid) {
        /* Dead (or closing): take the results it managed to send. */
        if (collect(fm, rd, i) < 0) {
            stop_worker(fm, w);
            return replace_worker(fm, rd, i, EVAL_PROTOCOL, 0);
        }
        if (eof)
            wstatus = reap(fm, w, TERM_GRACE);
        else
            reap(fm, w, 0); /* already reaped: close and kill its group */
        if (WIFEXITED(wstatus) &&
            WEXITSTATUS(wstatus) == EXIT_LIMIT_TOO_SMALL &&
            fm->opt.memory_mb > 0) {
            fm->stats.limit_too_small = 1;
            return -1;
        }
        int detail, status = death_status(fm, w, wstatus, &detail);
        /* The worker's CPU-time limit (on_cpu_limit): a timeout. */
        if (status == EVAL_CRASHED && detail == SIGXCPU &&
            fm->opt.eval_timeout > 0) {
            status = EVAL_TIMEOUT;
            detail = 0;
        }
        return replace_worker(fm, rd, i, status, detail);
    }
    if (fm->opt.eval_timeout > 0 && w->nin > 0 &&
        clock_now() - w->started > wall_limit(fm)) {
        stop_worker(fm, w);
        return replace_worker(fm, rd, i, EVAL_TIMEOUT, 0);
    }
    return 0;
}

/* Forks every worker. Returns 0, or -1 with a message in err. */
static int start_workers(struct fork_farm *fm, struct error *err)
{
    for (int i = 0; i < fm->opt.workers; i++)
        if (start_worker(fm, i) < 0) {
            error_set(err, "cannot start worker %d of %d: %s", i + 1,
                      fm->opt.workers, strerror(errno));
            return -1;
        }
    fm->forked = 1;
    return 0;
}

double fork_farm_quick_eval(int workers)
{
    double saved = 1 - 1 / (FARM_EFFICIENCY * workers);
    return saved > 0 ? FARM_COST / saved : HUGE_VAL;
}

/* Whether an adaptive farm still evaluates in this process (see
 * fork_farm_eval in farm_fork.h); when it stops, its workers start here. */
static int stays_in_process(struct fork_farm *fm)
{
    if (!fm->opt.adaptive || fm->forked)
        return 0;
    if (fm->unforkable || fm->mean_eval < fork_farm_quick_eval(fm->opt.workers))
        return 1;
    struct error err;
    if (start_workers(fm, &err) < 0) {
        /* A built-in fitness runs as well here: say so, and go on (any
         * worker that did start idles until the farm is freed). */
        fprintf(stderr, "forkgp: %s; evaluating in this process\n", err.msg);
        fm->unforkable = 1;
        return 1;
    }
    return 0;
}

static int eval_in_process(struct fork_farm *fm, struct population *p,
                           uint64_t generation)
{
    /* The pace from the whole generation, not a clock read per
     * evaluation: at 20 rows two reads would add a quarter to each. */
    double t0 = clock_now();
    uint64_t done = 0;
    int result = FARM_DONE;
    for (size_t i = 0; i < p->n && result == FARM_DONE; i++) {
        if (stop_requested()) {
            result = FARM_INTERRUPTED;
            break;
        }
        struct individual *x = &p->ind[i];
        if (!ind_needs_eval(x, fm->fitness->rescore))
            continue;
        struct wire_result res;
        evaluate_one(fm, generation, i, &x->tree, &res);
        done++;
        if (res.status == EVAL_OK) {
            ind_set_tuned(x, res.constants, res.nconst);
            ind_set_errors(x, res.errors, res.nerrors, p->ncases);
            ind_set_objectives(x, res.scores, res.nscores, p->nobjectives);
        }
        struct scaling s = {res.scaled, res.intercept, res.slope};
        ind_set_result(x, res.status, 0, res.scores[0], &s);
        if (res.status >= EVAL_ERROR && fm->opt.stop_on_failure)
            result = FARM_FAILED;
    }
    fm->stats.evaluations += done;
    if (done > 0) {
        double spent = clock_now() - t0;
        fm->stats.busy_seconds += spent;
        fm->mean_eval = spent / (double)done;
    }
    return result;
}

int fork_farm_eval(struct fork_farm *fm, struct population *p,
                   uint64_t generation)
{
    size_t todo = 0;
    for (size_t i = 0; i < p->n; i++)
        if (ind_needs_eval(&p->ind[i], fm->fitness->rescore)) {
            p->ind[i].status = -1; /* not scored yet */
            todo++;
        }
    if (fm->opt.workers == 0 || stays_in_process(fm))
        return eval_in_process(fm, p, generation);

    int nw = fm->opt.workers;
    struct round rd = {.p = p, .generation = generation, .remaining = todo};
    rd.queue = malloc((p->n ? p->n : 1) * sizeof *rd.queue);
    rd.attempts = calloc(p->n ? p->n : 1, 1);
    struct pollfd *pfd = malloc(2 * (size_t)nw * sizeof *pfd);
    if (!rd.queue || !rd.attempts || !pfd) {
        free(rd.queue);
        free(rd.attempts);
        free(pfd);
        return FARM_BROKEN;
    }
    /* Taken from the end: individual 0 goes first. */
    for (size_t i = p->n; i-- > 0;)
        if (ind_needs_eval(&p->ind[i], fm->fitness->rescore))
            rd.queue[rd.nqueue++] = i;

    int result = FARM_DONE, stopping = 0;
    double stop_by = 0;
    while (rd.remaining > 0) {
        if ((stop_requested() || (rd.failed && fm->opt.stop_on_failure)) &&
            !stopping) {
            stopping = 1; /* send no more; let what runs finish */
            stop_by = clock_now() + STOP_GRACE;
            result = stop_requested() ? FARM_INTERRUPTED : FARM_FAILED;
        }
        int busy = 0;
        for (int i = 0; i < nw; i++) {
            dispatch(fm, &rd, i, stopping);
            busy += fm->w[i].nin > 0;
        }
        if (stopping && (busy == 0 || clock_now() > stop_by))
            break;
        if (rd.lost > fm->opt.restart_limit * (double)p->n && rd.lost > 2) {
            result = FARM_BROKEN;
            break;
        }

        /* Let the workers work, then wait for results, room to write,
         * or the next deadline. */
        double quiet = quiet_time(fm, &rd, clock_now());
        if (quiet > 0 && !stop_requested()) {
            struct timespec ts = {0, (long)(quiet * 1e9)};
            nanosleep(&ts, NULL); /* a signal cuts it short: fine */
        }
        int timeout = POLL_MS;
        for (int i = 0; i < nw; i++) {
            struct worker *w = &fm->w[i];
            pfd[2 * i] = (struct pollfd){w->result_fd, POLLIN, 0};
            pfd[2 * i + 1] = (struct pollfd){
                w->out.len > w->outoff ? w->job_fd : -1, POLLOUT, 0};
            if (fm->opt.eval_timeout > 0 && w->nin > 0) {
                double left = w->started + wall_limit(fm) - clock_now();
                int ms = left > 0 ? (int)(left * 1000) + 1 : 0;
                if (ms < timeout)
                    timeout = ms;
            }
        }
        if (poll(pfd, 2 * (nfds_t)nw, timeout) < 0 && errno != EINTR) {
            result = FARM_BROKEN;
            break;
        }
        /* waitpid is a system call per worker: at most every POLL_MS,
         * not at every wake-up (the pipes show most deaths at once). */
        double t = clock_now();
        int scan = t >= fm->next_scan;
        if (scan)
            fm->next_scan = t + POLL_MS / 1000.0;
        for (int i = 0; i < nw; i++)
            if (service(fm, &rd, i, pfd[2 * i].revents, scan) < 0) {
                result = FARM_BROKEN; /* cannot fork a new worker */
                goto out;
            }
    }
out:
    fm->stats.evaluations += todo - rd.remaining;
    free(rd.queue);
    free(rd.attempts);
    free(pfd);
    if (result == FARM_DONE && rd.failed && fm->opt.stop_on_failure)
        result = FARM_FAILED;
    /* A stopped round leaves workers with jobs: start them afresh. */
    if (result != FARM_DONE)
        for (int i = 0; i < nw; i++)
            if (fm->w[i].pid && fm->w[i].nin > 0) {
                stop_worker(fm, &fm->w[i]);
                fm->w[i].nin = 0;
                start_worker(fm, i);
            }
    return result;
}

/* ---- start and stop --------------------------------------------------------
 */

/* Notes the descriptors open now (the plug-in's, stdio): workers keep
 * them and close any other they inherit. */
static void note_open_fds(struct fork_farm *fm)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return;
    int self = dirfd(d);
    for (struct dirent *e; (e = readdir(d)) && fm->nkeep < MAX_KEEP_FDS;) {
        int fd = atoi(e->d_name);
        if (e->d_name[0] != '.' && fd != self)
            fm->keep_fds[fm->nkeep++] = fd;
    }
    closedir(d);
}

struct fork_farm *fork_farm_new(const struct fitness *f, uint64_t seed,
                                const struct farm_options *o, struct error *err)
{
    struct fork_farm *fm = calloc(1, sizeof *fm);
    if (!fm) {
        error_set(err, "out of memory");
        return NULL;
    }
    fm->fitness = f;
    fm->seed = seed;
    fm->opt = *o;
    fm->parent = getpid();
    fm->parent_group = getpgrp();
    fm->consts = malloc(((size_t)o->max_size + 1) * sizeof *fm->consts);
    fm->result_max = WIRE_RESULT_MAX_FOR(o->cases);
    fm->sample_generation = UINT64_MAX;
    int no_cases = 0;
    if (o->cases) {
        fm->case_errors = malloc(f->ncases * sizeof *fm->case_errors);
        fm->errors = malloc(o->cases * sizeof *fm->errors);
        fm->sample = malloc(o->cases * sizeof *fm->sample);
        no_cases = !fm->case_errors || !fm->errors || !fm->sample;
    }
    if (!fm->consts || no_cases) {
        error_set(err, "out of memory");
        fork_farm_free(fm);
        return NULL;
    }
    if (o->workers == 0)
        return fm;
    fm->w = calloc((size_t)o->workers, sizeof *fm->w);
    fm->frame = malloc(WIRE_HEADER + WIRE_MAX_PAYLOAD);
    fm->spare = malloc(((size_t)o->workers + MAX_FOREIGN) * sizeof *fm->spare);
    int no_room = !fm->w || !fm->frame || !fm->spare;
    for (int i = 0; !no_room && i < o->workers; i++)
        no_room = !(fm->w[i].in = malloc(fm->result_max));
    if (no_room) {
        error_set(err, "out of memory");
        fork_farm_free(fm);
        return NULL;
    }
    note_open_fds(fm);
    find_oom_counter(fm);
    /* What a worker's descendants leave comes here, to be swept; children
     * the parent had before (a plug-in's setup may fork) are not ours. */
    contain_adopt();
    int n = contain_children(fm->foreign, MAX_FOREIGN);
    fm->nforeign = n > 0 ? n : 0;
    if (!o->adaptive && start_workers(fm, err) < 0) {
        fork_farm_free(fm);
        return NULL;
    }
    return fm;
}

void fork_farm_free(struct fork_farm *fm)
{
    if (!fm)
        return;
    /* EOF on every job pipe first, so they all finish together. */
    for (int i = 0; fm->w && i < fm->opt.workers; i++)
        if (fm->w[i].pid) {
            close(fm->w[i].job_fd);
            fm->w[i].job_fd = -1;
        }
    double until = clock_now() + 1.0;
    for (int i = 0; fm->w && i < fm->opt.workers; i++) {
        if (fm->w[i].pid) {
            double left = until - clock_now();
            reap(fm, &fm->w[i], left > 0 ? left : 0);
        }
        buf_release(&fm->w[i].out);
        free(fm->w[i].in);
    }
    free(fm->w);
    free(fm->spare);
    free(fm->frame);
    free(fm->consts);
    free(fm->case_errors);
    free(fm->errors);
    free(fm->sample);
    free(fm);
}

void fork_farm_get_stats(const struct fork_farm *fm, struct farm_stats *s)
{
    *s = fm->stats;
    s->workers_started = fm->forked;
}
