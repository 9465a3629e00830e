/*
 * fuzz_checkpoint: a libFuzzer target for checkpoint_decode. The input is a
 * checkpoint whose checksum the target recomputes first, so that mutations
 * reach the contents (the checksum itself is covered by the unit tests).
 * Not part of make test. Build and run from the repository root:
 *
 *   S="engine/checkpoint.c engine/buf.c engine/error.c engine/path.c
 *      engine/tree.c engine/prim.c engine/pop.c engine/rng.c engine/text.c
 *      operators/init.c"
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11
 *       -D_POSIX_C_SOURCE=200809L -Iengine -Ioperators -Ifitness
 *       -o build/fuzz_checkpoint tools/fuzz_checkpoint.c $S -lm
 *   mkdir -p build/fuzz-corpus
 *   FUZZ_CHECKPOINT_SEEDS=build/fuzz-corpus build/fuzz_checkpoint
 *   build/fuzz_checkpoint -max_total_time=60 build/fuzz-corpus
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checkpoint.h"
#include "init.h"
#include "path.h"
#include "pop.h"
#include "prim.h"
#include "rng.h"
#include "tree.h"

#define NIND 4
#define CAP 64

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct primset ps;
static const char *const names[] = {"x", "y"};

/* Some functions, two variables, a constant range and two symbols. */
static void make_primset(void)
{
    struct error err;
    static const uint16_t funcs[] = {OP_ADD, OP_MUL, OP_SIN, OP_IF};
    for (size_t i = 0; i < sizeof funcs / sizeof funcs[0]; i++)
        ps.funcs[ps.nfuncs++] = funcs[i];
    ps.nvars = 2;
    ps.var_names[0] = names[0];
    ps.var_names[1] = names[1];
    ps.range_lo[0] = -1;
    ps.range_hi[0] = 1;
    ps.nranges = 1;
    if (prim_add_symbol(&ps, "f", 2, &err) < 0 ||
        prim_add_symbol(&ps, "t", 0, &err) < 0) {
        fprintf(stderr, "fuzz_checkpoint: %s\n", err.msg);
        abort();
    }
}

/* Writes a few valid checkpoints into dir, as a seed corpus. */
static void write_seeds(const char *dir)
{
    struct rng r;
    rng_seed(&r, 1, 2);
    for (int s = 0; s < 4; s++) {
        struct checkpoint_key key = {.config_hash = 1, .data_hash = 2};
        snprintf(key.build, sizeof key.build, "fuzz");
        struct run_state st;
        struct population p;
        memset(&st, 0, sizeof st);
        if (tree_init(&st.best.tree, CAP) < 0 || pop_init(&p, NIND, CAP) < 0)
            abort();
        st.generation = 7;
        st.best_generation = 3;
        st.best_index = 1;
        rng_seed(&st.rng, 5, 6);
        while (init_tree(&st.best.tree, &ps, INIT_GROW, 1, 4, &r) < 0)
            ;
        for (int i = 0; i < s + 1 && i < SHOWN_FAILURES; i++) {
            st.shown[i] = (struct failure_note){
                .generation = i, .index = (size_t)i, .status = EVAL_CRASHED,
                .detail = 11, .program = strdup("f(x, t)")};
            st.nshown = i + 1;
        }
        for (int i = 0; i < NIND; i++)
            while (init_tree(&p.ind[i].tree, &ps, i % 2 ? INIT_FULL : INIT_GROW,
                             1, 1 + s, &r) < 0)
                ;
        unsigned char *buf;
        size_t len;
        if (checkpoint_encode(&key, &st, &p, &buf, &len) < 0)
            abort();
        char path[PATH_MAX];
        if (path_format(path, "%s/seed%d", dir, s) < 0) {
            perror(dir);
            exit(1);
        }
        FILE *f = fopen(path, "wb");
        if (!f || fwrite(buf, 1, len, f) != len || fclose(f) != 0) {
            perror(path);
            exit(1);
        }
        free(buf);
        tree_release(&st.best.tree);
        run_state_release_notes(&st);
        pop_release(&p);
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    make_primset();
    const char *seeds = getenv("FUZZ_CHECKPOINT_SEEDS");
    if (seeds) {
        write_seeds(seeds);
        exit(0);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* An exact-size copy, resealed: ASan sees any read past the end. */
    unsigned char *buf = malloc(size ? size : 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    if (size >= 20) {
        uint64_t sum = checkpoint_checksum(buf, size - 8);
        memcpy(buf + size - 8, &sum, sizeof sum);
    }
    struct checkpoint_key key;
    struct run_state st;
    struct population p;
    memset(&st, 0, sizeof st);
    if (tree_init(&st.best.tree, CAP) < 0 || pop_init(&p, NIND, CAP) < 0)
        abort();
    struct error err = {""};
    int rc = checkpoint_decode(buf, size, &key, &st, &p, &ps, &err);
    if (rc != 0 && (rc != -1 || err.msg[0] == '\0'))
        abort(); /* every refusal says why */
    if (rc == 0) {
        if (tree_check(&st.best.tree, ps.nvars) < 0)
            abort();
        for (int i = 0; i < NIND; i++)
            if (tree_check(&p.ind[i].tree, ps.nvars) < 0)
                abort();
        if (st.nshown < 0 || st.nshown > SHOWN_FAILURES)
            abort();
        for (int i = 0; i < st.nshown; i++)
            if (!st.shown[i].program)
                abort();
        /* What was read encodes to a checkpoint that reads back. (Not
         * always the same bytes: a string read with a NUL inside ends
         * there.) */
        unsigned char *again;
        size_t len;
        if (checkpoint_encode(&key, &st, &p, &again, &len) < 0)
            abort();
        struct run_state st2;
        struct population p2;
        memset(&st2, 0, sizeof st2);
        if (tree_init(&st2.best.tree, CAP) < 0 || pop_init(&p2, NIND, CAP) < 0)
            abort();
        if (checkpoint_decode(again, len, &key, &st2, &p2, &ps, &err) != 0)
            abort();
        tree_release(&st2.best.tree);
        run_state_release_notes(&st2);
        pop_release(&p2);
        free(again);
    }
    tree_release(&st.best.tree);
    run_state_release_notes(&st);
    pop_release(&p);
    free(buf);
    return 0;
}
