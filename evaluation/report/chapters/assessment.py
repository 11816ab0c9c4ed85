"""The evaluators' assessment of a pilot: their summary, strengths, weaknesses and recommendations."""

from __future__ import annotations

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext


def evaluators_assessment(ctx: ReportContext) -> HtmlBlock:
    """The evaluators' written assessment of a pilot: summary, strengths, weaknesses, recommendations.

    Read from ``narratives/<pilot>-<phase>.yaml``; a missing file is said in the report, not hidden.

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot, phase and language.

    Returns
    -------
    evaluation.html.HtmlBlock
        The summary as a paragraph, then an ``<h3>`` (anchors ``assessment-strengths``,
        ``assessment-weaknesses``, ``assessment-recommendations``) and a list for each of those
        the narrative has.
    """
    content = ctx.narrative()
    if not content:
        return html.paragraph(ctx.t("assessment.missing"))
    parts = []
    if content.get("summary"):
        parts.append(html.paragraph(str(content["summary"])))
    for key in ("strengths", "weaknesses", "recommendations"):
        points = content.get(key) or []
        if points:
            parts.append(html.heading(ctx.t(f"assessment.{key}"), key=f"assessment-{key}"))
            parts.append(html.bullet_list(points))
    return html.join(*parts)


__all__ = ["evaluators_assessment"]
