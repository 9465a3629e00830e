/* mystery: a module in no layer. */
#ifndef FIXTURE_MYSTERY_H
#define FIXTURE_MYSTERY_H

int mystery_value(void);

#endif
