"""The rules of ``programme.yaml``, as tables, and the small walker that checks them.

A *catalogue* is a list of entries with unique ids (``pilots``, ``phases``, a pilot's
``sub_goals`` …); a :class:`Field` says how one key of an entry is checked. :class:`Walk` applies
both and records every problem at the entry's YAML line with its key path
(``programme.yaml:12:pilots[0].sub_goals[1].national_goals[0]``). The few rules that span
several keys or sections (target against baseline, a sub-goal linked to no national goal, the
results chain) are named functions that run in the same sequence as the fields.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from collections.abc import Callable, Sequence

from evaluation.contract.problems import ProblemLog
from evaluation.contract.vocabulary import (
    CHAIN_STAGES, DIRECTIONS, ID_PATTERN, MUNICIPALITY_NUMBER_PATTERN, NATIONAL_GOAL_ID_PATTERN,
    RESERVED_PILOT_IDS,
)


@dataclass(frozen=True)
class Field:
    """How one key of a ``programme.yaml`` entry is checked.

    Attributes
    ----------
    key : str
        The key in the entry.
    kind : str
        ``text`` (a required, non-empty string), ``optional_text`` (the same, or absent),
        ``pattern`` (a string matching ``pattern``), ``choice`` (one of ``allowed``), ``refs`` (a
        list of ids, each one of ``allowed``), ``date`` (an ISO date without a time of day),
        ``year`` (an integer in :data:`YEARS`), ``number`` (a finite number) or ``mapping`` (a
        nested mapping checked with ``fields``).
    noun : str
        The word for the value in a message (``unknown {noun} 'x'``, ``'x' is not a {noun}``).
    expected : str
        What is expected; for ``choice``, ``{allowed}`` is replaced by the allowed values and
        ``{owner}`` by the id of the pilot being checked.
    allowed : str or tuple, optional
        The allowed values, or the name of a catalogue the walk knows (``national_goals``).
    pattern : re.Pattern, optional
        For ``pattern``.
    fields : tuple of Field
        For ``mapping``.
    at_entry : bool
        Report the problem at the entry's line rather than the key's.
    stop : bool
        When this key is invalid, check no further keys of the entry.
    optional : bool
        An absent key is valid (its value is ``None``); a present one is checked.
    """

    key: str
    kind: str
    noun: str = ""
    expected: str = ""
    allowed: str | tuple | None = None
    pattern: re.Pattern | None = None
    fields: tuple = ()
    at_entry: bool = False
    stop: bool = False
    optional: bool = False


@dataclass(frozen=True)
class Entry:
    """One entry of a catalogue that has an id: the id as text, its key path, its YAML mapping."""

    id: str
    path: str
    data: dict


Check = Callable[["Walk", Entry, dict], None]
"""A rule across the keys of an entry: ``check(walk, entry, values)``."""


@dataclass(frozen=True)
class Catalogue:
    """A list of entries with unique ids, and the rules of each entry.

    Attributes
    ----------
    key : str
        The key of the list (``pilots``; ``sub_goals`` within a pilot).
    noun : str
        What an entry is, in messages (``pilot``, ``sub-goal``).
    pattern : re.Pattern
        What an id must look like.
    rules : tuple of Field or Check
        Checked on every entry, in order.
    required : bool
        An absent or empty list is a problem; when false, it is simply empty.
    unique_in_programme : bool
        For lists within a pilot: an id must not be used again anywhere in the programme.
    clash : str
        The message when such an id is used again; ``{id!r}`` is the id.
    """

    key: str
    noun: str
    pattern: re.Pattern = ID_PATTERN
    rules: tuple = ()
    required: bool = True
    unique_in_programme: bool = False
    clash: str = ""


# --------------------------------------------------------------------------------------------
# Rules that span several keys
# --------------------------------------------------------------------------------------------


def check_target_against_baseline(walk: Walk, entry: Entry, values: dict) -> None:
    """An indicator's target differs from its baseline, lies in its direction, and comes later."""
    (bv, by), (tv, ty) = _value_year(values.get("baseline")), _value_year(values.get("target"))
    direction = values.get("direction")
    path = entry.path
    if bv is not None and tv is not None:
        if bv == tv:
            walk.add(f"{path}.target.value", f"{path}.target.value",
                     f"the target equals the baseline ({tv})", "a target different from the baseline")
        elif direction in DIRECTIONS and (tv > bv) != (direction == "increase"):
            walk.add(f"{path}.target.value", f"{path}.target.value",
                     f"target {tv} lies against the direction {direction!r} from baseline {bv}",
                     f"a target {'above' if direction == 'increase' else 'below'} the baseline")
    if by is not None and ty is not None and ty <= by:
        walk.add(f"{path}.target.year", f"{path}.target.year",
                 f"target year {ty} is not after baseline year {by}", "a target year after the baseline year")


