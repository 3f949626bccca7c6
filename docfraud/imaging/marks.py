"""Seals (rubber stamps) and handwritten signatures on an upright page (numpy/cv2 only).

Both work on the rectified page and return boxes in its pixels; the caller maps them back.
Sizes are relative to the page width ``W`` (an A4 page is 210 mm wide, so ``0.1 W`` ≈ 21 mm),
which keeps the thresholds independent of the capture resolution.

- **Seals** are stamp-pad ink: saturated blue, violet or red pixels (HSV saturation ≥
  :data:`SEAL_MIN_SATURATION`), grouped by a closing of about 1 mm and kept when the group is
  stamp-sized (:data:`SEAL_SIZE`), roughly as tall as wide for a round stamp or up to
  :data:`SEAL_MAX_ASPECT` for a rectangular one, and hollow (ink covers
  :data:`SEAL_COVERAGE` of its box: rings and text, not a filled logo) with a convex hull filling
  most of its box (:data:`SEAL_MIN_SOLIDITY`: a ring or a frame, not a pen stroke). Dark and
  grey stamps are found as round closed ink outlines (a local threshold, so that a light grey
  stamp counts), stamp-sized and hollow, below the letterhead (the top :data:`LETTERHEAD` of the
  page, where emblems sit); and, where print or a pen touches a round stamp so that its outline
  is not closed, by its rim: a circle of ink round most directions with little just outside it
  (:func:`_ringed_seals`). That finds stamps on tinted paper too, whose colour is not saturated
  against it. Rectangular stamps in any ink are found by their frame (:func:`_framed_seals`):
  straight pieces closing round text, with a line thicker than a printed form's box and no table
  rule across it.
- **Signatures** are ink that is not printed text: printed lines found by the OCR are masked out,
  as are long straight rules and form boxes (dashed ones too, when longer than
  :data:`DASHED_RULE`), a form's check boxes (:data:`CHECK_BOX`), and a stamp's own ink: inside
  a seal's box, ink of the seal's hue and no darker than its typical ink, then what an unevenly
  inked stamp leaves of its arcs, letters and emblem (pieces that are not tall, long,
  radius-crossing pen strokes; radii are measured against the box's half-width and half-height,
  so a long rectangular stamp counts as a round one) and the pieces of a rectangular stamp's
  frame, so that a pen of another colour or a darker one crossing the seal stays; what remains
  is grouped by a closing of about one x-height, and a group counts when it is wide but not a
  run-on line (:data:`SIGNATURE_MAX_ASPECT`), tall enough, sparse (strokes, not blots), on the
  paper (not on a darker desk or sheet behind an uncropped photo, :data:`OFF_PAPER`) and made of
  long strokes (skeleton length over box diagonal ≥ :data:`SIGNATURE_MIN_STROKE`) that run far
  (the widest connected stroke covers :data:`SIGNATURE_MIN_RUN` of the group, where printed
  text breaks into one piece per glyph). A seal counts as signed over when, its own ink and print
  gone, long strokes are left in its box, unless it lies in the letterhead (a crest).
"""

from __future__ import annotations

from collections.abc import Sequence

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.geometry import boxes_overlap
from docfraud.types import Box

Bgr = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.uint8]

