/* main: the forkgp command line (run, check, predict, export, help); the
 * only exit(). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch.h"
#include "check.h"
#include "config.h"
#include "export.h"
#include "predict.h"
#include "infix.h"
#include "stop.h"
#include "plot.h"
#include "prim.h"
#include "replay.h"
#include "run.h"
#include "rundir.h"
#include "text.h"

static const char usage[] =
    "usage: forkgp run CONFIG.ini [--set section.key=value]... [--seed N]\n"
    "                  [--runs N] [--out DIR] [--force] [--quiet]\n"
    "       forkgp check CONFIG.ini [--set section.key=value]...\n"
    "       forkgp resume RUNDIR [--workers N] [--backend fork|mpi]\n"
    "                     [--generations N] [--quiet]\n"
    "       forkgp plot RUNDIR\n"
    "       forkgp eval CONFIG.ini --program EXPR [--generation G] [--index I]\n"
    "                   [--set section.key=value]... [--seed N]\n"
    "       forkgp eval RUNDIR [--program EXPR] [--generation G] [--index I]\n"
    "       forkgp predict RUNDIR --data FILE.csv [--out FILE.csv] [--size N]\n"
    "       forkgp export RUNDIR --format c|python|sympy|latex [--size N]\n"
    "       forkgp help [run | check | resume | plot | eval | predict |\n"
    "                    export | keys [--markdown | --tsv] | functions]\n"
    "       forkgp --help | --version\n";

static const char run_help[] =
    "forkgp run CONFIG.ini [options]\n"
    "  Evolves programs as CONFIG.ini says; prints a line per generation,\n"
    "  then the best program. Writes config.ini, log.csv, timing.csv and\n"
    "  best.txt into the output folder.\n"
    "\n"
    "  --set section.key=value  override a key (repeatable; validated like\n"
    "                           the file; a relative path is relative to\n"
    "                           the working directory)\n"
    "  --seed N                 the same as --set run.seed=N\n"
    "  --runs N                 N runs (seeds N, N+1, ...) in run-NNN/\n"
    "                           folders, then a summary (run.runs=N)\n"
    "  --out DIR                the same as --set output.dir=DIR\n"
    "  --force                  write into an output folder that holds\n"
    "                           files but no forkgp run (refused without)\n"
    "  --quiet                  print only the final lines\n"
    "\n"
    "  Exit status: 0 done; 1 runtime failure; 2 bad usage, configuration\n"
    "  or data; 130 interrupted (SIGINT), 143 terminated (SIGTERM), 129\n"
    "  hung up (SIGHUP).\n"
    "\n"
    "Keys:\n";

static const char check_help[] =
    "forkgp check CONFIG.ini [--set section.key=value]...\n"
    "  Validates the configuration and prints it in full (every key, the\n"
    "  defaults filled in) as INI that forkgp run accepts.\n";

/* The protection table: what each function computes and how it prints. */
static const char resume_help[] =
    "forkgp resume RUNDIR [--workers N] [--backend fork|mpi]\n"
    "                     [--generations N] [--quiet]\n"
    "  Continues the run in RUNDIR from its checkpoint.bin (written after\n"
    "  generation 0, every [output] checkpoint_every generations at most\n"
    "  once in checkpoint_seconds, on SIGINT, SIGTERM or SIGHUP, and when\n"
    "  the run ends), with RUNDIR/config.ini. The result is the same bytes\n"
    "  as a run never stopped, with any number of workers and either\n"
    "  backend (an MPI run resumes on one machine with --backend fork).\n"
    "  A run that ended says so and exits 0.\n"
    "\n"
    "  --generations N  a new generation budget: a run that used its own\n"
    "                   goes on to generation N, as a run with N from the\n"
    "                   start would (config.ini is written with it)\n";

static const char plot_help[] =
    "forkgp plot RUNDIR\n"
    "  Draws the run's convergence (best and median fitness per\n"
    "  generation) and size growth with gnuplot, as convergence.png,\n"
    "  convergence.svg, size.png and size.svg in RUNDIR, beside the script\n"
    "  that draws them (plot.gp). For a batch (RUNDIR/run-NNN/), every\n"
    "  run's best curve and their median over the runs (a run that stopped\n"
    "  counts with its last value). The target fitness is a line, with a\n"
    "  mark where a run reached it.\n";

