"""Tests of ``python -m evaluation import-survey`` as one transaction: an import adds
respondents unless asked to replace, says what it changed, and on any problem changes no byte
of the data folder (the project standard "nothing is ever lost").

Expected counts are taken from the CSV files with the standard library's csv module, not from
the package.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pandas as pd

from evaluation.cli import main
from evaluation.files import file_sha256
from evaluation.importers import ImportResult, import_survey, items_with_scales, write_contract_responses

from .survey_exports import SX_DIR, SX_MAPPING

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def demo_items() -> pd.DataFrame:
    read = lambda name: pd.read_csv(DEMO / "survey" / name, dtype=str, keep_default_na=False)  # noqa: E731
    return items_with_scales(read("items.csv"), read("scales.csv"))


def contract_result(source: Path = SX_DIR, mapping: Path = SX_MAPPING) -> ImportResult:
    """The SurveyXact fixture (4 respondents of wave 2022: 3 in stad, 1 in orkland) for the demo items."""
    return import_survey(source, format="surveyxact", mapping=mapping, wave=2022, items=demo_items(),
                         encoding="cp1252")


def _rows(folder: Path) -> list[dict]:
    with open(folder / "survey" / "responses.csv", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def _lines(folder: Path) -> list[str]:
    return (folder / "survey" / "responses.csv").read_text(encoding="utf-8").splitlines()


def _digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every file under the folder, and the names next to it (no temporary copy left)."""
    files = {str(p.relative_to(folder)): file_sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()}
    return {**files, "..": ",".join(sorted(p.name for p in folder.parent.iterdir()))}


def _import(folder: Path, *extra: str, source: Path = SX_DIR, mapping: Path = SX_MAPPING,
            wave: str = "2022") -> int:
    return main(["import-survey", str(source), "--format", "surveyxact", "--mapping", str(mapping),
                 "--encoding", "cp1252", "--wave", wave, "--out", str(folder), *extra])


def test_a_partial_export_adds_its_respondents_and_keeps_the_whole_wave(demo_copy, capsys):
    before_rows, before_lines = _rows(demo_copy), _lines(demo_copy)
    before = Counter((r["wave"], r["pilot"]) for r in before_rows)
    assert before[("2022", "stad")] + before[("2022", "orkland")] == 90  # the demo's 44 + 46
    code = _import(demo_copy)
    out = capsys.readouterr().out
    assert code == 0, out
    after = Counter((r["wave"], r["pilot"]) for r in _rows(demo_copy))
    # dataset.csv: 1001-1003 in stad, 1005 in orkland (1004 never answered)
    assert after[("2022", "stad")] == before[("2022", "stad")] + 3
    assert after[("2022", "orkland")] == before[("2022", "orkland")] + 1
    assert after[("2022", "stad")] + after[("2022", "orkland")] == 94
    assert _lines(demo_copy)[: len(before_lines)] == before_lines  # every earlier line, unchanged
    assert "stad / nav / wave 2022: add 1" in out and "total: add 4" in out and "remove" not in out


def test_importing_the_same_export_again_adds_nothing(demo_copy, capsys):
    assert _import(demo_copy) == 0
    once = _digests(demo_copy)
    assert _import(demo_copy) == 0
    assert _digests(demo_copy) == once
    assert "4 respondent(s) of the export were already in the file" in capsys.readouterr().out


def test_replace_removes_exactly_the_wave_and_pilot_rows_and_says_so_first(demo_copy, capsys):
    before_rows = _rows(demo_copy)
    replaced = Counter((r["pilot"], r["agency"]) for r in before_rows
                       if r["wave"] == "2022" and r["pilot"] in {"stad", "orkland"})
    others = [r for r in before_rows if not (r["wave"] == "2022" and r["pilot"] in {"stad", "orkland"})]
    code = _import(demo_copy, "--replace")
    out = capsys.readouterr().out
    assert code == 0, out
    after = _rows(demo_copy)
    assert after[: len(others)] == others
    assert [r["respondent_id"] for r in after[len(others):]] == ["1001", "1002", "1003", "1005"]
    assert out.index("remove") < out.index("valid")
    for (pilot, agency), n in replaced.items():
        added = {("stad", "nav"): 1, ("stad", "skatteetaten"): 1, ("stad", "politiet"): 1,
                 ("orkland", "nav"): 1}.get((pilot, agency), 0)
        assert f"{pilot} / {agency} / wave 2022: remove {n}, add {added}" in out
    assert f"total: remove {sum(replaced.values())}, add 4" in out and sum(replaced.values()) == 90


