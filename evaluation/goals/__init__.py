"""Goal attainment: evidence per sub-goal, a computed status beside the evaluators' judgement.

For every sub-goal of a pilot the package gathers the evidence from every linked source into one
tidy *evidence table* (:mod:`evaluation.goals.evidence`) -- the statuses of its indicators, the
change of its linked survey indices since the baseline wave (with its confidence interval, judged
against the minimal important change), its milestones, and the net assessment of its linked
interview themes -- and computes a status from that evidence by a documented rule
(:func:`computed_status`), with the step that decided it. The computed status is an aid shown
beside the evaluators' own judged status and rationale (``assessments.csv``); a disagreement is
flagged for the evaluators, never silently overridden (:func:`status_overview`).

It also scores goal attainment scaling (:mod:`evaluation.goals.gas`), rolls sub-goal statuses up
to the national goals N1--N5 (:func:`national_goal_rollup`), compares each sub-goal's status
with the one in the phase before (:func:`status_change`), gives every element of a results
chain its status (:mod:`evaluation.goals.results_chain`), and gathers all of it for one phase
(:func:`goal_attainment`, :mod:`evaluation.goals.attainment`).

Status ids, best first: ``achieved``, ``on_track``, ``at_risk``, ``off_track``; then
``insufficient_evidence`` (data that cannot tell these apart) and ``no_data``.
"""

from evaluation.goals.attainment import SURVEY_CONFIDENCE_LEVEL, GoalAttainment, goal_attainment
from evaluation.goals.evidence import (
    EVIDENCE_COLUMNS,
    SOURCES,
    evidence_table,
    interview_evidence,
    interview_evidence_status,
    milestone_evidence_status,
    survey_evidence,
    survey_evidence_status,
)
from evaluation.goals.gas import gas_summary, gas_tscore
from evaluation.goals.results_chain import results_chain_status
from evaluation.goals.status import (
    REASONS,
    STATUS_LEVEL,
    combine_statuses,
    computed_status,
    national_goal_rollup,
    status_change,
    status_overview,
)

__all__ = [
    "EVIDENCE_COLUMNS",
    "REASONS",
    "SOURCES",
    "STATUS_LEVEL",
    "SURVEY_CONFIDENCE_LEVEL",
    "GoalAttainment",
    "combine_statuses",
    "computed_status",
    "evidence_table",
    "gas_summary",
    "gas_tscore",
    "goal_attainment",
    "interview_evidence",
    "interview_evidence_status",
    "milestone_evidence_status",
    "national_goal_rollup",
    "results_chain_status",
    "status_change",
    "status_overview",
    "survey_evidence",
    "survey_evidence_status",
]
