/*
 * batch: N independent runs of one configuration and the summary over
 * them. The batch folder holds the effective configuration (config.ini,
 * with runs = N), and each run loads it with its own seed and folder: run
 * i uses seed + i, in run-NNN/, so `forkgp run RUNDIR/run-NNN/config.ini`
 * repeats one run alone.
 */
#include "batch.h"
#include "path.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "plugin.h"
#include "report.h"
#include "stats.h"
#include "stop.h"

/* What the summary needs of one run: its run_result, or for a run that
 * finished before a resume, its best.txt. */
struct outcome {
    int done;             /* best.txt was read */
    double best;          /* train score */
    int success;          /* stopped because the target was reached */
    long last_generation; /* the last scored generation */
    unsigned long long evaluations;
};

/* Reads run dir's best.txt ("key = value" lines after the program). */
static void read_outcome(const char *dir, const char *score,
                         struct outcome *out)
{
    char path[PATH_MAX], line[8192], key[64];
    snprintf(key, sizeof key, "train_%s", score);
    memset(out, 0, sizeof *out);
    out->best = NAN;
    FILE *f = path_join(path, dir, "best.txt") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return;
    out->done = 1;
    while (fgets(line, sizeof line, f)) {
        char *eq = strstr(line, " = ");
        if (!eq)
            continue;
        *eq = '\0';
        const char *v = eq + 3;
        char *end;
        if (strcmp(line, key) == 0) {
            double best = strtod(v, &end);
            out->best = end != v ? best : NAN; /* "invalid": none valid */
        } else if (strcmp(line, "stopped") == 0)
            out->success = strncmp(v, "target", 6) == 0;
        else if (strcmp(line, "last_generation") == 0)
            out->last_generation = strtol(v, NULL, 10);
        else if (strcmp(line, "evaluations") == 0)
            out->evaluations = strtoull(v, NULL, 10);
    }
    fclose(f);
}

/* The first line of run dir's best.txt (its best model), malloc'd, or
 * NULL when there is none. */
static char *read_program(const char *dir)
{
    char path[PATH_MAX];
    FILE *f = path_join(path, dir, "best.txt") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return NULL;
    char *line = NULL;
    size_t cap = 0;
    ssize_t len = getline(&line, &cap, f);
    fclose(f);
    if (len <= 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

/* The score's name ("mse") into score, from run dir's best.txt: the key
 * of its train_ line. Leaves score as it is when there is none. */
static void read_score_name(const char *dir, char *score, size_t size)
{
    char path[PATH_MAX], line[8192];
    FILE *f = path_join(path, dir, "best.txt") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "train_", 6) == 0) {
            char *eq = strstr(line, " = ");
            if (eq && eq - line - 6 < (long)size)
                snprintf(score, size, "%.*s", (int)(eq - line - 6), line + 6);
            break;
        }
    fclose(f);
}

/* The exit status a run's manifest.ini records: -1 running or unknown,
 * -2 no manifest (not started). */
static int on_manifest(void *user, const char *section, const char *key,
                       const char *value)
{
    if (strcmp(section, "run") == 0 && strcmp(key, "exit_status") == 0) {
        char *end;
        long v = strtol(value, &end, 10);
        *(int *)user = *end == '\0' && end != value ? (int)v : -1;
    }
    return 1;
}

static int run_exit_status(const char *dir)
{
    char path[PATH_MAX];
    FILE *f =
        path_join(path, dir, "manifest.ini") == 0 ? fopen(path, "r") : NULL;
    if (!f)
        return -2;
    int status = -1;
    ini_parse_file(f, on_manifest, &status);
    fclose(f);
    return status;
}

/* Writes summary.csv and summary.txt and prints the summary: the best
 * program of each run (read from its best.txt) and the best of them all
 * (by the fitness's direction, maximise; the first run of equals). */
