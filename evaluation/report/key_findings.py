"""Key findings generated from the data: the sentences that open a report's summary.

Each finding is one sentence in the report's language built from numbers the report shows
elsewhere, with a link to the section that holds its source table; nothing here computes a new
statistic, and every number has passed the same suppression as its source table (a hidden group
gives no sentence).
"""

from __future__ import annotations

from dataclasses import dataclass


from evaluation import html
from evaluation.html import HtmlBlock, anchor_id
from evaluation.report.context import ReportContext

_MAGNITUDE = {"negligible": "key_findings.magnitude.negligible", "small": "key_findings.magnitude.small",
              "medium": "key_findings.magnitude.medium", "large": "key_findings.magnitude.large"}
_STATUS_WORD = {"achieved": "key_findings.status_word.achieved", "on_track": "key_findings.status_word.on_track",
                "at_risk": "key_findings.status_word.at_risk", "off_track": "key_findings.status_word.off_track",
                "insufficient_evidence": "key_findings.status_word.insufficient_evidence"}

MAX_SURVEY_FINDINGS = 3
"""At most this many survey indices are named, the largest standardised changes first."""


@dataclass(frozen=True)
class KeyFinding:
    """One generated sentence, its source (words) and the anchor of the section that shows it."""

    text: str
    source: str
    anchor: str


def _survey_findings(ctx: ReportContext) -> list[KeyFinding]:
    from evaluation.report.chapters.survey import survey_comparisons

    if ctx.data.for_pilot("responses", ctx.pilot).empty:
        return []
    comparisons = survey_comparisons(ctx, weighted=True)
    rows = comparisons[(comparisons["level"] == "pilot") & comparisons["primary"]
                       & (comparisons["to_role"] == ctx.phase) & ~comparisons["suppressed"]
                       & comparisons["difference"].notna()]
    source = ctx.t("key_findings.source_survey")
    anchor = anchor_id("survey.h.trends")
    if rows.empty:
        return []
    clear = rows[(rows["ci_low"] > 0) | (rows["ci_high"] < 0)]
    labels = dict(zip(ctx.programme.survey_indices["index"],
                      [ctx.pick(r, "label") for r in ctx.programme.survey_indices.to_dict("records")]))
    if clear.empty:
        first = rows.iloc[0]
        return [KeyFinding(ctx.t("key_findings.survey_none", pilot=ctx.pilot_name, before=first["from_wave"],
                                 after=first["to_wave"]), source, anchor)]
    clear = clear.reindex(clear["hedges_g"].abs().sort_values(ascending=False).index).head(MAX_SURVEY_FINDINGS)
    findings = []
    for r in clear.to_dict("records"):
        key = "key_findings.survey_up" if r["difference"] > 0 else "key_findings.survey_down"
        findings.append(KeyFinding(ctx.t(
            key, index=labels.get(r["index"], r["index"]), pilot=ctx.pilot_name,
            mean_from=ctx.number(r["mean_from"], decimals=2), mean_to=ctx.number(r["mean_to"], decimals=2),
            before=r["from_wave"], after=r["to_wave"],
            low=ctx.number(r["ci_low"], decimals=2), high=ctx.number(r["ci_high"], decimals=2),
            magnitude=ctx.t(_MAGNITUDE[r["magnitude"]])), source, anchor))
    return findings


def _indicator_finding(ctx: ReportContext) -> list[KeyFinding]:
    current = ctx.attainment.indicators
    current = current[current["pilot"] == ctx.pilot]
    informative = current[current["status"] != "no_data"]
    if informative.empty:
        return []
    good = int(informative["status"].isin(["achieved", "on_track"]).sum())
    behind = informative[informative["status"] == "off_track"]
    names = {r["indicator_id"]: ctx.pick(r, "name") for r in ctx.programme.indicators.to_dict("records")}
    text = ctx.t("key_findings.indicators", good=good, total=len(informative), date=ctx.date(ctx.attainment.as_of))
    if len(behind):
        text += " " + ctx.t("key_findings.indicators_behind",
                            names=", ".join(f"«{names.get(i, i)}»" for i in behind["indicator_id"]))
    return [KeyFinding(text, ctx.t("key_findings.source_indicators"), anchor_id("goals.heading.indicators"))]


def _milestone_finding(ctx: ReportContext) -> list[KeyFinding]:
    milestones = ctx.attainment.milestones
    milestones = milestones[(milestones["pilot"] == ctx.pilot) & (milestones["status"] != "not_yet_due")]
    if milestones.empty:
        return []
    done = int(milestones["status"].isin(["completed_on_time", "completed_late"]).sum())
    overdue = int((milestones["status"] == "overdue").sum())
    text = ctx.t("key_findings.milestones", done=done, total=len(milestones))
    if overdue:
        text += " " + ctx.t("key_findings.milestones_overdue", overdue=overdue)
    return [KeyFinding(text, ctx.t("key_findings.source_milestones"), anchor_id("goals.heading.milestones"))]


def _status_finding(ctx: ReportContext) -> list[KeyFinding]:
    overview = ctx.attainment.overview
    overview = overview[overview["pilot"] == ctx.pilot]
    judged = overview["judged_status"]
    if judged.isna().all() or (judged == "no_data").all():
        return []
    counts = judged.value_counts()
    parts = [f"{int(counts[status])} {ctx.t(word)}" for status, word in _STATUS_WORD.items() if status in counts]
    return [KeyFinding(ctx.t("key_findings.statuses", total=len(overview), parts=", ".join(parts)),
                       ctx.t("key_findings.source_status"), "status-at-a-glance")]


def key_findings(ctx: ReportContext) -> list[KeyFinding]:
    """The report's key findings, generated from the data, in reading order.

    Parameters
    ----------
    ctx : ReportContext
        The report's pilot, phase and language, its goal attainment and disclosure plan.

    Returns
    -------
    list of KeyFinding
        The evaluators' judged status of the sub-goals; the survey indices whose weighted change
        since the baseline has an interval that excludes zero, largest Hedges' g first (at most
        :data:`MAX_SURVEY_FINDINGS`; or one sentence saying that none changed clearly); the
        indicators on track or achieved, naming those off track; the milestones due that are
        done, and those overdue. A source without data (or hidden by the anonymity rule) gives
        no sentence.
    """
    return [*_status_finding(ctx), *_survey_findings(ctx), *_indicator_finding(ctx), *_milestone_finding(ctx)]


def key_findings_html(ctx: ReportContext) -> HtmlBlock:
    """The key findings as a list, each with a link to its source section."""
    findings = key_findings(ctx)
    if not findings:
        return html.join()
    return html.render_fragment("key_findings", items=findings)


__all__ = ["KeyFinding", "key_findings", "key_findings_html"]
