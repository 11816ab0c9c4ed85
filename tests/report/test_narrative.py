"""The evaluators' narrative in a report: Markdown rendered safely, placed by section, in the
report's language or, for an English report, falling back to bokmål and saying so.

Expected markup is written out by hand (markupsafe escapes ``&``, ``<``, ``>``, ``"`` as ``&#34;``
and ``'`` as ``&#39;``).
"""

from __future__ import annotations

import pytest

from conftest import DEMO, read_lines, write_lines
from evaluation.contract import load_data
from evaluation.html import HtmlBlock
from evaluation.report import ReportContext, evaluators_assessment, lessons_across_pilots, summary_chapter
from evaluation.report.narrative import (
    markdown_html, narrative_heading, narrative_language_note, narrative_section,
)


def render(source: str, *, heading_level: int = 4) -> str:
    block = markdown_html(source, lang="nb", heading_level=heading_level)
    assert isinstance(block, HtmlBlock)
    markup = str(block)
    prefix, suffix = '<div class="narrative" lang="nb">', "</div>"
    assert markup.startswith(prefix) and markup.endswith(suffix)
    return markup[len(prefix):-len(suffix)]


# ------------------------------------------------------------------------------- rendering
def test_paragraphs_emphasis_and_line_breaks():
    assert render("Første *viktig* og **svært viktig**\nlinje.\n\nAndre  \navsnitt.") == (
        "<p>Første <em>viktig</em> og <strong>svært viktig</strong>\nlinje.</p><p>Andre<br />avsnitt.</p>")


def test_lists_keep_their_numbering_and_tight_items_have_no_paragraphs():
    assert render("- a\n- b") == "<ul><li>a</li><li>b</li></ul>"
    assert render("3. tre\n4. fire") == '<ol start="3"><li>tre</li><li>fire</li></ol>'
    assert render("1. en\n\n2. to") == "<ol><li><p>en</p></li><li><p>to</p></li></ol>"


def test_a_link_is_its_text_followed_by_its_address_and_is_not_clickable():
    markup = render("Se [DFØs veileder](https://dfo.no/veileder \"tittel\") og <https://www.regjeringen.no>.")
    assert markup == "<p>Se DFØs veileder (https://dfo.no/veileder) og https://www.regjeringen.no.</p>"
    assert "<a" not in markup and "href" not in markup


def test_a_link_address_is_shown_as_written_not_percent_encoded():
    assert render("[side](https://dfo.no/område)") == "<p>side (https://dfo.no/område)</p>"


def test_a_script_link_is_not_a_link_and_stays_text():
    # markdown-it refuses javascript: as a link destination; the brackets stay text
    assert render("[klikk](javascript:alert(1))") == "<p>[klikk](javascript:alert(1))</p>"


def test_headings_inside_a_section_move_below_the_reports_heading():
    assert render("### Funn\n\n#### Detalj", heading_level=4) == "<h4>Funn</h4><h5>Detalj</h5>"
    assert render("### Funn\n\n###### Dypt", heading_level=5) == "<h5>Funn</h5><h6>Dypt</h6>"
    with pytest.raises(ValueError):
        markdown_html("x", lang="nb", heading_level=7)


def test_code_quotes_and_rules():
    assert render("`a < b`\n\n    kode & mer\n\n> sitat\n\n---") == (
        "<p><code>a &lt; b</code></p><pre><code>kode &amp; mer\n</code></pre>"
        "<blockquote><p>sitat</p></blockquote><hr />")


def test_markup_that_validation_refuses_is_text_if_it_ever_reaches_the_renderer():
    assert render("Hei <script>alert('x')</script>") == (
        "<p>Hei &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;</p>")
    assert render("<div onclick=\"x\">\nblokk\n</div>") == "&lt;div onclick=&#34;x&#34;&gt;\nblokk\n&lt;/div&gt;"
    assert render("![kart](x.png)") == "<p>[kart]</p>"


def test_a_heading_in_a_section_is_not_registered_for_the_table_of_contents():
    assert markdown_html("### Funn", lang="en", heading_level=4).headings == ()


# ------------------------------------------------------------------------- in the report
@pytest.fixture(scope="module")
def final():
    return load_data(DEMO, phase="final")


def test_a_section_of_the_reports_own_narrative_is_rendered_from_its_markdown(final):
    ctx = ReportContext(final, pilot="lyngdal", phase="final", lang="en")
    source = final.narratives[("lyngdal", "final", "en")].sections["lyngdal-d2"]
    assert str(narrative_section(ctx, "lyngdal-d2")) == str(markdown_html(source, lang="en", heading_level=4))
    assert str(narrative_section(ctx, "lyngdal-d2")).startswith(
        '<div class="narrative" lang="en"><p>Travel costs per employee have fallen clearly')
    assert narrative_section(ctx, "what_worked") is None  # a section the pilot narrative cannot have
    synthesis = ReportContext(final, pilot=None, phase="final", lang="nb")
    assert "Faste faglige møteplasser virket." in narrative_section(synthesis, "what_worked")
    assert "Lyngdal" in narrative_section(synthesis, "summary", subject="lyngdal")


