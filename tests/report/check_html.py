#!/usr/bin/env python3
"""Checks a report's HTML with a real parser (docs/report-testing.md).

html5lib in strict mode (any parse error fails: the document is what a
browser reads, with no error recovery), then: one <html> with a lang; a
<meta http-equiv="Content-Security-Policy"> in <head> whose effective
policy fetches nothing from outside the file (default-src 'none' or every
fetch directive 'none'; images may be data:, styles 'unsafe-inline', fonts
data:); no <script>, no on* handler, no javascript: URL; no external URL
(http:, https:, //) in any src, href or url(); every <svg> has role="img"
and a <title> and <desc> with text. With --sections FILE, the <h2>
headings are FILE's lines, in that order (a leading section number such as
"7" or "7." is allowed).

Usage: check_html.py [--sections FILE] HTML...
Exits 0 when every file passes, 1 with one line per failure.
"""
import re
import sys

try:
    import html5lib
except ImportError:
    sys.exit("check_html.py: html5lib is missing (Debian: apt-get install python3-html5lib)")

HTML = "{http://www.w3.org/1999/xhtml}"
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}"
# Fetch directives and the source expressions each may allow; the rest fall
# back to default-src, and without default-src they allow everything.
FETCH = ["script-src", "script-src-elem", "script-src-attr", "style-src", "style-src-elem",
         "style-src-attr", "img-src", "font-src", "connect-src", "media-src", "object-src",
         "frame-src", "child-src", "worker-src", "manifest-src"]
ALLOWED = {"img-src": {"'none'", "data:"}, "font-src": {"'none'", "data:"},
           "style-src": {"'none'", "'unsafe-inline'"}, "style-src-elem": {"'none'", "'unsafe-inline'"},
           "style-src-attr": {"'none'", "'unsafe-inline'"}}
URL_ATTRS = {"src", "href", "srcset", "action", "formaction", "poster", "data", "background",
             "cite", "longdesc", "manifest", "ping", XLINK + "href"}
EXTERNAL = re.compile(r"^\s*(https?:|//|ftp:|ws:|wss:)", re.IGNORECASE)
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*([^'")\s]*)""", re.IGNORECASE)
SECTION_NUMBER = re.compile(r"^\d+\.?\s+")


def local(tag):
    return tag.split("}", 1)[-1] if isinstance(tag, str) else ""


def text_of(el):
    return " ".join("".join(el.itertext()).split())


def check_csp(policy, fail):
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words and words[0].lower() not in directives:
            directives[words[0].lower()] = [w.lower() for w in words[1:]]
    default = directives.get("default-src")
    for name in FETCH:
        base = name.split("-src")[0] + "-src"
        sources = directives.get(name, directives.get(base, default))
        if sources is None:
            fail(f"Content-Security-Policy: {name} is unrestricted (no default-src 'none')")
            continue
        allowed = ALLOWED.get(name, ALLOWED.get(base, {"'none'"}))
        extra = [s for s in sources if s not in allowed]
        if extra:
            fail(f"Content-Security-Policy: {name} allows {' '.join(extra)}")


def check_urls(where, value, fail):
    for url in [value] + [u.strip().split()[0] for u in value.split(",") if u.strip()]:
        if EXTERNAL.match(url):
            fail(f"{where}: external URL {url.strip()!r}")
            return
        if url.strip().lower().startswith("javascript:"):
            fail(f"{where}: javascript: URL")
            return


def check_css(where, css, fail):
    for url in CSS_URL.findall(css):
        if EXTERNAL.match(url) or url.lower().startswith("javascript:"):
            fail(f"{where}: external URL {url!r} in CSS")


def check_document(path, sections):
    failures = []

    def fail(message):
        failures.append(f"{path}: {message}")

    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    try:
        root = parser.parse(data)
    except html5lib.html5parser.ParseError as err:
        line, col = parser.errors[-1][0] if parser.errors else ("?", "?")
        fail(f"{line}:{col}: HTML parse error: {err}")
        return failures
    if len(re.findall(rb"<html[\s>]", data, re.IGNORECASE)) != 1:
        fail("not exactly one <html> tag")
    if not root.get("lang", "").strip():
        fail("<html> has no lang")

    head = root.find(HTML + "head")
    csp = [m for m in (head.iter(HTML + "meta") if head is not None else [])
           if m.get("http-equiv", "").lower() == "content-security-policy"]
    if not csp:
        fail('no <meta http-equiv="Content-Security-Policy"> in <head>')
    for meta in csp:
        check_csp(meta.get("content", ""), fail)

    for el in root.iter():
        name = local(el.tag)
        if name == "script":
            fail("<script> element")
        for key, value in el.attrib.items():
            key_name = local(key) if key.startswith("{") else key
            if key_name.lower().startswith("on"):
                fail(f"<{name}> has an event handler {key_name}")
            if key in URL_ATTRS or key_name in URL_ATTRS:
                check_urls(f"<{name} {key_name}>", value, fail)
            if key_name == "style":
                check_css(f"<{name} style>", value, fail)
        if name == "style":
            check_css("<style>", el.text or "", fail)
        if el.tag == SVG + "svg":
            label = el.get("aria-labelledby") or el.get("id") or "(unnamed)"
            if el.get("role") != "img":
                fail(f"<svg> {label}: role is not \"img\"")
            for child in ("title", "desc"):
                node = el.find(SVG + child)
                if node is None or not text_of(node):
                    fail(f"<svg> {label}: no <{child}> with text")

    if sections is not None:
        found = [SECTION_NUMBER.sub("", text_of(h)) for h in root.iter(HTML + "h2")]
        if found != sections:
            fail(f"the <h2> headings are {found}, expected {sections}")
    return failures


def main(argv):
    sections = None
    if len(argv) > 2 and argv[1] == "--sections":
        with open(argv[2], encoding="utf-8") as f:
            sections = [line.strip() for line in f if line.strip()]
        argv = argv[2:]
    if len(argv) < 2:
        sys.exit(__doc__.split("\n\n")[-2])
    failures = []
    for path in argv[1:]:
        failures += check_document(path, sections)
    for message in failures:
        print(message, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
