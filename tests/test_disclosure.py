"""The disclosure plan: one decision per render about which survey cells are hidden.

Hand-computed cases of primary and complementary suppression (threshold 5 unless said), the
consistency of every report table with the plan on a copy of the demo data with small offices,
and property tests over random small tables: whatever a reader adds up, a hidden office's
count or n·mean cannot be recovered from the pilot total and the shown offices.
"""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import DEMO
from evaluation.contract import load_data
from evaluation.disclosure import disclosure_plan, people_counts
from evaluation.privacy import derivable_cells
from evaluation.report import ReportContext
from evaluation.report.chapters.summary import key_figures
from evaluation.report.chapters.survey import survey_chapter
from evaluation.report.chapters.synthesis import index_comparison, pilots_overview
from evaluation.report.frame import data_and_method
from evaluation.survey import item_summary, likert_distribution, response_rates

ITEMS = load_data(DEMO, phase="final").items
ITEM_IDS = list(ITEMS["item_id"])
# the property tests use two items of each of two indices: the same rules, a tenth of the work
FEW_ITEMS = ITEMS.groupby("index", sort=False).head(2).head(4)
NOTE = "færre enn 5 svar"


def _responses(sizes: dict[tuple, int], *, answer=3, dont_know: dict[tuple, int] | None = None,
               items: pd.DataFrame = ITEMS):
    """Wide responses: ``sizes[(pilot, wave, agency)]`` people answering every item ``answer``;
    ``dont_know[(pilot, wave, agency)]`` more who answered "vet ikke" (9) to everything."""
    item_ids = list(items["item_id"])
    rows = []
    for (pilot, wave, agency), n in sizes.items():
        extra = (dont_know or {}).get((pilot, wave, agency), 0)
        for person in range(n + extra):
            code = answer if person < n else 9
            rows.append({"respondent_id": f"r-{pilot}{wave}{agency}{person}", "wave": wave,
                         "pilot": pilot, "agency": agency, **dict.fromkeys(item_ids, code)})
    for (pilot, wave, agency), extra in (dont_know or {}).items():
        if (pilot, wave, agency) not in sizes:
            for person in range(extra):
                rows.append({"respondent_id": f"r-dk{pilot}{wave}{agency}{person}", "wave": wave,
                             "pilot": pilot, "agency": agency, **dict.fromkeys(item_ids, 9)})
    frame = pd.DataFrame(rows)
    frame[item_ids] = frame[item_ids].astype("Int64")
    return frame


def _hidden(plan, pilot="p", wave=2021):
    return {a for p, w, a in plan.hidden_agencies if p == pilot and w == wave}


# ------------------------------------------------------------------- hand-computed examples
def test_two_small_offices_hide_each_other_and_nothing_else():
    # 3 + 4 = 7 >= 5 people in two hidden offices: no complement needed
    plan = disclosure_plan(_responses({("p", 2021, "a"): 3, ("p", 2021, "b"): 4,
                                       ("p", 2021, "c"): 10, ("p", 2021, "d"): 20}), ITEMS,
                           threshold=5)
    assert _hidden(plan) == {"a", "b"}
    assert not plan.pilot_hidden("p", 2021)


def test_one_small_office_takes_the_smallest_other_with_it():
    plan = disclosure_plan(_responses({("p", 2021, "a"): 2, ("p", 2021, "b"): 8,
                                       ("p", 2021, "c"): 10}), ITEMS, threshold=5)
    assert _hidden(plan) == {"a", "b"}
    reasons = dict(zip(plan.cells["agency"], plan.cells["reason"]))
    assert reasons == {"a": "primary", "b": "complementary", "c": ""}


def test_two_tiny_offices_below_the_threshold_together_take_a_third():
    # 1 + 2 = 3 < 5: the pilot total minus the shown offices would describe three people
    plan = disclosure_plan(_responses({("p", 2021, "a"): 1, ("p", 2021, "b"): 2,
                                       ("p", 2021, "c"): 30, ("p", 2021, "d"): 40}), ITEMS,
                           threshold=5)
    assert _hidden(plan) == {"a", "b", "c"}


def test_when_no_complement_helps_every_agency_row_is_hidden_but_the_pilot_total_stays():
    # b's 6 people answered nothing, so its smallest count is 0 and adds no one to the hidden sum
    responses = _responses({("p", 2021, "a"): 4})
    empty = pd.DataFrame({"respondent_id": [f"r-e{i}" for i in range(6)], "wave": 2021,
                          "pilot": "p", "agency": "b",
                          **{item: pd.array([pd.NA] * 6, dtype="Int64") for item in ITEM_IDS}})
    plan = disclosure_plan(pd.concat([responses, empty], ignore_index=True), ITEMS, threshold=5)
    assert _hidden(plan) == {"a", "b"}
    assert plan.cells["hidden"].all()
    assert not plan.pilot_hidden("p", 2021)


