/* test_checkpoint: engine/checkpoint.c round trips, and rejects every
 * truncated, changed or malformed buffer with a message, never a crash. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "forkgp.h"
#include "hash.h"
#include "init.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"

#define NVARS 3
#define CAP 120 /* every tree's room, as [tree] max_size */

static const char *const var_names[NVARS] = {"x", "y", "z"};

/*
 * Most built-ins (not tanh, not nor),
 * three variables, constants and ranges, and two plug-in symbols: f of
 * two arguments and the terminal t.
 */
static void make_primset(struct primset *ps)
{
    memset(ps, 0, sizeof *ps);
    for (int op = OP_ADD; op < OP_COUNT; op++)
        if (op != OP_TANH && op != OP_NOR)
            ps->funcs[ps->nfuncs++] = (uint16_t)op;
    ps->nvars = NVARS;
    for (int i = 0; i < NVARS; i++)
        ps->var_names[i] = var_names[i];
    ps->consts[ps->nconsts++] = 1.0;
    ps->consts[ps->nconsts++] = 3.14159265358979323846;
    ps->range_lo[0] = -1;
    ps->range_hi[0] = 1;
    ps->nranges = 1;
    struct error err;
    assert_int_equal(prim_add_symbol(ps, "f", 2, &err), 0);
    assert_int_equal(prim_add_symbol(ps, "t", 0, &err), 1);
}

/* A random tree that fits CAP, from init_tree. */
static void random_tree(struct tree *t, const struct primset *ps, struct rng *r)
{
    for (;;) {
        enum init_method how = rng_below(r, 2) ? INIT_FULL : INIT_GROW;
        int depth = (int)rng_below(r, 7);
        if (init_tree(t, ps, how, 1, depth, r) == 0)
            return;
    }
}

static uint64_t rng_u64(struct rng *r)
{
    return (uint64_t)rng_u32(r) << 32 | rng_u32(r);
}

/* A fitness value: ordinary mostly, sometimes one that a text format
 * would lose (NaN with a payload, -0, infinities, subnormals). */
static double random_fitness(struct rng *r)
{
    static const double odd[] = {0.0,     -0.0,    INFINITY, -INFINITY,
                                 DBL_MAX, DBL_MIN, 4.9e-324, -DBL_MAX};
    uint32_t k = rng_below(r, 12);
    if (k < (uint32_t)(sizeof odd / sizeof odd[0]))
        return odd[k];
    if (k == 8) {
        uint64_t bits = 0x7ff8000000000000ULL | (rng_u64(r) & 0xfffffULL);
        double x;
        memcpy(&x, &bits, sizeof x);
        return x;
    }
    return rng_normal(r) * 1e3;
}

/* A program text for a failure note: empty, short or long. */
static char *random_program(struct rng *r, int long_ones)
{
    size_t n = rng_below(r, 3) == 0 ? 0 : rng_below(r, 200);
    if (long_ones && rng_below(r, 4) == 0)
        n = 70000;
    char *s = malloc(n + 1);
    assert_non_null(s);
    for (size_t i = 0; i < n; i++)
        s[i] = (char)(' ' + rng_below(r, 95));
    s[n] = '\0';
    return s;
}

/* What a checkpoint holds: key, state and population. */
struct fixture {
    struct primset ps;
    struct checkpoint_key key;
    struct run_state st;
    struct population pop;
};

/* Whether the populations made below keep tuned constants apart
 * (lamarckian = no). */
static int keep_tuned;
/* And how many case errors they keep (lexicase); 0: none. */
static uint32_t keep_errors;
/* And how many further objectives (NSGA-II); 0: none. */
static uint32_t keep_objectives;

/* Room for a decode: a state whose best has CAP, n individuals. */
static void make_target(struct run_state *st, struct population *p, size_t n)
{
    memset(st, 0, sizeof *st);
    assert_int_equal(tree_init(&st->best.tree, CAP), 0);
    assert_int_equal(pop_init(p, n, CAP), 0);
    if (keep_tuned)
        assert_int_equal(pop_keep_tuned(p), 0);
    if (keep_errors)
        assert_int_equal(pop_keep_errors(p, keep_errors), 0);
    if (keep_objectives)
        assert_int_equal(pop_keep_objectives(p, keep_objectives), 0);
    assert_int_equal(front_init(&st->front, CAP), 0);
}

static void release_target(struct run_state *st, struct population *p)
{
    tree_release(&st->best.tree);
    run_state_release_notes(st);
    front_release(&st->front);
    pop_release(p);
}

/* A random fixture of n individuals with nshown failure notes (some
 * 70000 bytes long when long_notes). */
static void make_fixture_notes(struct fixture *fx, uint64_t seed, size_t n,
                               int nshown, int long_notes)
{
    struct rng r;
    rng_seed(&r, seed, 7);
    make_primset(&fx->ps);
    fx->key.config_hash = rng_u64(&r);
    fx->key.data_hash = rng_u64(&r);
    snprintf(fx->key.build, sizeof fx->key.build, "forkgp test %llu",
             (unsigned long long)seed);
    make_target(&fx->st, &fx->pop, n);
    struct run_state *st = &fx->st;
    st->generation = (long)rng_below(&r, 1000000);
    st->rng.state = rng_u64(&r);
    st->rng.inc = rng_u64(&r) | 1;
    st->elapsed = rng_double(&r) * 1e5;
    st->log_size = rng_u64(&r);
    st->timing_size = rng_u64(&r);
    random_tree(&st->best.tree, &fx->ps, &r);
    st->best.fitness = random_fitness(&r);
    st->best.status = (int)rng_below(&r, EVAL_NSTATUS);
    st->best.detail = (int)rng_u32(&r);
    st->best_generation = (long)rng_below(&r, (uint32_t)st->generation + 1);
    st->best_index = rng_below(&r, (uint32_t)n);
    st->evaluations = rng_u64(&r);
    for (int i = 0; i < EVAL_NSTATUS; i++)
        st->fail_count[i] = rng_u64(&r);
    for (int i = 0; i < nshown; i++) {
        struct failure_note *f = &st->shown[i];
        f->generation = (long)rng_below(&r, (uint32_t)st->generation + 1);
        f->index = rng_below(&r, (uint32_t)n);
        f->status = EVAL_ERROR + (int)rng_below(&r, EVAL_NSTATUS - EVAL_ERROR);
        f->detail = (int)rng_u32(&r);
        f->program = random_program(&r, long_notes);
        st->nshown = i + 1;
    }
    for (size_t i = 0; i < n; i++) {
        struct individual *x = &fx->pop.ind[i];
        random_tree(&x->tree, &fx->ps, &r);
        x->fitness = random_fitness(&r);
        x->status = (int)rng_below(&r, EVAL_NSTATUS);
        x->detail = (int)rng_u32(&r);
    }
}

