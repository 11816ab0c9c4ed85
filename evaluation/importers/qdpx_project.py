"""What :func:`evaluation.importers.read_qdpx` makes of a parsed ``project.qde``, step by step.

:class:`QdpxProject` reads the variables, the cases (the interviews), the code book and the text
sources with their selections, merges selections over the same span into passages, and turns
the passages into segment rows; it counts what it leaves out for the import summary. The rules
are documented on :func:`~evaluation.importers.read_qdpx`.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from evaluation.contract.vocabulary import OPAQUE_ID_PATTERN, STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError, DataProblem
from evaluation.importers.qda import (
    QdaImport, assessment, codebook_rows, frames, make_id, parse_date, parse_informants, segment_rows,
    stakeholder_group,
)
from evaluation.importers.qda_mapping import INTERVIEW_VARIABLES, QdaMapping, value_key

_VALUE_ELEMENTS = ("TextValue", "DateValue", "DateTimeValue", "IntegerValue", "FloatValue", "BooleanValue")
_OTHER_SOURCES = ("PictureSource", "PDFSource", "AudioSource", "VideoSource")
_IGNORED = "ignored: not imported"


def guid_key(value: str | None) -> str:
    """A REFI-QDA guid without braces, in lower case (the form used to match references)."""
    return (value or "").strip().strip("{}").lower()


def derived_id(pilot: str, label: str) -> str:
    """A stable, valid interview id from a pilot and a case's label.

    ``i-<pilot>-<the first 8 hex digits of the SHA-256 of the NFC-normalised label>``: the
    same label always gives the same id, in any export of any tool.

    Examples
    --------
    >>> derived_id("stad", "Intervju 1 Stad") == derived_id("stad", " Intervju 1 Stad ")
    True
    >>> derived_id("stad", "Intervju 1 Stad").startswith("i-stad-")
    True
    """
    digest = hashlib.sha256(unicodedata.normalize("NFC", " ".join(label.split())).encode("utf-8")).hexdigest()
    return f"i-{pilot}-{digest[:8]}"


@dataclass
class _Passage:
    """Selections over one span of one source: their codes, interviews and text."""

    selection: object
    source: str
    start: int
    end: int
    quote: str
    keys: list[str] = field(default_factory=list)
    owners: set[int] = field(default_factory=set)
    source_owner: int | None = None


class QdpxProject:
    """A parsed ``project.qde`` read into the contract's frames.

    Parameters
    ----------
    xml : object
        The parsed ``project.qde`` (``root``, ``file`` and the helpers ``q``, ``children``,
        ``text``, ``required``, ``error``, ``where`` and ``line``).
    mapping : QdaMapping
        The interview mapping.
    source_text : callable
        ``source_text(element, plain_text_path)``: the text of a source file in the archive.
    """

    def __init__(self, xml, mapping: QdaMapping, source_text: Callable[[object, str], str]):
        self.xml = xml
        self.mapping = mapping
        self.source_text = source_text
        self.summary: Counter = Counter()
        self.problems: list[DataProblem] = []
        self.variables: dict[str, str] = {}
        self.variable_names: dict[str, str] = {}
        self.interviews: list[dict] = []
        self.labels: list[dict] = []
        self.seen_ids: dict[str, object] = {}
        self.case_index: dict[str, int] = {}
        self.interview_of_source: dict[str, int] = {}
        self.interview_of_selection: dict[str, int] = {}
        self.nodes: list[dict] = []
        self.elements: dict[str, object] = {}
        self.assessment_of: dict[str, str] = {}
        self.approval_keys: set[str] = set()
        self.case_spans: dict[str, list[tuple[int, int, int]]] = {}
        self.passages: dict[tuple[str, int, int], _Passage] = {}

    def read(self, file: str) -> QdaImport:
        """Read everything; raise every problem found at once."""
        xml = self.xml
        self._count_project_parts()
        self.read_variables()
        sources = {guid_key(s.get("guid")): s for s in xml.children(xml.root.find(xml.q("Sources")), "TextSource")}
        self.read_cases(sources)
        self.read_codes()
        self.read_sources()
        used = {key for passage in self.passages.values() for key in passage.keys}
        codebook, code_of = codebook_rows(self.nodes, used, xml.file,
                                          lambda node: xml.where(self.elements[node["key"]]))
        segments = self.segments(code_of)
        self._raise()
        summary = [{"part": part, "count": count, "treatment": treatment}
                   for (part, treatment), count in self.summary.items()]
        return frames(self.interviews, segments, codebook, file, summary=summary, labels=self.labels)

    def _raise(self) -> None:
        if self.problems:
            raise DataContractError(self.problems)

    def _problem(self, element, message: str, expected: str = "") -> None:
        self.problems.append(DataProblem(self.xml.file, *self.xml.where(element), message, expected))

    def _count_project_parts(self) -> None:
        """Count the parts of the project that are not read (notes, sets, links, graphs)."""
        xml = self.xml
        for container, local, treatment in (("Notes", "Note", "ignored: notes and memos are not imported"),
                                            ("Sets", "Set", "ignored: code and document groups are not imported"),
                                            ("Links", "Link", _IGNORED), ("Graphs", "Graph", _IGNORED)):
            count = len(xml.children(xml.root.find(xml.q(container)), local))
            if count:
                self.summary[(local, treatment)] += count

    # --- variables and cases -----------------------------------------------------------------

    def read_variables(self) -> None:
        """Map each variable's guid to a contract column, by the mapping or by its name."""
        xml, mapping = self.xml, self.mapping
        names = {guid_key(xml.required(e, "guid")): xml.required(e, "name").strip()
                 for e in xml.children(xml.root.find(xml.q("Variables")), "Variable")}
        self.variable_names = names

        def same(project_name: str, wanted: str) -> bool:
            return value_key(wanted) in (value_key(project_name), value_key(project_name.rsplit(":", 1)[-1]))

        for column, wanted in mapping.variables.items():
            found = [guid for guid, name in names.items() if same(name, wanted)]
            if len(found) != 1:
                what = "has no variable" if not found else f"has {len(found)} variables named"
                self.problems.append(mapping.problem(f"variables.{column}", f"the project {what} {wanted!r}",
                                                     "one of " + ", ".join(sorted(set(names.values())))))
            else:
                self.variables[found[0]] = column
        by_convention: dict[str, list[str]] = {}
        for guid, name in names.items():
            column = make_id(name.rsplit(":", 1)[-1])
            if guid not in self.variables and column in INTERVIEW_VARIABLES and column not in mapping.variables \
                    and column not in mapping.constants:
                by_convention.setdefault(column, []).append(guid)
        for column, guids in by_convention.items():
            if len(guids) > 1:
                self.problems.append(mapping.problem("variables", f"{len(guids)} variables of the project could give "
                                                     f"{column}: " + ", ".join(repr(names[g]) for g in guids),
                                                     f"variables: {column}: NAME in the mapping, naming one"))
            else:
                self.variables[guids[0]] = column
        self._raise()

    def _values(self, element) -> dict[str, tuple[str | None, object]]:
        """Contract column to ``(value, element)`` from an element's ``VariableValue``\\ s."""
        xml = self.xml
        values = {}
        for value_element in xml.children(element, "VariableValue"):
            reference = value_element.find(xml.q("VariableRef"))
            if reference is None:
                raise xml.error(value_element, "VariableValue has no VariableRef",
                                "<VariableRef targetGUID=...> as its first child")
            target = guid_key(reference.get("targetGUID"))
            if target not in self.variable_names:
                raise xml.error(reference, f"variable {reference.get('targetGUID')!r} is not defined",
                                "the guid of a Variable in <Variables>")
            column = self.variables.get(target)
            if column is None:
                continue
            value = None
            for local in _VALUE_ELEMENTS:
                child = value_element.find(xml.q(local))
                if child is not None:
                    value = (child.text or "").strip() or None
                    break
            values[column] = (value, value_element)
        return values

    def read_cases(self, sources: dict[str, object]) -> None:
        """Each case is an interview; note the sources and selections it refers to."""
        xml = self.xml
        for case in xml.children(xml.root.find(xml.q("Cases")), "Case"):
            key = guid_key(xml.required(case, "guid"))
            name = " ".join((case.get("name") or "").split())
            refs = [guid_key(xml.required(r, "targetGUID")) for r in xml.children(case, "SourceRef")]
            label = name or " + ".join(sources[r].get("name") or r for r in refs if r in sources) or f"case {key}"
            if not name:
                self.summary[("Case without a name", "an interview labelled by the name of its document")] += 1
            if xml.children(case, "Description"):
                self.summary[("Description of a case", "ignored: memos are not imported")] += 1
            index = self._add_interview(case, self._values(case), label, name)
            self.case_index[key] = index
            for reference, target in zip(xml.children(case, "SourceRef"), refs):
                if self.interview_of_source.get(target, index) != index:
                    self._problem(reference, "source belongs to two interview cases", "each source in one case")
                elif target not in sources:
                    self._problem(reference, "the case refers to a source that is not a TextSource of the project",
                                  "the guid of a TextSource in <Sources>")
                self.interview_of_source.setdefault(target, index)
            for reference in xml.children(case, "SelectionRef"):
                self.interview_of_selection[guid_key(xml.required(reference, "targetGUID"))] = index

    def _add_interview(self, element, values: dict, label: str, name: str) -> int:
        """Add the interview of a case (or source); its problems are collected. Returns its index."""
        row = self._interview(element, values)
        identifier, id_from = self._interview_id(element, values, label, name, row.get("pilot") or "")
        if identifier in self.seen_ids:
            self._problem(element, f"interview {identifier!r} appears twice (the same id or label as line "
                          f"{self.xml.line(self.seen_ids[identifier])})", "each interview once, with its own name")
        self.seen_ids[identifier] = element
        self.interviews.append({"interview_id": identifier, **row})
        self.labels.append({"interview_id": identifier, "label": label, "id_from": id_from})
        if id_from == "derived":
            self.summary[("Case (or source) without a name that is an id",
                          "an interview id derived from its label")] += 1
        return len(self.interviews) - 1

    def _interview_id(self, element, values: dict, label: str, name: str, pilot: str) -> tuple[str, str]:
        value, at = values.get("interview_id", (None, None))
        if value is not None:
            if not OPAQUE_ID_PATTERN.match(value):
                self._problem(at, f"interview_id {value!r} is not a valid id",
                              "letters, digits, ., - and _ (or no interview_id variable: an id is derived)")
            return value, "variable"
        if name and OPAQUE_ID_PATTERN.match(name):
            return name, "name"
        return derived_id(pilot or "x", label), "derived"

    def _interview(self, element, values: dict) -> dict:
        """pilot, date, stakeholder_group and informants of an interview (problems collected)."""
        mapping = self.mapping
        row: dict = {"pilot": mapping.constants.get("pilot"), "date": None,
                     "stakeholder_group": mapping.constants.get("stakeholder_group"),
                     "informants": mapping.constants.get("informants", 1)}
        for column in ("pilot", "date", "stakeholder_group"):
            if row[column] is None and values.get(column, (None,))[0] is None:
                self._problem(element, f"variable {column!r} is missing",
                              f"a {column} variable on every interview case (or in {mapping.where('variables')})")
        if row["pilot"] is None and values.get("pilot", (None,))[0] is not None:
            value, _ = values["pilot"]
            row["pilot"] = mapping.values.get("pilot", {}).get(value_key(value)) or make_id(value)
        if values.get("date", (None,))[0] is not None:
            value, at = values["date"]
            row["date"] = parse_date(value, dotted=True)
            if row["date"] is None:
                self._problem(at, f"date {value!r} is not a date", "an ISO 8601 date such as 2022-09-20, or 20.09.2022")
        if row["stakeholder_group"] is None and values.get("stakeholder_group", (None,))[0] is not None:
            value, at = values["stakeholder_group"]
            row["stakeholder_group"] = (mapping.values.get("stakeholder_group", {}).get(value_key(value))
                                        or stakeholder_group(value))
            if row["stakeholder_group"] is None:
                self._problem(at, f"unknown stakeholder group {value!r}",
                              "one of " + ", ".join(STAKEHOLDER_GROUPS) + " (or their labels), or a line "
                              f"'{value}: GROUP' under values.stakeholder_group in {mapping.where('values')}")
        if values.get("informants", (None,))[0] is not None:
            value, at = values["informants"]
            row["informants"] = parse_informants(value)
            if row["informants"] is None:
                self._problem(at, f"informants {value!r} is not a positive integer", "1, 2, 3, …")
        return row

    # --- codes -------------------------------------------------------------------------------

    def read_codes(self) -> None:
        """Read the code book; note the assessment and approval codes and NVivo's case codes."""
        xml, mapping = self.xml, self.mapping
        codebook = xml.root.find(xml.q("CodeBook"))
        codes = codebook.find(xml.q("Codes")) if codebook is not None else None
        for element in xml.children(codes, "Code"):
            self._walk(element, None, None)
        for kind, name, path in (("assessment", mapping.assessment_code, "codes.assessment"),
                                 ("approval", mapping.approval_code, "codes.approval")):
            found = [n for n in self.nodes if n["control"] == kind]
            if len(found) > 1:
                self._problem(self.elements[found[1]["key"]], f"two codes are named {name!r}",
                              f"one {kind} code (name it in {mapping.where(path)})")
            elif not found and path in mapping.lines:
                self.problems.append(mapping.problem(path, f"the project has no code named {name!r}",
                                                     "the name of a code of the project's code book"))

    def _walk(self, element, parent: str | None, control: str | None) -> None:
        xml, mapping = self.xml, self.mapping
        key = guid_key(xml.required(element, "guid"))
        if key in self.elements:
            raise xml.error(element, f"guid {element.get('guid')!r} is used twice", "unique guids")
        name = xml.required(element, "name").strip()
        self.elements[key] = element
        if key in self.case_index:  # NVivo writes each case as a code too, with the case's guid
            self.summary[("Code of a case", "its codings assign passages to the case's interview")] += 1
            return
        codable = (element.get("isCodable") or "true").strip().lower() not in ("false", "0")
        own = None
        if control is None:
            own = {make_id(mapping.assessment_code): "assessment", make_id(mapping.approval_code): "approval"}.get(
                make_id(name))
        children = xml.children(element, "Code")
        self.nodes.append({"key": key, "name": name, "parent": parent, "description": xml.text(element, "Description"),
                           "has_children": bool(children), "codable": codable, "control": own,
                           "control_below": control is not None})
        if not codable and parent is not None and own is None and control is None:
            self.summary[("Code with isCodable=false", "a container: not a code of the codebook")] += 1
        if control == "assessment" and codable:
            value = mapping.assessments.get(value_key(name)) or assessment(name)
            if value is None:
                self._problem(element, f"assessment code {name!r} is not an assessment",
                              "positive, negative, mixed or neutral (or positiv, negativ, blandet, nøytral), or a "
                              f"line under codes.assessments in {mapping.where('codes')}")
            else:
                self.assessment_of[key] = value
        if (own or control) == "approval":
            self.approval_keys.add(key)
        for child in children:
            self._walk(child, key, own or control)

    # --- sources and selections --------------------------------------------------------------

    def read_sources(self) -> None:
        """Read the text sources and their selections into passages."""
        xml = self.xml
        container = xml.root.find(xml.q("Sources"))
        for source in [] if container is None else list(container):
            local = source.tag.rsplit("}", 1)[-1]
            if local != "TextSource":
                self.summary[(local, "ignored: only text sources are read")] += 1
                continue
            key = guid_key(xml.required(source, "guid"))
            selections = xml.children(source, "PlainTextSelection")
            text = self._text(source, selections)
            index = self.interview_of_source.get(key)
            values = self._values(source)
            if index is None and values:  # interview variables on the source itself
                name = " ".join((source.get("name") or "").split())
                index = self._add_interview(source, values, name or f"source {key}", name)
                self.interview_of_source[key] = index
            for coding in xml.children(source, "Coding"):
                target = guid_key(self._code_ref(coding))
                if target in self.case_index:
                    self.case_spans.setdefault(key, []).append((0, len(text), self.case_index[target]))
                else:
                    self.summary[("Coding of a whole source", "ignored: only coded passages are read")] += 1
            if xml.children(source, "NoteRef"):
                self.summary[("NoteRef of a source", "ignored: memos are not imported")] += 1
            for selection in selections:
                self._read_selection(selection, key, text, index)
        self._raise()

    def _text(self, source, selections: list) -> str:
        """The plain text of a source, with CR LF read as the mapping says."""
        xml = self.xml
        content = source.find(xml.q("PlainTextContent"))
        if content is not None:
            text = content.text or ""
        elif source.get("plainTextPath"):
            text = self.source_text(source, source.get("plainTextPath"))
        elif selections:
            raise xml.error(source, "source has neither PlainTextContent nor plainTextPath"
                            + (" (only a rich-text file)" if source.get("richTextPath") else ""),
                            "one of them (REFI-QDA: either PlainTextContent or plainTextPath)")
        else:
            return ""
        if "\r\n" not in text or self.mapping.crlf_counts_as == 2:
            return text
        if self.mapping.crlf_counts_as == 1:
            return text.replace("\r\n", "\n")
        first = text.index("\r\n")
        ends = [int(s.get("endPosition")) for s in selections if (s.get("endPosition") or "").strip().isdigit()]
        if any(end > first for end in ends):
            origin = xml.root.get("origin")
            self._problem(source, "the transcript has Windows line breaks (CR LF) before coded passages, and the "
                          "mapping does not say how the tool" + (f" ({origin})" if origin else "") + " counted them",
                          "crlf_counts_as: 2 (every character of the plain text, as the standard counts: NVivo) or "
                          f"1 (a CR LF pair as one character: ATLAS.ti) in {self.mapping.where('crlf_counts_as')}")
        return text

    def _code_ref(self, coding) -> str:
        xml = self.xml
        reference = coding.find(xml.q("CodeRef"))
        if reference is None:
            raise xml.error(coding, "Coding has no CodeRef", "<CodeRef targetGUID=...>")
        target = guid_key(reference.get("targetGUID"))
        if target not in self.elements and target not in self.case_index:
            raise xml.error(reference, f"code {reference.get('targetGUID')!r} is not in the code book",
                            "the guid of a Code in <CodeBook>")
        return target

    def _read_selection(self, selection, source: str, text: str, index: int | None) -> None:
        xml = self.xml
        selection_key = guid_key(xml.required(selection, "guid"))
        start_text, end_text = xml.required(selection, "startPosition"), xml.required(selection, "endPosition")
        try:
            start, end = int(start_text), int(end_text)
        except ValueError:
            raise xml.error(selection, f"positions {start_text!r}, {end_text!r} are not integers",
                            "integer character offsets") from None
        if not 0 <= start <= end <= len(text):
            raise xml.error(selection, f"selection {start}-{end} lies outside the source text "
                            f"of {len(text)} characters", f"0 <= start <= end <= {len(text)}")
        if xml.children(selection, "Description") or xml.children(selection, "NoteRef"):
            self.summary[("memo of a selection", "ignored: memos are not imported")] += 1
        keys, owners = [], set()
        for coding in xml.children(selection, "Coding"):
            target = self._code_ref(coding)
            if target in self.case_index:
                owners.add(self.case_index[target])
            elif target not in keys:
                keys.append(target)
        if selection_key in self.interview_of_selection:
            owners.add(self.interview_of_selection[selection_key])
        if not keys:
            if owners:  # coded only with a case's code: the span belongs to that case
                self.case_spans.setdefault(source, []).extend((start, end, o) for o in owners)
            else:
                self.summary[("PlainTextSelection without a code", "ignored: an annotation, not a coded passage")] += 1
            return
        passage = self.passages.get((source, start, end))
        if passage is None:
            quote = text[start:end].replace("\r\n", "\n").replace("\r", "\n")
            self.passages[(source, start, end)] = _Passage(selection, source, start, end, quote, keys, owners, index)
            return
        self.summary[("PlainTextSelection over the span of another", "merged into one passage with all its codes")] += 1
        passage.keys += [k for k in keys if k not in passage.keys]
        passage.owners |= owners

    # --- segments ----------------------------------------------------------------------------

    def _owner(self, passage: _Passage) -> set[int]:
        if passage.owners:
            return passage.owners
        spans = {o for s, e, o in self.case_spans.get(passage.source, []) if s <= passage.start and passage.end <= e}
        if spans:
            return spans
        return set() if passage.source_owner is None else {passage.source_owner}

    def segments(self, code_of: dict[str, str]) -> list[dict]:
        """The segment rows: one per passage and theme code, in file order."""
        segments: list[dict] = []
        unassessed = self.mapping.unassessed
        for passage in self.passages.values():
            theme_keys = [k for k in passage.keys if k in code_of]
            if not theme_keys:
                self.summary[("PlainTextSelection coded only with assessment or approval codes",
                              "ignored: no theme code")] += 1
                continue
            owners = self._owner(passage)
            if len(owners) != 1:
                self._problem(passage.selection, "coded selection belongs to " + (
                    "no interview" if not owners else f"{len(owners)} interviews"),
                    "its source in one interview Case (SourceRef), or interview variables on the source")
                continue
            values = sorted({self.assessment_of[k] for k in passage.keys if k in self.assessment_of})
            if len(values) > 1:
                self._problem(passage.selection, f"passage has several assessments ({', '.join(values)})",
                              "one assessment code per coded passage")
                continue
            if not values and unassessed == "error":
                self._problem(passage.selection, "coded passage has no assessment code",
                              f"a sub-code of {self.mapping.assessment_code!r} over the same span, or "
                              f"codes: unassessed: neutral (or skip) in {self.mapping.where('codes')}")
                continue
            if not values:
                self.summary[("coded passage without an assessment", "left out, as the mapping says" if
                              unassessed == "skip" else "assessed neutral, as the mapping says")] += 1
                if unassessed == "skip":
                    continue
            approved = "yes" if any(k in self.approval_keys for k in passage.keys) else "no"
            segments += segment_rows(guid_key(passage.selection.get("guid")),
                                     self.interviews[next(iter(owners))]["interview_id"],
                                     [code_of[k] for k in theme_keys], values[0] if values else "neutral",
                                     passage.quote.strip(), approved)
        return segments


__all__ = ["QdpxProject", "derived_id", "guid_key"]
