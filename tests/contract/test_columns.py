"""Reading and checking one CSV file (evaluation.contract.columns): the rows Excel adds after the
data, cells that repeat, and the order in which a file's problems are reported.

The files are a few lines written by the test, so every expected row, value and message is read
off the file as an editor shows it (header = line 1).
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.contract.columns import read_csv
from evaluation.contract.problems import ProblemLog


def read(tmp_path, text: str) -> tuple[pd.DataFrame | None, list]:
    path = tmp_path / "file.csv"
    path.write_text(text, encoding="utf-8")
    problems = []
    return read_csv(path, ProblemLog("file.csv", problems)), problems


def cells(frame: pd.DataFrame) -> list[list[str]]:
    return frame.to_numpy(dtype=object).tolist()


# --- the rows Excel writes after the data -------------------------------------------------------

def test_a_file_without_empty_rows_is_read_whole(tmp_path):
    frame, problems = read(tmp_path, "a,b\n1,2\n3,4\n")
    assert problems == [] and cells(frame) == [["1", "2"], ["3", "4"]]


def test_rows_of_whitespace_after_the_data_are_dropped(tmp_path):
    frame, problems = read(tmp_path, "a,b\n1,2\n3,4\n,\n  ,\t\n\u00a0, \n,\n")
    assert problems == [] and cells(frame) == [["1", "2"], ["3", "4"]]


def test_a_blank_row_between_data_rows_is_kept_and_the_blank_rows_after_them_dropped(tmp_path):
    frame, _ = read(tmp_path, "a,b\n1,2\n , \n,\n3,4\n,\n , \n")
    assert cells(frame) == [["1", "2"], [" ", " "], ["", ""], ["3", "4"]]  # as read: not stripped


def test_a_last_row_with_a_value_in_its_last_cell_only_is_kept(tmp_path):
    frame, _ = read(tmp_path, "a,b,c\n1,2,3\n,, x \n,,\n")
    assert cells(frame) == [["1", "2", "3"], ["", "", " x "]]


@pytest.mark.parametrize("blank_rows", [1, 2, 9, 73, 74, 600])
def test_any_number_of_empty_rows_after_the_data_is_dropped(tmp_path, blank_rows):
    data = [f"{n},{n}" for n in range(100)]
    frame, _ = read(tmp_path, "\n".join(["a,b", *data, *[","] * blank_rows]) + "\n")
    assert len(frame) == 100 and cells(frame)[-1] == ["99", "99"]


@pytest.mark.parametrize("blank_rows", [1, 5, 100])
def test_a_file_of_empty_rows_only_has_no_rows(tmp_path, blank_rows):
    frame, problems = read(tmp_path, "a,b\n" + ", \n" * blank_rows)
    assert problems == [] and list(frame.columns) == ["a", "b"] and len(frame) == 0
