"""Data folders made by mutating the demo data, as hypothesis strategies.

Each strategy draws a :class:`Mutation`: a small, named change an analyst (or a spreadsheet)
could make to one file of a data folder -- a value of another type anywhere in
``programme.yaml``, a key given twice, an odd id, a cut-off with a time of day, a cell with
markup or ``$``, the empty rows Excel writes, a file saved by Norwegian Excel, a folder where a
file should be, a narrative with odd text, headings or front matter. :func:`mutated_folder`
copies the demo data and applies a list of them.

The tree paths and CSV shapes are read from the bundled demo data once, when this module is
imported, so a drawn mutation always names a place that exists.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml
from hypothesis import strategies as st

from conftest import DEMO

CSV_FILES = ("survey/items.csv", "survey/scales.csv", "survey/responses.csv", "survey/population.csv",
             "interviews/interviews.csv", "interviews/segments.csv", "interviews/codebook.csv",
             "indicators/observations.csv", "milestones.csv", "assessments.csv")
NARRATIVES = tuple(sorted(p.relative_to(DEMO).as_posix() for p in (DEMO / "narratives").glob("*.md")))
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PROGRAMME = yaml.safe_load((DEMO / "programme.yaml").read_text(encoding="utf-8"))


def _paths(node, path=()):
    """Every path into a parsed YAML tree (keys and list positions), the root excluded."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield (*path, key)
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for position, value in enumerate(node):
            yield (*path, position)
            yield from _paths(value, (*path, position))


PROGRAMME_PATHS = tuple(_paths(PROGRAMME))
TEXT_PATHS = tuple(p for p in PROGRAMME_PATHS if str(p[-1]).startswith(("label_", "text_", "name")))


def _shape(name: str) -> tuple[list[str], int]:
    with open(DEMO / name, encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    return rows[0], len(rows) - 1


SHAPES = {name: _shape(name) for name in CSV_FILES}

ODD_TEXT = st.sampled_from([
    "", " ", "$5 og $10", "$x$", r"$\frac{$", "$^$", "<b>fet</b>", "<script>alert(1)</script>", "&amp;",
    "{{ x }}", "a\nb", "1,5", "1.5", "NaN", "inf", "-0", "ja", "yes", "2022-02-30", "2022-12-31T12:00",
    "ÆØÅ æøå", "😀", "x" * 300, "synthesis", "index", "Stad", "a b", "null", "~", "'", '"',
])
ODD_YAML = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3000), st.floats(allow_nan=True, allow_infinity=True),
    ODD_TEXT, st.just([]), st.just({}), st.just(["a", "b"]), st.just({"a": 1}), st.just([{"id": "x"}]),
    st.just(dt.date(2022, 6, 30)), st.just(dt.datetime(2022, 12, 31, 12, 0)),
)


@dataclass(frozen=True)
class Mutation:
    """One change to a data folder: ``kind`` names it, ``file`` is the file changed, ``args`` the rest."""

    kind: str
    file: str
    args: tuple = ()

    def __str__(self) -> str:
        return f"{self.kind} {self.file} {self.args!r}"


# --------------------------------------------------------------------------------------------
# Strategies
# --------------------------------------------------------------------------------------------

programme_retyped = st.builds(lambda path, value: Mutation("set_yaml", "programme.yaml", (path, value)),
                              st.sampled_from(PROGRAMME_PATHS), ODD_YAML)
programme_deleted = st.builds(lambda path: Mutation("delete_yaml", "programme.yaml", (path,)),
                              st.sampled_from(PROGRAMME_PATHS))
programme_label = st.builds(lambda path, text: Mutation("set_yaml", "programme.yaml", (path, text)),
                            st.sampled_from(TEXT_PATHS), ODD_TEXT.filter(lambda s: s.strip()))
duplicate_key = st.builds(lambda file, n: Mutation("duplicate_line", file, (n,)),
                          st.sampled_from(("programme.yaml", *NARRATIVES)), st.integers(0, 10_000))
odd_pilot_id = st.builds(lambda pilot, new: Mutation("rename_pilot", "programme.yaml", (pilot, new)),
                         st.sampled_from([p["id"] for p in PROGRAMME["pilots"]]),
                         st.sampled_from(["synthesis", "index", "manifest", "Stad", "a b", "x-1", "æ", "9"]))
