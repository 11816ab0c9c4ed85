"""Chapters of the cross-pilot synthesis report, and the evaluators' assessment of a pilot.

The synthesis compares the four pilots in one phase: their size and data, the survey indices by
pilot and wave, the interview themes they share, and the lessons the evaluators draw. The
status matrix against the national goals comes from :mod:`evaluation.chapters.goals`.
"""

from __future__ import annotations

import html

import pandas as pd

from evaluation.i18n import format_number, format_percent, pick, t
from evaluation.plots.base import QUALITATIVE, make_report_figure
from evaluation.tables import HtmlBlock, frame_to_html

_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def _heading(key: str, lang: str, anchor: str) -> str:
    return f'<h3 id="{anchor}">{html.escape(t(key, lang))}</h3>'


def _paragraph(text: str) -> str:
    return f"<p>{html.escape(text)}</p>"


def pilots_overview(data, *, lang: str = "nb") -> HtmlBlock:
    """One row per pilot: agencies, respondents and response rate in the phase's latest wave, interviews.

    Parameters
    ----------
    data : EvaluationData
        Data cut to the phase.
    lang : {"nb", "en"}
        Language.
    """
    from evaluation.survey import response_rates

    programme = data.programme
    latest = int(data.responses["wave"].max())
    rates = response_rates(data.population, data.responses, by=("pilot", "wave"),
                           threshold=programme.anonymity_threshold)
    rates = rates[rates["wave"] == latest].set_index("pilot")
    round_interviews = data.interviews[data.interviews["round"] == data.phase]
    rows = []
    for pilot in programme.pilot_ids:
        rate = rates.loc[pilot] if pilot in rates.index else None
        rows.append({
            t("synthesis.pilot", lang): programme.pilot_name(pilot),
            t("synthesis.agencies", lang): format_number((programme.agencies["pilot"] == pilot).sum(), lang),
            t("synthesis.sub_goals", lang): format_number((programme.sub_goals["pilot"] == pilot).sum(), lang),
            t("synthesis.respondents", lang, wave=latest): "–" if rate is None else format_number(rate["responded"], lang),
            t("synthesis.response_rate", lang, wave=latest): "–" if rate is None else format_percent(rate["rate"], lang),
            t("synthesis.interviews", lang): format_number((round_interviews["pilot"] == pilot).sum(), lang),
        })
    return HtmlBlock(
        _paragraph(t("synthesis.pilots_intro", lang))
        + frame_to_html(pd.DataFrame(rows), caption=t("synthesis.pilots_caption", lang))
    )


def national_goals_text(data, *, lang: str = "nb") -> HtmlBlock:
    """A paragraph introducing the national goals (the matrix that follows lists them)."""
    return HtmlBlock(_paragraph(t("synthesis.national_goals_intro", lang)))


