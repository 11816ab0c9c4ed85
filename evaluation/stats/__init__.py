"""General statistics, one family per module, apart from the survey frames.

* :mod:`evaluation.stats.results` — the frozen result objects (:class:`ConfidenceInterval`,
  :class:`MeanInterval`, :class:`GroupComparison`, :class:`CrosstabResult`,
  :class:`AlphaResult`);
* :mod:`evaluation.stats.intervals` — Wilson score interval of a proportion
  (:func:`proportion_ci`), t interval of a mean (:func:`mean_sd_ci`);
* :mod:`evaluation.stats.comparisons` — two independent samples (:func:`compare_groups`) and
  two-way tables (:func:`crosstab_test`);
* :mod:`evaluation.stats.reliability` — Cronbach's alpha with Feldt's interval
  (:func:`cronbach_alpha`, :func:`cronbach_alpha_from_covariance`);
* :mod:`evaluation.stats.multiple_testing` — Holm's adjustment (:func:`holm_adjust`).
* :mod:`evaluation.stats.survey_design` — design-based estimation as R's ``survey`` package:
  the post-stratified mean of a simple random sample and the change between two independent
  samples, with linearisation standard errors (:func:`poststratified_mean`,
  :func:`poststratified_difference`, results :class:`WeightedMean`, :class:`WeightedDifference`).

The statistics follow the reference implementations named in each docstring — R's ``psych``
and ``stats`` packages and SciPy — and the tests reproduce their documented examples.
"""

from evaluation.stats.comparisons import compare_groups, crosstab_test
from evaluation.stats.intervals import check_confidence_level, mean_sd_ci, proportion_ci
from evaluation.stats.multiple_testing import holm_adjust
from evaluation.stats.reliability import cronbach_alpha, cronbach_alpha_from_covariance
from evaluation.stats.results import (
    AlphaResult,
    ConfidenceInterval,
    CrosstabResult,
    GroupComparison,
    MeanInterval,
)
from evaluation.stats.survey_design import (
    WeightedDifference,
    WeightedMean,
    poststratified_difference,
    poststratified_mean,
)

__all__ = [
    "AlphaResult",
    "ConfidenceInterval",
    "CrosstabResult",
    "GroupComparison",
    "MeanInterval",
    "check_confidence_level",
    "compare_groups",
    "cronbach_alpha",
    "cronbach_alpha_from_covariance",
    "crosstab_test",
    "holm_adjust",
    "mean_sd_ci",
    "proportion_ci",
    "poststratified_difference",
    "poststratified_mean",
    "WeightedDifference",
    "WeightedMean",
]
