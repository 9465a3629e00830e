/* test_path: joined and formatted paths, and the refusal of a name that
 * does not fit. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

static void test_join(void **state)
{
    (void)state;
    char out[PATH_MAX];
    assert_int_equal(path_join(out, "runs/a", "log.csv"), 0);
    assert_string_equal(out, "runs/a/log.csv");
    assert_int_equal(path_join(out, "", "x"), 0);
    assert_string_equal(out, "/x");
    assert_int_equal(path_format(out, "%s/run-%03d/log.csv", "b", 7), 0);
    assert_string_equal(out, "b/run-007/log.csv");
    char *s = path_join_new("/tmp", "best.txt");
    assert_non_null(s);
    assert_string_equal(s, "/tmp/best.txt");
    free(s);
}

/* The longest path that fits (PATH_MAX - 1 bytes and its NUL) is taken;
 * one byte more is ENAMETOOLONG with an empty result, never a cut one. */
static void test_too_long(void **state)
{
    (void)state;
    static char dir[PATH_MAX + 8];
    char out[PATH_MAX];
    size_t d = PATH_MAX - 1 - 2; /* dir "/" "x" fills PATH_MAX - 1 */
    memset(dir, 'd', d);
    dir[d] = '\0';
    assert_int_equal(path_join(out, dir, "x"), 0);
    assert_int_equal(strlen(out), PATH_MAX - 1);
    char *s = path_join_new(dir, "x");
    assert_non_null(s);
    assert_int_equal(strlen(s), PATH_MAX - 1);
    free(s);

    errno = 0;
    assert_int_equal(path_join(out, dir, "xy"), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_string_equal(out, "");
    errno = 0;
    assert_null(path_join_new(dir, "xy"));
    assert_int_equal(errno, ENAMETOOLONG);
    errno = 0;
    assert_int_equal(path_format(out, "%s/%s.tmp", dir, "x"), -1);
    assert_int_equal(errno, ENAMETOOLONG);
    assert_string_equal(out, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_join),
        cmocka_unit_test(test_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
