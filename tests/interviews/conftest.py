"""The hand-counted interview example shared by the tests of evaluation.interviews."""

from __future__ import annotations

import pandas as pd
import pytest

# the hand-counted example
#   interview  group               round     segments (code, assessment)
#   i1         employees           midterm   s1 c1 positive, s2 c2 negative, s3 c3 positive
#   i2         employees           midterm   s4 c1 mixed,    s5 c1 positive
#   i3         employees           final     s6 c3 neutral
#   i4         agency_management   midterm   s7 c2 negative, s8 c3 negative
#   i5         agency_management   final     s9 c1 positive
# codebook: c1, c2 -> theme A; c3 -> theme B


@pytest.fixture
def interviews() -> pd.DataFrame:
    return pd.DataFrame({
        "interview_id": ["i1", "i2", "i3", "i4", "i5"],
        "pilot": ["stad"] * 5,
        "date": pd.to_datetime(["2022-09-01", "2022-10-01", "2024-03-01", "2022-11-01",
                                "2024-04-01"]),
        "stakeholder_group": ["employees", "employees", "employees", "agency_management",
                              "agency_management"],
        "informants": [1, 2, 1, 1, 3],
        "round": ["midterm", "midterm", "final", "midterm", "final"],
    })


@pytest.fixture
def segments() -> pd.DataFrame:
    return pd.DataFrame({
        "segment_id": [f"s{i}" for i in range(1, 10)],
        "interview_id": ["i1", "i1", "i1", "i2", "i2", "i3", "i4", "i4", "i5"],
        "code": ["c1", "c2", "c3", "c1", "c1", "c3", "c2", "c3", "c1"],
        "assessment": ["positive", "negative", "positive", "mixed", "positive", "neutral",
                       "negative", "negative", "positive"],
        "quote": ["", "", "", "", "", "", "", "", ""],
        "quote_approved": [False] * 9,
    })


@pytest.fixture
def codebook() -> pd.DataFrame:
    return pd.DataFrame({
        "code": ["c1", "c2", "c3"],
        "theme": ["A", "A", "B"],
        "label_nb": ["K1", "K2", "K3"],
        "label_en": ["C1", "C2", "C3"],
        "description": ["", "", ""],
    })
