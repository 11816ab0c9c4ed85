"""Tests of the item frames (evaluation.survey.items) and the item checks.

Reference values come from published examples, cited at each test: R's documentation and
printed output (psych, stats), the documented examples of pingouin, SciPy and Julia's
StatsBase, or a computation by hand written out in the test.
"""

from __future__ import annotations

import math
import statistics

import pandas as pd
import pytest

from evaluation.errors import DataContractError
from evaluation.survey import item_summary, likert_distribution

from .survey_data import make_items, make_scales, responses_from, small_survey



def test_likert_distribution_counts_levels_and_keeps_dont_know_out_of_the_base():
    result = likert_distribution(small_survey(), make_items(), scales=make_scales(), threshold=5)
    q1 = result[result["item"] == "Q01"].set_index("level")
    # Q01 answers: 5,4,4,3,2,(9),5,1,5 -> levels 1..5 = 1,1,1,2,3; 8 on the scale, 1 don't know
    assert q1["count"].tolist() == [1, 1, 1, 2, 3]
    assert q1["n_valid"].unique().tolist() == [8]
    assert q1["n_dont_know"].unique().tolist() == [1]
    assert q1["n"].unique().tolist() == [9]
    assert q1["share"].tolist() == pytest.approx([1 / 8, 1 / 8, 1 / 8, 2 / 8, 3 / 8])
    assert q1.loc[4, "label"] == "Enig"
    assert not q1["suppressed"].any()
    assert list(result.columns) == ["item", "index", "level", "label", "count", "share",
                                    "n_valid", "n_dont_know", "n", "suppressed"]


def test_likert_distribution_suppresses_small_groups_and_their_complement():
    survey = pd.concat([small_survey(), responses_from([
        ("r10", 2022, "stad", "c", 3, 3, 3), ("r11", 2022, "stad", "c", 3, 3, 3),
        ("r12", 2022, "stad", "c", 4, 4, 4), ("r13", 2022, "stad", "c", 4, 4, 4),
        ("r14", 2022, "stad", "c", 5, 5, 5), ("r15", 2022, "stad", "c", 5, 5, 5),
        ("r16", 2022, "stad", "c", 2, 2, 2),
    ])], ignore_index=True)
    result = likert_distribution(survey, make_items(), by="agency", threshold=5)
    q1 = result[result["item"] == "Q01"].drop_duplicates("agency").set_index("agency")
    # Q01 on the scale: a = 5, b = 3 (primary), c = 7 -> a (smallest other) is the complement
    assert q1["suppressed"].to_dict() == {"a": True, "b": True, "c": False}
    hidden = result[(result["agency"] == "b")]
    assert hidden["count"].isna().all() and hidden["share"].isna().all()
    assert hidden["n_valid"].isna().all()


def test_item_summary_mean_ci_and_top_two_box_by_hand():
    result = item_summary(small_survey(), make_items(), threshold=5).set_index("item")
    q1 = result.loc["Q01"]
    values = [5, 4, 4, 3, 2, 5, 1, 5]
    assert q1["n"] == 8 and q1["n_dont_know"] == 1
    assert q1["mean"] == pytest.approx(statistics.mean(values))
    assert q1["sd"] == pytest.approx(statistics.stdev(values))
    half = 2.364624 * statistics.stdev(values) / math.sqrt(8)  # R: qt(0.975, 7) = 2.364624
    assert q1["ci_low"] == pytest.approx(statistics.mean(values) - half, abs=1e-6)
    assert q1["top2_share"] == pytest.approx(5 / 8)   # 4 or 5: 5,4,4,5,5
    assert q1["bottom2_share"] == pytest.approx(2 / 8)  # 1 or 2
    # Wilson interval of 5/8 by hand from the formula with z = 1.959964
    z = 1.959964
    centre = (5 / 8 + z**2 / 16) / (1 + z**2 / 8)
    spread = z * math.sqrt(5 / 8 * 3 / 8 / 8 + z**2 / 256) / (1 + z**2 / 8)
    assert q1["top2_ci_low"] == pytest.approx(centre - spread, abs=1e-6)
    assert q1["top2_ci_high"] == pytest.approx(centre + spread, abs=1e-6)


def test_codes_outside_the_scale_raise_a_contract_error_with_row_and_column():
    survey = small_survey()
    survey.loc[4, "Q02"] = 7
    with pytest.raises(DataContractError) as info:
        likert_distribution(survey, make_items(), threshold=5)
    assert (info.value.file, info.value.row, info.value.column) == ("survey/responses.csv", 6, "Q02")
    with pytest.raises(DataContractError):
        item_summary(survey.drop(columns=["Q03"]), make_items(), threshold=5)
    with pytest.raises(ValueError):
        likert_distribution(small_survey(), make_items(), by="office", threshold=5)
