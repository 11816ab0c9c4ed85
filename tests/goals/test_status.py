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
from goal_frames import LINKS, SUB_GOALS, computed_frame, indicator_rows


def test_majority_rule_takes_the_worse_status_on_a_tie():
    assert combine_statuses(["on_track", "off_track"]) == "off_track"
    assert combine_statuses(["on_track", "on_track", "at_risk"]) == "on_track"
    assert combine_statuses(["achieved", "on_track", "at_risk", "off_track"]) == "at_risk"


def test_majority_rule_sets_no_data_aside():
    assert combine_statuses(["no_data", "no_data"]) == "no_data"
    assert combine_statuses([]) == "no_data"
    assert combine_statuses(["no_data", "at_risk"]) == "at_risk"


def test_unknown_status_is_rejected():
    with pytest.raises(ValueError):
        combine_statuses(["green"])


def test_achieved_needs_every_indicator_with_data_at_its_target():
    indicators = indicator_rows([
        ("p", "i1", "g3", 1.2, "achieved"),
        ("p", "i2", "g3", 1.1, "achieved"),
        ("p", "i3", "g3", 0.95, "on_track"),
    ])
    # majority within indicators is achieved, but i3 has not met its target -> on_track
    evidence = evidence_table(SUB_GOALS, LINKS, indicator_status=indicators)
    computed = computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal")
    assert computed.loc["g3", "indicator_status"] == "achieved"
    assert computed.loc["g3", "computed_status"] == "on_track"
    # all met (the no_data indicator is set aside) and the milestone on track -> achieved
    indicators = indicator_rows([
        ("p", "i1", "g3", 1.2, "achieved"),
        ("p", "i4", "g3", math.nan, "no_data"),
    ])
    milestones = pd.DataFrame({"pilot": ["p"], "milestone_id": ["m1"], "sub_goal": ["g3"],
                               "status": ["completed_on_time"],
                               "days_late": pd.array([0], dtype="Int64")})
    evidence = evidence_table(SUB_GOALS, LINKS, indicator_status=indicators,
                              milestones=milestones)
    computed = computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal")
    assert computed.loc["g3", "computed_status"] == "achieved"


def test_each_source_has_one_vote_however_many_rows_it_has():
    # three overdue milestones against one indicator on track: sources [on_track, off_track]
    indicators = indicator_rows([("p", "i1", "g3", 1.0, "on_track")])
    milestones = pd.DataFrame({"pilot": ["p"] * 3, "milestone_id": ["m1", "m2", "m3"],
                               "sub_goal": ["g3"] * 3, "status": ["overdue"] * 3,
                               "days_late": pd.array([5, 6, 7], dtype="Int64")})
    evidence = evidence_table(SUB_GOALS, LINKS, indicator_status=indicators,
                              milestones=milestones)
    computed = computed_status(evidence, sub_goals=SUB_GOALS).set_index("sub_goal")
    assert computed.loc["g3", "computed_status"] == "off_track"  # tie: the worse wins


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


def test_status_change_names_the_statuses_from_and_to_and_keeps_the_later_phases_sub_goals():
    earlier = computed_frame(["at_risk", "on_track", "no_data"]).iloc[:2]
    later = computed_frame(["on_track", "on_track", "achieved"])
    result = status_change(earlier, later).set_index("sub_goal")
    assert list(result.columns) == ["pilot", "status_from", "status_to", "change"]
    # g3 is new in the later phase: nothing to compare it with
    assert result.loc["g3", ["status_from", "status_to", "change"]].tolist() == [
        "no_data", "achieved", "not_comparable"]