static void make_fixture(struct fixture *fx, uint64_t seed, size_t n,
                         int nshown)
{
    make_fixture_notes(fx, seed, n, nshown, 0);
}

static void release_fixture(struct fixture *fx)
{
    release_target(&fx->st, &fx->pop);
}

static void encode(const struct fixture *fx, unsigned char **buf, size_t *len)
{
    assert_int_equal(checkpoint_encode(&fx->key, &fx->st, &fx->pop, buf, len),
                     0);
}

static void assert_same_individual(const struct individual *a,
                                   const struct individual *b)
{
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->detail, b->detail);
    assert_memory_equal(&a->fitness, &b->fitness, sizeof a->fitness);
    assert_int_equal(a->tree.size, b->tree.size);
    assert_memory_equal(a->tree.nodes, b->tree.nodes,
                        a->tree.size * sizeof(struct node));
    assert_int_equal(a->ntuned, b->ntuned);
    if (a->ntuned)
        assert_memory_equal(a->tuned, b->tuned, a->ntuned * sizeof(double));
    assert_int_equal(a->nerrors, b->nerrors);
    if (a->nerrors)
        assert_memory_equal(a->errors, b->errors, a->nerrors * sizeof(float));
    assert_int_equal(a->nobjectives, b->nobjectives);
    if (a->nobjectives)
        assert_memory_equal(a->objectives, b->objectives,
                            a->nobjectives * sizeof(double));
}

/* Decodes buf into a fresh target and checks it equals fx, bit for bit. */
static void check_round_trip(const struct fixture *fx, const unsigned char *buf,
                             size_t len)
{
    struct checkpoint_key key;
    struct run_state st;
    struct population p;
    make_target(&st, &p, fx->pop.n);
    struct error err = {""};
    int rc =
        checkpoint_decode(buf, len, &key, &st, &p, &fx->ps, &err);
    if (rc != 0)
        fail_msg("decode failed: %s", err.msg);
    assert_true(key.config_hash == fx->key.config_hash);
    assert_true(key.data_hash == fx->key.data_hash);
    assert_string_equal(key.build, fx->key.build);
    const struct run_state *w = &fx->st;
    assert_true(st.generation == w->generation);
    assert_true(st.rng.state == w->rng.state);
    assert_true(st.rng.inc == w->rng.inc);
    assert_memory_equal(&st.elapsed, &w->elapsed, sizeof st.elapsed);
    assert_true(st.log_size == w->log_size);
    assert_true(st.timing_size == w->timing_size);
    assert_true(st.best_generation == w->best_generation);
    assert_true(st.best_index == w->best_index);
    assert_same_individual(&st.best, &w->best);
    assert_true(st.evaluations == w->evaluations);
    for (int i = 0; i < EVAL_NSTATUS; i++)
        assert_true(st.fail_count[i] == w->fail_count[i]);
    assert_int_equal(st.nshown, w->nshown);
    for (int i = 0; i < st.nshown; i++) {
        assert_true(st.shown[i].generation == w->shown[i].generation);
        assert_true(st.shown[i].index == w->shown[i].index);
        assert_int_equal(st.shown[i].status, w->shown[i].status);
        assert_int_equal(st.shown[i].detail, w->shown[i].detail);
        assert_string_equal(st.shown[i].program,
                            w->shown[i].program ? w->shown[i].program : "");
    }
    assert_int_equal(st.finished, w->finished);
    assert_int_equal(p.n, fx->pop.n);
    for (size_t i = 0; i < p.n; i++)
        assert_same_individual(&p.ind[i], &fx->pop.ind[i]);
    for (uint32_t s = 1; s <= CAP; s++) {
        const struct front_entry *a = &st.front.slot[s], *b =
                                         &w->front.slot[s];
        assert_int_equal(a->ind.tree.size, b->ind.tree.size);
        if (a->ind.tree.size == 0)
            continue;
        assert_same_individual(&a->ind, &b->ind);
        assert_true(a->generation == b->generation);
        assert_true(a->index == b->index);
    }
    /* Encoding what was decoded gives the same bytes: one encoding. */
    unsigned char *again;
    size_t again_len;
    assert_int_equal(checkpoint_encode(&key, &st, &p, &again, &again_len), 0);
    assert_int_equal(again_len, len);
    assert_memory_equal(again, buf, len);
    free(again);
    release_target(&st, &p);
}

static void test_round_trip(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 30; seed++) {
        struct fixture fx;
        make_fixture_notes(&fx, seed, 1 + seed * 7 % 60,
                           (int)(seed % (SHOWN_FAILURES + 1)), 1);
        unsigned char *buf;
        size_t len;
        /* Every other seed with a front: the population's scored ones,
         * as found in generation 0 or later. */
        if (seed % 2 == 0)
            assert_int_equal(front_update(&fx.st.front, &fx.pop, 0, 0), 0);
        fx.st.finished = (int)(seed % 4); /* a run ended, and why */
        encode(&fx, &buf, &len);
        check_round_trip(&fx, buf, len);
        free(buf);
        release_fixture(&fx);
    }
}

/* The checkpoint in buf is refused where the population it is read into
 * keeps one more of what *keep counts, or none. */
static void refused_elsewhere(struct fixture *fx, const unsigned char *buf,
                              size_t len, uint32_t *keep)
{
    uint32_t saved = *keep;
    for (int other = 0; other < 2; other++) {
        *keep = other ? 0 : saved + 1;
        struct checkpoint_key key;
        struct run_state st;
        struct population p;
        make_target(&st, &p, fx->pop.n);
        struct error err = {""};
        assert_int_equal(
            checkpoint_decode(buf, len, &key, &st, &p, &fx->ps, &err), -1);
        release_target(&st, &p);
    }
    *keep = saved;
}

/* Case errors (lexicase) come back bit for bit, infinities too; where the
 * population keeps another number of them, or none, the checkpoint is
 * refused. */
static void test_round_trip_errors(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        keep_errors = 3 + (uint32_t)seed;
        struct fixture fx;
        make_fixture(&fx, seed, 1 + seed * 7 % 30, 0);
        struct rng r;
        rng_seed(&r, seed, 11);
        size_t ok = 0;
        for (size_t i = 0; i < fx.pop.n; i++) {
            struct individual *x = &fx.pop.ind[i];
            float e[16];
            for (uint32_t k = 0; k < keep_errors; k++)
                e[k] = k == 1 ? INFINITY : (float)rng_double(&r);
            if (x->status == EVAL_OK) {
                assert_int_equal(ind_set_errors(x, e, keep_errors,
                                                keep_errors), 0);
                ok++;
            }
        }
        unsigned char *buf;
        size_t len;
        encode(&fx, &buf, &len);
        check_round_trip(&fx, buf, len);
        if (ok)
            refused_elsewhere(&fx, buf, len, &keep_errors);
        free(buf);
        release_fixture(&fx);
    }
    keep_errors = 0;
}

