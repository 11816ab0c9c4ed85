"""A merged sub-goal's status draws on its predecessors' evidence up to the change and on its own
after it (evaluation.goals.succession), worked by hand on a copy of the demo data.

The example: Stad merges stad-d2 and stad-d3 into stad-d4 from 2023-03-01 (tests/goal_history_edits).
stad-i1 and stad-i2 continue under stad-d4 as stad-i4 and stad-i5; stad-i3 (of stad-d3) ends on
2023-02-28 without a successor. stad-d4 links to no survey index or interview theme of its own.
"""

from __future__ import annotations

import pandas as pd

from evaluation.contract import load_data
from evaluation.goals import computed_status, goal_attainment
from goal_history_edits import end_indicator, merge_stad


def _merged(demo_copy):
    merge_stad(demo_copy, continued=[("stad-i1", "stad-i4"), ("stad-i2", "stad-i5")])
    end_indicator(demo_copy, "stad-i3")
    return demo_copy


def test_a_merged_sub_goal_inherits_its_predecessors_evidence_up_to_the_change(demo_copy):
    data = load_data(_merged(demo_copy), phase="final")
    final = goal_attainment(data, phase="final", threshold=data.anonymity_threshold, pilots=["stad"])
    rows = final.evidence.loc[final.evidence["sub_goal"] == "stad-d4"]
    got = [(r.source, r.item, r.via, r.as_of.date().isoformat(), r.status) for r in rows.itertuples()]
    assert got == [
        # own indicators at the final cut-off (2024-12-31), by hand from the observations:
        # stad-i4 (212 -> 230 by 2024): 224 in 2024, progress 12/18 = 0.67 of the full path -> at risk
        ("indicator", "stad-i4", "", "2024-12-31", "at_risk"),
        # stad-i5 (2 -> 12 by 2024): 13 in 2024, past the target -> achieved
        ("indicator", "stad-i5", "", "2024-12-31", "achieved"),
        # stad-i3 on its last day: 3.4 in 2022 on the path 3.1 -> 5.0 (2021-2024), progress
        # 0.3/1.9 = 0.158 against 1/3 expected, ratio 0.47 < 0.5 -> off track
        ("indicator", "stad-i3", "stad-d3", "2023-02-28", "off_track"),
        # the links stad-d4 does not take over: the midterm (last cut-off before the change)
        ("survey", "collaboration", "stad-d2", "2022-12-31", "insufficient_evidence"),
        ("survey", "professional_environment", "stad-d2", "2022-12-31", "at_risk"),
        ("survey", "recruitment_retention", "stad-d3", "2022-12-31", "at_risk"),
        # milestones at the cut-off: stad-m4 (due 2022-03-31, done 03-15), stad-m3 (due
        # 2023-03-31, done 03-01): both on time
        ("milestone", "stad-m4", "stad-d2", "2024-12-31", "on_track"),
        ("milestone", "stad-m3", "stad-d3", "2024-12-31", "on_track"),
        ("interview", "collaboration", "stad-d2", "2022-12-31", "insufficient_evidence"),
        ("interview", "professional_environment", "stad-d2", "2022-12-31", "on_track"),
        ("interview", "recruitment", "stad-d3", "2022-12-31", "insufficient_evidence"),
    ]
    status = final.overview.set_index("sub_goal").loc["stad-d4"]
    # by source (majority, worse side on a tie): indicators [at risk, achieved, off track] ->
    # at risk; survey [at risk, at risk] -> at risk; milestones on track; interviews on track;
    # sources [at risk, at risk, on track, on track] -> at risk
    assert (status["indicator_status"], status["survey_status"], status["milestone_status"],
            status["interview_status"]) == ("at_risk", "at_risk", "on_track", "on_track")
    assert (status["computed_status"], status["reason"]) == ("at_risk", "majority")


def test_inherited_survey_and_interview_rows_are_the_midterm_reports_rows(demo_copy):
    data = load_data(_merged(demo_copy), phase="final")
    midterm = goal_attainment(data, phase="midterm", threshold=data.anonymity_threshold, pilots=["stad"])
    final = goal_attainment(data, phase="final", threshold=data.anonymity_threshold, pilots=["stad"])
    columns = ["source", "item", "estimate", "ci_low", "ci_high", "n", "status"]
    inherited = final.evidence.loc[(final.evidence["via"] != "")
                                   & final.evidence["source"].isin(["survey", "interview"])]
    before = midterm.evidence.loc[midterm.evidence["sub_goal"].isin(["stad-d2", "stad-d3"])
                                  & midterm.evidence["source"].isin(["survey", "interview"])]
    key = ["source", "item"]
    pd.testing.assert_frame_equal(inherited[columns].sort_values(key, ignore_index=True),
                                  before[columns].sort_values(key, ignore_index=True))


def test_a_continued_indicator_is_not_inherited_and_a_dropped_goal_passes_nothing(demo_copy):
    data = load_data(demo_copy, phase="final")  # the demo: narvik-i3 continues as narvik-i4
    final = goal_attainment(data, phase="final", threshold=data.anonymity_threshold)
    inherited = final.evidence.loc[final.evidence["via"] != ""]
    # narvik-d4 takes over every link of narvik-d1 and narvik-d3; narvik-d3's indicator continues
    # as narvik-i4; what is left is narvik-d1's milestone (due 2023-02-28, done 01-31: on time).
    # orkland-d2 was dropped and passes nothing on.
    assert [(r.sub_goal, r.source, r.item, r.via, r.status) for r in inherited.itertuples()] == [
        ("narvik-d4", "milestone", "narvik-m1", "narvik-d1", "on_track")]


def test_achieved_is_decided_by_the_targets_that_still_apply():
    # own indicator achieved; an inherited indicator stopped on track; survey and milestone on track
    evidence = pd.DataFrame({
        "pilot": ["p"] * 4, "sub_goal": ["p-d2"] * 4,
        "source": ["indicator", "indicator", "survey", "milestone"],
        "status": ["achieved", "on_track", "on_track", "on_track"],
        "via": ["", "p-d1", "", ""]})
    sub_goals = pd.DataFrame({"pilot": ["p"], "sub_goal": ["p-d2"]})
    row = computed_status(evidence, sub_goals=sub_goals).iloc[0]
    # indicators [achieved, on track] -> on track; sources all on track; the own indicator met its
    # target and three sources are on track or better -> achieved
    assert (row["indicator_status"], row["computed_status"], row["reason"]) == (
        "on_track", "achieved", "all_targets_met")
    # the same rows with the second indicator the sub-goal's own: its target is not met
    row = computed_status(evidence.assign(via=""), sub_goals=sub_goals).iloc[0]
    assert (row["computed_status"], row["reason"]) == ("on_track", "target_not_met")


def test_the_midterm_is_the_same_with_or_without_the_merge(demo_copy, tmp_path):
    import shutil

    plain = tmp_path / "plain"
    shutil.copytree(demo_copy, plain)
    merged = load_data(_merged(demo_copy), phase="midterm")
    before = load_data(plain, phase="midterm")
    args = {"phase": "midterm", "pilots": ["stad"]}
    a = goal_attainment(before, threshold=before.anonymity_threshold, **args)
    b = goal_attainment(merged, threshold=merged.anonymity_threshold, **args)
    pd.testing.assert_frame_equal(a.evidence, b.evidence)
    pd.testing.assert_frame_equal(a.overview, b.overview)
