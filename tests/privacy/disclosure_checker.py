"""An independent disclosure checker: reads rendered reports as a reader would, never the package.

The checker knows only what a reader of the HTML reports knows, plus the true counts, which it
computes itself from the data files with pandas (``survey/population.csv``,
``survey/responses.csv``, ``survey/items.csv``, ``survey/scales.csv``,
``interviews/interviews.csv`` and ``programme.yaml``). It never calls a function of the
``evaluation`` package: the only things it takes from the package folder are the reader-facing
texts in ``evaluation/translations/*.yaml``, to recognise captions and column names in bokmål
and English.

How it works
------------
Every people count a reader sees is turned into a *cell*: the set of *atoms* it adds up
(an atom is the finest count, one of

* ``("resp", pilot, wave, agency)``: respondents of an agency office in a survey wave;
* ``("idx", pilot, wave, index, agency)``: respondents of an office with a score on an index;
* ``("int", pilot, group, round)``: interviews of a stakeholder group in one round, a round
  being the interviews after the previous phase's cut-off up to the phase's own),

and the number shown, or nothing when the cell is hidden ("–", "færre enn 5 svar") or its row
is left out of a table that lists the others. A pilot total is the cell of all its atoms; a
pooled group ("Øvrige grupper") the cell of the groups not shown on their own; a cumulative
interview table of the final report the cell of both rounds.

The shown cells of one pilot, from every report (both phases, both languages, the synthesis),
form a system of linear equations over the atoms. A hidden quantity ``v`` (a sum of atoms) is
*recoverable* when ``v`` lies in the row space of that system: then a reader can compute it by
adding and subtracting shown numbers, and its value is the same for every solution.

Findings
--------
* ``direct``: a shown people count between 1 and threshold − 1.
* ``rate``: a hidden count whose response rate is shown and pins the count down exactly.
* ``recovered``: a hidden single cell whose value follows exactly from shown numbers (and is
  not simply shown as it is in another table, which the ``direct`` rule judges); a hidden
  group of cells whose sum follows and lies between 1 and threshold − 1; or an atom with a true
  count between 1 and threshold − 1 that is shown nowhere yet follows from shown numbers
  (final minus midterm of a cumulative table, total minus shown agencies, ...).

Every shown cell is also compared with the sum of its atoms' true counts. A mismatch means the
checker has misread a table (or the report is wrong); it is reported as a *problem*, as is a
recognised table the checker cannot interpret, so that a change of layout cannot silently make
the checker blind.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[2]
TRANSLATIONS = REPO / "evaluation" / "translations"

Atom = tuple
HIDDEN = "hidden"


# ---------------------------------------------------------------------------------------------
# The truth, computed independently from the data files.


@dataclass(frozen=True)
class Truth:
    """True counts and the programme's vocabulary, read from a data folder."""

    threshold: int
    phases: tuple[tuple[str, pd.Timestamp], ...]  # (id, cut-off), in order of cut-off
    waves: tuple[str, ...]
    pilots: dict[str, str]  # id -> display name
    agencies: dict[str, tuple[str, ...]]  # pilot -> agency ids (programme and data)
    agency_names: dict[str, str]  # name in any language -> id
    index_names: dict[str, str]  # label in any language -> index id
    phase_names: dict[str, str]  # name in any language -> phase id
    counts: dict[Atom, int]  # every atom with its true count (zeros included)

    def value(self, atoms: Iterable[Atom]) -> int:
        return int(sum(self.counts.get(atom, 0) for atom in atoms))

    def rounds_up_to(self, phase: str) -> list[str]:
        ids = [p for p, _ in self.phases]
        return ids[: ids.index(phase) + 1]


def _round_of(date: pd.Timestamp, phases) -> str | None:
    for phase, cutoff in phases:
        if date <= cutoff:
            return phase
    return None


