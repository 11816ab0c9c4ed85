"""A deterministic generator of realistic, synthetic demo data for the whole data contract.

``python -m evaluation demo-data --out DIR --seed N`` writes a data folder that follows
``data/README.md``; the committed ``data/demo/`` is its output with the default seed (a test
checks that the two agree). Everything is synthetic: no person, name or real response is in it.

What the data are built to show, from ``DOMAIN.md``:

* the four real pilots (Stad, Orkland, Narvik, Lyngdal) with plausible agencies and offices of
  3 to 40 employees, some so small that fewer than five answer (suppression is exercised);
* survey waves 2021 (baseline), 2022 (midterm) and 2024 (final), 20 Likert items (1–5 and
  "vet ikke" coded 9) in five indices, response rates between 50 and 85 %;
* effects that differ by pilot: Stad improves clearly on every index; Orkland barely changes;
  Narvik improves on collaboration and professional environment but not on recruitment or
  belonging; Lyngdal improves on the workplace index (its shared office opened January 2023);
* 15–25 coded interviews per pilot and round, quotes of which most are approved;
* indicators with baselines, targets and yearly values, one lower-is-better; milestones, some
  late and one overdue; the evaluators' assessments, including one sub-goal where their judgement
  is more optimistic than the indicators support.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

DEFAULT_SEED = 2021

NATIONAL_GOALS = [
    ("N1", "Et sterkere og mer samlet offentlig fagmiljø i regionene",
     "A stronger, more unified public professional environment in the regions"),
    ("N2", "Lettere å beholde og rekruttere kompetanse i statlige virksomheter på mindre steder",
     "Easier to retain and recruit competence in state agencies in small places"),
    ("N3", "Flere statlige virksomheter enn i dag kan rekruttere og ansette desentralt",
     "More state agencies than today can recruit and employ decentrally"),
    ("N4", "Styrket samarbeid i kompetanseklynger og, der det passer, samlokalisering av mindre enheter",
     "Stronger collaboration in competence clusters and, where it fits, co-location of small units"),
    ("N5", "Ny kunnskap som grunnlag for framtidig lokaliseringspolitikk for mindre steder",
     "New knowledge as a basis for future localisation policy for small places"),
]

INDICES = [
    ("collaboration", "Samarbeid på tvers av etater", "Collaboration across agencies"),
    ("professional_environment", "Fagmiljø", "Professional environment"),
    ("recruitment_retention", "Rekruttering og å bli værende", "Recruitment and retention"),
    ("belonging", "Tilhørighet til stedet", "Belonging to the place"),
    ("workplace", "Samlokalisering og arbeidsplass", "Co-location and workplace"),
]

ITEMS = [
    # item, index, reverse, nb, en
    ("Q01", "collaboration", False, "Jeg samarbeider ofte med ansatte i andre statlige etater på stedet",
     "I often work with staff of other state agencies here"),
    ("Q02", "collaboration", False, "Jeg vet hvem jeg kan kontakte i de andre etatene",
     "I know whom to contact in the other agencies"),
    ("Q03", "collaboration", True, "Det er vanskelig å få til samarbeid på tvers av etatene her",
     "It is hard to collaborate across agencies here"),
    ("Q04", "collaboration", False, "Samarbeidet i kompetanseklyngen gir meg nytte i jobben",
     "Collaboration in the competence cluster helps me in my job"),
    ("Q05", "professional_environment", False, "Jeg har et godt faglig miljø rundt meg",
     "I have a good professional environment around me"),
    ("Q06", "professional_environment", False, "Jeg lærer av kolleger i andre virksomheter",
     "I learn from colleagues in other organisations"),
    ("Q07", "professional_environment", True, "Jeg føler meg faglig isolert i jobben",
     "I feel professionally isolated in my job"),
    ("Q08", "professional_environment", False, "Jeg har tilgang til kompetanseutvikling der jeg bor",
     "I have access to professional development where I live"),
    ("Q09", "recruitment_retention", False, "Jeg ser for meg å jobbe her om tre år",
     "I see myself working here in three years"),
    ("Q10", "recruitment_retention", False, "Det er lett å rekruttere kvalifiserte kolleger hit",
     "It is easy to recruit qualified colleagues here"),
    ("Q11", "recruitment_retention", False, "Jeg vil anbefale andre å søke jobb på kontoret",
     "I would recommend others to apply for a job at this office"),
    ("Q12", "recruitment_retention", True, "Jeg vurderer å søke meg bort fra stedet",
     "I am considering leaving the place"),
    ("Q13", "belonging", False, "Jeg trives på stedet der kontoret ligger",
     "I enjoy living where the office is"),
    ("Q14", "belonging", False, "Jeg føler meg som en del av lokalsamfunnet",
     "I feel part of the local community"),
    ("Q15", "belonging", False, "Kontoret er viktig for lokalsamfunnet",
     "The office matters to the local community"),
    ("Q16", "belonging", False, "Familien min trives på stedet",
     "My family enjoys living here"),
    ("Q17", "workplace", False, "Lokalene legger til rette for samarbeid med andre etater",
     "The premises make it easy to work with other agencies"),
    ("Q18", "workplace", False, "Jeg har en god arbeidsplass med det utstyret jeg trenger",
     "I have a good workplace with the equipment I need"),
    ("Q19", "workplace", True, "Det er for lite plass til å jobbe uforstyrret",
     "There is too little room to work undisturbed"),
    ("Q20", "workplace", False, "Jeg kan bruke kontorfellesskapet når jeg jobber desentralt",
     "I can use the shared office when I work decentrally"),
]

SCALE = [
    (1, "Helt uenig", "Strongly disagree", False),
    (2, "Uenig", "Disagree", False),
    (3, "Verken enig eller uenig", "Neither agree nor disagree", False),
    (4, "Enig", "Agree", False),
    (5, "Helt enig", "Strongly agree", False),
    (9, "Vet ikke", "Don't know", True),
]

AGENCIES = {
    "skatteetaten": ("Skatteetaten", "Norwegian Tax Administration"),
    "nav": ("NAV", "Norwegian Labour and Welfare Administration (NAV)"),
    "politiet": ("Politiet", "Police"),
    "statens_vegvesen": ("Statens vegvesen", "Norwegian Public Roads Administration"),
    "statsforvalteren": ("Statsforvalteren", "County Governor"),
    "bufetat": ("Bufetat", "Children, Youth and Family Services (Bufetat)"),
    "kartverket": ("Kartverket", "Norwegian Mapping Authority"),
    "mattilsynet": ("Mattilsynet", "Norwegian Food Safety Authority"),
    "uit": ("UiT Norges arktiske universitet", "UiT The Arctic University of Norway"),
}

# Office size (employees) per pilot and agency; some below five so that suppression is exercised.
OFFICES = {
    "stad": {"skatteetaten": 24, "nav": 31, "politiet": 14, "statens_vegvesen": 4},
    "orkland": {"nav": 38, "skatteetaten": 12, "mattilsynet": 7, "statens_vegvesen": 19},
    "narvik": {"skatteetaten": 36, "nav": 40, "politiet": 28, "statens_vegvesen": 22,
               "kartverket": 9, "bufetat": 6, "uit": 17},
    "lyngdal": {"nav": 26, "skatteetaten": 10, "statsforvalteren": 5, "politiet": 16},
}

# Mean latent index score (1–5) per pilot, index and wave role.
_BASE = {"collaboration": 2.9, "professional_environment": 3.2, "recruitment_retention": 3.0,
         "belonging": 3.7, "workplace": 3.1}
_GAIN = {  # (midterm gain, final gain) over baseline
    "stad": {k: (0.35, 0.8) for k in _BASE},
    "orkland": {k: (0.0, 0.05) for k in _BASE},
    "narvik": {"collaboration": (0.4, 0.75), "professional_environment": (0.3, 0.6),
               "recruitment_retention": (0.0, -0.05), "belonging": (0.0, 0.0), "workplace": (0.05, 0.1)},
    "lyngdal": {"collaboration": (0.1, 0.2), "professional_environment": (0.1, 0.25),
                "recruitment_retention": (0.05, 0.15), "belonging": (0.0, 0.05), "workplace": (0.15, 0.9)},
}
WAVES = [(2021, "baseline", (9, 13)), (2022, "midterm", (10, 4)), (2024, "final", (9, 16))]
"""(wave, role, (fieldwork month, first day)) — fieldwork runs three weeks from that day."""

THEMES = [
    ("collaboration", "Samarbeid på tvers", "Collaboration across agencies"),
    ("professional_environment", "Fagmiljø og kompetanse", "Professional environment and competence"),
    ("recruitment", "Rekruttering og å beholde ansatte", "Recruitment and retention"),
    ("colocation", "Samlokalisering og lokaler", "Co-location and premises"),
    ("organisation", "Organisering og styring", "Organisation and governance"),
    ("lasting_results", "Merverdi og varige resultater", "Added value and lasting results"),
]

CODES = [
    # code, theme, nb, en, description
    ("collab_meeting_places", "collaboration", "Felles møteplasser", "Shared meeting places",
     "Faste møter og arenaer på tvers av etatene"),
    ("collab_joint_services", "collaboration", "Felles tjenester", "Joint services",
     "Tjenester som etatene leverer sammen"),
    ("collab_barriers", "collaboration", "Hindringer for samarbeid", "Barriers to collaboration",
     "Regelverk, IT og sektoransvar som står i veien"),
    ("prof_learning", "professional_environment", "Læring på tvers", "Learning across agencies",
     "Kompetansedeling og hospitering"),
    ("prof_isolation", "professional_environment", "Faglig isolasjon", "Professional isolation",
     "Små kontor uten fagfeller"),
    ("recr_applicants", "recruitment", "Søkere til stillinger", "Applicants for vacancies",
     "Antall og kvalifikasjoner blant søkere"),
    ("recr_decentral", "recruitment", "Desentral ansettelse", "Decentral employment",
     "Ansatte som jobber for en etat lokalisert et annet sted"),
    ("recr_students", "recruitment", "Studenter og deltidsstillinger", "Students and part-time jobs",
     "Samarbeid med utdanningsinstitusjoner"),
    ("coloc_premises", "colocation", "Felles lokaler", "Shared premises",
     "Planlegging og bruk av Statens hus eller kontorfellesskap"),
    ("coloc_costs", "colocation", "Kostnader ved lokaler", "Cost of premises",
     "Leie, reise og drift"),
    ("org_steering", "organisation", "Styringsgruppens rolle", "Role of the steering group",
     "Forankring og beslutninger"),
    ("org_burden", "organisation", "Tidsbruk og byråkrati", "Time use and bureaucracy",
     "Det som er for tungt og stjeler tid"),
    ("org_agency_commitment", "organisation", "Etatenes engasjement", "Agencies' commitment",
     "Etatenes mål, interesser og deltakelse"),
    ("last_added_value", "lasting_results", "Merverdi", "Added value",
     "Det piloten gir utover det etatene ville gjort alene"),
    ("last_after_pilot", "lasting_results", "Etter pilotperioden", "After the pilot period",
     "Resultater som står seg når prosjektmidlene tar slutt"),
]

QUOTES = {
    "positive": [
        "Vi møtes nå fast, og det har gjort det mye lettere å ta en telefon til de andre etatene.",
        "For første gang har vi fått kvalifiserte søkere fra andre steder i landet.",
        "Det faglige miljøet er blitt større enn det vi kunne fått til alene.",
        "Kontorfellesskapet gjør at folk faktisk kan bo her og jobbe for en etat et annet sted.",
        "Samarbeidet har fått en egen verdi som vi tror vil fortsette.",
    ],
    "negative": [
        "Det går mye tid til møter uten at vi ser hva det fører til.",
        "Etatene har ulike styringslinjer, og da stopper det ofte opp.",
        "Vi er for få til at noen har tid til å delta i alt som skjer.",
        "Når prosjektmidlene tar slutt, er jeg usikker på hva som blir igjen.",
        "IT-systemene snakker ikke sammen, så felles tjenester blir vanskelig.",
    ],
    "mixed": [
        "Ideen er god, men det tar lengre tid enn vi trodde.",
        "Noen etater er veldig med, andre har knapt deltatt.",
        "Lokalene blir fine, men flyttingen har tatt mye oppmerksomhet.",
    ],
    "neutral": [
        "Det er for tidlig å si hva dette vil gi.",
        "Vi har fulgt med på det som skjer, men ikke vært så mye involvert.",
    ],
}

STAKEHOLDER_MIX = [  # (group, min, max) interviews per pilot and round
    ("project_management", 1, 2), ("steering_group", 3, 5), ("agency_management", 4, 7),
    ("employees", 4, 8), ("municipality", 2, 3), ("county", 1, 2),
]

# Pilot-specific tendency (probability of a positive rather than negative assessment) per theme and round.
_TONE = {
    "stad": {"midterm": 0.55, "final": 0.75},
    "orkland": {"midterm": 0.45, "final": 0.45},
    "narvik": {"midterm": 0.55, "final": 0.65},
    "lyngdal": {"midterm": 0.5, "final": 0.7},
}


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
             "national_goals": ["N4"], "survey_indices": ["collaboration"], "interview_themes": ["collaboration"]},
            {"id": "orkland-d3", "text_nb": "Gjøre det lettere å rekruttere til statlige stillinger i Orkland",
             "text_en": "Make it easier to recruit to state jobs in Orkland",
             "national_goals": ["N2"], "survey_indices": ["recruitment_retention"],
             "interview_themes": ["recruitment"]},
        ],
        "indicators": [
            _indicator("orkland-i1", "Deltakere i tiltak mot utenforskap", "Participants in measures against exclusion",
                      "personer", "increase", 0, 120, "orkland-d2"),
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
             "interview_themes": ["collaboration", "professional_environment"]},
            {"id": "narvik-d2", "text_nb": "Vertskap, attraktivitet og rekruttering",
             "text_en": "Hosting, attractiveness and recruitment",
             "national_goals": ["N2", "N3"], "survey_indices": ["recruitment_retention", "belonging"],
             "interview_themes": ["recruitment"]},
            {"id": "narvik-d3", "text_nb": "Tjenesteutvikling og innovasjon på tvers",
             "text_en": "Service development and innovation across agencies",
             "national_goals": ["N4", "N5"], "survey_indices": [], "interview_themes": ["lasting_results"]},
        ],
        "indicators": [
            _indicator("narvik-i1", "Deltidsstillinger for studenter", "Part-time jobs for students",
                      "stillinger", "increase", 0, 10, "narvik-d2"),
            _indicator("narvik-i2", "Kvalifiserte søkere per utlyste stilling", "Qualified applicants per vacancy",
                      "søkere", "increase", 2.4, 4.0, "narvik-d2"),
            _indicator("narvik-i3", "Felles tjenesteutviklingsprosjekter", "Joint service development projects",
                      "antall", "increase", 0, 4, "narvik-d3"),
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
_OBSERVATIONS = {
    "stad-i1": [212, 215, 219, 224], "stad-i2": [2, 6, 9, 13], "stad-i3": [3.1, 3.4, 4.1, 4.6],
    "orkland-i1": [0, 10, 25, 38], "orkland-i2": [14.0, 13.8, 14.2, 13.5], "orkland-i3": [0, 1, 2, 3],
    "narvik-i1": [0, 4, 7, 11], "narvik-i2": [2.4, 2.5, 2.4, 2.6], "narvik-i3": [0, 1, 2, 3],
    "lyngdal-i1": [0, 3, 14, 22], "lyngdal-i2": [18500, 18100, 15900, 14600], "lyngdal-i3": [1, 3, 5, 7],
}
_SOURCES = {"stad-i1": "SSB tabell 12623", "orkland-i2": "Etatenes HR-systemer",
            "narvik-i2": "Etatenes rekrutteringssystemer", "stad-i3": "Etatenes rekrutteringssystemer",
            "lyngdal-i2": "Regnskap, Lister-kommunene"}

_MILESTONES = [
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
    ("narvik", "narvik-m3", "narvik-d3", "Første felles tjeneste lansert", "First joint service launched",
     "2024-06-30", "2024-10-01"),
    ("lyngdal", "lyngdal-m1", "lyngdal-d1", "RegionLab Lister åpnet", "RegionLab Lister opened",
     "2022-12-31", "2023-01-16"),
    ("lyngdal", "lyngdal-m2", "lyngdal-d2", "Kostnadsanalyse av kontorfellesskapet",
     "Cost analysis of the shared office", "2024-06-30", "2024-05-20"),
    ("lyngdal", "lyngdal-m3", "lyngdal-d3", "Fagnettverk for offentlig ansatte i Lister",
     "Professional network for public employees in Lister", "2023-06-30", "2023-09-01"),
]

# Evaluators' judged status and GAS score per (sub-goal, phase), with a rationale.
_ASSESSMENTS = {
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
    ("orkland-d2", "final"): ("off_track", -1, "Deltakelsen er langt under målet.",
                              "Participation is far below the target."),
    # Deliberate disagreement: turnover has not fallen, yet the evaluators judge the sub-goal on track.
    ("orkland-d3", "midterm"): ("on_track", 0, "Etatene har startet et felles rekrutteringsarbeid.",
                                "The agencies have started joint recruitment work."),
    ("orkland-d3", "final"): ("on_track", 0, "Rekrutteringskampanjen er forsinket, men etatene melder økt interesse.",
                              "The recruitment campaign is late, but the agencies report more interest."),
    ("narvik-d1", "midterm"): ("on_track", 0, "Delprosjektene er i gang.", "The sub-projects are under way."),
    ("narvik-d1", "final"): ("achieved", 1, "Sju virksomheter deltar i et felles kompetanseprogram.",
                             "Seven agencies take part in a joint competence programme."),
    ("narvik-d2", "midterm"): ("on_track", 0, "Avtalen med UiT er inngått.", "The agreement with UiT is signed."),
    ("narvik-d2", "final"): ("at_risk", 0, "Studentstillingene er på plass, men søkertallene har ikke økt.",
                             "Student jobs are in place, but applicant numbers have not risen."),
    ("narvik-d3", "midterm"): ("no_data", None, "For tidlig å vurdere.", "Too early to assess."),
    ("narvik-d3", "final"): ("at_risk", -1, "Én felles tjeneste er lansert, seint.",
                             "One joint service has been launched, late."),
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

_NARRATIVE_POINTS = {
    "strengths": [("Sterk lokal forankring i kommunen", "Strong local anchoring in the municipality"),
                  ("Etatene deltar aktivt i styringsgruppen", "The agencies take an active part in the steering group"),
                  ("Konkrete resultater som er synlige for de ansatte", "Concrete results that employees can see")],
    "weaknesses": [("For mange delmål i forhold til ressursene", "Too many sub-goals for the resources"),
                   ("Uklar arbeidsdeling mellom prosjektleder og etatene",
                    "Unclear division of work between the project manager and the agencies"),
                   ("Lite dokumentasjon av resultater", "Little documentation of results")],
    "recommendations": [("Prioriter færre delmål med tydelig effekt lokalt og nasjonalt",
                         "Prioritise fewer sub-goals with a clear local and national effect"),
                        ("Avklar hvem som eier tiltakene etter pilotperioden",
                         "Clarify who owns the measures after the pilot period"),
                        ("Del erfaringer med de andre pilotene", "Share experience with the other pilots")],
}


def programme_config() -> dict:
    """The demo ``programme.yaml`` as a Python structure."""
    return {
        "programme": {"name_nb": "Pilot Statens hus", "name_en": "Pilot State House"},
        "synthetic": True,
        "anonymity_threshold": 5,
        "status_thresholds": {"on_track": 0.9, "at_risk": 0.5},
        "national_goals": [{"id": i, "text_nb": nb, "text_en": en} for i, nb, en in NATIONAL_GOALS],
        "phases": [{"id": "midterm", "cutoff": dt.date(2022, 12, 31)},
                   {"id": "final", "cutoff": dt.date(2024, 12, 31)}],
        "waves": [{"id": wave, "role": role} for wave, role, _ in WAVES],
        "survey_indices": [{"id": i, "label_nb": nb, "label_en": en} for i, nb, en in INDICES],
        "interview_themes": [{"id": i, "label_nb": nb, "label_en": en} for i, nb, en in THEMES],
        "agencies": [{"id": a, "name_nb": nb, "name_en": en} for a, (nb, en) in AGENCIES.items()],
        "pilots": _pilots(),
    }


def _survey(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Responses and population for every pilot, agency and wave."""
    item_index = {item: index for item, index, *_ in ITEMS}
    reverse = {item: rev for item, _, rev, *_ in ITEMS}
    rows, population = [], []
    used_ids: set[str] = set()
    for wave, role, (month, day) in WAVES:
        for pilot, offices in OFFICES.items():
            for agency, size in offices.items():
                # staff numbers drift a little between waves
                invited = max(3, size + int(rng.integers(-2, 3)))
                rate = rng.uniform(0.52, 0.82)
                responded = int(round(invited * rate))
                responded = max(1, min(invited, responded))
                population.append({"pilot": pilot, "agency": agency, "wave": wave, "invited": invited})
                gain_index = {"baseline": None, "midterm": 0, "final": 1}[role]
                office_effect = rng.normal(0, 0.15)
                for _ in range(responded):
                    while True:
                        rid = "r-" + "".join(rng.choice(list("0123456789abcdef"), 8))
                        if rid not in used_ids:
                            used_ids.add(rid)
                            break
                    start = dt.date(wave, month, day)
                    date = start + dt.timedelta(days=int(rng.integers(0, 21)))
                    person = rng.normal(0, 0.45)
                    latent = {}
                    for index, base in _BASE.items():
                        gain = 0.0 if gain_index is None else _GAIN[pilot][index][gain_index]
                        latent[index] = base + gain + office_effect + person + rng.normal(0, 0.35)
                    row = {"respondent_id": rid, "wave": wave, "response_date": date.isoformat(),
                           "pilot": pilot, "agency": agency}
                    for item, *_ in ITEMS:
                        draw = rng.random()
                        dont_know_p = 0.08 if item_index[item] in ("recruitment_retention", "workplace") else 0.03
                        if draw < 0.02:
                            row[item] = ""
                        elif draw < 0.02 + dont_know_p:
                            row[item] = "9"
                        else:
                            value = int(np.clip(np.rint(latent[item_index[item]] + rng.normal(0, 0.6)), 1, 5))
                            row[item] = str(6 - value if reverse[item] else value)
                    rows.append(row)
    return pd.DataFrame(rows), pd.DataFrame(population)


