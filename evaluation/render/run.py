"""Running the reports: one report in a kernel, many in worker processes, and the whole render.

:func:`render_reports` renders every report asked for that is not up to date, collects failures
instead of stopping at the first, writes each HTML file atomically (temporary file, then rename:
a reader never finds half a report, and the report of an earlier good run stays in place when a
rerun fails), and writes ``index.html`` last.

Reports run in worker processes (``spawn`` start method: a forked parent with a background
thread can hang). Each worker imports papermill, nbformat and nbconvert once and exports HTML
in-process; its kernels are forked from the warm process (:mod:`evaluation.render.kernels`)
where the platform allows. A synthesis report starts only when the pilot reports of its phase
are done (:func:`evaluation.render.jobs.run_in_dependency_order`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass, replace
from pathlib import Path

from evaluation import KERNEL_NAME
from evaluation.errors import EvaluationError, OutputError
from evaluation.files import atomic_write_text
from evaluation.html import FIGURE_FILES_ENV
from evaluation.render.fingerprints import (RenderInputs, changed_in_view, current_inputs, read_manifest,
                                            report_inputs, stale_reports, up_to_date, views_for, write_manifest)
from evaluation.render.guard import guard_output
from evaluation.render.jobs import (NOTEBOOK_DIR, RenderedReport, RenderSummary, ReportJob,
                                    run_in_dependency_order)
from evaluation.render.kernels import (WarmKernels, ensure_kernel, kernel_environment, kernel_manager_class,
                                      warm_kernels_supported)
from evaluation.publish import check_formats, figure_files_for
from evaluation.render.formats import missing_formats, move_into_place, publish_in, report_document
from evaluation.render.lifetime import ending_on_signals, kill_workers, worker_process_setup
from evaluation.render.output import (WORK_PREFIX, check_output_folder, is_output_failure, new_runtime_dir,
                                      output_error, remove_leftovers, remove_stale_runtime_dirs, writing)
from evaluation.render.page import (html_exporter, html_page, notebook_body, notebook_headings, page_title,
                                    write_index)


# --------------------------------------------------------------------------------------------
# One report
# --------------------------------------------------------------------------------------------


def render_one(job: ReportJob, *, data_dir: Path, out: Path, kernel_name: str = KERNEL_NAME,
               notebook_dir: Path = NOTEBOOK_DIR, kernel_manager_class=None, formats: Collection[str] = (),
               browser=None, data_version: str = "") -> RenderedReport:
    """Execute one report notebook and export it; never raises for a failing notebook.

    The executed notebook is written to a temporary folder first, and so are the report's other
    formats (:mod:`evaluation.render.formats`); only when execution, export and every format
    succeed are the HTML, the notebook and the formats moved into ``out``. A failed run leaves the
    earlier report untouched and keeps its executed notebook, with the error, as
    ``<stem>.failed.ipynb`` beside it.

    A failure to write the output (a full disk, a read-only folder) is not the report's: it
    raises :class:`~evaluation.errors.OutputError`, after removing what this run wrote.

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
    formats : collection of str
        Formats to make beside the HTML, some of :data:`evaluation.publish.FORMATS` (none by
        default). The report's kernel is told which figure files they take
        (:func:`evaluation.publish.figure_files_for`, :func:`~evaluation.render.kernels.kernel_environment`)
        and makes only those; the HTML is the same whatever the formats.
    browser : evaluation.publish.Chromium, optional
        The PDF engine (default: one started for this report and stopped after it).
    data_version : str
        The data's fingerprint, for the front page of the PDF and the Word document.

    Raises
    ------
    OutputError
        If the output cannot be written.
    """
    started = time.perf_counter()
    with writing(out):
        (out / job.phase).mkdir(parents=True, exist_ok=True)
        return _execute_and_export(job, data_dir=data_dir, out=out, kernel_name=kernel_name,
                                   notebook_dir=notebook_dir, kernel_manager_class=kernel_manager_class,
                                   formats=formats, browser=browser, data_version=data_version, started=started)


def _execute_and_export(job: ReportJob, *, data_dir: Path, out: Path, kernel_name: str, notebook_dir: Path,
                        kernel_manager_class, formats: Collection[str], browser, data_version: str,
                        started: float) -> RenderedReport:
    """:func:`render_one` in its temporary folder (see there)."""
    import nbformat
    import papermill

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
    with tempfile.TemporaryDirectory(dir=out, prefix=WORK_PREFIX) as work:
        executed = Path(work) / f"{job.stem}.ipynb"
        try:
            with kernel_environment({FIGURE_FILES_ENV: ",".join(figure_files_for(formats))}):
                papermill.execute_notebook(
                    str(Path(notebook_dir) / f"{job.notebook}.ipynb"), str(executed),
                    parameters=job.parameters(data_dir), kernel_name=kernel_name,
                    progress_bar=False, log_output=False, cwd=str(notebook_dir), **engine_options,
                )
            notebook = nbformat.read(executed, as_version=4)
            headings = notebook_headings(notebook)
            body = notebook_body(notebook)
            page = html_page(body, lang=job.lang, title=page_title(headings, job.name),
                             headings=headings)
            published = publish_in(Path(work), report_document(notebook, body, headings, job=job, data_dir=data_dir,
                                                               data_version=data_version),
                                   job, formats=formats, browser=browser)
        except Exception as error:  # noqa: BLE001 - every failure is collected, reported, and exits non-zero
            if is_output_failure(error):  # papermill could not write the executed notebook
                raise output_error(error, out) from None
            failed = job.failed_path(out)
            if executed.exists():
                shutil.move(str(executed), failed)
            message = _short_error(error)
            return RenderedReport(job, False, time.perf_counter() - started,
                                  notebook_path=failed if failed.exists() else None, error=message)
        html_path, notebook_path = job.html_path(out), job.notebook_path(out)
        atomic_write_text(html_path, page)
        os.replace(executed, notebook_path)
        files = move_into_place(published, job, out)
        job.failed_path(out).unlink(missing_ok=True)
    return RenderedReport(job, True, time.perf_counter() - started, html_path, notebook_path, files=files)


def _short_error(error: BaseException) -> str:
    """One line for a failed report: the error's name and the first line of its message that
    says something (some libraries start theirs with an empty line)."""
    name = getattr(error, "ename", type(error).__name__)
    value = str(getattr(error, "evalue", str(error)))
    first = next((line.strip() for line in value.splitlines() if line.strip()), "")
    return f"{name}: {first}"[:500] if first else name


# --------------------------------------------------------------------------------------------
# Worker processes
# --------------------------------------------------------------------------------------------

LOADED_FILE = "loaded-data.pickle"
"""The file in a render's private runtime folder that holds the data folder the render loaded
(:class:`~evaluation.contract.loaded.LoadedFolder`), for the warm process to use."""

_WORKER: dict = {}


def _worker_init(runtime_dir: str, warm: tuple[str, int, list] | None, formats: tuple = ()) -> None:
    """Set up a worker process: pay the imports and template loading once, not per report, and
    start the PDF engine (it boots while the first notebook runs; stopped when the worker ends)."""
    # jsonschema (through nbformat) imports rfc3987_syntax, when installed (jupyterlab brings
    # it), only to check "iri" formats that the notebook schema does not use; building its
    # parsers costs seconds per process (python-jsonschema issue 1428). Workers skip it.
    sys.modules.setdefault("rfc3987_syntax", None)
    worker_process_setup()
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    _WORKER["kernel_manager"] = (runtime_dir, warm)
    html_exporter()
    if "pdf" in formats:
        from multiprocessing.util import Finalize

        from evaluation.publish import Chromium

        browser = _WORKER["browser"] = Chromium().start()
        Finalize(browser, browser.close, exitpriority=10)


def _render_in_worker(job: ReportJob, data_dir: Path, out: Path, kernel_name: str,
                      notebook_dir: Path, formats: tuple = (), data_version: str = "") -> RenderedReport:
    runtime_dir, warm = _WORKER["kernel_manager"]
    # the warm process computes the analyses of the report's phase before forking its kernel,
    # from the data the render has loaded (if it could)
    prepare = {"data_dir": job.parameters(data_dir)["data_dir"], "phase": job.phase, "pilot": job.pilot}
    if (Path(runtime_dir) / LOADED_FILE).is_file():
        prepare["loaded"] = str(Path(runtime_dir) / LOADED_FILE)
    return render_one(job, data_dir=data_dir, out=out, kernel_name=kernel_name, notebook_dir=notebook_dir,
                      kernel_manager_class=kernel_manager_class(runtime_dir, warm=warm, prepare=prepare),
                      formats=formats, browser=_WORKER.get("browser"), data_version=data_version)


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
        with writing(self.path):
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
                   phases=None, phase_names=None, kernel_name: str = KERNEL_NAME,
                   notebook_dir: Path = NOTEBOOK_DIR, replace_reports: bool = False,
                   formats: Collection[str] = (), loaded=None) -> RenderSummary:
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
        :func:`~evaluation.render.kernels.warm_kernels_supported`); False gives every report a
        fresh kernel.
    inputs : RenderInputs, optional
        Fingerprints already computed by the caller
        (:func:`~evaluation.render.fingerprints.current_inputs`).
    input_files : iterable, optional
        The data files the reports read, if ``inputs`` is not given (default: every file).
    validated : dict, optional
        A record of the data validation, kept in the manifest (see :func:`~evaluation.render.checking.check_data`). Its
        ``identity`` (:func:`~evaluation.render.guard.data_identity`) is recorded as the
        folder's ``data_identity``, and guards it (:func:`~evaluation.render.guard.guard_output`).
    phases : sequence of str, optional
        The programme's phase ids in order, for the index page (default: the phases of
        ``jobs``, in their order).
    phase_names : mapping, optional
        Phase id to ``{lang: name}`` for the index page (:attr:`~evaluation.render.checking.CheckedData.phase_names`).
    kernel_name : str
        Jupyter kernel.
    notebook_dir : Path
        Folder of the report notebooks.
    replace_reports : bool
        Render even into a folder of reports made from other data (its manifest's entries of
        those reports are dropped; their files stay).
    formats : collection of str
        Formats to make beside each rendered report's HTML, some of
        :data:`evaluation.publish.FORMATS` (``pdf``, ``docx``, ``export``); none by default (the
        command line asks for all). A report that is up to date but lacks one of them is
        rendered again.
    loaded : LoadedFolder, optional
        The data folder as the caller validated and loaded it (:attr:`~evaluation.render.checking.CheckedData.loaded`):
        used, while the folder still holds the same bytes, to decide what to render and handed
        to the warm process, so that the folder is read and validated once per render
        (default: read here, once, if any report is to be rendered).

    Returns
    -------
    RenderSummary
        Every job's outcome (skipped ones included) and the index path.

    Raises
    ------
    OtherDataInOutputError
        If ``out`` holds reports made from other data and ``replace_reports`` is False; nothing
        is written.
    OutputError
        If ``out`` is a file, or cannot be written (read-only, a full disk): before anything is
        rendered when that shows at once, else as soon as a write fails; the render stops, and
        every file written before stays whole.
    RenderInterrupted, KeyboardInterrupt
        On ``SIGINT``, ``SIGTERM`` or ``SIGHUP``, or when the calling process's parent dies
        (:mod:`~evaluation.render.lifetime`): workers, the warm process and every kernel are
        stopped and the temporary files removed first.

    Notes
    -----
    Workers are started with ``spawn``, which imports the caller's ``__main__`` module again in
    each worker: a script that calls this function must do so under
    ``if __name__ == "__main__":`` (the command line and notebooks need nothing).

    Temporary files and folders that an earlier render killed outright left in ``out`` (and its
    kernel folder in the system's temporary folder) are removed before rendering
    (:func:`~evaluation.render.output.remove_leftovers`).
    """
    started = time.perf_counter()
    out = Path(out)
    identity = (validated or {}).get("identity")
    data_dir = Path(data_dir).resolve()
    guard_output(read_manifest(out), identity, out=out, replace=replace_reports,
                 data_dir=data_dir)  # before the lock file too
    check_output_folder(out)
    if inputs is None:
        inputs = current_inputs(data_dir, input_files=input_files, notebook_dir=notebook_dir,
                                notebooks=sorted({job.notebook for job in jobs}))
    summary = RenderSummary()
    with ending_on_signals(), _OutputLock(out):
        remove_leftovers(out)
        remove_stale_runtime_dirs()
        manifest = read_manifest(out)
        guard_output(manifest, identity, out=out, replace=replace_reports, data_dir=data_dir)
        if identity is not None and manifest.get("data_identity") not in (None, identity):
            manifest["reports"] = {}  # replaced: the reports of the other data are no longer listed
        if identity is not None:
            manifest["data_identity"] = identity
        if validated is not None:
            manifest["validated"] = validated
        formats = check_formats(formats)
        plan = _plan(jobs, manifest["reports"], inputs, data_dir=data_dir, out=out, force=force, formats=formats,
                     loaded=loaded)
        for job in plan.skipped:
            summary.reports.append(RenderedReport(job, True, 0.0, job.html_path(out), job.notebook_path(out),
                                                  skipped=True))
        if plan.skipped:
            progress(f"{len(plan.skipped)} report(s) up to date, not rendered (--force renders them)")
        if plan.to_render:
            run = _ParallelRun(out=out, data_dir=data_dir, inputs=inputs, views=plan.views, manifest=manifest,
                               summary=summary, reasons=plan.reasons,
                               data_version_id=data_version_id or inputs.data_version(), progress=progress,
                               loaded=loaded)
            run.run(plan.to_render, workers=workers, warm=warm, kernel_name=kernel_name, notebook_dir=notebook_dir,
                    formats=formats)
        order = {job: position for position, job in enumerate(jobs)}
        summary.reports.sort(key=lambda report: order[report.job])
        if phases is None:
            phases = (validated or {}).get("phases") or list(dict.fromkeys(job.phase for job in jobs))
        stale = stale_reports(manifest["reports"], inputs, data_dir=data_dir, out=out, phases=phases,
                              views=plan.views, fresh={job.name for job in jobs}, loaded=loaded)
        with writing(out):
            write_manifest(out, manifest)
            summary.index_path = write_index(out, phases=phases, phase_names=phase_names, stale=stale)
    summary.seconds = time.perf_counter() - started
    return summary


