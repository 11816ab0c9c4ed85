"""The output folder's guard: reports made from one data set are not overwritten by reports made
from another.

An output folder remembers which data its reports were made from: its manifest's
``data_identity`` holds the programme's name and whether the data are synthetic
(``synthetic: true`` in ``programme.yaml``, as in the bundled demo data). The identity survives
new data arriving (a new survey wave does not change it), while rendering the demo data into a
folder of real reports, or real data into a folder of demo reports, is refused
(:class:`~evaluation.errors.OtherDataInOutputError`) unless the caller asks to replace them. A
new, empty or nonexistent output folder takes any data. A folder made before identities were
recorded is judged by the data folder its reports name: other data are refused there too.
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


def _legacy_identity(manifest: dict, data_dir: Path | None) -> dict | None:
    """For a manifest without ``data_identity``: an identity naming the data folder its reports
    were made from, if that is not ``data_dir`` (else ``None``)."""
    folders = {str(((entry.get("inputs") or {}).get("parameters") or {}).get("data_dir"))
               for entry in manifest.get("reports", {}).values()} - {"None"}
    if data_dir is None or not folders or str(data_dir) in folders:
        return None
    return {"programme": f"in the folder {Path(sorted(folders)[0]).name}", "synthetic": None}


def guard_output(manifest: dict, identity: dict | None, *, out: Path, replace: bool = False,
                 data_dir: Path | None = None) -> None:
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
    data_dir : Path, optional
        The data folder (resolved), to judge a folder whose manifest records no identity.

    Raises
    ------
    OtherDataInOutputError
        If the folder records reports of another identity and ``replace`` is False.
    """
    if replace or identity is None or not manifest.get("reports"):
        return
    recorded = manifest.get("data_identity") or _legacy_identity(manifest, data_dir)
    if recorded is not None and recorded != identity:
        raise OtherDataInOutputError(out, recorded, identity)


def is_synthetic(manifest: dict) -> bool:
    """True if the manifest records that its reports were made from synthetic data."""
    return bool((manifest.get("data_identity") or {}).get("synthetic"))
