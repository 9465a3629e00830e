#!/usr/bin/env bash
# Files end to end: what a run reads and writes when the files are not
# what they seem. Links planted in a run folder are replaced, never
# written through; a folder of other files is not taken as a run folder
# unless --force says so; a checkpoint that is not a regular file, or not
# a checkpoint, is refused before it is read; data from a pipe is read,
# with a bound, and a line of a CSV has a bound of its own.
source "$(dirname "$0")/lib.sh"
F=$TMP/files
mkdir -p "$F"
Q=(configs/quartic.ini --quiet --set run.generations=3 --set run.population=100)

# --- links planted in the run folder ------------------------------------------
# Every name forkgp writes in a run folder, its temporaries included, is
# made a link to a file of its own in an earlier run's folder: the run
# again, and plot, go ahead, and not one target changes.
names="config.ini config.ini.tmp log.csv timing.csv best.txt best.txt.tmp
front.csv.tmp population.csv.tmp manifest.ini.tmp checkpoint.bin.tmp
plot.gp.tmp plot.gp"
mkdir -p "$F/targets"
"$FORKGP" run "${Q[@]}" --out "$F/links" >/dev/null 2>&1
for n in $names; do
    echo "target of $n" >"$F/targets/$n"
    rm -f "$F/links/$n"
    ln -s "$F/targets/$n" "$F/links/$n"
done
expect_status 0 "links in the run folder: the run goes ahead" \
    "$FORKGP" run "${Q[@]}" --out "$F/links"
if command -v gnuplot >/dev/null; then
    "$FORKGP" plot "$F/links" >/dev/null 2>&1
fi
changed=
for n in $names; do
    [ "$(cat "$F/targets/$n")" = "target of $n" ] || changed="$changed $n"
done
[ -z "$changed" ] && pass "links in the run folder: no target written" ||
    fail "links in the run folder: targets written through:$changed"
[ -f "$F/links/log.csv" ] && [ ! -L "$F/links/log.csv" ] &&
    [ ! -L "$F/links/config.ini" ] &&
    pass "links in the run folder: replaced by the run's own files" ||
    fail "links in the run folder: log.csv or config.ini is still a link"
# Resume reopens log.csv and timing.csv: a link there is refused, not
# written through.
"$FORKGP" run "${Q[@]}" --set run.generations=6 --out "$F/rl" >/dev/null 2>&1
echo "target of the resumed log" >"$F/targets/rl"
rm "$F/rl/log.csv" && ln -s "$F/targets/rl" "$F/rl/log.csv"
# (a larger budget: the finished run would otherwise be complete)
expect_status 2 "resume: log.csv a link is refused" "$FORKGP" resume "$F/rl" --quiet --generations 8
expect_err "log.csv': it is a symbolic link" "resume: log.csv a link: the message says so"
[ "$(cat "$F/targets/rl")" = "target of the resumed log" ] &&
    pass "resume: log.csv a link: its target untouched" ||
    fail "resume: log.csv a link: its target was written"

# --- an output folder of other files -------------------------------------------
mkdir -p "$F/foreign"
echo "my notes" >"$F/foreign/notes.txt"
expect_status 2 "a folder of other files is refused" \
    "$FORKGP" run "${Q[@]}" --out "$F/foreign"
expect_err "output folder '$F/foreign' holds files but no forkgp run; name a new or empty folder, or add --force to write into it anyway" \
    "a folder of other files: the message says what to do"
[ ! -e "$F/foreign/log.csv" ] && [ "$(ls "$F/foreign")" = notes.txt ] &&
    pass "a folder of other files: nothing written" ||
    fail "a folder of other files: files written: $(ls "$F/foreign" | tr '\n' ' ')"
expect_status 2 "a folder of other files, batch: refused" \
    "$FORKGP" run "${Q[@]}" --runs 2 --out "$F/foreign"
expect_status 0 "a folder of other files with --force" \
    "$FORKGP" run "${Q[@]}" --out "$F/foreign" --force
[ "$(cat "$F/foreign/notes.txt")" = "my notes" ] && [ -s "$F/foreign/best.txt" ] &&
    pass "--force: the run's files beside the others" ||
    fail "--force: the run's files or the others are missing"
# A forkgp run folder is reused as before: the new files replace the old,
# other files stay, and the same seed gives the same bytes.
mkdir -p "$F/empty"
expect_status 0 "an empty folder is taken" "$FORKGP" run "${Q[@]}" --out "$F/empty"
"$FORKGP" run "${Q[@]}" --out "$F/again" >/dev/null 2>&1
echo "a note" >"$F/again/notes.txt"
cp -r "$F/again" "$F/again-first"
expect_status 0 "a run folder is reused" "$FORKGP" run "${Q[@]}" --out "$F/again"
same_outputs "$F/again" "$F/again-first" && [ -f "$F/again/notes.txt" ] &&
    pass "a run folder reused: the same bytes, other files kept" ||
    fail "a run folder reused: outputs differ or other files gone"
