"""The evaluators' text in a report: one section of a narrative, rendered safely.

A narrative (:mod:`evaluation.contract.narratives`) holds Markdown per section. Here a section
becomes an :class:`~evaluation.html.HtmlBlock` without ever passing markup through: the Markdown
is parsed by markdown-it-py into a syntax tree, the tree is turned into plain nodes (a tag from
the list below, or text), and the ``narrative`` macro of ``fragments.html.j2`` writes them with
Jinja2's autoescaping, so text from the file is always text.

What a section may hold, and how it is shown:

* paragraphs, bullet and numbered lists, emphasis, block quotes, code, line breaks, rules;
* headings (``###`` and deeper), moved down so that they sit below the report's own heading of
  the section (``heading_level``); they carry no anchor and stay out of the table of contents;
* links, as their text followed by the address in parentheses, not clickable: the ministry
  reads the reports offline and on paper, and a report never sends a reader elsewhere;
* raw HTML and images are refused when the data are validated; were one to get this far, it
  would be shown as text (HTML) or by its description (image), never as markup.

The section sits in ``<div class="narrative" lang="…">`` with the language it is written in, so
that a screen reader reads a bokmål text in an English report as bokmål (WCAG 2.1, 3.1.2).
"""

from __future__ import annotations

from evaluation import html
from evaluation.contract.narratives import SYNTHESIS, Narrative, markdown_parser, section_heading
from evaluation.html import HtmlBlock
from evaluation.report.context import ReportContext

ELEMENTS = {"paragraph": "p", "bullet_list": "ul", "ordered_list": "ol", "list_item": "li",
            "blockquote": "blockquote", "em": "em", "strong": "strong"}
"""Markdown node types shown as an element with children, and the element."""


def _text(text: str) -> dict:
    return {"tag": None, "text": text, "children": None, "start": None}


def _element(tag: str, children: list[dict] | None = None, start: int | None = None) -> dict:
    return {"tag": tag, "text": None, "children": children, "start": start}


def _plain(node) -> str:
    """The text of a node and its descendants, without markup."""
    if node.type in ("text", "code_inline"):
        return node.content
    return "".join(_plain(child) for child in node.children)


def _nodes(node, heading_level: int) -> list[dict]:
    """The nodes of a syntax-tree node's children."""
    return [part for child in node.children for part in _node(child, heading_level)]


def _node(node, heading_level: int) -> list[dict]:
    """One markdown-it syntax-tree node as nodes of the ``narrative`` macro."""
    kind = node.type
    if kind in ("text", "html_inline", "html_block"):  # HTML only if validation was bypassed: as text
        return [_text(node.content)]
    if kind == "softbreak":
        return [_text("\n")]
    if kind == "hardbreak":
        return [_element("br")]
    if kind == "hr":
        return [_element("hr")]
    if kind == "code_inline":
        return [_element("code", [_text(node.content)])]
    if kind in ("code_block", "fence"):
        return [_element("pre", [_element("code", [_text(node.content)])])]
    if kind == "image":  # refused by validation; its description at most
        return [_text(f"[{_plain(node)}]")]
    if kind == "heading":
        level = min(6, heading_level + int(node.tag[1:]) - 3)
        return [_element(f"h{level}", _nodes(node, heading_level))]
    if kind == "link":
        address = markdown_parser().normalizeLinkText(str(node.attrs.get("href", "")))
        children = _nodes(node, heading_level)
        if _plain(node) in (address, address.removeprefix("mailto:")):
            return children
        return [*children, _text(f" ({address})")]
    if kind == "paragraph" and node.hidden:  # a tight list's item: no <p>
        return _nodes(node, heading_level)
    if kind in ELEMENTS:
        start = node.attrs.get("start") if kind == "ordered_list" else None
        return [_element(ELEMENTS[kind], _nodes(node, heading_level), None if start in (None, 1) else int(start))]
    return _nodes(node, heading_level)


