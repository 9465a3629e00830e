#!/bin/sh
# Installs the Debian packages forkgp needs that are missing, with apt-get:
# as root itself, else through sudo when it needs no password, else it
# prints the command for root and fails.
usage="usage: tools/deps.sh [run | test | mpi]
  run   what building forkgp and running it need (make run): gcc, make,
        pkg-config, libinih-dev, libcminpack-dev
  test  those, and what the tests and benchmarks need (make test, make
        deps, the default): g++, libcmocka-dev, libpcg-cpp-dev,
        gnuplot-nox, python3-numpy, python3-sympy, python3-deap, procps,
        python3-sklearn, python3-pandas (the Python package's tests)
  mpi   those of test, and Open MPI (make MPI=1, make test-mpi)
Waits up to DEPS_LOCK_TIMEOUT seconds (default 600) for another apt or
dpkg (unattended upgrades on a new machine) to let go of its lock."
set -u
run_pkgs="gcc make pkg-config libinih-dev libcminpack-dev"
# procps: pgrep, with which the tests look for processes left behind.
# python3-sklearn, python3-pandas: the Python package (python/) and its tests.
test_pkgs="$run_pkgs g++ libcmocka-dev libpcg-cpp-dev gnuplot-nox python3-numpy python3-sympy python3-deap procps python3-sklearn python3-pandas"
case "${1:-test}" in
run) pkgs=$run_pkgs ;;
test) pkgs=$test_pkgs ;;
mpi) pkgs="$test_pkgs openmpi-bin libopenmpi-dev" ;;
-h | --help)
    echo "$usage"
    exit 0
    ;;
*)
    echo "deps: unknown argument '$1'" >&2
    echo "$usage" >&2
    exit 2
    ;;
esac
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
        missing="$missing $p"
done
[ -z "$missing" ] && exit 0

# apt-get waits for the dpkg lock instead of failing at once.
wait="-o DPkg::Lock::Timeout=${DEPS_LOCK_TIMEOUT:-600}"
cmd="apt-get $wait update && DEBIAN_FRONTEND=noninteractive apt-get $wait install -y$missing"
echo "deps: installing$missing" >&2
if [ "$(id -u)" = 0 ]; then
    how=""
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    how="sudo -n"
else
    echo "deps: cannot install$missing: not root, and no sudo without a" \
        "password; as root, run:" >&2
    echo "    $cmd" >&2
    exit 1
fi
$how sh -c "$cmd" >&2
st=$?
[ "$st" = 0 ] && exit 0
echo "deps: apt-get failed (exit $st) installing$missing: see its" \
    "message above" >&2
exit 1
