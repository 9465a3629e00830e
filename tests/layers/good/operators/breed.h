/* breed: an operator. */
#ifndef FIXTURE_BREED_H
#define FIXTURE_BREED_H

int breed_next(void);

#endif
