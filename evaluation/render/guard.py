"""The output folder's guard: reports made from one data set are not overwritten by reports made
from another.

An output folder remembers which data its reports were made from: its manifest's
``data_identity`` holds the programme's name and whether the data are synthetic
(``synthetic: true`` in ``programme.yaml``, as in the bundled demo data). The identity survives
new data arriving (a new survey wave does not change it), while rendering the demo data into a
folder of real reports, or real data into a folder of demo reports, is refused
(:class:`~evaluation.errors.OtherDataInOutputError`) unless the caller asks to replace them. A
new, empty or nonexistent output folder, or one made before identities were recorded, takes any
data.
"""

from __future__ import annotations

from pathlib import Path

from evaluation.errors import OtherDataInOutputError


def data_identity(programme) -> dict:
    """The identity of a data folder, from its :class:`~evaluation.contract.Programme`.

    Returns
    -------
    dict
        ``programme`` (its ``name_nb``) and ``synthetic`` (bool).
    """
    return {"programme": str(programme.name_nb), "synthetic": bool(programme.synthetic)}


def guard_output(manifest: dict, identity: dict | None, *, out: Path, replace: bool = False) -> None:
    """Refuse to render data of ``identity`` into a folder whose reports are of other data.

    Parameters
    ----------
    manifest : dict
        The output folder's manifest (:func:`~evaluation.render.fingerprints.read_manifest`).
    identity : dict or None
        :func:`data_identity` of the data to render (``None``: unknown, not checked).
    out : Path
        The output folder (named in the error).
    replace : bool
        Allow replacing reports of other data.

    Raises
    ------
    OtherDataInOutputError
        If the folder records reports of another identity and ``replace`` is False.
    """
    recorded = manifest.get("data_identity")
    if replace or not recorded or identity is None or not manifest.get("reports"):
        return
    if recorded != identity:
        raise OtherDataInOutputError(out, recorded, identity)


def is_synthetic(manifest: dict) -> bool:
    """True if the manifest records that its reports were made from synthetic data."""
    return bool((manifest.get("data_identity") or {}).get("synthetic"))
