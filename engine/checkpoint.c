/*
 * checkpoint: a run's whole state after a scored generation.
 *
 * Format (host byte order; a checkpoint resumes on the machine kind that
 * wrote it): "FGPCKPT\0", version u32, then the key (config hash u64, data
 * hash u64, build string), the state (generation, main stream, elapsed,
 * log sizes, best of run, failure counts and notes), the population (n,
 * then per individual status, detail, fitness, scaling, size, nodes,
 * tuned constants kept apart, case errors and, from version 7, further
 * objectives), the front, whether the run ended (from version 6), and
 * last a checksum of everything before it
 * (checkpoint_checksum, below).
 */
#include "checkpoint.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "forkgp.h"

static const char magic[8] = "FGPCKPT";

/* ---- writing ------------------------------------------------------------ */

static void put_individual(struct buf *o, const struct individual *x)
{
    buf_put_i32(o, x->status);
    buf_put_i32(o, x->detail);
    buf_put_f64(o, x->fitness);
    buf_put_i32(o, x->scaling.on);
    buf_put_f64(o, x->scaling.intercept);
    buf_put_f64(o, x->scaling.slope);
    buf_put_u32(o, x->tree.size);
    buf_put(o, x->tree.nodes, x->tree.size * sizeof(struct node));
    buf_put_u32(o, x->ntuned);
    buf_put(o, x->tuned, x->ntuned * sizeof(double));
    /* Lexicase selects from them when the run goes on. */
    buf_put_u32(o, x->nerrors);
    buf_put(o, x->errors, x->nerrors * sizeof(float));
    /* NSGA-II sorts on them when the run goes on. */
    buf_put_u32(o, x->nobjectives);
    buf_put(o, x->objectives, x->nobjectives * sizeof(double));
}

/* ---- the checksum --------------------------------------------------------
 *
 * Four lanes, each fed every fourth 64-bit word of the input (loaded with
 * memcpy, so in host order like every other field; the last word
 * zero-padded) by XXH64's round h = rotl(h + w * K2, 31) * K1. Then, from
 * the input's length, each lane in turn is folded in as h = (h ^ lane) *
 * K1, and a last avalanche mixes every bit into every other. The lanes are
 * independent multiply chains, so the loop runs at several bytes a cycle
 * where FNV-1a's single byte-at-a-time chain ran at about one.
 *
 * A changed byte is always caught: it changes one word; the round is a
 * bijection of w for a fixed h (times an odd constant, plus h, rotate,
 * times an odd constant) and of h for a fixed w, so its lane differs after
 * that word and after every later one; the fold is a bijection of each
 * lane and so is the avalanche, so the sum differs. A changed byte of the
 * stored sum is caught by the comparison. The length tells apart inputs
 * whose padded words agree (one with a trailing zero byte more); a
 * truncated checkpoint is checked against 8 bytes of its own contents,
 * which match only by a 2^-64 chance.
 *
 * Not FNV's (h ^ w) * prime on whole words: a multiply carries only
 * upward, so flipping bit 63 of a word flips bit 63 of its lane and no
 * other, and flipping the same bit of the lane's next word (32 bytes on)
 * undoes it: two flipped bits would pass. The rotation spreads a
 * difference over the lane before the next word can meet it.
 */

#define K1 0x9e3779b185ebca87ULL /* XXH64's primes 1, 2 and 3 */
#define K2 0xc2b2ae3d27d4eb4fULL
#define K3 0x165667b19e3779f9ULL

static uint64_t round_word(uint64_t h, uint64_t w)
{
    h += w * K2;
    h = (h << 31) | (h >> 33);
    return h * K1;
}

uint64_t checkpoint_checksum(const unsigned char *p, size_t n)
{
    const uint64_t basis = 0xcbf29ce484222325ULL; /* FNV's offset basis */
    uint64_t lane[4] = {basis, basis ^ 1, basis ^ 2, basis ^ 3};
    uint64_t w;
    size_t i = 0;
    for (; n - i >= 32; i += 32)
        for (int k = 0; k < 4; k++) {
            memcpy(&w, p + i + 8 * k, sizeof w);
            lane[k] = round_word(lane[k], w);
        }
    /* Under 32 bytes left: up to three whole words and a partial one. */
    for (int k = 0; i < n; i += sizeof w, k++) {
        size_t m = n - i < sizeof w ? n - i : sizeof w;
        w = 0;
        memcpy(&w, p + i, m);
        lane[k] = round_word(lane[k], w);
    }
    uint64_t h = (uint64_t)n;
    for (int k = 0; k < 4; k++)
        h = (h ^ lane[k]) * K1;
    h ^= h >> 33;
    h *= K2;
    h ^= h >> 29;
    h *= K3;
    h ^= h >> 32;
    return h;
}

