"""Incremental rendering: a report is rendered again only when something it reads has changed.

The expected sets of re-rendered reports follow from the data contract (data/README.md): a
report of a phase reads the data dated on or before the phase's cut-off in programme.yaml
(midterm 2022-12-31, final 2024-12-31), and every report reads every contract file. Digests are
checked against hashlib run directly on the files' bytes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from conftest import DEMO, REPO
from evaluation import KERNEL_NAME
from evaluation.render import (ReportJob, RenderInputs, check_data, data_file_digests, notebook_digest,
                               phase_view_digests, plan_reports, render_reports, report_inputs, up_to_date)

PILOTS = ["stad", "narvik"]
PHASES = ["midterm", "final"]
ALL = {f"{phase}/{name}" for phase in PHASES for name in [*PILOTS, "synthesis"]}
FINAL = {name for name in ALL if name.startswith("final/")}


# --------------------------------------------------------------------------------------------
# Helpers: edit the data as an analyst would, with the csv module
# --------------------------------------------------------------------------------------------


def edit_response(data_dir: Path, *, pilot: str, year: str) -> str:
    """Change one answer of one respondent of ``pilot`` who answered in ``year``; return the id."""
    path = data_dir / "survey/responses.csv"
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    date, item = header.index("response_date"), header.index("Q01")
    for row in rows[1:]:
        if row[header.index("pilot")] == pilot and row[date].startswith(year) and row[item] in ("2", "3"):
            row[item] = "3" if row[item] == "2" else "2"
            break
    else:
        raise AssertionError(f"no {pilot} response in {year} with Q01 2 or 3 in the demo data")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return row[0]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------
# Up-to-date decisions (no notebook runs)
# --------------------------------------------------------------------------------------------

JOB = ReportJob("pilot_report", "midterm", "stad")


@pytest.fixture
def built(tmp_path):
    """An output folder holding one built report, its manifest entry and the inputs it used."""
    out = tmp_path / "out"
    JOB.html_path(out).parent.mkdir(parents=True)
    JOB.html_path(out).write_text("<html></html>", encoding="utf-8")
    inputs = RenderInputs(data_dir=tmp_path / "data", data={"a.csv": "1" * 64, "b.csv": "2" * 64},
                          input_files=("a.csv", "b.csv"), source="s" * 64, environment="e" * 64,
                          notebooks={"pilot_report": "n" * 64})
    entry = {"html": "midterm/stad.html", "inputs": report_inputs(JOB, inputs, {"a.csv": "va", "b.csv": "vb"})}
    return out, inputs, entry


def changed(inputs: RenderInputs, **fields) -> RenderInputs:
    values = {name: getattr(inputs, name) for name in RenderInputs.__dataclass_fields__}
    values.update(fields)
    return RenderInputs(**values)


def test_a_report_whose_inputs_are_all_unchanged_is_up_to_date(built):
    out, inputs, entry = built
    assert up_to_date(JOB, entry, inputs, out) == ("skip", None)


@pytest.mark.parametrize("change, reason", [
    (lambda i: changed(i, notebooks={"pilot_report": "m" * 64}), "notebook changed"),
    (lambda i: changed(i, source="t" * 64), "package source changed"),
    (lambda i: changed(i, environment="f" * 64), "software versions changed"),
    (lambda i: changed(i, data_dir=i.data_dir.parent / "other"), "parameters changed"),
    (lambda i: changed(i, input_files=("a.csv", "b.csv", "c.csv")), "data files added: c.csv"),
    (lambda i: changed(i, input_files=("a.csv",)), "data files removed: b.csv"),
])
def test_a_change_to_any_input_makes_the_report_stale(built, change, reason):
    out, inputs, entry = built
    assert up_to_date(JOB, entry, change(inputs), out) == ("render", reason)


def test_a_report_in_another_language_is_stale_for_its_language(built):
    out, inputs, entry = built
    entry["inputs"]["parameters"]["lang"] = "en"
    assert up_to_date(JOB, entry, inputs, out) == ("render", "language changed")


def test_changed_data_bytes_leave_the_decision_to_the_phase_view(built):
    out, inputs, entry = built
    assert up_to_date(JOB, entry, changed(inputs, data={"a.csv": "1" * 64, "b.csv": "9" * 64}), out) == (
        "check", ["b.csv"])


def test_a_missing_report_file_an_old_manifest_or_a_failed_last_run_means_render(built):
    out, inputs, entry = built
    assert up_to_date(JOB, None, inputs, out) == ("render", "new")
    assert up_to_date(JOB, {"html": "midterm/stad.html", "data_version": "x"}, inputs, out) == ("render", "new")
    JOB.failed_path(out).write_text("{}", encoding="utf-8")
    assert up_to_date(JOB, entry, inputs, out) == ("render", "last run failed")
    JOB.failed_path(out).unlink()
    JOB.html_path(out).unlink()
    assert up_to_date(JOB, entry, inputs, out) == ("render", "report file missing")


# --------------------------------------------------------------------------------------------
# Fingerprints
# --------------------------------------------------------------------------------------------


def test_data_digests_are_the_sha256_of_every_file_and_skip_hidden_ones(demo_copy):
    (demo_copy / ".DS_Store").write_bytes(b"junk")
    digests = data_file_digests(demo_copy)
    expected = {}
    for root, dirs, files in os.walk(demo_copy):
        for name in files:
            if not name.startswith("."):
                path = Path(root) / name
                expected[path.relative_to(demo_copy).as_posix()] = sha256(path)
    assert digests == expected
    assert "survey/responses.csv" in digests and ".DS_Store" not in digests


def test_notebook_digest_follows_the_code_and_tags_not_the_outputs(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_markdown_cell("# Title")]
    path = tmp_path / "a.ipynb"
    nbformat.write(nb, path)
    before = notebook_digest(path)
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1\n")]
    nb.cells[0].execution_count = 7
    nbformat.write(nb, path)
    assert notebook_digest(path) == before
    nb.cells[0].metadata["tags"] = ["parameters"]
    nbformat.write(nb, path)
    tagged = notebook_digest(path)
    nb.cells[0].source = "x = 2"
    nbformat.write(nb, path)
    assert len({before, tagged, notebook_digest(path)}) == 3


FILES = ["survey/responses.csv", "survey/items.csv", "programme.yaml", "narratives/stad-final.yaml",
         "narratives/stad-midterm.yaml"]


def test_a_response_after_the_midterm_cut_off_changes_only_the_final_view(demo_copy):
    before = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    edit_response(demo_copy, pilot="stad", year="2024")
    after = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    assert after["midterm"] == before["midterm"]
    assert after["final"]["survey/responses.csv"] != before["final"]["survey/responses.csv"]
    assert {f: v for f, v in after["final"].items() if f != "survey/responses.csv"} == {
        f: v for f, v in before["final"].items() if f != "survey/responses.csv"}


def test_a_response_before_the_midterm_cut_off_changes_both_views(demo_copy):
    before = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    edit_response(demo_copy, pilot="stad", year="2022")
    after = {phase: phase_view_digests(demo_copy, phase, FILES) for phase in PHASES}
    for phase in PHASES:
        assert after[phase]["survey/responses.csv"] != before[phase]["survey/responses.csv"]


def test_a_final_narrative_is_not_read_by_the_midterm_phase(demo_copy):
    views = phase_view_digests(demo_copy, "midterm", FILES)
    assert views["narratives/stad-final.yaml"] == "not read in this phase"
    assert views["narratives/stad-midterm.yaml"] == "file:" + sha256(demo_copy / "narratives/stad-midterm.yaml")
    assert views["programme.yaml"] == "file:" + sha256(demo_copy / "programme.yaml")


# --------------------------------------------------------------------------------------------
# End to end, with small report notebooks that read the data as the real ones do
# --------------------------------------------------------------------------------------------

TINY_REPORT = """\
import datetime
from IPython.display import HTML, display
from evaluation.contract import load_data

