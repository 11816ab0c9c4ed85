"""The balance of assessments per theme, and the change in theme prevalence between rounds."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS
from evaluation.errors import DataContractError, DataProblem, InsufficientDataError
from evaluation.interviews.inputs import (
    INTERVIEWS_FILE,
    ROUNDS,
    check_interviews,
    check_level,
    check_references,
    check_segments,
    level_values,
    line,
    normalise_by,
    sort_groups,
    suppress,
    with_level,
)
from evaluation.privacy import check_threshold


def assessment_balance(
    segments: pd.DataFrame,
    *,
    interviews: pd.DataFrame | None = None,
    by: str | Sequence[str] | None = None,
    level: str = "theme",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int,
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
    threshold = check_threshold(threshold)
    level = check_level(level)
    by = normalise_by(by)
    check_segments(segments)
    frame = with_level(segments, level, codebook)
    values = level_values(frame, level, codebook, include)
    frame, grid = _balance_grid(frame.drop_duplicates(["segment_id", level]), segments,
                                interviews, by, level, values)
    result = _balance_counts(frame, grid, [*by, level])
    if by:
        result["n_interviews"] = result["n_interviews"].astype("Int64")
        result = result[[*by, "n_interviews", level, *ASSESSMENTS, "total", "net_score"]]
        result = suppress(result, count_column="n_interviews",
                          value_columns=(*ASSESSMENTS, "total", "net_score"),
                          threshold=threshold, within=(*by[:-1], level))
    else:
        result = result[[level, *ASSESSMENTS, "total", "net_score"]]
        result["suppressed"] = False
    return result.reset_index(drop=True)


def _balance_grid(frame: pd.DataFrame, segments: pd.DataFrame, interviews: pd.DataFrame | None,
                  by: tuple[str, ...], level: str,
                  values: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The segments with their interview's ``by`` columns, and the (group x) theme/code grid
    with ``n_interviews`` per group when ``by`` is given."""
    if by:
        if interviews is None:
            raise ValueError("by needs interviews=... to find each segment's group")
        check_interviews(interviews, by)
        check_references(segments, interviews)
        frame = frame.merge(interviews[["interview_id", *by]], on="interview_id", how="left")
        groups = sort_groups(interviews.groupby(list(by), sort=False, dropna=False).size()
                             .rename("n_interviews").reset_index(), by)
        grid = groups.merge(pd.DataFrame({level: values}), how="cross")
    else:
        grid = pd.DataFrame({level: values})
    return frame, grid


def _balance_counts(frame: pd.DataFrame, grid: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """``grid`` with the segments per assessment, their ``total`` and the ``net_score``."""
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
    return result


def theme_change(
    segments: pd.DataFrame,
    interviews: pd.DataFrame,
    *,
    by: str | Sequence[str] = "pilot",
    codebook: pd.DataFrame | None = None,
    include: Sequence[str] | None = None,
    threshold: int,
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
    threshold = check_threshold(threshold)
    by = normalise_by(by)
    if not by:
        raise ValueError("by must name at least one column")
    check_segments(segments)
    check_interviews(interviews, (*by, "round"))
    check_references(segments, interviews)
    _check_rounds(interviews)
    frame = with_level(segments, "theme", codebook)
    themes = level_values(frame, "theme", codebook, include)
    result = _round_counts(frame, interviews, by, themes)
    with np.errstate(invalid="ignore", divide="ignore"):
        share_m = result["coded_midterm"] / result["n_midterm"].where(result["n_midterm"] > 0)
        share_f = result["coded_final"] / result["n_final"].where(result["n_final"] > 0)
    result["share_midterm"] = share_m.astype("Float64")
    result["share_final"] = share_f.astype("Float64")
    result["change"] = (share_f - share_m).astype("Float64")
    result["p_value"] = pd.array(_fisher_p_values(result), dtype="Float64")
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


def _check_rounds(interviews: pd.DataFrame) -> None:
    """Raise unless every interview's ``round`` is known and both rounds have interviews."""
    unknown = ~interviews["round"].isin(ROUNDS).to_numpy()
    if unknown.any():
        raise DataContractError(
            [
                DataProblem(INTERVIEWS_FILE, line(p), "round",
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


def _round_counts(frame: pd.DataFrame, interviews: pd.DataFrame, by: tuple[str, ...],
                  themes: list[str]) -> pd.DataFrame:
    """Every group x theme with ``n_midterm``, ``n_final`` (interviews of the round) and
    ``coded_midterm``, ``coded_final`` (those mentioning the theme), as int64."""
    ivs = interviews[["interview_id", *by, "round"]]
    frame = frame[["interview_id", "theme"]].drop_duplicates().merge(ivs, on="interview_id")
    groups = sort_groups(ivs[list(by)].drop_duplicates(), by)
    grid = groups.merge(pd.DataFrame({"theme": themes}), how="cross")
    n = ivs.groupby([*by, "round"], sort=False).size().unstack("round").reindex(columns=list(ROUNDS))
    n = n.fillna(0).add_prefix("n_").reset_index()
    coded = (frame.groupby([*by, "theme", "round"], sort=False)["interview_id"].nunique()
             .unstack("round").reindex(columns=list(ROUNDS)).fillna(0)
             .add_prefix("coded_").reset_index())
    result = grid.merge(n, on=list(by), how="left").merge(coded, on=[*by, "theme"], how="left")
    for column in ("n_midterm", "n_final", "coded_midterm", "coded_final"):
        result[column] = result[column].fillna(0).astype("int64")
    return result


def _fisher_p_values(counts: pd.DataFrame) -> list[float]:
    """Two-sided Fisher's exact p of each row's 2x2 table (round x mentioned); NaN when a
    round has no interview."""
    from scipy.stats import fisher_exact

    p_values = []
    for row in counts.itertuples(index=False):
        a, b = row.coded_midterm, row.n_midterm - row.coded_midterm
        c, d = row.coded_final, row.n_final - row.coded_final
        if row.n_midterm == 0 or row.n_final == 0:
            p_values.append(np.nan)
        else:
            p_values.append(float(fisher_exact([[a, b], [c, d]], alternative="two-sided").pvalue))
    return p_values

__all__ = ["assessment_balance", "theme_change"]
