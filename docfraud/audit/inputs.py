"""Walking seized material for ``docfraud audit``: folders, zip archives and files → inputs.

Investigators point ``docfraud audit`` at folders, zip archives and PDFs from a seizure, so
the material is treated as hostile. :func:`list_inputs` lists every document to analyse and
reports, never raises on, what it will not open; :func:`read_input` reads one of them with
bounded memory. Each refusal is an :class:`InputProblem` with a stable code:

- ``AUDIT.SYMLINK_SKIPPED``: a symbolic link (to a file, a folder, or a loop), never followed;
  this includes an INPUT that is itself a link.
- ``AUDIT.NOT_A_FILE``: a fifo, socket or device; never opened (a fifo would hang the read).
- ``AUDIT.PATH_OUTSIDE_INPUT``: a path whose real path is not inside the INPUT's real path.
- ``AUDIT.DIRECTORY_LOOP``: a folder reached twice (a bind mount), walked once.
- ``AUDIT.ARCHIVE_UNREADABLE``: a corrupt or truncated zip, or a corrupt member.
- ``AUDIT.ARCHIVE_MEMBER_UNSAFE``: a member whose name is absolute, has a drive letter, climbs
  out with ``..`` (``/`` or ``\\``), holds control characters or is ambiguous (repeated), or a
  member that is a symbolic link.
- ``AUDIT.ARCHIVE_ENCRYPTED``: an encrypted member.
- ``AUDIT.ZIP_BOMB``: an archive over :class:`ArchiveLimits`, or a member over ``max_ratio``
  or ``DecodeLimits.max_bytes``, or one that expands past its declared size.
- ``AUDIT.NESTED_ARCHIVE``: a member that is itself a zip (found when it is read).
- ``INPUT.NOT_FOUND``, ``INPUT.UNREADABLE``, ``INPUT.TOO_LARGE``: as in
  :mod:`docfraud.imaging.load`.

Zip archives are recognised by content (``PK\\x03\\x04`` or ``PK\\x05\\x06``), never by
extension; every other regular file is listed, so that the pipeline reports unsupported types.
Not covered: a folder swapped for a link between the walk and the read (files are opened with
``O_NOFOLLOW``, their parent folders are not), and the cost of re-reading an archive's central
directory for each member read.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import math
import os
import re
import stat
import struct
import zipfile
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import BinaryIO, Final

from docfraud.errors import (
    CONFIG_INVALID,
    INPUT_NOT_FOUND,
    INPUT_TOO_LARGE,
    INPUT_UNREADABLE,
    ConfigError,
)
from docfraud.imaging.load import DecodeLimits

__all__ = [
    "AUDIT_ARCHIVE_ENCRYPTED",
    "AUDIT_ARCHIVE_MEMBER_UNSAFE",
    "AUDIT_ARCHIVE_UNREADABLE",
    "AUDIT_DIRECTORY_LOOP",
    "AUDIT_NESTED_ARCHIVE",
    "AUDIT_NOT_A_FILE",
    "AUDIT_PATH_OUTSIDE_INPUT",
    "AUDIT_SYMLINK_SKIPPED",
    "AUDIT_ZIP_BOMB",
    "ArchiveLimits",
    "InputDocument",
    "InputProblem",
    "InputRef",
    "list_inputs",
    "read_input",
]

logger = logging.getLogger(__name__)

AUDIT_SYMLINK_SKIPPED: Final = "AUDIT.SYMLINK_SKIPPED"
AUDIT_NOT_A_FILE: Final = "AUDIT.NOT_A_FILE"
AUDIT_PATH_OUTSIDE_INPUT: Final = "AUDIT.PATH_OUTSIDE_INPUT"
AUDIT_DIRECTORY_LOOP: Final = "AUDIT.DIRECTORY_LOOP"
AUDIT_ARCHIVE_UNREADABLE: Final = "AUDIT.ARCHIVE_UNREADABLE"
AUDIT_ARCHIVE_MEMBER_UNSAFE: Final = "AUDIT.ARCHIVE_MEMBER_UNSAFE"
AUDIT_ARCHIVE_ENCRYPTED: Final = "AUDIT.ARCHIVE_ENCRYPTED"
AUDIT_ZIP_BOMB: Final = "AUDIT.ZIP_BOMB"
AUDIT_NESTED_ARCHIVE: Final = "AUDIT.NESTED_ARCHIVE"

_ZIP_MAGIC: Final = (b"PK\x03\x04", b"PK\x05\x06")
# O_NOFOLLOW: a file swapped for a link after the walk is refused, not followed.
# O_NONBLOCK: opening a fifo must not wait for a writer; it is refused after fstat.
_OPEN_FLAGS: Final = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK: Final = 1024 * 1024
_DEFAULT_LIMITS: Final = DecodeLimits()
_SUPPORTED_METHODS: Final = frozenset(
    {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
)
# zipfile reads the whole central directory into memory and builds an object per entry (as
# little as 46 bytes each), so its declared size is capped before zipfile parses it.
_CENTRAL_BYTES_PER_MEMBER: Final = 1024
_EOCD: Final = struct.Struct("<4s4H2LH")  # end of central directory record, 22 bytes
_EOCD64_LOCATOR_SIZE: Final = 20
_EOCD64: Final = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record, 56 bytes
_DRIVE: Final = re.compile(r"^[A-Za-z]:")
_SEPARATORS: Final = re.compile(r"[/\\]")
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class InputRef:
    """A document to read: a file, or a member of a zip archive.

    Attributes:
        source: Display name, stable across runs: the INPUT as given joined with the path inside
            a folder (``seized/box1/p.jpg``); an archive member as ``seized/a.zip!scans/p.jpg``.
        path: The file (or the archive) on disk, absolute.
        member: The zip member name, ``None`` for a plain file.
        size: Bytes on disk, or the declared uncompressed size of a member.
    """

    source: str
    path: Path
    member: str | None = None
    size: int = 0


@dataclass(frozen=True, slots=True)
class InputDocument:
    """The bytes of one input, read within the decode limits.

    Attributes:
        source: As in the :class:`InputRef` it was read from.
        data: The whole document.
        sha256: Hex digest of ``data``: results are keyed by it, and it is what gets logged.
    """

    source: str
    data: bytes
    sha256: str


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something found in the input that is not analysed, and why (reported, never fatal).

    Attributes:
        source: Display name as in :class:`InputRef`; an unsafe archive member is named by its
            position (``a.zip!#3``) so that a hostile name never becomes a path.
        code: A stable ``AUDIT.*`` or ``INPUT.*`` code.
        message: A sentence an investigator understands.
    """

    source: str
    code: str
    message: str


