/* check: forkgp check: validates a configuration and prints it in full. */
#include "check.h"

#include <stdio.h>
#include <stdlib.h>

#include "exitcode.h"
#include "plugin.h"

int check_main(struct config *cfg)
{
    struct primset *ps = calloc(1, sizeof *ps);
    struct fitness f;
    struct error err;
    struct plugin *pl = ps ? plugin_load(cfg, ps, &f, &err) : NULL;
    int status = pl ? EXIT_OK : ps ? EXIT_INPUT : EXIT_RUNTIME;
    uint32_t cases;
    /* What a run refuses after the setup, check refuses too. */
    if (pl && (plugin_cases(cfg, &f, &cases, &err) < 0 ||
               plugin_check_rdo(cfg, &f, ps, &err) < 0))
        status = EXIT_INPUT;
    if (status != EXIT_OK)
        fprintf(stderr, "forkgp: %s\n", ps ? err.msg : "out of memory");
    else
        config_dump(cfg, stdout);
    plugin_free(pl);
    free(ps);
    return status;
}
