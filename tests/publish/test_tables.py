"""Reading a report's tables back from its HTML, and their cells as spreadsheet numbers."""

from __future__ import annotations

import pytest

from evaluation.publish.tables import cell_value, report_tables


@pytest.mark.parametrize(("text", "lang", "value", "number_format"), [
    # By hand: bokmål writes a decimal comma, a (non-breaking) space between thousands, a
    # typographic minus and "62 %"; English a decimal point, a comma between thousands and "62%".
    ("3,06", "nb", 3.06, "0.00"),
    ("\u22120,37", "nb", -0.37, "0.00"),
    ("+0,09", "nb", 0.09, "0.00"),
    ("1\u00a0234", "nb", 1234, "#,##0"),
    ("12\u00a0345,5", "nb", 12345.5, "#,##0.0"),
    ("62\u00a0%", "nb", 0.62, "0%"),
    ("62,5\u00a0%", "nb", 0.625, "0.0%"),
    ("54", "nb", 54, "0"),
    ("3.06", "en", 3.06, "0.00"),
    ("-0.37", "en", -0.37, "0.00"),
    ("1,234", "en", 1234, "#,##0"),
    ("62%", "en", 0.62, "0%"),
])
def test_a_cell_showing_one_number_becomes_that_number_at_the_precision_shown(text, lang, value, number_format):
    cell = cell_value(text, lang)
    assert cell.value == value and type(cell.value) is type(value)
    assert cell.number_format == number_format and not cell.hidden


@pytest.mark.parametrize(("text", "lang"), [("–", "nb"), ("færre enn 5 svar", "nb"), ("fewer than 10 responses", "en")])
def test_hidden_values_become_empty_and_marked(text, lang):
    cell = cell_value(text, lang)
    assert cell.value is None and cell.hidden


@pytest.mark.parametrize(("text", "lang"), [
    ("2,86–3,26", "nb"), ("54 / 44", "nb"), ("+0,14 (−0,32 til 0,59) †", "nb"), ("3,06", "en"), ("3.06", "nb"),
    ("0.1.0", "en"), ("I rute ▲", "nb"), ("stad-d1", "nb"),
])
def test_anything_but_one_number_in_the_report_language_stays_text(text, lang):
    assert cell_value(text, lang).value == text


def test_report_tables_keep_chapter_section_caption_rows_and_the_notes_under_them():
    html = ('<h2 id="survey">Spørreundersøkelsen</h2><h3>Svarprosent</h3>'
            '<div class="table-scroll" role="region" tabindex="0"><table class="report-table">'
            '<caption>Svar per virksomhet</caption><thead><tr><th scope="col">Virksomhet</th>'
            '<th scope="col">Svar</th></tr></thead><tbody><tr><th scope="row">NAV</th><td>20</td></tr>'
            '<tr><th scope="row">Politiet</th><td>færre enn 5 svar</td></tr></tbody></table></div>'
            '<p class="suppression-note">1 tall er skjult.</p><p>Ny tekst.</p>'
            '<h2>Intervjuene</h2><details class="figure-data" open><summary>Tall</summary>'
            '<table><caption>Temaer</caption><thead><tr><th>Tema</th></tr></thead><tbody><tr><td>A</td></tr>'
            '</tbody></table></details>')
    first, second = report_tables(html)
    assert (first.chapter, first.section) == ("Spørreundersøkelsen", "Svarprosent")
    assert first.caption == "Svar per virksomhet"
    assert first.columns == ("Virksomhet", "Svar")
    assert first.rows == (("NAV", "20"), ("Politiet", "færre enn 5 svar"))
    assert first.row_header and first.notes == ("1 tall er skjult.",)
    assert (second.chapter, second.section, second.caption, second.row_header) == ("Intervjuene", "", "Temaer", False)
