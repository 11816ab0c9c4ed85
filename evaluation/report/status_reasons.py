"""The computed status of a sub-goal, with its reason in words.

:func:`evaluation.goals.computed_status` gives each sub-goal its status, each source's status and
the step of the rule that decided it (``reason``); the evidence table holds the facts behind each
source. This module puts them into one short text in the report's language, such as

    Spørreundersøkelsen – i rute: Samarbeid på tvers av etater: endring 0,42 (95 % KI 0,21 til
    0,63), en viktig økning (minste viktige endring 0,3). Intervjuer – for lite grunnlag: …

so that a reader sees why the rule says what it says, beside the evaluators' own judgement.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evaluation.goals import SOURCES
from evaluation.report.context import ReportContext

_RULE_KEYS = {
    "majority": "goals.reason.rule.majority",
    "all_targets_met": "goals.reason.rule.all_targets_met",
    "one_source_only": "goals.reason.rule.one_source_only",
    "target_not_met": "goals.reason.rule.target_not_met",
    "no_indicator": "goals.reason.rule.no_indicator",
    "not_enough_evidence": "goals.reason.rule.not_enough_evidence",
    "no_evidence": "goals.reason.rule.no_evidence",
}
_SURVEY_KEYS = {
    "on_track": "goals.reason.survey.on_track",
    "at_risk": "goals.reason.survey.at_risk",
    "off_track": "goals.reason.survey.off_track",
    "insufficient_evidence": "goals.reason.survey.insufficient_evidence",
}
_ABSENT_KEYS = {
    ("survey", "suppressed"): "goals.reason.survey.suppressed",
    ("interview", "suppressed"): "goals.reason.interview.suppressed",
    ("survey", "missing"): "goals.reason.survey.missing",
    ("interview", "missing"): "goals.reason.interview.missing",
}


def item_labels(ctx: ReportContext) -> dict[tuple[str, str], str]:
    """The reader's name of every evidence item of the report's pilot, by (source, item id)."""
    data, pilot, programme = ctx.data, ctx.pilot, ctx.programme
    labels: dict[tuple[str, str], str] = {}
    for r in programme.indicators.loc[programme.indicators["pilot"] == pilot].to_dict("records"):
        labels[("indicator", r["indicator_id"])] = ctx.pick(r, "name")
    for r in programme.survey_indices.to_dict("records"):
        labels[("survey", r["index"])] = ctx.pick(r, "label")
    for r in data.milestones.loc[data.milestones["pilot"] == pilot].to_dict("records"):
        labels[("milestone", r["milestone_id"])] = ctx.pick(r, "text")
    for r in programme.interview_themes.to_dict("records"):
        labels[("interview", r["theme"])] = ctx.pick(r, "label")
    return labels


def evidence_label(ctx: ReportContext, record: Mapping, labels: Mapping[tuple[str, str], str]) -> str:
    """The reader's name of an evidence row's item; for evidence a sub-goal inherited from one it
    replaced (:mod:`evaluation.goals.succession`), with that sub-goal and the day it stands at."""
    label = labels.get((record["source"], record["item"]), record["item"])
    if record.get("via"):
        return ctx.t("goals.evidence.inherited", label=label, sub_goal=record["via"], date=ctx.date(record["as_of"]))
    return label


def rule_number(ctx: ReportContext, value: float) -> str:
    """A rule value from ``programme.yaml`` as written there: 0,3 rather than 0,30."""
    return ctx.number(value, decimals=1 if round(float(value), 1) == float(value) else 2)


def _survey_fact(ctx: ReportContext, r: dict, *, level: float) -> str:
    if r["status"] not in _SURVEY_KEYS:
        return ctx.t(_ABSENT_KEYS[("survey", r["detail"] or "missing")], threshold=ctx.threshold)
    return ctx.t(_SURVEY_KEYS[r["status"]], change=ctx.number(r["estimate"], decimals=2),
                 low=ctx.number(r["ci_low"], decimals=2), high=ctx.number(r["ci_high"], decimals=2),
                 level=ctx.number(100 * level), mic=rule_number(ctx, r["threshold"]))


def _interview_fact(ctx: ReportContext, r: dict) -> str:
    if r["status"] == "no_data":
        return ctx.t(_ABSENT_KEYS[("interview", r["detail"] or "missing")], threshold=ctx.threshold)
    return ctx.t("goals.reason.interview", positive=ctx.number(r["n_positive"]),
                 negative=ctx.number(r["n_negative"]), n=ctx.number(r["n"]))


def _milestone_facts(ctx: ReportContext, rows: list[dict]) -> list[str]:
    details = [r["detail"] for r in rows]
    due = sum(d != "not_yet_due" for d in details)
    if not due:
        return [ctx.t("goals.reason.milestones.none_due")]
    facts = [ctx.t("goals.reason.milestones.done", done=sum(d.startswith("completed") for d in details),
                   due=due)]
    if "completed_late" in details:
        facts.append(ctx.t("goals.reason.milestones.late", late=details.count("completed_late")))
    if "overdue" in details:
        facts.append(ctx.t("goals.reason.milestones.overdue", overdue=details.count("overdue")))
    return facts


def _source_facts(ctx: ReportContext, source: str, rows: list[dict],
                  labels: Mapping[tuple[str, str], str], *, level: float) -> list[str]:
    """The facts behind one source's status, one short phrase per item (milestones together)."""
    if source == "milestone":
        return _milestone_facts(ctx, rows)
    facts = []
    for r in rows:
        label = evidence_label(ctx, r, labels)
        if source == "survey":
            fact = _survey_fact(ctx, r, level=level)
        elif source == "interview":
            fact = _interview_fact(ctx, r)
        else:
            fact = ctx.t("status." + r["status"]).lower()
        facts.append(f"{label}: {fact}")
    return facts


