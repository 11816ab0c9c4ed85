"""Tests of the assessment balance and theme change (evaluation.interviews.assessments).

The small example (tests/interviews/conftest.py) is counted by hand; the counts are written next
to each test. Other reference values: the c-coefficient example of the ATLAS.ti manual, and
Fisher's exact test on R's ``TeaTasting`` table, computed by hand from the hypergeometric
distribution.
"""

from __future__ import annotations


import pandas as pd
import pytest

from evaluation import interviews as iv
from evaluation.errors import InsufficientDataError

from .helpers import cell

ROUNDS = ("midterm", "final")  # the earlier and the later round of the hand-counted example


def test_assessment_balance_per_theme(segments, codebook):
    result = iv.assessment_balance(segments, codebook=codebook, threshold=5)
    # by hand: theme A = s1 +, s2 -, s4 mixed, s5 +, s7 -, s9 + -> 3, 2, 1, 0; net (3 - 2) / 6
    # theme B = s3 +, s6 neutral, s8 - -> 1, 1, 0, 1; net 0
    a = cell(result, theme="A")
    assert tuple(a[["positive", "negative", "mixed", "neutral", "total"]]) == (3, 2, 1, 0, 6)
    assert a["net_score"] == pytest.approx(1 / 6)
    b = cell(result, theme="B")
    assert tuple(b[["positive", "negative", "mixed", "neutral", "total"]]) == (1, 1, 0, 1, 3)
    assert b["net_score"] == pytest.approx(0.0)


def test_assessment_balance_by_group_needs_interviews_and_suppresses(segments, interviews, codebook):
    with pytest.raises(ValueError, match="interviews"):
        iv.assessment_balance(segments, by="stakeholder_group", codebook=codebook, threshold=5)
    result = iv.assessment_balance(segments, interviews=interviews, by="stakeholder_group",
                                   codebook=codebook, threshold=2)
    # by hand: agency theme A = s7 -, s9 + -> net 0
    row = cell(result, stakeholder_group="agency_management", theme="A")
    assert (row["positive"], row["negative"], row["n_interviews"]) == (1, 1, 2)
    hidden = iv.assessment_balance(segments, interviews=interviews, by="stakeholder_group",
                                   codebook=codebook, threshold=3)
    assert hidden["suppressed"].all() and hidden["net_score"].isna().all()


def test_theme_change_shares_and_fisher_test(segments, interviews, codebook):
    result = iv.theme_change(segments, interviews, codebook=codebook, rounds=ROUNDS, threshold=2)
    # by hand: midterm i1, i2, i4; final i3, i5.
    # theme A: midterm i1, i2, i4 (3 of 3), final i5 (1 of 2): change -0.5. Fisher on
    # [[3, 0], [1, 1]]: P(x=3) = C(4,3)C(1,0)/C(5,3) = 0.4, P(x=2) = 0.6 -> two-sided p = 0.4
    a = cell(result, pilot="stad", theme="A")
    assert (a["n_from"], a["coded_from"], a["n_to"], a["coded_to"]) == (3, 3, 2, 1)
    assert a["change"] == pytest.approx(-0.5)
    assert a["p_value"] == pytest.approx(0.4)
    # theme B: midterm i1, i4 (2 of 3), final i3 (1 of 2); [[2, 1], [1, 1]]: all tables are
    # at most as probable as the observed (0.6), so p = 0.3 + 0.6 + 0.1 = 1
    b = cell(result, pilot="stad", theme="B")
    assert b["share_from"] == pytest.approx(2 / 3) and b["share_to"] == pytest.approx(0.5)
    assert b["p_value"] == pytest.approx(1.0)


def test_theme_change_p_value_matches_fisher_on_tea_tasting():
    # R: TeaTasting <- matrix(c(3, 1, 1, 3), nrow = 2); fisher.test(TeaTasting)
    # two-sided p by hand from the hypergeometric probabilities 1, 16, 36, 16, 1 (/70):
    # observed 16/70; tables no more probable: 1 + 16 + 16 + 1 = 34 -> p = 34/70 = 0.4857
    interviews = pd.DataFrame({
        "interview_id": [f"m{i}" for i in range(4)] + [f"f{i}" for i in range(4)],
        "pilot": ["stad"] * 8, "round": ["midterm"] * 4 + ["final"] * 4,
    })
    mentioned = ["m0", "m1", "m2", "f0"]
    segments = pd.DataFrame({
        "segment_id": [f"s{i}" for i in range(4)], "interview_id": mentioned,
        "code": ["k"] * 4, "assessment": ["neutral"] * 4, "theme": ["T"] * 4,
    })
    row = iv.theme_change(segments, interviews, rounds=ROUNDS, threshold=4).iloc[0]
    assert (row["coded_from"], row["coded_to"]) == (3, 1)
    assert row["p_value"] == pytest.approx(34 / 70)
    assert round(row["p_value"], 4) == 0.4857


def test_theme_change_suppresses_rounds_below_threshold(segments, interviews, codebook):
    result = iv.theme_change(segments, interviews, codebook=codebook, rounds=ROUNDS, threshold=3)
    # the final round has 2 interviews < 3
    assert result["suppressed"].all()
    assert result[["share_from", "share_to", "change", "p_value"]].isna().all().all()


def test_theme_change_needs_both_rounds(segments, interviews, codebook):
    midterm = interviews[interviews["round"] == "midterm"]
    with pytest.raises(InsufficientDataError):
        iv.theme_change(segments[segments["interview_id"].isin(midterm["interview_id"])], midterm,
                        codebook=codebook, rounds=ROUNDS, threshold=2)


def test_theme_change_compares_the_two_rounds_it_is_given_and_leaves_others_out(segments, interviews,
                                                                                codebook):
    # a third, later round must not change the comparison of the first two
    extra = pd.DataFrame([{**interviews.iloc[0].to_dict(), "interview_id": "x1", "round": "after"}])
    more = pd.concat([interviews, extra], ignore_index=True)
    result = iv.theme_change(segments, more, codebook=codebook, rounds=ROUNDS, threshold=2)
    a = cell(result, pilot="stad", theme="A")
    assert (a["from_round"], a["to_round"]) == ROUNDS
    assert (a["n_from"], a["n_to"]) == (3, 2)


@pytest.mark.parametrize("rounds", [("midterm",), ("final", "final"), ("midterm", "final", "x")])
def test_theme_change_needs_two_different_rounds(segments, interviews, codebook, rounds):
    with pytest.raises(ValueError, match="two different phase ids"):
        iv.theme_change(segments, interviews, codebook=codebook, rounds=rounds, threshold=2)


def test_round_order_follows_the_interview_dates_not_the_names():
    interviews = pd.DataFrame({"round": ["zulu", "alpha", "zulu"],
                               "date": ["2022-05-01", "2024-03-01", "2022-09-01"]})
    assert iv.round_order(interviews) == ["zulu", "alpha"]