int checkpoint_encode(const struct checkpoint_key *key,
                      const struct run_state *st, const struct population *p,
                      unsigned char **out, size_t *len)
{
    /* Room for all of it at once (the population is nearly all of it),
     * so the buffer is not copied as it grows. */
    struct buf o;
    buf_init(&o);
    size_t room = 65536 + (p->n + 1) * 24 + st->best.tree.size * 16;
    for (size_t i = 0; i < p->n; i++)
        room += p->ind[i].tree.size * sizeof(struct node) +
                p->ind[i].ntuned * sizeof(double) +
                p->ind[i].nerrors * sizeof(float) +
                p->ind[i].nobjectives * sizeof(double) + 12;
    buf_reserve(&o, room);
    buf_put(&o, magic, sizeof magic);
    buf_put_u32(&o, CHECKPOINT_VERSION);
    buf_put_u64(&o, key->config_hash);
    buf_put_u64(&o, key->data_hash);
    buf_put_string(&o, key->build);
    buf_put_i64(&o, st->generation);
    buf_put_u64(&o, st->rng.state);
    buf_put_u64(&o, st->rng.inc);
    buf_put_f64(&o, st->elapsed);
    buf_put_u64(&o, st->log_size);
    buf_put_u64(&o, st->timing_size);
    buf_put_i64(&o, st->best_generation);
    buf_put_u64(&o, st->best_index);
    put_individual(&o, &st->best);
    buf_put_u64(&o, st->evaluations);
    for (int i = 0; i < EVAL_NSTATUS; i++)
        buf_put_u64(&o, st->fail_count[i]);
    buf_put_i32(&o, st->nshown);
    for (int i = 0; i < st->nshown; i++) {
        const struct failure_note *f = &st->shown[i];
        buf_put_i64(&o, f->generation);
        buf_put_u64(&o, f->index);
        buf_put_i32(&o, f->status);
        buf_put_i32(&o, f->detail);
        buf_put_string(&o, f->program ? f->program : "");
    }
    buf_put_u64(&o, p->n);
    for (size_t i = 0; i < p->n; i++)
        put_individual(&o, &p->ind[i]);
    /* The front: its entries, smallest first. */
    const struct front *fr = &st->front;
    uint32_t nfront = 0;
    for (uint32_t s = 1; s <= fr->max_size; s++)
        nfront += fr->slot[s].ind.tree.size != 0;
    buf_put_u32(&o, nfront);
    for (uint32_t s = 1; s <= fr->max_size; s++) {
        const struct front_entry *e = &fr->slot[s];
        if (e->ind.tree.size == 0)
            continue;
        buf_put_i64(&o, e->generation);
        buf_put_u64(&o, e->index);
        put_individual(&o, &e->ind);
    }
    buf_put_i32(&o, st->finished);
    if (!o.failed)
        buf_put_u64(&o, checkpoint_checksum(o.data, o.len));
    *out = buf_steal(&o, len);
    return *out ? 0 : -1;
}

/* ---- reading: every length checked --------------------------------------- */

/* Zero when op is a plug-in symbol that ps does not declare: tree_check
 * knows only that the opcode is well formed, and a plug-in must never see
 * a symbol it did not declare. Any built-in is fine here (the interpreter
 * runs them all): a built-in outside the configured set means another
 * configuration, which the caller reports from the key. */
static int declared(unsigned op, const struct primset *ps)
{
    if (!prim_is_symbol(op))
        return 1;
    for (int k = 0; k < ps->nsymbols; k++)
        if (ps->sym_ops[k] == op)
            return 1;
    return 0;
}

/* Reads an individual of a checkpoint of format `version` into x (whose
 * tree has its cap; ncases and nobjectives: the case errors and further
 * objectives its population keeps, 0 for none); -1 if malformed. */
