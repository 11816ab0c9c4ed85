"""Tests of what the coding readers share (evaluation.importers.qda)."""

from __future__ import annotations

from evaluation.importers import make_id


def test_make_id_turns_names_into_contract_ids():
    assert make_id("Felles møteplasser") == "felles_moteplasser"
    assert make_id("Ærlig talt: Økonomi/Åpenhet") == "aerlig_talt_okonomi_apenhet"
    assert make_id("collab_barriers") == "collab_barriers"
