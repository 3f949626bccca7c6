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


@dataclass(frozen=True, slots=True)
class Finding:
    """One observation about a document, with a stable code listed in docs/findings.md."""

    code: str
    severity: Severity
    message: str
    field: str | None = None
    region: Region | None = None
    evidence: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Skip:
    """A check that could not run, and why (an explicit outcome, never a silent pass)."""

    check: str
    reason: str
