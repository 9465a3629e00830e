#!/usr/bin/env bash
# predict.sh: forkgp predict and export: the predictions are forkgp's bits,
# the exported C gives the same bits and the exported NumPy agrees to 1e-12
# (on shipped configs and seeds, and on every function at its edges);
# --size reads front.csv; [data] inputs; bad input is exit 2 with a message.
source "$(dirname "$0")/lib.sh"

# Builds exported C as a user would: -ffp-contract=off, no -ffast-math.
CC_MODEL="${CC:-cc} -std=c11 -O2 -ffp-contract=off -Wall -Wextra -Wpedantic -Werror"

# The driver of an exported forkgp_model: reads NROWS rows of NVARS numbers
# and prints each row's value exactly (%a).
cat >"$TMP/driver.c" <<'EOF'
#include <stdio.h>
#include <stdlib.h>
double forkgp_model(const double *x);
int main(int argc, char **argv)
{
    if (argc != 3)
        return 2;
    int nvars = atoi(argv[1]);
    long nrows = atol(argv[2]);
    static double x[1024];
    for (long i = 0; i < nrows; i++) {
        for (int k = 0; k < nvars; k++)
            if (scanf("%lf", &x[k]) != 1)
                return 1;
        printf("%a\n", forkgp_model(x));
    }
    return 0;
}
EOF

# compare.py LIST: for each line "NAME<TAB>DIR<TAB>DATA.csv" of LIST, the
# rows of DATA in the model's variable order go to DIR/model (the compiled
# C), whose values must be DIR/pred.csv's bits, and DIR/model.py's
# forkgp_model must agree with them to 1e-12 relative. Prints "ok NAME" or
# "FAIL NAME: why" per case (one Python for them all: NumPy loads once).
cat >"$TMP/compare.py" <<'EOF'
import csv, math, struct, subprocess, sys
import numpy as np

def bits(v):
    return struct.pack("<d", v)

def close(w, p):
    if math.isnan(w) or math.isnan(p):
        return math.isnan(w) and math.isnan(p)
    if math.isinf(w) or math.isinf(p):
        return w == p
    return w == p or abs(w - p) <= 1e-12 * max(abs(w), abs(p))

def check(d, data):
    ns = {}
    exec(open(d + "/model.py").read(), ns)
    names = ns["VARIABLES"]
    rows = list(csv.DictReader(open(data)))
    X = np.array([[float(r[n]) for n in names] for r in rows],
                 dtype=float).reshape(len(rows), len(names))
    want = [float(l) for l in open(d + "/pred.csv").read().split("\n")[1:] if l]
    if len(want) != len(rows):
        return "%d predictions for %d rows" % (len(want), len(rows))
    text = "\n".join(" ".join(repr(v) for v in row) for row in X.tolist()) + "\n"
    out = subprocess.run([d + "/model", str(len(names)), str(len(rows))],
                         input=text, capture_output=True, text=True,
                         check=True).stdout.split()
    got = [float.fromhex(v) for v in out]
    bad = [(i, w, g) for i, (w, g) in enumerate(zip(want, got))
           if bits(w) != bits(g) and not (math.isnan(w) and math.isnan(g))]
    if len(got) != len(want) or bad:
        return ("C differs from forkgp predict in %d rows, first (row, "
                "predict, C): %s" % (len(bad), bad[:3]))
    py = ns["forkgp_model"](X).tolist()
    bad = [(i, w, p) for i, (w, p) in enumerate(zip(want, py)) if not close(w, p)]
    if bad:
        return ("NumPy differs from forkgp predict by more than 1e-12 in %d "
                "rows, first: %s" % (len(bad), bad[:3]))
    return None

for line in open(sys.argv[1]):
    name, d, data = line.rstrip("\n").split("\t")
    try:
        why = check(d, data)
    except Exception as e:
        why = "%s: %s" % (type(e).__name__, e)
    print("FAIL %s: %s" % (name, why) if why else "ok %s" % name)
EOF
: >"$TMP/cases"
ncases=0

