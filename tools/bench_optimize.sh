#!/usr/bin/env bash
# bench_optimize: what constant optimisation costs end to end, for `make
# bench`. Vladislavleva-4 (configs/vladislavleva4.ini: 5 inputs,
# add/sub/mul/div, constants -5..5) on fresh data of 20, 1,000 and 10,000
# rows, population 1000, GENERATIONS generations, no early stop, one
# process (workers = 0), seeds $SEEDS. For each row count and [optimize]
# setting: the evaluations made, the CPU seconds (user + system of forkgp,
# from the kernel's accounting of the waited-for child), evaluations per
# CPU second, and the cost against method = none.
# With OLD=path/to/an/older/forkgp, that binary's method = none runs too
# (the same configuration with [optimize] left out), to show that none
# costs what a build without constant optimisation cost.
# Figures only: nothing is asserted.
# Usage: tools/bench_optimize.sh [FORKGP]
# Environment: SEEDS (default "1 2 3"), GENERATIONS (default 10),
#              ROWS (default "20 1000 10000"), OLD.
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -eu
forkgp=${1:-build/forkgp}
root=$(cd "$(dirname "$0")/.." && pwd)
seeds=${SEEDS:-1 2 3}
generations=${GENERATIONS:-10}
rows=${ROWS:-20 1000 10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
# Copies, so that a rebuild while the benchmark runs cannot touch them
cp "$forkgp" "$tmp/forkgp" && forkgp=$tmp/forkgp
if [ -n "${OLD:-}" ]; then cp "$OLD" "$tmp/forkgp-old" && OLD=$tmp/forkgp-old; fi

# data N: Vladislavleva-4's target on N points drawn uniformly from
# [0.05, 6.05]^5 (its training distribution), a fixed seed per N
data() {
    $PY - "$1" "$tmp/v4-$1.csv" <<'PYEOF'
import random, sys
n, path = int(sys.argv[1]), sys.argv[2]
r = random.Random(n)
with open(path, "w") as f:
    f.write("x1,x2,x3,x4,x5,y\n")
    for _ in range(n):
        x = [r.uniform(0.05, 6.05) for _ in range(5)]
        y = 10 / (5 + sum((v - 3) ** 2 for v in x))
        f.write(",".join(repr(v) for v in x + [y]) + "\n")
PYEOF
}

# cost BINARY N LABEL SETS...: one line of the table, summed over the seeds
cost() {
    local bin=$1 n=$2 label=$3
    shift 3
    $PY - "$bin" "$n" "$label" "$root/configs/vladislavleva4.ini" \
        "$tmp/v4-$n.csv" "$generations" "$tmp/run" "$@" -- $seeds <<'PYEOF'
import os, resource, shutil, subprocess, sys
bin, n, label, ini, train, gens, out = sys.argv[1:8]
rest = sys.argv[8:]
sets, seeds = [s for s in rest[:rest.index("--")] if s], rest[rest.index("--") + 1:]
evals = cpu = 0.0
for seed in seeds:
    shutil.rmtree(out, ignore_errors=True)
    args = [bin, "run", ini, "--quiet", "--seed", seed, "--out", out,
            "--set", "data.train=" + train, "--set", "data.test=",
            "--set", "run.generations=" + gens, "--set", "run.workers=0",
            "--set", "fitness.target_fitness=none"]
    for s in sets:
        args += ["--set", s]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    for line in open(os.path.join(out, "best.txt")):
        if line.startswith("evaluations = "):
            evals += int(line.split("=")[1])
print("| %s | %s | %d | %.2f | %.3g |" % (n, label, evals, cpu, evals / cpu))
PYEOF
}

echo "| rows | setting | evaluations | CPU s | evaluations/s |"
echo "|---:|---|---:|---:|---:|"
for n in $rows; do
    data "$n"
    if [ -n "${OLD:-}" ]; then
        cost "$OLD" "$n" "older build" ""
    fi
    cost "$forkgp" "$n" "none" optimize.method=none
    cost "$forkgp" "$n" "lm, share 0.1, 10 iterations" optimize.method=lm \
        optimize.share=0.1 optimize.iterations=10
    cost "$forkgp" "$n" "lm, share 1, 10 iterations" optimize.method=lm \
        optimize.share=1 optimize.iterations=10
done
