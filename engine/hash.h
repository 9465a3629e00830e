/* hash: FNV-1a 64, the hash of every file and configuration a run
 * depends on (manifest.ini, checkpoints). */
#ifndef FORKGP_HASH_H
#define FORKGP_HASH_H

#include <stddef.h>
#include <stdint.h>

/* FNV-1a 64's offset basis: the hash of no bytes, where hash_update
 * starts. */
#define HASH_INIT 0xcbf29ce484222325ULL

/* Feeds n bytes at p into h and returns the new hash, so that a stream
 * read in pieces hashes as its whole: hash_update(hash_update(HASH_INIT,
 * a), b) == hash_bytes(a b). */
uint64_t hash_update(uint64_t h, const void *p, size_t n);

/* The FNV-1a 64 of n bytes at p. */
uint64_t hash_bytes(const void *p, size_t n);

/* Feeds v into h as its 8 bytes least significant first (the same hash on
 * any host), and returns the new hash. */
uint64_t hash_u64(uint64_t h, uint64_t v);

/* The FNV-1a 64 of the file at path, read once to its end, into *out.
 * Returns 0, or -1 (errno set) when it cannot be opened or read; *out is
 * then unchanged. */
int hash_file(const char *path, uint64_t *out);

#endif
