/* test_wire: engine/wire.c's frames and whole-length I/O, without forking. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "rng.h"
#include "tree.h"
#include "wire.h"

#define MAX_NODES 65535u
#define FRAME_MAX (WIRE_HEADER + WIRE_MAX_PAYLOAD)
#define RESULT_MAX WIRE_RESULT_MAX
/* Bytes kept in a pipe at once: well under the 64 KiB Linux default. */
#define PIPE_ROOM 16384u
/* Bytes moved through a socket at once (see move_frame). */
#define SOCKET_PIECE 192u

/* Header field offsets, as wire.h documents them. */
#define OFF_MAGIC 0
#define OFF_TYPE 4
#define OFF_ZERO 6
#define OFF_ID 8
#define OFF_LENGTH 12

static const uint64_t extremes64[] = {
    0u,
    1u,
    UINT64_MAX,
    UINT64_MAX - 1,
    (uint64_t)1 << 63,
    0x0123456789abcdefULL,
};
#define N_EXTREMES64 (sizeof extremes64 / sizeof extremes64[0])

static const uint32_t ids[] = {0u, 1u, 0x7fffffffu, 0x80000000u, UINT32_MAX};
#define N_IDS (sizeof ids / sizeof ids[0])

/* Doubles whose bits must survive: NaNs with payloads and signs, infinities,
 * signed zeros, subnormals, the extremes. */
static const uint64_t score_bits[] = {
    0x7ff8000000000000ULL, /* quiet NaN */
    0xfff8000000000000ULL, /* -NaN */
    0x7ff0000000000001ULL, /* signalling NaN, payload 1 */
    0x7ff8dead0000beefULL, /* quiet NaN with a payload */
    0x7ff0000000000000ULL, /* +inf */
    0xfff0000000000000ULL, /* -inf */
    0x8000000000000000ULL, /* -0 */
    0x0000000000000000ULL, /* +0 */
    0x0000000000000001ULL, /* smallest subnormal */
    0x7fefffffffffffffULL, /* DBL_MAX */
    0xffefffffffffffffULL, /* -DBL_MAX */
    0x3ff0000000000000ULL, /* 1 */
};
#define N_SCORE_BITS (sizeof score_bits / sizeof score_bits[0])

static const int32_t statuses[] = {INT32_MIN, -1, 0, 1, 2, 3, 7, INT32_MAX};
#define N_STATUSES (sizeof statuses / sizeof statuses[0])

static void put_u16(unsigned char *p, uint16_t v)
{
    memcpy(p, &v, sizeof v);
}

static void put_u32(unsigned char *p, uint32_t v)
{
    memcpy(p, &v, sizeof v);
}

static uint16_t get_u16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v;
    memcpy(&v, p, sizeof v);
    return v;
}

/* A heap copy of exactly len bytes of p, so that ASan and valgrind see any
 * read past the length the decoder was given. The caller frees it. */
static unsigned char *exact_copy(const unsigned char *p, size_t len)
{
    unsigned char *q = malloc(len ? len : 1);
    assert_non_null(q);
    if (len)
        memcpy(q, p, len);
    return q;
}

/* Fills size nodes of t with arbitrary bytes (padding included). */
static void random_tree(struct tree *t, uint32_t size, struct rng *r)
{
    unsigned char *p = (unsigned char *)t->nodes;
    size_t n = (size_t)size * sizeof(struct node);
    for (size_t i = 0; i < n; i += 4) {
        uint32_t v = rng_u32(r);
        memcpy(p + i, &v, sizeof v);
    }
    t->size = size;
}

/* Checks a frame's header against what was encoded and returns its length
 * field. */
static uint32_t check_header(const unsigned char *buf, uint16_t type,
                             uint32_t id, size_t frame_len)
{
    struct wire_header h;
    assert_int_equal(wire_get_header(buf, &h, type, WIRE_MAX_PAYLOAD), 0);
    assert_int_equal(h.magic, WIRE_MAGIC);
    assert_int_equal(h.type, type);
    assert_int_equal(h.zero, 0);
    assert_int_equal(h.id, id);
    assert_int_equal(h.length, frame_len - WIRE_HEADER);
    /* The documented layout, field by field. */
    assert_int_equal(get_u32(buf + OFF_MAGIC), WIRE_MAGIC);
    assert_int_equal(get_u16(buf + OFF_TYPE), type);
    assert_int_equal(get_u16(buf + OFF_ZERO), 0);
    assert_int_equal(get_u32(buf + OFF_ID), id);
    assert_int_equal(get_u32(buf + OFF_LENGTH), h.length);
    /* Taking any type accepts it too. */
    struct wire_header any;
    assert_int_equal(wire_get_header(buf, &any, 0, WIRE_MAX_PAYLOAD), 0);
    assert_int_equal(any.type, type);
    return h.length;
}

/* Encodes t as a JOB, checks the frame and decodes it into a tree whose cap
 * is exactly t->size. */
