"""The formats beside a report's HTML, in the render: from an executed notebook to the PDF, the
Word document and the export pack (:mod:`evaluation.publish`), and into the output folder.

A report's other formats are made in the same worker process as its HTML, right after the
notebook has run, from the same executed notebook, and moved into place together with the HTML
(so an earlier good report stays whole when a rerun fails). The worker keeps one headless
Chromium for all the PDFs it prints; it is started when the worker starts, so it has booted
by the time the first notebook is done.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Sequence
from pathlib import Path

from evaluation.html import FIGURES_MIMETYPE, FigureFiles, Heading, split_title_block
from evaluation.publish import (Chromium, PublishedReport, ReportDocument, check_formats, format_paths,
                                front_page_facts, publish_report)
from evaluation.publish.document import evaluator_name
from evaluation.render.jobs import ReportJob
from evaluation.render.page import REMOVE_CELL_TAG, page_title


def notebook_figures(notebook) -> tuple[FigureFiles, ...]:
    """The figures' files that an executed report displays (:data:`FIGURES_MIMETYPE`), in order."""
    figures = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or REMOVE_CELL_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            for record in output.get("data", {}).get(FIGURES_MIMETYPE, []) or []:
                figures.append(FigureFiles.from_json(record))
    return tuple(figures)


def report_document(notebook, body: str, headings: Sequence[Heading], *, job: ReportJob, data_dir: Path,
                    data_version: str) -> ReportDocument:
    """The rendered report as the publisher takes it.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook (its figures' files).
    body : str
        Its HTML (:func:`evaluation.render.page.notebook_body`).
    headings : sequence of Heading
        Its headings (:func:`evaluation.render.page.notebook_headings`).
    job : ReportJob
    data_dir : Path
        The data folder (``programme.yaml`` for the front page).
    data_version : str
        The data's fingerprint.
    """
    lead, rest = split_title_block(body)
    return ReportDocument(
        lang=job.lang, title=page_title(headings, job.name), lead=lead, rest=rest, headings=tuple(headings),
        facts=front_page_facts(data_dir, pilot=job.pilot, phase=job.phase, lang=job.lang, data_version=data_version),
        figures=notebook_figures(notebook),
        author=evaluator_name(data_dir, subject=job.pilot or "synthesis", phase=job.phase, lang=job.lang))


def publish_in(work: Path, document: ReportDocument, job: ReportJob, *, formats: Collection[str],
               browser: Chromium | None) -> PublishedReport:
    """Write the report's other formats into the temporary folder ``work``."""
    if not check_formats(formats):
        return PublishedReport()
    if "pdf" in formats and browser is None:
        with Chromium() as own:
            return publish_report(document, work, job.stem, formats=formats, browser=own)
    return publish_report(document, work, job.stem, formats=formats, browser=browser)


def move_into_place(published: PublishedReport, job: ReportJob, out: Path) -> dict[str, str]:
    """Move the formats written in a temporary folder beside the report's HTML.

    An export folder that is there already is replaced whole (renamed aside first, then
    removed), so it never mixes the files of two renders.

    Returns
    -------
    dict
        Format to path relative to ``out``, for the manifest.
    """
    targets = format_paths(out / job.phase, job.stem)
    moved = {}
    for name, source in published.files.items():
        target = targets[name]
        if source.is_dir():
            old = target.with_name(target.name + ".old")
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                os.replace(target, old)
            os.replace(source, target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(source, target)
        moved[name] = target.relative_to(out).as_posix()
    return moved


def missing_formats(job: ReportJob, entry: dict | None, out: Path, formats: Collection[str]) -> list[str]:
    """The formats asked for that the report's last render did not leave in ``out``."""
    files = (entry or {}).get("files") or {}
    return [name for name in check_formats(formats) if name not in files or not (out / files[name]).exists()]


__all__ = ["missing_formats", "move_into_place", "notebook_figures", "publish_in",
           "report_document"]