"$FORKGP" run "${Q[@]}" --runs 2 --out "$F/batch" >/dev/null 2>&1
expect_status 0 "a batch folder is reused" "$FORKGP" run "${Q[@]}" --runs 2 --out "$F/batch"

# --- a checkpoint that is not a regular file, or not a checkpoint ---------------
# Each refused at once with exit 2 (timeout only guards against a hang).
"$FORKGP" run "${Q[@]}" --out "$F/ck" >/dev/null 2>&1
cp "$F/ck/checkpoint.bin" "$F/good.bin"
rm "$F/ck/checkpoint.bin" && mkfifo "$F/ck/checkpoint.bin"
expect_status 2 "resume: checkpoint.bin a named pipe is refused" \
    timeout -k 5 60 "$FORKGP" resume "$F/ck" --quiet
expect_err "$F/ck/checkpoint.bin: a named pipe, not a checkpoint file" \
    "resume: checkpoint.bin a named pipe: the message"
rm "$F/ck/checkpoint.bin" && ln -s /dev/zero "$F/ck/checkpoint.bin"
expect_status 2 "resume: checkpoint.bin a link to /dev/zero is refused" \
    timeout -k 5 60 "$FORKGP" resume "$F/ck" --quiet
expect_err "$F/ck/checkpoint.bin: a device, not a checkpoint file" \
    "resume: checkpoint.bin a device: the message"
# A file of 64 GiB (sparse) that begins as a checkpoint does: its size is
# more than this configuration's checkpoint can be, and it is not read.
rm "$F/ck/checkpoint.bin" && head -c 12 "$F/good.bin" >"$F/ck/checkpoint.bin"
truncate -s 64G "$F/ck/checkpoint.bin"
expect_status 2 "resume: a checkpoint of 64 GiB is refused" \
    timeout -k 5 60 "$FORKGP" resume "$F/ck" --quiet
expect_err "68719476736 bytes: larger than a checkpoint of this configuration can be" \
    "resume: a checkpoint of 64 GiB: the message"
rm "$F/ck/checkpoint.bin" && cp "$F/good.bin" "$F/ck/checkpoint.bin"
expect_status 0 "resume: the checkpoint put back resumes" "$FORKGP" resume "$F/ck" --quiet

# --- data from pipes and devices ---------------------------------------------
# /dev/zero has no line end: refused at the line bound, not read on.
expect_status 2 "[data] train = /dev/zero is refused" \
    timeout -k 5 60 "$FORKGP" run "${Q[@]}" --set data.train=/dev/zero --out "$F/zero"
expect_err "/dev/zero:1: a line longer than 16 MiB (the most a line of a CSV file may be)" \
    "[data] train = /dev/zero: the message"
# A line over the bound in a regular file: its file and line named.
$PY -c "import sys; open(sys.argv[1], 'w').write('x,y\\n1,2\\n' + '1' * (17 << 20) + ',2\\n')" "$F/long.csv"
expect_status 2 "a CSV line over 16 MiB is refused" \
    timeout -k 5 60 "$FORKGP" run "${Q[@]}" --set data.train="$F/long.csv" --out "$F/long"
expect_err "$F/long.csv:3: a line longer than 16 MiB" "a CSV line over 16 MiB: file and line named"
rm -f "$F/long.csv"
# Data from a command (process substitution) and from a named pipe: the
# same run as from the file.
"$FORKGP" run "${Q[@]}" --out "$F/from-file" >/dev/null 2>&1
expect_status 0 "data from a process substitution" timeout -k 5 120 \
    "$FORKGP" run "${Q[@]}" --set data.train=<(cat configs/data/quartic.csv) --out "$F/from-cmd"
same_outputs "$F/from-file" "$F/from-cmd" &&
    pass "data from a process substitution: the file's results" ||
    fail "data from a process substitution: results differ from the file's"
mkfifo "$F/data.fifo"
cat configs/data/quartic.csv >"$F/data.fifo" &
writer=$!
expect_status 0 "data from a named pipe" timeout -k 5 120 \
    "$FORKGP" run "${Q[@]}" --set data.train="$F/data.fifo" --out "$F/from-fifo"
wait "$writer" 2>/dev/null
same_outputs "$F/from-file" "$F/from-fifo" &&
    pass "data from a named pipe: the file's results" ||
    fail "data from a named pipe: results differ from the file's"

finish
