"""General statistics, one family per module, apart from the survey frames.

* :mod:`evaluation.stats.results` — the frozen result objects (:class:`ConfidenceInterval`,
  :class:`MeanInterval`, :class:`GroupComparison`, :class:`EffectSize`,
  :class:`RankComparison`, :class:`ChangeComparison`, :class:`CrosstabResult`,
  :class:`AlphaResult`);
* :mod:`evaluation.stats.intervals` — Wilson score interval of a proportion
  (:func:`proportion_ci`), t interval of a mean (:func:`mean_sd_ci`);
* :mod:`evaluation.stats.comparisons` — two independent samples: the difference in means with
  Welch's t-test, its interval and Hedges' g (:func:`compare_groups`, the primary comparison),
  and the rank-based sensitivity analysis (:func:`rank_comparison`: Mann–Whitney U,
  rank-biserial correlation, Hodges–Lehmann shift); two-way tables (:func:`crosstab_test`:
  Pearson's chi-square, Fisher's exact test for a small 2 x 2 table);
* :mod:`evaluation.stats.effect_sizes` — Hedges' g with its interval (:func:`hedges_g`,
  :func:`hedges_g_from_summary`) and Cohen's benchmarks in words (:func:`effect_magnitude`,
  :data:`MAGNITUDES`);
* :mod:`evaluation.stats.changes` — whether one group changed more than another
  (:func:`compare_changes` from four samples, :func:`compare_change_estimates` from estimated
  changes);
* :mod:`evaluation.stats.reliability` — Cronbach's alpha with Feldt's interval
  (:func:`cronbach_alpha`, :func:`cronbach_alpha_from_covariance`);
* :mod:`evaluation.stats.multiple_testing` — Holm's adjustment (:func:`holm_adjust`);
* :mod:`evaluation.stats.presentation` — the "interpret with caution" flag for shown estimates
  (:func:`interpret_with_caution`), separate from suppression;
* :mod:`evaluation.stats.survey_design` — design-based estimation as R's ``survey`` package:
  the post-stratified mean of a simple random sample and the change between two independent
  samples, with linearisation standard errors (:func:`poststratified_mean`,
  :func:`poststratified_difference`, results :class:`WeightedMean`, :class:`WeightedDifference`).

One comparison reports one estimand: :func:`compare_groups` tests and bounds the same
difference in means, and restates it as Hedges' g; rank-based results are a separate
sensitivity analysis. Where a statistic is computed but should be read with care (a negative
alpha, a chi-square test on small expected counts, an exact test replaced by its
approximation) a :class:`evaluation.errors.StatisticalWarning` says why.

The statistics follow the reference implementations named in each docstring — R's ``psych``,
``stats`` and ``survey`` packages and SciPy — and the tests reproduce their documented examples.
"""

from evaluation.stats.changes import compare_change_estimates, compare_changes
from evaluation.stats.comparisons import compare_groups, crosstab_test, rank_comparison
from evaluation.stats.effect_sizes import (
    MAGNITUDES,
    effect_magnitude,
    hedges_g,
    hedges_g_from_summary,
)
from evaluation.stats.intervals import check_confidence_level, mean_sd_ci, proportion_ci
from evaluation.stats.multiple_testing import holm_adjust
from evaluation.stats.presentation import interpret_with_caution
from evaluation.stats.reliability import cronbach_alpha, cronbach_alpha_from_covariance
from evaluation.stats.results import (
    AlphaResult,
    ChangeComparison,
    ConfidenceInterval,
    CrosstabResult,
    EffectSize,
    GroupComparison,
    MeanInterval,
    RankComparison,
)
from evaluation.stats.survey_design import (
    WeightedDifference,
    WeightedMean,
    poststratified_difference,
    poststratified_mean,
)
__all__ = [
    "MAGNITUDES",
    "AlphaResult",
    "ChangeComparison",
    "ConfidenceInterval",
    "CrosstabResult",
    "EffectSize",
    "GroupComparison",
    "MeanInterval",
    "RankComparison",
    "WeightedDifference",
    "WeightedMean",
    "check_confidence_level",
    "compare_change_estimates",
    "compare_changes",
    "compare_groups",
    "cronbach_alpha",
    "cronbach_alpha_from_covariance",
    "crosstab_test",
    "effect_magnitude",
    "hedges_g",
    "hedges_g_from_summary",
    "holm_adjust",
    "interpret_with_caution",
    "mean_sd_ci",
    "poststratified_difference",
    "poststratified_mean",
    "proportion_ci",
    "rank_comparison",
]
