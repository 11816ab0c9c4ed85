"""The one path every figure takes into a report: alt text, caption and its data table.

A chart function in this sub-package returns a :class:`ReportFigure`. In a notebook, displaying it
shows an accessible ``<figure>``: the image embedded as a PNG data URI (no request to another
host), a meaningful ``alt`` text, a ``<figcaption>``, and the data behind the chart as an HTML
table with header cells, so that no reader depends on colour or on seeing the image.

A :class:`ReportFigure` also keeps the matplotlib figure (:attr:`ReportFigure.figure`) and the
tidy data behind the chart (:attr:`ReportFigure.tidy`, numbers unrounded, hidden values
empty) for evaluators working in Python; in a report, its HTML carries the figure as SVG and as
300-dpi PNG with that data (:class:`evaluation.html.FigureFiles`) for the export pack and the
Word document (:mod:`evaluation.publish`).

Palettes live here and only here. They are colour-blind safe: the diverging palette is
ColorBrewer's RdBu (Brewer, Harrower and The Pennsylvania State University, colorbrewer2.org),
blue for agreement; the qualitative palette is Okabe and Ito (2008), "Color Universal Design".
"""

from __future__ import annotations

import base64
import contextlib
import io
from dataclasses import dataclass, field

import pandas as pd

from evaluation.html import FigureFiles, HtmlBlock, render_fragment
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


def new_figure(width: float = 7.5, height: float = 4.0):
    """Return a fresh ``(figure, axes)`` pair with the report's style, not using pyplot state.

    Figures are made with the object-oriented API (``matplotlib.figure.Figure``) so that no
    global pyplot state leaks between charts or between notebooks in one kernel.
    """
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


EXPORT_DPI = 300
"""Resolution of the PNG in the export pack and the Word document (print quality)."""


def figure_to_png_base64(fig, *, dpi: float | None = None) -> str:
    """Render a matplotlib figure to a base64-encoded PNG (at the figure's own dpi by default),
    every text as written (:func:`plain_text`)."""
    buffer = io.BytesIO()
    with plain_text(fig):
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def figure_to_svg(fig) -> str:
    """Render a matplotlib figure to SVG text, text as paths, without a date (same figure, same
    bytes), every text as written (:func:`plain_text`)."""
    import matplotlib

    buffer = io.StringIO()
    with plain_text(fig), matplotlib.rc_context({"svg.hashsalt": "statens-hus", "svg.fonttype": "path"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


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
    png_base64 : str
        The image, PNG, base64-encoded.
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
    """

    png_base64: str
    alt_text: str
    caption: str
    data: pd.DataFrame = field(repr=False)
    table_caption: str = ""
    figure: object = field(default=None, repr=False, compare=False)
    tidy: pd.DataFrame | None = field(default=None, repr=False, compare=False)

    def files(self, *, dpi: int = EXPORT_DPI) -> FigureFiles | None:
        """The figure as SVG and PNG at ``dpi``, with its texts and tidy data as CSV.

        Returns
        -------
        evaluation.html.FigureFiles or None
            ``None`` if the figure was made without its matplotlib figure.
        """
        if self.figure is None:
            return None
        tidy = self.tidy if self.tidy is not None else pd.DataFrame()
        return FigureFiles(alt_text=self.alt_text, caption=self.caption,
                           table_caption=self.table_caption or self.caption, svg=figure_to_svg(self.figure),
                           png_base64=figure_to_png_base64(self.figure, dpi=dpi), dpi=dpi,
                           data_csv=tidy.to_csv(index=False, lineterminator="\n"))

    def to_html(self) -> HtmlBlock:
        """Return the figure and its data table as accessible HTML.

        Returns
        -------
        evaluation.html.HtmlBlock
            ``<figure class="report-figure">`` with the image (``alt`` text) and its
            ``<figcaption>``, followed by ``<details class="figure-data">`` (closed; print opens it) whose
            ``<summary>`` is the table caption and which holds the data table
            (:func:`evaluation.tables.frame_to_html`). Every string is escaped. The block
            carries the figure's files (:meth:`files`) in :attr:`~evaluation.html.HtmlBlock.figures`.
        """
        table_caption = self.table_caption or self.caption
        files = self.files()
        return render_fragment(
            "figure", png_base64=self.png_base64, alt_text=self.alt_text, caption=self.caption,
            table_caption=table_caption, table=frame_to_html(self.data, caption=table_caption),
            figures=() if files is None else (files,),
        )

    def _repr_html_(self) -> str:
        return self.to_html().markup


def make_report_figure(
    fig, *, alt_text: str, caption: str, data: pd.DataFrame, table_caption: str = "",
    tidy: pd.DataFrame | None = None,
) -> ReportFigure:
    """Turn a matplotlib figure into a :class:`ReportFigure`; the only way figures reach reports.

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
    png = figure_to_png_base64(fig)
    return ReportFigure(png, alt_text.strip(), caption, data, table_caption, figure=fig, tidy=tidy)
