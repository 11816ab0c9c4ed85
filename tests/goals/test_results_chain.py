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