def test_three_people_who_all_answered_dont_know_are_hidden_everywhere():
    responses = _responses({("p", 2021, "b"): 10, ("p", 2021, "c"): 10},
                           dont_know={("p", 2021, "a"): 3})
    plan = disclosure_plan(responses, ITEMS, threshold=5)
    assert "a" in _hidden(plan)
    # the analysis functions alone count people too: before, n_valid = 0 left the group shown
    distribution = likert_distribution(responses, ITEMS, by=["agency"], threshold=5)
    small = distribution[distribution["agency"] == "a"]
    assert small["suppressed"].all() and small["n_dont_know"].isna().all()
    summary = item_summary(responses, ITEMS, by=["agency"], threshold=5)
    assert summary.loc[summary["agency"] == "a", "suppressed"].all()
    assert summary.loc[summary["agency"] == "a", "n_dont_know"].isna().all()


def test_an_office_with_few_index_scores_is_hidden_though_it_has_enough_respondents():
    # 8 respondents, but 5 answered "vet ikke" to everything: only 3 have an index score
    responses = _responses({("p", 2021, "a"): 3, ("p", 2021, "b"): 12, ("p", 2021, "c"): 15},
                           dont_know={("p", 2021, "a"): 5})
    counts = people_counts(responses, ITEMS).set_index("agency")
    assert counts.loc["a", "respondents"] == 8 and counts.loc["a", "index:collaboration"] == 3
    plan = disclosure_plan(responses, ITEMS, threshold=5)
    assert _hidden(plan) == {"a", "b"}


def test_a_wave_of_forty_stays_shown_beside_a_wave_of_three():
    responses = _responses({("p", 2021, "a"): 40, ("p", 2022, "a"): 3})
    plan = disclosure_plan(responses, ITEMS, threshold=5)
    assert not plan.pilot_hidden("p", 2021) and plan.pilot_hidden("p", 2022)
    assert not plan.agency_hidden("p", 2021, "a") and plan.agency_hidden("p", 2022, "a")
    population = pd.DataFrame({"pilot": "p", "agency": "a", "wave": [2021, 2022],
                               "invited": [50, 10]})
    alone = response_rates(population, responses, by=("pilot", "wave"), threshold=5)
    assert alone["suppressed"].tolist() == [False, True]
    planned = response_rates(population, responses, by=("pilot", "wave"), threshold=5, plan=plan)
    assert planned["suppressed"].tolist() == [False, True]
    assert planned.loc[0, "responded"] == 40


def test_the_total_over_pilots_is_hidden_when_it_would_give_one_small_pilot_away():
    plan = disclosure_plan(_responses({("p", 2021, "a"): 3, ("q", 2021, "a"): 50,
                                       ("p", 2022, "a"): 3, ("q", 2022, "a"): 4,
                                       ("r", 2022, "a"): 30}), ITEMS, threshold=5)
    assert plan.total_hidden(2021)  # one hidden pilot of 3
    assert not plan.total_hidden(2022)  # two hidden pilots, 7 people together


def test_without_complementary_suppression_only_the_small_office_is_hidden():
    sizes = {("p", 2021, "a"): 2, ("p", 2021, "b"): 8, ("p", 2021, "c"): 10}
    plan = disclosure_plan(_responses(sizes), ITEMS, threshold=5, complementary=False)
    assert _hidden(plan) == {"a"} and not plan.complementary


def test_the_report_context_reads_the_negative_control_switch(monkeypatch):
    data = load_data(DEMO, phase="midterm")
    assert ReportContext(data, pilot="stad", phase="midterm").disclosure.complementary
    monkeypatch.setenv("EVALUATION_UNSAFE_NO_COMPLEMENTARY", "1")
    assert not ReportContext(data, pilot="stad", phase="midterm").disclosure.complementary


def test_a_table_the_plan_cannot_place_is_refused():
    responses = _responses({("p", 2021, "a"): 10, ("p", 2022, "a"): 10})
    plan = disclosure_plan(responses, ITEMS, threshold=5)
    with pytest.raises(ValueError, match="group by 'wave'"):
        likert_distribution(responses, ITEMS, threshold=5, plan=plan)


# ---------------------------------------------------- every report table agrees with the plan
SMALL = {  # (pilot, wave, agency): respondents kept in the copy of the demo data
    ("stad", 2024, "nav"): 2, ("stad", 2024, "skatteetaten"): 2, ("stad", 2024, "politiet"): 0,
    ("stad", 2024, "statens_vegvesen"): 0,
    ("orkland", 2022, "skatteetaten"): 2, ("narvik", 2021, "kartverket"): 1,
    ("lyngdal", 2021, "statsforvalteren"): 1,
}


