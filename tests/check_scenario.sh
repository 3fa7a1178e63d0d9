#!/bin/sh
# Evaluates one shipped scenario in every format: JSON must conform to the
# result contract and add up (check_result), CSV and text must be produced,
# and two runs must give the same bytes. A scenario whose result is sampled
# (its `uncertainty:` gives samples) must show the ranges in every format:
# the JSON's `uncertainty` objects (check_result), the CSV's sampling and
# uncertainty rows, the text's Uncertainty section; and other thread counts
# must give the same bytes.
set -eu
exe=$1 checker=$2 scenario=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$exe" run "$scenario" --format json >"$scratch/a.json"
"$exe" run "$scenario" --format json >"$scratch/b.json"
cmp "$scratch/a.json" "$scratch/b.json"
"$checker" "$scratch/a.json"
"$exe" run "$scenario" --format csv >"$scratch/out.csv"
head -n 1 "$scratch/out.csv" | grep -qx 'variant,year,metric,value,unit'
"$exe" run "$scenario" >"$scratch/out.txt"
grep -q 'What to buy when' "$scratch/out.txt"
"$exe" validate "$scenario" | grep -q ': ok$'
if grep -q '^  "sampling": {' "$scratch/a.json"; then
	grep -q '^,,sampling\.samples,[0-9][0-9]*,count$' "$scratch/out.csv"
	grep -q '^,,sampling\.seed,[0-9][0-9]*,' "$scratch/out.csv"
	grep -q '^base,total,uncertainty\.energy_kwh\.facility\.p50,' "$scratch/out.csv"
	grep -q '^base,[0-9][0-9]*,uncertainty\.cost\.capex\.p95,' "$scratch/out.csv"
	grep -q '^Uncertainty (.* samples, seed .*, generator .*): p5 / median / p95$' "$scratch/out.txt"
	for threads in 1 3; do
		"$exe" run "$scenario" --format json --threads "$threads" >"$scratch/t.json"
		cmp "$scratch/a.json" "$scratch/t.json"
	done
elif grep -q 'uncertainty\.' "$scratch/out.csv" || grep -q '^Uncertainty (' "$scratch/out.txt"; then
	echo "ranges in the CSV or text of a result without sampling" >&2
	exit 1
fi
