"""Goal attainment: evidence per sub-goal, a computed status beside the evaluators' judgement.

For every sub-goal of a pilot this module gathers the evidence from every linked source into one
tidy *evidence table* -- the statuses of its indicators, the change of its linked survey indices
since the baseline wave (test and effect size), its milestones, and the net assessment of its
linked interview themes -- and computes a status from that evidence by a documented rule
(:func:`computed_status`). The computed status is shown beside the evaluators' own judged status
and rationale (``assessments.csv``); a disagreement is flagged for the evaluators, never
silently overridden (:func:`status_overview`).

It also scores goal attainment scaling (:func:`gas_tscore`), rolls sub-goal statuses up to the
national goals N1--N5 (:func:`national_goal_rollup`) and, in the final phase, compares each
sub-goal's status with the midterm (:func:`status_change`).

A missing evidence source never raises: a linked survey index or interview theme without data
gives an evidence row with status ``no_data``.

Status ids, best first: ``achieved``, ``on_track``, ``at_risk``, ``off_track``, and ``no_data``.
"""

from __future__ import annotations

import math
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from evaluation.errors import DataContractError, DataProblem, InsufficientDataError
from evaluation.contract.vocabulary import BASELINE_ROLE, STATUSES

STATUS_LEVEL = {"off_track": 0, "at_risk": 1, "on_track": 2, "achieved": 3}
"""Ordinal level of each informative status (``no_data`` has none)."""

LEVEL_STATUS = {level: status for status, level in STATUS_LEVEL.items()}

SOURCES = ("indicator", "survey", "milestone", "interview")
"""Evidence sources, in the order they are shown."""

EVIDENCE_COLUMNS = [
    "pilot", "sub_goal", "source", "item", "measure", "estimate", "p_value", "effect_size",
    "n", "status",
]

SURVEY_EVIDENCE_COLUMNS = ("pilot", "index", "change", "p_value", "effect_size", "n")
"""Columns of the survey evidence frame :func:`evidence_table` takes (see
:func:`survey_evidence`)."""

INTERVIEW_EVIDENCE_COLUMNS = ("pilot", "theme", "n", "net_score")
"""Columns of the interview evidence frame :func:`evidence_table` takes (see
:func:`interview_evidence`)."""

MILESTONE_EVIDENCE_STATUS = {
    "completed_on_time": "on_track",
    "completed_late": "at_risk",
    "overdue": "off_track",
    "not_yet_due": "no_data",
}
"""Evidence status of a milestone status (see :func:`evidence_table`)."""

ASSESSMENTS_FILE = "assessments.csv"

DEFAULT_ALPHA = 0.05
"""Significance level for survey evidence (Holm-adjusted p below it)."""

DEFAULT_NET_THRESHOLD = 0.2
"""Net assessment at or beyond which interview evidence is on or off track."""


