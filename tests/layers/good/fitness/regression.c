/* regression: a built-in, through the API. */
#include <stddef.h>

#include "builtin.h"

int builtin_regression(void)
{
    return fgp_rows();
}
