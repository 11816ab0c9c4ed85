"""Tests of two-sample comparisons and the chi-square test (evaluation.stats.comparisons).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math
import statistics
import warnings

import numpy as np
import pandas as pd
import pytest

from evaluation.errors import InsufficientDataError, StatisticalWarning
from evaluation.stats import compare_groups, crosstab_test, rank_comparison
from evaluation.stats.comparisons import EXACT_MAX_PAIRS


# R's sleep data (datasets::sleep), extra hours of sleep with drug 1 and drug 2
SLEEP_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]


SLEEP_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]


# R's mtcars: mpg of the automatic (am == 0) and manual (am == 1) cars
MPG_AUTOMATIC = [21.4, 18.7, 18.1, 14.3, 24.4, 22.8, 19.2, 17.8, 16.4, 17.3, 15.2, 10.4, 10.4,
                 14.7, 21.5, 15.5, 15.2, 13.3, 19.2]
MPG_MANUAL = [21.0, 21.0, 22.8, 32.4, 30.4, 33.9, 27.3, 26.0, 30.4, 15.8, 19.7, 15.0, 21.4]


def test_welch_test_and_interval_match_r_t_test_on_sleep():
    # R: t.test(extra ~ group, data = sleep)
    # t = -1.8608, df = 17.776, p-value = 0.07939
    # 95 percent confidence interval:
    #  -3.3654832  0.2054832
    # mean in group 1 mean in group 2
    #            0.75            2.33
    # > r <- t.test(extra ~ group, data = sleep)
    # > print(unlist(r[c("statistic","parameter","p.value","conf.int")]), digits=12)
    #      statistic.t     parameter.df          p.value        conf.int1
    # -1.8608134674869 17.7764735161785  0.0793941401874 -3.3654832307117
    #        conf.int2
    #  0.2054832307117
    result = compare_groups(SLEEP_1, SLEEP_2)
    assert result.method == "welch" and result.alternative == "two-sided"
    assert result.mean_a == pytest.approx(0.75) and result.mean_b == pytest.approx(2.33)
    assert result.mean_difference == pytest.approx(0.75 - 2.33)
    assert result.statistic == pytest.approx(-1.8608134674869, abs=5e-13)
    assert result.df == pytest.approx(17.7764735161785, abs=5e-13)
    assert result.p_value == pytest.approx(0.0793941401874, abs=5e-13)
    assert result.ci.low == pytest.approx(-3.3654832307117, abs=5e-13)
    assert result.ci.high == pytest.approx(0.2054832307117, abs=5e-13)
    assert (result.n_a, result.n_b) == (10, 10)


def test_welch_test_matches_r_t_test_on_mtcars_with_unequal_groups():
    # R: t.test(mpg ~ am, data = mtcars)
    # t = -3.7671, df = 18.332, p-value = 0.001374
    # 95 percent confidence interval:
    #  -11.280194  -3.209684
    # mean in group 0 mean in group 1
    #        17.14737        24.39231
    result = compare_groups(MPG_AUTOMATIC, MPG_MANUAL)
    assert result.statistic == pytest.approx(-3.7671, abs=5e-5)
    assert result.df == pytest.approx(18.332, abs=5e-4)
    assert result.p_value == pytest.approx(0.001374, abs=5e-7)
    assert result.ci == pytest.approx((-11.280194, -3.209684), abs=5e-7)
    assert (result.mean_a, result.mean_b) == pytest.approx((17.14737, 24.39231), abs=5e-6)


def test_one_sided_welch_tests_report_the_matching_one_sided_interval_as_r():
    # R: t.test(extra ~ group, data = sleep, alternative = "less")
    # t = -1.8608, df = 17.776, p-value = 0.0397
    # 95 percent confidence interval:
    #        -Inf -0.1066185
    less = compare_groups(SLEEP_1, SLEEP_2, alternative="less")
    assert less.p_value == pytest.approx(0.0397, abs=5e-5)
    assert less.ci.low == -math.inf
    assert less.ci.high == pytest.approx(-0.1066185, abs=5e-8)
    # R: t.test(extra ~ group, data = sleep, alternative = "greater", conf.level = 0.9)
    # t = -1.8608, df = 17.776, p-value = 0.9603
    # 90 percent confidence interval:
    #  -2.710164       Inf
    greater = compare_groups(SLEEP_1, SLEEP_2, alternative="greater", confidence_level=0.9)
    assert greater.p_value == pytest.approx(0.9603, abs=5e-5)
    assert greater.ci.low == pytest.approx(-2.710164, abs=5e-7)
    assert greater.ci.high == math.inf
    assert greater.alternative == "greater" and greater.confidence_level == 0.9


def test_welch_test_with_one_constant_sample_matches_r():
    # R: t.test(c(4, 4, 4, 4), c(1, 2, 3, 4, 5))
    # t = 1.4142, df = 4, p-value = 0.2302
    # 95 percent confidence interval:
    #  -0.9632432  2.9632432
    result = compare_groups([4, 4, 4, 4], [1, 2, 3, 4, 5])
    assert result.statistic == pytest.approx(1.4142, abs=5e-5)
    assert result.df == pytest.approx(4.0)
    assert result.p_value == pytest.approx(0.2302, abs=5e-5)
    assert result.ci == pytest.approx((-0.9632432, 2.9632432), abs=5e-8)


def test_compare_groups_effect_is_hedges_g_of_the_same_difference():
    # by hand (Borenstein et al. 2009, ch. 4) with Python's statistics module:
    # pooled SD over n - 2 = 18 degrees of freedom, d = difference / pooled SD,
    # J = 1 - 3 / (4 * 20 - 9), g = J d, SE = J sqrt(20 / 100 + d^2 / 40), 95 % z interval
    pooled = math.sqrt((9 * statistics.variance(SLEEP_1) + 9 * statistics.variance(SLEEP_2)) / 18)
    d = (statistics.mean(SLEEP_1) - statistics.mean(SLEEP_2)) / pooled
    j = 1 - 3 / 71
    se = j * math.sqrt(20 / 100 + d**2 / 40)
    z = statistics.NormalDist().inv_cdf(0.975)
    effect = compare_groups(SLEEP_1, SLEEP_2).effect
    assert effect.method == "hedges_g"
    assert effect.estimate == pytest.approx(j * d, rel=1e-12)
    assert effect.se == pytest.approx(se, rel=1e-12)
    assert effect.ci == pytest.approx((j * d - z * se, j * d + z * se), rel=1e-12)
    assert effect.magnitude == "medium"  # |g| = 0.79...: 0.5 <= |g| < 0.8


def test_compare_groups_without_any_variance_raises_instead_of_returning_nan():
    with pytest.raises(InsufficientDataError, match="neither sample varies"):
        compare_groups([3, 3, 3], [4, 4, 4, 4])
    with pytest.raises(InsufficientDataError, match="neither sample varies"):
        compare_groups([3, 3], [3, 3])


def test_compare_groups_refuses_samples_of_one_and_bad_arguments():
    with pytest.raises(InsufficientDataError):
        compare_groups([1.0], [2.0, 3.0])
    with pytest.raises(InsufficientDataError):
        compare_groups([1.0, np.nan], [2.0, 3.0])  # one value left after dropping NaN
    with pytest.raises(ValueError, match="alternative"):
        compare_groups([1, 2], [3, 4], alternative="bigger")
    with pytest.raises(ValueError, match="position 1"):
        compare_groups([1, "x", 3], [3, 4])
    with pytest.raises(ValueError, match="True"):
        compare_groups([1, True, 3], [3, 4])
    with pytest.raises(TypeError):
        compare_groups([1, 2], [3, 4], method="exact")  # the rank options moved to rank_comparison


def test_rank_comparison_matches_the_scipy_documentation_example():
    # scipy.stats.mannwhitneyu docstring: males = [19, 22, 16, 29, 24],
    # females = [20, 11, 17, 12]; U1 = 17.0, p = 0.1111111111111111 (exact),
    # and with method="asymptotic": 0.11134688653314041.
    males, females = [19, 22, 16, 29, 24], [20, 11, 17, 12]
    result = rank_comparison(males, females)
    assert result.statistic == 17.0
    assert result.method == "exact"
    assert result.p_value == pytest.approx(0.1111111111111111, abs=1e-15)
    asymptotic = rank_comparison(males, females, method="asymptotic")
    assert asymptotic.method == "asymptotic"
    assert asymptotic.p_value == pytest.approx(0.11134688653314041, abs=1e-15)
    # rank-biserial by hand: 2 * 17 / (5 * 4) - 1 = 0.7 (males tend to be higher)
    assert result.rank_biserial == pytest.approx(0.7)
    # Hodges-Lehmann by hand: the 20 differences males_i - females_j sorted are
    # -4 -1 -1 2 2 4 4 5 5 7 | 7 8 9 10 11 12 12 13 17 18; median (7 + 7) / 2 = 7
    assert result.hodges_lehmann == 7.0
    assert (result.n_a, result.n_b) == (5, 4)


def test_rank_comparison_matches_r_wilcox_test_exact_with_hodges_lehmann():
    # R ?wilcox.test data, tie-free:
    # > x <- c(0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46)
    # > y <- c(1.15, 0.88, 0.90, 0.74, 1.21)
    # > wilcox.test(x, y, conf.int = TRUE, exact = TRUE)
    #         Wilcoxon rank sum exact test
    # W = 35, p-value = 0.2544
    # sample estimates:
    # difference in location
    #                  0.305
    # > wilcox.test(x, y, alternative = "greater", conf.int = TRUE, exact = TRUE)
    # W = 35, p-value = 0.1272
    x = [0.80, 0.83, 1.89, 1.04, 1.45, 1.38, 1.91, 1.64, 0.73, 1.46]
    y = [1.15, 0.88, 0.90, 0.74, 1.21]
    result = rank_comparison(x, y)
    assert result.statistic == 35
    assert result.method == "exact"
    assert result.p_value == pytest.approx(0.2544, abs=5e-5)
    assert result.hodges_lehmann == pytest.approx(0.305, abs=5e-4)
    greater = rank_comparison(x, y, alternative="greater")
    assert greater.p_value == pytest.approx(0.1272, abs=5e-5)
    assert greater.alternative == "greater"


def test_rank_comparison_with_ties_uses_the_normal_approximation_like_r():
    # R: wilcox.test(extra ~ group, data = sleep)
    # W = 25.5, p-value = 0.06933   (with the warning "cannot compute exact p-value with ties")
    result = rank_comparison(SLEEP_1, SLEEP_2)
    assert result.statistic == 25.5
    assert result.method == "asymptotic"
    assert result.p_value == pytest.approx(0.06933, abs=5e-6)


def test_exact_request_with_ties_warns_and_falls_back_like_r():
    # R: s1, s2 the sleep groups; wilcox.test(s1, s2, exact = TRUE)
    #   Wilcoxon rank sum test with continuity correction
    # W = 25.5, p-value = 0.06933
    # Warning message: cannot compute exact p-value with ties
    with pytest.warns(StatisticalWarning, match="ties"):
        result = rank_comparison(SLEEP_1, SLEEP_2, method="exact")
    assert result.method == "asymptotic"
    assert result.p_value == pytest.approx(0.06933, abs=5e-6)


def test_exact_request_for_a_large_sample_warns_and_uses_the_normal_approximation():
    # 101 x 100 = 10 100 pairs, above EXACT_MAX_PAIRS = 10 000; tie-free.
    # R: x <- (1:101) + 0.5; y <- (1:100) * 1.013 + 0.1; any(duplicated(c(x, y)))  # FALSE
    # > wilcox.test(x, y, exact = FALSE)
    # W = 5080, p-value = 0.943
    # > print(wilcox.test(x, y, exact = FALSE)$p.value, digits = 12)
    # [1] 0.942964407494
    # (R's exact test gives p-value = 0.9431)
    x = np.arange(1, 102) + 0.5
    y = np.arange(1, 101) * 1.013 + 0.1
    assert len(x) * len(y) > EXACT_MAX_PAIRS
    with pytest.warns(StatisticalWarning, match="exact limit"):
        result = rank_comparison(x, y, method="exact")
    assert result.method == "asymptotic"
    assert result.statistic == 5080
    assert result.p_value == pytest.approx(0.942964407494, abs=5e-12)


def test_auto_stays_asymptotic_above_the_exact_limit_without_a_warning():
    # 8 x 1300 = 10 400 pairs: one sample has at most 8 values and there are no ties, so
    # SciPy's rule alone would choose exact; the size limit keeps the normal approximation.
    x = np.arange(8) + 0.25
    y = np.arange(1300) / 100
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = rank_comparison(x, y)
    assert result.method == "asymptotic"


def test_rank_comparison_refuses_uninformative_or_bad_input():
    with pytest.raises(InsufficientDataError, match="ranks carry no information"):
        rank_comparison([3, 3, 3], [3, 3])
    with pytest.raises(InsufficientDataError):
        rank_comparison([], [1, 2])
    with pytest.raises(ValueError, match="method"):
        rank_comparison([1, 2], [3, 4], method="permutation")
    with pytest.raises(ValueError, match="alternative"):
        rank_comparison([1, 2], [3, 4], alternative="up")


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
    assert result.method == "pearson"
    assert result.statistic == pytest.approx(30.07015, abs=5e-6)
    assert result.dof == 2
    assert result.p_value == pytest.approx(2.953589e-07, rel=5e-7)
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


def test_small_two_by_two_table_uses_fisher_exact_test_like_r():
    # R ?fisher.test, Fisher's tea tasting: expected counts are all 2 (< 5)
    # > TeaTasting <- matrix(c(3, 1, 1, 3), nrow = 2)
    # > fisher.test(TeaTasting)
    # p-value = 0.4857
    # > print(fisher.test(TeaTasting)$p.value, digits = 15)
    # [1] 0.485714285714286
    # > chisq.test(TeaTasting, correct = FALSE)$statistic
    # X-squared
    #         2
    result = crosstab_test([[3, 1], [1, 3]])
    assert result.method == "fisher"
    assert result.p_value == pytest.approx(0.485714285714286, abs=5e-15)
    assert result.statistic == pytest.approx(2.0)
    # Cramér's V stays Pearson's, by hand: sqrt(2 / (8 * 1)) = 0.5
    assert result.cramers_v == pytest.approx(0.5)


def test_fisher_p_value_of_another_small_table_matches_r_fisher_test():
    # > m <- matrix(c(1, 5, 7, 1), nrow = 2)   # rows (1, 7) and (5, 1)
    # > chisq.test(m)$expected     3.428571 4.571429 / 2.571429 3.428571  (all below 5)
    # > fisher.test(m)
    # p-value = 0.02564
    # > print(fisher.test(m)$p.value, digits = 12)
    # [1] 0.025641025641
    result = crosstab_test([[1, 7], [5, 1]])
    assert result.method == "fisher"
    assert result.p_value == pytest.approx(0.025641025641, abs=5e-12)


def test_two_by_two_table_with_large_expected_counts_keeps_pearson():
    # by hand: [[10, 20], [20, 10]] has every expected count 15 -> no Fisher
    assert crosstab_test([[10, 20], [20, 10]]).method == "pearson"


def test_larger_table_with_small_expected_counts_warns_and_keeps_pearson():
    # R: m <- matrix(c(3, 1, 4, 2, 0, 5), nrow = 2); chisq.test(m, correct = FALSE)
    # X-squared = 6.6295, df = 2, p-value = 0.03634
    # Warning message: Chi-squared approximation may be incorrect
    # > print(chisq.test(m, correct = FALSE)$p.value, digits = 12)   [1] 0.0363437822153
    with pytest.warns(StatisticalWarning, match="expected counts are below 5"):
        result = crosstab_test([[3, 4, 0], [1, 2, 5]])
    assert result.method == "pearson"
    assert result.statistic == pytest.approx(6.6295, abs=5e-5)
    assert result.p_value == pytest.approx(0.0363437822153, abs=5e-13)
