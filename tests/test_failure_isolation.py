"""A failing report does not stop the others, and never replaces an earlier good report.

The failure is planted in a copy of the report notebook (a cell that raises for one pilot), the
way a real bug in a chapter would show up: valid data, a notebook that errors for one pilot.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import DEMO, REPO
from evaluation.render import plan_reports, render_reports

pytestmark = pytest.mark.slow

PLANTED = "planted failure for the test"


@pytest.fixture
def failing_notebooks(tmp_path) -> Path:
    """The report notebooks, with one that fails for Narvik only."""
    folder = tmp_path / "notebooks"
    shutil.copytree(REPO / "notebooks", folder)
    path = folder / "pilot_report.ipynb"
    notebook = nbformat.read(path, as_version=4)
    position = next(i for i, cell in enumerate(notebook.cells) if "open_report" in cell.source)
    notebook.cells.insert(position + 1, nbformat.v4.new_code_cell(
        f'if pilot == "narvik":\n    raise RuntimeError("{PLANTED}")'))
    nbformat.write(notebook, path)
    return folder


def _render(out: Path, notebook_dir: Path, *, force: bool = False):
    jobs = plan_reports(phases=["midterm"], pilots=["stad", "narvik"], synthesis=False,
                        notebook_dir=notebook_dir)
    lines: list[str] = []
    summary = render_reports(jobs, data_dir=DEMO, out=out, progress=lines.append, force=force,
                             notebook_dir=notebook_dir)
    return summary, lines


def test_a_failing_pilot_does_not_stop_the_others(tmp_path, failing_notebooks):
    out = tmp_path / "reports"
    summary, lines = _render(out, failing_notebooks)
    assert [r.job.name for r in summary.failures] == ["midterm/narvik"]
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
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/stad.html"' in index and "narvik.html" not in index
    assert any("narvik" in line and "FAILED" in line for line in lines)


def test_an_earlier_good_report_survives_a_failed_rerun(tmp_path, failing_notebooks):
    out = tmp_path / "reports"
    first, _ = _render(out, REPO / "notebooks")
    assert not first.failures
    good = (out / "midterm" / "narvik.html").read_bytes()
    second, _ = _render(out, failing_notebooks, force=True)
    assert [r.job.name for r in second.failures] == ["midterm/narvik"]
    assert (out / "midterm" / "narvik.html").read_bytes() == good
    assert (out / "midterm" / "narvik.failed.ipynb").is_file()
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="midterm/narvik.html"' in index  # the good report is still listed