# same_as_forkgp NAME RUNDIR DATA [--size N]: predict, export c and python,
# compile; the comparison is made for every case at the end.
same_as_forkgp() {
    local name=$1 run=$2 data=$3; shift 3
    ncases=$((ncases + 1))
    local d="$TMP/case-$ncases"
    mkdir -p "$d"
    if ! "$FORKGP" predict "$run" --data "$data" --out "$d/pred.csv" "$@" 2>"$d/err" ||
        ! "$FORKGP" export "$run" --format c "$@" >"$d/model.c" 2>>"$d/err" ||
        ! "$FORKGP" export "$run" --format python "$@" >"$d/model.py" 2>>"$d/err"; then
        fail "$name: predict or export failed: $(head -3 "$d/err")"
        return
    fi
    if ! $CC_MODEL -o "$d/model" "$TMP/driver.c" "$d/model.c" -lm 2>"$d/cc"; then
        fail "$name: the exported C does not compile: $(head -5 "$d/cc")"
        return
    fi
    printf '%s\t%s\t%s\n' "$name" "$d" "$data" >>"$TMP/cases"
}

# --- shipped configs, several seeds: train and test data --------------------
for cfg in kepler quartic nguyen7 keijzer6 pagie1 iris; do
    for seed in 1 2 3; do
        run="$TMP/run-$cfg-$seed"
        "$FORKGP" run "configs/$cfg.ini" --quiet --seed "$seed" --out "$run" \
            --set run.generations=8 --set run.population=300 >/dev/null 2>&1 ||
            { fail "$cfg seed $seed: the run failed"; continue; }
        train=$(sed -n 's/^train = //p' "$run/config.ini")
        same_as_forkgp "$cfg seed $seed, training data" "$run" "$train"
        test=$(sed -n 's/^test = //p' "$run/config.ini")
        [ -n "$test" ] && same_as_forkgp "$cfg seed $seed, test data" "$run" "$test"
    done
done

# --- the metric on data with the target: the run's own train score ----------
run="$TMP/run-kepler-1"
"$FORKGP" predict "$run" --data configs/data/kepler.csv >"$TMP/pred.csv" 2>"$TMP/err"
want=$(sed -n 's/^train_rmse = //p' "$run/best.txt")
got=$(sed -n 's/^rmse = //p' "$TMP/err")
$PY -c "import sys; w, g = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(w - g) > 1e-12 * abs(w))" "$want" "$got" 2>/dev/null &&
    pass "predict on the training data prints the run's train_rmse ($got)" ||
    fail "predict's rmse '$got' is not best.txt's train_rmse '$want'"
head -1 "$TMP/pred.csv" | grep -qx prediction &&
    [ "$(wc -l <"$TMP/pred.csv")" = "$(wc -l <configs/data/kepler.csv)" ] &&
    pass "one prediction per row, under the header 'prediction'" ||
    fail "predictions: $(head -3 "$TMP/pred.csv")"
run="$TMP/run-nguyen7-2"
"$FORKGP" predict "$run" --data "$(sed -n 's/^test = //p' "$run/config.ini")" >/dev/null 2>"$TMP/err"
want=$(sed -n 's/^test_mse = //p' "$run/best.txt")
got=$(sed -n 's/^mse = //p' "$TMP/err")
$PY -c "import sys; w, g = float(sys.argv[1]), float(sys.argv[2]); sys.exit(abs(w - g) > 1e-12 * abs(w))" "$want" "$got" 2>/dev/null &&
    pass "predict on the test data prints the run's test_mse" ||
    fail "predict's mse '$got' is not best.txt's test_mse '$want'"

# --- columns by name, in any order; extra columns ignored; no target --------
run="$TMP/run-pagie1-1"
"$FORKGP" predict "$run" --data configs/data/pagie1.csv >"$TMP/a.csv" 2>/dev/null
$PY - "$TMP/b.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open("configs/data/pagie1.csv")))
with open(sys.argv[1], "w") as f:
    f.write("id,y,extra,x\n")
    for i, r in enumerate(rows):
        f.write("%d,%s,%d,%s\n" % (i, r["y"], 7 * i, r["x"]))
