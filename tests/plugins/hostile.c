/*
 * hostile: a test plug-in whose setup misbehaves as [hostile] mode says:
 * segv, abort, fpe (a division by zero, raised), overflow (recursion
 * until the stack runs out), exit0 and exit3 (exit(0), exit(3)), or a
 * NULL passed to a setup call whose result is then ignored:
 * null_variable, null_symbol, null_functions, null_constants, null_setup
 * (fgp_add_variable(NULL, "y")); none sets up as a plug-in should. Built
 * with -DCTOR_EXIT=N, its constructor calls exit(N) as it is loaded.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "forkgp.h"

#ifdef CTOR_EXIT
__attribute__((constructor)) static void at_load(void)
{
    exit(CTOR_EXIT);
}
#endif

/* Calls itself until the stack runs out (n never comes back to -1); the
 * sum keeps it a real call. */
static long deep(volatile long n)
{
    volatile char pad[256];
    pad[0] = (char)n;
    if (n == -1)
        return 0;
    return n + deep(n + 1) + pad[0];
}

static int setup(struct fgp_setup *s, void **state)
{
    const char *mode;
    (void)state;
    if (fgp_get_string(s, NULL, "mode", "none", &mode) < 0)
        return -1;
    if (strcmp(mode, "segv") == 0)
        raise(SIGSEGV);
    else if (strcmp(mode, "abort") == 0)
        abort();
    else if (strcmp(mode, "fpe") == 0)
        raise(SIGFPE);
    else if (strcmp(mode, "overflow") == 0)
        return (int)deep(0);
    else if (strcmp(mode, "exit0") == 0)
        exit(0);
    else if (strcmp(mode, "exit3") == 0)
        exit(3);
    else if (strcmp(mode, "null_variable") == 0)
        fgp_add_variable(s, NULL);
    else if (strcmp(mode, "null_symbol") == 0)
        fgp_add_symbol(s, NULL, 0);
    else if (strcmp(mode, "null_functions") == 0)
        fgp_use_functions(s, NULL);
    else if (strcmp(mode, "null_constants") == 0)
        fgp_use_constants(s, NULL);
    else if (strcmp(mode, "null_setup") == 0)
        fgp_add_variable(NULL, "y");
    fgp_add_variable(s, "x");
    return fgp_use_functions(s, "add, mul");
}

static int evaluate(void *state, const struct fgp_program *p,
                    struct fgp_rng *rng, double *scores)
{
    (void)state;
    (void)rng;
    scores[0] = (double)fgp_program_size(p);
    return FGP_OK;
}

FGP_PLUGIN(.name = "hostile", .nscores = 1, .setup = setup,
           .evaluate = evaluate);
