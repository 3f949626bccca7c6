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


def _stamped(bgr: npt.NDArray[np.uint8], cx: int, cy: int, r: int) -> Box:
    """A blue round stamp, inked more heavily on its right (as a rocked stamp is): two rings, a
    star of strokes in the middle and lettering dashes between the rings."""
    cv2.circle(bgr, (cx, cy), r, (175, 80, 45), 5)
    cv2.circle(bgr, (cx, cy), int(0.72 * r), (175, 80, 45), 3)
    cv2.ellipse(bgr, (cx, cy), (r, r), 0, -60, 60, (150, 60, 35), 6)  # the heavier side
    for k in range(24):
        a = 2 * np.pi * k / 24
        p = (int(cx + 0.86 * r * np.cos(a)), int(cy + 0.86 * r * np.sin(a)))
        cv2.circle(bgr, p, 3, (175, 80, 45), -1)
    for k in range(5):
        a = 2 * np.pi * k / 5
        cv2.line(bgr, (cx, cy), (int(cx + 0.3 * r * np.cos(a)), int(cy + 0.3 * r * np.sin(a))),
                 (175, 80, 45), 3)  # fmt: skip
    return (cx - r - 5, cy - r - 5, 2 * r + 10, 2 * r + 10)


def test_a_pen_over_a_seal_is_a_signature_the_seal_alone_is_not() -> None:
    """Inside a seal's box the seal's own ink (its hue, no darker than it) is dropped, with the
    arcs and letters an uneven stamp leaves; a navy pen stroke crossing it stays a signature."""
    bgr, boxes = _typed_page()
    seal = _stamped(bgr, 620, 1300, 110)
    assert find_signatures(bgr, boxes, [seal]) == []
    t = np.linspace(0, 4 * np.pi, 300)
    pts = np.stack([540 + 14 * t, 1290 + 25 * np.sin(1.5 * t)], 1).astype(np.int32)
    cv2.polylines(bgr, [pts], False, (80, 25, 15), 3)  # navy ink across the seal
    found = find_signatures(bgr, boxes, [seal])
    assert found and all(_overlaps(f, seal) for f in found)


def test_a_light_grey_stamp_is_a_seal() -> None:
    """A stamp in grey ink, lighter than the page's print that sets a global threshold."""
    bgr, _ = _typed_page()
    cv2.circle(bgr, (620, 1300), 100, (160, 160, 160), 4)
    cv2.circle(bgr, (620, 1300), 72, (160, 160, 160), 3)
    cv2.putText(bgr, "NOTARY", (560, 1310), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (160, 160, 160), 2)
    found = find_seals(bgr)
    assert len(found) == 1 and _overlaps(found[0], (520, 1200, 200, 200))


def test_a_grey_stamp_faint_over_part_of_its_rim_is_a_seal_a_third_of_a_ring_is_not() -> None:
    """A stamp pressed unevenly leaves part of its rim uninked (here 140 of 360 degrees); with
    clean paper round it, it is a seal. Arcs of a third of a circle are not a stamp's rim."""
    for sweep, seals in ((220, 1), (120, 0)):
        bgr, _ = _typed_page()
        for radius in (100, 72):
            cv2.ellipse(bgr, (620, 1300), (radius, radius), 0, -90, sweep - 90, (160,) * 3, 4)
        found = find_seals(bgr)
        assert len(found) == seals, sweep
        assert all(_overlaps(f, (520, 1200, 200, 200)) for f in found)


def test_ink_running_far_wider_than_tall_is_not_a_signature() -> None:
    """A line of print OCR did not read runs on; a signature is at most six times as wide."""
    bgr, boxes = _typed_page()
    t = np.linspace(0, 24 * np.pi, 900)
    pts = np.stack([300 + 500 * t / t[-1], 1300 + 22 * np.sin(t)], 1).astype(np.int32)
    cv2.polylines(bgr, [pts], False, (20, 20, 20), 3)
    assert find_signatures(bgr, boxes, []) == []
    _scribble(bgr, 300, 1500)
    (found,) = find_signatures(bgr, boxes, [])
    assert found[1] > 1400


