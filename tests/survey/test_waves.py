"""Tests of the wave comparison (evaluation.survey.waves).

Reference values come from a second implementation, cited at each test: R's ``survey`` package
(4.1-1) for the post-stratified rows, SciPy for Welch's t-test, and computations by hand written
out in the test (Hedges' g after Borenstein et al. 2009, ch. 4; Holm after R's ``p.adjust``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.contract.evidence_rules import EvidenceRules
from evaluation.stats import holm_adjust
from evaluation.survey import compare_waves, index_scores

from .survey_data import WAVES, make_items, responses_from, two_wave_survey

# The programme's comparisons for phases midterm and final (Programme.comparisons).
COMPARISONS = (("baseline", "midterm"), ("baseline", "final"), ("midterm", "final"))
RULES = EvidenceRules(minimal_important_change=0.3, caution_min_respondents=30,
                      caution_max_interval_width=1.0, finite_population_correction=False,
                      interview_net_threshold=0.2, completed_late_milestone="on_track")
POPULATION = pd.DataFrame({"pilot": "stad", "agency": ["a", "b", "c"] * 2,
                           "wave": [2021] * 3 + [2022] * 3, "invited": [10, 8, 6] * 2})


def _compare(survey, *, weighted, rules=RULES, population=POPULATION):
    return compare_waves(survey, make_items(), WAVES, comparisons=COMPARISONS, population=population,
                         weighted=weighted, rules=rules, threshold=5)


def test_an_unweighted_pilot_row_is_welchs_t_test_with_its_matching_interval_and_hedges_g():
    survey = two_wave_survey()
    pilot = _compare(survey, weighted=False).query("level == 'pilot'").iloc[0]
    assert (pilot["from_role"], pilot["to_role"], pilot["method"]) == ("baseline", "midterm", "welch")
    scores = index_scores(survey, make_items())
    before = scores.loc[scores["wave"] == 2021, "score"].to_numpy()
    after = scores.loc[scores["wave"] == 2022, "score"].to_numpy()
    # a second library: SciPy's Welch test, whose statistic, p and interval are one estimand
    welch = stats.ttest_ind(after, before, equal_var=False)
    low, high = welch.confidence_interval(0.95)
    assert (pilot["statistic"], pilot["p_value"]) == pytest.approx((welch.statistic, welch.pvalue))
    assert (pilot["ci_low"], pilot["ci_high"], pilot["df"]) == pytest.approx((low, high, welch.df))
    assert pilot["difference"] == pytest.approx(after.mean() - before.mean())
    # Hedges' g by hand (Borenstein et al. 2009, eq. 4.18-4.23)
    n_a, n_b = len(after), len(before)
    pooled = np.sqrt(((n_a - 1) * after.var(ddof=1) + (n_b - 1) * before.var(ddof=1)) / (n_a + n_b - 2))
    d = (after.mean() - before.mean()) / pooled
    j = 1 - 3 / (4 * (n_a + n_b) - 9)
    se = j * np.sqrt((n_a + n_b) / (n_a * n_b) + d**2 / (2 * (n_a + n_b)))
    assert pilot["hedges_g"] == pytest.approx(j * d)
    assert (pilot["hedges_g_low"], pilot["hedges_g_high"]) == pytest.approx((j * d - 1.959964 * se,
                                                                               j * d + 1.959964 * se))
    assert pilot["magnitude"] == "large"  # g = 2.2 > 0.8 (Cohen 1988)
    assert (pilot["n_from"], pilot["n_to"], bool(pilot["weighted"])) == (13, 13, False)


def test_a_weighted_pilot_row_reproduces_rs_survey_package_with_the_hidden_agencies_pooled():
    # Agencies b (5) and c (2) are hidden in both waves (c below 5, b its complement), so they
    # form one post-stratum "bc" with 8 + 6 = 14 invited; a has 10 invited. R 4.x, survey 4.1-1,
    # on the index scores of tests/survey/survey_data.py::two_wave_survey:
    #   s$ws <- paste(s$wave, s$stratum)   # stratum: a, or bc for b and c
    #   pop <- data.frame(ws = c("2021 a", "2021 bc", "2022 a", "2022 bc"), Freq = c(10, 14, 10, 14))
    #   d <- postStratify(svydesign(ids = ~1, strata = ~wave, weights = ~1, data = s), ~ws, pop)
    #   svyby(~score, ~wave, d, svymean)     # 3.162037037 (se 0.1427571913), 4.365740741 (0.1162750381)
    #   svyttest(score ~ factor(wave), d)    # t = 6.537669314, df = 23, p = 1.136761672e-06,
    #                                        # difference 1.203703704, 95 % CI 0.8228262522 to 1.584581155
    pilot = _compare(two_wave_survey(), weighted=True).query("level == 'pilot'").iloc[0]
    assert pilot["method"] == "poststratified" and bool(pilot["weighted"])
    assert (pilot["mean_from"], pilot["mean_to"]) == pytest.approx((3.162037037, 4.365740741), rel=1e-9)
    assert pilot["difference"] == pytest.approx(1.203703704, rel=1e-9)
    assert (pilot["statistic"], pilot["df"]) == pytest.approx((6.537669314, 23), rel=1e-9)
    assert pilot["p_value"] == pytest.approx(1.136761672e-06, rel=1e-8)
    assert (pilot["ci_low"], pilot["ci_high"]) == pytest.approx((0.8228262522, 1.584581155), rel=1e-9)
    assert pilot["standard_error"] == pytest.approx(np.hypot(0.1427571913, 0.1162750381), rel=1e-9)


def test_weighting_reveals_nothing_about_a_hidden_agency_that_the_unweighted_mean_does_not():
    # Hand arithmetic: the unweighted pilot mean and the shown agency a give the mean of the
    # hidden agencies b and c together; the weighted mean must be a + that pooled mean weighted
    # by invited staff, so it gives the same pooled mean back and nothing about b or c alone.
    survey = two_wave_survey()
    both = {w: _compare(survey, weighted=w) for w in (True, False)}
    unweighted = both[False].query("level == 'pilot'").iloc[0]
    agency_a = both[False].query("level == 'agency' and agency == 'a'").iloc[0]
    pooled_before = (13 * unweighted["mean_from"] - 6 * agency_a["mean_from"]) / 7
    weighted = both[True].query("level == 'pilot'").iloc[0]
    assert weighted["mean_from"] == pytest.approx((10 * agency_a["mean_from"] + 14 * pooled_before) / 24)
    assert both[True].query("level == 'agency' and agency in ['b', 'c']")["mean_from"].isna().all()


def test_only_the_pilot_change_from_the_baseline_is_tested_and_holm_runs_within_pilot_and_phase():
    survey, population = _three_waves()
    result = _compare(survey, weighted=False, population=population)
    tested = result[result["p_value"].notna()]
    assert set(tested["level"]) == {"pilot"} and set(tested["from_role"]) == {"baseline"}
    assert tested["primary"].all() and not result.loc[~result["primary"], "p_value_adjusted"].notna().any()
    for _, family in tested.groupby(["pilot", "to_role"]):
        np.testing.assert_allclose(family["p_value_adjusted"], holm_adjust(family["p_value"].to_numpy()))
    assert result.loc[result["level"] == "agency", ["statistic", "p_value"]].isna().all().all()


def test_the_midterm_p_values_do_not_change_when_the_final_wave_arrives():
    survey, population = _three_waves()
    with_final = _compare(survey, weighted=True, population=population)
    without = _compare(survey[survey["wave"] < 2024], weighted=True, population=population)
    keys = ["level", "pilot", "agency", "index", "from_role", "to_role"]
    midterm = with_final[with_final["to_role"] == "midterm"].merge(without, on=keys, suffixes=("", "_before"))
    assert len(midterm) == len(without)
    np.testing.assert_array_equal(midterm["p_value_adjusted"], midterm["p_value_adjusted_before"])
    np.testing.assert_array_equal(midterm["difference"], midterm["difference_before"])


def test_estimates_from_few_respondents_or_wide_intervals_are_marked_for_caution():
    result = _compare(two_wave_survey(), weighted=True)
    shown = result[~result["suppressed"]]
    # every shown row here has fewer than 30 respondents in a wave (13 and 6)
    assert shown["caution"].all() and not result.loc[result["suppressed"], "caution"].any()
    relaxed = EvidenceRules(minimal_important_change=0.3, caution_min_respondents=6,
                            caution_max_interval_width=10.0, finite_population_correction=False,
                            interview_net_threshold=0.2, completed_late_milestone="on_track")
    assert not _compare(two_wave_survey(), weighted=True, rules=relaxed)["caution"].any()


def test_compare_waves_hides_small_agencies_and_their_complement():
    result = _compare(two_wave_survey(), weighted=False).set_index("agency")
    agencies = result[result["level"] == "agency"]
    # per wave: a = 6, b = 5, c = 2 -> c primary, b (smallest other) complementary
    assert agencies["suppressed"].to_dict() == {"a": False, "b": True, "c": True}
    assert agencies.loc[["b", "c"], ["mean_from", "mean_to", "difference"]].isna().all().all()
    assert agencies.loc[["b", "c"], "n_from"].isna().all()


def test_compare_waves_without_a_second_wave_returns_no_rows():
    survey = two_wave_survey()
    assert _compare(survey[survey["wave"] == 2021], weighted=True).empty


def test_weighting_needs_the_population():
    with pytest.raises(ValueError, match="population"):
        compare_waves(two_wave_survey(), make_items(), WAVES, comparisons=COMPARISONS, population=None,
                      weighted=True, rules=RULES, threshold=5)


def _three_waves():
    """The two-wave survey plus a final wave (2024) with the midterm answers shifted by one."""
    survey = two_wave_survey()
    final = survey[survey["wave"] == 2022].copy()
    final["wave"] = 2024
    final["respondent_id"] = final["respondent_id"].str.replace("2022", "2024")
    final["Q01"] = (final["Q01"] - 1).clip(lower=1)
    population = pd.concat([POPULATION, POPULATION[POPULATION["wave"] == 2022].assign(wave=2024)],
                           ignore_index=True)
    return responses_from(pd.concat([survey, final]).itertuples(index=False, name=None)), population


def test_the_difference_of_two_agencies_changes_is_computed_by_hand():
    from evaluation.survey import compare_agency_changes

    survey = two_wave_survey()
    result = compare_agency_changes(survey, make_items(), WAVES, pilot="stad", index="collaboration",
                                    agencies=("a", "b"), roles=("baseline", "midterm"), threshold=2)
    scores = index_scores(survey, make_items())
    groups = [scores.loc[(scores["agency"] == agency) & (scores["wave"] == wave), "score"].to_numpy()
              for agency in ("a", "b") for wave in (2021, 2022)]
    means = [g.mean() for g in groups]
    v = np.array([g.var(ddof=1) / len(g) for g in groups])
    n = np.array([len(g) for g in groups])
    difference = (means[1] - means[0]) - (means[3] - means[2])
    se = np.sqrt(v.sum())
    df = v.sum() ** 2 / np.sum(v**2 / (n - 1))  # Welch-Satterthwaite over four means
    assert (result.difference, result.se, result.df) == pytest.approx((difference, se, df))
    assert result.p_value == pytest.approx(2 * stats.t.sf(abs(difference / se), df))
    half = stats.t.ppf(0.975, df) * se
    assert (result.ci.low, result.ci.high) == pytest.approx((difference - half, difference + half))


def test_the_difference_of_changes_refuses_a_hidden_agency():
    from evaluation.errors import InsufficientDataError
    from evaluation.survey import compare_agency_changes

    with pytest.raises(InsufficientDataError, match="c in stad, wave 2021: the group is hidden"):
        compare_agency_changes(two_wave_survey(), make_items(), WAVES, pilot="stad", index="collaboration",
                               agencies=("c", "a"), roles=("baseline", "midterm"), threshold=5)
