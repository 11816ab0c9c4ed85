"""Tests of the theme x stakeholder heatmap (evaluation.plots.heatmap)."""

from __future__ import annotations

import base64

import pandas as pd

from evaluation import interviews as iv


def test_text_colour_picks_the_higher_wcag_contrast():
    from evaluation.plots.heatmap import text_colour_for

    # #08519c: relative luminance ~0.08 -> contrast with white 1.05/0.13 = 8.1, black 2.6
    assert text_colour_for((0x08 / 255, 0x51 / 255, 0x9C / 255)) == "#ffffff"
    # #eff3ff: luminance ~0.89 -> black 18.8, white 1.1
    assert text_colour_for((0xEF / 255, 0xF3 / 255, 0xFF / 255)) == "#000000"


def test_heatmap_has_alt_text_caption_and_data_table_without_suppressed_values():
    from evaluation.plots.heatmap import theme_stakeholder_heatmap

    interviews = pd.DataFrame({
        "interview_id": [f"e{i}" for i in range(6)] + [f"a{i}" for i in range(5)] + ["c0"],
        "stakeholder_group": ["employees"] * 6 + ["agency_management"] * 5 + ["county"],
    })
    segments = pd.DataFrame({
        "segment_id": ["s1", "s2", "s3", "s4"], "interview_id": ["e0", "e1", "a0", "c0"],
        "code": ["x", "x", "x", "y"], "assessment": ["positive"] * 4, "theme": ["T", "T", "T", "U"],
    })
    frequencies = iv.code_frequencies(segments, interviews, level="theme", threshold=5)
    figure = theme_stakeholder_heatmap(frequencies, theme_labels={"T": "Tema T", "U": "Tema U"},
                                       lang="en", place="Stad", threshold=5)
    assert base64.b64decode(figure.png_base64)[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Heatmap" in figure.alt_text and "hidden" in figure.alt_text
    table = figure.data
    assert list(table.iloc[:, 0]) == ["Tema T", "Tema U"]
    # employees: T in e0, e1 -> "2 of 6"; county and (by secondary suppression) agency hidden
    assert "2 of 6" in table.to_numpy().tolist()[0]
    hidden_columns = [c for c in table.columns if c.startswith(("County", "Agency"))]
    assert len(hidden_columns) == 2
    assert (table[hidden_columns] == "–").all().all()
    markup = figure.to_html()
    assert 'alt="' in markup and "<figcaption>" in markup and "<table" in markup
