"""Findings by sub-goal and the generated key findings (evaluation.report.chapters.findings,
evaluation.report.key_findings) on the demo data."""

from __future__ import annotations

import csv
import re

import pytest
from bs4 import BeautifulSoup

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.report import ReportContext, findings_by_goal
from evaluation.report.key_findings import key_findings


@pytest.fixture(scope="module")
def final_stad():
    return ReportContext(load_data(DEMO, phase="final"), pilot="stad", phase="final")


def _rows(name):
    with open(DEMO / name, encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def test_every_sub_goal_gets_its_section_with_its_text_and_at_most_one_figure(final_stad):
    soup = BeautifulSoup(str(findings_by_goal(final_stad)), "html.parser")
    # the sub-goals of Stad, as programme.yaml lists them (read without the package's loader)
    text = (DEMO / "programme.yaml").read_text(encoding="utf-8")
    stad = text[text.index("- id: stad\n"):text.index("- id: orkland\n")]
    ids = re.findall(r"- id: (stad-d\d)\n\s+text_nb: (.+)\n", stad)
    assert [h.get("id") for h in soup.find_all("h3")][:len(ids)] == [f"finding-{i}" for i, _ in ids]
    for sub_goal, goal_text in ids:
        heading = soup.find("h3", id=f"finding-{sub_goal}")
        assert heading.get_text() == goal_text.strip().strip("'\"")
        section = []
        for sibling in heading.find_next_siblings():
            if sibling.name in ("h3", "h2"):
                break
            section.append(sibling)
        assert sum(len(s.find_all("img")) + (s.name == "img") for s in section) <= 1
        assert any(s.name == "table" or s.find("table") for s in section)


def test_the_indicator_chart_of_a_sub_goal_shows_its_observations(final_stad):
    # stad-d2's first indicator is stad-i2 (baseline 2 in 2021, target 12 in 2024)
    observed = {r["date"][:4]: r["value"] for r in _rows("indicators/observations.csv")
                if r["indicator_id"] == "stad-i2"}
    soup = BeautifulSoup(str(findings_by_goal(final_stad)), "html.parser")
    heading = soup.find("h3", id="finding-stad-d2")
    details = heading.find_next("details", class_="figure-data")
    rows = [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in details.find_all("tr")[1:]]
    for year, expected, value, _status in rows:
        assert float(value.replace(",", ".")) == float(observed[year])
        # the straight line from 2 (2021) to 12 (2024)
        assert float(expected.replace(",", ".")) == pytest.approx(2 + (int(year) - 2021) * 10 / 3, abs=0.5)


def test_key_findings_name_only_clear_survey_changes_and_the_judged_statuses(final_stad):
    findings = key_findings(final_stad)
    texts = [f.text for f in findings]
    judged = [r["status"] for r in _rows("assessments.csv") if r["pilot"] == "stad" and r["phase"] == "final"]
    assert texts[0].startswith(f"Evaluatorene vurderer de {len(judged)} delmålene slik:")
    survey = [f for f in findings if f.anchor == "survey-h-trends"]
    assert 1 <= len(survey) <= 3
    for finding in survey:
        low, high = re.search(r"KI for endringen (−?[\d,]+) til (−?[\d,]+)", finding.text).groups()
        low, high = (float(v.replace(",", ".").replace("−", "-")) for v in (low, high))
        assert low > 0 or high < 0  # the interval excludes zero
    milestones = [r for r in _rows("milestones.csv")
                  if r["pilot"] == "stad" and r["due_date"] <= "2024-12-31"]
    done = [r for r in milestones if r["completed_date"] and r["completed_date"] <= "2024-12-31"]
    assert f"{len(done)} av {len(milestones)} milepæler med passert frist er fullført." in texts[-1]


def test_a_midterm_without_clear_change_says_so(final_stad):
    ctx = ReportContext(load_data(DEMO, phase="midterm"), pilot="stad", phase="midterm")
    survey = [f.text for f in key_findings(ctx) if f.anchor == "survey-h-trends"]
    # Stad's midterm changes all have intervals around zero (the survey appendix's table)
    assert survey == ["Ingen av indeksene i spørreundersøkelsen i Stad endret seg tydelig fra 2021 til 2022: "
                      "alle konfidensintervallene for endringen omfatter null."]
