"""Portrait substitution cues: does the photo's print match the page around it? (numpy/cv2)

A forger who swaps the portrait pastes a photo printed or captured apart from the page: its
sensor or printer noise, sharpness, colour and JPEG history differ from the print around it,
and its outline is an edge the page never had. Each cue compares the inside of the located
portrait with a ring of the page around it, so what the capture does to the whole image (blur,
noise, exposure) cancels out. A logistic model over the cues (:class:`SubstitutionModel`, a
JSON artefact trained by :mod:`docfraud.imaging.train_substitution`) gives the probability
that the portrait was substituted, with thresholds set on genuine documents.

The portrait is first rectified upright at its own resolution (its quad from
:func:`docfraud.imaging.portrait.find_portrait`) with a margin of page around it, so a tilted
phone photo gives the same geometry as a flat scan.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.artifacts import DEFAULT_MODELS_DIR, verified_path

ARTIFACT_NAME = "portrait_substitution"
FEATURES = (
    "noise_inside_vs_ring",
    "detail_inside_vs_ring",
    "outline_vs_ring",
    "outline_vs_inside",
    "saturation_inside_minus_ring",
    "brightness_inside_minus_ring",
    "blue_spread_inside_minus_ring",
    "green_spread_inside_minus_ring",
    "red_spread_inside_minus_ring",
    "noise_outline_vs_ring",
    "sharpness_inside_vs_ring",
    "jpeg_grid_inside",
)
MIN_SIDE = 24
"""Portraits smaller than this (pixels) carry too little texture to compare."""
MAX_SIDE = 480
"""Larger portraits are rectified at this height: the cues are ratios, the cost is not."""
INNER = 0.08
"""The band just inside and outside the outline (share of the shorter side) that the inside
and the ring leave out, so a quad a few per cent off still separates photo from page."""
RING = 3.0
"""The ring reaches this many bands beyond the outline."""
MAX_Z = 4.0
"""Cues are trusted up to this many standard deviations from the training mean: beyond what
training saw (a digital render without grain, a crafted image) one cue alone would otherwise
push the linear model to certainty."""


def upright_context(
    bgr: npt.NDArray[np.uint8], quad: Sequence[Sequence[float]]
) -> tuple[npt.NDArray[np.uint8], tuple[int, int, int, int]]:
    """The portrait rectified upright with page around it, and the portrait's box in it."""
    corners = np.array(quad, np.float32).reshape(4, 2)
    w = float(np.linalg.norm(corners[1] - corners[0]) + np.linalg.norm(corners[2] - corners[3]))
    h = float(np.linalg.norm(corners[3] - corners[0]) + np.linalg.norm(corners[2] - corners[1]))
    w, h = w / 2, h / 2
    scale = min(1.0, MAX_SIDE / max(h, 1.0))
    pw, ph = max(1, round(w * scale)), max(1, round(h * scale))
    margin = round((RING + 1) * INNER * min(pw, ph)) + 2
    dst = np.array(
        [
            [margin, margin],
            [margin + pw, margin],
            [margin + pw, margin + ph],
            [margin, margin + ph],
        ],
        np.float32,
    )
    crop = cv2.warpPerspective(
        bgr,
        cv2.getPerspectiveTransform(corners, dst),
        (pw + 2 * margin, ph + 2 * margin),
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return np.asarray(crop, np.uint8), (margin, margin, pw, ph)


def substitution_features(
    bgr: npt.NDArray[np.uint8], quad: Sequence[Sequence[float]]
) -> npt.NDArray[np.float64] | None:
    """The :data:`FEATURES` of the portrait at ``quad``; None for a portrait too small."""
    crop, (x, y, w, h) = upright_context(bgr, quad)
    if min(w, h) < MIN_SIDE:
        return None
    img = crop.astype(np.float32)
    g = cv2.cvtColor(crop, cv2.COLOR_BGR2GRAY).astype(np.float32)
    m = max(2, round(INNER * min(w, h)))
    inside = _mask(g.shape, x + m, y + m, x + w - m, y + h - m)
    ring = _mask(g.shape, x - RING * m, y - RING * m, x + w + RING * m, y + h + RING * m)
    ring &= ~_mask(g.shape, x - m, y - m, x + w + m, y + h + m)
    outline = _mask(g.shape, x - m, y - m, x + w + m, y + h + m) & ~inside
    residual = np.asarray(g - cv2.medianBlur(crop, 3).astype(np.float32).mean(axis=2), np.float32)
    laplacian = cv2.Laplacian(g, cv2.CV_32F, ksize=3)
    gradient = np.hypot(cv2.Sobel(g, cv2.CV_32F, 1, 0), cv2.Sobel(g, cv2.CV_32F, 0, 1))
    blurred = cv2.GaussianBlur(g, (0, 0), 1.5)
    saturation = cv2.cvtColor(crop, cv2.COLOR_BGR2HSV)[..., 1].astype(np.float32)
    values = [
        _log_ratio(_spread(residual, inside), _spread(residual, ring)),
        _log_ratio(_spread(laplacian, inside), _spread(laplacian, ring)),
        _log_ratio(_edge_strength(gradient, x, y, w, h, m), gradient[ring].mean() + 1),
        _log_ratio(_edge_strength(gradient, x, y, w, h, m), gradient[inside].mean() + 1),
        (saturation[inside].mean() - saturation[ring].mean()) / 50,
        (g[inside].mean() - g[ring].mean()) / 50,
    ]
    values += [(img[..., c][inside].std() - img[..., c][ring].std()) / 30 for c in range(3)]
    values.append(_log_ratio(_spread(residual, outline), _spread(residual, ring)))
    detail = np.abs(g - blurred)
    values.append(_log_ratio(float(detail[inside].mean()), float(detail[ring].mean())))
    values.append(_jpeg_grid(g[y + m : y + h - m, x + m : x + w - m]))
    return np.array(values, np.float64)


def _mask(
    shape: tuple[int, ...], x0: float, y0: float, x1: float, y1: float
) -> npt.NDArray[np.bool_]:
    out = np.zeros(shape[:2], bool)
    out[max(0, round(y0)) : max(0, round(y1)), max(0, round(x0)) : max(0, round(x1))] = True
    return out


def _spread(values: npt.NDArray[Any], mask: npt.NDArray[np.bool_]) -> float:
    return float(values[mask].std()) if mask.any() else 0.0


def _log_ratio(a: float, b: float) -> float:
    return float(np.log((a + 1e-3) / (b + 1e-3)))


def _edge_strength(
    gradient: npt.NDArray[np.float32], x: int, y: int, w: int, h: int, m: int
) -> float:
    """The strongest straight edge along each side of the outline, within ``m`` of it (the
    mean gradient along the side at each offset, best offset), averaged over the four sides."""
    rows, cols = gradient.shape

    def best(lines: Iterable[npt.NDArray[np.float32]]) -> float:
        return max((float(line.mean()) for line in lines if line.size), default=0.0)

    left = best(gradient[y : y + h, o] for o in range(max(0, x - m), min(cols, x + m + 1)))
    right = best(gradient[y : y + h, o] for o in range(max(0, x + w - m), min(cols, x + w + m + 1)))
    top = best(gradient[o, x : x + w] for o in range(max(0, y - m), min(rows, y + m + 1)))
    bottom = best(
        gradient[o, x : x + w] for o in range(max(0, y + h - m), min(rows, y + h + m + 1))
    )
    return (left + right + top + bottom) / 4


def _jpeg_grid(patch: npt.NDArray[np.float32]) -> float:
    """How much the horizontal steps inside concentrate on one column of every eight (a JPEG
    grid of a photo compressed before it was pasted)."""
    if patch.shape[1] < 16:
        return 1.0
    steps = np.abs(np.diff(patch, axis=1)).mean(axis=0)
    period = steps[: len(steps) // 8 * 8].reshape(-1, 8).mean(axis=0)
    return float(period.max() / (period.mean() + 1e-3))


@dataclass(frozen=True, slots=True)
class SubstitutionScore:
    probability: float
    alarm: float
    """At most 1 in 100 genuine portraits reach this (measured at training)."""
    notice: float
    """The same at 1 in 20."""


@dataclass(frozen=True, slots=True)
class SubstitutionModel:
    """Standardised cues → logistic probability, with the thresholds set on genuine portraits."""

    version: str
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    alarm: float
    notice: float

    @classmethod
    def load(cls, models_dir: Path = DEFAULT_MODELS_DIR) -> SubstitutionModel:
        path, _ = verified_path(ARTIFACT_NAME, models_dir)
        data = json.loads(path.read_text(encoding="utf-8"))
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"{path.name} was trained on other cues than this code computes")
        return cls(
            str(data["version"]),
            tuple(float(v) for v in data["mean"]),
            tuple(float(v) for v in data["scale"]),
            tuple(float(v) for v in data["coef"]),
            float(data["intercept"]),
            float(data["alarm"]),
            float(data["notice"]),
        )

    def probability(self, features: npt.NDArray[np.float64]) -> float:
        z = np.clip((features - np.array(self.mean)) / np.array(self.scale), -MAX_Z, MAX_Z)
        logit = float(np.clip(z @ np.array(self.coef) + self.intercept, -30, 30))
        return float(1.0 / (1.0 + np.exp(-logit)))

    def __call__(
        self, bgr: npt.NDArray[np.uint8], quad: Sequence[Sequence[float]]
    ) -> SubstitutionScore | None:
        features = substitution_features(bgr, quad)
        if features is None:
            return None
        return SubstitutionScore(round(self.probability(features), 4), self.alarm, self.notice)
