"""The four demo pilots: sub-goals, indicators, results chains, milestones, the evaluators'
assessments, and the demo ``programme.yaml`` built from them (the evaluators' narratives are
Markdown files in ``evaluation/demo/narratives/``)."""

from __future__ import annotations

import datetime as dt

from evaluation.demo.catalogue import AGENCIES, INDICES, NATIONAL_GOALS, OFFICES, THEMES, WAVES

NARVIK_MERGE = {
    "valid_to": dt.date(2023, 4, 30), "approved": dt.date(2023, 4, 20), "replaced_by": ["narvik-d4"],
    "reason_nb": "Styringsgruppen slo sammen delprosjektene for samarbeid og tjenesteutvikling etter "
                 "resultatrapporten for 2022, for å prioritere færre og skarpere delmål.",
    "reason_en": "The steering group merged the sub-projects on collaboration and service development "
                 "after the 2022 result report, to prioritise fewer and sharper sub-goals."}
"""Narvik's change after the midterm: d1 and d3 merged into d4 (approved April 2023)."""
ORKLAND_DROP = {
    "valid_to": dt.date(2023, 3, 31), "approved": dt.date(2023, 3, 15),
    "reason_nb": "Programmet mot utenforskap videreføres i kommunens ordinære drift; piloten prioriterer "
                 "scenarioarbeidet og rekrutteringen.",
    "reason_en": "The programme against exclusion continues in the municipality's ordinary work; the pilot "
                 "prioritises the scenario work and recruitment."}
"""Orkland's change after the midterm: d2 dropped (approved March 2023)."""


def _pilots() -> list[dict]:
    """The programme's pilots: sub-goals, indicators and results chains (synthetic but plausible)."""
    return [_stad(), _orkland(), _narvik(), _lyngdal()]


def _chain(inputs, activities, outputs, outcomes, impacts) -> dict:
    """A results chain from (text_nb, text_en, links) entries per stage; links are sub-goal or
    national-goal ids."""
    def elements(entries):
        return [{"text_nb": nb, "text_en": en, **({"sub_goals": goals} if goals and goals[0][0] != "N"
                                                  else {"national_goals": goals} if goals else {})}
                for nb, en, goals in entries]
    return {"inputs": elements(inputs), "activities": elements(activities),
            "outputs": elements(outputs), "outcomes": elements(outcomes), "impacts": elements(impacts)}


def _indicator(iid, nb, en, unit, direction, base, target, sub_goal) -> dict:
    """An indicator with a 2021 baseline and a 2024 target."""
    return {"id": iid, "name_nb": nb, "name_en": en, "unit": unit, "direction": direction,
            "baseline": {"value": base, "year": 2021}, "target": {"value": target, "year": 2024},
            "sub_goal": sub_goal}


