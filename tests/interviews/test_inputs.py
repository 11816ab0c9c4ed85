"""Tests of the interview inputs: themes and rounds (evaluation.interviews.inputs).

The small example (tests/interviews/conftest.py) is counted by hand; the counts are written next
to each test. Other reference values: the c-coefficient example of the ATLAS.ti manual, and
Fisher's exact test on R's ``TeaTasting`` table, computed by hand from the hypergeometric
distribution.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from evaluation import interviews as iv
from evaluation.errors import DataContractError



def test_theme_level_rejects_codes_missing_from_the_codebook(segments, interviews, codebook):
    with pytest.raises(DataContractError) as error:
        iv.code_frequencies(segments, interviews, level="theme", codebook=codebook.iloc[:2],
                            threshold=2)
    # c3 is on positions 2, 5 and 7: first problem at line 4
    assert (error.value.row, error.value.column) == (4, "code")
    assert len(error.value.problems) == 3


def test_assign_rounds_uses_the_first_cutoff_on_or_after_the_date():
    cutoffs = {"midterm": dt.date(2022, 12, 31), "final": dt.date(2024, 12, 31)}
    frame = pd.DataFrame({"interview_id": ["a", "b"], "date": ["2022-12-31", "2023-01-01"]})
    assert iv.assign_rounds(frame, cutoffs=cutoffs)["round"].tolist() == ["midterm", "final"]
    late = pd.DataFrame({"interview_id": ["a", "b"], "date": ["2022-01-01", "2025-01-01"]})
    with pytest.raises(DataContractError) as error:
        iv.assign_rounds(late, cutoffs=cutoffs)
    assert (error.value.row, error.value.column) == (3, "date")
