"""Write imported responses into a data folder's ``survey/responses.csv`` as one transaction.

Nothing is ever lost: :func:`merge_responses` builds the new file in memory (by default it only
adds respondents), :func:`commit_responses` validates the whole folder with the new file in a
temporary copy and replaces the real file atomically only when the copy is valid. On any problem
the data folder is left byte for byte as it was.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from evaluation.contract import validate
from evaluation.errors import DataContractError, DataProblem
from evaluation.files import atomic_write_text
from evaluation.importers.responses import BASE_COLUMNS, ImportResult

RESPONSES_FILE = Path("survey") / "responses.csv"
"""Where the responses live in a data folder."""

COUNT_COLUMNS = ("pilot", "agency", "wave", "n")
"""The columns of :attr:`ResponsesMerge.added` and :attr:`ResponsesMerge.removed`."""


@dataclass(frozen=True)
class ResponsesMerge:
    """The new ``survey/responses.csv`` of a data folder, built but not yet written.

    Attributes
    ----------
    data_dir : Path
        The data folder.
    text : str
        The whole new content of ``survey/responses.csv``.
    added : pandas.DataFrame
        Respondents added, with the columns ``pilot``, ``agency``, ``wave`` (str) and ``n``
        (int), one row per group, sorted.
    removed : pandas.DataFrame
        Respondents removed (only with ``replace=True``), in the same columns.
    unchanged : int
        Rows of the import already in the file, identical, so neither added nor removed.
    waves : tuple of str
        The imported wave(s).
    """

    data_dir: Path
    text: str
    added: pd.DataFrame
    removed: pd.DataFrame
    unchanged: int = 0
    waves: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        """The path of ``survey/responses.csv`` in the data folder."""
        return self.data_dir / RESPONSES_FILE
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


def merge_responses(result: ImportResult, out_dir: str | Path, *,
                    replace: bool = False) -> ResponsesMerge:
    """Build the new ``survey/responses.csv`` of ``out_dir`` with the imported responses.

    By default the import only *adds* respondents: every existing row is kept, and a row of the
    import whose ``(wave, pilot, respondent_id)`` is already in the file must be identical to it
    (it is then left as it is); a differing one is a problem. With ``replace=True`` the rows of
    the imported wave *and pilots* are removed and the import's rows added; rows of other waves
    or other pilots are kept, cell for cell (exports often come one pilot at a time). Nothing is
    written: see :func:`commit_responses`.

    Parameters
    ----------
    result : ImportResult
        The output of :func:`evaluation.importers.import_survey`.
    out_dir : str or Path
        The data folder.
    replace : bool, default False
        Replace the imported wave's rows of the imported pilots instead of adding to them.

    Returns
    -------
    ResponsesMerge
        The new content and what it adds and removes per pilot, agency and wave.

    Raises
    ------
    DataContractError
        If an existing ``responses.csv`` cannot be read (not UTF-8, malformed), has other item
        columns than the import, or (without ``replace``) holds a respondent of the import with
        other answers. Every such respondent is listed.
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
    removed: list[list[str]] = []
    rows = _existing_rows(path) if path.exists() else []
    if rows:
        header = _merged_header(path, [c.strip() for c in rows[0]], items)
        waves = {str(int(w)) for w in frame["wave"]} | {str(result.wave)}
        pilots = {str(p) for p in frame["pilot"]}
        kept, removed = _split_rows(path, rows, header, waves if replace else set(), pilots)
    new = _format_rows(frame, header)
    added, unchanged = _new_rows(path, header, kept, new)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(kept)
    writer.writerows(added)
    waves = tuple(sorted({str(int(w)) for w in frame["wave"]} | {str(result.wave)}))
    return ResponsesMerge(Path(out_dir), buffer.getvalue(), _counts(header, added),
                          _counts(header, removed), unchanged, waves)


def commit_responses(merge: ResponsesMerge) -> Path:
    """Write a merge into its data folder, only if the whole folder is then valid.

    The data folder is copied to a temporary folder next to it, the new ``responses.csv`` is
    put in the copy, and the copy is checked with :func:`evaluation.contract.validate`. Only
    when it has no problem is the real file replaced (atomically); the copy is always removed.

    Parameters
    ----------
    merge : ResponsesMerge
        The output of :func:`merge_responses`.

    Returns
    -------
    Path
        The path of ``survey/responses.csv``.

    Raises
    ------
    DataContractError
        With every problem of the folder as it would be; nothing in the folder has changed.
    """
    problems = problems_after(merge)
    if problems:
        raise DataContractError(problems)
    atomic_write_text(merge.path, merge.text)
    return merge.path


def problems_after(merge: ResponsesMerge) -> list[DataProblem]:
    """The problems :func:`evaluation.contract.validate` would find after the merge is written.

    The check runs on a temporary copy of the data folder (next to it, so the data stay on the
    same disk and under the same access rights); the folder itself is not touched.
    """
    unknown = _unknown_waves(merge.data_dir, merge.waves)
    if unknown:
        return unknown
    return problems_in_copy(merge.data_dir, {RESPONSES_FILE: merge.text})


