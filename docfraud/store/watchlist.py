"""The stop-list: lost, stolen and known-fraudulent documents, and the findings a hit gives.

A list is imported from CSV (:func:`import_csv`, ``docfraud watchlist import FILE.csv``) into the
store's ``watchlist`` table and consulted through a :class:`WatchlistSource`: any object with
``lookup(issuing_state, document_number)``. :class:`StoreWatchlist` reads the table; a national
system (Interpol's SLTD through a national gateway, a border-police database) is reached by the
operator's own adapter, never by docfraud itself. To plug one in, set::

    DOCFRAUD_WATCHLIST_ADAPTER="mypackage.sltd:create_source"

where ``create_source(settings, store)`` returns the adapter (it may consult the national system
and ``StoreWatchlist(store)`` both); :func:`load_watchlist` imports and calls it.

:func:`watchlist_findings` turns the hits of one analysed page (its report dict, as
:func:`docfraud.report.json.analysis_to_dict` gives it) into ``WATCHLIST.HIT`` findings, and
:func:`apply_findings` adds findings to the page and recomputes its verdict by the rule of
:mod:`docfraud.fusion.verdict`.

A page's portrait is compared with the listed portraits too (``WATCHLIST.PORTRAIT_HIT``), when the
source can list them (:class:`PortraitWatchlistSource`: the store can; an adapter may) and the
listed ``portrait_hash`` is docfraud's own (:data:`PORTRAIT_HASH_HEX` hex digits, what a report's
``portrait.hash`` holds).

CSV format: a header row naming at least ``issuing_state``, ``document_number`` and ``status``
(optionally ``portrait_hash``, ``note``, ``listed_on``; other columns are ignored), separated by
commas, semicolons or tabs; UTF-8, with or without a byte-order mark::

    issuing_state,document_number,status,listed_on,note
    UTO,X4R7215K0,stolen,2026-03-01,reported by the holder
"""

from __future__ import annotations

import csv
import importlib
import itertools
import logging
import operator
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import numpy as np

from docfraud.errors import CONFIG_INVALID, INPUT_NOT_FOUND, ConfigError, InputError
from docfraud.fusion.model import Fusion
from docfraud.fusion.verdict import decide, default_fusion
from docfraud.imaging.portrait import HASH_BYTES
from docfraud.store.db import (
    WATCHLIST_HASH_MAX_CHARS,
    WATCHLIST_NUMBER_MAX_CHARS,
    WATCHLIST_SOURCE_MAX_CHARS,
    WATCHLIST_STATUSES,
    Store,
    WatchlistEntry,
)
from docfraud.store.numbers import number_key
from docfraud.types import Finding, Severity

if TYPE_CHECKING:
    from docfraud.config import Settings

__all__ = [
    "HIT",
    "PORTRAIT_HIT",
    "UNAVAILABLE",
    "BadRow",
    "ImportReport",
    "PortraitWatchlistSource",
    "StoreWatchlist",
    "WatchlistEntry",
    "WatchlistSource",
    "apply_findings",
    "import_csv",
    "load_watchlist",
    "normalise_document_number",
    "normalise_issuing_state",
    "watchlist_findings",
]

logger = logging.getLogger(__name__)

HIT = "WATCHLIST.HIT"
PORTRAIT_HIT = "WATCHLIST.PORTRAIT_HIT"
PORTRAIT_HASH_HEX = 2 * HASH_BYTES
"""Hex digits of the portrait hash docfraud writes (``portrait.hash`` in a report: the head's
256-bit DCT hash, :func:`docfraud.imaging.portrait.portrait_hash`). Listed hashes of another
length are some other scheme: stored for the operator's adapter, never compared here."""
PORTRAIT_HASH_MAX_BITS = 40
"""A page's portrait hash this close to a listed one (differing bits of 256) is the listed photo.
On a generated seizure (1,000 documents, 635 portraits) no pair of different faces came within
40 bits (the closest: 50) while 11 % of one photo printed on two documents did: a hash hit is
rare, and then it is evidence, not a resemblance."""
UNAVAILABLE = "WATCHLIST.UNAVAILABLE"
WATCHLIST_BAD_FILE = "WATCHLIST.BAD_FILE"
WATCHLIST_TOO_LARGE = "WATCHLIST.TOO_LARGE"

