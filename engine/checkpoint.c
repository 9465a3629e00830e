/*
 * checkpoint: a run's whole state after a scored generation.
 *
 * Format (host byte order; a checkpoint resumes on the machine kind that
 * wrote it): "FGPCKPT\0", version u32, then the key (config hash u64, data
 * hash u64, build string), the state (generation, main stream, elapsed,
 * log sizes, best of run, failure counts and notes), the population (n,
 * then per individual status, detail, fitness, size and nodes), and last
 * a checksum of everything before it (checkpoint_checksum, below).
 */
#include "checkpoint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char magic[8] = "FGPCKPT";

/* ---- writing: a growing buffer ------------------------------------------ */

struct out {
    unsigned char *buf;
    size_t len, cap;
    int failed;
};

static void put(struct out *o, const void *data, size_t n)
{
    if (o->failed)
        return;
    if (o->len + n > o->cap) {
        size_t cap = o->cap ? o->cap : 4096;
        while (cap < o->len + n)
            cap *= 2;
        unsigned char *more = realloc(o->buf, cap);
        if (!more) {
            o->failed = 1;
            return;
        }
        o->buf = more;
        o->cap = cap;
    }
    memcpy(o->buf + o->len, data, n);
    o->len += n;
}

#define PUT(o, v) put((o), &(v), sizeof(v))

static void put_string(struct out *o, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    PUT(o, n);
    put(o, s, n);
}

static void put_individual(struct out *o, const struct individual *x)
{
    int32_t status = x->status, detail = x->detail;
    uint32_t size = x->tree.size;
    PUT(o, status);
    PUT(o, detail);
    PUT(o, x->fitness);
    PUT(o, size);
    put(o, x->tree.nodes, size * sizeof(struct node));
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
    struct out o = {0};
    size_t room = 65536 + (p->n + 1) * 24 + st->best.tree.size * 16;
    for (size_t i = 0; i < p->n; i++)
        room += p->ind[i].tree.size * sizeof(struct node);
    o.buf = malloc(room);
    o.cap = o.buf ? room : 0;
    uint32_t version = CHECKPOINT_VERSION;
    put(&o, magic, sizeof magic);
    PUT(&o, version);
    PUT(&o, key->config_hash);
    PUT(&o, key->data_hash);
    put_string(&o, key->build);
    int64_t gen = st->generation, best_gen = st->best_generation;
    PUT(&o, gen);
    PUT(&o, st->rng.state);
    PUT(&o, st->rng.inc);
    PUT(&o, st->elapsed);
    PUT(&o, st->log_size);
    PUT(&o, st->timing_size);
    PUT(&o, best_gen);
    PUT(&o, st->best_index);
    put_individual(&o, &st->best);
    PUT(&o, st->evaluations);
    for (int i = 0; i < EVAL_NSTATUS; i++)
        PUT(&o, st->fail_count[i]);
    int32_t nshown = st->nshown;
    PUT(&o, nshown);
    for (int i = 0; i < st->nshown; i++) {
        const struct failure_note *f = &st->shown[i];
        int64_t g = f->generation;
        uint64_t index = f->index;
        int32_t status = f->status, detail = f->detail;
        PUT(&o, g);
        PUT(&o, index);
        PUT(&o, status);
        PUT(&o, detail);
        put_string(&o, f->program ? f->program : "");
    }
    uint64_t n = p->n;
    PUT(&o, n);
    for (size_t i = 0; i < p->n; i++)
        put_individual(&o, &p->ind[i]);
    uint64_t sum = o.failed ? 0 : checkpoint_checksum(o.buf, o.len);
    PUT(&o, sum);
    if (o.failed) {
        free(o.buf);
        return -1;
    }
    *out = o.buf;
    *len = o.len;
    return 0;
}

/* ---- reading: every length checked --------------------------------------- */

struct in {
    const unsigned char *p;
    size_t left;
    int failed;
};

static void get(struct in *in, void *data, size_t n)
{
    if (in->failed || n > in->left) {
        in->failed = 1;
        memset(data, 0, n);
        return;
    }
    memcpy(data, in->p, n);
    in->p += n;
    in->left -= n;
}

#define GET(in, v) get((in), &(v), sizeof(v))

static int fail(char *err, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, size, fmt, ap);
    va_end(ap);
    return -1;
}

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

/* Reads an individual into x (whose tree has its cap); -1 if malformed. */
static int get_individual(struct in *in, struct individual *x,
                          const struct primset *ps)
{
    int32_t status, detail;
    uint32_t size;
    GET(in, status);
    GET(in, detail);
    GET(in, x->fitness);
    GET(in, size);
    if (in->failed || size == 0 || size > x->tree.cap ||
        (size_t)size * sizeof(struct node) > in->left ||
        status < -1 || status >= EVAL_NSTATUS)
        return -1;
    get(in, x->tree.nodes, size * sizeof(struct node));
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
    return 0;
}

