"""Two-sample comparisons and tests of independence.

:func:`compare_groups` compares two independent samples (Mann–Whitney U with the rank-biserial
correlation, Welch's interval of the difference in means, Cohen's d); :func:`crosstab_test` is
Pearson's chi-square test of a two-way table with Cramér's V and adjusted residuals.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.errors import InsufficientDataError
from evaluation.stats.intervals import check_confidence_level
from evaluation.stats.results import ConfidenceInterval, CrosstabResult, GroupComparison


def compare_groups(
    a,
    b,
    *,
    alternative: str = "two-sided",
    method: str = "auto",
    confidence_level: float = 0.95,
) -> GroupComparison:
    """Compare two independent samples: Mann–Whitney U, rank-biserial r, Welch interval, Cohen's d.

    Parameters
    ----------
    a, b : array-like of float
        The two samples (for a change over time, ``a`` is the later wave). Missing values are
        dropped.
    alternative : {"two-sided", "greater", "less"}
        Alternative hypothesis of the Mann–Whitney test; ``"greater"`` means values of ``a``
        tend to be larger.
    method : {"auto", "exact", "asymptotic"}
        P-value of the Mann–Whitney test: ``"auto"`` (default) chooses as SciPy does (see
        Notes); the others force the exact distribution or the normal approximation.
    confidence_level : float
        Level of the Welch interval of the difference in means.

    Returns
    -------
    GroupComparison
        ``statistic`` (U of ``a``), ``p_value``, ``effect_size`` (rank-biserial), ``n_a``,
        ``n_b``, ``method``, ``mean_a``, ``mean_b``, ``mean_difference``, ``ci`` (Welch),
        ``welch_df``, ``cohens_d``, ``alternative``.

    Raises
    ------
    InsufficientDataError
        If a sample has fewer than two values.
    ValueError
        For an unknown ``alternative`` or a bad level.

    Notes
    -----
    *Mann–Whitney U* of ``a`` is the number of pairs ``(a_i, b_j)`` with ``a_i > b_j`` plus half
    the ties. The p-value is computed as ``scipy.stats.mannwhitneyu(a, b, method="auto")``
    does: the exact distribution when one sample has at most 8 values and there are no ties,
    otherwise the normal approximation with tie-corrected variance and a continuity correction
    of 1/2 — the same choice and numbers as R's ``wilcox.test(a, b)`` (whose W is this U).

    *Rank-biserial correlation* ``r = 2U/(n_a n_b) - 1 = P(a > b) - P(a < b)``: +1 when every
    value of ``a`` exceeds every value of ``b``, -1 in the opposite case, 0 for no shift.

    *Welch interval*: ``mean_a - mean_b ± t_{(1+level)/2, ν} sqrt(s_a²/n_a + s_b²/n_b)`` with
    Welch–Satterthwaite ``ν``; as R's ``t.test(a, b)``.

    *Cohen's d* divides the difference by the pooled standard deviation
    ``sqrt(((n_a - 1) s_a² + (n_b - 1) s_b²) / (n_a + n_b - 2))`` (no small-sample correction).

    References
    ----------
    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50–60.

    Kerby, D. S. (2014). The simple difference formula: an approach to teaching
    nonparametric correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.

    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35.

    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.).
    Lawrence Erlbaum.
    """
    if alternative not in ("two-sided", "greater", "less"):
        raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")
    if method not in ("auto", "exact", "asymptotic"):
        raise ValueError(f"method must be 'auto', 'exact' or 'asymptotic', got {method!r}")
    level = check_confidence_level(confidence_level)
    x, y = _sample(a), _sample(b)
    n_a, n_b = len(x), len(y)
    if n_a < 2 or n_b < 2:
        raise InsufficientDataError(
            f"need at least two values in each sample to compare them, got {n_a} and {n_b}"
        )
    u, p_value, method = _mann_whitney(x, y, alternative=alternative, method=method)
    difference, ci, df = _welch_interval(x, y, level)
    return GroupComparison(
        statistic=u,
        p_value=p_value,
        effect_size=2 * u / (n_a * n_b) - 1,
        n_a=n_a,
        n_b=n_b,
        method=method,
        mean_a=float(x.mean()),
        mean_b=float(y.mean()),
        mean_difference=difference,
        ci=ci,
        welch_df=float(df),
        cohens_d=float(_cohens_d(x, y)),
        alternative=alternative,
    )


def _sample(values) -> np.ndarray:
    """The values as a float array, non-numbers and missing values dropped."""
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").astype(float)
    array = np.asarray(numbers, dtype=float)
    return array[~np.isnan(array)]


def _mann_whitney(x: np.ndarray, y: np.ndarray, *, alternative: str,
                  method: str) -> tuple[float, float, str]:
    """Mann–Whitney U of ``x``, its p-value and the method used (``"auto"`` resolved as SciPy)."""
    ties = len(np.unique(np.concatenate([x, y]))) < len(x) + len(y)
    if method == "auto":
        method = "asymptotic" if (len(x) > 8 and len(y) > 8) or ties else "exact"
    test = stats.mannwhitneyu(x, y, alternative=alternative, method=method, use_continuity=True)
    return float(test.statistic), float(test.pvalue), method


def _welch_interval(x: np.ndarray, y: np.ndarray,
                    level: float) -> tuple[float, ConfidenceInterval, float]:
    """Difference in means, its Welch interval and the Welch–Satterthwaite degrees of freedom."""
    n_a, n_b = len(x), len(y)
    se2_a, se2_b = float(x.var(ddof=1)) / n_a, float(y.var(ddof=1)) / n_b
    se = math.sqrt(se2_a + se2_b)
    difference = float(x.mean()) - float(y.mean())
    if se > 0:
        df = (se2_a + se2_b) ** 2 / (se2_a**2 / (n_a - 1) + se2_b**2 / (n_b - 1))
        half = stats.t.ppf((1 + level) / 2, df) * se
        return difference, ConfidenceInterval(difference - half, difference + half), df
    return difference, ConfidenceInterval(difference, difference), math.nan


def _cohens_d(x: np.ndarray, y: np.ndarray) -> float:
    """Difference in means over the pooled standard deviation; NaN when that is 0."""
    n_a, n_b = len(x), len(y)
    var_a, var_b = float(x.var(ddof=1)), float(y.var(ddof=1))
    pooled = math.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2))
    difference = float(x.mean()) - float(y.mean())
    return difference / pooled if pooled > 0 else math.nan


def crosstab_test(table) -> CrosstabResult:
    """Pearson chi-square test of independence for a two-way table of counts.

    Parameters
    ----------
    table : pandas.DataFrame or 2-D array of int
        Counts; rows and columns are the two variables' categories.

    Returns
    -------
    CrosstabResult
        ``statistic``, ``p_value``, ``dof``, ``cramers_v``, ``expected`` and
        ``standardized_residuals`` (frames labelled like ``table``).

    Raises
    ------
    ValueError
        If the table is not two-way with at least 2 rows and 2 columns, or has negative
        counts.
    InsufficientDataError
        If a row or column sums to zero (an expected count of 0).

    Notes
    -----
    :math:`X^2 = \\sum (O - E)^2 / E` with :math:`E_{ij} = r_i c_j / N`, compared with the
    chi-square distribution on :math:`(R-1)(C-1)` degrees of freedom, **without** Yates'
    continuity correction (also for 2 x 2 tables; R's ``chisq.test(x, correct = FALSE)``).
    Standardized residuals are :math:`(O - E) / \\sqrt{E (1 - r_i/N)(1 - c_j/N)}`
    (R's ``$stdres``); Cramér's :math:`V = \\sqrt{X^2 / (N (\\min(R, C) - 1))}`.

    References
    ----------
    Agresti, A. (2007). *An Introduction to Categorical Data Analysis* (2nd ed.). Wiley,
    sections 2.4.3–2.4.5.

    Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press, p. 282.
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
    stdres = (observed - expected) / np.sqrt(
        expected * np.outer(1 - rows / total, 1 - cols / total)
    )
    v = math.sqrt(statistic / (total * (min(observed.shape) - 1)))
    return CrosstabResult(
        statistic=float(statistic),
        p_value=float(p_value),
        dof=int(dof),
        cramers_v=v,
        expected=pd.DataFrame(expected, index=frame.index, columns=frame.columns),
        standardized_residuals=pd.DataFrame(stdres, index=frame.index, columns=frame.columns),
    )


__all__ = ["compare_groups", "crosstab_test"]