EOF
"$FORKGP" predict "$run" --data "$TMP/b.csv" --out "$TMP/b.pred" >"$TMP/out" 2>"$TMP/err"
cmp -s "$TMP/a.csv" "$TMP/b.pred" && [ ! -s "$TMP/out" ] && [ ! -s "$TMP/err" ] &&
    pass "columns in another order, extra ones and no target: the same predictions, no metric" ||
    fail "reordered columns: $(diff "$TMP/a.csv" "$TMP/b.pred" | head -3) $(cat "$TMP/err")"
grep -q "^variables = x, y$" "$run/best.txt" &&
    pass "best.txt names the variables" || fail "best.txt: $(tail -2 "$run/best.txt")"

# --- every function at its edges: a hand-made run per function --------------
mkdir -p "$TMP/edge"
$PY - "$TMP/edge/data.csv" <<'EOF'
import random, sys
random.seed(17)
edges = [0.0, -0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -3.75, 1e-300, -1e-300, 5e-324,
         1e300, -1e300, 700.0, 709.9, 710.0, -745.2, -750.0, 19.5, -20.0,
         1e-9, 0.17, 3.0e5, 524288.0, 1e6, -1e7, 1e22, 3.141592653589793,
         1.5707963267948966, 0.6931471805599453]
with open(sys.argv[1], "w") as f:
    f.write("alpha,beta,gamma\n")
    for i in range(400):
        row = [random.choice(edges) if random.random() < 0.6 else random.gauss(0, 4)
               for _ in range(3)]
        f.write(",".join(repr(v) for v in row) + "\n")
EOF
printf '[primitives]\nfunctions = add, sub, mul, div, neg, abs, square, sqrt, exp, log, sin, cos, tanh, min, max, and, or, not, nand, nor, if\n' \
    >"$TMP/edge/config.ini"
programs=(
    "(alpha + beta)" "(alpha - beta)" "(alpha * beta)" "(alpha / beta)"
    "(-alpha)" "abs(alpha)" "(alpha**2)" "sqrt(alpha)" "exp(alpha)"
    "log(alpha)" "sin(alpha)" "cos(alpha)" "tanh(alpha)" "min(alpha, beta)"
    "max(alpha, beta)" "and(alpha, beta)" "or(alpha, beta)" "not(alpha)"
    "nand(alpha, beta)" "nor(alpha, beta)" "if(alpha, beta, gamma)"
    "((alpha * -0) + (beta / (gamma - gamma)))"
    "(exp(sin(alpha)) - (log(cos(beta)) * tanh((gamma / 3.5))))"
    "((0.1 * 3) + sqrt((2 / 7)))"
)
for p in "${programs[@]}"; do
    printf '%s\ntrain_mse = 0\nvariables = alpha, beta, gamma\n' "$p" >"$TMP/edge/best.txt"
    same_as_forkgp "edges of $p" "$TMP/edge" "$TMP/edge/data.csv"
done

# --- formats: sympy is the printed program; latex from the structure -------
run="$TMP/run-kepler-1"
"$FORKGP" export "$run" --format sympy >"$TMP/out" 2>"$TMP/err"
[ "$(cat "$TMP/out")" = "$(head -1 "$run/best.txt")" ] &&
    pass "export --format sympy is best.txt's program" ||
    fail "export sympy: $(cat "$TMP/out" "$TMP/err")"
mkdir -p "$TMP/tex"
cp "$TMP/edge/config.ini" "$TMP/tex/"
printf '%s\nvariables = a, x1, rate_2\n' \
    "((((a * sqrt(x1)) / (rate_2 - -0.5)) + (-(a**2))) - exp((a + 1e-05)))" >"$TMP/tex/best.txt"
want='\frac{a \cdot \sqrt{\left|x_{1}\right|}}{\mathrm{rate}_{2} - \left(-0.5\right)} + \left(-a^{2}\right) - e^{a + 10^{-5}}'
"$FORKGP" export "$TMP/tex" --format latex >"$TMP/out" 2>"$TMP/err"
[ "$(cat "$TMP/out")" = "$want" ] && pass "export --format latex" ||
    fail "export latex: got $(cat "$TMP/out" "$TMP/err"), want $want"
