/* csv: loads a numeric CSV file with a header row into column-major data. */
#ifndef FORKGP_CSV_H
#define FORKGP_CSV_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The columns' stride is a multiple of this many doubles, the rows past
 * nrows zeros: 64 bytes is a cache line and an AVX-512 vector, so every
 * column, not only the first, is aligned, and vector code may read whole
 * vectors (forkgp.h promises fgp_load_csv's columns to
 * fgp_eval_block_padded). */
#define CSV_STRIDE_STEP 8

/*
 * A loaded data set: every column numeric and finite, stored column-major
 * in one page-aligned, read-only block (cols[j] = block + j * stride, the
 * padding zeros), so the interpreter reads a variable as one contiguous
 * array.
 */
struct dataset {
    char *path;    /* the file it came from, as given to csv_load */
    size_t nrows;  /* data rows (the header is not counted) */
    size_t ncols;  /* columns, in file order */
    char **names;  /* ncols column names from the header */
    double **cols; /* ncols pointers into block, nrows values each */
    double *block; /* the storage (mmap'd, read-only once loaded); owned */
    size_t mapped; /* bytes mapped at block */
    uint64_t hash; /* FNV-1a 64 of the file's bytes, as csv_load read them */
};

/* What csv_load returns when the file could not be opened or read: its
 * message then cites no line. */
#define CSV_EIO (-2)

/*
 * Loads `path` into *d (which it initialises), opening it once and reading
 * it once from start to end, so a pipe works; d->hash is the hash of what
 * was read. Returns 0, or -1 with a message naming the file, the line (1 =
 * header) and the column (1-based number and header name) of the first
 * problem, or CSV_EIO when the file cannot be opened or read. On failure *d holds nothing to release. Fields are split at
 * every comma and trimmed of spaces and tabs; header names may be in
 * double quotes and must be unique identifiers; cells must be plain,
 * finite decimal numbers (an optional sign, digits with an optional
 * point, an optional exponent: no hex, no quotes). LF or CRLF, a UTF-8
 * byte order mark and trailing blank lines are accepted; a blank line
 * before more data is an error. err may be NULL.
 */
int csv_load(struct dataset *d, const char *path, struct error *err);

/* Frees what *d holds and zeroes it; a zeroed dataset is fine. */
void dataset_release(struct dataset *d);

/* The index of the column called `name`, or -1. */
int dataset_find(const struct dataset *d, const char *name);

#endif