def _stad() -> dict:
    """The Stad pilot."""
    return {
        "id": "stad", "name": "Stad", "municipality_number": "4649",
        "agencies": list(OFFICES["stad"]),
        "sub_goals": [
            {"id": "stad-d1",
             "text_nb": "Samlokalisere Skatteetaten, NAV og Politiet i et nytt Statens hus på Nordfjordeid",
             "text_en": "Co-locate the Tax Administration, NAV and the Police in a new State House in Nordfjordeid",
             "national_goals": ["N4"], "survey_indices": ["workplace"], "interview_themes": ["colocation"]},
            {"id": "stad-d2", "text_nb": "Styrke samarbeidet og fagmiljøet mellom etatene",
             "text_en": "Strengthen collaboration and the professional environment across agencies",
             "national_goals": ["N1", "N4"], "survey_indices": ["collaboration", "professional_environment"],
             "interview_themes": ["collaboration", "professional_environment"]},
            {"id": "stad-d3", "text_nb": "Etablere et distriktshub med fleksible kontorplasser for statsansatte",
             "text_en": "Establish a district hub with flexible offices for state employees",
             "national_goals": ["N2", "N3"], "survey_indices": ["recruitment_retention"],
             "interview_themes": ["recruitment"]},
        ],
        "indicators": [
            _indicator("stad-i1", "Statlige årsverk i kommunen", "State full-time equivalents in the municipality",
                      "årsverk", "increase", 212, 230, "stad-d3"),
            _indicator("stad-i2", "Felles faglige aktiviteter per år", "Joint professional activities per year",
                      "antall", "increase", 2, 12, "stad-d2"),
            _indicator("stad-i3", "Kvalifiserte søkere per utlyste stilling", "Qualified applicants per vacancy",
                      "søkere", "increase", 3.1, 5.0, "stad-d3"),
        ],
        "results_chain": _chain(
            [("Pilotmidler og kommunens prosjektleder", "Pilot funding and the municipality's project manager", []),
             ("Etatenes lokale ledere i styringsgruppen", "The agencies' local managers in the steering group", [])],
            [("Konkurransegrunnlag og leieavtale for Statens hus", "Tender and lease for the State House", ["stad-d1"]),
             ("Felles fagdager og hospitering", "Joint professional days and job shadowing", ["stad-d2"])],
            [("Signert leieavtale for 1 880 m² (januar 2024)", "Lease signed for 1,880 m² (January 2024)", ["stad-d1"]),
             ("Distriktshub med fleksible kontorplasser", "District hub with flexible offices", ["stad-d3"])],
            [("Tettere samarbeid og større fagmiljø",
              "Closer collaboration and a larger professional environment", ["stad-d2"]),
             ("Flere kvalifiserte søkere", "More qualified applicants", ["stad-d3"])],
            [("Robuste statlige arbeidsplasser i distriktet", "Robust state jobs in the district", ["N1", "N2"]),
             ("Kunnskap om samlokalisering for lokaliseringspolitikken",
              "Knowledge of co-location for localisation policy", ["N5"])],
        ),
    }


def _orkland() -> dict:
    """The Orkland pilot."""
    return {
        "id": "orkland", "name": "Orkland", "municipality_number": "5059",
        "agencies": list(OFFICES["orkland"]),
        "sub_goals": [
            {"id": "orkland-d1", "text_nb": "Utvikle scenarier for samfunnskonsekvenser av grønn næringsutvikling",
             "text_en": "Develop scenarios for the societal consequences of green industry",
             "national_goals": ["N1", "N5"], "survey_indices": ["professional_environment"],
             "interview_themes": ["professional_environment", "lasting_results"]},
            {"id": "orkland-d2", "text_nb": "Et felles program mot sosialt og digitalt utenforskap",
             "text_en": "A joint programme against social and digital exclusion",
             "national_goals": ["N4"], "survey_indices": ["collaboration"], "interview_themes": ["collaboration"],
             **ORKLAND_DROP},
            {"id": "orkland-d3", "text_nb": "Gjøre det lettere å rekruttere til statlige stillinger i Orkland",
             "text_en": "Make it easier to recruit to state jobs in Orkland",
             "national_goals": ["N2"], "survey_indices": ["recruitment_retention"],
             "interview_themes": ["recruitment"]},
        ],
        "indicators": [
            _indicator("orkland-i1", "Deltakere i tiltak mot utenforskap", "Participants in measures against exclusion",
                      "personer", "increase", 0, 120, "orkland-d2") | ORKLAND_DROP,
            _indicator("orkland-i2", "Turnover i statlige kontor", "Staff turnover in state offices",
                      "prosent", "decrease", 14.0, 9.0, "orkland-d3"),
            _indicator("orkland-i3", "Ferdigstilte scenariorapporter", "Scenario reports completed",
                      "antall", "increase", 0, 3, "orkland-d1"),
        ],
        "results_chain": _chain(
            [("Pilotmidler og prosjektleder i kommunen",
              "Pilot funding and a project manager in the municipality", [])],
            [("Scenarioarbeid «Scenario Orkland»", "Scenario work ‘Scenario Orkland’", ["orkland-d1"]),
             ("Felles tiltak mot utenforskap", "Joint measures against exclusion", ["orkland-d2"])],
            [("Scenariorapporter", "Scenario reports", ["orkland-d1"]),
             ("Deltakere i tiltak", "Participants in measures", ["orkland-d2"])],
            [("Bedre felles planlegging", "Better joint planning", ["orkland-d1"]),
             ("Lavere turnover", "Lower turnover", ["orkland-d3"])],
            [("Sterkere offentlig fagmiljø i regionen",
              "A stronger public professional environment in the region", ["N1"])],
        ),
    }