printf '%s\nvariables = a, x1, rate_2\n' \
    "((log(abs(a)) * sqrt(x1)) / max(1e+20, tanh((rate_2**2))))" >"$TMP/tex/best.txt"
want='\frac{\log\left|a\right| \cdot \sqrt{\left|x_{1}\right|}}{\max\left(10^{20}, \tanh\left(\mathrm{rate}_{2}^{2}\right)\right)}'
"$FORKGP" export "$TMP/tex" --format latex >"$TMP/out" 2>"$TMP/err"
[ "$(cat "$TMP/out")" = "$want" ] && pass "export --format latex: functions, abs shown once" ||
    fail "export latex: got $(cat "$TMP/out" "$TMP/err"), want $want"

# --- --size: the program of that size from front.csv -------------------------
run="$TMP/run-kepler-2"
cat >"$run/front.csv" <<'EOF'
size,train_rmse,test_rmse,program
1,50.1,,"a"
4,0.0899,,"(a * sqrt(a))"
6,0.09,,"((a * sqrt(a)) + 0.001)"
EOF
"$FORKGP" predict "$run" --data configs/data/kepler.csv --size 1 >"$TMP/out" 2>/dev/null
$PY - "$TMP/out" <<'EOF' && pass "predict --size 1: front.csv's program of size 1" || fail "predict --size 1: $(head -3 "$TMP/out")"
import csv, sys
a = [float(r["a"]) for r in csv.DictReader(open("configs/data/kepler.csv"))]
p = [float(l) for l in open(sys.argv[1]).read().split()[1:]]
sys.exit(a != p)
EOF
[ "$("$FORKGP" export "$run" --format sympy --size 4 2>&1)" = "(a * sqrt(abs(a)))" ] &&
    pass "export --size 4: front.csv's program of size 4" || fail "export --size 4"
same_as_forkgp "kepler --size 6" "$run" configs/data/kepler.csv --size 6
expect_status 2 "predict --size with no such size" \
    "$FORKGP" predict "$run" --data configs/data/kepler.csv --size 5
expect_err "no program of size 5 in '$run/front.csv' (its sizes: 1, 4, 6)" "no size: the message lists the sizes"
# A run folder without a front.csv (one from before runs wrote it).
rm -f "$TMP/run-kepler-3/front.csv"
expect_status 2 "export --size without a front.csv" \
    "$FORKGP" export "$TMP/run-kepler-3" --format c --size 3
expect_err "has no front.csv" "no front: the message says so"
expect_status 2 "--size 0" "$FORKGP" predict "$run" --data configs/data/kepler.csv --size 0
expect_err "--size: expected a program size" "--size 0: the message names the option"

# --- bad input: exit 2 with a message that names it ----------------------------
run="$TMP/run-kepler-1"
printf 'T,b\n1,2\n' >"$TMP/nocol.csv"
expect_status 2 "predict: a missing column" "$FORKGP" predict "$run" --data "$TMP/nocol.csv"
expect_err "'$TMP/nocol.csv' has no column 'a'" "a missing column: named with the file"
printf 'a,T\n1,2\n3,x7\n' >"$TMP/nan.csv"
expect_status 2 "predict: a cell that is not a number" "$FORKGP" predict "$run" --data "$TMP/nan.csv"
expect_err "$TMP/nan.csv:3: column 2 'T'" "a non-number: named by file, line and column"
mkdir -p "$TMP/unfinished"
cp "$run/config.ini" "$TMP/unfinished/"
expect_status 2 "predict: a RUNDIR without a finished run" \
    "$FORKGP" predict "$TMP/unfinished" --data configs/data/kepler.csv
