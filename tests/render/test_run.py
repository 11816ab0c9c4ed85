"""Running the reports: a parallel render on warm kernels gives the same reports as a serial run
on fresh kernels; a failing report does not stop the others and never replaces an earlier good
report; a rerun renders again exactly the reports whose inputs changed.

The reference in every comparison is an independent path: papermill's own kernel manager (a
fresh kernel over TCP, as ``papermill`` on the command line runs it) and one report at a time.
The parallel, warm render compared with it is the session's demo render (conftest.demo_reports,
the command line with its defaults). A failure is planted in a copy of the report notebook (a
cell that raises for one pilot), the way a real bug in a chapter would show up.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import DEMO, REPO
from evaluation import KERNEL_NAME
from evaluation.render.fingerprints import data_file_digests
from evaluation.render.jobs import ReportJob, plan_reports
from evaluation.render import check_data
from evaluation.render.run import render_one, render_reports

from .helpers import edit_response, sha256

RUN_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC")


def without_run_time(page: str) -> str:
    """A report page with its run timestamps (provenance appendix) blanked out."""
    return RUN_TIME.sub("<run time>", page)


# --------------------------------------------------------------------------------------------
# The real reports: parallel and warm versus serial and fresh
# --------------------------------------------------------------------------------------------

JOBS = [ReportJob("pilot_report", "midterm", "stad"), ReportJob("pilot_report", "final", "narvik"),
        ReportJob("synthesis_report", "midterm", None)]


@pytest.fixture(scope="module")
def serial(tmp_path_factory) -> Path:
    """The reference: one report at a time, papermill's own (fresh, TCP) kernel manager; with the
    Word document and the export pack, so that its kernels make the figure files that the demo
    render's kernels make for them (the PDF adds none)."""
    out = tmp_path_factory.mktemp("serial")
    results = [render_one(job, data_dir=DEMO.resolve(), out=out, formats=("docx", "export")) for job in JOBS]
    assert all(result.ok for result in results), [result.error for result in results]
    return out


@pytest.mark.notebook
@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_parallel_warm_render_gives_the_same_html_as_a_serial_fresh_run(demo_reports, serial, job):
    parallel = job.html_path(demo_reports).read_text(encoding="utf-8")
    reference = job.html_path(serial).read_text(encoding="utf-8")
    assert len(RUN_TIME.findall(parallel)) == 1  # only the provenance appendix's run time differs
    assert without_run_time(parallel) == without_run_time(reference)


@pytest.mark.notebook
@pytest.mark.parametrize("job", JOBS, ids=lambda job: job.name)
def test_parallel_warm_render_gives_the_same_notebook_outputs_as_a_serial_fresh_run(demo_reports, serial, job):
    def outputs(path: Path) -> list:
        executed = nbformat.read(path, as_version=4)
        return [[{k: v for k, v in output.items() if k != "metadata"} for output in cell.outputs
                 if output.get("name") != "stderr"]
                for cell in executed.cells if cell.cell_type == "code"]

    def normalised(cells: list) -> str:  # run times, and object addresses in plain-text reprs
        return re.sub(r" at 0x[0-9a-f]+", " at 0x…", RUN_TIME.sub("<run time>", json.dumps(cells)))

    assert normalised(outputs(job.notebook_path(demo_reports))) == normalised(outputs(job.notebook_path(serial)))


# --------------------------------------------------------------------------------------------
# Failures
# --------------------------------------------------------------------------------------------

PLANTED = "planted failure for the test"
FAILING = [ReportJob("pilot_report", "midterm", "stad"), ReportJob("pilot_report", "midterm", "narvik")]


def failing_notebooks(folder: Path) -> Path:
    """A copy of the report notebooks in which the pilot report fails for Narvik only."""
    shutil.copytree(REPO / "notebooks", folder)
    path = folder / "pilot_report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    position = next(i for i, cell in enumerate(notebook.cells) if "open_report" in cell.source)
    notebook.cells.insert(position + 1, nbformat.v4.new_code_cell(
        f'if pilot == "narvik":\n    raise RuntimeError("{PLANTED}")'))
    nbformat.write(notebook, path)
    return folder