def _narvik() -> dict:
    """The Narvik pilot."""
    return {
        "id": "narvik", "name": "Narvik", "municipality_number": "1806",
        "agencies": list(OFFICES["narvik"]),
        "sub_goals": [
            {"id": "narvik-d1", "text_nb": "Samarbeid og kompetansebygging mellom de sju statlige virksomhetene",
             "text_en": "Collaboration and competence building among the seven state agencies",
             "national_goals": ["N1", "N4"], "survey_indices": ["collaboration", "professional_environment"],
             "interview_themes": ["collaboration", "professional_environment"], **NARVIK_MERGE},
            {"id": "narvik-d2", "text_nb": "Vertskap, attraktivitet og rekruttering",
             "text_en": "Hosting, attractiveness and recruitment",
             "national_goals": ["N2", "N3"], "survey_indices": ["recruitment_retention", "belonging"],
             "interview_themes": ["recruitment"]},
            {"id": "narvik-d3", "text_nb": "Tjenesteutvikling og innovasjon på tvers",
             "text_en": "Service development and innovation across agencies", **NARVIK_MERGE,
             "national_goals": ["N4", "N5"], "survey_indices": [], "interview_themes": ["lasting_results"]},
            {"id": "narvik-d4", "text_nb": "Samarbeid, kompetanse og tjenesteutvikling på tvers av virksomhetene",
             "text_en": "Collaboration, competence and service development across the agencies",
             "national_goals": ["N1", "N4", "N5"], "survey_indices": ["collaboration", "professional_environment"],
             "interview_themes": ["collaboration", "professional_environment", "lasting_results"],
             "valid_from": dt.date(2023, 5, 1), "approved": NARVIK_MERGE["approved"]},
        ],
        "indicators": [
            _indicator("narvik-i1", "Deltidsstillinger for studenter", "Part-time jobs for students",
                      "stillinger", "increase", 0, 10, "narvik-d2"),
            _indicator("narvik-i2", "Kvalifiserte søkere per utlyste stilling", "Qualified applicants per vacancy",
                      "søkere", "increase", 2.4, 4.0, "narvik-d2"),
            {**_indicator("narvik-i3", "Felles tjenesteutviklingsprosjekter", "Joint service development projects",
                          "antall", "increase", 0, 4, "narvik-d3"),
             **{k: v for k, v in NARVIK_MERGE.items() if k != "replaced_by"}, "replaced_by": ["narvik-i4"]},
            {**_indicator("narvik-i4", "Felles tjenesteutviklingsprosjekter", "Joint service development projects",
                          "antall", "increase", 0, 4, "narvik-d4"), "valid_from": dt.date(2023, 5, 1)},
        ],
        "results_chain": _chain(
            [("Pilotmidler, prosjektleder og tre delprosjekter",
              "Pilot funding, a project manager and three sub-projects", [])],
            [("Felles kompetanseprogram", "Joint competence programme", ["narvik-d1"]),
             ("Deltidsstillinger for studenter med Skatteetaten og UiT",
              "Part-time student jobs with the Tax Administration and UiT", ["narvik-d2"])],
            [("Studenter i deltidsstillinger", "Students in part-time jobs", ["narvik-d2"]),
             ("Tjenesteutviklingsprosjekter", "Service development projects", ["narvik-d3"])],
            [("Sterkere fagmiljø", "A stronger professional environment", ["narvik-d1"]),
             ("Flere kvalifiserte søkere", "More qualified applicants", ["narvik-d2"])],
            [("Lettere å rekruttere kompetanse til staten i Narvik",
              "Easier recruitment of competence to the state in Narvik", ["N2", "N3"])],
        ),
    }


