"""Employee-survey analysis: Likert distributions, item and index statistics, reliability, tests.

Responses arrive wide, one column per item (``Q01`` …), holding the raw code of the item's scale
as a nullable integer: ``<NA>`` is *not answered*, the scale's ``dont_know_code`` is *"vet
ikke"* (don't know). A don't-know answer is never a scale value: it is counted on its own
(``n_dont_know``) and left out of every base, share and mean. Reverse-keyed items are scored
``scale_min + scale_max - code`` before they enter an index or a reliability analysis.

Every grouped output carries its number of respondents and a ``suppressed`` flag: groups below
the anonymity threshold (``programme.anonymity_threshold``, 5 by default) are hidden, together
with the complementary cells that would let a reader recover them by subtraction (see
:mod:`evaluation.privacy`).

The statistics follow the reference implementations named in each docstring — R's ``psych``
and ``stats`` packages and SciPy — and the tests reproduce their documented examples.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.errors import DataContractError, DataProblem, InsufficientDataError
from evaluation.privacy import DEFAULT_THRESHOLD, suppress_small_cells

ITEMS_FILE = "survey/items.csv"
RESPONSES_FILE = "survey/responses.csv"
POPULATION_FILE = "survey/population.csv"

_ITEM_COLUMNS = ("item_id", "index", "scale_min", "scale_max", "dont_know_code")
_WAVE_ORDER = ("baseline", "midterm", "final")
COMPARISONS = (("baseline", "midterm"), ("baseline", "final"), ("midterm", "final"))
"""Wave comparisons made by :func:`compare_waves`, as ``(from_role, to_role)``."""


# --------------------------------------------------------------------------------------------
# small results
# --------------------------------------------------------------------------------------------


class ConfidenceInterval(NamedTuple):
    """A confidence interval ``(low, high)``."""

    low: float
    high: float


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
    pvalue : float
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
        The alternative hypothesis of ``pvalue``.
    """

    statistic: float
    pvalue: float
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
    pvalue : float
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
    pvalue: float
    dof: int
    cramers_v: float
    expected: pd.DataFrame = field(repr=False)
    standardized_residuals: pd.DataFrame = field(repr=False)


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


# --------------------------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------------------------


def _check_level(confidence_level: float) -> float:
    if not isinstance(confidence_level, (int, float)) or not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be between 0 and 1, got {confidence_level!r}")
    return float(confidence_level)


def _as_columns(value: str | Sequence[str] | None, name: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        return list(value)
    except TypeError:
        raise ValueError(f"{name} must be a column name or a sequence of them") from None


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], file: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataContractError(
            [DataProblem(file, None, c, "column is missing", "the column of the data contract")
             for c in missing]
        )


def _check_by(frame: pd.DataFrame, by: list[str]) -> None:
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise ValueError(f"grouping column(s) {missing} not in the responses; they have "
                         f"{[c for c in frame.columns]}")


def _item_meta(items: pd.DataFrame) -> pd.DataFrame:
    """Validated item metadata, one row per item, in file order."""
    _require_columns(items, _ITEM_COLUMNS, ITEMS_FILE)
    meta = items.reset_index(drop=True).copy()
    problems = []
    for position, row in meta.iterrows():
        line = int(position) + 2
        for column in ("scale_min", "scale_max"):
            if pd.isna(row[column]):
                problems.append(DataProblem(ITEMS_FILE, line, column, "missing scale bound",
                                            "the scale's smallest and largest level"))
        if not (pd.isna(row["scale_min"]) or pd.isna(row["scale_max"])) and (
            row["scale_min"] >= row["scale_max"]
        ):
            problems.append(DataProblem(ITEMS_FILE, line, "scale_max",
                                        "scale has fewer than two levels",
                                        "scale_max greater than scale_min"))
    if meta["item_id"].duplicated().any():
        position = int(np.flatnonzero(meta["item_id"].duplicated().to_numpy())[0])
        problems.append(DataProblem(ITEMS_FILE, position + 2, "item_id", "duplicate item id",
                                    "each item once"))
    if problems:
        raise DataContractError(problems)
    if "reverse_keyed" not in meta.columns:
        meta["reverse_keyed"] = False
    meta["reverse_keyed"] = meta["reverse_keyed"].fillna(False).astype(bool)
    meta["scale_min"] = meta["scale_min"].astype(int)
    meta["scale_max"] = meta["scale_max"].astype(int)
    return meta


