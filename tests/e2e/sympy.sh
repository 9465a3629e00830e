#!/usr/bin/env bash
# sympy.sh: every program forkgp prints, read by SymPy's sympify and
# evaluated by lambdify on NumPy, computes what forkgp computes.
#
# Each shipped config (configs/*.ini) runs with seeds 1, 2 and 3, and
# keijzer6 with constant optimisation, lamarckian = yes and no. The
# programs checked from each run: best.txt's program and its simplified
# line, and up to 25 of the final population.csv's distinct programs,
# evenly spread over the file (all of them when fewer). Their rows: the
# config's training CSV, or for the boolean problems the whole truth table.
# forkgp's values come from build/tools/predict_rows (parse_program, then
# the interpreter); SymPy's must be within 1e-9 of them, relative, on every
# row where forkgp's are finite (or within 1e-12 absolute, for a value that
# cancels to about 0, whose rounding depends on the order of the terms,
# which SymPy changes; the summary counts such rows), and not finite where
# forkgp's are not.
# Also: the best program's printed text, read back, scores best.txt's
# train_mse or train_rmse (to 1e-12), the simplified program agrees with
# the best one (to 1e-9), and stdout's simplified line is best.txt's with
# its numbers in [output] digits = 6 significant digits.
. "$(dirname "$0")/lib.sh"
PREDICT_ROWS=${PREDICT_ROWS:-build/tools/predict_rows}
PREDICT_ROWS=$(cd "$(dirname "$PREDICT_ROWS")" && pwd)/$(basename "$PREDICT_ROWS")

