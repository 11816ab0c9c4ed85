"""The archive PDF of a report: printed by headless Chromium, then made PDF/A-2u with pikepdf.

Why Chromium: it is the browser the reports are written for and tested in (the same layout,
fonts and accessibility tree), the Makefile already installs it, it prints a 30-page report in
about a second, and ``Page.printToPDF`` writes a *tagged* PDF (structure tree from the
accessibility tree: headings, tables with TH and TD, lists, figures with their ``alt`` text,
``/Lang`` from ``<html lang>``) with bookmarks from the headings (``generateDocumentOutline``),
and CSS page margin boxes give the running header and "side 3 av 31". WeasyPrint would give
``target-counter()`` (page numbers in the table of contents in one pass) and PDF/A itself, but
it takes several times longer per report and lays the page out differently from the browser.

What Chromium cannot do is done around it:

* page numbers in the table of contents: the page is printed once with placeholders, the page
  of every heading is read from the PDF's named destinations (Chromium writes one for every
  in-page link target, which the table of contents links to), and the page is printed again
  with the numbers (a third time only if the numbers moved a heading, which the placeholder's
  width prevents);
* PDF/A: :mod:`evaluation.publish.pdfa` adds what PDF/A-2u asks beyond what Chromium writes
  (XMP metadata with the PDF/A identification, title and language, an sRGB output intent,
  the print flag on every annotation) and checks the result.
"""

from __future__ import annotations

import io
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from evaluation.publish.chromium import Chromium, PdfEngineError
from evaluation.publish.document import ReportDocument, print_document, toc_anchors

PRINT_OPTIONS = {
    # A4 with the margins of report.css (@page); the sizes here apply only if CSS gives none.
    "preferCSSPageSize": True,
    "paperWidth": 8.27,
    "paperHeight": 11.69,
    "printBackground": True,
    "displayHeaderFooter": False,
    "generateTaggedPDF": True,
    "generateDocumentOutline": True,
}
"""Parameters of ``Page.printToPDF``."""

UNTAGGED_OPTIONS = {**PRINT_OPTIONS, "generateTaggedPDF": False, "generateDocumentOutline": False}
"""The same page layout, without the structure tree and bookmarks (the print that finds pages)."""

MAX_PASSES = 3
"""Prints of one report at most: the first finds the pages, the second shows them."""


@dataclass(frozen=True)
class PdfResult:
    """A PDF written: where, how many pages, and how it was made.

    Attributes
    ----------
    path : Path
    pages : int
    passes : int
        Prints needed to settle the table of contents' page numbers (2 normally).
    seconds : float
    """

    path: Path
    pages: int
    passes: int
    seconds: float


def anchor_pages(pdf: bytes) -> dict[str, int]:
    """The page (1-based) of every named destination of a PDF: the in-page link targets.

    Parameters
    ----------
    pdf : bytes
        A PDF printed by Chromium (its catalog's ``/Dests`` dictionary).

    Returns
    -------
    dict
        Destination name (the element's ``id``) to page number.
    """
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as document:
        number = {page.obj.objgen: position for position, page in enumerate(document.pages, start=1)}
        destinations = document.Root.get("/Dests")
        found = {}
        if destinations is not None:
            for name, target in destinations.items():
                array = target.get("/D") if isinstance(target, pikepdf.Dictionary) else target
                if array is not None and len(array) and array[0].objgen in number:
                    found[str(name).lstrip("/")] = number[array[0].objgen]
        return found


def heading_texts(document: ReportDocument) -> tuple[str, ...]:
    """The text of every heading of the printed page (the title and every ``<h2>``-``<h6>``)."""
    from evaluation.publish.tables import parse_fragment, text_of

    root = parse_fragment(document.rest)
    return (document.title, *(text_of(h) for h in root.iter("h1", "h2", "h3", "h4", "h5", "h6")))


def print_pdf(document: ReportDocument, *, browser: Chromium, work_dir: Path, toc_title: str) -> tuple[bytes, int]:
    """Print a report, with the page numbers of its table of contents; return the PDF and the
    number of prints it took.

    Raises
    ------
    PdfEngineError
        If Chromium fails, or a heading of the table of contents has no page in the PDF.
    """
    anchors = toc_anchors(document.headings)
    pages: Mapping[str, int] | None = None
    page_file = Path(work_dir) / "print.html"
    for passes in range(1, MAX_PASSES + 1):
        page_file.write_text(print_document(document, pages=pages, toc_title=toc_title), encoding="utf-8")
        # The first print only finds the pages: without tags and bookmarks it is a fifth faster.
        pdf = browser.print_pdf(page_file, PRINT_OPTIONS if pages is not None else UNTAGGED_OPTIONS)
        found = anchor_pages(pdf)
        missing = [anchor for anchor in anchors if anchor not in found]
        if missing:
            raise PdfEngineError(f"headings without a page in the PDF: {', '.join(missing)}", method="Page.printToPDF")
        now = {anchor: found[anchor] for anchor in anchors}
        if now == pages:
            return pdf, passes
        pages = now
    raise PdfEngineError(f"the table of contents' page numbers did not settle in {MAX_PASSES} prints")


def write_pdf(document: ReportDocument, path: Path, *, browser: Chromium, toc_title: str, author: str,
              subject: str) -> PdfResult:
    """Print a report to an archive PDF (tagged, bookmarks, PDF/A-2u) at ``path``.

    Parameters
    ----------
    document : ReportDocument
        The report.
    path : Path
        The PDF to write (its folder must exist).
    browser : Chromium
        The engine.
    toc_title : str
        Title of the table of contents.
    author, subject : str
        Document information: the evaluator and a one-line description.

    Returns
    -------
    PdfResult
    """
    from evaluation.publish.pdfa import make_pdfa

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="shr-print-") as work:
        pdf, passes = print_pdf(document, browser=browser, work_dir=Path(work), toc_title=toc_title)
    archived, pages = make_pdfa(pdf, title=document.title, lang=document.lang, author=author, subject=subject,
                                headings=heading_texts(document))
    Path(path).write_bytes(archived)
    return PdfResult(Path(path), pages, passes, time.perf_counter() - started)


__all__ = ["MAX_PASSES", "PRINT_OPTIONS", "PdfResult", "anchor_pages", "print_pdf", "write_pdf"]
