#!/usr/bin/env bash
# bench_contain: what containment costs.
#   start    wall time per worker start, workers in a PID namespace
#            (the default) beside FORKGP_CONTAIN=reaper: a plug-in whose
#            every evaluation exits (tests/plugins/faulty.c, mode = exit)
#            costs its worker, so a run of P individuals starts about 3 P
#            workers (each evaluation is tried three times)
#   timeout  wall time per evaluation of null work (tests/plugins/busy.c)
#            with eval_timeout = 0 and = 100: the worker's CPU-time timer,
#            armed and disarmed around each evaluation
# Each figure is the best of REPEAT runs (default 3).
# Usage: tools/bench_contain.sh [FORKGP]
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -eu
forkgp=$(realpath "${1:-build/forkgp}")
repeat=${REPEAT:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for p in faulty busy; do
    cc -shared -fPIC -O2 -Ifitness -o "$tmp/$p.so" "tests/plugins/$p.c"
done
cat >"$tmp/exit.ini" <<INI
[run]
population = 200
generations = 0
workers = 2
restart_limit = 1
[fitness]
function = ./faulty.so
[faulty]
mode = exit
every = 1
INI
cat >"$tmp/busy.ini" <<INI
[run]
population = 1000
generations = 20
workers = 2
[fitness]
function = ./busy.so
[busy]
micros = 0
INI
# best SECONDS-PER-UNIT UNITS CMD...: the best of $repeat runs, per unit
best() {
    local units=$1 b="" t0 t1 s
    shift
    for _ in $(seq "$repeat"); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || true
        t1=$(date +%s%N)
        s=$(((t1 - t0) / 1000))
        [ -z "$b" ] || [ "$s" -lt "$b" ] && b=$s
    done
    awk -v us="$b" -v n="$units" 'BEGIN { printf "%.1f us", us / n }'
}
starts=$((3 * 200))
echo "worker start, PID namespace:  $(best $starts "$forkgp" run "$tmp/exit.ini" --quiet --out "$tmp/o1")"
echo "worker start, reaper only:    $(FORKGP_CONTAIN=reaper best $starts "$forkgp" run "$tmp/exit.ini" --quiet --out "$tmp/o2")"
evals=$((1000 * 21))
echo "evaluation, no eval_timeout:  $(best $evals "$forkgp" run "$tmp/busy.ini" --quiet --out "$tmp/o3")"
echo "evaluation, eval_timeout 100: $(best $evals "$forkgp" run "$tmp/busy.ini" --quiet --set run.eval_timeout=100 --out "$tmp/o4")"
