"""Tests for docfraud.audit.inputs: walking folders and zip archives of hostile material."""

from __future__ import annotations

import doctest
import hashlib
import io
import json
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import docfraud.audit.inputs as inputs_module
from docfraud.audit.inputs import (
    AUDIT_ARCHIVE_ENCRYPTED,
    AUDIT_ARCHIVE_MEMBER_UNSAFE,
    AUDIT_ARCHIVE_UNREADABLE,
    AUDIT_NESTED_ARCHIVE,
    AUDIT_NOT_A_FILE,
    AUDIT_PATH_OUTSIDE_INPUT,
    AUDIT_SYMLINK_SKIPPED,
    AUDIT_ZIP_BOMB,
    ArchiveLimits,
    InputDocument,
    InputProblem,
    InputRef,
    list_inputs,
    read_input,
)
from docfraud.errors import CONFIG_INVALID, INPUT_NOT_FOUND, INPUT_TOO_LARGE, ConfigError
from docfraud.imaging.load import DecodeLimits

Item = InputRef | InputProblem
DEFAULT_LIMITS = DecodeLimits()


def _zip(entries: list[tuple[str | zipfile.ZipInfo, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def _patch_central(data: bytes, name: bytes, offset: int, fmt: str, value: int) -> bytes:
    """Overwrite one field of the central directory entry for ``name``."""
    at = data.index(b"PK\x01\x02")
    while data[at + 46 : at + 46 + len(name)] != name:
        at = data.index(b"PK\x01\x02", at + 4)
    patched = bytearray(data)
    struct.pack_into(fmt, patched, at + offset, value)
    return bytes(patched)


def _by_source(items: list[Item]) -> dict[str, Item]:
    return {item.source: item for item in items}


def _codes(items: list[Item]) -> dict[str, str]:
    return {item.source: item.code for item in items if isinstance(item, InputProblem)}


def _read(ref: Item, limits: DecodeLimits = DEFAULT_LIMITS) -> InputDocument | InputProblem:
    assert isinstance(ref, InputRef), ref
    return read_input(ref, limits)


def test_doctests() -> None:
    assert doctest.testmod(inputs_module).failed == 0


# --- folders ----------------------------------------------------------------------------------


def test_nested_folders_sorted_stable_sources_and_sha256(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "seized" / "box1" / "deep").mkdir(parents=True)
    (tmp_path / "seized" / "b.jpg").write_bytes(b"bbb")
    (tmp_path / "seized" / "box1" / "a.pdf").write_bytes(b"%PDF-1.7 a")
    (tmp_path / "seized" / "box1" / "deep" / "notes.txt").write_bytes(b"")
    monkeypatch.chdir(tmp_path)

    items = list_inputs(["seized"])

    assert [item.source for item in items] == [
        "seized/b.jpg",
        "seized/box1/a.pdf",
        "seized/box1/deep/notes.txt",
    ]
    assert all(isinstance(item, InputRef) and item.member is None for item in items)
    assert items[0] == InputRef("seized/b.jpg", tmp_path / "seized" / "b.jpg", None, 3)
    assert list_inputs(["seized/"]) == items  # stable across runs and spellings
    document = _read(items[1])
    assert document == InputDocument(
        "seized/box1/a.pdf", b"%PDF-1.7 a", hashlib.sha256(b"%PDF-1.7 a").hexdigest()
    )
    assert _read(items[2]) == InputDocument(
        "seized/box1/deep/notes.txt", b"", hashlib.sha256(b"").hexdigest()
    )


def test_several_inputs_are_merged_sorted_and_deduplicated(tmp_path: Path) -> None:
    (tmp_path / "z.jpg").write_bytes(b"z")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.jpg").write_bytes(b"a")
    z, d = str(tmp_path / "z.jpg"), str(tmp_path / "d")

    items = list_inputs([z, d, Path(z)])

    assert [item.source for item in items] == [f"{d}/a.jpg", z]


def test_symlinks_are_reported_never_followed_and_the_walk_ends(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.jpg").write_bytes(b"secret")
    root = tmp_path / "in"
    root.mkdir()
    (root / "real.jpg").write_bytes(b"real")
    sub = root / "sub"
    sub.mkdir()
    (root / "to_file").symlink_to(outside / "secret.jpg")
    (root / "to_dir").symlink_to(outside)
    (root / "a").symlink_to(root / "b")
    (root / "b").symlink_to(root / "a")
    (sub / "up").symlink_to("..")
    (root / "dangling").symlink_to(tmp_path / "missing")

    items = list_inputs([root])

    s = str(root)
    assert _codes(items) == {
        f"{s}/to_file": AUDIT_SYMLINK_SKIPPED,
        f"{s}/to_dir": AUDIT_SYMLINK_SKIPPED,
        f"{s}/a": AUDIT_SYMLINK_SKIPPED,
        f"{s}/b": AUDIT_SYMLINK_SKIPPED,
        f"{s}/sub/up": AUDIT_SYMLINK_SKIPPED,
        f"{s}/dangling": AUDIT_SYMLINK_SKIPPED,
    }
    refs = [item for item in items if isinstance(item, InputRef)]
    assert [ref.source for ref in refs] == [f"{s}/real.jpg"]


def test_an_input_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "p.jpg").write_bytes(b"p")
    (tmp_path / "file.jpg").write_bytes(b"f")
    (tmp_path / "link_dir").symlink_to(tmp_path / "dir")
    (tmp_path / "link_file").symlink_to(tmp_path / "file.jpg")
    link_dir, link_file = str(tmp_path / "link_dir"), str(tmp_path / "link_file")

    items = list_inputs([link_dir + "/", link_file])

    assert _codes(items) == {link_dir: AUDIT_SYMLINK_SKIPPED, link_file: AUDIT_SYMLINK_SKIPPED}


def test_a_file_that_became_a_symlink_after_listing_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "secret").write_bytes(b"secret")
    (tmp_path / "p.jpg").write_bytes(b"p")
    [ref] = list_inputs([tmp_path / "p.jpg"])
    (tmp_path / "p.jpg").unlink()
    (tmp_path / "p.jpg").symlink_to(tmp_path / "secret")

    result = _read(ref)

    assert isinstance(result, InputProblem) and result.code == AUDIT_SYMLINK_SKIPPED


def test_fifo_is_not_a_file_and_never_opened(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    fifo = str(tmp_path / "pipe")

    assert _codes(list_inputs([tmp_path])) == {fifo: AUDIT_NOT_A_FILE}
    assert _codes(list_inputs([fifo])) == {fifo: AUDIT_NOT_A_FILE}
    # A ref forged to point at the fifo is refused by read_input without blocking.
    result = read_input(InputRef(fifo, tmp_path / "pipe"))
    assert isinstance(result, InputProblem) and result.code == AUDIT_NOT_A_FILE


def test_missing_input_is_not_found(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope")

    assert list_inputs([missing]) == [
        InputProblem(missing, INPUT_NOT_FOUND, "Nothing exists at this path.")
    ]


def test_a_path_resolving_outside_the_input_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Links are never followed, so only a race or a mount trick can get here: simulate it.
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "p.jpg").write_bytes(b"p")
    real = inputs_module._real_path
    monkeypatch.setattr(
        inputs_module,
        "_real_path",
        lambda path: "/etc/passwd" if path.endswith("p.jpg") else real(path),
    )

    assert _codes(list_inputs([tmp_path / "in"])) == {
        f"{tmp_path}/in/p.jpg": AUDIT_PATH_OUTSIDE_INPUT
    }


def _codes_as_nobody(root: Path) -> dict[str, str]:
    """list_inputs run by an unprivileged user: root reads files whatever their permissions, so
    a root test process forks a child that drops to uid/gid 65534 first."""
    if os.geteuid() != 0:
        return _codes(list_inputs([root]))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, list, report, exit without running pytest's teardown
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.write(write_end, json.dumps(_codes(list_inputs([root]))).encode())
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as answer:
        data = answer.read()
    os.waitpid(pid, 0)
    codes: dict[str, str] = json.loads(data)
    return codes


def test_unreadable_file_and_folder() -> None:
    root = Path(tempfile.mkdtemp(prefix="docfraud-unreadable-"))  # not under root's 0700 tmp
    try:
        os.chmod(root, 0o755)
        (root / "locked").mkdir()
        (root / "secret.jpg").write_bytes(b"s")
        os.chmod(root / "secret.jpg", 0)
        os.chmod(root / "locked", 0)
        codes = _codes_as_nobody(root)
    finally:
        os.chmod(root / "locked", 0o700)
        shutil.rmtree(root)
    assert codes == {
        f"{root}/locked": "INPUT.UNREADABLE",
        f"{root}/secret.jpg": "INPUT.UNREADABLE",
    }


def test_file_over_max_bytes_is_too_large(tmp_path: Path) -> None:
    (tmp_path / "big.jpg").write_bytes(b"x" * 101)
    (tmp_path / "ok.jpg").write_bytes(b"x" * 100)
    limits = DecodeLimits(max_bytes=100)

    items = list_inputs([tmp_path], limits)

    assert _codes(items) == {f"{tmp_path}/big.jpg": INPUT_TOO_LARGE}
    ok = _by_source(items)[f"{tmp_path}/ok.jpg"]
    (tmp_path / "ok.jpg").write_bytes(b"x" * 1000)  # grew after listing
    result = _read(ok, limits)
    assert isinstance(result, InputProblem) and result.code == INPUT_TOO_LARGE


# --- zip archives -----------------------------------------------------------------------------


def test_zip_members_are_listed_and_read(tmp_path: Path) -> None:
    data = _zip([("scans/p.jpg", b"jpeg"), ("scans/", b""), ("q.pdf", b"%PDF")])
    (tmp_path / "a.bin").write_bytes(data)  # recognised by content, not extension
    archive = str(tmp_path / "a.bin")

    items = list_inputs([archive])

    assert items == [
        InputRef(f"{archive}!q.pdf", Path(archive), "q.pdf", 4),
        InputRef(f"{archive}!scans/p.jpg", Path(archive), "scans/p.jpg", 4),
    ]
    assert _read(items[1]) == InputDocument(
        f"{archive}!scans/p.jpg", b"jpeg", hashlib.sha256(b"jpeg").hexdigest()
    )


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
def test_hostile_zip_members_are_reported(tmp_path: Path) -> None:
    link = zipfile.ZipInfo("link.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    inner = _zip([("x.jpg", b"x")])
    data = _zip(
        [
            ("ok.jpg", b"ok"),
            ("../evil.jpg", b"evil"),
            ("/etc/x", b"x"),
            ("C:/win.jpg", b"w"),
            ("a\\..\\..\\b.jpg", b"b"),
            (link, b"/etc/passwd"),
            ("inner.zip", inner),
            ("locked.jpg", b"secret"),
            ("twice.jpg", b"1"),
            ("twice.jpg", b"2"),
        ]
    )
    data = _patch_central(data, b"locked.jpg", 8, "<H", 0x1)  # the encrypted flag bit
    (tmp_path / "a.zip").write_bytes(data)
    a = str(tmp_path / "a.zip")

    items = list_inputs([tmp_path])

    assert _codes(items) == {
        f"{a}!#2": AUDIT_ARCHIVE_MEMBER_UNSAFE,
        f"{a}!#3": AUDIT_ARCHIVE_MEMBER_UNSAFE,
        f"{a}!#4": AUDIT_ARCHIVE_MEMBER_UNSAFE,
        f"{a}!#5": AUDIT_ARCHIVE_MEMBER_UNSAFE,
        f"{a}!link.jpg": AUDIT_ARCHIVE_MEMBER_UNSAFE,
        f"{a}!locked.jpg": AUDIT_ARCHIVE_ENCRYPTED,
        f"{a}!twice.jpg": AUDIT_ARCHIVE_MEMBER_UNSAFE,
    }
    by_source = _by_source(items)
    evil = by_source[f"{a}!#2"]
    assert isinstance(evil, InputProblem) and "'../evil.jpg'" in evil.message
    assert _read(by_source[f"{a}!ok.jpg"]) == InputDocument(
        f"{a}!ok.jpg", b"ok", hashlib.sha256(b"ok").hexdigest()
    )
    nested = _read(by_source[f"{a}!inner.zip"])
    assert isinstance(nested, InputProblem) and nested.code == AUDIT_NESTED_ARCHIVE
    # A ref forged for an unsafe member is refused at read time too.
    forged = read_input(InputRef(f"{a}!../evil.jpg", Path(a), "../evil.jpg"))
    assert isinstance(forged, InputProblem) and forged.code == AUDIT_ARCHIVE_MEMBER_UNSAFE


def test_zip_bomb_member_is_refused_by_ratio(tmp_path: Path) -> None:
    (tmp_path / "bomb.zip").write_bytes(_zip([("zeros.bmp", bytes(50_000_000)), ("p.jpg", b"p")]))
    bomb = str(tmp_path / "bomb.zip")

    items = list_inputs([bomb])

    assert _codes(items) == {f"{bomb}!zeros.bmp": AUDIT_ZIP_BOMB}
    problem = _by_source(items)[f"{bomb}!zeros.bmp"]
    assert isinstance(problem, InputProblem) and "(max_ratio)" in problem.message
    assert f"{bomb}!p.jpg" in _by_source(items)


def test_archive_limits_refuse_the_whole_archive(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(_zip([("1.jpg", b"1" * 10), ("2.jpg", b"2" * 10)]))
    a = str(tmp_path / "a.zip")

    def refused(limits: ArchiveLimits) -> str:
        [problem] = list_inputs([a], archive_limits=limits)
        assert isinstance(problem, InputProblem) and problem.code == AUDIT_ZIP_BOMB
        assert problem.source == a
        return problem.message

    assert "(max_members)" in refused(ArchiveLimits(max_members=1))
    assert "(max_total_bytes)" in refused(ArchiveLimits(max_total_bytes=19))
    [one, two] = list_inputs([a], DecodeLimits(max_bytes=9))
    assert isinstance(one, InputProblem) and isinstance(two, InputProblem)
    assert one.code == two.code == AUDIT_ZIP_BOMB and "(max_bytes)" in one.message


def test_bloated_central_directory_is_refused_before_parsing(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(_zip([(f"{i:04}.jpg", b"") for i in range(50)]))

    [problem] = list_inputs([tmp_path / "a.zip"], archive_limits=ArchiveLimits(max_members=1))

    assert isinstance(problem, InputProblem) and problem.code == AUDIT_ZIP_BOMB
    assert "central directory" in problem.message


@pytest.mark.parametrize("keep", [4, 30, -10])
def test_truncated_zip_is_unreadable(tmp_path: Path, keep: int) -> None:
    (tmp_path / "cut.zip").write_bytes(_zip([("p.jpg", b"p" * 100)])[:keep])
    cut = str(tmp_path / "cut.zip")

    [problem] = list_inputs([cut])

    assert isinstance(problem, InputProblem)
    assert (problem.source, problem.code) == (cut, AUDIT_ARCHIVE_UNREADABLE)


def test_lying_size_header_never_inflates_the_read(tmp_path: Path) -> None:
    real = b"A" * 1000
    data = _patch_central(_zip([("p.jpg", real)]), b"p.jpg", 24, "<I", 10)  # declares 10 bytes
    (tmp_path / "lie.zip").write_bytes(data)

    [ref] = list_inputs([tmp_path / "lie.zip"])
    assert isinstance(ref, InputRef) and ref.size == 10
    result = read_input(ref)

    assert isinstance(result, InputProblem)
    assert result.code in (AUDIT_ZIP_BOMB, AUDIT_ARCHIVE_UNREADABLE)


def test_member_read_never_exceeds_max_bytes(tmp_path: Path) -> None:
    (tmp_path / "a.zip").write_bytes(_zip([("p.jpg", b"x" * 1000)]))
    [ref] = list_inputs([tmp_path / "a.zip"])

    result = _read(ref, DecodeLimits(max_bytes=100))

    assert isinstance(result, InputProblem) and result.code == AUDIT_ZIP_BOMB


def test_read_size_check_catches_a_member_longer_than_declared(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # zipfile stops at the declared size itself; check our own guard by hiding that.
    (tmp_path / "a.zip").write_bytes(_zip([("p.jpg", b"x" * 1000)]))
    [ref] = list_inputs([tmp_path / "a.zip"])
    assert isinstance(ref, InputRef)
    real_getinfo = zipfile.ZipFile.getinfo

    def shrunk(self: zipfile.ZipFile, name: str) -> zipfile.ZipInfo:
        info = real_getinfo(self, name)
        lying = zipfile.ZipInfo(info.filename)
        for attr in ("compress_type", "compress_size", "CRC", "header_offset", "flag_bits"):
            setattr(lying, attr, getattr(info, attr))
        lying.file_size = 10
        return lying

    monkeypatch.setattr(zipfile.ZipFile, "getinfo", shrunk)
    monkeypatch.setattr(zipfile.ZipExtFile, "_update_crc", lambda self, data: None)
    monkeypatch.setattr(zipfile.ZipExtFile, "read", lambda self, n=-1: b"x" * n)

    result = read_input(ref)

    assert isinstance(result, InputProblem) and result.code == AUDIT_ZIP_BOMB
    assert "declares 10 bytes" in result.message


def test_archive_limits_are_validated() -> None:
    with pytest.raises(ConfigError) as info:
        ArchiveLimits(max_ratio=0)
    assert info.value.code == CONFIG_INVALID


_DRIVE = re.compile(r"^[A-Za-z]:")


@pytest.mark.filterwarnings("ignore:Duplicate name:UserWarning")
@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=30), min_size=1, max_size=4))
def test_arbitrary_member_names_never_raise_nor_escape(names: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        archive = os.path.join(tmp, "a.zip")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as zf:
            for name in names:
                zf.writestr(zipfile.ZipInfo(name), b"x")
        Path(archive).write_bytes(buffer.getvalue())

        items = list_inputs([archive])

        for item in items:
            head, bang, inside = item.source.partition("!")
            assert head == archive and bang == "!"
            assert not inside.startswith(("/", "\\")) and not _DRIVE.match(inside)
            assert ".." not in re.split(r"[/\\]", inside)
            if isinstance(item, InputRef):
                assert item.member == inside
                assert _read(item) == InputDocument(
                    item.source, b"x", hashlib.sha256(b"x").hexdigest()
                )
