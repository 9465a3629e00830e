/* wire: the farm's frames (job down, result up), their encoding, and whole-
 * length reads and writes. */
#include "wire.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"

#ifndef WIRE_MAX_CHUNK
#define WIRE_MAX_CHUNK ((size_t)1 << 30)
#endif

/* Frames are written with unchecked stores: wire.h sizes the caller's
 * buffer for the largest frame of each type. */
static unsigned char *put_header(unsigned char *p, uint16_t type, uint32_t id,
                                 uint32_t length)
{
    p = buf_store_u32(p, WIRE_MAGIC);
    p = buf_store_u16(p, type);
    p = buf_store_u16(p, 0);
    p = buf_store_u32(p, id);
    return buf_store_u32(p, length);
}

size_t wire_put_job(unsigned char *buf, uint32_t id, uint64_t generation,
                    uint64_t index, const struct tree *t)
{
    size_t nodes = t->size * sizeof(struct node);
    unsigned char *p = put_header(buf, WIRE_JOB, id, (uint32_t)(24 + nodes));
    p = buf_store_u64(p, generation);
    p = buf_store_u64(p, index);
    p = buf_store_u32(p, t->size);
    p = buf_store_u32(p, 0);
    p = buf_store(p, t->nodes, nodes);
    return (size_t)(p - buf);
}

size_t wire_put_result(unsigned char *buf, uint32_t id,
                       const struct wire_result *r)
{
    uint32_t n = r->nscores <= FGP_MAX_SCORES ? r->nscores : FGP_MAX_SCORES;
    uint32_t nc = r->nconst <= 65535 ? r->nconst : 0;
    uint32_t ne = r->nerrors <= FGP_MAX_CASES ? r->nerrors : 0;
    unsigned char *p = put_header(
        buf, WIRE_RESULT, id,
        (uint32_t)(WIRE_RESULT_FIXED + 8 * (size_t)n + 8 * (size_t)nc +
                   4 * (size_t)ne));
    p = buf_store_u64(p, r->index);
    p = buf_store_i32(p, r->status);
    p = buf_store_u32(p, n);
    p = buf_store_f64(p, r->seconds);
    p = buf_store_i32(p, r->scaled);
    p = buf_store_u32(p, nc);
    p = buf_store_f64(p, r->intercept);
    p = buf_store_f64(p, r->slope);
    p = buf_store_u32(p, ne);
    p = buf_store_u32(p, 0);
    p = buf_store(p, r->scores, 8 * (size_t)n);
    if (nc)
        p = buf_store(p, r->constants, 8 * (size_t)nc);
    if (ne)
        p = buf_store(p, r->errors, 4 * (size_t)ne);
    return (size_t)(p - buf);
}

int wire_get_header(const unsigned char *buf, struct wire_header *h,
                    uint16_t want, uint32_t max)
{
    struct buf_reader in;
    buf_reader_init(&in, buf, WIRE_HEADER);
    buf_get_u32(&in, &h->magic);
    buf_get_u16(&in, &h->type);
    buf_get_u16(&in, &h->zero);
    buf_get_u32(&in, &h->id);
    buf_get_u32(&in, &h->length);
    if (h->magic != WIRE_MAGIC || h->zero != 0 || h->length > max)
        return -1;
    if (want ? h->type != want
             : h->type != WIRE_JOB && h->type != WIRE_RESULT)
        return -1;
    return 0;
}

int wire_get_job(const unsigned char *p, size_t len, uint64_t *generation,
                 uint64_t *index, struct tree *t)
{
    uint32_t size, zero;
    struct buf_reader in;
    buf_reader_init(&in, p, len);
    buf_get_u64(&in, generation);
    buf_get_u64(&in, index);
    buf_get_u32(&in, &size);
    buf_get_u32(&in, &zero);
    if (in.failed || zero != 0 || size == 0 || size > t->cap ||
        in.left != (size_t)size * sizeof(struct node))
        return -1;
    buf_get(&in, t->nodes, size * sizeof(struct node));
    t->size = size;
    return 0;
}

int wire_get_result(const unsigned char *p, size_t len,
                    struct wire_result *r)
{
    struct buf_reader in;
    buf_reader_init(&in, p, len);
    buf_get_u64(&in, &r->index);
    buf_get_i32(&in, &r->status);
    buf_get_u32(&in, &r->nscores);
    buf_get_f64(&in, &r->seconds);
    buf_get_i32(&in, &r->scaled);
    buf_get_u32(&in, &r->nconst);
    buf_get_f64(&in, &r->intercept);
    buf_get_f64(&in, &r->slope);
    uint32_t zero;
    buf_get_u32(&in, &r->nerrors);
    buf_get_u32(&in, &zero);
    if (in.failed || r->nscores > FGP_MAX_SCORES || r->nconst > 65535 ||
        r->nerrors > FGP_MAX_CASES || zero != 0 ||
        (r->scaled != 0 && r->scaled != 1) ||
        in.left != 8 * (size_t)r->nscores + 8 * (size_t)r->nconst +
                       4 * (size_t)r->nerrors)
        return -1;
    buf_get(&in, r->scores, 8 * (size_t)r->nscores);
    r->constants = r->nconst ? in.p : NULL;
    r->errors = r->nerrors ? in.p + 8 * (size_t)r->nconst : NULL;
    return 0;
}

size_t wire_read_full(int fd, void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < WIRE_MAX_CHUNK ? n - done : WIRE_MAX_CHUNK;
        ssize_t got = read(fd, (char *)buf + done, want);
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (got <= 0)
            break;
        done += (size_t)got;
    }
    return done;
}

size_t wire_read_some(int fd, void *buf, size_t n)
{
    size_t want = n < WIRE_MAX_CHUNK ? n : WIRE_MAX_CHUNK;
    for (;;) {
        ssize_t got = read(fd, buf, want);
        if (got < 0 && errno == EINTR)
            continue;
        return got > 0 ? (size_t)got : 0;
    }
}

size_t wire_write_full(int fd, const void *buf, size_t n)
{
    size_t done = 0;
    while (done < n) {
        size_t want = n - done < WIRE_MAX_CHUNK ? n - done : WIRE_MAX_CHUNK;
        ssize_t put = write(fd, (const char *)buf + done, want);
        if (put < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (put <= 0)
            break;
        done += (size_t)put;
    }
    return done;
}