def _interviews(rng: np.random.Generator) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Interviews and coded segments for every pilot and round."""
    interviews, segments = [], []
    rounds = {"midterm": (dt.date(2022, 8, 22), 90), "final": (dt.date(2024, 3, 4), 200)}
    code_ids = [c[0] for c in CODES]
    theme_of = {c[0]: c[1] for c in CODES}
    segment_number = 0
    used: set[str] = set()
    for pilot in OFFICES:
        for round_id, (start, span) in rounds.items():
            for group, low, high in STAKEHOLDER_MIX:
                for _ in range(int(rng.integers(low, high + 1))):
                    while True:
                        iid = f"i-{pilot[:3]}-" + "".join(rng.choice(list("0123456789abcdef"), 4))
                        if iid not in used:
                            used.add(iid)
                            break
                    date = start + dt.timedelta(days=int(rng.integers(0, span)))
                    informants = 1 if group in ("project_management", "county") else int(rng.integers(1, 4))
                    interviews.append({"interview_id": iid, "pilot": pilot, "date": date.isoformat(),
                                       "stakeholder_group": group, "informants": informants})
                    chosen = rng.choice(code_ids, size=int(rng.integers(4, 10)), replace=False)
                    for code in chosen:
                        segment_number += 1
                        tone = _TONE[pilot][round_id]
                        if theme_of[code] == "organisation":
                            tone -= 0.15
                        if code in ("collab_barriers", "prof_isolation"):
                            tone -= 0.3
                        draw = rng.random()
                        if draw < 0.12:
                            assessment = "neutral"
                        elif draw < 0.3:
                            assessment = "mixed"
                        else:
                            assessment = "positive" if rng.random() < tone else "negative"
                        quote, approved = "", "no"
                        if rng.random() < 0.35:
                            options = QUOTES[assessment]
                            quote = options[int(rng.integers(0, len(options)))]
                            approved = "yes" if rng.random() < 0.75 else "no"
                        segments.append({"segment_id": f"s-{segment_number:05d}", "interview_id": iid,
                                         "code": code, "assessment": assessment, "quote": quote,
                                         "quote_approved": approved})
    return pd.DataFrame(interviews), pd.DataFrame(segments)


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n")


def write_demo_data(out: str | Path, *, seed: int = DEFAULT_SEED) -> Path:
    """Write a complete synthetic data folder.

    Parameters
    ----------
    out : str or Path
        Folder to write (created if missing; contract files in it are overwritten).
    seed : int
        Seed of the random generator; the same seed gives byte-identical files.

    Returns
    -------
    Path
        The folder written.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    config = programme_config()
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True, width=100)
    (out / "programme.yaml").write_text(
        "# Synthetic demo programme for Pilot Statens hus (see data/README.md). No real data.\n" + text,
        encoding="utf-8")
    _write_csv(pd.DataFrame([{"item_id": i, "index": x, "scale": "agree5", "reverse_keyed": "yes" if r else "no",
                              "text_nb": nb, "text_en": en} for i, x, r, nb, en in ITEMS]), out / "survey/items.csv")
    _write_csv(pd.DataFrame([{"scale": "agree5", "code": c, "label_nb": nb, "label_en": en,
                              "dont_know": "yes" if dk else "no"} for c, nb, en, dk in SCALE]),
               out / "survey/scales.csv")
    responses, population = _survey(rng)
    _write_csv(responses, out / "survey/responses.csv")
    _write_csv(population, out / "survey/population.csv")
    interviews, segments = _interviews(rng)
    _write_csv(interviews, out / "interviews/interviews.csv")
    _write_csv(segments, out / "interviews/segments.csv")
    _write_csv(pd.DataFrame([{"code": c, "theme": t_, "label_nb": nb, "label_en": en, "description": d}
                             for c, t_, nb, en, d in CODES]), out / "interviews/codebook.csv")
    pilot_of = {i["id"]: p["id"] for p in config["pilots"] for i in p["indicators"]}
    observations = [{"pilot": pilot_of[iid], "indicator_id": iid, "date": f"{2021 + k}-12-31", "value": v,
                     "source": _SOURCES.get(iid, "Pilotens resultatrapport")}
                    for iid, values in _OBSERVATIONS.items() for k, v in enumerate(values)]
    _write_csv(pd.DataFrame(observations), out / "indicators/observations.csv")
    _write_csv(pd.DataFrame(_MILESTONES, columns=["pilot", "milestone_id", "sub_goal", "text_nb", "text_en",
                                                  "due_date", "completed_date"]), out / "milestones.csv")
    pilot_of_goal = {g["id"]: p["id"] for p in config["pilots"] for g in p["sub_goals"]}
    _write_csv(pd.DataFrame([{"pilot": pilot_of_goal[goal], "phase": phase, "sub_goal": goal, "status": status,
                              "gas_score": "" if gas is None else gas, "rationale_nb": nb, "rationale_en": en}
                             for (goal, phase), (status, gas, nb, en) in _ASSESSMENTS.items()]),
               out / "assessments.csv")
    for pilot in config["pilots"]:
        for phase in ("midterm", "final"):
            picks = {key: [int(i) for i in rng.choice(len(points), size=2, replace=False)]
                     for key, points in _NARRATIVE_POINTS.items()}
            content = {
                lang: {
                    "summary": (f"{pilot['name']}: piloten har "
                                f"{'kommet i gang' if phase == 'midterm' else 'levert resultater'}"
                                " på de fleste delmålene." if lang == "nb" else
                                f"{pilot['name']}: the pilot has "
                                f"{'got under way' if phase == 'midterm' else 'delivered results'}"
                                " on most sub-goals."),
                    **{key: [points[i][0 if lang == "nb" else 1] for i in picks[key]]
                       for key, points in _NARRATIVE_POINTS.items()},
                }
                for lang in ("nb", "en")
            }
            path = out / "narratives" / f"{pilot['id']}-{phase}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(content, sort_keys=False, allow_unicode=True, width=100), encoding="utf-8")
    return out
