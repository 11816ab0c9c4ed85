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


def rewrite_csv(path: Path, edit) -> None:
    """Rewrite a CSV file row by row: ``edit(header, rows)`` changes the list ``rows`` in place."""
    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    body = rows[1:]
    edit(rows[0], body)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([rows[0], *body])
    path.write_text(buffer.getvalue(), encoding="utf-8")


def change_every_file_of(data_dir: Path, pilot: str) -> None:
    """Change ``pilot``'s rows in every file that has them, as new data for one pilot would.

    One value changes in its population, interviews, observations, milestones and assessments,
    one of its 2022 survey answers and one of its segments, and its final narrative gains a
    sentence; its rows move to the top of each CSV file, so every other pilot's rows sit at other
    row numbers. Its 2022 survey wave shrinks to 3 respondents, below the demo's anonymity
    threshold of 5: the disclosure plan then hides the pilot's wave and, in the synthesis, the
    2022 total over the pilots (it would give the hidden wave away by subtraction).
    """
    def first_and_edit(column, change):
        def edit(header, rows):
            ours = [row for row in rows if row[header.index("pilot")] == pilot]
            ours[0][header.index(column)] = change(ours[0][header.index(column)])
            rows[:] = ours + [row for row in rows if row[header.index("pilot")] != pilot]
        return edit

    rewrite_csv(data_dir / "survey/population.csv", first_and_edit("invited", lambda v: str(int(v) + 7)))
    rewrite_csv(data_dir / "interviews/interviews.csv", first_and_edit("informants", lambda v: str(int(v) + 1)))
    rewrite_csv(data_dir / "indicators/observations.csv", first_and_edit("source", lambda v: v + " (rev.)"))
    rewrite_csv(data_dir / "milestones.csv", first_and_edit("text_en", lambda v: v + " (rev.)"))
    rewrite_csv(data_dir / "assessments.csv", first_and_edit("rationale_en", lambda v: v + " (rev.)"))
    rewrite_csv(data_dir / "survey/responses.csv", first_and_edit("response_date", lambda v: v))
    edit_response(data_dir, pilot=pilot, year="2022")

    def shrink_2022(header, rows):
        ours = [i for i, row in enumerate(rows) if row[header.index("pilot")] == pilot
                and row[header.index("wave")] == "2022"]
        drop = set(ours[3:])
        rows[:] = [row for i, row in enumerate(rows) if i not in drop]
    rewrite_csv(data_dir / "survey/responses.csv", shrink_2022)

    with open(data_dir / "interviews/interviews.csv", encoding="utf-8", newline="") as stream:
        interviews = {row["interview_id"] for row in csv.DictReader(stream) if row["pilot"] == pilot}

    def approve_or_withdraw_a_quote(header, rows):
        row = next(r for r in rows if r[header.index("interview_id")] in interviews)
        row[header.index("quote_approved")] = "no" if row[header.index("quote_approved")] == "yes" else "yes"
    rewrite_csv(data_dir / "interviews/segments.csv", approve_or_withdraw_a_quote)
    narrative = data_dir / f"narratives/{pilot}-final.nb.md"
    narrative.write_text(narrative.read_text(encoding="utf-8") + "\nEn setning til.\n", encoding="utf-8")
