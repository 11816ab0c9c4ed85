"""The report's title block (evaluation.report.frame.title_block): a report made from synthetic
data (``synthetic: true`` in programme.yaml, as in the demo data) says so under its title, in the
report's language; a report of real data does not. The decision comes from the data, not from
the folder's path."""

from __future__ import annotations

import pytest

from conftest import DEMO, read_lines, write_lines
from evaluation import report

BANNERS = {"nb": "Syntetiske demodata – ikke ekte resultater", "en": "Synthetic demo data – not real results"}


@pytest.mark.parametrize("pilot", ["stad", None], ids=["pilot", "synthesis"])
@pytest.mark.parametrize("lang", ["nb", "en"])
def test_a_report_of_the_demo_data_says_under_its_title_that_they_are_synthetic(pilot, lang):
    block = str(report.title_block(report.open_report(DEMO, pilot=pilot, phase="midterm", lang=lang)))
    banner = f'<p class="demo-banner">{BANNERS[lang]}</p>'
    assert banner in block
    assert block.index("</h1>") < block.index(banner) < block.index('class="subtitle"')


def test_a_report_of_data_marked_synthetic_false_has_no_banner(demo_copy):
    lines = read_lines(demo_copy / "programme.yaml")
    write_lines(demo_copy / "programme.yaml", ["synthetic: false" if line == "synthetic: true" else line
                                               for line in lines])
    block = str(report.title_block(report.open_report(demo_copy, pilot="stad", phase="midterm", lang="nb")))
    assert "demo-banner" not in block and BANNERS["nb"] not in block
