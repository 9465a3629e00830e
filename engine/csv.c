/* csv: loads a numeric CSV file with a header row into column-major data. */
#define _DEFAULT_SOURCE /* MAP_ANONYMOUS, MADV_HUGEPAGE */
#include "csv.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hash.h"
#include "text.h"

/* The longest line, without its end, in bytes: a file with no line end
 * (/dev/zero, a binary file) is refused here, not read to its end. */
#define CSV_LINE_MAX (16 << 20)
/* The most bytes read from a pipe or a device, which have no size. */
#define CSV_STREAM_MAX ((uint64_t)1 << 30)
/* Bytes asked of each read(). */
#define CSV_CHUNK (64 << 10)

/* Longest piece of a bad cell quoted back in a message, in bytes. */
#define CSV_SHOW_MAX 40

/* What one load needs between lines; freed by csv_load whatever happens. */
struct csv_reader {
    const char *path;
    struct error *err;
    int io;         /* the file could not be read (CSV_EIO) */
    int fd;
    int regular;    /* a regular file: its size bounds what is read */
    int eof;        /* read() said end of file */
    char *in;       /* what read() gave, CSV_CHUNK bytes of room */
    size_t in_pos, in_len; /* the unread part is in[in_pos..in_len) */
    uint64_t total; /* bytes read from the file so far */
    char *line;     /* the current line, its end of line removed */
    size_t linecap; /* line's buffer size */
    size_t len;     /* bytes in line, which may hold NUL bytes */
    size_t lineno;  /* physical line number, 1 = header */
    double *rows;   /* row-major values read so far */
    size_t rowcap;  /* doubles rows has room for */
    size_t nrows;
    uint64_t hash; /* FNV-1a 64 of the bytes read so far */
};

/* Room for a shown cell (text_show). */
#define CSV_SHOWN TEXT_SHOWN(CSV_SHOW_MAX)

/* A cell or name for a message (text_show). */
static void show(char out[CSV_SHOWN], const char *p, size_t n)
{
    text_show(out, p, n, CSV_SHOW_MAX);
}

static int is_space(char c)
{
    return c == ' ' || c == '\t';
}

static void trim(const char **p, size_t *n)
{
    while (*n > 0 && is_space(**p)) {
        (*p)++;
        (*n)--;
    }
    while (*n > 0 && is_space((*p)[*n - 1]))
        (*n)--;
}

static int is_blank(const char *p, size_t n)
{
    trim(&p, &n);
    return n == 0;
}

/* Names become variables in printed programs that SymPy parses, so they
 * must be plain identifiers. */
static int is_ident(const char *p, size_t n)
{
    if (n == 0 || (p[0] >= '0' && p[0] <= '9'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '_'))
            return 0;
    }
    return 1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/*
 * Nonzero when p[0..n) is a plain decimal number: an optional sign,
 * digits with at most one point (a digit on at least one side), and an
 * optional exponent (e or E, an optional sign, digits). strtod takes more
 * (leading white space of any kind, hex floats, inf and nan), which a
 * data file should not depend on: Python, R and spreadsheets disagree on
 * them.
 */
