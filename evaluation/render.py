"""Render the report notebooks into self-contained HTML: in parallel, on warm kernels, and only
what changed.

One report is one notebook run: ``notebooks/pilot_report.ipynb`` per pilot and phase, and
``notebooks/synthesis_report.ipynb`` per phase. :func:`render_reports` renders every report
asked for, collects failures instead of stopping at the first, writes each HTML file atomically
(temporary file, then rename: a reader never finds half a report, and the report of an earlier
good run stays in place when a rerun fails), and writes ``index.html`` last.

Output layout::

    OUT/index.html
    OUT/manifest.json                 what each report was built from
    OUT/<phase>/<pilot>.html          bokmål;  <pilot>.en.html in English
    OUT/<phase>/<pilot>.ipynb         the executed notebook
    OUT/<phase>/synthesis.html
    OUT/<phase>/<pilot>.failed.ipynb  the executed notebook of a failed run, with the error

Fast reruns
-----------
*Parallel.* Reports run in worker processes (``spawn`` start method: a forked parent with a
background thread can hang). Each worker imports papermill, nbformat and nbconvert once and
exports HTML in-process. A synthesis report starts only when the pilot reports of its phase
are done; the index is written last.

*Warm kernels.* Starting a kernel and importing pandas, scipy and matplotlib in it costs seconds
per report. On Linux, one *warm process* per render imports the report's libraries once (the
third-party libraries and the ``evaluation`` modules the notebooks import) and then forks a new
kernel process for every report. Isolation is by process, not by clean-up: every report runs in
its own kernel process, forked from the same untouched warm state, and exits when the report is
done, so no variable, working directory, matplotlib setting or module attribute that one notebook
changes can reach another. The forked kernel gets the environment, working directory, ``argv``
and ``sys.path`` a fresh ``python -m ipykernel_launcher`` would have, and NumPy's global random
state is reseeded from the OS, as in a new process. What differs from a fresh kernel, by design:
the preloaded modules are already in ``sys.modules`` (imported once, in the notebook folder,
before any notebook ran), and warnings raised while importing them are not repeated in each
notebook's stderr (which reports never show). Elsewhere (no ``fork``), or with ``warm=False``,
every report gets a fresh kernel. Kernels talk over IPC sockets (no TCP, so no "running over
TCP without encryption" warning) where the platform has them.

*Incremental.* ``OUT/manifest.json`` records, per report, what it was built from: the
parameters (with the language), a digest of the notebook (cells' type, source and tags), of the
package's source (every file in ``evaluation/``), of the software versions, and for every data
file it read, the file's SHA-256 and the digest of the file *as the report's phase sees it*
(after the phase's cut-off, through :func:`evaluation.contract.load_data`). A rerun renders a
report only if one of these changed; a data file whose bytes changed but whose phase view did not
(new 2024 survey rows, say, for a midterm report with a 2022 cut-off) does not re-render it. A
skipped report keeps its HTML, and so its provenance appendix, from the run that built it.
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
from pathlib import Path, PurePosixPath

from evaluation import KERNEL_NAME
from evaluation.errors import EvaluationError

PACKAGE_DIR = Path(__file__).resolve().parent
"""The ``evaluation`` package folder (its files are the reports' "source")."""
NOTEBOOK_DIR = PACKAGE_DIR.parent / "notebooks"
"""The report notebooks (templates, committed without outputs)."""
TEMPLATE_DIR = PACKAGE_DIR / "templates"

MANIFEST_SCHEMA = 2
"""Version of ``manifest.json``'s layout; entries without ``inputs`` (schema 1) are re-rendered."""

ENVIRONMENT_PACKAGES = ("pandas", "numpy", "scipy", "matplotlib", "pyyaml", "papermill", "nbconvert",
                        "nbclient", "nbformat", "ipykernel", "jupyter_client")
"""Packages whose versions are part of every report's inputs."""

KERNEL_PRELOAD = ("ipykernel_launcher", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell")
"""The kernel's own modules, which a fresh kernel imports before it runs any cell."""

WARM_PRELOAD = ("numpy", "pandas", "scipy", "scipy.stats", "matplotlib", "matplotlib.figure",
                "matplotlib.backends.backend_agg", "yaml", "IPython.display")
"""Libraries the warm process imports before any notebook, besides those the notebooks import.

Only modules whose import does not depend on a running kernel (see :data:`NEVER_PRELOAD`).
"""

NEVER_PRELOAD = ("matplotlib.pyplot", "matplotlib_inline", "pylab", "ipywidgets", "IPython.core.pylabtools")
"""Modules (and their submodules) that hook into the IPython shell when imported inside a kernel;
notebooks import them themselves."""

_KERNEL_LAUNCHER = ["-m", "ipykernel_launcher"]


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


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

    def failed_path(self, out: Path) -> Path:
        """Where the executed notebook of a failed run goes."""
        return out / self.phase / f"{self.stem}.failed.ipynb"

    def parameters(self, data_dir: Path) -> dict:
        """The notebook's parameters."""
        params = {"phase": self.phase, "data_dir": str(data_dir), "lang": self.lang}
        if self.pilot is not None:
            params = {"pilot": self.pilot, **params}
        return params

    def waits_for(self, other: "ReportJob") -> bool:
        """Whether this report may start only after ``other``: a synthesis waits for the pilot
        reports of its phase and language."""
        return (self.pilot is None and other.pilot is not None and other.phase == self.phase
                and other.lang == self.lang)


@dataclass(frozen=True)
class RenderedReport:
    """Outcome of one report: rendered, failed, or skipped because nothing it reads changed.

    Attributes
    ----------
    job : ReportJob
    ok : bool
        False if the notebook or the export failed.
    seconds : float
        Wall time of the run (0 for a skipped report).
    html_path, notebook_path : Path or None
        The report and the executed notebook (of a failed run: the ``.failed.ipynb``).
    error : str
        One line: the error's name and message.
    skipped : bool
        True if the report was up to date and not rendered.
    reason : str
        Why it was rendered (``new``, ``data changed: survey/responses.csv``, ...).
    """

    job: ReportJob
    ok: bool
    seconds: float
    html_path: Path | None = None
    notebook_path: Path | None = None
    error: str = ""
    skipped: bool = False
    reason: str = ""


@dataclass
class RenderSummary:
    """Outcome of a whole render: every report, and the index."""

    reports: list[RenderedReport] = field(default_factory=list)
    index_path: Path | None = None
    seconds: float = 0.0
    workers: int = 0

    @property
    def failures(self) -> list[RenderedReport]:
        """The reports that failed."""
        return [r for r in self.reports if not r.ok]

    @property
    def rendered(self) -> list[RenderedReport]:
        """The reports rendered in this run (successfully)."""
        return [r for r in self.reports if r.ok and not r.skipped]

    @property
    def skipped(self) -> list[RenderedReport]:
        """The reports that were up to date."""
        return [r for r in self.reports if r.skipped]


def plan_reports(*, phases: list[str], pilots: list[str], lang: str = "nb",
                 synthesis: bool = True, notebook_dir: Path = NOTEBOOK_DIR) -> list[ReportJob]:
    """The reports to render: each pilot in each phase, then each phase's synthesis.

    Parameters
    ----------
    phases, pilots : list of str
        Phase and pilot ids to render.
    lang : {"nb", "en"}
        Language.
    synthesis : bool
        Include the cross-pilot synthesis of each phase (if its notebook exists).
    notebook_dir : Path
        Folder of the report notebooks.
    """
    jobs = [ReportJob("pilot_report", phase, pilot, lang) for phase in phases for pilot in pilots]
    if synthesis and (Path(notebook_dir) / "synthesis_report.ipynb").exists():
        jobs += [ReportJob("synthesis_report", phase, None, lang) for phase in phases]
    return jobs


# --------------------------------------------------------------------------------------------
# Fingerprints: what a report is built from
# --------------------------------------------------------------------------------------------


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, hex-encoded."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _walk_files(folder: Path):
    """Regular files under ``folder``, sorted, skipping hidden files and folders and caches."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if not name.startswith(".") and not name.endswith((".pyc", ".tmp")):
                yield Path(root) / name


def data_file_digests(data_dir: str | Path) -> dict[str, str]:
    """SHA-256 of every file in a data folder, keyed by POSIX path relative to the folder.

    Hidden files and folders are skipped. Only the standard library is used, so that a rerun
    with nothing changed answers without importing pandas.
    """
    data_dir = Path(data_dir)
    return {path.relative_to(data_dir).as_posix(): file_sha256(path) for path in _walk_files(data_dir)}


def source_digest(package_dir: str | Path = PACKAGE_DIR) -> str:
    """One digest of every file of the package (code, translations, templates)."""
    package_dir = Path(package_dir)
    digest = hashlib.sha256()
    for path in _walk_files(package_dir):
        digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
        digest.update(file_sha256(path).encode() + b"\n")
    return digest.hexdigest()


def notebook_digest(path: str | Path) -> str:
    """Digest of what a notebook *does*: each cell's type, source and tags, and its kernel.

    Outputs, execution counts and other metadata are left out, so saving the notebook after
    running it in JupyterLab does not make every report stale.
    """
    notebook = json.loads(Path(path).read_text(encoding="utf-8"))
    cells = [[cell.get("cell_type"), "".join(cell.get("source", [])) if isinstance(cell.get("source"), list)
              else cell.get("source", ""), sorted(cell.get("metadata", {}).get("tags", []))]
             for cell in notebook.get("cells", [])]
    kernel = notebook.get("metadata", {}).get("kernelspec", {}).get("name")
    payload = json.dumps({"cells": cells, "kernel": kernel}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def environment_digest() -> str:
    """Digest of the Python version and the versions of :data:`ENVIRONMENT_PACKAGES`."""
    from importlib import metadata

    versions = {"python": sys.version}
    for name in ENVIRONMENT_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return hashlib.sha256(json.dumps(versions, sort_keys=True).encode()).hexdigest()


def _sorted_paths(paths) -> list[str]:
    return sorted(paths, key=lambda p: PurePosixPath(p).parts)


def data_version(data_dir: Path, files) -> str:
    """A short fingerprint of the data: SHA-256 over every input file's name and digest."""
    data_dir = Path(data_dir)
    digests = {}
    for path in (Path(p) for p in files):
        if path.exists():
            name = path.relative_to(data_dir).as_posix() if path.is_relative_to(data_dir) else str(path)
            digests[name] = file_sha256(path)
    return _data_version_from(digests, list(digests))


def _data_version_from(digests: dict[str, str], files) -> str:
    digest = hashlib.sha256()
    for name in _sorted_paths(f for f in files if f in digests):
        digest.update(name.encode())
        digest.update(digests[name].encode())
    return digest.hexdigest()[:12]


@dataclass(frozen=True)
class RenderInputs:
    """What the reports would be built from now, to compare with the manifest.

    Attributes
    ----------
    data_dir : Path
        The data folder (resolved).
    data : dict
        SHA-256 of every file in the data folder, by relative path.
    input_files : tuple of str
        The data files the reports read (relative paths): the files
        :func:`evaluation.contract.load_data` reads, when known, else every file.
    source : str
        :func:`source_digest` of the package.
    environment : str
        :func:`environment_digest`.
    notebooks : dict
        :func:`notebook_digest` by notebook name.
    """

    data_dir: Path
    data: dict
    input_files: tuple
    source: str
    environment: str
    notebooks: dict

    @property
    def fingerprint(self) -> str:
        """One digest of the data folder, the package source and the software versions (what
        validation depends on)."""
        payload = json.dumps({"data": self.data, "source": self.source, "environment": self.environment},
                             sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()

    def data_version(self) -> str:
        """The short data fingerprint shown on the index page."""
        return _data_version_from(self.data, self.input_files)


def current_inputs(data_dir: str | Path, *, input_files=None, notebook_dir: Path = NOTEBOOK_DIR,
                   notebooks=("pilot_report", "synthesis_report")) -> RenderInputs:
    """Fingerprint the data folder, the package, the environment and the notebooks.

    Parameters
    ----------
    data_dir : str or Path
        The data folder.
    input_files : iterable of str or Path, optional
        The files the reports read (absolute, or relative to ``data_dir``); default: every file.
    notebook_dir : Path
        Folder of the report notebooks.
    notebooks : iterable of str
        Notebook names to fingerprint (those missing are skipped).
    """
    data_dir = Path(data_dir).resolve()
    data = data_file_digests(data_dir)
    if input_files is None:
        files = tuple(data)
    else:
        files = tuple(_sorted_paths({_relative(p, data_dir) for p in input_files}))
    digests = {name: notebook_digest(Path(notebook_dir) / f"{name}.ipynb") for name in notebooks
               if (Path(notebook_dir) / f"{name}.ipynb").exists()}
    return RenderInputs(data_dir, data, files, source_digest(), environment_digest(), digests)


def _relative(path, data_dir: Path) -> str:
    """``path`` (absolute, or relative to the resolved ``data_dir``) relative to ``data_dir``."""
    path = Path(path)
    if not path.is_absolute():
        return path.as_posix()
    try:
        return path.resolve().relative_to(data_dir).as_posix()
    except ValueError:
        return path.as_posix()


def _frame_digest(frame) -> str:
    """Digest of a DataFrame's columns, dtypes and values (row order included)."""
    import pandas as pd

    digest = hashlib.sha256()
    digest.update(json.dumps([[str(c) for c in frame.columns], [str(t) for t in frame.dtypes]]).encode())
    try:
        digest.update(pd.util.hash_pandas_object(frame, index=False).to_numpy().tobytes())
    except TypeError:  # unhashable cells: fall back to the text form
        digest.update(frame.to_csv(index=False).encode())
    return digest.hexdigest()


def phase_view_digests(data_dir: str | Path, phase: str, files) -> dict[str, str]:
    """Digest of each data file *as a report of ``phase`` sees it*.

    The data are read with :func:`evaluation.contract.load_data` cut to the phase, as the
    reports read them; a contract table's digest is that of its DataFrame after the cut-off, so
    rows dated after the cut-off do not count. ``programme.yaml`` and files outside the contract
    count by their bytes; a narrative of a later phase is not read by the phase.

    Parameters
    ----------
    data_dir : str or Path
        A valid data folder.
    phase : str
        Phase id.
    files : iterable of str
        Relative paths of the files to digest.

    Returns
    -------
    dict
        Relative path -> hex digest.
    """
    from evaluation.contract import FILES, load_data

    data_dir = Path(data_dir)
    data = load_data(data_dir, phase=phase)
    tables = {path: name for name, path in FILES.items() if name != "programme"}
    narrative = re.compile(r"narratives/([a-z0-9_]+)-([a-z0-9_]+)\.yaml")
    views = {}
    for rel in files:
        path = data_dir / rel
        match = narrative.fullmatch(rel)
        if rel in tables and hasattr(data, tables[rel]):
            views[rel] = "table:" + _frame_digest(getattr(data, tables[rel]))
        elif match and (match.group(1), match.group(2)) not in data.narratives:
            views[rel] = "not read in this phase"
        elif path.exists():
            views[rel] = "file:" + file_sha256(path)
        else:
            views[rel] = "missing"
    return views


# --------------------------------------------------------------------------------------------
# Manifest and up-to-date checks
# --------------------------------------------------------------------------------------------


def read_manifest(out: Path) -> dict:
    """The manifest of an output folder (an empty one if missing or unreadable)."""
    path = Path(out) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError, UnicodeDecodeError):
        manifest = {}
    if not isinstance(manifest.get("reports"), dict):
        manifest["reports"] = {}
    manifest["schema"] = MANIFEST_SCHEMA
    return manifest


def _write_manifest(out: Path, manifest: dict) -> None:
    atomic_write_text(out / "manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True))


def report_inputs(job: ReportJob, inputs: RenderInputs, views: dict | None = None) -> dict:
    """The manifest's record of what ``job`` is built from.

    Every report reads every input file today (``load_data`` reads the whole folder); a report
    that reads less can narrow ``inputs.input_files`` here, and the manifest follows.

    Parameters
    ----------
    job : ReportJob
        The report.
    inputs : RenderInputs
        The current fingerprints.
    views : dict, optional
        :func:`phase_view_digests` of the report's phase (``None`` values where unknown).

    Returns
    -------
    dict
        ``parameters`` (the notebook's, with ``lang`` and ``data_dir``), ``notebook``,
        ``source`` and ``environment`` digests, and ``data``: per relative file path, its
        ``sha256`` and its phase ``view`` digest.
    """
    views = views or {}
    return {
        "parameters": job.parameters(inputs.data_dir),
        "notebook": inputs.notebooks.get(job.notebook),
        "source": inputs.source,
        "environment": inputs.environment,
        "data": {rel: {"sha256": inputs.data.get(rel), "view": views.get(rel)} for rel in inputs.input_files},
    }


def up_to_date(job: ReportJob, entry: dict | None, inputs: RenderInputs, out: Path) -> tuple[str, object]:
    """Compare a report's manifest entry with the current inputs, without reading any data.

    Parameters
    ----------
    job : ReportJob
        The report.
    entry : dict or None
        Its entry in ``manifest.json`` (``None`` if it has none).
    inputs : RenderInputs
        What it would be built from now.
    out : Path
        The output folder (the report's HTML must be there).

    Returns
    -------
    tuple
        ``("skip", None)`` if nothing it reads changed; ``("render", reason)``; or
        ``("check", changed_files)`` if only the bytes of some data files changed, so that the
        phase's view of them (:func:`phase_view_digests`) decides.
    """
    recorded = (entry or {}).get("inputs")
    if not recorded:
        return "render", "new"
    if not (out / entry.get("html", "")).is_file() or not job.html_path(out).is_file():
        return "render", "report file missing"
    if job.failed_path(out).exists():
        return "render", "last run failed"
    parameters = job.parameters(inputs.data_dir)
    if recorded.get("parameters", {}).get("lang") != job.lang:
        return "render", "language changed"
    if recorded.get("parameters") != parameters:
        return "render", "parameters changed"
    if recorded.get("notebook") != inputs.notebooks.get(job.notebook):
        return "render", "notebook changed"
    if recorded.get("source") != inputs.source:
        return "render", "package source changed"
    if recorded.get("environment") != inputs.environment:
        return "render", "software versions changed"
    files = recorded.get("data", {})
    if set(files) != set(inputs.input_files):
        added = sorted(set(inputs.input_files) - set(files))
        removed = sorted(set(files) - set(inputs.input_files))
        return "render", "data files " + ", ".join(
            [f"added: {', '.join(added)}"] * bool(added) + [f"removed: {', '.join(removed)}"] * bool(removed))
    changed = [rel for rel in inputs.input_files if files[rel].get("sha256") != inputs.data.get(rel)]
    if not changed:
        return "skip", None
    return "check", changed


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


def warm_kernels_supported() -> bool:
    """Whether this platform can fork kernels from a warm process (Linux with ``os.fork``)."""
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _preload_modules(notebook_dir: Path) -> list[str]:
    """:data:`WARM_PRELOAD` and every module the notebooks in ``notebook_dir`` import at top
    level (``from a import b`` counts ``a`` and ``a.b``), less :data:`NEVER_PRELOAD`."""
    import ast

    names = [name for name in WARM_PRELOAD]
    for path in sorted(Path(notebook_dir).glob("*.ipynb")):
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, json.JSONDecodeError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            try:
                tree = ast.parse("".join(source) if isinstance(source, list) else source)
            except SyntaxError:  # IPython magics
                continue
            for node in tree.body:
                if isinstance(node, ast.Import):
                    names += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.append(node.module)
                    names += [f"{node.module}.{alias.name}" for alias in node.names]
    return [name for name in dict.fromkeys(names)
            if not any(name == never or name.startswith(never + ".") for never in NEVER_PRELOAD)]


def _warm_process_main() -> None:
    """The warm process: import the report's libraries once, then fork a kernel per request.

    Started as ``python -c ... SOCKET NOTEBOOK_DIR`` with the notebook folder as working
    directory. Listens on the Unix socket ``SOCKET`` (in a private folder) for one JSON line per
    request, ``{"argv": [...], "cwd": ..., "env": {...}}``, forks, answers ``{"pid": ...}``, and
    the child becomes ``python -m ipykernel_launcher ARGV``. Stops when its standard input closes
    (the render that started it ended, or died).
    """
    import importlib
    import selectors
    import signal
    import socket
    import threading
    import warnings

    socket_path, notebook_dir = sys.argv[1], sys.argv[2]
    # As ipykernel_launcher does: the working directory is not on sys.path while loading (the
    # kernel's shell adds '' back when it starts).
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    base_path = list(sys.path)
    # ipykernel sets this before the shell starts; libraries imported here must see it too.
    os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    # Import warnings are not printed (a fresh kernel would print them in the notebook's stderr,
    # which no report shows); the warning *filters* that modules install stay as they are.
    show, warnings.showwarning = warnings.showwarning, lambda *args, **kwargs: None
    try:
        for stage in (KERNEL_PRELOAD, _preload_modules(Path(notebook_dir))):
            for name in stage:
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: BLE001 - not a module, or broken: the notebook will say so
                    pass
            if stage is KERNEL_PRELOAD:
                kernel_filters = list(warnings.filters)
    finally:
        warnings.showwarning = show
    # A fresh kernel starts, then the notebook imports the libraries: their warning filters come
    # before those the kernel adds when it starts. The child puts them back in that order.
    library_filters = [f for f in warnings.filters if f not in kernel_filters]
    if warnings.filters != library_filters + kernel_filters:  # not only prepended: leave as is
        kernel_filters, library_filters = list(warnings.filters), []
    if threading.active_count() != 1:
        print("evaluation.render: the warm process has threads after preloading and cannot fork "
              "safely; reports use fresh kernels", file=sys.stderr)
        return
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the render, which closes stdin
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(socket_path)
    server.listen(64)
    selector = selectors.DefaultSelector()
    selector.register(server, selectors.EVENT_READ)
    selector.register(sys.stdin.fileno(), selectors.EVENT_READ)
    request = None
    while request is None:
        for key, _ in selector.select():
            if key.fileobj is not server:
                if not os.read(sys.stdin.fileno(), 4096):
                    server.close()
                    Path(socket_path).unlink(missing_ok=True)
                    sys.stderr.flush()
                    os._exit(0)  # nothing to finalise: skip tearing down the preloaded libraries
                continue
            connection, _ = server.accept()
            try:
                connection.settimeout(10)
                payload = b""
                while not payload.endswith(b"\n"):
                    chunk = connection.recv(1 << 16)
                    if not chunk:
                        break
                    payload += chunk
                wanted = json.loads(payload)
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    server.close()
                    connection.close()
                    request = wanted
                    break
                connection.sendall(json.dumps({"pid": pid}).encode() + b"\n")
            except (OSError, ValueError) as error:
                try:
                    connection.sendall(json.dumps({"error": str(error)}).encode() + b"\n")
                except OSError:
                    pass
            finally:
                if request is None:
                    connection.close()
    _become_kernel(request, base_path, kernel_filters, library_filters)


def _set_warning_filters(filters: list) -> None:
    import warnings

    warnings.filters[:] = filters
    getattr(warnings, "_filters_mutated", lambda: None)()


def _become_kernel(request: dict, base_path: list[str], kernel_filters: list, library_filters: list) -> None:
    """In a child of the warm process: become ``python -m ipykernel_launcher ARGV``."""
    import signal

    os.setsid()  # its own process group, as jupyter_client starts kernels
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.chdir(request["cwd"])
    environment = dict(request["env"])
    environment["JPY_PARENT_PID"] = str(os.getppid())  # the kernel exits when the warm process does
    os.environ.clear()
    os.environ.update(environment)
    sys.path[:] = base_path
    if "numpy" in sys.modules:  # a new process draws fresh entropy; a fork copies its parent's
        sys.modules["numpy"].random.seed()
    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [ipykernel_launcher.__file__, *request["argv"]]
    _set_warning_filters(kernel_filters)
    app = IPKernelApp.instance()  # what IPKernelApp.launch_instance does, with the filters in between
    app.initialize(request["argv"])
    _set_warning_filters(library_filters + [f for f in __import__("warnings").filters])
    app.start()


class WarmKernels:
    """A warm process that forks one pristine kernel per report (see the module docstring).

    Use as a context manager; :attr:`kernel_manager_class` is the ``jupyter_client`` kernel
    manager class to give papermill or nbclient (``kernel_manager_class=``).

    The warm process runs the kernel spec's interpreter with the spec's interpreter options
    (``-X...``), so forked kernels have the same ``sys.executable``, ``sys.flags`` and
    ``sys._xoptions`` as fresh ones. A spec that does not start ``-m ipykernel_launcher`` gets
    fresh kernels.

    Parameters
    ----------
    notebook_dir : Path
        The kernels' working directory (and where the notebooks to preload are).
    runtime_dir : Path, optional
        A private folder for the socket and the kernels' connection files (default: a new
        temporary folder, removed on close).
    kernel_name : str
        The kernel spec the forked kernels stand in for.
    """

    def __init__(self, notebook_dir: Path = NOTEBOOK_DIR, runtime_dir: Path | None = None, *,
                 kernel_name: str = KERNEL_NAME):
        self.notebook_dir = Path(notebook_dir)
        self.kernel_name = kernel_name
        self._own_runtime = runtime_dir is None
        self.runtime_dir = Path(runtime_dir or tempfile.mkdtemp(prefix="shr-"))
        self.address = str(self.runtime_dir / "warm.sock")
        self.interpreter: list[str] = []
        self.process = None

    def start(self) -> "WarmKernels":
        """Start the warm process (it preloads in the background)."""
        import subprocess

        from jupyter_client.kernelspec import KernelSpecManager

        argv = KernelSpecManager().get_kernel_spec(self.kernel_name).argv
        self.interpreter = _interpreter_prefix(argv) or []
        if self.interpreter:
            self.process = subprocess.Popen(
                [*self.interpreter, "-c", "from evaluation.render import _warm_process_main; _warm_process_main()",
                 self.address, str(self.notebook_dir)],
                cwd=self.notebook_dir, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
        return self

    @property
    def pid(self) -> int | None:
        """Process id of the warm process."""
        return self.process.pid if self.process else None

    @property
    def kernel_manager_class(self):
        """A kernel manager class whose kernels are forked from this warm process."""
        if self.process is None:
            return kernel_manager_class(self.runtime_dir)
        return kernel_manager_class(self.runtime_dir, warm=(self.address, self.pid, self.interpreter))

    def close(self) -> None:
        """Stop the warm process; kernels it forked exit with it."""
        import subprocess

        if self.process is not None:
            try:
                self.process.stdin.close()
            except OSError:
                pass
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._own_runtime:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)

    def __enter__(self) -> "WarmKernels":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()


def _interpreter_prefix(argv) -> list[str] | None:
    """The part of a kernel command before ``-m ipykernel_launcher`` (interpreter and options)."""
    argv = list(argv)
    for position in range(1, len(argv) - 1):
        if argv[position:position + 2] == _KERNEL_LAUNCHER:
            options = argv[1:position]
            if all(option.startswith("-X") for option in options):
                return argv[:position]
            return None
    return None


class _WarmUnavailable(Exception):
    """The warm process is not running (failed to start, or could not fork safely)."""


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (exited, not yet reaped by its parent) is not alive
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _fork_kernel(address: str, warm_pid: int | None, argv: list[str], cwd: str, env: dict,
                 timeout: float = 180.0) -> int:
    """Ask the warm process for a kernel; return its pid. Waits while the warm process preloads."""
    import socket

    deadline = time.monotonic() + timeout
    while True:
        connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            connection.connect(address)
            break
        except (FileNotFoundError, ConnectionRefusedError):
            connection.close()
            if not _alive(warm_pid) or time.monotonic() > deadline:
                raise _WarmUnavailable(address) from None
            time.sleep(0.02)
    with connection:
        connection.sendall(json.dumps({"argv": argv, "cwd": cwd, "env": env}).encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = connection.recv(4096)
            if not chunk:
                raise _WarmUnavailable(address)
            answer += chunk
    reply = json.loads(answer)
    if "pid" not in reply:
        raise _WarmUnavailable(reply.get("error", "no pid"))
    return int(reply["pid"])


class _ForkedKernel:
    """A ``subprocess.Popen``-like handle on a kernel forked by the warm process.

    The kernel is the warm process's child, not ours: it is watched with signal 0, and the warm
    process (which ignores ``SIGCHLD``) reaps it.
    """

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode = None

    def poll(self):
        if self.returncode is None and not _alive(self.pid):
            self.returncode = 0
        return self.returncode

    def wait(self, timeout: float | None = None):
        import subprocess

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(0.01)
        return self.returncode

    def send_signal(self, signum: int) -> None:
        try:
            os.kill(self.pid, signum)
        except ProcessLookupError:
            pass

    def terminate(self) -> None:
        import signal

        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        import signal

        self.send_signal(signal.SIGKILL)


def kernel_manager_class(runtime_dir: str | Path, *, warm: tuple[str, int | None, list] | None = None):
    """The kernel manager class reports run with (a ``jupyter_client.AsyncKernelManager``).

    Parameters
    ----------
    runtime_dir : str or Path
        A private, short folder for connection files and IPC sockets.
    warm : tuple, optional
        ``(address, pid, interpreter)`` of a running :class:`WarmKernels` process.

    Returns
    -------
    type
        The class, to pass as papermill's or nbclient's ``kernel_manager_class``.

    Notes
    -----
    Kernels use IPC transport (Unix sockets in ``runtime_dir``) where the platform has it, so
    they do not listen on TCP (and do not warn about unencrypted TCP). With ``warm=(address,
    pid, interpreter)`` a kernel whose command starts with ``interpreter`` (the warm process's
    interpreter and options) is forked from that :class:`WarmKernels` process; if it is not
    running, or the command differs, a fresh kernel is started instead.
    """
    import uuid

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.provisioning import LocalProvisioner

    runtime_dir = str(runtime_dir)

    class ReportKernelProvisioner(LocalProvisioner):
        async def launch_kernel(self, cmd, **kwargs):
            prefix = len(warm[2]) if warm is not None else 0
            if warm is not None and list(cmd[:prefix]) == list(warm[2]) and list(cmd[prefix:prefix + 2]) == _KERNEL_LAUNCHER:
                try:
                    pid = _fork_kernel(warm[0], warm[1], list(cmd[prefix + 2:]), str(kwargs.get("cwd") or os.getcwd()),
                                       dict(kwargs.get("env") or os.environ))
                except _WarmUnavailable:
                    pass
                else:
                    self.process = _ForkedKernel(pid)
                    self.pid = self.pgid = pid
                    self.cwd = kwargs.get("cwd") or os.getcwd()
                    return self.connection_info
            return await super().launch_kernel(cmd, **kwargs)

    class ReportKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if os.name == "posix":
                kwargs.setdefault("transport", "ipc")
                kwargs.setdefault("connection_file",
                                  os.path.join(runtime_dir, f"kernel-{uuid.uuid4().hex[:12]}.json"))
            super().__init__(**kwargs)

        async def _async_pre_start_kernel(self, **kw):
            if self.provisioner is None:
                self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
                self.provisioner = ReportKernelProvisioner(kernel_id=self.kernel_id,
                                                           kernel_spec=self.kernel_spec, parent=self)
            return await super()._async_pre_start_kernel(**kw)

    return ReportKernelManager


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

_EXPORTER = None


def _html_exporter():
    """The HTML exporter (built once per process: loading its templates takes a while)."""
    global _EXPORTER
    if _EXPORTER is None:
        from nbconvert import HTMLExporter
        from nbconvert.preprocessors import TagRemovePreprocessor

        exporter = HTMLExporter(template_name="basic", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True)
        # Cells tagged remove_cell speak to evaluators in JupyterLab, not to readers of the report.
        exporter.register_preprocessor(TagRemovePreprocessor(remove_cell_tags={"remove_cell"}), enabled=True)
        _EXPORTER = exporter
    return _EXPORTER


def _notebook_body(notebook) -> str:
    """Export an executed notebook's outputs (no code, no prompts, no stderr) to HTML.

    papermill gives the cell it injects a random id, which nbconvert writes into the page; it
    gets a fixed one, so that the same inputs give the same HTML.
    """
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    body, _ = _html_exporter().from_notebook_node(notebook)
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
# Running one report
# --------------------------------------------------------------------------------------------


def render_one(job: ReportJob, *, data_dir: Path, out: Path, kernel_name: str = KERNEL_NAME,
               notebook_dir: Path = NOTEBOOK_DIR, kernel_manager_class=None) -> RenderedReport:
    """Execute one report notebook and export it; never raises for a failing notebook.

    The executed notebook is written to a temporary folder first; only when both execution and
    export succeed are the HTML and the notebook moved into ``out``. A failed run leaves the
    earlier report untouched and keeps its executed notebook, with the error, as
    ``<stem>.failed.ipynb`` beside it.

    Parameters
    ----------
    job : ReportJob
    data_dir : Path
        The data folder (passed to the notebook).
    out : Path
        Output folder.
    kernel_name : str
        Jupyter kernel.
    notebook_dir : Path
        Folder of the report notebooks; the kernel's working directory.
    kernel_manager_class : type, optional
        A ``jupyter_client`` kernel manager class (for example
        :attr:`WarmKernels.kernel_manager_class`); default: papermill's (a fresh kernel).
    """
    import nbformat
    import papermill

    started = time.perf_counter()
    target_dir = out / job.phase
    target_dir.mkdir(parents=True, exist_ok=True)
    engine_options = {
        # Kernels running side by side must not share IPython's SQLite history file.
        "extra_arguments": ["--HistoryManager.hist_file=:memory:"],
        # Every output has arrived when the last cell is done; stop the kernel at once instead of
        # the graceful sequence (which interrupts it first, and waits).
        "shutdown_kernel": "immediate",
        # papermill writes the executed notebook when the run ends, failed or not; writing it
        # after every cell as well costs time and shows nobody anything.
        "request_save_on_cell_execute": False,
    }
    if kernel_manager_class is not None:
        engine_options["kernel_manager_class"] = kernel_manager_class
    with tempfile.TemporaryDirectory(dir=out, prefix=".render-") as work:
        executed = Path(work) / f"{job.stem}.ipynb"
        try:
            papermill.execute_notebook(
                str(Path(notebook_dir) / f"{job.notebook}.ipynb"), str(executed),
                parameters=job.parameters(data_dir), kernel_name=kernel_name,
                progress_bar=False, log_output=False, cwd=str(notebook_dir), **engine_options,
            )
            notebook = nbformat.read(executed, as_version=4)
            body = _notebook_body(notebook)
            title = _page_title(body, job.name)
            page = html_page(body, lang=job.lang, title=title)
        except Exception as error:  # noqa: BLE001 - every failure is collected, reported, and exits non-zero
            failed = job.failed_path(out)
            if executed.exists():
                shutil.move(str(executed), failed)
            message = _short_error(error)
            return RenderedReport(job, False, time.perf_counter() - started,
                                  notebook_path=failed if failed.exists() else None, error=message)
        html_path, notebook_path = job.html_path(out), job.notebook_path(out)
        atomic_write_text(html_path, page)
        os.replace(executed, notebook_path)
        job.failed_path(out).unlink(missing_ok=True)
    return RenderedReport(job, True, time.perf_counter() - started, html_path, notebook_path)


def _short_error(error: Exception) -> str:
    name = getattr(error, "ename", type(error).__name__)
    value = getattr(error, "evalue", str(error))
    text = f"{name}: {value}".strip()
    return text.splitlines()[0][:500] if text else name


# --------------------------------------------------------------------------------------------
# Worker processes
# --------------------------------------------------------------------------------------------

_WORKER: dict = {}


def _worker_init(runtime_dir: str, warm: tuple[str, int, list] | None) -> None:
    """Set up a worker process: pay the imports and template loading once, not per report."""
    # jsonschema (through nbformat) imports rfc3987_syntax, when installed (jupyterlab brings
    # it), only to check "iri" formats that the notebook schema does not use; building its
    # parsers costs seconds per process (python-jsonschema issue 1428). Workers skip it.
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    _WORKER["kernel_manager_class"] = kernel_manager_class(runtime_dir, warm=warm)
    _html_exporter()


def _render_in_worker(job: ReportJob, data_dir: Path, out: Path, kernel_name: str,
                      notebook_dir: Path) -> RenderedReport:
    return render_one(job, data_dir=data_dir, out=out, kernel_name=kernel_name, notebook_dir=notebook_dir,
                      kernel_manager_class=_WORKER.get("kernel_manager_class"))


def run_in_dependency_order(jobs: list[ReportJob], submit, *, capacity: int, on_done) -> None:
    """Run jobs with at most ``capacity`` at a time, each synthesis after its phase's pilots.

    Parameters
    ----------
    jobs : list of ReportJob
        In the order to start them (a synthesis that is ready goes first).
    submit : callable
        ``submit(job) -> concurrent.futures.Future``.
    capacity : int
        Jobs in flight at once (the number of workers: keeping the queue short lets a
        synthesis start as soon as its pilots are done).
    on_done : callable
        ``on_done(job, future)``, called as each job finishes, in the order they finish.
    """
    from concurrent.futures import FIRST_COMPLETED, wait

    pending = list(jobs)
    blockers = {job: {other for other in jobs if job.waits_for(other)} for job in jobs}
    running: dict = {}
    while pending or running:
        ready = [job for job in pending if not blockers[job]]
        ready.sort(key=lambda job: job.pilot is not None)  # stable: synthesis first once ready
        for job in ready[: max(capacity - len(running), 0)]:
            pending.remove(job)
            running[submit(job)] = job
        if not running:
            raise EvaluationError("report dependencies cannot be met: " + ", ".join(j.name for j in pending))
        finished, _ = wait(running, return_when=FIRST_COMPLETED)
        for future in sorted(finished, key=lambda f: jobs.index(running[f])):
            job = running.pop(future)
            for waiting in blockers.values():
                waiting.discard(job)
            on_done(job, future)


def default_workers() -> int:
    """The number of CPU cores this process may use."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:
        return os.cpu_count() or 1


# --------------------------------------------------------------------------------------------
# Rendering everything
# --------------------------------------------------------------------------------------------


class _OutputLock:
    """An exclusive lock on the output folder, so that two renders do not interleave."""

    def __init__(self, out: Path):
        self.path = out / ".render.lock"
        self.handle = None

    def __enter__(self):
        try:
            import fcntl
        except ImportError:  # not POSIX: no lock
            return self
        self.handle = open(self.path, "w")
        try:
            fcntl.flock(self.handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            raise EvaluationError(f"another render is writing to {self.path.parent}; wait for it to finish") from None
        return self

    def __exit__(self, *exc):
        if self.handle is not None:
            self.handle.close()


def render_reports(jobs: list[ReportJob], *, data_dir: Path, out: Path, data_version_id: str = "",
                   progress=print, workers: int | None = None, force: bool = False, warm: bool | None = None,
                   inputs: RenderInputs | None = None, input_files=None, validated: dict | None = None,
                   kernel_name: str = KERNEL_NAME, notebook_dir: Path = NOTEBOOK_DIR) -> RenderSummary:
    """Render the reports in ``jobs`` that are not up to date, in parallel, then write the index.

    Parameters
    ----------
    jobs : list of ReportJob
        Reports to render; a synthesis starts after the pilot reports of its phase.
    data_dir : Path
        Validated data folder.
    out : Path
        Output folder.
    data_version_id : str
        Fingerprint of the data, shown on the index page (default: computed).
    progress : callable
        Receives one line per finished report, and one for the reports that were up to date.
    workers : int, optional
        Worker processes (default: the number of CPU cores); never more than reports to render.
    force : bool
        Render every report, up to date or not.
    warm : bool, optional
        Fork kernels from a warm process (default: where supported, see
        :func:`warm_kernels_supported`); False gives every report a fresh kernel.
    inputs : RenderInputs, optional
        Fingerprints already computed by the caller (:func:`current_inputs`).
    input_files : iterable, optional
        The data files the reports read, if ``inputs`` is not given (default: every file).
    validated : dict, optional
        A record of the data validation, kept in the manifest (see :func:`check_data`).
    kernel_name : str
        Jupyter kernel.
    notebook_dir : Path
        Folder of the report notebooks.

    Returns
    -------
    RenderSummary
        Every job's outcome (skipped ones included) and the index path.

    Notes
    -----
    Workers are started with ``spawn``, which imports the caller's ``__main__`` module again in
    each worker: a script that calls this function must do so under
    ``if __name__ == "__main__":`` (the command line and notebooks need nothing).
    """
    started = time.perf_counter()
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    data_dir = Path(data_dir).resolve()
    if inputs is None:
        inputs = current_inputs(data_dir, input_files=input_files, notebook_dir=notebook_dir,
                                notebooks=sorted({job.notebook for job in jobs}))
    data_version_id = data_version_id or inputs.data_version()
    summary = RenderSummary()
    with _OutputLock(out):
        manifest = read_manifest(out)
        if validated is not None:
            manifest["validated"] = validated
        entries = manifest["reports"]
        to_render: list[tuple[ReportJob, str]] = []
        skipped: list[ReportJob] = []
        checks: dict[ReportJob, list[str]] = {}
        for job in jobs:
            verdict, detail = ("render", "forced") if force else up_to_date(job, entries.get(job.name), inputs, out)
            if verdict == "render":
                to_render.append((job, detail))
            elif verdict == "check":
                checks[job] = detail
            else:
                skipped.append(job)
        views: dict[str, dict] = {}
        for phase in dict.fromkeys(job.phase for job in checks):
            views[phase] = phase_view_digests(data_dir, phase, inputs.input_files)
        for job, changed in checks.items():
            recorded = entries[job.name]["inputs"]["data"]
            differ = [rel for rel in changed if recorded[rel].get("view") is None
                      or recorded[rel]["view"] != views[job.phase].get(rel)]
            if differ:
                to_render.append((job, "data changed: " + ", ".join(differ)))
            else:  # the bytes changed, not what this report's phase sees: keep it, note the bytes
                for rel in changed:
                    recorded[rel]["sha256"] = inputs.data.get(rel)
                skipped.append(job)
        order = {job: position for position, job in enumerate(jobs)}
        to_render.sort(key=lambda item: order[item[0]])
        reasons = dict(to_render)
        for job in skipped:
            summary.reports.append(RenderedReport(job, True, 0.0, job.html_path(out), job.notebook_path(out),
                                                  skipped=True))
        if skipped:
            progress(f"{len(skipped)} report(s) up to date, not rendered (--force renders them)")
        if to_render:
            _render_in_parallel([job for job, _ in to_render], reasons, data_dir=data_dir, out=out,
                                inputs=inputs, views=views, manifest=manifest, summary=summary,
                                data_version_id=data_version_id, progress=progress, workers=workers,
                                warm=warm, kernel_name=kernel_name, notebook_dir=notebook_dir)
        summary.reports.sort(key=lambda report: order[report.job])
        _write_manifest(out, manifest)
        summary.index_path = write_index(out)
    summary.seconds = time.perf_counter() - started
    return summary


def _render_in_parallel(jobs: list[ReportJob], reasons: dict, *, data_dir: Path, out: Path,
                        inputs: RenderInputs, views: dict, manifest: dict, summary: RenderSummary,
                        data_version_id: str, progress, workers: int | None, warm: bool | None,
                        kernel_name: str, notebook_dir: Path) -> None:
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    kernel = ensure_kernel(kernel_name)
    workers = max(1, min(workers or default_workers(), len(jobs)))
    summary.workers = workers
    warm = warm_kernels_supported() if warm is None else (warm and warm_kernels_supported())
    runtime_dir = tempfile.mkdtemp(prefix="shr-")
    warm_process = WarmKernels(notebook_dir, runtime_dir=Path(runtime_dir), kernel_name=kernel).start() if warm else None
    if warm_process is not None and warm_process.process is None:
        warm_process = None
    entries = manifest["reports"]
    # The phase views of the data, for the manifest, are computed here while the workers run.
    background = ThreadPoolExecutor(max_workers=1)
    view_futures = {phase: background.submit(phase_view_digests, data_dir, phase, inputs.input_files)
                    for phase in dict.fromkeys(job.phase for job in jobs) if phase not in views}

    def phase_views(phase: str, wait: bool) -> dict:
        if phase in views:
            return views[phase]
        future = view_futures[phase]
        if not wait and not future.done():
            return {}
        try:
            views[phase] = future.result()
        except Exception:  # noqa: BLE001 - without views a later data change re-renders: safe
            views[phase] = {}
        return views[phase]

    def record(result: RenderedReport) -> None:
        job = result.job
        entries[job.name] = {
            "phase": job.phase, "pilot": job.pilot, "lang": job.lang, "notebook": job.notebook,
            "html": result.html_path.relative_to(out).as_posix(), "data_version": data_version_id,
            "generated": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "seconds": round(result.seconds, 3),
            "inputs": report_inputs(job, inputs, phase_views(job.phase, wait=False)),
        }
        _write_manifest(out, manifest)  # after every report: an interrupted run keeps what it made

    def on_done(job: ReportJob, future) -> None:
        try:
            result = future.result()
        except BrokenProcessPool as error:
            result = RenderedReport(job, False, 0.0, error=f"worker process died: {error}")
        except Exception as error:  # noqa: BLE001
            result = RenderedReport(job, False, 0.0, error=_short_error(error))
        result = RenderedReport(result.job, result.ok, result.seconds, result.html_path, result.notebook_path,
                                result.error, reason=reasons.get(job, ""))
        summary.reports.append(result)
        if result.ok:
            record(result)
        status = "ok" if result.ok else f"FAILED ({result.error})"
        progress(f"{job.name:<24} {result.seconds:6.1f} s  {status}  [{result.reason}]")

    context = multiprocessing.get_context("spawn")
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                 initargs=(runtime_dir, (warm_process.address, warm_process.pid, warm_process.interpreter)
                                           if warm_process else None)) as pool:
            def submit(job: ReportJob):
                try:
                    return pool.submit(_render_in_worker, job, data_dir, out, kernel, Path(notebook_dir))
                except Exception as error:  # noqa: BLE001 - a broken pool fails the report, not the run
                    failed = Future()
                    failed.set_exception(error)
                    return failed

            run_in_dependency_order(jobs, submit, capacity=workers, on_done=on_done)
    finally:
        if warm_process is not None:
            warm_process.close()
        shutil.rmtree(runtime_dir, ignore_errors=True)
        background.shutdown(wait=True)
    for result in summary.reports:
        if result.ok and not result.skipped and result.job.name in entries:
            view = phase_views(result.job.phase, wait=True)
            for rel, item in entries[result.job.name]["inputs"]["data"].items():
                if item.get("view") is None:
                    item["view"] = view.get(rel)


@dataclass(frozen=True)
class CheckedData:
    """A data folder checked for rendering: its ids, what reports read, and fingerprints.

    Attributes
    ----------
    pilots, phases : list of str
        Ids from ``programme.yaml``.
    inputs : RenderInputs
        Fingerprints of the data, package, environment and notebooks.
    validated : dict
        The record kept in the manifest, so that unchanged data are not validated again.
    cached : bool
        True if the data and the package are byte-identical to an earlier successful validation
        (recorded in the output folder's manifest), which was reused.
    """

    pilots: list
    phases: list
    inputs: RenderInputs
    validated: dict
    cached: bool


def check_data(data_dir: str | Path, *, out: str | Path, notebook_dir: Path = NOTEBOOK_DIR) -> CheckedData:
    """Validate a data folder for rendering, or reuse the last validation if nothing changed.

    Validation depends only on the data folder's bytes, the package's code and the software
    versions; if all are identical to those of a successful validation recorded in
    ``out/manifest.json``, it is not repeated (and pandas is not even imported).

    Parameters
    ----------
    data_dir : str or Path
        The data folder.
    out : str or Path
        The output folder (its manifest may hold an earlier validation).
    notebook_dir : Path
        Folder of the report notebooks (fingerprinted with the rest).

    Returns
    -------
    CheckedData

    Raises
    ------
    DataContractError
        If the data break the contract (every problem is carried).
    """
    data_dir = Path(data_dir)
    inputs = current_inputs(data_dir, notebook_dir=notebook_dir)
    cached = read_manifest(Path(out)).get("validated") or {}
    if cached.get("fingerprint") == inputs.fingerprint and cached.get("input_files") is not None:
        inputs = RenderInputs(inputs.data_dir, inputs.data, tuple(cached["input_files"]), inputs.source,
                              inputs.environment, inputs.notebooks)
        return CheckedData(list(cached["pilots"]), list(cached["phases"]), inputs, cached, True)
    from evaluation.contract import load_data

    data = load_data(data_dir)
    files = tuple(_sorted_paths({Path(p).relative_to(data_dir).as_posix() if Path(p).is_relative_to(data_dir)
                                 else _relative(p, inputs.data_dir) for p in data.input_files}))
    inputs = RenderInputs(inputs.data_dir, inputs.data, files, inputs.source, inputs.environment,
                          inputs.notebooks)
    record = {"fingerprint": inputs.fingerprint, "pilots": list(data.programme.pilot_ids),
              "phases": list(data.programme.phases), "input_files": list(files)}
    return CheckedData(record["pilots"], record["phases"], inputs, record, False)


def write_index(out: Path, *, lang: str = "nb") -> Path:
    """Write ``OUT/index.html`` listing every report in the manifest by phase and pilot."""
    from evaluation.i18n import t

    manifest = read_manifest(out)
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
