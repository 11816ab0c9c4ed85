"""The formats beside the HTML take their figures from the files the report's kernel made, and
refuse to go without one: the HTML embeds its figures as SVG, which neither the Word document
(it needs the 300-dpi PNG) nor the export pack (it needs both) can fall back on.

The figures here are made in this process with the package's own chart helper; the PNG written to
the Word document and the export pack is compared with the one the kernel made, byte for byte.
"""

from __future__ import annotations

import base64

import pandas as pd
import pytest

from evaluation.errors import MissingFigureFileError
from evaluation.html import FIGURE_FILES_ENV
from evaluation.plots.base import make_report_figure, new_figure
from evaluation.publish import FORMATS, figure_files_for
from evaluation.publish.document import ReportDocument
from evaluation.publish.export import write_figures
from evaluation.publish.word import write_docx

ALT = "Søyler for to indekser"


def _report(monkeypatch, kinds: str) -> ReportDocument:
    """A one-figure report whose kernel was asked for ``kinds`` of figure files."""
    monkeypatch.setenv(FIGURE_FILES_ENV, kinds)
    fig, ax = new_figure(width=6.0, height=3.0)
    ax.bar(["a", "b"], [1, 2])
    block = make_report_figure(fig, alt_text=ALT, caption="Figur 1", data=pd.DataFrame({"x": [1, 2]}),
                               tidy=pd.DataFrame({"x": [1, 2], "suppressed": [False, False]})).to_html()
    return ReportDocument(lang="nb", title="Rapport", lead="<h1>Rapport</h1>", rest=f"<h2>Funn</h2>{block.markup}",
                          figures=block.figures)


def test_each_format_asks_the_kernel_only_for_the_figure_files_it_takes():
    # the PDF prints the HTML (SVG inside); Word takes the PNG; the export pack both
    assert figure_files_for([]) == figure_files_for(["pdf"]) == ()
    assert figure_files_for(["docx"]) == figure_files_for(["pdf", "docx"]) == ("png",)
    assert figure_files_for(["export"]) == figure_files_for(FORMATS) == ("svg", "png")
    with pytest.raises(ValueError, match="unknown format"):
        figure_files_for(["html5"])


def test_the_word_document_holds_the_kernels_png_with_its_alt_text(monkeypatch, tmp_path):
    import docx

    document = _report(monkeypatch, "png")
    path = write_docx(document, tmp_path / "r.docx", author="", subject="")
    (shape,) = docx.Document(path).inline_shapes
    assert shape._inline.docPr.get("descr") == ALT
    blob = docx.Document(path).part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob == base64.b64decode(document.figures[0].png_base64)


def test_the_word_document_refuses_a_figure_without_its_png(monkeypatch, tmp_path):
    document = _report(monkeypatch, "svg")
    with pytest.raises(MissingFigureFileError, match="figure 1 has no PNG file, which the Word document needs"):
        write_docx(document, tmp_path / "r.docx", author="", subject="")


def test_the_export_pack_holds_the_kernels_svg_and_png(monkeypatch, tmp_path):
    document = _report(monkeypatch, "svg,png")
    write_figures(document.figures, tmp_path / "export", lang="nb")
    (figure,) = document.figures
    assert (tmp_path / "export/figure-01.png").read_bytes() == base64.b64decode(figure.png_base64)
    svg = (tmp_path / "export/figure-01.svg").read_text(encoding="utf-8")
    texts = f"\n <title>Figur 1</title>\n <desc>{ALT}</desc>"
    assert texts in svg and svg.replace(texts, "") == figure.svg


@pytest.mark.parametrize("kinds, missing", [("png", "SVG"), ("svg", "PNG")])
def test_the_export_pack_refuses_a_figure_without_its_files_and_writes_nothing(monkeypatch, tmp_path, kinds, missing):
    document = _report(monkeypatch, kinds)
    with pytest.raises(MissingFigureFileError, match=f"figure 1 has no {missing} file, which the export pack needs"):
        write_figures(document.figures, tmp_path / "export", lang="nb")
    assert not (tmp_path / "export").exists()