static void job_round_trip(unsigned char *buf, const struct tree *t,
                           uint32_t id, uint64_t generation, uint64_t index)
{
    size_t nodes = (size_t)t->size * sizeof(struct node);
    size_t n = wire_put_job(buf, id, generation, index, t);
    assert_int_equal(n, WIRE_HEADER + 24 + nodes);
    assert_true(n <= FRAME_MAX);
    uint32_t len = check_header(buf, WIRE_JOB, id, n);

    const unsigned char *p = buf + WIRE_HEADER;
    assert_int_equal(get_u64(p), generation);
    assert_int_equal(get_u64(p + 8), index);
    assert_int_equal(get_u32(p + 16), t->size);
    assert_int_equal(get_u32(p + 20), 0);

    unsigned char *payload = exact_copy(p, len);
    struct tree out;
    assert_int_equal(tree_init(&out, t->size), 0);
    uint64_t g = ~generation, i = ~index;
    assert_int_equal(wire_get_job(payload, len, &g, &i, &out), 0);
    assert_int_equal(g, generation);
    assert_int_equal(i, index);
    assert_int_equal(out.size, t->size);
    assert_int_equal(out.cap, t->size);
    assert_memory_equal(out.nodes, t->nodes, nodes);
    tree_release(&out);
    free(payload);
}

/* ---- JOB and RESULT round trips ----------------------------------------- */

static void test_job_round_trip_sizes(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {
        1,    2,    3,    15,   16,    17,    255,   256,   257,
        1000, 4095, 4096, 4097, 32767, 32768, 65533, 65534, 65535,
    };
    struct rng r;
    rng_seed(&r, 0x5eed, 7);
    unsigned char *buf = malloc(FRAME_MAX);
    assert_non_null(buf);
    struct tree t;
    assert_int_equal(tree_init(&t, MAX_NODES), 0);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        random_tree(&t, sizes[k], &r);
        job_round_trip(buf, &t, (uint32_t)k, k, 1000 + k);
    }
    for (int k = 0; k < 24; k++) {
        random_tree(&t, 1 + rng_below(&r, MAX_NODES), &r);
        job_round_trip(buf, &t, rng_u32(&r), rng_u32(&r), rng_u32(&r));
    }
    tree_release(&t);
    free(buf);
}

static void test_job_round_trip_extremes(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 1, 2);
    unsigned char *buf = malloc(FRAME_MAX);
    assert_non_null(buf);
    struct tree t;
    assert_int_equal(tree_init(&t, 8), 0);
    for (size_t g = 0; g < N_EXTREMES64; g++)
        for (size_t i = 0; i < N_EXTREMES64; i++)
            for (size_t k = 0; k < N_IDS; k++) {
                random_tree(&t, 1 + (uint32_t)((g + i + k) % 8), &r);
                job_round_trip(buf, &t, ids[k], extremes64[g], extremes64[i]);
            }
    /* All-ones and all-zero node bytes. */
    memset(t.nodes, 0xff, 8 * sizeof(struct node));
    t.size = 8;
    job_round_trip(buf, &t, UINT32_MAX, UINT64_MAX, UINT64_MAX);
    memset(t.nodes, 0, 8 * sizeof(struct node));
    job_round_trip(buf, &t, 0, 0, 0);
    tree_release(&t);
    free(buf);
}

/* Encodes r as a RESULT, checks the frame and decodes it. */
static void result_round_trip(uint32_t id, const struct wire_result *r)
{
    unsigned char buf[RESULT_MAX];
    size_t n = wire_put_result(buf, id, r);
    assert_int_equal(n, WIRE_HEADER + WIRE_RESULT_FIXED + 8 * (size_t)r->nscores);
    uint32_t len = check_header(buf, WIRE_RESULT, id, n);

    const unsigned char *p = buf + WIRE_HEADER;
    assert_int_equal(get_u64(p), r->index);
    assert_int_equal((int32_t)get_u32(p + 8), r->status);
    assert_int_equal(get_u32(p + 12), r->nscores);
    assert_memory_equal(p + 16, &r->seconds, 8);
    assert_int_equal((int32_t)get_u32(p + 24), r->scaled);
    assert_int_equal(get_u32(p + 28), 0);
    assert_memory_equal(p + 32, &r->intercept, 8);
    assert_memory_equal(p + 40, &r->slope, 8);
    assert_int_equal(get_u32(p + 48), 0); /* no case errors */
    assert_int_equal(get_u32(p + 52), 0);

    unsigned char *payload = exact_copy(p, len);
    struct wire_result out;
    memset(&out, 0xa5, sizeof out);
    assert_int_equal(wire_get_result(payload, len, &out), 0);
    assert_int_equal(out.index, r->index);
    assert_int_equal(out.status, r->status);
    assert_int_equal(out.nscores, r->nscores);
    assert_memory_equal(&out.seconds, &r->seconds, 8);
    assert_int_equal(out.scaled, r->scaled);
    assert_memory_equal(&out.intercept, &r->intercept, 8);
    assert_memory_equal(&out.slope, &r->slope, 8);
    if (r->nscores) /* bit for bit: NaN != NaN */
        assert_memory_equal(out.scores, r->scores, 8 * (size_t)r->nscores);
    free(payload);
}

static void test_result_round_trip(void **state)
{
    (void)state;
    size_t turn = 0;
    for (uint32_t ns = 0; ns <= FGP_MAX_SCORES; ns++)
        for (size_t s = 0; s < N_STATUSES; s++)
            for (size_t i = 0; i < N_EXTREMES64; i++, turn++) {
                struct wire_result r;
                memset(&r, 0, sizeof r);
                r.index = extremes64[i];
                r.status = statuses[s];
                r.nscores = ns;
                r.seconds = 1e-6 * (double)turn;
                for (uint32_t k = 0; k < ns; k++)
                    memcpy(&r.scores[k], &score_bits[(turn + k) % N_SCORE_BITS],
                           8);
                result_round_trip(ids[turn % N_IDS], &r);
            }
}