def _value_year(values: dict | None) -> tuple:
    """``(value, year)`` of a checked ``{value, year}`` mapping; ``(None, None)`` when missing."""
    if values is None:
        return None, None
    return values.get("value"), values.get("year")


def check_linked_to_national_goal(walk: Walk, entry: Entry, values: dict) -> None:
    """A sub-goal names at least one national goal."""
    if not entry.data.get("national_goals"):
        walk.add(entry.path, f"{entry.path}.national_goals", "the sub-goal is linked to no national goal",
                 "at least one of " + ", ".join(walk.known["national_goals"]))


def check_history_fields(walk: Walk, entry: Entry, values: dict) -> None:
    """An entry's period is in order; an entry that ends or is replaced has an end date and a
    reason (``reason_nb``), and a replaced one lists its successors."""
    start, end = values.get("valid_from"), values.get("valid_to")
    path = entry.path
    if start is not None and end is not None and end < start:
        walk.add(f"{path}.valid_to", f"{path}.valid_to", f"valid_to {end} is before valid_from {start}",
                 "a valid_to on or after valid_from")
    if values.get("replaced_by") and end is None:
        walk.add(path, f"{path}.valid_to", "missing: a replaced sub-goal or indicator needs the last day it applied",
                 "valid_to, an ISO date")
    if (end is not None or values.get("replaced_by")) and not entry.data.get("reason_nb"):
        walk.add(path, f"{path}.reason_nb", "missing: a goal that ends or is replaced needs a reason",
                 "reason_nb (and reason_en): why the steering group changed it")


def check_results_chain(walk: Walk, pilot: Entry) -> tuple[list[dict], list[dict]]:
    """Check a pilot's results chain; return its element rows and link rows.

    Every stage is one of :data:`~evaluation.contract.vocabulary.CHAIN_STAGES`; every element
    has a ``text_nb`` and links only to the pilot's sub-goals and to national goals.
    """
    path = pilot.path
    chain = pilot.data.get("results_chain") or {}
    if not isinstance(chain, dict) or not chain:
        walk.add(path, f"{path}.results_chain", "missing", "a results chain with " + ", ".join(CHAIN_STAGES))
        chain = {}
    for stage in chain:
        if stage not in CHAIN_STAGES:
            walk.add(f"{path}.results_chain.{stage}", f"{path}.results_chain.{stage}",
                     f"unknown stage {stage!r}", "one of " + ", ".join(CHAIN_STAGES))
    elements, links = [], []
    for stage in CHAIN_STAGES:
        stage_elements = chain.get(stage) or []
        if not isinstance(stage_elements, list):
            walk.add(f"{path}.results_chain.{stage}", f"{path}.results_chain.{stage}",
                     f"{stage_elements!r} is not a list", "a list of elements, each with a text_nb")
            continue
        for position, element in enumerate(stage_elements):
            epath = f"{path}.results_chain.{stage}[{position}]"
            if not isinstance(element, dict) or not element.get("text_nb"):
                walk.add(epath, f"{epath}.text_nb", "missing", "a text_nb for the element")
                continue
            if not isinstance(element["text_nb"], str):
                walk.add(f"{epath}.text_nb", f"{epath}.text_nb", f"{element['text_nb']!r} is not a text",
                         TEXT_EXPECTED)
                continue
            elements.append({"pilot": pilot.id, "stage": stage, "position": position,
                             "text_nb": element["text_nb"],
                             "text_en": element.get("text_en") or element["text_nb"]})
            values, _ = walk.entry(element, epath, CHAIN_LINK_FIELDS)
            links += [{"pilot": pilot.id, "stage": stage, "position": position, "kind": kind, "target": target}
                      for kind, key in (("sub_goal", "sub_goals"), ("national_goal", "national_goals"))
                      for target in values[key]]
    return elements, links


# --------------------------------------------------------------------------------------------
# The sections of programme.yaml
# --------------------------------------------------------------------------------------------

_MEASURE = (Field("value", "number", noun="number", expected="a number"),
            Field("year", "year", noun="year", expected="an integer year such as 2021"))
"""The keys of an indicator's ``baseline`` and ``target``."""

CHAIN_LINK_FIELDS = (
    Field("text_en", "optional_text"),
    Field("sub_goals", "refs", noun="sub-goal", allowed="sub_goals"),
    Field("national_goals", "refs", noun="national-goal", allowed="national_goals"),
)
"""What a results-chain element links to (the pilot's sub-goals, national goals)."""

