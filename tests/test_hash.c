/* test_hash: FNV-1a 64 against its published vectors, in pieces and from
 * a file. */
/* cmocka 1.1.5 needs these four first, in this order. */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hash.h"
#include "testutil.h"

/* The reference vectors of FNV-1a 64 (Fowler, Noll and Vo's test suite). */
static void test_vectors(void **state)
{
    (void)state;
    assert_true(hash_bytes("", 0) == 0xcbf29ce484222325ULL);
    assert_true(hash_bytes("a", 1) == 0xaf63dc4c8601ec8cULL);
    assert_true(hash_bytes("foobar", 6) == 0x85944171f73967e8ULL);
    assert_true(hash_bytes(NULL, 0) == HASH_INIT);
}

/* A stream hashed in pieces hashes as its whole, at every split. */
static void test_pieces(void **state)
{
    (void)state;
    const char text[] = "x,y\n1,2\n3,4\n";
    size_t n = sizeof text - 1;
    uint64_t whole = hash_bytes(text, n);
    for (size_t cut = 0; cut <= n; cut++) {
        uint64_t h = hash_update(HASH_INIT, text, cut);
        assert_true(hash_update(h, text + cut, n - cut) == whole);
    }
}

/* hash_u64 feeds the value least significant byte first, whatever the
 * host. */
static void test_u64(void **state)
{
    (void)state;
    const unsigned char le[8] = {0x08, 0x07, 0x06, 0x05,
                                 0x04, 0x03, 0x02, 0x01};
    assert_true(hash_u64(HASH_INIT, 0x0102030405060708ULL) ==
                hash_bytes(le, sizeof le));
}

/* A file hashes as its bytes; a missing one fails and leaves *out. */
static void test_file(void **state)
{
    (void)state;
    char dir[256], path[512];
    assert_non_null(testutil_mkdtemp(dir, sizeof dir, "hash"));
    snprintf(path, sizeof path, "%s/data.bin", dir);
    /* More than hash_file's read buffer, so it is read in pieces. */
    static unsigned char data[200000];
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (unsigned char)(i * 7 + i / 251);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, sizeof data, f), sizeof data);
    assert_int_equal(fclose(f), 0);
    uint64_t h = 0;
    assert_int_equal(hash_file(path, &h), 0);
    assert_true(h == hash_bytes(data, sizeof data));

    snprintf(path, sizeof path, "%s/none.bin", dir);
    h = 42;
    errno = 0;
    assert_int_equal(hash_file(path, &h), -1);
    assert_int_equal(errno, ENOENT);
    assert_true(h == 42);
    /* A folder opens but cannot be read. */
    assert_int_equal(hash_file(dir, &h), -1);
    assert_true(h == 42);
    assert_int_equal(testutil_rmtree(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_pieces),
        cmocka_unit_test(test_u64),
        cmocka_unit_test(test_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
