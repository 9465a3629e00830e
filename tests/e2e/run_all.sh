#!/usr/bin/env bash
# Runs every end-to-end test script (tests/e2e/*.sh but lib.sh) and fails
# when any does. Usage: FORKGP=build/forkgp EXAMPLES=build/examples
# tests/e2e/run_all.sh
# With TEST_RESULTS set, each check is recorded there (lib.sh); a script
# that fails with no failed check recorded (it died on the way) is recorded
# as a failed check of its own.
set -u
status=0
for t in "$(dirname "$0")"/*.sh; do
    name=$(basename "$t" .sh)
    # mpi.sh needs an MPI build: make test-mpi runs it.
    case "$name" in lib | run_all | mpi) continue ;; esac
    echo "== $t"
    bash "$t"
    st=$?
    [ "$st" = 0 ] && continue
    status=1
    if [ -n "${TEST_RESULTS:-}" ] &&
        ! grep -q "^FAIL e2e/$name: " "$TEST_RESULTS"; then
        echo "FAIL e2e/$name: exit $st with no failed check" >>"$TEST_RESULTS"
    fi
done
[ "$status" = 0 ] && echo "all end-to-end checks passed"
exit $status
