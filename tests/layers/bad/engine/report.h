/* report: a part that reaches up to run. */
#ifndef FIXTURE_REPORT_H
#define FIXTURE_REPORT_H

int report_line(void);

#endif
