"""Reader of Taguette exports, mapped onto the contract's ``interviews/`` files.

Taguette writes a highlights export (CSV or XLSX, columns ``id, document, tag, content``, one row
per highlight and tag) and a codebook export (``tag, parent, description, number of
highlights``); the evaluators add a small mapping file from document to interview.
:func:`read_taguette` reads the three; how coding maps onto the contract is described in
:mod:`evaluation.importers.qda`. Errors name the file, its line and the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from evaluation.contract.vocabulary import STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError, DataProblem
from evaluation.importers.qda import (
    QdaImport, assessment, codebook_rows, frames, make_id, parse_date,
    parse_informants, segment_rows, stakeholder_group,
)


def _read_table(source: str | Path | pd.DataFrame, name: str, sheet: str) -> tuple[pd.DataFrame, str]:
    """A Taguette export or the mapping (CSV, XLSX or a frame) with lower-case column names, and
    the file name used in messages."""
    if isinstance(source, pd.DataFrame):
        return source.copy(), f"({name})"
    path = Path(source)
    file = str(path)
    if not path.exists():
        raise DataContractError.single(file, None, None, "file does not exist", f"the Taguette {name}")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True, data_only=True)
            worksheet = workbook[sheet] if sheet in workbook.sheetnames else workbook.worksheets[0]
            rows = list(worksheet.iter_rows(values_only=True))
            workbook.close()
            if not rows:
                raise DataContractError.single(file, None, None, "the sheet is empty",
                                               "a header row and data rows")
            header = [str(c).strip() if c is not None else "" for c in rows[0]]
            frame = pd.DataFrame([list(r)[: len(header)] for r in rows[1:]], columns=header,
                                 dtype=object)
        else:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except DataContractError:
        raise
    except UnicodeDecodeError as error:
        raise DataContractError.single(file, None, None, f"not UTF-8 at byte {error.start}",
                                       "a UTF-8 CSV file") from None
    except Exception as error:  # a broken file of any kind is a data problem
        raise DataContractError.single(file, None, None, f"cannot be read: {error}",
                                       f"the Taguette {name} (CSV or XLSX)") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame, file


def _cell(value: object) -> str:
    """A cell as text: empty for a missing value, a whole float without its ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value == int(value):
            return str(int(value))
    return str(value).strip()


def _need(frame: pd.DataFrame, columns: tuple[str, ...], file: str) -> None:
    """Refuse a table that lacks one of ``columns``, naming every missing one."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataContractError([DataProblem(file, 1, c, "column is missing",
                                             "the columns " + ", ".join(columns))
                                 for c in missing])


def read_taguette(
    highlights: str | Path | pd.DataFrame,
    codebook: str | Path | pd.DataFrame,
    mapping: str | Path | pd.DataFrame,
    *,
    assessment_tag: str = "assessment",
    approval_tag: str = "quote_approved",
) -> QdaImport:
    """Read Taguette's highlights and codebook exports into the contract's interview frames.

    Parameters
    ----------
    highlights : str, Path or pandas.DataFrame
        Taguette's highlights export ("all tags"), CSV or XLSX: ``id, document, tag, content``,
        one row per highlight and tag (a highlight without tags has an empty tag).
    codebook : str, Path or pandas.DataFrame
        Taguette's codebook export, CSV or XLSX: ``tag, parent, description, number of
        highlights``. A tag with an empty ``parent`` is a theme, its descendants its codes.
    mapping : str, Path or pandas.DataFrame
        CSV (or XLSX) written by the evaluators, one row per Taguette document:
        ``document`` (the document name as in Taguette), ``interview_id``, ``pilot``, ``date``,
        ``stakeholder_group`` and optionally ``informants`` (else 1).
    assessment_tag : str
        Top-level tag whose child tags are the assessments.
    approval_tag : str
        Tag that marks a highlight as an approved quote.

    Returns
    -------
    QdaImport
        ``interviews`` (in the order of ``mapping``), ``segments`` (in the order of the
        highlights; ids ``tg-<highlight id>-<n>``) and ``codebook`` (in codebook order).

    Raises
    ------
    DataContractError
        For a missing column, an unknown tag or document, a cycle in the tag hierarchy, a
        highlight with no or several assessments, or an invalid interview attribute; the error
        names the file, its line and the column.

    Notes
    -----
    The ``number of highlights`` column of the codebook is not used. Highlights with no
    theme tag (untagged, or tagged only with assessment/approval tags) are ignored. A highlight
    with a theme tag but no assessment tag is an error: no highlight is counted as neutral
    unless the evaluators tagged it so.

    References
    ----------
    Rampin, R. and Rampin, V. (2021). Taguette: open-source qualitative data analysis.
    *Journal of Open Source Software*, 6(68), 3522. https://doi.org/10.21105/joss.03522
    """
    tags = _read_tags(codebook, assessment_tag=assessment_tag, approval_tag=approval_tag)
    interviews, interview_of_document, mapping_file = _read_mapping(mapping)
    passages, highlights_file = _read_highlights(highlights, tags, interview_of_document, mapping_file)
    used = {tag for passage in passages.values() for tag in passage["tags"]}
    nodes = [{"key": tag, "name": tag, "parent": tags.parent_of[tag],
              "description": tags.description_of[tag],
              "has_children": any(p == tag for p in tags.parent_of.values()),
              "control": tags.control.get(tag) if tags.parent_of[tag] is None else None}
             for tag in tags.parent_of]
    rows, code_of = codebook_rows(nodes, used, tags.file, lambda node: (tags.line_of[node["key"]], "tag"))
    segments = _segments(passages, tags, code_of, interview_of_document, highlights_file,
                         assessment_tag=assessment_tag)
    return frames(interviews, segments, rows, highlights_file)


@dataclass
class _Tags:
    """The codebook export: each tag's parent, line and description, and the control tags."""

    file: str
    parent_of: dict[str, str | None] = field(default_factory=dict)
    line_of: dict[str, int] = field(default_factory=dict)
    description_of: dict[str, str] = field(default_factory=dict)
    control: dict[str, str] = field(default_factory=dict)
    assessment_of: dict[str, str] = field(default_factory=dict)

    def error(self, tag: str, column: str, message: str, expected: str) -> DataContractError:
        """An error at the tag's line of the codebook export."""
        return DataContractError.single(self.file, self.line_of[tag], column, message, expected)

    def root_of(self, tag: str) -> str:
        """The top-level tag above ``tag``; a cycle is an error."""
        seen = set()
        while self.parent_of[tag] is not None:
            if tag in seen:
                raise self.error(tag, "parent", f"tag {tag!r} is its own ancestor", "a tree of tags without cycles")
            seen.add(tag)
            tag = self.parent_of[tag]
        return tag


