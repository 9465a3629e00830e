#!/bin/sh
# Runs every shipped config with two forkgp binaries, seeds 1 to 3 (or
# $SEEDS), and compares what a run writes that must not change between
# builds: best.txt, log.csv, population.csv, front.csv and config.ini (a
# checkpoint holds the elapsed time, so it differs between any two runs).
# Usage: tools/same_bytes.sh OLD_FORKGP NEW_FORKGP [CONFIG.ini...]
# Exits 1 on any difference.
# -h, --help: prints this header.
case "${1:-}" in -h | --help) sed -n '2,/^[^#]/s/^# \{0,1\}//p' "$0"; exit 0 ;; esac
set -u
old=$1 new=$2
shift 2
[ $# -gt 0 ] || set -- configs/*.ini
seeds=${SEEDS:-1 2 3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad=0 n=0
for cfg in "$@"; do
    name=$(basename "$cfg" .ini)
    for s in $seeds; do
        for side in old new; do
            eval bin=\$$side
            # The same folder for both: config.ini and the checkpoint
            # name it.
            rm -rf "$tmp/run"
            "$bin" run "$cfg" --seed "$s" --out "$tmp/run" \
                --quiet >/dev/null 2>"$tmp/$side.$name.$s.err"
            echo $? >"$tmp/$side.$name.$s.rc"
            mkdir -p "$tmp/$side"
            mv "$tmp/run" "$tmp/$side/$name.$s"
        done
        n=$((n + 1))
        for f in rc best.txt log.csv population.csv front.csv config.ini; do
            a="$tmp/old/$name.$s"; b="$tmp/new/$name.$s"
            if [ "$f" = rc ]; then
                a="$tmp/old.$name.$s.rc" b="$tmp/new.$name.$s.rc"
            else
                a="$a/$f" b="$b/$f"
            fi
            [ -e "$a" ] || [ -e "$b" ] || continue
            if ! cmp -s "$a" "$b"; then
                echo "differs: $cfg seed $s: $f"
                bad=1
            fi
        done
    done
done
[ $bad = 0 ] && echo "same bytes: $n runs" || exit 1
