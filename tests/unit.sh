#!/bin/sh
# Runs the cmocka test programs given as arguments, each test case a check.
# Usage: tests/unit.sh build/tests/test_x ...
# Each program prints its results as TAP (CMOCKA_MESSAGE_OUTPUT, cmocka
# 1.1.5); every case gives one line "ok   unit/test_x: case" or "FAIL ...",
# appended to the file named by $TEST_RESULTS when set (make test). A program
# that dies before it has reported every case, or that exits nonzero with no
# failed case, is a failed check of its own, so nothing is lost to a crash.
# Runs every program whatever fails; exits 1 when a check failed.
status=0
log=$(mktemp) || exit 1
trap 'rm -f "$log"' EXIT
for t in "$@"; do
    echo "== $t"
    CMOCKA_MESSAGE_OUTPUT=TAP "$t" >"$log"
    st=$?
    cat "$log"
    # A case reported twice (a forked child flushing its copy of stdout)
    # counts once. cmocka 1.1.5 writes a skipped case as "not ok N # SKIP".
    results=$(awk -v name="unit/${t##*/}" -v st="$st" '
        /^1\.\.[0-9]+/ && !plan { plan = substr($0, 4) + 0 }
        /^(not )?ok [0-9]+/ {
            n = ($1 == "not") ? $3 : $2
            if (n in seen) next
            seen[n] = 1; ran++
            c = $0; sub(/^(not )?ok [0-9]+ (- )?/, "", c)
            if (c ~ /^# SKIP/) {
                sub(/^# SKIP ?/, "", c)
                print "skip " name ": " c
            } else if ($1 == "not") { failed++; print "FAIL " name ": " c }
            else print "ok   " name ": " c
        }
        END {
            if (!plan)
                print "FAIL " name ": no results (exit " st ")"
            else if (ran < plan)
                print "FAIL " name ": reported " ran + 0 " of " plan \
                    " cases (exit " st ")"
            else if (st != 0 && !failed)
                print "FAIL " name ": exit " st " with no failed case"
        }' "$log")
    [ -z "${TEST_RESULTS:-}" ] || printf '%s\n' "$results" >>"$TEST_RESULTS"
    if printf '%s\n' "$results" | grep -q '^FAIL '; then
        printf '%s\n' "$results" | grep '^FAIL '
        status=1
    fi
done
exit $status
