"""The evaluators' own chapters: their assessments and conclusions, and their recommendations.

Both come from the evaluators' narrative (``narratives/<pilot>-<phase>.nb.md``, or the
synthesis's), section by section (:func:`evaluation.report.narrative.narrative_section`); a
missing narrative or section is said in the report, never hidden as an empty chapter.
"""

from __future__ import annotations

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext
from evaluation.report.narrative import narrative_section


def _sections(ctx: ReportContext, keys: tuple[tuple[str, str], ...]) -> HtmlBlock:
    parts = []
    for key, heading in keys:
        text = narrative_section(ctx, key)
        if text is None:
            continue
        if heading:
            parts.append(html.heading(ctx.t(heading), key=f"assessment-{key}"))
        parts.append(text)
    if not parts:
        return html.paragraph(ctx.t("assessment.missing"))
    return html.join(*parts)


def evaluators_assessment(ctx: ReportContext) -> HtmlBlock:
    """Assessments and conclusions: the narrative's ``assessments`` and ``conclusions`` sections.

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot (or the synthesis), phase and language.

    Returns
    -------
    evaluation.html.HtmlBlock
        An ``<h3>`` and the text of each section the narrative has (anchors
        ``assessment-assessments``, ``assessment-conclusions``), or a note that the evaluators
        have not written them.
    """
    return _sections(ctx, (("assessments", "assessment.assessments"), ("conclusions", "assessment.conclusions")))


def recommendations(ctx: ReportContext) -> HtmlBlock:
    """The evaluators' recommendations (the narrative's ``recommendations`` section)."""
    return _sections(ctx, (("recommendations", ""),))


__all__ = ["evaluators_assessment", "recommendations"]
