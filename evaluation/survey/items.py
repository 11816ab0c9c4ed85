"""Item frames: the distribution of answers over the scale and item summaries per group."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evaluation.privacy import suppress_small_cells
from evaluation.stats import check_confidence_level, mean_sd_ci, proportion_ci
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


def _scale_labels(scales: pd.DataFrame | None, lang: str) -> dict[tuple[str, int], str]:
    if scales is None:
        return {}
    column = f"label_{lang}"
    if column not in scales.columns:
        column = "label_nb"
    return {
        (str(row["scale"]), int(row["code"])): str(row[column])
        for _, row in scales.iterrows()
        if not pd.isna(row.get(column))
    }


def likert_distribution(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    scales: pd.DataFrame | None = None,
    lang: str = "nb",
    threshold: int,
    within: Sequence[str] | None = None,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Distribution of the answers over the scale levels, per item and group.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses (``survey/responses.csv``): item columns of raw codes.
    items : pandas.DataFrame
        Items with ``item_id, index, scale, scale_min, scale_max, dont_know_code``.
    by : str or sequence of str, optional
        Grouping columns of ``responses`` (e.g. ``["wave", "agency"]``), outermost first.
    scales : pandas.DataFrame, optional
        ``survey/scales.csv``, for the level labels; without it ``label`` is the code.
    lang : {"nb", "en"}
        Language of the labels.
    threshold : int
        Anonymity threshold; ``programme.anonymity_threshold``.
    within : sequence of str, optional
        Grouping columns whose rows add up to a shown total, for secondary suppression;
        by default all of ``by`` but the last (the last level's rows add up to the total of
        the level above). The item is always part of the group, and so is a ``wave`` column.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: rows of the cells it hides are suppressed, and it
        replaces this table's own complementary suppression (``within`` is then not used).
        The rows must name their pilot and wave (group by them, or pass responses of one).

    Returns
    -------
    pandas.DataFrame
        One row per group, item and scale level, in order: the ``by`` columns, ``item``,
        ``index``, ``level`` (the code), ``label``, ``count`` (answers at the level),
        ``share`` (``count / n_valid``), ``n_valid`` (answers on the scale), ``n_dont_know``
        ("vet ikke" answers), ``n`` (``n_valid + n_dont_know``), ``suppressed``. Rows of a
        suppressed group have every count and share missing.

    Raises
    ------
    DataContractError
        If an item column is missing from the responses or holds a code outside its scale.
    ValueError
        If a ``by`` column does not exist.

    Notes
    -----
    "Vet ikke" is excluded from the base: shares are of the answers on the scale, and the
    don't-know answers are reported as their own count. Suppression counts people: a group
    is suppressed when its ``n_valid`` is 1 to ``threshold - 1`` (the shares rest on those
    answers) or, when no one answered on the scale, its ``n`` (don't-know answers) is; a
    group of three who all answered "vet ikke" is hidden. Secondarily as
    :func:`evaluation.privacy.suppress_small_cells` decides, or as the ``plan`` decides.

    References
    ----------
    Bryer, J. and Speerschneider, K. (2016). *likert: Analysis and Visualization Likert
    Items*. R package (the ``likert()`` summary these rows reproduce).
    """
    by = as_columns(by, "by")
    check_by(responses, by)
    meta = item_meta(items)
    values = item_values(responses, meta)
    rows, units = _distribution_rows(responses.reset_index(drop=True), by, meta, values,
                                     _scale_labels(scales, lang))
    columns = [*by, "item", "index", "level", "label", "count", "share", "n_valid",
               "n_dont_know", "n"]
    result = pd.DataFrame(rows, columns=columns)
    unit_frame = pd.DataFrame(units, columns=[*by, "item", "n_valid", "n_dont_know", "n"])
    unit_frame["people"] = _people(unit_frame["n_valid"], unit_frame["n"])
    if plan is not None:
        unit_frame = apply_plan(unit_frame, plan, responses, count_column="people",
                                value_columns=["n_dont_know", "n"], threshold=threshold)
    else:
        unit_frame = suppress_small_cells(
            unit_frame, count_column="people", value_columns=["n_dont_know", "n"],
            threshold=threshold, within=default_within(by, within, ["item"]),
        )
    flags = unit_frame[[*by, "item", "suppressed"]]
    result = result.merge(flags, on=[*by, "item"], how="left", sort=False)
    for column in ("count", "n_valid", "n_dont_know", "n"):
        result[column] = result[column].astype("Int64").mask(result["suppressed"])
    result["share"] = result["share"].mask(result["suppressed"])
    result["level"] = result["level"].astype(int)
    return result


def _people(on_scale: pd.Series, answered: pd.Series) -> pd.Series:
    """The people count a group's suppression rests on: those who answered on the scale, or,
    when none did, those who answered at all ("vet ikke" included)."""
    return on_scale.where(on_scale > 0, answered).astype(int)


