"""The HTML the pipeline writes: the report page around an exported notebook, and its table of
contents (from the headings the notebook's outputs carry as data). The index page is tested in
``test_index.py``.

Every value a template shows is escaped: a title, heading or index entry that carries markup from
the data comes out as text. Reference markup is written out by hand in the tests.
"""

from __future__ import annotations

import json
import re

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from evaluation import html
from evaluation.html import Heading
from evaluation.render.page import html_page, notebook_headings, page_title, toc_entries

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

BODY = ('<h1 id="top">Midtveisevaluering: Stad</h1>\n<p class="subtitle">Pilot Statens hus</p>'
        '<h2 id="summary">Sammendrag</h2><h3 id="glance">Status</h3>'
        '<h2 id="about">Om &amp; rundt <em>piloten</em></h2>')
HEADINGS = [Heading(1, "top", "Midtveisevaluering: Stad"), Heading(2, "summary", "Sammendrag"),
            Heading(3, "glance", "Status"), Heading(2, "about", "Om & rundt piloten")]


def displayed(*blocks, output_type="display_data"):
    """The outputs IPython writes for ``display(*blocks)``: markup, and the headings as metadata."""
    outputs = []
    for block in blocks:
        markup, metadata = block._repr_html_(), {}
        if isinstance(markup, tuple):
            markup, metadata = markup[0], {"text/html": markup[1]}
        output = new_output(output_type, data={"text/html": markup}, metadata=metadata)
        if output_type == "execute_result":
            output.execution_count = 1
        outputs.append(output)
    return outputs


def report_notebook(title: str = "Midtveisevaluering: Stad", chapter: str = "Om & rundt piloten"):
    """A small executed report: a title, two chapters with a section, and cells the page leaves out."""
    removed = new_code_cell("display(...)", metadata={"tags": ["remove_cell"]},
                            outputs=displayed(html.heading("Skjult", key="hidden", level=2)))
    return new_notebook(cells=[
        new_markdown_cell("## Markdown is not a report heading"),
        new_code_cell("display(title_block(ctx))", outputs=displayed(
            html.join(html.heading(title, key="top", level=1),
                      html.paragraph("Pilot Statens hus", css_class="subtitle")))),
        new_code_cell("display(...)", outputs=displayed(
            html.heading("Sammendrag", key="summary", level=2),
            html.join(html.paragraph("tekst"), html.heading("Status", key="glance"),
                      html.heading("Tema", key=None, level=4)))),
        removed,
        new_code_cell("print('x')", outputs=[new_output("stream", name="stdout", text="x\n")]),
        new_code_cell("chapter", outputs=displayed(html.heading(chapter, key="about", level=2),
                                                    output_type="execute_result")),
    ])


def test_the_headings_are_collected_from_the_outputs_metadata_in_order():
    notebook = nbformat.from_dict(json.loads(nbformat.writes(report_notebook())))  # as read from disk
    assert notebook_headings(notebook) == [
        Heading(1, "top", "Midtveisevaluering: Stad"), Heading(2, "summary", "Sammendrag"),
        Heading(3, "glance", "Status"), Heading(2, "about", "Om & rundt piloten")]


def test_the_title_is_the_level_one_heading():
    assert page_title(HEADINGS, "fallback") == "Midtveisevaluering: Stad"
    assert page_title(HEADINGS[1:], "fallback") == "fallback"


def test_sections_nest_under_the_chapter_before_them_and_other_levels_are_left_out():
    entries = toc_entries([Heading(3, "a", "A"), Heading(1, "top", "T"), Heading(2, "b", "B"),
                           Heading(3, "c", "C"), Heading(4, "x", "X"), Heading(2, "d", "D")])
    assert [(e.heading and e.heading.anchor, [s.anchor for s in e.sections]) for e in entries] == [
        (None, ["a"]), ("b", ["c"]), ("d", [])]


def test_the_table_of_contents_follows_the_title_block():
    page = html_page(BODY, lang="nb", title="Midtveisevaluering: Stad", headings=HEADINGS)
    toc = ('<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Innhold</h2><ol>'
           '<li><a href="#summary">Sammendrag</a><ul><li><a href="#glance">Status</a></li></ul></li>'
           '<li><a href="#about">Om &amp; rundt piloten</a></li></ol></nav>')
    assert '<p class="subtitle">Pilot Statens hus</p>' + toc + '<h2 id="summary">' in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n')
    assert page.endswith('<main id="main">\n' + BODY.replace("</p>", "</p>" + toc, 1) + "\n</main>\n</body>\n</html>\n")


def test_the_table_of_contents_follows_the_demo_banner_and_the_subtitle():
    body = BODY.replace('<p class="subtitle">', '<p class="demo-banner">Syntetiske demodata</p><p class="subtitle">', 1)
    page = html_page(body, lang="nb", title="Midtveisevaluering: Stad", headings=HEADINGS)
    banner, subtitle, toc = (page.index('class="demo-banner"'), page.index('class="subtitle"'),
                             page.index('<nav class="toc"'))
    assert banner < subtitle < toc