def test_check_boxes_ticked_or_not_are_print_a_pen_loop_is_not() -> None:
    from docfraud.imaging.marks import _check_boxes

    ink = np.zeros((120, 400), np.uint8)
    cv2.rectangle(ink, (20, 40), (42, 62), 255, 2)
    cv2.rectangle(ink, (100, 40), (122, 62), 255, 2)
    cv2.line(ink, (103, 43), (119, 59), 255, 2)
    cv2.line(ink, (119, 43), (103, 59), 255, 2)
    cv2.ellipse(ink, (200, 50), (12, 11), 0, 0, 360, 255, 2)  # a pen's loop
    t = np.linspace(0, 4 * np.pi, 200)
    pts = np.stack([260 + 10 * t, 50 + 15 * np.sin(1.3 * t)], 1).astype(np.int32)
    cv2.polylines(ink, [pts], False, 255, 2)
    boxes = _check_boxes(ink, line_h=26)
    assert boxes[40:63, 20:43].any() and boxes[40:63, 100:123].any()
    assert not boxes[:, 170:].any()


def test_a_stamp_whose_rim_print_runs_into_is_a_seal_a_table_is_not() -> None:
    """Typed lines run through a dark stamp's rim, so its outline is not a closed round contour;
    a table's grid next to it meets ink at every radius and is no rim."""
    bgr, boxes = _typed_page()
    cv2.circle(bgr, (300, 1300), 100, (60, 60, 60), 4)
    cv2.circle(bgr, (300, 1300), 70, (60, 60, 60), 3)
    for y in (1215, 1300, 1390):
        cv2.putText(bgr, "Signed and sealed at", (120, y), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (30, 30, 30), 2)  # fmt: skip
    for k in range(9):
        cv2.line(bgr, (650, 1150 + 40 * k), (1150, 1150 + 40 * k), (30, 30, 30), 2)
        cv2.putText(bgr, "Field value", (670, 1180 + 40 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.8,
                    (30, 30, 30), 2)  # fmt: skip
    for x in (650, 850, 1150):
        cv2.line(bgr, (x, 1150), (x, 1470), (30, 30, 30), 2)
    found = find_seals(bgr)
    assert len(found) == 1 and _overlaps(found[0], (200, 1200, 200, 200))


def test_seal_remnants_join_a_broken_pen_stroke_and_drop_a_typed_word() -> None:
    """In a seal's box, after its own ink is gone: a pen stroke the stamp's ink cut into short
    pieces is a pen's (joined, it is long, tall and crosses radii); a typed word crossing the
    seal, its glyphs joined the same way, is no taller than a line of print."""
    from docfraud.imaging.marks import _seal_remnants

    ink = np.zeros((220, 220), np.uint8)
    t = np.linspace(0.0, 1.0, 400)
    pts = np.stack([30 + 170 * t, 110 + 45 * np.sin(2 * np.pi * t)], 1).astype(np.int32)
    cv2.polylines(ink, [pts], False, 255, 3)
    for x in range(40, 200, 16):  # the stamp's strokes took these columns
        ink[:, x : x + 3] = 0
    cv2.putText(ink, "Commissioner", (15, 205), cv2.FONT_HERSHEY_SIMPLEX, 0.75, 255, 2)
    remnant = _seal_remnants(ink, line_h=20)
    pen = ink[:170] > 0
    word = ink[185:] > 0
    assert not remnant[:170][pen].any()
    assert remnant[185:][word].all()


def test_a_stamp_in_the_letterhead_is_never_a_signed_seal() -> None:
    """An emblem's colours in the top of the page (a crest) can pass for a seal, and its
    strokes for a pen's over it; a stamp signed over lower down stays a signature."""
    bgr, boxes = _typed_page()
    crest = _stamped(bgr, 620, 150, 90)
    t = np.linspace(0, 4 * np.pi, 300)
    pts = np.stack([550 + 12 * t, 140 + 22 * np.sin(1.5 * t)], 1).astype(np.int32)
    cv2.polylines(bgr, [pts], False, (80, 25, 15), 3)
    assert find_signatures(bgr, boxes, [crest]) == []
    lower = np.ascontiguousarray(np.roll(bgr, 1150, axis=0))  # the same, at the page's foot
    moved = (crest[0], crest[1] + 1150, crest[2], crest[3])
    assert find_signatures(lower, boxes, [moved])


def test_words_typed_over_a_stamp_are_read_as_print_a_pen_over_it_is_not() -> None:
    """The page's OCR misses type printed over a stamp; the letter reader reads the seal's box
    again with the stamp's ink dropped, so the typed words are print, not a signature."""
    from docfraud.ocr.letter import _print_over_seals

    bgr = np.full((600, 800, 3), 245, np.uint8)
    seal = _stamped(bgr, 400, 300, 140)
    cv2.putText(bgr, "Notary Public", (250, 280), cv2.FONT_HERSHEY_SIMPLEX, 1.2, (25, 25, 25), 3)
    t = np.linspace(0, 4 * np.pi, 300)
    pts = np.stack([320 + 12 * t, 370 + 20 * np.sin(1.5 * t)], 1).astype(np.int32)
    cv2.polylines(bgr, [pts], False, (30, 30, 30), 3)
    found = _print_over_seals(bgr, [seal])
    assert found and all(240 <= y + h / 2 <= 290 for _, y, _, h in found)  # the typed line only


def test_a_crest_in_colour_in_the_letterhead_is_not_a_seal() -> None:
    bgr, boxes = _typed_page()
    _stamped(bgr, 620, 150, 90)
    assert find_seals(bgr, boxes) == []
    lower = np.ascontiguousarray(np.roll(bgr, 1150, axis=0))  # the same, at the page's foot
    assert len(find_seals(lower, boxes)) == 1


def test_a_stamp_off_the_paper_is_not_a_seal() -> None:
    """Beside a page photographed whole, a desk's grain can pass for a stamp's ink: where the
    printed words tell the paper's brightness, a seal on darker ground is dropped."""
    bgr, boxes = _typed_page(ground=190)  # right of x = 700: the desk, at 0.78 of the paper
    _stamped(bgr, 950, 1300, 110)
    assert find_seals(bgr, boxes) == []
    assert len(find_seals(bgr)) == 1  # without the words, the paper's level is unknown
    on_paper, _ = _typed_page(ground=190)
    _stamped(on_paper, 450, 1300, 110)
    assert len(find_seals(on_paper, boxes)) == 1


def test_a_typed_line_crossing_a_stamp_is_read_whole_as_print() -> None:
    """Type that runs across a stamp and beyond it: read from the stamp's box alone, its words
    are cut at the box's edges and come back unsure."""
    from docfraud.ocr.letter import _print_over_seals

    bgr = np.full((600, 1000, 3), 245, np.uint8)
    seal = _stamped(bgr, 500, 300, 110)
    cv2.putText(bgr, "Superintendent Registrar", (330, 290), cv2.FONT_HERSHEY_SIMPLEX, 1.1,
                (25, 25, 25), 3)  # fmt: skip
    found = _print_over_seals(bgr, [seal])
    assert any(x < seal[0] < x + w for x, _, w, _ in found), "the word cut by the left edge"
    assert any(x < seal[0] + seal[2] < x + w for x, _, w, _ in found), "and by the right"


def test_a_name_signed_large_over_a_stamp_is_not_taken_for_print() -> None:
    """A signature can be a legible name OCR reads surely; it is written far larger than the
    page's type, which sets it apart."""
    from docfraud.ocr.letter import _print_over_seals

    bgr = np.full((600, 1000, 3), 245, np.uint8)
    seal = _stamped(bgr, 500, 300, 140)
    cv2.putText(bgr, "Walker", (380, 340), cv2.FONT_HERSHEY_COMPLEX, 2.2, (25, 25, 25), 3)
    read = _print_over_seals(bgr, [seal])
    assert any(h > 40 for _, _, _, h in read), "read as a word when the type's size is unknown"
    assert _print_over_seals(bgr, [seal], type_height=22.0) == []


def test_a_typed_word_read_unsurely_over_a_stamp_is_print_beside_a_sure_one() -> None:
    """The stamp's ink nicks a typed word's letters and OCR reads it unsurely (`$upẸrintendent`,
    about 0.5); on the row of a word read surely and of its height, it is print all the same,
    where alone it would pass for a pen's strokes."""
    from docfraud.ocr.letter import _print_over_seals, _typed_alike

    bgr = np.full((600, 1000, 3), 245, np.uint8)
    seal = _stamped(bgr, 500, 300, 110)
    cv2.putText(bgr, "Superintendent Registrar", (330, 290), cv2.FONT_HERSHEY_SIMPLEX, 1.1,
                (25, 25, 25), 3)  # fmt: skip
    for x in (340, 365, 390):
        cv2.line(bgr, (x, 262), (x + 6, 296), (25, 25, 25), 2)
    found = _print_over_seals(bgr, [seal])
    assert any(x < 360 < x + w for x, _, w, _ in found), "the nicked word"
    assert any(x < 640 < x + w for x, _, w, _ in found), "the sure word"
    assert _typed_alike((0, 100, 120, 25), (130, 102, 90, 26))
    assert not _typed_alike((0, 90, 120, 45), (130, 102, 90, 26)), "a pen's height"
    assert not _typed_alike((0, 140, 120, 25), (130, 102, 90, 26)), "the row below"


def _box_stamp(
    bgr: npt.NDArray[np.uint8], x: int, y: int, colour: tuple[int, int, int], frame: int = 5
) -> Box:
    """A notary's rectangular stamp, 380 × 130 px: a thick frame round three lines of capitals."""
    cv2.rectangle(bgr, (x, y), (x + 380, y + 130), colour, frame)
    for k, word in enumerate(("NOTARY PUBLIC", "REGISTRY OFFICE", "LISBOA")):
        cv2.putText(bgr, word, (x + 40, y + 38 + 36 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.9, colour, 2)
    return (x, y, 381, 131)


def test_a_black_box_stamp_is_a_seal_a_form_box_and_a_table_are_not() -> None:
    """A rectangular stamp in black or grey ink has no colour to tell it: its thick frame round
    text does. A form's box drawn with a hairline, and a table (rules across it), are print; a
    pen crossing the stamp's frame leaves it a stamp."""
    bgr, boxes = _typed_page()
    stamp = _box_stamp(bgr, 620, 1250, (70, 70, 70))
    _scribble(bgr, 640, 1215)  # signed across the top of the frame
    cv2.rectangle(bgr, (150, 850), (530, 980), (30, 30, 30), 1)  # a form's box with a value
    cv2.putText(bgr, "Place of issue", (170, 920), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2)
    cv2.rectangle(bgr, (150, 1450), (530, 1580), (30, 30, 30), 5)  # a table of two rows
    cv2.line(bgr, (150, 1515), (530, 1515), (30, 30, 30), 5)
    for k, row in enumerate(("Name", "Born")):
        cv2.putText(bgr, row, (170, 1500 + 65 * k), cv2.FONT_HERSHEY_SIMPLEX, 0.8, (30, 30, 30), 2)
    found = find_seals(bgr, boxes)
    assert len(found) == 1 and _overlaps(found[0], stamp)


def test_a_pen_through_the_middle_of_a_long_stamp_is_a_pen_not_a_remnant() -> None:
    """In a rectangular stamp's box a pen's stroke through the middle reaches as far out as one
    over a round seal's rim: its reach is judged against the half-height down and the
    half-width across, not the half-width alone."""
    from docfraud.imaging.marks import _seal_remnants

    ink = np.zeros((130, 380), np.uint8)
    t = np.linspace(0, 4 * np.pi, 300)
    pts = np.stack([140 + 8 * t, 65 + 35 * np.sin(1.5 * t)], 1).astype(np.int32)
    cv2.polylines(ink, [pts], False, 255, 3)
    pen = ink > 0
    assert not _seal_remnants(ink, line_h=22)[pen].any()


def test_a_box_stamps_broken_frame_is_the_stamps_a_pen_inside_is_not() -> None:
    """Where a stamp was pressed harder at its rim, pieces of its frame outlast its own ink's
    removal; straight pieces along the box's edges are the frame, a pen's stroke is not."""
    from docfraud.imaging.marks import _frame_lines

    ink = np.zeros((130, 380), np.uint8)
    for x in range(0, 380, 62):
        ink[0:6, x : x + 50] = 255
        ink[124:130, x : x + 50] = 255
    ink[10:70, 0:6] = 255
    ink[60:120, 374:380] = 255
    t = np.linspace(0, 4 * np.pi, 300)
    pts = np.stack([140 + 8 * t, 65 + 35 * np.sin(1.5 * t)], 1).astype(np.int32)
    cv2.polylines(ink, [pts], False, 255, 3)
    frame = _frame_lines(ink, page_width=1240)
    assert frame[0:6, 0:50].all() and frame[124:130, 62:112].all()
    assert frame[10:70, 0:6].all() and frame[60:120, 374:380].all()
    assert not frame[25:105, 120:260].any()


def test_a_stroke_crossing_a_seals_edge_is_a_pen_a_piece_within_it_or_at_its_rim_is_not() -> None:
    """A seal's box holds all of the seal: ink inside it joined to ink well outside it (half a
    line height and more) is a pen's stroke crossing the edge, whose piece inside must not be
    judged a remnant of the stamp on its own."""
    from docfraud.imaging.marks import _reaching_out

    ink = np.zeros((300, 600), np.uint8)
    box = (200, 100, 200, 100)
    cv2.line(ink, (120, 130), (240, 140), 255, 3)  # a pen from outside into the box
    cv2.circle(ink, (300, 150), 12, 255, 3)  # the stamp's emblem, inside
    cv2.line(ink, (380, 180), (404, 180), 255, 3)  # its frame's blur, just past the edge
    inside = _reaching_out(ink, box, line_h=20)
    assert inside[30:45, 0:40].any()
    assert not inside[30:70, 80:120].any()
    assert not inside[75:85, 170:200].any()


def test_a_caption_typed_across_a_stamp_unread_is_not_a_signature() -> None:
    """What is left in a seal's box of a bold caption typed across it ("Der Standesbeamte"), too
    blurred for OCR, is one row of ink no taller than the type; a pen's strokes rise and fall."""
    from docfraud.imaging.marks import _signed_over

    seal = (100, 100, 180, 180)
    ink = np.zeros((400, 400), np.uint8)
    cv2.putText(ink, "Der Standesbeamte", (150, 130), cv2.FONT_HERSHEY_TRIPLEX, 0.8, 255, 3)
    assert not _signed_over(ink, seal, line_h=18)
    t = np.linspace(0, 4 * np.pi, 300)
    pts = np.stack([110 + 13 * t, 190 + 25 * np.sin(1.5 * t)], 1).astype(np.int32)
    cv2.polylines(ink, [pts], False, 255, 3)
    assert _signed_over(ink, seal, line_h=18)


def test_ink_left_only_along_a_seals_rim_is_not_a_pen_over_it() -> None:
    """A rim's arc inked darker than the stamp's typical ink (so not taken for its own), joined
    to the end of a typed word crossing the stamp's edge, stays in the box's outer band; a pen
    signing over the seal crosses its inside."""
    from docfraud.imaging.marks import _signed_over

    seal = (100, 100, 180, 180)
    ink = np.zeros((400, 400), np.uint8)
    cv2.ellipse(ink, (190, 190), (85, 85), 0, 150, 300, 255, 4)
    cv2.putText(ink, "ure", (104, 170), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 255, 2)
    assert not _signed_over(ink, seal, line_h=17)
    cv2.polylines(ink, [np.array([(140, 230), (170, 160), (200, 220), (240, 150)])], False, 255, 3)
    assert _signed_over(ink, seal, line_h=17)


def test_handwriting_after_a_forms_caption_is_its_value_not_a_signature() -> None:
    """`Place of birth: ........ Cork`, the value in a handwriting type OCR left unread or read
    unsurely, is what the form asks for, not a signature; after `Signature:`, on another row,
    too far, or with a word read between, it may be one."""
    from docfraud.ocr.letter import _filled_in, _rows_of
    from docfraud.ocr.words import Word

    def row(*texts: str, y: int = 400) -> list[Word]:
        out, x = [], 60
        for t in texts:
            out.append(Word(t, 0.95, (x, y, 12 * len(t), 18), (1, 1, y)))
            x += 12 * len(t) + 8
        return out

    cork = (300, 392, 70, 32)  # "birth:" ends at 232
    assert _filled_in(cork, _rows_of(row("Place", "of", "birth:")))
    second = (500, 392, 70, 32)  # the second caption of its row ends at 432
    assert _filled_in(second, _rows_of(row("Full", "name:", "Lou", "Ng", "Place", "of", "birth:")))
    assert not _filled_in(cork, _rows_of(row("Signature", "of", "parent", "1:")))
    assert not _filled_in(cork, _rows_of(row("Place", "of", "birth")))
    assert not _filled_in(cork, _rows_of(row("Place", "of", "birth:", y=460)))
    assert not _filled_in(cork, _rows_of(row("Place", "of", "birth:") + [
        Word("Rome", 0.95, (250, 400, 48, 18), (1, 1, 400))
    ]))  # fmt: skip
    # a photo's reading: the caption's last words unsure, the value itself read unsurely
    unsure = row("Piece", "of", "bith:")
    unsure[1:] = [replace(w, confidence=0.35) for w in unsure[1:]]
    value = Word("Cork,", 0.46, (299, 390, 72, 36), (1, 1, 400))
    assert _filled_in(cork, _rows_of([*unsure, value]))
    junk = [replace(w, confidence=0.2) for w in unsure]
    assert not _filled_in(cork, _rows_of(junk)), "no word of the caption read surely"
    far = (232 + 8 * 18 + 40, 392, 70, 32)
    assert not _filled_in(far, _rows_of(row("Place", "of", "birth:")))