def _read_tags(codebook: str | Path | pd.DataFrame, *, assessment_tag: str, approval_tag: str) -> _Tags:
    """Read the codebook export; sort out the assessment and approval tags."""
    table, file = _read_table(codebook, "codebook export", "codebook")
    _need(table, ("tag", "parent", "description"), file)
    tags = _Tags(file)
    for position in range(len(table)):
        tag = _cell(table["tag"].iloc[position])
        parent = _cell(table["parent"].iloc[position])
        if not tag:
            raise DataContractError.single(file, position + 2, "tag", "tag is empty", "a tag name")
        if tag in tags.parent_of:
            raise DataContractError.single(file, position + 2, "tag", f"tag {tag!r} is listed twice", "each tag once")
        tags.parent_of[tag] = parent or None
        tags.line_of[tag] = position + 2
        tags.description_of[tag] = _cell(table["description"].iloc[position])
    for tag, parent in tags.parent_of.items():
        if parent is not None and parent not in tags.parent_of:
            raise tags.error(tag, "parent", f"parent {parent!r} is not a tag of the codebook",
                             "a tag listed in the codebook, or empty")
    assessment_root, approval_root = make_id(assessment_tag), make_id(approval_tag)
    for tag in tags.parent_of:
        top = make_id(tags.root_of(tag))
        if top == assessment_root:
            tags.control[tag] = "assessment"
            if tags.parent_of[tag] is not None:
                value = assessment(tag)
                if value is None:
                    raise tags.error(tag, "tag", f"assessment tag {tag!r} is not an assessment",
                                     "positive, negative, mixed or neutral")
                tags.assessment_of[tag] = value
        elif top == approval_root:
            tags.control[tag] = "approval"
    return tags


def _read_mapping(mapping: str | Path | pd.DataFrame) -> tuple[list[dict], dict[str, str], str]:
    """Read the document mapping: the interviews, each document's interview id, the file name."""
    mapped, file = _read_table(mapping, "document mapping", "mapping")
    _need(mapped, ("document", "interview_id", "pilot", "date", "stakeholder_group"), file)
    interviews: list[dict] = []
    interview_of_document: dict[str, str] = {}
    problems: list[DataProblem] = []
    for position in range(len(mapped)):
        value = {c: _cell(mapped[c].iloc[position]) for c in mapped.columns}
        seen = {"document": interview_of_document, "interview_id": {row["interview_id"] for row in interviews}}
        interview, row_problems = _mapped_interview(value, seen, file, position + 2)
        problems += row_problems
        interview_of_document[value["document"]] = value["interview_id"]
        interviews.append(interview)
    if problems:
        raise DataContractError(problems)
    return interviews, interview_of_document, file


