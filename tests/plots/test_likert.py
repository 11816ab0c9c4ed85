"""Tests of the survey charts (evaluation.plots.likert).

The geometry is checked against positions worked out by hand from the shares; colours against
ColorBrewer RdBu as listed in evaluation.plots.base.
"""

from __future__ import annotations

import base64

import matplotlib.colors as mcolors
import pandas as pd
import pytest

import evaluation.plots.likert as likert
from evaluation.plots.base import DIVERGING_5, EDGE_COLOUR, ReportFigure

LABELS = ["Helt uenig", "Uenig", "Verken eller", "Enig", "Helt enig"]


def distribution(shares_by_item: dict[str, list[float] | None], n: int = 20) -> pd.DataFrame:
    rows = []
    for item, shares in shares_by_item.items():
        for level, label in enumerate(LABELS, start=1):
            if shares is None:
                rows.append((item, level, label, pd.NA, float("nan"), pd.NA, pd.NA, True))
            else:
                share = shares[level - 1]
                rows.append((item, level, label, round(share * n), share, n, 2, False))
    frame = pd.DataFrame(rows, columns=["item", "level", "label", "count", "share", "n_valid",
                                        "n_dont_know", "suppressed"])
    for column in ("count", "n_valid", "n_dont_know"):
        frame[column] = frame[column].astype("Int64")
    return frame


@pytest.fixture
def captured(monkeypatch):
    """Keep the matplotlib figure that the chart hands to make_report_figure."""
    figures = []
    original = likert.make_report_figure

    def spy(fig, **kwargs):
        figures.append(fig)
        return original(fig, **kwargs)

    monkeypatch.setattr(likert, "make_report_figure", spy)
    return figures


def test_likert_chart_returns_a_report_figure_with_png_alt_text_and_table():
    figure = likert.likert_chart(distribution({"Q01": [0.1, 0.2, 0.3, 0.25, 0.15]}),
                                 bar_labels={"Q01": "Jeg samarbeider ofte"}, threshold=5)
    assert isinstance(figure, ReportFigure)
    assert base64.b64decode(figure.png_base64).startswith(b"\x89PNG")
    assert "Jeg samarbeider ofte" in figure.alt_text
    assert "«Helt uenig» til «Helt enig»" in figure.alt_text
    row = figure.data.iloc[0].tolist()
    assert row == ["Jeg samarbeider ofte", "20", "10\u00a0%", "20\u00a0%", "30\u00a0%",
                   "25\u00a0%", "15\u00a0%", "2"]
    assert figure.caption


def test_bars_are_centred_on_the_neutral_level(captured):
    shares = [0.1, 0.2, 0.3, 0.25, 0.15]
    likert.likert_chart(distribution({"Q01": shares}), threshold=5)
    ax = captured[0].axes[0]
    bars = sorted((p for p in ax.patches if p.get_width() > 0), key=lambda p: p.get_x())
    # by hand: left edge = -(0.1 + 0.2 + 0.3 / 2) = -0.45, then consecutive segments
    assert bars[0].get_x() == pytest.approx(-0.45)
    assert [b.get_width() for b in bars] == pytest.approx(shares)
    neutral = bars[2]
    assert neutral.get_x() == pytest.approx(-0.15)
    assert neutral.get_x() + neutral.get_width() == pytest.approx(0.15)


def test_segments_use_rdbu_with_blue_for_agreement_and_dark_edges(captured):
    likert.likert_chart(distribution({"Q01": [0.2, 0.2, 0.2, 0.2, 0.2]}), threshold=5)
    ax = captured[0].axes[0]
    bars = sorted((p for p in ax.patches if p.get_width() > 0), key=lambda p: p.get_x())
    assert [mcolors.to_hex(b.get_facecolor()) for b in bars] == list(DIVERGING_5)
    assert mcolors.to_hex(bars[-1].get_facecolor()) == "#0571b0"  # strongly agree is blue
    assert all(mcolors.to_hex(b.get_edgecolor()) == EDGE_COLOUR for b in bars)


def test_value_labels_only_on_segments_wide_enough(captured):
    likert.likert_chart(distribution({"Q01": [0.05, 0.15, 0.3, 0.4, 0.1]}), threshold=5)
    texts = [t.get_text() for t in captured[0].axes[0].texts]
    assert "5\u00a0%" not in texts  # 5 % is too narrow for a label
    assert {"15\u00a0%", "30\u00a0%", "40\u00a0%", "10\u00a0%"} <= set(texts)


