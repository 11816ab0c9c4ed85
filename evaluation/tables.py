"""Accessible HTML tables for the reports.

Every table in a report goes through :func:`frame_to_html`: a ``<table>`` with a ``<caption>``,
``<th scope="col">`` column headers and, for row labels, ``<th scope="row">`` cells, and every
value escaped, so a string from the data (an agency name, a quote) can never become markup.
Values are expected to be formatted for the reader already (see :mod:`evaluation.i18n`).
"""

from __future__ import annotations

import html
import re

import pandas as pd


WIDE_TABLE_COLUMNS = 6
"""Tables with more columns than this are wrapped in a focusable horizontal scroll region."""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    return html.escape(str(value))


def frame_to_html(
    frame: pd.DataFrame,
    *,
    caption: str = "",
    row_header: bool = True,
    numeric_columns: tuple[str, ...] | None = None,
    css_class: str = "report-table",
) -> str:
    """Render a DataFrame as an accessible HTML table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as it should be read: column names are headers, values are display strings
        (numbers already formatted). The index is ignored; the first column becomes the row
        header when ``row_header`` is true.
    caption : str
        Caption (``<caption>``), which names the table for screen readers.
    row_header : bool
        Mark the first column's cells as row headers (``<th scope="row">``).
    numeric_columns : tuple of str, optional
        Columns to right-align. By default, columns whose name is not the first column and whose
        values look numeric are right-aligned.
    css_class : str
        Class of the ``<table>`` element.

    Returns
    -------
    str
        The HTML.
    """
    columns = list(frame.columns)
    if numeric_columns is None:
        numeric_columns = tuple(
            c for c in columns[1:]
            if frame[c].astype(str).str.replace(r"[\s\u00a0%,.\u2212+–-]", "", regex=True)
            .str.fullmatch(r"\d*").all()
        )
    parts = [f'<table class="{css_class}">']
    if caption:
        parts.append(f"<caption>{html.escape(caption)}</caption>")
    parts.append("<thead><tr>")
    for column in columns:
        align = ' class="num"' if column in numeric_columns else ""
        parts.append(f'<th scope="col"{align}>{html.escape(str(column))}</th>')
    parts.append("</tr></thead><tbody>")
    for row in frame.itertuples(index=False):
        parts.append("<tr>")
        for position, (column, value) in enumerate(zip(columns, row)):
            align = ' class="num"' if column in numeric_columns else ""
            if position == 0 and row_header:
                parts.append(f'<th scope="row"{align}>{_cell(value)}</th>')
            else:
                parts.append(f"<td{align}>{_cell(value)}</td>")
        parts.append("</tr>")
    parts.append("</tbody></table>")
    markup = "".join(parts)
    if len(columns) > WIDE_TABLE_COLUMNS:
        # A wide table scrolls inside a region that keyboard users can focus (WCAG 2.1.1).
        label = html.escape(caption or "", quote=True)
        markup = f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">{markup}</div>'
    return markup


class HtmlBlock:
    """Raw HTML that a notebook displays as-is (used for report sections built by the package)."""

    def __init__(self, markup: str):
        self.markup = markup

    def _repr_html_(self) -> str:
        return self.markup

    def __str__(self) -> str:
        return self.markup


def anchor_id(key: str) -> str:
    """An anchor id from a section key: lower case, ``a-z0-9-`` only."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def section_heading(text: str, *, key: str, level: int = 3) -> str:
    """A chapter section heading with a stable anchor id, so the table of contents can link it.

    Parameters
    ----------
    text : str
        The heading as the reader sees it (escaped here).
    key : str
        A language-independent name of the section (for example its translation key); the id is
        ``key`` reduced to ``a-z0-9-``, so links work in both languages.
    level : int
        Heading level (3 for sections of a chapter).
    """
    return f'<h{level} id="{anchor_id(key)}">{html.escape(text)}</h{level}>'