/* Further objectives (NSGA-II) come back bit for bit, infinities too;
 * where the population keeps another number of them, or none, the
 * checkpoint is refused. */
static void test_round_trip_objectives(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 10; seed++) {
        keep_objectives = 1 + (uint32_t)seed % (FGP_MAX_SCORES - 1);
        struct fixture fx;
        make_fixture(&fx, seed, 1 + seed * 7 % 30, 0);
        struct rng r;
        rng_seed(&r, seed, 13);
        size_t ok = 0;
        for (size_t i = 0; i < fx.pop.n; i++) {
            struct individual *x = &fx.pop.ind[i];
            double sc[FGP_MAX_SCORES];
            for (uint32_t k = 0; k < FGP_MAX_SCORES; k++)
                sc[k] = k == 2 ? -INFINITY : rng_double(&r) - 0.5;
            if (x->status == EVAL_OK) {
                assert_int_equal(ind_set_objectives(x, sc, FGP_MAX_SCORES,
                                                    keep_objectives),
                                 0);
                ok++;
            }
        }
        unsigned char *buf;
        size_t len;
        encode(&fx, &buf, &len);
        check_round_trip(&fx, buf, len);
        if (ok)
            refused_elsewhere(&fx, buf, len, &keep_objectives);
        free(buf);
        release_fixture(&fx);
    }
    keep_objectives = 0;
}

/* Tuned constants kept apart (lamarckian = no) come back bit for bit,
 * and the front and best hold the scored program, constants written in. */
static void test_round_trip_tuned(void **state)
{
    (void)state;
    keep_tuned = 1;
    for (uint64_t seed = 1; seed <= 20; seed++) {
        struct fixture fx;
        make_fixture(&fx, seed, 1 + seed * 5 % 40, 0);
        struct rng r;
        rng_seed(&r, seed, 9);
        size_t kept = 0;
        for (size_t i = 0; i < fx.pop.n; i++) {
            struct individual *x = &fx.pop.ind[i];
            double v[CAP];
            uint32_t n = tree_get_constants(&x->tree, v);
            for (uint32_t k = 0; k < n; k++)
                v[k] += 1.0 + rng_double(&r);
            if (x->status == EVAL_OK) {
                assert_int_equal(ind_set_tuned(x, v, n), 0);
                assert_int_equal(x->ntuned, n);
                kept += n > 0;
            }
            /* One constant too many is refused. */
            assert_int_equal(ind_set_tuned(x, v, n + 1), -1);
        }
        assert_int_equal(front_update(&fx.st.front, &fx.pop, 0, 0), 0);
        for (uint32_t sz = 1; sz <= CAP; sz++) {
            const struct front_entry *e = &fx.st.front.slot[sz];
            assert_int_equal(e->ind.ntuned, 0);
            if (e->ind.tree.size == 0)
                continue;
            const struct individual *x = &fx.pop.ind[e->index];
            double v[CAP];
            uint32_t n = tree_get_constants(&e->ind.tree, v);
            assert_int_equal(n, x->ntuned ? x->ntuned : n);
            if (x->ntuned)
                assert_memory_equal(v, x->tuned, n * sizeof(double));
        }
        unsigned char *buf;
        size_t len;
        encode(&fx, &buf, &len);
        check_round_trip(&fx, buf, len);
        /* Where the population keeps none, constants kept apart are
         * refused. */
        if (kept) {
            keep_tuned = 0;
            struct checkpoint_key key;
            struct run_state st;
            struct population p;
            make_target(&st, &p, fx.pop.n);
            struct error err = {""};
            assert_int_equal(
                checkpoint_decode(buf, len, &key, &st, &p, &fx.ps, &err), -1);
            release_target(&st, &p);
            keep_tuned = 1;
        }
        free(buf);
        release_fixture(&fx);
    }
    keep_tuned = 0;
}

/* The largest and smallest of everything. */
static void test_round_trip_extremes(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 99, 3, 0);
    struct run_state *st = &fx.st;
    fx.key.config_hash = UINT64_MAX;
    fx.key.data_hash = 0;
    memset(fx.key.build, 'b', sizeof fx.key.build - 1); /* 127: the most */
    fx.key.build[sizeof fx.key.build - 1] = '\0';
    st->generation = LONG_MAX;
    st->best_generation = LONG_MAX;
    st->rng.state = UINT64_MAX;
    st->rng.inc = UINT64_MAX;
    st->elapsed = DBL_MAX;
    st->log_size = UINT64_MAX;
    st->timing_size = 0;
    st->best_index = 2; /* the last individual: indices must point in */
    st->evaluations = UINT64_MAX;
    st->best.status = EVAL_PROTOCOL;
    st->best.detail = INT_MIN;
    st->best.fitness = -INFINITY;
    /* The best is as big as a tree can be: -f(t, f(t, ... f(t, t))). */
    struct tree *t = &st->best.tree;
    uint16_t f = fx.ps.sym_ops[0], term = fx.ps.sym_ops[1];
    t->nodes[0] = (struct node){.op = OP_NEG};
    for (uint32_t i = 1; i < CAP; i++)
        t->nodes[i] =
            (struct node){.op = i % 2 == 0 || i == CAP - 1 ? term : f};
    t->size = CAP;
    assert_int_equal(tree_check(t, NVARS), 0);
    tree_set_shape(t);
    for (int i = 0; i < SHOWN_FAILURES; i++) {
        struct failure_note *n = &st->shown[i];
        n->generation = i == 0 ? LONG_MAX : 0;
        n->index = i == 0 ? 2 : 0;
        n->status = EVAL_NSTATUS - 1;
        n->detail = i == 0 ? INT_MAX : INT_MIN;
        n->program = i == 1 ? NULL : strdup(i == 2 ? "" : "x + 1");
        st->nshown = i + 1;
    }
    /* A lone variable; a lone constant (NaN); a lone terminal symbol. */
    struct node one[3] = {{.op = OP_VAR, .var = NVARS - 1, .span = 1},
                          {.op = OP_CONST, .span = 1, .value = NAN},
                          {.op = term, .span = 1}};
    for (int i = 0; i < 3; i++) {
        fx.pop.ind[i].tree.nodes[0] = one[i];
        fx.pop.ind[i].tree.size = 1;
    }
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    check_round_trip(&fx, buf, len);
    free(buf);
    release_fixture(&fx);
}

