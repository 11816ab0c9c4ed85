"""Readers for the export formats of qualitative data analysis tools, mapped onto the contract.

Two formats are read:

* **REFI-QDA projects** (``.qdpx``), the exchange standard that NVivo, ATLAS.ti, MAXQDA and
  QualCoder export: a zip archive holding ``project.qde`` (XML in the namespace
  ``urn:QDA-XML:project:1.0``) and the transcripts in its ``Sources/`` folder.
  :func:`read_qdpx` reads the code book (with its hierarchy), the cases and their variables,
  the text sources and their coded selections.
* **Taguette** exports: the highlights export (CSV or XLSX, columns ``id, document, tag,
  content``, one row per highlight and tag) and the codebook export (``tag, parent,
  description, number of highlights``), plus a small mapping file from document to interview.
  :func:`read_taguette` reads them.

Both return a :class:`QdaImport` with the three frames of the contract's ``interviews/``
folder (``interviews``, ``segments``, ``codebook``), which :meth:`QdaImport.to_csv` writes out.

How coding maps onto the contract
---------------------------------
* **Themes and codes.** A top-level code is a theme; the codes below it (at any depth) are the
  codes of that theme. A top-level code without sub-codes, or one applied directly, is also a
  code of its own theme. Ids are made from the names: lower case, ``æøå`` as ``ae, o, a``,
  other characters as ``_`` ("Felles møteplasser" becomes ``felles_moteplasser``); the name
  itself becomes ``label_nb`` and ``label_en``, the code's description ``description``. Name the
  top-level codes after the programme's ``interview_themes`` ids so that the data validate.
* **Assessment.** A top-level code ``assessment`` (configurable) with the sub-codes
  ``positive``, ``negative``, ``mixed`` and ``neutral`` (or the bokmål ``positiv``,
  ``negativ``, ``blandet``, ``nøytral``). A coded passage takes the assessment code applied to
  the same passage.
* **Quote approval.** A top-level code ``quote_approved`` (configurable) applied to a passage
  marks its text as approved by the informant; the passage's text is always carried in
  ``quote``, approved or not (reports show only approved ones).
* **Interviews.** In a REFI-QDA project, each case is an interview, with the variables
  ``pilot``, ``date``, ``stakeholder_group`` and optionally ``interview_id`` (else the case
  name) and ``informants`` (else 1); its sources are the interview's transcripts. A source
  without a case may carry these variables itself. For Taguette, the mapping file gives them.
* **Segments.** One row per passage and code; passages coded with several codes give several
  rows, with the ids ``<passage>-1``, ``<passage>-2``, … (``segment_id`` is unique in the
  contract).

Errors name the file and, for XML, the line and element (``project.qde`` inside the archive
is named ``ARCHIVE/project.qde``), or, for the Taguette files, the line and column.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET
from xml.parsers import expat

import pandas as pd

from evaluation.contract.vocabulary import ASSESSMENTS, ID_PATTERN, STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError, DataProblem

NAMESPACE = "urn:QDA-XML:project:1.0"
"""XML namespace of a REFI-QDA project file (``project.qde``)."""

INTERVIEW_COLUMNS = ("interview_id", "pilot", "date", "stakeholder_group", "informants")
SEGMENT_COLUMNS = ("segment_id", "interview_id", "code", "assessment", "quote", "quote_approved")
CODEBOOK_COLUMNS = ("code", "theme", "label_nb", "label_en", "description")

_TRANSLITERATION = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "ae", "Ø": "o", "Å": "a"})


@dataclass(frozen=True)
class QdaImport:
    """Coding imported from a qualitative tool, in the shape of the contract's ``interviews/`` files.

    Attributes
    ----------
    interviews : pandas.DataFrame
        ``interview_id, pilot, date, stakeholder_group, informants``; ``date`` is
        ``datetime64``, ``informants`` an integer.
    segments : pandas.DataFrame
        ``segment_id, interview_id, code, assessment, quote, quote_approved``;
        ``quote_approved`` is ``"yes"`` or ``"no"`` as in the CSV file.
    codebook : pandas.DataFrame
        ``code, theme, label_nb, label_en, description``.
    source : str
        The file read.
    """

    interviews: pd.DataFrame = field(repr=False)
    segments: pd.DataFrame = field(repr=False)
    codebook: pd.DataFrame = field(repr=False)
    source: str = ""

    def to_csv(self, directory: str | Path) -> list[Path]:
        """Write ``interviews.csv``, ``segments.csv`` and ``codebook.csv`` into ``directory``.

        ``directory`` is a data folder's ``interviews/`` folder (created if missing). Dates are
        written ISO 8601, booleans ``yes``/``no``, as the contract asks. Returns the paths.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        interviews = self.interviews.copy()
        interviews["date"] = pd.to_datetime(interviews["date"]).dt.strftime("%Y-%m-%d")
        paths = []
        for name, frame in (("interviews", interviews), ("segments", self.segments),
                            ("codebook", self.codebook)):
            path = directory / f"{name}.csv"
            frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\n")
            paths.append(path)
        return paths


