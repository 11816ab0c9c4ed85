"""The status of every element of a pilot's virkningskjede (results chain).

Inputs → activities → outputs → outcomes → impacts (``programme.yaml``): each element takes the
status of the sub-goals (or, for impacts, the national goals) it is linked to. The chain is
drawn by :func:`evaluation.report.results_chain.results_chain_html`.
"""

from __future__ import annotations

import pandas as pd

from evaluation.contract.goal_history import successors_in_force
from evaluation.contract.vocabulary import CHAIN_STAGES
from evaluation.goals.status import combine_statuses

CHAIN_STATUS_COLUMNS = [
    "pilot", "stage", "position", "text_nb", "text_en", "n_links", "links", "status",
]


def results_chain_status(
    results_chain: pd.DataFrame,
    results_chain_links: pd.DataFrame,
    *,
    pilot: str,
    sub_goal_status: pd.DataFrame,
    national_goal_status: pd.DataFrame | None = None,
    status_column: str = "computed_status",
    successors: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Status of every element of a pilot's results chain, from the goals it is linked to.

    Parameters
    ----------
    results_chain : pandas.DataFrame
        ``programme.results_chain`` [pilot, stage, position, text_nb, text_en].
    results_chain_links : pandas.DataFrame
        ``programme.results_chain_links`` [pilot, stage, position, kind, target], kind
        ``sub_goal`` or ``national_goal``.
    pilot : str
        The pilot.
    sub_goal_status : pandas.DataFrame
        [pilot, sub_goal, ``status_column``], for example
        :func:`evaluation.goals.status.computed_status`.
    national_goal_status : pandas.DataFrame, optional
        [pilot, national_goal, status] (:func:`evaluation.goals.status.national_goal_rollup`); links to
        national goals without a row count as ``no_data``.
    status_column : str
        Column of ``sub_goal_status`` to use.
    successors : pandas.DataFrame, optional
        ``programme.sub_goal_successors`` [pilot, sub_goal, successor]. When given, the sub-goals
        of ``sub_goal_status`` are the ones in force, and a link to a sub-goal no longer in force
        counts for its successors in force (followed through chains,
        :func:`evaluation.contract.goal_history.successors_in_force`); a link to a dropped
        sub-goal goes. The chain is written once, when the pilot starts; its elements follow the
        sub-goals as they change.

    Returns
    -------
    pandas.DataFrame
        One row per element of the pilot's chain, in stage order and position. Columns
        ``pilot``, ``stage``, ``position`` (int), ``text_nb``, ``text_en``, ``n_links`` (int),
        ``links`` (str: the linked ids joined by ", ", empty when none) and ``status`` (str, or
        <NA> for an element linked to nothing -- such an element, typically an input, has no
        status to show).

    Notes
    -----
    An element's status combines the statuses of its linked goals by the majority rule of
    :func:`evaluation.goals.status.combine_statuses`: the best status that more than half of them
    reach.
    """
    chain = results_chain.loc[results_chain["pilot"] == pilot].copy()
    links = results_chain_links.loc[results_chain_links["pilot"] == pilot]
    sub = {sg: s for sg, s in zip(
        sub_goal_status.loc[sub_goal_status["pilot"] == pilot, "sub_goal"],
        sub_goal_status.loc[sub_goal_status["pilot"] == pilot, status_column])}
    national = {}
    if national_goal_status is not None:
        subset = national_goal_status.loc[national_goal_status["pilot"] == pilot]
        national = dict(zip(subset["national_goal"], subset["status"]))
    rows = []
    for element in chain.itertuples(index=False):
        mine = links.loc[(links["stage"] == element.stage)
                         & (links["position"] == element.position)]
        targets = []
        for kind, target in zip(mine["kind"], mine["target"]):
            if kind == "sub_goal" and successors is not None:
                targets += [(kind, t) for t in successors_in_force(target, successors, sub)
                            if (kind, t) not in targets]
            else:
                targets.append((kind, target))
        statuses = [(sub if kind == "sub_goal" else national).get(target, "no_data") for kind, target in targets]
        rows.append({
            "pilot": pilot, "stage": element.stage, "position": int(element.position),
            "text_nb": element.text_nb, "text_en": element.text_en,
            "n_links": len(targets), "links": ", ".join(str(t) for _, t in targets),
            "status": combine_statuses(statuses) if statuses else pd.NA,
        })
    frame = pd.DataFrame(rows, columns=CHAIN_STATUS_COLUMNS)
    frame["status"] = frame["status"].astype(object)
    frame["_stage"] = frame["stage"].map({s: i for i, s in enumerate(CHAIN_STAGES)})
    frame = frame.sort_values(["_stage", "position"], ignore_index=True).drop(columns="_stage")
    return frame


__all__ = ["CHAIN_STATUS_COLUMNS", "results_chain_status"]
