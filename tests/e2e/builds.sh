#!/usr/bin/env bash
# The optimised build (-O3 -march=native, -ffp-contract=off) and an -O0
# build give byte-identical outputs: speed never changes a result. So does
# a clang build, where clang is installed (forkgp's own exp, log, sin and
# cos are plain IEEE arithmetic, which every compiler must round alike).
source "$(dirname "$0")/lib.sh"
if ! make -s -j2 BUILD="$TMP/O0" OPT='-O0 -g' "$TMP/O0/forkgp" >"$TMP/build.log" 2>&1; then
    fail "cannot build with -O0: $(tail -3 "$TMP/build.log")"
    finish
fi
builds="O0"
if command -v clang >/dev/null 2>&1; then
    if make -s -j2 CC=clang BUILD="$TMP/clang" "$TMP/clang/forkgp" >"$TMP/build.log" 2>&1; then
        builds="$builds clang"
    else
        fail "cannot build with clang: $(tail -3 "$TMP/build.log")"
    fi
else
    echo "     (no clang here: the clang build is not compared)"
fi
# name, config, and the functions when not the config's (tanh is in no
# shipped config)
cases="quartic configs/quartic.ini -
keijzer6 configs/keijzer6.ini -
iris configs/iris.ini -
nguyen7 configs/nguyen7.ini -
pagie1 configs/pagie1.ini -
quartic-tanh configs/quartic.ini add,sub,mul,div,tanh,exp"
while read -r name ini functions; do
    set -- run "$ini" --quiet
    [ "$functions" = - ] || set -- "$@" --set primitives.functions="$functions"
    "$FORKGP" "$@" --out "$TMP/opt-$name" >/dev/null 2>&1
    for b in $builds; do
        "$TMP/$b/forkgp" "$@" --out "$TMP/$b-$name" >/dev/null 2>&1
        same_outputs "$TMP/opt-$name" "$TMP/$b-$name" &&
            pass "$name: the optimised and $b builds give the same bytes" ||
            fail "$name: the optimised and $b builds differ"
    done
done <<<"$cases"
finish