@pytest.fixture(scope="module")
def small_offices(tmp_path_factory) -> Path:
    """The demo data with some offices cut to 0–2 respondents (stad's 2024 wave to 4)."""
    target = tmp_path_factory.mktemp("small") / "data"
    shutil.copytree(DEMO, target)
    path = target / "survey" / "responses.csv"
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    kept, seen = [], {}
    for row in rows:
        key = (row["pilot"], int(row["wave"]), row["agency"])
        seen[key] = seen.get(key, 0) + 1
        if key not in SMALL or seen[key] <= SMALL[key]:
            kept.append(row)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)
    population = target / "survey" / "population.csv"  # an office that left the pilot in 2024
    lines = population.read_text(encoding="utf-8").splitlines()
    population.write_text("\n".join(line for line in lines
                                    if line != next(x for x in lines
                                                    if x.startswith("stad,politiet,2024,")))
                          + "\n", encoding="utf-8")
    kept_keys = {key for key in SMALL if SMALL[key]} | {
        (r["pilot"], int(r["wave"]), r["agency"]) for r in kept}
    assert ("stad", 2024, "politiet") not in kept_keys
    return target


def _rows(markup: str, caption_start: str) -> list[list[str]]:
    start = markup.index(f"<caption>{caption_start}")
    table = markup[start:markup.index("</table>", start)]
    return [[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table)][1:]


def _years(text: str) -> list[int]:
    return [int(y) for y in re.findall(r"\b(20\d\d)\b", text)]


@pytest.fixture(scope="module")
def final_small(small_offices):
    return load_data(small_offices, phase="final")


@pytest.mark.parametrize("pilot", ["stad", "orkland", "narvik", "lyngdal"])
def test_every_survey_table_of_a_pilot_report_agrees_with_the_plan(final_small, pilot):
    ctx = ReportContext(final_small, pilot=pilot, phase="final")
    plan = ctx.disclosure
    names = {ctx.pick(r, "name"): r["agency"] for r in
             ctx.programme.agencies[ctx.programme.agencies["pilot"] == pilot].to_dict("records")}
    markup = str(survey_chapter(ctx))
    for wave_text, agency, _invited, responded, _rate in _rows(markup, "Inviterte, svar og svarprosent"):
        (wave,) = _years(wave_text)
        hidden = plan.pilot_hidden(pilot, wave) if agency == "Alle virksomheter" else \
            plan.agency_hidden(pilot, wave, names[agency])
        assert (responded == NOTE) == hidden, (wave, agency, responded)
    for caption in ("Endring i indeksene per virksomhet", "Endring i indeksene fra midtveis"):
        if f"<caption>{caption}" not in markup:
            continue
        for row in _rows(markup, caption):
            if row[0] not in names:
                continue  # the pilot rows of the change table
            waves = _years(row[2])
            if any(plan.agency_hidden(pilot, w, names[row[0]]) for w in waves):
                assert row[3] == NOTE, row
    method = str(data_and_method(ctx))
    for wave_text, _invited, responded, rate in _rows(method, "Inviterte, svar og svarprosent per runde"):
        (wave,) = _years(wave_text)
        assert (responded == NOTE) == plan.pilot_hidden(pilot, wave)
        assert responded != "0" and rate != "0 %"


def test_a_small_pilot_wave_is_hidden_in_the_key_figures_the_method_chapter_and_the_synthesis(
        final_small):
    ctx = ReportContext(final_small, pilot="stad", phase="final")
    assert ctx.disclosure.pilot_hidden("stad", 2024)
    figures = key_figures(ctx).set_index("Nøkkeltall" if "Nøkkeltall" in key_figures(ctx).columns
                                         else key_figures(ctx).columns[0]).iloc[:, 0]
    assert figures.filter(like="2024").tolist() == [NOTE, "–"]
    synthesis = ReportContext(final_small, pilot=None, phase="final")
    overview = _rows(str(pilots_overview(synthesis)), "Pilotene og datagrunnlaget")
    stad = next(row for row in overview if row[0] == "Stad")
    assert stad[3:5] == [NOTE, "–"]
    chart = str(index_comparison(synthesis))
    stad_2024 = [row for row in _rows(chart, "Tall bak figuren") if row[1:3] == ["Stad", "2024"]]
    assert stad_2024 and all(row[3] == NOTE and row[4] == "–" for row in stad_2024)
    totals = _rows(str(data_and_method(synthesis)), "Inviterte, svar og svarprosent per runde")
    total_2024 = next(row for row in totals if _years(row[0]) == [2024])
    assert total_2024[2] == NOTE  # all pilots minus the three shown would give Stad away