SEAL_MIN_SATURATION = 45
"""HSV saturation (0–255) of stamp-pad ink; paper and black print stay below ~35 after JPEG."""
SEAL_MAX_VALUE = 235
"""Brighter pixels are paper tinted by the light, not ink."""
SEAL_SIZE = (0.06, 0.35)
"""Stamp width and height as a fraction of the page width (about 13–70 mm on A4)."""
SEAL_MAX_ASPECT = 3.2
SEAL_COVERAGE = (0.04, 0.6)
SEAL_MIN_SOLIDITY = 0.6
"""Convex hull area over box area: a ring (π/4 ≈ 0.79) or a frame (≈ 1); a pen stroke's hull is
thinner (a blue signature is saturated ink too)."""
SEAL_MIN_PIXELS = 0.0015
"""Minimum ink pixels of a coloured stamp, as a fraction of ``W²``."""
LETTERHEAD = 0.18
"""Top fraction of the page where emblems and crests sit: dark rings or strokes wholly inside it
are neither seals nor signatures."""
RING_ROUNDNESS = 0.7
DARK_SEAL_CONTRAST = 12
"""Grey levels below the local mean that make a pixel a stamp's ink, however light the stamp."""
SIGNATURE_CONTRAST = 18
"""The same for a pen's ink, which is darker (and the paper's grain is not)."""
RING_WORK = 1000
RING_DIRECTIONS = 360
RING_COVER = 0.75
RING_BEYOND = 1.15
"""A round stamp's rim (:func:`_ringed_seals`), looked for on a copy :data:`RING_WORK` px wide:
ink in :data:`RING_COVER` of :data:`RING_DIRECTIONS` directions, at most half as many at
:data:`RING_BEYOND` times its radius."""
FADED_RING = (0.55, 0.1)
"""A rim the stamp left faint in part (pressed unevenly, a grey stamp in a photo): ink in at
least the first share of the directions, and in at most the second just beyond it, where the
paper round a stamp is clean (a circle through text or a table meets ink beyond it too)."""
FRAME_PIECE = 0.5
"""Straight ink at least this share of the smallest stamp side (:data:`SEAL_SIZE`) is a piece of
a rectangular stamp's frame."""
FRAME_MAX_ASPECT = 4.0
"""A rectangular stamp is at most this many times as wide as tall (notary stamps are long)."""
FRAME_MAX_TILT = 6.0
"""Degrees a frame may lie askew on the upright page (a stamp is pressed by hand)."""
FRAME_SIDES = (0.5, 0.85)
"""Share of each side of a frame that is inked, at least, and of the four together (an unevenly
inked stamp leaves gaps)."""
FRAME_MIN_THICKNESS = 0.0025
"""A stamp's border is a thick line (about 0.5 mm and more); a printed form's box is a hairline
(thinner than this share of the page width)."""
FRAME_DIVIDER = 0.9
"""A straight line across this share of a frame, inside it, divides a table's cells: no stamp."""
SEAL_RIM = 0.18
"""Outer band of a seal's box (share of its size on each side) whose ink gives the seal's colour."""
SEAL_HUE_DISTANCE = 12.0
"""CIE a*b* distance within which ink in a seal's box has the seal's hue."""
SEAL_DARKER = 20.0
"""Lab lightness by which a pen's stroke is darker than a stamp's typical ink."""
PEN_MIN_LENGTH = 3.0
PEN_MIN_HEIGHT = 1.5
SEAL_EMBLEM = 0.45
ARC_SPREAD = 0.1
"""A pen stroke inside a seal (:func:`_seal_remnants`): its skeleton's length and its height in
line heights, how far from the centre it reaches (share of the seal's radius) and how much its
distance from the centre varies (share of the mean; an arc of the rim varies little)."""
SIGNATURE_MIN_STROKE = 1.6
SIGNATURE_MIN_RUN = 0.3
"""The widest connected stroke spans this share of a signature (printed text: one glyph)."""
SIGNED_OVER_STROKE = 0.8
SIGNED_INSIDE = 1.0
"""Pen strokes over a seal run at least :data:`SIGNED_OVER_STROKE` of its width, and this many
line heights inside its outer band (:func:`_signed_over`)."""
SIGNATURE_COVERAGE = (0.02, 0.35)
SIGNATURE_SIZE = (0.05, 0.45)
"""Signature width as a fraction of the page width."""
SIGNATURE_MAX_ASPECT = 6.0
"""A signature is at most this many times as wide as tall; a printed line runs on."""
CHECK_BOX = (0.4, 1.6)
"""Side of a form's check box, in line heights: a square outline that size is print."""
DASHED_RULE = 0.2
"""Shortest dashed rule removed before looking for signatures, as a fraction of the width."""
OFF_PAPER = 0.8
"""Strokes on ground darker than this share of the paper's brightness are off the letter."""
SEAL_BACKGROUND = (75.0, 0.85)
"""A seal's background is the grey at this percentile of its box (a stamp's ink covers at most
:data:`SEAL_COVERAGE`'s upper share of it, the paper shows above); below this share of the
paper's brightness it is not the letter's paper (a desk's wood grain taken for a stamp's ink)."""


def _local_ink(gray: npt.NDArray[np.uint8], contrast: int) -> Mask:
    """255 where a pixel is ``contrast`` grey levels darker than the mean around it (a window
    of about a fortieth of the page's width): ink, however light, against the paper beside it."""
    block = max(15, (gray.shape[1] // 40) | 1)
    return np.asarray(
        cv2.adaptiveThreshold(
            gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, contrast
        ),
        dtype=np.uint8,
    )


def _closing(mask: Mask, size: int) -> Mask:
    kernel = cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size))
    return np.asarray(cv2.morphologyEx(mask, cv2.MORPH_CLOSE, kernel), dtype=np.uint8)


def stamp_ink(bgr: Bgr) -> Mask:
    """Saturated, not-too-bright pixels in blue/violet/red hues: 255 where stamp-pad ink is.

    Args:
        bgr: (H, W, 3) uint8 page.
    """
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    hue, sat, val = hsv[..., 0], hsv[..., 1], hsv[..., 2]
    # OpenCV hue is 0-179: red < 12 or > 160, blue ~100-130, violet ~130-160.
    hue_ok = (hue >= 95) | (hue <= 12)
    mask = (sat >= SEAL_MIN_SATURATION) & (val <= SEAL_MAX_VALUE) & hue_ok
    return mask.astype(np.uint8) * 255


