"""Find the document in a scan or photo and rectify it (numpy/cv2 only).

Two sources of the document's outline, in input pixels:

- its edges: the largest convex quadrilateral standing out from the background, 15–98 % of the
  frame (:func:`find_document`), or, for a card whose edges are too faint (a pale card on a
  scanner's white lid, small on an A4 scan), the rectangle that differs from a plain background
  in brightness or texture;
- its MRZ: the zone's pitch (2.54 mm), direction and position fix the document's scale, rotation
  and place, since Doc 9303 sets the size of each format and where its MRZ is printed
  (:func:`document_from_mrz`).

:func:`locate_document` keeps the edge outline when it contains the MRZ and has the size the MRZ
predicts, and falls back to the MRZ prediction otherwise. Corners come in the document's reading
order, whatever the rotation in the image, and :func:`rectify` warps them to a flat, upright image
together with the homography back to the input, so that later stages report input coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.mrz.locate import MrzCandidate

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
PITCH_MM = 2.54
"""OCR-B character pitch in the MRZ (Doc 9303 Part 3 §4.2)."""


@dataclass(frozen=True, slots=True)
class PrintedSize:
    """Nominal size (mm) and MRZ print position of one format (Doc 9303 Parts 4–7)."""

    width: float
    height: float
    left_margin: float
    """Left edge of the document to the left edge of the first character."""
    last_line_to_bottom: float
    """Centre line of the last code line to the bottom edge (approximate, from the figures)."""


PRINTED_SIZES = {
    "TD3": PrintedSize(125.0, 88.0, 6.0, 6.35),
    "TD1": PrintedSize(85.60, 53.98, 5.0, 4.3),
    "TD2": PrintedSize(105.0, 74.0, 4.0, 6.35),
    "MRVA": PrintedSize(120.0, 80.0, 4.0, 6.35),
    "MRVB": PrintedSize(105.0, 74.0, 4.0, 6.35),
}
AGREEMENT = 0.35
"""An edge outline is kept when its area is within ±35 % of the MRZ's prediction."""
CORNER_AGREEMENT = 0.12
"""... and each of its corners within this share of the page's diagonal of the corner the MRZ
predicts: an outline that follows three edges of the page and a fold or a printed frame for the
fourth has the right area but cuts off a strip of the page (real specimens: at most 0.06)."""
WORK_SIDE = 800
MIN_AREA = 0.15
MAX_AREA = 0.98
SOFT_EDGES = (20, 60)
"""Canny thresholds for a page whose edge is a step of a few dozen grey levels (a white letter on
a light table): the thresholds scaled from the image's median, set for a document on a dark
reader or desk, are too high for it there."""
SIDE_TURN = 20.0
"""Most degrees between opposite sides of an outline found by soft edges (perspective)."""
SIDE_RATIO = 1.4
"""Most ratio between the lengths of opposite sides of such an outline."""
PROPORTIONS = (1.2, 1.85)
"""Longer over shorter side of such an outline: ID-1 cards are 1.59, TD2 and passport pages
1.42, widened or narrowed by the camera's slant."""
MIN_BACKGROUND_AREA = 0.04
"""A card on an A4 scan covers about 7 % of it."""
BORDER_STRIP = 0.04
"""Share of the image's shorter side taken as the background's sample, all round."""
PLAIN_TEXTURE = 2.5
"""Grey-level spread (in 9 px windows) of a plain background: a scanner lid, a table, cloth; a
document's own print (when the image is a crop of it) varies more."""
BACKGROUND_STEP = 6.0
"""Grey levels between the background and a document (at the least)."""
FILLED = 0.85
"""A document region fills at least this share of its rotated bounding rectangle."""
CLOSING = 0.05
"""Gaps closed between the parts of a document that differ from the background (light areas
of the card between them do not), as a share of the image's longer side."""


