/* builtin: the fitness functions compiled into forkgp. They are plug-ins
 * like any other (one descriptor each, the same forkgp.h interface); they
 * only live in the binary instead of a shared object. */
#ifndef FORKGP_BUILTIN_H
#define FORKGP_BUILTIN_H

#include "forkgp.h"

extern const struct fgp_plugin builtin_regression;
extern const struct fgp_plugin builtin_classification;
extern const struct fgp_plugin builtin_boolean;

#endif
