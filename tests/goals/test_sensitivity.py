"""Sensitivity of the computed status to its rules: changing one rule value moves exactly the
sub-goals it should, and no others.

Eight sub-goals of one pilot, each built so that its status hangs on (at most) one rule. Every
expected status below is worked out by hand from the rule tables in
``evaluation.goals.evidence`` (survey, interview, milestone) and ``evaluation.goals.status``
(combination), in the comment beside it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import read_lines, write_lines
from evaluation.contract import load_data
from evaluation.goals import computed_status, evidence_table, goal_attainment
from goal_frames import RULES, indicator_rows, milestone_rows

SUB_GOALS = pd.DataFrame({"pilot": ["p"] * 8, "sub_goal": [f"s{c}" for c in "ABCDEFGH"]})
LINKS = pd.DataFrame({
    "pilot": ["p"] * 5,
    "sub_goal": ["sA", "sB", "sC", "sD", "sE"],
    "kind": ["survey_index"] * 3 + ["interview_theme"] * 2,
    "target": ["ia", "ib", "ic", "t1", "t2"],
})
SURVEY = pd.DataFrame({
    "pilot": ["p"] * 3, "index": ["ia", "ib", "ic"],
    "change": [0.25, 0.10, 0.60], "ci_low": [0.10, -0.05, 0.40], "ci_high": [0.40, 0.25, 0.80],
    "n": [80, 80, 80],
})
INTERVIEWS = pd.DataFrame({
    # t1: (8 - 5) / 20 = 0.15; t2: (4 - 7) / 20 = -0.15
    "pilot": ["p", "p"], "theme": ["t1", "t2"], "n": [20, 20], "n_positive": [8, 4],
    "n_negative": [5, 7], "net_score": [0.15, -0.15],
})
MILESTONES = milestone_rows([
    ("p", "mF", "sF", "completed_late", 30),
    ("p", "mG", "sG", "completed_late", 12),
    ("p", "mH", "sH", "overdue", 60),
])
INDICATORS = indicator_rows([("p", "iG", "sG", 1.1, "achieved"), ("p", "iH", "sH", 0.2, "off_track")])

BASE = {
    # sA: survey 0.25 (0.10 to 0.40), m = 0.3: L > 0 but d < m and U >= m -> insufficient; only source
    "sA": "insufficient_evidence",
    # sB: survey 0.10 (-0.05 to 0.25): U < 0.3 -> at risk; only source
    "sB": "at_risk",
    # sC: survey 0.60 (0.40 to 0.80): L > 0, d >= 0.3 -> on track; no indicator, so not achieved
    "sC": "on_track",
    # sD: interviews net 0.15 in (-0.2, 0.2) -> insufficient; only source
    "sD": "insufficient_evidence",
    # sE: interviews net -0.15 in (-0.2, 0.2) -> insufficient; only source
    "sE": "insufficient_evidence",
    # sF: one milestone done late -> on track (done); no indicator
    "sF": "on_track",
    # sG: indicator achieved + milestone done late (on track): two sources at on track or better,
    #     every indicator met -> achieved
    "sG": "achieved",
    # sH: indicator off track + milestone overdue (off track) -> off track
    "sH": "off_track",
}

CHANGES = [
    # MIC 0.3 -> 0.2: sA's 0.25 >= 0.2 with L > 0 -> on track; sB's U = 0.25 now reaches 0.2 ->
    # insufficient; sC stays on track (0.60 >= 0.2). Nothing else reads the survey.
    ("minimal_important_change", 0.2, {"sA": "on_track", "sB": "insufficient_evidence"}),
    # MIC 0.3 -> 0.5: sA's U = 0.40 < 0.5 -> at risk; sB stays at risk; sC: 0.60 >= 0.5 -> on track.
    ("minimal_important_change", 0.5, {"sA": "at_risk"}),
    # net threshold 0.2 -> 0.1: t1 0.15 >= 0.1 -> on track; t2 -0.15 <= -0.1 -> off track.
    ("net_threshold", 0.1, {"sD": "on_track", "sE": "off_track"}),
    # net threshold 0.2 -> 0.15: the bounds are inclusive, so t1 and t2 move as with 0.1.
    ("net_threshold", 0.15, {"sD": "on_track", "sE": "off_track"}),
    # late milestones cast no vote: sF has no evidence left -> no data; sG keeps only its
    # indicator -> one source -> on track, not achieved. sH's overdue milestone is unaffected.
    ("completed_late_milestone", "no_data", {"sF": "no_data", "sG": "on_track"}),
]


def _statuses(**rules) -> dict[str, str]:
    evidence = evidence_table(SUB_GOALS, LINKS, indicator_status=INDICATORS, milestones=MILESTONES,
                              survey=SURVEY, interviews=INTERVIEWS, **rules)
    computed = computed_status(evidence, sub_goals=SUB_GOALS)
    return dict(zip(computed["sub_goal"], computed["computed_status"]))


def test_the_base_rules_give_the_statuses_worked_out_by_hand():
    assert _statuses(**RULES) == BASE


@pytest.mark.parametrize(("rule", "value", "moved"), CHANGES,
                         ids=[f"{rule}={value}" for rule, value, _ in CHANGES])
def test_changing_one_rule_moves_exactly_the_statuses_it_should(rule, value, moved):
    after = _statuses(**{**RULES, rule: value})
    assert after == {**BASE, **moved}
    assert {sg for sg in BASE if after[sg] != BASE[sg]} == set(moved)


def test_the_demo_statuses_respond_to_the_minimal_important_change(demo_copy):
    """Changing only the MIC in a copy of the demo data changes some sub-goal's computed status,
    and each sub-goal that moves has a survey evidence row that moved with it."""
    def attainment(folder):
        data = load_data(folder, phase="final")
        return [goal_attainment(data, phase=phase, threshold=data.anonymity_threshold)
                for phase in data.programme.phases]

    before = attainment(demo_copy)
    path = demo_copy / "programme.yaml"
    lines = read_lines(path)
    at = next(i for i, line in enumerate(lines) if line.startswith("  minimal_important_change:"))
    lines[at] = "  minimal_important_change: 0.1"
    write_lines(path, lines)
    after = attainment(demo_copy)
    moved = 0
    for old, new in zip(before, after):
        status = old.overview[["sub_goal", "computed_status"]].merge(
            new.overview[["sub_goal", "computed_status"]], on="sub_goal", suffixes=("_old", "_new"))
        changed = set(status.loc[status["computed_status_old"] != status["computed_status_new"], "sub_goal"])
        survey_old = old.evidence.loc[old.evidence["source"] == "survey"]
        survey_new = new.evidence.loc[new.evidence["source"] == "survey"]
        survey_moved = set(survey_old.loc[survey_old["status"].to_numpy()
                                          != survey_new["status"].to_numpy(), "sub_goal"])
        assert changed <= survey_moved
        non_survey = ["indicator", "milestone", "interview"]
        assert old.evidence.loc[old.evidence["source"].isin(non_survey), "status"].tolist() == \
            new.evidence.loc[new.evidence["source"].isin(non_survey), "status"].tolist()
        moved += len(changed)
    assert moved >= 1
