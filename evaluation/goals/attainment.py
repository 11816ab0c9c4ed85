"""Goal attainment for one phase: indicators, milestones, evidence and status per sub-goal.

:func:`goal_attainment` gathers, from an :class:`~evaluation.contract.EvaluationData`, every frame
behind the goal-attainment chapter of a pilot report and the national-goals matrix of the
synthesis, so that notebooks and reports share one computation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from evaluation.goals.evidence import evidence_table, interview_evidence, survey_evidence
from evaluation.goals.status import computed_status, status_overview
from evaluation.goals.succession import inherited_evidence, with_inherited
from evaluation.indicators import current_indicator_status, indicator_tracking, milestone_status


@dataclass(frozen=True)
class GoalAttainment:
    """The frames behind the goal-attainment chapter, for one phase.

    Attributes
    ----------
    phase : str
        Phase id.
    as_of : pandas.Timestamp
        The phase's cut-off date.
    tracking : pandas.DataFrame
        :func:`evaluation.indicators.indicator_tracking`.
    indicators : pandas.DataFrame
        :func:`evaluation.indicators.current_indicator_status`.
    milestones : pandas.DataFrame
        :func:`evaluation.indicators.milestone_status`.
    evidence : pandas.DataFrame
        :func:`evaluation.goals.evidence.evidence_table`, with the evidence a merged, split or
        sharpened sub-goal inherits from those it replaced (:mod:`evaluation.goals.succession`;
        columns ``via``, the predecessor or empty, and ``as_of``, the day a row stands at).
    overview : pandas.DataFrame
        :func:`evaluation.goals.status.status_overview` (computed beside judged status).
    confidence_level : float
        Level of the survey intervals the evidence was judged by (:data:`SURVEY_CONFIDENCE_LEVEL`).
    """

    phase: str
    as_of: pd.Timestamp
    tracking: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    milestones: pd.DataFrame = field(repr=False)
    evidence: pd.DataFrame = field(repr=False)
    overview: pd.DataFrame = field(repr=False)
    confidence_level: float = field(default=0.95)


SURVEY_CONFIDENCE_LEVEL = 0.95
"""Level of the interval of a survey index's change that the survey evidence is judged by:
the survey chapter's, and the 95 % that Man-Son-Hing et al. (2002) and GRADE (Guyatt et al. 2011)
judge against the minimal important difference."""


def _survey_evidence(data, pilots: list[str], phase: str, as_of: pd.Timestamp, *,
                     threshold: int, plan=None, comparisons=None) -> pd.DataFrame | None:
    """Change of each survey index from the baseline wave to the phase's wave, or ``None``.

    Calls :func:`evaluation.survey.compare_waves` once per pilot on the responses up to the
    phase's cut-off, weighted by agency as the pilot's survey chapter does for the same phase,
    so the estimates, intervals (at :data:`SURVEY_CONFIDENCE_LEVEL`) and the suppression are
    the chapter's. ``comparisons(pilot)``, if given, stands in for that call (see
    :func:`goal_attainment`).
    """
    from evaluation.survey import compare_waves

    responses = data.responses.loc[data.responses["response_date"] <= as_of]
    parts = []
    for pilot in pilots:
        mine = responses.loc[responses["pilot"] == pilot]
        if mine.empty:
            continue
        comparison = comparisons(pilot) if comparisons is not None else compare_waves(
            mine, data.items, data.programme.waves, comparisons=data.programme.comparisons,
            population=data.population, weighted=True, rules=data.programme.evidence_rules,
            threshold=threshold, confidence_level=SURVEY_CONFIDENCE_LEVEL, plan=plan)
        if len(comparison):
            parts.append(survey_evidence(comparison, to_role=phase))
    return pd.concat(parts, ignore_index=True) if parts else None


def _interview_evidence(data, pilots: list[str], phase: str, *,
                        threshold: int) -> pd.DataFrame | None:
    """Net assessment per pilot and theme in the phase's interview round, or ``None``.

    Themes raised in fewer than ``threshold`` interviews are suppressed (``no_data``).
    """
    from evaluation.interviews import assessment_balance

    interviews = data.interviews.loc[data.interviews["pilot"].isin(pilots)]
    if "round" in interviews.columns:
        interviews = interviews.loc[interviews["round"] == phase]
    segments = data.segments.loc[data.segments["interview_id"].isin(interviews["interview_id"])]
    if segments.empty:
        return None
    balance = assessment_balance(segments, interviews=interviews, by="pilot",
                                 codebook=data.codebook, threshold=threshold)
    return interview_evidence(balance, threshold=threshold)


def goal_attainment(data, *, phase: str, threshold: int,
                    pilots: list[str] | None = None, plan=None, comparisons=None) -> GoalAttainment:
    """Compute indicators, milestones, evidence and status per sub-goal for a phase.

    Parameters
    ----------
    data : evaluation.contract.EvaluationData
        The data (cut to ``phase`` or to a later phase: everything is cut again at the phase's
        cut-off, so the final data give the midterm numbers for ``phase="midterm"``).
    phase : str
        Phase id (``midterm``, ``final``).
    threshold : int
        Anonymity threshold: survey and interview groups below it, and interview themes raised
        in fewer interviews, are suppressed and give ``no_data`` evidence.
    pilots : list of str, optional
        Pilots to include; all by default.
    plan : evaluation.disclosure.DisclosurePlan, optional
        The render's disclosure plan, passed to :func:`evaluation.survey.compare_waves` so the
        survey evidence hides what the survey chapter hides (and shares its Holm family).
    comparisons : callable, optional
        ``comparisons(pilot)`` gives the pilot's :func:`~evaluation.survey.compare_waves` result
        already computed exactly as here (the pilot's responses up to the cut-off, weighted,
        with ``threshold``, ``plan``, the programme's rules and :data:`SURVEY_CONFIDENCE_LEVEL`),
        for instance the survey chapter's (:class:`evaluation.report.analyses.PhaseAnalyses`);
        called only for pilots with responses. By default they are computed here.

    Returns
    -------
    GoalAttainment

    Raises
    ------
    ValueError
        For an unknown phase.

    Notes
    -----
    Survey evidence compares the baseline wave with the wave of the phase's role; interview
    evidence uses the interviews of the phase's round. A sub-goal in force that replaced others
    also draws on their evidence up to the change (:mod:`evaluation.goals.succession`). A source
    without data gives ``no_data`` evidence, never an error. The rule values (minimal important change, interview net
    threshold, late milestones) are the programme's ``evidence_rules``
    (:class:`evaluation.contract.evidence_rules.EvidenceRules`).

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> data = load_data(phase="midterm")
    >>> result = goal_attainment(data, phase="midterm", threshold=data.anonymity_threshold,
    ...                          pilots=["lyngdal"])
    >>> row = result.overview.set_index("sub_goal").loc["lyngdal-d1"]
    >>> row["computed_status"], row["judged_status"], bool(row["disagreement"])
    ('off_track', 'at_risk', True)
    """
    programme = data.programme
    if phase not in programme.cutoffs:
        raise ValueError(f"unknown phase {phase!r}; expected one of {', '.join(programme.cutoffs)}")
    as_of = pd.Timestamp(programme.cutoffs[phase])
    pilots = list(programme.pilot_ids if pilots is None else pilots)
    thresholds = programme.status_thresholds
    rules = programme.evidence_rules

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["pilot"].isin(pilots)]

    # the goals in force at the cut-off: a later change to the goals leaves this phase as it was
    indicators = mine(programme.indicators_in_force(as_of=as_of))
    observations_all = observations = mine(data.observations)
    observations = observations.loc[observations["indicator_id"].isin(indicators["indicator_id"])]
    tracking = indicator_tracking(observations, indicators, as_of=as_of, thresholds=thresholds)
    current = current_indicator_status(observations, indicators, as_of=as_of,
                                       thresholds=thresholds)
    milestones = milestone_status(mine(data.milestones), as_of=as_of)
    sub_goals = mine(programme.sub_goals_in_force(as_of=as_of))
    links = programme.sub_goal_links
    evidence = evidence_table(
        sub_goals, links.loc[links["sub_goal"].isin(sub_goals["sub_goal"])],
        indicator_status=current, milestones=milestones,
        survey=_survey_evidence(data, pilots, phase, as_of, threshold=threshold, plan=plan,
                                comparisons=comparisons),
        interviews=_interview_evidence(data, pilots, phase, threshold=threshold),
        minimal_important_change=rules.minimal_important_change,
        net_threshold=rules.interview_net_threshold,
        completed_late_milestone=rules.completed_late_milestone,
    )

    def earlier_phase(earlier: str):
        earlier_as_of = pd.Timestamp(programme.cutoffs[earlier])
        return (_survey_evidence(data, pilots, earlier, earlier_as_of, threshold=threshold, plan=plan),
                _interview_evidence(data, pilots, earlier, threshold=threshold))

    # what merged, split or sharpened sub-goals inherit from those they replaced
    inherited = inherited_evidence(sub_goals, programme=programme, observations=observations_all,
                                   milestones=mine(data.milestones), as_of=as_of,
                                   phase_evidence=earlier_phase)
    evidence = with_inherited(evidence, inherited, as_of=as_of)
    computed = computed_status(evidence, sub_goals=sub_goals)
    overview = status_overview(computed, mine(data.assessments), phase=phase)
    return GoalAttainment(phase, as_of, tracking, current, milestones, evidence, overview,
                          confidence_level=SURVEY_CONFIDENCE_LEVEL)


__all__ = ["SURVEY_CONFIDENCE_LEVEL", "GoalAttainment", "goal_attainment"]
