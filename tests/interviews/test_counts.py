"""Tests of interview counts, code frequencies and the framework matrix (evaluation.interviews.counts).

The small example (tests/interviews/conftest.py) is counted by hand; the counts are written next
to each test. Other reference values: the c-coefficient example of the ATLAS.ti manual, and
Fisher's exact test on R's ``TeaTasting`` table, computed by hand from the hypergeometric
distribution.
"""

from __future__ import annotations


import pandas as pd
import pytest

from evaluation import interviews as iv
from evaluation.errors import DataContractError

from .helpers import cell


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
        row = cell(result, stakeholder_group=group, code=code)
        assert (row["n_interviews"], row["references"], row["interviews_coded"]) == (n, references, coded)
        assert row["share"] == pytest.approx(coded / n)
        assert not row["suppressed"]


def test_code_frequencies_at_theme_level_count_each_segment_once(segments, interviews, codebook):
    result = iv.code_frequencies(segments, interviews, level="theme", codebook=codebook, threshold=2)
    # by hand: employees theme A = s1, s2, s4, s5 (4 references) in i1, i2; theme B = s3, s6 in i1, i3
    # agency theme A = s7, s9 in i4, i5; theme B = s8 in i4
    assert list(result.columns) == ["stakeholder_group", "theme", "n_interviews", "references",
                                    "interviews_coded", "share", "suppressed"]
    assert tuple(cell(result, stakeholder_group="employees", theme="A")[
        ["references", "interviews_coded"]]) == (4, 2)
    assert tuple(cell(result, stakeholder_group="employees", theme="B")[
        ["references", "interviews_coded"]]) == (2, 2)
    assert cell(result, stakeholder_group="agency_management", theme="A")["share"] == pytest.approx(1.0)
    assert cell(result, stakeholder_group="agency_management", theme="B")["share"] == pytest.approx(0.5)


def test_code_frequencies_list_groups_in_the_contract_order_with_zero_rows(segments, interviews, codebook):
    extra = pd.concat([codebook, pd.DataFrame({"code": ["c4"], "theme": ["B"], "label_nb": ["K4"],
                                                "label_en": ["C4"], "description": [""]})])
    result = iv.code_frequencies(segments, interviews, codebook=extra, threshold=2)
    # agency_management comes before employees in data/README.md's list of groups
    assert list(dict.fromkeys(result["stakeholder_group"])) == ["agency_management", "employees"]
    assert list(result["code"][:4]) == ["c1", "c2", "c3", "c4"]
    assert cell(result, stakeholder_group="employees", code="c4")["references"] == 0


def test_code_frequencies_overall_without_grouping(segments, interviews):
    result = iv.code_frequencies(segments, interviews, by=None, threshold=2)
    # by hand: c1 in i1, i2, i5 of 5 interviews; references s1, s4, s5, s9
    row = cell(result, code="c1")
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
    county = cell(result, stakeholder_group="county")
    agency = cell(result, stakeholder_group="agency_management")
    employees = cell(result, stakeholder_group="employees")
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
        iv.code_frequencies(segments.drop(columns="code"), interviews, threshold=5)
    assert error.value.column == "code"


def test_code_frequencies_reject_bad_arguments(segments, interviews):
    with pytest.raises(ValueError):
        iv.code_frequencies(segments, interviews, level="category", threshold=5)
    for threshold in (0, 1, True):  # one rule for every threshold: privacy.check_threshold
        with pytest.raises(ValueError, match="threshold"):
            iv.code_frequencies(segments, interviews, threshold=threshold)
    with pytest.raises(TypeError, match="threshold"):  # no silent default
        iv.code_frequencies(segments, interviews)
    with pytest.raises(ValueError, match="codebook"):
        iv.code_frequencies(segments, interviews, level="theme", threshold=5)


def test_interview_counts_sum_informants_and_suppress_small_groups(interviews):
    result = iv.interview_counts(interviews, threshold=2)
    # by hand: employees i1, i2, i3 with 1 + 2 + 1 informants; agency i4, i5 with 1 + 3
    assert list(result["stakeholder_group"]) == ["agency_management", "employees"]
    assert list(result["interviews"]) == [2, 3]
    assert list(result["informants"]) == [4, 4]
    hidden = iv.interview_counts(interviews, threshold=3)
    # agency (2 < 3) is suppressed, and employees with it (else 5 - 3 = 2 gives it away)
    assert hidden["suppressed"].tolist() == [True, True]


def test_framework_matrix_by_interview(segments, interviews, codebook):
    result = iv.framework_matrix(segments, interviews, codebook=codebook, threshold=5)
    assert len(result) == 5 * 2  # every interview x theme
    # by hand: i1 theme A = s1 (+), s2 (-); i3 theme A: none
    row = cell(result, interview_id="i1", theme="A")
    assert (row["references"], row["assessment_positive"], row["assessment_negative"]) == (2, 1, 1)
    assert cell(result, interview_id="i3", theme="A")["references"] == 0
    assert row["stakeholder_group"] == "employees" and row["round"] == "midterm"


def test_framework_matrix_by_group_is_the_theme_frequency_table(segments, interviews, codebook):
    result = iv.framework_matrix(segments, interviews, rows="stakeholder_group", codebook=codebook,
                                 threshold=2)
    assert cell(result, stakeholder_group="employees", theme="A")["references"] == 4
