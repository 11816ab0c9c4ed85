"""CSV files of the contract: reading them, and checking and converting their columns.

A :class:`Column` declares what one column holds (its kind, whether a cell may be empty, the
allowed values or the catalogue they refer to); :func:`check_columns` checks a whole file against
its columns at once -- vectorised, and each distinct cell of a column once, so that 100 000
survey responses take less than a second -- and logs every bad cell at ``FILE:ROW:COLUMN`` (the
header is line 1).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Mapping

import numpy as np
import pandas as pd

from evaluation.contract.problems import ProblemLog
from evaluation.contract.vocabulary import ID_PATTERN, OPAQUE_ID_PATTERN


@dataclass(frozen=True)
class Column:
    """How one CSV column is checked and converted.

    Attributes
    ----------
    name : str
        The column's name in the header.
    kind : str
        ``id``, ``opaque_id``, ``text``, ``int``, ``float``, ``date``, ``bool`` or ``enum``.
    optional : bool
        An empty cell is allowed (and becomes ``None``).
    allowed : tuple or str, optional
        The allowed values (for ``enum``), or the name of a reference to another file or to
        ``programme.yaml`` (``pilots``, ``interview_ids`` …) that :func:`check_columns` looks up;
        a reference that is ``None`` (its file could not be read) is not checked.
    allowed_text : str
        What the message says is expected instead of an unknown value.
    """

    name: str
    kind: str = "text"
    optional: bool = False
    allowed: tuple | str | None = None
    allowed_text: str = ""


def expected_text(kind: str) -> str:
    """What a cell of ``kind`` should look like, in a problem's ``expected`` part."""
    return {
        "id": "an id of lower-case letters, digits, - and _",
        "opaque_id": "an opaque id of letters, digits, ., - and _",
        "int": "a whole number",
        "float": "a number with a decimal point (not a comma)",
        "date": "an ISO date such as 2022-10-14",
        "bool": "yes or no",
        "text": "a text",
    }.get(kind, kind)


MAX_INT_DIGITS = 18
"""The most digits of a whole number in an ``int`` column (leading zeros not counted): any such
number fits in 64 bits."""

TOO_LARGE = re.compile(rf"[+-]?0*[1-9]\d{{{MAX_INT_DIGITS},}}")
"""A whole number of more than :data:`MAX_INT_DIGITS` digits."""


SEMICOLON_ADVICE = ("comma-separated values with a decimal point: in LibreOffice Calc, Save As > Text CSV with "
                    "field delimiter ',' and character set UTF-8; in Excel, set the list separator to ',' "
                    "(Windows: Region > Additional settings) before Save As > CSV UTF-8")
"""What to do with a CSV file that Excel saved with Norwegian settings (semicolons, decimal comma)."""


def read_file_bytes(path: Path, log: ProblemLog, *, what: str = "the file described in data/README.md") -> bytes | None:
    """A contract file's bytes; ``None`` (with a problem) if it is missing, a folder or unreadable."""
    if path.is_dir():
        log.add(None, None, "is a folder, not a file", what)
        return None
    if not path.exists():
        log.add(None, None, "file is missing", what)
        return None
    try:
        return path.read_bytes()
    except OSError as error:
        log.add(None, None, f"cannot be read: {error.strerror or error}", "a readable file (check its permissions)")
        return None


def read_csv(path: Path, log: ProblemLog) -> pd.DataFrame | None:
    """Read a CSV as strings, reporting a missing, unreadable or misshapen file.

    A file saved by Excel with Norwegian settings (semicolon-separated, often with decimal
    commas and in Windows-1252) is refused with what to do (:data:`SEMICOLON_ADVICE`); the
    empty rows Excel writes after the last row of data (``,,,,``) are dropped.
    """
    raw = read_file_bytes(path, log)
    if raw is None:
        return None
    header = raw.split(b"\n", 1)[0]
    if b";" in header and b"," not in header:
        log.add(1, None, "the values are separated by semicolons (as Excel saves CSV with Norwegian settings)",
                SEMICOLON_ADVICE)
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        log.add(row, None, f"byte 0x{raw[error.start]:02x} at position {error.start} is not UTF-8",
                "UTF-8 text (save the file as CSV UTF-8)")
        return None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        match = re.search(r"line (\d+)", str(error))
        log.add(int(match.group(1)) if match else None, None, f"not a valid CSV file: {' '.join(str(error).split())}",
                "comma-separated values with the same number of fields on every line")
        return None
    frame = _without_repeated_columns(frame, _header_names(text, frame), log)
    return _without_trailing_empty_rows(frame)


