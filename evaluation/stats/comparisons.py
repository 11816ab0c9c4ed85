"""Two-sample comparisons and tests of independence.

:func:`compare_groups` is the primary comparison of two independent samples: the difference in
means with Welch's t-test and its matching interval, restated as Hedges' g.
:func:`rank_comparison` is its rank-based sensitivity analysis (Mann–Whitney U, rank-biserial
correlation, Hodges–Lehmann shift). :func:`crosstab_test` is Pearson's chi-square test of a
two-way table (Fisher's exact test for a small 2 x 2 table) with Cramér's V and adjusted
residuals.
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.errors import InsufficientDataError, StatisticalWarning
from evaluation.stats._common import check_alternative, sample, satterthwaite_df, t_inference
from evaluation.stats.effect_sizes import hedges_g_from_summary
from evaluation.stats.intervals import check_confidence_level
from evaluation.stats.results import CrosstabResult, GroupComparison, RankComparison

EXACT_MAX_PAIRS = 10_000
"""Largest ``n_a * n_b`` for which :func:`rank_comparison` computes the exact Mann–Whitney
p-value. SciPy's exact distribution takes time growing with the square of ``n_a n_b``
(about 0.05 s at 10 000 pairs, 0.5 s at 22 500); at this size the normal approximation with
continuity correction agrees with the exact p-value to about the third decimal."""

MIN_EXPECTED_COUNT = 5
"""Smallest expected count for which :func:`crosstab_test` trusts the chi-square approximation:
Cochran's (1954) rule as R's ``chisq.test`` applies it (it warns when any expected count is
below 5)."""


def compare_groups(a, b, *, alternative: str = "two-sided",
                   confidence_level: float = 0.95) -> GroupComparison:
    """Difference in means of two independent samples: Welch's t-test, its interval and Hedges' g.

    Parameters
    ----------
    a, b : array-like of float
        The two samples (for a change over time, ``a`` is the later wave). Missing values are
        dropped.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis about ``mean_a - mean_b`` (``"greater"``: a's mean is larger).
    confidence_level : float
        Level of the interval of the difference (and of Hedges' g), 0.95 by default.

    Returns
    -------
    GroupComparison
        ``statistic`` (Welch's t of a - b), ``df``, ``p_value``, ``n_a``, ``n_b``, ``mean_a``,
        ``mean_b``, ``mean_difference``, ``ci`` (the matching Welch interval), ``effect``
        (:class:`EffectSize`: Hedges' g, its interval and magnitude), ``alternative``,
        ``method`` (``"welch"``), ``confidence_level``.

    Raises
    ------
    InsufficientDataError
        If a sample has fewer than two values, or neither sample varies (Welch's t and Hedges'
        g are then undefined; the message says so).
    ValueError
        For an unknown ``alternative``, a bad level or a value that is not a number.

    Notes
    -----
    *Welch's t-test* (unequal variances): with :math:`v_a = s_a^2 / n_a` and
    :math:`v_b = s_b^2 / n_b`, :math:`t = (\\bar x_a - \\bar x_b) / \\sqrt{v_a + v_b}` on the
    Welch–Satterthwaite degrees of freedom
    :math:`\\nu = (v_a + v_b)^2 / (v_a^2 / (n_a - 1) + v_b^2 / (n_b - 1))`. The interval is
    :math:`\\bar x_a - \\bar x_b \\pm t_{(1 + \\text{level})/2, \\nu} \\sqrt{v_a + v_b}`; for a
    one-sided ``alternative`` it is the matching one-sided interval
    (``(low, inf)`` for ``"greater"``, ``(-inf, high)`` for ``"less"``, with the quantile
    :math:`t_{\\text{level}, \\nu}`), as R's ``t.test(a, b)`` reports.

    *Hedges' g* is :func:`evaluation.stats.effect_sizes.hedges_g_from_summary` of the two
    samples; its interval is always two-sided.

    For a rank-based sensitivity analysis of the same two samples see :func:`rank_comparison`.

    References
    ----------
    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35.

    Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance
    components. *Biometrics Bulletin*, 2(6), 110–114.

    Borenstein, M., Hedges, L. V., Higgins, J. P. T. and Rothstein, H. R. (2009).
    *Introduction to Meta-Analysis*. Wiley, chapter 4.

    Examples
    --------
    R's ``t.test(extra ~ group, data = sleep)``: t = -1.8608, df = 17.776, p-value = 0.07939.

    >>> result = compare_groups([0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0],
    ...                         [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4])
    >>> round(result.statistic, 4), round(result.df, 3), round(result.p_value, 5)
    (-1.8608, 17.776, 0.07939)
    """
    check_alternative(alternative)
    level = check_confidence_level(confidence_level)
    x, y = sample(a, name="a"), sample(b, name="b")
    n_a, n_b = len(x), len(y)
    if n_a < 2 or n_b < 2:
        raise InsufficientDataError(
            f"need at least two values in each sample to compare them, got {n_a} and {n_b}")
    mean_a, mean_b = float(x.mean()), float(y.mean())
    sd_a, sd_b = float(x.std(ddof=1)), float(y.std(ddof=1))
    if sd_a == 0 and sd_b == 0:
        raise InsufficientDataError(
            f"neither sample varies (every value of a is {mean_a:g}, every value of b is "
            f"{mean_b:g}): Welch's t-test and Hedges' g are undefined without variance; report "
            "the two means without a test")
    v_a, v_b = sd_a**2 / n_a, sd_b**2 / n_b
    df = satterthwaite_df([v_a, v_b], [n_a - 1, n_b - 1])
    difference = mean_a - mean_b
    statistic, p_value, ci = t_inference(difference, math.sqrt(v_a + v_b), df,
                                         alternative=alternative, level=level)
    effect = hedges_g_from_summary(mean_a, sd_a, n_a, mean_b, sd_b, n_b, confidence_level=level)
    return GroupComparison(
        statistic=statistic, df=df, p_value=p_value, n_a=n_a, n_b=n_b, mean_a=mean_a,
        mean_b=mean_b, mean_difference=difference, ci=ci, effect=effect,
        alternative=alternative, method="welch", confidence_level=level,
    )


def rank_comparison(a, b, *, alternative: str = "two-sided",
                    method: str = "auto") -> RankComparison:
    """Rank-based comparison of two independent samples: Mann–Whitney U and Hodges–Lehmann shift.

    The sensitivity analysis of :func:`compare_groups`: it asks whether values of ``a`` tend to
    be larger than values of ``b`` without resting on means.

    Parameters
    ----------
    a, b : array-like of float
        The two samples; missing values are dropped.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis; ``"greater"`` means values of ``a`` tend to be larger.
    method : {"auto", "exact", "asymptotic"}
        How the p-value is computed (see Notes).

    Returns
    -------
    RankComparison
        ``statistic`` (U of ``a``), ``p_value``, ``method`` (``"exact"`` or
        ``"asymptotic"``, the one used), ``rank_biserial``, ``hodges_lehmann``, ``n_a``,
        ``n_b``, ``alternative``.

    Raises
    ------
    InsufficientDataError
        If a sample is empty, or every value of both samples is the same (the ranks then carry
        no information).
    ValueError
        For an unknown ``alternative`` or ``method``, or a value that is not a number.

    Warns
    -----
    StatisticalWarning
        When ``method="exact"`` cannot be honoured: with ties (the exact distribution assumes
        none; R's ``wilcox.test`` falls back in the same way) or with more than
        :data:`EXACT_MAX_PAIRS` pairs ``n_a n_b``. The normal approximation is used and
        ``method`` reports ``"asymptotic"``.

    Notes
    -----
    *Mann–Whitney U* of ``a`` is the number of pairs ``(a_i, b_j)`` with ``a_i > b_j`` plus half
    the ties (R's ``W``). ``method="auto"`` chooses as ``scipy.stats.mannwhitneyu`` does — the
    exact distribution when one sample has at most 8 values and there are no ties — and in
    addition only while ``n_a n_b <= EXACT_MAX_PAIRS``; otherwise the normal approximation
    with tie-corrected variance and a continuity correction of 1/2. R's ``wilcox.test`` chooses
    the exact distribution more often (both samples under 50 values, no ties); where both rules
    choose the same method the p-values agree with R's.

    *Rank-biserial correlation* ``r = 2U/(n_a n_b) - 1 = P(a > b) - P(a < b)``: +1 when every
    value of ``a`` exceeds every value of ``b``, -1 in the opposite case, 0 for no shift.

    *Hodges–Lehmann shift*: the median of the ``n_a n_b`` differences ``a_i - b_j``, the
    estimate R's ``wilcox.test(a, b, conf.int = TRUE)`` reports as "difference in location" in
    the exact case.

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50–60.

    Hodges, J. L. and Lehmann, E. L. (1963). Estimates of location based on rank tests.
    *Annals of Mathematical Statistics*, 34(2), 598–611.

    Kerby, D. S. (2014). The simple difference formula: an approach to teaching
    nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.

    Examples
    --------
    >>> result = rank_comparison([19, 22, 16, 29, 24], [20, 11, 17, 12])
    >>> result.statistic, result.method, round(result.p_value, 4), result.hodges_lehmann
    (17.0, 'exact', 0.1111, 7.0)
    """
    check_alternative(alternative)
    if method not in ("auto", "exact", "asymptotic"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymptotic', got {method!r}")
    x, y = sample(a, name="a"), sample(b, name="b")
    n_a, n_b = len(x), len(y)
    if n_a == 0 or n_b == 0:
        raise InsufficientDataError(f"need values in both samples, got {n_a} and {n_b}")
    pooled = np.concatenate([x, y])
    if np.all(pooled == pooled[0]):
        raise InsufficientDataError(
            f"every value of both samples is {pooled[0]:g}: the ranks carry no information")
    used = _rank_method(method, n_a, n_b, ties=len(np.unique(pooled)) < n_a + n_b)
    test = stats.mannwhitneyu(x, y, alternative=alternative, method=used, use_continuity=True)
    u = float(test.statistic)
    return RankComparison(
        statistic=u, p_value=float(test.pvalue), method=used,
        rank_biserial=2 * u / (n_a * n_b) - 1,
        hodges_lehmann=float(np.median(np.subtract.outer(x, y))),
        n_a=n_a, n_b=n_b, alternative=alternative,
    )


def _rank_method(method: str, n_a: int, n_b: int, *, ties: bool) -> str:
    """The method :func:`rank_comparison` uses; warns when an exact request cannot be met."""
    too_large = n_a * n_b > EXACT_MAX_PAIRS
    if method == "auto":
        small = min(n_a, n_b) <= 8
        return "exact" if small and not ties and not too_large else "asymptotic"
    if method == "exact" and (ties or too_large):
        reason = ("the samples have ties, and the exact distribution of U assumes none"
                  if ties else f"n_a * n_b = {n_a * n_b} pairs is above the exact limit of "
                  f"{EXACT_MAX_PAIRS}")
        warnings.warn(f"exact Mann–Whitney p-value not computed: {reason}; using the normal "
                      "approximation (tie-corrected, continuity-corrected) instead",
                      StatisticalWarning, stacklevel=3)
        return "asymptotic"
    return method


def crosstab_test(table) -> CrosstabResult:
    """Test of independence of a two-way table of counts: Pearson's chi-square, or Fisher's exact.

    Parameters
    ----------
    table : pandas.DataFrame or 2-D array of int
        Counts; rows and columns are the two variables' categories.

    Returns
    -------
    CrosstabResult
        ``statistic`` (Pearson's X²), ``p_value``, ``dof``, ``cramers_v``, ``expected`` and
        ``standardized_residuals`` (frames labelled like ``table``), ``method``
        (``"pearson"`` or ``"fisher"``: where ``p_value`` comes from).

    Raises
    ------
    ValueError
        If the table is not two-way with at least 2 rows and 2 columns, or has negative
        counts.
    InsufficientDataError
        If a row or column sums to zero (an expected count of 0).

    Warns
    -----
    StatisticalWarning
        When an expected count is below :data:`MIN_EXPECTED_COUNT` and Fisher's test cannot
        replace the chi-square test (a table larger than 2 x 2, or counts that are not whole
        numbers): the chi-square p-value may then be inaccurate.

    Notes
    -----
    :math:`X^2 = \\sum (O - E)^2 / E` with :math:`E_{ij} = r_i c_j / N`, compared with the
    chi-square distribution on :math:`(R-1)(C-1)` degrees of freedom, **without** Yates'
    continuity correction (also for 2 x 2 tables; R's ``chisq.test(x, correct = FALSE)``).
    Standardized residuals are :math:`(O - E) / \\sqrt{E (1 - r_i/N)(1 - c_j/N)}`
    (R's ``$stdres``); Cramér's :math:`V = \\sqrt{X^2 / (N (\\min(R, C) - 1))}`.

    *Small expected counts*: when any expected count is below 5 (Cochran's rule, as R's
    ``chisq.test`` warns), a 2 x 2 table of whole counts gets Fisher's exact test instead
    (two-sided: the probability of the tables, given the margins, no more likely than the one
    observed; ``scipy.stats.fisher_exact``, as R's ``fisher.test``), and ``method`` says
    ``"fisher"``; ``statistic``, ``dof`` and Cramér's V stay Pearson's.

    References
    ----------
    Agresti, A. (2007). *An Introduction to Categorical Data Analysis* (2nd ed.). Wiley,
    sections 2.4.3–2.4.5 and 2.6 (Fisher's exact test).

    Cochran, W. G. (1954). Some methods for strengthening the common χ² tests. *Biometrics*,
    10(4), 417–451.

    Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press, p. 282.

    Fisher, R. A. (1935). The logic of inductive inference. *Journal of the Royal Statistical
    Society*, 98(1), 39–82.
    """
    frame = table if isinstance(table, pd.DataFrame) else pd.DataFrame(np.asarray(table))
    observed = frame.to_numpy(dtype=float)
    if observed.ndim != 2 or min(observed.shape) < 2:
        raise ValueError("need a two-way table with at least two rows and two columns")
    if np.any(observed < 0) or np.any(np.isnan(observed)):
        raise ValueError("counts must be non-negative numbers")
    total = observed.sum()
    rows, cols = observed.sum(axis=1), observed.sum(axis=0)
    if np.any(rows == 0) or np.any(cols == 0):
        raise InsufficientDataError("a row or column of the table has no observations")
    statistic, p_value, dof, expected = stats.chi2_contingency(observed, correction=False)
    p_value, method = _small_expected_counts(observed, expected, float(p_value))
    stdres = (observed - expected) / np.sqrt(
        expected * np.outer(1 - rows / total, 1 - cols / total)
    )
    v = math.sqrt(statistic / (total * (min(observed.shape) - 1)))
    return CrosstabResult(
        statistic=float(statistic),
        p_value=p_value,
        dof=int(dof),
        cramers_v=v,
        expected=pd.DataFrame(expected, index=frame.index, columns=frame.columns),
        standardized_residuals=pd.DataFrame(stdres, index=frame.index, columns=frame.columns),
        method=method,
    )


def _small_expected_counts(observed: np.ndarray, expected: np.ndarray,
                           p_value: float) -> tuple[float, str]:
    """The p-value and its method: Fisher's for a small 2 x 2 table, else Pearson's (warned)."""
    small = expected < MIN_EXPECTED_COUNT
    if not small.any():
        return p_value, "pearson"
    whole = bool(np.all(observed == np.round(observed)))
    if observed.shape == (2, 2) and whole:
        fisher = stats.fisher_exact(observed.astype(np.int64), alternative="two-sided")
        return float(fisher.pvalue), "fisher"
    why = ("the table is larger than 2 x 2" if observed.shape != (2, 2)
           else "the counts are not whole numbers")
    warnings.warn(
        f"{int(small.sum())} of {small.size} expected counts are below {MIN_EXPECTED_COUNT} "
        f"(smallest {expected.min():.3g}): the chi-square p-value may be inaccurate, and Fisher's "
        f"exact test is not used because {why}; consider merging categories",
        StatisticalWarning, stacklevel=3)
    return p_value, "pearson"


__all__ = ["EXACT_MAX_PAIRS", "MIN_EXPECTED_COUNT", "compare_groups", "crosstab_test",
           "rank_comparison"]
