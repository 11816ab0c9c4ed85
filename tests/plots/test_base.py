"""The one path into a report for every figure: text from the data is drawn as written.

matplotlib reads the text between two ``$`` as mathematics (mathtext); a label from the data
such as "Koster $5 og $10" was drawn in italics without its dollar signs, and an unbalanced or
unknown command (``$\\frac{$``, ``$\\x$``) made the whole chart fail with a message whose first
line is empty.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.plots.base import figure_to_png_base64, make_report_figure, new_figure


@pytest.mark.parametrize("label", [r"$\frac{$", r"$\x$", "$^$", "$_$"])
def test_a_label_that_is_not_valid_mathtext_is_drawn(label):
    fig, ax = new_figure()
    ax.barh([label, "b"], [1, 2])  # a category label becomes a tick label when the chart is drawn
    ax.set_title(label)
    figure = make_report_figure(fig, alt_text="x", caption=label, data=pd.DataFrame({"a": [1]}))
    assert figure.png_base64


def test_dollar_signs_are_drawn_as_dollar_signs():
    """Three characters ``$a$`` are wider than the one italic letter mathtext would make of them."""
    fig, ax = new_figure()
    dollars = ax.text(0.1, 0.5, "$a$")
    letter = ax.text(0.1, 0.2, "a")
    figure_to_png_base64(fig)  # makes every text plain
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(fig).get_renderer()
    assert dollars.get_window_extent(renderer).width > 2.5 * letter.get_window_extent(renderer).width
