"""Run the report notebooks with papermill and export them to self-contained HTML with nbconvert.

One report is one notebook run: ``notebooks/pilot_report.ipynb`` per pilot and phase, and
``notebooks/synthesis_report.ipynb`` per phase. :func:`render_reports` runs every report asked
for, collects failures instead of stopping at the first, writes each HTML file atomically
(temporary file, then rename: a reader never finds half a report, and the report of an earlier
good run stays in place when a rerun fails), and writes ``index.html`` last.

Output layout::

    OUT/index.html
    OUT/manifest.json                 what each report was built from
    OUT/<phase>/<pilot>.html          bokmål;  <pilot>.en.html in English
    OUT/<phase>/<pilot>.ipynb         the executed notebook
    OUT/<phase>/synthesis.html
    OUT/<phase>/<pilot>.failed.ipynb  the executed notebook of a failed run, with the error
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from evaluation import KERNEL_NAME
from evaluation.errors import EvaluationError

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"
"""The report notebooks (templates, committed without outputs)."""
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True)
class ReportJob:
    """One report to render.

    Attributes
    ----------
    notebook : str
        ``pilot_report`` or ``synthesis_report``.
    phase : str
        Phase id.
    pilot : str or None
        Pilot id, ``None`` for the synthesis.
    lang : str
        ``nb`` or ``en``.
    """

    notebook: str
    phase: str
    pilot: str | None
    lang: str = "nb"

    @property
    def stem(self) -> str:
        """File stem: the pilot id or ``synthesis``, with ``.en`` for English."""
        base = self.pilot or "synthesis"
        return base if self.lang == "nb" else f"{base}.{self.lang}"

    @property
    def name(self) -> str:
        """``<phase>/<stem>``, the report's name in messages and in the manifest."""
        return f"{self.phase}/{self.stem}"

    def html_path(self, out: Path) -> Path:
        """Where the report's HTML goes."""
        return out / self.phase / f"{self.stem}.html"

    def notebook_path(self, out: Path) -> Path:
        """Where the executed notebook goes."""
        return out / self.phase / f"{self.stem}.ipynb"

    def parameters(self, data_dir: Path) -> dict:
        """The notebook's parameters."""
        params = {"phase": self.phase, "data_dir": str(data_dir), "lang": self.lang}
        if self.pilot is not None:
            params = {"pilot": self.pilot, **params}
        return params


@dataclass(frozen=True)
class RenderedReport:
    """Outcome of one report run."""

    job: ReportJob
    ok: bool
    seconds: float
    html_path: Path | None = None
    notebook_path: Path | None = None
    error: str = ""


@dataclass
class RenderSummary:
    """Outcome of a whole render: every report, and the index."""

    reports: list[RenderedReport] = field(default_factory=list)
    index_path: Path | None = None

    @property
    def failures(self) -> list[RenderedReport]:
        """The reports that failed."""
        return [r for r in self.reports if not r.ok]


def plan_reports(programme, *, phases: list[str], pilots: list[str], lang: str = "nb",
                 synthesis: bool = True) -> list[ReportJob]:
    """The reports to render: each pilot in each phase, then each phase's synthesis.

    Parameters
    ----------
    programme : Programme
        The configuration (for the ids).
    phases, pilots : list of str
        Phase and pilot ids to render.
    lang : {"nb", "en"}
        Language.
    synthesis : bool
        Include the cross-pilot synthesis of each phase.
    """
    jobs = [ReportJob("pilot_report", phase, pilot, lang) for phase in phases for pilot in pilots]
    if synthesis and (NOTEBOOK_DIR / "synthesis_report.ipynb").exists():
        jobs += [ReportJob("synthesis_report", phase, None, lang) for phase in phases]
    return jobs


# --------------------------------------------------------------------------------------------
# Kernel
# --------------------------------------------------------------------------------------------


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """Make sure a Jupyter kernel ``name`` runs *this* interpreter; register it if not.

    A kernel spec called ``python3`` may resolve to another environment's interpreter on a
    shared machine, so reports use a uniquely named kernel installed into this environment
    (``sys.prefix``). If the spec is missing or points at another Python, it is (re)installed.

    Returns
    -------
    str
        The kernel name.
    """
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        spec = manager.get_kernel_spec(name)
        if spec.argv and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
            return name
    except NoSuchKernel:
        pass
    from ipykernel.kernelspec import install

    install(kernel_name=name, display_name="Statens hus evaluering", prefix=sys.prefix)
    spec = KernelSpecManager().get_kernel_spec(name)
    if Path(spec.argv[0]).resolve() != Path(sys.executable).resolve():
        raise EvaluationError(
            f"the Jupyter kernel {name!r} resolves to {spec.argv[0]}, not to this environment's "
            f"{sys.executable}; remove the other kernel spec ({spec.resource_dir}) and rerun"
        )
    return name


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------