def _item_values(responses: pd.DataFrame, meta: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Per item: (scale values as float with NaN for missing/don't know, don't-know mask).

    Raises DataContractError listing every code outside the item's scale.
    """
    _require_columns(responses, list(meta["item_id"]), RESPONSES_FILE)
    result = {}
    problems: list[DataProblem] = []
    for row in meta.itertuples(index=False):
        raw = pd.to_numeric(responses[row.item_id], errors="coerce").astype("Float64")
        values = raw.to_numpy(dtype=float, na_value=np.nan)
        present = ~np.isnan(values)
        dont_know = np.zeros(len(values), dtype=bool)
        if not pd.isna(row.dont_know_code):
            dont_know = present & (values == float(row.dont_know_code))
        on_scale = present & (values >= row.scale_min) & (values <= row.scale_max) & (
            values == np.round(values)
        )
        bad = present & ~on_scale & ~dont_know
        # a non-numeric cell (coerced to NaN) is also a contract violation
        text_bad = responses[row.item_id].notna().to_numpy() & ~present
        for position in np.flatnonzero(bad | text_bad)[:20]:
            problems.append(DataProblem(
                RESPONSES_FILE, int(position) + 2, row.item_id,
                f"code {responses[row.item_id].iloc[position]!r} is not on the item's scale",
                f"an integer from {row.scale_min} to {row.scale_max}"
                + ("" if pd.isna(row.dont_know_code) else f" or {int(row.dont_know_code)} (vet ikke)")
                + ", or empty",
            ))
        scale_values = np.where(on_scale, values, np.nan)
        result[row.item_id] = (scale_values, dont_know)
    if problems:
        raise DataContractError(problems)
    return result


def _groups(frame: pd.DataFrame, by: list[str]):
    """Yield ``(key_tuple, positions)`` for each group in sorted order."""
    if not by:
        yield (), np.arange(len(frame))
        return
    grouped = frame.reset_index(drop=True).groupby(by, sort=True, dropna=False, observed=True)
    for key, positions in grouped.indices.items():
        key = key if isinstance(key, tuple) else (key,)
        yield key, np.asarray(positions)


def _default_within(by: list[str], within: Sequence[str] | None, lead: Sequence[str]) -> list[str]:
    if within is not None:
        return [*lead, *_as_columns(within, "within")]
    return [*lead, *by[:-1]]


# --------------------------------------------------------------------------------------------
# basic statistics
# --------------------------------------------------------------------------------------------


def proportion_ci(successes, n, *, confidence_level: float = 0.95) -> ConfidenceInterval:
    """Wilson score interval for a binomial proportion, without continuity correction.

    Parameters
    ----------
    successes : int or array of int
        Number of successes.
    n : int or array of int
        Number of trials; where it is 0 the interval is missing (NaN).
    confidence_level : float
        Confidence level, 0.95 by default.

    Returns
    -------
    ConfidenceInterval
        ``(low, high)``, floats or arrays broadcast from the inputs.

    Raises
    ------
    ValueError
        If a count is negative, ``successes > n``, or the level is not in (0, 1).

    Notes
    -----
    With :math:`\\hat p = x/n` and :math:`z = \\Phi^{-1}((1 + \\text{level})/2)`, the limits are

    .. math::

        \\frac{\\hat p + z^2/(2n) \\pm z\\sqrt{\\hat p(1-\\hat p)/n + z^2/(4n^2)}}{1 + z^2/n}

    — the interval R's ``prop.test(x, n, correct = FALSE)`` reports (inverting the score test).
    Unlike the Wald interval it stays inside [0, 1] and keeps its coverage for the small
    groups of this evaluation.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association*, 22(158), 209–212.

    Newcombe, R. G. (1998). Two-sided confidence intervals for the single proportion:
    comparison of seven methods. *Statistics in Medicine*, 17(8), 857–872.
    """
    level = _check_level(confidence_level)
    x = np.asarray(successes, dtype=float)
    size = np.asarray(n, dtype=float)
    if np.any(x < 0) or np.any(size < 0) or np.any(x > size):
        raise ValueError("need 0 <= successes <= n")
    z = stats.norm.ppf((1 + level) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = x / size
        denominator = 1 + z**2 / size
        centre = (p + z**2 / (2 * size)) / denominator
        half = z * np.sqrt(p * (1 - p) / size + z**2 / (4 * size**2)) / denominator
        low = np.where(size > 0, np.clip(centre - half, 0, 1), np.nan)
        high = np.where(size > 0, np.clip(centre + half, 0, 1), np.nan)
    if low.ndim == 0:
        return ConfidenceInterval(float(low), float(high))
    return ConfidenceInterval(low, high)


def _mean_sd_ci(values: np.ndarray, level: float) -> tuple[float, float, float, float]:
    """Mean, sample SD (n - 1) and t-based CI of the mean; NaN where undefined."""
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return (math.nan,) * 4
    mean = float(values.mean())
    if n < 2:
        return mean, math.nan, math.nan, math.nan
    sd = float(values.std(ddof=1))
    half = stats.t.ppf((1 + level) / 2, n - 1) * sd / math.sqrt(n)
    return mean, sd, mean - half, mean + half


def holm_adjust(pvalues) -> np.ndarray:
    """Holm's step-down adjustment of p-values; missing values stay missing.

    Parameters
    ----------
    pvalues : array-like of float
        Unadjusted p-values; NaN entries are not part of the family.

    Returns
    -------
    numpy.ndarray
        Adjusted p-values, same order, capped at 1.

    Notes
    -----
    With the :math:`m` p-values sorted, :math:`p_{(1)} \\le \\dots \\le p_{(m)}`, the adjusted
    value is :math:`\\max_{j \\le i} \\min(1, (m - j + 1) p_{(j)})`; as R's
    ``p.adjust(p, method = "holm")``. It controls the family-wise error rate under any
    dependence between the tests.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65–70.
    """
    p = np.asarray(pvalues, dtype=float)
    result = np.full(p.shape, np.nan)
    valid = np.flatnonzero(~np.isnan(p))
    m = len(valid)
    if m == 0:
        return result
    order = valid[np.argsort(p[valid], kind="stable")]
    scaled = (m - np.arange(m)) * p[order]
    result[order] = np.minimum(1.0, np.maximum.accumulate(scaled))
    return result


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
        ``statistic`` (U of ``a``), ``pvalue``, ``effect_size`` (rank-biserial), ``n_a``,
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
    level = _check_level(confidence_level)
    x = np.asarray(pd.to_numeric(pd.Series(a), errors="coerce").astype(float), dtype=float)
    y = np.asarray(pd.to_numeric(pd.Series(b), errors="coerce").astype(float), dtype=float)
    x, y = x[~np.isnan(x)], y[~np.isnan(y)]
    n_a, n_b = len(x), len(y)
    if n_a < 2 or n_b < 2:
        raise InsufficientDataError(
            f"need at least two values in each sample to compare them, got {n_a} and {n_b}"
        )
    ties = len(np.unique(np.concatenate([x, y]))) < n_a + n_b
    if method == "auto":
        method = "asymptotic" if (n_a > 8 and n_b > 8) or ties else "exact"
    test = stats.mannwhitneyu(x, y, alternative=alternative, method=method, use_continuity=True)
    u = float(test.statistic)
    mean_a, mean_b = float(x.mean()), float(y.mean())
    var_a, var_b = float(x.var(ddof=1)), float(y.var(ddof=1))
    se2_a, se2_b = var_a / n_a, var_b / n_b
    se = math.sqrt(se2_a + se2_b)
    difference = mean_a - mean_b
    if se > 0:
        df = (se2_a + se2_b) ** 2 / (se2_a**2 / (n_a - 1) + se2_b**2 / (n_b - 1))
        half = stats.t.ppf((1 + level) / 2, df) * se
        ci = ConfidenceInterval(difference - half, difference + half)
    else:
        df = math.nan
        ci = ConfidenceInterval(difference, difference)
    pooled = math.sqrt(((n_a - 1) * var_a + (n_b - 1) * var_b) / (n_a + n_b - 2))
    d = difference / pooled if pooled > 0 else math.nan
    return GroupComparison(
        statistic=u,
        pvalue=float(test.pvalue),
        effect_size=2 * u / (n_a * n_b) - 1,
        n_a=n_a,
        n_b=n_b,
        method=method,
        mean_a=mean_a,
        mean_b=mean_b,
        mean_difference=difference,
        ci=ci,
        welch_df=float(df),
        cohens_d=float(d),
        alternative=alternative,
    )


def crosstab_test(table) -> CrosstabResult:
    """Pearson chi-square test of independence for a two-way table of counts.

    Parameters
    ----------
    table : pandas.DataFrame or 2-D array of int
        Counts; rows and columns are the two variables' categories.

    Returns
    -------
    CrosstabResult
        ``statistic``, ``pvalue``, ``dof``, ``cramers_v``, ``expected`` and
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
    statistic, pvalue, dof, expected = stats.chi2_contingency(observed, correction=False)
    stdres = (observed - expected) / np.sqrt(
        expected * np.outer(1 - rows / total, 1 - cols / total)
    )
    v = math.sqrt(statistic / (total * (min(observed.shape) - 1)))
    return CrosstabResult(
        statistic=float(statistic),
        pvalue=float(pvalue),
        dof=int(dof),
        cramers_v=v,
        expected=pd.DataFrame(expected, index=frame.index, columns=frame.columns),
        standardized_residuals=pd.DataFrame(stdres, index=frame.index, columns=frame.columns),
    )


# --------------------------------------------------------------------------------------------
# reliability
# --------------------------------------------------------------------------------------------


def _alpha_from_cov(cov: np.ndarray) -> float:
    k = cov.shape[0]
    return k / (k - 1) * (1 - np.trace(cov) / cov.sum())


def _feldt(alpha: float, n: int, k: int, level: float) -> ConfidenceInterval:
    df1 = n - 1
    df2 = (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * stats.f.ppf((1 + level) / 2, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf((1 - level) / 2, df1, df2)
    return ConfidenceInterval(float(low), float(high))


def cronbach_alpha_from_covariance(
    cov, *, n_obs: int, confidence_level: float = 0.95
) -> AlphaResult:
    """Cronbach's alpha, Feldt interval, alpha-if-dropped and r.drop from a covariance matrix.

    The engine of :func:`cronbach_alpha`; useful when only a covariance (or correlation)
    matrix is published. See :func:`cronbach_alpha` for the formulas.

    Parameters
    ----------
    cov : pandas.DataFrame or 2-D array
        Item covariance matrix, k x k with k >= 2; labels of a DataFrame name the items.
    n_obs : int
        Number of respondents, for the Feldt interval.
    confidence_level : float
        Level of the interval.

    Returns
    -------
    AlphaResult
        See :class:`AlphaResult`.

    Raises
    ------
    InsufficientDataError
        If k < 2, ``n_obs`` < 2, or the matrix has missing entries or no total variance.
    """
    level = _check_level(confidence_level)
    if isinstance(cov, pd.DataFrame):
        labels = [str(c) for c in cov.columns]
        matrix = cov.to_numpy(dtype=float)
    else:
        matrix = np.asarray(cov, dtype=float)
        labels = [f"V{i + 1}" for i in range(matrix.shape[0])]
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1]:
        raise ValueError("the covariance matrix must be square")
    k = matrix.shape[0]
    if k < 2:
        raise InsufficientDataError(f"alpha needs at least two items, got {k}")
    if n_obs < 2:
        raise InsufficientDataError(f"alpha needs at least two respondents, got {n_obs}")
    if np.isnan(matrix).any():
        raise InsufficientDataError(
            "some pairs of items have fewer than two common answers; their covariance is missing"
        )
    if matrix.sum() <= 0:
        raise InsufficientDataError("the items have no total variance")
    alpha = float(_alpha_from_cov(matrix))
    dropped, r_drop = [], []
    for i in range(k):
        keep = [j for j in range(k) if j != i]
        rest = matrix[np.ix_(keep, keep)]
        dropped.append(float(_alpha_from_cov(rest)) if k > 2 else math.nan)
        covariance_with_rest = matrix[:, i].sum() - matrix[i, i]
        product = matrix[i, i] * rest.sum()
        r_drop.append(covariance_with_rest / math.sqrt(product) if product > 0 else math.nan)
    item_dropped = pd.DataFrame(
        {"alpha_if_dropped": dropped, "r_drop": r_drop}, index=pd.Index(labels, name="item")
    )
    return AlphaResult(
        alpha=alpha,
        ci=_feldt(alpha, int(n_obs), k, level),
        n=int(n_obs),
        k=k,
        item_dropped=item_dropped,
        confidence_level=level,
    )


def cronbach_alpha(
    items_frame: pd.DataFrame, *, confidence_level: float = 0.95, nan_policy: str = "pairwise"
) -> AlphaResult:
    """Cronbach's alpha with Feldt's interval, alpha if an item is dropped, and r.drop.

    Parameters
    ----------
    items_frame : pandas.DataFrame
        One row per respondent, one numeric column per item, already reverse-keyed where
        needed; missing answers (and "vet ikke") as NaN/``<NA>``.
    confidence_level : float
        Level of the Feldt interval, 0.95 by default.
    nan_policy : {"pairwise", "listwise"}
        ``"pairwise"`` (default) estimates each covariance from the respondents who answered
        both items, as R's ``psych::alpha(x)`` (``use = "pairwise"``) and pingouin do;
        ``"listwise"`` first drops every respondent with a missing answer
        (``psych::alpha(x, use = "complete.obs")``).

    Returns
    -------
    AlphaResult
        ``alpha``; ``ci`` (Feldt, ``(low, high)``); ``n`` respondents (rows with at least one
        answer, or complete rows when listwise); ``k`` items; ``item_dropped``, a frame indexed
        by item with ``alpha_if_dropped`` and ``r_drop``; ``constant_items``.

    Raises
    ------
    ValueError
        For an unknown ``nan_policy`` or non-numeric columns.
    InsufficientDataError
        With fewer than two items with variance, fewer than two respondents, or a pair of
        items never answered together.

    Notes
    -----
    With :math:`C` the k x k item covariance matrix (denominator n - 1),

    .. math:: \\alpha = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\operatorname{tr} C}{\\sum_{ij} C_{ij}}\\Bigr).

    *Feldt interval* (Feldt, Woodruff and Salih 1987), with :math:`F` quantiles on
    :math:`n-1` and :math:`(n-1)(k-1)` degrees of freedom:
    :math:`[1 - (1-\\alpha) F_{(1+\\gamma)/2},\\ 1 - (1-\\alpha) F_{(1-\\gamma)/2}]`; as
    ``psych::alpha.ci`` and ``pingouin.cronbach_alpha``. ``n`` is the number of respondents
    with at least one answer (with pairwise deletion some covariances rest on fewer).

    *alpha_if_dropped* is alpha of the covariance matrix without the item; *r_drop* is
    :math:`(\\sum_j C_{ij} - C_{ii}) / \\sqrt{C_{ii} \\sum_{j,l \\ne i} C_{jl}}`, the correlation
    of the item with the sum of the other items, computed from :math:`C` exactly as
    ``psych::alpha`` computes ``r.drop``. With two items, alpha if one is dropped is undefined
    (NaN; psych prints the inter-item correlation instead).

    Items without variance are left out first, as ``psych::alpha`` does (with a warning there;
    here they are listed in ``constant_items``).

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297–334.

    Feldt, L. S., Woodruff, D. J. and Salih, F. A. (1987). Statistical inference for
    coefficient alpha. *Applied Psychological Measurement*, 11(1), 93–103.

    Revelle, W. (2024). *psych: Procedures for Psychological, Psychometric, and Personality
    Research*. R package, Northwestern University, function ``alpha``.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 2, 3, 5, 5], "c": [1, 3, 3, 4, 4]})
    >>> round(cronbach_alpha(frame).alpha, 4)
    0.9538
    """
    if nan_policy not in ("pairwise", "listwise"):
        raise ValueError(f"nan_policy must be 'pairwise' or 'listwise', got {nan_policy!r}")
    level = _check_level(confidence_level)
    if not isinstance(items_frame, pd.DataFrame):
        items_frame = pd.DataFrame(items_frame)
    try:
        data = items_frame.apply(lambda s: pd.to_numeric(s, errors="raise")).astype(float)
    except (ValueError, TypeError):
        raise ValueError("every item column must be numeric") from None
    data.columns = [str(c) for c in data.columns]
    if nan_policy == "listwise":
        data = data.dropna(axis=0, how="any")
    else:
        data = data.dropna(axis=0, how="all")
    variances = data.var(ddof=1)
    constant = tuple(c for c in data.columns if not (variances[c] > 0))
    data = data.drop(columns=list(constant))
    n = len(data)
    if data.shape[1] < 2:
        raise InsufficientDataError(
            f"alpha needs at least two items with variance, got {data.shape[1]}"
        )
    if n < 2:
        raise InsufficientDataError(f"alpha needs at least two respondents, got {n}")
    cov = data.cov(ddof=1)  # pairwise-complete, as R's cov(x, use = "pairwise")
    result = cronbach_alpha_from_covariance(cov, n_obs=n, confidence_level=level)
    return AlphaResult(
        alpha=result.alpha,
        ci=result.ci,
        n=result.n,
        k=result.k,
        item_dropped=result.item_dropped,
        confidence_level=level,
        constant_items=constant,
    )


# --------------------------------------------------------------------------------------------
# survey frames
# --------------------------------------------------------------------------------------------


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
    threshold: int = DEFAULT_THRESHOLD,
    within: Sequence[str] | None = None,
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
        the level above). The item is always part of the group.

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
    don't-know answers are reported as their own count. A group is suppressed when its
    ``n_valid`` is below ``threshold`` (the shares rest on those answers), and secondarily
    as :func:`evaluation.privacy.suppress_small_cells` decides.

    References
    ----------
    Bryer, J. and Speerschneider, K. (2016). *likert: Analysis and Visualization Likert
    Items*. R package (the ``likert()`` summary these rows reproduce).
    """
    by = _as_columns(by, "by")
    _check_by(responses, by)
    meta = _item_meta(items)
    values = _item_values(responses, meta)
    labels = _scale_labels(scales, lang)
    frame = responses.reset_index(drop=True)
    rows = []
    units = []
    for key, positions in _groups(frame, by):
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
    columns = [*by, "item", "index", "level", "label", "count", "share", "n_valid",
               "n_dont_know", "n"]
    result = pd.DataFrame(rows, columns=columns)
    unit_frame = pd.DataFrame(units, columns=[*by, "item", "n_valid", "n_dont_know", "n"])
    unit_frame = suppress_small_cells(
        unit_frame, count_column="n_valid", value_columns=["n_dont_know", "n"],
        threshold=threshold, within=_default_within(by, within, ["item"]),
    )
    flags = unit_frame[[*by, "item", "suppressed"]]
    result = result.merge(flags, on=[*by, "item"], how="left", sort=False)
    for column in ("count", "n_valid", "n_dont_know", "n"):
        result[column] = result[column].astype("Int64").mask(result["suppressed"])
    result["share"] = result["share"].mask(result["suppressed"])
    result["level"] = result["level"].astype(int)
    return result


def item_summary(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    *,
    by: str | Sequence[str] | None = None,
    confidence_level: float = 0.95,
    threshold: int = DEFAULT_THRESHOLD,
    within: Sequence[str] | None = None,
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
    (:func:`proportion_ci`). Groups with ``n < threshold`` are suppressed, and secondarily as
    :func:`evaluation.privacy.suppress_small_cells` decides.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1–25.

    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *Journal of the American Statistical Association*, 22(158), 209–212.
    """
    level = _check_level(confidence_level)
    by = _as_columns(by, "by")
    _check_by(responses, by)
    meta = _item_meta(items)
    values = _item_values(responses, meta)
    frame = responses.reset_index(drop=True)
    rows = []
    for key, positions in _groups(frame, by):
        for item in meta.itertuples(index=False):
            scale_values, dont_know = values[item.item_id]
            group_values = scale_values[positions]
            valid = group_values[~np.isnan(group_values)]
            n = len(valid)
            mean, sd, low, high = _mean_sd_ci(valid, level)
            top = int((valid >= item.scale_max - 1).sum())
            bottom = int((valid <= item.scale_min + 1).sum())
            top_ci = proportion_ci(top, n, confidence_level=level)
            bottom_ci = proportion_ci(bottom, n, confidence_level=level)
            rows.append((
                *key, item.item_id, item.index, n, int(dont_know[positions].sum()),
                mean, sd, low, high,
                top / n if n else math.nan, top_ci.low, top_ci.high,
                bottom / n if n else math.nan, bottom_ci.low, bottom_ci.high,
            ))
    columns = [*by, "item", "index", "n", "n_dont_know", "mean", "sd", "ci_low", "ci_high",
               "top2_share", "top2_ci_low", "top2_ci_high", "bottom2_share", "bottom2_ci_low",
               "bottom2_ci_high"]
    result = pd.DataFrame(rows, columns=columns)
    return suppress_small_cells(
        result, count_column="n", value_columns=columns[len(by) + 3:],
        threshold=threshold, within=_default_within(by, within, ["item"]),
    )


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
    meta = _item_meta(items)
    values = _item_values(responses, meta)
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
    threshold: int = DEFAULT_THRESHOLD,
    within: Sequence[str] | None = None,
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
        Secondary-suppression groups; by default all of ``by`` but the last (plus the index).

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
    level = _check_level(confidence_level)
    by = _as_columns(by, "by")
    _check_by(responses, by)
    scores = index_scores(responses, items)
    rows = []
    indices = list(dict.fromkeys(_item_meta(items)["index"]))
    for key, positions in _groups(responses.reset_index(drop=True), by):
        for index in indices:
            subset = scores[scores["index"] == index]
            # scores are stacked per index in responses' row order
            values = subset["score"].to_numpy(dtype=float)[positions]
            values = values[~np.isnan(values)]
            mean, sd, low, high = _mean_sd_ci(values, level)
            rows.append((*key, index, len(values), mean, sd, low, high))
    columns = [*by, "index", "n", "mean", "sd", "ci_low", "ci_high"]
    result = pd.DataFrame(rows, columns=columns)
    return suppress_small_cells(
        result, count_column="n", value_columns=["mean", "sd", "ci_low", "ci_high"],
        threshold=threshold, within=_default_within(by, within, ["index"]),
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
    meta = _item_meta(items)
    subset = meta[meta["index"] == index]
    if subset.empty:
        raise ValueError(f"no items belong to index {index!r}")
    values = _item_values(responses, subset)
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
    threshold: int = DEFAULT_THRESHOLD,
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
    meta = _item_meta(items)
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
    indices = suppress_small_cells(
        indices, count_column="n",
        value_columns=["alpha", "ci_low", "ci_high", "n_items_raising_alpha"],
        threshold=threshold, within=["index"],
    )
    items_frame = pd.DataFrame(item_rows, columns=["index", "item", "n", "alpha_if_dropped",
                                                   "r_drop", "raises_alpha"])
    hidden = items_frame["index"].map(dict(zip(indices["index"], indices["suppressed"])))
    items_frame["raises_alpha"] = items_frame["raises_alpha"].astype("boolean").mask(hidden)
    for column in ("alpha_if_dropped", "r_drop"):
        items_frame[column] = items_frame[column].mask(hidden)
    items_frame["suppressed"] = hidden.astype(bool)
    items_frame = items_frame.drop(columns="n")
    return ReliabilityTable(indices=indices, items=items_frame)


def response_rates(
    population: pd.DataFrame,
    responses: pd.DataFrame,
    *,
    by: str | Sequence[str] = ("pilot", "wave", "agency"),
    threshold: int = DEFAULT_THRESHOLD,
    within: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Invited, responded and response rate per group.

    Parameters
    ----------
    population : pandas.DataFrame
        ``survey/population.csv``: ``pilot, agency, wave, invited``.
    responses : pandas.DataFrame
        Wide responses (only ``by`` columns are used).
    by : str or sequence of str
        Grouping columns, a subset of ``pilot, agency, wave``, outermost first; by default
        ``("pilot", "wave", "agency")``.
    threshold : int
        Anonymity threshold: a group with fewer respondents has ``responded`` and ``rate``
        suppressed (``invited`` is the agency's own staff count and stays shown).
    within : sequence of str, optional
        Secondary-suppression groups; by default all of ``by`` but the last.

    Returns
    -------
    pandas.DataFrame
        One row per group present in ``population``: the ``by`` columns, ``invited``,
        ``responded``, ``rate`` (``responded / invited``), ``suppressed``.

    Raises
    ------
    DataContractError
        If responses come from a group not in the population file, or a group has more
        responses than invited employees.
    ValueError
        If ``by`` names a column not in both frames.

    Notes
    -----
    The rate is the share of invited employees who answered (AAPOR response rate RR1 when
    every returned questionnaire counts as a response).

    References
    ----------
    The American Association for Public Opinion Research (2023). *Standard Definitions: Final
    Dispositions of Case Codes and Outcome Rates for Surveys* (10th ed.). AAPOR.
    """
    by = _as_columns(by, "by")
    if not by:
        raise ValueError("by must name at least one column")
    _require_columns(population, ["invited", *by], POPULATION_FILE)
    _check_by(responses, by)
    invited = population.groupby(by, sort=True, dropna=False)["invited"].sum()
    responded = responses.groupby(by, sort=True, dropna=False).size()
    unknown = responded.index.difference(invited.index)
    if len(unknown):
        raise DataContractError([
            DataProblem(POPULATION_FILE, None, ",".join(by),
                        f"no invited count for {dict(zip(by, key if isinstance(key, tuple) else (key,)))}",
                        "a population row for every group that answered")
            for key in unknown
        ])
    result = invited.rename("invited").to_frame()
    result["responded"] = responded.reindex(result.index).fillna(0).astype(int)
    over = result[result["responded"] > result["invited"]]
    if len(over):
        raise DataContractError([
            DataProblem(POPULATION_FILE, None, "invited",
                        f"{row.responded} responses but {row.invited} invited for "
                        f"{dict(zip(by, key if isinstance(key, tuple) else (key,)))}",
                        "invited at least the number of responses")
            for key, row in over.iterrows()
        ])
    result["rate"] = np.where(result["invited"] > 0,
                              result["responded"] / result["invited"].where(result["invited"] > 0),
                              np.nan)
    result = result.reset_index()
    return suppress_small_cells(
        result, count_column="responded", value_columns=["rate"], threshold=threshold,
        within=_default_within(by, within, []),
    )


def _wave_roles(waves: pd.DataFrame) -> dict:
    _require_columns(waves, ["wave", "role"], "programme.yaml")
    return dict(zip(waves["wave"], waves["role"]))


def compare_waves(
    responses: pd.DataFrame,
    items: pd.DataFrame,
    waves: pd.DataFrame,
    *,
    by_agency: bool = True,
    threshold: int = DEFAULT_THRESHOLD,
    confidence_level: float = 0.95,
) -> pd.DataFrame:
    """Change of every index between survey waves, per pilot (and agency), Holm-corrected.

    Parameters
    ----------
    responses : pandas.DataFrame
        Wide responses with ``wave``, ``pilot`` and (for agency rows) ``agency``.
    items : pandas.DataFrame
        Survey items (the codebook of the indices).
    waves : pandas.DataFrame
        ``programme.waves``: ``wave, role`` with role ``baseline``, ``midterm`` or ``final``.
    by_agency : bool
        Also compare each agency within its pilot (rows shown only where both waves have at
        least ``threshold`` respondents and no complementary suppression applies).
    threshold : int
        Anonymity threshold.
    confidence_level : float
        Level of the Welch interval of the change in mean.

    Returns
    -------
    pandas.DataFrame
        One row per level (``"pilot"`` or ``"agency"``), pilot, agency (missing on pilot
        rows), index and comparison, with columns ``level, pilot, agency, index, from_wave,
        to_wave, from_role, to_role, n_from, n_to, mean_from, mean_to, difference, ci_low,
        ci_high, cohens_d, statistic, pvalue, pvalue_holm, effect_size, method, suppressed``.
        ``difference = mean_to - mean_from``; ``statistic`` is the Mann–Whitney U of the later
        wave; ``effect_size`` the rank-biserial correlation (positive = higher in the later
        wave); ``pvalue`` two-sided; ``pvalue_holm`` Holm-adjusted over every shown row of
        this call (one family).

    Raises
    ------
    DataContractError
        If a response's wave is not in ``waves``.

    Notes
    -----
    Comparisons are baseline → midterm, baseline → final and midterm → final, each made when
    both waves have responses. The waves are independent cross-sections (respondent ids are
    opaque per wave), so each comparison is a two-sample comparison of the respondents'
    index scores (:func:`index_scores`) with :func:`compare_groups`.

    *Suppression*: the respondents with a score per pilot/agency, index and wave are the
    cells; they go through :func:`evaluation.privacy.suppress_small_cells` (agencies within
    pilot, index and wave; pilots within index and wave), since a mean times its n is additive
    and a hidden agency's mean could otherwise be recovered from the pilot's. A comparison is
    suppressed when either of its waves is; suppressed rows have every statistic missing and
    are not part of the Holm family.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65–70.

    Mann, H. B. and Whitney, D. R. (1947). On a test of whether one of two random variables is
    stochastically larger than the other. *Annals of Mathematical Statistics*, 18(1), 50–60.
    """
    level = _check_level(confidence_level)
    required = ["wave", "pilot", *(["agency"] if by_agency else [])]
    _check_by(responses, required)
    roles = _wave_roles(waves)
    unknown = sorted(set(responses["wave"]) - set(roles))
    if unknown:
        raise DataContractError.single(RESPONSES_FILE, None, "wave",
                                       f"wave(s) {unknown} are not in the programme's waves",
                                       "a wave listed in programme.yaml")
    scores = index_scores(responses, items)
    scores = scores[scores["score"].notna()]
    role_wave = {}
    for wave, role in roles.items():
        if (scores["wave"] == wave).any():
            role_wave.setdefault(role, wave)
    pairs = [(f, t) for f, t in COMPARISONS if f in role_wave and t in role_wave]
    columns = ["level", "pilot", "agency", "index", "from_wave", "to_wave", "from_role",
               "to_role", "n_from", "n_to", "mean_from", "mean_to", "difference", "ci_low",
               "ci_high", "cohens_d", "statistic", "pvalue", "pvalue_holm", "effect_size",
               "method", "suppressed"]
    if not pairs or scores.empty:
        return pd.DataFrame(columns=columns)

    # cells: respondents with a score per unit, index and wave, with suppression
    levels = [("pilot", ["pilot"], ["index", "wave"])]
    if by_agency:
        levels.append(("agency", ["pilot", "agency"], ["index", "wave", "pilot"]))
    rows = []
    for level_name, keys, within in levels:
        cells = scores.groupby([*keys, "index", "wave"], sort=True).size().rename("n").reset_index()
        cells = suppress_small_cells(cells, count_column="n", threshold=threshold, within=within)
        hidden = {tuple(r[:-1]): r[-1] for r in
                  cells[[*keys, "index", "wave", "suppressed"]].itertuples(index=False)}
        for key, group in scores.groupby([*keys, "index"], sort=True):
            unit, index = key[:-1], key[-1]
            for from_role, to_role in pairs:
                from_wave, to_wave = role_wave[from_role], role_wave[to_role]
                before = group.loc[group["wave"] == from_wave, "score"].to_numpy(dtype=float)
                after = group.loc[group["wave"] == to_wave, "score"].to_numpy(dtype=float)
                suppressed = hidden.get((*unit, index, from_wave), len(before) == 0) or hidden.get(
                    (*unit, index, to_wave), len(after) == 0)
                suppressed = bool(suppressed) or len(before) < threshold or len(after) < threshold
                record = {
                    "level": level_name, "pilot": unit[0],
                    "agency": unit[1] if level_name == "agency" else pd.NA,
                    "index": index, "from_wave": from_wave, "to_wave": to_wave,
                    "from_role": from_role, "to_role": to_role,
                    "n_from": len(before), "n_to": len(after), "suppressed": suppressed,
                }
                if not suppressed:
                    try:
                        comparison = compare_groups(after, before, confidence_level=level)
                    except InsufficientDataError:
                        comparison = None
                    if comparison is not None:
                        record.update(
                            mean_from=comparison.mean_b, mean_to=comparison.mean_a,
                            difference=comparison.mean_difference, ci_low=comparison.ci.low,
                            ci_high=comparison.ci.high, cohens_d=comparison.cohens_d,
                            statistic=comparison.statistic, pvalue=comparison.pvalue,
                            effect_size=comparison.effect_size, method=comparison.method,
                        )
                rows.append(record)
    result = pd.DataFrame(rows).reindex(columns=columns)
    # order: pilot rows before agency rows, indices as in the items file, comparisons as listed
    index_order = {index: i for i, index in enumerate(dict.fromkeys(_item_meta(items)["index"]))}
    pair_order = {pair: i for i, pair in enumerate(COMPARISONS)}
    result = result.assign(
        _level=(result["level"] == "agency").astype(int),
        _index=result["index"].map(index_order),
        _pair=[pair_order[(f, t)] for f, t in zip(result["from_role"], result["to_role"])],
        _agency=result["agency"].astype(object).where(result["agency"].notna(), ""),
    ).sort_values(["_level", "pilot", "_agency", "_index", "_pair"], kind="stable")
    result = result.drop(columns=["_level", "_index", "_pair", "_agency"]).reset_index(drop=True)
    for column in ("mean_from", "mean_to", "difference", "ci_low", "ci_high", "cohens_d",
                   "statistic", "pvalue", "effect_size"):
        result[column] = result[column].astype(float)
    for column in ("n_from", "n_to"):
        result[column] = result[column].astype("Int64").mask(result["suppressed"])
    result["pvalue_holm"] = holm_adjust(result["pvalue"].to_numpy())
    result["suppressed"] = result["suppressed"].astype(bool)
    return result


__all__ = [
    "AlphaResult",
    "COMPARISONS",
    "ConfidenceInterval",
    "CrosstabResult",
    "GroupComparison",
    "ReliabilityTable",
    "compare_groups",
    "compare_waves",
    "cronbach_alpha",
    "cronbach_alpha_from_covariance",
    "crosstab_test",
    "holm_adjust",
    "index_reliability",
    "index_scores",
    "index_summary",
    "item_summary",
    "likert_distribution",
    "proportion_ci",
    "response_rates",
    "scored_items",
]
