"""HTML fragments of the reports, rendered by one Jinja2 environment with autoescaping.

Every piece of a report that the package writes as HTML -- a heading, a paragraph, a list, a
quote, a table (:func:`evaluation.tables.frame_to_html`), a figure
(:meth:`evaluation.plots.base.ReportFigure.to_html`), a results chain
(:func:`evaluation.report.results_chain.results_chain_html`) -- is a macro in
``templates/fragments.html.j2`` rendered here. The result is an :class:`HtmlBlock`, the one type
of trusted markup; anything else that reaches a template or :func:`join` is text and is escaped,
so a string from the data (an agency name, a quote, a caption) cannot become markup by someone
forgetting to escape it.

A heading made by :func:`heading` is also recorded as data (:class:`Heading`) on the block that
holds it; :func:`join` concatenates them, and a block displayed in a notebook hands them to the
page builder in its output metadata, so the table of contents is built from data instead of
being scraped back out of the HTML.

Text is escaped by Jinja2's own rule (:func:`markupsafe.escape`: ``&``, ``<``, ``>``, ``"`` and
``'``); nothing in the package escapes by hand.

Examples
--------
>>> from evaluation import html
>>> block = html.join(html.heading("Mål & resultater", key="goals"),
...                   html.paragraph("<b> er ikke fet"))
>>> str(block)
'<h3 id="goals">Mål &amp; resultater</h3><p>&lt;b&gt; er ikke fet</p>'
>>> block.headings
(Heading(level=3, anchor='goals', text='Mål & resultater'),)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from markupsafe import Markup, escape

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
"""Templates and the stylesheet of the reports."""

FRAGMENTS = "fragments.html.j2"
"""The template file holding the fragment macros."""


@dataclass(frozen=True)
class Heading:
    """A heading of a report, as data for the table of contents.

    Attributes
    ----------
    level : int
        1 to 6 (``<h1>`` … ``<h6>``).
    anchor : str
        The ``id`` of the heading element, the target of a link to it.
    text : str
        The heading as the reader sees it (plain text, not escaped).
    """

    level: int
    anchor: str
    text: str


@dataclass(frozen=True)
class FigureFiles:
    """A figure of a report as the export pack and the Word document take it.

    Carried by the :class:`HtmlBlock` that shows the figure (:attr:`HtmlBlock.figures`), and
    from a report kernel to the render pipeline as the output's
    :data:`FIGURES_MIMETYPE` data (:meth:`to_json`), so that nothing is re-drawn outside the
    kernel.

    A kernel makes only the files the render asked for (:data:`FIGURE_FILES_ENV`); a file not
    made is the empty string.

    Attributes
    ----------
    alt_text, caption, table_caption : str
        As in the report.
    svg : str
        The figure as SVG (text drawn as paths, so it looks the same everywhere), or ``""``.
    png_base64 : str
        The figure as PNG at :attr:`dpi`, base64-encoded, or ``""``.
    dpi : int
        Resolution of the PNG.
    data_csv : str
        The tidy data behind the chart as CSV (numbers at full precision, hidden values empty).
    """

    alt_text: str
    caption: str
    table_caption: str
    svg: str = field(repr=False)
    png_base64: str = field(repr=False)
    dpi: int
    data_csv: str = field(repr=False)

    def to_json(self) -> dict:
        """The fields as a JSON-ready dict."""
        return {name: getattr(self, name) for name in self.__dataclass_fields__}

    @classmethod
    def from_json(cls, record: dict) -> FigureFiles:
        """The inverse of :meth:`to_json`."""
        return cls(**{name: record[name] for name in cls.__dataclass_fields__})


FIGURES_MIMETYPE = "application/vnd.statens-hus.figures+json"
"""The output data key under which a displayed block hands its figures to the render pipeline
(a list of :meth:`FigureFiles.to_json`); nbconvert shows the ``text/html`` beside it."""

FIGURE_FILE_KINDS = ("svg", "png")
"""The files a figure can carry beside the HTML (:class:`FigureFiles`): its SVG and its PNG at
print resolution."""

FIGURE_FILES_ENV = "EVALUATION_FIGURE_FILES"
"""The environment variable by which the render tells a report kernel which of
:data:`FIGURE_FILE_KINDS` its figures must carry, comma-separated (empty: none, as for an
HTML-only render). A kernel started without it (a notebook run by hand) makes them all."""


def requested_figure_files(environ=None) -> tuple[str, ...]:
    """The kinds of figure files this kernel makes (:data:`FIGURE_FILES_ENV`).

    Parameters
    ----------
    environ : mapping, optional
        The environment to read (default: ``os.environ``).

    Returns
    -------
    tuple of str
        Some of :data:`FIGURE_FILE_KINDS`, in their order; all of them if the variable is unset.

    Raises
    ------
    ValueError
        If the variable names a kind that does not exist.

    Examples
    --------
    >>> requested_figure_files({})
    ('svg', 'png')
    >>> requested_figure_files({"EVALUATION_FIGURE_FILES": "png"})
    ('png',)
    >>> requested_figure_files({"EVALUATION_FIGURE_FILES": ""})
    ()
    """
    import os

    value = (os.environ if environ is None else environ).get(FIGURE_FILES_ENV)
    if value is None:
        return FIGURE_FILE_KINDS
    kinds = {kind.strip() for kind in value.split(",") if kind.strip()}
    unknown = sorted(kinds - set(FIGURE_FILE_KINDS))
    if unknown:
        raise ValueError(f"{FIGURE_FILES_ENV} names unknown figure file kind(s) {', '.join(unknown)}; "
                         f"expected some of {', '.join(FIGURE_FILE_KINDS)}")
    return tuple(kind for kind in FIGURE_FILE_KINDS if kind in kinds)

TOC_LEVELS = (2, 3)
"""Heading levels in the table of contents: chapters (``<h2>``) and their sections (``<h3>``)."""


@dataclass(frozen=True)
class TocEntry:
    """A chapter in the table of contents, with its sections.

    Attributes
    ----------
    heading : Heading or None
        The chapter's heading (``None`` for sections that come before any chapter).
    sections : tuple of Heading
        Its sections, in order.
    """

    heading: Heading | None
    sections: tuple[Heading, ...] = ()


def toc_entries(headings: Iterable[Heading]) -> list[TocEntry]:
    """Group headings into chapters (level 2), each with the sections (level 3) that follow it.

    Headings of other levels (the title, headings inside a section) are left out.
    """
    entries: list[TocEntry] = []
    for heading in headings:
        if heading.level not in TOC_LEVELS:
            continue
        if heading.level == 2:
            entries.append(TocEntry(heading))
        elif entries:
            entries[-1] = TocEntry(entries[-1].heading, (*entries[-1].sections, heading))
        else:
            entries.append(TocEntry(None, (heading,)))
    return entries


_TITLE_BLOCK = re.compile(r"</h1>(?:\s*<p class=\"(?:subtitle|demo-banner)\">.*?</p>"
                          r"|\s*<dl class=\"front-matter\">.*?</dl>)*", re.S)
"""The title block: the ``<h1>`` and the paragraphs that belong to it (subtitle, demo banner)."""


def split_title_block(body: str) -> tuple[str, str]:
    """Split a report's HTML after its title block (the ``<h1>``, subtitle and demo banner).

    Returns
    -------
    tuple of str
        ``(lead, rest)``: the HTML up to and including the title block, and the chapters after
        it; ``lead`` is empty if the report has no ``<h1>``.
    """
    match = _TITLE_BLOCK.search(body)
    split = match.end() if match else 0
    return body[:split], body[split:]


class HtmlBlock(str):
    """Trusted HTML: a fragment of a report, and the headings it contains.

    An :class:`HtmlBlock` is markup that this module made by rendering a template. It follows
    markupsafe's ``__html__`` protocol, so Jinja2 templates, :class:`markupsafe.Markup` and
    :func:`join` insert it as it is, while a plain ``str`` put in the same places is escaped.

    Parameters
    ----------
    text : str or object with ``__html__``
        Text, escaped like any other text: ``HtmlBlock("<b>")`` is ``&lt;b&gt;``. Trusted markup
        (another block, :class:`markupsafe.Markup`) is kept as it is, and a block keeps its
        headings. There is no public way to trust a hand-made string: markup comes from
        :func:`render_fragment` and the fragment functions, and is combined with :func:`join`.

    Notes
    -----
    ``+`` combines like :func:`join`: ``block + other`` and ``other + block`` are blocks whose
    headings are those of both sides, with a plain ``str`` side escaped (as
    :class:`markupsafe.Markup` does). Other ``str`` methods (``"".join``, ``replace``, slicing)
    give a plain ``str``, which is untrusted and escaped wherever it goes next.

    Displayed in a notebook, a block with headings returns them as output metadata:
    ``_repr_html_`` gives ``(markup, {"headings": [[level, anchor, text], ...]})``, which
    IPython stores as ``output.metadata["text/html"]["headings"]``.
    """

    def __new__(cls, text: object = "") -> HtmlBlock:
        if isinstance(text, HtmlBlock):
            return cls._trusted(text.markup, text.headings, text.figures)
        return cls._trusted(escape(text), ())

    @classmethod
    def _trusted(cls, markup: str, headings: Iterable[Heading] = (),
                 figures: Iterable[FigureFiles] = ()) -> HtmlBlock:
        """A block of ``markup`` as it is; for this module's templates only."""
        block = super().__new__(cls, markup)
        block._headings = tuple(headings)
        block._figures = tuple(figures)
        return block

    @property
    def headings(self) -> tuple[Heading, ...]:
        """The headings in this block, in document order."""
        return self._headings

    @property
    def figures(self) -> tuple[FigureFiles, ...]:
        """The figures in this block (their files for the export pack), in document order."""
        return self._figures

    @property
    def markup(self) -> str:
        """The HTML as a plain ``str``."""
        return str.__str__(self)

    def __html__(self) -> str:
        return self.markup

    def __add__(self, other: object) -> HtmlBlock:
        if not isinstance(other, str) and not hasattr(other, "__html__"):
            return NotImplemented
        return join(self, other)

    def __radd__(self, other: object) -> HtmlBlock:
        if not isinstance(other, str) and not hasattr(other, "__html__"):
            return NotImplemented
        return join(other, self)

    def __reduce__(self):
        # copy and pickle rebuild the block as trusted markup instead of escaping it again
        return HtmlBlock._trusted, (self.markup, self._headings, self._figures)

    def __repr__(self) -> str:
        return f"<HtmlBlock {self.markup!r} headings={self._headings!r}>"

    def _repr_html_(self) -> str | tuple[str, dict]:
        if not self._headings:
            return self.markup
        return self.markup, {"headings": [[h.level, h.anchor, h.text] for h in self._headings]}

    def _repr_mimebundle_(self, include=None, exclude=None) -> tuple[dict, dict]:
        """The block for IPython: ``text/html`` with its headings as metadata (as
        :meth:`_repr_html_`) and, if it shows figures, their files as :data:`FIGURES_MIMETYPE`."""
        data: dict = {"text/html": self.markup}
        metadata: dict = {}
        if self._headings:
            metadata["text/html"] = {"headings": [[h.level, h.anchor, h.text] for h in self._headings]}
        if self._figures:
            data[FIGURES_MIMETYPE] = [figure.to_json() for figure in self._figures]
        return data, metadata


