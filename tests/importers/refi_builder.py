"""Small REFI-QDA projects written the way NVivo, ATLAS.ti, MAXQDA and QualCoder write them.

Every project codes the same synthetic Stad interviews (below) so the tests can expect the same
passages, assessments and approvals from each; what differs is the shape each tool gives them,
taken from the REFI-QDA Project schema (Project-mrt2019.xsd, www.qdasoftware.org) and from what
the tools' exporters and importers document (QualCoder's ``refi.py`` export and its notes on
NVivo, ATLAS.ti and MAXQDA projects). The XML is written here, element by element; no tool's file
is copied.

==========  =====================================================================================
tool        shape
==========  =====================================================================================
NVivo       ``Sources/`` (capital S); text only in ``plainTextPath="internal://GUID.txt"`` (no
            ``PlainTextContent``), next to a ``richTextPath`` ``.docx`` that is in the archive
            for one source and missing for the other; UTF-8 with a byte-order mark and CR LF line
            breaks, counted as two characters; nested codes; cases named as people name them
            ("Intervju 1 Stad"), with classification variables (``Person:Informantgruppe``) and
            no ``interview_id``; each case also written as a code with the case's guid, one
            selection coded with it; several codings in one selection; a memo (``Note``).
ATLAS.ti    ``sources/``; CR LF line breaks in the text file but counted as one character; no
            cases: the document variables sit on the ``TextSource``; themes are containers
            (``isCodable="false"``); code and document groups as ``Sets``; a memo.
QualCoder   ``sources/``; UTF-8 with a byte-order mark, LF; one selection per code (the theme,
            the assessment and the approval of a passage are three selections over one span,
            each named by its text); categories ``isCodable="false"``; cases with names and
            ``SourceRef``; a journal as a ``Note`` with its text file.
MAXQDA      ``sources/``; only ``plainTextPath``; one selection per code; cases *without names*,
            one per document, carrying its variables; dates as text ``dd.mm.yyyy``; codable
            parent codes; a memo on a selection without codes (an annotation); a document set.
==========  =====================================================================================
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

NS = "urn:QDA-XML:project:1.0"
SCHEMA = Path(__file__).resolve().parents[1] / "fixtures" / "qda" / "schema" / "Project-mrt2019.xsd"
USER = "5c94bc9e-db8c-4f1d-9cd6-e900c7440860"

THEMES = {  # theme id (a programme interview_themes id): its codes
    "collaboration": ["Felles møteplasser", "Hindringer for samarbeid"],
    "professional_environment": ["Læring på tvers"],
    "recruitment": ["Søkere til stillinger"],
    "colocation": ["Lokaler"],
}
ASSESSMENT_NAMES = {"positive": "Positiv", "negative": "Negativ", "mixed": "Blandet", "neutral": "Nøytral"}


@dataclass(frozen=True)
class Passage:
    """A coded passage: its text in the transcript, its codes, assessment and approval."""

    text: str
    codes: tuple[str, ...]
    assessment: str
    approved: bool


@dataclass(frozen=True)
class Interview:
    """A synthetic interview: attributes, transcript lines and coded passages."""

    group: str  # the project's value (Norwegian), mapped in the mapping file
    date: str  # ISO
    informants: int
    lines: tuple[str, ...]
    passages: tuple[Passage, ...]


INTERVIEWS = (
    Interview("Prosjektleder", "2024-03-05", 1, (
        "I: Hvordan fungerer samarbeidet nå?",
        "R: Vi møtes nå hver måned,",
        "og det har gjort terskelen lavere.",
        "I: Og lokalene?",
        "R: Lokalene er ikke klare ennå.",
    ), (
        Passage("Vi møtes nå hver måned,\nog det har gjort terskelen lavere.", ("Felles møteplasser",),
                "positive", True),  # spans a line break
        Passage("Lokalene er ikke klare ennå.", ("Lokaler",), "negative", False),
    )),
    Interview("Ansatt", "2024-04-10", 3, (
        "I: Er det lettere å rekruttere?",
        "R: Det er vanskelig å rekruttere, men flere søker nå enn før.",
        "R: Vi deler kunnskap på tvers nå.",
    ), (
        Passage("Det er vanskelig å rekruttere, men flere søker nå enn før.", ("Søkere til stillinger",),
                "mixed", True),
        Passage("Vi deler kunnskap på tvers nå.", ("Læring på tvers", "Felles møteplasser"), "positive", False),
    )),
)
GROUPS = {"Prosjektleder": "project_management", "Ansatt": "employees"}


def guid(tool: str, kind: int, number: int) -> str:
    """A deterministic guid: tool, kind of element and a number."""
    prefix = {"nvivo": "a", "atlas": "b", "qualcoder": "c", "maxqda": "d"}[tool]
    return f"{prefix}{kind:07x}-0000-4000-8000-{number:012x}"


@dataclass
class Project:
    """A project being written: the XML parts and the archive members."""

    tool: str
    origin: str
    folder: str
    newline: str = "\n"
    bom: bool = False
    crlf_counts: int = 2
    members: dict[str, bytes] = field(default_factory=dict)
    code_guid: dict[str, str] = field(default_factory=dict)
    counter: int = 0

    def next_guid(self, kind: int) -> str:
        self.counter += 1
        return guid(self.tool, kind, self.counter)

    def add_text(self, name: str, text: str) -> None:
        raw = text.replace("\n", self.newline).encode("utf-8")
        self.members[f"{self.folder}/{name}"] = (b"\xef\xbb\xbf" if self.bom else b"") + raw

    def span(self, text: str, passage: str) -> tuple[int, int]:
        """Start and end of a passage as the tool counts them (str.index on the counted text)."""
        counted = text.replace("\n", "\r\n") if self.newline == "\r\n" and self.crlf_counts == 2 else text
        needle = passage.replace("\n", "\r\n") if counted is not text else passage
        start = counted.index(needle)
        return start, start + len(needle)

    def archive(self, qde: str, path: Path) -> Path:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("project.qde", qde.encode("utf-8"))
            for name, data in self.members.items():
                archive.writestr(name, data)
        path.write_bytes(buffer.getvalue())
        return path


def _attrs(**values) -> str:
    return "".join(f" {k}={quoteattr(str(v))}" for k, v in values.items() if v is not None)


def _codebook(project: Project, *, theme_codable: bool, assessment: str, approval: str,
              nested: dict[str, list[str]] | None = None, extra: str = "") -> str:
    """The code book: themes with their codes, the assessment code with its sub-codes, the approval."""
    parts = ["<CodeBook><Codes>"]
    for theme, codes in THEMES.items():
        theme_guid = project.next_guid(1)
        parts.append(f"<Code{_attrs(guid=theme_guid, name=theme, isCodable=str(theme_codable).lower())}>")
        for code in codes:
            project.code_guid[code] = project.next_guid(1)
            children = (nested or {}).get(code, [])
            parts.append(f"<Code{_attrs(guid=project.code_guid[code], name=code, isCodable='true')}>")
            for child in children:
                project.code_guid[child] = project.next_guid(1)
                parts.append(f"<Code{_attrs(guid=project.code_guid[child], name=child, isCodable='true')}/>")
            parts.append("</Code>")
        parts.append("</Code>")
    parts.append(f"<Code{_attrs(guid=project.next_guid(1), name=assessment, isCodable='false')}>")
    for value, name in ASSESSMENT_NAMES.items():
        project.code_guid[value] = project.next_guid(1)
        parts.append(f"<Code{_attrs(guid=project.code_guid[value], name=name, isCodable='true')}/>")
    parts.append("</Code>")
    project.code_guid["approved"] = project.next_guid(1)
    parts.append(f"<Code{_attrs(guid=project.code_guid['approved'], name=approval, isCodable='true')}>"
                 "<Description>Sitatet er godkjent av informanten</Description></Code>")
    parts.append(extra + "</Codes></CodeBook>")
    return "".join(parts)


def _codings(project: Project, keys: list[str]) -> str:
    return "".join(f"<Coding{_attrs(guid=project.next_guid(7), creatingUser=USER)}>"
                   f"<CodeRef targetGUID={quoteattr(project.code_guid[k])}/></Coding>" for k in keys)


def _selections(project: Project, text: str, interview: Interview, *, one_per_code: bool,
                code_of: dict[str, str] | None = None) -> str:
    """The PlainTextSelections of one transcript: one per passage, or one per passage and code."""
    parts = []
    for passage in interview.passages:
        start, end = project.span(text, passage.text)
        keys = [(code_of or {}).get(c, c) for c in passage.codes] + [passage.assessment]
        keys += ["approved"] if passage.approved else []
        groups = [[k] for k in keys] if one_per_code else [keys]
        for group in groups:
            parts.append(f"<PlainTextSelection{_attrs(guid=project.next_guid(6), name=passage.text[:40], startPosition=start, endPosition=end, creatingUser=USER, creationDateTime='2024-05-02T10:00:00Z')}>"  # noqa: E501
                         + _codings(project, group) + "</PlainTextSelection>")
    return "".join(parts)


def _variables(project: Project, names: dict[str, str], types: dict[str, str]) -> tuple[str, dict[str, str]]:
    guids = {column: project.next_guid(4) for column in names}
    xml = "<Variables>" + "".join(
        f"<Variable{_attrs(guid=guids[c], name=names[c], typeOfVariable=types.get(c, 'Text'))}/>" for c in names
    ) + "</Variables>"
    return xml, guids


def _value(guid_: str, element: str, value: object) -> str:
    return (f"<VariableValue><VariableRef targetGUID={quoteattr(guid_)}/>"
            f"<{element}>{escape(str(value))}</{element}></VariableValue>")


def _interview_values(var: dict[str, str], interview: Interview, *, date: tuple[str, str], pilot: str,
                      informants: str) -> str:
    """The VariableValues of an interview: group, date (element, value), pilot, informants (element)."""
    return (_value(var["group"], "TextValue", interview.group) + _value(var["date"], *date)
            + _value(var["pilot"], "TextValue", pilot) + _value(var["n"], informants, interview.informants))


def _project_open(project: Project) -> str:
    attributes = _attrs(name="Pilot Statens hus - Stad", origin=project.origin, creationDateTime="2024-05-02T10:00:00Z")
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<Project xmlns="{NS}"{attributes}>'
            f"<Users><User{_attrs(guid=USER, name='Evaluator')}/></Users>")


def _transcript(interview: Interview) -> str:
    return "\n".join(interview.lines)


def nvivo(path: Path) -> Path:
    """An NVivo 14 project (see the module documentation)."""
    project = Project("nvivo", "NVivo 14", "Sources", newline="\r\n", bom=True, crlf_counts=2)
    case_guids = [project.next_guid(3) for _ in INTERVIEWS]
    case_codes = "".join(f"<Code{_attrs(guid=g, name=f'Intervju {n} Stad', isCodable='true')}/>"
                         for n, g in enumerate(case_guids, 1))
    codebook = _codebook(project, theme_codable=True, assessment="Vurdering", approval="Godkjent sitat",
                         nested={"Felles møteplasser": ["Månedlige møter"]}, extra=case_codes)
    variables, var = _variables(project, {"group": "Person:Informantgruppe", "date": "Person:Intervjudato",
                                          "pilot": "Person:Kommune", "n": "Person:Antall informanter"},
                                {"date": "Date", "n": "Integer"})
    cases, sources = [], []
    for number, (interview, case_guid) in enumerate(zip(INTERVIEWS, case_guids), 1):
        source_guid, text = project.next_guid(5), _transcript(interview)
        cases.append(f"<Case{_attrs(guid=case_guid, name=f'Intervju {number} Stad')}>"
                     + _interview_values(var, interview, date=("DateValue", interview.date), pilot="Stad",
                                         informants="IntegerValue")
                     + f"<SourceRef targetGUID={quoteattr(source_guid)}/></Case>")
        project.add_text(f"{source_guid}.txt", text)
        rich = project.next_guid(5)
        if number == 1:
            project.members[f"Sources/{rich}.docx"] = b"PK-not-read"
        code_of = {"Felles møteplasser": "Månedlige møter"} if number == 1 else None
        selections = _selections(project, text, interview, one_per_code=False, code_of=code_of)
        if number == 1:  # the case's own code over the whole transcript
            project.code_guid["case1"] = case_guid
            selections += (f"<PlainTextSelection{_attrs(guid=project.next_guid(6), startPosition=0, endPosition=len(text.replace(chr(10), chr(13) + chr(10))))}>"  # noqa: E501
                           + _codings(project, ["case1"]) + "</PlainTextSelection>")
        note = f"<NoteRef targetGUID={quoteattr(guid('nvivo', 8, 1))}/>" if number == 1 else ""
        sources.append(f"<TextSource{_attrs(guid=source_guid, name=f'Intervju {number} Stad', richTextPath=f'internal://{rich}.docx', plainTextPath=f'internal://{source_guid}.txt', creatingUser=USER)}>"  # noqa: E501
                       + selections + note + "</TextSource>")
    notes = (f"<Notes><Note{_attrs(guid=guid('nvivo', 8, 1), name='Memo')}><PlainTextContent>Notat om intervjuet"
             "</PlainTextContent></Note></Notes>")
    qde = (_project_open(project) + codebook + variables + "<Cases>" + "".join(cases) + "</Cases><Sources>"
           + "".join(sources) + "</Sources>" + notes + "</Project>")
    return project.archive(qde, path)


NVIVO_MAPPING = """\
# NVivo 14: classification variables in Norwegian, assessment and approval codes by name
variables:
  stakeholder_group: Informantgruppe
  date: Intervjudato
  pilot: Kommune
  informants: Antall informanter
