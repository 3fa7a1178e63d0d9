#!/bin/sh
# Evaluates one shipped scenario in every format: JSON must conform to the
# result contract and add up (check_result), CSV and text must be produced,
# and two runs must give the same bytes.
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
