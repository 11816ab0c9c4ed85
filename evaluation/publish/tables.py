"""The tables of a rendered report, read back from its HTML, and their cells as numbers.

Every table of a report is made by :func:`evaluation.tables.frame_to_html` (caption, column
headers, row headers) and reaches the reader formatted: decimal comma, thousands space, ``%``,
a hidden value as "–" or "færre enn 5 svar". :func:`report_tables` reads them from the page with
the chapter and section each belongs to and the notes under it, and :func:`cell_value` turns a
cell that shows one number back into that number, at the precision shown, so that a spreadsheet
gets numbers where the report shows numbers and never more than the report shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

NOTE_CLASSES = ("note", "suppression-note", "caution-note")
"""Classes of the paragraphs under a table that belong to it (notes on hidden values, caution)."""

HIDDEN_MARKS = ("–", "-", "—")
"""Cell texts that stand for a value the report does not show (hidden, or none)."""


@dataclass(frozen=True)
class ReportTable:
    """One table of a report.

    Attributes
    ----------
    caption : str
    chapter, section : str
        The headings (level 2 and 3) the table stands under; empty if none.
    columns : tuple of str
        Column headers.
    rows : tuple of tuple of str
        Cell texts, white space collapsed, row by row.
    row_header : bool
        Whether the first cell of each row is a row header.
    notes : tuple of str
        The notes printed under the table.
    """

    caption: str
    chapter: str
    section: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    row_header: bool
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellValue:
    """A cell as a spreadsheet takes it.

    Attributes
    ----------
    value : float, int, str or None
        A number where the cell shows one number, ``None`` where it is hidden, else the text.
    number_format : str
        The Excel number format that shows the number as the report does (``0.00``, ``0%``).
    hidden : bool
        True if the report shows no value here (a suppression note or "–").
    """

    value: float | int | str | None
    number_format: str = "General"
    hidden: bool = False


def text_of(element) -> str:
    """An element's text as a reader sees it: white space collapsed, ends trimmed."""
    return " ".join("".join(element.itertext()).split())


def parse_fragment(html: str):
    """An lxml element holding the parsed HTML fragment (a ``<div>``)."""
    import lxml.html

    return lxml.html.fragment_fromstring(html or "<p></p>", create_parent="div")


def _table_block(table):
    """The element that stands for the table among its siblings: its scroll region or the
    figure's data block around it, else the table."""
    block = table
    while block.getparent() is not None and (
            "table-scroll" in block.getparent().get("class", "") or block.getparent().tag == "details"):
        block = block.getparent()
    return block


def _notes(table) -> tuple[str, ...]:
    notes = []
    sibling = _table_block(table).getnext()
    while sibling is not None and sibling.tag == "p" and set(sibling.get("class", "").split()) & set(NOTE_CLASSES):
        notes.append(text_of(sibling))
        sibling = sibling.getnext()
    return tuple(notes)


def _read_table(table, chapter: str, section: str) -> ReportTable:
    caption = table.find("caption")
    header = table.find("thead")
    columns = tuple(text_of(cell) for cell in (header.iter("th", "td") if header is not None else ()))
    body = table.find("tbody")
    rows, row_header = [], False
    for row in (body if body is not None else table).iter("tr"):
        cells = [cell for cell in row if cell.tag in ("th", "td")]
        if cells and cells[0].tag == "th":
            row_header = True
        rows.append(tuple(text_of(cell) for cell in cells))
    return ReportTable(caption=text_of(caption) if caption is not None else "", chapter=chapter, section=section,
                       columns=columns, rows=tuple(rows), row_header=row_header, notes=_notes(table))


def report_tables(html: str) -> list[ReportTable]:
    """Every table of a report's HTML, in order, with its chapter, section and notes.

    Parameters
    ----------
    html : str
        The report's chapters (or a whole page).

    Returns
    -------
    list of ReportTable

    Examples
    --------
    >>> tables = report_tables('<h2>Metode</h2><table><caption>Svar</caption><thead><tr><th>Runde</th>'
    ...                        '<th>Svar</th></tr></thead><tbody><tr><th>2021</th><td>54</td></tr></tbody>'
    ...                        '</table><p class="note">Alle svar.</p>')
    >>> tables[0].caption, tables[0].chapter, tables[0].rows, tables[0].notes
    ('Svar', 'Metode', (('2021', '54'),), ('Alle svar.',))
    """
    root = parse_fragment(html)
    chapter = section = ""
    tables = []
    for element in root.iter("h2", "h3", "table"):
        if element.tag == "h2":
            chapter, section = text_of(element), ""
        elif element.tag == "h3":
            section = text_of(element)
        else:
            tables.append(_read_table(element, chapter, section))
    return tables


_NUMBER = {
    # sign, digits with thousands groups, decimals, per cent
    "nb": re.compile(r"^([+\u2212-])?(\d{1,3}(?:[ \u00a0\u202f]\d{3})+|\d+)(?:,(\d+))?(\s?%)?$"),
    "en": re.compile(r"^([+\u2212-])?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(\s?%)?$"),
}


@cache
def _suppression_pattern(lang: str) -> re.Pattern:
    """The report's text for a hidden group ("færre enn 5 svar"), any threshold."""
    from evaluation.i18n import translation_table

    template = translation_table()["suppressed_note"][lang]
    return re.compile("^" + re.escape(template).replace(re.escape("{threshold}"), r"\d+") + "$")


def cell_value(text: str, lang: str) -> CellValue:
    """A cell's text as a spreadsheet value: one number, hidden, or text.

    Parameters
    ----------
    text : str
        The cell as the report shows it.
    lang : {"nb", "en"}
        The report's language (decimal comma in bokmål).

    Returns
    -------
    CellValue
        A number with the format that shows it as the report does (a percentage as a share
        with a ``%`` format); ``None`` and ``hidden`` for "–" and the suppression note; the text
        for anything else (two numbers in one cell, words).

    Examples
    --------
    >>> cell_value("−0,37", "nb")
    CellValue(value=-0.37, number_format='0.00', hidden=False)
    >>> cell_value("62\\u00a0%", "nb")
    CellValue(value=0.62, number_format='0%', hidden=False)
    >>> cell_value("1\\u00a0234", "nb").value, cell_value("1,234.5", "en").value
    (1234, 1234.5)
    >>> cell_value("færre enn 5 svar", "nb").hidden, cell_value("2,86–3,26", "nb").value
    (True, '2,86–3,26')
    """
    stripped = text.strip()
    if stripped in HIDDEN_MARKS or _suppression_pattern(lang).match(stripped):
        return CellValue(None, hidden=True)
    match = _NUMBER[lang].match(stripped)
    if not match:
        return CellValue(text)
    sign, digits, decimals, percent = match.groups()
    digits = re.sub(r"\D", "", digits)
    negative = sign in ("-", "\u2212")
    places = len(decimals or "")
    fmt = ("#,##0" if int(digits) >= 1000 else "0") + ("." + "0" * places if places else "")
    if percent:
        value = float(f"{digits}.{decimals or 0}") / 100
        value = round(-value if negative else value, places + 2)
        return CellValue(value, fmt.replace("#,##0", "0") + "%")
    if places:
        value = round(float(f"{digits}.{decimals}"), places)
    else:
        value = int(digits)
    return CellValue(-value if negative else value, fmt)


__all__ = ["CellValue", "HIDDEN_MARKS", "NOTE_CLASSES", "ReportTable", "cell_value", "parse_fragment",
           "report_tables", "text_of"]