static int get_individual(struct buf_reader *in, struct individual *x,
                          const struct primset *ps, uint32_t ncases,
                          uint32_t nobjectives, uint32_t version)
{
    int32_t status, detail, scaled;
    uint32_t size;
    buf_get_i32(in, &status);
    buf_get_i32(in, &detail);
    buf_get_f64(in, &x->fitness);
    buf_get_i32(in, &scaled);
    buf_get_f64(in, &x->scaling.intercept);
    buf_get_f64(in, &x->scaling.slope);
    buf_get_u32(in, &size);
    x->scaling.on = scaled != 0;
    if (in->failed || size == 0 || size > x->tree.cap || scaled < 0 ||
        scaled > 1 ||
        (size_t)size * sizeof(struct node) > in->left ||
        status < -1 || status >= EVAL_NSTATUS)
        return -1;
    buf_get(in, x->tree.nodes, size * sizeof(struct node));
    x->tree.size = size;
    x->status = status;
    x->detail = detail;
    if (tree_check(&x->tree, ps->nvars) < 0)
        return -1;
    for (uint32_t i = 0; i < size; i++)
        if (!declared(x->tree.nodes[i].op, ps))
            return -1;
    /* Made again rather than trusted: variation relies on them. */
    tree_set_shape(&x->tree);
    /* Tuned constants kept apart: only where the population keeps them
     * (lamarckian = no), as many as the tree's. */
    uint32_t ntuned, have = 0;
    buf_get_u32(in, &ntuned);
    for (uint32_t i = 0; i < size; i++)
        have += x->tree.nodes[i].op == OP_CONST;
    if (in->failed || (ntuned && (!x->tuned || ntuned != have ||
                                  x->status != EVAL_OK)))
        return -1;
    buf_get(in, x->tuned, ntuned * sizeof(double));
    x->ntuned = ntuned;
    /* Case errors: all the population's, for an OK individual of one
     * that keeps them; else none. */
    uint32_t nerrors;
    buf_get_u32(in, &nerrors);
    if (in->failed ||
        nerrors != (x->status == EVAL_OK && x->errors ? ncases : 0))
        return -1;
    buf_get(in, x->errors, nerrors * sizeof(float));
    x->nerrors = nerrors;
    /* Further objectives: as the case errors (none before version 7). */
    uint32_t nobj = 0;
    if (version >= 7)
        buf_get_u32(in, &nobj);
    if (in->failed ||
        nobj != (x->status == EVAL_OK && x->objectives ? nobjectives : 0))
        return -1;
    buf_get(in, x->objectives, nobj * sizeof(double));
    x->nobjectives = nobj;
    return in->failed ? -1 : 0;
}

/* Reads the front into st->front (allocated by the caller, empty): each
 * entry a scored program of a size the front has room for, found by the
 * generation the checkpoint holds, each size once. Returns 0 or -1 with a
 * message. */
static int read_front(struct buf_reader *in, struct run_state *st,
                      const struct population *p, const struct primset *ps,
                      uint32_t version, struct error *err)
{
    uint32_t n;
    buf_get_u32(in, &n);
    if (in->failed || n > st->front.max_size)
        return error_set(err, "corrupted (front)");
    struct individual x;
    memset(&x, 0, sizeof x);
    if (tree_init(&x.tree, p->max_size) < 0)
        return error_set(err, "out of memory");
    int rc = 0;
    for (uint32_t k = 0; k < n && rc == 0; k++) {
        int64_t g;
        uint64_t index;
        buf_get_i64(in, &g);
        buf_get_u64(in, &index);
        if (in->failed || g < 0 || g > st->generation || index >= p->n ||
            get_individual(in, &x, ps, 0, 0, version) < 0 ||
            x.status != EVAL_OK ||
            x.tree.size > st->front.max_size ||
            st->front.slot[x.tree.size].ind.tree.size != 0)
            rc = error_set(err, "corrupted (front)");
        else if (front_set(&st->front, &x, (long)g, index) < 0)
            rc = error_set(err, "out of memory");
    }
    tree_release(&x.tree);
    return rc;
}