MAX_FILE_BYTES = 200 * 1024 * 1024
"""Largest list file imported (bytes); checked before reading."""
MAX_REPORTED_BAD_ROWS = 1000
"""Bad rows listed one by one in an :class:`ImportReport`; the rest are only counted."""
NOTE_MAX_CHARS = 1000
REQUIRED_COLUMNS = ("issuing_state", "document_number", "status")
OPTIONAL_COLUMNS = ("portrait_hash", "note", "listed_on")
DELIMITERS = (",", ";", "\t")

_STATE = re.compile(r"[A-Z]{3}|D")  # ICAO codes: three letters, and Germany's D (Doc 9303 Part 3)
_NUMBER = re.compile(r"[A-Z0-9]+")
_HASH = re.compile(r"(?:[0-9a-f]{2}){8,64}")
_SPACE = re.compile(r"\s+")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")  # bytes that are not UTF-8, as surrogateescape keeps them
_STATUS_PHRASES = {
    "lost": "lost",
    "stolen": "stolen",
    "stolen_blank": "a stolen blank",
    "revoked": "revoked",
    "invalidated": "invalidated",
    "fraudulent": "fraudulent",
}


# --- the pluggable source -----------------------------------------------------------------------


@runtime_checkable
class WatchlistSource(Protocol):
    """Where stop-list entries come from: the store, or an operator's adapter."""

    def lookup(self, issuing_state: str, document_number: str) -> list[WatchlistEntry]:
        """Every entry of the document; empty when it is on no list.

        Args:
            issuing_state: as the MRZ gives it (``UTO``; ``D`` for Germany), maybe unnormalised.
            document_number: as read (``x4r 7215k0`` is ``X4R7215K0``), maybe unnormalised.

        Raises:
            Exception: when the list cannot be consulted (:func:`watchlist_findings` reports
                ``WATCHLIST.UNAVAILABLE`` instead of a silent miss).
        """
        ...


@runtime_checkable
class PortraitWatchlistSource(Protocol):
    """A source that can also list its entries' portraits (optional for an adapter)."""

    def portrait_entries(self) -> list[WatchlistEntry]:
        """Every entry with a ``portrait_hash``.

        Raises:
            Exception: when the list cannot be consulted (reported as ``WATCHLIST.UNAVAILABLE``).
        """
        ...


