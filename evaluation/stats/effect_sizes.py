"""Standardised effect sizes: Hedges' g with its interval, and Cohen's benchmarks in words.

A difference in means on a 1–5 scale is easy to read for one index but hard to compare across
indices with different spreads; Hedges' g states the same difference in pooled standard
deviations, and :data:`MAGNITUDES` names its size with Cohen's benchmarks.
"""

from __future__ import annotations

import math
import numbers

from scipy import stats

from evaluation.errors import InsufficientDataError
from evaluation.stats._common import sample
from evaluation.stats.intervals import check_confidence_level
from evaluation.stats.results import ConfidenceInterval, EffectSize

MAGNITUDES: tuple[tuple[str, float], ...] = (
    ("negligible", 0.2),
    ("small", 0.5),
    ("medium", 0.8),
    ("large", math.inf),
)
"""Cohen's (1988) benchmarks for a standardised difference in means, ``|d|`` or ``|g|``.

Each pair is an id and the upper end (exclusive) of its range: ``|g| < 0.2`` is
``"negligible"``, ``0.2 <= |g| < 0.5`` ``"small"``, ``0.5 <= |g| < 0.8`` ``"medium"`` and
``|g| >= 0.8`` ``"large"``. Cohen proposed 0.2, 0.5 and 0.8 as small, medium and large for the
behavioural sciences, as conventions for when a field has no better basis; below 0.2 is named
negligible here. Report text translates the ids (they are not reader-facing words).
"""


