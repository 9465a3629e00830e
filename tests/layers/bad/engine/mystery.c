/* mystery: a module in no layer. */
#include "mystery.h"

int mystery_value(void)
{
    return 0;
}
