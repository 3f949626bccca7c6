"""TesseractRecognizer: tesseract's LSTM model on each MRZ line, tuned for OCR-B.

Each line is warped to a clean horizontal strip (glyphs ~32 px), binarised, and read with one
line per call (``--psm 7``) and the MRZ character whitelist. Debian's tesseract has no legacy
(``--oem 0``) model, so only the LSTM engine is used. Tesseract gives word-level confidence only;
every character of a line carries that line's confidence. It is slower and weaker on filler runs
than the trained :mod:`~docfraud.ocr.glyph` recogniser (bench/results/mrz.md), and is kept as a
second opinion that needs no artifact.
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt
import pytesseract

from docfraud.errors import DEP_TESSERACT_MISSING, DependencyError
from docfraud.mrz.locate import MrzLine
from docfraud.ocr.recognizer import LineReading

WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
CONFIG = f"--oem 1 --psm 7 -c tessedit_char_whitelist={WHITELIST}"
GLYPH_PX = 32.0


def tesseract_version() -> str | None:
    if shutil.which("tesseract") is None:
        return None
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        return None


def _line_strip(gray: npt.NDArray[np.uint8], line: MrzLine, count: int) -> npt.NDArray[np.uint8]:
    pitch = math.hypot(*line.step)
    scale = GLYPH_PX / max(line.height, 1.0)
    ux, uy = line.step[0] / pitch, line.step[1] / pitch
    nx, ny = line.normal
    width = int(pitch * scale * (count + 2))
    height = int(GLYPH_PX * 2.2)
    ox, oy = line.origin
    m = np.array([[scale * ux, scale * uy, 0.0], [scale * nx, scale * ny, 0.0]])
    m[:, 2] = np.array([pitch * scale * 1.5, height / 2]) - m[:, :2] @ np.array([ox, oy])
    strip = cv2.warpAffine(
        gray, m, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE
    )
    _, binary = cv2.threshold(strip, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return np.asarray(binary, dtype=np.uint8)


class TesseractRecognizer:
    def __init__(self) -> None:
        version = tesseract_version()
        if version is None:
            raise DependencyError(
                DEP_TESSERACT_MISSING, "tesseract is not installed; run `make setup`."
            )
        self._version = f"tesseract-{version}"

    @property
    def version(self) -> str:
        return self._version

    @property
    def reads_cells(self) -> bool:
        return False  # reads a whole line: its character count is not tied to the cells

    def read_lines(
        self, gray: npt.NDArray[np.uint8], lines: Sequence[MrzLine], count: int, margin: int = 0
    ) -> tuple[LineReading, ...]:
        if margin:
            raise ValueError("tesseract reads whole lines: it cannot read cells past their ends")
        readings = []
        for line in lines:
            data = pytesseract.image_to_data(
                _line_strip(gray, line, count), config=CONFIG, output_type=pytesseract.Output.DICT
            )
            words = [
                (str(t), float(c))
                for t, c in zip(data["text"], data["conf"], strict=True)
                if str(t).strip()
            ]
            text = "".join(t for t, _ in words).replace(" ", "")
            conf = min((c for _, c in words), default=0.0) / 100.0
            text = (text + "<" * count)[:count]  # fixed pitch: the line has exactly `count` cells
            readings.append(LineReading(text, tuple(max(conf, 0.0) for _ in text)))
        return tuple(readings)
