"""Chapters of the cross-pilot synthesis report.

The synthesis compares the four pilots in one phase: their size and data, their status against
the national goals, the survey indices by pilot and wave, the interview themes they share, and
the lessons the evaluators draw.
"""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.contract.narratives import SYNTHESIS
from evaluation.goals import national_goal_rollup
from evaluation.html import HtmlBlock
from evaluation.plots.synthesis import index_by_pilot_chart
from evaluation.report.chapters.goal_changes import goal_changes_section
from evaluation.report.chapters.interviews import interview_round
from evaluation.report.context import ReportContext
from evaluation.report.narrative import narrative_language_note, narrative_section
from evaluation.tables import frame_to_html


def pilots_overview(ctx: ReportContext) -> HtmlBlock:
    """One row per pilot: agencies, respondents and response rate in the phase's latest wave, interviews.

    A pilot's wave that the report's disclosure plan hides shows «færre enn N svar» and «–».

    Parameters
    ----------
    ctx : ReportContext
        The synthesis report's context (data cut to the phase).
    """
    from evaluation.survey import response_rates

    data, programme = ctx.data, ctx.programme
    latest = int(data.responses["wave"].max())
    rates = response_rates(data.population, data.responses, by=("pilot", "wave"),
                           threshold=ctx.threshold, plan=ctx.disclosure)
    rates = rates[rates["wave"] == latest].set_index("pilot")
    note = ctx.t("suppressed_note", threshold=ctx.threshold)
    round_interviews = data.interviews[data.interviews["round"] == ctx.phase]
    rows = []
    for pilot in programme.pilot_ids:
        rate = rates.loc[pilot] if pilot in rates.index else None
        hidden = rate is not None and bool(rate["suppressed"])
        rows.append({
            ctx.t("synthesis.pilot"): programme.pilot_name(pilot),
            ctx.t("synthesis.agencies"): ctx.number((programme.agencies["pilot"] == pilot).sum()),
            ctx.t("synthesis.sub_goals"): ctx.number((ctx.sub_goals["pilot"] == pilot).sum()),
            ctx.t("synthesis.respondents", wave=latest):
                "–" if rate is None else note if hidden else ctx.number(rate["responded"]),
            ctx.t("synthesis.response_rate", wave=latest):
                "–" if rate is None or hidden else ctx.percent(rate["rate"]),
            ctx.t("synthesis.interviews"): ctx.count((round_interviews["pilot"] == pilot).sum()),
        })
    return html.join(
        html.paragraph(ctx.t("synthesis.pilots_intro")),
        frame_to_html(pd.DataFrame(rows), caption=ctx.t("synthesis.pilots_caption")),
        html.note(ctx.t("interviews.count_base", round=interview_round(ctx))),
    )


def national_goals_text(ctx: ReportContext) -> HtmlBlock:
    """A paragraph introducing the national goals (the matrix that follows lists them)."""
    return html.paragraph(ctx.t("synthesis.national_goals_intro"))


def national_goals_matrix(ctx: ReportContext) -> HtmlBlock:
    """The synthesis report's pilots × national goals status matrix, as HTML.

    Parameters
    ----------
    ctx : ReportContext
        The synthesis report's context; its goal attainment covers every pilot.

    Returns
    -------
    evaluation.html.HtmlBlock
        An explanatory paragraph, a table of the national goals' texts, and the matrix: one row
        per pilot and a last row across all pilots, one column per national goal; each cell
        gives the roll-up of the evaluators' judged status and of the computed status
        (:func:`evaluation.goals.status.national_goal_rollup`), or a dash where no sub-goal of the
        pilot is linked to the goal. In the last phase, the changes to every pilot's
        sub-goals follow (:func:`~evaluation.report.chapters.goal_changes.goal_changes_section`).
    """
    programme = ctx.programme
    result = ctx.attainment
    links = programme.sub_goal_links
    rollups = {}
    for column in ("judged_status", "computed_status"):
        per_pilot = national_goal_rollup(result.overview, links, status_column=column)
        across = national_goal_rollup(result.overview, links, status_column=column,
                                      across_pilots=True)
        rollups[column] = {
            **{(p, g): s for p, g, s in zip(per_pilot["pilot"], per_pilot["national_goal"],
                                            per_pilot["status"])},
            **{(None, g): s for g, s in zip(across["national_goal"], across["status"])},
        }
    goals = list(programme.national_goals["national_goal"])
    rows = []
    for pilot in [*programme.pilot_ids, None]:
        name = ctx.t("goals.matrix.all") if pilot is None else programme.pilot_name(pilot)
        row = {ctx.t("goals.col.pilot"): name}
        for goal in goals:
            judged = rollups["judged_status"].get((pilot, goal))
            computed = rollups["computed_status"].get((pilot, goal))
            row[goal] = ("–" if judged is None and computed is None else
                         ctx.t("goals.matrix.cell", judged=ctx.status(judged),
                               computed=ctx.status(computed)))
        rows.append(row)
    goal_table = pd.DataFrame({
        ctx.t("goals.col.national_goal"): goals,
        ctx.t("goals.col.national_goal_text"): [
            ctx.pick(r, "text") for r in programme.national_goals.to_dict("records")],
    })
    phase_label = ctx.phase_name()
    return html.join(
        html.paragraph(ctx.t("goals.matrix.intro")),
        frame_to_html(goal_table, caption=ctx.t("goals.matrix.goals_caption")),
        frame_to_html(pd.DataFrame(rows),
                      caption=ctx.t("goals.matrix.caption", phase=phase_label),
                      numeric_columns=()),
        goal_changes_section(ctx) if ctx.phase == programme.phases[-1] else html.join(),
    )


