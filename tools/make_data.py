#!/usr/bin/env python3
"""Writes the benchmark data sets in configs/data/.

Usage: python3 tools/make_data.py [OUTDIR]   (default: configs/data next to
this script's parent directory)

Standard library only and deterministic: the same Python gives byte-identical
files on every run (random points come from random.Random with fixed seeds,
whose sequence Python keeps stable across versions). Values are written with
repr(), the shortest text that reads back as exactly the same double, so
csv_load sees the numbers computed here bit for bit.

Files (see configs/data/README.md):
  quartic.csv                  Koza-1, y = x^4 + x^3 + x^2 + x
  quartic10k.csv               the same on 10,000 points (for benchmarks)
  nguyen7.csv, nguyen7_test.csv    y = log(x + 1) + log(x^2 + 1)
  pagie1.csv                   z = 1/(1 + x^-4) + 1/(1 + y^-4)
  keijzer6.csv, keijzer6_test.csv  y = sum_{i=1..x} 1/i
  vladislavleva4.csv, vladislavleva4_test.csv
                               y = 10 / (5 + sum_{i=1..5} (x_i - 3)^2)
  kepler.csv                   planets' semi-major axis a and period T
"""
import sys

# -h, --help: the docstring above, before anything else is read or written.
if sys.argv[1:2] in (["-h"], ["--help"]):
    print(__doc__.strip())
    sys.exit(0)

import math
import os
import random
import sys


def write_csv(outdir, name, header, rows):
    """Writes header and rows to outdir/name atomically (temp + rename)."""
    path = os.path.join(outdir, name)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="ascii", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    print(f"wrote {path} ({len(rows)} rows)")


def quartic():
    # Koza-1 on DEAP's points x = -1, -0.9, ..., 0.9; rounding makes x the
    # double nearest the decimal (-0.9, not -0.8999999999999999).
    rows = []
    for i in range(20):
        x = round(-1 + 0.1 * i, 10)
        rows.append((x, x**4 + x**3 + x**2 + x))
    return rows


def quartic_random(n, seed):
    # Koza-1 at n points x uniform in [-1, 1), for timing large data sets.
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        x = rng.uniform(-1, 1)
        rows.append((x, x**4 + x**3 + x**2 + x))
    return rows


def nguyen7(seed):
    rng = random.Random(seed)
    rows = []
    for _ in range(20):
        x = rng.uniform(0, 2)
        rows.append((x, math.log(x + 1) + math.log(x**2 + 1)))
    return rows


def pagie1():
    # x^4 / (1 + x^4) equals 1 / (1 + x^-4) and is defined at x = 0.
    def term(v):
        return v**4 / (1 + v**4)

    grid = [round(-5 + 0.4 * i, 10) for i in range(26)]
    return [(x, y, term(x) + term(y)) for x in grid for y in grid]


def vladislavleva4(n, lo, hi, seed):
    # n points uniform in [lo, hi]^5, the inputs drawn in row order.
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        xs = [rng.uniform(lo, hi) for _ in range(5)]
        rows.append(xs + [10 / (5 + math.fsum((x - 3) ** 2 for x in xs))])
    return rows


def keijzer6(n):
    # fsum gives the correctly rounded harmonic number, independent of
    # summation order.
    return [(x, math.fsum(1 / i for i in range(1, x + 1)))
            for x in range(1, n + 1)]


# Semi-major axis a (AU) and sidereal orbital period T (Julian years of
# 365.25 days). Planets: J2000 mean orbital elements as tabulated in
# NASA/JPL planetary fact sheets (nssdc.gsfc.nasa.gov/planetary/factsheet/)
# and the Wikipedia articles that cite them; Ceres from the JPL Small-Body
# Database. Kepler's third law gives T = a^1.5; main() checks each pair
# against it to 1%.
KEPLER = [
    # (name, a, T)
    ("Mercury", 0.387098, 0.2408467),
    ("Venus", 0.723332, 0.61519726),
    ("Earth", 1.000001, 1.0000174),
    ("Mars", 1.523679, 1.8808476),
    ("Ceres", 2.7675, 4.60),
    ("Jupiter", 5.2044, 11.862615),
    ("Saturn", 9.5826, 29.447498),
    ("Uranus", 19.19126, 84.016846),
    ("Neptune", 30.07, 164.79132),
    ("Pluto", 39.482, 247.94),
]


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    if len(sys.argv) > 2 or sys.argv[1:2] and sys.argv[1].startswith("-"):
        sys.exit("usage: python3 tools/make_data.py [OUTDIR]   (--help says more)")
    outdir = (sys.argv[1] if len(sys.argv) > 1
              else os.path.join(root, "configs", "data"))
    os.makedirs(outdir, exist_ok=True)

    for name, a, t in KEPLER:
        if abs(t / a**1.5 - 1) > 0.01:
            sys.exit(f"make_data: kepler: {name}: T = {t} is not a^1.5 to 1%")

    write_csv(outdir, "quartic.csv", ["x", "y"], quartic())
    write_csv(outdir, "quartic10k.csv", ["x", "y"],
              quartic_random(10000, 10000))
    write_csv(outdir, "nguyen7.csv", ["x", "y"], nguyen7(7))
    write_csv(outdir, "nguyen7_test.csv", ["x", "y"], nguyen7(70))
    write_csv(outdir, "pagie1.csv", ["x", "y", "z"], pagie1())
    write_csv(outdir, "keijzer6.csv", ["x", "y"], keijzer6(50))
    write_csv(outdir, "keijzer6_test.csv", ["x", "y"], keijzer6(120))
    # Vladislavleva-4: 1024 training points from U[0.05, 6.05], tested on
    # 5000 from the wider U[-0.25, 6.35] (Vladislavleva et al. 2009).
    v4 = ["x1", "x2", "x3", "x4", "x5", "y"]
    write_csv(outdir, "vladislavleva4.csv", v4,
              vladislavleva4(1024, 0.05, 6.05, 4))
    write_csv(outdir, "vladislavleva4_test.csv", v4,
              vladislavleva4(5000, -0.25, 6.35, 40))
    write_csv(outdir, "kepler.csv", ["a", "T"], [(a, t) for _, a, t in KEPLER])
    split_iris(outdir)


def split_iris(outdir):
    """Fisher's iris (iris.csv, committed as Debian's python3-sklearn ships
    it, with a header) split for classification: every fifth row (10 per
    species) to the test set, the other 120 rows to training."""
    with open(os.path.join(outdir, "iris.csv")) as f:
        lines = f.read().splitlines()
    header, rows = lines[0], lines[1:]
    for name, keep in (("iris_train.csv", lambda i: i % 5 != 4),
                       ("iris_test.csv", lambda i: i % 5 == 4)):
        with open(os.path.join(outdir, name), "w") as f:
            f.write(header + "\n")
            for i, row in enumerate(rows):
                if keep(i):
                    f.write(row + "\n")


if __name__ == "__main__":
    main()
