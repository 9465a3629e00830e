#!/usr/bin/env bash
# bench_farm: the worker farm's cost and parallel efficiency, for `make
# bench`. With the busy test plug-in (tests/plugins/busy.c), which spins
# for a set time per evaluation:
#   overhead   wall time per individual of null work, workers 1 and 2,
#              beside workers = 0 (no farm)
#   E(N)       T1 / (N x TN) for 10 us, 100 us and 1 ms per individual,
#              population 1000, 20 generations
# Usage: tools/bench_farm.sh [FORKGP] [N...]   (default N: 1 2)
# Environment: BUSY_SO, the busy plug-in already built (where no compiler
# is at hand); by default it is built here with cc.
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -eu
forkgp=${1:-build/forkgp}
shift || true
counts=${*:-1 2}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -n "${BUSY_SO:-}" ]; then
    cp "$BUSY_SO" "$tmp/busy.so"
else
    cc -shared -fPIC -O2 -Ifitness -o "$tmp/busy.so" tests/plugins/busy.c
fi
gens=20
pop=1000
cat >"$tmp/busy.ini" <<INI
[run]
population = $pop
generations = $gens
[fitness]
function = ./busy.so
INI

# wall W MICROS: seconds of evaluation for W workers (from timing.csv)
wall() {
    "$forkgp" run "$tmp/busy.ini" --quiet --set run.workers="$1" \
        --set busy.micros="$2" --out "$tmp/out" >/dev/null
    awk -F, 'NR > 1 { s += $2 } END { printf "%.6f", s }' "$tmp/out/timing.csv"
}

evals=$((pop * (gens + 1)))
echo "farm overhead (null work, $evals evaluations):"
for w in 0 $counts; do
    t=$(wall "$w" 0)
    awk -v t="$t" -v n="$evals" -v w="$w" \
        'BEGIN { printf "  workers %2d: %7.2f us per individual\n", w, 1e6 * t / n }'
done
echo "parallel efficiency E(N) = T1 / (N x TN), population $pop, $gens generations:"
for us in 10 100 1000; do
    t1=$(wall 1 "$us")
    line=$(printf "  %5s us:" "$us")
    for n in $counts; do
        tn=$(wall "$n" "$us")
        line="$line $(awk -v a="$t1" -v b="$tn" -v n="$n" 'BEGIN { printf "E(%d)=%.3f", n, a / (n * b) }')"
    done
    echo "$line"
done
