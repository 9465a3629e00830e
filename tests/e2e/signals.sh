#!/usr/bin/env bash
# Signals and the run folder: a plug-in cannot stop the run by signalling
# forkgp; whatever way forkgp ends, its folder can be resumed or the run
# repeated; the writers of its files are reaped when they end and tried
# again when killed; nohup's SIGHUP stays ignored.
source "$(dirname "$0")/lib.sh"
mkdir -p "$TMP/s"
for p in faulty busy; do
    cc -shared -fPIC -O2 -Ifitness -o "$TMP/s/$p.so" "tests/plugins/$p.c" ||
        fail "cannot build tests/plugins/$p.c"
done
cc -shared -fPIC -O2 -o "$TMP/s/interpose.so" tests/plugins/interpose.c -ldl ||
    fail "cannot build tests/plugins/interpose.c"
# The sanitizers' runtime must come first among the libraries; the
# preloaded one goes first instead, which changes nothing here.
export ASAN_OPTIONS=${ASAN_OPTIONS:-}${ASAN_OPTIONS:+:}verify_asan_link_order=0
leftovers() { pgrep -f -- "$1" | tr '\n' ' '; }

# --- a plug-in that signals forkgp costs nothing ----------------------------
# Programs whose size is a multiple of 5 signal forkgp (or its process
# group, or from a grandchild in a session of its own), then score as
# usual: the run ends as without signals. forkgp runs in a process group
# of its own (setsid), so that a signal to its group reaches no test.
cat >"$TMP/s/faulty.ini" <<INI
[run]
population = 200
generations = 2
workers = 2
[fitness]
function = ./faulty.so
[faulty]
every = 5
INI
"$FORKGP" run "$TMP/s/faulty.ini" --quiet --out "$TMP/s/ref" >/dev/null 2>&1
for mode in kill-parent-int kill-parent-term kill-parent-hup kill-group kill-grandchild; do
    setsid -w "$FORKGP" run "$TMP/s/faulty.ini" --quiet --set faulty.mode=$mode \
        --out "$TMP/s/$mode" >/dev/null 2>"$TMP/s/$mode.err"
    st=$?
    [ $st = 0 ] && same_outputs "$TMP/s/ref" "$TMP/s/$mode" &&
        pass "$mode: the run ends as without signals" ||
        fail "$mode: exit $st, $(head -c 200 "$TMP/s/$mode.err")"
done
[ -z "$(leftovers "$TMP/s/faulty.ini")" ] && pass "signalling plug-ins: no process left" ||
    fail "signalling plug-ins: processes left"

# --- ended at once while a file is put in place: the folder stays usable ----
# interpose.so sends forkgp two stop signals (the second ends it at once)
# when the file is about to be renamed into place. Whatever is left, the
# folder holds config.ini: with a checkpoint it resumes, without one the
# run can be repeated from its config.ini.
cat >"$TMP/s/quick.ini" <<INI
[run]
population = 100
generations = 3
workers = 2
[fitness]
function = ./faulty.so
[output]
checkpoint_every = 1
INI
for file in config.ini manifest.ini checkpoint.bin population.csv best.txt; do
    dir="$TMP/s/cut-$file"
    rm -f "$TMP/s/mark"
    LD_PRELOAD="$TMP/s/interpose.so" FORKGP_TEST_FILE=$file FORKGP_TEST_DO=interrupt \
        FORKGP_TEST_MARK="$TMP/s/mark" \
        "$FORKGP" run "$TMP/s/quick.ini" --quiet --out "$dir" >/dev/null 2>&1
    st=$?
    if [ ! -e "$TMP/s/mark" ] || [ $st = 0 ]; then
        fail "cut at $file: the signals were not sent (exit $st)"; continue; fi
    if [ ! -f "$dir/config.ini" ]; then
        fail "cut at $file (exit $st): no config.ini, left: $(ls "$dir" | tr '\n' ' ')"
    elif [ -f "$dir/checkpoint.bin" ]; then
        expect_status 0 "cut at $file (exit $st): the folder resumes" \
            "$FORKGP" resume "$dir" --quiet
    else
        expect_status 0 "cut at $file (exit $st): the run repeats from its config.ini" \
            "$FORKGP" run "$dir/config.ini" --quiet --out "$dir-again"
    fi
