"""Content-addressed image files: ``<images_dir>/ab/cd/<sha256>``.

The sha256 names the file, so the same upload is stored once however often it is scanned, and a
file name never carries a name or a document number. Writes go to a temporary file in the same
folder and are moved into place with :func:`os.replace`, so a reader never sees half an image.
Folders and files are private to the service's user (0700 / 0600): they hold identity documents.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_SHA256 = re.compile(r"[0-9a-f]{64}", re.ASCII)


def is_sha256(value: str) -> bool:
    """Whether ``value`` is a lower-case hex sha256 (and so safe to use as a file name).

    >>> is_sha256("ab" * 32), is_sha256("../etc/passwd"), is_sha256("AB" * 32)
    (True, False, False)
    """
    return isinstance(value, str) and _SHA256.fullmatch(value) is not None


def image_path(images_dir: Path, sha256: str) -> Path:
    """Where the image with this sha256 lives.

    Two levels of two hex characters keep each folder small (at most 256 entries per level).

    Raises:
        ValueError: ``sha256`` is not 64 lower-case hex characters (it would escape the folder).
    """
    if not is_sha256(sha256):
        raise ValueError("not a lower-case hex sha256")
    return images_dir / sha256[:2] / sha256[2:4] / sha256


def write_image(images_dir: Path, sha256: str, data: bytes) -> Path:
    """Write ``data`` to its place atomically, replacing any file already there.

    Returns:
        The path of the stored file.
    """
    path = image_path(images_dir, sha256)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as tmp:
            tmp.write(data)
            tmp.flush()
            os.fsync(tmp.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise
    return path


def read_image(images_dir: Path, sha256: str) -> bytes | None:
    """The stored bytes, or None when the sha256 is malformed or no such file exists."""
    if not is_sha256(sha256):
        return None
    try:
        return image_path(images_dir, sha256).read_bytes()
    except FileNotFoundError:
        return None


def delete_image(images_dir: Path, sha256: str) -> bool:
    """Remove the file; True when there was one. Empty shard folders are left (they are reused)."""
    try:
        image_path(images_dir, sha256).unlink()
    except FileNotFoundError:
        return False
    return True