static int is_decimal(const char *p, size_t n)
{
    size_t i = 0, digits = 0;
    if (i < n && (p[i] == '+' || p[i] == '-'))
        i++;
    while (i < n && is_digit(p[i])) {
        i++;
        digits++;
    }
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && is_digit(p[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        if (i == n || !is_digit(p[i]))
            return 0;
        while (i < n && is_digit(p[i]))
            i++;
    }
    return i == n;
}

/* Nonzero when p[0..n) is a spelling of infinity or NaN that strtod
 * takes whole (inf, -Infinity, NaN, nan(1)): refused as non-finite,
 * which says more than "expected a number". */
static int is_non_finite_word(const char *p, size_t n)
{
    size_t i = (n > 0 && (p[0] == '+' || p[0] == '-')) ? 1 : 0;
    if (i == n || !(p[i] == 'i' || p[i] == 'I' || p[i] == 'n' || p[i] == 'N'))
        return 0;
    char *end;
    double v = strtod(p, &end);
    return end == p + n && !isfinite(v);
}

static size_t count_fields(const char *p, size_t n)
{
    size_t count = 1;
    const char *end = p + n;
    while ((p = memchr(p, ',', (size_t)(end - p))) != NULL) {
        count++;
        p++;
    }
    return count;
}

/* The field that starts at *pos, which then moves past its comma. */
static void next_field(const struct csv_reader *r, size_t *pos, const char **p,
                       size_t *n)
{
    const char *start = r->line + *pos;
    const char *comma = memchr(start, ',', r->len - *pos);
    *p = start;
    *n = comma ? (size_t)(comma - start) : r->len - *pos;
    *pos += *n + 1;
}

/* Fills r->in with what the file gives next; at the end r->eof is set.
 * Returns 0, or -1 with the message set. */
static int fill(struct csv_reader *r)
{
    ssize_t n;
    do
        n = read(r->fd, r->in, CSV_CHUNK);
    while (n < 0 && errno == EINTR);
    if (n < 0) {
        r->io = 1;
        return error_set(r->err, "cannot read '%s': %s", r->path,
                         strerror(errno));
    }
    r->in_pos = 0;
    r->in_len = (size_t)n;
    r->eof = n == 0;
    r->total += (uint64_t)n;
    /* A pipe or a device has no size to stop at: a command that never
     * ends, or /dev/zero, would be read until memory runs out. */
    if (!r->regular && r->total > CSV_STREAM_MAX)
        return error_set(r->err,
                         "%s: more than %d MiB from a pipe or device (save "
                         "the data to a file)",
                         r->path, (int)(CSV_STREAM_MAX >> 20));
    return 0;
}

/*
 * Reads the next line into r->line without its LF or CRLF, and without a
 * UTF-8 byte order mark on line 1. A line may hold NUL bytes, and at
 * most CSV_LINE_MAX bytes besides its end. Returns 1, 0 at end of file,
 * or -1 with the message set.
 */
static int next_line(struct csv_reader *r)
{
    r->len = 0;
    int newline = 0;
    while (!newline) {
        if (r->in_pos == r->in_len) {
            if (!r->eof && fill(r) < 0)
                return -1;
            if (r->eof)
                break;
        }
        const char *p = r->in + r->in_pos;
        size_t avail = r->in_len - r->in_pos;
        const char *nl = memchr(p, '\n', avail);
        size_t take = nl ? (size_t)(nl - p) + 1 : avail;
        newline = nl != NULL;
        if (r->len + take - (size_t)newline > CSV_LINE_MAX)
            return error_set(r->err,
                             "%s:%zu: a line longer than %d MiB (the "
                             "most a line of a CSV file may be)",
                             r->path, r->lineno + 1,
                             (int)(CSV_LINE_MAX >> 20));
        if (r->len + take + 1 > r->linecap) {
            size_t cap = r->linecap ? r->linecap : 256;
            while (cap < r->len + take + 1)
                cap *= 2;
            char *line = realloc(r->line, cap);
            if (!line)
                return error_set(r->err, "%s:%zu: out of memory", r->path,
                                 r->lineno + 1);
            r->line = line;
            r->linecap = cap;
        }
        memcpy(r->line + r->len, p, take);
        /* Hashed here, as read, so the manifest names the bytes this run
         * used: the file is never opened a second time, which a pipe
         * would not allow and a file changed meanwhile would belie. */
        r->hash = hash_update(r->hash, p, take);
        r->len += take;
        r->in_pos += take;
    }
    if (r->len == 0)
        return 0;
    r->lineno++;
    if (r->len > 0 && r->line[r->len - 1] == '\n')
        r->len--;
    if (r->len > 0 && r->line[r->len - 1] == '\r')
        r->len--;
    r->line[r->len] = '\0';
    if (r->lineno == 1 && r->len >= 3 &&
        memcmp(r->line, "\xEF\xBB\xBF", 3) == 0) {
        memmove(r->line, r->line + 3, r->len - 3 + 1);
        r->len -= 3;
    }
    return 1;
}

/* A header name and its column, for finding duplicates by sorting. */
struct csv_name {
    const char *name;
    size_t col;
};

static int cmp_name(const void *a, const void *b)
{
    const struct csv_name *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    if (c != 0)
        return c;
    return (x->col > y->col) - (x->col < y->col);
}

/*
 * The first column of names[0..n) (in file order) whose name an earlier
 * column has, with that earlier column in *first; n when none. Sorting
 * makes it O(n log n): a header may have as many columns as a line has
 * commas, and comparing every name with every other takes minutes.
 */
static size_t first_duplicate(char *const *names, size_t n, size_t *first,
                              int *oom)
{
    *oom = 0;
    if (n < 2)
        return n;
    struct csv_name *v = malloc(n * sizeof *v);
    if (!v) {
        *oom = 1;
        return n;
    }
    for (size_t j = 0; j < n; j++)
        v[j] = (struct csv_name){names[j], j};
    qsort(v, n, sizeof *v, cmp_name);
    /* Each run of equal names is in column order: its second column is
     * the first of the run to repeat a name, and its first the one it
     * repeats. */
    size_t dup = n;
    for (size_t i = 1; i < n; i++)
        if (strcmp(v[i - 1].name, v[i].name) == 0 &&
            (i < 2 || strcmp(v[i - 2].name, v[i].name) != 0) &&
            v[i].col < dup) {
            dup = v[i].col;
            *first = v[i - 1].col;
        }
    free(v);
    return dup;
}

/* The longest column name. */
#define CSV_MAX_NAME 255

static int parse_header(struct csv_reader *r, struct dataset *d)
{
    size_t ncols = count_fields(r->line, r->len);
    /* dataset_find returns an int index. */
    if (ncols > INT_MAX)
        return error_set(r->err, "%s:%zu: too many columns (%zu)", r->path,
                    r->lineno, ncols);
    d->names = calloc(ncols, sizeof *d->names);
    if (!d->names)
        return error_set(r->err, "%s:%zu: out of memory", r->path, r->lineno);
    d->ncols = ncols;

    /* The names up to the first bad one; a duplicate before it is the
     * first problem, so it is reported first. */
    size_t pos = 0, nvalid = 0;
    const char *bad = NULL;
    size_t badlen = 0;
    for (size_t j = 0; j < ncols; j++) {
        const char *p;
        size_t n;
        next_field(r, &pos, &p, &n);
        trim(&p, &n);
        if (n >= 2 && p[0] == '"' && p[n - 1] == '"') {
            p++;
            n -= 2;
        }
        if (!is_ident(p, n)) {
            bad = p;
            badlen = n;
            break;
        }
        /* A name is printed in every program that uses it: a megabyte of
         * name would make reports of hundreds of megabytes. */
        if (n > CSV_MAX_NAME)
            return error_set(r->err,
                        "%s:%zu: column %zu: a name of %zu characters (%d "
                        "at most)",
                        r->path, r->lineno, j + 1, n, CSV_MAX_NAME);
        d->names[j] = malloc(n + 1);
        if (!d->names[j])
            return error_set(r->err, "%s:%zu: out of memory", r->path, r->lineno);
        memcpy(d->names[j], p, n);
        d->names[j][n] = '\0';
        nvalid++;
    }
    size_t first = 0;
    int oom;
    size_t dup = first_duplicate(d->names, nvalid, &first, &oom);
    if (oom)
        return error_set(r->err, "%s:%zu: out of memory", r->path, r->lineno);
    if (dup < nvalid)
        return error_set(r->err,
                    "%s:%zu: column %zu: duplicate name '%s' (also column "
                    "%zu)",
                    r->path, r->lineno, dup + 1, d->names[dup], first + 1);
    if (bad) {
        char shown[CSV_SHOWN];
        show(shown, bad, badlen);
        return error_set(r->err,
                    "%s:%zu: column %zu: '%s' is not a valid name "
                    "(letters, digits and _, not starting with a digit)",
                    r->path, r->lineno, nvalid + 1, shown);
    }
    return 0;
}

/* Makes room in r->rows for one more row of ncols values. */
static int grow_rows(struct csv_reader *r, size_t ncols)
{
    size_t used = r->nrows * ncols;
    if (r->rowcap - used >= ncols)
        return 0;
    size_t limit = SIZE_MAX / sizeof(double);
    if (ncols > limit - used)
        return error_set(r->err, "%s:%zu: out of memory", r->path, r->lineno);
    size_t cap = r->rowcap < limit / 2 ? r->rowcap * 2 : limit;
    if (cap < used + ncols)
        cap = used + ncols;
    if (cap < 256)
        cap = 256;
    double *rows = realloc(r->rows, cap * sizeof(double));
    if (!rows)
        return error_set(r->err, "%s:%zu: out of memory", r->path, r->lineno);
    r->rows = rows;
    r->rowcap = cap;
    return 0;
}

static int parse_row(struct csv_reader *r, const struct dataset *d)
{
    size_t got = count_fields(r->line, r->len);
    if (got != d->ncols)
        return error_set(r->err, "%s:%zu: expected %zu fields, got %zu", r->path,
                    r->lineno, d->ncols, got);
    if (grow_rows(r, d->ncols) < 0)
        return -1;

    double *row = r->rows + r->nrows * d->ncols;
    size_t pos = 0;
    for (size_t j = 0; j < d->ncols; j++) {
        const char *p;
        size_t n;
        next_field(r, &pos, &p, &n);
        trim(&p, &n);
        if (n == 0)
            return error_set(r->err, "%s:%zu: column %zu '%s': empty cell", r->path,
                        r->lineno, j + 1, d->names[j]);
        char shown[CSV_SHOWN];
        double v;
        if (!is_decimal(p, n)) {
            show(shown, p, n);
            if (is_non_finite_word(p, n))
                return error_set(r->err,
                            "%s:%zu: column %zu '%s': non-finite value '%s'",
                            r->path, r->lineno, j + 1, d->names[j], shown);
            int quoted = n >= 2 && p[0] == '"' && p[n - 1] == '"' &&
                         is_decimal(p + 1, n - 2);
            return error_set(r->err,
                        "%s:%zu: column %zu '%s': expected a number, "
                        "got '%s'%s",
                        r->path, r->lineno, j + 1, d->names[j], shown,
                        quoted ? " (a number in quotes: numbers are not "
                                 "quoted)"
                               : "");
        }
        /* A plain decimal is all strtod reads of it, and the byte after
         * the cell (a space, tab, comma or NUL) cannot continue it.
         * Overflow gives inf (caught below); underflow gives a tiny
         * finite value, which is kept. strtod follows LC_NUMERIC, which
         * forkgp leaves at "C", so the decimal point is '.'. */
        v = strtod(p, NULL);
        if (!isfinite(v)) {
            show(shown, p, n);
            return error_set(r->err,
                        "%s:%zu: column %zu '%s': non-finite value '%s'",
                        r->path, r->lineno, j + 1, d->names[j], shown);
        }
        row[j] = v;
    }
    r->nrows++;
    return 0;
}

/* Moves the row-major values into the aligned column-major block. */
static int build_columns(struct csv_reader *r, struct dataset *d)
{
    size_t nrows = r->nrows, ncols = d->ncols;
    if (nrows > SIZE_MAX - CSV_STRIDE_STEP)
        return error_set(r->err, "%s: out of memory", r->path);
    size_t stride =
        (nrows + CSV_STRIDE_STEP - 1) / CSV_STRIDE_STEP * CSV_STRIDE_STEP;
    if (stride > SIZE_MAX / sizeof(double) / ncols)
        return error_set(r->err, "%s: out of memory", r->path);

    /* Whole pages of their own, so the block can be made read-only (and,
     * when big, backed by huge pages): forked workers then read the data
     * without copy-on-write faults, and no one can write it by mistake. */
    size_t bytes = ncols * stride * sizeof(double);
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t mapped = (bytes + page - 1) / page * page;
    void *mem = mmap(NULL, mapped, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mem == MAP_FAILED)
        return error_set(r->err, "%s: out of memory", r->path);
#ifdef MADV_HUGEPAGE
    if (mapped >= (2u << 20))
        madvise(mem, mapped, MADV_HUGEPAGE);
#endif
    d->block = mem;
    d->mapped = mapped;
    d->cols = malloc(ncols * sizeof *d->cols);
    d->path = strdup(r->path);
    if (!d->cols || !d->path)
        return error_set(r->err, "%s: out of memory", r->path);

    for (size_t j = 0; j < ncols; j++) {
        double *col = d->block + j * stride;
        d->cols[j] = col;
        for (size_t i = 0; i < nrows; i++)
            col[i] = r->rows[i * ncols + j];
        /* Zero the padding so that vector code reading whole strides
         * sees defined values. */
        for (size_t i = nrows; i < stride; i++)
            col[i] = 0.0;
    }
    d->nrows = nrows;
    d->hash = r->hash;
    mprotect(d->block, d->mapped, PROT_READ);
    return 0;
}

/* Reads every line; only trailing blank lines are forgiven. */
static int read_all(struct csv_reader *r, struct dataset *d)
{
    size_t blank = 0; /* first line of a run of blank lines, or 0 */
    int got;
    while ((got = next_line(r)) > 0) {
        if (is_blank(r->line, r->len)) {
            if (!blank)
                blank = r->lineno;
            continue;
        }
        if (blank)
            return error_set(r->err, "%s:%zu: blank line (only allowed at the end)",
                        r->path, blank);
        if (!d->names) {
            if (parse_header(r, d) < 0)
                return -1;
        } else if (parse_row(r, d) < 0) {
            return -1;
        }
    }
    if (got < 0)
        return -1;
    if (!d->names)
        return error_set(r->err, "%s: empty file (expected a header row)", r->path);
    if (r->nrows == 0)
        return error_set(r->err, "%s: no data rows after the header", r->path);
    return build_columns(r, d);
}

int csv_load(struct dataset *d, const char *path, struct error *err)
{
    memset(d, 0, sizeof *d);
    error_clear(err);
    struct csv_reader r = {.path = path, .err = err, .hash = HASH_INIT};
    /* A named pipe is a feature (data from a command, `<(...)`): opening
     * it waits for its writer, as a shell's redirection would. */
    r.fd = open(path, O_RDONLY | O_CLOEXEC);
    if (r.fd < 0) {
        error_set(err, "cannot open '%s': %s", path, strerror(errno));
        return CSV_EIO;
    }
    struct stat st;
    r.regular = fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode);
    r.in = malloc(CSV_CHUNK);
    int rc = r.in ? read_all(&r, d)
                  : error_set(err, "%s: out of memory", path);
    free(r.in);
    free(r.line);
    free(r.rows);
    close(r.fd);
    if (rc < 0)
        dataset_release(d);
    return rc < 0 && r.io ? CSV_EIO : rc;
}

void dataset_release(struct dataset *d)
{
    if (!d)
        return;
    if (d->names) {
        for (size_t j = 0; j < d->ncols; j++)
            free(d->names[j]);
    }
    free(d->names);
    free(d->cols);
    if (d->block)
        munmap(d->block, d->mapped);
    free(d->path);
    memset(d, 0, sizeof *d);
}

int dataset_find(const struct dataset *d, const char *name)
{
    if (!d || !d->names || !name)
        return -1;
    for (size_t j = 0; j < d->ncols; j++) {
        if (strcmp(d->names[j], name) == 0)
            return (int)j;
    }
    return -1;
}
