"""Files as they arrive from spreadsheets and file shares: read when harmless, refused with a
located message when not, and never a traceback.

The refusals of the data contract are in ``test_bad_input_catalogue.py`` (each with its
``FILE:ROW:COLUMN``); here are the inputs that need more than one edit to show: the rows Excel
adds after the data, a file nobody may read, a data folder that is a file, and a key given twice
at every level of ``programme.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO, read_lines, write_lines
from evaluation.contract import load_data, validate
from evaluation.contract.problems import ProblemLog, read_yaml


@pytest.mark.parametrize("name", ["survey/responses.csv", "interviews/segments.csv", "milestones.csv",
                                  "assessments.csv"])
def test_the_empty_rows_excel_writes_after_the_data_are_dropped(demo_copy, name):
    path = demo_copy / name
    lines = read_lines(path)
    columns = lines[0].count(",") + 1
    write_lines(path, lines + ["," * (columns - 1)] * 3)  # the ",,,,,," rows Excel writes
    assert validate(demo_copy) == []
    frame = getattr(load_data(demo_copy), Path(name).stem)
    assert len(frame) == len(lines) - 1  # the data rows, counted from the file as written before


def test_an_empty_row_between_data_rows_is_located_not_dropped(demo_copy):
    path = demo_copy / "milestones.csv"
    lines = read_lines(path)
    columns = lines[0].count(",") + 1
    write_lines(path, lines[:3] + ["," * (columns - 1)] + lines[3:])
    problems = validate(demo_copy)
    assert problems and {(p.file, p.row) for p in problems} == {("milestones.csv", 4)}
    assert {p.message for p in problems} == {"empty cell"}


def test_a_file_that_cannot_be_read_is_located(demo_copy, monkeypatch):
    # Permissions do not stop root (these tests may run as root): the read itself is refused.
    locked = (demo_copy / "survey/population.csv").resolve()
    original = Path.read_bytes

    def read_bytes(self):
        if self.resolve() == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    problems = validate(demo_copy)
    assert [str(p) for p in problems] == [
        "survey/population.csv::: cannot be read: Permission denied; expected a readable file (check its permissions)"]


def test_a_data_folder_that_is_a_file_is_located(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("a,b\n", encoding="utf-8")
    (problem,) = validate(path)
    assert (problem.file, problem.message) == (str(path), "is a file, not a folder")


def test_a_narratives_file_where_the_folder_should_be_is_located(demo_copy):
    import shutil

    shutil.rmtree(demo_copy / "narratives")
    (demo_copy / "narratives").write_text("nb: {summary: x}\n", encoding="utf-8")
    assert [(p.file, p.message) for p in validate(demo_copy)] == [("narratives", "is a file, not a folder")]


@pytest.mark.parametrize("text, line, column", [
    ("a: 1\nb: 2\na: 3\n", 3, "a"),
    ("outer:\n  x: 1\n  y: 2\n  x: 1\n", 4, "outer.x"),
    ("items:\n- id: 1\n  id: 2\n", 3, "items[0].id"),
])
def test_a_key_given_twice_is_refused_at_its_second_line(text, line, column):
    problems = []
    value, node = read_yaml(text, ProblemLog("f.yaml", problems), expected="YAML")
    assert (value, node) == (None, None)
    assert [(p.row, p.column) for p in problems] == [(line, column)]


def test_the_same_key_in_different_mappings_is_not_a_duplicate():
    problems = []
    value, _ = read_yaml("a: {x: 1}\nb: {x: 2}\n", ProblemLog("f.yaml", problems), expected="YAML")
    assert problems == [] and value == {"a": {"x": 1}, "b": {"x": 2}}


def test_a_pilot_without_survey_rows_validates_and_loads(demo_copy):
    """A pilot may have no survey (yet): valid data, which the reports must show (see
    tests/report/test_odd_data.py)."""
    for name in ("survey/responses.csv", "survey/population.csv"):
        path = demo_copy / name
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        frame[frame["pilot"] != "stad"].to_csv(path, index=False)
    assert validate(demo_copy) == []
    assert "stad" not in set(load_data(demo_copy).responses["pilot"])
    assert "stad" in set(pd.read_csv(DEMO / "survey/responses.csv")["pilot"])


@pytest.mark.parametrize("pilot", ["synthesis", "index", "manifest"])
def test_a_pilot_id_that_names_another_output_of_a_render_is_refused(pilot):
    from evaluation.contract.programme import parse_programme

    text = (DEMO / "programme.yaml").read_text(encoding="utf-8").replace("- id: narvik\n", f"- id: {pilot}\n", 1)
    problems = []
    parse_programme(text, ProblemLog("programme.yaml", problems))
    line = text.splitlines().index(f"- id: {pilot}") + 1
    assert [(p.row, p.column, p.message) for p in problems if p.column and p.column.endswith(".id")] == [
        (line, "pilots[2].id", f"pilot id {pilot!r} is the name of another report or page of a render")]