def _merge_boxes(boxes: list[Box], gap: int) -> list[Box]:
    """Union boxes that overlap or lie within ``gap`` pixels of each other."""
    merged = list(boxes)
    changed = True
    while changed:
        changed = False
        out: list[Box] = []
        for b in merged:
            for i, o in enumerate(out):
                if (
                    b[0] <= o[0] + o[2] + gap
                    and o[0] <= b[0] + b[2] + gap
                    and b[1] <= o[1] + o[3] + gap
                    and o[1] <= b[1] + b[3] + gap
                ):
                    x0, y0 = min(b[0], o[0]), min(b[1], o[1])
                    x1 = max(b[0] + b[2], o[0] + o[2])
                    y1 = max(b[1] + b[3], o[1] + o[3])
                    out[i] = (x0, y0, x1 - x0, y1 - y0)
                    changed = True
                    break
            else:
                out.append(b)
        merged = out
    return merged


def _coloured_seals(bgr: Bgr) -> list[Box]:
    width = bgr.shape[1]
    ink = stamp_ink(bgr)
    # Coloured rules (form frames, table borders) are longer than any stamp: drop them.
    ink = np.asarray(cv2.subtract(ink, _rules(ink, int(SEAL_SIZE[1] * width))), dtype=np.uint8)
    grouped = _closing(ink, max(3, int(0.012 * width)) | 1)
    count, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    found: list[Box] = []
    lo, hi = SEAL_SIZE[0] * width, SEAL_SIZE[1] * width
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if not (lo <= max(w, h) <= hi and min(w, h) >= 0.5 * lo):
            continue
        if y < LETTERHEAD * bgr.shape[0]:  # a letterhead's crest in colour, not a stamp
            continue
        if max(w, h) / max(1, min(w, h)) > SEAL_MAX_ASPECT:
            continue
        pixels = int(np.count_nonzero(ink[y : y + h, x : x + w]))
        coverage = pixels / float(w * h)
        if pixels < SEAL_MIN_PIXELS * width * width:
            continue
        if not SEAL_COVERAGE[0] <= coverage <= SEAL_COVERAGE[1]:
            continue
        points = cv2.findNonZero(np.ascontiguousarray(grouped[y : y + h, x : x + w]))
        hull = cv2.convexHull(points)
        if cv2.contourArea(hull) >= SEAL_MIN_SOLIDITY * w * h:
            found.append((x, y, w, h))
    return found


def _dark_seals(dark: Mask) -> list[Box]:
    """Round stamps in any ink (black pads, greyscale scans): closed ink outlines that are
    round (area over enclosing-circle area ≥ :data:`RING_ROUNDNESS`), stamp-sized and hollow,
    below the letterhead. ``dark``: the page's ink at :data:`DARK_SEAL_CONTRAST`."""
    height, width = dark.shape
    ink = _closing(dark, max(3, int(0.004 * width)) | 1)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    lo, hi = SEAL_SIZE[0] * width, 0.25 * width
    found: list[Box] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (lo <= w <= hi and lo <= h <= hi) or max(w, h) > 1.3 * min(w, h):
            continue
        if y < LETTERHEAD * height:
            continue
        (_, _), radius = cv2.minEnclosingCircle(contour)
        if cv2.contourArea(contour) < RING_ROUNDNESS * np.pi * radius * radius:
            continue
        coverage = np.count_nonzero(ink[y : y + h, x : x + w]) / float(w * h)
        if 0.08 <= coverage <= 0.6:
            found.append((x, y, w, h))
    return found


def _frame_piece(page_width: int) -> int:
    """Pixels of straight ink that make a piece of a rectangular stamp's frame."""
    return max(3, int(FRAME_PIECE * SEAL_SIZE[0] * page_width))


def _across(
    mask: Mask, a: npt.NDArray[np.float64], b: npt.NDArray[np.float64], reach: int
) -> npt.NDArray[np.bool_]:
    """(40, 2 * reach + 1): whether ``mask`` is set at points from 5 % to 95 % of the segment
    a → b (rows) and at each offset up to ``reach`` pixels across it (columns)."""
    height, width = mask.shape
    along = b - a
    normal = np.array([-along[1], along[0]]) / max(1e-9, float(np.hypot(*along)))
    steps = np.linspace(0.05, 0.95, 40)[:, None, None]
    offsets = np.arange(-reach, reach + 1)[None, :, None]
    points = np.rint(a + steps * along + offsets * normal).astype(int)
    xs, ys = points[..., 0], points[..., 1]
    inside = (xs >= 0) & (xs < width) & (ys >= 0) & (ys < height)
    hit = np.zeros(xs.shape, bool)
    hit[inside] = mask[ys[inside], xs[inside]] > 0
    return hit


def _longest_run(hit: npt.NDArray[np.bool_]) -> npt.NDArray[np.int_]:
    """Per row, the longest run of set values."""
    run = np.zeros(hit.shape[0], int)
    best = np.zeros(hit.shape[0], int)
    for column in hit.T:
        run = np.where(column, run + 1, 0)
        best = np.maximum(best, run)
    return best


