"""Evidence per sub-goal: one row per source item, statuses by the documented rule per source,
and the adapters from the survey and interview analyses."""

from __future__ import annotations

import inspect
import math

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evaluation.goals import (
    computed_status,
    evidence_table,
    interview_evidence,
    interview_evidence_status,
    milestone_evidence_status,
    survey_evidence,
    survey_evidence_status,
)
from goal_frames import LINKS, RULES, SUB_GOALS, milestone_rows


def test_missing_survey_and_interview_sources_give_no_data_evidence():
    evidence = evidence_table(SUB_GOALS, LINKS, **RULES)
    assert list(zip(evidence["sub_goal"], evidence["source"], evidence["status"],
                    evidence["detail"])) == [
        ("g1", "survey", "no_data", "missing"), ("g2", "interview", "no_data", "missing")]
    computed = computed_status(evidence, sub_goals=SUB_GOALS)
    assert list(computed["computed_status"]) == ["no_data", "no_data", "no_data"]


# Each case worked out by hand from the table in survey_evidence_status (m = 0.3):
# on track needs L > 0 and d >= m; off track U < 0 and d <= -m; at risk U < m; else insufficient.
SURVEY_CASES = [
    ((0.42, 0.21, 0.63), "on_track"),                # L > 0, d >= 0.3
    ((0.30, 0.01, 0.59), "on_track"),                # d = m exactly counts
    ((0.29, 0.01, 0.57), "insufficient_evidence"),   # a real rise, d < m, U reaches m
    ((0.35, -0.05, 0.75), "insufficient_evidence"),  # d >= m, but L < 0: not significant, not a risk
    ((0.00, 0.00, 0.30), "insufficient_evidence"),   # L = 0 is not above 0; U = m is not below m
    ((0.20, 0.05, 0.29), "at_risk"),                 # a real rise, but an important one ruled out
    ((0.05, -0.10, 0.20), "at_risk"),                # no important change either way
    ((-0.10, -0.45, 0.25), "at_risk"),               # U < m, though a decline below -m is possible
    ((-0.40, -0.85, 0.05), "at_risk"),               # d <= -m but U >= 0: not a shown decline
    ((-0.40, -0.70, -0.10), "off_track"),            # U < 0 and d <= -m
    ((-0.20, -0.35, -0.05), "at_risk"),              # a real decline, smaller than m
    ((math.nan, -0.1, 0.1), "no_data"),
    ((0.1, None, 0.2), "no_data"),
]


@pytest.mark.parametrize(("interval", "expected"), SURVEY_CASES)
def test_survey_change_is_judged_by_its_interval_against_the_minimal_important_change(interval,
                                                                                    expected):
    assert survey_evidence_status(*interval, minimal_important_change=0.3) == expected


def test_the_survey_rule_takes_no_p_value():
    assert "p_value" not in inspect.signature(survey_evidence_status).parameters
    assert "p_value" not in inspect.signature(evidence_table).parameters


def test_survey_rule_refuses_a_bad_interval_or_minimal_important_change():
    with pytest.raises(ValueError, match="ci_low"):
        survey_evidence_status(0.1, 0.3, 0.2, minimal_important_change=0.3)
    for bad in (0, -0.3, math.inf, math.nan, True):
        with pytest.raises(ValueError, match="minimal_important_change"):
            survey_evidence_status(0.1, 0.0, 0.2, minimal_important_change=bad)


def test_survey_evidence_rows_carry_the_interval_and_the_rule_value():
    survey = pd.DataFrame({"pilot": ["p"], "index": ["collaboration"], "change": [0.42],
                           "ci_low": [0.21], "ci_high": [0.63], "n": [40]})
    row = evidence_table(SUB_GOALS, LINKS, survey=survey, **RULES).iloc[0]
    assert (row["source"], row["status"], row["n"], row["detail"]) == ("survey", "on_track", 40, "")
    assert_allclose([row["estimate"], row["ci_low"], row["ci_high"], row["threshold"]],
                    [0.42, 0.21, 0.63, 0.3])


@pytest.mark.parametrize(("net", "expected"), [
    (0.2, "on_track"), (0.5, "on_track"), (0.19, "insufficient_evidence"), (0.0, "insufficient_evidence"),
    (-0.19, "insufficient_evidence"), (-0.2, "off_track"), (math.nan, "no_data"),
])
def test_interview_evidence_by_net_score_threshold_with_mixed_views_not_a_risk(net, expected):
    assert interview_evidence_status(net, 10, net_threshold=0.2) == expected


def test_interview_evidence_without_interviews_is_no_data_and_the_threshold_is_checked():
    assert interview_evidence_status(0.5, 0, net_threshold=0.2) == "no_data"
    assert interview_evidence_status(0.5, None, net_threshold=0.2) == "no_data"
    with pytest.raises(ValueError, match="net_threshold"):
        interview_evidence_status(0.5, 10, net_threshold=1.5)


def test_interview_rows_count_interviews_positive_and_negative():
    # 14 of 20 interviews positive, 3 negative: net (14 - 3) / 20 = 0.55
    interviews = pd.DataFrame({"pilot": ["p"], "theme": ["collaboration"], "n": [20],
                               "n_positive": [14], "n_negative": [3], "net_score": [0.55]})
    row = evidence_table(SUB_GOALS, LINKS, interviews=interviews, **RULES).iloc[-1]
    assert (row["source"], row["n"], row["n_positive"], row["n_negative"], row["status"]) == (
        "interview", 20, 14, 3, "on_track")
    assert_allclose([row["estimate"], row["threshold"]], [0.55, 0.2])


