"""The one path into a report for every figure: text from the data is drawn as written, and a
figure is laid out once and made only in the files the render asked for.

matplotlib reads the text between two ``$`` as mathematics (mathtext); a label from the data
such as "Koster $5 og $10" was drawn in italics without its dollar signs, and an unbalanced or
unknown command (``$\\frac{$``, ``$\\x$``) made the whole chart fail with a message whose first
line is empty.
"""

from __future__ import annotations

import base64
import io
import re

import pandas as pd
import pytest

from evaluation.html import FIGURE_FILES_ENV, FIGURES_MIMETYPE
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


# ------------------------------------------------------------------------------ cheaper figures
def _bars():
    fig, ax = new_figure(width=8.0, height=4.2)
    ax.barh(["Samarbeid på tvers av etater", "Fagmiljø"], [3.2, 4.1])
    ax.set_xlabel("Gjennomsnitt")
    return fig


def _report_figure():
    tidy = pd.DataFrame({"item": ["a", "b"], "estimate": [3.2, 4.1], "suppressed": [False, False]})
    return make_report_figure(_bars(), alt_text="Søyler for to indekser", caption="Figur 1",
                              data=pd.DataFrame({"a": [1]}), tidy=tidy)


def test_a_report_figure_is_laid_out_as_saving_it_for_the_screen_would_lay_it_out():
    """One layout pass instead of one per file, with the same result: matplotlib's own savefig
    (at the figure's 110 dpi, which lays the figure out itself) is the independent reference."""
    reference = _bars()
    figure_to_png_base64(reference)
    laid_out = _report_figure().figure
    for ours, theirs in zip(laid_out.axes, reference.axes, strict=True):
        assert ours.get_position().bounds == pytest.approx(theirs.get_position().bounds, abs=1e-5)


def test_every_file_of_a_figure_keeps_its_one_layout(monkeypatch):
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    passes = []
    execute = ConstrainedLayoutEngine.execute
    monkeypatch.setattr(ConstrainedLayoutEngine, "execute", lambda self, fig: passes.append(fig) or execute(self, fig))
    monkeypatch.setenv(FIGURE_FILES_ENV, "svg,png")
    figure = _report_figure()
    figure.to_html()
    assert len(passes) == 1  # matplotlib lays out (and draws once without output) for every savefig
    # the figure keeps its engine: changed and saved later, it lays itself out again
    assert isinstance(figure.figure.get_layout_engine(), ConstrainedLayoutEngine)
    figure_to_png_base64(figure.figure)
    assert len(passes) == 2


def _embedded_svg(markup: str) -> str:
    source = re.search(r'<img src="data:image/svg\+xml;base64,([^"]+)"', markup).group(1)
    return base64.b64decode(source).decode("utf-8")


def test_the_html_embeds_the_svg_with_text_as_paths_at_the_size_of_the_screen_image(monkeypatch):
    monkeypatch.setenv(FIGURE_FILES_ENV, "")
    markup = _report_figure().to_html().markup
    svg = _embedded_svg(markup)
    assert "<text" not in svg and "<path" in svg  # drawn as paths: the same without matplotlib's font
    # 8 x 4.2 inches: 576 x 302.4 pt in the SVG, 880 x 462 CSS pixels at 110 dpi (as the PNG was)
    assert 'width="576pt" height="302.4pt"' in svg
    assert re.search(r' width="880" height="462" alt="Søyler for to indekser" />', markup)


@pytest.mark.parametrize("asked, svg, png", [("", False, False), ("png", False, True), ("svg", True, False),
                                             ("svg,png", True, True), (None, True, True)])
def test_a_figure_carries_only_the_files_the_render_asked_for(monkeypatch, asked, svg, png):
    from PIL import Image

    if asked is None:  # a notebook run by hand: every file
        monkeypatch.delenv(FIGURE_FILES_ENV, raising=False)
    else:
        monkeypatch.setenv(FIGURE_FILES_ENV, asked)
    block = _report_figure().to_html()
    if not (svg or png):
        assert block.figures == ()
        assert FIGURES_MIMETYPE not in block._repr_mimebundle_()[0]
        return
    (files,) = block.figures
    assert files.alt_text == "Søyler for to indekser" and files.data_csv.startswith("item,estimate,suppressed\n")
    assert (files.svg == _embedded_svg(block.markup)) is svg and (files.svg == "") is not svg
    assert bool(files.png_base64) is png
    if png:
        with Image.open(io.BytesIO(base64.b64decode(files.png_base64))) as image:
            assert round(image.info["dpi"][0]) == 300 and image.size == (2400, 1260)  # 8 x 4.2 in at 300 dpi


