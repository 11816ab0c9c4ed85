"""Tests of the index frames (evaluation.survey.indices).

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from evaluation.stats import cronbach_alpha
from evaluation.survey import index_reliability, index_scores, index_summary

from .survey_data import make_items, responses_from, small_survey



def test_index_scores_reverse_key_and_need_half_the_items():
    scores = index_scores(small_survey(), make_items()).set_index("respondent_id")
    # r1: Q01 5, Q02 4, Q03 1 reversed -> 5: mean 14/3
    assert scores.loc["r1", "score"] == pytest.approx(14 / 3)
    # r3: Q02 is "vet ikke": (4 + (6 - 2)) / 2 = 4, two of three items answered
    assert scores.loc["r3", "score"] == pytest.approx(4.0)
    assert scores.loc["r3", "n_answered"] == 2
    one_item = responses_from([("x", 2022, "stad", "a", 4, None, 9)])
    assert math.isnan(index_scores(one_item, make_items())["score"].iloc[0])
    assert list(scores.reset_index().columns) == ["respondent_id", "wave", "pilot", "agency",
                                                  "index", "score", "n_answered", "n_items"]


def test_index_summary_suppresses_small_agencies():
    summary = index_summary(small_survey(), make_items(), by=["agency"], threshold=5)
    a = summary.set_index("agency").loc["a"]
    # with b (3) suppressed, a is the only other agency and becomes the complement
    assert summary["suppressed"].tolist() == [True, True]
    assert math.isnan(a["mean"])
    pooled = index_summary(small_survey(), make_items(), by=None, threshold=5)
    scores = index_scores(small_survey(), make_items())["score"]
    assert pooled["mean"].iloc[0] == pytest.approx(scores.mean())
    assert pooled["n"].iloc[0] == 9


def test_index_reliability_uses_reverse_keyed_items():
    survey = small_survey()
    table = index_reliability(survey, make_items(), threshold=5)
    manual = pd.DataFrame({
        "Q01": survey["Q01"].astype(float).where(survey["Q01"] != 9),
        "Q02": survey["Q02"].astype(float).where(survey["Q02"] != 9),
        "Q03": 6 - survey["Q03"].astype(float),
    })
    expected = cronbach_alpha(manual)
    row = table.indices.iloc[0]
    assert row["alpha"] == pytest.approx(expected.alpha)
    assert row["n"] == 9 and row["k"] == 3
    assert set(table.items["item"]) == {"Q01", "Q02", "Q03"}
    small = index_reliability(survey.head(4), make_items(), threshold=5)
    assert small.indices["suppressed"].all() and small.items["alpha_if_dropped"].isna().all()
