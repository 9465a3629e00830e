/* report: a part that reaches up to run. */
#include "report.h"
#include "run.h"

int report_line(void)
{
    return 0;
}