# --------------------------------------------------------------------------------------------
# shared helpers
# --------------------------------------------------------------------------------------------


def make_id(name: str) -> str:
    """Turn a code, theme or pilot name into a contract id (``[a-z0-9_-]``).

    Examples
    --------
    >>> make_id("Felles møteplasser")
    'felles_moteplasser'
    >>> make_id("collab_shared_meetings")
    'collab_shared_meetings'
    """
    text = str(name).strip()
    if ID_PATTERN.match(text):
        return text
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION).lower())
    text = text.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9_-]+", "_", text).strip("_-")


def _synonyms(kind: str, values: tuple[str, ...]) -> dict[str, str]:
    """Map ids and their bokmål/English labels (from the translation table) to the id."""
    from evaluation.i18n import LANGUAGES, translation_table

    table = translation_table()
    mapping = {value: value for value in values}
    for value in values:
        for lang in LANGUAGES:
            label = table.get(f"{kind}.{value}", {}).get(lang)
            if label:
                mapping[make_id(label)] = value
    return mapping


def _stakeholder_group(value: str) -> str | None:
    return _synonyms("stakeholder", STAKEHOLDER_GROUPS).get(make_id(value))


def _assessment(value: str) -> str | None:
    last = re.split(r"[./:]", str(value))[-1]
    return _synonyms("assessment", ASSESSMENTS).get(make_id(last))


def _parse_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def _parse_informants(value: object) -> int | None:
    try:
        number = float(str(value).strip())
    except ValueError:
        return None
    if number != int(number) or number < 1:
        return None
    return int(number)


def _frames(interviews: list[dict], segments: list[dict], codebook: list[dict],
            source: str) -> QdaImport:
    interview_frame = pd.DataFrame(interviews, columns=list(INTERVIEW_COLUMNS))
    interview_frame["date"] = pd.to_datetime(interview_frame["date"])
    interview_frame["informants"] = interview_frame["informants"].astype("int64")
    return QdaImport(
        interviews=interview_frame,
        segments=pd.DataFrame(segments, columns=list(SEGMENT_COLUMNS)),
        codebook=pd.DataFrame(codebook, columns=list(CODEBOOK_COLUMNS)),
        source=source,
    )


def _codebook_rows(nodes: list[dict], used: set[str], file: str, where) -> tuple[list[dict], dict]:
    """Codebook rows from code nodes ``{key, name, parent, description, has_children}``.

    Returns the rows and ``key -> code id`` for the codes of themes. Raises on id clashes.
    """
    by_key = {node["key"]: node for node in nodes}
    rows, code_of, seen = [], {}, {}
    for node in nodes:
        root = node
        depth = 0
        while root["parent"] is not None:
            root = by_key[root["parent"]]
            depth += 1
        if root.get("control"):
            continue
        is_code = depth > 0 or not node["has_children"] or node["key"] in used
        if not is_code:
            continue
        code = make_id(node["name"])
        if not code:
            raise DataContractError.single(file, *where(node), f"code name {node['name']!r} "
                                           "gives an empty id", "a name with letters or digits")
        if code in seen:
            raise DataContractError.single(
                file, *where(node),
                f"code {node['name']!r} has the same id {code!r} as code {seen[code]!r}",
                "code names that differ after conversion to ids")
        seen[code] = node["name"]
        code_of[node["key"]] = code
        rows.append({"code": code, "theme": make_id(root["name"]), "label_nb": node["name"],
                     "label_en": node["name"], "description": node["description"]})
    return rows, code_of


# --------------------------------------------------------------------------------------------
# REFI-QDA
# --------------------------------------------------------------------------------------------


def _guid(value: str | None) -> str:
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


