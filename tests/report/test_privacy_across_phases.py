"""Privacy across reports and phases: each interview round is reported whole and pooled the same
way in every chapter, no count of people below the threshold is printed, and the provenance
appendix names no local path.

Reference counts are worked out here from ``interviews.csv`` and ``segments.csv`` with the csv
module and the cut-offs of ``programme.yaml``, independently of the package.
"""

from __future__ import annotations

import csv
import html
import re
from pathlib import Path

import pytest

from conftest import DEMO
from evaluation.report import open_report
from evaluation.report.chapters.interviews import interviews_chapter
from evaluation.report.chapters.summary import summary_chapter
from evaluation.report.chapters.synthesis import pilots_overview
from evaluation.report.frame import data_and_method, provenance

MIDTERM, FINAL = "2022-12-31", "2024-12-31"  # the demo programme's cut-offs
THRESHOLD = 5
LABELS = {"project_management": "Project management", "steering_group": "Steering group",
          "agency_management": "Agency managers", "employees": "Employees",
          "municipality": "Municipality", "county": "County"}


def _rows(folder: Path, name: str) -> list[dict]:
    with open(folder / name, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _round_of(date: str) -> str:
    return "midterm" if date <= MIDTERM else "final"


def _round_rows(folder: Path, pilot: str, phase: str) -> list[dict]:
    return [r for r in _rows(folder, "interviews/interviews.csv")
            if r["pilot"] == pilot and _round_of(r["date"]) == phase]


def _report_text(folder, pilot, phase) -> str:
    ctx = open_report(folder, pilot=pilot, phase=phase, lang="en")
    return "".join(str(part) for part in (summary_chapter(ctx), data_and_method(ctx),
                                          interviews_chapter(ctx)))


def _row_counts(markup: str, label: str) -> list[str]:
    """The numbers in the table rows headed by ``label``."""
    return [cell for row in re.findall(rf'<th scope="row">{re.escape(label)}</th>(.*?)</tr>', markup)
            for cell in re.findall(r'<td class="num">([^<]*)</td>', row)]


@pytest.fixture(scope="module")
def reports():
    return {phase: _report_text(DEMO, "stad", phase) for phase in ("midterm", "final")}


def test_a_group_with_one_interview_per_round_is_never_shown_with_its_count(reports):
    sizes = {phase: [r["stakeholder_group"] for r in _round_rows(DEMO, "stad", phase)]
             for phase in reports}
    assert all(sizes[p].count("project_management") == 1 for p in sizes), "demo changed"
    for markup in reports.values():
        assert _row_counts(markup, LABELS["project_management"]) == []
        assert "— Project management</figcaption>" not in markup


@pytest.mark.parametrize("phase", ["midterm", "final"])
def test_every_group_count_shown_is_at_least_the_threshold(reports, phase):
    markup = reports[phase]
    for label in [*LABELS.values(), "Other groups"]:
        for cell in _row_counts(markup, label):
            assert cell == "–" or int(cell.replace("\xa0", "")) >= THRESHOLD, (label, cell)


def test_the_final_report_counts_only_the_final_rounds_interviews(reports):
    rows = _round_rows(DEMO, "stad", "final")
    informants = sum(int(r["informants"]) for r in rows)
    markup = reports["final"]
    assert f"{len(rows)} interviews with {informants} informants in all" in markup
    chapter = str(interviews_chapter(open_report(DEMO, pilot="stad", phase="final", lang="en")))
    total = re.search(r'<th scope="row">Total</th><td class="num">(\d+)</td><td class="num">(\d+)</td>',
                      chapter)
    assert total and total.groups() == (str(len(rows)), str(informants))
    # Every quote shown comes from an interview of the final round.
    final_ids = {r["interview_id"] for r in rows}
    final_quotes = {re.sub(r"\s+", " ", s["quote"]).strip()[:40]
                    for s in _rows(DEMO, "interviews/segments.csv") if s["interview_id"] in final_ids}
    shown = re.findall(r"<blockquote[^>]*>\s*<p>(.*?)</p>", chapter, flags=re.S)
    assert shown
    for text in shown:
        assert html.unescape(text)[:40] in final_quotes


def test_quotes_are_attributed_only_to_groups_the_round_shows(reports):
    chapter = str(interviews_chapter(open_report(DEMO, pilot="stad", phase="final", lang="en")))
    groups_table = chapter.split("</table>")[0]
    shown = set(re.findall(r'<th scope="row">([^<]+)</th>', groups_table))
    attributed = set(re.findall(r"— ([^<]+)</figcaption>", chapter)) - {"Informant"}
    assert attributed and attributed <= shown


def _thin_out(folder: Path, pilot: str, phase: str, keep: int) -> None:
    """Keep only ``keep`` interviews of a pilot's round (and their segments)."""
    interviews = _rows(folder, "interviews/interviews.csv")
    drop = {r["interview_id"] for r in interviews
            if r["pilot"] == pilot and _round_of(r["date"]) == phase}
    drop = set(sorted(drop)[keep:])
    for name in ("interviews/interviews.csv", "interviews/segments.csv"):
        rows = _rows(folder, name)
        with open(folder / name, "w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
            writer.writeheader()
            writer.writerows(r for r in rows if r["interview_id"] not in drop)


def test_a_round_below_the_threshold_shows_no_count_of_it_anywhere(demo_copy):
    _thin_out(demo_copy, "stad", "final", keep=3)
    markup = _report_text(demo_copy, "stad", "final")
    assert "Fewer than 5 interviews were held in Stad" in markup
    assert "<td>Final evaluation</td><td class=\"num\">–</td>" in markup
    assert "<td>Final evaluation</td><td class=\"num\">3</td>" not in markup
    assert "(– in all)" in markup  # the total would give the hidden round by subtraction
    assert re.search(r'<th scope="row">Interviews[^<]*</th><td[^>]*>–</td>', markup)
    overview = str(pilots_overview(open_report(demo_copy, pilot=None, phase="final", lang="en")))
    stad = re.search(r'<th scope="row">Stad</th>(.*?)</tr>', overview).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", stad)[-1] == "–"


def test_provenance_names_no_local_path_and_only_the_files_read(demo_copy):
    ctx = open_report(demo_copy, pilot="stad", phase="midterm", lang="en")
    markup = str(provenance(ctx))
    assert str(demo_copy) not in markup and str(demo_copy.parent) not in markup
    assert str(demo_copy.resolve()) not in markup
    assert "survey/responses.csv" in markup
    assert "narratives/stad-midterm.en.md" in markup
    assert "stad-final." not in markup and "orkland-midterm." not in markup
    assert f"<td>{demo_copy.name}</td>" in markup  # the data folder by its name only
