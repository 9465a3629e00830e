#!/usr/bin/env bash
# Checkpoints and resume end to end: after kill -9 at any moment (even in
# the middle of writing a checkpoint), SIGINT or SIGTERM, `forkgp resume`
# with any worker count gives the uninterrupted run's log.csv, best.txt and
# population.csv; a truncated, corrupted, foreign or stale checkpoint is
# refused with exit 2 and a message; no process is left behind.
source "$(dirname "$0")/lib.sh"
R=$TMP/r
mkdir -p "$R"
# Pagie-1 on its own copy of the data (changed at the end): ~2 s, ~40 ms a
# generation, long enough to stop anywhere.
cp configs/data/pagie1.csv "$R/pagie1.csv"
cat >"$R/p.ini" <<'INI'
[run]
seed = 1
population = 1000
generations = 40
[data]
train = pagie1.csv
target = z
[fitness]
metric = mse
[primitives]
functions = add, sub, mul, div, exp, log
constants = 1
[output]
checkpoint_every = 4
checkpoint_seconds = 0
INI

# start DIR [ARGS...]: a run of p.ini in the background, its pid in $pid.
# SIGHUP is reset to its default for it: under nohup (make test-load run
# that way) it would be ignored from the start, and forkgp keeps a SIGHUP
# that was ignored when it started ignored.
start() {
    local dir=$1
    shift
    env --default-signal=HUP "$FORKGP" run "$R/p.ini" --quiet --out "$dir" "$@" >/dev/null 2>&1 &
    pid=$!
}
# at_gen DIR G [ANY]: waits until DIR/log.csv shows generation G and (unless
# ANY is given) a checkpoint exists; fails when the run ends first or after
# 10 s
at_gen() {
    local lines
    for _ in $(seq 1000); do
        lines=0
        [ -f "$1/log.csv" ] && lines=$(wc -l <"$1/log.csv")
        if [ "$lines" -gt $(($2 + 1)) ] &&
            { [ -n "${3:-}" ] || [ -f "$1/checkpoint.bin" ]; }; then
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}
# signal_run SIGNAL: sends it to $pid and waits; $st is the exit status, $landed
# says whether the run was still going
signal_run() {
    landed=0
    kill "-$1" "$pid" 2>/dev/null && landed=1
    wait "$pid" 2>/dev/null
    st=$?
}
# same REF DIR NAME: DIR's outputs are REF's, byte for byte
same() {
    local f
    for f in log.csv best.txt population.csv front.csv; do
        if ! cmp -s "$1/$f" "$2/$f"; then
            fail "$3: $f differs from the uninterrupted run's"
            return
        fi
    done
    pass "$3"
}
# resume DIR WORKERS NAME: resumes, wants exit 0 and the reference's bytes
resume() {
    "$FORKGP" resume "$1" --workers "$2" --quiet >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ $got != 0 ]; then
        fail "$3: resume exits $got"
        sed 's/^/     /' "$TMP/err" | head -5
        return
    fi
    same "${REF:-$R/ref}" "$1" "$3"
}
t0=$SECONDS

"$FORKGP" run "$R/p.ini" --quiet --out "$R/ref" >/dev/null 2>&1 ||
    fail "the reference run exits nonzero"

