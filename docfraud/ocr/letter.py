"""Read guardianship orders and parental-consent letters: who, when, by whom, sealed, signed.

The reader works from general cues, never from one template's wording, so that it carries over
to letters it has not seen:

1. **Page.** Rectify with the outline when there is one (a wide page is turned upright, letters
   being portrait), else find the skew whose row profile is sharpest; words smeared along their
   lines, weighed by length, tell rows from columns. The page is cropped to its ink (whole marks
   kept), scaled so that lower-case letters are about :data:`X_HEIGHT_PX` high, shading divided
   out and long thin rules erased (tesseract skips ruled tables), with the walls of comb fields
   (one box per capital letter), whose letters are joined back into words after reading
   (:func:`_combs`, :func:`_joined_in_combs`). When the first reading is poor
   (:data:`WELL_READ`), the whole picture is read without the outline (which may have been a
   table's frame) and the better reading kept, and a strip is read both ways up to decide
   whether to turn the page round and read it again.
2. **Words.** Tesseract's ``Latin`` script model (all Latin diacritics, any of en/fr/de) with its
   layout analysis (:func:`docfraud.ocr.words.read_words`); lines of separate blocks that stand
   on one row (a table's label and value columns) are joined into one line.
3. **Recognition.** A letter speaks of guardianship, custody or parental authority, or of consent
   for a child or to travel, in English, French or German (:func:`is_letter_text`).
4. **Fields.** Role words before a value tie it to a field (``born`` / ``né(e) le`` / ``geboren
   am`` before a date; ``passport`` / ``n°`` / ``Nr.`` before a document number); a person's
   role comes from the words before the name (``the minor``, ``accompagné de``, ``Vormund``),
   or after it (``X, the father``, ``X and Y jointly exercise parental responsibility``), or
   from a form label left of or above the value (a row of captions over a row of values gives
   each value the caption over it). Dates come from :mod:`docfraud.text.dates`.
5. **Second reading.** The fields a case compares with the passports or the scan date (names,
   dates, document numbers) are read once more from differently prepared pixels (the field
   alone, Otsu-binarised, rescaled) into ``FieldReading.alternatives``, so that the checks can
   tell a value read the same way twice from OCR noise.
6. **Marks.** Seals and signatures are found on the upright page by
   :mod:`docfraud.imaging.marks`, excluding the printed lines the OCR found and the words of
   every field's value (a form filled in a handwriting type is not signed by it) and the words
   typed over a seal, which the page's OCR misses and each seal's box is read again for.

Every region is mapped back to input pixels through the homography of steps 1–2.
"""

from __future__ import annotations

import itertools
import logging
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.geometry import rotate_whole
from docfraud.imaging.marks import find_seals, find_signatures
from docfraud.imaging.rectify import DocumentQuad, find_document, rectify
from docfraud.ocr.words import Word, box_union, lines_of, read_words
from docfraud.text.dates import find_dates
from docfraud.types import Box, FieldReading, LetterReading, Region

logger = logging.getLogger(__name__)

LANG = "Latin"
"""Tesseract's Latin-script model: reads en/fr/de wording and the diacritics of any name."""
PRINT_OVER_SEAL_CONFIDENCE = 0.6
"""Confidence at which a word read inside a seal's box is print (:func:`_print_over_seals`)."""
PRINT_OVER_SEAL_MARGIN = 0.5
"""Share of a seal's width read beyond each side of it for the print over it
(:func:`_print_over_seals`)."""
PRINT_OVER_SEAL_HEIGHT = 1.6
"""A word read over a seal taller than this many times the page's median word is a pen's
(:func:`_print_over_seals`)."""
ROW_OVERLAP = 0.7
"""Share of the shorter word's height two words overlap by on one typed row."""
TYPE_HEIGHT_SPREAD = 1.25
"""Two words of one type size differ in height (ascenders, descenders) by at most this factor."""
X_HEIGHT_PX = 17.0
"""Target x-height for tesseract (its LSTM reads best with x-heights of roughly 15–25 px)."""
MAX_SCALE = 3.0
MAX_WORK_SIDE = 2200
"""Longest side of the OCR image; bounds tesseract's time on a huge photo."""
TURNED_GAIN = 1.5
"""A poorly read page is taken turned round where that reading has half again as many sure words
(upside-down Latin text gives a handful of them, the right way up several times more)."""
WELL_READ = (25, 0.75)
"""At least 25 words of three letters or more, with a mean confidence of 0.75: the page was read
the right way up (upside-down text gives few words, all unsure)."""
LETTERHEAD_SHARE = 0.2
"""Top share of the text's height where a letterhead names the issuer."""
ANGLE_STEP = 1.0
"""Degrees between the skew angles tried when the page has no outline."""
RULE_GREY = 225
"""Grey level under which a pixel may belong to a rule: printed rules are often lighter than the
text (hairlines, grey table grids), and a blurred one lighter still."""
RULE_THICKNESS = 0.5
"""A rule is thinner across than this share of the x-height; a line of letters is not."""
LEADER_DOT = 0.4
LEADER_GAP = 0.5
"""A dotted leader's specks are at most this share of an x-height high, and this share of one
apart (:func:`_leaders`)."""
CAPTION_GAP = 2.5
COLUMN_GAP = 2.0
"""A gap between words of :data:`CAPTION_GAP` line heights, and :data:`COLUMN_GAP` times the
line's median gap, sets captions apart in columns (a justified line of prose, stretched to the
margin, is as wide apart between every word)."""
TOKEN_GAP = 0.3
"""Pieces of a number or date closer than this share of their height are one token
(:func:`_one_token`); type sets its words about a third of its height apart or more."""
COMB_TICKS = 5
"""A comb has at least this many cell walls standing on one rule at one pitch."""
COMB_REMNANTS = "|!()[]{},;:_"
"""Characters tesseract makes of a comb's walls and rules, dropped at a comb word's ends."""
COMB_PITCH = (1.0, 5.0)
"""A comb's cell holds one capital: its width lies in this range of x-heights (a table's column
rules stand further apart)."""
MARK_SHARE = 0.4
"""An ink blob the text area cuts is taken in whole when it spans less than this share of the
picture each way: a stamp or signature is, a page edge or a table top is not."""

Matrix = npt.NDArray[np.float64]
Gray = npt.NDArray[np.uint8]


# --- Page: rectify, orient, scale -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Comb:
    """A form field of one box per capital letter (a comb), in page pixels."""

    box: Box
    pitch: float
    """Cell width."""


@dataclass(frozen=True, slots=True)
class _Page:
    gray: Gray
    """(H, W) upright page at OCR scale, rules and comb walls painted white."""
    bgr: npt.NDArray[np.uint8]
    """(H, W, 3) the same pixels in colour, for seals and signatures."""
    to_input: Matrix
    """3×3 homography from ``gray`` pixels to input pixels."""
    erased: npt.NDArray[np.bool_]
    """(H, W) the pixels of ``gray`` painted white (rules, comb walls)."""
    combs: tuple[_Comb, ...] = ()


def _affine3(m: npt.NDArray[np.float64]) -> Matrix:
    out = np.eye(3)
    out[:2, :] = m
    return out


def _ink(gray: Gray) -> npt.NDArray[np.uint8]:
    """Dark ink as 255 on 0, with a local threshold so that shading and vignettes do not count."""
    block = max(15, (min(gray.shape) // 40) | 1)
    binary = cv2.adaptiveThreshold(
        gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15
    )
    return np.asarray(binary, dtype=np.uint8)


def _row_sharpness(ink: npt.NDArray[np.uint8]) -> float:
    """How much the row sums vary: high when text lines run horizontally."""
    rows = ink.sum(axis=1, dtype=np.float64)
    return float(np.var(np.diff(rows)))


def _rotate(image: npt.NDArray[np.uint8], angle: float) -> tuple[npt.NDArray[np.uint8], Matrix]:
    """``image`` turned by ``angle`` degrees counter-clockwise on a canvas that holds all of it
    (white paper around a page; no ink around a mask).

    Returns:
        (turned image, 3×3 matrix mapping turned pixels back to ``image`` pixels).
    """
    border = (255, 255, 255) if image.ndim == 3 else 0
    turned, back = rotate_whole(image, angle, border)
    return turned, _affine3(back.matrix())


def _horizontal_text(ink: npt.NDArray[np.uint8]) -> bool:
    """Whether text runs along rows: words smeared along their line become wide, flat blobs.

    The blobs are weighed by their length: smeared across, a page's narrow glyphs (l, t, 1)
    make many short flat blobs too, and on a small copy its lines make few long ones.
    """
    kernel = np.ones((1, 5), np.uint8)

    def flat_blobs(mask: npt.NDArray[np.uint8]) -> int:
        _, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        w, h = stats[1:, cv2.CC_STAT_WIDTH], stats[1:, cv2.CC_STAT_HEIGHT]
        words = (w >= 3 * h) & (h >= 3) & (w < 0.95 * mask.shape[1])
        return int(w[words].sum())

    along_rows = flat_blobs(np.asarray(cv2.dilate(ink, kernel), dtype=np.uint8))
    along_cols = flat_blobs(np.ascontiguousarray(cv2.dilate(ink, kernel.T).T))
    return along_rows >= along_cols


def _text_angle(ink: npt.NDArray[np.uint8], coarse_only: bool) -> float:
    """The rotation (degrees, counter-clockwise) that makes text lines horizontal, up to 180°.

    Up and down are left to :func:`_read_page`.
    """
    best = 0.0
    h, w = ink.shape
    if coarse_only and max(h, w) > 1.2 * min(h, w):
        # A whole page outline: letters are portrait (A4, Letter), so a wide page lies on its side.
        return 90.0 if w > h else 0.0
    if not coarse_only:
        scores = [(_row_sharpness(_rotate(ink, a)[0]), a) for a in np.arange(-45.0, 45.0, 3.0)]
        coarse = max(scores)[1]
        fine = np.arange(coarse - 2.5, coarse + 2.6, ANGLE_STEP / 2)
        best = float(max((_row_sharpness(_rotate(ink, a)[0]), a) for a in fine)[1])
    if not _horizontal_text(_rotate(ink, best)[0]):
        best += 90.0
    return best


def _page_of(bgr: npt.NDArray[np.uint8], outline: DocumentQuad | None) -> _Page:
    """Upright, scaled page with the homography back to ``bgr``.

    Args:
        bgr: (H, W, 3) the page as captured.
        outline: the page's outline; without one, the whole picture is straightened by the skew
            of its text lines.
    """
    if outline is not None:
        flat, to_input = rectify(bgr, outline)
    else:
        flat, to_input = np.asarray(bgr, dtype=np.uint8), np.eye(3)
    gray = np.asarray(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    # Direction on a small copy (about 900 px): enough for text lines, cheap to rotate.
    small_scale = min(1.0, 900.0 / max(gray.shape))
    small = cv2.resize(gray, None, fx=small_scale, fy=small_scale, interpolation=cv2.INTER_AREA)
    ink = _ink(np.asarray(small, dtype=np.uint8))
    angle = _text_angle(ink, coarse_only=outline is not None)
    upright, back = _rotate(flat, angle) if angle % 360.0 else (flat, np.eye(3))
    to_input = to_input @ back
    gray = np.asarray(cv2.cvtColor(upright, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    x0, y0, x1, y1 = _text_area(gray)
    gray, upright = gray[y0:y1, x0:x1], upright[y0:y1, x0:x1]
    to_input = to_input @ np.array([[1.0, 0.0, x0], [0.0, 1.0, y0], [0.0, 0.0, 1.0]])
    scale = _ocr_scale(gray)
    if scale != 1.0:
        size = (round(gray.shape[1] * scale), round(gray.shape[0] * scale))
        gray = np.asarray(cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC), dtype=np.uint8)
        upright = np.asarray(cv2.resize(upright, size, interpolation=cv2.INTER_CUBIC), np.uint8)
        to_input = to_input @ np.diag([1.0 / scale, 1.0 / scale, 1.0])
    flat = _flatten(gray)
    comb_walls, combs = _combs(flat)
    flat[comb_walls] = 255
    clean = _without_rules(flat)
    return _Page(clean, upright, to_input, comb_walls | (clean != flat), combs)


def _turned(page: _Page) -> _Page:
    """The same page turned by 180°."""
    h, w = page.gray.shape
    turn = np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0], [0.0, 0.0, 1.0]])
    combs = tuple(
        _Comb((w - x - bw, h - y - bh, bw, bh), c.pitch)
        for c in page.combs
        for x, y, bw, bh in [c.box]
    )
    return _Page(
        np.ascontiguousarray(page.gray[::-1, ::-1]),
        np.ascontiguousarray(page.bgr[::-1, ::-1]),
        page.to_input @ turn,
        np.ascontiguousarray(page.erased[::-1, ::-1]),
        combs,
    )


def _sure_words(words: Sequence[Word]) -> float:
    """Confidence-weighted count of the words of three letters or more."""
    return sum(w.confidence for w in words if sum(c.isalpha() for c in w.text) >= 3)


def _well_read(words: Sequence[Word]) -> bool:
    """Whether OCR found plenty of confident words (it does not on text upside down)."""
    real = [w for w in words if sum(c.isalpha() for c in w.text) >= 3]
    return len(real) >= WELL_READ[0] and sum(w.confidence for w in real) / len(real) >= WELL_READ[1]


def _read_page(
    bgr: npt.NDArray[np.uint8], outline: DocumentQuad | None
) -> tuple[_Page, list[Word]]:
    """The upright page and its words.

    The page is read as the text lines lie; only when that reads poorly is it read again turned
    round (:func:`_upright`). Where no outline stood out and the whole picture reads poorly, the
    page within softer edges is read too (a white page on a light table, :func:`find_document`
    there), and the reading with more sure words kept. (Soft edges are not searched first: on a
    flatbed scan they find a form's frame inside the page.)
    """
    soft = None
    if outline is None:
        gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), np.uint8)
        outline = find_document(gray)
        soft = None if outline is not None else find_document(gray, soft_edges=True)
    page = _page_of(bgr, outline)
    words = read_words(page.gray, lang=LANG, psm=3)
    if outline is not None and not _well_read(words):
        # The outline may not be the letter's (a sheet under it, a table's frame taken for the
        # page and turned on its side): read the whole picture, straightened by its text
        # lines, and keep the reading with more sure words.
        whole = _page_of(bgr, None)
        again = read_words(whole.gray, lang=LANG, psm=3)
        if _sure_words(again) > _sure_words(words):
            page, words = whole, again
    page, words = _upright(page, words)
    if soft is not None and not _well_read(words):
        within = _page_of(bgr, soft)
        other, again = _upright(within, read_words(within.gray, lang=LANG, psm=3))
        if _sure_words(again) > _sure_words(words):
            page, words = other, again
    return page, _joined_in_combs(words, page.combs)


