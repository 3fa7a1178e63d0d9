#!/bin/sh
# Where -o writes, and standard input as a scenario (docs/estimator.1, FILES):
# a symbolic link's target is replaced and the link kept; a FIFO and a device
# are written as they are (/dev/full: exit 4 with the OS's reason); an
# existing file keeps its mode; a new one gets 0666 less the umask; no
# temporary file is left. FILE '-' is standard input, named <stdin>.
# Usage: check_output_paths.sh ESTIMATOR SOURCE_DIR
set -u
exe=$1 src=$2
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
cd "$src" || exit 2
LC_ALL=C
export LC_ALL
scenario=tests/data/hand-1.yaml
profiles=tests/data/profiles-mini
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

run() {
	"$exe" run "$scenario" --profiles "$profiles" --format json "$@"
}

run >"$scratch/want" || bad "the reference run failed"

# A symbolic link (relative, in another directory): its target is written, the link stays.
mkdir "$scratch/d" "$scratch/l"
echo old >"$scratch/d/target"
ln -s ../d/target "$scratch/l/link"
run -o "$scratch/l/link" || bad "symlink: exit status $?"
[ -L "$scratch/l/link" ] || bad "symlink: the link was replaced"
cmp -s "$scratch/want" "$scratch/d/target" || bad "symlink: the target does not hold the output"
# A dangling link: the file it names is created.
ln -s new-target "$scratch/d/dangling"
run -o "$scratch/d/dangling" || bad "dangling symlink: exit status $?"
[ -L "$scratch/d/dangling" ] || bad "dangling symlink: the link was replaced"
cmp -s "$scratch/want" "$scratch/d/new-target" || bad "dangling symlink: the target was not written"

# A FIFO: a reader receives the bytes; the FIFO stays a FIFO.
mkfifo "$scratch/fifo"
timeout 20 cat "$scratch/fifo" >"$scratch/got" &
reader=$!
timeout 20 "$exe" run "$scenario" --profiles "$profiles" --format json -o "$scratch/fifo" ||
	bad "fifo: exit status $?"
wait "$reader"
[ -p "$scratch/fifo" ] || bad "fifo: replaced by a regular file"
cmp -s "$scratch/want" "$scratch/got" || bad "fifo: the reader did not get the output"

# A device that is full: exit 4 with the OS's reason, the device untouched.
# As root the device is a node of our own: a build without the fix would
# replace the system's /dev/full (as it did). Without root, /dev/full is safe.
full=/dev/full null=/dev/null
if [ "$(id -u)" = 0 ]; then
	full=$scratch/full null=$scratch/null
	mknod -m 666 "$full" c 1 7 && mknod -m 666 "$null" c 1 3 || full= null=
	# a nodev mount refuses to open them
	if [ -n "$full" ] && ! (: >"$null") 2>/dev/null; then
		full= null=
	fi
fi
if [ -n "$full" ] && [ -c "$full" ] && [ -w "$full" ]; then
	run -o "$full" 2>"$scratch/err"
	status=$?
	[ "$status" = 4 ] || bad "full device: exit status $status, expected 4"
	grep -q "^estimator: $full: cannot write: No space left on device\$" "$scratch/err" ||
		bad "full device: message '$(cat "$scratch/err")'"
	[ -c "$full" ] || bad "the full device is no longer a character device"
	run -o "$null" || bad "null device: exit status $?"
	[ -c "$null" ] || bad "the null device is no longer a character device"
else
	echo "skipped: no character device to write to"
fi

# An existing file keeps its mode; a new one gets 0666 less the umask.
echo old >"$scratch/private"
chmod 0600 "$scratch/private"
run -o "$scratch/private" || bad "0600 file: exit status $?"
[ "$(stat -c %a "$scratch/private")" = 600 ] ||
	bad "0600 file: mode became $(stat -c %a "$scratch/private")"
cmp -s "$scratch/want" "$scratch/private" || bad "0600 file: not replaced"
(umask 027 && run -o "$scratch/new") || bad "new file: exit status $?"
[ "$(stat -c %a "$scratch/new")" = 640 ] ||
	bad "new file under umask 027: mode $(stat -c %a "$scratch/new"), expected 640"

# A directory is an I/O error, not replaced.
mkdir "$scratch/dir"
run -o "$scratch/dir" 2>"$scratch/err"
status=$?
[ "$status" = 4 ] || bad "directory: exit status $status, expected 4"
[ -d "$scratch/dir" ] || bad "directory: replaced"

# Nothing temporary left anywhere.
leftover=$(find "$scratch" -name '*.tmp*')
[ -z "$leftover" ] || bad "temporary files left: $leftover"