def _lyngdal() -> dict:
    """The Lyngdal pilot."""
    return {
        "id": "lyngdal", "name": "Lyngdal", "municipality_number": "4225",
        "agencies": list(OFFICES["lyngdal"]),
        "sub_goals": [
            {"id": "lyngdal-d1", "text_nb": "Etablere kontorfellesskapet RegionLab Lister for desentralt arbeid",
             "text_en": "Establish the RegionLab Lister shared office for decentralised work",
             "national_goals": ["N3", "N4"], "survey_indices": ["workplace"], "interview_themes": ["colocation"]},
            {"id": "lyngdal-d2", "text_nb": "Lavere kontor- og reisekostnader for offentlige arbeidsgivere",
             "text_en": "Lower office and travel costs for public employers",
             "national_goals": ["N5"], "survey_indices": [], "interview_themes": ["colocation", "lasting_results"]},
            {"id": "lyngdal-d3", "text_nb": "Et sterkere fagmiljø for offentlig ansatte i Lister",
             "text_en": "A stronger professional environment for public employees in Lister",
             "national_goals": ["N1"], "survey_indices": ["professional_environment", "collaboration"],
             "interview_themes": ["professional_environment"]},
        ],
        "indicators": [
            _indicator("lyngdal-i1", "Faste brukere av RegionLab Lister", "Regular users of RegionLab Lister",
                      "personer", "increase", 0, 25, "lyngdal-d1"),
            _indicator("lyngdal-i2", "Reisekostnader per ansatt", "Travel costs per employee",
                      "kroner", "decrease", 18500, 14000, "lyngdal-d2"),
            _indicator("lyngdal-i3", "Felles faglige aktiviteter per år", "Joint professional activities per year",
                      "antall", "increase", 1, 8, "lyngdal-d3"),
        ],
        "results_chain": _chain(
            [("Pilotmidler og Lister-samarbeidet", "Pilot funding and the Lister regional cooperation", [])],
            [("Etablering av RegionLab Lister", "Establishing RegionLab Lister", ["lyngdal-d1"])],
            [("Kontorfellesskap åpnet januar 2023", "Shared office opened January 2023", ["lyngdal-d1"])],
            [("Lavere kontor- og reisekostnader", "Lower office and travel costs", ["lyngdal-d2"]),
             ("Større fagmiljø", "A larger professional environment", ["lyngdal-d3"])],
            [("Flere kan jobbe desentralt for staten", "More people can work decentrally for the state", ["N3"]),
             ("Kunnskap om kontorfellesskap for lokaliseringspolitikken",
              "Knowledge of shared offices for localisation policy", ["N5"])],
        ),
    }


# Yearly indicator values 2021–2024 (the 2021 value is the baseline).
OBSERVATIONS = {
    "stad-i1": [212, 215, 219, 224], "stad-i2": [2, 6, 9, 13], "stad-i3": [3.1, 3.4, 4.1, 4.6],
    "orkland-i1": [0, 10, 25, 38], "orkland-i2": [14.0, 13.8, 14.2, 13.5], "orkland-i3": [0, 1, 2, 3],
    "narvik-i1": [0, 4, 7, 11], "narvik-i2": [2.4, 2.5, 2.4, 2.6], "narvik-i3": [0, 1, 2, 3], "narvik-i4": [0, 1, 2, 3],
    "lyngdal-i1": [0, 3, 14, 22], "lyngdal-i2": [18500, 18100, 15900, 14600], "lyngdal-i3": [1, 3, 5, 7],
}
OBSERVATION_SOURCES = {"stad-i1": "SSB tabell 12623", "orkland-i2": "Etatenes HR-systemer",
            "narvik-i2": "Etatenes rekrutteringssystemer", "stad-i3": "Etatenes rekrutteringssystemer",
            "lyngdal-i2": "Regnskap, Lister-kommunene"}

