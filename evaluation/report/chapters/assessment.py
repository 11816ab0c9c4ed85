"""The evaluators' assessment of a pilot: their summary, strengths, weaknesses and recommendations."""

from __future__ import annotations

import html

from evaluation.report.context import ReportContext
from evaluation.tables import HtmlBlock


def _heading(ctx: ReportContext, key: str, anchor: str) -> str:
    return f'<h3 id="{anchor}">{html.escape(ctx.t(key))}</h3>'


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def evaluators_assessment(ctx: ReportContext) -> HtmlBlock:
    """The evaluators' written assessment of a pilot: summary, strengths, weaknesses, recommendations.

    Read from ``narratives/<pilot>-<phase>.yaml``; a missing file is said in the report, not hidden.
    """
    content = ctx.narrative()
    if not content:
        return HtmlBlock(_paragraph(ctx.t("assessment.missing")))
    parts = []
    if content.get("summary"):
        parts.append(_paragraph(str(content["summary"])))
    for key in ("strengths", "weaknesses", "recommendations"):
        points = content.get(key) or []
        if points:
            parts.append(_heading(ctx, f"assessment.{key}", f"assessment-{key}"))
            parts.append("<ul>" + "".join(f"<li>{html.escape(str(p))}</li>" for p in points) + "</ul>")
    return HtmlBlock("".join(parts))


__all__ = ["evaluators_assessment"]
