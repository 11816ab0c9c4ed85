"""The formats a report leaves the browser in: an archive PDF, a Word document, an export pack.

Each is made from the rendered report (:class:`ReportDocument`: its HTML, headings, figures
and front-page facts), by the render pipeline in its worker processes, never in a report's
kernel, and written beside the report's HTML::

    OUT/<phase>/<pilot>.pdf          A4, front page, contents with page numbers, running header,
                                     "side 3 av 31", tagged, bookmarks, PDF/A-2u (pdf, pdfa)
    OUT/<phase>/<pilot>.docx         Word headings, tables and figures with alt text (word)
    OUT/<phase>/<pilot>-export/      figures as SVG and 300-dpi PNG with their texts and tidy
                                     data, and tables.xlsx with every table (export)

The figures' files are made in the report's kernel, and only those the formats asked for take
(:data:`FIGURE_FILES`); the render tells the kernel (:data:`evaluation.html.FIGURE_FILES_ENV`).

The modules: :mod:`~evaluation.publish.document` (the report as the publisher takes it, and
the page that is printed), :mod:`~evaluation.publish.chromium` (the PDF engine),
:mod:`~evaluation.publish.pdf` and :mod:`~evaluation.publish.pdfa`,
:mod:`~evaluation.publish.tables` (the report's tables read back, their cells as numbers),
:mod:`~evaluation.publish.export` and :mod:`~evaluation.publish.word`.
"""

from __future__ import annotations

import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.publish.chromium import Chromium, PdfEngineError
from evaluation.publish.document import ReportDocument, front_page_facts

FORMATS = ("pdf", "docx", "export")
"""The formats besides HTML, in the order they are made."""


FIGURE_FILES = {"pdf": (), "docx": ("png",), "export": ("svg", "png")}
"""The figure files (:data:`evaluation.html.FIGURE_FILE_KINDS`) each format takes from the report's
kernel: the PDF is printed from the HTML, which embeds its figures as SVG; the Word document
takes the 300-dpi PNG; the export pack both."""


def figure_files_for(formats: Collection[str]) -> tuple[str, ...]:
    """The figure files a report's kernel must make for ``formats`` (:data:`FIGURE_FILES`).

    Examples
    --------
    >>> figure_files_for(["pdf"]), figure_files_for(["pdf", "docx"]), figure_files_for(FORMATS)
    ((), ('png',), ('svg', 'png'))
    """
    from evaluation.html import FIGURE_FILE_KINDS

    needed = {kind for name in check_formats(formats) for kind in FIGURE_FILES[name]}
    return tuple(kind for kind in FIGURE_FILE_KINDS if kind in needed)


def format_paths(folder: Path, stem: str) -> dict[str, Path]:
    """Where each format of the report ``stem`` goes in ``folder``.

    Examples
    --------
    >>> {name: path.name for name, path in format_paths(Path("reports"), "stad.en").items()}
    {'pdf': 'stad.en.pdf', 'docx': 'stad.en.docx', 'export': 'stad.en-export'}
    """
    return {"pdf": folder / f"{stem}.pdf", "docx": folder / f"{stem}.docx", "export": folder / f"{stem}-export"}


def check_formats(formats: Collection[str]) -> tuple[str, ...]:
    """``formats`` in the order of :data:`FORMATS`; raises ValueError for an unknown one."""
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format(s) {', '.join(unknown)}; expected some of {', '.join(FORMATS)}")
    return tuple(name for name in FORMATS if name in formats)


@dataclass(frozen=True)
class PublishedReport:
    """The files made of one report.

    Attributes
    ----------
    files : dict
        Format to path (a folder for ``export``).
    pdf_pages : int or None
        Pages of the PDF.
    seconds : dict
        Format to the seconds it took.
    """

    files: dict = field(default_factory=dict)
    pdf_pages: int | None = None
    seconds: dict = field(default_factory=dict)


def publish_report(document: ReportDocument, folder: Path, stem: str, *, formats: Collection[str],
                   browser: Chromium | None) -> PublishedReport:
    """Write the report's PDF, Word document and export pack (those in ``formats``) to ``folder``.

    Parameters
    ----------
    document : ReportDocument
        The report.
    folder : Path
        Where to write (:func:`format_paths`).
    stem : str
        The report's file stem (``stad``, ``stad.en``, ``synthesis``).
    formats : collection of str
        Some of :data:`FORMATS`.
    browser : Chromium or None
        The PDF engine (needed for ``pdf``).

    Returns
    -------
    PublishedReport

    Raises
    ------
    PdfEngineError
        If the PDF cannot be printed.
    """
    from evaluation.i18n import t
    from evaluation.publish.export import write_figures, write_workbook
    from evaluation.publish.pdf import write_pdf
    from evaluation.publish.tables import report_tables
    from evaluation.publish.word import write_docx

    paths = format_paths(Path(folder), stem)
    subject = t("programme_name", document.lang)
    files, seconds, pages = {}, {}, None
    for name in check_formats(formats):
        started = time.perf_counter()
        if name == "pdf":
            if browser is None:
                raise PdfEngineError("no PDF engine given")
            pages = write_pdf(document, paths["pdf"], browser=browser, toc_title=t("toc", document.lang),
                              author=document.author, subject=subject).pages
        elif name == "docx":
            write_docx(document, paths["docx"], author=document.author, subject=subject)
        else:
            write_figures(document.figures, paths["export"], lang=document.lang)
            write_workbook(report_tables(document.rest), paths["export"] / "tables.xlsx", lang=document.lang,
                           title=document.title)
        files[name] = paths[name]
        seconds[name] = round(time.perf_counter() - started, 3)
    return PublishedReport(files, pages, seconds)


__all__ = ["FIGURE_FILES", "FORMATS", "Chromium", "PdfEngineError", "PublishedReport", "ReportDocument",
           "check_formats", "figure_files_for", "format_paths", "front_page_facts", "publish_report"]
