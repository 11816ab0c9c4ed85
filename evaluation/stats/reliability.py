"""Reliability of a scale: Cronbach's alpha with Feldt's interval, alpha if dropped and r.drop."""

from __future__ import annotations

import dataclasses
import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.errors import InsufficientDataError, StatisticalWarning
from evaluation.stats.intervals import check_confidence_level
from evaluation.stats.results import AlphaResult, ConfidenceInterval


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

    Warns
    -----
    StatisticalWarning
        If alpha is negative (see Notes); alpha is still returned.

    Notes
    -----
    *Negative alpha*: alpha is below 0 exactly when the average covariance between different
    items is negative (the sum of the off-diagonal covariances is below 0). Alpha is then not a
    reliability (a reliability lies in [0, 1]) but a sign that items are mis-keyed (a reversed
    item not reverse-scored) or do not measure one construct; it is returned unchanged, with a
    warning, so the problem is seen rather than hidden. (``psych::alpha`` similarly warns when
    items correlate negatively with the total scale and suggests reversing them.)

    *alpha_if_dropped* is alpha of the covariance matrix without the item; *r_drop* is
    :math:`(\\sum_j C_{ij} - C_{ii}) / \\sqrt{C_{ii} \\sum_{j,l \\ne i} C_{jl}}`, the correlation
    of the item with the sum of the other items, computed from :math:`C` exactly as
    ``psych::alpha`` computes ``r.drop``. With two items, alpha if one is dropped is undefined
    (NaN; psych prints the inter-item correlation instead).

    References
    ----------
    Revelle, W. (2024). *psych: Procedures for Psychological, Psychometric, and Personality
    Research*. R package, Northwestern University, function ``alpha``.
    """
    level = check_confidence_level(confidence_level)
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
    if alpha < 0:
        k_items = matrix.shape[0]
        mean_covariance = (matrix.sum() - np.trace(matrix)) / (k_items * (k_items - 1))
        warnings.warn(
            f"Cronbach's alpha is negative ({alpha:.3f}) because the average covariance between "
            f"different items is negative ({mean_covariance:.3g}): the items are likely mis-keyed "
            "(a reversed item not reverse-scored) or do not measure one construct; alpha is not "
            "a reliability here", StatisticalWarning, stacklevel=2)
    return AlphaResult(
        alpha=alpha,
        ci=_feldt(alpha, int(n_obs), k, level),
        n=int(n_obs),
        k=k,
        item_dropped=_item_dropped(matrix, labels),
        confidence_level=level,
    )


def _item_dropped(matrix: np.ndarray, labels: list[str]) -> pd.DataFrame:
    """Alpha of the other items and r.drop (item against the sum of the others), per item."""
    k = matrix.shape[0]
    dropped, r_drop = [], []
    for i in range(k):
        keep = [j for j in range(k) if j != i]
        rest = matrix[np.ix_(keep, keep)]
        dropped.append(float(_alpha_from_cov(rest)) if k > 2 else math.nan)
        covariance_with_rest = matrix[:, i].sum() - matrix[i, i]
        product = matrix[i, i] * rest.sum()
        r_drop.append(covariance_with_rest / math.sqrt(product) if product > 0 else math.nan)
    return pd.DataFrame(
        {"alpha_if_dropped": dropped, "r_drop": r_drop}, index=pd.Index(labels, name="item")
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

    Warns
    -----
    StatisticalWarning
        If alpha is negative: the items' average covariance is negative (mis-keyed items, or
        items not measuring one construct); see :func:`cronbach_alpha_from_covariance`.

    Notes
    -----
    With :math:`C` the k x k item covariance matrix (denominator n - 1),

    .. math:: \\alpha = \\frac{k}{k-1}\\Bigl(1 - \\frac{\\operatorname{tr} C}{\\sum_{ij} C_{ij}}\\Bigr).

    *Feldt interval* (Feldt, Woodruff and Salih 1987), with :math:`F` quantiles on
    :math:`n-1` and :math:`(n-1)(k-1)` degrees of freedom:
    :math:`[1 - (1-\\alpha) F_{(1+\\gamma)/2},\\ 1 - (1-\\alpha) F_{(1-\\gamma)/2}]`; as
    ``psych::alpha.ci`` and ``pingouin.cronbach_alpha``. ``n`` is the number of respondents
    with at least one answer (with pairwise deletion some covariances rest on fewer).
    *alpha_if_dropped* and *r_drop*: see :func:`cronbach_alpha_from_covariance`.

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
    level = check_confidence_level(confidence_level)
    data, constant = _numeric_items(items_frame, nan_policy)
    n = len(data)
    if data.shape[1] < 2:
        raise InsufficientDataError(
            f"alpha needs at least two items with variance, got {data.shape[1]}"
        )
    if n < 2:
        raise InsufficientDataError(f"alpha needs at least two respondents, got {n}")
    cov = data.cov(ddof=1)  # pairwise-complete, as R's cov(x, use = "pairwise")
    result = cronbach_alpha_from_covariance(cov, n_obs=n, confidence_level=level)
    return dataclasses.replace(result, confidence_level=level, constant_items=constant)


def _numeric_items(items_frame, nan_policy: str) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The items as floats, respondents dropped by ``nan_policy``, without constant items.

    Returns the data and the names of the items left out for having no variance.
    """
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
    return data.drop(columns=list(constant)), constant


__all__ = ["cronbach_alpha", "cronbach_alpha_from_covariance"]
