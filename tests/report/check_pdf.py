#!/usr/bin/env python3
"""Checks a report printed to PDF by headless Chromium (docs/report-testing.md).

With poppler's pdftotext and pdftohtml:
- sections: each line of SECTIONS is a line of the PDF's text (a leading
  section number allowed) and a bookmark of its outline, in that order;
- figures (with --json): the headline lines of the decision summary equal
  the base variant's totals in the estimator-result/1 JSON, as formatted in
  docs/report-testing.md;
- overflow: every word box lies inside its page, and no further right than
  the page's width less the leftmost word's distance from the left edge
  (symmetric side margins); every word of the HTML's visible text is in the
  PDF (Chromium clips what does not fit, and the clipped words are gone);
  and (with --reference) the text is printed at the size it has on a page
  wide enough for everything: Chromium shrinks a whole document whose
  content is wider than the page, up to 1.5 times, before it clips.

Usage: check_pdf.py --pdf PDF --html HTML --sections FILE [--json RESULT]
                    [--reference WIDE_PDF]
Exits 0 when all pass, 1 with one line per failure.
"""
import argparse
import collections
import re
import subprocess
import sys
import unicodedata
import xml.etree.ElementTree as ET

SECTION_NUMBER = re.compile(r"^\d+\.?\s+")
SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
HYPHENS = re.compile(r"[-\u00ad\u2010\u2011]")
# pdftotext measures a word with the PDF's unhinted glyph widths, Chromium lays
# it out with its own: a word may end up to ~3% of its width past its box.
TOLERANCE_PT = 1.0
TOLERANCE_OF_WIDTH = 0.03
# The decision summary's lines (label, where in the JSON, decimals, divisor, unit).
HEADLINES = [
    ("Capex over the horizon", ("cost", "capex"), 0, 1, None),
    ("Total cost of ownership", ("cost", "total"), 0, 1, None),
    ("Net present value", ("cost", "present_value"), 0, 1, None),
    ("Cost per 1,000 inferences", ("cost", "per_1000_inferences"), 3, 1, None),
    ("Location-based emissions", ("emissions_kgco2e", "location_based"), 1, 1000, "tCO2e"),
    ("Market-based emissions", ("emissions_kgco2e", "market_based"), 1, 1000, "tCO2e"),
    ("Embodied emissions", ("emissions_kgco2e", "embodied"), 1, 1000, "tCO2e"),
]
failures = []


def fail(name, message):
    failures.append(f"{name}: {message}")


def normal(text):
    return SPACES.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def run(*cmd):
    return subprocess.run(cmd, check=True, capture_output=True).stdout.decode("utf-8", "replace")


def group(value, decimals):
    """printf's %.*f (correctly rounded, as the C report's) with thousands separators."""
    text = "%.*f" % (decimals, value)
    sign = "-" if text.startswith("-") else ""
    whole, _, frac = text.lstrip("-").partition(".")
    whole = f"{int(whole):,}"
    if sign and set(whole + frac) <= {"0", ","}:
        sign = ""
    return sign + whole + ("." + frac if frac else "")


# A sampled result's p5-p95 after a line: (label, key of totals.uncertainty, decimals, divisor).
RANGED = [
    ("Capex over the horizon", "cost.capex", 0, 1),
    ("Total cost of ownership", "cost.total", 0, 1),
    ("Peak IT power", "power_kw.it_peak", 1, 1),
    ("Location-based emissions", "emissions_kgco2e.location_based", 1, 1000),
    ("Market-based emissions", "emissions_kgco2e.market_based", 1, 1000),
    ("Embodied emissions", "emissions_kgco2e.embodied", 1, 1000),
]


def headline_lines(result):
    variants = result["variants"]
    base = next((v for v in variants if v.get("name") == "base"), variants[0])
    totals = base["totals"]
    currency = totals["cost"].get("currency") or result.get("currency")
    lines = {}
    for label, (key, field), decimals, divisor, unit in HEADLINES:
        value = totals[key][field] / divisor
        lines[label] = f"{label}: {group(value, decimals)} {unit or currency}"
    peak = max(year["power_kw"]["it_peak"] for year in base["years"])
    lines["Peak IT power"] = f"Peak IT power: {group(peak, 1)} kW"
    ranges = totals.get("uncertainty")
    for label, key, decimals, divisor in RANGED if ranges else []:
        lo, hi = ranges[key]["p5"] / divisor, ranges[key]["p95"] / divisor
        lines[label] += f" (p5-p95 {group(lo, decimals)} to {group(hi, decimals)})"
    return list(lines.values())


def check_sections(name, pdf, sections):
    lines = [SECTION_NUMBER.sub("", normal(line)) for line in run("pdftotext", pdf, "-").splitlines()]
    at = 0
    for title in sections:
        try:
            at = lines.index(title, at) + 1
        except ValueError:
            where = "after the previous one" if title in lines else "anywhere"
            fail(name, f"section title {title!r} is not a line of the text {where}")
    outline = ET.fromstring(run("pdftohtml", "-xml", "-i", "-q", "-stdout", pdf).encode())
    marks = [SECTION_NUMBER.sub("", normal("".join(item.itertext())))
             for item in outline.iter("item")]
    at = 0
    for title in sections:
        try:
            at = marks.index(title, at) + 1
        except ValueError:
            fail(name, f"section {title!r} is not a PDF bookmark in order (outline: {marks})")
            break


