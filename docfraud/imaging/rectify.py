"""Find the document in a scan or photo and rectify it (numpy/cv2 only).

A document is the largest convex quadrilateral whose edges stand out from the background, taking
15–98 % of the frame (a scan that is all document has no outline to find, and needs none). The
quad's corners are returned in input pixels, in reading order once the MRZ has told which way is
up, and :func:`rectify` warps it to a flat, upright image together with the homography back to
the input, so that regions found on the flat image can be reported in input coordinates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

Quad = tuple[tuple[float, float], tuple[float, float], tuple[float, float], tuple[float, float]]
WORK_SIDE = 800
MIN_AREA = 0.15
MAX_AREA = 0.98


@dataclass(frozen=True, slots=True)
class DocumentQuad:
    corners: Quad
    """Top-left, top-right, bottom-right, bottom-left in input pixels (image orientation)."""
    area_fraction: float

    def box(self, width: int, height: int) -> tuple[int, int, int, int]:
        pts = np.array(self.corners)
        x0, y0 = np.floor(pts.min(axis=0)).clip(0)
        x1 = min(float(width), float(math.ceil(pts[:, 0].max())))
        y1 = min(float(height), float(math.ceil(pts[:, 1].max())))
        return (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def _order(points: npt.NDArray[np.float64]) -> Quad:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = points.sum(axis=1)
    d = np.diff(points, axis=1).ravel()
    tl, br = points[np.argmin(s)], points[np.argmax(s)]
    tr, bl = points[np.argmin(d)], points[np.argmax(d)]
    return (
        (float(tl[0]), float(tl[1])),
        (float(tr[0]), float(tr[1])),
        (float(br[0]), float(br[1])),
        (float(bl[0]), float(bl[1])),
    )


def find_document(gray: npt.NDArray[np.uint8]) -> DocumentQuad | None:
    """The document's outline in a photo or scan, or None when none stands out.

    Args:
        gray: (H, W) uint8 page.
    """
    h, w = gray.shape
    scale = min(1.0, WORK_SIDE / max(h, w))
    small = cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)
    blurred = cv2.GaussianBlur(small, (5, 5), 0)
    median = float(np.median(blurred))
    edges = cv2.Canny(blurred, int(max(10, 0.5 * median)), int(min(255, 1.2 * median + 30)))
    edges = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    frame = float(small.shape[0] * small.shape[1])
    best: tuple[float, npt.NDArray[np.float64]] | None = None
    for contour in contours:
        hull = cv2.convexHull(contour)
        area = float(cv2.contourArea(hull))
        if not MIN_AREA * frame <= area <= MAX_AREA * frame:
            continue
        approx = cv2.approxPolyDP(hull, 0.02 * cv2.arcLength(hull, True), True)
        if len(approx) != 4 or (best is not None and area <= best[0]):
            continue
        best = (area, approx.reshape(4, 2).astype(np.float64) / scale)
    if best is None:
        return None
    return DocumentQuad(_order(best[1]), best[0] / frame)


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
