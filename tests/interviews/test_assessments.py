"""Tests of the assessment balance and theme change (evaluation.interviews.assessments).

The small example (tests/interviews/conftest.py) is counted by hand; the counts are written next
to each test. Other reference values: the c-coefficient example of the ATLAS.ti manual, and
Fisher's exact test on R's ``TeaTasting`` table, computed by hand from the hypergeometric
distribution, and Fisher's test with Holm's adjustment from R's ``fisher.test`` and ``p.adjust``.
"""

from __future__ import annotations


import pandas as pd
import pytest
from numpy.testing import assert_allclose

from evaluation import interviews as iv
from evaluation.errors import InsufficientDataError

from .helpers import cell

ROUNDS = ("midterm", "final")  # the earlier and the later round of the hand-counted example


def test_assessment_balance_counts_one_vote_per_interview_and_theme(segments, codebook):
    result = iv.assessment_balance(segments, codebook=codebook, threshold=5)
    # by hand, theme A: i1 (s1 +, s2 -) equal -> mixed; i2 (s4 mixed, s5 +) -> positive;
    # i4 (s7 -) -> negative; i5 (s9 +) -> positive: 2, 1, 1, 0 of 4 interviews; net (2 - 1) / 4
    # (per passage it would have been 3, 2, 1, 0 of 6 and net 1/6)
    # theme B: i1 (s3 +) positive, i3 (s6 neutral) neutral, i4 (s8 -) negative; net 0
    a = cell(result, theme="A")
    assert tuple(a[["positive", "negative", "mixed", "neutral", "total"]]) == (2, 1, 1, 0, 4)
    assert a["net_score"] == pytest.approx(1 / 4)
    b = cell(result, theme="B")
    assert tuple(b[["positive", "negative", "mixed", "neutral", "total"]]) == (1, 1, 0, 1, 3)
    assert b["net_score"] == pytest.approx(0.0)


def _one_theme(passages: dict[str, list[str]]) -> pd.DataFrame:
    """Segments of theme T: interview id -> the assessments of its passages."""
    rows = [(f"{interview}-{k}", interview, assessment)
            for interview, assessments in passages.items()
            for k, assessment in enumerate(assessments)]
    return pd.DataFrame({"segment_id": [r[0] for r in rows], "interview_id": [r[1] for r in rows],
                         "code": "k", "assessment": [r[2] for r in rows], "theme": "T"})


def test_a_talkative_interview_counts_once_in_the_net_score():
    # one interview with 6 positive passages, two with 1 negative passage each:
    # per interview (1 - 2) / 3 = -1/3, not per passage (6 - 2) / 8 = +1/2
    segments = _one_theme({"talkative": ["positive"] * 6, "b": ["negative"], "c": ["negative"]})
    row = iv.assessment_balance(segments, threshold=3).iloc[0]
    assert tuple(row[["positive", "negative", "mixed", "neutral", "total"]]) == (1, 2, 0, 0, 3)
    assert row["net_score"] == pytest.approx(-1 / 3)


@pytest.mark.parametrize(("passages", "vote"), [
    (["positive", "positive", "negative"], "positive"),     # more positive than negative
    (["positive", "mixed", "mixed", "mixed"], "positive"),  # mixed passages never tip the vote
    (["negative", "neutral", "neutral"], "negative"),
    (["positive", "negative"], "mixed"),                    # both sides equally often
    (["mixed", "mixed"], "mixed"),                          # only mixed passages
    (["mixed", "neutral"], "mixed"),
    (["neutral", "neutral"], "neutral"),                    # only neutral passages
])
def test_an_interviews_vote_follows_the_documented_rule(passages, vote):
    row = iv.assessment_balance(_one_theme({"i": passages}), threshold=2).iloc[0]
    expected = {a: int(a == vote) for a in iv.ASSESSMENTS}
    assert {a: int(row[a]) for a in iv.ASSESSMENTS} == expected
    assert row["total"] == 1


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


