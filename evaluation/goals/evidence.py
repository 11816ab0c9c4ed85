"""Evidence per sub-goal: one tidy table from the indicators, survey, milestones and interviews.

Each piece of evidence gets a status by a documented rule per source
(:func:`survey_evidence_status`, :func:`interview_evidence_status`,
:data:`MILESTONE_EVIDENCE_STATUS`, the indicator's own status). A missing source never raises:
a linked survey index or interview theme without data gives an evidence row with status
``no_data``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from evaluation.contract.vocabulary import BASELINE_ROLE
from evaluation.goals._frames import require

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

DEFAULT_ALPHA = 0.05
"""Significance level for survey evidence (Holm-adjusted p below it)."""

DEFAULT_NET_THRESHOLD = 0.2
"""Net assessment at or beyond which interview evidence is on or off track."""


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
        ``from_role``, ``to_role``, ``n_from``, ``n_to``, ``difference``, ``p_value_adjusted``,
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
    require(comparison, ("pilot", "index", "from_role", "to_role", "difference",
                         "p_value_adjusted", "hedges_g"), "survey comparison")
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
        "p_value": keep(rows["p_value_adjusted"]),
        "effect_size": keep(rows["hedges_g"]),
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
    require(balance, ("pilot", "theme", "total", "net_score"), "interview balance")
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
    require(sub_goals, ("pilot", "sub_goal"), "programme.yaml")
    require(sub_goal_links, ("pilot", "sub_goal", "kind", "target"), "programme.yaml")
    keys = set(zip(sub_goals["pilot"], sub_goals["sub_goal"]))
    links = sub_goal_links.loc[[k in keys for k in zip(sub_goal_links["pilot"],
                                                         sub_goal_links["sub_goal"])]]
    rows = [
        *_indicator_rows(indicator_status, keys),
        *_survey_rows(survey, links, alpha=alpha),
        *_milestone_rows(milestones, keys),
        *_interview_rows(interviews, links, net_threshold=net_threshold),
    ]
    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    for column in ("estimate", "p_value", "effect_size"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    frame["n"] = pd.array([None if pd.isna(v) else int(v) for v in frame["n"]], dtype="Int64")
    frame["_order"] = frame["source"].map({s: i for i, s in enumerate(SOURCES)})
    frame = frame.sort_values(["pilot", "sub_goal", "_order", "item"], kind="stable",
                              ignore_index=True)
    return frame.drop(columns="_order")


def _indicator_rows(indicator_status: pd.DataFrame | None, keys: set) -> list[dict]:
    """Evidence rows of the indicators linked to a wanted sub-goal (by their ``sub_goal``)."""
    if indicator_status is None:
        return []
    require(indicator_status, ("pilot", "indicator_id", "sub_goal", "progress_vs_expected",
                               "status"), "indicator status")
    return [_row(r.pilot, r.sub_goal, "indicator", r.indicator_id, "progress_vs_expected",
                 r.progress_vs_expected, status=r.status)
            for r in indicator_status.itertuples(index=False) if (r.pilot, r.sub_goal) in keys]


def _survey_rows(survey: pd.DataFrame | None, links: pd.DataFrame, *, alpha: float) -> list[dict]:
    """Evidence rows of the survey indices linked to a sub-goal; ``no_data`` where none found."""
    survey_lookup = {}
    if survey is not None:
        require(survey, SURVEY_EVIDENCE_COLUMNS, "survey evidence")
        survey_lookup = {(r["pilot"], r["index"]): r for r in survey.to_dict("records")}
    rows = []
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
    return rows


def _milestone_rows(milestones: pd.DataFrame | None, keys: set) -> list[dict]:
    """Evidence rows of the milestones of a wanted sub-goal."""
    if milestones is None:
        return []
    require(milestones, ("pilot", "milestone_id", "sub_goal", "status", "days_late"),
            "milestone status")
    return [_row(r.pilot, r.sub_goal, "milestone", r.milestone_id, "days_late", r.days_late,
                 status=MILESTONE_EVIDENCE_STATUS[r.status])
            for r in milestones.itertuples(index=False) if (r.pilot, r.sub_goal) in keys]


def _interview_rows(interviews: pd.DataFrame | None, links: pd.DataFrame, *,
                    net_threshold: float) -> list[dict]:
    """Evidence rows of the interview themes linked to a sub-goal; ``no_data`` where none found."""
    interview_lookup = {}
    if interviews is not None:
        require(interviews, INTERVIEW_EVIDENCE_COLUMNS, "interview evidence")
        interview_lookup = {(r["pilot"], r["theme"]): r for r in interviews.to_dict("records")}
    rows = []
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
    return rows


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



__all__ = [
    "DEFAULT_ALPHA",
    "DEFAULT_NET_THRESHOLD",
    "EVIDENCE_COLUMNS",
    "MILESTONE_EVIDENCE_STATUS",
    "SOURCES",
    "evidence_table",
    "interview_evidence",
    "interview_evidence_status",
    "survey_evidence",
    "survey_evidence_status",
]
