"""The zip archive of a REFI-QDA project (``.qdpx``), opened and read defensively.

A ``.qdpx`` file comes from outside the evaluation (a coding tool, a colleague's e-mail), so it is
treated as hostile until read: :class:`ProjectArchive` refuses, with an
:class:`~evaluation.errors.ArchiveError` naming the archive and the member,

* a file that is missing, not a zip archive, empty or truncated;
* a member whose path leaves the archive (``../``, an absolute path, a drive letter, a NUL), or
  that is a symbolic link;
* a member larger than the limit, by its declared size (checked before reading) and by the
  bytes actually decompressed (counted while streaming in chunks, so memory stays bounded
  whatever the header claims);
* an encrypted member, one compressed with a method the standard library cannot read, and a
  damaged one (a ``zlib`` error, a wrong CRC, a truncated stream).

Nothing is ever extracted to disk; members are read into memory one at a time.
"""

from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from evaluation.errors import ArchiveError

MAX_MEMBER_BYTES = 64 * 2**20
"""Largest member read (64 MiB, decompressed): far above any ``project.qde`` or transcript."""

MAX_TOTAL_BYTES = 256 * 2**20
"""Largest total read from one archive (256 MiB, decompressed)."""

MAX_MEMBERS = 100_000
"""Most entries an archive may list."""

_CHUNK = 2**20


def unsafe_path(name: str) -> str | None:
    """Why a path inside an archive is unsafe (it leaves the archive), or ``None`` if it is safe.

    Examples
    --------
    >>> unsafe_path("Sources/9F2C.txt") is None
    True
    >>> unsafe_path("sources/../../etc/passwd")
    'its path leaves the archive (a .. component)'
    """
    text = name.replace("\\", "/")
    if "\x00" in text:
        return "its path holds a NUL character"
    if text.startswith("/") or re.match(r"^[A-Za-z]:", text):
        return "its path is absolute"
    if ".." in text.split("/"):
        return "its path leaves the archive (a .. component)"
    return None


class ProjectArchive:
    """A ``.qdpx`` zip archive whose members are checked on opening and read with limits.

    Parameters
    ----------
    path : str or Path
        The archive.
    max_member_bytes : int
        Largest member read, decompressed.
    max_total_bytes : int
        Largest total read, decompressed.

    Raises
    ------
    ArchiveError
        If the file is missing or not a readable zip archive, lists too many members, or any
        member's path leaves the archive or is a symbolic link.
    """

    def __init__(self, path: str | Path, *, max_member_bytes: int = MAX_MEMBER_BYTES,
                 max_total_bytes: int = MAX_TOTAL_BYTES):
        self.path = Path(path)
        self.file = str(path)
        self.max_member_bytes = max_member_bytes
        self.max_total_bytes = max_total_bytes
        self.total = 0
        self.zip = self._open()
        try:
            self._by_lower = self._check_members()
        except ArchiveError:
            self.zip.close()
            raise

    def _open(self) -> zipfile.ZipFile:
        expected = "a REFI-QDA project file (.qdpx): a zip archive"
        try:
            return zipfile.ZipFile(self.path)
        except FileNotFoundError:
            raise ArchiveError(self.file, None, "file does not exist", expected) from None
        except IsADirectoryError:
            raise ArchiveError(self.file, None, "is a folder, not a file", expected) from None
        except zipfile.BadZipFile as error:
            raise ArchiveError(self.file, None, f"not a zip archive, or a truncated one ({error})",
                               expected) from None
        except (OSError, EOFError, ValueError, zipfile.LargeZipFile) as error:
            raise ArchiveError(self.file, None, f"cannot be read as a zip archive ({error})", expected) from None

    def _check_members(self) -> dict[str, list[zipfile.ZipInfo]]:
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ArchiveError(self.file, None, f"the archive lists {len(infos)} members",
                               f"at most {MAX_MEMBERS}")
        by_lower: dict[str, list[zipfile.ZipInfo]] = {}
        for info in infos:
            why = unsafe_path(info.filename)
            if why is not None:
                raise ArchiveError(self.file, info.filename, f"unsafe member: {why}",
                                   "members inside the archive (project.qde, sources/...)")
            if stat.S_ISLNK(info.external_attr >> 16):
                raise ArchiveError(self.file, info.filename, "unsafe member: a symbolic link",
                                   "regular files only")
            by_lower.setdefault(info.filename.replace("\\", "/").lower(), []).append(info)
        return by_lower

    def find(self, name: str) -> zipfile.ZipInfo | None:
        """The member named ``name``, matched without regard to letter case (``Sources/`` or
        ``sources/``); ``None`` if there is none. Two members that differ only in case are an error."""
        found = self._by_lower.get(name.replace("\\", "/").lower(), [])
        if len(found) > 1:
            raise ArchiveError(self.file, found[0].filename,
                               f"{len(found)} members have this name (differing only in letter case)",
                               "one member per name")
        return found[0] if found else None

    def read(self, info: zipfile.ZipInfo) -> bytes:
        """The decompressed bytes of a member, streamed in chunks within the size limits.

        Raises
        ------
        ArchiveError
            For an encrypted, oversized, damaged or unsupported member.
        """
        name = info.filename
        if info.flag_bits & 0x1:
            raise ArchiveError(self.file, name, "the member is encrypted", "an archive without a password")
        limit = min(self.max_member_bytes, self.max_total_bytes - self.total)
        if info.file_size > limit:
            raise ArchiveError(self.file, name, f"the member declares {info.file_size} bytes decompressed",
                               f"at most {limit} bytes")
        chunks, size = [], 0
        try:
            with self.zip.open(info) as stream:
                while chunk := stream.read(_CHUNK):
                    size += len(chunk)
                    if size > limit:
                        raise ArchiveError(self.file, name, f"the member decompresses to more than {limit} bytes",
                                           f"at most {limit} bytes (its header declares {info.file_size})")
                    chunks.append(chunk)
        except ArchiveError:
            raise
        except NotImplementedError as error:
            raise ArchiveError(self.file, name, f"unsupported compression ({error})",
                               "members stored or compressed with deflate") from None
        except RuntimeError as error:  # zipfile's "encrypted, password required"
            raise ArchiveError(self.file, name, f"the member cannot be read ({error})",
                               "an archive without a password") from None
        except (zlib.error, zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise ArchiveError(self.file, name, f"the member is damaged ({type(error).__name__}: {error})",
                               "an intact archive (export the project again)") from None
        self.total += size
        return b"".join(chunks)

    def close(self) -> None:
        """Close the archive."""
        self.zip.close()

    def __enter__(self) -> ProjectArchive:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


__all__ = ["MAX_MEMBERS", "MAX_MEMBER_BYTES", "MAX_TOTAL_BYTES", "ProjectArchive", "unsafe_path"]
