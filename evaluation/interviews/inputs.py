"""Interview inputs: the contract's files, their checks, and the derivations every analysis uses.

Row numbers in error messages are the line numbers of the contract file (header = line 1, first
data row = line 2), assuming the frame is in file order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS, STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError, DataProblem
from evaluation.privacy import suppress_small_cells

LEVELS = ("code", "theme")
"""Levels of the code hierarchy that the analyses count at."""

INTERVIEWS_FILE = "interviews/interviews.csv"
SEGMENTS_FILE = "interviews/segments.csv"
CODEBOOK_FILE = "interviews/codebook.csv"

_TRUE = {"yes", "true", "1", "ja"}
_FALSE = {"no", "false", "0", "nei", ""}


def require_columns(frame: pd.DataFrame, columns: Sequence[str], file: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"expected a pandas DataFrame for {file}, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataContractError(
            [
                DataProblem(file, None, column, "column is missing", "the columns of the data contract")
                for column in missing
            ]
        )


def line(position: int) -> int:
    """Line in the file of the row at ``position`` (header is line 1)."""
    return int(position) + 2


def normalise_by(by: str | Sequence[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    by = tuple(by)
    if not all(isinstance(column, str) for column in by):
        raise ValueError(f"by must be a column name or a sequence of column names, got {by!r}")
    return by


def check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return level


def check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    require_columns(segments, ("segment_id", "interview_id", "code", "assessment"), SEGMENTS_FILE)
    problems = []
    for position, value in enumerate(segments["assessment"].tolist()):
        if value not in ASSESSMENTS:
            problems.append(
                DataProblem(SEGMENTS_FILE, line(position), "assessment",
                            f"unknown assessment {value!r}", "one of " + ", ".join(ASSESSMENTS))
            )
    for column in ("segment_id", "interview_id", "code"):
        for position in np.flatnonzero(segments[column].isna().to_numpy()):
            problems.append(DataProblem(SEGMENTS_FILE, line(position), column, "value is missing",
                                        "a non-empty value"))
    if problems:
        raise DataContractError(problems)
    return segments


def check_interviews(interviews: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    require_columns(interviews, ("interview_id", *columns), INTERVIEWS_FILE)
    duplicated = interviews["interview_id"].duplicated(keep="first").to_numpy()
    if duplicated.any():
        raise DataContractError(
            [
                DataProblem(INTERVIEWS_FILE, line(p), "interview_id",
                            f"duplicate interview_id {interviews['interview_id'].iloc[p]!r}",
                            "each interview once")
                for p in np.flatnonzero(duplicated)
            ]
        )
    return interviews


def check_references(segments: pd.DataFrame, interviews: pd.DataFrame) -> None:
    known = set(interviews["interview_id"].tolist())
    unknown = ~segments["interview_id"].isin(known).to_numpy()
    if unknown.any():
        raise DataContractError(
            [
                DataProblem(SEGMENTS_FILE, line(p), "interview_id",
                            f"interview {segments['interview_id'].iloc[p]!r} is not in {INTERVIEWS_FILE}",
                            f"an interview_id of {INTERVIEWS_FILE}")
                for p in np.flatnonzero(unknown)
            ]
        )


def parse_approved(values: pd.Series) -> pd.Series:
    """Parse ``quote_approved`` (``yes``/``no`` or booleans) into booleans; missing is not approved."""
    parsed = []
    problems = []
    for position, value in enumerate(values.tolist()):
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            parsed.append(False)
        elif isinstance(value, (bool, np.bool_)):
            parsed.append(bool(value))
        elif str(value).strip().lower() in _TRUE:
            parsed.append(True)
        elif str(value).strip().lower() in _FALSE:
            parsed.append(False)
        else:
            problems.append(DataProblem(SEGMENTS_FILE, line(position), "quote_approved",
                                        f"cannot read {value!r} as yes/no", "yes or no"))
    if problems:
        raise DataContractError(problems)
    return pd.Series(parsed, index=values.index, dtype=bool)


def attach_themes(segments: pd.DataFrame, codebook: pd.DataFrame) -> pd.DataFrame:
    """Return a copy of ``segments`` with the ``theme`` of each segment's code.

    Parameters
    ----------
    segments : pandas.DataFrame
        Coded segments in the shape of ``interviews/segments.csv`` (at least ``code``).
    codebook : pandas.DataFrame
        ``interviews/codebook.csv``: ``code`` and ``theme``.

    Returns
    -------
    pandas.DataFrame
        ``segments`` with a ``theme`` column added (replaced if present).

    Raises
    ------
    DataContractError
        If a segment's code is not in the codebook (naming the segment's line and ``code``), or
        the codebook lists a code twice.
    """
    require_columns(segments, ("code",), SEGMENTS_FILE)
    require_columns(codebook, ("code", "theme"), CODEBOOK_FILE)
    duplicated = codebook["code"].duplicated().to_numpy()
    if duplicated.any():
        raise DataContractError(
            [
                DataProblem(CODEBOOK_FILE, line(p), "code",
                            f"code {codebook['code'].iloc[p]!r} is listed twice", "each code once")
                for p in np.flatnonzero(duplicated)
            ]
        )
    mapping = dict(zip(codebook["code"].tolist(), codebook["theme"].tolist()))
    unknown = ~segments["code"].isin(mapping.keys()).to_numpy()
    if unknown.any():
        raise DataContractError(
            [
                DataProblem(SEGMENTS_FILE, line(p), "code",
                            f"code {segments['code'].iloc[p]!r} is not in {CODEBOOK_FILE}",
                            f"a code of {CODEBOOK_FILE}")
                for p in np.flatnonzero(unknown)
            ]
        )
    result = segments.copy()
    result["theme"] = segments["code"].map(mapping)
    return result


def with_level(segments: pd.DataFrame, level: str, codebook: pd.DataFrame | None) -> pd.DataFrame:
    if level == "code":
        return segments
    if codebook is not None:
        return attach_themes(segments, codebook)
    if "theme" in segments.columns:
        return segments
    raise ValueError("level='theme' needs a codebook (codebook=...) or a 'theme' column in segments")


def level_values(frame: pd.DataFrame, level: str, codebook: pd.DataFrame | None,
                  include: Sequence[str] | None) -> list[str]:
    """The codes or themes to report, in codebook order (then order of appearance)."""
    if include is not None:
        return list(dict.fromkeys(include))
    values: list[str] = []
    if codebook is not None:
        values = list(dict.fromkeys(codebook[level].tolist()))
    for value in frame[level].tolist():
        if value not in values:
            values.append(value)
    return values


def assign_rounds(interviews: pd.DataFrame, *, cutoffs: Mapping[str, object]) -> pd.DataFrame:
    """Return a copy of ``interviews`` with its ``round``: the first phase whose cut-off is on or after the date.

    Parameters
    ----------
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` with a ``date`` column.
    cutoffs : mapping of str to date
        Phase id to cut-off date (``programme.cutoffs``).

    Returns
    -------
    pandas.DataFrame
        ``interviews`` with a ``round`` column (phase id).

    Raises
    ------
    DataContractError
        If an interview is dated after the last cut-off or the date is missing.
    """
    require_columns(interviews, ("date",), INTERVIEWS_FILE)
    if not cutoffs:
        raise ValueError("cutoffs must name at least one phase")
    ordered = sorted(((pd.Timestamp(c), phase) for phase, c in cutoffs.items()))
    dates = pd.to_datetime(interviews["date"])
    rounds = []
    problems = []
    for position, date in enumerate(dates.tolist()):
        phase = None
        if not pd.isna(date):
            phase = next((p for cutoff, p in ordered if date <= cutoff), None)
        if phase is None:
            problems.append(DataProblem(INTERVIEWS_FILE, line(position), "date",
                                        f"date {date} is not on or before any phase cut-off",
                                        f"a date on or before {ordered[-1][0].date()}"))
        rounds.append(phase)
    if problems:
        raise DataContractError(problems)
    result = interviews.copy()
    result["round"] = rounds
    return result


def suppress(frame: pd.DataFrame, *, count_column: str, value_columns: Sequence[str],
              threshold: int, within: Sequence[str]) -> pd.DataFrame:
    """:func:`evaluation.privacy.suppress_small_cells` with tuples of columns."""
    return suppress_small_cells(
        frame, count_column=count_column, value_columns=tuple(value_columns),
        threshold=threshold, within=tuple(within),
    )


def round_order(interviews: pd.DataFrame) -> list[str]:
    """The rounds (phases) of ``interviews`` in time order.

    A round is the phase whose cut-off an interview falls under, so ordering the rounds by
    their first interview's date orders them as the programme orders its phases; without a
    ``date`` column, the rounds are taken in the order they first appear.
    """
    if "round" not in interviews.columns:
        return []
    if "date" in interviews.columns:
        first = pd.to_datetime(interviews["date"]).groupby(interviews["round"]).min()
        return [str(r) for r in first.sort_values(kind="stable").index]
    return [str(r) for r in dict.fromkeys(interviews["round"].tolist())]


def sort_groups(frame: pd.DataFrame, by: Sequence[str], *, rounds: Sequence[str] = ()) -> pd.DataFrame:
    """Sort by the ``by`` columns: stakeholder groups in the contract's order, rounds in the
    order given (:func:`round_order`), anything else as text."""
    if not by or frame.empty:
        return frame.reset_index(drop=True)
    keys = {}
    for column in by:
        if column == "stakeholder_group":
            order = {g: i for i, g in enumerate(STAKEHOLDER_GROUPS)}
            keys[column] = frame[column].map(lambda v, order=order: (order.get(v, len(order)), str(v)))
        elif column == "round":
            order = {g: i for i, g in enumerate(rounds)}
            keys[column] = frame[column].map(lambda v, order=order: (order.get(v, len(order)), str(v)))
        else:
            keys[column] = frame[column].map(lambda v: (0, str(v)))
    order = sorted(range(len(frame)), key=lambda i: tuple(keys[c].iloc[i] for c in by))
    return frame.iloc[order].reset_index(drop=True)


__all__ = [
    "CODEBOOK_FILE",
    "INTERVIEWS_FILE",
    "LEVELS",
    "SEGMENTS_FILE",
    "assign_rounds",
    "attach_themes",
    "check_interviews",
    "check_level",
    "check_references",
    "check_segments",
    "level_values",
    "line",
    "normalise_by",
    "parse_approved",
    "require_columns",
    "round_order",
    "sort_groups",
    "suppress",
    "with_level",
]
