"""Tests of the Wilson interval (evaluation.stats.intervals).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from evaluation.stats import proportion_ci


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
