"""The command line: it validates, renders reports and the index, refuses bad data without writing
anything, and reruns with nothing changed without rendering or loading pandas.

The rendered demo reports are the session's (conftest.demo_reports, rendered with the command
line's defaults); a test that changes data or output works on copies.
"""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO, REPO, file_digests, folder_of_reports, read_lines, write_lines


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "evaluation", *args], capture_output=True, text=True, cwd=REPO)


def response_rate_from_csv(data_dir: Path, pilot: str, wave: str) -> float:
    """The pilot's response rate in a wave, computed from the CSV files with the csv module."""
    with open(data_dir / "survey/population.csv", encoding="utf-8") as stream:
        invited = sum(int(r["invited"]) for r in csv.DictReader(stream) if r["pilot"] == pilot and r["wave"] == wave)
    with open(data_dir / "survey/responses.csv", encoding="utf-8") as stream:
        responded = sum(1 for r in csv.DictReader(stream) if r["pilot"] == pilot and r["wave"] == wave)
    return responded / invited


def copy_of(demo_reports: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the demo data and of the rendered demo reports, whose manifest names the copy."""
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(DEMO, data)
    shutil.copytree(demo_reports, out)
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    (out / "manifest.json").write_text(manifest.replace(str(DEMO.resolve()), str(data.resolve())), encoding="utf-8")
    return data, out


# --------------------------------------------------------------------------------------------
# What render writes
# --------------------------------------------------------------------------------------------


def test_render_writes_the_report_the_notebook_and_the_index(demo_reports):
    assert (demo_reports / "midterm/stad.html").is_file()
    assert (demo_reports / "midterm/stad.ipynb").is_file()
    index = (demo_reports / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/stad.html"' in index
    assert index.index('<h2 id="midterm">') < index.index('<h2 id="final">')  # the programme's order
    manifest = json.loads((demo_reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reports"]["midterm/stad"]["data_version"]


def test_report_shows_the_pilot_and_its_response_rate_in_norwegian_form(demo_reports):
    page = (demo_reports / "midterm/stad.html").read_text(encoding="utf-8")
    assert '<html lang="nb">' in page
    assert "<title>Midtveisevaluering: Stad</title>" in page
    rate = response_rate_from_csv(DEMO, "stad", "2022")
    expected = f"{round(rate * 100)}\u00a0%"  # Norwegian: a (non-breaking) space before %
    assert expected in page


def test_midterm_report_uses_no_data_after_the_cut_off(demo_reports):
    page = (demo_reports / "midterm/stad.html").read_text(encoding="utf-8")
    assert "2022 (midtveis)" in page
    # the final wave (2024) is after the midterm cut-off: it must appear in no table row
    assert "2024 (slutt)" not in page and "Slutt 2024" not in page
    assert "Sluttevaluering</td>" not in page  # no interview round of the final phase


# --------------------------------------------------------------------------------------------
# Refusing bad input
# --------------------------------------------------------------------------------------------


def test_validate_accepts_the_demo_data():
    result = run_cli("validate", "--data-dir", str(DEMO))
    assert result.returncode == 0, result.stderr
    assert "valid" in result.stdout and "stad" in result.stdout


@pytest.mark.notebook
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


def test_render_refuses_a_phase_the_programme_does_not_have(demo_reports, tmp_path):
    _, out = copy_of(demo_reports, tmp_path)
    result = run_cli("render", "--data-dir", str(DEMO), "--out", str(out), "--phase", "baseline")
    assert result.returncode == 2
    assert "unknown phase 'baseline'; expected one of midterm, final or all" in result.stderr


def test_render_help_names_no_phase_of_its_own():
    result = run_cli("render", "--help")
    assert result.returncode == 0 and "programme.yaml" in result.stdout
    assert "midterm" not in result.stdout and "final" not in result.stdout


def test_render_refuses_a_job_count_below_one():
    result = run_cli("render", "--jobs", "0")
    assert result.returncode == 2 and "--jobs" in result.stderr


def test_importing_the_command_line_and_the_renderer_loads_no_heavy_library():
    code = ("import sys, evaluation.cli, evaluation.render; "
            "print(sorted(m for m in ('pandas', 'numpy', 'nbformat', 'jupyter_client', 'zmq', 'papermill') "
            "if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


# --------------------------------------------------------------------------------------------
# Reruns
# --------------------------------------------------------------------------------------------


@pytest.mark.notebook
def test_a_cli_rerun_with_nothing_changed_renders_nothing_without_loading_pandas(demo_reports, tmp_path):
    data, out = copy_of(demo_reports, tmp_path)
    page = (out / "midterm/stad.html").read_bytes()
    code = ("import sys; from evaluation.cli import main; code = main(sys.argv[1:]); "
            "print('pandas loaded:', 'pandas' in sys.modules); sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", code, "render", "--data-dir", str(data), "--out", str(out),
                             "--pilot", "stad", "--phase", "midterm"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "0 rendered, 1 up to date, 0 failed" in result.stdout
    assert "pandas loaded: False" in result.stdout
    assert (out / "midterm/stad.html").read_bytes() == page  # its provenance is the first run's


@pytest.mark.notebook
def test_changed_data_are_validated_again_and_invalid_data_leave_the_reports_alone(demo_reports, tmp_path):
    data, out = copy_of(demo_reports, tmp_path)
    page = (out / "midterm/stad.html").read_bytes()
    path = data / "survey/responses.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")  # a duplicate respondent
    result = run_cli("render", "--data-dir", str(data), "--out", str(out), "--pilot", "stad", "--phase", "midterm")
    assert result.returncode == 1
    assert f"survey/responses.csv:{len(lines) + 1}:respondent_id:" in result.stderr
    assert (out / "midterm/stad.html").read_bytes() == page


# --------------------------------------------------------------------------------------------
# Demo and real reports are not mixed (evaluation.render.guard)
# --------------------------------------------------------------------------------------------


def test_render_without_data_dir_into_a_folder_of_real_reports_exits_2_and_writes_nothing(tmp_path):
    out = folder_of_reports(tmp_path / "reports", {"programme": "Pilot Statens hus", "synthetic": False})
    before = file_digests(out)
    result = run_cli("render", "--out", str(out), "--pilot", "stad", "--phase", "midterm")
    assert result.returncode == 2
    assert (f"{out}/ holds reports of the real data 'Pilot Statens hus'; you asked to render the demo data "
            "'Pilot Statens hus' into it -- use another --out, or --replace-reports to overwrite them") in result.stderr
    assert file_digests(out) == before


def test_render_of_real_data_into_a_folder_of_demo_reports_exits_2_and_writes_nothing(demo_copy, tmp_path):
    path = demo_copy / "programme.yaml"
    write_lines(path, [line.replace("Pilot Statens hus", "Pilot Statens hus Nord") for line in read_lines(path)
                       if line != "synthetic: true"])
    out = folder_of_reports(tmp_path / "reports", {"programme": "Pilot Statens hus", "synthetic": True})
    before = file_digests(out)
    result = run_cli("render", "--data-dir", str(demo_copy), "--out", str(out), "--pilot", "stad", "--phase", "midterm")
    assert result.returncode == 2
    assert "holds reports of the demo data 'Pilot Statens hus'; you asked to render the real data " \
           "'Pilot Statens hus Nord' into it" in result.stderr
    assert file_digests(out) == before


def test_every_demo_report_and_the_index_say_the_data_are_synthetic(demo_reports):
    banners = ('<p class="demo-banner">Syntetiske demodata – ikke ekte resultater</p>',
               '<p class="demo-banner">Synthetic demo data – not real results</p>')
    pages = sorted(demo_reports.rglob("*.html"))
    assert len(pages) > 1
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert any(banner in text for banner in banners), page
    assert json.loads((demo_reports / "manifest.json").read_text(encoding="utf-8"))["data_identity"] == {
        "programme": "Pilot Statens hus", "synthetic": True}
