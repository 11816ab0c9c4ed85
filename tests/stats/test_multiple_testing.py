"""Tests of Holm's adjustment (evaluation.stats.multiple_testing).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math

import numpy as np

from evaluation.stats import holm_adjust


def test_holm_adjustment_by_hand():
    # R: p.adjust(c(0.01, 0.04, 0.03, 0.005), "holm"), by hand:
    # sorted 0.005*4 = 0.02, 0.01*3 = 0.03, 0.03*2 = 0.06, 0.04*1 = 0.04 -> cummax 0.06
    adjusted = holm_adjust([0.01, 0.04, 0.03, np.nan, 0.005])
    np.testing.assert_allclose(adjusted[[0, 1, 2, 4]], [0.03, 0.06, 0.06, 0.02])
    assert math.isnan(adjusted[3])
    assert holm_adjust([0.6, 0.7]).tolist() == [1.0, 1.0]
