#!/usr/bin/env bash
# Runs every end-to-end test script (tests/e2e/*.sh but lib.sh) and fails
# when any does. Usage: FORKGP=build/forkgp EXAMPLES=build/examples
# tests/e2e/run_all.sh
set -u
status=0
for t in "$(dirname "$0")"/*.sh; do
    # mpi.sh needs an MPI build: make test-mpi runs it.
    case "$(basename "$t")" in lib.sh | run_all.sh | mpi.sh) continue ;; esac
    echo "== $t"
    bash "$t" || status=1
done
[ "$status" = 0 ] && echo "all end-to-end checks passed"
exit $status