MILESTONES = [
    # pilot, id, sub_goal, nb, en, due, completed
    ("stad", "stad-m1", "stad-d1", "Konkurransegrunnlag for samlokalisering", "Tender for co-location",
     "2022-06-30", "2022-09-15"),
    ("stad", "stad-m2", "stad-d1", "Leieavtale for Statens hus signert", "Lease for the State House signed",
     "2023-12-31", "2024-01-19"),
    ("stad", "stad-m3", "stad-d3", "Distriktshub åpnet", "District hub opened", "2023-03-31", "2023-03-01"),
    ("stad", "stad-m4", "stad-d2", "Plan for felles fagdager", "Plan for joint professional days",
     "2022-03-31", "2022-03-15"),
    ("orkland", "orkland-m1", "orkland-d1", "Første scenariorapport", "First scenario report",
     "2022-10-31", "2022-11-20"),
    ("orkland", "orkland-m2", "orkland-d2", "Program mot utenforskap vedtatt", "Programme against exclusion adopted",
     "2022-06-30", "2022-06-10"),
    ("orkland", "orkland-m3", "orkland-d3", "Felles rekrutteringskampanje", "Joint recruitment campaign",
     "2023-09-30", ""),
    ("narvik", "narvik-m1", "narvik-d1", "Tre delprosjekter etablert", "Three sub-projects established",
     "2023-02-28", "2023-01-31"),
    ("narvik", "narvik-m2", "narvik-d2", "Avtale med UiT om deltidsstillinger", "Agreement with UiT on part-time jobs",
     "2022-09-30", "2022-08-25"),
    ("narvik", "narvik-m3", "narvik-d4", "Første felles tjeneste lansert", "First joint service launched",
     "2024-06-30", "2024-10-01"),
    ("lyngdal", "lyngdal-m1", "lyngdal-d1", "RegionLab Lister åpnet", "RegionLab Lister opened",
     "2022-12-31", "2023-01-16"),
    ("lyngdal", "lyngdal-m2", "lyngdal-d2", "Kostnadsanalyse av kontorfellesskapet",
     "Cost analysis of the shared office", "2024-06-30", "2024-05-20"),
    ("lyngdal", "lyngdal-m3", "lyngdal-d3", "Fagnettverk for offentlig ansatte i Lister",
     "Professional network for public employees in Lister", "2023-06-30", "2023-09-01"),
]

