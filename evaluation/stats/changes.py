"""Comparison of two changes: did an index improve more for one group than for another?

An evaluator asks, for instance, whether collaboration improved more for NAV than for
Skatteetaten between the baseline and the midterm survey. The estimand is the difference of the
two changes in mean, ``(after_a - before_a) - (after_b - before_b)`` (a difference in
differences), with a Welch-type t-test and its matching interval.
"""

from __future__ import annotations

import math
import numbers

from evaluation.errors import InsufficientDataError
from evaluation.stats._common import sample, satterthwaite_df, t_inference
from evaluation.stats.intervals import check_confidence_level
from evaluation.stats.results import ChangeComparison


def compare_changes(a_before, a_after, b_before, b_after, *,
                    confidence_level: float = 0.95) -> ChangeComparison:
    """Difference between the change in mean of group a and that of group b, four samples.

    Parameters
    ----------
    a_before, a_after : array-like of float
        Group a's values in the earlier and the later wave.
    b_before, b_after : array-like of float
        Group b's values in the same two waves.
    confidence_level : float
        Level of the interval, 0.95 by default.

    Returns
    -------
    ChangeComparison
        ``change_a`` (mean of ``a_after`` minus mean of ``a_before``), ``change_b``,
        ``difference`` (``change_a - change_b``), ``se``, ``df``, ``statistic``, ``p_value``
        (two-sided), ``ci``, ``confidence_level``.

    Raises
    ------
    InsufficientDataError
        If a sample has fewer than two values, or none of the four varies.
    ValueError
        If a value is not a number, or the level is not in (0, 1).

    Notes
    -----
    The four samples must be independent — four cross-sections, as the survey waves of this
    evaluation are (respondent ids are opaque per wave); a panel of the same respondents
    needs a paired analysis instead. With :math:`v_i = s_i^2 / n_i` for the four samples,

    .. math::

        \\hat\\Delta = (\\bar x_{a,1} - \\bar x_{a,0}) - (\\bar x_{b,1} - \\bar x_{b,0}), \\quad
        SE = \\sqrt{\\textstyle\\sum_i v_i}, \\quad
        \\nu = \\frac{(\\sum_i v_i)^2}{\\sum_i v_i^2 / (n_i - 1)},

    the Welch–Satterthwaite degrees of freedom of a linear combination of four independent
    means, each with its own variance (Satterthwaite 1946; with two samples it is Welch's
    :math:`\\nu`). The test statistic :math:`t = \\hat\\Delta / SE` is referred to Student's t
    on :math:`\\nu` degrees of freedom (two-sided), and the interval is
    :math:`\\hat\\Delta \\pm t_{(1+\\text{level})/2, \\nu} SE`, so it excludes 0 exactly when
    :math:`p < 1 - \\text{level}`.

    References
    ----------
    Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance
    components. *Biometrics Bulletin*, 2(6), 110–114.

    Welch, B. L. (1947). The generalization of "Student's" problem when several different
    population variances are involved. *Biometrika*, 34(1–2), 28–35.

    Examples
    --------
    >>> result = compare_changes([3, 3, 4, 2], [4, 5, 4, 5], [3, 4, 3, 4], [3, 4, 4, 3])
    >>> result.change_a, result.change_b, result.difference
    (1.5, 0.0, 1.5)
    """
    level = check_confidence_level(confidence_level)
    names = ("a_before", "a_after", "b_before", "b_after")
    samples = [sample(values, name=name)
               for values, name in zip((a_before, a_after, b_before, b_after), names)]
    short = [f"{name} ({len(x)})" for name, x in zip(names, samples) if len(x) < 2]
    if short:
        raise InsufficientDataError(
            f"need at least two values in each sample to compare changes; too few in {', '.join(short)}")
    variances = [float(x.var(ddof=1)) / len(x) for x in samples]
    if not any(v > 0 for v in variances):
        raise InsufficientDataError(
            "none of the four samples varies: the difference of the changes has no standard "
            "error, so it cannot be tested; report the four means instead")
    means = [float(x.mean()) for x in samples]
    change_a, change_b = means[1] - means[0], means[3] - means[2]
    se = math.sqrt(sum(variances))
    df = satterthwaite_df(variances, [len(x) - 1 for x in samples])
    return _result(change_a, change_b, se, df, level)


