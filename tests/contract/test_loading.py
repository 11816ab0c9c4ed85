"""Loading a data folder (evaluation.contract.loading): typed frames, refusal of invalid data, and
the phase cut-off."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.errors import DataContractError

from .contract_edits import edit_cell


def test_load_data_refuses_invalid_data_with_every_problem(demo_copy):
    edit_cell(demo_copy / "survey/responses.csv", 7, "agency", "tolletaten")
    edit_cell(demo_copy / "milestones.csv", 2, "due_date", "2022-02-30")
    with pytest.raises(DataContractError) as caught:
        load_data(demo_copy)
    text = str(caught.value)
    assert "survey/responses.csv:7:agency:" in text and "milestones.csv:2:due_date:" in text

def test_dont_know_is_kept_as_its_code_and_blank_as_missing():
    data = load_data(DEMO)
    raw = pd.read_csv(DEMO / "survey/responses.csv", dtype=str, keep_default_na=False)
    assert (raw["Q10"] == "9").sum() == (data.responses["Q10"] == 9).sum() > 0
    assert (raw["Q10"] == "").sum() == data.responses["Q10"].isna().sum() > 0

def test_midterm_cut_off_keeps_only_data_up_to_the_cut_off():
    data = load_data(DEMO, phase="midterm")
    limit = pd.Timestamp("2022-12-31")
    assert data.responses["response_date"].max() <= limit
    assert set(data.responses["wave"]) == {2021, 2022}
    assert data.interviews["date"].max() <= limit
    assert set(data.segments["interview_id"]) <= set(data.interviews["interview_id"])
    assert data.observations["date"].max() <= limit
    # a milestone completed after the cut-off counts as open at the cut-off
    stad_m2 = data.milestones.set_index("milestone_id").loc["stad-m2"]
    assert pd.isna(stad_m2["completed_date"])
    assert set(data.assessments["phase"]) == {"midterm"}

def test_midterm_numbers_do_not_change_when_final_data_arrive(demo_copy):
    """Rerunning the midterm report after the final wave arrived reproduces the midterm data."""
    for name, column in (("survey/responses.csv", "response_date"), ("interviews/interviews.csv", "date"),
                         ("indicators/observations.csv", "date")):
        path = demo_copy / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame[frame[column] <= "2022-12-31"].to_csv(path, index=False)
    path = demo_copy / "survey/population.csv"
    frame = pd.read_csv(path, dtype=str)
    frame[frame["wave"] != "2024"].to_csv(path, index=False)
    path = demo_copy / "interviews/segments.csv"
    kept = set(pd.read_csv(demo_copy / "interviews/interviews.csv", dtype=str)["interview_id"])
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame[frame["interview_id"].isin(kept)].to_csv(path, index=False)
    before = load_data(demo_copy, phase="midterm")
    after = load_data(DEMO, phase="midterm")
    for name in ("responses", "population", "interviews", "segments", "observations", "milestones"):
        pd.testing.assert_frame_equal(getattr(before, name), getattr(after, name), check_dtype=False)

def test_interview_round_follows_the_phase_cut_offs():
    data = load_data(DEMO)
    midterm = data.interviews[data.interviews["date"] <= pd.Timestamp("2022-12-31")]
    assert set(midterm["round"]) == {"midterm"}
    assert set(data.interviews.loc[~data.interviews.index.isin(midterm.index), "round"]) == {"final"}


def test_loading_every_phase_at_once_gives_what_loading_each_phase_gives():
    from evaluation.contract.loading import load_phases

    together = load_phases(DEMO, ["midterm", "final", None])
    for phase, data in together.items():
        alone = load_data(DEMO, phase=phase)
        assert (data.phase, data.cutoff, data.data_dir, data.input_files) == (
            alone.phase, alone.cutoff, alone.data_dir, alone.input_files)
        assert data.narratives == alone.narratives
        for name in ("items", "scales", "responses", "population", "interviews", "segments", "codebook",
                     "observations", "milestones", "assessments"):
            pd.testing.assert_frame_equal(getattr(data, name), getattr(alone, name))
    assert list(load_phases(DEMO)) == ["midterm", "final"]  # by default every phase of the programme


def test_loading_several_phases_refuses_an_unknown_phase():
    from evaluation.contract.loading import load_phases

    with pytest.raises(DataContractError, match="unknown phase 'later'"):
        load_phases(DEMO, ["midterm", "later"])


def test_the_data_read_once_cut_to_each_phase_are_the_phases_data():
    """cut_data (the render reads the folder once for every phase) keeps what the phase knows:
    rows up to the cut-off (counted here on the raw files), the narratives of the phase and
    before, and refuses data already cut or an unknown phase."""
    from evaluation.contract.loading import cut_data
    from evaluation.errors import EvaluationError

    data = load_data(DEMO)
    raw = pd.read_csv(DEMO / "survey/responses.csv", dtype=str, keep_default_na=False)
    for phase, limit in (("midterm", "2022-12-31"), ("final", "2024-12-31")):
        cut = cut_data(data, phase)
        assert cut.phase == phase and str(cut.cutoff) == limit
        assert len(cut.responses) == (raw["response_date"] <= limit).sum()
        assert list(cut.responses.index) == list(range(len(cut.responses)))
        names = {path.name for path in cut.input_files if path.parent.name == "narratives"}
        expected = {path.name for path in (DEMO / "narratives").glob("*.md")
                    if phase == "final" or "-final." not in path.name}
        assert names == expected
        assert {key[1] for key in cut.narratives} == ({"midterm"} if phase == "midterm" else {"midterm", "final"})
    with pytest.raises(EvaluationError, match="already cut"):
        cut_data(cut, "final")
    with pytest.raises(EvaluationError, match="unknown phase"):
        cut_data(data, "halfway")
