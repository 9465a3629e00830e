#!/usr/bin/env bash
# The worker farm end to end: the same bytes for any worker count, faults
# contained (each misbehaving evaluation costs its score, nothing else), no
# process left behind, and signals.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/f"
for p in faulty busy ledger; do
    cc -shared -fPIC -O2 -Ifitness -o "$TMP/f/$p.so" "tests/plugins/$p.c" ||
        fail "cannot build tests/plugins/$p.c"
done
# leftovers PATTERN: processes whose command line holds PATTERN (a
# worker's descendants, forked without exec, keep forkgp's command line;
# zombies have none). Polls up to 10 s for them to go: the check is that
# they go, not how fast on a busy machine.
leftovers() {
    local left
    for _ in $(seq 100); do
        left=$(pgrep -f -- "$1" | tr '\n' ' ')
        [ -z "$left" ] && return
        sleep 0.1
    done
    echo "$left"
}
# kill_leftovers PATTERN: ends what a failed check left, by pid
kill_leftovers() {
    local p
    for p in $(pgrep -f -- "$1"); do kill -9 "$p" 2>/dev/null; done
}

# --- the same bytes for workers = 0, 1, 2, 3 and 8 --------------------------
for ini in configs/quartic.ini configs/keijzer6.ini examples/subsample.ini; do
    name=$(basename "$ini" .ini)
    for w in 0 1 2 3 8; do
        "$FORKGP" run "$ini" --quiet --seed 3 --set run.workers=$w \
            --set run.generations=10 --set fitness.target_fitness=none \
            --out "$TMP/w-$name-$w" >/dev/null 2>&1 || fail "$name with $w workers exits nonzero"
    done
    same=1
    for w in 1 2 3 8; do
        same_outputs "$TMP/w-$name-0" "$TMP/w-$name-$w" || same=0
    done
    [ $same = 1 ] && pass "$name: log.csv, best.txt, population.csv, front.csv identical for workers 0, 1, 2, 3, 8" ||
        fail "$name: outputs differ between worker counts"
done

# --- lexicase: the case errors come back with the scores, so the same
# bytes for any worker count; down-sampled cases are drawn alike in every
# process -----------------------------------------------------------------
cc -shared -fPIC -O2 -Ifitness -o "$TMP/f/cases.so" tests/plugins/cases.c ||
    fail "cannot build tests/plugins/cases.c"
printf '[fitness]\nfunction = %s\n[run]\npopulation = 200\n' "$TMP/f/cases.so" >"$TMP/f/cases.ini"
# Cases left unwritten by the plug-in: the worst, not what the process's
# last evaluation wrote there.
printf '[cases]\nhalf = yes\n' | cat "$TMP/f/cases.ini" - >"$TMP/f/half.ini"
for spec in "configs/parity5.ini lexicase 0" "configs/pagie1.ini epsilon_lexicase 0" \
    "configs/pagie1.ini nsga2 0" "configs/multiplexer6.ini nsga2 0" \
    "configs/pagie1.ini epsilon_lexicase 40" "configs/multiplexer6.ini lexicase 16" \
    "$TMP/f/cases.ini lexicase 0" "$TMP/f/half.ini lexicase 0"; do
    set -- $spec
    name="$(basename "$1" .ini) $2 cases=$3"
    for w in 0 1 3; do
        "$FORKGP" run "$1" --quiet --seed 5 --set run.workers=$w \
            --set run.generations=8 --set fitness.target_fitness=none \
            --set selection.method=$2 --set selection.cases=$3 \
            --out "$TMP/lx-$w" >/dev/null 2>"$TMP/lx-err" || { fail "$name with $w workers exits nonzero"; head -3 "$TMP/lx-err"; }
    done
    same_outputs "$TMP/lx-0" "$TMP/lx-1" && same_outputs "$TMP/lx-0" "$TMP/lx-3" &&
        pass "$name: the same bytes for workers 0, 1, 3" ||
        fail "$name: outputs differ between worker counts"
