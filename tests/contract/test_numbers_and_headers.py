"""Cells and headers that pandas reads in its own way, refused at FILE:ROW:COLUMN and never a crash.

pandas reads ``inf``, ``-Infinity`` and ``1e999`` as infinite numbers and ``nan`` as NaN; a whole
number of 20 digits does not fit in 64 bits; and a column name given twice in a header is renamed
(``pilot,pilot`` becomes ``pilot, pilot.1``) or, when the two spellings differ by spaces, kept twice.
Each of these once raised (OverflowError, AttributeError) instead of giving a problem. Every test
breaks one cell or header of a copy of the demo data and checks the exact problem, and that
:func:`load_data` refuses the folder with it.
"""

from __future__ import annotations

import pytest

from conftest import read_lines, write_lines
from evaluation.contract import load_data, validate
from evaluation.errors import DataContractError, DataProblem

from .contract_edits import edit_cell

NOT_A_CODE = "a whole-number code of the item's scale, or an empty cell"


def refused_with(data_dir, expected: DataProblem) -> list[DataProblem]:
    """The folder's problems, after checking that ``expected`` is one of them and that
    :func:`load_data` raises :class:`DataContractError` with it."""
    problems = validate(data_dir)
    assert expected in problems
    with pytest.raises(DataContractError) as caught:
        load_data(data_dir)
    assert expected in caught.value.problems
    return problems


# --- infinities and NaN -----------------------------------------------------------------------

@pytest.mark.parametrize("cell, shown", [
    ("inf", "inf"), ("-inf", "-inf"), ("+inf", "+inf"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
    (" INF ", "INF"), ("1e999", "1e999"), ("nan", "nan"), ("NaN", "NaN"), (" nan ", "nan"),
])
def test_an_infinity_or_nan_in_an_item_cell_is_not_a_response_code(demo_copy, cell, shown):
    edit_cell(demo_copy / "survey/responses.csv", 3, "Q01", cell)
    expected = DataProblem("survey/responses.csv", 3, "Q01", f"{shown!r} is not a response code", NOT_A_CODE)
    assert refused_with(demo_copy, expected) == [expected]


@pytest.mark.parametrize("cell", ["nan", "NaN", "inf", "-Infinity", "1e999"])
def test_an_infinity_or_nan_in_a_number_column_is_not_a_number(demo_copy, cell):
    # Refused by the shape of a number before conversion (and 1e999, infinite once converted,
    # by its value): never a value that flows into the indicators' statistics.
    edit_cell(demo_copy / "indicators/observations.csv", 3, "value", cell)
    expected = DataProblem("indicators/observations.csv", 3, "value", f"{cell!r} is not valid",
                           "a number with a decimal point (not a comma)")
    assert refused_with(demo_copy, expected) == [expected]


# --- whole numbers too large for 64 bits ------------------------------------------------------

@pytest.mark.parametrize("file, column", [
    ("survey/population.csv", "invited"), ("survey/population.csv", "wave"), ("survey/responses.csv", "wave"),
    ("interviews/interviews.csv", "informants"), ("survey/scales.csv", "code"), ("assessments.csv", "gas_score"),
])
@pytest.mark.parametrize("cell", ["12345678901234567890", "-12345678901234567890", "1000000000000000000"])
def test_a_whole_number_of_more_than_18_digits_is_too_large(demo_copy, file, column, cell):
    edit_cell(demo_copy / file, 3, column, cell)
    expected = DataProblem(file, 3, column, f"{cell!r} is too large", "a whole number of at most 18 digits")
    problems = refused_with(demo_copy, expected)
    # once, at its cell (a wave or scale code that is not read may leave rows of other files unmatched)
    assert [p for p in problems if (p.file, p.row, p.column) == (file, 3, column)] == [expected]


@pytest.mark.parametrize("cell, number", [("999999999999999999", 999999999999999999), ("000000000000000000025", 25)])
def test_a_whole_number_of_18_digits_or_with_leading_zeros_is_read(demo_copy, cell, number):
    edit_cell(demo_copy / "survey/population.csv", 3, "invited", cell)
    assert validate(demo_copy) == []
    assert load_data(demo_copy).population["invited"].iloc[1] == number


# --- a column named twice in a header ---------------------------------------------------------

TWICE = "each column once (spaces around a name do not count)"


def set_header(path, old: str, new: str) -> None:
    lines = read_lines(path)
    assert old in lines[0]
    lines[0] = lines[0].replace(old, new, 1)
    write_lines(path, lines)


@pytest.mark.parametrize("header", ["pilot, pilot,wave,invited", " pilot,pilot,wave,invited",
                                    "pilot,pilot ,wave,invited", "pilot,pilot,wave,invited"])
def test_a_column_named_twice_in_the_header_is_refused_on_line_1(demo_copy, header):
    # The same name, or names that differ by spaces only (pandas renames the first case pilot.1).
    path = demo_copy / "survey/population.csv"
    set_header(path, "pilot,agency,wave,invited", header)
    expected = DataProblem("survey/population.csv", 1, "pilot", "the column pilot appears twice in the header", TWICE)
    assert refused_with(demo_copy, expected) == [
        expected, DataProblem("survey/population.csv", 1, "agency", "column is missing", "a column named 'agency'")]


@pytest.mark.parametrize("header", ["Q01,Q01 ", "Q01,Q01"])
def test_an_item_column_named_twice_is_refused_on_line_1(demo_copy, header):
    set_header(demo_copy / "survey/responses.csv", "Q01,Q02", header)
    expected = DataProblem("survey/responses.csv", 1, "Q01", "the column Q01 appears twice in the header", TWICE)
    assert refused_with(demo_copy, expected) == [
        expected, DataProblem("survey/responses.csv", 1, "Q02", "item column is missing",
                              "a column for item Q02 (may be empty)")]


def test_a_column_named_three_times_is_one_problem(demo_copy):
    set_header(demo_copy / "indicators/observations.csv", "date,value,source", "value,value, value")
    expected = DataProblem("indicators/observations.csv", 1, "value", "the column value appears 3 times in the header",
                           TWICE)
    problems = refused_with(demo_copy, expected)
    assert [p for p in problems if p.row == 1] == [expected] + [
        DataProblem("indicators/observations.csv", 1, name, "column is missing", f"a column named {name!r}")
        for name in ("date", "source")]


def test_a_column_named_like_a_renamed_duplicate_is_an_unknown_column_not_a_duplicate(demo_copy):
    path = demo_copy / "survey/population.csv"
    header, *rows = read_lines(path)
    write_lines(path, [header + ",pilot.1"] + [row + ",x" for row in rows])
    assert validate(demo_copy) == [DataProblem("survey/population.csv", 1, "pilot.1", "unknown column",
                                               "only the columns pilot, agency, wave, invited")]
