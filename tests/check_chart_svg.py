#!/usr/bin/env python3
"""Checks the charts of estimator/lib/chart.c with real parsers (docs/charts.md).

Runs chart_demo twice (the same bytes both times), then parses every SVG
with xml.etree (well-formed; role="img", aria-labelledby naming a <title>
and <desc> with text; no script, style, foreign object, image or link; every
number finite and inside the viewBox; a legend entry per series; marks
drawn), every page with html.parser (tags balanced, the SVG inline, one
table with a caption and rows of equal width) and every Markdown table
(rows of equal width). Renders each SVG to PNG beside it when rsvg-convert
is installed.

Usage: check_chart_svg.py CHART_DEMO OUT_DIR
"""
import filecmp
import glob
import html.parser
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"
NUMERIC = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height"}
FORBIDDEN = {"script", "style", "foreignObject", "image", "a", "use", "iframe"}
VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr"}
failures = []


def fail(name, message):
    failures.append(f"{name}: {message}")


def run_demo(demo, out):
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    subprocess.run([demo, out], check=True)


def check_numbers(name, el, box):
    for key, value in el.attrib.items():
        if key in NUMERIC | {"points", "d", "viewBox", "transform"} and \
                re.search(r"nan|inf", value, re.IGNORECASE):
            fail(name, f"<{el.tag}> {key}={value!r} is not a finite number")
        if key in NUMERIC:
            v = float(value)
            if key in ("width", "height", "r") and v < 0:
                fail(name, f"<{el.tag}> {key}={value} is negative")
            if el.get("transform") is None and not -1 <= v <= box + 1:
                fail(name, f"<{el.tag}> {key}={value} lies outside the viewBox")
        if key in ("points", "d"):
            for v in re.findall(r"-?\d+(?:\.\d+)?", value):
                if not -1 <= float(v) <= box + 1:
                    fail(name, f"<{el.tag}> {key} has {v}, outside the viewBox")


def check_svg(path):
    name = os.path.basename(path)
    text = open(path, encoding="utf-8").read()
    # "script" only as escaped text (hostile.svg), "http" only in the xmlns
    allowed = {"nan": 0, "inf": 0, "http": 1,
               "script": text.count("&lt;script&gt;") + text.count("&lt;/script&gt;")}
    for word, most in allowed.items():
        count = len(re.findall(rf"\b{word}\b" if word in ("nan", "inf") else word, text,
                               re.IGNORECASE))
        if count > most:
            fail(name, f"{word!r} occurs {count} times")
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        fail(name, f"not well-formed XML: {e}")
        return None
    if root.tag != SVG + "svg":
        fail(name, f"root is {root.tag}")
        return
    cid = name[:-4]
    if root.get("role") != "img":
        fail(name, "no role=img")
    if root.get("aria-labelledby") != f"{cid}-title {cid}-desc":
        fail(name, f"aria-labelledby is {root.get('aria-labelledby')!r}")
    for part in ("title", "desc"):
        el = root.find(SVG + part)
        if el is None or el.get("id") != f"{cid}-{part}" or not (el.text or "").strip():
            fail(name, f"no <{part} id={cid}-{part}> with text")
    view = [float(v) for v in root.get("viewBox", "").split()]
    if len(view) != 4 or view[:2] != [0, 0]:
        fail(name, f"viewBox {root.get('viewBox')!r}")
        return
    marks = 0
    for el in root.iter():
        tag = el.tag.replace(SVG, "")
        if tag in FORBIDDEN:
            fail(name, f"has <{tag}>")
        if any("href" in k for k in el.attrib):
            fail(name, f"<{tag}> has a link")
        check_numbers(name, el, max(view[2:]))
        if tag in ("polyline", "path", "circle") or (tag == "rect" and el.get("width") != str(int(view[2]))):
            marks += 1
    if marks == 0:
        fail(name, "draws no mark")
    return root


def legend_names(root):
    return {"".join(t.itertext()) for t in root.iter(SVG + "text")}


class Page(html.parser.HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name, self.stack, self.rows, self.cells = name, [], [], 0
        self.counts = {}
        self.svg_role = None

    def handle_starttag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1
        if tag == "svg":
            self.svg_role = dict(attrs).get("role")
        if tag in ("td", "th"):
            self.cells += 1
        if tag == "tr":
            self.cells = 0
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.counts[tag] = self.counts.get(tag, 0) + 1

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            fail(self.name, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()
        if tag == "tr":
            self.rows.append(self.cells)


def check_page(path):
    name = os.path.basename(path)
    page = Page(name)
    page.feed(open(path, encoding="utf-8").read())
    page.close()
    if page.stack:
        fail(name, f"unclosed {page.stack}")
    if name == "index.html":
        return
    for tag in ("table", "caption", "thead", "tbody", "svg"):
        if page.counts.get(tag) != 1:
            fail(name, f"{page.counts.get(tag, 0)} <{tag}>")
    if page.svg_role != "img":
        fail(name, "the inline svg has no role=img")
    if len(page.rows) < 2 or len(set(page.rows)) != 1:
        fail(name, f"table rows of widths {page.rows}")


def check_markdown(path):
    name = os.path.basename(path)
    lines = [l for l in open(path, encoding="utf-8").read().split("\n") if l.startswith("|")]
    widths = [len(re.findall(r"(?<!\\)\|", l)) for l in lines]
    if len(lines) < 3 or len(set(widths)) != 1:
        fail(name, f"table rows of widths {widths}")
    if not re.fullmatch(r"\| :--- (\| ---: )+\|", lines[1] if len(lines) > 1 else ""):
        fail(name, f"alignment row {lines[1] if len(lines) > 1 else None!r}")


def main():
    demo, out = sys.argv[1], sys.argv[2]
    run_demo(demo, out)
    run_demo(demo, out + ".again")
    files = sorted(os.listdir(out))
    match, mismatch, errors = filecmp.cmpfiles(out, out + ".again", files, shallow=False)
    if mismatch or errors:
        fail("demo", f"not the same bytes twice: {mismatch + errors}")
    svgs = sorted(glob.glob(os.path.join(out, "*.svg")))
    if len(svgs) < 8:
        fail("demo", f"only {len(svgs)} charts")
    for path in svgs:
        root = check_svg(path)
        if root is not None and os.path.basename(path) == "hostile.svg":
            # hostile names come back as themselves, text and not markup
            names = legend_names(root)
            for want in ('<script>alert("x")</script>', "Caf\u00e9 & co \ufffd (bad byte)",
                         "a & b", "Names <with> & \"markup\" 'quotes' | pipes"):
                if want not in names:
                    fail("hostile.svg", f"no text {want!r}: {sorted(names)}")
    for path in sorted(glob.glob(os.path.join(out, "*.html"))):
        check_page(path)
    for path in sorted(glob.glob(os.path.join(out, "*.md"))):
        check_markdown(path)
    rsvg = shutil.which("rsvg-convert")
    for path in svgs if rsvg else []:
        if subprocess.run([rsvg, "-o", path[:-4] + ".png", path]).returncode != 0:
            fail(os.path.basename(path), "rsvg-convert failed")
    shutil.rmtree(out + ".again", ignore_errors=True)
    for f in failures:
        print("FAIL", f)
    print(f"charts: {len(svgs)} SVG checked{', rendered to PNG' if rsvg else ''}, "
          f"{len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
