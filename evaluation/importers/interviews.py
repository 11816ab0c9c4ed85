"""Merge imported interview coding into a data folder's ``interviews/`` files as one transaction.

Nothing is ever lost: :func:`merge_interviews` builds the new ``interviews.csv``,
``segments.csv`` and ``codebook.csv`` in memory from a :class:`~evaluation.importers.qda.QdaImport`
(by default it only *adds* interviews), and :func:`commit_interviews` validates the whole folder
with the three new files in a temporary copy and replaces the real files (each atomically) only
when the copy is valid. On any problem the data folder is left byte for byte as it was.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evaluation.contract.loading import interview_rounds
from evaluation.contract.problems import ProblemLog
from evaluation.contract.programme import parse_programme
from evaluation.errors import DataContractError, DataProblem
from evaluation.files import atomic_write_text
from evaluation.importers.qda import CODEBOOK_COLUMNS, INTERVIEW_COLUMNS, SEGMENT_COLUMNS, QdaImport
from evaluation.importers.write import problems_in_copy

INTERVIEW_FILES = {
    "codebook": Path("interviews") / "codebook.csv",
    "interviews": Path("interviews") / "interviews.csv",
    "segments": Path("interviews") / "segments.csv",
}
"""Where the three interview files live in a data folder (written in this order)."""

CHANGE_COLUMNS = ("pilot", "stakeholder_group", "interviews", "segments")
"""The columns of :attr:`InterviewsMerge.added` and :attr:`InterviewsMerge.removed`."""

_COLUMNS = {"interviews": INTERVIEW_COLUMNS, "segments": SEGMENT_COLUMNS, "codebook": CODEBOOK_COLUMNS}
_REPLACE_HINT = "the same interview as in the file, or --replace to replace the interviews of its pilot and round"


@dataclass(frozen=True)
class _Table:
    """A CSV file as a header and rows of text cells (the file's own spelling kept)."""

    file: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)

    def value(self, row: list[str], column: str) -> str:
        return row[self.header.index(column)].strip()

    def text(self) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.header)
        writer.writerows(self.rows)
        return buffer.getvalue()


@dataclass(frozen=True)
class InterviewsMerge:
    """The new ``interviews/`` files of a data folder, built but not yet written.

    Attributes
    ----------
    data_dir : Path
        The data folder.
    texts : dict of Path to str
        The whole new content of each of the three files, by path relative to ``data_dir``.
    added : pandas.DataFrame
        Interviews added, with the columns ``pilot``, ``stakeholder_group``, ``interviews``
        and ``segments`` (counts, int), one row per group, sorted.
    removed : pandas.DataFrame
        Interviews removed (only with ``replace=True``), in the same columns.
    unchanged : int
        Interviews of the import already in the file, identical with their segments.
    codes_added : tuple of str
        Codes added to ``codebook.csv``.
    """

    data_dir: Path
    texts: dict[Path, str] = field(repr=False)
    added: pd.DataFrame
    removed: pd.DataFrame
    unchanged: int = 0
    codes_added: tuple[str, ...] = ()


def _read_table(folder: Path, name: str) -> _Table:
    """The existing file ``name`` of ``folder`` (an empty table with the contract header if missing)."""
    relative = INTERVIEW_FILES[name]
    columns = list(_COLUMNS[name])
    path = folder / relative
    if not path.exists():
        return _Table(str(relative), columns)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DataContractError.single(
            str(relative), raw[: error.start].count(b"\n") + 1, None,
            f"byte 0x{raw[error.start]:02x} at byte offset {error.start} is not UTF-8",
            f"the existing {relative.name} in UTF-8, as the contract requires") from None
    rows = [r for r in csv.reader(io.StringIO(text, newline="")) if r and any(c.strip() for c in r)]
    if not rows:
        return _Table(str(relative), columns)
    header = [c.strip() for c in rows[0]]
    problems = [DataProblem(str(relative), 1, column, "column is missing in the existing file",
                            "the columns " + ", ".join(columns))
                for column in columns if column not in header]
    problems += [DataProblem(str(relative), line, None,
                             f"the line has {len(row)} fields but the header has {len(header)}",
                             "the same number of fields on every line")
                 for line, row in enumerate(rows[1:], start=2) if len(row) != len(header)]
    if problems:
        raise DataContractError(problems)
    return _Table(str(relative), header, rows[1:])


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    return str(value).strip()


