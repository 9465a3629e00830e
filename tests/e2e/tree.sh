#!/usr/bin/env bash
# The repository tracks sources, not what building, testing or Python
# leave behind: no tracked file matches .gitignore, and no compiled Python
# (__pycache__/, *.pyc) or object file is tracked. Skipped outside a git
# checkout (a tarball of the tree).
source "$(dirname "$0")/lib.sh"

if ! git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    echo "     (not a git checkout: nothing to check)"
    finish
fi
ignored=$(git ls-files -ci --exclude-standard)
[ -z "$ignored" ] && pass "no tracked file is ignored by .gitignore" ||
    fail "tracked files that .gitignore ignores: $(echo "$ignored" | head -5 | tr '\n' ' ')"
built=$(git ls-files | grep -E '(^|/)__pycache__/|\.py[co]$|\.o$|\.so$|\.d$')
[ -z "$built" ] && pass "no compiled Python or object file is tracked" ||
    fail "build or Python leftovers tracked: $(echo "$built" | head -5 | tr '\n' ' ')"
missed=""
for f in tools/__pycache__/x.cpython-311.pyc build/x.o x.so runs/x/log.csv; do
    git check-ignore -q --no-index "$f" || missed="$missed $f"
done
[ -z "$missed" ] && pass "what building, testing and Python leave behind is ignored" ||
    fail "not ignored:$missed"
finish
