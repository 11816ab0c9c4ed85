"""What a report is built from: fingerprints of its inputs, the manifest that records them, and
the up-to-date check that compares the two.

``OUT/manifest.json`` records, per report, what it was built from: the parameters (with the
language), a digest of the notebook (cells' type, source and tags), of the package's source
(every file in ``evaluation/``), of the software versions, and for every data file it read, the
file's SHA-256 and the digest of the file *as the report sees it* (:func:`report_views`): the
rows of its own pilot, after its phase's cut-off, of every table with a pilot (``segments.csv``
by its interviews' pilot), the shared tables (items, scales, codebook) whole, ``programme.yaml``
by its bytes, and of the narratives only its own. Beside them it records the digest of the
survey disclosure decisions about its pilot (:func:`disclosure_digest`), the one quantity a pilot
report reads that is computed from every pilot's data. A synthesis sees every pilot.

A rerun renders a report only if one of these changed; a data file whose bytes changed but whose
view did not (new 2024 survey rows for a midterm report with a 2022 cut-off; another pilot's
rows for a pilot report) does not re-render it. A skipped report keeps its HTML, and so its
provenance appendix (the files' SHA-256, the run time), from the run that built it.

Only the standard library is used until a view has to be computed, so that a rerun with nothing
changed answers without importing pandas.
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

MANIFEST_SCHEMA = 3
"""Version of ``manifest.json``'s layout; entries without ``inputs`` (schema 1) are re-rendered,
and so are entries without ``derived`` (schema 2: views of a whole phase) when data changed."""

NOT_READ_IN_PHASE = "not read in this phase"
"""The view of a narrative of a later phase than the report's."""

NOT_READ_BY_REPORT = "not read by this report"
"""The view of a narrative a pilot report does not read: another pilot's, the synthesis', or
one of another phase."""

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


def _frame_digest(frame, rows=None) -> str:
    """Digest of a DataFrame's columns, dtypes and values (row order included).

    ``rows`` (positions) digests those rows alone, as the same digest of ``frame.iloc[rows]``
    would: pandas hashes each row from its own values, so the rows of every pilot are hashed
    once for the whole table (:class:`_RowHashes`).
    """
    return _RowHashes(frame).digest(rows)


class _RowHashes:
    """One hash per row of a DataFrame (:func:`pandas.util.hash_pandas_object`), for digests of
    the whole table or of any of its rows."""

    def __init__(self, frame):
        import pandas as pd

        self.frame = frame
        self.header = json.dumps([[str(c) for c in frame.columns], [str(t) for t in frame.dtypes]]).encode()
        try:
            self.hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
        except TypeError:  # unhashable cells: fall back to the text form
            self.hashes = None

    def digest(self, rows=None) -> str:
        """Digest of the columns, dtypes and values of the rows at positions ``rows`` (all rows
        by default), in their order."""
        digest = hashlib.sha256()
        digest.update(self.header)
        if self.hashes is not None:
            digest.update((self.hashes if rows is None else self.hashes[rows]).tobytes())
        else:
            part = self.frame if rows is None else self.frame.iloc[rows]
            digest.update(part.to_csv(index=False).encode())
        return digest.hexdigest()


@dataclass(frozen=True)
class ReportView:
    """What one report sees of the data (:func:`report_views`).

    Attributes
    ----------
    files : dict
        Relative path -> digest of the file as the report sees it.
    derived : dict
        Name -> digest of a quantity the report reads that is computed from data beyond its
        own view (today ``disclosure``: :func:`disclosure_digest`).
    """

    files: dict
    derived: dict


def _pilot_positions(data, name: str) -> dict | None:
    """Positions of the rows of contract table ``name`` by pilot, as
    :meth:`~evaluation.contract.loading.EvaluationData.for_pilot` selects them (``segments``: by
    their interview's pilot), or ``None`` when the table has no pilot (every report reads all of
    it)."""
    import numpy as np

    frame = getattr(data, name)
    if name == "segments":
        owner = dict(zip(data.interviews["interview_id"], data.interviews["pilot"]))
        pilots = frame["interview_id"].map(owner)
    elif "pilot" in frame.columns:
        pilots = frame["pilot"]
    else:
        return None
    groups: dict = {}
    for position, pilot in enumerate(pilots):
        groups.setdefault(pilot, []).append(position)
    return {pilot: np.asarray(positions, dtype=np.intp) for pilot, positions in groups.items()}


