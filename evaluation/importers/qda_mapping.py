"""The interview mapping file: what a REFI-QDA import cannot guess, said once in a small YAML file.

A coding project names its things as the evaluators named them in NVivo, ATLAS.ti, MAXQDA or
QualCoder. The mapping says which variable holds each interview attribute, how the project's
values map onto the contract's ids, which codes carry the assessment and the quote approval, what
a coded passage without an assessment is, and how the tool counted a Windows line break::

    # intervjuer-stad.yaml: the NVivo project of the Stad interviews
    variables:                  # contract column: the project's variable
      stakeholder_group: Informantgruppe
      date: Intervjudato
      informants: Antall informanter   # optional; else 1
      interview_id: Intervju-ID        # optional; else from the case (see read_qdpx)
    constants:                  # one value for every interview of the project
      pilot: stad
    values:                     # the project's values: contract ids
      stakeholder_group:
        Prosjektleder: project_management
        Styringsgruppe: steering_group
        Leder i etat: agency_management
        Ansatt: employees
    codes:
      assessment: Vurdering     # top-level code; its sub-codes are the assessments
      assessments:              # optional: sub-code: assessment
        Bra: positive
        Dårlig: negative
      approval: Godkjent sitat  # the code that marks a quote the informant approved
      unassessed: error         # a coded passage without an assessment: error, neutral or skip
    crlf_counts_as: 2           # characters a CR LF line break counts in the tool's positions

Every key is optional. Without a mapping (or a key), the conventions of
:mod:`evaluation.importers.qda` apply: variables named after the contract columns, values that are
contract ids or their labels, the codes ``assessment`` and ``quote_approved``, an error for an
unassessed passage, and an error for a transcript with CR LF line breaks coded after its first
one (see :func:`evaluation.importers.read_qdpx`). Unknown keys are refused; every problem is
reported as ``MAPPING:LINE:KEY.PATH``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from evaluation.contract.vocabulary import ASSESSMENTS, ID_PATTERN, STAKEHOLDER_GROUPS
from evaluation.errors import DataContractError, DataProblem
from evaluation.importers.yaml_lines import LocatedParser, read_yaml_file

INTERVIEW_VARIABLES = ("interview_id", "pilot", "date", "stakeholder_group", "informants")
"""The contract columns an interview's variables can fill."""

UNASSESSED = ("error", "neutral", "skip")
"""What a coded passage without an assessment code becomes: an error, ``neutral``, or left out."""

_TOP_KEYS = ("description", "variables", "constants", "values", "codes", "crlf_counts_as")
_CONSTANT_KEYS = ("pilot", "stakeholder_group", "informants")
_VALUE_KEYS = ("pilot", "stakeholder_group")
_CODE_KEYS = ("assessment", "assessments", "approval", "unassessed")


@dataclass(frozen=True)
class QdaMapping:
    """A parsed interview mapping (see the module documentation for the file).

    Attributes
    ----------
    file : str
        The mapping file; ``""`` when no mapping was given (the conventions).
    variables : dict
        Contract column -> the project's variable name.
    constants : dict
        Contract column (``pilot``, ``stakeholder_group``, ``informants``) -> one value.
    values : dict
        Contract column (``pilot``, ``stakeholder_group``) -> {project value: contract id}.
    assessment_code, approval_code : str
        Names of the assessment code (whose sub-codes are the assessments) and the approval code.
    assessments : dict
        Assessment sub-code name -> assessment, for names that are not assessments themselves.
    unassessed : {"error", "neutral", "skip"}
        What a coded passage without an assessment code becomes.
    crlf_counts_as : {1, 2} or None
        Characters a CR LF pair counts in the tool's positions; ``None``: not said.
    lines : dict
        Key path -> line of the mapping file.
    """

    file: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    constants: dict[str, object] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    assessment_code: str = "assessment"
    approval_code: str = "quote_approved"
    assessments: dict[str, str] = field(default_factory=dict)
    unassessed: str = "error"
    crlf_counts_as: int | None = None
    lines: dict[str, int] = field(default_factory=dict)

    def where(self, path: str) -> str:
        """``FILE:LINE`` of a key path of the mapping (``"the mapping"`` without a file)."""
        if not self.file:
            return "an interview mapping file (--mapping)"
        while path and path not in self.lines:
            path = path.rpartition(".")[0]
        return f"{self.file}:{self.lines[path]}" if path else self.file

    def problem(self, path: str, message: str, expected: str = "") -> DataProblem:
        """A problem located at a key path of the mapping file."""
        line = None
        probe = path
        while probe and line is None:
            line, probe = self.lines.get(probe), probe.rpartition(".")[0]
        return DataProblem(self.file or "(mapping)", line, path or None, message, expected)


def value_key(value: object) -> str:
    """A project value as compared with a mapping's keys: stripped and case-folded."""
    return " ".join(str(value).split()).casefold()


