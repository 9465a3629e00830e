/* vmath: exp, log, sin, cos and tanh of forkgp's own, that a block loop vectorizes. */
#include "vmath.h"

double vmath_sin(double x)
{
    return vmath_trig_near(x) ? vmath_trig_reduced(x, 0) : sin(x);
}

double vmath_cos(double x)
{
    return vmath_trig_near(x) ? vmath_trig_reduced(x, 1) : cos(x);
}