def _frame_sides(
    pieces: Mask, ink: Mask, rect: tuple[tuple[float, float], tuple[float, float], float], t: int
) -> tuple[list[float], float, Box]:
    """Each side's inked share where the frame's line lies (sought inward from the rectangle
    around the pieces: a pen's stroke beyond the frame widens that rectangle), the median
    thickness of those lines in ``ink`` (pixels), and the box round the frame they make."""
    corners = cv2.boxPoints(rect).astype(np.float64)
    centre = corners.mean(axis=0)
    shares, thickness, lines = [], [], []
    for i in range(4):
        a, b = corners[i], corners[(i + 1) % 4]
        inward = centre - (a + b) / 2.0
        depth = float(np.hypot(*inward))
        inward /= max(depth, 1e-9)
        share, offset = max(
            (float(_across(pieces, a + inward * o, b + inward * o, t).any(axis=1).mean()), o)
            for o in range(t, max(t + 1, int(0.35 * depth)), t)
        )
        shares.append(share)
        line = _across(ink, a + inward * offset, b + inward * offset, 4 * t)
        thickness.append(float(np.median(_longest_run(line))))
        lines.append((a + inward * offset, b - a))
    frame = []
    for (p, d), (q, e) in zip(lines, lines[1:] + lines[:1], strict=True):
        # where side i meets side i + 1: p + s d = q + u e
        s, _ = np.linalg.solve(np.column_stack([d, -e]), q - p)
        frame.append(p + s * d)
    margin = t + float(np.median(thickness)) / 2.0
    (x0, y0), (x1, y1) = np.min(frame, axis=0) - margin, np.max(frame, axis=0) + margin
    box = (int(x0), int(y0), int(np.ceil(x1 - x0)), int(np.ceil(y1 - y0)))
    return shares, float(np.median(thickness)), box


def _framed_seals(ink: Mask) -> list[Box]:
    """Rectangular stamps in any ink (black pads, greyscale captures; coloured ones are found by
    their colour): a frame of straight ink pieces (:data:`FRAME_PIECE`), stamp-sized, at most
    :data:`FRAME_MAX_ASPECT` long and :data:`FRAME_MAX_TILT` askew, inked round its four sides
    (:data:`FRAME_SIDES`) with a line thicker than a form's rule (:data:`FRAME_MIN_THICKNESS`),
    with text inside (:data:`SEAL_COVERAGE`) but no table rule across it
    (:data:`FRAME_DIVIDER`), below the letterhead. A signature crossing the frame is allowed for:
    the frame's lines are sought inward from the rectangle round all the straight pieces.
    ``ink``: the page's ink at :data:`DARK_SEAL_CONTRAST`."""
    height, width = ink.shape
    t = max(2, int(0.003 * width))
    frames = _closing(_rules(ink, _frame_piece(width)), 4 * t + 1)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(frames, connectivity=8)
    lo, hi = SEAL_SIZE[0] * width, SEAL_SIZE[1] * width
    found: list[Box] = []
    for k in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[k])
        if not (lo <= max(w, h) <= hi and min(w, h) >= 0.5 * lo):
            continue
        if max(w, h) > FRAME_MAX_ASPECT * min(w, h) or y < LETTERHEAD * height:
            continue
        pieces = np.where(labels == k, np.uint8(255), np.uint8(0))
        (cx, cy), (rw, rh), angle = cv2.minAreaRect(cv2.findNonZero(pieces))
        if min(abs(angle) % 90.0, 90.0 - abs(angle) % 90.0) > FRAME_MAX_TILT:
            continue
        shares, thickness, frame = _frame_sides(pieces, ink, ((cx, cy), (rw, rh), angle), t)
        if min(shares) < FRAME_SIDES[0] or float(np.mean(shares)) < FRAME_SIDES[1]:
            continue
        if thickness < FRAME_MIN_THICKNESS * width:
            continue
        mx, my = max(4 * t, int(0.15 * w)), max(4 * t, int(0.15 * h))
        inner = ink[y + my : y + h - my, x + mx : x + w - mx]
        coverage = np.count_nonzero(inner) / float(max(1, inner.size))
        if not SEAL_COVERAGE[0] <= coverage <= SEAL_COVERAGE[1]:
            continue
        rows, columns = ink[y + my : y + h - my, x : x + w], ink[y : y + h, x + mx : x + w - mx]
        across = cv2.morphologyEx(
            rows, cv2.MORPH_OPEN, np.ones((1, int(FRAME_DIVIDER * w)), np.uint8)
        )
        down = cv2.morphologyEx(
            columns, cv2.MORPH_OPEN, np.ones((int(FRAME_DIVIDER * h), 1), np.uint8)
        )
        if np.count_nonzero(across) or np.count_nonzero(down):
            continue
        fx, fy, fw, fh = frame  # the frame's own box: a pen's flourish beyond it is not the stamp
        x0, y0 = max(x, fx), max(y, fy)
        found.append((x0, y0, min(x + w, fx + fw) - x0, min(y + h, fy + fh) - y0))
    return found


