"""The immutable result of analysing one page: what was read, what was found, the verdict."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from docfraud.imaging.ghost import GhostVerdict
from docfraud.imaging.portrait import PortraitLocation, PortraitPrint
from docfraud.imaging.rectify import DocumentQuad
from docfraud.imaging.substitution import SubstitutionScore
from docfraud.imaging.tampernet import TamperMap
from docfraud.mrz.read import MrzReading
from docfraud.types import Finding, LetterReading, Skip, Verdict, VizReading


@dataclass(frozen=True, slots=True)
class Analysis:
    """One page of one input. Stages add parts with ``dataclasses.replace``."""

    source: str
    """The input as given (path or upload name)."""
    page: int
    sha256: str
    media_type: str | None
    image_size: tuple[int, int] | None
    """(width, height) of the page in input pixels; regions refer to this frame."""
    scan_date: date
    mrz: MrzReading | None = None
    outline: DocumentQuad | None = None
    """Where the document lies in the page, corners in reading order when the MRZ oriented it."""
    viz: VizReading | None = None
    """The visual zone's printed fields (identity documents)."""
    letter: LetterReading | None = None
    """Set when the page is a guardianship or parental-consent letter."""
    portrait: tuple[PortraitLocation, PortraitPrint] | None = None
    """The holder's portrait and its perceptual print, on an MRZ page that carries it."""
    substitution: SubstitutionScore | None = None
    """How likely the portrait was substituted, from its print against the page's."""
    ghost: GhostVerdict | None = None
    """The ghost portrait's best candidate and whether it shows the portrait's face."""
    tamper: TamperMap | None = None
    """TamperNet's map of the page (None when tamper detection is off)."""
    faults: tuple[Finding, ...] = ()
    """``INTERNAL.STAGE_FAILED`` for each reading stage that raised (a bug): its part is None,
    and :meth:`~docfraud.pipeline.Analyzer.conclude` puts these before the checks' findings."""
    findings: tuple[Finding, ...] = ()
    skipped: tuple[Skip, ...] = ()
    verdict: Verdict = Verdict.UNREADABLE
    fraud_score: float = 0.0
    versions: tuple[tuple[str, str], ...] = ()
    timings_ms: tuple[tuple[str, float], ...] = ()
