"""The export pack of a report: its figures as SVG and 300-dpi PNG, and its tables in one workbook.

For evaluators who write their own report in Word, or who want the numbers in a spreadsheet::

    OUT/<phase>/<pilot>-export/
        tables.xlsx                  every table of the report, one sheet each
        figure-01.svg                the figure (vector; alt text and caption as <title>, <desc>)
        figure-01.png                the figure at 300 dpi
        figure-01.txt                caption, alt text and the data table's caption
        figure-01.csv                the tidy data behind the chart (numbers unrounded)
        ...

The workbook has a contents sheet (sheet, chapter, caption) and one sheet per table, in the
order of the report: the caption and chapter on top, the header row, the rows with numbers as
numbers (:func:`evaluation.publish.tables.cell_value`: the precision shown, a format that shows
them as the report does), and the table's notes below. A value the report does not show (hidden
to protect a small group, or none) is an empty cell, shaded grey, with a comment quoting the
report's text, and a line under the table says so.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from evaluation.errors import MissingFigureFileError
from evaluation.html import FigureFiles
from evaluation.publish.tables import ReportTable, cell_value

HIDDEN_FILL = "D9D9D9"
"""Fill of a cell whose value the report does not show."""

MAX_COLUMN_WIDTH = 60


def _svg_with_texts(svg: str, *, title: str, description: str) -> str:
    """The SVG with ``<title>`` (the caption) and ``<desc>`` (the alt text) as its first children."""
    match = re.search(r"<svg\b[^>]*>", svg)
    if not match:
        return svg
    texts = f"\n <title>{xml_escape(title)}</title>\n <desc>{xml_escape(description)}</desc>"
    return svg[:match.end()] + texts + svg[match.end():]


def write_figures(figures: Sequence[FigureFiles], folder: Path, *, lang: str) -> list[Path]:
    """Write each figure as SVG, PNG, its texts (``.txt``) and tidy data (``.csv``).

    Parameters
    ----------
    figures : sequence of FigureFiles
        The report's figures, in order (numbered from 1).
    folder : Path
        The export folder (created if missing).
    lang : {"nb", "en"}
        Language of the labels in the text files.

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    MissingFigureFileError
        If a figure lacks its SVG or its PNG (the report's kernel was not asked for them).
    """
    from evaluation.i18n import t

    for number, figure in enumerate(figures, start=1):
        for kind, content in (("svg", figure.svg), ("png", figure.png_base64)):
            if not content:
                raise MissingFigureFileError(number, kind, "export pack")
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for number, figure in enumerate(figures, start=1):
        stem = folder / f"figure-{number:02d}"
        files = {
            ".svg": _svg_with_texts(figure.svg, title=figure.caption, description=figure.alt_text).encode("utf-8"),
            ".png": base64.b64decode(figure.png_base64),
            ".txt": (f"{t('publish.export.figure', lang)} {number}\n\n"
                     f"{t('publish.export.caption', lang)}: {figure.caption}\n\n"
                     f"{t('publish.export.alt_text', lang)}: {figure.alt_text}\n\n"
                     f"{t('publish.export.table_caption', lang)}: {figure.table_caption}\n").encode(),
            ".csv": figure.data_csv.encode("utf-8"),
        }
        for suffix, content in files.items():
            path = stem.with_suffix(suffix)
            path.write_bytes(content)
            written.append(path)
    return written


def _sheet_title(number: int, lang: str) -> str:
    from evaluation.i18n import t

    return t("publish.xlsx.table_sheet", lang, number=number)[:31]


def _write_table_sheet(sheet, table: ReportTable, *, lang: str) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    from evaluation.i18n import t

    bold = Font(bold=True)
    hidden_fill = PatternFill("solid", start_color=HIDDEN_FILL, end_color=HIDDEN_FILL)
    sheet["A1"] = table.caption
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"] = " – ".join(part for part in (table.chapter, table.section) if part)
    header_row = 4
    widths = [len(column) for column in table.columns]
    for column, name in enumerate(table.columns, start=1):
        cell = sheet.cell(header_row, column, name)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    hidden_any = False
    for offset, row in enumerate(table.rows, start=1):
        for column, text in enumerate(row, start=1):
            cell = sheet.cell(header_row + offset, column)
            if column == 1 and table.row_header:
                cell.value, cell.font = text, bold
            else:
                value = cell_value(text, lang)
                cell.value, cell.number_format = value.value, value.number_format
                if value.hidden:
                    hidden_any = True
                    cell.fill = hidden_fill
                    cell.comment = Comment(t("publish.xlsx.hidden_comment", lang, text=text), "")
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], len(text))
    line = header_row + len(table.rows) + 2
    for note in (*table.notes, *([t("publish.xlsx.hidden_legend", lang)] if hidden_any else [])):
        sheet.cell(line, 1, note).alignment = Alignment(wrap_text=False)
        line += 1
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(1, column).column_letter].width = min(max(width, 6) + 2, MAX_COLUMN_WIDTH)
    sheet.freeze_panes = sheet.cell(header_row + 1, 2 if table.row_header else 1)


def write_workbook(tables: Sequence[ReportTable], path: Path, *, lang: str, title: str) -> Path:
    """Write every table of a report as a sheet of one XLSX workbook, after a contents sheet.

    Parameters
    ----------
    tables : sequence of ReportTable
        The report's tables (:func:`evaluation.publish.tables.report_tables`).
    path : Path
        The workbook to write.
    lang : {"nb", "en"}
        The report's language (how its numbers are written, and the sheets' labels).
    title : str
        The report's title (on the contents sheet).

    Returns
    -------
    Path
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from evaluation.i18n import t

    workbook = Workbook()
    contents = workbook.active
    contents.title = t("publish.xlsx.contents", lang)[:31]
    contents["A1"] = title
    contents["A1"].font = Font(bold=True, size=12)
    for column, header in enumerate((t("publish.xlsx.sheet", lang), t("publish.xlsx.section", lang),
                                     t("publish.xlsx.caption", lang)), start=1):
        contents.cell(3, column, header).font = Font(bold=True)
    for number, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(_sheet_title(number, lang))
        _write_table_sheet(sheet, table, lang=lang)
        row = 3 + number
        link = contents.cell(row, 1, sheet.title)
        link.hyperlink = f"#'{sheet.title}'!A1"
        contents.cell(row, 2, table.chapter)
        contents.cell(row, 3, table.caption)
    for letter, width in (("A", 12), ("B", 40), ("C", 90)):
        contents.column_dimensions[letter].width = width
    workbook.properties.title = title
    workbook.properties.language = lang
    workbook.save(path)
    return Path(path)


__all__ = ["HIDDEN_FILL", "write_figures", "write_workbook"]
