"""Tests of Hedges' g and Cohen's benchmarks (evaluation.stats.effect_sizes).

Reference values come from the worked example of Borenstein, Hedges, Higgins and Rothstein
(2009), *Introduction to Meta-Analysis*, chapter 4, and from computations by hand written out in
the tests.
"""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from evaluation.errors import InsufficientDataError
from evaluation.stats import MAGNITUDES, effect_magnitude, hedges_g, hedges_g_from_summary

Z_975 = statistics.NormalDist().inv_cdf(0.975)  # R: qnorm(0.975) = 1.959964


def test_hedges_g_reproduces_the_borenstein_worked_example():
    # Borenstein et al. (2009), ch. 4: means 103 and 100, SDs 5.5 and 4.5, n = 50 per group.
    # S_within = sqrt((49 * 5.5^2 + 49 * 4.5^2) / 98) = 5.0249; d = 3 / 5.0249 = 0.5970;
    # V_d = 100 / 2500 + 0.5970^2 / 200 = 0.0418; J = 1 - 3 / (4 * 98 - 1) = 0.9923;
    # g = 0.9923 * 0.5970 = 0.5924; V_g = 0.9923^2 * 0.0418 = 0.0411; SE_g = 0.2028.
    g = hedges_g_from_summary(103, 5.5, 50, 100, 4.5, 50)
    assert g.estimate == pytest.approx(0.5924, abs=5e-5)
    assert g.se**2 == pytest.approx(0.0411, abs=5e-5)
    assert g.se == pytest.approx(0.2028, abs=5e-5)
    # the interval by hand: g ± 1.959964 * SE_g, from the unrounded g and SE
    d = 3 / math.sqrt((49 * 5.5**2 + 49 * 4.5**2) / 98)
    j = 1 - 3 / (4 * 100 - 9)
    se = j * math.sqrt(100 / 2500 + d**2 / 200)
    assert g.ci == pytest.approx((j * d - Z_975 * se, j * d + Z_975 * se), rel=1e-12)
    assert g.magnitude == "medium"
    assert g.method == "hedges_g" and g.confidence_level == 0.95


def test_hedges_g_sign_follows_a_minus_b():
    a = hedges_g_from_summary(103, 5.5, 50, 100, 4.5, 50)
    b = hedges_g_from_summary(100, 4.5, 50, 103, 5.5, 50)
    assert b.estimate == pytest.approx(-a.estimate)
    assert b.ci == pytest.approx((-a.ci.high, -a.ci.low))


def test_hedges_g_of_samples_equals_the_formula_by_hand():
    a, b = [4.2, 3.8, 4.6, 3.4, 4.0, 4.4], [3.0, 3.6, 3.2, 2.8, 3.8]
    # by hand with Python's statistics module (n - 1 variances), Borenstein et al. ch. 4
    n_a, n_b = 6, 5
    pooled = math.sqrt(((n_a - 1) * statistics.variance(a) + (n_b - 1) * statistics.variance(b))
                       / (n_a + n_b - 2))
    d = (statistics.mean(a) - statistics.mean(b)) / pooled
    j = 1 - 3 / (4 * 11 - 9)
    se = j * math.sqrt(11 / 30 + d**2 / 22)
    z_90 = statistics.NormalDist().inv_cdf(0.95)
    g = hedges_g(a, b, confidence_level=0.9)
    assert g.estimate == pytest.approx(j * d, rel=1e-12)
    assert g.se == pytest.approx(se, rel=1e-12)
    assert g.ci == pytest.approx((j * d - z_90 * se, j * d + z_90 * se), rel=1e-12)
    assert g.magnitude == "large"
    # missing values are dropped
    assert hedges_g([*a, np.nan], [None, *b], confidence_level=0.9).estimate == pytest.approx(j * d)


def test_magnitudes_are_cohens_benchmarks_in_one_constant():
    # Cohen (1988), ch. 2: d = 0.2 small, 0.5 medium, 0.8 large; below 0.2 negligible
    assert [name for name, _ in MAGNITUDES] == ["negligible", "small", "medium", "large"]
    assert [upper for _, upper in MAGNITUDES] == [0.2, 0.5, 0.8, math.inf]


@pytest.mark.parametrize(("value", "expected"), [
    (0.0, "negligible"), (0.1999, "negligible"), (0.2, "small"), (-0.3, "small"),
    (0.4999, "small"), (0.5, "medium"), (-0.7999, "medium"), (0.8, "large"), (-2.5, "large"),
])
def test_effect_magnitude_uses_the_absolute_value_and_closed_lower_bounds(value, expected):
    assert effect_magnitude(value) == expected


def test_effect_magnitude_refuses_a_missing_or_non_numeric_effect():
    for bad in (math.nan, None, "0.5", True):
        with pytest.raises(ValueError):
            effect_magnitude(bad)


def test_hedges_g_refuses_too_little_data_and_bad_summaries():
    with pytest.raises(InsufficientDataError, match="no variance"):
        hedges_g([2, 2, 2], [3, 3])
    with pytest.raises(InsufficientDataError):
        hedges_g([1, 2, 3], [4])
    with pytest.raises(InsufficientDataError):
        hedges_g_from_summary(1, 1, 1, 2, 1, 5)
    with pytest.raises(ValueError, match="sd_a"):
        hedges_g_from_summary(1, -1, 5, 2, 1, 5)
    with pytest.raises(ValueError, match="n_b"):
        hedges_g_from_summary(1, 1, 5, 2, 1, 5.5)
    with pytest.raises(ValueError, match="n_a"):
        hedges_g_from_summary(1, 1, True, 2, 1, 5)
    with pytest.raises(ValueError, match="mean_b"):
        hedges_g_from_summary(1, 1, 5, math.nan, 1, 5)
    with pytest.raises(ValueError):
        hedges_g([1, 2, 3], [4, 5, 6], confidence_level=95)
