"""Goals with a history: when a sub-goal or an indicator applies, what replaced it, and why.

After the 2022 result reports the pilots narrowed to fewer, sharper sub-goals, approved by their
steering groups and kept within the national goals. ``programme.yaml`` records this on the
sub-goal (and indicator) itself: ``valid_from`` and ``valid_to`` (ISO dates, both inclusive,
both optional), ``replaced_by`` (successor sub-goal ids: one for a merge or a sharpening, several
for a split), ``approved`` (the steering group's decision), ``reason_nb``/``reason_en`` (required
when ``valid_to`` or ``replaced_by`` is given) and ``drops_national_goals`` (national goals the
change deliberately leaves, which the reason explains).

:func:`check_goal_history` checks a pilot's sub-goals against each other and
:func:`check_indicator_history` its indicators (an indicator may be ``replaced_by`` other
indicators, and applies only while its sub-goal does); :func:`in_force` and :func:`goal_changes`
turn the checked history into frames, :func:`predecessors` and :func:`successors_in_force` follow
the chains of successors.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from evaluation.contract.programme_rules import Entry, Walk

CHANGES = ("dropped", "merged", "split", "sharpened", "added")
"""The kinds of change to a sub-goal, in the order a report lists them."""

GOAL_CHANGE_COLUMNS = ["pilot", "sub_goal", "change", "successor", "date", "approved", "reason_nb",
                       "reason_en", "within_national_goals"]
"""The columns of :func:`goal_changes`."""


def check_goal_history(walk: Walk, goals: list[tuple[Entry, dict]]) -> None:
    """Check the successors of one pilot's sub-goals against each other.

    Every successor is a sub-goal of the same pilot; no sub-goal leads back to itself through a
    chain of successors; every national goal a replaced sub-goal served is served by one of its
    successors, or named in its ``drops_national_goals`` (with the reason the entry gives).
    Problems are recorded at the key path of ``replaced_by``.
    """
    successors = _known_successors(walk, goals, noun="sub-goal", article="a")
    national = {entry.id: set(values.get("national_goals") or []) for entry, values in goals}
    for entry, _ in goals:
        where = f"{entry.path}.replaced_by"
        loop = _loop(entry.id, successors)
        if loop:
            walk.add(where, where, "the sub-goal is replaced by itself through the chain " + " -> ".join(loop),
                     "successors that do not lead back to the sub-goal")
        if not successors[entry.id]:
            continue
        kept = set().union(*(national[s] for s in successors[entry.id]))
        lost = national[entry.id] - kept - set(entry.data.get("drops_national_goals") or [])
        if lost:
            walk.add(where, where,
                     f"national goal link {', '.join(sorted(lost))} lost: no successor serves it",
                     "a successor linked to it, or the goal in drops_national_goals with the reason")


def _known_successors(walk: Walk, entries: list[tuple[Entry, dict]], *, noun: str,
                      article: str) -> dict[str, list[str]]:
    """Each entry's ``replaced_by`` ids that name an entry of the same pilot; an unknown one is a
    problem at its key path (``...replaced_by[0]``)."""
    ids = {entry.id for entry, _ in entries}
    successors: dict[str, list[str]] = {}
    for entry, values in entries:
        successors[entry.id] = []
        for position, successor in enumerate(values.get("replaced_by") or []):
            where = f"{entry.path}.replaced_by[{position}]"
            if successor not in ids:
                walk.add(where, where, f"unknown {noun} {successor!r}",
                         f"{article} {noun} of {walk.owner}: " + ", ".join(sorted(ids)))
            else:
                successors[entry.id].append(successor)
    return successors


def check_indicator_history(walk: Walk, indicators: list[tuple[Entry, dict]],
                            sub_goals: list[tuple[Entry, dict]]) -> None:
    """Check one pilot's indicators against each other and against their sub-goals.

    Every successor in ``replaced_by`` is an indicator of the same pilot, and no indicator
    leads back to itself through its successors (problems at the key path of ``replaced_by``);
    an indicator applies only while its sub-goal does: its period lies within the sub-goal's
    (problem at the key path of ``sub_goal``), so an indicator in force always points to a
    sub-goal in force.
    """
    successors = _known_successors(walk, indicators, noun="indicator", article="an")
    periods = {entry.id: (values.get("valid_from"), values.get("valid_to")) for entry, values in sub_goals}
    for entry, values in indicators:
        loop = _loop(entry.id, successors)
        if loop:
            where = f"{entry.path}.replaced_by"
            walk.add(where, where, "the indicator is replaced by itself through the chain " + " -> ".join(loop),
                     "successors that do not lead back to the indicator")
        goal = values.get("sub_goal")
        if goal not in periods:
            continue
        start, end = values.get("valid_from"), values.get("valid_to")
        goal_start, goal_end = periods[goal]
        where = f"{entry.path}.sub_goal"
        if goal_start is not None and (start is None or start < goal_start):
            walk.add(where, where,
                     f"the indicator applies from {start or 'the start'}, "
                     f"but its sub-goal {goal} only from {goal_start}",
                     f"valid_from on or after {goal_start}, or a sub-goal in force then")
        if goal_end is not None and (end is None or end > goal_end):
            walk.add(where, where,
                     f"the indicator applies until {end or 'the end'}, but its sub-goal {goal} ends on {goal_end}",
                     f"valid_to on or before {goal_end} (with replaced_by and a reason), or a sub-goal in force then")


def predecessors(sub_goal: str, successors: pd.DataFrame) -> list[str]:
    """Every sub-goal that ``sub_goal`` replaced, directly or through a chain, nearest first.

    Parameters
    ----------
    sub_goal : str
        A sub-goal id (unique in the programme).
    successors : pandas.DataFrame
        ``programme.sub_goal_successors`` (pilot, sub_goal, successor).

    Examples
    --------
    >>> succ = pd.DataFrame({"pilot": ["p"] * 3, "sub_goal": ["a", "b", "c"], "successor": ["c", "c", "d"]})
    >>> predecessors("d", succ), predecessors("c", succ), predecessors("a", succ)
    (['c', 'a', 'b'], ['a', 'b'], [])
    """
    before = successors.groupby("successor", sort=False)["sub_goal"].agg(list).to_dict()
    found, queue = [], list(before.get(sub_goal, []))
    while queue:
        goal = queue.pop(0)
        if goal not in found and goal != sub_goal:
            found.append(goal)
            queue += before.get(goal, [])
    return found


def successors_in_force(sub_goal: str, successors: pd.DataFrame, in_force_ids) -> list[str]:
    """The sub-goals in force that carry ``sub_goal`` on: itself when it is in force, otherwise
    its successors, followed through chains until one in force; empty when it was dropped.

    Examples
    --------
    >>> succ = pd.DataFrame({"pilot": ["p"] * 3, "sub_goal": ["a", "b", "c"], "successor": ["c", "c", "d"]})
    >>> successors_in_force("a", succ, {"d", "e"}), successors_in_force("e", succ, {"d", "e"})
    (['d'], ['e'])
    >>> successors_in_force("x", succ, {"d"})
    []
    """
    in_force_ids = set(in_force_ids)
    after = successors.groupby("sub_goal", sort=False)["successor"].agg(list).to_dict()
    found, queue, seen = [], [sub_goal], set()
    while queue:
        goal = queue.pop(0)
        if goal in seen:
            continue
        seen.add(goal)
        if goal in in_force_ids:
            found.append(goal)
        else:
            queue += after.get(goal, [])
    return found


def _loop(start: str, successors: dict[str, list[str]]) -> list[str]:
    """The chain from ``start`` back to itself through successors (empty if there is none)."""
    stack = [[start]]
    seen: set[str] = set()
    while stack:
        path = stack.pop()
        for successor in successors.get(path[-1], []):
            if successor == start:
                return [*path, start]
            if successor not in seen:
                seen.add(successor)
                stack.append([*path, successor])
    return []


def in_force(frame: pd.DataFrame, as_of: dt.date | pd.Timestamp) -> pd.DataFrame:
    """The rows of a frame with ``valid_from``/``valid_to`` that apply on ``as_of``.

    Parameters
    ----------
    frame : pandas.DataFrame
        ``programme.sub_goals`` or ``programme.indicators`` (any frame with ``valid_from`` and
        ``valid_to``, datetime64 with ``NaT`` for an open end).
    as_of : date or Timestamp
        The day asked about, such as a phase's cut-off.

    Returns
    -------
    pandas.DataFrame
        The rows with ``valid_from`` missing or on or before ``as_of`` and ``valid_to`` missing or
        on or after it (both ends inclusive), in their order, with the frame's index.

    Examples
    --------
    >>> frame = pd.DataFrame({"sub_goal": ["a", "b", "c"],
    ...                       "valid_from": pd.to_datetime([None, None, "2023-03-01"]),
    ...                       "valid_to": pd.to_datetime([None, "2023-02-28", None])})
    >>> in_force(frame, dt.date(2022, 12, 31))["sub_goal"].tolist()
    ['a', 'b']
    >>> in_force(frame, dt.date(2024, 6, 30))["sub_goal"].tolist()
    ['a', 'c']
    """
    day = pd.Timestamp(as_of)
    keep = ((frame["valid_from"].isna() | (frame["valid_from"] <= day))
            & (frame["valid_to"].isna() | (frame["valid_to"] >= day)))
    return frame.loc[keep]


def goal_changes(sub_goals: pd.DataFrame, successors: pd.DataFrame, links: pd.DataFrame) -> pd.DataFrame:
    """Every change to the sub-goals, one row per sub-goal and successor.

    Parameters
    ----------
    sub_goals : pandas.DataFrame
        ``programme.sub_goals`` (pilot, sub_goal, valid_from, valid_to, approved, reason_nb,
        reason_en).
    successors : pandas.DataFrame
        ``programme.sub_goal_successors`` (pilot, sub_goal, successor).
    links : pandas.DataFrame
        ``programme.sub_goal_links`` (pilot, sub_goal, kind, target); the ``national_goal``
        links decide ``within_national_goals``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`GOAL_CHANGE_COLUMNS`. ``change`` is ``dropped`` (ends with no successor;
        ``successor`` missing), ``split`` (several successors), ``merged`` (one successor that
        also replaces another sub-goal), ``sharpened`` (one successor that replaces this one
        only) or ``added`` (starts, ``valid_from``, and replaces nothing; ``successor`` missing).
        ``date`` is the last day the sub-goal applied (``valid_to``), for ``added`` its first
        day; ``approved`` and the reasons are the sub-goal's own. ``within_national_goals`` is
        true when the successor (or the added sub-goal) serves only national goals that the
        sub-goals it replaces (for ``added``: the pilot's sub-goals in force the day before)
        served; a dropped sub-goal is within them by definition. Rows follow ``sub_goals``.

    Examples
    --------
    >>> goals = pd.DataFrame({"pilot": ["p"] * 3, "sub_goal": ["a", "b", "c"],
    ...     "valid_from": pd.to_datetime([None, None, "2023-03-01"]),
    ...     "valid_to": pd.to_datetime(["2023-02-28", "2023-02-28", None]),
    ...     "approved": pd.to_datetime(["2023-02-10", "2023-02-10", "2023-02-10"]),
    ...     "reason_nb": ["Slått sammen", "Slått sammen", ""], "reason_en": ["Merged", "Merged", ""]})
    >>> succ = pd.DataFrame({"pilot": ["p", "p"], "sub_goal": ["a", "b"], "successor": ["c", "c"]})
    >>> links = pd.DataFrame({"pilot": ["p"] * 3, "sub_goal": ["a", "b", "c"],
    ...                       "kind": ["national_goal"] * 3, "target": ["N1", "N2", "N2"]})
    >>> goal_changes(goals, succ, links)[["sub_goal", "change", "successor"]].values.tolist()
    [['a', 'merged', 'c'], ['b', 'merged', 'c']]
    """
    national = links.loc[links["kind"] == "national_goal"].groupby(["pilot", "sub_goal"])["target"].agg(set)
    served = {key: national.get(key, set()) for key in zip(sub_goals["pilot"], sub_goals["sub_goal"])}
    after = successors.groupby(["pilot", "sub_goal"])["successor"].agg(list)
    before = successors.groupby(["pilot", "successor"])["sub_goal"].agg(list)
    rows = []
    for goal in sub_goals.to_dict("records"):
        key = (goal["pilot"], goal["sub_goal"])
        common = {"pilot": goal["pilot"], "sub_goal": goal["sub_goal"], "approved": goal["approved"],
                  "reason_nb": goal["reason_nb"], "reason_en": goal["reason_en"]}
        followers = after.get(key, [])
        if followers:
            for successor in followers:
                predecessors = before.get((goal["pilot"], successor), [])
                change = ("split" if len(followers) > 1 else "merged" if len(predecessors) > 1 else "sharpened")
                wider = set().union(*(served.get((goal["pilot"], p), set()) for p in predecessors))
                rows.append({**common, "change": change, "successor": successor, "date": goal["valid_to"],
                             "within_national_goals": served.get((goal["pilot"], successor), set()) <= wider})
        elif pd.notna(goal["valid_to"]):
            rows.append({**common, "change": "dropped", "successor": None, "date": goal["valid_to"],
                         "within_national_goals": True})
        elif pd.notna(goal["valid_from"]) and key not in before:
            pilot_goals = sub_goals.loc[sub_goals["pilot"] == goal["pilot"]]
            earlier = in_force(pilot_goals, goal["valid_from"] - pd.Timedelta(days=1))
            wider = set().union(*(served[(goal["pilot"], g)] for g in earlier["sub_goal"]))
            rows.append({**common, "change": "added", "successor": None, "date": goal["valid_from"],
                         "within_national_goals": served[key] <= wider})
    out = pd.DataFrame(rows, columns=GOAL_CHANGE_COLUMNS)
    out["within_national_goals"] = out["within_national_goals"].astype(bool)
    return out


__all__ = ["CHANGES", "GOAL_CHANGE_COLUMNS", "check_goal_history", "check_indicator_history", "goal_changes",
           "in_force", "predecessors", "successors_in_force"]
