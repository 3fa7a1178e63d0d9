#!/bin/sh
# Runs every example command in the docs: each line that starts with
# "estimator " inside a ```sh block of README.md or docs/*.md, or inside an
# .EX/.EE block of the man page docs/estimator.1 (roff escapes undone, "\e"
# continuations joined), is run (with the built binary) from a scratch
# directory holding scenarios/ and profiles/, and must exit 0. Prints how many
# ran; fails when any fails or none ran.
set -u
exe=$1 src=$2
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
ln -s "$src/scenarios" "$scratch/scenarios"
ln -s "$src/profiles" "$scratch/profiles"
ESTIMATOR_PROFILES=$src/profiles
export ESTIMATOR_PROFILES
ran=0 failed=0
for doc in "$src"/README.md "$src"/docs/*.md "$src"/docs/estimator.1; do
	case $doc in
	*.1)
		awk '/^\.EX/ {on=1; next} /^\.EE/ {on=0; next}
		     on {
			gsub(/\\-/, "-"); gsub(/\\\(aq/, "\047"); line = cont ? cont " " $0 : $0
			if (line ~ /\\e[[:space:]]*$/) { sub(/\\e[[:space:]]*$/, "", line); cont = line; next }
			cont = ""; sub(/^[[:space:]]+/, "", line)
			if (line ~ /^estimator /) print line
		     }' "$doc" >"$scratch/commands" ;;
	*)
		awk '/^```sh[[:space:]]*$/ {on=1; next} /^```/ {on=0} on && /^estimator / {print}' "$doc" \
			>"$scratch/commands" ;;
	esac
	while IFS= read -r line; do
		args=${line#estimator }
		args=${args%%#*}
		ran=$((ran + 1))
		if ! (cd "$scratch" && eval "\"$exe\" $args" >/dev/null 2>"$scratch/stderr"); then
			echo "FAILED ($doc): $line"
			cat "$scratch/stderr"
			failed=$((failed + 1))
		fi
	done <"$scratch/commands"
done
echo "docs examples: $ran run, $failed failed"
[ "$ran" -gt 0 ] && [ "$failed" -eq 0 ]
