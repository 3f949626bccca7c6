"""The ghost portrait: the second, smaller copy of the holder's photo in one ink that many
passports and cards print beside the main one, and whether it shows the same face.

A forger who replaces the main portrait seldom reprints the ghost as well (it is printed with
the page, often laser-engraved or screened), so a ghost that shows another face is evidence of
a substitution that the replaced photo's own print may hide.

Finding it (:func:`find_ghost`), on layouts never seen: the main portrait's head, scaled to
:data:`SCALES` of its size, is matched by normalised cross-correlation over the rectified
document outside the portrait, both blurred over :data:`BLUR_MM` so that a halftone screen, the
ghost's lowered contrast and its dropped background weigh little against the head's outline.
The best match is the candidate. A substituted face still matches its ghost's place best (a
head and shoulders against the page's print), so the search does not decide anything.

Judging it (:class:`GhostVerifier`): a candidate printed as dark as the photo is no ghost
(:data:`MAX_CONTRAST`); otherwise GhostNet, a small CNN over the pair (main portrait, candidate)
as two aligned grey channels, says whether the candidate is no ghost at all (another page
element, or a design without one), the same photo, or another face. Trained by
:mod:`docfraud.imaging.train_ghost` on generated documents; the alarm is the probability of
"another face" that 1 in 100 genuine pages reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import numpy.typing as npt
import torch
from torch import nn

from docfraud.artifacts import DEFAULT_MODELS_DIR, verified_path
from docfraud.imaging.portrait import (
    PortraitLocation,
    bounding_box,
    document_to_image,
    project_points,
)
from docfraud.imaging.portraitnet import CROP_H, CROP_W, portrait_crop, standardise
from docfraud.imaging.rectify import PRINTED_SIZES, Quad
from docfraud.ocr.glyphnet import conv_block
from docfraud.types import Box

ARTIFACT_NAME = "ghost_net"
SEARCH_PX_PER_MM = 3.0
"""Resolution of the search (a 17 mm ghost is about 50 px wide: enough for a head's outline)."""
SCALES = tuple(round(0.35 + 0.05 * k, 2) for k in range(12))
"""Ghost size as a share of the main portrait's: 0.35 to 0.9 (Doc 9303 leaves it to the
issuer; printed ghosts are mostly a third to four fifths of the photo)."""
BLUR_MM = 0.5
HEAD = (0.12, 0.05, 0.88, 0.85)
"""The matched window (left, top, right, bottom) as shares of the photo: head and shoulders
without the photo's background margin, which a ghost drops."""
PORTRAIT_MARGIN = 0.25
"""The portrait grown by this share of its size on every side before it is blanked out of the
search: a located portrait can be off by a fifth of the photo (on real specimens, a header
above the photo taken in), and the rest of the photo must not pass for its ghost."""
MAX_CONTRAST = 0.75
"""A ghost is printed fainter than the photo: a candidate whose tonal range (5th to 95th
percentile) exceeds this share of the portrait's is not one (the generator's ghosts stay below
0.72 in 99 of 100; on real specimens the photo itself, where the portrait was located a little
off, otherwise passed for a ghost)."""


class GhostClass(IntEnum):
    """GhostNet's three answers about a candidate."""

    NONE = 0
    """Not a ghost portrait (a design without one, or another element matched best)."""
    SAME = 1
    DIFFERENT = 2


@dataclass(frozen=True, slots=True)
class GhostCandidate:
    """Where the ghost most likely is: ``quad`` upright in reading order and ``box``, both in
    input pixels; ``match`` is the correlation with the main portrait's head (-1..1)."""

    quad: Quad
    box: Box
    match: float
    scale: float


def find_ghost(
    bgr: npt.NDArray[np.uint8], portrait: PortraitLocation, mrz_format: str
) -> GhostCandidate | None:
    """The place on the document that looks most like a smaller copy of the portrait, or None
    where the document's outline is unknown or the portrait too small to search with."""
    if portrait.outline is None or mrz_format not in PRINTED_SIZES:
        return None
    size = PRINTED_SIZES[mrz_format]
    s = SEARCH_PX_PER_MM
    to_flat = np.linalg.inv(
        document_to_image(portrait.outline, size.width, size.height) @ np.diag([1 / s, 1 / s, 1])
    )
    w, h = round(size.width * s), round(size.height * s)
    flat = cv2.warpPerspective(bgr, to_flat, (w, h), flags=cv2.INTER_AREA)
    gray = cv2.cvtColor(flat, cv2.COLOR_BGR2GRAY).astype(np.float32)
    photo = project_points(to_flat, portrait.quad)
    x0, y0, pw, ph = bounding_box(photo, w, h)
    if pw < 12 or ph < 12:
        return None
    left, top, right, bottom = HEAD
    head = gray[
        y0 + round(top * ph) : y0 + round(bottom * ph),
        x0 + round(left * pw) : x0 + round(right * pw),
    ]
    mx, my = round(PORTRAIT_MARGIN * pw), round(PORTRAIT_MARGIN * ph)
    blanked = gray.copy()
    blanked[max(0, y0 - my) : y0 + ph + my, max(0, x0 - mx) : x0 + pw + mx] = float(np.median(gray))
    sigma = BLUR_MM * s
    page = cv2.GaussianBlur(blanked, (0, 0), sigma)
    best: tuple[float, float, tuple[int, int]] | None = None
    for scale in SCALES:
        tw, th = round(head.shape[1] * scale), round(head.shape[0] * scale)
        if tw < 6 or th < 6 or tw >= w or th >= h:
            continue
        template = cv2.GaussianBlur(
            cv2.resize(head, (tw, th), interpolation=cv2.INTER_AREA), (0, 0), sigma
        )
        scores = cv2.matchTemplate(page, template, cv2.TM_CCOEFF_NORMED)
        _, peak, _, at = cv2.minMaxLoc(scores)
        if np.isfinite(peak) and (best is None or peak > best[0]):
            best = (float(peak), scale, (int(at[0]), int(at[1])))
    if best is None:
        return None
    match, scale, (mx, my) = best
    gw, gh = pw * scale, ph * scale
    gx, gy = mx - left * gw, my - top * gh
    corners = np.array([[gx, gy], [gx + gw, gy], [gx + gw, gy + gh], [gx, gy + gh]], np.float64)
    in_image = project_points(np.linalg.inv(to_flat), corners)
    quad = tuple((float(x), float(y)) for x, y in in_image)
    box = bounding_box(in_image, bgr.shape[1], bgr.shape[0])
    return GhostCandidate(quad, box, round(match, 4), scale)  # type: ignore[arg-type]


def contrast_ratio(pairs: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """(N, 2, H, W) crops -> (N,) the candidate's tonal range over the portrait's."""
    flat = pairs.reshape(len(pairs), 2, -1).astype(np.float32)
    spread = np.percentile(flat, 95, axis=2) - np.percentile(flat, 5, axis=2)
    return np.asarray(spread[:, 1] / np.maximum(spread[:, 0], 1.0), np.float32)


def pair_crops(
    bgr: npt.NDArray[np.uint8],
    portrait: Sequence[Sequence[float]],
    ghost: Sequence[Sequence[float]],
) -> npt.NDArray[np.uint8]:
    """(2, CROP_H, CROP_W) grey: the main portrait and the candidate, each upright at the same
    size (PortraitNet's crop), so that GhostNet compares them pixel for pixel."""
    return np.stack([portrait_crop(bgr, portrait), portrait_crop(bgr, ghost)])


@dataclass(frozen=True, slots=True)
class GhostNetConfig:
    channels: tuple[int, int, int, int] = (16, 32, 48, 64)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


class GhostNet(nn.Module):
    def __init__(self, config: GhostNetConfig = GhostNetConfig()) -> None:
        super().__init__()
        c1, c2, c3, c4 = config.channels
        self.features = nn.Sequential(
            conv_block(2, c1, 1),
            nn.MaxPool2d(2),  # 50 x 40
            conv_block(c1, c2),
            nn.MaxPool2d(2),  # 25 x 20
            conv_block(c2, c3),
            nn.MaxPool2d(2),  # 12 x 10
            conv_block(c3, c4),
            nn.MaxPool2d(2),  # 6 x 5
        )
        self.head = nn.Sequential(
            nn.Flatten(), nn.Dropout(0.3), nn.Linear(c4 * 6 * 5, len(GhostClass))
        )

    def forward(self, pairs: torch.Tensor) -> torch.Tensor:
        """(N, 2, CROP_H, CROP_W) standardised pairs -> (N, 3) logits over :class:`GhostClass`."""
        return self.head(self.features(pairs))  # type: ignore[no-any-return]


def to_input(pairs: npt.NDArray[np.uint8]) -> torch.Tensor:
    """(N, 2, H, W) uint8 -> (N, 2, H, W) float, each crop standardised on its own (the ghost's
    ink is lighter and flatter than the photo's)."""
    n = pairs.shape[0]
    return standardise(pairs.reshape(n * 2, CROP_H, CROP_W)).reshape(n, 2, CROP_H, CROP_W)


@dataclass(frozen=True, slots=True)
class GhostVerdict:
    """GhostNet's answer about one candidate, with the decision thresholds of the model."""

    candidate: GhostCandidate
    probabilities: tuple[float, float, float]
    """Indexed by :class:`GhostClass`."""
    contrast: float
    """The candidate's tonal range over the portrait's (:func:`contrast_ratio`)."""
    alarm: float = 0.5
    """P(another face) that at most 1 in 100 genuine pages reach (from training)."""
    notice: float = 0.5
    """The same at 1 in 20."""

    @property
    def faint(self) -> bool:
        """Printed fainter than the photo, as a ghost is (:data:`MAX_CONTRAST`)."""
        return self.contrast <= MAX_CONTRAST

    @property
    def different(self) -> float:
        """P(another face), 0 for a candidate that is not faint enough to be a ghost."""
        return self.probabilities[GhostClass.DIFFERENT] if self.faint else 0.0

    @property
    def found(self) -> bool:
        """The candidate is a ghost portrait (of whichever face)."""
        return self.faint and self.probabilities[GhostClass.NONE] < 0.5


class GhostVerifier:
    """The committed GhostNet, loaded once (hash-checked, ``weights_only``), with the thresholds
    chosen at training time."""

    def __init__(self, models_dir: Path = DEFAULT_MODELS_DIR) -> None:
        path, entry = verified_path(ARTIFACT_NAME, models_dir)
        channels = entry.get("net", {}).get("channels", GhostNetConfig().channels)
        self.net = GhostNet(GhostNetConfig(channels=tuple(channels)))
        self.net.load_state_dict(torch.load(path, map_location="cpu", weights_only=True))
        self.net.eval()
        self.version = str(entry.get("version", ARTIFACT_NAME))
        thresholds: dict[str, Any] = entry.get("thresholds", {})
        self.alarm = float(thresholds.get("alarm", 0.5))
        self.notice = min(self.alarm, float(thresholds.get("notice", self.alarm)))

    def __call__(
        self, bgr: npt.NDArray[np.uint8], portrait: PortraitLocation, mrz_format: str
    ) -> GhostVerdict | None:
        """GhostNet's answer for the page's best ghost candidate, or None without one."""
        candidate = find_ghost(bgr, portrait, mrz_format)
        if candidate is None:
            return None
        pair = pair_crops(bgr, portrait.quad, candidate.quad)[None]
        p = tuple(round(float(v), 4) for v in classify(self.net, pair)[0])
        contrast = round(float(contrast_ratio(pair)[0]), 4)
        return GhostVerdict(candidate, p, contrast, self.alarm, self.notice)  # type: ignore[arg-type]


def classify(net: GhostNet, pairs: npt.NDArray[np.uint8]) -> npt.NDArray[np.float32]:
    """(N, 2, CROP_H, CROP_W) crops -> (N, 3) probabilities over :class:`GhostClass`."""
    with torch.no_grad():
        return np.asarray(torch.softmax(net(to_input(pairs)), dim=1).numpy(), np.float32)