def _imported_rows(frame: pd.DataFrame, header: list[str]) -> list[list[str]]:
    """The rows of an imported frame as text cells in ``header`` order (other columns empty)."""
    records = frame.to_dict("records")
    return [[_cell(record.get(column)) for column in header] for record in records]


def merge_interviews(imported: QdaImport, out_dir: str | Path, *,
                     replace: bool = False) -> InterviewsMerge:
    """Build the new ``interviews/`` files of ``out_dir`` with the imported interviews.

    By default the import only *adds* interviews whose ``interview_id`` is not in
    ``interviews.csv``, with their segments; every existing row is kept, and an interview
    already in the file must be identical there (the same row and the same segments), else it
    is a problem naming it. With ``replace=True`` the interviews of every (pilot, round) pair of
    the import (the round is the phase the date falls in, as in
    :func:`evaluation.contract.loading.interview_rounds`), and any interview with an id of the
    import, are removed with their segments, and the import's added. Codes of the import are
    added to ``codebook.csv`` when new; a code already there must have the same theme (its
    labels and description in the folder are kept). Nothing is written: see
    :func:`commit_interviews`.

    Parameters
    ----------
    imported : QdaImport
        The output of :func:`evaluation.importers.read_qdpx` or
        :func:`evaluation.importers.read_taguette`.
    out_dir : str or Path
        The data folder.
    replace : bool, default False
        Replace the interviews of the import's pilots and rounds instead of only adding.

    Returns
    -------
    InterviewsMerge
        The new content and what it adds and removes per pilot and stakeholder group.

    Raises
    ------
    DataContractError
        If an existing file cannot be read, an existing interview differs from the import's
        (without ``replace``), or a code has another theme; every such interview and code is
        listed.
    """
    folder = Path(out_dir)
    tables = {name: _read_table(folder, name) for name in INTERVIEW_FILES}
    new = {name: _imported_rows(getattr(imported, name), tables[name].header) for name in INTERVIEW_FILES}
    removed_ids = _replaced_ids(folder, tables["interviews"], imported) if replace else set()
    kept = _without(tables, removed_ids)
    added_ids, unchanged, problems = _new_interviews(kept, new)
    codebook, codes_added, code_problems = _merged_codebook(tables["codebook"], new["codebook"])
    problems += code_problems
    if problems:
        raise DataContractError(problems)
    interviews = _Table(kept["interviews"].file, kept["interviews"].header, kept["interviews"].rows + [
        row for row in new["interviews"] if kept["interviews"].value(row, "interview_id") in added_ids])
    segments = _Table(kept["segments"].file, kept["segments"].header, kept["segments"].rows + [
        row for row in new["segments"] if kept["segments"].value(row, "interview_id") in added_ids])
    texts = {INTERVIEW_FILES["codebook"]: codebook.text(), INTERVIEW_FILES["interviews"]: interviews.text(),
             INTERVIEW_FILES["segments"]: segments.text()}
    return InterviewsMerge(folder, texts, _changes(tables, new, added_ids),
                           _changes(tables, {n: t.rows for n, t in tables.items()}, removed_ids),
                           unchanged, codes_added)


