/* main: the forkgp command line (run, check, help); the only exit(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "farm.h"
#include "prim.h"
#include "run.h"

static const char usage[] =
    "usage: forkgp run CONFIG.ini [--set section.key=value]... [--seed N]\n"
    "                  [--out DIR] [--quiet]\n"
    "       forkgp check CONFIG.ini [--set section.key=value]...\n"
    "       forkgp help [run | check | keys [--markdown] | functions]\n"
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
    "  --out DIR                the same as --set output.dir=DIR\n"
    "  --quiet                  print only the final lines\n"
    "\n"
    "  Exit status: 0 done; 1 runtime failure; 2 bad usage, configuration\n"
    "  or data; 130 interrupted (SIGINT), 143 terminated (SIGTERM).\n"
    "\n"
    "Keys:\n";

static const char check_help[] =
    "forkgp check CONFIG.ini [--set section.key=value]...\n"
    "  Validates the configuration and prints it in full (every key, the\n"
    "  defaults filled in) as INI that forkgp run accepts.\n";

/* The protection table: what each function computes and how it prints. */
static void print_functions(void)
{
    printf("| function | arity | printed as | forkgp computes |\n"
           "|---|---|---|---|\n");
    for (int op = OP_ADD; op < OP_COUNT; op++) {
        const struct prim_info *p = &prim_table[op];
        char printed[32];
        if (p->infix)
            snprintf(printed, sizeof printed, "(a %s b)", p->infix);
        else if (op == OP_NEG)
            snprintf(printed, sizeof printed, "(-a)");
        else if (op == OP_SQUARE)
            snprintf(printed, sizeof printed, "(a**2)");
        else
            snprintf(printed, sizeof printed, "%s(%s)", p->name,
                     p->arity == 1   ? "a"
                     : p->arity == 2 ? "a, b"
                                     : "a, b, c");
        printf("| `%s` | %d | `%s` | %s |\n", p->name, p->arity, printed,
               p->protection);
    }
}

static int help(int argc, char **argv)
{
    const char *topic = argc > 2 ? argv[2] : "";
    if (strcmp(topic, "run") == 0) {
        fputs(run_help, stdout);
        config_reference(stdout, 0);
    } else if (strcmp(topic, "check") == 0) {
        fputs(check_help, stdout);
    } else if (strcmp(topic, "keys") == 0) {
        config_reference(stdout, argc > 3 && strcmp(argv[3], "--markdown") == 0);
    } else if (strcmp(topic, "functions") == 0) {
        print_functions();
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
};

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

static int parse_args(struct args *a, int argc, char **argv, int allow_run)
{
    memset(a, 0, sizeof *a);
    a->sets = calloc((size_t)argc, sizeof *a->sets);
    a->owned = calloc((size_t)argc, sizeof *a->owned);
    if (!a->sets || !a->owned)
        return -1;
    for (int i = 2; i < argc; i++) {
        const char *arg = argv[i];
        int has_value = i + 1 < argc;
        if (strcmp(arg, "--set") == 0 && has_value) {
            a->sets[a->nsets++] = argv[++i];
        } else if (allow_run && strcmp(arg, "--seed") == 0 && has_value) {
            if (add_set(a, "run.seed=", argv[++i]) < 0)
                return -1;
        } else if (allow_run && strcmp(arg, "--out") == 0 && has_value) {
            if (add_set(a, "output.dir=", argv[++i]) < 0)
                return -1;
        } else if (allow_run && strcmp(arg, "--quiet") == 0) {
            a->quiet = 1;
        } else if (arg[0] == '-' && arg[1] != '\0') {
            fprintf(stderr, "forkgp: %s '%s'\n%s",
                    has_value || strcmp(arg, "--set") != 0 ? "unknown option"
                                                           : "no value after",
                    arg, usage);
            return -2;
        } else if (!a->config) {
            a->config = arg;
        } else {
            fprintf(stderr, "forkgp: unexpected argument '%s'\n%s", arg,
                    usage);
            return -2;
        }
    }
    if (!a->config) {
        fprintf(stderr, "forkgp: %s needs a CONFIG.ini\n%s", argv[1], usage);
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

static int run_or_check(int argc, char **argv, int is_run)
{
    struct args a;
    int rc = parse_args(&a, argc, argv, is_run);
    if (rc < 0) {
        if (rc == -1)
            fprintf(stderr, "forkgp: out of memory\n");
        free_args(&a);
        return rc == -1 ? EXIT_RUNTIME : EXIT_INPUT;
    }
    struct config cfg;
    struct config_error err;
    if (config_load(&cfg, a.config, a.sets, a.nsets, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        free_args(&a);
        return EXIT_INPUT;
    }
    int status = EXIT_OK;
    if (is_run) {
        struct run_options o = {.quiet = a.quiet};
        farm_catch_signals();
        status = run_main(&cfg, &o);
    } else {
        config_dump(&cfg, stdout);
    }
    config_release(&cfg);
    free_args(&a);
    return status;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    int status;
    if (strcmp(cmd, "run") == 0)
        status = run_or_check(argc, argv, 1);
    else if (strcmp(cmd, "check") == 0)
        status = run_or_check(argc, argv, 0);
    else if (strcmp(cmd, "help") == 0)
        status = help(argc, argv);
    else if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, stdout);
        status = EXIT_OK;
    } else if (strcmp(cmd, "--version") == 0) {
        printf("forkgp %s\n", FORKGP_VERSION);
        status = EXIT_OK;
    } else {
        fprintf(stderr, "forkgp: unknown command '%s'\n%s", cmd, usage);
        status = EXIT_INPUT;
    }
    if (fflush(stdout) != 0 && status == EXIT_OK)
        status = EXIT_RUNTIME;
    exit(status);
}
