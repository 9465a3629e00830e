/* text: small string helpers (trimming, edit distance, "did you mean"). */
#ifndef FORKGP_TEXT_H
#define FORKGP_TEXT_H

#include <stddef.h>

/* Trims leading and trailing white space in place; returns s moved on. */
char *text_trim(char *s);

/* Levenshtein distance between a and b (each shorter than 64 bytes, else
 * a large number). */
size_t text_distance(const char *a, const char *b);

/*
 * The candidate closest to `word` when it is a plausible misspelling
 * (distance at most 2, and at most half the word), else NULL.
 * `candidates` is an array of n strings; NULL entries are skipped.
 */
const char *text_suggest(const char *word, const char *const *candidates,
                         size_t n);

/*
 * Writes at most max bytes of p[0..n) into out for quoting in a message,
 * with "..." when cut. Bytes that are not printable ASCII (a stray NUL,
 * CR or vertical tab, a byte of a binary file or of UTF-8) become \xNN,
 * and a backslash \\, so the message stays one line of plain text that
 * says exactly which bytes were there. out must have room for
 * TEXT_SHOWN(max) bytes.
 */
#define TEXT_SHOWN(max) ((max) * 4 + 4)
void text_show(char *out, const char *p, size_t n, size_t max);

/*
 * Rewrites a finished message in place (size bytes of room) with every
 * byte that is not printable ASCII as \xNN, as text_show quotes: for
 * messages that quote what a person typed or a file held (a key name, a
 * value, a path), so that they stay one line of plain text. Backslashes
 * stay as they are, so what text_show wrote is not escaped twice. Cut to
 * fit when need be.
 */
void text_escape(char *msg, size_t size);

/* Parses a whole string as a finite double; returns 0 or -1. */
int text_to_double(const char *s, double *out);

/* Parses a whole string as a decimal long; returns 0 or -1. */
int text_to_long(const char *s, long *out);

/*
 * When msg (of size bytes, NUL-terminated) quotes a value with a '#' after
 * a space or tab, appends that only ';' starts a comment in an INI file:
 * "x.csv # my data" reads as the whole value, not as "x.csv" and a
 * comment, and the message about it would otherwise puzzle.
 */
void text_hash_hint(char *msg, size_t size);

#endif
