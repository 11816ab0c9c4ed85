"""The evaluators' narratives: Markdown with fixed sections, parsed and validated strictly.

Every rule of data/README.md ("narratives/...md") has a case here: the expected file, line and
column are worked out by hand from the text each test writes (line 1 is the first line of the
file; the column is the 1-based character position).
"""

from __future__ import annotations

import datetime as dt

import pytest

from conftest import DEMO, read_lines, write_lines
from evaluation.contract import load_data, validate
from evaluation.contract.narratives import (
    Narrative, narrative_key, parse_narrative, read_narratives, section_heading,
)
from evaluation.errors import DataContractError

# 16 lines: the headings on lines 1, 5, 9 and 13, the last list item on line 16.
PILOT_NB = """\
## Sammendrag

Kort sammendrag.

## Vurderinger

Vurderingene.

## Konklusjoner

Konklusjonene.

## Anbefalinger

- Første.
- Andre.
"""

# 8 lines: the headings on lines 1, 4 and 7.
SYNTHESIS_EN = """\
## Summary
Programme summary.

## Conclusions
Conclusions.

## Recommendations
1. To the ministry.
"""

GOALS = ["stad-d1", "stad-d2"]


def problems(text: str, *, subject: str = "stad", lang: str = "nb") -> list[tuple]:
    """``(row, column, message, expected)`` of every problem of a narrative text."""
    with pytest.raises(DataContractError) as caught:
        parse_narrative(text, subject=subject, phase="final", lang=lang, sub_goals=GOALS)
    assert {p.file for p in caught.value.problems} == {f"narratives/{subject}-final.{lang}.md"}
    return [(p.row, p.column, p.message, p.expected) for p in caught.value.problems]


# ------------------------------------------------------------------------------ what is read
def test_a_pilot_narrative_gives_each_sections_markdown_and_heading_line():
    text = "---\nevaluator: Evalueringsteamet\ndate: 2025-02-14\n---\n" + PILOT_NB.replace(
        "## Vurderinger", "## Delmål stad-d2\n\nOm delmålet.\n\n## Vurderinger")
    narrative = parse_narrative(text, subject="stad", phase="final", lang="nb", sub_goals=GOALS)
    assert isinstance(narrative, Narrative)
    assert (narrative.subject, narrative.phase, narrative.lang, narrative.kind) == ("stad", "final", "nb", "pilot")
    assert narrative.front_matter == {"evaluator": "Evalueringsteamet", "date": dt.date(2025, 2, 14)}
    assert list(narrative.sections) == ["summary", "stad-d2", "assessments", "conclusions", "recommendations"]
    assert narrative.sections["summary"] == "Kort sammendrag."
    assert narrative.sections["recommendations"] == "- Første.\n- Andre."
    # front matter on lines 1-4; the summary heading on 5, the sub-goal's on 9, assessments on 13
    assert narrative.lines == {"summary": 5, "stad-d2": 9, "assessments": 13, "conclusions": 17,
                               "recommendations": 21}
    assert narrative.sub_goals == ["stad-d2"]
    assert narrative.file == "narratives/stad-final.nb.md"


def test_a_synthesis_narrative_has_its_own_sections_in_english():
    narrative = parse_narrative(SYNTHESIS_EN, subject="synthesis", phase="midterm", lang="en")
    assert narrative.kind == "synthesis" and narrative.front_matter == {}
    assert narrative.sections == {"summary": "Programme summary.", "conclusions": "Conclusions.",
                                  "recommendations": "1. To the ministry."}
    assert narrative.heading("recommendations", "nb") == "Anbefalinger"


def test_section_headings_are_fixed_per_kind_and_language():
    assert section_heading("pilot", "background", "nb") == "Bakgrunn"
    assert section_heading("pilot", "narvik-d3", "nb") == "Delmål narvik-d3"
    assert section_heading("synthesis", "what_worked", "nb") == "Hva virket hvor og hvorfor"
    assert section_heading("synthesis", "lessons", "en") == "Lessons across the pilots"
    with pytest.raises(ValueError):
        section_heading("synthesis", "stad-d1", "nb")


