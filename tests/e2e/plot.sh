#!/usr/bin/env bash
# forkgp plot end to end: a run's and a batch's PNG and SVG drawings, the
# script and data beside them (redrawable with gnuplot in the folder), the
# per-generation medians of a batch, and the errors.
source "$(dirname "$0")/lib.sh"

if ! command -v gnuplot >/dev/null 2>&1; then
    fail "gnuplot is installed (make deps installs gnuplot-nox)"
    finish
fi

png_sig=" 89 50 4e 47 0d 0a 1a 0a"
# drawings NAME DIR: the four drawings exist, PNGs and SVGs by their contents
drawings() {
    local name=$1 dir=$2 ok=1
    for f in convergence size; do
        [ -s "$dir/$f.png" ] && [ -s "$dir/$f.svg" ] || { ok=0; echo "     $f.png or $f.svg missing or empty"; continue; }
        [ "$(head -c 8 "$dir/$f.png" | od -An -tx1)" = "$png_sig" ] || { ok=0; echo "     $f.png lacks the PNG signature"; }
        grep -q "<svg" "$dir/$f.svg" || { ok=0; echo "     $f.svg lacks <svg"; }
    done
    [ -s "$dir/plot.gp" ] || { ok=0; echo "     plot.gp missing"; }
    [ "$ok" = 1 ] && pass "$name: the drawings and plot.gp" || fail "$name: the drawings and plot.gp"
}
# redraws NAME DIR: gnuplot plot.gp in DIR alone makes the drawings again
redraws() {
    local name=$1 dir=$2
    rm -f "$dir"/convergence.* "$dir"/size.*
    if grep -qF "$TMP" "$dir/plot.gp"; then fail "$name: plot.gp uses relative paths"
    else pass "$name: plot.gp uses relative paths"; fi
    if (cd "$dir" && gnuplot plot.gp) >"$TMP/out" 2>"$TMP/err"; then
        drawings "$name: gnuplot plot.gp" "$dir"; else
        fail "$name: gnuplot plot.gp redraws"; sed 's/^/     /' "$TMP/err" | head -5; fi
}

# --- one run -----------------------------------------------------------------
"$FORKGP" run configs/quartic.ini --quiet --out "$TMP/q" >/dev/null
expect_status 0 "plot a run" "$FORKGP" plot "$TMP/q"
drawings "run" "$TMP/q"
# said_written NAME DIR FILE...: stdout names each file as written, and no other
said_written() {
    local name=$1 dir=$2 f want=""
    shift 2
    for f; do want="${want}wrote $dir/$f"$'\n'; done
    [ "$(cat "$TMP/out")"$'\n' = "$want" ] && pass "$name: says which files it wrote" ||
        fail "$name: says which files it wrote: $(head -c 300 "$TMP/out")"
}
said_written "run" "$TMP/q" convergence.png convergence.svg size.png size.svg \
    front.png front.svg plot.gp
[ ! -e "$TMP/q/plot_median.dat" ] && pass "run: no plot_median.dat" || fail "run: no plot_median.dat"
grep -q "log.csv" "$TMP/q/plot.gp" && pass "run: plot.gp draws log.csv" || fail "run: plot.gp draws log.csv"
redraws "run" "$TMP/q"

# --- a batch: run-000.. run-002, different seeds (and lengths) --------------
for i in 0 1 2; do
    "$FORKGP" run configs/quartic.ini --quiet --seed $((i + 1)) --out "$TMP/b/run-00$i" >/dev/null
done
expect_status 0 "plot a batch" "$FORKGP" plot "$TMP/b"
drawings "batch" "$TMP/b"
said_written "batch" "$TMP/b" convergence.png convergence.svg size.png size.svg \
    plot.gp plot_median.dat
for i in 0 1 2; do
    grep -q "run-00$i/log.csv" "$TMP/b/plot.gp" || fail "batch: plot.gp draws run-00$i/log.csv"
