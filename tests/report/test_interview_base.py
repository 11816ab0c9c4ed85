"""One interview base per report: a phase's report counts the interviews of its own round only,
in the interview chapter, the goal evidence, the lasting results and the synthesis alike, and
every caption of interview numbers names that base.

The expected numbers are computed here from the demo CSV files with the rule the report states
(one vote per interview and theme: the sign of positive minus negative passages, mixed when
they balance), never with the package.
"""

from __future__ import annotations

import dataclasses
import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.report import (
    ReportContext,
    data_and_method,
    findings_by_goal,
    goals_chapter,
    interviews_chapter,
)
from evaluation.report.chapters.synthesis import common_themes

PILOT = "stad"
MIDTERM_CUTOFF, FINAL_CUTOFF = "2022-12-31", "2024-12-31"  # data/demo/programme.yaml
FINAL_ROUND = "runden «Sluttevaluering» (etter 31. desember 2022, fram til 31. desember 2024)"
MIDTERM_ROUND = "runden «Midtveisevaluering» (fram til 31. desember 2022)"


def _demo(name: str) -> pd.DataFrame:
    return pd.read_csv(DEMO / "interviews" / name, dtype=str, keep_default_na=False)


def _net_scores(interview_ids: set[str]) -> dict[str, float]:
    """Net score per theme over the given interviews, one vote per interview, by hand."""
    segments = _demo("segments.csv").merge(_demo("codebook.csv")[["code", "theme"]], on="code")
    segments = segments[segments["interview_id"].isin(interview_ids)]
    votes: dict[str, list[str]] = {}
    for (theme, _), passages in segments.groupby(["theme", "interview_id"]):
        said = list(passages["assessment"])
        positive, negative = said.count("positive"), said.count("negative")
        if positive != negative:
            vote = "positive" if positive > negative else "negative"
        else:
            vote = "mixed" if positive or "mixed" in said else "neutral"
        votes.setdefault(theme, []).append(vote)
    return {theme: (v.count("positive") - v.count("negative")) / len(v) for theme, v in votes.items()}


def _number(text: str) -> float:
    return float(text.replace("\u2212", "-").replace("+", "").replace(",", "."))


def _table(soup: BeautifulSoup, caption_start: str) -> tuple[list[str], list[list[str]]]:
    for table in soup.find_all("table"):
        caption = table.find("caption")
        if caption is not None and caption.get_text().startswith(caption_start):
            rows = [[c.get_text(" ", strip=True) for c in tr.find_all(["th", "td"])]
                    for tr in table.find_all("tr")]
            return rows[0], rows[1:]
    raise AssertionError(f"no table captioned {caption_start!r}")


def _captions(markup: str) -> list[str]:
    """Every table and figure caption, but the attributions of quotes."""
    soup = BeautifulSoup(markup, "html.parser")
    captions = [c.get_text() for c in soup.find_all("caption")]
    captions += [c.get_text() for c in soup.find_all("figcaption")
                 if c.find_parent("figure").find("blockquote") is None]
    return captions


@pytest.fixture(scope="module")
def final():
    return ReportContext(load_data(DEMO, phase="final"), pilot=PILOT, phase="final")


@pytest.fixture(scope="module")
def rounds() -> dict[str, set[str]]:
    interviews = _demo("interviews.csv")
    mine = interviews[interviews["pilot"] == PILOT]
    return {
        "midterm": set(mine.loc[mine["date"] <= MIDTERM_CUTOFF, "interview_id"]),
        "final": set(mine.loc[(mine["date"] > MIDTERM_CUTOFF) & (mine["date"] <= FINAL_CUTOFF),
                              "interview_id"]),
    }


def test_chapter_and_goal_evidence_show_the_net_score_of_the_same_round(final, rounds):
    by_hand = _net_scores(rounds["final"])
    cumulative = _net_scores(rounds["final"] | rounds["midterm"])
    labels = {r["theme"]: r["label_nb"] for r in final.programme.interview_themes.to_dict("records")}
    chapter = BeautifulSoup(str(interviews_chapter(final)), "html.parser")
    header, rows = _table(chapter, "Intervjuer etter vurdering per tema")
    shown = {row[0]: _number(row[header.index("Nettoskår")]) for row in rows}
    goals = BeautifulSoup(str(goals_chapter(final)), "html.parser")
    header, rows = _table(goals, "Evidens per delmål")
    evidence = {row[header.index("Hva")]: _number(row[header.index("Verdi")])
                for row in rows if row[header.index("Kilde")] == "Intervjuer"}
    linked = [theme for theme in by_hand if labels[theme] in evidence]
    assert len(linked) >= 3
    for theme in linked:
        assert shown[labels[theme]] == evidence[labels[theme]] == round(by_hand[theme], 2), theme
    # the test can tell the bases apart: with both rounds some theme would score otherwise
    assert any(round(cumulative[t], 2) != round(by_hand[t], 2) for t in linked)


def test_every_interview_caption_names_its_base(final, rounds):
    base = f"Grunnlag: intervjuene i {FINAL_ROUND}, n = {len(rounds['final'])} intervjuer."
    captions = _captions(str(interviews_chapter(final)))
    change = [c for c in captions if c.startswith("Andel intervjuer som tar opp temaet")]
    assert len(change) == 1 and change[0].endswith(
        f"Sammenligning: intervjuene i {MIDTERM_ROUND}, n = {len(rounds['midterm'])} intervjuer, "
        f"og intervjuene i {FINAL_ROUND}, n = {len(rounds['final'])} intervjuer.")
    others = [c for c in captions if c not in change]
    assert len(others) == 5  # groups, heatmap figure and its data table, balance, co-occurrence
    for caption in others:
        assert caption.endswith(base), caption
    lasting = [c for c in _captions(str(findings_by_goal(final))) if "varige resultater" in c]
    assert lasting and all(c.endswith(base) for c in lasting)
    notes = BeautifulSoup(str(goals_chapter(final)), "html.parser").find_all("p", class_="note")
    assert any(base in n.get_text() for n in notes)
    method = BeautifulSoup(str(data_and_method(final)), "html.parser")
    assert any(f"gjelder intervjuene i {FINAL_ROUND}." in n.get_text()
               for n in method.find_all("p", class_="note"))


def test_the_synthesis_names_the_round_of_all_pilots_as_its_base():
    data = load_data(DEMO, phase="final")
    interviews = _demo("interviews.csv")
    n = int(((interviews["date"] > MIDTERM_CUTOFF) & (interviews["date"] <= FINAL_CUTOFF)).sum())
    markup = str(common_themes(ReportContext(data, pilot=None, phase="final")))
    assert f"Grunnlag: intervjuene i {FINAL_ROUND} i alle pilotene, n = {n} intervjuer." in markup


def test_the_synthesis_hides_the_total_when_a_pilots_round_is_hidden():
    data = load_data(DEMO, phase="final")
    final_round = data.interviews["round"] == "final"
    stad = data.interviews[final_round & (data.interviews["pilot"] == PILOT)]
    few = data.interviews.drop(stad.index[3:])  # Stad keeps 3 < 5 final-round interviews
    data = dataclasses.replace(data, interviews=few)
    markup = str(common_themes(ReportContext(data, pilot=None, phase="final")))
    text = re.sub(r"\s+", " ", BeautifulSoup(markup, "html.parser").get_text(" "))
    assert "antallet er skjult fordi en pilot har færre enn 5 intervjuer" in text
    assert not re.search(r"i alle pilotene, n = \d+", text)