data = load_data(data_dir, phase=phase)
who = pilot if pilot else "synthesis"
display(HTML(f"<h1>{who} {phase}</h1><p>{len(data.responses)} responses, Q01 total "
             f"{int(data.responses['Q01'].sum())}; {len(data.narratives)} narratives</p>"
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
                             workers=2, notebook_dir=notebooks, progress=lambda line: None, **options)
    assert not summary.failures, [f.error for f in summary.failures]
    return summary


def snapshot(out: Path) -> dict:
    """Bytes and modification time of every report and executed notebook."""
    return {path.relative_to(out).as_posix(): (path.read_bytes(), path.stat().st_mtime_ns)
            for path in sorted(out.glob("*/*")) if path.suffix in (".html", ".ipynb")}


def names(reports) -> set:
    return {report.job.name for report in reports}


@pytest.mark.slow
def test_reports_are_rerendered_exactly_when_what_they_read_changes(demo_copy, notebooks, tmp_path):
    out = tmp_path / "out"
    first = render(demo_copy, out, notebooks)
    assert names(first.rendered) == ALL and not first.skipped

    # Nothing changed: nothing is rendered, no report file is touched.
    before = snapshot(out)
    again = render(demo_copy, out, notebooks)
    assert names(again.skipped) == ALL and not again.rendered
    assert snapshot(out) == before

    # A 2024 survey answer: after the midterm cut-off, so only the final reports read it.
    edit_response(demo_copy, pilot="stad", year="2024")
    after_2024 = render(demo_copy, out, notebooks)
    assert names(after_2024.rendered) == FINAL
    assert names(after_2024.skipped) == ALL - FINAL
    assert all("data changed: survey/responses.csv" == r.reason for r in after_2024.rendered)
    now = snapshot(out)
    for name in ALL - FINAL:  # the midterm reports (and their provenance) are those of the first run
        assert now[f"{name}.html"] == before[f"{name}.html"]
    for name in FINAL:
        assert now[f"{name}.html"][0] != before[f"{name}.html"][0]

    # The next rerun knows the new bytes: nothing to do, and no view to compute.
    assert names(render(demo_copy, out, notebooks).skipped) == ALL

    # A final-phase narrative: not read by the midterm reports.
    path = demo_copy / "narratives/stad-final.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("Stad:", "Stad (revidert):", 1), encoding="utf-8")
    assert names(render(demo_copy, out, notebooks).rendered) == FINAL

    # A 2022 answer: every report reads it.
    edit_response(demo_copy, pilot="narvik", year="2022")
    assert names(render(demo_copy, out, notebooks).rendered) == ALL


@pytest.mark.slow
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


@pytest.mark.slow
def test_the_manifest_records_each_file_a_report_read_and_ignores_files_it_did_not(demo_copy, notebooks, tmp_path):
    out = tmp_path / "out"
    render(demo_copy, out, notebooks)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = manifest["reports"]["midterm/stad"]
    data = entry["inputs"]["data"]
    # load_data reads the contract files and the narratives: everything in the demo folder.
    assert set(data) == set(data_file_digests(DEMO))
    assert data["survey/responses.csv"]["sha256"] == sha256(demo_copy / "survey/responses.csv")
    assert data["narratives/stad-final.yaml"]["view"] == "not read in this phase"
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


# --------------------------------------------------------------------------------------------
# The command line with the real report
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli_rendered(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli")
    data, out = root / "data", root / "out"
    shutil.copytree(DEMO, data)
    result = subprocess.run([sys.executable, "-m", "evaluation", "render", "--data-dir", str(data), "--out", str(out),
                             "--pilot", "stad", "--phase", "midterm"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    return data, out


def copy_of(cli_rendered, tmp_path):
    data, out = cli_rendered
    shutil.copytree(data, tmp_path / "data")
    shutil.copytree(out, tmp_path / "out")
    manifest = (tmp_path / "out/manifest.json").read_text(encoding="utf-8")
    (tmp_path / "out/manifest.json").write_text(manifest.replace(str(data.resolve()), str((tmp_path / "data").resolve())),
                                                encoding="utf-8")
    return tmp_path / "data", tmp_path / "out"


@pytest.mark.slow
def test_a_cli_rerun_with_nothing_changed_renders_nothing_without_loading_pandas(cli_rendered):
    data, out = cli_rendered
    page = (out / "midterm/stad.html").read_bytes()
    code = ("import sys; from evaluation.cli import main; code = main(sys.argv[1:]); "
            "print('pandas loaded:', 'pandas' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code, "render", "--data-dir", str(data), "--out", str(out),
                             "--pilot", "stad", "--phase", "midterm"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "0 rendered, 1 up to date, 0 failed" in result.stdout
    assert "pandas loaded: False" in result.stdout
    assert (out / "midterm/stad.html").read_bytes() == page  # its provenance is the first run's


@pytest.mark.slow
def test_changed_data_are_validated_again_and_invalid_data_leave_the_reports_alone(cli_rendered, tmp_path):
    data, out = copy_of(cli_rendered, tmp_path)
    page = (out / "midterm/stad.html").read_bytes()
    path = data / "survey/responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # a duplicate respondent
    result = subprocess.run([sys.executable, "-m", "evaluation", "render", "--data-dir", str(data), "--out", str(out),
                             "--pilot", "stad", "--phase", "midterm"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    assert f"survey/responses.csv:{len(lines) + 1}:respondent_id:" in result.stderr
    assert (out / "midterm/stad.html").read_bytes() == page
