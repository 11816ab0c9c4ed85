"""Design-based estimation: the post-stratified mean and the change between two independent samples.

The design is a simple random sample without replacement of a finite population, post-stratified
to known stratum sizes: each stratum's respondents stand for its whole population. The estimates
and their linearisation (Taylor series) standard errors are exactly those of R's ``survey``
package (``svydesign(ids = ~1)``, ``postStratify``, ``svymean``, ``svyttest``); the Notes of each
function write out the formula that package computes.

:class:`WeightedMean` and :class:`WeightedDifference` are the results; their intervals are
Student t intervals on the design's degrees of freedom.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from evaluation.errors import InsufficientDataError
from evaluation.stats.intervals import check_confidence_level
from evaluation.stats.results import ConfidenceInterval


def _t_interval(estimate: float, standard_error: float, df: float, level: float) -> ConfidenceInterval:
    half = float(stats.t.ppf((1 + level) / 2, df)) * standard_error
    return ConfidenceInterval(estimate - half, estimate + half)


@dataclass(frozen=True, eq=False)
class WeightedMean:
    """A post-stratified mean with its linearisation standard error (see :func:`poststratified_mean`).

    Attributes
    ----------
    estimate : float
        The post-stratified mean ``sum_h (N_h / N) ybar_h``.
    standard_error : float
        Linearisation standard error, as R's ``SE(svymean(...))``.
    df : int
        Degrees of freedom of the design, ``n - 1`` (R's ``degf(design)``).
    ci : ConfidenceInterval
        Student t interval ``estimate ± t_{(1+level)/2, df} standard_error`` at
        ``confidence_level``.
    n : int
        Number of values used (missing values dropped).
    population_size : float
        ``N``, the sum of the population sizes of the strata.
    n_strata : int
        Post-strata with respondents.
    fpc : bool
        Whether the finite-population correction ``1 - n/N`` was applied.
    confidence_level : float
        Level of ``ci``.
    stratum_weights : pandas.Series
        Per stratum with respondents, the weight of each of its respondents ``N_h / n_h``
        (named ``weight``, indexed by stratum). It reveals the strata's respondent counts.
    single_respondent_strata : tuple
        Strata with exactly one respondent: they add nothing to the variance (see Notes of
        :func:`poststratified_mean`).
    """

    estimate: float
    standard_error: float
    df: int
    ci: ConfidenceInterval
    n: int
    population_size: float
    n_strata: int
    fpc: bool
    confidence_level: float
    stratum_weights: pd.Series = field(repr=False)
    single_respondent_strata: tuple = ()

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """The t interval at another level, on the same ``df`` (R's ``confint(m, level, df)``)."""
        level = check_confidence_level(confidence_level)
        return _t_interval(self.estimate, self.standard_error, self.df, level)


@dataclass(frozen=True, eq=False)
class WeightedDifference:
    """Change of a post-stratified mean between two independent samples (see
    :func:`poststratified_difference`).

    Attributes
    ----------
    estimate : float
        ``after.estimate - before.estimate``.
    standard_error : float
        ``sqrt(after.standard_error² + before.standard_error²)``.
    df : int
        ``n_before + n_after - 3``, as R's ``svyttest`` (see Notes).
    statistic : float
        ``estimate / standard_error``, Student t on ``df``.
    p_value : float
        Two-sided p-value ``2 P(T_df > |statistic|)``.
    ci : ConfidenceInterval
        ``estimate ± t_{(1+level)/2, df} standard_error`` at ``confidence_level``.
    before, after : WeightedMean
        The two means, each with its own ``df`` and interval.
    confidence_level : float
        Level of ``ci``.
    alternative : str
        Always ``"two-sided"``.
    """

    estimate: float
    standard_error: float
    df: int
    statistic: float
    p_value: float
    ci: ConfidenceInterval
    before: WeightedMean
    after: WeightedMean
    confidence_level: float
    alternative: str = "two-sided"

    def confidence_interval(self, confidence_level: float = 0.95) -> ConfidenceInterval:
        """The t interval of the change at another level, on the same ``df``."""
        level = check_confidence_level(confidence_level)
        return _t_interval(self.estimate, self.standard_error, self.df, level)


def poststratified_mean(
    values,
    strata,
    population: Mapping[Hashable, float] | pd.Series,
    *,
    fpc: bool,
    confidence_level: float = 0.95,
) -> WeightedMean:
    """Post-stratified mean of a simple random sample, with its linearisation standard error.

    Parameters
    ----------
    values : array-like of float
        One value per respondent; missing values (NaN) are dropped together with their
        stratum label before the weights are computed.
    strata : iterable of hashable
        The post-stratum of each value (same length as ``values``).
    population : mapping or pandas.Series
        Population size ``N_h`` of every post-stratum. Strata of size 0 without respondents
        are ignored.
    fpc : bool
        Apply the finite-population correction ``1 - n/N`` (``N = sum N_h``): the sample is
        then treated as drawn without replacement from the ``N`` units. Without it the
        variance is that of sampling with replacement.
    confidence_level : float
        Level of the t interval.

    Returns
    -------
    WeightedMean
        ``estimate, standard_error, df, ci, n, population_size, n_strata, fpc,
        confidence_level, stratum_weights, single_respondent_strata``.

    Raises
    ------
    ValueError
        If a stratum with values has no population size (R: "Strata in sample absent from
        population"), a population size is negative or not a number, a stratum has more
        values than its population, ``fpc`` is not a bool, or the lengths differ.
    InsufficientDataError
        If fewer than two values remain (R: "Design has only one primary sampling unit"),
        or a stratum with a positive population has no values: post-stratification cannot
        represent it (R's ``postStratify`` stops: "Some strata absent from sample"); merge
        it with a similar stratum, or leave it out of ``population`` and so out of the target
        population, before calling.

    Notes
    -----
    *Design.* The ``n`` values are a simple random sample without replacement from ``N``
    units, post-stratified to the known sizes ``N_h`` (Holt and Smith 1979). This is R's

    .. code-block:: r

        d <- svydesign(ids = ~1, fpc = ~N, data = x)         # fpc = TRUE
        d <- svydesign(ids = ~1, weights = ~w, data = x)     # fpc = FALSE, w = N / n
        svymean(~y, postStratify(d, ~stratum, data.frame(stratum = ..., Freq = N_h)))

    Post-stratification gives every respondent of stratum ``h`` the weight ``w_h = N_h / n_h``,
    whatever the design weights were. With ``W_h = N_h / N`` the estimate is

    .. math:: \\hat{\\bar Y} = \\sum_h W_h \\bar y_h .

    *Variance*, as ``survey:::svymean.survey.design2`` and ``survey:::svyrecvar`` compute it
    (survey 4.1-1): the influence of respondent ``i`` is ``w_i (y_i - \\hat{\\bar Y}) / N``;
    post-stratification replaces it by its residual from the post-stratum mean,
    ``z_i = (W_h / n_h) (y_i - \\bar y_h)``; the variance of a one-stage sample of ``n``
    units is then ``f n / (n - 1) sum_i z_i²``, so

    .. math::

        \\hat V = f \\, \\frac{n}{n-1} \\sum_h W_h^2 \\, \\frac{(n_h - 1)\\, s_h^2}{n_h^2},
        \\qquad f = 1 - n/N \\text{ (fpc) or } 1,

    with ``s_h²`` the sample variance of stratum ``h``. This is the linearisation
    (unconditional) variance. It is not the variance conditional on the achieved ``n_h``
    that Holt and Smith recommend, ``sum_h W_h² (1 - n_h/N_h) s_h² / n_h`` (the variance of a
    stratified sample): R uses one overall ``f`` and the factors ``n/(n-1)`` and
    ``(n_h-1)/n_h``; the two agree in large samples, where ``n_h/N_h ≈ n/N``. With one
    stratum (no weighting) it is ``f s² / n``, the classical variance of a sample mean.

    *A stratum with one respondent* has residual 0 and adds nothing to ``\\hat V`` — R does
    the same, silently; the strata are listed in ``single_respondent_strata``.

    *Interval.* ``svymean``'s own ``confint`` uses the normal quantile; this function uses
    Student's t on the design's degrees of freedom, ``df = n - 1`` (R's
    ``confint(svymean(...), df = degf(design))``), because the groups here are small: for
    ``n`` of 20–60 the normal interval is too narrow, and with one stratum and no fpc the t
    interval is exactly ``t.test(y)``'s. Post-stratification does not change ``degf``.

    References
    ----------
    Holt, D. and Smith, T. M. F. (1979). Post stratification. *Journal of the Royal
    Statistical Society, Series A (General)*, 142(1), 33–46.

    Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software*,
    9(1), 1–19.

    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Hoboken, NJ: Wiley.

    Examples
    --------
    Two offices of 40 and 10 staff; 4 and 4 answered, so each answer of the small office
    counts for 2.5 staff and each of the large for 10:

    >>> result = poststratified_mean([3, 4, 2, 3, 5, 5, 4, 4], ["a"] * 4 + ["b"] * 4,
    ...                              {"a": 40, "b": 10}, fpc=True)
    >>> round(result.estimate, 4), round(result.standard_error, 4), result.df
    (3.3, 0.2814, 7)

    (R: ``svymean`` gives mean 3.3, SE 0.28142.)
    """
    level = check_confidence_level(confidence_level)
    if not isinstance(fpc, (bool, np.bool_)):
        raise ValueError(f"fpc must be True or False, got {fpc!r}")
    y, labels, sizes = _checked_strata(values, strata, population)
    n, total = len(y), float(sum(sizes))
    counts = np.bincount(labels, minlength=len(sizes)).astype(float)
    sums = np.bincount(labels, weights=y, minlength=len(sizes))
    means = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    squares = np.bincount(labels, weights=(y - means[labels]) ** 2, minlength=len(sizes))
    shares = np.asarray(sizes, dtype=float) / total
    estimate = float(np.sum(shares * means))
    f = 1 - n / total if fpc else 1.0
    present = counts > 0
    variance = f * n / (n - 1) * float(
        np.sum(shares[present] ** 2 * squares[present] / counts[present] ** 2))
    standard_error = math.sqrt(max(variance, 0.0))
    names = list(_population_keys(population))
    kept = np.flatnonzero(present)
    weights = pd.Series([sizes[h] / counts[h] for h in kept], dtype=float, name="weight",
                        index=pd.Index([names[h] for h in kept], tupleize_cols=False, name="stratum"))
    return WeightedMean(
        estimate=estimate,
        standard_error=standard_error,
        df=n - 1,
        ci=_t_interval(estimate, standard_error, n - 1, level),
        n=n,
        population_size=total,
        n_strata=int(present.sum()),
        fpc=bool(fpc),
        confidence_level=level,
        stratum_weights=weights,
        single_respondent_strata=tuple(names[h] for h in np.flatnonzero(counts == 1)),
    )


def _population_keys(population: Mapping[Hashable, float] | pd.Series) -> Iterable[Hashable]:
    """The strata of ``population`` in its order."""
    return population.index if isinstance(population, pd.Series) else population.keys()


def _checked_strata(values, strata, population) -> tuple[np.ndarray, np.ndarray, list[float]]:
    """The values (missing dropped), their strata as positions in ``population``, and the sizes.

    Strata of size 0 without values stay in (they weigh nothing).
    """
    if not isinstance(population, (Mapping, pd.Series)):
        raise ValueError("population must map each stratum to its population size")
    y = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    labels = list(strata)
    if len(labels) != len(y):
        raise ValueError(f"values and strata differ in length: {len(y)} and {len(labels)}")
    names = list(_population_keys(population))
    sizes = [population[name] for name in names]
    bad = [name for name, size in zip(names, sizes)
           if isinstance(size, bool) or not isinstance(size, (int, float, np.number))
           or not math.isfinite(size) or size < 0]
    if bad:
        raise ValueError(f"population sizes must be non-negative numbers; not so for {bad}")
    position = {name: i for i, name in enumerate(names)}
    keep = ~np.isnan(y)
    unknown = list(dict.fromkeys(label for label, kept in zip(labels, keep)
                                 if kept and label not in position))
    if unknown:
        raise ValueError(f"stratum(s) {unknown} have values but no population size")
    codes = np.array([position[label] for label, kept in zip(labels, keep) if kept], dtype=int)
    if len(codes) < 2:
        raise InsufficientDataError(
            f"need at least two values for a design-based mean, got {len(codes)}")
    counts = np.bincount(codes, minlength=len(names))
    over = [names[h] for h in range(len(names)) if counts[h] > sizes[h]]
    if over:
        raise ValueError(f"stratum(s) {over} have more values than their population size")
    empty = [names[h] for h in range(len(names)) if counts[h] == 0 and sizes[h] > 0]
    if empty:
        raise InsufficientDataError(
            f"stratum(s) {empty} have a population but no values: post-stratification cannot "
            "represent them; merge each with a similar stratum or leave it out of the population")
    return y[keep], codes, [float(size) for size in sizes]


def poststratified_difference(
    before_values,
    before_strata,
    before_population: Mapping[Hashable, float] | pd.Series,
    after_values,
    after_strata,
    after_population: Mapping[Hashable, float] | pd.Series,
    *,
    fpc: bool,
    confidence_level: float = 0.95,
) -> WeightedDifference:
    """Change of a post-stratified mean between two independent samples (after − before).

    Parameters
    ----------
    before_values, before_strata, before_population :
        The earlier sample, as for :func:`poststratified_mean`.
    after_values, after_strata, after_population :
        The later sample, drawn independently of the earlier (for example a new survey wave
        with new, opaque respondent ids).
    fpc : bool
        Apply each sample's finite-population correction.
    confidence_level : float
        Level of the t interval of the change.

    Returns
    -------
    WeightedDifference
        ``estimate, standard_error, df, statistic, p_value, ci, before, after,
        confidence_level, alternative``.

    Raises
    ------
    ValueError, InsufficientDataError
        As :func:`poststratified_mean`, for either sample.

    Notes
    -----
    The samples are independent, so the variance of the change is the sum of the two
    post-stratified variances of :func:`poststratified_mean`:
    ``SE = sqrt(V_before + V_after)``. The test is Student's t,
    ``t = (\\hat{\\bar Y}_{after} - \\hat{\\bar Y}_{before}) / SE`` on
    ``df = n_before + n_after - 3``, two-sided; the interval is ``estimate ± t_{(1+level)/2,
    df} SE``.

    These are the numbers of R's design-based t test on the two samples stacked in one
    design, stratified by sample and post-stratified by sample × stratum:

    .. code-block:: r

        d <- svydesign(ids = ~1, strata = ~wave, fpc = ~N, data = x)   # or weights = ~w
        d <- postStratify(d, ~wave + stratum, freq)                    # Freq = N_h per wave
        svyttest(score ~ factor(wave), d)             # t, df, p-value
        confint(svyglm(score ~ factor(wave), d), parm = 2, level = level)

    ``svyttest`` fits ``svyglm`` and takes its residual degrees of freedom,
    ``degf(design) + 1 - 2`` (two coefficients), where ``degf`` is the number of sampled units
    less the number of design strata (the two samples): ``n_before + n_after - 2 - 1``. (The
    help page of ``svyttest`` says ``degf(design) - 2``; the code of survey 4.1-1, whose numbers
    this function reproduces, gives ``degf(design) - 1``.) Its standard error of the wave coefficient
    is the square root of the summed variances above (the influence functions of the two
    samples are separate strata).

    References
    ----------
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Hoboken, NJ: Wiley.

    Lumley, T. (2004). Analysis of complex survey samples. *Journal of Statistical Software*,
    9(1), 1–19.

    Holt, D. and Smith, T. M. F. (1979). Post stratification. *Journal of the Royal
    Statistical Society, Series A (General)*, 142(1), 33–46.

    Examples
    --------
    >>> change = poststratified_difference(
    ...     [3, 4, 2, 3, 5, 5, 4, 4], ["a"] * 4 + ["b"] * 4, {"a": 40, "b": 10},
    ...     [4, 4, 3, 4, 5, 4, 5], ["a"] * 5 + ["b"] * 2, {"a": 38, "b": 10}, fpc=True)
    >>> round(change.estimate, 4), round(change.statistic, 4), change.df, round(change.p_value, 5)
    (0.8042, 2.1921, 12, 0.04882)

    (R's ``svyttest`` on the stacked design: t = 2.1921, df = 12, p-value = 0.04882.)
    """
    level = check_confidence_level(confidence_level)
    before = poststratified_mean(before_values, before_strata, before_population, fpc=fpc,
                                 confidence_level=level)
    after = poststratified_mean(after_values, after_strata, after_population, fpc=fpc,
                                confidence_level=level)
    estimate = after.estimate - before.estimate
    standard_error = math.hypot(after.standard_error, before.standard_error)
    df = before.n + after.n - 3
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.divide(estimate, standard_error))
    p_value = float(2 * stats.t.sf(abs(statistic), df)) if not math.isnan(statistic) else math.nan
    return WeightedDifference(
        estimate=estimate,
        standard_error=standard_error,
        df=df,
        statistic=statistic,
        p_value=p_value,
        ci=_t_interval(estimate, standard_error, df, level),
        before=before,
        after=after,
        confidence_level=level,
    )


__all__ = ["WeightedDifference", "WeightedMean", "poststratified_difference", "poststratified_mean"]
