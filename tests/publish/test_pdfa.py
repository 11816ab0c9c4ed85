"""PDF/A-2u: what make_pdfa adds, and that the checker finds what a PDF lacks."""

from __future__ import annotations

import io

import pikepdf

from evaluation.publish.pdfa import make_pdfa, pdfa_findings


def _blank_pdf(*, annotation_flags: int | None = None) -> bytes:
    """A one-page PDF with a link annotation, made with pikepdf (no fonts, no metadata)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    link = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link, Rect=[10, 10, 50, 50])
    if annotation_flags is not None:
        link.F = annotation_flags
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([link]))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_the_checker_finds_what_a_plain_pdf_lacks():
    rules = {finding.rule for finding in pdfa_findings(_blank_pdf(annotation_flags=2))}
    # no XMP (6.6.2.1), a hidden, unprinted annotation (6.3.2), not tagged, no Lang, no title shown
    assert {"6.6.2.1", "6.3.2", "tagged"} <= rules


def test_make_pdfa_adds_the_identification_metadata_output_intent_and_print_flags():
    made, pages = make_pdfa(_blank_pdf(annotation_flags=2), title="Sluttevaluering: Stad", lang="nb",
                            author="Evaluator AS", subject="Pilot Statens hus")
    assert pages == 1
    with pikepdf.open(io.BytesIO(made)) as pdf:
        meta = pdf.open_metadata()
        assert meta.pdfa_status == "2U"
        assert meta["dc:title"] == "Sluttevaluering: Stad" == str(pdf.docinfo.Title)
        assert str(pdf.Root.Lang) == "nb"
        intent = pdf.Root.OutputIntents[0]
        assert intent.S == "/GTS_PDFA1" and int(intent.DestOutputProfile.N) == 3
        assert bytes(intent.DestOutputProfile.read_bytes())[36:40] == b"acsp"  # an ICC profile (ICC.1, 7.2.9)
        assert int(pdf.pages[0].obj.Annots[0].F) == 4  # Print on, Hidden off
    # What is left is the tagging, which Chromium writes and a blank pikepdf page lacks.
    assert {finding.rule for finding in pdfa_findings(made)} == {"tagged"}
