"""Converting one export table to contract responses, collecting every problem before raising.

:func:`convert_table` checks the export's header against the mapping, plans each item column
(its code set, the don't-know code, the contract scale), checks the code sets, and converts row
by row; every problem is located as ``FILE:ROW:COLUMN`` (capped at 100 per run).
:func:`evaluation.importers.responses.import_survey` reads the export and calls it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from dataclasses import dataclass

import pandas as pd

from evaluation.contract.vocabulary import ID_PATTERN, OPAQUE_ID_PATTERN
from evaluation.errors import DataContractError, DataProblem
from evaluation.importers.mapping import (
    DONT_KNOW,
    MISSING,
    ItemMapping,
    SurveyMapping,
    code_key,
)
from evaluation.importers.readers import DONT_KNOW_LABEL, SourceTable, column_letter


_NETTSKJEMA_DEFAULTS = {"respondent_id": "$submission_id", "response_date": "$created"}
_MAX_PROBLEMS = 100
_ISO_DATE = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?)?")
_NB_DATE = re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})(?:[ T]+\d{1,2}[:.]\d{2}(?:[:.]\d{2})?)?")


@dataclass(frozen=True)
class ItemInfo:
    """An item's contract scale: its id, lowest and highest level, and don't-know code."""

    scale: str | None
    low: int | None
    high: int | None
    dont_know: int | None


def item_info(items: pd.DataFrame | None) -> dict[str, ItemInfo] | None:
    """Item id to :class:`ItemInfo` from the contract's items frame (``None`` without one)."""
    if items is None:
        return None
    if not isinstance(items, pd.DataFrame) or "item_id" not in items.columns:
        raise ValueError("items must be the contract's items frame, with an item_id column "
                         "(and scale_min, scale_max, dont_know_code as load_data derives them)")

    def number(row: dict, column: str) -> int | None:
        value = row.get(column)
        if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
            return None
        return int(value)

    info: dict[str, ItemInfo] = {}
    for row in items.to_dict("records"):
        scale = row.get("scale")
        info[str(row["item_id"])] = ItemInfo(
            None if scale is None or (isinstance(scale, float) and math.isnan(scale)) else str(scale),
            number(row, "scale_min"), number(row, "scale_max"), number(row, "dont_know_code"))
    return info


def shown(value: object) -> str:
    """A cell value for a message: quoted and shortened."""
    text = str(value)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _cell_code(value: object, decimal: str) -> tuple[str, str]:
    """Canonical code of a data cell and its kind: number, fraction, separator or text."""
    if isinstance(value, bool):
        return str(value), "text"
    if isinstance(value, int):
        return str(value), "number"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value)), "number"
        return repr(value), "fraction"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat(), "text"
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return str(int(text)), "number"
    other = "," if decimal == "." else "."
    if re.fullmatch(rf"[+-]?\d+{re.escape(decimal)}\d+", text):
        number = float(text.replace(",", "."))
        return (str(int(number)), "number") if number.is_integer() else (text, "fraction")
    if re.fullmatch(rf"[+-]?\d+{re.escape(other)}\d+", text):
        return text, "separator"
    return text, "text"


def _parse_date(value: object, date_format: str | None) -> tuple[dt.date | None, str, str]:
    """``(date, problem, expected)``; ``problem`` is empty when the value is a date."""
    expected = ("a date such as 2022-10-14 or 14.10.2022, or the export's form given in "
                "source.date_format")
    if isinstance(value, dt.datetime):
        return value.date(), "", ""
    if isinstance(value, dt.date):
        return value, "", ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, f"{shown(value)} is a number, not a date", "a date cell or a date written as text"
    text = str(value).strip()
    if date_format:
        try:
            return dt.datetime.strptime(text, date_format).date(), "", ""
        except ValueError:
            return None, f"{shown(text)} does not have the form {date_format!r}", \
                f"dates written as {date_format!r} (source.date_format)"
    for pattern, order in ((_ISO_DATE, "ymd"), (_NB_DATE, "dmy")):
        match = pattern.fullmatch(text)
        if match:
            first, second, third = (int(g) for g in match.groups())
            year, month, day = (first, second, third) if order == "ymd" else (third, second, first)
            try:
                return dt.date(year, month, day), "", ""
            except ValueError:
                return None, f"{shown(text)} is an impossible date", "a date that exists"
    return None, f"{shown(text)} is not a date in a form that can be read safely", expected


