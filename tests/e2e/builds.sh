#!/usr/bin/env bash
# The optimised build (-O3 -march=native, -ffp-contract=off) and an -O0
# build give byte-identical outputs: speed never changes a result.
source "$(dirname "$0")/lib.sh"
if ! make -s -j2 BUILD="$TMP/O0" OPT='-O0 -g' "$TMP/O0/forkgp" >"$TMP/build.log" 2>&1; then
    fail "cannot build with -O0: $(tail -3 "$TMP/build.log")"
    finish
fi
for ini in configs/quartic.ini configs/keijzer6.ini configs/iris.ini configs/nguyen7.ini; do
    name=$(basename "$ini" .ini)
    "$FORKGP" run "$ini" --quiet --out "$TMP/opt-$name" >/dev/null 2>&1
    "$TMP/O0/forkgp" run "$ini" --quiet --out "$TMP/O0-$name" >/dev/null 2>&1
    same=1
    for f in log.csv best.txt population.csv; do
        cmp -s "$TMP/opt-$name/$f" "$TMP/O0-$name/$f" || same=0
    done
    [ $same = 1 ] && pass "$name: the optimised and -O0 builds give the same bytes" ||
        fail "$name: the optimised and -O0 builds differ"
done
finish