YEARS = (1900, 2100)
"""The years a wave, baseline or target may have (a typo such as ``202`` is not a year)."""

TEXT_EXPECTED = "a text (put it in quotes if it looks like a number, a date, true/false or a list)"
"""What a text field expects: YAML reads ``2024``, ``2024-01-01``, ``yes`` or ``[a]`` as other types."""


def _texts(*keys: str, required: str = "") -> tuple[Field, ...]:
    """Text fields of an entry: ``required`` must be there, the others may be left out."""
    return tuple(Field(key, "text" if key == required else "optional_text") for key in keys)


NATIONAL_GOALS = Catalogue("national_goals", "national goal", NATIONAL_GOAL_ID_PATTERN,
                           rules=_texts("text_nb", "text_en", required="text_nb"))
PROGRAMME_NAMES = _texts("name_nb", "name_en")
"""The keys of ``programme`` (the programme's names)."""


_DATE = "an ISO date such as 2023-03-01"
HISTORY_FIELDS = (
    Field("valid_from", "date", noun="date", expected=_DATE, optional=True),
    Field("valid_to", "date", noun="date", expected=_DATE, optional=True),
    Field("approved", "date", noun="date", expected=_DATE, optional=True),
    Field("reason_nb", "text", expected="the reason for the change, in bokmål", optional=True),
    Field("reason_en", "text", expected="the reason for the change, in English", optional=True),
)
"""The optional history keys of a sub-goal or an indicator (:mod:`evaluation.contract.goal_history`)."""


def check_phase_name(walk: Walk, entry: Entry, values: dict) -> None:
    """A phase has a name in both languages (``name_nb``, ``name_en``), unless the translation
    table names it already (``phase.midterm``, ``phase.final``): reports are titled by it."""
    from evaluation.i18n import translation_table

    given = {key: entry.data.get(key) for key in ("name_nb", "name_en")}
    for key, value in given.items():
        if value is not None and (not isinstance(value, str) or not value.strip()):
            walk.add(f"{entry.path}.{key}", f"{entry.path}.{key}", f"{value!r} is not a name",
                     "the phase's name as a report title shows it")
    present = [key for key, value in given.items() if value is not None]
    if len(present) == 1:
        missing = "name_en" if present == ["name_nb"] else "name_nb"
        walk.add(entry.path, f"{entry.path}.{missing}", "missing", "the phase's name in both languages")
    elif not present and f"phase.{entry.id}" not in translation_table():
        walk.add(entry.path, f"{entry.path}.name_nb", f"phase {entry.id!r} has no name",
                 "name_nb and name_en: the phase's name as a report title shows it")


PHASES = Catalogue("phases", "phase", rules=(
    Field("cutoff", "date", noun="date", expected="an ISO date such as 2022-12-31"),
    check_phase_name,
))
WAVE_FIELDS = (
    Field("id", "year", noun="wave year", expected="an integer year such as 2021", at_entry=True, stop=True),
    Field("role", "choice", noun="wave role", allowed="wave_roles", expected="one of {allowed}", stop=True),
)
"""The keys of a survey wave (``waves`` is a list without id rules: its ids are years)."""
SURVEY_INDICES = Catalogue("survey_indices", "survey index", rules=_texts("label_nb", "label_en"))
INTERVIEW_THEMES = Catalogue("interview_themes", "interview theme", rules=_texts("label_nb", "label_en"))
AGENCIES = Catalogue("agencies", "agency", rules=_texts("name_nb", "name_en"))

SUB_GOALS = Catalogue("sub_goals", "sub-goal", unique_in_programme=True,
                      clash="sub-goal id {id!r} is used by another pilot", rules=(
    *_texts("text_nb", "text_en", required="text_nb"),
    Field("national_goals", "refs", noun="national goal", allowed="national_goals"),
    Field("survey_indices", "refs", noun="survey index", allowed="survey_indices"),
    Field("interview_themes", "refs", noun="interview theme", allowed="interview_themes"),
    check_linked_to_national_goal,
    *HISTORY_FIELDS,
    Field("replaced_by", "list", noun="sub-goal id", expected="a list of sub-goal ids", optional=True),
    Field("drops_national_goals", "refs", noun="national goal", allowed="national_goals"),
    check_history_fields,
))
INDICATORS = Catalogue("indicators", "indicator", required=False, unique_in_programme=True,
                       clash="indicator id {id!r} is used twice", rules=(
    *_texts("name_nb", "name_en", "unit"),
    Field("direction", "choice", noun="direction", allowed=DIRECTIONS, expected="increase or decrease"),
    Field("baseline", "mapping", expected="{value: NUMBER, year: YEAR}", fields=_MEASURE),
    Field("target", "mapping", expected="{value: NUMBER, year: YEAR}", fields=_MEASURE),
    check_target_against_baseline,
    Field("sub_goal", "choice", noun="sub-goal", allowed="sub_goals", expected="a sub-goal of {owner}: {allowed}"),
    *HISTORY_FIELDS,
    Field("replaced_by", "list", noun="indicator id", expected="a list of indicator ids", optional=True),
    check_history_fields,
))
def check_pilot_id_not_reserved(walk: Walk, entry: Entry, values: dict) -> None:
    """A pilot id is not the name of another output of a render (its report would overwrite
    the synthesis, or sit beside the index as ``index.html``)."""
    if entry.id in RESERVED_PILOT_IDS:
        walk.add(f"{entry.path}.id", f"{entry.path}.id",
                 f"pilot id {entry.id!r} is the name of another report or page of a render",
                 "a pilot id other than " + ", ".join(RESERVED_PILOT_IDS))


