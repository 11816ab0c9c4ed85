"""The goal-attainment chapter of a pilot report.

:func:`goals_chapter` gives the chapter body (the lead writes the ``<h2>``): the indicator tracking
table, the milestones, the status of every sub-goal (the evaluators' judged status and rationale,
and beside it, as an aid, the status computed by rule with its reason in words, and a
disagreement flag), the evidence behind it, and the virkningskjede;
in the final phase also the change since midterm and the evidence of lasting results. The numbers
are the report's goal attainment (:func:`evaluation.goals.goal_attainment`, computed once per
report as :attr:`~evaluation.report.context.ReportContext.attainment`).
"""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.goals import (
    gas_summary,
    national_goal_rollup,
    results_chain_status,
    status_change,
)
from evaluation.html import HtmlBlock
from evaluation.interviews import assessment_balance
from evaluation.report.chapters.interviews import interview_base
from evaluation.report.results_chain import results_chain_html
from evaluation.report.context import ReportContext
from evaluation.report.frame import section_heading
from evaluation.report.status_reasons import evidence_label, item_labels, reason_texts, rule_number
from evaluation.tables import frame_to_html

LASTING_RESULTS_THEME = "lasting_results"
"""Interview theme whose assessments speak to results that last after the pilot period."""


def value_decimals(values) -> int:
    """0 decimals when every value is whole, else 1 (values as the pilots report them)."""
    numbers = [float(v) for v in values if v is not None and not pd.isna(v)]
    return 0 if all(float(v).is_integer() for v in numbers) else 1


def format_estimate(ctx: ReportContext, measure: str, value: float) -> str:
    if value is None or pd.isna(value):
        return "–"
    if measure == "progress_vs_expected":
        return ctx.percent(value)
    if measure == "days_late":
        return ctx.number(value)
    return ctx.number(value, decimals=2)


def _sub_goal_labels(ctx: ReportContext) -> dict[str, str]:
    """Every sub-goal the pilot ever had (successors and predecessors alike), labelled."""
    sub_goals = ctx.programme.sub_goals
    rows = sub_goals.loc[sub_goals["pilot"] == ctx.pilot].to_dict("records")
    return {r["sub_goal"]: f"{r['sub_goal']}: {ctx.pick(r, 'text')}" for r in rows}


def _indicator_section(ctx: ReportContext) -> HtmlBlock:
    data, result, pilot = ctx.data, ctx.attainment, ctx.pilot
    parts = [section_heading(ctx, "goals.heading.indicators")]
    thresholds = data.programme.status_thresholds
    parts.append(html.paragraph(ctx.t("goals.indicators.intro",
                                      on_track=ctx.percent(thresholds.get("on_track", 0.9)),
                                      at_risk=ctx.percent(thresholds.get("at_risk", 0.5)))))
    definitions = ctx.indicators
    if definitions.empty:
        parts.append(html.paragraph(ctx.t("goals.indicators.none")))
        return html.join(*parts)
    names = {r["indicator_id"]: r for r in definitions.to_dict("records")}
    tracking = result.tracking.loc[result.tracking["pilot"] == pilot]
    rows = []
    for indicator_id, group in tracking.groupby("indicator_id", sort=False):
        definition = names[indicator_id]
        decimals = value_decimals([definition["baseline_value"], definition["target_value"],
                              *group["actual"]])
        for r in group.to_dict("records"):
            rows.append({
                ctx.t("goals.col.indicator"): (
                    f"{ctx.pick(definition, 'name')} ({definition['unit']}; "
                    f"{ctx.t('direction.' + definition['direction'])})"),
                ctx.t("goals.col.year"): str(r["year"]),
                ctx.t("goals.col.baseline"): ctx.t(
                    "goals.value_in_year",
                    value=ctx.number(r["baseline_value"], decimals=decimals),
                    year=r["baseline_year"]),
                ctx.t("goals.col.target"): ctx.t(
                    "goals.value_in_year",
                    value=ctx.number(r["target_value"], decimals=decimals),
                    year=r["target_year"]),
                ctx.t("goals.col.actual"): ctx.number(r["actual"], decimals=decimals),
                ctx.t("goals.col.share_of_target"): ctx.percent(r["share_of_target"]),
                ctx.t("goals.col.progress"): ctx.percent(r["progress"]),
                ctx.t("goals.col.expected"): ctx.percent(r["expected_progress"]),
                ctx.t("goals.col.status"): ctx.status(r["status"]),
            })
    parts.append(frame_to_html(
        pd.DataFrame(rows),
        caption=ctx.t("goals.indicators.caption", pilot=data.programme.pilot_name(pilot)),
    ))
    return html.join(*parts)


