"""Analysis configuration: one frozen object passed to :func:`docfraud.pipeline.analyze`.

Stages never read the environment; deployment settings arrive with the service (issue 6).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from docfraud.artifacts import DEFAULT_MODELS_DIR
from docfraud.imaging.load import DecodeLimits
from docfraud.ocr.recognizer import RecognizerKind


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    recognizer: RecognizerKind = RecognizerKind.GLYPH
    models_dir: Path = DEFAULT_MODELS_DIR
    limits: DecodeLimits = field(default_factory=DecodeLimits)
    scan_date: date | None = None
    """Reference date for two-digit years and expiry (default: the day of the scan)."""
    read_text: bool = True
    """Read the visual zone and letters with tesseract (off: MRZ-only, ~10× faster)."""
    strict: bool = False
    """Re-raise exceptions inside checks instead of reporting INTERNAL.CHECK_FAILED (tests)."""
