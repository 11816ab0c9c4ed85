"""End to end: the command line validates, renders reports through papermill and nbconvert, and
refuses bad data without writing anything."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, read_lines, write_lines

pytestmark = pytest.mark.slow


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaluation", *args], capture_output=True, text=True)


def response_rate_from_csv(data_dir: Path, pilot: str, wave: str) -> float:
    """The pilot's response rate in a wave, computed from the CSV files with the csv module."""
    with open(data_dir / "survey/population.csv", encoding="utf-8") as stream:
        invited = sum(int(r["invited"]) for r in csv.DictReader(stream) if r["pilot"] == pilot and r["wave"] == wave)
    with open(data_dir / "survey/responses.csv", encoding="utf-8") as stream:
        responded = sum(1 for r in csv.DictReader(stream) if r["pilot"] == pilot and r["wave"] == wave)
    return responded / invited


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("reports")
    result = run_cli("render", "--data-dir", str(DEMO), "--out", str(out), "--pilot", "stad", "--phase", "midterm")
    assert result.returncode == 0, result.stderr
    assert f"Index: {(out / 'index.html').resolve()}" in result.stdout
    return out


def test_render_writes_the_report_the_notebook_and_the_index(rendered):
    assert (rendered / "midterm/stad.html").is_file()
    assert (rendered / "midterm/stad.ipynb").is_file()
    index = (rendered / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/stad.html"' in index
    manifest = json.loads((rendered / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["midterm/stad"]["data_version"]


def test_report_shows_the_pilot_and_its_response_rate_in_norwegian_form(rendered):
    page = (rendered / "midterm/stad.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in page
    assert "<title>Midtveisevaluering: Stad</title>" in page
    rate = response_rate_from_csv(DEMO, "stad", "2022")
    expected = f"{round(rate * 100)}\u00a0%"  # Norwegian: a (non-breaking) space before %
    assert expected in page


def test_report_has_no_code_prompts_or_parameters(rendered):
    page = (rendered / "midterm/stad.html").read_text(encoding="utf-8")
    assert "open_report" not in page and "In&nbsp;[" not in page and "input_area" not in page
    assert 'pilot = "stad"' not in page


def test_report_is_self_contained(rendered):
    page = (rendered / "midterm/stad.html").read_text(encoding="utf-8")
    external = re.findall(r'(?:src|href)="(?:https?:)?//[^"]+"', page)
    assert external == []
    assert "<script" not in page


def test_midterm_report_uses_no_data_after_the_cut_off(rendered):
    page = (rendered / "midterm/stad.html").read_text(encoding="utf-8")
    assert "2022 (midtveis)" in page
    # the final wave (2024) is after the midterm cut-off: it must appear in no table row
    assert "2024 (slutt)" not in page and "Slutt 2024" not in page
    assert "Sluttevaluering</td>" not in page  # no interview round of the final phase


def test_validate_accepts_the_demo_data():
    result = run_cli("validate", "--data-dir", str(DEMO))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "stad" in result.stdout


@pytest.mark.parametrize("breakage", ["duplicate_respondent", "unknown_agency"])
def test_bad_data_makes_validate_and_render_exit_1_and_write_nothing(demo_copy, tmp_path, breakage):
    path = demo_copy / "survey/responses.csv"
    lines = read_lines(path)
    if breakage == "duplicate_respondent":
        lines.append(lines[1])
        expected = f"survey/responses.csv:{len(lines)}:respondent_id:"
    else:
        fields = lines[3].split(",")
        fields[4] = "tolletaten"
        lines[3] = ",".join(fields)
        expected = "survey/responses.csv:4:agency:"
    write_lines(path, lines)
    validated = run_cli("validate", "--data-dir", str(demo_copy))
    assert validated.returncode == 1 and expected in validated.stderr
    out = tmp_path / "out"
    rendered = run_cli("render", "--data-dir", str(demo_copy), "--out", str(out), "--pilot", "stad")
    assert rendered.returncode == 1 and expected in rendered.stderr
    assert not out.exists() or not list(out.rglob("*.html"))


def test_papermill_runs_the_notebook_without_the_wrapper(tmp_path):
    """The README's promise: papermill alone runs the report with the registered kernel."""
    result = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/pilot_report.ipynb", str(tmp_path / "out.ipynb"),
         "-p", "pilot", "lyngdal", "-p", "phase", "final", "--no-progress-bar"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    notebook = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    outputs = json.dumps(notebook["cells"])
    assert "Lyngdal" in outputs and "Sluttevaluering" in outputs


def test_the_evaluators_workbench_notebook_runs(tmp_path):
    """notebooks/workbench.ipynb, the evaluators' starting point, executes on the demo data."""
    result = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/workbench.ipynb", str(tmp_path / "wb.ipynb"),
         "-p", "pilot", "narvik", "--no-progress-bar"],
        capture_output=True, text=True, cwd=Path(__file__).resolve().parent.parent)
    assert result.returncode == 0, result.stderr[-2000:]
    notebook = json.loads((tmp_path / "wb.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = json.dumps(outputs)
    assert "alpha" in shown and "c_coefficient" in shown and "progress" in shown
