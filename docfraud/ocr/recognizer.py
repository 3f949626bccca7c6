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

    def window(self, start: int, count: int) -> LineReading:
        """Characters ``start .. start + count - 1`` of this reading."""
        end = start + count
        return LineReading(
            self.text[start:end], self.confidences[start:end], self.alternatives[start:end]
        )


class RecognizerKind(StrEnum):
    GLYPH = "glyph"
    TESSERACT = "tesseract"


class LineRecognizer(Protocol):
    """Reads fixed-pitch MRZ lines from a grey page."""

    @property
    def version(self) -> str: ...

    @property
    def reads_cells(self) -> bool:
        """Whether each character is read from its own cell alone. Such a recogniser can read
        ``margin`` cells beyond each end of the lines at no extra cost per cell, and that one
        reading holds the reading of every grid shifted by up to ``margin`` cells: how the MRZ
        reader tries cell alignments without reading again."""
        ...

    def read_lines(
        self,
        gray: npt.NDArray[np.uint8],
        lines: Sequence[MrzLine],
        count: int,
        margin: int = 0,
    ) -> tuple[LineReading, ...]:
        """Read ``count`` characters per line, plus ``margin`` cells beyond each end when
        :attr:`reads_cells` (the line's first character is then character ``margin``)."""
        ...


def create_recognizer(kind: RecognizerKind, models_dir: Path | None = None) -> LineRecognizer:
    """Build a recogniser; heavy imports (torch, pytesseract) happen here, not at import time."""
    if kind is RecognizerKind.TESSERACT:
        from docfraud.ocr.tesseract import TesseractRecognizer

        return TesseractRecognizer()
    from docfraud.ocr.glyph import GlyphRecognizer

    return GlyphRecognizer.load(models_dir) if models_dir else GlyphRecognizer.load()