class StoreWatchlist:
    """The default source: the entries imported into the store's ``watchlist`` table."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._portraits: tuple[tuple[int, datetime | None], PortraitIndex] | None = None

    def portrait_entries(self) -> list[WatchlistEntry]:
        return self._store.watchlist_portraits()

    def portrait_index(self) -> PortraitIndex:
        """The listed portraits, read again only when the table's portrait rows changed: a page
        then costs one aggregate query instead of a read of the whole list. Two threads may both
        rebuild after an import; either result is the same."""
        version = self._store.watchlist_portraits_version()
        cached = self._portraits
        if cached is None or cached[0] != version:
            cached = (version, PortraitIndex(self._store.watchlist_portraits()))
            self._portraits = cached
        return cached[1]

    def lookup(self, issuing_state: str, document_number: str) -> list[WatchlistEntry]:
        state = normalise_issuing_state(issuing_state)
        number = normalise_document_number(document_number)
        if not state or not number:
            return []
        return self._store.find_watchlist(state, number)


def load_watchlist(settings: Settings, store: Store) -> WatchlistSource:
    """The configured source: ``DOCFRAUD_WATCHLIST_ADAPTER``'s factory, else the store's table.

    Args:
        settings: ``watchlist_adapter`` is ``"package.module:factory"`` (the factory may be a
            class or a dotted attribute, ``module:Class.create``) or None.
        store: passed to the factory, which may wrap :class:`StoreWatchlist` around it.

    Raises:
        ConfigError: ``CONFIG.INVALID`` when the path is malformed, cannot be imported, or the
            factory returns an object without a ``lookup`` method.
    """
    spec = settings.watchlist_adapter
    if not spec:
        return StoreWatchlist(store)
    module_name, _, attribute = spec.strip().partition(":")
    if not module_name or not attribute:
        raise ConfigError(
            CONFIG_INVALID, f"DOCFRAUD_WATCHLIST_ADAPTER must be 'package.module:factory': {spec!r}"
        )
    try:
        factory = operator.attrgetter(attribute)(importlib.import_module(module_name))
    except (ImportError, AttributeError) as error:
        raise ConfigError(
            CONFIG_INVALID, f"cannot load the stop-list adapter {spec!r}: {error}"
        ) from error
    try:
        source = factory(settings, store)
    except Exception as error:  # the operator's code: whatever it raises, the setting is wrong
        raise ConfigError(
            CONFIG_INVALID,
            f"the stop-list adapter {spec!r} failed to start: {type(error).__name__}: {error}",
        ) from error
    if not isinstance(source, WatchlistSource):
        raise ConfigError(
            CONFIG_INVALID, f"the stop-list adapter {spec!r} returned an object without lookup()"
        )
    logger.info("stop-list: adapter %s", spec)
    return source


# --- normalisation ------------------------------------------------------------------------------


def normalise_document_number(text: str) -> str:
    """Upper case, without spaces and ``<`` fillers, as the MRZ parser gives it.

    >>> normalise_document_number(" x4r 7215k0<<")
    'X4R7215K0'
    """
    return _SPACE.sub("", text).replace("<", "").upper()


def normalise_issuing_state(text: str) -> str:
    """Upper case, without spaces and ``<`` fillers (``D<<`` is ``D``, as the MRZ parser gives it).

    >>> normalise_issuing_state(" uto"), normalise_issuing_state("D<<")
    ('UTO', 'D')
    """
    return normalise_document_number(text)


# --- import -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that was skipped: its first line in the file (1-based; the header is line 1)."""

    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What :func:`import_csv` did."""

    source: str
    rows: int
    """Data rows read, good and bad (blank lines not counted)."""
    imported: int
    """Entries new to the list."""
    updated: int
    """Entries already listed whose status, date, note or hash changed."""
    unchanged: int
    bad: int
    """Rows skipped."""
    bad_rows: tuple[BadRow, ...]
    """The first :data:`MAX_REPORTED_BAD_ROWS` of them, in file order."""
    ignored_columns: tuple[str, ...] = ()


def import_csv(store: Store, path: Path | str, source: str | None = None) -> ImportReport:
    """Import a stop-list file into the store, skipping and reporting each bad row.

    Good rows are upserted by (issuing state, document number, source), so importing the same
    file again changes nothing, and an updated export updates the entries it still lists
    (entries it no longer lists stay: nothing is delisted by omission). The whole import is
    one transaction.

    Args:
        store: a migrated store.
        path: the CSV file (format in the module docstring); at most :data:`MAX_FILE_BYTES`.
        source: the list's name (default: the file name without its suffix).

    Returns:
        Counts and the bad rows with their line numbers and reasons.

    Raises:
        InputError: ``INPUT.NOT_FOUND`` (no such file), ``WATCHLIST.TOO_LARGE``, or
            ``WATCHLIST.BAD_FILE`` when the file cannot be read or has no header naming the
            required columns (nothing is imported then).
        ConfigError: ``CONFIG.INVALID`` when ``source`` is empty or over 100 characters.
    """
    path = Path(path)
    name = (path.stem if source is None else source).strip()
    if not name or len(name) > WATCHLIST_SOURCE_MAX_CHARS:
        raise ConfigError(
            CONFIG_INVALID, f"a stop-list's name has 1 to {WATCHLIST_SOURCE_MAX_CHARS} characters"
        )
    try:
        if not path.is_file():
            raise InputError(INPUT_NOT_FOUND, f"no stop-list file at {path}")
        size = path.stat().st_size
    except OSError as error:
        raise InputError(WATCHLIST_BAD_FILE, f"cannot read {path}: {error.strerror}") from None
    if size > MAX_FILE_BYTES:
        raise InputError(
            WATCHLIST_TOO_LARGE,
            f"{path} has {size} bytes; a stop-list file has at most {MAX_FILE_BYTES}",
        )
    try:
        # surrogateescape: bytes that are not UTF-8 make that row bad, not the whole file.
        with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as file:
            parser = _Parser(file, name, path)
            counts = store.upsert_watchlist(parser.entries())
    except OSError as error:
        raise InputError(WATCHLIST_BAD_FILE, f"cannot read {path}: {error.strerror}") from None
    logger.info(
        "stop-list %r: %d rows, %d new, %d updated, %d unchanged, %d bad",
        name,
        parser.rows,
        counts.inserted,
        counts.updated,
        counts.unchanged,
        parser.bad,
    )
    return ImportReport(
        source=name,
        rows=parser.rows,
        imported=counts.inserted,
        updated=counts.updated,
        unchanged=counts.unchanged,
        bad=parser.bad,
        bad_rows=tuple(parser.bad_rows),
        ignored_columns=parser.ignored_columns,
    )


class _Parser:
    """Reads the header at once (so a bad file fails before the store is touched), then rows."""

    def __init__(self, file: Any, source: str, path: Path) -> None:
        self.source = source
        self.rows = 0
        self.bad = 0
        self.bad_rows: list[BadRow] = []
        first = file.readline(64 * 1024)
        if not first.strip():
            raise InputError(WATCHLIST_BAD_FILE, f"{path} is empty or starts with a blank line")
        delimiter = next(
            (d for d in DELIMITERS if set(REQUIRED_COLUMNS) <= set(_header(first, d))), None
        )
        if delimiter is None or _NOT_UTF8.search(first):
            raise InputError(
                WATCHLIST_BAD_FILE,
                f"{path} is not a stop-list: its first line must be a CSV header naming "
                f"{', '.join(REQUIRED_COLUMNS)} (UTF-8, separated by commas, semicolons or tabs)",
            )
        self.header = _header(first, delimiter)
        repeated = sorted({c for c in self.header if c and self.header.count(c) > 1})
        if repeated:
            raise InputError(
                WATCHLIST_BAD_FILE, f"{path}: the header repeats {', '.join(repeated)}"
            )
        known = set(REQUIRED_COLUMNS) | set(OPTIONAL_COLUMNS)
        self.ignored_columns = tuple(c for c in self.header if c not in known)
        self._reader = csv.reader(itertools.chain([first], file), delimiter=delimiter)
        next(self._reader)  # the header, read above

    def entries(self) -> Iterator[WatchlistEntry]:
        first_line: dict[tuple[str, str], int] = {}
        while True:
            line = self._reader.line_num + 1
            try:
                values = next(self._reader)
            except StopIteration:
                return
            except csv.Error as error:
                self.rows += 1
                self._reject(line, f"not readable as CSV ({error})")
                continue
            if not any(v.strip() for v in values):
                continue  # a blank line
            self.rows += 1
            entry = self._entry(values, line)
            if isinstance(entry, str):
                self._reject(line, entry)
                continue
            key = (entry.issuing_state, entry.document_number)
            if key in first_line:
                self._reject(
                    line,
                    f"duplicate of line {first_line[key]} (same issuing state and document number)",
                )
                continue
            first_line[key] = line
            yield entry

    def _reject(self, line: int, reason: str) -> None:
        self.bad += 1
        if len(self.bad_rows) < MAX_REPORTED_BAD_ROWS:
            self.bad_rows.append(BadRow(line, reason))

    def _entry(self, values: Sequence[str], line: int) -> WatchlistEntry | str:
        """The row's entry, or why it is bad."""
        if len(values) != len(self.header):
            last = self._reader.line_num
            spans = f" (it runs to line {last}: a quote left open?)" if last > line else ""
            return f"{len(values)} values where the header has {len(self.header)} columns{spans}"
        if any(_NOT_UTF8.search(v) for v in values):
            return "not UTF-8 text"
        row = {c: v.strip() for c, v in zip(self.header, values, strict=True)}
        missing = [c for c in REQUIRED_COLUMNS if not row[c]]
        if missing:
            return f"no {' and no '.join(missing)}"
        state = normalise_issuing_state(row["issuing_state"])
        if not _STATE.fullmatch(state):
            return (
                f"issuing state {_quote(row['issuing_state'])} is not a 3-letter code "
                "(D for Germany)"
            )
        number = normalise_document_number(row["document_number"])
        if not number or not _NUMBER.fullmatch(number):
            return "the document number has characters other than A-Z and 0-9"
        if len(number) > WATCHLIST_NUMBER_MAX_CHARS:
            return f"the document number is over {WATCHLIST_NUMBER_MAX_CHARS} characters"
        status = row["status"].lower()
        if status not in WATCHLIST_STATUSES:
            return (
                f"status {_quote(row['status'])} is not one of {', '.join(sorted(_STATUS_PHRASES))}"
            )
        listed_on = None
        if row.get("listed_on"):
            try:
                listed_on = date.fromisoformat(row["listed_on"])
            except ValueError:
                return f"listed_on {_quote(row['listed_on'])} is not a date (YYYY-MM-DD)"
        portrait_hash = row.get("portrait_hash", "").lower() or None
        if portrait_hash is not None and not _HASH.fullmatch(portrait_hash):
            return (
                "portrait_hash is not a hexadecimal digest of 16 to "
                f"{WATCHLIST_HASH_MAX_CHARS} digits"
            )
        note = row.get("note") or None
        if note is not None and len(note) > NOTE_MAX_CHARS:
            return f"the note is over {NOTE_MAX_CHARS} characters"
        return WatchlistEntry(
            issuing_state=state,
            document_number=number,
            status=status,
            source=self.source,
            portrait_hash=portrait_hash,
            note=note,
            listed_on=listed_on,
        )


