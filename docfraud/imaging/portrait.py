"""The holder's portrait: where it is on a document, and a perceptual print to compare it across
documents (numpy/cv2 only).

Doc 9303 fixes where the portrait sits (Zone V): along the left edge of a passport data page
(Part 4 §3.2.2, §4.1.1.1 field 19/V: 26-35 mm wide, 32-45 mm high, at least 2 mm from the left
edge), of a TD1 card's front (Part 5 §3.3), of a TD2 (Part 6 §3.3) and of a visa (Part 7), above the
MRZ. :func:`find_portrait` maps that zone from the document's oriented outline (corners in reading
order) into the image, after moving an outline that was only predicted from the MRZ onto the
document's own edges where they show (:func:`refine_outline`: a prediction from the MRZ's pitch
is a few mm off, more under perspective, and a portrait crop shifted by 5 % of the photo no
longer hashes alike), and picks the left or the mirrored right-hand zone by which is the dense
block a photo is.

:class:`PortraitPrint` is what link analysis compares: the embedding of
:mod:`docfraud.imaging.portraitnet` (a CNN trained so that one photo printed on two documents
lands close and different faces apart; :func:`similarity`), and a DCT perceptual hash of the head
(:func:`portrait_hash`, 256 bits) as a compact identifier of the photo, the value a stop-list's
``portrait_hash`` column takes. A hash alone does not tell one photo from a similar face: on
generated seizures different faces came as close as one photo printed twice.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.rectify import PRINTED_SIZES, Quad
from docfraud.types import Box

HASH_SIDE = 64
HASH_LOW = 16
HASH_BYTES = HASH_LOW * HASH_LOW // 8
"""256 bits: the DC position is always 0, the other 255 carry the hash."""
HEAD = (0.18, 0.10, 0.82, 0.75)
"""The hashed window (left, top, right, bottom) as shares of the photo: the head."""
EMBEDDING_DTYPE = np.dtype("<f2")
"""How an embedding is stored (half precision: similarities move by under 0.001)."""
WORK_PX_PER_MM = 6.0
"""Resolution of the rectified search window (about 150 dpi)."""
RIGHT_MARGIN = 1.3
"""The mirrored (right-hand) window wins when its dark parts are this much darker than the left
one's (:func:`_darkness`; on a development seizure's 629 MRZ pages the side was wrong on 6, where
the mean darkness at 1.15 got 15 wrong: a ghost image or a rosette darkens a window evenly, a
photo has hair, eyes and shadows)."""
DARK_PERCENTILE = 90
EDGE_SEARCH_MM = 8.0
"""How far from a predicted side :func:`refine_outline` looks for the document's edge."""
TOP_SEARCH_MM = 14.0
"""... and from the top side, the farthest from the MRZ: a phone held at an angle makes the top
smaller than the MRZ's scale predicts, so a predicted top lies well above or below the edge
(on a development seizure's 635 MRZ pages, portraits within IoU 0.8 rose from 92.1 % to 93.7 %
with 8 mm for this side; 20 mm changed nothing more)."""
EDGE_SAMPLES = 24
EDGE_MIN_STEP = 6.0
"""Grey levels across 0.3 mm that make an edge (a card on a background of its own tone has none)."""
EDGE_INLIER_MM = 0.6
EDGE_MIN_INLIERS = 0.5
"""A side is moved only when this share of its samples lie on one straight edge."""
REFINE_ROUNDS = 2
"""Each round starts from the last outline (the first is far off under perspective)."""


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
    outline: Quad | None = None
    """The document's outline the portrait was placed in (moved onto its edges when it was
    predicted from the MRZ), in reading order: what the ghost portrait is searched within."""


