#!/bin/sh
# The whole test suite: a normal build and an AddressSanitizer +
# UndefinedBehaviorSanitizer build, each configured, built warning-free
# (-Werror) and run under ctest. Exits non-zero when any step fails.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
for kind in build build-asan; do
	if [ "$kind" = build-asan ]; then
		extra="-DEST_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug"
	else
		extra="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
	fi
	echo "== $kind"
	# shellcheck disable=SC2086
	cmake -S . -B "$kind" -DEST_WERROR=ON $extra >/dev/null
	cmake --build "$kind" -j "$jobs"
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --test-dir "$kind" --output-on-failure -j "$jobs"
done