done
# plot_median.dat: per generation, the median over all the runs, a run
# that stopped counting with its last values (quartic's runs stop at the
# target at different generations)
if $PY - "$TMP/b" <<'PYEOF'; then pass "batch: plot_median.dat holds the medians, finished runs carried forward"; else fail "batch: plot_median.dat holds the medians, finished runs carried forward"; fi
import csv, statistics, sys
d = sys.argv[1]
logs = []
for i in range(3):
    with open(f"{d}/run-00{i}/log.csv") as f:
        rows = list(csv.reader(f))
    logs.append({int(r[0]): (float(r[1]), float(r[4])) for r in rows[1:]})
with open(f"{d}/plot_median.dat") as f:
    lines = [l for l in f.read().splitlines() if not l.startswith("#")]
assert lines[0].split(",")[0] == "generation", lines[0]
got = [list(map(float, l.split(","))) for l in lines[1:]]
last = max(max(l) for l in logs)
assert len(got) == last + 1, (len(got), last)
assert len({max(l) for l in logs}) > 1, "the runs should end apart"
for g, best, size in got:
    reached = [l[min(int(g), max(l))] for l in logs]
    want_best = statistics.median(b for b, _ in reached)
    want_size = statistics.median(s for _, s in reached)
    assert abs(best - want_best) <= 1e-12 * abs(want_best), (g, best, want_best)
    assert abs(size - want_size) <= 1e-12 * abs(want_size), (g, size, want_size)
PYEOF
redraws "batch" "$TMP/b"

# The target fitness as a line, a mark where each run reached it, and the
# values of solved runs (mse 1e-32) drawn at a floor that the axis names.
solved=$(grep -l "^stopped = target" "$TMP"/b/run-*/best.txt | wc -l)
grep -q "title 'target 1e-08'" "$TMP/b/plot.gp" && pass "batch: the target fitness is drawn" ||
    fail "batch: the target fitness is drawn"
if [ "$solved" -gt 0 ] && [ "$(sed -n '/^\$solved << EOD/,/^EOD/p' "$TMP/b/plot.gp" | grep -c '^[0-9]')" = "$solved" ] &&
    grep -q "title 'target reached'" "$TMP/b/plot.gp"; then
    pass "batch: each run that reached the target is marked"
else fail "batch: each run that reached the target is marked ($solved solved)"; fi
if grep -q "clip(y) = y < 1e-10 ? 1e-10 : y" "$TMP/b/plot.gp" &&
    grep -q "(below 1e-10 drawn at 1e-10)" "$TMP/b/plot.gp"; then
    pass "batch: solved runs' values are drawn at a floor, and the axis says so"
else fail "batch: solved runs' values are drawn at a floor, and the axis says so"; fi
grep -q "title 'target 1e-08'" "$TMP/q/plot.gp" && pass "run: the target fitness is drawn" ||
    fail "run: the target fitness is drawn"

# --- errors --------------------------------------------------------------------
mkdir -p "$TMP/empty"
expect_status 2 "plot a folder without log.csv" "$FORKGP" plot "$TMP/empty"
expect_err "$TMP/empty" "the folder without log.csv is named"
PATH=/nonexistent "$FORKGP" plot "$TMP/q" >"$TMP/out" 2>"$TMP/err"
[ $? -ne 0 ] && pass "plot without gnuplot fails" || fail "plot without gnuplot fails"
expect_err "gnuplot not found: install gnuplot-nox (make deps)" "plot without gnuplot says what to install"
# A gnuplot that fails: exit 1, said, and no file claimed as written.
mkdir -p "$TMP/badgp"
printf '#!/bin/sh\necho "gnuplot: broken" >&2\nexit 3\n' >"$TMP/badgp/gnuplot"
chmod +x "$TMP/badgp/gnuplot"
PATH="$TMP/badgp:$PATH" expect_status 1 "plot with a failing gnuplot: exit 1" "$FORKGP" plot "$TMP/q"
expect_err "gnuplot failed (exit status 3)" "plot with a failing gnuplot: says so"
[ ! -s "$TMP/out" ] && pass "plot with a failing gnuplot: claims no file" ||
    fail "plot with a failing gnuplot: claims $(head -c 200 "$TMP/out")"

finish