def markdown_html(source: str, *, lang: str, heading_level: int) -> HtmlBlock:
    """Render Markdown from a narrative as trusted HTML, safely.

    Parameters
    ----------
    source : str
        The Markdown (one section of a narrative).
    lang : {"nb", "en"}
        The language the text is written in (the ``lang`` of the enclosing ``<div>``).
    heading_level : int
        The level a ``###`` heading in the section gets (``####`` one more, and so on, at most 6):
        one below the report's heading of the section.

    Returns
    -------
    HtmlBlock
        ``<div class="narrative" lang="…">`` with the section's elements.

    Examples
    --------
    >>> print(markdown_html("Se [DFØ](https://dfo.no), *merk* <b>!", lang="nb", heading_level=4))
    <div class="narrative" lang="nb"><p>Se DFØ (https://dfo.no), <em>merk</em> &lt;b&gt;!</p></div>
    """
    from markdown_it.tree import SyntaxTreeNode

    if not 1 <= heading_level <= 6:
        raise ValueError(f"heading_level must be 1 to 6, not {heading_level!r}")
    tree = SyntaxTreeNode(markdown_parser().parse(source))
    return html.render_fragment("narrative", nodes=_nodes(tree, heading_level), lang=lang)


def narrative_section(ctx: ReportContext, key: str, *, heading_level: int = 4,
                      subject: str | None = None) -> HtmlBlock | None:
    """One section of the evaluators' narrative of the report, rendered.

    Parameters
    ----------
    ctx : ReportContext
        The report: its pilot (or the synthesis), phase and language choose the narrative
        (:meth:`ReportContext.narrative`, an English report falling back to bokmål).
    key : str
        The section: ``summary``, ``background``, ``assessments``, ``conclusions``,
        ``recommendations`` or a sub-goal id (pilot); ``summary``, ``what_worked``, ``lessons``,
        ``conclusions``, ``recommendations`` (synthesis).
    heading_level : int
        The level a ``###`` heading inside the section gets: one below the report heading the
        section is placed under (4 under a ``<h3>``).
    subject : str, optional
        Another narrative of the phase: a pilot id, or ``"synthesis"``.

    Returns
    -------
    HtmlBlock or None
        The section (:func:`markdown_html`), or ``None`` when there is no narrative or it has no
        such section (an optional section left out).

    Examples
    --------
    >>> from evaluation.report import open_report
    >>> ctx = open_report(pilot="stad", phase="final", lang="en")
    >>> narrative_section(ctx, "conclusions").startswith('<div class="narrative" lang="en"><p>')
    True
    """
    narrative = ctx.narrative(subject)
    if narrative is None or key not in narrative.sections:
        return None
    return markdown_html(narrative.sections[key], lang=narrative.lang, heading_level=heading_level)


def narrative_language_note(ctx: ReportContext, *, subject: str | None = None) -> HtmlBlock | None:
    """A note that the evaluators' text is in bokmål only, when an English report falls back to it.

    Returns
    -------
    HtmlBlock or None
        ``<p class="note">`` in the report's language, or ``None`` when the narrative is in the
        report's language (or there is none).
    """
    narrative: Narrative | None = ctx.narrative(subject)
    if narrative is None or narrative.lang == ctx.lang:
        return None
    return html.note(ctx.t("assessment.bokmal_only"))


def narrative_heading(ctx: ReportContext, key: str, *, subject: str | None = None) -> str:
    """The heading of a narrative section in the report's language (``Konklusjoner``,
    ``Sub-goal stad-d1``), as the narrative format names it."""
    subject = subject or (SYNTHESIS if ctx.pilot is None else ctx.pilot)
    return section_heading(SYNTHESIS if subject == SYNTHESIS else "pilot", key, ctx.lang)


__all__ = ["markdown_html", "narrative_heading", "narrative_language_note", "narrative_section"]