# Evaluators' judged status and GAS score per (sub-goal, phase), with a rationale.
EVALUATOR_ASSESSMENTS = {
    ("stad-d1", "midterm"): ("on_track", 0, "Konkurransegrunnlaget er klart, men forsinket.",
                             "The tender is ready, but late."),
    ("stad-d1", "final"): ("achieved", 1, "Leieavtalen er signert og innflytting er planlagt i 2025.",
                           "The lease is signed and moving in is planned for 2025."),
    ("stad-d2", "midterm"): ("on_track", 0, "Faste fagdager er etablert.",
                             "Regular professional days are established."),
    ("stad-d2", "final"): ("achieved", 2, "Samarbeidet er tydelig styrket i både indikatorer og intervjuer.",
                           "Collaboration is clearly stronger in indicators and interviews."),
    ("stad-d3", "midterm"): ("at_risk", -1, "Hubben er ikke åpnet ennå.", "The hub has not opened yet."),
    ("stad-d3", "final"): ("on_track", 0, "Hubben er i bruk, men få eksterne statsansatte bruker den.",
                           "The hub is in use, but few external state employees use it."),
    ("orkland-d1", "midterm"): ("on_track", 0, "Første scenariorapport er levert.",
                                "The first scenario report is delivered."),
    ("orkland-d1", "final"): ("achieved", 1, "Tre scenariorapporter er brukt i kommunens planarbeid.",
                              "Three scenario reports are used in the municipality's planning."),
    ("orkland-d2", "midterm"): ("at_risk", -1, "Programmet er vedtatt, men har få deltakere.",
                                "The programme is adopted but has few participants."),
    # Deliberate disagreement: turnover has not fallen, yet the evaluators judge the sub-goal on track.
    ("orkland-d3", "midterm"): ("on_track", 0, "Etatene har startet et felles rekrutteringsarbeid.",
                                "The agencies have started joint recruitment work."),
    ("orkland-d3", "final"): ("on_track", 0, "Rekrutteringskampanjen er forsinket, men etatene melder økt interesse.",
                              "The recruitment campaign is late, but the agencies report more interest."),
    ("narvik-d1", "midterm"): ("on_track", 0, "Delprosjektene er i gang.", "The sub-projects are under way."),
    ("narvik-d2", "midterm"): ("on_track", 0, "Avtalen med UiT er inngått.", "The agreement with UiT is signed."),
    ("narvik-d2", "final"): ("at_risk", 0, "Studentstillingene er på plass, men søkertallene har ikke økt.",
                             "Student jobs are in place, but applicant numbers have not risen."),
    ("narvik-d3", "midterm"): ("no_data", None, "For tidlig å vurdere.", "Too early to assess."),
    # narvik-d1 and narvik-d3 were merged into narvik-d4 in April 2023; orkland-d2 was dropped in March 2023
    ("narvik-d4", "final"): ("on_track", 0, "Sju virksomheter deltar i et felles kompetanseprogram, og én felles "
                             "tjeneste er lansert, seint.", "Seven agencies take part in a joint competence "
                             "programme, and one joint service has been launched, late."),
    ("lyngdal-d1", "midterm"): ("at_risk", -1, "Åpningen er utsatt til januar 2023.",
                                "The opening is postponed to January 2023."),
    ("lyngdal-d1", "final"): ("achieved", 1, "RegionLab Lister har over 20 faste brukere.",
                              "RegionLab Lister has more than 20 regular users."),
    ("lyngdal-d2", "midterm"): ("no_data", None, "Kontorfellesskapet er ikke åpnet.",
                                "The shared office has not opened."),
    ("lyngdal-d2", "final"): ("on_track", 1, "Reisekostnadene har falt klart.", "Travel costs have fallen clearly."),
    ("lyngdal-d3", "midterm"): ("on_track", 0, "Fagnettverket er planlagt.", "The professional network is planned."),
    ("lyngdal-d3", "final"): ("on_track", 0, "Fagnettverket er etablert, men kom seint i gang.",
                              "The network is established, but started late."),
}

def programme_config() -> dict:
    """The demo ``programme.yaml`` as a Python structure."""
    return {
        "programme": {"name_nb": "Pilot Statens hus", "name_en": "Pilot State House"},
        "synthetic": True,
        "anonymity_threshold": 5,
        "status_thresholds": {"on_track": 0.9, "at_risk": 0.5},
        "evidence_rules": {"minimal_important_change": 0.3, "caution_min_respondents": 30,
                           "caution_max_interval_width": 1.0, "finite_population_correction": False,
                           "interview_net_threshold": 0.2, "completed_late_milestone": "on_track"},
        "national_goals": [{"id": i, "text_nb": nb, "text_en": en} for i, nb, en in NATIONAL_GOALS],
        "phases": [{"id": "midterm", "cutoff": dt.date(2022, 12, 31)},
                   {"id": "final", "cutoff": dt.date(2024, 12, 31)}],
        "waves": [{"id": wave, "role": role} for wave, role, _ in WAVES],
        "survey_indices": [{"id": i, "label_nb": nb, "label_en": en} for i, nb, en in INDICES],
        "interview_themes": [{"id": i, "label_nb": nb, "label_en": en} for i, nb, en in THEMES],
        "agencies": [{"id": a, "name_nb": nb, "name_en": en} for a, (nb, en) in AGENCIES.items()],
        "pilots": _pilots(),
    }


