/* testutil: what the cmocka test programs share (linked into each). */
#ifndef FORKGP_TESTUTIL_H
#define FORKGP_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "fitness.h"
#include "plugin.h"
#include "prim.h"
#include "tree.h"

/*
 * Fills t from a prefix-order spec of space-separated tokens: a built-in
 * function ("add"), a plug-in symbol or a variable of ps by name (when ps
 * is given), "xN" for variable N, or a number. Fails the test on a token
 * it cannot read, and (when ps is given) on a tree that is not well
 * formed.
 */
void testutil_build(struct tree *t, const struct primset *ps,
                    const char *spec);

/* Fails the test unless every node of t (well formed) has the span its
 * shape gives, counted here the plain way: the nodes up to where the
 * arguments still owed come to none. */
void testutil_check_spans(const struct tree *t);

/* Makes a fresh folder /tmp/NAME.<random> into dir (size bytes). Returns
 * dir, or NULL (errno set), as mkdtemp does. */
char *testutil_mkdtemp(char *dir, size_t size, const char *name);

/* Copies want into out (cap bytes) with each '@' replaced by dir, so
 * golden messages can name a temporary folder. */
void testutil_expand(char *out, size_t cap, const char *want,
                     const char *dir);

/* Removes dir and everything in it. Returns 0 or -1. */
int testutil_rmtree(const char *dir);

/* A loaded fitness function and what it needs alive. */
struct testutil_fitness {
    struct config c;
    struct primset ps;
    struct fitness f;
    struct plugin *pl;
};

/*
 * Writes the INI text (each '@': dir) as dir/name, loads it with the --set
 * overrides (each '@': dir too) and loads its fitness function. pl is NULL
 * on a plug-in error, in err; a config error fails the test. At most 4
 * overrides.
 */
struct testutil_fitness *testutil_load_fitness(const char *dir,
                                               const char *name,
                                               const char *ini,
                                               const char *const *sets,
                                               int nsets,
                                               struct error *err);

/* Frees what testutil_load_fitness made. */
void testutil_fitness_free(struct testutil_fitness *x);

/*
 * Makes a named pipe at path and forks a child that writes text into it
 * once and exits; returns the child's pid. A reader that blocks should be
 * under alarm(), so that it fails its test rather than hangs the suite.
 */
int testutil_fifo_writer(const char *path, const char *text);

/* Reaps the writer and checks that it wrote everything. */
void testutil_fifo_done(int pid);

#endif