def test_windows_line_endings_and_setext_headings_are_read_alike():
    text = PILOT_NB.replace("## Konklusjoner\n", "Konklusjoner\n------------\n").replace("\n", "\r\n")
    narrative = parse_narrative(text, subject="stad", phase="final", lang="nb")
    assert narrative.sections["conclusions"] == "Konklusjonene."
    assert narrative.lines["conclusions"] == 9


# ------------------------------------------------------------------------- sections refused
def test_a_misspelt_section_is_refused_at_its_line_with_the_closest_heading():
    found = problems(PILOT_NB.replace("## Konklusjoner", "## Konklusjon"))
    assert found[0] == (9, "1", 'unknown section heading "## Konklusjon"',
                        "a section heading such as ## Konklusjoner")
    # and, since it is not a section, the required one is missing
    assert found[1][0] is None and found[1][2] == "missing section ## Konklusjoner"


def test_a_heading_in_the_other_language_names_the_right_one():
    found = problems(PILOT_NB.replace("## Vurderinger", "## Assessments"))
    assert found[0][:2] == (5, "1") and found[0][3] == "## Vurderinger"


def test_an_unknown_heading_without_a_close_match_lists_the_valid_ones():
    found = problems(PILOT_NB + "\n## Økonomi\n\nTall.\n")
    assert found[0][:3] == (18, "1", 'unknown section heading "## Økonomi"')
    assert found[0][3].startswith("one of the section headings ## Sammendrag, ## Bakgrunn,")


def test_a_duplicate_section_is_refused_and_names_the_first():
    found = problems(PILOT_NB + "\n## Sammendrag\n\nIgjen.\n")
    assert found == [(18, "1", "section ## Sammendrag appears twice",
                      "one section ## Sammendrag (the first is on line 1)")]


def test_a_level_one_heading_is_refused():
    found = problems("# Sluttrapport for Stad\n\n" + PILOT_NB)
    assert found[0][:3] == (1, "1", "a level-1 heading (# …)")


def test_text_before_the_first_section_is_refused():
    found = problems("---\nversion: '2'\n---\nInnledning.\n\n" + PILOT_NB)
    assert found == [(4, "1", "text before the first section",
                      "the text under a section heading such as ## Sammendrag")]


def test_a_missing_required_section_is_refused_and_the_required_ones_listed():
    found = problems(PILOT_NB.replace("## Vurderinger\n\nVurderingene.\n\n", ""))
    assert found == [(None, None, "missing section ## Vurderinger",
                      "the required sections ## Sammendrag, ## Vurderinger, ## Konklusjoner, ## Anbefalinger")]
    found = problems(SYNTHESIS_EN.replace("## Summary\nProgramme summary.\n\n", ""), subject="synthesis", lang="en")
    assert found[0][2] == "missing section ## Summary"


def test_an_empty_section_is_refused():
    found = problems(PILOT_NB.replace("Konklusjonene.", ""))
    assert found == [(9, "1", "section ## Konklusjoner is empty",
                      "the evaluators' text under the heading (or leave the section out if it is optional)")]


def test_a_sub_goal_of_another_pilot_is_refused_at_the_id():
    found = problems(PILOT_NB + "\n## Delmål narvik-d1\n\nTekst.\n")
    # "## Delmål " is 10 characters: the id starts in column 11
    assert found == [(18, "11", "unknown sub-goal 'narvik-d1' of this pilot", "one of stad-d1, stad-d2")]


def test_the_synthesis_has_no_sub_goal_sections():
    found = problems(SYNTHESIS_EN + "\n## Sub-goal stad-d1\n\nText.\n", subject="synthesis", lang="en")
    assert found[0][:3] == (10, "1", 'unknown section heading "## Sub-goal stad-d1"')


def test_a_section_heading_inside_a_list_is_refused():
    found = problems(PILOT_NB + "- ## Bakgrunn\n")
    assert found[0][:3] == (17, "1", "a section heading (##) inside a list or quote")


# ------------------------------------------------------------------------ markup refused
def test_raw_html_is_refused_at_its_line_and_column():
    found = problems(PILOT_NB.replace("Vurderingene.", "Vurderingene <script>alert(1)</script> her."))
    # "Vurderingene " is 13 characters: <script> starts in column 14, </script> 16 later
    assert found[0] == (7, "14", "raw HTML '<script>'",
                        "Markdown only, no HTML (write \\< for a literal <, or put it in `backticks`)")
    assert found[1][:3] == (7, "30", "raw HTML '</script>'")


