/* wire: the farm's frames (job down, result up), their encoding, and whole-
 * length reads and writes. */
#include "wire.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#ifndef WIRE_MAX_CHUNK
#define WIRE_MAX_CHUNK ((size_t)1 << 30)
#endif

/* Fields are copied with memcpy: frames are byte buffers, not aligned. */
#define PUT(p, v) (memcpy((p), &(v), sizeof(v)), (p) + sizeof(v))
#define GET(p, v) (memcpy(&(v), (p), sizeof(v)), (p) + sizeof(v))

static unsigned char *put_header(unsigned char *p, uint16_t type, uint32_t id,
                                 uint32_t length)
{
    struct wire_header h = {WIRE_MAGIC, type, 0, id, length};
    p = PUT(p, h.magic);
    p = PUT(p, h.type);
    p = PUT(p, h.zero);
    p = PUT(p, h.id);
    return PUT(p, h.length);
}

size_t wire_put_job(unsigned char *buf, uint32_t id, uint64_t generation,
                    uint64_t index, const struct tree *t)
{
    uint32_t size = t->size, zero = 0;
    size_t nodes = size * sizeof(struct node);
    unsigned char *p = put_header(buf, WIRE_JOB, id, (uint32_t)(24 + nodes));
    p = PUT(p, generation);
    p = PUT(p, index);
    p = PUT(p, size);
    p = PUT(p, zero);
    memcpy(p, t->nodes, nodes);
    return (size_t)(p - buf) + nodes;
}

size_t wire_put_result(unsigned char *buf, uint32_t id,
                       const struct wire_result *r)
{
    uint32_t n = r->nscores <= FGP_MAX_SCORES ? r->nscores : FGP_MAX_SCORES;
    unsigned char *p =
        put_header(buf, WIRE_RESULT, id, (uint32_t)(WIRE_RESULT_FIXED + 8 * n));
    p = PUT(p, r->index);
    p = PUT(p, r->status);
    p = PUT(p, n);
    p = PUT(p, r->seconds);
    memcpy(p, r->scores, 8 * n);
    return (size_t)(p - buf) + 8 * n;
}

int wire_get_header(const unsigned char *buf, struct wire_header *h,
                    uint16_t want, uint32_t max)
{
    const unsigned char *p = buf;
    p = GET(p, h->magic);
    p = GET(p, h->type);
    p = GET(p, h->zero);
    p = GET(p, h->id);
    p = GET(p, h->length);
    (void)p;
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
    if (len < 24)
        return -1;
    p = GET(p, *generation);
    p = GET(p, *index);
    p = GET(p, size);
    p = GET(p, zero);
    if (zero != 0 || size == 0 || size > t->cap ||
        len != 24 + (size_t)size * sizeof(struct node))
        return -1;
    memcpy(t->nodes, p, size * sizeof(struct node));
    t->size = size;
    return 0;
}

int wire_get_result(const unsigned char *p, size_t len,
                    struct wire_result *r)
{
    if (len < WIRE_RESULT_FIXED)
        return -1;
    p = GET(p, r->index);
    p = GET(p, r->status);
    p = GET(p, r->nscores);
    p = GET(p, r->seconds);
    if (r->nscores > FGP_MAX_SCORES ||
        len != WIRE_RESULT_FIXED + 8 * (size_t)r->nscores)
        return -1;
    memcpy(r->scores, p, 8 * r->nscores);
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
