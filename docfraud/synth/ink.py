"""Printing on a page: text in a :class:`~docfraud.synth.records.TextStyle`, the MRZ, ink blending.

Documents, letters and forgeries all print through these functions, so a retyped field is drawn
exactly the way the original was, save for what the forger gets wrong.
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw, ImageFont

from docfraud.synth.records import TextStyle, font_path
from docfraud.types import Box

MRZ_FONT = "OCRB.otf"
MRZ_PITCH_MM = 2.54
"""OCR-B character pitch: ten characters per 25.4 mm (Doc 9303 Part 3)."""
MRZ_LINE_MM = 4.23
"""Centre-line to centre-line distance of the code lines (Part 5 Figure 6: 4.23 mm)."""
MRZ_CAP_MM = 2.4
"""Cap height of OCR-B size 1 as printed in MRZs (about 2.4 mm; Part 3 §4.2.2 sets size 1)."""


@lru_cache(maxsize=512)
def load_font(name: str, size_px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(name)), size_px)


@lru_cache(maxsize=4096)
def text_alpha(text: str, style: TextStyle) -> tuple[npt.NDArray[np.float32], int]:
    """Coverage of ``text`` in ``style`` as an (h, w) float32 mask in [0, 1], and its baseline.

    Cached (labels and titles repeat on every document of a template); the mask is read-only.

    Returns:
        The mask, spanning the font's ascent/descent plus any rows that accented capitals need
        above the ascent, and the baseline row.
    """
    font = load_font(style.font, style.size_px)
    ascent, descent = font.getmetrics()
    top = _accent_pad(style.font, style.size_px, text)
    advances = [font.getlength(c) + style.tracking_px for c in text]
    width = max(1, int(np.ceil(sum(advances) + style.size_px * 0.2)))
    canvas = Image.new("L", (width, top + ascent + descent), 0)
    draw = ImageDraw.Draw(canvas)
    if style.tracking_px == 0.0:
        draw.text((0, top), text, fill=255, font=font)
    else:
        x = 0.0
        for char, advance in zip(text, advances, strict=True):
            draw.text((x, top), char, fill=255, font=font)
            x += advance
    alpha = np.asarray(canvas, dtype=np.float32) / 255.0
    alpha.flags.writeable = False
    return alpha, top + ascent


_ACCENTED_CAPITALS = "ÅÉÖÜÇŞŻ"
"""Capitals whose marks reach above the ascent line in many fonts (NimbusSans, URWGothic)."""


@lru_cache(maxsize=512)
def _font_pad(name: str, size_px: int) -> int:
    return max(0, -round(load_font(name, size_px).getbbox(_ACCENTED_CAPITALS)[1]))


def _accent_pad(name: str, size_px: int, text: str) -> int:
    """Rows above the ascent line that accented capitals need, so their marks are not cut.

    Zero for fonts whose ascent already covers them; otherwise the same for every text in the
    font (so texts with and without accents share a baseline), unless ``text`` reaches higher.
    """
    pad = _font_pad(name, size_px)
    if not text:
        return pad
    return max(pad, -round(load_font(name, size_px).getbbox(text)[1]))


def blend_ink(
    rgb: npt.NDArray[np.uint8],
    alpha: npt.NDArray[np.float32],
    colour: tuple[int, int, int],
    xy: tuple[int, int],
    opacity: float = 1.0,
) -> Box:
    """Print ``alpha`` in ``colour`` at ``xy`` (top-left) onto ``rgb`` in place, clipped.

    Ink multiplies the paper, as printing does: a dark colour darkens, white ink does nothing.

    Returns:
        The box actually touched, in page pixels (zero-sized if fully outside).
    """
    h, w = rgb.shape[:2]
    x, y = xy
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(w, x + alpha.shape[1]), min(h, y + alpha.shape[0])
    if x1 <= x0 or y1 <= y0:
        return (x0, y0, 0, 0)
    absorb = (1.0 - np.asarray(colour, dtype=np.float32) / 255.0) * np.float32(opacity)
    # paper · (1 - a·(1 - tint)); the factor is in [0, 1], so no clipping is needed
    factor = 1.0 - alpha[y0 - y : y1 - y, x0 - x : x1 - x, None] * absorb
    np.multiply(rgb[y0:y1, x0:x1], factor, out=factor)
    rgb[y0:y1, x0:x1] = factor.astype(np.uint8)
    return (x0, y0, x1 - x0, y1 - y0)


def draw_text(rgb: npt.NDArray[np.uint8], xy: tuple[int, int], text: str, style: TextStyle) -> Box:
    """Print ``text`` with its top-left at ``xy``; returns the ink box in page pixels."""
    alpha, _ = text_alpha(text, style)
    blend_ink(rgb, alpha, style.colour, xy)
    return ink_box(alpha, xy)


def ink_box(alpha: npt.NDArray[np.float32], xy: tuple[int, int], threshold: float = 0.05) -> Box:
    """Tight box of the ink of ``alpha`` (coverage above ``threshold``) placed at ``xy``.

    Zero-sized at ``xy`` when there is no ink. Text zones use 0.05; marks use 0 so that every
    pixel a stamp's faint spread touched lies inside its zone.
    """
    bx, by, bw, bh = cv2.boundingRect(np.asarray(alpha > threshold, dtype=np.uint8))
    if bw == 0:
        return (xy[0], xy[1], 0, 0)
    return (xy[0] + bx, xy[1] + by, bw, bh)


_NOTDEF_PROBE = "\U0010fffd"
"""A code point no font has: it renders as the font's missing-glyph box."""