done
# --- islands: bred apart in the parent, scored in one batch, so the same
# bytes for any worker count, with each selection method; migration
# (every 3 generations here) changes the search ----------------------------
for spec in "configs/parity5.ini tournament 4 5" "configs/pagie1.ini epsilon_lexicase 3 2" \
    "configs/pagie1.ini nsga2 2 3" "configs/multiplexer6.ini lexicase 5 0"; do
    set -- $spec
    name="$(basename "$1" .ini) $2, $3 islands, $4 migrants"
    for w in 0 1 3; do
        "$FORKGP" run "$1" --quiet --seed 5 --set run.workers=$w \
            --set run.generations=8 --set fitness.target_fitness=none \
            --set selection.method=$2 --set islands.count=$3 \
            --set islands.migration_size=$4 --set islands.migration_interval=3 \
            --out "$TMP/is-$w" >/dev/null 2>"$TMP/is-err" || { fail "$name with $w workers exits nonzero"; head -3 "$TMP/is-err"; }
    done
    same_outputs "$TMP/is-0" "$TMP/is-1" && same_outputs "$TMP/is-0" "$TMP/is-3" &&
        pass "$name: the same bytes for workers 0, 1, 3" ||
        fail "$name: outputs differ between worker counts"
done
mig() {
    "$FORKGP" run configs/parity5.ini --quiet --seed 5 --set run.workers=0 \
        --set run.generations=8 --set fitness.target_fitness=none \
        --set islands.count=4 --set islands.migration_interval=3 "$@" >/dev/null 2>&1
}
mig --set islands.migration_size=5 --out "$TMP/is-m5"
mig --set islands.migration_size=0 --out "$TMP/is-m0"
mig --set islands.count=1 --out "$TMP/is-one"
"$FORKGP" run configs/parity5.ini --quiet --seed 5 --set run.workers=0 \
    --set run.generations=8 --set fitness.target_fitness=none --out "$TMP/is-none" >/dev/null 2>&1
# Generations 0 to 3 are bred alike; the migration after generation 3 makes
# generation 4 another.
[ "$(sed -n 1,5p "$TMP/is-m5/log.csv")" = "$(sed -n 1,5p "$TMP/is-m0/log.csv")" ] &&
    ! cmp -s "$TMP/is-m5/log.csv" "$TMP/is-m0/log.csv" &&
    pass "islands: migration changes the search after the first interval, not before" ||
    fail "islands: migration_size 5 and 0 give the same run, or differ before the first migration"
same_outputs "$TMP/is-one" "$TMP/is-none" &&
    pass "islands: count = 1 is the run without islands, byte for byte" ||
    fail "islands: count = 1 differs from the run without islands"
expect_status 2 "islands: more islands than pairs of individuals: exit 2" \
    "$FORKGP" check configs/parity5.ini --set islands.count=501
expect_err "islands.count=501: 501 islands in a population of 1000 leave fewer than 2 individuals each" \
    "islands: too many islands refused, naming the key"
expect_status 2 "islands: migrants above half an island: exit 2" \
    "$FORKGP" check configs/parity5.ini --set islands.count=4 --set islands.migration_size=126
expect_err "islands.migration_size=126: 126 is more than half an island of 250 ([islands] count 4): the migrants would replace each other" \
    "islands: too many migrants refused, naming the key"
expect_status 2 "islands: elitism filling an island: exit 2" \
    "$FORKGP" check configs/parity5.ini --set islands.count=100 --set operators.elitism=10
expect_err "operators.elitism=10: 10 leaves no room for offspring in an island of 10 ([islands] count 100)" \
    "islands: elitism that fills an island refused, naming the key"

# NSGA-II: front.csv is the last generation's first front: each row one
# of population.csv's programs, and no program there as good and as small
# as a row's, one better in either (maximised hits: 6-multiplexer).
"$FORKGP" run configs/multiplexer6.ini --quiet --seed 5 --set run.generations=8 \
    --set fitness.target_fitness=none --set selection.method=nsga2 \
    --out "$TMP/lx-ns" >/dev/null 2>&1
$PY - "$TMP/lx-ns" <<'PYEOF' && pass "nsga2: front.csv is the last generation's first front" ||
import csv, sys
d = sys.argv[1]
pop = [(float(r["hits"]), int(r["size"])) for r in csv.DictReader(open(d + "/population.csv")) if r["status"] == "ok"]
front = [(float(r["train_hits"]), int(r["size"])) for r in csv.DictReader(open(d + "/front.csv"))]
assert front and all(f in pop for f in front), "a front row is not in the population"
for h, s in front:
    assert not any(ph >= h and ps <= s and (ph > h or ps < s) for ph, ps in pop), (h, s)
first = {p for p in pop if not any(q[0] >= p[0] and q[1] <= p[1] and q != p for q in pop)}
assert set(front) == first, (sorted(front), sorted(first))
PYEOF
    fail "nsga2: front.csv is not the last generation's first front"