def test_a_wave_missing_from_the_programme_changes_no_byte_and_says_what_to_fix(demo_copy, tmp_path, capsys):
    export = tmp_path / "export-2026"
    shutil.copytree(SX_DIR, export)  # the same answers, given in autumn 2026
    (export / "dataset.csv").write_bytes((SX_DIR / "dataset.csv").read_bytes().replace(b".2022 ", b".2026 "))
    before = _digests(demo_copy)
    code = _import(demo_copy, source=export, wave="2026")
    err = capsys.readouterr().err
    assert code == 1
    assert "wave 2026 is not in programme.yaml: add it under waves" in err
    assert f"nothing in {demo_copy} was changed" in err
    assert _digests(demo_copy) == before


def test_a_respondent_already_there_with_other_answers_is_refused_without_replace(demo_copy, tmp_path, capsys):
    assert _import(demo_copy) == 0
    changed = tmp_path / "export"
    shutil.copytree(SX_DIR, changed)
    data = (changed / "dataset.csv").read_bytes()
    # respondent 1002 now answers s_1_1 with code 1 instead of 4
    (changed / "dataset.csv").write_bytes(data.replace(b"1002;14.10.2022 10:02;1;2;4;",
                                                       b"1002;14.10.2022 10:02;1;2;1;"))
    before = _digests(demo_copy)
    capsys.readouterr()
    code = _import(demo_copy, source=changed)
    err = capsys.readouterr().err
    assert code == 1
    assert re.search(r"respondent 1002 of stad in wave 2022 is already in the file", err), err
    assert "--replace" in err
    assert _digests(demo_copy) == before


def _one_pilot_export(tmp_path: Path, name: str, ids: tuple[bytes, ...]) -> Path:
    """The fixture's export with only the rows of the given respondents (a one-pilot export)."""
    folder = tmp_path / name
    shutil.copytree(SX_DIR, folder)
    header, *rows = (SX_DIR / "dataset.csv").read_bytes().split(b"\r\n")
    (folder / "dataset.csv").write_bytes(b"\r\n".join([header, *(r for r in rows if r.split(b";")[0] in ids), b""]))
    return folder


def test_two_one_pilot_exports_without_ids_do_not_collide(demo_copy, tmp_path, capsys):
    mapping = tmp_path / "no-ids.yaml"
    mapping.write_text(SX_MAPPING.read_text(encoding="utf-8").replace("  respondent_id: respondentid\n", ""),
                       encoding="utf-8")
    stad = _one_pilot_export(tmp_path, "stad", (b"1001", b"1002", b"1003"))
    orkland = _one_pilot_export(tmp_path, "orkland", (b"1005",))
    before = len(_rows(demo_copy))
    # Orkland's only row is line 2 of its export, as Stad's first row is of the other.
    assert _import(demo_copy, source=stad, mapping=mapping) == 0
    assert _import(demo_copy, source=orkland, mapping=mapping) == 0, capsys.readouterr().err
    new = _rows(demo_copy)[before:]
    assert [r["pilot"] for r in new] == ["stad", "stad", "stad", "orkland"]
    assert len({r["respondent_id"] for r in _rows(demo_copy)}) == len(_rows(demo_copy))
    assert all(r["respondent_id"].startswith(f"r2022-{r['pilot']}-") for r in new)


def test_write_contract_responses_returns_what_it_added_and_removed(demo_copy):
    merge = write_contract_responses(contract_result(), demo_copy)
    assert merge.added["n"].sum() == 4 and merge.removed.empty
    assert list(merge.added.columns) == ["pilot", "agency", "wave", "n"]
    merge = write_contract_responses(contract_result(), demo_copy, replace=True)
    assert merge.removed["n"].sum() == 94 and merge.added["n"].sum() == 4
