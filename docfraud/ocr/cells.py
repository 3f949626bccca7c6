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
    paper, ink = _levels(own)
    cells = _scaled(strip, paper, ink).reshape(CELL_H, total, CELL_W).transpose(1, 0, 2).copy()
    _restore_faded(cells, strip, own, paper - ink, margin)
    return cells


FADED_SPAN = 0.6
"""A stretch of a line whose ink-to-paper span is under this share of the whole line's was
washed out (glare on the laminate, a fold's shine): its cells are scaled by their own levels."""
BLANK_SPAN = 0.15
"""Under this share the stretch holds no glyphs to restore (blank paper, or glare so strong
that scaling would only raise noise)."""
FADED_WINDOW = 1
"""Cells on each side of a cell whose grey levels judge whether it was washed out."""


def _restore_faded(
    cells: npt.NDArray[np.float32],
    strip: npt.NDArray[np.float32],
    own: npt.NDArray[np.float32],
    span: float,
    margin: int,
) -> None:
    """Rescale, in place, the cells of washed-out stretches of the line by their stretch's own
    ink and paper levels.

    Levels from the whole line (ink-to-paper ``span``) leave glyphs under glare at a third of
    their contrast, faint enough for the recogniser to take letters for fillers, confidently.
    A stretch's paper is the median of its cells' paper and its ink the second darkest of its
    cells' ink (a stretch of fillers has little), each from every other pixel since this runs
    on every line read; cells elsewhere keep the line's levels, as the recogniser was trained on.
    """
    count = own.shape[1] // CELL_W
    sample = own[::2, ::2]
    per_cell = sample.reshape(sample.shape[0], count, -1).transpose(1, 0, 2).reshape(count, -1)
    k_ink, k_paper = (round(q * (per_cell.shape[1] - 1)) for q in (INK_QUANTILE, PAPER_QUANTILE))
    ordered = np.partition(per_cell, (k_ink, k_paper), axis=1)
    width = min(2 * FADED_WINDOW + 1, count)
    pad = (width // 2, width - 1 - width // 2)
    windows = [
        np.lib.stride_tricks.sliding_window_view(np.pad(ordered[:, k], pad, mode="edge"), width)
        for k in (k_paper, k_ink)
    ]
    local_paper = np.median(windows[0], axis=1)
    local_ink = np.partition(windows[1], 1, axis=1)[:, 1]
    share = (local_paper - local_ink) / max(span, MIN_SPAN)
    for k in np.flatnonzero((share >= BLANK_SPAN) & (share < FADED_SPAN)):
        cell = strip[:, (k + margin) * CELL_W : (k + margin + 1) * CELL_W]
        cells[k + margin] = _scaled(cell, float(local_paper[k]), float(local_ink[k]))


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
    return _scaled(strip, *_levels(strip if levels_from is None else levels_from))


PAPER_QUANTILE = 0.90
INK_QUANTILE = 0.03
"""The grey levels taken for paper and ink: robust against specks and the brightest glints."""
MIN_SPAN = 8.0
"""The least ink-to-paper span a strip is scaled by: a faint ripple must not become ink."""


def _levels(strip: npt.NDArray[np.float32]) -> tuple[float, float]:
    """(paper, ink) grey levels of a strip: ``np.percentile``'s linear quantiles, from one
    partial sort for both (this runs on every line read, twice as fast so)."""
    flat = strip.ravel()
    positions = [q * (flat.size - 1) for q in (PAPER_QUANTILE, INK_QUANTILE)]
    below = [math.floor(p) for p in positions]
    above = [min(k + 1, flat.size - 1) for k in below]
    ordered = np.partition(flat, sorted(set(below + above)))
    paper, ink = (
        float(ordered[k]) + (float(ordered[j]) - float(ordered[k])) * (p - k)
        for p, k, j in zip(positions, below, above, strict=True)
    )
    return paper, ink


def _scaled(strip: npt.NDArray[np.float32], paper: float, ink: float) -> npt.NDArray[np.float32]:
    """``strip`` with ``paper`` at 0 and ``ink`` at 1, clipped to [-0.5, 1.5]."""
    span = max(paper - ink, MIN_SPAN)
    return np.asarray(np.clip((paper - strip) / span, -0.5, 1.5), dtype=np.float32)
