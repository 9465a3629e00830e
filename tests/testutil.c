/* testutil: what the cmocka test programs share (linked into each). */
#define _XOPEN_SOURCE 700 /* nftw */
#include "testutil.h"

/* clang-format off: cmocka needs these first */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* The opcode of a name of ps (symbol or variable), or -1. */
static int lookup_in_set(const struct primset *ps, const char *tok,
                         uint16_t *var)
{
    for (int k = 0; ps && k < ps->nsymbols; k++)
        if (strcmp(ps->sym_names[k], tok) == 0)
            return ps->sym_ops[k];
    for (int k = 0; ps && k < ps->nvars; k++)
        if (strcmp(ps->var_names[k], tok) == 0) {
            *var = (uint16_t)k;
            return OP_VAR;
        }
    return -1;
}

void testutil_build(struct tree *t, const struct primset *ps,
                    const char *spec)
{
    char *buf = strdup(spec);
    char *save = NULL;
    assert_non_null(buf);
    t->size = 0;
    for (char *tok = strtok_r(buf, " ", &save); tok;
         tok = strtok_r(NULL, " ", &save)) {
        assert_true(t->size < t->cap);
        struct node *nd = &t->nodes[t->size++];
        memset(nd, 0, sizeof *nd);
        uint16_t var = 0;
        int op = prim_lookup(tok);
        if (op < 0)
            op = lookup_in_set(ps, tok, &var);
        char *end;
        if (op >= 0) {
            nd->op = (uint16_t)op;
            nd->var = var;
        } else if (tok[0] == 'x' && tok[1] >= '0' && tok[1] <= '9') {
            nd->op = OP_VAR;
            nd->var = (uint16_t)strtol(tok + 1, &end, 10);
        } else {
            nd->op = OP_CONST;
            nd->value = strtod(tok, &end);
            if (*end != '\0')
                fail_msg("build: cannot read '%s'", tok);
        }
    }
    free(buf);
    /* Without a set, a test may build a malformed tree on purpose: its
     * spans stay 0. A well-formed one gets them, as every tree the engine
     * makes has them. */
    if (ps)
        assert_int_equal(tree_check(t, ps->nvars), 0);
    if (tree_check(t, 1 << 16) == 0)
        tree_set_shape(t);
}

void testutil_check_spans(const struct tree *t)
{
    for (uint32_t i = 0; i < t->size; i++) {
        uint32_t end = i;
        for (long owed = 1; owed > 0; end++) {
            assert_true(end < t->size);
            owed += prim_arity(t->nodes[end].op) - 1;
        }
        if (t->nodes[i].span != end - i)
            fail_msg("node %u: span %u, its subtree has %u nodes",
                     (unsigned)i, (unsigned)t->nodes[i].span,
                     (unsigned)(end - i));
        if (prim_is_function(t->nodes[i].op) &&
            t->nodes[i].height != tree_subtree_depth(t->nodes, i))
            fail_msg("node %u: height %u, its subtree is %d deep",
                     (unsigned)i, (unsigned)t->nodes[i].height,
                     tree_subtree_depth(t->nodes, i));
    }
}

static int remove_one(const char *path, const struct stat *st, int flag,
                      struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void testutil_expand(char *out, size_t cap, const char *want,
                     const char *dir)
{
    size_t n = 0, len = strlen(dir);
    for (const char *w = want; *w; w++) {
        assert_true(n + len + 1 < cap);
        if (*w == '@') {
            memcpy(out + n, dir, len);
            n += len;
        } else {
            out[n++] = *w;
        }
    }
    out[n] = '\0';
}

char *testutil_mkdtemp(char *dir, size_t size, const char *name)
{
    /* mkdtemp replaces the six trailing capitals with random letters. */
    int n = snprintf(dir, size, "/tmp/%s.", name);
    if (n < 0 || (size_t)n + 7 > size)
        return NULL;
    memset(dir + n, 'X', 6);
    dir[n + 6] = '\0';
    return mkdtemp(dir);
}

int testutil_rmtree(const char *dir)
{
    return nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

struct testutil_fitness *testutil_load_fitness(const char *dir,
                                               const char *name,
                                               const char *ini,
                                               const char *const *sets,
                                               int nsets,
                                               struct error *err)
{
    char path[512], text[4096], set_text[4][512];
    const char *set_ptr[4];
    struct error cerr;
    struct testutil_fitness *x = calloc(1, sizeof *x);
    assert_non_null(x);
    assert_true(nsets <= 4);
    for (int i = 0; i < nsets; i++) {
        testutil_expand(set_text[i], sizeof set_text[i], sets[i], dir);
        set_ptr[i] = set_text[i];
    }
    testutil_expand(text, sizeof text, ini, dir);
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_true(fputs(text, f) >= 0);
    assert_int_equal(fclose(f), 0);
    if (config_load(&x->c, path, set_ptr, nsets, &cerr) < 0)
        fail_msg("config_load: %s", cerr.msg);
    memset(err, 0, sizeof *err);
    x->pl = plugin_load(&x->c, &x->ps, &x->f, err);
    return x;
}

void testutil_fitness_free(struct testutil_fitness *x)
{
    plugin_free(x->pl);
    config_release(&x->c);
    free(x);
}

int testutil_fifo_writer(const char *path, const char *text)
{
    assert_int_equal(mkfifo(path, 0600), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *f = fopen(path, "w");
        int ok = f && fputs(text, f) >= 0 && fclose(f) == 0;
        _exit(ok ? 0 : 1);
    }
    return (int)pid;
}

void testutil_fifo_done(int pid)
{
    int status;
    assert_int_equal(waitpid((pid_t)pid, &status, 0), pid);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