runs=()
for ini in configs/*.ini; do
    name=$(basename "$ini" .ini)
    for seed in 1 2 3; do
        dir="$TMP/$name-$seed"
        if "$FORKGP" run "$ini" --seed "$seed" --quiet --out "$dir" \
            >"$dir.out" 2>&1; then
            runs+=("$dir")
        else
            fail "$name seed $seed: forkgp run failed"
            sed 's/^/     /' "$dir.out" | tail -5
        fi
    done
done
# Constant optimisation, its tuned constants written into the individuals
# (lamarckian = yes) or kept apart for the score and the printout (no).
for lam in yes no; do
    dir="$TMP/keijzer6-lm-$lam"
    if "$FORKGP" run configs/keijzer6.ini --seed 4 --quiet --out "$dir" \
        --set optimize.method=lm --set optimize.share=0.5 \
        --set optimize.lamarckian=$lam --set run.generations=10 \
        --set fitness.target_fitness=none >"$dir.out" 2>&1; then
        runs+=("$dir")
    else
        fail "keijzer6 with lm, lamarckian = $lam: forkgp run failed"
        sed 's/^/     /' "$dir.out" | tail -5
    fi
done

$PY - "$PREDICT_ROWS" "${runs[@]}" >"$TMP/report" 2>&1 <<'PYEOF'
import configparser, csv, os, re, subprocess, sys, warnings
import numpy as np
import sympy

warnings.simplefilter("ignore")
predict = sys.argv[1]
PER_RUN = 25


def rows_of(run):
    """The run's training CSV, or a truth table written for it."""
    cfg = configparser.ConfigParser(inline_comment_prefixes=(";",),
                                    interpolation=None)
    cfg.read(os.path.join(run, "config.ini"))
    train = cfg.get("data", "train", fallback="")
    if train:
        return train, cfg
    problem = cfg.get("boolean", "problem")
    bits = cfg.getint("boolean", "bits")
    if problem == "multiplexer":
        names = ["a%d" % j for j in range(bits)] + \
                ["d%d" % j for j in range(1 << bits)]
    else:
        names = ["b%d" % j for j in range(bits)]
    path = run + "-truth.csv"
    with open(path, "w") as f:
        f.write(",".join(names) + "\n")
        for i in range(1 << len(names)):
            f.write(",".join(str((i >> j) & 1) for j in range(len(names))))
            f.write("\n")
    return path, cfg


def programs_of(run):
    lines = open(os.path.join(run, "best.txt")).read().splitlines()
    best = lines[0]
    simple = [l[len("simplified = "):] for l in lines
              if l.startswith("simplified = ")]
    keys = dict(l.split(" = ", 1) for l in lines[1:] if " = " in l)
    with open(os.path.join(run, "population.csv")) as f:
        pop = [r["program"] for r in csv.DictReader(f)]
    distinct = list(dict.fromkeys(pop))
    step = max(1, len(distinct) // PER_RUN)
    chosen = distinct[::step][:PER_RUN]
    return best, simple, keys, chosen


def forkgp_values(data, programs):
    out = subprocess.run([predict, data], input="\n".join(programs) + "\n",
                         capture_output=True, text=True, check=True).stdout
    values = []
    for line in out.splitlines():
        if line.startswith("error: "):
            raise ValueError(line)
        values.append(np.array([float(v) for v in line.split(",")]))
    return values


def sympy_values(text, names, cols, nrows):
    syms = [sympy.Symbol(n) for n in names]
    expr = sympy.sympify(text, locals=dict(zip(names, syms)))
    if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
        # SymPy's own arithmetic already made it infinite or undefined
        # (log(0) of a sum that cancels exactly: zoo), which lambdify
        # cannot print: not finite on any row.
        return np.full(nrows, complex(np.nan, np.nan))
    f = sympy.lambdify(syms, expr, "numpy")
    with np.errstate(all="ignore"):
        try:
            v = np.asarray(f(*cols))
            return np.broadcast_to(v, (nrows,)).astype(complex)
        except Exception:
            # Min, Max and Piecewise of an array and a number: row by row.
            return np.array([complex(f(*[c[i] for c in cols]))
                             for i in range(nrows)])


near_zero = 0


def agree(want, got):
    """Where forkgp's value is finite, SymPy's is real and within 1e-9
    relative (or 1e-12 absolute: a sum that cancels to about 0 keeps only
    the rounding of its terms, which SymPy adds in another order); where
    it is not, neither is SymPy's."""
    global near_zero
    fin = np.isfinite(want)
    ok = np.where(fin, np.isfinite(got) & (got.imag == 0), ~np.isfinite(got))
    diff = np.abs(got.real - want)
    scale = np.maximum(np.abs(want), np.abs(got.real))
    relative = diff <= 1e-9 * scale
    near_zero += int((fin & ok & ~relative & (diff <= 1e-12)).sum())
    ok &= ~fin | relative | (diff <= 1e-12)
    return ok


failures = 0
checked = 0


def bad(msg):
    global failures
    failures += 1
    print("FAIL " + msg)


for run in sys.argv[2:]:
    data, cfg = rows_of(run)
    with open(data) as f:
        reader = csv.reader(f)
        names = [n.strip() for n in next(reader)]
        table = np.array([[float(v) for v in r] for r in reader if r])
    cols = [table[:, j] for j in range(len(names))]
    nrows = len(table)
    best, simple, keys, pop = programs_of(run)
    texts = [best] + simple + pop
    try:
        values = forkgp_values(data, texts)
    except Exception as e:
        bad("%s: predict_rows: %s" % (run, e))
        continue
    # The printed best program scores what best.txt says.
    metric = cfg.get("fitness", "metric", fallback="auto")
    target = cfg.get("data", "target", fallback="") or names[-1]
    if cfg.get("fitness", "function", fallback="regression") == \
            "regression" and metric in ("auto", "mse", "rmse"):
        key = "train_" + ("mse" if metric == "auto" else metric)
        err = np.mean((values[0] - cols[names.index(target)]) ** 2)
        if metric == "rmse":
            err = np.sqrt(err)
        own = float(keys[key])
        if not abs(err - own) <= 1e-12 * abs(own):
            bad("%s: best program read back scores %r, best.txt %r"
                % (run, err, own))
    if simple and not np.all(agree(values[0], values[1].astype(complex))):
        bad("%s: simplified program differs from the best: %s"
            % (run, simple[0]))
    # stdout's simplified line: best.txt's, its numbers in 6 digits.
    shown = [l[len("simplified = "):] for l in open(run + ".out").read()
             .splitlines() if l.startswith("simplified = ")]
    rounded = [re.sub(r"(?<![\w.])\d+(\.\d*)?(e[+-]?\d+)?",
                      lambda m: "%.6g" % float(m.group(0)), l) for l in simple]
    if shown != rounded:
        bad("%s: stdout's simplified line %r is not best.txt's in 6 digits %r"
            % (run, shown, rounded))
    for text, want in zip(texts, values):
        checked += 1
        try:
            got = sympy_values(text, names, cols, nrows)
        except Exception as e:
            bad("%s: %s: SymPy: %s: %s" % (run, text, type(e).__name__, e))
            continue
        ok = agree(want, got)
        if not ok.all():
            i = int(np.argmin(ok))
            bad("%s: %s: row %d: forkgp %r, SymPy %r (%d rows differ)"
                % (run, text[:300], i, want[i], got[i], int((~ok).sum())))
print("%d programs checked, %d failed; %d rows within 1e-12 absolute only"
      % (checked, failures, near_zero))
sys.exit(1 if failures else 0)
PYEOF
st=$?
sed 's/^/     /' "$TMP/report" | tail -40
[ $st = 0 ] && [ ${#runs[@]} = $(($(ls configs/*.ini | wc -l) * 3 + 2)) ] &&
    pass "printed programs compute forkgp's values in SymPy and NumPy ($(tail -1 "$TMP/report"))" ||
    fail "printed programs compute forkgp's values in SymPy and NumPy"
finish
