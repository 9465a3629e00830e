/* hash: FNV-1a 64, one implementation for every hash a run records. */
#include "hash.h"

#include <errno.h>
#include <stdio.h>

#define FNV_PRIME 0x100000001b3ULL

uint64_t hash_update(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * FNV_PRIME;
    return h;
}

uint64_t hash_bytes(const void *p, size_t n)
{
    return hash_update(HASH_INIT, p, n);
}

uint64_t hash_u64(uint64_t h, uint64_t v)
{
    for (int b = 0; b < 8; b++)
        h = (h ^ ((v >> (8 * b)) & 0xff)) * FNV_PRIME;
    return h;
}

int hash_file(const char *path, uint64_t *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    uint64_t h = HASH_INIT;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        h = hash_update(h, buf, n);
    int bad = ferror(f);
    int saved = errno;
    fclose(f);
    if (bad) {
        errno = saved ? saved : EIO;
        return -1;
    }
    *out = h;
    return 0;
}
