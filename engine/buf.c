/* buf: a growing byte buffer and a bounds-checked reader. */
#include "buf.h"

#include <stdint.h>
#include <stdlib.h>

#define BUF_MIN 256

void buf_init(struct buf *b)
{
    memset(b, 0, sizeof *b);
}

void buf_init_fixed(struct buf *b, void *mem, size_t cap)
{
    memset(b, 0, sizeof *b);
    b->data = mem;
    b->cap = cap;
    b->fixed = 1;
}

void buf_release(struct buf *b)
{
    if (!b->fixed)
        free(b->data);
    buf_init(b);
}

/* Marks b failed and freezes it: with no room left, every later append
 * comes here and fails. */
static int fail(struct buf *b)
{
    b->failed = 1;
    b->cap = b->len;
    return -1;
}

int buf_grow(struct buf *b, size_t n)
{
    if (b->failed || b->fixed || n > SIZE_MAX / 2 - b->len)
        return fail(b);
    if (b->cap - b->len >= n)
        return 0;
    size_t cap = b->cap ? b->cap : BUF_MIN;
    while (cap - b->len < n)
        cap *= 2;
    unsigned char *more = realloc(b->data, cap);
    if (!more)
        return fail(b);
    b->data = more;
    b->cap = cap;
    return 0;
}

int buf_put_string(struct buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n > UINT32_MAX)
        return fail(b);
    if (buf_reserve(b, 4 + n) < 0)
        return -1;
    buf_put_u32(b, (uint32_t)n);
    return buf_put(b, s, n);
}

unsigned char *buf_steal(struct buf *b, size_t *len)
{
    unsigned char *data = b->failed || b->fixed ? NULL : b->data;
    *len = data ? b->len : 0;
    if (data)
        buf_init(b);
    else
        buf_release(b);
    return data;
}

int buf_skip(struct buf_reader *r, size_t n)
{
    if (r->left < n) {
        r->failed = 1;
        r->left = 0;
        return -1;
    }
    r->p += n;
    r->left -= n;
    return 0;
}

char *buf_get_string(struct buf_reader *r, size_t max)
{
    uint32_t n;
    if (buf_get_u32(r, &n) < 0 || n > max)
        return NULL;
    if (n > r->left) {
        buf_skip(r, n);
        return NULL;
    }
    char *s = malloc((size_t)n + 1);
    if (!s)
        return NULL;
    buf_get(r, s, n);
    s[n] = '\0';
    return s;
}
