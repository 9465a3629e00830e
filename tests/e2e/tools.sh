#!/usr/bin/env bash
# Every script in tools/ takes --help (and -h): it prints what it does and
# how to call it, exits 0, and writes nothing (make_data.py once took
# --help for its output folder). An unknown option of make_data.py is
# refused, not taken for a folder.
source "$(dirname "$0")/lib.sh"

root=$PWD
for script in tools/*.sh tools/*.py; do
    for opt in --help -h; do
        mkdir -p "$TMP/cwd" && rm -rf "$TMP/cwd"/* "$TMP/cwd"/.[!.]* 2>/dev/null
        (cd "$TMP/cwd" && timeout 60 "$root/$script" $opt) >"$TMP/out" 2>"$TMP/err" </dev/null
        st=$?
        if [ $st = 0 ] && [ -s "$TMP/out" ] && [ -z "$(ls -A "$TMP/cwd")" ]; then
            pass "$script $opt: prints its usage, writes nothing"
        else
            fail "$script $opt: exit $st, $(wc -c <"$TMP/out") bytes out, wrote '$(ls -A "$TMP/cwd" | head -3 | tr '\n' ' ')'"
            sed 's/^/     /' "$TMP/err" | head -3
        fi
    done
done
git_status_before=$(git status --porcelain 2>/dev/null)
(cd "$TMP/cwd" && /usr/bin/python3 "$root/tools/make_data.py" --bogus) >"$TMP/out" 2>"$TMP/err"
st=$?
[ $st != 0 ] && [ -z "$(ls -A "$TMP/cwd")" ] && grep -q "usage" "$TMP/err" &&
    pass "make_data.py --bogus: refused, no folder made" ||
    fail "make_data.py --bogus: exit $st, wrote '$(ls -A "$TMP/cwd" | head -3 | tr '\n' ' ')'"
# The suite runner with this forkgp: a problem runs, and runs again into
# the same folder (forkgp refuses a folder that holds other files, so the
# runner keeps each run's output beside its run folder).
/usr/bin/python3 tools/sr_suite.py --out "$TMP/suite" --problems nguyen1 >/dev/null 2>&1
for pass_no in 1 2; do
    /usr/bin/python3 tools/sr_suite_run.py "$FORKGP" "$TMP/suite" --seeds 1 --jobs 1 \
        --problems nguyen1 --set run.generations=2 --out "$TMP/suite-runs" \
        >"$TMP/out" 2>&1
done
grep -q '^nguyen1,1,ok,' "$TMP/suite-runs/runs.csv" &&
    [ -s "$TMP/suite-runs/nguyen1/seed-001/best.txt" ] &&
    pass "sr_suite_run.py: a problem runs, twice into the same folder" ||
    fail "sr_suite_run.py: no run recorded ok ($(tail -2 "$TMP/out" | tr '\n' ' '))"
[ "$(git status --porcelain 2>/dev/null)" = "$git_status_before" ] &&
    pass "no script's --help changed the tree" || fail "a script's --help changed the tree"
finish
