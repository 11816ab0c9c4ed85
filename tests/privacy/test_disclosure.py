"""Privacy proven from the outside: the independent disclosure checker on rendered reports.

The checker (``disclosure_checker.py``) reads only the rendered HTML and the data files; see its
docstring for the rules. Here it runs on

* the demo render shared by the session (every pilot, the synthesis, both phases, Stad in English);
* copies of the demo data edited to hold very small groups, rendered for Stad;
* a render with complementary suppression switched off (the negative control: it must leak);
* tiny hand-written pages, so that the checker is shown able to fail.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from conftest import DEMO

from .disclosure_checker import HIDDEN, check_html, check_reports, parse_count


def render(data_dir: Path, out: Path, *extra: str, env: dict[str, str] | None = None) -> Path:
    """Render reports of ``data_dir`` into ``out`` in a subprocess, as a user would."""
    result = subprocess.run([sys.executable, "-m", "evaluation", "render", "--data-dir", str(data_dir),
                             "--out", str(out), *extra],
                            capture_output=True, text=True, env={**os.environ, **(env or {})})
    assert result.returncode == 0, f"render failed:\n{result.stdout}\n{result.stderr[-4000:]}"
    return out


def listing(findings) -> str:
    return "\n".join(str(f) for f in findings)


# ---------------------------------------------------------------------------------------------
# The demo render.


@pytest.fixture(scope="module")
def demo_check(demo_reports):
    return check_reports(demo_reports, DEMO)


def test_checker_reads_every_people_count_table_of_the_demo_and_agrees_with_the_data(demo_check):
    # Every number the checker read equals the true count it stands for, so it has understood
    # the tables; and it has found each kind of table in each of the 12 reports that has one.
    assert demo_check.problems == []
    for kind, least in {"response_by_agency": 10, "response_by_wave": 10, "key_figures": 10,
                        "index_n": 12, "index_pairs": 20, "interview_groups": 10, "interview_heatmap": 10,
                        "synthesis_pilots": 2}.items():
        assert demo_check.tables.get(kind, 0) >= least, (kind, demo_check.tables)
    assert len(demo_check.cells) > 500


def test_demo_reports_disclose_no_small_group(demo_check):
    assert demo_check.findings == [], listing(demo_check.findings)


# ---------------------------------------------------------------------------------------------
# Purpose-built data: very small offices and stakeholder groups.


def _small_groups_data(target: Path) -> Path:
    """A copy of the demo data where Stad has an office of 1 and one of 3 respondents in a wave,
    and two stakeholder groups with one interview per round."""
    import shutil

    shutil.copytree(DEMO, target)
    responses = pd.read_csv(target / "survey" / "responses.csv", dtype=str, keep_default_na=False)
    keep = []
    for (pilot, wave, agency), rows in responses.groupby(["pilot", "wave", "agency"], sort=False):
        size = {("stad", "2021", "statens_vegvesen"): 1, ("stad", "2024", "skatteetaten"): 3}.get(
            (pilot, wave, agency), len(rows))
        keep.append(rows.head(size))
    pd.concat(keep).sort_index().to_csv(target / "survey" / "responses.csv", index=False)

    interviews = pd.read_csv(target / "interviews" / "interviews.csv", dtype=str, keep_default_na=False)
    cutoff = "2022-12-31"
    drop = []
    for group in ("employees", "municipality"):
        for early in (True, False):
            rows = interviews[(interviews.pilot == "stad") & (interviews.stakeholder_group == group)
                              & ((interviews.date <= cutoff) == early)]
            drop += list(rows.interview_id[1:])  # one interview per round is left
    interviews[~interviews.interview_id.isin(drop)].to_csv(target / "interviews" / "interviews.csv", index=False)
    segments = pd.read_csv(target / "interviews" / "segments.csv", dtype=str, keep_default_na=False)
    segments[~segments.interview_id.isin(drop)].to_csv(target / "interviews" / "segments.csv", index=False)
    return target


@pytest.fixture(scope="module")
def small_groups(tmp_path_factory):
    data = _small_groups_data(tmp_path_factory.mktemp("small-groups") / "data")
    out = render(data, tmp_path_factory.mktemp("small-groups-reports"), "--pilot", "stad")
    return data, out


@pytest.mark.notebook
def test_purpose_built_small_groups_are_really_small(small_groups):
    data, _ = small_groups
    responses = pd.read_csv(data / "survey" / "responses.csv", dtype=str)
    sizes = responses[responses.pilot == "stad"].groupby(["wave", "agency"]).size()
    assert sizes[("2021", "statens_vegvesen")] == 1 and sizes[("2024", "skatteetaten")] == 3
    interviews = pd.read_csv(data / "interviews" / "interviews.csv", dtype=str)
    stad = interviews[interviews.pilot == "stad"]
    rounds = stad.groupby(["stakeholder_group", stad.date <= "2022-12-31"]).size()
    assert rounds["employees"].tolist() == [1, 1] and rounds["municipality"].tolist() == [1, 1]


@pytest.mark.notebook
def test_checker_understands_the_purpose_built_reports(small_groups):
    data, out = small_groups
    result = check_reports(out, data)
    assert result.problems == []
    assert result.tables.get("response_by_agency", 0) == 2


@pytest.mark.notebook
def test_purpose_built_small_groups_are_not_disclosed(small_groups):
    data, out = small_groups
    result = check_reports(out, data)
    assert result.findings == [], listing(result.findings)


# ---------------------------------------------------------------------------------------------
# The negative control: without complementary suppression, a hidden cell can be worked out.


@pytest.mark.notebook
def test_without_complementary_suppression_the_checker_recovers_a_true_hidden_count(tmp_path):
    out = render(DEMO, tmp_path / "reports", "--pilot", "stad", env={"EVALUATION_UNSAFE_NO_COMPLEMENTARY": "1"})
    result = check_reports(out, DEMO)
    assert result.problems == []
    exact = [f for f in result.findings if f.value == f.true_value and 1 <= f.true_value < 5]
    assert exact, listing(result.findings)


# ---------------------------------------------------------------------------------------------
# The checker itself, on tiny hand-written pages (a made-up pilot with known counts).

RESPONDENTS = {"skatteetaten": 10, "nav": 7, "politiet": 2, "statens_vegvesen": 2}  # wave 2022
INTERVIEWS = {("agency_management", "2022-06-01"): 6, ("agency_management", "2024-06-01"): 2,
              ("employees", "2022-06-01"): 5, ("employees", "2024-06-01"): 5}


@pytest.fixture
def tiny_data(tmp_path) -> Path:
    data = tmp_path / "data"
    (data / "survey").mkdir(parents=True)
    (data / "interviews").mkdir()
    (data / "programme.yaml").write_text(textwrap.dedent("""\
        anonymity_threshold: 5
        phases: [{id: midterm, cutoff: 2022-12-31}, {id: final, cutoff: 2024-12-31}]
        waves: [{id: 2022, role: midterm}]
        survey_indices: [{id: collaboration, label_nb: Samarbeid, label_en: Collaboration}]
        agencies:
        - {id: skatteetaten, name_nb: Skatteetaten, name_en: Tax}
        - {id: nav, name_nb: NAV, name_en: NAV}
        - {id: politiet, name_nb: Politiet, name_en: Police}
        - {id: statens_vegvesen, name_nb: Statens vegvesen, name_en: Roads}
        pilots:
        - {id: stad, name: Stad, agencies: [skatteetaten, nav, politiet, statens_vegvesen]}
        """), encoding="utf-8")
    rows = [f"r{a}{i},2022,2022-05-01,stad,{a},4,4" for a, n in RESPONDENTS.items() for i in range(n)]
    (data / "survey" / "responses.csv").write_text(
        "respondent_id,wave,response_date,pilot,agency,Q01,Q02\n" + "\n".join(rows) + "\n", encoding="utf-8")
    (data / "survey" / "population.csv").write_text(
        "pilot,agency,wave,invited\n" + "".join(f"stad,{a},2022,{n + 3}\n" for a, n in RESPONDENTS.items()),
        encoding="utf-8")
    (data / "survey" / "items.csv").write_text(
        "item_id,index,scale,reverse_keyed,text_nb,text_en\nQ01,collaboration,agree5,no,a,a\n"
        "Q02,collaboration,agree5,no,b,b\n", encoding="utf-8")
    (data / "survey" / "scales.csv").write_text(
        "scale,code,label_nb,label_en,dont_know\nagree5,4,Enig,Agree,no\nagree5,9,Vet ikke,Don't know,yes\n",
        encoding="utf-8")
    lines = [f"i{k}-{j},stad,{date},{group},1" for k, ((group, date), n) in enumerate(INTERVIEWS.items())
             for j in range(n)]
    (data / "interviews" / "interviews.csv").write_text(
        "interview_id,pilot,date,stakeholder_group,informants\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return data


def table(caption: str, headers: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{h}</th>" for h in headers)
    body = "".join("<tr>" + f"<th>{r[0]}</th>" + "".join(f"<td>{c}</td>" for c in r[1:]) + "</tr>" for r in rows)
    return f"<table><caption>{caption}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def page(*tables: str) -> str:
    return f"<html lang='nb'><body>{''.join(tables)}</body></html>"


RESPONSE_CAPTION = "Inviterte, svar og svarprosent per runde og virksomhet i Stad"
RESPONSE_HEADERS = ["Runde", "Virksomhet", "Inviterte", "Svar", "Svarprosent"]


def response_table(shown: dict[str, object], total: object = 21) -> str:
    names = {"skatteetaten": "Skatteetaten", "nav": "NAV", "politiet": "Politiet",
             "statens_vegvesen": "Statens vegvesen"}
    rows = [["Midtveis 2022", names[a], RESPONDENTS[a] + 3, value, "–"] for a, value in shown.items()]
    rows.append(["Midtveis 2022", "Alle virksomheter", 33, total, "64 %"])
    return table(RESPONSE_CAPTION, RESPONSE_HEADERS, rows)


def test_numbers_are_read_the_norwegian_way():
    assert parse_count("1\u00a0234") == 1234
    assert parse_count("12\u202f345") == 12345
    assert parse_count("44") == 44
    assert parse_count("–") == HIDDEN
    assert parse_count("færre enn 5 svar") == HIDDEN
    assert parse_count("fewer than 5 responses") == HIDDEN
    assert parse_count("3,5") is None


def test_a_hidden_cell_recoverable_from_the_shown_total_is_found(tiny_data):
    html = response_table({"skatteetaten": 10, "nav": 7, "politiet": "færre enn 5 svar", "statens_vegvesen": 2})
    result = check_html({"midterm/stad": page(html)}, tiny_data)
    assert result.problems == []
    recovered = result.by_kind("recovered")
    assert [(f.value, f.true_value) for f in recovered] == [(2, 2)], listing(result.findings)
    assert "politiet" in recovered[0].group and recovered[0].caption == RESPONSE_CAPTION
    assert [f.value for f in result.by_kind("direct")] == [2]  # Statens vegvesen is shown with 2


def test_two_hidden_cells_summing_to_the_threshold_or_more_are_not_found(tiny_data):
    html = response_table({"skatteetaten": 10, "nav": "–", "politiet": "–", "statens_vegvesen": "–"})
    result = check_html({"midterm/stad": page(html)}, tiny_data)
    assert result.problems == []
    assert result.findings == []


def test_hidden_cells_summing_below_the_threshold_are_found_as_a_group(tiny_data):
    html = response_table({"skatteetaten": 10, "nav": 7, "politiet": "–", "statens_vegvesen": "–"})
    result = check_html({"midterm/stad": page(html)}, tiny_data)
    groups = [f for f in result.by_kind("recovered") if "hidden" in f.group]
    assert [(f.value, f.true_value) for f in groups] == [(4, 4)], listing(result.findings)


def test_a_total_from_another_report_is_used_and_left_out_rows_count_as_hidden(tiny_data):
    # The agency table leaves the small offices out and shows no total; the method chapter of
    # the other phase shows the total.
    agencies = table(RESPONSE_CAPTION, RESPONSE_HEADERS,
                     [["Midtveis 2022", "Skatteetaten", 13, 10, "77 %"], ["Midtveis 2022", "NAV", 10, 7, "70 %"]])
    method = table("Inviterte, svar og svarprosent per runde i Stad", ["Runde", "Inviterte", "Svar", "Svarprosent"],
                   [["2022 (midtveis)", 33, 21, "64 %"]])
    result = check_html({"midterm/stad": page(agencies), "final/stad": page(method)}, tiny_data)
    assert result.problems == []
    assert [(f.value, f.true_value) for f in result.by_kind("recovered")] == [(4, 4)], listing(result.findings)


def test_a_response_rate_shown_for_a_hidden_count_is_found(tiny_data):
    rows = [["Midtveis 2022", "Politiet", 5, "–", "40 %"]]
    result = check_html({"midterm/stad": page(table(RESPONSE_CAPTION, RESPONSE_HEADERS, rows))}, tiny_data)
    assert [(f.kind, f.value, f.true_value) for f in result.findings] == [("rate", 2, 2)]


GROUPS_CAPTION = "Intervjuer og informanter etter informantgruppe, Stad"
GROUPS_HEADERS = ["Informantgruppe", "Intervjuer", "Informanter"]


def test_cumulative_interview_tables_of_two_phases_are_subtracted(tiny_data):
    # Midterm: 6 agency managers and 5 employees; final (cumulative): 8 and 10. The final round
    # of the agency managers (2 interviews) is 8 − 6.
    midterm = table(GROUPS_CAPTION, GROUPS_HEADERS,
                    [["Ledere i etatene", 6, 6], ["Ansatte", 5, 5], ["Totalt", 11, 11]])
    final = table(GROUPS_CAPTION, GROUPS_HEADERS,
                  [["Ledere i etatene", 8, 8], ["Ansatte", 10, 10], ["Totalt", 18, 18]])
    result = check_html({"midterm/stad": page(midterm), "final/stad": page(final)}, tiny_data)
    assert result.problems == []
    found = result.by_kind("recovered")
    assert [(f.value, f.true_value) for f in found] == [(2, 2)], listing(result.findings)
    assert "agency_management / final" in found[0].group
    # One phase alone gives nothing away.
    assert check_html({"final/stad": page(final)}, tiny_data).findings == []


def test_a_number_that_disagrees_with_the_data_is_a_problem_not_a_silent_pass(tiny_data):
    html = response_table({"skatteetaten": 11, "nav": 7, "politiet": "–", "statens_vegvesen": "–"})
    result = check_html({"midterm/stad": page(html)}, tiny_data)
    assert any("shows 11, but the data hold 10" in p for p in result.problems), result.problems
