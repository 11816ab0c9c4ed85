"""The rules of programme.yaml (evaluation.contract.programme, .programme_rules) and the
Programme's phase helpers.

Each test breaks one thing in a copy of the demo data and checks the exact location that an
analyst would look at: the line number as a text editor shows it (header = line 1) and the
column name. The expected line is computed by the test from the file it edited.
"""

from __future__ import annotations

from conftest import read_lines, write_lines
from evaluation.contract import load_data, validate


def test_yaml_syntax_error_names_the_line(demo_copy):
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    broken = next(i for i, line in enumerate(lines) if line.startswith("phases:"))
    lines[broken + 1] = "- id: midterm\n  cutoff: [2022-12-31"  # unclosed flow sequence
    write_lines(path, lines)
    problems = validate(demo_copy)
    assert problems and problems[0].file == "programme.yaml"
    assert problems[0].row is not None and problems[0].row >= broken + 2
    assert "YAML syntax error" in problems[0].message

def test_target_equal_to_baseline_is_a_data_error_at_its_yaml_line(demo_copy):
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    # the first indicator is stad-i1 with baseline 212; set its target to 212 too
    start = next(i for i, line in enumerate(lines) if "id: stad-i1" in line)
    target = next(i for i in range(start, len(lines)) if lines[i].strip() == "target:")
    value_line = target + 1
    assert "value: 230" in lines[value_line]
    lines[value_line] = lines[value_line].replace("230", "212")
    write_lines(path, lines)
    problems = validate(demo_copy)
    located = [p for p in problems if p.column == "pilots[0].indicators[0].target.value"]
    assert located and located[0].row == value_line + 1
    assert "equals the baseline" in located[0].message


def _replace_line(path, startswith, new_lines):
    """Replace the first line starting with ``startswith`` by ``new_lines``; return its line number."""
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.startswith(startswith))
    lines[at:at + 1] = new_lines
    write_lines(path, lines)
    return at + 1


def test_a_missing_anonymity_threshold_is_a_problem_not_a_default(demo_copy):
    path = demo_copy / "programme.yaml"
    _replace_line(path, "anonymity_threshold:", [])
    root_line = next(i for i, line in enumerate(read_lines(path)) if not line.startswith("#")) + 1
    messages = [str(p) for p in validate(demo_copy)]
    assert messages == [f"programme.yaml:{root_line}:anonymity_threshold: missing; "
                        "expected an integer of at least 2"]


def test_an_anonymity_threshold_below_two_is_refused_at_its_line(demo_copy):
    line = _replace_line(demo_copy / "programme.yaml", "anonymity_threshold:", ["anonymity_threshold: 1"])
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:anonymity_threshold: 1 is not allowed; expected an integer of at least 2"]


def test_a_wave_role_must_be_the_baseline_or_a_phase(demo_copy):
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    at = lines.index("  role: final")
    lines[at] = "  role: interim"
    write_lines(path, lines)
    problems = [str(p) for p in validate(demo_copy) if p.file == "programme.yaml"]
    assert problems == [f"programme.yaml:{at + 1}:waves[2].role: unknown wave role 'interim'; "
                        "expected one of baseline, midterm, final"]


def test_wave_roles_follow_the_programmes_phases(demo_copy):
    """A programme with a third phase may give a wave that phase's role."""
    path = demo_copy / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("- id: final\n  cutoff: 2024-12-31\n",
                        "- id: interim\n  cutoff: 2023-12-31\n  name_nb: Underveisevaluering\n"
                        "  name_en: Interim evaluation\n- id: final\n  cutoff: 2024-12-31\n")
    text = text.replace("- id: 2022\n  role: midterm\n", "- id: 2022\n  role: midterm\n- id: 2023\n  role: interim\n")
    path.write_text(text, encoding="utf-8")
    assert validate(demo_copy) == []


def _add_interim_phase(path, names: str) -> int:
    """Insert a phase ``interim`` before the final one; return its line (1-based)."""
    lines = read_lines(path)
    at = lines.index("- id: final")
    lines[at:at] = ["- id: interim", "  cutoff: 2023-12-31", *names.splitlines()]
    write_lines(path, lines)
    return at + 1


def test_a_phase_the_translation_table_does_not_know_needs_its_names(demo_copy):
    line = _add_interim_phase(demo_copy / "programme.yaml", "")
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:phases[1].name_nb: phase 'interim' has no name; "
        "expected name_nb and name_en: the phase's name as a report title shows it"]


def test_a_phase_named_in_one_language_only_is_refused(demo_copy):
    line = _add_interim_phase(demo_copy / "programme.yaml", "  name_nb: Underveisevaluering")
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:phases[1].name_en: missing; expected the phase's name in both languages"]


def test_phase_names_come_from_the_programme_before_the_translation_table(demo_copy):
    from evaluation.contract import load_data

    path = demo_copy / "programme.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "- id: final\n  cutoff: 2024-12-31\n",
        "- id: final\n  cutoff: 2024-12-31\n  name_nb: Sluttrapport\n  name_en: Final report\n")
    path.write_text(text, encoding="utf-8")
    programme = load_data(demo_copy).programme
    assert programme.phase_name("final", "nb") == "Sluttrapport"
    assert programme.phase_name("final", "en") == "Final report"
    # the midterm phase has no names in the file: the translation table names it
    assert programme.phase_name("midterm", "en") == "Midterm evaluation"


def test_programme_phase_helpers_come_from_the_phases():
    from evaluation.contract import load_data

    programme = load_data().programme
    assert programme.phases == ["midterm", "final"]
    assert programme.previous_phase("midterm") is None
    assert programme.previous_phase("final") == "midterm"
    assert programme.wave_roles == ("baseline", "midterm", "final")
    # the survey's wave comparisons: each phase against the baseline, then against the phase before
    assert programme.comparisons == (("baseline", "midterm"), ("baseline", "final"), ("midterm", "final"))


