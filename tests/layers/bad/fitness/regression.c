/* regression: a built-in, through the API. */
#include <stddef.h>

#include "builtin.h"
#include "plugin.h"
/* the checker reads every include line, as the compiler may */
#ifdef FIXTURE_NEVER_DEFINED
#include <ini.h>
#endif

int builtin_regression(void)
{
    return fgp_rows() + plugin_load();
}
