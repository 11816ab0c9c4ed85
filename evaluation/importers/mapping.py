"""The mapping file: how one survey export ties to ``survey/responses.csv``.

The format is documented in :mod:`evaluation.importers` (the package docstring); this module
reads it, checks its shape, and remembers the YAML line of every key so that a problem found
later (an unknown item, a code mapped to the wrong level) can point at the line to fix.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from evaluation.contract.vocabulary import ID_PATTERN, ITEM_ID_PATTERN
from evaluation.errors import DataContractError, DataProblem
from evaluation.importers.yaml_lines import LocatedParser, read_yaml_file

DONT_KNOW = "dont_know"
"""Code target: the answer is "vet ikke" (don't know)."""
MISSING = "missing"
"""Code target: the answer counts as not given (an empty cell in the contract)."""

_TOP_KEYS = ("description", "format", "source", "columns", "constants", "values",
             "dont_know_code", "codes", "items")
_SOURCE_KEYS = ("encoding", "delimiter", "decimal", "sheet", "codebook", "date_format")
_COLUMN_KEYS = ("respondent_id", "response_date", "pilot", "agency")
_CONSTANT_KEYS = ("pilot", "agency", "response_date")
_VALUE_KEYS = ("pilot", "agency")
_DELIMITER_WORDS = {"tab": "\t", "semicolon": ";", "comma": ",", "\\t": "\t"}


def code_key(value: object) -> str:
    """Return the canonical text of a source code as written in a mapping file.

    Whole numbers, whether YAML read them as ``4``, ``4.0`` or ``"4"``, become ``"4"``, so a
    mapping key matches the code however the export wrote it; other text is stripped.
    """
    if isinstance(value, bool):
        raise ValueError("a yes/no value is not a code; quote it")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    text = str(value).strip()
    if re.fullmatch(r"[+-]?\d+", text):
        return str(int(text))
    if re.fullmatch(r"[+-]?\d+\.0*", text):
        return str(int(float(text)))
    return text


@dataclass(frozen=True)
class ItemMapping:
    """One source column that becomes one contract item.

    Attributes
    ----------
    source : str
        Column of the export.
    item : str
        Contract item id (``Q01``).
    codes : str or None
        Name of the code set; ``None`` when the item uses the default set (resolved later).
    line : int
        Line of the entry in the mapping file.
    """

    source: str
    item: str
    codes: str | None
    line: int


@dataclass(frozen=True)
class SurveyMapping:
    """A parsed mapping file.

    Attributes
    ----------
    file : str
        Path of the mapping file (for messages); ``"<mapping>"`` for a mapping given as a dict.
    base_dir : Path
        Folder that relative paths in the mapping (``source.codebook``) are relative to.
    format : str or None
        Export format the mapping was written for, if it says so.
    encoding, delimiter, decimal, sheet, date_format : str or None
        Reading options of the ``source`` section.
    codebook : Path or None
        Nettskjema codebook, resolved against ``base_dir``.
    columns : dict
        Contract column -> source column (``respondent_id``, ``response_date``, ``pilot``,
        ``agency``).
    constants : dict
        Contract column -> one value for every row (``pilot``, ``agency``: ids;
        ``response_date``: a date).
    values : dict
        Contract column (``pilot``, ``agency``) -> {canonical source value: contract id}.
    dont_know_code : int or None
        Contract code of "vet ikke", used when no contract items are given.
    code_sets : dict
        Name -> {canonical source code: scale level (int), ``"dont_know"`` or ``"missing"``}.
    items : tuple of ItemMapping
        Item columns, in the order of the file.
    lines : dict
        Key path (``"codes.agree5.6"``) -> line of the mapping file.
    """

    file: str
    base_dir: Path
    format: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    decimal: str | None = None
    sheet: str | None = None
    codebook: Path | None = None
    date_format: str | None = None
    columns: dict[str, str] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    dont_know_code: int | None = None
    code_sets: dict[str, dict[str, object]] = field(default_factory=dict)
    items: tuple[ItemMapping, ...] = ()
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, path: str) -> int | None:
        """Line of a key path, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path.rpartition(".")[0]
        return None

    def problem(self, path: str, message: str, expected: str = "") -> DataProblem:
        """A problem located at a key path of this mapping file."""
        return DataProblem(self.file, self.line(path), path or None, message, expected)


def read_mapping(mapping: str | Path | dict, *, file: str | None = None) -> SurveyMapping:
    """Read and check a mapping file (or an already parsed mapping).

    Parameters
    ----------
    mapping : str, Path or dict
        Path of the YAML mapping file, or its content as a dict.
    file : str, optional
        Name to use in messages for a dict mapping.

    Returns
    -------
    SurveyMapping
        The mapping, with every key's line remembered.

    Raises
    ------
    DataContractError
        If the file is missing, is not valid YAML, or breaks the mapping format; every problem
        is located as ``MAPPING:LINE:KEY.PATH``.
    """
    if isinstance(mapping, dict):
        data = mapping
        name = file or "<mapping>"
        base_dir = Path.cwd()
    else:
        path = Path(mapping)
        name = str(path)
        base_dir = path.resolve().parent
        data = read_yaml_file(path, what="a YAML mapping file (see the import documentation)")
    return _parse(data, name, base_dir)


def _parse(data: object, file: str, base_dir: Path) -> SurveyMapping:
    """Check a mapping's parsed YAML section by section; every problem is raised at once."""
    parser = _MappingParser(data, file)
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataContractError.single(file, 1, None, "the mapping is not a YAML mapping",
                                       "keys such as columns:, codes: and items:")
    parser.data = data
    for key in data:
        if key not in _TOP_KEYS:
            parser.add(str(key), f"unknown key {key!r}", "one of " + ", ".join(_TOP_KEYS))
    fmt = data.get("format")
    if fmt is not None and not isinstance(fmt, str):
        parser.add("format", "format is not a text", "nettskjema, surveyxact, spss or excel")
        fmt = None
    options = parser.source_options(base_dir)
    columns = parser.columns()
    constants = parser.constants(columns)
    values = parser.values()
    dont_know_code = parser.dont_know_code()
    code_sets = parser.code_sets()
    items = parser.items(code_sets)
    if parser.problems:
        raise DataContractError(parser.problems)
    return SurveyMapping(
        file=file, base_dir=base_dir, format=fmt, **options, columns=columns, constants=constants,
        values=values, dont_know_code=dont_know_code, code_sets=code_sets, items=tuple(items),
        lines=parser.lines,
    )


