"""YAML files that remember the line of every key: what the importers' mapping files share.

A mapping file is small and written by hand, so a problem in it must point at the line to fix
(``MAPPING:LINE:KEY.PATH``). :func:`read_yaml_file` reads one with a safe loader whose mappings
remember their keys' lines and refuse duplicate keys; :class:`LocatedParser` collects problems at
those lines while a mapping's sections are checked.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from evaluation.errors import DataContractError, DataProblem


class Located(dict):
    """A YAML mapping that remembers the line of each of its keys."""

    line: int = 0

    def __init__(self) -> None:
        super().__init__()
        self.key_lines: dict[object, int] = {}


class LineLoader(yaml.SafeLoader):
    """Safe YAML loader whose mappings are :class:`Located` and refuse duplicate keys."""


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> Located:
    loader.flatten_mapping(node)
    result = Located()
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


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(text: str, file: str) -> object:
    """Parse YAML text with :class:`LineLoader`; a syntax error is located at its line."""
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        what = error.problem or str(error)
        raise DataContractError.single(
            file, line, None, f"YAML syntax error: {what}",
            "valid YAML (check indentation, colons and quotes)") from None
    except yaml.YAMLError as error:
        raise DataContractError.single(file, None, None, f"YAML error: {error}", "valid YAML") from None


def read_yaml_file(path: str | Path, *, what: str) -> object:
    """Read and parse a UTF-8 YAML file (``what`` names it in the message if it is missing)."""
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise DataContractError.single(name, None, None, "mapping file is missing", what)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise DataContractError.single(
            name, line, None, f"byte 0x{raw[error.start]:02x} at byte offset {error.start} is not UTF-8",
            "a mapping file saved as UTF-8") from None
    return load_yaml(text, name)


class LocatedParser:
    """Collects the problems of a parsed mapping at the YAML lines of their key paths.

    Parameters
    ----------
    data : object
        The parsed YAML (with key lines, see :class:`Located`).
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
        if isinstance(node, Located):
            if path and path not in self.lines:
                self.lines[path] = node.line
            for key, line in node.key_lines.items():
                child = f"{path}.{key}" if path else str(key)
                self.lines[child] = line
                self._record(node[key], child)

    def line(self, path: str) -> int | None:
        """The line of key path ``path``, or of its nearest ancestor that has one."""
        probe = path
        while probe:
            if probe in self.lines:
                return self.lines[probe]
            probe = probe.rpartition(".")[0]
        return None

    def add(self, path: str, message: str, expected: str = "") -> None:
        """Record a problem at the line of key path ``path`` (or of its nearest ancestor)."""
        self.problems.append(DataProblem(self.file, self.line(path), path or None, message, expected))

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


__all__ = ["LineLoader", "Located", "LocatedParser", "load_yaml", "read_yaml_file"]
