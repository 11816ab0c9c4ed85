"""Helpers shared by the statistics modules: checked samples and t-based inference."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.stats.results import ConfidenceInterval

ALTERNATIVES = ("two-sided", "greater", "less")


def check_alternative(alternative: str) -> str:
    """Return ``alternative``, or raise ``ValueError`` unless it is one of :data:`ALTERNATIVES`."""
    if alternative not in ALTERNATIVES:
        raise ValueError(f"alternative must be 'two-sided', 'greater' or 'less', got {alternative!r}")
    return alternative


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pd.NA (raises TypeError for pd.NA), NaT
    except TypeError:
        return True


def sample(values, *, name: str) -> np.ndarray:
    """The values of one sample as a 1-D float array, missing values (NaN, None, ``pd.NA``) dropped.

    Raises
    ------
    ValueError
        If the values are not one-dimensional, or a value is not a real number (a string,
        a boolean, ...): the message names the sample, the position and the value.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"sample {name} must be one-dimensional, got shape {array.shape}")
    if array.dtype.kind == "b":
        raise ValueError(f"sample {name} holds booleans, not numbers")
    if array.dtype.kind in "fiu" and isinstance(values, (np.ndarray, pd.Series, pd.Index)):
        floats = array.astype(float)  # a numeric array cannot hold booleans or strings
        return floats[~np.isnan(floats)]
    kept = []
    for position, value in enumerate(list(values)):
        if isinstance(value, (bool, np.bool_)) or not (
                isinstance(value, numbers.Real) or _is_missing(value)):
            raise ValueError(f"sample {name} has a value that is not a number at position "
                             f"{position}: {value!r}")
        if not _is_missing(value):
            kept.append(float(value))
    floats = np.asarray(kept, dtype=float)
    return floats[~np.isnan(floats)]


def t_inference(estimate: float, se: float, df: float, *, alternative: str,
                level: float) -> tuple[float, float, ConfidenceInterval]:
    """Statistic ``estimate / se``, its p-value and the matching interval.

    The reference distribution is Student's t on ``df`` degrees of freedom, or the standard
    normal when ``df`` is infinite. For ``"greater"`` the interval is ``(low, inf)``, for
    ``"less"`` ``(-inf, high)``, each at ``level`` (R's ``t.test`` convention).
    """
    distribution = stats.norm() if math.isinf(df) else stats.t(df)
    statistic = estimate / se
    if alternative == "two-sided":
        p_value = 2 * float(distribution.sf(abs(statistic)))
        half = float(distribution.ppf((1 + level) / 2)) * se
        return statistic, min(1.0, p_value), ConfidenceInterval(estimate - half, estimate + half)
    quantile = float(distribution.ppf(level)) * se
    if alternative == "greater":
        return statistic, float(distribution.sf(statistic)), ConfidenceInterval(
            estimate - quantile, math.inf)
    return statistic, float(distribution.cdf(statistic)), ConfidenceInterval(
        -math.inf, estimate + quantile)


def satterthwaite_df(variances, dfs) -> float:
    """Welch–Satterthwaite degrees of freedom of a sum of independent variance estimates.

    ``(sum v_i)^2 / sum(v_i^2 / df_i)``; a term with ``df_i = inf`` (a known variance)
    contributes nothing to the denominator, and the result is ``inf`` when every term does
    (or every variance is 0 but one with infinite ``df``).
    """
    variances = [float(v) for v in variances]
    denominator = sum(v**2 / d for v, d in zip(variances, dfs) if not math.isinf(d) and v > 0)
    if denominator == 0:
        return math.inf
    return sum(variances) ** 2 / denominator
