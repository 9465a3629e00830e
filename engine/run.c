/*
 * run: one evolutionary run, from the configuration to the best program.
 *
 *   setup    the fitness function (built-in or plug-in) reads its keys,
 *            loads its data and declares the primitive set
 *   farm     the evaluation farm forks its workers (after setup, so they
 *            share the data and the plug-in's state copy-on-write)
 *   init     ramped half-and-half from the main stream
 *   loop     evaluate (farm_eval), note failed evaluations, report, keep
 *            the best, stop?, breed the next generation (always in the
 *            parent, from the main stream)
 *   finish   the best program with its train and test fitness, the final
 *            population, and a summary of the failed evaluations
 */
#include "run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "breed.h"
#include "farm.h"
#include "infix.h"
#include "init.h"
#include "pop.h"
#include "plugin.h"
#include "report.h"

/* Failed evaluations: counts by status, and the first few to replay. */
#define SHOWN_FAILURES 5
struct failures {
    uint64_t count[EVAL_NSTATUS];
    int nshown;
    struct {
        long generation;
        size_t index;
        int status, detail;
        char *program;
    } shown[SHOWN_FAILURES];
};

/* Everything one run owns; released in one place. */
struct run {
    const struct config *cfg;
    struct plugin *plugin;
    struct primset ps;
    struct fitness fitness;
    struct ranking rank;
    struct farm *farm;
    struct rng rng; /* the main stream */
    struct population cur, next;
    struct breed breed;
    struct report report;
    struct individual best; /* best of run (hall of fame of one) */
    struct failures failures;
    long best_generation;   /* -1 until a generation is scored */
    size_t best_index;      /* its index in that generation */
    double start;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Why the loop ended. */
enum stop_reason {
    STOP_NONE,
    STOP_GENERATIONS,
    STOP_TARGET,
    STOP_TIME,
    STOP_SIGNAL,
    STOP_BROKEN, /* workers died too often: the plug-in looks broken */
    STOP_FAILED, /* on_failure = abort, and an evaluation failed */
};

static const char *const stop_text[] = {
    [STOP_GENERATIONS] = "generation budget used",
    [STOP_TARGET] = "target fitness reached",
    [STOP_TIME] = "time budget used",
    [STOP_SIGNAL] = "interrupted",
    [STOP_BROKEN] = "workers died too often",
    [STOP_FAILED] = "an evaluation failed (on_failure = abort)",
};

static enum stop_reason should_stop(const struct run *r, long gen)
{
    const struct config *c = r->cfg;
    if (farm_interrupted())
        return STOP_SIGNAL;
    if (!isnan(c->fitness_target_fitness) && r->best.status == EVAL_OK &&
        fitness_reaches(r->best.fitness, c->fitness_target_fitness,
                        r->fitness.maximise))
        return STOP_TARGET;
    if (gen >= c->run_generations)
        return STOP_GENERATIONS;
    if (c->run_max_seconds > 0 && now() - r->start >= c->run_max_seconds)
        return STOP_TIME;
    return STOP_NONE;
}

/* Keeps a copy of the generation's best when it beats the best of run. */
static void keep_best(struct run *r, const struct pop_stats *s, long gen)
{
    const struct individual *x = &r->cur.ind[s->best];
    if (r->best_generation >= 0 &&
        !ind_better(x, &r->best, &r->rank))
        return;
    tree_copy(&r->best.tree, &x->tree);
    r->best.fitness = x->fitness;
    r->best.status = x->status;
    r->best_generation = gen;
    r->best_index = s->best;
}

/* Notes the failed evaluations of a (possibly partial) generation. */
static void note_failures(struct run *r, const struct population *p, long gen)
{
    struct failures *f = &r->failures;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        if (x->status < EVAL_ERROR || x->status >= EVAL_NSTATUS)
            continue;
        f->count[x->status]++;
        if (f->nshown == SHOWN_FAILURES)
            continue;
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (!out)
            continue;
        infix_write(out, &x->tree, &r->ps);
        fclose(out);
        f->shown[f->nshown].generation = gen;
        f->shown[f->nshown].index = i;
        f->shown[f->nshown].status = x->status;
        f->shown[f->nshown].detail = x->detail;
        f->shown[f->nshown++].program = text;
    }
}