@dataclass(frozen=True, slots=True)
class PortraitPrint:
    """What link analysis compares of a portrait."""

    hash: bytes
    """:data:`HASH_BYTES` bytes: the head's perceptual hash (:func:`portrait_hash`)."""
    embedding: bytes
    """The PortraitNet embedding, a unit vector in :data:`EMBEDDING_DTYPE`."""

    @classmethod
    def of(cls, digest: bytes, vector: npt.ArrayLike) -> PortraitPrint:
        return cls(digest, np.asarray(vector, EMBEDDING_DTYPE).tobytes())

    @property
    def vector(self) -> npt.NDArray[np.float32]:
        return np.frombuffer(self.embedding, EMBEDDING_DTYPE).astype(np.float32)

    def to_dict(self) -> dict[str, str]:
        """``hash`` in hex (what a stop-list's ``portrait_hash`` column takes), ``embedding`` in
        base64 (little-endian float16)."""
        return {"hash": self.hash.hex(), "embedding": base64.b64encode(self.embedding).decode()}

    @classmethod
    def from_dict(cls, value: Any) -> PortraitPrint | None:
        """The print a report holds, or None when it holds none or a malformed one."""
        if not isinstance(value, Mapping):
            return None
        try:
            digest = bytes.fromhex(str(value["hash"]))
            embedding = base64.b64decode(str(value["embedding"]), validate=True)
        except (KeyError, ValueError):
            return None
        if len(digest) != HASH_BYTES or not embedding or len(embedding) % 2:
            return None
        vector = np.frombuffer(embedding, EMBEDDING_DTYPE)
        if not np.all(np.isfinite(vector)):
            return None
        return cls(digest, embedding)


def similarity(a: PortraitPrint, b: PortraitPrint) -> float:
    """Cosine of the two embeddings: near 1 for one photo, lower for different faces."""
    return float(np.dot(a.vector, b.vector))


def document_to_image(corners: Sequence[Sequence[float]], width_mm: float, height_mm: float) -> Any:
    """Homography from document mm (reading orientation) to input pixels."""
    src = np.array([[0, 0], [width_mm, 0], [width_mm, height_mm], [0, height_mm]], np.float32)
    return cv2.getPerspectiveTransform(src, np.array(corners, np.float32))


def project_points(homography: Any, points: npt.ArrayLike) -> npt.NDArray[np.float64]:
    pts = np.asarray(points, np.float64).reshape(1, -1, 2)
    return np.asarray(cv2.perspectiveTransform(pts, homography)[0], np.float64)


def bounding_box(points: npt.NDArray[np.float64], width: int, height: int) -> Box:
    x0 = int(np.clip(math.floor(points[:, 0].min()), 0, width))
    y0 = int(np.clip(math.floor(points[:, 1].min()), 0, height))
    x1 = int(np.clip(math.ceil(points[:, 0].max()), x0, width))
    y1 = int(np.clip(math.ceil(points[:, 1].max()), y0, height))
    return (x0, y0, x1 - x0, y1 - y0)


def _corners(zone: Zone) -> list[tuple[float, float]]:
    x, y, w, h = zone.x, zone.y, zone.w, zone.h
    return [(x, y), (x + w, y), (x + w, y + h), (x, y + h)]


def find_portrait(
    bgr: npt.NDArray[np.uint8],
    corners: Sequence[Sequence[float]] | None,
    mrz_format: str | None,
    *,
    predicted: bool = False,
) -> PortraitLocation | None:
    """The portrait on an oriented document, or None without an oriented outline.

    Args:
        bgr: (H, W, 3) uint8 input page.
        corners: the document's outline in reading order (the MRZ oriented it).
        mrz_format: ``TD3``, ``TD2``, ``MRVA`` or ``MRVB`` (a TD1's MRZ side has no portrait).
        predicted: the outline was predicted from the MRZ (``outline_source`` ``mrz``), not
            found: it is moved onto the document's edges first (:func:`refine_outline`).
    """
    if not corners or len(corners) != 4 or mrz_format not in NOMINAL or mrz_format == "TD1":
        return None
    outline = [[float(x), float(y)] for x, y in corners]
    if predicted:
        outline = refine_outline(bgr, outline, mrz_format)
    size = PRINTED_SIZES[mrz_format]
    to_image = document_to_image(outline, size.width, size.height)
    zone, darkness = _refine(bgr, to_image, NOMINAL[mrz_format], size.width, size.height)
    quad = project_points(to_image, _corners(zone))
    h, w = bgr.shape[:2]
    box = bounding_box(quad, w, h)
    if box[2] < 8 or box[3] < 8:
        return None
    tl, tr, br, bl = ((float(p[0]), float(p[1])) for p in quad)
    corners_used = tuple((float(x), float(y)) for x, y in outline)
    return PortraitLocation(
        (tl, tr, br, bl),
        box,
        min(1.0, max(0.0, darkness / 100.0)),
        corners_used,  # type: ignore[arg-type]
    )


