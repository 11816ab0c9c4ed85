"""Findings by goal: one section per sub-goal, drawing every source together.

:func:`findings_by_goal` gives the chapter body (the notebook writes the ``<h2>``). For each of
the pilot's sub-goals, in the order of ``programme.yaml``: what was to be achieved and the
national goals it serves; one short table with the evidence from each source (indicators,
survey, milestones, interviews; :attr:`ReportContext.attainment`); at most one figure, the first
indicator's values against its expected path; the evaluators' judgement with the status computed
by rule beside it as an aid, and its reasons in words; and the evaluators' own text from the
narrative's sub-goal section. The chapter ends with the results chain (virkningskjede). The long
source-by-source tables are in the appendices.
"""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.plots.indicators import indicator_chart
from evaluation.report.chapters.goal_changes import goal_changes_section
from evaluation.report.chapters.goals import (
    chain_section,
    format_estimate,
    format_interval,
    lasting_section,
    status_change_section,
    value_decimals,
)
from evaluation.report.context import ReportContext
from evaluation.report.narrative import narrative_section
from evaluation.report.status_reasons import evidence_label, item_labels, reason_texts
from evaluation.tables import frame_to_html


def _evidence_table(ctx: ReportContext, sub_goal: str, label: str) -> HtmlBlock:
    """The sub-goal's evidence, one row per measure: source, what, result, status."""
    evidence = ctx.attainment.evidence
    rows = evidence.loc[(evidence["pilot"] == ctx.pilot) & (evidence["sub_goal"] == sub_goal)]
    if rows.empty:
        return html.paragraph(ctx.t("findings.no_evidence"))
    items = item_labels(ctx)
    records = []
    for r in rows.to_dict("records"):
        result = format_estimate(ctx, r["measure"], r["estimate"])
        interval = format_interval(ctx, r["ci_low"], r["ci_high"])
        if interval != "–":
            result = ctx.t("findings.result_with_interval", result=result, interval=interval)
        records.append({
            ctx.t("goals.col.source"): ctx.t(f"goals.source.{r['source']}"),
            ctx.t("goals.col.item"): evidence_label(ctx, r, items),
            ctx.t("goals.col.measure"): ctx.t(f"goals.measure.{r['measure']}"),
            ctx.t("findings.col.result"): result,
            ctx.t("goals.col.status"): ctx.status(r["status"]),
        })
    return frame_to_html(pd.DataFrame(records), caption=ctx.t("findings.evidence_caption", sub_goal=label))


def _indicator_figure(ctx: ReportContext, sub_goal: str) -> HtmlBlock:
    """The first indicator of the sub-goal as a chart (nothing when it has none)."""
    definitions = ctx.indicators
    definitions = definitions.loc[definitions["sub_goal"] == sub_goal]
    if definitions.empty:
        return html.join()
    definition = definitions.iloc[0].to_dict()
    tracking = ctx.attainment.tracking
    rows = tracking.loc[tracking["indicator_id"] == definition["indicator_id"]]
    name = ctx.pick(definition, "name")
    decimals = value_decimals([definition["baseline_value"], definition["target_value"], *rows["actual"]])
    figure = indicator_chart(rows, definition, name=name, unit=str(definition["unit"]), lang=ctx.lang,
                             caption=ctx.t("findings.indicator_caption", indicator=name), decimals=decimals)
    return figure.to_html()


def _status_paragraph(ctx: ReportContext, record: dict, reason: str) -> HtmlBlock:
    return html.join(
        html.paragraph(ctx.t("findings.status", judged=ctx.status(record["judged_status"]),
                             computed=ctx.status(record["computed_status"]))),
        html.paragraph(ctx.t("findings.reason", reason=reason), css_class="note"),
    )


def _national_goals(ctx: ReportContext, sub_goal: str) -> str:
    links = ctx.programme.sub_goal_links
    targets = links.loc[(links["pilot"] == ctx.pilot) & (links["sub_goal"] == sub_goal)
                        & (links["kind"] == "national_goal"), "target"]
    goals = ctx.programme.national_goals.set_index("national_goal")
    return "; ".join(f"{goal} {ctx.pick(goals.loc[goal].to_dict(), 'text')}" for goal in targets)


def findings_by_goal(ctx: ReportContext) -> HtmlBlock:
    """The findings chapter: one section per sub-goal, then the results chain.

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot, phase, language and goal attainment.

    Returns
    -------
    evaluation.html.HtmlBlock
        An introduction, then per sub-goal an ``<h3>`` (its text; anchor ``finding-<id>``), the
        national goals it serves, the evidence table, at most one indicator chart, the judged and
        computed status with the reason, and the evaluators' text (or a note that they wrote
        none); then the results chain, and in a later phase the change in status since the phase
        before and (in the last phase) the changes to the sub-goals
        (:func:`~evaluation.report.chapters.goal_changes.goal_changes_section`) and the evidence
        of lasting results.
    """
    sub_goals = ctx.sub_goals
    overview = ctx.attainment.overview.set_index("sub_goal")
    reasons = reason_texts(ctx)
    parts = [html.paragraph(ctx.t("findings.intro"))]
    for record in sub_goals.to_dict("records"):
        sub_goal = record["sub_goal"]
        label = ctx.pick(record, "text")
        status = {"judged_status": None, "computed_status": None}
        if sub_goal in overview.index:
            status = overview.loc[sub_goal].to_dict()
        text = narrative_section(ctx, sub_goal)
        parts += [
            html.heading(ctx.t("findings.heading", sub_goal=label), key=f"finding-{sub_goal}"),
            html.paragraph(ctx.t("findings.goal_line", id=sub_goal, national=_national_goals(ctx, sub_goal)),
                           css_class="note"),
            _evidence_table(ctx, sub_goal, label),
            _indicator_figure(ctx, sub_goal),
            _status_paragraph(ctx, status, reasons.get((ctx.pilot, sub_goal), "–")),
            text if text is not None else html.paragraph(ctx.t("findings.no_text"), css_class="note"),
        ]
    parts.append(chain_section(ctx))
    if ctx.previous_phase is not None:
        parts.append(status_change_section(ctx))
        if ctx.phase == ctx.programme.phases[-1]:
            parts.append(goal_changes_section(ctx))
            parts.append(lasting_section(ctx))
    return html.join(*parts)


__all__ = ["findings_by_goal"]
