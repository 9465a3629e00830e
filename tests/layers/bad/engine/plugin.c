/* plugin: loads the built-in, implements the API. */
#include "plugin.h"
#include "builtin.h"
#include "forkgp.h"

int fgp_rows(void)
{
    return 1;
}

int plugin_load(void)
{
    return builtin_regression();
}