def _milestone_section(ctx: ReportContext) -> HtmlBlock:
    data, result, pilot = ctx.data, ctx.attainment, ctx.pilot
    parts = [section_heading(ctx, "goals.heading.milestones")]
    milestones = result.milestones.loc[result.milestones["pilot"] == pilot]
    cutoff = ctx.date(result.as_of)
    if milestones.empty:
        parts.append(html.paragraph(ctx.t("goals.milestones.none")))
        return html.join(*parts)
    status = milestones["status"]
    completed = int(status.isin(["completed_on_time", "completed_late"]).sum())
    parts.append(html.paragraph(ctx.t(
        "goals.milestones.intro", cutoff=cutoff, completed=completed,
        total=len(milestones), on_time=int((status == "completed_on_time").sum()),
        overdue=int((status == "overdue").sum()))))
    labels = _sub_goal_labels(ctx)
    rows = []
    for r in milestones.to_dict("records"):
        rows.append({
            ctx.t("goals.col.milestone"): ctx.pick(r, "text"),
            ctx.t("goals.col.sub_goal"): labels.get(r["sub_goal"], r["sub_goal"]),
            ctx.t("goals.col.due"): ctx.date(r["due_date"]),
            ctx.t("goals.col.completed"): ("–" if pd.isna(r["completed_date"])
                                           else ctx.date(r["completed_date"])),
            ctx.t("goals.col.status"): ctx.t(f"goals.milestone.{r['status']}"),
            ctx.t("goals.col.days_late"): ctx.number(r["days_late"]),
        })
    parts.append(frame_to_html(
        pd.DataFrame(rows),
        caption=ctx.t("goals.milestones.caption", pilot=data.programme.pilot_name(pilot),
                      cutoff=cutoff),
    ))
    return html.join(*parts)


def _status_section(ctx: ReportContext) -> HtmlBlock:
    data, result, pilot = ctx.data, ctx.attainment, ctx.pilot
    parts = [section_heading(ctx, "goals.heading.status"),
             html.paragraph(ctx.t("goals.status.intro"))]
    overview = result.overview.loc[result.overview["pilot"] == pilot]
    labels = _sub_goal_labels(ctx)
    n_disagree = int(overview["disagreement"].sum())
    if n_disagree:
        parts.append(html.paragraph(ctx.t("goals.status.disagreements", count=n_disagree,
                                          total=len(overview))))
    else:
        parts.append(html.paragraph(ctx.t("goals.status.no_disagreements")))
    reasons = reason_texts(ctx)
    rows = []
    for r in overview.to_dict("records"):
        rows.append({
            ctx.t("goals.col.sub_goal"): labels.get(r["sub_goal"], r["sub_goal"]),
            ctx.t("goals.col.judged"): ctx.status(r["judged_status"]),
            ctx.t("goals.col.rationale"): ctx.pick(r, "rationale") or "–",
            ctx.t("goals.col.gas"): ("–" if pd.isna(r["gas_score"])
                                     else ctx.number(r["gas_score"])),
            ctx.t("goals.col.computed"): ctx.status(r["computed_status"]),
            ctx.t("goals.col.reason"): reasons[(r["pilot"], r["sub_goal"])],
            ctx.t("goals.col.disagreement"): ctx.t(
                "goals.disagreement.yes" if r["disagreement"] else "goals.disagreement.no"),
        })
    parts.append(frame_to_html(
        pd.DataFrame(rows),
        caption=ctx.t("goals.status.caption", pilot=data.programme.pilot_name(pilot)),
    ))
    gas = gas_summary(data.assessments.loc[data.assessments["pilot"] == pilot],
                      phase=ctx.phase)
    if len(gas):
        parts.append(html.paragraph(ctx.t("goals.gas.summary", n=int(gas["n_rated"].iloc[0]),
                                          t=ctx.number(gas["t_score"].iloc[0], decimals=1))))
    return html.join(*parts)