values:
  stakeholder_group:
    Prosjektleder: project_management
    Ansatt: employees
codes:
  assessment: Vurdering
  approval: Godkjent sitat
crlf_counts_as: 2
"""


def atlas(path: Path) -> Path:
    """An ATLAS.ti project (see the module documentation)."""
    project = Project("atlas", "ATLAS.ti Windows 23.2.1", "sources", newline="\r\n", bom=True, crlf_counts=1)
    codebook = _codebook(project, theme_codable=False, assessment="Vurdering", approval="Godkjent sitat")
    variables, var = _variables(project, {"group": "Informantgruppe", "date": "Dato", "pilot": "Kommune",
                                          "n": "Antall"}, {"date": "Date", "n": "Integer"})
    sources = []
    for number, interview in enumerate(INTERVIEWS, 1):
        source_guid, text = project.next_guid(5), _transcript(interview)
        project.add_text(f"{source_guid}.txt", text)
        sources.append(f"<TextSource{_attrs(guid=source_guid, name=f'Stad {number:02d}.docx', plainTextPath=f'internal://{source_guid}.txt')}>"  # noqa: E501
                       + _selections(project, text, interview, one_per_code=False)
                       + _interview_values(var, interview, date=("DateValue", interview.date), pilot="stad",
                                           informants="IntegerValue")
                       + "</TextSource>")
    sets = (f"<Sets><Set{_attrs(guid=project.next_guid(9), name='Samarbeid')}>"
            f"<MemberCode targetGUID={quoteattr(project.code_guid['Felles møteplasser'])}/></Set>"
            f"<Set{_attrs(guid=project.next_guid(9), name='Stad')}><MemberSource targetGUID={quoteattr(guid('atlas', 5, 1))}/>"  # noqa: E501
            "</Set></Sets>")
    notes = (f"<Notes><Note{_attrs(guid=project.next_guid(8), name='Memo')}><PlainTextContent>Memo</PlainTextContent>"
             "</Note></Notes>")
    qde = (_project_open(project) + codebook + variables + "<Sources>" + "".join(sources) + "</Sources>" + notes + sets
           + "</Project>")
    return project.archive(qde, path)


ATLAS_MAPPING = """\
variables:
  stakeholder_group: Informantgruppe
  date: Dato
  pilot: Kommune
  informants: Antall
