#!/usr/bin/python3
"""The Python package's overhead beside the engine's own time.

Usage: FORKGP_BIN=build/forkgp tools/bench_python.py [--repeat N] [ROWS...]

For each ROWS (default 1000 and 100000), on 5 inputs of a fixed stream:
ForkGPRegressor.fit's wall time, and the same run by the command line on
the same CSV (forkgp run, workers 0, population 200, 10 generations); then
predict on the ROWS rows beside forkgp predict. The overhead is the
difference: writing the CSV, starting the process, reading the results.
The CSV write alone is timed too. Medians of N repeats (default 5).
Prints a Markdown table (BENCHMARKS.md).
"""
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "python"))


def main(argv):
    if any(a in ("-h", "--help") for a in argv[1:]):
        print(__doc__.strip())
        return 0
    repeat, rows = 5, []
    args = argv[1:]
    while args:
        a = args.pop(0)
        if a == "--repeat" and args:
            repeat = int(args.pop(0))
        elif a.isdigit():
            rows.append(int(a))
        else:
            print("bench_python: unknown argument '%s'\n\n%s"
                  % (a, __doc__.strip()), file=sys.stderr)
            return 2
    rows = rows or [1000, 100000]

    import numpy as np
    from forkgp import ForkGPRegressor, binary
    from forkgp._estimator import write_csv

    params = dict(population=200, generations=10, workers=0, random_state=1)
    forkgp = binary()
    print("| rows | fit (Python) | forkgp run | overhead | CSV write "
          "| predict (Python) | forkgp predict | overhead |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in rows:
        rng = np.random.RandomState(0)
        X = rng.uniform(-1, 1, size=(n, 5))
        y = X[:, 0] ** 2 + X[:, 1] * X[:, 2] - 0.5 * X[:, 3]
        times = {k: [] for k in ("fit", "run", "csv", "pred", "cli_pred")}
        with tempfile.TemporaryDirectory() as tmp:
            train = os.path.join(tmp, "train.csv")
            names = ["x%d" % j for j in range(5)]
            for _ in range(repeat):
                t = time.perf_counter()
                write_csv(train, names + ["y"],
                          [X[:, j] for j in range(5)] + [y])
                times["csv"].append(time.perf_counter() - t)
                ini = os.path.join(tmp, "run.ini")
                with open(ini, "w") as f:
                    f.write("[run]\nseed = 1\npopulation = 200\n"
                            "generations = 10\nworkers = 0\n[data]\n"
                            "train = train.csv\ntarget = y\n")
                out = os.path.join(tmp, "cli")
                t = time.perf_counter()
                subprocess.run([forkgp, "run", ini, "--quiet", "--out", out],
                               check=True, stdout=subprocess.DEVNULL)
                times["run"].append(time.perf_counter() - t)

                t = time.perf_counter()
                m = ForkGPRegressor(**params).fit(X, y)
                times["fit"].append(time.perf_counter() - t)

                t = time.perf_counter()
                subprocess.run([forkgp, "predict", out, "--data", train,
                                "--out", os.path.join(tmp, "p.csv")],
                               check=True, stderr=subprocess.DEVNULL)
                times["cli_pred"].append(time.perf_counter() - t)
                t = time.perf_counter()
                m.predict(X)
                times["pred"].append(time.perf_counter() - t)
        med = {k: statistics.median(v) for k, v in times.items()}
        print("| %d | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s | %.3f s "
              "| %.3f s |" % (n, med["fit"], med["run"],
                              med["fit"] - med["run"], med["csv"], med["pred"],
                              med["cli_pred"], med["pred"] - med["cli_pred"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
