"""The evaluators' assessment: their own text, from the narrative of the pilot or the synthesis."""

from __future__ import annotations

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext
from evaluation.report.narrative import narrative_heading, narrative_language_note, narrative_section

ASSESSMENT_SECTIONS = {
    "pilot": ("summary", "assessments", "conclusions", "recommendations"),
    "synthesis": ("summary", "what_worked", "conclusions", "recommendations"),
}
"""The narrative sections the chapter shows, in order (the synthesis' lessons have a chapter of
their own, :func:`evaluation.report.chapters.synthesis.lessons_across_pilots`)."""


def evaluators_assessment(ctx: ReportContext) -> HtmlBlock:
    """The evaluators' written assessment, section by section, from their narrative.

    Read from ``narratives/<pilot>-<phase>.<lang>.md`` (``synthesis-<phase>`` for the synthesis
    report; an English report falls back to the bokmål text, and says so); a missing narrative
    is said in the report, not hidden.

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot (or the synthesis), phase and language.

    Returns
    -------
    evaluation.html.HtmlBlock
        For a pilot: the sections summary, assessments, conclusions and recommendations; for the
        synthesis: summary, what worked where and why, conclusions and recommendations. Each
        that the narrative has under an ``<h3>`` headed as the narrative format names it, in
        the report's language (anchors ``assessment-summary``, ``assessment-conclusions``, …).
    """
    if ctx.narrative() is None:
        return html.paragraph(ctx.t("assessment.missing"))
    parts = [narrative_language_note(ctx) or html.join()]
    for key in ASSESSMENT_SECTIONS["pilot" if ctx.pilot is not None else "synthesis"]:
        section = narrative_section(ctx, key, heading_level=4)
        if section is not None:
            parts += [html.heading(narrative_heading(ctx, key), key=f"assessment-{key}"), section]
    return html.join(*parts)


__all__ = ["ASSESSMENT_SECTIONS", "evaluators_assessment"]