cutoff_time = st.builds(lambda n, when: Mutation("cutoff_time", "programme.yaml", (n, when)),
                        st.integers(0, len(PROGRAMME["phases"]) - 1),
                        st.sampled_from(["2022-12-31 12:00:00", "2022-12-31T00:00:00", "2022-12-31 00:00"]))


@st.composite
def cell_edit(draw, files=CSV_FILES):
    name = draw(st.sampled_from(files))
    header, rows = SHAPES[name]
    return Mutation("set_cell", name, (draw(st.integers(2, rows + 1)), draw(st.sampled_from(header)), draw(ODD_TEXT)))


csv_artefact = st.builds(lambda kind, name: Mutation(kind, name), st.sampled_from([
    "excel_rows", "semicolons", "cp1252", "crlf", "header_only", "empty_file", "drop_column", "duplicate_row",
    "empty_row_inside", "unbalanced_quote", "to_folder", "delete", "bom",
]), st.sampled_from(CSV_FILES))
narrative_edit = st.one_of(
    st.builds(lambda name, n, text: Mutation("narrative_text", name, (n, text)),
              st.sampled_from(NARRATIVES), st.integers(0, 10_000), ODD_TEXT),
    st.builds(lambda name, n, text: Mutation("narrative_heading", name, (n, text)),
              st.sampled_from(NARRATIVES), st.integers(0, 10_000),
              st.sampled_from(["## Sammendrag", "## Konklusjon", "# Sammendrag", "## Delmål stad-d9", "##", "## $x$"])),
    st.builds(lambda name, key, value: Mutation("front_matter", name, (key, value)),
              st.sampled_from(NARRATIVES), st.sampled_from(["date", "version", "client", "forfatter"]), ODD_TEXT),
)
narrative_artefact = st.builds(lambda kind, name: Mutation(kind, name), st.sampled_from([
    "empty_file", "to_folder", "unbalanced_quote", "cp1252", "delete"]), st.sampled_from(NARRATIVES))
folder_artefact = st.sampled_from([Mutation("to_folder", "programme.yaml"), Mutation("delete", "programme.yaml"),
                                   Mutation("narratives_file", "narratives"),
                                   Mutation("stray_narrative", "narratives/bodo-midterm.nb.md"),
                                   Mutation("stray_narrative", "narratives/stad-midterm.yaml")])

ANY_MUTATION = st.one_of(programme_retyped, programme_deleted, programme_label, duplicate_key, odd_pilot_id,
                         cutoff_time, cell_edit(), csv_artefact, narrative_edit, narrative_artefact, folder_artefact)
"""Any change of this module."""

# Changes after which the data may well be valid still: a report must then render.
TEXT_CELLS = {"survey/items.csv": ("text_nb", "text_en"), "interviews/codebook.csv": ("label_nb", "label_en"),
              "interviews/segments.csv": ("quote",), "milestones.csv": ("text_nb", "text_en"),
              "assessments.csv": ("rationale_nb", "rationale_en")}


@st.composite
def text_cell(draw):
    name = draw(st.sampled_from(sorted(TEXT_CELLS)))
    return Mutation("set_cell", name, (draw(st.integers(2, SHAPES[name][1] + 1)),
                                       draw(st.sampled_from(TEXT_CELLS[name])),
                                       draw(ODD_TEXT.filter(lambda s: s.strip() and "\n" not in s))))


narrative_text = st.builds(lambda name, n, text: Mutation("narrative_text", name, (n, text)),
                           st.sampled_from(NARRATIVES), st.integers(0, 10_000),
                           ODD_TEXT.filter(lambda s: s.strip() and "<" not in s))
pilot_without = st.builds(lambda pilot, what: Mutation("drop_pilot_rows", what, (pilot,)),
                          st.sampled_from([p["id"] for p in PROGRAMME["pilots"]]),
                          st.sampled_from(["survey", "interviews", "indicators/observations.csv", "milestones.csv",
                                           "assessments.csv"]))
harmless_artefact = st.builds(lambda kind, name: Mutation(kind, name),
                              st.sampled_from(["excel_rows", "crlf", "bom"]), st.sampled_from(CSV_FILES))
LIKELY_VALID = st.one_of(programme_label, text_cell(), narrative_text, pilot_without,
                         harmless_artefact, st.just(Mutation("extra_phase", "programme.yaml")),
                         st.just(Mutation("drop_last_wave", "programme.yaml")))
