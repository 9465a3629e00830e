#!/usr/bin/env bash
# Fitness plug-ins end to end: loading errors, the out-of-tree build with
# pkg-config, forkgp eval, the stochastic example, the problem kinds.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$FORKGP")
mkdir -p "$TMP/p"

# --- loading errors: exit 2, the place and the reason named ----------------
# plugin_ini NAME FUNCTION [EXTRA]: an INI that loads FUNCTION, line 2
plugin_ini() {
    printf '[fitness]\nfunction = %s\n%s' "$2" "${3:-}" >"$TMP/p/$1.ini"
}
so() { # so NAME C-SOURCE: a shared object built from the source
    printf '%s\n' "$2" >"$TMP/p/$1.c"
    cc -shared -fPIC -Ifitness -o "$TMP/p/$1.so" "$TMP/p/$1.c" 2>"$TMP/p/$1.log" ||
        fail "cannot build test plug-in $1: $(cat "$TMP/p/$1.log")"
}

plugin_ini missing "$TMP/p/none.so"
expect_status 2 "missing plug-in" "$FORKGP" run "$TMP/p/missing.ini"
expect_err "$TMP/p/missing.ini:2: [fitness] function: cannot load plug-in '$TMP/p/none.so': No such file or directory" "missing plug-in message"

echo "not an ELF file" >"$TMP/p/text.so"
plugin_ini text "$TMP/p/text.so"
expect_status 2 "not a shared object" "$FORKGP" run "$TMP/p/text.ini"
expect_err "$TMP/p/text.ini:2: [fitness] function: cannot load plug-in '$TMP/p/text.so': $TMP/p/text.so: " "not a shared object: dlerror's text"

so nodesc 'int forkgp_other = 1;'
plugin_ini nodesc "$TMP/p/nodesc.so"
expect_status 2 "no descriptor" "$FORKGP" run "$TMP/p/nodesc.ini"
expect_err "$TMP/p/nodesc.ini:2: [fitness] function: '$TMP/p/nodesc.so' is not a forkgp plug-in: it defines no 'forkgp_plugin' descriptor (see FGP_PLUGIN in forkgp.h)" "no descriptor message"

so abi '#include "forkgp.h"
const struct fgp_plugin forkgp_plugin = {.abi_version = 999, .name = "x"};'
plugin_ini abi "$TMP/p/abi.so"
expect_status 2 "ABI mismatch" "$FORKGP" run "$TMP/p/abi.ini"
expect_err "'$TMP/p/abi.so' was built for plug-in ABI 999, but this forkgp speaks ABI 1: rebuild it against this forkgp's forkgp.h" "ABI mismatch names both versions"

BAD='#include "forkgp.h"
static int setup(struct fgp_setup *s, void **st) {
    long level; (void)st;
    if (fgp_get_int(s, NULL, "level", 1, 1, 10, &level) < 0) return -1;
    if (level == 7) return fgp_fail(s, "level 7 is unlucky");
    fgp_add_variable(s, "x");
    return 0;
}
static int evaluate(void *st, const struct fgp_program *p, struct fgp_rng *r,
                    double *scores) {
    (void)st; (void)p; (void)r; scores[0] = 1; return FGP_OK;
}
FGP_PLUGIN(.name = "bad", .nscores = 1, .setup = setup, .evaluate = evaluate);'
so bad "$BAD"
plugin_ini setupfail "$TMP/p/bad.so" $'[bad]\nlevel = 7\n'
expect_status 2 "setup failure" "$FORKGP" run "$TMP/p/setupfail.ini"
expect_err "forkgp: fitness 'bad': level 7 is unlucky" "setup failure: the plug-in's message"
plugin_ini badvalue "$TMP/p/bad.so" $'[bad]\nlevel = 99\n'
expect_status 2 "bad plug-in value" "$FORKGP" run "$TMP/p/badvalue.ini"
expect_err "$TMP/p/badvalue.ini:4: [bad] level: expected 1..10, got 99" "bad plug-in value cites file:line"
plugin_ini badkey "$TMP/p/bad.so" $'[bad]\nlevle = 3\n'
expect_status 2 "unknown plug-in key" "$FORKGP" run "$TMP/p/badkey.ini"
expect_err "$TMP/p/badkey.ini:4: [bad] unknown key 'levle'; did you mean 'level'?" "unknown plug-in key message"
plugin_ini badsection "$TMP/p/bad.so" $'[bda]\nlevel = 3\n'
expect_status 2 "unknown section near the plug-in's" "$FORKGP" run "$TMP/p/badsection.ini"
expect_err "$TMP/p/badsection.ini:3: unknown section [bda]; did you mean [bad]?" "unknown section message"
plugin_ini nobuiltin regresion
expect_status 2 "unknown built-in" "$FORKGP" run "$TMP/p/nobuiltin.ini"
expect_err "$TMP/p/nobuiltin.ini:2: [fitness] function: no built-in fitness 'regresion'; did you mean 'regression'?" "unknown built-in message"

