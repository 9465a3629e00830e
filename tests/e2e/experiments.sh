#!/usr/bin/env bash
# Experiments end to end: the manifest, batches of seeds and their summary,
# an interrupted batch resumed.
source "$(dirname "$0")/lib.sh"

# --- the manifest ------------------------------------------------------------
mkdir -p "$TMP/m"
cp configs/data/quartic.csv "$TMP/m/q.csv"
printf '[data]\ntrain = q.csv\n[run]\ngenerations = 3\nseed = 42\n' >"$TMP/m/q.ini"
expect_status 0 "a run writes its manifest" "$FORKGP" run "$TMP/m/q.ini" --quiet --out "$TMP/m/run"
if $PY - "$TMP/m/run/manifest.ini" "$TMP/m/q.csv" <<'PYEOF'; then pass "manifest.ini reads with configparser and holds the facts"; else fail "manifest.ini contents"; fi
import configparser, sys
m = configparser.ConfigParser()
m.read(sys.argv[1])
r = m["run"]
assert r["seed"] == "42" and r["exit_status"] == "0", dict(r)
# generation 0, then new programs only (copies keep their scores)
assert 500 < int(r["evaluations"]) <= 4 * 500, r["evaluations"]
assert r["start"] and r["end"] and r["host"] and r["config_hash"]
assert m["forkgp"]["version"] and m["forkgp"]["compiler"] and m["forkgp"]["commit"]
f = m["files"]
assert f["file1"] == sys.argv[2], dict(f)
h = 0xcbf29ce484222325
for b in open(sys.argv[2], "rb").read():
    h = ((h ^ b) * 0x100000001b3) & (2**64 - 1)
assert f["file1_hash"] == "%016x" % h, (f["file1_hash"], "%016x" % h)
PYEOF
"$FORKGP" run "$TMP/m/run/config.ini" --quiet --out "$TMP/m/again" >/dev/null 2>"$TMP/err"
cmp -s "$TMP/m/run/log.csv" "$TMP/m/again/log.csv" && cmp -s "$TMP/m/run/best.txt" "$TMP/m/again/best.txt" &&
    pass "forkgp run RUNDIR/config.ini repeats the run" || fail "forkgp run RUNDIR/config.ini repeats the run"
[ -s "$TMP/err" ] && fail "no warning when nothing changed: $(cat "$TMP/err")" || pass "no warning when nothing changed"
echo "0.95,1.81" >>"$TMP/m/q.csv"
"$FORKGP" run "$TMP/m/run/config.ini" --quiet --out "$TMP/m/changed" >/dev/null 2>"$TMP/err"
expect_err "warning: '$TMP/m/q.csv' has changed since the run in '$TMP/m/run'" "a changed data file is reported"

# --- a batch of 30 quartic runs: the summary matches the runs' own logs ------
expect_status 0 "a batch of 30 quartic runs" "$FORKGP" run configs/quartic.ini --runs 30 --out "$TMP/b"
if $PY - "$TMP/b" <<'PYEOF'; then pass "summary.csv matches the runs' own logs"; else fail "summary.csv vs the runs"; fi
import csv, math, os, sys
d = sys.argv[1]
rows = list(csv.DictReader(open(os.path.join(d, "summary.csv"))))
assert len(rows) == 30
wins = 0
for r in rows:
    run = os.path.join(d, "run-%03d" % int(r["run"]))
    log = list(csv.DictReader(open(os.path.join(run, "log.csv"))))
    best = min(float(x["best_mse"]) for x in log)
    assert float(r["best_mse"]) == best, (r, best)
    reached = [int(x["generation"]) for x in log if float(x["best_mse"]) <= 1e-8]
    if reached:
        wins += 1
        assert r["success"] == "1" and int(r["success_generation"]) == reached[0], (r, reached)
    else:
        assert r["success"] == "0" and r["success_generation"] == "", r
    own = dict(l.strip().split(" = ", 1) for l in open(os.path.join(run, "best.txt")) if " = " in l)
    assert int(r["evaluations"]) == int(own["evaluations"]) <= 500 * len(log), (r, own)
    assert int(r["seed"]) == 1 + int(r["run"])
