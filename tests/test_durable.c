/* test_durable: engine/durable.c writes whole files, now or from a forked
 * child that works on its own copy of the data, and reports its failures. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "durable.h"
#include "testutil.h"

/* Reads dir/name whole into a malloc'd buffer (*len bytes); NULL when it
 * cannot be read. */
static char *slurp(const char *dir, const char *name, size_t *len)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + n, 1, cap - n, f)) > 0;) {
        n += got;
        if (n == cap) {
            char *more = realloc(buf, cap *= 2);
            if (!more) {
                free(buf);
                buf = NULL;
            }
            buf = more;
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static int exists(const char *dir, const char *name)
{
    char path[4200];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return stat(path, &st) == 0;
}

static void test_write_now(void **state)
{
    (void)state;
    char dir[256];
    struct error err;
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "durable"));
    assert_int_equal(durable_write(dir, "a.txt", "old", 3, &err),
                     0);
    assert_int_equal(durable_write(dir, "a.txt", "new!", 4, &err),
                     0);
    size_t len;
    char *text = slurp(dir, "a.txt", &len);
    assert_non_null(text);
    assert_int_equal(len, 4);
    assert_memory_equal(text, "new!", 4);
    assert_false(exists(dir, "a.txt.tmp"));
    free(text);
    assert_int_equal(testutil_rmtree(dir), 0);
}

static void test_write_now_fails_with_the_path(void **state)
{
    (void)state;
    struct error err;
    assert_int_equal(durable_write("/nonexistent/forkgp", "a.txt", "x", 1,
                                   &err),
                     -1);
    assert_string_equal(err.msg, "cannot write '/nonexistent/forkgp/a.txt': No "
                             "such file or directory");
}

/* The child writes the data as it was when the write started, whatever
 * the caller does to its buffer afterwards (copy-on-write). */
static void test_behind_writes_its_own_copy(void **state)
{
    (void)state;
    char dir[256];
    struct error err;
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "durable"));
    size_t n = 8 << 20; /* long enough to still be writing, often */
    unsigned char *data = malloc(n);
    assert_non_null(data);
    for (size_t i = 0; i < n; i++)
        data[i] = (unsigned char)(i * 2654435761u >> 13);
    unsigned char first = data[0], last = data[n - 1];
    struct durable_job job = {0};
    assert_int_equal(
        durable_write_behind(&job, dir, "big.bin", data, n, &err),
        0);
    memset(data, 0, n); /* the caller's buffer, changed at once */
    assert_int_equal(durable_wait(&job, &err), 0);
    assert_int_equal(job.pid, 0);
    size_t len;
    unsigned char *back = (unsigned char *)slurp(dir, "big.bin", &len);
    assert_non_null(back);
    assert_int_equal(len, n);
    assert_int_equal(back[0], first);
    assert_int_equal(back[n - 1], last);
    for (size_t i = 0; i < n; i += 4099)
        assert_int_equal(back[i], (unsigned char)(i * 2654435761u >> 13));
    assert_false(exists(dir, "big.bin.tmp"));
    free(back);
    free(data);
    assert_int_equal(testutil_rmtree(dir), 0);
}

/* A failure in the child comes back with its message when waited for,
 * and the child is reaped. */
static void test_behind_failure_is_reported(void **state)
{
    (void)state;
    struct error err;
    struct durable_job job = {0};
    assert_int_equal(durable_write_behind(&job, "/nonexistent/forkgp", "b.txt",
                                          "x", 1, &err),
                     0);
    pid_t pid = job.pid;
    assert_true(pid > 0);
    assert_int_equal(durable_wait(&job, &err), -1);
    assert_string_equal(err.msg, "cannot write '/nonexistent/forkgp/b.txt': No "
                             "such file or directory");
    assert_int_equal(waitpid(pid, NULL, WNOHANG), -1);
    assert_int_equal(errno, ECHILD);
    /* Idle: waiting again is a no-op. */
    assert_int_equal(durable_wait(&job, &err), 0);
}

/* durable_poll says "still writing" (1) until the child is done, then
 * reaps it: 0 when it wrote, -1 with its message when it failed. */