def _upright(page: _Page, words: list[Word]) -> tuple[_Page, list[Word]]:
    """``page`` and its words, or the page turned round and its words where it reads poorly as
    it lies and turned round has clearly more sure words (:data:`TURNED_GAIN`; two poor readings
    of a blurred page differ by chance). (Judging up and down on the densest strip of text alone
    failed both ways: on a form's rows of boxes, and where a sheet under the letter held the
    densest ink.)"""
    if _well_read(words):
        return page, words
    turned = _turned(page)
    again = read_words(turned.gray, lang=LANG, psm=3)
    if _sure_words(again) > TURNED_GAIN * _sure_words(words):
        return turned, again
    return page, words


def _text_area(gray: Gray) -> tuple[int, int, int, int]:
    """(x0, y0, x1, y1) around the ink, with a margin; the background of a photo is dropped so
    the text can be scaled up.

    The outer 1 % of ink pixels (specks, edges) does not set the area, but a mark it cuts
    through is kept whole: a stamp or signature at the foot of the text is evidence.
    """
    factor = min(1.0, 800.0 / max(gray.shape))
    small = cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    ink = _ink(np.asarray(small, dtype=np.uint8))
    ink = np.asarray(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)), np.uint8)
    ys, xs = np.nonzero(ink)
    h, w = gray.shape
    if len(xs) < 100:
        return 0, 0, w, h
    lo_x, hi_x = np.percentile(xs, [0.5, 99.5])
    lo_y, hi_y = np.percentile(ys, [0.5, 99.5])
    lo_x, lo_y, hi_x, hi_y = _whole_marks(ink, (lo_x, lo_y, hi_x, hi_y))
    lo_x, hi_x, lo_y, hi_y = lo_x / factor, hi_x / factor, lo_y / factor, hi_y / factor
    pad = 0.03 * max(hi_x - lo_x, hi_y - lo_y)
    x0, y0 = max(0, int(lo_x - pad)), max(0, int(lo_y - pad))
    x1, y1 = min(w, int(hi_x + pad) + 1), min(h, int(hi_y + pad) + 1)
    if (x1 - x0) < 0.2 * w or (y1 - y0) < 0.2 * h:
        return 0, 0, w, h
    return x0, y0, x1, y1


def _whole_marks(
    ink: npt.NDArray[np.uint8], area: tuple[float, float, float, float]
) -> tuple[float, float, float, float]:
    """``area`` (x0, y0, x1, y1) grown to take in every ink blob it cuts, unless the blob is
    as large as a page edge or a table top in the background would be."""
    h, w = ink.shape
    joined = cv2.dilate(ink, np.ones((5, 5), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    x0, y0, x1, y1 = area
    for x, y, bw, bh, _ in stats[1:count]:
        cut = x < x0 <= x + bw or x < x1 <= x + bw or y < y0 <= y + bh or y < y1 <= y + bh
        inside = x < x1 and x + bw > x0 and y < y1 and y + bh > y0
        if cut and inside and bw < MARK_SHARE * w and bh < MARK_SHARE * h:
            x0, y0 = min(x0, x), min(y0, y)
            x1, y1 = max(x1, x + bw), max(y1, y + bh)
    return x0, y0, x1, y1


def _without_rules(gray: Gray) -> Gray:
    """Paint long straight rules (table grids, form boxes, underlines) white: tesseract's layout
    analysis treats a ruled table as a picture and skips the text inside it.

    A rule is long and thin across: a blurred line of text also runs dark for a long way, but it
    is as thick as its letters, and painting it out would erase the words.
    """
    dark = (gray < RULE_GREY).astype(np.uint8) * 255
    length = max(25, gray.shape[1] // 25)
    across = max(3, round(RULE_THICKNESS * X_HEIGHT_PX))
    thick_rows = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((across, 1), np.uint8))
    thick_columns = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, across), np.uint8))
    horizontal = cv2.morphologyEx(
        cv2.subtract(dark, thick_rows), cv2.MORPH_OPEN, np.ones((1, length), np.uint8)
    )
    vertical = cv2.morphologyEx(
        cv2.subtract(dark, thick_columns), cv2.MORPH_OPEN, np.ones((length, 1), np.uint8)
    )
    rules = cv2.dilate(
        cv2.bitwise_or(cv2.bitwise_or(horizontal, vertical), _leaders(dark, length)),
        np.ones((3, 3), np.uint8),
    )
    out = gray.copy()
    out[rules > 0] = 255
    return out


def _leaders(dark: npt.NDArray[np.uint8], length: int) -> npt.NDArray[np.uint8]:
    """Dotted leaders (a form's ``Date of birth: ........``): rows of specks and dashes, each a
    component of its own no taller than :data:`LEADER_DOT` of an x-height, at most
    :data:`LEADER_GAP` apart, running ``length`` pixels or more. Left in, they make tesseract
    drop the value typed over them; a letter's own specks (full stops, the dots of an i, a
    hyphen) stand too far apart."""
    _, labels, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    small = stats[:, cv2.CC_STAT_HEIGHT] <= LEADER_DOT * X_HEIGHT_PX
    small[0] = False
    specks = small[labels].astype(np.uint8) * 255
    bridge = round(LEADER_GAP * X_HEIGHT_PX) | 1
    joined = cv2.morphologyEx(specks, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    return np.asarray(
        cv2.morphologyEx(joined, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)), np.uint8
    )