int checkpoint_check_head(const unsigned char *head, size_t n,
                          struct error *err)
{
    uint32_t version;
    _Static_assert(CHECKPOINT_HEAD == sizeof magic + sizeof version,
                   "the head is the magic and the version");
    /* A short file's first bytes that are not the magic's: not a
     * checkpoint at all, which says more than "truncated". */
    if (memcmp(head, magic, n < sizeof magic ? n : sizeof magic) != 0)
        return error_set(err, "not a forkgp checkpoint");
    if (n < CHECKPOINT_HEAD)
        return error_set(err, "truncated (%zu bytes)", n);
    /* The version before the checksum: another version's checksum may be
     * another function, and its message says more than "corrupted". */
    memcpy(&version, head + sizeof magic, sizeof version);
    if (version < CHECKPOINT_VERSION_OLDEST || version > CHECKPOINT_VERSION)
        return error_set(err,
                    "format version %u, but this forkgp reads version %u",
                    version, CHECKPOINT_VERSION);
    return 0;
}

/* a + b, or UINT64_MAX when that overflows. */
static uint64_t add_sat(uint64_t a, uint64_t b)
{
    return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

/* a * b, or UINT64_MAX when that overflows. */
static uint64_t mul_sat(uint64_t a, uint64_t b)
{
    return b != 0 && a > UINT64_MAX / b ? UINT64_MAX : a * b;
}

uint64_t checkpoint_max_len(size_t n, uint32_t max_size)
{
    /* put_individual: status, detail, fitness, scaling (on, a, b), size,
     * nodes. */
    uint64_t ind = 4 + 4 + 8 + 4 + 8 + 8 + 4 +
                   (uint64_t)max_size * sizeof(struct node) +
                   4 + 8 * FGP_MAX_SCORES; /* further objectives */
    struct checkpoint_key key;
    uint64_t len = CHECKPOINT_HEAD + 8 + 8 + 4 + sizeof key.build;
    len += 8 * 8 + ind + 8 + 8 * EVAL_NSTATUS + 4; /* state, best, counts */
    /* The notes: each program's text read with a bound of 1 << 24. */
    len += SHOWN_FAILURES * (8 + 8 + 4 + 4 + 4 + ((uint64_t)1 << 24));
    len = add_sat(len, add_sat(8, mul_sat(n, ind)));
    /* The front: at most one entry per size up to max_size, the entry of
     * size s holding s nodes. */
    uint64_t sizes = (uint64_t)max_size * ((uint64_t)max_size + 1) / 2;
    len = add_sat(len, 4 + (uint64_t)max_size * (8 + 8 + ind -
                                                 (uint64_t)max_size *
                                                     sizeof(struct node)));
    len = add_sat(len, mul_sat(sizes, sizeof(struct node)));
    return add_sat(len, 8); /* the checksum */
}

int checkpoint_read_key(const unsigned char *buf, size_t len,
                        struct checkpoint_key *key, struct error *err)
{
    uint64_t sum;
    size_t head = len < CHECKPOINT_HEAD ? len : CHECKPOINT_HEAD;
    if (checkpoint_check_head(buf, head, err) < 0)
        return -1;
    if (len < CHECKPOINT_HEAD + sizeof sum)
        return error_set(err, "truncated (%zu bytes)", len);
    memcpy(&sum, buf + len - sizeof sum, sizeof sum);
    if (checkpoint_checksum(buf, len - sizeof sum) != sum)
        return error_set(err, "corrupted or truncated (checksum mismatch)");
    struct buf_reader in;
    buf_reader_init(&in, buf + CHECKPOINT_HEAD,
                    len - CHECKPOINT_HEAD - sizeof sum);
    buf_get_u64(&in, &key->config_hash);
    buf_get_u64(&in, &key->data_hash);
    char *build = buf_get_string(&in, sizeof key->build - 1);
    if (!build)
        return error_set(err, "corrupted (build string)");
    snprintf(key->build, sizeof key->build, "%s", build);
    free(build);
    return 0;
}

int checkpoint_decode(const unsigned char *buf, size_t len,
                      struct checkpoint_key *key, struct run_state *st,
                      struct population *p, const struct primset *ps,
                      struct error *err)
{
    if (checkpoint_read_key(buf, len, key, err) < 0)
        return -1;
    /* Past the key again, now that the whole is known to be sound. */
    struct buf_reader in;
    buf_reader_init(&in, buf + 12, len - 12 - sizeof(uint64_t));
    uint32_t build_len;
    buf_skip(&in, 2 * sizeof(uint64_t));
    buf_get_u32(&in, &build_len);
    buf_skip(&in, build_len);
    int64_t gen, best_gen;
    buf_get_i64(&in, &gen);
    buf_get_u64(&in, &st->rng.state);
    buf_get_u64(&in, &st->rng.inc);
    buf_get_f64(&in, &st->elapsed);
    buf_get_u64(&in, &st->log_size);
    buf_get_u64(&in, &st->timing_size);
    buf_get_i64(&in, &best_gen);
    buf_get_u64(&in, &st->best_index);
    st->generation = (long)gen;
    st->best_generation = (long)best_gen;
    if (in.failed || gen < 0 || best_gen < 0 || best_gen > gen ||
        (st->rng.inc & 1) == 0)
        return error_set(err, "corrupted (run state)");
    uint32_t version;
    memcpy(&version, buf + sizeof magic, sizeof version);
    if (get_individual(&in, &st->best, ps, 0, 0, version) < 0)
        return error_set(err, "corrupted (best of run)");
    buf_get_u64(&in, &st->evaluations);
    for (int i = 0; i < EVAL_NSTATUS; i++)
        buf_get_u64(&in, &st->fail_count[i]);
    int32_t nshown;
    buf_get_i32(&in, &nshown);
    if (in.failed || nshown < 0 || nshown > SHOWN_FAILURES)
        return error_set(err, "corrupted (failure notes)");
    run_state_release_notes(st);
    for (int i = 0; i < nshown; i++) {
        struct failure_note *f = &st->shown[i];
        int64_t g;
        uint64_t index;
        int32_t status, detail;
        buf_get_i64(&in, &g);
        buf_get_u64(&in, &index);
        buf_get_i32(&in, &status);
        buf_get_i32(&in, &detail);
        f->program = buf_get_string(&in, 1u << 24);
        if (!f->program)
            return error_set(err, "corrupted (failure notes)");
        st->nshown = i + 1;
        /* Only failed evaluations of scored generations are noted. */
        if (in.failed || g < 0 || g > gen || status < EVAL_ERROR ||
            status >= EVAL_NSTATUS)
            return error_set(err, "corrupted (failure notes)");
        f->generation = (long)g;
        f->index = (size_t)index;
        f->status = status;
        f->detail = detail;
    }
    uint64_t n;
    buf_get_u64(&in, &n);
    if (in.failed)
        return error_set(err, "corrupted (population)");
    if (n != p->n)
        return error_set(err,
                    "population of %llu, but the configuration says %zu",
                    (unsigned long long)n, p->n);
    /* The indices point into the population. */
    if (st->best_index >= n)
        return error_set(err, "corrupted (best of run)");
    for (int i = 0; i < st->nshown; i++)
        if (st->shown[i].index >= n)
            return error_set(err, "corrupted (failure notes)");
    /* A format without objectives, for a run that sorts on them (a
     * plug-in that declares them now): its individuals lack them. */
    if (version < 7 && p->nobjectives > 0)
        return error_set(err,
                         "format version %u holds no objectives, which "
                         "this run's fitness declares (fgp_set_objectives)",
                         version);
    for (size_t i = 0; i < p->n; i++)
        if (get_individual(&in, &p->ind[i], ps, p->ncases, p->nobjectives,
                           version) < 0)
            return error_set(err, "corrupted (individual %zu)", i);
    if (read_front(&in, st, p, ps, version, err) < 0)
        return -1;
    int32_t finished = 0;
    if (version >= 6)
        buf_get_i32(&in, &finished);
    if (in.failed || finished < 0)
        return error_set(err, "corrupted (end of run)");
    st->finished = finished;
    if (in.left != 0)
        return error_set(err, "corrupted (%zu bytes too many)", in.left);
    return 0;
}

void run_state_release_notes(struct run_state *st)
{
    for (int i = 0; i < st->nshown; i++) {
        free(st->shown[i].program);
        st->shown[i].program = NULL;
    }
    st->nshown = 0;
}
