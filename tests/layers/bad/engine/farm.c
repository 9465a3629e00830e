/* farm: the front, calling its backend. */
#include "farm.h"
#include "farm_fork.h"

int farm_eval(void)
{
    return farm_fork_eval();
}