def disclosure_digest(plan, pilot: str | None) -> str:
    """Digest of the survey disclosure decisions a report of ``pilot`` consults.

    The disclosure plan (:func:`evaluation.disclosure.disclosure_plan`) is made from every
    pilot's responses, so a pilot report's suppression could in principle depend on another
    pilot's rows. A pilot report asks the plan only about its own pilot's cells (agency rows and
    pilot-waves); the synthesis also about the totals over pilots. This digest covers exactly
    those answers, so whatever the plan's rules become, a report whose decisions change is
    rendered again.

    Parameters
    ----------
    plan : DisclosurePlan
        The phase's plan.
    pilot : str or None
        The report's pilot; ``None`` for the synthesis (every decision, the totals included).
    """
    cells, pilot_waves = plan.cells, plan.pilot_waves
    if pilot is not None:
        cells, pilot_waves = cells[cells["pilot"] == pilot], pilot_waves[pilot_waves["pilot"] == pilot]
    digest = hashlib.sha256()
    digest.update(json.dumps({"threshold": int(plan.threshold), "complementary": bool(plan.complementary),
                              "totals": None if pilot is not None else sorted(str(w) for w in plan.hidden_totals)},
                             sort_keys=True).encode())
    digest.update(_frame_digest(cells.reset_index(drop=True)).encode())
    digest.update(_frame_digest(pilot_waves.reset_index(drop=True)).encode())
    return digest.hexdigest()


def report_views(data_dir: str | Path, phase: str, files, subjects, *, data=None) -> dict:
    """What each report of ``phase`` sees of each data file (its *view*), and of the disclosure plan.

    The data are read with :func:`evaluation.contract.load_data` cut to the phase, as the
    reports read them. A contract table's view is the digest of its DataFrame after the cut-off
    (columns, dtypes and values, row order included): for a pilot report only its pilot's rows
    (``segments.csv``: the segments of its pilot's interviews), for the synthesis every row;
    tables without a pilot (items, scales, codebook) are read whole by every report.
    ``programme.yaml`` and files outside the contract count by their bytes. A narrative of a
    later phase is not read in the phase; a pilot report reads only its own pilot's narratives
    of its phase (in either language), the synthesis every narrative of the phase and before.

    What a pilot report reads of other pilots' rows: the disclosure plan, made from every
    pilot's responses (:func:`disclosure_digest`); and the SHA-256 of every file, shown in its
    provenance appendix and written when it is rendered (run metadata, like the run time).

    Parameters
    ----------
    data_dir : str or Path
        A valid data folder.
    phase : str
        Phase id.
    files : iterable of str
        Relative paths of the files to digest.
    subjects : iterable of str or None
        The reports: pilot ids, ``None`` for the synthesis.
    data : EvaluationData, optional
        The folder's data, not cut to a phase, if already read
        (:func:`evaluation.contract.load_data`); default: read here.

    Returns
    -------
    dict
        Subject -> :class:`ReportView`.

    Examples
    --------
    >>> from evaluation import DEMO_DATA_DIR
    >>> from evaluation.contract import load_data
    >>> first, last = load_data().programme.phases[0], load_data().programme.phases[-1]
    >>> files = ["survey/responses.csv", "survey/items.csv", f"narratives/stad-{last}.nb.md"]
    >>> views = report_views(DEMO_DATA_DIR, first, files, ["stad", None])
    >>> [views["stad"].files[f].split(":")[0] for f in files]
    ['rows of stad', 'table', 'not read in this phase']
    >>> views[None].files["survey/responses.csv"].split(":")[0], sorted(views[None].derived)
    ('table', ['disclosure'])
    """
    import numpy as np

    from evaluation.contract import FILES, load_data
    from evaluation.contract.loading import cut_data
    from evaluation.contract.narratives import narrative_key
    from evaluation.disclosure import disclosure_plan

    data_dir = Path(data_dir)
    data = cut_data(load_data(data_dir) if data is None else data, phase)
    plan = disclosure_plan(data.responses, data.items, data.population,
                           threshold=data.programme.anonymity_threshold)
    tables = {path: name for name, path in FILES.items() if name != "programme"}
    files = list(files)
    narratives = {rel: narrative_key(rel, data.programme) for rel in files}
    hashes = {rel: _RowHashes(getattr(data, tables[rel])) for rel in files
              if rel in tables and hasattr(data, tables[rel])}
    positions = {rel: _pilot_positions(data, tables[rel]) for rel in hashes}
    empty = np.asarray([], dtype=np.intp)
    whole: dict[str, str] = {}
    for rel in files:
        path = data_dir / rel
        if rel in hashes:
            whole[rel] = "table:" + hashes[rel].digest()
        elif narratives[rel] not in (None, *data.narratives):
            whole[rel] = NOT_READ_IN_PHASE
        elif path.exists():
            whole[rel] = "file:" + file_sha256(path)
        else:
            whole[rel] = "missing"
    views = {}
    for subject in dict.fromkeys(subjects):
        seen = dict(whole)
        if subject is not None:
            for rel in files:
                narrative = narratives[rel]
                if rel in hashes:
                    if positions[rel] is not None:
                        seen[rel] = f"rows of {subject}:" + hashes[rel].digest(positions[rel].get(subject, empty))
                elif narrative is not None and seen[rel] != NOT_READ_IN_PHASE and narrative[:2] != (subject, phase):
                    seen[rel] = NOT_READ_BY_REPORT
        views[subject] = ReportView(seen, {"disclosure": disclosure_digest(plan, subject)})
    return views


