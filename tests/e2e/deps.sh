#!/usr/bin/env bash
# tools/deps.sh without apt: stubs of dpkg-query, apt-get, id and sudo on
# PATH record what it would install and how. make run asks for what
# building and running need, make test for the tests' packages too;
# apt-get waits for another apt's lock; root is never told to become root.
source "$(dirname "$0")/lib.sh"

stub=$TMP/stub
mkdir -p "$stub"
# dpkg-query: the packages named in $TMP/installed are installed
cat >"$stub/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
grep -qx "$p" "$STUB_DIR/installed" 2>/dev/null && printf 'install ok installed'
exit 0
STUB
# apt-get: records its arguments, exits $STUB_APT_STATUS
cat >"$stub/apt-get" <<'STUB'
#!/bin/sh
echo "apt-get $*" >>"$STUB_DIR/apt.log"
exit "${STUB_APT_STATUS:-0}"
STUB
cat >"$stub/id" <<'STUB'
#!/bin/sh
echo "${STUB_UID:-0}"
STUB
# sudo: never without a password here
cat >"$stub/sudo" <<'STUB'
#!/bin/sh
exit 1
STUB
chmod +x "$stub"/*
: >"$TMP/installed"

# deps ARGS...: tools/deps.sh ARGS with the stubs; stdout+stderr in $TMP/err
deps() {
    rm -f "$TMP/apt.log"
    STUB_DIR=$TMP PATH="$stub:$PATH" ./tools/deps.sh "$@" >"$TMP/err" 2>&1
}
# installs WORD: the last apt-get install asked for package WORD
installs() { grep '^apt-get .* install ' "$TMP/apt.log" 2>/dev/null | grep -qw -- "$1"; }

STUB_UID=0 deps run
st=$?
if [ $st = 0 ] && installs libinih-dev && installs libcminpack-dev && installs gcc &&
    ! installs python3-deap && ! installs python3-sympy && ! installs gnuplot-nox &&
    ! installs libcmocka-dev; then
    pass "deps run: what building and running need, not the tests' packages"
else
    fail "deps run: what building and running need, not the tests' packages (exit $st)"
    sed 's/^/     /' "$TMP/apt.log" 2>/dev/null | head -5
fi
STUB_UID=0 deps test
if installs python3-deap && installs python3-sympy && installs libcmocka-dev &&
    installs libpcg-cpp-dev && installs gnuplot-nox && installs procps && installs libinih-dev; then
    pass "deps test: the tests' and benchmarks' packages too"
else fail "deps test: the tests' and benchmarks' packages too"; fi
STUB_UID=0 deps
installs python3-deap && pass "deps without argument: everything make test needs" ||
    fail "deps without argument: everything make test needs"
if [ -s "$TMP/apt.log" ] &&
    [ "$(grep -c -- '-o DPkg::Lock::Timeout=[1-9]' "$TMP/apt.log")" = "$(wc -l <"$TMP/apt.log")" ]; then
    pass "every apt-get waits for the dpkg lock"
else fail "every apt-get waits for the dpkg lock"; sed 's/^/     /' "$TMP/apt.log" | head -3; fi

# Everything there: nothing to do.
printf '%s\n' gcc make pkg-config libinih-dev libcminpack-dev >"$TMP/installed"
STUB_UID=0 deps run
[ $? = 0 ] && [ ! -e "$TMP/apt.log" ] && pass "deps run: nothing missing, no apt-get" ||
    fail "deps run: nothing missing, no apt-get"
: >"$TMP/installed"

# apt-get fails as root (a lock still held, no network): not "run as root".
STUB_UID=0 STUB_APT_STATUS=100 deps run
st=$?
if [ $st = 1 ] && grep -q "apt-get failed" "$TMP/err" && ! grep -qi "as root" "$TMP/err"; then
    pass "root whose apt-get fails is told so, not told to be root"
else fail "root whose apt-get fails is told so, not told to be root (exit $st)"; sed 's/^/     /' "$TMP/err" | head -3; fi

# A user without sudo: the command to run as root, and no apt-get tried.
STUB_UID=1000 deps run
st=$?
if [ $st = 1 ] && grep -q "as root" "$TMP/err" && grep -q "apt-get .*install -y" "$TMP/err" &&
    [ ! -e "$TMP/apt.log" ]; then
    pass "a user without sudo gets the command for root"
else fail "a user without sudo gets the command for root (exit $st)"; fi

deps --help
[ $? = 0 ] && grep -q "usage:" "$TMP/err" && [ ! -e "$TMP/apt.log" ] &&
    pass "deps --help: usage, nothing installed" || fail "deps --help: usage, nothing installed"
deps bogus
[ $? = 2 ] && pass "deps with an unknown argument: exit 2" || fail "deps with an unknown argument: exit 2"

# make run asks for the run packages, make test (and .ci/run) for the tests'.
# (make -n test would run its recursive part: the Makefile's rule is read.)
if make -n run 2>/dev/null | grep -q "tools/deps.sh run" &&
    make -n deps 2>/dev/null | grep -q "tools/deps.sh test" &&
    grep -q "^test: deps$" Makefile && grep -q "make test" .ci/run; then
    pass "make run installs the run packages, make test the tests'"
else fail "make run installs the run packages, make test the tests'"; fi

finish