# --- the document's own edges --------------------------------------------------------------------


def refine_outline(
    bgr: npt.NDArray[np.uint8], corners: Sequence[Sequence[float]], mrz_format: str
) -> list[list[float]]:
    """An outline predicted from the MRZ, each side moved onto the document's edge near it.

    Each side is searched up to :data:`EDGE_SEARCH_MM` (the top :data:`TOP_SEARCH_MM`) outwards
    and inwards along :data:`EDGE_SAMPLES` cross-sections; the outermost strong step on each is a
    candidate, and the side becomes the line through the largest straight set of them (so
    background clutter and the print inside the page rarely win). A side without such a line
    keeps its place. Sides meet again at new corners; the search is repeated
    :data:`REFINE_ROUNDS` times since under perspective the first prediction is far from the far
    side.
    """
    size = PRINTED_SIZES[mrz_format]
    gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), np.uint8)
    outline = np.array(corners, np.float64)
    for _ in range(REFINE_ROUNDS):
        moved = _refined_once(gray, outline, (size.width, size.height))
        if moved is None:
            break
        outline = moved
    return [[round(float(x), 1), round(float(y), 1)] for x, y in outline]


def _refined_once(
    gray: npt.NDArray[np.uint8], outline: npt.NDArray[np.float64], size_mm: tuple[float, float]
) -> npt.NDArray[np.float64] | None:
    centre = outline.mean(axis=0)
    lines = []
    for i in range(4):
        p0, p1 = outline[i], outline[(i + 1) % 4]
        length = float(np.linalg.norm(p1 - p0))
        if length < 1:
            return None
        along = (p1 - p0) / length
        outward = np.array([-along[1], along[0]])
        if np.dot(outward, (p0 + p1) / 2 - centre) < 0:
            outward = -outward
        px_per_mm = length / size_mm[i % 2]
        reach_mm = TOP_SEARCH_MM if i == 0 else EDGE_SEARCH_MM
        found = _edge_line(gray, p0, p1, outward, px_per_mm, reach_mm)
        lines.append(found if found is not None else (p0, along))
    corners = [_intersection(lines[i - 1], lines[i]) for i in range(4)]
    if any(c is None for c in corners):
        return None
    return np.array(corners, np.float64)


def _edge_line(
    gray: npt.NDArray[np.uint8],
    p0: npt.NDArray[np.float64],
    p1: npt.NDArray[np.float64],
    outward: npt.NDArray[np.float64],
    px_per_mm: float,
    reach_mm: float,
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None:
    """(point, direction) of the straight edge within ``reach_mm`` of the side p0-p1, or None."""
    reach = max(2, round(reach_mm * px_per_mm))
    steps = np.arange(-reach, reach + 1, dtype=np.float64)
    ts = np.linspace(0.1, 0.9, EDGE_SAMPLES)
    base = p0[None, :] + ts[:, None] * (p1 - p0)[None, :]
    pts = base[:, None, :] + steps[None, :, None] * outward[None, None, :]
    profile = cv2.remap(
        gray,
        pts[..., 0].astype(np.float32),
        pts[..., 1].astype(np.float32),
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    ).astype(np.float32)
    smooth = max(1.0, 0.3 * px_per_mm)
    blurred = cv2.GaussianBlur(profile, (0, 0), sigmaX=smooth, sigmaY=0.01)
    step = np.abs(np.gradient(blurred, axis=1)) * smooth
    points = []
    for k in range(EDGE_SAMPLES):
        g = step[k]
        strong = max(EDGE_MIN_STEP, 0.5 * float(g.max()))
        peaks = np.nonzero((g[1:-1] >= strong) & (g[1:-1] >= g[:-2]) & (g[1:-1] >= g[2:]))[0]
        if len(peaks):
            points.append(pts[k, peaks[-1] + 1])
    need = EDGE_MIN_INLIERS * EDGE_SAMPLES
    if len(points) < need:
        return None
    cloud = np.array(points, np.float64)
    inliers = _straightest(cloud, EDGE_INLIER_MM * px_per_mm)
    if inliers.sum() < need:
        return None
    vx, vy, x0, y0 = cv2.fitLine(cloud[inliers].astype(np.float32), cv2.DIST_L2, 0, 0.01, 0.01)
    return np.array([x0[0], y0[0]], np.float64), np.array([vx[0], vy[0]], np.float64)


def _straightest(points: npt.NDArray[np.float64], tolerance: float) -> npt.NDArray[np.bool_]:
    """The largest subset of ``points`` within ``tolerance`` of the line through two of them."""
    i, j = np.triu_indices(len(points), 1)
    direction = points[j] - points[i]
    norm = np.linalg.norm(direction, axis=1)
    keep = norm >= 1
    i, j, direction, norm = i[keep], j[keep], direction[keep], norm[keep]
    normal = np.stack([-direction[:, 1], direction[:, 0]], axis=1) / norm[:, None]
    offsets = np.einsum("pnk,pk->pn", points[None, :, :] - points[i][:, None, :], normal)
    near = np.abs(offsets) <= tolerance
    if not len(near):
        return np.zeros(len(points), bool)
    return np.asarray(near[int(np.argmax(near.sum(axis=1)))], bool)


def _intersection(
    a: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
    b: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64] | None:
    (p, u), (q, v) = a, b
    system = np.array([u, -v]).T
    if abs(float(np.linalg.det(system))) < 1e-6:
        return None
    t = np.linalg.solve(system, q - p)
    return np.asarray(p + t[0] * u, np.float64)


# --- which side the photo is on ------------------------------------------------------------------


def _darkness(bgr: npt.NDArray[np.uint8], to_image: Any, zone: Zone, paper: float) -> float:
    """How dark the darkest tenth of ``zone`` is (grey levels below the paper, blurred over
    1 mm): a photo has dense dark parts, text and security print are thin strokes on paper."""
    s = WORK_PX_PER_MM
    w, h = max(8, round(zone.w * s)), max(8, round(zone.h * s))
    to_flat = np.linalg.inv(to_image @ _scale_from(zone, s))
    flat = cv2.warpPerspective(bgr, to_flat, (w, h), flags=cv2.INTER_AREA)
    gray = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY).astype(np.float32)
    return float(np.percentile(paper - cv2.GaussianBlur(gray, (0, 0), s), DARK_PERCENTILE))


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


