/* builtin: the built-in fitness functions. */
#ifndef FIXTURE_BUILTIN_H
#define FIXTURE_BUILTIN_H

#include "forkgp.h"

int builtin_regression(void);

#endif
