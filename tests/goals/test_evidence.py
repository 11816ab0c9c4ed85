"""Evidence per sub-goal: one row per source item, statuses by the documented rule per source,
and the adapters from the survey and interview analyses."""

from __future__ import annotations

import math

import pandas as pd
from numpy.testing import assert_allclose

from evaluation.goals import computed_status, evidence_table, interview_evidence, survey_evidence
from goal_frames import LINKS, SUB_GOALS


def test_missing_survey_and_interview_sources_give_no_data_evidence():
    evidence = evidence_table(SUB_GOALS, LINKS)
    assert list(zip(evidence["sub_goal"], evidence["source"], evidence["status"])) == [
        ("g1", "survey", "no_data"), ("g2", "interview", "no_data")]
    computed = computed_status(evidence, sub_goals=SUB_GOALS)
    assert list(computed["computed_status"]) == ["no_data", "no_data", "no_data"]


def test_survey_evidence_is_on_track_only_for_a_significant_rise():
    survey = pd.DataFrame({"pilot": ["p"], "index": ["collaboration"], "change": [0.4],
                           "p_value": [0.01], "effect_size": [0.3], "n": [40]})
    evidence = evidence_table(SUB_GOALS, LINKS, survey=survey)
    assert evidence.loc[evidence["source"] == "survey", "status"].item() == "on_track"
    survey["p_value"] = 0.2
    evidence = evidence_table(SUB_GOALS, LINKS, survey=survey)
    assert evidence.loc[evidence["source"] == "survey", "status"].item() == "at_risk"
    survey["change"], survey["p_value"] = -0.4, 0.01
    evidence = evidence_table(SUB_GOALS, LINKS, survey=survey)
    assert evidence.loc[evidence["source"] == "survey", "status"].item() == "off_track"


def test_interview_evidence_by_net_score_threshold():
    for net, expected in [(0.2, "on_track"), (0.1, "at_risk"), (-0.2, "off_track")]:
        interviews = pd.DataFrame({"pilot": ["p"], "theme": ["collaboration"], "n": [10],
                                   "net_score": [net]})
        evidence = evidence_table(SUB_GOALS, LINKS, interviews=interviews)
        assert evidence.loc[evidence["source"] == "interview", "status"].item() == expected


def test_milestone_evidence_statuses():
    milestones = pd.DataFrame({
        "pilot": ["p"] * 4, "milestone_id": ["m1", "m2", "m3", "m4"],
        "sub_goal": ["g3"] * 4,
        "status": ["completed_on_time", "completed_late", "overdue", "not_yet_due"],
        "days_late": pd.array([0, 10, 30, None], dtype="Int64"),
    })
    evidence = evidence_table(SUB_GOALS, LINKS, milestones=milestones)
    assert list(evidence.loc[evidence["source"] == "milestone", "status"]) == [
        "on_track", "at_risk", "off_track", "no_data"]
    # source status: majority of [on_track, at_risk, off_track] is at_risk
    computed = computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal")
    assert computed.loc["g3", "milestone_status"] == "at_risk"
    assert computed.loc["g3", "n_evidence"] == 3


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
        "p_value_adjusted": [0.01, 0.5, 0.02, math.nan],
        "hedges_g": [0.35, 0.05, 0.4, math.nan],
        "suppressed": [False, False, False, True],
    })
    evidence = survey_evidence(comparison, to_role="midterm").set_index("pilot")
    assert list(evidence.index) == ["p", "q"]
    assert evidence.loc["p", "n"] == 42
    assert_allclose(evidence.loc["p", ["change", "p_value", "effect_size"]].astype(float),
                    [0.4, 0.01, 0.35])
    assert pd.isna(evidence.loc["q", "change"]) and pd.isna(evidence.loc["q", "n"])


def test_interview_evidence_hides_suppressed_counts():
    balance = pd.DataFrame({
        "pilot": ["p", "q"], "n_interviews": pd.array([6, 3], dtype="Int64"),
        "theme": ["collaboration"] * 2, "positive": pd.array([4, None], dtype="Int64"),
        "negative": pd.array([1, None], dtype="Int64"), "mixed": pd.array([0, None], dtype="Int64"),
        "neutral": pd.array([0, None], dtype="Int64"), "total": pd.array([5, None], dtype="Int64"),
        "net_score": pd.array([0.6, None], dtype="Float64"), "suppressed": [False, True],
    })
    evidence = interview_evidence(balance).set_index("pilot")
    assert evidence.loc["p", "n"] == 5
    assert_allclose(evidence.loc["p", "net_score"], 0.6)
    assert pd.isna(evidence.loc["q", "net_score"])
