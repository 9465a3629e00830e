#!/usr/bin/env bash
# pgo_train: the training run of the profile-guided build (the Makefile's
# PGO). Runs an instrumented forkgp on work like its users': quartic's 20
# rows, where breeding costs as much as scoring; 10,000 rows, where the
# interpreter's blocks are everything; the transcendental functions, the
# boolean problems, classification, and a farm of 2 workers. Seeds other
# than the benchmarks' (which run seeds 1 to 20), so the profile is not fit
# to them. About 3 seconds. The counts depend on nothing but the configs
# and seeds, so every build of the same sources gets the same profile.
# Usage: tools/pgo_train.sh FORKGP
set -eu
forkgp=$1
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

train() { # name config [--set ...]
    local name=$1 ini=$2
    shift 2
    "$forkgp" run "$root/configs/$ini" --quiet --set run.workers=0 "$@" \
        --out "$tmp/$name" >/dev/null
}

for seed in 101 102 103; do
    train "quartic-$seed" quartic.ini --seed "$seed" \
        --set run.population=1000 --set fitness.target_fitness=none
done
train quartic10k quartic.ini --seed 104 --set run.generations=8 \
    --set run.population=1000 --set fitness.target_fitness=none \
    --set data.train="$root/configs/data/quartic10k.csv"
train nguyen7 nguyen7.ini --seed 105 --set run.generations=20
train pagie1 pagie1.ini --seed 106 --set run.generations=10
train keijzer6 keijzer6.ini --seed 107 --set run.generations=20
train iris iris.ini --seed 108 --set run.generations=10
train multiplexer6 multiplexer6.ini --seed 109 --set run.generations=20
train parity5 parity5.ini --seed 110 --set run.generations=10
# The farm's parent: chunks, pipes, results (the workers' own counts are
# not kept: they leave by _exit).
train farm quartic.ini --seed 111 --set run.workers=2 \
    --set run.population=1000 --set run.generations=10 \
    --set fitness.target_fitness=none \
    --set data.train="$root/configs/data/quartic10k.csv"