PILOTS = Catalogue("pilots", "pilot", rules=(
    check_pilot_id_not_reserved,
    Field("name", "text"),
    Field("municipality_number", "pattern", noun="municipality number", pattern=MUNICIPALITY_NUMBER_PATTERN,
          expected="four digits, quoted, such as \"4649\""),
    Field("agencies", "refs", noun="agency", allowed="agencies"),
))
"""A pilot's own keys; its ``sub_goals``, ``indicators`` and ``results_chain`` follow them."""


# --------------------------------------------------------------------------------------------
# The walker
# --------------------------------------------------------------------------------------------


class Walk:
    """Checks ``programme.yaml`` against the tables above, recording problems with their lines.

    Parameters
    ----------
    log : ProblemLog
        Where problems go.
    lines : dict
        Key path to YAML line (:func:`~evaluation.contract.problems.yaml_line_index`).

    Attributes
    ----------
    known : dict
        Catalogue name to the ids defined so far (``national_goals``, ``agencies``, the current
        pilot's ``sub_goals`` …), which ``refs`` and ``choice`` fields look up.
    owner : str
        The id of the pilot being checked.
    """

    def __init__(self, log: ProblemLog, lines: dict[str, int]):
        self.log = log
        self.lines = lines
        self.known: dict[str, Sequence[str]] = {}
        self.owner = ""
        self._in_programme: dict[str, set[str]] = {}

    def line(self, path: str) -> int | None:
        """The line of a key path, or of its nearest ancestor that exists."""
        while path and path not in self.lines:
            path = path.rsplit(".", 1)[0] if "." in path else ""
        return self.lines.get(path)

    def add(self, at: str, column: str, message: str, expected: str) -> None:
        """Record a problem at the line of key path ``at``."""
        self.log.add(self.line(at), column, message, expected)

    def catalogue(self, entries: object, path: str, catalogue: Catalogue) -> list[Entry]:
        """Check a catalogue's ids (present, well-formed, unique); return its entries with ids."""
        out: list[Entry] = []
        seen: set[str] = set()
        if not isinstance(entries, list) or not entries:
            self.add(path, path, "missing or empty", f"a list of {catalogue.noun} entries")
            return out
        for position, data in enumerate(entries):
            here = f"{path}[{position}]"
            value = data.get("id") if isinstance(data, dict) else None
            if value is None:
                self.add(here, f"{here}.id", "missing id", f"a {catalogue.noun} id")
                continue
            value = str(value)
            if not catalogue.pattern.match(value):
                self.add(f"{here}.id", f"{here}.id", f"{value!r} is not a valid id",
                         "lower-case letters, digits, - and _")
            if value in seen:
                self.add(f"{here}.id", f"{here}.id", f"duplicate {catalogue.noun} id {value!r}", "each id once")
            seen.add(value)
            out.append(Entry(value, here, data))
        return out

    def entries(self, entries: object, path: str, catalogue: Catalogue) -> list[tuple[Entry, dict]]:
        """Check a catalogue and then every entry's rules; return each entry with its values."""
        if not catalogue.required and not entries:
            return []
        checked = []
        for entry in self.catalogue(entries, path, catalogue):
            if catalogue.unique_in_programme:
                self._check_unique_in_programme(entry, catalogue)
            values, _ = self.entry(entry.data, entry.path, catalogue.rules, entry)
            checked.append((entry, values))
        return checked

    def _check_unique_in_programme(self, entry: Entry, catalogue: Catalogue) -> None:
        used = self._in_programme.setdefault(catalogue.key, set())
        if entry.id in used:
            self.add(f"{entry.path}.id", f"{entry.path}.id", catalogue.clash.format(id=entry.id),
                     f"{catalogue.noun} ids unique across the programme")
        used.add(entry.id)

    def entry(self, data: object, path: str, rules: tuple, entry: Entry | None = None) -> tuple[dict, bool]:
        """Apply ``rules`` (fields and checks) to one mapping; return its values and whether all
        fields were valid. A field marked ``stop`` ends the walk of the entry when invalid."""
        values: dict = {}
        valid = True
        for rule in rules:
            if not isinstance(rule, Field):
                rule(self, entry, values)
                continue
            values[rule.key], ok = self.field(data, path, rule)
            valid = valid and ok
            if not ok and rule.stop:
                break
        return values, valid

    def field(self, data: object, path: str, rule: Field) -> tuple[object, bool]:
        """Check one key; return the value to use and whether it is valid."""
        full = f"{path}.{rule.key}"
        value = data.get(rule.key) if isinstance(data, dict) else None
        if rule.optional and value is None:
            return None, True
        return _FIELD_CHECKS[rule.kind](self, rule, value, path, full)

    def allowed(self, rule: Field) -> Sequence:
        """The values a ``choice`` or ``refs`` field allows."""
        return self.known[rule.allowed] if isinstance(rule.allowed, str) else rule.allowed


