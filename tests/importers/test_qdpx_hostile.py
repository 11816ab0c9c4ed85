"""Hostile and damaged REFI-QDA archives are refused with the project's own error, quickly and in
bounded memory: never a raw ``zlib.error``, ``RuntimeError`` or ``BadZipFile``.

Each case builds an archive with the standard library (headers patched with ``struct`` where a
tool would not write them) and checks that :func:`read_qdpx` raises an
:class:`~evaluation.errors.ArchiveError` naming the archive and the member (or, for the XML, a
:class:`~evaluation.errors.DataContractError` naming ``project.qde`` and the line) within a few
seconds and a few megabytes of Python allocations, measured with ``tracemalloc``.
"""

from __future__ import annotations

import struct
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from evaluation.errors import ArchiveError, DataContractError
from evaluation.importers import read_qdpx
from evaluation.importers.qdpx_archive import MAX_MEMBER_BYTES

from .qda_expected import QDPX

SECONDS = 5.0
PEAK_BYTES = 32 * 2**20  # a 200 MB member must never be held: this is a small fraction of it
SOURCE = "9F2C1A44-6B1E-4E0B-9C47-1D2A3B4C5D01.txt"


def _project(text_path: str = f"internal://{SOURCE}") -> str:
    return (QDPX / "project.qde").read_text(encoding="utf-8").replace(f"internal://{SOURCE}", text_path)


