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

/* Parses a whole string as a finite double; returns 0 or -1. */
int text_to_double(const char *s, double *out);

/* Parses a whole string as a decimal long; returns 0 or -1. */
int text_to_long(const char *s, long *out);

#endif
