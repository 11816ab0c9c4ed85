"""The output folder as the render finds it and leaves it: writable, and without debris.

A render writes only through atomic writes (a temporary file renamed into place) and executes
each notebook in a hidden temporary folder (``.render-*``), so an interrupted render never
leaves half a report -- but a render killed outright (``SIGKILL``, a power cut) cannot remove
its temporary files. The next render does (:func:`remove_leftovers`), under the output folder's
lock, so never those of a render still running.

A folder that cannot be written -- a file where the folder should be, a read-only folder, a full
disk -- stops the render with one :class:`~evaluation.errors.OutputError` that says what to do
(:func:`check_output_folder`, :func:`writing`), not with a traceback.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import tempfile
from pathlib import Path

from evaluation.errors import OutputError

WORK_PREFIX = ".render-"
"""Prefix of the hidden folder a report's notebook is executed in, inside the output folder."""

RUNTIME_PREFIX = "shr-"
"""Prefix of a render's private folder for kernel sockets, in the system's temporary folder."""

RUNTIME_OWNER = "owner.pid"
"""The file in a runtime folder naming the render process that made it."""

_TEMPORARY_FILE = re.compile(r"\..+\.[0-9a-f]{12}\.tmp")
"""A temporary file of :func:`evaluation.files.atomic_write_text` (``.<name>.<12 hex>.tmp``)."""

_REASONS = {
    errno.EACCES: "permission denied (the folder is read-only for you); choose another --out, or ask for write access",
    errno.EPERM: "permission denied (the folder is read-only for you); choose another --out, or ask for write access",
    errno.EROFS: "the file system is read-only; choose another --out",
    errno.ENOSPC: "no space left on the disk; free some space (or choose another --out) and render again",
    errno.EDQUOT: "your disk quota is used up; free some space (or choose another --out) and render again",
    errno.ENOTDIR: "a file stands where a folder should be; choose another --out, or move the file",
    errno.EEXIST: "a file stands where a folder should be; choose another --out, or move the file",
    errno.EISDIR: "a folder stands where a file should be; move it away",
}
"""Why a write failed, and what to do, for the errors a render cannot fix itself."""


def output_error(error: OSError, path: str | Path) -> OutputError:
    """The :class:`~evaluation.errors.OutputError` for an ``OSError`` while writing ``path``."""
    reason = _REASONS.get(error.errno, error.strerror or str(error))
    return OutputError(error.filename or path, reason)


def is_output_failure(error: BaseException) -> bool:
    """Whether ``error`` is a write failure the render cannot fix (full disk, read-only …)."""
    return isinstance(error, OSError) and error.errno in _REASONS


@contextlib.contextmanager
def writing(path: str | Path):
    """Turn a write failure of the kinds in ``_REASONS`` into an :class:`OutputError`."""
    try:
        yield
    except OSError as error:
        if not is_output_failure(error):
            raise
        raise output_error(error, path) from None


def check_output_folder(out: str | Path) -> Path:
    """Make sure the output folder exists and can be written, before anything is rendered.

    Parameters
    ----------
    out : str or Path
        The output folder; it and its parents are created if missing.

    Returns
    -------
    Path
        The folder.

    Raises
    ------
    OutputError
        If ``out`` is a file, or cannot be created or written (a probe file is created and
        removed). Nothing is left behind.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(out, "it is a file, not a folder; choose a folder for --out")
    with writing(out):
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out, prefix=".write-test-", suffix=".tmp"):
            pass
    return out


def remove_leftovers(out: str | Path) -> list[Path]:
    """Remove what an earlier render that was killed left in ``out``; return what was removed.

    Only the render's own debris: hidden ``.render-*`` folders in ``out`` and hidden temporary
    files (``.<name>.<12 hex digits>.tmp``) in ``out`` and its phase folders. Call it while
    holding the output folder's lock, so that no render is using them.
    """
    out = Path(out)
    removed: list[Path] = []
    if not out.is_dir():
        return removed
    for path in sorted(out.glob(WORK_PREFIX + "*")):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    for folder in [out, *(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("."))]:
        for path in sorted(folder.glob(".*.tmp")):
            if _TEMPORARY_FILE.fullmatch(path.name) and path.is_file():
                path.unlink(missing_ok=True)
                removed.append(path)
    return removed


def new_runtime_dir() -> Path:
    """A private folder for a render's kernel sockets and connection files, owned by this
    process (:data:`RUNTIME_OWNER`), so that a later render can tell when it is left over."""
    path = Path(tempfile.mkdtemp(prefix=RUNTIME_PREFIX))
    (path / RUNTIME_OWNER).write_text(str(os.getpid()), encoding="ascii")
    return path


def remove_stale_runtime_dirs(folder: str | Path | None = None) -> list[Path]:
    """Remove the runtime folders of renders that are no longer running; return them.

    A folder is stale when the process its :data:`RUNTIME_OWNER` names has exited; folders
    without that file, or of other users, are left alone.
    """
    from evaluation.render.kernels import process_alive

    removed = []
    for path in Path(folder or tempfile.gettempdir()).glob(RUNTIME_PREFIX + "*"):
        try:
            if path.stat().st_uid != os.getuid():
                continue
            owner = int((path / RUNTIME_OWNER).read_text(encoding="ascii"))
        except (OSError, ValueError, AttributeError):
            continue
        if owner != os.getpid() and not process_alive(owner):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed
