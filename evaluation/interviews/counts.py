"""Counts by group: interviews and informants, code and theme frequencies, the framework matrix."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS
from evaluation.errors import DataContractError, DataProblem
from evaluation.interviews.inputs import (
    INTERVIEWS_FILE,
    check_interviews,
    check_level,
    check_references,
    check_segments,
    level_values,
    line,
    normalise_by,
    round_order,
    sort_groups,
    suppress,
    with_level,
)
from evaluation.privacy import check_threshold


def interview_counts(interviews: pd.DataFrame, *, by: str | Sequence[str] = "stakeholder_group",
                     threshold: int) -> pd.DataFrame:
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
    threshold = check_threshold(threshold)
    by = normalise_by(by)
    if not by:
        raise ValueError("by must name at least one column")
    check_interviews(interviews, (*by, "informants"))
    informants = pd.to_numeric(interviews["informants"], errors="coerce")
    bad = informants.isna() | (informants < 1)
    if bad.any():
        raise DataContractError(
            [
                DataProblem(INTERVIEWS_FILE, line(p), "informants",
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
    counts = sort_groups(counts, by, rounds=round_order(interviews))
    counts["interviews"] = counts["interviews"].astype("Int64")
    counts["informants"] = counts["informants"].astype("Int64")
    result = suppress(counts, count_column="interviews", value_columns=("informants",),
                      threshold=threshold, within=by[:-1])
    return result.reset_index(drop=True)


def code_frequencies(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = "stakeholder_group",
    level: str = "code",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int,
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
        Anonymity threshold (``programme.anonymity_threshold``).

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
    On the demo data (the midterm phase), themes per stakeholder group:

    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> table = code_frequencies(data.segments, data.interviews, level="theme",
    ...                          codebook=data.codebook, threshold=data.anonymity_threshold)
    >>> list(table.columns)
    ['stakeholder_group', 'theme', 'n_interviews', 'references', 'interviews_coded', 'share', 'suppressed']
    >>> first = table.iloc[0]
    >>> first["stakeholder_group"], first["theme"], int(first["n_interviews"])
    ('project_management', 'collaboration', 5)
    """
    threshold = check_threshold(threshold)
    level = check_level(level)
    by = normalise_by(by)
    check_segments(segments)
    check_interviews(interviews, by)
    check_references(segments, interviews)
    frame = with_level(segments, level, codebook)
    values = level_values(frame, level, codebook, include)

    group_key = "__all__"
    group_columns = list(by) if by else [group_key]
    result = _frequency_table(frame, interviews, by, group_columns, level, values)
    within = (*group_columns[:-1], level)
    result = suppress(result, count_column="n_interviews",
                      value_columns=("references", "interviews_coded", "share"),
                      threshold=threshold, within=within)
    if not by:
        result = result.drop(columns=group_key)
    return result.reset_index(drop=True)


def _frequency_table(frame: pd.DataFrame, interviews: pd.DataFrame, by: tuple[str, ...],
                     group_columns: list[str], level: str, values: list[str]) -> pd.DataFrame:
    """Every group x code/theme cell with ``n_interviews``, ``references``, ``interviews_coded``
    and ``share``, before suppression (``group_columns`` is ``by``, or one all-interviews key)."""
    group_key = group_columns[0]
    ivs = interviews[["interview_id", *by]].copy()
    if not by:
        ivs[group_key] = "all"
    frame = frame[["segment_id", "interview_id", level]].merge(ivs, on="interview_id", how="left")

    groups = ivs.groupby(group_columns, sort=False, dropna=False).size().rename("n_interviews")
    groups = sort_groups(groups.reset_index(), by, rounds=round_order(interviews))
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
    return result


def framework_matrix(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    rows: str = "interview",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int,
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
    check_segments(segments)
    check_interviews(interviews, ("pilot", "stakeholder_group"))
    check_references(segments, interviews)
    frame = with_level(segments, "theme", codebook)
    themes = level_values(frame, "theme", codebook, include)
    keep = ["interview_id", "pilot"] + (["round"] if "round" in interviews.columns else []) + [
        "stakeholder_group"]
    grid = interviews[keep].merge(pd.DataFrame({"theme": themes}), how="cross")
    result = _interview_theme_counts(frame, grid)
    for column in ["references", *(f"assessment_{a}" for a in ASSESSMENTS)]:
        result[column] = result[column].fillna(0).astype("int64")
    return result.reset_index(drop=True)


def _interview_theme_counts(frame: pd.DataFrame, grid: pd.DataFrame) -> pd.DataFrame:
    """``grid`` (interview x theme) with the references of each cell, in all and by assessment."""
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
    return result


__all__ = ["code_frequencies", "framework_matrix", "interview_counts"]