# --------------------------------------------------------------------------------------------
# goal attainment scaling
# --------------------------------------------------------------------------------------------
def gas_tscore(
    scores: Sequence[float] | pd.Series | np.ndarray,
    *,
    weights: Sequence[float] | pd.Series | np.ndarray | None = None,
    rho: float = 0.3,
) -> float:
    """Goal attainment scaling: Kiresuk and Sherman's T-score of a set of goal ratings.

    Parameters
    ----------
    scores : array-like of int
        Attainment of each goal on the five-point scale -2 (much less than expected), -1, 0
        (the expected level), +1, +2 (much more than expected). Missing values (NaN, ``None``,
        ``pd.NA``) are left out together with their weights.
    weights : array-like of float, optional
        Positive weight (importance) of each goal; equal weights by default.
    rho : float
        Assumed average correlation between the goal scales, in ``[0, 1)``; 0.3 as Kiresuk and
        Sherman (1968) propose.

    Returns
    -------
    float
        The T-score: 50 when every goal is reached at the expected level, with a standard
        deviation of 10 under the method's assumptions.

    Raises
    ------
    ValueError
        If a score is not one of -2, -1, 0, 1, 2, a weight is not positive and finite, the
        weights do not match the scores in length, or ``rho`` is outside ``[0, 1)``.
    InsufficientDataError
        If no score is left after dropping missing ones.

    Notes
    -----
    With scores :math:`x_i` and weights :math:`w_i`,

    .. math::

        T = 50 + \\frac{10 \\sum_i w_i x_i}
                      {\\sqrt{(1 - \\rho) \\sum_i w_i^2 + \\rho \\left(\\sum_i w_i\\right)^2}}.

    The formula assumes each goal scale has mean 0 and standard deviation 1 and that the goals
    correlate at :math:`\\rho`; with one goal, :math:`T = 50 + 10 x`.

    References
    ----------
    Kiresuk, T. J., & Sherman, R. E. (1968). Goal attainment scaling: A general method for
    evaluating comprehensive community mental health programs. *Community Mental Health
    Journal*, 4(6), 443--453. https://doi.org/10.1007/BF01530764

    Turner-Stokes, L. (2009). Goal attainment scaling (GAS) in rehabilitation: a practical
    guide. *Clinical Rehabilitation*, 23(4), 362--370. https://doi.org/10.1177/0269215508101742

    Examples
    --------
    >>> gas_tscore([0, 0, 0])
    50.0
    >>> gas_tscore([2])
    70.0
    """
    try:
        rho = float(rho)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"rho must be a number in [0, 1), got {rho!r}") from exc
    if not 0.0 <= rho < 1.0:
        raise ValueError(f"rho must lie in [0, 1), got {rho}")
    x = pd.to_numeric(pd.Series(list(scores), dtype=object), errors="coerce").astype(float)
    raw = list(scores)
    for value, number in zip(raw, x):
        missing = value is None or value is pd.NA or (
            isinstance(value, float) and math.isnan(value))
        if not missing and (math.isnan(number) or number not in (-2.0, -1.0, 0.0, 1.0, 2.0)):
            raise ValueError(f"GAS score {value!r} is not one of -2, -1, 0, 1, 2")
    if weights is None:
        w = pd.Series(np.ones(len(x)))
    else:
        w = pd.to_numeric(pd.Series(list(weights), dtype=object), errors="coerce").astype(float)
        if len(w) != len(x):
            raise ValueError(f"{len(w)} weights for {len(x)} scores; expected one weight per score")
        if not (np.isfinite(w) & (w > 0)).all():
            raise ValueError(f"weights must be positive and finite, got {list(weights)!r}")
    keep = x.notna().to_numpy()
    x, w = x.to_numpy()[keep], w.to_numpy()[keep]
    if len(x) == 0:
        raise InsufficientDataError("no GAS score to combine (all missing)")
    numerator = 10.0 * float(np.sum(w * x))
    denominator = math.sqrt((1.0 - rho) * float(np.sum(w ** 2)) + rho * float(np.sum(w)) ** 2)
    return 50.0 + numerator / denominator


def gas_summary(assessments: pd.DataFrame, *, phase: str, rho: float = 0.3) -> pd.DataFrame:
    """GAS T-score per pilot from the evaluators' ``gas_score`` ratings of one phase.

    Parameters
    ----------
    assessments : pandas.DataFrame
        ``assessments.csv``: pilot, phase, sub_goal, gas_score (empty when not rated).
    phase : str
        Phase id (``midterm``, ``final``).
    rho : float
        Inter-goal correlation for :func:`gas_tscore`.

    Returns
    -------
    pandas.DataFrame
        One row per pilot with at least one rated sub-goal in the phase, columns ``pilot``,
        ``phase``, ``n_rated`` (int, sub-goals rated), ``mean_score`` (float) and ``t_score``
        (float, unweighted :func:`gas_tscore`).
    """
    _require(assessments, ("pilot", "phase", "sub_goal", "gas_score"), ASSESSMENTS_FILE)
    rows = []
    subset = assessments.loc[assessments["phase"] == phase]
    for pilot, group in subset.groupby("pilot", sort=True):
        scores = pd.to_numeric(group["gas_score"], errors="coerce").dropna()
        if scores.empty:
            continue
        rows.append({"pilot": pilot, "phase": phase, "n_rated": int(len(scores)),
                     "mean_score": float(scores.mean()),
                     "t_score": gas_tscore(scores.tolist(), rho=rho)})
    return pd.DataFrame(rows, columns=["pilot", "phase", "n_rated", "mean_score", "t_score"])


