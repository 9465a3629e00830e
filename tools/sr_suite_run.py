#!/usr/bin/python3
"""Runs forkgp over the ground-truth SR suite and scores every run.

Usage:
  tools/sr_suite_run.py FORKGP SUITE [--seeds N] [--first-seed S]
      [--jobs J] [--problems NAME,...] [--set section.key=value]...
      [--out DIR] [--label TEXT] [--timeout SECONDS]
  tools/sr_suite_run.py compare BEFORE_DIR AFTER_DIR

SUITE is a folder written by tools/sr_suite.py. Each problem runs with
seeds S .. S+N-1 (default 1..30), one forkgp process per run, J runs at a
time (default: the CPUs this process may use), each with run.workers=0, so
that runs, not evaluations, share the cores and a run's CPU time is its own.
--set goes to every run after that (a later --set of the same key wins), so
"before" and "after" are two invocations, e.g. with and without
--set fitness.linear_scaling=no. A run that fails, or passes --timeout
(SIGTERM: forkgp keeps the last complete generation), is recorded and the
rest go on.

Writes DIR (default runs/sr-suite-results): DIR/NAME/seed-NNN/ (forkgp's run
folders, with seed-NNN.stdout.txt and seed-NNN.stderr.txt beside each),
runs.csv (a row per run, written as runs finish), summary.csv and
summary.md (per problem and overall: exact recovery rate, median test R^2,
median CPU seconds), and prints summary.md. `compare` prints a table of two
such folders side by side.

Per run:
- cpu_s: user + system seconds of the forkgp process and its children
  (os.wait4).
- test_r2: 1 - test MSE / variance of the test target, from forkgp's own
  test score in best.txt (test_mse, test_rmse or test_r2); for other
  metrics, from the printed program evaluated here with forkgp's semantics.
- recovered: the printed model (best.txt's first line) read by SymPy, where
  sqrt and log are forkgp's sqrt(|a|) and log(|a|) and aq(a, b) is
  a / sqrt(1 + b^2). Numbers are snapped first: below 1e-9 of the target's
  scale to 0, near a simple multiple of pi to it, otherwise to 6 significant
  digits (as exact fractions), both in the model and in the truth, so that a
  model whose constants match to about 1e-6 counts. Then: "exact" when
  simplify(model - truth) == 0, "ratio" when simplify(model / truth) is a
  nonzero constant, else "no". Both count as recovered. Variables are real,
  and nonnegative or positive where the whole domain is. Only a model whose
  predictions correlate with the test target to R^2 >= 1 - 1e-6 goes to
  SymPy (a constant ratio or offset keeps that correlation); simplify gets
  --simplify-timeout seconds ("timeout" then, counted as not recovered).
- constant: "yes" when the model predicts the same value on every test row
  (to 1e-9 relative: x / x leaves rounding noise).
"""

import argparse
import ast
import csv
import json
import math
import multiprocessing
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from fractions import Fraction

import numpy as np
import sympy

RUN_FIELDS = ["problem", "seed", "status", "exit", "cpu_s", "wall_s",
              "train_fitness", "test_fitness", "test_r2", "recovered",
              "constant", "size", "generation", "program"]


# --- evaluating a printed program as forkgp computes it ----------------------

def _div(a, b):
    with np.errstate(all="ignore"):
        return np.where(b == 0, 1.0, a / np.where(b == 0, 1.0, b))


def _log(a):
    with np.errstate(all="ignore"):
        return np.where(a == 0, 0.0, np.log(np.abs(np.where(a == 0, 1.0, a))))


NUMPY_FUNCS = {
    "sqrt": lambda a: np.sqrt(np.abs(a)),
    "log": _log,
    "exp": np.exp, "sin": np.sin, "cos": np.cos, "tanh": np.tanh,
    "abs": np.abs,
    "min": lambda a, b: np.where(a < b, a, b),
    "max": lambda a, b: np.where(a > b, a, b),
    "aq": lambda a, b: a / np.sqrt(1 + b * b),
}


