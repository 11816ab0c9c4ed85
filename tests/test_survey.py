"""Tests of the survey analysis (evaluation.survey) and the survey chapter.

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from evaluation.errors import DataContractError, InsufficientDataError
from evaluation.survey import (
    compare_groups,
    compare_waves,
    cronbach_alpha,
    cronbach_alpha_from_covariance,
    crosstab_test,
    holm_adjust,
    index_reliability,
    index_scores,
    index_summary,
    item_summary,
    likert_distribution,
    proportion_ci,
    response_rates,
)

DEMO = Path(__file__).resolve().parents[1] / "data" / "demo"

# pingouin's dataset ``cronbach_wide_missing`` (pingouin/datasets/cronbach_wide_missing.csv,
# from www.real-statistics.com): 12 respondents x 11 binary items, 4 answers missing.
CRONBACH_WIDE_MISSING = [
    [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
    [None, 0, 1, 1, None, 1, 1, 1, 1, 0, 0],
    [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0],
    [0, 1, None, 0, 1, 1, 1, 1, 0, 0, 0],
    [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0],
    [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
    [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0],
    [1, 0, 0, 1, 0, 1, 0, 0, None, 0, 0],
    [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0],
    [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0],
]


def wide_missing() -> pd.DataFrame:
    return pd.DataFrame(CRONBACH_WIDE_MISSING, columns=[f"Q{i}" for i in range(1, 12)],
                        dtype=float)


# -- Cronbach's alpha ---------------------------------------------------------------------------


def test_alpha_and_feldt_interval_match_pingouin_pairwise_example():
    # pingouin.cronbach_alpha docstring ("In R: psych:alpha(data, use='pairwise')"):
    # >>> pg.cronbach_alpha(data=data)
    # (0.732660835214447, array([0.435, 0.909]))
    result = cronbach_alpha(wide_missing())
    assert result.alpha == pytest.approx(0.732660835214447, abs=1e-12)
    assert result.ci.low == pytest.approx(0.435, abs=5e-4)
    assert result.ci.high == pytest.approx(0.909, abs=5e-4)
    assert (result.n, result.k) == (12, 11)


def test_alpha_after_median_imputation_matches_pingouin_example():
    # pingouin.cronbach_alpha docstring:
    # >>> pg.cronbach_alpha(data=data.fillna(data.median()))
    # (0.7380191693290734, array([0.447, 0.911]))
    data = wide_missing()
    result = cronbach_alpha(data.fillna(data.median()))
    assert result.alpha == pytest.approx(0.7380191693290734, abs=1e-12)
    assert result.ci == pytest.approx((0.447, 0.911), abs=5e-4)


def test_listwise_alpha_matches_pingouin_and_its_interval_uses_the_complete_rows():
    # pingouin.cronbach_alpha docstring ("In R: psych:alpha(data, use='complete.obs')"):
    # >>> pg.cronbach_alpha(data=data, nan_policy='listwise')
    # (0.8016949152542373, array([0.581, 0.933]))
    # pingouin's interval uses all 12 rows; ours uses the 9 complete rows that alpha rests on,
    # so the interval is checked against Feldt's formula by hand with n = 9, k = 11.
    result = cronbach_alpha(wide_missing(), nan_policy="listwise")
    assert result.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    assert result.n == 9
    df1, df2 = 8, 8 * 10
    low = 1 - (1 - result.alpha) * stats.f.ppf(0.975, df1, df2)
    high = 1 - (1 - result.alpha) * stats.f.ppf(0.025, df1, df2)
    assert result.ci == pytest.approx((low, high), abs=1e-12)
    assert result.ci.low < 0.581  # wider than an interval that pretends to have 12 rows


def congeneric_correlation() -> np.ndarray:
    # psych::sim.congeneric() with its default loads = c(0.8, 0.7, 0.6, 0.5) and N = NULL
    # returns the population correlation matrix: r_ij = l_i * l_j, diagonal 1.
    loads = np.array([0.8, 0.7, 0.6, 0.5])
    matrix = np.outer(loads, loads)
    np.fill_diagonal(matrix, 1.0)
    return matrix


def test_alpha_if_dropped_and_r_drop_match_the_psych_documentation_example():
    # R, example("alpha", "psych") (printed in the codebook package's reference pages):
    # > r4 <- sim.congeneric()
    # > alpha(r4)
    #   raw_alpha std.alpha G6(smc) average_r S/N median_r
    #        0.74      0.74    0.69      0.42 2.9     0.41
    #       lower alpha upper
    # Feldt -0.31  0.74  0.98
    #  Reliability if an item is dropped:
    #    raw_alpha ...
    # V1      0.62
    # V2      0.66
    # V3      0.70
    # V4      0.74
    #  Item statistics
    #       r r.cor r.drop
    # V1 0.81  0.74   0.64
    # V2 0.78  0.67   0.57
    # V3 0.73  0.59   0.51
    # V4 0.68  0.50   0.43
    # (a correlation matrix gives psych n = number of rows = 4 for the Feldt interval)
    result = cronbach_alpha_from_covariance(congeneric_correlation(), n_obs=4)
    assert result.alpha == pytest.approx(0.74, abs=0.005)
    assert result.ci.low == pytest.approx(-0.31, abs=0.005)
    assert result.ci.high == pytest.approx(0.98, abs=0.005)
    dropped = result.item_dropped
    assert list(dropped.index) == ["V1", "V2", "V3", "V4"]
    assert dropped["alpha_if_dropped"].tolist() == pytest.approx([0.62, 0.66, 0.70, 0.74], abs=0.005)
    assert dropped["r_drop"].tolist() == pytest.approx([0.64, 0.57, 0.51, 0.43], abs=0.005)


def test_alpha_if_dropped_matches_the_statsbase_documentation_example():
    # Julia StatsBase, docstring of cronbachalpha:
    # julia> cov_X = [10 6 6 6; 6 11 6 6; 6 6 12 6; 6 6 6 13];
    # julia> cronbachalpha(cov_X)
    # Cronbach's alpha for all items: 0.8136
    # Cronbach's alpha if an item is dropped:
    # item 1: 0.7500 / item 2: 0.7606 / item 3: 0.7714 / item 4: 0.7826
    cov = np.array([[10, 6, 6, 6], [6, 11, 6, 6], [6, 6, 12, 6], [6, 6, 6, 13]])
    result = cronbach_alpha_from_covariance(cov, n_obs=30)
    assert result.alpha == pytest.approx(0.8136, abs=5e-5)
    assert result.item_dropped["alpha_if_dropped"].tolist() == pytest.approx(
        [0.7500, 0.7606, 0.7714, 0.7826], abs=5e-5)
    assert result.items_raising_alpha() == []


def test_item_whose_removal_raises_alpha_is_flagged():
    # Hand-made: items a, b, c move together; d runs against them. Dropping d must raise alpha.
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 5, 1],
                          "c": [1, 3, 3, 4, 4, 2], "d": [5, 1, 4, 2, 1, 3]})
    result = cronbach_alpha(frame)
    without_d = cronbach_alpha(frame[["a", "b", "c"]])
    assert result.item_dropped.loc["d", "alpha_if_dropped"] == pytest.approx(without_d.alpha)
    assert result.items_raising_alpha() == ["d"]
    assert result.item_dropped.loc["d", "r_drop"] < 0


def test_alpha_drops_constant_items_like_psych_and_refuses_too_little_data():
    frame = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [3, 3, 3, 3]})
    result = cronbach_alpha(frame)
    assert result.constant_items == ("c",)
    assert result.k == 2
    # two items: alpha = 2 (1 - (var a + var b) / var(a + b)), by hand
    var_a, var_b = statistics.variance([1, 2, 3, 4]), statistics.variance([2, 2, 4, 4])
    var_sum = statistics.variance([3, 4, 7, 8])
    assert result.alpha == pytest.approx(2 * (1 - (var_a + var_b) / var_sum))
    assert math.isnan(result.item_dropped.loc["a", "alpha_if_dropped"])
    with pytest.raises(InsufficientDataError):
        cronbach_alpha(pd.DataFrame({"a": [1, 2, 3]}))
    with pytest.raises(InsufficientDataError):
        cronbach_alpha(pd.DataFrame({"a": [1.0], "b": [2.0]}))
    with pytest.raises(ValueError):
        cronbach_alpha(frame, nan_policy="drop")


# -- Mann–Whitney, Welch, Cohen's d -------------------------------------------------------------


def test_mann_whitney_matches_the_scipy_documentation_example():
    # scipy.stats.mannwhitneyu docstring: males = [19, 22, 16, 29, 24],
    # females = [20, 11, 17, 12]; U1 = 17.0, p = 0.1111111111111111 (exact),
    # and with method="asymptotic": 0.11134688653314041.
    males, females = [19, 22, 16, 29, 24], [20, 11, 17, 12]
    result = compare_groups(males, females)
    assert result.statistic == 17.0
    assert result.method == "exact"
    assert result.pvalue == pytest.approx(0.1111111111111111, abs=1e-15)
    asymptotic = compare_groups(males, females, method="asymptotic")
    assert asymptotic.pvalue == pytest.approx(0.11134688653314041, abs=1e-15)
    # rank-biserial by hand: 2 * 17 / (5 * 4) - 1 = 0.7 (males tend to be higher)
    assert result.effect_size == pytest.approx(0.7)
    assert (result.n_a, result.n_b) == (5, 4)


def test_mann_whitney_one_sided_matches_r_wilcox_test_example():
    # R ?wilcox.test:
    # > x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
    # > y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
    # > wilcox.test(x, y, alternative = "g")
    # W = 35, p-value = 0.1272
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    result = compare_groups(x, y, alternative="greater")
    assert result.statistic == 35
    assert result.pvalue == pytest.approx(0.1272, abs=5e-5)


def test_ties_use_the_normal_approximation_like_r():
    # R: wilcox.test(extra ~ group, data = sleep)
    # W = 25.5, p-value = 0.06933   (with the warning "cannot compute exact p-value with ties")
    result = compare_groups(SLEEP_1, SLEEP_2)
    assert result.statistic == 25.5
    assert result.method == "asymptotic"
    assert result.pvalue == pytest.approx(0.06933, abs=5e-6)


# R's sleep data (datasets::sleep), extra hours of sleep with drug 1 and drug 2
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


def test_welch_interval_matches_r_t_test_on_sleep():
    # R: t.test(extra ~ group, data = sleep)
    # t = -1.8608, df = 17.776, p-value = 0.07939
    # 95 percent confidence interval:
    #  -3.3654832  0.2054832
    # mean in group 1 mean in group 2
    #            0.75            2.33
    result = compare_groups(SLEEP_1, SLEEP_2)
    assert result.mean_a == pytest.approx(0.75)
    assert result.mean_b == pytest.approx(2.33)
    assert result.welch_df == pytest.approx(17.776, abs=5e-4)
    assert result.ci.low == pytest.approx(-3.3654832, abs=5e-8)
    assert result.ci.high == pytest.approx(0.2054832, abs=5e-8)


def test_cohens_d_uses_the_pooled_standard_deviation():
    # by hand with Python's statistics module (sample variances, n - 1)
    pooled = math.sqrt((9 * statistics.variance(SLEEP_1) + 9 * statistics.variance(SLEEP_2)) / 18)
    expected = (statistics.mean(SLEEP_1) - statistics.mean(SLEEP_2)) / pooled
    assert compare_groups(SLEEP_1, SLEEP_2).cohens_d == pytest.approx(expected, rel=1e-12)


def test_compare_groups_refuses_samples_of_one_and_bad_arguments():
    with pytest.raises(InsufficientDataError):
        compare_groups([1.0], [2.0, 3.0])
    with pytest.raises(ValueError):
        compare_groups([1, 2], [3, 4], alternative="bigger")
    with pytest.raises(ValueError):
        compare_groups([1, 2], [3, 4], method="permutation")


# -- chi-square, Wilson, Holm -------------------------------------------------------------------


def test_crosstab_matches_r_chisq_test_documentation_example():
    # R ?chisq.test:
    # > M <- as.table(rbind(c(762, 327, 468), c(484, 239, 477)))
    # > (Xsq <- chisq.test(M))
    # X-squared = 30.07, df = 2, p-value = 2.954e-07
    # > Xsq$statistic   30.07015      > Xsq$p.value   2.953589e-07
    # > Xsq$stdres
    #   F  4.5020535   0.6994517 -5.3159455
    #   M -4.5020535  -0.6994517  5.3159455
    table = pd.DataFrame([[762, 327, 468], [484, 239, 477]], index=["F", "M"],
                         columns=["Democrat", "Independent", "Republican"])
    result = crosstab_test(table)
    assert result.statistic == pytest.approx(30.07015, abs=5e-6)
    assert result.dof == 2
    assert result.pvalue == pytest.approx(2.953589e-07, rel=5e-7)
    expected_stdres = [[4.5020535, 0.6994517, -5.3159455], [-4.5020535, -0.6994517, 5.3159455]]
    np.testing.assert_allclose(result.standardized_residuals.to_numpy(), expected_stdres, atol=5e-8)
    assert list(result.standardized_residuals.index) == ["F", "M"]
    # Cramér's V by hand: sqrt(X² / (N (min(2, 3) - 1))), N = 2757
    assert result.cramers_v == pytest.approx(math.sqrt(30.070149095754687 / 2757), rel=1e-9)


def test_crosstab_has_no_yates_correction_on_two_by_two():
    # by hand: [[10, 20], [20, 10]], E = 15 everywhere, X² = 4 * 25 / 15 = 6.6667 (no correction)
    assert crosstab_test([[10, 20], [20, 10]]).statistic == pytest.approx(20 / 3)
    with pytest.raises(InsufficientDataError):
        crosstab_test([[0, 0], [1, 2]])


def test_wilson_interval_matches_r_prop_test_without_correction():
    # R: prop.test(x = 319, n = 715, p = .5, correct = FALSE)
    # 95 percent confidence interval:  0.4101018 0.4827814
    assert proportion_ci(319, 715) == pytest.approx((0.4101018, 0.4827814), abs=5e-8)
    # R: prop.test(6, 52, correct = FALSE)  (R bug report PR#2794 thread)
    # 95 percent confidence interval:  0.05396969 0.22971664
    assert proportion_ci(6, 52) == pytest.approx((0.05396969, 0.22971664), abs=5e-9)


def test_wilson_interval_edges_and_arrays():
    low, high = proportion_ci(np.array([0, 5]), np.array([5, 5]))
    assert low[0] == 0 and high[1] == 1
    assert 0 < high[0] < 1 and 0 < low[1] < 1
    assert all(math.isnan(v) for v in proportion_ci(0, 0))
    with pytest.raises(ValueError):
        proportion_ci(6, 5)


def test_holm_adjustment_by_hand():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm"), by hand:
    # sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> cummax 0.06
    adjusted = holm_adjust([0.01, 0.04, 0.03, np.nan, 0.005])
    np.testing.assert_allclose(adjusted[[0, 1, 2, 4]], [0.03, 0.06, 0.06, 0.02])
    assert math.isnan(adjusted[3])
    assert holm_adjust([0.6, 0.7]).tolist() == [1.0, 1.0]


# -- survey frames ------------------------------------------------------------------------------


def make_items() -> pd.DataFrame:
    return pd.DataFrame({
        "item_id": ["Q01", "Q02", "Q03"],
        "index": ["collaboration", "collaboration", "collaboration"],
        "scale": ["agree5"] * 3,
        "reverse_keyed": [False, False, True],
        "text_nb": ["A", "B", "C"],
        "text_en": ["A", "B", "C"],
        "scale_min": pd.array([1, 1, 1], dtype="Int64"),
        "scale_max": pd.array([5, 5, 5], dtype="Int64"),
        "dont_know_code": pd.array([9, 9, 9], dtype="Int64"),
    })


def make_scales() -> pd.DataFrame:
    labels = ["Helt uenig", "Uenig", "Verken eller", "Enig", "Helt enig", "Vet ikke"]
    return pd.DataFrame({"scale": "agree5", "code": [1, 2, 3, 4, 5, 9], "label_nb": labels,
                         "label_en": labels, "dont_know": [False] * 5 + [True]})


def responses_from(rows, columns=("respondent_id", "wave", "pilot", "agency", "Q01", "Q02", "Q03")):
    frame = pd.DataFrame(rows, columns=list(columns))
    for item in ("Q01", "Q02", "Q03"):
        frame[item] = pd.array(frame[item], dtype="Int64")
    return frame


def small_survey() -> pd.DataFrame:
    # agency "a": 6 respondents, agency "b": 3 respondents, one wave
    return responses_from([
        ("r1", 2022, "stad", "a", 5, 4, 1),
        ("r2", 2022, "stad", "a", 4, 4, 2),
        ("r3", 2022, "stad", "a", 4, 9, 2),
        ("r4", 2022, "stad", "a", 3, 3, None),
        ("r5", 2022, "stad", "a", 2, None, 4),
        ("r6", 2022, "stad", "a", 9, 2, 5),
        ("r7", 2022, "stad", "b", 5, 5, 1),
        ("r8", 2022, "stad", "b", 1, 5, 1),
        ("r9", 2022, "stad", "b", 5, 4, 2),
    ])


def test_likert_distribution_counts_levels_and_keeps_dont_know_out_of_the_base():
    result = likert_distribution(small_survey(), make_items(), scales=make_scales())
    q1 = result[result["item"] == "Q01"].set_index("level")
    # Q01 answers: 5,4,4,3,2,(9),5,1,5 -> levels 1..5 = 1,1,1,2,3; 8 on the scale, 1 don't know
    assert q1["count"].tolist() == [1, 1, 1, 2, 3]
    assert q1["n_valid"].unique().tolist() == [8]
    assert q1["n_dont_know"].unique().tolist() == [1]
    assert q1["n"].unique().tolist() == [9]
    assert q1["share"].tolist() == pytest.approx([1 / 8, 1 / 8, 1 / 8, 2 / 8, 3 / 8])
    assert q1.loc[4, "label"] == "Enig"
    assert not q1["suppressed"].any()
    assert list(result.columns) == ["item", "index", "level", "label", "count", "share",
                                    "n_valid", "n_dont_know", "n", "suppressed"]


def test_likert_distribution_suppresses_small_groups_and_their_complement():
    survey = pd.concat([small_survey(), responses_from([
        ("r10", 2022, "stad", "c", 3, 3, 3), ("r11", 2022, "stad", "c", 3, 3, 3),
        ("r12", 2022, "stad", "c", 4, 4, 4), ("r13", 2022, "stad", "c", 4, 4, 4),
        ("r14", 2022, "stad", "c", 5, 5, 5), ("r15", 2022, "stad", "c", 5, 5, 5),
        ("r16", 2022, "stad", "c", 2, 2, 2),
    ])], ignore_index=True)
    result = likert_distribution(survey, make_items(), by="agency")
    q1 = result[result["item"] == "Q01"].drop_duplicates("agency").set_index("agency")
    # Q01 on the scale: a = 5, b = 3 (primary), c = 7 -> a (smallest other) is the complement
    assert q1["suppressed"].to_dict() == {"a": True, "b": True, "c": False}
    hidden = result[(result["agency"] == "b")]
    assert hidden["count"].isna().all() and hidden["share"].isna().all()
    assert hidden["n_valid"].isna().all()


def test_item_summary_mean_ci_and_top_two_box_by_hand():
    result = item_summary(small_survey(), make_items(), threshold=5).set_index("item")
    q1 = result.loc["Q01"]
    values = [5, 4, 4, 3, 2, 5, 1, 5]
    assert q1["n"] == 8 and q1["n_dont_know"] == 1
    assert q1["mean"] == pytest.approx(statistics.mean(values))
    assert q1["sd"] == pytest.approx(statistics.stdev(values))
    half = 2.364624 * statistics.stdev(values) / math.sqrt(8)  # R: qt(0.975, 7) = 2.364624
    assert q1["ci_low"] == pytest.approx(statistics.mean(values) - half, abs=1e-6)
    assert q1["top2_share"] == pytest.approx(5 / 8)   # 4 or 5: 5,4,4,5,5
    assert q1["bottom2_share"] == pytest.approx(2 / 8)  # 1 or 2
    # Wilson interval of 5/8 by hand from the formula with z = 1.959964
    z = 1.959964
    centre = (5 / 8 + z**2 / 16) / (1 + z**2 / 8)
    spread = z * math.sqrt(5 / 8 * 3 / 8 / 8 + z**2 / 256) / (1 + z**2 / 8)
    assert q1["top2_ci_low"] == pytest.approx(centre - spread, abs=1e-6)
    assert q1["top2_ci_high"] == pytest.approx(centre + spread, abs=1e-6)


def test_index_scores_reverse_key_and_need_half_the_items():
    scores = index_scores(small_survey(), make_items()).set_index("respondent_id")
    # r1: Q01 5, Q02 4, Q03 1 reversed -> 5: mean 14/3
    assert scores.loc["r1", "score"] == pytest.approx(14 / 3)
    # r3: Q02 is "vet ikke": (4 + (6 - 2)) / 2 = 4, two of three items answered
    assert scores.loc["r3", "score"] == pytest.approx(4.0)
    assert scores.loc["r3", "n_answered"] == 2
    one_item = responses_from([("x", 2022, "stad", "a", 4, None, 9)])
    assert math.isnan(index_scores(one_item, make_items())["score"].iloc[0])
    assert list(scores.reset_index().columns) == ["respondent_id", "wave", "pilot", "agency",
                                                  "index", "score", "n_answered", "n_items"]


def test_index_summary_suppresses_small_agencies():
    summary = index_summary(small_survey(), make_items(), by=["agency"])
    a = summary.set_index("agency").loc["a"]
    # with b (3) suppressed, a is the only other agency and becomes the complement
    assert summary["suppressed"].tolist() == [True, True]
    assert math.isnan(a["mean"])
    pooled = index_summary(small_survey(), make_items(), by=None)
    scores = index_scores(small_survey(), make_items())["score"]
    assert pooled["mean"].iloc[0] == pytest.approx(scores.mean())
    assert pooled["n"].iloc[0] == 9


def test_index_reliability_uses_reverse_keyed_items():
    survey = small_survey()
    table = index_reliability(survey, make_items(), threshold=5)
    manual = pd.DataFrame({
        "Q01": survey["Q01"].astype(float).where(survey["Q01"] != 9),
        "Q02": survey["Q02"].astype(float).where(survey["Q02"] != 9),
        "Q03": 6 - survey["Q03"].astype(float),
    })
    expected = cronbach_alpha(manual)
    row = table.indices.iloc[0]
    assert row["alpha"] == pytest.approx(expected.alpha)
    assert row["n"] == 9 and row["k"] == 3
    assert set(table.items["item"]) == {"Q01", "Q02", "Q03"}
    small = index_reliability(survey.head(4), make_items(), threshold=5)
    assert small.indices["suppressed"].all() and small.items["alpha_if_dropped"].isna().all()


def test_response_rates_by_hand_with_suppression():
    population = pd.DataFrame({"pilot": "stad", "agency": ["a", "b", "c"], "wave": 2022,
                               "invited": [10, 4, 20]})
    responses = small_survey()
    rates = response_rates(population, responses, by=("wave", "agency")).set_index("agency")
    # a: 6 of 10; b: 3 of 4 (primary); c: 0 of 20 (zero, shown) -> complement is a (6)
    assert rates.loc["c", "responded"] == 0 and rates.loc["c", "rate"] == 0
    assert rates.loc["b", "suppressed"] and rates.loc["a", "suppressed"]
    assert pd.isna(rates.loc["b", "responded"]) and math.isnan(rates.loc["a", "rate"])
    assert rates["invited"].tolist() == [10, 4, 20]
    total = response_rates(population, responses, by="wave").iloc[0]
    assert (total["invited"], total["responded"]) == (34, 9)
    assert total["rate"] == pytest.approx(9 / 34)


def test_response_rates_reject_responses_without_a_population_row():
    population = pd.DataFrame({"pilot": "stad", "agency": ["a"], "wave": 2022, "invited": [10]})
    with pytest.raises(DataContractError) as info:
        response_rates(population, small_survey(), by=("wave", "agency"))
    assert info.value.file == "survey/population.csv"


def test_codes_outside_the_scale_raise_a_contract_error_with_row_and_column():
    survey = small_survey()
    survey.loc[4, "Q02"] = 7
    with pytest.raises(DataContractError) as info:
        likert_distribution(survey, make_items())
    assert (info.value.file, info.value.row, info.value.column) == ("survey/responses.csv", 6, "Q02")
    with pytest.raises(DataContractError):
        item_summary(survey.drop(columns=["Q03"]), make_items())
    with pytest.raises(ValueError):
        likert_distribution(small_survey(), make_items(), by="office")


# -- compare_waves ------------------------------------------------------------------------------


WAVES = pd.DataFrame({"wave": [2021, 2022, 2024], "role": ["baseline", "midterm", "final"]})


def two_wave_survey() -> pd.DataFrame:
    rows = []
    baseline = {"a": [(2, 2, 4), (3, 2, 4), (2, 3, 3), (3, 3, 3), (2, 2, 5), (3, 3, 4)],
                "b": [(4, 4, 2), (3, 4, 2), (4, 3, 3), (5, 4, 1), (4, 4, 2)],
                "c": [(3, 3, 3), (4, 4, 4)]}
    midterm = {"a": [(4, 4, 2), (5, 4, 1), (4, 5, 2), (4, 4, 1), (5, 5, 2), (4, 3, 2)],
               "b": [(4, 4, 2), (4, 5, 2), (5, 4, 1), (4, 4, 2), (5, 5, 1)],
               "c": [(4, 4, 2), (5, 5, 1)]}
    for wave, groups in ((2021, baseline), (2022, midterm)):
        for agency, answers in groups.items():
            for number, (q1, q2, q3) in enumerate(answers):
                rows.append((f"{wave}-{agency}-{number}", wave, "stad", agency, q1, q2, q3))
    return responses_from(rows)


def test_compare_waves_tests_pilot_change_and_holm_adjusts_the_family():
    survey = two_wave_survey()
    result = compare_waves(survey, make_items(), WAVES)
    pilot = result[result["level"] == "pilot"].iloc[0]
    assert (pilot["from_role"], pilot["to_role"]) == ("baseline", "midterm")
    scores = index_scores(survey, make_items())
    before = scores.loc[scores["wave"] == 2021, "score"].to_numpy()
    after = scores.loc[scores["wave"] == 2022, "score"].to_numpy()
    # independent computation with SciPy directly (ties -> asymptotic, continuity corrected)
    reference = stats.mannwhitneyu(after, before, method="asymptotic")
    assert pilot["statistic"] == reference.statistic
    assert pilot["pvalue"] == pytest.approx(reference.pvalue)
    assert pilot["difference"] == pytest.approx(after.mean() - before.mean())
    assert pilot["effect_size"] > 0  # the later wave is higher
    assert (pilot["n_from"], pilot["n_to"]) == (13, 13)
    shown = result[~result["suppressed"]]
    np.testing.assert_allclose(shown["pvalue_holm"], holm_adjust(shown["pvalue"]))
    assert result.loc[result["suppressed"], "pvalue_holm"].isna().all()


def test_compare_waves_hides_small_agencies_and_their_complement():
    result = compare_waves(two_wave_survey(), make_items(), WAVES).set_index("agency")
    agencies = result[result["level"] == "agency"]
    # per wave: a = 6, b = 5, c = 2 -> c primary, b (smallest other) complementary
    assert agencies["suppressed"].to_dict() == {"a": False, "b": True, "c": True}
    assert agencies.loc[["b", "c"], ["mean_from", "mean_to", "pvalue"]].isna().all().all()
    assert agencies.loc[["b", "c"], "n_from"].isna().all()


def test_compare_waves_without_a_second_wave_returns_no_rows():
    survey = two_wave_survey()
    result = compare_waves(survey[survey["wave"] == 2021], make_items(), WAVES)
    assert result.empty