def _text(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if value is None:
        walk.add(path, full, "missing", rule.expected or f"a value for {rule.key}")
        return None, False
    if not isinstance(value, str) or not value.strip():
        walk.add(full, full, f"{value!r} is not a text", rule.expected or TEXT_EXPECTED)
        return None, False
    return value, True


def _optional_text(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if value is None:
        return None, True
    if not isinstance(value, str) or not value.strip():
        walk.add(full, full, f"{value!r} is not a text", rule.expected or TEXT_EXPECTED)
        return None, False
    return value, True


def _pattern(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if value is None or not rule.pattern.fullmatch(str(value)):
        walk.add(full, full, f"{value!r} is not a {rule.noun}", rule.expected)
        return str(value), False
    return str(value), True


def _choice(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    allowed = walk.allowed(rule)
    if value not in allowed:
        walk.add(full, full, f"unknown {rule.noun} {value!r}",
                 rule.expected.format(allowed=", ".join(allowed), owner=walk.owner))
        return value, False
    return value, True


def _refs(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    values = value or []
    if not isinstance(values, list):
        walk.add(full, full, f"{values!r} is not a list", f"a list of {rule.noun} ids")
        return [], False
    allowed = set(walk.allowed(rule))
    ok = True
    for position, item in enumerate(values):
        if str(item) not in allowed:
            ok = False
            walk.add(f"{full}[{position}]", f"{full}[{position}]", f"unknown {rule.noun} {item!r}",
                     f"one of {', '.join(sorted(allowed)) or '(none defined)'}")
    return [str(v) for v in values], ok


def _date(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if isinstance(value, dt.datetime) or (isinstance(value, str) and ("T" in value or ":" in value)):
        walk.add(full, full, f"{str(value)!r} has a time of day", rule.expected + ", without a time of day "
                 "(a cut-off covers the whole day)")
        return None, False
    date = value
    if isinstance(date, str):
        try:
            date = dt.date.fromisoformat(date)
        except ValueError:
            date = None
    if not isinstance(date, dt.date):
        walk.add(full, full, f"{value!r} is not a {rule.noun}", rule.expected)
        return None, False
    return date, True


def _year(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if not isinstance(value, int) or isinstance(value, bool) or not YEARS[0] <= value <= YEARS[1]:
        walk.add(path if rule.at_entry else full, full, f"{value!r} is not a {rule.noun}", rule.expected)
        return None, False
    return value, True


def _number(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        walk.add(full, full, f"{value!r} is not a {rule.noun}", rule.expected)
        return None, False
    return value, True


def _list(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if not isinstance(value, list) or not value:
        walk.add(full, full, f"{value!r} is not a list", rule.expected)
        return [], False
    return [str(v) for v in value], True


def _mapping(walk: Walk, rule: Field, value, path: str, full: str) -> tuple[object, bool]:
    if not isinstance(value, dict):
        walk.add(path, full, "missing", rule.expected)
        return None, False
    return walk.entry(value, full, rule.fields)


_FIELD_CHECKS = {"text": _text, "optional_text": _optional_text, "pattern": _pattern, "choice": _choice,
                 "refs": _refs, "date": _date, "year": _year, "number": _number, "mapping": _mapping,
                 "list": _list}
"""The check of each field kind: ``check(walk, rule, value, entry_path, key_path) -> (value, ok)``."""