def _ring_cover(ink: Mask, cx: float, cy: float, r: float) -> float:
    """Share of the directions from (cx, cy) in which ``ink`` lies at distance ``r`` (± 1 px)."""
    h, w = ink.shape
    angles = np.linspace(0.0, 2.0 * np.pi, RING_DIRECTIONS, endpoint=False)
    hit = np.zeros(RING_DIRECTIONS, bool)
    for d in (-1.0, 0.0, 1.0):
        xs = np.round(cx + (r + d) * np.cos(angles)).astype(int)
        ys = np.round(cy + (r + d) * np.sin(angles)).astype(int)
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        hit[inside] |= ink[ys[inside], xs[inside]] > 0
    return float(hit.mean())


def _ringed_seals(gray: npt.NDArray[np.uint8]) -> list[Box]:
    """Round stamps in any ink, found by their rim even where print or a pen touches it.

    Circles proposed by a Hough transform (at :data:`RING_WORK` px wide) are kept when, at the
    radius that fits best, ink runs round :data:`RING_COVER` of the circle, and a circle a little
    wider (:data:`RING_BEYOND`) meets ink in at most half as many directions: a rim, not a circle
    drawn through a table or a block of text, which meets ink at every radius. A rim faint in
    part is kept where the paper just beyond it is clean (:data:`FADED_RING`). ``gray``: the
    page in grey.
    """
    scale = min(1.0, RING_WORK / gray.shape[1])
    small = np.asarray(
        cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA), np.uint8
    )
    height, width = small.shape
    ink = _local_ink(small, DARK_SEAL_CONTRAST)
    r_min, r_max = int(SEAL_SIZE[0] * width / 2), int(0.125 * width)
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small, (5, 5), 1.5), cv2.HOUGH_GRADIENT_ALT, dp=1.5, minDist=r_min,
        param1=100, param2=0.6, minRadius=r_min, maxRadius=r_max,
    )  # fmt: skip
    found: list[Box] = []
    for cx, cy, r0 in [] if circles is None else circles[0]:
        if cy - r0 < LETTERHEAD * height:
            continue
        cover, r = max((_ring_cover(ink, cx, cy, r), r) for r in np.arange(0.88 * r0, 1.12 * r0))
        beyond = _ring_cover(ink, cx, cy, RING_BEYOND * r)
        whole = cover >= RING_COVER and beyond <= 0.5 * cover
        if whole or (cover >= FADED_RING[0] and beyond <= FADED_RING[1]):
            side = int(round(2 * r / scale))
            found.append((int((cx - r) / scale), int((cy - r) / scale), side, side))
    return found


def find_seals(bgr: Bgr, text_boxes: Sequence[Box] = ()) -> list[Box]:
    """Boxes (x, y, w, h) of the stamps on an upright page.

    Args:
        bgr: (H, W, 3) uint8 rectified page.
        text_boxes: printed words found by OCR, page pixels; where there are enough to tell the
            paper's brightness, a "stamp" off the paper (wood grain, a desk's pattern beside a
            page photographed whole) is dropped.
    """
    gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    # a local threshold: a grey stamp is lighter than the page's print, which sets Otsu's cut
    dark = _local_ink(gray, DARK_SEAL_CONTRAST)
    boxes = _coloured_seals(bgr) + _dark_seals(dark) + _ringed_seals(gray) + _framed_seals(dark)
    found = _merge_boxes(boxes, 0)
    paper = _paper_level(gray, text_boxes)
    if paper is not None:
        found = [b for b in found if not _off_paper(gray, b, paper, *SEAL_BACKGROUND)]
    return sorted(found, key=lambda b: (b[1], b[0]))


