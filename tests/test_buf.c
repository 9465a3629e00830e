/* test_buf: the growing buffer, fixed buffers, and the reader's bounds. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>

#include "buf.h"

/* Every width written reads back, in order, with the layout memcpy gives
 * (host byte order, no padding). */
static void test_round_trip(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    assert_int_equal(buf_put_u16(&b, 0xbeef), 0);
    assert_int_equal(buf_put_u32(&b, 0x01020304u), 0);
    assert_int_equal(buf_put_i32(&b, -5), 0);
    assert_int_equal(buf_put_u64(&b, 0x1122334455667788ULL), 0);
    assert_int_equal(buf_put_i64(&b, -7), 0);
    assert_int_equal(buf_put_f64(&b, -0.25), 0);
    assert_int_equal(buf_put_string(&b, "forkgp"), 0);
    assert_int_equal(buf_put(&b, "xyz", 3), 0);
    assert_int_equal(buf_put(&b, NULL, 0), 0);
    assert_int_equal(b.len, 2 + 4 + 4 + 8 + 8 + 8 + 4 + 6 + 3);
    assert_false(b.failed);
    uint32_t u32 = 0x01020304u;
    assert_memory_equal(b.data + 2, &u32, 4);

    struct buf_reader r;
    buf_reader_init(&r, b.data, b.len);
    uint16_t a;
    uint32_t c;
    int32_t d;
    uint64_t e;
    int64_t f;
    double g;
    char tail[3];
    assert_int_equal(buf_get_u16(&r, &a), 0);
    assert_int_equal(buf_get_u32(&r, &c), 0);
    assert_int_equal(buf_get_i32(&r, &d), 0);
    assert_int_equal(buf_get_u64(&r, &e), 0);
    assert_int_equal(buf_get_i64(&r, &f), 0);
    assert_int_equal(buf_get_f64(&r, &g), 0);
    char *s = buf_get_string(&r, 64);
    assert_int_equal(buf_get(&r, tail, 3), 0);
    assert_int_equal(a, 0xbeef);
    assert_int_equal(c, 0x01020304u);
    assert_int_equal(d, -5);
    assert_true(e == 0x1122334455667788ULL);
    assert_true(f == -7);
    assert_true(g == -0.25);
    assert_non_null(s);
    assert_string_equal(s, "forkgp");
    free(s);
    assert_memory_equal(tail, "xyz", 3);
    assert_int_equal(r.left, 0);
    assert_false(r.failed);
    buf_release(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
}

/* Growth keeps the bytes, and a reservation is room enough for what
 * follows without moving them. */
static void test_growth(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    for (uint32_t i = 0; i < 100000; i++)
        buf_put_u32(&b, i * 2654435761u);
    assert_false(b.failed);
    assert_int_equal(b.len, 400000);
    for (uint32_t i = 0; i < 100000; i++) {
        uint32_t v;
        memcpy(&v, b.data + 4 * i, 4);
        assert_int_equal(v, i * 2654435761u);
    }
    buf_release(&b);

    buf_init(&b);
    assert_int_equal(buf_reserve(&b, 10000), 0);
    unsigned char *at = b.data;
    for (int i = 0; i < 1250; i++)
        buf_put_f64(&b, i);
    assert_ptr_equal(b.data, at);
    size_t len;
    unsigned char *out = buf_steal(&b, &len);
    assert_ptr_equal(out, at);
    assert_int_equal(len, 10000);
    assert_null(b.data); /* b is empty again, and owns nothing */
    free(out);
}

/* A fixed buffer takes what fits, then fails, and stays failed even for
 * what would fit; its memory is never freed or moved. */
static void test_fixed(void **state)
{
    (void)state;
    unsigned char mem[10];
    struct buf b;
    buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(buf_put_u64(&b, 1), 0);
    assert_int_equal(buf_put_u32(&b, 2), -1);
    assert_true(b.failed);
    assert_int_equal(b.len, 8);
    assert_int_equal(buf_put_u16(&b, 3), -1);
    assert_int_equal(b.len, 8);
    assert_ptr_equal(b.data, mem);
    size_t len = 99;
    assert_null(buf_steal(&b, &len)); /* not the buffer's to give */
    assert_int_equal(len, 0);

    buf_init_fixed(&b, mem, sizeof mem);
    assert_int_equal(buf_put(&b, "0123456789", 10), 0);
    assert_false(b.failed);
    buf_release(&b); /* leaves mem alone */
    assert_memory_equal(mem, "0123456789", 10);
}

/* The unchecked stores lay bytes out as the appends do. */
static void test_store(void **state)
{
    (void)state;
    unsigned char mem[64];
    unsigned char *p = mem;
    p = buf_store_u16(p, 0xbeef);
    p = buf_store_u32(p, 7);
    p = buf_store_i32(p, -1);
    p = buf_store_u64(p, 1ULL << 40);
    p = buf_store_f64(p, 1.5);
    p = buf_store(p, "ab", 2);
    p = buf_store(p, NULL, 0);
    struct buf b;
    buf_init(&b);
    buf_put_u16(&b, 0xbeef);
    buf_put_u32(&b, 7);
    buf_put_i32(&b, -1);
    buf_put_u64(&b, 1ULL << 40);
    buf_put_f64(&b, 1.5);
    buf_put(&b, "ab", 2);
    assert_int_equal(p - mem, b.len);
    assert_memory_equal(mem, b.data, b.len);
    buf_release(&b);
}

/* A short buffer fails cleanly: the value is zeroed, the failure sticks,
 * and nothing past the end is read. */
static void test_short(void **state)
{
    (void)state;
    const unsigned char bytes[6] = {1, 2, 3, 4, 5, 6};
    struct buf_reader r;
    buf_reader_init(&r, bytes, sizeof bytes);
    uint32_t a;
    uint64_t b = 123;
    assert_int_equal(buf_get_u32(&r, &a), 0);
    assert_int_equal(buf_get_u64(&r, &b), -1);
    assert_true(r.failed);
    assert_true(b == 0);
    assert_int_equal(r.left, 0);
    uint16_t c = 7;
    assert_int_equal(buf_get_u16(&r, &c), -1); /* would have fit before */
    assert_int_equal(c, 0);

    buf_reader_init(&r, bytes, sizeof bytes);
    assert_int_equal(buf_skip(&r, 6), 0);
    assert_int_equal(buf_skip(&r, 1), -1);
    assert_true(r.failed);

    buf_reader_init(&r, NULL, 0);
    assert_int_equal(buf_get(&r, &c, 0), 0);
    assert_false(r.failed);
}

/* A string's length is checked against the bound and what is left. */
static void test_string_bounds(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    buf_put_string(&b, "twelve bytes");
    struct buf_reader r;
    buf_reader_init(&r, b.data, b.len);
    assert_null(buf_get_string(&r, 11)); /* over max */
    buf_reader_init(&r, b.data, b.len - 1);
    assert_null(buf_get_string(&r, 64)); /* cut short */
    assert_true(r.failed);
    buf_reader_init(&r, b.data, b.len);
    char *s = buf_get_string(&r, 12);
    assert_string_equal(s, "twelve bytes");
    free(s);
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_growth),
        cmocka_unit_test(test_fixed),         cmocka_unit_test(test_store),
        cmocka_unit_test(test_short),
        cmocka_unit_test(test_string_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
