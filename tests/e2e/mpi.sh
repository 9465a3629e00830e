#!/usr/bin/env bash
# The MPI backend end to end (make test-mpi; not part of make test, which
# needs no MPI): the same bytes as the fork backend for any number of ranks
# and workers per rank, a rank's death ends the job, and its checkpoint
# resumes with the fork backend.
source "$(dirname "$0")/lib.sh"
# Root may run mpirun here (CI runs as root); more ranks than cores is fine.
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
MPIRUN=(mpirun --oversubscribe)

args0=(configs/pagie1.ini --quiet --set run.generations=60 --set output.checkpoint_every=2 --set output.checkpoint_seconds=0)

# --- the same bytes as the fork backend ---------------------------------------
for ini in configs/quartic.ini configs/keijzer6.ini examples/subsample.ini; do
    name=$(basename "$ini" .ini)
    common=(--quiet --seed 5 --set run.generations=8 --set fitness.target_fitness=none)
    "$FORKGP" run "$ini" "${common[@]}" --set run.workers=0 --out "$TMP/fork-$name" >/dev/null 2>&1 ||
        fail "$name: the fork run failed"
    for ranks in 2 3; do
        for w in 0 1 2; do
            out="$TMP/mpi-$name-$ranks-$w"
            timeout 120 "${MPIRUN[@]}" -n $ranks "$FORKGP" run "$ini" "${common[@]}" \
                --set run.backend=mpi --set run.workers=$w --out "$out" >"$TMP/mpi.log" 2>&1 ||
                { fail "$name: mpirun -n $ranks, $w workers per rank: exit $? ($(tail -2 "$TMP/mpi.log"))"; continue; }
            same_outputs "$TMP/fork-$name" "$out" && pass "$name: mpirun -n $ranks, $w workers per rank: the fork backend's bytes" ||
                fail "$name: mpirun -n $ranks, $w workers per rank: outputs differ"
        done
    done
done

# --- constant optimisation: the tuned constants come back from the ranks -----
common=(--quiet --seed 2 --set run.generations=6 --set fitness.target_fitness=none
        --set optimize.method=lm --set optimize.share=0.5)
"$FORKGP" run configs/keijzer6.ini "${common[@]}" --set run.workers=0 \
    --out "$TMP/fork-lm" >/dev/null 2>&1 || fail "lm: the fork run failed"
timeout 120 "${MPIRUN[@]}" -n 3 "$FORKGP" run configs/keijzer6.ini "${common[@]}" \
    --set run.backend=mpi --set run.workers=1 --out "$TMP/mpi-lm" >"$TMP/mpi.log" 2>&1 ||
    fail "lm: mpirun -n 3: exit $? ($(tail -2 "$TMP/mpi.log"))"
same_outputs "$TMP/fork-lm" "$TMP/mpi-lm" &&
    pass "optimize.method = lm: mpirun -n 3, the fork backend's bytes" ||
    fail "optimize.method = lm: mpirun -n 3: outputs differ"
# The tuned constants kept apart (lamarckian = no): the ranks send every
# constant back, the fork backend only tuned ones; the state is the same.
"$FORKGP" run configs/keijzer6.ini "${common[@]}" --set optimize.lamarckian=no \
    --set run.workers=0 --out "$TMP/fork-bald" >/dev/null 2>&1 || fail "lamarckian = no: the fork run failed"
timeout 120 "${MPIRUN[@]}" -n 3 "$FORKGP" run configs/keijzer6.ini "${common[@]}" \
    --set optimize.lamarckian=no --set run.backend=mpi --set run.workers=1 \
    --out "$TMP/mpi-bald" >"$TMP/mpi.log" 2>&1 ||
    fail "lamarckian = no: mpirun -n 3: exit $? ($(tail -2 "$TMP/mpi.log"))"
same_outputs "$TMP/fork-bald" "$TMP/mpi-bald" &&
    pass "optimize.method = lm, lamarckian = no: mpirun -n 3, the fork backend's bytes" ||
    fail "optimize.method = lm, lamarckian = no: mpirun -n 3: outputs differ"

# --- selection by case errors and NSGA-II: the errors come back from the
# ranks, down-sampled cases are drawn alike on every rank ------------------
for sel in "configs/pagie1.ini epsilon_lexicase 0" "configs/pagie1.ini epsilon_lexicase 30" \
    "configs/parity5.ini lexicase 0" "configs/pagie1.ini nsga2 0" \
    "configs/parity5.ini tournament 0 4" "configs/pagie1.ini epsilon_lexicase 0 3"; do
    set -- $sel
    # islands (a fourth word): migrating every 2 generations
    name="$(basename "$1" .ini) $2 cases=$3${4:+, $4 islands}"
    common=(--quiet --seed 2 --set run.generations=5 --set fitness.target_fitness=none
            --set selection.method=$2 --set selection.cases=$3
            --set islands.count=${4:-1} --set islands.migration_size=$([ -n "${4:-}" ] && echo 3 || echo 1)
            --set islands.migration_interval=2)
    "$FORKGP" run "$1" "${common[@]}" --set run.workers=0 \
        --out "$TMP/fork-sel" >/dev/null 2>&1 || fail "$name: the fork run failed"
    timeout 120 "${MPIRUN[@]}" -n 3 "$FORKGP" run "$1" "${common[@]}" \
        --set run.backend=mpi --set run.workers=1 --out "$TMP/mpi-sel" >"$TMP/mpi.log" 2>&1 ||
        fail "$name: mpirun -n 3: exit $? ($(tail -2 "$TMP/mpi.log"))"
    same_outputs "$TMP/fork-sel" "$TMP/mpi-sel" &&
        pass "$name: mpirun -n 3, the fork backend's bytes" ||
        fail "$name: mpirun -n 3: outputs differ"
