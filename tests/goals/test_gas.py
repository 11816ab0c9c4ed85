"""Goal attainment scaling: the GAS T-score and its summary per pilot.

Reference values are computed by hand from Kiresuk and Sherman's (1968) formula
T = 50 + 10 Σ w x / sqrt((1 - ρ) Σ w² + ρ (Σ w)²); the steps are in the comments.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evaluation.errors import InsufficientDataError
from evaluation.goals import gas_summary, gas_tscore


def test_gas_tscore_is_50_when_every_goal_is_met_as_expected():
    assert gas_tscore([0, 0, 0]) == 50.0


def test_gas_tscore_of_one_goal_is_50_plus_10_x():
    # one goal, w = 1: denominator sqrt(0.7 * 1 + 0.3 * 1) = 1
    assert_allclose(gas_tscore([2]), 70.0)
    assert_allclose(gas_tscore([-2]), 30.0)


def test_gas_tscore_of_three_goals_one_above_expected():
    # Σx = 3, Σw² = 3, (Σw)² = 9: sqrt(0.7 * 3 + 0.3 * 9) = sqrt(4.8) = 2.1908902300206643
    # T = 50 + 30 / 2.1908902300206643 = 63.693063937629...
    assert_allclose(gas_tscore([1, 1, 1]), 63.69306393762915, rtol=1e-12)


def test_gas_tscore_with_weights_matches_hand_computation_of_the_gasr_example():
    # Example of calc_tscore in the R package gasr: scores (-2, 0, -1, 2, 0, 1),
    # weights (3, 5, 1, 4, 2, 6). By hand: Σwx = -6 + 0 - 1 + 8 + 0 + 6 = 7;
    # Σw² = 9 + 25 + 1 + 16 + 4 + 36 = 91; Σw = 21, (Σw)² = 441;
    # 0.7 * 91 + 0.3 * 441 = 63.7 + 132.3 = 196 = 14²; T = 50 + 70 / 14 = 55.
    assert_allclose(gas_tscore([-2, 0, -1, 2, 0, 1], weights=[3, 5, 1, 4, 2, 6]), 55.0,
                    rtol=1e-12)


def test_gas_tscore_with_rho_zero_divides_by_root_n():
    # ρ = 0: T = 50 + 10 Σx / sqrt(n) = 50 + 10 * 2 / sqrt(2) = 50 + 14.142135623730951
    assert_allclose(gas_tscore([1, 1], rho=0.0), 64.14213562373095, rtol=1e-12)


def test_gas_tscore_leaves_out_missing_scores():
    assert_allclose(gas_tscore([1, None, math.nan]), 60.0)


def test_gas_tscore_rejects_bad_input():
    with pytest.raises(ValueError):
        gas_tscore([3])
    with pytest.raises(ValueError):
        gas_tscore([1, 0], weights=[1, -1])
    with pytest.raises(ValueError):
        gas_tscore([1, 0], weights=[1])
    with pytest.raises(ValueError):
        gas_tscore([1], rho=1.0)
    with pytest.raises(InsufficientDataError):
        gas_tscore([None, math.nan])


def test_gas_summary_per_pilot_uses_only_the_phase_and_rated_goals():
    assessments = pd.DataFrame({
        "pilot": ["a", "a", "a", "b"],
        "phase": ["midterm", "midterm", "final", "midterm"],
        "sub_goal": ["a1", "a2", "a1", "b1"],
        "gas_score": pd.array([1, None, 2, -1], dtype="Int64"),
    })
    summary = gas_summary(assessments, phase="midterm").set_index("pilot")
    assert summary.loc["a", "n_rated"] == 1
    assert_allclose(summary.loc["a", "t_score"], 60.0)  # one goal at +1
    assert_allclose(summary.loc["b", "t_score"], 40.0)  # one goal at -1


@pytest.mark.parametrize("bad", [True, False, np.bool_(True), "1", "-2", b"0"])
def test_gas_tscore_refuses_booleans_and_strings_even_when_they_look_like_scores(bad):
    # True == 1 and "1" converts to 1: both would pass as a rating without an explicit check
    with pytest.raises(ValueError, match=f"position 1 is {bad!r}, a {type(bad).__name__}"):
        gas_tscore([0, bad])


def test_gas_tscore_refuses_boolean_or_string_weights():
    with pytest.raises(ValueError, match="weight at position 0"):
        gas_tscore([1, 0], weights=[True, 1])
    with pytest.raises(ValueError, match="weight at position 1"):
        gas_tscore([1, 0], weights=[1, "2"])


def test_gas_summary_names_the_pilot_of_a_bad_rating():
    assessments = pd.DataFrame({
        "pilot": ["a", "b"], "phase": ["midterm", "midterm"], "sub_goal": ["a1", "b1"],
        "gas_score": [1, "x"],
    })
    with pytest.raises(ValueError, match="pilot 'b', phase 'midterm'.*'x'"):
        gas_summary(assessments, phase="midterm")
