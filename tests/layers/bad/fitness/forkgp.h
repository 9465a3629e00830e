/* forkgp: the public API. */
#ifndef FIXTURE_FORKGP_H
#define FIXTURE_FORKGP_H

int fgp_rows(void);

#endif
