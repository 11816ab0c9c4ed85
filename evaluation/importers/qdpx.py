"""Reader of REFI-QDA projects (``.qdpx``), mapped onto the contract's ``interviews/`` files.

A REFI-QDA project is the exchange standard that NVivo, ATLAS.ti, MAXQDA and QualCoder export:
a zip archive holding ``project.qde`` (XML in the namespace ``urn:QDA-XML:project:1.0``) and the
transcripts in its ``Sources/`` folder. :func:`read_qdpx` reads the code book (with its
hierarchy), the cases and their variables, the text sources and their coded selections; how
coding maps onto the contract is described in :mod:`evaluation.importers.qda`.

Errors name ``ARCHIVE/project.qde``, the XML line and the element (with its guid).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from xml.etree import ElementTree as ET
from xml.parsers import expat

from evaluation.contract.vocabulary import STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError
from evaluation.importers.qda import (
    QdaImport, assessment, check_default_assessment, codebook_rows, frames, make_id, parse_date,
    parse_informants, segment_rows, stakeholder_group,
)

NAMESPACE = "urn:QDA-XML:project:1.0"
"""XML namespace of a REFI-QDA project file (``project.qde``)."""

_CASE_PREFIXES = ("cases", "case", "files", "file", "sources")
"""Prefixes of variable names (``Cases:pilot``) that some tools write and that are ignored."""


def _guid(value: str | None) -> str:
    """A REFI-QDA guid without braces, in lower case."""
    return (value or "").strip().strip("{}").lower()


class _Xml:
    """``project.qde`` parsed with element line numbers (for error messages)."""

    def __init__(self, data: bytes, file: str):
        self.file = file
        self.lines: dict[int, int] = {}
        builder = ET.TreeBuilder()
        parser = expat.ParserCreate(namespace_separator="}")
        parser.buffer_text = True

        def qualified(name: str) -> str:
            return "{" + name if "}" in name else name

        def start(name, attributes):
            element = builder.start(qualified(name),
                                    {qualified(k): v for k, v in attributes.items()})
            self.lines[id(element)] = parser.CurrentLineNumber

        def doctype(*_):
            raise DataContractError.single(file, parser.CurrentLineNumber, "DOCTYPE",
                                           "document type declarations are not allowed",
                                           "a REFI-QDA project.qde without a DTD")

        parser.StartElementHandler = start
        parser.EndElementHandler = lambda name: builder.end(qualified(name))
        parser.CharacterDataHandler = builder.data
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            parser.Parse(data, True)
        except expat.ExpatError as error:
            raise DataContractError.single(file, error.lineno, None,
                                           f"not well-formed XML: {expat.ErrorString(error.code)}",
                                           "a REFI-QDA project.qde XML document") from None
        self.root = builder.close()
        tag = self.root.tag
        self.ns = tag[1:].split("}")[0] if tag.startswith("{") else ""
        if tag.rsplit("}", 1)[-1] != "Project" or self.ns not in (NAMESPACE, ""):
            raise DataContractError.single(file, self.line(self.root), tag,
                                           "root element is not a REFI-QDA Project",
                                           f"<Project xmlns=\"{NAMESPACE}\">")

    def q(self, local: str) -> str:
        return f"{{{self.ns}}}{local}" if self.ns else local

    def line(self, element) -> int | None:
        return self.lines.get(id(element))

    def where(self, element) -> tuple[int | None, str]:
        local = element.tag.rsplit("}", 1)[-1]
        guid = element.get("guid") or element.get("targetGUID")
        return self.line(element), f"{local}[guid={guid}]" if guid else local

    def error(self, element, message: str, expected: str = "") -> DataContractError:
        return DataContractError.single(self.file, *self.where(element), message, expected)

    def children(self, element, local: str) -> list:
        return element.findall(self.q(local)) if element is not None else []

    def text(self, element, local: str) -> str:
        child = element.find(self.q(local)) if element is not None else None
        return (child.text or "").strip() if child is not None else ""

    def required(self, element, attribute: str) -> str:
        value = element.get(attribute)
        if value is None or not value.strip():
            raise self.error(element, f"attribute {attribute!r} is missing",
                             f"a {attribute} attribute (REFI-QDA project schema)")
        return value


def _variable_values(xml: _Xml, element, variables: dict[str, str]) -> dict[str, tuple[str, object]]:
    """Contract column to ``(value, element)`` from a case's or source's ``VariableValue``\\ s."""
    values = {}
    for value_element in xml.children(element, "VariableValue"):
        reference = value_element.find(xml.q("VariableRef"))
        if reference is None:
            raise xml.error(value_element, "VariableValue has no VariableRef",
                            "<VariableRef targetGUID=...> as its first child")
        target = _guid(reference.get("targetGUID"))
        if target not in variables:
            raise xml.error(reference, f"variable {reference.get('targetGUID')!r} is not defined",
                            "the guid of a Variable in <Variables>")
        value = None
        for local in ("TextValue", "DateValue", "DateTimeValue", "IntegerValue", "FloatValue",
                      "BooleanValue"):
            child = value_element.find(xml.q(local))
            if child is not None:
                value = (child.text or "").strip()
                break
        values[variables[target]] = (value, value_element)
    return values


def _interview_from(xml: _Xml, element, values: dict, name: str) -> dict:
    """An interview row from a case's (or source's) variable values."""
    interview = {}
    for column in ("pilot", "date", "stakeholder_group"):
        if column not in values or not values[column][0]:
            raise xml.error(element, f"variable {column!r} is missing",
                            f"a {column} variable on every interview case")
    value, at = values["pilot"]
    interview["pilot"] = make_id(value)
    value, at = values["date"]
    date = parse_date(value)
    if date is None:
        raise xml.error(at, f"date {value!r} is not a date", "an ISO 8601 date such as 2022-09-20")
    interview["date"] = date
    value, at = values["stakeholder_group"]
    group = stakeholder_group(value)
    if group is None:
        raise xml.error(at, f"unknown stakeholder group {value!r}",
                        "one of " + ", ".join(STAKEHOLDER_GROUPS))
    interview["stakeholder_group"] = group
    informants = 1
    if "informants" in values and values["informants"][0]:
        value, at = values["informants"]
        informants = parse_informants(value)
        if informants is None:
            raise xml.error(at, f"informants {value!r} is not a positive integer", "1, 2, 3, …")
    interview["informants"] = informants
    identifier = values.get("interview_id", (None, None))[0] or name
    if not identifier or not identifier.strip():
        raise xml.error(element, "interview has neither an interview_id variable nor a name",
                        "an interview_id variable or a name")
    return {"interview_id": identifier.strip(), **interview}


def read_qdpx(
    path: str | Path,
    *,
    assessment_code: str = "assessment",
    approval_code: str = "quote_approved",
    default_assessment: str | None = None,
    variable_names: Mapping[str, str] | None = None,
) -> QdaImport:
    """Read a REFI-QDA project (``.qdpx``) into the contract's interview frames.

    Parameters
    ----------
    path : str or Path
        The ``.qdpx`` file (a zip archive with ``project.qde`` and ``Sources/``).
    assessment_code : str
        Name of the top-level code whose sub-codes are the assessments.
    approval_code : str
        Name of the top-level code that marks a passage as an approved quote.
    default_assessment : {"positive", "negative", "mixed", "neutral"} or None
        Assessment of a coded passage without an assessment code. ``None`` (default) makes such
        a passage an error, so that no passage is silently counted as neutral.
    variable_names : mapping of str to str, optional
        The project's variable names mapped to contract columns (``interview_id``, ``pilot``,
        ``date``, ``stakeholder_group``, ``informants``), for example
        ``{"Informantgruppe": "stakeholder_group"}``. Without it, names are matched after
        conversion to ids (``"Stakeholder group"`` matches ``stakeholder_group``), ignoring a
        ``Cases:`` prefix.

    Returns
    -------
    QdaImport
        ``interviews``, ``segments`` and ``codebook`` (see the module documentation for the
        mapping). Segments follow the order of the sources and selections in the file.

    Raises
    ------
    DataContractError
        If the archive, the XML or a reference in it is broken, or an interview variable, a
        selection's position or an assessment is missing or invalid. The error names
        ``ARCHIVE/project.qde``, the XML line and the element (with its guid).

    Notes
    -----
    Selections are ``PlainTextSelection`` elements of ``TextSource``\\ s; their
    ``startPosition`` and ``endPosition`` are zero-based character offsets into the source's
    plain text, the end exclusive (the passage is ``text[start:end]``). The text is the
    source's ``PlainTextContent`` or the file its ``plainTextPath`` names as
    ``internal://NAME`` (``Sources/NAME`` in the archive). Picture, PDF, audio and video
    sources, codings of whole sources, notes, sets, links and graphs are not read. A
    selection coded only with assessment or approval codes is ignored.

    References
    ----------
    REFI (Rotterdam Exchange Format Initiative) (2019). *QDA-XML Project exchange standard,
    version 1.0* (``Project-mrt2019.xsd``) and *REFI-QDA Standard 1.5*.
    https://www.qdasoftware.org
    """
    path = Path(path)
    file = str(path)
    check_default_assessment(default_assessment)
    archive = _open_archive(path)
    with archive:
        lower = {name.lower(): name for name in archive.namelist()}
        if "project.qde" not in lower:
            raise DataContractError.single(file, None, "project.qde",
                                           "the archive has no project.qde",
                                           "project.qde at the root of the .qdpx archive")
        xml = _Xml(archive.read(lower["project.qde"]), f"{file}/project.qde")
        project = _Project(xml, lambda text_path, element: _source_text(archive, lower, xml, text_path, element))
        project.read_codes(assessment_code=assessment_code, approval_code=approval_code)
        project.read_variables(variable_names)
        project.read_cases()
        project.read_sources()
        return frames(project.interviews, project.segments(default_assessment), project.codebook, file)


def _open_archive(path: Path) -> zipfile.ZipFile:
    """The ``.qdpx`` zip archive, or a located error if it is missing or not a zip archive."""
    file = str(path)
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DataContractError.single(file, None, None, "file does not exist",
                                       "a REFI-QDA project file (.qdpx)") from None
    except zipfile.BadZipFile:
        raise DataContractError.single(file, None, None, "not a zip archive",
                                       "a REFI-QDA project file (.qdpx): a zip archive") from None


def _source_text(archive: zipfile.ZipFile, lower: dict[str, str], xml: _Xml, text_path: str, element) -> str:
    """The text of a source file of the archive that ``plainTextPath`` names (``internal://NAME``)."""
    if not text_path.lower().startswith("internal://"):
        raise xml.error(element, f"plainTextPath {text_path!r} is outside the archive",
                        "internal://NAME (a file in the archive's Sources folder) "
                        "or a PlainTextContent element")
    name = text_path[len("internal://"):].lstrip("/")
    for candidate in (f"sources/{name}", name):
        if candidate.lower() in lower:
            raw = archive.read(lower[candidate.lower()])
            try:
                return raw.decode("utf-8-sig")
            except UnicodeDecodeError:
                raise xml.error(element, f"Sources/{name} is not UTF-8 text",
                                "a UTF-8 plain text file") from None
    raise xml.error(element, f"Sources/{name} is not in the archive",
                    "the file plainTextPath names")


@dataclass
class _Coding:
    """A coded selection: its element, the interview it belongs to, its code keys and text."""

    selection: object
    interview: int | None
    keys: list[str]
    quote: str


@dataclass
class _Project:
    """What :func:`read_qdpx` has read of a project so far, step by step.

    Attributes
    ----------
    xml : _Xml
        The parsed ``project.qde``.
    source_text : callable
        ``source_text(plain_text_path, element)``: the text of a source file in the archive.
    """

    xml: _Xml
    source_text: Callable[[str, object], str]
    nodes: list[dict] = field(default_factory=list)
    elements: dict[str, object] = field(default_factory=dict)
    by_key: dict[str, dict] = field(default_factory=dict)
    assessment_of: dict[str, str] = field(default_factory=dict)
    approval_keys: set[str] = field(default_factory=set)
    variables: dict[str, str] = field(default_factory=dict)
    interviews: list[dict] = field(default_factory=list)
    interview_of_source: dict[str, int] = field(default_factory=dict)
    interview_of_selection: dict[str, int] = field(default_factory=dict)
    seen_ids: dict[str, object] = field(default_factory=dict)
    codings: list[_Coding] = field(default_factory=list)
    used: set[str] = field(default_factory=set)
    codebook: list[dict] = field(default_factory=list)
    code_of: dict[str, str] = field(default_factory=dict)

    # --- codes -------------------------------------------------------------------------------

    def read_codes(self, *, assessment_code: str, approval_code: str) -> None:
        """Read the code book; note the assessment codes and the approval codes."""
        xml = self.xml
        control_names = {make_id(assessment_code): "assessment", make_id(approval_code): "approval"}
        codebook_element = xml.root.find(xml.q("CodeBook"))
        codes_element = codebook_element.find(xml.q("Codes")) if codebook_element is not None else None
        for element in xml.children(codes_element, "Code"):
            self._walk_code(element, None, control_names)
        self.by_key = {node["key"]: node for node in self.nodes}
        for node in self.nodes:
            top = self._root_of(node["key"])
            if top.get("control") == "assessment" and node is not top:
                value = assessment(node["name"])
                if value is None:
                    raise xml.error(self.elements[node["key"]],
                                    f"assessment code {node['name']!r} is not an assessment",
                                    "positive, negative, mixed or neutral")
                self.assessment_of[node["key"]] = value
            elif top.get("control") == "approval":
                self.approval_keys.add(node["key"])

    def _walk_code(self, element, parent: str | None, control_names: dict[str, str]) -> None:
        xml = self.xml
        key = _guid(xml.required(element, "guid"))
        if key in self.elements:
            raise xml.error(element, f"guid {element.get('guid')!r} is used twice", "unique guids")
        name = xml.required(element, "name")
        children = xml.children(element, "Code")
        self.nodes.append({"key": key, "name": name.strip(), "parent": parent,
                           "description": xml.text(element, "Description"), "has_children": bool(children),
                           "control": control_names.get(make_id(name)) if parent is None else None})
        self.elements[key] = element
        for child in children:
            self._walk_code(child, key, control_names)

    def _root_of(self, key: str) -> dict:
        node = self.by_key[key]
        while node["parent"] is not None:
            node = self.by_key[node["parent"]]
        return node

    # --- variables and cases -----------------------------------------------------------------

    def read_variables(self, variable_names: Mapping[str, str] | None) -> None:
        """Map each variable's guid to a contract column (by ``variable_names`` or by its name)."""
        xml = self.xml
        aliases = {make_id(k): v for k, v in (variable_names or {}).items()}
        for element in xml.children(xml.root.find(xml.q("Variables")), "Variable"):
            name = xml.required(element, "name")
            prefix, _, rest = name.partition(":")
            if rest and make_id(prefix) in _CASE_PREFIXES:
                name = rest
            self.variables[_guid(xml.required(element, "guid"))] = aliases.get(make_id(name), make_id(name))

    def _add_interview(self, row: dict, element) -> int:
        if row["interview_id"] in self.seen_ids:
            raise self.xml.error(element, f"interview {row['interview_id']!r} appears twice",
                                 "each interview once")
        self.seen_ids[row["interview_id"]] = element
        self.interviews.append(row)
        return len(self.interviews) - 1

    def read_cases(self) -> None:
        """Each case is an interview; note the sources and selections it refers to."""
        xml = self.xml
        for case in xml.children(xml.root.find(xml.q("Cases")), "Case"):
            xml.required(case, "guid")
            values = _variable_values(xml, case, self.variables)
            index = self._add_interview(_interview_from(xml, case, values, case.get("name") or ""), case)
            for reference in xml.children(case, "SourceRef"):
                target = _guid(xml.required(reference, "targetGUID"))
                if target in self.interview_of_source and self.interview_of_source[target] != index:
                    raise xml.error(reference, "source belongs to two interview cases",
                                    "each source in one case")
                self.interview_of_source[target] = index
            for reference in xml.children(case, "SelectionRef"):
                self.interview_of_selection[_guid(xml.required(reference, "targetGUID"))] = index

    # --- sources and selections --------------------------------------------------------------

    def read_sources(self) -> None:
        """Read the text sources and their coded selections; check every case's source exists."""
        xml = self.xml
        known_sources = set()
        for source in xml.children(xml.root.find(xml.q("Sources")), "TextSource"):
            key = _guid(xml.required(source, "guid"))
            known_sources.add(key)
            selections = xml.children(source, "PlainTextSelection")
            text = self._text_of(source, selections)
            index = self.interview_of_source.get(key)
            if index is None:
                values = _variable_values(xml, source, self.variables)
                if values:  # interview variables on the source itself
                    index = self._add_interview(
                        _interview_from(xml, source, values, source.get("name") or ""), source)
            for selection in selections:
                self._read_selection(selection, text, index)
        for reference_key in self.interview_of_source:
            if reference_key not in known_sources:
                raise DataContractError.single(
                    xml.file, None, f"SourceRef[guid={reference_key}]",
                    "a case refers to a source that is not a TextSource of the project",
                    "the guid of a TextSource in <Sources>")
        self.codebook, self.code_of = codebook_rows(self.nodes, self.used, xml.file,
                                                    lambda node: xml.where(self.elements[node["key"]]))

    def _text_of(self, source, selections: list) -> str:
        content = source.find(self.xml.q("PlainTextContent"))
        if content is not None:
            return content.text or ""
        if source.get("plainTextPath"):
            return self.source_text(source.get("plainTextPath"), source)
        if selections:
            raise self.xml.error(source, "source has neither PlainTextContent nor plainTextPath",
                                 "one of them (REFI-QDA: either PlainTextContent or plainTextPath)")
        return ""

    def _read_selection(self, selection, text: str, index: int | None) -> None:
        xml = self.xml
        selection_key = _guid(xml.required(selection, "guid"))
        start_text = xml.required(selection, "startPosition")
        end_text = xml.required(selection, "endPosition")
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            raise xml.error(selection, f"positions {start_text!r}, {end_text!r} are not integers",
                            "integer character offsets") from None
        if not 0 <= start <= end <= len(text):
            raise xml.error(selection, f"selection {start}-{end} lies outside the source text "
                            f"of {len(text)} characters", f"0 <= start <= end <= {len(text)}")
        keys = []
        for coding in xml.children(selection, "Coding"):
            reference = coding.find(xml.q("CodeRef"))
            if reference is None:
                raise xml.error(coding, "Coding has no CodeRef", "<CodeRef targetGUID=...>")
            target = _guid(reference.get("targetGUID"))
            if target not in self.by_key:
                raise xml.error(reference, f"code {reference.get('targetGUID')!r} is not in "
                                "the code book", "the guid of a Code in <CodeBook>")
            if target not in keys:
                keys.append(target)
        owner = self.interview_of_selection.get(selection_key, index)
        self.codings.append(_Coding(selection, owner, keys, text[start:end]))
        self.used.update(keys)

    # --- segments ----------------------------------------------------------------------------

    def segments(self, default_assessment: str | None) -> list[dict]:
        """The segment rows: one per coded selection and theme code, in file order."""
        xml = self.xml
        segments: list[dict] = []
        for coding in self.codings:
            theme_keys = [k for k in coding.keys if k in self.code_of]
            if not theme_keys:
                continue
            if coding.interview is None:
                raise xml.error(coding.selection, "coded selection belongs to no interview",
                                "its source in an interview Case (SourceRef), or interview "
                                "variables on the source")
            assessments = sorted({self.assessment_of[k] for k in coding.keys if k in self.assessment_of})
            if len(assessments) > 1:
                raise xml.error(coding.selection, f"selection has several assessments ({', '.join(assessments)})",
                                "one assessment code per coded passage")
            if assessments:
                value = assessments[0]
            elif default_assessment is not None:
                value = default_assessment
            else:
                raise xml.error(coding.selection, "coded selection has no assessment code",
                                "one sub-code of the assessment code (or default_assessment=...)")
            approved = "yes" if any(k in self.approval_keys for k in coding.keys) else "no"
            segments += segment_rows(_guid(coding.selection.get("guid")),
                                     self.interviews[coding.interview]["interview_id"],
                                     [self.code_of[k] for k in theme_keys], value, coding.quote.strip(), approved)
        return segments


__all__ = ["NAMESPACE", "read_qdpx"]