@pytest.mark.parametrize(("late_rule", "expected"), [
    ("on_track", ["on_track", "on_track", "off_track", "no_data"]),
    ("no_data", ["on_track", "no_data", "off_track", "no_data"]),
])
def test_a_milestone_completed_late_is_neutral_once_done(late_rule, expected):
    milestones = milestone_rows([
        ("p", "m1", "g3", "completed_on_time", 0), ("p", "m2", "g3", "completed_late", 10),
        ("p", "m3", "g3", "overdue", 30), ("p", "m4", "g3", "not_yet_due", None)])
    rules = {**RULES, "completed_late_milestone": late_rule}
    evidence = evidence_table(SUB_GOALS, LINKS, milestones=milestones, **rules)
    rows = evidence.loc[evidence["source"] == "milestone"]
    assert list(rows["status"]) == expected
    assert list(rows["detail"]) == ["completed_on_time", "completed_late", "overdue", "not_yet_due"]


def test_the_late_milestone_rule_takes_only_on_track_or_no_data():
    assert milestone_evidence_status("completed_late", completed_late="on_track") == "on_track"
    with pytest.raises(ValueError, match="completed_late"):
        milestone_evidence_status("completed_late", completed_late="at_risk")
    with pytest.raises(ValueError, match="unknown milestone status"):
        milestone_evidence_status("late", completed_late="on_track")
    with pytest.raises(ValueError, match="completed_late"):
        evidence_table(SUB_GOALS, LINKS, **{**RULES, "completed_late_milestone": "at_risk"})


def test_survey_evidence_takes_pilot_rows_from_baseline_and_hides_suppressed():
    comparison = pd.DataFrame({
        "level": ["pilot", "pilot", "agency", "pilot"],
        "pilot": ["p", "p", "p", "q"],
        "agency": [pd.NA, pd.NA, "nav", pd.NA],
        "index": ["collaboration", "collaboration", "collaboration", "collaboration"],
        "from_role": ["baseline", "midterm", "baseline", "baseline"],
        "to_role": ["midterm", "final", "midterm", "midterm"],
        "n_from": pd.array([20, 22, 8, None], dtype="Int64"),
        "n_to": pd.array([22, 25, 9, None], dtype="Int64"),
        "difference": [0.4, 0.1, 0.5, math.nan],
        "ci_low": [0.1, -0.2, 0.0, math.nan],
        "ci_high": [0.7, 0.4, 1.0, math.nan],
        "suppressed": [False, False, False, True],
    })
    evidence = survey_evidence(comparison, to_role="midterm").set_index("pilot")
    assert list(evidence.index) == ["p", "q"]
    assert evidence.loc["p", "n"] == 42
    assert_allclose(evidence.loc["p", ["change", "ci_low", "ci_high"]].astype(float), [0.4, 0.1, 0.7])
    assert pd.isna(evidence.loc["q", "change"]) and pd.isna(evidence.loc["q", "n"])
    assert list(evidence["suppressed"]) == [False, True]
    rows = evidence_table(pd.DataFrame({"pilot": ["q"], "sub_goal": ["g1"]}),
                          LINKS.assign(pilot="q"), survey=evidence.reset_index(), **RULES)
    assert (rows.iloc[0]["status"], rows.iloc[0]["detail"]) == ("no_data", "suppressed")


def test_interview_evidence_hides_suppressed_groups_and_themes_raised_in_too_few_interviews():
    balance = pd.DataFrame({
        "pilot": ["p", "q", "r", "s"], "n_interviews": pd.array([8, 3, 9, 9], dtype="Int64"),
        "theme": ["collaboration"] * 4, "positive": pd.array([4, None, 3, 0], dtype="Int64"),
        "negative": pd.array([1, None, 0, 0], dtype="Int64"),
        "mixed": pd.array([1, None, 1, 0], dtype="Int64"),
        "neutral": pd.array([0, None, 0, 0], dtype="Int64"),
        "total": pd.array([6, None, 4, 0], dtype="Int64"),
        "net_score": pd.array([0.5, None, 0.75, None], dtype="Float64"),
        "suppressed": [False, True, False, False],
    })
    evidence = interview_evidence(balance, threshold=5).set_index("pilot")
    # p: 6 interviews raise the theme (>= 5): kept; net (4 - 1) / 6 = 0.5
    assert (evidence.loc["p", "n"], evidence.loc["p", "n_positive"], evidence.loc["p", "n_negative"]) == (6, 4, 1)
    assert_allclose(evidence.loc["p", "net_score"], 0.5)
    # q: suppressed by the balance; r: only 4 interviews raise the theme (< 5); s: none does
    assert list(evidence["suppressed"]) == [False, True, True, False]
    assert pd.isna(evidence.loc["r", "net_score"]) and pd.isna(evidence.loc["r", "n"])
    assert evidence.loc["s", "n"] == 0 and pd.isna(evidence.loc["s", "net_score"])
    with pytest.raises(ValueError, match="threshold"):
        interview_evidence(balance, threshold=0)
