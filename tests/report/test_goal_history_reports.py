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
    assert [row[:3] for row in rows[1:]] == [["Stad", "stad-d2: Styrke samarbeidet og fagmiljøet mellom etatene",
                                               "Slått sammen"],
                                              ["Stad", "stad-d3: Etablere et distriktshub med fleksible "
                                               "kontorplasser for statsansatte", "Slått sammen"]]


def test_a_final_report_without_goal_changes_says_so():
    ctx = ReportContext(load_data(DEMO, phase="final"), pilot="narvik", phase="final", started=STARTED)
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