def _column_name(table: SourceTable, position: int) -> str:
    return f"column {column_letter(position + 1)}" if table.sheet else f"field {position + 1}"


@dataclass(frozen=True)
class _PlannedItem:
    """One item column as it will be converted."""

    entry: ItemMapping
    position: int
    code_set: str
    codes: dict[str, object]
    dont_know: int | None
    info: ItemInfo | None


class _Conversion:
    """The conversion of one export table; collects every problem before raising."""

    def __init__(self, table: SourceTable, spec: SurveyMapping, *, fmt: str, wave: int,
                 info: dict[str, ItemInfo] | None):
        self.table, self.spec, self.fmt, self.wave, self.info = table, spec, fmt, wave, info
        self.problems: list[DataProblem] = []
        self.header_row = None if table.case_numbers else 1
        self.positions: dict[str, int] = {}
        self.columns: dict[str, str] = dict(spec.columns)
        self.sources: dict[str, int | None] = {}
        self.plan: list[_PlannedItem] = []

    def raise_if_problems(self) -> None:
        if self.problems:
            raise DataContractError(_capped(self.problems))

    # --- the header -----------------------------------------------------------------------

    def check_header(self) -> None:
        """Name every column once; refuse group titles over the names (a two-row header)."""
        table = self.table
        if table.sheet and table.rows and table.rows[0][0] == 2:
            first = table.rows[0][1]
            for position, name in enumerate(table.header):
                if name == "" and isinstance(first[position], str):
                    raise DataContractError([_two_row_header(table, position, first[position])])
        for position, name in enumerate(table.header):
            if name == "":
                if any(cells[position] is not None for _, cells in table.rows):
                    self.problems.append(table.problem(
                        self.header_row, _column_name(table, position),
                        "a column without a name holds data",
                        "a name in the header row for every column"))
            elif name in self.positions:
                self.problems.append(table.problem(
                    self.header_row, name, "the column name appears twice", "unique column names"))
            else:
                self.positions[name] = position

    def locate(self, column: str, key_path: str) -> int | None:
        """Position of a source column the mapping names, or a problem at the export header."""
        if column in self.positions:
            return self.positions[column]
        available = ", ".join(repr(n) for n in self.table.header if n)
        if len(available) > 300:
            available = available[:297] + "..."
        self.problems.append(self.table.problem(
            self.header_row, column,
            f"column {column!r} named in the mapping ({self.spec.file}:{self.spec.line(key_path)}, "
            f"{key_path}) is not in the export", f"one of the export's columns: {available}"))
        return None

    def resolve_columns(self) -> None:
        """Where respondent id, date, pilot and agency come from: a column or a constant."""
        spec = self.spec
        if self.fmt == "nettskjema":
            for key, default in _NETTSKJEMA_DEFAULTS.items():
                if key not in self.columns and key not in spec.constants and default in self.positions:
                    self.columns[key] = default
        for key in ("respondent_id", "response_date", "pilot", "agency"):
            if key in self.columns:
                self.sources[key] = self.locate(self.columns[key], f"columns.{key}")
            elif key in spec.constants:
                self.sources[key] = None
            elif key != "respondent_id":
                self.problems.append(spec.problem(
                    "columns", f"the mapping gives no source for {key}",
                    f"columns.{key} (a column of the export) or constants.{key} (one value for all)"))

    # --- the items --------------------------------------------------------------------------

    def plan_items(self) -> None:
        """Each item's column, code set and contract scale."""
        spec, table, info = self.spec, self.table, self.info
        for entry in spec.items:
            path = f"items.{entry.source}"
            position = self.locate(entry.source, path)
            item = info.get(entry.item) if info is not None else None
            if info is not None and item is None:
                self.problems.append(spec.problem(
                    path, f"item {entry.item} is not in survey/items.csv",
                    "an item id of survey/items.csv"))
            name = entry.codes
            if name is None:
                if item is not None and item.scale in spec.code_sets:
                    name = item.scale
                elif "default" in spec.code_sets:
                    name = "default"
                elif len(spec.code_sets) == 1:
                    name = next(iter(spec.code_sets))
            if name is None or name not in spec.code_sets:
                self.problems.append(spec.problem(
                    path, f"no code set for {entry.source}",
                    "codes: <set> on the item, a code set named after the item's scale, or one "
                    "named default"))
                continue
            if entry.source in table.open_columns:
                self.problems.append(table.problem(
                    self.header_row, entry.source, "the column is an open (free-text) question in "
                    "the export's structure", "a closed question with answer codes"))
            dont_know = spec.dont_know_code
            if item is not None:
                if item.dont_know is not None and spec.dont_know_code is not None \
                        and item.dont_know != spec.dont_know_code:
                    self.problems.append(spec.problem(
                        "dont_know_code", f"dont_know_code {spec.dont_know_code} differs from the "
                        f"contract's don't-know code {item.dont_know} of {entry.item}",
                        "no dont_know_code when the contract items are given"))
                dont_know = item.dont_know
            if position is not None:
                self.plan.append(_PlannedItem(entry, position, name, spec.code_sets[name],
                                              dont_know, item))

    def check_code_sets(self) -> None:
        """Targets must exist on the item's scale; a don't-know code is never a scale level."""
        spec, table = self.spec, self.table
        reported: set[tuple] = set()

        def report(key: tuple, path: str, message: str, expected: str) -> None:
            if key not in reported:
                reported.add(key)
                self.problems.append(spec.problem(path, message, expected))

        for planned in self.plan:
            entry, name, item = planned.entry, planned.code_set, planned.info
            labels = table.value_labels.get(entry.source, {})
            spans = table.user_missing.get(entry.source, [])
            for code, target in planned.codes.items():
                path = f"codes.{name}.{code}"
                if target == DONT_KNOW and planned.dont_know is None:
                    if item is not None:
                        report((path, entry.item), path, f"code {code} is mapped to dont_know, but "
                               f"the scale of {entry.item} ({item.scale}) has no don't-know code",
                               "a don't-know code in survey/scales.csv, or the code mapped to missing")
                    else:
                        report((path,), path, f"code {code} is mapped to dont_know, but the "
                               "contract's don't-know code is unknown",
                               "dont_know_code: <code> in the mapping, or the contract items given")
                if not isinstance(target, int):
                    continue
                if item is not None and item.low is not None and item.high is not None \
                        and not item.low <= target <= item.high:
                    report((path, entry.item), path, f"code {code} is mapped to level {target}, "
                           f"outside the scale of {entry.item} ({item.low}–{item.high})",
                           f"a level from {item.low} to {item.high}, dont_know or missing")
                label = labels.get(code, "")
                if label and DONT_KNOW_LABEL.search(label):
                    report((path, "label"), path, f"code {code} of {entry.source} is labelled "
                           f"{label!r} in {table.label_file}, but is mapped to scale level {target}",
                           "dont_know: a don't-know answer is never a scale value")
                if re.fullmatch(r"[+-]?\d+", code) and any(lo <= int(code) <= hi for lo, hi in spans):
                    report((path, "user-missing"), path, f"code {code} of {entry.source} is declared "
                           f"user-missing in {table.label_file}, but is mapped to scale level {target}",
                           "dont_know or missing")

    def check_second_header_row(self) -> None:
        """Refuse a worksheet whose row 2 holds text (question texts) in every item column."""
        table = self.table
        if not (table.sheet and table.rows and table.rows[0][0] == 2 and len(self.plan) >= 2):
            return
        first = table.rows[0][1]
        texts = [(p.position, first[p.position]) for p in self.plan
                 if isinstance(first[p.position], str)
                 and _cell_code(first[p.position], table.decimal)[1] == "text"
                 and code_key(first[p.position]) not in p.codes]
        if len(texts) == len(self.plan):
            raise DataContractError([_two_row_header(table, *texts[0])])

    # --- the rows -----------------------------------------------------------------------------

    def respondent_id(self, line: int, cells: list, seen: dict[str, int]) -> str | None:
        if "respondent_id" not in self.sources:
            return None  # made by generated_id once the pilot is known
        column = self.columns["respondent_id"]
        identifier = _id_text(cells[self.sources["respondent_id"]])
        if identifier is None:
            self.problems.append(self.table.problem(line, column, "empty respondent id",
                                                    "an opaque id on every row"))
        elif not OPAQUE_ID_PATTERN.match(identifier):
            self.problems.append(self.table.problem(
                line, column, "the respondent id is not an opaque id (it has spaces, '@' or "
                "other signs, as a name or an e-mail address would)",
                "letters, digits, '.', '_' or '-' only, such as the tool's submission number"))
        elif identifier in seen:
            self.problems.append(self.table.problem(
                line, column, f"the respondent id appears again (first on line {seen[identifier]})",
                "each respondent once per wave"))
        else:
            seen[identifier] = line
        return identifier

    def generated_id(self, line: int, cells: list, pilot: object) -> str:
        """``r<wave>-<pilot>-<hash>`` for an export without ids: the same for the same export row
        on every import, and unable to collide with the ids of another pilot's export."""
        text = "\x1f".join([str(line), *("" if cell is None else str(cell) for cell in cells)])
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        return f"r{self.wave}-{pilot or 'unknown'}-{digest}"

    def response_date(self, line: int, cells: list) -> dt.date | None:
        if self.sources.get("response_date") is None:
            return self.spec.constants.get("response_date")
        column = self.columns["response_date"]
        value = cells[self.sources["response_date"]]
        if value is None:
            date, message, expected = None, "empty response date", "the date of the answer"
        else:
            date, message, expected = _parse_date(value, self.spec.date_format)
        if message:
            self.problems.append(self.table.problem(line, column, message, expected))
        elif date.year != self.wave:
            self.problems.append(self.table.problem(
                line, column, f"the response date {date.isoformat()} is not in wave {self.wave}",
                f"a date in {self.wave} (or the right --wave)"))
        return date

    def group_id(self, key: str, line: int, cells: list) -> str | None:
        """The pilot or agency of a row, recoded into a contract id."""
        if key in self.spec.constants:
            return self.spec.constants[key]
        position = self.sources.get(key)
        if position is None:
            return None
        value, column = cells[position], self.columns[key]
        if value is None:
            self.problems.append(self.table.problem(line, column, f"empty {key}",
                                                    f"the respondent's {key}"))
            return None
        text = _cell_code(value, self.table.decimal)[0]
        recode = self.spec.values.get(key)
        if recode is not None:
            if text not in recode:
                self.problems.append(self.table.problem(
                    line, column,
                    f"{key} value {shown(text)} is not under values.{key} in the mapping",
                    "one of " + ", ".join(repr(k) for k in recode)))
                return None
            return recode[text]
        if not ID_PATTERN.match(text):
            self.problems.append(self.table.problem(
                line, column, f"{shown(text)} is not a {key} id",
                f"a lower-case contract id, or values.{key} in the mapping to recode the "
                "export's values"))
            return None
        return text

    def item_code(self, planned: _PlannedItem, line: int, value: object) -> object:
        """The contract code of one answer: a level, the don't-know code or <NA>."""
        table, source = self.table, planned.entry.source
        if value is None:
            return pd.NA
        key, kind = _cell_code(value, table.decimal)
        problem = None
        declared = table.declared_codes.get(source)
        if kind == "fraction":
            problem = (f"{shown(value)} is not a whole-number code", "a whole-number answer code")
        elif kind == "separator":
            written = "comma" if table.decimal == "." else "point"
            problem = (f"{shown(value)} uses a decimal {written}, but the decimal separator "
                       f"is {table.decimal!r}",
                       "one whole-number code per cell (set source.decimal in the mapping if the "
                       "export writes decimal commas)")
        elif declared is not None and kind == "number" and key not in declared:
            problem = (f"code {key} is not a code of {source} in {table.label_file}",
                       "one of the declared codes " + ", ".join(sorted(declared, key=_sort_key)))
        elif key not in planned.codes:
            if kind == "text" and all(re.fullmatch(r"[+-]?\d+", k) for k in planned.codes):
                problem = (f"text in a code column: {shown(value)}",
                           "a numeric answer code (" + ", ".join(sorted(planned.codes, key=_sort_key))
                           + "); export the answers as codes, not texts")
            else:
                problem = (f"code {shown(key)} is not mapped",
                           f"a line {key}: <level, dont_know or missing> under "
                           f"codes.{planned.code_set} in {self.spec.file} "
                           f"(line {self.spec.line(f'codes.{planned.code_set}')})")
        if problem is not None:
            self.problems.append(table.problem(line, source, *problem))
            return pd.NA
        target = planned.codes[key]
        if target == DONT_KNOW:
            return planned.dont_know
        if target == MISSING:
            return pd.NA
        return target

    def rows(self) -> tuple[list[dict], list[int]]:
        """Convert every row; rows without an answer to any mapped item are left out."""
        records: list[dict] = []
        dropped: list[int] = []
        seen: dict[str, int] = {}
        for line, cells in self.table.rows:
            if all(cells[p.position] is None for p in self.plan):
                dropped.append(line)
                continue
            record: dict[str, object] = {
                "respondent_id": self.respondent_id(line, cells, seen),
                "wave": self.wave,
                "response_date": self.response_date(line, cells),
                "pilot": self.group_id("pilot", line, cells),
                "agency": self.group_id("agency", line, cells),
            }
            if "respondent_id" not in self.sources:
                record["respondent_id"] = self.generated_id(line, cells, record["pilot"])
            for planned in self.plan:
                record[planned.entry.item] = self.item_code(planned, line, cells[planned.position])
            records.append(record)
            if len(self.problems) > _MAX_PROBLEMS:
                break
        return records, dropped


