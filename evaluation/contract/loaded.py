"""A data folder validated and loaded once, with the digest of the bytes it was read from.

:func:`data_digest` fingerprints what loading a folder reads; :func:`load_folder` loads it and
keeps that digest beside the data (:class:`LoadedFolder`), so that whoever is handed the data
later (the render's views of the data, the warm process that prepares the reports' analyses)
can tell whether they are still the folder's, and use them instead of reading and validating
the folder again. Only the standard library is imported here: the render's command line starts
with this module, and loading imports pandas only when it runs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path


def data_digest(data_dir: str | Path) -> str:
    """SHA-256 over the files a data folder's loading reads, with their names.

    The contract's files (:data:`evaluation.contract.validation.FILES`; a missing one counts as
    missing) and every entry of ``narratives/`` but hidden ones, as
    :func:`evaluation.contract.load_data` reads them: a changed byte, or a file added, removed or
    renamed, gives another digest.

    Examples
    --------
    >>> from evaluation.contract import DEMO_DATA_DIR
    >>> len(data_digest(DEMO_DATA_DIR)), data_digest(DEMO_DATA_DIR) == data_digest(DEMO_DATA_DIR)
    (64, True)
    """
    from evaluation.contract.validation import FILES

    folder = Path(data_dir)
    names = list(FILES.values())
    narratives = folder / "narratives"
    if narratives.is_dir():
        names += sorted(f"narratives/{path.name}" for path in narratives.iterdir() if not path.name.startswith("."))
    digest = hashlib.sha256()
    for name in names:
        path = folder / name
        digest.update(name.encode() + b"\0")
        if path.is_file():
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        else:
            digest.update(b"directory" if path.is_dir() else b"missing")
    return digest.hexdigest()


@dataclass(frozen=True)
class LoadedFolder:
    """A data folder validated and loaded once (not cut to a phase), with the digest of the
    bytes it was loaded from, so that whoever reuses it can tell whether it is still the folder's.

    Attributes
    ----------
    data_dir : str
        The folder, as it was given.
    digest : str
        :func:`data_digest` of the folder before and after loading; empty if the folder changed
        while it was read (then it is never current).
    data : EvaluationData
        :func:`evaluation.contract.load_data` of the folder, not cut to a phase. Shared: callers
        must not change its frames.
    """

    data_dir: str
    digest: str
    data: object

    def is_current(self) -> bool:
        """Whether the folder still holds the bytes the data were loaded from."""
        try:
            return bool(self.digest) and data_digest(self.data_dir) == self.digest
        except OSError:
            return False

    def for_folder(self, data_dir: str | Path):
        """The data as ``load_data(data_dir)`` gives them, ``data_dir`` being the same folder
        given another way (relative or absolute): its paths (``data_dir``, ``input_files``) are
        rebased; ``None`` if ``data_dir`` is another folder."""
        old, new = Path(self.data.data_dir), Path(data_dir)
        try:
            if old.resolve() != new.resolve():
                return None
        except OSError:
            return None
        if old == new:
            return self.data
        return replace(self.data, data_dir=new,
                       input_files=tuple(new / Path(path).relative_to(old) if Path(path).is_relative_to(old)
                                         else Path(path) for path in self.data.input_files))

    def save(self, path: str | Path) -> Path:
        """Write it to ``path`` as a pickle, for another process of the same render to read
        (:meth:`read`); only ever into the render's private runtime folder."""
        import pickle

        path = Path(path)
        path.write_bytes(pickle.dumps(self, protocol=pickle.HIGHEST_PROTOCOL))
        return path

    @staticmethod
    def read(path: str | Path) -> LoadedFolder | None:
        """What :meth:`save` wrote to ``path``; ``None`` if it cannot be read."""
        import pickle

        try:
            loaded = pickle.loads(Path(path).read_bytes())  # noqa: S301 - the render's own private file
        except Exception:  # noqa: BLE001 - the reader then loads the folder itself
            return None
        return loaded if isinstance(loaded, LoadedFolder) else None


def load_folder(data_dir: str | Path) -> LoadedFolder:
    """Validate and load a data folder once (:func:`evaluation.contract.load_data`, not cut to a
    phase), with the digest of what was read.

    Parameters
    ----------
    data_dir : str or Path
        The data folder.

    Returns
    -------
    LoadedFolder

    Raises
    ------
    DataContractError
        If the folder breaks the contract (as :func:`~evaluation.contract.load_data`).

    Examples
    --------
    >>> from evaluation.contract import DEMO_DATA_DIR
    >>> loaded = load_folder(DEMO_DATA_DIR)
    >>> loaded.is_current(), loaded.data.phase is None
    (True, True)
    """
    from evaluation.contract import load_data

    before = data_digest(data_dir)
    data = load_data(data_dir)
    return LoadedFolder(str(data_dir), before if data_digest(data_dir) == before else "", data)


__all__ = ["LoadedFolder", "data_digest", "load_folder"]
