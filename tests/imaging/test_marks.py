"""Seals and signatures on rendered letters: found where the generator put them, absent when not."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.imaging.marks import find_seals, find_signatures, stamp_ink
from docfraud.synth.cases import random_case
from docfraud.synth.letters import render_letter
from docfraud.synth.records import Page
from docfraud.types import Box

SCAN_DATE = date(2026, 6, 1)


def _letter(seed: int, *, seal: bool = True, signature: bool = True, layout: str = "block") -> Page:
    rng = np.random.default_rng(seed)
    case = random_case(rng, scan_date=SCAN_DATE, case_id=f"c{seed}", plant=False)
    data = replace(case.letter, has_seal=seal, has_signature=signature)
    if data.kind == "consent_form":
        layout = "boxes"
    return render_letter(rng, data, layout)


def _bgr(page: Page) -> npt.NDArray[np.uint8]:
    return np.asarray(cv2.cvtColor(page.rgb, cv2.COLOR_RGB2BGR), dtype=np.uint8)


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _printed(page: Page) -> list[Box]:
    """Printed words found by tesseract (at twice the size, as the letter reader scales text)."""
    from docfraud.ocr.words import read_words

    gray = cv2.cvtColor(page.rgb, cv2.COLOR_RGB2GRAY)
    big = cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC)
    words = read_words(np.asarray(big, dtype=np.uint8), lang="Latin", psm=3)
    return [
        (w.box[0] // 2, w.box[1] // 2, w.box[2] // 2 + 1, w.box[3] // 2 + 1)
        for w in words
        if w.confidence >= 0.5 and len(w.text) >= 2
    ]


def test_stamp_ink_keeps_saturated_blue_and_drops_black_and_paper() -> None:
    bgr = np.full((4, 3, 3), 250, np.uint8)
    bgr[0, 0] = (168, 62, 38)  # stamp blue (BGR)
    bgr[0, 1] = (40, 40, 40)  # black print
    bgr[0, 2] = (150, 52, 92)  # violet
    mask = stamp_ink(bgr)
    assert mask[0].tolist() == [255, 0, 255]
    assert not mask[1:].any()


def test_blank_page_has_no_marks() -> None:
    page = np.full((1400, 1000, 3), 245, np.uint8)
    assert find_seals(page) == []
    assert find_signatures(page, []) == []


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_seal_found_where_stamped(seed: int) -> None:
    page = _letter(seed)
    truth = [z.box for z in page.zones if z.name == "seal"]
    found = find_seals(_bgr(page))
    assert truth and found
    assert all(any(_overlaps(f, t) for t in truth) for f in found)


@pytest.mark.parametrize("seed", [3, 8, 21])
def test_no_seal_when_unstamped(seed: int) -> None:
    page = _letter(seed, seal=False)
    assert not [z for z in page.zones if z.name == "seal"]
    assert find_seals(_bgr(page)) == []


@pytest.mark.slow
@pytest.mark.tesseract
def test_signatures_found_on_most_signed_letters() -> None:
    """Recall, not certainty: a pen stroke lying wholly inside a seal can be lost with the seal's
    ink (bench/results/letters.md gives the measured rate)."""
    hits = 0
    for seed in (3, 8, 21, 34):
        page = _letter(seed)
        truth = [z.box for z in page.zones if z.name == "signature"]
        found = find_signatures(_bgr(page), _printed(page))
        assert truth
        hits += any(_overlaps(f, t) for f in found for t in truth)
    assert hits >= 3


@pytest.mark.slow
@pytest.mark.tesseract
@pytest.mark.parametrize("seed", [3, 8, 21])
def test_no_signature_when_unsigned(seed: int) -> None:
    page = _letter(seed, signature=False)
    assert find_signatures(_bgr(page), _printed(page)) == []


def test_skeleton_of_a_solid_block_terminates() -> None:
    from docfraud.imaging.marks import _skeleton_length

    line = np.zeros((20, 30), np.uint8)
    line[10, 2:28] = 255
    assert _skeleton_length(line) == 26
    assert 0 < _skeleton_length(np.full((20, 30), 255, np.uint8)) < 20 * 30


def _typed_page(ground: int = 245) -> tuple[npt.NDArray[np.uint8], list[Box]]:
    """A white A4 page at 150 dpi with twelve typed lines, and their boxes."""
    bgr = np.full((1754, 1240, 3), 245, np.uint8)
    bgr[:, 700:] = ground
    boxes: list[Box] = []
    for i in range(12):
        y = 300 + 40 * i
        cv2.putText(bgr, "Printed text line here", (150, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (30, 30, 30), 2)  # fmt: skip
        boxes.append((150, y - 20, 330, 26))
    return bgr, boxes


def _scribble(bgr: npt.NDArray[np.uint8], x: int, y: int) -> None:
    t = np.linspace(0, 6 * np.pi, 300)
    pts = np.stack([x + 12 * t, y + 30 * np.sin(1.3 * t) + 10 * np.cos(3 * t)], 1)
    cv2.polylines(bgr, [pts.astype(np.int32)], False, (20, 20, 20), 3)


def test_strokes_on_the_paper_are_a_signature_strokes_off_it_are_not() -> None:
    bgr, boxes = _typed_page(ground=70)  # the right of the picture is the desk, not paper
    _scribble(bgr, 300, 1300)
    _scribble(bgr, 800, 1300)
    found = find_signatures(bgr, boxes, [])
    assert len(found) == 1 and found[0][0] < 700


def test_dashed_rules_are_removed_only_when_asked() -> None:
    from docfraud.imaging.marks import _rules

    ink = np.zeros((60, 400), np.uint8)
    for x in range(10, 390, 14):
        ink[30:32, x : x + 8] = 255
    assert not _rules(ink, 200).any()
    assert _rules(ink, 200, gap=7)[30:32, 20:370].all()