def _distribution_rows(frame: pd.DataFrame, by: list[str], meta: pd.DataFrame, values: dict,
                       labels: dict) -> tuple[list[tuple], list[tuple]]:
    """Rows of :func:`likert_distribution` (group, item, level) and the units to suppress.

    A unit is one group and item with its ``n_valid``, ``n_dont_know`` and ``n``.
    """
    rows = []
    units = []
    for key, positions in iter_groups(frame, by):
        for item in meta.itertuples(index=False):
            scale_values, dont_know = values[item.item_id]
            group_values = scale_values[positions]
            valid = group_values[~np.isnan(group_values)]
            n_valid = len(valid)
            n_dk = int(dont_know[positions].sum())
            units.append((*key, item.item_id, n_valid, n_dk, n_valid + n_dk))
            for level in range(item.scale_min, item.scale_max + 1):
                count = int((valid == level).sum())
                rows.append((
                    *key, item.item_id, item.index, level,
                    labels.get((str(getattr(item, "scale", "")), level), str(level)),
                    count, count / n_valid if n_valid else math.nan, n_valid, n_dk, n_valid + n_dk,
                ))
    return rows, units


def item_summary(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    confidence_level: float = 0.95,
    threshold: int,
    within: Sequence[str] | None = None,
    plan: DisclosurePlan | None = None,
) -> pd.DataFrame:
    """Mean, spread and top-/bottom-two-box shares per item and group.

    Parameters
    ----------
    responses, items : pandas.DataFrame
        As for :func:`likert_distribution`.
    by : str or sequence of str, optional
        Grouping columns of ``responses``, outermost first.
    confidence_level : float
        Level of the intervals, 0.95 by default.
    threshold : int
        Anonymity threshold.
    within : sequence of str, optional
        Secondary-suppression groups, as for :func:`likert_distribution`.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan: rows of the cells it hides are suppressed, and it
        replaces this table's own complementary suppression (``within`` is then not used).
        The rows must name their pilot and wave (group by them, or pass responses of one).

    Returns
    -------
    pandas.DataFrame
        One row per group and item: the ``by`` columns, ``item``, ``index``, ``n`` (answers on
        the scale), ``n_dont_know``, ``mean``, ``sd``, ``ci_low``, ``ci_high`` (of the mean),
        ``top2_share``, ``top2_ci_low``, ``top2_ci_high``, ``bottom2_share``,
        ``bottom2_ci_low``, ``bottom2_ci_high``, ``suppressed``.

    Notes
    -----
    Computed on the raw codes of the item's scale ("vet ikke" excluded), *not* reverse-keyed:
    a reverse-keyed item's mean is read against its own wording. ``sd`` uses the denominator
    n - 1; the interval of the mean is ``mean ± t_{(1+level)/2, n-1} sd / sqrt(n)``. The top-two
    box is the share of answers at the two highest levels (``scale_max - 1`` or more), the
    bottom-two box at the two lowest; their intervals are Wilson score intervals
    (:func:`proportion_ci`). Suppression counts people: groups with ``n`` (or, when no one
    answered on the scale, ``n_dont_know``) from 1 to ``threshold - 1`` are suppressed, and
    secondarily as :func:`evaluation.privacy.suppress_small_cells` (or the ``plan``) decides.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1–25.

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association*, 22(158), 209–212.
    """
    level = check_confidence_level(confidence_level)
    by = as_columns(by, "by")
    check_by(responses, by)
    meta = item_meta(items)
    values = item_values(responses, meta)
    rows = [
        (*key, item.item_id, item.index,
         *_item_statistics(values[item.item_id], positions, item, level))
        for key, positions in iter_groups(responses.reset_index(drop=True), by)
        for item in meta.itertuples(index=False)
    ]
    columns = [*by, "item", "index", "n", "n_dont_know", "mean", "sd", "ci_low", "ci_high",
               "top2_share", "top2_ci_low", "top2_ci_high", "bottom2_share", "bottom2_ci_low",
               "bottom2_ci_high"]
    result = pd.DataFrame(rows, columns=columns)
    result["people"] = _people(result["n"], result["n"] + result["n_dont_know"])
    values = ["n", *columns[len(by) + 3:]]
    if plan is not None:
        result = apply_plan(result, plan, responses, count_column="people",
                            value_columns=values, threshold=threshold)
    else:
        result = suppress_small_cells(result, count_column="people", value_columns=values,
                                      threshold=threshold,
                                      within=default_within(by, within, ["item"]))
    return result.drop(columns="people")


def _item_statistics(item_values: tuple[np.ndarray, np.ndarray], positions: np.ndarray, item,
                     level: float) -> tuple:
    """``n, n_dont_know, mean, sd, ci_low, ci_high`` and the top-/bottom-two-box shares with
    their Wilson intervals, of one item in one group."""
    scale_values, dont_know = item_values
    group_values = scale_values[positions]
    valid = group_values[~np.isnan(group_values)]
    n = len(valid)
    mean, sd, low, high = mean_sd_ci(valid, confidence_level=level)
    top = int((valid >= item.scale_max - 1).sum())
    bottom = int((valid <= item.scale_min + 1).sum())
    top_ci = proportion_ci(top, n, confidence_level=level)
    bottom_ci = proportion_ci(bottom, n, confidence_level=level)
    return (
        n, int(dont_know[positions].sum()),
        mean, sd, low, high,
        top / n if n else math.nan, top_ci.low, top_ci.high,
        bottom / n if n else math.nan, bottom_ci.low, bottom_ci.high,
    )


__all__ = ["item_summary", "likert_distribution"]
