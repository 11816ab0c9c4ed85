"""The index page: the reports of the programme as a reader at the ministry needs them.

Per phase of the programme, in its order: the synthesis first, then the pilots in the
programme's order and by the names ``programme.yaml`` gives them; for each report the date its
data run to (not a hash), when it was made, and whether it is current, older than the data, or
failed in its last run (then with the time of the last good version, still linked). Reports of
pilots or phases the programme no longer has, and files that no manifest entry names, are not
listed. Manifests and report files are written by hand here; the expected rows are read off
them, not off the code.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

from conftest import DEMO, read_lines, write_lines
from evaluation.render import render_reports
from evaluation.render.fingerprints import MANIFEST_SCHEMA, current_inputs, report_inputs
from evaluation.render.jobs import ReportJob
from evaluation.render.page import write_index
from evaluation.render.checking import check_data, data_as_of

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
VALIDATED = {"pilots": ["stad", "narvik"], "phases": ["midterm", "final"],
             "pilot_names": {"stad": "Stad kommune", "narvik": "Narvik"},
             "phase_names": {"midterm": {"nb": "Midtveis", "en": "Midterm"}, "final": {"nb": "Slutt", "en": "Final"}},
             "data_as_of": {"midterm": "2022-12-31", "final": "2024-06-30"}}


def entry(phase: str, pilot: str | None, **fields) -> dict:
    return {"phase": phase, "pilot": pilot, "lang": "nb", "notebook": "pilot_report" if pilot else "synthesis_report",
            "html": f"{phase}/{pilot or 'synthesis'}.html", "data_version": "2d6304eca141",
            "data_as_of": VALIDATED["data_as_of"][phase] if phase in VALIDATED["data_as_of"] else None,
            "generated": "2026-01-02T03:04:05Z", **fields}


def folder(out: Path, reports: dict, validated: dict | None = VALIDATED, missing=()) -> Path:
    """An output folder: a manifest with ``reports``, and the HTML of every report but ``missing``."""
    out.mkdir(parents=True, exist_ok=True)
    for name, item in reports.items():
        if item.get("html") and name not in missing:
            (out / item["html"]).parent.mkdir(parents=True, exist_ok=True)
            (out / item["html"]).write_text("<html></html>", encoding="utf-8")
    manifest = {"schema": MANIFEST_SCHEMA, "reports": reports}
    if validated is not None:
        manifest["validated"] = validated
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return out


def rows(page: str) -> list[tuple[str, ...]]:
    """Each table row of the page as (phase heading, report cell, language, data as of, generated, status)."""
    found = []
    for section in re.split(r"(?=<h2 id=)", page)[1:]:
        phase = re.match(r'<h2 id="[^"]+">([^<]+)</h2>', section).group(1)
        for row in re.findall(r"<tr><th scope=\"row\">(.*?)</th><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td>"
                              r"<td>.*?</td><td[^>]*>(.*?)</td></tr>", section):  # the formats cell left out
            found.append((phase, *row))
    return found


def test_the_synthesis_comes_first_then_the_pilots_in_the_programmes_order_by_their_names(tmp_path):
    out = folder(tmp_path, {"final/stad": entry("final", "stad"), "final/narvik": entry("final", "narvik"),
                            "final/synthesis": entry("final", None), "midterm/stad": entry("midterm", "stad"),
                            "midterm/stad.en": entry("midterm", "stad", lang="en", html="midterm/stad.en.html")})
    page = write_index(out).read_text(encoding="utf-8")
    assert rows(page) == [
        ("Midtveis", '<a href="midterm/stad.html" hreflang="nb">Stad kommune</a>', "Norsk (bokmål)",
         "31. desember 2022", "2026-01-02 03:04:05 UTC", "Oppdatert"),
        ("Midtveis", '<a href="midterm/stad.en.html" hreflang="en">Stad kommune</a>', "English",
         "31. desember 2022", "2026-01-02 03:04:05 UTC", "Oppdatert"),
        ("Slutt", '<a href="final/synthesis.html" hreflang="nb">Samlet vurdering</a>', "Norsk (bokmål)",
         "30. juni 2024", "2026-01-02 03:04:05 UTC", "Oppdatert"),
        ("Slutt", '<a href="final/stad.html" hreflang="nb">Stad kommune</a>', "Norsk (bokmål)",
         "30. juni 2024", "2026-01-02 03:04:05 UTC", "Oppdatert"),
        ("Slutt", '<a href="final/narvik.html" hreflang="nb">Narvik</a>', "Norsk (bokmål)",
         "30. juni 2024", "2026-01-02 03:04:05 UTC", "Oppdatert")]
    assert "2d6304eca141" not in page  # the data's fingerprint stays in the manifest


def test_the_pdf_and_word_document_beside_a_report_are_linked_in_its_row(tmp_path):
    files = {"pdf": "midterm/stad.pdf", "docx": "midterm/stad.docx"}
    out = folder(tmp_path, {"midterm/stad": entry("midterm", "stad", files=files)})
    (out / "midterm" / "stad.pdf").write_bytes(b"%PDF-")
    page = write_index(out).read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', page) == ["midterm/stad.html", "midterm/stad.pdf"]  # no .docx on disk


def test_reports_of_pilots_and_phases_the_programme_does_not_have_and_stray_files_are_not_listed(tmp_path):
    out = folder(tmp_path, {"midterm/stad": entry("midterm", "stad"), "midterm/bodo": entry("midterm", "bodo"),
                            "pilot/stad": entry("pilot", "stad")})
    (out / "midterm" / "orkland.html").write_text("<html>a stray file</html>", encoding="utf-8")
    page = write_index(out).read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', page) == ["midterm/stad.html"]
    assert "bodo" not in page.lower() and 'id="pilot"' not in page


def test_a_report_older_than_the_data_is_marked(tmp_path):
    out = folder(tmp_path, {"midterm/stad": entry("midterm", "stad"), "midterm/narvik": entry("midterm", "narvik")})
    page = write_index(out, stale={"midterm/narvik"}).read_text(encoding="utf-8")
    assert [row[-1] for row in rows(page)] == ["Oppdatert", "Eldre enn dataene – lag rapporten på nytt"]
    assert '<td class="status-attention">Eldre enn dataene' in page


def test_a_failed_report_is_listed_as_failed_with_the_time_of_its_last_good_version(tmp_path):
    failure = {"at": "2026-02-03T04:05:06Z", "error": "RuntimeError: boom"}
    out = folder(tmp_path, {"midterm/stad": entry("midterm", "stad", failed=failure),
                            "midterm/narvik": {"phase": "midterm", "pilot": "narvik", "lang": "nb",
                                               "notebook": "pilot_report", "failed": failure}})
    page = write_index(out).read_text(encoding="utf-8")
    assert rows(page) == [
        ("Midtveis", '<a href="midterm/stad.html" hreflang="nb">Stad kommune</a>', "Norsk (bokmål)",
         "31. desember 2022", "2026-01-02 03:04:05 UTC",
         "Feilet 2026-02-03 04:05:06 UTC; viser versjonen fra 2026-01-02 03:04:05 UTC"),
        ("Midtveis", "Narvik", "Norsk (bokmål)", "–", "–", "Feilet 2026-02-03 04:05:06 UTC; ingen tidligere versjon")]


def test_names_from_the_programme_and_the_data_come_out_escaped(tmp_path):
    validated = {**VALIDATED, "pilot_names": {"stad": SCRIPT, "narvik": "Narvik"},
                 "phase_names": {"midterm": {"nb": SCRIPT, "en": "x"}}}
    out = folder(tmp_path, {"midterm/stad": entry("midterm", "stad")}, validated=validated)
    page = write_index(out).read_text(encoding="utf-8")
    assert "<script" not in page
    assert f'<h2 id="midterm">{ESCAPED}</h2>' in page and f'hreflang="nb">{ESCAPED}</a>' in page


def test_without_a_record_of_the_programme_every_report_with_a_file_is_listed(tmp_path):
    """An output folder made before the index knew the programme (no ``validated`` record)."""
    out = folder(tmp_path, {"midterm/stad": entry("midterm", "stad"), "midterm/narvik": entry("midterm", "narvik")},
                 validated=None, missing={"midterm/narvik"})
    page = write_index(out, phases=["midterm"]).read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', page) == ["midterm/stad.html"]
    assert 'hreflang="nb">Stad</a>' in page  # the id, capitalised, when no name is known


# --------------------------------------------------------------------------------------------
# What a render records for the index: the data's date, and which reports the data have passed
# --------------------------------------------------------------------------------------------


def test_the_data_run_to_the_cut_off_or_to_the_latest_date_before_it(demo_copy):
    path = demo_copy / "programme.yaml"
    write_lines(path, [line.replace("cutoff: 2024-12-31", "cutoff: 2025-06-30") for line in read_lines(path)])
    latest = max(cell for name, column in [("survey/responses.csv", "response_date"),
                                           ("interviews/interviews.csv", "date"),
                                           ("indicators/observations.csv", "date"),
                                           ("milestones.csv", "completed_date")]
                 for cell in _column(demo_copy / name, column) if cell)
    checked = check_data(demo_copy, out=demo_copy.parent / "out")
    assert checked.validated["data_as_of"] == {"midterm": "2022-12-31", "final": latest}
    assert latest < "2025-06-30"
    assert checked.validated["pilot_names"]["stad"] == "Stad"


def _column(path: Path, column: str) -> list[str]:
    import csv

    with open(path, encoding="utf-8", newline="") as stream:
        return [row[column] for row in csv.DictReader(stream)]


def test_a_render_marks_the_reports_whose_data_changed_and_not_the_others(demo_copy, tmp_path):
    """Two midterm reports recorded as made from the data as they are; then one 2024 answer of
    Stad changes (after the midterm cut-off: what neither report sees) and one 2022 answer of
    Stad (what Stad's report sees, not Narvik's). A render of no report writes the index: only
    Stad's report, and only after the 2022 change, is marked."""
    from evaluation.contract import load_data
    from evaluation.render.fingerprints import report_views

    out = tmp_path / "out"
    inputs = current_inputs(demo_copy)
    views = report_views(demo_copy.resolve(), "midterm", inputs.input_files, ["stad", "narvik"])
    reports = {}
    for pilot in ("stad", "narvik"):
        job = ReportJob("pilot_report", "midterm", pilot)
        reports[job.name] = {**entry("midterm", pilot), "inputs": report_inputs(job, inputs, views[pilot])}
    validated = {**VALIDATED, "data_as_of": data_as_of(load_data(demo_copy))}
    folder(out, reports, validated=validated)

    def statuses() -> list[str]:
        render_reports([], data_dir=demo_copy, out=out, validated=validated, progress=lambda line: None)
        return [row[-1] for row in rows((out / "index.html").read_text(encoding="utf-8"))]

    assert statuses() == ["Oppdatert", "Oppdatert"]
    _edit_answer(demo_copy, year="2024")
    assert statuses() == ["Oppdatert", "Oppdatert"]  # after the midterm cut-off: not what they show
    _edit_answer(demo_copy, year="2022")
    assert statuses() == ["Eldre enn dataene – lag rapporten på nytt", "Oppdatert"]  # Stad, Narvik


def _edit_answer(data_dir: Path, *, year: str) -> None:
    from .helpers import edit_response

    edit_response(data_dir, pilot="stad", year=year)


def test_an_output_folder_keeps_listing_only_the_programme_after_a_pilot_is_removed(demo_copy, tmp_path):
    """A render after a pilot left the programme: its old report stays on disk, off the index."""
    out = folder(tmp_path / "out", {"midterm/stad": entry("midterm", "stad"),
                                    "midterm/orkland": entry("midterm", "orkland")})
    checked = check_data(DEMO, out=out)
    validated = {**checked.validated, "pilots": [p for p in checked.validated["pilots"] if p != "orkland"]}
    render_reports([], data_dir=DEMO, out=out, validated=validated, progress=lambda line: None)
    page = (out / "index.html").read_text(encoding="utf-8")
    assert re.findall(r'href="([^"]+)"', page) == ["midterm/stad.html"]
    assert (out / "midterm" / "orkland.html").is_file()
    shutil.rmtree(out)
