"""The render tells each report's kernel which figure files its formats need, and the kernel makes
only those: an HTML-only render draws every figure once, as the SVG the HTML embeds; the Word
document adds the 300-dpi PNG; the export pack takes both.

A small report notebook with one chart runs through :func:`render_one` on a fresh kernel and on
a kernel forked from the warm process; what the kernel made is read back from the executed
notebook and from the files beside the HTML.
"""

from __future__ import annotations

import base64
import os
from html.parser import HTMLParser
from pathlib import Path

import nbformat
import pytest

from conftest import DEMO
from evaluation import KERNEL_NAME
from evaluation.html import FIGURE_FILES_ENV, FIGURES_MIMETYPE
from evaluation.render.jobs import ReportJob
from evaluation.render.kernels import WarmKernels, kernel_environment
from evaluation.render.run import render_one

ALT = "Søyler for to tema i Stad"

CHART = f"""\
import pandas as pd
from IPython.display import display

from evaluation.plots.base import make_report_figure, new_figure

fig, ax = new_figure(width=6.0, height=3.0)
ax.bar(["Samarbeid", "Fagmiljø"], [3, 4])
figure = make_report_figure(fig, alt_text="{ALT}", caption="Figur 1", data=pd.DataFrame({{"Tema": ["a"]}}),
                            tidy=pd.DataFrame({{"theme": ["a"], "n": [3], "suppressed": [False]}}))
display(figure.to_html())  # as a chapter shows it
"""

JOB = ReportJob("pilot_report", "midterm", "stad")


@pytest.fixture(scope="module")
def chart_notebooks(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("notebooks")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": KERNEL_NAME, "display_name": "Statens hus evaluering", "language": "python"}
    parameters = nbformat.v4.new_code_cell('pilot = "stad"\nphase = "midterm"\ndata_dir = ""\nlang = "nb"')
    parameters.metadata["tags"] = ["parameters"]
    nb.cells = [parameters, nbformat.v4.new_code_cell(CHART)]
    nbformat.write(nb, folder / "pilot_report.ipynb")
    return folder


def figure_records(out: Path) -> list[dict]:
    """The figure files the kernel handed over, from the executed notebook."""
    executed = nbformat.read(JOB.notebook_path(out), as_version=4)
    return [record for cell in executed.cells if cell.cell_type == "code" for output in cell.get("outputs", [])
            for record in output.get("data", {}).get(FIGURES_MIMETYPE, [])]


def rendered(out: Path, notebooks: Path, formats: tuple, manager=None) -> tuple[str, list[dict]]:
    result = render_one(JOB, data_dir=DEMO.resolve(), out=out, notebook_dir=notebooks, formats=formats,
                        kernel_manager_class=manager)
    assert result.ok, result.error
    return JOB.html_path(out).read_text(encoding="utf-8"), figure_records(out)


class _Images(HTMLParser):
    def __init__(self):
        super().__init__()
        self.images: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "img":
            self.images.append(dict(attrs))


def assert_the_html_shows_the_chart(page: str) -> None:
    """The figure is in the page whatever the formats: an SVG with its size and alt text."""
    parser = _Images()
    parser.feed(page)
    (image,) = parser.images
    assert (image["alt"], image["width"], image["height"]) == (ALT, "660", "330")  # 6 x 3 inches at 110 dpi
    prefix = "data:image/svg+xml;base64,"
    assert image["src"].startswith(prefix) and b"<svg" in base64.b64decode(image["src"][len(prefix):])


@pytest.mark.notebook
def test_an_html_only_render_makes_no_figure_file_beside_the_svg_in_the_html(chart_notebooks, tmp_path):
    page, records = rendered(tmp_path / "out", chart_notebooks, ())
    assert_the_html_shows_the_chart(page)
    assert records == []


@pytest.mark.notebook
def test_a_word_render_makes_the_png_and_no_svg_file(chart_notebooks, tmp_path):
    import docx

    page, records = rendered(tmp_path / "out", chart_notebooks, ("docx",))
    assert_the_html_shows_the_chart(page)
    (record,) = records
    assert record["svg"] == "" and record["dpi"] == 300 and record["alt_text"] == ALT
    (shape,) = docx.Document(tmp_path / "out/midterm/stad.docx").inline_shapes
    assert shape._inline.docPr.get("descr") == ALT


@pytest.mark.notebook
def test_a_word_and_export_render_on_a_warm_kernel_makes_every_figure_file(chart_notebooks, tmp_path):
    from PIL import Image

    with WarmKernels(chart_notebooks) as warm:
        page, records = rendered(tmp_path / "out", chart_notebooks, ("docx", "export"), warm.kernel_manager_class)
    assert_the_html_shows_the_chart(page)
    (record,) = records
    assert record["svg"] and record["png_base64"]
    export = tmp_path / "out/midterm/stad-export"
    assert sorted(path.name for path in export.glob("figure-*")) == [
        "figure-01.csv", "figure-01.png", "figure-01.svg", "figure-01.txt"]
    with Image.open(export / "figure-01.png") as png:
        assert round(png.info["dpi"][0]) == 300 and png.size == (1800, 900)  # 6 x 3 inches at 300 dpi
    assert (tmp_path / "out/midterm/stad.docx").is_file()


def test_the_kernel_environment_is_given_back_after_the_report(monkeypatch):
    monkeypatch.setenv(FIGURE_FILES_ENV, "svg")
    monkeypatch.delenv("EVALUATION_TEST_ONLY", raising=False)
    with kernel_environment({FIGURE_FILES_ENV: "", "EVALUATION_TEST_ONLY": "1"}):
        assert os.environ[FIGURE_FILES_ENV] == "" and os.environ["EVALUATION_TEST_ONLY"] == "1"
    assert os.environ[FIGURE_FILES_ENV] == "svg" and "EVALUATION_TEST_ONLY" not in os.environ