/* The failures, by status, and how to replay the first few. */
static void print_failures(const struct run *r, FILE *out)
{
    const struct failures *f = &r->failures;
    uint64_t total = 0;
    for (int st = EVAL_ERROR; st < EVAL_NSTATUS; st++)
        total += f->count[st];
    if (total == 0)
        return;
    fprintf(out, "failed evaluations: %llu (", (unsigned long long)total);
    const char *sep = "";
    for (int st = EVAL_ERROR; st < EVAL_NSTATUS; st++)
        if (f->count[st]) {
            fprintf(out, "%s%s %llu", sep, eval_status_name(st),
                    (unsigned long long)f->count[st]);
            sep = ", ";
        }
    fprintf(out, ")\n");
    for (int i = 0; i < f->nshown; i++) {
        fprintf(out, "  generation %ld, individual %zu: %s",
                f->shown[i].generation, f->shown[i].index,
                eval_status_name(f->shown[i].status));
        if (f->shown[i].status == EVAL_CRASHED)
            fprintf(out, " (signal %d)", f->shown[i].detail);
        else if (f->shown[i].status == EVAL_EXITED)
            fprintf(out, " (exit status %d)", f->shown[i].detail);
        fprintf(out, "\n    forkgp eval %s/config.ini --generation %ld "
                     "--index %zu --program '%s'\n",
                r->report.dir, f->shown[i].generation, f->shown[i].index,
                f->shown[i].program);
    }
}

/* Writes population.csv: every individual of the last scored generation. */
static int write_population(struct run *r, const struct population *p)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return -1;
    fprintf(out, "index,status,%s,size,program\n", r->fitness.score_name);
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        fprintf(out, "%zu,%s,", i, eval_status_name(x->status));
        if (x->status == EVAL_OK)
            fprintf(out, "%.17g", x->fitness);
        fprintf(out, ",%u,\"", x->tree.size);
        infix_write(out, &x->tree, &r->ps);
        fprintf(out, "\"\n");
    }
    fclose(out);
    struct report_error err;
    int rc = report_write_file(&r->report, "population.csv", text, &err);
    if (rc < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    free(text);
    return rc;
}

/* Prints the best program and writes best.txt. Returns 0 or -1. */
static int finish(struct run *r, enum stop_reason why, long generations)
{
    const char *metric = r->fitness.score_name;
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out)
        return -1;
    infix_write(out, &r->best.tree, &r->ps);
    fputc('\n', out);
    if (r->best.status == EVAL_OK)
        fprintf(out, "train_%s = %.17g\n", metric, r->best.fitness);
    else
        fprintf(out, "train_%s = invalid\n", metric);
    double test[FGP_MAX_SCORES];
    int status = plugin_test(r->plugin, &r->best.tree, test);
    if (status == EVAL_OK)
        fprintf(out, "test_%s = %.17g\n", metric, test[0]);
    else if (status >= 0)
        fprintf(out, "test_%s = invalid\n", metric);
    fprintf(out, "size = %u\ndepth = %d\ngeneration = %ld\nindex = %zu\n",
            r->best.tree.size, tree_depth(&r->best.tree), r->best_generation,
            r->best_index);
    fclose(out);

    printf("stopped after generation %ld: %s\n", generations, stop_text[why]);
    printf("best program: %s", text); /* the rest are key = value lines */
    print_failures(r, stdout);
    fflush(stdout);
    struct report_error err;
    int rc = report_write_file(&r->report, "best.txt", text, &err);
    if (rc < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    free(text);
    return rc;
}

static void run_release(struct run *r)
{
    farm_free(r->farm);
    pop_release(&r->cur);
    pop_release(&r->next);
    breed_release(&r->breed);
    tree_release(&r->best.tree);
    plugin_free(r->plugin);
    for (int i = 0; i < r->failures.nshown; i++)
        free(r->failures.shown[i].program);
}

/* The farm's settings from the config. */
static struct farm_options farm_options(const struct config *c)
{
    struct farm_options fo = {
        .workers = c->run_workers < 0 ? farm_online_cpus()
                                      : (int)c->run_workers,
        .eval_timeout = c->run_eval_timeout,
        .memory_mb = c->run_worker_memory_mb,
        .restart_limit = c->run_restart_limit,
        .stop_on_failure = strcmp(c->run_on_failure, "abort") == 0,
        .max_size = (uint32_t)c->tree_max_size,
    };
    return fo;
}

