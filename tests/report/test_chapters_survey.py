"""The survey chapter on the demo data: counts from the CSV, small agencies hidden."""

from __future__ import annotations

import csv
import re

import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.errors import EvaluationError
from evaluation.report import ReportContext, survey_chapter


@pytest.fixture(scope="module")
def midterm_data():
    return load_data(DEMO, phase="midterm")


def _demo_counts(pilot: str, wave: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    with open(DEMO / "survey" / "responses.csv", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            if row["pilot"] == pilot and int(row["wave"]) == wave:
                counts[row["agency"]] = counts.get(row["agency"], 0) + 1
    return counts


def _table_rows(markup: str, caption_start: str) -> list[list[str]]:
    start = markup.index(f"<caption>{caption_start}")
    table = markup[start:markup.index("</table>", start)]
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", table):
        rows.append([re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)])
    return rows


def test_survey_chapter_shows_demo_response_counts_and_hides_small_agencies(midterm_data):
    markup = str(survey_chapter(ReportContext(midterm_data, pilot="stad", phase="midterm")))
    counts = _demo_counts("stad", 2021)
    assert sum(counts.values()) >= 5
    rows = _table_rows(markup, "Inviterte, svar og svarprosent")
    baseline_nav = next(r for r in rows if r[0] == "Nullpunkt 2021" and r[1] == "NAV")
    assert baseline_nav[3] == str(counts["nav"])
    total_2021 = next(r for r in rows if r[0] == "Nullpunkt 2021" and r[1] == "Alle virksomheter")
    assert total_2021[3] == str(sum(counts.values()))
    small = {a: n for a, n in _demo_counts("stad", 2022).items() if n < 5}
    assert small, "the demo data should have an agency below the threshold in 2022"
    midterm_rows = [r for r in rows if r[0] == "Midtveis 2022"]
    assert sum("færre enn 5 svar" in r[3] for r in midterm_rows) >= 2  # primary + complement
    for row in midterm_rows:
        assert row[3] not in {str(n) for n in small.values()} or row[1] == "Alle virksomheter"
    for heading in ("Svarprosent", "Utviklingen i indeksene", "Svarfordeling på påstandene",
                    "Indeksenes pålitelighet"):
        assert re.search(rf'<h3 id="[a-z0-9-]+">{re.escape(heading)}</h3>', markup)
    assert "Endring siden midtveisevalueringen" not in markup
    assert markup.count("<figure") == 1 + len(set(midterm_data.items["index"]))
    assert "<h2" not in markup


def test_survey_chapter_final_adds_change_since_midterm_in_english():

    data = load_data(DEMO, phase="final")
    markup = str(survey_chapter(ReportContext(data, pilot="narvik", phase="final", lang="en")))
    assert re.search(r'<h3 id="[a-z0-9-]+">Change since the midterm evaluation</h3>', markup)
    assert "Midterm 2022 → Final 2024" in markup
    assert "fewer than 5 responses" in markup
    with pytest.raises(EvaluationError, match="unknown pilot"):
        ReportContext(data, pilot="oslo", phase="final")