def _mapped_interview(value: dict[str, str], seen: dict, file: str, line: int) -> tuple[dict, list[DataProblem]]:
    """The interview row of one mapping line, and its problems (``seen``: documents and
    interview ids of the lines before)."""
    problems = []
    if value["document"] in seen["document"]:
        problems.append(DataProblem(file, line, "document", f"document {value['document']!r} is mapped twice",
                                    "each document once"))
    date = parse_date(value["date"])
    if date is None:
        problems.append(DataProblem(file, line, "date", f"{value['date']!r} is not a date",
                                    "an ISO 8601 date such as 2022-09-20"))
    group = stakeholder_group(value["stakeholder_group"])
    if group is None:
        problems.append(DataProblem(file, line, "stakeholder_group",
                                    f"unknown stakeholder group {value['stakeholder_group']!r}",
                                    "one of " + ", ".join(STAKEHOLDER_GROUPS)))
    informants = parse_informants(value.get("informants") or "1")
    if informants is None:
        problems.append(DataProblem(file, line, "informants", f"{value.get('informants')!r} is not a positive integer",
                                    "1, 2, 3, …"))
    for column in ("document", "interview_id", "pilot"):
        if not value[column]:
            problems.append(DataProblem(file, line, column, "value is missing", "a non-empty value"))
    if value["interview_id"] in seen["interview_id"]:
        problems.append(DataProblem(file, line, "interview_id", f"interview {value['interview_id']!r} appears twice",
                                    "one row per document and interview"))
    return ({"interview_id": value["interview_id"], "pilot": make_id(value["pilot"]), "date": date,
             "stakeholder_group": group, "informants": informants}, problems)


def _read_highlights(highlights: str | Path | pd.DataFrame, tags: _Tags, interview_of_document: dict[str, str],
                     mapping_file: str) -> tuple[dict[str, dict], str]:
    """Read the highlights export into passages ``{id: {line, document, tags, content}}``."""
    rows, file = _read_table(highlights, "highlights export", "highlights")
    _need(rows, ("id", "document", "tag", "content"), file)
    passages: dict[str, dict] = {}
    problems: list[DataProblem] = []
    for position in range(len(rows)):
        line = position + 2
        identifier = _cell(rows["id"].iloc[position])
        document = _cell(rows["document"].iloc[position])
        tag = _cell(rows["tag"].iloc[position])
        if not identifier:
            problems.append(DataProblem(file, line, "id", "highlight id is missing", "Taguette's highlight id"))
            continue
        if document not in interview_of_document:
            problems.append(DataProblem(file, line, "document", f"document {document!r} is not in the mapping",
                                        f"a document of {mapping_file}"))
            continue
        if tag and tag not in tags.parent_of:
            problems.append(DataProblem(file, line, "tag", f"tag {tag!r} is not in the codebook",
                                        f"a tag of {tags.file}"))
            continue
        passage = passages.setdefault(identifier, {
            "line": line, "document": document, "tags": [], "content": _cell(rows["content"].iloc[position]),
        })
        if passage["document"] != document:
            problems.append(DataProblem(file, line, "document", f"highlight {identifier} is in two documents",
                                        "the same document on every row of a highlight"))
        if tag and tag not in passage["tags"]:
            passage["tags"].append(tag)
    if problems:
        raise DataContractError(problems)
    return passages, file


def _segments(passages: dict[str, dict], tags: _Tags, code_of: dict[str, str], interview_of_document: dict[str, str],
              file: str, *, assessment_tag: str) -> list[dict]:
    """The segment rows: one per highlight and theme tag, with the highlight's one assessment."""
    segments: list[dict] = []
    problems: list[DataProblem] = []
    for identifier, passage in passages.items():
        theme_tags = [t for t in passage["tags"] if t in code_of]
        if not theme_tags:
            continue
        assessments = sorted({tags.assessment_of[t] for t in passage["tags"] if t in tags.assessment_of})
        if len(assessments) > 1:
            problems.append(DataProblem(file, passage["line"], "tag",
                                        f"highlight {identifier} has several assessments ({', '.join(assessments)})",
                                        "one assessment tag per highlight"))
            continue
        if not assessments:
            problems.append(DataProblem(file, passage["line"], "tag", f"highlight {identifier} has no assessment tag",
                                        f"a child tag of {assessment_tag!r} on the same highlight"))
            continue
        value = assessments[0]
        approved = "yes" if any(tags.control.get(t) == "approval" for t in passage["tags"]) else "no"
        segments += segment_rows(f"tg-{make_id(identifier)}", interview_of_document[passage["document"]],
                                 [code_of[t] for t in theme_tags], value, passage["content"], approved)
    if problems:
        raise DataContractError(problems)
    return segments


__all__ = ["read_taguette"]