def test_section_headings_are_in_the_reports_language(final):
    ctx = ReportContext(final, pilot="narvik", phase="final", lang="en")
    assert narrative_heading(ctx, "conclusions") == "Conclusions"
    assert narrative_heading(ctx, "narvik-d2") == "Sub-goal narvik-d2"
    synthesis = ReportContext(final, pilot=None, phase="final", lang="nb")
    assert narrative_heading(synthesis, "lessons") == "Lærdommer på tvers av pilotene"


def test_the_assessment_chapter_shows_assessments_and_conclusions_under_their_headings(final):
    from evaluation.report import recommendations

    ctx = ReportContext(final, pilot="stad", phase="final", lang="nb")
    block = evaluators_assessment(ctx)
    assert [(h.level, h.anchor, h.text) for h in block.headings] == [
        (3, "assessment-assessments", "Vurderinger"), (3, "assessment-conclusions", "Konklusjoner")]
    assert str(recommendations(ctx)).startswith('<div class="narrative" lang="nb"><p>Til departementet:')
    synthesis = evaluators_assessment(ReportContext(final, pilot=None, phase="final", lang="en"))
    assert [h.text for h in synthesis.headings] == ["What worked where and why", "Conclusions"]


def test_the_summary_chapter_shows_the_evaluators_summary_after_the_key_findings(final):
    block = str(summary_chapter(ReportContext(final, pilot="orkland", phase="final", lang="nb")))
    assert block.startswith('<h3 id="key-findings">Hovedfunn</h3>')
    assert ('<h3 id="evaluators-summary">Evaluatorenes sammendrag</h3>'
            '<div class="narrative" lang="nb"><p>Orkland har nådd målet for scenarioarbeidet') in block


def test_the_synthesis_lessons_are_prose_from_its_narrative(final):
    block = str(lessons_across_pilots(ReportContext(final, pilot=None, phase="final", lang="en")))
    assert block.startswith('<div class="narrative" lang="en"><p>Collaboration grows from routines, not from plans.')
    assert "<table" not in block and block.count("<p>") == 4  # four paragraphs, as the file has


def test_an_english_report_shows_the_bokmal_text_marked_as_bokmal_and_says_so(demo_copy):
    for name in ("stad-final.en.md", "synthesis-final.en.md"):
        (demo_copy / "narratives" / name).unlink()
    data = load_data(demo_copy, phase="final")
    ctx = ReportContext(data, pilot="stad", phase="final", lang="en")
    note = '<p class="note">The evaluators&#39; text is available in Norwegian (bokmål) only.</p>'
    assert str(narrative_language_note(ctx)) == note
    block = str(evaluators_assessment(ctx))
    assert block.startswith(note + '<h3 id="assessment-assessments">Assessments</h3>'
                                   '<div class="narrative" lang="nb">')
    lessons = str(lessons_across_pilots(ReportContext(data, pilot=None, phase="final", lang="en")))
    assert lessons.startswith(note + '<div class="narrative" lang="nb"><p>Samarbeid vokser av rutiner')
    assert narrative_language_note(ReportContext(data, pilot="narvik", phase="final", lang="en")) is None


def test_a_missing_narrative_or_section_is_said_not_hidden(demo_copy):
    for lang in ("nb", "en"):
        (demo_copy / f"narratives/orkland-final.{lang}.md").unlink()
    path = demo_copy / "narratives/synthesis-final.nb.md"
    lines = read_lines(path)
    start = lines.index("## Lærdommer på tvers av pilotene")
    end = lines.index("## Konklusjoner")
    write_lines(path, lines[:start] + lines[end:])
    (demo_copy / "narratives/synthesis-final.en.md").unlink()
    data = load_data(demo_copy, phase="final")
    ctx = ReportContext(data, pilot="orkland", phase="final", lang="nb")
    assert narrative_section(ctx, "summary") is None
    assert str(evaluators_assessment(ctx)) == (
        "<p>Evaluatorene har ikke levert en skriftlig vurdering for denne fasen.</p>")
    assert str(lessons_across_pilots(ReportContext(data, pilot=None, phase="final", lang="nb"))) == (
        "<p>Evaluatorene har ikke levert lærdommer på tvers av pilotene for denne fasen.</p>")
