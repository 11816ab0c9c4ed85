"""The goal-attainment chapter of a pilot report, and the national-goals matrix of the synthesis.

:func:`goals_chapter` gives the chapter body (the lead writes the ``<h2>``): the indicator tracking
table, the milestones, the status of every sub-goal (evidence, computed status, the evaluators'
judged status and rationale, a disagreement flag), the evidence behind it, and the virkningskjede;
in the final phase also the change since midterm and the evidence of lasting results.
:func:`national_goals_matrix` gives the pilots × national goals status matrix.

:func:`goal_attainment` gathers the frames behind both from an
:class:`~evaluation.contract.EvaluationData`, for notebooks that want the numbers.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from evaluation import goals as _goals
from evaluation.i18n import check_language, format_date, format_number, format_percent, pick, t
from evaluation.indicators import current_indicator_status, indicator_tracking, milestone_status
from evaluation.plots.base import STATUS_STYLE
from evaluation.tables import HtmlBlock, frame_to_html, section_heading

LASTING_RESULTS_THEME = "lasting_results"
"""Interview theme whose assessments speak to results that last after the pilot period."""


# --------------------------------------------------------------------------------------------
# the numbers
# --------------------------------------------------------------------------------------------
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
        :func:`evaluation.goals.evidence_table`.
    overview : pandas.DataFrame
        :func:`evaluation.goals.status_overview` (computed beside judged status).
    """

    phase: str
    as_of: pd.Timestamp
    tracking: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    milestones: pd.DataFrame = field(repr=False)
    evidence: pd.DataFrame = field(repr=False)
    overview: pd.DataFrame = field(repr=False)


def _survey_evidence(data, pilots: list[str], phase: str,
                     as_of: pd.Timestamp) -> pd.DataFrame | None:
    """Change of each survey index from the baseline wave to the phase's wave, or ``None``.

    Calls :func:`evaluation.survey.compare_waves` once per pilot on the responses up to the
    phase's cut-off, with its defaults, so that the Holm family (and so the adjusted p-values)
    are those of the pilot's survey chapter for the same phase.
    """
    try:
        from evaluation.survey import compare_waves
    except ImportError:  # the survey module is optional for this chapter
        return None
    responses = data.responses.loc[data.responses["response_date"] <= as_of]
    parts = []
    for pilot in pilots:
        mine = responses.loc[responses["pilot"] == pilot]
        if mine.empty:
            continue
        comparison = compare_waves(mine, data.items, data.programme.waves,
                                   threshold=data.anonymity_threshold)
        if len(comparison):
            parts.append(_goals.survey_evidence(comparison, to_role=phase))
    return pd.concat(parts, ignore_index=True) if parts else None


def _interview_evidence(data, pilots: list[str], phase: str) -> pd.DataFrame | None:
    """Net assessment per pilot and theme in the phase's interview round, or ``None``."""
    from evaluation.interviews import assessment_balance

    interviews = data.interviews.loc[data.interviews["pilot"].isin(pilots)]
    if "round" in interviews.columns:
        interviews = interviews.loc[interviews["round"] == phase]
    segments = data.segments.loc[data.segments["interview_id"].isin(interviews["interview_id"])]
    if segments.empty:
        return None
    balance = assessment_balance(segments, interviews=interviews, by="pilot",
                                 codebook=data.codebook, threshold=data.anonymity_threshold)
    return _goals.interview_evidence(balance)


