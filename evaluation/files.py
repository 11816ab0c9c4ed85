"""Small file helpers shared by the report kernel and the render pipeline: a file's SHA-256, and
writing a text file atomically.

Only the standard library is used, so that both a report (its provenance appendix lists the
digest of every data file) and a no-change rerun of the command line can use them cheaply.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


def file_sha256(path: str | Path) -> str:
    """SHA-256 of a file's bytes, hex-encoded.

    Parameters
    ----------
    path : str or Path
        The file.

    Returns
    -------
    str
        64 hexadecimal digits, as ``sha256sum`` prints them.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file in the same folder.

    The file appears under its name only when complete (``os.replace`` is atomic on POSIX and
    Windows), so a reader never finds half a file, and a failure leaves an earlier file intact.
    Line endings are written as given (no translation), and the data reach the disk before the
    rename.

    Parameters
    ----------
    path : str or Path
        The file to write; its folder is created if needed.
    text : str
        The whole content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
