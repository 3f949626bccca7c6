"""Tests for docfraud.ocr.textlines: segments of printed text over a security pattern, collages."""

from __future__ import annotations

import cv2
import numpy as np
import numpy.typing as npt
import pytest

from docfraud.ocr.textlines import (
    ROW_HEIGHT,
    _inside,
    _split_columns,
    build_collage,
    find_segments,
)

FONT = cv2.FONT_HERSHEY_DUPLEX


def _page_with_pattern(height: int = 400, width: int = 1200) -> npt.NDArray[np.uint8]:
    """Light paper crossed by thin wavy lines, like a guilloche."""
    page = np.full((height, width), 235, np.uint8)
    xs = np.arange(width)
    for k in range(0, height, 9):
        ys = (k + 4 * np.sin(xs / 23.0 + k)).astype(int)
        ok = (ys >= 0) & (ys < height)
        page[ys[ok], xs[ok]] = 190
    return page


def _text(page: npt.NDArray[np.uint8], text: str, xy: tuple[int, int], scale: float) -> None:
    cv2.putText(page, text, xy, FONT, scale, 30, 2, cv2.LINE_AA)


def _covers(box: tuple[int, int, int, int], x: int, y: int) -> bool:
    bx, by, bw, bh = box
    return bx <= x <= bx + bw and by <= y <= by + bh


def test_caption_value_and_columns_are_separate_segments() -> None:
    page = _page_with_pattern()
    _text(page, "Surname / Nom", (100, 100), 0.6)
    _text(page, "HUGHES", (100, 145), 1.2)
    _text(page, "26 JUL 2013", (700, 145), 1.2)
    segments = find_segments(page, text_height=26)
    value = [s for s in segments if _covers(s.box, 150, 130)]
    date = [s for s in segments if _covers(s.box, 800, 130)]
    caption = [s for s in segments if _covers(s.box, 150, 95)]
    assert len(value) == 1 and len(date) == 1 and len(caption) == 1
    assert value[0] is not date[0]  # the two columns stay apart
    assert value[0] is not caption[0]  # the caption above is a line of its own
    vx, vy, vw, vh = value[0].box
    assert vx + vw < 700 and 110 < vy + vh / 2 < 140
    for s in (value[0], date[0], caption[0]):
        assert s.binary.dtype == np.uint8 and s.binary.shape[0] >= ROW_HEIGHT


def test_a_row_cut_from_a_wider_component_is_narrowed_and_split_at_field_gaps() -> None:
    """A row keeps its parent component's width (a value joined through a stroke to a band of
    pattern below): it is narrowed to its ink and cut where fields stand apart."""
    ink = np.zeros((60, 1400), np.uint8)
    ink[10:30, 220:380] = 255  # a signature
    ink[10:30, 490:700] = 255  # "CIVIL STATUS" ...
    ink[10:30, 715:1140] = 255  # ... "DEPARTMENT AMMAN": a word gap, same field
    pieces = _split_columns(ink, (40, 10, 1360, 20), gap=40)
    assert pieces == [(220, 10, 160, 20), (490, 10, 650, 20)]
    assert _split_columns(np.zeros((60, 100), np.uint8), (0, 0, 100, 20), gap=40) == [
        (0, 0, 100, 20)
    ]


def test_blank_pattern_gives_no_long_segment() -> None:
    page = _page_with_pattern()
    segments = find_segments(page, text_height=26)
    assert all(s.box[2] < 0.75 * page.shape[1] for s in segments)


def test_collage_rows_map_back_and_flip() -> None:
    a = np.zeros((20, 50), np.uint8)
    b = np.full((30, 80), 128, np.uint8)
    b[0, 0] = 7
    collage = build_collage([a, b])
    (top_a, bottom_a), (top_b, bottom_b) = collage.rows
    assert bottom_a - top_a == 20 and bottom_b - top_b == 30 and top_b > bottom_a
    assert collage.row_of((top_a + bottom_a) / 2) == 0
    assert collage.row_of((top_b + bottom_b) / 2) == 1
    assert collage.row_of(collage.image.shape[0] + 100) is None
    assert collage.image[top_b, 16] == 7  # pasted at the margin, unchanged
    flipped = build_collage([a, b], flip=True)
    _, (top, bottom) = flipped.rows
    assert flipped.image[bottom - 1, 16 + 80 - 1] == 7  # turned 180°


def test_a_line_run_into_a_stamp_ring_is_still_found_whole() -> None:
    """A value whose first digit touches a stamp's ring: the ring and the line are one component
    taller than any line; the ring is taken out and the line found, its first digit included."""
    page = _page_with_pattern()
    _text(page, "Date of issue", (300, 160), 0.6)
    _text(page, "24/12/2025", (300, 205), 1.2)
    for radius in range(40, 84, 6):  # a stamp's rings: ink in every row, no gap to cut at
        cv2.circle(page, (230, 195), radius, 60, 2, cv2.LINE_AA)  # the outer runs into the "2"
    segments = find_segments(page, text_height=26)
    value = [s for s in segments if _covers(s.box, 400, 193)]
    assert len(value) == 1
    x, _, w, h = value[0].box
    assert x <= 305 and x + w >= 480  # whole: from the first digit to the last
    assert h < 2 * 26  # one line, not the ring


def test_a_piece_of_a_line_found_whole_elsewhere_is_dropped() -> None:
    from docfraud.ocr.textlines import _inside

    assert _inside((856, 551, 98, 28), (855, 551, 138, 28))
    assert not _inside((700, 551, 98, 28), (855, 551, 138, 28))
    assert not _inside((856, 520, 98, 28), (855, 551, 138, 28))


def test_a_value_on_a_band_of_hairlines_joined_to_the_frame_is_still_found() -> None:
    """A frame of fine print around the page, a band of dark hairlines across it that the
    frame's sides join, and a bold value printed over the band: frame, band and value are one
    component too sparse to be print. The hairlines are opened away and the value found."""
    page = _page_with_pattern()
    cv2.rectangle(page, (3, 3), (1196, 396), 60, 1)  # the frame's fine print, as a hairline
    xs = np.arange(4, 1196)
    for k in range(0, 30, 5):  # the band: hairlines from side to side, through the value
        ys = (175 + k + 6 * np.sin(xs / 17.0 + k)).astype(int)
        page[ys, xs] = 60
    _text(page, "Authority", (100, 160), 0.6)
    cv2.putText(page, "BURGERAMT LEIPZIG", (100, 200), FONT, 1.2, 20, 4, cv2.LINE_AA)
    segments = find_segments(page, text_height=26)
    value = [s for s in segments if _covers(s.box, 250, 188)]
    assert len(value) == 1
    x, _, w, h = value[0].box
    assert x <= 105 and x + w >= 460 and h < 2 * 26  # the value's line, not the band


@pytest.mark.parametrize(
    ("piece", "line", "inside"),
    [
        ((854, 551, 93, 33), (855, 554, 328, 30), True),  # cut 3 px higher: "4123" of the number
        ((855, 554, 93, 30), (855, 554, 328, 30), True),
        ((855, 530, 93, 18), (855, 554, 328, 30), False),  # the caption above it
        ((855, 548, 93, 42), (855, 554, 328, 30), False),  # much taller: two lines
        ((1150, 554, 93, 30), (855, 554, 328, 30), False),  # beyond its right end
    ],
)
def test_a_piece_of_a_line_found_whole_is_told_from_another_line(
    piece: tuple[int, int, int, int], line: tuple[int, int, int, int], inside: bool
) -> None:
    assert _inside(piece, line) is inside
