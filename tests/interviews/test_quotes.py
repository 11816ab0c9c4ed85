"""Tests of quote selection and group pooling (evaluation.interviews.quotes).

The small example (tests/interviews/conftest.py) is counted by hand; the counts are written next
to each test. Other reference values: the c-coefficient example of the ATLAS.ti manual, and
Fisher's exact test on R's ``TeaTasting`` table, computed by hand from the hypergeometric
distribution.
"""

from __future__ import annotations


import pandas as pd
import pytest

from evaluation import html
from evaluation import interviews as iv
from evaluation.errors import DataContractError

from .helpers import cell


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
        assert not result.apply(lambda r, text=text: r.astype(str).str.contains(text)).any().any()


def test_select_quotes_attribute_by_stakeholder_group_only(quote_data):
    segments, interviews = quote_data
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=None, threshold=2)
    assert list(result.columns) == ["theme", "code", "stakeholder_group", "quote", "truncated"]
    # county has 1 < 2 interviews; the pool would be 1 < 2, so the next smallest group
    # (agency_management, 2) is pooled too: only employees may be named
    named = dict(zip(result["quote"], result["stakeholder_group"]))
    assert named["Vi møtes hver måned."] == "employees"
    assert pd.isna(named["Lederne er fornøyde."]) and pd.isna(named["Fylket sier dette."])


def test_select_quotes_give_plain_text_that_the_quote_fragment_escapes(quote_data):
    segments, interviews = quote_data
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=None, threshold=2)
    row = cell(result, quote="<script>alert('x')</script> & co")
    markup = html.quote(row["quote"], attribution="Ansatte")
    assert "<p>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co</p>" in markup


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
    result = iv.select_quotes(segments, interviews=interviews, max_per_theme=2, threshold=2)
    # newest first: c1 (county, 6 Sep), a1 (agency, 4 Sep), e3, e1 (employees); one per group
    # in turn gives county, then agency
    assert result["quote"].tolist() == ["Fylket sier dette.", "Lederne er fornøyde."]


def test_select_quotes_reject_unreadable_approval(quote_data):
    segments, interviews = quote_data
    broken = segments.copy()
    broken.loc[2, "quote_approved"] = "maybe"
    with pytest.raises(DataContractError) as error:
        iv.select_quotes(broken, interviews=interviews, threshold=5)
    assert (error.value.row, error.value.column) == (4, "quote_approved")


def test_pool_rounds_decides_per_round_and_round_group_counts_follow_it():
    import pandas as pd

    from evaluation.interviews import pool_rounds, round_group_counts

    # employees are shown in the midterm round (5) but pooled in the final one (2 of 3).
    groups = ["employees"] * 5 + ["county"] * 4 + ["municipality"] + ["employees"] * 2 + ["county"]
    interviews = pd.DataFrame({
        "interview_id": [f"I{i:02d}" for i in range(len(groups))],
        "pilot": "p", "stakeholder_group": groups, "informants": 1,
        "round": ["midterm"] * 10 + ["final"] * 3,
        "date": pd.to_datetime(["2022-06-01"] * 10 + ["2024-06-01"] * 3),
    })
    pooled = pool_rounds(interviews, threshold=5)
    assert pooled.attrs["pooled_groups"] == {("p", "midterm"): ("municipality", "county"),
                                             ("p", "final"): ("employees", "county")}
    counts = round_group_counts(interviews, threshold=5)
    assert counts[["round", "stakeholder_group"]].values.tolist() == [
        ["midterm", "employees"], ["midterm", "other"], ["final", "other"]]
    assert counts["interviews"].tolist()[:2] == [5, 5]
    # The final round has 3 interviews in all: its pool is hidden, never shown as a count or 0.
    final = counts[counts["round"] == "final"]
    assert final["suppressed"].all() and final["interviews"].isna().all()
