"""Goal attainment for a phase on the demo data: evidence, computed and judged status."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.goals import goal_attainment


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def midterm_data():
    return load_data(DEMO, phase="midterm")


@pytest.fixture(scope="module")
def final_data():
    return load_data(DEMO, phase="final")


def test_demo_data_contain_a_disagreement_between_computed_and_judged_status(midterm_data):
    # The evaluators judged lyngdal-d1 "at_risk" at midterm (assessments.csv), while its
    # indicator lyngdal-i1 (0 -> 25 users, 2021-2024) stood at 3 in 2022: progress 3/25 = 0.12
    # against 1/3 expected, r = 0.36 < 0.5 -> off track; its milestone (due 2022-12-31) was
    # not yet due; so the computed status differs from the judgement.
    overview = goal_attainment(midterm_data, phase="midterm", threshold=5).overview
    overview = overview.set_index("sub_goal")
    judged = {r["sub_goal"]: r["status"] for r in read_csv(DEMO / "assessments.csv")
              if r["phase"] == "midterm"}
    assert overview.loc["lyngdal-d1", "judged_status"] == judged["lyngdal-d1"] == "at_risk"
    assert overview.loc["lyngdal-d1", "indicator_status"] == "off_track"
    assert bool(overview.loc["lyngdal-d1", "disagreement"]) is True


def test_midterm_numbers_are_the_same_from_the_final_data(midterm_data, final_data):
    columns = ["pilot", "sub_goal", "indicator_status", "survey_status", "milestone_status",
               "interview_status", "computed_status", "judged_status"]
    from_midterm = goal_attainment(midterm_data, phase="midterm", threshold=5).overview[columns]
    from_final = goal_attainment(final_data, phase="midterm", threshold=5).overview[columns]
    pd.testing.assert_frame_equal(from_midterm, from_final)


def test_pilots_limit_the_attainment_to_their_sub_goals(midterm_data):
    result = goal_attainment(midterm_data, phase="midterm", threshold=5, pilots=["stad"])
    for frame in (result.tracking, result.milestones, result.evidence, result.overview):
        assert set(frame["pilot"]) <= {"stad"}
    assert result.phase == "midterm" and result.as_of == pd.Timestamp("2022-12-31")


def test_an_unknown_phase_is_refused(midterm_data):
    with pytest.raises(ValueError, match="unknown phase"):
        goal_attainment(midterm_data, phase="ending", threshold=5)
