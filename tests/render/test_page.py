"""The HTML the pipeline writes: the report page around an exported notebook, its table of
contents, and the index page.

Every value a template shows is escaped: a title, heading or index entry that carries markup from
the data comes out as text. Reference markup is written out by hand in the tests.
"""

from __future__ import annotations

import json
import re

from evaluation.render.fingerprints import MANIFEST_SCHEMA
from evaluation.render.page import Heading, headings_from_body, html_page, page_title, toc_entries, write_index

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"

BODY = ('<h1 id="top">Midtveisevaluering: Stad</h1>\n<p class="subtitle">Pilot Statens hus</p>'
        '<h2 id="summary">Sammendrag</h2><h3 id="glance">Status</h3>'
        '<h2 id="about">Om &amp; rundt <em>piloten</em></h2>')


def test_headings_are_the_h2_and_h3_with_an_id_as_plain_text():
    assert headings_from_body(BODY + "<h2>No id</h2><h4 id='x'>Too deep</h4>") == [
        Heading(2, "summary", "Sammendrag"), Heading(3, "glance", "Status"), Heading(2, "about", "Om & rundt piloten")]


def test_sections_nest_under_the_chapter_before_them():
    entries = toc_entries([Heading(3, "a", "A"), Heading(2, "b", "B"), Heading(3, "c", "C"), Heading(2, "d", "D")])
    assert [(e.heading and e.heading.anchor, [s.anchor for s in e.sections]) for e in entries] == [
        (None, ["a"]), ("b", ["c"]), ("d", [])]


def test_the_table_of_contents_follows_the_title_block():
    page = html_page(BODY, lang="nb", title="Midtveisevaluering: Stad")
    toc = ('<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">Innhold</h2><ol>'
           '<li><a href="#summary">Sammendrag</a><ul><li><a href="#glance">Status</a></li></ul></li>'
           '<li><a href="#about">Om &amp; rundt piloten</a></li></ol></nav>')
    assert '<p class="subtitle">Pilot Statens hus</p>' + toc + '<h2 id="summary">' in page
    assert page.startswith('<!DOCTYPE html>\n<html lang="nb">\n<head>\n<meta charset="utf-8">\n')
    assert page.endswith('<main id="main">\n' + BODY.replace("</p>", "</p>" + toc, 1) + "\n</main>\n</body>\n</html>\n")


def test_a_page_without_a_title_block_starts_with_its_table_of_contents_and_toc_false_has_none():
    assert '<main id="main">\n<nav class="toc"' in html_page("<h2 id='a'>A</h2>", lang="en", title="T")
    assert "<nav" not in html_page(BODY, lang="en", title="T", toc=False)


def test_the_stylesheet_is_inline_and_no_element_carries_a_style_attribute():
    page = html_page(BODY, lang="nb", title="T")
    assert "<style>\n/* Report style" in page and "nav.toc {" in page
    assert " style=" not in page


def test_markup_in_a_title_or_heading_comes_out_escaped():
    body = f'<h1 id="top">{ESCAPED}</h1><h2 id="a">{ESCAPED}</h2><h3 id="b">x &lt;b&gt;</h3>'
    title = page_title(body, "fallback")
    assert title == SCRIPT
    page = html_page(body, lang="en", title=title)
    assert "<script" not in page
    assert f"<title>{ESCAPED}</title>" in page
    assert f'<a href="#a">{ESCAPED}</a>' in page and '<a href="#b">x &lt;b&gt;</a>' in page


def write_manifest(out, reports: dict) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for entry in reports.values():
        (out / entry["html"]).parent.mkdir(parents=True, exist_ok=True)
        (out / entry["html"]).write_text("<html></html>", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps({"schema": MANIFEST_SCHEMA, "reports": reports}), encoding="utf-8")


def entry(phase: str, pilot: str | None, **fields) -> dict:
    return {"phase": phase, "pilot": pilot, "lang": "nb", "html": f"{phase}/{pilot or 'synthesis'}.html",
            "data_version": "2d6304eca141", "generated": "2026-01-02T03:04:05Z", **fields}


def test_an_index_entry_with_markup_comes_out_escaped(tmp_path):
    write_manifest(tmp_path, {"midterm/x": entry("midterm", SCRIPT, html="midterm/x.html", data_version=SCRIPT),
                              f"{SCRIPT}/y": entry(SCRIPT, "y", html="y.html")})
    page = write_index(tmp_path, phases=["midterm"]).read_text(encoding="utf-8")
    assert "<script" not in page
    assert f"<th scope=\"row\"><a href=\"midterm/x.html\" hreflang=\"nb\">{ESCAPED.capitalize()}</a></th>" in page
    assert f"<code>{ESCAPED}</code>" in page and f'<h2 id="{ESCAPED}">{ESCAPED}</h2>' in page


def test_the_index_lists_phases_in_the_programmes_order_and_pilots_before_the_synthesis(tmp_path):
    write_manifest(tmp_path, {"a/stad": entry("a", "stad"), "a/synthesis": entry("a", None),
                              "b/narvik": entry("b", "narvik"), "c/stad": entry("c", "stad"),
                              "midterm/stad": entry("midterm", "stad")})
    page = write_index(tmp_path, phases=["midterm", "c", "b"]).read_text(encoding="utf-8")
    assert re.findall(r'<h2 id="([^"]+)">([^<]+)</h2>', page) == [
        ("midterm", "Midtveisevaluering"), ("c", "c"), ("b", "b"), ("a", "a")]
    assert page.index('href="a/stad.html"') < page.index('href="a/synthesis.html"')
    assert '<td>2026-01-02 03:04:05 UTC</td>' in page


def test_an_index_entry_whose_report_is_missing_is_left_out(tmp_path):
    write_manifest(tmp_path, {"midterm/stad": entry("midterm", "stad"), "midterm/narvik": entry("midterm", "narvik")})
    (tmp_path / "midterm/narvik.html").unlink()
    page = write_index(tmp_path, phases=["midterm"]).read_text(encoding="utf-8")
    assert 'href="midterm/stad.html"' in page and "narvik" not in page


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
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.S).group(0)
    headings = headings_from_body(page.replace(toc, ""))
    assert len(headings) > 10
    assert re.findall(r'href="#([^"]+)"', toc) == [heading.anchor for heading in headings]