@dataclass(frozen=True, slots=True)
class DocumentQuad:
    corners: Quad
    """Top-left, top-right, bottom-right, bottom-left in input pixels: in the document's reading
    order when the MRZ oriented it, else in image orientation."""
    area_fraction: float
    source: str = "edges"
    """``edges`` (outline found in the image), ``background`` (a card too faint at its edges,
    told from a plain background) or ``mrz`` (predicted from the MRZ)."""

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        pts = np.array(self.corners)
        x0, y0 = np.floor(pts.min(axis=0)).clip(0)
        x1 = min(float(width), float(math.ceil(pts[:, 0].max())))
        y1 = min(float(height), float(math.ceil(pts[:, 1].max())))
        return (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def _order(points: npt.NDArray[np.float64]) -> Quad:
    """Corners as top-left, top-right, bottom-right, bottom-left: clockwise around their centre
    (y runs down), from the corner nearest the image's origin. (Taking each corner at an
    extreme of x + y or y − x takes one corner twice on a page turned near 45°, and the warp
    to it has no inverse.)"""
    centre = points.mean(axis=0)
    ring = points[np.argsort(np.arctan2(points[:, 1] - centre[1], points[:, 0] - centre[0]))]
    ring = np.roll(ring, -int(np.argmin(ring.sum(axis=1))), axis=0)
    (a0, a1), (b0, b1), (c0, c1), (d0, d1) = ring.tolist()
    return ((a0, a1), (b0, b1), (c0, c1), (d0, d1))


def find_document(
    gray: npt.NDArray[np.uint8], *, faint_edges: bool = False, soft_edges: bool = False
) -> DocumentQuad | None:
    """The document's outline in a photo or scan, or None when none stands out.

    Args:
        gray: (H, W) uint8 page.
        faint_edges: an identity document: an edge outline must have a card's shape
            (:func:`_card_shaped`; a card lying on a sheet of paper outlines with the sheet's
            edges a quadrilateral of neither, whose warp garbles the card's print more than no
            outline does); when none stands out, look for a card or booklet page that differs
            from a plain background in brightness or texture (:func:`_apart_from_background`),
            and last for an outline of soft edges with a card's shape. Not for letters: on a
            white page lying on white, that finds the block of text instead of the page.
        soft_edges: edges are steps of a few dozen grey levels (:data:`SOFT_EDGES`) whatever
            the image's brightness; for a letter no outline was found for by default.
    """
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    blurred = np.asarray(cv2.GaussianBlur(small, (5, 5), 0), np.uint8)
    frame = float(small.shape[0] * small.shape[1])
    median = float(np.median(blurred))
    low, high = SOFT_EDGES if soft_edges else (max(10, 0.5 * median), min(255, 1.2 * median + 30))
    best = _largest_quad(blurred, low, high)
    if best is not None and (not faint_edges or _card_shaped(best[1])):
        return DocumentQuad(_order(best[1] / scale), best[0] / frame)
    if not faint_edges:
        return None
    apart = _apart_from_background(blurred)
    if apart is not None:
        return DocumentQuad(_order(apart[1] / scale), apart[0] / frame, "background")
    soft = None if soft_edges else _largest_quad(blurred, *SOFT_EDGES)
    if soft is None or not _card_shaped(soft[1]):
        return None
    return DocumentQuad(_order(soft[1] / scale), soft[0] / frame)


def _largest_quad(
    blurred: npt.NDArray[np.uint8], low: float, high: float
) -> tuple[float, npt.NDArray[np.float64]] | None:
    """(area, corners) of the largest four-sided outline of Canny edges between ``low`` and
    ``high``, in ``blurred``'s pixels; None when none covers :data:`MIN_AREA` of the frame."""
    edges = cv2.Canny(blurred, int(low), int(high))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    frame = float(blurred.shape[0] * blurred.shape[1])
    best: tuple[float, npt.NDArray[np.float64]] | None = None
    for contour in contours:
        hull = cv2.convexHull(contour)
        area = float(cv2.contourArea(hull))
        if not MIN_AREA * frame <= area <= MAX_AREA * frame:
            continue
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) != 4 or (best is not None and area <= best[0]):
            continue
        best = (area, approx.reshape(4, 2).astype(np.float64))
    return best


def _card_shaped(corners: npt.NDArray[np.float64]) -> bool:
    """Whether four corners can be a card or booklet page seen in a photo: opposite sides
    nearly parallel (:data:`SIDE_TURN`) and alike in length (:data:`SIDE_RATIO`), and the
    sides' proportion one of a document's (:data:`PROPORTIONS`). Soft edges also outline
    a table's grain or a shadow; those seldom make such a quadrilateral."""
    ring = np.asarray(_order(corners), np.float64)
    sides = np.roll(ring, -1, axis=0) - ring
    lengths = np.hypot(sides[:, 0], sides[:, 1])
    if lengths.min() <= 0:
        return False
    for a, b in ((0, 2), (1, 3)):
        cos = abs(float(sides[a] @ sides[b])) / (lengths[a] * lengths[b])
        if cos < math.cos(math.radians(SIDE_TURN)):
            return False
        if max(lengths[a], lengths[b]) > SIDE_RATIO * min(lengths[a], lengths[b]):
            return False
    across, down = lengths[0] + lengths[2], lengths[1] + lengths[3]
    proportion = max(across, down) / min(across, down)
    return bool(PROPORTIONS[0] <= proportion <= PROPORTIONS[1])