# --- the print -----------------------------------------------------------------------------------


def _upright(bgr: npt.NDArray[np.uint8], where: Box | Quad | Sequence[Sequence[float]]) -> Any:
    """The portrait as an upright (h, w, 3) image: a box is cropped, a quad rectified."""
    if len(where) == 4 and not isinstance(where[0], int | np.integer):
        quad = np.array(where, np.float32).reshape(4, 2)
        tl, tr, br, bl = quad
        w = max(8, round(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
        h = max(8, round(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
        dst = np.array([[0, 0], [w, 0], [w, h], [0, h]], np.float32)
        m = cv2.getPerspectiveTransform(quad, dst)
        return cv2.warpPerspective(bgr, m, (w, h), flags=cv2.INTER_LINEAR)
    x, y, w, h = (int(v) for v in where)  # type: ignore[arg-type]
    return bgr[max(0, y) : y + h, max(0, x) : x + w]


def portrait_hash(
    bgr: npt.NDArray[np.uint8], where: Box | Quad | Sequence[Sequence[float]]
) -> bytes:
    """A 256-bit perceptual hash of the head (:data:`HASH_BYTES` bytes).

    Args:
        bgr: (H, W, 3) uint8 input page.
        where: the portrait: a box ``(x, y, w, h)`` (an upright page) or, better, the quad of
            :class:`PortraitLocation` (rectified upright whatever the capture's rotation).

    Raises:
        ValueError: the region is too small to hash (under 16 px a side).
    """
    photo = _upright(bgr, where)
    if photo.size == 0 or min(photo.shape[:2]) < 16:
        raise ValueError("the portrait region is too small")
    gray = cv2.cvtColor(np.ascontiguousarray(photo), cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    left, top, right, bottom = HEAD
    head = gray[round(top * h) : round(bottom * h), round(left * w) : round(right * w)]
    small = cv2.resize(head, (HASH_SIDE, HASH_SIDE), interpolation=cv2.INTER_AREA)
    small = cv2.equalizeHist(small)
    dct = cv2.dct(small.astype(np.float32))[:HASH_LOW, :HASH_LOW].ravel()
    low = dct[1:]  # without DC: the overall tone says nothing about the face
    return np.packbits(np.concatenate([[False], low > np.median(low)])).tobytes()
