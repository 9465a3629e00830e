/* farm_fork: a backend, which calls no front. */
#include "farm_fork.h"
#include "tree.h"

int farm_fork_eval(void)
{
    return tree_size();
}
