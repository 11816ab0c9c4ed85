"""Checking a data folder before rendering: validate it once, or reuse the last validation.

:func:`check_data` validates and loads the folder (keeping what it loaded, so the render does
not read it again) unless the output folder's manifest records a successful validation of the
very same bytes, package and software; :func:`data_as_of` gives the date each phase's reports
have data to.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from evaluation.render.fingerprints import (RenderInputs, current_inputs, read_manifest, relative_to_data,
                                            sorted_paths)
from evaluation.render.guard import data_identity
from evaluation.render.jobs import NOTEBOOK_DIR


@dataclass(frozen=True)
class CheckedData:
    """A data folder checked for rendering: its ids, what reports read, and fingerprints.

    Attributes
    ----------
    pilots, phases : list of str
        Ids from ``programme.yaml``.
    phase_names : dict
        Phase id to ``{"nb": name, "en": name}`` (:meth:`evaluation.contract.Programme.phase_name`).
    inputs : RenderInputs
        Fingerprints of the data, package, environment and notebooks.
    validated : dict
        The record kept in the manifest, so that unchanged data are not validated again.
    cached : bool
        True if the data and the package are byte-identical to an earlier successful validation
        (recorded in the output folder's manifest), which was reused.
    loaded : LoadedFolder or None
        The folder as validation loaded it (:class:`~evaluation.contract.loaded.LoadedFolder`),
        for the render to reuse instead of reading it again; ``None`` if validation was reused.
    """

    pilots: list
    phases: list
    phase_names: dict
    inputs: RenderInputs
    validated: dict
    cached: bool
    loaded: object = field(default=None, compare=False, repr=False)

    @property
    def identity(self) -> dict:
        """The data's identity (:func:`~evaluation.render.guard.data_identity`)."""
        return self.validated["identity"]


def check_data(data_dir: str | Path, *, out: str | Path, notebook_dir: Path = NOTEBOOK_DIR) -> CheckedData:
    """Validate a data folder for rendering, or reuse the last validation if nothing changed.

    Validation depends only on the data folder's bytes, the package's code and the software
    versions; if all are identical to those of a successful validation recorded in
    ``out/manifest.json``, it is not repeated (and pandas is not even imported).

    Parameters
    ----------
    data_dir : str or Path
        The data folder.
    out : str or Path
        The output folder (its manifest may hold an earlier validation).
    notebook_dir : Path
        Folder of the report notebooks (fingerprinted with the rest).

    Returns
    -------
    CheckedData

    Raises
    ------
    DataContractError
        If the data break the contract (every problem is carried).
    """
    data_dir = Path(data_dir)
    inputs = current_inputs(data_dir, notebook_dir=notebook_dir)
    cached = read_manifest(Path(out)).get("validated") or {}
    if (cached.get("fingerprint") == inputs.fingerprint and cached.get("input_files") is not None
            and cached.get("identity") is not None):
        inputs = replace(inputs, input_files=tuple(cached["input_files"]))
        return CheckedData(list(cached["pilots"]), list(cached["phases"]),
                           dict(cached.get("phase_names") or {}), inputs, cached, True)
    from evaluation.i18n import LANGUAGES
    from evaluation.contract.loaded import load_folder

    loaded = load_folder(data_dir)
    data = loaded.data
    files = tuple(sorted_paths({Path(p).relative_to(data_dir).as_posix() if Path(p).is_relative_to(data_dir)
                                 else relative_to_data(p, inputs.data_dir) for p in data.input_files}))
    inputs = replace(inputs, input_files=files)
    programme = data.programme
    record = {"fingerprint": inputs.fingerprint, "pilots": list(programme.pilot_ids),
              "pilot_names": {pilot: programme.pilot_name(pilot) for pilot in programme.pilot_ids},
              "data_as_of": data_as_of(data),
              "phases": list(data.programme.phases), "input_files": list(files),
              "identity": data_identity(data.programme),
              "phase_names": {phase: {lang: data.programme.phase_name(phase, lang) for lang in LANGUAGES}
                              for phase in data.programme.phases}}
    return CheckedData(record["pilots"], record["phases"], record["phase_names"], inputs, record, False, loaded)


def data_as_of(data) -> dict[str, str]:
    """The date each phase's reports have data to: the phase's cut-off, or the latest date in
    the data when the data end before it (a phase still under way).

    Parameters
    ----------
    data : EvaluationData
        All the data (not cut to a phase).

    Returns
    -------
    dict
        Phase id to an ISO date.

    Examples
    --------
    >>> from evaluation.contract import load_data
    >>> as_of = data_as_of(load_data())
    >>> list(as_of) == load_data().programme.phases, list(as_of.values())
    (True, ['2022-12-31', '2024-12-31'])
    """
    columns = [data.responses["response_date"], data.interviews["date"], data.observations["date"],
               data.milestones["completed_date"]]
    latest = max((column.max() for column in columns if column.notna().any()), default=None)
    return {phase: (cutoff if latest is None else min(cutoff, latest.date())).isoformat()
            for phase, cutoff in data.programme.cutoffs.items()}