@cache
def environment():
    """The Jinja2 environment of the reports (built once).

    It renders the fragments here and the pages of :mod:`evaluation.render.page` (the report page,
    its table of contents and the index), so there is one escaping configuration. Autoescaping is
    on for every template; an undefined variable is an error (``StrictUndefined``); block tags
    leave no blank lines behind; a page keeps its final newline.
    """
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_fragment(macro: str, /, *, headings: Iterable[Heading] = (), figures: Iterable[FigureFiles] = (),
                    **arguments) -> HtmlBlock:
    """Render one macro of ``fragments.html.j2`` into an :class:`HtmlBlock`.

    Parameters
    ----------
    macro : str
        Name of the macro.
    headings : iterable of Heading
        Headings that the fragment contains (for the table of contents).
    figures : iterable of FigureFiles
        Figures that the fragment shows (for the export pack and the Word document).
    **arguments
        The macro's arguments, passed by keyword. Text is escaped by the template.
    """
    module = environment().get_template(FRAGMENTS).module
    return HtmlBlock._trusted(getattr(module, macro)(**arguments), headings, figures)


def anchor_id(key: str) -> str:
    """An anchor id from a section key: lower case, ``a-z0-9-`` only."""
    return re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def heading(text: str, *, key: str | None, level: int = 3) -> HtmlBlock:
    """A heading with a stable anchor id, recorded for the table of contents.

    Parameters
    ----------
    text : str
        The heading as the reader sees it (escaped here).
    key : str or None
        A language-independent name of the section (for example its translation key); the id is
        :func:`anchor_id` of ``key``, so links work in both languages. ``None`` gives a heading
        without an id, which the table of contents leaves out.
    level : int
        Heading level, 1 to 6 (2 for chapters, 3 for sections of a chapter).

    Returns
    -------
    HtmlBlock
        ``<hN id="anchor">text</hN>``, with the heading in :attr:`HtmlBlock.headings`.
    """
    if not 1 <= level <= 6:
        raise ValueError(f"heading level must be 1 to 6, not {level!r}")
    anchor = None if key is None else anchor_id(key)
    headings = () if anchor is None else (Heading(level, anchor, str(text)),)
    return render_fragment("heading", text=text, anchor=anchor, level=level, headings=headings)