def evaluate(text, columns):
    """The printed program on the rows of columns (name -> array), with
    forkgp's protections; raises ValueError on anything it cannot read."""
    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value,
                                                         (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            if node.id in columns:
                return columns[node.id]
            if node.id in ("pi", "e", "E"):
                return math.pi if node.id == "pi" else math.e
            raise ValueError(f"unknown name '{node.id}'")
        if isinstance(node, ast.UnaryOp):
            v = ev(node.operand)
            if isinstance(node.op, ast.USub):
                return -v
            if isinstance(node.op, ast.UAdd):
                return v
        if isinstance(node, ast.BinOp):
            a, b = ev(node.left), ev(node.right)
            with np.errstate(all="ignore"):
                if isinstance(node.op, ast.Add):
                    return a + b
                if isinstance(node.op, ast.Sub):
                    return a - b
                if isinstance(node.op, ast.Mult):
                    return a * b
                if isinstance(node.op, ast.Div):
                    return _div(np.asarray(a, float), np.asarray(b, float))
                if isinstance(node.op, ast.Pow):
                    return np.power(a, b)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) \
                and node.func.id in NUMPY_FUNCS:
            with np.errstate(all="ignore"):
                return NUMPY_FUNCS[node.func.id](
                    *[np.asarray(ev(a), float) for a in node.args])
        raise ValueError(f"cannot evaluate '{ast.dump(node)[:60]}'")
    n = len(next(iter(columns.values())))
    out = ev(ast.parse(text, mode="eval"))
    return np.broadcast_to(np.asarray(out, float), (n,))


# --- SymPy: is the model the truth? ------------------------------------------

def sympy_locals(variables, domain):
    """Symbols with what the domain allows, and forkgp's functions."""
    loc = {}
    for v in variables:
        lo = domain[v][0]
        if lo > 0:
            loc[v] = sympy.Symbol(v, positive=True)
        elif lo >= 0:
            loc[v] = sympy.Symbol(v, nonnegative=True)
        else:
            loc[v] = sympy.Symbol(v, real=True)
    loc.update({
        "sqrt": lambda a: sympy.sqrt(sympy.Abs(a)),
        "log": lambda a: sympy.log(sympy.Abs(a)),
        "abs": sympy.Abs,
        "aq": lambda a, b: a / sympy.sqrt(1 + b ** 2),
        "min": sympy.Min, "max": sympy.Max,
        "exp": sympy.exp, "sin": sympy.sin, "cos": sympy.cos,
        "tanh": sympy.tanh,
    })
    return loc


def snap(expr, scale):
    """Numbers of expr as exact values: ~0 to 0, k*pi to k*pi, others to 6
    significant digits."""
    reps = {}
    for f in expr.atoms(sympy.Float):
        v = float(f)
        if abs(v) <= 1e-9 * scale:
            reps[f] = sympy.Integer(0)
            continue
        q = Fraction(v / math.pi).limit_denominator(12)
        if q != 0 and abs(float(q) * math.pi - v) <= 1e-9 * abs(v):
            reps[f] = sympy.Rational(q.numerator, q.denominator) * sympy.pi
            continue
        reps[f] = sympy.Rational(f"{v:.6g}")
    return expr.xreplace(reps)


class Timeout(Exception):
    pass


def _alarm(signum, frame):
    raise Timeout()


def recovery(text, truth, variables, domain, scale, seconds):
    """'exact', 'ratio', 'no' or 'timeout' (see the file's header)."""
    loc = sympy_locals(variables, domain)
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(max(1, int(seconds)))
    try:
        model = snap(sympy.sympify(text, locals=loc), scale)
        want = snap(sympy.sympify(truth, locals={v: loc[v]
                                                 for v in variables}), scale)
        if sympy.simplify(model - want) == 0:
            return "exact"
        ratio = sympy.simplify(model / want)
        if not ratio.free_symbols and ratio.is_number and ratio != 0 \
                and ratio.is_finite:
            return "ratio"
        return "no"
    except Timeout:
        return "timeout"
    except Exception:
        # SymPy cannot read or simplify it (e.g. log(0) gives zoo): not
        # shown to be the truth
        return "no"
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# --- one run -----------------------------------------------------------------

_TEST_CACHE = {}
GATE_ROWS = 20000


