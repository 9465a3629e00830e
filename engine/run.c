/*
 * run: one evolutionary run, from the configuration to the best program.
 *
 *   setup    the fitness function (built-in or plug-in) reads its keys,
 *            loads its data and declares the primitive set
 *   farm     the evaluation farm forks its workers (after setup, so they
 *            share the data and the plug-in's state copy-on-write)
 *   init     ramped half-and-half from the main stream, scored: generation
 *            0 (or, resuming, the generation a checkpoint holds)
 *   loop     checkpoint?, stop?, breed the next generation (always in the
 *            parent, from the main stream), score it (farm_eval), note
 *            its failed evaluations, keep the best, report
 *   finish   the best program with its train and test fitness, the final
 *            population, and a summary of the failed evaluations
 *
 * Between generations the whole run is `struct run_state` plus the
 * population: what a checkpoint holds, so that a resumed run continues
 * with the same bytes as one never stopped.
 */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "breed.h"
#include "buf.h"
#include "build.h"
#include "checkpoint.h"
#include "clock.h"
#include "farm.h"
#include "front.h"
#include "infix.h"
#include "init.h"
#include "manifest.h"
#include "model.h"
#include "path.h"
#include "plugin.h"
#include "pop.h"
#include "predict.h"
#include "report.h"
#include "rescore.h"
#include "simplify.h"
#include "stop.h"
#include "twins.h"

/* Why the loop ended. A checkpoint keeps the reason a run ended
 * (run_state.finished), so the numbers stay as they are. */
enum stop_reason {
    STOP_NONE,
    STOP_GENERATIONS,
    STOP_TARGET,
    STOP_TIME,
    STOP_SIGNAL,
    STOP_BROKEN, /* workers died too often: the plug-in looks broken */
    STOP_FAILED, /* on_failure = abort, and an evaluation failed */
};

/* Everything one session of a run owns; released in one place. */
struct run {
    struct config *cfg; /* setup makes the fitness's paths absolute */
    struct plugin *plugin;
    struct primset ps;
    struct fitness fitness;
    struct rdo_cases truth; /* the fitness's table as truths, for RDO */
    int tunes_in_place; /* evaluations may write tuned constants into the
                           trees (Lamarckian: lm, or a plug-in's
                           fgp_optimize) */
    struct ranking rank;
    struct farm *farm;
    struct population cur, next; /* cur: the last scored generation */
    struct population spare; /* nsga2: the survivors, made here, then
                                swapped into cur */
    struct nsga2 ns;         /* nsga2: the survivors' fronts */
    int nsga2;               /* [selection] method = nsga2 */
    struct breed breed;
    struct report report;
    struct run_state st;
    struct checkpoint_key key;
    struct manifest manifest;
    double session_start;
    double last_checkpoint;   /* when checkpoint.bin was last written (or
                                 read, on resume): clock_now()'s clock */
    long first_generation;    /* the first this process scored or resumed */
    struct twins twins;       /* the indexes of cur and of next (the generation
                                 before cur's, after a breeding) */
    enum stop_reason stopped; /* why the loop ended */
    struct tree model;        /* scratch: a program with its scaling */
    long failed_generation;   /* the generation whose scoring stopped the
                                 run (STOP_BROKEN, STOP_FAILED) */
    int status;               /* the exit status so far */
    int folder_open; /* the run folder is open: it is closed at the end */
    uint32_t cases;  /* the case errors each evaluation gives selection
                        (lexicase); 0: none */
    uint32_t objectives; /* nsga2: the fitness's further objectives
                            (scores[1..objectives]) kept; 0: none */
};

/*
 * Which case errors selection needs, from [selection] and the fitness
 * (whose setup counted its cases): sets r->cases, whether copies are
 * rescored, and the populations' room. Returns 0, or -1 after a message
 * (r->status set).
 */
