/* plugin: finds the fitness function (built-in or shared object), runs its
 * setup and binds it to the engine's fitness interface. */
#ifndef FORKGP_PLUGIN_H
#define FORKGP_PLUGIN_H

#include "config.h"
#include "csv.h"
#include "error.h"
#include "fitness.h"
#include "forkgp.h"
#include "prim.h"
#include "tree.h"

struct plugin;

/*
 * Loads the fitness function that [fitness] function names, runs its setup
 * (which reads its keys and declares the primitives into *ps, which it
 * initialises), checks that every key of the file was read by someone (a
 * [data], [primitives] or [fitness] metric key that the user set, too),
 * and fills *f. Returns the plug-in, or NULL with a message: an unknown name,
 * a missing file, not a shared object, no descriptor, another ABI, or the
 * setup's own message (with file:line where it read a bad value). The
 * setup's relative paths of its own keys are made absolute in c (see
 * config_set_extra), so a dump of c afterwards names the same files.
 */
struct plugin *plugin_load(struct config *c, struct primset *ps,
                           struct fitness *f, struct error *err);

/* The most case errors a population keeps (floats, all individuals
 * together): a gigabyte. */
#define PLUGIN_MAX_CASE_CELLS ((size_t)1 << 28)

/* Refuses [operators] rdo (exit 2, err naming the key) where the fitness
 * gives no table of cases or the primitives include a function RDO
 * cannot walk (rdo.h). Returns 0 or -1. */
int plugin_check_rdo(const struct config *c, const struct fitness *f,
                     const struct primset *ps, struct error *err);

/*
 * The case errors [selection] asks each evaluation of f (loaded from c)
 * for, into *cases: 0 when the method uses none; else all of f's, or
 * [selection] cases of them. Returns 0, or -1 with a message led by the
 * key's place: f gives none, fewer than asked, or more than a population
 * of c's size keeps (PLUGIN_MAX_CASE_CELLS).
 */
int plugin_cases(const struct config *c, const struct fitness *f,
                 uint32_t *cases, struct error *err);

/* Runs teardown and frees everything; plugin_free(NULL) is a no-op. */
void plugin_free(struct plugin *pl);

/* Scores t with the plug-in's test callback (held-out data). Returns an
 * enum eval_status, or -1 when the plug-in has no test. */
int plugin_test(struct plugin *pl, const struct tree *t, double *scores);

/* A file the fitness function depends on: its data, the plug-in itself. */
struct plugin_file {
    char *path;
    uint64_t hash; /* FNV-1a 64 of its bytes */
};

/* The files loaded so far (data read by fgp_load_csv, the .so). */
size_t plugin_files(const struct plugin *pl, const struct plugin_file **out);

/* The data loaded from path (as the setup named it to fgp_load_csv),
 * or NULL: the bytes the run used, never read again (a named pipe could
 * not be, and a file may have changed since). Lives as long as pl. */
const struct dataset *plugin_dataset(const struct plugin *pl,
                                     const char *path);

/* One hash of all of them, in load order. */
uint64_t plugin_data_hash(const struct plugin *pl);

/* The names of the built-in fitness functions, NULL-terminated. */
extern const char *const plugin_builtin_names[];

#endif