def test_rows(suite, prob):
    """Up to GATE_ROWS rows of the test set, evenly strided, by column;
    cached per worker process."""
    path = os.path.join(suite, prob["test"])
    if path not in _TEST_CACHE:
        data = np.loadtxt(path, delimiter=",", skiprows=1, ndmin=2)
        step = max(1, data.shape[0] // GATE_ROWS)
        data = data[::step]
        with open(path) as f:
            header = f.readline().strip().split(",")
        _TEST_CACHE[path] = {h: data[:, i] for i, h in enumerate(header)}
    return _TEST_CACHE[path]


def read_best(path):
    """best.txt: the program, then key = value lines."""
    with open(path) as f:
        lines = f.read().splitlines()
    info = {"program": lines[0].strip() if lines else ""}
    for line in lines[1:]:
        if " = " in line:
            k, v = line.split(" = ", 1)
            info.setdefault(k.strip(), v.strip())
    return info


def as_float(s):
    try:
        return float(s)
    except (TypeError, ValueError):
        return float("nan")


def run_one(task):
    """Runs forkgp once and scores the result; returns a runs.csv row."""
    (forkgp, suite, name, prob, seed, sets, outdir, timeout,
     simplify_s) = task
    # forkgp writes only into a new or empty folder: the run's own output
    # goes beside it, and a run left by an earlier invocation is replaced
    rundir = os.path.join(outdir, name, f"seed-{seed:03d}")
    shutil.rmtree(rundir, ignore_errors=True)
    os.makedirs(os.path.dirname(rundir), exist_ok=True)
    cmd = [forkgp, "run", os.path.join(suite, prob["config"]), "--quiet",
           "--seed", str(seed), "--out", rundir, "--set", "run.workers=0"]
    for s in sets:
        cmd += ["--set", s]
    row = dict.fromkeys(RUN_FIELDS, "")
    row.update(problem=name, seed=seed)
    start = time.monotonic()
    timed_out = threading.Event()
    with open(rundir + ".stdout.txt", "w") as out, \
            open(rundir + ".stderr.txt", "w") as err:
        p = subprocess.Popen(cmd, stdout=out, stderr=err)

        def stop():
            # SIGTERM: forkgp finishes with the last complete generation;
            # SIGKILL if it has not left 30 s later
            timed_out.set()
            p.send_signal(signal.SIGTERM)
            time.sleep(30)
            if p.poll() is None:
                p.kill()
        timer = threading.Timer(timeout, stop) if timeout > 0 else None
        if timer:
            timer.daemon = True
            timer.start()
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        if timer:
            timer.cancel()
    row["exit"] = p.returncode
    row["cpu_s"] = f"{ru.ru_utime + ru.ru_stime:.3f}"
    row["wall_s"] = f"{time.monotonic() - start:.3f}"
    best_path = os.path.join(rundir, "best.txt")
    if timed_out.is_set():
        row["status"] = "timeout"
    elif p.returncode != 0:
        row["status"] = "failed"
    else:
        row["status"] = "ok"
    if not os.path.exists(best_path) or (row["status"] == "failed"):
        row["recovered"] = "no"
        return row
    try:
        info = read_best(best_path)
    except OSError:
        row["status"], row["recovered"] = "failed", "no"
        return row
    text = info["program"]
    row["program"] = text
    row["size"] = info.get("size", "")
    row["generation"] = info.get("generation", "")
    train = [k for k in info if k.startswith("train_")]
    test = [k for k in info if k.startswith("test_")]
    row["train_fitness"] = info[train[0]] if train else ""
    row["test_fitness"] = info[test[0]] if test else ""
    var = prob["test_target_variance"]
    r2 = float("nan")
    if "test_mse" in info:
        r2 = 1 - as_float(info["test_mse"]) / var
    elif "test_rmse" in info:
        r2 = 1 - as_float(info["test_rmse"]) ** 2 / var
    elif "test_r2" in info:
        r2 = as_float(info["test_r2"])
    cols = test_rows(suite, prob)
    try:
        pred = evaluate(text, {v: cols[v] for v in prob["variables"]})
    except (ValueError, SyntaxError, TypeError, RecursionError):
        pred = None
    y = cols[prob["target"]]
    if math.isnan(r2) and pred is not None:
        with np.errstate(all="ignore"):
            r2 = 1 - float(np.mean((pred - y) ** 2)) / float(np.var(y))
    row["test_r2"] = f"{r2:.9g}"
    fits = False
    if pred is not None and np.isfinite(pred).all():
        # x / x and the like leave rounding noise: constant all the same
        flat = np.ptp(pred) <= 1e-9 * max(1.0, float(np.abs(pred).max()))
        row["constant"] = "yes" if flat else "no"
        if not flat:
            c = np.corrcoef(pred, y)[0, 1]
            fits = bool(np.isfinite(c) and c * c >= 1 - 1e-6)
    if fits:
        row["recovered"] = recovery(text, prob["truth"], prob["variables"],
                                    prob["domain"],
                                    max(1.0, prob["train_target_rms"]),
                                    simplify_s)
    else:
        row["recovered"] = "no"
    return row


# --- tables ------------------------------------------------------------------

def median(xs):
    xs = [(-math.inf if math.isnan(x) else x) for x in xs]
    return statistics.median(xs) if xs else float("nan")


def summarise(rows, order):
    """Per problem, then overall: runs, failed, recovered, rate, median
    test R^2, median CPU seconds."""
    by = {}
    for r in rows:
        by.setdefault(r["problem"], []).append(r)
    out = []
    groups = [(n, by[n]) for n in order if n in by] + [("overall", rows)]
    for name, rs in groups:
        rec = sum(r["recovered"] in ("exact", "ratio") for r in rs)
        r2 = [as_float(r["test_r2"]) for r in rs if r["test_r2"] != ""]
        cpu = [as_float(r["cpu_s"]) for r in rs]
        out.append({
            "problem": name, "runs": len(rs),
            "failed": sum(r["status"] != "ok" for r in rs),
            "recovered": rec,
            "recovery_rate": rec / len(rs) if rs else 0.0,
            "median_test_r2": median(r2),
            "median_cpu_s": median(cpu),
            "total_cpu_s": sum(cpu),
        })
    return out


def fmt_r2(x):
    if math.isnan(x):
        return "-"
    if x == -math.inf:
        return "-inf"
    return f"{x:.4f}" if x > -1000 else f"{x:.3g}"


def markdown(summary, title, lines):
    md = [f"### {title}", ""] + lines + [
        "",
        "| problem | runs | failed | exact recovery | median test R² "
        "| median CPU s |",
        "|---|---:|---:|---:|---:|---:|"]
    for s in summary:
        name = s["problem"]
        label = "**overall**" if name == "overall" else name
        md.append(f"| {label} | {s['runs']} | {s['failed']} | "
                  f"{s['recovered']}/{s['runs']} "
                  f"({100 * s['recovery_rate']:.0f}%) | "
                  f"{fmt_r2(s['median_test_r2'])} | "
                  f"{s['median_cpu_s']:.2f} |")
    total = summary[-1]["total_cpu_s"]
    md += ["", f"Total CPU time: {total:.0f} s ({total / 3600:.2f} h)."]
    return "\n".join(md) + "\n"


def write_atomic(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def read_runs(folders):
    """The runs.csv rows of one result folder, or of several given as
    DIR,DIR,... (invocations with other --first-seed, run apart)."""
    rows = []
    for folder in folders.split(","):
        with open(os.path.join(folder, "runs.csv")) as f:
            rows += list(csv.DictReader(f))
    return rows


FAMILIES = ["nguyen", "keijzer", "korns", "vladislavleva"]


def problem_key(name):
    """The suite's order: family as tools/sr_suite.py lists them, then
    number."""
    stem = name.rstrip("0123456789")
    num = name[len(stem):]
    fam = FAMILIES.index(stem) if stem in FAMILIES else len(FAMILIES)
    return (fam, stem, int(num) if num else 0)


def compare(before, after):
    """Prints a Markdown table of two result folders side by side."""
    a, b = read_runs(before), read_runs(after)
    order = sorted({r["problem"] for r in a} | {r["problem"] for r in b},
                   key=problem_key)
    sa = {s["problem"]: s for s in summarise(a, order)}
    sb = {s["problem"]: s for s in summarise(b, order)}
    print(f"Before: {before}; after: {after}.\n")
    print("| problem | recovery before | recovery after "
          "| median test R² before | after | median CPU s before | after |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in order + ["overall"]:
        x, y = sa.get(name), sb.get(name)
        cells = []
        for s in (x, y):
            cells.append(f"{s['recovered']}/{s['runs']}" if s else "-")
        for key, f in (("median_test_r2", fmt_r2),
                       ("median_cpu_s", lambda v: f"{v:.2f}")):
            for s in (x, y):
                cells.append(f(s[key]) if s else "-")
        label = "**overall**" if name == "overall" else name
        print(f"| {label} | " + " | ".join(cells) + " |")


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "summary":
        if len(sys.argv) != 3:
            sys.exit("usage: sr_suite_run.py summary DIR[,DIR...]")
        rows = read_runs(sys.argv[2])
        order = sorted({r["problem"] for r in rows}, key=problem_key)
        seeds = sorted({int(r["seed"]) for r in rows})
        print(markdown(summarise(rows, order), "Ground-truth SR suite",
                       [f"{sys.argv[2]}: {len(order)} problems, seeds "
                        f"{', '.join(map(str, seeds))}."]), end="")
        return
    if len(sys.argv) > 1 and sys.argv[1] == "compare":
        if len(sys.argv) != 4:
            sys.exit("usage: sr_suite_run.py compare BEFORE_DIR[,DIR...] "
                     "AFTER_DIR[,DIR...]")
        compare(sys.argv[2], sys.argv[3])
        return
    ap = argparse.ArgumentParser(
        description="Runs forkgp over the SR suite and scores every run.")
    ap.add_argument("forkgp")
    ap.add_argument("suite")
    ap.add_argument("--seeds", type=int, default=30)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--jobs", type=int,
                    default=len(os.sched_getaffinity(0)))
    ap.add_argument("--problems", default="")
    ap.add_argument("--set", action="append", default=[], dest="sets",
                    metavar="SECTION.KEY=VALUE")
    ap.add_argument("--out", default="runs/sr-suite-results")
    ap.add_argument("--label", default="")
    ap.add_argument("--timeout", type=float, default=1800,
                    help="seconds a run may take (0: no limit)")
    ap.add_argument("--simplify-timeout", type=float, default=30)
    args = ap.parse_args()

    forkgp = os.path.abspath(args.forkgp)
    if not os.access(forkgp, os.X_OK):
        sys.exit(f"sr_suite_run: cannot run '{args.forkgp}'")
    try:
        with open(os.path.join(args.suite, "truth.json")) as f:
            problems = json.load(f)["problems"]
    except (OSError, ValueError, KeyError) as e:
        sys.exit(f"sr_suite_run: cannot read '{args.suite}/truth.json': {e}")
    names = list(problems)
    if args.problems:
        want = [p.strip() for p in args.problems.split(",") if p.strip()]
        for p in want:
            if p not in problems:
                sys.exit(f"sr_suite_run: '{p}' is not in "
                         f"{args.suite}/truth.json")
        names = want
    os.makedirs(args.out, exist_ok=True)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    # Seeds outermost: the first results cover every problem.
    tasks = [(forkgp, os.path.abspath(args.suite), n, problems[n], s,
              args.sets, os.path.abspath(args.out), args.timeout,
              args.simplify_timeout) for s in seeds for n in names]

    rows = []
    runs_path = os.path.join(args.out, "runs.csv")
    start = time.monotonic()
    with open(runs_path, "w", newline="") as f, \
            multiprocessing.Pool(args.jobs) as pool:
        w = csv.DictWriter(f, fieldnames=RUN_FIELDS)
        w.writeheader()
        f.flush()
        for i, row in enumerate(pool.imap_unordered(run_one, tasks), 1):
            rows.append(row)
            w.writerow(row)
            f.flush()
            print(f"[{i}/{len(tasks)}] {row['problem']} seed {row['seed']}: "
                  f"{row['status']}, R2 {row['test_r2'] or '-'}, "
                  f"{row['recovered']}, {row['cpu_s']} s", file=sys.stderr)
    wall = time.monotonic() - start

    summary = summarise(rows, names)
    with open(os.path.join(args.out, "summary.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(summary[0]))
        w.writeheader()
        w.writerows(summary)
    version = subprocess.run([forkgp, "--version"], capture_output=True,
                             text=True).stdout.strip()
    title = "Ground-truth SR suite" + (f": {args.label}" if args.label else "")
    sets = " ".join(f"--set {s}" for s in args.sets) or "none"
    lines = [f"{version}; {len(names)} problems x {args.seeds} seeds "
             f"({args.first_seed}..{args.first_seed + args.seeds - 1}); "
             f"overrides: {sets}; {args.jobs} runs at a time, "
             f"{wall:.0f} s wall.",
             "Recovery: SymPy finds the printed model equal to the truth, "
             "or a nonzero constant multiple of it (constants to 6 "
             "significant digits); R² on the test set; CPU: user + system "
             "seconds of a run."]
    md = markdown(summary, title, lines)
    write_atomic(os.path.join(args.out, "summary.md"), md)
    print(md, end="")


if __name__ == "__main__":
    main()
