"""What a report is built from: fingerprints of its inputs, the manifest that records them, and
the up-to-date check that compares the two.

``OUT/manifest.json`` records, per report, what it was built from: the parameters (with the
language), a digest of the notebook (cells' type, source and tags), of the package's source
(every file in ``evaluation/``), of the software versions, and for every data file it read, the
file's SHA-256 and the digest of the file *as the report's phase sees it* (after the phase's
cut-off, through :func:`evaluation.contract.load_data`). A rerun renders a report only if one of
these changed; a data file whose bytes changed but whose phase view did not (new 2024 survey
rows, say, for a midterm report with a 2022 cut-off) does not re-render it. A skipped report
keeps its HTML, and so its provenance appendix, from the run that built it.

Only the standard library is used until a phase view has to be computed, so that a rerun with
nothing changed answers without importing pandas.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from evaluation.files import atomic_write_text, file_sha256
from evaluation.render.jobs import NOTEBOOK_DIR, ReportJob

PACKAGE_DIR = Path(__file__).resolve().parent.parent
"""The ``evaluation`` package folder (its files are the reports' "source")."""

MANIFEST_SCHEMA = 2
"""Version of ``manifest.json``'s layout; entries without ``inputs`` (schema 1) are re-rendered."""

ENVIRONMENT_PACKAGES = ("pandas", "numpy", "scipy", "matplotlib", "pyyaml", "papermill", "nbconvert",
                        "nbclient", "nbformat", "ipykernel", "jupyter_client")
"""Packages whose versions are part of every report's inputs."""


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


def sorted_paths(paths) -> list[str]:
    """Relative POSIX paths sorted folder by folder (``a/b.csv`` before ``a.csv/x``)."""
    return sorted(paths, key=lambda p: PurePosixPath(p).parts)


def _data_version_from(digests: dict[str, str], files) -> str:
    """A short fingerprint of the data: SHA-256 over every input file's name and digest."""
    digest = hashlib.sha256()
    for name in sorted_paths(f for f in files if f in digests):
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
        files = tuple(sorted_paths({relative_to_data(p, data_dir) for p in input_files}))
    digests = {name: notebook_digest(Path(notebook_dir) / f"{name}.ipynb") for name in notebooks
               if (Path(notebook_dir) / f"{name}.ipynb").exists()}
    return RenderInputs(data_dir, data, files, source_digest(), environment_digest(), digests)


def relative_to_data(path, data_dir: Path) -> str:
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
    from evaluation.contract.narratives import narrative_key

    data_dir = Path(data_dir)
    data = load_data(data_dir, phase=phase)
    tables = {path: name for name, path in FILES.items() if name != "programme"}
    views = {}
    for rel in files:
        path = data_dir / rel
        narrative = narrative_key(rel, data.programme)
        if rel in tables and hasattr(data, tables[rel]):
            views[rel] = "table:" + _frame_digest(getattr(data, tables[rel]))
        elif narrative is not None and narrative not in data.narratives:
            views[rel] = "not read in this phase"
        elif path.exists():
            views[rel] = "file:" + file_sha256(path)
        else:
            views[rel] = "missing"
    return views


def read_manifest(out: Path) -> dict:
    """The manifest of an output folder (an empty one if missing or unreadable, or if ``out``
    is not a folder: the render then says why it cannot write there)."""
    path = Path(out) / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        manifest = {}
    if not isinstance(manifest, dict):
        manifest = {}
    if not isinstance(manifest.get("reports"), dict):
        manifest["reports"] = {}
    manifest["schema"] = MANIFEST_SCHEMA
    return manifest


def write_manifest(out: Path, manifest: dict) -> None:
    """Write ``OUT/manifest.json`` atomically (a reader never finds half a manifest)."""
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


def stale_reports(entries: dict, inputs: RenderInputs, *, data_dir: Path, out: Path, phases, views: dict,
                  fresh=frozenset()) -> set[str]:
    """The reports of the manifest that are older than the data (the index marks them).

    Only the data count here (a changed notebook or package re-renders a report, but does not
    make what it says out of date): a report is older than the data when it was made from
    another data folder, from other data files, or from a file whose bytes changed in what its
    phase sees (:func:`phase_view_digests`, computed here only for such a file). Reports of this
    render (``fresh``) and of phases not in ``phases`` are not judged.

    Parameters
    ----------
    entries : dict
        The manifest's reports.
    inputs : RenderInputs
        The data now.
    data_dir, out : Path
        The data folder and the output folder.
    phases : collection of str
        The programme's phases.
    views : dict
        Phase views already computed (phase to :func:`phase_view_digests`); filled in here.
    fresh : collection of str
        Reports made or checked by this render.

    Returns
    -------
    set of str
        Report names (``<phase>/<stem>``).
    """
    stale: set[str] = set()
    for name, entry in entries.items():
        recorded = entry.get("inputs")
        if name in fresh or entry.get("phase") not in phases or not recorded:
            continue
        files = recorded.get("data", {})
        if ((recorded.get("parameters") or {}).get("data_dir") != str(inputs.data_dir)
                or set(files) != set(inputs.input_files)):
            stale.add(name)
            continue
        changed = [rel for rel in inputs.input_files if files[rel].get("sha256") != inputs.data.get(rel)]
        if not changed:
            continue
        try:
            view = views.get(entry["phase"]) or views.setdefault(
                entry["phase"], phase_view_digests(data_dir, entry["phase"], inputs.input_files))
        except Exception:  # noqa: BLE001 - a view that cannot be computed is not known to be current
            stale.add(name)
            continue
        if any(files[rel].get("view") is None or files[rel]["view"] != view.get(rel) for rel in changed):
            stale.add(name)
    return stale
