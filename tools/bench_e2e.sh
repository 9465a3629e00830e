#!/usr/bin/env bash
# bench_e2e: end-to-end wall time of quartic symbolic regression,
# population 1000 x 50 generations, no early stop (for `make bench`):
# forkgp with workers 0, 1, 2 and auto beside DEAP (tools/deap_quartic.py:
# its symbreg example set up as configs/quartic.ini, one process), on 20
# rows (configs/data/quartic.csv) and 10,000 rows
# (configs/data/quartic10k.csv). Figures only: nothing is asserted.
#
# Each search is run with seeds 1 to 5 and the times are summed: how big
# the programs grow, and so how much work a run does, depends on the seed
# (by 4 times between seeds, on either side), so one seed's ratio says
# little. forkgp's time for a seed is the best of 3 runs (the runs are
# identical but for their timings); DEAP's is one run.
#   process s    wall time of `forkgp run` (process start to exit: setup,
#                data, evolution, the final population.csv and best.txt)
#   evolution s  the same span as DEAP's figure: from generation 0's
#                evaluation to the last generation's report (timing.csv),
#                with the per-generation log and the checkpoints (durable:
#                written, fsync'd, renamed; generation 0's, then every 10
#                generations at most once a second) that DEAP does not do
#   GPops/s      evaluated nodes (timing.csv) x rows over the evolution
#   DEAP-KR s    tools/deap_quartic.py's evolution time (Python's start,
#                imports, the CSV load and the setup excluded), numpy
#                evaluating whole columns, with forkgp's default crossover
#                (Koza's points: a function node 90% of the time, the root
#                included; `koza`): the same operators as forkgp's run
#   x ...        DEAP's time over forkgp's (above 1: forkgp faster)
#   DEAP s       the same with symbreg.py's own crossover (cxOnePoint:
#                points uniform over the nodes, never the root), a
#                different operator that grows smaller programs
#   x wall       DEAP-KR's whole python3 processes (start, imports, CSV
#                load) over forkgp's processes: wall time against wall time
#   DEAP GPops/s the nodes DEAP-KR evaluated times the rows, over its time
#                (each search evolves its own programs: the two do not do
#                the same work)
# Below the table: forkgp with DEAP's rule for crossover points
# (root_crossover = never) beside DEAP-K (cxOnePointLeafBiased: Koza's
# points without the root, the same operator), DEAP with symbreg.py's own
# point-by-point evaluation on 20 rows (seed 1), where forkgp's time goes,
# and the 10,000-row search with sin, cos, exp and log added beside DEAP
# with the same functions.
# Usage: tools/bench_e2e.sh [FORKGP]   (default build/forkgp)
# Environment: SEEDS (default "1 2 3 4 5"), ROWS (default "20 10000"; the
# search with sin, cos, exp and log runs only with 10000 among them), to
# average over more seeds where the time allows: how large the programs
# grow varies so much by seed that five seeds' sums can be 1.5 to 2 times
# apart from the mean, on either side.
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -eu
forkgp=${1:-build/forkgp}
root=$(cd "$(dirname "$0")/.." && pwd)
pop=1000
gens=50
seeds=${SEEDS:-1 2 3 4 5}
rows_list=${ROWS:-20 10000}
forkgp_runs=3 # each forkgp configuration and seed: the best of this many
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A python3 with Debian's python3-deap (pyenv and the like may shadow it).
py=""
for p in python3 /usr/bin/python3; do
    if "$p" -c "import deap, numpy" 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || echo "bench_e2e: python3-deap not installed; DEAP skipped" \
    "(apt-get install python3-deap)"

# stamp VAR: the time now, in seconds, into VAR; bash's own clock where it
# has one (no process started, so none timed with forkgp's).
stamp() {
    if [ -n "${EPOCHREALTIME:-}" ]; then
        printf -v "$1" '%s' "${EPOCHREALTIME/,/.}"
    else
        printf -v "$1" '%s' "$(date +%s.%N)"
    fi
}
add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", a + b }'; }

# run_deap CSV MODE: DEAP over every seed; sets deap_s (summed seconds of
# evolution, "-" without DEAP), deap_wall_s (summed wall time of the whole
# python3 process: its start, imports and CSV load too) and deap_nodes
# (summed evaluated nodes).
run_deap() {
    deap_s="-" deap_wall_s="-" deap_nodes=0
    [ -n "$py" ] || return 0
    deap_s=0 deap_wall_s=0
    local start end
    for seed in $seeds; do
        stamp start
        out=$("$py" "$root/tools/deap_quartic.py" "$1" $pop $gens $seed $2)
        stamp end
        deap_wall_s=$(awk -v s="$start" -v e="$end" -v a="$deap_wall_s" \
            'BEGIN { printf "%.6f", a + e - s }')
        deap_s=$(add "$deap_s" \
            "$(echo "$out" | sed -n 's/^deap_seconds=\([^ ]*\).*/\1/p')")
        deap_nodes=$(add "$deap_nodes" \
            "$(echo "$out" | sed -n 's/^deap_evaluated_nodes=//p')")
    done
}

