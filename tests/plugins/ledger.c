/* ledger: a test plug-in that writes a line for every evaluation it makes,
 * a hash of the program's nodes, to [ledger] file (appending), so a test
 * can see which programs were evaluated when. Deterministic: a program's
 * score is how far its value at x = 2 is from 10, plus its size / 1000. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "forkgp.h"

static int setup(struct fgp_setup *s, void **state)
{
    static const char *file;
    if (fgp_get_path(s, NULL, "file", NULL, &file) < 0)
        return -1;
    if (!file)
        return fgp_fail(s, "[ledger] file is needed");
    *state = &file;
    fgp_add_variable(s, "x");
    return fgp_use_functions(s, "add, mul");
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)rng;
    uint64_t h = 0xcbf29ce484222325ULL;
    size_t n = fgp_program_size(p);
    for (size_t i = 0; i < n; i++) {
        struct fgp_node nd;
        fgp_program_node(p, i, &nd);
        int words[3] = {(int)nd.kind, nd.arity,
                        nd.kind == FGP_VARIABLE ? nd.variable : 0};
        double value = nd.kind == FGP_CONSTANT ? nd.value : 0.0;
        h = fnv(h, words, sizeof words);
        h = fnv(h, &value, sizeof value);
        if (nd.kind == FGP_BUILTIN && nd.name) /* add or mul */
            h = fnv(h, nd.name, strlen(nd.name) + 1);
    }
    FILE *f = fopen(*(const char **)state, "a");
    if (!f)
        return FGP_ERROR;
    fprintf(f, "%016llx\n", (unsigned long long)h);
    fclose(f);
    double x = 2.0, y;
    const double *cols[1] = {&x};
    if (fgp_eval(p, cols, 1, &y) < 0)
        return FGP_ERROR;
    scores[0] = (y > 10.0 ? y - 10.0 : 10.0 - y) + (double)n / 1000.0;
    return FGP_OK;
}

FGP_PLUGIN(.name = "ledger", .nscores = 1, .setup = setup,
           .evaluate = evaluate);
