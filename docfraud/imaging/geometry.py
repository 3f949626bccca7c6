"""2-D affine maps between image frames, so every region can be mapped back to input pixels."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, slots=True)
class Affine:
    """``(x, y) -> (a x + b y + c, d x + e y + f)``."""

    a: float
    b: float
    c: float
    d: float
    e: float
    f: float

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return (self.a * x + self.b * y + self.c, self.d * x + self.e * y + self.f)

    def apply_vector(self, x: float, y: float) -> tuple[float, float]:
        """Map a displacement (no translation)."""
        return (self.a * x + self.b * y, self.d * x + self.e * y)

    def compose(self, first: Affine) -> Affine:
        """The map that applies ``first``, then ``self``."""
        return Affine(
            self.a * first.a + self.b * first.d,
            self.a * first.b + self.b * first.e,
            self.a * first.c + self.b * first.f + self.c,
            self.d * first.a + self.e * first.d,
            self.d * first.b + self.e * first.e,
            self.d * first.c + self.e * first.f + self.f,
        )

    def inverse(self) -> Affine:
        det = self.a * self.e - self.b * self.d
        a, b, d, e = self.e / det, -self.b / det, -self.d / det, self.a / det
        return Affine(a, b, -(a * self.c + b * self.f), d, e, -(d * self.c + e * self.f))

    @property
    def scale(self) -> float:
        """Mean linear scale factor (sqrt of the absolute determinant)."""
        return math.sqrt(abs(self.a * self.e - self.b * self.d))

    def matrix(self) -> npt.NDArray[np.float64]:
        """The 2×3 matrix OpenCV's ``warpAffine`` takes."""
        return np.array([[self.a, self.b, self.c], [self.d, self.e, self.f]], dtype=np.float64)


IDENTITY = Affine(1.0, 0.0, 0.0, 0.0, 1.0, 0.0)


def scale_affine(factor: float) -> Affine:
    return Affine(factor, 0.0, 0.0, 0.0, factor, 0.0)


def quarter_turn_affine(turns: int, shape: tuple[int, ...]) -> Affine:
    """Map from ``np.rot90(image, k=-turns)`` (turned clockwise) back to ``image`` coordinates.

    Args:
        turns: clockwise quarter turns, 0–3.
        shape: the *unturned* image's shape, (H, W, ...).
    """
    h, w = shape[0], shape[1]
    turns %= 4
    if turns == 0:
        return IDENTITY
    if turns == 1:  # view (x', y') came from (y', H-1-x')
        return Affine(0.0, 1.0, 0.0, -1.0, 0.0, h - 1.0)
    if turns == 2:
        return Affine(-1.0, 0.0, w - 1.0, 0.0, -1.0, h - 1.0)
    return Affine(0.0, -1.0, w - 1.0, 1.0, 0.0, 0.0)


def boxes_overlap(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    """Whether two (x, y, w, h) boxes share any area (touching edges do not)."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def box_iou(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    """Intersection over union of two (x, y, w, h) boxes."""
    w = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    h = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if w <= 0 or h <= 0:
        return 0.0
    return w * h / max(1, a[2] * a[3] + b[2] * b[3] - w * h)


def box_of_points(
    points: npt.NDArray[np.float64], width: int, height: int
) -> tuple[int, int, int, int]:
    """Axis-aligned (x, y, w, h) box around points, clipped to a width × height image."""
    x0 = int(max(0.0, math.floor(float(points[:, 0].min()))))
    y0 = int(max(0.0, math.floor(float(points[:, 1].min()))))
    x1 = int(min(float(width), math.ceil(float(points[:, 0].max()))))
    y1 = int(min(float(height), math.ceil(float(points[:, 1].max()))))
    return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def rotate_whole(
    image: npt.NDArray[np.uint8], angle_deg: float, border: float | tuple[float, ...] | None = None
) -> tuple[npt.NDArray[np.uint8], Affine]:
    """``image`` turned by ``angle_deg`` counter-clockwise on a canvas that holds all of it.

    Args:
        image: (H, W) or (H, W, C) uint8.
        angle_deg: counter-clockwise on screen (OpenCV's convention).
        border: the value of the canvas around the image; None repeats the image's edge.

    Returns:
        (turned image, map from turned pixels back to ``image`` pixels).
    """
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), angle_deg, 1.0)
    cos, sin = abs(m[0, 0]), abs(m[0, 1])
    out_w, out_h = int(round(h * sin + w * cos)), int(round(h * cos + w * sin))
    m[0, 2] += out_w / 2.0 - w / 2.0
    m[1, 2] += out_h / 2.0 - h / 2.0
    if border is None:
        turned = cv2.warpAffine(image, m, (out_w, out_h), borderMode=cv2.BORDER_REPLICATE)
    else:
        turned = cv2.warpAffine(
            image, m, (out_w, out_h), borderMode=cv2.BORDER_CONSTANT, borderValue=border
        )
    back = Affine(*(float(v) for v in m.ravel())).inverse()
    return np.asarray(turned, dtype=np.uint8), back