def _notebook_body(notebook) -> str:
    """Export an executed notebook's outputs (no code, no prompts, no stderr) to HTML."""
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    # Cells tagged remove_cell speak to evaluators in JupyterLab, not to readers of the report.
    exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove_cell"}), enabled=True)
    body, _ = exporter.from_notebook_node(notebook)
    return body


_HEADING = re.compile(r'<h([23]) id="([^"]+)">(.*?)</h\1>', re.S)


def table_of_contents(body: str, *, title: str) -> str:
    """A ``<nav>`` table of contents linking every ``<h2>``/``<h3>`` with an id in ``body``."""
    items = []
    open_sub = False
    for level, anchor, text in _HEADING.findall(body):
        if level == "2":
            if open_sub:
                items.append("</ul></li>")
                open_sub = False
            elif items:
                items.append("</li>")
            items.append(f'<li><a href="#{anchor}">{text}</a>')
        else:
            if not open_sub:
                items.append("<ul>")
                open_sub = True
            items.append(f'<li><a href="#{anchor}">{text}</a></li>')
    if open_sub:
        items.append("</ul></li>")
    elif items:
        items.append("</li>")
    return f'<nav class="toc" aria-labelledby="toc-title"><h2 id="toc-title">{html.escape(title)}</h2><ol>{"".join(items)}</ol></nav>'


def html_page(body: str, *, lang: str, title: str, toc: bool = True) -> str:
    """Wrap report content in a complete, self-contained, accessible HTML page."""
    from evaluation.i18n import t

    css = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    navigation = table_of_contents(body, title=t("toc", lang)) if toc else ""
    # The <h1> (title block) comes first in the body; the table of contents follows it.
    match = re.search(r"</h1>(\s*<p class=\"subtitle\">.*?</p>)?", body, re.S)
    if match and navigation:
        body = body[: match.end()] + navigation + body[match.end():]
    elif navigation:
        body = navigation + body
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>\n{css}\n</style>\n</head>\n"
        f'<body>\n<main id="main">\n{body}\n</main>\n</body>\n</html>\n'
    )