def check_figures(name, pdf, result_path):
    import json
    with open(result_path, encoding="utf-8") as f:
        result = json.load(f)
    # -raw: the content stream's order, which is the document's; the figure tiles sit two
    # to a row, and the layout mode would read a row's labels before its values
    text = normal(run("pdftotext", "-raw", pdf, "-"))
    for line in headline_lines(result):
        if not re.search(re.escape(line) + r"(?![0-9A-Za-z])", text):
            label = line.split(":")[0]
            shown = re.search(re.escape(label) + r":? ?[^A-Za-z]{0,24}\S*", text)
            fail(name, f"expected {line!r}, the PDF has "
                       f"{shown.group(0) if shown else 'no line of that label'!r}")


def words_of(pdf):
    """Pages as (width, height, [(xmin, ymin, xmax, ymax, text)])."""
    root = ET.fromstring(run("pdftotext", "-bbox-layout", pdf, "-").encode())
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        words = [tuple(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")) + (w.text or "",)
                 for w in page.iter("{http://www.w3.org/1999/xhtml}word")]
        pages.append((float(page.get("width")), float(page.get("height")), words))
    return pages


def check_boxes(name, pages):
    left = min((w[0] for _, _, words in pages for w in words), default=0.0)
    for number, (width, height, words) in enumerate(pages, 1):
        for x0, y0, x1, y1, text in words:
            if x0 < -TOLERANCE_PT or y0 < -TOLERANCE_PT or y1 > height + TOLERANCE_PT:
                fail(name, f"page {number}: {text!r} lies outside the page "
                           f"({x0:.1f},{y0:.1f})-({x1:.1f},{y1:.1f}) of {width:.1f}x{height:.1f} pt")
            elif x1 > width - left + TOLERANCE_PT + TOLERANCE_OF_WIDTH * (x1 - x0):
                fail(name, f"page {number}: {text!r} runs into the right margin or off the page "
                           f"(ends at {x1:.1f} pt, the text area ends at {width - left:.1f} pt)")


def visible_words(html_path):
    import html5lib
    with open(html_path, "rb") as f:
        root = html5lib.parse(f.read(), namespaceHTMLElements=False)
    skip = {"head", "script", "style", "template", "noscript", "title", "desc", "metadata"}
    words = set()

    def walk(el):
        tag = el.tag.split("}")[-1] if isinstance(el.tag, str) else ""
        if tag in skip or el.get("hidden") is not None or el.get("aria-hidden") == "true":
            return
        if el.text:
            words.update(normal(el.text).split())
        for child in el:
            walk(child)
            if child.tail:
                words.update(normal(child.tail).split())

    body = root.find("body")
    if body is not None:
        walk(body)
    return words


PAGE_FOOT = re.compile(r"^page \d+ of \d+$", re.IGNORECASE)


def body_text(pdf):
    """The PDF's text without the page margin boxes (the running header, the page number), so a
    word hyphenated across a page break joins up again."""
    pages = [[normal(line) for line in page.splitlines() if normal(line)]
             for page in run("pdftotext", pdf, "-").split("\f")]
    firsts = collections.Counter(page[0] for page in pages if page)
    header = firsts.most_common(1)[0][0] if firsts and firsts.most_common(1)[0][1] > 1 else None
    kept = []
    for page in pages:
        if page and page[0] == header:
            page = page[1:]
        kept.extend(line for line in page if not PAGE_FOOT.match(line))
    return " ".join(kept)


def check_text(name, pdf, html_path):
    blob = HYPHENS.sub("", "".join(body_text(pdf).split())).casefold()
    missing = sorted(w for w in visible_words(html_path)
                     if HYPHENS.sub("", w).casefold() not in blob)
    if missing:
        fail(name, f"{len(missing)} word(s) of the HTML are not in the PDF (clipped?): "
                   f"{' '.join(missing[:12])}")


def text_size(pages):
    """The most common word height, weighted by letters: the body text's size."""
    sizes = collections.Counter()
    for _, _, words in pages:
        for x0, y0, x1, y1, text in words:
            sizes[round(y1 - y0, 1)] += len(text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdf", required=True)
    parser.add_argument("--html", required=True)
    parser.add_argument("--sections", required=True)
    parser.add_argument("--json")
    parser.add_argument("--reference")
    args = parser.parse_args()
    name = args.pdf
    with open(args.sections, encoding="utf-8") as f:
        sections = [line.strip() for line in f if line.strip()]
    pages = words_of(args.pdf)
    if not pages:
        fail(name, "no pages")
    check_sections(name, args.pdf, sections)
    if args.json:
        check_figures(name, args.pdf, args.json)
    check_boxes(name, pages)
    check_text(name, args.pdf, args.html)
    if args.reference:
        printed, natural = text_size(pages), text_size(words_of(args.reference))
        if natural and printed < natural * 0.98:
            fail(name, f"the page is shrunk to fit: the commonest words are {printed} pt "
                       f"high, {natural} pt on a page wide enough ({printed / natural:.0%}); something is too wide")
    for message in failures:
        print(message, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