static void test_result_special_values(void **state)
{
    (void)state;
    /* The same values written as doubles rather than as bit patterns. */
    struct wire_result r = {
        .index = 3,
        .status = 0,
        .nscores = FGP_MAX_SCORES,
        .scaled = 1,
        .intercept = -0.0,
        .slope = DBL_MAX,
        .scores = {NAN, -NAN, INFINITY, -INFINITY, -0.0, 0.0, DBL_MIN,
                   -DBL_MAX},
    };
    result_round_trip(0, &r);
    /* A scaled flag other than 0 or 1 is malformed. */
    unsigned char bad[RESULT_MAX];
    size_t bn = wire_put_result(bad, 0, &r);
    unsigned char two[4] = {2, 0, 0, 0};
    memcpy(bad + WIRE_HEADER + 24, two, 4);
    struct wire_result junk;
    assert_int_equal(
        wire_get_result(bad + WIRE_HEADER, bn - WIRE_HEADER, &junk), -1);
    unsigned char buf[RESULT_MAX];
    size_t n = wire_put_result(buf, 0, &r);
    struct wire_result out;
    assert_int_equal(wire_get_result(buf + WIRE_HEADER, n - WIRE_HEADER, &out),
                     0);
    assert_true(isnan(out.scores[0]));
    assert_true(isinf(out.scores[2]) && out.scores[2] > 0);
    assert_true(isinf(out.scores[3]) && out.scores[3] < 0);
    assert_true(out.scores[4] == 0 && signbit(out.scores[4]));
    assert_true(out.scores[5] == 0 && !signbit(out.scores[5]));
}

/* ---- malformed frames ---------------------------------------------------- */

/* A valid RESULT frame with three scores in buf; returns its length. */
static size_t sample_result(unsigned char *buf, uint32_t nscores)
{
    struct wire_result r = {.index = 42, .status = 1, .nscores = nscores};
    for (uint32_t k = 0; k < nscores; k++)
        r.scores[k] = k + 0.5;
    return wire_put_result(buf, 9, &r);
}

static int header_ok(const unsigned char *frame, uint16_t want, uint32_t max)
{
    unsigned char *copy = exact_copy(frame, WIRE_HEADER);
    struct wire_header h;
    int rc = wire_get_header(copy, &h, want, max);
    free(copy);
    return rc;
}

static void test_header_bad_magic(void **state)
{
    (void)state;
    unsigned char buf[RESULT_MAX];
    sample_result(buf, 3);
    assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), 0);
    for (int b = 0; b < 4; b++)
        for (int bit = 0; bit < 8; bit++) {
            unsigned char bad[WIRE_HEADER];
            memcpy(bad, buf, WIRE_HEADER);
            bad[OFF_MAGIC + b] ^= (unsigned char)(1u << bit);
            assert_int_equal(header_ok(bad, WIRE_RESULT, WIRE_MAX_PAYLOAD), -1);
            assert_int_equal(header_ok(bad, 0, WIRE_MAX_PAYLOAD), -1);
        }
    static const uint32_t magics[] = {0, UINT32_MAX, 0x46475057u /* swapped */};
    for (size_t k = 0; k < sizeof magics / sizeof magics[0]; k++) {
        put_u32(buf + OFF_MAGIC, magics[k]);
        assert_int_equal(header_ok(buf, 0, WIRE_MAX_PAYLOAD), -1);
    }
}

static void test_header_nonzero_zero_field(void **state)
{
    (void)state;
    static const uint16_t zeros[] = {1, 0x80, 0x100, 0x8000, 0xffff};
    unsigned char buf[RESULT_MAX];
    sample_result(buf, 3);
    for (size_t k = 0; k < sizeof zeros / sizeof zeros[0]; k++) {
        put_u16(buf + OFF_ZERO, zeros[k]);
        assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), -1);
        assert_int_equal(header_ok(buf, 0, WIRE_MAX_PAYLOAD), -1);
    }
}

static void test_header_wrong_type(void **state)
{
    (void)state;
    unsigned char buf[RESULT_MAX];
    sample_result(buf, 3);
    /* Want JOB, got RESULT, and the other way round. */
    assert_int_equal(header_ok(buf, WIRE_JOB, WIRE_MAX_PAYLOAD), -1);
    put_u16(buf + OFF_TYPE, WIRE_JOB);
    assert_int_equal(header_ok(buf, WIRE_JOB, WIRE_MAX_PAYLOAD), 0);
    assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), -1);
    /* Want any, got something that is neither. */
    static const uint16_t types[] = {0, 3, 7, 0x100, 0x101, 0xffff};
    for (size_t k = 0; k < sizeof types / sizeof types[0]; k++) {
        put_u16(buf + OFF_TYPE, types[k]);
        assert_int_equal(header_ok(buf, 0, WIRE_MAX_PAYLOAD), -1);
        assert_int_equal(header_ok(buf, WIRE_JOB, WIRE_MAX_PAYLOAD), -1);
        assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), -1);
    }
}

