/* test_clock: the monotonic clock moves forward and in seconds. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <time.h>

#include "clock.h"

/* Never backwards, however fast it is read. */
static void test_monotonic(void **state)
{
    (void)state;
    double last = clock_now();
    for (int i = 0; i < 100000; i++) {
        double t = clock_now();
        assert_true(t >= last);
        last = t;
    }
}

/* A sleep of 20 ms reads as about 0.02 seconds (not ms, not ns). */
static void test_seconds(void **state)
{
    (void)state;
    double t0 = clock_now();
    struct timespec ts = {0, 20 * 1000 * 1000};
    while (nanosleep(&ts, &ts) != 0)
        ;
    double dt = clock_now() - t0;
    assert_true(dt >= 0.019);
    assert_true(dt < 5.0); /* a loaded machine may be slow, never 1000x */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_monotonic),
        cmocka_unit_test(test_seconds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