def _now() -> str:
    """The time now, as the manifest records it (UTC, to the second)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class _Plan:
    """What a render does: the reports to render (in the order of the jobs, with the reason for
    each) and those that are up to date, and the reports' views of the data computed to decide
    (phase -> subject -> :class:`~evaluation.render.fingerprints.ReportView`)."""

    to_render: list
    reasons: dict
    skipped: list
    views: dict


def _plan(jobs: list[ReportJob], entries: dict, inputs: RenderInputs, *, data_dir: Path, out: Path,
          force: bool, formats: tuple = (), loaded=None) -> _Plan:
    """Decide, report by report, whether to render it (see :func:`up_to_date`).

    A report whose data changed only in their bytes is rendered if its view of the data
    (:func:`~evaluation.render.fingerprints.report_views`: its pilot's rows after its phase's
    cut-off, the shared files, its disclosure decisions) differs from the one recorded; if not,
    its manifest entry (in ``entries``) takes the new bytes' digests and it is skipped. The views
    of a phase are computed for every report of the phase in ``jobs`` at once (one reading of
    the data for every phase), so that the reports rendered need no second reading.
    """
    to_render: list[tuple[ReportJob, str]] = []
    skipped: list[ReportJob] = []
    checks: dict[ReportJob, list[str]] = {}
    for job in jobs:
        verdict, detail = ("render", "forced") if force else up_to_date(job, entries.get(job.name), inputs, out)
        missing = missing_formats(job, entries.get(job.name), out, formats) if verdict != "render" else []
        if missing:
            verdict, detail = "render", f"{', '.join(missing)} missing"
        if verdict == "render":
            to_render.append((job, detail))
        elif verdict == "check":
            checks[job] = detail
        else:
            skipped.append(job)
    views: dict[str, dict] = {}
    if checks:
        views_for(views, data_dir, {phase: [job.pilot for job in jobs if job.phase == phase]
                                    for phase in dict.fromkeys(job.phase for job in checks)}, inputs.input_files,
                  loaded=loaded)
    for job, changed in checks.items():
        recorded = entries[job.name]["inputs"]
        differ = changed_in_view(recorded, views[job.phase][job.pilot], changed)
        if recorded.get("derived") is None:  # an entry of manifest schema 2: no view of its own
            to_render.append((job, "data changed; recorded before reports had their own view of the data"))
        elif differ:
            to_render.append((job, "data changed: " + ", ".join(differ)))
        else:  # the bytes changed, not what this report sees: keep it, note the bytes
            for rel in changed:
                recorded["data"][rel]["sha256"] = inputs.data.get(rel)
            skipped.append(job)
    order = {job: position for position, job in enumerate(jobs)}
    to_render.sort(key=lambda item: order[item[0]])
    return _Plan([job for job, _ in to_render], dict(to_render), skipped, views)


def _start_warm_process(warm: bool | None, notebook_dir: Path, runtime_dir: str, kernel: str) -> WarmKernels | None:
    """The running warm process, or ``None`` if kernels are to be fresh (or it did not start)."""
    warm = warm_kernels_supported() if warm is None else (warm and warm_kernels_supported())
    warm_process = (WarmKernels(notebook_dir, runtime_dir=Path(runtime_dir), kernel_name=kernel).start()
                    if warm else None)
    if warm_process is not None and warm_process.process is None:
        return None
    return warm_process


class _ParallelRun:
    """The reports of one render running in worker processes, and their manifest entries.

    Each report's entry is written to the manifest as soon as it is done, so that an interrupted
    run keeps what it made. The reports' views of the data, which the entries record, are
    computed in a background thread while the workers run (those not computed by the plan).
    """

    def __init__(self, *, out: Path, data_dir: Path, inputs: RenderInputs, views: dict, manifest: dict,
                 summary: RenderSummary, reasons: dict, data_version_id: str, progress, loaded=None):
        self.out, self.data_dir, self.inputs, self.views = out, data_dir, inputs, views
        self.manifest, self.entries = manifest, manifest["reports"]
        self.summary, self.reasons = summary, reasons
        self.data_version_id, self.progress = data_version_id, progress
        self.data_as_of = (manifest.get("validated") or {}).get("data_as_of") or {}
        self.view_future = None
        self.formats: tuple = ()
        self.loaded = loaded

    def run(self, jobs: list[ReportJob], *, workers: int | None, warm: bool | None, kernel_name: str,
            notebook_dir: Path, formats: tuple = ()) -> None:
        """Render ``jobs`` in up to ``workers`` processes; record each outcome as it comes."""
        from concurrent.futures import ThreadPoolExecutor

        kernel = ensure_kernel(kernel_name)
        self.formats = formats
        workers = max(1, min(workers or default_workers(), len(jobs)))
        self.summary.workers = workers
        runtime_dir = str(new_runtime_dir())
        warm_process = _start_warm_process(warm, notebook_dir, runtime_dir, kernel)
        loaded = self._load_once(runtime_dir) if warm_process is not None else self.loaded
        background = ThreadPoolExecutor(max_workers=1)
        wanted = {phase: [job.pilot for job in jobs if job.phase == phase]
                  for phase in dict.fromkeys(job.phase for job in jobs)}
        self.view_future = background.submit(views_for, {phase: dict(known) for phase, known in self.views.items()},
                                             self.data_dir, wanted, self.inputs.input_files, loaded=loaded)
        try:
            warm_address = (warm_process.address, warm_process.pid, warm_process.interpreter) if warm_process else None
            self._run_pool(jobs, workers=workers, runtime_dir=runtime_dir, warm=warm_address, kernel=kernel,
                           notebook_dir=Path(notebook_dir))
        finally:
            if warm_process is not None:
                warm_process.close()
            shutil.rmtree(runtime_dir, ignore_errors=True)
            background.shutdown(wait=True)
        self._complete_views()

    def _load_once(self, runtime_dir: str):
        """The data folder loaded once for the whole render (the caller's, while current; else
        read now, while the warm process starts), saved in the render's private runtime folder
        for the warm process (:data:`LOADED_FILE`); ``None`` if it cannot be loaded (each report
        then loads the folder itself and reports what is wrong)."""
        from evaluation.contract.loaded import LoadedFolder, load_folder

        loaded = self.loaded if self.loaded is not None and self.loaded.is_current() else None
        try:
            loaded = loaded or load_folder(self.data_dir)
        except Exception:  # noqa: BLE001 - the reports load the data themselves and report the error
            return None
        data = loaded.for_folder(self.data_dir)
        if data is None or not loaded.digest:
            return None
        loaded = LoadedFolder(str(self.data_dir), loaded.digest, data)
        loaded.save(Path(runtime_dir) / LOADED_FILE)
        return loaded

    def _run_pool(self, jobs: list[ReportJob], *, workers: int, runtime_dir: str, warm: tuple | None, kernel: str,
                  notebook_dir: Path) -> None:
        import multiprocessing
        from concurrent.futures import Future, ProcessPoolExecutor

        context = multiprocessing.get_context("spawn")
        pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init,
                                   initargs=(runtime_dir, warm, self.formats))

        def submit(job: ReportJob):
            try:
                return pool.submit(_render_in_worker, job, self.data_dir, self.out, kernel, notebook_dir,
                                   self.formats, self.data_version_id)
            except Exception as error:  # noqa: BLE001 - a broken pool fails the report, not the run
                failed = Future()
                failed.set_exception(error)
                return failed

        try:
            run_in_dependency_order(jobs, submit, capacity=workers, on_done=self._on_done)
        except BaseException:  # an interrupt, or an output that cannot be written: stop every report now
            kill_workers(pool)
            pool.shutdown(wait=True, cancel_futures=True)
            remove_leftovers(self.out)  # the killed workers' temporary folders
            raise
        pool.shutdown(wait=True)

    def _view(self, job: ReportJob, wait: bool):
        """The report's view of the data; ``None`` while it is still being computed, unless
        ``wait``, or if it could not be computed (a later data change then re-renders: safe)."""
        future = self.view_future
        if future is not None and (wait or future.done()):
            self.view_future = None
            try:
                for phase, known in future.result().items():
                    self.views.setdefault(phase, {}).update(known)
            except Exception:  # noqa: BLE001 - without views a later data change re-renders: safe
                pass
        return self.views.get(job.phase, {}).get(job.pilot)

    def _record(self, result: RenderedReport) -> None:
        job = result.job
        self.entries[job.name] = {
            "phase": job.phase, "pilot": job.pilot, "lang": job.lang, "notebook": job.notebook,
            "html": result.html_path.relative_to(self.out).as_posix(), "data_version": self.data_version_id,
            "data_as_of": self.data_as_of.get(job.phase),
            "generated": _now(), "seconds": round(result.seconds, 3), "files": dict(result.files),
            "inputs": report_inputs(job, self.inputs, self._view(job, wait=False)),
        }
        with writing(self.out):
            write_manifest(self.out, self.manifest)  # after every report: an interrupted run keeps what it made

    def _record_failure(self, result: RenderedReport) -> None:
        """Note a failed run in the report's entry; the last good version's record stays."""
        job = result.job
        entry = self.entries.setdefault(job.name, {"phase": job.phase, "pilot": job.pilot, "lang": job.lang,
                                                   "notebook": job.notebook})
        entry["failed"] = {"at": _now(), "error": result.error}
        with writing(self.out):
            write_manifest(self.out, self.manifest)

    def _on_done(self, job: ReportJob, future) -> None:
        from concurrent.futures.process import BrokenProcessPool

        try:
            result = future.result()
        except OutputError:
            raise  # the output folder cannot be written: no report can be; the render stops
        except BrokenProcessPool as error:
            result = RenderedReport(job, False, 0.0, error=f"worker process died: {error}")
        except Exception as error:  # noqa: BLE001
            result = RenderedReport(job, False, 0.0, error=_short_error(error))
        result = replace(result, reason=self.reasons.get(job, ""))
        self.summary.reports.append(result)
        if result.ok:
            self._record(result)
        else:
            self._record_failure(result)
        status = "ok" if result.ok else f"FAILED ({result.error})"
        self.progress(f"{job.name:<24} {result.seconds:6.1f} s  {status}  [{result.reason}]")

    def _complete_views(self) -> None:
        """Fill in the views of the entries recorded before their views were ready."""
        for result in self.summary.reports:
            if result.ok and not result.skipped and result.job.name in self.entries:
                view = self._view(result.job, wait=True)
                recorded = self.entries[result.job.name]["inputs"]
                if view is None:
                    continue
                for rel, item in recorded["data"].items():
                    if item.get("view") is None:
                        item["view"] = view.files.get(rel)
                if recorded.get("derived") is None:
                    recorded["derived"] = dict(view.derived)
