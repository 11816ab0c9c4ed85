"""Small file helpers shared by the report kernel and the render pipeline: a file's SHA-256, and
writing a text file atomically.

Only the standard library is used, so that both a report (its provenance appendix lists the
digest of every data file) and a no-change rerun of the command line can use them cheaply.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import stat
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

    Notes
    -----
    A new file gets the permissions the user's umask gives any new file (``0o644`` under umask
    ``0o022``, ``0o664`` under ``0o002``), so colleagues on a shared folder can read it: the
    temporary file is created with mode ``0o666`` and the kernel applies the umask, as for a
    file written with ``open``. A file that is replaced keeps its mode. (``tempfile.mkstemp``
    would create ``0o600`` whatever the umask.)
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = _create_temporary(path)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
            stream.flush()
            _keep_mode(path, stream.fileno())
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty file next to ``path``, created with mode ``0o666`` less the umask."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        temporary = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(temporary, flags, 0o666), temporary
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temporary file name next to {path}")


def _keep_mode(path: Path, handle: int) -> None:
    """Give the open temporary file the mode of the file it replaces, if there is one."""
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        return
    if hasattr(os, "fchmod"):
        os.fchmod(handle, mode)
