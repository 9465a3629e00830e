#!/usr/bin/env bash
# What the README shows a new user is what they get: the first run's
# output line for line (less the elided lines and the timings), its length,
# and the plug-in recipe out of the tree: make install with a PREFIX of
# one's own, pkg-config, examples/minimal.c and minimal.ini copied away.
source "$(dirname "$0")/lib.sh"

lines=$(wc -l <README.md)
[ "$lines" -le 450 ] && pass "README.md is at most 450 lines ($lines)" ||
    fail "README.md is $lines lines, more than 450"

# --- the first run, as make run prints it ------------------------------------
"$FORKGP" run configs/kepler.ini --out "$TMP/kepler" >"$TMP/kepler.out" 2>&1
if $PY - README.md "$TMP/kepler.out" <<'PYEOF'; then pass "README's first run is make run's output"; else fail "README's first run is make run's output"; fi
import re, sys
readme = open(sys.argv[1]).read().splitlines()
got = open(sys.argv[2]).read().splitlines()
start = next(i for i, l in enumerate(readme) if "one line per generation, then the result" in l)
block = []
for l in readme[start + 1:]:
    if block and not l.startswith("    "):
        break
    if l.startswith("    "):
        block.append(l[4:])
gen = re.compile(r"^ +\d+ ")
def cols(l):  # a generation's line without its timings (seconds, eta)
    return l.split()[:-2]
assert cols(block[0]) == cols(got[0]), ("header", block[0], got[0])
at = 1
for l in block[1:]:
    if l.strip() == "...":
        continue
    while at < len(got) and (cols(got[at]) != cols(l) if gen.match(l) else got[at] != l):
        at += 1
    assert at < len(got), ("not in the output, in order", l)
    at += 1
assert block[-1] == got[-1], ("the output goes on after the README's block", got[-1])
PYEOF

# --- a plug-in out of the tree ---------------------------------------------------
grep -q "PKG_CONFIG_PATH" README.md && pass "README says to set PKG_CONFIG_PATH for another PREFIX" ||
    fail "README says to set PKG_CONFIG_PATH for another PREFIX"
if command -v pkg-config >/dev/null 2>&1; then
    build=$(dirname "$FORKGP")
    if make -s install PREFIX="$TMP/inst" BUILD="$build" >"$TMP/install.log" 2>&1; then
        pass "make install PREFIX=..."
    else fail "make install PREFIX=...: $(tail -3 "$TMP/install.log")"; fi
    mkdir -p "$TMP/mine"
    cp examples/minimal.c examples/minimal.ini "$TMP/mine/"
    if (cd "$TMP/mine" && export PKG_CONFIG_PATH="$TMP/inst/lib/pkgconfig" &&
        cc -shared -fPIC $(pkg-config --cflags forkgp) minimal.c -o minimal.so) >"$TMP/cc.log" 2>&1; then
        pass "minimal.c builds out of the tree with pkg-config"
    else fail "minimal.c builds out of the tree with pkg-config: $(tail -3 "$TMP/cc.log")"; fi
    (cd "$TMP/mine" && "$TMP/inst/bin/forkgp" run minimal.ini --quiet --out run) >"$TMP/out" 2>"$TMP/err"
    st=$?
    [ $st = 0 ] && grep -q "^best program: " "$TMP/out" &&
        pass "examples/minimal.ini runs out of the tree, beside its minimal.so" ||
        fail "examples/minimal.ini runs out of the tree (exit $st): $(head -c 300 "$TMP/err")"
else
    echo "     (no pkg-config here: the out-of-tree plug-in is not built)"
fi

finish
