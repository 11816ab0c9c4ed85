"""The data contract: read a data folder, check every rule of ``data/README.md``, load it.

:func:`validate` reads every file of a data folder and returns *all* problems it finds, each
located as ``FILE:ROW:COLUMN``; :func:`load_data` validates, refuses invalid data with a
:class:`~evaluation.errors.DataContractError`, and returns an :class:`EvaluationData` with typed
frames, optionally cut to a phase's cut-off date.

Why not pandera: the checks here are mostly references *between* files (an agency must take part
in the respondent's pilot, an item column must be in ``items.csv``) and the messages must carry
the line number an analyst sees in a text editor. A small declarative column specification,
below, gives both in a few lines; a schema library would need the same code as custom checks.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd
import yaml

from evaluation.errors import DataContractError, DataProblem

from evaluation import DEMO_DATA_DIR  # noqa: E402  (re-exported: the default of every command)
from evaluation.contract.vocabulary import (
    ASSESSMENTS, CHAIN_STAGES, DIRECTIONS, ID_PATTERN, ITEM_ID_PATTERN, OPAQUE_ID_PATTERN,
    STAKEHOLDER_GROUPS, STATUSES, WAVE_ROLES,
)


FILES = {
    "programme": "programme.yaml",
    "items": "survey/items.csv",
    "scales": "survey/scales.csv",
    "responses": "survey/responses.csv",
    "population": "survey/population.csv",
    "interviews": "interviews/interviews.csv",
    "segments": "interviews/segments.csv",
    "codebook": "interviews/codebook.csv",
    "observations": "indicators/observations.csv",
    "milestones": "milestones.csv",
    "assessments": "assessments.csv",
}
"""Contract files, relative to the data folder. Narratives (``narratives/*.yaml``) are optional."""

_ID = ID_PATTERN
_OPAQUE_ID = OPAQUE_ID_PATTERN
_ITEM = ITEM_ID_PATTERN


# --------------------------------------------------------------------------------------------
# Programme configuration
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Programme:
    """The programme as configured in ``programme.yaml``, as tidy frames.

    Attributes
    ----------
    name_nb, name_en : str
        The programme's name.
    anonymity_threshold : int
        The smallest group any report shows (default 5).
    status_thresholds : dict
        ``{"on_track": 0.9, "at_risk": 0.5}``: progress against the expected path at or above
        which an indicator is on track or at risk.
    cutoffs : dict
        Phase id to cut-off date, in phase order.
    pilots : DataFrame
        pilot, name, municipality_number.
    agencies : DataFrame
        pilot, agency, name_nb, name_en (one row per agency taking part in a pilot).
    sub_goals : DataFrame
        pilot, sub_goal, text_nb, text_en.
    sub_goal_links : DataFrame
        pilot, sub_goal, kind (``national_goal``, ``survey_index``, ``interview_theme``), target.
    indicators : DataFrame
        pilot, indicator_id, name_nb, name_en, unit, direction, baseline_value, baseline_year,
        target_value, target_year, sub_goal.
    national_goals : DataFrame
        national_goal, text_nb, text_en.
    waves : DataFrame
        wave, role.
    survey_indices : DataFrame
        index, label_nb, label_en.
    interview_themes : DataFrame
        theme, label_nb, label_en.
    results_chain : DataFrame
        pilot, stage, position, text_nb, text_en.
    results_chain_links : DataFrame
        pilot, stage, position, kind (``sub_goal`` or ``national_goal``), target.
    """

    name_nb: str
    name_en: str
    anonymity_threshold: int
    status_thresholds: dict
    cutoffs: dict
    pilots: pd.DataFrame = field(repr=False)
    agencies: pd.DataFrame = field(repr=False)
    sub_goals: pd.DataFrame = field(repr=False)
    sub_goal_links: pd.DataFrame = field(repr=False)
    indicators: pd.DataFrame = field(repr=False)
    national_goals: pd.DataFrame = field(repr=False)
    waves: pd.DataFrame = field(repr=False)
    survey_indices: pd.DataFrame = field(repr=False)
    interview_themes: pd.DataFrame = field(repr=False)
    results_chain: pd.DataFrame = field(repr=False)
    results_chain_links: pd.DataFrame = field(repr=False)

    @property
    def pilot_ids(self) -> list[str]:
        """Pilot ids in configured order."""
        return list(self.pilots["pilot"])

    @property
    def phases(self) -> list[str]:
        """Phase ids in order."""
        return list(self.cutoffs)

    def pilot_name(self, pilot: str) -> str:
        """The pilot's display name."""
        return str(self.pilots.set_index("pilot").loc[pilot, "name"])

    def wave_role(self, wave: int) -> str:
        """The role (baseline, midterm, final) of a survey wave."""
        return str(self.waves.set_index("wave").loc[wave, "role"])


def _yaml_line_index(node, path: str = "") -> dict[str, int]:
    """Map each key path of a composed YAML node tree to its (1-based) line number."""
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            lines.update({k: v for k, v in _yaml_line_index(value, child).items() if k != child})
    elif isinstance(node, yaml.SequenceNode):
        for position, value in enumerate(node.value):
            lines.update(_yaml_line_index(value, f"{path}[{position}]"))
    return lines


class _ProblemLog:
    """Collects problems of one file."""

    def __init__(self, file: str, problems: list[DataProblem]):
        self.file = file
        self.problems = problems

    def add(self, row: int | None, column: str | None, message: str, expected: str = "") -> None:
        self.problems.append(DataProblem(self.file, row, column, message, expected))


def _parse_programme(text: str, log: _ProblemLog) -> Programme | None:
    try:
        node = yaml.compose(text)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        log.add(row, None, f"YAML syntax error: {getattr(error, 'problem', error)}",
                "valid YAML (check indentation and quoting)")
        return None
    if not isinstance(raw, dict):
        log.add(1, None, "the file is not a YAML mapping", "keys such as pilots, phases, waves")
        return None
    lines = _yaml_line_index(node)

    def line(path: str) -> int | None:
        while path and path not in lines:
            path = path.rsplit(".", 1)[0] if "." in path else ""
        return lines.get(path)

    def need(mapping: dict, key: str, path: str, kind: type | tuple = str, expected: str = ""):
        full = f"{path}.{key}" if path else key
        if not isinstance(mapping, dict) or key not in mapping or mapping[key] is None:
            log.add(line(path), full, "missing", expected or f"a value for {key}")
            return None
        value = mapping[key]
        if not isinstance(value, kind) or (kind is not bool and isinstance(value, bool)
                                           and bool not in (kind if isinstance(kind, tuple) else (kind,))):
            log.add(line(full), full, f"{value!r} has the wrong type", expected or f"a {getattr(kind, '__name__', kind)}")
            return None
        return value

    def id_list(mapping: dict, key: str, path: str, allowed: Iterable[str], what: str) -> list[str]:
        values = mapping.get(key) or []
        full = f"{path}.{key}"
        if not isinstance(values, list):
            log.add(line(full), full, f"{values!r} is not a list", f"a list of {what} ids")
            return []
        allowed = set(allowed)
        for position, value in enumerate(values):
            if str(value) not in allowed:
                log.add(line(f"{full}[{position}]"), f"{full}[{position}]",
                        f"unknown {what} {value!r}", f"one of {', '.join(sorted(allowed)) or '(none defined)'}")
        return [str(v) for v in values]

    programme = raw.get("programme") or {}
    threshold = raw.get("anonymity_threshold", 5)
    if not isinstance(threshold, int) or isinstance(threshold, bool) or threshold < 2:
        log.add(line("anonymity_threshold"), "anonymity_threshold", f"{threshold!r} is not allowed",
                "an integer of at least 2")
        threshold = 5
    thresholds = {"on_track": 0.9, "at_risk": 0.5}
    thresholds.update(raw.get("status_thresholds") or {})
    if not (0 <= float(thresholds["at_risk"]) <= float(thresholds["on_track"]) <= 1.5):
        log.add(line("status_thresholds"), "status_thresholds", "thresholds out of order",
                "0 <= at_risk <= on_track")

    def unique_ids(entries, path: str, key: str, pattern=_ID, what: str = "id") -> list[dict]:
        out = []
        seen: set[str] = set()
        if not isinstance(entries, list) or not entries:
            log.add(line(path), path, "missing or empty", f"a list of {what} entries")
            return out
        for position, entry in enumerate(entries):
            here = f"{path}[{position}]"
            value = entry.get(key) if isinstance(entry, dict) else None
            if value is None:
                log.add(line(here), f"{here}.{key}", "missing id", f"a {what} id")
                continue
            value = str(value)
            if not pattern.match(value):
                log.add(line(f"{here}.{key}"), f"{here}.{key}", f"{value!r} is not a valid id",
                        "lower-case letters, digits, - and _")
            if value in seen:
                log.add(line(f"{here}.{key}"), f"{here}.{key}", f"duplicate {what} id {value!r}",
                        "each id once")
            seen.add(value)
            out.append({**entry, key: value, "_path": here})
        return out

    national = unique_ids(raw.get("national_goals"), "national_goals", "id",
                          re.compile(r"^N[0-9]+$"), "national goal")
    national_ids = [n["id"] for n in national]
    phases = unique_ids(raw.get("phases"), "phases", "id", what="phase")
    cutoffs: dict[str, dt.date] = {}
    for entry in phases:
        value = entry.get("cutoff")
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        if not isinstance(value, dt.date):
            log.add(line(f"{entry['_path']}.cutoff"), f"{entry['_path']}.cutoff",
                    f"{entry.get('cutoff')!r} is not a date", "an ISO date such as 2022-12-31")
            continue
        cutoffs[entry["id"]] = value
    if list(cutoffs.values()) != sorted(cutoffs.values()):
        log.add(line("phases"), "phases", "phases are not in order of their cut-off dates",
                "each phase's cut-off after the previous one's")

    waves = []
    for position, entry in enumerate(raw.get("waves") or []):
        here = f"waves[{position}]"
        wave_id = entry.get("id") if isinstance(entry, dict) else None
        role = entry.get("role") if isinstance(entry, dict) else None
        if not isinstance(wave_id, int) or isinstance(wave_id, bool):
            log.add(line(here), f"{here}.id", f"{wave_id!r} is not a wave year", "an integer year such as 2021")
            continue
        if role not in WAVE_ROLES:
            log.add(line(f"{here}.role"), f"{here}.role", f"unknown wave role {role!r}",
                    f"one of {', '.join(WAVE_ROLES)}")
            continue
        waves.append({"wave": wave_id, "role": role})
    if not waves:
        log.add(line("waves"), "waves", "no survey waves defined", "a list of waves with id and role")
    elif sum(w["role"] == "baseline" for w in waves) != 1:
        log.add(line("waves"), "waves", "there must be exactly one baseline wave", "one wave with role baseline")
    if len({w["wave"] for w in waves}) != len(waves):
        log.add(line("waves"), "waves", "duplicate wave id", "each wave year once")

    indices = unique_ids(raw.get("survey_indices"), "survey_indices", "id", what="survey index")
    themes = unique_ids(raw.get("interview_themes"), "interview_themes", "id", what="interview theme")
    agency_catalogue = unique_ids(raw.get("agencies"), "agencies", "id", what="agency")
    agency_names = {a["id"]: a for a in agency_catalogue}
    index_ids = [i["id"] for i in indices]
    theme_ids = [t_["id"] for t_ in themes]

    rows: dict[str, list[dict]] = {k: [] for k in (
        "pilots", "agencies", "sub_goals", "sub_goal_links", "indicators",
        "results_chain", "results_chain_links")}
    all_sub_goals: set[str] = set()
    all_indicators: set[str] = set()
    for pilot in unique_ids(raw.get("pilots"), "pilots", "id", what="pilot"):
        path = pilot["_path"]
        pid = pilot["id"]
        name = need(pilot, "name", path)
        number = pilot.get("municipality_number")
        if number is None or not re.fullmatch(r"\d{4}", str(number)):
            log.add(line(f"{path}.municipality_number"), f"{path}.municipality_number",
                    f"{number!r} is not a municipality number", "four digits, quoted, such as \"4649\"")
        rows["pilots"].append({"pilot": pid, "name": name or pid, "municipality_number": str(number)})
        for agency in id_list(pilot, "agencies", path, agency_names, "agency"):
            entry = agency_names.get(agency, {})
            rows["agencies"].append({"pilot": pid, "agency": agency,
                                     "name_nb": entry.get("name_nb", agency),
                                     "name_en": entry.get("name_en", entry.get("name_nb", agency))})
        sub_goals = unique_ids(pilot.get("sub_goals"), f"{path}.sub_goals", "id", what="sub-goal")
        pilot_sub_goals = []
        for goal in sub_goals:
            gpath = goal["_path"]
            if goal["id"] in all_sub_goals:
                log.add(line(f"{gpath}.id"), f"{gpath}.id", f"sub-goal id {goal['id']!r} is used by another pilot",
                        "sub-goal ids unique across the programme")
            all_sub_goals.add(goal["id"])
            pilot_sub_goals.append(goal["id"])
            need(goal, "text_nb", gpath)
            rows["sub_goals"].append({"pilot": pid, "sub_goal": goal["id"],
                                      "text_nb": goal.get("text_nb", ""),
                                      "text_en": goal.get("text_en") or goal.get("text_nb", "")})
            for kind, key, allowed in (("national_goal", "national_goals", national_ids),
                                       ("survey_index", "survey_indices", index_ids),
                                       ("interview_theme", "interview_themes", theme_ids)):
                for target in id_list(goal, key, gpath, allowed, kind.replace("_", " ")):
                    rows["sub_goal_links"].append({"pilot": pid, "sub_goal": goal["id"],
                                                   "kind": kind, "target": target})
            if not goal.get("national_goals"):
                log.add(line(gpath), f"{gpath}.national_goals", "the sub-goal is linked to no national goal",
                        "at least one of " + ", ".join(national_ids))
        for indicator in unique_ids(pilot.get("indicators") or [], f"{path}.indicators", "id", what="indicator") \
                if pilot.get("indicators") else []:
            ipath = indicator["_path"]
            iid = indicator["id"]
            if iid in all_indicators:
                log.add(line(f"{ipath}.id"), f"{ipath}.id", f"indicator id {iid!r} is used twice",
                        "indicator ids unique across the programme")
            all_indicators.add(iid)
            direction = indicator.get("direction")
            if direction not in DIRECTIONS:
                log.add(line(f"{ipath}.direction"), f"{ipath}.direction", f"unknown direction {direction!r}",
                        "increase or decrease")
            values = {}
            for end in ("baseline", "target"):
                part = indicator.get(end)
                epath = f"{ipath}.{end}"
                if not isinstance(part, dict):
                    log.add(line(ipath), epath, "missing", "{value: NUMBER, year: YEAR}")
                    continue
                value, year = part.get("value"), part.get("year")
                if not isinstance(value, (int, float)) or isinstance(value, bool) or math.isnan(value):
                    log.add(line(f"{epath}.value"), f"{epath}.value", f"{value!r} is not a number", "a number")
                    value = None
                if not isinstance(year, int) or isinstance(year, bool):
                    log.add(line(f"{epath}.year"), f"{epath}.year", f"{year!r} is not a year", "an integer year")
                    year = None
                values[end] = (value, year)
            (bv, by), (tv, ty) = values.get("baseline", (None, None)), values.get("target", (None, None))
            if bv is not None and tv is not None:
                if bv == tv:
                    log.add(line(f"{ipath}.target.value"), f"{ipath}.target.value",
                            f"the target equals the baseline ({tv})", "a target different from the baseline")
                elif direction in DIRECTIONS and (tv > bv) != (direction == "increase"):
                    log.add(line(f"{ipath}.target.value"), f"{ipath}.target.value",
                            f"target {tv} lies against the direction {direction!r} from baseline {bv}",
                            f"a target {'above' if direction == 'increase' else 'below'} the baseline")
            if by is not None and ty is not None and ty <= by:
                log.add(line(f"{ipath}.target.year"), f"{ipath}.target.year",
                        f"target year {ty} is not after baseline year {by}", "a target year after the baseline year")
            sub_goal = indicator.get("sub_goal")
            if sub_goal not in pilot_sub_goals:
                log.add(line(f"{ipath}.sub_goal"), f"{ipath}.sub_goal", f"unknown sub-goal {sub_goal!r}",
                        f"a sub-goal of {pid}: {', '.join(pilot_sub_goals)}")
            rows["indicators"].append({
                "pilot": pid, "indicator_id": iid,
                "name_nb": indicator.get("name_nb", iid),
                "name_en": indicator.get("name_en") or indicator.get("name_nb", iid),
                "unit": str(indicator.get("unit", "")), "direction": direction,
                "baseline_value": bv, "baseline_year": by, "target_value": tv, "target_year": ty,
                "sub_goal": sub_goal})
        chain = pilot.get("results_chain") or {}
        if not isinstance(chain, dict) or not chain:
            log.add(line(path), f"{path}.results_chain", "missing", "a results chain with " + ", ".join(CHAIN_STAGES))
            chain = {}
        for stage in chain:
            if stage not in CHAIN_STAGES:
                log.add(line(f"{path}.results_chain.{stage}"), f"{path}.results_chain.{stage}",
                        f"unknown stage {stage!r}", "one of " + ", ".join(CHAIN_STAGES))
        for stage in CHAIN_STAGES:
            for position, element in enumerate(chain.get(stage) or []):
                epath = f"{path}.results_chain.{stage}[{position}]"
                if not isinstance(element, dict) or not element.get("text_nb"):
                    log.add(line(epath), f"{epath}.text_nb", "missing", "a text_nb for the element")
                    continue
                rows["results_chain"].append({"pilot": pid, "stage": stage, "position": position,
                                              "text_nb": element["text_nb"],
                                              "text_en": element.get("text_en") or element["text_nb"]})
                for kind, key, allowed in (("sub_goal", "sub_goals", pilot_sub_goals),
                                           ("national_goal", "national_goals", national_ids)):
                    for target in id_list(element, key, epath, allowed, kind.replace("_", "-")):
                        rows["results_chain_links"].append({"pilot": pid, "stage": stage, "position": position,
                                                            "kind": kind, "target": target})

    columns = {
        "pilots": ["pilot", "name", "municipality_number"],
        "agencies": ["pilot", "agency", "name_nb", "name_en"],
        "sub_goals": ["pilot", "sub_goal", "text_nb", "text_en"],
        "sub_goal_links": ["pilot", "sub_goal", "kind", "target"],
        "indicators": ["pilot", "indicator_id", "name_nb", "name_en", "unit", "direction",
                       "baseline_value", "baseline_year", "target_value", "target_year", "sub_goal"],
        "results_chain": ["pilot", "stage", "position", "text_nb", "text_en"],
        "results_chain_links": ["pilot", "stage", "position", "kind", "target"],
    }
    frames = {k: pd.DataFrame(rows[k], columns=columns[k]) for k in rows}
    for column in ("baseline_value", "target_value"):
        frames["indicators"][column] = frames["indicators"][column].astype(float)
    for column in ("baseline_year", "target_year"):
        frames["indicators"][column] = frames["indicators"][column].astype("Int64")

    def labels(entries, key_name, fields):
        return pd.DataFrame([{key_name: e["id"], **{f: e.get(f) or e.get(fields[0], e["id"]) for f in fields}}
                             for e in entries], columns=[key_name, *fields])

    return Programme(
        name_nb=str(programme.get("name_nb", "Pilot Statens hus")),
        name_en=str(programme.get("name_en", programme.get("name_nb", "Pilot Statens hus"))),
        anonymity_threshold=int(threshold),
        status_thresholds={k: float(v) for k, v in thresholds.items()},
        cutoffs=cutoffs,
        national_goals=labels(national, "national_goal", ["text_nb", "text_en"]),
        waves=pd.DataFrame(waves, columns=["wave", "role"]).sort_values("wave", ignore_index=True),
        survey_indices=labels(indices, "index", ["label_nb", "label_en"]),
        interview_themes=labels(themes, "theme", ["label_nb", "label_en"]),
        **frames,
    )


# --------------------------------------------------------------------------------------------
# CSV files: a small declarative column specification
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """How one CSV column is checked and converted.

    ``kind`` is one of ``id``, ``opaque_id``, ``text``, ``int``, ``float``, ``date``, ``bool``,
    ``enum``; ``allowed`` is a set of values (for ``enum`` and for references to other files),
    ``optional`` allows an empty cell.
    """

    name: str
    kind: str = "text"
    optional: bool = False
    allowed: Callable[["_Context"], Iterable] | tuple | None = None
    allowed_text: str = ""


def _expected(kind: str) -> str:
    return {
        "id": "an id of lower-case letters, digits, - and _",
        "opaque_id": "an opaque id of letters, digits, ., - and _",
        "int": "a whole number",
        "float": "a number with a decimal point (not a comma)",
        "date": "an ISO date such as 2022-10-14",
        "bool": "yes or no",
        "text": "a text",
    }.get(kind, kind)


def _read_csv(path: Path, log: _ProblemLog) -> pd.DataFrame | None:
    """Read a CSV as strings, reporting a missing file, bad encoding or malformed rows."""
    if not path.exists():
        log.add(None, None, "file is missing", "the file described in data/README.md")
        return None
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        row = raw[: error.start].count(b"\n") + 1
        log.add(row, None, f"byte 0x{raw[error.start]:02x} at position {error.start} is not UTF-8",
                "UTF-8 text (save the file as CSV UTF-8)")
        return None
    import io

    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        match = re.search(r"line (\d+)", str(error))
        log.add(int(match.group(1)) if match else None, None, f"not a valid CSV file: {error}",
                "comma-separated values with the same number of fields on every line")
        return None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


@dataclass
class _Context:
    programme: Programme
    problems: list[DataProblem]
    files: dict[str, pd.DataFrame] = field(default_factory=dict)


def _check_columns(frame: pd.DataFrame, spec: list[Column], log: _ProblemLog, ctx: _Context,
                   extra_allowed: bool = False) -> pd.DataFrame:
    """Check every column of ``spec`` in ``frame``; return the frame converted to typed columns."""
    out = frame.copy()
    missing = [c.name for c in spec if c.name not in frame.columns]
    for name in missing:
        log.add(1, name, "column is missing", f"a column named {name!r}")
    if not extra_allowed:
        known = {c.name for c in spec}
        for name in frame.columns:
            if name not in known:
                log.add(1, name, "unknown column", "only the columns " + ", ".join(c.name for c in spec))
    for column in spec:
        if column.name not in frame.columns:
            continue
        values = frame[column.name].astype(str).str.strip()
        allowed = column.allowed(ctx) if callable(column.allowed) else column.allowed
        allowed = None if allowed is None else {str(a) for a in allowed}
        empty = values.eq("").to_numpy()
        valid, converted = _fast_convert(values, column.kind)
        valid = valid & ~empty
        result = pd.Series([None] * len(values), index=values.index, dtype=object)
        result[valid] = converted[valid].astype(object)
        if not column.optional:
            for position in np.flatnonzero(empty):
                log.add(int(position) + 2, column.name, "empty cell", _expected(column.kind))
        for position in np.flatnonzero(~empty & ~valid):  # rare: explain what is wrong, cell by cell
            _log_invalid(values.iloc[position], int(position) + 2, column, log)
        if allowed is not None:
            unknown = valid & ~values.isin(allowed).to_numpy()
            for position in np.flatnonzero(unknown):
                value = values.iloc[position]
                log.add(int(position) + 2, column.name, f"unknown value {value!r}",
                        column.allowed_text or ("one of " + ", ".join(sorted(allowed)[:12])
                                                + (" …" if len(allowed) > 12 else "")))
        out[column.name] = result
    return out


def _fast_convert(values: pd.Series, kind: str) -> tuple[np.ndarray, pd.Series]:
    """Which non-empty cells of ``values`` are valid for ``kind``, and their converted values.

    Vectorised, so that validating 100 000 responses takes seconds, not minutes; the cells it
    rejects are explained one by one by :func:`_log_invalid`.
    """
    if kind == "int":
        valid = values.str.fullmatch(r"[+-]?\d+").to_numpy(dtype=bool)
        converted = pd.Series(0, index=values.index, dtype="int64")
        converted[valid] = values[valid].astype("int64")
        return valid, converted
    if kind == "float":
        numbers = pd.to_numeric(values.where(values.str.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")),
                                errors="coerce")
        return (numbers.notna() & np.isfinite(numbers)).to_numpy(dtype=bool), numbers
    if kind == "date":
        shaped = values.str.fullmatch(r"\d{4}-\d{2}-\d{2}")
        parsed = pd.to_datetime(values.where(shaped), format="%Y-%m-%d", errors="coerce")
        valid = parsed.notna().to_numpy(dtype=bool)
        converted = pd.Series([None] * len(values), index=values.index, dtype=object)
        converted[valid] = [d.date() for d in parsed[valid]]
        return valid, converted
    if kind == "bool":
        lower = values.str.lower()
        return lower.isin(("yes", "no")).to_numpy(dtype=bool), lower.eq("yes")
    if kind in ("id", "opaque_id"):
        pattern = (_ID if kind == "id" else _OPAQUE_ID).pattern.strip("^$")
        return values.str.fullmatch(pattern).to_numpy(dtype=bool), values
    return np.ones(len(values), dtype=bool), values


def _log_invalid(value: str, row: int, column: Column, log: _ProblemLog) -> None:
    """Say why one cell is not valid for its column's kind."""
    if column.kind == "date":
        what = (f"{value!r} is an impossible date" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
                else f"{value!r} is not an ISO date")
    else:
        what = f"{value!r} is not valid"
    log.add(row, column.name, what, _expected(column.kind))


def _duplicates(frame: pd.DataFrame, keys: list[str], log: _ProblemLog, what: str) -> None:
    if not set(keys) <= set(frame.columns) or frame.empty:
        return
    duplicated = frame.duplicated(keys, keep="first")
    for position in frame.index[duplicated]:
        first = frame.index[(frame[keys] == frame.loc[position, keys]).all(axis=1)][0]
        log.add(int(position) + 2, keys[-1],
                f"duplicate {what} {', '.join(str(frame.loc[position, k]) for k in keys)!s}"
                f" (first on line {int(first) + 2})", f"each {what} once")


def _enum(values: Iterable[str]) -> tuple:
    return tuple(values)


# --------------------------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationData:
    """A validated data folder, typed, optionally cut to a phase.

    Attributes
    ----------
    data_dir : Path
        The folder read.
    phase : str or None
        The phase whose cut-off was applied, or ``None`` for all data.
    cutoff : datetime.date or None
        The cut-off date applied.
    programme : Programme
        The configuration.
    items, scales, responses, population, interviews, segments, codebook, observations,
    milestones, assessments : DataFrame
        The contract files (see ``data/README.md``). ``items`` gains ``scale_min``,
        ``scale_max`` and ``dont_know_code``; ``interviews`` gains ``round`` (the phase an
        interview belongs to by its date); item columns of ``responses`` are nullable integer
        codes (``<NA>`` not answered; the scale's ``dont_know_code`` means "vet ikke").
    narratives : dict
        ``(pilot, phase) -> {"nb": {...}, "en": {...}}`` from ``narratives/*.yaml``.
    input_files : tuple of Path
        Every file read, for provenance.
    """

    data_dir: Path
    phase: str | None
    cutoff: dt.date | None
    programme: Programme
    items: pd.DataFrame = field(repr=False)
    scales: pd.DataFrame = field(repr=False)
    responses: pd.DataFrame = field(repr=False)
    population: pd.DataFrame = field(repr=False)
    interviews: pd.DataFrame = field(repr=False)
    segments: pd.DataFrame = field(repr=False)
    codebook: pd.DataFrame = field(repr=False)
    observations: pd.DataFrame = field(repr=False)
    milestones: pd.DataFrame = field(repr=False)
    assessments: pd.DataFrame = field(repr=False)
    narratives: dict = field(repr=False, default_factory=dict)
    input_files: tuple = field(repr=False, default=())

    @property
    def item_ids(self) -> list[str]:
        """Item ids in the order of ``items.csv``."""
        return list(self.items["item_id"])

    @property
    def anonymity_threshold(self) -> int:
        """The programme's anonymity threshold."""
        return self.programme.anonymity_threshold

    def for_pilot(self, frame_name: str, pilot: str) -> pd.DataFrame:
        """Rows of one contract frame that belong to ``pilot``."""
        frame = getattr(self, frame_name)
        if frame_name == "segments":
            ids = self.interviews.loc[self.interviews["pilot"] == pilot, "interview_id"]
            return frame[frame["interview_id"].isin(ids)]
        return frame[frame["pilot"] == pilot]


def _validate_and_convert(data_dir: Path) -> tuple[list[DataProblem], dict | None]:
    """Validate every contract file; return problems and, if the programme parsed, the frames."""
    problems: list[DataProblem] = []
    programme_path = data_dir / FILES["programme"]
    log = _ProblemLog(FILES["programme"], problems)
    if not data_dir.is_dir():
        problems.append(DataProblem(str(data_dir), None, None, "data folder does not exist",
                                    "a folder laid out as in data/README.md"))
        return problems, None
    if not programme_path.exists():
        log.add(None, None, "file is missing", "the programme configuration (see data/README.md)")
        return problems, None
    try:
        text = programme_path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        log.add(None, None, f"not UTF-8 at byte {error.start}", "a UTF-8 text file")
        return problems, None
    programme = _parse_programme(text, log)
    if programme is None:
        return problems, None
    ctx = _Context(programme, problems)
    pilots = set(programme.pilot_ids)
    pilot_agencies = set(zip(programme.agencies["pilot"], programme.agencies["agency"]))
    waves = set(programme.waves["wave"].astype(str))
    phases = set(programme.cutoffs)
    frames: dict[str, pd.DataFrame] = {}

    def load(name: str, spec: list[Column], keys: list[str] | None = None, what: str = "row",
             extra_allowed: bool = False) -> pd.DataFrame | None:
        file_log = _ProblemLog(FILES[name], problems)
        raw = _read_csv(data_dir / FILES[name], file_log)
        if raw is None:
            return None
        frame = _check_columns(raw, spec, file_log, ctx, extra_allowed)
        if keys:
            _duplicates(frame, keys, file_log, what)
        frames[name] = frame
        return frame

    def agency_pair_check(frame: pd.DataFrame | None, name: str) -> None:
        if frame is None or not {"pilot", "agency"} <= set(frame.columns):
            return
        file_log = _ProblemLog(FILES[name], problems)
        for position, (pilot, agency) in enumerate(zip(frame["pilot"], frame["agency"])):
            if pilot in pilots and agency and (pilot, agency) not in pilot_agencies:
                known = sorted(a for p, a in pilot_agencies if p == pilot)
                file_log.add(position + 2, "agency", f"agency {agency!r} does not take part in pilot {pilot!r}",
                             "one of " + ", ".join(known))

    scales = load("scales", [Column("scale", "id"), Column("code", "int"), Column("label_nb"),
                             Column("label_en", optional=True), Column("dont_know", "bool")],
                  ["scale", "code"], "scale code")
    scale_info: dict[str, dict] = {}
    if scales is not None and {"scale", "code", "dont_know"} <= set(scales.columns):
        slog = _ProblemLog(FILES["scales"], problems)
        for scale, group in scales.dropna(subset=["code", "dont_know"]).groupby("scale", sort=False):
            levels = sorted(int(c) for c, dk in zip(group["code"], group["dont_know"]) if not dk)
            dont_know = [int(c) for c, dk in zip(group["code"], group["dont_know"]) if dk]
            first_row = int(group.index[0]) + 2
            if len(levels) < 2 or levels != list(range(levels[0], levels[0] + len(levels))):
                slog.add(first_row, "code", f"the levels of scale {scale!r} are {levels}",
                         "at least two consecutive integer codes")
            if len(dont_know) > 1:
                slog.add(first_row, "dont_know", f"scale {scale!r} has {len(dont_know)} don't-know codes",
                         "at most one code with dont_know = yes")
            if levels:
                scale_info[str(scale)] = {"min": levels[0], "max": levels[-1],
                                          "dont_know": dont_know[0] if dont_know else None,
                                          "codes": set(levels) | set(dont_know)}
    items = load("items", [
        Column("item_id", "text"), Column("index", "id", allowed=tuple(programme.survey_indices["index"]),
                                          allowed_text="a survey_indices id of programme.yaml"),
        Column("scale", "id", allowed=tuple(scale_info) or None, allowed_text="a scale of survey/scales.csv"),
        Column("reverse_keyed", "bool"), Column("text_nb"), Column("text_en", optional=True)],
        ["item_id"], "item")
    item_ids: list[str] = []
    if items is not None and "item_id" in items.columns:
        ilog = _ProblemLog(FILES["items"], problems)
        for position, item in enumerate(items["item_id"]):
            if item and not _ITEM.match(str(item)):
                ilog.add(position + 2, "item_id", f"{item!r} is not a valid item id",
                         "letters, digits and _, starting with a letter (such as Q01)")
        item_ids = [str(i) for i in items["item_id"] if i]
    base_columns = ["respondent_id", "wave", "response_date", "pilot", "agency"]
    responses = load("responses", [
        Column("respondent_id", "opaque_id"), Column("wave", "int", allowed=tuple(waves),
                                                     allowed_text="a wave of programme.yaml"),
        Column("response_date", "date"), Column("pilot", "id", allowed=tuple(pilots)),
        Column("agency", "id")], ["wave", "respondent_id"], "respondent in a wave", extra_allowed=True)
    if responses is not None:
        rlog = _ProblemLog(FILES["responses"], problems)
        for name in responses.columns:
            if name not in base_columns and name not in item_ids:
                rlog.add(1, name, "column is not an item of survey/items.csv",
                         "the columns " + ", ".join(base_columns) + " and one per item")
        for item in item_ids:
            if item not in responses.columns:
                rlog.add(1, item, "item column is missing", f"a column for item {item} (may be empty)")
        agency_pair_check(responses, "responses")
        if items is not None:
            scale_of = dict(zip(items["item_id"], items["scale"]))
            for item in item_ids:
                if item not in responses.columns:
                    continue
                info = scale_info.get(str(scale_of.get(item)))
                values = responses[item].astype(str)
                numbers = pd.to_numeric(values.where(values.ne("")), errors="coerce")
                retry = numbers.isna() & values.ne("")
                if retry.any():  # rare: spaces or a decimal comma; normalise only those cells
                    values = values.where(~retry, values[retry].str.strip())
                    numbers[retry] = pd.to_numeric(values[retry].str.replace(",", ".", regex=False)
                                                   .where(values[retry].ne("")), errors="coerce")
                empty = values.eq("").to_numpy()
                whole = (numbers.notna() & (numbers == np.floor(numbers))).to_numpy(dtype=bool)
                for position in np.flatnonzero(~empty & ~whole):
                    rlog.add(int(position) + 2, item, f"{values.iloc[position]!r} is not a response code",
                             "a whole-number code of the item's scale, or an empty cell")
                codes = pd.array(numbers.where(whole), dtype="Float64").astype("Int64")
                if info:
                    outside = whole & ~numbers.isin(info["codes"]).to_numpy(dtype=bool)
                    for position in np.flatnonzero(outside):
                        rlog.add(int(position) + 2, item, f"code {int(numbers.iloc[position])} is outside the scale",
                                 f"one of {', '.join(str(c) for c in sorted(info['codes']))} or empty")
                responses[item] = codes
        if "response_date" in responses.columns and "wave" in responses.columns:
            known = responses["wave"].notna() & responses["response_date"].notna()
            years = pd.Series([d.year if isinstance(d, dt.date) else None for d in responses["response_date"]],
                              index=responses.index)
            for position in np.flatnonzero((known & (years != responses["wave"])).to_numpy(dtype=bool)):
                wave, date = responses["wave"].iloc[position], responses["response_date"].iloc[position]
                rlog.add(int(position) + 2, "response_date", f"{date} is not in wave {wave}", f"a date in {wave}")
    population = load("population", [
        Column("pilot", "id", allowed=tuple(pilots)), Column("agency", "id"),
        Column("wave", "int", allowed=tuple(waves), allowed_text="a wave of programme.yaml"),
        Column("invited", "int")], ["pilot", "agency", "wave"], "population row")
    agency_pair_check(population, "population")
    if population is not None and responses is not None and "invited" in population.columns:
        plog = _ProblemLog(FILES["population"], problems)
        counts = responses.groupby(["pilot", "agency", "wave"]).size()
        for position, row in population.iterrows():
            key = (row["pilot"], row["agency"], row["wave"])
            if isinstance(row["invited"], int) and row["invited"] < 1:
                plog.add(int(position) + 2, "invited", f"{row['invited']} invited", "a positive number")
            elif isinstance(row["invited"], int) and counts.get(key, 0) > row["invited"]:
                plog.add(int(position) + 2, "invited",
                         f"{counts.get(key)} responses but only {row['invited']} invited",
                         "invited at least as many as responded")
        surveyed = set(zip(population["pilot"], population["agency"], population["wave"]))
        rlog = _ProblemLog(FILES["responses"], problems)
        keys = pd.MultiIndex.from_frame(responses[["pilot", "agency", "wave"]].astype(str))
        surveyed_keys = pd.MultiIndex.from_tuples([tuple(map(str, k)) for k in surveyed] or [("", "", "")])
        pairs = pd.MultiIndex.from_frame(responses[["pilot", "agency"]].astype(str))
        known_pairs = pd.MultiIndex.from_tuples([tuple(map(str, k)) for k in pilot_agencies] or [("", "")])
        complete = responses[["pilot", "agency", "wave"]].notna().all(axis=1).to_numpy(dtype=bool)
        orphan = complete & ~keys.isin(surveyed_keys) & pairs.isin(known_pairs)
        for position in np.flatnonzero(orphan):
            row = responses.iloc[position]
            rlog.add(int(position) + 2, "agency",
                     f"no population row for {row['pilot']}/{row['agency']} in wave {row['wave']}",
                     "a matching row in survey/population.csv")
        for wave in sorted(set(population["wave"]) - set(responses["wave"]) - {None}):
            plog.add(int(population.index[population["wave"] == wave][0]) + 2, "wave",
                     f"wave {wave} has invited employees but no respondents",
                     "responses for the wave in survey/responses.csv, or no population rows for it")
    interviews = load("interviews", [
        Column("interview_id", "opaque_id"), Column("pilot", "id", allowed=tuple(pilots)),
        Column("date", "date"), Column("stakeholder_group", "enum", allowed=STAKEHOLDER_GROUPS),
        Column("informants", "int")], ["interview_id"], "interview")
    codebook = load("codebook", [
        Column("code", "id"), Column("theme", "id", allowed=tuple(programme.interview_themes["theme"]),
                                     allowed_text="an interview_themes id of programme.yaml"),
        Column("label_nb"), Column("label_en", optional=True), Column("description", optional=True)],
        ["code"], "code")
    segments = load("segments", [
        Column("segment_id", "opaque_id"),
        Column("interview_id", "opaque_id",
               allowed=tuple(interviews["interview_id"]) if interviews is not None else None,
               allowed_text="an interview_id of interviews/interviews.csv"),
        Column("code", "id", allowed=tuple(codebook["code"]) if codebook is not None else None,
               allowed_text="a code of interviews/codebook.csv"),
        Column("assessment", "enum", allowed=ASSESSMENTS), Column("quote", optional=True),
        Column("quote_approved", "bool")], ["segment_id"], "segment")
    if interviews is not None and "informants" in interviews.columns:
        vlog = _ProblemLog(FILES["interviews"], problems)
        last_cutoff = max(programme.cutoffs.values()) if programme.cutoffs else None
        for position, row in interviews.iterrows():
            if isinstance(row["informants"], int) and row["informants"] < 1:
                vlog.add(int(position) + 2, "informants", f"{row['informants']} informants", "at least 1")
            if isinstance(row["date"], dt.date) and last_cutoff and row["date"] > last_cutoff:
                vlog.add(int(position) + 2, "date", f"{row['date']} is after the last cut-off {last_cutoff}",
                         "a date within the evaluation period")
    indicator_pilot = dict(zip(programme.indicators["indicator_id"], programme.indicators["pilot"]))
    observations = load("observations", [
        Column("pilot", "id", allowed=tuple(pilots)),
        Column("indicator_id", "id", allowed=tuple(indicator_pilot), allowed_text="an indicator of programme.yaml"),
        Column("date", "date"), Column("value", "float"), Column("source", optional=True)],
        ["indicator_id", "date"], "observation")
    if observations is not None:
        olog = _ProblemLog(FILES["observations"], problems)
        for position, (pilot, indicator) in enumerate(zip(observations["pilot"], observations["indicator_id"])):
            if indicator in indicator_pilot and pilot in pilots and indicator_pilot[indicator] != pilot:
                olog.add(position + 2, "indicator_id", f"indicator {indicator!r} belongs to {indicator_pilot[indicator]!r}",
                         f"an indicator of pilot {pilot!r}")
    sub_goal_pilot = dict(zip(programme.sub_goals["sub_goal"], programme.sub_goals["pilot"]))

    def sub_goal_pair_check(frame: pd.DataFrame | None, name: str) -> None:
        if frame is None or not {"pilot", "sub_goal"} <= set(frame.columns):
            return
        file_log = _ProblemLog(FILES[name], problems)
        for position, (pilot, goal) in enumerate(zip(frame["pilot"], frame["sub_goal"])):
            if goal in sub_goal_pilot and pilot in pilots and sub_goal_pilot[goal] != pilot:
                file_log.add(position + 2, "sub_goal", f"sub-goal {goal!r} belongs to pilot {sub_goal_pilot[goal]!r}",
                             f"a sub-goal of pilot {pilot!r}")

    milestones = load("milestones", [
        Column("pilot", "id", allowed=tuple(pilots)), Column("milestone_id", "id"),
        Column("sub_goal", "id", allowed=tuple(sub_goal_pilot), allowed_text="a sub-goal of programme.yaml"),
        Column("text_nb"), Column("text_en", optional=True), Column("due_date", "date"),
        Column("completed_date", "date", optional=True)], ["milestone_id"], "milestone")
    sub_goal_pair_check(milestones, "milestones")
    assessments = load("assessments", [
        Column("pilot", "id", allowed=tuple(pilots)), Column("phase", "id", allowed=tuple(phases)),
        Column("sub_goal", "id", allowed=tuple(sub_goal_pilot), allowed_text="a sub-goal of programme.yaml"),
        Column("status", "enum", allowed=STATUSES), Column("gas_score", "int", optional=True,
                                                            allowed=("-2", "-1", "0", "1", "2"),
                                                            allowed_text="an integer from -2 to 2"),
        Column("rationale_nb"), Column("rationale_en", optional=True)],
        ["pilot", "phase", "sub_goal"], "assessment")
    sub_goal_pair_check(assessments, "assessments")
    try:
        frames["narratives"] = _read_narratives(data_dir, programme)
    except DataContractError as error:
        problems.extend(error.problems)
    if problems:
        return problems, None
    frames["scale_info"] = scale_info
    return problems, {"programme": programme, **frames}


def validate(data_dir: str | Path) -> list[DataProblem]:
    """Check a data folder against the data contract.

    Parameters
    ----------
    data_dir : str or Path
        The data folder.

    Returns
    -------
    list of DataProblem
        Every problem found (empty when the folder is valid), each with file, row, column, what
        is wrong and what was expected.

    Examples
    --------
    >>> validate(DEMO_DATA_DIR)
    []
    """
    problems, _ = _validate_and_convert(Path(data_dir))
    return problems


def _read_narratives(data_dir: Path, programme: Programme) -> tuple[dict, list[Path]]:
    narratives: dict = {}
    files: list[Path] = []
    folder = data_dir / "narratives"
    if not folder.is_dir():
        return narratives, files
    problems: list[DataProblem] = []
    for path in sorted(folder.glob("*.yaml")):
        relative = f"narratives/{path.name}"
        log = _ProblemLog(relative, problems)
        match = re.fullmatch(r"([a-z0-9_]+)-([a-z0-9_]+)\.yaml", path.name)
        if not match or match.group(1) not in programme.pilot_ids or match.group(2) not in programme.cutoffs:
            log.add(None, None, "file name is not <pilot>-<phase>.yaml",
                    "a pilot id and a phase id of programme.yaml, such as stad-midterm.yaml")
            continue
        try:
            content = yaml.safe_load(path.read_text(encoding="utf-8-sig")) or {}
        except UnicodeDecodeError as error:
            log.add(None, None, f"byte {error.start} is not UTF-8", "a UTF-8 text file")
            continue
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            log.add(mark.line + 1 if mark else None, None,
                    f"YAML syntax error: {getattr(error, 'problem', None) or 'cannot be parsed'}",
                    "valid YAML (check indentation, quotes and brackets)")
            continue
        if "nb" not in content:
            log.add(1, "nb", "missing", "a section nb with summary, strengths, weaknesses, recommendations")
            continue
        narratives[(match.group(1), match.group(2))] = content
        files.append(path)
    if problems:
        raise DataContractError(problems)
    return narratives, files


def load_data(data_dir: str | Path = DEMO_DATA_DIR, *, phase: str | None = None) -> EvaluationData:
    """Validate and load a data folder, optionally cut to a phase's cut-off date.

    Parameters
    ----------
    data_dir : str or Path
        The data folder (default: the bundled demo data).
    phase : str, optional
        A phase id of ``programme.yaml`` (``midterm``, ``final``). When given, only rows dated on
        or before the phase's cut-off are kept: survey responses (``response_date``), interviews
        (``date``) and their segments, indicator observations (``date``), and milestone
        completions (a completion after the cut-off is treated as still open), so that a midterm
        report gives the same numbers after later data have arrived. Population rows of waves
        after the cut-off are dropped with them.

    Returns
    -------
    EvaluationData

    Raises
    ------
    DataContractError
        If the folder breaks the contract; it carries every problem found.

    Examples
    --------
    >>> data = load_data(phase="midterm")
    >>> sorted(data.responses["wave"].unique().tolist())
    [2021, 2022]
    """
    data_dir = Path(data_dir)
    problems, frames = _validate_and_convert(data_dir)
    if problems or frames is None:
        raise DataContractError(problems)
    programme: Programme = frames["programme"]
    if phase is not None and phase not in programme.cutoffs:
        raise DataContractError.single(FILES["programme"], None, "phases", f"unknown phase {phase!r}",
                                       "one of " + ", ".join(programme.cutoffs))
    narratives, narrative_files = frames["narratives"]

    def to_datetime(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
        frame = frame.copy()
        for column in columns:
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ns]")
        return frame

    scale_info = frames["scale_info"]
    items = frames["items"].copy()
    items["scale_min"] = pd.array([scale_info[s]["min"] for s in items["scale"]], dtype="Int64")
    items["scale_max"] = pd.array([scale_info[s]["max"] for s in items["scale"]], dtype="Int64")
    items["dont_know_code"] = pd.array([scale_info[s]["dont_know"] for s in items["scale"]], dtype="Int64")
    items["reverse_keyed"] = items["reverse_keyed"].astype(bool)
    items["text_en"] = items["text_en"].where(items["text_en"].notna(), items["text_nb"])
    scales = frames["scales"].copy()
    scales["code"] = scales["code"].astype(int)
    scales["dont_know"] = scales["dont_know"].astype(bool)
    responses = to_datetime(frames["responses"], "response_date")
    responses["wave"] = responses["wave"].astype(int)
    population = frames["population"].copy()
    population[["wave", "invited"]] = population[["wave", "invited"]].astype(int)
    interviews = to_datetime(frames["interviews"], "date")
    interviews["informants"] = interviews["informants"].astype(int)
    cutoffs = [(phase_id, pd.Timestamp(c)) for phase_id, c in programme.cutoffs.items()]

    def round_of(date: pd.Timestamp) -> str:
        for phase_id, cutoff in cutoffs:
            if date <= cutoff:
                return phase_id
        return cutoffs[-1][0]

    interviews["round"] = [round_of(d) for d in interviews["date"]]
    segments = frames["segments"].copy()
    segments["quote"] = segments["quote"].fillna("")
    segments["quote_approved"] = segments["quote_approved"].astype(bool)
    observations = to_datetime(frames["observations"], "date")
    observations["value"] = observations["value"].astype(float)
    milestones = to_datetime(frames["milestones"], "due_date", "completed_date")
    assessments = frames["assessments"].copy()
    assessments["gas_score"] = pd.array(assessments["gas_score"], dtype="Int64")

    cutoff = None
    if phase is not None:
        cutoff = programme.cutoffs[phase]
        limit = pd.Timestamp(cutoff)
        responses = responses[responses["response_date"] <= limit]
        population = population[population["wave"] <= cutoff.year]
        interviews = interviews[interviews["date"] <= limit]
        segments = segments[segments["interview_id"].isin(interviews["interview_id"])]
        observations = observations[observations["date"] <= limit]
        milestones = milestones.copy()
        milestones.loc[milestones["completed_date"] > limit, "completed_date"] = pd.NaT
        later = list(programme.cutoffs)[list(programme.cutoffs).index(phase) + 1:]
        assessments = assessments[~assessments["phase"].isin(later)]
        narratives = {k: v for k, v in narratives.items() if k[1] not in later}

    input_files = tuple(data_dir / f for f in FILES.values()) + tuple(narrative_files)
    return EvaluationData(
        data_dir=data_dir, phase=phase, cutoff=cutoff, programme=programme,
        items=items.reset_index(drop=True), scales=scales.reset_index(drop=True),
        responses=responses.reset_index(drop=True), population=population.reset_index(drop=True),
        interviews=interviews.reset_index(drop=True), segments=segments.reset_index(drop=True),
        codebook=frames["codebook"].reset_index(drop=True),
        observations=observations.reset_index(drop=True), milestones=milestones.reset_index(drop=True),
        assessments=assessments.reset_index(drop=True), narratives=narratives,
        input_files=input_files,
    )
