"""The HTML the pipeline writes: an executed notebook exported to a self-contained page, and the
index page.

The page and the index are Jinja2 templates (``evaluation/templates/page.html.j2``,
``toc.html.j2``, ``index.html.j2``) rendered by the reports' one environment,
:func:`evaluation.html.environment`, with autoescaping on: every value a template shows is
escaped unless it is HTML already (the exported notebook, wrapped in :class:`markupsafe.Markup`
in one place, :func:`html_page`). The stylesheet is ``report.css``, inlined, so that a page opens
anywhere without other files.

The table of contents and the page title are built from data, not from the HTML: every heading
a report displays is an :class:`evaluation.html.Heading` in its output's metadata
(:meth:`evaluation.html.HtmlBlock._repr_html_`), which :func:`notebook_headings` collects.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path

from evaluation.files import atomic_write_text
from evaluation.html import Heading, environment, split_title_block, toc_entries
from evaluation.render.fingerprints import read_manifest
from evaluation.render.guard import is_synthetic

LANGUAGE_NAMES = {"nb": "Norsk (bokmål)", "en": "English"}
"""Each report language in its own language, for the index."""

REMOVE_CELL_TAG = "remove_cell"
"""Cells with this tag speak to evaluators in JupyterLab and are left out of the report."""



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
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={REMOVE_CELL_TAG}),
                                   enabled=True)
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


def _output_headings(output) -> list[Heading]:
    """The headings recorded in one output's metadata (``metadata["text/html"]["headings"]``)."""
    if output.get("output_type") not in ("display_data", "execute_result"):
        return []
    recorded = output.get("metadata", {}).get("text/html", {}).get("headings", [])
    return [Heading(int(level), str(anchor), str(text)) for level, anchor, text in recorded]


def notebook_headings(notebook) -> list[Heading]:
    """Every heading that an executed report displays, in the order of its outputs.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The executed notebook. Its displayed :class:`evaluation.html.HtmlBlock` outputs carry
        their headings in the output metadata; cells tagged :data:`REMOVE_CELL_TAG` are left
        out, as they are of the page.

    Returns
    -------
    list of evaluation.html.Heading
        Every level; headings without an anchor are never recorded.
    """
    headings: list[Heading] = []
    for cell in notebook.cells:
        if cell.cell_type != "code" or REMOVE_CELL_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        for output in cell.get("outputs", []):
            headings.extend(_output_headings(output))
    return headings


def page_title(headings: Sequence[Heading], fallback: str) -> str:
    """The text of the report's first level-1 heading, or ``fallback`` if it has none."""
    for heading in headings:
        if heading.level == 1:
            return heading.text.strip()
    return fallback


# --------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------


def html_page(body: str, *, lang: str, title: str, headings: Sequence[Heading] | None = None) -> str:
    """Wrap report content in a complete, self-contained, accessible HTML page.

    Parameters
    ----------
    body : str
        The report's HTML (:func:`notebook_body`), trusted as it is.
    lang : str
        The page's language (``<html lang>``).
    title : str
        The page title (plain text).
    headings : sequence of Heading, optional
        The report's headings (:func:`notebook_headings`). Given, the page has a table of
        contents of its chapters and sections (:func:`toc_entries`), after its title block (the
        ``<h1>`` and its subtitle), or first if it has none; ``None`` gives a page without one.

    Returns
    -------
    str
        The page.
    """
    from markupsafe import Markup

    from evaluation.i18n import t

    lead, rest, contents = Markup(body), Markup(""), None
    if headings is not None:
        contents = {"title": t("toc", lang), "entries": toc_entries(headings)}
        lead, rest = (Markup(part) for part in split_title_block(body))
    return environment().get_template("page.html.j2").render(
        lang=lang, title=title, lead=lead, rest=rest, toc=contents)


# --------------------------------------------------------------------------------------------
# The index
# --------------------------------------------------------------------------------------------


def _phase_label(phase: str, lang: str, names: Mapping[str, Mapping[str, str]]) -> str:
    """The phase's name in ``lang`` from the programme (``names``), else from the translation
    table, else its id (a phase of an old manifest that the programme no longer has)."""
    from evaluation.i18n import t, translation_table

    if lang in names.get(phase, {}):
        return names[phase][lang]
    key = f"phase.{phase}"
    return t(key, lang) if key in translation_table() else phase


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _index_row(entry: dict, lang: str, out: Path) -> dict:
    """One report's row on the index page, from its manifest entry: the report, and its PDF and
    Word document where they are in ``out``."""
    from evaluation.i18n import t

    files = entry.get("files") or {}
    formats = [{"href": files[name], "label": t(key, lang), "type": kind}
               for name, key, kind in (("pdf", "publish.index.pdf", "application/pdf"),
                                       ("docx", "publish.index.docx", DOCX_TYPE))
               if name in files and (out / files[name]).exists()]
    return {"href": entry["html"], "hreflang": entry["lang"], "formats": formats,
            "label": entry["pilot"].capitalize() if entry["pilot"] else t("index.synthesis", lang),
            "language": LANGUAGE_NAMES.get(entry["lang"], entry["lang"]), "data_version": entry["data_version"],
            "generated": entry["generated"].replace("T", " ").replace("Z", " UTC")}


def write_index(out: Path, *, phases, phase_names: Mapping[str, Mapping[str, str]] | None = None,
                lang: str = "nb") -> Path:
    """Write ``OUT/index.html`` listing every report in the manifest by phase and pilot.

    When the manifest records that the reports were made from synthetic data
    (:func:`~evaluation.render.guard.is_synthetic`), a banner under the title says so.

    Parameters
    ----------
    out : Path
        The output folder (its ``manifest.json`` lists the reports; those whose HTML is
        missing are left out).
    phases : sequence of str
        Phase ids in the programme's order; phases of the manifest that are not among them
        follow, by id.
    phase_names : mapping, optional
        Phase id to ``{lang: name}``, as :meth:`evaluation.contract.Programme.phase_name` gives
        them (:class:`~evaluation.render.run.CheckedData` carries them); a phase without a name
        here is named by the translation table.
    lang : {"nb", "en"}
        Language of the page.

    Returns
    -------
    Path
        The index page.
    """
    from evaluation.i18n import t

    manifest = read_manifest(out)
    by_phase: dict[str, list[dict]] = {}
    for _name, entry in sorted(manifest["reports"].items()):
        if (out / entry["html"]).exists():
            by_phase.setdefault(entry["phase"], []).append(entry)
    rank = {phase: position for position, phase in enumerate(phases)}
    sections = []
    for phase in sorted(by_phase, key=lambda p: (rank.get(p, len(rank)), p)):
        entries = sorted(by_phase[phase], key=lambda e: (e["pilot"] is None, e["pilot"] or "", e["lang"]))
        sections.append({"id": phase, "label": _phase_label(phase, lang, phase_names or {}),
                         "rows": [_index_row(entry, lang, out) for entry in entries]})
    page = environment().get_template("index.html.j2").render(
        lang=lang, title=t("index.title", lang), intro=t("index.intro", lang), phases=sections,
        banner=t("demo_banner", lang) if is_synthetic(manifest) else "",
        headers=[t("index.report", lang), t("index.language", lang), t("index.data_version", lang),
                 t("index.generated_at", lang), t("publish.index.formats", lang)])
    path = out / "index.html"
    atomic_write_text(path, page)
    return path
