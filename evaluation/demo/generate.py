"""Writing the demo data folder: survey responses, interviews and every contract file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from evaluation.demo.catalogue import (
    BASE_MEANS, CODES, DEFAULT_SEED, GAINS, ITEMS, OFFICES, QUOTES, SCALE, STAKEHOLDER_MIX, TONE, WAVES,
)
from evaluation.demo.pilots import (
    EVALUATOR_ASSESSMENTS, MILESTONES, OBSERVATION_SOURCES, OBSERVATIONS, programme_config,
)

NARRATIVE_DIR = Path(__file__).resolve().parent / "narratives"
"""The demo narratives: the evaluators' text per pilot (and the synthesis), phase and language,
written by hand (synthetic: no person, consistent with the demo data) and copied as they are."""

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
                    for index, base in BASE_MEANS.items():
                        gain = 0.0 if gain_index is None else GAINS[pilot][index][gain_index]
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
                        tone = TONE[pilot][round_id]
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


def _copy_narratives(folder: Path) -> None:
    """Copy the demo narratives into ``folder``, byte for byte."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in sorted(NARRATIVE_DIR.glob("*.md")):
        (folder / path.name).write_bytes(path.read_bytes())


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
    periods = {i["id"]: (i.get("valid_from") or dt.date.min, i.get("valid_to") or dt.date.max)
               for p in config["pilots"] for i in p["indicators"]}
    observations = [{"pilot": pilot_of[iid], "indicator_id": iid, "date": f"{2021 + k}-12-31", "value": v,
                     "source": OBSERVATION_SOURCES.get(iid, "Pilotens resultatrapport")}
                    for iid, values in OBSERVATIONS.items() for k, v in enumerate(values)
                    if periods[iid][0] <= dt.date(2021 + k, 12, 31) <= periods[iid][1]]  # within its period
    _write_csv(pd.DataFrame(observations), out / "indicators/observations.csv")
    _write_csv(pd.DataFrame(MILESTONES, columns=["pilot", "milestone_id", "sub_goal", "text_nb", "text_en",
                                                  "due_date", "completed_date"]), out / "milestones.csv")
    pilot_of_goal = {g["id"]: p["id"] for p in config["pilots"] for g in p["sub_goals"]}
    _write_csv(pd.DataFrame([{"pilot": pilot_of_goal[goal], "phase": phase, "sub_goal": goal, "status": status,
                              "gas_score": "" if gas is None else gas, "rationale_nb": nb, "rationale_en": en}
                             for (goal, phase), (status, gas, nb, en) in EVALUATOR_ASSESSMENTS.items()]),
               out / "assessments.csv")
    _copy_narratives(out / "narratives")
    return out