/* A decode into a state that holds notes frees them (valgrind, ASan). */
static void test_decode_replaces_notes(void **state)
{
    (void)state;
    struct fixture a, b;
    make_fixture(&a, 5, 10, 3);
    make_fixture(&b, 6, 10, 5);
    unsigned char *buf;
    size_t len;
    encode(&a, &buf, &len);
    struct checkpoint_key key;
    struct error err = {""};
    assert_int_equal(checkpoint_decode(buf, len, &key, &b.st, &b.pop, &b.ps,
                                       &err),
                     0);
    assert_int_equal(b.st.nshown, 3);
    assert_string_equal(b.st.shown[2].program, a.st.shown[2].program);
    free(buf);
    release_fixture(&a);
    release_fixture(&b);
}

/* ---- the layout, read independently of checkpoint.c ---------------------- */

#define MAX_IND 64

/* Offsets of the fields of a valid checkpoint. */
struct layout {
    size_t build; /* the build string's length (u32) */
    size_t gen, rng_state, rng_inc, elapsed, log, timing, best_gen, best_index;
    size_t best; /* the best individual: status i32, detail i32, fitness,
                    scaled i32, intercept, slope, size u32, nodes */
    size_t evaluations, fail, nshown;
    size_t note[SHOWN_FAILURES]; /* generation, index, status, detail */
    size_t note_len[SHOWN_FAILURES];
    size_t n, ind[MAX_IND];
    size_t front; /* the front's count (u32), then its entries */
    size_t finished;
    size_t sum;
};

enum {
    IND_STATUS = 0,
    IND_DETAIL = 4,
    IND_FITNESS = 8,
    IND_SCALED = 16,
    IND_INTERCEPT = 20,
    IND_SLOPE = 28,
    IND_SIZE = 36,
    IND_NODES = 40
};

static uint32_t read_u32(const unsigned char *b, size_t off)
{
    uint32_t v;
    memcpy(&v, b + off, sizeof v);
    return v;
}

static uint64_t read_u64(const unsigned char *b, size_t off)
{
    uint64_t v;
    memcpy(&v, b + off, sizeof v);
    return v;
}

static void write_u16(unsigned char *b, size_t off, uint16_t v)
{
    memcpy(b + off, &v, sizeof v);
}

static void write_u32(unsigned char *b, size_t off, uint32_t v)
{
    memcpy(b + off, &v, sizeof v);
}

static void write_u64(unsigned char *b, size_t off, uint64_t v)
{
    memcpy(b + off, &v, sizeof v);
}

static size_t skip_individual(const unsigned char *b, size_t off)
{
    off += IND_NODES + read_u32(b, off + IND_SIZE) * sizeof(struct node);
    off += 4 + read_u32(b, off) * sizeof(double); /* tuned constants */
    off += 4 + read_u32(b, off) * sizeof(float);  /* case errors */
    return off + 4 + read_u32(b, off) * sizeof(double); /* objectives */
}

/* Where an individual's count of objectives lies. */
static size_t objectives_at(const unsigned char *b, size_t off)
{
    off += IND_NODES + read_u32(b, off + IND_SIZE) * sizeof(struct node);
    off += 4 + read_u32(b, off) * sizeof(double);
    return off + 4 + read_u32(b, off) * sizeof(float);
}

static void read_layout(const unsigned char *b, size_t len, struct layout *l)
{
    assert_int_equal(sizeof(struct node), 16);
    memset(l, 0, sizeof *l);
    assert_memory_equal(b, "FGPCKPT", 8);
    assert_int_equal(read_u32(b, 8), CHECKPOINT_VERSION);
    l->build = 28;
    size_t off = l->build + 4 + read_u32(b, l->build);
    size_t *fixed[] = {&l->gen, &l->rng_state, &l->rng_inc,  &l->elapsed,
                       &l->log, &l->timing,    &l->best_gen, &l->best_index};
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++, off += 8)
        *fixed[i] = off;
    l->best = off;
    off = skip_individual(b, off);
    l->evaluations = off;
    off += 8;
    l->fail = off;
    off += 8 * EVAL_NSTATUS;
    l->nshown = off;
    int nshown = (int)read_u32(b, off);
    off += 4;
    for (int i = 0; i < nshown; i++) {
        l->note[i] = off;
        off += 24;
        l->note_len[i] = off;
        off += 4 + read_u32(b, off);
    }
    l->n = off;
    uint64_t n = read_u64(b, off);
    assert_true(n <= MAX_IND);
    off += 8;
    for (uint64_t i = 0; i < n; i++) {
        l->ind[i] = off;
        off = skip_individual(b, off);
    }
    /* The fixtures' fronts are empty: a count of 0. */
    l->front = off;
    assert_int_equal(read_u32(b, off), 0);
    off += 4;
    l->finished = off; /* whether the run ended */
    off += 4;
    l->sum = off;
    assert_int_equal(off + 8, len);
}

/*
 * The checksum, written again from its description in checkpoint.c: four
 * lanes of 64-bit words (host order, the last zero-padded), XXH64's round,
 * folded into the length, avalanched.
 */
static uint64_t ref_checksum(const unsigned char *p, size_t n)
{
    const uint64_t k1 = 0x9e3779b185ebca87ULL, k2 = 0xc2b2ae3d27d4eb4fULL,
                   k3 = 0x165667b19e3779f9ULL;
    uint64_t lane[4];
    for (int k = 0; k < 4; k++)
        lane[k] = 0xcbf29ce484222325ULL ^ (uint64_t)k;
    for (size_t i = 0; i < n; i += 8) {
        uint64_t w = 0;
        memcpy(&w, p + i, n - i < 8 ? n - i : 8);
        uint64_t *h = &lane[i / 8 % 4];
        *h += w * k2;
        *h = (*h << 31 | *h >> 33) * k1;
    }
    uint64_t h = n;
    for (int k = 0; k < 4; k++)
        h = (h ^ lane[k]) * k1;
    h = (h ^ h >> 33) * k2;
    h = (h ^ h >> 29) * k3;
    return h ^ h >> 32;
}

/* What format version 1 ended in: FNV-1a 64, a byte at a time. */
static uint64_t fnv1a(const unsigned char *p, size_t n)
{
    return hash_bytes(p, n);
}

/* Makes the checksum right again after a change inside. */
static void reseal(unsigned char *b, size_t len)
{
    write_u64(b, len - 8, ref_checksum(b, len - 8));
}

/*
 * Decodes buf into a fresh target of n individuals (cap CAP) with primset
 * ps and returns the result; *err gets the message.
 */