def test_n_is_shown_in_the_bar_label(captured):
    likert.likert_chart(distribution({"Q01": [0.2] * 5}, n=23), bar_labels={"Q01": "Påstand"}, threshold=5)
    labels = [t.get_text() for t in captured[0].axes[0].get_yticklabels()]
    assert labels == ["Påstand\n(n\u00a0=\u00a023)"]


def test_suppressed_bars_show_the_note_and_never_a_value(captured):
    frame = distribution({"Q01": [0.2] * 5, "Q02": None})
    figure = likert.likert_chart(frame, threshold=5)
    hidden = figure.data.iloc[1].tolist()
    assert hidden[1] == "færre enn 5 svar"
    assert set(hidden[2:]) == {"–"}
    ax = captured[0].axes[0]
    assert "færre enn 5 svar" in [t.get_text() for t in ax.texts]
    assert len([p for p in ax.patches if p.get_width() > 0]) == 5  # only Q01's segments
    assert "1 grupper er skjult" in figure.alt_text


def test_english_labels_and_percent_format():
    figure = likert.likert_chart(distribution({"Q01": [0.1, 0.2, 0.3, 0.25, 0.15]}), lang="en", threshold=5)
    assert figure.data.columns[1] == "Answers"
    assert figure.data.iloc[0, 2] == "10%"


def test_chart_rejects_frames_with_several_groups_per_bar():
    frame = pd.concat([distribution({"Q01": [0.2] * 5}), distribution({"Q01": [0.2] * 5})])
    with pytest.raises(ValueError, match="several rows per level"):
        likert.likert_chart(frame, threshold=5)
    with pytest.raises(ValueError, match="lacks column"):
        likert.likert_chart(frame.drop(columns="share"), threshold=5)


def test_diverging_colours_for_other_scale_lengths():
    assert likert.diverging_colours(5) == DIVERGING_5
    assert likert.diverging_colours(3) == (DIVERGING_5[0], DIVERGING_5[2], DIVERGING_5[4])
    seven = likert.diverging_colours(7)
    assert len(seven) == 7 and len(set(seven)) == 7
    with pytest.raises(ValueError):
        likert.diverging_colours(1)


def summary_frame() -> pd.DataFrame:
    return pd.DataFrame({
        "wave": [2021, 2022, 2021, 2022],
        "index": ["collaboration", "collaboration", "belonging", "belonging"],
        "n": pd.array([20, 18, 20, pd.NA], dtype="Int64"),
        "mean": [3.1, 3.45, 3.8, float("nan")],
        "sd": [0.7, 0.6, 0.5, float("nan")],
        "ci_low": [2.8, 3.15, 3.57, float("nan")],
        "ci_high": [3.4, 3.75, 4.03, float("nan")],
        "suppressed": [False, False, False, True],
    })


def test_index_trend_chart_table_and_suppressed_points(captured):
    figure = likert.index_trend_chart(
        summary_frame(), group_labels={"collaboration": "Samarbeid", "belonging": "Tilhørighet"},
        wave_labels={2021: "Nullpunkt 2021", 2022: "Midtveis 2022"},
     threshold=5)
    table = figure.data.values.tolist()
    assert table[0] == ["Samarbeid", "Nullpunkt 2021", "20", "3,10", "2,80–3,40"]
    assert table[3] == ["Tilhørighet", "Midtveis 2022", "færre enn 5 svar", "–", "–"]
    assert "Samarbeid: fra 3,10 til 3,45." in figure.alt_text
    ax = captured[0].axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Nullpunkt 2021", "Midtveis 2022"]
    # two lines drawn, one with two points and one with a single point (its 2022 is hidden)
    lines = [line for line in ax.lines
             if len(line.get_xdata()) > 0 and line.get_marker() not in ("_", "None", None, "")]
    assert sorted(len(line.get_xdata()) for line in lines) == [1, 2]
    assert ax.get_ylim() == (1.0, 5.0)


def test_index_trend_chart_uses_decimal_comma_on_the_axis(captured):
    likert.index_trend_chart(summary_frame(), threshold=5)
    ax = captured[0].axes[0]
    formatter = ax.yaxis.get_major_formatter()
    assert formatter(3.5, 0) == "3,5"


def test_index_trend_chart_rejects_duplicate_rows():
    frame = pd.concat([summary_frame(), summary_frame()])
    with pytest.raises(ValueError, match="several rows"):
        likert.index_trend_chart(frame, threshold=5)
