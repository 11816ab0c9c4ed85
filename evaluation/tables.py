"""Accessible HTML tables for the reports.

Every table in a report goes through :func:`frame_to_html`: a ``<table>`` with a ``<caption>``,
``<th scope="col">`` column headers and, for row labels, ``<th scope="row">`` cells, and every
value escaped, so a string from the data (an agency name, a quote) can never become markup. The
table sits in a focusable region of its own that scrolls sideways on a narrow screen.
Values are expected to be formatted for the reader already (see :mod:`evaluation.i18n`).
"""

from __future__ import annotations

import pandas as pd

from evaluation.html import HtmlBlock, render_fragment

def _cell(value: object) -> str:
    """A cell as text: ``–`` for a missing value, else ``str(value)`` (escaped by the template)."""
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    try:
        if pd.isna(value):
            return "–"
    except (TypeError, ValueError):
        pass
    return str(value)


def _numeric_columns(frame: pd.DataFrame) -> tuple:
    """Columns after the first whose values all look like numbers (digits, signs, separators, %)."""
    return tuple(
        c for c in list(frame.columns)[1:]
        if frame[c].astype(str).str.replace(r"[\s\u00a0%,.\u2212+–-]", "", regex=True)
        .str.fullmatch(r"\d*").all()
    )


def frame_to_html(
    frame: pd.DataFrame,
    *,
    caption: str,
    row_header: bool = True,
    numeric_columns: tuple[str, ...] | None = None,
    css_class: str = "report-table",
) -> HtmlBlock:
    """Render a DataFrame as an accessible HTML table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table as it should be read: column names are headers, values are display strings
        (numbers already formatted). The index is ignored; the first column becomes the row
        header when ``row_header`` is true.
    caption : str
        Caption (``<caption>``), which names the table and its scroll region for screen
        readers; required and not blank.
    row_header : bool
        Mark the first column's cells as row headers (``<th scope="row">``).
    numeric_columns : tuple of str, optional
        Columns to right-align. By default, columns whose name is not the first column and whose
        values look numeric are right-aligned.
    css_class : str
        Class of the ``<table>`` element.

    Returns
    -------
    evaluation.html.HtmlBlock
        ``<table class="css_class">`` with ``<caption>``, ``<thead>`` and ``<tbody>``; every
        header and value escaped, a missing value shown as ``–``, numeric cells with
        ``class="num"``, wrapped in
        ``<div class="table-scroll" role="region" tabindex="0" aria-label="caption">``: a table
        wider than the screen (a phone's 375 px) scrolls sideways inside this region, which a
        keyboard user can focus (WCAG 2.1.1), instead of widening the page (WCAG 1.4.10).
        Combine it with other fragments with :func:`evaluation.html.join`.

    Raises
    ------
    ValueError
        If the caption is blank: the table and its region would have no name.
    """
    if not str(caption).strip():
        raise ValueError("a report table needs a caption: it names the table and its scroll region")
    columns = list(frame.columns)
    if numeric_columns is None:
        numeric_columns = _numeric_columns(frame)
    return render_fragment(
        "table",
        columns=[{"name": str(c), "numeric": c in numeric_columns} for c in columns],
        rows=[[_cell(value) for value in row] for row in frame.itertuples(index=False)],
        caption=caption,
        row_header=row_header,
        css_class=css_class,
    )