def _replaced_ids(folder: Path, interviews: _Table, imported: QdaImport) -> set[str]:
    """The existing interviews ``--replace`` removes: those of the import's (pilot, round) pairs
    and those with an id of the import."""
    cutoffs_of = _rounds(folder)
    new = imported.interviews
    pairs = set(zip(new["pilot"].astype(str), cutoffs_of(pd.to_datetime(new["date"]))))
    ids = set(new["interview_id"].astype(str))
    rows = interviews.rows
    dates = pd.to_datetime(pd.Series([interviews.value(r, "date") for r in rows], dtype=object),
                           errors="coerce")
    rounds = cutoffs_of(dates) if rows else []
    return {interviews.value(row, "interview_id") for row, round_ in zip(rows, rounds)
            if (interviews.value(row, "pilot"), round_) in pairs or interviews.value(row, "interview_id") in ids}


def _rounds(folder: Path):
    """A function from dates to rounds (phase ids) by the folder's ``programme.yaml``."""
    problems: list[DataProblem] = []
    path = folder / "programme.yaml"
    programme = None
    if path.exists():
        programme = parse_programme(path.read_text(encoding="utf-8"), ProblemLog("programme.yaml", problems))
    if programme is None or not programme.cutoffs:
        raise DataContractError(problems or [DataProblem(
            "programme.yaml", None, "phases", "the phases cannot be read, so the rounds to replace are unknown",
            "programme.yaml with its phases and cut-offs")])
    return lambda dates: [None if pd.isna(d) else r for d, r in zip(dates, interview_rounds(
        dates.fillna(pd.Timestamp.max), programme))]


def _without(tables: dict[str, _Table], removed_ids: set[str]) -> dict[str, _Table]:
    """The interview and segment tables without the interviews ``removed_ids``."""
    kept = {}
    for name in ("interviews", "segments"):
        table = tables[name]
        kept[name] = _Table(table.file, table.header,
                            [r for r in table.rows if table.value(r, "interview_id") not in removed_ids])
    return kept


def _new_interviews(kept: dict[str, _Table],
                    new: dict[str, list[list[str]]]) -> tuple[set[str], int, list[DataProblem]]:
    """The ids of the imported interviews to add, how many are already there identical, and a
    problem per interview already there with another row or other segments."""
    interviews, segments = kept["interviews"], kept["segments"]
    line_of = {interviews.value(r, "interview_id"): line for line, r in enumerate(interviews.rows, start=2)}
    existing = {interviews.value(r, "interview_id"): [c.strip() for c in r] for r in interviews.rows}

    def segments_of(rows: list[list[str]], interview_id: str) -> list[list[str]]:
        return sorted([c.strip() for c in r] for r in rows if segments.value(r, "interview_id") == interview_id)

    added, unchanged, problems = set(), 0, []
    for row in new["interviews"]:
        interview_id = interviews.value(row, "interview_id")
        if interview_id not in existing:
            added.add(interview_id)
        elif existing[interview_id] == row and (segments_of(segments.rows, interview_id)
                                                == segments_of(new["segments"], interview_id)):
            unchanged += 1
        else:
            what = "other attributes" if existing[interview_id] != row else "other segments"
            problems.append(DataProblem(
                interviews.file, line_of[interview_id], "interview_id",
                f"interview {interview_id} is already in the folder with {what} than in the import",
                _REPLACE_HINT))
    return added, unchanged, problems


def _merged_codebook(table: _Table, new: list[list[str]]) -> tuple[_Table, tuple[str, ...], list[DataProblem]]:
    """The codebook with the import's new codes added, the codes added, and a problem per code
    that is there with another theme."""
    existing = {table.value(r, "code"): (line, table.value(r, "theme")) for line, r in enumerate(table.rows, start=2)}
    rows, added, problems = list(table.rows), [], []
    for row in new:
        code, theme = table.value(row, "code"), table.value(row, "theme")
        if code not in existing:
            rows.append(row)
            added.append(code)
            existing[code] = (None, theme)
        elif existing[code][1] != theme:
            problems.append(DataProblem(
                table.file, existing[code][0], "theme",
                f"code {code} has the theme {existing[code][1]} here but {theme} in the import",
                "the same theme for a code in the folder and in the coding project (rename one)"))
    return _Table(table.file, table.header, rows), tuple(added), problems


