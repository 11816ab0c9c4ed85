"""Result objects of the general statistics: small, frozen, with one field vocabulary.

Every result names its p-value ``p_value`` and its interval ``ci`` (a :class:`ConfidenceInterval`
``(low, high)``), as the columns of the survey and interview frames do (``p_value``, ``ci_low``,
``ci_high``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd


class ConfidenceInterval(NamedTuple):
    """A confidence interval ``(low, high)``."""

    low: float
    high: float


class MeanInterval(NamedTuple):
    """Mean, sample standard deviation and t interval of the mean.

    See :func:`evaluation.stats.intervals.mean_sd_ci`.
    """

    mean: float
    sd: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True, eq=False)
class AlphaResult:
    """Cronbach's alpha of a set of items (see :func:`cronbach_alpha`).

    Attributes
    ----------
    alpha : float
        Raw coefficient alpha.
    ci : ConfidenceInterval
        Feldt confidence interval ``(low, high)``.
    n : int
        Number of respondents used (rows with at least one answer; complete rows for
        ``nan_policy="listwise"``).
    k : int
        Number of items used.
    item_dropped : pandas.DataFrame
        Indexed by item, columns ``alpha_if_dropped`` (alpha of the other items) and
        ``r_drop`` (corrected item–total correlation: the item against the sum of the others).
    confidence_level : float
        Confidence level of ``ci``.
    constant_items : tuple of str
        Items without variance, left out as R's ``psych::alpha`` does.
    """

    alpha: float
    ci: ConfidenceInterval
    n: int
    k: int
    item_dropped: pd.DataFrame = field(repr=False)
    confidence_level: float = 0.95
    constant_items: tuple[str, ...] = ()

    def items_raising_alpha(self) -> list[str]:
        """Items whose removal would raise alpha (``alpha_if_dropped > alpha``)."""
        frame = self.item_dropped
        return [str(i) for i in frame.index[frame["alpha_if_dropped"] > self.alpha]]

@dataclass(frozen=True)
class GroupComparison:
    """Comparison of two independent samples (see :func:`compare_groups`).

    Attributes
    ----------
    statistic : float
        Mann–Whitney U of the first sample ``a``.
    p_value : float
        P-value of the Mann–Whitney test for ``alternative``.
    effect_size : float
        Rank-biserial correlation ``2 U / (n_a n_b) - 1``, in [-1, 1]; positive when values of
        ``a`` tend to be larger than values of ``b``.
    n_a, n_b : int
        Sample sizes after dropping missing values.
    method : str
        ``"exact"`` or ``"asymptotic"``: how the p-value was computed.
    mean_a, mean_b : float
        Sample means.
    mean_difference : float
        ``mean_a - mean_b``.
    ci : ConfidenceInterval
        Welch confidence interval of ``mean_difference``.
    welch_df : float
        Welch–Satterthwaite degrees of freedom.
    cohens_d : float
        ``mean_difference`` divided by the pooled standard deviation.
    alternative : str
        The alternative hypothesis of ``p_value``.
    """

    statistic: float
    p_value: float
    effect_size: float
    n_a: int
    n_b: int
    method: str
    mean_a: float
    mean_b: float
    mean_difference: float
    ci: ConfidenceInterval
    welch_df: float
    cohens_d: float
    alternative: str = "two-sided"

@dataclass(frozen=True, eq=False)
class CrosstabResult:
    """Pearson chi-square test of independence (see :func:`crosstab_test`).

    Attributes
    ----------
    statistic : float
        Pearson's X-squared, without continuity correction.
    p_value : float
        Upper-tail p-value from the chi-square distribution with ``dof`` degrees of freedom.
    dof : int
        ``(rows - 1) (columns - 1)``.
    cramers_v : float
        Cramér's V, ``sqrt(X² / (N (min(rows, columns) - 1)))``.
    expected : pandas.DataFrame
        Expected counts under independence, same shape and labels as the table.
    standardized_residuals : pandas.DataFrame
        Adjusted (standardized) residuals, as R's ``chisq.test(...)$stdres``.
    """

    statistic: float
    p_value: float
    dof: int
    cramers_v: float
    expected: pd.DataFrame = field(repr=False)
    standardized_residuals: pd.DataFrame = field(repr=False)


__all__ = ["AlphaResult", "ConfidenceInterval", "CrosstabResult", "GroupComparison", "MeanInterval"]
