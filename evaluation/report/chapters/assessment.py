"""The evaluators' own chapters, from the narrative of the pilot or the synthesis.

Each chapter shows sections of the evaluators' narrative (``narratives/<pilot>-<phase>.nb.md``
or ``synthesis-<phase>``; :func:`evaluation.report.narrative.narrative_section`) under the
headings the narrative format gives them in the report's language; an English report without an
English text shows the bokmål one and says so. A missing narrative or section is said in the
report, never hidden as an empty chapter.
"""

from __future__ import annotations

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext
from evaluation.report.narrative import narrative_heading, narrative_language_note, narrative_section

ASSESSMENT_SECTIONS = {
    "pilot": ("assessments", "conclusions"),
    "synthesis": ("what_worked", "conclusions"),
}
"""The narrative sections of the assessment chapter, in order. The summary opens the report's
summary chapter, the recommendations have a chapter of their own (:func:`recommendations`), a
pilot's background the background chapter, its sub-goal sections the findings, and the
synthesis' lessons their own chapter."""


def narrative_sections(ctx: ReportContext, keys: tuple[str, ...], *, headed: bool = True) -> HtmlBlock:
    """The narrative's sections ``keys`` that it has, each under an ``<h3>`` (anchor
    ``assessment-<key>``) when ``headed``; a note when the narrative has none of them."""
    if ctx.narrative() is None:
        return html.paragraph(ctx.t("assessment.missing"))
    parts = []
    for key in keys:
        section = narrative_section(ctx, key, heading_level=4)
        if section is None:
            continue
        if headed:
            parts.append(html.heading(narrative_heading(ctx, key), key=f"assessment-{key}"))
        parts.append(section)
    if not parts:
        return html.paragraph(ctx.t("assessment.missing"))
    return html.join(narrative_language_note(ctx) or html.join(), *parts)


def evaluators_assessment(ctx: ReportContext) -> HtmlBlock:
    """Assessments and conclusions: the evaluators' assessments (for the synthesis: what worked
    where and why) and their conclusions.

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot (or the synthesis), phase and language.

    Returns
    -------
    evaluation.html.HtmlBlock
        Each of the sections that the narrative has under an ``<h3>`` headed as the narrative
        format names it (anchors ``assessment-assessments``, ``assessment-conclusions``, …).
    """
    return narrative_sections(ctx, ASSESSMENT_SECTIONS["pilot" if ctx.pilot is not None else "synthesis"])


def recommendations(ctx: ReportContext) -> HtmlBlock:
    """The evaluators' recommendations (the narrative's ``recommendations`` section), to the
    ministry and to the pilot."""
    return narrative_sections(ctx, ("recommendations",), headed=False)


__all__ = ["ASSESSMENT_SECTIONS", "evaluators_assessment", "narrative_sections", "recommendations"]
