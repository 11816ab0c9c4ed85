"""Evidence per sub-goal: one tidy table from the indicators, survey, milestones and interviews.

Each piece of evidence gets a status by a documented rule per source
(:func:`survey_evidence_status`, :func:`interview_evidence_status`,
:func:`milestone_evidence_status`, the indicator's own status). The rules read the evidence, not
its statistical significance: a survey change is judged by its confidence interval against the
minimal important change, mixed interviews are *not enough evidence* (``insufficient_evidence``)
rather than a risk, and a milestone completed late counts as done. Every rule value comes from
``programme.yaml`` (``evidence_rules``, :class:`evaluation.contract.evidence_rules.EvidenceRules`).
A missing source never raises: a linked survey index or interview theme without data gives an
evidence row with status ``no_data``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from evaluation.contract.evidence_rules import COMPLETED_LATE_MILESTONE_CHOICES
from evaluation.contract.vocabulary import BASELINE_ROLE, MILESTONE_STATUSES
from evaluation.goals._frames import require

SOURCES = ("indicator", "survey", "milestone", "interview")
"""Evidence sources, in the order they are shown."""

EVIDENCE_COLUMNS = [
    "pilot", "sub_goal", "source", "item", "measure", "estimate", "ci_low", "ci_high",
    "threshold", "n", "n_positive", "n_negative", "detail", "status",
]

SURVEY_EVIDENCE_COLUMNS = ("pilot", "index", "change", "ci_low", "ci_high", "n")
"""Columns of the survey evidence frame :func:`evidence_table` takes (see
:func:`survey_evidence`; a ``suppressed`` column is optional)."""

INTERVIEW_EVIDENCE_COLUMNS = ("pilot", "theme", "n", "n_positive", "n_negative", "net_score")
"""Columns of the interview evidence frame :func:`evidence_table` takes (see
:func:`interview_evidence`; a ``suppressed`` column is optional)."""

MILESTONE_EVIDENCE_STATUS = {
    "completed_on_time": "on_track",
    "overdue": "off_track",
    "not_yet_due": "no_data",
}
"""Evidence status of a milestone status; ``completed_late`` is the programme's rule
(``evidence_rules.completed_late_milestone``, see :func:`milestone_evidence_status`)."""


def _check_positive(value: float, name: str, *, at_most: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    value = float(value)
    if not (0 < value <= at_most) or math.isinf(value):
        limit = "" if math.isinf(at_most) else f" and at most {at_most:g}"
        raise ValueError(f"{name} must be finite, above 0{limit}; got {value!r}")
    return value


def _missing(value) -> bool:
    return value is None or value is pd.NA or bool(pd.isna(value))


def survey_evidence_status(change: float, ci_low: float, ci_high: float, *,
                           minimal_important_change: float) -> str:
    """Evidence status of a survey index's change since the baseline wave, by its interval.

    Parameters
    ----------
    change : float
        The estimated change of the index mean (later wave minus baseline), in index points.
    ci_low, ci_high : float
        Its confidence interval (the survey comparison's, 95 % in the reports).
    minimal_important_change : float
        The smallest change that matters, in index points (``programme.yaml``:
        ``evidence_rules.minimal_important_change``), written *m* below.

    Returns
    -------
    str
        With *d* the change and *[L, U]* its interval, checked in this order:

        ======================================  ==========================  =========================
        the interval and the estimate           reading                     status
        ======================================  ==========================  =========================
        change, L or U missing                  nothing to judge            ``no_data``
        L > 0 and d ≥ m                         important improvement       ``on_track``
        U < 0 and d ≤ −m                        important decline           ``off_track``
        U < m (and not the row above)           an important improvement    ``at_risk``
                                                is ruled out
        otherwise (U ≥ m, not the first row)    the interval is too wide    ``insufficient_evidence``
                                                to tell
        ======================================  ==========================  =========================

        The p-value does not enter: a change that is not statistically significant is
        ``insufficient_evidence`` when its interval still reaches *m*, not a risk.

    Raises
    ------
    ValueError
        If ``minimal_important_change`` is not a positive finite number, or ``ci_low`` exceeds
        ``ci_high``.

    Notes
    -----
    The rule follows Man-Son-Hing et al. (2002), who judge a result by where the point estimate
    and its confidence interval lie relative to the minimal important difference rather than by
    its p-value, and GRADE's criterion for imprecision (Guyatt et al. 2011): a result is
    imprecise when the decision would differ if the lower rather than the upper limit of the
    interval were the truth. Here that is the ``insufficient_evidence`` row: the interval
    reaches *m*, so an important improvement is possible, but the data do not show one.
    The sub-goals aim at improvement, so an interval that rules out an important improvement
    (U < m) is a risk to the goal; it is ``at_risk`` also when its lower end reaches below −m
    (an important decline is possible but not shown), so that more evidence of decline never
    reads as less.

    References
    ----------
    Man-Son-Hing, M., Laupacis, A., O'Rourke, K., Molnar, F. J., Mahon, J., Chan, K. B. Y. and
    Wells, G. (2002). Determination of the clinical importance of study results. *Journal of
    General Internal Medicine*, 17(6), 469–476.

    Guyatt, G. H., Oxman, A. D., Kunz, R. et al. (2011). GRADE guidelines 6. Rating the quality
    of evidence—imprecision. *Journal of Clinical Epidemiology*, 64(12), 1283–1293.

    Examples
    --------
    >>> survey_evidence_status(0.42, 0.21, 0.63, minimal_important_change=0.3)
    'on_track'
    >>> survey_evidence_status(0.05, -0.10, 0.20, minimal_important_change=0.3)
    'at_risk'
    >>> survey_evidence_status(0.25, 0.05, 0.45, minimal_important_change=0.3)
    'insufficient_evidence'
    """
    m = _check_positive(minimal_important_change, "minimal_important_change")
    if _missing(change) or _missing(ci_low) or _missing(ci_high):
        return "no_data"
    d, low, high = float(change), float(ci_low), float(ci_high)
    if low > high:
        raise ValueError(f"ci_low ({low}) exceeds ci_high ({high})")
    if low > 0 and d >= m:
        return "on_track"
    if high < 0 and d <= -m:
        return "off_track"
    if high < m:
        return "at_risk"
    return "insufficient_evidence"


def interview_evidence_status(net_score: float, n: float, *, net_threshold: float) -> str:
    """Evidence status of an interview theme's net assessment.

    Parameters
    ----------
    net_score : float
        (positive − negative) / total over the interviews raising the theme, in [−1, 1]
        (:func:`evaluation.interviews.assessment_balance`).
    n : float
        The number of interviews raising the theme; missing when suppressed.
    net_threshold : float
        ``programme.yaml``: ``evidence_rules.interview_net_threshold``, in (0, 1].

    Returns
    -------
    str
        ``on_track`` when the net score is at least ``net_threshold``, ``off_track`` when it is
        at most ``-net_threshold``, ``insufficient_evidence`` in between (mixed or balanced
        views say neither that the sub-goal is on track nor that it is at risk), and
        ``no_data`` when the theme has no assessed interview or the count is suppressed.

    Raises
    ------
    ValueError
        If ``net_threshold`` is not in (0, 1].

    Examples
    --------
    >>> interview_evidence_status(0.1, 20, net_threshold=0.2)
    'insufficient_evidence'
    """
    threshold = _check_positive(net_threshold, "net_threshold", at_most=1.0)
    if _missing(net_score) or _missing(n) or float(n) <= 0:
        return "no_data"
    if float(net_score) >= threshold:
        return "on_track"
    if float(net_score) <= -threshold:
        return "off_track"
    return "insufficient_evidence"


def milestone_evidence_status(status: str, *, completed_late: str) -> str:
    """Evidence status of a milestone's status at the cut-off.

    Parameters
    ----------
    status : str
        ``completed_on_time``, ``completed_late``, ``overdue`` or ``not_yet_due``
        (:func:`evaluation.indicators.milestone_status`).
    completed_late : {"on_track", "no_data"}
        ``programme.yaml``: ``evidence_rules.completed_late_milestone``.

    Returns
    -------
    str
        Completed on time ``on_track``; completed late ``completed_late`` (neutral once done:
        ``on_track`` counts it as done, ``no_data`` lets it cast no vote); overdue
        ``off_track``; not yet due ``no_data`` (nothing to judge yet).

    Raises
    ------
    ValueError
        For an unknown milestone status or rule value.
    """
    if completed_late not in COMPLETED_LATE_MILESTONE_CHOICES:
        raise ValueError(f"completed_late must be one of {', '.join(COMPLETED_LATE_MILESTONE_CHOICES)}, "
                         f"got {completed_late!r}")
    if status not in MILESTONE_STATUSES:
        raise ValueError(f"unknown milestone status {status!r}; expected one of {', '.join(MILESTONE_STATUSES)}")
    return completed_late if status == "completed_late" else MILESTONE_EVIDENCE_STATUS[status]


def survey_evidence(comparison: pd.DataFrame, *, to_role: str) -> pd.DataFrame:
    """Survey evidence for :func:`evidence_table` from the survey module's wave comparison.

    Parameters
    ----------
    comparison : pandas.DataFrame
        :func:`evaluation.survey.compare_waves`: columns ``level``, ``pilot``, ``index``,
        ``from_role``, ``to_role``, ``n_from``, ``n_to``, ``difference``, ``ci_low``,
        ``ci_high``, ``suppressed``.
    to_role : str
        Role of the wave compared with the baseline: a phase id of the programme
        (:attr:`evaluation.contract.Programme.phases`).

    Returns
    -------
    pandas.DataFrame
        Columns ``pilot``, ``index``, ``change`` (float, index mean of the later wave minus the
        baseline's), ``ci_low``, ``ci_high`` (float, the comparison's confidence interval of
        the change), ``n`` (Int64, respondents in both waves) and ``suppressed`` (bool), one row
        per pilot-level baseline → ``to_role`` comparison. Suppressed comparisons keep their row
        with every value missing, so they become ``no_data`` evidence.
    """
    require(comparison, ("pilot", "index", "from_role", "to_role", "difference", "ci_low",
                         "ci_high"), "survey comparison")
    if not isinstance(to_role, str) or to_role == BASELINE_ROLE:
        raise ValueError(f"to_role must be a phase id of the programme, got {to_role!r}")
    rows = comparison.loc[(comparison["from_role"] == BASELINE_ROLE)
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
        "ci_low": keep(rows["ci_low"]),
        "ci_high": keep(rows["ci_high"]),
        "n": pd.array([None if s or pd.isna(v) else int(v) for s, v in zip(suppressed, n)],
                      dtype="Int64"),
        "suppressed": suppressed,
    })


def interview_evidence(balance: pd.DataFrame, *, threshold: int) -> pd.DataFrame:
    """Interview evidence for :func:`evidence_table` from the interview module's balance.

    Parameters
    ----------
    balance : pandas.DataFrame
        :func:`evaluation.interviews.assessment_balance` computed with ``by="pilot"``: columns
        ``pilot``, ``theme``, ``positive``, ``negative``, ``total`` (interviews raising the
        theme, each counted once with its assessment), ``net_score`` and ``suppressed``.
    threshold : int
        Anonymity threshold: a theme raised in fewer interviews is suppressed (its evidence
        becomes ``no_data``), as is every row the balance itself suppresses.

    Returns
    -------
    pandas.DataFrame
        Columns ``pilot``, ``theme``, ``n`` (Int64, interviews raising the theme),
        ``n_positive``, ``n_negative`` (Int64, of them positive and negative), ``net_score``
        (float) and ``suppressed`` (bool), one row per input row; counts and score are missing
        where suppressed or where no interview raised the theme.
    """
    require(balance, ("pilot", "theme", "positive", "negative", "total", "net_score"),
            "interview balance")
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 1:
        raise ValueError(f"threshold must be a positive integer, got {threshold!r}")
    total = pd.to_numeric(balance["total"], errors="coerce").astype("Float64")
    hidden = (balance["suppressed"].fillna(False).astype(bool).to_numpy() if "suppressed" in balance
              else np.zeros(len(balance), dtype=bool))
    raised = total.fillna(0).to_numpy()
    suppressed = hidden | ((raised > 0) & (raised < threshold))

    def counts(column: str):
        values = pd.to_numeric(balance[column], errors="coerce").astype("Float64")
        return pd.array(values.where(~suppressed).round(), dtype="Int64")

    net = pd.to_numeric(balance["net_score"], errors="coerce").astype("Float64")
    return pd.DataFrame({
        "pilot": balance["pilot"].to_numpy(),
        "theme": balance["theme"].to_numpy(),
        "n": counts("total"),
        "n_positive": counts("positive"),
        "n_negative": counts("negative"),
        "net_score": net.where(~suppressed).astype(float).to_numpy(),
        "suppressed": suppressed,
    })


def evidence_table(
    sub_goals: pd.DataFrame,
    sub_goal_links: pd.DataFrame,
    *,
    indicator_status: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
    survey: pd.DataFrame | None = None,
    interviews: pd.DataFrame | None = None,
    minimal_important_change: float,
    net_threshold: float,
    completed_late_milestone: str,
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
        Change of each survey index since the baseline wave with its confidence interval,
        columns ``pilot, index, change, ci_low, ci_high, n`` (:func:`survey_evidence`).
        ``None`` when there is no survey data: every linked index then gives a ``no_data`` row.
    interviews : pandas.DataFrame, optional
        Net assessment per interview theme, columns ``pilot, theme, n, n_positive, n_negative,
        net_score`` (:func:`interview_evidence`). ``None`` when there are no interviews: every
        linked theme then gives a ``no_data`` row.
    minimal_important_change : float
        ``evidence_rules.minimal_important_change`` (:func:`survey_evidence_status`).
    net_threshold : float
        ``evidence_rules.interview_net_threshold`` (:func:`interview_evidence_status`).
    completed_late_milestone : {"on_track", "no_data"}
        ``evidence_rules.completed_late_milestone`` (:func:`milestone_evidence_status`).

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
        - ``ci_low``, ``ci_high`` (float) -- survey only: the interval of the change;
        - ``threshold`` (float) -- the rule value the estimate is judged against: the minimal
          important change (survey) or the net threshold (interview); NaN elsewhere;
        - ``n`` (Int64) -- survey respondents (both waves) or interviews raising the theme;
          <NA> for indicators and milestones and where suppressed;
        - ``n_positive``, ``n_negative`` (Int64) -- interview only: of them positive, negative;
        - ``detail`` (str) -- the milestone's status (``completed_on_time``,
          ``completed_late``, ``overdue``, ``not_yet_due``) on milestone rows; ``suppressed``
          (hidden below the anonymity threshold) or ``missing`` (no data for the linked index
          or theme) on survey and interview rows without data; empty otherwise;
        - ``status`` (str) -- the evidence's status.

    Notes
    -----
    Evidence status by source:

    - indicator: its status (:func:`evaluation.indicators.indicator_status`);
    - survey: the change's interval against the minimal important change
      (:func:`survey_evidence_status`);
    - milestone: :func:`milestone_evidence_status` (on time ``on_track``, late by the
      programme's rule, overdue ``off_track``, not yet due ``no_data``);
    - interview: :func:`interview_evidence_status` (net score at least ``net_threshold``
      ``on_track``, at most ``-net_threshold`` ``off_track``, otherwise
      ``insufficient_evidence``).
    """
    require(sub_goals, ("pilot", "sub_goal"), "programme.yaml")
    require(sub_goal_links, ("pilot", "sub_goal", "kind", "target"), "programme.yaml")
    _check_positive(minimal_important_change, "minimal_important_change")
    _check_positive(net_threshold, "net_threshold", at_most=1.0)
    milestone_evidence_status("not_yet_due", completed_late=completed_late_milestone)
    keys = set(zip(sub_goals["pilot"], sub_goals["sub_goal"]))
    links = sub_goal_links.loc[[k in keys for k in zip(sub_goal_links["pilot"],
                                                         sub_goal_links["sub_goal"])]]
    rows = [
        *_indicator_rows(indicator_status, keys),
        *_survey_rows(survey, links, minimal_important_change=minimal_important_change),
        *_milestone_rows(milestones, keys, completed_late=completed_late_milestone),
        *_interview_rows(interviews, links, net_threshold=net_threshold),
    ]
    frame = pd.DataFrame(rows, columns=EVIDENCE_COLUMNS)
    for column in ("estimate", "ci_low", "ci_high", "threshold"):
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype(float)
    for column in ("n", "n_positive", "n_negative"):
        frame[column] = pd.array([None if _missing(v) else int(v) for v in frame[column]],
                                 dtype="Int64")
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


def _lookup(frame: pd.DataFrame | None, columns: tuple, what: str, key: str) -> dict:
    if frame is None:
        return {}
    require(frame, columns, what)
    return {(r["pilot"], r[key]): r for r in frame.to_dict("records")}


def _absent(record: dict | None, values: tuple) -> str:
    """``missing`` or ``suppressed`` for a linked item without data, else empty."""
    if record is None:
        return "missing"
    if bool(record.get("suppressed", False)):
        return "suppressed"
    return "missing" if any(_missing(record[v]) for v in values) else ""


def _survey_rows(survey: pd.DataFrame | None, links: pd.DataFrame, *,
                 minimal_important_change: float) -> list[dict]:
    """Evidence rows of the survey indices linked to a sub-goal; ``no_data`` where none found."""
    lookup = _lookup(survey, SURVEY_EVIDENCE_COLUMNS, "survey evidence", "index")
    rows = []
    for link in links.loc[links["kind"] == "survey_index"].itertuples(index=False):
        found = lookup.get((link.pilot, link.target))
        detail = _absent(found, ("change", "ci_low", "ci_high"))
        found = found or {}
        status = ("no_data" if detail else survey_evidence_status(
            found["change"], found["ci_low"], found["ci_high"],
            minimal_important_change=minimal_important_change))
        rows.append(_row(link.pilot, link.sub_goal, "survey", link.target, "index_change",
                         found.get("change"), ci_low=found.get("ci_low"),
                         ci_high=found.get("ci_high"), threshold=minimal_important_change,
                         n=found.get("n"), detail=detail, status=status))
    return rows


def _milestone_rows(milestones: pd.DataFrame | None, keys: set, *, completed_late: str) -> list[dict]:
    """Evidence rows of the milestones of a wanted sub-goal."""
    if milestones is None:
        return []
    require(milestones, ("pilot", "milestone_id", "sub_goal", "status", "days_late"),
            "milestone status")
    return [_row(r.pilot, r.sub_goal, "milestone", r.milestone_id, "days_late", r.days_late,
                 detail=r.status,
                 status=milestone_evidence_status(r.status, completed_late=completed_late))
            for r in milestones.itertuples(index=False) if (r.pilot, r.sub_goal) in keys]


def _interview_rows(interviews: pd.DataFrame | None, links: pd.DataFrame, *,
                    net_threshold: float) -> list[dict]:
    """Evidence rows of the interview themes linked to a sub-goal; ``no_data`` where none found."""
    lookup = _lookup(interviews, INTERVIEW_EVIDENCE_COLUMNS, "interview evidence", "theme")
    rows = []
    for link in links.loc[links["kind"] == "interview_theme"].itertuples(index=False):
        found = lookup.get((link.pilot, link.target))
        detail = _absent(found, ("net_score", "n"))
        found = found or {}
        status = ("no_data" if detail else interview_evidence_status(
            found["net_score"], found["n"], net_threshold=net_threshold))
        rows.append(_row(link.pilot, link.sub_goal, "interview", link.target, "net_score",
                         found.get("net_score"), threshold=net_threshold, n=found.get("n"),
                         n_positive=found.get("n_positive"), n_negative=found.get("n_negative"),
                         detail=detail, status=status))
    return rows


def _row(pilot, sub_goal, source, item, measure, estimate, *, ci_low=math.nan, ci_high=math.nan,
         threshold=math.nan, n=None, n_positive=None, n_negative=None, detail="", status) -> dict:
    return {"pilot": pilot, "sub_goal": sub_goal, "source": source, "item": str(item),
            "measure": measure, "estimate": _float(estimate), "ci_low": _float(ci_low),
            "ci_high": _float(ci_high), "threshold": _float(threshold),
            "n": None if _missing(n) else n, "n_positive": None if _missing(n_positive) else n_positive,
            "n_negative": None if _missing(n_negative) else n_negative, "detail": detail,
            "status": status}


def _float(value) -> float:
    if value is None or value is pd.NA:
        return math.nan
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


__all__ = [
    "EVIDENCE_COLUMNS",
    "MILESTONE_EVIDENCE_STATUS",
    "SOURCES",
    "evidence_table",
    "interview_evidence",
    "interview_evidence_status",
    "milestone_evidence_status",
    "survey_evidence",
    "survey_evidence_status",
]
