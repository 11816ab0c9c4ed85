"""Sub-goal status: computed from the evidence, beside the evaluators' judgement, rolled up to
the national goals, and compared between phases.

Status ids, best first: ``achieved``, ``on_track``, ``at_risk``, ``off_track``; then
``insufficient_evidence`` (there are data, but they cannot tell the four apart) and ``no_data``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import STATUSES
from evaluation.errors import DataContractError, DataProblem
from evaluation.goals._frames import ASSESSMENTS_FILE, require
from evaluation.goals.evidence import SOURCES

STATUS_LEVEL = {"off_track": 0, "at_risk": 1, "on_track": 2, "achieved": 3}
"""Ordinal level of each informative status (``insufficient_evidence`` and ``no_data`` have
none)."""

LEVEL_STATUS = {level: status for status, level in STATUS_LEVEL.items()}

REASONS = ("no_evidence", "not_enough_evidence", "majority", "all_targets_met",
           "one_source_only", "target_not_met", "no_indicator")
"""Which step of :func:`computed_status` decided a sub-goal's status (its ``reason``)."""


def combine_statuses(statuses: Iterable[str]) -> str:
    """Combine statuses by majority: the best status that more than half of them reach.

    Parameters
    ----------
    statuses : iterable of str
        Status ids.

    Returns
    -------
    str
        The lower median of the informative statuses (those with a level) on the ordinal scale
        ``off_track < at_risk < on_track < achieved``: the best status that more than half of
        them reach or exceed. On an even split the worse side wins, so the rule is
        conservative. ``insufficient_evidence`` and ``no_data`` entries are set aside when an
        informative one is left; with none left, the result is ``insufficient_evidence`` if
        any entry had insufficient evidence, otherwise ``no_data``.

    Raises
    ------
    ValueError
        For an unknown status id.

    Examples
    --------
    >>> combine_statuses(["on_track", "off_track"])
    'off_track'
    >>> combine_statuses(["on_track", "on_track", "at_risk", "no_data"])
    'on_track'
    >>> combine_statuses(["on_track", "insufficient_evidence", "insufficient_evidence"])
    'on_track'
    >>> combine_statuses(["insufficient_evidence", "no_data"])
    'insufficient_evidence'
    >>> combine_statuses([])
    'no_data'
    """
    levels, insufficient = [], False
    for status in statuses:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        if status in STATUS_LEVEL:
            levels.append(STATUS_LEVEL[status])
        insufficient = insufficient or status == "insufficient_evidence"
    if not levels:
        return "insufficient_evidence" if insufficient else "no_data"
    levels.sort()
    return LEVEL_STATUS[levels[(len(levels) - 1) // 2]]


def _sub_goal_status(per_source: dict[str, str], indicator_statuses: list[str]) -> tuple[str, str]:
    """``(status, reason)`` of a sub-goal from its sources' statuses (see :func:`computed_status`)."""
    informative = [s for s in per_source.values() if s in STATUS_LEVEL]
    if not informative:
        if "insufficient_evidence" in per_source.values():
            return "insufficient_evidence", "not_enough_evidence"
        return "no_data", "no_evidence"
    overall = combine_statuses(informative)
    if STATUS_LEVEL[overall] < STATUS_LEVEL["on_track"]:
        return overall, "majority"
    measured = [s for s in indicator_statuses if s != "no_data"]
    if not measured:
        return "on_track", "no_indicator"
    if not all(s == "achieved" for s in measured):
        return "on_track", "target_not_met"
    supporting = sum(STATUS_LEVEL[s] >= STATUS_LEVEL["on_track"] for s in informative)
    if supporting >= 2:
        return "achieved", "all_targets_met"
    return "on_track", "one_source_only"


def computed_status(evidence: pd.DataFrame, *, sub_goals: pd.DataFrame) -> pd.DataFrame:
    """Status of every sub-goal computed from its evidence by a transparent rule.

    Parameters
    ----------
    evidence : pandas.DataFrame
        :func:`evaluation.goals.evidence.evidence_table`, optionally with the inherited rows of
        :func:`evaluation.goals.succession.with_inherited` (column ``via``).
    sub_goals : pandas.DataFrame
        ``programme.sub_goals`` [pilot, sub_goal, ...]: every sub-goal gets a row, also one
        without evidence.

    Returns
    -------
    pandas.DataFrame
        One row per sub-goal, in the order of ``sub_goals``. Columns:

        - ``pilot``, ``sub_goal`` (str);
        - ``n_evidence`` (int) -- evidence rows with data (status other than ``no_data``);
        - ``n_informative_sources`` (int) -- sources whose combined status is informative
          (neither ``insufficient_evidence`` nor ``no_data``);
        - ``indicator_status``, ``survey_status``, ``milestone_status``, ``interview_status``
          (str) -- each source's combined status, ``no_data`` when the source has none;
        - ``computed_status`` (str);
        - ``reason`` (str) -- the step that decided it, one of :data:`REASONS` (see Notes).

        With the evidence rows of the sub-goal (the facts behind each source's status) these
        columns are the reason in structured form; the reports put it into words
        (:mod:`evaluation.report.status_reasons`).

    Notes
    -----
    The rule, in four steps:

    1. Within each source, the rows' statuses are combined by majority
       (:func:`combine_statuses`): the best status that more than half of the informative
       rows reach, on the scale off track < at risk < on track < achieved. Rows with
       ``insufficient_evidence`` or ``no_data`` are set aside when the source has an
       informative row; a source with only insufficient evidence is ``insufficient_evidence``.
    2. The sources' statuses are combined by the same majority rule, so each source (indicator,
       survey, milestone, interview) has one vote however many rows it has. Sources with
       insufficient evidence are set aside when another source is informative. With no
       informative source, the sub-goal is ``insufficient_evidence`` if some source has data
       (reason ``not_enough_evidence``) and ``no_data`` if none has (``no_evidence``).
    3. A result below on track stands (``majority``).
    4. ``achieved`` is reserved for measured targets confirmed by a second source: the
       sub-goal is ``achieved`` (``all_targets_met``) when step 2 gives at least on track,
       every indicator with data has met its target, and at least two informative sources are
       on track or better. Otherwise it is ``on_track``, with the reason that stood in the
       way: ``no_indicator`` (no indicator has data), ``target_not_met`` (an indicator has not
       met its target) or ``one_source_only`` (the targets are met, but no second source is
       on track or better).

    A sub-goal that replaced others also has the evidence it inherited from them (rows with a
    ``via``, :mod:`evaluation.goals.succession`): they vote in steps 1–3 like its own rows, but
    step 4 looks only at its own indicators, the targets that still apply.

    On an even split the worse status wins, so the rule errs on the side of caution. The
    evaluators' judgement (:func:`status_overview`) is shown beside it and never replaced.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> from evaluation.goals import goal_attainment
    >>> data = load_data(phase="final")
    >>> row = goal_attainment(data, phase="final", threshold=data.anonymity_threshold,
    ...                       pilots=["stad"]).overview.set_index("sub_goal").loc["stad-d2"]
    >>> row["indicator_status"], row["computed_status"], row["reason"]
    ('achieved', 'achieved', 'all_targets_met')
    """
    require(evidence, ("pilot", "sub_goal", "source", "status"), "evidence")
    require(sub_goals, ("pilot", "sub_goal"), "programme.yaml")
    grouped = {key: group for key, group in evidence.groupby(["pilot", "sub_goal"], sort=False)}
    rows = []
    for pilot, sub_goal in zip(sub_goals["pilot"], sub_goals["sub_goal"]):
        group = grouped.get((pilot, sub_goal))
        per_source, n_evidence, indicators = {}, 0, []
        for source in SOURCES:
            chosen = group.loc[group["source"] == source] if group is not None else None
            statuses = [] if chosen is None else list(chosen["status"])
            per_source[source] = combine_statuses(statuses)
            n_evidence += sum(s != "no_data" for s in statuses)
            if source == "indicator" and chosen is not None:
                # the targets that still apply: the sub-goal's own indicators, not inherited ones
                indicators = list(chosen.loc[chosen["via"] == "", "status"]) if "via" in chosen else statuses
        status, reason = _sub_goal_status(per_source, indicators)
        rows.append({"pilot": pilot, "sub_goal": sub_goal, "n_evidence": n_evidence,
                     "n_informative_sources": sum(s in STATUS_LEVEL for s in per_source.values()),
                     **{f"{s}_status": per_source[s] for s in SOURCES},
                     "computed_status": status, "reason": reason})
    columns = ["pilot", "sub_goal", "n_evidence", "n_informative_sources",
               *[f"{s}_status" for s in SOURCES], "computed_status", "reason"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("n_evidence", "n_informative_sources"):
        frame[column] = frame[column].astype(int)
    return frame


def status_overview(
    computed: pd.DataFrame,
    assessments: pd.DataFrame,
    *,
    phase: str,
) -> pd.DataFrame:
    """The computed status beside the evaluators' judged status, with disagreements flagged.

    Parameters
    ----------
    computed : pandas.DataFrame
        :func:`computed_status` [pilot, sub_goal, computed_status, ...].
    assessments : pandas.DataFrame
        ``assessments.csv`` [pilot, phase, sub_goal, status, gas_score, rationale_nb,
        rationale_en].
    phase : str
        The phase whose judgements to use.

    Returns
    -------
    pandas.DataFrame
        The rows of ``computed`` (all its columns) plus ``judged_status`` (str, ``no_data``
        when the evaluators have not judged the sub-goal in the phase), ``gas_score`` (Int64),
        ``rationale_nb``, ``rationale_en`` (str, empty when missing), ``status_gap`` (Int64:
        judged level minus computed level on the scale off track 0, at risk 1, on track 2,
        achieved 3; <NA> when either has no level: ``insufficient_evidence`` or ``no_data``)
        and ``disagreement`` (bool).

    Raises
    ------
    DataContractError
        Naming ``assessments.csv``, row and column, for a status that is not a status id, or a
        second judgement of one sub-goal in the phase.

    Notes
    -----
    ``disagreement`` is true when both statuses carry information (neither is ``no_data``) and
    they differ; ``insufficient_evidence`` on one side and a level on the other is a
    disagreement (the evaluators see more than the rule does, or less), shown for review. A
    judgement where the data give no evidence, or evidence without a judgement, is not a
    disagreement but is visible as ``no_data`` on one side. The judged status is never changed.
    """
    require(assessments, ("pilot", "phase", "sub_goal", "status", "gas_score", "rationale_nb",
                          "rationale_en"), ASSESSMENTS_FILE)
    problems = []
    for index_value, row in assessments.iterrows():
        if row["status"] not in STATUSES:
            line = int(index_value) + 2 if isinstance(index_value, (int, np.integer)) else None
            problems.append(DataProblem(ASSESSMENTS_FILE, line, "status",
                                        f"unknown status {row['status']!r}",
                                        "one of " + ", ".join(STATUSES)))
    judged = assessments.loc[assessments["phase"] == phase]
    duplicated = judged.duplicated(["pilot", "sub_goal"], keep="first")
    for index_value, row in judged.loc[duplicated].iterrows():
        line = int(index_value) + 2 if isinstance(index_value, (int, np.integer)) else None
        problems.append(DataProblem(ASSESSMENTS_FILE, line, "sub_goal",
                                    f"a second judgement of {row['sub_goal']} in phase {phase}",
                                    "one row per pilot, phase and sub-goal"))
    if problems:
        raise DataContractError(problems)
    judged = judged[["pilot", "sub_goal", "status", "gas_score", "rationale_nb", "rationale_en"]]
    judged = judged.rename(columns={"status": "judged_status"})
    out = computed.merge(judged, on=["pilot", "sub_goal"], how="left", validate="one_to_one")
    out["judged_status"] = out["judged_status"].fillna("no_data").astype(object)
    out["gas_score"] = pd.array(pd.to_numeric(out["gas_score"], errors="coerce"), dtype="Int64")
    for column in ("rationale_nb", "rationale_en"):
        out[column] = out[column].fillna("").astype(object)
    gap = []
    for c, j in zip(out["computed_status"], out["judged_status"]):
        gap.append(STATUS_LEVEL[j] - STATUS_LEVEL[c]
                   if c in STATUS_LEVEL and j in STATUS_LEVEL else None)
    out["status_gap"] = pd.array(gap, dtype="Int64")
    out["disagreement"] = [
        bool(c != "no_data" and j != "no_data" and c != j)
        for c, j in zip(out["computed_status"], out["judged_status"])
    ]
    return out



def national_goal_rollup(
    status: pd.DataFrame,
    sub_goal_links: pd.DataFrame,
    *,
    status_column: str = "computed_status",
    across_pilots: bool = False,
) -> pd.DataFrame:
    """Roll sub-goal statuses up to the national goals through the sub-goals' links.

    Parameters
    ----------
    status : pandas.DataFrame
        One row per sub-goal with ``pilot``, ``sub_goal`` and ``status_column``
        (:func:`computed_status` or :func:`status_overview`).
    sub_goal_links : pandas.DataFrame
        ``programme.sub_goal_links`` [pilot, sub_goal, kind, target]; rows of kind
        ``national_goal`` are used.
    status_column : str
        Which status to roll up: ``computed_status`` (default) or ``judged_status``.
    across_pilots : bool
        Roll up per pilot and national goal (default), or per national goal across all pilots.

    Returns
    -------
    pandas.DataFrame
        One row per pilot and national goal that has a linked sub-goal (or per national goal
        when ``across_pilots``), sorted. Columns ``pilot`` (str; <NA> when ``across_pilots``),
        ``national_goal``, ``n_sub_goals`` (int), ``n_achieved``, ``n_on_track``,
        ``n_at_risk``, ``n_off_track``, ``n_insufficient_evidence``, ``n_no_data`` (int) and
        ``status`` (str: the majority of the linked sub-goals' statuses,
        :func:`combine_statuses`).

    Notes
    -----
    A sub-goal linked to several national goals counts towards each of them. The majority rule
    is the one used within a sub-goal: the best status reached by more than half of the linked
    sub-goals with an informative status; sub-goals with insufficient evidence are set aside
    unless no linked sub-goal is informative.
    """
    require(status, ("pilot", "sub_goal", status_column), "status")
    require(sub_goal_links, ("pilot", "sub_goal", "kind", "target"), "programme.yaml")
    links = sub_goal_links.loc[sub_goal_links["kind"] == "national_goal",
                               ["pilot", "sub_goal", "target"]]
    merged = links.merge(status[["pilot", "sub_goal", status_column]],
                         on=["pilot", "sub_goal"], how="inner")
    merged = merged.rename(columns={"target": "national_goal", status_column: "status"})
    keys = ["national_goal"] if across_pilots else ["pilot", "national_goal"]
    rows = []
    for key, group in merged.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        counts = group["status"].value_counts()
        rows.append({
            "pilot": pd.NA if across_pilots else key[0],
            "national_goal": key[-1],
            "n_sub_goals": int(len(group)),
            **{f"n_{s}": int(counts.get(s, 0)) for s in STATUSES},
            "status": combine_statuses(group["status"]),
        })
    columns = ["pilot", "national_goal", "n_sub_goals", *[f"n_{s}" for s in STATUSES], "status"]
    return pd.DataFrame(rows, columns=columns)


def status_change(
    earlier: pd.DataFrame,
    later: pd.DataFrame,
    *,
    status_column: str = "computed_status",
    successors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Change of each sub-goal's status from an earlier phase to a later one.

    Parameters
    ----------
    earlier, later : pandas.DataFrame
        One row per sub-goal with ``pilot``, ``sub_goal`` and ``status_column``, for each phase
        (:func:`computed_status` or :func:`status_overview`), such as the midterm and the final.
    status_column : str
        The status compared (``computed_status`` or ``judged_status``).
    successors : pandas.DataFrame, optional
        ``programme.sub_goal_successors`` [pilot, sub_goal, successor]: the goal changes between
        the phases. When given, a sub-goal of ``later`` that is not in ``earlier`` is compared
        with each of its predecessors in ``earlier`` (one row each), and a sub-goal of
        ``earlier`` that is in neither ``later`` nor replaced by one of its sub-goals is listed as
        ``dropped``; without it, such sub-goals are compared with nothing (``no_data``).

    Returns
    -------
    pandas.DataFrame
        One row per sub-goal of ``later`` (its order; a successor once per predecessor), then one
        per dropped sub-goal. Columns ``pilot``, ``sub_goal``, ``predecessor`` (the sub-goal of
        ``earlier`` compared with: ``sub_goal`` itself when it applied in both phases, missing
        when there is none), ``status_from``, ``status_to`` (str; ``no_data`` when missing) and
        ``change`` (str): ``improved`` or ``worsened`` when both statuses have a level and it rose
        or fell, ``unchanged`` when they are equal (also when both are ``no_data``),
        ``not_comparable`` otherwise (one of them is ``insufficient_evidence`` or ``no_data``),
        and ``dropped`` for a sub-goal that ended without a successor.

    Examples
    --------
    >>> earlier = pd.DataFrame({"pilot": "p", "sub_goal": ["a", "b", "c"],
    ...                         "computed_status": ["at_risk", "on_track", "off_track"]})
    >>> later = pd.DataFrame({"pilot": "p", "sub_goal": ["d"], "computed_status": ["on_track"]})
    >>> merge = pd.DataFrame({"pilot": "p", "sub_goal": ["a", "b"], "successor": ["d", "d"]})
    >>> status_change(earlier, later, successors=merge)[["sub_goal", "predecessor", "change"]].values.tolist()
    [['d', 'a', 'improved'], ['d', 'b', 'unchanged'], ['c', 'c', 'dropped']]
    """
    for frame in (earlier, later):
        require(frame, ("pilot", "sub_goal", status_column), "status")
    before = earlier[["pilot", "sub_goal", status_column]].rename(
        columns={status_column: "status_from", "sub_goal": "predecessor"})
    after = later[["pilot", "sub_goal", status_column]].rename(
        columns={status_column: "status_to"})
    known = set(zip(before["pilot"], before["predecessor"]))
    pairs = [(p, g, g) for p, g in zip(after["pilot"], after["sub_goal"])]
    dropped = []
    if successors is not None:
        require(successors, ("pilot", "sub_goal", "successor"), "programme.yaml")
        replaced = successors.groupby(["pilot", "successor"])["sub_goal"].agg(list)
        pairs = [pair for p, g, _ in pairs for pair in
                 ([(p, g, g)] if (p, g) in known else
                  [(p, g, old) for old in replaced.get((p, g), []) if (p, old) in known] or [(p, g, g)])]
        current = set(zip(after["pilot"], after["sub_goal"]))
        mapped = {(p, old) for p, _, old in pairs}
        dropped = [(p, g) for p, g in zip(before["pilot"], before["predecessor"])
                   if (p, g) not in current and (p, g) not in mapped]
    out = pd.DataFrame(pairs, columns=["pilot", "sub_goal", "predecessor"])
    out = out.merge(after, on=["pilot", "sub_goal"], how="left").merge(
        before, on=["pilot", "predecessor"], how="left")
    out["status_from"] = out["status_from"].fillna("no_data")
    out.loc[out["status_from"].eq("no_data") & ~out.set_index(["pilot", "predecessor"]).index.isin(known),
            "predecessor"] = None
    change = []
    for old, new in zip(out["status_from"], out["status_to"]):
        if old == new:
            change.append("unchanged")
        elif old in STATUS_LEVEL and new in STATUS_LEVEL:
            change.append("improved" if STATUS_LEVEL[new] > STATUS_LEVEL[old] else "worsened")
        else:
            change.append("not_comparable")
    out["change"] = change
    if dropped:
        gone = before.set_index(["pilot", "predecessor"]).loc[dropped, "status_from"]
        out = pd.concat([out, pd.DataFrame({
            "pilot": [p for p, _ in dropped], "sub_goal": [g for _, g in dropped],
            "predecessor": [g for _, g in dropped], "status_from": gone.to_numpy(),
            "status_to": "no_data", "change": "dropped"})], ignore_index=True)
    return out[["pilot", "sub_goal", "predecessor", "status_from", "status_to", "change"]]


__all__ = [
    "REASONS",
    "STATUS_LEVEL",
    "combine_statuses",
    "computed_status",
    "national_goal_rollup",
    "status_change",
    "status_overview",
]
