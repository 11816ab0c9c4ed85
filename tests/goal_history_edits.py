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


def continue_indicator(folder, indicator, successor, sub_goal, *, last_day="2023-02-28",
                       first_day="2023-03-01"):
    """End ``indicator`` on ``last_day``, replaced by a copy ``successor`` of it under ``sub_goal``
    from ``first_day``; its observations after ``last_day`` move to the successor."""
    path = folder / "programme.yaml"
    lines = read_lines(path)
    start = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {indicator}")
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].startswith("    "))
    block = lines[start:end]
    copy = [f"  - id: {successor}"] + [
        f"    sub_goal: {sub_goal}" if line.startswith("    sub_goal:") else line for line in block[1:]
    ] + [f"    valid_from: '{first_day}'"]
    lines[end:end] = copy
    lines[start + 1:start + 1] = [f"    valid_to: '{last_day}'", "    reason_nb: Videreført under nytt delmål",
                                  "    reason_en: Continued under the new sub-goal", "    replaced_by:",
                                  f"    - {successor}"]
    write_lines(path, lines)
    observations = folder / "indicators" / "observations.csv"
    rows = read_lines(observations)
    prefix = f"{indicator.split('-')[0]},{indicator},"
    write_lines(observations, [
        line.replace(f",{indicator},", f",{successor},", 1)
        if line.startswith(prefix) and line.split(",")[2] > last_day else line
        for line in rows])


STAD_INDICATORS_CONTINUED = [("stad-i1", "stad-i4"), ("stad-i2", "stad-i5"), ("stad-i3", "stad-i6")]
"""The indicators of stad-d2 and stad-d3 and their successors under stad-d4 in :func:`merge_stad`."""


def end_indicator(folder, indicator, *, last_day="2023-02-28"):
    """End ``indicator`` on ``last_day`` without a successor; its later observations go."""
    path = folder / "programme.yaml"
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.strip() == f"- id: {indicator}") + 1
    lines[at:at] = [f"    valid_to: '{last_day}'", "    reason_nb: Måles ikke lenger",
                    "    reason_en: No longer measured"]
    write_lines(path, lines)
    observations = folder / "indicators" / "observations.csv"
    prefix = f"{indicator.split('-')[0]},{indicator},"
    write_lines(observations, [line for line in read_lines(observations)
                               if not (line.startswith(prefix) and line.split(",")[2] > last_day)])


def merge_stad(folder, continued=None):
    """Apply the Stad merge above to a copy of the demo data, with the evidence that follows it:
    the indicators of stad-d2 and stad-d3 continue under stad-d4 as new indicators (their later
    observations with them; the milestone stad-m3 of stad-d3, due after the merge, stays where
    it is and follows its sub-goal to stad-d4), and the final assessments and the final narratives' sub-goal
    sections of stad-d2 and stad-d3 become one of stad-d4 (the midterm ones stay). ``continued``
    chooses the indicators that continue (default :data:`STAD_INDICATORS_CONTINUED`)."""
    path = folder / "programme.yaml"
    for goal, keys in MERGE_STAD:
        add_keys(path, goal, keys)
    add_sub_goal(path, "stad-d3", STAD_D4)
    for indicator, successor in STAD_INDICATORS_CONTINUED if continued is None else continued:
        continue_indicator(folder, indicator, successor, "stad-d4")
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