def problems_in_copy(folder: Path, texts: Mapping[Path, str]) -> list[DataProblem]:
    """The problems :func:`evaluation.contract.validate` finds in ``folder`` with new files.

    ``folder`` is copied to a temporary folder next to it (so the data stay on the same disk and
    under the same access rights), each ``texts`` entry (a path relative to the folder, and the
    file's whole new content) is written into the copy, and the copy is validated. The copy is
    always removed; ``folder`` itself is not touched.
    """
    folder = Path(folder)
    parent = folder.resolve().parent
    with tempfile.TemporaryDirectory(prefix=f".{folder.name}.import-", dir=parent) as scratch:
        copy = Path(scratch) / (folder.name or "data")
        if folder.exists():
            shutil.copytree(folder, copy, symlinks=True)
        for relative, text in texts.items():
            atomic_write_text(copy / relative, text)
        return validate(copy)


def _unknown_waves(folder: Path, waves: tuple[str, ...]) -> list[DataProblem]:
    """A problem per imported wave missing from ``programme.yaml`` (checked first: every row of
    such a wave would otherwise be reported on its own)."""
    path = folder / "programme.yaml"
    try:
        programme = yaml.safe_load(path.read_text(encoding="utf-8"))
        known = {str(entry["id"]) for entry in programme["waves"]}
    except (OSError, yaml.YAMLError, KeyError, TypeError):
        return []  # validate() says what is wrong with the programme
    return [DataProblem("programme.yaml", None, "waves",
                        f"wave {wave} is not in programme.yaml: add it under waves",
                        f"an entry '- id: {wave}' with its role under waves")
            for wave in waves if wave not in known]


def write_contract_responses(result: ImportResult, out_dir: str | Path, *,
                             replace: bool = False) -> ResponsesMerge:
    """Merge imported responses into ``out_dir/survey/responses.csv`` and write them safely.

    :func:`merge_responses` followed by :func:`commit_responses`: the folder changes only when
    it is valid afterwards, and then only ``survey/responses.csv`` changes.

    Parameters
    ----------
    result : ImportResult
        The output of :func:`evaluation.importers.import_survey`.
    out_dir : str or Path
        The data folder (with its ``programme.yaml`` and the rest of the contract).
    replace : bool, default False
        Replace the imported wave's rows of the imported pilots instead of only adding.

    Returns
    -------
    ResponsesMerge
        What was written, added and removed.

    Raises
    ------
    DataContractError
        If the import cannot be merged, or the folder would not be valid; nothing is changed.
    """
    merge = merge_responses(result, out_dir, replace=replace)
    commit_responses(merge)
    return merge


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


def _split_rows(path: Path, rows: list[list[str]], header: list[str], waves: set[str],
                pilots: set[str]) -> tuple[list[list[str]], list[list[str]]]:
    """The existing rows kept and those removed (of ``waves`` and ``pilots``), in ``header`` order."""
    existing = [c.strip() for c in rows[0]]
    wave_at, pilot_at = existing.index("wave"), existing.index("pilot")
    kept, removed = [], []
    for line, row in enumerate(rows[1:], start=2):
        if len(row) != len(existing):
            raise DataContractError.single(
                str(path), line, None,
                f"the line has {len(row)} fields but the header has {len(existing)}",
                "the same number of fields on every line")
        by_name = dict(zip(existing, row))
        replaced = row[wave_at].strip() in waves and row[pilot_at].strip() in pilots
        (removed if replaced else kept).append([by_name[c] for c in header])
    return kept, removed


def _key(header: list[str], row: list[str]) -> tuple[str, str, str]:
    by_name = dict(zip(header, (cell.strip() for cell in row)))
    return by_name["wave"], by_name["pilot"], by_name["respondent_id"]


def _new_rows(path: Path, header: list[str], kept: list[list[str]],
              new: list[list[str]]) -> tuple[list[list[str]], int]:
    """The imported rows to add, and how many are already in the file, identical.

    A respondent already in the kept rows with other answers is a problem, listed per respondent.
    """
    lines = {_key(header, row): (line, [c.strip() for c in row])
             for line, row in enumerate(kept, start=2)}
    added, unchanged, problems = [], 0, []
    for row in new:
        key = _key(header, row)
        if key not in lines:
            added.append(row)
        elif lines[key][1] == row:
            unchanged += 1
        else:
            wave, pilot, respondent = key
            problems.append(DataProblem(
                str(path), lines[key][0], "respondent_id",
                f"respondent {respondent} of {pilot} in wave {wave} is already in the file "
                "with other answers or another date or agency",
                "a new respondent id, or --replace to replace the wave's rows of the pilot"))
    if problems:
        raise DataContractError(problems)
    return added, unchanged


def _counts(header: list[str], rows: list[list[str]]) -> pd.DataFrame:
    """Respondents per pilot, agency and wave, in the columns :data:`COUNT_COLUMNS`."""
    at = [header.index(c) for c in COUNT_COLUMNS[:3]]
    frame = pd.DataFrame([[row[i].strip() for i in at] for row in rows],
                         columns=list(COUNT_COLUMNS[:3]), dtype=object)
    counts = frame.groupby(list(COUNT_COLUMNS[:3])).size().rename("n").reset_index()
    return counts.astype({"n": "int64"}).sort_values(list(COUNT_COLUMNS[:3]), ignore_index=True)


__all__ = ["COUNT_COLUMNS", "RESPONSES_FILE", "ResponsesMerge", "commit_responses", "merge_responses",
           "problems_after", "problems_in_copy", "write_contract_responses"]
