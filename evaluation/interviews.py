"""Interview analysis: from coded segments to the matrices qualitative tools give.

Evaluators code interview transcripts in a qualitative tool (NVivo, ATLAS.ti, MAXQDA, QualCoder,
Taguette). The contract's ``interviews/interviews.csv``, ``interviews/segments.csv`` and
``interviews/codebook.csv`` (or an import with :func:`read_qdpx` / :func:`read_taguette`) hold that
coding; the functions here turn it into

* theme and code frequencies by stakeholder group (NVivo's matrix coding query):
  :func:`code_frequencies`;
* code co-occurrence counts and ATLAS.ti's c-coefficient: :func:`cooccurrence`;
* the balance of positive and negative assessments per theme: :func:`assessment_balance`;
* the framework matrix of interviews (or groups) by themes: :func:`framework_matrix`;
* the change in theme prevalence from the midterm to the final round: :func:`theme_change`;
* approved quotes, attributed by stakeholder group only: :func:`select_quotes`.

Conventions
-----------
A *segment* is one coded passage. Rows of ``segments`` that share a ``segment_id`` are one
passage coded with several codes, and :func:`cooccurrence` with ``unit="segment"`` counts such
passages. The contract keeps ``segment_id`` unique (the importers give a passage coded with
several codes the ids ``<passage>-1``, ``<passage>-2``, ...), so on contract data codes co-occur
by interview (``unit="interview"``), which is what the report uses. A *reference* is a
distinct segment coded with a code (or with any code of a theme), as NVivo counts "coding
references"; an interview *mentions* a code when at least one of its segments is coded with it.

Privacy: every count broken down by stakeholder group goes through
:func:`evaluation.privacy.suppress_small_cells`: a group with fewer interviews than the anonymity
threshold (5 by default) is never shown, and secondary suppression stops it being recovered by
subtraction from a total. A quote is attributed by stakeholder group only, and only when that
attribution does not narrow its speaker to fewer interviews than the threshold.

Row numbers in error messages are the line numbers of the contract file (header = line 1, first
data row = line 2), assuming the frame is in file order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS, STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError, DataProblem, InsufficientDataError
from evaluation.importers import QdaImport, read_qdpx, read_taguette  # re-exported: the importers

ROUNDS = ("midterm", "final")
"""Interview rounds (phase ids) in time order."""

LEVELS = ("code", "theme")
"""Levels of the code hierarchy that the analyses count at."""

INTERVIEWS_FILE = "interviews/interviews.csv"
SEGMENTS_FILE = "interviews/segments.csv"
CODEBOOK_FILE = "interviews/codebook.csv"

_TRUE = {"yes", "true", "1", "ja"}
_FALSE = {"no", "false", "0", "nei", ""}


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], file: str) -> None:
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


def _line(position: int) -> int:
    """Line in the file of the row at ``position`` (header is line 1)."""
    return int(position) + 2


def _check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ValueError(f"threshold must be a positive integer, got {threshold!r}")
    return int(threshold)


def _normalise_by(by: str | Sequence[str] | None) -> tuple[str, ...]:
    if by is None:
        return ()
    if isinstance(by, str):
        return (by,)
    by = tuple(by)
    if not all(isinstance(column, str) for column in by):
        raise ValueError(f"by must be a column name or a sequence of column names, got {by!r}")
    return by


def _check_level(level: str) -> str:
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    return level


def _check_segments(segments: pd.DataFrame) -> pd.DataFrame:
    _require_columns(segments, ("segment_id", "interview_id", "code", "assessment"), SEGMENTS_FILE)
    problems = []
    for position, value in enumerate(segments["assessment"].tolist()):
        if value not in ASSESSMENTS:
            problems.append(
                DataProblem(SEGMENTS_FILE, _line(position), "assessment",
                            f"unknown assessment {value!r}", "one of " + ", ".join(ASSESSMENTS))
            )
    for column in ("segment_id", "interview_id", "code"):
        for position in np.flatnonzero(segments[column].isna().to_numpy()):
            problems.append(DataProblem(SEGMENTS_FILE, _line(position), column, "value is missing",
                                        "a non-empty value"))
    if problems:
        raise DataContractError(problems)
    return segments


def _check_interviews(interviews: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    _require_columns(interviews, ("interview_id", *columns), INTERVIEWS_FILE)
    duplicated = interviews["interview_id"].duplicated(keep="first").to_numpy()
    if duplicated.any():
        raise DataContractError(
            [
                DataProblem(INTERVIEWS_FILE, _line(p), "interview_id",
                            f"duplicate interview_id {interviews['interview_id'].iloc[p]!r}",
                            "each interview once")
                for p in np.flatnonzero(duplicated)
            ]
        )
    return interviews


def _check_references(segments: pd.DataFrame, interviews: pd.DataFrame) -> None:
    known = set(interviews["interview_id"].tolist())
    unknown = ~segments["interview_id"].isin(known).to_numpy()
    if unknown.any():
        raise DataContractError(
            [
                DataProblem(SEGMENTS_FILE, _line(p), "interview_id",
                            f"interview {segments['interview_id'].iloc[p]!r} is not in {INTERVIEWS_FILE}",
                            f"an interview_id of {INTERVIEWS_FILE}")
                for p in np.flatnonzero(unknown)
            ]
        )


def _approved(values: pd.Series) -> pd.Series:
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
            problems.append(DataProblem(SEGMENTS_FILE, _line(position), "quote_approved",
                                        f"cannot read {value!r} as yes/no", "yes or no"))
    if problems:
        raise DataContractError(problems)
    return pd.Series(parsed, index=values.index, dtype=bool)


# --------------------------------------------------------------------------------------------
# helpers shared by the analyses
# --------------------------------------------------------------------------------------------


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
    _require_columns(segments, ("code",), SEGMENTS_FILE)
    _require_columns(codebook, ("code", "theme"), CODEBOOK_FILE)
    duplicated = codebook["code"].duplicated().to_numpy()
    if duplicated.any():
        raise DataContractError(
            [
                DataProblem(CODEBOOK_FILE, _line(p), "code",
                            f"code {codebook['code'].iloc[p]!r} is listed twice", "each code once")
                for p in np.flatnonzero(duplicated)
            ]
        )
    mapping = dict(zip(codebook["code"].tolist(), codebook["theme"].tolist()))
    unknown = ~segments["code"].isin(mapping.keys()).to_numpy()
    if unknown.any():
        raise DataContractError(
            [
                DataProblem(SEGMENTS_FILE, _line(p), "code",
                            f"code {segments['code'].iloc[p]!r} is not in {CODEBOOK_FILE}",
                            f"a code of {CODEBOOK_FILE}")
                for p in np.flatnonzero(unknown)
            ]
        )
    result = segments.copy()
    result["theme"] = segments["code"].map(mapping)
    return result


def _with_level(segments: pd.DataFrame, level: str, codebook: pd.DataFrame | None) -> pd.DataFrame:
    if level == "code":
        return segments
    if codebook is not None:
        return attach_themes(segments, codebook)
    if "theme" in segments.columns:
        return segments
    raise ValueError("level='theme' needs a codebook (codebook=...) or a 'theme' column in segments")


def _level_values(frame: pd.DataFrame, level: str, codebook: pd.DataFrame | None,
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
    _require_columns(interviews, ("date",), INTERVIEWS_FILE)
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
            problems.append(DataProblem(INTERVIEWS_FILE, _line(position), "date",
                                        f"date {date} is not on or before any phase cut-off",
                                        f"a date on or before {ordered[-1][0].date()}"))
        rounds.append(phase)
    if problems:
        raise DataContractError(problems)
    result = interviews.copy()
    result["round"] = rounds
    return result


def _suppress(frame: pd.DataFrame, *, count_column: str, value_columns: Sequence[str],
              threshold: int, within: Sequence[str]) -> pd.DataFrame:
    from evaluation.privacy import suppress_small_cells

    return suppress_small_cells(
        frame, count_column=count_column, value_columns=tuple(value_columns),
        threshold=threshold, within=tuple(within),
    )


# --------------------------------------------------------------------------------------------
# frequencies
# --------------------------------------------------------------------------------------------


def interview_counts(interviews: pd.DataFrame, *, by: str | Sequence[str] = "stakeholder_group",
                     threshold: int = 5) -> pd.DataFrame:
    """Count interviews and informants by group, with small groups suppressed.

    Parameters
    ----------
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` (``interview_id``, ``informants`` and the ``by`` columns).
    by : str or sequence of str
        Columns of ``interviews`` to group by; ``"stakeholder_group"`` by default.
    threshold : int
        Anonymity threshold: groups with fewer interviews are suppressed.

    Returns
    -------
    pandas.DataFrame
        One row per group, in order of :data:`STAKEHOLDER_GROUPS` where that applies, with
        columns: the ``by`` columns; ``interviews`` (number of interviews, nullable integer);
        ``informants`` (sum of informants, nullable integer); ``suppressed`` (bool). In
        suppressed rows ``interviews`` and ``informants`` are missing.

    Notes
    -----
    Suppression is that of :func:`evaluation.privacy.suppress_small_cells` with
    ``count_column="interviews"``: primary for ``interviews < threshold``, and secondary within
    the groups that add up to a total (all but the last ``by`` column), so a suppressed group
    cannot be recovered from the total number of interviews.
    """
    threshold = _check_threshold(threshold)
    by = _normalise_by(by)
    if not by:
        raise ValueError("by must name at least one column")
    _check_interviews(interviews, (*by, "informants"))
    informants = pd.to_numeric(interviews["informants"], errors="coerce")
    bad = informants.isna() | (informants < 1)
    if bad.any():
        raise DataContractError(
            [
                DataProblem(INTERVIEWS_FILE, _line(p), "informants",
                            f"informants is {interviews['informants'].iloc[p]!r}", "a positive integer")
                for p in np.flatnonzero(bad.to_numpy())
            ]
        )
    frame = interviews.assign(informants=informants)
    counts = (
        frame.groupby(list(by), sort=False, dropna=False)
        .agg(interviews=("interview_id", "size"), informants=("informants", "sum"))
        .reset_index()
    )
    counts = _sort_groups(counts, by)
    counts["interviews"] = counts["interviews"].astype("Int64")
    counts["informants"] = counts["informants"].astype("Int64")
    result = _suppress(counts, count_column="interviews", value_columns=("informants",),
                       threshold=threshold, within=by[:-1])
    return result.reset_index(drop=True)


def _sort_groups(frame: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame:
    """Sort by the ``by`` columns, stakeholder groups and rounds in their natural order."""
    if not by or frame.empty:
        return frame.reset_index(drop=True)
    keys = {}
    for column in by:
        if column == "stakeholder_group":
            order = {g: i for i, g in enumerate(STAKEHOLDER_GROUPS)}
            keys[column] = frame[column].map(lambda v: (order.get(v, len(order)), str(v)))
        elif column == "round":
            order = {g: i for i, g in enumerate(ROUNDS)}
            keys[column] = frame[column].map(lambda v: (order.get(v, len(order)), str(v)))
        else:
            keys[column] = frame[column].map(lambda v: (0, str(v)))
    order = sorted(range(len(frame)), key=lambda i: tuple(keys[c].iloc[i] for c in by))
    return frame.iloc[order].reset_index(drop=True)


def code_frequencies(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "stakeholder_group",
    level: str = "code",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int = 5,
) -> pd.DataFrame:
    """Coding references, interviews coded and share of interviews, by group and code or theme.

    The cells of NVivo's matrix coding query with the groups as rows and codes (or themes) as
    columns: the number of coding references, the number of interviews ("files coded") that
    mention the code, and that number as a share of the group's interviews.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv``: ``segment_id``, ``interview_id``, ``code``, ``assessment``
        (and ``theme`` if no codebook is given for ``level="theme"``).
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` with the ``by`` columns (for example
        ``stakeholder_group``, ``pilot`` or the derived ``round``). Groups are those present
        here, so a group whose interviews mention nothing still appears with zeros.
    by : str, sequence of str or None
        Interview columns to break down by; ``None`` for all interviews together.
    level : {"code", "theme"}
        Count codes, or themes (a theme is mentioned when any of its codes is).
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``. Needed for ``level="theme"`` unless ``segments`` has a
        ``theme`` column; when given, every code/theme of the codebook gets a row (zeros
        included), in codebook order.
    include : sequence of str, optional
        Report only these codes/themes, in this order.
    threshold : int
        Anonymity threshold (``programme.anonymity_threshold``, 5 by default).

    Returns
    -------
    pandas.DataFrame
        One row per group and code/theme, with columns: the ``by`` columns; ``code`` or
        ``theme`` (named after ``level``); ``n_interviews`` (interviews in the group);
        ``references`` (distinct segments coded with the code, or with any code of the
        theme); ``interviews_coded`` (interviews with at least one such segment); ``share``
        (``interviews_coded / n_interviews``); ``suppressed`` (bool). Counts are nullable
        integers and ``share`` a nullable float; all three are missing where suppressed.

    Raises
    ------
    DataContractError
        If a column is missing, an assessment is not allowed, a segment names an unknown
        interview or (for themes) an unknown code.

    Notes
    -----
    For group :math:`g` with :math:`n_g` interviews and code :math:`k`,
    ``references`` :math:`= |\\{s : code(s)=k, interview(s) \\in g\\}|` counting distinct
    ``segment_id``, ``interviews_coded`` :math:`= |\\{i \\in g : \\exists s \\in i, code(s)=k\\}|`
    and ``share`` :math:`= interviews\\_coded / n_g`. A group with :math:`n_g` below the
    threshold is suppressed, with secondary suppression within each code across the groups
    (see :func:`evaluation.privacy.suppress_small_cells`); with ``by=None`` the single group
    is all interviews and is suppressed when there are fewer than ``threshold``.

    References
    ----------
    QSR International (2020). *NVivo 12 (Mac) Help: Matrix coding query*.
    https://help-nv.qsrinternational.com/12/mac/v12.1.90-d3ea61/Content/queries/matrix-coding-query.htm

    Examples
    --------
    >>> from evaluation.contract import load_data                      # doctest: +SKIP
    >>> data = load_data("data/demo", phase="midterm")                 # doctest: +SKIP
    >>> code_frequencies(data.segments, data.interviews, level="theme",
    ...                  codebook=data.codebook)                       # doctest: +SKIP
    """
    threshold = _check_threshold(threshold)
    level = _check_level(level)
    by = _normalise_by(by)
    _check_segments(segments)
    _check_interviews(interviews, by)
    _check_references(segments, interviews)
    frame = _with_level(segments, level, codebook)
    values = _level_values(frame, level, codebook, include)

    group_key = "__all__"
    group_columns = list(by) if by else [group_key]
    ivs = interviews[["interview_id", *by]].copy()
    if not by:
        ivs[group_key] = "all"
    frame = frame[["segment_id", "interview_id", level]].merge(ivs, on="interview_id", how="left")

    groups = ivs.groupby(group_columns, sort=False, dropna=False).size().rename("n_interviews")
    groups = _sort_groups(groups.reset_index(), by)
    references = (
        frame.groupby([*group_columns, level], sort=False, dropna=False)
        .agg(references=("segment_id", "nunique"), interviews_coded=("interview_id", "nunique"))
        .reset_index()
    )
    grid = groups.merge(pd.DataFrame({level: values}), how="cross")  # groups outer, values inner
    result = grid.merge(references, on=[*group_columns, level], how="left")
    result["references"] = result["references"].fillna(0).astype("Int64")
    result["interviews_coded"] = result["interviews_coded"].fillna(0).astype("Int64")
    result["n_interviews"] = result["n_interviews"].astype("Int64")
    result["share"] = (
        result["interviews_coded"].astype("Float64") / result["n_interviews"].astype("Float64")
    )
    result = result[[*group_columns, level, "n_interviews", "references", "interviews_coded", "share"]]
    within = (*group_columns[:-1], level)
    result = _suppress(result, count_column="n_interviews",
                       value_columns=("references", "interviews_coded", "share"),
                       threshold=threshold, within=within)
    if not by:
        result = result.drop(columns=group_key)
    return result.reset_index(drop=True)


def framework_matrix(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    rows: str = "interview",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int = 5,
) -> pd.DataFrame:
    """Framework matrix: interviews (or stakeholder groups) by themes, with reference counts.

    The charting step of the framework method: one row per case (interview) or group, one
    column per theme, the cell holding how much the case says about the theme. The result is
    long; ``frame.pivot(index=..., columns="theme", values="references")`` gives the matrix.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` (plus ``theme`` if ``codebook`` is not given).
    interviews : pandas.DataFrame
        ``interviews/interviews.csv``; ``pilot`` and ``stakeholder_group`` are required, the
        derived ``round`` is carried along when present.
    rows : {"interview", "stakeholder_group"}
        One row per interview (the evaluators' working matrix, not for publication: a row is
        one interview), or per stakeholder group (suppressed below the threshold).
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; gives the themes and their order.
    include : sequence of str, optional
        Only these themes, in this order.
    threshold : int
        Anonymity threshold, used for ``rows="stakeholder_group"``.

    Returns
    -------
    pandas.DataFrame
        For ``rows="interview"``: ``interview_id``, ``pilot``, ``round`` (if present in
        ``interviews``), ``stakeholder_group``, ``theme``, ``references`` (distinct segments of
        the interview coded with the theme), ``assessment_positive``, ``assessment_negative``,
        ``assessment_mixed``, ``assessment_neutral`` (those references by assessment).
        For ``rows="stakeholder_group"``: the columns of :func:`code_frequencies` with
        ``by="stakeholder_group"`` and ``level="theme"``.

    Notes
    -----
    Counts are distinct ``segment_id`` per interview and theme, every interview x theme cell
    present (zeros included).

    References
    ----------
    Gale, N. K., Heath, G., Cameron, E., Rashid, S. and Redwood, S. (2013). Using the framework
    method for the analysis of qualitative data in multi-disciplinary health research. *BMC
    Medical Research Methodology*, 13, 117. https://doi.org/10.1186/1471-2288-13-117
    """
    if rows == "stakeholder_group":
        return code_frequencies(segments, interviews, by="stakeholder_group", level="theme",
                                codebook=codebook, include=include, threshold=threshold)
    if rows != "interview":
        raise ValueError(f"rows must be 'interview' or 'stakeholder_group', got {rows!r}")
    _check_segments(segments)
    _check_interviews(interviews, ("pilot", "stakeholder_group"))
    _check_references(segments, interviews)
    frame = _with_level(segments, "theme", codebook)
    themes = _level_values(frame, "theme", codebook, include)
    keep = ["interview_id", "pilot"] + (["round"] if "round" in interviews.columns else []) + [
        "stakeholder_group"]
    grid = interviews[keep].merge(pd.DataFrame({"theme": themes}), how="cross")
    deduplicated = frame.drop_duplicates(["segment_id", "interview_id", "theme", "assessment"])
    counts = (
        deduplicated.groupby(["interview_id", "theme"], sort=False)
        .agg(references=("segment_id", "nunique")).reset_index()
    )
    by_assessment = (
        deduplicated.groupby(["interview_id", "theme", "assessment"], sort=False)["segment_id"]
        .nunique().unstack("assessment").reindex(columns=list(ASSESSMENTS)).fillna(0)
        .add_prefix("assessment_").reset_index()
    )
    result = grid.merge(counts, on=["interview_id", "theme"], how="left").merge(
        by_assessment, on=["interview_id", "theme"], how="left")
    for column in ["references", *(f"assessment_{a}" for a in ASSESSMENTS)]:
        result[column] = result[column].fillna(0).astype("int64")
    return result.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# co-occurrence
# --------------------------------------------------------------------------------------------


def cooccurrence(
    segments: pd.DataFrame,
    *,
    unit: str = "segment",
    level: str = "code",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Symmetric code x code (or theme x theme) co-occurrence counts and the c-coefficient.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv``. Rows sharing a ``segment_id`` are one passage coded with
        several codes.
    unit : {"segment", "interview"}
        Two codes co-occur when they are applied to the same segment (ATLAS.ti's code
        co-occurrence of a quotation), or anywhere in the same interview. Where every
        ``segment_id`` is unique, as in the contract's files, only ``"interview"`` finds
        co-occurrences.
    level : {"code", "theme"}
        Codes, or themes (a unit has a theme when it has any code of the theme).
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; needed for ``level="theme"`` unless ``segments`` has a
        ``theme`` column. When given, all its codes/themes are reported, in its order.
    include : sequence of str, optional
        Only these codes/themes, in this order (for example the main themes).

    Returns
    -------
    pandas.DataFrame
        One row per ordered pair (both ``(a, b)`` and ``(b, a)``, and the diagonal), with
        columns ``{level}_a``, ``{level}_b``; ``n_a`` and ``n_b`` (units with a and with b);
        ``n_ab`` (units with both; on the diagonal ``n_ab = n_a``); ``c_coefficient``
        (``n_ab / (n_a + n_b - n_ab)``, missing when no unit has a or b).

    Notes
    -----
    The c-coefficient as ATLAS.ti reports it,

    .. math:: c = \\frac{n_{12}}{n_1 + n_2 - n_{12}},

    where :math:`n_{12}` counts the units coded with both codes and :math:`n_1, n_2` the units
    coded with each. It is the Jaccard similarity of the two codes' sets of units: 0 when the
    codes never co-occur, 1 when they always occur together. It is descriptive; no test is
    attached. Units are counted once however often a code is applied within them. The matrix
    is symmetric by construction.

    References
    ----------
    ATLAS.ti Scientific Software Development GmbH (2022). *ATLAS.ti 22 Windows User Manual:
    Code Co-occurrence Coefficient*.
    https://doc.atlasti.com/ManualWin.v22/CodeCooccurrence/CodeCoOccurrenceTableCcoefficient.html

    Jaccard, P. (1912). The distribution of the flora in the alpine zone. *New Phytologist*,
    11(2), 37-50. https://doi.org/10.1111/j.1469-8137.1912.tb05611.x
    """
    if unit not in ("segment", "interview"):
        raise ValueError(f"unit must be 'segment' or 'interview', got {unit!r}")
    level = _check_level(level)
    _check_segments(segments)
    frame = _with_level(segments, level, codebook)
    values = _level_values(frame, level, codebook, include)
    unit_column = "segment_id" if unit == "segment" else "interview_id"
    pairs = frame[[unit_column, level]].drop_duplicates()
    pairs = pairs[pairs[level].isin(values)]
    units = list(dict.fromkeys(pairs[unit_column].tolist()))
    unit_index = {u: i for i, u in enumerate(units)}
    value_index = {v: i for i, v in enumerate(values)}
    incidence = np.zeros((len(units), len(values)), dtype=np.int64)
    if len(pairs):
        incidence[pairs[unit_column].map(unit_index).to_numpy(),
                  pairs[level].map(value_index).to_numpy()] = 1
    both = incidence.T @ incidence
    totals = np.diag(both)
    n_a = np.repeat(totals, len(values))
    n_b = np.tile(totals, len(values))
    n_ab = both.reshape(-1)
    union = n_a + n_b - n_ab
    with np.errstate(invalid="ignore", divide="ignore"):
        c = np.where(union > 0, n_ab / np.where(union > 0, union, 1), np.nan)
    return pd.DataFrame(
        {
            f"{level}_a": np.repeat(values, len(values)) if values else [],
            f"{level}_b": np.tile(values, len(values)) if values else [],
            "n_a": n_a.astype("int64"),
            "n_b": n_b.astype("int64"),
            "n_ab": n_ab.astype("int64"),
            "c_coefficient": c.astype(float),
        }
    )


# --------------------------------------------------------------------------------------------
# assessments
# --------------------------------------------------------------------------------------------


def assessment_balance(
    segments: pd.DataFrame,
    *,
    interviews: pd.DataFrame | None = None,
    by: str | Sequence[str] | None = None,
    level: str = "theme",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int = 5,
) -> pd.DataFrame:
    """Positive, negative, mixed and neutral assessments per theme (or code), and a net score.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` (plus ``theme`` if no codebook is given).
    interviews : pandas.DataFrame, optional
        ``interviews/interviews.csv``; required when ``by`` is given.
    by : str, sequence of str or None
        Interview columns to break down by (for example ``"stakeholder_group"``); ``None``
        for all segments together.
    level : {"theme", "code"}
        Count per theme (default) or per code.
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; when given every theme/code gets a row, in its order.
    include : sequence of str, optional
        Only these themes/codes, in this order.
    threshold : int
        Anonymity threshold; groups of ``by`` with fewer interviews are suppressed.

    Returns
    -------
    pandas.DataFrame
        One row per (group and) theme/code, with columns: the ``by`` columns and
        ``n_interviews`` (interviews in the group) when ``by`` is given; ``theme`` or ``code``;
        ``positive``, ``negative``, ``mixed``, ``neutral`` (segments with that assessment);
        ``total`` (their sum); ``net_score`` (see Notes; missing when ``total`` is 0);
        ``suppressed`` (bool; counts and score missing where true).

    Notes
    -----
    Each distinct segment counts once per theme/code with its assessment. The net score is
    the balance statistic of business tendency surveys expressed as a share,

    .. math:: net = \\frac{positive - negative}{positive + negative + mixed + neutral},

    which lies in [-1, 1]: +1 when every segment is positive, -1 when every one is negative;
    mixed and neutral segments pull it towards 0.

    References
    ----------
    OECD (2003). *Business Tendency Surveys: A Handbook*. Paris: OECD Publishing (the balance
    as the difference between the shares of positive and negative answers).
    """
    threshold = _check_threshold(threshold)
    level = _check_level(level)
    by = _normalise_by(by)
    _check_segments(segments)
    frame = _with_level(segments, level, codebook)
    values = _level_values(frame, level, codebook, include)
    frame = frame.drop_duplicates(["segment_id", level])
    if by:
        if interviews is None:
            raise ValueError("by needs interviews=... to find each segment's group")
        _check_interviews(interviews, by)
        _check_references(segments, interviews)
        frame = frame.merge(interviews[["interview_id", *by]], on="interview_id", how="left")
        groups = _sort_groups(interviews.groupby(list(by), sort=False, dropna=False).size()
                              .rename("n_interviews").reset_index(), by)
        grid = groups.merge(pd.DataFrame({level: values}), how="cross")
    else:
        grid = pd.DataFrame({level: values})
    keys = [*by, level]
    counts = (
        frame.groupby([*keys, "assessment"], sort=False, dropna=False)["segment_id"].nunique()
        .unstack("assessment").reindex(columns=list(ASSESSMENTS)).reset_index()
    )
    result = grid.merge(counts, on=keys, how="left")
    for assessment in ASSESSMENTS:
        result[assessment] = result[assessment].fillna(0).astype("Int64")
    result["total"] = result[list(ASSESSMENTS)].sum(axis=1).astype("Int64")
    total = result["total"].astype("Float64")
    net = (result["positive"].astype("Float64") - result["negative"].astype("Float64")) / total
    result["net_score"] = net.where(total > 0, pd.NA)
    if by:
        result["n_interviews"] = result["n_interviews"].astype("Int64")
        result = result[[*by, "n_interviews", level, *ASSESSMENTS, "total", "net_score"]]
        result = _suppress(result, count_column="n_interviews",
                           value_columns=(*ASSESSMENTS, "total", "net_score"),
                           threshold=threshold, within=(*by[:-1], level))
    else:
        result = result[[level, *ASSESSMENTS, "total", "net_score"]]
        result["suppressed"] = False
    return result.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# change between rounds
# --------------------------------------------------------------------------------------------


def theme_change(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    by: str | Sequence[str] = "pilot",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int = 5,
) -> pd.DataFrame:
    """Prevalence of each theme in the midterm and the final round, its change and Fisher's test.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` (plus ``theme`` if no codebook is given).
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` with the derived ``round`` column (``"midterm"`` or
        ``"final"``, see :func:`assign_rounds`) and the ``by`` columns.
    by : str or sequence of str
        Groups to compare within; ``"pilot"`` by default.
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; gives the themes and their order.
    include : sequence of str, optional
        Only these themes, in this order.
    threshold : int
        Anonymity threshold: a row is suppressed when either round has fewer interviews.

    Returns
    -------
    pandas.DataFrame
        One row per group and theme, with columns: the ``by`` columns; ``theme``;
        ``n_midterm``, ``coded_midterm``, ``share_midterm`` (interviews of the round, those
        mentioning the theme, and the share); ``n_final``, ``coded_final``, ``share_final``;
        ``change`` (``share_final - share_midterm``, a difference of shares); ``p_value``
        (Fisher's exact test, two-sided); ``suppressed`` (bool; all counts, shares, change and
        p-value missing where true).

    Raises
    ------
    InsufficientDataError
        If ``interviews`` has no interview from one of the rounds.

    Notes
    -----
    Prevalence is the share of a round's interviews that mention the theme (at least one
    segment coded with one of its codes). The p-value is from Fisher's exact test of the 2x2
    table (round x mentioned / not mentioned), two-sided: the sum of the hypergeometric
    probabilities of all tables with the same margins that are no more probable than the
    observed one (``scipy.stats.fisher_exact``, the definition of R's ``fisher.test``). It
    treats interviews as independent, which re-interviewed informants are not; read it as a
    guide to which changes are larger than chance would easily give, not as a formal test.

    References
    ----------
    Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal Statistical
    Society*, 98(1), 39-82. https://doi.org/10.2307/2342435

    Agresti, A. (2013). *Categorical Data Analysis* (3rd ed.), section 3.5. Hoboken, NJ: Wiley.
    """
    from scipy.stats import fisher_exact

    threshold = _check_threshold(threshold)
    by = _normalise_by(by)
    if not by:
        raise ValueError("by must name at least one column")
    _check_segments(segments)
    _check_interviews(interviews, (*by, "round"))
    _check_references(segments, interviews)
    unknown = ~interviews["round"].isin(ROUNDS).to_numpy()
    if unknown.any():
        raise DataContractError(
            [
                DataProblem(INTERVIEWS_FILE, _line(p), "round",
                            f"unknown round {interviews['round'].iloc[p]!r}", "midterm or final")
                for p in np.flatnonzero(unknown)
            ]
        )
    present = set(interviews["round"].tolist())
    missing = [r for r in ROUNDS if r not in present]
    if missing:
        raise InsufficientDataError(
            f"theme_change needs interviews from both rounds; none from {', '.join(missing)}"
        )
    frame = _with_level(segments, "theme", codebook)
    themes = _level_values(frame, "theme", codebook, include)
    ivs = interviews[["interview_id", *by, "round"]]
    frame = frame[["interview_id", "theme"]].drop_duplicates().merge(ivs, on="interview_id")
    groups = _sort_groups(ivs[list(by)].drop_duplicates(), by)
    grid = groups.merge(pd.DataFrame({"theme": themes}), how="cross")
    n = ivs.groupby([*by, "round"], sort=False).size().unstack("round").reindex(columns=list(ROUNDS))
    n = n.fillna(0).add_prefix("n_").reset_index()
    coded = (frame.groupby([*by, "theme", "round"], sort=False)["interview_id"].nunique()
             .unstack("round").reindex(columns=list(ROUNDS)).fillna(0)
             .add_prefix("coded_").reset_index())
    result = grid.merge(n, on=list(by), how="left").merge(coded, on=[*by, "theme"], how="left")
    for column in ("n_midterm", "n_final", "coded_midterm", "coded_final"):
        result[column] = result[column].fillna(0).astype("int64")
    p_values = []
    for row in result.itertuples(index=False):
        a, b = row.coded_midterm, row.n_midterm - row.coded_midterm
        c, d = row.coded_final, row.n_final - row.coded_final
        if row.n_midterm == 0 or row.n_final == 0:
            p_values.append(np.nan)
        else:
            p_values.append(float(fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue))
    with np.errstate(invalid="ignore", divide="ignore"):
        share_m = result["coded_midterm"] / result["n_midterm"].where(result["n_midterm"] > 0)
        share_f = result["coded_final"] / result["n_final"].where(result["n_final"] > 0)
    result["share_midterm"] = share_m.astype("Float64")
    result["share_final"] = share_f.astype("Float64")
    result["change"] = (share_f - share_m).astype("Float64")
    result["p_value"] = pd.array(p_values, dtype="Float64")
    suppressed = (result["n_midterm"] < threshold) | (result["n_final"] < threshold)
    result = result[[*by, "theme", "n_midterm", "coded_midterm", "share_midterm", "n_final",
                     "coded_final", "share_final", "change", "p_value"]]
    for column in ("n_midterm", "coded_midterm", "n_final", "coded_final"):
        result[column] = result[column].astype("Int64")
    hidden = ["n_midterm", "coded_midterm", "share_midterm", "n_final", "coded_final",
              "share_final", "change", "p_value"]
    result.loc[suppressed, hidden] = pd.NA
    result["suppressed"] = suppressed.to_numpy()
    return result.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# quotes
# --------------------------------------------------------------------------------------------


def _truncate(text: str, max_chars: int) -> tuple[str, bool]:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= max_chars:
        return text, False
    cut = text[: max_chars - 1]  # room for the ellipsis
    if not text[max_chars - 1].isspace():  # the cut falls inside a word: drop that word
        space = cut.rfind(" ")
        if space > max_chars // 2:
            cut = cut[:space]
    return cut.rstrip(" ,;:.–-") + "…", True


def _pooled_groups(interviews: pd.DataFrame, column: str, threshold: int) -> set:
    sizes = interviews.groupby(column, sort=False).size().sort_values(kind="stable")
    if int(sizes.sum()) < threshold:
        return set(sizes.index)
    pooled = {group for group, size in sizes.items() if size < threshold}
    if not pooled:
        return pooled
    pooled_size = int(sizes[list(pooled)].sum())
    for group, size in sizes.items():  # ascending: add the next smallest until the pool is large
        if pooled_size >= threshold:
            break
        if group not in pooled:
            pooled.add(group)
            pooled_size += int(size)
    return pooled


def pool_small_groups(
    interviews: pd.DataFrame,
    *,
    column: str = "stakeholder_group",
    threshold: int = 5,
    pooled_value: str = "other",
) -> pd.DataFrame:
    """Merge the groups with fewer interviews than the threshold into one pooled group.

    With five or six stakeholder groups and a few interviews each, most groups of a pilot fall
    below the anonymity threshold, and suppression alone would hide most of a table. Pooling
    them ("other groups") shows what they said together without showing any small group.

    Parameters
    ----------
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` (``interview_id`` and ``column``).
    column : str
        Column whose values are the groups; ``"stakeholder_group"`` by default.
    threshold : int
        Anonymity threshold.
    pooled_value : str
        Value given to the pooled groups.

    Returns
    -------
    pandas.DataFrame
        A copy of ``interviews`` in which ``column`` is ``pooled_value`` for the pooled groups.
        The list of pooled groups is ``frame.attrs["pooled_groups"]`` (a tuple).

    Notes
    -----
    Groups with fewer than ``threshold`` interviews are pooled. If the pool then still has
    fewer than ``threshold`` interviews, the next smallest groups join it until it has at
    least ``threshold`` (otherwise the pool would be a small cell itself, and "pooled" could
    be read as "that one small group" by elimination). If all interviews together are fewer
    than ``threshold``, every group is pooled, and the pool must be suppressed wherever it is
    counted (the functions of this module do).
    """
    threshold = _check_threshold(threshold)
    _check_interviews(interviews, (column,))
    pooled = _pooled_groups(interviews, column, threshold)
    result = interviews.copy()
    result[column] = [pooled_value if value in pooled else value for value in interviews[column]]
    order = {g: i for i, g in enumerate(STAKEHOLDER_GROUPS)}
    result.attrs["pooled_groups"] = tuple(sorted(pooled, key=lambda g: (order.get(g, len(order)), str(g))))
    return result


def select_quotes(
    segments: pd.DataFrame,
    *,
    interviews: pd.DataFrame,
    theme: str | Sequence[str] | None = None,
    codebook: pd.DataFrame | None = None,
    max_chars: int = 300,
    max_per_theme: int | None = 3,
    threshold: int = 5,
) -> pd.DataFrame:
    """Approved quotes, attributed by stakeholder group only, HTML-escaped.

    Parameters
    ----------
    segments : pandas.DataFrame
        ``interviews/segments.csv`` with ``quote`` and ``quote_approved`` (``yes``/``no`` or
        booleans; missing means not approved).
    interviews : pandas.DataFrame
        ``interviews/interviews.csv`` of the report's scope (for example one pilot): gives each
        quote's stakeholder group and the group sizes that decide whether the group may be
        named, and the dates (newest quotes first).
    theme : str, sequence of str or None
        Only quotes on these themes.
    codebook : pandas.DataFrame, optional
        ``interviews/codebook.csv``; needed unless ``segments`` has a ``theme`` column.
    max_chars : int
        Longest quote in characters; longer ones are cut at a word and end in "…".
    max_per_theme : int or None
        Most quotes per theme (``None`` for all), taken in turn from the stakeholder groups
        so that one group does not fill the list.
    threshold : int
        Anonymity threshold.

    Returns
    -------
    pandas.DataFrame
        One row per quote, with columns ``theme``, ``code``, ``stakeholder_group`` (missing
        when the group may not be named, see Notes), ``quote`` (plain text, whitespace
        collapsed, cut to ``max_chars``), ``quote_html`` (``quote`` HTML-escaped, safe to put
        in markup) and ``truncated`` (bool). No interview id, agency, name or date is returned.

    Notes
    -----
    Only segments with ``quote_approved`` true and a non-empty ``quote`` are used; unapproved
    text never appears. The same words are quoted once (under the first theme in codebook
    order), even when several segments carry them.

    A quote is attributed to its stakeholder group only when that does not narrow its speaker
    to fewer than ``threshold`` interviews. Groups with fewer interviews than the threshold are
    pooled as unnamed; if the pooled groups together still have fewer than the threshold, the
    next smallest groups are pooled too (so "unnamed" cannot be read as one small group by
    elimination). If all interviews together are fewer than the threshold, no quote is returned.
    """
    threshold = _check_threshold(threshold)
    if not isinstance(max_chars, (int, np.integer)) or max_chars < 20:
        raise ValueError(f"max_chars must be an integer of at least 20, got {max_chars!r}")
    if max_per_theme is not None and (not isinstance(max_per_theme, (int, np.integer))
                                      or max_per_theme < 1):
        raise ValueError(f"max_per_theme must be a positive integer or None, got {max_per_theme!r}")
    _check_segments(segments)
    _require_columns(segments, ("quote", "quote_approved"), SEGMENTS_FILE)
    _check_interviews(interviews, ("stakeholder_group",))
    columns = ["theme", "code", "stakeholder_group", "quote", "quote_html", "truncated"]
    approved = _approved(segments["quote_approved"])
    frame = segments[approved.to_numpy()]
    frame = frame[frame["interview_id"].isin(set(interviews["interview_id"].tolist()))]
    text = frame["quote"].astype("object")
    frame = frame[text.map(lambda q: isinstance(q, str) and q.strip() != "").to_numpy()]
    named = set(interviews["stakeholder_group"]) - _pooled_groups(
        interviews, "stakeholder_group", threshold)
    if frame.empty or not len(interviews) or int(len(interviews)) < threshold:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns}).astype(
            {"truncated": bool})
    frame = _with_level(frame, "theme", codebook)
    if theme is not None:
        wanted = [theme] if isinstance(theme, str) else list(theme)
        frame = frame[frame["theme"].isin(wanted)]
    keep = ["interview_id", "stakeholder_group"] + (["date"] if "date" in interviews.columns else [])
    frame = frame.assign(__order=np.arange(len(frame))).merge(
        interviews[keep], on="interview_id", how="left")
    frame = frame.drop_duplicates(["segment_id", "theme"])
    if "date" in frame.columns:
        frame = frame.assign(__date=pd.to_datetime(frame["date"]))
        frame = frame.sort_values(["__date", "__order"], ascending=[False, True], kind="stable")
    else:
        frame = frame.sort_values("__order", kind="stable")
    frame = frame.assign(__turn=frame.groupby(["theme", "stakeholder_group"], sort=False).cumcount())
    theme_order = _level_values(frame, "theme", codebook, None)
    frame = frame.assign(__theme=frame["theme"].map({t: i for i, t in enumerate(theme_order)}))
    frame = frame.sort_values(["__theme", "__turn"], kind="stable")
    frame = frame.assign(__text=frame["quote"].map(lambda q: re.sub(r"\s+", " ", q).strip()))
    frame = frame.drop_duplicates("__text")  # the same words are quoted once
    if max_per_theme is not None:
        frame = frame.groupby("theme", sort=False).head(max_per_theme)
    cut = [_truncate(q, int(max_chars)) for q in frame["quote"].tolist()]
    result = pd.DataFrame(
        {
            "theme": frame["theme"].tolist(),
            "code": frame["code"].tolist(),
            "stakeholder_group": [g if g in named else None for g in frame["stakeholder_group"]],
            "quote": [q for q, _ in cut],
            "quote_html": [html.escape(q, quote=True) for q, _ in cut],
            "truncated": [t for _, t in cut],
        }
    )
    result["stakeholder_group"] = result["stakeholder_group"].astype("object")
    return result


__all__ = [
    "ASSESSMENTS",
    "QdaImport",
    "LEVELS",
    "ROUNDS",
    "STAKEHOLDER_GROUPS",
    "assessment_balance",
    "assign_rounds",
    "attach_themes",
    "code_frequencies",
    "cooccurrence",
    "framework_matrix",
    "interview_counts",
    "pool_small_groups",
    "read_qdpx",
    "read_taguette",
    "select_quotes",
    "theme_change",
]

