/* test_error: messages set, prefixed and cut, never overrun. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <string.h>

#include "error.h"

/* The usual shape: return error_set(...) from a failing function. */
static int open_thing(const char *name, struct error *err)
{
    return error_set(err, "cannot open '%s': %s", name, "no such thing");
}

static void test_set(void **state)
{
    (void)state;
    struct error e;
    assert_int_equal(open_thing("x.ini", &e), -1);
    assert_string_equal(e.msg, "cannot open 'x.ini': no such thing");
    assert_int_equal(open_thing("x.ini", NULL), -1);
    error_clear(&e);
    assert_string_equal(e.msg, "");
    error_clear(NULL);
}

static void test_prefix(void **state)
{
    (void)state;
    struct error e;
    error_set(&e, "expected a number, got '%s'", "abc");
    assert_int_equal(error_prefix(&e, "%s:%d: ", "configs/q.ini", 14), -1);
    assert_string_equal(e.msg,
                        "configs/q.ini:14: expected a number, got 'abc'");
    error_clear(&e);
    error_prefix(&e, "column %d: ", 3);
    assert_string_equal(e.msg, "column 3: ");
    assert_int_equal(error_prefix(NULL, "x"), -1);
}

/* A message longer than the buffer is cut at its end; a prefix is kept
 * whole and the message behind it cut. */
static void test_long(void **state)
{
    (void)state;
    static char big[4000];
    memset(big, 'p', sizeof big - 1);
    struct error e;
    error_set(&e, "cannot write '%s'", big);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_memory_equal(e.msg, "cannot write 'ppp", 17);

    error_set(&e, "%s", big);
    error_prefix(&e, "place: ");
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_memory_equal(e.msg, "place: ppp", 10);

    error_set(&e, "short");
    error_prefix(&e, "%s", big);
    assert_int_equal(strlen(e.msg), sizeof e.msg - 1);
    assert_memory_equal(e.msg, big, sizeof e.msg - 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_set),
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
