"""The interview mapping file (evaluation.importers.qda_mapping): every problem at its line."""

from __future__ import annotations

import pytest

from evaluation.errors import DataContractError
from evaluation.importers import read_qda_mapping

MAPPING = """\
variables:
  stakeholder_group: Informantgruppe
  colour: Farge
constants:
  pilot: Stad
values:
  stakeholder_group:
    Prosjektleder: project_lead
codes:
  assessment: Vurdering
  assessments: {Bra: good}
  unassessed: maybe
crlf_counts_as: 3
extra: 1
"""


def test_every_problem_of_a_mapping_file_is_located_at_its_line(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(MAPPING, encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qda_mapping(path)
    # the lines counted by hand in MAPPING above
    assert {(p.row, p.column) for p in error.value.problems} == {
        (3, "variables.colour"), (5, "constants.pilot"), (8, "values.stakeholder_group.Prosjektleder"),
        (11, "codes.assessments.Bra"), (12, "codes.unassessed"), (13, "crlf_counts_as"), (14, "extra"),
    }
    assert all(p.file == str(path) for p in error.value.problems)


def test_a_mapping_with_a_duplicate_key_or_bad_yaml_is_refused_at_its_line(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("codes:\n  approval: A\n  approval: B\n", encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qda_mapping(path)
    assert error.value.row == 3 and "duplicate key" in str(error.value)
    path.write_text("codes: [\n", encoding="utf-8")
    with pytest.raises(DataContractError) as error:
        read_qda_mapping(path)
    assert "YAML syntax error" in str(error.value)


def test_no_mapping_means_the_conventions():
    mapping = read_qda_mapping(None)
    assert (mapping.assessment_code, mapping.approval_code, mapping.unassessed, mapping.crlf_counts_as) == (
        "assessment", "quote_approved", "error", None)
