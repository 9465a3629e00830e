/* stop: a core helper (signals). */
#include "stop.h"

/* declared here, not included: only the objects show the call */
int farm_fork_eval(void);

static int requested;

void stop_catch(void)
{
    requested = 0;
}

int stop_requested(void)
{
    return requested + farm_fork_eval();
}