@pytest.fixture(scope="module")
def failed_run(tmp_path_factory):
    """Stad and Narvik's midterm reports rendered in parallel on warm kernels; Narvik's fails."""
    root = tmp_path_factory.mktemp("failing")
    notebooks = failing_notebooks(root / "notebooks")
    out = root / "reports"
    lines: list[str] = []
    summary = render_reports(FAILING, data_dir=DEMO, out=out, workers=2, warm=True, progress=lines.append,
                             notebook_dir=notebooks)
    return {"summary": summary, "lines": lines, "out": out, "notebooks": notebooks}


@pytest.mark.notebook
def test_a_failing_pilot_does_not_stop_the_others(failed_run):
    summary, out = failed_run["summary"], failed_run["out"]
    assert [r.job.name for r in summary.failures] == ["midterm/narvik"]
    assert [r.job.name for r in summary.rendered] == ["midterm/stad"]
    failure = summary.failures[0]
    assert PLANTED in failure.error and "RuntimeError" in failure.error
    # the executed notebook with the error is kept, where the summary says
    assert failure.notebook_path == out / "midterm" / "narvik.failed.ipynb"
    executed = nbformat.read(failure.notebook_path, as_version=4)
    errors = [o for c in executed.cells if c.cell_type == "code" for o in c.get("outputs", [])
              if o.get("output_type") == "error"]
    assert errors and errors[0]["evalue"] == PLANTED
    # the other pilot rendered; no half-written or failed report where a reader looks
    assert (out / "midterm" / "stad.html").is_file()
    assert not (out / "midterm" / "narvik.html").exists()
    leftovers = [p for p in out.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".render-")]
    assert leftovers == []
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(manifest["reports"]) == ["midterm/narvik", "midterm/stad"]
    failed = manifest["reports"]["midterm/narvik"]  # the failure is recorded, no report is
    assert "html" not in failed and "inputs" not in failed and PLANTED in failed["failed"]["error"]


@pytest.mark.notebook
def test_progress_shows_one_line_per_report_with_its_time(failed_run):
    lines = failed_run["lines"]
    assert len(lines) == len(FAILING)
    for job in FAILING:
        (line,) = [line for line in lines if line.startswith(job.name + " ")]
        assert re.search(r"\d+\.\d s  (ok|FAILED)", line)
    assert any("narvik" in line and "FAILED" in line for line in lines)


@pytest.mark.notebook
def test_the_index_is_written_after_every_report_and_links_only_good_ones(failed_run):
    out = failed_run["out"]
    index = (out / "index.html").stat().st_mtime_ns
    assert FAILING[0].html_path(out).stat().st_mtime_ns <= index
    page = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/stad.html"' in page and "narvik.html" not in page
    assert re.search(r'<th scope="row">Narvik</th>.*?Feilet [0-9-]+ [0-9:]+ UTC; ingen tidligere versjon', page)


@pytest.mark.notebook
def test_an_earlier_good_report_survives_a_failed_rerun(demo_reports, failed_run, tmp_path):
    out = tmp_path / "reports"
    shutil.copytree(demo_reports, out)
    good = (out / "midterm" / "narvik.html").read_bytes()
    rerun = render_reports([FAILING[1]], data_dir=DEMO, out=out, force=True, progress=lambda line: None,
                           notebook_dir=failed_run["notebooks"])
    assert [r.job.name for r in rerun.failures] == ["midterm/narvik"]
    assert (out / "midterm" / "narvik.html").read_bytes() == good
    assert (out / "midterm" / "narvik.failed.ipynb").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/narvik.html"' in index  # the good report is still listed, its failed rerun said
    assert re.search(r'hreflang="nb">Narvik</a>.*?Feilet [0-9-]+ [0-9:]+ UTC; viser versjonen fra', index)


# --------------------------------------------------------------------------------------------
# Incremental reruns, with small report notebooks that read the data as the real ones do
# --------------------------------------------------------------------------------------------

