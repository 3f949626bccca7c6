"""Cut an MRZ line into character cells at its fixed pitch (numpy/cv2 only, no torch).

Training and inference share this code, so the recogniser sees cells cut exactly the way it was
trained on. A line is warped to a canonical strip (pitch ``CELL_W`` px, glyph height ~``GLYPH_H``
px), and every cell becomes a ``(CELL_H, CELL_W)`` float32 patch normalised by the strip's ink and
paper levels.
"""

from __future__ import annotations

import math

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.geometry import Affine
from docfraud.mrz.locate import MrzLine

CELL_W = 20
"""Canonical pitch in pixels: one cell per character."""
CELL_H = 32
"""Canonical cell height in pixels (glyph plus margin above and below)."""
GLYPH_H = 20.0
"""Canonical glyph height; the strip is scaled anisotropically so glyphs come out this tall."""


def line_to_strip_affine(line: MrzLine) -> Affine:
    """Map from page pixels to the canonical strip of ``line`` (cell k centred at x = k·W + W/2)."""
    pitch = math.hypot(*line.step)
    ux, uy = line.step[0] / pitch, line.step[1] / pitch
    nx, ny = line.normal
    sx = CELL_W / pitch
    sy = GLYPH_H / max(line.height, 1.0)
    a, b, d, e = sx * ux, sx * uy, sy * nx, sy * ny
    ox, oy = line.origin
    return Affine(a, b, CELL_W / 2 - (a * ox + b * oy), d, e, CELL_H / 2 - (d * ox + e * oy))


def extract_cells(
    gray: npt.NDArray[np.uint8], line: MrzLine, count: int, margin: int = 0
) -> npt.NDArray[np.float32]:
    """Cells of one MRZ line.

    Args:
        gray: (H, W) uint8 page.
        line: the line geometry in page pixels.
        count: characters in the line (30, 36 or 44).
        margin: cells also cut beyond each end of the line, on its grid. Ink and paper levels
            still come from the line's own cells: past its ends a card edge or a dark table
            would otherwise set the ink level and wash the glyphs out.

    Returns:
        (count + 2·margin, CELL_H, CELL_W) float32, ink ≈ 1 and paper ≈ 0; cell ``margin`` is
        the line's first character.
    """
    if margin:
        line = line.starting_at(-margin)
    total = count + 2 * margin
    if line.bend == (0.0, 0.0):
        strip = _warp(gray, line, CELL_W * total)
    else:  # foreshortened: each cell at its own place and scale (height is the line's median)
        base = math.hypot(*line.step_at((total - 1) / 2))
        parts = []
        for k in range(total):
            local = line.starting_at(k)
            zoom = math.hypot(*local.step) / base
            parts.append(
                _warp(
                    gray,
                    MrzLine(local.origin, local.step, local.normal, line.height * zoom),
                    CELL_W,
                )
            )
        strip = np.hstack(parts)
    own = strip[:, margin * CELL_W : (margin + count) * CELL_W]
    cells = normalise_strip(strip, levels_from=own)
    return cells.reshape(CELL_H, total, CELL_W).transpose(1, 0, 2).copy()


def _warp(gray: npt.NDArray[np.uint8], line: MrzLine, width: int) -> npt.NDArray[np.float32]:
    """The first ``width / CELL_W`` cells of the (straight) ``line`` as a canonical strip."""
    m = line_to_strip_affine(line).matrix()
    strip = cv2.warpAffine(
        gray,
        m,
        (width, CELL_H),
        flags=cv2.INTER_AREA if abs(m[0, 0]) + abs(m[0, 1]) < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return np.asarray(strip, dtype=np.float32)


def normalise_strip(
    strip: npt.NDArray[np.float32], levels_from: npt.NDArray[np.float32] | None = None
) -> npt.NDArray[np.float32]:
    """Scale a grey strip so paper is 0 and ink is 1, from robust percentiles of the whole line
    (or of ``levels_from``, the part of the strip that is the line)."""
    reference = strip if levels_from is None else levels_from
    paper = float(np.percentile(reference, 90))
    ink = float(np.percentile(reference, 3))
    span = max(paper - ink, 8.0)
    return np.asarray(np.clip((paper - strip) / span, -0.5, 1.5), dtype=np.float32)
