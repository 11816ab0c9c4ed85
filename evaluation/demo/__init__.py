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
  is more optimistic than the indicators support;
* the evaluators' narratives (``narratives/*.md``), written by hand for every pilot and the
  synthesis in both phases, in bokmål and English, consistent with the numbers above and with no
  person named (kept in ``evaluation/demo/narratives/`` and copied as they are).
"""

from evaluation.demo.generate import DEFAULT_SEED, programme_config, write_demo_data

__all__ = ["DEFAULT_SEED", "programme_config", "write_demo_data"]