# run_forkgp CSV WORKERS [--set ...]: forkgp over every seed, each the best of
# $forkgp_runs runs; sets process_s, evo_s and nodes (summed over the seeds)
# and split (breeding, scoring, the rest: summed).
run_forkgp() {
    local csv=$1 w=$2
    shift 2
    process_s=0 evo_s=0 nodes=0 split="0 0 0"
    for seed in $seeds; do
        local best=""
        for _ in $(seq $forkgp_runs); do
            rm -rf "$tmp/run"
            local start end t
            stamp start
            "$forkgp" run "$root/configs/quartic.ini" --quiet \
                --set run.population=$pop --set run.generations=$gens \
                --set fitness.target_fitness=none --set run.workers="$w" \
                --set run.seed=$seed --set data.train="$csv" "$@" \
                --out "$tmp/run" >/dev/null
            stamp end
            t=$(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.6f", e - s }')
            if [ -z "$best" ] || awk -v t="$t" -v b="$best" 'BEGIN { exit !(t < b) }'; then
                best=$t
                rm -rf "$tmp/best"
                mv "$tmp/run" "$tmp/best"
            fi
        done
        process_s=$(add "$process_s" "$best")
        # timing.csv: generation,eval_seconds,elapsed_seconds,breed_seconds,
        # evaluations,evaluated_nodes
        evo_s=$(add "$evo_s" "$(awk -F, 'NR == 2 { first = $3; eval0 = $2 }
            NR > 1 { last = $3 } END { printf "%.6f", last - first + eval0 }' \
            "$tmp/best/timing.csv")")
        nodes=$(add "$nodes" "$(awk -F, 'NR > 1 { n += $6 }
            END { printf "%.0f", n }' "$tmp/best/timing.csv")")
        split=$(awk -F, -v s="$split" 'NR == 2 { first = $3; eval0 = $2 }
            NR > 1 { e += $2; b += (NR > 2) ? $4 : 0; last = $3 }
            END { split(s, a, " "); v = last - first + eval0
                  printf "%.6f %.6f %.6f", a[1] + b, a[2] + e,
                      a[3] + v - b - e }' "$tmp/best/timing.csv")
    done
}

seconds() { awk -v d="$1" \
    'BEGIN { print (d == "-") ? "-" : sprintf("%.2f", d) }'; }
ratio() { awk -v d="$1" -v t="$2" \
    'BEGIN { print (d == "-") ? "-" : sprintf("%.1f", d / t) }'; }

echo "quartic, population $pop x $gens generations, no early stop, seeds" \
    "$seeds (times summed):"
printf "%6s %7s %10s %12s %9s %9s %9s %11s %7s %7s %9s %12s\n" rows \
    workers "process s" "evolution s" "GPops/s" "DEAP-KR s" "x process" \
    "x evolution" "x wall" "DEAP s" "x process" "DEAP GPops/s"
splits=""
for rows in $rows_list; do
    case $rows in
    20) csv=$root/configs/data/quartic.csv ;;
    *) csv=$root/configs/data/quartic10k.csv ;;
    esac
    run_deap "$csv" koza
    same_s=$deap_s same_nodes=$deap_nodes same_wall_s=$deap_wall_s
    run_deap "$csv" ""
    uniform_s=$deap_s
    run_deap "$csv" leaf
    eval "koza_$rows=\$deap_s same_$rows=\$same_s"
    for w in 0 1 2 auto; do
        run_forkgp "$csv" "$w"
        dg=$(awk -v n="$same_nodes" -v r="$rows" -v d="$same_s" \
            'BEGIN { print (d == "-") ? "-" : sprintf("%.2e", n * r / d) }')
        printf "%6d %7s %10.3f %12.3f %9.2e %9s %9s %11s %7s %7s %9s %12s\n" \
            "$rows" "$w" "$process_s" "$evo_s" \
            "$(awk -v g="$nodes" -v r="$rows" -v v="$evo_s" \
                'BEGIN { print g * r / v }')" \
            "$(seconds "$same_s")" "$(ratio "$same_s" "$process_s")" \
            "$(ratio "$same_s" "$evo_s")" \
            "$(ratio "$same_wall_s" "$process_s")" "$(seconds "$uniform_s")" \
            "$(ratio "$uniform_s" "$process_s")" "$dg"
        splits="$splits$(printf "%6d %7s %10.3f %10.3f %10.3f" "$rows" "$w" $split)
"
    done
done

# forkgp with DEAP's rule for crossover points (no roots: root_crossover =
# never) and Koza's 90/10, beside DEAP-K, which has the same operator.
echo
echo "forkgp with operators.root_crossover = never (DEAP's crossover points"
echo "with Koza's 90/10, as DEAP-K), workers auto, seeds $seeds (summed):"
printf "%6s %10s %12s %9s %9s %11s\n" rows "process s" "evolution s" \
    "DEAP-K s" "x process" "x evolution"
for rows in $rows_list; do
    case $rows in
    20) csv=$root/configs/data/quartic.csv k=$koza_20 ;;
    *) csv=$root/configs/data/quartic10k.csv k=$koza_10000 ;;
    esac
    run_forkgp "$csv" auto --set operators.root_crossover=never
    printf "%6d %10.3f %12.3f %9s %9s %11s\n" "$rows" "$process_s" "$evo_s" \
        "$(seconds "$k")" "$(ratio "$k" "$process_s")" \
        "$(ratio "$k" "$evo_s")"
