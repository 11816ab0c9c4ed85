"""Compare two folders of rendered reports, report by report, as a reader would read them.

Used to check that a change which should not alter what the reports say (a refactoring, a new
page template) really does not::

    python scripts/compare_reports.py OLD_OUT NEW_OUT [--diff]

For every ``*.html`` under ``OLD_OUT`` (the per-report pages and ``index.html``) the script finds
the page of the same relative path under ``NEW_OUT`` and compares three things:

* the visible text, block by block (headings, paragraphs, list items, captions, table cells),
  in reading order;
* every table: caption, header and rows;
* every figure: its alt text and a SHA-256 of the embedded image.

Markup that a reader does not see (class names, attribute order, whitespace, ``<style>``) is
ignored. Values that change on every run are masked before comparing: SHA-256 digests (the
provenance appendix lists the digest of every input file, and the package source is one of
them), the run time, and the data version in the index.

Prints one line per report (``same`` or what differs) and a summary; exits 1 if any report
differs or is missing on either side. With ``--diff`` it also prints a unified diff of the
differing blocks.
"""

from __future__ import annotations

import argparse
import base64
import difflib
import hashlib
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup

_MASKS = (
    (re.compile(r"\b[0-9a-f]{64}\b"), "<sha256>"),
    (re.compile(r"\b[0-9a-f]{12,16}\b"), "<digest>"),
    (re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?( ?UTC|Z|[+-]\d\d:\d\d)?"), "<time>"),
)
_BLOCKS = ("h1", "h2", "h3", "h4", "p", "li", "caption", "figcaption", "th", "td", "dt", "dd",
           "summary", "blockquote", "title")


def _mask(text: str) -> str:
    text = " ".join(text.split())
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text


@dataclass(frozen=True)
class ReadableReport:
    """What a reader sees of one page: text blocks, tables and figures, in reading order."""

    blocks: tuple[str, ...]
    tables: tuple[str, ...]
    figures: tuple[str, ...]


def read_report(path: Path) -> ReadableReport:
    """The visible content of one HTML page, with run-dependent values masked."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for hidden in soup(["style", "script", "template"]):
        hidden.decompose()
    blocks = []
    for element in soup.find_all(_BLOCKS):
        if element.find(_BLOCKS):
            # A container of other blocks (a list item holding a nested list): its own text only.
            own = " ".join(s for s in element.find_all(string=True, recursive=False))
            text = _mask(own)
        else:
            text = _mask(element.get_text(" "))
        if text:
            blocks.append(f"{element.name}: {text}")
    tables = []
    for table in soup.find_all("table"):
        caption = table.find("caption")
        rows = [" | ".join(_mask(cell.get_text(" ")) for cell in row.find_all(["th", "td"]))
                for row in table.find_all("tr")]
        tables.append("\n".join([f"caption: {_mask(caption.get_text(' ')) if caption else ''}", *rows]))
    figures = []
    for image in soup.find_all("img"):
        source = image.get("src", "")
        if source.startswith("data:"):
            payload = base64.b64decode(source.split(",", 1)[1])
            digest = hashlib.sha256(payload).hexdigest()[:16]
        else:
            digest = source
        figures.append(f"alt: {_mask(image.get('alt', ''))} | image: {digest}")
    return ReadableReport(tuple(blocks), tuple(tables), tuple(figures))


def _diff(old: tuple[str, ...], new: tuple[str, ...], label: str) -> list[str]:
    return list(difflib.unified_diff(list(old), list(new), f"old {label}", f"new {label}",
                                     lineterm="", n=1))


def compare(old_dir: Path, new_dir: Path, *, show_diff: bool = False, stream=sys.stdout) -> int:
    """Compare every page; print one line per page; return the number of pages that differ."""
    old_pages = {p.relative_to(old_dir) for p in old_dir.rglob("*.html")}
    new_pages = {p.relative_to(new_dir) for p in new_dir.rglob("*.html")}
    differing = 0
    for page in sorted(old_pages | new_pages):
        if page not in new_pages or page not in old_pages:
            side = "new" if page not in new_pages else "old"
            print(f"{page}: missing in the {side} folder", file=stream)
            differing += 1
            continue
        old, new = read_report(old_dir / page), read_report(new_dir / page)
        problems = []
        for what in ("blocks", "tables", "figures"):
            a, b = getattr(old, what), getattr(new, what)
            if a != b:
                changed = sum(1 for line in _diff(a, b, what) if line[:1] in "+-") - 2
                problems.append(f"{what}: {len(a)} → {len(b)}, {changed} lines changed")
        if problems:
            differing += 1
            print(f"{page}: DIFFERS ({'; '.join(problems)})", file=stream)
            if show_diff:
                for what in ("blocks", "tables", "figures"):
                    for line in _diff(getattr(old, what), getattr(new, what), what):
                        print("    " + line, file=stream)
        else:
            print(f"{page}: same ({len(old.blocks)} text blocks, {len(old.tables)} tables, "
                  f"{len(old.figures)} figures)", file=stream)
    total = len(old_pages | new_pages)
    print(f"{total - differing} of {total} pages say the same; {differing} differ", file=stream)
    return differing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="folder of reports rendered before the change")
    parser.add_argument("new", type=Path, help="folder of reports rendered after the change")
    parser.add_argument("--diff", action="store_true", help="print the differing blocks")
    args = parser.parse_args(argv)
    return 1 if compare(args.old, args.new, show_diff=args.diff) else 0


if __name__ == "__main__":
    sys.exit(main())