def test_an_html_block_is_refused():
    found = problems(PILOT_NB.replace("Vurderingene.", '<div class="x">\nVurderingene.\n</div>'))
    assert found[0][:3] == (7, "1", "raw HTML '<div class=\"x\"> Vurderingene. </div>'")


def test_an_image_is_refused_on_its_own_line_of_a_paragraph():
    found = problems(PILOT_NB.replace("Vurderingene.", "Vurderingene,\nse ![figur](figur.png)."))
    assert found == [(8, "4", "an image", "no images in a narrative (the report places its own figures); "
                                          "a link [text](address) instead")]


def test_markup_written_as_text_or_code_is_accepted():
    text = PILOT_NB.replace("Vurderingene.", "Færre enn 5 svar (n \\<5), og `<script>` i kode.")
    assert parse_narrative(text, subject="stad", phase="final", lang="nb").sections["assessments"] == (
        "Færre enn 5 svar (n \\<5), og `<script>` i kode.")


# ------------------------------------------------------------------------ front matter refused
def test_front_matter_keys_and_values_are_checked():
    text = "---\nevaluater: Team\nversion: [1, 2]\ndate: 14.02.2025\nclient:\n---\n" + PILOT_NB
    assert problems(text) == [
        (2, "evaluater", "unknown front-matter key 'evaluater'", "evaluator"),
        (3, "version", "not a single text value", 'the report version as text, such as "1.0"'),
        (4, "date", "'14.02.2025' is not a date", "the report date, ISO 8601 (2025-02-14)"),
        (5, "client", "empty", "the client, such as Kommunal- og distriktsdepartementet"),
    ]


def test_an_unclosed_or_broken_front_matter_is_refused():
    assert problems("---\nevaluator: Team\n" + PILOT_NB)[0][:3] == (1, "1", "front matter is not closed")
    found = problems("---\nevaluator: [Team\n---\n" + PILOT_NB)
    assert found[0][0] in (2, 3) and found[0][2].startswith("front matter is not YAML")
    assert problems("---\n- a list\n---\n" + PILOT_NB)[0][:3] == (2, None, "front matter is not a mapping")


def test_a_version_keeps_its_text_as_written():
    narrative = parse_narrative("---\nversion: 1.10\n---\n" + PILOT_NB, subject="stad", phase="final", lang="nb")
    assert narrative.front_matter == {"version": "1.10"}


# ------------------------------------------------------------------------------ the folder
def test_every_demo_narrative_validates_in_both_languages_and_phases():
    programme = load_data(DEMO).programme
    narratives, files = read_narratives(DEMO, programme)
    subjects = ["stad", "orkland", "narvik", "lyngdal", "synthesis"]
    assert set(narratives) == {(s, p, lang) for s in subjects for p in ("midterm", "final") for lang in ("nb", "en")}
    assert len(files) == 20
    for (subject, phase, _lang), narrative in narratives.items():
        if subject == "synthesis":
            assert {"summary", "what_worked", "lessons", "conclusions", "recommendations"} == set(narrative.sections)
        else:  # every section, and one per sub-goal of the pilot in force at the phase's cut-off
            goals = set(programme.sub_goals_in_force(subject, as_of=programme.cutoffs[phase])["sub_goal"])
            assert set(narrative.sections) == {"summary", "background", "assessments", "conclusions",
                                               "recommendations"} | goals
        assert set(narrative.front_matter) == {"evaluator", "client", "version", "date"}


def test_demo_narratives_are_as_long_as_a_report_needs():
    # The words of each file's sections (headings and front matter left out), counted with str.split.
    for narrative in read_narratives(DEMO, load_data(DEMO).programme)[0].values():
        words = sum(len(text.split()) for text in narrative.sections.values())
        low, high = (400, 760) if narrative.subject != "synthesis" else (500, 850)
        assert low <= words <= high, (narrative.file, words)


