#!/bin/sh
# Build (when needed) and run the libFuzzer targets (docs/fuzzing.md).
#
#   tests/fuzz/run.sh TARGET SECONDS     TARGET: fuzz_scenario, fuzz_profiles,
#   tests/fuzz/run.sh all SECONDS        fuzz_import, fuzz_overrides (or without
#                                        the fuzz_ prefix), or all
#
# Each target first replays, once each, every file of tests/fuzz/corpus/TARGET
# and tests/fuzz/regressions/TARGET, then fuzzes for SECONDS (0: replay only)
# with its dictionary. New corpus entries go to a scratch directory, never into
# the repository. Exits 1 when any target finds something; the input that
# triggered it is named on a line starting "run.sh: FINDING".
#
# Environment: EST_FUZZ_BUILD (build directory, default build-fuzz in the
# source tree), EST_FUZZ_WORK (scratch corpus and findings, default
# BUILD/work),
# CC (default clang), EST_FUZZ_FLAGS (more libFuzzer flags, e.g. -jobs=2).
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${EST_FUZZ_BUILD:-$src/build-fuzz}
work=${EST_FUZZ_WORK:-$build/work}
all_targets="fuzz_scenario fuzz_profiles fuzz_import fuzz_overrides"

usage() {
	echo "usage: tests/fuzz/run.sh TARGET|all SECONDS (targets: $all_targets)" >&2
	exit 2
}
[ $# -eq 2 ] || usage
case $2 in
'' | *[!0-9]*) usage ;;
esac
seconds=$2
case $1 in
all) targets=$all_targets ;;
fuzz_scenario | fuzz_profiles | fuzz_import | fuzz_overrides) targets=$1 ;;
scenario | profiles | import | overrides) targets=fuzz_$1 ;;
*) usage ;;
esac

# a build directory configured from another source tree is configured afresh
if [ -f "$build/CMakeCache.txt" ] &&
	! grep -qx "CMAKE_HOME_DIRECTORY:INTERNAL=$src" "$build/CMakeCache.txt"; then
	rm -rf "$build"
fi
if [ ! -f "$build/CMakeCache.txt" ]; then
	mkdir -p "$build"
	cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER="${CC:-clang}" \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo -DEST_FUZZ=ON -DBUILD_TESTING=OFF >"$build/run.log" 2>&1 ||
		{ cat "$build/run.log"; echo "run.sh: configuring $build failed" >&2; exit 2; }
fi
# shellcheck disable=SC2086
cmake --build "$build" -j "$(nproc 2>/dev/null || echo 2)" --target $targets >"$build/run.log" 2>&1 ||
	{ tail -n 40 "$build/run.log"; echo "run.sh: building $targets failed" >&2; exit 2; }

# Sanitizer reports end the run; a leak is a finding too.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

status=0
for t in $targets; do
	bin=$build/tests/fuzz/$t
	dir=$work/$t
	mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/tmp"
	log=$dir/last.log
	common="-timeout=10 -rss_limit_mb=2048 -artifact_prefix=$dir/artifacts/ -print_final_stats=1"

	# 1. every committed input, once
	files=$(find "$here/corpus/$t" "$here/regressions/$t" -type f ! -name '.*' 2>/dev/null | sort)
	echo "run.sh: $t: replaying $(echo "$files" | grep -c .) committed inputs"
	# shellcheck disable=SC2086
	if ! (cd "$dir" && TMPDIR=$dir/tmp "$bin" $common $files) >"$log" 2>&1; then
		tail -n 60 "$log"
		input=$(sed -n 's/^Running: //p' "$log" | tail -n 1)
		echo "run.sh: FINDING in $t: a committed input fails: $input (log: $log)"
		status=1
		continue
	fi
	[ "$seconds" -gt 0 ] || continue

	# 2. fuzz; new entries go to the scratch corpus (the first directory)
	echo "run.sh: $t: fuzzing for $seconds s (scratch corpus $dir/corpus)"
	# shellcheck disable=SC2086
	if (cd "$dir" && TMPDIR=$dir/tmp "$bin" $common -max_total_time="$seconds" \
		-dict="$here/$t.dict" ${EST_FUZZ_FLAGS:-} \
		"$dir/corpus" "$here/corpus/$t" "$here/regressions/$t") >"$log" 2>&1; then
		sed -n 's/^stat::\(number_of_executed_units\|average_exec_per_sec\|peak_rss_mb\|new_units_added\): */  \1 /p' "$log"
	else
		tail -n 60 "$log"
		input=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
		echo "run.sh: FINDING in $t: ${input:-see $log} (log: $log)"
		status=1
	fi
done
exit $status