def _apart_from_background(
    small: npt.NDArray[np.uint8],
) -> tuple[float, npt.NDArray[np.float64]] | None:
    """(area, corners) of the one rectangle that differs from the background around it, in
    ``small``'s pixels; None when there is none.

    For a card whose edges are too faint for the contour search: a light card on a scanner's
    white lid, or one small on an A4 scan (down to :data:`MIN_BACKGROUND_AREA` of the frame).
    The background is what the image's border strip looks like; the document is what differs
    from it in brightness or in texture (print, guilloche), filled and kept when it is the
    largest such region, touches at most two sides of the frame (a card pushed into the
    scanner's corner) and nearly fills its own rotated rectangle. A border strip that is not
    plain (:data:`PLAIN_TEXTURE`) is the document's own print: the image is a crop of it.
    """
    h, w = small.shape
    strip = max(4, int(BORDER_STRIP * min(h, w)))
    border = np.ones((h, w), bool)
    border[strip:-strip, strip:-strip] = False
    level = float(np.median(small[border]))
    spread = float(np.median(np.abs(small[border].astype(np.float32) - level)))
    mean = cv2.blur(small.astype(np.float32), (9, 9))
    texture = np.sqrt(np.maximum(cv2.blur(small.astype(np.float32) ** 2, (9, 9)) - mean**2, 0))
    texture_level = float(np.median(texture[border]))
    if texture_level > PLAIN_TEXTURE:  # print at the image's edge: a crop of the document itself
        return None
    apart = (np.abs(mean - level) > max(BACKGROUND_STEP, 4 * spread)) | (
        texture > max(2 * BACKGROUND_STEP / 3, 3 * texture_level)
    )
    k = max(3, int(CLOSING * max(h, w)) | 1)
    mask = cv2.morphologyEx(
        apart.astype(np.uint8) * 255,
        cv2.MORPH_CLOSE,
        cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)),
    )
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    if count < 2:
        return None
    largest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, _ = (int(v) for v in stats[largest])
    sides = (x <= 1) + (y <= 1) + (x + bw >= w - 1) + (y + bh >= h - 1)
    if sides > 2:  # a card pushed into the scanner's corner touches two; more is background
        return None
    points = cv2.findNonZero(np.asarray(labels == largest, np.uint8))
    hull = cv2.convexHull(points)
    area = float(cv2.contourArea(hull))
    rect = cv2.minAreaRect(hull)
    rect_area = float(rect[1][0] * rect[1][1])
    if not MIN_BACKGROUND_AREA * h * w <= area <= MAX_AREA * h * w or area < FILLED * rect_area:
        return None
    approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
    corners = approx.reshape(-1, 2) if len(approx) == 4 else cv2.boxPoints(rect)
    return area, np.asarray(corners, np.float64)


