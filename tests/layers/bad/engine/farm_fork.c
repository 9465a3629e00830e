/* farm_fork: a backend, which calls no front. */
#include "farm_fork.h"
#include "tree.h"
#include "farm.h"

int farm_fork_eval(void)
{
    return tree_size() + farm_eval();
}
