/* run: a command, driving the parts. */
#include "run.h"
#include "farm.h"
#include "plugin.h"
#include "breed.h"
#include "stop.h"

int run_main(void)
{
    return plugin_load() + farm_eval() + breed_next() + stop_requested();
}
