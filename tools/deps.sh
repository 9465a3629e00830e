#!/bin/sh
# Installs what forkgp needs to build and test, from Debian's packages:
# apt-get when root, sudo when available, else prints the command and fails.
set -u
pkgs="gcc g++ make pkg-config libinih-dev libcmocka-dev libpcg-cpp-dev python3-sympy python3-numpy gnuplot-nox python3-deap"
# "deps.sh mpi": also Open MPI, for make MPI=1
[ "${1:-}" = mpi ] && pkgs="$pkgs openmpi-bin libopenmpi-dev"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

cmd="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y$missing"
echo "deps: installing$missing" >&2
if [ "$(id -u)" = 0 ]; then
    sh -c "$cmd" >&2 && exit 0
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n sh -c "$cmd" >&2 && exit 0
fi
echo "deps: cannot install$missing; run as root:" >&2
echo "    $cmd" >&2
exit 1
