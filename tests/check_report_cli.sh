#!/bin/sh
# `estimator report` end to end, without a browser: HTML and Markdown written
# whole with -o; the same seed gives the same bytes for a sampled scenario;
# a portfolio of two files has both names, and its costs in one currency; --pdf without any Chromium on
# PATH fails with status 4 and its message, the HTML still written and no
# PDF left.
# Usage: check_report_cli.sh ESTIMATOR SOURCE_DIR
set -u
exe=$1 src=$2
scratch=$(mktemp -d) || exit 2
trap 'rm -rf "$scratch"' EXIT
cd "$src" || exit 2
fail=0
bad() {
	echo "FAIL: $*"
	fail=1
}

"$exe" report scenarios/uncertain-assistant-rollout.yaml --seed 3 -o "$scratch/a.html" || bad "report failed"
"$exe" report scenarios/uncertain-assistant-rollout.yaml --seed 3 -o "$scratch/b.html" || bad "report failed"
cmp -s "$scratch/a.html" "$scratch/b.html" || bad "the same seed gave other bytes"
"$exe" report scenarios/uncertain-assistant-rollout.yaml --seed 4 -o "$scratch/c.html" || bad "report failed"
cmp -s "$scratch/a.html" "$scratch/c.html" && bad "another seed gave the same bytes"
grep -q 'What moves the result most' "$scratch/a.html" || bad "no tornado for uncertain inputs"
"$exe" report scenarios/bank-documents.yaml --format markdown -o "$scratch/b.md" || bad "markdown failed"
head -n 1 "$scratch/b.md" | grep -q '^# ' || bad "markdown does not start with a title"
grep -q '<' "$scratch/b.md" && grep -q '<svg' "$scratch/b.md" && bad "markdown holds SVG"
"$exe" report scenarios/bank-documents.yaml scenarios/research-cluster.yaml -o "$scratch/p.html" ||
	bad "portfolio failed"
grep -q '<h1>Portfolio</h1>' "$scratch/p.html" || bad "portfolio title missing"
grep -q 'Research institute' "$scratch/p.html" || bad "portfolio lacks its second scenario"
grep -q 'size: Letter' "$scratch/p.html" && bad "A4 by default"
"$exe" report scenarios/bank-documents.yaml --paper letter -o "$scratch/l.html" || bad "letter failed"
grep -q 'size: Letter' "$scratch/l.html" || bad "--paper letter ignored"

# a portfolio in two currencies: in the first file's (research-cluster's SEK at its own
# exchange_rates EUR entry), or in --currency at --rate; each alternative's cost of ownership
# is the run's total times the rate, computed here from the JSON
"$exe" run scenarios/bank-documents.yaml --format json -o "$scratch/bank.json" || bad "run failed"
"$exe" run scenarios/research-cluster.yaml --format json -o "$scratch/res.json" || bad "run failed"
"$exe" report scenarios/bank-documents.yaml scenarios/research-cluster.yaml --format markdown \
	-o "$scratch/eur.md" || bad "portfolio in two currencies failed"
"$exe" report scenarios/bank-documents.yaml scenarios/research-cluster.yaml --format markdown \
	--currency USD --rate EUR=1.0389 --rate SEK=0.09066 -o "$scratch/usd.md" ||
	bad "portfolio with --currency failed"
python3 - "$scratch" <<'PY' || bad "portfolio costs not converted at the stated rates"
import json, sys
d = sys.argv[1]
bank = json.load(open(d + "/bank.json"))["variants"][0]["totals"]["cost"]["total"]
res_sek = json.load(open(d + "/res.json"))["variants"][0]["totals"]["cost"]["total"]
def row(md, name):
    text = open(md).read()
    part = text[text.index("**Cost of ownership of each alternative**"):]
    for line in part.splitlines():
        if line.startswith("| " + name):
            return line.split("|")[2].strip()
    raise SystemExit(f"{md}: no row {name}")
want = {("eur.md", "Bank"): bank, ("eur.md", "Research"): res_sek / 11.4,
        ("usd.md", "Bank"): bank * 1.0389, ("usd.md", "Research"): res_sek * 0.09066}
ok = True
for (md, name), value in want.items():
    got, exp = row(d + "/" + md, name), f"{round(value):,}"
    if got != exp:
        print(f"{md} {name}: {got}, expected {exp}"); ok = False
eur = open(d + "/eur.md").read()
if "costs converted from SEK to EUR at 1 SEK = 0.0877193 EUR (costs.exchange\\_rates)" not in eur:
    print("eur.md: the conversion is not stated"); ok = False
if "(cost of ownership (USD))" not in open(d + "/usd.md").read():
    print("usd.md: the cost axis does not name USD"); ok = False
sys.exit(0 if ok else 1)
PY

# no Chromium anywhere on PATH: status 4, the message, the HTML written, no PDF
PATH=/nonexistent "$exe" report scenarios/bank-documents.yaml -o "$scratch/n.html" \
	--pdf "$scratch/n.pdf" 2>"$scratch/n.err"
st=$?
[ $st -eq 4 ] || bad "--pdf without Chromium: status $st, expected 4"
grep -q 'no Chromium installed to print the PDF (apt-get install chromium)' "$scratch/n.err" ||
	bad "--pdf without Chromium: $(cat "$scratch/n.err")"
[ -s "$scratch/n.html" ] || bad "--pdf without Chromium: the HTML was not written"
ls "$scratch" | grep -q '^n\.pdf' && bad "--pdf without Chromium: a PDF file was left"
exit $fail
