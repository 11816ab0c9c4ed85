"""The evidence a sub-goal inherits from the sub-goals it replaced (a merge, a split, a sharpening).

After the 2022 result reports the pilots merged and sharpened their sub-goals
(:mod:`evaluation.contract.goal_history`). A successor's computed status at a later cut-off
draws on the evidence of its predecessors up to the change and on its own evidence after it:

- **Indicators** of a predecessor count with their status on the predecessor's last day
  (``valid_to``): the latest observation on or before that day against the expected path on
  that day (:func:`evaluation.indicators.current_indicator_status`). An indicator that another
  indicator continues (its ``replaced_by``) is left out: its successor carries the measurement on,
  and counts as the successor sub-goal's own indicator.
- **Milestones** of a predecessor count with their status at the cut-off: a milestone is a
  dated commitment that stays in the plan when its sub-goal is merged, so one that falls due
  after the change, or is completed after it, is judged when the report is written, as the
  successor's own milestones are.
- **Survey indices and interview themes** are measured for the whole pilot, not per sub-goal.
  Those the successor links to are its own evidence over the whole period (baseline to the
  phase's wave, the phase's round). A predecessor's link that the successor does not take over
  counts with the evidence of the last phase whose cut-off is on or before the change (nothing
  when the change came before the first phase's cut-off).

Each inherited row is marked with the predecessor (``via``) and the day its evidence stands
at (``as_of``: the predecessor's last day for indicators, the cut-off for milestones, the earlier
phase's cut-off for survey and interview evidence). In the status
(:func:`evaluation.goals.status.computed_status`) it votes in its source like the successor's own
rows; only ``achieved`` is decided by the successor's own
indicators, the targets that still apply (a predecessor's indicator stopped before its target
year cannot meet it). A dropped sub-goal passes nothing on. Followed through chains, so a
sub-goal replaced twice passes its evidence to the sub-goal in force.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd

from evaluation.contract.goal_history import in_force, predecessors
from evaluation.goals.evidence import EVIDENCE_COLUMNS, SOURCES, evidence_table
from evaluation.indicators import current_indicator_status, milestone_status

SUCCESSION_COLUMNS = ["via", "as_of"]
"""The columns :func:`inherited_evidence` adds to :data:`~evaluation.goals.evidence.EVIDENCE_COLUMNS`."""

PhaseEvidence = Callable[[str], tuple[pd.DataFrame | None, pd.DataFrame | None]]
"""Given a phase id, its survey and interview evidence frames (``evidence_table``'s
``survey`` and ``interviews``), or ``None`` where a source has no data."""


def inherited_evidence(
    sub_goals: pd.DataFrame,
    *,
    programme,
    observations: pd.DataFrame,
    milestones: pd.DataFrame,
    as_of: pd.Timestamp,
    phase_evidence: PhaseEvidence,
) -> pd.DataFrame:
    """The evidence every sub-goal in force inherits from the sub-goals it replaced.

    Parameters
    ----------
    sub_goals : pandas.DataFrame
        The sub-goals in force at ``as_of`` [pilot, sub_goal, ...]
        (:meth:`~evaluation.contract.Programme.sub_goals_in_force`).
    programme : evaluation.contract.Programme
        For the whole history: ``sub_goals``, ``sub_goal_successors``, ``sub_goal_links``,
        ``indicators``, ``indicator_successors``, ``cutoffs``, ``status_thresholds`` and
        ``evidence_rules``.
    observations, milestones : pandas.DataFrame
        The indicator observations and milestones of the pilots wanted.
    as_of : pandas.Timestamp
        The report's cut-off.
    phase_evidence : callable
        ``phase -> (survey, interviews)`` evidence of an earlier phase, asked for only when a
        predecessor links to an index or theme its successor does not (see the module notes).

    Returns
    -------
    pandas.DataFrame
        :data:`~evaluation.goals.evidence.EVIDENCE_COLUMNS` plus ``via`` (the predecessor) and
        ``as_of`` (the day the row's evidence stands at), with ``sub_goal`` the successor in
        force. Only rows with data (status other than ``no_data``); in the order of
        ``sub_goals``, then predecessors nearest first.
    """
    rules = programme.evidence_rules
    history = programme.sub_goals.set_index("sub_goal")
    links = programme.sub_goal_links
    continued = set(programme.indicator_successors["indicator_id"])
    parts = []
    for pilot, successor in zip(sub_goals["pilot"], sub_goals["sub_goal"]):
        own = set(zip(*[links.loc[links["sub_goal"] == successor, c] for c in ("kind", "target")]))
        for predecessor in predecessors(successor, programme.sub_goal_successors):
            last_day = history.loc[predecessor, "valid_to"]
            if pd.isna(last_day) or last_day >= as_of:
                continue
            indicators = programme.indicators.loc[(programme.indicators["sub_goal"] == predecessor)
                                                  & ~programme.indicators["indicator_id"].isin(continued)]
            indicators = in_force(indicators, last_day)
            seen = observations.loc[observations["indicator_id"].isin(indicators["indicator_id"])
                                    & (observations["date"] <= last_day)]
            indicator_status = current_indicator_status(seen, indicators, as_of=last_day.date(),
                                                        thresholds=programme.status_thresholds)
            mine = milestones.loc[milestones["sub_goal"] == predecessor]
            milestone_rows = milestone_status(mine, as_of=as_of.date()) if len(mine) else None
            kept = links.loc[(links["sub_goal"] == predecessor)
                             & links["kind"].isin(["survey_index", "interview_theme"])]
            kept = kept.loc[[(k, t) not in own for k, t in zip(kept["kind"], kept["target"])]]
            survey = interviews = earlier_day = None
            earlier = [p for p, cutoff in programme.cutoffs.items() if pd.Timestamp(cutoff) <= last_day]
            if len(kept) and earlier:
                survey, interviews = phase_evidence(earlier[-1])
                earlier_day = pd.Timestamp(programme.cutoffs[earlier[-1]])
            elif len(kept):
                kept = kept.iloc[0:0]
            rows = evidence_table(
                pd.DataFrame({"pilot": [pilot], "sub_goal": [predecessor]}), kept,
                indicator_status=indicator_status, milestones=milestone_rows, survey=survey,
                interviews=interviews, minimal_important_change=rules.minimal_important_change,
                net_threshold=rules.interview_net_threshold,
                completed_late_milestone=rules.completed_late_milestone)
            rows = rows.loc[rows["status"] != "no_data"].copy()
            rows["via"] = predecessor
            rows["as_of"] = [{"milestone": as_of, "indicator": last_day}.get(source, earlier_day)
                             for source in rows["source"]]
            rows["sub_goal"] = successor
            parts.append(rows)
    if not parts:
        return empty_inherited()
    frame = pd.concat(parts, ignore_index=True)
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def empty_inherited() -> pd.DataFrame:
    """An inherited-evidence frame without rows (the columns of :func:`inherited_evidence`)."""
    frame = pd.DataFrame(columns=[*EVIDENCE_COLUMNS, *SUCCESSION_COLUMNS])
    frame["as_of"] = pd.to_datetime(frame["as_of"])
    return frame


def with_inherited(evidence: pd.DataFrame, inherited: pd.DataFrame, *, as_of: pd.Timestamp) -> pd.DataFrame:
    """The sub-goals' own evidence (``via`` empty, ``as_of`` the cut-off) followed, within each
    sub-goal and source, by what they inherited."""
    own = evidence.copy()
    own["via"] = ""
    own["as_of"] = pd.Timestamp(as_of)
    if inherited.empty:
        return own
    frame = pd.concat([own, inherited.astype(own.dtypes.to_dict())], ignore_index=True)
    order = {s: i for i, s in enumerate(SOURCES)}
    frame["_order"] = frame["source"].map(order)
    frame["_inherited"] = frame["via"] != ""
    frame = frame.sort_values(["pilot", "sub_goal", "_order", "_inherited"], kind="stable", ignore_index=True)
    return frame.drop(columns=["_order", "_inherited"])


__all__ = ["SUCCESSION_COLUMNS", "empty_inherited", "inherited_evidence", "with_inherited"]
