"""Index frames: respondents' index scores, their summary per group, and index reliability."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evaluation.errors import InsufficientDataError
from evaluation.privacy import suppress_small_cells
from evaluation.stats import check_confidence_level, cronbach_alpha, mean_sd_ci
from evaluation.survey.inputs import (
    apply_plan,
    as_columns,
    check_by,
    default_within,
    item_meta,
    item_values,
    iter_groups,
)

if TYPE_CHECKING:
    from evaluation.disclosure import DisclosurePlan


@dataclass(frozen=True, eq=False)
class ReliabilityTable:
    """Reliability of every index (see :func:`index_reliability`).

    Attributes
    ----------
    indices : pandas.DataFrame
        One row per index: ``index, n, k, alpha, ci_low, ci_high, n_items_raising_alpha,
        suppressed``.
    items : pandas.DataFrame
        One row per item: ``index, item, alpha_if_dropped, r_drop, raises_alpha, suppressed``.
    """

    indices: pd.DataFrame
    items: pd.DataFrame


def index_scores(responses: pd.DataFrame, items: pd.DataFrame) -> pd.DataFrame:
    """Each respondent's score on each index: the mean of its answered items, reverse-keyed.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses.
    items : pandas.DataFrame
        Items with ``item_id, index, reverse_keyed, scale_min, scale_max, dont_know_code``
        (the survey codebook).

    Returns
    -------
    pandas.DataFrame
        One row per respondent (row of ``responses``) and index, in order: every non-item
        column of ``responses`` (``respondent_id``, ``wave``, ``pilot``, ``agency`` …),
        ``index``, ``score`` (float, missing when too few items were answered),
        ``n_answered`` (items answered on the scale) and ``n_items`` (items of the index).

    Notes
    -----
    A reverse-keyed item is scored ``scale_min + scale_max - code``. "Vet ikke" and
    unanswered items do not count as answered. **The score is computed only when at least
    half of the index's items are answered** (``2 * n_answered >= n_items``); otherwise it is
    missing, so a score never rests on a minority of the items. The score is the unweighted
    mean of the answered items, on the items' scale (1–5).

    References
    ----------
    Newman, D. A. (2014). Missing data: five practical guidelines. *Organizational Research
    Methods*, 17(4), 372–411 (the half-of-the-items rule for scale scores).
    """
    meta = item_meta(items)
    values = item_values(responses, meta)
    frame = responses.reset_index(drop=True)
    item_ids = set(meta["item_id"])
    id_columns = [c for c in frame.columns if c not in item_ids]
    pieces = []
    for index, group in meta.groupby("index", sort=False):
        scored = []
        for item in group.itertuples(index=False):
            scale_values = values[item.item_id][0]
            if item.reverse_keyed:
                scale_values = item.scale_min + item.scale_max - scale_values
            scored.append(scale_values)
        matrix = np.column_stack(scored) if scored else np.empty((len(frame), 0))
        answered = (~np.isnan(matrix)).sum(axis=1)
        k = matrix.shape[1]
        with np.errstate(invalid="ignore"):
            means = np.where(answered > 0, np.nansum(matrix, axis=1) / np.maximum(answered, 1), np.nan)
        score = np.where(2 * answered >= k, means, np.nan)
        piece = frame[id_columns].copy()
        piece["index"] = index
        piece["score"] = score
        piece["n_answered"] = answered.astype(int)
        piece["n_items"] = int(k)
        pieces.append(piece)
    if not pieces:
        return pd.DataFrame(columns=[*id_columns, "index", "score", "n_answered", "n_items"])
    return pd.concat(pieces, ignore_index=True)


def index_summary(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = ("wave",),
    confidence_level: float = 0.95,
    threshold: int,
    within: Sequence[str] | None = None,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Mean index score with a t interval, per index and group (for example per wave).

    Parameters
    ----------
    responses, items : pandas.DataFrame
        As for :func:`index_scores`.
    by : str or sequence of str, optional
        Grouping columns, outermost first; ``("wave",)`` by default.
    confidence_level : float
        Level of the interval of the mean.
    threshold : int
        Anonymity threshold.
    within : sequence of str, optional
        Secondary-suppression groups; by default all of ``by`` but the last (plus the index;
        a ``wave`` column always separates groups).
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: rows of the cells it hides are suppressed, and it
        replaces this table's own complementary suppression (``within`` is then not used).
        The rows must name their pilot and wave (group by them, or pass responses of one).

    Returns
    -------
    pandas.DataFrame
        One row per group and index: the ``by`` columns, ``index``, ``n`` (respondents with a
        score), ``mean``, ``sd``, ``ci_low``, ``ci_high``, ``suppressed``.

    Notes
    -----
    Scores are those of :func:`index_scores` (at least half the items answered). The
    interval is ``mean ± t_{(1+level)/2, n-1} sd / sqrt(n)``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1–25.
    """
    level = check_confidence_level(confidence_level)
    by = as_columns(by, "by")
    check_by(responses, by)
    scores = index_scores(responses, items)
    rows = []
    indices = list(dict.fromkeys(item_meta(items)["index"]))
    for key, positions in iter_groups(responses.reset_index(drop=True), by):
        for index in indices:
            subset = scores[scores["index"] == index]
            # scores are stacked per index in responses' row order
            values = subset["score"].to_numpy(dtype=float)[positions]
            values = values[~np.isnan(values)]
            mean, sd, low, high = mean_sd_ci(values, confidence_level=level)
            rows.append((*key, index, len(values), mean, sd, low, high))
    columns = [*by, "index", "n", "mean", "sd", "ci_low", "ci_high"]
    result = pd.DataFrame(rows, columns=columns)
    values = ["mean", "sd", "ci_low", "ci_high"]
    if plan is not None:
        return apply_plan(result, plan, responses, count_column="n", value_columns=values,
                          threshold=threshold)
    return suppress_small_cells(
        result, count_column="n", value_columns=values,
        threshold=threshold, within=default_within(by, within, ["index"]),
    )


