"""Frozen result types shared by every stage.

Regions are always in the *input image's* pixel coordinates (page index, x, y, w, h), whatever
rotation or rectification the pipeline applied internally.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum

Box = tuple[int, int, int, int]
"""(x, y, w, h) in pixels of the input page."""


class Severity(IntEnum):
    INFO = 10
    """Recorded; never moves the verdict alone."""
    WARNING = 20
    """Weakens trust; needs corroboration."""
    CRITICAL = 30
    """On its own, inconsistent with a genuine document."""

    @property
    def label(self) -> str:
        return self.name.lower()


def is_strong(probability: float, alarm: float) -> bool:
    """Whether a model's probability lies at least halfway from its alarm threshold to 1.

    Alarm thresholds are measured on generated genuine documents (1 in 100 reach them). Past
    one, on a new population (real documents of other printers, cameras and wear), a genuine
    page is still likely: on the generated seizures every alarm on a genuine portrait scored
    within 0.1 of its threshold, substituted portraits 0.89 to 0.99. A model finding is critical
    only when strong, a warning between the two; a strong one is also what links documents of
    one forger's batch (:mod:`docfraud.store.links`).
    """
    return probability >= (1.0 + alarm) / 2


class Verdict(StrEnum):
    GENUINE = "genuine"
    SUSPICIOUS = "suspicious"
    FORGED = "forged"
    UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Region:
    """Where to look: a box on one page of the input, in original pixels."""

    page: int
    box: Box
    source: str = ""
    """The input the page belongs to; set on case findings, which point into several inputs."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about a document, with a stable code listed in docs/findings.md."""

    code: str
    severity: Severity
    message: str
    field: str | None = None
    region: Region | None = None
    evidence: tuple[tuple[str, str], ...] = ()
    related: tuple[Region, ...] = ()
    """Further places that show the evidence (the MRZ cells for a visual-zone field, the other
    documents of a case)."""
    contribution: float | None = None
    """This finding's share of the fraud score above that of a page without findings (set by
    the fusion when the verdict is decided; None before)."""


@dataclass(frozen=True, slots=True)
class Skip:
    """A check that could not run, and why (an explicit outcome, never a silent pass)."""

    check: str
    reason: str


@dataclass(frozen=True, slots=True)
class FieldReading:
    """One printed field read from the visual zone or a letter."""

    name: str
    """``surname``, ``given_names``, ``document_number``, ``nationality``, ``birth_date``,
    ``birth_place``, ``sex``, ``issue_date``, ``expiry_date``, ``authority``,
    ``personal_number``; letters add ``child_name``, ``adult_name``, ``parent_name`` …"""
    text: str
    """As read, whitespace normalised (diacritics kept)."""
    confidence: float
    """0..1: OCR confidence combined with how surely the value was tied to the field."""
    region: Region
    value: str | None = None
    """Normalised value: ISO date for dates, ``M``/``F``/``X`` for sex, upper-case codes;
    ``None`` when the text could not be normalised (an unparseable date)."""
    alternatives: tuple[tuple[str, str | None], ...] = ()
    """Other readings of the same print, as (text, value), from differently prepared images:
    made where the first reading disagreed with the MRZ, so that a disagreement read the same way
    twice can be told from a misreading. Empty when the field was read once."""


@dataclass(frozen=True, slots=True)
class VizReading:
    """What the visual zone of an identity document says."""

    fields: tuple[FieldReading, ...]
    specimen_marked: bool = False
    """``SPECIMEN`` (or a translation) is printed on the document."""
    text_lines: int = 0
    """Text lines found (0 means the OCR saw nothing it could use)."""
    other_side: str | None = None
    """For a side without an MRZ read with the MRZ of its card's other side, presented with it:
    where that MRZ is (``source`` and ``page N``)."""
    upside_down: bool = False
    """The side lay upside down in its outline and was read turned half round."""

    def get(self, name: str) -> FieldReading | None:
        return next((f for f in self.fields if f.name == name), None)


@dataclass(frozen=True, slots=True)
class LetterReading:
    """A guardianship order or parental-consent letter: who, when, by whom, sealed, signed."""

    kind: str
    """``court_order``, ``travel_consent``, ``custody_certificate``, ``consent_form`` or
    ``unknown`` (recognised as a consent/guardianship letter, type unclear)."""
    language: str
    """ISO 639-1 of the wording (``en``, ``fr``, ``de`` …)."""
    fields: tuple[FieldReading, ...]
    """``child_name``, ``child_birth_date``, ``child_document_number``, ``adult_name``,
    ``adult_birth_date``, ``adult_document_number``, ``parent_name`` (one per parent),
    ``authority``, ``issue_date``, ``valid_from``, ``valid_until``, ``destination``,
    ``reference``."""
    seals: tuple[Region, ...] = ()
    signatures: tuple[Region, ...] = ()

    def get(self, name: str) -> FieldReading | None:
        return next((f for f in self.fields if f.name == name), None)

    def get_all(self, name: str) -> tuple[FieldReading, ...]:
        return tuple(f for f in self.fields if f.name == name)
