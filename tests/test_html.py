"""Tests of the HTML fragments (evaluation.html) and of the tables, figures and results chain
rendered through them: data strings always come out as text, headings travel as data."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from markupsafe import Markup

from evaluation import html
from evaluation.html import Heading, HtmlBlock
from evaluation.plots.base import STATUS_STYLE, ReportFigure
from evaluation.report.results_chain import results_chain_html, status_class
from evaluation.tables import frame_to_html

SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = '"><img src=x onerror=alert(1)>'
# Written out by hand: <, >, & and " as character references (markupsafe spells " as &#34;).
SCRIPT_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
ATTRIBUTE_ESCAPED = "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"


def assert_only_text(markup: str, *escaped: str) -> None:
    """No element or attribute was injected, and every hostile string is there as escaped text."""
    assert "<script" not in markup and "<img src=x" not in markup
    for text in escaped:
        assert text in markup


# ------------------------------------------------------------------------------ the fragments
@pytest.mark.parametrize("hostile, escaped", [(SCRIPT, SCRIPT_ESCAPED),
                                              (ATTRIBUTE, ATTRIBUTE_ESCAPED)])
def test_every_text_fragment_escapes_the_data(hostile, escaped):
    blocks = [
        html.heading(hostile, key="section"),
        html.heading(hostile, key=None, level=4),
        html.paragraph(hostile),
        html.paragraph(hostile, css_class="subtitle"),
        html.note(hostile),
        html.bullet_list([hostile, hostile]),
        html.quote(hostile, attribution=hostile),
    ]
    for block in blocks:
        assert isinstance(block, HtmlBlock)
        assert_only_text(block, escaped)
    assert blocks[5].count(escaped) == 2 and blocks[6].count(escaped) == 2


def test_fragments_give_the_markup_the_chapters_wrote_by_hand():
    assert html.heading("Mål & tiltak", key="goals.heading.status") == (
        '<h3 id="goals-heading-status">Mål &amp; tiltak</h3>')
    assert html.heading("Rapport", key="top", level=1) == '<h1 id="top">Rapport</h1>'
    assert html.heading("Tema", key=None, level=4) == "<h4>Tema</h4>"
    assert html.paragraph("Det er 'bra'") == "<p>Det er &#39;bra&#39;</p>"
    assert html.paragraph("x", css_class="suppression-note") == '<p class="suppression-note">x</p>'
    assert html.note("Merk") == '<p class="note">Merk</p>'
    assert html.bullet_list(["a", 2]) == "<ul><li>a</li><li>2</li></ul>"
    assert html.quote("Vi deler kontor.", attribution="Ansatt i kommunen") == (
        '<figure class="quote"><blockquote><p>Vi deler kontor.</p></blockquote>'
        "<figcaption>Ansatt i kommunen</figcaption></figure>")


def test_a_heading_key_gives_a_language_independent_anchor():
    assert html.anchor_id("interviews.heading.Quotes") == "interviews-heading-quotes"
    assert html.anchor_id("status-at-a-glance") == "status-at-a-glance"
    with pytest.raises(ValueError):
        html.heading("x", key="x", level=7)


# ------------------------------------------------------------------------- join and headings
def test_join_escapes_plain_strings_and_trusts_blocks_and_markup():
    block = html.join(html.paragraph("a"), SCRIPT, Markup("<hr />"), html.note("b"))
    assert block == f'<p>a</p>{SCRIPT_ESCAPED}<hr /><p class="note">b</p>'
    assert isinstance(block, HtmlBlock)
    with pytest.raises(TypeError):
        html.join(html.paragraph("a"), 3)


def test_headings_are_recorded_as_data_and_joined_in_order():
    chapter = html.heading("Kapittel <1>", key="chapter.one", level=2)
    section = html.heading("Del", key="part")
    untitled = html.heading("Uten anker", key=None, level=4)
    assert chapter.headings == (Heading(2, "chapter-one", "Kapittel <1>"),)
    assert untitled.headings == ()
    nested = html.join(chapter, html.join(html.paragraph("tekst"), section, untitled))
    assert nested.headings == (Heading(2, "chapter-one", "Kapittel <1>"), Heading(3, "part", "Del"))
    assert html.join("<h2 id=\"fake\">not a heading</h2>").headings == ()


def test_a_displayed_block_hands_its_headings_to_the_notebook_as_metadata():
    from IPython.core.formatters import DisplayFormatter

    block = html.join(html.heading("Kapittel", key="one", level=2), html.paragraph("x"),
                      html.heading("Del & del", key="two"))
    data, metadata = DisplayFormatter().format(block)
    assert data["text/html"] == '<h2 id="one">Kapittel</h2><p>x</p><h3 id="two">Del &amp; del</h3>'
    assert metadata["text/html"] == {"headings": [[2, "one", "Kapittel"], [3, "two", "Del & del"]]}
    data, metadata = DisplayFormatter().format(html.paragraph("x"))
    assert data["text/html"] == "<p>x</p>" and "text/html" not in metadata


def test_a_string_cannot_be_made_trusted_markup_by_constructing_a_block():
    assert HtmlBlock(SCRIPT) == SCRIPT_ESCAPED
    assert HtmlBlock() == "" and HtmlBlock(Markup("<hr />")) == "<hr />"
    section = html.heading("Del", key="part")
    assert HtmlBlock(section) == section and HtmlBlock(section).headings == section.headings


def test_plus_joins_like_join_and_escapes_a_plain_string_on_either_side():
    section = html.heading("Del", key="part")
    after, before = section + SCRIPT, SCRIPT + section
    assert isinstance(after, HtmlBlock) and isinstance(before, HtmlBlock)
    assert after == f'<h3 id="part">Del</h3>{SCRIPT_ESCAPED}'
    assert before == f'{SCRIPT_ESCAPED}<h3 id="part">Del</h3>'
    assert (html.paragraph("a") + section).headings == section.headings
    with pytest.raises(TypeError):
        section + 1


def test_other_string_operations_give_an_untrusted_plain_string():
    block = html.paragraph("a")
    joined = "".join([block, "<hr />"])
    assert joined == "<p>a</p><hr />" and type(joined) is str
    assert html.join(joined) == "&lt;p&gt;a&lt;/p&gt;&lt;hr /&gt;"
    assert block.markup == "<p>a</p>" and type(block.markup) is str


def test_a_copied_or_pickled_block_is_the_same_markup_with_its_headings():
    import copy
    import pickle

    block = html.join(html.heading("A & B", key="ab"), html.paragraph("<x>"))
    for twin in (copy.copy(block), copy.deepcopy(block), pickle.loads(pickle.dumps(block))):
        assert isinstance(twin, HtmlBlock) and twin == block and twin.headings == block.headings


# ---------------------------------------------------------------------------------- the table
def test_frame_to_html_writes_an_accessible_table():
    frame = pd.DataFrame({"Gruppe": ["Ansatte", "Ledere <b>"], "Andel": ["12,5 %", "−3"],
                          "Merknad": [None, "ok"]})
    expected = (
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Svar &amp; andel">'
        '<table class="report-table"><caption>Svar &amp; andel</caption><thead><tr>'
        '<th scope="col">Gruppe</th><th scope="col" class="num">Andel</th><th scope="col">Merknad</th>'
        '</tr></thead><tbody>'
        '<tr><th scope="row">Ansatte</th><td class="num">12,5 %</td><td>–</td></tr>'
        '<tr><th scope="row">Ledere &lt;b&gt;</th><td class="num">−3</td><td>ok</td></tr>'
        '</tbody></table></div>'
    )
    assert frame_to_html(frame, caption="Svar & andel") == expected


@pytest.mark.parametrize("width", [1, 7])
def test_every_table_scrolls_in_a_focusable_region_named_by_its_caption(width):
    # A phone is 375 px wide: even a two-column table with long words can be wider, so the
    # region is there whatever the number of columns.
    frame = pd.DataFrame({f"k{i}": ["x"] for i in range(width)})
    markup = frame_to_html(frame, caption="Bred 'tabell'", row_header=False)
    assert markup == (
        '<div class="table-scroll" role="region" tabindex="0" aria-label="Bred &#39;tabell&#39;">'
        '<table class="report-table"><caption>Bred &#39;tabell&#39;</caption><thead><tr>'
        + "".join(f'<th scope="col">k{i}</th>' for i in range(width))
        + "</tr></thead><tbody><tr>" + "<td>x</td>" * width + "</tr></tbody></table></div>"
    )


@pytest.mark.parametrize("caption", ["", "  "])
def test_a_table_without_a_caption_is_refused(caption):
    with pytest.raises(ValueError, match="needs a caption"):
        frame_to_html(pd.DataFrame({"a": ["x"]}), caption=caption)


@pytest.mark.parametrize("hostile, escaped", [(SCRIPT, SCRIPT_ESCAPED),
                                              (ATTRIBUTE, ATTRIBUTE_ESCAPED)])
def test_frame_to_html_escapes_cells_headers_and_caption(hostile, escaped):
    frame = pd.DataFrame({hostile: [hostile], "b": [hostile], "c": ["1"], "d": ["2"], "e": ["3"],
                          "f": ["4"], "g": ["5"]})
    markup = frame_to_html(frame, caption=hostile)
    assert_only_text(markup, escaped)
    assert markup.count(escaped) == 5  # aria-label, caption, header, row header, cell


# ----------------------------------------------------------------------------------- the figure
@pytest.mark.parametrize("hostile, escaped", [(SCRIPT, SCRIPT_ESCAPED),
                                              (ATTRIBUTE, ATTRIBUTE_ESCAPED)])
def test_a_figure_escapes_alt_text_caption_and_data(hostile, escaped):
    figure = ReportFigure("<svg/>", hostile, hostile, pd.DataFrame({"a": [hostile]}))
    markup = figure.to_html()
    assert_only_text(markup, escaped)
    assert f'alt="{escaped}"' in markup and f"<figcaption>{escaped}</figcaption>" in markup
    assert f"<summary>{escaped}</summary>" in markup


def test_a_figure_is_image_caption_and_data_table():
    data = pd.DataFrame({"Tema": ["A"], "Andel": ["50 %"]})
    figure = ReportFigure("<svg/>", "Søyler", "Figur 1", data, table_caption="Tall", size=(880, 462))
    assert figure.to_html() == (  # "PHN2Zy8+" is "<svg/>" in base64 (RFC 4648)
        '<figure class="report-figure"><img src="data:image/svg+xml;base64,PHN2Zy8+" width="880" height="462"'
        ' alt="Søyler" />'
        "<figcaption>Figur 1</figcaption></figure>"
        '<details class="figure-data"><summary>Tall</summary>'
        + frame_to_html(data, caption="Tall").markup + "</details>"
    )
    assert figure._repr_html_() == figure.to_html().markup


# ---------------------------------------------------------------------------- the results chain
def _chain(text: str, links: str = "g1", status: object = "on_track") -> pd.DataFrame:
    frame = pd.DataFrame({
        "pilot": ["p"], "stage": ["activities"], "position": [0], "text_nb": [text],
        "text_en": [text], "n_links": [1], "links": [links], "status": [status],
    })
    frame["status"] = frame["status"].astype(object)
    return frame


@pytest.mark.parametrize("hostile, escaped", [(SCRIPT, SCRIPT_ESCAPED),
                                              (ATTRIBUTE, ATTRIBUTE_ESCAPED)])
def test_the_results_chain_escapes_its_text(hostile, escaped):
    markup = results_chain_html(_chain(hostile, links=hostile), lang="en", title=hostile)
    assert_only_text(markup, escaped)
    assert markup.count(escaped) == 3  # title, element, links


def test_the_results_chain_has_no_inline_style_and_colours_by_class():
    markup = results_chain_html(_chain("Fagdager"), lang="nb")
    assert "style=" not in markup
    assert '<li class="results-chain-element status-on-track">Fagdager<br />' in markup
    assert '<span class="status">Status: <span aria-hidden="true">▲</span> I rute</span>' in markup
    unlinked = results_chain_html(_chain("Penger", links="", status=pd.NA), lang="nb")
    assert '<li class="results-chain-element">Penger</li>' in unlinked


def test_report_css_gives_each_status_the_colour_of_status_style():
    css = (html.TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"li\.(status-[a-z-]+) \{ border-left-color: (#[0-9A-Fa-f]{6}); \}", css))
    assert rules == {status_class(s): style["colour"] for s, style in STATUS_STYLE.items()}


def _relative_luminance(colour: str) -> float:
    # WCAG 2.1, definition of relative luminance (sRGB channel linearised, then weighted).
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_status_has_a_style_a_label_and_enough_contrast():
    from evaluation.contract.vocabulary import STATUSES
    from evaluation.i18n import t

    assert set(STATUS_STYLE) == set(STATUSES)
    symbols = [style["symbol"] for style in STATUS_STYLE.values()]
    assert len(set(symbols)) == len(symbols)
    for status, style in STATUS_STYLE.items():
        assert t(f"status.{status}", "nb") and t(f"status.{status}", "en")
        # WCAG 1.4.11 asks 3:1 for a border; 4.5:1 lets the colour carry text too.
        for background in ("#ffffff", "#f7f7f7"):
            lighter, darker = sorted([_relative_luminance(style["colour"]),
                                      _relative_luminance(background)], reverse=True)
            assert (lighter + 0.05) / (darker + 0.05) >= 4.5, (status, background)
    # By hand for "not enough evidence", #7b3294: channels 123, 50, 148 linearise to 0.1981,
    # 0.0319, 0.2961; L = 0.2126*0.1981 + 0.7152*0.0319 + 0.0722*0.2961 = 0.0863;
    # contrast with white 1.05 / 0.1363 = 7.70.
    assert t("status.insufficient_evidence", "nb") == "For lite grunnlag"
    assert abs(_relative_luminance("#7b3294") - 0.0863) < 5e-4


def test_no_template_or_fragment_writes_a_style_attribute():
    for path in html.TEMPLATE_DIR.glob("*.j2"):
        assert "style=" not in path.read_text(encoding="utf-8"), path.name