static void test_header_length_over_max(void **state)
{
    (void)state;
    unsigned char buf[RESULT_MAX];
    sample_result(buf, 3);
    put_u32(buf + OFF_LENGTH, 100);
    assert_int_equal(header_ok(buf, WIRE_RESULT, 100), 0);
    assert_int_equal(header_ok(buf, WIRE_RESULT, 99), -1);
    assert_int_equal(header_ok(buf, 0, 0), -1);
    put_u32(buf + OFF_LENGTH, 0);
    assert_int_equal(header_ok(buf, WIRE_RESULT, 0), 0);
    put_u32(buf + OFF_LENGTH, (uint32_t)WIRE_MAX_PAYLOAD);
    assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), 0);
    put_u32(buf + OFF_LENGTH, (uint32_t)WIRE_MAX_PAYLOAD + 1);
    assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), -1);
    put_u32(buf + OFF_LENGTH, UINT32_MAX);
    assert_int_equal(header_ok(buf, WIRE_RESULT, WIRE_MAX_PAYLOAD), -1);
    assert_int_equal(header_ok(buf, 0, UINT32_MAX - 1), -1);
}

/* The largest JOB (a tree of the largest size) fits the largest payload. */
static void test_largest_job_fits_max_payload(void **state)
{
    (void)state;
    assert_true(24 + (size_t)MAX_NODES * sizeof(struct node) <=
                WIRE_MAX_PAYLOAD);
}

/* Decodes a JOB payload from an exact copy into a tree of cap nodes. */
static int job_ok(const unsigned char *p, size_t len, uint32_t cap)
{
    unsigned char *copy = exact_copy(p, len);
    struct tree t;
    assert_int_equal(tree_init(&t, cap), 0);
    uint64_t g, i;
    int rc = wire_get_job(copy, len, &g, &i, &t);
    if (rc == 0)
        assert_true(t.size <= cap);
    tree_release(&t);
    free(copy);
    return rc;
}

static void test_job_malformed(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 3, 4);
    unsigned char buf[WIRE_HEADER + 24 + 6 * sizeof(struct node)];
    struct tree t;
    assert_int_equal(tree_init(&t, 6), 0);
    random_tree(&t, 4, &r);
    size_t n = wire_put_job(buf, 0, 5, 6, &t);
    unsigned char *p = buf + WIRE_HEADER;
    size_t len = n - WIRE_HEADER; /* 24 + 64 */
    assert_int_equal(job_ok(p, len, 4), 0);

    /* Too short for the fixed part. */
    for (size_t k = 0; k < 24; k++)
        assert_int_equal(job_ok(p, k, 4), -1);
    /* Length not matching size: a byte, a node either way; no nodes. */
    assert_int_equal(job_ok(p, len - 1, 4), -1);
    assert_int_equal(job_ok(p, len - 16, 4), -1);
    assert_int_equal(job_ok(p, 24, 4), -1);
    memset(buf + n, 0, sizeof buf - n);
    assert_int_equal(job_ok(p, len + 1, 4), -1);
    assert_int_equal(job_ok(p, len + 16, 5), -1);
    /* Over the tree's cap, by one and by far. */
    assert_int_equal(job_ok(p, len, 3), -1);
    assert_int_equal(job_ok(p, len, 0), -1);

    /* A size that disagrees with the length. */
    static const uint32_t sizes[] = {3, 5, 6, 65535, UINT32_MAX};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        put_u32(p + 16, sizes[k]);
        assert_int_equal(job_ok(p, len, 65535), -1);
    }
    /* Size 0, with and without nodes behind it. */
    put_u32(p + 16, 0);
    assert_int_equal(job_ok(p, 24, 4), -1);
    assert_int_equal(job_ok(p, len, 4), -1);
    put_u32(p + 16, 4);
    assert_int_equal(job_ok(p, len, 4), 0);

    /* The padding field after size. */
    static const uint32_t pads[] = {1, 0x100, 0x80000000u, UINT32_MAX};
    for (size_t k = 0; k < sizeof pads / sizeof pads[0]; k++) {
        put_u32(p + 20, pads[k]);
        assert_int_equal(job_ok(p, len, 4), -1);
    }
    tree_release(&t);
}

static int result_ok(const unsigned char *p, size_t len)
{
    unsigned char *copy = exact_copy(p, len);
    struct wire_result r;
    int rc = wire_get_result(copy, len, &r);
    free(copy);
    return rc;
}

static void test_result_malformed(void **state)
{
    (void)state;
    unsigned char buf[RESULT_MAX + 16];
    memset(buf, 0, sizeof buf);
    size_t n = sample_result(buf, 3);
    unsigned char *p = buf + WIRE_HEADER;
    size_t len = WIRE_RESULT_FIXED + 3 * 8;
    assert_int_equal(n, WIRE_HEADER + len);
    assert_int_equal(result_ok(p, len), 0);

    for (size_t k = 0; k < WIRE_RESULT_FIXED; k++)
        assert_int_equal(result_ok(p, k), -1);
    /* Length not matching nscores. */
    assert_int_equal(result_ok(p, len - 1), -1);
    assert_int_equal(result_ok(p, len + 1), -1);
    assert_int_equal(result_ok(p, len - 8), -1);
    assert_int_equal(result_ok(p, len + 8), -1);
    assert_int_equal(result_ok(p, WIRE_RESULT_FIXED), -1);
    /* nscores 0 wants exactly the fixed part. */
    put_u32(p + 12, 0);
    assert_int_equal(result_ok(p, WIRE_RESULT_FIXED), 0);
    assert_int_equal(result_ok(p, WIRE_RESULT_FIXED + 8), -1);
    /* Over FGP_MAX_SCORES, even with a length that would match. */
    static const uint32_t over[] = {FGP_MAX_SCORES + 1, FGP_MAX_SCORES + 2,
                                    0x20000000u, UINT32_MAX};
    for (size_t k = 0; k < sizeof over / sizeof over[0]; k++) {
        put_u32(p + 12, over[k]);
        assert_int_equal(
            result_ok(p, WIRE_RESULT_FIXED + 8 * (FGP_MAX_SCORES + 1)), -1);
        assert_int_equal(result_ok(p, len), -1);
    }
    put_u32(p + 12, FGP_MAX_SCORES);
    assert_int_equal(result_ok(p, WIRE_RESULT_FIXED + 8 * FGP_MAX_SCORES), 0);
}

