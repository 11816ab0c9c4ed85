"""Privacy canaries and escaping, tested on every rendered report as a reader would get it.

Demo-like data with planted canaries: a recognisable respondent id, a person's name in an
unapproved quote, an agency office with only two respondents, and markup in every kind of
string that comes from data (a quote, an item text, an agency name). After rendering all
reports, none of the canaries may appear in any HTML file or executed notebook, the small office
must be shown as suppressed, and the markup must appear as text.
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import read_lines, write_lines

pytestmark = pytest.mark.notebook

CANARY_ID = "r-canary42"
CANARY_NAME = "Kari Nordmann"
SCRIPT_QUOTE = '<script>alert("sitat")</script> Samarbeidet har gitt oss mye.'
ITEM_MARKUP = "<b>fet</b>"
AGENCY_MARKUP = "Skatteetaten <i>Stad</i>"


class TableRows(HTMLParser):
    """Collect the text of every table row as a list of cell texts."""

    def __init__(self):
        super().__init__()
        self.rows: list[list[str]] = []
        self._row: list[str] | None = None
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.rows.append(self._row)
            self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def _rows(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def plant_canaries(data: Path) -> dict:
    responses = _rows(data / "survey/responses.csv")
    # 1. a recognisable respondent id
    responses[0]["respondent_id"] = CANARY_ID
    # 2. Stad's Politiet office in 2024 answered by only two people
    office = [r for r in responses if r["pilot"] == "stad" and r["agency"] == "politiet" and r["wave"] == "2024"]
    dropped = {id(r) for r in office[2:]}
    responses = [r for r in responses if id(r) not in dropped]
    _write(data / "survey/responses.csv", responses)
    # 3. a person's name in an unapproved quote, and markup in an approved one (Stad, final round)
    interviews = {r["interview_id"]: r for r in _rows(data / "interviews/interviews.csv")}
    segments = _rows(data / "interviews/segments.csv")
    stad_final = [s for s in segments if interviews[s["interview_id"]]["pilot"] == "stad"
                  and interviews[s["interview_id"]]["date"] > "2022-12-31"]
    stad_final[0].update(quote=f"{CANARY_NAME} sier at samarbeidet ikke fungerer.", quote_approved="no")
    for segment in stad_final[1:]:  # make the markup quote the only approved one, so it is shown
        segment["quote_approved"] = "no"
    stad_final[1].update(quote=SCRIPT_QUOTE, quote_approved="yes")
    _write(data / "interviews/segments.csv", segments)
    # 4. markup in an item text and an agency name
    items = _rows(data / "survey/items.csv")
    items[0]["text_nb"] = f"Jeg samarbeider {ITEM_MARKUP} ofte med andre etater"
    _write(data / "survey/items.csv", items)
    programme = data / "programme.yaml"
    lines = read_lines(programme)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- id: skatteetaten")
    lines[at + 1] = lines[at + 1].split(":")[0] + f": {AGENCY_MARKUP}"
    write_lines(programme, lines)
    return {"respondent_ids": {r["respondent_id"] for r in responses}}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    import shutil

    from conftest import DEMO

    data = tmp_path_factory.mktemp("canary") / "data"
    shutil.copytree(DEMO, data)
    planted = plant_canaries(data)
    out = data.parent / "reports"
    result = subprocess.run([sys.executable, "-m", "evaluation", "render", "--data-dir", str(data),
                             "--out", str(out)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.html")}
    notebooks = {p: p.read_text(encoding="utf-8") for p in out.rglob("*.ipynb")}
    assert len(pages) >= 9  # eight pilot reports and the index, at least
    return planted, pages, notebooks


def test_no_respondent_id_reaches_any_report_or_executed_notebook(rendered):
    planted, pages, notebooks = rendered
    pattern = re.compile(r"r-[0-9a-f]{8}|r-canary42")
    for path, text in {**pages, **notebooks}.items():
        found = set(pattern.findall(text)) & planted["respondent_ids"]
        assert not found, f"respondent id(s) {sorted(found)[:3]} in {path.name}"
        assert CANARY_ID not in text


def test_a_name_in_an_unapproved_quote_never_appears(rendered):
    _, pages, notebooks = rendered
    for path, text in {**pages, **notebooks}.items():
        assert CANARY_NAME not in text, path


def test_the_two_person_office_is_suppressed_everywhere(rendered):
    _, pages, _ = rendered
    page = next(text for path, text in pages.items() if path.parent.name == "final" and path.name == "stad.html")
    parser = TableRows()
    parser.feed(page)
    office_rows = [row for row in parser.rows
                   if any(cell == "Politiet" for cell in row) and any("2024" in cell for cell in row)]
    assert office_rows, "the office should still be listed, as suppressed"
    for row in office_rows:
        assert any("færre enn 5" in cell or "skjult" in cell or cell == "–" for cell in row), row
        # no response count, percentage or mean may be shown for it: only its label, the wave,
        # the invited count and suppression marks
        shown = [cell for cell in row if re.search(r"\d", cell) and "2024" not in cell and "færre enn" not in cell]
        assert len(shown) <= 1, f"values shown for a two-person office: {row}"


def test_markup_from_data_is_shown_as_text_not_run(rendered):
    _, pages, _ = rendered
    for path, text in pages.items():
        assert "<script" not in text.lower(), path
        assert ITEM_MARKUP not in text and AGENCY_MARKUP not in text, path
    stad_final = next(text for path, text in pages.items() if path.parent.name == "final" and path.name == "stad.html")
    assert "&lt;script&gt;alert(" in stad_final, "the approved quote should be shown, escaped"
    assert "&lt;i&gt;Stad&lt;/i&gt;" in stad_final
    assert "&lt;b&gt;fet&lt;/b&gt;" in stad_final
