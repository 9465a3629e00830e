/* breed: an operator. */
#include "breed.h"
#include "tree.h"

int breed_next(void)
{
    return tree_size();
}