def _page_title(body: str, fallback: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", body, re.S)
    return html.unescape(re.sub(r"<[^>]+>", "", match.group(1))).strip() if match else fallback


def atomic_write_text(path: Path, text: str) -> None:
    """Write a text file so that no reader ever sees it half-written (temporary file + rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# --------------------------------------------------------------------------------------------
# Running
# --------------------------------------------------------------------------------------------


def render_one(job: ReportJob, *, data_dir: Path, out: Path, kernel_name: str = KERNEL_NAME) -> RenderedReport:
    """Execute one report notebook and export it; never raises for a failing notebook.

    The executed notebook is written to a temporary folder first; only when both execution and
    export succeed are the HTML and the notebook moved into ``out``. A failed run leaves the
    earlier report untouched and keeps its executed notebook, with the error, as
    ``<stem>.failed.ipynb`` beside it.
    """
    import nbformat
    import papermill

    started = time.perf_counter()
    target_dir = out / job.phase
    target_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out, prefix=".render-") as work:
        executed = Path(work) / f"{job.stem}.ipynb"
        try:
            papermill.execute_notebook(
                str(NOTEBOOK_DIR / f"{job.notebook}.ipynb"), str(executed),
                parameters=job.parameters(data_dir), kernel_name=kernel_name,
                progress_bar=False, log_output=False, cwd=str(NOTEBOOK_DIR),
            )
            notebook = nbformat.read(executed, as_version=4)
            body = _notebook_body(notebook)
            title = _page_title(body, job.name)
            page = html_page(body, lang=job.lang, title=title)
        except Exception as error:  # noqa: BLE001 - every failure is collected, reported, and exits non-zero
            failed = target_dir / f"{job.stem}.failed.ipynb"
            if executed.exists():
                shutil.move(str(executed), failed)
            message = _short_error(error)
            return RenderedReport(job, False, time.perf_counter() - started,
                                  notebook_path=failed if failed.exists() else None, error=message)
        html_path, notebook_path = job.html_path(out), job.notebook_path(out)
        atomic_write_text(html_path, page)
        os.replace(executed, notebook_path)
        (target_dir / f"{job.stem}.failed.ipynb").unlink(missing_ok=True)
    return RenderedReport(job, True, time.perf_counter() - started, html_path, notebook_path)


def _short_error(error: Exception) -> str:
    name = getattr(error, "ename", type(error).__name__)
    value = getattr(error, "evalue", str(error))
    text = f"{name}: {value}".strip()
    return text.splitlines()[0][:500] if text else name


def data_version(data_dir: Path, files) -> str:
    """A short fingerprint of the data: SHA-256 over every input file's name and digest."""
    from evaluation.contract import file_digest

    digest = hashlib.sha256()
    for path in sorted(Path(p) for p in files):
        if path.exists():
            digest.update(str(path.relative_to(data_dir) if path.is_relative_to(data_dir) else path).encode())
            digest.update(file_digest(path).encode())
    return digest.hexdigest()[:12]


def render_reports(jobs: list[ReportJob], *, data_dir: Path, out: Path, data_version_id: str = "",
                   progress=print) -> RenderSummary:
    """Render every report in ``jobs``, collecting failures, then write the index.

    Parameters
    ----------
    jobs : list of ReportJob
        Reports to render; synthesis reports after the pilot reports.
    data_dir : Path
        Validated data folder.
    out : Path
        Output folder.
    data_version_id : str
        Fingerprint of the data, shown on the index page.
    progress : callable
        Receives one line per finished report.

    Returns
    -------
    RenderSummary
    """
    out.mkdir(parents=True, exist_ok=True)
    kernel = ensure_kernel()
    summary = RenderSummary()
    for job in jobs:
        result = render_one(job, data_dir=data_dir.resolve(), out=out, kernel_name=kernel)
        summary.reports.append(result)
        status = "ok" if result.ok else f"FAILED ({result.error})"
        progress(f"{job.name:<24} {result.seconds:6.1f} s  {status}")
    _update_manifest(out, summary, data_version_id)
    summary.index_path = write_index(out)
    return summary


def _update_manifest(out: Path, summary: RenderSummary, data_version_id: str) -> None:
    path = out / "manifest.json"
    manifest = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"reports": {}}
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for result in summary.reports:
        if result.ok:
            manifest["reports"][result.job.name] = {
                "phase": result.job.phase, "pilot": result.job.pilot, "lang": result.job.lang,
                "notebook": result.job.notebook, "html": str(result.html_path.relative_to(out)),
                "data_version": data_version_id, "generated": now,
            }
    atomic_write_text(path, json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))


def write_index(out: Path, *, lang: str = "nb") -> Path:
    """Write ``OUT/index.html`` listing every report in the manifest by phase and pilot."""
    from evaluation.i18n import t

    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {"reports": {}}
    reports = manifest["reports"]
    phases: dict[str, list[dict]] = {}
    for name, entry in sorted(reports.items()):
        if (out / entry["html"]).exists():
            phases.setdefault(entry["phase"], []).append({"name": name, **entry})
    order = {"midterm": 0, "final": 1}
    parts = [f'<h1 id="top">{html.escape(t("index.title", lang))}</h1>',
             f"<p>{html.escape(t('index.intro', lang))}</p>"]
    for phase in sorted(phases, key=lambda p: (order.get(p, 9), p)):
        entries = sorted(phases[phase], key=lambda e: (e["pilot"] is None, e["pilot"] or "", e["lang"]))
        parts.append(f'<h2 id="{html.escape(phase)}">{html.escape(t("phase." + phase, lang) if phase in order else phase)}</h2>')
        parts.append('<table class="report-table"><thead><tr>'
                     f'<th scope="col">{html.escape(t("index.report", lang))}</th>'
                     f'<th scope="col">{html.escape(t("index.language", lang))}</th>'
                     f'<th scope="col">{html.escape(t("index.data_version", lang))}</th>'
                     f'<th scope="col">{html.escape(t("index.generated_at", lang))}</th></tr></thead><tbody>')
        for entry in entries:
            label = entry["pilot"].capitalize() if entry["pilot"] else t("index.synthesis", lang)
            language = "Norsk (bokmål)" if entry["lang"] == "nb" else "English"
            parts.append(
                f'<tr><th scope="row"><a href="{html.escape(entry["html"])}" hreflang="{entry["lang"]}">{html.escape(label)}</a></th>'
                f"<td>{language}</td><td><code>{html.escape(entry['data_version'])}</code></td>"
                f"<td>{html.escape(entry['generated'].replace('T', ' ').replace('Z', ' UTC'))}</td></tr>")
        parts.append("</tbody></table>")
    page = html_page("".join(parts), lang=lang, title=t("index.title", lang), toc=False)
    path = out / "index.html"
    atomic_write_text(path, page)
    return path
