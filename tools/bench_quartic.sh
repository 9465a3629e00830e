#!/bin/sh
# bench_quartic: wall time of quartic, population 1000 x 50 generations,
# with no early stop (for `make bench`).
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
forkgp=${1:-build/forkgp}
out=$(mktemp -d)
start=$(date +%s.%N)
"$forkgp" run configs/quartic.ini --quiet --set run.population=1000 \
    --set run.generations=50 --set fitness.target_fitness=none \
    --set run.workers=0 \
    --out "$out" >/dev/null || exit 1
end=$(date +%s.%N)
rm -rf "$out"
echo "quartic, population 1000 x 50 generations, workers 0:" \
    "$(awk "BEGIN { printf \"%.3f\", $end - $start }") s wall"