"""Changes that keep the folder valid in most draws."""


# --------------------------------------------------------------------------------------------
# Applying them
# --------------------------------------------------------------------------------------------


def mutated_folder(target: Path, mutations) -> Path:
    """A copy of the demo data at ``target`` with ``mutations`` applied in order."""
    shutil.copytree(DEMO, target)
    for mutation in mutations:
        path = target / mutation.file
        if mutation.kind not in ("to_folder", "delete", "stray_narrative", "narratives_file", "drop_pilot_rows") \
                and not path.is_file():
            continue  # an earlier change removed the file
        APPLY[mutation.kind](target, path, *mutation.args)
    return target


def _read_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))


def _write_rows(path: Path, rows, **options) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n", **options).writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def _edit_yaml(path: Path, change) -> None:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)  # noqa: S506 - a safe loader
    change(data)
    path.write_text(yaml.dump(data, Dumper=_DUMPER, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _walk_to(data, path):
    for step in path[:-1]:
        data = data[step] if isinstance(data, (dict, list)) and _has(data, step) else None
        if data is None:
            return None
    return data if _has(data, path[-1]) else None


def _has(container, step) -> bool:
    if isinstance(container, dict):
        return step in container
    return isinstance(container, list) and isinstance(step, int) and step < len(container)


def set_yaml(root, path, where, value):
    def change(data):
        parent = _walk_to(data, where)
        if parent is not None:
            parent[where[-1]] = value
    _edit_yaml(path, change)


def delete_yaml(root, path, where):
    def change(data):
        parent = _walk_to(data, where)
        if parent is not None:
            del parent[where[-1]]
    _edit_yaml(path, change)


def duplicate_line(root, path, n):
    lines = path.read_text(encoding="utf-8").splitlines()
    keyed = [i for i, line in enumerate(lines) if re.match(r"^\s*[a-z_]+: \S", line)]
    if keyed:
        at = keyed[n % len(keyed)]
        lines.insert(at + 1, lines[at])
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def rename_pilot(root, path, pilot, new):
    for file in [root / "programme.yaml", *(root / name for name in CSV_FILES), *(root / "narratives").glob("*.md")]:
        if file.is_file():
            text = file.read_text(encoding="utf-8")
            file.write_text(re.sub(rf"\b{pilot}\b", new, text), encoding="utf-8")
    for narrative in (root / "narratives").glob(f"{pilot}-*"):
        narrative.rename(narrative.with_name(narrative.name.replace(pilot, new, 1)))


def cutoff_time(root, path, n, when):
    lines = path.read_text(encoding="utf-8").splitlines()
    cutoffs = [i for i, line in enumerate(lines) if line.strip().startswith("cutoff:")]
    at = cutoffs[n % len(cutoffs)]
    date = lines[at].split(":", 1)[1].strip()
    lines[at] = lines[at].replace(date, when.replace("2022-12-31", date))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def set_cell(root, path, row, column, value):
    rows = _read_rows(path)
    if column in rows[0] and row - 1 < len(rows):
        rows[row - 1][rows[0].index(column)] = value
        _write_rows(path, rows)


def _body_lines(path: Path) -> tuple[list[str], int]:
    """A narrative's lines, and the first line after its front matter."""
    lines = path.read_text(encoding="utf-8").split("\n")
    if lines and lines[0] == "---":
        return lines, next((i for i in range(1, len(lines)) if lines[i] == "---"), 0) + 1
    return lines, 0


def narrative_text(root, path, n, text):
    """A paragraph (or a list item) added after one of the narrative's lines of text."""
    lines, start = _body_lines(path)
    texts = [i for i in range(start, len(lines)) if lines[i].strip() and not lines[i].startswith("#")]
    if texts:
        at = texts[n % len(texts)]
        addition = [f"- {text}"] if lines[at].startswith("- ") else ["", text, ""]
        lines[at + 1:at + 1] = addition
        path.write_text("\n".join(lines), encoding="utf-8")


def narrative_heading(root, path, n, heading):
    lines, start = _body_lines(path)
    headings = [i for i in range(start, len(lines)) if lines[i].startswith("## ")]
    if headings:
        lines[headings[n % len(headings)]] = heading
        path.write_text("\n".join(lines), encoding="utf-8")


def front_matter(root, path, key, value):
    lines, start = _body_lines(path)
    if start:
        lines.insert(1, f"{key}: {value}")
        path.write_text("\n".join(lines), encoding="utf-8")


def excel_rows(root, path):
    rows = _read_rows(path)
    _write_rows(path, rows + [[""] * len(rows[0])] * 3)


def semicolons(root, path):
    rows = [[re.sub(r"^(-?\d+)\.(\d+)$", r"\1,\2", cell) for cell in row] for row in _read_rows(path)]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(rows)
    path.write_bytes(buffer.getvalue().encode("cp1252", errors="replace"))


def cp1252(root, path):
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252", errors="replace"))


def crlf(root, path):
    path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-8"))


def bom(root, path):
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())


def header_only(root, path):
    path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")


def empty_file(root, path):
    path.write_bytes(b"")


def drop_column(root, path):
    rows = _read_rows(path)
    _write_rows(path, [row[:-1] for row in rows])


def duplicate_row(root, path):
    rows = _read_rows(path)
    _write_rows(path, rows + rows[-1:])


def empty_row_inside(root, path):
    rows = _read_rows(path)
    _write_rows(path, rows[:2] + [[""] * len(rows[0])] + rows[2:])


def unbalanced_quote(root, path):
    text = path.read_text(encoding="utf-8").splitlines()
    text[min(1, len(text) - 1)] += ' "x'
    path.write_text("\n".join(text) + "\n", encoding="utf-8")


def to_folder(root, path):
    if path.is_file():
        path.unlink()
    path.mkdir(parents=True, exist_ok=True)


def delete(root, path):
    if path.is_file():
        path.unlink()


def narratives_file(root, path):
    shutil.rmtree(path, ignore_errors=True)
    path.write_text("not a folder\n", encoding="utf-8")


def stray_narrative(root, path):
    if path.parent.is_dir():
        path.write_text("## Sammendrag\nKort.\n", encoding="utf-8")


def drop_pilot_rows(root, path, pilot):
    names = ["survey/responses.csv", "survey/population.csv"] if path.name == "survey" else (
        ["interviews/interviews.csv"] if path.name == "interviews" else [path.relative_to(root).as_posix()])
    for name in names:
        file = root / name
        if not file.is_file():
            continue
        rows = _read_rows(file)
        if "pilot" in rows[0]:
            column = rows[0].index("pilot")
            _write_rows(file, [rows[0]] + [row for row in rows[1:] if len(row) <= column or row[column] != pilot])
    if path.name == "interviews":  # the segments of the interviews removed go with them
        kept = {row[0] for row in _read_rows(root / "interviews/interviews.csv")[1:]}
        rows = _read_rows(root / "interviews/segments.csv")
        _write_rows(root / "interviews/segments.csv", [rows[0]] + [row for row in rows[1:] if row[1] in kept])


def extra_phase(root, path):
    def change(data):
        if isinstance(data.get("phases"), list):
            data["phases"].append({"id": "followup", "cutoff": dt.date(2026, 6, 30),
                                   "name_nb": "Oppfølging $2026$", "name_en": "Follow-up <2026>"})
    _edit_yaml(path, change)


def drop_last_wave(root, path):
    """The last survey wave, with its responses and population rows, is left out."""
    last = str(PROGRAMME["waves"][-1]["id"])
    delete_yaml(root, path, ("waves", len(PROGRAMME["waves"]) - 1))
    for name in ("survey/responses.csv", "survey/population.csv"):
        rows = _read_rows(root / name)
        column = rows[0].index("wave")
        _write_rows(root / name, [rows[0]] + [row for row in rows[1:] if row[column] != last])


APPLY = {name: function for name, function in globals().items()
         if callable(function) and not name.startswith("_") and name in {
             "set_yaml", "delete_yaml", "duplicate_line", "rename_pilot", "cutoff_time", "set_cell", "narrative_text",
             "narrative_heading", "front_matter",
             "excel_rows", "semicolons", "cp1252", "crlf", "bom", "header_only", "empty_file", "drop_column",
             "duplicate_row", "empty_row_inside", "unbalanced_quote", "to_folder", "delete", "narratives_file",
             "stray_narrative", "drop_pilot_rows", "extra_phase", "drop_last_wave"}}
"""Mutation kind to the function that applies it: ``function(root, path, *args)``."""
