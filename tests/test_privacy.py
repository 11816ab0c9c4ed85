"""Tests of small-cell suppression (evaluation.privacy).

Expected values are worked out by hand from the rules in the module docstring: primary
suppression of counts 1..threshold-1, zeros shown, and complementary suppression of the smallest
positive row while a group has exactly one hidden row or its hidden rows hold fewer than
``threshold`` units together.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation.errors import DataContractError
from evaluation.privacy import (
    check_threshold,
    derivable_cells,
    suppress_small_cells,
    suppression_mask,
)


def test_counts_below_threshold_are_hidden_with_their_values():
    frame = pd.DataFrame({"agency": ["a", "b", "c", "d"], "n": [3, 8, 12, 9],
                          "mean": [3.2, 4.1, 3.9, 2.0]})
    result = suppress_small_cells(frame, value_columns=["mean"], threshold=5)
    # a (3) is primary; b (8) is the smallest other positive count -> complement
    assert result["suppressed"].tolist() == [True, True, False, False]
    assert result["n"].isna().tolist() == [True, True, False, False]
    assert result["mean"].isna().tolist() == [True, True, False, False]
    assert result.loc[2, "n"] == 12 and result.loc[2, "mean"] == 3.9


def test_original_frame_is_not_modified_and_index_is_kept():
    frame = pd.DataFrame({"n": [2, 10, 11]}, index=[10, 20, 30])
    result = suppress_small_cells(frame, threshold=5)
    assert frame["n"].tolist() == [2, 10, 11]
    assert "suppressed" not in frame.columns
    assert list(result.index) == [10, 20, 30]


def test_zero_counts_are_shown():
    frame = pd.DataFrame({"n": [0, 7, 9]})
    result = suppress_small_cells(frame, threshold=5)
    assert result["suppressed"].tolist() == [False, False, False]
    assert result["n"].tolist() == [0, 7, 9]


def test_count_equal_to_threshold_is_shown():
    result = suppress_small_cells(pd.DataFrame({"n": [5, 6]}), threshold=5)
    assert not result["suppressed"].any()


def test_complement_is_the_smallest_positive_count_not_a_zero():
    frame = pd.DataFrame({"n": [3, 0, 20, 9]})
    result = suppress_small_cells(frame, threshold=5)
    assert result["suppressed"].tolist() == [True, False, False, True]


def test_zero_is_used_as_complement_only_when_nothing_else_is_left():
    frame = pd.DataFrame({"n": [3, 0]})
    result = suppress_small_cells(frame, threshold=5)
    assert result["suppressed"].tolist() == [True, True]


def test_two_primary_cells_holding_fewer_than_threshold_get_a_complement():
    # 1 + 1 = 2 could be derived as the hidden total: below 5, so 10 is hidden as well
    frame = pd.DataFrame({"n": [1, 1, 10, 30]})
    result = suppress_small_cells(frame, threshold=5)
    assert result["suppressed"].tolist() == [True, True, True, False]


def test_two_primary_cells_holding_threshold_together_need_no_complement():
    frame = pd.DataFrame({"n": [2, 3, 10, 30]})
    result = suppress_small_cells(frame, threshold=5)
    assert result["suppressed"].tolist() == [True, True, False, False]


def test_secondary_suppression_stays_within_groups():
    frame = pd.DataFrame({
        "pilot": ["stad"] * 3 + ["narvik"] * 3,
        "n": [4, 7, 20, 6, 9, 30],
    })
    result = suppress_small_cells(frame, within=["pilot"], threshold=5)
    # stad: 4 primary, 7 complement; narvik: nothing below 5
    assert result["suppressed"].tolist() == [True, True, False, False, False, False]


def test_without_within_all_rows_form_one_group():
    frame = pd.DataFrame({"pilot": ["stad", "narvik", "narvik"], "n": [4, 6, 30]})
    assert suppress_small_cells(frame, threshold=5)["suppressed"].tolist() == [True, True, False]
    assert suppress_small_cells(frame, within="pilot", threshold=5)["suppressed"].tolist() == [True, False, False]


def test_ties_for_the_complement_go_to_the_first_row():
    frame = pd.DataFrame({"n": [2, 8, 8]})
    assert suppress_small_cells(frame, threshold=5)["suppressed"].tolist() == [True, True, False]


def test_threshold_is_an_integer_of_at_least_two_and_never_a_bool():
    assert check_threshold(2) == 2 and check_threshold(np.int64(5)) == 5
    for bad in (1, 0, -5, 2.5, "5", None, True, False):
        with pytest.raises(ValueError, match="threshold must be an integer >= 2"):
            check_threshold(bad)
    with pytest.raises(ValueError):  # a threshold of 1 would suppress nothing: refused
        suppress_small_cells(pd.DataFrame({"n": [1, 2, 3]}), threshold=1)
    with pytest.raises(ValueError):
        suppression_mask([1, 2, 3], threshold=True)


def test_threshold_has_no_default():
    with pytest.raises(TypeError, match="threshold"):
        suppress_small_cells(pd.DataFrame({"n": [1, 2, 3]}))
    with pytest.raises(TypeError, match="threshold"):
        suppression_mask([1, 2, 3])


def test_integer_columns_become_nullable_and_floats_stay_float():
    frame = pd.DataFrame({"n": [2, 9, 9], "count": [1, 4, 5], "share": [0.5, 0.4, 0.3]})
    result = suppress_small_cells(frame, value_columns=["count", "share"], threshold=5)
    assert str(result["n"].dtype) == "Int64"
    assert str(result["count"].dtype) == "Int64"
    assert result["share"].dtype == float
    assert result["count"].isna().tolist() == [True, True, False]


def test_existing_suppressed_flag_is_respected_and_reapplying_changes_nothing():
    frame = pd.DataFrame({"n": [3, 8, 12, 9], "mean": [1.0, 2.0, 3.0, 4.0]})
    once = suppress_small_cells(frame, value_columns=["mean"], threshold=5)
    twice = suppress_small_cells(once, value_columns=["mean"], threshold=5)
    pd.testing.assert_frame_equal(once, twice)
    flagged = frame.assign(suppressed=[False, False, False, True])
    result = suppress_small_cells(flagged, value_columns=["mean"], threshold=5)
    # row 3 was suppressed before; row 0 is primary; 3 + 9 >= 5 so no further complement
    assert result["suppressed"].tolist() == [True, False, False, True]


def test_bad_counts_raise_a_contract_error_naming_the_row():
    with pytest.raises(DataContractError) as info:
        suppress_small_cells(pd.DataFrame({"n": [4, -1]}), threshold=5)
    assert info.value.row == 3 and info.value.column == "n"
    with pytest.raises(DataContractError):
        suppress_small_cells(pd.DataFrame({"n": [4.5, 6]}), threshold=5)
    with pytest.raises(DataContractError):
        suppress_small_cells(pd.DataFrame({"n": pd.array([4, None], dtype="Int64")}), threshold=5)


def test_bad_arguments_raise_value_error():
    frame = pd.DataFrame({"n": [4, 6]})
    with pytest.raises(ValueError):
        suppress_small_cells(frame, count_column="count", threshold=5)
    with pytest.raises(ValueError):
        suppress_small_cells(frame, value_columns=["mean"], threshold=5)
    with pytest.raises(ValueError):
        suppress_small_cells(frame, threshold=0)
    with pytest.raises(ValueError):
        suppress_small_cells(frame, threshold=2.5)


def test_derivable_cells_finds_a_lone_hidden_cell():
    assert derivable_cells([3, 8, 12], [True, False, False]) == [0]
    assert derivable_cells([3, 8, 12], [True, True, False]) == []
    assert derivable_cells([0, 0, 12], [True, True, False]) == [0, 1]


# -- property-based ----------------------------------------------------------------------------

counts_strategy = st.lists(st.integers(min_value=0, max_value=40), min_size=1, max_size=8)


@settings(max_examples=400, deadline=None)
@given(groups=st.lists(counts_strategy, min_size=1, max_size=4),
       threshold=st.integers(min_value=2, max_value=10))
def test_no_suppressed_count_can_be_derived_from_shown_counts_and_group_total(groups, threshold):
    rows = [(g, c) for g, counts in enumerate(groups) for c in counts]
    frame = pd.DataFrame(rows, columns=["group", "n"])
    result = suppress_small_cells(frame, threshold=threshold, within=["group"])
    for g, counts in enumerate(groups):
        part = result[result["group"] == g]
        hidden = part["suppressed"].to_numpy()
        total = sum(counts)
        if len(counts) == 1 or total < threshold:
            continue  # the group total is itself a small cell: it must be hidden where shown
        shown_sum = int(part.loc[~part["suppressed"], "n"].sum())
        difference = total - shown_sum  # what a reader learns about the hidden cells
        # every hidden count is consistent with at least two values: no single hidden cell,
        # and a positive difference shared by at least two unknowns
        assert hidden.sum() != 1
        if hidden.any():
            assert difference >= 1
            assert derivable_cells(counts, hidden.tolist()) == []
        # nothing shown is a small positive count
        shown = part.loc[~part["suppressed"], "n"].astype(int)
        assert not ((shown >= 1) & (shown < threshold)).any()
        # the hidden cells together never form a derivable small cell
        assert difference == 0 or difference >= threshold or hidden.all()


@settings(max_examples=200, deadline=None)
@given(counts=st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=7))
def test_shown_values_are_the_original_values(counts):
    frame = pd.DataFrame({"n": counts, "value": np.arange(len(counts), dtype=float)})
    result = suppress_small_cells(frame, value_columns=["value"], threshold=5)
    shown = ~result["suppressed"]
    assert result.loc[shown, "n"].astype(int).tolist() == [c for c, s in zip(counts, shown) if s]
    assert result.loc[shown, "value"].tolist() == frame.loc[shown, "value"].tolist()
    assert result.loc[~shown, "value"].isna().all()


def test_suppression_mask_works_on_plain_arrays():
    mask = suppression_mask([3, 8, 12, 1, 9, 9], threshold=5, groups=["a", "a", "a", "b", "b", "b"])
    assert mask.tolist() == [True, True, False, True, True, False]