def test_a_phase_reads_only_the_narratives_up_to_its_cut_off():
    midterm = load_data(DEMO, phase="midterm")
    assert {phase for _, phase, _ in midterm.narratives} == {"midterm"}
    names = {path.name for path in midterm.input_files if path.parent.name == "narratives"}
    assert names == {f"{s}-midterm.{lang}.md" for s in ("stad", "orkland", "narvik", "lyngdal", "synthesis")
                     for lang in ("nb", "en")}


def test_narrative_key_reads_a_file_name_of_the_programme():
    programme = load_data(DEMO).programme
    assert narrative_key("narratives/synthesis-final.en.md", programme) == ("synthesis", "final", "en")
    assert narrative_key("narratives/stad-final.md", programme) is None
    assert narrative_key("survey/stad-final.nb.md", programme) is None


def _messages(folder) -> list[str]:
    return [str(problem) for problem in validate(folder)]


def test_a_bad_file_name_is_refused_with_the_closest_valid_name(demo_copy):
    (demo_copy / "narratives/stad-final.nb.md").rename(demo_copy / "narratives/stad-final.md")
    (demo_copy / "narratives/stad-final.en.md").unlink()
    assert _messages(demo_copy) == [
        "narratives/stad-final.md::: file name is not <pilot|synthesis>-<phase>.<nb|en>.md; "
        "expected such as stad-final.nb.md"]


def test_an_unknown_pilot_in_a_file_name_is_refused(demo_copy):
    (demo_copy / "narratives/bodø-final.nb.md").write_text(PILOT_NB, encoding="utf-8")
    (message,) = _messages(demo_copy)
    assert message.startswith("narratives/bodø-final.nb.md::: file name is not <pilot|synthesis>-<phase>.<nb|en>.md")


def test_an_english_narrative_needs_its_bokmal_one(demo_copy):
    (demo_copy / "narratives/lyngdal-midterm.nb.md").unlink()
    assert _messages(demo_copy) == [
        "narratives/lyngdal-midterm.en.md::: an English narrative without the bokmål one; expected "
        "lyngdal-midterm.nb.md beside it (bokmål is required, English optional)"]


def test_the_old_yaml_format_is_refused_saying_what_to_do(demo_copy):
    (demo_copy / "narratives/orkland-final.yaml").write_text("nb:\n  summary: Kort\n", encoding="utf-8")
    (message,) = _messages(demo_copy)
    assert message.startswith("narratives/orkland-final.yaml::: narratives are Markdown files now; the YAML format")
    assert "expected orkland-final.nb.md with the sections ## Sammendrag, ## Vurderinger" in message
    assert message.endswith("(see data/README.md), and this file removed")


def test_a_narrative_that_is_not_utf8_is_refused(demo_copy):
    path = demo_copy / "narratives/stad-midterm.nb.md"
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1252"))
    (message,) = _messages(demo_copy)
    assert message.startswith("narratives/stad-midterm.nb.md::: byte ") and message.endswith(
        "is not UTF-8; expected a UTF-8 text file")


def test_hidden_files_are_ignored_and_every_file_s_problems_are_reported(demo_copy):
    (demo_copy / "narratives/.DS_Store").write_bytes(b"\x00\x01")
    for name in ("narvik-final.nb.md", "synthesis-midterm.en.md"):
        path = demo_copy / "narratives" / name
        lines = read_lines(path)
        lines[lines.index("## Anbefalinger" if name.endswith("nb.md") else "## Recommendations")] = "## Anbefaling"
        write_lines(path, lines)
    files = [message.split(":")[0] for message in _messages(demo_copy) if "unknown section" in message]
    assert files == ["narratives/narvik-final.nb.md", "narratives/synthesis-midterm.en.md"]


def test_load_data_refuses_a_folder_with_a_bad_narrative(demo_copy):
    path = demo_copy / "narratives/stad-midterm.nb.md"
    lines = read_lines(path)
    at = lines.index("## Konklusjoner")
    lines[at] = "## Konklusjon"
    write_lines(path, lines)
    with pytest.raises(DataContractError) as caught:
        load_data(demo_copy, phase="final")
    assert str(caught.value).startswith(
        f"narratives/stad-midterm.nb.md:{at + 1}:1: unknown section heading \"## Konklusjon\"; "
        "expected a section heading such as ## Konklusjoner")