done

# --- NSGA-II on a plug-in's further objectives: they come back from the
# ranks with the fitness (tests/plugins/objectives.c, two of them) ---------
cc -shared -fPIC -O2 -Ifitness -o "$TMP/objectives.so" tests/plugins/objectives.c ||
    fail "cannot build tests/plugins/objectives.c"
printf '[fitness]\nfunction = %s\n[run]\npopulation = 300\n[objectives]\ncount = 2\n' \
    "$TMP/objectives.so" >"$TMP/objectives.ini"
common=(--quiet --seed 2 --set run.generations=6 --set selection.method=nsga2)
"$FORKGP" run "$TMP/objectives.ini" "${common[@]}" --set run.workers=0 \
    --out "$TMP/fork-obj" >/dev/null 2>&1 || fail "objectives: the fork run failed"
timeout 120 "${MPIRUN[@]}" -n 3 "$FORKGP" run "$TMP/objectives.ini" "${common[@]}" \
    --set run.backend=mpi --set run.workers=1 --out "$TMP/mpi-obj" >"$TMP/mpi.log" 2>&1 ||
    fail "objectives: mpirun -n 3: exit $? ($(tail -2 "$TMP/mpi.log"))"
same_outputs "$TMP/fork-obj" "$TMP/mpi-obj" &&
    pass "nsga2 with a plug-in's 2 objectives: mpirun -n 3, the fork backend's bytes" ||
    fail "nsga2 with a plug-in's 2 objectives: mpirun -n 3: outputs differ"

# --- a fork run's checkpoint resumes under mpirun ------------------------------
"$FORKGP" run "${args0[@]}" --out "$TMP/fk" >/dev/null 2>&1 &
job=$!
for _ in $(seq 200); do [ -s "$TMP/fk/checkpoint.bin" ] && break; sleep 0.05; done
kill -9 $job
wait $job 2>/dev/null
timeout 120 "${MPIRUN[@]}" -n 3 "$FORKGP" resume "$TMP/fk" --backend mpi --quiet >/dev/null 2>&1 &&
    pass "a fork run resumes under mpirun -n 3" || fail "a fork run did not resume under mpirun"
"$FORKGP" run "${args0[@]}" --out "$TMP/fkref" >/dev/null 2>&1
same_outputs "$TMP/fkref" "$TMP/fk" && pass "resumed under MPI: the uninterrupted run's bytes" || fail "resumed under MPI: differs"

# --- one rank has nobody to evaluate -------------------------------------------
"${MPIRUN[@]}" -n 1 "$FORKGP" run configs/quartic.ini --quiet --set run.backend=mpi \
    --out "$TMP/one" >/dev/null 2>"$TMP/err"
expect_err "[run] backend = mpi needs ranks to evaluate" "mpirun -n 1 says what is missing"

# --- a rank dies: the job ends; the checkpoint resumes with the fork backend ---
args=(configs/pagie1.ini --quiet --set run.generations=60 --set output.checkpoint_every=2 --set output.checkpoint_seconds=0)
"$FORKGP" run "${args[@]}" --out "$TMP/ref" >/dev/null 2>&1
timeout 120 "${MPIRUN[@]}" -n 3 "$FORKGP" run "${args[@]}" --set run.backend=mpi \
    --out "$TMP/dead" >"$TMP/dead.log" 2>&1 &
job=$!
for _ in $(seq 200); do [ -s "$TMP/dead/checkpoint.bin" ] && break; sleep 0.05; done
mp=$(pgrep -P $job -x mpirun)
victim=$(pgrep -P "$mp" | tail -1)
kill -9 "$victim" 2>/dev/null
wait $job
st=$?
[ $st != 0 ] && pass "a rank killed with -9 ends the job (exit $st)" || fail "a dead rank did not end the job"
sleep 0.5
[ -z "$(pgrep -f -- "$TMP/dead")" ] && pass "no process of the job is left" ||
    fail "processes left: $(pgrep -f -- "$TMP/dead" | tr '\n' ' ')"
expect_status 0 "the MPI run resumes with --backend fork" "$FORKGP" resume "$TMP/dead" --backend fork --quiet
same_outputs "$TMP/ref" "$TMP/dead" && pass "resumed: the uninterrupted fork run's bytes" || fail "resumed run differs"

finish