def index_comparison(data, *, lang: str = "nb"):
    """Mean index score by pilot and wave: a small-multiples chart and its table.

    Means are of respondents' index scores (:func:`evaluation.survey.index_scores`); groups
    below the anonymity threshold are suppressed by :func:`evaluation.survey.index_summary`.

    Returns
    -------
    HtmlBlock
        The figure (with alt text and data table) and an explanatory paragraph.
    """
    from matplotlib.figure import Figure

    from evaluation.survey import index_summary

    programme = data.programme
    summary = index_summary(data.responses, data.items, by=("pilot", "wave"),
                            threshold=programme.anonymity_threshold)
    labels = {r["index"]: pick(r, "label", lang) for r in programme.survey_indices.to_dict("records")}
    indices = list(programme.survey_indices["index"])
    waves = sorted(summary["wave"].unique())
    figure = Figure(figsize=(9.5, 2.2 * ((len(indices) + 2) // 3)), dpi=110, layout="constrained")
    axes = figure.subplots((len(indices) + 2) // 3, 3, sharey=True, squeeze=False).ravel()
    for ax, index in zip(axes, indices):
        part = summary[summary["index"] == index]
        for position, pilot in enumerate(programme.pilot_ids):
            line = part[part["pilot"] == pilot].sort_values("wave")
            ax.plot(line["wave"].astype(str), line["mean"], marker=_MARKERS[position % len(_MARKERS)],
                    color=QUALITATIVE[position % len(QUALITATIVE)], label=programme.pilot_name(pilot))
        ax.set_title(labels[index], fontsize=10)
        ax.set_ylim(1, 5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd")
    for ax in axes[len(indices):]:
        ax.set_visible(False)
    handles, names = axes[0].get_legend_handles_labels()
    figure.legend(handles, names, loc="outside lower center", ncols=len(names), frameon=False)
    rows = []
    order = {index: position for position, index in enumerate(indices)}
    pilot_order = {pilot: position for position, pilot in enumerate(programme.pilot_ids)}
    ordered = summary.assign(_i=summary["index"].map(order), _p=summary["pilot"].map(pilot_order))
    for record in ordered.sort_values(["_i", "_p", "wave"]).to_dict("records"):
        rows.append({
            t("survey_overview.index", lang): labels[record["index"]],
            t("synthesis.pilot", lang): programme.pilot_name(record["pilot"]),
            t("method.wave", lang): str(record["wave"]),
            "n": t("suppressed_note", lang, threshold=programme.anonymity_threshold)
            if record["suppressed"] else format_number(record["n"], lang),
            t("survey_overview.mean", lang): "–" if record["suppressed"] else format_number(record["mean"], lang, decimals=2),
        })
    best = summary[summary["wave"] == waves[-1]].dropna(subset=["mean"])
    first = summary[summary["wave"] == waves[0]].dropna(subset=["mean"])
    change = best.merge(first, on=["pilot", "index"], suffixes=("", "_base"))
    change["delta"] = change["mean"] - change["mean_base"]
    leader = change.sort_values("delta", ascending=False).iloc[0] if len(change) else None
    alt = t("synthesis.index_alt", lang, count=len(indices), pilots=", ".join(programme.pilot_name(p) for p in programme.pilot_ids),
            first=waves[0], last=waves[-1])
    if leader is not None:
        alt += " " + t("synthesis.index_alt_leader", lang, pilot=programme.pilot_name(leader["pilot"]),
                       index=labels[leader["index"]], delta=format_number(leader["delta"], lang, decimals=2))
    report_figure = make_report_figure(
        figure, alt_text=alt, caption=t("synthesis.index_caption", lang),
        data=pd.DataFrame(rows), table_caption=t("synthesis.index_table_caption", lang))
    return HtmlBlock(_paragraph(t("synthesis.index_intro", lang)) + report_figure.to_html())


def common_themes(data, *, lang: str = "nb") -> HtmlBlock:
    """Share of each pilot's interviews in the phase's round that mention each theme, and the net tone.

    Uses :func:`evaluation.interviews.code_frequencies` (themes, by pilot) and
    :func:`evaluation.interviews.assessment_balance` (net score per theme over all pilots).
    """
    from evaluation.interviews import assessment_balance, code_frequencies

    programme = data.programme
    threshold = programme.anonymity_threshold
    interviews = data.interviews[data.interviews["round"] == data.phase]
    segments = data.segments[data.segments["interview_id"].isin(interviews["interview_id"])]
    frequencies = code_frequencies(segments, interviews, by="pilot", level="theme",
                                   codebook=data.codebook, threshold=threshold)
    balance = assessment_balance(segments, level="theme", codebook=data.codebook, threshold=threshold)
    labels = {r["theme"]: pick(r, "label", lang) for r in programme.interview_themes.to_dict("records")}
    net = balance.set_index("theme")["net_score"] if "net_score" in balance.columns else pd.Series(dtype=float)
    rows = []
    for theme in programme.interview_themes["theme"]:
        row = {t("synthesis.theme", lang): labels[theme]}
        for pilot in programme.pilot_ids:
            cell = frequencies[(frequencies["pilot"] == pilot) & (frequencies["theme"] == theme)]
            value = cell["share"].iloc[0] if len(cell) else None
            row[programme.pilot_name(pilot)] = (t("suppressed_mark", lang) if len(cell) and cell["suppressed"].iloc[0]
                                               else format_percent(value, lang))
        row[t("synthesis.net_score", lang)] = format_number(net.get(theme), lang, decimals=2)
        rows.append(row)
    return HtmlBlock(
        _paragraph(t("synthesis.themes_intro", lang))
        + frame_to_html(pd.DataFrame(rows), caption=t("synthesis.themes_caption", lang))
        + f'<p class="note">{html.escape(t("synthesis.net_score_note", lang))}</p>'
    )


def _narrative(data, pilot: str, phase: str, lang: str) -> dict:
    content = data.narratives.get((pilot, phase)) or {}
    return content.get(lang) or content.get("nb") or {}


def evaluators_assessment(data, *, pilot: str, phase: str, lang: str = "nb") -> HtmlBlock:
    """The evaluators' written assessment of a pilot: summary, strengths, weaknesses, recommendations.

    Read from ``narratives/<pilot>-<phase>.yaml``; a missing file is said in the report, not hidden.
    """
    content = _narrative(data, pilot, phase, lang)
    if not content:
        return HtmlBlock(_paragraph(t("assessment.missing", lang)))
    parts = []
    if content.get("summary"):
        parts.append(_paragraph(str(content["summary"])))
    for key in ("strengths", "weaknesses", "recommendations"):
        points = content.get(key) or []
        if points:
            parts.append(_heading(f"assessment.{key}", lang, f"assessment-{key}"))
            parts.append("<ul>" + "".join(f"<li>{html.escape(str(p))}</li>" for p in points) + "</ul>")
    return HtmlBlock("".join(parts))


def lessons_across_pilots(data, *, lang: str = "nb") -> HtmlBlock:
    """The evaluators' recommendations and weaknesses, pilot by pilot, for learning across pilots."""
    programme = data.programme
    rows = []
    for pilot in programme.pilot_ids:
        content = _narrative(data, pilot, data.phase, lang)
        rows.append({
            t("synthesis.pilot", lang): programme.pilot_name(pilot),
            t("assessment.strengths", lang): "; ".join(map(str, content.get("strengths") or [])) or "–",
            t("assessment.weaknesses", lang): "; ".join(map(str, content.get("weaknesses") or [])) or "–",
            t("assessment.recommendations", lang): "; ".join(map(str, content.get("recommendations") or [])) or "–",
        })
    return HtmlBlock(
        _paragraph(t("synthesis.lessons_intro", lang))
        + frame_to_html(pd.DataFrame(rows), caption=t("synthesis.lessons_caption", lang))
    )