def paragraph(text: str, *, css_class: str | None = None) -> HtmlBlock:
    """A paragraph of text: ``<p>text</p>``, or ``<p class="css_class">`` when a class is given."""
    return render_fragment("paragraph", text=text, css_class=css_class)


def note(text: str) -> HtmlBlock:
    """A note under a table or figure, in smaller muted type: ``<p class="note">text</p>``."""
    return paragraph(text, css_class="note")


def bullet_list(items: Iterable[object]) -> HtmlBlock:
    """An unordered list, ``<ul><li>item</li>…</ul>``; each item is converted with ``str``."""
    return render_fragment("bullet_list", items=list(items))


def definition_list(entries: Iterable[tuple[str, str, str | None]], *,
                    css_class: str | None = None) -> HtmlBlock:
    """A definition list of terms and their explanations.

    Parameters
    ----------
    entries : iterable of (term, definition, anchor)
        In the order they are shown. ``anchor`` is the ``id`` of the term's ``<dt>`` (so another
        part of the report can link to it), or ``None``.
    css_class : str, optional
        Class of the ``<dl>`` element.

    Returns
    -------
    HtmlBlock
        ``<dl><dt id="anchor">term</dt><dd>definition</dd>…</dl>``, every text escaped.

    Examples
    --------
    >>> str(definition_list([("p-verdi", "Sannsynligheten for <x>", "p")]))
    '<dl><dt id="p">p-verdi</dt><dd>Sannsynligheten for &lt;x&gt;</dd></dl>'
    """
    rows = [{"term": term, "definition": definition, "anchor": anchor}
            for term, definition, anchor in entries]
    return render_fragment("definition_list", entries=rows, css_class=css_class)