def _interview_from(xml: _Xml, element, values: dict, name: str, file: str) -> dict:
    """An interview row from a case's (or source's) variable values."""
    interview = {}
    for column in ("pilot", "date", "stakeholder_group"):
        if column not in values or not values[column][0]:
            raise xml.error(element, f"variable {column!r} is missing",
                            f"a {column} variable on every interview case")
    value, at = values["pilot"]
    interview["pilot"] = make_id(value)
    value, at = values["date"]
    date = _parse_date(value)
    if date is None:
        raise xml.error(at, f"date {value!r} is not a date", "an ISO 8601 date such as 2022-09-20")
    interview["date"] = date
    value, at = values["stakeholder_group"]
    group = _stakeholder_group(value)
    if group is None:
        raise xml.error(at, f"unknown stakeholder group {value!r}",
                        "one of " + ", ".join(STAKEHOLDER_GROUPS))
    interview["stakeholder_group"] = group
    informants = 1
    if "informants" in values and values["informants"][0]:
        value, at = values["informants"]
        informants = _parse_informants(value)
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
    if default_assessment is not None and default_assessment not in ASSESSMENTS:
        raise ValueError(f"default_assessment must be one of {ASSESSMENTS} or None, "
                         f"got {default_assessment!r}")
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise DataContractError.single(file, None, None, "file does not exist",
                                       "a REFI-QDA project file (.qdpx)") from None
    except zipfile.BadZipFile:
        raise DataContractError.single(file, None, None, "not a zip archive",
                                       "a REFI-QDA project file (.qdpx): a zip archive") from None
    with archive:
        members = {name: name for name in archive.namelist()}
        lower = {name.lower(): name for name in members}
        if "project.qde" not in lower:
            raise DataContractError.single(file, None, "project.qde",
                                           "the archive has no project.qde",
                                           "project.qde at the root of the .qdpx archive")
        xml = _Xml(archive.read(lower["project.qde"]), f"{file}/project.qde")

        def source_file(text_path: str, element) -> str:
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

        return _read_project(xml, file, source_file, assessment_code=assessment_code,
                             approval_code=approval_code, default_assessment=default_assessment,
                             variable_names=variable_names)