static int summarise(const struct config *c, struct report *rp,
                     const struct outcome *runs, long n, const char *score,
                     int maximise)
{
    char *csv = NULL, *txt = NULL;
    size_t csv_len = 0, txt_len = 0;
    FILE *f = open_memstream(&csv, &csv_len);
    FILE *t = open_memstream(&txt, &txt_len);
    double *best = malloc((size_t)n * sizeof *best);
    long *success_gen = malloc((size_t)n * sizeof *success_gen);
    if (!f || !t || !best || !success_gen) {
        if (f)
            fclose(f);
        if (t)
            fclose(t);
        free(csv);
        free(txt);
        free(best);
        free(success_gen);
        fprintf(stderr, "forkgp: out of memory\n");
        return -1;
    }
    fprintf(f,
            "run,seed,best_%s,success,success_generation,evaluations,"
            "program\n",
            score);
    unsigned long wins = 0;
    long top = -1;           /* the run with the best of all */
    char *top_program = NULL; /* its program */
    for (long i = 0; i < n; i++) {
        const struct outcome *o = &runs[i];
        best[i] = o->best;
        success_gen[i] = o->success ? o->last_generation : -1;
        wins += (unsigned long)o->success;
        fprintf(f, "%ld,%llu,%.17g,%d,", i,
                (unsigned long long)(c->run_seed + (uint64_t)i), o->best,
                o->success);
        if (o->success)
            fprintf(f, "%ld", o->last_generation);
        fprintf(f, ",%llu,", o->evaluations);
        char dir[PATH_MAX];
        char *program = path_format(dir, "%s/run-%03ld", c->output_dir, i) == 0
                            ? read_program(dir)
                            : NULL;
        if (program)
            fprintf(f, "\"%s\"", program); /* programs hold no '"' */
        fputc('\n', f);
        if (program && !isnan(o->best) &&
            (top < 0 || (maximise ? o->best > runs[top].best
                                  : o->best < runs[top].best))) {
            top = i;
            free(top_program);
            top_program = program;
        } else {
            free(program);
        }
    }
    fclose(f);

    double q1, median, q3;
    stats_quartiles(best, (size_t)n, &q1, &median, &q3);
    fprintf(t, "runs: %ld (run i with seed %llu + i)\n", n,
            (unsigned long long)c->run_seed);
    fprintf(t, "best %s: median %.6g, interquartile range %.6g .. %.6g\n",
            score, median, q1, q3);
    if (top >= 0)
        fprintf(t, "best of all runs: run %03ld (seed %llu), %s %.17g: %s\n",
                top, (unsigned long long)(c->run_seed + (uint64_t)top), score,
                runs[top].best, top_program);
    free(top_program);
    if (!isnan(c->fitness_target_fitness)) {
        struct stats_interval ci =
            stats_wilson(wins, (unsigned long)n, STATS_Z95);
        fprintf(t,
                "success (target %g reached): %lu of %ld = %.3f, 95%% "
                "Wilson interval %.3f .. %.3f\n",
                c->fitness_target_fitness, wins, n, (double)wins / (double)n,
                ci.lo, ci.hi);
        long at;
        double effort = stats_koza_effort(success_gen, (size_t)n,
                                          (unsigned long)c->run_population,
                                          c->run_generations, 0.99, &at);
        if (isfinite(effort))
            fprintf(t,
                    "computational effort I(M=%ld, i=%ld, z=0.99) = %.0f "
                    "evaluations\n",
                    c->run_population, at, effort);
        else
            fprintf(t, "computational effort: undefined (no run "
                       "succeeded)\n");
    }
    fclose(t);
    fputs(txt, stdout);
    fflush(stdout);
    struct error err;
    int rc = report_write_file(rp, "summary.csv", csv, csv_len, &err);
    if (rc == 0)
        rc = report_write_file(rp, "summary.txt", txt, txt_len, &err);
    if (rc < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    free(csv);
    free(txt);
    free(best);
    free(success_gen);
    return rc;
}

int batch_main(struct config *c, const struct run_options *o)
{
    long n = c->run_runs;
    /* The fitness function set up once first: a mistake shows before any
     * folder is made, and its relative paths become absolute in c, so the
     * batch's config.ini (what every run loads, from the batch's folder)
     * names the same files. */
    if (!o->resume) {
        struct primset *ps = calloc(1, sizeof *ps);
        struct fitness f;
        struct error perr;
        struct plugin *pl = ps ? plugin_load(c, ps, &f, &perr) : NULL;
        int failed = !pl ? (ps ? EXIT_INPUT : EXIT_RUNTIME) : 0;
        if (!pl && stop_requested()) /* a stop signal during the setup */
            failed = 128 + stop_requested();
        if (!pl)
            fprintf(stderr, "forkgp: %s\n", ps ? perr.msg : "out of memory");
        /* Every run loads the data again: a pipe would be empty (or
         * waiting for a writer for ever) from the second load on. */
        const struct plugin_file *files;
        size_t nfiles = pl ? plugin_files(pl, &files) : 0;
        for (size_t i = 0; i < nfiles && !failed; i++) {
            struct stat st;
            if (stat(files[i].path, &st) == 0 && !S_ISREG(st.st_mode)) {
                fprintf(stderr,
                        "forkgp: '%s': a batch (runs > 1) reads its files "
                        "once per run, so it must be a regular file, not a "
                        "pipe or a device\n",
                        files[i].path);
                failed = EXIT_INPUT;
            }
        }
        plugin_free(pl);
        free(ps);
        if (failed)
            return failed;
    }
    struct report rp = {.dir = c->output_dir};
    struct error err;
    char *text = NULL;
    size_t len = 0;
    if (report_make_dirs(c->output_dir) < 0) {
        fprintf(stderr, "forkgp: cannot create output folder '%s': %s\n",
                c->output_dir, strerror(errno));
        return EXIT_RUNTIME;
    }
    /* The batch's effective config: what every run loads. */
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return EXIT_RUNTIME;
    config_dump(c, mem);
    fclose(mem);
    int rc =
        o->resume ? 0 : report_write_file(&rp, "config.ini", text, len, &err);
    free(text);
    if (rc < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        return EXIT_RUNTIME;
    }

    struct outcome *runs = calloc((size_t)n, sizeof *runs);
    if (!runs)
        return EXIT_RUNTIME;
    int maximise = -1; /* the fitness's direction, once a run says */
    char config_path[PATH_MAX], score[64] = "fitness";
    /* The longest run folder's name fits, or no run starts. */
    char dir[PATH_MAX];
    if (path_join(config_path, c->output_dir, "config.ini") < 0 ||
        path_format(dir, "%s/run-%03ld/checkpoint.bin", c->output_dir, n - 1) <
            0) {
        fprintf(stderr, "forkgp: output folder '%s': %s\n", c->output_dir,
                strerror(errno));
        free(runs);
        return EXIT_INPUT;
    }
    int status = EXIT_OK;
    for (long i = 0; i < n && status == EXIT_OK; i++) {
        char seed[64], out[PATH_MAX + 16];
        path_format(dir, "%s/run-%03ld", c->output_dir, i);
        snprintf(seed, sizeof seed, "run.seed=%llu",
                 (unsigned long long)(c->run_seed + (uint64_t)i));
        snprintf(out, sizeof out, "output.dir=%s", dir);
        int before = o->resume ? run_exit_status(dir) : -2;
        if (before == EXIT_OK) {
            printf("run %03ld: done before\n", i);
        } else {
            /* An interrupted run resumes from its checkpoint, if any. */
            char ck[PATH_MAX];
            path_join(ck, dir, "checkpoint.bin"); /* fits: checked above */
            /* Looked at, not opened: a named pipe there would wait for a
             * writer. The resume says what is wrong with it. */
            struct stat ckst;
            int probe = before != -2 && lstat(ck, &ckst) == 0;
            const char *sets[] = {"run.runs=1", seed, out};
            struct config one;
            struct error cerr;
            if (config_load(&one, config_path, sets, 3, &cerr) < 0) {
                fprintf(stderr, "forkgp: %s\n", cerr.msg);
                status = EXIT_INPUT;
                break;
            }
            struct run_options ro = {.quiet = 1, .resume = probe};
            printf("run %03ld (seed %llu)%s\n", i,
                   (unsigned long long)one.run_seed, probe ? ": resuming" : "");
            fflush(stdout);
            struct run_result res;
            status = run_main(&one, &ro, &res);
            config_release(&one);
            if (res.maximise >= 0)
                maximise = res.maximise;
            if (res.score_name[0])
                snprintf(score, sizeof score, "%s", res.score_name);
            runs[i] = (struct outcome){
                .done = res.scored,
                .best = res.best,
                .success = res.reached_target,
                .last_generation = res.last_generation,
                .evaluations = res.evaluations,
            };
            continue;
        }
        /* Finished before a resume: what its best.txt says. */
        read_score_name(dir, score, sizeof score);
        read_outcome(dir, score, &runs[i]);
    }
    if (status == EXIT_OK && maximise < 0) {
        /* Every run finished before a resume: the fitness says which way
         * is better. */
        struct primset *ps = calloc(1, sizeof *ps);
        struct fitness f;
        struct error perr;
        struct plugin *pl = ps ? plugin_load(c, ps, &f, &perr) : NULL;
        maximise = pl ? f.maximise : 0;
        plugin_free(pl);
        free(ps);
    }
    if (status == EXIT_OK && summarise(c, &rp, runs, n, score, maximise) < 0)
        status = EXIT_RUNTIME;
    free(runs);
    return status;
}
