/* error: the one way a failing function tells a person what went wrong. */
#ifndef FORKGP_ERROR_H
#define FORKGP_ERROR_H

#include <stdarg.h>

#if defined(__GNUC__)
#define ERROR_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define ERROR_PRINTF(f, a)
#endif

/* A message for a person, owned by the caller: set when a function that
 * takes one returns a negative code, in git's style (lowercase, no full
 * stop, the subject quoted). A longer message is cut, never overrun. */
struct error {
    char msg[1024];
};

/* Sets e's message from a printf format. e may be NULL (nothing is
 * written). Returns -1, so that a failure reads `return error_set(err,
 * ...)`. */
int error_set(struct error *e, const char *fmt, ...) ERROR_PRINTF(2, 3);

/* error_set with the arguments in a va_list. */
int error_vset(struct error *e, const char *fmt, va_list ap);

/* Puts a printf-formatted prefix before e's message (a place, a file
 * name: "configs/x.ini: " + msg). e may be NULL. Returns -1. */
int error_prefix(struct error *e, const char *fmt, ...) ERROR_PRINTF(2, 3);

/* Empties e's message; e may be NULL. */
void error_clear(struct error *e);

#endif