static char *get_string(struct in *in, size_t max)
{
    uint32_t n;
    GET(in, n);
    if (in->failed || n > max || n > in->left)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    get(in, s, n);
    s[n] = '\0';
    return s;
}

int checkpoint_read_key(const unsigned char *buf, size_t len,
                        struct checkpoint_key *key, char *err, size_t size)
{
    char head[8];
    uint32_t version;
    uint64_t sum;
    if (len < sizeof magic + sizeof version + sizeof sum)
        return fail(err, size, "truncated (%zu bytes)", len);
    memcpy(head, buf, sizeof head);
    if (memcmp(head, magic, sizeof magic) != 0)
        return fail(err, size, "not a forkgp checkpoint");
    /* The version before the checksum: another version's checksum may be
     * another function, and its message says more than "corrupted". */
    memcpy(&version, buf + sizeof magic, sizeof version);
    if (version != CHECKPOINT_VERSION)
        return fail(err, size,
                    "format version %u, but this forkgp reads version %u",
                    version, CHECKPOINT_VERSION);
    memcpy(&sum, buf + len - sizeof sum, sizeof sum);
    if (checkpoint_checksum(buf, len - sizeof sum) != sum)
        return fail(err, size, "corrupted or truncated (checksum mismatch)");
    struct in in = {buf + sizeof magic + sizeof version,
                    len - sizeof magic - sizeof version - sizeof sum, 0};
    GET(&in, key->config_hash);
    GET(&in, key->data_hash);
    char *build = get_string(&in, sizeof key->build - 1);
    if (!build)
        return fail(err, size, "corrupted (build string)");
    snprintf(key->build, sizeof key->build, "%s", build);
    free(build);
    return 0;
}

int checkpoint_decode(const unsigned char *buf, size_t len,
                      struct checkpoint_key *key, struct run_state *st,
                      struct population *p, const struct primset *ps,
                      char *err, size_t size)
{
    if (checkpoint_read_key(buf, len, key, err, size) < 0)
        return -1;
    /* Past the key again, now that the whole is known to be sound. */
    struct in in = {buf + 12, len - 12 - sizeof(uint64_t), 0};
    uint64_t skip;
    uint32_t build_len;
    GET(&in, skip);
    GET(&in, skip);
    GET(&in, build_len);
    in.p += build_len;
    in.left -= build_len;
    int64_t gen, best_gen;
    GET(&in, gen);
    GET(&in, st->rng.state);
    GET(&in, st->rng.inc);
    GET(&in, st->elapsed);
    GET(&in, st->log_size);
    GET(&in, st->timing_size);
    GET(&in, best_gen);
    GET(&in, st->best_index);
    st->generation = (long)gen;
    st->best_generation = (long)best_gen;
    if (in.failed || gen < 0 || best_gen < 0 || best_gen > gen ||
        (st->rng.inc & 1) == 0)
        return fail(err, size, "corrupted (run state)");
    if (get_individual(&in, &st->best, ps) < 0)
        return fail(err, size, "corrupted (best of run)");
    GET(&in, st->evaluations);
    for (int i = 0; i < EVAL_NSTATUS; i++)
        GET(&in, st->fail_count[i]);
    int32_t nshown;
    GET(&in, nshown);
    if (in.failed || nshown < 0 || nshown > SHOWN_FAILURES)
        return fail(err, size, "corrupted (failure notes)");
    run_state_release_notes(st);
    for (int i = 0; i < nshown; i++) {
        struct failure_note *f = &st->shown[i];
        int64_t g;
        uint64_t index;
        int32_t status, detail;
        GET(&in, g);
        GET(&in, index);
        GET(&in, status);
        GET(&in, detail);
        f->program = get_string(&in, 1u << 24);
        if (!f->program)
            return fail(err, size, "corrupted (failure notes)");
        st->nshown = i + 1;
        /* Only failed evaluations of scored generations are noted. */
        if (in.failed || g < 0 || g > gen || status < EVAL_ERROR ||
            status >= EVAL_NSTATUS)
            return fail(err, size, "corrupted (failure notes)");
        f->generation = (long)g;
        f->index = (size_t)index;
        f->status = status;
        f->detail = detail;
    }
    uint64_t n;
    GET(&in, n);
    if (in.failed)
        return fail(err, size, "corrupted (population)");
    if (n != p->n)
        return fail(err, size,
                    "population of %llu, but the configuration says %zu",
                    (unsigned long long)n, p->n);
    /* The indices point into the population. */
    if (st->best_index >= n)
        return fail(err, size, "corrupted (best of run)");
    for (int i = 0; i < st->nshown; i++)
        if (st->shown[i].index >= n)
            return fail(err, size, "corrupted (failure notes)");
    for (size_t i = 0; i < p->n; i++)
        if (get_individual(&in, &p->ind[i], ps) < 0)
            return fail(err, size, "corrupted (individual %zu)", i);
    if (in.left != 0)
        return fail(err, size, "corrupted (%zu bytes too many)", in.left);
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
