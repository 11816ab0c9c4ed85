"""The summary chapter of a pilot report: key figures and the status of every sub-goal at a glance."""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext
from evaluation.report.key_findings import key_findings_html
from evaluation.report.narrative import narrative_section
from evaluation.tables import frame_to_html


def key_figures(ctx: ReportContext) -> pd.DataFrame:
    """The report's key figures as a two-column table (label, formatted value).

    Respondents and response rate are those of the latest survey wave up to the cut-off,
    hidden when the report's disclosure plan hides the pilot's wave; interviews are those of
    the phase's round (hidden below the anonymity threshold), the base of every interview
    number of the report (the data-and-method chapter shows the table and names it under it).
    """
    from evaluation.survey import response_rates

    data, pilot = ctx.data, ctx.pilot
    waves = data.responses.loc[data.responses["pilot"] == pilot, "wave"]
    if waves.empty:  # no survey of the pilot up to the cut-off: nothing to hide, nothing to rate
        latest, hidden, rate = "–", False, {"responded": 0, "rate": float("nan")}
    else:
        latest = int(waves.max())
        rates = response_rates(data.population, data.responses, by=("pilot", "wave"),
                               threshold=ctx.threshold, plan=ctx.disclosure)
        rate = rates[(rates["pilot"] == pilot) & (rates["wave"] == latest)].iloc[0]
        hidden = bool(rate["suppressed"])
    interviews = data.interviews[(data.interviews["pilot"] == pilot) & (data.interviews["round"] == ctx.phase)]
    programme = data.programme
    rows = [
        (ctx.t("summary.agencies"), ctx.number((programme.agencies["pilot"] == pilot).sum())),
        (ctx.t("summary.respondents", wave=latest),
         ctx.t("suppressed_note", threshold=ctx.threshold) if hidden
         else ctx.number(rate["responded"])),
        (ctx.t("summary.response_rate", wave=latest), "–" if hidden else ctx.percent(rate["rate"])),
        (ctx.t("summary.interviews"), ctx.count(len(interviews))),
        (ctx.t("summary.sub_goals"), ctx.number(len(ctx.sub_goals))),
        (ctx.t("summary.indicators"), ctx.number(len(ctx.indicators))),
    ]
    return pd.DataFrame(rows, columns=[ctx.t("summary.figure"), ctx.t("summary.value")])


def summary_chapter(ctx: ReportContext) -> HtmlBlock:
    """The sammendrag: key findings from the data, the evaluators' summary, the status of every
    sub-goal and the recommendations, readable on its own.

    The key findings are generated from the data (:func:`evaluation.report.key_findings.key_findings`),
    each with a link to its source table. The status table gives the evaluators' judged status
    (``assessments.csv``) first and, beside it as an aid, the status computed by the documented
    rule of :func:`evaluation.goals.status.computed_status`; the reasons for the computed status
    are in the findings chapter, sub-goal by sub-goal. The judgement is never overridden.
    """
    parts = [html.heading(ctx.t("key_findings.heading"), key="key-findings"),
             html.paragraph(ctx.t("key_findings.intro")), key_findings_html(ctx)]
    text = narrative_section(ctx, "summary")
    parts.append(html.heading(ctx.t("summary.evaluators_heading"), key="evaluators-summary"))
    parts.append(text if text is not None else html.paragraph(ctx.t("assessment.missing")))
    overview = ctx.attainment.overview
    goals = ctx.programme.sub_goals.set_index("sub_goal")
    rows = []
    for record in overview.to_dict("records"):
        rows.append({
            ctx.t("about.sub_goal"): ctx.pick(goals.loc[record["sub_goal"]].to_dict(), "text"),
            ctx.t("summary.judged"): ctx.status(record["judged_status"]),
            ctx.t("summary.computed"): ctx.status(record["computed_status"]),
            ctx.t("summary.agree"): ctx.t("summary.disagree_yes") if record["disagreement"]
            else ctx.t("summary.disagree_no"),
        })
    parts.append(html.heading(ctx.t("summary.status_heading"), key="status-at-a-glance"))
    parts.append(frame_to_html(pd.DataFrame(rows), caption=ctx.t("summary.status_caption")))
    parts.append(html.note(ctx.t("summary.status_note")))
    recommendations = narrative_section(ctx, "recommendations")
    if recommendations is not None:
        parts.append(html.heading(ctx.t("summary.recommendations_heading"), key="summary-recommendations"))
        parts.append(recommendations)
    return html.join(*parts)


__all__ = ["key_figures", "summary_chapter"]