PILOTS = ["stad", "narvik"]
PHASES = ["midterm", "final"]
ALL = {f"{phase}/{name}" for phase in PHASES for name in [*PILOTS, "synthesis"]}
FINAL = {name for name in ALL if name.startswith("final/")}
SYNTHESES = {"midterm/synthesis", "final/synthesis"}

TINY_REPORT = """\
import datetime
from IPython.display import HTML, display
from evaluation.contract import load_data

data = load_data(data_dir, phase=phase)
who = pilot if pilot else "synthesis"
# As the real reports read: a pilot report its pilot's rows and its own narratives of the phase,
# the synthesis everything.
responses = data.for_pilot("responses", pilot) if pilot else data.responses
narratives = [key for key in data.narratives if not pilot or key[:2] == (pilot, phase)]
display(HTML(f"<h1>{who} {phase}</h1><p>{len(responses)} responses, Q01 total "
             f"{int(responses['Q01'].sum())}; {len(narratives)} narratives</p>"
             f"<p>run {datetime.datetime.now(datetime.timezone.utc).isoformat()}</p>"))
"""


def tiny_notebook(path: Path, parameters: str, body: str = TINY_REPORT) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Statens hus evaluering", "language": "python"}
    cell = nbformat.v4.new_code_cell(parameters)
    cell.metadata["tags"] = ["parameters"]
    nb.cells = [cell, nbformat.v4.new_code_cell(body)]
    nbformat.write(nb, path)


@pytest.fixture
def notebooks(tmp_path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    tiny_notebook(folder / "pilot_report.ipynb", 'pilot = "stad"\nphase = "midterm"\ndata_dir = ""\nlang = "nb"')
    tiny_notebook(folder / "synthesis_report.ipynb", 'pilot = None\nphase = "midterm"\ndata_dir = ""\nlang = "nb"')
    return folder


def render(data_dir: Path, out: Path, notebooks: Path, **options):
    """What the command line does: check (or reuse the check of) the data, then render."""
    checked = check_data(data_dir, out=out, notebook_dir=notebooks)
    jobs = plan_reports(phases=PHASES, pilots=PILOTS, notebook_dir=notebooks)
    summary = render_reports(jobs, data_dir=data_dir, out=out, inputs=checked.inputs, validated=checked.validated,
                             workers=2, notebook_dir=notebooks, progress=lambda line: None,
                             loaded=checked.loaded, **options)
    assert not summary.failures, [f.error for f in summary.failures]
    return summary


def snapshot(out: Path) -> dict:
    """Bytes and modification time of every report and executed notebook."""
    return {path.relative_to(out).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(out.glob("*/*")) if path.suffix in (".html", ".ipynb")}


def names(reports) -> set:
    return {report.job.name for report in reports}


@pytest.mark.notebook
def test_a_render_reads_and_validates_the_data_folder_once(demo_copy, notebooks, tmp_path, monkeypatch):
    from evaluation.contract import loading

    checks: list = []
    real = loading.check_folder
    monkeypatch.setattr(loading, "check_folder", lambda folder: checks.append(folder) or real(folder))
    out = tmp_path / "out"
    render(demo_copy, out, notebooks)  # check_data, the reports, their views of the data
    assert len(checks) == 1
    lines = (demo_copy / "survey/responses.csv").read_text(encoding="utf-8").splitlines()
    (demo_copy / "survey/responses.csv").write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    checks.clear()
    summary = render(demo_copy, out, notebooks)  # a change: which reports see it, then those reports
    assert len(checks) == 1 and [r for r in summary.reports if not r.skipped]


@pytest.mark.notebook
def test_reports_are_rerendered_exactly_when_what_they_read_changes(demo_copy, notebooks, tmp_path):
    out = tmp_path / "out"
    first = render(demo_copy, out, notebooks)
    assert names(first.rendered) == ALL and not first.skipped

    # Nothing changed: nothing is rendered, no report file is touched.
    before = snapshot(out)
    again = render(demo_copy, out, notebooks)
    assert names(again.skipped) == ALL and not again.rendered
    assert snapshot(out) == before

    # A 2024 survey answer of Stad: after the midterm cut-off, so only Stad's final report and
    # the final synthesis read it.
    edit_response(demo_copy, pilot="stad", year="2024")
    after_2024 = render(demo_copy, out, notebooks)
    read_it = {"final/stad", "final/synthesis"}
    assert names(after_2024.rendered) == read_it
    assert names(after_2024.skipped) == ALL - read_it
    assert all("data changed: survey/responses.csv" == r.reason for r in after_2024.rendered)
    now = snapshot(out)
    for name in ALL - read_it:  # the other reports (and their provenance) are those of the first run
        assert now[f"{name}.html"] == before[f"{name}.html"]
    for name in read_it:
        assert now[f"{name}.html"][0] != before[f"{name}.html"][0]

    # The next rerun knows the new bytes: nothing to do, and no view to compute.
    assert names(render(demo_copy, out, notebooks).skipped) == ALL

    # Stad's final narrative: read by Stad's final report (and the final synthesis, which counts
    # every narrative of its phase), by no midterm report and no other pilot's report.
    path = demo_copy / "narratives/stad-final.nb.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Stad er", "Stad (revidert) er", 1), encoding="utf-8")
    assert names(render(demo_copy, out, notebooks).rendered) == {"final/stad", "final/synthesis"}

    # A 2022 answer of Narvik: both of Narvik's reports and both syntheses read it.
    edit_response(demo_copy, pilot="narvik", year="2022")
    assert names(render(demo_copy, out, notebooks).rendered) == {"midterm/narvik", "final/narvik"} | SYNTHESES

    # A shared file (the survey items): every report reads it.
    items = demo_copy / "survey/items.csv"
    items.write_text(items.read_text(encoding="utf-8").replace("Jeg ", "Jeg selv ", 1), encoding="utf-8")
    assert names(render(demo_copy, out, notebooks).rendered) == ALL


