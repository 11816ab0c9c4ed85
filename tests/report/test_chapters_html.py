"""Every chapter's HTML, on the demo data: well-formed, its headings recorded as data, and markup
from the data shown as text.

This is the fast, chapter-level companion of tests/test_privacy_canary.py (which renders whole
reports): markup is planted in a copy of the demo data -- a sub-goal text in programme.yaml, an
agency name, an approved quote and code in the evaluators' narratives -- and every chapter
function is called directly, without notebooks.
"""

from __future__ import annotations

import csv
import html as stdlib_html
import re
import shutil
from html.parser import HTMLParser

import pytest

from conftest import DEMO, read_lines, write_lines
from evaluation import report
from evaluation.contract import load_data
from evaluation.html import HtmlBlock
from evaluation.report import ReportContext

PILOT_CHAPTERS = (report.title_block, report.summary_chapter, report.about_pilot,
                  report.data_and_method, report.survey_chapter, report.interviews_chapter,
                  report.goals_chapter, report.evaluators_assessment, report.provenance)
SYNTHESIS_CHAPTERS = (report.title_block, report.pilots_overview, report.national_goals_text,
                      report.national_goals_matrix, report.index_comparison, report.common_themes,
                      report.lessons_across_pilots, report.provenance)
VOID_ELEMENTS = {"br", "hr", "img", "meta", "link", "input", "col", "wbr", "source"}

SUB_GOAL = "<script>alert('delmål')</script>"
AGENCY = "<script>alert('etat')</script>"
QUOTE = "<script>alert('sitat')</script>"
NARRATIVE = "<script>alert('vurdering')</script>"


def as_text(text: str) -> str:
    """``text`` as HTML shows it as text, written out by hand: ``&``, ``<``, ``>``, ``"``, ``'``."""
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


class WellFormed(HTMLParser):
    """Check that every element is closed, in order; collect the errors."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.open.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.errors.append(f"<{tag} /> is not a void element")

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.open[-1:] or 'nothing'}")
        else:
            self.open.pop()


def assert_well_formed(block) -> None:
    parser = WellFormed()
    parser.feed(str(block))
    parser.close()
    assert parser.errors == [] and parser.open == [], (parser.errors, parser.open)


def assert_headings_are_the_data(block: HtmlBlock) -> None:
    """Every heading with an id in the markup is one of the block's headings, in order."""
    in_markup = [(int(level), anchor, stdlib_html.unescape(text)) for level, anchor, text
                 in re.findall(r'<h([1-6]) id="([^"]+)">(.*?)</h\1>', str(block))]
    assert in_markup == [(h.level, h.anchor, h.text) for h in block.headings]


def chapters(ctx: ReportContext) -> dict:
    functions = PILOT_CHAPTERS if ctx.pilot is not None else SYNTHESIS_CHAPTERS
    blocks = {fn.__name__: fn(ctx) for fn in functions}
    if ctx.pilot is not None:
        for key in ("summary", "survey", "goals"):
            blocks[f"chapter_heading:{key}"] = report.chapter_heading(ctx, key)
    return blocks


@pytest.fixture(scope="module")
def demo_final():
    return load_data(DEMO, phase="final")


@pytest.mark.parametrize("pilot, lang", [("narvik", "en"), (None, "nb")])
def test_every_chapter_is_well_formed_html_whose_headings_are_recorded(demo_final, pilot, lang):
    ctx = ReportContext(demo_final, pilot=pilot, phase="final", lang=lang)
    for name, block in chapters(ctx).items():
        assert isinstance(block, HtmlBlock), name
        assert_well_formed(block)
        assert_headings_are_the_data(block)
        assert " style=" not in block, name


def plant_markup(data) -> None:
    """Markup in a sub-goal text, an agency name, Stad's approved quotes, and in code spans of Stad's
    and the synthesis' narratives."""
    programme = data / "programme.yaml"
    lines = read_lines(programme)
    at = lines.index("  - id: stad-d2")
    for offset in (1, 2):  # text_nb, text_en
        key = lines[at + offset].split(":")[0]
        lines[at + offset] = f"{key}: \"Styrke {SUB_GOAL} samarbeidet\""
    at = lines.index("- id: skatteetaten")
    for offset in (1, 2):  # name_nb, name_en
        key = lines[at + offset].split(":")[0]
        lines[at + offset] = f"{key}: \"Skatteetaten {AGENCY}\""
    write_lines(programme, lines)

    with open(data / "interviews/interviews.csv", encoding="utf-8", newline="") as handle:
        stad = {row["interview_id"] for row in csv.DictReader(handle) if row["pilot"] == "stad"}
    with open(data / "interviews/segments.csv", encoding="utf-8", newline="") as handle:
        segments = list(csv.DictReader(handle))
    for segment in segments:
        if segment["interview_id"] in stad and segment["quote_approved"] == "yes":
            segment["quote"] = f"{QUOTE} {segment['quote']}"
    with open(data / "interviews/segments.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(segments[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(segments)

    # Raw HTML in a narrative is refused by validation; in a code span it is text, and stays text.
    for name in ("stad-midterm.nb.md", "synthesis-midterm.nb.md"):
        narrative = data / "narratives" / name
        lines = read_lines(narrative)
        for heading in ("## Vurderinger", "## Lærdommer på tvers av pilotene"):
            if heading in lines:
                lines.insert(lines.index(heading) + 2, f"Merk: `{NARRATIVE}`\n")
        write_lines(narrative, lines)


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    data = tmp_path_factory.mktemp("markup") / "data"
    shutil.copytree(DEMO, data)
    plant_markup(data)
    return load_data(data, phase="midterm")


def test_markup_in_the_data_comes_out_of_the_chapters_as_text(planted):
    ctx = ReportContext(planted, pilot="stad", phase="midterm")
    blocks = chapters(ctx)
    for name, block in blocks.items():
        assert "<script" not in block.lower(), name
        assert_well_formed(block)
        assert_headings_are_the_data(block)
    expected = {
        "about_pilot": (SUB_GOAL, AGENCY),
        "summary_chapter": (SUB_GOAL,),
        "goals_chapter": (SUB_GOAL,),
        "survey_chapter": (AGENCY,),
        "interviews_chapter": (QUOTE,),
        "evaluators_assessment": (NARRATIVE,),
    }
    for name, texts in expected.items():
        for text in texts:
            assert as_text(text) in blocks[name], (name, text)
    assert f"<blockquote><p>{as_text(QUOTE)} " in blocks["interviews_chapter"]


def test_markup_in_the_data_comes_out_of_the_synthesis_as_text(planted):
    ctx = ReportContext(planted, pilot=None, phase="midterm")
    blocks = chapters(ctx)
    for name, block in blocks.items():
        assert "<script" not in block.lower(), name
        assert_well_formed(block)
    assert f"<code>{as_text(NARRATIVE)}</code>" in blocks["lessons_across_pilots"]