def _changes(tables: dict[str, _Table], rows: dict[str, list[list[str]]], ids: set[str]) -> pd.DataFrame:
    """Interviews ``ids`` (from ``rows``) and their segments per pilot and stakeholder group."""
    interviews, segments = tables["interviews"], tables["segments"]
    group_of = {}
    for row in rows["interviews"]:
        interview_id = interviews.value(row, "interview_id")
        if interview_id in ids:
            group_of[interview_id] = (interviews.value(row, "pilot"), interviews.value(row, "stakeholder_group"))
    counts: dict[tuple[str, str], list[int]] = {}
    for group in group_of.values():
        counts.setdefault(group, [0, 0])[0] += 1
    for row in rows["segments"]:
        group = group_of.get(segments.value(row, "interview_id"))
        if group is not None:
            counts[group][1] += 1
    frame = pd.DataFrame([[*g, *n] for g, n in sorted(counts.items())], columns=list(CHANGE_COLUMNS))
    return frame.astype({"interviews": "int64", "segments": "int64"})


def commit_interviews(merge: InterviewsMerge) -> list[Path]:
    """Write a merge into its data folder, only if the whole folder is then valid.

    The data folder is copied to a temporary folder next to it, the three new files are put in
    the copy, and the copy is checked with :func:`evaluation.contract.validate`. Only when it has
    no problem are the real files replaced (each atomically, the codebook first and the segments
    last); the copy is always removed.

    Parameters
    ----------
    merge : InterviewsMerge
        The output of :func:`merge_interviews`.

    Returns
    -------
    list of Path
        The paths written.

    Raises
    ------
    DataContractError
        With every problem of the folder as it would be; nothing in the folder has changed.
    """
    problems = problems_in_copy(merge.data_dir, merge.texts)
    if problems:
        raise DataContractError(problems)
    paths = []
    for relative, text in merge.texts.items():
        atomic_write_text(merge.data_dir / relative, text)
        paths.append(merge.data_dir / relative)
    return paths


def write_contract_interviews(imported: QdaImport, out_dir: str | Path, *,
                              replace: bool = False) -> InterviewsMerge:
    """Merge imported interviews into ``out_dir/interviews/`` and write them safely.

    :func:`merge_interviews` followed by :func:`commit_interviews`.

    Parameters
    ----------
    imported : QdaImport
        The output of :func:`evaluation.importers.read_qdpx` or ``read_taguette``.
    out_dir : str or Path
        The data folder (with its ``programme.yaml`` and the rest of the contract).
    replace : bool, default False
        Replace the interviews of the import's pilots and rounds instead of only adding.

    Returns
    -------
    InterviewsMerge
        What was written, added and removed.

    Raises
    ------
    DataContractError
        If the import cannot be merged, or the folder would not be valid; nothing is changed.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from evaluation import DEMO_DATA_DIR
    >>> from evaluation.importers import QdaImport
    >>> folder = shutil.copytree(DEMO_DATA_DIR, tempfile.mkdtemp() + "/data")
    >>> nothing = QdaImport(pd.DataFrame(columns=list(INTERVIEW_COLUMNS)),
    ...                     pd.DataFrame(columns=list(SEGMENT_COLUMNS)),
    ...                     pd.DataFrame(columns=list(CODEBOOK_COLUMNS)))
    >>> write_contract_interviews(nothing, folder).added.empty
    True
    """
    merge = merge_interviews(imported, out_dir, replace=replace)
    commit_interviews(merge)
    return merge


__all__ = ["CHANGE_COLUMNS", "INTERVIEW_FILES", "InterviewsMerge", "commit_interviews", "merge_interviews",
           "write_contract_interviews"]
