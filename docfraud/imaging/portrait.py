"""The holder's portrait: where it is on a document, and a perceptual hash to compare it across
documents (numpy/cv2 only).

Doc 9303 fixes where the portrait sits (Zone V): along the left edge of a passport data page
(Part 4 §3.2.2, §4.1.1.1 field 19/V: 26-35 mm wide, 32-45 mm high, at least 2 mm from the left
edge), of a TD1 card's front (Part 5 §3.3), of a TD2 (Part 6 §3.3) and of a visa (Part 7), above the
MRZ. :func:`find_portrait` maps that zone from the document's oriented outline (corners in reading
order, as :func:`docfraud.imaging.rectify.locate_document` gives them once the MRZ oriented the
page) into the image, then refines it to the photo inside the window by image evidence: the
photo is a block that differs from the security print around it in tone and colour, and its
subject (head and shoulders) rises from its lower edge.

:func:`portrait_hash` is a DCT perceptual hash (pHash) of the portrait rectified upright: grey,
histogram-equalised, the centre of the photo (the head, away from seals, frames and vignette
fades), 32 × 32, the low 8 × 8 DCT coefficients without DC, thresholded at their median. It survives
print, scan, JPEG, capture tilt and colour versus greyscale printing when the crop is the same
(2-12 bits), but not a crop shifted by 5-8 % of the photo, which an outline a few mm off gives;
different faces differ by about half of the 64 bits (:data:`SAME_PORTRAIT_BITS`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.rectify import PRINTED_SIZES, Quad
from docfraud.types import Box

SAME_PORTRAIT_BITS = 6
"""Hashes at most this many bits apart are the same photo. Chosen on a development seizure (seed
7, 300 documents, 187 portraits located): different faces came 6 or more bits apart (0.01st
percentile 8, 1st percentile 16, median 30), so 6 keeps false pairs near 1 in 15,000; the same
photo printed on two documents came 2-12 bits apart when the portrait's true outline is used but
often 20 or more with the outline the MRZ predicts (a few mm off), which is what limits recall."""
WORK_PX_PER_MM = 6.0
"""Resolution of the rectified search window (about 150 dpi)."""
RIGHT_MARGIN = 1.15
"""The mirrored (right-hand) window wins when it is this much darker than the left one (on a
development seizure: left-portrait pages 1.6x or more darker on the left, right-portrait pages
1.4x or more on the right)."""
HASH_SIDE = 32
HASH_LOW = 8


@dataclass(frozen=True, slots=True)
class Zone:
    """A rectangle on the document in mm from its top-left corner (reading orientation)."""

    x: float
    y: float
    w: float
    h: float


NOMINAL = {
    "TD3": Zone(4.5, 14.5, 32.0, 41.0),
    "TD2": Zone(4.0, 13.0, 29.0, 37.0),
    "TD1": Zone(3.0, 11.5, 25.0, 32.0),
    "MRVA": Zone(4.0, 14.0, 30.0, 38.0),
    "MRVB": Zone(4.0, 13.0, 26.0, 33.0),
}
"""Nominal portrait per format (mm): at the left edge, inside Doc 9303's size range, between the
header and the MRZ. A TD1's portrait is on the front, which carries no MRZ to orient it."""


@dataclass(frozen=True, slots=True)
class PortraitLocation:
    """Where the portrait is: ``quad`` (top-left, top-right, bottom-right, bottom-left, upright in
    the document's reading order) and its bounding ``box``, both in input pixels."""

    quad: Quad
    box: Box
    score: float
    """How clearly the photo stood out from the print around it (0..1)."""


def _to_image(corners: Sequence[Sequence[float]], width_mm: float, height_mm: float) -> Any:
    """Homography from document mm (reading orientation) to input pixels."""
    src = np.array([[0, 0], [width_mm, 0], [width_mm, height_mm], [0, height_mm]], np.float32)
    return cv2.getPerspectiveTransform(src, np.array(corners, np.float32))


def _project(homography: Any, points: npt.ArrayLike) -> npt.NDArray[np.float64]:
    pts = np.asarray(points, np.float64).reshape(1, -1, 2)
    return np.asarray(cv2.perspectiveTransform(pts, homography)[0], np.float64)


def _bounding_box(points: npt.NDArray[np.float64], width: int, height: int) -> Box:
    x0 = int(np.clip(math.floor(points[:, 0].min()), 0, width))
    y0 = int(np.clip(math.floor(points[:, 1].min()), 0, height))
    x1 = int(np.clip(math.ceil(points[:, 0].max()), x0, width))
    y1 = int(np.clip(math.ceil(points[:, 1].max()), y0, height))
    return (x0, y0, x1 - x0, y1 - y0)


def _corners(zone: Zone) -> list[tuple[float, float]]:
    x, y, w, h = zone.x, zone.y, zone.w, zone.h
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def _oriented(document: Mapping[str, Any]) -> tuple[list[list[float]], str] | None:
    corners = document.get("corners")
    fmt = document.get("mrz_format")
    if not corners or len(corners) != 4 or fmt not in NOMINAL or fmt == "TD1":
        return None  # a TD1's MRZ side is its back: the portrait is on the other image
    return [list(map(float, c)) for c in corners], str(fmt)