@pytest.mark.notebook
def test_a_changed_notebook_rerenders_its_reports_and_force_renders_all(demo_copy, notebooks, tmp_path):
    out = tmp_path / "out"
    render(demo_copy, out, notebooks)
    tiny_notebook(notebooks / "synthesis_report.ipynb", 'pilot = None\nphase = "midterm"\ndata_dir = ""\nlang = "nb"',
                  TINY_REPORT + "print('one more line')\n")
    changed_notebook = render(demo_copy, out, notebooks)
    assert names(changed_notebook.rendered) == {"midterm/synthesis", "final/synthesis"}
    assert {r.reason for r in changed_notebook.rendered} == {"notebook changed"}
    forced = render(demo_copy, out, notebooks, force=True)
    assert names(forced.rendered) == ALL and {r.reason for r in forced.rendered} == {"forced"}


@pytest.mark.notebook
def test_the_manifest_records_each_file_a_report_read_and_ignores_files_it_did_not(demo_copy, notebooks, tmp_path):
    out = tmp_path / "out"
    render(demo_copy, out, notebooks)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["midterm/stad"]
    data = entry["inputs"]["data"]
    # load_data reads the contract files and the narratives: everything in the demo folder.
    assert set(data) == set(data_file_digests(DEMO))
    assert data["survey/responses.csv"]["sha256"] == sha256(demo_copy / "survey/responses.csv")
    assert data["narratives/stad-final.nb.md"]["view"] == "not read in this phase"
    assert all(item["view"] for item in data.values())
    assert entry["inputs"]["parameters"] == {"pilot": "stad", "phase": "midterm", "lang": "nb",
                                             "data_dir": str(demo_copy.resolve())}
    # A file the reports do not read (the data contract has no notes.txt) changes nothing.
    (demo_copy / "notes.txt").write_text("meeting notes", encoding="utf-8")
    assert names(render(demo_copy, out, notebooks).skipped) == ALL
    # The same data in another folder are other parameters (the provenance shows the folder).
    moved = tmp_path / "moved"
    shutil.copytree(demo_copy, moved)
    moved_run = render(moved, out, notebooks)
    assert names(moved_run.rendered) == ALL and {r.reason for r in moved_run.rendered} == {"parameters changed"}
