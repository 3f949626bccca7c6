"""Find printed text lines on a flat document and clean them for OCR (numpy/cv2 only).

Security backgrounds (guilloche, microprint, rainbow print) are light, thin and everywhere, so
tesseract on a whole page reads junk lines and can miss a field printed over a pattern. Instead:

1. a morphological black-hat (dark details smaller than the kernel) keeps the strokes of text and
   drops the slowly varying background; Otsu separates ink from the faint pattern left;
2. a short horizontal closing joins the letters of a word and the words of one field, but not
   two fields side by side (their gap is several letter heights);
3. each connected component of the right height is one *segment* (a label, or a value); a
   component too tall for a line (a stamp, a portrait edge that text runs into) loses its tall
   strokes and is joined again, and the lines found in it are widened over the letters the
   strokes touched;
4. each segment's black-hat crop is inverted and contrast-stretched (no hard threshold),
   scaled to a common letter height and pasted into one white *collage*, one segment a row,
   so that tesseract runs once per page and words map back to their segment by position.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.geometry import box_iou
from docfraud.types import Box

MIN_HEIGHT = 7
"""Segments lower than this (px of the working image) are dots and specks."""
PRINT_FILL = 0.2
"""A component of print covers at least this share of its height squared; a sparser one is a
net of thin lines (a frame, a band of pattern) that may hold print."""
MAX_HEIGHT_FRACTION = 0.09
"""Segments taller than this share of the image height are pictures, not text."""
MAX_INK_COVER = 0.15
"""Printed text covers well under this share of a page; more "ink" is a security pattern."""
MIN_TEXT_FRACTION = 0.35
"""Segments lower than this share of a value's height are microprint, never a caption."""
SAME_BOX = 0.7
"""Two segments overlapping this much (intersection over union) are one found twice."""
PIECE_ROWS = 0.85
PIECE_HEIGHT = (0.8, 1.25)
"""A segment within another's columns, this share of its rows in the other's and of about its
height (this range of the other's) is a piece of the same line (:func:`_inside`)."""
MAX_WIDTH_FRACTION = 0.75
"""Wider segments are rules, bands of pattern or code lines, never one printed field."""
TALL = 2.2
"""A component taller than this many value heights is not one text line (titles are ~1.4)."""
TWO_LINES = 1.35
"""A segment taller than this many value heights may be a caption and its value touching."""
FIELD_GAP = 1.5
"""Empty columns this many value heights wide separate two fields printed side by side."""
SPARSE_ROW = 0.3
ROW_VALLEY = 0.06
BAND_VALLEY = 0.15
"""Row-profile valleys that separate two lines: within a text component, and within a tall
component (a seal or portrait edge that text runs into), where the stray ink is sparser."""
TALL_STROKE = 3.0
"""Strokes taller than this many value heights (a stamp's ring, a portrait's outline) are taken
out of a component too tall for a line; a caption's letter touching its value's is lower."""
REGROW = 1.5
SPACING = 0.4
"""How far (value heights) a line found beside a stamp is widened over the ink it touches, and
the widest gap between two letters it crosses."""
THIN_LINE = 3
"""Strokes thinner than this (px of the working image) are a pattern's hairlines, not print."""
NET_LINE_HEIGHT = 0.5
NET_LINE_WIDTH = 2.0
"""A line found in a net of hairlines is at least this many value heights high (a caption's)
and wide (a few letters): the bits of a portrait or a pattern opened out of a net are not."""
NEW_LINE = 0.3
"""A line found in a net of hairlines is new where at most this share of it lies in a line
found before."""
ROW_HEIGHT = 36
"""Letter height (px) every segment is scaled to in the collage."""
ROW_GAP = 18
MARGIN = 16


@dataclass(frozen=True, slots=True)
class Segment:
    """One run of text on one line: a label, a value, a title word group.

    Attributes:
        box: (x, y, w, h) in the working image.
        binary: (h', w') uint8 crop, dark ink on white, scaled to :data:`ROW_HEIGHT`.
    """

    box: Box
    binary: npt.NDArray[np.uint8]