def _combs(gray: Gray) -> tuple[npt.NDArray[np.bool_], tuple[_Comb, ...]]:
    """The walls of every comb field (one box per capital letter) and the combs themselves.

    A comb's walls are short thin uprights standing on (or, upside down, hanging from) one rule
    at a regular pitch at least a capital wide. Tesseract reads them as ``I``, ``l`` or ``1``
    between the letters, and they cut the box's rules into pieces too short for
    :func:`_without_rules`, so they are found first. A letter's stem touching the rule is no
    wall: it lies off the pitch.
    """
    dark = (gray < RULE_GREY).astype(np.uint8) * 255
    across = max(3, round(RULE_THICKNESS * X_HEIGHT_PX))
    long_rows = cv2.morphologyEx(
        dark, cv2.MORPH_OPEN, np.ones((1, max(25, gray.shape[1] // 25)), np.uint8)
    )
    rules = np.asarray(
        cv2.subtract(
            long_rows, cv2.morphologyEx(long_rows, cv2.MORPH_OPEN, np.ones((across, 1), np.uint8))
        ),
        dtype=np.uint8,
    )
    none = np.zeros(gray.shape, np.bool_)
    if not rules.any():
        return none, ()
    near_rule = cv2.dilate(rules, np.ones((5, 3), np.uint8)) > 0
    thin = cv2.subtract(
        dark, cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, across), np.uint8))
    )
    upright = cv2.morphologyEx(thin, cv2.MORPH_OPEN, np.ones((round(X_HEIGHT_PX / 2), 1), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(upright, connectivity=8)
    by_rule: dict[int, list[tuple[float, int]]] = {}
    for i in np.flatnonzero(stats[1:, cv2.CC_STAT_WIDTH] <= across) + 1:
        x, y, w, h = (int(v) for v in stats[i, :4])
        for end in (y + h - 1, y):
            if near_rule[end, x : x + w].any():
                key = next((k for k in by_rule if abs(k - end) <= 4), end)
                by_rule.setdefault(key, []).append((x + w / 2.0, int(i)))
                break
    walls: list[int] = []
    combs: list[_Comb] = []
    for ticks in by_rule.values():
        for run in _regular_runs(sorted(ticks)):
            walls += [i for _, i in run]
            boxes = [stats[i, :4] for _, i in run]
            x0 = min(int(b[0]) for b in boxes)
            x1 = max(int(b[0] + b[2]) for b in boxes)
            y0 = min(int(b[1]) for b in boxes)
            y1 = max(int(b[1] + b[3]) for b in boxes)
            tall = max(int(b[3]) for b in boxes)
            y0, y1 = _cell_span(rules, x0, x1, y0, y1, tall)
            pitch = float(np.median(np.diff([x for x, _ in run])))
            combs.append(_Comb((x0, y0, x1 - x0, y1 - y0), pitch))
    if not combs:
        return none, ()
    is_wall = np.zeros(count, np.uint8)
    is_wall[walls] = 255
    mask = is_wall[labels]
    for comb in combs:  # the box's own rules, which the walls' removal would leave in pieces
        x, y, w, h = comb.box
        box = (slice(max(0, y - 3), y + h + 4), slice(x, x + w))
        mask[box] |= rules[box]
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    return np.asarray(mask > 0, dtype=np.bool_), tuple(combs)


def _regular_runs(ticks: list[tuple[float, int]]) -> list[list[tuple[float, int]]]:
    """Runs of :data:`COMB_TICKS` or more uprights (x, label) one pitch apart (or two, where a
    letter's ink hides a wall), the pitch being the commonest step on the rule and a capital's
    width (:data:`COMB_PITCH`). Each upright extends the first run it is on pitch with or starts
    its own, so a letter's stem between two walls starts a run that stays short, and two combs
    side by side on one rule stay apart."""
    if len(ticks) < COMB_TICKS:
        return []
    pitch = float(np.median(np.diff([x for x, _ in ticks])))
    if not COMB_PITCH[0] * X_HEIGHT_PX <= pitch <= COMB_PITCH[1] * X_HEIGHT_PX:
        return []
    runs: list[list[tuple[float, int]]] = []
    for tick in ticks:
        for run in runs:
            steps = (tick[0] - run[-1][0]) / pitch
            if abs(steps - round(steps)) <= 0.15 and 1 <= round(steps) <= 2:
                run.append(tick)
                break
        else:
            runs.append([tick])
    return [r for r in runs if len(r) >= COMB_TICKS]


def _cell_span(
    rules: npt.NDArray[np.uint8], x0: int, x1: int, y0: int, y1: int, tall: int
) -> tuple[int, int]:
    """(top, bottom) of a comb's cells: the rules above and below its walls' middle, or the
    walls' reach grown by a wall's height where a rule is not found (half-height walls)."""
    middle = (y0 + y1) // 2
    covered = (rules[:, x0:x1] > 0).mean(axis=1) > 0.5
    above = [y for y in range(middle, max(0, middle - 3 * tall), -1) if covered[y]]
    below = [y for y in range(middle, min(len(covered), middle + 3 * tall)) if covered[y]]
    top = above[0] if above else max(0, y0 - tall)
    bottom = below[0] if below else min(len(covered), y1 + tall)
    return top, bottom


def _joined_in_combs(words: Sequence[Word], combs: Sequence[_Comb]) -> list[Word]:
    """Words with the letters of each comb joined: one capital per cell reads as one word per
    letter, or a word cut anywhere; an empty cell, and only that, ends a word. Brackets, bars
    and commas at a comb word's ends are what is left of its walls, and are dropped."""
    out = list(words)
    for comb in combs:
        x, y, w, h = comb.box
        inside = [
            v for v in out
            if x - comb.pitch <= v.box[0] + v.box[2] / 2 <= x + w + comb.pitch
            and y <= v.box[1] + v.box[3] / 2 <= y + h
        ]  # fmt: skip
        if not inside:
            continue
        first = min(out.index(v) for v in inside)
        joined: list[Word] = []
        for v in sorted(inside, key=lambda v: v.box[0]):
            last = joined[-1] if joined else None
            if last is not None and v.box[0] - (last.box[0] + last.box[2]) < comb.pitch:
                size = len(last.text) + len(v.text)
                confidence = (last.confidence * len(last.text) + v.confidence * len(v.text)) / size
                joined[-1] = Word(
                    last.text + v.text, confidence, box_union(last.box, v.box), last.line
                )
            else:
                joined.append(v)
        kept = [v for v in out if v not in inside]
        joined = [replace(v, text=v.text.strip(COMB_REMNANTS)) for v in joined]
        out = kept[:first] + [v for v in joined if v.text] + kept[first:]
    return out


def _flatten(gray: Gray) -> Gray:
    """Divide out the paper's shading (vignette, shadows, tinted paper) so that tesseract's global
    threshold sees dark ink on uniform white; the background is a closing wider than any stroke."""
    size = max(15, (min(gray.shape) // 60) | 1)
    small = cv2.resize(gray, None, fx=0.25, fy=0.25, interpolation=cv2.INTER_AREA)
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size // 4 | 1, size // 4 | 1))
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, kernel)
    background = cv2.resize(
        background, (gray.shape[1], gray.shape[0]), interpolation=cv2.INTER_LINEAR
    )
    flat = cv2.divide(gray, np.maximum(background, 1), scale=255).astype(np.float32)
    # Stretch so the darkest ink is black (blurred photos leave text light grey), then sharpen
    # the edges that upscaling softened.
    lo = float(np.percentile(flat, 0.5))
    flat = np.clip((flat - lo) * (255.0 / max(1.0, 250.0 - lo)), 0, 255)
    soft = cv2.GaussianBlur(flat, (0, 0), 1.5)
    sharp = cv2.addWeighted(flat, 1.8, soft, -0.8, 0)
    return np.asarray(np.clip(sharp, 0, 255), dtype=np.uint8)


def _ocr_scale(gray: Gray) -> float:
    """Scale factor that brings the median x-height (height of small ink blobs) to target."""
    ink = _ink(gray)
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    glyphs = heights[(heights >= 4) & (heights <= 60) & (widths <= 2 * heights) & (widths >= 2)]
    if count < 20 or len(glyphs) < 20:
        return 1.0
    x_height = float(np.percentile(glyphs, 40))
    scale = min(MAX_SCALE, max(1.0, X_HEIGHT_PX / max(x_height, 1.0)))
    return float(min(scale, MAX_WORK_SIDE / max(gray.shape)))


def _to_input(page: _Page, box: Box) -> Box:
    """Axis-aligned box in input pixels around ``box`` (page pixels)."""
    x, y, w, h = box
    pts = np.array([[x, y, 1.0], [x + w, y, 1.0], [x + w, y + h, 1.0], [x, y + h, 1.0]]).T
    mapped = page.to_input @ pts
    xs, ys = mapped[0] / mapped[2], mapped[1] / mapped[2]
    x0, y0 = int(math.floor(xs.min())), int(math.floor(ys.min()))
    return (x0, y0, int(math.ceil(xs.max())) - x0, int(math.ceil(ys.max())) - y0)


# --- Text: the page as one string with a map back to words ----------------------------------


@dataclass(frozen=True, slots=True)
class _Text:
    text: str
    """Words joined by spaces, lines by newlines, in reading order."""
    owner: tuple[int, ...]
    """For each character of ``text``, the index of its word (-1 for separators)."""
    words: tuple[Word, ...]

    def span_words(self, start: int, end: int) -> list[Word]:
        seen = sorted({i for i in self.owner[start:end] if i >= 0})
        return [self.words[i] for i in seen]


def _rows_of(words: Sequence[Word]) -> list[list[Word]]:
    """Tesseract's lines, with the lines of a later block that stand on the same row as an
    earlier one, beside its words, merged into it left to right: the two columns of a table
    (labels, then values) come back as one block each, and on a photo a form's filled-in values
    may come back before their captions; a value belongs on its caption's row."""
    rows: list[tuple[tuple[int, ...], list[Word]]] = []
    for line in lines_of(list(words)):
        top = min(w.box[1] for w in line)
        bottom = max(w.box[1] + w.box[3] for w in line)
        for block, row in rows:
            if block == line[0].line[:1]:
                continue  # same block: tesseract already split these lines
            r_top = min(w.box[1] for w in row)
            r_bottom = max(w.box[1] + w.box[3] for w in row)
            if _share_rows((top, bottom), (r_top, r_bottom), 0.6) and not any(
                _share_columns(a.box, b.box) for a in line for b in row
            ):
                row[:] = sorted(row + line, key=lambda w: w.box[0])
                break
        else:
            rows.append((line[0].line[:1], list(line)))
    return [row for _, row in rows]


def _share_rows(a: tuple[int, int], b: tuple[int, int], share: float) -> bool:
    """Whether the vertical spans (top, bottom) ``a`` and ``b`` overlap by at least ``share`` of
    the shorter one: one row of print."""
    return min(a[1], b[1]) - max(a[0], b[0]) >= share * min(a[1] - a[0], b[1] - b[0])


def _share_columns(a: Box, b: Box) -> bool:
    """Whether two words share columns (one above the other), so they are not on one row."""
    return min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0]) > 0


def _text_of(words: Sequence[Word]) -> _Text:
    parts: list[str] = []
    owner: list[int] = []
    ordered: list[Word] = []
    for line in _rows_of(words):
        if parts:
            parts.append("\n")
            owner.append(-1)
        for j, w in enumerate(line):
            if j and not _one_token(line[j - 1], w):
                parts.append(" ")
                owner.append(-1)
            # the space put back between glued names is the word's own (its box covers both)
            glued = _GLUED_NAMES.fullmatch(w.text)
            text = f"{glued[1]} {glued[2]}" if glued and glued[3].isupper() else w.text
            parts.append(text)
            owner.extend([len(ordered)] * len(text))
            ordered.append(w)
    return _Text("".join(parts), tuple(owner), tuple(ordered))


def _one_token(left: Word, right: Word) -> bool:
    """Whether two words of a row are pieces of one number or date that OCR split at a gap
    narrower than :data:`TOKEN_GAP` of the smaller word's height (a handwriting type's
    ``09/10/19`` ``75``, ``G`` ``7`` ``P6602C1``): both of digits, capitals and date
    separators, a digit among them. Words of type stand further apart than that."""
    gap = right.box[0] - (left.box[0] + left.box[2])
    if gap >= TOKEN_GAP * min(left.box[3], right.box[3]):
        return False
    pieces = (left.text, right.text)
    return all(re.fullmatch(r"[A-Z0-9/.\-]+", p) for p in pieces) and any(
        c.isdigit() for p in pieces for c in p
    )


def _fold(text: str) -> str:
    """Lower case without accents, same length as ``text`` (one character for one). A ``þ``
    is a ``b`` whose bowl the Latin model took for a thorn ("Date of þirth"): no English, French
    or German cue has one, and the names, which may, are taken from the unfolded text."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)
        kept = "".join(c for c in base if not unicodedata.combining(c)) or ch
        out.append(kept[0].lower() if kept else ch)
    return "".join(out).replace("þ", "b")


# --- Cues: role words in English, French and German -----------------------------------------
# Patterns run on folded text (lower case, no accents). OCR often reads "rn" as "m" ("bom").

CHILD = "child"
ADULT = "adult"
PARENT = "parent"

_EXERCISED_BY = r"exercee?s?\s+par|exercised\s+by"
"""Parental authority "exercised by" the parents, before the adult it is delegated to."""
_ROLE_CUES: tuple[tuple[str, str], ...] = (
    (
        PARENT,
        r"\b(?:son|daughter|child)\s+of\b|\b(?:fils|fille|enfant)\s+de\b"
        r"|\b(?:sohn|tochter|kind)\s+(?:von|des|der)\b",
    ),
    (PARENT, r"\bparents?\b|\bfather\b|\bmother\b|\bpere\b|\bmere\b|\bvaters?\b|\bmutter\b"),
    (PARENT, r"\bundersigned\b|\bsoussigne|\bunterzeichne|\bwe,|\bnous,|\bwir,|\beltern"),
    (
        PARENT,
        r"\bsorgeberechtigt|\btitulaire(?:s|\(s\))? de l.autorite|\bparental\s+responsibility\b",
    ),
    (CHILD, r"\bminors?\b|\bchild(?:'s|ren)?\b|\benfants?\b|\bmineure?s?\b|\bkind(?:es)?\b"),
    (CHILD, r"\bminderjahrige[nr]?\b|\bson\b|\bdaughter\b|\bfils\b|\bfille\b|\bsohn\b|\btochter\b"),
    # "Inhaber der elterlichen Sorge für X": custody is held for the child
    (CHILD, r"\bsorge\s+fur\b"),
    (
        ADULT,
        r"\baccompa[gn]\w*|\bbegleit\w*|(?<!legal )\bguardian\b|\btut(?:eur|rice)\b|\bvormund\w*",
    ),
    (ADULT, r"\bempower\w*|\bappoints?\b|\bdesign(?:e|ons)\b|\bbevollmacht\w*|\bdelegataire\b"),
    # "personne accompagnant le mineur", "Begleitperson des Kindes": the child is the object
    (
        ADULT,
        r"\b(?:accompa[gn]\w*|begleit\w*)\s+(?:(?:the|le|la|les|l.|du|des|der|den|die|das)\s*)?"
        r"(?:minors?|child(?:ren)?|mineure?s?|enfants?|kind(?:es|er)?|minderjahrige[nr]?)\b",
    ),
    (
        ADULT,
        r"\brequerante?\b|\brequete\s+presentee\s+par\b|\bapplication\s+of\b|\bantrag\s+(?:von|des|der)\b",
    ),
    (
        ADULT,
        r"\b(?:travel\w*|journey|trip)\b[^.\n]{0,30}\bwith\b|\bvoyager\s+avec\b|\breis\w*\s+mit\b",
    ),
    # "à voyager en compagnie de X", "in the company of X"
    (ADULT, r"\ben\s+compagnie\s+d|\bin\s+the\s+company\s+of\b"),
    # a delegation of parental authority "hitherto exercised by" the parents, "to" the adult:
    # "DÉLÈGUE l'exercice de l'autorité parentale … jusqu'ici exercée par P, à A"
    (PARENT, rf"\b(?:{_EXERCISED_BY}|ausgeubt\s+von)\b"),
    (ADULT, rf"\b(?:{_EXERCISED_BY})\s[^;:]{{3,60}}?,\s*(?:a|to)\b"),
    # "die elterliche Sorge liegt allein bei X"
    (PARENT, r"\bsorge\s+(?:\w+\s+){0,2}bei\b"),
    (CHILD, r"\b(?:father|mother|parents?|guardians?)\s+of\b|\b(?:pere|mere|parents?)\s+de\b"),
    (CHILD, r"\b(?:vater|mutter|eltern|vormund)\s+(?:von|des|der)\b"),
    # "l'enfant désigné ci-dessous", "das unten bezeichnete Kind": the child is the one
    # designated, not an adult (the cue ends where "désigné" alone would make an adult's)
    (CHILD, r"\b(?:enfants?|mineure?s?)\s+design\w*|\bbezeichnete[ns]?\s+kind(?:es)?\b"),
    # an order is made in the best interests of, a certificate issued in respect of, the child
    (
        CHILD,
        r"\binterests?\s+of\b|\binterets?\s+de\b|\bwohl\s+(?:von|des|der)\b"
        r"|\bin\s+respect\s+of\b|\ba\s+l.egard\s+de\b|\bbetreffend\b",
    ),
    (ADULT, r"\bin\s+the\s+care\s+of\b|\bsous\s+la\s+garde\s+de\b|\bin\s+(?:der\s+)?obhut\b"),
)
_PARENT_AFTER = (
    r"[\s,]*(?:\((?:father|mother|pere|mere|vater|mutter)\)"
    r"|(?:being\s+)?(?:the\s+)?(?:lawful\s+|legal\s+)?(?:father|mother|parents?)\b"
    r"|(?:(?:jointly|solely|together|conjointement|gemeinsam|allein)\s+)?"
    r"(?:exercises?|holds?|has|have|exercent|exerce|detiennent|detient|ist|sind|hat|haben)\b"
    r"[^.\n]{0,40}"
    r"(?:parental|parentale|sorge)|(?:allein\s+)?sorgeberechtigt"
    r"|die\s+(?:alleinige\s+)?elterliche\s+sorge\b)"  # "dass X die elterliche Sorge … ausübt"
)
"""Words right after a name that make its bearer a parent: ``X, the father``, ``X exercises
sole parental responsibility``, ``X (mère)``."""
_ADULT_AFTER = (
    r"\b(?:zum|als)\s+\w{0,2}ormund\b"  # its first letter misread or doubled ("WVormund")
    r"|\b(?:is|be|been|was)\s+(?:hereby\s+)?appointed\s+(?:as\s+)?(?:the\s+)?(?:legal\s+)?"
    r"guardian\b"
    r"|\b(?:est|a\s+ete)\s+(?:designee?|nommee?)\s+(?:en\s+qualite\s+de\s+|comme\s+)?tut(?:eur|rice)\b"
    r"|\b(?:le|la)\s+delegataire\b"  # "…, à X, né le …; AUTORISE le délégataire à voyager"
)
"""An appointment named after the person it appoints, as court orders word it: ``X, geboren
am …, ist … zum Vormund … bestellt``, ``X, born …, is hereby appointed guardian``."""
APPOINTED_REACH = 160
"""Characters after a name within which its appointment (:data:`_ADULT_AFTER`) is looked for:
a sentence with the person's date of birth and document number between."""
_CHILD_WORDS = _ROLE_CUES[4][1] + "|" + _ROLE_CUES[5][1]
_BIRTH = r"\bbo[rm][nm]?\b|\bnee?\b|\bgeboren\b|\bgeb\.|\bbirth\b|\bnaissance\b|\bgeburts\w*"
BIRTH_LIKENESS = 0.6
"""Least similarity (difflib's ratio) of a word after "Date" to "birth" or "naissance" for it to
be that caption as OCR garbled it on small print ("Date of trth", "Daie otbith")."""
_INTRODUCED = r"[\s,]*(?:" + _BIRTH + r")"
"""Right after a name: the person's date of birth follows (``X, geboren am``, ``X, born``), as
an order introduces the people it concerns; a court or a table heading is not introduced so."""
_FROM = (
    r"\bfrom\b|\bdu\b|\bvom\b|\bab\b|\bbetween\b|\bentre\b|\bzwischen\b|\bdepart\w*|\babreise\w*"
    r"|reisebeginn|\bbeginn\b|\bdebut\b|\bstart\b"
)
_UNTIL = (
    r"\buntil\b|\bjusqu.?au\b|\bbis\b|\bau\b|\bto\b|\band\b|\bet\b|\bund\b|\bretu[rm]\w*|\bretour\b"
    r"|\bruckkehr\w*|\bruckreise\w*|\bexpir\w*|\bvalid\b|\bvalable\b|\bgultig\b"
    r"|reiseende|\bende\b|\bfin\b|\bend\b"
)
_ISSUE = r"\bdated?\b|\ble\b|\bden\b|\bdatum\b|\bissued\b|\bthis\b|\bfait\b|\bausgestellt\b|\bon\b"
_ISSUE_SURE = r"\bdated\b|\bissued\b|\bfait\b|\bdelivre\w*|\bausgestellt\b|,\s*(?:le|den|am)\s*$"
"""Cues that make a date the letter's own date beyond doubt (a dateline's ", le" / ", den")."""
STRAY_DATE_YEARS = 2
"""An issue date found by position alone (no cue before it) that lies more than this many years
before the letter's latest issue or journey date is no date of the letter's own but a birth
date whose caption went unread (a form's small captions in a phone photo): it yields to any
other date without a role."""
_OWN_DATES = ("issue_date", "valid_from", "valid_until")
_DATE_CAPTION = r"\bdat(?:e|um)\s*[:.]\s*$"
"""A date under a bare "Date:" caption, no other cue before it ("Place: Graz  Date:"): on a
form, the day the declaration was signed."""
_NUMBER_CUE = (
    r"passport|passeport|reisepass|pass\b|document|piece|identit|ausweis|\bcni\b|\bid\b"
    r"|\bno\b\.?|n[°o*\"”]|\bnr\b\.?|number|numero|nummer"
)
_NUMBER_WORDS = ("passport", "passeport", "reisepass", "document", "identity", "number", "numero")
"""Cue words of a document number that OCR garbles on a photographed form ("Paspor:",
"Pæsport"), matched at :data:`CUE_LIKENESS`."""
CUE_LIKENESS = 0.75
_REFERENCE_CUE = (
    r"\bref\w*|\baz\b|aktenzeichen|geschaftszeichen|\bcase\b|\brg\b|registration|enregistrement"
    r"|register|urkunde\w*|\bfile\b|dossier|\bdeed\b|\bur\b|urk\w*|\bform\b"
    r"|\bclaim\b|\bentry\b|\bminutes?\b|\brepertoire\b|\bcertificate\s+n"
)
_AUTHORITY_CUE = (
    r"court|tribunal|gericht|\bjuge\b|\bjudge\b|notar\w*|notaire|notary|registry|register|office"
    r"|mairie|standesamt|ministr\w*|ministere|department|etat civil|embass\w*|consula\w*"
    r"|jugendamt|behorde|\bamt\b|greffe|town hall|municipal\w*|commune|gemeinde|prefecture"
)
_AUTHORITY_LABELS = ("authority", "autorite", "behorde", "ausstellende stelle")
"""Form labels of the issuing authority (folded); OCR may miss a letter of one ("Authorty")."""
LABEL_LIKENESS = 0.85
"""Least similarity (difflib's ratio) at which a word before a colon is read as a label."""
_MARK_CAPTION = (
    r"\b(?:stamp|seal|signat\w*|signed|cachet|sceau|signe|(?:dienst)?siege[l1i]|stempel"
    r"|unterschr\w*|sello|firma|timbro|firmato)\b"
)
"""Words of the caption of a stamp or signature box ("Stamp and signature", "Dienstsiegel und
Unterschrift"), which forms print on the authority's line."""
FILLED_IN_REACH = 8
"""Caption heights at most between a form's caption and the value written in after it (a dotted
leader's length): handwriting that far is that value, not a signature (:func:`_filled_in`)."""
_DESTINATION_CUE = (
    r"destination|travel(?:ling)? to\b|jou(?:rn|m)ey to\b|trip to\b|voyage (?:a|en|au)\b"
    r"|reise nach\b"
    r"|\bnach\b|reiseziel|zielland|\bziel\b"
)
_LETTER_WORDS: tuple[str, ...] = (
    r"\bconsent|\bconsentement|einverstand|zustimm|\bauthori[sz]|\bautoris|vollmacht",
    r"\bguardian|\btut(?:eur|rice|elle)|vormund|\bcustody|\bgarde\b|sorgerecht"
    r"|sorgeberecht|sorgeerkl|negativbescheinigung|\bparental|\bautorite parentale|\belterlich",
    r"\btravel|\bvoyage|\breise|\bjourney|\bdestination",
)
_NOT_NAME = frozenset(
    """the of and for to by in on at with from this that date name full names surname given
    passport document identity card number no court office registry notary public family
    district order certificate consent form travel minor child parent parents father mother
    guardian mr mrs ms dr le la les de du des et au aux par pour nom prenom prenoms date
    naissance passeport enfant mineur pere mere tuteur tutrice madame monsieur mme der die das
    und von vom zum zur geboren reisepass kind vater mutter herr frau signed signature signe
    unterschrift place lieu ort city ville stadt state etat staat country pays land adult
    accompanying personne begleitperson section rubrique abschnitt know all persons presents
    these hereby whom concern yours faithfully we i nous je wir ich or legal ou oder
    birth born place nationality nationalite staatsangehorigkeit address adresse anschrift
    domicile residence wohnort geburtsort geburtsdatum geburtstag datum ort lieu block capitals
    capitales majuscules druckbuchstaben official use only reserved cadre reserve administration
    amtliche vermerke stamp seal cachet stempel case file dossier ref tel telephone
    sorgerecht gemeinsames gemeinsame alleiniges alleinige elterliche custody joint sole kindes
    registrar superintendent deputy judge president clerk officer commissioner oaths greffier
    greffe juge president maire officier richter richterin notarin urkundsbeamtin auftrag
    echtheit beglaubigt beglaubigung matter upon whereas ordered sealed copy auf antrag
    uber bescheinigung negativbescheinigung january february march july september october
    november december janvier fevrier juillet aout septembre octobre novembre decembre januar
    februar marz juli oktober dezember""".split()
)
"""Form labels and common words, never part of a name (folded: lower case, no accents); the
months, but for those that are also given names (April, May, June, August, Avril)."""
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ſȘ-ț"
"""A name's first letter: Latin capitals with those of Latin Extended-A (Ł, Ż, Š, Đ …), whose
capitals and small letters alternate, so the small ones pass too (they seldom start a word)."""
_GLUED_NAMES = re.compile(rf"([{_CAPITAL}][a-zß-ÿ]{{2,}})(([^\W\d_]{{2,}})\W*)")
"""A given name and a surname in capitals OCR read as one word (``LanVŨ``, the space lost
beside a marked capital): split where the small letters end (:func:`_text_of`)."""
_NAME_WORD = rf"[{_CAPITAL}][A-Za-zÀ-ÖØ-öø-ÿĀ-ſȘ-ț'’\-]+"
_NAME = (
    rf"[{_CAPITAL}][{_CAPITAL}'’\-]+,[ ]+{_NAME_WORD}(?:[ ]+{_NAME_WORD}){{0,2}}"  # SURNAME, Given
    rf"|{_NAME_WORD}(?:[ ]+{_NAME_WORD}){{1,3}}"
)
_SURNAME_COMMA_NAME = rf"{_NAME_WORD},[ ]+{_NAME_WORD}(?:[ ]+{_NAME_WORD}){{0,2}}"
"""``Weiß, Hannah``: a register's "Surname, Given names" in mixed case. A place reads the same
("Graz, Reisepass-Nr.", "Berlin, Deutschland"), so such a name is taken only where a role
word is right before it or a parent's words right after (:func:`_surname_first`)."""
SURE_CUE_GAP = 12
"""Characters at most between a role cue and the name it surely ties."""
_DOCNUM = r"(?<![A-Za-z0-9/])[A-Z0-9]{6,12}(?![A-Za-z0-9/])"
_SPLIT_DOCNUM = (
    r"(?<![A-Za-z0-9/])"
    r"(?:(?=[0-9]{0,2}[A-Z])[A-Z0-9]{1,3} [0-9]{5,9}(?![A-Za-z0-9/])"
    r"|(?=[0-9]{0,7}[A-Z])(?=[A-Z]{0,7}[0-9])[A-Z0-9]{5,8} (?=[A-Z]?[0-9])[A-Z0-9]{1,3}"
    r"(?![A-Za-z0-9/])(?!\.?\s*[A-Za-z0-9]))"
)
"""A document number OCR split in two at a wide gap, taken only right after its caption
(:func:`_numbers`): its head (one to three characters, a letter among them) set apart from its
digits ("BM 199409", "X5 133336"), or its last characters set apart from a head of letters and
digits ("TM463 109", "Z5B5761 X5"), where no word or number follows on the line (a date's
"12 March", the next section's "2. PARENT")."""
_REFERENCE = r"(?<![A-Za-z0-9])[A-Z]{0,3}[0-9]{1,6}(?:[/\-.][0-9A-Z]{1,8}){1,2}(?![A-Za-z0-9])"


def is_letter_text(text: str) -> bool:
    """Whether page text reads as a guardianship or parental-consent letter (en/fr/de).

    It must speak of guardianship, custody or parental authority, or of consent for a child or
    to travel: the title alone (``GUARDIANSHIP ORDER``, ``Reisevollmacht``) is enough, since
    blurred photos often leave little else legible.

    >>> is_letter_text("We consent to our minor child travelling to Rome with her aunt.")
    True
    >>> is_letter_text("PASSPORT Surname Given names Date of birth Nationality")
    False
    """
    folded = _fold(text)
    child = re.search(_CHILD_WORDS, folded) is not None
    consent, guardian, travel = (re.search(p, folded) is not None for p in _LETTER_WORDS)
    return guardian or (consent and (child or travel))


_KINDS: tuple[tuple[str, str], ...] = (
    ("court_order", r"\border\b|ordonnance|jugement|beschluss|\bcourt\b|tribunal|gericht|\bjuge"),
    ("custody_certificate", r"certificat\w*|bescheinigung|attestation|\bcustody|sorgerecht"),
    ("consent_form", r"\bform\b|formulaire|formular|block capitals|majuscules|druckbuchstaben"),
    (
        "travel_consent",
        r"consent|autorisation|einverstandnis|zustimmung|vollmacht|authori[sz]ation",
    ),
)


def _kind_of(text: _Text) -> str:
    """The letter's kind from the words of its first lines (the title) and then the whole."""
    folded = _fold(text.text)
    head = "\n".join(folded.split("\n")[:12])
    scores = {kind: 3 * len(re.findall(p, head)) + len(re.findall(p, folded)) for kind, p in _KINDS}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > 0 else "unknown"


_LANGUAGE_WORDS = {
    "en": r"\b(?:the|of|and|to|for|with|born|date|name|this|that)\b",
    "fr": r"\b(?:le|la|les|de|du|des|et|pour|avec|nom|ne|que)\b",
    "de": r"\b(?:der|die|das|und|fur|mit|von|vom|geboren|den|dem|ist)\b",
}


def _language_of(text: str) -> str:
    folded = _fold(text)
    counts = {lang: len(re.findall(p, folded)) for lang, p in _LANGUAGE_WORDS.items()}
    return max(counts, key=lambda k: counts[k])


# --- Fields ---------------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    name: str
    start: int
    end: int
    value: str
    tie: float
    """How surely the cue ties the value to the field (0..1)."""
    support: int = 1
    extra: dict[str, str] = field(default_factory=dict)


def _cues(folded: str) -> list[tuple[int, str]]:
    """(end position, role) of every role cue, in text order; of cues ending together the
    longest comes last, so it is the one a name after them takes ("accompagnant le mineur" is
    the adult's, not the child's "mineur")."""
    found = [
        (m.end(), m.end() - m.start(), role)
        for role, p in _ROLE_CUES
        for m in re.finditer(p, folded)
    ]
    return [(end, role) for end, _, role in sorted(found)]


def _last_cue(cues: list[tuple[int, str]], before: int, reach: int) -> tuple[int, str] | None:
    best = None
    for end, role in cues:
        if end > before:
            break
        if before - end <= reach:
            best = (end, role)
    return best


def _label_word(word: str) -> bool:
    """Whether ``word`` is one of :data:`_NOT_NAME`. A two-letter word written with a mark is
    a name, not the article it folds to: Vietnamese ``Lê``, ``Lã``, ``Dư`` (``le``, ``la``,
    ``du``), which French never writes so.

    >>> _label_word("Le"), _label_word("Lê"), _label_word("née"), _label_word("Père")
    (True, False, False, True)
    """
    bare = word.strip(".,:;'’")
    return _fold(bare) in _NOT_NAME and (len(bare) != 2 or bare.isascii())


def _clean_name(raw: str) -> tuple[int, int] | None:
    """Offsets (within ``raw``) of the name once label words at either end are dropped."""
    words = list(re.finditer(r"\S+", raw))
    while words and _label_word(words[0].group()):
        words.pop(0)
    while words and _label_word(words[-1].group()):
        words.pop()
    if len(words) < 2 and not (words and words[0].group().isupper() and len(words[0].group()) > 2):
        return None
    if not words or any(_label_word(w.group()) for w in words):
        return None
    return words[0].start(), words[-1].end()


def _names(text: _Text, folded: str, cues: list[tuple[int, str]]) -> list[_Found]:
    """Capitalised word runs (2–4 words) tied to the role named just before them, or, for a
    name no role precedes, to the appointment that follows it (:func:`_appointed`)."""
    found: list[_Found] = []
    previous: _Found | None = None
    unplaced: tuple[int, int] | None = None  # the last name no role claimed
    spans = [
        (m.start() + span[0], m.start() + span[1])
        for m in re.finditer(_NAME, text.text)
        if (span := _clean_name(m.group())) is not None
    ]
    spans = _surname_first(text.text, folded, cues, spans)
    # people introduced with their date of birth ("X, geboren am …"), as an order names them
    introduced = [s for s, e in spans if re.match(_INTRODUCED, folded[e : e + 30])]
    for start, end in spans:
        cue = _last_cue(cues, start, 60)
        if cue is not None and folded.count("\n", cue[0], start) > 2:
            cue = None
        role: str | None = None
        tie = 0.0
        if cue is not None:
            gap = start - cue[0]
            role, tie = cue[1], 0.95 if gap <= SURE_CUE_GAP else 0.8 if gap <= 25 else 0.5
        after = re.match(_PARENT_AFTER, folded[end : end + 80])
        if after is not None and tie < 0.95:
            role, tie = PARENT, 0.9
            # "X and Y jointly exercise parental responsibility": X is a parent too.
            if unplaced is not None and re.fullmatch(_JOINED, folded[unplaced[1] : start]):
                found.append(_named(text, PARENT, *unplaced, tie))
        between = folded[previous.end : start] if previous is not None else ""
        if previous is not None and re.fullmatch(r"[\s,]*(?:and|et|und|&)?[\s,]*", between):
            if cue is None or cue[0] <= previous.start:
                role, tie = previous.extra["role"], previous.tie
        if role is None and start in introduced:
            following = next((s for s in introduced if s > start), len(folded))
            role, tie = _appointed(folded, end, following), 0.8
        if role is None:
            unplaced = (start, end)
            continue
        item = _named(text, role, start, end, tie)
        found.append(item)
        previous, unplaced = item, None
    return found


def _surname_first(
    raw: str, folded: str, cues: list[tuple[int, str]], spans: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """``spans`` with the mixed-case "Surname, Given" names (:data:`_SURNAME_COMMA_NAME`) that
    a role ties surely, or that an order introduces with a birth date and appoints guardian
    (``Köhler, Lukas, geboren am …, ist … zum Vormund … bestellt``), each in place of the given
    names alone that it contains."""
    for m in re.finditer(_SURNAME_COMMA_NAME, raw):
        if _clean_name(m.group()) != (0, len(m.group())):
            continue
        cue = _last_cue(cues, m.start(), SURE_CUE_GAP)
        tied = cue is not None and "\n" not in folded[cue[0] : m.start()].strip()
        after = folded[m.end() : m.end() + 80]
        appointed = re.match(_INTRODUCED, after) and _appointed(folded, m.end(), len(folded))
        if tied or appointed or re.match(_PARENT_AFTER, after):
            spans = [s for s in spans if s[1] <= m.start() or s[0] >= m.end()]
            spans.append((m.start(), m.end()))
    return sorted(spans)


def _appointed(folded: str, end: int, next_person: int) -> str | None:
    """:data:`ADULT` when the person whose name ends at ``end`` is appointed guardian after it,
    before the next person introduced and within :data:`APPOINTED_REACH`; else None."""
    after = re.search(_ADULT_AFTER, folded[end : min(next_person, end + APPOINTED_REACH)])
    return ADULT if after is not None else None


_JOINED = r"[\s,]*(?:and|et|und|&)[\s,]*"
"""What joins two names of one role ("X and Y")."""


def _named(text: _Text, role: str, start: int, end: int, tie: float) -> _Found:
    value = " ".join(text.text[start:end].split())
    return _Found(f"{role}_name", start, end, value, tie, extra={"role": role})


def _role_before(names: list[_Found], position: int, reach: int = 200) -> _Found | None:
    best = None
    for n in names:
        if n.end <= position and position - n.end <= reach:
            best = n
    return best


def _label_above(text: _Text, folded: str, start: int, end: int) -> str:
    """The label printed just above a value that starts its line (forms, two-column rows).

    Returns the folded words of the line above that overlap the value horizontally, or ``""``
    when the value does not start its line (its label is then on its left) or nothing is above.
    """
    line_start = text.text.rfind("\n", 0, start) + 1
    before = folded[line_start:start]
    if re.search(r"[a-z]{3}", before) or line_start == 0:
        return ""
    value = text.span_words(start, end)
    above = _words_above(text, line_start)
    if not value or not above:
        return ""
    x0 = min(w.box[0] for w in value)
    x1 = max(w.box[0] + w.box[2] for w in value)
    # Words over the value, else the nearest label starting left of it.
    over = [w for w in above if w.box[0] < x1 and w.box[0] + w.box[2] > x0]
    if not over:
        left = [w for w in above if w.box[0] <= x0]
        over = left[-3:]
    if over:
        first = min(w.box[0] for w in over)
        over = [w for w in above if first <= w.box[0] < x1]
        # The label runs on to the right of the value's start: take its whole phrase, up to the
        # next value on the line, which has a label of its own ("Departure date  Return date")
        # starting a little left of that value (a box's or comb's inner margin).
        starts = [w for w in above if w.box[0] <= x0]
        if starts:
            head = starts[-1]
            line_end = text.text.find("\n", end)
            beside = text.span_words(end, line_end if line_end >= 0 else len(text.text))
            margin = 2 * max(w.box[3] for w in value)
            stop = min([w.box[0] - margin for w in beside if w.box[0] > x1], default=x1 + (x1 - x0))
            over = [w for w in above if head.box[0] <= w.box[0] < min(stop, x1 + (x1 - x0))]
    return _fold(" ".join(w.text for w in over))


def _words_above(text: _Text, line_start: int) -> list[Word]:
    """The words of the line above the one starting at ``line_start`` (none for the first)."""
    if line_start == 0:
        return []
    above_start = text.text.rfind("\n", 0, line_start - 1) + 1
    return text.span_words(above_start, line_start - 1)


def _captions_above(text: _Text, start: int) -> bool:
    """Whether the line above the one starting at ``start`` is a form's captions, not prose:
    a few words, or words set apart in columns (a gap of :data:`CAPTION_GAP` line heights that
    stands out among the line's gaps, :data:`COLUMN_GAP`)."""
    line_start = text.text.rfind("\n", 0, start) + 1
    above = sorted(_words_above(text, line_start), key=lambda w: w.box[0])
    if not above:
        return False
    if len(above) <= 4:
        return True
    height = float(np.median([w.box[3] for w in above]))
    gaps = [b.box[0] - (a.box[0] + a.box[2]) for a, b in itertools.pairwise(above)]
    widest = max(gaps)
    return widest >= CAPTION_GAP * height and widest >= COLUMN_GAP * float(np.median(gaps))


def _birth_cue(window: str) -> int:
    """End of the last birth cue in folded ``window``, -1 where there is none: a cue of
    :data:`_BIRTH`, or a "Date of birth" caption whose last word OCR garbled on small print
    ("Date of trth", "Daie otbith", "Date ofbinh"), like "birth" or "naissance"
    (:data:`BIRTH_LIKENESS`) within two words after one like "date", or read as one word with
    it ("Dateofbith").

    >>> _birth_cue("daie otbith: "), _birth_cue("date of torth"), _birth_cue("date of return")
    (11, 13, -1)
    >>> _birth_cue("dateofbith: "), _birth_cue("dateofreturn: ")
    (10, -1)
    """
    end = max((m.end() for m in re.finditer(_BIRTH, window)), default=-1)
    words = list(re.finditer(r"[a-z]+", window))
    for i, m in enumerate(words):
        joined = re.fullmatch(r"(da[a-z]e)(?:o[ft]|de)?([a-z]{4,})", m.group())
        if joined and _like_birth(joined.group(2)):
            end = max(end, m.end())
            continue
        word = re.sub(r"^(?:o[ft]|de)(?=[a-z]{4})", "", m.group())  # "of" read joined on
        if not _like_birth(word):
            continue
        if any(_like(w.group(), ("date",), 0.75) for w in words[max(0, i - 2) : i]):
            end = max(end, m.end())
    return end


def _like_birth(word: str) -> bool:
    """``word`` is "birth" or "naissance" as OCR may garble it (:data:`BIRTH_LIKENESS`)."""
    return _like(word, ("birth", "naissance"), BIRTH_LIKENESS)


def _like(word: str, cues: Iterable[str], likeness: float) -> bool:
    """``word`` is one of ``cues`` as OCR may garble it: difflib's ratio at least ``likeness``."""
    return any(SequenceMatcher(None, word, cue).ratio() >= likeness for cue in cues)


def _dates(text: _Text, folded: str, names: list[_Found]) -> list[_Found]:
    found: list[_Found] = []
    after_parent: list[tuple[int, int, str]] = []  # birth dates right after a parent's name
    previous_end = 0
    pending_range = False
    for day, (start, end) in find_dates(text.text):
        window = folded[max(previous_end, start - 45) : start]
        near = window[-15:]
        # A form's value under its label takes the label's cue over those of the line before
        # (which may be the labels of this value and the next: "Departure date  Return date").
        label = _label_above(text, folded, start, end)
        cued = label and (
            _birth_cue(label) >= 0 or any(re.search(p, label) for p in (_FROM, _UNTIL, _ISSUE))
        )
        if cued and _captions_above(text, start):
            window = label
        elif _birth_cue(near) < 0 and not any(re.search(p, near) for p in (_FROM, _UNTIL, _ISSUE)):
            window = label or window
        cues = {
            kind: max((m.end() for m in re.finditer(p, window)), default=-1)
            for kind, p in (("from", _FROM), ("until", _UNTIL), ("issue", _ISSUE))
        }
        cues["birth"] = _birth_cue(window)
        if cues["birth"] >= 0:
            kind = "birth"
        elif max(cues["from"], cues["until"]) >= 0:
            kind = "from" if cues["from"] > cues["until"] else "until"
        else:
            kind = "issue"
        if cues[kind] < 0:
            kind = "until" if pending_range else "issue"
        if kind == "until" and not pending_range and cues["from"] < 0 and cues["until"] >= 0:
            # "to", "and", "au" tie a date to the journey only after its first day.
            if re.search(
                r"until|jusqu|bis|valid|valable|gultig|retu[rm]|retour|ruck|expir|reiseende"
                r"|\bende\b|\bfin\b|\bend\b",
                window,
            ):
                kind = "until"
            else:
                kind = "issue"
        iso = day.isoformat()
        if kind == "birth":
            person = _role_before(names, start)
            role = person.extra["role"] if person is not None else CHILD
            if role == PARENT:
                after_parent.append((start, end, iso))
            else:
                found.append(_Found(f"{role}_birth_date", start, end, iso, 0.85))
            pending_range = False
        elif kind == "from":
            found.append(_Found("valid_from", start, end, iso, 0.85))
            pending_range = True
        elif kind == "until":
            found.append(_Found("valid_until", start, end, iso, 0.85))
            pending_range = False
        else:
            # "dated", "fait le", "ausgestellt am" or a dateline ("Wien, den") tie surely;
            # otherwise the issue date is only the first date without another role.
            dated = any(re.search(p, near) for p in (_ISSUE_SURE, _DATE_CAPTION)) or bool(
                re.fullmatch(r"\W*dat(?:e|um)\W*", label)
            )
            found.append(_Found("issue_date", start, end, iso, 0.85 if dated else 0.6))
        previous_end = end
    _set_aside_stray_dates(found)
    return found + _misplaced_births(after_parent, found, names)


def _set_aside_stray_dates(found: list[_Found]) -> None:
    """Lower the tie of uncued issue dates years before the letter's own dates
    (:data:`STRAY_DATE_YEARS`), so that :func:`_best` takes another where there is one."""
    own = [date.fromisoformat(f.value) for f in found if f.name in _OWN_DATES]
    if not own:
        return
    latest = max(own)
    for f in found:
        if f.name != "issue_date" or f.tie >= 0.85:  # a cued date is the letter's own
            continue
        if (latest - date.fromisoformat(f.value)).days > STRAY_DATE_YEARS * 365.25:
            f.tie = 0.4


def _misplaced_births(
    dates: list[tuple[int, int, str]], found: list[_Found], names: list[_Found]
) -> list[_Found]:
    """Birth dates read right after a parent's name, given to the child or the adult who has
    none of their own: the name's role was more likely misread (``sur l'entant X, née le …``:
    the child taken for a parent) than a parent's birth date written; where both have their
    own, the date is the parent's and no field's."""
    has_date = {f.name for f in found}
    adult_named = any(n.extra["role"] == ADULT for n in names)
    out: list[_Found] = []
    for start, end, iso in dates:
        missing = [r for r in (CHILD, ADULT) if f"{r}_birth_date" not in has_date]
        if not missing:
            break
        # neither has one: the adult's where the letter names an adult, else the child's
        role = missing[0] if len(missing) == 1 else ADULT if adult_named else CHILD
        out.append(_Found(f"{role}_birth_date", start, end, iso, 0.85))
        has_date.add(f"{role}_birth_date")
    return out


def _dollar_as_s(text: str) -> str:
    """``text`` with a ``$`` beside a letter or digit read as the S it is (OCR's S or 5 with
    its stroke through: ``G$956834``); of the same length, so offsets hold.

    >>> _dollar_as_s("passport G$956834, fee $ 20")
    'passport GS956834, fee $ 20'
    """
    return re.sub(r"(?<=[A-Z0-9])\$|\$(?=[A-Z0-9])", "S", text)


def _numbers(text: _Text, folded: str, names: list[_Found]) -> list[_Found]:
    # (start, end, number, tie): numbers split in two by OCR right after their caption, then
    # whole numbers outside them
    read = _dollar_as_s(text.text)
    split = [
        (m.start(), m.end(), m.group().replace(" ", ""), 0.8)
        for m in re.finditer(_SPLIT_DOCNUM, read)
        if re.search(rf"(?:{_NUMBER_CUE})\W{{0,3}}$", folded[max(0, m.start() - 40) : m.start()])
        and _fold(m.group().split()[0]) not in ("no", "nr", "id")
    ]
    whole = [
        (m.start(), m.end(), m.group(), 0.85)
        for m in re.finditer(_DOCNUM, read)
        if not any(s <= m.start() < e for s, e, _, _ in split)
    ]
    found: list[_Found] = []
    for start, end, token, tie in split + whole:
        if not any(c.isdigit() for c in token) or token.isdigit() and len(token) < 7:
            continue
        window = folded[max(0, start - 40) : start]
        if not _number_cued(window) or re.search(_REFERENCE_CUE, window[-20:]):
            continue
        person = _role_before(names, start, 250)
        role = person.extra["role"] if person is not None else CHILD
        if role == PARENT:
            continue
        found.append(_Found(f"{role}_document_number", start, end, token, tie))
    return found


def _number_cued(window: str) -> bool:
    """Whether folded ``window`` cues a document number: a cue of :data:`_NUMBER_CUE`, or a word
    like one of :data:`_NUMBER_WORDS` as OCR garbled it.

    >>> _number_cued("paspor: ocar "), _number_cued("date of birth 14/03/2006 pæsport ocan ")
    (True, True)
    >>> _number_cued("departure date "), _number_cued("member ")
    (False, False)
    """
    if re.search(_NUMBER_CUE, window):
        return True
    return any(
        _like(word, _NUMBER_WORDS, CUE_LIKENESS) for word in re.findall(r"[a-zæ]{5,}", window)
    )


def _reference(text: _Text, folded: str, dates: list[_Found]) -> list[_Found]:
    found: list[_Found] = []
    for m in re.finditer(_REFERENCE, text.text):
        if any(d.start <= m.start() < d.end for d in dates):
            continue
        window = folded[max(0, m.start() - 30) : m.start()]
        if re.search(_REFERENCE_CUE, window):
            found.append(_Found("reference", m.start(), m.end(), m.group(), 0.8))
    return found


def _line_spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _authority(text: _Text, folded: str) -> list[_Found]:
    """Who issued the letter: a form's "Authority:" field; else the letterhead's line set in the
    largest type when it stands above the first line naming an authority (the issuer's own name
    over its department: "Copy Shop Wien" over "Civil Registry"); else that line."""
    lines = _line_spans(text.text)
    for start, end in lines:  # a form's "Authority: ..." label comes first
        m = re.match(r"\W*([a-z ]{5,22}?)\s*[:.]\s*", folded[start:end])
        if m is None or not _like(m.group(1), _AUTHORITY_LABELS, LABEL_LIKENESS):
            continue
        caption = re.search(_MARK_CAPTION, folded[start + m.end() : end])
        stop = start + m.end() + caption.start() if caption else end
        value = text.text[start + m.end() : stop].strip(" .,;:|")
        if len(value) > 3:
            begin = start + m.end() + text.text[start + m.end() : stop].find(value)
            return [_Found("authority", begin, begin + len(value), value, 0.85)]
    head = _letterhead(text, folded, lines)
    cued = _cued_authority(text, folded, lines)
    if cued and (not head or _top(text, head[0]) >= _top(text, cued[0])):
        return cued  # the cued line is the letterhead's largest, or stands above it
    return head


def _top(text: _Text, found: _Found) -> int:
    """The top of a found value's line on the page (the text's order may differ: tesseract can
    return a letterhead's small second line before its large first)."""
    line_start = text.text.rfind("\n", 0, found.start) + 1
    return min(w.box[1] for w in text.span_words(line_start, found.end))


_PARTICLES = r"(?:van|von|der|den|de|la|le|du|di|da|del|dos|das)\b"
"""Small words a name or an office may start with in lower case ("van der Berg Notaris")."""


def _specks(line: str) -> int:
    """Where ``line`` starts once specks read at its start (an emblem's edge beside the
    letterhead) are dropped: one-letter words, digits, and a short word in lower case before a
    capitalised one (``sj Notary Public``), unless it is a particle (:data:`_PARTICLES`)."""
    m = re.match(
        rf"\W*(?:(?:\w|\d+\w?|(?!{_PARTICLES})[a-z]{{2,3}})\W+)*?(?=[^\W\d_]{{2}})"
        rf"(?![a-z]{{2,3}}\W+[A-ZÀ-ÖØ-Þ])",
        line,
    )
    return m.end() if m else 0


def _cued_authority(text: _Text, folded: str, lines: list[tuple[int, int]]) -> list[_Found]:
    """The first letterhead line with a word naming an authority and a proper name."""
    for start, end in lines[: max(4, len(lines) // 4)]:
        line = text.text[start:end]
        if not re.search(_AUTHORITY_CUE, folded[start:end]) or find_dates(line):
            continue  # a dateline or reference line ("Notarial ref. 45/399, dated …")
        value = line[_specks(line) :].strip(" .,:;|")
        # The authority names a place or a person: one capitalised word that is not a cue.
        proper = [
            w for w in re.findall(_NAME_WORD, value)
            if not re.search(_AUTHORITY_CUE, _fold(w)) and _fold(w) not in _NOT_NAME
        ]  # fmt: skip
        if len(value) > 5 and proper:
            begin = start + line.find(value)
            return [_Found("authority", begin, begin + len(value), value, 0.6)]
    return []


def _letterhead(text: _Text, folded: str, lines: list[tuple[int, int]]) -> list[_Found]:
    """The issuer as the letterhead prints it: the line in the top :data:`LETTERHEAD_SHARE` of
    the text set in the largest type (no smaller than the body text), which is neither the
    title (it speaks of consent, custody or a child), a date nor an address (mostly digits)."""
    heights = [w.box[3] for w in text.words]
    if not heights:
        return []
    top = min(w.box[1] for w in text.words)
    bottom = max(w.box[1] + w.box[3] for w in text.words)
    limit = top + LETTERHEAD_SHARE * (bottom - top)
    body = float(np.median(heights))
    best: tuple[float, int, int] | None = None
    for start, end in lines:
        words = text.span_words(start, end)
        if not words or min(w.box[1] for w in words) > limit:
            continue
        line = folded[start:end]
        letters = sum(c.isalpha() for c in line)
        if letters < 6 or sum(c.isdigit() for c in line) > letters / 3 or find_dates(line):
            continue
        if any(re.search(p, line) for p in _LETTER_WORDS[:2]) or re.search(_CHILD_WORDS, line):
            continue
        if len(re.findall(_NAME_WORD, text.text[start:end])) < 2:
            continue
        size = float(np.median([w.box[3] for w in words]))
        if size >= body and (best is None or size > best[0]):
            best = (size, start, end)
    if best is None:
        return []
    _, start, end = best
    line = text.text[start:end]
    value = line[_specks(line) :].strip(" .,:;|")
    begin = start + line.find(value)
    return [_Found("authority", begin, begin + len(value), value, 0.6)]


def _destination(text: _Text, folded: str) -> list[_Found]:
    found: list[_Found] = []
    for cue in re.finditer(_DESTINATION_CUE, folded):
        rest = text.text[cue.end() : cue.end() + 60]
        m = re.search(rf"{_NAME_WORD}(?:[ \-]{_NAME_WORD}){{0,2}}", rest)
        if m is None or "\n" in rest[: m.start()] and m.start() > 40:
            continue
        if _fold(m.group().split()[0]) in _NOT_NAME:
            continue
        start = cue.end() + m.start()
        found.append(_Found("destination", start, start + len(m.group()), m.group(), 0.8))
    return found


def _best(found: Iterable[_Found], name: str) -> list[_Found]:
    """The best-supported reading of a field: the surest tie, then the value read most often,
    then, for a name, one of several words: a lone capitalised word a role cue reaches (an
    order's `IN THE MATIER OF`, misread) is a name only where no full name is as well tied."""
    items = [f for f in found if f.name == name]
    if not items:
        return []
    votes: dict[str, list[_Found]] = {}
    for f in items:
        votes.setdefault(_fold(f.value), []).append(f)
    ranked = sorted(
        votes.values(),
        key=lambda fs: (max(f.tie for f in fs), len(fs), len(fs[0].value.split()) > 1),
        reverse=True,
    )
    if name == "issue_date":
        # A date its cue ties surely, else the first one (a letterhead's date comes first).
        ranked = sorted(
            votes.values(), key=lambda fs: (-max(f.tie for f in fs), min(f.start for f in fs))
        )
    keep = ranked[:1]
    if name == "parent_name" and len(ranked) > 1:
        second = ranked[1]
        if max(f.tie for f in second) >= 0.8 or len(second) >= 2:
            keep.append(second)
    out = []
    for fs in keep:
        top = max(fs, key=lambda f: f.tie)
        top.support = len(fs)
        out.append(top)
    return out


_FIELDS = (
    "child_name", "child_birth_date", "child_document_number", "adult_name", "adult_birth_date",
    "adult_document_number", "parent_name", "authority", "issue_date", "valid_from",
    "valid_until", "destination", "reference",
)  # fmt: skip


def _span_box(text: _Text, item: _Found) -> Box:
    """The box (page pixels) around the words of ``item``."""
    words = text.span_words(item.start, item.end)
    xs = [w.box[0] for w in words] + [w.box[0] + w.box[2] for w in words]
    ys = [w.box[1] for w in words] + [w.box[1] + w.box[3] for w in words]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _reading(
    page: _Page, text: _Text, item: _Found, alternatives: tuple[tuple[str, str | None], ...] = ()
) -> FieldReading:
    words = text.span_words(item.start, item.end)
    ocr = sum(w.confidence for w in words) / len(words)
    support = min(1.0, 0.8 + 0.1 * item.support)
    return FieldReading(
        name=item.name,
        text=" ".join(text.text[item.start : item.end].split()),
        confidence=round(ocr * item.tie * support, 3),
        region=Region(0, _to_input(page, _span_box(text, item))),
        value=item.value,
        alternatives=alternatives,
    )


# --- Second reading: the fields a case compares, read again from differently prepared pixels --

REREAD_FIELDS = frozenset(
    {
        "child_name", "child_birth_date", "child_document_number", "adult_name",
        "adult_birth_date", "adult_document_number", "issue_date", "valid_from", "valid_until",
    }
)  # fmt: skip
"""Fields whose disagreement with a passport or the scan date can be critical: each is read a
second time, so that a value read the same way twice can be told from a misreading."""
REREAD_SCALE = 1.4
"""The second reading's scale relative to the first (a different sampling of the same print)."""


def _value_of(name: str, text: str) -> str | None:
    """The normalised value of ``text`` read as field ``name`` (ISO date, number, or name).

    Specks and frame edges read as punctuation at either end of a word (``|7``) are dropped
    first, so that they are not taken for digits.
    """
    text = " ".join(t for t in (w.strip("|[](){}<>:;,.'\"`!_~+=*-") for w in text.split()) if t)
    if name.endswith("_date") or name in ("valid_from", "valid_until"):
        dates = find_dates(text)
        return dates[0][0].isoformat() if dates else None
    if name.endswith("_document_number"):
        text = _dollar_as_s(text)
        if re.fullmatch(_SPLIT_DOCNUM, text):
            return text.replace(" ", "")
        tokens = [t for t in re.findall(r"[A-Za-z0-9]+", text) if any(c.isdigit() for c in t)]
        return max(tokens, key=len).upper() if tokens else None
    return " ".join(text.split()) or None


def _reread(page: _Page, boxes: Sequence[Box]) -> list[str]:
    """The text in each of ``boxes`` (page pixels), read once more by tesseract.

    The first reading sees the whole page, shading divided out and sharpened; this one sees
    only the field, from the colour page's luminance with the same rules and comb walls erased,
    smoothed, binarised by Otsu's threshold and scaled by :data:`REREAD_SCALE`, every field on
    its own line of one stacked image. The letters of a comb are joined as in the first reading.
    """
    gray = np.asarray(cv2.cvtColor(page.bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    gray[page.erased] = 255
    height, width = gray.shape
    crops: list[Gray] = []
    origins: list[tuple[int, int]] = []
    for x, y, w, h in boxes:
        pad_x, pad_y = max(4, h // 2), max(3, h // 3)
        x0, y0 = max(0, x - pad_x), max(0, y - pad_y)
        origins.append((x0, y0))
        x1, y1 = min(width, x + w + pad_x), min(height, y + h + pad_y)
        crop = np.asarray(cv2.GaussianBlur(gray[y0:y1, x0:x1], (3, 3), 0), dtype=np.uint8)
        crop = np.asarray(
            cv2.resize(crop, None, fx=REREAD_SCALE, fy=REREAD_SCALE, interpolation=cv2.INTER_CUBIC),
            dtype=np.uint8,
        )
        _, binary = cv2.threshold(crop, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
        crops.append(np.asarray(binary, dtype=np.uint8))
    if not crops:
        return []
    gap = 24
    sheet_w = max(c.shape[1] for c in crops) + 2 * gap
    sheet_h = sum(c.shape[0] + gap for c in crops) + gap
    sheet = np.full((sheet_h, sheet_w), 255, dtype=np.uint8)
    bands: list[tuple[int, int]] = []
    top = gap
    for c in crops:
        sheet[top : top + c.shape[0], gap : gap + c.shape[1]] = c
        bands.append((top, top + c.shape[0]))
        top += c.shape[0] + gap
    texts: list[list[Word]] = [[] for _ in crops]
    for word in read_words(sheet, lang=LANG, psm=6):
        centre = word.box[1] + word.box[3] / 2.0
        for i, (b0, b1) in enumerate(bands):
            if b0 <= centre < b1:
                (x0, y0), (bx, by, bw, bh) = origins[i], word.box
                on_page = (
                    round(x0 + (bx - gap) / REREAD_SCALE), round(y0 + (by - b0) / REREAD_SCALE),
                    round(bw / REREAD_SCALE), round(bh / REREAD_SCALE),
                )  # fmt: skip
                texts[i].append(Word(word.text, word.confidence, on_page, word.line))
    in_order = [sorted(ws, key=lambda w: w.box[0]) for ws in texts]
    return [" ".join(w.text for w in _joined_in_combs(ws, page.combs)) for ws in in_order]


def _alternatives(
    page: _Page, text: _Text, chosen: Sequence[_Found]
) -> dict[int, tuple[tuple[str, str | None], ...]]:
    """For each re-read field of ``chosen`` (by index), its second reading as (text, value)."""
    picked = [i for i, f in enumerate(chosen) if f.name in REREAD_FIELDS]
    if not picked:
        return {}
    read = _reread(page, [_span_box(text, chosen[i]) for i in picked])
    out: dict[int, tuple[tuple[str, str | None], ...]] = {}
    for i, again in zip(picked, read, strict=True):
        again = " ".join(again.split())
        if again:
            out[i] = ((again, _value_of(chosen[i].name, again)),)
    return out


def read_letter_text(words: Sequence[Word]) -> tuple[_Text, list[_Found]]:
    """Every field candidate in OCR words (page pixels), best-supported first per field."""
    text = _text_of(words)
    folded = _fold(text.text)
    cues = _cues(folded)
    names = _names(text, folded, cues)
    dates = _dates(text, folded, names)
    found = names + dates + _numbers(text, folded, names)
    found += _reference(text, folded, dates) + _authority(text, folded) + _destination(text, folded)
    chosen = [f for name in _FIELDS for f in _best(found, name)]
    return text, chosen


def _print_over_seals(
    bgr: npt.NDArray[np.uint8], seals: Sequence[Box], type_height: float | None = None
) -> list[Box]:
    """Boxes of words typed over a stamp ("Notary Public", "Judge of the Family Court"), which
    the page's reading misses: the stamp's rings and lettering break tesseract's layout analysis,
    so those words come back unread and would pass for a pen's strokes. Each seal's box is read
    again on its own, widened by :data:`PRINT_OVER_SEAL_MARGIN` of its width each side so that
    a typed line crossing the stamp is read whole (cut at the stamp's edges, its words come back
    in unsure pieces), keeping only ink under half the paper's brightness in every channel
    (type is near black; a stamp's ink is bright in its own hue); words read surely are print,
    and so are words read unsurely on their row at their height (:func:`_typed_alike`), unless
    taller than :data:`PRINT_OVER_SEAL_HEIGHT` times the page's ``type_height`` (a signature
    written as a legible name)."""
    found: list[Box] = []
    for x, y, w, h in seals:
        margin = int(PRINT_OVER_SEAL_MARGIN * w)
        x0, x1 = max(0, x - margin), min(bgr.shape[1], x + w + margin)
        brightest = bgr[y : y + h, x0:x1].max(axis=2)
        paper = float(np.median(brightest))
        dark = np.where(brightest < 0.5 * paper, 0, 255).astype(np.uint8)
        words = [
            w
            for w in read_words(dark, lang=LANG, psm=6)
            if sum(map(str.isalpha, w.text)) >= 3
            and (type_height is None or w.box[3] <= PRINT_OVER_SEAL_HEIGHT * type_height)
        ]
        sure = [w for w in words if w.confidence >= PRINT_OVER_SEAL_CONFIDENCE]
        for word in words:
            if word in sure or any(_typed_alike(word.box, s.box) for s in sure):
                bx, by, bw, bh = word.box
                found.append((x0 + bx, y + by, bw, bh))
    return found


def _typed_alike(box: Box, sure: Box) -> bool:
    """Whether a word read unsurely over a seal is of the same typed line as a word read surely:
    on its row and of its height (``Supernntendent`` beside ``Registrar``, its letters crossed
    by the stamp's ink). A pen's strokes are taller than the type or off its row."""
    lo, hi = sorted((box[3], sure[3]))
    spans = (box[1], box[1] + box[3]), (sure[1], sure[1] + sure[3])
    return _share_rows(*spans, ROW_OVERLAP) and hi <= TYPE_HEIGHT_SPREAD * lo


def _filled_in(box: Box, rows: Sequence[Sequence[Word]]) -> bool:
    """Whether handwriting at ``box`` is a form's value written in, not a signature: a caption
    ending in a colon, a word of it read surely, stands on its row before it, within
    :data:`FILLED_IN_REACH` of its own height (a dotted leader between), with no other word
    between, and asks for something else than a signature (``Place of birth:  Cork`` in a
    handwriting type that OCR left unread; ``Signature:`` asks for one, :data:`_MARK_CAPTION`)."""
    x, y, _, h = box
    for row in rows:
        before = [w for w in row if w.box[0] + w.box[2] <= x + w.box[3] // 2]
        if not before or not _share_rows(
            (before[-1].box[1], sum(before[-1].box[1::2])), (y, y + h), 0.5
        ):
            continue
        caption = before[-1]
        if not caption.text.endswith(":"):
            continue
        if x - (caption.box[0] + caption.box[2]) > FILLED_IN_REACH * caption.box[3]:
            continue
        # a word between, its middle short of the box (the value itself, read unsurely, is not)
        after = [w for w in row if w not in before]
        if any(caption.box[0] < w.box[0] and w.box[0] + w.box[2] // 2 < x for w in after):
            continue
        start = max((i for i, w in enumerate(before[:-1]) if w.text.endswith(":")), default=-1)
        phrase = before[start + 1 :]
        asks = _fold(" ".join(w.text for w in phrase))
        if any(w.confidence >= 0.5 for w in phrase) and not re.search(_MARK_CAPTION, asks):
            return True
    return False


def read_letter(
    bgr: npt.NDArray[np.uint8], outline: DocumentQuad | None = None
) -> LetterReading | None:
    """Read a guardianship order or consent letter; None when the page is not one.

    Args:
        bgr: (H, W, 3) uint8 page as captured (scan or photo, any rotation).
        outline: the page's outline in ``bgr`` when the caller found one; else it is searched.

    Returns:
        The letter's kind, language, fields (regions in ``bgr`` pixels, page 0), seals and
        signatures; None when the text is not a consent or guardianship letter.
    """
    page, words = _read_page(bgr, outline)
    text, chosen = read_letter_text(words)
    if not is_letter_text(text.text):
        return None
    again = _alternatives(page, text, chosen)
    fields = tuple(_reading(page, text, f, again.get(i, ())) for i, f in enumerate(chosen))
    # Words read surely are print; so are the words of a field's value, however unsure (a form
    # filled in a handwriting type): neither is a signature.
    printed = [w.box for w in words if w.confidence >= 0.5 and len(w.text) >= 2]
    printed += [w.box for f in chosen for w in text.span_words(f.start, f.end)]
    seal_boxes = find_seals(page.bgr, printed)
    heights = [b[3] for b in printed]
    printed += _print_over_seals(
        page.bgr, seal_boxes, float(np.median(heights)) if heights else None
    )
    rows = _rows_of(text.words)
    sign_boxes = [
        b for b in find_signatures(page.bgr, printed, seal_boxes) if not _filled_in(b, rows)
    ]
    seals = tuple(Region(0, _to_input(page, b)) for b in seal_boxes)
    signatures = tuple(Region(0, _to_input(page, b)) for b in sign_boxes)
    logger.debug("letter read: %d fields, %d seals", len(fields), len(seals))
    return LetterReading(
        kind=_kind_of(text),
        language=_language_of(text.text),
        fields=fields,
        seals=seals,
        signatures=signatures,
    )