def _header(line: str, delimiter: str) -> list[str]:
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        return []
    return [c.strip().lower() for c in cells]


def _quote(value: str, limit: int = 24) -> str:
    """A value for a message: quoted, and cut short (a bad cell may be a whole line)."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


# --- findings -----------------------------------------------------------------------------------


def watchlist_findings(document: dict[str, Any], source: WatchlistSource) -> list[dict[str, Any]]:
    """``WATCHLIST.HIT`` findings of one analysed page, as :func:`finding_to_dict` writes them.

    The MRZ's issuing state and document number are looked up. The printed (visual-zone)
    document number is looked up too when there is no MRZ, or when it differs from the MRZ's (a
    listed document whose MRZ was altered to pass); without an MRZ the issuing state is the
    printed nationality, when it was read as a code. Several lists naming the same document
    make one finding: it is one fact, and counts once in the verdict.

    Args:
        document: one page's report (``analysis_to_dict``); malformed parts are ignored.
        source: the stop-list to consult.

    Returns:
        Critical ``WATCHLIST.HIT`` findings, and ``WATCHLIST.PORTRAIT_HIT`` ones for a portrait
        on the list (:func:`_portrait_findings`); an info ``WATCHLIST.UNAVAILABLE`` finding when
        the source raised (the check did not run: never a silent miss); empty otherwise.
    """
    src = str(document.get("source") or "")
    page: int = document["page"] if isinstance(document.get("page"), int) else 0
    mrz = _dict(document.get("mrz"))
    mrz_fields = _dict(mrz.get("fields"))
    viz_number = next(
        (
            f
            for f in _list(_dict(document.get("viz")).get("fields"))
            if _is_field(f, "document_number")
        ),
        None,
    )
    viz_nationality = next(
        (f for f in _list(_dict(document.get("viz")).get("fields")) if _is_field(f, "nationality")),
        None,
    )
    viz_box = viz_number.get("region") if viz_number else None
    candidates: list[tuple[str, str, str, list[dict[str, Any]]]] = []
    mrz_number = normalise_document_number(str(mrz_fields.get("document_number") or ""))
    mrz_state = normalise_issuing_state(str(mrz_fields.get("issuing_state") or ""))
    if mrz_number and mrz_state:
        # The printed number is where an officer compares: a related region.
        candidates.append(
            (mrz_state, mrz_number, "mrz", _places(src, page, mrz.get("region"), viz_box))
        )
    if viz_number is not None:
        number = normalise_document_number(
            str(viz_number.get("value") or viz_number.get("text") or "")
        )
        state = mrz_state or normalise_issuing_state(
            str((viz_nationality or {}).get("value") or "")
        )
        if number and number_key(number) != number_key(mrz_number) and _STATE.fullmatch(state):
            candidates.append((state, number, "viz", _places(src, page, viz_box)))
    findings: list[dict[str, Any]] = []
    for state, number, read_from, places in candidates:
        try:
            entries = source.lookup(state, number)
        except Exception as error:  # an operator's adapter: a network, a database …
            logger.warning("stop-list lookup failed: %s", type(error).__name__)
            findings.append(_unavailable(error, places))
            break
        if entries:
            findings.append(_hit(state, number, read_from, entries, places))
    findings.extend(_portrait_findings(document, source, src, page))
    return findings


def _portrait_findings(
    document: dict[str, Any], source: WatchlistSource, src: str, page: int
) -> list[dict[str, Any]]:
    """``WATCHLIST.PORTRAIT_HIT`` when the page's portrait hash lies within
    :data:`PORTRAIT_HASH_MAX_BITS` of a listed one, one finding per listed document."""
    portrait = _dict(document.get("portrait"))
    digest = _hash_bytes(str(portrait.get("hash") or ""))
    if digest is None or not isinstance(source, PortraitWatchlistSource):
        return []
    places = _places(src, page, portrait.get("region"))
    try:
        index = (
            source.portrait_index()
            if isinstance(source, StoreWatchlist)
            else PortraitIndex(source.portrait_entries())
        )
    except Exception as error:  # an operator's adapter: a network, a database …
        logger.warning("stop-list portrait lookup failed: %s", type(error).__name__)
        return [_unavailable(error, places)]
    close: dict[tuple[str, str], list[tuple[int, WatchlistEntry]]] = {}
    for distance, entry in index.within(digest, PORTRAIT_HASH_MAX_BITS):
        close.setdefault((entry.issuing_state, entry.document_number), []).append((distance, entry))
    return [
        _portrait_hit(state, number, matches, places)
        for (state, number), matches in sorted(close.items())
    ]


def _hash_bytes(text: str) -> bytes | None:
    """A docfraud portrait hash (:data:`PORTRAIT_HASH_HEX` hex digits) as bytes, else None."""
    if len(text) != PORTRAIT_HASH_HEX:
        return None
    try:
        return bytes.fromhex(text)
    except ValueError:
        return None


class PortraitIndex:
    """Listed portrait hashes packed into 64-bit words, to compare a page's with all of them in
    one vectorised pass (a million listed portraits: a few milliseconds). Entries whose hash is
    not docfraud's own are left out."""

    def __init__(self, entries: Iterable[WatchlistEntry]) -> None:
        usable = [(e, h) for e in entries if (h := _hash_bytes(e.portrait_hash or "")) is not None]
        self.entries = tuple(e for e, _ in usable)
        words = np.frombuffer(b"".join(h for _, h in usable), np.uint64)
        self._words = words.reshape(len(usable), HASH_BYTES // 8)

    def within(self, digest: bytes, max_bits: int) -> list[tuple[int, WatchlistEntry]]:
        """(bits that differ, entry) for every entry within ``max_bits`` of ``digest``."""
        query = np.frombuffer(digest, np.uint64)
        distances = np.bitwise_count(self._words ^ query).sum(axis=1)
        return [(int(distances[i]), self.entries[i]) for i in np.flatnonzero(distances <= max_bits)]


def _portrait_hit(
    state: str,
    number: str,
    matches: list[tuple[int, WatchlistEntry]],
    places: list[dict[str, Any]],
) -> dict[str, Any]:
    entries = [e for _, e in matches]
    distance = min(d for d, _ in matches)
    listings = " and ".join(
        f"'{e.source}' as {_STATUS_PHRASES.get(e.status, e.status)}" for e in entries
    )
    lists = "the stop-list" if len(entries) == 1 else "the stop-lists"
    message = (
        f"The portrait is the photo listed with document no. {number} of {state} on {lists} "
        f"{listings} ({distance} of 256 bits of its hash differ); compare the faces."
    )
    finding = _finding(
        PORTRAIT_HIT,
        "critical",
        message,
        places,
        {
            "issuing_state": state,
            "document_number": number,
            "differing_bits": str(distance),
            "lists": ", ".join(e.source for e in entries),
            "status": ", ".join(e.status for e in entries),
        },
    )
    return {**finding, "field": "portrait"}


def _hit(
    state: str,
    number: str,
    read_from: str,
    entries: list[WatchlistEntry],
    places: list[dict[str, Any]],
) -> dict[str, Any]:
    listings = [
        f"'{e.source}' as {_STATUS_PHRASES.get(e.status, e.status)}"
        + (f" (listed {e.listed_on.isoformat()})" if e.listed_on else "")
        for e in entries
    ]
    printed = " printed" if read_from == "viz" else ""
    lists = "the stop-list" if len(entries) == 1 else "the stop-lists"
    listed_as = sorted({e.document_number for e in entries} - {number})
    alike = (
        f" (listed as {' and '.join(listed_as)}: the letter O and the digit 0 count as one)"
        if listed_as
        else ""
    )
    message = (
        f"Document no.{printed} {number} of {state}{alike} is on {lists} {' and '.join(listings)}."
    )
    return _finding(
        HIT,
        "critical",
        message,
        places,
        {
            "issuing_state": state,
            "document_number": number,
            "read_from": read_from,
            "listed_number": ", ".join(e.document_number for e in entries),
            "lists": ", ".join(e.source for e in entries),
            "status": ", ".join(e.status for e in entries),
            "listed_on": ", ".join(e.listed_on.isoformat() if e.listed_on else "" for e in entries),
        },
    )


def _unavailable(error: Exception, places: list[dict[str, Any]]) -> dict[str, Any]:
    return _finding(
        UNAVAILABLE,
        "info",
        "The stop-list could not be consulted; check the document against it by other means.",
        places,
        {"error": type(error).__name__},
    )


def _finding(
    code: str, severity: str, message: str, places: list[dict[str, Any]], evidence: dict[str, str]
) -> dict[str, Any]:
    first = places[0] if places else None
    return {
        "code": code,
        "severity": severity,
        "message": message,
        "field": "document_number",
        "region": list(first["box"]) if first else None,
        "page": first["page"] if first else None,
        "regions": places,
        "evidence": evidence,
        "contribution": None,
    }


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _is_field(value: Any, name: str) -> bool:
    return isinstance(value, dict) and value.get("name") == name


def _box(value: Any) -> list[int] | None:
    if (
        isinstance(value, list | tuple)
        and len(value) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        return [int(v) for v in value]
    return None


def _places(src: str, page: int, *boxes: Any) -> list[dict[str, Any]]:
    """``regions`` entries for the boxes that are boxes."""
    return [
        {"source": src, "page": page, "box": box}
        for box in (_box(b) for b in boxes)
        if box is not None
    ]


# --- verdict ------------------------------------------------------------------------------------


def apply_findings(
    document: dict[str, Any], findings: list[dict[str, Any]], fusion: Fusion | None = None
) -> dict[str, Any]:
    """The page with ``findings`` appended and its verdict, score and contributions recomputed.

    The rule is :func:`docfraud.fusion.verdict.decide` over every finding of the page, with
    ``fusion`` (default: the committed model and its thresholds). Findings
    keep their order (the page's, then the new ones); a finding equal to one already there is
    not added twice, so applying the same findings again changes nothing. ``document`` is not
    modified.

    Raises:
        ValueError: a finding whose severity is not ``info``, ``warning`` or ``critical``.
    """
    merged = list(_list(document.get("findings")))
    present = [_without_contribution(f) for f in merged]
    new = [f for f in findings if _without_contribution(f) not in present]
    if not new:
        return document
    merged += new
    as_findings = tuple(_as_finding(f) for f in merged)
    verdict, score = decide(as_findings, fusion)
    shares = (fusion or default_fusion()).contributions(as_findings)
    merged = [{**f, "contribution": c} for f, c in zip(merged, shares, strict=True)]
    return {**document, "findings": merged, "verdict": verdict.value, "fraud_score": score}


def _without_contribution(finding: dict[str, Any]) -> dict[str, Any]:
    """A finding as it was found: its contribution depends on the page's other findings."""
    return {k: v for k, v in finding.items() if k != "contribution"}


def _as_finding(finding: dict[str, Any]) -> Finding:
    """The severity and code are all the verdict rule reads."""
    label = str(finding.get("severity", ""))
    try:
        severity = Severity[label.upper()]
    except KeyError:
        raise ValueError(f"unknown finding severity {label!r}") from None
    return Finding(str(finding.get("code", "")), severity, str(finding.get("message", "")))


def rejudge_case(case: dict[str, Any], fusion: Fusion | None = None) -> dict[str, Any]:
    """The case with its verdict and score recomputed after its documents gained findings.

    Same rule as :func:`docfraud.fusion.verdict.decide_case`: every finding of the case and of
    its readable documents; unreadable only when no document could be read.
    """
    readable = [d for d in _list(case.get("documents")) if d.get("verdict") != "unreadable"]
    if not readable:
        return case
    findings = [*_list(case.get("findings")), *(f for d in readable for f in _list(d["findings"]))]
    verdict, score = decide(tuple(_as_finding(f) for f in findings), fusion)
    return {**case, "verdict": verdict.value, "fraud_score": score}
