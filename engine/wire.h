/* wire: the farm's frames (job down, result up), their encoding, and whole-
 * length reads and writes. Pure but for the two I/O helpers; tested
 * without forking. */
#ifndef FORKGP_WIRE_H
#define FORKGP_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "forkgp.h"
#include "tree.h"

/*
 * A frame is a header and a payload, in the host's byte order (both ends
 * run the same binary on the same machine):
 *   header   magic u32 "FGPW", type u16, 0 u16, id u32, length u32
 *   JOB      generation u64, index u64, size u32, 0 u32, size nodes
 *   RESULT   index u64, status i32, nscores u32, seconds f64,
 *            scaled i32, nconst u32, intercept f64, slope f64,
 *            nerrors u32, 0 u32, nscores doubles, nconst doubles,
 *            nerrors floats
 * id numbers the frames each way, so a lost or repeated frame is seen.
 * seconds: how long the evaluation took the worker, by its own clock (the
 * farm paces itself by it: the parent's clock would add its own delays).
 * scaled, intercept, slope: the program's output o scored as intercept +
 * slope * o (linear scaling), when scaled is 1. nconst: the program's
 * constants as the evaluation tuned them, in prefix order (0: untuned).
 * nerrors: the case errors selection asked for (0: none), as floats:
 * selection only compares them, and half the bytes is half the cost of
 * the largest part of a result when there are many cases.
 */
#define WIRE_MAGIC 0x57504746u /* "FGPW" */
#define WIRE_HEADER 16
#define WIRE_MAX_PAYLOAD (24u + 65535u * sizeof(struct node)) /* largest JOB */
#define WIRE_RESULT_FIXED 56u /* a RESULT payload before its scores */
/* The largest RESULT frame with at most nerrors case errors. */
#define WIRE_RESULT_MAX_FOR(nerrors)                                          \
    (WIRE_HEADER + WIRE_RESULT_FIXED + 8u * FGP_MAX_SCORES + 8u * 65535u +    \
     4u * (size_t)(nerrors))
#define WIRE_RESULT_MAX WIRE_RESULT_MAX_FOR(0) /* one without case errors */

enum wire_type { WIRE_JOB = 1, WIRE_RESULT = 2 };

struct wire_header {
    uint32_t magic;
    uint16_t type;
    uint16_t zero;
    uint32_t id;
    uint32_t length; /* of the payload */
};

struct wire_result {
    uint64_t index;
    int32_t status;
    uint32_t nscores;
    double seconds; /* the evaluation's time, by the worker's clock */
    int32_t scaled; /* 1: the output was scored as intercept + slope * o */
    double intercept, slope;
    uint32_t nconst;       /* tuned constants; 0: the program's stand */
    const void *constants; /* nconst doubles, host order; decoded, they
                              point into the payload (possibly unaligned:
                              read them with memcpy) */
    uint32_t nerrors;      /* case errors; 0: none */
    const void *errors;    /* nerrors floats, host order, as constants */
    double scores[FGP_MAX_SCORES];
};

/* Writes a JOB frame for (generation, index, t) into buf (room for
 * WIRE_HEADER + WIRE_MAX_PAYLOAD). Returns the frame's length. */
size_t wire_put_job(unsigned char *buf, uint32_t id, uint64_t generation,
                    uint64_t index, const struct tree *t);

/* Writes a RESULT frame into buf (room for WIRE_RESULT_MAX_FOR(its
 * nerrors)). Returns the frame's length. */
size_t wire_put_result(unsigned char *buf, uint32_t id,
                       const struct wire_result *r);

/*
 * Reads a header from buf[0..WIRE_HEADER). Returns 0, or -1 when the magic,
 * the zero field, the type (want; 0 takes any) or the length (over max) is
 * wrong.
 */
int wire_get_header(const unsigned char *buf, struct wire_header *h,
                    uint16_t want, uint32_t max);

/* Decodes a JOB payload of len bytes into *generation, *index and t (whose
 * cap bounds the size). Returns 0, or -1 when it is malformed. */
int wire_get_job(const unsigned char *p, size_t len, uint64_t *generation,
                 uint64_t *index, struct tree *t);

/* Decodes a RESULT payload of len bytes. Returns 0 or -1 (malformed; more
 * than FGP_MAX_CASES case errors is). */
int wire_get_result(const unsigned char *p, size_t len,
                    struct wire_result *r);

/*
 * Moves exactly n bytes, retrying on EINTR and short transfers (OpenSSH's
 * atomicio). Return n, or less on end of file (read) or error (errno set).
 * Built with -DWIRE_MAX_CHUNK=k, each call moves at most k bytes, which
 * the tests use to force partial transfers.
 */
size_t wire_read_full(int fd, void *buf, size_t n);
size_t wire_write_full(int fd, const void *buf, size_t n);

/* One read() of up to n bytes (and WIRE_MAX_CHUNK), retried on EINTR:
 * whatever the pipe holds, for readers that take frames in bulk. Returns
 * the bytes read, 0 on end of file or error. */
size_t wire_read_some(int fd, void *buf, size_t n);

#endif