def read_qda_mapping(mapping: str | Path | dict | QdaMapping | None) -> QdaMapping:
    """Read and check an interview mapping file (or a parsed one, or none).

    Parameters
    ----------
    mapping : str, Path, dict, QdaMapping or None
        The YAML file, its content as a dict, a mapping already read, or ``None`` for the
        conventions.

    Returns
    -------
    QdaMapping
        The mapping, with the line of every key.

    Raises
    ------
    DataContractError
        If the file is missing, not valid YAML, or breaks the format; every problem is located
        as ``MAPPING:LINE:KEY.PATH``.

    Examples
    --------
    >>> read_qda_mapping({"constants": {"pilot": "stad"}, "crlf_counts_as": 2}).crlf_counts_as
    2
    """
    if mapping is None:
        return QdaMapping()
    if isinstance(mapping, QdaMapping):
        return mapping
    if isinstance(mapping, dict):
        data, file = mapping, "(mapping)"
    else:
        file = str(mapping)
        data = read_yaml_file(mapping, what="a YAML interview mapping file (see data/README.md)")
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise DataContractError.single(file, 1, None, "the mapping is not a YAML mapping",
                                       "keys such as variables:, values: and codes:")
    parser = _Parser(data, file)
    result = parser.parse()
    if parser.problems:
        raise DataContractError(parser.problems)
    return result


class _Parser(LocatedParser):
    """The checks of one interview mapping's sections."""

    def parse(self) -> QdaMapping:
        for key in self.data:
            if key not in _TOP_KEYS:
                self.add(str(key), f"unknown key {key!r}", "one of " + ", ".join(_TOP_KEYS))
        variables = self.variables()
        constants = self.constants(variables)
        values = self.values()
        codes = self.codes()
        crlf = self.data.get("crlf_counts_as")
        if crlf is not None and (isinstance(crlf, bool) or crlf not in (1, 2)):
            self.add("crlf_counts_as", f"{crlf!r} is not 1 or 2",
                     "2 (every character of the plain text, as the standard counts: NVivo) or 1 (ATLAS.ti)")
            crlf = None
        return QdaMapping(file=self.file, variables=variables, constants=constants, values=values,
                          crlf_counts_as=crlf, lines=dict(self.lines), **codes)

    def variables(self) -> dict[str, str]:
        variables = {}
        for key, name in self.section("variables", INTERVIEW_VARIABLES).items():
            if key not in INTERVIEW_VARIABLES:
                continue
            if not isinstance(name, str) or not name.strip():
                self.add(f"variables.{key}", f"variables.{key} does not name a variable",
                         "the name of a variable (attribute) of the project")
                continue
            variables[key] = name.strip()
        return variables

    def constants(self, variables: dict[str, str]) -> dict[str, object]:
        constants: dict[str, object] = {}
        for key, value in self.section("constants", _CONSTANT_KEYS).items():
            if key not in _CONSTANT_KEYS:
                continue
            path = f"constants.{key}"
            if key in variables:
                self.add(path, f"{key} is given both as a variable and as a constant", "one of the two")
            elif key == "informants" and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                self.add(path, f"{value!r} is not a positive whole number", "1, 2, 3, …")
            elif key == "stakeholder_group" and value not in STAKEHOLDER_GROUPS:
                self.add(path, f"{value!r} is not a stakeholder group", "one of " + ", ".join(STAKEHOLDER_GROUPS))
            elif key == "pilot" and (not isinstance(value, str) or not ID_PATTERN.match(value)):
                self.add(path, f"{value!r} is not a pilot id", "a pilot id of programme.yaml such as stad")
            else:
                constants[key] = value
        return constants

    def values(self) -> dict[str, dict[str, str]]:
        values: dict[str, dict[str, str]] = {}
        for key, table in self.section("values", _VALUE_KEYS).items():
            if key not in _VALUE_KEYS:
                continue
            path = f"values.{key}"
            if not isinstance(table, dict):
                self.add(path, f"{path} is not a mapping", "project value: contract id lines")
                continue
            allowed = STAKEHOLDER_GROUPS if key == "stakeholder_group" else None
            recoded: dict[str, str] = {}
            for source, target in table.items():
                sub = f"{path}.{source}"
                if not isinstance(target, str) or (allowed and target not in allowed) or not ID_PATTERN.match(target):
                    self.add(sub, f"{target!r} is not a {key.replace('_', ' ')} of the contract",
                             "one of " + ", ".join(allowed) if allowed else "a pilot id such as stad")
                    continue
                if value_key(source) in recoded:
                    self.add(sub, f"value {source!r} appears twice in {path}", "each project value once")
                    continue
                recoded[value_key(source)] = target
            values[key] = recoded
        return values

    def codes(self) -> dict:
        section = self.section("codes", _CODE_KEYS)
        result: dict = {}
        for key, attribute in (("assessment", "assessment_code"), ("approval", "approval_code")):
            name = section.get(key)
            if name is not None and (not isinstance(name, str) or not name.strip()):
                self.add(f"codes.{key}", f"codes.{key} does not name a code", "the name of a code of the project")
            elif name is not None:
                result[attribute] = name.strip()
        table = section.get("assessments") or {}
        if not isinstance(table, dict):
            self.add("codes.assessments", "codes.assessments is not a mapping", "sub-code name: assessment lines")
            table = {}
        assessments = {}
        for name, target in table.items():
            if target not in ASSESSMENTS:
                self.add(f"codes.assessments.{name}", f"{target!r} is not an assessment",
                         "one of " + ", ".join(ASSESSMENTS))
            else:
                assessments[value_key(name)] = target
        result["assessments"] = assessments
        unassessed = section.get("unassessed", "error")
        if unassessed not in UNASSESSED:
            self.add("codes.unassessed", f"{unassessed!r} is not a choice", "one of " + ", ".join(UNASSESSED))
        else:
            result["unassessed"] = unassessed
        return result


__all__ = ["INTERVIEW_VARIABLES", "QdaMapping", "UNASSESSED", "read_qda_mapping", "value_key"]
