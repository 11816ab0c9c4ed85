"""Survey charts: diverging stacked Likert bars and index means by wave.

Both return a :class:`~evaluation.plots.base.ReportFigure` (image, alt text, caption and the data
table). They take the tidy frames of :mod:`evaluation.survey` as they are, suppression included:
a suppressed group is never drawn; its bar or point is replaced by the note «færre enn 5 svar»
(in the report language) and its table row shows the note instead of numbers.

The diverging bars follow Robbins and Heiberger (2011): each bar is centred on the neutral level,
disagreement to the left and agreement to the right, in ColorBrewer's RdBu (blue for
agreement), with dark edges between segments so that neighbouring shades stay apart for readers
with low colour vision, and percentages written on every segment wide enough to hold one.

References
----------
Robbins, N. B. and Heiberger, R. M. (2011). Plotting Likert and other rating scales.
*Proceedings of the 2011 Joint Statistical Meeting*, 1058–1066.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd

from evaluation.i18n import check_language, format_number, format_percent, t
from evaluation.plots.base import (
    DIVERGING_5,
    EDGE_COLOUR,
    QUALITATIVE,
    ReportFigure,
    hide_suppressed,
    make_report_figure,
    new_figure,
)

_MIN_LABEL_SHARE = 0.10
"""Segments narrower than this share get no value label (it would not fit)."""
_MARKERS = ("o", "s", "^", "D", "v", "P", "X")


def diverging_colours(k: int) -> tuple[str, ...]:
    """Colours for ``k`` ordered levels from ColorBrewer RdBu, blue for the highest level.

    Parameters
    ----------
    k : int
        Number of scale levels, at least 2.

    Returns
    -------
    tuple of str
        Hex colours, lowest level first.
    """
    if k < 2:
        raise ValueError(f"a Likert scale needs at least two levels, got {k}")
    picks = {2: (0, 4), 3: (0, 2, 4), 4: (0, 1, 3, 4), 5: (0, 1, 2, 3, 4)}
    if k in picks:
        return tuple(DIVERGING_5[i] for i in picks[k])
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["RdBu"]
    return tuple(to_hex(cmap(i / (k - 1))) for i in range(k))


def _text_colour(hex_colour: str) -> str:
    red, green, blue = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return "white" if luminance < 0.45 else "black"


def _bars(distribution: pd.DataFrame, bar: str) -> list[tuple[object, pd.DataFrame]]:
    required = [bar, "level", "label", "share", "n_valid", "suppressed"]
    missing = [c for c in required if c not in distribution.columns]
    if missing:
        raise ValueError(f"the distribution lacks column(s) {missing}; pass the frame of "
                         "evaluation.survey.likert_distribution")
    bars = []
    for key in dict.fromkeys(distribution[bar]):
        rows = distribution[distribution[bar] == key].sort_values("level")
        if rows["level"].duplicated().any():
            raise ValueError(
                f"bar {key!r} has several rows per level: filter the distribution to one group "
                "(or choose another `bar` column) first"
            )
        bars.append((key, rows))
    if not bars:
        raise ValueError("the distribution is empty")
    levels = [tuple(rows["level"]) for _, rows in bars]
    if len(set(levels)) != 1:
        raise ValueError("all bars must use the same scale levels")
    return bars


def _likert_tidy(bars: list, bar: str, bar_labels: Mapping) -> pd.DataFrame:
    """The chart's tidy data: one row per bar and level, a hidden bar's numbers empty (a bar is
    hidden whole when any of its levels is, as it is drawn and tabled)."""
    tidy = pd.concat([rows.assign(bar_label=bar_labels.get(key, str(key)), suppressed=bool(rows["suppressed"].any()))
                      for key, rows in bars], ignore_index=True)
    tidy = tidy[[c for c in (bar, "bar_label", "level", "label", "share", "n_valid", "n_dont_know", "suppressed")
                 if c in tidy.columns]]
    return hide_suppressed(tidy, values=[c for c in ("share", "n_valid", "n_dont_know") if c in tidy.columns])


def likert_chart(
    distribution: pd.DataFrame,
    *,
    bar: str = "item",
    bar_labels: Mapping[object, str] | None = None,
    lang: str = "nb",
    caption: str | None = None,
    table_caption: str = "",
    threshold: int,
    bar_header: str | None = None,
    label_width: int = 42,
) -> ReportFigure:
    """Diverging stacked bars of a Likert distribution, centred on the neutral level.

    Parameters
    ----------
    distribution : pandas.DataFrame
        Output of :func:`evaluation.survey.likert_distribution` with one row per bar and level
        (filter it to one group first), with columns ``level``, ``label``, ``share``,
        ``n_valid``, ``n_dont_know``, ``suppressed`` and the ``bar`` column.
    bar : str
        Column whose values become the bars (``"item"`` by default, or a group column).
    bar_labels : mapping, optional
        Reader-facing label of each bar (e.g. the item text); the value itself otherwise.
    lang : {"nb", "en"}
        Report language.
    caption, table_caption : str, optional
        Caption of the figure and of its data table (defaults from the translation table).
    threshold : int
        The anonymity threshold, for the suppression note.
    bar_header : str, optional
        Header of the bar column in the data table.
    label_width : int
        Bar labels on the chart are wrapped at this many characters (the table keeps them
        whole).

    Returns
    -------
    ReportFigure
        The chart with alt text, caption, and a data table with one row per bar: label,
        number of answers, the share at each level, and "vet ikke" answers.

    Notes
    -----
    With an odd number of levels the middle one is neutral and is split half left, half right
    of zero; with an even number the bars meet at zero between the two middle levels. The
    x axis shows the share of answers on the scale ("vet ikke" excluded) on each side.
    """
    check_language(lang)
    bars = _bars(distribution, bar)
    bar_labels = dict(bar_labels or {})
    levels = list(bars[0][1]["level"])
    level_names = list(bars[0][1]["label"].astype(str))
    k = len(levels)
    colours = diverging_colours(k)
    neutral = k // 2 if k % 2 else None
    note = t("suppressed_note", lang, threshold=threshold)

    wrapped = {key: textwrap.fill(bar_labels.get(key, str(key)), label_width) for key, _ in bars}
    lines = sum(text.count("\n") + 1 for text in wrapped.values())
    fig, ax = new_figure(width=8.0, height=max(2.4, 0.3 * lines + 0.35 * len(bars) + 1.6))
    tick_labels, table_rows = [], []
    agree_shares = []
    for position, (key, rows) in enumerate(bars):
        label = bar_labels.get(key, str(key))
        suppressed = bool(rows["suppressed"].any())
        if suppressed:
            tick_labels.append(wrapped[key])
            ax.text(0, position, note, ha="center", va="center", fontstyle="italic",
                    color="#333333", fontsize=9)
            table_rows.append([label, note, *(["–"] * k), "–"])
            continue
        shares = [float(s) for s in rows["share"]]
        n_valid = int(rows["n_valid"].iloc[0])
        n_dk = rows["n_dont_know"].iloc[0] if "n_dont_know" in rows.columns else 0
        tick_labels.append(f"{wrapped[key]}\n(n\u00a0=\u00a0{format_number(n_valid, lang)})")
        lower = sum(shares[: k // 2])
        start = -(lower + (shares[neutral] / 2 if neutral is not None else 0.0))
        for level_index, share in enumerate(shares):
            if share > 0:
                ax.barh(position, share, left=start, color=colours[level_index],
                        edgecolor=EDGE_COLOUR, linewidth=0.8, height=0.7)
                if share >= _MIN_LABEL_SHARE:
                    ax.text(start + share / 2, position, format_percent(share, lang),
                            ha="center", va="center", fontsize=7.5,
                            color=_text_colour(colours[level_index]))
            start += share
        upper = sum(shares[k - k // 2:])
        agree_shares.append((label, upper))
        table_rows.append([label, format_number(n_valid, lang),
                           *[format_percent(s, lang) for s in shares],
                           format_number(n_dk, lang)])

    ax.set_yticks(range(len(bars)), labels=tick_labels, fontsize=9)
    ax.set_ylim(len(bars) - 0.5, -0.5)
    ax.axvline(0, color=EDGE_COLOUR, linewidth=1)
    ax.set_xlim(-1.02, 1.02)
    ticks = [-1.0, -0.5, 0.0, 0.5, 1.0]
    ax.set_xticks(ticks, labels=[format_percent(abs(x), lang) for x in ticks])
    ax.set_xlabel(t("survey.likert.xlabel", lang))
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=colours[i], edgecolor=EDGE_COLOUR, label=level_names[i])
               for i in range(k)]
    fig.legend(handles=handles, loc="outside lower center", ncol=min(k, 5), frameon=False,
               fontsize=8)

    header = bar_header or t("survey.col.item", lang)
    data = pd.DataFrame(table_rows, columns=[header, t("survey.col.n_valid", lang), *level_names,
                                             t("survey.col.dont_know", lang)])
    hidden = sum(1 for _, rows in bars if rows["suppressed"].any())
    alt = t("survey.likert.alt", lang, bars=len(bars), low=level_names[0], high=level_names[-1])
    if agree_shares:
        best = max(agree_shares, key=lambda pair: pair[1])
        worst = min(agree_shares, key=lambda pair: pair[1])
        alt += " " + t("survey.likert.alt_range", lang, best=best[0],
                       best_share=format_percent(best[1], lang), worst=worst[0],
                       worst_share=format_percent(worst[1], lang))
    if hidden:
        alt += " " + t("survey.alt_hidden", lang, hidden=hidden, threshold=threshold)
    return make_report_figure(
        fig,
        alt_text=alt,
        caption=caption or t("survey.likert.caption", lang),
        data=data,
        table_caption=table_caption,
        tidy=_likert_tidy(bars, bar, bar_labels),
    )


def index_trend_chart(
    summary: pd.DataFrame,
    *,
    group: str = "index",
    group_labels: Mapping[object, str] | None = None,
    wave_labels: Mapping[object, str] | None = None,
    lang: str = "nb",
    caption: str | None = None,
    table_caption: str = "",
    threshold: int,
    scale: Sequence[float] = (1, 5),
    group_header: str | None = None,
) -> ReportFigure:
    """Mean index score by wave with confidence intervals, one line per index (or agency).

    Parameters
    ----------
    summary : pandas.DataFrame
        Output of :func:`evaluation.survey.index_summary` with ``by=["wave"]`` (one row per
        wave and index), or filtered so that ``group`` and ``wave`` identify the rows (for
        example one index, ``by=["wave", "agency"]`` and ``group="agency"``).
    group : str
        Column whose values become the lines.
    group_labels, wave_labels : mapping, optional
        Reader-facing labels of the groups and waves.
    lang : {"nb", "en"}
        Report language.
    caption, table_caption : str, optional
        Captions (defaults from the translation table).
    threshold : int
        The anonymity threshold, for the suppression note.
    scale : (float, float)
        The y-axis range, the scale of the items (1–5).
    group_header : str, optional
        Header of the group column in the data table.

    Returns
    -------
    ReportFigure
        The chart; its data table has one row per group and wave with n, mean and interval.

    Notes
    -----
    Points are the means, bars their t-based confidence intervals (``ci_low``, ``ci_high``);
    lines connect the shown waves of a group. Each group has its own marker as well as colour
    (Okabe–Ito), so colour never carries the meaning alone. Suppressed points are not drawn.
    """
    check_language(lang)
    required = [group, "wave", "n", "mean", "ci_low", "ci_high", "suppressed"]
    missing = [c for c in required if c not in summary.columns]
    if missing:
        raise ValueError(f"the summary lacks column(s) {missing}; pass the frame of "
                         "evaluation.survey.index_summary")
    if summary.duplicated([group, "wave"]).any():
        raise ValueError(f"several rows per {group} and wave: filter the summary first")
    group_labels = dict(group_labels or {})
    wave_labels = dict(wave_labels or {})
    waves = sorted(summary["wave"].unique())
    x_of = {wave: i for i, wave in enumerate(waves)}
    note = t("suppressed_note", lang, threshold=threshold)
    fig, ax = new_figure(width=8.0, height=4.2)
    rows, changes, hidden = [], [], 0
    groups = list(dict.fromkeys(summary[group]))
    offset_step = 0.06 if len(groups) > 1 else 0.0
    for number, key in enumerate(groups):
        part = summary[summary[group] == key].sort_values("wave")
        label = group_labels.get(key, str(key))
        shown = part[~part["suppressed"].astype(bool) & part["mean"].notna()]
        offset = (number - (len(groups) - 1) / 2) * offset_step
        colour = QUALITATIVE[number % len(QUALITATIVE)]
        if len(shown):
            x = [x_of[w] + offset for w in shown["wave"]]
            y = shown["mean"].astype(float).to_numpy()
            low = y - shown["ci_low"].astype(float).to_numpy()
            high = shown["ci_high"].astype(float).to_numpy() - y
            ax.errorbar(x, y, yerr=[low, high], color=colour, marker=_MARKERS[number % len(_MARKERS)],
                        markersize=6, capsize=3, linewidth=1.6, label=label,
                        markeredgecolor=EDGE_COLOUR)
            if len(shown) >= 2:
                changes.append((label, float(y[0]), float(y[-1])))
        for row in part.itertuples(index=False):
            wave_text = wave_labels.get(row.wave, str(row.wave))
            if bool(row.suppressed) or pd.isna(row.mean):
                hidden += 1
                rows.append([label, wave_text, note, "–", "–"])
            else:
                rows.append([label, wave_text, format_number(row.n, lang),
                             format_number(row.mean, lang, decimals=2),
                             f"{format_number(row.ci_low, lang, decimals=2)}–"
                             f"{format_number(row.ci_high, lang, decimals=2)}"])
    ax.set_xticks(range(len(waves)), labels=[wave_labels.get(w, str(w)) for w in waves])
    ax.set_xlim(-0.5, len(waves) - 0.5)
    ax.set_ylim(scale[0], scale[1])
    from matplotlib.ticker import FuncFormatter

    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_number(y, lang, decimals=1)))
    ax.set_ylabel(t("survey.trend.ylabel", lang))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    if groups:
        fig.legend(loc="outside right center", frameon=False, fontsize=8)
    data = pd.DataFrame(rows, columns=[group_header or t("survey.col.index", lang),
                                       t("survey.col.wave", lang), t("survey.col.n", lang),
                                       t("survey.col.mean", lang), t("survey.col.ci", lang)])
    alt = t("survey.trend.alt", lang, groups=len(groups), waves=len(waves))
    for label, first, last in changes:
        alt += " " + t("survey.trend.alt_change", lang, group=label,
                       first=format_number(first, lang, decimals=2),
                       last=format_number(last, lang, decimals=2))
    if hidden:
        alt += " " + t("survey.alt_hidden", lang, hidden=hidden, threshold=threshold)
    tidy = summary[[group, "wave", "n", "mean", "ci_low", "ci_high", "suppressed"]].assign(
        group_label=summary[group].map(lambda key: group_labels.get(key, str(key))),
        wave_label=summary["wave"].map(lambda wave: wave_labels.get(wave, str(wave))))
    return make_report_figure(
        fig,
        alt_text=alt,
        caption=caption or t("survey.trend.caption", lang),
        data=data,
        table_caption=table_caption,
        tidy=hide_suppressed(tidy, values=["n", "mean", "ci_low", "ci_high"]),
    )


__all__ = ["diverging_colours", "index_trend_chart", "likert_chart"]
