/* error: messages for a person, in a caller-owned buffer. */
#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int error_vset(struct error *e, const char *fmt, va_list ap)
{
    if (e)
        vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    return -1;
}

int error_set(struct error *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    error_vset(e, fmt, ap);
    va_end(ap);
    return -1;
}

int error_prefix(struct error *e, const char *fmt, ...)
{
    if (!e)
        return -1;
    char head[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    if (n < 0)
        return -1;
    size_t h = (size_t)n < sizeof head ? (size_t)n : sizeof head - 1;
    size_t m = strnlen(e->msg, sizeof e->msg - 1);
    /* The message moves right to make room; its end is cut, never the
     * prefix's. */
    if (h + m > sizeof e->msg - 1)
        m = sizeof e->msg - 1 - h;
    memmove(e->msg + h, e->msg, m);
    memcpy(e->msg, head, h);
    e->msg[h + m] = '\0';
    return -1;
}

void error_clear(struct error *e)
{
    if (e)
        e->msg[0] = '\0';
}