def test_the_synthesis_and_the_pilot_report_share_one_plan(final_small):
    pilot = ReportContext(final_small, pilot="orkland", phase="final").disclosure
    synthesis = ReportContext(final_small, pilot=None, phase="final").disclosure
    assert pilot.hidden_agencies == synthesis.hidden_agencies
    assert pilot.hidden_pilot_waves == synthesis.hidden_pilot_waves


# ------------------------------------------------------------------------ property tests
_offices = st.lists(st.integers(min_value=0, max_value=12), min_size=1, max_size=6)


def _check_no_recovery(plan, counts: pd.DataFrame, threshold: int) -> None:
    """No hidden office is recoverable from the pilot total and the shown offices."""
    keys = ["pilot", "wave", "agency"]
    cells = plan.cells[[*keys, "hidden"]].merge(counts, on=keys, how="left").fillna(0)
    kinds = [c for c in counts.columns if c not in keys]
    for (pilot, wave), part in cells.groupby(["pilot", "wave"]):
        if plan.pilot_hidden(pilot, wave):
            assert 0 < part["respondents"].sum() < threshold
            continue
        hidden, shown = part[part["hidden"]], part[~part["hidden"]]
        if hidden.empty or shown.empty:
            continue  # nothing hidden, or nothing shown to subtract
        for kind in kinds:
            values = shown[kind]
            assert not ((values >= 1) & (values < threshold)).any(), (kind, shown)
            # a count and an n·mean are sums over people: the total minus the shown rows is
            # the hidden rows' sum, which must cover two offices and the threshold
            assert len(hidden) >= 2 and hidden[kind].sum() >= threshold, (kind, part)
            assert derivable_cells(part[kind].astype(int).tolist(), part["hidden"].tolist()) == []


@settings(derandomize=True, max_examples=100, deadline=None)
@given(waves=st.lists(_offices, min_size=1, max_size=3), threshold=st.integers(3, 6))
def test_no_hidden_office_can_be_recovered_by_subtraction(waves, threshold):
    sizes = {("p", 2021 + w, f"a{i}"): n for w, offices in enumerate(waves)
             for i, n in enumerate(offices) if n}
    if not sizes:
        return
    responses = _responses(sizes, items=FEW_ITEMS)
    plan = disclosure_plan(responses, FEW_ITEMS, threshold=threshold)
    for (pilot, wave), part in plan.cells.groupby(["pilot", "wave"]):
        hidden = part.loc[part["hidden"], "respondents"]
        assert hidden.empty or plan.pilot_hidden(pilot, wave) or (
            len(hidden) >= 2 and hidden.sum() >= threshold)
        # each wave stands alone: the same offices alone give the same decision
        alone = disclosure_plan(responses[responses["wave"] == wave], FEW_ITEMS,
                                threshold=threshold)
        assert set(alone.cells.loc[alone.cells["hidden"], "agency"]) == set(part.loc[part["hidden"], "agency"])


@settings(derandomize=True, max_examples=100, deadline=None)
@given(offices=st.lists(st.tuples(st.integers(0, 9), st.integers(0, 4)), min_size=1, max_size=6),
       threshold=st.integers(3, 6))
def test_every_count_of_a_hidden_group_holds_at_least_the_threshold(offices, threshold):
    # each office: people who answered on the scale and people who answered only "vet ikke"
    sizes = {("p", 2021, f"a{i}"): n for i, (n, _) in enumerate(offices) if n}
    dont_know = {("p", 2021, f"a{i}"): k for i, (_, k) in enumerate(offices) if k}
    if not sizes and not dont_know:
        return
    responses = _responses(sizes, dont_know=dont_know, items=FEW_ITEMS)
    plan = disclosure_plan(responses, FEW_ITEMS, threshold=threshold)
    _check_no_recovery(plan, people_counts(responses, FEW_ITEMS), threshold)


def test_the_midterm_and_final_reports_hide_the_same_cells_of_the_waves_they_share():
    # waves stand alone, so the final report's wider data cannot change a shared wave's cells
    midterm, final = (ReportContext(load_data(DEMO, phase=phase), pilot="stad", phase=phase)
                      .disclosure for phase in ("midterm", "final"))
    shared = set(midterm.cells["wave"])
    assert shared < set(final.cells["wave"])
    assert midterm.hidden_agencies == {c for c in final.hidden_agencies if c[1] in shared}
    assert ("stad", 2022, "statens_vegvesen") in midterm.hidden_agencies