static int decode_n(const unsigned char *buf, size_t len, size_t n,
                    const struct primset *ps, struct error *err)
{
    struct checkpoint_key key;
    struct run_state st;
    struct population p;
    make_target(&st, &p, n);
    error_clear(err);
    int rc = checkpoint_decode(buf, len, &key, &st, &p, ps, err);
    if (rc == 0)
        for (size_t i = 0; i < p.n; i++)
            assert_int_equal(tree_check(&p.ind[i].tree, ps->nvars), 0);
    release_target(&st, &p);
    return rc;
}

/* Asserts that buf is rejected with a message holding `want`. */
static void expect_reject(const unsigned char *buf, size_t len,
                          const struct fixture *fx, const char *want,
                          const char *what)
{
    struct error err = {""};
    int rc = decode_n(buf, len, fx->pop.n, &fx->ps, &err);
    if (rc != -1)
        fail_msg("%s: accepted (rc %d)", what, rc);
    if (!strstr(err.msg, want))
        fail_msg("%s: message '%s' lacks '%s'", what, err.msg, want);
}

/* ---- truncation and changed bytes -----------------------------------------
 */

static void test_every_truncation(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 11, 6, 2);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    for (size_t cut = 0; cut < len; cut++) {
        /* A copy of exactly cut bytes, so that ASan sees any overread. */
        unsigned char *part = malloc(cut ? cut : 1);
        assert_non_null(part);
        memcpy(part, buf, cut);
        char what[64];
        snprintf(what, sizeof what, "%zu of %zu bytes", cut, len);
        expect_reject(part, cut, &fx, "truncated", what);
        free(part);
    }
    free(buf);
    release_fixture(&fx);
}

static void test_every_byte_changed(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 12, 5, 2);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    static const unsigned char flips[] = {0x01, 0x80, 0xff};
    for (size_t at = 0; at < len; at++)
        for (size_t k = 0; k < sizeof flips + 1; k++) {
            unsigned char was = buf[at];
            buf[at] = k < sizeof flips ? was ^ flips[k] : 0;
            if (buf[at] == was)
                continue;
            char what[64];
            snprintf(what, sizeof what, "byte %zu of %zu: %02x -> %02x", at,
                     len, was, buf[at]);
            /* An older version still read: the checksum catches it. */
            uint32_t v = read_u32(buf, 8);
            const char *want = at < 8 ? "not a forkgp checkpoint"
                               : at < 12 && (v < CHECKPOINT_VERSION_OLDEST ||
                                             v > CHECKPOINT_VERSION)
                                   ? "format version"
                                   : "checksum";
            expect_reject(buf, len, &fx, want, what);
            buf[at] = was;
        }
    free(buf);
    release_fixture(&fx);
}

/* The version is read before the checksum: its message names both. */
static void test_version(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 13, 4, 1);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    char want[128];
    snprintf(want, sizeof want,
             "format version %u, but this forkgp reads version %u",
             CHECKPOINT_VERSION + 1, CHECKPOINT_VERSION);
    write_u32(buf, 8, CHECKPOINT_VERSION + 1);
    expect_reject(buf, len, &fx, want, "a later version");
    reseal(buf, len); /* with a right checksum too */
    expect_reject(buf, len, &fx, want, "a later version, resealed");
    write_u32(buf, 8, 0);
    expect_reject(buf, len, &fx, "format version 0", "version 0");
    write_u32(buf, 8, CHECKPOINT_VERSION);
    reseal(buf, len);
    struct error err = {""};
    assert_int_equal(decode_n(buf, len, fx.pop.n, &fx.ps, &err), 0);
    free(buf);
    release_fixture(&fx);
}

/* Makes buf (len bytes, of a fixture without objectives, its front empty)
 * a checkpoint of format version 6: without each individual's count of
 * further objectives (0 each), the best's first. */
static void to_version_6(unsigned char *buf, size_t *len)
{
    struct layout l;
    read_layout(buf, *len, &l);
    size_t n = read_u64(buf, l.n);
    /* From the last, so that the offsets before stay right. */
    for (size_t i = n + 1; i-- > 0;) {
        size_t at = objectives_at(buf, i == 0 ? l.best : l.ind[i - 1]);
        assert_int_equal(read_u32(buf, at), 0);
        memmove(buf + at, buf + at + 4, *len - at - 4);
        *len -= 4;
    }
    write_u32(buf, 8, 6);
    reseal(buf, *len);
}

/* A checkpoint of format version 6, without objectives, reads as before;
 * refused, with its reason, by a run that sorts on objectives. */
static void test_version_6(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 19, 5, 1);
    fx.st.finished = 2;
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    to_version_6(buf, &len);
    struct checkpoint_key key;
    struct run_state st;
    struct population p;
    make_target(&st, &p, fx.pop.n);
    struct error err = {""};
    assert_int_equal(checkpoint_decode(buf, len, &key, &st, &p, &fx.ps, &err),
                     0);
    assert_int_equal(st.finished, 2);
    for (size_t i = 0; i < fx.pop.n; i++)
        assert_same_individual(&fx.pop.ind[i], &p.ind[i]);
    release_target(&st, &p);
    keep_objectives = 2;
    make_target(&st, &p, fx.pop.n);
    assert_int_equal(checkpoint_decode(buf, len, &key, &st, &p, &fx.ps, &err),
                     -1);
    assert_string_equal(err.msg, "format version 6 holds no objectives, which "
                                 "this run's fitness declares "
                                 "(fgp_set_objectives)");
    release_target(&st, &p);
    keep_objectives = 0;
    free(buf);
    release_fixture(&fx);
}

/* A checkpoint of format version 5, which ends before the mark of a run
 * that ended, is read as a run going on. */
static void test_version_5(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 17, 6, 1);
    fx.st.finished = 2;
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    to_version_6(buf, &len);
    /* Version 5: the same bytes without the last i32 before the checksum. */
    memmove(buf + len - 12, buf + len - 8, 8);
    len -= 4;
    write_u32(buf, 8, 5);
    reseal(buf, len);
    struct checkpoint_key key;
    struct run_state st;
    struct population p;
    make_target(&st, &p, fx.pop.n);
    struct error err = {""};
    st.finished = 7;
    assert_int_equal(checkpoint_decode(buf, len, &key, &st, &p, &fx.ps, &err),
                     0);
    assert_int_equal(st.finished, 0);
    release_target(&st, &p);
    free(buf);
    release_fixture(&fx);
}

/* A checkpoint of format version 1, sealed with FNV-1a as the builds
 * before version 2 wrote it, is refused for its version, not called
 * corrupted, by checkpoint_read_key (which resume asks first) and by
 * checkpoint_decode. */
