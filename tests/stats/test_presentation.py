"""Tests of the "interpret with caution" flag (evaluation.stats.presentation).

The expected flags are worked out by hand from the rule: shown and (n < min_n, or no finite
interval, or an interval wider than max_interval_width).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from evaluation.stats import interpret_with_caution


def test_flags_small_groups_and_wide_intervals_but_not_the_boundaries():
    n = [30, 29, 50, 50, 50]
    low = [3.0, 3.0, 2.0, 2.5, 2.0]
    high = [3.4, 3.4, 3.5, 3.5, 3.0]  # widths 0.4, 0.4, 1.5, 1.0, 1.0
    flags = interpret_with_caution(n, low, high, min_n=30, max_interval_width=1.0)
    # 30 is not below 30; 29 is; width 1.5 > 1.0; width 1.0 is not wider than 1.0
    assert flags.tolist() == [False, True, True, False, False]
    assert flags.dtype == bool


def test_suppressed_or_empty_rows_are_not_flagged_but_a_shown_estimate_without_interval_is():
    n = pd.Series([pd.NA, 0, 40, 40, 40], dtype="Int64")
    low = pd.Series([math.nan, math.nan, math.nan, 3.0, -math.inf])
    high = pd.Series([math.nan, math.nan, math.nan, 3.2, 3.2])
    flags = interpret_with_caution(n, low, high, min_n=20, max_interval_width=0.5)
    # suppressed (n missing), no respondents, shown without interval, fine, one-sided interval
    assert flags.tolist() == [False, False, True, False, True]


def test_a_missing_estimate_is_not_flagged_when_estimates_are_given():
    flags = interpret_with_caution([5, 5], [1.0, 1.0], [4.0, 4.0], min_n=10,
                                   max_interval_width=0.5, estimate=[np.nan, 2.5])
    assert flags.tolist() == [False, True]


def test_both_limits_are_required_and_checked():
    with pytest.raises(TypeError):
        interpret_with_caution([10], [1.0], [2.0])  # no silent default limits
    with pytest.raises(TypeError):
        interpret_with_caution([10], [1.0], [2.0], min_n=5)
    for bad in (0, -3, 2.5, True, "30"):
        with pytest.raises(ValueError, match="min_n"):
            interpret_with_caution([10], [1.0], [2.0], min_n=bad, max_interval_width=1.0)
    for bad in (0, -1.0, math.nan, False):
        with pytest.raises(ValueError, match="max_interval_width"):
            interpret_with_caution([10], [1.0], [2.0], min_n=5, max_interval_width=bad)


def test_bad_inputs_are_named():
    with pytest.raises(ValueError, match="differ in length"):
        interpret_with_caution([10, 12], [1.0], [2.0], min_n=5, max_interval_width=1.0)
    with pytest.raises(ValueError, match="position 1"):
        interpret_with_caution([10, "many"], [1.0, 1.0], [2.0, 2.0], min_n=5, max_interval_width=1.0)
    with pytest.raises(ValueError, match="ci_low is above ci_high at position 0"):
        interpret_with_caution([10], [3.0], [2.0], min_n=5, max_interval_width=1.0)
    with pytest.raises(ValueError, match="booleans"):
        interpret_with_caution(pd.Series([True]), [1.0], [2.0], min_n=5, max_interval_width=1.0)
