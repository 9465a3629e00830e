/* batch: a command that runs run. */
#include "batch.h"
#include "run.h"

int batch_main(void)
{
    return run_main();
}