static void test_version_1(void **state)
{
    (void)state;
    assert_int_equal(CHECKPOINT_VERSION, 7);
    struct fixture fx;
    make_fixture(&fx, 14, 4, 1);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    write_u32(buf, 8, 1);
    write_u64(buf, len - 8, fnv1a(buf, len - 8));
    const char *want = "format version 1, but this forkgp reads version 7";
    struct checkpoint_key key;
    struct error err = {""};
    assert_int_equal(checkpoint_read_key(buf, len, &key, &err), -1);
    assert_string_equal(err.msg, want);
    expect_reject(buf, len, &fx, want, "version 1");
    /* And with this version's checksum, or a wrong one. */
    reseal(buf, len);
    expect_reject(buf, len, &fx, want, "version 1, resealed");
    buf[len / 2] ^= 0x10;
    expect_reject(buf, len, &fx, want, "version 1, corrupted");
    free(buf);
    release_fixture(&fx);
}

/* ---- the checksum itself --------------------------------------------------
 */

/* checkpoint_checksum is the function described, at every length modulo
 * 32 (the lanes' stripe), and checkpoint_encode ends in it. */
static void test_checksum_reference(void **state)
{
    (void)state;
    unsigned char bytes[300];
    struct rng r;
    rng_seed(&r, 41, 3);
    for (size_t i = 0; i < sizeof bytes; i++)
        bytes[i] = (unsigned char)rng_u32(&r);
    for (size_t n = 0; n <= sizeof bytes; n++)
        assert_true(checkpoint_checksum(bytes, n) == ref_checksum(bytes, n));
    /* Not the same for a zero byte more: the length is in the sum. */
    unsigned char zeros[40] = {0};
    for (size_t n = 0; n < sizeof zeros; n++)
        assert_true(checkpoint_checksum(zeros, n) !=
                    checkpoint_checksum(zeros, n + 1));
    /* Build strings of 0 to 40 bytes: checkpoints of 41 lengths. */
    struct fixture fx;
    make_fixture(&fx, 15, 3, 1);
    for (size_t b = 0; b <= 40; b++) {
        memset(fx.key.build, 'v', b);
        fx.key.build[b] = '\0';
        unsigned char *buf;
        size_t len;
        encode(&fx, &buf, &len);
        assert_true(read_u64(buf, len - 8) == ref_checksum(buf, len - 8));
        free(buf);
    }
    release_fixture(&fx);
}

/*
 * Every pair of flipped bits in 72 bytes (two stripes of the four lanes
 * and a partial word) changes the sum. FNV's (h ^ word) * prime per lane
 * would pass 135 pairs in 100 bytes, among them bit 63 of two words 32
 * bytes apart; a byte-at-a-time FNV-1a passed none.
 */
static void test_checksum_two_bits(void **state)
{
    (void)state;
    unsigned char b[72];
    struct rng r;
    rng_seed(&r, 42, 3);
    for (size_t i = 0; i < sizeof b; i++)
        b[i] = (unsigned char)rng_u32(&r);
    const size_t nbits = 8 * sizeof b;
    const uint64_t sum = checkpoint_checksum(b, sizeof b);
    for (size_t i = 0; i < nbits; i++) {
        b[i / 8] ^= (unsigned char)(1u << i % 8);
        for (size_t j = i + 1; j < nbits; j++) {
            b[j / 8] ^= (unsigned char)(1u << j % 8);
            if (checkpoint_checksum(b, sizeof b) == sum)
                fail_msg("bits %zu and %zu flipped: same sum", i, j);
            b[j / 8] ^= (unsigned char)(1u << j % 8);
        }
        b[i / 8] ^= (unsigned char)(1u << i % 8);
    }
}

/* ---- a right checksum over wrong contents ---------------------------------
 */

/* One change to a valid buffer, resealed, and what the message says. */
struct garbage {
    const char *what;
    const char *want; /* in the message */
    void (*apply)(unsigned char *b, const struct layout *l,
                  const struct fixture *fx);
};

#define GARBAGE(name, body)                                                    \
    static void name(unsigned char *b, const struct layout *l,                 \
                     const struct fixture *fx)                                 \
    {                                                                          \
        (void)b;                                                               \
        (void)l;                                                               \
        (void)fx;                                                              \
        body;                                                                  \
    }

GARBAGE(build_too_long, write_u32(b, l->build, 128))
GARBAGE(build_huge, write_u32(b, l->build, UINT32_MAX))
GARBAGE(gen_negative, write_u64(b, l->gen, (uint64_t)-1))
GARBAGE(best_gen_negative, write_u64(b, l->best_gen, (uint64_t)INT64_MIN))
GARBAGE(best_gen_after_gen, write_u64(b, l->best_gen, read_u64(b, l->gen) + 1))
GARBAGE(rng_inc_even, write_u64(b, l->rng_inc, read_u64(b, l->rng_inc) & ~1ULL))
GARBAGE(best_status_high, write_u32(b, l->best + IND_STATUS, EVAL_NSTATUS))
GARBAGE(best_status_low, write_u32(b, l->best + IND_STATUS, (uint32_t)-2))
GARBAGE(best_size_zero, write_u32(b, l->best + IND_SIZE, 0))
GARBAGE(best_size_over_cap, write_u32(b, l->best + IND_SIZE, CAP + 1))
GARBAGE(best_size_huge, write_u32(b, l->best + IND_SIZE, UINT32_MAX))
GARBAGE(best_size_minus_one,
        write_u32(b, l->best + IND_SIZE, read_u32(b, l->best + IND_SIZE) - 1))
GARBAGE(best_bad_opcode, write_u16(b, l->best + IND_NODES, OP_COUNT))
GARBAGE(best_opcode_255, write_u16(b, l->best + IND_NODES, 255))
GARBAGE(best_opcode_max, write_u16(b, l->best + IND_NODES, UINT16_MAX))
GARBAGE(best_symbol_arity_4,
        write_u16(b, l->best + IND_NODES,
                  (uint16_t)prim_symbol_op(PRIM_MAX_ARITY + 1, 0)))
/* A terminal where the tree needs a function: the arities do not add up. */
GARBAGE(best_root_terminal, write_u16(b, l->best + IND_NODES, OP_CONST))
GARBAGE(nshown_negative, write_u32(b, l->nshown, (uint32_t)-1))
GARBAGE(nshown_six, write_u32(b, l->nshown, 6))
GARBAGE(nshown_max, write_u32(b, l->nshown, INT32_MAX))
GARBAGE(note_huge, write_u32(b, l->note_len[0], UINT32_MAX))
GARBAGE(note_over_16m, write_u32(b, l->note_len[0], (1u << 24) + 1))
GARBAGE(note_past_end, write_u32(b, l->note_len[1],
                                 (uint32_t)(l->sum - l->note_len[1] - 4 + 1)))