done

# What the durable checkpoints cost: the default search again without the
# periodic ones (output.checkpoint_every = 0). DEAP writes none.
echo
echo "forkgp's defaults without periodic checkpoints (output.checkpoint_every"
echo "= 0; the default writes generation 0's, then one every 10 generations"
echo "at most once a second, durably), workers auto, seeds $seeds (summed):"
printf "%6s %10s %12s %9s %9s %11s\n" rows "process s" "evolution s" \
    "DEAP-KR s" "x process" "x evolution"
for rows in $rows_list; do
    case $rows in
    20) csv=$root/configs/data/quartic.csv ;;
    *) csv=$root/configs/data/quartic10k.csv ;;
    esac
    eval "k=\$same_$rows"
    run_forkgp "$csv" auto --set output.checkpoint_every=0
    printf "%6d %10.3f %12.3f %9s %9s %11s\n" "$rows" "$process_s" "$evo_s" \
        "$(seconds "$k")" "$(ratio "$k" "$process_s")" \
        "$(ratio "$k" "$evo_s")"
done

# DEAP's own example evaluates point by point in Python floats: on 20
# rows that is slower than numpy's columns (so not the one compared).
if [ -n "$py" ]; then
    d=$("$py" "$root/tools/deap_quartic.py" "$root/configs/data/quartic.csv" \
        $pop $gens 1 points | sed -n 's/^deap_seconds=\([^ ]*\).*/\1/p')
    echo "(DEAP on 20 rows, seed 1, with symbreg.py's own evaluation, point"
    echo "by point in Python floats: $d s; the table compares with numpy's"
    echo "columns, the faster)"
fi
echo
echo "where forkgp's evolution time goes (timing.csv, summed over the seeds):"
echo "breeding, scoring (evaluations, twins, statistics), the rest (log.csv"
echo "and the checkpoints, each written, fsync'd and renamed):"
printf "%6s %7s %10s %10s %10s\n" rows workers "breed s" "score s" "rest s"
printf "%s" "$splits"

# The same search on 10,000 rows with sin, cos, exp and log added: most of
# the time then goes to those functions, which numpy runs in vector loops
# as forkgp does (engine/vmath.h). Seeds 1 and 2 (these runs are long).
case " $rows_list " in
*" 10000 "*) ;;
*) exit 0 ;;
esac
trig=add,sub,mul,div,sin,cos,exp,log
csv=$root/configs/data/quartic10k.csv
seeds="1 2"
forkgp_runs=1
echo
echo "10,000 rows, functions $trig, seeds $seeds (summed):"
deap_trig_s="-" deap_trig_nodes=0
if [ -n "$py" ]; then
    run_deap "$csv" trig
    deap_trig_s=$deap_s deap_trig_nodes=$deap_nodes
fi
for w in 0 2; do
    run_forkgp "$csv" "$w" --set primitives.functions=$trig
    awk -v w="$w" -v t="$process_s" -v d="$deap_trig_s" -v g="$nodes" \
        -v dn="$deap_trig_nodes" 'BEGIN {
        printf "  workers %s: %.3f s, %.2e GPops/s; DEAP %s s, %s GPops/s; x %s\n",
            w, t, g * 10000 / t, (d == "-") ? "-" : sprintf("%.2f", d),
            (d == "-") ? "-" : sprintf("%.2e", dn * 10000 / d),
            (d == "-") ? "-" : sprintf("%.1f", d / t) }'
done
