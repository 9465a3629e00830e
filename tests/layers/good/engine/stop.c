/* stop: a core helper (signals). */
#include "stop.h"

static int requested;

void stop_catch(void)
{
    requested = 0;
}

int stop_requested(void)
{
    return requested;
}
