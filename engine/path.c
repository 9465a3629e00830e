/* path: joined and formatted file names, checked against PATH_MAX. */
#include "path.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int vformat(char *out, const char *fmt, va_list ap)
{
    int n = vsnprintf(out, PATH_MAX, fmt, ap);
    if (n < 0 || n >= PATH_MAX) {
        out[0] = '\0';
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

int path_format(char out[PATH_MAX], const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = vformat(out, fmt, ap);
    va_end(ap);
    return rc;
}

int path_join(char out[PATH_MAX], const char *dir, const char *name)
{
    return path_format(out, "%s/%s", dir, name);
}

char *path_join_new(const char *dir, const char *name)
{
    size_t n = strlen(dir) + 1 + strlen(name);
    if (n >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    char *s = malloc(n + 1);
    if (!s)
        return NULL; /* errno ENOMEM */
    size_t d = strlen(dir);
    memcpy(s, dir, d);
    s[d] = '/';
    memcpy(s + d + 1, name, n - d); /* and its NUL */
    return s;
}
