"""Tests of Cronbach's alpha (evaluation.stats.reliability).

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
from scipy import stats

from evaluation.errors import InsufficientDataError, StatisticalWarning
from evaluation.stats import cronbach_alpha, cronbach_alpha_from_covariance


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


def test_negative_alpha_is_returned_with_a_warning_saying_why():
    # Two items that run against each other: by hand, alpha = 2 (1 - (var a + var b) / var(a + b))
    # var a = 2.5, var b = 2.5, a + b = [5, 7, 6, 5, 7] with var 1.0 -> alpha = 2 (1 - 5) = -8
    frame = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [4, 5, 3, 1, 2]})
    var_a, var_b = statistics.variance([1, 2, 3, 4, 5]), statistics.variance([4, 5, 3, 1, 2])
    var_sum = statistics.variance([5, 7, 6, 5, 7])
    with pytest.warns(StatisticalWarning, match="average covariance between different items is "
                                                "negative.*mis-keyed"):
        result = cronbach_alpha(frame)
    assert result.alpha == pytest.approx(2 * (1 - (var_a + var_b) / var_sum))
    assert result.alpha == pytest.approx(-8.0)


def test_non_negative_alpha_gives_no_warning():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        cronbach_alpha(wide_missing())