@dataclass(frozen=True, slots=True)
class ArchiveLimits:
    """Limits on a zip archive, checked from its central directory before any member is read.

    Each member is also held to ``DecodeLimits.max_bytes``.

    Attributes:
        max_members: Most entries (folders included) in one archive.
        max_total_bytes: Largest sum of the members' declared uncompressed sizes.
        max_ratio: Largest uncompressed / compressed size of any member; deflate of uniform
            data reaches about 1000, real scans far less.

    Raises:
        ConfigError: ``CONFIG.INVALID`` if a limit is not positive (or, but for ``max_ratio``,
            not an integer).
    """

    max_members: int = 10_000
    max_total_bytes: int = 4 * 1024**3
    max_ratio: float = 200.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "max_ratio":
                valid = isinstance(value, int | float) and math.isfinite(value) and value > 0
            else:
                valid = isinstance(value, int) and value >= 1
            if isinstance(value, bool) or not valid:
                raise ConfigError(
                    CONFIG_INVALID, f"ArchiveLimits.{f.name} must be positive, got {value!r}."
                )


def list_inputs(
    inputs: Sequence[str | os.PathLike[str]],
    limits: DecodeLimits = _DEFAULT_LIMITS,
    archive_limits: ArchiveLimits = ArchiveLimits(),
) -> list[InputRef | InputProblem]:
    """List the documents under the given paths, and what will not be opened.

    Cheap: no file content is read but four bytes of each file (to recognise zip archives) and
    the central directory of each archive. Links are never followed.

    Args:
        inputs: Files, folders and zip archives, as the investigator gave them.
        limits: Decode limits; a file or member over ``max_bytes`` is reported, not listed.
        archive_limits: Limits on each zip archive.

    Returns:
        Documents and problems sorted by ``source`` (then code), without duplicates, so that
        progress totals and resumed runs agree.
    """
    found: list[InputRef | InputProblem] = []
    for given in inputs:
        found.extend(_list_input(os.fspath(given), limits, archive_limits))
    unique = list(dict.fromkeys(found))
    unique.sort(key=_order)
    documents = sum(isinstance(item, InputRef) for item in unique)
    logger.debug("listed %d documents and %d problems", documents, len(unique) - documents)
    return unique


