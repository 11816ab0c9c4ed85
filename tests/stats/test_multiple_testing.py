"""Tests of Holm's adjustment (evaluation.stats.multiple_testing).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from evaluation.stats import holm_adjust


def test_holm_adjustment_by_hand():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm"), by hand:
    # sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> cummax 0.06
    adjusted = holm_adjust([0.01, 0.04, 0.03, np.nan, 0.005])
    np.testing.assert_allclose(adjusted[[0, 1, 2, 4]], [0.03, 0.06, 0.06, 0.02])
    assert math.isnan(adjusted[3])
    assert holm_adjust([0.6, 0.7]).tolist() == [1.0, 1.0]


def test_holm_missing_values_stay_missing_and_are_outside_the_family_like_r():
    # R: p.adjust(c(0.01, NA, 0.04), "holm")
    # [1] 0.02   NA 0.04
    adjusted = holm_adjust([0.01, None, 0.04])
    assert adjusted[[0, 2]].tolist() == [0.02, 0.04]
    assert math.isnan(adjusted[1])
    nullable = holm_adjust(pd.array([0.01, pd.NA, 0.04], dtype="Float64"))
    np.testing.assert_array_equal(nullable, adjusted)


@pytest.mark.parametrize(("p_values", "message"), [
    ([0.01, 1.2], "position 1 is outside \\[0, 1\\]: 1.2"),
    ([-0.01, 0.5], "position 0 is outside \\[0, 1\\]: -0.01"),
    ([0.01, math.inf], "position 1 is outside"),
    ([0.01, 0.2, "0.03"], "position 2 is not a number: '0.03'"),
    ([True, 0.2], "position 0 is not a number: True"),
])
def test_holm_refuses_p_values_outside_the_unit_interval_or_not_numbers(p_values, message):
    with pytest.raises(ValueError, match=message):
        holm_adjust(p_values)