def goal_attainment(data, *, phase: str, pilots: list[str] | None = None) -> GoalAttainment:
    """Compute indicators, milestones, evidence and status per sub-goal for a phase.

    Parameters
    ----------
    data : evaluation.contract.EvaluationData
        The data (cut to ``phase`` or to a later phase: everything is cut again at the phase's
        cut-off, so the final data give the midterm numbers for ``phase="midterm"``).
    phase : str
        Phase id (``midterm``, ``final``).
    pilots : list of str, optional
        Pilots to include; all by default.

    Returns
    -------
    GoalAttainment

    Notes
    -----
    Survey evidence compares the baseline wave with the wave of the phase's role; interview
    evidence uses the interviews of the phase's round. A source without data gives ``no_data``
    evidence, never an error.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> result = goal_attainment(load_data(phase="midterm"), phase="midterm", pilots=["lyngdal"])
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

    def mine(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame["pilot"].isin(pilots)]

    indicators = mine(programme.indicators)
    observations = mine(data.observations)
    tracking = indicator_tracking(observations, indicators, as_of=as_of, thresholds=thresholds)
    current = current_indicator_status(observations, indicators, as_of=as_of,
                                       thresholds=thresholds)
    milestones = milestone_status(mine(data.milestones), as_of=as_of)
    sub_goals = mine(programme.sub_goals)
    evidence = _goals.evidence_table(
        sub_goals, mine(programme.sub_goal_links),
        indicator_status=current, milestones=milestones,
        survey=_survey_evidence(data, pilots, phase, as_of),
        interviews=_interview_evidence(data, pilots, phase),
    )
    computed = _goals.computed_status(evidence, sub_goals=sub_goals)
    overview = _goals.status_overview(computed, mine(data.assessments), phase=phase)
    return GoalAttainment(phase, as_of, tracking, current, milestones, evidence, overview)


# --------------------------------------------------------------------------------------------
# formatting
# --------------------------------------------------------------------------------------------
def _status(status: object, lang: str) -> str:
    if not isinstance(status, str) or status not in STATUS_STYLE:
        return "–"
    return f"{t(f'status.{status}', lang)} {STATUS_STYLE[status]['symbol']}"


def _decimals(values) -> int:
    """0 decimals when every value is whole, else 1 (values as the pilots report them)."""
    numbers = [float(v) for v in values if v is not None and not pd.isna(v)]
    return 0 if all(float(v).is_integer() for v in numbers) else 1


def _p_value(p: float, lang: str) -> str:
    if p is None or pd.isna(p):
        return "–"
    if p < 0.001:
        return t("goals.p_below", lang, value=format_number(0.001, lang, decimals=3))
    return format_number(p, lang, decimals=3)


def _estimate(measure: str, value: float, lang: str) -> str:
    if value is None or pd.isna(value):
        return "–"
    if measure == "progress_vs_expected":
        return format_percent(value, lang)
    if measure == "days_late":
        return format_number(value, lang)
    return format_number(value, lang, decimals=2)


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def _heading(key: str, lang: str) -> str:
    return section_heading(t(key, lang), key=key)


def _sub_goal_label(sub_goals: pd.DataFrame, pilot: str, lang: str) -> dict[str, str]:
    rows = sub_goals.loc[sub_goals["pilot"] == pilot].to_dict("records")
    return {r["sub_goal"]: f"{r['sub_goal']}: {pick(r, 'text', lang)}" for r in rows}


def _item_labels(data, pilot: str, lang: str) -> dict[tuple[str, str], str]:
    programme = data.programme
    labels: dict[tuple[str, str], str] = {}
    for r in programme.indicators.loc[programme.indicators["pilot"] == pilot].to_dict("records"):
        labels[("indicator", r["indicator_id"])] = pick(r, "name", lang)
    for r in programme.survey_indices.to_dict("records"):
        labels[("survey", r["index"])] = pick(r, "label", lang)
    for r in data.milestones.loc[data.milestones["pilot"] == pilot].to_dict("records"):
        labels[("milestone", r["milestone_id"])] = pick(r, "text", lang)
    for r in programme.interview_themes.to_dict("records"):
        labels[("interview", r["theme"])] = pick(r, "label", lang)
    return labels


# --------------------------------------------------------------------------------------------
# sections
# --------------------------------------------------------------------------------------------
def _indicator_section(data, result: GoalAttainment, pilot: str, lang: str) -> str:
    parts = [_heading("goals.heading.indicators", lang)]
    thresholds = data.programme.status_thresholds
    parts.append(_paragraph(t("goals.indicators.intro", lang,
                              on_track=format_percent(thresholds.get("on_track", 0.9), lang),
                              at_risk=format_percent(thresholds.get("at_risk", 0.5), lang))))
    definitions = data.programme.indicators
    definitions = definitions.loc[definitions["pilot"] == pilot]
    if definitions.empty:
        parts.append(_paragraph(t("goals.indicators.none", lang)))
        return "".join(parts)
    names = {r["indicator_id"]: r for r in definitions.to_dict("records")}
    tracking = result.tracking.loc[result.tracking["pilot"] == pilot]
    rows = []
    for indicator_id, group in tracking.groupby("indicator_id", sort=False):
        definition = names[indicator_id]
        decimals = _decimals([definition["baseline_value"], definition["target_value"],
                              *group["actual"]])
        for r in group.to_dict("records"):
            rows.append({
                t("goals.col.indicator", lang): (
                    f"{pick(definition, 'name', lang)} ({definition['unit']}; "
                    f"{t('direction.' + definition['direction'], lang)})"),
                t("goals.col.year", lang): str(r["year"]),
                t("goals.col.baseline", lang): t(
                    "goals.value_in_year", lang,
                    value=format_number(r["baseline_value"], lang, decimals=decimals),
                    year=r["baseline_year"]),
                t("goals.col.target", lang): t(
                    "goals.value_in_year", lang,
                    value=format_number(r["target_value"], lang, decimals=decimals),
                    year=r["target_year"]),
                t("goals.col.actual", lang): format_number(r["actual"], lang, decimals=decimals),
                t("goals.col.share_of_target", lang): format_percent(r["share_of_target"], lang),
                t("goals.col.progress", lang): format_percent(r["progress"], lang),
                t("goals.col.expected", lang): format_percent(r["expected_progress"], lang),
                t("goals.col.status", lang): _status(r["status"], lang),
            })
    parts.append(frame_to_html(
        pd.DataFrame(rows),
        caption=t("goals.indicators.caption", lang, pilot=data.programme.pilot_name(pilot)),
    ))
    return "".join(parts)


def _milestone_section(data, result: GoalAttainment, pilot: str, lang: str) -> str:
    parts = [_heading("goals.heading.milestones", lang)]
    milestones = result.milestones.loc[result.milestones["pilot"] == pilot]
    cutoff = format_date(result.as_of, lang)
    if milestones.empty:
        parts.append(_paragraph(t("goals.milestones.none", lang)))
        return "".join(parts)
    status = milestones["status"]
    completed = int(status.isin(["completed_on_time", "completed_late"]).sum())
    parts.append(_paragraph(t(
        "goals.milestones.intro", lang, cutoff=cutoff, completed=completed,
        total=len(milestones), on_time=int((status == "completed_on_time").sum()),
        overdue=int((status == "overdue").sum()))))
    labels = _sub_goal_label(data.programme.sub_goals, pilot, lang)
    rows = []
    for r in milestones.to_dict("records"):
        rows.append({
            t("goals.col.milestone", lang): pick(r, "text", lang),
            t("goals.col.sub_goal", lang): labels.get(r["sub_goal"], r["sub_goal"]),
            t("goals.col.due", lang): format_date(r["due_date"], lang),
            t("goals.col.completed", lang): ("–" if pd.isna(r["completed_date"])
                                             else format_date(r["completed_date"], lang)),
            t("goals.col.status", lang): t(f"goals.milestone.{r['status']}", lang),
            t("goals.col.days_late", lang): format_number(r["days_late"], lang),
        })
    parts.append(frame_to_html(
        pd.DataFrame(rows),
        caption=t("goals.milestones.caption", lang, pilot=data.programme.pilot_name(pilot),
                  cutoff=cutoff),
    ))
    return "".join(parts)


def _status_section(data, result: GoalAttainment, pilot: str, phase: str, lang: str) -> str:
    parts = [_heading("goals.heading.status", lang), _paragraph(t("goals.status.intro", lang))]
    overview = result.overview.loc[result.overview["pilot"] == pilot]
    labels = _sub_goal_label(data.programme.sub_goals, pilot, lang)
    n_disagree = int(overview["disagreement"].sum())
    if n_disagree:
        parts.append(_paragraph(t("goals.status.disagreements", lang, count=n_disagree,
                                  total=len(overview))))
    else:
        parts.append(_paragraph(t("goals.status.no_disagreements", lang)))
    evidence = result.evidence.loc[result.evidence["pilot"] == pilot]
    rows = []
    for r in overview.to_dict("records"):
        linked = evidence.loc[evidence["sub_goal"] == r["sub_goal"], "source"].unique()
        summary = "; ".join(
            f"{t(f'goals.source.{source}', lang)}: {_status(r[f'{source}_status'], lang)}"
            for source in _goals.SOURCES if source in set(linked)
        )
        rows.append({
            t("goals.col.sub_goal", lang): labels.get(r["sub_goal"], r["sub_goal"]),
            t("goals.col.evidence", lang): summary or "–",
            t("goals.col.computed", lang): _status(r["computed_status"], lang),
            t("goals.col.judged", lang): _status(r["judged_status"], lang),
            t("goals.col.gas", lang): ("–" if pd.isna(r["gas_score"])
                                       else format_number(r["gas_score"], lang)),
            t("goals.col.rationale", lang): pick(r, "rationale", lang) or "–",
            t("goals.col.disagreement", lang): t(
                "goals.disagreement.yes" if r["disagreement"] else "goals.disagreement.no", lang),
        })
    parts.append(frame_to_html(
        pd.DataFrame(rows),
        caption=t("goals.status.caption", lang, pilot=data.programme.pilot_name(pilot)),
    ))
    gas = _goals.gas_summary(data.assessments.loc[data.assessments["pilot"] == pilot],
                             phase=phase)
    if len(gas):
        parts.append(_paragraph(t("goals.gas.summary", lang, n=int(gas["n_rated"].iloc[0]),
                                  t=format_number(gas["t_score"].iloc[0], lang, decimals=1))))
    return "".join(parts)


def _evidence_section(data, result: GoalAttainment, pilot: str, lang: str) -> str:
    parts = [_heading("goals.heading.evidence", lang),
             _paragraph(t("goals.evidence.intro", lang,
                          alpha=format_number(_goals.DEFAULT_ALPHA, lang, decimals=2),
                          net=format_number(_goals.DEFAULT_NET_THRESHOLD, lang,
                                            decimals=1)))]
    evidence = result.evidence.loc[result.evidence["pilot"] == pilot]
    items = _item_labels(data, pilot, lang)
    rows = []
    for r in evidence.to_dict("records"):
        rows.append({
            t("goals.col.sub_goal", lang): r["sub_goal"],
            t("goals.col.source", lang): t(f"goals.source.{r['source']}", lang),
            t("goals.col.item", lang): items.get((r["source"], r["item"]), r["item"]),
            t("goals.col.measure", lang): t(f"goals.measure.{r['measure']}", lang),
            t("goals.col.estimate", lang): _estimate(r["measure"], r["estimate"], lang),
            t("goals.col.p_value", lang): _p_value(r["p_value"], lang),
            t("goals.col.effect_size", lang): ("–" if pd.isna(r["effect_size"]) else
                                               format_number(r["effect_size"], lang, decimals=2)),
            t("goals.col.n", lang): "–" if pd.isna(r["n"]) else format_number(r["n"], lang),
            t("goals.col.status", lang): _status(r["status"], lang),
        })
    if rows:
        parts.append(frame_to_html(
            pd.DataFrame(rows),
            caption=t("goals.evidence.caption", lang, pilot=data.programme.pilot_name(pilot)),
        ))
    return "".join(parts)


def _chain_section(data, result: GoalAttainment, pilot: str, lang: str) -> str:
    from evaluation.plots.results_chain import results_chain_html, results_chain_status

    programme = data.programme
    overview = result.overview.loc[result.overview["pilot"] == pilot]
    national = _goals.national_goal_rollup(overview, programme.sub_goal_links)
    chain = results_chain_status(programme.results_chain, programme.results_chain_links,
                                 pilot=pilot, sub_goal_status=overview,
                                 national_goal_status=national)
    return (_heading("goals.heading.chain", lang) + _paragraph(t("goals.chain.intro", lang))
            + results_chain_html(chain, lang=lang,
                                 title=t("goals.chain.title", lang,
                                         pilot=programme.pilot_name(pilot))))


def _change_section(data, final: GoalAttainment, pilot: str, lang: str) -> str:
    programme = data.programme
    midterm = goal_attainment(data, phase="midterm", pilots=[pilot])
    mid = midterm.overview
    end = final.overview.loc[final.overview["pilot"] == pilot]
    judged = _goals.status_change(mid, end, status_column="judged_status")
    computed = _goals.status_change(mid, end, status_column="computed_status")
    labels = _sub_goal_label(programme.sub_goals, pilot, lang)
    rows = []
    for j, c in zip(judged.to_dict("records"), computed.to_dict("records")):
        rows.append({
            t("goals.col.sub_goal", lang): labels.get(j["sub_goal"], j["sub_goal"]),
            t("goals.col.judged_midterm", lang): _status(j["status_midterm"], lang),
            t("goals.col.judged_final", lang): _status(j["status_final"], lang),
            t("goals.col.judged_change", lang): t(f"goals.change.{j['change']}", lang),
            t("goals.col.computed_midterm", lang): _status(c["status_midterm"], lang),
            t("goals.col.computed_final", lang): _status(c["status_final"], lang),
            t("goals.col.computed_change", lang): t(f"goals.change.{c['change']}", lang),
        })
    parts = [
        _heading("goals.heading.change", lang),
        _paragraph(t("goals.change.intro", lang,
                     midterm=format_date(programme.cutoffs["midterm"], lang),
                     final=format_date(programme.cutoffs["final"], lang))),
        frame_to_html(pd.DataFrame(rows),
                      caption=t("goals.change.caption", lang,
                                pilot=programme.pilot_name(pilot))),
    ]
    return "".join(parts)


def _lasting_section(data, final: GoalAttainment, pilot: str, lang: str) -> str:
    from evaluation.interviews import assessment_balance

    programme = data.programme
    parts = [_heading("goals.heading.lasting", lang), _paragraph(t("goals.lasting.intro", lang))]
    overview = final.overview.loc[final.overview["pilot"] == pilot]
    good = overview.loc[overview["computed_status"].isin(["achieved", "on_track"])]
    labels = _sub_goal_label(programme.sub_goals, pilot, lang)
    if len(good):
        listed = "; ".join(f"{labels.get(sg, sg)} ({_status(s, lang)})"
                           for sg, s in zip(good["sub_goal"], good["computed_status"]))
        parts.append(_paragraph(t("goals.lasting.sub_goals", lang, sub_goals=listed)))
    else:
        parts.append(_paragraph(t("goals.lasting.sub_goals_none", lang)))
    interviews = data.interviews.loc[(data.interviews["pilot"] == pilot)
                                     & (data.interviews["round"] == "final")]
    segments = data.segments.loc[data.segments["interview_id"].isin(interviews["interview_id"])]
    table = None
    themes = set(programme.interview_themes["theme"])
    if not segments.empty and LASTING_RESULTS_THEME in themes:
        balance = assessment_balance(segments, interviews=interviews, by="pilot",
                                     codebook=data.codebook, include=[LASTING_RESULTS_THEME],
                                     threshold=data.anonymity_threshold)
        balance = balance.loc[~balance["suppressed"].astype(bool)
                              & (balance["total"].fillna(0) > 0)]
        if len(balance):
            theme_labels = {r["theme"]: pick(r, "label", lang)
                            for r in programme.interview_themes.to_dict("records")}
            rows = []
            for r in balance.to_dict("records"):
                rows.append({
                    t("goals.col.theme", lang): theme_labels.get(r["theme"], r["theme"]),
                    **{t(f"assessment.{a}", lang): format_number(r[a], lang)
                       for a in ("positive", "negative", "mixed", "neutral")},
                    t("goals.col.total", lang): format_number(r["total"], lang),
                    t("goals.col.net_score", lang): format_number(r["net_score"], lang,
                                                                  decimals=2),
                })
            table = frame_to_html(pd.DataFrame(rows),
                                  caption=t("goals.lasting.caption", lang,
                                            pilot=programme.pilot_name(pilot)))
    parts.append(table if table is not None else _paragraph(t("goals.lasting.none", lang)))
    return "".join(parts)


# --------------------------------------------------------------------------------------------
# public
# --------------------------------------------------------------------------------------------
def goals_chapter(data, *, pilot: str, phase: str, lang: str = "nb",
                  attainment: GoalAttainment | None = None) -> HtmlBlock:
    """The goal-attainment chapter of a pilot report, as HTML (without the ``<h2>``).

    Parameters
    ----------
    data : evaluation.contract.EvaluationData
        ``load_data(data_dir, phase=phase)``.
    pilot : str
        Pilot id.
    phase : str
        Phase id; ``final`` adds the change since midterm and the evidence of lasting results.
    lang : {"nb", "en"}
        Report language.
    attainment : GoalAttainment, optional
        ``goal_attainment(data, phase=phase, pilots=[pilot])`` when the caller has it already
        (the summary chapter uses the same result); computed here otherwise.

    Returns
    -------
    evaluation.tables.HtmlBlock
        ``<h3>`` sections: indicators, milestones, status per sub-goal (with the evaluators'
        judgement, the disagreement flag and the GAS T-score), evidence per sub-goal, the
        results chain, and in the final phase the change since midterm and lasting results.

    Raises
    ------
    ValueError
        For an unknown pilot or phase.
    """
    check_language(lang)
    programme = data.programme
    if pilot not in programme.pilot_ids:
        raise ValueError(
            f"unknown pilot {pilot!r}; expected one of {', '.join(programme.pilot_ids)}")
    result = attainment if attainment is not None else goal_attainment(data, phase=phase, pilots=[pilot])
    parts = [
        _paragraph(t("goals.intro", lang, cutoff=format_date(result.as_of, lang))),
        _indicator_section(data, result, pilot, lang),
        _milestone_section(data, result, pilot, lang),
        _status_section(data, result, pilot, phase, lang),
        _evidence_section(data, result, pilot, lang),
        _chain_section(data, result, pilot, lang),
    ]
    if phase == "final" and "midterm" in programme.cutoffs:
        parts.append(_change_section(data, result, pilot, lang))
        parts.append(_lasting_section(data, result, pilot, lang))
    return HtmlBlock("".join(parts))


def national_goals_matrix(data, *, phase: str, lang: str = "nb") -> HtmlBlock:
    """The synthesis report's pilots × national goals status matrix, as HTML.

    Parameters
    ----------
    data : evaluation.contract.EvaluationData
        ``load_data(data_dir, phase=phase)``.
    phase : str
        Phase id.
    lang : {"nb", "en"}
        Report language.

    Returns
    -------
    evaluation.tables.HtmlBlock
        An explanatory paragraph, a table of the national goals' texts, and the matrix: one row
        per pilot and a last row across all pilots, one column per national goal; each cell
        gives the roll-up of the evaluators' judged status and of the computed status
        (:func:`evaluation.goals.national_goal_rollup`), or a dash where no sub-goal of the
        pilot is linked to the goal.
    """
    check_language(lang)
    programme = data.programme
    result = goal_attainment(data, phase=phase)
    links = programme.sub_goal_links
    rollups = {}
    for column in ("judged_status", "computed_status"):
        per_pilot = _goals.national_goal_rollup(result.overview, links, status_column=column)
        across = _goals.national_goal_rollup(result.overview, links, status_column=column,
                                             across_pilots=True)
        rollups[column] = {
            **{(p, g): s for p, g, s in zip(per_pilot["pilot"], per_pilot["national_goal"],
                                            per_pilot["status"])},
            **{(None, g): s for g, s in zip(across["national_goal"], across["status"])},
        }
    goals = list(programme.national_goals["national_goal"])
    rows = []
    for pilot in [*programme.pilot_ids, None]:
        name = t("goals.matrix.all", lang) if pilot is None else programme.pilot_name(pilot)
        row = {t("goals.col.pilot", lang): name}
        for goal in goals:
            judged = rollups["judged_status"].get((pilot, goal))
            computed = rollups["computed_status"].get((pilot, goal))
            row[goal] = ("–" if judged is None and computed is None else
                         t("goals.matrix.cell", lang, judged=_status(judged, lang),
                           computed=_status(computed, lang)))
        rows.append(row)
    goal_table = pd.DataFrame({
        t("goals.col.national_goal", lang): goals,
        t("goals.col.national_goal_text", lang): [
            pick(r, "text", lang) for r in programme.national_goals.to_dict("records")],
    })
    phase_label = t(f"phase.{phase}", lang)
    parts = [
        _paragraph(t("goals.matrix.intro", lang)),
        frame_to_html(goal_table, caption=t("goals.matrix.goals_caption", lang)),
        frame_to_html(pd.DataFrame(rows),
                      caption=t("goals.matrix.caption", lang, phase=phase_label),
                      numeric_columns=()),
    ]
    return HtmlBlock("".join(parts))


__all__ = ["GoalAttainment", "goal_attainment", "goals_chapter", "national_goals_matrix"]
