"""Tests of the interview analysis (evaluation.interviews), its heatmap and its report chapter.

The small example below is counted by hand; the counts are written next to each test. Other
reference values: the c-coefficient example of the ATLAS.ti manual, and Fisher's exact test on
R's ``TeaTasting`` table, computed by hand from the hypergeometric distribution.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluation import interviews as iv
from evaluation.errors import DataContractError, InsufficientDataError

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "data" / "demo"


# --------------------------------------------------------------------------------------------
# the hand-counted example
# --------------------------------------------------------------------------------------------
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


def _cell(frame, **where):
    mask = np.ones(len(frame), dtype=bool)
    for column, value in where.items():
        mask &= (frame[column] == value).to_numpy()
    assert mask.sum() == 1, where
    return frame[mask].iloc[0]


# --------------------------------------------------------------------------------------------
# code_frequencies
# --------------------------------------------------------------------------------------------


def test_code_frequencies_count_references_interviews_and_share_by_group(segments, interviews):
    result = iv.code_frequencies(segments, interviews, by="stakeholder_group", threshold=2)
    # by hand: employees (i1, i2, i3): c1 in s1, s4, s5 -> 3 references in i1, i2 -> 2 of 3
    expected = {
        ("employees", "c1"): (3, 3, 2), ("employees", "c2"): (3, 1, 1),
        ("employees", "c3"): (3, 2, 2), ("agency_management", "c1"): (2, 1, 1),
        ("agency_management", "c2"): (2, 1, 1), ("agency_management", "c3"): (2, 1, 1),
    }
    assert len(result) == len(expected)
    for (group, code), (n, references, coded) in expected.items():
        row = _cell(result, stakeholder_group=group, code=code)
        assert (row["n_interviews"], row["references"], row["interviews_coded"]) == (n, references, coded)
        assert row["share"] == pytest.approx(coded / n)
        assert not row["suppressed"]


def test_code_frequencies_at_theme_level_count_each_segment_once(segments, interviews, codebook):
    result = iv.code_frequencies(segments, interviews, level="theme", codebook=codebook, threshold=2)
    # by hand: employees theme A = s1, s2, s4, s5 (4 references) in i1, i2; theme B = s3, s6 in i1, i3
    # agency theme A = s7, s9 in i4, i5; theme B = s8 in i4
    assert list(result.columns) == ["stakeholder_group", "theme", "n_interviews", "references",
                                    "interviews_coded", "share", "suppressed"]
    assert tuple(_cell(result, stakeholder_group="employees", theme="A")[
        ["references", "interviews_coded"]]) == (4, 2)
    assert tuple(_cell(result, stakeholder_group="employees", theme="B")[
        ["references", "interviews_coded"]]) == (2, 2)
    assert _cell(result, stakeholder_group="agency_management", theme="A")["share"] == pytest.approx(1.0)
    assert _cell(result, stakeholder_group="agency_management", theme="B")["share"] == pytest.approx(0.5)


def test_code_frequencies_list_groups_in_the_contract_order_with_zero_rows(segments, interviews, codebook):
    extra = pd.concat([codebook, pd.DataFrame({"code": ["c4"], "theme": ["B"], "label_nb": ["K4"],
                                                "label_en": ["C4"], "description": [""]})])
    result = iv.code_frequencies(segments, interviews, codebook=extra, threshold=2)
    # agency_management comes before employees in data/README.md's list of groups
    assert list(dict.fromkeys(result["stakeholder_group"])) == ["agency_management", "employees"]
    assert list(result["code"][:4]) == ["c1", "c2", "c3", "c4"]
    assert _cell(result, stakeholder_group="employees", code="c4")["references"] == 0


def test_code_frequencies_overall_without_grouping(segments, interviews):
    result = iv.code_frequencies(segments, interviews, by=None, threshold=2)
    # by hand: c1 in i1, i2, i5 of 5 interviews; references s1, s4, s5, s9
    row = _cell(result, code="c1")
    assert (row["n_interviews"], row["references"], row["interviews_coded"]) == (5, 4, 3)
    assert "stakeholder_group" not in result.columns


def test_code_frequencies_suppress_small_groups_and_their_complement():
    interviews = pd.DataFrame({
        "interview_id": [f"e{i}" for i in range(6)] + [f"a{i}" for i in range(5)] + ["c0", "c1"],
        "stakeholder_group": ["employees"] * 6 + ["agency_management"] * 5 + ["county"] * 2,
    })
    segments = pd.DataFrame({
        "segment_id": ["s1", "s2", "s3"], "interview_id": ["e0", "a0", "c0"],
        "code": ["x", "x", "x"], "assessment": ["positive"] * 3,
    })
    result = iv.code_frequencies(segments, interviews, threshold=5)
    # county has 2 < 5 interviews: suppressed. It would follow from the total (3 references
    # over all groups) minus the shown groups, so the smallest other group (agency_management,
    # 5 interviews) is suppressed as well; employees (6) stays.
    county = _cell(result, stakeholder_group="county")
    agency = _cell(result, stakeholder_group="agency_management")
    employees = _cell(result, stakeholder_group="employees")
    assert county["suppressed"] and agency["suppressed"] and not employees["suppressed"]
    for row in (county, agency):
        assert pd.isna(row["references"]) and pd.isna(row["interviews_coded"])
        assert pd.isna(row["share"]) and pd.isna(row["n_interviews"])
    assert employees["references"] == 1


def test_code_frequencies_reject_unknown_interview_naming_the_segment_line(segments, interviews):
    broken = segments.copy()
    broken.loc[3, "interview_id"] = "i99"
    with pytest.raises(DataContractError) as error:
        iv.code_frequencies(broken, interviews, threshold=2)
    # position 3 is line 5 of segments.csv (header on line 1)
    assert (error.value.file, error.value.row, error.value.column) == (
        "interviews/segments.csv", 5, "interview_id")


def test_code_frequencies_reject_unknown_assessment(segments, interviews):
    broken = segments.copy()
    broken.loc[0, "assessment"] = "great"
    with pytest.raises(DataContractError) as error:
        iv.code_frequencies(broken, interviews, threshold=2)
    assert (error.value.row, error.value.column) == (2, "assessment")
    assert "great" in str(error.value)


def test_code_frequencies_reject_missing_column(segments, interviews):
    with pytest.raises(DataContractError) as error:
        iv.code_frequencies(segments.drop(columns="code"), interviews)
    assert error.value.column == "code"


def test_code_frequencies_reject_bad_arguments(segments, interviews):
    with pytest.raises(ValueError):
        iv.code_frequencies(segments, interviews, level="category")
    with pytest.raises(ValueError):
        iv.code_frequencies(segments, interviews, threshold=0)
    with pytest.raises(ValueError, match="codebook"):
        iv.code_frequencies(segments, interviews, level="theme")


def test_theme_level_rejects_codes_missing_from_the_codebook(segments, interviews, codebook):
    with pytest.raises(DataContractError) as error:
        iv.code_frequencies(segments, interviews, level="theme", codebook=codebook.iloc[:2],
                            threshold=2)
    # c3 is on positions 2, 5 and 7: first problem at line 4
    assert (error.value.row, error.value.column) == (4, "code")
    assert len(error.value.problems) == 3


# --------------------------------------------------------------------------------------------
# interview_counts and pooling
# --------------------------------------------------------------------------------------------


def test_interview_counts_sum_informants_and_suppress_small_groups(interviews):
    result = iv.interview_counts(interviews, threshold=2)
    # by hand: employees i1, i2, i3 with 1 + 2 + 1 informants; agency i4, i5 with 1 + 3
    assert list(result["stakeholder_group"]) == ["agency_management", "employees"]
    assert list(result["interviews"]) == [2, 3]
    assert list(result["informants"]) == [4, 4]
    hidden = iv.interview_counts(interviews, threshold=3)
    # agency (2 < 3) is suppressed, and employees with it (else 5 - 3 = 2 gives it away)
    assert hidden["suppressed"].tolist() == [True, True]


def test_pool_small_groups_pools_until_the_pool_reaches_the_threshold():
    sizes = {"employees": 6, "agency_management": 5, "county": 2, "municipality": 1}
    interviews = pd.DataFrame({
        "interview_id": [f"{g}-{i}" for g, n in sizes.items() for i in range(n)],
        "stakeholder_group": [g for g, n in sizes.items() for _ in range(n)],
    })
    result = iv.pool_small_groups(interviews, threshold=5)
    # county (2) and municipality (1) make 3 < 5, so the next smallest (agency, 5) joins: 8
    assert result["stakeholder_group"].value_counts().to_dict() == {"other": 8, "employees": 6}
    assert result.attrs["pooled_groups"] == ("agency_management", "municipality", "county")
    enough = interviews[interviews["stakeholder_group"] != "municipality"]
    enough = pd.concat([enough, interviews[interviews["stakeholder_group"] == "county"].assign(
        interview_id=lambda f: f["interview_id"] + "b", stakeholder_group="municipality")])
    # county 2 + municipality 2 = 4 < 5 -> agency joins; with 3 + 2 = 5 it would not
    assert set(iv.pool_small_groups(enough, threshold=5).attrs["pooled_groups"]) == {
        "county", "municipality", "agency_management"}
    assert iv.pool_small_groups(enough, threshold=4).attrs["pooled_groups"] == (
        "municipality", "county")


# --------------------------------------------------------------------------------------------
# cooccurrence
# --------------------------------------------------------------------------------------------


def test_cooccurrence_by_interview_counts_and_c_coefficient(segments):
    result = iv.cooccurrence(segments, unit="interview")
    # by hand: c1 in {i1, i2, i5}, c2 in {i1, i4}, c3 in {i1, i3, i4}
    # c1&c2 = {i1}: c = 1 / (3 + 2 - 1); c1&c3 = {i1}: 1 / (3 + 3 - 1); c2&c3 = {i1, i4}: 2 / 3
    expected = {("c1", "c2"): (3, 2, 1, 1 / 4), ("c1", "c3"): (3, 3, 1, 1 / 5),
                ("c2", "c3"): (2, 3, 2, 2 / 3), ("c1", "c1"): (3, 3, 3, 1.0)}
    for (a, b), (n_a, n_b, n_ab, c) in expected.items():
        row = _cell(result, code_a=a, code_b=b)
        assert (row["n_a"], row["n_b"], row["n_ab"]) == (n_a, n_b, n_ab)
        assert row["c_coefficient"] == pytest.approx(c)


def test_cooccurrence_of_themes(segments, codebook):
    result = iv.cooccurrence(segments, unit="interview", level="theme", codebook=codebook)
    # by hand: A in {i1, i2, i4, i5}, B in {i1, i3, i4}; both {i1, i4}: c = 2 / (4 + 3 - 2)
    row = _cell(result, theme_a="A", theme_b="B")
    assert (row["n_a"], row["n_b"], row["n_ab"]) == (4, 3, 2)
    assert row["c_coefficient"] == pytest.approx(2 / 5)


def test_cooccurrence_c_coefficient_reproduces_the_atlas_ti_manual_example():
    # ATLAS.ti 22 Windows manual, "Code Co-occurrence Coefficient": "if you had coded 100
    # quotations with code 'A' and 10 with code 'B', and you have 5 co-occurrences, then the
    # c-coefficient is: c = 5/(100 + 10 - 5) = 5/105 = 0.048"
    a = [(f"q{i}", "A") for i in range(100)]
    b = [(f"q{i}", "B") for i in range(95, 105)]
    rows = a + b
    segments = pd.DataFrame({
        "segment_id": [q for q, _ in rows], "interview_id": ["i1"] * len(rows),
        "code": [code for _, code in rows], "assessment": ["neutral"] * len(rows),
    })
    row = _cell(iv.cooccurrence(segments, unit="segment"), code_a="A", code_b="B")
    assert (row["n_a"], row["n_b"], row["n_ab"]) == (100, 10, 5)
    assert row["c_coefficient"] == pytest.approx(5 / 105)
    assert round(row["c_coefficient"], 3) == 0.048


def test_cooccurrence_matrix_is_symmetric(segments):
    for unit in ("segment", "interview"):
        result = iv.cooccurrence(segments, unit=unit)
        matrix = result.pivot(index="code_a", columns="code_b", values="n_ab")
        np.testing.assert_array_equal(matrix.to_numpy(), matrix.to_numpy().T)
        c = result.pivot(index="code_a", columns="code_b", values="c_coefficient")
        np.testing.assert_allclose(c.to_numpy(), c.to_numpy().T)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["a", "b", "c", "d"])),
                min_size=1, max_size=40))
def test_cooccurrence_equals_jaccard_of_unit_sets_and_is_symmetric(pairs):
    segments = pd.DataFrame({
        "segment_id": [f"p{unit}" for unit, _ in pairs],
        "interview_id": [f"i{unit % 3}" for unit, _ in pairs],
        "code": [code for _, code in pairs], "assessment": ["neutral"] * len(pairs),
    })
    result = iv.cooccurrence(segments, unit="segment")
    # independent computation with Python sets: Jaccard |A & B| / |A | B|
    sets = {}
    for unit, code in pairs:
        sets.setdefault(code, set()).add(f"p{unit}")
    for a, b in itertools.product(sets, repeat=2):
        row = _cell(result, code_a=a, code_b=b)
        assert row["n_ab"] == len(sets[a] & sets[b])
        assert row["c_coefficient"] == pytest.approx(len(sets[a] & sets[b]) / len(sets[a] | sets[b]))
        mirror = _cell(result, code_a=b, code_b=a)
        assert (mirror["n_ab"], mirror["c_coefficient"]) == (row["n_ab"], row["c_coefficient"])


def test_cooccurrence_rejects_unknown_unit(segments):
    with pytest.raises(ValueError):
        iv.cooccurrence(segments, unit="document")


# --------------------------------------------------------------------------------------------
# assessment_balance and framework_matrix
# --------------------------------------------------------------------------------------------


def test_assessment_balance_per_theme(segments, codebook):
    result = iv.assessment_balance(segments, codebook=codebook)
    # by hand: theme A = s1 +, s2 -, s4 mixed, s5 +, s7 -, s9 + -> 3, 2, 1, 0; net (3 - 2) / 6
    # theme B = s3 +, s6 neutral, s8 - -> 1, 1, 0, 1; net 0
    a = _cell(result, theme="A")
    assert tuple(a[["positive", "negative", "mixed", "neutral", "total"]]) == (3, 2, 1, 0, 6)
    assert a["net_score"] == pytest.approx(1 / 6)
    b = _cell(result, theme="B")
    assert tuple(b[["positive", "negative", "mixed", "neutral", "total"]]) == (1, 1, 0, 1, 3)
    assert b["net_score"] == pytest.approx(0.0)


def test_assessment_balance_by_group_needs_interviews_and_suppresses(segments, interviews, codebook):
    with pytest.raises(ValueError, match="interviews"):
        iv.assessment_balance(segments, by="stakeholder_group", codebook=codebook)
    result = iv.assessment_balance(segments, interviews=interviews, by="stakeholder_group",
                                   codebook=codebook, threshold=2)
    # by hand: agency theme A = s7 -, s9 + -> net 0
    row = _cell(result, stakeholder_group="agency_management", theme="A")
    assert (row["positive"], row["negative"], row["n_interviews"]) == (1, 1, 2)
    hidden = iv.assessment_balance(segments, interviews=interviews, by="stakeholder_group",
                                   codebook=codebook, threshold=3)
    assert hidden["suppressed"].all() and hidden["net_score"].isna().all()


def test_framework_matrix_by_interview(segments, interviews, codebook):
    result = iv.framework_matrix(segments, interviews, codebook=codebook)
    assert len(result) == 5 * 2  # every interview x theme
    # by hand: i1 theme A = s1 (+), s2 (-); i3 theme A: none
    row = _cell(result, interview_id="i1", theme="A")
    assert (row["references"], row["assessment_positive"], row["assessment_negative"]) == (2, 1, 1)
    assert _cell(result, interview_id="i3", theme="A")["references"] == 0
    assert row["stakeholder_group"] == "employees" and row["round"] == "midterm"


def test_framework_matrix_by_group_is_the_theme_frequency_table(segments, interviews, codebook):
    result = iv.framework_matrix(segments, interviews, rows="stakeholder_group", codebook=codebook,
                                 threshold=2)
    assert _cell(result, stakeholder_group="employees", theme="A")["references"] == 4


# --------------------------------------------------------------------------------------------
# theme_change
# --------------------------------------------------------------------------------------------


def test_theme_change_shares_and_fisher_test(segments, interviews, codebook):
    result = iv.theme_change(segments, interviews, codebook=codebook, threshold=2)
    # by hand: midterm i1, i2, i4; final i3, i5.
    # theme A: midterm i1, i2, i4 (3 of 3), final i5 (1 of 2): change -0.5. Fisher on
    # [[3, 0], [1, 1]]: P(x=3) = C(4,3)C(1,0)/C(5,3) = 0.4, P(x=2) = 0.6 -> two-sided p = 0.4
    a = _cell(result, pilot="stad", theme="A")
    assert (a["n_midterm"], a["coded_midterm"], a["n_final"], a["coded_final"]) == (3, 3, 2, 1)
    assert a["change"] == pytest.approx(-0.5)
    assert a["p_value"] == pytest.approx(0.4)
    # theme B: midterm i1, i4 (2 of 3), final i3 (1 of 2); [[2, 1], [1, 1]]: all tables are
    # at most as probable as the observed (0.6), so p = 0.3 + 0.6 + 0.1 = 1
    b = _cell(result, pilot="stad", theme="B")
    assert b["share_midterm"] == pytest.approx(2 / 3) and b["share_final"] == pytest.approx(0.5)
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
    row = iv.theme_change(segments, interviews, threshold=4).iloc[0]
    assert (row["coded_midterm"], row["coded_final"]) == (3, 1)
    assert row["p_value"] == pytest.approx(34 / 70)
    assert round(row["p_value"], 4) == 0.4857


def test_theme_change_suppresses_rounds_below_threshold(segments, interviews, codebook):
    result = iv.theme_change(segments, interviews, codebook=codebook, threshold=3)
    # the final round has 2 interviews < 3
    assert result["suppressed"].all()
    assert result[["share_midterm", "share_final", "change", "p_value"]].isna().all().all()


def test_theme_change_needs_both_rounds(segments, interviews, codebook):
    midterm = interviews[interviews["round"] == "midterm"]
    with pytest.raises(InsufficientDataError):
        iv.theme_change(segments[segments["interview_id"].isin(midterm["interview_id"])], midterm,
                        codebook=codebook, threshold=1)


def test_assign_rounds_uses_the_first_cutoff_on_or_after_the_date():
    cutoffs = {"midterm": dt.date(2022, 12, 31), "final": dt.date(2024, 12, 31)}
    frame = pd.DataFrame({"interview_id": ["a", "b"], "date": ["2022-12-31", "2023-01-01"]})
    assert iv.assign_rounds(frame, cutoffs=cutoffs)["round"].tolist() == ["midterm", "final"]
    late = pd.DataFrame({"interview_id": ["a", "b"], "date": ["2022-01-01", "2025-01-01"]})
    with pytest.raises(DataContractError) as error:
        iv.assign_rounds(late, cutoffs=cutoffs)
    assert (error.value.row, error.value.column) == (3, "date")


# --------------------------------------------------------------------------------------------
# select_quotes
# --------------------------------------------------------------------------------------------


@pytest.fixture
def quote_data():
    interviews = pd.DataFrame({
        "interview_id": ["e1", "e2", "e3", "a1", "a2", "c1"],
        "date": pd.to_datetime(["2022-09-01", "2022-09-02", "2022-09-03", "2022-09-04",
                                "2022-09-05", "2022-09-06"]),
        "stakeholder_group": ["employees"] * 3 + ["agency_management"] * 2 + ["county"],
        "agency": ["nav", "nav", "skatteetaten", "nav", "politiet", "-"],
    })
    segments = pd.DataFrame({
        "segment_id": [f"s{i}" for i in range(1, 8)],
        "interview_id": ["e1", "e2", "e3", "a1", "c1", "e1", "a2"],
        "code": ["c1"] * 7,
        "assessment": ["positive"] * 7,
        "quote": ["Vi møtes hver måned.", "Dette skal ikke vises.", "<script>alert('x')</script> & co",
                  "Lederne er fornøyde.", "Fylket sier dette.", "", "Heller ikke dette."],
        "quote_approved": ["yes", "no", "yes", "yes", "yes", "yes", None],
        "theme": ["T"] * 7,
    })
    return segments, interviews


def test_select_quotes_never_shows_unapproved_text(quote_data):
    segments, interviews = quote_data
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=None, threshold=2)
    assert "Dette skal ikke vises." not in result["quote"].tolist()
    assert "Heller ikke dette." not in result["quote"].tolist()  # missing approval = not approved
    assert sorted(result["quote"]) == sorted(["Vi møtes hver måned.", "<script>alert('x')</script> & co",
                                              "Lederne er fornøyde.", "Fylket sier dette."])
    for text in ("skal ikke", "Heller ikke"):
        assert not result.apply(lambda r: r.astype(str).str.contains(text)).any().any()


def test_select_quotes_attribute_by_stakeholder_group_only(quote_data):
    segments, interviews = quote_data
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=None, threshold=2)
    assert list(result.columns) == ["theme", "code", "stakeholder_group", "quote", "quote_html",
                                    "truncated"]
    # county has 1 < 2 interviews; the pool would be 1 < 2, so the next smallest group
    # (agency_management, 2) is pooled too: only employees may be named
    named = dict(zip(result["quote"], result["stakeholder_group"]))
    assert named["Vi møtes hver måned."] == "employees"
    assert pd.isna(named["Lederne er fornøyde."]) and pd.isna(named["Fylket sier dette."])


def test_select_quotes_escape_html(quote_data):
    segments, interviews = quote_data
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=None, threshold=2)
    row = _cell(result, quote="<script>alert('x')</script> & co")
    assert row["quote_html"] == "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; co"


def test_select_quotes_truncate_at_a_word(quote_data):
    segments, interviews = quote_data
    long = segments.copy()
    long.loc[0, "quote"] = "Vi møtes nå hver måned og det har gjort terskelen mye lavere for alle"
    result = iv.select_quotes(long, interviews=interviews, max_chars=30, max_per_theme=None,
                              threshold=2)
    row = result[result["quote"].str.startswith("Vi møtes")].iloc[0]
    assert row["truncated"] and row["quote"].endswith("…") and len(row["quote"]) <= 30
    assert row["quote"] == "Vi møtes nå hver måned og det…"


def test_select_quotes_none_when_too_few_interviews(quote_data):
    segments, interviews = quote_data
    assert iv.select_quotes(segments, interviews=interviews, threshold=7).empty


def test_select_quotes_limit_per_theme_alternates_groups(quote_data):
    segments, interviews = quote_data
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=2, threshold=1)
    # newest first: c1 (county, 6 Sep), a1 (agency, 4 Sep), e3, e1 (employees); one per group
    # in turn gives county, then agency
    assert result["quote"].tolist() == ["Fylket sier dette.", "Lederne er fornøyde."]


def test_select_quotes_reject_unreadable_approval(quote_data):
    segments, interviews = quote_data
    broken = segments.copy()
    broken.loc[2, "quote_approved"] = "maybe"
    with pytest.raises(DataContractError) as error:
        iv.select_quotes(broken, interviews=interviews)
    assert (error.value.row, error.value.column) == (4, "quote_approved")


# --------------------------------------------------------------------------------------------
# heatmap
# --------------------------------------------------------------------------------------------


def test_text_colour_picks_the_higher_wcag_contrast():
    from evaluation.plots.heatmap import text_colour_for

    # #08519c: relative luminance ~0.08 -> contrast with white 1.05/0.13 = 8.1, black 2.6
    assert text_colour_for((0x08 / 255, 0x51 / 255, 0x9C / 255)) == "#ffffff"
    # #eff3ff: luminance ~0.89 -> black 18.8, white 1.1
    assert text_colour_for((0xEF / 255, 0xF3 / 255, 0xFF / 255)) == "#000000"


def test_heatmap_has_alt_text_caption_and_data_table_without_suppressed_values():
    from evaluation.plots.heatmap import theme_stakeholder_heatmap

    interviews = pd.DataFrame({
        "interview_id": [f"e{i}" for i in range(6)] + [f"a{i}" for i in range(5)] + ["c0"],
        "stakeholder_group": ["employees"] * 6 + ["agency_management"] * 5 + ["county"],
    })
    segments = pd.DataFrame({
        "segment_id": ["s1", "s2", "s3", "s4"], "interview_id": ["e0", "e1", "a0", "c0"],
        "code": ["x", "x", "x", "y"], "assessment": ["positive"] * 4, "theme": ["T", "T", "T", "U"],
    })
    frequencies = iv.code_frequencies(segments, interviews, level="theme", threshold=5)
    figure = theme_stakeholder_heatmap(frequencies, theme_labels={"T": "Tema T", "U": "Tema U"},
                                       lang="en", place="Stad")
    assert base64.b64decode(figure.png_base64)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Heatmap" in figure.alt_text and "hidden" in figure.alt_text
    table = figure.data
    assert list(table.iloc[:, 0]) == ["Tema T", "Tema U"]
    # employees: T in e0, e1 -> "2 of 6"; county and (by secondary suppression) agency hidden
    assert "2 of 6" in table.to_numpy().tolist()[0]
    hidden_columns = [c for c in table.columns if c.startswith(("County", "Agency"))]
    assert len(hidden_columns) == 2
    assert (table[hidden_columns] == "–").all().all()
    markup = figure.to_html()
    assert 'alt="' in markup and "<figcaption>" in markup and "<table" in markup