def index_comparison(ctx: ReportContext) -> HtmlBlock:
    """Mean index score by pilot and wave: a small-multiples chart and its table.

    Means are of respondents' index scores (:func:`evaluation.survey.index_scores`),
    post-stratified by agency as in the pilot reports
    (:func:`evaluation.report.chapters.survey.weighted_summary`); groups below the anonymity
    threshold are suppressed with the report's disclosure plan (a pilot's wave hidden there is hidden in its own
    report too; waves never hide each other).
    The chart is :func:`evaluation.plots.synthesis.index_by_pilot_chart`.

    Returns
    -------
    HtmlBlock
        An explanatory paragraph and the figure (with alt text and data table).
    """
    from evaluation.report.chapters.survey import weighted_summary

    programme = ctx.programme
    summary = weighted_summary(ctx, ctx.data.responses)
    figure = index_by_pilot_chart(
        summary,
        index_labels={r["index"]: ctx.pick(r, "label")
                      for r in programme.survey_indices.to_dict("records")},
        pilot_labels={pilot: programme.pilot_name(pilot) for pilot in programme.pilot_ids},
        lang=ctx.lang, threshold=ctx.threshold)
    return html.join(html.paragraph(ctx.t("synthesis.index_intro")), figure.to_html())


def common_themes(ctx: ReportContext) -> HtmlBlock:
    """Share of each pilot's interviews in the phase's round that mention each theme, and the net tone.

    Uses :func:`evaluation.interviews.code_frequencies` (themes, by pilot) and
    :func:`evaluation.interviews.assessment_balance` (net score per theme over all pilots, one
    vote per interview), both on the interviews of the phase's round only. The note under the
    table names that base; its number of interviews is left out when a pilot's count is hidden
    (fewer than the threshold), since the total minus the pilots shown would give it.
    """
    from evaluation.interviews import assessment_balance, code_frequencies

    data, programme = ctx.data, ctx.programme
    interviews = data.interviews[data.interviews["round"] == ctx.phase]
    segments = data.segments[data.segments["interview_id"].isin(interviews["interview_id"])]
    frequencies = code_frequencies(segments, interviews, by="pilot", level="theme",
                                   codebook=data.codebook, threshold=ctx.threshold)
    balance = assessment_balance(segments, level="theme", codebook=data.codebook, threshold=ctx.threshold)
    labels = {r["theme"]: ctx.pick(r, "label") for r in programme.interview_themes.to_dict("records")}
    net = balance.set_index("theme")["net_score"] if "net_score" in balance.columns else pd.Series(dtype=float)
    rows = []
    for theme in programme.interview_themes["theme"]:
        row = {ctx.t("synthesis.theme"): labels[theme]}
        for pilot in programme.pilot_ids:
            cell = frequencies[(frequencies["pilot"] == pilot) & (frequencies["theme"] == theme)]
            value = cell["share"].iloc[0] if len(cell) else None
            row[programme.pilot_name(pilot)] = (ctx.t("suppressed_mark") if len(cell) and cell["suppressed"].iloc[0]
                                                else ctx.percent(value))
        row[ctx.t("synthesis.net_score")] = ctx.number(net.get(theme), decimals=2)
        rows.append(row)
    return html.join(
        html.paragraph(ctx.t("synthesis.themes_intro")),
        frame_to_html(pd.DataFrame(rows), caption=ctx.t("synthesis.themes_caption")),
        html.note(ctx.t("synthesis.net_score_note", base=_pilots_base(ctx, interviews))),
    )


def _pilots_base(ctx: ReportContext, interviews: pd.DataFrame) -> str:
    """The base of the synthesis' interview numbers: the round's interviews in all pilots."""
    sizes = interviews.groupby("pilot").size()
    if ((sizes > 0) & (sizes < ctx.threshold)).any():
        return ctx.t("interviews.base_pilots_hidden", round=interview_round(ctx),
                     threshold=ctx.threshold)
    return ctx.t("interviews.base_pilots", round=interview_round(ctx),
                 n=ctx.number(len(interviews)))


def synthesis_summary(ctx: ReportContext) -> HtmlBlock:
    """The synthesis' sammendrag: the evaluators' programme-level summary, then their
    recommendations to the ministry, so that it reads on its own."""
    from evaluation.report.chapters.assessment import narrative_sections

    parts = [narrative_sections(ctx, ("summary",), headed=False)]
    recommendations = narrative_section(ctx, "recommendations")
    if recommendations is not None:
        parts += [html.heading(ctx.t("summary.recommendations_heading"), key="summary-recommendations"),
                  recommendations]
    return html.join(*parts)


def lessons_across_pilots(ctx: ReportContext) -> HtmlBlock:
    """The lessons across the pilots, as the evaluators write them in the synthesis narrative.

    The section ``## Lærdommer på tvers av pilotene`` of ``narratives/synthesis-<phase>.<lang>.md``
    (an English report falls back to bokmål, and says so); when the synthesis narrative or the
    section is missing, the report says so.
    """
    lessons = narrative_section(ctx, "lessons", heading_level=3, subject=SYNTHESIS)
    if lessons is None:
        return html.paragraph(ctx.t("synthesis.lessons_missing"))
    return html.join(narrative_language_note(ctx, subject=SYNTHESIS) or html.join(), lessons)


__all__ = ["common_themes", "index_comparison", "lessons_across_pilots", "national_goals_matrix",
           "national_goals_text", "pilots_overview", "synthesis_summary"]