def load_truth(data_dir: Path, translations: dict[str, dict[str, str]]) -> Truth:
    """Read the true counts from ``data_dir`` with pandas (no package function is used)."""
    data_dir = Path(data_dir)
    programme = yaml.safe_load((data_dir / "programme.yaml").read_text(encoding="utf-8"))
    threshold = int(programme.get("anonymity_threshold", 5))
    phases = tuple(sorted(((str(p["id"]), pd.Timestamp(p["cutoff"])) for p in programme["phases"]),
                          key=lambda pair: pair[1]))
    waves = tuple(str(w["id"]) for w in programme["waves"])
    pilots = {p["id"]: p.get("name", p["id"]) for p in programme["pilots"]}

    population = pd.read_csv(data_dir / "survey" / "population.csv", dtype=str)
    responses = pd.read_csv(data_dir / "survey" / "responses.csv", dtype={"wave": str, "pilot": str,
                                                                          "agency": str})
    items = pd.read_csv(data_dir / "survey" / "items.csv", dtype=str)
    scales = pd.read_csv(data_dir / "survey" / "scales.csv", dtype=str)
    interviews = pd.read_csv(data_dir / "interviews" / "interviews.csv", dtype=str)

    agencies: dict[str, set[str]] = {p["id"]: set(p.get("agencies", [])) for p in programme["pilots"]}
    for frame in (population, responses):
        for pilot, agency in frame[["pilot", "agency"]].drop_duplicates().itertuples(index=False):
            agencies.setdefault(pilot, set()).add(agency)

    agency_names = {}
    for agency in programme.get("agencies", []):
        for key in ("name_nb", "name_en", "id"):
            if agency.get(key):
                agency_names[agency[key]] = agency["id"]
    index_names = {}
    for index in programme.get("survey_indices", []):
        for key in ("label_nb", "label_en"):
            index_names[index[key]] = index["id"]
    phase_names = {}
    for phase in programme["phases"]:
        for lang in ("nb", "en"):
            name = phase.get(f"name_{lang}") or translations.get(f"phase.{phase['id']}", {}).get(lang)
            if name:
                phase_names[name] = str(phase["id"])

    counts: dict[Atom, int] = {}
    for pilot, pilot_agencies in agencies.items():
        for wave in waves:
            for agency in pilot_agencies:
                counts[("resp", pilot, wave, agency)] = 0
                for index in index_names.values():
                    counts[("idx", pilot, wave, index, agency)] = 0
    for (pilot, wave, agency), n in responses.groupby(["pilot", "wave", "agency"]).size().items():
        counts[("resp", pilot, wave, agency)] = int(n)
    # An index score needs at least half of the index's items answered, "don't know" not counted.
    dont_know = {(row.scale, str(int(float(row.code)))) for row in scales.itertuples()
                 if str(row.dont_know).strip().lower() in ("yes", "true", "1")}
    for index, index_items in items.groupby("index"):
        answered = pd.DataFrame({
            item.item_id: responses[item.item_id].map(
                lambda code, scale=item.scale: pd.notna(code) and (scale, str(int(float(code)))) not in dont_know)
            for item in index_items.itertuples() if item.item_id in responses
        })
        valid = 2 * answered.sum(axis=1) >= len(index_items)
        for (pilot, wave, agency), n in responses[valid].groupby(["pilot", "wave", "agency"]).size().items():
            counts[("idx", pilot, wave, index, agency)] = int(n)

    groups = {key.split(".", 1)[1] for key in translations if key.startswith("stakeholder.")}
    groups |= set(interviews["stakeholder_group"])
    for pilot in pilots:
        for group in groups:
            for phase, _ in phases:
                counts[("int", pilot, group, phase)] = 0
    interviews["round"] = [_round_of(pd.Timestamp(d), phases) for d in interviews["date"]]
    for (pilot, group, round_), n in interviews.dropna(subset=["round"]).groupby(
            ["pilot", "stakeholder_group", "round"]).size().items():
        counts[("int", pilot, group, round_)] = int(n)

    return Truth(threshold=threshold, phases=phases, waves=waves, pilots=pilots,
                 agencies={p: tuple(sorted(a)) for p, a in agencies.items()},
                 agency_names=agency_names, index_names=index_names, phase_names=phase_names,
                 counts=counts)


# ---------------------------------------------------------------------------------------------
# Reading numbers and texts the way the reports print them.


def load_translations(folder: Path = TRANSLATIONS) -> dict[str, dict[str, str]]:
    table: dict[str, dict[str, str]] = {}
    for path in sorted(Path(folder).glob("*.yaml")):
        table.update(yaml.safe_load(path.read_text(encoding="utf-8")) or {})
    return table


