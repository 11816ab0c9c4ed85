"""Confidence intervals: the Wilson score interval of a proportion and the t interval of a mean."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from evaluation.stats.results import ConfidenceInterval, MeanInterval


def check_confidence_level(confidence_level: float) -> float:
    """Return ``confidence_level`` as a float, or raise ``ValueError`` unless it is in (0, 1)."""
    if not isinstance(confidence_level, (int, float)) or not 0 < confidence_level < 1:
        raise ValueError(f"confidence_level must be between 0 and 1, got {confidence_level!r}")
    return float(confidence_level)


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
    level = check_confidence_level(confidence_level)
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


def mean_sd_ci(values: np.ndarray, *, confidence_level: float = 0.95) -> MeanInterval:
    """Mean, sample standard deviation and Student's t interval of the mean; NaN where undefined.

    Parameters
    ----------
    values : numpy.ndarray of float
        The observations; NaN entries are dropped.
    confidence_level : float
        Level of the interval, 0.95 by default.

    Returns
    -------
    MeanInterval
        ``(mean, sd, ci_low, ci_high)``: all NaN without values; ``sd`` and the interval NaN
        with one value.

    Notes
    -----
    ``sd`` uses the denominator n - 1; the interval is
    ``mean ± t_{(1+level)/2, n-1} sd / sqrt(n)``, as R's ``t.test(x)$conf.int``.

    References
    ----------
    Student (1908). The probable error of a mean. *Biometrika*, 6(1), 1–25.
    """
    level = check_confidence_level(confidence_level)
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return MeanInterval(*(math.nan,) * 4)
    mean = float(values.mean())
    if n < 2:
        return MeanInterval(mean, math.nan, math.nan, math.nan)
    sd = float(values.std(ddof=1))
    half = stats.t.ppf((1 + level) / 2, n - 1) * sd / math.sqrt(n)
    return MeanInterval(mean, sd, mean - half, mean + half)


__all__ = ["check_confidence_level", "mean_sd_ci", "proportion_ci"]
