/* batch: a command that runs run. */
#ifndef FIXTURE_BATCH_H
#define FIXTURE_BATCH_H

int batch_main(void);

#endif
