#!/usr/bin/python3
"""compare_selection: every [selection] method on the benchmark problems,
over many seeds, with each problem's shipped configuration (its budget:
population and generations) and nothing else changed.

For each problem and method: the runs that reached the problem's target
(with the 95% Wilson interval), the median best fitness, and the median CPU
seconds of a run (user + system of forkgp and its workers, from the
kernel's accounting of the waited-for child). Prints a Markdown table.

Problems: the 6- and 11-multiplexer, even-5- and even-6-parity, the Santa
Fe ant (examples/ant.ini, `make examples` first), quartic, Nguyen-7,
Keijzer-6, Pagie-1, Vladislavleva-4. The ant plug-in reports no case
errors, so only tournament and nsga2 run on it.

Pagie-1 counts a run below MSE 1e-4 a success (its config's target is
1e-8); the others their config's target_fitness.

Usage: tools/compare_selection.py [--forkgp build/forkgp] [--seeds 30]
           [--problems mux6,parity5,...] [--methods tournament,nsga2,...]
           [--workers 0] [--jobs 1] [--set SECTION.KEY=VALUE]...
           [--label TEXT]
--set applies to every run (e.g. --set islands.count=4); --label names
the variant in the table's method column. Run from the repository's
root.
"""
import argparse
import math
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile

METHODS = ["tournament", "lexicase", "epsilon_lexicase", "nsga2"]

# name: (config, extra --set overrides, gives case errors)
PROBLEMS = {
    "mux6": ("configs/multiplexer6.ini", [], True),
    "mux11": ("configs/multiplexer11.ini", [], True),
    "parity5": ("configs/parity5.ini", [], True),
    "parity6": ("configs/parity5.ini",
                ["boolean.bits=6", "fitness.target_fitness=64"], True),
    "ant": ("examples/ant.ini", [], False),
    "quartic": ("configs/quartic.ini", [], True),
    "nguyen7": ("configs/nguyen7.ini", [], True),
    "keijzer6": ("configs/keijzer6.ini", [], True),
    "pagie1": ("configs/pagie1.ini", ["fitness.target_fitness=1e-4"], True),
    "vladislavleva4": ("configs/vladislavleva4.ini", [], True),
}


def wilson(k, n, z=1.959963984540054):
    """The 95% Wilson score interval of k successes in n."""
    if n == 0:
        return (0.0, 1.0)
    p = k / n
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return (max(0.0, c - h), min(1.0, c + h))


def one_run(task):
    """Runs one seed; returns (reached target, best fitness, CPU seconds)."""
    forkgp, cfg, sets, seed, method, workers, out = task
    shutil.rmtree(out, ignore_errors=True)
    args = [forkgp, "run", cfg, "--quiet", "--seed", str(seed), "--out", out,
            "--set", "selection.method=" + method,
            "--set", "run.workers=" + str(workers)]
    for s in sets:
        args += ["--set", s]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError("%s exits %d: %s" %
                           (" ".join(args), proc.returncode, err.strip()))
    best, reached = math.nan, False
    with open(os.path.join(out, "best.txt")) as f:
        for line in f:
            key, _, value = line.partition(" = ")
            if key.startswith("train_") and not math.isfinite(best):
                try:
                    best = float(value)
                except ValueError:
                    pass
            if key == "stopped":
                reached = value.strip() == "target"
    return reached, best, usage.ru_utime + usage.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--forkgp", default="build/forkgp")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--problems", default=",".join(PROBLEMS))
    ap.add_argument("--methods", default=",".join(METHODS))
    ap.add_argument("--workers", type=int, default=0)
    ap.add_argument("--jobs", type=int, default=1,
                    help="runs at a time")
    ap.add_argument("--set", action="append", default=[],
                    metavar="SECTION.KEY=VALUE",
                    help="an override for every run")
    ap.add_argument("--label", default="",
                    help="appended to the method's name in the table")
    a = ap.parse_args()
    problems = a.problems.split(",")
    methods = a.methods.split(",")
    for p in problems:
        if p not in PROBLEMS:
            sys.exit("compare_selection: no problem '%s' (%s)" %
                     (p, ", ".join(PROBLEMS)))
    for m in methods:
        if m not in METHODS:
            sys.exit("compare_selection: no method '%s' (%s)" %
                     (m, ", ".join(METHODS)))
    tmp = tempfile.mkdtemp()
    try:
        print("%d seeds each (1..%d), each problem's shipped budget, "
              "workers = %d%s\n" % (a.seeds, a.seeds, a.workers,
                                    "".join(" --set " + x for x in a.set)))
        print("| problem | method | success | 95% interval | median best "
              "| median CPU s |")
        print("|---|---|---:|---|---:|---:|")
        for p in problems:
            cfg, sets, cases = PROBLEMS[p]
            for m in methods:
                if "lexicase" in m and not cases:
                    continue
                tasks = [(a.forkgp, cfg, sets + a.set, s, m, a.workers,
                          os.path.join(tmp, "run-%d" % s))
                         for s in range(1, a.seeds + 1)]
                try:
                    with multiprocessing.Pool(a.jobs) as pool:
                        runs = pool.map(one_run, tasks)
                except RuntimeError as e:
                    sys.exit("compare_selection: %s" % e)
                k = sum(r[0] for r in runs)
                lo, hi = wilson(k, len(runs))
                best = statistics.median(r[1] for r in runs)
                cpu = statistics.median(r[2] for r in runs)
                print("| %s | %s%s | %d/%d | %.2f .. %.2f | %.6g | %.2f |" %
                      (p, m, a.label, k, len(runs), lo, hi, best, cpu),
                      flush=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
