"""Run a report notebook's cells in this process, without papermill or a kernel.

A report notebook is a parameters cell, one import cell and a ``display(...)`` per chapter; its
code cells run here as they would in a kernel, with the parameters injected after the parameters
cell and ``IPython.display.display`` collecting what would be shown. Every displayed object is
turned into HTML (``_repr_html_``), as nbconvert would. This is the same code path as a render,
seconds faster, so that tests can make many reports from odd data.
"""

from __future__ import annotations

import json
from pathlib import Path

from evaluation.resources import notebook_dir

NOTEBOOKS = notebook_dir()


def code_cells(notebook: str) -> list[tuple[list[str], str]]:
    """The code cells of a report notebook: ``(tags, source)`` each."""
    cells = json.loads((Path(NOTEBOOKS) / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    return [(cell.get("metadata", {}).get("tags", []),
             "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"])
            for cell in cells if cell["cell_type"] == "code"]


def run_report(notebook: str, **parameters) -> list[str]:
    """Run ``notebook`` with ``parameters``; return the HTML of everything it displayed.

    Raises whatever a cell raises, as the kernel would report it.
    """
    import IPython.display

    shown: list[str] = []

    def display(*objects, **_options):
        for item in objects:
            html = item._repr_html_() if hasattr(item, "_repr_html_") else str(item)
            shown.append(html[0] if isinstance(html, tuple) else html)

    original = IPython.display.display
    IPython.display.display = display
    namespace: dict = {}
    try:
        for tags, source in code_cells(notebook):
            exec(compile(source, f"<{notebook}>", "exec"), namespace)  # noqa: S102 - the project's own notebook
            if "parameters" in tags:
                namespace.update(parameters)
    finally:
        IPython.display.display = original
    return shown


def pilot_report(data_dir: Path, pilot: str, phase: str, lang: str = "nb") -> str:
    """The HTML of a pilot report, made in this process."""
    return "".join(run_report("pilot_report", pilot=pilot, phase=phase, data_dir=str(data_dir), lang=lang))


def synthesis_report(data_dir: Path, phase: str, lang: str = "nb") -> str:
    """The HTML of a synthesis report, made in this process."""
    return "".join(run_report("synthesis_report", phase=phase, data_dir=str(data_dir), lang=lang))
