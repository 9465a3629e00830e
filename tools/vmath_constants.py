#!/usr/bin/env python3
"""The constants of engine/vmath.h that split ln 2 and pi/2, worked out.

Usage: python3 tools/vmath_constants.py   (needs python3-mpmath, which
Debian's python3-sympy brings; /usr/bin/python3 on Debian)

exp reduces x by k ln 2 (|k| <= 1076) and sin and cos by k pi/2
(|k| < 2^19). Each constant is cut into parts whose leading ones have few
enough significant bits that k times the part is an exact double: ln 2
with 42 bits (42 + 11 <= 53), pi/2 with three parts of 33 bits (33 + 20 <=
53) and a rounded tail, 152 bits of pi/2 in all. Prints the #defines.
"""
import sys

# -h, --help: the docstring above, before anything else is read or written.
if sys.argv[1:2] in (["-h"], ["--help"]):
    print(__doc__.strip())
    sys.exit(0)

import mpmath as mp

mp.mp.prec = 400


def cut(x, bits):
    """x truncated to its leading `bits` significant bits (exact)."""
    m, e = mp.frexp(x)
    return mp.ldexp(mp.floor(m * 2**bits) / 2**bits, e)


def hexd(x, exact):
    """x as a C hex literal; exact: x must be a double as it is."""
    d = float(x)
    assert not exact or mp.mpf(d) == x, "not exact"
    return d.hex()


ln2 = mp.log(2)
ln2_hi = cut(ln2, 42)
pio2 = mp.pi / 2
p1 = cut(pio2, 33)
p2 = cut(pio2 - p1, 33)
p3 = cut(pio2 - p1 - p2, 33)

for name, value in (("VMATH_LN2_HI", ln2_hi), ("VMATH_PIO2_1", p1),
                    ("VMATH_PIO2_2", p2), ("VMATH_PIO2_3", p3)):
    print(f"#define {name} {hexd(value, True)}")
# These are the nearest doubles.
for name, value in (("VMATH_LN2_LO", ln2 - ln2_hi),
                    ("VMATH_LOG2E", 1 / ln2),
                    ("VMATH_PIO2_3T", pio2 - p1 - p2 - p3),
                    ("VMATH_2_OVER_PI", 2 / mp.pi)):
    print(f"#define {name} {hexd(value, False)}")