/* Case errors travel after the constants, as floats, bit for bit; a
 * count over FGP_MAX_CASES, a length that does not match it, or a
 * nonzero padding word is malformed. */
static void test_result_case_errors(void **state)
{
    (void)state;
    static unsigned char buf[WIRE_RESULT_MAX_FOR(5)];
    const float errs[5] = {0.0f, 1.5f, INFINITY, 1e-30f, 3.25f};
    const double consts[2] = {0.5, -2.0};
    struct wire_result r = {.index = 7, .status = 0, .nscores = 1,
                            .nconst = 2, .constants = consts,
                            .nerrors = 5, .errors = errs};
    r.scores[0] = 0.25;
    size_t n = wire_put_result(buf, 3, &r);
    assert_int_equal(n, WIRE_HEADER + WIRE_RESULT_FIXED + 8 + 16 + 20);
    const unsigned char *p = buf + WIRE_HEADER;
    size_t len = n - WIRE_HEADER;
    assert_int_equal(get_u32(p + 48), 5);
    unsigned char *copy = exact_copy(p, len);
    struct wire_result out;
    assert_int_equal(wire_get_result(copy, len, &out), 0);
    assert_int_equal(out.nerrors, 5);
    assert_int_equal(out.nconst, 2);
    assert_memory_equal(out.errors, errs, sizeof errs);
    assert_memory_equal(out.constants, consts, sizeof consts);
    free(copy);
    /* A count the length does not hold, or more than there may be. */
    unsigned char *bad = exact_copy(p, len);
    put_u32(bad + 48, 4);
    assert_int_equal(wire_get_result(bad, len, &out), -1);
    put_u32(bad + 48, FGP_MAX_CASES + 1);
    assert_int_equal(wire_get_result(bad, len, &out), -1);
    put_u32(bad + 48, 5);
    put_u32(bad + 52, 1);
    assert_int_equal(wire_get_result(bad, len, &out), -1);
    put_u32(bad + 52, 0);
    assert_int_equal(wire_get_result(bad, len, &out), 0);
    assert_int_equal(wire_get_result(bad, len - 4, &out), -1);
    free(bad);
}

/* ---- wire_read_full / wire_write_full ------------------------------------ */

static void close_pair(int fd[2])
{
    if (fd[0] >= 0)
        close(fd[0]);
    if (fd[1] >= 0)
        close(fd[1]);
}

/*
 * Reads one frame from fd the way the farm does, a header then exactly the
 * payload it announces, into buf. Returns the frame's length.
 */
static size_t read_frame(int fd, unsigned char *buf, uint16_t want)
{
    struct wire_header h;
    assert_int_equal(wire_read_full(fd, buf, WIRE_HEADER), WIRE_HEADER);
    assert_int_equal(wire_get_header(buf, &h, want, WIRE_MAX_PAYLOAD), 0);
    assert_int_equal(wire_read_full(fd, buf + WIRE_HEADER, h.length), h.length);
    return WIRE_HEADER + h.length;
}

/*
 * Sends frame out[0..n) from wfd and reads it into in from rfd: whole, or
 * (piece < n) the header, then the payload in pieces each written and then
 * read, for a socket, where each 3-byte write of the capped build is a
 * buffer of its own and a few hundred bytes fill the send budget.
 */
static void move_frame(int wfd, int rfd, const unsigned char *out, size_t n,
                       unsigned char *in, uint16_t want, size_t piece)
{
    if (piece >= n) {
        assert_int_equal(wire_write_full(wfd, out, n), n);
        assert_int_equal(read_frame(rfd, in, want), n);
        return;
    }
    struct wire_header h;
    assert_int_equal(wire_write_full(wfd, out, WIRE_HEADER), WIRE_HEADER);
    assert_int_equal(wire_read_full(rfd, in, WIRE_HEADER), WIRE_HEADER);
    assert_int_equal(wire_get_header(in, &h, want, WIRE_MAX_PAYLOAD), 0);
    assert_int_equal(WIRE_HEADER + h.length, n);
    for (size_t off = WIRE_HEADER; off < n; off += piece) {
        size_t k = n - off < piece ? n - off : piece;
        assert_int_equal(wire_write_full(wfd, out + off, k), k);
        assert_int_equal(wire_read_full(rfd, in + off, k), k);
    }
}

/* Sends a JOB of size random nodes from wfd and reads it back from rfd,
 * moved as move_frame does. */