_SPACES = re.compile(r"(?<=\d)[\s\u00a0\u202f\u2009](?=\d{3}\b)")
_HIDDEN_TEXT = re.compile(r"^(–|-|—|færre enn .*|fewer than .*)$", re.IGNORECASE)


def clean(text: str) -> str:
    return re.sub(r"[\s\u00a0\u202f\u2009]+", " ", text).strip()


def parse_count(text: str):
    """A whole number printed the Norwegian way, ``HIDDEN`` for a suppression mark, else None."""
    text = clean(text)
    if _HIDDEN_TEXT.match(text):
        return HIDDEN
    compact = _SPACES.sub("", text)
    if re.fullmatch(r"\d+", compact):
        return int(compact)
    return None


def parse_percent(text: str) -> float | None:
    match = re.fullmatch(r"(\d+(?:,\d+)?)\s*%", clean(text))
    return float(match.group(1).replace(",", ".")) if match else None


def _template_regex(template: str) -> re.Pattern:
    parts = re.split(r"(\{\w+\})", template)
    pattern = "".join(f"(?P<{p[1:-1]}>.+?)" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts)
    return re.compile(f"^{pattern}$")


# ---------------------------------------------------------------------------------------------
# Cells and findings.


@dataclass(frozen=True)
class Cell:
    """One people count as a reader sees it (or sees hidden)."""

    report: str
    caption: str
    label: str
    pilot: str
    atoms: frozenset
    value: int | None  # None: hidden
    explicit: bool = True  # hidden with a mark (False: its row is left out)
    invited: int | None = None
    rate: float | None = None

    @property
    def place(self) -> str:
        return f"{self.report}, «{self.caption}»"


@dataclass(frozen=True)
class Finding:
    kind: str  # direct, rate, recovered
    report: str
    caption: str
    group: str
    value: int
    true_value: int
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        if self.kind == "direct":
            return f"{self.report}: «{self.caption}»: {self.group} shows {self.value} (true {self.true_value})"
        if self.kind == "rate":
            return (f"{self.report}: «{self.caption}»: {self.group} hidden, but its response rate gives "
                    f"{self.value} (true {self.true_value})")
        used = "; ".join(self.sources[:4]) + (" …" if len(self.sources) > 4 else "")
        return (f"{self.report}: «{self.caption}»: {self.group} recovered as {self.value} "
                f"(true {self.true_value}) from {used}")


@dataclass
class CheckResult:
    findings: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    tables: dict[str, int] = field(default_factory=dict)  # table kind -> how many were read

    def by_kind(self, kind: str) -> list[Finding]:
        return [f for f in self.findings if f.kind == kind]


# ---------------------------------------------------------------------------------------------
# Reading the tables of one report.


@dataclass
class Report:
    name: str  # e.g. final/stad.en
    phase: str
    pilot: str | None  # None for the synthesis
    lang: str
    soup: BeautifulSoup
    interview_rounds: list[str] | None = None  # what its interview chapter covers, once known


