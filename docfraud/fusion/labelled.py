"""Labelled real documents: the folder through which analysts feed confirmed cases back into
training (``train.py --labelled DIR``).

Generated documents teach the models what forgeries look like; they cannot teach what this
site's genuine documents and this season's forgeries look like. Confirmed cases can: the fusion
learns from their findings next to the generated pages', and is evaluated on the confirmed
cases it was not fitted on. ``DIR/labels.csv`` has a header and one row per document::

    file,label,page,scan_date,note
    2026-114/front.jpg,forged,,2026-03-02,portrait replaced (case 2026-114)
    2026-114/bundle.pdf,genuine,2,,
    reference/nld-0007.png,genuine,,,

- ``file``: the image or PDF, relative to DIR (no absolute paths, no ``..``, no symlinks);
- ``label``: ``genuine`` or ``forged`` (as confirmed by an examiner, not as docfraud judged it);
- ``page`` (optional): the 1-based page of a multi-page file the label is for; empty: every page;
- ``scan_date`` (optional, YYYY-MM-DD): when the document was examined, so that "expired" is
  judged as it was then; empty: the training's fixed scan date (kept fixed so that training is
  reproducible);
- ``note`` (optional): free text for the analyst; other columns are ignored.

A file's content decides its split (a quarter of the documents, by sha256, are held out for
evaluation), so a renamed file stays where it was. Every bad row is reported with its line
number and nothing is trained: a model fitted on part of what the analyst meant is worse than
none.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from docfraud.errors import CONFIG_LABELS_INVALID, ConfigError

LABELS_FILE = "labels.csv"
LABELS = ("genuine", "forged")
REQUIRED_COLUMNS = ("file", "label")
HELD_OUT_EVERY = 4
"""A document is held out when the first byte of its sha256 is divisible by this."""
MAX_REPORTED = 20


@dataclass(frozen=True, slots=True)
class LabelledDocument:
    path: Path
    label: str
    page: int | None
    """0-based page the label is for; None: every page."""
    scan_date: date | None
    sha256: str
    line: int

    @property
    def held_out(self) -> bool:
        return int(self.sha256[:2], 16) % HELD_OUT_EVERY == 0


@dataclass(frozen=True, slots=True)
class LabelledSet:
    root: Path
    documents: tuple[LabelledDocument, ...]
    labels_sha256: str

    def summary(self) -> dict[str, object]:
        """What the model card records of the set (no file names: they may name people)."""
        held = [d for d in self.documents if d.held_out]
        return {
            "labels_sha256": self.labels_sha256,
            "documents": len(self.documents),
            "forged": sum(d.label == "forged" for d in self.documents),
            "held_out": len(held),
        }


def read_labelled(root: Path) -> LabelledSet:
    """The documents listed in ``root/labels.csv``; a :class:`ConfigError`
    (``CONFIG.LABELS_INVALID``) naming every bad row by line when any row is bad."""
    labels = root / LABELS_FILE
    try:
        raw = labels.read_bytes()
        text = raw.decode("utf-8-sig")
    except OSError as err:
        raise ConfigError(CONFIG_LABELS_INVALID, f"cannot read {labels}: {err}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(CONFIG_LABELS_INVALID, f"{labels} is not UTF-8 text: {err}") from err
    reader = csv.DictReader(text.splitlines(), strict=True)
    columns = [c.strip() for c in reader.fieldnames or ()]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise ConfigError(
            CONFIG_LABELS_INVALID,
            f"{labels} needs a header line with the columns {', '.join(REQUIRED_COLUMNS)} "
            f"(missing: {', '.join(missing)})",
        )
    reader.fieldnames = columns
    documents: list[LabelledDocument] = []
    problems: list[str] = []
    seen: dict[tuple[str, int | None], int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
                continue
            parsed = _document(root, row, line)
            if isinstance(parsed, str):
                problems.append(f"line {line}: {parsed}")
                continue
            key = (parsed.sha256, parsed.page)
            if key in seen:
                problems.append(f"line {line}: the same document and page as line {seen[key]}")
                continue
            seen[key] = line
            documents.append(parsed)
    except csv.Error as err:
        problems.append(f"line {reader.line_num}: not readable as CSV ({err})")
    if problems:
        shown = problems[:MAX_REPORTED]
        more = len(problems) - len(shown)
        raise ConfigError(
            CONFIG_LABELS_INVALID,
            f"{labels} has {len(problems)} bad row(s); nothing was trained:\n  "
            + "\n  ".join(shown)
            + (f"\n  … and {more} more" if more else ""),
        )
    if not documents:
        raise ConfigError(CONFIG_LABELS_INVALID, f"{labels} lists no documents")
    return LabelledSet(root, tuple(documents), hashlib.sha256(raw).hexdigest())


def _document(root: Path, row: dict[str, str | None], line: int) -> LabelledDocument | str:
    name = (row.get("file") or "").strip()
    label = (row.get("label") or "").strip().lower()
    page_text = (row.get("page") or "").strip()
    date_text = (row.get("scan_date") or "").strip()
    if not name:
        return "no file named"
    if label not in LABELS:
        return f"label {label!r} is not one of {', '.join(LABELS)}"
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts:
        return f"file {name!r} must be a path inside {root} (no absolute path, no '..')"
    path = root / relative
    if any(p.is_symlink() for p in _chain(root, relative)):
        return f"file {name!r} is or passes through a symbolic link"
    if not path.is_file():
        return f"file {name!r} does not exist in {root}"
    page: int | None = None
    if page_text:
        if not page_text.isdigit() or int(page_text) < 1:
            return f"page {page_text!r} is not a page number (1, 2, …)"
        page = int(page_text) - 1
    scan_date: date | None = None
    if date_text:
        try:
            scan_date = date.fromisoformat(date_text)
        except ValueError:
            return f"scan_date {date_text!r} is not a date (YYYY-MM-DD)"
    try:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as err:
        return f"file {name!r} cannot be read ({err.strerror or err})"
    return LabelledDocument(path, label, page, scan_date, sha256, line)


def _chain(root: Path, relative: Path) -> Sequence[Path]:
    """Every path from ``root`` down to ``root/relative``."""
    out, current = [], root
    for part in relative.parts:
        current = current / part
        out.append(current)
    return out
