"""Annotated heatmaps of counts: the theme x stakeholder group matrix of the interview chapter.

Colours come from :data:`evaluation.plots.base.SEQUENTIAL_5` (ColorBrewer Blues, colour-blind
safe and readable in grey scale); every cell carries its number as text, in black or white,
whichever contrasts more with the cell (WCAG 2.1 relative luminance), so the colour never
carries the information alone. Suppressed cells are grey and hatched and show the suppression
mark instead of a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from evaluation.i18n import check_language, format_number, t, translation_table
from evaluation.plots.base import (
    EDGE_COLOUR,
    NEUTRAL_GREY,
    SEQUENTIAL_5,
    ReportFigure,
    hide_suppressed,
    make_report_figure,
    new_figure,
)


def _luminance(rgb: Sequence[float]) -> float:
    """Relative luminance of an sRGB colour (WCAG 2.1, definition of relative luminance)."""
    channels = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb[:3]]
    return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2]


def text_colour_for(rgb: Sequence[float]) -> str:
    """Black or white, whichever has the higher WCAG contrast ratio against ``rgb`` (0-1 floats)."""
    background = _luminance(rgb)
    against_black = (background + 0.05) / 0.05
    against_white = 1.05 / (background + 0.05)
    return "#000000" if against_black >= against_white else "#ffffff"


def count_heatmap(
    frame: pd.DataFrame,
    *,
    row: str,
    column: str,
    value: str,
    alt_text: str,
    caption: str,
    table: pd.DataFrame,
    table_caption: str = "",
    row_labels: Mapping[object, str] | None = None,
    column_labels: Mapping[object, str] | None = None,
    x_label: str = "",
    y_label: str = "",
    colourbar_label: str = "",
    suppressed: str | None = "suppressed",
    suppressed_mark: str = "–",
    lang: str = "nb",
) -> ReportFigure:
    """Draw a heatmap of counts with each cell annotated, and wrap it as a :class:`ReportFigure`.

    Parameters
    ----------
    frame : pandas.DataFrame
        Tidy frame, one row per cell, with the ``row``, ``column`` and ``value`` columns (and a
        boolean ``suppressed`` column if given). Rows and columns keep their order of first
        appearance.
    row, column, value : str
        Columns giving the heatmap's rows, its columns and the count in each cell.
    alt_text, caption : str
        Alternative text (required) and caption of the figure.
    table : pandas.DataFrame
        The formatted data table shown with the figure.
    table_caption : str
        Caption of the data table.
    row_labels, column_labels : mapping, optional
        Display labels of the row and column values.
    x_label, y_label, colourbar_label : str
        Axis and colour bar labels.
    suppressed : str or None
        Boolean column marking suppressed cells (drawn grey and hatched, with
        ``suppressed_mark`` instead of a number).
    suppressed_mark : str
        Text in a suppressed cell.
    lang : {"nb", "en"}
        Language of the numbers in the cells.

    Returns
    -------
    ReportFigure
        The chart with its alt text, caption and data table.
    """
    check_language(lang)
    from matplotlib.colors import LinearSegmentedColormap, Normalize
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator

    rows = list(dict.fromkeys(frame[row].tolist()))
    columns = list(dict.fromkeys(frame[column].tolist()))
    values = np.full((len(rows), len(columns)), np.nan)
    hidden = np.zeros((len(rows), len(columns)), dtype=bool)
    row_index = {r: i for i, r in enumerate(rows)}
    column_index = {c: j for j, c in enumerate(columns)}
    for record in frame.itertuples(index=False):
        record = record._asdict()
        i, j = row_index[record[row]], column_index[record[column]]
        is_hidden = bool(record.get(suppressed)) if suppressed and suppressed in record else False
        number = record[value]
        if is_hidden or number is None or pd.isna(number):
            hidden[i, j] = True
        else:
            values[i, j] = float(number)

    width = min(10.0, 3.0 + 1.1 * max(len(columns), 1))
    height = 1.4 + 0.45 * max(len(rows), 1)
    fig, ax = new_figure(width, height)
    colourmap = LinearSegmentedColormap.from_list("report_blues", list(SEQUENTIAL_5)).with_extremes(
        bad=NEUTRAL_GREY)
    top = np.nanmax(values) if np.isfinite(values).any() else 1.0
    norm = Normalize(vmin=0, vmax=max(float(top), 1.0))
    image = ax.imshow(np.ma.masked_invalid(values), cmap=colourmap, norm=norm, aspect="auto")
    for i in range(len(rows)):
        for j in range(len(columns)):
            if hidden[i, j]:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor=NEUTRAL_GREY,
                                       edgecolor="#ffffff", hatch="///", linewidth=0))
                ax.text(j, i, suppressed_mark, ha="center", va="center", color="#000000",
                        fontsize=10)
            else:
                colour = text_colour_for(colourmap(norm(values[i, j])))
                ax.text(j, i, format_number(values[i, j], lang), ha="center", va="center",
                        color=colour, fontsize=10)
    ax.set_xticks(range(len(columns)))
    ax.set_xticklabels([(column_labels or {}).get(c, str(c)) for c in columns], rotation=30,
                       ha="right")
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels([(row_labels or {}).get(r, str(r)) for r in rows])
    ax.set_xticks(np.arange(-0.5, len(columns), 1), minor=True)
    ax.set_yticks(np.arange(-0.5, len(rows), 1), minor=True)
    ax.grid(which="minor", color="#ffffff", linewidth=2)
    ax.tick_params(which="minor", length=0)
    ax.spines[["top", "right", "bottom", "left"]].set_visible(False)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    bar.set_label(colourbar_label)
    bar.locator = MaxNLocator(integer=True)
    bar.update_ticks()
    bar.outline.set_edgecolor(EDGE_COLOUR)
    # One row per cell as drawn: a hidden (or empty) cell has no value.
    tidy = pd.DataFrame([{row: r, f"{row}_label": (row_labels or {}).get(r, str(r)), column: c,
                          f"{column}_label": (column_labels or {}).get(c, str(c)), value: values[i, j],
                          "suppressed": bool(hidden[i, j])}
                         for i, r in enumerate(rows) for j, c in enumerate(columns)])
    return make_report_figure(fig, alt_text=alt_text, caption=caption, data=table,
                              table_caption=table_caption, tidy=hide_suppressed(tidy, values=[value]))


def stakeholder_label(group: str, lang: str = "nb") -> str:
    """Reader-facing name of a stakeholder group, including the pooled group ``"other"``."""
    key = f"stakeholder.{group}"
    if key in translation_table():
        return t(key, lang)
    if group == "other":
        return t("interviews.stakeholder.other", lang)
    return str(group)


def label_in_sentence(label: str) -> str:
    """A label as it reads inside a sentence: "Ledere i etatene" -> "ledere i etatene" (not "NAV")."""
    if len(label) > 1 and label[0].isupper() and label[1].islower():
        return label[0].lower() + label[1:]
    return label


def theme_stakeholder_heatmap(
    frequencies: pd.DataFrame,
    *,
    theme_labels: Mapping[str, str] | None = None,
    lang: str = "nb",
    threshold: int,
    place: str = "",
) -> ReportFigure:
    """Heatmap of themes (rows) by stakeholder group (columns): interviews that mention each theme.

    Parameters
    ----------
    frequencies : pandas.DataFrame
        :func:`evaluation.interviews.code_frequencies` with ``by="stakeholder_group"`` and
        ``level="theme"``: ``stakeholder_group``, ``theme``, ``n_interviews``,
        ``references``, ``interviews_coded``, ``share``, ``suppressed``.
    theme_labels : mapping, optional
        Theme id to label in the report's language.
    lang : {"nb", "en"}
        Report language.
    threshold : int
        Anonymity threshold, named in the suppression note.
    place : str
        Name of the pilot (or other scope) for the caption.

    Returns
    -------
    ReportFigure
        Cells show the number of interviews in the group that mention the theme; the data
        table has the same layout (themes in rows, groups in columns) with "k of n"
        interviews in each cell. Suppressed cells show the suppression mark.
    """
    check_language(lang)
    required = {"stakeholder_group", "theme", "n_interviews", "references", "interviews_coded",
                "share", "suppressed"}
    missing = sorted(required - set(frequencies.columns))
    if missing:
        raise ValueError(f"frequencies lacks column(s) {missing}; pass code_frequencies(...) output")
    if frequencies.empty:
        raise ValueError("frequencies is empty: nothing to draw")
    theme_labels = dict(theme_labels or {})
    groups = list(dict.fromkeys(frequencies["stakeholder_group"].tolist()))
    n_of = {}
    for group in groups:
        counts = frequencies.loc[frequencies["stakeholder_group"] == group, "n_interviews"]
        shown = counts.dropna()
        n_of[group] = int(shown.iloc[0]) if len(shown) else None
    column_labels = {}
    for group in groups:
        label = stakeholder_label(group, lang)
        if n_of[group] is not None:
            label = f"{label} (n = {format_number(n_of[group], lang)})"
        column_labels[group] = label
    mark = t("suppressed_mark", lang)

    table_rows: dict[str, dict[str, str]] = {}
    theme_header = t("interviews.col.theme", lang)
    for record in frequencies.itertuples(index=False):
        row = table_rows.setdefault(record.theme, {
            theme_header: theme_labels.get(record.theme, record.theme)})
        row[column_labels[record.stakeholder_group]] = mark if bool(record.suppressed) else t(
            "interviews.of", lang, count=format_number(record.interviews_coded, lang),
            n=format_number(record.n_interviews, lang))
    table = pd.DataFrame(list(table_rows.values()))

    shown = frequencies[~frequencies["suppressed"].astype(bool)]
    shown = shown[shown["interviews_coded"].notna()]
    if len(shown):
        top = shown.sort_values(["share", "interviews_coded"], ascending=False, kind="stable").iloc[0]
        summary = t("interviews.heatmap.alt_top", lang,
                    theme=theme_labels.get(top["theme"], top["theme"]),
                    group=label_in_sentence(stakeholder_label(top["stakeholder_group"], lang)),
                    count=format_number(top["interviews_coded"], lang),
                    n=format_number(top["n_interviews"], lang))
    else:
        summary = ""
    hidden_groups = [g for g in groups if n_of[g] is None]
    alt = t("interviews.heatmap.alt", lang, themes=len(dict.fromkeys(frequencies["theme"])),
            groups=len(groups)) + summary
    if hidden_groups:
        alt += t("interviews.heatmap.alt_suppressed", lang, k=len(hidden_groups),
                 threshold=threshold)
    return count_heatmap(
        frequencies,
        row="theme",
        column="stakeholder_group",
        value="interviews_coded",
        alt_text=alt,
        caption=t("interviews.heatmap.caption", lang, place=place),
        table=table,
        table_caption=t("interviews.heatmap.table_caption", lang, place=place),
        row_labels=theme_labels,
        column_labels=column_labels,
        x_label=t("interviews.col.group", lang),
        y_label=t("interviews.col.theme", lang),
        colourbar_label=t("interviews.heatmap.colourbar", lang),
        suppressed="suppressed",
        suppressed_mark=mark,
        lang=lang,
    )


__all__ = ["count_heatmap", "label_in_sentence", "stakeholder_label", "text_colour_for", "theme_stakeholder_heatmap"]
