"""Synthetic MRZ text lines with exact geometry, for training the MRZ glyph recogniser.

Each line is rendered large in OCR-B (Debian's fonts-ocr-b) or a stand-in monospace font, then
put through what capture does to real documents: uneven paper and guilloche backgrounds, ink
weight, a small tilt, down-sampling to 5–30 px per character, blur, noise and JPEG. The true
geometry is returned as an :class:`~docfraud.mrz.locate.MrzLine`, jittered the way the locator
errs, so cells are cut by the same :func:`~docfraud.ocr.cells.extract_cells` used at inference.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from docfraud.mrz.locate import MrzLine

ALPHABET = "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
"""The 37 MRZ characters (Doc 9303 Part 3 §4.1); the recogniser's class order."""

FONT_DIRS = (Path("/usr/share/fonts/opentype/ocr-b"), Path("/usr/share/fonts/truetype/dejavu"))
OCRB_FONTS = ("OCRB.otf",)
OTHER_MONO_FONTS = ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf")
RENDER_SIZE = 64
"""Font size (px) of the high-resolution rendering before capture degradations."""


@dataclass(frozen=True, slots=True)
class SyntheticLine:
    gray: npt.NDArray[np.uint8]
    line: MrzLine
    text: str


def find_font(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    return None


def available_fonts() -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(OCR-B fonts, other monospace fonts) installed on this machine."""
    ocrb = tuple(p for p in (find_font(n) for n in OCRB_FONTS) if p is not None)
    other = tuple(p for p in (find_font(n) for n in OTHER_MONO_FONTS) if p is not None)
    return ocrb, other


@lru_cache(maxsize=8)
def _font(path: str) -> tuple[ImageFont.FreeTypeFont, int, int, float]:
    """The font at RENDER_SIZE, its cap-height ink top and bottom, and its advance."""
    font = ImageFont.truetype(path, RENDER_SIZE)
    canvas = Image.new("L", (RENDER_SIZE * 2, RENDER_SIZE * 2), 0)
    ImageDraw.Draw(canvas).text((10, 10), "H", fill=255, font=font)
    rows = np.nonzero(np.asarray(canvas).max(axis=1))[0]
    return font, int(rows[0]) - 10, int(rows[-1]) - 10, float(font.getlength("0"))


def random_mrz_text(rng: np.random.Generator, length: int) -> str:
    """MRZ-like text: runs of letters, digits and fillers, with long filler tails."""
    out: list[str] = []
    letters, digits = ALPHABET[11:], ALPHABET[1:11]
    while len(out) < length:
        kind = rng.choice(3, p=(0.42, 0.33, 0.25))
        run = int(rng.integers(1, 10))
        pool = (letters, digits, "<")[kind]
        out.extend(pool[int(i)] for i in rng.integers(0, len(pool), run))
    if rng.random() < 0.4:  # filler tail, as after a short name
        tail = int(rng.integers(3, length // 2))
        out[length - tail :] = "<" * tail
    return "".join(out[:length])


def _background(rng: np.random.Generator, h: int, w: int) -> npt.NDArray[np.float32]:
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    base = rng.uniform(140, 250)
    bg = base + rng.uniform(-25, 25) * (xx / w) + rng.uniform(-20, 20) * (yy / h)
    for _ in range(int(rng.integers(0, 4))):  # guilloche-like fine waves
        f1, f2 = rng.uniform(0.01, 0.12, 2)
        phase = rng.uniform(0, 2 * math.pi)
        amp = rng.uniform(3, 30)
        bg += amp * np.sin(f1 * xx + 3 * np.sin(f2 * yy) + phase).astype(np.float32)
    return np.asarray(bg, dtype=np.float32)


def render_line(
    rng: np.random.Generator, text: str, font_path: Path, *, jitter: bool = True
) -> SyntheticLine:
    """Render ``text`` as a captured MRZ line and return the image with its true geometry."""
    font, cap_top, cap_bottom, advance = _font(str(font_path))
    cap_h = cap_bottom - cap_top
    pitch_hi = advance * rng.uniform(0.98, 1.5)
    margin_x = int(pitch_hi * rng.uniform(0.6, 2.5))
    width = int(2 * margin_x + pitch_hi * len(text))
    angle = math.radians(rng.uniform(-4, 4))
    margin_y = int(cap_h * rng.uniform(0.9, 1.8) + abs(math.tan(angle)) * width / 2)
    height = int(2 * margin_y + cap_h)
    mask_img = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask_img)
    for i, ch in enumerate(text):
        x = margin_x + i * pitch_hi + (pitch_hi - font.getlength(ch)) / 2
        draw.text((x, margin_y - cap_top), ch, fill=255, font=font)
    # lines above and below, as in a 2- or 3-line MRZ
    for sign in (-1, 1):
        if rng.random() < 0.5:
            y = margin_y - cap_top + sign * cap_h * rng.uniform(1.6, 2.3)
            other = random_mrz_text(rng, len(text))
            for i, ch in enumerate(other):
                draw.text((margin_x + i * pitch_hi, y), ch, fill=255, font=font)
    mask = np.asarray(mask_img, dtype=np.uint8)
    weight = int(rng.integers(-2, 4))
    if weight:
        kernel = np.ones((abs(weight) + 1, abs(weight) + 1), np.uint8)
        grown = cv2.dilate(mask, kernel) if weight > 0 else cv2.erode(mask, kernel)
        mask = np.asarray(grown, dtype=np.uint8)
    alpha = mask.astype(np.float32) / 255.0 * rng.uniform(0.6, 1.0)
    ink = rng.uniform(0, 90)
    img = _background(rng, height, width) * (1 - alpha) + ink * alpha

    # geometry at high resolution: centre of cell 0, one pitch along x, glyph height
    cx0 = margin_x + pitch_hi / 2
    cy0 = margin_y + cap_h / 2
    centre = (width / 2, height / 2)
    rot = cv2.getRotationMatrix2D(centre, -math.degrees(angle), 1.0)
    img = cv2.warpAffine(img, rot, (width, height), borderMode=cv2.BORDER_REPLICATE)

    target_pitch = math.exp(rng.uniform(math.log(5.0), math.log(30.0)))
    s = target_pitch / pitch_hi
    small = cv2.resize(
        img, (max(8, round(width * s)), max(8, round(height * s))), interpolation=cv2.INTER_AREA
    )
    if rng.random() < 0.5:
        sigma = rng.uniform(0.2, 0.9)
        small = cv2.GaussianBlur(small, (0, 0), sigma)
    noise = np.asarray(rng.normal(0, rng.uniform(0, 8), small.shape), dtype=np.float32)
    small = np.asarray(small, np.float32) + noise
    gray = np.clip(small, 0, 255).astype(np.uint8)
    if rng.random() < 0.6:
        quality = int(rng.integers(25, 95))
        ok, buf = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, quality])
        if ok:
            gray = cv2.imdecode(buf, cv2.IMREAD_GRAYSCALE)

    ox, oy = rot[:, :2] @ np.array([cx0, cy0]) + rot[:, 2]
    ux, uy = math.cos(angle), math.sin(angle)
    pitch = pitch_hi * s
    glyph_h = cap_h * s
    if jitter:  # the locator's typical errors
        ox += ux * rng.uniform(-0.15, 0.15) * pitch / s - uy * rng.uniform(-0.12, 0.12) * cap_h
        oy += uy * rng.uniform(-0.15, 0.15) * pitch / s + ux * rng.uniform(-0.12, 0.12) * cap_h
        pitch *= rng.uniform(0.996, 1.004)
        glyph_h *= rng.uniform(0.85, 1.2)
    line = MrzLine(
        origin=(float(ox * s), float(oy * s)),
        step=(float(ux * pitch), float(uy * pitch)),
        normal=(float(-uy), float(ux)),
        height=float(glyph_h),
    )
    return SyntheticLine(gray, line, text)
