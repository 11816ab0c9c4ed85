"""The change to the goals as a finding: what was dropped, merged, split, sharpened or added, when
the steering group approved it and why, and whether it stays within the national goals.

The changes come from the history of the sub-goals in ``programme.yaml``
(:attr:`evaluation.contract.programme.Programme.goal_changes`); whether a change stays within the
national goals is computed from the sub-goals' links, not asserted
(:func:`evaluation.contract.goal_history.goal_changes`).
"""

from __future__ import annotations

import pandas as pd

from evaluation import html
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext
from evaluation.report.frame import section_heading
from evaluation.tables import frame_to_html


def changes_up_to_cutoff(ctx: ReportContext) -> pd.DataFrame:
    """The goal changes of the report's pilot (every pilot's for the synthesis) that took effect
    on or before the phase's cut-off.

    Parameters
    ----------
    ctx : ReportContext
        The report.

    Returns
    -------
    pandas.DataFrame
        The rows of :attr:`~evaluation.contract.programme.Programme.goal_changes` (pilot,
        sub_goal, change, successor, date, approved, reason_nb, reason_en,
        within_national_goals) with ``date`` on or before the cut-off, in their order. For a
        dropped, merged, split or sharpened sub-goal ``date`` is its last day, so a change whose
        successor starts the day after the cut-off is not yet counted.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> last = load_data().programme.phases[-1]
    >>> ctx = ReportContext(load_data(phase=last), pilot="stad", phase=last)
    >>> list(changes_up_to_cutoff(ctx).columns)[:4]
    ['pilot', 'sub_goal', 'change', 'successor']
    """
    changes = ctx.programme.goal_changes
    if ctx.pilot is not None:
        changes = changes.loc[changes["pilot"] == ctx.pilot]
    return changes.loc[changes["date"] <= pd.Timestamp(ctx.programme.cutoffs[ctx.phase])]


def goal_changes_section(ctx: ReportContext) -> HtmlBlock:
    """The section on changes to the sub-goals, for the last phase's reports.

    Parameters
    ----------
    ctx : ReportContext
        A pilot report (its pilot's changes) or the synthesis (every pilot's).

    Returns
    -------
    evaluation.html.HtmlBlock
        A heading (anchor ``goals-heading-goal-changes``), an introduction and a table with one
        row per change (:func:`changes_up_to_cutoff`): the pilot (synthesis only), the sub-goal,
        the kind of change, the successor, the last day the sub-goal applied (the first for an
        added one), the steering group's approval, the reason, and whether the change stays
        within the national goals; or a sentence that the goals did not change.
    """
    changes = changes_up_to_cutoff(ctx)
    goals = ctx.programme.sub_goals.set_index("sub_goal")
    parts = [section_heading(ctx, "goals.heading.goal_changes")]
    if changes.empty:
        parts.append(html.paragraph(ctx.t("goal_changes.none")))
        return html.join(*parts)
    parts.append(html.paragraph(ctx.t("goal_changes.intro")))

    def label(sub_goal) -> str:
        if not isinstance(sub_goal, str):
            return "–"
        return f"{sub_goal}: {ctx.pick(goals.loc[sub_goal].to_dict(), 'text')}"

    rows = []
    for record in changes.to_dict("records"):
        row = {} if ctx.pilot is not None else {ctx.t("goals.col.pilot"): ctx.programme.pilot_name(record["pilot"])}
        row.update({
            ctx.t("goal_changes.col.sub_goal"): label(record["sub_goal"]),
            ctx.t("goal_changes.col.change"): ctx.t(f"goal_changes.change.{record['change']}"),
            ctx.t("goal_changes.col.successor"): label(record["successor"]),
            ctx.t("goal_changes.col.date"): ctx.date(record["date"].date()),
            ctx.t("goal_changes.col.approved"): "–" if pd.isna(record["approved"])
            else ctx.date(record["approved"].date()),
            ctx.t("goal_changes.col.reason"): ctx.pick(record, "reason") or "–",
            ctx.t("goal_changes.col.within"): ctx.t("goal_changes.within_yes") if record["within_national_goals"]
            else ctx.t("goal_changes.within_no"),
        })
        rows.append(row)
    caption = ctx.t("goal_changes.caption", pilot=ctx.pilot_name)
    parts.append(frame_to_html(pd.DataFrame(rows), caption=caption))
    return html.join(*parts)


__all__ = ["changes_up_to_cutoff", "goal_changes_section"]
