/* config: the run's configuration, from an INI file and --set overrides. */
#ifndef FORKGP_CONFIG_H
#define FORKGP_CONFIG_H

#include <stdint.h>
#include <stdio.h>

#include "config_keys.h"
#include "error.h"

#define CFG_CTYPE_INT long
#define CFG_CTYPE_AUTOINT long
#define CFG_CTYPE_REAL double
#define CFG_CTYPE_SEED uint64_t
#define CFG_CTYPE_STR char *
#define CFG_CTYPE_PATH char *
#define CFG_CTYPE_CHOICE char *
#define CFG_CTYPE_OPTREAL double
#define CFG_CTYPE_FUNCS char *
#define CFG_CTYPE_CONSTS char *
#define CFG_CTYPE_FUNCTION char *

enum config_type {
    CFG_INT,
    CFG_AUTOINT,
    CFG_REAL,
    CFG_SEED,
    CFG_STR,
    CFG_PATH,
    CFG_CHOICE,
    CFG_OPTREAL,
    CFG_FUNCS,
    CFG_CONSTS,
    CFG_FUNCTION
};

/* Key indices: CFG_KEY_run_seed, ... */
enum config_key_id {
#define X(sec, key, ...) CFG_KEY_##sec##_##key,
    CONFIG_KEYS(X)
#undef X
        CONFIG_NKEYS
};

/* One row of the key table. */
struct config_key {
    const char *section;
    const char *name;
    enum config_type type;
    const char *def;
    double min, max;
    const char *choices; /* CHOICE only: "a|b|c" */
    const char *help;
    size_t offset; /* of the typed value in struct config */
};

extern const struct config_key config_keys[CONFIG_NKEYS];

/* Where a key's value came from, for messages. */
struct config_origin {
    int line;  /* line in the INI file; 0: default; -1: command line */
    char *raw; /* the text as given (owned) */
};

/*
 * A key of a section the table does not declare: a plug-in's own section
 * (say [ant]), kept as text until the plug-in reads it. key is NULL for the
 * line that opens a section, so that an empty section is seen too.
 */
struct config_extra {
    char *section;
    char *key;   /* NULL: the [section] line */
    char *value; /* NULL for a [section] line */
    int line;    /* -1: from --set */
};

/*
 * The effective configuration: one typed field per key (run_seed,
 * tree_max_depth, ...; strings owned), plus where each came from.
 */
struct config {
#define X(sec, key, type, ...) CFG_CTYPE_##type sec##_##key;
    CONFIG_KEYS(X)
#undef X
    char *file; /* the INI file as named on the command line */
    char *dir;  /* its folder, absolute: relative PATH keys start here */
    struct config_origin origin[CONFIG_NKEYS];
    struct config_extra *extras; /* in file order, then --set order */
    int nextras;
};

/*
 * Reads the INI file `path`, applies the `nsets` overrides "section.key=
 * value" in order, and validates everything. Returns 0, or -1 with a
 * message citing file:line (or the --set argument); *c then holds nothing.
 */
int config_load(struct config *c, const char *path, const char *const *sets,
                int nsets, struct error *err);

/*
 * After the fitness function's setup has read what it wanted: fails on
 * every extra key nobody read. `used[i]` says whether extras[i] was read;
 * `asked` lists the keys the setup asked for (for "did you mean"); `own`
 * is the setup's own section. Returns 0, or -1 with a message citing the
 * line: an unknown section, or an unknown key of a known one.
 */
int config_check_extras(const struct config *c, const char *own,
                        const unsigned char *used, const char *const *asked,
                        size_t nasked, struct error *err);

/*
 * Replaces the value of extras[i] with value: for a path of the fitness
 * function's that was relative to the INI file's folder, so that
 * config_dump writes it absolute and a run folder's config.ini, read from
 * another folder, names the same file. Returns 0 or -1 (out of memory).
 */
int config_set_extra(struct config *c, int i, const char *value);

/* The extra entry for section.key, or -1 (the last one set wins). */
int config_find_extra(const struct config *c, const char *section,
                      const char *key);

/* Nonzero when `name` is a section of the key table. */
int config_core_section(const char *name);

/* Writes into buf where [section] name was set, as config messages lead:
 * "FILE:LINE: [section] name: ", or "--set section.name=VALUE: ". */
void config_place(const struct config *c, const char *section,
                  const char *name, char *buf, size_t size);
/* Fills err with a message about core key k, led by its place (file:line,
 * the --set that gave it, or the file alone for a default). Returns -1. */
int config_key_error(const struct config *c, int k, struct error *err,
                     const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Frees what *c holds; a zeroed config is fine. */
void config_release(struct config *c);

/* Writes the effective configuration as INI that config_load accepts. */
void config_dump(const struct config *c, FILE *out);

/* The forms of the key reference. */
enum config_ref_format {
    CONFIG_REF_TEXT,     /* two lines a key, for people (forkgp help keys) */
    CONFIG_REF_MARKDOWN, /* the README's table */
    CONFIG_REF_TSV       /* for programs: see config_reference */
};

/*
 * Writes the key reference in the given form. CONFIG_REF_TSV writes a
 * header line, then one line per key of eight tab-separated fields:
 * section, key, type (int, autoint, real, seed, str, path, choice,
 * optreal, funcs, consts, function), default, min and max (%.17g, for
 * int, autoint, real and optreal; else empty), the choices separated by
 * '|' (choice; else empty), and the help. No field holds a tab or a
 * line break.
 */
void config_reference(FILE *out, enum config_ref_format format);

/* A 64-bit hash of the effective configuration (of config_dump's text,
 * less the keys that do not change results: those config_outside_hash
 * names). */
uint64_t config_hash(const struct config *c);

/* Nonzero for the keys config_hash leaves out (where a run writes, how
 * many processes evaluate it and where, how often it checkpoints). */
int config_outside_hash(int k);

#endif