def read_input(
    ref: InputRef, limits: DecodeLimits = _DEFAULT_LIMITS
) -> InputDocument | InputProblem:
    """Read one listed document, never holding more than ``limits.max_bytes + 1`` bytes of it.

    A member is read in chunks and its running size checked against both its declared size
    and ``max_bytes``, so a header that lies about the size cannot inflate it past them.

    Args:
        ref: A document from :func:`list_inputs`.
        limits: Decode limits.

    Returns:
        The bytes and their sha256, or why they could not be read (the file vanished, became a
        link, or the member is corrupt, oversized or itself a zip archive).
    """
    if ref.member is None:
        return _read_file(ref, limits)
    return _read_member(ref, limits)


# --- walking ----------------------------------------------------------------------------------


def _list_input(
    given: str, limits: DecodeLimits, archive_limits: ArchiveLimits
) -> Iterator[InputRef | InputProblem]:
    # "link/" would make lstat resolve the link through the trailing slash.
    source = given.rstrip("/") or given
    try:
        st = os.lstat(source)
    except (FileNotFoundError, NotADirectoryError):
        yield InputProblem(given, INPUT_NOT_FOUND, "Nothing exists at this path.")
        return
    except OSError as exc:
        yield _unreadable(given, "path", exc)
        return
    path = os.path.abspath(source)
    root_real = _real_path(path)
    if stat.S_ISLNK(st.st_mode):
        yield _symlink(source)
    elif stat.S_ISDIR(st.st_mode):
        yield from _walk(path, source, root_real, limits, archive_limits)
    elif stat.S_ISREG(st.st_mode):
        yield from _list_file(Path(path), source, root_real, limits, archive_limits)
    else:
        yield _not_a_file(source)


def _walk(
    root: str,
    root_source: str,
    root_real: str,
    limits: DecodeLimits,
    archive_limits: ArchiveLimits,
) -> Iterator[InputRef | InputProblem]:
    """Walk a folder without recursion (no depth limit) and without following any link."""
    stack = [(root, root_source)]
    seen: set[tuple[int, int]] = set()
    while stack:
        folder, folder_source = stack.pop()
        try:
            st = os.lstat(folder)
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            yield _unreadable(folder_source, "folder", exc)
            continue
        if (st.st_dev, st.st_ino) in seen:
            yield InputProblem(
                folder_source,
                AUDIT_DIRECTORY_LOOP,
                "This folder was already walked under another name (a mount loop); it is skipped.",
            )
            continue
        seen.add((st.st_dev, st.st_ino))
        for entry in entries:
            source = f"{folder_source.rstrip('/')}/{entry.name}"
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as exc:
                yield _unreadable(source, "path", exc)
                continue
            if stat.S_ISLNK(mode):
                yield _symlink(source)
            elif stat.S_ISDIR(mode):
                if _is_within(entry.path, root_real):
                    stack.append((entry.path, source))
                else:
                    yield _outside(source)
            elif stat.S_ISREG(mode):
                yield from _list_file(Path(entry.path), source, root_real, limits, archive_limits)
            else:
                yield _not_a_file(source)


