"""An indicator as a picture: its values against the baseline, the target and the straight-line path."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from evaluation.i18n import check_language, format_number, t
from evaluation.plots.base import (
    EDGE_COLOUR,
    QUALITATIVE,
    STATUS_STYLE,
    ReportFigure,
    make_report_figure,
    new_figure,
)


def indicator_chart(
    tracking: pd.DataFrame,
    definition: Mapping,
    *,
    name: str,
    unit: str,
    lang: str,
    caption: str,
    decimals: int = 0,
) -> ReportFigure:
    """One indicator's observed values by year against its baseline, target and expected path.

    Parameters
    ----------
    tracking : pandas.DataFrame
        The indicator's rows of :func:`evaluation.indicators.indicator_tracking` (one per
        year: ``year``, ``actual``, ``status``, ``expected_progress``).
    definition : mapping
        The indicator's row of ``programme.indicators``: ``baseline_value``, ``baseline_year``,
        ``target_value``, ``target_year``.
    name, unit : str
        The indicator's name and unit in the report's language.
    lang : {"nb", "en"}
        Report language.
    caption : str
        Caption under the chart.
    decimals : int
        Decimals of the values in the data table and the alt text.

    Returns
    -------
    ReportFigure
        The chart, with alt text and a data table (year, expected on the path, observed, status),
        and its tidy data (``year, expected, observed, status, suppressed``).

    Notes
    -----
    The expected path is the straight line from the baseline (its year and value) to the target
    (its year and value), the expectation the indicator's status is measured against
    (:func:`evaluation.indicators.expected_progress`). Each observed year is drawn with its
    status's colour and symbol (:data:`evaluation.plots.base.STATUS_STYLE`), so colour never
    carries the meaning alone; the data table below the chart gives every number.
    """
    check_language(lang)
    base_year, base = int(definition["baseline_year"]), float(definition["baseline_value"])
    target_year, target = int(definition["target_year"]), float(definition["target_value"])
    rows = tracking.sort_values("year")
    fig, ax = new_figure(width=6.0, height=3.4)
    ax.plot([base_year, target_year], [base, target], linestyle="--", color="#6e6e6e", linewidth=1.2,
            label=t("indicator_chart.path", lang))
    ax.plot([base_year], [base], marker="s", color=EDGE_COLOUR, linestyle="none",
            label=t("indicator_chart.baseline", lang))
    ax.plot([target_year], [target], marker="*", markersize=12, color=QUALITATIVE[1],
            markeredgecolor=EDGE_COLOUR, linestyle="none", label=t("indicator_chart.target", lang))
    observed = rows[rows["actual"].notna()]
    if len(observed):
        ax.plot(observed["year"], observed["actual"], color=QUALITATIVE[0], linewidth=1.6,
                label=t("indicator_chart.observed", lang))
        for row in observed.itertuples(index=False):
            style = STATUS_STYLE.get(row.status, STATUS_STYLE["no_data"])
            ax.annotate(style["symbol"], (row.year, row.actual), color=style["colour"], fontsize=11,
                        ha="center", va="center")
    years = sorted({base_year, target_year, *rows["year"].astype(int)})
    ax.set_xticks(years, labels=[str(y) for y in years])
    ax.set_ylabel(unit)
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(nbins=5, integer=decimals == 0))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _: format_number(y, lang, decimals=decimals)))
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncols=2, frameon=False, fontsize=8)
    data = _table(rows, base, target, base_year, target_year, lang=lang, decimals=decimals)
    alt = _alt_text(observed, name=name, unit=unit, base=base, target=target, base_year=base_year,
                    target_year=target_year, lang=lang, decimals=decimals)
    return make_report_figure(fig, alt_text=alt, caption=caption, data=data,
                              table_caption=t("indicator_chart.table_caption", lang, indicator=name),
                              tidy=_tidy(rows, base, target, base_year, target_year))


def _tidy(rows: pd.DataFrame, base: float, target: float, base_year: int, target_year: int) -> pd.DataFrame:
    """The chart's data at full precision: year, the expected value on the path, the observed
    value and its status (indicators describe the pilot, not people: nothing is suppressed)."""
    return pd.DataFrame({
        "year": rows["year"].astype(int).to_numpy(),
        "expected": [_expected(int(y), base, target, base_year, target_year) for y in rows["year"]],
        "observed": rows["actual"].astype(float).to_numpy(),
        "status": rows["status"].to_numpy(),
        "suppressed": False,
    })


def _expected(year: int, base: float, target: float, base_year: int, target_year: int) -> float:
    share = np.clip((year - base_year) / (target_year - base_year), 0.0, 1.0)
    return base + share * (target - base)


def _table(rows: pd.DataFrame, base: float, target: float, base_year: int, target_year: int, *,
           lang: str, decimals: int) -> pd.DataFrame:
    records = []
    if base_year not in set(rows["year"].astype(int)):
        records.append([str(base_year), format_number(base, lang, decimals=decimals), "–", "–"])
    for row in rows.itertuples(index=False):
        records.append([
            str(int(row.year)),
            format_number(_expected(int(row.year), base, target, base_year, target_year), lang, decimals=decimals),
            format_number(row.actual, lang, decimals=decimals) if pd.notna(row.actual) else "–",
            t(f"status.{row.status}", lang) if isinstance(row.status, str) else "–",
        ])
    columns = [t(key, lang) for key in ("indicator_chart.col.year", "indicator_chart.col.expected",
                                         "indicator_chart.col.observed", "indicator_chart.col.status")]
    return pd.DataFrame(records, columns=columns)


def _alt_text(observed: pd.DataFrame, *, name: str, unit: str, base: float, target: float, base_year: int,
              target_year: int, lang: str, decimals: int) -> str:
    text = t("indicator_chart.alt", lang, indicator=name, unit=unit,
             baseline=format_number(base, lang, decimals=decimals), baseline_year=base_year,
             target=format_number(target, lang, decimals=decimals), target_year=target_year)
    if len(observed):
        last = observed.iloc[-1]
        text += " " + t("indicator_chart.alt_latest", lang, year=int(last["year"]),
                        value=format_number(last["actual"], lang, decimals=decimals),
                        status=t(f"status.{last['status']}", lang))
    else:
        text += " " + t("indicator_chart.alt_none", lang)
    return text


__all__ = ["indicator_chart"]
