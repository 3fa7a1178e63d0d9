#!/bin/sh
# Runs one golden or bad-input case: DIR/cmd holds the arguments to estimator
# (one line, run from the source tree; $OUT names a scratch file). The case
# passes when stdout, stderr and the exit status match DIR/expected.stdout,
# DIR/expected.stderr and DIR/expected.exit (each optional file compared
# exactly; a missing expected.stdout or expected.stderr means "must be empty").
# When DIR/output exists, the file written through $OUT must equal it; when
# DIR/no-output exists, $OUT must not have been created.
set -u
exe=$1 dir=$2 src=$3
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
OUT=$scratch/out
export OUT
LC_ALL=C
export LC_ALL
cd "$src" || exit 2
args=$(cat "$dir/cmd")
eval "set -- $args"
"$exe" "$@" >"$scratch/stdout" 2>"$scratch/stderr"
status=$?
fail=0
want_exit=$(cat "$dir/expected.exit" 2>/dev/null || echo 0)
if [ "$status" != "$want_exit" ]; then
	echo "exit status $status, expected $want_exit"
	fail=1
fi
for stream in stdout stderr; do
	if [ -f "$dir/expected.$stream" ]; then
		want=$dir/expected.$stream
	else
		want=/dev/null
	fi
	if ! diff -u "$want" "$scratch/$stream"; then
		echo "$stream differs from $want"
		fail=1
	fi
done
if [ -f "$dir/output" ] && ! diff -u "$dir/output" "$OUT"; then
	echo "output file differs"
	fail=1
fi
if [ -f "$dir/no-output" ] && [ -e "$OUT" ]; then
	echo "an output file was written on failure"
	fail=1
fi
if [ -f "$dir/no-output" ] && ls "$scratch" | grep -q '^out\.tmp'; then
	echo "a temporary output file was left behind"
	fail=1
fi
exit $fail
