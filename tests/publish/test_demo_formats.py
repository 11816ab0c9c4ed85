"""The demo reports' PDF, Word document and export pack, as the render wrote them with the real
engine (headless Chromium) in the session's demo render (conftest.demo_reports).

Each is read with a library other than the one that wrote it (pypdf for the PDF's text and
bookmarks, pikepdf for its structure tree, python-docx and openpyxl to read back), and compared
with the HTML report or with numbers computed here from the CSV files.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import DEMO
from evaluation.publish.pdfa import pdfa_findings
from evaluation.publish.tables import parse_fragment, text_of

pytestmark = [pytest.mark.notebook, pytest.mark.browser]

PILOTS = ("stad", "orkland", "narvik", "lyngdal")
REPORTS = [f"{phase}/{pilot}" for phase in ("midterm", "final") for pilot in (*PILOTS, "synthesis")]
REPORTS += ["midterm/stad.en", "final/stad.en"]
PAGE_RANGE = {"pilot": (15, 60), "synthesis": (5, 25)}
"""Pages a demo report may have: about 30 for a pilot, 10 for a synthesis (looked at by eye)."""

PAGE_WORDS = {"nb": "side {page} av {pages}", "en": "page {page} of {pages}"}


def _lang(report: str) -> str:
    return "en" if report.endswith(".en") else "nb"


def _html_main(demo_reports: Path, report: str):
    """The HTML report's <main>, parsed."""
    html = (demo_reports / f"{report}.html").read_text(encoding="utf-8")
    return parse_fragment(html[html.index("<main"):html.index("</main>") + 7])


def _chapters(main) -> list[str]:
    """The chapter headings of an HTML report: its <h2> elements but the table of contents' title."""
    return [text_of(h) for h in main.iter("h2") if h.get("id") != "toc-title"]


def _page_texts(reader: PdfReader) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@pytest.fixture(scope="module")
def pdfs(demo_reports) -> dict:
    """Every demo report's PDF: its reader, its text per page, and its bytes."""
    found = {}
    for report in REPORTS:
        data = (demo_reports / f"{report}.pdf").read_bytes()
        reader = PdfReader(io.BytesIO(data))
        found[report] = {"reader": reader, "pages": _page_texts(reader), "bytes": data}
    return found


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_opens_with_a_front_page_and_page_numbers_on_every_later_page(pdfs, demo_reports, report):
    pages = pdfs[report]["pages"]
    low, high = PAGE_RANGE["synthesis" if "synthesis" in report else "pilot"]
    assert low <= len(pages) <= high
    title = text_of(next(_html_main(demo_reports, report).iter("h1")))
    words = PAGE_WORDS[_lang(report)]
    front = pages[0]
    assert title in front and ("Oppdragsgiver" if _lang(report) == "nb" else "Client") in front
    assert words.format(page=1, pages=len(pages)) not in front
    for number, text in enumerate(pages[1:], start=2):
        assert words.format(page=number, pages=len(pages)) in text, f"{report}: page {number}"
        assert title in text  # the running header


@pytest.mark.parametrize("report", REPORTS)
def test_bookmarks_are_the_reports_chapters_under_its_title(pdfs, demo_reports, report):
    outline = pdfs[report]["reader"].outline
    main = _html_main(demo_reports, report)
    assert [item.title for item in outline if not isinstance(item, list)] == [text_of(next(main.iter("h1")))]
    chapters = [item.title for item in outline[1] if not isinstance(item, list)]
    assert chapters == _chapters(main)