def views_for(views: dict, data_dir: str | Path, wanted: dict, files, *, loaded=None) -> dict:
    """Add to ``views`` (phase -> subject -> :class:`ReportView`) the views ``wanted`` (phase ->
    subjects) that it lacks, reading the data folder once for all of them, or not at all if
    ``loaded`` (:class:`~evaluation.contract.loaded.LoadedFolder`) holds it as it still is;
    return ``views``."""
    missing = {phase: [s for s in dict.fromkeys(subjects) if s not in views.get(phase, {})]
               for phase, subjects in wanted.items()}
    missing = {phase: subjects for phase, subjects in missing.items() if subjects}
    if missing:  # only now: a rerun with nothing changed does not import pandas
        from evaluation.contract import load_data

        data = loaded.for_folder(data_dir) if loaded is not None and loaded.is_current() else None
        data = load_data(data_dir) if data is None else data
        for phase, subjects in missing.items():
            views.setdefault(phase, {}).update(report_views(data_dir, phase, files, subjects, data=data))
    return views


def changed_in_view(recorded: dict, view: ReportView, changed) -> list[str]:
    """What changed for a report whose data files ``changed`` in their bytes: the files whose
    view differs from the one recorded (or was never recorded), then the derived quantities
    (``disclosure``) that differ; empty if the report sees the same data.

    Parameters
    ----------
    recorded : dict
        The report's ``inputs`` in the manifest.
    view : ReportView
        What it would see now.
    changed : iterable of str
        The files whose bytes changed.
    """
    files = recorded.get("data", {})
    differ = [rel for rel in changed if files.get(rel, {}).get("view") is None
              or files[rel]["view"] != view.files.get(rel)]
    derived = recorded.get("derived") or {}
    differ += [name for name in sorted(view.derived) if derived.get(name) != view.derived[name]]
    return differ


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


def report_inputs(job: ReportJob, inputs: RenderInputs, view: ReportView | None = None) -> dict:
    """The manifest's record of what ``job`` is built from.

    Every report reads every input file (``load_data`` reads the whole folder); what it sees of
    each is its ``view``.

    Parameters
    ----------
    job : ReportJob
        The report.
    inputs : RenderInputs
        The current fingerprints.
    view : ReportView, optional
        The report's view of the data (:func:`report_views`); ``None`` while unknown (the
        views are then filled in later, or a later data change re-renders the report).

    Returns
    -------
    dict
        ``parameters`` (the notebook's, with ``lang`` and ``data_dir``), ``notebook``,
        ``source`` and ``environment`` digests; ``data``: per relative file path, its
        ``sha256`` and its ``view`` digest; and ``derived``: the view's derived digests.
    """
    files = view.files if view is not None else {}
    return {
        "parameters": job.parameters(inputs.data_dir),
        "notebook": inputs.notebooks.get(job.notebook),
        "source": inputs.source,
        "environment": inputs.environment,
        "data": {rel: {"sha256": inputs.data.get(rel), "view": files.get(rel)} for rel in inputs.input_files},
        "derived": dict(view.derived) if view is not None else None,
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
        report's view of the data (:func:`report_views`, :func:`changed_in_view`) decides.
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
                  fresh=frozenset(), loaded=None) -> set[str]:
    """The reports of the manifest that are older than the data (the index marks them).

    Only the data count here (a changed notebook or package re-renders a report, but does not
    make what it says out of date): a report is older than the data when it was made from
    another data folder, from other data files, or when a file whose bytes changed changed in
    what the report sees (:func:`report_views`, computed here only for such a file). Reports of
    this render (``fresh``) and of phases not in ``phases`` are not judged.

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
        Views already computed (phase -> subject -> :class:`ReportView`); filled in here.
    fresh : collection of str
        Reports made or checked by this render.
    loaded : LoadedFolder, optional
        The data folder already loaded (see :func:`views_for`).

    Returns
    -------
    set of str
        Report names (``<phase>/<stem>``).
    """
    stale: set[str] = set()
    checks: dict[str, list] = {}
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
        if changed:
            checks[name] = changed
    wanted: dict = {}
    for name in checks:
        wanted.setdefault(entries[name]["phase"], []).append(entries[name].get("pilot"))
    try:
        views_for(views, data_dir, wanted, inputs.input_files, loaded=loaded)
    except Exception:  # noqa: BLE001 - a view that cannot be computed is not known to be current
        return stale | set(checks)
    stale.update(name for name in checks if changed_in_view(
        entries[name]["inputs"], views[entries[name]["phase"]][entries[name].get("pilot")], checks[name]))
    return stale
