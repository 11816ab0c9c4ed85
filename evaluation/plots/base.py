"""The one path every figure takes into a report: alt text, caption and its data table.

A chart function in this sub-package returns a :class:`ReportFigure`. In a notebook, displaying it
shows an accessible ``<figure>``: the image embedded as an SVG data URI (no request to another
host; vector, so it is sharp on any screen and in the printed PDF), a meaningful ``alt`` text, a
``<figcaption>``, and the data behind the chart as an HTML table with header cells, so that no
reader depends on colour or on seeing the image.

A :class:`ReportFigure` also keeps the matplotlib figure (:attr:`ReportFigure.figure`) and the
tidy data behind the chart (:attr:`ReportFigure.tidy`, numbers unrounded, hidden values
empty) for evaluators working in Python; in a report, its HTML carries the figure files the
render asked for (:func:`evaluation.html.requested_figure_files`: the SVG and the 300-dpi PNG,
with that data, :class:`evaluation.html.FigureFiles`) for the export pack and the Word document
(:mod:`evaluation.publish`).

A figure is laid out once (:func:`lay_out`, matplotlib's constrained layout, as for the screen at
110 dpi) and keeps that layout for every file made of it (:func:`layout_kept`): saving a figure
otherwise lays it out again and draws it twice, once without output, for every file.

Palettes live here and only here. They are colour-blind safe: the diverging palette is
ColorBrewer's RdBu (Brewer, Harrower and The Pennsylvania State University, colorbrewer2.org),
blue for agreement; the qualitative palette is Okabe and Ito (2008), "Color Universal Design".
"""

from __future__ import annotations

import base64
import contextlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from evaluation.html import FIGURE_FILE_KINDS, FigureFiles, HtmlBlock, render_fragment, requested_figure_files
from evaluation.tables import frame_to_html

# ColorBrewer RdBu, 5 classes (negative -> positive). Blue is agreement.
DIVERGING_5 = ("#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0")
NEUTRAL_GREY = "#bdbdbd"
EDGE_COLOUR = "#333333"
# Okabe–Ito qualitative palette (colour-blind safe), black removed.
QUALITATIVE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# Sequential (ColorBrewer Blues, 5 classes) for heatmaps of counts.
SEQUENTIAL_5 = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
# Goal status: colour plus a text label and a symbol, so colour never carries meaning alone.
# Every colour has a contrast of at least 4.5:1 on white and on the results chain's #f7f7f7
# (WCAG 2.1, 1.4.3 and 1.4.11). "Not enough evidence" is ColorBrewer PRGn's dark purple (7.7:1 on
# white), a half-filled circle, and a dashed border in the results chain (templates/report.css),
# so it differs from "no data" (grey, empty circle, solid) in hue, symbol and pattern.
STATUS_STYLE = {
    "achieved": {"colour": "#1a7f37", "symbol": "✔"},
    "on_track": {"colour": "#0072B2", "symbol": "▲"},
    "at_risk": {"colour": "#b35900", "symbol": "●"},
    "off_track": {"colour": "#b00020", "symbol": "▼"},
    "insufficient_evidence": {"colour": "#7b3294", "symbol": "◐"},
    "no_data": {"colour": "#6e6e6e", "symbol": "○"},
}


SCREEN_DPI = 110
"""Pixels per inch of a figure on screen: the size the HTML gives its image (an 8-inch chart is
880 CSS pixels wide, shrunk to the column on a narrower screen), and the resolution its layout is
computed for."""


def new_figure(width: float = 7.5, height: float = 4.0):
    """Return a fresh ``(figure, axes)`` pair with the report's style, not using pyplot state.

    Figures are made with the object-oriented API (``matplotlib.figure.Figure``) so that no
    global pyplot state leaks between charts or between notebooks in one kernel.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=SCREEN_DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


EXPORT_DPI = 300
"""Resolution of the PNG in the export pack and the Word document (print quality)."""

PNG_COMPRESS_LEVEL = 3
"""zlib level of the PNGs. The pixels are the same at every level; Pillow's default, 6, takes 1.4
times as long to compress the report's charts at 300 dpi, for files a fifth smaller."""