def _result(change_a: float, change_b: float, se: float, df: float,
            level: float) -> ChangeComparison:
    difference = change_a - change_b
    statistic, p_value, ci = t_inference(difference, se, df, alternative="two-sided", level=level)
    return ChangeComparison(change_a=change_a, change_b=change_b, difference=difference, se=se,
                            df=df, statistic=statistic, p_value=p_value, ci=ci,
                            confidence_level=level)


def _number(value, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(f"{name} must be a number, got {value!r}")
    return float(value)


def compare_change_estimates(change_a: float, se_a: float, df_a: float, change_b: float,
                             se_b: float, df_b: float, *,
                             confidence_level: float = 0.95) -> ChangeComparison:
    """Difference between two already estimated changes, each with its standard error and df.

    For changes estimated elsewhere — survey-weighted means with a design-based standard error,
    for instance — when the two changes are independent (different groups of respondents).

    Parameters
    ----------
    change_a, se_a, df_a : float
        Group a's change, its standard error and the degrees of freedom of that standard error
        (``math.inf`` for a standard error treated as known, i.e. a normal reference).
    change_b, se_b, df_b : float
        The same for group b.
    confidence_level : float
        Level of the interval, 0.95 by default.

    Returns
    -------
    ChangeComparison
        As :func:`compare_changes`.

    Raises
    ------
    InsufficientDataError
        If both standard errors are 0.
    ValueError
        For a missing or infinite change, a negative or non-finite standard error, degrees of
        freedom that are not positive, or a bad level.

    Notes
    -----
    :math:`\\hat\\Delta = c_a - c_b`, :math:`SE = \\sqrt{SE_a^2 + SE_b^2}`, and Satterthwaite's
    degrees of freedom for the sum of two independent variance estimates,
    :math:`\\nu = (SE_a^2 + SE_b^2)^2 / (SE_a^4 / \\nu_a + SE_b^4 / \\nu_b)`, where a term with
    :math:`\\nu_i = \\infty` contributes 0; with both infinite the reference is the standard
    normal (:math:`\\nu = \\infty`). Test and interval as in :func:`compare_changes`.

    References
    ----------
    Satterthwaite, F. E. (1946). An approximate distribution of estimates of variance
    components. *Biometrics Bulletin*, 2(6), 110–114.

    Examples
    --------
    >>> result = compare_change_estimates(0.4, 0.15, float("inf"), 0.1, 0.2, float("inf"))
    >>> round(result.difference, 2), round(result.se, 2), result.df, round(result.p_value, 4)
    (0.3, 0.25, inf, 0.2301)
    """
    level = check_confidence_level(confidence_level)
    change_a, change_b = _number(change_a, "change_a"), _number(change_b, "change_b")
    if math.isinf(change_a) or math.isinf(change_b):
        raise ValueError(f"the changes must be finite, got {change_a!r} and {change_b!r}")
    ses, dfs = [], []
    for name, se, df in (("a", se_a, df_a), ("b", se_b, df_b)):
        se, df = _number(se, f"se_{name}"), _number(df, f"df_{name}")
        if se < 0 or math.isinf(se):
            raise ValueError(f"se_{name} must be finite and not negative, got {se!r}")
        if not df > 0:
            raise ValueError(f"df_{name} must be positive (or inf), got {df!r}")
        ses.append(se)
        dfs.append(df)
    if ses[0] == 0 and ses[1] == 0:
        raise InsufficientDataError("both standard errors are 0: the difference cannot be tested")
    variances = [se**2 for se in ses]
    return _result(change_a, change_b, math.sqrt(sum(variances)), satterthwaite_df(variances, dfs),
                   level)


__all__ = ["compare_change_estimates", "compare_changes"]
