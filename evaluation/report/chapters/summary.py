"""The summary chapter of a pilot report: key figures and the status of every sub-goal at a glance."""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.chapters.interviews import interview_round
from evaluation.report.context import ReportContext
from evaluation.report.narrative import narrative_section
from evaluation.report.status_reasons import reason_texts
from evaluation.tables import frame_to_html


def key_figures(ctx: ReportContext) -> pd.DataFrame:
    """The report's key figures as a two-column table (label, formatted value).

    Respondents and response rate are those of the latest survey wave up to the cut-off,
    hidden when the report's disclosure plan hides the pilot's wave; interviews are those of
    the phase's round (hidden below the anonymity threshold), the base of every interview
    number of the report (the summary chapter names it under the table).
    """
    from evaluation.survey import response_rates

    data, pilot = ctx.data, ctx.pilot
    latest = int(data.responses.loc[data.responses["pilot"] == pilot, "wave"].max())
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
        (ctx.t("summary.sub_goals"), ctx.number((programme.sub_goals["pilot"] == pilot).sum())),
        (ctx.t("summary.indicators"), ctx.number((programme.indicators["pilot"] == pilot).sum())),
    ]
    return pd.DataFrame(rows, columns=[ctx.t("summary.figure"), ctx.t("summary.value")])


def summary_chapter(ctx: ReportContext) -> HtmlBlock:
    """Key figures, the evaluators' summary, and every sub-goal's judged and computed status.

    The judged status is the evaluators' own (``assessments.csv``) and comes first; beside it,
    as an aid, the status computed by the documented rule of
    :func:`evaluation.goals.status.computed_status` with its reason in words
    (:func:`evaluation.report.status_reasons.reason_texts`). Where they disagree the table says
    so; the judgement is never overridden. The statuses are the report's goal attainment
    (:attr:`ReportContext.attainment`), shared with the goals chapter.
    """
    parts = []
    summary = narrative_section(ctx, "summary", heading_level=3)
    if summary is not None:
        parts.append(summary)
    parts.append(frame_to_html(key_figures(ctx), caption=ctx.t("summary.key_figures_caption")))
    parts.append(html.note(ctx.t("interviews.count_base", round=interview_round(ctx))))
    overview = ctx.attainment.overview
    goals = ctx.programme.sub_goals.set_index("sub_goal")
    reasons = reason_texts(ctx)
    rows = []
    for record in overview.to_dict("records"):
        rows.append({
            ctx.t("about.sub_goal"):
                f"{record['sub_goal']}: {ctx.pick(goals.loc[record['sub_goal']].to_dict(), 'text')}",
            ctx.t("summary.judged"): ctx.status(record["judged_status"]),
            ctx.t("summary.computed"): ctx.status(record["computed_status"]),
            ctx.t("summary.reason"): reasons[(record["pilot"], record["sub_goal"])],
            ctx.t("summary.agree"): ctx.t("summary.disagree_yes") if record["disagreement"]
            else ctx.t("summary.disagree_no"),
        })
    parts.append(html.heading(ctx.t("summary.status_heading"), key="status-at-a-glance"))
    parts.append(frame_to_html(pd.DataFrame(rows), caption=ctx.t("summary.status_caption")))
    parts.append(html.note(ctx.t("summary.status_note")))
    return html.join(*parts)


__all__ = ["key_figures", "summary_chapter"]
