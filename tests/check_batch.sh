#!/bin/sh
# `estimator batch` end to end (docs/batch.md): on 30 generated scenarios with
# broken ones among them, the same bytes for 1, 2 and 3 threads; -o FILE with
# its failures table and manifest (fields, counts, digests), written whole;
# --fail-fast writes nothing; --out DIR with shards 0, 1 and 2 of 3 whose
# results, joined in shard order (the header once), equal the unsharded
# results, and so does `batch merge`, which refuses a missing or a foreign
# shard; --currency and --rate convert every amount and only those; no
# progress line when stderr is not a terminal, and one under script(1) when
# it is (skipped when script is missing).
# Usage: check_batch.sh ESTIMATOR SOURCE_DIR
set -u
exe=$1 src=$2
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
cd "$src" || exit 2
LC_ALL=C
export LC_ALL
profiles=tests/data/profiles-mini
fail=0

bad() {
	echo "FAIL: $*"
	fail=1
}

batch() {
	"$exe" batch --profiles "$profiles" "$@"
}

# 30 scenarios: hand-1 with its renewable share varied; s04, s13 and s22 broken.
mkdir "$scratch/in"
i=0
while [ $i -lt 30 ]; do
	name=$(printf 's%02d.yaml' $i)
	if [ $((i % 9)) -eq 4 ]; then
		printf 'version: 1\nname: [\n' >"$scratch/in/$name"
	else
		sed "s/^  renewable_share: 25%/  renewable_share: $i%/" tests/data/hand-1.yaml >"$scratch/in/$name"
	fi
	i=$((i + 1))
done

# Threads: the same bytes on stdout and stderr, exit 6.
for t in 1 2 3; do
	batch "$scratch/in" --threads $t >"$scratch/t$t.out" 2>"$scratch/t$t.err"
	st=$?
	[ $st -eq 6 ] || bad "--threads $t: exit status $st, expected 6"
done
cmp -s "$scratch/t1.out" "$scratch/t2.out" || bad "--threads 2: stdout differs from --threads 1"
cmp -s "$scratch/t1.out" "$scratch/t3.out" || bad "--threads 3: stdout differs from --threads 1"
cmp -s "$scratch/t1.err" "$scratch/t3.err" || bad "--threads 3: stderr differs from --threads 1"
n_broken=$(grep -c 'malformed YAML' "$scratch/t1.err")
[ "$n_broken" -eq 3 ] || bad "expected 3 failures on stderr, got $n_broken"
tail -n 1 "$scratch/t1.err" | grep -q '^estimator: 3 of 30 scenarios failed' ||
	bad "no summary line: $(tail -n 1 "$scratch/t1.err")"

# Not a terminal: no progress line, no carriage return.
if grep -q "$(printf '\r')" "$scratch/t1.err"; then
	bad "a progress line was drawn though stderr is not a terminal"
fi
grep -q 'scenarios,' "$scratch/t1.err" && bad "a progress line was drawn though stderr is not a terminal"

# -o FILE: results, failures, manifest; no temporary file left.
mkdir "$scratch/o"
batch "$scratch/in" -o "$scratch/o/r.csv" --threads 2 2>"$scratch/o.err"
st=$?
[ $st -eq 6 ] || bad "-o: exit status $st, expected 6"
cmp -s "$scratch/t1.out" "$scratch/o/r.csv" || bad "-o: the results differ from stdout's"
[ "$(head -n 1 "$scratch/o/r.csv.failures.csv")" = "scenario,stage,exit_code,message" ] ||
	bad "-o: the failures table has no header"
[ "$(grep -c ',load,3,' "$scratch/o/r.csv.failures.csv")" -eq 3 ] || bad "-o: expected 3 failure rows"
m=$scratch/o/r.csv.manifest.json
tr -d '\n\t ' <"$m" >"$scratch/m.compact"
for field in '"format":"estimator-batch-manifest/1"' '"estimator":"[0-9]' \
	'"profiles_digest":"[0-9a-f]\{64\}"' '"inputs_digest":"[0-9a-f]\{64\}"' \
	'"shard":null' '"scenarios":30,' '"succeeded":27,' '"failed":3,' '"seconds":[0-9]' \
	'"arguments":\["batch","--profiles"'; do
	grep -q "$field" "$scratch/m.compact" || bad "manifest: no $field in $(cat "$m")"
done
rows=$(($(wc -l <"$scratch/o/r.csv") - 1))
tr -d '\n\t ' <"$m" | grep -q "\"rows\":$rows" || bad "manifest: rows is not $rows"
ls "$scratch/o" | grep -q 'tmp' && bad "-o: a temporary file was left: $(ls "$scratch/o")"

# --fail-fast with -o: exit 6, nothing written.
mkdir "$scratch/ff"
batch "$scratch/in" --fail-fast -o "$scratch/ff/r.csv" 2>"$scratch/ff.err"
st=$?
[ $st -eq 6 ] || bad "--fail-fast: exit status $st, expected 6"
[ -z "$(ls "$scratch/ff")" ] || bad "--fail-fast: files were written: $(ls "$scratch/ff")"
grep -q 's04.yaml:3:1: malformed YAML' "$scratch/ff.err" || bad "--fail-fast: no error line: $(cat "$scratch/ff.err")"