def _header_names(text: str, frame: pd.DataFrame) -> list[str]:
    """The column names as the header gives them, without the spaces around them.

    pandas renames a name given twice (``pilot,pilot`` becomes ``pilot, pilot.1``), so the header
    is read again by :mod:`csv` (its first record only); a blank name keeps the name pandas gave it
    (``Unnamed: 2``), and so do all names if the two readings do not have the same length.
    """
    named = [str(c).strip() for c in frame.columns]
    header = next((record for record in csv.reader(io.StringIO(text)) if record), [])
    if len(header) != len(named):
        return named
    return [raw.strip() or name for raw, name in zip(header, named)]


def _without_repeated_columns(frame: pd.DataFrame, names: list[str], log: ProblemLog) -> pd.DataFrame:
    """The frame named ``names``, keeping the first of the columns with the same name.

    Logs one problem on the header line (1) for each name given more than once, whether the
    spellings are the same (``pilot,pilot``) or differ by spaces only (``pilot, pilot``); the
    first column of that name is checked, and a column missing in its place is reported as missing.
    """
    frame.columns = names
    counts = Counter(names)
    repeated = [name for name, count in counts.items() if count > 1 and name]
    for name in repeated:
        count = counts[name]
        log.add(1, name, f"the column {name} appears {'twice' if count == 2 else f'{count} times'} in the header",
                "each column once (spaces around a name do not count)")
    if not repeated:
        return frame
    return frame.loc[:, ~(pd.Index(names).duplicated() & pd.Index(names).isin(repeated))]