def test_an_unknown_figure_file_kind_is_refused(monkeypatch):
    monkeypatch.setenv(FIGURE_FILES_ENV, "svg,pdf")
    with pytest.raises(ValueError, match="unknown figure file kind"):
        _report_figure().to_html()


def test_a_figure_shown_in_a_notebook_as_markup_makes_no_file(monkeypatch):
    """Markup alone carries no files (only an HtmlBlock's mimebundle does): nothing to draw for them."""
    from matplotlib.figure import Figure

    monkeypatch.delenv(FIGURE_FILES_ENV, raising=False)  # a notebook run by hand
    figure = _report_figure()
    saves = []
    savefig = Figure.savefig
    monkeypatch.setattr(Figure, "savefig", lambda self, *a, **k: saves.append(k) or savefig(self, *a, **k))
    assert figure._repr_html_() == figure.to_html().markup
    assert len(saves) == 1  # the 300-dpi PNG of to_html; _repr_html_ drew nothing


def _both_pngs(fig, *, dpi):
    """Our PNG and matplotlib's own (savefig), of one layout."""
    from evaluation.plots.base import lay_out, layout_kept

    lay_out(fig)
    reference = io.BytesIO()
    with layout_kept(fig):
        fig.savefig(reference, format="png", dpi=dpi)
        return base64.b64decode(figure_to_png_base64(fig, dpi=dpi)), reference.getvalue()


def _decoded(png: bytes):
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        return image.mode, image.info["dpi"], np.asarray(image.convert("RGBA"))


@pytest.mark.parametrize("height", [4.2, 0.3 * 4 + 0.35 * 4 + 1.6])  # the second is 4.199999999999999 inches
def test_the_png_has_the_pixels_of_matplotlibs_own_png_without_an_alpha_channel_when_opaque(height):
    """matplotlib's savefig(format="png") is the independent reference: the same pixels (and so the
    same size, 1260 rows for both heights), written as RGB since every pixel is opaque."""
    import numpy as np

    fig, ax = new_figure(width=8.0, height=height)
    ax.barh(["Samarbeid på tvers av etater", "Fagmiljø"], [3.2, 4.1])
    ax.text(1, 0, "$5 og $10")
    ours, reference = _both_pngs(fig, dpi=300)
    mode, dpi, pixels = _decoded(ours)
    reference_mode, reference_dpi, reference_pixels = _decoded(reference)
    assert (mode, reference_mode) == ("RGB", "RGBA")
    assert dpi == pytest.approx(reference_dpi) and pixels.shape == (1260, 2400, 4)
    np.testing.assert_array_equal(pixels, reference_pixels)


def test_the_png_is_cropped_as_matplotlibs_own_when_savefig_crops_to_the_drawing():
    import matplotlib
    import numpy as np

    fig, ax = new_figure(width=4.0, height=3.0)
    ax.plot([0, 1], [0, 1])
    with matplotlib.rc_context({"savefig.bbox": "tight"}):
        ours, reference = _both_pngs(fig, dpi=200)
    pixels, reference_pixels = _decoded(ours)[2], _decoded(reference)[2]
    assert pixels.shape != (600, 800, 4)
    np.testing.assert_array_equal(pixels, reference_pixels)


def test_a_png_with_transparent_pixels_keeps_its_alpha_channel():
    import numpy as np

    fig, ax = new_figure(width=3.0, height=2.0)
    fig.patch.set_alpha(0.0)
    ax.plot([0, 1], [0, 1])
    ours, reference = _both_pngs(fig, dpi=110)
    mode, _, pixels = _decoded(ours)
    assert mode == "RGBA" and pixels[0, 0, 3] == 0
    np.testing.assert_array_equal(pixels, _decoded(reference)[2])
