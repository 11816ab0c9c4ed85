"""The reports as a reader gets them: structure, language, self-containment and correct numbers.

Reads the session's rendered demo reports (conftest.demo_reports): every pilot and the synthesis
in both phases in bokmål, and Stad in English.
"""

from __future__ import annotations

import csv
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DEMO

pytestmark = pytest.mark.notebook

NBCONVERT_PLACEHOLDER = "No description has been provided for this image"


class Outline(HTMLParser):
    """Headings (level, id, text), images (alt), and the html element's lang."""

    def __init__(self):
        super().__init__()
        self.headings: list[tuple[int, str, str]] = []
        self.images: list[str | None] = []
        self.lang = None
        self._heading: list | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif re.fullmatch(r"h[1-6]", tag):
            self._heading = [int(tag[1]), attrs.get("id"), ""]
        elif tag == "img":
            self.images.append(attrs.get("alt"))

    def handle_endtag(self, tag):
        if re.fullmatch(r"h[1-6]", tag) and self._heading is not None:
            self.headings.append(tuple(self._heading))
            self._heading = None

    def handle_data(self, data):
        if self._heading is not None:
            self._heading[2] += data


def outline(path: Path) -> Outline:
    parser = Outline()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def pages(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.html") if p.name != "index.html")


def test_all_reports_were_rendered(demo_reports):
    names = {str(p.relative_to(demo_reports)) for p in pages(demo_reports)}
    expected = {f"{phase}/{pilot}.html" for phase in ("midterm", "final")
                for pilot in ("stad", "orkland", "narvik", "lyngdal", "synthesis")}
    expected |= {"midterm/stad.en.html", "final/stad.en.html"}
    assert names == expected


def test_every_report_has_one_title_and_headings_in_order(demo_reports):
    for path in pages(demo_reports):
        headings = outline(path).headings
        assert [h[0] for h in headings].count(1) == 1 and headings[0][0] == 1, path
        for (previous, *_), (level, _anchor, text) in zip(headings, headings[1:]):
            assert level <= previous + 1, f"{path}: heading {text!r} jumps from h{previous} to h{level}"
        for level, anchor, text in headings:
            assert text.strip(), f"{path}: empty h{level}"
            if level in (2, 3):
                assert anchor, f"{path}: h{level} {text!r} has no anchor for the table of contents"


def test_every_report_declares_its_language(demo_reports):
    for path in pages(demo_reports):
        assert outline(path).lang == ("en" if path.name.endswith(".en.html") else "nb"), path


def test_no_code_prompts_or_parameters_in_any_report(demo_reports):
    for path in pages(demo_reports):
        text = path.read_text(encoding="utf-8")
        for marker in ("input_area", "In&nbsp;[", "open_report(", "display(", "import evaluation",
                       "Traceback", "pilot = ", "data_dir = "):
            assert marker not in text, f"{marker!r} in {path}"


def test_no_request_to_another_host_and_no_scripts(demo_reports):
    for path in [*pages(demo_reports), demo_reports / "index.html"]:
        text = path.read_text(encoding="utf-8")
        assert re.findall(r'(?:src|href)\s*=\s*["\']?(?:https?:)?//', text) == [], path
        assert "<script" not in text and "@import" not in text, path


def test_every_figure_has_real_alt_text_and_a_data_table(demo_reports):
    for path in pages(demo_reports):
        parsed = outline(path)
        assert parsed.images, f"{path} has no figure"
        for alt in parsed.images:
            assert alt and len(alt) > 20 and NBCONVERT_PLACEHOLDER not in alt, f"{path}: alt {alt!r}"
        text = path.read_text(encoding="utf-8")
        assert text.count('<figure class="report-figure">') == text.count('<details class="figure-data"')


def _agency_scores_from_csv(pilot: str, wave: str, items: list[str], reverse: set[str]) -> dict:
    """The 'collaboration' index scores per agency, computed from the CSV with the contract's
    rule: reverse-keyed items scored 6 - code, 'vet ikke' (9) and blanks left out, a score only
    when at least half of the index's items are answered."""
    scores: dict[str, list[float]] = {}
    with open(DEMO / "survey/responses.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["pilot"] != pilot or row["wave"] != wave:
                continue
            values = []
            for item in items:
                code = row[item]
                if code in ("", "9"):
                    continue
                values.append(6 - int(code) if item in reverse else int(code))
            if 2 * len(values) >= len(items):
                scores.setdefault(row["agency"], []).append(sum(values) / len(values))
    return scores


def test_a_weighted_index_mean_computed_from_the_csv_appears_with_a_decimal_comma(demo_reports):
    # Stad 2021: every agency has at least five respondents with a score, so none is hidden and
    # the post-stratified mean is each agency's mean weighted by its invited staff
    # (population.csv): sum_h N_h / N * mean_h (Holt and Smith 1979). R's survey package gives
    # 3.061423761 for the same scores (evaluation/survey/weighting.py, weighted_index_means).
    scores = _agency_scores_from_csv("stad", "2021", ["Q01", "Q02", "Q03", "Q04"], {"Q03"})
    assert min(len(values) for values in scores.values()) >= 5
    with open(DEMO / "survey/population.csv", encoding="utf-8") as stream:
        invited = {row["agency"]: int(row["invited"]) for row in csv.DictReader(stream)
                   if row["pilot"] == "stad" and row["wave"] == "2021"}
    total = sum(invited[agency] for agency in scores)
    mean = sum(invited[agency] / total * sum(values) / len(values) for agency, values in scores.items())
    assert abs(mean - 3.061423761) < 1e-9
    text = (demo_reports / "midterm/stad.html").read_text(encoding="utf-8")
    assert f">{mean:.2f}<".replace(".", ",") in text
    english = (demo_reports / "midterm/stad.en.html").read_text(encoding="utf-8")
    assert f">{mean:.2f}<" in english


def test_english_reports_are_in_english(demo_reports):
    text = (demo_reports / "final/stad.en.html").read_text(encoding="utf-8")
    assert "<title>Final evaluation: Stad</title>" in text
    assert "Contents" in text and "Innhold" not in text
    assert "Appendix: the survey in detail" in text and "Vedlegg: spørreundersøkelsen i detalj" not in text


def test_final_report_adds_change_since_midterm_and_lasting_results(demo_reports):
    final = (demo_reports / "final/narvik.html").read_text(encoding="utf-8")
    midterm = (demo_reports / "midterm/narvik.html").read_text(encoding="utf-8")
    for marker in ("survey-h-change-since-midterm", "goals-heading-change", "goals-heading-lasting"):
        assert f'id="{marker}"' in final and f'id="{marker}"' not in midterm


def test_synthesis_compares_the_four_pilots_against_the_national_goals(demo_reports):
    text = (demo_reports / "final/synthesis.html").read_text(encoding="utf-8")
    for pilot in ("Stad", "Orkland", "Narvik", "Lyngdal"):
        assert pilot in text
    for goal in ("N1", "N2", "N3", "N4", "N5"):
        assert f">{goal}<" in text
    assert 'id="national-goals"' in text and 'id="common-themes"' in text and 'id="lessons"' in text


def test_index_lists_every_report_with_the_date_its_data_run_to_and_its_time(demo_reports):
    index = (demo_reports / "index.html").read_text(encoding="utf-8")
    for path in pages(demo_reports):
        assert f'href="{path.relative_to(demo_reports)}"' in index
    assert "<td>31. desember 2022</td>" in index and "<td>31. desember 2024</td>" in index  # the cut-offs
    assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC", index)
    assert not re.search(r"<code>[0-9a-f]{12}</code>", index)  # no fingerprint for the reader