static const char eval_help[] =
    "forkgp eval CONFIG.ini --program EXPR [--generation G] [--index I]\n"
    "forkgp eval RUNDIR [--program EXPR] [--generation G] [--index I]\n"
    "  Evaluates one program (infix, as forkgp prints it) with the\n"
    "  configured fitness, in this process, with the random stream that\n"
    "  individual I of generation G gets in a run (default 0 and 0), and\n"
    "  prints its status and scores. Run it under gdb to replay an\n"
    "  evaluation that misbehaved.\n"
    "\n"
    "  Given a run folder, it reads RUNDIR/config.ini, and by default\n"
    "  replays the run's best program (best.txt's program) with the\n"
    "  generation and index it was found at: the score best.txt gives.\n";

static const char predict_help[] =
    "forkgp predict RUNDIR --data FILE.csv [--out FILE.csv] [--size N]\n"
    "  Applies the best program of the finished run in RUNDIR (best.txt) to\n"
    "  the rows of FILE.csv and writes one prediction per row, in row\n"
    "  order, under the header `prediction`, each in the fewest digits that\n"
    "  read back to the same double: the bits forkgp computes. FILE.csv\n"
    "  needs the run's input columns by name, in any order; other columns\n"
    "  are ignored, and every cell must be a number. When it holds the\n"
    "  target column of a regression run, the run's metric on it is printed\n"
    "  on stderr (`rmse = 0.0899...`).\n"
    "\n"
    "  --data FILE.csv  the rows to predict (header row, numeric columns)\n"
    "  --out FILE.csv   write the predictions there (atomically), not to\n"
    "                   stdout\n"
    "  --size N         the program of N nodes of the run's front.csv, not\n"
    "                   the best one\n"
    "\n"
    "  Exit status: 0 done; 1 I/O or memory; 2 a RUNDIR without a finished\n"
    "  run, a missing column, a cell that is not a number, or bad usage.\n";

static const char export_help[] =
    "forkgp export RUNDIR --format c|python|sympy|latex [--size N]\n"
    "  Writes the best program of the finished run in RUNDIR (or, with\n"
    "  --size N, front.csv's program of N nodes) on stdout as standalone\n"
    "  code:\n"
    "    c       double forkgp_model(const double *x), x[k] the run's k-th\n"
    "            variable (listed in the comment above it), with every\n"
    "            protection and forkgp's own exp, log, sin, cos and tanh\n"
    "            written out: the same bits as forkgp predict when built\n"
    "            with -ffp-contract=off and without -ffast-math\n"
    "    python  forkgp_model(X), X a NumPy array of shape (rows, variables)\n"
    "            (VARIABLES names its columns); NumPy's exp, log, sin, cos\n"
    "            and tanh, so within a few units in the last place\n"
    "    sympy   the expression, as text that SymPy's sympify reads\n"
    "    latex   the expression in LaTeX\n";

static int help(int argc, char **argv)
{
    const char *topic = argc > 2 ? argv[2] : "";
    if (strcmp(topic, "run") == 0) {
        fputs(run_help, stdout);
        config_reference(stdout, CONFIG_REF_TEXT);
    } else if (strcmp(topic, "check") == 0) {
        fputs(check_help, stdout);
    } else if (strcmp(topic, "plot") == 0) {
        fputs(plot_help, stdout);
    } else if (strcmp(topic, "resume") == 0) {
        fputs(resume_help, stdout);
    } else if (strcmp(topic, "eval") == 0) {
        fputs(eval_help, stdout);
    } else if (strcmp(topic, "predict") == 0) {
        fputs(predict_help, stdout);
    } else if (strcmp(topic, "export") == 0) {
        fputs(export_help, stdout);
    } else if (strcmp(topic, "keys") == 0) {
        const char *form = argc > 3 ? argv[3] : "";
        if (strcmp(form, "--markdown") == 0)
            config_reference(stdout, CONFIG_REF_MARKDOWN);
        else if (strcmp(form, "--tsv") == 0)
            config_reference(stdout, CONFIG_REF_TSV);
        else if (*form == '\0')
            config_reference(stdout, CONFIG_REF_TEXT);
        else {
            fprintf(stderr,
                    "forkgp: help keys: unknown option '%s' (--markdown or "
                    "--tsv)\n",
                    form);
            return EXIT_INPUT;
        }
    } else if (strcmp(topic, "functions") == 0) {
        infix_write_functions(stdout);
    } else if (*topic == '\0') {
        fputs(usage, stdout);
    } else {
        fprintf(stderr, "forkgp: no help on '%s'\n%s", topic, usage);
        return EXIT_INPUT;
    }
    return EXIT_OK;
}