def rectify(
    bgr: npt.NDArray[np.uint8], quad: DocumentQuad
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """Warp the quad to a flat rectangle.

    Returns:
        (flat (h, w, 3) uint8 image, 3×3 homography mapping flat pixels to input pixels).
    """
    tl, tr, br, bl = (np.array(p) for p in quad.corners)
    width = int(round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = int(round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    src = np.array([tl, tr, br, bl], dtype=np.float32)
    dst = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    to_flat = cv2.getPerspectiveTransform(src, dst)
    flat = cv2.warpPerspective(bgr, to_flat, (width, height), flags=cv2.INTER_LINEAR)
    return np.asarray(flat, dtype=np.uint8), np.linalg.inv(to_flat).astype(np.float64)


def document_from_mrz(
    candidate: MrzCandidate, mrz_format: str, width: int, height: int
) -> DocumentQuad | None:
    """Predict the document's outline from its MRZ (scale from the pitch, place from the lines).

    Args:
        candidate: the MRZ in reading orientation.
        mrz_format: ``TD1``, ``TD2``, ``TD3``, ``MRVA`` or ``MRVB``.
        width, height: the input page size, for the area fraction.
    """
    size = PRINTED_SIZES.get(mrz_format)
    if size is None:
        return None
    first, last = candidate.lines[0], candidate.lines[-1]
    # The scale is the line's mean pitch: the local step at its first cell carries the fitted
    # foreshortening (``bend``), which a few misplaced glyphs exaggerate far beyond the page's.
    chord = np.subtract(first.cell_centre(candidate.char_count - 1), first.origin)
    u = chord / np.linalg.norm(chord)
    n = np.array(first.normal)
    px_per_mm = float(np.linalg.norm(chord)) / (candidate.char_count - 1) / PITCH_MM
    left = np.array(first.origin) - (size.left_margin + PITCH_MM / 2) * px_per_mm * u
    bottom_line = np.array(last.origin)
    # bottom-left corner: along the normal from the last line, along -u to the left edge
    offset_u = float(np.dot(bottom_line - left, u))
    bl = bottom_line - offset_u * u + size.last_line_to_bottom * px_per_mm * n
    br = bl + size.width * px_per_mm * u
    tl = bl - size.height * px_per_mm * n
    tr = tl + size.width * px_per_mm * u
    corners = tuple((float(p[0]), float(p[1])) for p in (tl, tr, br, bl))
    area = size.width * size.height * px_per_mm**2 / float(width * height)
    return DocumentQuad(corners, area, "mrz")  # type: ignore[arg-type]


def _contains(quad: DocumentQuad, points: npt.NDArray[np.float64]) -> bool:
    return all(side >= 0 for side in _sides(quad, points))


def _sides(quad: DocumentQuad, points: npt.NDArray[np.float64]) -> list[float]:
    """For each point, 1 inside ``quad``, 0 on its edge, -1 outside."""
    contour = np.array(quad.corners, dtype=np.float32).reshape(-1, 1, 2)
    return [cv2.pointPolygonTest(contour, (float(x), float(y)), False) for x, y in points]


def _reorder(quad: DocumentQuad, like: DocumentQuad) -> DocumentQuad:
    """``quad``'s corners renamed to match ``like``'s reading order (nearest corners)."""
    pts = np.array(quad.corners)
    order = [int(np.argmin(np.linalg.norm(pts - np.array(c), axis=1))) for c in like.corners]
    if len(set(order)) < 4:
        return like
    corners = tuple((float(pts[i][0]), float(pts[i][1])) for i in order)
    return DocumentQuad(corners, quad.area_fraction, quad.source)  # type: ignore[arg-type]


def locate_document(
    gray: npt.NDArray[np.uint8],
    candidate: MrzCandidate | None,
    mrz_format: str | None,
    *,
    faint_edges: bool = False,
) -> DocumentQuad | None:
    """The document's outline in reading order: edges confirmed by the MRZ, else the MRZ's guess.

    Without an MRZ, the edge outline alone (image orientation), or None. ``faint_edges``: as
    for :func:`find_document` (identity documents, not letters).
    """
    h, w = gray.shape
    # with an MRZ, its prediction is better than a faint outline
    edges = find_document(gray, faint_edges=faint_edges and candidate is None)
    if candidate is None or mrz_format is None:
        return edges
    predicted = document_from_mrz(candidate, mrz_format, w, h)
    if predicted is None:
        return edges
    if edges is not None:
        ratio = edges.area_fraction / max(predicted.area_fraction, 1e-9)
        if _contains(edges, _line_ends(candidate)) and abs(ratio - 1.0) <= AGREEMENT:
            ordered = _reorder(edges, predicted)
            if _corners_agree(ordered, predicted):
                return ordered
    return predicted


def outside_document(gray: npt.NDArray[np.uint8], candidate: MrzCandidate) -> bool:
    """Whether every end of the MRZ lines of ``candidate`` lies outside the identity document
    the page's own edges outline (:func:`find_document` with ``faint_edges``): the lines are
    not that document's. False where no outline is found."""
    edges = find_document(gray, faint_edges=True)
    if edges is None:
        return False
    return all(side < 0 for side in _sides(edges, _line_ends(candidate)))


def _line_ends(candidate: MrzCandidate) -> npt.NDArray[np.float64]:
    """The centres of the first and last cells of each MRZ line."""
    return np.array(
        [line.cell_centre(k) for line in candidate.lines for k in (0, candidate.char_count - 1)]
    )


def _corners_agree(quad: DocumentQuad, predicted: DocumentQuad) -> bool:
    found, expected = np.array(quad.corners), np.array(predicted.corners)
    diagonal = float(np.linalg.norm(expected[2] - expected[0]))
    return bool(np.linalg.norm(found - expected, axis=1).max() <= CORNER_AGREEMENT * diagonal)