# A plug-in that gives no case errors still runs with tournament, and
# lexicase refuses it by name.
"$FORKGP" run examples/minimal.ini --quiet --set run.generations=2 \
    --set fitness.function="$EXAMPLES/minimal.so" --out "$TMP/lx-min" >/dev/null 2>&1 &&
    pass "a plug-in without case errors runs with tournament" ||
    fail "a plug-in without case errors: tournament run fails"
expect_status 2 "lexicase with a plug-in without case errors: exit 2" \
    "$FORKGP" run examples/minimal.ini --quiet --set selection.method=lexicase \
    --set fitness.function="$EXAMPLES/minimal.so" --out "$TMP/lx-min"
expect_err "selection.method=lexicase: lexicase needs each case's error, and fitness 'minimal' gives none" \
    "lexicase refuses a plug-in without case errors, by name"
expect_status 2 "check: lexicase with a plug-in without case errors: exit 2" \
    "$FORKGP" check examples/minimal.ini --set selection.method=lexicase \
    --set fitness.function="$EXAMPLES/minimal.so"
expect_err "fitness 'minimal' gives none" "check refuses it too, by name"
expect_status 2 "more case errors than a population keeps: exit 2" \
    "$FORKGP" check configs/parity5.ini --set selection.method=lexicase \
    --set run.population=10000000
expect_err "[selection] cases: 32 cases of 10000000 individuals are more errors than forkgp keeps (268435456): set cases to at most 26" \
    "more case errors than a population keeps: refused, saying how many"
expect_status 2 "cases above the fitness's: exit 2" \
    "$FORKGP" run configs/parity5.ini --quiet --set selection.method=lexicase \
    --set selection.cases=33 --out "$TMP/lx-big"
expect_err "selection.cases=33: 33 is more than the 32 cases of fitness 'boolean'" \
    "cases above the fitness's refused, naming the key"

# Constant optimisation tunes in the workers: the tuned constants come
# back with the scores, so the bytes are the same for any worker count,
# and the printed model scores what best.txt says, whether the constants
# are written into the individuals (lamarckian = yes) or kept apart for
# the score and the printed program only (no).
for lam in yes no; do
    for w in 0 1 3; do
        "$FORKGP" run configs/keijzer6.ini --quiet --seed 2 --set run.workers=$w \
            --set run.generations=8 --set fitness.target_fitness=none \
            --set optimize.method=lm --set optimize.share=0.5 \
            --set optimize.lamarckian=$lam \
            --out "$TMP/lm-$lam-$w" >/dev/null 2>&1 ||
            fail "lm, lamarckian = $lam, with $w workers exits nonzero"
    done
    name="optimize.method = lm, lamarckian = $lam"
    same_outputs "$TMP/lm-$lam-0" "$TMP/lm-$lam-1" &&
        same_outputs "$TMP/lm-$lam-0" "$TMP/lm-$lam-3" &&
        pass "$name: the same bytes for workers 0, 1, 3" ||
        fail "$name: outputs differ between worker counts"
    "$FORKGP" eval configs/keijzer6.ini --program "$(head -1 "$TMP/lm-$lam-0/best.txt")" \
        --set fitness.linear_scaling=no >"$TMP/lm.eval" 2>&1
    grep "^train_" "$TMP/lm-$lam-0/best.txt" | cmp -s - <(grep "^train_" "$TMP/lm.eval") &&
        pass "$name: the printed model scores the reported error" ||
        fail "$name: the printed model gives $(grep "^train_" "$TMP/lm.eval")"
done
# Offspring inherit untuned constants when lamarckian = no: the runs part
# after generation 0.
cmp -s "$TMP/lm-yes-0/log.csv" "$TMP/lm-no-0/log.csv" &&
    fail "lamarckian = no: the same log.csv as lamarckian = yes" ||
    pass "lamarckian = no: another search than lamarckian = yes"
[ "$(sed -n 2p "$TMP/lm-yes-0/log.csv")" = "$(sed -n 2p "$TMP/lm-no-0/log.csv")" ] &&
    pass "lamarckian = no: generation 0 scored as with lamarckian = yes" ||
    fail "lamarckian = no: generation 0 differs from lamarckian = yes"

# --- workers = auto with a built-in fitness: evaluations in the parent
# while they are quick (quartic's 20 rows), workers once they are slow
# (50,000 rows); the same bytes as workers = 0 either way -------------------
awk 'BEGIN { print "x,y"; srand(7)
    for (i = 0; i < 50000; i++) { x = 2 * rand() - 1
        printf "%.17g,%.17g\n", x, x * x * x * x + x * x * x + x * x + x } }' \
    >"$TMP/f/big.csv"