expect_err "no finished run in '$TMP/unfinished'" "no best.txt: the message says so"
expect_status 2 "export: an unknown --format" "$FORKGP" export "$run" --format java
expect_err "--format: unknown format 'java' (c, python, sympy, latex)" "an unknown format: named"
expect_status 2 "predict without --data" "$FORKGP" predict "$run"
expect_err "predict needs --data FILE.csv" "no --data: the message says so"
printf 'not a program (\nvariables = a\n' >"$TMP/unfinished/best.txt"
expect_status 2 "predict: a program that does not parse" \
    "$FORKGP" predict "$TMP/unfinished" --data configs/data/kepler.csv
expect_err "$TMP/unfinished/best.txt:1: column" "a bad program: named by file and column"
expect_status 0 "help predict" "$FORKGP" help predict
grep -q "^forkgp predict RUNDIR" "$TMP/out" && pass "help predict prints predict's help" ||
    fail "help predict: $(head -2 "$TMP/out")"
expect_status 0 "export --help" "$FORKGP" export --help
grep -q "^forkgp export RUNDIR" "$TMP/out" && pass "export --help prints export's help" ||
    fail "export --help: $(head -2 "$TMP/out")"

# --- [data] inputs: only the named columns become variables -----------------
mkdir -p "$TMP/inp"
$PY - "$TMP/inp/data.csv" <<'EOF'
import sys
with open(sys.argv[1], "w") as f:
    f.write("id,speed,time,dist\n")
    for i in range(30):
        s, t = 1 + i % 7, 0.5 + i / 10
        f.write("%d,%r,%r,%r\n" % (1000 + i, float(s), t, s * t))
EOF
printf '[run]\npopulation = 200\ngenerations = 5\n[data]\ntrain = data.csv\ninputs = time, speed\n' >"$TMP/inp/ok.ini"
expect_status 0 "[data] inputs: a run" "$FORKGP" run "$TMP/inp/ok.ini" --quiet --out "$TMP/inp/run"
grep -qx "variables = speed, time" "$TMP/inp/run/best.txt" &&
    pass "[data] inputs: those columns are the variables, in the file's order" ||
    fail "[data] inputs: $(grep variables "$TMP/inp/run/best.txt")"
cut -d, -f2,3 "$TMP/inp/data.csv" >"$TMP/inp/noid.csv"
expect_status 0 "predict without the columns the run did not use" \
    "$FORKGP" predict "$TMP/inp/run" --data "$TMP/inp/noid.csv"
printf '[run]\npopulation = 200\ngenerations = 5\n[data]\ntrain = data.csv\ninputs = sped, time\n' >"$TMP/inp/bad.ini"
expect_status 2 "[data] inputs: an unknown column" "$FORKGP" run "$TMP/inp/bad.ini" --quiet --out "$TMP/inp/bad"
expect_err "$TMP/inp/bad.ini:6: [data] inputs: no column 'sped' in '$TMP/inp/data.csv'; did you mean 'speed'?" \
    "[data] inputs: the message names the key, the file and the column"
expect_status 2 "[data] inputs: the target" \
    "$FORKGP" run "$TMP/inp/ok.ini" --quiet --out "$TMP/inp/bad" --set data.inputs=time,dist
expect_err "'dist' is the target column" "[data] inputs: the target is refused"
expect_status 2 "[data] inputs: a name twice" \
    "$FORKGP" run "$TMP/inp/ok.ini" --quiet --out "$TMP/inp/bad" --set "data.inputs=time, time"
expect_err "'time' is listed twice" "[data] inputs: a repeated name is refused"

# --- the comparisons of every case above --------------------------------------
$PY "$TMP/compare.py" "$TMP/cases" >"$TMP/compared" 2>&1 || cat "$TMP/compared"
while IFS= read -r line; do
    case "$line" in
    "ok "*) pass "${line#ok }: exported C = forkgp predict (bits), NumPy within 1e-12" ;;
    "FAIL "*) fail "${line#FAIL }" ;;
    esac
done <"$TMP/compared"
compared=$(grep -c '^ok \|^FAIL ' "$TMP/compared")
[ "$compared" = "$(wc -l <"$TMP/cases")" ] ||
    fail "compare.py compared $compared of $(wc -l <"$TMP/cases") cases"

finish
