"""Tests of two-sample comparisons and the chi-square test (evaluation.stats.comparisons).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pandas as pd
import pytest

from evaluation.errors import InsufficientDataError
from evaluation.stats import compare_groups, crosstab_test


def test_mann_whitney_matches_the_scipy_documentation_example():
    # scipy.stats.mannwhitneyu docstring: males = [19, 22, 16, 29, 24],
    # females = [20, 11, 17, 12]; U1 = 17.0, p = 0.1111111111111111 (exact),
    # and with method="asymptotic": 0.11134688653314041.
    males, females = [19, 22, 16, 29, 24], [20, 11, 17, 12]
    result = compare_groups(males, females)
    assert result.statistic == 17.0
    assert result.method == "exact"
    assert result.p_value == pytest.approx(0.1111111111111111, abs=1e-15)
    asymptotic = compare_groups(males, females, method="asymptotic")
    assert asymptotic.p_value == pytest.approx(0.11134688653314041, abs=1e-15)
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
    assert result.p_value == pytest.approx(0.1272, abs=5e-5)


def test_ties_use_the_normal_approximation_like_r():
    # R: wilcox.test(extra ~ group, data = sleep)
    # W = 25.5, p-value = 0.06933   (with the warning "cannot compute exact p-value with ties")
    result = compare_groups(SLEEP_1, SLEEP_2)
    assert result.statistic == 25.5
    assert result.method == "asymptotic"
    assert result.p_value == pytest.approx(0.06933, abs=5e-6)


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
