"""The summary chapter of a pilot report: key figures and the status of every sub-goal at a glance."""

from __future__ import annotations

import html

import pandas as pd

from evaluation.i18n import format_number, format_percent, pick, t
from evaluation.plots.base import STATUS_STYLE
from evaluation.tables import HtmlBlock, frame_to_html


def _status_label(status: object, lang: str) -> str:
    """Status as text plus symbol, so colour never carries the meaning alone."""
    if not isinstance(status, str) or status not in STATUS_STYLE:
        return "–"
    return f"{t('status.' + status, lang)} {STATUS_STYLE[status]['symbol']}"


def key_figures(data, *, pilot: str, lang: str = "nb") -> pd.DataFrame:
    """The report's key figures as a two-column table (label, formatted value).

    Respondents and response rate are those of the latest survey wave up to the cut-off;
    interviews are those of the phase's round.
    """
    from evaluation.survey import response_rates

    latest = int(data.responses.loc[data.responses["pilot"] == pilot, "wave"].max())
    rates = response_rates(data.population, data.responses, by=("pilot", "wave"),
                           threshold=data.anonymity_threshold)
    rate = rates[(rates["pilot"] == pilot) & (rates["wave"] == latest)].iloc[0]
    interviews = data.interviews[(data.interviews["pilot"] == pilot) & (data.interviews["round"] == data.phase)]
    programme = data.programme
    rows = [
        (t("summary.agencies", lang), format_number((programme.agencies["pilot"] == pilot).sum(), lang)),
        (t("summary.respondents", lang, wave=latest), format_number(rate["responded"], lang)),
        (t("summary.response_rate", lang, wave=latest), format_percent(rate["rate"], lang)),
        (t("summary.interviews", lang), format_number(len(interviews), lang)),
        (t("summary.sub_goals", lang), format_number((programme.sub_goals["pilot"] == pilot).sum(), lang)),
        (t("summary.indicators", lang), format_number((programme.indicators["pilot"] == pilot).sum(), lang)),
    ]
    return pd.DataFrame(rows, columns=[t("summary.figure", lang), t("summary.value", lang)])


def summary_chapter(data, *, pilot: str, phase: str, lang: str = "nb", attainment=None) -> HtmlBlock:
    """Key figures, the evaluators' summary, and every sub-goal's computed and judged status.

    The computed status follows the documented rule of :func:`evaluation.goals.computed_status`;
    the judged status is the evaluators' own (``assessments.csv``). Where they disagree the
    table says so; neither is overridden. ``attainment`` is the pilot's
    :func:`evaluation.chapters.goals.goal_attainment` result when the caller has it already.
    """
    from evaluation.chapters.goals import goal_attainment

    parts = []
    narrative = (data.narratives.get((pilot, phase)) or {})
    text = (narrative.get(lang) or narrative.get("nb") or {}).get("summary")
    if text:
        parts.append(f"<p>{html.escape(str(text))}</p>")
    parts.append(frame_to_html(key_figures(data, pilot=pilot, lang=lang),
                               caption=t("summary.key_figures_caption", lang)))
    if attainment is None:
        attainment = goal_attainment(data, phase=phase, pilots=[pilot])
    overview = attainment.overview
    goals = data.programme.sub_goals.set_index("sub_goal")
    rows = []
    for record in overview.to_dict("records"):
        rows.append({
            t("about.sub_goal", lang): f"{record['sub_goal']}: {pick(goals.loc[record['sub_goal']].to_dict(), 'text', lang)}",
            t("summary.computed", lang): _status_label(record["computed_status"], lang),
            t("summary.judged", lang): _status_label(record["judged_status"], lang),
            t("summary.agree", lang): t("summary.disagree_yes", lang) if record["disagreement"] else t("summary.disagree_no", lang),
        })
    parts.append(f'<h3 id="status-at-a-glance">{html.escape(t("summary.status_heading", lang))}</h3>')
    parts.append(frame_to_html(pd.DataFrame(rows), caption=t("summary.status_caption", lang)))
    parts.append(f'<p class="note">{html.escape(t("summary.status_note", lang))}</p>')
    return HtmlBlock("".join(parts))