static int setup_cases(struct run *r)
{
    struct fitness *f = &r->fitness;
    struct error err;
    f->rescore = f->stochastic;
    if (plugin_cases(r->cfg, f, &r->cases, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        r->status = EXIT_INPUT;
        return -1;
    }
    if (r->cases == 0)
        return 0;
    /* Each generation's own cases: a copy's errors from the generation
     * before are on other cases. */
    f->rescore = f->stochastic || r->cases < f->ncases;
    if (pop_keep_errors(&r->cur, r->cases) < 0 ||
        pop_keep_errors(&r->next, r->cases) < 0) {
        fprintf(stderr, "forkgp: out of memory for the case errors\n");
        r->status = EXIT_RUNTIME;
        return -1;
    }
    return 0;
}

static double elapsed(const struct run *r)
{
    return r->st.elapsed + (clock_now() - r->session_start);
}

static const char *const stop_text[] = {
    [STOP_GENERATIONS] = "generation budget used",
    [STOP_TARGET] = "target fitness reached",
    [STOP_TIME] = "time budget used",
    [STOP_SIGNAL] = "interrupted",
    [STOP_BROKEN] = "workers died too often",
    [STOP_FAILED] = "an evaluation failed (on_failure = abort)",
};

/* The same, as one word for best.txt (the batch summary reads it). */
static const char *const stop_word[] = {
    [STOP_GENERATIONS] = "generations",
    [STOP_TARGET] = "target",
    [STOP_TIME] = "time",
    [STOP_SIGNAL] = "interrupted",
    [STOP_BROKEN] = "broken",
    [STOP_FAILED] = "failed",
};

static enum stop_reason should_stop(const struct run *r)
{
    const struct config *c = r->cfg;
    if (stop_requested())
        return STOP_SIGNAL;
    if (!isnan(c->fitness_target_fitness) && r->st.best.status == EVAL_OK &&
        fitness_reaches(r->st.best.fitness, c->fitness_target_fitness,
                        r->fitness.maximise))
        return STOP_TARGET;
    if (r->st.generation >= c->run_generations)
        return STOP_GENERATIONS;
    if (c->run_max_seconds > 0 && elapsed(r) >= c->run_max_seconds)
        return STOP_TIME;
    return STOP_NONE;
}

/* Seconds left by the generation and time budgets, at the mean pace of
 * this process's generations so far (a resume starts afresh). */
static double eta(const struct run *r)
{
    const struct config *c = r->cfg;
    long done = r->st.generation - r->first_generation;
    double t = clock_now() - r->session_start;
    double left = done > 0 ? t / (double)done *
                                 (double)(c->run_generations - r->st.generation)
                           : NAN;
    if (c->run_max_seconds > 0) {
        double budget = c->run_max_seconds - elapsed(r);
        if (isnan(left) || budget < left)
            left = budget > 0 ? budget : 0;
    }
    return left;
}

/* Keeps a copy of the generation's best when it beats the best of run. */
static void keep_best(struct run *r, const struct pop_stats *s)
{
    const struct individual *x = &r->cur.ind[s->best];
    if (r->st.best_generation >= 0 && !ind_better(x, &r->st.best, &r->rank))
        return;
    ind_copy_scored(&r->st.best, x);
    r->st.best_generation = r->st.generation;
    r->st.best_index = s->best;
}

/* Notes the failed evaluations of a generation, for the summary. */
static void note_failures(struct run *r, const struct population *p)
{
    struct run_state *st = &r->st;
    for (size_t i = 0; i < p->n; i++) {
        const struct individual *x = &p->ind[i];
        if (x->status < EVAL_ERROR || x->status >= EVAL_NSTATUS ||
            !ind_needs_eval(x, r->fitness.rescore))
            continue;
        st->fail_count[x->status]++;
        if (st->nshown == SHOWN_FAILURES)
            continue;
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (!out)
            continue;
        infix_write(out, &x->tree, &r->ps);
        fclose(out);
        struct failure_note *f = &st->shown[st->nshown++];
        f->generation = st->generation;
        f->index = i;
        f->status = x->status;
        f->detail = x->detail;
        f->program = text;
    }
}

/*
 * Scores r->cur as generation st.generation and reports it (with the
 * seconds it took to make: breed_seconds; bred: it was bred from r->next,
 * the generation before, rather than made by the initialisation).
 * Returns FARM_DONE, or why the generation could not be completed (it is
 * then not reported, and the caller drops it).
 */
/* NSGA-II: r->spare becomes the survivors of the parents (r->next) and
 * the offspring (r->cur) together, island by island: each island's
 * survivors are its own parents' and offspring's. Returns 0 or -1 (out of
 * memory). */
static int survive(struct run *r)
{
    size_t islands = (size_t)r->cfg->islands_count;
    for (size_t k = 0; k < islands; k++) {
        size_t lo, hi;
        breed_island(r->cur.n, islands, k, &lo, &hi);
        struct population parents = r->next, offspring = r->cur,
                          out = r->spare;
        parents.ind += lo;
        offspring.ind += lo;
        out.ind += lo;
        parents.n = offspring.n = out.n = hi - lo;
        /* The island's trees go on where the last one's end
         * (pop_place). */
        if (lo > 0)
            out.arena = r->spare.ind[lo - 1].tree.nodes +
                        r->spare.ind[lo - 1].tree.size;
        if (nsga2_survivors(&r->ns, &parents, &offspring, &out,
                            r->fitness.maximise) < 0)
            return -1;
    }
    return 0;
}

static int score_generation(struct run *r, double breed_seconds, int bred)
{
    double t0 = clock_now();
    /* A deterministic fitness evaluates no program whose score is known
     * (where that pays): a repeat of one of the generation, or of the
     * generation before, which r->next holds after a breeding (unless
     * each generation's case errors are on cases of its own). */
    if (!r->fitness.stochastic && twins_pay(r->fitness.rows))
        twins_pair(&r->twins, &r->cur,
                   bred && !r->fitness.rescore ? &r->next : NULL);
    int fr = farm_eval(r->farm, &r->cur, (uint64_t)r->st.generation);
    twins_score(&r->cur);
    /* Tuned constants written into the trees: the next pairing indexes
     * them as they are now, as a resumed run's does. */
    if (r->tunes_in_place)
        twins_forget(&r->twins);
    if (fr == FARM_FAILED)
        note_failures(r, &r->cur); /* the run stops: say which failed */
    if (fr != FARM_DONE)
        return fr;
    struct gen_timing tm = {.breed_seconds = breed_seconds};
    for (size_t i = 0; i < r->cur.n; i++)
        if (ind_needs_eval(&r->cur.ind[i], r->fitness.rescore)) {
            tm.evaluations++;
            tm.nodes += r->cur.ind[i].tree.size;
        }
    r->st.evaluations += tm.evaluations;
    note_failures(r, &r->cur);
    struct pop_stats s;
    if (pop_stats(&r->cur, &r->rank, &s) < 0)
        return FARM_BROKEN;
    keep_best(r, &s);
    if (front_update(&r->st.front, &r->cur, r->fitness.maximise,
                     r->st.generation) < 0)
        return FARM_BROKEN;
    if (r->nsga2 && bred) {
        /* NSGA-II: the offspring counted for the best of run and the
         * front as they were scored; the generation is then the
         * survivors of the parents (r->next) and the offspring together,
         * and its report and population.csv are theirs. */
        if (survive(r) < 0)
            return FARM_BROKEN;
        struct population swap = r->cur;
        r->cur = r->spare;
        r->spare = swap;
        if (pop_stats(&r->cur, &r->rank, &s) < 0)
            return FARM_BROKEN;
    }
    tm.eval_seconds = clock_now() - t0;
    tm.elapsed = elapsed(r);
    report_generation(&r->report, r->st.generation, &s, &tm, eta(r));
    report_sizes(&r->report, &r->st.log_size, &r->st.timing_size);
    return FARM_DONE;
}

/*
 * Whether the periodic checkpoint of the generation just scored is due:
 * every checkpoint_every generations, generation 0's always (a run can be
 * resumed from then on), the others when checkpoint_seconds have passed
 * since the last: a checkpoint costs an encoding and a fork beside the
 * run (the child writes and fsyncs), which a quick run would feel at every
 * generation. What a crash loses is then at most about checkpoint_seconds
 * plus checkpoint_every generations.
 */
static int checkpoint_due(const struct run *r)
{
    long every = r->cfg->output_checkpoint_every;
    if (every <= 0 || r->st.generation % every != 0)
        return 0;
    return r->st.generation == 0 || clock_now() - r->last_checkpoint >=
                                        r->cfg->output_checkpoint_seconds;
}

/* Writes checkpoint.bin for the state and r->cur, behind the run: its
 * fsyncs overlap the next generations (a failure shows at the next
 * checkpoint or at the end). Returns 0 or -1. */
static int write_checkpoint(struct run *r)
{
    r->last_checkpoint = clock_now();
    unsigned char *buf;
    size_t len;
    struct run_state st = r->st;
    st.elapsed = elapsed(r);
    if (checkpoint_encode(&r->key, &st, &r->cur, &buf, &len) < 0) {
        fprintf(stderr, "forkgp: out of memory for a checkpoint\n");
        return -1;
    }
    struct error err;
    int rc = report_write_behind(&r->report, CHECKPOINT_FILE, buf, len, &err);
    if (rc < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    free(buf);
    return rc;
}

/* The failures, by status, and how to replay the first few. */
static void print_failures(const struct run *r, FILE *out)
{
    const struct run_state *f = &r->st;
    uint64_t total = 0;
    for (int st = EVAL_ERROR; st < EVAL_NSTATUS; st++)
        total += f->fail_count[st];
    if (total == 0)
        return;
    fprintf(out, "failed evaluations: %llu (", (unsigned long long)total);
    const char *sep = "";
    for (int st = EVAL_ERROR; st < EVAL_NSTATUS; st++)
        if (f->fail_count[st]) {
            fprintf(out, "%s%s %llu", sep, eval_status_name(st),
                    (unsigned long long)f->fail_count[st]);
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
        fprintf(out,
                "\n    forkgp eval %s/config.ini --generation %ld "
                "--index %zu --program '%s'\n",
                r->report.dir, f->shown[i].generation, f->shown[i].index,
                f->shown[i].program);
    }
}

/* Writes population.csv: every individual of the last scored generation.
 * Made in one block, without stdio, whose calls cost more than the text
 * (a quick run's ending was mostly fprintf's). */
static int write_population(struct run *r, const struct population *p)
{
    struct buf b;
    buf_init(&b);
    size_t nodes = 0;
    for (size_t i = 0; i < p->n; i++)
        nodes += p->ind[i].tree.size;
    /* The usual size, so that the block rarely grows: about 5 bytes a
     * node, and the other columns. */
    char head[128];
    int n = snprintf(head, sizeof head, "index,status,%s,size,",
                     r->fitness.score_name);
    int ok = buf_reserve(&b, 128 + 8 * nodes +
                                 (96 + 25 * (size_t)p->nobjectives) * p->n) ==
                 0 &&
             buf_put(&b, head, (size_t)n) == 0;
    /* NSGA-II's further objectives, a column each (as in front.csv). */
    for (uint32_t j = 1; j <= p->nobjectives && ok; j++) {
        n = snprintf(head, sizeof head, "objective%u,", j);
        ok = buf_put(&b, head, (size_t)n) == 0;
    }
    ok = ok && buf_put(&b, "program\n", 8) == 0;
    for (size_t i = 0; i < p->n && ok; i++) {
        const struct individual *x = &p->ind[i];
        /* The columns before the program: at most 3 numbers of 24
         * characters and a status name. */
        char cols[128];
        n = snprintf(cols, sizeof cols, "%zu,%s,", i,
                     eval_status_name(x->status));
        if (x->status == EVAL_OK)
            n += infix_g17(cols + n, sizeof cols - (size_t)n, x->fitness);
        n += snprintf(cols + n, sizeof cols - (size_t)n, ",%u,", x->tree.size);
        ok = buf_put(&b, cols, (size_t)n) == 0;
        /* A failed individual's are empty, as its fitness is. */
        for (uint32_t j = 0; j < p->nobjectives && ok; j++) {
            n = j < x->nobjectives
                    ? infix_g17(cols, sizeof cols, x->objectives[j])
                    : 0;
            cols[n++] = ',';
            ok = buf_put(&b, cols, (size_t)n) == 0;
        }
        ok = ok && buf_put(&b, "\"", 1) == 0 &&
             model_of(&r->model, x) == 0 &&
             infix_append(&b, &r->model, &r->ps) == 0 &&
             buf_put(&b, "\"\n", 2) == 0;
    }
    int rc = -1;
    struct error err;
    if (!ok)
        fprintf(stderr, "forkgp: out of memory for population.csv\n");
    else if ((rc = report_write_behind(&r->report, "population.csv", b.data,
                                       b.len, &err)) < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    buf_release(&b);
    return rc;
}

/* Appends the model of x (its program with its scaling) to b, as infix
 * text. Returns 0 or -1 (out of memory). */
static int append_model(struct run *r, struct buf *b,
                        const struct individual *x)
{
    if (model_of(&r->model, x) < 0)
        return -1;
    return infix_append(b, &r->model, &r->ps);
}

static int write_front_of(struct run *r, const struct individual *const *rows,
                          size_t n, const char *metric);
static int write_front_many(struct run *r, const char *metric);

/*
 * Writes front.csv: the Pareto front of accuracy against size (a program's
 * nodes, its scaling's not counted), each size's best program the run has
 * seen that is better than every smaller one, with its train and test
 * scores (test empty without test data); and, unless quiet, prints it as
 * a table after the run. With nsga2, of the last generation alone (its
 * first front); with further objectives, that front on all of them, a
 * column each. Returns 0 or -1.
 */
static int write_front(struct run *r)
{
    const char *metric = r->fitness.score_name;
    if (r->objectives > 0)
        return write_front_many(r, metric);
    /* NSGA-II's answer is its last generation's first front: the best
     * of each size there that beats every smaller one. */
    struct front last;
    const struct front *fr = &r->st.front;
    if (r->nsga2) {
        memset(&last, 0, sizeof last);
        if (front_init(&last, r->cur.max_size) < 0 ||
            front_update(&last, &r->cur, r->fitness.maximise,
                         r->st.generation) < 0) {
            front_release(&last);
            fprintf(stderr, "forkgp: out of memory for front.csv\n");
            return -1;
        }
        fr = &last;
    }
    uint32_t *sizes = malloc(((size_t)fr->max_size + 1) * sizeof *sizes);
    const struct individual **rows =
        malloc(((size_t)fr->max_size + 1) * sizeof *rows);
    int rc = -1;
    if (!sizes || !rows) {
        fprintf(stderr, "forkgp: out of memory for front.csv\n");
    } else {
        size_t n = front_pareto(fr, r->fitness.maximise, sizes);
        for (size_t k = 0; k < n; k++)
            rows[k] = &fr->slot[sizes[k]].ind;
        rc = write_front_of(r, rows, n, metric);
    }
    free(sizes);
    free(rows);
    if (r->nsga2)
        front_release(&last);
    return rc;
}

/* The first front's order in front.csv: by size, then the error, then
 * the further objectives, then the index. */
static int by_front_row(const void *pa, const void *pb, int maximise)
{
    const struct individual *a = *(const struct individual *const *)pa,
                            *b = *(const struct individual *const *)pb;
    if (a->tree.size != b->tree.size)
        return a->tree.size < b->tree.size ? -1 : 1;
    double ea = maximise ? -a->fitness : a->fitness,
           eb = maximise ? -b->fitness : b->fitness;
    if (ea != eb)
        return ea < eb ? -1 : 1;
    for (uint32_t j = 0; j < a->nobjectives && j < b->nobjectives; j++)
        if (a->objectives[j] != b->objectives[j])
            return a->objectives[j] < b->objectives[j] ? -1 : 1;
    return a < b ? -1 : a > b; /* the lower index (in one population) */
}
static int by_front_row_min(const void *pa, const void *pb)
{
    return by_front_row(pa, pb, 0);
}
static int by_front_row_max(const void *pa, const void *pb)
{
    return by_front_row(pa, pb, 1);
}

/* front.csv under NSGA-II with further objectives: the last generation's
 * first front on all the objectives (error, size and the further ones),
 * each point once (its first copy), scored programs only. */
static int write_front_many(struct run *r, const char *metric)
{
    size_t n = r->cur.n;
    const struct individual **all = malloc((n ? n : 1) * sizeof *all);
    if (!all) {
        fprintf(stderr, "forkgp: out of memory for front.csv\n");
        return -1;
    }
    for (size_t i = 0; i < n; i++)
        all[i] = &r->cur.ind[i];
    if (nsga2_rank(&r->ns, all, n, r->fitness.maximise) < 0) {
        free(all);
        fprintf(stderr, "forkgp: out of memory for front.csv\n");
        return -1;
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (r->ns.rank[i] == 0 && r->cur.ind[i].status == EVAL_OK)
            all[k++] = &r->cur.ind[i];
    /* Each the program its scores measure, tuned constants written in, as
     * the run's front holds them (in index order: their addresses too). */
    struct population fp;
    int rc = -1;
    if (pop_init(&fp, k, r->cur.max_size) < 0 ||
        pop_keep_objectives(&fp, r->objectives) < 0) {
        fprintf(stderr, "forkgp: out of memory for front.csv\n");
    } else {
        for (size_t i = 0; i < k; i++) {
            pop_place(&fp, i);
            ind_copy_scored(&fp.ind[i], all[i]);
            all[i] = &fp.ind[i];
        }
        qsort(all, k, sizeof *all,
              r->fitness.maximise ? by_front_row_max : by_front_row_min);
        rc = write_front_of(r, all, k, metric);
    }
    pop_release(&fp);
    free(all);
    return rc;
}

/* Writes front.csv from its n rows, in order. */
static int write_front_of(struct run *r, const struct individual *const *rows,
                          size_t n, const char *metric)
{
    struct buf b, table;
    buf_init(&b);
    buf_init(&table);
    char line[256];
    /* A stochastic fitness's scores are one evaluation's each: the front
     * gets its programs' means over streams of their own too. */
    int again = r->fitness.stochastic;
    int len = snprintf(line, sizeof line, "size,train_%s,test_%s,%s%s%s",
                       metric, metric, again ? "rescored_" : "",
                       again ? metric : "", again ? "," : "");
    buf_put(&b, line, (size_t)len);
    /* The further objectives NSGA-II sorted on, by their place among the
     * scores: objectiveJ is scores[J]. */
    for (uint32_t j = 1; j <= r->objectives; j++) {
        len = snprintf(line, sizeof line, "objective%u,", j);
        buf_put(&b, line, (size_t)len);
    }
    buf_put(&b, "program\n", 8);
    const char *title = r->objectives > 0
                            ? "front: the last generation's first front\n"
                            : "front: the best program of each size\n";
    buf_put(&table, title, strlen(title));
    for (size_t k = 0; k < n; k++) {
        const struct individual *x = rows[k];
        uint32_t size = x->tree.size;
        double test[FGP_MAX_SCORES];
        int ts = plugin_test(r->plugin, &x->tree, test);
        char train_text[32], test_text[32] = "";
        infix_g17(train_text, sizeof train_text, x->fitness);
        if (ts == EVAL_OK)
            infix_g17(test_text, sizeof test_text, test[0]);
        else if (ts >= 0)
            snprintf(test_text, sizeof test_text, "invalid");
        struct rescore rs = {0, 0, NAN};
        char again_text[40] = "";
        if (again) {
            if (rescore_program(r->farm, &r->next, &x->tree, &rs) !=
                FARM_DONE)
                rs.mean = NAN; /* interrupted: left empty */
            if (!isnan(rs.mean))
                infix_g17(again_text, sizeof again_text, rs.mean);
            else if (rs.streams)
                snprintf(again_text, sizeof again_text, "invalid");
            strcat(again_text, ",");
        }
        len = snprintf(line, sizeof line, "%u,%s,%s,%s", size, train_text,
                       test_text, again_text);
        buf_put(&b, line, (size_t)len);
        for (uint32_t j = 0; j < x->nobjectives; j++) {
            len = infix_g17(line, sizeof line, x->objectives[j]);
            buf_put(&b, line, (size_t)len);
            buf_put(&b, ",", 1);
        }
        buf_put(&b, "\"", 1);
        append_model(r, &b, x);
        buf_put(&b, "\"\n", 2);
        len = snprintf(line, sizeof line, "size %u: train_%s %.6g", size,
                       metric, x->fitness);
        if (ts == EVAL_OK)
            len += snprintf(line + len, sizeof line - (size_t)len,
                            ", test_%s %.6g", metric, test[0]);
        if (!isnan(rs.mean))
            len += snprintf(line + len, sizeof line - (size_t)len,
                            ", rescored_%s %.6g", metric, rs.mean);
        for (uint32_t j = 0; j < x->nobjectives; j++)
            len += snprintf(line + len, sizeof line - (size_t)len,
                            ", objective%u %.6g", j + 1, x->objectives[j]);
        len += snprintf(line + len, sizeof line - (size_t)len, ": ");
        buf_put(&table, line, (size_t)len);
        append_model(r, &table, x);
        buf_put(&table, "\n", 1);
    }
    int rc = -1;
    struct error err;
    if (b.failed || table.failed)
        fprintf(stderr, "forkgp: out of memory for front.csv\n");
    else if ((rc = report_write_behind(&r->report, "front.csv",
                                       (const char *)b.data, b.len,
                                       &err)) < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    else if (!r->report.quiet)
        fwrite(table.data, 1, table.len, stdout);
    buf_release(&b);
    buf_release(&table);
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
    if (model_tree(&r->model, &r->st.best.tree, &r->st.best.scaling) < 0) {
        fclose(out);
        free(text);
        return -1;
    }
    infix_write(out, &r->model, &r->ps);
    fputc('\n', out);
    if (r->st.best.status == EVAL_OK)
        fprintf(out, "train_%s = %.17g\n", metric, r->st.best.fitness);
    else
        fprintf(out, "train_%s = invalid\n", metric);
    double test[FGP_MAX_SCORES];
    int status = plugin_test(r->plugin, &r->st.best.tree, test);
    if (status == EVAL_OK)
        fprintf(out, "test_%s = %.17g\n", metric, test[0]);
    else if (status >= 0)
        fprintf(out, "test_%s = invalid\n", metric);
    /* A stochastic fitness's best is its luckiest evaluation: its mean
     * over streams of its own says what it is worth. */
    struct rescore rs;
    if (r->fitness.stochastic &&
        rescore_program(r->farm, &r->next, &r->st.best.tree, &rs) ==
            FARM_DONE) {
        if (rs.valid)
            fprintf(out, "rescored_%s = %.17g\n", metric, rs.mean);
        else
            fprintf(out, "rescored_%s = invalid\n", metric);
        fprintf(out, "rescored_streams = %zu\nrescored_valid = %zu\n",
                rs.streams, rs.valid);
    }
    fprintf(out,
            "size = %u\ndepth = %d\ngeneration = %ld\nindex = %zu\n"
            "stopped = %s\nlast_generation = %ld\nevaluations = %llu\n",
            r->st.best.tree.size, tree_depth(&r->st.best.tree),
            r->st.best_generation, (size_t)r->st.best_index, stop_word[why],
            generations, (unsigned long long)r->st.evaluations);
    /* A scaled model's evolved program alone: what `forkgp eval` replays
     * with the generation and index above. */
    if (r->st.best.scaling.on) {
        fputs("program = ", out);
        infix_write(out, &r->st.best.tree, &r->ps);
        fputc('\n', out);
    }
    predict_write_variables(out, &r->ps);
    fclose(out);

    printf("stopped after generation %ld: %s\n", generations, stop_text[why]);
    printf("best program: %s", text); /* the rest are key = value lines */
    /* r->model: the best model (with its scaling), made above. */
    if (simplify_lines(&text, &len, stdout, &r->model, &r->ps,
                       plugin_dataset(r->plugin, r->cfg->data_train),
                       (int)r->cfg->output_digits) < 0)
        fprintf(stderr, "forkgp: out of memory for the simplified program\n");
    print_failures(r, stdout);
    fflush(stdout);
    /* A run whose every program was invalid ends normally, but its "best"
     * is no answer at all: the usual cause is data so large (or small)
     * that any prediction's error overflows. */
    if (r->st.best.status == EVAL_INVALID)
        fprintf(stderr,
                "forkgp: warning: no program had a valid %s: every "
                "evaluation gave inf or NaN (data of extreme magnitude, "
                "such as 1e300, overflows: rescale it)\n",
                metric);
    struct error err;
    int rc = report_write_behind(&r->report, "best.txt", text, len, &err);
    if (rc < 0)
        fprintf(stderr, "forkgp: %s\n", err.msg);
    free(text);
    return rc;
}

static void run_release(struct run *r)
{
    twins_release(&r->twins);
    tree_release(&r->model);
    farm_free(r->farm);
    pop_release(&r->cur);
    pop_release(&r->next);
    pop_release(&r->spare);
    nsga2_release(&r->ns);
    breed_release(&r->breed);
    rdo_cases_release(&r->truth);
    tree_release(&r->st.best.tree);
    front_release(&r->st.front);
    plugin_free(r->plugin);
    run_state_release_notes(&r->st);
}

/* The farm's settings from the config, for fitness f. */
static struct farm_options farm_options(const struct config *c,
                                        const struct fitness *f,
                                        uint32_t cases, uint32_t objectives)
{
    int fork = strcmp(c->run_backend, "mpi") != 0;
    struct farm_options fo = {
        .backend = fork ? FARM_BACKEND_FORK : FARM_BACKEND_MPI,
        .workers =
            c->run_workers < 0 ? farm_usable_cpus() : (int)c->run_workers,
        .eval_timeout = c->run_eval_timeout,
        .memory_mb = c->run_worker_memory_mb,
        .restart_limit = c->run_restart_limit,
        .stop_on_failure = strcmp(c->run_on_failure, "abort") == 0,
        .max_size = (uint32_t)c->tree_max_size,
        .cases = cases,
        .objectives = objectives,
        /* auto: workers only when they pay (see farm_eval); a plug-in's
         * evaluations always run in workers, for containment, and so do
         * any evaluations given a time or memory limit, which only
         * workers can enforce. */
        .adaptive = c->run_workers < 0 && f->builtin && fork &&
                    c->run_eval_timeout == 0 && c->run_worker_memory_mb == 0,
    };
    return fo;
}

/* The breeding plan from the config. */
static struct breed_options breed_options(const struct config *c)
{
    struct breed_options o = {
        .vp = {.max_depth = (int)c->tree_max_depth,
               .max_size = (uint32_t)c->tree_max_size,
               .mutation_max_depth = (int)c->tree_mutation_max_depth,
               .internal_bias = c->operators_internal_bias,
               .root_points = strcmp(c->operators_root_crossover, "never") != 0,
               .point_replace = c->operators_point_replace},
        .method = strcmp(c->selection_method, "lexicase") == 0
                      ? SELECT_LEXICASE
                  : strcmp(c->selection_method, "epsilon_lexicase") == 0
                      ? SELECT_EPSILON_LEXICASE
                  : strcmp(c->selection_method, "nsga2") == 0
                      ? SELECT_NSGA2
                      : SELECT_TOURNAMENT,
        .tournament_size = (int)c->operators_tournament_size,
        .elitism = (size_t)c->operators_elitism,
        .share = {[BREED_CROSSOVER] = c->operators_crossover,
                  [BREED_SUBTREE] = c->operators_subtree_mutation,
                  [BREED_POINT] = c->operators_point_mutation,
                  [BREED_HOIST] = c->operators_hoist_mutation,
                  [BREED_RDO] = c->operators_rdo,
                  [BREED_REPRODUCTION] = c->operators_reproduction},
        .population = (size_t)c->run_population,
        .islands = (size_t)c->islands_count,
        .migration_size = (size_t)c->islands_migration_size,
        .migration_interval = c->islands_migration_interval,
    };
    return o;
}

/* What a file of mode m is, for a message: what is not a regular file. */
static const char *file_kind(mode_t m)
{
    return S_ISDIR(m)                   ? "a folder"
           : S_ISFIFO(m)                ? "a named pipe"
           : S_ISCHR(m) || S_ISBLK(m)   ? "a device"
           : S_ISSOCK(m)                ? "a socket"
                                        : "not a regular file";
}

/*
 * Reads the checkpoint at path into in: only a regular file (a named pipe
 * would wait for a writer, a device never end), its head checked before
 * the rest is read, and no more than its size, which may not exceed what
 * a checkpoint of this configuration can be. Returns 0, -1 with a
 * message in err, or -2 with errno set when it cannot be opened.
 */
static int read_checkpoint_file(const char *path, const struct config *c,
                                struct buf *in, struct error *err)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -2;
    struct stat st;
    unsigned char head[CHECKPOINT_HEAD];
    size_t got = 0;
    int rc = 0;
    if (fstat(fd, &st) < 0)
        rc = error_set(err, "cannot read: %s", strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = error_set(err, "%s, not a checkpoint file",
                       file_kind(st.st_mode));
    else if ((uint64_t)st.st_size >
             checkpoint_max_len((size_t)c->run_population,
                                (uint32_t)c->tree_max_size))
        rc = error_set(err,
                       "%llu bytes: larger than a checkpoint of this "
                       "configuration can be",
                       (unsigned long long)st.st_size);
    /* The head first: what is not a checkpoint is not read further. */
    while (rc == 0 && got < sizeof head) {
        ssize_t n = read(fd, head + got, sizeof head - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = error_set(err, "cannot read: %s", strerror(errno));
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    if (rc == 0)
        rc = checkpoint_check_head(head, got, err);
    size_t size = (size_t)st.st_size;
    if (rc == 0) {
        if (buf_reserve(in, size > got ? size : got) == 0)
            buf_put(in, head, got);
        if (in->failed)
            rc = error_set(err, "out of memory");
    }
    /* The rest, up to the size it had: a file that grows meanwhile is
     * read no further (the checksum then tells). */
    while (rc == 0 && in->len < size) {
        ssize_t n = read(fd, in->data + in->len, size - in->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = error_set(err, "cannot read: %s", strerror(errno));
        if (n <= 0)
            break;
        in->len += (size_t)n;
    }
    close(fd);
    return rc;
}

/* Reads the run folder's checkpoint into r and checks that it fits this
 * configuration and data. Returns 0, or -1 after a message. */
static int load_checkpoint(struct run *r)
{
    const char *dir = r->cfg->output_dir;
    char path[PATH_MAX];
    struct buf in;
    struct error err;
    buf_init(&in);
    int rc = path_join(path, dir, CHECKPOINT_FILE) == 0
                 ? read_checkpoint_file(path, r->cfg, &in, &err)
                 : -2;
    if (rc == -2) {
        fprintf(stderr, "forkgp: cannot resume '%s': no checkpoint (%s)\n", dir,
                strerror(errno));
        return -1;
    }
    if (rc < 0) {
        fprintf(stderr, "forkgp: %s: %s\n", path, err.msg);
        buf_release(&in);
        return -1;
    }
    const unsigned char *buf = in.data;
    size_t len = in.len;
    struct checkpoint_key key;
    /* Whose checkpoint it is first, then whether its contents are sound:
     * another run's is named as such, not as "corrupted". */
    rc = checkpoint_read_key(buf, len, &key, &err);
    if (rc == 0 && key.config_hash != r->key.config_hash) {
        /* A --set that changes what the run computes is the likelier
         * cause than an edited config.ini: name it. */
        int k = 0;
        while (k < CONFIG_NKEYS &&
               (r->cfg->origin[k].line >= 0 || config_outside_hash(k)))
            k++;
        if (k < CONFIG_NKEYS)
            error_set(&err,
                      "written for another configuration: --set %s.%s "
                      "changes what the run computes (only the worker count, "
                      "the backend, the generation budget, checkpoint_every "
                      "and checkpoint_seconds may change on resume)",
                      config_keys[k].section, config_keys[k].name);
        else
            error_set(&err,
                      "written for another configuration than %s/config.ini "
                      "says now",
                      dir);
        rc = -1;
    } else if (rc == 0 && key.data_hash != r->key.data_hash) {
        error_set(&err, "the data or plug-in files have changed since it was "
                        "written");
        rc = -1;
    }
    if (rc == 0)
        rc = checkpoint_decode(buf, len, &key, &r->st, &r->cur, &r->ps, &err);
    buf_release(&in);
    if (rc < 0) {
        fprintf(stderr, "forkgp: %s: %s\n", path, err.msg);
        return -1;
    }
    if (strcmp(key.build, r->key.build) != 0)
        fprintf(stderr,
                "forkgp: warning: %s was written by another build "
                "(%s); the resumed run may differ from an "
                "uninterrupted one\n",
                path, key.build);
    return 0;
}

/* The end of a generation's scoring that did not complete, as a reason to
 * stop. */
static enum stop_reason farm_stop(int farm_result)
{
    return farm_result == FARM_INTERRUPTED ? STOP_SIGNAL
           : farm_result == FARM_FAILED    ? STOP_FAILED
                                           : STOP_BROKEN;
}

/* The manifest's start, compared with the manifest of the run that made
 * the config file, when it comes from a run folder: says if the data or
 * plug-in changed since. */
static void start_manifest(struct run *r, int workers)
{
    const struct plugin_file *files;
    size_t nfiles = plugin_files(r->plugin, &files);
    manifest_start(&r->manifest, workers, r->cfg->run_seed, r->key.config_hash,
                   files, nfiles);
    char *cfg_dir = strdup(r->cfg->file);
    if (!cfg_dir)
        return;
    char *slash = strrchr(cfg_dir, '/');
    if (slash)
        *slash = '\0';
    manifest_compare(slash ? cfg_dir : ".", &r->manifest);
    free(cfg_dir);
}

/*
 * setup: the fitness function reads its keys, loads its data and declares
 * the primitives; the populations are allocated; a resumed run reads its
 * checkpoint. Returns 0, or -1 with r->status set after a message.
 */
static int setup(struct run *r, const struct run_options *o)
{
    const struct config *c = r->cfg;
    struct error perr;
    r->plugin = plugin_load(r->cfg, &r->ps, &r->fitness, &perr);
    if (!r->plugin) {
        fprintf(stderr, "forkgp: %s\n", perr.msg);
        /* A stop signal while the setup waited (on a FIFO with no writer,
         * say) ends the run as a signal does, not as bad input. */
        r->status = stop_requested() ? 128 + stop_requested() : EXIT_INPUT;
        return -1;
    }
    r->rank.maximise = r->fitness.maximise;
    r->tunes_in_place = strcmp(c->optimize_lamarckian, "no") != 0 &&
                        (strcmp(c->optimize_method, "lm") == 0 ||
                         !r->fitness.builtin);
    r->rank.parsimony = c->fitness_parsimony;
    r->key.config_hash = config_hash(c);
    r->key.data_hash = plugin_data_hash(r->plugin);
    snprintf(r->key.build, sizeof r->key.build, "%s", FORKGP_BUILD);
    if (plugin_check_rdo(c, &r->fitness, &r->ps, &perr) < 0) {
        fprintf(stderr, "forkgp: %s\n", perr.msg);
        r->status = EXIT_INPUT;
        return -1;
    }
    uint32_t max_size = (uint32_t)c->tree_max_size;
    size_t n = (size_t)c->run_population;
    struct breed_options bo = breed_options(c);
    if (c->operators_rdo > 0.0) {
        if (rdo_cases_init(&r->truth, r->fitness.ncases, r->ps.nvars,
                           r->fitness.case_data) < 0) {
            fprintf(stderr, "forkgp: out of memory for the table of cases\n");
            r->status = EXIT_RUNTIME;
            return -1;
        }
        bo.cases = &r->truth;
    }
    if (pop_init(&r->cur, n, max_size) < 0 ||
        pop_init(&r->next, n, max_size) < 0 ||
        tree_init(&r->st.best.tree, max_size) < 0 ||
        tree_init(&r->model, max_size + MODEL_EXTRA_NODES) < 0 ||
        breed_init(&r->breed, &bo) < 0 ||
        front_init(&r->st.front, max_size) < 0 ||
        (strcmp(c->optimize_lamarckian, "no") == 0 &&
         (pop_keep_tuned(&r->cur) < 0 || pop_keep_tuned(&r->next) < 0))) {
        fprintf(stderr,
                "forkgp: out of memory for two generations of %zu programs "
                "of up to %u nodes: lower [run] population or [tree] "
                "max_size\n",
                n, max_size);
        return -1;
    }
    if (setup_cases(r) < 0)
        return -1;
    r->nsga2 = strcmp(c->selection_method, "nsga2") == 0;
    if (r->nsga2 &&
        (pop_init(&r->spare, n, max_size) < 0 ||
         (strcmp(c->optimize_lamarckian, "no") == 0 &&
          pop_keep_tuned(&r->spare) < 0))) {
        fprintf(stderr, "forkgp: out of memory for a population of %zu\n", n);
        return -1;
    }
    /* NSGA-II sorts on the fitness's further objectives too, when it
     * declares them; other runs keep none. */
    if (r->nsga2 && r->fitness.nobjectives > 0) {
        r->objectives = (uint32_t)r->fitness.nobjectives;
        if (pop_keep_objectives(&r->cur, r->objectives) < 0 ||
            pop_keep_objectives(&r->next, r->objectives) < 0 ||
            pop_keep_objectives(&r->spare, r->objectives) < 0) {
            fprintf(stderr, "forkgp: out of memory for the objectives\n");
            return -1;
        }
    }
    if (o->resume && load_checkpoint(r) < 0) {
        r->status = EXIT_INPUT;
        return -1;
    }
    /* A run that ended has nothing to resume: said, and left as it is;
     * unless it used its generation budget and a larger one is given
     * (forkgp resume --generations), which re-opens it. */
    if (o->resume && r->st.finished == STOP_GENERATIONS &&
        c->run_generations > r->st.generation)
        r->st.finished = 0;
    if (o->resume && r->st.finished > STOP_NONE &&
        r->st.finished <= STOP_TIME) {
        printf("the run in '%s' is complete: it stopped after generation "
               "%ld (%s); nothing to resume\n",
               c->output_dir, r->st.generation, stop_text[r->st.finished]);
        r->status = EXIT_OK;
        return -1;
    }
    r->first_generation = r->st.generation;
    r->last_checkpoint = clock_now(); /* resumed: the checkpoint just read */
    return 0;
}

/*
 * farm start: the farm forks its workers (after setup, before the first
 * evaluation), and the run folder opens. With MPI, the ranks other than 0
 * only evaluate, here, until rank 0 is done. Returns 0 to go on, or -1
 * with r->status set (EXIT_OK for an MPI rank that has served).
 */
static int start(struct run *r, const struct run_options *o)
{
    const struct config *c = r->cfg;
    struct farm_options fo = farm_options(c, &r->fitness, r->cases,
                                        r->objectives);
    start_manifest(r, fo.workers);
    struct error ferr;
    int served = farm_serve(&r->fitness, c->run_seed, &fo,
                            (size_t)c->run_population, &ferr);
    if (served != 0) {
        if (served < 0)
            fprintf(stderr, "forkgp: %s\n", ferr.msg);
        r->status = served > 0 ? EXIT_OK : EXIT_RUNTIME;
        return -1;
    }
    r->farm = farm_new(&r->fitness, c->run_seed, &fo, &ferr);
    if (!r->farm) {
        fprintf(stderr, "forkgp: %s\n", ferr.msg);
        return -1;
    }
    r->folder_open = 1;
    struct error err;
    struct report_options ro = {.dir = c->output_dir,
                                .score_name = r->fitness.score_name,
                                .quiet = o->quiet};
    /* config.ini: the effective configuration, what a repeat loads (a
     * resume with a new generation budget writes it again) */
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        fprintf(stderr, "forkgp: out of memory\n");
        return -1;
    }
    config_dump(c, mem);
    fclose(mem);
    int opened;
    if (o->resume) {
        opened = report_reopen(&r->report, &ro, r->st.log_size,
                               r->st.timing_size, &err);
        if (opened == 0 && c->origin[CFG_KEY_run_generations].line < 0)
            opened = report_write_file(&r->report, "config.ini", text, len,
                                       &err);
    } else {
        opened = report_open(&r->report, &ro, text, len, &err);
    }
    free(text);
    if (opened < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        r->status = o->resume ? EXIT_INPUT : EXIT_RUNTIME;
        return -1;
    }
    if (manifest_write(&r->report, &r->manifest, 1, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        return -1;
    }
    return 0;
}

/*
 * init and loop: generation 0 from the main stream (unless resumed), then
 * generation after generation until a reason to stop. Each generation is
 * bred from the last scored one and scored; one that cannot be scored in
 * full is dropped, so the state stays "generation st.generation scored and
 * reported". Returns why it stopped, or STOP_NONE after a failure (a
 * message said which; r->status is EXIT_RUNTIME).
 */
static enum stop_reason evolve(struct run *r, int resumed)
{
    const struct config *c = r->cfg;
    if (!resumed) {
        rng_derive(&r->st.rng, c->run_seed, RNG_MAIN, 0, 0);
        double t0 = clock_now();
        init_ramped(&r->cur, &r->ps, (int)c->tree_init_min_depth,
                    (int)c->tree_init_max_depth, &r->st.rng);
        int fr = score_generation(r, clock_now() - t0, 0);
        if (fr != FARM_DONE) {
            r->failed_generation = 0;
            return farm_stop(fr);
        }
    }
    for (;;) {
        /* Writers behind that are done: reaped (no zombie waits for the
         * next checkpoint), and a failed write stops the run now. */
        struct error err;
        if (report_poll(&r->report, &err) < 0) {
            fprintf(stderr, "forkgp: %s\n", err.msg);
            return STOP_NONE;
        }
        if (!resumed && checkpoint_due(r) && write_checkpoint(r) < 0)
            return STOP_NONE;
        resumed = 0;
        enum stop_reason why = should_stop(r);
        if (why != STOP_NONE)
            return why;
        struct rng before = r->st.rng;
        double t0 = clock_now();
        if (breed_next(&r->breed, &r->next, &r->cur, &r->ps, &r->rank,
                       r->st.generation, &r->st.rng) < 0) {
            fprintf(stderr, "forkgp: out of memory\n");
            return STOP_NONE;
        }
        struct population swap = r->cur;
        r->cur = r->next;
        r->next = swap;
        r->st.generation++;
        int fr = score_generation(r, clock_now() - t0, 1);
        if (fr == FARM_DONE)
            continue;
        /* Incomplete: drop it, back to the last scored generation. */
        swap = r->cur;
        r->cur = r->next;
        r->next = swap;
        r->failed_generation = r->st.generation;
        r->st.generation--;
        r->st.rng = before;
        return farm_stop(fr);
    }
}

/* finish: the run stopped for `why`: a checkpoint after a signal (Ctrl-C
 * then resume loses nothing), population.csv, best.txt and the final
 * lines. Sets r->status. */
static void finish_run(struct run *r, enum stop_reason why)
{
    struct farm_stats fs = {0};
    farm_get_stats(r->farm, &fs);
    if (why == STOP_BROKEN && fs.limit_too_small) {
        /* No worker can start under the limit: the configuration's
         * fault, not the fitness function's. */
        char where[1024];
        config_place(r->cfg, "run", "worker_memory_mb", where, sizeof where);
        fprintf(stderr,
                "forkgp: %s%lld MiB is too small to start a worker: a "
                "worker begins with more address space than that (the "
                "program, its libraries, the data setup loaded); raise it, "
                "or 0 for no limit\n",
                where, (long long)r->cfg->run_worker_memory_mb);
        r->status = EXIT_INPUT;
        return;
    }
    if (why == STOP_BROKEN)
        fprintf(stderr,
                "forkgp: generation %ld: workers died on more than %g of "
                "the evaluations: the fitness function, not one program, "
                "looks broken ([run] restart_limit)\n",
                r->failed_generation, r->cfg->run_restart_limit);
    if (why == STOP_SIGNAL && r->st.best_generation >= 0 &&
        write_checkpoint(r) < 0)
        return;
    int exit_why = why == STOP_SIGNAL ? 128 + stop_requested()
                   : why == STOP_BROKEN || why == STOP_FAILED ? EXIT_RUNTIME
                                                              : EXIT_OK;
    if (r->st.best_generation < 0) {
        fprintf(stderr,
                "forkgp: stopped before generation 0 was scored: "
                "%s\n",
                stop_text[why]);
        print_failures(r, stderr);
        r->status = exit_why;
        return;
    }
    if (write_population(r, &r->cur) < 0 || write_front(r) < 0 ||
        finish(r, why, r->st.generation) < 0)
        return;
    /* A last checkpoint marks a run that ended as ended, so that a resume
     * says so rather than going on from an earlier checkpoint. */
    if (why == STOP_GENERATIONS || why == STOP_TARGET || why == STOP_TIME) {
        r->st.finished = why;
        if (write_checkpoint(r) < 0)
            return;
    }
    r->status = exit_why;
}

/*
 * Closes the run folder: the final manifest, then waits for the files
 * written behind. The manifest goes out beside them, as if they land; when
 * one does not, the run failed after all, and the manifest is written
 * again to say so. It is written here, not behind: the run waits for the
 * others next anyway, and its fsyncs overlap theirs without a fork.
 */
static void close_report(struct run *r)
{
    struct error err;
    if (r->report.dir) {
        uint64_t failures = 0;
        for (int st = EVAL_ERROR; st < EVAL_NSTATUS; st++)
            failures += r->st.fail_count[st];
        struct farm_stats fs = {0};
        if (r->farm)
            farm_get_stats(r->farm, &fs);
        manifest_end(&r->manifest, r->status, r->st.evaluations, failures,
                     fs.workers_started);
        int wrote = manifest_write(&r->report, &r->manifest, 0, &err);
        if (wrote == 0 && report_settle(&r->report, &err) < 0)
            wrote = -1;
        if (wrote < 0) {
            fprintf(stderr, "forkgp: %s\n", err.msg);
            if (r->status == EXIT_OK) {
                r->status = EXIT_RUNTIME;
                manifest_end(&r->manifest, r->status, r->st.evaluations,
                             failures, fs.workers_started);
                if (manifest_write(&r->report, &r->manifest, 0, &err) < 0)
                    fprintf(stderr, "forkgp: %s\n", err.msg);
            }
        }
    }
    if (report_close(&r->report, &err) < 0) {
        fprintf(stderr, "forkgp: %s\n", err.msg);
        if (r->status == EXIT_OK)
            r->status = EXIT_RUNTIME;
    }
}

/* What the run ended with, for the caller. */
static void fill_result(const struct run *r, struct run_result *res)
{
    memset(res, 0, sizeof *res);
    res->status = r->status;
    res->best = NAN;
    res->last_generation = -1;
    snprintf(res->score_name, sizeof res->score_name, "%s",
             r->fitness.score_name);
    res->maximise = r->plugin ? r->fitness.maximise : -1;
    if (r->st.best_generation < 0)
        return;
    res->scored = 1;
    if (r->st.best.status == EVAL_OK)
        res->best = r->st.best.fitness;
    res->reached_target = r->stopped == STOP_TARGET;
    res->last_generation = r->st.generation;
    res->evaluations = r->st.evaluations;
}

int run_main(struct config *c, const struct run_options *o,
             struct run_result *res)
{
    /* On the heap: the primitive set's tables make it large. */
    struct run *r = calloc(1, sizeof *r);
    if (!r) {
        fprintf(stderr, "forkgp: out of memory\n");
        return EXIT_RUNTIME;
    }
    r->cfg = c;
    r->st.best_generation = -1;
    r->session_start = clock_now();
    r->status = EXIT_RUNTIME;
    if (setup(r, o) == 0 && start(r, o) == 0) {
        r->stopped = evolve(r, o->resume);
        if (r->stopped != STOP_NONE)
            finish_run(r, r->stopped);
    }
    if (r->folder_open)
        close_report(r);
    if (res)
        fill_result(r, res);
    int status = r->status;
    run_release(r);
    free(r);
    return status;
}
