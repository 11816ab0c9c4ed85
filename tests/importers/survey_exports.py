"""Survey export fixtures and helpers shared by the tests of evaluation.importers.

Reference values are written by hand from the fixture files in tests/fixtures/exports/ (see
their README): every expected code is read off the export and its mapping by eye, with the
reasoning in a comment.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "exports"
SX_DIR = FIXTURES / "surveyxact_csv"
SX_MAPPING = FIXTURES / "surveyxact.yaml"
NS_DIR = FIXTURES / "nettskjema"
NS_DATA = NS_DIR / "data-123456.csv"
NS_MAPPING = NS_DIR / "mapping.yaml"
NA = pd.NA


def contract_items(dont_know: int | None = 9) -> pd.DataFrame:
    """Contract items as load_data returns them: three agree5 items, levels 1-5."""
    return pd.DataFrame({
        "item_id": ["Q01", "Q02", "Q03"],
        "index": ["collaboration", "collaboration", "belonging"],
        "scale": ["agree5"] * 3,
        "scale_min": pd.array([1, 1, 1], dtype="Int64"),
        "scale_max": pd.array([5, 5, 5], dtype="Int64"),
        "dont_know_code": pd.array([dont_know] * 3, dtype="Int64"),
    })


def expected_frame(rows: list[tuple], wave: int, items=("Q01", "Q02", "Q03")) -> pd.DataFrame:
    """(respondent_id, date, pilot, agency, *codes) tuples -> the contract frame."""
    frame = pd.DataFrame({
        "respondent_id": pd.Series([r[0] for r in rows], dtype=object).astype(str),
        "wave": pd.Series([wave] * len(rows), dtype="int64"),
        "response_date": pd.to_datetime(pd.Series([r[1] for r in rows])).astype("datetime64[ns]"),
        "pilot": pd.Series([r[2] for r in rows], dtype=object).astype(str),
        "agency": pd.Series([r[3] for r in rows], dtype=object).astype(str),
    })
    for position, item in enumerate(items):
        frame[item] = pd.array([r[4 + position] for r in rows], dtype="Int64")
    return frame


def problems_of(error: pytest.ExceptionInfo) -> list:
    return error.value.problems


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing needle (counted independently of the code)."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in text")


def write_mapping(tmp_path: Path, text: str, name: str = "mapping.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# By hand from surveyxact_csv/dataset.csv with surveyxact.yaml (codes 1,2,6,3,4 -> levels
# 1,2,3,4,5; code 5 "Vet ikke" -> the contract's don't-know code 9; blank -> <NA>; kommune
# 1 stad, 2 orkland; etat 1 nav, 2 skatteetaten, 3 politiet; Q03 is not in the export):
#   1001: s_1_1 = 6 -> 3,  s_1_2 = 5 -> 9
#   1002: s_1_1 = 4 -> 5,  s_1_2 blank -> <NA>
#   1003: s_1_1 = 5 -> 9,  s_1_2 = 1 -> 1
#   1004: no answer at all (invited, never answered) -> left out
#   1005: s_1_1 = 2 -> 2,  s_1_2 = 3 -> 4
SX_EXPECTED = [
    ("1001", "2022-10-14", "stad", "nav", 3, 9, NA),
    ("1002", "2022-10-14", "stad", "skatteetaten", 5, NA, NA),
    ("1003", "2022-10-15", "stad", "politiet", 9, 1, NA),
    ("1005", "2022-10-17", "orkland", "nav", 2, 4, NA),
]