static void send_job(int wfd, int rfd, uint32_t size, uint32_t id,
                     struct rng *r, size_t piece)
{
    unsigned char *out = malloc(FRAME_MAX), *in = malloc(FRAME_MAX);
    assert_non_null(out);
    assert_non_null(in);
    struct tree t, back;
    assert_int_equal(tree_init(&t, size), 0);
    assert_int_equal(tree_init(&back, size), 0);
    random_tree(&t, size, r);
    size_t n = wire_put_job(out, id, id * 3ull, ~(uint64_t)id, &t);
    assert_true(n <= PIPE_ROOM);
    move_frame(wfd, rfd, out, n, in, WIRE_JOB, piece);
    assert_memory_equal(in, out, n);
    uint64_t g, i;
    assert_int_equal(
        wire_get_job(in + WIRE_HEADER, n - WIRE_HEADER, &g, &i, &back), 0);
    assert_int_equal(g, id * 3ull);
    assert_int_equal(i, ~(uint64_t)id);
    assert_memory_equal(back.nodes, t.nodes, size * sizeof(struct node));
    tree_release(&back);
    tree_release(&t);
    free(in);
    free(out);
}

static void test_pipe_frames(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {1, 2, 3, 17, 100, 255, 256, 1000};
    struct rng r;
    rng_seed(&r, 11, 12);
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++)
        send_job(fd[1], fd[0], sizes[k], (uint32_t)k, &r, PIPE_ROOM);
    for (uint32_t ns = 0; ns <= FGP_MAX_SCORES; ns++) {
        unsigned char out[RESULT_MAX], in[RESULT_MAX];
        size_t n = sample_result(out, ns);
        assert_int_equal(wire_write_full(fd[1], out, n), n);
        assert_int_equal(read_frame(fd[0], in, WIRE_RESULT), n);
        assert_memory_equal(in, out, n);
    }
    close_pair(fd);
}

static void test_socketpair_frames(void **state)
{
    (void)state;
    static const uint32_t sizes[] = {1, 5, 64, 333, 1000};
    struct rng r;
    rng_seed(&r, 13, 14);
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        /* Jobs one way, results the other, as between farm and worker. */
        send_job(sv[0], sv[1], sizes[k], (uint32_t)k, &r, SOCKET_PIECE);
        unsigned char out[RESULT_MAX], in[RESULT_MAX];
        size_t n = sample_result(out, (uint32_t)k % (FGP_MAX_SCORES + 1));
        assert_int_equal(wire_write_full(sv[1], out, n), n);
        assert_int_equal(read_frame(sv[0], in, WIRE_RESULT), n);
        assert_memory_equal(in, out, n);
    }
    /* End of file mid-frame on a socket: a short count. */
    unsigned char out[RESULT_MAX], in[RESULT_MAX];
    size_t n = sample_result(out, FGP_MAX_SCORES);
    assert_int_equal(wire_write_full(sv[1], out, 20), 20);
    close(sv[1]);
    sv[1] = -1;
    assert_int_equal(wire_read_full(sv[0], in, n), 20);
    assert_memory_equal(in, out, 20);
    close_pair(sv);
}

/* Several frames of both types written back to back, then read in turn. */
static void test_pipe_back_to_back(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 15, 16);
    enum { NFRAMES = 24 };
    unsigned char *stream = malloc(PIPE_ROOM);
    size_t at[NFRAMES + 1], len = 0;
    assert_non_null(stream);
    struct tree t;
    assert_int_equal(tree_init(&t, 64), 0);
    for (uint32_t k = 0; k < NFRAMES; k++) {
        at[k] = len;
        if (k % 3 == 2) {
            len += sample_result(stream + len, k % (FGP_MAX_SCORES + 1));
        } else {
            random_tree(&t, 1 + rng_below(&r, 64), &r);
            len += wire_put_job(stream + len, k, k, k, &t);
        }
        assert_true(len + WIRE_HEADER + 24 + 64 * 16 <= PIPE_ROOM);
    }
    at[NFRAMES] = len;

    int fd[2];
    assert_int_equal(pipe(fd), 0);
    assert_int_equal(wire_write_full(fd[1], stream, len), len);
    unsigned char in[WIRE_HEADER + 24 + 64 * 16];
    for (uint32_t k = 0; k < NFRAMES; k++) {
        size_t n = read_frame(fd[0], in, 0);
        assert_int_equal(n, at[k + 1] - at[k]);
        assert_memory_equal(in, stream + at[k], n);
        assert_int_equal(get_u16(in + OFF_TYPE),
                         k % 3 == 2 ? WIRE_RESULT : WIRE_JOB);
    }
    /* All taken: the writer closes, the next header read gets nothing. */
    close(fd[1]);
    assert_int_equal(wire_read_full(fd[0], in, WIRE_HEADER), 0);
    close(fd[0]);
    tree_release(&t);
    free(stream);
}

/*
 * The largest frames do not fit a pipe: the writer and the reader take
 * turns, a piece at a time, each piece moved whole by the helpers.
 */
