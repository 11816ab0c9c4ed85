"""Collecting the problems of one contract file, and reading YAML with its keys' lines.

Every check of the contract adds to one list of :class:`~evaluation.errors.DataProblem`, so that
validation reports all problems at once; a :class:`ProblemLog` fixes the file name for the checks
of one file. :func:`read_yaml` is how the contract reads a YAML file (``programme.yaml``, the
narratives): a syntax error or a key given twice in one mapping (YAML lets the last one win
silently) is a problem at its line, and the composed node tree locates every key.
"""

from __future__ import annotations

import yaml

from evaluation.errors import DataProblem

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""PyYAML's safe loader, in C (libyaml) where installed: the same documents, several times faster."""


class ProblemLog:
    """Collects the problems of one file into a shared list.

    Parameters
    ----------
    file : str
        The file, relative to the data folder (``survey/responses.csv``).
    problems : list of DataProblem
        The list every problem is appended to.
    """

    def __init__(self, file: str, problems: list[DataProblem]):
        self.file = file
        self.problems = problems

    def add(self, row: int | None, column: str | None, message: str, expected: str = "") -> None:
        """Record one problem at ``FILE:ROW:COLUMN``."""
        self.problems.append(DataProblem(self.file, row, column, message, expected))


def read_yaml(text: str, log: ProblemLog, *, expected: str) -> tuple[object, yaml.Node | None]:
    r"""Parse a YAML text; log a syntax error or a duplicate key instead of raising.

    Parameters
    ----------
    text : str
        The file's text.
    log : ProblemLog
        Receives a problem at the line of a syntax error, and one per key given a second time
        in the same mapping (at the second key's line, naming the first's).
    expected : str
        What a syntax error's message says is expected.

    Returns
    -------
    value : object
        The parsed document (``None`` for an empty one, or when a problem was logged).
    node : yaml.Node or None
        The composed node tree, for :func:`yaml_line_index` (``None`` when a problem was logged).

    Examples
    --------
    >>> problems = []
    >>> value, _ = read_yaml("a: 1\nb: 2\na: 3\n", ProblemLog("x.yaml", problems), expected="YAML")
    >>> value is None
    True
    >>> print(problems[0])
    x.yaml:3:a: key 'a' is given twice (first on line 1); expected each key once: YAML uses the last one silently
    """
    try:
        node = yaml.compose(text, Loader=SAFE_LOADER)
        value = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 - a safe loader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        log.add(mark.line + 1 if mark is not None else None, None,
                f"YAML syntax error: {getattr(error, 'problem', None) or 'the file cannot be parsed'}", expected)
        return None, None
    return (None, None) if log_duplicate_keys(node, log) else (value, node)


def log_duplicate_keys(node: yaml.Node | None, log: ProblemLog, *, first_line: int = 1) -> bool:
    """Log every key given twice in one mapping of a composed YAML tree; whether there was one.

    Parameters
    ----------
    node : yaml.Node or None
        The composed document (``yaml.compose``).
    log : ProblemLog
        Receives a problem at the second key's line, naming the first's.
    first_line : int
        The file's line on which the YAML starts (2 for a front matter after its ``---``).
    """
    duplicates = list(_duplicate_keys(node)) if node is not None else []
    shift = first_line - 1
    for line, path, key, first in duplicates:
        log.add(line + shift, path, f"key {key!r} is given twice (first on line {first + shift})",
                "each key once: YAML uses the last one silently")
    return bool(duplicates)


def _duplicate_keys(node, path: str = ""):
    """``(line, key path, key, first line)`` of every key repeated within one mapping."""
    if isinstance(node, yaml.MappingNode):
        first: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            child = f"{path}.{name}" if path else name
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                if name in first:
                    yield key.start_mark.line + 1, child, name, first[name]
                first.setdefault(name, key.start_mark.line + 1)
            yield from _duplicate_keys(value, child)
    elif isinstance(node, yaml.SequenceNode):
        for position, value in enumerate(node.value):
            yield from _duplicate_keys(value, f"{path}[{position}]")


def yaml_line_index(node, path: str = "") -> dict[str, int]:
    """Map each key path of a composed YAML node tree to its (1-based) line number.

    Key paths join mapping keys with ``.`` and sequence positions with ``[n]``
    (``pilots[0].sub_goals[1].id``).
    """
    lines = {path: node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = f"{path}.{key.value}" if path else str(key.value)
            lines[child] = key.start_mark.line + 1
            lines.update({k: v for k, v in yaml_line_index(value, child).items() if k != child})
    elif isinstance(node, yaml.SequenceNode):
        for position, value in enumerate(node.value):
            lines.update(yaml_line_index(value, f"{path}[{position}]"))
    return lines