def convert_table(table: SourceTable, spec: SurveyMapping, *, fmt: str, wave: int,
                  info: dict[str, ItemInfo] | None, has_codebook: bool) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Convert an export table with its mapping; return the responses frame and the warnings.

    Raises
    ------
    DataContractError
        With every problem found (at most 100 shown), after each stage that can find some.
    """
    conversion = _Conversion(table, spec, fmt=fmt, wave=wave, info=info)
    conversion.check_header()
    conversion.resolve_columns()
    conversion.plan_items()
    conversion.raise_if_problems()
    conversion.check_code_sets()
    conversion.raise_if_problems()
    conversion.check_second_header_row()
    records, dropped = conversion.rows()
    conversion.raise_if_problems()
    if not records:
        raise DataContractError([DataProblem(
            table.file, None, None, "the export has no respondent who answered a mapped item"
            + (f" ({len(dropped)} row(s) without answers)" if dropped else " (no data rows)"),
            "at least one respondent: is this the right export, and the right mapping?")])

    warnings: list[str] = []
    if dropped:
        shown = ", ".join(str(n) for n in dropped[:10]) + (" ..." if len(dropped) > 10 else "")
        noun = "case" if table.case_numbers else "line"
        warnings.append(f"{len(dropped)} row(s) of {table.file} without an answer to any mapped "
                        f"item were left out ({noun}s {shown})")
    if "respondent_id" not in conversion.sources:
        warnings.append("the mapping names no respondent id column; ids were made from the wave, "
                        "the pilot and a hash of the row (r<wave>-<pilot>-<hash>)")
    if fmt == "nettskjema" and not has_codebook:
        warnings.append("no Nettskjema codebook was given; codes were checked against the "
                        "mapping only")
    mapped = [planned.entry.item for planned in conversion.plan]
    order = list(info) if info is not None else mapped
    unmapped = [item for item in order if item not in mapped]
    if unmapped:
        warnings.append(f"{len(unmapped)} item(s) not in the mapping have empty columns: "
                        + ", ".join(unmapped))
    return _frame(records, order), tuple(warnings)


def _frame(records: list[dict], order: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame({
        "respondent_id": pd.Series([r["respondent_id"] for r in records], dtype=object).astype(str),
        "wave": pd.Series([r["wave"] for r in records], dtype="int64"),
        "response_date": pd.to_datetime(pd.Series([r.get("response_date") for r in records],
                                                  dtype=object)).astype("datetime64[ns]"),
        "pilot": pd.Series([r.get("pilot") for r in records], dtype=object).astype(str),
        "agency": pd.Series([r.get("agency") for r in records], dtype=object).astype(str),
    })
    for item in order:
        frame[item] = pd.array([r.get(item, pd.NA) for r in records], dtype="Int64")
    return frame


def _id_text(value: object) -> str | None:
    """A respondent id as text; whole numbers without decimals, leading zeros of text kept."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _sort_key(code: str) -> tuple:
    return (0, int(code), "") if re.fullmatch(r"[+-]?\d+", code) else (1, 0, code)


def _two_row_header(table: SourceTable, position: int, value: object) -> DataProblem:
    name = table.header[position] or _column_name(table, position)
    return table.problem(
        2, name, f"the sheet seems to have a two-row header: row 2 holds {shown(value)} where "
        "the first respondent's answers are expected",
        "one header row: the column names on row 1 and the first respondent on row 2 (delete "
        "the second header row, or merge it into the first)")


def _capped(problems: list[DataProblem]) -> list[DataProblem]:
    if len(problems) <= _MAX_PROBLEMS:
        return problems
    rest = len(problems) - _MAX_PROBLEMS
    last = problems[_MAX_PROBLEMS - 1]
    return problems[:_MAX_PROBLEMS] + [DataProblem(
        last.file, None, None, f"... and {rest} more problem(s) not shown", "")]
