/* farm_fork: a backend, which calls no front. */
#ifndef FIXTURE_FARM_FORK_H
#define FIXTURE_FARM_FORK_H

int farm_fork_eval(void);

#endif
