"""Indicators against baseline and target, and milestones, as of a cut-off date.

Reference values are computed by hand in the comments: progress p = (a - b) / (t - b), expected
progress e = (year - baseline_year) / (target_year - baseline_year), ratio r = p / e, and the
default thresholds on_track 0.9, at_risk 0.5 of data/README.md.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evaluation.errors import DataContractError
from evaluation.indicators import (
    current_indicator_status,
    expected_progress,
    indicator_status,
    indicator_tracking,
    milestone_status,
    progress_from_baseline,
    validate_indicators,
)


def definitions(**overrides) -> pd.DataFrame:
    """Two indicators: one higher-is-better (stad-i1), one lower-is-better (ork-i2)."""
    frame = pd.DataFrame({
        "pilot": ["stad", "orkland"],
        "indicator_id": ["stad-i1", "ork-i2"],
        "name_nb": ["Statlige årsverk", "Turnover"],
        "name_en": ["State FTEs", "Turnover"],
        "unit": ["årsverk", "prosent"],
        "direction": ["increase", "decrease"],
        "baseline_value": [212.0, 14.0],
        "baseline_year": [2021, 2021],
        "target_value": [230.0, 9.0],
        "target_year": [2024, 2024],
        "sub_goal": ["stad-d1", "ork-d3"],
    })
    for column, values in overrides.items():
        frame[column] = values
    return frame


def observations(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["pilot", "indicator_id", "date", "value"])
    frame["date"] = pd.to_datetime(frame["date"])
    frame["source"] = "test"
    return frame


# ------------------------------------------------------------------ progress and status
def test_progress_of_increasing_indicator_matches_hand_computation():
    # (218 - 212) / (230 - 212) = 6 / 18 = 1/3
    assert_allclose(progress_from_baseline(218, baseline=212, target=230), 1 / 3)


def test_progress_of_decreasing_indicator_counts_a_fall_as_progress():
    # (11.5 - 14) / (9 - 14) = -2.5 / -5 = 0.5
    assert_allclose(progress_from_baseline(11.5, baseline=14, target=9), 0.5)
    # a rise away from the target is negative progress: (14.5 - 14) / (9 - 14) = -0.1
    assert_allclose(progress_from_baseline(14.5, baseline=14, target=9), -0.1)


def test_expected_progress_is_a_straight_line_clipped_to_zero_and_one():
    # (2022 - 2021) / (2024 - 2021) = 1/3
    assert_allclose(expected_progress(2022, baseline_year=2021, target_year=2024), 1 / 3)
    assert expected_progress(2020, baseline_year=2021, target_year=2024) == 0.0
    assert expected_progress(2026, baseline_year=2021, target_year=2024) == 1.0


def test_status_thresholds_are_inclusive_at_their_bounds():
    # r = 0.45 / 0.5 = 0.9 -> on track; 0.25 / 0.5 = 0.5 -> at risk; 0.2 / 0.5 = 0.4 -> off track
    assert indicator_status(0.45, 0.5) == "on_track"
    assert indicator_status(0.25, 0.5) == "at_risk"
    assert indicator_status(0.2, 0.5) == "off_track"


def test_status_is_achieved_once_the_target_is_met_and_no_data_without_observation():
    assert indicator_status(1.0, 0.3) == "achieved"
    assert indicator_status(1.2, 1.0) == "achieved"
    assert indicator_status(math.nan, 0.5) == "no_data"


def test_status_follows_thresholds_from_the_config():
    # r = 0.3 / 0.4 = 0.75: at risk by default, on track with on_track = 0.7
    assert indicator_status(0.3, 0.4) == "at_risk"
    assert indicator_status(0.3, 0.4, thresholds={"on_track": 0.7, "at_risk": 0.5}) == "on_track"


def test_status_in_the_baseline_year_depends_only_on_the_direction_of_movement():
    assert indicator_status(0.0, 0.0) == "on_track"
    assert indicator_status(-0.1, 0.0) == "at_risk"


def test_thresholds_out_of_order_are_rejected():
    with pytest.raises(ValueError, match="at_risk"):
        indicator_status(0.5, 0.5, thresholds={"on_track": 0.4, "at_risk": 0.6})


# ------------------------------------------------------------------ tracking table
def test_tracking_table_for_increasing_and_decreasing_indicators():
    obs = observations([
        ("stad", "stad-i1", "2022-12-31", 218.0),
        ("orkland", "ork-i2", "2022-12-31", 13.8),
        ("orkland", "ork-i2", "2023-12-31", 11.5),
        ("orkland", "ork-i2", "2024-12-31", 8.5),
    ])
    table = indicator_tracking(obs, definitions(), as_of="2024-12-31").set_index(
        ["indicator_id", "year"])
    stad = table.loc[("stad-i1", 2022)]
    # p = 1/3, e = 1/3, r = 1 -> on track; share of target 218 / 230
    assert_allclose([stad["progress"], stad["expected_progress"], stad["progress_vs_expected"],
                     stad["share_of_target"]], [1 / 3, 1 / 3, 1.0, 218 / 230])
    assert stad["status"] == "on_track"
    # turnover 13.8 in 2022: p = -0.2 / -5 = 0.04, e = 1/3, r = 0.12 -> off track
    row = table.loc[("ork-i2", 2022)]
    assert_allclose([row["progress"], row["progress_vs_expected"]], [0.04, 0.12])
    assert row["status"] == "off_track"
    # 11.5 in 2023: p = 0.5, e = 2/3, r = 0.75 -> at risk
    row = table.loc[("ork-i2", 2023)]
    assert_allclose([row["progress"], row["progress_vs_expected"]], [0.5, 0.75])
    assert row["status"] == "at_risk"
    # 8.5 in 2024: p = -5.5 / -5 = 1.1 -> achieved
    row = table.loc[("ork-i2", 2024)]
    assert_allclose(row["progress"], 1.1)
    assert row["status"] == "achieved"


def test_tracking_lists_years_without_observation_as_no_data():
    obs = observations([("stad", "stad-i1", "2022-12-31", 218.0)])
    table = indicator_tracking(obs, definitions(), as_of="2023-12-31")
    stad = table.loc[table["indicator_id"] == "stad-i1"]
    assert list(stad["year"]) == [2022, 2023]
    assert stad.loc[stad["year"] == 2023, "status"].item() == "no_data"
    assert pd.isna(stad.loc[stad["year"] == 2023, "actual"].item())


def test_tracking_uses_the_latest_observation_within_a_year():
    obs = observations([
        ("stad", "stad-i1", "2022-12-31", 218.0),
        ("stad", "stad-i1", "2022-06-30", 215.0),
    ])
    table = indicator_tracking(obs, definitions(), as_of="2022-12-31")
    assert table.loc[(table["indicator_id"] == "stad-i1") & (table["year"] == 2022),
                     "actual"].item() == 218.0


def test_observations_after_the_cutoff_are_ignored():
    obs = observations([
        ("stad", "stad-i1", "2022-12-31", 215.0),
        ("stad", "stad-i1", "2023-01-15", 231.0),  # after the midterm cut-off: would be achieved
    ])
    table = indicator_tracking(obs, definitions(), as_of="2022-12-31")
    assert 2023 not in set(table["year"])
    current = current_indicator_status(obs, definitions(), as_of="2022-12-31").set_index(
        "indicator_id")
    # (215 - 212) / 18 = 1/6; r = (1/6) / (1/3) = 0.5 -> at risk
    assert current.loc["stad-i1", "actual"] == 215.0
    assert_allclose(current.loc["stad-i1", "progress_vs_expected"], 0.5)
    assert current.loc["stad-i1", "status"] == "at_risk"
    later = current_indicator_status(obs, definitions(), as_of="2023-12-31").set_index(
        "indicator_id")
    assert later.loc["stad-i1", "status"] == "achieved"


def test_current_status_gives_no_data_for_an_indicator_without_observations():
    obs = observations([("stad", "stad-i1", "2022-12-31", 218.0)])
    current = current_indicator_status(obs, definitions(), as_of="2022-12-31").set_index(
        "indicator_id")
    assert list(current.index) == ["ork-i2", "stad-i1"]
    assert current.loc["ork-i2", "status"] == "no_data"
    assert pd.isna(current.loc["ork-i2", "actual"])


def test_target_equal_to_baseline_is_a_data_error_naming_programme_yaml_and_indicator():
    bad = definitions(target_value=[212.0, 9.0])
    with pytest.raises(DataContractError) as info:
        indicator_tracking(observations([]), bad, as_of="2022-12-31")
    assert info.value.file == "programme.yaml"
    assert "stad-i1" in info.value.column
    assert "baseline" in str(info.value)


def test_target_against_the_direction_is_a_data_error():
    bad = definitions(direction=["decrease", "decrease"])
    with pytest.raises(DataContractError, match="stad-i1"):
        validate_indicators(bad)


def test_bad_observation_value_names_file_row_and_column():
    obs = observations([("stad", "stad-i1", "2022-12-31", 218.0)])
    obs["value"] = obs["value"].astype(object)
    obs.loc[0, "value"] = "218,5"
    with pytest.raises(DataContractError) as info:
        indicator_tracking(obs, definitions(), as_of="2022-12-31")
    assert (info.value.file, info.value.row, info.value.column) == (
        "indicators/observations.csv", 2, "value")


def test_observation_of_an_unknown_indicator_is_a_data_error():
    obs = observations([("stad", "ork-i2", "2022-12-31", 13.0)])
    with pytest.raises(DataContractError) as info:
        indicator_tracking(obs, definitions(), as_of="2022-12-31")
    assert info.value.column == "indicator_id"


def test_missing_as_of_is_a_bad_argument():
    with pytest.raises(ValueError):
        indicator_tracking(observations([]), definitions(), as_of=None)


# ------------------------------------------------------------------ milestones
def milestones() -> pd.DataFrame:
    return pd.DataFrame({
        "pilot": ["stad"] * 5,
        "milestone_id": ["m1", "m2", "m3", "m4", "m5"],
        "sub_goal": ["stad-d1"] * 5,
        "text_nb": ["a", "b", "c", "d", "e"],
        "text_en": ["a", "b", "c", "d", "e"],
        "due_date": pd.to_datetime(["2022-03-31", "2022-06-30", "2022-06-30", "2023-03-31",
                                    "2022-12-31"]),
        "completed_date": pd.to_datetime(["2022-03-15", "2022-09-15", None, None, None]),
    })


def test_milestones_are_classified_as_of_the_cutoff():
    result = milestone_status(milestones(), as_of="2022-12-31").set_index("milestone_id")
    assert list(result["status"]) == [
        "completed_on_time", "completed_late", "overdue", "not_yet_due",
        "not_yet_due",  # due on the cut-off day itself: not yet overdue
    ]
    # 30 June -> 15 September 2022: July 31 + August 31 + 15 = 77 days late
    assert result.loc["m2", "days_late"] == 77
    # 30 June -> 31 December 2022: 31 + 31 + 30 + 31 + 30 + 31 = 184 days overdue
    assert result.loc["m3", "days_late"] == 184
    assert result.loc["m1", "days_late"] == 0
    assert pd.isna(result.loc["m4", "days_late"])


def test_a_completion_after_the_cutoff_counts_as_open():
    result = milestone_status(milestones(), as_of="2022-08-31").set_index("milestone_id")
    assert result.loc["m2", "status"] == "overdue"
    assert pd.isna(result.loc["m2", "completed_date"])
    # 30 June -> 31 August 2022: 31 + 31 = 62 days
    assert result.loc["m2", "days_late"] == 62


def test_milestone_without_due_date_names_file_row_and_column():
    frame = milestones()
    frame["due_date"] = frame["due_date"].astype(object)
    frame.loc[2, "due_date"] = "snart"
    with pytest.raises(DataContractError) as info:
        milestone_status(frame, as_of="2022-12-31")
    assert (info.value.file, info.value.row, info.value.column) == (
        "milestones.csv", 4, "due_date")
