"""How fast do reports render? ``make bench`` (or ``python benchmarks/bench.py``).

Prints, for the machine it runs on:

* the *floor*: the median time to start a fresh Jupyter kernel and import the report's libraries
  in it (measured here), and the same for a kernel forked from the warm process;
* a cold render of all demo reports, HTML only (``--formats html``, the reports themselves, as
  the performance issue measured them), with ``--jobs 1``, with the default number of workers,
  and with fresh kernels (``--fresh-kernels``); then with every format (the command line's
  default: PDF, Word and the export pack too); each with its peak memory, and the mean time of
  the notebooks' cells per report;
* a rerun with nothing changed, and reruns after one pilot's data changed (how many reports
  each renders again, beside how many read the change), with every format;
* the figures of one final report: seconds spent laying out, drawing and encoding them, in an
  HTML-only render and in one with every format (the report's cells run in this process);
* scaling, HTML only: synthetic programmes of 4, 16 and 64 pilots (final phase: pilot reports
  and the synthesis), and the demo's survey respondents x1, x10 and x100 (one report), as time
  per report and peak memory.

Times are wall-clock seconds of the command line (``python -m evaluation render``), so they
include starting Python and validating the data. Machines and neighbours are noisy: the ratios to
the floor measured in the same run are what to compare across machines. Only public tools are
used (the command line, ``jupyter_client``, ``psutil`` for memory).

Options: ``--quick`` skips the 64-pilot and x100 runs; ``--repeats N`` sets the floor's samples.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "demo"
PILOT_ROW_FILES = ("survey/responses.csv", "survey/population.csv", "interviews/interviews.csv",
                   "indicators/observations.csv", "milestones.csv", "assessments.csv")


# --------------------------------------------------------------------------------------------
# Measuring
# --------------------------------------------------------------------------------------------


class PeakMemory:
    """Peak proportional set size (PSS; RSS where PSS is unknown) of a process and its children.

    PSS counts a page shared by n processes as 1/n in each, so forked kernels that share the warm
    process's memory are not counted many times over.
    """

    def __init__(self, pid: int, interval: float = 0.2):
        self.pid, self.interval, self.peak = pid, interval, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            import psutil
        except ImportError:
            return
        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            total = 0
            try:
                processes = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for process in processes:
                try:
                    info = process.memory_full_info()
                    total += getattr(info, "pss", info.rss)
                except psutil.Error:
                    pass
            self.peak = max(self.peak, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def render(data_dir: Path, out: Path, *args: str) -> dict:
    """Run ``python -m evaluation render``; return wall time, peak memory and the summary line."""
    return timed([sys.executable, "-m", "evaluation", "render", "--data-dir", str(data_dir), "--out", str(out), *args])


SMALL_REPORT = """\
from IPython.display import display
from evaluation import report

ctx = report.open_report(data_dir, pilot=pilot, phase=phase, lang=lang)
display(report.title_block(ctx))
"""

SMALL_DRIVER = """\
import sys
from pathlib import Path
from evaluation.render import check_data, plan_reports, render_reports
data, out, notebooks = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
checked = check_data(data, out=out, notebook_dir=notebooks)
jobs = plan_reports(phases=checked.phases, pilots=checked.pilots, notebook_dir=notebooks)
summary = render_reports(jobs, data_dir=data, out=out, inputs=checked.inputs, validated=checked.validated,
                         notebook_dir=notebooks, warm=False if sys.argv[4] == "fresh" else None,
                         progress=lambda line: None)
print(f"{len(summary.rendered)} rendered, {len(summary.skipped)} up to date, {len(summary.failures)} failed")
sys.exit(1 if summary.failures else 0)
"""


def small_notebooks(folder: Path) -> Path:
    """Report notebooks that only open the report and show its title: the render machinery's
    fixed costs with a small report's work (validating and loading the data once)."""
    import nbformat

    folder.mkdir(parents=True)
    for name, pilot in (("pilot_report", '"stad"'), ("synthesis_report", "None")):
        nb = nbformat.v4.new_notebook()
        nb.metadata["kernelspec"] = {"name": "statens-hus-eval", "display_name": "Statens hus evaluering",
                                     "language": "python"}
        parameters = nbformat.v4.new_code_cell(f'pilot = {pilot}\nphase = "midterm"\ndata_dir = ""\nlang = "nb"')
        parameters.metadata["tags"] = ["parameters"]
        nb.cells = [parameters, nbformat.v4.new_code_cell(SMALL_REPORT)]
        nbformat.write(nb, folder / f"{name}.ipynb")
    return folder


