"""The results chain: every element takes the status of the goals it is linked to."""

from __future__ import annotations

import pandas as pd

from evaluation.goals import results_chain_status
from evaluation.report.results_chain import results_chain_html
from goal_frames import computed_frame


def test_results_chain_elements_take_the_majority_status_of_their_links():
    chain = pd.DataFrame({
        "pilot": ["p"] * 3, "stage": ["inputs", "activities", "impacts"],
        "position": [0, 0, 0], "text_nb": ["Midler", "Fagdager <b>", "Virkning"],
        "text_en": ["Funds", "Days <b>", "Impact"],
    })
    links = pd.DataFrame({
        "pilot": ["p"] * 3, "stage": ["activities", "activities", "impacts"],
        "position": [0, 0, 0], "kind": ["sub_goal", "sub_goal", "national_goal"],
        "target": ["g1", "g2", "N1"],
    })
    status = computed_frame(["on_track", "off_track", "at_risk"])
    national = pd.DataFrame({"pilot": ["p"], "national_goal": ["N1"], "status": ["at_risk"]})
    frame = results_chain_status(chain, links, pilot="p", sub_goal_status=status,
                                 national_goal_status=national)
    assert pd.isna(frame.loc[frame["stage"] == "inputs", "status"].item())
    assert frame.loc[frame["stage"] == "activities", "status"].item() == "off_track"
    assert frame.loc[frame["stage"] == "impacts", "status"].item() == "at_risk"
    markup = results_chain_html(frame, lang="nb")
    assert "Fagdager &lt;b&gt;" in markup and "<b>" not in markup
    assert "Ikke i rute" in markup  # status in words, not colour alone
    assert markup.count("<h4") == 5


def test_chain_links_follow_the_sub_goals_in_force():
    # g1 and g2 merged into g4 (in force); g3 dropped; g5 in force throughout
    chain = pd.DataFrame({"pilot": ["p"] * 3, "stage": ["activities", "outputs", "outcomes"],
                          "position": [0, 0, 0], "text_nb": ["A", "B", "C"], "text_en": ["A", "B", "C"]})
    links = pd.DataFrame({"pilot": ["p"] * 5, "stage": ["activities", "activities", "outputs", "outcomes", "outcomes"],
                          "position": [0] * 5, "kind": ["sub_goal"] * 5, "target": ["g1", "g2", "g3", "g3", "g5"]})
    successors = pd.DataFrame({"pilot": ["p", "p"], "sub_goal": ["g1", "g2"], "successor": ["g4", "g4"]})
    status = pd.DataFrame({"pilot": ["p", "p"], "sub_goal": ["g4", "g5"], "computed_status": ["at_risk", "on_track"]})
    frame = results_chain_status(chain, links, pilot="p", sub_goal_status=status, successors=successors)
    got = frame.set_index("stage")
    # the activity linked to g1 and g2 now serves g4 once; the output of the dropped g3 has no link
    assert got.loc["activities", ["n_links", "links", "status"]].tolist() == [1, "g4", "at_risk"]
    assert got.loc["outputs", "n_links"] == 0 and pd.isna(got.loc["outputs", "status"])
    assert got.loc["outcomes", ["n_links", "links", "status"]].tolist() == [1, "g5", "on_track"]
    # without successors, links to sub-goals not in force count as no data
    plain = results_chain_status(chain, links, pilot="p", sub_goal_status=status).set_index("stage")
    assert plain.loc["activities", ["n_links", "status"]].tolist() == [2, "no_data"]