def _archive(path: Path, members: dict[str, bytes], *, project: str | None = None,
             compression: int = zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("project.qde", (project if project is not None else _project()).encode("utf-8"))
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return path


def _transcript() -> bytes:
    return (QDPX / "Sources" / SOURCE).read_bytes()


def _patch(path: Path, name: str, *, flag: int | None = None, method: int | None = None,
           size: int | None = None) -> Path:
    """Rewrite a member's general-purpose flag, compression method or declared size in both its
    local header and its central-directory record (APPNOTE.TXT 4.3.7 and 4.3.12)."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    local = info.header_offset
    central = data.index(b"PK\x01\x02")  # the first central-directory record; find ours by name
    while data[central + 46:central + 46 + len(name)] != name.encode():
        central = data.index(b"PK\x01\x02", central + 4)
    for offset, flag_at, method_at, size_at in ((local, 6, 8, 22), (central, 8, 10, 24)):
        if flag is not None:
            struct.pack_into("<H", data, offset + flag_at, flag)
        if method is not None:
            struct.pack_into("<H", data, offset + method_at, method)
        if size is not None:
            struct.pack_into("<I", data, offset + size_at, size)
    path.write_bytes(bytes(data))
    return path


def _zeros(path: Path, size: int) -> Path:
    """An archive whose transcript is ``size`` zero bytes, streamed in (never held whole)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", _project().encode("utf-8"))
        with archive.open(f"Sources/{SOURCE}", "w") as stream:
            chunk = bytes(2**20)
            for _ in range(size // len(chunk)):
                stream.write(chunk)
    return path


def _bomb_200mb(tmp: Path) -> Path:
    path = _zeros(tmp / "bomb.qdpx", 200 * 2**20)
    assert path.stat().st_size < 400 * 2**10  # 200 MB compressed to a few hundred KB
    return path


def _lying_size(tmp: Path) -> Path:
    # 100 MB whose headers declare 1 000 bytes: the declared size passes, the stream does not
    return _patch(_zeros(tmp / "lying.qdpx", 100 * 2**20), f"Sources/{SOURCE}", size=1000)


def _damaged(tmp: Path) -> Path:
    path = _archive(tmp / "damaged.qdpx", {f"Sources/{SOURCE}": _transcript() * 50})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(f"Sources/{SOURCE}")
    start = info.header_offset + 30 + len(info.filename)
    data[start:start + 64] = b"\xff" * 64  # the deflate stream: an invalid block type
    path.write_bytes(bytes(data))
    return path


def _xml(tmp: Path, declaration: str, body_entity: str) -> Path:
    project = _project().replace('<?xml version="1.0" encoding="utf-8"?>',
                                 '<?xml version="1.0" encoding="utf-8"?>\n' + declaration)
    project = project.replace("<Description>Første intervju</Description>",
                              f"<Description>{body_entity}</Description>")
    return _archive(tmp / "entities.qdpx", {f"Sources/{SOURCE}": _transcript()}, project=project)


LAUGHS = ('<!DOCTYPE Project [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">'
                    for i in range(1, 10)) + "]>")

CASES = {
    # name: (build the archive, the member named, a phrase of the message)
    "a member whose path climbs out with ../": (
        lambda t: _archive(t / "a.qdpx", {"sources/../../evil.txt": b"x"}), "sources/../../evil.txt", "leaves"),
    "an absolute member path": (lambda t: _archive(t / "a.qdpx", {"/etc/evil.txt": b"x"}), "/etc/evil.txt", "absolute"),
    "a Windows drive path": (lambda t: _archive(t / "a.qdpx", {"C:\\evil.txt": b"x"}), "C:\\evil.txt", "absolute"),
    "a plainTextPath that climbs out": (
        lambda t: _archive(t / "a.qdpx", {"evil.txt": b"x"}, project=_project("internal://../evil.txt")),
        "internal://../evil.txt", "leaves"),
    "a symbolic link": (lambda t: _symlink(t), f"Sources/{SOURCE}", "symbolic link"),
    "a 200 MB member compressed to a few hundred KB": (_bomb_200mb, f"Sources/{SOURCE}", "declares 209715200 bytes"),
    "a member larger than its header declares": (_lying_size, f"Sources/{SOURCE}", "damaged"),
    "a damaged deflate stream (zlib.error)": (_damaged, f"Sources/{SOURCE}", "damaged"),
    "an encrypted member": (lambda t: _patch(_archive(t / "e.qdpx", {f"Sources/{SOURCE}": _transcript()}),
                                             f"Sources/{SOURCE}", flag=0x1), f"Sources/{SOURCE}", "encrypted"),
    "an unsupported compression method": (lambda t: _patch(_archive(t / "m.qdpx", {f"Sources/{SOURCE}": _transcript()}),
                                                           f"Sources/{SOURCE}", method=99), f"Sources/{SOURCE}",
                                          "unsupported compression"),
    "not a zip file": (lambda t: _write(t / "n.qdpx", b"<Project/>"), None, "not a zip archive"),
    "an empty file": (lambda t: _write(t / "z.qdpx", b""), None, "not a zip archive"),
    "a truncated archive": (lambda t: _write(t / "t.qdpx", _archive(t / "full.qdpx", {
        f"Sources/{SOURCE}": _transcript()}).read_bytes()[:300]), None, "not a zip archive"),
    "an archive without project.qde": (lambda t: _only_sources(t), "project.qde", "no project.qde"),
}

XML_CASES = {
    "an external entity (XXE)": ('<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"),
    "a billion laughs": (LAUGHS, "&lol9;"),
}


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _symlink(tmp: Path) -> Path:
    path = tmp / "link.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", _project().encode("utf-8"))
        info = zipfile.ZipInfo(f"Sources/{SOURCE}")
        info.external_attr = (0o120777 << 16)  # S_IFLNK: a link to /etc/passwd
        archive.writestr(info, "/etc/passwd")
    return path


def _only_sources(tmp: Path) -> Path:
    path = tmp / "nothing.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(f"Sources/{SOURCE}", _transcript())
    return path


def _refused(path: Path) -> tuple[DataContractError, float, int]:
    tracemalloc.start()
    began = time.perf_counter()
    try:
        with pytest.raises(DataContractError) as error:
            read_qdpx(path)
        return error.value, time.perf_counter() - began, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_or_damaged_archive_is_refused_naming_archive_and_member(case, tmp_path):
    build, member, phrase = CASES[case]
    path = build(tmp_path)
    error, seconds, peak = _refused(path)
    assert isinstance(error, ArchiveError), str(error)
    assert error.archive == str(path) and error.member == member and error.file == str(path)
    assert phrase in str(error)
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)


@pytest.mark.parametrize("case", list(XML_CASES))
def test_entity_declarations_are_refused_before_anything_is_expanded(case, tmp_path):
    declaration, entity = XML_CASES[case]
    path = _xml(tmp_path, declaration, entity)
    error, seconds, peak = _refused(path)
    assert error.file == f"{path}/project.qde" and error.row == 2 and error.column == "DOCTYPE"
    assert seconds < SECONDS and peak < PEAK_BYTES, (seconds, peak)


def test_the_member_limit_is_a_keyword_and_counts_decompressed_bytes(tmp_path):
    padded = _transcript() + b" " * 40_000  # larger than project.qde, so the limit falls between them
    path = _archive(tmp_path / "ok.qdpx", {f"Sources/{SOURCE}": padded})
    size = len(padded)
    assert len(read_qdpx(path, max_member_bytes=MAX_MEMBER_BYTES).segments) == 5
    with pytest.raises(ArchiveError) as error:
        read_qdpx(path, max_member_bytes=size - 1)
    assert error.value.member == f"Sources/{SOURCE}" and f"declares {size} bytes" in str(error.value)
