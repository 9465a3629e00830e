/* run: a command, driving the parts. */
#ifndef FIXTURE_RUN_H
#define FIXTURE_RUN_H

int run_main(void);

#endif