@lru_cache(maxsize=8192)
def has_glyph(font: str, char: str) -> bool:
    """Whether ``font`` draws ``char`` with its own glyph rather than the missing-glyph box."""
    face = load_font(font, 24)
    missing = (bytes(face.getmask(_NOTDEF_PROBE)), face.getlength(_NOTDEF_PROBE))
    return char.isspace() or (bytes(face.getmask(char)), face.getlength(char)) != missing


def mrz_style(px_per_mm: float, colour: tuple[int, int, int] = (25, 25, 30)) -> TextStyle:
    """OCR-B sized so its cap height is ``MRZ_CAP_MM`` at ``px_per_mm``."""
    probe = load_font(MRZ_FONT, 100)
    cap_top, cap_bottom = probe.getbbox("H")[1], probe.getbbox("H")[3]
    size = round(100 * MRZ_CAP_MM * px_per_mm / (cap_bottom - cap_top))
    return TextStyle(MRZ_FONT, size, colour)


def draw_mrz(
    rgb: npt.NDArray[np.uint8],
    xy: tuple[int, int],
    lines: tuple[str, ...],
    px_per_mm: float,
    style: TextStyle | None = None,
) -> Box:
    """Print MRZ lines at the ICAO pitch, each character centred in its 2.54 mm cell.

    Args:
        rgb: (H, W, 3) page, changed in place.
        xy: top-left of the first character cell.
        lines: the code lines.
        px_per_mm: page resolution.
        style: font and colour (default: OCR-B at ICAO size).

    Returns:
        The box of the whole zone (every cell of every line).
    """
    style = style or mrz_style(px_per_mm)
    font = load_font(style.font, style.size_px)
    pitch = MRZ_PITCH_MM * px_per_mm
    line_step = MRZ_LINE_MM * px_per_mm
    ascent, descent = font.getmetrics()
    width = int(np.ceil(pitch * max(len(line) for line in lines)))
    height = int(np.ceil(line_step * (len(lines) - 1) + ascent + descent))
    canvas = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(canvas)
    for k, line in enumerate(lines):
        for i, char in enumerate(line):
            x = i * pitch + (pitch - font.getlength(char)) / 2
            draw.text((x, k * line_step), char, fill=255, font=font)
    alpha = np.asarray(canvas, dtype=np.float32) / 255.0
    return blend_ink(rgb, alpha, style.colour, xy)