def _list_file(
    path: Path,
    source: str,
    root_real: str,
    limits: DecodeLimits,
    archive_limits: ArchiveLimits,
) -> Iterator[InputRef | InputProblem]:
    if not _is_within(os.fspath(path), root_real):
        yield _outside(source)
        return
    opened = _open_regular(path, source)
    if isinstance(opened, InputProblem):
        yield opened
        return
    with opened as f:
        try:
            size = os.fstat(f.fileno()).st_size
            head = f.read(4)
        except OSError as exc:
            yield _unreadable(source, "file", exc)
            return
        if head in _ZIP_MAGIC:
            yield from _list_archive(f, path, source, limits, archive_limits)
        elif size > limits.max_bytes:
            yield _too_large(source, size, limits.max_bytes)
        else:
            yield InputRef(source=source, path=path, size=size)


# --- archives ---------------------------------------------------------------------------------


def _list_archive(
    f: BinaryIO,
    path: Path,
    source: str,
    limits: DecodeLimits,
    archive_limits: ArchiveLimits,
) -> Iterator[InputRef | InputProblem]:
    try:
        central = _central_directory_size(f)
        cap = archive_limits.max_members * _CENTRAL_BYTES_PER_MEMBER
        if central is not None and central > cap:
            yield _bomb(
                source,
                f"Its central directory is {central:,} bytes, more than {cap:,} bytes for "
                f"{archive_limits.max_members:,} members (max_members); it is not opened.",
            )
            return
        f.seek(0)
        with zipfile.ZipFile(f) as archive:
            infos = archive.infolist()
    except Exception as exc:  # outermost boundary: a hostile archive must not escape as a bug
        logger.debug("unreadable zip archive", exc_info=True)
        yield _archive_unreadable(source, exc)
        return
    if len(infos) > archive_limits.max_members:
        yield _bomb(
            source,
            f"It has {len(infos):,} members, over the limit of {archive_limits.max_members:,} "
            "(max_members); none is read.",
        )
        return
    total = sum(info.file_size for info in infos)
    if total > archive_limits.max_total_bytes:
        yield _bomb(
            source,
            f"Its members expand to {total:,} bytes, over the limit of "
            f"{archive_limits.max_total_bytes:,} bytes (max_total_bytes); none is read.",
        )
        return
    names = Counter(info.filename for info in infos)
    for number, info in enumerate(infos, start=1):
        if info.filename.endswith("/"):  # a folder; ZipInfo.is_dir() raises on an empty name
            continue
        problem = _member_problem(info, source, number, limits, archive_limits)
        if problem is None and names[info.filename] > 1:
            problem = InputProblem(
                f"{source}!{info.filename}",
                AUDIT_ARCHIVE_MEMBER_UNSAFE,
                f"The archive holds {names[info.filename]} members with this name; which one "
                "is meant is ambiguous, so none is read.",
            )
        yield problem or InputRef(
            source=f"{source}!{info.filename}", path=path, member=info.filename, size=info.file_size
        )


def _member_problem(
    info: zipfile.ZipInfo,
    archive_source: str,
    number: int,
    limits: DecodeLimits,
    archive_limits: ArchiveLimits | None,
) -> InputProblem | None:
    """Why a member must not be read, from its central directory entry alone."""
    name = info.filename
    unsafe = _unsafe_name(name)
    if unsafe is not None:
        return InputProblem(
            f"{archive_source}!#{number}",
            AUDIT_ARCHIVE_MEMBER_UNSAFE,
            f"Member #{number} of the archive, named {ascii(name)}, is not read: {unsafe}.",
        )
    source = f"{archive_source}!{name}"
    if stat.S_ISLNK(info.external_attr >> 16):
        return InputProblem(
            source,
            AUDIT_ARCHIVE_MEMBER_UNSAFE,
            "This archive member is a symbolic link; it is not followed.",
        )
    if info.flag_bits & 0x1:
        return InputProblem(
            source,
            AUDIT_ARCHIVE_ENCRYPTED,
            "This archive member is encrypted, so it cannot be read without the password.",
        )
    if info.compress_type not in _SUPPORTED_METHODS:
        return InputProblem(
            source,
            AUDIT_ARCHIVE_UNREADABLE,
            f"This archive member uses compression method {info.compress_type}, which cannot "
            "be read (only stored, deflate, bzip2 and LZMA can).",
        )
    if info.file_size > limits.max_bytes:
        return _bomb(
            source,
            f"This archive member expands to {info.file_size:,} bytes, over the limit of "
            f"{limits.max_bytes:,} bytes (max_bytes).",
        )
    if (
        archive_limits is not None
        and info.file_size > archive_limits.max_ratio * info.compress_size
    ):
        return _bomb(
            source,
            f"This archive member expands {info.compress_size:,} compressed bytes to "
            f"{info.file_size:,}, over the limit of {archive_limits.max_ratio:g} times "
            "(max_ratio).",
        )
    return None