text = open(os.path.join(d, "summary.txt")).read()
assert "success (target 1e-08 reached): %d of 30" % wins in text, text
# Wilson 95% interval, recomputed
z = 1.959963984540054; n = 30; p = wins / n
c = (p + z*z/(2*n)) / (1 + z*z/n); h = z / (1 + z*z/n) * math.sqrt(p*(1-p)/n + z*z/(4*n*n))
assert "Wilson interval %.3f .. %.3f" % (c - h, c + h) in text, (text, c - h, c + h)
PYEOF
# The best program of each run (its best.txt's first line), and the best
# of them all with its run and seed: the first of the lowest mse here, the
# first of the most hits for a maximised fitness.
"$FORKGP" run configs/multiplexer6.ini --runs 3 --quiet --set run.generations=3 \
    --out "$TMP/mux" >/dev/null 2>&1
if $PY - "$TMP/b" mse min "$TMP/mux" hits max <<'PYEOF'; then pass "the summary names each run's best program and the best of all, with its run and seed"; else fail "the summary names each run's best program and the best of all"; fi
import csv, os, sys
for d, score, pick in (sys.argv[1:4], sys.argv[4:7]):
    rows = list(csv.DictReader(open(os.path.join(d, "summary.csv"))))
    for r in rows:
        first = open(os.path.join(d, "run-%03d" % int(r["run"]), "best.txt")).readline().rstrip("\n")
        assert r["program"] == first, (r, first)
    vals = [float(r["best_" + score]) for r in rows]
    want = vals.index(min(vals) if pick == "min" else max(vals))
    r = rows[want]
    line = "best of all runs: run %03d (seed %s), %s %s: %s" % (
        int(r["run"]), r["seed"], score, r["best_" + score], r["program"])
    text = open(os.path.join(d, "summary.txt")).read()
    assert line in text.splitlines(), (line, text)
PYEOF
grep -q "^computational effort I(M=500, i=[0-9]*, z=0.99) = [0-9]* evaluations$" "$TMP/b/summary.txt" &&
    pass "summary gives Koza's computational effort" || fail "computational effort: $(cat "$TMP/b/summary.txt")"
"$FORKGP" run configs/quartic.ini --quiet --seed 7 --out "$TMP/b7" >/dev/null
cmp -s "$TMP/b7/log.csv" "$TMP/b/run-006/log.csv" && pass "run-006 is the run with seed 7" ||
    fail "run-006 is not the run with seed 7"

# --- an interrupted batch resumes where it stopped ------------------------------
# Runs long enough (about 0.3 s each here) that the signal lands inside one.
"$FORKGP" run configs/pagie1.ini --runs 3 --set run.population=300 --set run.generations=100 \
    --out "$TMP/ref" >/dev/null 2>&1
"$FORKGP" run configs/pagie1.ini --runs 3 --set run.population=300 --set run.generations=100 \
    --out "$TMP/int" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do [ -s "$TMP/int/run-001/log.csv" ] && break; sleep 0.02; done
kill -INT $pid
wait $pid
st=$?
[ $st = 130 ] && pass "SIGINT stops a batch with 130" || fail "SIGINT stops a batch with 130 (got $st)"
expect_status 0 "forkgp resume BATCHDIR" "$FORKGP" resume "$TMP/int"
same=1
for f in summary.csv run-000/log.csv run-001/log.csv run-002/log.csv run-001/population.csv run-002/best.txt; do
    cmp -s "$TMP/ref/$f" "$TMP/int/$f" || same=0
done
[ $same = 1 ] && pass "the resumed batch equals the uninterrupted one" || fail "the resumed batch differs"

finish
