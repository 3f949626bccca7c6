"""Tests for docfraud.ocr.tesseract: real tesseract on synthetic OCR-B lines, and its absence."""

from __future__ import annotations

import numpy as np
import pytest

from docfraud.errors import DEP_TESSERACT_MISSING, DependencyError
from docfraud.ocr.recognizer import RecognizerKind, create_recognizer
from docfraud.ocr.tesseract import TesseractRecognizer
from docfraud.synth.mrzlines import ALPHABET, available_fonts, random_mrz_text, render_line

CLEAN_SEEDS = (5, 22)
"""render_line seeds whose OCR-B lines came out clean: plain paper, 9–18 px pitch.

Tesseract misreads many other clean renders (wide-spaced glyphs, long filler runs), so these
pin what the adapter must keep doing, not how good tesseract is on MRZs.
"""


@pytest.fixture(scope="module")
def recognizer() -> TesseractRecognizer:
    return TesseractRecognizer()


@pytest.mark.tesseract
def test_version_names_tesseract(recognizer: TesseractRecognizer) -> None:
    """The version recorded in every analysis says which engine and release read the MRZ."""
    assert recognizer.version.startswith("tesseract-")
    assert any(ch.isdigit() for ch in recognizer.version)


@pytest.mark.tesseract
@pytest.mark.parametrize("seed", CLEAN_SEEDS)
def test_reads_clean_ocrb_line(recognizer: TesseractRecognizer, seed: int) -> None:
    """A clean 44-character OCR-B line reads back as 44 MRZ characters, ≥ 90 % in their cell."""
    count = 44
    ocrb, _ = available_fonts()
    if not ocrb:
        pytest.skip("OCR-B font not installed (fonts-ocr-b)")
    rng = np.random.default_rng(seed)
    text = random_mrz_text(rng, count)
    sample = render_line(rng, text, ocrb[0], jitter=False)

    (reading,) = recognizer.read_lines(sample.gray, [sample.line], count)

    assert len(reading.text) == count
    assert set(reading.text) <= set(ALPHABET)
    assert len(reading.confidences) == count
    assert all(0.0 <= c <= 1.0 for c in reading.confidences)
    accuracy = sum(a == b for a, b in zip(reading.text, sample.text, strict=True)) / count
    assert accuracy >= 0.9, f"read {reading.text!r}, truth {sample.text!r}"


def test_missing_binary_raises_dependency_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without tesseract on PATH the adapter fails with a stable code, not a subprocess error.

    Not marked ``tesseract``: it must also pass (and matters most) where tesseract is absent.
    """
    monkeypatch.setattr("docfraud.ocr.tesseract.shutil.which", lambda _name: None)
    with pytest.raises(DependencyError) as info:
        TesseractRecognizer()
    assert info.value.code == DEP_TESSERACT_MISSING
    with pytest.raises(DependencyError) as info:
        create_recognizer(RecognizerKind.TESSERACT)
    assert info.value.code == DEP_TESSERACT_MISSING


@pytest.mark.tesseract
def test_refuses_cells_past_the_line(recognizer: TesseractRecognizer) -> None:
    """Tesseract reads a whole line: it says so (``reads_cells``) and refuses a margin rather
    than return a reading whose characters are not tied to cells."""
    ocrb, mono = available_fonts()
    rng = np.random.default_rng(CLEAN_SEEDS[0])
    sample = render_line(rng, random_mrz_text(rng, 30), (ocrb or mono)[0], jitter=False)
    assert recognizer.reads_cells is False
    with pytest.raises(ValueError, match="whole lines"):
        recognizer.read_lines(sample.gray, [sample.line], 30, margin=3)
