#!/bin/sh
# Runs every golden and bad-input case's command under valgrind (memcheck)
# and reports the cases with a memory error or a leak. Not part of ctest (it
# takes minutes); run it after changing the loaders:
#   tests/valgrind_cases.sh build/estimator
# Exit status 0 when every case is clean, 1 otherwise.
set -u
exe=${1:-build/estimator}
src=$(cd "$(dirname "$0")/.." && pwd)
command -v valgrind >/dev/null || { echo "valgrind not installed (apt-get install valgrind)"; exit 2; }
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
ESTIMATOR_PROFILES=$src/profiles
export ESTIMATOR_PROFILES
cd "$src" || exit 2
ran=0 bad=0
for cmd in tests/golden/*/cmd tests/bad/*/cmd; do
	OUT=$scratch/out
	export OUT
	args=$(cat "$cmd")
	eval "set -- $args"
	valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect \
		"$exe" "$@" >/dev/null 2>"$scratch/log" </dev/null
	status=$?
	ran=$((ran + 1))
	if [ "$status" = 99 ] || grep -q '^==[0-9]*==' "$scratch/log"; then
		echo "valgrind: $(dirname "$cmd")"
		grep '^==[0-9]*==' "$scratch/log" | head -20
		bad=$((bad + 1))
	fi
	rm -f "$OUT"
done
echo "valgrind cases: $ran run, $bad with errors"
[ "$bad" -eq 0 ]
