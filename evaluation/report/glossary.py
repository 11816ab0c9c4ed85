"""The glossary appendix: the words and statistics of the reports, explained in plain language.

The terms are data: every ``glossary.<id>.term`` in the translation table
(``evaluation/translations/glossary.yaml``) with its ``glossary.<id>.definition``, in bokmål and
English. A term is added to every report by adding its two lines there.
"""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.errors import EvaluationError
from evaluation.html import HtmlBlock
from evaluation.i18n import check_language, sort_key, t, translation_table
from evaluation.report.context import ReportContext

GLOSSARY_COLUMNS = ("term_id", "term", "definition", "anchor")
"""Columns of :func:`glossary_terms`."""


def glossary_terms(*, lang: str, threshold: int) -> pd.DataFrame:
    """Every glossary term in ``lang``, sorted alphabetically in that language.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language of the terms and of their order (:func:`evaluation.i18n.sort_key`: in bokmål
        æ, ø and å come after z).
    threshold : int
        The programme's anonymity threshold, named in the definitions that concern it.

    Returns
    -------
    pandas.DataFrame
        One row per term: ``term_id`` (the ``<id>`` of ``glossary.<id>.term``), ``term`` and
        ``definition`` (reader-facing text), ``anchor`` (the ``id`` of the term in the report,
        ``glossary-<id>``, the same in both languages).

    Raises
    ------
    EvaluationError
        If a term has no definition or a definition no term.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> terms = glossary_terms(lang="nb", threshold=load_data().anonymity_threshold)
    >>> terms.loc[terms["term_id"] == "anonymity_threshold", "definition"].item()[:60]
    'Det minste antallet svar eller intervjuer en gruppe må ha fo'
    >>> list(terms["term"])[-2:]
    ['Vekting (poststratifisering)', 'Virkningskjede']
    """
    check_language(lang)
    keys = [key.split(".") for key in translation_table() if key.startswith("glossary.")]
    parts = {(term_id, part) for _, term_id, *rest in keys for part in rest}
    term_ids = sorted({term_id for term_id, part in parts if part in ("term", "definition")})
    unpaired = [i for i in term_ids if not {(i, "term"), (i, "definition")} <= parts]
    if unpaired:
        raise EvaluationError(f"glossary terms without both .term and .definition: {unpaired}")
    rows = [{"term_id": term_id,
             "term": t(f"glossary.{term_id}.term", lang),
             "definition": t(f"glossary.{term_id}.definition", lang, threshold=threshold),
             "anchor": html.anchor_id(f"glossary-{term_id}")} for term_id in term_ids]
    rows.sort(key=lambda row: sort_key(row["term"], lang))
    return pd.DataFrame(rows, columns=list(GLOSSARY_COLUMNS))


def glossary(ctx: ReportContext) -> HtmlBlock:
    """The glossary appendix: a short introduction and a definition list of every term.

    Place it under ``chapter_heading(ctx, "glossary")`` («Vedlegg: ordliste»). Each term's
    ``<dt>`` has the id ``glossary-<id>`` (for example ``glossary-p-value``), so the text where a
    statistic first appears can link to its explanation.

    Returns
    -------
    HtmlBlock
        ``<p>`` introduction, then ``<dl class="glossary">`` with the terms sorted alphabetically
        in the report's language.

    Examples
    --------
    >>> from evaluation.report import open_report
    >>> block = glossary(open_report(pilot="stad", phase="midterm", lang="en"))
    >>> '<dt id="glossary-p-value">p-value</dt>' in block
    True
    """
    terms = glossary_terms(lang=ctx.lang, threshold=ctx.threshold)
    entries = zip(terms["term"], terms["definition"], terms["anchor"], strict=True)
    return html.join(html.paragraph(ctx.t("glossary.intro")),
                     html.definition_list(entries, css_class="glossary"))


__all__ = ["GLOSSARY_COLUMNS", "glossary", "glossary_terms"]