# --- kill -9 of the parent at several moments, resumed with 0..3 workers ----
for kill_at in 4:0 13:1 25:3 37:2; do
    gen=${kill_at%:*} workers=${kill_at#*:}
    dir=$R/k$gen
    start "$dir" --set output.checkpoint_every=3 --set output.checkpoint_seconds=0
    at_gen "$dir" "$gen" || fail "kill at generation $gen: no checkpoint in time"
    signal_run 9
    [ $landed = 1 ] || echo "     (the run ended before the kill at generation $gen)"
    if [ "$gen" = 25 ]; then
        # checkpoint_every and the worker count may change on resume
        sed -i 's/^checkpoint_every = 3$/checkpoint_every = 5/; s/^workers = .*/workers = 1/' \
            "$dir/config.ini"
    fi
    resume "$dir" "$workers" "kill -9 after generation $gen, resumed with $workers workers"
done

# --- lamarckian = no: the constants kept apart go through the checkpoint ----
bald=(--set optimize.method=lm --set optimize.lamarckian=no --set optimize.share=0.2
      --set run.population=300 --set run.generations=16)
"$FORKGP" run "$R/p.ini" --quiet --out "$R/bref" "${bald[@]}" >/dev/null 2>&1 ||
    fail "lamarckian = no: the reference run exits nonzero"
dir=$R/bald
start "$dir" "${bald[@]}" --set output.checkpoint_every=2 --set output.checkpoint_seconds=0
at_gen "$dir" 5 || fail "lamarckian = no: no checkpoint in time"
signal_run 9
[ $landed = 1 ] || echo "     (the run ended before the kill at generation 5)"
REF=$R/bref resume "$dir" 2 "lamarckian = no: kill -9 after generation 5, resumed with 2 workers"

# --- lexicase: the case errors go through the checkpoint; down-sampled
# cases are drawn by generation, so a resumed run draws the same; NSGA-II's
# checkpoint holds the survivors it breeds from --------------------------
for sel in "epsilon_lexicase 0" "epsilon_lexicase 60" "lexicase 0" "nsga2 0"; do
    set -- $sel
    lex=(--set selection.method=$1 --set selection.cases=$2
         --set run.population=300 --set run.generations=16)
    "$FORKGP" run "$R/p.ini" --quiet --out "$R/lref" "${lex[@]}" >/dev/null 2>&1 ||
        fail "$1 cases=$2: the reference run exits nonzero"
    dir=$R/lex-$1-$2
    start "$dir" "${lex[@]}" --set output.checkpoint_every=2 --set output.checkpoint_seconds=0
    at_gen "$dir" 5 || fail "$1 cases=$2: no checkpoint in time"
    signal_run 9
    [ $landed = 1 ] || echo "     (the run ended before the kill at generation 5)"
    REF=$R/lref resume "$dir" 2 "$1 cases=$2: kill -9 after generation 5, resumed with 2 workers"
done

# --- islands: which individuals migrate follows from the population and
# the generation, so a resumed run migrates alike (every 2 generations
# here, across the kill) ----------------------------------------------------
isl=(--set islands.count=3 --set islands.migration_size=4 --set islands.migration_interval=2
     --set run.population=300 --set run.generations=16)
"$FORKGP" run "$R/p.ini" --quiet --out "$R/iref" "${isl[@]}" >/dev/null 2>&1 ||
    fail "islands: the reference run exits nonzero"
dir=$R/islands
start "$dir" "${isl[@]}" --set output.checkpoint_every=2 --set output.checkpoint_seconds=0
at_gen "$dir" 5 || fail "islands: no checkpoint in time"
signal_run 9
[ $landed = 1 ] || echo "     (the run ended before the kill at generation 5)"
REF=$R/iref resume "$dir" 2 "islands: kill -9 after generation 5, resumed with 2 workers"

# --- twice: the resumed run killed too, resumed again ------------------------
dir=$R/twice
start "$dir" --set output.checkpoint_every=3 --set output.checkpoint_seconds=0
at_gen "$dir" 6 || fail "twice: no checkpoint in time"
signal_run 9
"$FORKGP" resume "$dir" --workers 1 --quiet >/dev/null 2>&1 &
pid=$!
at_gen "$dir" 20 || fail "twice: the resumed run did not reach generation 20"
signal_run 9
[ $landed = 1 ] || echo "     (the resumed run ended before the second kill)"
resume "$dir" 3 "killed, resumed, killed again, resumed again"

# --- kill -9 while a checkpoint is being written ------------------------------
# Checkpoints every generation (1.4 MB each, fsync'd); half the kills land as
# soon as checkpoint.bin.tmp appears, half after a random sleep. Either the
# old or the new checkpoint is whole, and a stale .tmp confuses nothing.
REF=$R/ref15
"$FORKGP" run "$R/p.ini" --quiet --set run.generations=15 --out "$REF" >/dev/null 2>&1
mid=0 ok=1
for try in $(seq 10); do
    dir=$R/w$try
    start "$dir" --set run.generations=15 --set output.checkpoint_every=1 --set output.checkpoint_seconds=0
    if [ $((try % 2)) = 1 ]; then
        at_gen "$dir" $((RANDOM % 10)) || fail "try $try: no checkpoint in time"
        for _ in $(seq 20000); do
            [ -e "$dir/checkpoint.bin.tmp" ] && break
            kill -0 "$pid" 2>/dev/null || break
        done
    else
        at_gen "$dir" 0 || fail "try $try: no checkpoint in time"
        sleep "0.$((RANDOM % 6))$((RANDOM % 10))"
    fi
    signal_run 9
    [ -e "$dir/checkpoint.bin.tmp" ] && mid=$((mid + 1))
    "$FORKGP" resume "$dir" --workers $((try % 4)) --quiet >/dev/null 2>"$TMP/err" || {
        ok=0
        fail "try $try: resume exits nonzero: $(head -c 300 "$TMP/err")"
    }
    for f in log.csv best.txt population.csv front.csv; do
        cmp -s "$REF/$f" "$dir/$f" || {
            ok=0
            fail "try $try: $f differs"
        }
    done
done
[ $ok = 1 ] && pass "10 kills -9 while checkpointing every generation ($mid mid-write): each resume gives the same bytes"
[ $mid -gt 0 ] || echo "     (no kill landed while checkpoint.bin.tmp existed)"
# A half-written temporary beside a good checkpoint is ignored.
cp -r "$R/k13" "$R/tmp"
head -c 1000 "$R/tmp/checkpoint.bin" >"$R/tmp/checkpoint.bin.tmp"
REF=$R/ref resume "$R/tmp" 2 "a stale checkpoint.bin.tmp is ignored"
unset REF

# --- a checkpoint that cannot be written --------------------------------------
# Checkpoints are written behind the run by a forked child: its failure
# (here: checkpoint.bin.tmp is a folder) stops the run as soon as the run
# sees it (a generation or so later, the next checkpoint at the latest),
# with the file's name, exit status 1, the log kept and no process left.
# (--force: a folder holding only that folder is no run folder yet.)
mkdir -p "$R/unwritable/checkpoint.bin.tmp"
expect_status 1 "an unwritable checkpoint stops the run" "$FORKGP" run "$R/p.ini" \
    --quiet --set run.population=200 --out "$R/unwritable" --force
expect_err "forkgp: cannot write '$R/unwritable/checkpoint.bin': Is a directory" \
    "an unwritable checkpoint: the message names the file"
lines=$(wc -l <"$R/unwritable/log.csv")
[ "$lines" -ge 2 ] && [ "$lines" -le 6 ] &&
    pass "an unwritable checkpoint: the run stops by the next one (generation 4)" ||
    fail "an unwritable checkpoint: log.csv has $lines lines, want 2 to 6"
grep -q '^exit_status = 1$' "$R/unwritable/manifest.ini" &&
    pass "an unwritable checkpoint: the manifest says exit status 1" ||
    fail "an unwritable checkpoint: manifest.ini's exit_status"

# --- SIGINT, SIGTERM, SIGHUP: a checkpoint even with checkpoint_every = 0 ----
# On a loaded machine this script may be kept waiting until the run has
# ended (exit 0): the signal then tells nothing, and a new run is tried
# (at most five).
for sig in INT:130:2 TERM:143:0 HUP:129:1; do
    IFS=: read -r name code workers <<<"$sig"
    dir=$R/sig$name
    for try in 1 2 3 4 5; do
        rm -rf "$dir"
        start "$dir" --set output.checkpoint_every=0
        at_gen "$dir" 12 any || fail "SIG$name: the run did not reach generation 12"
        early=0
        [ -e "$dir/checkpoint.bin" ] && early=1
        signal_run "$name"
        [ "$st" = 0 ] || break
        echo "     (try $try: the run ended before SIG$name)"
    done
    [ $early = 0 ] || fail "SIG$name: a checkpoint before the signal"
    [ "$st" = "$code" ] && pass "SIG$name: exit $code" || fail "SIG$name: exit $st, want $code"
    [ -s "$dir/checkpoint.bin" ] && pass "SIG$name: checkpoint written with checkpoint_every = 0" ||
        fail "SIG$name: no checkpoint"
    resume "$dir" "$workers" "SIG$name, resumed with $workers workers"
done

# --- resuming a finished run: it says so, exits 0 and changes nothing ------
# A run writes a last checkpoint when it ends, which marks it as ended.
for fin in ref:40 k13:40; do
    name=${fin%:*} gen=${fin#*:}
    cp -r "$R/$name" "$R/fin-$name"
    touch -d '2001-01-01' "$R/fin-$name"/* "$R/stamp"
    expect_status 0 "resume of a finished run ($name): exit 0" "$FORKGP" resume "$R/fin-$name"
    grep -q "^the run in '$R/fin-$name' is complete: it stopped after generation $gen (generation budget used); nothing to resume$" "$TMP/out" &&
        ! grep -qE '^ +[0-9]+ ' "$TMP/out" &&
        pass "resume of a finished run ($name): says it is complete, runs nothing" ||
        fail "resume of a finished run ($name): $(head -c 300 "$TMP/out")"
    [ -z "$(find "$R/fin-$name" -mindepth 1 -newer "$R/stamp")" ] &&
        pass "resume of a finished run ($name): no file rewritten" ||
        fail "resume of a finished run ($name): rewrote $(find "$R/fin-$name" -mindepth 1 -newer "$R/stamp" | head -3)"
done
# --generations N re-opens a run that used its budget: the bytes of a run
# with N generations from the start.
"$FORKGP" run "$R/p.ini" --quiet --set run.generations=25 --out "$R/g25" >/dev/null 2>&1
expect_status 0 "resume --generations 40 of a finished 25-generation run" \
    "$FORKGP" resume "$R/g25" --generations 40 --workers 1 --quiet
same "$R/ref" "$R/g25" "a 25-generation run resumed with --generations 40"
grep -q '^generations = 40$' "$R/g25/config.ini" &&
    pass "resume --generations: config.ini says the new budget" ||
    fail "resume --generations: config.ini says $(grep '^generations' "$R/g25/config.ini")"

# --- failure counts and notes come back from the checkpoint -----------------
# The faulty plug-in makes every program of 7 nodes exit; the final summary
# counts them all and shows the first five, most from before the checkpoint.
cc -shared -fPIC -O2 -Ifitness -o "$R/faulty.so" tests/plugins/faulty.c ||
    fail "cannot build tests/plugins/faulty.c"
cat >"$R/f.ini" <<'INI'
[run]
population = 200
generations = 12
workers = 2
[fitness]
function = ./faulty.so
[faulty]
mode = exit
every = 7
[output]
checkpoint_every = 5
checkpoint_seconds = 0
INI
"$FORKGP" run "$R/f.ini" --quiet --out "$R/fref" >"$R/fref.out" 2>/dev/null
# The same run stopped at generation 10, then resumed to 12.
"$FORKGP" run "$R/f.ini" --quiet --set run.generations=10 --out "$R/fres" >/dev/null 2>&1
"$FORKGP" resume "$R/fres" --workers 1 --generations 12 --quiet 2>/dev/null |
    sed "s|$R/fres/|$R/fref/|" >"$R/fres.out"
grep -q "^failed evaluations: [1-9][0-9]* (exited [1-9][0-9]*)$" "$R/fref.out" &&
    [ "$(grep -c "forkgp eval" "$R/fref.out")" = 5 ] &&
    cmp -s "$R/fref.out" "$R/fres.out" &&
    pass "the failure summary after resume is the uninterrupted run's" ||
    fail "the failure summary after resume: $(diff "$R/fref.out" "$R/fres.out" | head -c 300)"
same "$R/fref" "$R/fres" "a run with failures, resumed: the same outputs"

# --- refused: exit 2 and a message ---------------------------------------------
# broken NAME: a copy of the reference run folder to spoil
broken() {
    rm -rf "$R/bad"
    cp -r "$R/ref" "$R/bad"
    bad=$R/bad
    case=$1
}
refused() { expect_status 2 "$case: exit 2" "$FORKGP" resume "$bad" --quiet; }
size=$(stat -c %s "$R/ref/checkpoint.bin")
for cut in 0 10 19 20 $((size / 2)) $((size - 1)); do
    broken "checkpoint.bin cut to $cut of $size bytes"
    truncate -s "$cut" "$bad/checkpoint.bin"
    refused
    if [ "$cut" -lt 20 ]; then
        expect_err "$bad/checkpoint.bin: truncated ($cut bytes)" "$case: message"
    else
        expect_err "$bad/checkpoint.bin: corrupted or truncated (checksum mismatch)" "$case: message"
    fi
done
# poke FILE OFFSET HEX: xors the byte at OFFSET with HEX
poke() {
    $PY - "$1" "$2" "$3" <<'PYEOF'
import sys
path, at, x = sys.argv[1], int(sys.argv[2]), int(sys.argv[3], 16)
with open(path, "r+b") as f:
    f.seek(at)
    b = f.read(1)[0]
    f.seek(at)
    f.write(bytes([b ^ x]))
PYEOF
}
broken "one byte flipped in the middle"
poke "$bad/checkpoint.bin" $((size / 2)) 01
refused
expect_err "corrupted or truncated (checksum mismatch)" "$case: message"
broken "the checksum itself changed"
poke "$bad/checkpoint.bin" $((size - 3)) 80
refused
expect_err "checksum mismatch" "$case: message"
# The version is read before the checksum (which covers it): the version
# message wins and names both versions.
broken "format version 8 (a newer forkgp's)"
poke "$bad/checkpoint.bin" 8 0f
refused
expect_err "checkpoint.bin: format version 8, but this forkgp reads version 7" "$case: message"
broken "not a checkpoint"
echo "hello, world, this is not a checkpoint" >"$bad/checkpoint.bin"
refused
expect_err "not a forkgp checkpoint" "$case: message"
broken "no checkpoint"
rm "$bad/checkpoint.bin"
refused
expect_err "cannot resume '$bad': no checkpoint" "$case: message"
expect_status 2 "no run folder: exit 2" "$FORKGP" resume "$R/nowhere" --quiet
broken "tournament size changed in config.ini"
sed -i 's/^tournament_size = 7$/tournament_size = 5/' "$bad/config.ini"
grep -q '^tournament_size = 5$' "$bad/config.ini" || fail "$case: sed found no tournament_size = 7"
refused
expect_err "written for another configuration than $bad/config.ini says now" "$case: message"
broken "a --set that changes the run"
expect_status 2 "$case: exit 2" "$FORKGP" resume "$bad" --quiet --set run.seed=5
expect_err "written for another configuration: --set run.seed changes what the run computes" \
    "$case: message names the --set"
# A population of another size: either message names the mismatch.
broken "population changed in config.ini"
sed -i 's/^population = 1000$/population = 999/' "$bad/config.ini"
refused
grep -qe "another configuration" -e "population of 1000, but the configuration says 999" "$TMP/err" &&
    pass "$case: message" || fail "$case: message: $(head -c 300 "$TMP/err")"
broken "log.csv shorter than the checkpoint says"
truncate -s 100 "$bad/log.csv"
"$FORKGP" resume "$bad" --quiet --generations 41 >/dev/null 2>"$TMP/err" && fail "$case: resume succeeds" ||
    pass "$case: resume fails"
expect_err "log.csv' is shorter than the checkpoint says" "$case: message"
# Last, since every run folder here reads this copy of the data.
broken "a row added to the data"
echo "0.1,0.2,0.3" >>"$R/pagie1.csv"
refused
expect_err "$bad/checkpoint.bin: the data or plug-in files have changed since it was written" \
    "$case: message"

# --- checkpoint_seconds: a quick run does not checkpoint every 10 generations --
# quartic, 30 generations: with checkpoint_seconds far above the run's
# time (the default, 1 s, is above it on an idle machine, not on a loaded
# one) only generation 0's and the end's are written; with 0, every tenth
# generation's too (counted with strace, where it is installed). Either way
# the run ends with a checkpoint of its last generation, from which
# --generations 40 goes on to a 40-generation run's bytes.
quick=(configs/quartic.ini --quiet --set fitness.target_fitness=none)
"$FORKGP" run "${quick[@]}" --set run.generations=40 --out "$R/quick-ref" >/dev/null 2>&1
for secs in 1000000 0; do
    trace=()
    command -v strace >/dev/null 2>&1 &&
        trace=(strace -f -qq -e trace=rename,renameat,renameat2 -o "$R/trace$secs")
    "${trace[@]}" "$FORKGP" run "${quick[@]}" --set run.generations=30 \
        --set output.checkpoint_seconds=$secs --out "$R/quick$secs" >/dev/null 2>&1
    "$FORKGP" resume "$R/quick$secs" --generations 40 >"$TMP/out" 2>&1
    awk 'NR == 2 { exit !($1 == 31) }' "$TMP/out" &&
        pass "checkpoint_seconds = $secs: the run's last checkpoint is its end" ||
        fail "checkpoint_seconds = $secs: resumed at: $(sed -n 2p "$TMP/out")"
    same_outputs "$R/quick-ref" "$R/quick$secs" &&
        pass "checkpoint_seconds = $secs: the resumed run's bytes" ||
        fail "checkpoint_seconds = $secs: the resumed run's outputs differ"
done
if [ -f "$R/trace1000000" ]; then
    n1=$(grep -c 'checkpoint.bin"' "$R/trace1000000") n0=$(grep -c 'checkpoint.bin"' "$R/trace0")
    [ "$n1" = 2 ] && [ "$n0" = 5 ] &&
        pass "checkpoint_seconds = 1000000: generation 0's and the end's; 0: every tenth's too" ||
        fail "checkpoints written: $n1 with checkpoint_seconds = 1000000 (want 2), $n0 with 0 (want 5)"
fi

# --- nothing left running ---------------------------------------------------------
left=""
for _ in $(seq 20); do
    left=$(pgrep -f -- "$R" | tr '\n' ' ')
    [ -z "$left" ] && break
    sleep 0.1
done
[ -z "$left" ] && pass "no process left" || fail "processes left: $left"
echo "     ($((SECONDS - t0)) s)"
# --- constants tuned in place (Lamarckian lm): the generation's programs
# change after its pairing of repeats, so a resumed run, which indexes them
# as tuned, must be what an uninterrupted one pairs: the same programs
# scored (timing.csv's evaluations), the same bytes. Seeds 1 and 5 paired
# differently before.
for s in 1 5; do
    a=(--quiet --seed $s --set run.population=300 --set selection.method=epsilon_lexicase
        --set optimize.method=lm --set optimize.share=0.1 --set run.workers=0)
    "$FORKGP" run configs/pagie1.ini "${a[@]}" --set run.generations=6 --out "$R/lm-$s" >/dev/null 2>&1
    "$FORKGP" run configs/pagie1.ini "${a[@]}" --set run.generations=1 --out "$R/lmr-$s" >/dev/null 2>&1
    "$FORKGP" resume "$R/lmr-$s" --quiet --generations 6 >/dev/null 2>&1
    same_outputs "$R/lm-$s" "$R/lmr-$s" &&
        cmp -s <(cut -d, -f1,5,6 "$R/lm-$s/timing.csv") <(cut -d, -f1,5,6 "$R/lmr-$s/timing.csv") &&
        pass "lm, seed $s: stopped after generation 1, resumed to 6: the same evaluations and bytes" ||
        fail "lm, seed $s: the resumed run scored other programs or differs"
done

finish
