/* stop: a core helper (signals). */
#ifndef FIXTURE_STOP_H
#define FIXTURE_STOP_H

void stop_catch(void);
int stop_requested(void);

#endif
