#!/bin/sh
# Prints the HTML report of every shipped scenario to PDF with headless
# Chromium and checks it (docs/report-testing.md): the HTML with a strict
# parser (check_html.py); in the PDF, each section title in order and as a
# bookmark, the decision summary's figures against `run --format json`, no
# overflow (check_pdf.py); one report again on Letter paper; PNGs of the
# first two pages kept in OUT_DIR. Until `estimator report` exists, the
# fixture stands in for the reports. A self-test then breaks the fixture in
# small ways (a section missing, a figure off by one, a table too wide, an
# external URL) and expects each to fail with its message.
#
# Usage: check_report_pdf.sh ESTIMATOR SOURCE_DIR OUT_DIR
# Exits 0 when all pass, 1 with a message per failure, 77 without chromium.
set -eu
exe=$1 src=$2 out=$3
here=$src/tests/report
sections=$here/expected-sections.txt

chromium=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$chromium" ]; then
	echo "chromium is not installed: skipped (Debian: apt-get install chromium poppler-utils)" >&2
	exit 77
fi
for tool in pdftotext pdftohtml pdftoppm pdfinfo; do
	command -v "$tool" >/dev/null || { echo "$tool is missing (Debian: poppler-utils)" >&2; exit 1; }
done
# Debian's html5lib is for Debian's python3, which a pyenv or venv python3 on PATH may hide.
py=
for candidate in /usr/bin/python3 python3; do
	if "$candidate" -c 'import html5lib' 2>/dev/null; then
		py=$candidate
		break
	fi
