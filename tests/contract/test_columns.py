"""Reading and checking one CSV file (evaluation.contract.columns): the rows Excel adds after the
data, cells that repeat, and the order in which a file's problems are reported.

The files are a few lines written by the test, so every expected row, value and message is read
off the file as an editor shows it (header = line 1).
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evaluation.contract.columns import Column, check_columns, check_duplicates, read_csv
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


# --- checking and converting columns whose cells repeat -------------------------------------------

def check(frame: pd.DataFrame, *columns: Column) -> tuple[pd.DataFrame, list[str]]:
    problems = []
    checked = check_columns(frame, columns, ProblemLog("file.csv", problems), {})
    return checked, [str(p) for p in problems]


def test_repeated_cells_are_converted_and_each_bad_one_is_reported_in_row_order():
    frame = pd.DataFrame({"n": ["1", " 2 ", "", "x", "1", "x", "1,5", " 3", "", "2"]}, dtype=str)
    checked, problems = check(frame, Column("n", "int", allowed=("1", "2"), allowed_text="1 or 2"))
    assert checked["n"].tolist() == [1, 2, None, None, 1, None, None, 3, None, 2]
    assert [type(v) for v in checked["n"] if v is not None] == [int] * 5
    assert problems == [
        "file.csv:4:n: empty cell; expected a whole number",
        "file.csv:10:n: empty cell; expected a whole number",
        "file.csv:5:n: 'x' is not valid; expected a whole number",
        "file.csv:7:n: 'x' is not valid; expected a whole number",
        "file.csv:8:n: '1,5' is not valid; expected a whole number",
        "file.csv:9:n: unknown value '3'; expected 1 or 2",
    ]


def test_repeated_dates_are_converted_and_bad_ones_explained():
    frame = pd.DataFrame({"d": ["2022-10-14", " 2022-10-14 ", "2022-02-30", "14.10.2022", "2022-10-14",
                                "2022-02-30"]}, dtype=str)
    checked, problems = check(frame, Column("d", "date"))
    day = dt.date(2022, 10, 14)
    assert checked["d"].tolist() == [day, day, None, None, day, None]
    assert problems == [
        "file.csv:4:d: '2022-02-30' is an impossible date; expected an ISO date such as 2022-10-14",
        "file.csv:5:d: '14.10.2022' is not an ISO date; expected an ISO date such as 2022-10-14",
        "file.csv:7:d: '2022-02-30' is an impossible date; expected an ISO date such as 2022-10-14",
    ]


def test_repeated_numbers_and_flags_are_converted():
    frame = pd.DataFrame({"x": ["1.5", "1,5", " 1.5", "", "2"], "f": ["Yes", " no ", "ja", "yes", "NO"]}, dtype=str)
    checked, problems = check(frame, Column("x", "float", optional=True), Column("f", "bool"))
    assert checked["x"].tolist() == [1.5, None, 1.5, None, 2.0]
    assert checked["f"].tolist() == [True, False, None, True, False]
    assert problems == [
        "file.csv:3:x: '1,5' is not valid; expected a number with a decimal point (not a comma)",
        "file.csv:4:f: 'ja' is not valid; expected yes or no",
    ]


def test_unknown_ids_are_reported_at_every_row_and_named_as_written():
    frame = pd.DataFrame({"pilot": ["stad", "bodo", " stad ", "bodo", "Stad"]}, dtype=str)
    checked, problems = check(frame, Column("pilot", "id", allowed=("stad", "narvik")))
    assert checked["pilot"].tolist() == ["stad", "bodo", "stad", "bodo", None]
    assert problems == [
        "file.csv:6:pilot: 'Stad' is not valid; expected an id of lower-case letters, digits, - and _",
        "file.csv:3:pilot: unknown value 'bodo'; expected one of narvik, stad",
        "file.csv:5:pilot: unknown value 'bodo'; expected one of narvik, stad",
    ]


def test_a_key_given_three_times_is_reported_twice_naming_its_first_line():
    frame = pd.DataFrame({"wave": [2021, 2021, 2022, 2021, None, None, 2021],
                          "id": ["a", "b", "a", "a", "a", "a", "b"]}, dtype=object)
    problems = []
    check_duplicates(frame, ("wave", "id"), ProblemLog("file.csv", problems), "respondent in a wave")
    assert [str(p) for p in problems] == [
        "file.csv:5:id: duplicate respondent in a wave 2021, a (first on line 2); expected each respondent in a "
        "wave once",
        "file.csv:8:id: duplicate respondent in a wave 2021, b (first on line 3); expected each respondent in a "
        "wave once",
    ]
