"""The HTML the pipeline writes: an executed notebook exported to a self-contained page, and the
index page.

The page and the index are Jinja2 templates (``evaluation/templates/page.html.j2``,
``toc.html.j2``, ``index.html.j2``) rendered with autoescaping on: every value a template shows
is escaped unless it is HTML already (the exported notebook, wrapped in :class:`markupsafe.Markup`
in one place, :func:`html_page`). The stylesheet is ``report.css``, inlined, so that a page opens
anywhere without other files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from html import unescape
from pathlib import Path

from evaluation.files import atomic_write_text
from evaluation.render.fingerprints import PACKAGE_DIR, read_manifest

TEMPLATE_DIR = PACKAGE_DIR / "templates"
"""The page templates and the stylesheet."""

LANGUAGE_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}
"""Each report language in its own language, for the index."""


# --------------------------------------------------------------------------------------------
# Exporting a notebook
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def html_exporter():
    """The HTML exporter (built once per process: loading its templates takes a while).

    Returns
    -------
    nbconvert.HTMLExporter
        nbconvert's ``basic`` template without inputs and prompts; cells tagged ``remove_cell``
        are left out.
    """
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    # Cells tagged remove_cell speak to evaluators in JupyterLab, not to readers of the report.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove_cell"}), enabled=True)
    return exporter


def notebook_body(notebook) -> str:
    """Export an executed notebook's outputs (no code, no prompts, no stderr) to HTML.

    papermill gives the cell it injects a random id, which nbconvert writes into the page; it
    gets a fixed one, so that the same inputs give the same HTML.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook (changed in place: stderr outputs are dropped).

    Returns
    -------
    str
        The HTML of the notebook's outputs.
    """
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    body, _ = html_exporter().from_notebook_node(notebook)
    return body


# --------------------------------------------------------------------------------------------
# Headings and the table of contents
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    """A heading of a report, for the table of contents.

    Attributes
    ----------
    level : int
        2 for a chapter, 3 for a section.
    anchor : str
        The heading's ``id``.
    text : str
        Its text (plain text: the template escapes it).
    """

    level: int
    anchor: str
    text: str


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


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)
_TAG = re.compile(r"<[^>]+>")


def _plain_text(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, character references resolved."""
    return unescape(_TAG.sub("", fragment))


def headings_from_body(body: str) -> list[Heading]:
    """Every ``<h2>`` and ``<h3>`` with an ``id`` in an exported report, in order.

    Parameters
    ----------
    body : str
        The report's HTML (:func:`notebook_body`).

    Returns
    -------
    list of Heading
    """
    return [Heading(int(level), unescape(anchor), _plain_text(text))
            for level, anchor, text in _HEADING.findall(body)]


def toc_entries(headings: list[Heading]) -> list[TocEntry]:
    """Group headings into chapters (level 2), each with the sections (level 3) that follow it."""
    entries: list[TocEntry] = []
    for heading in headings:
        if heading.level == 2:
            entries.append(TocEntry(heading))
        elif entries:
            entries[-1] = TocEntry(entries[-1].heading, (*entries[-1].sections, heading))
        else:
            entries.append(TocEntry(None, (heading,)))
    return entries


def page_title(body: str, fallback: str) -> str:
    """The text of the report's ``<h1>``, or ``fallback`` if it has none."""
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    return _plain_text(match.group(1)).strip() if match else fallback


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def template_environment():
    """The Jinja2 environment of the page templates, with autoescaping on for every template.

    Returns
    -------
    jinja2.Environment
        Undefined variables raise; templates keep their final newline.
    """
    import jinja2

    return jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                              undefined=jinja2.StrictUndefined, keep_trailing_newline=True)


_TITLE_BLOCK = re.compile(r"</h1>(\s*<p class=\"subtitle\">.*?</p>)?", re.S)


def html_page(body: str, *, lang: str, title: str, toc: bool = True) -> str:
    """Wrap report content in a complete, self-contained, accessible HTML page.

    Parameters
    ----------
    body : str
        The report's HTML (:func:`notebook_body`), trusted as it is.
    lang : str
        The page's language (``<html lang>``).
    title : str
        The page title (plain text).
    toc : bool
        Add a table of contents of the report's chapters and sections, after its title block
        (the ``<h1>`` and its subtitle), or first if it has none.

    Returns
    -------
    str
        The page.
    """
    from markupsafe import Markup

    from evaluation.i18n import t

    lead, rest, contents = Markup(body), Markup(""), None
    if toc:
        contents = {"title": t("toc", lang), "entries": toc_entries(headings_from_body(body))}
        match = _TITLE_BLOCK.search(body)
        split = match.end() if match else 0
        lead, rest = Markup(body[:split]), Markup(body[split:])
    return template_environment().get_template("page.html.j2").render(
        lang=lang, title=title, lead=lead, rest=rest, toc=contents)


# --------------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------------


def _phase_label(phase: str, lang: str) -> str:
    """The phase's name in ``lang``, or its id if the translation table has none."""
    from evaluation.i18n import t, translation_table

    key = f"phase.{phase}"
    return t(key, lang) if key in translation_table() else phase


def _index_row(entry: dict, lang: str) -> dict:
    """One report's row on the index page, from its manifest entry."""
    from evaluation.i18n import t

    return {"href": entry["html"], "hreflang": entry["lang"],
            "label": entry["pilot"].capitalize() if entry["pilot"] else t("index.synthesis", lang),
            "language": LANGUAGE_NAMES.get(entry["lang"], entry["lang"]), "data_version": entry["data_version"],
            "generated": entry["generated"].replace("T", " ").replace("Z", " UTC")}


def write_index(out: Path, *, phases, lang: str = "nb") -> Path:
    """Write ``OUT/index.html`` listing every report in the manifest by phase and pilot.

    Parameters
    ----------
    out : Path
        The output folder (its ``manifest.json`` lists the reports; those whose HTML is
        missing are left out).
    phases : sequence of str
        Phase ids in the programme's order; phases of the manifest that are not among them
        follow, by id.
    lang : {"nb", "en"}
        Language of the page.

    Returns
    -------
    Path
        The index page.
    """
    from evaluation.i18n import t

    by_phase: dict[str, list[dict]] = {}
    for name, entry in sorted(read_manifest(out)["reports"].items()):
        if (out / entry["html"]).exists():
            by_phase.setdefault(entry["phase"], []).append(entry)
    rank = {phase: position for position, phase in enumerate(phases)}
    sections = []
    for phase in sorted(by_phase, key=lambda p: (rank.get(p, len(rank)), p)):
        entries = sorted(by_phase[phase], key=lambda e: (e["pilot"] is None, e["pilot"] or "", e["lang"]))
        sections.append({"id": phase, "label": _phase_label(phase, lang),
                         "rows": [_index_row(entry, lang) for entry in entries]})
    page = template_environment().get_template("index.html.j2").render(
        lang=lang, title=t("index.title", lang), intro=t("index.intro", lang), phases=sections,
        headers=[t("index.report", lang), t("index.language", lang), t("index.data_version", lang),
                 t("index.generated_at", lang)])
    path = out / "index.html"
    atomic_write_text(path, page)
    return path
