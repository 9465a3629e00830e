#!/bin/sh
# test_load: make test on a loaded machine. Starts BUSY processes that spin
# (8 by default), runs make test RUNS times in a row (3 by default) beside
# them, stops them, and reports each run's summary line, its time, and the
# least and the mean of the load average (sampled every 10 s) while it ran.
# Exits 1 when any run failed.
# Usage: tools/test_load.sh [RUNS] [BUSY]   (make test-load RUNS=1 BUSY=8)
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
runs=${1:-3}
busy=${2:-8}
log=${BUILD:-build}/test-load
mkdir -p "$log"
pids=""
stop() {
    for p in $pids $sampler; do kill "$p" 2>/dev/null; done
    for p in $pids $sampler; do wait "$p" 2>/dev/null; done
    pids=""
    sampler=""
}
# The 1-minute load average every 10 s, into a file per run.
sampler=""
sample() {
    while :; do
        cut -d' ' -f1 /proc/loadavg >>"$1" 2>/dev/null
        sleep 10
    done
}
trap 'stop; exit 130' INT TERM HUP
trap stop EXIT
i=0
while [ "$i" -lt "$busy" ]; do
    sh -c 'while :; do :; done' &
    pids="$pids $!"
    i=$((i + 1))
done
echo "test-load: $busy busy processes on $(nproc) CPUs, $runs runs of make test"
status=0
report=""
start=$(date +%s)
run=1
while [ "$run" -le "$runs" ]; do
    t0=$(date +%s)
    : >"$log/load-$run.txt"
    sample "$log/load-$run.txt" &
    sampler=$!
    ${MAKE:-make} --no-print-directory test >"$log/run-$run.log" 2>&1 || status=1
    kill "$sampler" 2>/dev/null
    wait "$sampler" 2>/dev/null
    sampler=""
    t1=$(date +%s)
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log/run-$run.log" | tail -1)
    [ -n "$line" ] || line="no summary (see $log/run-$run.log)"
    load=$(awk 'NR == 1 || $1 < min { min = $1 } { sum += $1 }
        END { if (NR) printf "load average %.1f at least, %.1f on average", min, sum / NR }' \
        "$log/load-$run.txt")
    report="$report
run $run: $line, $((t1 - t0)) s, $load"
    echo "test-load: run $run: $line, $((t1 - t0)) s, $load"
    grep '^FAIL ' "$log/run-$run.log" | sed 's/^/    /'
    run=$((run + 1))
done
stop
echo "== test-load ($busy busy processes, $(nproc) CPUs, $(($(date +%s) - start)) s)$report"
exit $status
