"""Reports use the sub-goals in force at their phase's cut-off: a goal change approved after the
midterm leaves the midterm report as it was, and the final report shows the successor."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.report import ReportContext, findings_by_goal, key_figures, summary_chapter
from evaluation.report.chapters.synthesis import national_goals_matrix, pilots_overview
from evaluation.report.frame import about_pilot
from goal_history_edits import merge_stad

STARTED = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def merged(tmp_path_factory):
    import shutil

    folder = tmp_path_factory.mktemp("goals") / "data"
    shutil.copytree(DEMO, folder)
    merge_stad(folder)
    return folder


def _contexts(folder, pilot, phase):
    return (ReportContext(load_data(DEMO, phase=phase), pilot=pilot, phase=phase, started=STARTED),
            ReportContext(load_data(folder, phase=phase), pilot=pilot, phase=phase, started=STARTED))


def test_the_midterm_report_is_the_same_with_or_without_the_later_goal_change(merged):
    before, after = _contexts(merged, "stad", "midterm")
    pd.testing.assert_frame_equal(before.attainment.overview, after.attainment.overview)
    pd.testing.assert_frame_equal(before.attainment.evidence, after.attainment.evidence)
    pd.testing.assert_frame_equal(key_figures(before), key_figures(after))
    for chapter in (findings_by_goal, summary_chapter, about_pilot):
        assert str(chapter(before)) == str(chapter(after)), chapter.__name__


def test_the_midterm_synthesis_is_the_same_with_or_without_the_later_goal_change(merged):
    before, after = _contexts(merged, None, "midterm")
    for chapter in (pilots_overview, national_goals_matrix):
        assert str(chapter(before)) == str(chapter(after)), chapter.__name__


def test_the_final_report_shows_the_sub_goals_in_force_at_its_cut_off(merged):
    _, after = _contexts(merged, "stad", "final")
    # stad-d2 and stad-d3 ended on 2023-02-28; stad-d4 applies from 2023-03-01
    assert after.attainment.overview["sub_goal"].tolist() == ["stad-d1", "stad-d4"]
    soup = BeautifulSoup(str(findings_by_goal(after)), "html.parser")
    ids = {tag.get("id") for tag in soup.find_all("h3")}
    assert {"finding-stad-d1", "finding-stad-d4"} <= ids
    assert not {"finding-stad-d2", "finding-stad-d3"} & ids


def _table(block, caption_start):
    soup = BeautifulSoup(str(block), "html.parser")
    table = next(t for t in soup.find_all("table") if t.caption and t.caption.get_text().startswith(caption_start))
    return [[cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])] for row in table.find_all("tr")]


def test_the_final_report_lists_every_goal_change_with_its_date_reason_and_national_goals(merged):
    _, after = _contexts(merged, "stad", "final")
    after_en = ReportContext(after.data, pilot="stad", phase="final", lang="en", started=STARTED)
    rows = _table(findings_by_goal(after_en), "Changes to the sub-goals in Stad")
    assert rows[0] == ["Sub-goal", "Change", "Replaced by", "Applied until (new from)",
                       "Approved by the steering group", "Reason", "Within the national goals"]
    d2 = "stad-d2: Strengthen collaboration and the professional environment across agencies"
    d3 = "stad-d3: Establish a district hub with flexible offices for state employees"
    d4 = "stad-d4: A stronger professional environment that recruits"
    # the edit of goal_history_edits.MERGE_STAD: both end 2023-02-28, approved 2023-02-14
    assert [row[:3] + row[5:] for row in rows[1:]] == [
        [d2, "Merged", d4, "Merged with d3", "Yes"], [d3, "Merged", d4, "Merged with d2", "Yes"]]
    assert all("2023" in row[3] and "28" in row[3] and "14" in row[4] for row in rows[1:])


def test_the_midterm_report_has_no_goal_changes_section(merged):
    _, after = _contexts(merged, "stad", "midterm")
    assert "goals-heading-goal-changes" not in str(findings_by_goal(after))


def test_the_final_synthesis_lists_the_changes_of_every_pilot(merged):
    _, after = _contexts(merged, None, "final")
    rows = _table(national_goals_matrix(after), "Endringer i delmålene")
    # the merge added to Stad, then the demo's own changes (Orkland drops d2, Narvik merges d1 and d3)
    assert [row[0] + " " + row[1].split(":")[0] + " " + row[2] for row in rows[1:]] == [
        "Stad stad-d2 Slått sammen", "Stad stad-d3 Slått sammen", "Orkland orkland-d2 Utgått",
        "Narvik narvik-d1 Slått sammen", "Narvik narvik-d3 Slått sammen"]


def test_a_final_report_without_goal_changes_says_so():
    ctx = ReportContext(load_data(DEMO, phase="final"), pilot="lyngdal", phase="final", started=STARTED)
    assert "Delmålene er ikke endret fram til skjæringsdatoen." in str(findings_by_goal(ctx))


def test_the_status_change_maps_the_merged_midterm_sub_goals_to_their_successor(merged):
    _, after = _contexts(merged, "stad", "final")
    after_en = ReportContext(after.data, pilot="stad", phase="final", lang="en", started=STARTED)
    rows = _table(findings_by_goal(after_en), "Change in status per sub-goal in Stad")
    labels = [row[0] for row in rows[1:]]
    assert labels == ["stad-d1: Co-locate the Tax Administration, NAV and the Police in a new State House "
                      "in Nordfjordeid",
                      "stad-d4: A stronger professional environment that recruits (replaces stad-d2)",
                      "stad-d4: A stronger professional environment that recruits (replaces stad-d3)"]


def test_the_demo_narrows_two_pilots_goals_after_the_midterm():
    programme = load_data(DEMO).programme
    changes = programme.goal_changes
    # evaluation/demo/pilots.py: Orkland drops d2 (approved 2023-03-15, last day 2023-03-31);
    # Narvik merges d1 and d3 into d4 (approved 2023-04-20, last day 2023-04-30)
    assert changes[["pilot", "sub_goal", "change"]].values.tolist() == [
        ["orkland", "orkland-d2", "dropped"], ["narvik", "narvik-d1", "merged"], ["narvik", "narvik-d3", "merged"]]
    assert changes["approved"].dt.year.tolist() == [2023, 2023, 2023]
    assert (changes["reason_nb"] != "").all() and (changes["reason_en"] != "").all()
    midterm = programme.sub_goals_in_force(as_of=programme.cutoffs["midterm"])
    final = programme.sub_goals_in_force(as_of=programme.cutoffs["final"])
    assert (len(midterm), len(final)) == (12, 10)
    assert set(midterm["sub_goal"]) - set(final["sub_goal"]) == {"orkland-d2", "narvik-d1", "narvik-d3"}
    assert set(final["sub_goal"]) - set(midterm["sub_goal"]) == {"narvik-d4"}


def test_the_demo_final_report_of_narvik_shows_the_merge_and_maps_the_status_change():
    ctx = ReportContext(load_data(DEMO, phase="final"), pilot="narvik", phase="final", lang="en", started=STARTED)
    findings = findings_by_goal(ctx)
    changes = _table(findings, "Changes to the sub-goals in Narvik")
    assert [row[1:3] for row in changes[1:]] == [
        ["Merged", "narvik-d4: Collaboration, competence and service development across the agencies"]] * 2
    status = _table(findings, "Change in status per sub-goal in Narvik")
    assert [row[0].split(":")[0] for row in status[1:]] == ["narvik-d2", "narvik-d4", "narvik-d4"]
    assert [row[0].endswith(f"(replaces {old})") for row, old in zip(status[2:], ("narvik-d1", "narvik-d3"))] == [
        True, True]


def test_the_final_report_shows_inherited_evidence_with_its_origin_and_the_chain_follows():
    ctx = ReportContext(load_data(DEMO, phase="final"), pilot="narvik", phase="final", started=STARTED)
    soup = BeautifulSoup(str(findings_by_goal(ctx)), "html.parser")
    table = next(t for t in soup.find_all("table")
                 if t.caption and t.caption.get_text().startswith("Hva kildene viser: Samarbeid, kompetanse"))
    evidence = [[cell.get_text(" ", strip=True) for cell in row.find_all(["td", "th"])] for row in table.find_all("tr")]
    # narvik-d1's milestone (due 2023-02-28, done 2023-01-31) counts for narvik-d4, marked with its
    # origin; the milestone text is read from milestones.csv
    text = next(line.split(",")[3] for line in (DEMO / "milestones.csv").read_text(encoding="utf-8").splitlines()
                if line.startswith("narvik,narvik-m1,"))
    assert any(row[1] == f"{text} (fra narvik-d1, per 31. desember 2024)" for row in evidence[1:])
    from evaluation.report.chapters.goals import chain_section
    chain = BeautifulSoup(str(chain_section(ctx)), "html.parser").get_text(" ", strip=True)
    assert "narvik-d1" not in chain and "narvik-d3" not in chain