def _read_project(xml: _Xml, file: str, source_file, *, assessment_code: str,
                  approval_code: str, default_assessment: str | None,
                  variable_names: Mapping[str, str] | None) -> QdaImport:
    root = xml.root
    # --- codes -------------------------------------------------------------------------------
    nodes: list[dict] = []
    elements: dict[str, object] = {}
    control_names = {make_id(assessment_code): "assessment", make_id(approval_code): "approval"}

    def walk(element, parent: str | None) -> None:
        key = _guid(xml.required(element, "guid"))
        if key in elements:
            raise xml.error(element, f"guid {element.get('guid')!r} is used twice", "unique guids")
        name = xml.required(element, "name")
        children = xml.children(element, "Code")
        node = {"key": key, "name": name.strip(), "parent": parent,
                "description": xml.text(element, "Description"), "has_children": bool(children),
                "control": control_names.get(make_id(name)) if parent is None else None}
        nodes.append(node)
        elements[key] = element
        for child in children:
            walk(child, key)

    codebook_element = root.find(xml.q("CodeBook"))
    codes_element = codebook_element.find(xml.q("Codes")) if codebook_element is not None else None
    for element in xml.children(codes_element, "Code"):
        walk(element, None)
    by_key = {node["key"]: node for node in nodes}

    def root_of(key: str) -> dict:
        node = by_key[key]
        while node["parent"] is not None:
            node = by_key[node["parent"]]
        return node

    assessment_of: dict[str, str] = {}
    approval_keys: set[str] = set()
    for node in nodes:
        top = root_of(node["key"])
        if top.get("control") == "assessment" and node is not top:
            value = _assessment(node["name"])
            if value is None:
                raise xml.error(elements[node["key"]],
                                f"assessment code {node['name']!r} is not an assessment",
                                "positive, negative, mixed or neutral")
            assessment_of[node["key"]] = value
        elif top.get("control") == "approval":
            approval_keys.add(node["key"])

    # --- variables and cases -----------------------------------------------------------------
    aliases = {make_id(k): v for k, v in (variable_names or {}).items()}
    variables: dict[str, str] = {}
    for element in xml.children(root.find(xml.q("Variables")), "Variable"):
        name = xml.required(element, "name")
        prefix, _, rest = name.partition(":")
        if rest and make_id(prefix) in ("cases", "case", "files", "file", "sources"):
            name = rest
        variables[_guid(xml.required(element, "guid"))] = aliases.get(make_id(name), make_id(name))

    interviews: list[dict] = []
    interview_of_source: dict[str, int] = {}
    interview_of_selection: dict[str, int] = {}
    seen_ids: dict[str, object] = {}

    def add_interview(row: dict, element) -> int:
        if row["interview_id"] in seen_ids:
            raise xml.error(element, f"interview {row['interview_id']!r} appears twice",
                            "each interview once")
        seen_ids[row["interview_id"]] = element
        interviews.append(row)
        return len(interviews) - 1

    for case in xml.children(root.find(xml.q("Cases")), "Case"):
        xml.required(case, "guid")
        values = _variable_values(xml, case, variables)
        index = add_interview(_interview_from(xml, case, values, case.get("name") or "", file), case)
        for reference in xml.children(case, "SourceRef"):
            target = _guid(xml.required(reference, "targetGUID"))
            if target in interview_of_source and interview_of_source[target] != index:
                raise xml.error(reference, "source belongs to two interview cases",
                                "each source in one case")
            interview_of_source[target] = index
        for reference in xml.children(case, "SelectionRef"):
            interview_of_selection[_guid(xml.required(reference, "targetGUID"))] = index

    # --- sources and selections --------------------------------------------------------------
    segments: list[dict] = []
    used: set[str] = set()
    codings: list[tuple] = []  # (selection element, interview index, [code keys], text)
    sources_element = root.find(xml.q("Sources"))
    known_sources = set()
    for source in xml.children(sources_element, "TextSource"):
        key = _guid(xml.required(source, "guid"))
        known_sources.add(key)
        selections = xml.children(source, "PlainTextSelection")
        content = source.find(xml.q("PlainTextContent"))
        if content is not None:
            text = content.text or ""
        elif source.get("plainTextPath"):
            text = source_file(source.get("plainTextPath"), source)
        elif selections:
            raise xml.error(source, "source has neither PlainTextContent nor plainTextPath",
                            "one of them (REFI-QDA: either PlainTextContent or plainTextPath)")
        else:
            text = ""
        index = interview_of_source.get(key)
        if index is None:
            values = _variable_values(xml, source, variables)
            if values:  # interview variables on the source itself
                index = add_interview(
                    _interview_from(xml, source, values, source.get("name") or "", file), source)
        for selection in selections:
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
                if target not in by_key:
                    raise xml.error(reference, f"code {reference.get('targetGUID')!r} is not in "
                                    "the code book", "the guid of a Code in <CodeBook>")
                if target not in keys:
                    keys.append(target)
            owner = interview_of_selection.get(selection_key, index)
            codings.append((selection, owner, keys, text[start:end]))
            used.update(keys)

    for reference_key, index in interview_of_source.items():
        if reference_key not in known_sources:
            raise DataContractError.single(
                xml.file, None, f"SourceRef[guid={reference_key}]",
                "a case refers to a source that is not a TextSource of the project",
                "the guid of a TextSource in <Sources>")

    codebook, code_of = _codebook_rows(nodes, used, xml.file,
                                       lambda node: xml.where(elements[node["key"]]))
    for selection, index, keys, quote in codings:
        theme_keys = [k for k in keys if k in code_of]
        if not theme_keys:
            continue
        if index is None:
            raise xml.error(selection, "coded selection belongs to no interview",
                            "its source in an interview Case (SourceRef), or interview "
                            "variables on the source")
        assessments = sorted({assessment_of[k] for k in keys if k in assessment_of})
        if len(assessments) > 1:
            raise xml.error(selection, f"selection has several assessments ({', '.join(assessments)})",
                            "one assessment code per coded passage")
        if assessments:
            assessment = assessments[0]
        elif default_assessment is not None:
            assessment = default_assessment
        else:
            raise xml.error(selection, "coded selection has no assessment code",
                            "one sub-code of the assessment code (or default_assessment=...)")
        approved = "yes" if any(k in approval_keys for k in keys) else "no"
        passage = _guid(selection.get("guid"))
        for number, key in enumerate(theme_keys, start=1):
            segments.append({
                "segment_id": f"{passage}-{number}",
                "interview_id": interviews[index]["interview_id"],
                "code": code_of[key], "assessment": assessment,
                "quote": quote.strip(), "quote_approved": approved,
            })
    return _frames(interviews, segments, codebook, file)


