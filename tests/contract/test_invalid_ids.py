"""The validator reports any number of invalid ids in the interview files, and never crashes.

A property test: random bad values (empty, spaces, names with spaces and letters outside the id
alphabet, punctuation, line breaks, duplicates of other rows' ids) in every id column of
``interviews/interviews.csv``, ``segments.csv`` and ``codebook.csv`` of a copy of the demo data.
The oracle is independent of the validator: the id patterns of the data contract
(``data/README.md``: ids are lower-case letters, digits, ``-`` and ``_``; opaque ids also
upper-case letters and ``.``), written out again here as regular expressions.
"""

from __future__ import annotations

import csv
import io
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO
from evaluation.contract import validate

ID = re.compile(r"[a-z0-9][a-z0-9_-]*")  # data/README.md: pilot, code and theme ids
OPAQUE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")  # interview and segment ids

ID_COLUMNS = [
    ("interviews/interviews.csv", "interview_id", OPAQUE_ID),
    ("interviews/interviews.csv", "pilot", ID),
    ("interviews/segments.csv", "segment_id", OPAQUE_ID),
    ("interviews/segments.csv", "interview_id", OPAQUE_ID),
    ("interviews/segments.csv", "code", ID),
    ("interviews/codebook.csv", "code", ID),
    ("interviews/codebook.csv", "theme", ID),
]
FILES = sorted({file for file, _, _ in ID_COLUMNS})

BAD_WORDS = ["", " ", "  \t", "Intervju 1 Stad", "Leder, Stad", "../x", "a\nb", 'a"b', "Ø", "-x", "_x",
             ".x", "x y", "X"]
bad_values = st.one_of(
    st.sampled_from(BAD_WORDS),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=10),
)


def _read(path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _write(path, rows: list[list[str]]) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return shutil.copytree(DEMO, tmp_path_factory.mktemp("invalid-ids") / "data")


@st.composite
def corruptions(draw):
    """Per id column, a few (record number, value) pairs; some values copy another row's id."""
    original = {file: _read(DEMO / file) for file in FILES}
    edits = []
    for file, column, _ in ID_COLUMNS:
        rows = original[file]
        index = rows[0].index(column)
        records = draw(st.lists(st.integers(1, len(rows) - 1), min_size=0, max_size=4, unique=True))
        for record in records:
            value = draw(st.one_of(bad_values, st.sampled_from([r[index] for r in rows[1:6]])))
            edits.append((file, column, record, value))
    return edits


@settings(derandomize=True, max_examples=20, deadline=None)
@given(edits=corruptions())
def test_the_validator_reports_every_invalid_id_and_never_crashes(folder, edits):
    rows = {file: _read(DEMO / file) for file in FILES}
    for file, column, record, value in edits:
        rows[file][record][rows[file][0].index(column)] = value
    for file in FILES:
        _write(folder / file, rows[file])
    problems = validate(folder)  # must not raise, whatever the values
    located = {(p.file, p.row, p.column) for p in problems}
    pattern = {(file, column): regex for file, column, regex in ID_COLUMNS}
    for file, column, record, _value in edits:
        final = rows[file][record][rows[file][0].index(column)]  # a later edit may overwrite an earlier
        if not pattern[(file, column)].fullmatch(final.strip()):
            assert (file, record + 1, column) in located, (file, record + 1, column, final)
    for file in FILES:
        shutil.copyfile(DEMO / file, folder / file)


def test_two_invalid_interview_ids_are_both_reported(demo_copy):
    # the case of issue 19: two case names used as interview ids (check_duplicates raised IndexError)
    path = demo_copy / "interviews/interviews.csv"
    rows = _read(path)
    rows[1][0], rows[2][0] = "Intervju 1 Stad", "Intervju 2 Stad"
    _write(path, rows)
    located = {(p.file, p.row, p.column) for p in validate(demo_copy)}
    assert {("interviews/interviews.csv", 2, "interview_id"),
            ("interviews/interviews.csv", 3, "interview_id")} <= located