cpus=$(nproc)
for data in small big; do
    set_data=()
    [ $data = big ] && set_data=(--set "data.train=$TMP/f/big.csv")
    for w in auto 0; do
        "$FORKGP" run configs/quartic.ini --quiet --seed 3 --set run.workers=$w \
            --set run.generations=4 --set fitness.target_fitness=none \
            "${set_data[@]}" --out "$TMP/auto-$data-$w" >/dev/null 2>&1 ||
            fail "auto: quartic ($data data, workers $w) exits nonzero"
    done
    same=1
    same_outputs "$TMP/auto-$data-0" "$TMP/auto-$data-auto" || same=0
    # One CPU: auto means one worker, which never pays for a built-in.
    # Whether 20 rows stay in the parent depends on the machine's pace (a
    # loaded one makes every evaluation look slow), so only the big data's
    # start is asserted: load only makes it surer.
    want=no
    [ $data = big ] && [ "$cpus" -ge 2 ] && want=yes
    started=$(sed -n 's/^workers_started = //p' "$TMP/auto-$data-auto/manifest.ini")
    [ $data = small ] && want=$started
    [ $same = 1 ] && [ "$started" = $want ] &&
        pass "auto, $data data: workers started: $started, same bytes as workers 0" ||
        fail "auto, $data data: workers started: $started (want $want), same bytes: $same"
done
# Limits only workers enforce: with eval_timeout, auto starts them anyway
# (on one CPU too: one worker).
"$FORKGP" run configs/quartic.ini --quiet --seed 3 --set run.generations=2 \
    --set run.eval_timeout=10 --out "$TMP/auto-limit" >/dev/null 2>&1
started=$(sed -n 's/^workers_started = //p' "$TMP/auto-limit/manifest.ini")
[ "$started" = yes ] && pass "auto with eval_timeout: workers started" ||
    fail "auto with eval_timeout: workers started: $started"
# auto counts the CPUs the run may use (its affinity), not the machine's:
# under taskset -c 0, one worker.
workers=$(sed -n 's/^workers = //p' "$TMP/auto-limit/manifest.ini")
[ "$workers" = "$cpus" ] && pass "auto: $workers workers on $cpus CPUs" ||
    fail "auto: $workers workers on $cpus CPUs"
if command -v taskset >/dev/null; then
    taskset -c 0 "$FORKGP" run configs/quartic.ini --quiet --seed 3 \
        --set run.generations=2 --set run.eval_timeout=10 \
        --out "$TMP/auto-pinned" >/dev/null 2>&1
    workers=$(sed -n 's/^workers = //p' "$TMP/auto-pinned/manifest.ini")
    [ "$workers" = 1 ] && pass "auto under taskset -c 0: 1 worker" ||
        fail "auto under taskset -c 0: $workers workers (want 1)"
fi

# --- faults: each run completes; the faulty individuals get their status;
# every other individual scores as in a fault-free run ----------------------
# The sanitizers reserve terabytes of address space: no limit under them.
# And a plug-in's SIGSEGV must stay a signal, not become ASan's report.
memory=512
if [ -n "${FORKGP_ASAN:-}" ]; then
    memory=0
    export ASAN_OPTIONS=handle_segv=0
