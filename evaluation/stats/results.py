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
class EffectSize:
    """A standardised effect size with its interval and a magnitude in words.

    See :func:`evaluation.stats.effect_sizes.hedges_g`.

    Attributes
    ----------
    estimate : float
        The effect size (Hedges' g: the difference in means in pooled standard deviations,
        bias-corrected).
    ci : ConfidenceInterval
        Its confidence interval ``(low, high)``.
    magnitude : str
        Cohen's benchmark of ``|estimate|``: one of the ids of
        :data:`evaluation.stats.effect_sizes.MAGNITUDES` (``"negligible"``, ``"small"``,
        ``"medium"``, ``"large"``); report text translates the id.
    method : str
        What the estimate is, e.g. ``"hedges_g"``.
    se : float
        Standard error of ``estimate`` (the square root of its large-sample variance).
    confidence_level : float
        Level of ``ci``.
    """

    estimate: float
    ci: ConfidenceInterval
    magnitude: str
    method: str
    se: float
    confidence_level: float


@dataclass(frozen=True)
class GroupComparison:
    """Difference in means of two independent samples: Welch's t-test (see :func:`compare_groups`).

    One estimand, the difference in means ``mean_a - mean_b``: its test (``statistic``, ``df``,
    ``p_value``) and its interval (``ci``) come from the same Welch t distribution, so the
    interval excludes 0 exactly when the p-value is below ``1 - confidence_level``. ``effect``
    restates the same difference in pooled standard deviations.

    Attributes
    ----------
    statistic : float
        Welch's t of ``a - b``.
    df : float
        Welch–Satterthwaite degrees of freedom.
    p_value : float
        P-value of Welch's test for ``alternative``.
    n_a, n_b : int
        Sample sizes after dropping missing values.
    mean_a, mean_b : float
        Sample means.
    mean_difference : float
        ``mean_a - mean_b``.
    ci : ConfidenceInterval
        Welch confidence interval of ``mean_difference``; one-sided (an infinite bound) for a
        one-sided ``alternative``, as R's ``t.test``.
    effect : EffectSize
        Hedges' g of ``a`` against ``b`` with its interval and magnitude.
    alternative : str
        The alternative hypothesis of ``p_value`` and ``ci``.
    method : str
        ``"welch"``.
    confidence_level : float
        Level of ``ci`` (and of ``effect.ci``).
    """

    statistic: float
    df: float
    p_value: float
    n_a: int
    n_b: int
    mean_a: float
    mean_b: float
    mean_difference: float
    ci: ConfidenceInterval
    effect: EffectSize
    alternative: str = "two-sided"
    method: str = "welch"
    confidence_level: float = 0.95


@dataclass(frozen=True)
class RankComparison:
    """Rank-based comparison of two independent samples (see :func:`rank_comparison`).

    A sensitivity analysis beside the Welch comparison: it does not rest on means.

    Attributes
    ----------
    statistic : float
        Mann–Whitney U of the first sample ``a`` (R's ``W``).
    p_value : float
        P-value of the Mann–Whitney test for ``alternative``.
    method : str
        ``"exact"`` or ``"asymptotic"``: how the p-value was computed.
    rank_biserial : float
        Rank-biserial correlation ``2 U / (n_a n_b) - 1``, in [-1, 1]; positive when values of
        ``a`` tend to be larger than values of ``b``.
    hodges_lehmann : float
        Hodges–Lehmann shift: the median of all ``n_a n_b`` differences ``a_i - b_j``.
    n_a, n_b : int
        Sample sizes after dropping missing values.
    alternative : str
        The alternative hypothesis of ``p_value``.
    """

    statistic: float
    p_value: float
    method: str
    rank_biserial: float
    hodges_lehmann: float
    n_a: int
    n_b: int
    alternative: str = "two-sided"


@dataclass(frozen=True)
class ChangeComparison:
    """Difference between two changes, ``change_a - change_b`` (see :func:`compare_changes`).

    Attributes
    ----------
    change_a, change_b : float
        The two changes (later minus earlier).
    difference : float
        ``change_a - change_b``.
    se : float
        Standard error of ``difference``.
    df : float
        Satterthwaite degrees of freedom (``inf``: the normal distribution).
    statistic : float
        ``difference / se``.
    p_value : float
        Two-sided p-value from the t distribution with ``df`` degrees of freedom.
    ci : ConfidenceInterval
        The matching interval ``difference ± t se``.
    confidence_level : float
        Level of ``ci``.
    """

    change_a: float
    change_b: float
    difference: float
    se: float
    df: float
    statistic: float
    p_value: float
    ci: ConfidenceInterval
    confidence_level: float = 0.95

@dataclass(frozen=True, eq=False)
class CrosstabResult:
    """Test of independence of a two-way table (see :func:`crosstab_test`).

    Attributes
    ----------
    statistic : float
        Pearson's X-squared, without continuity correction (also when ``method`` is
        ``"fisher"``: it is the basis of Cramér's V).
    p_value : float
        P-value of the test named in ``method``: the upper tail of the chi-square distribution
        with ``dof`` degrees of freedom (``"pearson"``), or Fisher's exact two-sided p-value
        (``"fisher"``).
    dof : int
        ``(rows - 1) (columns - 1)``.
    cramers_v : float
        Cramér's V, ``sqrt(X² / (N (min(rows, columns) - 1)))``.
    expected : pandas.DataFrame
        Expected counts under independence, same shape and labels as the table.
    standardized_residuals : pandas.DataFrame
        Adjusted (standardized) residuals, as R's ``chisq.test(...)$stdres``.
    method : str
        ``"pearson"`` (chi-square test) or ``"fisher"`` (Fisher's exact test, used for a 2 x 2
        table with an expected count below 5).
    """

    statistic: float
    p_value: float
    dof: int
    cramers_v: float
    expected: pd.DataFrame = field(repr=False)
    standardized_residuals: pd.DataFrame = field(repr=False)
    method: str = "pearson"


__all__ = [
    "AlphaResult",
    "ChangeComparison",
    "ConfidenceInterval",
    "CrosstabResult",
    "EffectSize",
    "GroupComparison",
    "MeanInterval",
    "RankComparison",
]