def format_interval(ctx: ReportContext, low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return "–"
    return ctx.t("goals.interval", low=ctx.number(low, decimals=2), high=ctx.number(high, decimals=2))


def _evidence_section(ctx: ReportContext) -> HtmlBlock:
    data, result, pilot = ctx.data, ctx.attainment, ctx.pilot
    rules = data.programme.evidence_rules
    level = ctx.number(100 * result.confidence_level)
    late = ("goals.evidence.late_counts" if rules.completed_late_milestone == "on_track"
            else "goals.evidence.late_no_vote")
    parts = [section_heading(ctx, "goals.heading.evidence"),
             html.paragraph(ctx.t("goals.evidence.intro", level=level,
                                  mic=rule_number(ctx, rules.minimal_important_change),
                                  net=rule_number(ctx, rules.interview_net_threshold),
                                  late=ctx.t(late)))]
    evidence = result.evidence.loc[result.evidence["pilot"] == pilot]
    items = item_labels(ctx)
    rows = []
    for r in evidence.to_dict("records"):
        rows.append({
            ctx.t("goals.col.sub_goal"): r["sub_goal"],
            ctx.t("goals.col.source"): ctx.t(f"goals.source.{r['source']}"),
            ctx.t("goals.col.item"): evidence_label(ctx, r, items),
            ctx.t("goals.col.measure"): ctx.t(f"goals.measure.{r['measure']}"),
            ctx.t("goals.col.estimate"): format_estimate(ctx, r["measure"], r["estimate"]),
            ctx.t("goals.col.ci", level=level): format_interval(ctx, r["ci_low"], r["ci_high"]),
            ctx.t("goals.col.n"): "–" if pd.isna(r["n"]) else ctx.number(r["n"]),
            ctx.t("goals.col.status"): ctx.status(r["status"]),
        })
    if rows:
        parts.append(frame_to_html(
            pd.DataFrame(rows),
            caption=ctx.t("goals.evidence.caption", pilot=data.programme.pilot_name(pilot)),
        ))
    if (evidence["source"] == "interview").any():
        parts.append(html.note(ctx.t("goals.evidence.interview_base",
                                     base=interview_base(ctx, len(_round_interviews(ctx))))))
    return html.join(*parts)


def _round_interviews(ctx: ReportContext) -> pd.DataFrame:
    """The pilot's interviews of the report's round: the base of every interview number here,
    as of the goal evidence (:func:`evaluation.goals.goal_attainment`)."""
    interviews = ctx.data.interviews
    return interviews.loc[(interviews["pilot"] == ctx.pilot) & (interviews["round"] == ctx.phase)]


def chain_section(ctx: ReportContext) -> HtmlBlock:
    data, result, pilot = ctx.data, ctx.attainment, ctx.pilot
    programme = data.programme
    overview = result.overview.loc[result.overview["pilot"] == pilot]
    # The evaluators' judgement is the report's status; the status computed by rule is only
    # shown beside it (status table, summary), never in its place.
    national = national_goal_rollup(overview, programme.sub_goal_links, status_column="judged_status")
    chain = results_chain_status(programme.results_chain, programme.results_chain_links,
                                 pilot=pilot, sub_goal_status=overview,
                                 national_goal_status=national, status_column="judged_status",
                                 successors=programme.sub_goal_successors)
    return html.join(
        section_heading(ctx, "goals.heading.chain"),
        html.paragraph(ctx.t("goals.chain.intro")),
        results_chain_html(chain, lang=ctx.lang,
                           title=ctx.t("goals.chain.title", pilot=programme.pilot_name(pilot))),
    )


def status_change_section(ctx: ReportContext) -> HtmlBlock:
    data, final, pilot = ctx.data, ctx.attainment, ctx.pilot
    programme = data.programme
    midterm = ctx.analyses.attainment((pilot,), phase=ctx.previous_phase)
    mid = midterm.overview
    end = final.overview.loc[final.overview["pilot"] == pilot]
    successors = programme.sub_goal_successors
    successors = successors.loc[successors["pilot"] == pilot]
    judged = status_change(mid, end, status_column="judged_status", successors=successors)
    computed = status_change(mid, end, status_column="computed_status", successors=successors)
    labels = _sub_goal_labels(ctx)
    rows = []
    for j, c in zip(judged.to_dict("records"), computed.to_dict("records")):
        label = labels.get(j["sub_goal"], j["sub_goal"])
        if j["change"] == "dropped":
            label = ctx.t("goals.change.dropped_label", sub_goal=label)
        elif isinstance(j["predecessor"], str) and j["predecessor"] != j["sub_goal"]:
            label = ctx.t("goals.change.successor_label", sub_goal=label, predecessor=j["predecessor"])
        rows.append({
            ctx.t("goals.col.sub_goal"): label,
            ctx.t("goals.col.judged_midterm"): ctx.status(j["status_from"]),
            ctx.t("goals.col.judged_final"): ctx.status(j["status_to"]),
            ctx.t("goals.col.judged_change"): ctx.t(f"goals.change.{j['change']}"),
            ctx.t("goals.col.computed_midterm"): ctx.status(c["status_from"]),
            ctx.t("goals.col.computed_final"): ctx.status(c["status_to"]),
            ctx.t("goals.col.computed_change"): ctx.t(f"goals.change.{c['change']}"),
        })
    parts = [
        section_heading(ctx, "goals.heading.change"),
        html.paragraph(ctx.t("goals.change.intro",
                             midterm=ctx.date(programme.cutoffs[ctx.previous_phase]),
                             final=ctx.date(programme.cutoffs[ctx.phase]))),
        frame_to_html(pd.DataFrame(rows),
                      caption=ctx.t("goals.change.caption",
                                    pilot=programme.pilot_name(pilot))),
    ]
    return html.join(*parts)


def lasting_section(ctx: ReportContext) -> HtmlBlock:
    data, final, pilot = ctx.data, ctx.attainment, ctx.pilot
    programme = data.programme
    parts = [section_heading(ctx, "goals.heading.lasting"),
             html.paragraph(ctx.t("goals.lasting.intro"))]
    overview = final.overview.loc[final.overview["pilot"] == pilot]
    good = overview.loc[overview["judged_status"].isin(["achieved", "on_track"])]
    labels = _sub_goal_labels(ctx)
    if len(good):
        listed = "; ".join(f"{labels.get(sg, sg)} ({ctx.status(s)})"
                           for sg, s in zip(good["sub_goal"], good["judged_status"]))
        parts.append(html.paragraph(ctx.t("goals.lasting.sub_goals", sub_goals=listed)))
    else:
        parts.append(html.paragraph(ctx.t("goals.lasting.sub_goals_none")))
    interviews = _round_interviews(ctx)
    segments = data.segments.loc[data.segments["interview_id"].isin(interviews["interview_id"])]
    table = None
    themes = set(programme.interview_themes["theme"])
    if not segments.empty and LASTING_RESULTS_THEME in themes:
        balance = assessment_balance(segments, interviews=interviews, by="pilot",
                                     codebook=data.codebook, include=[LASTING_RESULTS_THEME],
                                     threshold=ctx.threshold)
        balance = balance.loc[~balance["suppressed"].astype(bool)
                              & (balance["total"].fillna(0) > 0)]
        if len(balance):
            theme_labels = {r["theme"]: ctx.pick(r, "label")
                            for r in programme.interview_themes.to_dict("records")}
            rows = []
            for r in balance.to_dict("records"):
                rows.append({
                    ctx.t("goals.col.theme"): theme_labels.get(r["theme"], r["theme"]),
                    **{ctx.t(f"assessment.{a}"): ctx.number(r[a])
                       for a in ("positive", "negative", "mixed", "neutral")},
                    ctx.t("goals.col.total"): ctx.number(r["total"]),
                    ctx.t("goals.col.net_score"): ctx.number(r["net_score"],
                                                             decimals=2),
                })
            table = frame_to_html(pd.DataFrame(rows),
                                  caption=ctx.t("goals.lasting.caption",
                                                pilot=programme.pilot_name(pilot),
                                                base=interview_base(ctx, len(interviews))))
    parts.append(table if table is not None else html.paragraph(ctx.t("goals.lasting.none")))
    return html.join(*parts)


def goals_chapter(ctx: ReportContext) -> HtmlBlock:
    """The appendix on goal attainment in detail, as HTML (without the ``<h2>``).

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot, phase, language and threshold; its goal attainment
        (:attr:`ReportContext.attainment`) is shared with the summary and the findings.

    Returns
    -------
    evaluation.html.HtmlBlock
        ``<h3>`` sections: the indicator tracking table (every year), the milestones, the
        status per sub-goal (the evaluators' judgement and rationale, the GAS T-score, the status
        computed by rule with its reason, the disagreement flag) and the evidence per sub-goal
        with every measure. The findings chapter (:func:`evaluation.report.chapters.findings.findings_by_goal`)
        draws on the same numbers, sub-goal by sub-goal.
    """
    return html.join(
        html.paragraph(ctx.t("goals.intro", cutoff=ctx.date(ctx.attainment.as_of))),
        _indicator_section(ctx),
        _milestone_section(ctx),
        _status_section(ctx),
        _evidence_section(ctx),
    )


__all__ = ["LASTING_RESULTS_THEME", "chain_section", "format_estimate", "format_interval", "goals_chapter",
           "lasting_section", "status_change_section", "value_decimals"]