static void test_pipe_largest_frames(void **state)
{
    (void)state;
    struct rng r;
    rng_seed(&r, 17, 18);
    unsigned char *out = malloc(FRAME_MAX), *in = malloc(FRAME_MAX);
    assert_non_null(out);
    assert_non_null(in);
    struct tree t;
    assert_int_equal(tree_init(&t, MAX_NODES), 0);
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    static const uint32_t sizes[] = {MAX_NODES, MAX_NODES - 1, 40000};
    for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        random_tree(&t, sizes[k], &r);
        size_t n = wire_put_job(out, (uint32_t)k, UINT64_MAX, k, &t);
        /* The header, then the payload in uneven pieces. */
        assert_int_equal(wire_write_full(fd[1], out, WIRE_HEADER), WIRE_HEADER);
        struct wire_header h;
        assert_int_equal(wire_read_full(fd[0], in, WIRE_HEADER), WIRE_HEADER);
        assert_int_equal(wire_get_header(in, &h, WIRE_JOB, WIRE_MAX_PAYLOAD),
                         0);
        assert_int_equal(WIRE_HEADER + h.length, n);
        for (size_t off = WIRE_HEADER; off < n;) {
            size_t piece = 1 + rng_below(&r, PIPE_ROOM);
            if (piece > n - off)
                piece = n - off;
            assert_int_equal(wire_write_full(fd[1], out + off, piece), piece);
            assert_int_equal(wire_read_full(fd[0], in + off, piece), piece);
            off += piece;
        }
        assert_memory_equal(in, out, n);
        struct tree back;
        assert_int_equal(tree_init(&back, sizes[k]), 0);
        uint64_t g, i;
        assert_int_equal(
            wire_get_job(in + WIRE_HEADER, h.length, &g, &i, &back), 0);
        assert_int_equal(g, UINT64_MAX);
        assert_int_equal(i, k);
        assert_memory_equal(back.nodes, t.nodes,
                            (size_t)sizes[k] * sizeof(struct node));
        tree_release(&back);
    }
    close_pair(fd);
    tree_release(&t);
    free(in);
    free(out);
}

static void test_pipe_eof_mid_frame(void **state)
{
    (void)state;
    unsigned char out[RESULT_MAX], in[RESULT_MAX];
    size_t n = sample_result(out, FGP_MAX_SCORES);
    /* Mid-header, mid-payload, and one byte short. */
    const size_t cuts[] = {1, WIRE_HEADER - 1, WIRE_HEADER + 5, n - 1};
    for (size_t k = 0; k < sizeof cuts / sizeof cuts[0]; k++) {
        int fd[2];
        assert_int_equal(pipe(fd), 0);
        assert_int_equal(wire_write_full(fd[1], out, cuts[k]), cuts[k]);
        close(fd[1]);
        memset(in, 0, sizeof in);
        assert_int_equal(wire_read_full(fd[0], in, n), cuts[k]);
        assert_memory_equal(in, out, cuts[k]);
        assert_int_equal(wire_read_full(fd[0], in, n), 0);
        close(fd[0]);
    }
    /* Nothing at all. */
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    close(fd[1]);
    assert_int_equal(wire_read_full(fd[0], in, WIRE_HEADER), 0);
    close(fd[0]);
}

/* Errors end the transfer with a short count and errno set. */
static void test_io_errors(void **state)
{
    (void)state;
    unsigned char buf[64] = {0};
    errno = 0;
    assert_int_equal(wire_read_full(-1, buf, 8), 0);
    assert_int_equal(errno, EBADF);
    errno = 0;
    assert_int_equal(wire_write_full(-1, buf, 8), 0);
    assert_int_equal(errno, EBADF);
    /* Nothing to move: no call at all, so even a bad descriptor is fine. */
    assert_int_equal(wire_read_full(-1, buf, 0), 0);
    assert_int_equal(wire_write_full(-1, buf, 0), 0);

    /* A reader that has gone: EPIPE (SIGPIPE ignored, as the farm does). */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigemptyset(&ign.sa_mask);
    assert_int_equal(sigaction(SIGPIPE, &ign, &old), 0);
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    close(fd[0]);
    errno = 0;
    assert_int_equal(wire_write_full(fd[1], buf, sizeof buf), 0);
    assert_int_equal(errno, EPIPE);
    close(fd[1]);
    assert_int_equal(sigaction(SIGPIPE, &old, NULL), 0);
}

/* ---- interrupted transfers ----------------------------------------------- */

/* What the SIGALRM handlers share with the tests. */
static struct {
    int fd;                    /* the pipe end the handler uses */
    const unsigned char *rest; /* read test: written on the second tick */
    size_t nrest;
    unsigned char *sink; /* write test: where the handler drains to */
    size_t sinkcap;
    volatile size_t sinklen;
    volatile sig_atomic_t ticks;
} alarm_ctx;

/* Read test: the first tick only interrupts the blocked read, which must
 * retry on EINTR; the second writes the missing bytes. */
static void on_alarm_feed(int sig)
{
    (void)sig;
    int saved = errno;
    if (++alarm_ctx.ticks == 2 &&
        write(alarm_ctx.fd, alarm_ctx.rest, alarm_ctx.nrest) < 0)
        abort();
    errno = saved;
}

/* Write test: each tick drains a little of the full pipe, so the blocked
 * write is interrupted (EINTR) or cut short, and must go on. */
static void on_alarm_drain(int sig)
{
    (void)sig;
    int saved = errno;
    alarm_ctx.ticks++;
    size_t room = alarm_ctx.sinkcap - alarm_ctx.sinklen;
    ssize_t got = read(alarm_ctx.fd, alarm_ctx.sink + alarm_ctx.sinklen,
                       room < 4096 ? room : 4096);
    if (got > 0)
        alarm_ctx.sinklen += (size_t)got;
    errno = saved;
}

/* Installs handler for SIGALRM without SA_RESTART, so that a blocked read
 * or write fails with EINTR, and ticks every usec microseconds. */
static void alarm_start(void (*handler)(int), struct sigaction *old, long usec)
{
    struct sigaction sa = {.sa_handler = handler, .sa_flags = 0};
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, old), 0);
    struct itimerval it = {{0, usec}, {0, usec}};
    assert_int_equal(setitimer(ITIMER_REAL, &it, NULL), 0);
}

