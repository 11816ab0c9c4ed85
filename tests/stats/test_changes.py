"""Tests of the comparison of two changes (evaluation.stats.changes).

Reference values come from R (the call and its printed output beside each value) and from a
computation by hand with NumPy written out in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaluation.errors import InsufficientDataError
from evaluation.stats import compare_change_estimates, compare_changes

A_BEFORE = [2.8, 3.4, 3.0, 2.6, 3.8, 3.2]
A_AFTER = [3.6, 4.0, 3.4, 4.4, 3.8]
B_BEFORE = [3.0, 3.2, 2.4, 3.6, 3.4, 2.8, 3.0]
B_AFTER = [3.2, 3.0, 3.8, 2.6, 3.4]


def test_compare_changes_matches_r_arithmetic_on_four_samples():
    # R:
    # > ab <- c(2.8, 3.4, 3.0, 2.6, 3.8, 3.2); aa <- c(3.6, 4.0, 3.4, 4.4, 3.8)
    # > bb <- c(3.0, 3.2, 2.4, 3.6, 3.4, 2.8, 3.0); ba <- c(3.2, 3.0, 3.8, 2.6, 3.4)
    # > s <- list(ab, aa, bb, ba)
    # > v <- sapply(s, function(x) var(x) / length(x)); n <- sapply(s, length)
    # > d <- (mean(aa) - mean(ab)) - (mean(ba) - mean(bb))
    # > se <- sqrt(sum(v)); df <- sum(v)^2 / sum(v^2 / (n - 1))
    # > tt <- d / se; p <- 2 * pt(-abs(tt), df); ci <- d + c(-1, 1) * qt(0.975, df) * se
    # > print(c(change_a = ..., change_b = ..., difference = d, se = se, df = df, t = tt,
    # +         p = p, low = ci[1], high = ci[2]), digits = 10)
    #      change_a      change_b    difference            se            df
    #  0.7066666667  0.1428571429  0.5638095238  0.3507478243 16.8992262041
    #             t             p           low          high
    #  1.6074498106  0.1264773850 -0.1765399978  1.3041590454
    result = compare_changes(A_BEFORE, A_AFTER, B_BEFORE, B_AFTER)
    assert result.change_a == pytest.approx(0.7066666667, abs=5e-11)
    assert result.change_b == pytest.approx(0.1428571429, abs=5e-11)
    assert result.difference == pytest.approx(0.5638095238, abs=5e-11)
    assert result.se == pytest.approx(0.3507478243, abs=5e-11)
    assert result.df == pytest.approx(16.8992262041, abs=5e-10)
    assert result.statistic == pytest.approx(1.6074498106, abs=5e-10)
    assert result.p_value == pytest.approx(0.1264773850, abs=5e-11)
    assert result.ci == pytest.approx((-0.1765399978, 1.3041590454), abs=5e-10)


def test_compare_changes_equals_the_formula_by_hand_with_numpy():
    samples = [np.array(s) for s in (A_BEFORE, A_AFTER, B_BEFORE, B_AFTER)]
    n = np.array([len(s) for s in samples])
    v = np.array([s.var(ddof=1) for s in samples]) / n
    difference = (samples[1].mean() - samples[0].mean()) - (samples[3].mean() - samples[2].mean())
    df = v.sum() ** 2 / np.sum(v**2 / (n - 1))
    result = compare_changes(A_BEFORE, A_AFTER, B_BEFORE, B_AFTER, confidence_level=0.9)
    assert result.difference == pytest.approx(difference, rel=1e-12)
    assert result.se == pytest.approx(math.sqrt(v.sum()), rel=1e-12)
    assert result.df == pytest.approx(df, rel=1e-12)
    assert result.confidence_level == 0.9
    # the interval matches the test: a 90 % interval excludes 0 exactly when p < 0.10
    assert (result.ci.low > 0) == (result.p_value < 0.10)


def test_with_constant_b_samples_it_reduces_to_r_two_sample_welch_test():
    # b's two samples are constant and equal: change_b = 0 and their variance terms vanish, so
    # the difference of changes is a's change with Welch's two-sample t-test and df.
    # R: t.test(s2, s1) with s1, s2 the groups of datasets::sleep
    # t = 1.8608, df = 17.776, p-value = 0.07939
    # 95 percent confidence interval:
    #  -0.2054832  3.3654832
    sleep_1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    sleep_2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    result = compare_changes(sleep_1, sleep_2, [3.0, 3.0, 3.0], [3.0, 3.0])
    assert result.change_b == 0
    assert result.statistic == pytest.approx(1.8608, abs=5e-5)
    assert result.df == pytest.approx(17.776, abs=5e-4)
    assert result.p_value == pytest.approx(0.07939, abs=5e-6)
    assert result.ci == pytest.approx((-0.2054832, 3.3654832), abs=5e-8)


def test_compare_change_estimates_matches_r_satterthwaite_arithmetic():
    # R:
    # > se_a <- 0.3; se_b <- 0.4; df_a <- 10; df_b <- 20
    # > v <- c(se_a^2, se_b^2); dfc <- sum(v)^2 / sum(v^2 / c(df_a, df_b)); d <- 0.5 - (-0.1)
    # > se <- sqrt(sum(v))
    # > print(c(se = se, df = dfc, t = d/se, p = 2 * pt(-abs(d/se), dfc),
    # +         low = d - qt(0.975, dfc) * se, high = d + qt(0.975, dfc) * se), digits = 10)
    #            se            df             t             p           low
    #  0.5000000000 29.9043062201  1.2000000000  0.2395601275 -0.4212732696
    #          high
    #  1.6212732696
    result = compare_change_estimates(0.5, 0.3, 10, -0.1, 0.4, 20)
    assert result.difference == pytest.approx(0.6)
    assert result.se == pytest.approx(0.5)
    assert result.df == pytest.approx(29.9043062201, abs=5e-10)
    assert result.statistic == pytest.approx(1.2)
    assert result.p_value == pytest.approx(0.2395601275, abs=5e-11)
    assert result.ci == pytest.approx((-0.4212732696, 1.6212732696), abs=5e-10)


def test_compare_change_estimates_with_infinite_df_uses_the_normal():
    # R: print(c(p = 2 * pnorm(-0.3/0.25), low = 0.3 - qnorm(0.975) * 0.25,
    #            high = 0.3 + qnorm(0.975) * 0.25), digits = 10)
    #            p          low         high
    # 0.2301393404 -0.1899909961  0.7899909961
    result = compare_change_estimates(0.4, 0.15, math.inf, 0.1, 0.2, math.inf)
    assert result.df == math.inf
    assert result.p_value == pytest.approx(0.2301393404, abs=5e-11)
    assert result.ci == pytest.approx((-0.1899909961, 0.7899909961), abs=5e-10)
    # one infinite df: only the other variance enters the denominator (by hand)
    mixed = compare_change_estimates(0.4, 0.15, math.inf, 0.1, 0.2, 12)
    assert mixed.df == pytest.approx((0.15**2 + 0.2**2) ** 2 / (0.2**4 / 12))


def test_compare_changes_refuses_too_little_data_instead_of_nan():
    with pytest.raises(InsufficientDataError, match="a_after"):
        compare_changes([1, 2], [3], [1, 2], [2, 3])
    with pytest.raises(InsufficientDataError, match="none of the four samples varies"):
        compare_changes([1, 1], [2, 2], [3, 3], [3, 3])
    with pytest.raises(ValueError):
        compare_changes([1, 2], ["a", 2], [1, 2], [2, 3])


def test_compare_change_estimates_refuses_bad_estimates():
    with pytest.raises(InsufficientDataError):
        compare_change_estimates(0.4, 0, 10, 0.1, 0, 10)
    with pytest.raises(ValueError, match="se_a"):
        compare_change_estimates(0.4, -0.1, 10, 0.1, 0.2, 10)
    with pytest.raises(ValueError, match="df_b"):
        compare_change_estimates(0.4, 0.1, 10, 0.1, 0.2, 0)
    with pytest.raises(ValueError, match="change_a"):
        compare_change_estimates(math.nan, 0.1, 10, 0.1, 0.2, 10)
    with pytest.raises(ValueError, match="se_b"):
        compare_change_estimates(0.4, 0.1, 10, 0.1, True, 10)