def _unsafe_name(name: str) -> str | None:
    """Why a member name could escape a folder it is extracted to, or mislead; None if safe.

    >>> _unsafe_name("scans/p.jpg") is None
    True
    >>> _unsafe_name("scans\\\\..\\\\..\\\\x")
    "its name climbs out of the archive with '..'"
    """
    parts = _SEPARATORS.split(name)
    if name.startswith(("/", "\\")):
        return "its name is an absolute path"
    if _DRIVE.match(name):
        return "its name starts with a drive letter"
    if ".." in parts:
        return "its name climbs out of the archive with '..'"
    if _CONTROL.search(name):
        return "its name contains control characters"
    if all(part in ("", ".") for part in parts):
        return "it has no file name"
    return None


def _central_directory_size(f: BinaryIO) -> int | None:
    """The central directory size the end record declares, found as zipfile finds it.

    Returns ``None`` if no end record is found; zipfile then refuses the file itself.
    """
    end = f.seek(0, os.SEEK_END)
    tail_size = min(end, _EOCD.size + 0xFFFF)
    f.seek(end - tail_size)
    tail = f.read(tail_size)
    at = len(tail) - _EOCD.size
    if at < 0:
        return None
    if tail[at : at + 4] != b"PK\x05\x06" or tail[-2:] != b"\x00\x00":  # no comment
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or at + _EOCD.size > len(tail):
            return None
    central: int = _EOCD.unpack_from(tail, at)[5]
    record_at = end - tail_size + at
    zip64_at = record_at - _EOCD64_LOCATOR_SIZE - _EOCD64.size
    if zip64_at >= 0:
        f.seek(record_at - _EOCD64_LOCATOR_SIZE)
        if f.read(4) == b"PK\x06\x07":  # zipfile then trusts the zip64 record before it
            f.seek(zip64_at)
            record = f.read(_EOCD64.size)
            if len(record) == _EOCD64.size and record[:4] == b"PK\x06\x06":
                central = _EOCD64.unpack(record)[8]
    return central


# --- reading ----------------------------------------------------------------------------------


def _read_file(ref: InputRef, limits: DecodeLimits) -> InputDocument | InputProblem:
    opened = _open_regular(ref.path, ref.source)
    if isinstance(opened, InputProblem):
        return opened
    with opened as f:
        try:
            size = os.fstat(f.fileno()).st_size
            if size > limits.max_bytes:
                return _too_large(ref.source, size, limits.max_bytes)
            data = f.read(limits.max_bytes + 1)  # the file may grow after fstat
        except OSError as exc:
            return _unreadable(ref.source, "file", exc)
    if len(data) > limits.max_bytes:
        return _too_large(ref.source, len(data), limits.max_bytes)
    return InputDocument(ref.source, data, hashlib.sha256(data).hexdigest())


def _read_member(ref: InputRef, limits: DecodeLimits) -> InputDocument | InputProblem:
    member = ref.member or ""
    opened = _open_regular(ref.path, ref.source)
    if isinstance(opened, InputProblem):
        return opened
    try:
        with opened as f, zipfile.ZipFile(f) as archive:
            try:
                info = archive.getinfo(member)
            except KeyError:
                return InputProblem(
                    ref.source,
                    AUDIT_ARCHIVE_UNREADABLE,
                    "The archive no longer holds this member.",
                )
            problem = _member_problem(info, ref.source.rpartition("!")[0], 0, limits, None)
            if problem is not None:
                return problem
            return _read_member_bytes(archive, info, ref.source, limits)
    except Exception as exc:  # outermost boundary: a hostile archive must not escape as a bug
        logger.debug("unreadable zip member", exc_info=True)
        return _archive_unreadable(ref.source, exc, member=True)