def _structure(pdf: pikepdf.Pdf) -> tuple[dict, list[str]]:
    """Counts of the structure elements by type, and the figures' alt texts, in document order."""
    counts: dict[str, int] = {}
    alts: list[str] = []
    stack = [pdf.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        if isinstance(node, pikepdf.Array):
            stack.extend(reversed(list(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        kind = str(node.get("/S", ""))
        counts[kind] = counts.get(kind, 0) + 1
        if kind == "/Figure" and "/Alt" in node:
            alts.append(str(node.Alt))
        if "/K" in node:
            stack.append(node.K)
    return counts, alts


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_is_tagged_with_headings_table_headers_and_figures_with_their_alt_text(pdfs, demo_reports, report):
    main = _html_main(demo_reports, report)
    with pikepdf.open(io.BytesIO(pdfs[report]["bytes"])) as pdf:
        assert str(pdf.Root.Lang) == _lang(report)
        assert str(pdf.docinfo.Title) == text_of(next(main.iter("h1")))
        assert bool(pdf.Root.MarkInfo.Marked)
        counts, alts = _structure(pdf)
    assert counts.get("/H1") == 1 and counts.get("/H2") == len(_chapters(main))
    # the print adds one table, the facts on the front page
    assert counts.get("/TH", 0) >= len(list(main.iter("th")))
    assert counts.get("/Table") == len(list(main.iter("table"))) + 1
    assert alts == [image.get("alt") for image in main.iter("img")]


@pytest.mark.parametrize("report", REPORTS)
def test_pdf_meets_the_checked_pdfa_2u_rules_with_every_font_embedded(pdfs, report):
    assert pdfa_findings(pdfs[report]["bytes"]) == []
    with pikepdf.open(io.BytesIO(pdfs[report]["bytes"])) as pdf:
        assert pdf.open_metadata().pdfa_status == "2U"


def _collaboration_2021_stad() -> tuple[int, float]:
    """Respondents with a 'collaboration' score in Stad 2021, and the post-stratified mean.

    The contract's rule: reverse-keyed items (Q03) scored 6 - code, 'vet ikke' (9) and blanks
    left out, a score when at least half of the four items are answered; the mean weights each
    agency's mean by its invited staff (population.csv), sum_h N_h / N * mean_h (Holt and Smith
    1979). R's survey package gives 3.061423761 for the same scores (tests/test_report_structure.py).
    """
    scores: dict[str, list[float]] = {}
    with open(DEMO / "survey/responses.csv", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            if row["pilot"] == "stad" and row["wave"] == "2021":
                values = [6 - int(row[i]) if i == "Q03" else int(row[i])
                          for i in ("Q01", "Q02", "Q03", "Q04") if row[i] not in ("", "9")]
                if 2 * len(values) >= 4:
                    scores.setdefault(row["agency"], []).append(sum(values) / len(values))
    with open(DEMO / "survey/population.csv", encoding="utf-8") as stream:
        invited = {row["agency"]: int(row["invited"]) for row in csv.DictReader(stream)
                   if row["pilot"] == "stad" and row["wave"] == "2021"}
    total = sum(invited[agency] for agency in scores)
    mean = sum(invited[agency] / total * sum(values) / len(values) for agency, values in scores.items())
    return sum(len(values) for values in scores.values()), mean


def test_pdf_text_has_the_weighted_index_mean_computed_from_the_csv_with_a_decimal_comma(pdfs):
    _, mean = _collaboration_2021_stad()
    assert abs(mean - 3.061423761) < 1e-9
    assert f"{mean:.2f}".replace(".", ",") in " ".join(pdfs["midterm/stad"]["pages"])
    assert f"{mean:.2f}" in " ".join(pdfs["midterm/stad.en"]["pages"])


def test_workbook_has_the_index_table_with_numbers_computed_from_the_csv(demo_reports):
    from openpyxl import load_workbook

    respondents, mean = _collaboration_2021_stad()
    workbook = load_workbook(demo_reports / "midterm/stad-export/tables.xlsx")
    sheets = {sheet["A1"].value: sheet for sheet in workbook.worksheets[1:]}
    sheet = next(s for caption, s in sheets.items() if caption.startswith("Antall svar, vektet gjennomsnitt"))
    header = [cell.value for cell in sheet[4]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row)]
    row = next(r for r in rows if r[0] == "Samarbeid på tvers av etater" and r[1] == "Nullpunkt 2021")
    assert row[header.index("Antall svar")] == respondents and isinstance(row[header.index("Antall svar")], int)
    assert row[header.index("Gjennomsnitt")] == round(mean, 2)  # the precision the report shows
    # A hidden number: an empty cell, marked, with the report's words in its comment.
    rates = next(s for caption, s in sheets.items()
                 if caption.startswith("Inviterte, svar og svarprosent per runde og"))
    hidden = [cell for row in rates.iter_rows(min_row=5) for cell in row if cell.comment is not None]
    assert hidden and all(cell.value is None and cell.fill.start_color.rgb.endswith("D9D9D9") for cell in hidden)
    assert any("færre enn 5 svar" in cell.comment.text for cell in hidden)


def test_export_pack_has_every_figure_as_svg_and_300_dpi_png_with_its_texts_and_tidy_data(demo_reports):
    from PIL import Image

    main = _html_main(demo_reports, "midterm/stad")
    alts = [image.get("alt") for image in main.iter("img")]
    folder = demo_reports / "midterm/stad-export"
    for number, alt in enumerate(alts, start=1):
        stem = folder / f"figure-{number:02d}"
        assert alt in stem.with_suffix(".txt").read_text(encoding="utf-8")
        assert stem.with_suffix(".svg").read_text(encoding="utf-8").count("<desc>") == 1
        with Image.open(stem.with_suffix(".png")) as png:
            assert round(png.info["dpi"][0]) == 300
        header = stem.with_suffix(".csv").read_text(encoding="utf-8").splitlines()[0]
        assert "suppressed" in header.split(",")
    assert not (folder / f"figure-{len(alts) + 1:02d}.svg").exists()


@pytest.mark.parametrize("report", ["midterm/stad", "final/synthesis", "final/stad.en"])
def test_word_document_has_a_heading_per_chapter_and_the_reports_tables(demo_reports, report):
    import docx

    document = docx.Document(demo_reports / f"{report}.docx")
    main = _html_main(demo_reports, report)
    chapters = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert chapters == _chapters(main)
    html_tables = [[[text_of(cell) for cell in row if cell.tag in ("th", "td")] for row in table.iter("tr")]
                   for table in main.iter("table")]
    word_tables = [[[" ".join(cell.text.split()) for cell in row.cells] for row in table.rows]
                   for table in document.tables[1:]]  # the first is the front page's facts
    assert word_tables == html_tables
    pictures = document.inline_shapes
    assert [shape._inline.docPr.get("descr") for shape in pictures] == [i.get("alt") for i in main.iter("img")]


def test_index_links_the_pdf_and_the_word_document_of_every_report(demo_reports):
    index = (demo_reports / "index.html").read_text(encoding="utf-8")
    links = set(re.findall(r'href="([^"#]+)"', index))
    for report in REPORTS:
        assert {f"{report}.html", f"{report}.pdf", f"{report}.docx"} <= links, report
        assert (demo_reports / f"{report}.pdf").is_file() and (demo_reports / f"{report}.docx").is_file()
