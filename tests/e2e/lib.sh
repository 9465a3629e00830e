# lib.sh: what the end-to-end test scripts share (sourced, not run).
# Each script runs from the repo root with FORKGP set to the binary.
set -u
FORKGP=${FORKGP:-build/forkgp}
FORKGP=$(cd "$(dirname "$FORKGP")" && pwd)/$(basename "$FORKGP")
EXAMPLES=${EXAMPLES:-build/examples}
EXAMPLES=$(cd "$EXAMPLES" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
PY=/usr/bin/python3
failures=0
SCRIPT=$(basename "$0" .sh)

# record ok|FAIL NAME: with TEST_RESULTS set (make test), the check goes
# there too, as one line "ok   e2e/SCRIPT: NAME" (tests/summary.sh counts them)
record() {
    [ -z "${TEST_RESULTS:-}" ] ||
        printf '%-4s e2e/%s: %s\n' "$1" "$SCRIPT" \
            "$(printf '%s' "$2" | tr '\n' ' ')" >>"$TEST_RESULTS"
}
pass() { echo "ok   $1"; record ok "$1"; }
fail() { echo "FAIL $1"; failures=$((failures + 1)); record FAIL "$1"; }
# expect_status WANT NAME CMD...: runs CMD, stdout in $TMP/out, stderr in $TMP/err
expect_status() {
    local want=$1 name=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local got=$?
    if [ "$got" = "$want" ]; then pass "$name"; else
        fail "$name (exit $got, want $want)"; sed 's/^/     /' "$TMP/err" | head -5; fi
}
# expect_err TEXT NAME: the last command's stderr contains TEXT exactly
expect_err() {
    if grep -qF -- "$1" "$TMP/err"; then pass "$2"; else
        fail "$2: stderr lacks '$1'"; sed 's/^/     /' "$TMP/err" | head -5; fi
}
# same_outputs A B: run folders A and B hold the same log.csv, best.txt,
# population.csv and front.csv, byte for byte
same_outputs() {
    local f
    for f in log.csv best.txt population.csv front.csv; do
        cmp -s "$1/$f" "$2/$f" || return 1
    done
}
# finish: the script's exit status
finish() {
    [ "$failures" -eq 0 ] || echo "$failures check(s) failed in $0"
    exit $((failures > 0))
}