def _prevalence(spec: dict[str, dict[str, tuple[int, int, int, int]]]):
    """Interviews and segments where, per pilot and theme, (coded, n) of the midterm round
    and (coded, n) of the final round are as given; the first interviews raise the theme."""
    interviews, segments = [], []
    for pilot, themes in spec.items():
        sizes = next(iter(themes.values()))
        for round_, n in (("midterm", sizes[1]), ("final", sizes[3])):
            interviews += [{"interview_id": f"{pilot}-{round_}-{i}", "pilot": pilot, "round": round_}
                           for i in range(n)]
        for theme, (coded_from, _, coded_to, _) in themes.items():
            for round_, coded in (("midterm", coded_from), ("final", coded_to)):
                segments += [{"segment_id": f"{pilot}-{round_}-{i}-{theme}",
                              "interview_id": f"{pilot}-{round_}-{i}", "code": theme,
                              "assessment": "neutral", "theme": theme} for i in range(coded)]
    return pd.DataFrame(segments), pd.DataFrame(interviews)


def test_theme_change_adjusts_for_the_themes_of_each_pilot_with_holm_as_r():
    segments, interviews = _prevalence({
        "stad": {"T1": (5, 6, 1, 6), "T2": (1, 6, 6, 6), "T3": (3, 6, 3, 6), "T4": (0, 6, 4, 6)},
        "orkland": {"T1": (5, 5, 0, 5), "T2": (2, 5, 2, 5), "T3": (1, 5, 4, 5), "T4": (0, 5, 0, 5)},
        "narvik": {"T1": (2, 5, 1, 2), "T2": (0, 5, 0, 2), "T3": (0, 5, 0, 2), "T4": (0, 5, 0, 2)},
    })
    result = iv.theme_change(segments, interviews, include=["T1", "T2", "T3", "T4"],
                             rounds=ROUNDS, threshold=5)
    # R 4:
    # p <- function(a, n1, c, n2) fisher.test(matrix(c(a, n1 - a, c, n2 - c), nrow = 2,
    #                                                byrow = TRUE))$p.value
    # stad <- c(T1 = p(5, 6, 1, 6), T2 = p(1, 6, 6, 6), T3 = p(3, 6, 3, 6), T4 = p(0, 6, 4, 6))
    # ork <- c(T1 = p(5, 5, 0, 5), T2 = p(2, 5, 2, 5), T3 = p(1, 5, 4, 5), T4 = p(0, 5, 0, 5))
    # print(stad, digits = 10); print(p.adjust(stad, "holm"), digits = 10)
    #  0.08008658009 0.01515151515 1.00000000000 0.06060606061
    #  0.18181818182 0.06060606061 1.00000000000 0.18181818182
    # print(ork, digits = 10); print(p.adjust(ork, "holm"), digits = 10)
    #  0.007936507937 1.000000000000 0.206349206349 1.000000000000
    #  0.03174603175  1.00000000000  0.61904761905  1.00000000000
    expected = {
        "stad": ([0.08008658009, 0.01515151515, 1.0, 0.06060606061],
                 [0.18181818182, 0.06060606061, 1.0, 0.18181818182]),
        "orkland": ([0.007936507937, 1.0, 0.206349206349, 1.0],
                    [0.03174603175, 1.0, 0.61904761905, 1.0]),
    }
    for pilot, (raw, adjusted) in expected.items():
        rows = result[result["pilot"] == pilot]
        assert list(rows["theme"]) == ["T1", "T2", "T3", "T4"]
        assert_allclose(rows["p_value"].to_numpy(dtype=float), raw, rtol=1e-9)
        assert_allclose(rows["p_value_adjusted"].to_numpy(dtype=float), adjusted, rtol=1e-9)
    # narvik's final round has 2 interviews < 5: suppressed, outside every family
    narvik = result[result["pilot"] == "narvik"]
    assert narvik["suppressed"].all() and narvik["p_value_adjusted"].isna().all()


def test_theme_change_suppresses_rounds_below_threshold(segments, interviews, codebook):
    result = iv.theme_change(segments, interviews, codebook=codebook, rounds=ROUNDS, threshold=3)
    # the final round has 2 interviews < 3
    assert result["suppressed"].all()
    assert result[["share_from", "share_to", "change", "p_value",
                   "p_value_adjusted"]].isna().all().all()


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