/* Parsed command line of run and check. */
struct args {
    const char *config;
    const char **sets; /* section.key=value, in order */
    int nsets;
    char **owned; /* strings made from --seed and --out */
    int nowned;
    int quiet;
    int force; /* run: write into a folder of other files */
    const char *program; /* eval */
    uint64_t generation, index;
    int given_generation, given_index;
    const char *run_dir; /* eval RUNDIR: the run folder */
};

/* Parses a whole decimal uint64; returns 0 or -1. */
static int parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (*s < '0' || *s > '9')
        return -1;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (*end != '\0' || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}

static int add_set(struct args *a, const char *prefix, const char *value)
{
    size_t n = strlen(prefix) + strlen(value) + 1;
    char *s = malloc(n);
    if (!s)
        return -1;
    snprintf(s, n, "%s%s", prefix, value);
    a->owned[a->nowned++] = s;
    a->sets[a->nsets++] = s;
    return 0;
}

enum command { CMD_RUN, CMD_CHECK, CMD_EVAL, CMD_RESUME };

/* Room for an argument as a message quotes it. */
#define SHOWN_ARG TEXT_SHOWN(160)

/* arg as a message quotes it, in buf: escaped (text_show) and cut. */
static const char *shown(char buf[SHOWN_ARG], const char *arg)
{
    text_show(buf, arg, strlen(arg), 160);
    return buf;
}

/* Whether arg is one of cmd's options that take a value. */
static int takes_value(const char *arg, enum command cmd)
{
    int allow_run = cmd == CMD_RUN || cmd == CMD_EVAL;
    return strcmp(arg, "--set") == 0 ||
           (allow_run &&
            (strcmp(arg, "--seed") == 0 || strcmp(arg, "--out") == 0)) ||
           (cmd == CMD_RUN && strcmp(arg, "--runs") == 0) ||
           (cmd == CMD_RESUME &&
            (strcmp(arg, "--workers") == 0 || strcmp(arg, "--backend") == 0 ||
             strcmp(arg, "--generations") == 0)) ||
           (cmd == CMD_EVAL &&
            (strcmp(arg, "--program") == 0 ||
             strcmp(arg, "--generation") == 0 || strcmp(arg, "--index") == 0));
}