def _without_trailing_empty_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame without the rows after the last one that has a value (Excel's ``,,,,`` rows).

    A cell of whitespace only has no value. The rows are looked at from the end, in blocks that grow
    eightfold, so a file without such rows costs one row's check, not one per cell.
    """
    if frame.empty:
        return frame
    end, size = len(frame), 1
    while end > 0:
        start = max(end - size, 0)
        filled = np.flatnonzero(_filled_rows(frame.iloc[start:end]))
        if filled.size:
            last = start + int(filled[-1]) + 1
            return frame.iloc[:last] if last < len(frame) else frame
        end, size = start, size * 8
    return frame.iloc[:0]


def _filled_rows(rows: pd.DataFrame) -> np.ndarray:
    """Which rows have a cell with something other than whitespace."""
    return np.array([any(str(cell).strip() for cell in row) for row in rows.to_numpy(dtype=object)], dtype=bool)


def check_columns(frame: pd.DataFrame, columns: tuple[Column, ...], log: ProblemLog,
                  references: Mapping[str, tuple | None], *, extra_columns: bool = False) -> pd.DataFrame:
    """Check every declared column of a file; return the frame with typed columns.

    Parameters
    ----------
    frame : DataFrame
        The file as read by :func:`read_csv` (all strings).
    columns : tuple of Column
        The file's columns.
    log : ProblemLog
        Receives a problem for a missing or unknown column and for every bad cell.
    references : mapping
        The values a reference (a :attr:`Column.allowed` given as a name) allows.
    extra_columns : bool
        Columns not declared are allowed (they are checked elsewhere, as the item columns of
        ``responses.csv`` are).

    Returns
    -------
    DataFrame
        Declared columns converted (``int``, ``float``, ``datetime.date``, ``bool``; ``None`` for
        an empty or invalid cell); other columns as read.
    """
    out = frame.copy()
    for name in [c.name for c in columns if c.name not in frame.columns]:
        log.add(1, name, "column is missing", f"a column named {name!r}")
    if not extra_columns:
        known = {c.name for c in columns}
        for name in frame.columns:
            if name not in known:
                log.add(1, name, "unknown column", "only the columns " + ", ".join(c.name for c in columns))
    for column in columns:
        if column.name in frame.columns:
            allowed = references[column.allowed] if isinstance(column.allowed, str) else column.allowed
            out[column.name] = _check_column(frame[column.name], column, allowed, log)
    return out


def _check_column(cells: pd.Series, column: Column, allowed: tuple | None, log: ProblemLog) -> pd.Series:
    """Check and convert one column: empty cells, cells of the wrong kind, unknown values.

    Each distinct cell is checked and converted once (100 000 responses hold a few waves, dates
    and agencies), and the results are spread to the rows.
    """
    rows, distinct = cells.array.factorize(use_na_sentinel=False)
    values = pd.Series(distinct).astype(str).str.strip()
    allowed = None if allowed is None else {str(a) for a in allowed}
    empty = values.eq("").to_numpy()
    valid, converted = _fast_convert(values, column.kind)
    valid = valid & ~empty
    result = pd.Series([None] * len(values), dtype=object)
    result[valid] = converted[valid].astype(object)
    if not column.optional:
        for position in np.flatnonzero(empty[rows]):
            log.add(int(position) + 2, column.name, "empty cell", expected_text(column.kind))
    for position in np.flatnonzero(~empty[rows] & ~valid[rows]):  # rare: explain what is wrong, cell by cell
        _log_invalid(values.iloc[rows[position]], int(position) + 2, column, log)
    if allowed is not None:
        unknown = valid & ~values.isin(allowed).to_numpy()
        for position in np.flatnonzero(unknown[rows]):
            value = values.iloc[rows[position]]
            log.add(int(position) + 2, column.name, f"unknown value {value!r}",
                    column.allowed_text or ("one of " + ", ".join(sorted(allowed)[:12])
                                            + (" …" if len(allowed) > 12 else "")))
    return pd.Series(result.to_numpy()[rows], index=cells.index, dtype=object)


def _fast_convert(values: pd.Series, kind: str) -> tuple[np.ndarray, pd.Series]:
    """Which non-empty cells of ``values`` are valid for ``kind``, and their converted values.

    Vectorised; :func:`_check_column` passes the distinct cells of a column. The cells it rejects
    are explained one by one by :func:`_log_invalid`.
    """
    if kind == "int":
        valid = (values.str.fullmatch(r"[+-]?\d+") & ~values.str.fullmatch(TOO_LARGE.pattern)).to_numpy(dtype=bool)
        converted = pd.Series(0, index=values.index, dtype="int64")
        converted[valid] = values[valid].astype("int64")
        return valid, converted
    if kind == "float":
        numbers = pd.to_numeric(values.where(values.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")),
                                errors="coerce")
        return (numbers.notna() & np.isfinite(numbers)).to_numpy(dtype=bool), numbers
    if kind == "date":
        shaped = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        parsed = pd.to_datetime(values.where(shaped), format="%Y-%m-%d", errors="coerce")
        valid = parsed.notna().to_numpy(dtype=bool)
        converted = pd.Series([None] * len(values), index=values.index, dtype=object)
        converted[valid] = [d.date() for d in parsed[valid]]
        return valid, converted
    if kind == "bool":
        lower = values.str.lower()
        return lower.isin(("yes", "no")).to_numpy(dtype=bool), lower.eq("yes")
    if kind in ("id", "opaque_id"):
        pattern = (ID_PATTERN if kind == "id" else OPAQUE_ID_PATTERN).pattern.strip("^$")
        return values.str.fullmatch(pattern).to_numpy(dtype=bool), values
    return np.ones(len(values), dtype=bool), values


def _log_invalid(value: str, row: int, column: Column, log: ProblemLog) -> None:
    """Say why one cell is not valid for its column's kind."""
    expected = expected_text(column.kind)
    if column.kind == "date":
        what = (f"{value!r} is an impossible date" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                else f"{value!r} is not an ISO date")
    elif column.kind == "int" and TOO_LARGE.fullmatch(value):
        what, expected = f"{value!r} is too large", f"a whole number of at most {MAX_INT_DIGITS} digits"
    else:
        what = f"{value!r} is not valid"
    log.add(row, column.name, what, expected)


def check_duplicates(frame: pd.DataFrame, keys: tuple[str, ...], log: ProblemLog, what: str) -> None:
    """Log every row whose ``keys`` repeat an earlier row's, naming the first one's line.

    Rows with an empty or invalid key cell (``None`` after :func:`check_columns`) are left out:
    their cell is already reported, and two such rows are not "the same" row. Any number of
    them is fine (an invalid cell never makes this check fail).
    """
    keys = list(keys)
    if not set(keys) <= set(frame.columns) or frame.empty:
        return
    complete = frame[keys].notna().all(axis=1).to_numpy(dtype=bool)
    rows = frame.loc[complete, keys]
    repeated = rows.duplicated(keep=False).to_numpy(dtype=bool)  # the rows of keys given more than once
    first_line: dict[tuple, int] = {}
    for position, key in zip(rows.index[repeated], rows[repeated].itertuples(index=False, name=None)):
        if key in first_line:
            log.add(int(position) + 2, keys[-1],
                    f"duplicate {what} {', '.join(str(k) for k in key)!s} (first on line {first_line[key]})",
                    f"each {what} once")
        else:
            first_line[key] = int(position) + 2