def find_segments(gray: npt.NDArray[np.uint8], text_height: float) -> list[Segment]:
    """Text segments of a flat document, top to bottom, left to right.

    Args:
        gray: (H, W) uint8 flat document.
        text_height: the expected height (px) of a value's capital letters; the black-hat kernel
            and the closing are sized from it.
    """
    h, w = gray.shape
    k = max(9, int(round(text_height * 1.6)) | 1)
    blackhat = _u8(
        cv2.morphologyEx(
            gray, cv2.MORPH_BLACKHAT, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
        )
    )
    paper = paper_level(blackhat)
    otsu = _u8((blackhat > paper) * 255)
    if float(np.count_nonzero(otsu)) > MAX_INK_COVER * otsu.size:
        # a dense pattern passed as ink: cut between the pattern and the print instead
        paper = print_level(blackhat, paper)
        otsu = _u8((blackhat > paper) * 255)
    rules = cv2.morphologyEx(
        otsu, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, w // 5), 1))
    )
    ink = _u8(cv2.subtract(otsu, rules))  # rules and frame lines would join the rows they touch
    letter_gaps = cv2.getStructuringElement(
        cv2.MORPH_RECT, (max(5, int(round(text_height * 0.9))), 1)
    )

    def joined(mask: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
        """``mask`` with the gaps between the letters of a line closed."""
        return _u8(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, letter_gaps))

    closed = joined(ink)
    max_h = max(MIN_HEIGHT + 1, int(min(h * MAX_HEIGHT_FRACTION, TALL * text_height)))
    gap = int(round(FIELD_GAP * text_height))
    reach, spacing = round(REGROW * text_height), round(SPACING * text_height)

    def lines_of(mask: npt.NDArray[np.uint8], box: Box) -> list[Box]:
        out = []
        for row in _split_rows(mask, box, ROW_VALLEY):
            for piece in _split_columns(mask, row, gap):
                out.extend(
                    _split_two(blackhat, piece) if piece[3] > TWO_LINES * text_height else [piece]
                )
        return out

    boxes: list[Box] = []
    for box in _components(closed, (0, 0, w, h)):
        if box[3] <= max_h:
            boxes.extend(lines_of(ink, box))
            continue
        # a stamp, portrait or pattern that text runs into: take out its tall strokes (a stamp's
        # ring, a portrait's outline) and join the letters again; what is still too tall is cut
        # in bands at its sparsest rows
        untangled = _without_tall_strokes(ink, box, round(TALL_STROKE * text_height))
        rejoined = joined(untangled)
        for part in _components(rejoined, box):
            if part[3] <= max_h:
                boxes.extend(
                    _regrown(ink, line, reach, spacing) for line in lines_of(untangled, part)
                )
                continue
            for band in _split_rows(rejoined, part, BAND_VALLEY):
                boxes.extend(b for b in _components(rejoined, band) if b[3] <= max_h)
    # a net of thin lines (a frame's microprint, a guilloche band) that joins the print it
    # crosses into one sparse component, which _components drops: the bold print in it is
    # found once the thin lines are opened away; what was found already stays as it was
    netted: list[Box] = []
    for net in _nets(closed):
        thick = joined(_without_thin_lines(ink, net))
        for part in _components(thick, net):
            if part[3] <= max_h:
                netted.extend(
                    b
                    for b in lines_of(ink, part)
                    if b[3] >= NET_LINE_HEIGHT * text_height
                    and b[2] >= NET_LINE_WIDTH * text_height
                )
    boxes.extend(b for b in netted if all(_shared(b, other) < NEW_LINE for other in boxes))
    segments: list[Segment] = []
    # for reading, the paper's level is taken off: the faint pattern goes, grey edges stay
    flattened = _u8(np.clip(blackhat.astype(np.float32) - paper, 0, 255))
    kept: list[Box] = []
    for box in sorted(set(boxes), key=lambda b: -b[2] * b[3]):
        x, y, bw, bh = box
        if bh < max(MIN_HEIGHT, MIN_TEXT_FRACTION * text_height) or bw < bh * 0.5:
            continue
        if bw > MAX_WIDTH_FRACTION * w or x <= 1 or x + bw >= w - 1:  # rules, frame print
            continue
        if any(box_iou(box, other) > SAME_BOX or _inside(box, other) for other in kept):
            # cut twice, from two sides, or a piece of a line found whole from elsewhere
            continue
        kept.append(box)
    for box in kept:
        binary = _clean(gray, flattened, box)
        if binary is not None:
            segments.append(Segment(box, binary))
    segments.sort(key=lambda s: (s.box[1] + s.box[3] // 2, s.box[0]))
    return segments


def paper_level(blackhat: npt.NDArray[np.uint8]) -> float:
    """Otsu's cut of the black-hat: paper (and the faintest pattern) below, print above."""
    cut, _ = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    return float(cut)


def print_level(blackhat: npt.NDArray[np.uint8], paper: float) -> float:
    """Halfway between ``paper`` and Otsu's cut among the pixels above it (pattern | print)."""
    above = blackhat[blackhat > paper]
    if above.size < 16:
        return paper
    cut, _ = cv2.threshold(
        np.ascontiguousarray(above.reshape(-1, 1)), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    return paper + 0.5 * (float(cut) - paper)


def _inside(piece: Box, line: Box) -> bool:
    """``piece`` is a part of the same text line: within ``line``'s columns but for a pixel or
    two, and within its rows the same way, or of about its height (:data:`PIECE_HEIGHT`) with
    :data:`PIECE_ROWS` of its own rows in the line's (the piece found cut a little higher or
    lower: ``4123`` of ``41231498749912``, which would then be read as the value)."""
    x, y, w, h = piece
    if x < line[0] - 2 or x + w > line[0] + line[2] + 2:
        return False
    if y >= line[1] - 2 and y + h <= line[1] + line[3] + 2:
        return True
    rows = min(y + h, line[1] + line[3]) - max(y, line[1])
    return rows >= PIECE_ROWS * h and PIECE_HEIGHT[0] <= h / max(1, line[3]) <= PIECE_HEIGHT[1]


def _components(mask: npt.NDArray[np.uint8], box: Box) -> list[Box]:
    """Boxes of the connected components of ``mask`` inside ``box`` (page coordinates)."""
    x0, y0, w, h = box
    _, _, stats, _ = cv2.connectedComponentsWithStats(
        np.ascontiguousarray(mask[y0 : y0 + h, x0 : x0 + w]), connectivity=8
    )
    return [
        (x0 + int(x), y0 + int(y), int(bw), int(bh))
        for x, y, bw, bh, area in stats[1:]
        if bh >= MIN_HEIGHT and area >= PRINT_FILL * bh * bh
    ]


def _without_tall_strokes(
    ink: npt.NDArray[np.uint8], box: Box, tallest: int
) -> npt.NDArray[np.uint8]:
    """A page-sized copy of ``ink`` inside ``box`` (zero elsewhere) without its connected strokes
    taller than ``tallest`` px: letters are short, a stamp's ring and a portrait's outline are
    not."""
    x0, y0, w, h = box
    crop = np.ascontiguousarray(ink[y0 : y0 + h, x0 : x0 + w])
    _, labels, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
    short = (stats[:, cv2.CC_STAT_HEIGHT] <= tallest).astype(np.uint8)
    short[0] = 0
    out = np.zeros_like(ink)
    out[y0 : y0 + h, x0 : x0 + w] = short[labels] * crop
    return out


def _nets(closed: npt.NDArray[np.uint8]) -> list[Box]:
    """Boxes of the components :func:`_components` drops as too sparse for print."""
    _, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    return [
        (int(x), int(y), int(bw), int(bh))
        for x, y, bw, bh, area in stats[1:]
        if bh >= MIN_HEIGHT and area < PRINT_FILL * bh * bh
    ]


def _without_thin_lines(ink: npt.NDArray[np.uint8], box: Box) -> npt.NDArray[np.uint8]:
    """A page-sized copy of ``ink`` inside ``box`` (zero elsewhere) without its strokes thinner
    than :data:`THIN_LINE` px: a value's bold print stays, hairlines go."""
    x0, y0, w, h = box
    out = np.zeros_like(ink)
    out[y0 : y0 + h, x0 : x0 + w] = cv2.morphologyEx(
        np.ascontiguousarray(ink[y0 : y0 + h, x0 : x0 + w]),
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (THIN_LINE, THIN_LINE)),
    )
    return out


def _shared(a: Box, b: Box) -> float:
    """The share of ``a``'s area inside ``b``."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    return max(0, w) * max(0, h) / max(1, a[2] * a[3])


def _regrown(ink: npt.NDArray[np.uint8], box: Box, reach: int, spacing: int) -> Box:
    """``box`` widened over the page's ink in its rows, at most ``reach`` px each side, across
    gaps up to ``spacing`` px (between letters): the letters a stamp's ring touched were taken
    out with the ring, and a value cut short reads as another (``4/04/2023`` for ``24/04/2023``)."""
    x, y, w, h = box
    columns = np.flatnonzero((ink[y : y + h] > 0).any(axis=0))
    left, right = x, x + w - 1
    for c in columns[columns < x][::-1]:
        if left - c > spacing + 1 or x - c > reach:
            break
        left = int(c)
    for c in columns[columns > right]:
        if c - right > spacing + 1 or c - (x + w - 1) > reach:
            break
        right = int(c)
    return (left, y, right - left + 1, h)


def _split_columns(ink: npt.NDArray[np.uint8], box: Box, gap: int) -> list[Box]:
    """A row cut at its empty column runs of at least ``gap`` px, each piece narrowed to its
    ink: a row cut out of a larger component keeps that component's width, which may join a
    value to a signature or a pattern band beside it."""
    x, y, w, h = box
    filled = (ink[y : y + h, x : x + w] > 0).any(axis=0)
    columns = np.flatnonzero(filled)
    if columns.size == 0:
        return [box]
    pieces: list[Box] = []
    start = prev = int(columns[0])
    for c in (int(c) for c in columns[1:]):
        if c - prev > gap:
            pieces.append((x + start, y, prev - start + 1, h))
            start = c
        prev = c
    pieces.append((x + start, y, prev - start + 1, h))
    return pieces


def _split_two(blackhat: npt.NDArray[np.uint8], box: Box) -> list[Box]:
    """A box too tall for one line cut at its sparsest row, where a caption printed tight above
    its value (background ink in the gap) meets it; kept whole when no row is sparse.

    Ink is thresholded inside the box (Otsu of its own black-hat), which separates the print
    from a lighter background pattern better than the page-wide threshold."""
    x, y, w, h = box
    profile = ink_rows(np.ascontiguousarray(blackhat[y : y + h, x : x + w]), ink_is_dark=False)
    lo, hi = int(h * 0.15), int(h * 0.75)
    if hi <= lo:
        return [box]
    cut = lo + int(np.argmin(profile[lo:hi]))
    if profile[cut] > SPARSE_ROW * float(profile.max()):
        return [box]
    return [(x, y, w, cut), (x, y + cut, w, h - cut)]


def ink_rows(crop: npt.NDArray[np.uint8], *, ink_is_dark: bool) -> npt.NDArray[np.float32]:
    """Ink per row of ``crop`` (Otsu-thresholded within it), smoothed over three rows: the
    profile in which a caption printed tight over its value shows its sparsest row."""
    mode = cv2.THRESH_BINARY_INV if ink_is_dark else cv2.THRESH_BINARY
    _, ink = cv2.threshold(crop, 0, 1, mode + cv2.THRESH_OTSU)
    rows = np.convolve(ink.sum(axis=1), np.ones(3, np.int64), mode="same")
    return np.asarray(rows / 3, dtype=np.float32)


def _split_rows(ink: npt.NDArray[np.uint8], box: Box, valley: float) -> list[Box]:
    """A box cut at its (nearly) empty rows: a caption touching the value below it is two lines.

    Args:
        valley: a row with at most this share of the fullest row's ink is a gap.
    """
    x, y, w, h = box
    profile = (ink[y : y + h, x : x + w] > 0).sum(axis=1)
    empty = profile <= max(1, int(valley * profile.max()))
    boxes: list[Box] = []
    start: int | None = None
    for r in range(h + 1):
        if r < h and not empty[r]:
            start = r if start is None else start
        elif start is not None:
            boxes.append((x, y + start, w, r - start))
            start = None
    return boxes or [box]


def _clean(
    gray: npt.NDArray[np.uint8], blackhat: npt.NDArray[np.uint8], box: Box
) -> npt.NDArray[np.uint8] | None:
    """The segment as dark text on white, scaled to :data:`ROW_HEIGHT`; None when empty.

    The crop is the inverted black-hat less the paper level (background pattern flattened),
    contrast-stretched but not binarised: tesseract's own thresholding reads small captions far
    better than an Otsu cut of a few-pixel-high letter.
    """
    x, y, w, h = box
    pad_x, pad_y = segment_padding(h), max(1, h // 10)
    y0, y1 = max(0, y - pad_y), min(gray.shape[0], y + h + pad_y)
    x0, x1 = max(0, x - pad_x), min(gray.shape[1], x + w + pad_x)
    crop = blackhat[y0:y1, x0:x1]
    if crop.size == 0 or int(crop.max()) < 12:
        return None
    scale = ROW_HEIGHT / max(1, h)
    big = _u8(cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC))
    lo, hi = int(big.min()), int(big.max())
    stretched = (big.astype(np.float32) - lo) * (255.0 / max(1, hi - lo))
    return np.asarray(255 - np.clip(stretched, 0, 255), dtype=np.uint8)


def segment_padding(height: int) -> int:
    """Pixels of paper kept left and right of a segment ``height`` px high in its crop."""
    return max(2, height // 4)


def _u8(image: object) -> npt.NDArray[np.uint8]:
    return np.asarray(image, dtype=np.uint8)


@dataclass(frozen=True, slots=True)
class Collage:
    """Segments pasted one per row into one white image.

    Attributes:
        image: (H, W) uint8.
        rows: (top, bottom) of each segment's row in ``image``, in the order given.
    """

    image: npt.NDArray[np.uint8]
    rows: tuple[tuple[int, int], ...]

    def row_of(self, y_centre: float) -> int | None:
        """The segment whose row holds ``y_centre`` (px of the collage), or None."""
        for i, (top, bottom) in enumerate(self.rows):
            if top - ROW_GAP / 2 <= y_centre < bottom + ROW_GAP / 2:
                return i
        return None


def build_collage(crops: list[npt.NDArray[np.uint8]], *, flip: bool = False) -> Collage:
    """Paste binary crops into one image, one a row (``flip``: each rotated 180°)."""
    width = max((c.shape[1] for c in crops), default=1) + 2 * MARGIN
    height = sum(c.shape[0] + ROW_GAP for c in crops) + 2 * MARGIN
    image = np.full((height, width), 255, np.uint8)
    rows = []
    y = MARGIN
    for c in crops:
        tile = c[::-1, ::-1] if flip else c
        image[y : y + c.shape[0], MARGIN : MARGIN + c.shape[1]] = tile
        rows.append((y, y + c.shape[0]))
        y += c.shape[0] + ROW_GAP
    return Collage(image, tuple(rows))
