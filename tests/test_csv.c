/* test_csv: csv_load on good files, odd line endings and every error. */
/* cmocka.h needs these first; the blank line keeps clang-format from
 * sorting cmocka.h above them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "csv.h"
#include "hash.h"
#include "testutil.h"

/* One scratch directory for the whole run, removed by the group teardown. */
static char tmpdir[192]; /* made by testutil_mkdtemp (short, so that
                            * tmpdir/name fits the 256 bytes of a path) */

static int group_setup(void **state)
{
    (void)state;
    return testutil_mkdtemp(tmpdir, sizeof tmpdir, "test_csv") ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    return testutil_rmtree(tmpdir);
}

/* Writes `len` bytes of `text` to tmpdir/name and puts its path in path. */
static void write_bytes(char *path, size_t cap, const char *name,
                        const char *text, size_t len)
{
    snprintf(path, cap, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static void write_text(char *path, size_t cap, const char *name,
                       const char *text)
{
    write_bytes(path, cap, name, text, strlen(text));
}

static void assert_zeroed(const struct dataset *d)
{
    assert_null(d->path);
    assert_null(d->names);
    assert_null(d->cols);
    assert_null(d->block);
    assert_int_equal(d->nrows, 0);
    assert_int_equal(d->ncols, 0);
}

/*
 * Loads `text` from a file called `name`, expects failure with the message
 * path + `suffix` exactly, and checks that *d was left empty.
 */
static void expect_error_bytes(const char *name, const char *text, size_t len,
                               const char *suffix)
{
    char path[256], want[1024];
    write_bytes(path, sizeof path, name, text, len);
    snprintf(want, sizeof want, "%s%s", path, suffix);

    struct dataset d;
    struct error err;
    memset(&d, 0xA5, sizeof d); /* csv_load must initialise it */
    assert_int_equal(csv_load(&d, path, &err), -1);
    assert_string_equal(err.msg, want);
    assert_zeroed(&d);
    dataset_release(&d);
}

static void expect_error(const char *name, const char *text, const char *suffix)
{
    expect_error_bytes(name, text, strlen(text), suffix);
}

static void load_ok(struct dataset *d, const char *name, const char *text)
{
    char path[256];
    struct error err;
    write_text(path, sizeof path, name, text);
    int rc = csv_load(d, path, &err);
    if (rc != 0)
        fail_msg("csv_load: %s", err.msg);
    assert_string_equal(d->path, path);
}

static void assert_layout(const struct dataset *d)
{
    assert_true((uintptr_t)d->block % 64 == 0);
    assert_ptr_equal(d->cols[0], d->block);
    if (d->ncols < 2)
        return;
    ptrdiff_t stride = d->cols[1] - d->cols[0];
    assert_true(stride >= (ptrdiff_t)d->nrows);
    assert_true(stride % 8 == 0);
    for (size_t j = 0; j < d->ncols; j++) {
        assert_ptr_equal(d->cols[j], d->block + j * (size_t)stride);
        assert_true((uintptr_t)d->cols[j] % 64 == 0);
    }
}

static void test_good(void **state)
{
    (void)state;
    struct dataset d;
    load_ok(&d, "good.csv",
            "x,y,_z9\n"
            "1,2,3\n"
            "-0.9,4.5,0.1\n"
            "-1e3,0.25,1e-400\n");
    assert_int_equal(d.nrows, 3);
    assert_int_equal(d.ncols, 3);
    assert_string_equal(d.names[0], "x");
    assert_string_equal(d.names[1], "y");
    assert_string_equal(d.names[2], "_z9");
    assert_layout(&d);
    /* Exact equality: repr() values must round-trip. */
    assert_true(d.cols[0][0] == 1.0);
    assert_true(d.cols[0][1] == -0.9);
    assert_true(d.cols[0][2] == -1e3);
    assert_true(d.cols[1][0] == 2.0);
    assert_true(d.cols[1][1] == 4.5);
    assert_true(d.cols[1][2] == 0.25);
    assert_true(d.cols[2][0] == 3.0);
    assert_true(d.cols[2][1] == 0.1);
    assert_true(d.cols[2][2] == 0.0); /* underflow to zero is finite */
    dataset_release(&d);
    assert_zeroed(&d);
    dataset_release(&d); /* twice is fine */
}

static void test_spaces_quotes_no_final_newline(void **state)
{
    (void)state;
    struct dataset d;
    load_ok(&d, "spaces.csv",
            "  \"a\" ,\tb  ,\"c_1\"\n"
            " 1 ,\t2\t, 3\n"
            "4,5,6");
    assert_int_equal(d.nrows, 2);
    assert_int_equal(d.ncols, 3);
    assert_string_equal(d.names[0], "a");
    assert_string_equal(d.names[1], "b");
    assert_string_equal(d.names[2], "c_1");
    assert_true(d.cols[0][0] == 1.0 && d.cols[1][0] == 2.0);
    assert_true(d.cols[2][0] == 3.0 && d.cols[2][1] == 6.0);
    dataset_release(&d);
}

static void test_crlf_bom(void **state)
{
    (void)state;
    struct dataset d;
    load_ok(&d, "crlf.csv",
            "\xEF\xBB\xBF"
            "a,b\r\n1,2\r\n3,4\r\n\r\n");
    assert_int_equal(d.nrows, 2);
    assert_int_equal(d.ncols, 2);
    assert_string_equal(d.names[0], "a");
    assert_string_equal(d.names[1], "b");
    assert_true(d.cols[0][1] == 3.0);
    assert_true(d.cols[1][1] == 4.0);
    assert_layout(&d);
    dataset_release(&d);
}

static void test_trailing_blank_lines(void **state)
{
    (void)state;
    struct dataset d;
    load_ok(&d, "trailing.csv", "x\n1\n\n  \n\t\r\n\n");
    assert_int_equal(d.nrows, 1);
    assert_int_equal(d.ncols, 1);
    assert_true(d.cols[0][0] == 1.0);
    assert_layout(&d);
    dataset_release(&d);
}

/* Many rows and a header longer than getline's first buffer: exercises
 * growth, the transpose and the stride padding. */
static void test_large(void **state)
{
    (void)state;
    enum { NCOLS = 300, NROWS = 1001 };
    size_t cap = (size_t)NCOLS * 24 * (NROWS + 1);
    char *text = malloc(cap);
    assert_non_null(text);
    size_t n = 0;
    for (int j = 0; j < NCOLS; j++)
        n += (size_t)snprintf(text + n, cap - n, "%scolumn_number_%d",
                              j ? "," : "", j);
    text[n++] = '\n';
    for (int i = 0; i < NROWS; i++) {
        for (int j = 0; j < NCOLS; j++)
            n += (size_t)snprintf(text + n, cap - n, "%s%d", j ? "," : "",
                                  i * NCOLS + j);
        text[n++] = '\n';
    }
    text[n] = '\0';

    struct dataset d;
    load_ok(&d, "large.csv", text);
    free(text);
    assert_int_equal(d.nrows, NROWS);
    assert_int_equal(d.ncols, NCOLS);
    assert_layout(&d);
    assert_string_equal(d.names[NCOLS - 1], "column_number_299");
    for (int j = 0; j < NCOLS; j++)
        for (int i = 0; i < NROWS; i++)
            assert_true(d.cols[j][i] == (double)(i * NCOLS + j));
    /* NROWS is not a multiple of 8, so there is padding, zeroed. */
    ptrdiff_t stride = d.cols[1] - d.cols[0];
    assert_int_equal(stride, 1008);
    for (ptrdiff_t i = NROWS; i < stride; i++)
        assert_true(d.cols[NCOLS - 1][i] == 0.0);
    assert_int_equal(dataset_find(&d, "column_number_123"), 123);
    dataset_release(&d);
}

static void test_find(void **state)
{
    (void)state;
    struct dataset d;
    load_ok(&d, "find.csv", "a,T,t\n1,2,3\n");
    assert_int_equal(dataset_find(&d, "a"), 0);
    assert_int_equal(dataset_find(&d, "T"), 1);
    assert_int_equal(dataset_find(&d, "t"), 2);
    assert_int_equal(dataset_find(&d, "A"), -1);
    assert_int_equal(dataset_find(&d, ""), -1);
    assert_int_equal(dataset_find(&d, "ab"), -1);
    dataset_release(&d);
    assert_int_equal(dataset_find(&d, "a"), -1); /* zeroed */
}

static void test_null_error_struct(void **state)
{
    (void)state;
    struct dataset d;
    char path[256];
    write_text(path, sizeof path, "noerr.csv", "x\nabc\n");
    assert_int_equal(csv_load(&d, path, NULL), -1);
    assert_zeroed(&d);
}

static void test_ragged(void **state)
{
    (void)state;
    expect_error("more.csv", "x,y\n1,2\n1,2,3\n",
                 ":3: expected 2 fields, got 3");
    expect_error("fewer.csv", "x,y\n1,2\n3,4\n5\n",
                 ":4: expected 2 fields, got 1");
    expect_error("comma.csv", "x,y\n1,2,\n", ":2: expected 2 fields, got 3");
}

static void test_non_numeric(void **state)
{
    (void)state;
    expect_error("word.csv", "x,y\n1,2\n3,abc\n",
                 ":3: column 2 'y': expected a number, got 'abc'");
    expect_error("junk.csv", "x,y\n1.5x,2\n",
                 ":2: column 1 'x': expected a number, got '1.5x'");
    expect_error("inner.csv", "x\n1 2\n",
                 ":2: column 1 'x': expected a number, got '1 2'");
    /* A quoted number says so; other quoted text does not. */
    expect_error("quoted.csv", "x\n\"1\"\n",
                 ":2: column 1 'x': expected a number, got '\"1\"' (a "
                 "number in quotes: numbers are not quoted)");
    expect_error("quoted2.csv", "x\n\"a\"\n",
                 ":2: column 1 'x': expected a number, got '\"a\"'");
    /* A long cell is cut to 40 bytes. */
    expect_error("long.csv",
                 "x\n"
                 "0123456789012345678901234567890123456789extra-stuff\n",
                 ":2: column 1 'x': expected a number, got "
                 "'0123456789012345678901234567890123456789...'");
    /* Bytes past ASCII are escaped, so a cut cannot split a UTF-8
     * sequence into a broken one: byte 40 is the first of the e's two. */
    expect_error("utf8.csv",
                 "x\n"
                 "012345678901234567890123456789012345678\xC3\xA9tc\n",
                 ":2: column 1 'x': expected a number, got "
                 "'012345678901234567890123456789012345678\\xc3...'");
    /* A NUL byte inside a cell is shown escaped. */
    expect_error_bytes("nul.csv", "x\n1\0002\n", 6,
                       ":2: column 1 'x': expected a number, got '1\\x002'");
}

/* Numbers are plain decimals: what strtod takes beyond that (leading white
 * space of every kind, hex floats) is refused like any other text, with
 * the bytes shown escaped. */
static void test_not_decimal(void **state)
{
    (void)state;
    static const struct {
        const char *cell, *shown;
    } bad[] = {
        {"\v1", "\\x0b1"}, {"\f1", "\\x0c1"}, {"\r1", "\\x0d1"},
        {"1\v", "1\\x0b"}, {"0x1p3", "0x1p3"}, {"0x10", "0x10"},
        {"-0X1P-2", "-0X1P-2"}, {".", "."}, {"+", "+"}, {"-.", "-."},
        {"1e", "1e"}, {"1e+", "1e+"}, {"e5", "e5"}, {"1.2.3", "1.2.3"},
        {"--1", "--1"}, {"+-1", "+-1"}, {"1_000", "1_000"},
        {"1d5", "1d5"}, {"0x1p99999", "0x1p99999"}, {"inf1", "inf1"},
        {"1\\", "1\\\\"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[64], want[128];
        snprintf(text, sizeof text, "x,y\n3,4\n%s,2\n", bad[i].cell);
        snprintf(want, sizeof want,
                 ":3: column 1 'x': expected a number, got '%s'",
                 bad[i].shown);
        expect_error("decimal.csv", text, want);
    }
    struct dataset d;
    load_ok(&d, "decimals.csv",
            "x\n+1\n.5\n5.\n-.5e-3\n1E+2\n007\n-0\n1e-400\n");
    assert_int_equal(d.nrows, 8);
    static const double want[] = {1, 0.5, 5, -0.5e-3, 100, 7, -0.0, 0};
    for (size_t i = 0; i < 8; i++)
        assert_true(d.cols[0][i] == want[i]);
    assert_true(signbit(d.cols[0][6]));
    dataset_release(&d);
}

/* Bytes that are not printable ASCII never reach a message raw. */
static void test_raw_bytes(void **state)
{
    (void)state;
    expect_error("ff.csv", "x,y\n3\xff,2\n",
                 ":2: column 1 'x': expected a number, got '3\\xff'");
    expect_error("ffname.csv", "x,\xe9t\xe9\n1,2\n",
                 ":1: column 2: '\\xe9t\\xe9' is not a valid name (letters, "
                 "digits and _, not starting with a digit)");
    /* Binary junk: every byte shown, as text of one line. */
    unsigned char junk[64];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(0x80 + i * 37 % 128);
    char path[256];
    write_bytes(path, sizeof path, "junk.csv", (const char *)junk,
                sizeof junk);
    struct dataset d;
    struct error err;
    assert_int_equal(csv_load(&d, path, &err), -1);
    for (const char *p = err.msg; *p; p++)
        assert_true(*p >= 0x20 && *p < 0x7F);
    assert_non_null(strstr(err.msg, "'\\x80\\xa5\\xca"));
}

static void test_empty_cell(void **state)
{
    (void)state;
    expect_error("empty1.csv", "x,y,z\n1,,3\n", ":2: column 2 'y': empty cell");
    expect_error("empty2.csv", "x,y\n1,2\n3,  \n",
                 ":3: column 2 'y': empty cell");
}

static void test_non_finite(void **state)
{
    (void)state;
    expect_error("nan.csv", "x,y\n1,2\nnan,3\n",
                 ":3: column 1 'x': non-finite value 'nan'");
    expect_error("nan2.csv", "x,y\n1,NaN\n",
                 ":2: column 2 'y': non-finite value 'NaN'");
    expect_error("inf.csv", "x,y\n1,inf\n",
                 ":2: column 2 'y': non-finite value 'inf'");
    expect_error("ninf.csv", "x,y\n1,-Infinity\n",
                 ":2: column 2 'y': non-finite value '-Infinity'");
    expect_error("overflow.csv", "x\n1e999\n",
                 ":2: column 1 'x': non-finite value '1e999'");
}

static void test_empty_file(void **state)
{
    (void)state;
    expect_error("empty.csv", "", ": empty file (expected a header row)");
    expect_error("blanks.csv", "\n  \r\n\n",
                 ": empty file (expected a header row)");
    expect_error("bom.csv", "\xEF\xBB\xBF",
                 ": empty file (expected a header row)");
}

static void test_header_only(void **state)
{
    (void)state;
    expect_error("head1.csv", "x,y\n", ": no data rows after the header");
    expect_error("head2.csv", "x,y", ": no data rows after the header");
    expect_error("head3.csv", "x,y\r\n\r\n", ": no data rows after the header");
}

static void test_blank_line(void **state)
{
    (void)state;
    expect_error("mid.csv", "x\n1\n\n \n2\n",
                 ":3: blank line (only allowed at the end)");
    expect_error("lead.csv", "\nx\n1\n",
                 ":1: blank line (only allowed at the end)");
}

static void test_bad_name(void **state)
{
    (void)state;
    const char *why =
        " is not a valid name (letters, digits and _, not starting with a "
        "digit)";
    char want[256];
    snprintf(want, sizeof want, ":1: column 2: '1x'%s", why);
    expect_error("digit.csv", "a,1x\n1,2\n", want);
    snprintf(want, sizeof want, ":1: column 1: 'a-b'%s", why);
    expect_error("dash.csv", "a-b,c\n1,2\n", want);
    snprintf(want, sizeof want, ":1: column 3: ''%s", why);
    expect_error("noname.csv", "a,b,\n1,2,3\n", want);
    snprintf(want, sizeof want, ":1: column 1: 'a b'%s", why);
    expect_error("space.csv", "a b\n1\n", want);
    snprintf(want, sizeof want, ":1: column 1: 'x\"'%s", why);
    expect_error("halfquote.csv", "x\"\n1\n", want);
}

static void test_duplicate_name(void **state)
{
    (void)state;
    expect_error("dup.csv", "x,y,\"x\"\n1,2,3\n",
                 ":1: column 3: duplicate name 'x' (also column 1)");
    /* The first column (in file order) that repeats a name, and the
     * first it repeats, whatever the sort order of the names. */
    expect_error("dup2.csv", "b,a,c,a,b,b\n1,2,3,4,5,6\n",
                 ":1: column 4: duplicate name 'a' (also column 2)");
    expect_error("dup3.csv", "z,y,x,z,y\n1,2,3,4,5\n",
                 ":1: column 4: duplicate name 'z' (also column 1)");
    /* The first problem of the header wins: a duplicate before a bad
     * name, a bad name before a duplicate. */
    expect_error("dup4.csv", "a,a,1b\n1,2,3\n",
                 ":1: column 2: duplicate name 'a' (also column 1)");
    expect_error("dup5.csv", "a,1b,a\n1,2,3\n",
                 ":1: column 2: '1b' is not a valid name (letters, digits "
                 "and _, not starting with a digit)");
}

/* A name may have 255 characters, not more: every program prints it. */
static void test_long_name(void **state)
{
    (void)state;
    char text[700];
    memset(text, 'n', 256);
    snprintf(text + 256, sizeof text - 256, ",y\n1,2\n");
    expect_error("long.csv", text,
                 ":1: column 1: a name of 256 characters (255 at most)");
    memset(text, 'n', 255);
    snprintf(text + 255, sizeof text - 255, ",y\n1,2\n");
    char path[4200];
    write_text(path, sizeof path, "ok255.csv", text);
    struct dataset d;
    struct error err;
    assert_int_equal(csv_load(&d, path, &err), 0);
    assert_int_equal(strlen(d.names[0]), 255);
    dataset_release(&d);
}

/* A header of n columns c0, c1, ... whose last name is `last` (NULL: its
 * own), then one row of digits. */
static char *wide_csv(size_t n, const char *last)
{
    size_t cap = n * 12 + 64, len = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (size_t j = 0; j < n; j++) {
        if (j + 1 == n && last)
            len += (size_t)snprintf(text + len, cap - len, ",%s", last);
        else
            len += (size_t)snprintf(text + len, cap - len, "%sc%zu",
                                    j ? "," : "", j);
    }
    text[len++] = '\n';
    for (size_t j = 0; j < n; j++)
        len += (size_t)snprintf(text + len, cap - len, "%s%zu", j ? "," : "",
                                j % 10);
    text[len++] = '\n';
    text[len] = '\0';
    return text;
}

/* Finding duplicates is not quadratic: 100,000 columns took 24 s when
 * every name was compared with every earlier one, and take milliseconds
 * sorted. The limit leaves room for a slow machine and a sanitizer
 * build. */
static void test_many_columns(void **state)
{
    (void)state;
    enum { NCOLS = 100000 };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *text = wide_csv(NCOLS, NULL);
    struct dataset d;
    load_ok(&d, "wide.csv", text);
    free(text);
    assert_int_equal(d.ncols, NCOLS);
    assert_int_equal(dataset_find(&d, "c99999"), 99999);
    assert_true(d.cols[99999][0] == 9.0);
    dataset_release(&d);
    /* The last name repeats an early one. */
    text = wide_csv(NCOLS, "c5");
    expect_error("widedup.csv", text,
                 ":1: column 100000: duplicate name 'c5' (also column 6)");
    free(text);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double seconds = (double)(t1.tv_sec - t0.tv_sec) +
                     (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (seconds > 10.0)
        fail_msg("two loads of 100000 columns took %.1f s", seconds);
}

/* The hash is of every byte of the file: the byte order mark, CRs and
 * the blank lines at the end too. */
static void test_hash(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBFx,y\r\n1,2\r\n3,4\n\n \n";
    struct dataset d;
    load_ok(&d, "hash.csv", text);
    assert_true(d.hash == hash_bytes(text, sizeof text - 1));
    dataset_release(&d);
    load_ok(&d, "hash2.csv", "x\n1\n");
    assert_true(d.hash == 0x8026fa52972aa548ULL); /* Python's, once */
    assert_true(d.hash == hash_bytes("x\n1\n", 4));
    dataset_release(&d);
}

/* A named pipe can be read once only: csv_load reads it once, to the
 * end, and its hash is of what came through. */
static void test_fifo(void **state)
{
    (void)state;
    static const char text[] = "a,b\n1,2\n3,4\n";
    char path[512];
    snprintf(path, sizeof path, "%s/pipe.csv", tmpdir);
    int pid = testutil_fifo_writer(path, text);
    alarm(20); /* a reader that blocks fails the test, not the suite */
    struct dataset d;
    struct error err;
    int rc = csv_load(&d, path, &err);
    alarm(0);
    testutil_fifo_done(pid);
    if (rc != 0)
        fail_msg("csv_load: %s", err.msg);
    assert_int_equal(d.nrows, 2);
    assert_true(d.cols[1][1] == 4.0);
    assert_true(d.hash == hash_bytes(text, sizeof text - 1));
    dataset_release(&d);
}

static void test_missing_file(void **state)
{
    (void)state;
    char path[256], want[512];
    snprintf(path, sizeof path, "%s/no-such-file.csv", tmpdir);
    snprintf(want, sizeof want, "cannot open '%s': %s", path, strerror(ENOENT));
    struct dataset d;
    struct error err;
    assert_int_equal(csv_load(&d, path, &err), CSV_EIO);
    assert_string_equal(err.msg, want);
    /* The golden text, spelled out once (glibc's strerror wording). */
    snprintf(want, sizeof want, "cannot open '%s': No such file or directory",
             path);
    assert_string_equal(err.msg, want);
    assert_zeroed(&d);
}

static void test_directory(void **state)
{
    (void)state;
    char want[512];
    snprintf(want, sizeof want, "cannot read '%s': %s", tmpdir,
             strerror(EISDIR));
    struct dataset d;
    struct error err;
    assert_int_equal(csv_load(&d, tmpdir, &err), CSV_EIO);
    assert_string_equal(err.msg, want);
    assert_zeroed(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_spaces_quotes_no_final_newline),
        cmocka_unit_test(test_crlf_bom),
        cmocka_unit_test(test_trailing_blank_lines),
        cmocka_unit_test(test_large),
        cmocka_unit_test(test_find),
        cmocka_unit_test(test_null_error_struct),
        cmocka_unit_test(test_ragged),
        cmocka_unit_test(test_non_numeric),
        cmocka_unit_test(test_not_decimal),
        cmocka_unit_test(test_raw_bytes),
        cmocka_unit_test(test_empty_cell),
        cmocka_unit_test(test_non_finite),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_header_only),
        cmocka_unit_test(test_long_name),
        cmocka_unit_test(test_blank_line),
        cmocka_unit_test(test_bad_name),
        cmocka_unit_test(test_duplicate_name),
        cmocka_unit_test(test_many_columns),
        cmocka_unit_test(test_hash),
        cmocka_unit_test(test_fifo),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_directory),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