static int parse_args(struct args *a, int argc, char **argv,
                      enum command cmd)
{
    int allow_run = cmd == CMD_RUN || cmd == CMD_EVAL;
    memset(a, 0, sizeof *a);
    a->sets = calloc((size_t)argc + 2, sizeof *a->sets);
    a->owned = calloc((size_t)argc + 2, sizeof *a->owned);
    if (!a->sets || !a->owned)
        return -1;
    char quoted[SHOWN_ARG];
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(arg, "--set") == 0 && has_value) {
            a->sets[a->nsets++] = argv[++i];
        } else if (allow_run && strcmp(arg, "--seed") == 0 && has_value) {
            if (add_set(a, "run.seed=", argv[++i]) < 0)
                return -1;
        } else if (cmd == CMD_RUN && strcmp(arg, "--runs") == 0 && has_value) {
            if (add_set(a, "run.runs=", argv[++i]) < 0)
                return -1;
        } else if (allow_run && strcmp(arg, "--out") == 0 && has_value) {
            if (add_set(a, "output.dir=", argv[++i]) < 0)
                return -1;
        } else if ((cmd == CMD_RUN || cmd == CMD_RESUME) &&
                   strcmp(arg, "--quiet") == 0) {
            a->quiet = 1;
        } else if (cmd == CMD_RUN && strcmp(arg, "--force") == 0) {
            a->force = 1;
        } else if (cmd == CMD_RESUME && strcmp(arg, "--workers") == 0 &&
                   has_value) {
            if (add_set(a, "run.workers=", argv[++i]) < 0)
                return -1;
        } else if (cmd == CMD_RESUME && strcmp(arg, "--backend") == 0 &&
                   has_value) {
            if (add_set(a, "run.backend=", argv[++i]) < 0)
                return -1;
        } else if (cmd == CMD_RESUME && strcmp(arg, "--generations") == 0 &&
                   has_value) {
            if (add_set(a, "run.generations=", argv[++i]) < 0)
                return -1;
        } else if (cmd == CMD_EVAL && strcmp(arg, "--program") == 0 &&
                   has_value) {
            a->program = argv[++i];
        } else if (cmd == CMD_EVAL &&
                   (strcmp(arg, "--generation") == 0 ||
                    strcmp(arg, "--index") == 0) &&
                   has_value) {
            uint64_t *to = arg[2] == 'g' ? &a->generation : &a->index;
            *(arg[2] == 'g' ? &a->given_generation : &a->given_index) = 1;
            if (parse_u64(argv[++i], to) < 0) {
                fprintf(stderr, "forkgp: %s: expected a whole number, got "
                                "'%s'\n",
                        arg, shown(quoted, argv[i]));
                return -2;
            }
        } else if (arg[0] == '-' && arg[1] != '\0') {
            if (!has_value && takes_value(arg, cmd))
                fprintf(stderr, "forkgp: option '%s' needs a value\n%s", arg,
                        usage);
            else
                fprintf(stderr, "forkgp: unknown option '%s'\n%s", shown(quoted, arg),
                        usage);
            return -2;
        } else if (!a->config) {
            a->config = arg;
        } else {
            fprintf(stderr, "forkgp: unexpected argument '%s'\n%s",
                    shown(quoted, arg),
                    usage);
            return -2;
        }
    }
    if (!a->config) {
        fprintf(stderr, "forkgp: %s needs %s\n%s", argv[1],
                cmd == CMD_RESUME ? "a RUNDIR" : "a CONFIG.ini", usage);
        return -2;
    }
    struct stat st;
    if (cmd == CMD_EVAL && stat(a->config, &st) == 0 && S_ISDIR(st.st_mode))
        a->run_dir = a->config; /* a run folder: its config.ini */
    if (cmd == CMD_RESUME || a->run_dir) {
        /* The run's own effective config; its outputs stay in RUNDIR. */
        const char *dir = a->config;
        size_t n = strlen(dir) + sizeof "/config.ini";
        char *path = malloc(n);
        if (!path || add_set(a, "output.dir=", dir) < 0) {
            free(path);
            return -1;
        }
        snprintf(path, n, "%s/config.ini", dir);
        a->owned[a->nowned++] = path;
        a->config = path;
    }
    if (cmd == CMD_EVAL && !a->program && !a->run_dir) {
        fprintf(stderr, "forkgp: eval needs a RUNDIR or --program EXPR\n%s",
                usage);
        return -2;
    }
    return 0;
}

static void free_args(struct args *a)
{
    for (int i = 0; i < a->nowned; i++)
        free(a->owned[i]);
    free(a->owned);
    free(a->sets);
}

/* Whether dir can be a run's output folder: not a file, nor below one,
 * nor (unless forced) a folder of files that no forkgp run made (a
 * mistake on the command line, told before anything is loaded; a folder
 * that cannot be made for other reasons fails when it is made). Says why
 * not on stderr. */
