"""Write imported responses into a data folder's ``survey/responses.csv``, atomically."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from evaluation.errors import DataContractError
from evaluation.files import atomic_write_text
from evaluation.importers.responses import BASE_COLUMNS, ImportResult

RESPONSES_FILE = Path("survey") / "responses.csv"
"""Where the responses live in a data folder."""


def _format_cell(column: str, value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if column == "response_date":
        return pd.Timestamp(value).date().isoformat()
    if column == "wave":
        return str(int(value))
    if column in BASE_COLUMNS:
        return str(value)
    return str(int(value))


def _format_rows(frame: pd.DataFrame, header: list[str]) -> list[list[str]]:
    return [[_format_cell(column, record[column]) for column in header]
            for record in frame.to_dict("records")]


def write_contract_responses(result: ImportResult, out_dir: str | Path) -> Path:
    """Write (or merge) imported responses into ``out_dir/survey/responses.csv``.

    Rows of the imported wave *and pilots* replace the rows of that wave and those pilots already
    in the file; rows of other waves or other pilots are kept, cell for cell (exports often come
    one pilot at a time, and importing Stad's 2022 export must not delete Narvik's 2022 rows).
    The file is written to a temporary file and renamed, so an earlier file survives any failure.

    Parameters
    ----------
    result : ImportResult
        The output of :func:`evaluation.importers.import_survey`.
    out_dir : str or Path
        The data folder (created if needed).

    Returns
    -------
    Path
        The path of ``survey/responses.csv``.

    Raises
    ------
    DataContractError
        If an existing ``responses.csv`` cannot be read (not UTF-8, malformed) or has other
        item columns than the import, so the two cannot be merged.
    ValueError
        If ``result.responses`` lacks a contract column.

    Notes
    -----
    The file follows ``data/README.md``: UTF-8 without byte-order mark, comma-separated,
    ISO dates, empty cells for unanswered items. Item columns keep the order of an existing
    file, else the order of the import.
    """
    frame = result.responses
    missing = [c for c in BASE_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"result.responses lacks the column(s) {', '.join(missing)}")
    items = [c for c in frame.columns if c not in BASE_COLUMNS]
    path = Path(out_dir) / RESPONSES_FILE
    header = list(BASE_COLUMNS) + items
    kept: list[list[str]] = []
    rows = _existing_rows(path) if path.exists() else []
    if rows:
        header = _merged_header(path, [c.strip() for c in rows[0]], items)
        waves = {str(int(w)) for w in frame["wave"]} | {str(result.wave)}
        pilots = {str(p) for p in frame["pilot"]}
        kept = _kept_rows(path, rows, header, waves, pilots)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(kept)
    writer.writerows(_format_rows(frame, header))
    atomic_write_text(path, buffer.getvalue())
    return path


def _existing_rows(path: Path) -> list[list[str]]:
    """The non-blank rows of an existing ``responses.csv`` (which must be UTF-8)."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataContractError.single(
            str(path), raw[: error.start].count(b"\n") + 1, None,
            f"byte 0x{raw[error.start]:02x} at byte offset {error.start} is not UTF-8",
            "the existing responses.csv in UTF-8, as the contract requires") from None
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return [r for r in rows if r and any(cell.strip() for cell in r)]


def _merged_header(path: Path, existing: list[str], items: list[str]) -> list[str]:
    """The header of the merged file: the existing file's, which must have the import's items."""
    lacking = [c for c in BASE_COLUMNS if c not in existing]
    if lacking:
        raise DataContractError.single(
            str(path), 1, lacking[0], "column is missing in the existing file",
            "the columns " + ", ".join(BASE_COLUMNS) + " and one per item")
    old_items = [c for c in existing if c not in BASE_COLUMNS]
    if set(old_items) != set(items):
        only_old = sorted(set(old_items) - set(items))
        only_new = sorted(set(items) - set(old_items))
        raise DataContractError.single(
            str(path), 1, None,
            "the existing file has other item columns than the import ("
            + "; ".join(part for part in (
                "only in the file: " + ", ".join(only_old) if only_old else "",
                "only in the import: " + ", ".join(only_new) if only_new else "") if part)
            + ")", "the same items in both (import with the contract items)")
    return list(BASE_COLUMNS) + old_items


def _kept_rows(path: Path, rows: list[list[str]], header: list[str], waves: set[str],
               pilots: set[str]) -> list[list[str]]:
    """The existing rows that the import does not replace (other waves or other pilots)."""
    existing = [c.strip() for c in rows[0]]
    wave_at, pilot_at = existing.index("wave"), existing.index("pilot")
    kept = []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(existing):
            raise DataContractError.single(
                str(path), line, None,
                f"the line has {len(row)} fields but the header has {len(existing)}",
                "the same number of fields on every line")
        if row[wave_at].strip() in waves and row[pilot_at].strip() in pilots:
            continue
        by_name = dict(zip(existing, row))
        kept.append([by_name[c] for c in header])
    return kept


__all__ = ["RESPONSES_FILE", "write_contract_responses"]
