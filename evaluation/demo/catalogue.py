"""The demo programme's fixed vocabulary: national goals, survey items and scale, agencies and
offices, interview themes, codes and quotes, and the effects the data are built to show."""

from __future__ import annotations

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
BASE_MEANS = {"collaboration": 2.9, "professional_environment": 3.2, "recruitment_retention": 3.0,
         "belonging": 3.7, "workplace": 3.1}
GAINS = {  # (midterm gain, final gain) over baseline
    "stad": {k: (0.35, 0.8) for k in BASE_MEANS},
    "orkland": {k: (0.0, 0.05) for k in BASE_MEANS},
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
TONE = {
    "stad": {"midterm": 0.55, "final": 0.75},
    "orkland": {"midterm": 0.45, "final": 0.45},
    "narvik": {"midterm": 0.55, "final": 0.65},
    "lyngdal": {"midterm": 0.5, "final": 0.7},
}


