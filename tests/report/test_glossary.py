"""The glossary appendix: every term of the reports explained, in alphabetical order of the language."""

from __future__ import annotations

import re

import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.i18n import sort_key, translation_table
from evaluation.report import ReportContext, chapter_heading, glossary
from evaluation.report.glossary import GLOSSARY_COLUMNS, glossary_terms


@pytest.fixture(scope="module")
def data():
    return load_data(DEMO, phase="final")


def _terms_in_page_order(markup: str) -> list[str]:
    return re.findall(r"<dt[^>]*>([^<]*)</dt>", markup)


def test_sort_key_orders_bokmaal_as_icu_does_with_ae_oe_aa_after_z():
    # R 4 with ICU (independent of this code):
    #   Rscript -e 'icuSetCollate(locale="nb_NO"); x <- c("Åpen", "ørn", "Zebra", "Ærlig", "ål",
    #     "Øvrige", "c-koeffisient", "Cohens", "p-verdi", "Poststratifisering", "effekt",
    #     "Éksempel", "Evaluering", "aften"); print(sort(x))'
    #    [1] "aften"              "c-koeffisient"      "Cohens"
    #    [4] "effekt"             "Éksempel"           "Evaluering"
    #    [7] "p-verdi"            "Poststratifisering" "Zebra"
    #   [10] "Ærlig"              "ørn"                "Øvrige"
    #   [13] "ål"                 "Åpen"
    words = ["Åpen", "ørn", "Zebra", "Ærlig", "ål", "Øvrige", "c-koeffisient", "Cohens", "p-verdi",
             "Poststratifisering", "effekt", "Éksempel", "Evaluering", "aften"]
    assert sorted(words, key=sort_key) == [
        "aften", "c-koeffisient", "Cohens", "effekt", "Éksempel", "Evaluering", "p-verdi",
        "Poststratifisering", "Zebra", "Ærlig", "ørn", "Øvrige", "ål", "Åpen"]


def test_sort_key_orders_english_as_icu_does_with_aa_as_a():
    #   Rscript -e 'icuSetCollate(locale="en_GB"); print(sort(c("Zebra", "Åland", "apple",
    #     "c-coefficient", "Cohen", "p-value", "Post", "éclair", "Edge")))'
    #   [1] "Åland"         "apple"         "c-coefficient" "Cohen"
    #   [5] "éclair"        "Edge"          "p-value"       "Post"
    #   [9] "Zebra"
    words = ["Zebra", "Åland", "apple", "c-coefficient", "Cohen", "p-value", "Post", "éclair", "Edge"]
    assert sorted(words, key=lambda w: sort_key(w, "en")) == [
        "Åland", "apple", "c-coefficient", "Cohen", "éclair", "Edge", "p-value", "Post", "Zebra"]


def test_the_bokmaal_glossary_is_in_the_order_icu_gives():
    # Rscript -e 'icuSetCollate(locale="nb_NO"); x <- c(<the terms below>); print(identical(sort(sample(x)), x))'
    # [1] TRUE   (re-run it when a term is added)
    assert list(glossary_terms(lang="nb", threshold=5)["term"]) == [
        "Anonymitetsgrense", "c-koeffisient", "Cohens tommelfingerregler", "Cronbachs alfa",
        "Effektstørrelse (Hedges' g)", "Fishers eksakte test", "Følgeevaluering", "Holm-justering",
        "Indeks", "Konfidensintervall (KI)", "Minste viktige endring",
        "Måloppnåelsesskala (GAS) og T-skår", "Nettovurdering (nettoskår)",
        "Nullpunkt, midtveis og slutt", "p-verdi", "Risiko for avvik", "Skjult tall («–»)",
        "Status beregnet etter regel", "Svarprosent", "Tolk med varsomhet (†)",
        "Vekting (poststratifisering)", "Virkningskjede"]


@pytest.mark.parametrize("lang", ["nb", "en"])
def test_glossary_explains_the_statistics_the_reports_use(lang):
    terms = glossary_terms(lang=lang, threshold=5)
    assert tuple(terms.columns) == GLOSSARY_COLUMNS
    required = {"confidence_interval", "p_value", "holm", "effect_size", "cohen", "weighting",
                "minimal_important_change", "caution", "cronbach", "net_score", "waves",
                "anonymity_threshold", "suppressed", "c_coefficient"}
    assert required <= set(terms["term_id"])
    for row in terms.to_dict("records"):
        sentences = re.findall(r"[.!?](?:\s|$)", row["definition"])
        assert 1 <= len(sentences) <= 2, f"{row['term_id']}: {row['definition']}"
    assert terms["anchor"].is_unique and terms["term"].is_unique


@pytest.mark.parametrize(("lang", "threshold_text"), [("nb", "(i denne evalueringen 5)"),
                                                      ("en", "(5 in this evaluation)")])
def test_glossary_is_a_definition_list_sorted_in_the_reports_language(data, lang, threshold_text):
    ctx = ReportContext(data, pilot="stad", phase="final", lang=lang)
    markup = str(glossary(ctx))
    assert markup.startswith(f"<p>{translation_table()['glossary.intro'][lang]}</p><dl class=\"glossary\">")
    shown = _terms_in_page_order(markup)
    expected = sorted((translation_table()[k][lang] for k in translation_table()
                       if k.startswith("glossary.") and k.endswith(".term")),
                      key=lambda term: sort_key(term, lang))
    assert [s.replace("&#39;", "'") for s in shown] == expected
    assert markup.count("<dd>") == len(shown)
    assert threshold_text in markup  # the programme's threshold, not a placeholder
    assert "{threshold}" not in markup


def test_glossary_has_language_independent_anchors_and_its_chapter_title(data):
    nb = str(glossary(ReportContext(data, pilot="stad", phase="final", lang="nb")))
    en = str(glossary(ReportContext(data, pilot=None, phase="final", lang="en")))
    anchors = re.findall(r'<dt id="([^"]+)"', nb)
    assert sorted(anchors) == sorted(re.findall(r'<dt id="([^"]+)"', en))
    assert '<dt id="glossary-p-value">p-verdi</dt>' in nb
    heading = chapter_heading(ReportContext(data, pilot="stad", phase="final"), "glossary")
    assert str(heading) == '<h2 id="glossary">Vedlegg: ordliste</h2>'
