#!/usr/bin/env bash
# bench_scaling: how the worker farm scales with the cores, for `make
# bench` (and by hand on a machine with many). Two tables:
#   E(N)      tools/bench_farm.sh with N workers (the busy plug-in: a set
#             time per evaluation; overhead and parallel efficiency)
#   quartic   quartic with 10,000 rows, population 1000, 50 generations,
#             no early stop, seeds $SEEDS: evolution time (timing.csv, the
#             span DEAP's figure covers) summed over the seeds, for each
#             worker count, its speed-up over workers = 0, and that
#             speed-up over N (E(N) against one process without a farm)
# Figures only: nothing is asserted.
# Usage: tools/bench_scaling.sh [FORKGP] [N...]   (default N: 1, 2, 4, ...
# up to the CPUs this process may use, and that number)
# Environment: SEEDS (default "1 2 3").
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -eu
forkgp=${1:-build/forkgp}
shift || true
cpus=$(nproc)
default=""
for ((n = 1; n < cpus; n *= 2)); do default="$default $n"; done
counts=${*:-$default $cpus}
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=${SEEDS:-1 2 3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "CPUs: $(nproc) usable, $(getconf _NPROCESSORS_ONLN) online"
"$root/tools/bench_farm.sh" "$forkgp" $counts
echo

# evolution WORKERS: seconds of evolution summed over the seeds.
evolution() {
    local sum=0 seed t
    for seed in $seeds; do
        rm -rf "$tmp/run"
        "$forkgp" run "$root/configs/quartic.ini" --quiet \
            --set run.population=1000 --set run.generations=50 \
            --set fitness.target_fitness=none --set run.workers="$1" \
            --set run.seed="$seed" \
            --set data.train="$root/configs/data/quartic10k.csv" \
            --out "$tmp/run" >/dev/null
        t=$(awk -F, 'NR == 2 { first = $3; eval0 = $2 } NR > 1 { last = $3 }
            END { printf "%.6f", last - first + eval0 }' "$tmp/run/timing.csv")
        sum=$(awk -v a="$sum" -v b="$t" 'BEGIN { printf "%.6f", a + b }')
    done
    echo "$sum"
}

echo "quartic, 10,000 rows, population 1000 x 50 generations, seeds $seeds" \
    "(evolution seconds summed):"
printf "%8s %12s %9s %7s\n" workers "evolution s" speed-up "E(N)"
t0=$(evolution 0)
printf "%8s %12.3f %9s %7s\n" 0 "$t0" 1.00 -
for n in $counts; do
    tn=$(evolution "$n")
    printf "%8s %12.3f %9.2f %7.3f\n" "$n" "$tn" \
        "$(awk -v a="$t0" -v b="$tn" 'BEGIN { print a / b }')" \
        "$(awk -v a="$t0" -v b="$tn" -v n="$n" 'BEGIN { print a / (n * b) }')"
done