def reason_text(ctx: ReportContext, record: Mapping, evidence: pd.DataFrame, *,
                labels: Mapping[tuple[str, str], str], confidence_level: float) -> str:
    """The reason for one sub-goal's computed status, in the report's language.

    Parameters
    ----------
    ctx : ReportContext
        The report (language, number format, anonymity threshold).
    record : mapping
        The sub-goal's row of :func:`evaluation.goals.computed_status` (or of
        :func:`evaluation.goals.status_overview`): ``pilot``, ``sub_goal``, ``reason`` and the
        ``<source>_status`` columns.
    evidence : pandas.DataFrame
        :func:`evaluation.goals.evidence_table` (rows of other sub-goals are ignored).
    labels : mapping
        Reader's names of the items by (source, item id) (:func:`item_labels`).
    confidence_level : float
        Level of the survey intervals (:attr:`evaluation.goals.GoalAttainment.confidence_level`).

    Returns
    -------
    str
        One sentence per source with evidence -- its status and the facts behind it -- and a
        last one naming the step of the rule that decided the status.
    """
    mine = evidence.loc[(evidence["pilot"] == record["pilot"])
                        & (evidence["sub_goal"] == record["sub_goal"])]
    parts = []
    for source in SOURCES:
        rows = mine.loc[mine["source"] == source].to_dict("records")
        if not rows:
            continue
        facts = _source_facts(ctx, source, rows, labels, level=confidence_level)
        parts.append(ctx.t("goals.reason.source", source=ctx.t(f"goals.source.{source}"),
                           status=ctx.t("status." + record[f"{source}_status"]).lower(),
                           facts="; ".join(facts)))
    parts.append(ctx.t(_RULE_KEYS[record["reason"]]))
    return " ".join(parts)


def reason_texts(ctx: ReportContext) -> dict[tuple[str, str], str]:
    """The reason for every computed status of the report's goal attainment, by (pilot, sub-goal)."""
    result = ctx.attainment
    labels = item_labels(ctx)
    return {(r["pilot"], r["sub_goal"]): reason_text(ctx, r, result.evidence, labels=labels,
                                                     confidence_level=result.confidence_level)
            for r in result.overview.to_dict("records")}


__all__ = ["evidence_label", "item_labels", "reason_text", "reason_texts", "rule_number"]
