"""Word-level OCR with tesseract's layout analysis: the shared reader for visual zones and letters.

Tesseract runs as a subprocess (pytesseract) with a time limit, so a pathological image costs a
bounded time instead of hanging a worker. Confidences are tesseract's word confidences over 100.

Tesseract's OpenMP threads spin on small machines (0.8 s with one thread against 6 s with the
default on 2 cores), and docfraud parallelises across documents instead, so each call runs with
``OMP_THREAD_LIMIT=1`` unless the environment already sets it.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pytesseract

from docfraud.types import Box

os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # inherited by every tesseract subprocess
TIMEOUT_S = 20.0
"""Upper bound for one tesseract call; past it the call returns no words."""


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    confidence: float
    """0..1."""
    box: Box
    """(x, y, w, h) in the pixels of the image given to :func:`read_words`."""
    line: tuple[int, int, int]
    """(block, paragraph, line) from tesseract's layout analysis: words sharing it form a line."""


def read_words(
    image: npt.NDArray[np.uint8], *, lang: str = "eng", psm: int = 3, config: str = ""
) -> list[Word]:
    """Every non-empty word tesseract finds in ``image`` (grey or BGR), in reading order.

    Args:
        image: the picture to read, at a scale where text is roughly 20–40 px high.
        lang: tesseract language(s), e.g. ``eng`` or ``eng+fra+deu``.
        psm: page segmentation mode (3 automatic, 4 one column, 6 one block, 11 sparse text).
        config: extra tesseract options.
    """
    try:
        data = pytesseract.image_to_data(
            image,
            lang=lang,
            config=f"--oem 1 --psm {psm} {config}".strip(),
            output_type=pytesseract.Output.DICT,
            timeout=TIMEOUT_S,
        )
    except RuntimeError:  # pytesseract raises RuntimeError on its timeout
        return []
    words: list[Word] = []
    for i, text in enumerate(data["text"]):
        text = str(text).strip()
        if not text:
            continue
        words.append(
            Word(
                text=text,
                confidence=max(0.0, float(data["conf"][i])) / 100.0,
                box=(
                    int(data["left"][i]),
                    int(data["top"][i]),
                    int(data["width"][i]),
                    int(data["height"][i]),
                ),
                line=(int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])),
            )
        )
    return words


@functools.cache
def installed_models() -> frozenset[str]:
    """The language models this machine's tesseract has (``eng``, ``pol`` …); none without
    tesseract. Read once: a model installed later is seen by the next process."""
    try:
        return frozenset(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractNotFoundError, pytesseract.TesseractError, OSError):
        return frozenset()


def lines_of(words: list[Word]) -> list[list[Word]]:
    """Words grouped by tesseract line, each line left to right, lines in reading order."""
    grouped: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        grouped.setdefault(w.line, []).append(w)
    return [sorted(ws, key=lambda w: w.box[0]) for ws in grouped.values()]


def box_union(a: Box, b: Box) -> Box:
    """The smallest box holding both ``a`` and ``b`` (x, y, w, h)."""
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)