int run_main(const struct config *c, const struct run_options *o)
{
    static struct run run; /* large (the primitive set's tables) */
    struct run *r = &run;
    memset(r, 0, sizeof *r);
    r->cfg = c;
    r->best_generation = -1;
    r->start = now();
    int status = EXIT_RUNTIME;

    /* setup: the fitness loads its data and declares the primitives */
    struct plugin_error perr;
    r->plugin = plugin_load(c, &r->ps, &r->fitness, &perr);
    if (!r->plugin) {
        fprintf(stderr, "forkgp: %s\n", perr.msg);
        status = EXIT_INPUT;
        goto out;
    }
    r->rank.maximise = r->fitness.maximise;
    r->rank.parsimony = c->fitness_parsimony;
    uint32_t max_size = (uint32_t)c->tree_max_size;
    size_t n = (size_t)c->run_population;
    if (pop_init(&r->cur, n, max_size) < 0 ||
        pop_init(&r->next, n, max_size) < 0 ||
        tree_init(&r->best.tree, max_size) < 0 ||
        breed_init(&r->breed, c) < 0) {
        fprintf(stderr, "forkgp: out of memory for a population of %zu\n", n);
        goto out;
    }

    /* farm: started after setup, before the first evaluation */
    struct farm_options fo = farm_options(c);
    char ferr[512];
    r->farm = farm_new(&r->fitness, c->run_seed, &fo, ferr, sizeof ferr);
    if (!r->farm) {
        fprintf(stderr, "forkgp: %s\n", ferr);
        goto out;
    }
    struct report_error err;
    if (report_open(&r->report, c, r->fitness.score_name, o->quiet, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        goto out;
    }

    /* init: every random choice of the parent comes from the main stream */
    rng_derive(&r->rng, c->run_seed, RNG_MAIN, 0, 0);
    init_ramped(&r->cur, &r->ps, (int)c->tree_init_min_depth,
                (int)c->tree_init_max_depth, &r->rng);

    enum stop_reason why = STOP_NONE;
    long gen = 0;
    for (;; gen++) {
        double t0 = now();
        int fr = farm_eval(r->farm, &r->cur, (uint64_t)gen);
        note_failures(r, &r->cur, gen);
        if (fr != FARM_DONE) {
            /* This generation is incomplete: drop it. */
            why = fr == FARM_INTERRUPTED ? STOP_SIGNAL
                  : fr == FARM_FAILED    ? STOP_FAILED
                                         : STOP_BROKEN;
            if (fr == FARM_BROKEN)
                fprintf(stderr,
                        "forkgp: generation %ld: workers died on more than "
                        "%g of the evaluations: the fitness function, not "
                        "one program, looks broken ([run] restart_limit)\n",
                        gen, c->run_restart_limit);
            gen--;
            break;
        }
        struct pop_stats s;
        if (pop_stats(&r->cur, &r->rank, &s) < 0)
            goto oom;
        keep_best(r, &s, gen);
        report_generation(&r->report, gen, &s, now() - t0, now() - r->start);

        why = should_stop(r, gen);
        if (why != STOP_NONE)
            break;
        if (breed_next(&r->breed, &r->next, &r->cur, &r->ps,
                       &r->rank, &r->rng) < 0)
            goto oom;
        struct population swap = r->cur;
        r->cur = r->next;
        r->next = swap;
    }

    /* finish */
    int exit_why = why == STOP_SIGNAL ? 128 + farm_interrupted()
                   : why == STOP_BROKEN || why == STOP_FAILED ? EXIT_RUNTIME
                                                              : EXIT_OK;
    if (r->best_generation < 0) {
        fprintf(stderr, "forkgp: stopped before generation 0 was scored: "
                        "%s\n",
                stop_text[why]);
        print_failures(r, stderr);
        status = exit_why;
        goto close;
    }
    /* The last complete generation: cur, or next when cur was dropped. */
    int dropped = why == STOP_SIGNAL || why == STOP_BROKEN ||
                  why == STOP_FAILED;
    if (write_population(r, dropped ? &r->next : &r->cur) < 0 ||
        finish(r, why, gen) < 0)
        goto close;
    status = exit_why;
    goto close;
oom:
    fprintf(stderr, "forkgp: out of memory\n");
close:
    if (report_close(&r->report, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        if (status == EXIT_OK)
            status = EXIT_RUNTIME;
    }
out:
    run_release(r);
    return status;
}