static int output_dir_usable(const char *dir, int force)
{
    struct stat st;
    struct error err;
    if (stat(dir, &st) == 0 ? !S_ISDIR(st.st_mode) : errno == ENOTDIR) {
        fprintf(stderr, "forkgp: output folder '%s': %s\n", dir,
                stat(dir, &st) == 0 ? "not a folder"
                                    : "a part of its path is not a folder");
        return 0;
    }
    if (!force && rundir_check(dir, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        return 0;
    }
    return 1;
}

/* Whether the command line after the command asks for its help (--help or
 * -h, not as the value of an option). */
static int wants_help(int argc, char **argv, enum command cmd)
{
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
        if (takes_value(argv[i], cmd))
            i++;
    }
    return 0;
}

static int run_check_eval(int argc, char **argv, enum command cmd)
{
    if (wants_help(argc, argv, cmd)) {
        char help_word[] = "help";
        char *topic[] = {argv[0], help_word, argv[1], NULL};
        return help(3, topic);
    }
    struct args a;
    int rc = parse_args(&a, argc, argv, cmd);
    if (rc < 0) {
        if (rc == -1)
            fprintf(stderr, "forkgp: out of memory\n");
        free_args(&a);
        return rc == -1 ? EXIT_RUNTIME : EXIT_INPUT;
    }
    struct config cfg;
    struct error err;
    if (config_load(&cfg, a.config, a.sets, a.nsets, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        free_args(&a);
        return EXIT_INPUT;
    }
    int status = EXIT_OK;
    if (cmd == CMD_RUN && !output_dir_usable(cfg.output_dir, a.force)) {
        config_release(&cfg);
        free_args(&a);
        return EXIT_INPUT;
    }
    if (cmd == CMD_RUN || cmd == CMD_RESUME) {
        struct run_options o = {.quiet = a.quiet,
                                .resume = cmd == CMD_RESUME};
        stop_catch_signals();
        status = cfg.run_runs > 1 ? batch_main(&cfg, &o)
                                  : run_main(&cfg, &o, NULL);
    } else if (cmd == CMD_EVAL && !a.program) {
        /* forkgp eval RUNDIR: the run's best program, where it was found
         * (unless --generation or --index say otherwise) */
        struct replay_best best;
        if (replay_read_best(a.run_dir, &best, &err) < 0) {
            fprintf(stderr, "forkgp: %s\n", err.msg);
            status = EXIT_INPUT;
        } else {
            status = replay_main(
                &cfg, best.program,
                a.given_generation ? a.generation : best.generation,
                a.given_index ? a.index : best.index);
            free(best.program);
        }
    } else if (cmd == CMD_EVAL) {
        status = replay_main(&cfg, a.program, a.generation, a.index);
    } else {
        status = check_main(&cfg);
    }
    config_release(&cfg);
    free_args(&a);
    return status;
}

/* forkgp plot RUNDIR: gnuplot draws, then the files written are named. */
static int plot_main(int argc, char **argv)
{
    if (argc == 3 &&
        (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
        fputs(plot_help, stdout);
        return EXIT_OK;
    }
    if (argc != 3 || argv[2][0] == '-') {
        fprintf(stderr, "forkgp: plot needs one RUNDIR\n%s", usage);
        return EXIT_INPUT;
    }
    struct error err;
    int rc = plot_draw(argv[2], &err);
    if (rc == 0)
        return EXIT_OK;
    fprintf(stderr, "forkgp: %s\n", err.msg);
    return rc == PLOT_EINPUT ? EXIT_INPUT : EXIT_RUNTIME;
}

/*
 * Makes the process what the farm relies on, whoever started it: fds 0, 1
 * and 2 open (a closed one would be taken by the next pipe, and a
 * worker's dup2 onto fd 1 would clobber it: /dev/null stands in), and
 * SIGCHLD at its default (a parent that ignored it passes that on through
 * exec, and then the kernel reaps dead children itself, so no wait ever
 * reports a crash).
 */
static void sane_process(void)
{
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
            continue;
        int null = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (null >= 0 && null != fd) {
            dup2(null, fd);
            close(null);
        }
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGCHLD, &sa, NULL);
}

/*
 * forkgp predict RUNDIR --data FILE [--out FILE] [--size N] and forkgp
 * export RUNDIR --format F [--size N]: the options read, then the command
 * (predict_main, export_main) does the rest.
 */
static int predict_export(int argc, char **argv, int is_predict)
{
    const char *name = argv[1], *help_text =
                                    is_predict ? predict_help : export_help;
    const char *dir = NULL, *data = NULL, *out = NULL, *format = NULL;
    uint64_t size = 0;
    char quoted[SHOWN_ARG];
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int value = i + 1 < argc;
        if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
            fputs(help_text, stdout);
            return EXIT_OK;
        }
        if (is_predict && strcmp(arg, "--data") == 0 && value) {
            data = argv[++i];
        } else if (is_predict && strcmp(arg, "--out") == 0 && value) {
            out = argv[++i];
        } else if (!is_predict && strcmp(arg, "--format") == 0 && value) {
            format = argv[++i];
        } else if (strcmp(arg, "--size") == 0 && value) {
            if (parse_u64(argv[++i], &size) < 0 || size == 0 ||
                size > 65535) {
                fprintf(stderr,
                        "forkgp: --size: expected a program size 1..65535, "
                        "got '%s'\n",
                        shown(quoted, argv[i]));
                return EXIT_INPUT;
            }
        } else if (arg[0] == '-' && arg[1] != '\0') {
            int known = strcmp(arg, "--size") == 0 ||
                        strcmp(arg, is_predict ? "--data" : "--format") == 0 ||
                        (is_predict && strcmp(arg, "--out") == 0);
            if (known)
                fprintf(stderr, "forkgp: option '%s' needs a value\n%s", arg,
                        usage);
            else
                fprintf(stderr, "forkgp: unknown option '%s'\n%s",
                        shown(quoted, arg), usage);
            return EXIT_INPUT;
        } else if (!dir) {
            dir = arg;
        } else {
            fprintf(stderr, "forkgp: unexpected argument '%s'\n%s",
                    shown(quoted, arg), usage);
            return EXIT_INPUT;
        }
    }
    const char *lacking = !dir                  ? "a RUNDIR"
                          : is_predict && !data ? "--data FILE.csv"
                          : !is_predict && !format
                              ? "--format c|python|sympy|latex"
                              : NULL;
    if (lacking) {
        fprintf(stderr, "forkgp: %s needs %s\n%s", name, lacking, usage);
        return EXIT_INPUT;
    }
    return is_predict ? predict_main(dir, data, out, (long)size)
                      : export_main(dir, format, (long)size);
}