def find_portrait(
    bgr: npt.NDArray[np.uint8], document: Mapping[str, Any]
) -> PortraitLocation | None:
    """The portrait on an oriented document, or None without an oriented outline.

    Args:
        bgr: (H, W, 3) uint8 input page.
        document: the scan's ``document`` object (``corners`` in reading order, ``mrz_format``).
    """
    oriented = _oriented(document)
    if oriented is None:
        return None
    corners, fmt = oriented
    size = PRINTED_SIZES[fmt]
    to_image = _to_image(corners, size.width, size.height)
    zone, darkness = _refine(bgr, to_image, NOMINAL[fmt], size.width, size.height)
    quad = _project(to_image, _corners(zone))
    h, w = bgr.shape[:2]
    box = _bounding_box(quad, w, h)
    if box[2] < 8 or box[3] < 8:
        return None
    tl, tr, br, bl = ((float(p[0]), float(p[1])) for p in quad)
    return PortraitLocation((tl, tr, br, bl), box, min(1.0, max(0.0, darkness / 100.0)))


def locate_portrait(
    bgr: npt.NDArray[np.uint8], document: Mapping[str, Any]
) -> tuple[int, int, int, int] | None:
    """The portrait's box ``(x, y, w, h)`` in input pixels, or None without an oriented outline
    (see :func:`find_portrait`)."""
    found = find_portrait(bgr, document)
    return found.box if found else None


def _darkness(bgr: npt.NDArray[np.uint8], to_image: Any, zone: Zone, paper: float) -> float:
    """Mean darkness (grey levels below the paper, blurred over 1 mm) of ``zone``: a photo is a
    dense dark block, text and security print are thin strokes on paper."""
    s = WORK_PX_PER_MM
    w, h = max(8, round(zone.w * s)), max(8, round(zone.h * s))
    to_flat = np.linalg.inv(to_image @ _scale_from(zone, s))
    flat = cv2.warpPerspective(bgr, to_flat, (w, h), flags=cv2.INTER_AREA)
    gray = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY).astype(np.float32)
    return float(np.mean(paper - cv2.GaussianBlur(gray, (0, 0), s)))


def _scale_from(zone: Zone, px_per_mm: float) -> Any:
    """Homography from a window's pixels (``px_per_mm``) to document mm."""
    return np.array([[1 / px_per_mm, 0, zone.x], [0, 1 / px_per_mm, zone.y], [0, 0, 1]], np.float64)


def _paper_level(
    bgr: npt.NDArray[np.uint8], to_image: Any, width_mm: float, height_mm: float
) -> float:
    """The document's paper tone: the 95th percentile of its grey levels."""
    s = 2.0
    whole = Zone(0.0, 0.0, width_mm, height_mm)
    to_flat = np.linalg.inv(to_image @ _scale_from(whole, s))
    flat = cv2.warpPerspective(bgr, to_flat, (round(width_mm * s), round(height_mm * s)))
    return float(np.percentile(cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY), 95))


def _refine(
    bgr: npt.NDArray[np.uint8], to_image: Any, prior: Zone, width_mm: float, height_mm: float
) -> tuple[Zone, float]:
    """The prior zone at the left edge, or its mirror at the right edge when that is clearly the
    darker block (some designs put the portrait on the right, e.g. older national passports);
    returns the zone and its darkness."""
    paper = _paper_level(bgr, to_image, width_mm, height_mm)
    mirror = Zone(width_mm - prior.x - prior.w, prior.y, prior.w, prior.h)
    left = _darkness(bgr, to_image, prior, paper)
    right = _darkness(bgr, to_image, mirror, paper)
    if right > RIGHT_MARGIN * max(left, 1.0):
        return mirror, right
    return prior, left


def _upright(bgr: npt.NDArray[np.uint8], where: Box | Quad | Sequence[Sequence[float]]) -> Any:
    """The portrait as an upright (h, w, 3) image: a box is cropped, a quad rectified."""
    if len(where) == 4 and not isinstance(where[0], int | np.integer):
        quad = np.array(where, np.float32).reshape(4, 2)
        tl, tr, br, bl = quad
        w = max(8, round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
        h = max(8, round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
        dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        m = cv2.getPerspectiveTransform(quad, dst)
        return cv2.warpPerspective(bgr, m, (w, h), flags=cv2.INTER_AREA)
    x, y, w, h = (int(v) for v in where)  # type: ignore[arg-type]
    return bgr[max(0, y) : y + h, max(0, x) : x + w]


def portrait_hash(bgr: npt.NDArray[np.uint8], where: Box | Quad | Sequence[Sequence[float]]) -> int:
    """A 64-bit perceptual hash of the portrait.

    Args:
        bgr: (H, W, 3) uint8 input page.
        where: the portrait: a box ``(x, y, w, h)`` (an upright page) or, better, the quad of
            :class:`PortraitLocation` (rectified upright whatever the capture's rotation).

    Returns:
        The hash as an unsigned 64-bit integer (bit 63 is the first low-frequency coefficient).

    Raises:
        ValueError: the region is empty.
    """
    photo = _upright(bgr, where)
    if photo.size == 0 or min(photo.shape[:2]) < 8:
        raise ValueError("the portrait region is empty")
    gray = cv2.cvtColor(np.ascontiguousarray(photo), cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    # the head: the centre of the photo, away from frames, seals and vignette fades
    head = gray[round(0.1 * h) : round(0.75 * h), round(0.18 * w) : round(0.82 * w)]
    small = cv2.resize(head, (HASH_SIDE, HASH_SIDE), interpolation=cv2.INTER_AREA)
    small = cv2.equalizeHist(small)
    dct = cv2.dct(small.astype(np.float32))[:HASH_LOW, :HASH_LOW].ravel()
    low = dct[1:]  # without DC: the overall tone says nothing about the face
    bits = np.concatenate([[False], low > np.median(low)])
    value = 0
    for bit in bits:
        value = (value << 1) | int(bit)
    return value


def hash_distance(a: int, b: int) -> int:
    """Hamming distance of two 64-bit hashes (0: identical, about 32: unrelated).

    >>> hash_distance(0b1011, 0b0010)
    2
    """
    return (a ^ b).bit_count()