def render_small(data_dir: Path, out: Path, notebooks: Path, kernels: str) -> dict:
    """All reports of a programme with the small notebooks, through :func:`render_reports`."""
    return timed([sys.executable, "-c", SMALL_DRIVER, str(data_dir), str(out), str(notebooks), kernels])


def timed(command: list[str]) -> dict:
    """Run a render command; return wall time, peak memory and its summary line."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(process.pid) as memory:
        stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"render failed ({' '.join(command)}):\n{stdout}\n{stderr}")
    summary = [line for line in stdout.splitlines() if " rendered, " in line][-1]
    rendered = int(summary.split()[0])
    return {"seconds": seconds, "peak_mb": memory.peak / 2**20, "summary": summary, "rendered": rendered,
            "lines": stdout.splitlines()}


def notebook_seconds(out: Path) -> float:
    """Mean time the report notebooks' cells took (papermill's record), in seconds."""
    totals = []
    for path in out.glob("*/*.ipynb"):
        if path.name.endswith(".failed.ipynb"):
            continue
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        totals.append(sum(c.get("metadata", {}).get("papermill", {}).get("duration") or 0 for c in cells))
    return statistics.mean(totals) if totals else float("nan")


async def _kernel_start_and_imports(manager_class, code: str) -> float:
    started = time.perf_counter()
    manager = manager_class(kernel_name="statens-hus-eval")
    await manager.start_kernel(cwd=str(REPO / "notebooks"), extra_arguments=["--HistoryManager.hist_file=:memory:"])
    client = manager.client()
    client.start_channels()
    try:
        await client.wait_for_ready(timeout=120)
        reply = await client.execute_interactive(code, timeout=300)
        if reply["content"]["status"] != "ok":
            raise SystemExit(f"the imports failed in the kernel: {reply['content']}")
        return time.perf_counter() - started
    finally:
        client.stop_channels()
        await manager.shutdown_kernel(now=True)


def floor(repeats: int) -> dict:
    """Median time to start a kernel and import the report's libraries: fresh and forked."""
    from evaluation.render.jobs import NOTEBOOK_DIR
    from evaluation.render.kernels import WarmKernels, kernel_manager_class
    from evaluation.render.warm import preload_modules

    modules = preload_modules(NOTEBOOK_DIR)
    code = (f"import importlib\nfor name in {modules!r}:\n    try:\n        importlib.import_module(name)\n"
            "    except ImportError:\n        pass\n")
    runtime = Path(tempfile.mkdtemp(prefix="shb-"))
    try:
        fresh = [asyncio.run(_kernel_start_and_imports(kernel_manager_class(runtime), code)) for _ in range(repeats)]
        started = time.perf_counter()
        with WarmKernels(NOTEBOOK_DIR) as warm:
            first = asyncio.run(_kernel_start_and_imports(warm.kernel_manager_class, code))
            preload = time.perf_counter() - started
            forked = [asyncio.run(_kernel_start_and_imports(warm.kernel_manager_class, code)) for _ in range(repeats)]
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    return {"fresh": statistics.median(fresh), "fresh_all": fresh, "forked": statistics.median(forked),
            "warm_start": preload, "first_forked": first, "modules": len(modules)}


FIGURE_FILES_BY_RUN = {"HTML only": "", "all formats": "svg,png"}
"""The figure files a report's kernel makes (``EVALUATION_FIGURE_FILES``) for an HTML-only render
and for one that also makes the Word document and the export pack."""