static void test_poll(void **state)
{
    (void)state;
    char dir[256];
    struct error err;
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "durable"));
    struct durable_job job = {0};
    assert_int_equal(durable_poll(&job, &err), 0); /* idle */
    assert_int_equal(
        durable_write_behind(&job, dir, "p.txt", "abc", 3, &err),
        0);
    pid_t pid = job.pid;
    int rc, polls = 0;
    while ((rc = durable_poll(&job, &err)) == 1 && polls < 10000) {
        polls++;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(job.pid, 0);
    assert_int_equal(waitpid(pid, NULL, WNOHANG), -1); /* reaped */
    assert_true(exists(dir, "p.txt"));

    assert_int_equal(durable_write_behind(&job, "/nonexistent/forkgp", "q.txt",
                                          "x", 1, &err),
                     0);
    polls = 0;
    while ((rc = durable_poll(&job, &err)) == 1 && polls < 10000) {
        polls++;
        nanosleep(&(struct timespec){0, 1000000}, NULL);
    }
    assert_int_equal(rc, -1);
    assert_string_equal(err.msg, "cannot write '/nonexistent/forkgp/q.txt': No "
                             "such file or directory");
    assert_int_equal(job.pid, 0);
    assert_int_equal(testutil_rmtree(dir), 0);
}

/* Ctrl-C signals the whole process group: the writer finishes anyway. */
static void test_behind_survives_sigint(void **state)
{
    (void)state;
    char dir[256];
    struct error err;
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "durable"));
    size_t n = 4 << 20;
    char *data = malloc(n);
    assert_non_null(data);
    memset(data, 'k', n);
    struct durable_job job = {0};
    assert_int_equal(
        durable_write_behind(&job, dir, "c.bin", data, n, &err), 0);
    /* ESRCH: it was done already, and reaped as it ended. */
    assert_true(kill(job.pid, SIGINT) == 0 || errno == ESRCH);
    assert_true(kill(job.pid, SIGTERM) == 0 || errno == ESRCH);
    assert_int_equal(durable_wait(&job, &err), 0);
    size_t len;
    char *back = slurp(dir, "c.bin", &len);
    assert_non_null(back);
    assert_int_equal(len, n);
    assert_memory_equal(back, data, n);
    free(back);
    free(data);
    assert_int_equal(testutil_rmtree(dir), 0);
}

/* A writer killed outright is replaced once: the file is written. */
static void test_behind_killed_writer_is_retried(void **state)
{
    (void)state;
    char dir[256];
    struct error err;
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "durable"));
    struct durable_job job = {0};
    assert_int_equal(
        durable_write_behind(&job, dir, "d.bin", "x", 1, &err), 0);
    kill(job.pid, SIGKILL);
    assert_int_equal(durable_wait(&job, &err), 0);
    assert_true(exists(dir, "d.bin"));
    assert_int_equal(testutil_rmtree(dir), 0);
}

/* Killed twice, the write is reported as failed, not as a success. */
static void test_behind_killed_twice_is_reported(void **state)
{
    (void)state;
    char dir[256];
    struct error err;
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "durable"));
    struct durable_job job = {0};
    assert_int_equal(
        durable_write_behind(&job, dir, "d.bin", "x", 1, &err), 0);
    pid_t first = job.pid;
    kill(first, SIGKILL);
    int rc;
    while ((rc = durable_poll(&job, &err)) == 1 && job.pid == first)
        ;
    if (rc == 1) { /* the second writer: killed too */
        kill(job.pid, SIGKILL);
        rc = durable_wait(&job, &err);
    }
    if (rc == 0) {
        /* A writer won the race and wrote the file: nothing to see. */
        assert_true(exists(dir, "d.bin"));
    } else {
        char want[512];
        snprintf(want, sizeof want, "cannot write '%s/d.bin': its writer",
                 dir);
        assert_memory_equal(err.msg, want, strlen(want));
        assert_non_null(strstr(err.msg, "died of signal 9"));
    }
    assert_int_equal(testutil_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_now),
        cmocka_unit_test(test_write_now_fails_with_the_path),
        cmocka_unit_test(test_behind_writes_its_own_copy),
        cmocka_unit_test(test_behind_failure_is_reported),
        cmocka_unit_test(test_poll),
        cmocka_unit_test(test_behind_survives_sigint),
        cmocka_unit_test(test_behind_killed_writer_is_retried),
        cmocka_unit_test(test_behind_killed_twice_is_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