done
[ -z "$(leftovers "$TMP/s/quick.ini")" ] && pass "ended at once: no process left" ||
    fail "ended at once: processes left"

# --- a killed writer is tried again -----------------------------------------
"$FORKGP" run "$TMP/s/quick.ini" --quiet --out "$TMP/s/calm" >/dev/null 2>&1
rm -f "$TMP/s/mark"
LD_PRELOAD="$TMP/s/interpose.so" FORKGP_TEST_FILE=checkpoint.bin FORKGP_TEST_DO=kill \
    FORKGP_TEST_MARK="$TMP/s/mark" \
    "$FORKGP" run "$TMP/s/quick.ini" --quiet --out "$TMP/s/killed" >/dev/null 2>"$TMP/s/killed.err"
st=$?
[ -e "$TMP/s/mark" ] && [ $st = 0 ] && same_outputs "$TMP/s/calm" "$TMP/s/killed" &&
    "$FORKGP" resume "$TMP/s/killed" --quiet >/dev/null 2>&1 &&
    pass "checkpoint writer killed with -9: written again, the same outputs, resumable" ||
    fail "checkpoint writer killed with -9: exit $st, $(head -c 200 "$TMP/s/killed.err")"

# --- the checkpoint writer is reaped when it ends ---------------------------
# One worker, 10 programs of 0.3 s: generation 1 takes 3 s. Generation 0's
# checkpoint is written behind as generation 1 begins; once it is done,
# forkgp has no child but its worker (a worker leads its own process
# group; a writer does not), long before generation 1 ends.
cat >"$TMP/s/slow.ini" <<INI
[run]
population = 10
generations = 1
workers = 1
[fitness]
function = ./busy.so
[busy]
micros = 300000
INI
"$FORKGP" run "$TMP/s/slow.ini" --quiet --out "$TMP/s/slow" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do [ -f "$TMP/s/slow/checkpoint.bin" ] && break; sleep 0.05; done
reaped=no
while kill -0 $pid 2>/dev/null && [ "$(wc -l <"$TMP/s/slow/log.csv")" -lt 3 ]; do
    others=$(ps -o pid=,pgid= --ppid $pid | awk '$1 != $2' | wc -l)
    [ "$others" = 0 ] && { reaped=yes; break; }
    sleep 0.05
done
kill -TERM $pid 2>/dev/null
wait $pid
[ $reaped = yes ] && pass "the checkpoint writer is reaped while the generation runs" ||
    fail "the checkpoint writer (or its zombie) lived until the generation ended"

# --- under nohup, SIGHUP stays ignored --------------------------------------
cat >"$TMP/s/hup.ini" <<INI
[run]
population = 20
generations = 8
workers = 1
[fitness]
function = ./busy.so
[busy]
micros = 20000
INI
$PY -c 'import os, signal, sys
signal.signal(signal.SIGHUP, signal.SIG_IGN)
os.execvp(sys.argv[1], sys.argv[1:])' "$FORKGP" run "$TMP/s/hup.ini" --quiet \
    --out "$TMP/s/hup" >/dev/null 2>&1 &
pid=$!
for _ in $(seq 600); do [ -s "$TMP/s/hup/log.csv" ] && break; sleep 0.05; done
sent=0
for _ in 1 2 3; do kill -HUP $pid 2>/dev/null && sent=$((sent + 1)); sleep 0.05; done
wait $pid
st=$?
[ $sent -gt 0 ] && [ $st = 0 ] && grep -q "^stopped = generations" "$TMP/s/hup/best.txt" &&
    pass "SIGHUP ignored at the start ($sent sent): the run goes on to its end" ||
    fail "SIGHUP ignored at the start: exit $st after $sent SIGHUPs"

finish
