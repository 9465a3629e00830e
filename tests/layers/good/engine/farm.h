/* farm: the front, calling its backend. */
#ifndef FIXTURE_FARM_H
#define FIXTURE_FARM_H

int farm_eval(void);

#endif
