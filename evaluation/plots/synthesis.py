"""Charts of the cross-pilot synthesis: the survey indices of every pilot side by side."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from evaluation.i18n import check_language, format_number, t
from evaluation.plots.base import QUALITATIVE, SCREEN_DPI, ReportFigure, hide_suppressed, make_report_figure

_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def _draw(summary: pd.DataFrame, index_labels: Mapping, pilot_labels: Mapping):
    """Small multiples, one panel per index, one line per pilot across the waves."""
    from matplotlib.figure import Figure

    indices = list(index_labels)
    figure = Figure(figsize=(9.5, 2.2 * ((len(indices) + 2) // 3)), dpi=SCREEN_DPI, layout="constrained")
    axes = figure.subplots((len(indices) + 2) // 3, 3, sharey=True, squeeze=False).ravel()
    for ax, index in zip(axes, indices):
        part = summary[summary["index"] == index]
        for position, pilot in enumerate(pilot_labels):
            line = part[part["pilot"] == pilot].sort_values("wave")
            ax.plot(line["wave"].astype(str), line["mean"], marker=_MARKERS[position % len(_MARKERS)],
                    color=QUALITATIVE[position % len(QUALITATIVE)], label=pilot_labels[pilot])
        ax.set_title(index_labels[index], fontsize=10)
        ax.set_ylim(1, 5)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#dddddd")
    for ax in axes[len(indices):]:
        ax.set_visible(False)
    handles, names = axes[0].get_legend_handles_labels()
    figure.legend(handles, names, loc="outside lower center", ncols=len(names), frameon=False)
    return figure


def _table(summary: pd.DataFrame, index_labels: Mapping, pilot_labels: Mapping, lang: str,
           threshold: int) -> pd.DataFrame:
    """The chart's data: index, pilot, wave, n and mean, suppressed groups as a note."""
    rows = []
    order = {index: position for position, index in enumerate(index_labels)}
    pilot_order = {pilot: position for position, pilot in enumerate(pilot_labels)}
    ordered = summary.assign(_i=summary["index"].map(order), _p=summary["pilot"].map(pilot_order))
    for record in ordered.sort_values(["_i", "_p", "wave"]).to_dict("records"):
        rows.append({
            t("survey_overview.index", lang): index_labels[record["index"]],
            t("synthesis.pilot", lang): pilot_labels[record["pilot"]],
            t("method.wave", lang): str(record["wave"]),
            "n": t("suppressed_note", lang, threshold=threshold)
            if record["suppressed"] else format_number(record["n"], lang),
            t("survey_overview.mean", lang): "–" if record["suppressed"]
            else format_number(record["mean"], lang, decimals=2),
        })
    return pd.DataFrame(rows)


def _alt_text(summary: pd.DataFrame, index_labels: Mapping, pilot_labels: Mapping,
              lang: str) -> str:
    """What the chart shows, and the largest rise of a pilot's index from the first wave."""
    waves = sorted(summary["wave"].unique())
    best = summary[summary["wave"] == waves[-1]].dropna(subset=["mean"])
    first = summary[summary["wave"] == waves[0]].dropna(subset=["mean"])
    change = best.merge(first, on=["pilot", "index"], suffixes=("", "_base"))
    change["delta"] = change["mean"] - change["mean_base"]
    leader = change.sort_values("delta", ascending=False).iloc[0] if len(change) else None
    alt = t("synthesis.index_alt", lang, count=len(index_labels), pilots=", ".join(pilot_labels.values()),
            first=waves[0], last=waves[-1])
    if leader is not None:
        alt += " " + t("synthesis.index_alt_leader", lang, pilot=pilot_labels[leader["pilot"]],
                       index=index_labels[leader["index"]], delta=format_number(leader["delta"], lang, decimals=2))
    return alt


def index_by_pilot_chart(
    summary: pd.DataFrame,
    *,
    index_labels: Mapping[object, str],
    pilot_labels: Mapping[object, str],
    lang: str = "nb",
    threshold: int,
) -> ReportFigure:
    """Mean index score by pilot and wave: small multiples, one panel per index.

    Parameters
    ----------
    summary : pandas.DataFrame
        :func:`evaluation.survey.index_summary` with ``by=("pilot", "wave")``: columns
        ``pilot``, ``wave``, ``index``, ``n``, ``mean``, ``suppressed``.
    index_labels : mapping
        Index id -> reader-facing label, in the order of the panels.
    pilot_labels : mapping
        Pilot id -> name, in the order of the lines (and colours).
    lang : {"nb", "en"}
        Language of the alt text, caption and data table.
    threshold : int
        The anonymity threshold, for the note on suppressed groups in the data table.

    Returns
    -------
    ReportFigure
        The chart with alt text (naming the largest rise from the first to the last wave), a
        caption and its data table (suppressed groups as «færre enn N svar»).
    """
    check_language(lang)
    figure = _draw(summary, index_labels, pilot_labels)
    return make_report_figure(
        figure, alt_text=_alt_text(summary, index_labels, pilot_labels, lang),
        caption=t("synthesis.index_caption", lang),
        data=_table(summary, index_labels, pilot_labels, lang, threshold),
        table_caption=t("synthesis.index_table_caption", lang),
        tidy=hide_suppressed(summary[["index", "pilot", "wave", "n", "mean", "suppressed"]].assign(
            index_label=summary["index"].map(index_labels), pilot_label=summary["pilot"].map(pilot_labels)),
            values=["n", "mean"]))


__all__ = ["index_by_pilot_chart"]
