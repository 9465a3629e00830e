/* buf: a growing byte buffer and a bounds-checked reader over bytes (in
 * the spirit of OpenSSH's sshbuf), for the wire's frames and checkpoints. */
#ifndef FORKGP_BUF_H
#define FORKGP_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * Bytes appended at the end, grown by doubling. Zeroed (buf_init) it is
 * empty and holds no memory. Failure is sticky: once an append fails (out
 * of memory, or past a fixed buffer's end) `failed` is set and every later
 * append fails too, so an encoder may check once, at its end. Integers and
 * doubles are written in the host's byte order, as memory holds them (the
 * wire and checkpoints are read back by the same binary kind).
 */
struct buf {
    unsigned char *data; /* len bytes written, room for cap */
    size_t len, cap;
    int fixed;  /* data is the caller's: never grown nor freed */
    int failed; /* an append failed; the contents are incomplete */
};

/* Sets up an empty buffer; allocates nothing. */
void buf_init(struct buf *b);

/* Sets up an empty buffer over the caller's cap bytes at mem, which it
 * never grows: an append past cap fails. buf_release leaves mem alone. */
void buf_init_fixed(struct buf *b, void *mem, size_t cap);

/* Empties b, keeping its memory, and clears a failure: for a buffer that
 * is filled and drained again and again (a queue of frames), which after
 * a failed append may fill again once it has drained. */
static inline void buf_reset(struct buf *b)
{
    b->len = 0;
    b->failed = 0;
}

/* Frees what b holds (not a fixed buffer's memory) and empties it. */
void buf_release(struct buf *b);

/* Makes room for n more bytes. Returns 0, or -1 (failed set) when memory
 * runs out or a fixed buffer is too small. The slow path of the appends. */
int buf_grow(struct buf *b, size_t n);

/* Room for n more bytes, at once (so that appends do not copy the buffer
 * as it grows). Returns 0 or -1 as buf_grow. */
static inline int buf_reserve(struct buf *b, size_t n)
{
    return b->cap - b->len < n ? buf_grow(b, n) : 0;
}

/* Appends n bytes from p. Returns 0, or -1 (failed set). */
static inline int buf_put(struct buf *b, const void *p, size_t n)
{
    if (b->cap - b->len < n && buf_grow(b, n) < 0)
        return -1;
    if (n) {
        memcpy(b->data + b->len, p, n);
        b->len += n;
    }
    return 0;
}

/* Appends one fixed-width value, as buf_put. */
static inline int buf_put_u16(struct buf *b, uint16_t v)
{
    return buf_put(b, &v, sizeof v);
}
static inline int buf_put_u32(struct buf *b, uint32_t v)
{
    return buf_put(b, &v, sizeof v);
}
static inline int buf_put_i32(struct buf *b, int32_t v)
{
    return buf_put(b, &v, sizeof v);
}
static inline int buf_put_u64(struct buf *b, uint64_t v)
{
    return buf_put(b, &v, sizeof v);
}
static inline int buf_put_i64(struct buf *b, int64_t v)
{
    return buf_put(b, &v, sizeof v);
}
static inline int buf_put_f64(struct buf *b, double v)
{
    return buf_put(b, &v, sizeof v);
}

/* Appends a u32 length and then the string's bytes (no NUL). Returns 0
 * or -1 (failed set, also for a string of 4 GiB or more). */
int buf_put_string(struct buf *b, const char *s);

/* Hands b's bytes to the caller (who frees them) with their length in
 * *len, and empties b. NULL (*len 0) when b failed (its memory is then
 * freed), is fixed, or never held memory. */
unsigned char *buf_steal(struct buf *b, size_t *len);

/*
 * Stores into memory the caller has sized, without a check, and returns
 * the address just past what was stored: for encoders whose room is
 * known beforehand (the wire's frames, written for every evaluation),
 * where a store costs one move. Host byte order, as struct buf's appends.
 */
static inline unsigned char *buf_store(unsigned char *p, const void *v,
                                       size_t n)
{
    if (n)
        memcpy(p, v, n);
    return p + n;
}
static inline unsigned char *buf_store_u16(unsigned char *p, uint16_t v)
{
    return buf_store(p, &v, sizeof v);
}
static inline unsigned char *buf_store_u32(unsigned char *p, uint32_t v)
{
    return buf_store(p, &v, sizeof v);
}
static inline unsigned char *buf_store_i32(unsigned char *p, int32_t v)
{
    return buf_store(p, &v, sizeof v);
}
static inline unsigned char *buf_store_u64(unsigned char *p, uint64_t v)
{
    return buf_store(p, &v, sizeof v);
}
static inline unsigned char *buf_store_f64(unsigned char *p, double v)
{
    return buf_store(p, &v, sizeof v);
}

/*
 * A reader of n bytes at p (borrowed): every get checks that the bytes are
 * there. Failure is sticky as for struct buf: a short read sets failed,
 * zeroes what it was to fill, and leaves nothing more to read, so a
 * decoder may check once after a run of gets. Host byte order, as written.
 */
struct buf_reader {
    const unsigned char *p; /* the next byte */
    size_t left;            /* bytes from p on */
    int failed;
};

static inline void buf_reader_init(struct buf_reader *r, const void *p,
                                   size_t n)
{
    r->p = p;
    r->left = n;
    r->failed = 0;
}

/* Copies the next n bytes into out. Returns 0, or -1 (failed set, out
 * zeroed) when fewer than n are left. */
static inline int buf_get(struct buf_reader *r, void *out, size_t n)
{
    if (r->left < n) {
        r->failed = 1;
        r->left = 0;
        memset(out, 0, n);
        return -1;
    }
    if (n) {
        memcpy(out, r->p, n);
        r->p += n;
        r->left -= n;
    }
    return 0;
}

/* Reads one fixed-width value into *v, as buf_get. */
static inline int buf_get_u16(struct buf_reader *r, uint16_t *v)
{
    return buf_get(r, v, sizeof *v);
}
static inline int buf_get_u32(struct buf_reader *r, uint32_t *v)
{
    return buf_get(r, v, sizeof *v);
}
static inline int buf_get_i32(struct buf_reader *r, int32_t *v)
{
    return buf_get(r, v, sizeof *v);
}
static inline int buf_get_u64(struct buf_reader *r, uint64_t *v)
{
    return buf_get(r, v, sizeof *v);
}
static inline int buf_get_i64(struct buf_reader *r, int64_t *v)
{
    return buf_get(r, v, sizeof *v);
}
static inline int buf_get_f64(struct buf_reader *r, double *v)
{
    return buf_get(r, v, sizeof *v);
}

/* Passes over n bytes. Returns 0, or -1 (failed set) when fewer are
 * left. */
int buf_skip(struct buf_reader *r, size_t n);

/* Reads a u32 length and that many bytes as a new NUL-terminated string
 * (the caller frees it). NULL when the length is over max, the bytes are
 * not there (failed set) or memory runs out. */
char *buf_get_string(struct buf_reader *r, size_t max);

#endif
