"""The computed status in words: the reason text, and where the reports show it (beside the
evaluators' judgement, labelled as computed by rule, never instead of it)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.goals import EVIDENCE_COLUMNS
from evaluation.report import ReportContext, findings_by_goal, goals_chapter, summary_chapter
from evaluation.report.status_reasons import item_labels, reason_text, reason_texts


def text_of(markup: str) -> str:
    return re.sub(r"[ \t\n]+", " ", re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture(scope="module")
def final_data():
    return load_data(DEMO, phase="final")


def _evidence(rows) -> pd.DataFrame:
    defaults = {"estimate": float("nan"), "ci_low": float("nan"), "ci_high": float("nan"),
                "threshold": float("nan"), "n": None, "n_positive": None, "n_negative": None,
                "detail": ""}
    frame = pd.DataFrame([{**defaults, **r} for r in rows]).reindex(columns=EVIDENCE_COLUMNS)
    for column in ("n", "n_positive", "n_negative"):
        frame[column] = pd.array(frame[column], dtype="Int64")
    return frame


EVIDENCE = _evidence([
    {"pilot": "stad", "sub_goal": "stad-d2", "source": "indicator", "item": "stad-i2",
     "measure": "progress_vs_expected", "estimate": 1.1, "status": "achieved"},
    {"pilot": "stad", "sub_goal": "stad-d2", "source": "survey", "item": "collaboration",
     "measure": "index_change", "estimate": 0.42, "ci_low": 0.21, "ci_high": 0.63,
     "threshold": 0.3, "n": 90, "status": "on_track"},
    {"pilot": "stad", "sub_goal": "stad-d2", "source": "survey", "item": "professional_environment",
     "measure": "index_change", "status": "no_data", "detail": "suppressed"},
    {"pilot": "stad", "sub_goal": "stad-d2", "source": "milestone", "item": "stad-m4",
     "measure": "days_late", "estimate": 0.0, "detail": "completed_on_time", "status": "on_track"},
    {"pilot": "stad", "sub_goal": "stad-d2", "source": "milestone", "item": "stad-m1",
     "measure": "days_late", "estimate": 77.0, "detail": "completed_late", "status": "on_track"},
    {"pilot": "stad", "sub_goal": "stad-d2", "source": "interview", "item": "collaboration",
     "measure": "net_score", "estimate": 0.55, "threshold": 0.2, "n": 20, "n_positive": 14,
     "n_negative": 3, "status": "on_track"},
])
RECORD = {"pilot": "stad", "sub_goal": "stad-d2", "indicator_status": "achieved",
          "survey_status": "on_track", "milestone_status": "on_track",
          "interview_status": "on_track", "computed_status": "achieved",
          "reason": "all_targets_met"}


def test_the_reason_names_each_sources_facts_and_the_deciding_rule_in_bokmal(final_data):
    ctx = ReportContext(final_data, pilot="stad", phase="final")
    text = reason_text(ctx, RECORD, EVIDENCE, labels=item_labels(ctx), confidence_level=0.95)
    # Written out by hand from the evidence above and the translation table (goals.yaml).
    assert text == (
        "Indikatorer – nådd: Felles faglige aktiviteter per år: nådd. "
        "Spørreundersøkelsen – i rute: Samarbeid på tvers av etater: endring 0,42 (95 % KI 0,21 "
        "til 0,63), en viktig økning (minste viktige endring 0,3); Fagmiljø: skjult (færre enn 5 svar). "
        "Milepæler – i rute: 2 av 2 med passert frist fullført; 1 av dem etter fristen. "
        "Intervjuer – i rute: Samarbeid på tvers: 14 av 20 intervjuer positive, 3 negative. "
        "Nådd: alle indikatorene med data har nådd målet, og minst to kilder er i rute eller bedre.")


def test_the_reason_in_english_for_a_survey_too_wide_to_tell(final_data):
    ctx = ReportContext(final_data, pilot="stad", phase="final", lang="en")
    evidence = _evidence([
        {"pilot": "stad", "sub_goal": "stad-d2", "source": "survey", "item": "collaboration",
         "measure": "index_change", "estimate": -0.05, "ci_low": -0.35, "ci_high": 0.61,
         "threshold": 0.3, "n": 90, "status": "insufficient_evidence"},
        {"pilot": "stad", "sub_goal": "stad-d2", "source": "milestone", "item": "stad-m4",
         "measure": "days_late", "detail": "not_yet_due", "status": "no_data"},
    ])
    record = {**RECORD, "survey_status": "insufficient_evidence", "milestone_status": "no_data",
              "computed_status": "insufficient_evidence", "reason": "not_enough_evidence"}
    text = reason_text(ctx, record, evidence, labels=item_labels(ctx), confidence_level=0.95)
    assert text == (
        "Survey – not enough evidence: Collaboration across agencies: change -0.05 (95% CI -0.35 "
        "to 0.61), too uncertain to tell whether it reaches the minimal important change 0.3. "
        "Milestones – no data: no milestone is due yet. No source gives clear evidence either way.")


def test_the_goals_chapter_shows_the_computed_status_as_an_aid_beside_the_judgement(final_data):
    ctx = ReportContext(final_data, pilot="stad", phase="final")
    markup = str(goals_chapter(ctx))
    headers = re.findall(r"<th scope=\"col\"[^>]*>([^<]+)</th>", markup)
    status_headers = headers[headers.index("Evaluatorenes vurdering"):]
    assert status_headers.index("Evaluatorenes vurdering") < status_headers.index(
        "Beregnet etter regel (hjelpemiddel)") < status_headers.index("Begrunnelse for beregnet status")
    text = text_of(markup)
    for reason in reason_texts(ctx).values():
        assert text_of(reason) in text
    # the evidence table gives the interval, not a p-value, and the intro the programme's rule
    assert "p (Holm-justert)" not in text and "95 % KI" in text
    assert "mot minste viktige endring, 0,3 indekspoeng" in text
    assert "fra 0,2, ikke i rute fra −0,2 og lavere" in text


def test_the_summary_shows_the_judgement_first_and_the_findings_give_the_computed_status_its_reason(
        final_data):
    ctx = ReportContext(final_data, pilot="narvik", phase="final")
    markup = str(summary_chapter(ctx))
    assert re.search(r"Evaluatorenes vurdering</th>\s*<th[^>]*>Beregnet etter regel \(hjelpemiddel\)</th>", markup)
    text = text_of(str(findings_by_goal(ctx)))
    for reason in reason_texts(ctx).values():
        assert text_of(reason) in text


def test_not_enough_evidence_has_its_own_label_and_symbol(final_data):
    ctx = ReportContext(final_data, pilot="stad", phase="final")
    assert ctx.status("insufficient_evidence") == "For lite grunnlag ◐"
    assert ctx.status("insufficient_evidence") not in (ctx.status("at_risk"), ctx.status("no_data"))


def test_the_results_chain_and_lasting_results_follow_the_evaluators_judgement(final_data):
    # assessments.csv: stad-d1 final judged "achieved"; the rule computes "on_track" (no indicator
    # has data for stad-d1). The chain element linked to stad-d1 alone shows the judgement.
    ctx = ReportContext(final_data, pilot="stad", phase="final")
    overview = ctx.attainment.overview.set_index("sub_goal")
    assert (overview.loc["stad-d1", "judged_status"], overview.loc["stad-d1", "computed_status"]) == (
        "achieved", "on_track")
    markup = str(findings_by_goal(ctx))
    assert re.search(r'<li class="results-chain-element status-achieved">Konkurransegrunnlag og '
                     r'leieavtale for Statens hus<br />', markup)
    assert "Nådd eller i rute ved slutten av piloten etter evaluatorenes vurdering: stad-d1:" in text_of(markup)