values:
  stakeholder_group: {Prosjektleder: project_management, Ansatt: employees}
codes: {assessment: Vurdering, approval: Godkjent sitat}
crlf_counts_as: 1   # ATLAS.ti counts a CR LF line break as one character
"""


def qualcoder(path: Path) -> Path:
    """A QualCoder project (see the module documentation)."""
    project = Project("qualcoder", "QualCoder 3.6", "sources", bom=True)
    codebook = _codebook(project, theme_codable=False, assessment="Vurdering", approval="Godkjent sitat")
    variables, var = _variables(project, {"group": "stakeholder", "date": "date", "pilot": "pilot", "n": "informants"},
                                {"n": "Float"})
    cases, sources = [], []
    for number, interview in enumerate(INTERVIEWS, 1):
        source_guid, text = project.next_guid(5), _transcript(interview)
        project.add_text(f"{source_guid}.txt", text)
        cases.append(f"<Case{_attrs(guid=project.next_guid(3), name=f'Stad {chr(64 + number)}')}><Description />"
                     + _interview_values(var, interview, date=("TextValue", interview.date), pilot="stad",
                                         informants="FloatValue")
                     + f"<SourceRef targetGUID={quoteattr(source_guid)}/></Case>")
        sources.append(f"<TextSource{_attrs(plainTextPath=f'internal://{source_guid}.txt', creatingUser=USER, creationDateTime='2024-05-01T09:00:00Z', guid=source_guid, name=f'stad_{number}.txt')}>"  # noqa: E501
                       + _selections(project, text, interview, one_per_code=True) + "</TextSource>")
    journal = project.next_guid(8)
    project.members[f"sources/{journal}.txt"] = "Feltnotater".encode("utf-8-sig")
    notes = f"<Notes><Note{_attrs(guid=journal, name='Journal', plainTextPath=f'internal://{journal}.txt')}><Description /></Note></Notes>"  # noqa: E501
    qde = (_project_open(project) + codebook + variables + "<Cases>" + "".join(cases) + "</Cases><Sources>"
           + "".join(sources) + "</Sources>" + notes + "<Description>Prosjektet</Description></Project>")
    return project.archive(qde, path)


QUALCODER_MAPPING = """\
variables: {stakeholder_group: stakeholder}
values:
  stakeholder_group: {Prosjektleder: project_management, Ansatt: employees}