# FILE '-': standard input, named <stdin>; the same figures as from the file.
"$exe" run - --profiles "$profiles" --format json <"$scenario" >"$scratch/stdin.json" ||
	bad "run -: exit status $?"
sed 's#"tests/data/hand-1.yaml"#"<stdin>"#' "$scratch/want" | cmp -s - "$scratch/stdin.json" ||
	bad "run -: output differs from run FILE (beyond the file name)"
out=$("$exe" validate - "$scenario" --profiles "$profiles" <"$scenario")
[ "$out" = "<stdin>: ok
$scenario: ok" ] || bad "validate -: printed '$out'"
"$exe" sensitivity - --profiles "$profiles" --samples 50 <tests/data/sensitivity-mini.yaml >/dev/null ||
	bad "sensitivity -: exit status $?"
err=$(printf 'version: 1\nname: [\n' | "$exe" validate - --profiles "$profiles" 2>&1)
status=$?
[ "$status" = 3 ] || bad "validate - (malformed): exit status $status, expected 3"
case $err in
"estimator: <stdin>:"*) ;;
*) bad "validate - (malformed): message '$err' does not name <stdin>" ;;
esac
# Standard input over the 16 MiB input limit: stopped there, exit 3.
err=$(yes '#' | head -c 16777217 | "$exe" validate - --profiles "$profiles" 2>&1)
status=$?
[ "$status" = 3 ] || bad "validate - (17 MB): exit status $status, expected 3"
case $err in
"estimator: <stdin>: too large: more than 16 MiB"*) ;;
*) bad "validate - (17 MB): message '$err'" ;;
esac
# compare, sweep and solve read '-' too; every '-' of one command is the one
# document standard input holds (compare - - gets the same scenario twice).
same_as_file() { # what, file output, stdin output
	sed "s#$scenario#<stdin>#g" "$2" | cmp -s - "$3" || bad "$1: output differs from FILE (beyond the file name)"
}
"$exe" compare "$scenario" "$scenario" --profiles "$profiles" --format json >"$scratch/cmp-file.json" ||
	bad "compare FILE FILE: exit status $?"
"$exe" compare - - --profiles "$profiles" --format json <"$scenario" >"$scratch/cmp-stdin.json" ||
	bad "compare - -: exit status $?"
same_as_file "compare - -" "$scratch/cmp-file.json" "$scratch/cmp-stdin.json"
"$exe" compare - "$scenario" --profiles "$profiles" --format csv <"$scenario" >"$scratch/cmp-mixed.csv" ||
	bad "compare - FILE: exit status $?"
grep -q '^Hand check 1 (2),' "$scratch/cmp-mixed.csv" || bad "compare - FILE: no second column"
sweep_args="--vary site.pue=1.1:1.3:3 --set existing.power=50kW --profiles $profiles --format json"
# shellcheck disable=SC2086 # sweep_args is split on purpose
"$exe" sweep "$scenario" $sweep_args >"$scratch/sweep-file.json" || bad "sweep FILE: exit status $?"
# shellcheck disable=SC2086
"$exe" sweep - $sweep_args <"$scenario" >"$scratch/sweep-stdin.json" || bad "sweep -: exit status $?"
same_as_file "sweep -" "$scratch/sweep-file.json" "$scratch/sweep-stdin.json"
# solve loads the scenario again at every value of --max
solve_args="--max workloads[chat].users --between 1000:100000 --within power --set existing.power=50kW --profiles $profiles --format json"
# shellcheck disable=SC2086
"$exe" solve "$scenario" $solve_args >"$scratch/solve-file.json" || bad "solve FILE: exit status $?"
# shellcheck disable=SC2086
"$exe" solve - $solve_args <"$scenario" >"$scratch/solve-stdin.json" || bad "solve -: exit status $?"
same_as_file "solve -" "$scratch/solve-file.json" "$scratch/solve-stdin.json"
# errors in a scenario from standard input name <stdin>, in every command
for cmd in "compare -" "sweep - --vary site.pue=1.1:1.3:3" \
	"solve - --max demand --within power"; do
	# shellcheck disable=SC2086
	err=$(printf 'version: 1\nname: [\n' | "$exe" $cmd --profiles "$profiles" 2>&1 >/dev/null)
	status=$?
	[ "$status" = 3 ] || bad "$cmd (malformed): exit status $status, expected 3"
	case $err in
	"estimator: <stdin>:"*) ;;
	*) bad "$cmd (malformed): message '$err' does not name <stdin>" ;;
	esac
done

exit $fail
