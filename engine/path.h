/* path: file names joined and formatted into checked buffers: a name that
 * does not fit is an error (ENAMETOOLONG), never a silently cut one. */
#ifndef FORKGP_PATH_H
#define FORKGP_PATH_H

#include <limits.h>

#ifndef PATH_MAX
#define PATH_MAX 4096
#endif

#if defined(__GNUC__)
#define PATH_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define PATH_PRINTF(f, a)
#endif

/* Writes dir "/" name into out (PATH_MAX bytes, the caller's). Returns 0,
 * or -1 with errno ENAMETOOLONG when it does not fit (out is then ""). */
int path_join(char out[PATH_MAX], const char *dir, const char *name);

/* dir "/" name in a new string (the caller frees it). NULL with errno
 * ENAMETOOLONG (over PATH_MAX - 1 bytes) or ENOMEM. */
char *path_join_new(const char *dir, const char *name);

/* A printf-formatted path into out (PATH_MAX bytes), for names of more
 * parts ("%s/run-%03d/log.csv"). Returns 0, or -1 with errno ENAMETOOLONG
 * (out is then ""). */
int path_format(char out[PATH_MAX], const char *fmt, ...) PATH_PRINTF(2, 3);

#endif