fi
cat >"$TMP/f/faulty.ini" <<INI
[run]
population = 200
generations = 0
workers = 2
eval_timeout = 0.1
worker_memory_mb = $memory
[fitness]
function = ./faulty.so
[faulty]
every = 5
INI
"$FORKGP" run "$TMP/f/faulty.ini" --quiet --set faulty.mode=none --out "$TMP/f/ref" >/dev/null 2>&1
# check_fault MODE STATUS: sizes divisible by 5 misbehave
check_fault() {
    local mode=$1 want=$2 out="$TMP/f/$1"
    # eval_timeout = 0.1 counts CPU time: the loop reaches it, a worker
    # that sleeps 0.3 s does not (the wall clock's backstop is 2 s). Every
    # other mode gets a limit that nothing reaches on any machine (filling
    # 512 MiB, or forking a child, can take long on a busy one).
    local extra=(--set run.eval_timeout=30)
    [ "$mode" = loop ] && extra=()
    [ "$mode" = sleep ] && extra=(--set faulty.sleep_ms=300)
    if [ "$mode" = bomb ] && [ -n "${FORKGP_ASAN:-}" ]; then
        pass "$mode: skipped under the sanitizers (they need unlimited address space)"; return; fi
    "$FORKGP" run "$TMP/f/faulty.ini" --quiet --set faulty.mode="$mode" "${extra[@]}" \
        --out "$out" >"$TMP/f/$mode.stdout" 2>"$TMP/f/$mode.stderr"
    local st=$?
    [ $st = 0 ] || { fail "$mode: the run exits $st"; return; }
    if awk -F, -v want="$want" '
        NR == FNR { ref[FNR] = $0; next }
        FNR == 1 { next }
        { rows++ }
        $4 % 5 == 0 { if ($2 != want) bad = bad " " $1 ":" $2; next }
        $0 != ref[FNR] { bad = bad " " $1 ":differs" }
        END { if (rows != 200) bad = bad " rows:" rows; if (bad) { print bad; exit 1 } }
    ' "$TMP/f/ref/population.csv" "$out/population.csv" >"$TMP/f/$mode.bad"; then
        pass "$mode: faulty programs $want, every other score as without faults"
    else
        fail "$mode: $(head -c 300 "$TMP/f/$mode.bad")"
    fi
    local left
    left=$(leftovers "$TMP/f/faulty.ini")
    [ -z "$left" ] && pass "$mode: no process left" || fail "$mode: processes left: $left"
    kill_leftovers "$TMP/f/faulty.ini"
}
check_fault segv crashed
check_fault abort crashed
check_fault exit exited
check_fault loop timeout
check_fault bomb error
check_fault nan invalid
check_fault stdout ok
check_fault closefd1 ok
check_fault grandchild ok
check_fault setsid ok
check_fault orphan exited
# A SIGKILL that neither forkgp nor the OOM killer sent (the kernel's
# OOM-kill counter did not move): killed, not oom.
check_fault sigkill killed
check_fault sleep ok

# Where no PID namespace can be had (a container, no user namespaces),
# the parent alone sweeps what workers leave: FORKGP_CONTAIN=reaper
# forces that fallback, which must hold while forkgp lives.
for mode in grandchild setsid; do
    FORKGP_CONTAIN=reaper "$FORKGP" run "$TMP/f/faulty.ini" --quiet \
        --set faulty.mode=$mode --set run.eval_timeout=30 \
        --out "$TMP/f/reaper-$mode" >/dev/null 2>&1
    st=$?
    left=$(leftovers "$TMP/f/faulty.ini")
    [ $st = 0 ] && [ -z "$left" ] &&
        pass "$mode, without a PID namespace: exit 0, no process left" ||
        fail "$mode, without a PID namespace: exit $st, processes left: $left"
    kill_leftovers "$TMP/f/faulty.ini"
done

# A worker that blocks is stopped by the wall clock's backstop (10 times
# eval_timeout, plus 1 s): the evaluations that sleep for ever are
# timeouts, every other one scores.
"$FORKGP" run "$TMP/f/faulty.ini" --quiet --set faulty.mode=sleep \
    --set faulty.sleep_ms=100000 --set run.population=20 \
    --out "$TMP/f/blocked" >/dev/null 2>&1
st=$?
bad=$(awk -F, 'NR > 1 && ($4 % 5 == 0) != ($2 == "timeout") { print $1 ":" $2 }' \
    "$TMP/f/blocked/population.csv" 2>&1 | head -5 | tr '\n' ' ')
[ $st = 0 ] && [ -s "$TMP/f/blocked/population.csv" ] && [ -z "$bad" ] &&
    pass "a worker blocked for ever: timeout by the wall clock, the rest ok" ||
    fail "a worker blocked for ever: exit $st, wrong statuses: $bad"
# Started with stdin and stdout closed (from a daemon or cron), or by a
# parent that ignores SIGCHLD (which exec passes on): the same statuses as
# a plain start, crashes reported as crashes.
"$FORKGP" run "$TMP/f/faulty.ini" --quiet --set faulty.mode=segv \
    --set run.eval_timeout=30 --out "$TMP/f/closed" <&- >&- 2>/dev/null
cmp -s "$TMP/f/segv/population.csv" "$TMP/f/closed/population.csv" &&
    pass "stdin and stdout closed: the same statuses" ||
    fail "stdin and stdout closed: population.csv differs from a plain start"
