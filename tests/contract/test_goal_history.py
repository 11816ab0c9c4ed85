"""Goals with a history (evaluation.contract.goal_history): the rules of the history keys in
programme.yaml, the sub-goals in force at a date, and the tidy frame of goal changes.

Each rule test edits a copy of the demo data and checks the line an analyst would look at (as a
text editor shows it: the first line is 1), computed from the file the test edited. The expected
frames are worked out by hand from the edits.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from conftest import read_lines, write_lines
from evaluation.contract import load_data, validate
from evaluation.contract.goal_history import goal_changes, in_force
from goal_history_edits import add_keys, merge_stad


def located(problems, column):
    return [p for p in problems if p.column == column]


def test_an_unknown_successor_is_refused_at_its_line(demo_copy):
    path = demo_copy / "programme.yaml"
    first = add_keys(path, "stad-d1", ["    valid_to: '2023-02-28'", "    reason_nb: Utgår",
                                       "    replaced_by:", "    - stad-d9"])
    found = located(validate(demo_copy), "pilots[0].sub_goals[0].replaced_by[0]")
    assert len(found) == 1 and found[0].row == first + 3
    assert "unknown sub-goal 'stad-d9'" in found[0].message


def test_a_successor_that_leads_back_through_a_chain_is_refused(demo_copy):
    path = demo_copy / "programme.yaml"
    first = add_keys(path, "stad-d1", ["    valid_to: '2023-02-28'", "    reason_nb: Erstattet",
                                       "    replaced_by:", "    - stad-d2"])
    add_keys(path, "stad-d2", ["    valid_to: '2023-02-28'", "    reason_nb: Erstattet",
                               "    replaced_by:", "    - stad-d1", "    drops_national_goals:", "    - N1"])
    problems = validate(demo_copy)
    found = located(problems, "pilots[0].sub_goals[0].replaced_by")
    assert [p.row for p in found] == [first + 2]
    assert "stad-d1 -> stad-d2 -> stad-d1" in found[0].message
    assert "stad-d2 -> stad-d1 -> stad-d2" in located(problems, "pilots[0].sub_goals[1].replaced_by")[0].message


def test_valid_to_before_valid_from_is_refused_at_valid_to(demo_copy):
    path = demo_copy / "programme.yaml"
    first = add_keys(path, "stad-d1", ["    valid_from: '2023-01-01'", "    valid_to: '2022-12-31'",
                                       "    reason_nb: Utgår"])
    found = located(validate(demo_copy), "pilots[0].sub_goals[0].valid_to")
    assert len(found) == 1 and found[0].row == first + 1
    assert "before valid_from" in found[0].message


def test_a_replaced_sub_goal_needs_an_end_date_and_a_reason(demo_copy):
    path = demo_copy / "programme.yaml"
    add_keys(path, "stad-d1", ["    replaced_by:", "    - stad-d2"])
    entry_line = next(i for i, line in enumerate(read_lines(path)) if line.strip() == "- id: stad-d1") + 1
    problems = validate(demo_copy)
    assert [p.row for p in located(problems, "pilots[0].sub_goals[0].valid_to")] == [entry_line]
    assert [p.row for p in located(problems, "pilots[0].sub_goals[0].reason_nb")] == [entry_line]


def test_a_national_goal_link_lost_without_a_stated_reason_is_refused(demo_copy):
    path = demo_copy / "programme.yaml"
    # stad-d2 serves N1 and N4; its successor stad-d1 serves only N4: N1 is lost
    first = add_keys(path, "stad-d2", ["    valid_to: '2023-02-28'", "    reason_nb: Skjerpet",
                                       "    replaced_by:", "    - stad-d1"])
    found = located(validate(demo_copy), "pilots[0].sub_goals[1].replaced_by")
    assert len(found) == 1 and found[0].row == first + 2
    assert "national goal link N1 lost" in found[0].message


def test_a_national_goal_dropped_on_purpose_is_accepted(demo_copy):
    path = demo_copy / "programme.yaml"
    add_keys(path, "stad-d2", ["    valid_to: '2023-02-28'", "    reason_nb: Skjerpet",
                               "    replaced_by:", "    - stad-d1", "    drops_national_goals:", "    - N1"])
    assert located(validate(demo_copy), "pilots[0].sub_goals[1].replaced_by") == []


def test_the_sub_goals_in_force_follow_the_history(demo_copy):
    merge_stad(demo_copy)
    programme = load_data(demo_copy).programme
    midterm = programme.sub_goals_in_force("stad", as_of=programme.cutoffs["midterm"])
    final = programme.sub_goals_in_force("stad", as_of=programme.cutoffs["final"])
    assert midterm["sub_goal"].tolist() == ["stad-d1", "stad-d2", "stad-d3"]
    assert final["sub_goal"].tolist() == ["stad-d1", "stad-d4"]
    # both ends inclusive: the last day of stad-d2 and the first of stad-d4
    assert programme.sub_goals_in_force("stad", as_of=dt.date(2023, 2, 28))["sub_goal"].tolist() == [
        "stad-d1", "stad-d2", "stad-d3"]
    assert programme.sub_goals_in_force("stad", as_of=dt.date(2023, 3, 1))["sub_goal"].tolist() == [
        "stad-d1", "stad-d4"]


def test_goal_changes_lists_a_merge_per_predecessor(demo_copy):
    merge_stad(demo_copy)
    changes = load_data(demo_copy).programme.goal_changes
    changes = changes.loc[changes["pilot"] == "stad"]
    assert changes[["pilot", "sub_goal", "change", "successor"]].values.tolist() == [
        ["stad", "stad-d2", "merged", "stad-d4"], ["stad", "stad-d3", "merged", "stad-d4"]]
    assert changes["date"].tolist() == [pd.Timestamp("2023-02-28")] * 2
    assert changes["approved"].tolist() == [pd.Timestamp("2023-02-14")] * 2
    assert changes["reason_en"].tolist() == ["Merged with d3", "Merged with d2"]
    # stad-d4 serves N1, N2; its predecessors served N1, N4 and N2, N3: within
    assert changes["within_national_goals"].tolist() == [True, True]


def _goals(**columns):
    base = {"pilot": "p", "valid_from": pd.NaT, "valid_to": pd.NaT, "approved": pd.NaT,
            "reason_nb": "", "reason_en": ""}
    return pd.DataFrame([{**base, **row} for row in columns["rows"]])


def test_goal_changes_names_split_sharpened_dropped_and_added():
    goals = _goals(rows=[
        {"sub_goal": "a", "valid_to": pd.Timestamp("2023-02-28"), "reason_nb": "delt"},
        {"sub_goal": "b", "valid_to": pd.Timestamp("2023-02-28"), "reason_nb": "skjerpet"},
        {"sub_goal": "c", "valid_to": pd.Timestamp("2023-02-28"), "reason_nb": "utgår"},
        {"sub_goal": "a1", "valid_from": pd.Timestamp("2023-03-01")},
        {"sub_goal": "a2", "valid_from": pd.Timestamp("2023-03-01")},
        {"sub_goal": "b1", "valid_from": pd.Timestamp("2023-03-01")},
        {"sub_goal": "new", "valid_from": pd.Timestamp("2023-06-01")},
    ])
    successors = pd.DataFrame({"pilot": "p", "sub_goal": ["a", "a", "b"], "successor": ["a1", "a2", "b1"]})
    national = {"a": ["N1", "N2"], "b": ["N3"], "c": ["N4"], "a1": ["N1"], "a2": ["N2"], "b1": ["N3", "N5"],
                "new": ["N4"]}
    links = pd.DataFrame([{"pilot": "p", "sub_goal": g, "kind": "national_goal", "target": n}
                          for g, ns in national.items() for n in ns])
    changes = goal_changes(goals, successors, links)
    changes["successor"] = changes["successor"].fillna("none")  # missing for dropped and added
    assert changes[["sub_goal", "change", "successor", "within_national_goals"]].values.tolist() == [
        ["a", "split", "a1", True], ["a", "split", "a2", True],
        ["b", "sharpened", "b1", False],  # b1 adds N5, which b did not serve
        ["c", "dropped", "none", True],
        # in force on 2023-05-31: a1, a2, b1 (N1, N2, N3, N5); "new" serves N4, which c served
        # until 2023-02-28 only
        ["new", "added", "none", False],
    ]
    assert changes.loc[changes["change"] == "added", "date"].tolist() == [pd.Timestamp("2023-06-01")]


def test_in_force_includes_both_ends_of_the_period():
    frame = pd.DataFrame({"valid_from": pd.to_datetime(["2023-01-01"]), "valid_to": pd.to_datetime(["2023-01-31"])})
    assert [len(in_force(frame, dt.date(2023, 1, d))) for d in (1, 31)] == [1, 1]
    assert [len(in_force(frame, day)) for day in (dt.date(2022, 12, 31), dt.date(2023, 2, 1))] == [0, 0]


def test_the_merged_demo_copy_is_valid(demo_copy):
    merge_stad(demo_copy)
    assert validate(demo_copy) == []


def test_an_assessment_of_a_sub_goal_not_in_force_at_its_phase_is_refused(demo_copy):
    merge_stad(demo_copy)
    path = demo_copy / "assessments.csv"
    lines = read_lines(path)
    lines.append("stad,final,stad-d2,on_track,0,Fortsatt i rute.,Still on track.")
    lines.append("stad,midterm,stad-d4,on_track,0,I rute.,On track.")
    write_lines(path, lines)
    found = [(p.row, p.column) for p in validate(demo_copy) if p.file == "assessments.csv"]
    # the header is line 1; the two appended rows are the last two lines
    assert found == [(len(lines) - 1, "sub_goal"), (len(lines), "sub_goal")]


def test_an_observation_outside_its_indicators_period_is_refused_at_its_row(demo_copy):
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: stad-i1") + 1
    lines[at:at] = ["    valid_to: '2023-06-30'", "    reason_nb: Erstattet av ny telling"]
    write_lines(path, lines)
    observations = read_lines(demo_copy / "indicators" / "observations.csv")
    # stad-i1 rows dated after 2023-06-30: 2023-12-31 and 2024-12-31, read from the file
    expected = [i + 1 for i, line in enumerate(observations)
                if line.startswith("stad,stad-i1,") and line.split(",")[2] > "2023-06-30"]
    assert len(expected) == 2
    found = [p for p in validate(demo_copy) if p.file == "indicators/observations.csv"]
    assert [(p.row, p.column) for p in found] == [(row, "date") for row in expected]
    assert "outside the period of indicator 'stad-i1'" in found[0].message


def test_an_indicator_period_in_the_wrong_order_is_refused(demo_copy):
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: stad-i1") + 1
    lines[at:at] = ["    valid_from: '2023-01-01'", "    valid_to: '2022-06-30'", "    reason_nb: Feil"]
    write_lines(path, lines)
    found = located(validate(demo_copy), "pilots[0].indicators[0].valid_to")
    assert [p.row for p in found] == [at + 2]


def test_a_narrative_section_of_a_sub_goal_not_in_force_at_its_phase_is_refused(demo_copy):
    merge_stad(demo_copy)
    path = demo_copy / "narratives" / "stad-final.nb.md"
    lines = read_lines(path)
    lines += ["", "## Delmål stad-d3", "", "Tekst."]
    write_lines(path, lines)
    found = [p for p in validate(demo_copy) if p.file == "narratives/stad-final.nb.md"]
    assert [p.row for p in found] == [len(lines) - 2]


def test_an_unknown_indicator_successor_is_refused_at_its_line(demo_copy):
    path = demo_copy / "programme.yaml"
    # stad-i1 belongs to stad-d3, which applies throughout: ending the indicator is allowed
    first = add_keys(path, "stad-i1", ["    valid_to: '2023-02-28'", "    reason_nb: Erstattet",
                                       "    replaced_by:", "    - stad-i9"])
    found = located(validate(demo_copy), "pilots[0].indicators[0].replaced_by[0]")
    assert len(found) == 1 and found[0].row == first + 3
    assert "unknown indicator 'stad-i9'" in found[0].message


def test_an_indicator_that_leads_back_to_itself_is_refused(demo_copy):
    path = demo_copy / "programme.yaml"
    first = add_keys(path, "stad-i1", ["    valid_to: '2023-02-28'", "    reason_nb: Erstattet",
                                       "    replaced_by:", "    - stad-i2"])
    add_keys(path, "stad-i2", ["    valid_to: '2023-02-28'", "    reason_nb: Erstattet",
                               "    replaced_by:", "    - stad-i1"])
    found = located(validate(demo_copy), "pilots[0].indicators[0].replaced_by")
    assert [p.row for p in found] == [first + 2]
    assert "stad-i1 -> stad-i2 -> stad-i1" in found[0].message


def test_an_indicator_outliving_its_sub_goal_is_refused_at_its_sub_goal(demo_copy):
    path = demo_copy / "programme.yaml"
    # stad-d2 ends on 2023-02-28 (dropped); its indicator stad-i2 has no end
    add_keys(path, "stad-d2", ["    valid_to: '2023-02-28'", "    reason_nb: Utgår"])
    lines = read_lines(path)
    start = next(i for i, line in enumerate(lines) if line.strip() == "- id: stad-i2")
    sub_goal_line = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("sub_goal:")) + 1
    found = located(validate(demo_copy), "pilots[0].indicators[1].sub_goal")
    assert [p.row for p in found] == [sub_goal_line]
    assert "its sub-goal stad-d2 ends on 2023-02-28" in found[0].message


def test_an_indicator_starting_before_its_sub_goal_is_refused(demo_copy):
    path = demo_copy / "programme.yaml"
    merge_stad(demo_copy)
    lines = read_lines(path)
    # stad-i4 continues stad-i1 under stad-d4 from 2023-03-01; move its start a day earlier
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: stad-i4")
    start = next(i for i in range(at, len(lines)) if lines[i].strip() == "valid_from: '2023-03-01'")
    lines[start] = "    valid_from: '2023-02-28'"
    write_lines(path, lines)
    found = [p for p in validate(demo_copy) if (p.column or "").endswith(".sub_goal")]
    assert len(found) == 1 and "only from 2023-03-01" in found[0].message
    assert found[0].row == next(i for i in range(at, len(lines)) if lines[i].strip() == "sub_goal: stad-d4") + 1


def test_indicator_successors_are_a_frame_of_the_programme(demo_copy):
    merge_stad(demo_copy)
    successors = load_data(demo_copy).programme.indicator_successors
    assert successors.loc[successors["pilot"] == "stad"].values.tolist() == [
        ["stad", "stad-i1", "stad-i4"], ["stad", "stad-i2", "stad-i5"], ["stad", "stad-i3", "stad-i6"]]


def test_a_milestone_due_before_its_sub_goal_applies_is_refused_at_its_row(demo_copy):
    merge_stad(demo_copy)  # stad-d4 applies from 2023-03-01
    path = demo_copy / "milestones.csv"
    # stad-m4 falls due on 2022-03-31; put it under stad-d4
    write_lines(path, [line.replace("stad,stad-m4,stad-d2,", "stad,stad-m4,stad-d4,") for line in read_lines(path)])
    row = next(i for i, line in enumerate(read_lines(path)) if line.startswith("stad,stad-m4,")) + 1
    found = [p for p in validate(demo_copy) if p.file == "milestones.csv"]
    assert [(p.row, p.column) for p in found] == [(row, "due_date")]
    assert "2022-03-31 is before sub-goal 'stad-d4' applies (2023-03-01)" in found[0].message