def effect_magnitude(value: float) -> str:
    """The id of Cohen's benchmark range that ``|value|`` falls in (see :data:`MAGNITUDES`).

    Parameters
    ----------
    value : float
        A standardised difference in means (Cohen's d or Hedges' g); the sign is ignored.

    Returns
    -------
    str
        ``"negligible"``, ``"small"``, ``"medium"`` or ``"large"``.

    Raises
    ------
    ValueError
        If ``value`` is missing (NaN) or not a number: an effect that could not be estimated
        has no magnitude.

    References
    ----------
    Cohen, J. (1988). *Statistical Power Analysis for the Behavioral Sciences* (2nd ed.).
    Lawrence Erlbaum, chapter 2 (the t test for means: d = 0.2, 0.5, 0.8).

    Examples
    --------
    >>> effect_magnitude(0.1), effect_magnitude(-0.5), effect_magnitude(0.79), effect_magnitude(1.4)
    ('negligible', 'medium', 'medium', 'large')
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(f"an effect size must be a number to have a magnitude, got {value!r}")
    size = abs(float(value))
    return next(name for name, upper in MAGNITUDES if size < upper)


def _count(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value < 2:
        raise InsufficientDataError(f"Hedges' g needs at least two values per group; {name} = {value}")
    return int(value)


def _finite(value, name: str, *, non_negative: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if non_negative and value < 0:
        raise ValueError(f"{name} must not be negative, got {value!r}")
    return float(value)


def hedges_g_from_summary(mean_a: float, sd_a: float, n_a: int, mean_b: float, sd_b: float,
                          n_b: int, *, confidence_level: float = 0.95) -> EffectSize:
    """Hedges' g of group a against group b from means, standard deviations and sizes.

    Parameters
    ----------
    mean_a, sd_a, n_a : float, float, int
        Mean, sample standard deviation (denominator n - 1) and size of group a.
    mean_b, sd_b, n_b : float, float, int
        The same for group b.
    confidence_level : float
        Level of the (two-sided, normal) interval, 0.95 by default.

    Returns
    -------
    EffectSize
        ``estimate`` (g, positive when a's mean is higher), ``ci``, ``magnitude`` (of
        :data:`MAGNITUDES`), ``method`` (``"hedges_g"``), ``se`` and ``confidence_level``.

    Raises
    ------
    InsufficientDataError
        If a group has fewer than two values, or both standard deviations are 0 (no pooled
        spread to standardise by).
    ValueError
        For a non-finite mean or standard deviation, a negative standard deviation, a size that
        is not a whole number, or a bad level.

    Notes
    -----
    As Borenstein et al. (2009, chapter 4), with pooled standard deviation
    :math:`S = \\sqrt{((n_a - 1) s_a^2 + (n_b - 1) s_b^2) / (n_a + n_b - 2)}`:

    .. math::

        d = \\frac{\\bar x_a - \\bar x_b}{S}, \\quad
        V_d = \\frac{n_a + n_b}{n_a n_b} + \\frac{d^2}{2 (n_a + n_b)}, \\quad
        J = 1 - \\frac{3}{4 (n_a + n_b) - 9}, \\quad
        g = J d, \\quad V_g = J^2 V_d,

    and the interval is :math:`g \\pm z_{(1 + \\text{level})/2} \\sqrt{V_g}` (normal
    approximation). ``J`` is Hedges' approximation to the exact small-sample correction.
    The pooled standard deviation assumes similar spreads in the two groups; the test of the
    difference (:func:`evaluation.stats.compare_groups`) does not.

    References
    ----------
    Borenstein, M., Hedges, L. V., Higgins, J. P. T. and Rothstein, H. R. (2009).
    *Introduction to Meta-Analysis*. Wiley, chapter 4 (Effect sizes based on means).

    Hedges, L. V. (1981). Distribution theory for Glass's estimator of effect size and related
    estimators. *Journal of Educational Statistics*, 6(2), 107–128.

    Examples
    --------
    Borenstein et al.'s example: means 103 and 100, SDs 5.5 and 4.5, 50 in each group.

    >>> g = hedges_g_from_summary(103, 5.5, 50, 100, 4.5, 50)
    >>> round(g.estimate, 4), round(g.se, 4), g.magnitude
    (0.5924, 0.2028, 'medium')
    """
    level = check_confidence_level(confidence_level)
    n_a, n_b = _count(n_a, "n_a"), _count(n_b, "n_b")
    mean_a, mean_b = _finite(mean_a, "mean_a"), _finite(mean_b, "mean_b")
    sd_a = _finite(sd_a, "sd_a", non_negative=True)
    sd_b = _finite(sd_b, "sd_b", non_negative=True)
    if sd_a == 0 and sd_b == 0:
        raise InsufficientDataError(
            "both groups have no variance (every value equals its group's mean), so there is no "
            "standard deviation to standardise the difference by; report the means instead")
    total = n_a + n_b
    pooled = math.sqrt(((n_a - 1) * sd_a**2 + (n_b - 1) * sd_b**2) / (total - 2))
    d = (mean_a - mean_b) / pooled
    variance_d = total / (n_a * n_b) + d**2 / (2 * total)
    j = 1 - 3 / (4 * total - 9)
    g, se = j * d, j * math.sqrt(variance_d)
    half = float(stats.norm.ppf((1 + level) / 2)) * se
    return EffectSize(estimate=g, ci=ConfidenceInterval(g - half, g + half),
                      magnitude=effect_magnitude(g), method="hedges_g", se=se,
                      confidence_level=level)


def hedges_g(a, b, *, confidence_level: float = 0.95) -> EffectSize:
    """Hedges' g of sample ``a`` against sample ``b``, with its interval and magnitude.

    Parameters
    ----------
    a, b : array-like of float
        The two independent samples; missing values are dropped.
    confidence_level : float
        Level of the (two-sided, normal) interval, 0.95 by default.

    Returns
    -------
    EffectSize
        See :func:`hedges_g_from_summary`, which this computes from the samples' means,
        standard deviations (n - 1) and sizes.

    Raises
    ------
    InsufficientDataError
        If a sample has fewer than two values, or neither sample varies.
    ValueError
        If a value is not a number.

    Notes
    -----
    See :func:`hedges_g_from_summary` for the formulas (Borenstein et al. 2009, chapter 4).

    References
    ----------
    Borenstein, M., Hedges, L. V., Higgins, J. P. T. and Rothstein, H. R. (2009).
    *Introduction to Meta-Analysis*. Wiley, chapter 4.

    Examples
    --------
    >>> g = hedges_g([4, 5, 4, 5, 3], [3, 3, 4, 2, 3])
    >>> round(g.estimate, 3), g.magnitude
    (1.399, 'large')
    """
    x, y = sample(a, name="a"), sample(b, name="b")
    if len(x) < 2 or len(y) < 2:
        raise InsufficientDataError(
            f"Hedges' g needs at least two values per sample, got {len(x)} and {len(y)}")
    return hedges_g_from_summary(float(x.mean()), float(x.std(ddof=1)), len(x),
                                 float(y.mean()), float(y.std(ddof=1)), len(y),
                                 confidence_level=confidence_level)


__all__ = ["MAGNITUDES", "effect_magnitude", "hedges_g", "hedges_g_from_summary"]
