"""Helpers that break a copy of the demo data on purpose, shared by the contract tests."""

from __future__ import annotations

import csv
import io

from conftest import read_lines, write_lines


def locations(problems):
    return {(p.file, p.row, p.column) for p in problems}


def edit_cell(path, row_number, column, value):
    """Set one cell (row_number as seen in an editor: header is 1) and return nothing."""
    lines = read_lines(path)
    header = next(csv.reader([lines[0]]))
    fields = next(csv.reader([lines[row_number - 1]]))
    fields[header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(fields)
    lines[row_number - 1] = buffer.getvalue()
    write_lines(path, lines)