def _read_member_bytes(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, source: str, limits: DecodeLimits
) -> InputDocument | InputProblem:
    cap = min(info.file_size, limits.max_bytes)
    digest = hashlib.sha256()
    parts: list[bytes] = []
    total = 0
    with archive.open(info) as stream:
        while chunk := stream.read(min(_CHUNK, cap + 1 - total)):
            if not parts and chunk[:4] in _ZIP_MAGIC:
                return InputProblem(
                    source,
                    AUDIT_NESTED_ARCHIVE,
                    "This archive member is itself a zip archive; nested archives are not "
                    "opened (extract it and audit it separately).",
                )
            total += len(chunk)
            if total > cap:
                if cap == info.file_size:
                    why = f"it declares {info.file_size:,} bytes but expands to more"
                else:
                    why = f"it expands past the limit of {limits.max_bytes:,} bytes (max_bytes)"
                return _bomb(source, f"This archive member is not read: {why}.")
            digest.update(chunk)
            parts.append(chunk)
    return InputDocument(source, b"".join(parts), digest.hexdigest())


# --- helpers ----------------------------------------------------------------------------------


def _open_regular(path: Path, source: str) -> BinaryIO | InputProblem:
    """Open a regular file without following a link or blocking on a fifo."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EMLINK):  # O_NOFOLLOW met a link
            return _symlink(source)
        if isinstance(exc, FileNotFoundError | NotADirectoryError):
            return InputProblem(source, INPUT_NOT_FOUND, "This file no longer exists.")
        return _unreadable(source, "file", exc)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):
            return os.fdopen(fd, "rb")
    except OSError as exc:
        os.close(fd)
        return _unreadable(source, "file", exc)
    os.close(fd)
    return _not_a_file(source)


def _real_path(path: str) -> str:
    return os.path.realpath(path)


def _is_within(path: str, root_real: str) -> bool:
    real = _real_path(path)
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def _order(item: InputRef | InputProblem) -> tuple[str, int, str]:
    if isinstance(item, InputRef):
        return (item.source, 0, item.member or "")
    return (item.source, 1, item.code)


def _symlink(source: str) -> InputProblem:
    return InputProblem(
        source,
        AUDIT_SYMLINK_SKIPPED,
        "This is a symbolic link; links are never followed, so what it points to is not read.",
    )


def _not_a_file(source: str) -> InputProblem:
    return InputProblem(
        source,
        AUDIT_NOT_A_FILE,
        "This is not a regular file (a fifo, socket or device), so it is not opened.",
    )


def _outside(source: str) -> InputProblem:
    return InputProblem(
        source,
        AUDIT_PATH_OUTSIDE_INPUT,
        "This path resolves to a place outside the input folder, so it is not read.",
    )


def _too_large(source: str, size: int, max_bytes: int) -> InputProblem:
    return InputProblem(
        source,
        INPUT_TOO_LARGE,
        f"The file is {size:,} bytes, over the limit of {max_bytes:,} bytes (max_bytes).",
    )


def _bomb(source: str, detail: str) -> InputProblem:
    return InputProblem(source, AUDIT_ZIP_BOMB, f"Refused as a possible zip bomb. {detail}")


def _unreadable(source: str, kind: str, exc: OSError) -> InputProblem:
    return InputProblem(
        source, INPUT_UNREADABLE, f"This {kind} cannot be read ({exc.strerror or exc})."
    )


def _archive_unreadable(source: str, exc: BaseException, *, member: bool = False) -> InputProblem:
    what = "This archive member (or its archive)" if member else "The zip archive"
    return InputProblem(
        source,
        AUDIT_ARCHIVE_UNREADABLE,
        f"{what} is corrupt or truncated and cannot be read ({type(exc).__name__}).",
    )
