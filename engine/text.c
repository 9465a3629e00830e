/* text: small string helpers (trimming, edit distance, "did you mean"). */
#include "text.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *text_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

size_t text_distance(const char *a, const char *b)
{
    /* Optimal string alignment: Levenshtein plus adjacent transpositions,
     * so "mes" is one edit from "mse". Case is ignored. */
    size_t la = strlen(a), lb = strlen(b);
    if (la >= 64 || lb >= 64)
        return (size_t)-1;
    size_t d[65][65];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]);
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = d[i - 1][j - 1] + (ca != cb);
            if (d[i - 1][j] + 1 < best)
                best = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < best)
                best = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb &&
                d[i - 2][j - 2] + 1 < best)
                best = d[i - 2][j - 2] + 1;
            d[i][j] = best;
        }
    return d[la][lb];
}

const char *text_suggest(const char *word, const char *const *candidates,
                         size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t d = text_distance(word, candidates[i]);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    if (best && best_d <= 2 && 2 * best_d < strlen(word) + 1)
        return best;
    return NULL;
}

int text_to_double(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || !isfinite(v) || isspace((unsigned char)*s))
        return -1;
    *out = v;
    return 0;
}

int text_to_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE ||
        isspace((unsigned char)*s))
        return -1;
    *out = v;
    return 0;
}

void text_show(char *out, const char *p, size_t n, size_t max)
{
    size_t k = n < max ? n : max, o = 0;
    for (size_t i = 0; i < k; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '\\') {
            out[o++] = '\\';
            out[o++] = '\\';
        } else if (c < 0x20 || c >= 0x7F) {
            snprintf(out + o, 5, "\\x%02x", c);
            o += 4;
        } else {
            out[o++] = (char)c;
        }
    }
    if (k < n) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

void text_escape(char *msg, size_t size)
{
    char out[8192];
    size_t room = size < sizeof out ? size : sizeof out, o = 0;
    if (room == 0)
        return;
    for (const char *p = msg; *p && o + 1 < room; p++) {
        unsigned char c = (unsigned char)*p;
        if (c >= 0x20 && c < 0x7F) {
            out[o++] = (char)c;
        } else if (o + 5 <= room) {
            snprintf(out + o, 5, "\\x%02x", c);
            o += 4;
        } else {
            break; /* no room for the whole escape: cut before it */
        }
    }
    out[o] = '\0';
    memcpy(msg, out, o + 1);
}

void text_hash_hint(char *msg, size_t size)
{
    if (!strstr(msg, " #") && !strstr(msg, "\t#"))
        return;
    size_t n = strlen(msg);
    snprintf(msg + n, size - n, " (in an INI file only ';' starts a "
                                "comment: a '#' after a value is part of "
                                "it)");
}
