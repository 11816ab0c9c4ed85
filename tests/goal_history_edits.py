"""Edits of a copy of the demo ``programme.yaml`` that give Stad's sub-goals a history, shared
by the contract and report tests of goals with a history."""

from __future__ import annotations

from conftest import read_lines, write_lines


def add_keys(path, goal_id, new_lines):
    """Insert ``new_lines`` (keys of a sub-goal, indented four spaces) after ``- id: goal_id``;
    return the 1-based line number of the first inserted line."""
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {goal_id}") + 1
    lines[at:at] = new_lines
    write_lines(path, lines)
    return at + 1


def add_sub_goal(path, after_goal, new_lines):
    """Insert a whole sub-goal entry before the sub-goal that follows ``after_goal``'s block."""
    lines = read_lines(path)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {after_goal}")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    lines[end:end] = new_lines
    write_lines(path, lines)


MERGE_STAD = [  # stad-d2 (N1, N4) and stad-d3 (N2, N3) merged into stad-d4 (N1, N2) from 2023-03-01
    ("stad-d2", ["    valid_to: '2023-02-28'", "    approved: '2023-02-14'",
                 "    reason_nb: Slått sammen med d3", "    reason_en: Merged with d3",
                 "    replaced_by:", "    - stad-d4", "    drops_national_goals:", "    - N4"]),
    ("stad-d3", ["    valid_to: '2023-02-28'", "    approved: '2023-02-14'",
                 "    reason_nb: Slått sammen med d2", "    reason_en: Merged with d2",
                 "    replaced_by:", "    - stad-d4", "    drops_national_goals:", "    - N3"]),
]
STAD_D4 = ["  - id: stad-d4", "    text_nb: Et sterkere fagmiljø som rekrutterer",
           "    text_en: A stronger professional environment that recruits",
           "    valid_from: '2023-03-01'", "    national_goals:", "    - N1", "    - N2"]


def merge_stad(folder):
    """Apply the Stad merge above to a copy of the demo data, with the evidence that follows it:
    the final assessments and the final narratives' sub-goal sections of stad-d2 and stad-d3
    become one of stad-d4 (the midterm ones stay)."""
    path = folder / "programme.yaml"
    for goal, keys in MERGE_STAD:
        add_keys(path, goal, keys)
    add_sub_goal(path, "stad-d3", STAD_D4)
    assessments = folder / "assessments.csv"
    lines = [line for line in read_lines(assessments)
             if not line.startswith(("stad,final,stad-d2,", "stad,final,stad-d3,"))]
    lines.append("stad,final,stad-d4,on_track,0,Fagmiljøet er styrket.,The professional environment is stronger.")
    write_lines(assessments, lines)
    for lang, heading in (("nb", "Delmål"), ("en", "Sub-goal")):
        narrative = folder / "narratives" / f"stad-final.{lang}.md"
        lines = read_lines(narrative)
        start = lines.index(f"## {heading} stad-d3")
        end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("## "))
        del lines[start:end]
        lines[lines.index(f"## {heading} stad-d2")] = f"## {heading} stad-d4"
        write_lines(narrative, lines)
