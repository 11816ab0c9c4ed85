"""Exceptions of the evaluation workbench.

Every error the package raises on purpose derives from :class:`EvaluationError`, so a caller
can catch one class. Problems with input data carry where they were found (file, row, column)
and what was expected, and print as ``FILE:ROW:COLUMN: what is wrong; expected ...`` -- the form
that editors and terminals turn into a link, and that an analyst can act on without reading code.

Row numbers are the line numbers of the file as an analyst sees it in a text editor or
spreadsheet: the header is line 1, the first data row line 2.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class EvaluationError(Exception):
    """Base class of every error raised on purpose by the workbench."""


@dataclass(frozen=True)
class DataProblem:
    """One problem found in an input file.

    Attributes
    ----------
    file : str
        Path of the file, relative to the data folder where possible.
    row : int or None
        Line number in the file (header is line 1); ``None`` when the problem concerns the
        whole file or a column.
    column : str or None
        Column (or YAML key path / XML element) where the problem is; ``None`` for the file.
    message : str
        What is wrong.
    expected : str
        What was expected instead.
    """

    file: str
    row: int | None
    column: str | None
    message: str
    expected: str = ""

    def __str__(self) -> str:
        location = ":".join(
            [self.file, "" if self.row is None else str(self.row), self.column or ""]
        )
        text = f"{location}: {self.message}"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class DataContractError(EvaluationError):
    """Input data break the data contract (see ``data/README.md``).

    Carries every problem found, not just the first, so an analyst can fix a file in one go.

    Parameters
    ----------
    problems : list of DataProblem
        The problems, in the order they were found.
    """

    def __init__(self, problems: list[DataProblem] | DataProblem):
        if isinstance(problems, DataProblem):
            problems = [problems]
        self.problems: list[DataProblem] = list(problems)
        super().__init__(str(self))

    @classmethod
    def single(
        cls,
        file: str | Path,
        row: int | None,
        column: str | None,
        message: str,
        expected: str = "",
    ) -> DataContractError:
        """Build an error holding one problem."""
        return cls([DataProblem(str(file), row, column, message, expected)])

    @property
    def file(self) -> str:
        """File of the first problem."""
        return self.problems[0].file

    @property
    def row(self) -> int | None:
        """Row of the first problem."""
        return self.problems[0].row

    @property
    def column(self) -> str | None:
        """Column of the first problem."""
        return self.problems[0].column

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class TranslationError(EvaluationError):
    """A translation file of the package (``evaluation/translations/*.yaml``) breaks its format.

    Every entry must be ``key: {nb: text, en: text}`` with two complete, non-empty strings that
    have the same ``{placeholders}``, and a key may be defined only once. Carries every problem
    found, each with the file, the line and the key, printed as ``FILE:LINE:KEY: what is wrong;
    expected ...``.

    Parameters
    ----------
    problems : list of DataProblem
        The problems (``row`` is the line in the YAML file, ``column`` the translation key).
    """

    def __init__(self, problems: list[DataProblem] | DataProblem):
        if isinstance(problems, DataProblem):
            problems = [problems]
        self.problems: list[DataProblem] = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ArchiveError(DataContractError):
    """An archive (a REFI-QDA project, ``.qdpx``) is unsafe or damaged, so nothing of it is read.

    Raised instead of the standard library's ``zipfile``, ``zlib`` and ``RuntimeError``
    exceptions: for a member whose path leaves the archive, one larger than the limit (declared
    or actually decompressed), one that is encrypted, compressed with an unsupported method or
    damaged, and for a file that is not a zip archive at all. Prints as
    ``ARCHIVE::MEMBER: what is wrong; expected ...``.

    Parameters
    ----------
    archive : str or Path
        The archive file.
    member : str or None
        The member (entry) of the archive, as named in it; ``None`` for the archive as a whole.
    message : str
        What is wrong.
    expected : str
        What was expected instead.
    """

    def __init__(self, archive: str | Path, member: str | None, message: str, expected: str = ""):
        self.archive = str(archive)
        self.member = member
        super().__init__(DataProblem(self.archive, None, member, message, expected))


class InsufficientDataError(EvaluationError):
    """Too little data for the requested statistic (for example fewer than two observations)."""


class OutputError(EvaluationError):
    """The output folder cannot be written: it is a file, read-only, or on a full disk.

    Not a problem with the data, nor with a report: the render stops, and what it wrote before
    stays whole (every file is written atomically).

    Parameters
    ----------
    path : str or Path
        What could not be written (the output folder, or a file in it).
    reason : str
        Why, and what to do, in words.
    """

    def __init__(self, path: str | Path, reason: str):
        self.path, self.reason = Path(path), str(reason)
        super().__init__(str(self))

    def __reduce__(self):  # raised in a worker process, re-raised in the render
        return type(self), (str(self.path), self.reason)

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.reason}"


class MissingFigureFileError(EvaluationError):
    """A report's figure lacks a file that a format beside the HTML needs: its kernel was not asked
    to make it (see :data:`evaluation.html.FIGURE_FILES_ENV`).

    Parameters
    ----------
    number : int
        The figure's number in the report (from 1).
    kind : str
        The missing file: ``svg`` or ``png``.
    needed_for : str
        The format that needs it.
    """

    def __init__(self, number: int, kind: str, needed_for: str):
        self.number, self.kind, self.needed_for = int(number), str(kind), str(needed_for)
        super().__init__(str(self))

    def __reduce__(self):  # raised in a worker process, re-raised in the render
        return type(self), (self.number, self.kind, self.needed_for)

    def __str__(self) -> str:
        return (f"figure {self.number} has no {self.kind.upper()} file, which the {self.needed_for} needs; "
                f"the report's kernel was not asked to make it")


class StatisticalWarning(UserWarning):
    """A statistic was computed, but a reader should know something about it (a negative
    Cronbach's alpha, a chi-square test on small expected counts, an exact test replaced by
    its normal approximation). Filter or collect by this category to show it as a note."""


__all__ = [
    "ArchiveError",
    "DataContractError",
    "DataProblem",
    "EvaluationError",
    "InsufficientDataError",
    "MissingFigureFileError",
    "OutputError",
    "StatisticalWarning",
    "TranslationError",
]


def describe_data(identity: dict) -> str:
    """``the demo data 'NAME'`` or ``the real data 'NAME'`` for a data identity (see
    :func:`evaluation.render.guard.data_identity`)."""
    kind = {True: "demo data", False: "real data"}.get(identity.get("synthetic"), "data")
    name = identity.get("programme")
    return f"the {kind} {name!r}" if identity.get("synthetic") is not None else f"the {kind} {name}"


class OtherDataInOutputError(EvaluationError):
    """An output folder holds reports of other data than those asked to be rendered into it.

    Parameters
    ----------
    out : Path
        The output folder.
    recorded : dict
        The identity of the data its reports were made from (its manifest's ``data_identity``).
    requested : dict
        The identity of the data asked for.
    """

    def __init__(self, out: str | Path, recorded: dict, requested: dict):
        self.out, self.recorded, self.requested = Path(out), dict(recorded), dict(requested)
        super().__init__(str(self))

    def __str__(self) -> str:
        return (f"{self.out}/ holds reports of {describe_data(self.recorded)}; you asked to render "
                f"{describe_data(self.requested)} into it -- use another --out, or --replace-reports "
                "to overwrite them")