GARBAGE(n_more, write_u64(b, l->n, fx->pop.n + 1))
GARBAGE(n_fewer, write_u64(b, l->n, fx->pop.n - 1))
GARBAGE(n_huge, write_u64(b, l->n, UINT64_MAX))
GARBAGE(ind_status, write_u32(b, l->ind[2] + IND_STATUS, 99))
GARBAGE(ind_size_over_cap, write_u32(b, l->ind[3] + IND_SIZE, CAP + 1))
GARBAGE(ind_size_past_end,
        write_u32(b, l->ind[3] + IND_SIZE,
                  (uint32_t)((l->sum - l->ind[3] - IND_NODES) / 16 + 1)))
GARBAGE(last_size_grows,
        write_u32(b, l->ind[fx->pop.n - 1] + IND_SIZE,
                  read_u32(b, l->ind[fx->pop.n - 1] + IND_SIZE) + 1))
GARBAGE(ind_bad_opcode,
        write_u16(b, l->ind[1] + IND_NODES, 300 + 4 * PRIM_MAX_SYMBOLS))
GARBAGE(ind_var_out_of_range, {
    /* The first variable of individual 0 points past the variables. */
    uint32_t size = read_u32(b, l->ind[0] + IND_SIZE);
    size_t at = 0;
    for (uint32_t i = 0; i < size && !at; i++)
        if (b[l->ind[0] + IND_NODES + 16 * i] == OP_VAR &&
            b[l->ind[0] + IND_NODES + 16 * i + 1] == 0)
            at = l->ind[0] + IND_NODES + 16 * i;
    assert_true(at != 0);
    write_u16(b, at + 2, NVARS);
})

static const struct garbage garbage[] = {
#define G(fn, want)                                                            \
    {                                                                          \
#fn, want, fn                                                          \
    }
    G(build_too_long, "build string"),
    G(build_huge, "build string"),
    G(gen_negative, "run state"),
    G(best_gen_negative, "run state"),
    G(best_gen_after_gen, "run state"),
    G(rng_inc_even, "run state"),
    G(best_status_high, "best of run"),
    G(best_status_low, "best of run"),
    G(best_size_zero, "best of run"),
    G(best_size_over_cap, "best of run"),
    G(best_size_huge, "best of run"),
    G(best_size_minus_one, "best of run"),
    G(best_bad_opcode, "best of run"),
    G(best_opcode_255, "best of run"),
    G(best_opcode_max, "best of run"),
    G(best_symbol_arity_4, "best of run"),
    G(best_root_terminal, "best of run"),
    G(nshown_negative, "failure notes"),
    G(nshown_six, "failure notes"),
    G(nshown_max, "failure notes"),
    G(note_huge, "failure notes"),
    G(note_over_16m, "failure notes"),
    G(note_past_end, "failure notes"),
    G(n_more, "population of"),
    G(n_fewer, "population of"),
    G(n_huge, "population of"),
    G(ind_status, "individual 2"),
    G(ind_size_over_cap, "individual 3"),
    G(ind_size_past_end, "individual 3"),
    G(last_size_grows, "individual"),
    G(ind_bad_opcode, "individual 1"),
    G(ind_var_out_of_range, "individual 0"),
#undef G
};

/* A fixture whose best and individuals are all functions at the root and
 * each hold a variable x, with two failure notes. */
static void garbage_fixture(struct fixture *fx)
{
    for (uint64_t seed = 100;; seed++) {
        make_fixture(fx, seed, 6, 2);
        int ok = prim_arity(fx->st.best.tree.nodes[0].op) > 0;
        for (size_t i = 0; i < fx->pop.n && ok; i++) {
            const struct tree *t = &fx->pop.ind[i].tree;
            int has_x = 0;
            for (uint32_t k = 0; k < t->size; k++)
                has_x |= t->nodes[k].op == OP_VAR && t->nodes[k].var == 0;
            ok = has_x;
        }
        if (ok)
            return;
        release_fixture(fx);
    }
}

static void test_garbage_inside(void **state)
{
    (void)state;
    struct fixture fx;
    garbage_fixture(&fx);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    struct layout l;
    read_layout(buf, len, &l);
    unsigned char *copy = malloc(len);
    assert_non_null(copy);
    for (size_t i = 0; i < sizeof garbage / sizeof garbage[0]; i++) {
        memcpy(copy, buf, len);
        garbage[i].apply(copy, &l, &fx);
        reseal(copy, len);
        expect_reject(copy, len, &fx, garbage[i].want, garbage[i].what);
    }
    free(copy);
    free(buf);
    release_fixture(&fx);
}

/* Bytes added or taken away before the checksum, which is then right. */
static void test_length_changed_inside(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 21, 5, 1);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    struct layout l;
    read_layout(buf, len, &l);
    size_t extra[] = {1, 7, 100};
    for (size_t k = 0; k < 3; k++) {
        size_t more = len + extra[k];
        unsigned char *b = calloc(1, more);
        assert_non_null(b);
        memcpy(b, buf, len - 8);
        reseal(b, more);
        expect_reject(b, more, &fx, "too many", "trailing bytes");
        free(b);
    }
    /* Without the last individual, or cut at any byte inside it. */
    for (size_t end = l.ind[fx.pop.n - 1]; end < l.front; end++) {
        size_t less = end + 8;
        unsigned char *b = malloc(less);
        assert_non_null(b);
        memcpy(b, buf, end);
        reseal(b, less);
        expect_reject(b, less, &fx, "individual 4", "short population");
        free(b);
    }
    /* Only the header and a checksum: every field is missing. */
    for (size_t end = 12; end < l.best; end++) {
        unsigned char *b = malloc(end + 8);
        assert_non_null(b);
        memcpy(b, buf, end);
        reseal(b, end + 8);
        expect_reject(b, end + 8, &fx, "corrupted", "short state");
        free(b);
    }
    free(buf);
    release_fixture(&fx);
}

/* A valid checkpoint read for another run: other population size, smaller
 * trees allowed, fewer variables. */
static void test_other_run(void **state)
{
    (void)state;
    struct fixture fx;
    garbage_fixture(&fx);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    struct error err = {""};
    assert_int_equal(decode_n(buf, len, fx.pop.n + 1, &fx.ps, &err),
                     -1);
    assert_string_equal(err.msg, "population of 6, but the configuration says 7");
    struct primset fewer = fx.ps;
    fewer.nvars = 0;
    assert_int_equal(decode_n(buf, len, fx.pop.n, &fewer, &err), -1);
    assert_non_null(strstr(err.msg, "corrupted"));
    /* Trees bigger than the target's room. */
    uint32_t biggest = fx.st.best.tree.size;
    for (size_t i = 0; i < fx.pop.n; i++)
        if (fx.pop.ind[i].tree.size > biggest)
            biggest = fx.pop.ind[i].tree.size;
    struct checkpoint_key key;
    struct run_state st;
    struct population p;
    memset(&st, 0, sizeof st);
    assert_int_equal(tree_init(&st.best.tree, biggest - 1), 0);
    assert_int_equal(pop_init(&p, fx.pop.n, biggest - 1), 0);
    assert_int_equal(
        checkpoint_decode(buf, len, &key, &st, &p, &fx.ps, &err),
        -1);
    assert_non_null(strstr(err.msg, "corrupted"));
    release_target(&st, &p);
    free(buf);
    release_fixture(&fx);
}

