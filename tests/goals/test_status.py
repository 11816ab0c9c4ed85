"""Sub-goal status: the majority rule, the computed status, the evaluators' judgement beside it,
the roll-up to the national goals and the change since midterm."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.goals import (
    combine_statuses,
    computed_status,
    evidence_table,
    national_goal_rollup,
    status_change,
    status_overview,
)
from goal_frames import LINKS, RULES, SUB_GOALS, computed_frame, indicator_rows, milestone_rows


def test_majority_rule_takes_the_worse_status_on_a_tie():
    assert combine_statuses(["on_track", "off_track"]) == "off_track"
    assert combine_statuses(["on_track", "on_track", "at_risk"]) == "on_track"
    assert combine_statuses(["achieved", "on_track", "at_risk", "off_track"]) == "at_risk"


def test_majority_rule_sets_no_data_and_insufficient_evidence_aside():
    assert combine_statuses(["no_data", "no_data"]) == "no_data"
    assert combine_statuses([]) == "no_data"
    assert combine_statuses(["no_data", "at_risk"]) == "at_risk"
    # insufficient evidence does not vote against an informative status ...
    assert combine_statuses(["on_track", "insufficient_evidence", "insufficient_evidence"]) == "on_track"
    # ... and is not "no data" when nothing informative is left
    assert combine_statuses(["insufficient_evidence", "no_data"]) == "insufficient_evidence"


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError):
        combine_statuses(["green"])


def _computed(**sources) -> pd.Series:
    evidence = evidence_table(SUB_GOALS, LINKS, **sources, **RULES)
    return computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal").loc["g3"]


def test_achieved_needs_every_indicator_with_data_at_its_target():
    indicators = indicator_rows([
        ("p", "i1", "g3", 1.2, "achieved"),
        ("p", "i2", "g3", 1.1, "achieved"),
        ("p", "i3", "g3", 0.95, "on_track"),
    ])
    milestones = milestone_rows([("p", "m1", "g3", "completed_on_time", 0)])
    # majority within indicators is achieved, but i3 has not met its target -> on_track
    row = _computed(indicator_status=indicators, milestones=milestones)
    assert row["indicator_status"] == "achieved"
    assert (row["computed_status"], row["reason"]) == ("on_track", "target_not_met")
    # all met (the no_data indicator is set aside) and the milestone on track -> achieved
    indicators = indicator_rows([
        ("p", "i1", "g3", 1.2, "achieved"),
        ("p", "i4", "g3", math.nan, "no_data"),
    ])
    row = _computed(indicator_status=indicators, milestones=milestones)
    assert (row["computed_status"], row["reason"], row["n_informative_sources"]) == (
        "achieved", "all_targets_met", 2)


def test_achieved_needs_a_second_informative_source_on_track_or_better():
    indicators = indicator_rows([("p", "i1", "g3", 1.2, "achieved")])
    # the indicator alone: its target is met, but nothing confirms it
    row = _computed(indicator_status=indicators)
    assert (row["computed_status"], row["reason"]) == ("on_track", "one_source_only")
    # a milestone not yet due casts no vote, so it confirms nothing either
    row = _computed(indicator_status=indicators,
                    milestones=milestone_rows([("p", "m1", "g3", "not_yet_due", None)]))
    assert (row["computed_status"], row["reason"]) == ("on_track", "one_source_only")
    # a milestone done late counts as done (evidence_rules.completed_late_milestone: on_track)
    row = _computed(indicator_status=indicators,
                    milestones=milestone_rows([("p", "m1", "g3", "completed_late", 40)]))
    assert (row["computed_status"], row["reason"]) == ("achieved", "all_targets_met")


def test_on_track_without_any_indicator_cannot_be_achieved():
    row = _computed(milestones=milestone_rows([("p", "m1", "g3", "completed_on_time", 0),
                                               ("p", "m2", "g3", "completed_on_time", 0)]))
    assert (row["computed_status"], row["reason"]) == ("on_track", "no_indicator")


def test_each_source_has_one_vote_however_many_rows_it_has():
    # three overdue milestones against one indicator on track: sources [on_track, off_track]
    indicators = indicator_rows([("p", "i1", "g3", 1.0, "on_track")])
    milestones = milestone_rows([("p", m, "g3", "overdue", d) for m, d in
                                 (("m1", 5), ("m2", 6), ("m3", 7))])
    row = _computed(indicator_status=indicators, milestones=milestones)
    assert (row["computed_status"], row["reason"]) == ("off_track", "majority")  # tie: the worse


def test_insufficient_evidence_is_set_aside_and_is_not_a_risk():
    survey = pd.DataFrame({"pilot": ["p"], "index": ["collaboration"], "change": [0.1],
                           "ci_low": [-0.2], "ci_high": [0.4], "n": [60]})
    interviews = pd.DataFrame({"pilot": ["p"], "theme": ["collaboration"], "n": [10],
                               "n_positive": [4], "n_negative": [3], "net_score": [0.1]})
    evidence = evidence_table(SUB_GOALS, LINKS, survey=survey, interviews=interviews, **RULES)
    computed = computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal")
    # g1: survey interval -0.2 to 0.4 spans 0 and reaches 0.3; g2: interviews net 0.1 in (-0.2, 0.2)
    for sub_goal, source in (("g1", "survey"), ("g2", "interview")):
        assert computed.loc[sub_goal, f"{source}_status"] == "insufficient_evidence"
        assert (computed.loc[sub_goal, "computed_status"], computed.loc[sub_goal, "reason"]) == (
            "insufficient_evidence", "not_enough_evidence")
        assert computed.loc[sub_goal, "n_evidence"] == 1
        assert computed.loc[sub_goal, "n_informative_sources"] == 0
    # g3 has no evidence at all: no data, not insufficient evidence
    assert (computed.loc["g3", "computed_status"], computed.loc["g3", "reason"]) == (
        "no_data", "no_evidence")


def test_insufficient_evidence_does_not_outvote_an_informative_source():
    links = pd.concat([LINKS, pd.DataFrame({"pilot": ["p"], "sub_goal": ["g3"], "kind": ["survey_index"],
                                            "target": ["collaboration"]})], ignore_index=True)
    survey = pd.DataFrame({"pilot": ["p"], "index": ["collaboration"], "change": [0.1],
                           "ci_low": [-0.2], "ci_high": [0.4], "n": [60]})
    milestones = milestone_rows([("p", "m1", "g3", "overdue", 30)])
    evidence = evidence_table(SUB_GOALS, links, survey=survey, milestones=milestones, **RULES)
    row = computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal").loc["g3"]
    assert (row["survey_status"], row["milestone_status"]) == ("insufficient_evidence", "off_track")
    assert (row["computed_status"], row["n_informative_sources"]) == ("off_track", 1)


# ------------------------------------------------------------------ judged status
def assessments(**overrides) -> pd.DataFrame:
    frame = pd.DataFrame({
        "pilot": ["p", "p", "p"],
        "phase": ["midterm", "midterm", "final"],
        "sub_goal": ["g1", "g3", "g3"],
        "status": ["on_track", "on_track", "achieved"],
        "gas_score": pd.array([0, 1, 2], dtype="Int64"),
        "rationale_nb": ["a", "b", "c"],
        "rationale_en": ["a", "b", "c"],
    })
    for column, values in overrides.items():
        frame[column] = values
    return frame


def test_disagreement_is_flagged_and_the_judged_status_kept():
    overview = status_overview(computed_frame(["off_track", "at_risk", "on_track"]),
                               assessments(), phase="midterm").set_index("sub_goal")
    # g1: computed off track (0), judged on track (2): a disagreement of +2 levels
    assert overview.loc["g1", "judged_status"] == "on_track"
    assert bool(overview.loc["g1", "disagreement"]) is True
    assert overview.loc["g1", "status_gap"] == 2
    # g3 agrees
    assert bool(overview.loc["g3", "disagreement"]) is False
    assert overview.loc["g3", "gas_score"] == 1
    # g2 has no judgement: no_data, not a disagreement
    assert overview.loc["g2", "judged_status"] == "no_data"
    assert bool(overview.loc["g2", "disagreement"]) is False
    assert pd.isna(overview.loc["g2", "status_gap"])


def test_insufficient_evidence_beside_a_judged_level_is_a_disagreement_without_a_gap():
    overview = status_overview(computed_frame(["insufficient_evidence", "no_data", "on_track"]),
                               assessments(), phase="midterm").set_index("sub_goal")
    assert bool(overview.loc["g1", "disagreement"]) is True
    assert pd.isna(overview.loc["g1", "status_gap"])


def test_the_evaluators_may_judge_insufficient_evidence():
    judged = assessments(status=["insufficient_evidence", "on_track", "achieved"])
    overview = status_overview(computed_frame(["insufficient_evidence", "no_data", "on_track"]),
                               judged, phase="midterm").set_index("sub_goal")
    assert overview.loc["g1", "judged_status"] == "insufficient_evidence"
    assert bool(overview.loc["g1", "disagreement"]) is False


def test_no_computed_evidence_is_not_a_disagreement():
    overview = status_overview(computed_frame(["no_data", "no_data", "no_data"]),
                               assessments(), phase="midterm")
    assert not overview["disagreement"].any()


def test_unknown_judged_status_names_assessments_row_and_column():
    bad = assessments(status=["on_track", "green", "achieved"])
    with pytest.raises(DataContractError) as info:
        status_overview(computed_frame(["on_track"] * 3), bad, phase="midterm")
    assert (info.value.file, info.value.row, info.value.column) == (
        "assessments.csv", 3, "status")


# ------------------------------------------------------------------ roll-up and change
def test_national_goal_rollup_per_pilot_and_across_pilots():
    status = pd.DataFrame({"pilot": ["p", "p", "p"], "sub_goal": ["g1", "g2", "g3"],
                           "computed_status": ["achieved", "on_track", "off_track"]})
    rollup = national_goal_rollup(status, LINKS).set_index("national_goal")
    # N1 links g1 (achieved), g2 (on track), g3 (off track): majority is on track
    assert rollup.loc["N1", "n_sub_goals"] == 3
    assert rollup.loc["N1", ["n_achieved", "n_on_track", "n_off_track"]].tolist() == [1, 1, 1]
    assert rollup.loc["N1", "status"] == "on_track"
    assert rollup.loc["N2", "status"] == "off_track"
    assert rollup.loc["N1", "n_insufficient_evidence"] == 0
    other = status.assign(pilot="q")
    across = national_goal_rollup(pd.concat([status, other]),
                                  pd.concat([LINKS, LINKS.assign(pilot="q")]),
                                  across_pilots=True).set_index("national_goal")
    assert across.loc["N1", "n_sub_goals"] == 6
    assert pd.isna(across.loc["N1", "pilot"])


def test_status_change_since_midterm():
    midterm = computed_frame(["at_risk", "on_track", "no_data"])
    final = computed_frame(["on_track", "on_track", "at_risk"])
    change = status_change(midterm, final).set_index("sub_goal")["change"]
    assert change.to_dict() == {"g1": "improved", "g2": "unchanged", "g3": "not_comparable"}
    final = computed_frame(["off_track", "on_track", "no_data"])
    assert status_change(midterm, final).set_index("sub_goal").loc["g1", "change"] == "worsened"
    final = computed_frame(["insufficient_evidence", "on_track", "no_data"])
    assert status_change(midterm, final).set_index("sub_goal").loc["g1", "change"] == "not_comparable"


def test_status_change_names_the_statuses_from_and_to_and_keeps_the_later_phases_sub_goals():
    earlier = computed_frame(["at_risk", "on_track", "no_data"]).iloc[:2]
    later = computed_frame(["on_track", "on_track", "achieved"])
    result = status_change(earlier, later).set_index("sub_goal")
    assert list(result.columns) == ["pilot", "predecessor", "status_from", "status_to", "change"]
    # g3 is new in the later phase: nothing to compare it with
    assert result.loc["g3", ["status_from", "status_to", "change"]].tolist() == [
        "no_data", "achieved", "not_comparable"]
    assert pd.isna(result.loc["g3", "predecessor"]) and result.loc["g1", "predecessor"] == "g1"


def test_status_change_maps_a_midterm_sub_goal_to_its_successors_instead_of_losing_it():
    # midterm: a at_risk, b on_track, c off_track, e achieved; final: a merged with b into m
    # (on_track), c split into c1 (achieved) and c2 (at_risk), e dropped, n added (on_track)
    earlier = pd.DataFrame({"pilot": "p", "sub_goal": ["a", "b", "c", "e"],
                            "computed_status": ["at_risk", "on_track", "off_track", "achieved"]})
    later = pd.DataFrame({"pilot": "p", "sub_goal": ["m", "c1", "c2", "n"],
                          "computed_status": ["on_track", "achieved", "at_risk", "on_track"]})
    successors = pd.DataFrame({"pilot": "p", "sub_goal": ["a", "b", "c", "c"],
                               "successor": ["m", "m", "c1", "c2"]})
    result = status_change(earlier, later, successors=successors)
    result["predecessor"] = result["predecessor"].fillna("none")
    # levels off_track < at_risk < on_track < achieved, worked out by hand
    assert result.values.tolist() == [
        ["p", "m", "a", "at_risk", "on_track", "improved"],
        ["p", "m", "b", "on_track", "on_track", "unchanged"],
        ["p", "c1", "c", "off_track", "achieved", "improved"],
        ["p", "c2", "c", "off_track", "at_risk", "improved"],
        ["p", "n", "none", "no_data", "on_track", "not_comparable"],
        ["p", "e", "e", "achieved", "no_data", "dropped"],
    ]