def scored_items(responses: pd.DataFrame, items: pd.DataFrame, index: str) -> pd.DataFrame:
    """The items of one index as numbers, reverse-keyed, "vet ikke" as missing.

    Parameters
    ----------
    responses, items : pandas.DataFrame
        As for :func:`index_scores`.
    index : str
        The index id.

    Returns
    -------
    pandas.DataFrame
        One row per respondent, one float column per item of the index (ready for
        :func:`cronbach_alpha`).
    """
    meta = item_meta(items)
    subset = meta[meta["index"] == index]
    if subset.empty:
        raise ValueError(f"no items belong to index {index!r}")
    values = item_values(responses, subset)
    columns = {}
    for item in subset.itertuples(index=False):
        scale_values = values[item.item_id][0]
        if item.reverse_keyed:
            scale_values = item.scale_min + item.scale_max - scale_values
        columns[item.item_id] = scale_values
    return pd.DataFrame(columns, index=responses.index)


def index_reliability(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    confidence_level: float = 0.95,
    nan_policy: str = "pairwise",
    threshold: int,
    plan: DisclosurePlan | None = None,
) -> ReliabilityTable:
    """Cronbach's alpha of every index, with Feldt interval and the items that lower it.

    Parameters
    ----------
    responses, items : pandas.DataFrame
        As for :func:`index_scores`; pass the respondents to analyse (e.g. one pilot, one wave).
    confidence_level : float
        Level of the Feldt interval.
    nan_policy : {"pairwise", "listwise"}
        As for :func:`cronbach_alpha`.
    threshold : int
        Anonymity threshold: an index with fewer respondents is suppressed.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: every index is suppressed when the plan hides the
        responses' pilot-wave (the responses must then hold one pilot and one wave).

    Returns
    -------
    ReliabilityTable
        ``indices``: ``index, n, k, alpha, ci_low, ci_high, n_items_raising_alpha,
        suppressed``; ``items``: ``index, item, alpha_if_dropped, r_drop, raises_alpha,
        suppressed``. An index whose alpha cannot be computed (too few items or answers) has
        missing values.

    Notes
    -----
    Items are reverse-keyed first (:func:`scored_items`); see :func:`cronbach_alpha` for the
    statistics. ``raises_alpha`` flags items whose removal would raise alpha.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297–334.

    Feldt, L. S., Woodruff, D. J. and Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement*, 11(1), 93–103.
    """
    meta = item_meta(items)
    index_rows, item_rows = [], []
    for index in dict.fromkeys(meta["index"]):
        frame = scored_items(responses, items, index)
        answered = int(frame.notna().any(axis=1).sum())
        try:
            result = cronbach_alpha(frame, confidence_level=confidence_level, nan_policy=nan_policy)
        except InsufficientDataError:
            index_rows.append((index, answered, frame.shape[1], math.nan, math.nan, math.nan, 0))
            for item in frame.columns:
                item_rows.append((index, item, answered, math.nan, math.nan, False))
            continue
        raising = result.items_raising_alpha()
        index_rows.append((index, result.n, result.k, result.alpha, result.ci.low,
                           result.ci.high, len(raising)))
        for item in frame.columns:
            if item in result.item_dropped.index:
                row = result.item_dropped.loc[item]
                item_rows.append((index, item, result.n, row["alpha_if_dropped"], row["r_drop"],
                                  item in raising))
            else:
                item_rows.append((index, item, result.n, math.nan, math.nan, False))
    indices = pd.DataFrame(index_rows, columns=["index", "n", "k", "alpha", "ci_low", "ci_high",
                                                "n_items_raising_alpha"])
    values = ["alpha", "ci_low", "ci_high", "n_items_raising_alpha"]
    if plan is not None:
        indices = apply_plan(indices, plan, responses, count_column="n", value_columns=values,
                             threshold=threshold)
    else:
        indices = suppress_small_cells(indices, count_column="n", value_columns=values,
                                       threshold=threshold, within=["index"])
    items_frame = pd.DataFrame(item_rows, columns=["index", "item", "n", "alpha_if_dropped",
                                                   "r_drop", "raises_alpha"])
    return ReliabilityTable(indices=indices, items=_hide_items(items_frame, indices))


def _hide_items(items_frame: pd.DataFrame, indices: pd.DataFrame) -> pd.DataFrame:
    """The item rows with the statistics of suppressed indices hidden, and without ``n``."""
    hidden = items_frame["index"].map(dict(zip(indices["index"], indices["suppressed"])))
    items_frame["raises_alpha"] = items_frame["raises_alpha"].astype("boolean").mask(hidden)
    for column in ("alpha_if_dropped", "r_drop"):
        items_frame[column] = items_frame[column].mask(hidden)
    items_frame["suppressed"] = hidden.astype(bool)
    return items_frame.drop(columns="n")


__all__ = ["ReliabilityTable", "index_reliability", "index_scores", "index_summary", "scored_items"]