python3 -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$FORKGP" run "$TMP/f/faulty.ini" --quiet \
    --set faulty.mode=segv --set run.eval_timeout=30 --out "$TMP/f/nochld" \
    >/dev/null 2>&1
cmp -s "$TMP/f/segv/population.csv" "$TMP/f/nochld/population.csv" &&
    pass "SIGCHLD ignored by the parent: the same statuses" ||
    fail "SIGCHLD ignored by the parent: population.csv differs from a plain start"
grep -q garbage "$TMP/f/stdout.stdout" && fail "plug-in garbage reached forkgp's stdout" ||
    pass "a plug-in's stdout goes to stderr, not into forkgp's report"
grep -q "^failed evaluations: .* (crashed " "$TMP/f/segv.stdout" &&
    grep -q "forkgp eval .*/config.ini --generation 0 --index [0-9]* --program '" "$TMP/f/segv.stdout" &&
    pass "the summary counts failures and shows replay commands" || fail "failure summary"

# A run of several generations with faults completes.
expect_status 0 "segv over 5 generations" "$FORKGP" run "$TMP/f/faulty.ini" --quiet \
    --set faulty.mode=segv --set run.generations=5 --out "$TMP/f/segv5"
# on_failure = abort: stop at the first failure, say which, exit 1.
expect_status 1 "on_failure = abort" "$FORKGP" run "$TMP/f/faulty.ini" --quiet \
    --set faulty.mode=exit --set run.on_failure=abort --out "$TMP/f/abort"
cat "$TMP/out" "$TMP/err" | grep -q "exited (exit status 3)" && pass "abort names the failed evaluation" ||
    fail "abort names the failed evaluation: $(cat "$TMP/out" "$TMP/err" | head -5)"
# A plug-in that crashes on every program is broken, not unlucky.
expect_status 1 "restart limit" "$FORKGP" run "$TMP/f/faulty.ini" --quiet \
    --set faulty.mode=segv --set faulty.every=1 --out "$TMP/f/broken"
expect_err "looks broken" "restart limit message"
# Generation 0, as log.csv counts, not 1.
expect_err "forkgp: generation 0: workers died" "restart limit message names generation 0"
# A memory limit below what a worker starts with: the limit's fault.
expect_status 2 "worker_memory_mb = 1: a config error" "$FORKGP" run "$TMP/f/faulty.ini" --quiet \
    --set run.worker_memory_mb=1 --out "$TMP/f/tiny"
expect_err "forkgp: --set run.worker_memory_mb=1: 1 MiB is too small to start a worker" \
    "worker_memory_mb = 1: the message blames the limit"
grep -q "looks broken" "$TMP/err" && fail "worker_memory_mb = 1: the fitness function blamed" ||
    pass "worker_memory_mb = 1: the fitness function not blamed"
# An invalid fgp_set_score_name fails the setup, naming the plug-in.
for name in "two words" "" "(null)" "a_name_of_more_than_31_characters"; do
    expect_status 2 "fgp_set_score_name('$name'): exit 2" "$FORKGP" run "$TMP/f/faulty.ini" \
        --quiet --set "faulty.score_name=$name" --out "$TMP/f/score-name"
    expect_err "forkgp: fitness 'faulty': fgp_set_score_name: " \
        "fgp_set_score_name('$name'): the message names the plug-in"
done
[ -z "$(leftovers "$TMP/f/faulty.ini")" ] && pass "no process left after the aborted runs" ||
    fail "processes left after the aborted runs"

# --- no program evaluated where its score is known -------------------------
# The ledger plug-in writes a hash of every program it evaluates. With a
# deterministic fitness no generation evaluates a program twice (twins), nor
# one that the generation before held (that one's score is taken), so no
# hash is in two consecutive generations' evaluations.
cat >"$TMP/f/ledger.ini" <<INI
[run]
population = 300
generations = 30
workers = 0
[fitness]
function = ./ledger.so
[ledger]
file = ledger.txt
INI
rm -f "$TMP/f/ledger.txt"
expect_status 0 "ledger run" "$FORKGP" run "$TMP/f/ledger.ini" --quiet --out "$TMP/f/ledger"
$PY - "$TMP/f/ledger/timing.csv" "$TMP/f/ledger.txt" >"$TMP/f/ledger.out" 2>&1 <<'PY'
import sys
counts = [int(l.split(",")[4]) for l in open(sys.argv[1]).readlines()[1:]]
hashes = open(sys.argv[2]).read().split()
if sum(counts) != len(hashes):
    sys.exit("the ledger holds %d evaluations, timing.csv %d" % (len(hashes), sum(counts)))
