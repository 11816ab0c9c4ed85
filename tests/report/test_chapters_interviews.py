"""The interview chapter on the demo data: counts from the CSV, small groups and unapproved
quotes never shown."""

from __future__ import annotations

import csv
import dataclasses
import html
import re

import pandas as pd
import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.errors import EvaluationError
from evaluation.report import ReportContext, interviews_chapter


def _demo_rows(name):
    with open(DEMO / "interviews" / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def demo_midterm():
    return load_data(DEMO, phase="midterm")


@pytest.fixture(scope="module")
def demo_final():
    return load_data(DEMO, phase="final")


def test_chapter_counts_the_pilots_interviews_from_the_csv(demo_midterm):
    rows = [r for r in _demo_rows("interviews.csv")
            if r["pilot"] == "stad" and r["date"] <= "2022-12-31"]
    informants = sum(int(r["informants"]) for r in rows)
    markup = str(interviews_chapter(ReportContext(demo_midterm, pilot="stad", phase="midterm")))
    assert f"gjennomført {len(rows)} intervjuer med til sammen {informants} informanter" in markup
    assert markup.count("<h3 ") == 5  # groups, heatmap, balance, co-occurrence, quotes
    assert "<h2" not in markup
    assert re.search(r'<img src="data:image/svg\+xml;base64,[^"]+" width="\d+" height="\d+" alt="Varmekart[^"]+"',
                     markup)


def test_chapter_hides_groups_below_the_threshold(demo_midterm):
    rows = [r for r in _demo_rows("interviews.csv")
            if r["pilot"] == "stad" and r["date"] <= "2022-12-31"]
    sizes = pd.Series([r["stakeholder_group"] for r in rows]).value_counts()
    small = [g for g, n in sizes.items() if n < 5]
    assert small, "the demo pilot should have a small group for this test to mean something"
    ctx = ReportContext(demo_midterm, pilot="stad", phase="midterm", lang="en")
    markup = str(interviews_chapter(ctx))
    labels = {"project_management": "Project management", "steering_group": "Steering group",
              "agency_management": "Agency managers", "employees": "Employees",
              "municipality": "Municipality", "county": "County"}
    for group in small:
        assert f'<th scope="row">{labels[group]}</th>' not in markup
        assert f"— {labels[group]}</figcaption>" not in markup


def test_chapter_shows_only_approved_quotes_escaped(demo_midterm):
    segments = _demo_rows("segments.csv")
    approved = {r["quote"] for r in segments if r["quote_approved"] == "yes" and r["quote"]}
    unapproved = {r["quote"] for r in segments if r["quote_approved"] == "no" and r["quote"]}
    markup = str(interviews_chapter(ReportContext(demo_midterm, pilot="stad", phase="midterm")))
    shown = re.findall(r"<blockquote><p>(.*?)</p></blockquote>", markup)
    assert shown
    for text in shown:
        assert html.unescape(text) in approved
    for text in unapproved - approved:
        assert text not in html.unescape(markup)


def test_chapter_final_phase_adds_change_since_midterm(demo_final):
    rows = [r for r in _demo_rows("interviews.csv") if r["pilot"] == "narvik"]
    n_midterm = sum(r["date"] <= "2022-12-31" for r in rows)
    n_final = sum("2022-12-31" < r["date"] <= "2024-12-31" for r in rows)
    markup = str(interviews_chapter(ReportContext(demo_final, pilot="narvik", phase="final",
                                                  lang="en")))
    assert re.search(r'<h3 id="[a-z0-9-]+">Change since the previous interview round</h3>', markup)
    assert (f"in two rounds: {n_midterm} interviews of the “Midterm evaluation” round (up to "
            f"31 December 2022) and {n_final} interviews of the “Final evaluation” round (after "
            f"31 December 2022, up to 31 December 2024)") in markup
    assert "adjusted for the number of themes (Holm)" in markup
    assert '<th scope="col" class="num">p-value (Holm-adjusted)</th>' in markup


def test_chapter_exists_for_every_demo_pilot_and_language(demo_midterm):
    for pilot in demo_midterm.programme.pilot_ids:
        for lang in ("nb", "en"):
            ctx = ReportContext(demo_midterm, pilot=pilot, phase="midterm", lang=lang)
            assert "<h3 " in str(interviews_chapter(ctx))
    with pytest.raises(EvaluationError, match="unknown pilot"):
        ReportContext(demo_midterm, pilot="oslo", phase="midterm")


def test_chapter_shows_nothing_but_a_note_when_a_pilot_has_too_few_interviews(demo_midterm):
    stad = demo_midterm.interviews[demo_midterm.interviews["pilot"] == "stad"].iloc[:3]
    others = demo_midterm.interviews[demo_midterm.interviews["pilot"] != "stad"]
    few = dataclasses.replace(demo_midterm, interviews=pd.concat([stad, others]))
    markup = str(interviews_chapter(ReportContext(few, pilot="stad", phase="midterm",
                                                  lang="en")))
    assert markup.startswith("<p>Fewer than 5 interviews were held in Stad")
    assert "<table" not in markup and "<img" not in markup and "<blockquote>" not in markup