# --------------------------------------------------------------------------------------------
# combining statuses
# --------------------------------------------------------------------------------------------
def combine_statuses(statuses: Iterable[str]) -> str:
    """Combine statuses by majority: the best status that more than half of them reach.

    Parameters
    ----------
    statuses : iterable of str
        Status ids; ``no_data`` entries are set aside.

    Returns
    -------
    str
        ``no_data`` when nothing informative is left; otherwise the lower median on the ordinal
        scale ``off_track < at_risk < on_track < achieved``, which is the best status that more
        than half of the entries reach or exceed. On an even split the worse side wins, so the
        rule is conservative.

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
    """
    levels = []
    for status in statuses:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        if status != "no_data":
            levels.append(STATUS_LEVEL[status])
    if not levels:
        return "no_data"
    levels.sort()
    return LEVEL_STATUS[levels[(len(levels) - 1) // 2]]


# --------------------------------------------------------------------------------------------
# evidence
# --------------------------------------------------------------------------------------------
def survey_evidence_status(change: float, p_value: float, *, alpha: float = DEFAULT_ALPHA) -> str:
    """Evidence status of a survey index's change since the baseline wave.

    ``on_track`` for a positive change with (adjusted) p below ``alpha``, ``off_track`` for a
    negative one, ``at_risk`` when the change is not statistically significant (no demonstrable
    improvement), ``no_data`` when the change or p-value is missing (for instance suppressed
    because a group is below the anonymity threshold).
    """
    if change is None or p_value is None or pd.isna(change) or pd.isna(p_value):
        return "no_data"
    if float(p_value) < alpha and float(change) > 0:
        return "on_track"
    if float(p_value) < alpha and float(change) < 0:
        return "off_track"
    return "at_risk"


def interview_evidence_status(net_score: float, n: float, *,
                              net_threshold: float = DEFAULT_NET_THRESHOLD) -> str:
    """Evidence status of an interview theme's net assessment.

    ``on_track`` when the net score is at least ``net_threshold``, ``off_track`` when it is at
    most ``-net_threshold``, ``at_risk`` in between (mixed or balanced views), ``no_data`` when
    the theme has no assessed segment or the count is suppressed.
    """
    if net_score is None or pd.isna(net_score) or n is None or pd.isna(n) or float(n) <= 0:
        return "no_data"
    if float(net_score) >= net_threshold:
        return "on_track"
    if float(net_score) <= -net_threshold:
        return "off_track"
    return "at_risk"


def survey_evidence(comparison: pd.DataFrame, *, to_role: str) -> pd.DataFrame:
    """Survey evidence for :func:`evidence_table` from the survey module's wave comparison.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`evaluation.survey.compare_waves`: columns ``level``, ``pilot``, ``index``,
        ``from_role``, ``to_role``, ``n_from``, ``n_to``, ``difference``, ``pvalue_holm``,
        ``effect_size``, ``suppressed``.
    to_role : str
        Role of the wave compared with the baseline: a phase id of the programme
        (:attr:`evaluation.contract.Programme.phases`).

    Returns
    -------
    pandas.DataFrame
        Columns ``pilot``, ``index``, ``change`` (float, index mean of the later wave minus the
        baseline's), ``p_value`` (float, Holm-adjusted Mann-Whitney p), ``effect_size``
        (float, rank-biserial correlation, positive when higher in the later wave) and ``n``
        (Int64, respondents in both waves), one row per pilot-level baseline → ``to_role``
        comparison. Suppressed comparisons keep their row with every value missing, so they
        become ``no_data`` evidence.
    """
    _require(comparison, ("pilot", "index", "from_role", "to_role", "difference",
                          "pvalue_holm", "effect_size"), "survey comparison")
    if not isinstance(to_role, str) or to_role == BASELINE_ROLE:
        raise ValueError(f"to_role must be a phase id of the programme, got {to_role!r}")
    rows = comparison.loc[(comparison["from_role"] == "baseline")
                          & (comparison["to_role"] == to_role)]
    if "level" in rows.columns:
        rows = rows.loc[rows["level"] == "pilot"]
    suppressed = (rows["suppressed"].fillna(False).astype(bool).to_numpy()
                  if "suppressed" in rows.columns else np.zeros(len(rows), dtype=bool))
    n = (pd.to_numeric(rows.get("n_from"), errors="coerce").astype("Float64")
         + pd.to_numeric(rows.get("n_to"), errors="coerce").astype("Float64")
         if {"n_from", "n_to"} <= set(rows.columns) else pd.Series(pd.NA, index=rows.index,
                                                                   dtype="Float64"))

    def keep(values) -> np.ndarray:
        values = pd.to_numeric(values, errors="coerce").astype(float).to_numpy()
        return np.where(suppressed, np.nan, values)

    return pd.DataFrame({
        "pilot": rows["pilot"].to_numpy(),
        "index": rows["index"].to_numpy(),
        "change": keep(rows["difference"]),
        "p_value": keep(rows["pvalue_holm"]),
        "effect_size": keep(rows["effect_size"]),
        "n": pd.array([None if s or pd.isna(v) else int(v) for s, v in zip(suppressed, n)],
                      dtype="Int64"),
    })


def interview_evidence(balance: pd.DataFrame) -> pd.DataFrame:
    """Interview evidence for :func:`evidence_table` from the interview module's balance.

    Parameters
    ----------
    balance : pandas.DataFrame
        :func:`evaluation.interviews.assessment_balance` computed with ``by="pilot"``: columns
        ``pilot``, ``theme``, ``total`` (assessed segments), ``net_score`` and ``suppressed``.

    Returns
    -------
    pandas.DataFrame
        Columns ``pilot``, ``theme``, ``n`` (Int64, assessed segments; <NA> when suppressed)
        and ``net_score`` (float; NaN when suppressed or no segment), one row per input row.
        A suppressed row therefore becomes ``no_data`` evidence.
    """
    _require(balance, ("pilot", "theme", "total", "net_score"), "interview balance")
    suppressed = (balance["suppressed"].fillna(False).astype(bool) if "suppressed" in balance
                  else pd.Series(False, index=balance.index))
    n = pd.to_numeric(balance["total"], errors="coerce").astype("Float64")
    net = pd.to_numeric(balance["net_score"], errors="coerce").astype("Float64")
    out = pd.DataFrame({
        "pilot": balance["pilot"].to_numpy(),
        "theme": balance["theme"].to_numpy(),
        "n": pd.array(n.where(~suppressed.to_numpy()).round(), dtype="Int64"),
        "net_score": net.where(~suppressed.to_numpy()).astype(float).to_numpy(),
    })
    return out


def evidence_table(
    sub_goals: pd.DataFrame,
    sub_goal_links: pd.DataFrame,
    *,
    indicator_status: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    interviews: pd.DataFrame | None = None,
    alpha: float = DEFAULT_ALPHA,
    net_threshold: float = DEFAULT_NET_THRESHOLD,
) -> pd.DataFrame:
    """One tidy table of the evidence on every sub-goal, from every linked source.

    Parameters
    ----------
    sub_goals : pandas.DataFrame
        ``programme.sub_goals`` [pilot, sub_goal, ...], already limited to the pilots wanted.
    sub_goal_links : pandas.DataFrame
        ``programme.sub_goal_links`` [pilot, sub_goal, kind, target]; the ``survey_index`` and
        ``interview_theme`` links say which indices and themes speak to a sub-goal.
    indicator_status : pandas.DataFrame, optional
        :func:`evaluation.indicators.current_indicator_status` [pilot, indicator_id, sub_goal,
        progress_vs_expected, status, ...]. Indicators link to sub-goals by their ``sub_goal``.
    milestones : pandas.DataFrame, optional
        :func:`evaluation.indicators.milestone_status` [pilot, milestone_id, sub_goal, status,
        days_late, ...].
    survey : pandas.DataFrame, optional
        Change of each survey index since the baseline wave, columns
        ``pilot, index, change, p_value, effect_size, n`` (see :func:`survey_evidence`);
        ``p_value`` should be adjusted for multiple comparisons. ``None`` when there is no
        survey data: every linked index then gives a ``no_data`` row.
    interviews : pandas.DataFrame, optional
        Net assessment per interview theme, columns ``pilot, theme, n, net_score`` (see
        :func:`interview_evidence`). ``None`` when there are no interviews: every linked theme
        then gives a ``no_data`` row.
    alpha : float
        Significance level for survey evidence (:func:`survey_evidence_status`).
    net_threshold : float
        Net score threshold for interview evidence (:func:`interview_evidence_status`).

    Returns
    -------
    pandas.DataFrame
        One row per piece of evidence, sorted by pilot, sub-goal, source (in the order
        indicator, survey, milestone, interview) and item. Columns:

        - ``pilot``, ``sub_goal`` (str);
        - ``source`` (str) -- ``indicator``, ``survey``, ``milestone`` or ``interview``;
        - ``item`` (str) -- indicator id, survey index id, milestone id or interview theme id;
        - ``measure`` (str) -- what ``estimate`` is: ``progress_vs_expected`` (indicator),
          ``index_change`` (survey: change of the index mean since baseline), ``days_late``
          (milestone) or ``net_score`` (interview);
        - ``estimate`` (float) -- its value; NaN when missing;
        - ``p_value`` (float) -- survey only: the (adjusted) p-value; NaN elsewhere;
        - ``effect_size`` (float) -- survey only: the effect size; NaN elsewhere;
        - ``n`` (Int64) -- survey respondents or interview segments behind the estimate;
          <NA> for indicators and milestones;
        - ``status`` (str) -- the evidence's status.

    Notes
    -----
    Evidence status by source:

    - indicator: its status (:func:`evaluation.indicators.indicator_status`);
    - survey: see :func:`survey_evidence_status` (significant positive change ``on_track``,
      significant negative ``off_track``, otherwise ``at_risk``);
    - milestone: completed on time ``on_track``, completed late ``at_risk``, overdue
      ``off_track``, not yet due ``no_data`` (nothing to judge yet);
    - interview: see :func:`interview_evidence_status` (net score at least ``net_threshold``
      ``on_track``, at most ``-net_threshold`` ``off_track``, otherwise ``at_risk``).
    """
    _require(sub_goals, ("pilot", "sub_goal"), "programme.yaml")
    _require(sub_goal_links, ("pilot", "sub_goal", "kind", "target"), "programme.yaml")
    keys = set(zip(sub_goals["pilot"], sub_goals["sub_goal"]))
    rows: list[dict] = []

    if indicator_status is not None:
        _require(indicator_status, ("pilot", "indicator_id", "sub_goal", "progress_vs_expected",
                                    "status"), "indicator status")
        for r in indicator_status.itertuples(index=False):
            if (r.pilot, r.sub_goal) in keys:
                rows.append(_row(r.pilot, r.sub_goal, "indicator", r.indicator_id,
                                 "progress_vs_expected", r.progress_vs_expected, status=r.status))

    links = sub_goal_links.loc[[k in keys for k in zip(sub_goal_links["pilot"],
                                                         sub_goal_links["sub_goal"])]]
    survey_lookup = {}
    if survey is not None:
        _require(survey, SURVEY_EVIDENCE_COLUMNS, "survey evidence")
        survey_lookup = {(r["pilot"], r["index"]): r for r in survey.to_dict("records")}
    for link in links.loc[links["kind"] == "survey_index"].itertuples(index=False):
        found = survey_lookup.get((link.pilot, link.target))
        if found is None:
            rows.append(_row(link.pilot, link.sub_goal, "survey", link.target, "index_change",
                             math.nan, status="no_data"))
        else:
            rows.append(_row(link.pilot, link.sub_goal, "survey", link.target, "index_change",
                             found["change"], p_value=found["p_value"],
                             effect_size=found["effect_size"], n=found["n"],
                             status=survey_evidence_status(found["change"], found["p_value"],
                                                           alpha=alpha)))

    if milestones is not None:
        _require(milestones, ("pilot", "milestone_id", "sub_goal", "status", "days_late"),
                 "milestone status")
        for r in milestones.itertuples(index=False):
            if (r.pilot, r.sub_goal) in keys:
                rows.append(_row(r.pilot, r.sub_goal, "milestone", r.milestone_id, "days_late",
                                 r.days_late, status=MILESTONE_EVIDENCE_STATUS[r.status]))

    interview_lookup = {}
    if interviews is not None:
        _require(interviews, INTERVIEW_EVIDENCE_COLUMNS, "interview evidence")
        interview_lookup = {(r["pilot"], r["theme"]): r for r in interviews.to_dict("records")}
    for link in links.loc[links["kind"] == "interview_theme"].itertuples(index=False):
        found = interview_lookup.get((link.pilot, link.target))
        if found is None:
            rows.append(_row(link.pilot, link.sub_goal, "interview", link.target, "net_score",
                             math.nan, status="no_data"))
        else:
            rows.append(_row(link.pilot, link.sub_goal, "interview", link.target, "net_score",
                             found["net_score"], n=found["n"],
                             status=interview_evidence_status(found["net_score"], found["n"],
                                                              net_threshold=net_threshold)))

    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    for column in ("estimate", "p_value", "effect_size"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["n"] = pd.array([None if pd.isna(v) else int(v) for v in frame["n"]], dtype="Int64")
    frame["_order"] = frame["source"].map({s: i for i, s in enumerate(SOURCES)})
    frame = frame.sort_values(["pilot", "sub_goal", "_order", "item"], kind="stable",
                              ignore_index=True)
    return frame.drop(columns="_order")


def _row(pilot, sub_goal, source, item, measure, estimate, *, p_value=math.nan,
         effect_size=math.nan, n=None, status) -> dict:
    return {"pilot": pilot, "sub_goal": sub_goal, "source": source, "item": str(item),
            "measure": measure, "estimate": _float(estimate), "p_value": _float(p_value),
            "effect_size": _float(effect_size), "n": None if n is None or pd.isna(n) else n,
            "status": status}


def _float(value) -> float:
    if value is None or value is pd.NA:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


# --------------------------------------------------------------------------------------------
# computed status and the evaluators' judgement
# --------------------------------------------------------------------------------------------
def computed_status(evidence: pd.DataFrame, *, sub_goals: pd.DataFrame) -> pd.DataFrame:
    """Status of every sub-goal computed from its evidence by a transparent rule.

    Parameters
    ----------
    evidence : pandas.DataFrame
        :func:`evidence_table`.
    sub_goals : pandas.DataFrame
        ``programme.sub_goals`` [pilot, sub_goal, ...]: every sub-goal gets a row, also one
        without evidence.

    Returns
    -------
    pandas.DataFrame
        One row per sub-goal, in the order of ``sub_goals``. Columns ``pilot``, ``sub_goal``,
        ``n_evidence`` (int, evidence rows with data), ``indicator_status``, ``survey_status``,
        ``milestone_status``, ``interview_status`` (str, each source's combined status,
        ``no_data`` when the source has none) and ``computed_status`` (str).

    Notes
    -----
    The rule, in three steps:

    1. Within each source, the rows' statuses are combined by majority
       (:func:`combine_statuses`): the best status that more than half of the rows with data
       reach, on the scale off track < at risk < on track < achieved. Rows with ``no_data``
       are set aside.
    2. The sources' statuses are combined by the same majority rule, so each source (indicator,
       survey, milestone, interview) has one vote however many rows it has. No source with
       data gives ``no_data``.
    3. ``achieved`` is reserved for measured targets: the sub-goal is ``achieved`` when every
       one of its indicators with data has met its target and step 2 gives at least
       ``on_track``; otherwise a step-2 result of ``achieved`` is lowered to ``on_track``.

    On an even split the worse status wins, so the rule errs on the side of caution; the
    evaluators' judgement (:func:`status_overview`) is shown beside it.
    """
    _require(evidence, ("pilot", "sub_goal", "source", "status"), "evidence")
    _require(sub_goals, ("pilot", "sub_goal"), "programme.yaml")
    grouped = {key: group for key, group in evidence.groupby(["pilot", "sub_goal"], sort=False)}
    rows = []
    for pilot, sub_goal in zip(sub_goals["pilot"], sub_goals["sub_goal"]):
        group = grouped.get((pilot, sub_goal))
        per_source = {}
        n_evidence = 0
        for source in SOURCES:
            statuses = [] if group is None else list(group.loc[group["source"] == source, "status"])
            per_source[source] = combine_statuses(statuses)
            n_evidence += sum(s != "no_data" for s in statuses)
        overall = combine_statuses(per_source.values())
        indicator_statuses = ([] if group is None else
                              [s for s in group.loc[group["source"] == "indicator", "status"]
                               if s != "no_data"])
        all_met = bool(indicator_statuses) and all(s == "achieved" for s in indicator_statuses)
        if overall in ("on_track", "achieved"):
            overall = "achieved" if all_met else "on_track"
        rows.append({"pilot": pilot, "sub_goal": sub_goal, "n_evidence": n_evidence,
                     **{f"{s}_status": per_source[s] for s in SOURCES},
                     "computed_status": overall})
    columns = ["pilot", "sub_goal", "n_evidence", *[f"{s}_status" for s in SOURCES],
               "computed_status"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["n_evidence"] = frame["n_evidence"].astype(int)
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
        achieved 3; <NA> when either is ``no_data``) and ``disagreement`` (bool).

    Raises
    ------
    DataContractError
        Naming ``assessments.csv``, row and column, for a status that is not a status id, or a
        second judgement of one sub-goal in the phase.

    Notes
    -----
    ``disagreement`` is true when both statuses carry information (neither is ``no_data``) and
    they differ. A judgement where the data give no evidence, or evidence without a judgement,
    is not a disagreement but is visible as ``no_data`` on one side. The judged status is never
    changed.
    """
    _require(assessments, ("pilot", "phase", "sub_goal", "status", "gas_score", "rationale_nb",
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


# --------------------------------------------------------------------------------------------
# roll-up and change
# --------------------------------------------------------------------------------------------
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
        ``n_at_risk``, ``n_off_track``, ``n_no_data`` (int) and ``status`` (str: the majority
        of the linked sub-goals' statuses, :func:`combine_statuses`).

    Notes
    -----
    A sub-goal linked to several national goals counts towards each of them. The majority rule
    is the one used within a sub-goal: the best status reached by more than half of the linked
    sub-goals with data.
    """
    _require(status, ("pilot", "sub_goal", status_column), "status")
    _require(sub_goal_links, ("pilot", "sub_goal", "kind", "target"), "programme.yaml")
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
    midterm: pd.DataFrame,
    final: pd.DataFrame,
    *,
    status_column: str = "computed_status",
) -> pd.DataFrame:
    """Change of each sub-goal's status from the midterm to the final phase.

    Parameters
    ----------
    midterm, final : pandas.DataFrame
        One row per sub-goal with ``pilot``, ``sub_goal`` and ``status_column``, for each phase
        (:func:`computed_status` or :func:`status_overview`).
    status_column : str
        The status compared (``computed_status`` or ``judged_status``).

    Returns
    -------
    pandas.DataFrame
        One row per sub-goal of ``final`` (its order), columns ``pilot``, ``sub_goal``,
        ``status_midterm``, ``status_final`` (str; ``no_data`` when missing) and ``change``
        (str): ``improved`` or ``worsened`` when both statuses carry information and the level
        rose or fell, ``unchanged`` when they are equal (also when both are ``no_data``), and
        ``not_comparable`` when exactly one is ``no_data``.
    """
    for frame in (midterm, final):
        _require(frame, ("pilot", "sub_goal", status_column), "status")
    before = midterm[["pilot", "sub_goal", status_column]].rename(
        columns={status_column: "status_midterm"})
    after = final[["pilot", "sub_goal", status_column]].rename(
        columns={status_column: "status_final"})
    out = after.merge(before, on=["pilot", "sub_goal"], how="left")
    out["status_midterm"] = out["status_midterm"].fillna("no_data")
    change = []
    for old, new in zip(out["status_midterm"], out["status_final"]):
        if old == new:
            change.append("unchanged")
        elif old in STATUS_LEVEL and new in STATUS_LEVEL:
            change.append("improved" if STATUS_LEVEL[new] > STATUS_LEVEL[old] else "worsened")
        else:
            change.append("not_comparable")
    out["change"] = change
    return out[["pilot", "sub_goal", "status_midterm", "status_final", "change"]]


_CONTRACT_FILES = ("programme.yaml", ASSESSMENTS_FILE)


def _require(frame: pd.DataFrame, columns, what: str) -> None:
    """Check columns: a contract file's missing column is a data error, else a bad argument."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"expected a pandas DataFrame for {what}, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if not missing:
        return
    if what in _CONTRACT_FILES:
        raise DataContractError([DataProblem(what, None, c, "column is missing",
                                             "the data contract's columns") for c in missing])
    raise ValueError(f"the {what} frame lacks column(s) {missing}")


__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_NET_THRESHOLD",
    "EVIDENCE_COLUMNS",
    "SOURCES",
    "STATUS_LEVEL",
    "combine_statuses",
    "computed_status",
    "evidence_table",
    "gas_summary",
    "gas_tscore",
    "interview_evidence",
    "interview_evidence_status",
    "national_goal_rollup",
    "status_change",
    "status_overview",
    "survey_evidence",
    "survey_evidence_status",
]