groups, at = [], 0
for n in counts:
    groups.append(hashes[at:at + n])
    at += n
for g, group in enumerate(groups):
    if len(set(group)) != len(group):
        sys.exit("generation %d evaluated a program twice" % g)
    if g > 0 and set(group) & set(groups[g - 1]):
        sys.exit("generation %d evaluated %d programs of generation %d again"
                 % (g, len(set(group) & set(groups[g - 1])), g - 1))
print("ok", len(hashes))
PY
grep -q "^ok" "$TMP/f/ledger.out" &&
    pass "a deterministic fitness evaluates no program of the generation before again" ||
    fail "programs evaluated again: $(cat "$TMP/f/ledger.out")"

# --- kill -9 a random worker every 100 ms for 10 s: the same result ---------
cat >"$TMP/f/busy.ini" <<INI
[run]
population = 400
generations = 40
workers = 2
[fitness]
function = ./busy.so
[busy]
micros = 500
INI
"$FORKGP" run "$TMP/f/busy.ini" --quiet --out "$TMP/f/calm" >/dev/null 2>&1
"$FORKGP" run "$TMP/f/busy.ini" --quiet --out "$TMP/f/storm" >/dev/null 2>&1 &
pid=$!
sleep 0.3
kills=0
# Workers only: each leads its own process group. The parent's other
# children (the writers of checkpoints and outputs, a sanitizer's helper
# at exit) are not workers, and killing them is not what this tests.
for _ in $(seq 100); do
    kill -0 $pid 2>/dev/null || break
    kids=($(ps -o pid=,pgid= --ppid $pid | awk '$1 == $2 { print $1 }'))
    if [ ${#kids[@]} -gt 0 ]; then
        kill -9 "${kids[RANDOM % ${#kids[@]}]}" 2>/dev/null && kills=$((kills + 1))
    fi
    sleep 0.1
done
wait $pid
st=$?
[ $st = 0 ] && cmp -s "$TMP/f/calm/log.csv" "$TMP/f/storm/log.csv" &&
    cmp -s "$TMP/f/calm/population.csv" "$TMP/f/storm/population.csv" &&
    pass "$kills workers killed with -9: the same log and population" ||
    fail "worker kills changed the run (exit $st, $kills kills)"

# --- kill -9 of the parent: its workers are gone within 1 s -----------------
"$FORKGP" run "$TMP/f/busy.ini" --quiet --out "$TMP/f/orphan" >/dev/null 2>&1 &
pid=$!
kids=""
for _ in $(seq 100); do # the workers, once forked (a slow machine waits)
    kids=$(pgrep -P $pid | tr '\n' ' ')
    [ -n "$kids" ] && break
    sleep 0.05
done
kill -9 $pid
wait $pid 2>/dev/null
# Dead is dead: a zombie waiting for an init that does not reap counts.
for _ in $(seq 100); do
    alive=""
    for k in $kids; do
        state=$(awk '/^State:/ { print $2 }' "/proc/$k/status" 2>/dev/null)
        [ -n "$state" ] && [ "$state" != Z ] && alive="$alive $k"
    done
    [ -z "$alive" ] && break
    sleep 0.1
done
[ -n "$kids" ] && [ -z "$alive" ] && pass "kill -9 of the parent: workers ($kids) gone" ||
    fail "kill -9 of the parent: workers left:$alive (had: $kids)"

# --- kill -9 of the parent: no grandchild outlives it ------------------------
# Each worker forks one sleeping child, plain or setsid(), which writes
# its pid to a file; forkgp is then killed with -9. Each worker's
# descendants are in a PID namespace whose init dies with the worker, so
# the kernel ends them all. Where no PID namespace can be had, forkgp
# cannot promise it (docs/farm.md).
# alive PID...: those of the pids that still run (a zombie does not)
alive() {
    local p state
    for p in "$@"; do
        state=$(awk '/^State:/ { print $2 }' "/proc/$p/status" 2>/dev/null)
        [ -n "$state" ] && [ "$state" != Z ] && printf '%s ' "$p"
    done
}
if unshare -p -f true 2>/dev/null || unshare -Urpf true 2>/dev/null; then
    for mode in grandchild setsid; do
        pids="$TMP/f/k9-$mode.pids"
        "$FORKGP" run "$TMP/f/faulty.ini" --quiet --set faulty.mode=$mode \
            --set faulty.every=1 --set faulty.forks=1 --set faulty.pids="$pids" \
            --set run.eval_timeout=30 --set run.generations=10000000 \
            --out "$TMP/f/k9-$mode" >/dev/null 2>&1 &
        pid=$!
        for _ in $(seq 400); do # both workers' children, once forked
            [ -f "$pids" ] && [ "$(wc -l <"$pids")" -ge 2 ] && break
            sleep 0.05
        done
        kids=$(cat "$pids" 2>/dev/null | tr '\n' ' ')
        before=$(alive $kids)
        kill -9 $pid
        wait $pid 2>/dev/null
        for _ in $(seq 100); do
            left=$(alive $kids)
            [ -z "$left" ] && break
            sleep 0.1
        done
        [ -n "$before" ] && [ "$before" = "$kids" ] && [ -z "$left" ] &&
            pass "kill -9 of the parent, $mode: its grandchildren ($kids) gone" ||
            fail "kill -9 of the parent, $mode: grandchildren $kids, alive before: $before, left: $left"
        for p in $left; do kill -9 "$p" 2>/dev/null; done
    done
else
    pass "kill -9 of the parent and grandchildren: skipped (no PID namespace here)"
fi

# --- SIGINT: exit 130, outputs written, no process left ---------------------
"$FORKGP" run "$TMP/f/busy.ini" --quiet --out "$TMP/f/int" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 50); do [ -s "$TMP/f/int/log.csv" ] && break; sleep 0.1; done
sleep 0.3
kill -INT $pid
wait $pid
st=$?
[ $st = 130 ] && [ -s "$TMP/f/int/best.txt" ] && [ -s "$TMP/f/int/population.csv" ] &&
    pass "SIGINT: exit 130, outputs written" || fail "SIGINT: exit $st"
[ -z "$(leftovers "$TMP/f/busy.ini")" ] && pass "SIGINT: no process left" || fail "SIGINT: processes left"

# --- the MPI backend in a build without MPI: a clear refusal ----------------
if ! nm -D "$FORKGP" 2>/dev/null | grep -q MPI_Init; then
    expect_status 2 "backend = mpi without MPI: a config error" "$FORKGP" run configs/quartic.ini --quiet \
        --set run.backend=mpi --out "$TMP/nompi"
    expect_err "forkgp: --set run.backend=mpi: this forkgp was built without MPI (build it with make MPI=1)" \
        "backend = mpi without MPI: the message says how to get it"
    printf '[run]\nbackend = mpi\n' >"$TMP/mpi.ini"
    expect_status 2 "backend = mpi without MPI: check refuses it too" "$FORKGP" check "$TMP/mpi.ini"
    expect_err "$TMP/mpi.ini:2: [run] backend: this forkgp was built without MPI" \
        "backend = mpi without MPI: the line of the file"
fi

# --- RDO: bred in the parent from the generation's own subtrees, so the same
# bytes for any worker count and after a resume; the share changes the search
rdo_run() {
    "$FORKGP" run configs/parity5.ini --quiet --seed 3 --set boolean.bits=6 \
        --set fitness.target_fitness=none "$@" >/dev/null 2>"$TMP/rdo-err"
}
for w in 0 1 3; do
    rdo_run --set run.workers=$w --set run.generations=10 --out "$TMP/rdo-$w" ||
        { fail "rdo with $w workers exits nonzero"; head -3 "$TMP/rdo-err"; }
done
same_outputs "$TMP/rdo-0" "$TMP/rdo-1" && same_outputs "$TMP/rdo-0" "$TMP/rdo-3" &&
    pass "rdo: the same bytes for workers 0, 1, 3" || fail "rdo: outputs differ between worker counts"
rdo_run --set run.workers=2 --set run.generations=4 --out "$TMP/rdo-r" &&
    "$FORKGP" resume "$TMP/rdo-r" --quiet --generations 10 >/dev/null 2>&1
same_outputs "$TMP/rdo-0" "$TMP/rdo-r" &&
    pass "rdo: 4 generations, then resumed to 10 with 2 workers: the same bytes" ||
    fail "rdo: the resumed run differs"
rdo_run --set run.workers=0 --set run.generations=10 --set operators.rdo=0 \
    --set operators.crossover=0.9 --out "$TMP/rdo-none"
! cmp -s "$TMP/rdo-0/log.csv" "$TMP/rdo-none/log.csv" &&
    pass "rdo: its share changes the search" || fail "rdo: the run without RDO is the same"

finish
