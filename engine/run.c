/*
 * run: one evolutionary run, from the configuration to the best program.
 *
 *   setup    the fitness function (built-in or plug-in) reads its keys,
 *            loads its data and declares the primitive set
 *   farm     the evaluation farm starts (after setup: later, its forked
 *            workers share the data copy-on-write)
 *   init     ramped half-and-half from the main stream
 *   loop     evaluate, report, keep the best, stop?, breed the next
 *            generation (always in the parent, from the main stream)
 *   finish   the best program with its train and test fitness
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
    STOP_SIGNAL
};

static const char *const stop_text[] = {
    [STOP_GENERATIONS] = "generation budget used",
    [STOP_TARGET] = "target fitness reached",
    [STOP_TIME] = "time budget used",
    [STOP_SIGNAL] = "interrupted",
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
    r->farm = farm_new(&r->fitness, c->run_seed);
    if (!r->farm) {
        fprintf(stderr, "forkgp: cannot start the evaluation farm\n");
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
        if (farm_eval(r->farm, &r->cur, (uint64_t)gen) < 0) {
            why = STOP_SIGNAL; /* this generation is incomplete: drop it */
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
    if (r->best_generation < 0) {
        fprintf(stderr, "forkgp: interrupted before generation 0 was scored\n");
        status = 128 + farm_interrupted();
        goto close;
    }
    if (finish(r, why, gen) < 0)
        goto close;
    status = why == STOP_SIGNAL ? 128 + farm_interrupted() : EXIT_OK;
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