codes: {assessment: Vurdering, approval: Godkjent sitat}
"""


def maxqda(path: Path) -> Path:
    """A MAXQDA project (see the module documentation)."""
    project = Project("maxqda", "MAXQDA 2022", "sources")
    codebook = _codebook(project, theme_codable=True, assessment="Vurdering", approval="Godkjent sitat")
    variables, var = _variables(project, {"group": "Informantgruppe", "date": "Intervjudato", "pilot": "Kommune",
                                          "n": "Informanter"}, {"n": "Integer"})
    cases, sources = [], []
    for number, interview in enumerate(INTERVIEWS, 1):
        source_guid, text = project.next_guid(5), _transcript(interview)
        project.add_text(f"{source_guid}.txt", text)
        day = "{2}.{1}.{0}".format(*interview.date.split("-"))
        cases.append(f"<Case{_attrs(guid=project.next_guid(3))}>"
                     + _interview_values(var, interview, date=("TextValue", day), pilot="Stad",
                                         informants="IntegerValue")
                     + f"<SourceRef targetGUID={quoteattr(source_guid)}/></Case>")
        memo = (f"<PlainTextSelection{_attrs(guid=project.next_guid(6), startPosition=0, endPosition=2)}>"
                "<Description>Intervjuer</Description></PlainTextSelection>")
        sources.append(f"<TextSource{_attrs(guid=source_guid, name=f'Stad-intervju {number}', plainTextPath=f'internal://{source_guid}.txt')}>"  # noqa: E501
                       + _selections(project, text, interview, one_per_code=True) + memo + "</TextSource>")
    sets = (f"<Sets><Set{_attrs(guid=project.next_guid(9), name='Stad')}>"
            + "".join(f"<MemberSource targetGUID={quoteattr(guid('maxqda', 5, n))}/>" for n in (1,)) + "</Set></Sets>")
    qde = (_project_open(project) + codebook + variables + "<Cases>" + "".join(cases) + "</Cases><Sources>"
           + "".join(sources) + "</Sources>" + sets + "</Project>")
    return project.archive(qde, path)


MAXQDA_MAPPING = """\
variables:
  stakeholder_group: Informantgruppe
  date: Intervjudato
  pilot: Kommune
  informants: Informanter
values:
  stakeholder_group:
    prosjektleder: project_management   # matched without regard to letter case
    ANSATT: employees
codes:
  assessment: Vurdering
  approval: Godkjent sitat
"""

TOOLS = {"nvivo": (nvivo, NVIVO_MAPPING), "atlas": (atlas, ATLAS_MAPPING), "qualcoder": (qualcoder, QUALCODER_MAPPING),
         "maxqda": (maxqda, MAXQDA_MAPPING)}
"""Tool: (builder, mapping file text)."""


def build(tool: str, folder: Path) -> tuple[Path, Path]:
    """Write a tool's project and its mapping file into ``folder``; return both paths."""
    builder, mapping = TOOLS[tool]
    mapping_path = folder / f"{tool}.yaml"
    mapping_path.write_text(mapping, encoding="utf-8")
    return builder(folder / f"{tool}.qdpx"), mapping_path


def project_xml(path: Path) -> bytes:
    """The ``project.qde`` of an archive."""
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")
