"""The demo data generator: deterministic, in sync with the committed demo, realistic."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pandas as pd

from conftest import DEMO
from evaluation.contract import load_data, validate
from evaluation.demo import write_demo_data


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_same_seed_gives_byte_identical_files(tmp_path):
    first, second = write_demo_data(tmp_path / "a", seed=7), write_demo_data(tmp_path / "b", seed=7)
    assert _files(first) == _files(second)
    _, mismatch, errors = filecmp.cmpfiles(first, second, _files(first), shallow=False)
    assert mismatch == [] and errors == []


def test_another_seed_gives_other_responses(tmp_path):
    a = write_demo_data(tmp_path / "a", seed=1) / "survey/responses.csv"
    b = write_demo_data(tmp_path / "b", seed=2) / "survey/responses.csv"
    assert a.read_bytes() != b.read_bytes()


def test_committed_demo_is_the_generators_output(tmp_path):
    """data/demo must be regenerated (python -m evaluation demo-data --out data/demo) after a change."""
    fresh = write_demo_data(tmp_path / "demo")
    assert _files(fresh) == _files(DEMO)
    _, mismatch, errors = filecmp.cmpfiles(fresh, DEMO, _files(DEMO), shallow=False)
    assert mismatch == [] and errors == []


def test_generated_data_with_another_seed_is_valid(tmp_path):
    assert validate(write_demo_data(tmp_path / "d", seed=99)) == []


def test_demo_is_realistic_as_the_issue_asks():
    data = load_data(DEMO)
    assert data.programme.pilot_ids == ["stad", "orkland", "narvik", "lyngdal"]
    assert sorted(data.responses["wave"].unique()) == [2021, 2022, 2024]
    assert len(data.items) == 20 and data.items["index"].nunique() == 5
    responded = data.responses.groupby(["pilot", "agency", "wave"]).size().rename("n").reset_index()
    rates = data.population.merge(responded, on=["pilot", "agency", "wave"])
    rates["rate"] = rates["n"] / rates["invited"]
    assert rates["rate"].between(0.5, 0.85).all()
    assert (rates["n"] < data.anonymity_threshold).any(), "some offices must be small enough to suppress"
    per_round = data.interviews.groupby(["pilot", "round"]).size()
    assert per_round.between(15, 25).all()
    assert data.milestones["completed_date"].isna().any()  # an open (overdue) milestone
    late = data.milestones["completed_date"] > data.milestones["due_date"]
    assert late.any()


def test_no_person_names_or_emails_in_the_demo():
    text = "".join(p.read_text(encoding="utf-8") for p in DEMO.rglob("*") if p.is_file())
    assert "@" not in text
    # ids are opaque: respondent ids are r- plus hex, never a name
    ids = pd.read_csv(DEMO / "survey/responses.csv", usecols=["respondent_id"])["respondent_id"]
    assert ids.str.fullmatch(r"r-[0-9a-f]{8}").all()