# --out DIR with shards: joined in shard order they are the unsharded results.
for k in 0 1 2; do
	batch "$scratch/in" --shard $k/3 --out "$scratch/shards" --threads 2 2>/dev/null
	st=$?
	[ $st -eq 6 ] || bad "--shard $k/3: exit status $st, expected 6"
	[ -f "$scratch/shards/results-$k-of-3.csv" ] || bad "--shard $k/3: no results-$k-of-3.csv"
	[ -f "$scratch/shards/failures-$k-of-3.csv" ] || bad "--shard $k/3: no failures-$k-of-3.csv"
	tr -d '\n\t ' <"$scratch/shards/manifest-$k-of-3.json" |
		grep -q "\"shard\":{\"index\":$k,\"count\":3,\"source\":\"--shard\"}" ||
		bad "--shard $k/3: the manifest's shard is wrong"
done
{
	cat "$scratch/shards/results-0-of-3.csv"
	tail -n +2 "$scratch/shards/results-1-of-3.csv"
	tail -n +2 "$scratch/shards/results-2-of-3.csv"
} >"$scratch/joined.csv"
cmp -s "$scratch/joined.csv" "$scratch/t1.out" || bad "the shards joined differ from the unsharded results"
d0=$(grep inputs_digest "$scratch/shards/manifest-0-of-3.json")
d2=$(grep inputs_digest "$scratch/shards/manifest-2-of-3.json")
[ "$d0" = "$d2" ] || bad "the shards' input digests differ"

# batch merge: the shards joined, byte for byte the unsharded results; the failures table once.
"$exe" batch merge "$scratch/shards" -o "$scratch/merged.csv" || bad "merge: exit status $?"
cmp -s "$scratch/merged.csv" "$scratch/t1.out" || bad "merge: the merged results differ from the unsharded results"
[ "$(grep -c ',load,3,' "$scratch/merged.csv.failures.csv")" -eq 3 ] || bad "merge: expected 3 failure rows"
# A missing shard (status 4) and a foreign one (another input list, status 3): nothing written.
mkdir "$scratch/missing" "$scratch/foreign"
cp "$scratch/shards/"*-0-of-3.* "$scratch/shards/"*-2-of-3.* "$scratch/missing/"
"$exe" batch merge "$scratch/missing" -o "$scratch/m2.csv" 2>"$scratch/m2.err"
st=$?
[ $st -eq 4 ] || bad "merge, a shard missing: exit status $st, expected 4"
grep -q 'shard 1 of 3 is missing: no manifest-1-of-3.json' "$scratch/m2.err" || bad "merge, a shard missing: $(cat "$scratch/m2.err")"
[ -e "$scratch/m2.csv" ] && bad "merge, a shard missing: a file was written"
cp "$scratch/shards/"* "$scratch/foreign/"
batch "$scratch/in" tests/data/hand-2.yaml --shard 1/3 --out "$scratch/foreign" 2>/dev/null
"$exe" batch merge "$scratch/foreign" -o "$scratch/m3.csv" 2>"$scratch/m3.err"
st=$?
[ $st -eq 3 ] || bad "merge, a foreign shard: exit status $st, expected 3"
grep -q 'another input list' "$scratch/m3.err" || bad "merge, a foreign shard: $(cat "$scratch/m3.err")"
[ -e "$scratch/m3.csv" ] && bad "merge, a foreign shard: a file was written"

# --currency: hand-2 (USD, stating EUR: 1.1) written in EUR, each amount its USD / 1.1;
# with --rate USD=0.5, at 0.5; energy untouched; a currency nothing converts to: a failure row.
batch tests/data/hand-2.yaml >"$scratch/usd.csv"
batch tests/data/hand-2.yaml --currency EUR >"$scratch/eur.csv"
batch tests/data/hand-2.yaml --currency EUR --rate USD=0.5 >"$scratch/half.csv"
for pair in "eur.csv 1.1" "half.csv 2"; do
	set -- $pair
	awk -F, -v d="$2" 'NR == FNR { v[$2 "," $3 "," $4] = $5; u[$2 "," $3 "," $4] = $6; next }
		FNR > 1 {
			k = $2 "," $3 "," $4
			if (u[k] == "USD") { want = v[k] / d; unit = "EUR" } else { want = v[k]; unit = u[k] }
			diff = $5 - want; if (diff < 0) diff = -diff
			if ($6 != unit || diff > 1e-9 * (want < 0 ? -want : want) + 1e-9) {
				print "row " k ": " $5 " " $6 ", expected " want " " unit; bad = 1
			}
		}
		END { exit bad }' "$scratch/usd.csv" "$scratch/$1" || bad "--currency EUR ($1): amounts not converted at 1 / $2"
done
grep -q ',USD$' "$scratch/eur.csv" && bad "--currency EUR: a USD row left"
batch tests/data/hand-2.yaml --currency GBP >"$scratch/gbp.csv" 2>"$scratch/gbp.err"
st=$?
[ $st -eq 6 ] || bad "--currency GBP: exit status $st, expected 6 (a failed scenario)"
grep -q 'costed in USD, wanted in GBP' "$scratch/gbp.err" || bad "--currency GBP: $(cat "$scratch/gbp.err")"

# On a terminal (script(1) gives one): a progress line ending in a newline; --quiet: none.
if command -v script >/dev/null 2>&1; then
	script -qec "'$exe' batch --profiles $profiles '$scratch/in' -o '$scratch/tty.csv'" /dev/null \
		>"$scratch/tty.log" 2>&1
	grep -q '30/30 scenarios' "$scratch/tty.log" || bad "no progress line on a terminal: $(cat "$scratch/tty.log")"
	script -qec "'$exe' batch --quiet --profiles $profiles '$scratch/in' -o '$scratch/tty.csv'" /dev/null \
		>"$scratch/quiet.log" 2>&1
	grep -q 'scenarios,' "$scratch/quiet.log" && bad "--quiet: a progress line was drawn"
fi

exit $fail