/* Stops the ticks; a tick still pending is dropped by SIG_IGN. */
static void alarm_stop(const struct sigaction *old)
{
    struct itimerval off = {{0, 0}, {0, 0}};
    assert_int_equal(setitimer(ITIMER_REAL, &off, NULL), 0);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    sigemptyset(&ign.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &ign, NULL), 0);
    assert_int_equal(sigaction(SIGALRM, old, NULL), 0);
}

static void test_read_retries_eintr(void **state)
{
    (void)state;
    unsigned char out[RESULT_MAX], in[RESULT_MAX];
    size_t n = sample_result(out, FGP_MAX_SCORES);
    /* Nothing, part of the header, part of the payload beforehand. */
    const size_t firsts[] = {0, 10, WIRE_HEADER + 3};
    for (size_t k = 0; k < sizeof firsts / sizeof firsts[0]; k++) {
        size_t first = firsts[k];
        int fd[2];
        assert_int_equal(pipe(fd), 0);
        /* Part of the frame now, the rest from the handler. */
        assert_int_equal(wire_write_full(fd[1], out, first), first);
        alarm_ctx.fd = fd[1];
        alarm_ctx.rest = out + first;
        alarm_ctx.nrest = n - first;
        alarm_ctx.ticks = 0;
        struct sigaction old;
        memset(in, 0, sizeof in);
        alarm_start(on_alarm_feed, &old, 20000);
        size_t got = wire_read_full(fd[0], in, n);
        alarm_stop(&old);
        assert_int_equal(got, n);
        assert_true(alarm_ctx.ticks >= 2);
        assert_memory_equal(in, out, n);
        close_pair(fd);
    }
}

static void test_write_retries_eintr(void **state)
{
    (void)state;
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    /* Fill the pipe through a non-blocking write end, then block again. */
    int wflags = fcntl(fd[1], F_GETFL);
    assert_true(wflags >= 0);
    assert_int_equal(fcntl(fd[1], F_SETFL, wflags | O_NONBLOCK), 0);
    enum { FILL_MAX = 1 << 21, DATA = 40000 };
    unsigned char *sink = malloc(FILL_MAX + DATA), *data = malloc(DATA);
    unsigned char *fill = malloc(4096);
    assert_non_null(sink);
    assert_non_null(data);
    assert_non_null(fill);
    memset(fill, 0xee, 4096);
    size_t filled = 0;
    for (size_t piece = 4096; piece > 0;) {
        ssize_t put = write(fd[1], fill, piece);
        if (put < 0) {
            assert_true(errno == EAGAIN || errno == EWOULDBLOCK);
            piece /= 2; /* top up with smaller writes */
            continue;
        }
        filled += (size_t)put;
        assert_true(filled <= FILL_MAX - 4096);
    }
    assert_int_equal(fcntl(fd[1], F_SETFL, wflags), 0);
    /* The handler's reads must never block. */
    int rflags = fcntl(fd[0], F_GETFL);
    assert_true(rflags >= 0);
    assert_int_equal(fcntl(fd[0], F_SETFL, rflags | O_NONBLOCK), 0);
    for (size_t i = 0; i < DATA; i++)
        data[i] = (unsigned char)(i * 7 + 1);

    alarm_ctx.fd = fd[0];
    alarm_ctx.sink = sink;
    alarm_ctx.sinkcap = FILL_MAX + DATA;
    alarm_ctx.sinklen = 0;
    alarm_ctx.ticks = 0;
    struct sigaction old;
    alarm_start(on_alarm_drain, &old, 5000);
    size_t put = wire_write_full(fd[1], data, DATA);
    alarm_stop(&old);
    assert_int_equal(put, DATA);
    assert_true(alarm_ctx.ticks >= 1);

    /* Take what the handler left; the stream is the fill, then the data. */
    size_t len = alarm_ctx.sinklen;
    for (;;) {
        ssize_t got = read(fd[0], sink + len, FILL_MAX + DATA - len);
        if (got <= 0)
            break;
        len += (size_t)got;
    }
    assert_int_equal(len, filled + DATA);
    for (size_t i = 0; i < filled; i++)
        if (sink[i] != 0xee)
            fail_msg("fill byte %zu changed", i);
    assert_memory_equal(sink + filled, data, DATA);
    close_pair(fd);
    free(fill);
    free(data);
    free(sink);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_job_round_trip_sizes),
        cmocka_unit_test(test_job_round_trip_extremes),
        cmocka_unit_test(test_result_round_trip),
        cmocka_unit_test(test_result_special_values),
        cmocka_unit_test(test_header_bad_magic),
        cmocka_unit_test(test_header_nonzero_zero_field),
        cmocka_unit_test(test_header_wrong_type),
        cmocka_unit_test(test_header_length_over_max),
        cmocka_unit_test(test_largest_job_fits_max_payload),
        cmocka_unit_test(test_job_malformed),
        cmocka_unit_test(test_result_malformed),
        cmocka_unit_test(test_result_case_errors),
        cmocka_unit_test(test_pipe_frames),
        cmocka_unit_test(test_socketpair_frames),
        cmocka_unit_test(test_pipe_back_to_back),
        cmocka_unit_test(test_pipe_largest_frames),
        cmocka_unit_test(test_pipe_eof_mid_frame),
        cmocka_unit_test(test_io_errors),
        cmocka_unit_test(test_read_retries_eintr),
        cmocka_unit_test(test_write_retries_eintr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