def test_comparisons_of_three_phases():
    import dataclasses

    from evaluation.contract import load_data

    programme = load_data().programme
    three = dataclasses.replace(programme, cutoffs={"a": 1, "b": 2, "c": 3})
    assert three.wave_roles == ("baseline", "a", "b", "c")
    assert three.comparisons == (("baseline", "a"), ("baseline", "b"), ("baseline", "c"), ("a", "b"), ("b", "c"))
    assert three.previous_phase("c") == "b"


def test_status_thresholds_that_are_not_numbers_are_located(demo_copy):
    line = _replace_line(demo_copy / "programme.yaml", "  at_risk:", ["  at_risk: half"])
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:status_thresholds.at_risk: 'half' is not a number; expected a number"]


def test_a_programme_section_that_is_not_a_mapping_is_located(demo_copy):
    path = demo_copy / "programme.yaml"
    _replace_line(path, "programme:", ["programme: 5"])
    lines = read_lines(path)
    lines = [line for line in lines if not line.startswith("  name_")]
    write_lines(path, lines)
    line = lines.index("programme: 5") + 1
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:programme: 5 is not a mapping; expected {{name_nb: TEXT, name_en: TEXT}}"]


def test_synthetic_must_be_true_or_false_and_marks_the_demo(demo_copy):
    from evaluation.contract import load_data

    assert load_data(demo_copy).programme.synthetic is True
    line = _replace_line(demo_copy / "programme.yaml", "synthetic:", ["synthetic: maybe"])
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:synthetic: 'maybe' is not true or false; "
        "expected true for synthetic (demo) data, false or left out for real data"]
    _replace_line(demo_copy / "programme.yaml", "synthetic:", [])
    assert load_data(demo_copy).programme.synthetic is False


def test_missing_evidence_rules_are_a_problem_with_the_recommended_values(demo_copy):
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    start = next(i for i, line in enumerate(lines) if line.startswith("evidence_rules:"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith(" "))
    del lines[start:end]
    write_lines(path, lines)
    root_line = next(i for i, line in enumerate(read_lines(path)) if not line.startswith("#")) + 1
    messages = [str(p) for p in validate(demo_copy)]
    assert len(messages) == 1
    assert messages[0].startswith(f"programme.yaml:{root_line}:evidence_rules: missing; expected evidence_rules: ")
    assert "minimal_important_change: 0.3" in messages[0]


def test_each_evidence_rule_is_checked_at_its_own_line(demo_copy):
    path = demo_copy / "programme.yaml"
    mic = _replace_line(path, "  minimal_important_change:", ["  minimal_important_change: -0.1"])
    caution = _replace_line(path, "  caution_min_respondents:", ["  caution_min_respondents: 12.5"])
    fpc = _replace_line(path, "  finite_population_correction:", ["  finite_population_correction: 'no'"])
    net = _replace_line(path, "  interview_net_threshold:", ["  interview_net_threshold: 1.5"])
    messages = [str(p) for p in validate(demo_copy)]
    assert messages == [
        f"programme.yaml:{mic}:evidence_rules.minimal_important_change: -0.1 is not allowed; expected a "
        "positive number of index points, e.g. 0.3 (about half the baseline standard deviation, Norman et al. 2003)",
        f"programme.yaml:{caution}:evidence_rules.caution_min_respondents: 12.5 is not allowed; expected an "
        "integer of at least 2, e.g. 30 (NCHS data presentation standards, Parker et al. 2017)",
        f"programme.yaml:{fpc}:evidence_rules.finite_population_correction: 'no' is not allowed; expected true "
        "(the invited staff are the population) or false",
        f"programme.yaml:{net}:evidence_rules.interview_net_threshold: 1.5 is not allowed; expected a number "
        "above 0 and at most 1, e.g. 0.2",
    ]


def test_a_missing_evidence_rule_and_an_unknown_one_are_both_named(demo_copy):
    path = demo_copy / "programme.yaml"
    _replace_line(path, "  caution_max_interval_width:", ["  caution_max_width: 1.0"])
    messages = [str(p) for p in validate(demo_copy)]
    assert any(m.endswith("evidence_rules.caution_max_interval_width: missing; expected a positive number "
                          "of index points, e.g. 1.0") for m in messages), messages
    assert any("evidence_rules.caution_max_width: unknown key; expected one of minimal_important_change"
               in m for m in messages), messages
    assert len(messages) == 2


def test_the_evidence_rules_reach_the_programme():
    from evaluation.contract import load_data

    rules = load_data().programme.evidence_rules
    assert (rules.minimal_important_change, rules.caution_min_respondents, rules.caution_max_interval_width,
            rules.finite_population_correction, rules.interview_net_threshold,
            rules.completed_late_milestone) == (0.3, 30, 1.0, False, 0.2, "on_track")


def test_the_late_milestone_rule_takes_only_on_track_or_no_data(demo_copy):
    path = demo_copy / "programme.yaml"
    line = _replace_line(path, "  completed_late_milestone:", ["  completed_late_milestone: at_risk"])
    assert [str(p) for p in validate(demo_copy)] == [
        f"programme.yaml:{line}:evidence_rules.completed_late_milestone: 'at_risk' is not allowed; expected "
        "on_track (a milestone done late counts as done) or no_data (it casts no vote)"]
    _replace_line(path, "  completed_late_milestone:", ["  completed_late_milestone: no_data"])
    assert load_data(demo_copy).programme.evidence_rules.completed_late_milestone == "no_data"
