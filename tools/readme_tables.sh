#!/bin/sh
# Regenerates the README's generated tables (between <!-- NAME:begin -->
# and <!-- NAME:end -->) from the forkgp binary, so docs and code agree.
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -e
forkgp=${1:-build/forkgp}
keys=$(mktemp) funcs=$(mktemp) example=$(mktemp)
"$forkgp" help keys --markdown >"$keys"
"$forkgp" help functions >"$funcs"
{ echo '```c'; cat examples/minimal.c; echo '```'; } >"$example"
awk -v keys="$keys" -v funcs="$funcs" -v example="$example" '
    /^<!-- keys:begin -->$/ { print; while ((getline l < keys) > 0) print l; skip = 1; next }
    /^<!-- functions:begin -->$/ { print; while ((getline l < funcs) > 0) print l; skip = 1; next }
    /^<!-- example:begin -->$/ { print; while ((getline l < example) > 0) print l; skip = 1; next }
    /^<!-- (keys|functions|example):end -->$/ { skip = 0 }
    !skip { print }
' README.md >README.md.new
mv README.md.new README.md
rm -f "$keys" "$funcs" "$example"