def quote(text: str, *, attribution: str) -> HtmlBlock:
    """A quotation with its source.

    Returns
    -------
    HtmlBlock
        ``<figure class="quote"><blockquote><p>text</p></blockquote>``
        ``<figcaption>attribution</figcaption></figure>``.
    """
    return render_fragment("quote", text=text, attribution=attribution)


def join(*parts: HtmlBlock | Markup | str) -> HtmlBlock:
    """Concatenate fragments into one block, keeping their headings in order.

    Parameters
    ----------
    *parts : HtmlBlock, markupsafe.Markup or str
        Trusted markup is inserted as it is; a plain ``str`` is text and is escaped.

    Returns
    -------
    HtmlBlock
        The parts one after the other, with the headings and figures of every
        :class:`HtmlBlock` part.

    Raises
    ------
    TypeError
        If a part is neither markup nor a string.
    """
    markup, headings, figures = [], [], []
    for part in parts:
        if not isinstance(part, str) and not hasattr(part, "__html__"):
            raise TypeError(f"join takes HtmlBlock, Markup or str parts, not {type(part).__name__}")
        markup.append(escape(part))
        if isinstance(part, HtmlBlock):
            headings.extend(part.headings)
            figures.extend(part.figures)
    return HtmlBlock._trusted("".join(markup), headings, figures)


__all__ = [
    "FIGURES_MIMETYPE", "FIGURE_FILES_ENV", "FIGURE_FILE_KINDS", "FRAGMENTS", "TOC_LEVELS", "FigureFiles", "Heading",
    "HtmlBlock", "TEMPLATE_DIR", "TocEntry",
    "anchor_id", "bullet_list", "definition_list", "environment", "escape", "heading", "join", "note", "paragraph",
    "quote", "render_fragment", "requested_figure_files", "split_title_block", "toc_entries",
]