def test_a_page_without_a_title_block_starts_with_its_table_of_contents_and_no_headings_no_toc():
    page = html_page("<h2 id='a'>A</h2>", lang="en", title="T", headings=[Heading(2, "a", "A")])
    assert '<main id="main">\n<nav class="toc"' in page
    assert "<nav" not in html_page(BODY, lang="en", title="T")


def test_the_stylesheet_is_inline_and_no_element_carries_a_style_attribute():
    page = html_page(BODY, lang="nb", title="T", headings=HEADINGS)
    assert "<style>\n/* Report style" in page and "nav.toc {" in page and "}\n\n</style>" in page
    assert " style=" not in page


def test_markup_in_a_title_or_heading_comes_out_escaped():
    notebook = report_notebook(title=SCRIPT, chapter=f"{SCRIPT} 'x'")
    headings = notebook_headings(notebook)
    title = page_title(headings, "fallback")
    assert title == SCRIPT
    page = html_page("<h1>…</h1>", lang="en", title=title, headings=headings)
    assert "<script" not in page
    assert f"<title>{ESCAPED}</title>" in page
    assert f'<a href="#about">{ESCAPED} &#39;x&#39;</a>' in page


# --------------------------------------------------------------------------------------------
# A rendered demo report (conftest.demo_reports)
# --------------------------------------------------------------------------------------------


def test_a_rendered_report_has_no_code_prompts_or_parameters(demo_reports):
    page = (demo_reports / "midterm/stad.html").read_text(encoding="utf-8")
    assert "open_report" not in page and "In&nbsp;[" not in page and "input_area" not in page
    assert 'pilot = "stad"' not in page


def test_a_rendered_report_is_self_contained(demo_reports):
    page = (demo_reports / "midterm/stad.html").read_text(encoding="utf-8")
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', page)
    assert external == []
    assert "<script" not in page


def test_a_rendered_report_has_a_table_of_contents_of_its_chapters_and_sections(demo_reports):
    page = (demo_reports / "midterm/stad.html").read_text(encoding="utf-8")
    notebook = nbformat.read(demo_reports / "midterm/stad.ipynb", as_version=4)
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    in_page = re.findall(r'<h[23] id="([^"]+)">', page.replace(toc, ""))
    assert len(in_page) > 10
    assert re.findall(r'href="#([^"]+)"', toc) == in_page
    assert [h.anchor for h in notebook_headings(notebook) if h.level in (2, 3)] == in_page


def test_in_every_rendered_report_the_title_block_comes_before_the_table_of_contents(demo_reports):
    for page in sorted(demo_reports.glob("*/*.html")):
        text = page.read_text(encoding="utf-8")
        toc = text.index('<nav class="toc"')
        assert text.index('class="subtitle"') < toc, page
        assert text.index('class="demo-banner"') < toc, page


def test_the_exported_outputs_are_the_page_nbconverts_own_exporter_gives():
    """The exporter skips nbconvert's BeautifulSoup pass (it only re-serialises the page for the
    basic template) and adds the alternative text of an image without one itself: parsed, the
    page is the one nbconvert's ``HTMLExporter`` writes, element by element."""
    import copy

    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    from evaluation.render.page import MISSING_ALT_TEXT, REMOVE_CELL_TAG, notebook_body

    pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
    notebook = new_notebook(cells=[
        new_markdown_cell("# Tittel\n\nTekst med *vekt* & <b>markering</b>, æøå."),
        new_code_cell("x", outputs=[
            new_output("display_data", data={"text/html":
                                             '<figure><img src="data:image/png;base64,x" alt="En figur">'
                                             '<figcaption>Figur 1</figcaption></figure>'}),
            new_output("display_data", data={"image/png": pixel, "text/plain": "<Figure>"}),
            new_output("stream", name="stdout", text="utskrift\n"),
            new_output("execute_result", data={"text/html": "<table><tr><th>a</th></tr><tr><td>1</td></tr></table>",
                                               "text/plain": "a"}, execution_count=1),
        ]),
        new_code_cell("hidden", metadata={"tags": [REMOVE_CELL_TAG]},
                      outputs=[new_output("stream", name="stdout", text="skjult\n")]),
    ])
    notebook.metadata["language_info"] = {"name": "python"}
    ours = notebook_body(copy.deepcopy(notebook))
    reference = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                             exclude_output_prompt=True)
    reference.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={REMOVE_CELL_TAG}), enabled=True)
    theirs, _ = reference.from_notebook_node(copy.deepcopy(notebook))
    assert str(BeautifulSoup(ours, "html.parser")) == theirs
    assert f'alt="{MISSING_ALT_TEXT}"' in ours and 'alt="En figur"' in ours and "skjult" not in ours