/* Opcodes that exist but are not in this run's set: a plug-in symbol it
 * did not declare is refused (a plug-in must never see one); a built-in
 * it does not list is read (the configuration's hash tells the run). */
static void test_opcode_not_in_set(void **state)
{
    (void)state;
    struct fixture fx;
    garbage_fixture(&fx);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    struct layout l;
    read_layout(buf, len, &l);
    unsigned char *copy = malloc(len);
    assert_non_null(copy);
    struct error err = {""};
    /* Each root, a function of arity 1, 2 or 3, replaced with another of
     * the same arity that the set lacks: a built-in is read, an undeclared
     * symbol (the set has f of arity 2 only) is not. */
    int tried = 0;
    for (size_t i = 0; i < fx.pop.n; i++) {
        unsigned root = fx.pop.ind[i].tree.nodes[0].op;
        int arity = prim_arity(root);
        if (arity == 0)
            continue;
        tried++;
        uint16_t builtin = arity == 1 ? OP_TANH : arity == 2 ? OP_NOR : 0;
        if (builtin) {
            memcpy(copy, buf, len);
            write_u16(copy, l.ind[i] + IND_NODES, builtin);
            reseal(copy, len);
            assert_int_equal(
                decode_n(copy, len, fx.pop.n, &fx.ps, &err), 0);
        }
        uint16_t symbol = (uint16_t)prim_symbol_op(arity, arity == 2 ? 1 : 0);
        memcpy(copy, buf, len);
        write_u16(copy, l.ind[i] + IND_NODES, symbol);
        reseal(copy, len);
        char what[64], want[64];
        snprintf(what, sizeof what, "individual %zu: %u for %u", i, symbol,
                 root);
        snprintf(want, sizeof want, "individual %zu", i);
        expect_reject(copy, len, &fx, want, what);
    }
    assert_true(tried > 0);
    /* An undeclared terminal symbol (the set has one: t, index 0). */
    uint32_t size = fx.st.best.tree.size;
    memcpy(copy, buf, len);
    write_u16(copy, l.best + IND_NODES + 16 * (size - 1),
              (uint16_t)prim_symbol_op(0, 1));
    reseal(copy, len);
    expect_reject(copy, len, &fx, "best of run", "undeclared terminal");
    free(copy);
    free(buf);
    release_fixture(&fx);
}

/* Failure notes must say what note_failures could have written. */
static void test_bad_failure_notes(void **state)
{
    (void)state;
    struct fixture fx;
    garbage_fixture(&fx);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    struct layout l;
    read_layout(buf, len, &l);
    unsigned char *copy = malloc(len);
    assert_non_null(copy);
    struct {
        size_t off, width;
        uint64_t value;
        const char *what;
    } cases[] = {
        {l.note[0] + 16, 4, EVAL_OK, "note status ok"},
        {l.note[0] + 16, 4, EVAL_NSTATUS, "note status too high"},
        {l.note[1] + 16, 4, (uint32_t)-1, "note status -1"},
        {l.note[0], 8, (uint64_t)-1, "note generation -1"},
        {l.note[1], 8, read_u64(buf, l.gen) + 1, "note generation later"},
        {l.note[0] + 8, 8, fx.pop.n, "note index past population"},
        {l.best_index, 8, fx.pop.n, "best index past population"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        memcpy(copy, buf, len);
        if (cases[i].width == 4)
            write_u32(copy, cases[i].off, (uint32_t)cases[i].value);
        else
            write_u64(copy, cases[i].off, cases[i].value);
        reseal(copy, len);
        expect_reject(copy, len, &fx, "corrupted", cases[i].what);
    }
    free(copy);
    free(buf);
    release_fixture(&fx);
}

/* Random changes, resealed: each is accepted or rejected, never a crash,
 * and what is accepted holds well-formed trees (run it under ASan). */
static void test_random_garbage(void **state)
{
    (void)state;
    struct fixture fx;
    make_fixture(&fx, 31, 4, 2);
    unsigned char *buf;
    size_t len;
    encode(&fx, &buf, &len);
    unsigned char *copy = malloc(len);
    assert_non_null(copy);
    struct rng r;
    rng_seed(&r, 31, 1);
    int accepted = 0, rejected = 0;
    for (int round = 0; round < 20000; round++) {
        memcpy(copy, buf, len);
        int changes = 1 + (int)rng_below(&r, 8);
        for (int k = 0; k < changes; k++) {
            size_t at = 12 + rng_below(&r, (uint32_t)(len - 20));
            copy[at] = rng_below(&r, 2) ? (unsigned char)rng_u32(&r)
                                        : copy[at] ^ (1u << rng_below(&r, 8));
        }
        reseal(copy, len);
        /* Sometimes shorter, still sealed. */
        size_t use = len;
        if (rng_below(&r, 8) == 0) {
            use = 20 + rng_below(&r, (uint32_t)(len - 20));
            reseal(copy, use);
        }
        struct error err = {""};
        int rc = decode_n(copy, use, fx.pop.n, &fx.ps, &err);
        if (rc == 0) {
            accepted++;
        } else {
            assert_int_equal(rc, -1);
            assert_true(err.msg[0] != '\0');
            rejected++;
        }
    }
    assert_true(accepted > 0 && rejected > 0);
    free(copy);
    free(buf);
    release_fixture(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_round_trip_extremes),
        cmocka_unit_test(test_round_trip_tuned),
        cmocka_unit_test(test_round_trip_errors),
        cmocka_unit_test(test_round_trip_objectives),
        cmocka_unit_test(test_decode_replaces_notes),
        cmocka_unit_test(test_every_truncation),
        cmocka_unit_test(test_every_byte_changed),
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_version_1),
        cmocka_unit_test(test_version_5),
        cmocka_unit_test(test_version_6),
        cmocka_unit_test(test_checksum_reference),
        cmocka_unit_test(test_checksum_two_bits),
        cmocka_unit_test(test_garbage_inside),
        cmocka_unit_test(test_length_changed_inside),
        cmocka_unit_test(test_other_run),
        cmocka_unit_test(test_opcode_not_in_set),
        cmocka_unit_test(test_bad_failure_notes),
        cmocka_unit_test(test_random_garbage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
