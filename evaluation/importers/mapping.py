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

import yaml

from evaluation.contract.vocabulary import ID_PATTERN, ITEM_ID_PATTERN
from evaluation.errors import DataContractError, DataProblem

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


class _Located(dict):
    """A YAML mapping that remembers the line of each of its keys."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[object, int] = {}


class _LineLoader(yaml.SafeLoader):
    """Safe YAML loader whose mappings are :class:`_Located` and refuse duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _Located:
    loader.flatten_mapping(node)
    result = _Located()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "a key must be a plain value", key_node.start_mark) from None
        if key in result:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {result.key_lines[key]})",
                key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.key_lines[key] = line
    return result


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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


def _load_yaml(text: str, file: str) -> object:
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or str(error)
        raise DataContractError.single(
            file, line, None, f"YAML syntax error: {what}",
            "valid YAML (check indentation, colons and quotes)") from None
    except yaml.YAMLError as error:
        raise DataContractError.single(file, None, None, f"YAML error: {error}", "valid YAML") from None


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
        if not path.is_file():
            raise DataContractError.single(name, None, None, "mapping file is missing",
                                           "a YAML mapping file (see the import documentation)")
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise DataContractError.single(
                name, line, None,
                f"byte 0x{raw[error.start]:02x} at byte offset {error.start} is not UTF-8",
                "a mapping file saved as UTF-8") from None
        data = _load_yaml(text, name)
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


class _MappingParser:
    """The checks of one mapping file's sections; collects problems at their YAML lines.

    Parameters
    ----------
    data : object
        The parsed YAML (with key lines, see :class:`_Located`).
    file : str
        The mapping file's name, for messages.
    """

    def __init__(self, data: object, file: str):
        self.data = data
        self.file = file
        self.problems: list[DataProblem] = []
        self.lines: dict[str, int] = {}
        self._record(data, "")

    def _record(self, node: object, path: str) -> None:
        if isinstance(node, _Located):
            if path and path not in self.lines:
                self.lines[path] = node.line
            for key, line in node.key_lines.items():
                child = f"{path}.{key}" if path else str(key)
                self.lines[child] = line
                self._record(node[key], child)

    def add(self, path: str, message: str, expected: str = "") -> None:
        """Record a problem at the line of key path ``path`` (or of its nearest ancestor)."""
        line = None
        probe = path
        while probe:
            if probe in self.lines:
                line = self.lines[probe]
                break
            probe = probe.rpartition(".")[0]
        self.problems.append(DataProblem(self.file, line, path or None, message, expected))

    def section(self, key: str, allowed: tuple[str, ...] | None = None) -> dict:
        """A top-level mapping (empty when absent); unknown sub-keys are problems."""
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(key, f"{key} is not a mapping", f"{key}: followed by indented key: value lines")
            return {}
        if allowed is not None:
            for sub in value:
                if sub not in allowed:
                    self.add(f"{key}.{sub}", f"unknown key {sub!r} in {key}", "one of " + ", ".join(allowed))
        return value

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
