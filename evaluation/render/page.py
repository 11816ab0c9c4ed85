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


MISSING_ALT_TEXT = "No description has been provided for this image"
"""The alternative text nbconvert gives an image that has none (our figures always have one)."""


@lru_cache(maxsize=1)
def html_exporter():
    """The HTML exporter (built once per process: loading its templates takes a while).

    Returns
    -------
    nbconvert.HTMLExporter
        nbconvert's ``basic`` template without inputs and prompts; cells tagged ``remove_cell``
        are left out. It gives the page nbconvert's own ``HTMLExporter`` gives, but not
        re-serialised (see :func:`_outputs_exporter_class`).
    """
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = _outputs_exporter_class()(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                         exclude_output_prompt=True)
    # Cells tagged remove_cell speak to evaluators in JupyterLab, not to readers of the report.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={REMOVE_CELL_TAG}),
                                   enabled=True)
    return exporter


@lru_cache(maxsize=1)
def _outputs_exporter_class():
    """nbconvert's ``HTMLExporter`` without its last pass, which parses the whole page with
    BeautifulSoup to give images without alternative text one and to make the JupyterLab
    templates' cells focusable, then writes the page out again (attributes sorted).

    That pass took about 0.3 s per report, 15 times the template itself. For the ``basic``
    template it adds nothing but the alternative text (it has no JupyterLab cells), which a
    regular expression adds here; the page has the same elements, attributes and text (tested
    against nbconvert's own exporter).
    """
    import re

    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    missing_alt = re.compile(r"<img(?![^>]*\salt=)", re.IGNORECASE)

    class OutputsHTMLExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            # As HTMLExporter.from_notebook_node (nbconvert 7), up to its BeautifulSoup pass.
            language = nb.metadata.get("language_info", {})
            lexer = language.get("pygments_lexer", language.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return missing_alt.sub(f'<img alt="{MISSING_ALT_TEXT}"', html), resources

    return OutputsHTMLExporter


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


def _when(stamp: str) -> str:
    """A manifest time (``2026-01-02T03:04:05Z``) as the index shows it."""
    return stamp.replace("T", " ").replace("Z", " UTC")


DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _index_row(entry: dict, lang: str, *, names: Mapping[str, str], stale: bool, out: Path) -> dict:
    """One report's row on the index page, from its manifest entry: the report, its PDF and Word
    document where they are in ``out``, and its status.

    A report whose last run failed links to the last good version when there is one, and says
    when it failed and when that version was made.
    """
    from evaluation.i18n import format_date, t

    files = entry.get("files") or {}
    formats = [{"href": files[name], "label": t(key, lang), "type": kind}
               for name, key, kind in (("pdf", "publish.index.pdf", "application/pdf"),
                                       ("docx", "publish.index.docx", DOCX_TYPE))
               if name in files and (out / files[name]).exists()]

    pilot = entry.get("pilot")
    good = entry.get("html") and entry.get("generated") and (out / entry["html"]).is_file()
    failed = entry.get("failed")
    if failed:
        status = (t("index.failed", lang, failed=_when(failed["at"]), good=_when(entry["generated"])) if good
                  else t("index.failed_never", lang, failed=_when(failed["at"])))
    else:
        status = t("index.stale", lang) if stale else t("index.current", lang)
    return {"href": entry["html"] if good else None, "hreflang": entry["lang"], "formats": formats,
            "label": (names.get(pilot) or str(pilot).capitalize()) if pilot else t("index.synthesis", lang),
            "language": LANGUAGE_NAMES.get(entry["lang"], entry["lang"]),
            "data_as_of": format_date(entry["data_as_of"], lang) if entry.get("data_as_of") else "–",
            "generated": _when(entry["generated"]) if good else "–",
            "status": status, "attention": bool(failed or stale)}


def index_sections(manifest: dict, *, out: Path, phases=None, phase_names: Mapping | None = None,
                   lang: str = "nb", stale=frozenset()) -> list[dict]:
    """What the index lists: per phase of the programme, its reports, the synthesis first.

    Parameters
    ----------
    manifest : dict
        The output folder's manifest. Its ``validated`` record (:func:`~evaluation.render.checking.check_data`)
        names the programme's pilots (with their names) and phases; a report of a pilot or
        phase the programme does not have (any more) is left out, as is a report whose HTML is
        missing and that has not failed.
    out : Path
        The output folder.
    phases : sequence of str, optional
        The phases, in order (default: the programme's).
    phase_names : mapping, optional
        Phase id to ``{lang: name}`` (default: the programme's).
    lang : {"nb", "en"}
        Language of the page.
    stale : collection of str
        Names (``<phase>/<stem>``) of the reports that are older than the data.

    Returns
    -------
    list of dict
        One per phase with reports: ``id``, ``label`` and ``rows`` (see :func:`_index_row`).
    """
    validated = manifest.get("validated") or {}
    phases = list(phases if phases is not None else validated.get("phases") or [])
    names = {**(validated.get("phase_names") or {}), **(phase_names or {})}
    pilots = list(validated.get("pilots") or [])
    pilot_names = validated.get("pilot_names") or {}
    by_phase: dict[str, list[tuple[str, dict]]] = {}
    for name, entry in manifest["reports"].items():
        if (entry.get("phase") not in phases if phases else False) or (
                pilots and entry.get("pilot") is not None and entry.get("pilot") not in pilots):
            continue
        if entry.get("failed") or (entry.get("html") and (out / entry["html"]).is_file()):
            by_phase.setdefault(entry["phase"], []).append((name, entry))
    rank = {phase: position for position, phase in enumerate(phases)}
    pilot_rank = {pilot: position for position, pilot in enumerate(pilots)}
    sections = []
    for phase in sorted(by_phase, key=lambda p: (rank.get(p, len(rank)), p)):
        entries = sorted(by_phase[phase], key=lambda item: (
            item[1].get("pilot") is not None, pilot_rank.get(item[1].get("pilot"), len(pilot_rank)),
            item[1].get("pilot") or "", list(LANGUAGE_NAMES).index(item[1]["lang"])
            if item[1]["lang"] in LANGUAGE_NAMES else len(LANGUAGE_NAMES)))
        sections.append({"id": phase, "label": _phase_label(phase, lang, names),
                         "rows": [_index_row(entry, lang, names=pilot_names, stale=name in stale, out=out)
                                  for name, entry in entries]})
    return sections


def write_index(out: Path, *, phases=None, phase_names: Mapping[str, Mapping[str, str]] | None = None,
                lang: str = "nb", stale=frozenset()) -> Path:
    """Write ``OUT/index.html``: the reports of the programme's pilots and phases, by phase.

    Each phase lists its synthesis first, then the pilots in the programme's order by the names
    ``programme.yaml`` gives them; each report shows the date its data run to, when it was
    made, and its status: current, older than the data (``stale``), or failed in its last run
    (with the time of the last good version, which stays linked). When the manifest records that
    the reports were made from synthetic data (:func:`~evaluation.render.guard.is_synthetic`), a
    banner under the title says so.

    Parameters
    ----------
    out : Path
        The output folder (its ``manifest.json`` lists the reports, see :func:`index_sections`).
    phases : sequence of str, optional
        Phase ids in the programme's order (default: those of the manifest's ``validated``
        record); reports of other phases are left out.
    phase_names : mapping, optional
        Phase id to ``{lang: name}``, as :meth:`evaluation.contract.Programme.phase_name` gives
        them (default: the manifest's); a phase without a name is named by the translation table.
    lang : {"nb", "en"}
        Language of the page.
    stale : collection of str
        Names (``<phase>/<stem>``) of the reports whose data have changed since they were made.

    Returns
    -------
    Path
        The index page.
    """
    from evaluation.i18n import t

    manifest = read_manifest(out)
    sections = index_sections(manifest, out=out, phases=phases, phase_names=phase_names, lang=lang, stale=stale)
    page = environment().get_template("index.html.j2").render(
        lang=lang, title=t("index.title", lang), intro=t("index.intro", lang), phases=sections,
        banner=t("demo_banner", lang) if is_synthetic(manifest) else "",
        headers=[t("index.report", lang), t("index.language", lang), t("index.data_as_of", lang),
                 t("index.generated_at", lang), t("publish.index.formats", lang), t("index.status", lang)])
    path = out / "index.html"
    atomic_write_text(path, page)
    return path