int main(int argc, char **argv)
{
    sane_process();
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    char quoted[SHOWN_ARG];
    int status;
    if (strcmp(cmd, "run") == 0)
        status = run_check_eval(argc, argv, CMD_RUN);
    else if (strcmp(cmd, "check") == 0)
        status = run_check_eval(argc, argv, CMD_CHECK);
    else if (strcmp(cmd, "eval") == 0)
        status = run_check_eval(argc, argv, CMD_EVAL);
    else if (strcmp(cmd, "resume") == 0)
        status = run_check_eval(argc, argv, CMD_RESUME);
    else if (strcmp(cmd, "plot") == 0)
        status = plot_main(argc, argv);
    else if (strcmp(cmd, "predict") == 0)
        status = predict_export(argc, argv, 1);
    else if (strcmp(cmd, "export") == 0)
        status = predict_export(argc, argv, 0);
    else if (strcmp(cmd, "help") == 0)
        status = help(argc, argv);
    else if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, stdout);
        status = EXIT_OK;
    } else if (strcmp(cmd, "--version") == 0) {
        printf("forkgp %s\n", FORKGP_VERSION);
        status = EXIT_OK;
    } else {
        fprintf(stderr, "forkgp: unknown command '%s'\n%s", shown(quoted, cmd),
                usage);
        status = EXIT_INPUT;
    }
    /* An earlier flush may have failed (a full disk, a closed pipe) and
     * cleared nothing but the buffer: the stream's error flag says so. */
    if ((fflush(stdout) != 0 || ferror(stdout)) && status == EXIT_OK) {
        fprintf(stderr, "forkgp: cannot write to standard output\n");
        status = EXIT_RUNTIME;
    }
    exit(status);
}
