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