def figure_to_png_base64(fig, *, dpi: float | None = None) -> str:
    """Render a matplotlib figure to a base64-encoded PNG (at the figure's own dpi by default),
    every text as written (:func:`plain_text`).

    The pixels are those of matplotlib's own PNG (``savefig(format="png")``), written without
    the alpha channel when every pixel is opaque (a quarter less to compress) and at
    :data:`PNG_COMPRESS_LEVEL`, with the resolution recorded and no other metadata.
    """
    import numpy as np
    from PIL import Image

    dpi = fig.dpi if dpi is None else dpi
    raw = io.BytesIO()
    sizes = []  # (width, height) of the canvas of each drawing; the last one is saved
    listener = fig.canvas.mpl_connect(
        "draw_event", lambda event: sizes.append((int(event.renderer.width), int(event.renderer.height))))
    try:
        with plain_text(fig):
            fig.savefig(raw, format="rgba", dpi=dpi)
    finally:
        fig.canvas.mpl_disconnect(listener)
    width, height = sizes[-1]  # as matplotlib's own PNG has it (cropped if savefig.bbox is tight)
    pixels = raw.getbuffer()
    if len(pixels) != 4 * width * height:
        raise RuntimeError(f"matplotlib drew {len(pixels)} bytes, not a {width} x {height} RGBA image")
    image = Image.frombuffer("RGBA", (width, height), pixels, "raw", "RGBA", 0, 1)
    if np.frombuffer(pixels, dtype=np.uint8)[3::4].min() == 255:  # every pixel opaque
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=PNG_COMPRESS_LEVEL)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figure_to_svg(fig) -> str:
    """Render a matplotlib figure to SVG text, text as paths, without a date (same figure, same
    bytes), every text as written (:func:`plain_text`).

    Text is drawn as paths (``svg.fonttype: path``), not as ``<text>`` in a font the reader may
    not have: the labels are placed for the metrics of matplotlib's own font, and another font's
    wider letters would run into the axes or off the edge. The indentation matplotlib writes
    between elements is left out (a tenth of the file; whitespace between SVG elements means
    nothing).
    """
    import matplotlib

    buffer = io.StringIO()
    with plain_text(fig), matplotlib.rc_context({"svg.hashsalt": "statens-hus", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return re.sub(r"\n +", "\n", buffer.getvalue())


def lay_out(fig) -> None:
    """Lay ``fig`` out with its layout engine (the constrained layout of :func:`new_figure`), as
    saving it at its own dpi would; a figure without an engine is left as it is.

    Followed by :func:`layout_kept`, every file made of the figure has this one layout.
    """
    engine = fig.get_layout_engine()
    if engine is not None:
        with plain_text(fig):  # the layout measures the texts as they will be drawn
            engine.execute(fig)


@contextlib.contextmanager
def layout_kept(fig):
    """While saving ``fig``: it keeps the layout it has (:func:`lay_out`).

    matplotlib lays a figure with a layout engine out again each time it is saved, and for that
    draws it once without output before drawing it into the file. Without its engine, a save is
    one drawing. The engine is given back afterwards, so the figure lays itself out again when
    it is changed and saved later.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        yield
        return
    import matplotlib

    # None, not "none": "none" keeps a placeholder engine, and with it the drawing without output.
    with matplotlib.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    try:
        yield
    finally:
        fig.set_layout_engine(engine)


@contextlib.contextmanager
def plain_text(fig):
    """While saving ``fig``: every text of it is drawn as written, ``$`` as a dollar sign.

    Labels come from the data (item texts, theme and pilot names), and matplotlib reads the text
    between two ``$`` as mathematics (mathtext): "$5 og $10" would be drawn in italics without
    its dollar signs, and an unbalanced pair or an unknown command fails the chart with a message
    whose first line is empty. This is the one place where text from the data meets matplotlib's
    parser (both savers use it), so no chart escapes its labels itself: the texts the figure has
    are made plain, and so are the tick labels made while it is drawn.
    """
    from matplotlib import rc_context
    from matplotlib.text import Text

    for text in fig.findobj(Text):
        text.set_parse_math(False)
    with rc_context({"text.parse_math": False}):
        yield


def hide_suppressed(tidy: pd.DataFrame, *, values: list[str], suppressed: str = "suppressed") -> pd.DataFrame:
    """The tidy data of a chart as it may leave the report: ``values`` empty where ``suppressed``.

    Parameters
    ----------
    tidy : pandas.DataFrame
        One row per drawn element, with a boolean ``suppressed`` column.
    values : list of str
        Columns holding numbers of the group (counts, shares, means, intervals).
    suppressed : str
        The boolean column.

    Returns
    -------
    pandas.DataFrame
        A copy, the ``values`` of suppressed rows set to missing (``NaN``).

    Examples
    --------
    >>> frame = pd.DataFrame({"wave": [2021, 2022], "n": [3, 40], "suppressed": [True, False]})
    >>> hide_suppressed(frame, values=["n"])["n"].tolist()
    [nan, 40.0]
    """
    out = tidy.copy()
    hidden = out[suppressed].fillna(False).astype(bool).to_numpy()
    for column in values:
        out[column] = out[column].astype(float)
        out.loc[hidden, column] = float("nan")
    out[suppressed] = hidden
    return out


@dataclass(frozen=True)
class ReportFigure:
    """A chart ready for a report.

    Attributes
    ----------
    svg : str
        The image, SVG (:func:`figure_to_svg`), as the report embeds it.
    alt_text : str
        What the chart shows, in words, for a reader who cannot see it (WCAG 1.1.1).
    caption : str
        The caption shown under the image.
    data : pandas.DataFrame
        The numbers behind the chart, already formatted for the reader (column names are the
        table's headers).
    table_caption : str
        Caption of the data table.
    figure : matplotlib.figure.Figure or None
        The chart itself, to restyle or save in another format.
    tidy : pandas.DataFrame or None
        The data behind the chart in tidy form: fixed snake_case columns, numbers at full
        precision, values of suppressed groups missing (:func:`hide_suppressed`).
    size : tuple of int
        ``(width, height)`` of the image on screen in CSS pixels (:data:`SCREEN_DPI`), or
        ``(0, 0)`` if unknown.
    """

    svg: str = field(repr=False)
    alt_text: str
    caption: str
    data: pd.DataFrame = field(repr=False)
    table_caption: str = ""
    figure: object = field(default=None, repr=False, compare=False)
    tidy: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    size: tuple[int, int] = (0, 0)

    @property
    def png_base64(self) -> str:
        """The image as PNG at the figure's own resolution, base64-encoded, made when asked for
        (the report embeds :attr:`svg`); ``""`` without the matplotlib figure."""
        if self.figure is None:
            return ""
        with layout_kept(self.figure):
            return figure_to_png_base64(self.figure)

    def files(self, *, kinds: Iterable[str] = FIGURE_FILE_KINDS, dpi: int = EXPORT_DPI) -> FigureFiles | None:
        """The figure as SVG and PNG at ``dpi`` (those of ``kinds``), with its texts and tidy data
        as CSV.

        Parameters
        ----------
        kinds : iterable of str
            Some of :data:`evaluation.html.FIGURE_FILE_KINDS` (``svg``, ``png``); a file not
            asked for is left empty.
        dpi : int
            Resolution of the PNG.

        Returns
        -------
        evaluation.html.FigureFiles or None
            ``None`` if the figure was made without its matplotlib figure.
        """
        if self.figure is None:
            return None
        kinds = set(kinds)
        png = ""
        if "png" in kinds:
            with layout_kept(self.figure):
                png = figure_to_png_base64(self.figure, dpi=dpi)
        tidy = self.tidy if self.tidy is not None else pd.DataFrame()
        return FigureFiles(alt_text=self.alt_text, caption=self.caption,
                           table_caption=self.table_caption or self.caption,
                           svg=self.svg if "svg" in kinds else "", png_base64=png, dpi=dpi,
                           data_csv=tidy.to_csv(index=False, lineterminator="\n"))

    def to_html(self) -> HtmlBlock:
        """Return the figure and its data table as accessible HTML.

        Returns
        -------
        evaluation.html.HtmlBlock
            ``<figure class="report-figure">`` with the image (the SVG as a data URI, its width
            and height, ``alt`` text) and its ``<figcaption>``, followed by
            ``<details class="figure-data">`` (closed; print opens it) whose ``<summary>`` is the
            table caption and which holds the data table (:func:`evaluation.tables.frame_to_html`).
            Every string is escaped. The block carries the figure's files (:meth:`files`) that
            the render asked for (:func:`evaluation.html.requested_figure_files`) in
            :attr:`~evaluation.html.HtmlBlock.figures`; none if it asked for none.
        """
        return self._html(requested_figure_files())

    def _html(self, kinds: Iterable[str]) -> HtmlBlock:
        """:meth:`to_html` with the figure files of ``kinds``."""
        table_caption = self.table_caption or self.caption
        kinds = tuple(kinds)
        files = self.files(kinds=kinds) if kinds else None
        width, height = self.size
        return render_fragment(
            "figure", svg_base64=base64.b64encode(self.svg.encode("utf-8")).decode("ascii"),
            width=width or None, height=height or None, alt_text=self.alt_text, caption=self.caption,
            table_caption=table_caption, table=frame_to_html(self.data, caption=table_caption),
            figures=() if files is None else (files,),
        )

    def _repr_html_(self) -> str:
        # shown in a notebook as markup alone, which carries no files: make none
        return self._html(()).markup


def make_report_figure(
    fig, *, alt_text: str, caption: str, data: pd.DataFrame, table_caption: str = "",
    tidy: pd.DataFrame | None = None,
) -> ReportFigure:
    """Turn a matplotlib figure into a :class:`ReportFigure`; the only way figures reach reports.

    The figure is laid out once (:func:`lay_out`) and drawn as SVG (:func:`figure_to_svg`);
    other files of it keep that layout (:meth:`ReportFigure.files`).

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The chart.
    alt_text, caption : str
        Alternative text (required) and caption.
    data : pandas.DataFrame
        The data table shown with the chart, formatted for the reader.
    table_caption : str
        Caption of the data table (default: the figure's caption).
    tidy : pandas.DataFrame, optional
        The data behind the chart in tidy form, hidden values already removed
        (:func:`hide_suppressed`); kept as :attr:`ReportFigure.tidy`.

    Raises
    ------
    ValueError
        If ``alt_text`` is empty: every figure needs meaningful alternative text.
    """
    if not alt_text or not alt_text.strip():
        raise ValueError("every report figure needs a meaningful alt_text")
    lay_out(fig)
    with layout_kept(fig):
        svg = figure_to_svg(fig)
    size = tuple(int(inches * fig.dpi) for inches in fig.get_size_inches())
    return ReportFigure(svg, alt_text.strip(), caption, data, table_caption, figure=fig, tidy=tidy, size=size)
