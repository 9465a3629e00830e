/* main: hands over to the command. */
#include "run.h"
#include "stop.h"
#include "farm.h"

int main(void)
{
    stop_catch();
    return run_main() + farm_eval();
}
