"""Tests of the wave comparison (evaluation.survey.waves).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations


import numpy as np
import pytest
from scipy import stats

from evaluation.stats import holm_adjust
from evaluation.survey import compare_waves, index_scores

from .survey_data import WAVES, make_items, two_wave_survey

# The programme's comparisons for phases midterm and final (Programme.comparisons).
COMPARISONS = (("baseline", "midterm"), ("baseline", "final"), ("midterm", "final"))



def test_compare_waves_tests_pilot_change_and_holm_adjusts_the_family():
    survey = two_wave_survey()
    result = compare_waves(survey, make_items(), WAVES, comparisons=COMPARISONS, threshold=5)
    pilot = result[result["level"] == "pilot"].iloc[0]
    assert (pilot["from_role"], pilot["to_role"]) == ("baseline", "midterm")
    scores = index_scores(survey, make_items())
    before = scores.loc[scores["wave"] == 2021, "score"].to_numpy()
    after = scores.loc[scores["wave"] == 2022, "score"].to_numpy()
    # independent computation with SciPy directly: Welch's t-test of the change (statistic,
    # p_value and the interval are one estimand) ...
    welch = stats.ttest_ind(after, before, equal_var=False)
    assert pilot["method"] == "welch"
    assert pilot["statistic"] == pytest.approx(welch.statistic)
    assert pilot["p_value"] == pytest.approx(welch.pvalue)
    low, high = welch.confidence_interval(0.95)
    assert (pilot["ci_low"], pilot["ci_high"]) == pytest.approx((low, high))
    assert pilot["difference"] == pytest.approx(after.mean() - before.mean())
    # ... Hedges' g by hand (Borenstein et al. 2009, ch. 4) in the cohens_d column ...
    n_a, n_b = len(after), len(before)
    pooled = np.sqrt(((n_a - 1) * after.var(ddof=1) + (n_b - 1) * before.var(ddof=1))
                     / (n_a + n_b - 2))
    g = (1 - 3 / (4 * (n_a + n_b) - 9)) * (after.mean() - before.mean()) / pooled
    assert pilot["cohens_d"] == pytest.approx(g)
    # ... and the rank-biserial correlation 2 U / (n_a n_b) - 1 of the Mann-Whitney U
    u = stats.mannwhitneyu(after, before).statistic
    assert pilot["effect_size"] == pytest.approx(2 * u / (n_a * n_b) - 1)
    assert pilot["effect_size"] > 0  # the later wave is higher
    assert (pilot["n_from"], pilot["n_to"]) == (13, 13)
    shown = result[~result["suppressed"]]
    np.testing.assert_allclose(shown["p_value_adjusted"], holm_adjust(shown["p_value"]))
    assert result.loc[result["suppressed"], "p_value_adjusted"].isna().all()


def test_compare_waves_hides_small_agencies_and_their_complement():
    result = compare_waves(two_wave_survey(), make_items(), WAVES, comparisons=COMPARISONS,
                           threshold=5).set_index("agency")
    agencies = result[result["level"] == "agency"]
    # per wave: a = 6, b = 5, c = 2 -> c primary, b (smallest other) complementary
    assert agencies["suppressed"].to_dict() == {"a": False, "b": True, "c": True}
    assert agencies.loc[["b", "c"], ["mean_from", "mean_to", "p_value"]].isna().all().all()
    assert agencies.loc[["b", "c"], "n_from"].isna().all()


def test_compare_waves_without_a_second_wave_returns_no_rows():
    survey = two_wave_survey()
    result = compare_waves(survey[survey["wave"] == 2021], make_items(), WAVES, comparisons=COMPARISONS, threshold=5)
    assert result.empty