def figure_seconds(*, pilot: str = "stad", phase: str | None = None, repeats: int = 3) -> dict:
    """Median seconds one pilot report spends drawing its figures, per run of :data:`FIGURE_FILES_BY_RUN`.

    The report's cells run in this process (``tests/inline_report.py``, the render's code path
    without a kernel), once to warm up, then ``repeats`` times per kind of run, the kinds
    interleaved. Figure time is the time in matplotlib's layout engine and ``savefig`` (laying
    out, drawing and encoding every file of every chart), counted once when one calls the other;
    the cells' total is timed around the whole report.

    ``phase`` is a phase id of the demo's ``programme.yaml``; by default its last phase.

    Returns
    -------
    dict
        Run name to ``{"figures": s, "cells": s, "figure_count": n}``.
    """
    sys.path.insert(0, str(REPO / "tests"))
    from inline_report import pilot_report
    from matplotlib.figure import Figure

    from evaluation.contract import load_data

    phase = phase or load_data(DEMO).programme.phases[-1]
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    spent = {"seconds": 0.0, "depth": 0}

    def timed_method(cls, name):
        original = getattr(cls, name)

        def wrapper(*args, **kwargs):
            spent["depth"] += 1
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent["depth"] -= 1
                if spent["depth"] == 0:
                    spent["seconds"] += time.perf_counter() - started
        setattr(cls, name, wrapper)
        return original

    originals = {(Figure, "savefig"): timed_method(Figure, "savefig"),
                 (ConstrainedLayoutEngine, "execute"): timed_method(ConstrainedLayoutEngine, "execute")}
    saved_env = os.environ.get("EVALUATION_FIGURE_FILES")
    samples: dict = {name: {"figures": [], "cells": []} for name in FIGURE_FILES_BY_RUN}
    try:
        pilot_report(DEMO, pilot, phase)  # imports, caches
        for _ in range(repeats):
            for name, kinds in FIGURE_FILES_BY_RUN.items():
                os.environ["EVALUATION_FIGURE_FILES"] = kinds
                spent["seconds"] = 0.0
                started = time.perf_counter()
                html = pilot_report(DEMO, pilot, phase)
                samples[name]["cells"].append(time.perf_counter() - started)
                samples[name]["figures"].append(spent["seconds"])
    finally:
        for (cls, method), original in originals.items():
            setattr(cls, method, original)
        if saved_env is None:
            os.environ.pop("EVALUATION_FIGURE_FILES", None)
        else:
            os.environ["EVALUATION_FIGURE_FILES"] = saved_env
    count = html.count('class="report-figure"')
    return {name: {"figures": statistics.median(values["figures"]), "cells": statistics.median(values["cells"]),
                   "figure_count": count} for name, values in samples.items()}


