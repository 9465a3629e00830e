#!/bin/sh
# The end of make test: the failed checks by name, then "N passed, N failed".
# Usage: tests/summary.sh RESULTS MAKE_STATUS [PART...]
# RESULTS holds one line per check, "ok   NAME", "FAIL NAME" or "skip NAME",
# written by tests/unit.sh, tests/e2e/lib.sh and tests/check_layers.py; a
# NAME starts with its part (unit/..., e2e/..., layers...). MAKE_STATUS is
# the exit status of the make that ran them. A PART with no check at all
# (it did not build), or a failed make with no failed check, is a failed
# check of its own. Exits 1 when anything failed.
results=$1
made=${2:-0}
shift 2
[ -f "$results" ] || : >"$results"
echo "== summary"
awk -v made="$made" -v parts="$*" '
    { part = substr($0, 6); sub(/[\/: ].*/, "", part); seen[part]++ }
    /^ok /   { passed++ }
    /^skip / { skipped++ }
    /^FAIL / { failed++; print }
    END {
        n = split(parts, want, " ")
        for (i = 1; i <= n; i++)
            if (!(want[i] in seen)) {
                failed++
                print "FAIL " want[i] ": no check ran (did it build?)"
            }
        if (made != 0 && !failed) {
            failed++
            print "FAIL make: exit " made " with no failed check, see above"
        }
        if (!passed && !failed) {
            failed++
            print "FAIL make: no check ran"
        }
        printf "%d passed, %d failed%s\n", passed, failed,
            skipped ? ", " skipped " skipped" : ""
        exit failed > 0
    }' "$results"
