/* checkpoint: a run's whole state after a scored generation, written so
 * that resuming from it gives the uninterrupted run's bytes. */
#ifndef FORKGP_CHECKPOINT_H
#define FORKGP_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "front.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"

#define CHECKPOINT_FILE "checkpoint.bin"
/* 7: each individual's further objectives (NSGA-II on a plug-in's
 * scores; 6 and 5 have none, and are read as such); 6: whether the run
 * ended, last (5 lacks it and is read as a run going on); 5: each individual's case errors; 4: a count of the `killed`
 * status (3 had 8 statuses), and tuned constants kept apart from each
 * individual's tree (lamarckian = no); 3: each individual's linear
 * scaling, and the front (2 had neither, 1 ended in FNV-1a 64: all
 * refused by version). */
#define CHECKPOINT_VERSION 7
#define CHECKPOINT_VERSION_OLDEST 5
#define SHOWN_FAILURES 5

/* A failed evaluation kept for the summary (program owned). */
struct failure_note {
    long generation;
    size_t index;
    int status, detail;
    char *program;
};

/*
 * What a run is, between generations: generation `generation` has been
 * scored and reported, and the main stream is as it was before breeding
 * from it. The population lives apart (struct population).
 */
struct run_state {
    long generation;
    struct rng rng;
    double elapsed;       /* seconds run so far, over all sessions */
    uint64_t log_size;    /* bytes of log.csv at this point */
    uint64_t timing_size; /* and of timing.csv */
    struct individual best; /* best of run (tree allocated by the owner) */
    long best_generation;   /* -1 until one is scored */
    uint64_t best_index;
    uint64_t evaluations;
    uint64_t fail_count[EVAL_NSTATUS];
    int nshown;
    struct failure_note shown[SHOWN_FAILURES];
    struct front front; /* the best program of each size (the owner
                           allocates it: front_init) */
    int finished; /* nonzero once the run has ended and written its
                     outputs (why it stopped, as run.c numbers it): a
                     resume then has nothing to do */
};

/* What makes a checkpoint fit a run: the effective configuration's hash,
 * the data and plug-in files' hash, and the binary. */
struct checkpoint_key {
    uint64_t config_hash;
    uint64_t data_hash;
    char build[128];
};

/*
 * Serialises (key, state, population) into *out (malloc'd, *len bytes),
 * ending in a checksum. Returns 0 or -1 (out of memory).
 */
int checkpoint_encode(const struct checkpoint_key *key,
                      const struct run_state *st, const struct population *p,
                      unsigned char **out, size_t *len);

/* The bytes checkpoint_check_head reads: the magic and the version. */
#define CHECKPOINT_HEAD 12

/*
 * Checks the first n bytes of a file (CHECKPOINT_HEAD or fewer when the
 * file is shorter): forkgp's magic and this format version, so that what
 * is not a checkpoint is refused before the rest is read. Returns 0, or
 * -1 with a message.
 */
int checkpoint_check_head(const unsigned char *head, size_t n,
                          struct error *err);

/*
 * The most bytes a checkpoint of a population of n programs of at most
 * max_size nodes can have (every length at its greatest): a larger file
 * is not one of this run's, and is refused before it is read.
 */
uint64_t checkpoint_max_len(size_t n, uint32_t max_size);

/*
 * Reads only what a checkpoint is for (magic, format version, checksum
 * and key), so that a checkpoint of another run is told as such before its
 * contents are looked at. Returns 0, or -1 with a message.
 */
int checkpoint_read_key(const unsigned char *buf, size_t len,
                        struct checkpoint_key *key, struct error *err);

/*
 * Reads a checkpoint of len bytes into *st (whose best.tree and the
 * population p, of the run's size and max_size, the caller has
 * allocated) and *key. Trees are checked against ps. Returns 0, or -1 with
 * a message: truncated, corrupted (checksum or contents), another format
 * version, another population size. Never trusts a length it read.
 */
int checkpoint_decode(const unsigned char *buf, size_t len,
                      struct checkpoint_key *key, struct run_state *st,
                      struct population *p, const struct primset *ps,
                      struct error *err);

/*
 * The checksum that ends a checkpoint, of the n bytes before it: four
 * interleaved lanes of 64-bit words, certain to catch any one changed
 * byte. Public for the tests and the fuzz target, which reseal a changed
 * checkpoint so that its contents are what gets checked.
 */
uint64_t checkpoint_checksum(const unsigned char *p, size_t n);

/* Frees the failure notes' programs. */
void run_state_release_notes(struct run_state *st);

#endif
