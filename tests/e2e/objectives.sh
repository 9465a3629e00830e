#!/usr/bin/env bash
# NSGA-II on a plug-in's further objectives (fgp_set_objectives):
# tests/plugins/objectives.c scores the error against x^2 and, as
# objectives, against 1 - x and the largest error. The same bytes for any
# worker count and after kill -9 and resume; front.csv is exactly the
# non-dominated set of the last population on every objective; other
# selection methods ignore the declaration; a count out of range is
# refused by name.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/o"
cc -shared -fPIC -O2 -Ifitness -o "$TMP/o/objectives.so" tests/plugins/objectives.c ||
    fail "cannot build tests/plugins/objectives.c"
# ini COUNT: a configuration declaring COUNT objectives
ini() {
    printf '[fitness]\nfunction = %s\n[run]\npopulation = 300\n[objectives]\ncount = %s\n' \
        "$TMP/o/objectives.so" "$1" >"$TMP/o/c$1.ini"
    echo "$TMP/o/c$1.ini"
}
# run INI OUT ARGS...: 10 generations of NSGA-II, seed 5
run() {
    local conf=$1 out=$2
    shift 2
    "$FORKGP" run "$conf" --quiet --seed 5 --set run.generations=10 \
        --set selection.method=nsga2 --out "$out" "$@" >/dev/null 2>"$TMP/o/err"
}

# --- the same bytes for workers 0, 1, 3 -----------------------------------------
for count in 1 2; do
    conf=$(ini $count)
    for w in 0 1 3; do
        run "$conf" "$TMP/o/w$count-$w" --set run.workers=$w ||
            { fail "$count objectives, $w workers: exit nonzero"; head -3 "$TMP/o/err"; }
    done
    same_outputs "$TMP/o/w$count-0" "$TMP/o/w$count-1" &&
        same_outputs "$TMP/o/w$count-0" "$TMP/o/w$count-3" &&
        pass "$count objectives: the same bytes for workers 0, 1, 3" ||
        fail "$count objectives: outputs differ between worker counts"
done

# --- front.csv: the non-dominated set of the last population -------------------
# population.csv holds the survivors with every objective; front.csv must
# hold each of its non-dominated points (error, size, objectives) once,
# and nothing else.
for count in 1 2; do
    $PY - "$TMP/o/w$count-0" "$count" <<'PYEOF' &&
import csv, sys
d, k = sys.argv[1], int(sys.argv[2])
obj = ["objective%d" % j for j in range(1, k + 1)]
pop = list(csv.DictReader(open(d + "/population.csv")))
front = list(csv.DictReader(open(d + "/front.csv")))
assert list(pop[0].keys())[4:4 + k] == obj, list(pop[0].keys())
assert list(front[0].keys())[3:3 + k] == obj, list(front[0].keys())
pts = {(float(r["fitness"]), int(r["size"])) + tuple(float(r[o]) for o in obj)
       for r in pop if r["status"] == "ok"}
dom = lambda a, b: all(x <= y for x, y in zip(a, b)) and a != b
first = {p for p in pts if not any(dom(q, p) for q in pts)}
rows = [(float(r["train_fitness"]), int(r["size"])) + tuple(float(r[o]) for o in obj)
        for r in front]
assert len(rows) == len(set(rows)), "a point twice"
assert set(rows) == first, (sorted(set(rows) ^ first))[:5]
# The first front is more than the (error, size) front: the objectives count.
two = {p for p in pts if not any(q[0] <= p[0] and q[1] <= p[1] and q[:2] != p[:2] for q in pts)}
assert len(first) > len(two), (len(first), len(two))
PYEOF
        pass "$count objectives: front.csv is the non-dominated set of the last population on every objective" ||
        fail "$count objectives: front.csv is not the last population's first front"
done
# The objectives change the search: count 0 (error and size alone) is
# another run, whose front.csv and population.csv have no objective column.
run "$(ini 0)" "$TMP/o/w0-0" --set run.workers=0 || fail "0 objectives: exit nonzero"
! cmp -s "$TMP/o/w0-0/log.csv" "$TMP/o/w1-0/log.csv" &&
    [ "$(head -1 "$TMP/o/w0-0/front.csv")" = "size,train_fitness,test_fitness,program" ] &&
    [ "$(head -1 "$TMP/o/w0-0/population.csv")" = "index,status,fitness,size,program" ] &&
    pass "0 objectives: another search, and no objective columns" ||
    fail "0 objectives: the same search as 1, or objective columns"

# --- other selection methods ignore them ----------------------------------------
for count in 0 2; do
    "$FORKGP" run "$(ini $count)" --quiet --seed 5 --set run.generations=6 \
        --set run.workers=0 --out "$TMP/o/t$count" >/dev/null 2>&1 ||
        fail "tournament, $count objectives: exit nonzero"
done
same_outputs "$TMP/o/t0" "$TMP/o/t2" &&
    pass "tournament: a plug-in's objectives change nothing, byte for byte" ||
    fail "tournament: declared objectives change the run"

# --- kill -9 and resume: the checkpoint holds the objectives --------------------
conf=$(ini 2)
big=(--set run.population=1500 --set run.generations=24
     --set output.checkpoint_every=2 --set output.checkpoint_seconds=0)
run "$conf" "$TMP/o/ref" "${big[@]}" || fail "resume: the reference run exits nonzero"
"$FORKGP" run "$conf" --quiet --seed 5 --set selection.method=nsga2 "${big[@]}" \
    --out "$TMP/o/k" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 1000); do
    [ -f "$TMP/o/k/checkpoint.bin" ] && [ -f "$TMP/o/k/log.csv" ] &&
        [ "$(wc -l <"$TMP/o/k/log.csv")" -gt 6 ] && break
    kill -0 $pid 2>/dev/null || break
    sleep 0.01
done
kill -9 $pid 2>/dev/null || echo "     (the run ended before the kill)"
wait $pid 2>/dev/null
"$FORKGP" resume "$TMP/o/k" --workers 2 --quiet >/dev/null 2>"$TMP/o/err" &&
    same_outputs "$TMP/o/ref" "$TMP/o/k" &&
    pass "kill -9 after generation 5, resumed with 2 workers: the uninterrupted run's bytes" ||
    { fail "kill -9 and resume: exit nonzero or other bytes"; head -3 "$TMP/o/err"; }

# --- a count out of range is refused, naming the plug-in ------------------------
for spec in "check 3" "check -1" "run 3"; do
    set -- $spec
    out=()
    [ "$1" = run ] && out=(--out "$TMP/o/bad$2")
    "$FORKGP" $1 "$(ini "$2")" "${out[@]}" >/dev/null 2>"$TMP/o/err"
    st=$?
    [ $st = 2 ] && grep -qxF "forkgp: fitness 'objectives': fgp_set_objectives: $2 objectives, expected 0..2 (scores[1..count] of its 3 scores)" "$TMP/o/err" &&
        pass "count $2: forkgp $1 exits 2, naming the plug-in and the range" ||
        { fail "count $2: forkgp $1 exits $st"; head -3 "$TMP/o/err"; }
done

finish