def read_reports(out_dir: Path, truth: Truth) -> list[Report]:
    reports = []
    phase_ids = [p for p, _ in truth.phases]
    for path in sorted(Path(out_dir).glob("*/*.html")):
        phase = path.parent.name
        if phase not in phase_ids:
            continue
        stem, _, lang = path.stem.partition(".")
        reports.append(Report(name=f"{phase}/{path.stem}", phase=phase,
                              pilot=None if stem == "synthesis" else stem, lang=lang or "nb",
                              soup=BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")))
    return reports


def table_rows(table) -> tuple[list[str], list[list[str]]]:
    """Header texts and body rows (cell texts) of a simple HTML table."""
    rows = [[clean(c.get_text(" ")) for c in tr.find_all(["th", "td"])] for tr in table.find_all("tr")]
    rows = [r for r in rows if r]
    if not rows:
        return [], []
    return rows[0], rows[1:]


class Reader:
    """Turns the people-count tables of the reports into cells."""

    CAPTIONS = {
        "survey.response.caption": "response_by_agency",
        "method.response_rates_caption": "response_by_wave",
        "survey.trends.data_caption": "index_n",
        "survey.trends.table_caption": "index_pairs",
        "survey.change.caption": "index_pairs",
        "survey.trends.agency_caption": "index_pairs",
        "synthesis.index_table_caption": "index_n",
        "summary.key_figures_caption": "key_figures",
        "synthesis.pilots_caption": "synthesis_pilots",
        "method.interviews_caption": "interviews_by_round",
        "interviews.groups.caption": "interview_groups",
        "interviews.heatmap.table_caption": "interview_heatmap",
    }

    def __init__(self, truth: Truth, translations: dict[str, dict[str, str]]):
        self.truth = truth
        self.tr = translations
        self.captions = [(re.compile(_template_regex(text).pattern), kind)
                         for key, kind in self.CAPTIONS.items() for text in translations[key].values()]
        self.group_names = {text: key.split(".", 1)[1] for key, value in translations.items()
                            if key.startswith("stakeholder.") for text in value.values()}
        self.groups = sorted(set(self.group_names.values()) | {a[2] for a in truth.counts if a[0] == "int"})
        self.cells: list[Cell] = []
        self.problems: list[str] = []
        self.tables: dict[str, int] = {}

    # -- vocabulary ------------------------------------------------------------------------

    def words(self, *keys: str) -> set[str]:
        return {text for key in keys for text in self.tr[key].values()}

    def column(self, headers: list[str], *keys: str, literal: Iterable[str] = ()) -> int | None:
        names = self.words(*keys) | set(literal)
        patterns = [_template_regex(name) for name in names]
        for position, header in enumerate(headers):
            if header in names or any(p.match(header) for p in patterns):
                return position
        return None

    def wave_of(self, text: str) -> str | None:
        years = [y for y in re.findall(r"\d{4}", text) if y in self.truth.waves]
        return years[0] if len(years) == 1 else None

    def pilot_of(self, text: str) -> str | None:
        return next((p for p, name in self.truth.pilots.items() if text in (name, p)), None)

    # -- cells -----------------------------------------------------------------------------

    def add(self, report: Report, caption: str, label: str, pilot: str, atoms, raw, **extra) -> None:
        value = parse_count(raw) if isinstance(raw, str) else raw
        if value is None:
            self.problems.append(f"{report.name}: «{caption}»: cannot read {label!r} = {raw!r}")
            return
        self.cells.append(Cell(report.name, caption, label, pilot, frozenset(atoms),
                               None if value == HIDDEN else int(value), **extra))

    def hide(self, report: Report, caption: str, label: str, pilot: str, atoms, *, explicit: bool) -> None:
        self.cells.append(Cell(report.name, caption, label, pilot, frozenset(atoms), None, explicit=explicit))

    def survey_atoms(self, measure: str, pilot: str, wave: str, agency: str | None, index: str | None):
        agencies = self.truth.agencies.get(pilot, ()) if agency is None else (agency,)
        if measure == "resp":
            return [("resp", pilot, wave, a) for a in agencies]
        return [("idx", pilot, wave, index, a) for a in agencies]

    def interview_atoms(self, pilot: str, groups: Iterable[str], rounds: Iterable[str]):
        return [("int", pilot, g, r) for g in groups for r in rounds]

    # -- tables ----------------------------------------------------------------------------

    def read(self, report: Report) -> None:
        for table in report.soup.find_all("table"):
            caption_tag = table.find("caption")
            caption = clean(caption_tag.get_text(" ")) if caption_tag else ""
            kind = next((k for pattern, k in self.captions if pattern.match(caption)), None)
            if kind is None:
                continue
            if table.find(attrs={"rowspan": True}) or table.find(attrs={"colspan": True}):
                self.problems.append(f"{report.name}: «{caption}»: merged cells, not read")
                continue
            self.tables[kind] = self.tables.get(kind, 0) + 1
            headers, rows = table_rows(table)
            getattr(self, kind)(report, caption, headers, rows, table)

    def _pilot_or_problem(self, report, caption) -> str | None:
        if report.pilot is None:
            self.problems.append(f"{report.name}: «{caption}»: a pilot table in the synthesis, not read")
        return report.pilot

    def response_by_agency(self, report, caption, headers, rows, table) -> None:
        self._survey_table(report, caption, headers, rows, measure="resp",
                           count_keys=("survey.col.responded",))

    def response_by_wave(self, report, caption, headers, rows, table) -> None:
        self._survey_table(report, caption, headers, rows, measure="resp", count_keys=("method.responded",))

    def index_n(self, report, caption, headers, rows, table) -> None:
        self._survey_table(report, caption, headers, rows, measure="idx", count_keys=("survey.col.n",),
                           literal=("n",))

    def index_pairs(self, report, caption, headers, rows, table) -> None:
        self._survey_table(report, caption, headers, rows, measure="idx", count_keys=("survey.col.n_pair",))

    def _survey_table(self, report, caption, headers, rows, *, measure, count_keys, literal=()) -> None:
        count_col = self.column(headers, *count_keys, literal=literal)
        wave_col = self.column(headers, "survey.col.wave", "method.wave", "survey.col.comparison")
        agency_col = self.column(headers, "survey.col.agency")
        index_col = self.column(headers, "survey.col.index")
        pilot_col = self.column(headers, "synthesis.pilot")
        invited_col = self.column(headers, "survey.col.invited", "method.invited")
        rate_col = self.column(headers, "survey.col.rate", "method.rate")
        if count_col is None or wave_col is None or (measure == "idx" and index_col is None):
            self.problems.append(f"{report.name}: «{caption}»: columns not recognised: {headers}")
            return
        total_words = self.words("survey.total")
        all_indices = self.words("survey.all_indices")
        seen: dict[tuple, set[str]] = {}  # (pilot, wave, index) -> agencies listed
        hidden: dict[tuple, set[str]] = {}
        for row in rows:
            if len(row) != len(headers):
                self.problems.append(f"{report.name}: «{caption}»: row of another width {row}")
                continue
            pilot = self.pilot_of(row[pilot_col]) if pilot_col is not None else report.pilot
            waves = [self.wave_of(part) for part in re.split(r"→|->", row[wave_col])]
            values = [v.strip() for v in row[count_col].split("/")]
            if _HIDDEN_TEXT.match(row[count_col]):
                values = [row[count_col]] * len(waves)
            if pilot is None or None in waves or len(values) != len(waves):
                self.problems.append(f"{report.name}: «{caption}»: row not understood {row}")
                continue
            agency = None
            if agency_col is not None and row[agency_col] not in total_words:
                agency = self.truth.agency_names.get(row[agency_col])
                if agency is None:
                    self.problems.append(f"{report.name}: «{caption}»: unknown agency {row[agency_col]!r}")
                    continue
            indices = [None]
            if measure == "idx":
                if row[index_col] in all_indices:
                    indices = list(self.truth.index_names.values())
                elif row[index_col] in self.truth.index_names:
                    indices = [self.truth.index_names[row[index_col]]]
                else:
                    self.problems.append(f"{report.name}: «{caption}»: unknown index {row[index_col]!r}")
                    continue
            for wave, raw in zip(waves, values):
                for index in dict.fromkeys(indices):
                    label = " / ".join(x for x in (self.truth.pilots.get(pilot, pilot), wave,
                                                   index, agency or "all agencies") if x)
                    atoms = self.survey_atoms(measure, pilot, wave, agency, index)
                    extra = {}
                    if invited_col is not None and rate_col is not None:
                        invited = parse_count(row[invited_col])
                        extra = {"invited": invited if isinstance(invited, int) else None,
                                 "rate": parse_percent(row[rate_col])}
                    self.add(report, caption, label, pilot, atoms, raw, **extra)
                    if agency is not None:
                        seen.setdefault((pilot, wave, index), set()).add(agency)
                        if parse_count(raw) == HIDDEN:
                            hidden.setdefault((pilot, wave, index), set()).add(agency)
        if agency_col is None:
            return
        # Hidden groups: the agencies hidden or left out of a pilot, wave (and index).
        for (pilot, wave, index), listed in seen.items():
            absent = set(self.truth.agencies.get(pilot, ())) - listed
            group = hidden.get((pilot, wave, index), set()) | absent
            for agency in absent:
                self.hide(report, caption, f"{pilot} / {wave} / {index or ''} / {agency} (left out)", pilot,
                          self.survey_atoms(measure, pilot, wave, agency, index), explicit=False)
            if len(group) >= 2:
                label = " / ".join(x for x in (pilot, wave, index) if x) + " / hidden " + "+".join(sorted(group))
                atoms = [a for ag in group for a in self.survey_atoms(measure, pilot, wave, ag, index)]
                self.hide(report, caption, label, pilot, atoms, explicit=not absent)

    def key_figures(self, report, caption, headers, rows, table) -> None:
        pilot = self._pilot_or_problem(report, caption)
        if pilot is None:
            return
        respondents = [_template_regex(t) for t in self.words("summary.respondents")]
        interviews = self.words("summary.interviews")
        for row in rows:
            if len(row) < 2:
                continue
            if any(p.match(row[0]) for p in respondents):
                wave = self.wave_of(row[0])
                self.add(report, caption, row[0], pilot, self.survey_atoms("resp", pilot, wave, None, None), row[1])
            elif row[0] in interviews:
                atoms = self.interview_atoms(pilot, self.groups, [report.phase])
                self.add(report, caption, row[0], pilot, atoms, row[1])

    def synthesis_pilots(self, report, caption, headers, rows, table) -> None:
        pilot_col = self.column(headers, "synthesis.pilot")
        respondents = [_template_regex(t) for t in self.words("synthesis.respondents")]
        interview_col = self.column(headers, "synthesis.interviews")
        for row in rows:
            pilot = self.pilot_of(row[pilot_col]) if pilot_col is not None else None
            if pilot is None:
                self.problems.append(f"{report.name}: «{caption}»: pilot not understood {row}")
                continue
            for position, header in enumerate(headers):
                if any(p.match(header) for p in respondents):
                    wave = self.wave_of(header)
                    self.add(report, caption, f"{row[pilot_col]}: {header}", pilot,
                             self.survey_atoms("resp", pilot, wave, None, None), row[position])
            if interview_col is not None:
                self.add(report, caption, f"{row[pilot_col]}: {headers[interview_col]}", pilot,
                         self.interview_atoms(pilot, self.groups, [report.phase]), row[interview_col])

    def _groups_of(self, label: str, others: set[str]) -> list[str] | None:
        """Stakeholder group ids a row label stands for (a pooled label: ``others``)."""
        if label in self.group_names:
            return [self.group_names[label]]
        pooled = self.words("interviews.stakeholder.other")
        for word in pooled:
            if label.startswith(word):
                named = [g for name, g in self.group_names.items() if name in label[len(word):]]
                return named or sorted(others)
        return None

    def interviews_by_round(self, report, caption, headers, rows, table) -> None:
        pilot = self._pilot_or_problem(report, caption)
        if pilot is None:
            return
        group_col = self.column(headers, "method.stakeholder_group", "interviews.col.group")
        round_col = self.column(headers, "method.round")
        count_col = self.column(headers, "method.interviews", "interviews.col.interviews")
        if None in (group_col, round_col, count_col):
            self.problems.append(f"{report.name}: «{caption}»: columns not recognised: {headers}")
            return
        by_round: dict[str, list[list[str]]] = {}
        for row in rows:
            round_ = self.truth.phase_names.get(row[round_col]) or (
                row[round_col] if row[round_col] in dict(self.truth.phases) else None)
            if round_ is None:
                self.problems.append(f"{report.name}: «{caption}»: round not understood {row}")
                continue
            by_round.setdefault(round_, []).append(row)
        for round_, round_rows in by_round.items():
            self._group_rows(report, caption, pilot, round_rows, group_col, count_col, [round_])
        for pattern in (_template_regex(t) for t in self.words("method.interviews_caption")):
            match = pattern.match(caption)
            if match:
                atoms = self.interview_atoms(pilot, self.groups, self.truth.rounds_up_to(report.phase))
                self.add(report, caption, "total (caption)", pilot, atoms, match.group("total"))

    def _coverage(self, report, pilot, shown_total: int | None) -> list[str]:
        """Rounds an interview table of ``report`` covers: its own round, or all up to its cut-off."""
        cumulative = self.truth.rounds_up_to(report.phase)
        if shown_total is None:
            return cumulative
        fits = [rounds for rounds in (cumulative, [report.phase])
                if self.truth.value(self.interview_atoms(pilot, self.groups, rounds)) == shown_total]
        return fits[0] if fits else cumulative

    def interview_groups(self, report, caption, headers, rows, table) -> None:
        pilot = self._pilot_or_problem(report, caption)
        if pilot is None:
            return
        group_col = self.column(headers, "interviews.col.group", "method.stakeholder_group")
        count_col = self.column(headers, "interviews.col.interviews", "method.interviews")
        if None in (group_col, count_col):
            self.problems.append(f"{report.name}: «{caption}»: columns not recognised: {headers}")
            return
        totals = self.words("interviews.total", "interviews.col.total")
        total_row = next((r for r in rows if r[group_col] in totals), None)
        shown_total = parse_count(total_row[count_col]) if total_row else None
        rounds = self._coverage(report, pilot, shown_total if isinstance(shown_total, int) else None)
        report.interview_rounds = report.interview_rounds or rounds
        self._group_rows(report, caption, pilot, rows, group_col, count_col, rounds)

    def interview_heatmap(self, report, caption, headers, rows, table) -> None:
        pilot = self._pilot_or_problem(report, caption)
        if pilot is None:
            return
        fake_rows = []
        for header in headers[1:]:
            match = re.fullmatch(r"(.+?) \(n = (.+)\)", header)
            if match is None:
                self.problems.append(f"{report.name}: «{caption}»: column not understood {header!r}")
                continue
            fake_rows.append([match.group(1), match.group(2)])
        rounds = report.interview_rounds or self._coverage(report, pilot, None)
        self._group_rows(report, caption, pilot, fake_rows, 0, 1, rounds)

    def _group_rows(self, report, caption, pilot, rows, group_col, count_col, rounds) -> None:
        totals = self.words("interviews.total", "interviews.col.total")
        named = {self.group_names[r[group_col]] for r in rows if r[group_col] in self.group_names}
        others = set(self.groups) - named
        covered: set[str] = set()
        hidden: set[str] = set()
        for row in rows:
            label = row[group_col]
            if label in totals:
                groups = list(self.groups)
            else:
                groups = self._groups_of(label, others)
            if groups is None:
                self.problems.append(f"{report.name}: «{caption}»: group not understood {label!r}")
                continue
            round_names = "+".join(rounds)
            self.add(report, caption, f"{pilot} / {label} ({'+'.join(groups)}) / {round_names}", pilot,
                     self.interview_atoms(pilot, groups, rounds), row[count_col])
            if label not in totals:
                covered |= set(groups)
                if parse_count(row[count_col]) == HIDDEN:
                    hidden |= set(groups)
        absent = set(self.groups) - covered
        for group in absent:
            self.hide(report, caption, f"{pilot} / {group} / {'+'.join(rounds)} (left out)", pilot,
                      self.interview_atoms(pilot, [group], rounds), explicit=False)
        group = hidden | absent
        if len(group) >= 2:
            self.hide(report, caption, f"{pilot} / hidden {'+'.join(sorted(group))} / {'+'.join(rounds)}", pilot,
                      self.interview_atoms(pilot, group, rounds), explicit=not absent)


# ---------------------------------------------------------------------------------------------
# The audit.


def _atom_label(atom: Atom) -> str:
    kind, pilot, *rest = atom
    what = {"resp": "respondents", "idx": "index respondents", "int": "interviews"}[kind]
    return f"{what} {pilot} / " + " / ".join(rest)


class _System:
    """The linear equations of one pilot's shown cells."""

    def __init__(self, cells: list[Cell]):
        self.cells = cells
        atoms = sorted({a for c in cells for a in c.atoms})
        self.column = {a: i for i, a in enumerate(atoms)}
        self.matrix = np.zeros((len(cells), len(atoms)))
        for row, cell in enumerate(cells):
            for atom in cell.atoms:
                self.matrix[row, self.column[atom]] = 1.0
        self.values = np.array([c.value for c in cells], dtype=float)
        if cells:
            _, singular, vt = np.linalg.svd(self.matrix)
            rank = int((singular > 1e-9 * max(1.0, singular.max(initial=0))).sum())
            self.null = vt[rank:]
            self.solution = np.linalg.lstsq(self.matrix, self.values, rcond=None)[0]
        else:
            self.null = np.zeros((0, 0))

    def recover(self, atoms: Iterable[Atom]) -> tuple[float, tuple[str, ...]] | None:
        """The value of the sum of ``atoms`` if the shown cells determine it, with the cells used."""
        if not self.cells:
            return None
        vector = np.zeros(len(self.column))
        for atom in atoms:
            if atom not in self.column:
                return None
            vector[self.column[atom]] = 1.0
        if self.null.size and np.abs(self.null @ vector).max() > 1e-7:
            return None
        weights = np.linalg.lstsq(self.matrix.T, vector, rcond=None)[0]
        used = dict.fromkeys(self.cells[i].place for i in np.flatnonzero(np.abs(weights) > 1e-7))
        return float(vector @ self.solution), tuple(used)


def audit(cells: list[Cell], truth: Truth) -> tuple[list[Finding], list[str]]:
    """Findings and problems for the cells read from a set of reports."""
    threshold = truth.threshold
    findings: list[Finding] = []
    problems: list[str] = []
    shown = [c for c in cells if c.value is not None]
    for cell in shown:
        expected = truth.value(cell.atoms)
        if cell.value != expected:
            problems.append(f"{cell.place}: {cell.label} shows {cell.value}, but the data hold {expected}")
        elif 1 <= cell.value < threshold:
            findings.append(Finding("direct", cell.report, cell.caption, cell.label, cell.value, expected))
    for cell in cells:
        if cell.value is None and cell.rate is not None and cell.invited:
            fits = [n for n in range(cell.invited + 1) if round(100 * n / cell.invited) == round(cell.rate)]
            if len(fits) == 1:
                findings.append(Finding("rate", cell.report, cell.caption, cell.label, fits[0],
                                        truth.value(cell.atoms)))
    if problems:
        return findings, problems  # the equations would be wrong

    directly_shown = {next(iter(c.atoms)) for c in shown if len(c.atoms) == 1}
    reported: set[frozenset] = set()
    for pilot in sorted({c.pilot for c in cells}):
        system = _System([c for c in shown if c.pilot == pilot])
        for cell in (c for c in cells if c.pilot == pilot and c.value is None):
            single = len(cell.atoms) == 1
            if cell.atoms in reported or (single and (not cell.explicit or next(iter(cell.atoms)) in directly_shown)):
                continue  # a single cell shown as it is elsewhere is not worked out, it is read
            got = system.recover(cell.atoms)
            if got is None:
                continue
            value = int(round(got[0]))
            if len(cell.atoms) == 1 or 1 <= value < threshold:
                reported.add(cell.atoms)
                findings.append(Finding("recovered", cell.report, cell.caption, cell.label, value,
                                        truth.value(cell.atoms), got[1]))
        # Any small atom that is shown nowhere on its own but follows from what is shown.
        for atom in sorted(system.column):
            key = frozenset([atom])
            if atom in directly_shown or key in reported or not 1 <= truth.counts.get(atom, 0) < threshold:
                continue
            got = system.recover([atom])
            if got is not None:
                reported.add(key)
                hidden_in = next((c for c in cells if c.value is None and atom in c.atoms), None)
                report, caption = (hidden_in.report, hidden_in.caption) if hidden_in else ("(all reports)", "")
                findings.append(Finding("recovered", report, caption, _atom_label(atom), int(round(got[0])),
                                        truth.counts[atom], got[1]))
    return findings, problems


def check_reports(out_dir: Path, data_dir: Path) -> CheckResult:
    """Read every report under ``out_dir`` and check it against the data in ``data_dir``."""
    translations = load_translations()
    truth = load_truth(data_dir, translations)
    reader = Reader(truth, translations)
    reports = read_reports(out_dir, truth)
    for report in reports:
        reader.read(report)
    findings, problems = audit(reader.cells, truth)
    if not reports:
        problems.append(f"no reports found under {out_dir}")
    return CheckResult(findings=findings, problems=reader.problems + problems, cells=reader.cells,
                       tables=reader.tables)


def check_html(pages: dict[str, str], data_dir: Path) -> CheckResult:
    """Check hand-written pages, ``{"final/stad": "<html>…"}``, as if they were rendered reports."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        for name, text in pages.items():
            path = Path(folder) / f"{name}.html"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return check_reports(Path(folder), data_dir)