# --- a setup or a loading that crashes or exits ----------------------------
# The plug-in's code runs in forkgp's own process there: a crash or an
# exit() ends forkgp with exit 2 and a message naming the plug-in and
# what it did, on run and check alike, and no run folder is touched.
cc -shared -fPIC -O2 -Ifitness -o "$TMP/p/hostile.so" tests/plugins/hostile.c &&
    cc -shared -fPIC -O2 -Ifitness -DCTOR_EXIT=0 -o "$TMP/p/ctor.so" tests/plugins/hostile.c ||
    fail "cannot build tests/plugins/hostile.c"
printf '[run]\npopulation = 20\ngenerations = 2\n[fitness]\nfunction = ./hostile.so\n' >"$TMP/p/hostile.ini"
place="$TMP/p/hostile.ini:5: [fitness] function: plug-in '$TMP/p/./hostile.so'"
for case in "segv:setup crashed (segmentation fault)" "abort:setup crashed (aborted)" \
    "fpe:setup crashed (arithmetic exception)" "overflow:setup crashed (segmentation fault)" \
    "exit0:called exit(0) during setup" "exit3:called exit(3) during setup"; do
    mode=${case%%:*} want=${case#*:}
    expect_status 2 "setup $mode: exit 2" \
        "$FORKGP" run "$TMP/p/hostile.ini" --quiet --set hostile.mode="$mode" --out "$TMP/p/h-$mode"
    expect_err "forkgp: $place: $want" "setup $mode: the message"
    [ ! -e "$TMP/p/h-$mode" ] && pass "setup $mode: no run folder" ||
        fail "setup $mode: a run folder was made"
    expect_status 2 "setup $mode: check exits 2" \
        "$FORKGP" check "$TMP/p/hostile.ini" --set hostile.mode="$mode"
    expect_err "forkgp: $place: $want" "setup $mode: check's message"
done
printf '[fitness]\nfunction = ./ctor.so\n' >"$TMP/p/ctor.ini"
expect_status 2 "exit(0) in a constructor: exit 2" "$FORKGP" run "$TMP/p/ctor.ini" --quiet --out "$TMP/p/h-ctor"
expect_err "forkgp: $TMP/p/ctor.ini:2: [fitness] function: plug-in '$TMP/p/./ctor.so': called exit(0) while being loaded" \
    "exit(0) in a constructor: the message"
expect_status 2 "exit(0) in a constructor: check exits 2" "$FORKGP" check "$TMP/p/ctor.ini"
for case in "null_variable:fgp_add_variable was passed a NULL name" \
    "null_symbol:fgp_add_symbol was passed a NULL name" \
    "null_functions:fgp_use_functions was passed a NULL list" \
    "null_constants:fgp_use_constants was passed a NULL list" \
    "null_setup:fgp_add_variable was passed a NULL setup"; do
    mode=${case%%:*} want=${case#*:}
    expect_status 2 "setup $mode: exit 2" \
        "$FORKGP" run "$TMP/p/hostile.ini" --quiet --set hostile.mode="$mode" --out "$TMP/p/h-$mode"
    expect_err "forkgp: fitness 'hostile': $want" "setup $mode: the message"
done
# A run folder made by a good setup, then a run into it whose setup
# crashes, and a resume whose setup exits: every file as it was.
"$FORKGP" run "$TMP/p/hostile.ini" --quiet --out "$TMP/p/h-kept" >/dev/null 2>&1
cp -r "$TMP/p/h-kept" "$TMP/p/h-before"
expect_status 2 "a crashing setup into a run folder: exit 2" \
    "$FORKGP" run "$TMP/p/hostile.ini" --quiet --set hostile.mode=segv --out "$TMP/p/h-kept"
cp "$TMP/p/h-kept/config.ini" "$TMP/p/h-config.ini"
printf '[hostile]\nmode = exit0\n' >>"$TMP/p/h-kept/config.ini"
expect_status 2 "a resume whose setup exits: exit 2" "$FORKGP" resume "$TMP/p/h-kept" --quiet
cp "$TMP/p/h-config.ini" "$TMP/p/h-kept/config.ini"
diff -r "$TMP/p/h-kept" "$TMP/p/h-before" >/dev/null &&
    pass "a crashing or exiting setup leaves the run folder as it was" ||
    fail "a crashing or exiting setup changed the run folder"

# --- out of tree: make install, pkg-config, cc, run ------------------------
prefix="$TMP/prefix"
if make -s --no-print-directory install PREFIX="$prefix" BUILD="$BUILD" >"$TMP/install.log" 2>&1 &&
    [ -x "$prefix/bin/forkgp" ] && [ -f "$prefix/include/forkgp.h" ]; then
    pass "make install PREFIX=..."; else fail "make install: $(tail -3 "$TMP/install.log")"; fi
mkdir -p "$TMP/user"
cp examples/minimal.c "$TMP/user/fit.c"
(cd "$TMP/user" && PKG_CONFIG_PATH="$prefix/lib/pkgconfig" \
    cc -shared -fPIC $(PKG_CONFIG_PATH="$prefix/lib/pkgconfig" pkg-config --cflags forkgp) fit.c -o fit.so) 2>"$TMP/err" &&
    pass "plug-in builds out of tree with pkg-config" || fail "out-of-tree build: $(cat "$TMP/err")"
printf '[run]\npopulation = 100\ngenerations = 5\n[fitness]\nfunction = ./fit.so\n[minimal]\npoints = 16\n' >"$TMP/user/fit.ini"
expect_status 0 "the installed forkgp runs the out-of-tree plug-in" \
    "$prefix/bin/forkgp" run "$TMP/user/fit.ini" --quiet --out "$TMP/user/out"
make -s --no-print-directory uninstall PREFIX="$prefix" >/dev/null 2>&1
[ ! -e "$prefix/bin/forkgp" ] && pass "make uninstall" || fail "make uninstall"

# --- forkgp eval replays an individual's evaluation -------------------------
# check_replay NAME INI: the best program, replayed with its generation and
# index, gets the very score the run reported.
check_replay() {
    local dir="$TMP/replay-$1"
    "$FORKGP" run "$2" --quiet --out "$dir" >/dev/null 2>&1
    local g i
    g=$(sed -n 's/^generation = //p' "$dir/best.txt")
    i=$(sed -n 's/^index = //p' "$dir/best.txt")
    # A scaled model's evolved program is on its own line.
    local prog
    prog=$(sed -n 's/^program = //p' "$dir/best.txt")
    [ -n "$prog" ] || prog=$(head -1 "$dir/best.txt")
    "$FORKGP" eval "$2" --program "$prog" --generation "$g" --index "$i" >"$TMP/eval.out" 2>&1
    if grep "^train_" "$dir/best.txt" | cmp -s - <(grep "^train_" "$TMP/eval.out"); then
        pass "$1: forkgp eval reproduces the run's score"; else
        fail "$1: forkgp eval gives $(grep "^train_" "$TMP/eval.out"), the run $(grep "^train_" "$dir/best.txt")"; fi
}
check_replay quartic configs/quartic.ini
check_replay subsample examples/subsample.ini
check_replay ant examples/ant.ini
expect_status 2 "eval: a bad program" "$FORKGP" eval configs/quartic.ini --program "x +* 2"
expect_err "forkgp: --program: column " "eval names the column"

# --- the stochastic example: the seed decides the subsamples -----------------
for s in 1 1 2; do "$FORKGP" run examples/subsample.ini --quiet --seed $s --set run.generations=5 --out "$TMP/ss-$s-$RANDOM" >/dev/null; done
set -- "$TMP"/ss-1-*
if cmp -s "$1/log.csv" "$2/log.csv"; then pass "stochastic plug-in: same seed, same bytes"; else fail "stochastic plug-in: same seed, same bytes"; fi
if ! cmp -s "$1/log.csv" "$TMP"/ss-2-*/log.csv; then pass "stochastic plug-in: another seed, another run"; else fail "stochastic plug-in: another seed, another run"; fi

# The best of a stochastic fitness is its luckiest evaluation: best.txt and
# front.csv add each program's mean over 30 streams of its own (individuals
# 0 to 29 of generation 2^62, the same for every program), which forkgp eval
# replays one at a time.
dir=$TMP/ss-rescore
"$FORKGP" run examples/subsample.ini --quiet --set run.generations=10 --out "$dir" >"$TMP/ss.out"
prog=$(head -1 "$dir/best.txt")
for k in $(seq 0 29); do
    "$FORKGP" eval examples/subsample.ini --program "$prog" --generation 4611686018427387904 \
        --index "$k" | sed -n 's/^train_mse = //p'
done >"$TMP/streams"
if $PY - "$dir" "$TMP/streams" "$TMP/ss.out" <<'PYEOF'; then pass "stochastic: the best and the front re-scored on 30 streams of their own"; else fail "stochastic: the best and the front re-scored on 30 streams of their own"; fi
import csv, sys
d, streams, out = sys.argv[1:4]
best = dict(l.rstrip("\n").split(" = ", 1) for l in open(f"{d}/best.txt") if " = " in l)
xs = [float(l) for l in open(streams)]
assert len(xs) == 30, len(xs)
s = 0.0
for x in xs:
    s += x
mean = s / 30
assert float(best["rescored_mse"]) == mean, (best["rescored_mse"], mean)
assert best["rescored_streams"] == "30" and best["rescored_valid"] == "30", best
assert float(best["rescored_mse"]) != float(best["train_mse"])
prog = open(f"{d}/best.txt").readline().rstrip("\n")
rows = list(csv.DictReader(open(f"{d}/front.csv")))
assert all(r["rescored_mse"] for r in rows), rows
row = [r for r in rows if r["program"] == prog]
assert row and float(row[0]["rescored_mse"]) == mean, row
assert "rescored_mse = " in open(out).read()
PYEOF

# A plug-in's path keys, relative to the INI file's folder, are written
# absolute in the run's config.ini and in check's output: the run resumes,
# and the output reads back, from another folder.
"$FORKGP" run examples/subsample.ini --quiet --set run.generations=12 --out "$TMP/ss-resume" >/dev/null 2>&1
expect_status 0 "a plug-in's relative data path: the run resumes" "$FORKGP" resume "$TMP/ss-resume" --quiet --generations 14
"$FORKGP" check examples/subsample.ini >"$TMP/ss.ini" 2>/dev/null
expect_status 0 "a plug-in's relative data path: check's output reads back" "$FORKGP" check "$TMP/ss.ini"

# --- problem kinds: full solutions within the shipped budgets ---------------
# solves INI SEEDS: how many of the seeds reach the target fitness
solves() {
    local n=0 s
    for s in $2; do
        "$FORKGP" run "$1" --quiet --seed "$s" --out "$TMP/solve" 2>/dev/null |
            grep -q "target fitness reached" && n=$((n + 1))
    done
    echo $n
}
n=$(solves configs/multiplexer6.ini "1 2 3 4 5")
[ "$n" -ge 1 ] && pass "6-multiplexer solved in $n of 5 seeds" || fail "6-multiplexer never solved in 5 seeds"
n=$(solves examples/ant.ini "1 2 3 4 5 6 7 8 9 10")
[ "$n" -ge 1 ] && pass "Santa Fe ant eats all 89 pellets in $n of 10 seeds" || fail "Santa Fe ant never solved in 10 seeds"
# RDO (semantic backpropagation) on the shipped parity config: even-6-parity,
# which no selection method alone solved in 30 seeds (BENCHMARKS.md).
sed 's/^bits = 5$/bits = 6/; s/^target_fitness = 32$/target_fitness = 64/' configs/parity5.ini >"$TMP/parity6.ini"
n=$(solves "$TMP/parity6.ini" "1 2 3 4 5")
[ "$n" -ge 4 ] && pass "even-6-parity solved with RDO in $n of 5 seeds" || fail "even-6-parity with RDO solved in only $n of 5 seeds"
expect_status 0 "iris classification runs" "$FORKGP" run configs/iris.ini --quiet --out "$TMP/iris"
grep -q "^test_balanced_accuracy = 0\.[0-9]\|^test_balanced_accuracy = 1$" "$TMP/iris/best.txt" &&
    pass "iris reports its test balanced accuracy" || fail "iris test balanced accuracy"
expect_status 2 "a regression metric for classification" "$FORKGP" run configs/iris.ini --set fitness.metric=mse --out "$TMP/iris2"
expect_err "'mse' is not a classification metric (accuracy, balanced_accuracy)" "classification metric message"

# --- a plug-in's table of cases (fgp_set_case_data), for RDO -----------------
mkdir -p "$TMP/truth"
cc -shared -fPIC -O2 -Ifitness -o "$TMP/truth/truth.so" tests/plugins/truth.c ||
    fail "cannot build tests/plugins/truth.c"
printf '[fitness]\nfunction = %s\ntarget_fitness = 32\n[run]\npopulation = 300\ngenerations = 30\n[operators]\ncrossover = 0.8\nrdo = 0.1\n' \
    "$TMP/truth/truth.so" >"$TMP/truth/t.ini"
expect_status 0 "a plug-in's table: an RDO run" "$FORKGP" run "$TMP/truth/t.ini" --quiet --out "$TMP/truth/r"
grep -q "^train_hits = 32$" "$TMP/truth/r/best.txt" &&
    pass "a plug-in's table: RDO solves the 5-majority" || fail "a plug-in's table: the 5-majority not solved"
expect_status 2 "a plug-in without a table: RDO refused, exit 2" \
    "$FORKGP" run "$TMP/truth/t.ini" --quiet --set truth.give=no --out "$TMP/truth/no"
expect_err "t.ini:9: [operators] rdo: RDO needs the table of cases, and fitness 'truth' gives none" \
    "a plug-in without a table: the message names the line and the key"
[ ! -e "$TMP/truth/no" ] && pass "a plug-in without a table: no run folder" || fail "a plug-in without a table: a run folder was made"
expect_status 2 "a plug-in without a table: check exits 2" \
    "$FORKGP" check "$TMP/truth/t.ini" --set truth.give=no
expect_status 2 "a table given before the last variable: exit 2" \
    "$FORKGP" check "$TMP/truth/t.ini" --set truth.give=early
expect_err "fitness 'truth': fgp_set_case_data was given 4 variables, and 5 were declared: call it after the last fgp_add_variable" \
    "a table given before the last variable: the message says when to call it"
expect_status 2 "RDO with regression: exit 2" \
    "$FORKGP" check configs/quartic.ini --set operators.rdo=0.1 --set operators.crossover=0.8
expect_err "operators.rdo=0.1: RDO needs the table of cases, and fitness 'regression' gives none" \
    "RDO with regression: the message names the key"
expect_status 2 "RDO with a function it cannot walk: exit 2" \
    "$FORKGP" check configs/parity5.ini --set primitives.functions=and,or,add
expect_err "[operators] rdo: RDO works on and, or, not, nand, nor and if alone, and the primitives include 'add'" \
    "RDO with a function it cannot walk: the message names it"

finish
