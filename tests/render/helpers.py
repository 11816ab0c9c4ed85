"""Helpers for the render tests: edit the data as an analyst would (with the csv module), and run
small notebooks on a chosen kernel manager."""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import nbformat

from evaluation import KERNEL_NAME

PROBE_PRELOADED = "import sys\nprint('preloaded', 'pandas' in sys.modules)\n"
"""A cell that prints whether pandas was imported before the notebook ran."""


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
    """SHA-256 of a file, computed with hashlib directly."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def notebook(path: Path, *cells: str) -> Path:
    """Write a notebook on the project's kernel: a parameters cell (``label``), then ``cells``."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Statens hus evaluering",
                                 "language": "python"}
    parameters = nbformat.v4.new_code_cell('label = ""')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, *(nbformat.v4.new_code_cell(source) for source in cells)]
    nbformat.write(nb, path)
    return path


def run_notebook(source: Path, target: Path, manager=None) -> list[str]:
    """Run a notebook with papermill; return the standard output of each cell after the parameters."""
    import papermill

    options = {"kernel_manager_class": manager} if manager is not None else {}
    papermill.execute_notebook(str(source), str(target), kernel_name=KERNEL_NAME, progress_bar=False,
                               cwd=str(source.parent), parameters={"label": "x"}, **options)
    executed = nbformat.read(target, as_version=4)
    tags = {"parameters", "injected-parameters"}
    return ["".join(o.get("text", "") for o in cell.outputs if o.get("name") == "stdout")
            for cell in executed.cells
            if cell.cell_type == "code" and not tags & set(cell.metadata.get("tags", []))]