done
[ -n "$py" ] || { echo "no python3 with html5lib (Debian: python3-html5lib)" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/*.html "$out"/*.pdf "$out"/*.png "$out"/*.json "$out"/*.log "$out"/*.txt
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
status=0

# print HTML PDF: headless Chromium's own print path; see docs/report-testing.md for each flag.
print() {
	case $1 in /*) url=file://$1 ;; *) url=file://$(pwd)/$1 ;; esac
	rm -f "$2"
	timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--user-data-dir="$profile" --no-first-run --no-default-browser-check \
		--disable-background-networking --disable-component-update --disable-sync \
		--disable-extensions --mute-audio \
		--run-all-compositor-stages-before-draw --virtual-time-budget=10000 \
		--no-pdf-header-footer --generate-pdf-document-outline \
		--print-to-pdf="$2" "$url" >"${2%.pdf}.chromium.log" 2>&1 || true
	if [ ! -s "$2" ]; then
		echo "$1: chromium printed no PDF (log: ${2%.pdf}.chromium.log)" >&2
		return 1
	fi
}

# with_page HTML OUT SIZE: a copy of HTML whose last @page rule sets another paper size.
with_page() {
	sed "s#</head>#<style>@page { size: $3; }</style></head>#" "$1" >"$2"
	! cmp -s "$1" "$2" || { echo "$1: no </head> to add a page size before" >&2; return 1; }
}

# check NAME HTML [JSON]: the HTML, its A4 print and a wide reference print, then PNGs.
check() {
	name=$1 html=$2 json=${3:-}
	ok=0
	"$py" "$here/check_html.py" --sections "$sections" "$html" || ok=1
	if print "$html" "$out/$name.pdf"; then
		with_page "$html" "$out/$name.wide.html" "600mm 297mm" &&
			print "$out/$name.wide.html" "$out/$name.wide.pdf" || return 1
		"$py" "$here/check_pdf.py" --pdf "$out/$name.pdf" --html "$html" --sections "$sections" \
			--reference "$out/$name.wide.pdf" ${json:+--json "$json"} || ok=1
		pdfinfo "$out/$name.pdf" | grep -q '^Page size: *594.* x 841.* (A4)' ||
			{ echo "$out/$name.pdf: not A4: $(pdfinfo "$out/$name.pdf" | grep '^Page size')" >&2; ok=1; }
		pdftoppm -png -r 50 -f 1 -l 2 "$out/$name.pdf" "$out/$name" || ok=1
		rm -f "$out/$name.wide.html" "$out/$name.wide.pdf" "$out/$name.wide.chromium.log"
	else
		ok=1
	fi
	return $ok
}

# letter NAME HTML [JSON]: the same report on Letter paper, through the same checks.
# Chromium has no paper size option: the page's @page size decides (report --paper letter).
letter() {
	[ -s "$out/$1.letter.html" ] || with_page "$2" "$out/$1.letter.html" letter || return 1
	print "$out/$1.letter.html" "$out/$1.letter.pdf" || return 1
	pdfinfo "$out/$1.letter.pdf" | grep -q '^Page size: *612 x 792 pts (letter)' ||
		{ echo "$out/$1.letter.pdf: not Letter" >&2; return 1; }
	"$py" "$here/check_pdf.py" --pdf "$out/$1.letter.pdf" --html "$2" --sections "$sections" \
		${3:+--json "$3"}
}

export ESTIMATOR_PROFILES="${ESTIMATOR_PROFILES:-$src/profiles}"
start=$(date +%s)
"$exe" run "$src/scenarios/where-to-run.yaml" --format json >"$out/fixture.json"
check fixture "$here/fixture.html" "$out/fixture.json" || status=1
if "$exe" report --help >/dev/null 2>&1; then
	first=
	for scenario in "$src"/scenarios/*.yaml; do
		name=$(basename "$scenario" .yaml)
		if ! "$exe" report "$scenario" -o "$out/$name.html" 2>"$out/$name.report.log"; then
			echo "$scenario: estimator report failed: $(cat "$out/$name.report.log")" >&2
			status=1
			continue
		fi
		if ! "$exe" run "$scenario" --format json >"$out/$name.json"; then
			echo "$scenario: estimator run --format json failed" >&2
			status=1
			continue
		fi
		check "$name" "$out/$name.html" "$out/$name.json" || status=1
		first=${first:-$name}
	done
	if [ -n "$first" ]; then
		"$exe" report "$src/scenarios/$first.yaml" --paper letter -o "$out/$first.letter.html" &&
			letter "$first" "$out/$first.letter.html" "$out/$first.json" || status=1
	fi
else
	echo "estimator report is not there yet: the fixture stands in for the reports" >&2
	letter fixture "$here/fixture.html" "$out/fixture.json" || status=1
fi

# Self-test: each broken fixture must fail, with its message. sed edits that no longer
# match the fixture leave it unbroken, and then this fails too.
bad() {
	name=bad-$1 expect=$2
	shift 2
	sed "$@" "$here/fixture.html" >"$out/$name.html"
	if cmp -s "$here/fixture.html" "$out/$name.html"; then
		echo "self-test $name: the edit did not change the fixture" >&2
		status=1
	elif check "$name" "$out/$name.html" "$out/fixture.json" 2>"$out/$name.txt"; then
		echo "self-test $name: passed, but should fail with: $expect" >&2
		status=1
	elif ! grep -qF -- "$expect" "$out/$name.txt"; then
		echo "self-test $name: failed, but without: $expect; it said:" >&2
		cat "$out/$name.txt" >&2
		status=1
	fi
}
bad missing-section "section title 'Water' is not a line" -e '/<h2>Water<\/h2>/d'
bad figure "expected 'Total cost of ownership: 1,964,010 EUR', the PDF has 'Total cost of ownership: 1,964,011 EUR'" \
	-e 's/Total cost of ownership: 1,964,010 EUR/Total cost of ownership: 1,964,011 EUR/'
# Three times the text width, unbreakable: Chromium shrinks the page by 1.5 and clips the rest.
bad wide-table "are not in the PDF (clipped?)" \
	-e 's#^<section id="water">#<table><tr><td style="white-space: nowrap">Wide row start '"$(printf 'cells%02d ' $(seq 1 60))"'WIDEROWEND</td></tr></table>\n&#'
# A fifth too wide: nothing is clipped, but Chromium shrinks every page to fit it.
bad shrunk "the page is shrunk to fit" -e 's#^<section id="water">#<table style="width: 220mm"><tr><td>A table wider than the page</td></tr></table>\n&#'
bad external-url "external URL 'https://example.com/logo.png'" \
	-e 's#^<section id="water">#<p><img alt="Logo" src="https://example.com/logo.png"></p>\n&#'
echo "report checks took $(($(date +%s) - start)) s; PDFs and PNGs in $out" >&2
exit $status