class _MappingParser(LocatedParser):
    """The checks of one mapping file's sections; collects problems at their YAML lines.

    Parameters
    ----------
    data : object
        The parsed YAML (with key lines, see :class:`evaluation.importers.yaml_lines.Located`).
    file : str
        The mapping file's name, for messages.
    """

    def source_options(self, base_dir: Path) -> dict:
        """``source:``: encoding, delimiter, decimal, sheet, codebook and date format."""
        source = self.section("source", _SOURCE_KEYS)
        text_options: dict[str, str | None] = {}
        for key in ("encoding", "delimiter", "decimal", "sheet", "date_format", "codebook"):
            value = source.get(key)
            if value is not None and not isinstance(value, str):
                self.add(f"source.{key}", f"source.{key} is not a text", "a text (quote it)")
                value = None
            text_options[key] = value
        delimiter = text_options["delimiter"]
        if delimiter is not None:
            delimiter = _DELIMITER_WORDS.get(delimiter.lower(), delimiter)
            if len(delimiter) != 1:
                self.add("source.delimiter", f"delimiter {text_options['delimiter']!r} is not one character",
                         'one character such as ";" or ",", or the word tab')
                delimiter = None
        decimal = text_options["decimal"]
        if decimal is not None and decimal not in (",", "."):
            self.add("source.decimal", f"decimal separator {decimal!r} is not a comma or a point", '"," or "."')
            decimal = None
        encoding = text_options["encoding"]
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                self.add("source.encoding", f"unknown encoding {encoding!r}",
                         "an encoding name such as utf-8, cp1252 or utf-16")
                encoding = None
        codebook = Path(text_options["codebook"]) if text_options["codebook"] else None
        if codebook is not None and not codebook.is_absolute():
            codebook = base_dir / codebook
        return {"encoding": encoding, "delimiter": delimiter, "decimal": decimal, "sheet": text_options["sheet"],
                "codebook": codebook, "date_format": text_options["date_format"]}

    def columns(self) -> dict[str, str]:
        """``columns:``: contract column to source column."""
        columns: dict[str, str] = {}
        for key, value in self.section("columns", _COLUMN_KEYS).items():
            if key not in _COLUMN_KEYS:
                continue
            if value is None or isinstance(value, (bool, dict, list)):
                self.add(f"columns.{key}", f"columns.{key} does not name a source column",
                         "the name of a column of the export")
                continue
            columns[key] = str(value).strip()
        return columns

    def constants(self, columns: dict[str, str]) -> dict[str, object]:
        """``constants:``: one pilot, agency or response date for every row."""
        constants: dict[str, object] = {}
        for key, value in self.section("constants", _CONSTANT_KEYS).items():
            if key not in _CONSTANT_KEYS:
                continue
            path = f"constants.{key}"
            if key in columns:
                self.add(path, f"{key} is given both as a column and as a constant", "one of the two")
                continue
            if key == "response_date":
                value = _constant_date(value)
                if value is None:
                    self.add(path, "constants.response_date is not a date", "an ISO date such as 2022-10-14")
                    continue
            elif not isinstance(value, str) or not ID_PATTERN.match(value):
                self.add(path, f"{value!r} is not a contract id", "a lower-case id such as nav or stad")
                continue
            constants[key] = value
        return constants

    def values(self) -> dict[str, dict[str, str]]:
        """``values:``: source values recoded into pilot and agency ids."""
        values: dict[str, dict[str, str]] = {}
        for key, table in self.section("values", _VALUE_KEYS).items():
            if key not in _VALUE_KEYS:
                continue
            path = f"values.{key}"
            if not isinstance(table, dict):
                self.add(path, f"{path} is not a mapping", "source value: contract id lines")
                continue
            recoded: dict[str, str] = {}
            for source_value, target in table.items():
                sub = f"{path}.{source_value}"
                try:
                    canonical = code_key(source_value)
                except ValueError as error:
                    self.add(sub, str(error), "a source value")
                    continue
                if not isinstance(target, str) or not ID_PATTERN.match(target):
                    self.add(sub, f"{target!r} is not a contract id", f"a lower-case {key} id such as "
                             + ("stad" if key == "pilot" else "nav"))
                    continue
                if canonical in recoded:
                    self.add(sub, f"value {canonical} appears twice in {path}", "each source value once")
                    continue
                recoded[canonical] = target
            values[key] = recoded
        return values

    def dont_know_code(self) -> int | None:
        """``dont_know_code:``: the contract's don't-know code, when no contract items are given."""
        code = self.data.get("dont_know_code")
        if code is not None and (isinstance(code, bool) or not isinstance(code, int)):
            self.add("dont_know_code", f"{code!r} is not a whole number", "the contract's don't-know code, such as 9")
            return None
        return code

    def code_sets(self) -> dict[str, dict[str, object]]:
        """``codes:``: named code sets, source code to scale level, ``dont_know`` or ``missing``."""
        code_sets: dict[str, dict[str, object]] = {}
        for name, table in self.section("codes").items():
            path = f"codes.{name}"
            if not isinstance(table, dict) or not table:
                self.add(path, f"code set {name!r} is not a mapping of codes",
                         "source code: scale level, dont_know or missing lines")
                continue
            recoded: dict[str, object] = {}
            for source_code, target in table.items():
                sub = f"{path}.{source_code}"
                try:
                    canonical = code_key(source_code)
                except ValueError as error:
                    self.add(sub, str(error), "a source code")
                    continue
                if isinstance(target, str) and target.strip().lower() in (DONT_KNOW, MISSING):
                    target = target.strip().lower()
                elif isinstance(target, bool) or not isinstance(target, int):
                    self.add(sub, f"code {source_code!r} maps to {target!r}",
                             "a scale level (a whole number), dont_know or missing")
                    continue
                if canonical in recoded:
                    self.add(sub, f"code {canonical} appears twice in code set {name!r}", "each source code once")
                    continue
                recoded[canonical] = target
            code_sets[str(name)] = recoded
        return code_sets

    def items(self, code_sets: dict[str, dict[str, object]]) -> list[ItemMapping]:
        """``items:``: source column to item id (optionally with its code set)."""
        items: list[ItemMapping] = []
        raw_items = self.data.get("items")
        seen_items: dict[str, str] = {}
        if raw_items is None:
            self.add("items", "the mapping has no items", "items: with one source column: item id line per item")
        elif not isinstance(raw_items, dict) or not raw_items:
            self.add("items", "items is not a mapping of source columns to item ids",
                     "items: with one source column: item id line per item")
        else:
            for source_column, target in raw_items.items():
                item = self._item(source_column, target, code_sets, seen_items)
                if item is not None:
                    items.append(item)
        if raw_items is not None and not code_sets and "codes" not in self.data:
            self.add("codes", "the mapping has no code sets", "codes: with at least one code set")
        return items

    def _item(self, source_column: object, target: object, code_sets: dict,
              seen_items: dict[str, str]) -> ItemMapping | None:
        path = f"items.{source_column}"
        line = self.lines.get(path, 0)
        codes_name = None
        if isinstance(target, dict):
            unknown = [k for k in target if k not in ("item", "codes")]
            for k in unknown:
                self.add(f"{path}.{k}", f"unknown key {k!r}", "item and codes")
            codes_name = target.get("codes")
            target = target.get("item")
            if codes_name is not None and str(codes_name) not in code_sets:
                self.add(f"{path}.codes", f"code set {codes_name!r} is not defined under codes",
                         "the name of a code set under codes: ("
                         + ", ".join(code_sets) + ")" if code_sets else "a code set under codes:")
        if not isinstance(target, str) or not ITEM_ID_PATTERN.match(target):
            self.add(path, f"{target!r} is not an item id", "an item id of survey/items.csv such as Q01")
            return None
        if target in seen_items:
            self.add(path, f"item {target} is mapped from two columns "
                     f"({seen_items[target]} and {source_column})", "each item from one column")
            return None
        seen_items[target] = str(source_column)
        return ItemMapping(str(source_column).strip(), target, None if codes_name is None else str(codes_name), line)


def _constant_date(value: object) -> dt.date | None:
    """A constant response date (a YAML date or an ISO text), or ``None``."""
    if isinstance(value, dt.datetime):
        value = value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            value = None
    return value if isinstance(value, dt.date) else None


__all__ = ["DONT_KNOW", "MISSING", "ItemMapping", "SurveyMapping", "code_key", "read_mapping"]
