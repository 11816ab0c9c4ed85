"""The notebooks run on their own: papermill alone, with the registered kernel, without the
render pipeline."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.notebook


def test_papermill_runs_the_notebook_without_the_wrapper(tmp_path):
    """The README's promise: papermill alone runs the report with the registered kernel."""
    result = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/pilot_report.ipynb", str(tmp_path / "out.ipynb"),
         "-p", "pilot", "lyngdal", "-p", "phase", "final", "--no-progress-bar"],
        capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    notebook = json.loads((tmp_path / "out.ipynb").read_text(encoding="utf-8"))
    outputs = json.dumps(notebook["cells"])
    assert "Lyngdal" in outputs and "Sluttevaluering" in outputs


def test_the_evaluators_workbench_notebook_runs(tmp_path):
    """notebooks/workbench.ipynb, the evaluators' starting point, executes on the demo data."""
    result = subprocess.run(
        [sys.executable, "-m", "papermill", "notebooks/workbench.ipynb", str(tmp_path / "wb.ipynb"),
         "-p", "pilot", "narvik", "--no-progress-bar"],
        capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr[-2000:]
    notebook = json.loads((tmp_path / "wb.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in notebook["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert not [o for o in outputs if o["output_type"] == "error"]
    shown = json.dumps(outputs)
    assert "alpha" in shown and "c_coefficient" in shown and "progress" in shown