def _rules(ink: Mask, length: int, gap: int = 0, ragged: int = 0) -> Mask:
    """Long horizontal and vertical straight ink (rules, underlines, form boxes).

    Args:
        ink: (H, W) mask, 255 on ink.
        length: shortest rule, pixels.
        gap: with ``gap`` > 0, dashed and dotted rules count too: gaps up to ``gap`` pixels
            along the rule are bridged first; the result is then the ink on such rules, thickened
            by a pixel, so that the dashes themselves are removed.
        ragged: with ``ragged`` > 0, ink that wanders up to ``ragged`` pixels across the rule's
            line counts as on it (an unevenly inked edge); the result is then thickened by as
            much.
    """
    along_x, along_y = ink, ink
    if ragged > 0:
        along_x = np.asarray(cv2.dilate(ink, np.ones((2 * ragged + 1, 1), np.uint8)), np.uint8)
        along_y = np.asarray(cv2.dilate(ink, np.ones((1, 2 * ragged + 1), np.uint8)), np.uint8)
    if gap > 0:
        bridge = (gap + 1) | 1
        along_x = np.asarray(
            cv2.morphologyEx(along_x, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8)), np.uint8
        )
        along_y = np.asarray(
            cv2.morphologyEx(along_y, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8)), np.uint8
        )
    horizontal = cv2.morphologyEx(along_x, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    vertical = cv2.morphologyEx(along_y, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    rules = np.asarray(cv2.bitwise_or(horizontal, vertical), dtype=np.uint8)
    if gap > 0:
        rules = np.asarray(cv2.dilate(rules, np.ones((3, 3), np.uint8)), dtype=np.uint8)
    return rules


def _paper_level(gray: npt.NDArray[np.uint8], text_boxes: Sequence[Box]) -> float | None:
    """The paper's brightness: the median grey over the printed text's extent (mostly paper)."""
    if len(text_boxes) < 5:
        return None
    x0 = min(b[0] for b in text_boxes)
    y0 = min(b[1] for b in text_boxes)
    x1 = max(b[0] + b[2] for b in text_boxes)
    y1 = max(b[1] + b[3] for b in text_boxes)
    return float(np.median(gray[y0:y1:4, x0:x1:4]))


def _off_paper(
    gray: npt.NDArray[np.uint8],
    box: Box,
    paper: float,
    percentile: float = 50.0,
    share: float = OFF_PAPER,
) -> bool:
    """Whether ``box`` lies on what is not the letter's paper (the desk or another sheet behind
    an uncropped photo): its background, the grey at ``percentile`` (the median for strokes
    that cover less than half of it), is much darker than the paper (below ``share`` of its
    level)."""
    x, y, w, h = box
    region = gray[y : y + h, x : x + w]
    return float(np.percentile(region, percentile)) < share * paper


def _skeleton_length(mask: Mask) -> int:
    """Pixels of the morphological skeleton (a stroke's length)."""
    # A zero frame: erosion treats the outside as ink, so a full region would never vanish.
    work = np.asarray(cv2.copyMakeBorder(mask, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=0), np.uint8)
    skel = np.zeros_like(work)
    kernel = cv2.getStructuringElement(cv2.MORPH_CROSS, (3, 3))
    while cv2.countNonZero(work):
        eroded = cv2.erode(work, kernel)
        opened = cv2.dilate(eroded, kernel)
        skel = np.asarray(cv2.bitwise_or(skel, cv2.subtract(work, opened)), dtype=np.uint8)
        work = np.asarray(eroded, dtype=np.uint8)
    return int(cv2.countNonZero(skel))


def find_signatures(
    bgr: Bgr, text_boxes: Sequence[Box], seals: Sequence[Box] | None = None
) -> list[Box]:
    """Boxes (x, y, w, h) of handwritten strokes on an upright page.

    Args:
        bgr: (H, W, 3) uint8 rectified page.
        text_boxes: printed words found by OCR, page pixels; their ink is not a signature.
        seals: the page's seals when already found (:func:`find_seals`), else they are searched.
    """
    gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    height, width = gray.shape
    ink = _local_ink(gray, SIGNATURE_CONTRAST)
    # Ink of the seal's own colour inside it is the seal's; a pen of another colour or
    # darkness crossing it stays (elsewhere blue or violet ink may be a pen's too).
    seal_boxes = list(find_seals(bgr, text_boxes) if seals is None else seals)
    text_heights = sorted(b[3] for b in text_boxes) or [int(0.015 * width)]
    line_h = max(6, text_heights[len(text_heights) // 2])
    printed = np.zeros(ink.shape, bool)
    for x, y, w, h in text_boxes:
        pad = max(1, h // 6)
        printed[max(0, y - pad) : y + h + pad, max(0, x - pad) : x + w + pad] = True
    for x, y, w, h in seal_boxes:
        region = ink[y : y + h, x : x + w]
        region[_seal_own_ink(bgr[y : y + h, x : x + w], region)] = 0
        # a typed line crossing the seal is not a pen's stroke over it
        stamp = _seal_remnants(np.where(printed[y : y + h, x : x + w], 0, region), line_h)
        stamp |= _frame_lines(region, width)
        region[stamp & ~_reaching_out(ink, (x, y, w, h), line_h)] = 0
    rules = _rules(ink, max(15, int(0.06 * width)))
    # Dashed and dotted rules (form boxes) too, but only long ones: a pen's flourish, bridged
    # the same way, is shorter.
    dashed = _rules(ink, int(DASHED_RULE * width), gap=max(3, line_h // 3))
    ink = np.asarray(cv2.subtract(ink, cv2.bitwise_or(rules, dashed)), dtype=np.uint8)
    ink[_check_boxes(ink, line_h)] = 0
    ink[printed] = 0
    paper = _paper_level(gray, text_boxes)
    ink = np.asarray(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)), np.uint8)
    grouped = _closing(ink, max(3, line_h) | 1)
    count, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
    found: list[Box] = []
    for i in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if not SIGNATURE_SIZE[0] * width <= w <= SIGNATURE_SIZE[1] * width:
            continue
        if y + h < LETTERHEAD * height:  # emblems and logos, not signatures
            continue
        if paper is not None and _off_paper(gray, (x, y, w, h), paper):
            continue
        if h < 1.2 * line_h or h > 10 * line_h or not 0.8 * h <= w <= SIGNATURE_MAX_ASPECT * h:
            continue
        region = np.ascontiguousarray(ink[y : y + h, x : x + w])
        pixels = cv2.countNonZero(region)
        if not SIGNATURE_COVERAGE[0] <= pixels / float(w * h) <= SIGNATURE_COVERAGE[1]:
            continue
        if _skeleton_length(region) < SIGNATURE_MIN_STROKE * float(np.hypot(w, h)):
            continue
        # Printed words are rows of separate glyphs; handwriting runs in long connected strokes.
        n, _, parts, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
        widest = int(parts[1:, cv2.CC_STAT_WIDTH].max()) if n > 1 else 0
        if widest < SIGNATURE_MIN_RUN * w and widest < 2.5 * line_h:
            continue
        found.append((x, y, w, h))
    for box in seal_boxes:
        if box[1] + box[3] < LETTERHEAD * height:  # an emblem's colours, not a signed stamp
            continue
        if not any(boxes_overlap(box, f) for f in found) and _signed_over(ink, box, line_h):
            found.append(box)
    return sorted(found, key=lambda b: (b[1], b[0]))


def _check_boxes(ink: Mask, line_h: int) -> npt.NDArray[np.bool_]:
    """Where ``ink`` is a form's check box, ticked or not: a square outline of
    :data:`CHECK_BOX` line heights whose outer contour is a quadrilateral filling its box (a
    pen's loop is rounder or thinner)."""
    boxes = np.zeros(ink.shape, np.uint8)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    lo, hi = CHECK_BOX[0] * line_h, CHECK_BOX[1] * line_h
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (lo <= w <= hi and lo <= h <= hi) or max(w, h) > 1.3 * min(w, h):
            continue
        corners = cv2.approxPolyDP(contour, 0.08 * cv2.arcLength(contour, True), True)
        if len(corners) == 4 and cv2.contourArea(contour) >= 0.8 * w * h:
            cv2.drawContours(boxes, [contour], -1, 1, thickness=cv2.FILLED)
    return boxes > 0


def _rim_band(h: int, w: int) -> npt.NDArray[np.bool_]:
    """The outer band of an (h, w) seal's box, :data:`SEAL_RIM` of its size on each side."""
    band = np.ones((h, w), bool)
    rh, rw = int(SEAL_RIM * h), int(SEAL_RIM * w)
    band[rh : h - rh, rw : w - rw] = False
    return band


def _seal_own_ink(crop: Bgr, ink: Mask) -> npt.NDArray[np.bool_]:
    """Where ``ink`` in a seal's box is the seal's: of its hue and not darker than its ink.

    The seal's ink is sampled in the box's outer band (:data:`SEAL_RIM`), where a stamp's rim
    and lettering are and a signature seldom is: its median hue (CIE Lab a*, b*) and median
    lightness. A pen of another hue, or one :data:`SEAL_DARKER` darker of the same hue (navy
    over a blue stamp), is not the seal's.
    """
    h, w = ink.shape
    inked = ink > 0
    rim = inked & _rim_band(h, w)
    if int(rim.sum()) < 20:
        return inked
    lab = cv2.cvtColor(np.ascontiguousarray(crop), cv2.COLOR_BGR2LAB).astype(np.float32)
    hue = np.median(lab[rim][:, 1:], axis=0)
    typical = float(np.median(lab[rim][:, 0]))
    same_hue = np.linalg.norm(lab[..., 1:] - hue, axis=2) <= SEAL_HUE_DISTANCE
    not_darker = lab[..., 0] >= typical - SEAL_DARKER
    core = (inked & same_hue & not_darker).astype(np.uint8)
    # the blurred edges of the stamp's strokes drift in hue: near its ink and no darker, the seal's
    near = cv2.dilate(core, np.ones((5, 5), np.uint8)) > 0
    own: npt.NDArray[np.bool_] = inked & not_darker & (same_hue | near)
    return own


def _reaching_out(ink: Mask, box: Box, line_h: int) -> npt.NDArray[np.bool_]:
    """In ``box``, the ink joined to ink half a line height or more outside it: a pen's stroke
    that crosses the seal's edge, which its pieces inside are part of (the seal's box holds all
    of the seal)."""
    x, y, w, h = box
    height, width = ink.shape
    reach = max(2, line_h // 2)
    x0, y0 = max(0, x - 2 * reach), max(0, y - 2 * reach)
    x1, y1 = min(width, x + w + 2 * reach), min(height, y + h + 2 * reach)
    window = np.ascontiguousarray(ink[y0:y1, x0:x1])
    count, labels = cv2.connectedComponents(window, connectivity=8)
    far = np.ones(window.shape, bool)
    far[
        max(0, y - reach - y0) : y + h + reach - y0, max(0, x - reach - x0) : x + w + reach - x0
    ] = False
    out = np.unique(labels[far & (window > 0)])
    joined = np.isin(labels, out[out > 0])
    inside: npt.NDArray[np.bool_] = joined[y - y0 : y + h - y0, x - x0 : x + w - x0]
    return inside


def _frame_lines(ink: Mask, page_width: int) -> npt.NDArray[np.bool_]:
    """In a seal's box, the straight ink along its edges (in the outer band, :data:`SEAL_RIM`):
    a rectangular stamp's frame, left where the stamp was inked darker than its typical ink.
    Pieces as long as a frame's (:data:`FRAME_PIECE`), which a pen's strokes are not, found
    within a few pixels of a straight line (an unevenly inked frame's edge is ragged)."""
    h, w = ink.shape
    straight = _rules(ink, _frame_piece(page_width), ragged=2) > 0
    lines: npt.NDArray[np.bool_] = straight & _rim_band(h, w) & (ink > 0)
    return lines


def _seal_remnants(ink: Mask, line_h: int) -> npt.NDArray[np.bool_]:
    """The ink left in a seal's box that is still the seal's: pieces that are not pen strokes.

    A stamp inked unevenly leaves its darker arcs, letters and emblem behind. A pen stroke
    (its pieces joined across the gaps the stamp's ink left) is taller than a line of print
    (:data:`PEN_MIN_HEIGHT` line heights: a typed word joined is not), long (a skeleton of
    :data:`PEN_MIN_LENGTH` line heights), reaches out of the seal's centre (beyond
    :data:`SEAL_EMBLEM` of its radius) and crosses radii, where an arc of the rim keeps its
    distance from the centre (radial spread under :data:`ARC_SPREAD` of the mean).
    """
    h, w = ink.shape
    # A pen stroke that crossed the stamp's ink comes out of the step before in pieces: judge
    # the pieces a small closing joins.
    joined = _closing(ink, max(3, line_h // 4) | 1)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    yy, xx = np.mgrid[0:h, 0:w]
    # distance from the centre as a share of the half-width across and of the half-height down:
    # a round seal's radius, and as far out in a long rectangular stamp
    radius = np.hypot((xx - (w - 1) / 2) / (w / 2), (yy - (h - 1) / 2) / (h / 2))
    remnant = np.zeros((h, w), bool)
    for i in range(1, count):
        part = labels == i
        piece = part & (ink > 0)
        r = radius[piece]
        if r.size == 0:
            continue
        pen = (
            r.size >= line_h
            and int(stats[i, cv2.CC_STAT_HEIGHT]) >= PEN_MIN_HEIGHT * line_h
            and float(r.max()) >= SEAL_EMBLEM
            and float(r.std()) >= ARC_SPREAD * max(float(r.mean()), 1e-6)
            and _skeleton_length(part.astype(np.uint8) * 255) >= PEN_MIN_LENGTH * line_h
        )
        if not pen:
            remnant |= piece
    return remnant


def _signed_over(ink: Mask, seal: Box, line_h: int) -> bool:
    """Whether pen strokes cross a seal: after the stamp's own ink and printed words are gone,
    the ink left in the seal's box runs at least :data:`SIGNED_OVER_STROKE` times its width, is
    taller than a typed line (:data:`PEN_MIN_HEIGHT` line heights: a caption typed across
    the stamp, too blurred for OCR to read, is one row of bold ink) and crosses the seal's
    inside for :data:`SIGNED_INSIDE` line heights: ink left only in its outer band
    (:data:`SEAL_RIM`) is the rim's darker arcs joined to the ends of a typed line that
    crosses the stamp's edge."""
    x, y, w, h = seal
    region = np.ascontiguousarray(ink[y : y + h, x : x + w])
    region = np.asarray(
        cv2.morphologyEx(region, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8)), np.uint8
    )
    n, _, parts, _ = cv2.connectedComponentsWithStats(region, connectivity=8)
    if n <= 1 or int(parts[1:, cv2.CC_STAT_WIDTH].max()) < 1.5 * line_h:
        return False
    rows = np.flatnonzero(region.any(axis=1))
    if rows[-1] - rows[0] + 1 < PEN_MIN_HEIGHT * line_h:
        return False
    inside = np.where(_rim_band(h, w), 0, region).astype(np.uint8)
    if _skeleton_length(inside) < SIGNED_INSIDE * line_h:
        return False
    return _skeleton_length(region) >= SIGNED_OVER_STROKE * w