# --------------------------------------------------------------------------------------------
# Synthetic programmes
# --------------------------------------------------------------------------------------------


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _write(path: Path, rows: list[dict], fields: list[str]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _rename(value, old: str, new: str):
    """Replace a pilot id prefix (``stad-d1`` -> ``stad2-d1``) anywhere in a YAML/CSV value."""
    if isinstance(value, str):
        return new + value[len(old):] if value == old or value.startswith(old + "-") else value
    if isinstance(value, list):
        return [_rename(v, old, new) for v in value]
    if isinstance(value, dict):
        return {k: _rename(v, old, new) for k, v in value.items()}
    return value


def synthetic_programme(target: Path, *, pilots: int = 4, respondents: int = 1) -> Path:
    """The demo data with its pilots copied to ``pilots`` pilots and every survey response
    repeated ``respondents`` times (invitations scaled alike)."""
    import yaml

    shutil.copytree(DEMO, target)
    programme_path = target / "programme.yaml"
    config = yaml.safe_load(programme_path.read_text(encoding="utf-8"))
    base = config["pilots"]
    copies = []
    for n in range(pilots):
        pilot = base[n % len(base)]
        round_ = n // len(base)
        new = pilot["id"] if round_ == 0 else f"{pilot['id']}{round_ + 1}"
        entry = _rename(pilot, pilot["id"], new)
        if round_:
            entry["name"] = f"{pilot['name']} {round_ + 1}"
            entry["municipality_number"] = f"{(int(pilot['municipality_number']) + 37 * round_) % 10000:04d}"
        copies.append((pilot["id"], new, round_, entry))
    config["pilots"] = [entry for *_, entry in copies]
    programme_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")

    interviews = _read(DEMO / "interviews/interviews.csv")
    segments = _read(DEMO / "interviews/segments.csv")
    by_interview: dict[str, list[dict]] = {}
    for segment in segments:
        by_interview.setdefault(segment["interview_id"], []).append(segment)
    for name in PILOT_ROW_FILES:
        rows = _read(DEMO / name)
        fields = list(rows[0])
        out_rows = []
        for old, new, round_, _ in copies:
            for row in rows:
                if row["pilot"] != old:
                    continue
                copy = {k: _rename(v, old, new) for k, v in row.items()}
                suffix = f"-{round_ + 1}" if round_ else ""
                for key in ("respondent_id", "interview_id"):
                    if key in copy:
                        copy[key] += suffix
                if name == "survey/population.csv":
                    copy["invited"] = str(int(copy["invited"]) * respondents)
                if name == "survey/responses.csv" and respondents > 1:
                    out_rows += [{**copy, "respondent_id": f"{copy['respondent_id']}-x{k}"} for k in range(respondents)]
                else:
                    out_rows.append(copy)
        _write(target / name, out_rows, fields)
    segment_rows = []
    for old, _new, round_, _ in copies:
        for interview in interviews:
            if interview["pilot"] != old:
                continue
            suffix = f"-{round_ + 1}" if round_ else ""
            for segment in by_interview.get(interview["interview_id"], []):
                segment_rows.append({**segment, "segment_id": segment["segment_id"] + suffix,
                                     "interview_id": segment["interview_id"] + suffix})
    _write(target / "interviews/segments.csv", segment_rows, list(segments[0]))
    narratives = target / "narratives"
    for path in sorted((DEMO / "narratives").glob("*.md")):
        pilot_id, rest = path.name.rsplit("-", 1)
        for old, new, round_, _ in copies:
            if old == pilot_id and round_:  # the copy's sub-goal sections name the copy's sub-goals
                text = re.sub(rf"^(## (?:Delmål|Sub-goal) ){re.escape(old)}-", rf"\g<1>{new}-",
                              path.read_text(encoding="utf-8"), flags=re.MULTILINE)
                (narratives / f"{new}-{rest}").write_text(text, encoding="utf-8")
    return target


def change_one_pilots_survey(data_dir: Path, *, pilot: str = "stad", year: str = "2024") -> None:
    """One new answer: change Q01 of one respondent of ``pilot`` who answered in ``year``."""
    path = data_dir / "survey/responses.csv"
    rows = _read(path)
    for row in rows:
        if row["pilot"] == pilot and row["response_date"].startswith(year) and row["Q01"] in ("2", "3"):
            row["Q01"] = "3" if row["Q01"] == "2" else "2"
            break
    _write(path, rows, list(rows[0]))


def per_pilot_reruns(demo: Path, out: Path, report) -> None:
    """Reruns after one pilot's data changed, into ``out`` (the demo's reports, up to date).

    Prints for each change how many reports were rendered again, beside how many read the change
    (the pilot's reports of the phases whose cut-off it falls before, and the syntheses of those
    phases), and the wall time of the whole command; then a rerun with nothing changed.
    """
    def one_observation(pilot: str, year: str) -> None:
        path = demo / "indicators/observations.csv"
        rows = _read(path)
        row = next(r for r in rows if r["pilot"] == pilot and r["date"].startswith(year))
        row["value"] = str(float(row["value"]) + 1)
        _write(path, rows, list(rows[0]))

    cases = (("one stad answer of 2024 changed", lambda: change_one_pilots_survey(demo, pilot="stad", year="2024"), 2),
             ("one stad answer of 2022 changed", lambda: change_one_pilots_survey(demo, pilot="stad", year="2022"), 4),
             ("one orkland indicator value of 2022 changed", lambda: one_observation("orkland", "2022"), 4),
             ("nothing changed", lambda: None, 0))
    for label, change, reading in cases:
        change()
        run = render(demo, out)
        report(f"rerun after {label}" if reading else f"rerun, {label} (after the per-pilot reruns)",
               f"{run['seconds']:6.2f} s  ({run['rendered']} re-rendered; {reading} read the change)")


# --------------------------------------------------------------------------------------------
# The benchmark
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="skip the 64-pilot and x100-respondent runs")
    parser.add_argument("--repeats", type=int, default=5, help="samples of the floor (default 5)")
    args = parser.parse_args(argv)
    from evaluation.render.kernels import ensure_kernel
    from evaluation.render.run import default_workers

    ensure_kernel()
    cores = default_workers()
    work = Path(tempfile.mkdtemp(prefix="statens-hus-bench-"))
    results: list[tuple[str, str]] = []

    results_by_label: dict[str, str] = {}

    def report(label: str, value: str) -> None:
        results.append((label, value))
        results_by_label[label] = value.split("=")[1].split("x")[0].strip() if "=" in value else value
        print(f"  {label:<58} {value}", flush=True)

    try:
        print(f"Machine: {cores} core(s), Python {sys.version.split()[0]}, load average "
              f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
        print("Floor (kernel start + the report's imports; median):", flush=True)
        base = floor(args.repeats)
        f = base["fresh"]
        report("fresh kernel", f"{f:6.2f} s  (samples {', '.join(f'{x:.2f}' for x in base['fresh_all'])})")
        report("kernel forked from the warm process", f"{base['forked']:6.2f} s  = {base['forked'] / f:.2f} x floor")
        report("warm process start (once per render)",
               f"{base['warm_start']:6.2f} s  = {base['warm_start'] / f:.2f} x floor")

        print("Demo programme (4 pilots x 2 phases + 2 syntheses = 10 reports):", flush=True)
        demo = work / "demo"
        shutil.copytree(DEMO, demo)  # a copy: the rerun below changes it
        runs = {}
        html_only = ["--formats", "html"]  # the measure: the reports themselves
        for label, options in (("cold, HTML only, --jobs 1", ["--jobs", "1", *html_only]),
                               (f"cold, HTML only ({cores} workers)", html_only),
                               ("cold, HTML only, --fresh-kernels", ["--fresh-kernels", *html_only]),
                               (f"cold, default: every format ({cores} workers)", [])):
            out = work / f"demo-{len(runs)}"
            runs[label] = run = render(demo, out, *options)
            reports = run["rendered"]
            report(label, f"{run['seconds']:6.1f} s  = {run['seconds'] / f:.1f} x floor; "
                          f"{run['seconds'] / (reports * f / cores):.2f} x (reports x floor / cores); "
                          f"peak {run['peak_mb']:.0f} MB")
        small = small_notebooks(work / "small-notebooks")
        for label, kernels in ((f"small reports, cold, default ({cores} workers)", "warm"),
                               ("small reports, cold, default, fresh kernels", "fresh")):
            run = render_small(demo, work / f"small-{kernels}", small, kernels)
            report(label, f"{run['seconds']:6.1f} s  = {run['seconds'] / (10 * f / cores):.2f} x (10 x floor / cores); "
                          f"{notebook_seconds(work / f'small-{kernels}'):.2f} s per report in cells")
        report("mean time in the notebooks' cells per report, HTML only",
               f"{notebook_seconds(work / 'demo-1'):6.2f} s (the report's own work, any way it is run)")
        default_out = work / "demo-3"
        report("the same, every format", f"{notebook_seconds(default_out):6.2f} s (figure files for Word and "
               "the export pack too)")
        nochange = render(demo, default_out)
        report("rerun, nothing changed", f"{nochange['seconds']:6.2f} s  ({nochange['summary']})")
        per_pilot_reruns(demo, default_out, report)

        print("Figures of one report (final/stad, cells run in this process; median):", flush=True)
        for name, times in figure_seconds(repeats=args.repeats).items():
            report(f"{name}: {times['figure_count']} figures",
                   f"{times['figures']:6.2f} s drawing figures of {times['cells']:.2f} s in the cells")

        print("Scaling (time per report, HTML only, as the issue measured):", flush=True)
        for pilots in (4, 16) if args.quick else (4, 16, 64):
            data = synthetic_programme(work / f"pilots-{pilots}", pilots=pilots)
            run = render(data, work / f"pilots-{pilots}-out", "--phase", "final", *html_only)
            per = run["seconds"] / run["rendered"]
            report(f"{pilots} pilots, final phase ({run['rendered']} reports)",
                   f"{run['seconds']:6.1f} s; {per:5.2f} s per report = {per / f:.2f} x floor; "
                   f"peak {run['peak_mb']:.0f} MB")
        single = {}
        for factor in (1, 10) if args.quick else (1, 10, 100):
            data = synthetic_programme(work / f"respondents-{factor}", respondents=factor)
            run = render(data, work / f"respondents-{factor}-out", "--phase", "final", "--pilot", "stad", *html_only)
            single[factor] = run["seconds"]
            rows = sum(1 for _ in open(data / "survey/responses.csv", encoding="utf-8")) - 1
            report(f"survey respondents x{factor} ({rows} responses), one report",
                   f"{run['seconds']:6.1f} s  (+{run['seconds'] - single[1]:.1f} s over x1)")
        print("Targets (2 cores; the report's own work counts in every run):", flush=True)
        cold = runs[f"cold, HTML only ({cores} workers)"]
        report("cold, HTML only / (10 x floor / cores)  [target <= 0.5]",
               f"{cold['seconds'] / (10 * f / cores):.2f} (full reports), "
               f"{results_by_label[f'small reports, cold, default ({cores} workers)']} (small reports)")
        report("rerun with nothing changed  [target < 0.3 s]", f"{nochange['seconds']:.2f} s")
        if 100 in single:
            report("x100 respondents, added time per report  [target < 2 s]", f"{single[100] - single[1]:.1f} s")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
