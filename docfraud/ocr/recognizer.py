"""The MRZ line recogniser interface and the factory that picks an implementation.

A recogniser turns located MRZ lines into text with one confidence per character. Two live behind
this interface: :class:`~docfraud.ocr.glyph.GlyphRecognizer` (the project-trained per-cell CNN,
default) and :class:`~docfraud.ocr.tesseract.TesseractRecognizer` (tesseract's LSTM, a second
opinion that needs no trained artifact).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Protocol

import numpy as np
import numpy.typing as npt

from docfraud.mrz.locate import MrzLine


@dataclass(frozen=True, slots=True)
class LineReading:
    """One recognised line: text and, per character, the probability of the chosen character.

    ``alternatives`` holds, per character, the (character, probability) pairs the recogniser
    considered, best first; recognisers without per-character scores give the reading only.
    """

    text: str
    confidences: tuple[float, ...]
    alternatives: tuple[tuple[tuple[str, float], ...], ...] = ()


class RecognizerKind(StrEnum):
    GLYPH = "glyph"
    TESSERACT = "tesseract"


class LineRecognizer(Protocol):
    """Reads fixed-pitch MRZ lines from a grey page."""

    @property
    def version(self) -> str: ...

    def read_lines(
        self, gray: npt.NDArray[np.uint8], lines: Sequence[MrzLine], count: int
    ) -> tuple[LineReading, ...]: ...


def create_recognizer(kind: RecognizerKind, models_dir: Path | None = None) -> LineRecognizer:
    """Build a recogniser; heavy imports (torch, pytesseract) happen here, not at import time."""
    if kind is RecognizerKind.TESSERACT:
        from docfraud.ocr.tesseract import TesseractRecognizer

        return TesseractRecognizer()
    from docfraud.ocr.glyph import GlyphRecognizer

    return GlyphRecognizer.load(models_dir) if models_dir else GlyphRecognizer.load()