# --------------------------------------------------------------------------------------------
# Taguette
# --------------------------------------------------------------------------------------------


def _read_table(source: str | Path | pd.DataFrame, name: str, sheet: str) -> tuple[pd.DataFrame, str]:
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
    if value is None:
        return ""
    if isinstance(value, float):
        if value != value:
            return ""
        if value == int(value):
            return str(int(value))
    return str(value).strip()


def _need(frame: pd.DataFrame, columns: tuple[str, ...], file: str) -> None:
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
    default_assessment: str | None = None,
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
    default_assessment : {"positive", "negative", "mixed", "neutral"} or None
        Assessment of a highlight without an assessment tag; ``None`` (default) makes that an
        error.

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
    theme tag (untagged, or tagged only with assessment/approval tags) are ignored.

    References
    ----------
    Rampin, R. and Rampin, V. (2021). Taguette: open-source qualitative data analysis.
    *Journal of Open Source Software*, 6(68), 3522. https://doi.org/10.21105/joss.03522
    """
    if default_assessment is not None and default_assessment not in ASSESSMENTS:
        raise ValueError(f"default_assessment must be one of {ASSESSMENTS} or None, "
                         f"got {default_assessment!r}")
    tags, tags_file = _read_table(codebook, "codebook export", "codebook")
    _need(tags, ("tag", "parent", "description"), tags_file)
    parent_of: dict[str, str | None] = {}
    line_of: dict[str, int] = {}
    description_of: dict[str, str] = {}
    for position in range(len(tags)):
        tag = _cell(tags["tag"].iloc[position])
        parent = _cell(tags["parent"].iloc[position])
        if not tag:
            raise DataContractError.single(tags_file, position + 2, "tag", "tag is empty", "a tag name")
        if tag in parent_of:
            raise DataContractError.single(tags_file, position + 2, "tag",
                                           f"tag {tag!r} is listed twice", "each tag once")
        parent_of[tag] = parent or None
        line_of[tag] = position + 2
        description_of[tag] = _cell(tags["description"].iloc[position])
    for tag, parent in parent_of.items():
        if parent is not None and parent not in parent_of:
            raise DataContractError.single(tags_file, line_of[tag], "parent",
                                           f"parent {parent!r} is not a tag of the codebook",
                                           "a tag listed in the codebook, or empty")

    def root_of(tag: str) -> str:
        seen = set()
        while parent_of[tag] is not None:
            if tag in seen:
                raise DataContractError.single(tags_file, line_of[tag], "parent",
                                               f"tag {tag!r} is its own ancestor",
                                               "a tree of tags without cycles")
            seen.add(tag)
            tag = parent_of[tag]
        return tag

    assessment_root, approval_root = make_id(assessment_tag), make_id(approval_tag)
    control: dict[str, str] = {}
    assessment_of: dict[str, str] = {}
    for tag in parent_of:
        top = make_id(root_of(tag))
        if top == assessment_root:
            control[tag] = "assessment"
            if parent_of[tag] is not None:
                value = _assessment(tag)
                if value is None:
                    raise DataContractError.single(tags_file, line_of[tag], "tag",
                                                   f"assessment tag {tag!r} is not an assessment",
                                                   "positive, negative, mixed or neutral")
                assessment_of[tag] = value
        elif top == approval_root:
            control[tag] = "approval"

    # --- interviews from the mapping ---------------------------------------------------------
    mapped, mapping_file = _read_table(mapping, "document mapping", "mapping")
    _need(mapped, ("document", "interview_id", "pilot", "date", "stakeholder_group"), mapping_file)
    interviews: list[dict] = []
    interview_of_document: dict[str, str] = {}
    problems: list[DataProblem] = []
    for position in range(len(mapped)):
        line = position + 2
        value = {c: _cell(mapped[c].iloc[position]) for c in mapped.columns}
        document = value["document"]
        if document in interview_of_document:
            problems.append(DataProblem(mapping_file, line, "document",
                                        f"document {document!r} is mapped twice", "each document once"))
        date = _parse_date(value["date"])
        if date is None:
            problems.append(DataProblem(mapping_file, line, "date", f"{value['date']!r} is not a date",
                                        "an ISO 8601 date such as 2022-09-20"))
        group = _stakeholder_group(value["stakeholder_group"])
        if group is None:
            problems.append(DataProblem(mapping_file, line, "stakeholder_group",
                                        f"unknown stakeholder group {value['stakeholder_group']!r}",
                                        "one of " + ", ".join(STAKEHOLDER_GROUPS)))
        informants = _parse_informants(value.get("informants") or "1")
        if informants is None:
            problems.append(DataProblem(mapping_file, line, "informants",
                                        f"{value.get('informants')!r} is not a positive integer",
                                        "1, 2, 3, …"))
        for column in ("document", "interview_id", "pilot"):
            if not value[column]:
                problems.append(DataProblem(mapping_file, line, column, "value is missing",
                                            "a non-empty value"))
        if value["interview_id"] in {row["interview_id"] for row in interviews}:
            problems.append(DataProblem(mapping_file, line, "interview_id",
                                        f"interview {value['interview_id']!r} appears twice",
                                        "one row per document and interview"))
        interview_of_document[document] = value["interview_id"]
        interviews.append({"interview_id": value["interview_id"], "pilot": make_id(value["pilot"]),
                           "date": date, "stakeholder_group": group, "informants": informants})
    if problems:
        raise DataContractError(problems)

    # --- highlights --------------------------------------------------------------------------
    rows, highlights_file = _read_table(highlights, "highlights export", "highlights")
    _need(rows, ("id", "document", "tag", "content"), highlights_file)
    passages: dict[str, dict] = {}
    for position in range(len(rows)):
        line = position + 2
        identifier = _cell(rows["id"].iloc[position])
        document = _cell(rows["document"].iloc[position])
        tag = _cell(rows["tag"].iloc[position])
        if not identifier:
            problems.append(DataProblem(highlights_file, line, "id", "highlight id is missing",
                                        "Taguette's highlight id"))
            continue
        if document not in interview_of_document:
            problems.append(DataProblem(highlights_file, line, "document",
                                        f"document {document!r} is not in the mapping",
                                        f"a document of {mapping_file}"))
            continue
        if tag and tag not in parent_of:
            problems.append(DataProblem(highlights_file, line, "tag",
                                        f"tag {tag!r} is not in the codebook",
                                        f"a tag of {tags_file}"))
            continue
        passage = passages.setdefault(identifier, {
            "line": line, "document": document, "tags": [],
            "content": _cell(rows["content"].iloc[position]),
        })
        if passage["document"] != document:
            problems.append(DataProblem(highlights_file, line, "document",
                                        f"highlight {identifier} is in two documents",
                                        "the same document on every row of a highlight"))
        if tag and tag not in passage["tags"]:
            passage["tags"].append(tag)
    if problems:
        raise DataContractError(problems)

    used = {tag for passage in passages.values() for tag in passage["tags"]}
    nodes = [{"key": tag, "name": tag, "parent": parent_of[tag],
              "description": description_of[tag],
              "has_children": any(p == tag for p in parent_of.values()),
              "control": control.get(tag) if parent_of[tag] is None else None}
             for tag in parent_of]
    codebook_rows, code_of = _codebook_rows(nodes, used, tags_file,
                                            lambda node: (line_of[node["key"]], "tag"))
    segments = []
    for identifier, passage in passages.items():
        theme_tags = [t for t in passage["tags"] if t in code_of]
        if not theme_tags:
            continue
        assessments = sorted({assessment_of[t] for t in passage["tags"] if t in assessment_of})
        if len(assessments) > 1:
            problems.append(DataProblem(highlights_file, passage["line"], "tag",
                                        f"highlight {identifier} has several assessments "
                                        f"({', '.join(assessments)})",
                                        "one assessment tag per highlight"))
            continue
        if assessments:
            assessment = assessments[0]
        elif default_assessment is not None:
            assessment = default_assessment
        else:
            problems.append(DataProblem(highlights_file, passage["line"], "tag",
                                        f"highlight {identifier} has no assessment tag",
                                        f"a child tag of {assessment_tag!r} "
                                        "(or default_assessment=...)"))
            continue
        approved = "yes" if any(control.get(t) == "approval" for t in passage["tags"]) else "no"
        for number, tag in enumerate(theme_tags, start=1):
            segments.append({
                "segment_id": f"tg-{make_id(identifier)}-{number}",
                "interview_id": interview_of_document[passage["document"]],
                "code": code_of[tag], "assessment": assessment,
                "quote": passage["content"], "quote_approved": approved,
            })
    if problems:
        raise DataContractError(problems)
    return _frames(interviews, segments, codebook_rows, highlights_file)


__all__ = ["NAMESPACE", "QdaImport", "make_id", "read_qdpx", "read_taguette"]
