"""Find the machine readable zone in a page image: its lines, skew, pitch and character cells.

The MRZ is the most regular text on a travel document (Doc 9303 Part 3 §4.2: OCR-B at a fixed
pitch, 2 or 3 lines of 30, 36 or 44 characters, left aligned), so it is found from the text itself,
not from the document outline: dark glyph-sized blobs are linked into text lines, and groups of
2–3 parallel lines of equal extent whose pitch fits 30/36/44 characters become candidates.

Every geometry returned here is in the *input page's* pixel coordinates, whatever scaling or
quarter-turn was used internally, so regions reported later point at the original image.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.imaging.geometry import Affine, quarter_turn_affine, rotate_whole, scale_affine

FloatArray = npt.NDArray[np.float64]

WORK_SIDE = 1200
"""Working resolution (longest side, px): MRZ glyphs of a document filling the frame are ~20 px."""

LINE_LENGTHS = (30, 36, 44)
LINK_WINDOW = 160
"""How many x-sorted neighbours a glyph looks at for its right neighbour (busy backgrounds)."""
MIN_CHAIN = 12
"""A text line needs at least this many linked glyphs to be considered (MRZ lines have ≥ 30)."""


@dataclass(frozen=True, slots=True)
class MrzLine:
    """One MRZ text line as a straight band in input-page coordinates.

    ``origin`` is the centre of the first character cell, ``step`` the vector from one cell centre
    to the next (its length is the pitch), ``normal`` the unit vector pointing down the glyphs
    (towards the next line), ``height`` the glyph height along ``normal``.
    """

    origin: tuple[float, float]
    step: tuple[float, float]
    normal: tuple[float, float]
    height: float
    bend: tuple[float, float] = (0.0, 0.0)
    """Quadratic term of the cell centres, ``centre(k) = origin + k·step + k²·bend``: a photo
    taken at an angle foreshortens the far end of a line (0 for a flat scan)."""

    def cell_centre(self, index: float) -> tuple[float, float]:
        k2 = index * index
        return (
            self.origin[0] + index * self.step[0] + k2 * self.bend[0],
            self.origin[1] + index * self.step[1] + k2 * self.bend[1],
        )

    def step_at(self, index: float) -> tuple[float, float]:
        """The local step vector (one cell along the line) at cell ``index``."""
        return (self.step[0] + 2 * index * self.bend[0], self.step[1] + 2 * index * self.bend[1])

    def starting_at(self, index: float) -> MrzLine:
        """The same line re-indexed so that cell ``index`` becomes cell 0."""
        return MrzLine(
            self.cell_centre(index), self.step_at(index), self.normal, self.height, self.bend
        )


@dataclass(frozen=True, slots=True)
class MrzCandidate:
    """A group of parallel lines that may be an MRZ, in reading order (top line first)."""

    lines: tuple[MrzLine, ...]
    char_count: int
    angle_deg: float
    """Angle of the text direction in the input image, degrees, y axis down (0 = upright)."""
    score: float
    """Higher is more MRZ-like: fit of the glyph positions to a fixed pitch, parallelism."""

    @property
    def pitch(self) -> float:
        return math.hypot(*self.lines[0].step)

    def shifted(self, cells: int) -> MrzCandidate:
        """The same band with every line starting ``cells`` characters further along."""
        lines = tuple(line.starting_at(cells) for line in self.lines)
        return MrzCandidate(lines, self.char_count, self.angle_deg, self.score)

    def flipped(self) -> MrzCandidate:
        """The same band read upside down (the page turned 180°)."""
        n = self.char_count - 1
        lines = []
        for line in reversed(self.lines):
            sx, sy = line.step_at(n)
            lines.append(
                MrzLine(
                    origin=line.cell_centre(n),
                    step=(-sx, -sy),
                    normal=(-line.normal[0], -line.normal[1]),
                    height=line.height,
                    bend=line.bend,
                )
            )
        angle = (self.angle_deg + 360.0) % 360.0 - 180.0
        return MrzCandidate(tuple(lines), self.char_count, angle, self.score)


@dataclass(frozen=True, slots=True)
class _Chain:
    """A text line found in the working image."""

    members: npt.NDArray[np.intp]
    direction: FloatArray  # unit vector along the text, pointing right
    normal: FloatArray  # unit vector down
    offset: float  # signed distance of the line from the origin along normal
    start: float  # projection of the first glyph's left edge on direction
    end: float  # projection of the last glyph's right edge
    height: float  # median glyph height


STRICT_THRESHOLD = 1.6
"""The second pass keeps strokes this many times darker than Otsu's threshold of the first."""


def _glyph_masks(gray: npt.NDArray[np.uint8]) -> Iterator[npt.NDArray[np.uint8]]:
    """Dark, thin structures (printed glyphs) as binary masks, robust to coloured backgrounds:
    at Otsu's threshold of the black-hat response, then at :data:`STRICT_THRESHOLD` times it.

    The second mask is for security print (guilloche, microtext borders) dark enough to pass
    Otsu's threshold: its lines then join the MRZ's glyphs into blobs that chain into no line.
    """
    k = max(9, (min(gray.shape) // 40) | 1)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    blackhat = cv2.morphologyEx(gray, cv2.MORPH_BLACKHAT, kernel)
    otsu, mask = cv2.threshold(blackhat, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    yield np.asarray(mask, dtype=np.uint8)
    _, strict = cv2.threshold(blackhat, STRICT_THRESHOLD * otsu, 255, cv2.THRESH_BINARY)
    yield np.asarray(strict, dtype=np.uint8)


def _link_glyphs(stats: npt.NDArray[np.int32]) -> list[npt.NDArray[np.intp]]:
    """Chain glyph boxes left to right into text lines.

    Each glyph links to its best right neighbour, and each glyph accepts one left neighbour.
    """
    x, y, w, h = (stats[:, i].astype(np.float64) for i in range(4))
    keep = np.nonzero((h >= 5) & (h <= 250) & (w <= 3 * h))[0]
    if keep.size < MIN_CHAIN:
        return []
    order = keep[np.argsort(x[keep], kind="stable")]
    xs, ys, ws, hs = x[order], y[order], w[order], h[order]
    cy = ys + hs / 2
    n = order.size
    best = np.full(n, -1, dtype=np.intp)
    best_cost = np.full(n, np.inf)
    for off in range(1, min(LINK_WINDOW, n)):
        j = np.arange(off, n)
        i = j - off
        big = np.maximum(hs[i], hs[j])
        gap = xs[j] - (xs[i] + ws[i])
        ok = (
            (gap <= 2.2 * big)
            & (gap >= -0.35 * big)
            & (np.abs(cy[j] - cy[i]) <= 0.6 * big)
            & (np.minimum(hs[i], hs[j]) >= 0.25 * big)
        )
        cost = np.maximum(gap, 0) + 2.0 * np.abs(cy[j] - cy[i])
        better = ok & (cost < best_cost[i])
        best[i[better]] = j[better]
        best_cost[i[better]] = cost[better]
    # Each glyph keeps only its best right neighbour, and each glyph accepts one left neighbour.
    parent = np.arange(n)

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = int(parent[a])
        return a

    taken = np.zeros(n, dtype=bool)
    for i in np.argsort(best_cost):
        j = best[i]
        if j < 0 or taken[j] or not np.isfinite(best_cost[i]):
            continue
        taken[j] = True
        parent[find(int(j))] = find(int(i))
    roots = np.array([find(i) for i in range(n)])
    chains = []
    for r in np.unique(roots):
        members = np.nonzero(roots == r)[0]
        if members.size >= MIN_CHAIN:
            chains.append(order[members])
    return chains


def _fit_chain(members: npt.NDArray[np.intp], stats: npt.NDArray[np.int32]) -> _Chain:
    box = stats[members, :4].astype(np.float64)
    cx = box[:, 0] + box[:, 2] / 2
    cy = box[:, 1] + box[:, 3] / 2
    # Letters and digits are the tallest glyphs; fillers '<' are short and may be the majority.
    tall = box[:, 3] >= 0.8 * float(np.percentile(box[:, 3], 90))
    if tall.sum() < 3:
        tall = np.ones_like(tall)
    slope, _ = np.polyfit(cx[tall], cy[tall], 1)
    direction = np.array([1.0, slope]) / math.hypot(1.0, slope)
    normal = np.array([-direction[1], direction[0]])
    offset = float(np.median(cx[tall] * normal[0] + cy[tall] * normal[1]))
    left = box[:, 0] * direction[0] + cy * direction[1]
    right = (box[:, 0] + box[:, 2]) * direction[0] + cy * direction[1]
    height = float(np.median(box[tall, 3])) / math.hypot(1.0, slope)
    return _Chain(members, direction, normal, offset, float(left.min()), float(right.max()), height)


def _glyph_centres(
    chain: _Chain, stats: npt.NDArray[np.int32], direction: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Glyph centres projected on the line direction, with their widths along it."""
    box = stats[chain.members, :4].astype(np.float64)
    cx = box[:, 0] + box[:, 2] / 2
    cy = box[:, 1] + box[:, 3] / 2
    proj = cx * direction[0] + cy * direction[1]
    return proj, box[:, 2]


MIN_CHIRP = 0.02
"""Pitch change over a line (relative) below which the line is treated as evenly spaced."""


@dataclass(frozen=True, slots=True)
class _Chirp:
    """The pitch growing linearly along the text, ``gap(p) = g0·(1 + mu·(p - m0))``.

    A page photographed at an angle shows its MRZ with the near end larger than the far end.
    Mapping a projection ``p`` to ``u = m0 + ln(1 + mu·(p - m0)) / mu`` makes the cells evenly
    spaced again, so the pitch and window fits below work unchanged in ``u``.
    """

    m0: float
    mu: float

    def unbend(self, p: FloatArray) -> FloatArray:
        arg = np.maximum(1.0 + self.mu * (p - self.m0), 1e-3)
        return np.asarray(self.m0 + np.log(arg) / self.mu, dtype=np.float64)

    def scale(self, p: FloatArray) -> FloatArray:
        """Local factor du/dp (widths in ``u``)."""
        return np.asarray(1.0 / np.maximum(1.0 + self.mu * (p - self.m0), 1e-3), dtype=np.float64)


def _fit_chirp(lines: list[tuple[FloatArray, FloatArray]]) -> _Chirp | None:
    """The pitch gradient along the lines from the gaps between neighbouring glyphs, if any."""
    mids, gaps = [], []
    for centres, _ in lines:
        c = np.sort(centres)
        if c.size > 2:
            mids.append((c[1:] + c[:-1]) / 2)
            gaps.append(np.diff(c))
    if not gaps:
        return None
    mid, gap = np.concatenate(mids), np.concatenate(gaps)
    typical = float(np.median(gap))
    one_cell = (gap > 0.7 * typical) & (gap < 1.35 * typical)
    if one_cell.sum() < 10:
        return None
    mid, gap = mid[one_cell], gap[one_cell]
    slope, intercept = np.polyfit(mid, gap, 1)
    m0 = float(mid.mean())
    g0 = float(intercept + slope * m0)
    extent = float(mid.max() - mid.min())
    if g0 <= 0 or abs(slope) * extent / g0 < MIN_CHIRP:
        return None
    return _Chirp(m0, float(slope) / g0)


def _fit_pitch(
    lines: list[tuple[FloatArray, FloatArray]], start: float
) -> tuple[float, float, float]:
    """Fit ``centre = c0 + k * pitch`` jointly over the lines' isolated glyphs.

    Args:
        lines: per line, glyph centres projected on the text direction and glyph widths.
        start: projection of the leftmost glyph edge; the first cell is the one containing it.

    Returns:
        (c0, pitch, rms residual as a fraction of the pitch).
    """
    gaps = [np.diff(np.sort(c)) for c, _ in lines if c.size > 1]
    if not gaps:
        return start, 1.0, 1.0
    pitch = float(np.median(np.concatenate(gaps)))
    if pitch <= 1:
        return start, 1.0, 1.0
    c = np.concatenate([c for c, _ in lines])
    w = np.concatenate([w for _, w in lines])
    single = w <= 0.95 * pitch  # merged glyph pairs would bias the fit
    if single.sum() < 4:
        single = np.ones_like(single)
    c = c[single]
    # Periodogram: the pitch at which glyph centres line up best on a lattice. Refining from the
    # median gap alone drifts by a cell over 44 characters when that estimate is 2 % off.
    trials = pitch * np.linspace(0.9, 1.1, 401)
    phases = np.exp(2j * np.pi * c[None, :] / trials[:, None])
    coherence = np.abs(phases.mean(axis=1))
    best = int(np.argmax(coherence))
    pitch = float(trials[best])
    c0 = float(np.angle(phases[best].mean()) / (2 * np.pi) * pitch)
    c0 += np.floor((c.min() - c0) / pitch + 0.5) * pitch
    for _ in range(3):
        k = np.round((c - c0) / pitch)
        sol, *_ = np.linalg.lstsq(np.vstack([np.ones(c.size), k]).T, c, rcond=None)
        c0, pitch = float(sol[0]), float(sol[1])
        if pitch <= 1:
            return start, 1.0, 1.0
        c0 -= np.floor((c0 - start) / pitch + 0.2) * pitch  # first cell holds the line start
    resid = c - (c0 + np.round((c - c0) / pitch) * pitch)
    return c0, pitch, float(np.sqrt(np.mean(resid**2)) / pitch)


def _spacing(upper: _Chain, lower: _Chain) -> float:
    """How far ``lower`` lies below ``upper``, along ``upper``'s normal, between the lines'
    middles: each chain's ``offset`` is along its own normal, and a slope that differs by 1
    degree between two lines moves those offsets apart by several pixels at the page's edge."""

    def middle(chain: _Chain) -> FloatArray:
        along = (chain.start + chain.end) / 2
        return np.asarray(chain.offset * chain.normal + along * chain.direction, np.float64)

    return float(np.dot(middle(lower) - middle(upper), upper.normal))


def _group_lines(chains: list[_Chain]) -> list[tuple[_Chain, ...]]:
    """Groups of 2–3 stacked parallel lines of similar extent and height, top to bottom."""
    chains = sorted(chains, key=lambda c: c.offset)
    groups: list[tuple[_Chain, ...]] = []
    for i, first in enumerate(chains):
        stack = [first]
        for nxt in chains[i + 1 :]:
            prev = stack[-1]
            h = max(prev.height, nxt.height)
            spacing = _spacing(prev, nxt)
            if spacing < 1.05 * h:
                continue
            if spacing > 3.2 * h:
                break
            if abs(nxt.height - prev.height) > 0.35 * h:
                continue
            if abs(float(np.dot(nxt.direction, prev.direction))) < math.cos(math.radians(4)):
                continue
            overlap = min(prev.end, nxt.end) - max(prev.start, nxt.start)
            longest = max(prev.end - prev.start, nxt.end - nxt.start)
            if overlap < 0.6 * longest:
                continue
            stack.append(nxt)
            if len(stack) == 3:
                break
        if len(stack) >= 2:
            groups.append(tuple(stack))
            if len(stack) == 3:
                groups.append(tuple(stack[1:]))
                groups.append(tuple(stack[:2]))
    return groups


TD1_PAIR_FULL = 0.97
TD1_PAIR_MARGIN = 0.05
"""Two lines may be a TD1's (30 cells) when they fill 30 cells (:data:`TD1_PAIR_FULL`) and fill
them this much better than 36 or 44: glare or the card's edge can hide one of a TD1's lines."""
MIN_OCCUPANCY = 0.85
"""Share of a candidate's cells that must hold a glyph: every MRZ cell is printed (fillers too)."""
OCCUPANCY_MARGIN = 0.04
"""A longer line length is kept only if it fills its cells nearly as well as a shorter one."""
LONGER_OCCUPANCY = 0.7
"""Two lines whose glyphs fill a longer line length's cells this well are also offered at that
length, after the shorter: glare hides glyphs from the chains (a TD3's 44 cells then fill less
well than 36), and the reading decides between them."""


def _best_window(
    glyphs: list[tuple[FloatArray, FloatArray]],
    c0: float,
    pitch: float,
    counts: tuple[int, ...],
    least: float = MIN_OCCUPANCY,
) -> tuple[int, int, float] | None:
    """Choose which run of cells is the MRZ: (first cell index, characters per line, occupancy).

    Glyph chains can pick up a stray mark beside the zone or lose a faint filler at its end, so
    the extent of the chains is not the extent of the MRZ. Every MRZ cell is printed, so the MRZ
    is the longest allowed run of cells that the glyphs of all its lines fill (at least
    ``least`` of its cells). Where runs fill equally, the one starting at the first glyph is
    taken: an MRZ begins with a letter, where glyphs lost to glare or a faint print are more
    often its fillers at the end.
    """
    occupied = []
    for centres, widths in glyphs:
        lo = np.ceil((centres - widths / 2 - c0) / pitch - 0.25).astype(int)
        hi = np.floor((centres + widths / 2 - c0) / pitch + 0.25).astype(int)
        occupied.append({k for a, b in zip(lo, hi, strict=True) for k in range(a, max(a, b) + 1)})
    k_min = min(min(o) for o in occupied if o)
    k_max = max(max(o) for o in occupied if o)
    best_per_count: list[tuple[int, int, float]] = []
    for count in counts:
        best: tuple[int, int, float] | None = None
        for first in range(min(k_min, k_max - count + 1), max(k_min, k_max - count + 1) + 1):
            filled = sum(len([k for k in o if first <= k < first + count]) for o in occupied)
            ratio = filled / (count * len(occupied))
            if best is None or ratio > best[2] or (ratio == best[2] and first == k_min):
                best = (first, count, ratio)
        if best is not None:
            best_per_count.append(best)
    top = max((b[2] for b in best_per_count), default=0.0)
    for best in best_per_count:  # longest first: a 44-char MRZ also contains 36-cell runs ...
        # ... but a 36-char MRZ with marks beside it fills 44 cells less well than 36
        if best[2] >= least and best[2] >= top - OCCUPANCY_MARGIN:
            return best
    return None


def _fit_lattice(
    group: tuple[_Chain, ...],
    stats: npt.NDArray[np.int32],
    direction: FloatArray,
    lattice: tuple[float, float, int],
    chirp: _Chirp | None,
) -> tuple[FloatArray, FloatArray, list[FloatArray]] | None:
    """Fit ``centre = origin_line + k·step + k²·bend`` in 2-D over the glyphs in the chosen cells.

    One step (and bend) shared by all lines and one origin per line; ``bend`` stays 0 unless the
    lines are foreshortened (``chirp``). Fitting the direction on every glyph of every line,
    rather than on one chain's slope, keeps the last cell of a strongly skewed line on its glyph;
    strays off the lattice are dropped.

    Returns:
        (step, bend, per-line origins) in working-image pixels.
    """
    c0, pitch, count = lattice
    xs, ys, ks, rows = [], [], [], []
    for row, chain in enumerate(group):
        box = stats[chain.members, :4].astype(np.float64)
        cx = box[:, 0] + box[:, 2] / 2
        cy = box[:, 1] + box[:, 3] / 2
        proj = cx * direction[0] + cy * direction[1]
        widths = box[:, 2]
        if chirp is not None:
            widths = widths * chirp.scale(proj)
            proj = chirp.unbend(proj)
        single = widths <= 0.95 * pitch
        cx, cy, proj = cx[single], cy[single], proj[single]
        k = np.round((proj - c0) / pitch)
        keep = (k >= 0) & (k < count) & (np.abs(proj - c0 - k * pitch) <= 0.3 * pitch)
        if keep.sum() < 3:
            return None
        xs.append(cx[keep])
        ys.append(cy[keep])
        ks.append(k[keep])
        rows.append(np.full(int(keep.sum()), row))
    k_all = np.concatenate(ks)
    row_all = np.concatenate(rows)
    terms = 2 if chirp is not None else 1
    design = np.zeros((k_all.size, len(group) + terms))
    design[:, 0] = k_all
    if chirp is not None:
        design[:, 1] = k_all**2
    design[np.arange(k_all.size), terms + row_all] = 1.0
    sol_x, *_ = np.linalg.lstsq(design, np.concatenate(xs))
    sol_y, *_ = np.linalg.lstsq(design, np.concatenate(ys))
    step = np.array([sol_x[0], sol_y[0]])
    bend = np.array([sol_x[1], sol_y[1]]) if chirp is not None else np.zeros(2)
    origins = [np.array([sol_x[terms + i], sol_y[terms + i]]) for i in range(len(group))]
    return step, bend, origins


def _candidate(
    group: tuple[_Chain, ...],
    stats: npt.NDArray[np.int32],
    to_input: Affine,
    *,
    may_lack_a_line: bool = True,
) -> list[MrzCandidate]:
    """The group as an MRZ: none or one; for two lines, also at each longer line length whose
    cells they fill fairly (:data:`LONGER_OCCUPANCY`), and where they fill a TD1's 30 cells
    clearly better than 36 or 44 (its third line not found: glare, the card's edge), the two
    TD1 zones with a third line added below or above (unless the pair is part of three lines
    found). The reading decides between them."""
    # One direction for the whole group: projecting each line on its own slightly different
    # direction shifts lines against each other by (distance from the origin) x (angle error).
    direction = np.mean([c.direction for c in group], axis=0)
    direction /= np.linalg.norm(direction)
    glyphs = [_glyph_centres(c, stats, direction) for c in group]
    chirp = _fit_chirp(glyphs)
    if chirp is not None:
        glyphs = [(chirp.unbend(p), w * chirp.scale(p)) for p, w in glyphs]
    start = min(float(p.min() - w[np.argmin(p)] / 2) for p, w in glyphs)
    c0, pitch, rms = _fit_pitch(glyphs, start)
    if pitch <= 2 or rms > 0.25:
        return []
    window = _best_window(glyphs, c0, pitch, (30,) if len(group) == 3 else (44, 36))
    windows = [] if window is None else [(window, False)]
    if len(group) == 2 and window is not None:
        for count in (c for c in (44, 36) if c > window[1]):
            longer = _best_window(glyphs, c0, pitch, (count,), least=LONGER_OCCUPANCY)
            if longer is not None:
                windows.append((longer, False))
    if len(group) == 2 and may_lack_a_line:
        narrow = _best_window(glyphs, c0, pitch, (30,))
        wide = 0.0 if window is None else window[2]
        if narrow is not None and narrow[2] >= max(TD1_PAIR_FULL, wide + TD1_PAIR_MARGIN):
            windows.append((narrow, True))
    found = []
    for (first, count, occupancy), extend in windows:
        lattice = _fit_lattice(group, stats, direction, (c0 + first * pitch, pitch, count), chirp)
        if lattice is None:
            continue
        step, bend, origins = lattice
        heights = [c.height for c in group]
        placed = [(origins, heights)]
        if extend:  # a third line one spacing below, or above
            gap = origins[1] - origins[0]
            placed = [
                ([*origins, origins[1] + gap], [*heights, heights[1]]),
                ([origins[0] - gap, *origins], [heights[0], *heights]),
            ]
        score = occupancy * (1.0 - rms) + 0.1 * len(group)
        for line_origins, line_heights in placed:
            lines = _lines(line_origins, line_heights, step, bend, to_input)
            angle = math.degrees(math.atan2(lines[0].step[1], lines[0].step[0]))
            found.append(MrzCandidate(lines, count, angle, score))
    return found


def _lines(
    origins: Sequence[FloatArray],
    heights: Sequence[float],
    step: FloatArray,
    bend: FloatArray,
    to_input: Affine,
) -> tuple[MrzLine, ...]:
    """Lattice lines in working-image pixels (an origin and a glyph height each, a shared step
    and bend) as :class:`MrzLine` in input pixels."""
    normal = np.array([-step[1], step[0]]) / math.hypot(*step)
    sx, sy = to_input.apply_vector(float(step[0]), float(step[1]))
    bx, by = to_input.apply_vector(float(bend[0]), float(bend[1]))
    nx, ny = to_input.apply_vector(float(normal[0]), float(normal[1]))
    nn = math.hypot(nx, ny)
    lines = []
    for origin, height in zip(origins, heights, strict=True):
        ox, oy = to_input.apply(float(origin[0]), float(origin[1]))
        scaled = height * to_input.scale
        lines.append(MrzLine((ox, oy), (sx, sy), (nx / nn, ny / nn), scaled, (bx, by)))
    return tuple(lines)


def _candidates(
    mask: npt.NDArray[np.uint8], to_input: Affine
) -> tuple[list[MrzCandidate], float | None]:
    """The candidates in one view's glyph mask, and the view's text skew in degrees (the
    glyph-weighted median direction of its text lines; None without lines)."""
    _, _, all_stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    stats = np.asarray(all_stats[1:], dtype=np.int32)
    chains = [_fit_chain(m, stats) for m in _link_glyphs(stats)]
    groups = _group_lines(chains)
    in_threes = {frozenset(map(id, pair)) for g in groups if len(g) == 3 for pair in (g[:2], g[1:])}
    found = [
        cand
        for group in groups
        for cand in _candidate(
            group, stats, to_input, may_lack_a_line=frozenset(map(id, group)) not in in_threes
        )
    ]
    skew = None
    if chains:
        angles = np.degrees([math.atan2(c.direction[1], c.direction[0]) for c in chains])
        weights = np.array([c.members.size for c in chains], np.float64)
        order = np.argsort(angles)
        middle = np.searchsorted(np.cumsum(weights[order]), weights.sum() / 2)
        skew = float(angles[order][middle])
    return found, skew


MIN_SKEW_DEG = 6.0
"""Text tilted more than this in a view is also searched in a copy of the view turned level:
glyph chaining links each glyph to its right-hand neighbour within a fraction of a glyph's height
up or down, so on a page tilted by 10-15 degrees it zigzags between a TD1's close lines."""


def locate_mrz(gray: npt.NDArray[np.uint8], max_candidates: int = 4) -> tuple[MrzCandidate, ...]:
    """Find MRZ candidates in a page, best first, in both upright and quarter-turned readings,
    and in levelled copies of those where the text is tilted (:data:`MIN_SKEW_DEG`).

    Args:
        gray: (H, W) uint8 page.
        max_candidates: how many to return.

    Returns:
        Candidates in input-page coordinates. Each upright candidate may still be upside down:
        the recogniser decides between a candidate and its ``flipped()`` twin.
    """
    h, w = gray.shape
    scale = WORK_SIDE / max(h, w)
    interp = cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC
    work = np.asarray(
        cv2.resize(gray, (round(w * scale), round(h * scale)), interpolation=interp), np.uint8
    )
    found: list[MrzCandidate] = []
    views = []
    for turns in (0, 1):
        view = np.ascontiguousarray(np.rot90(work, k=-turns)) if turns else work
        # view -> input: undo the quarter turn, then the scaling
        to_input = scale_affine(1.0 / scale).compose(quarter_turn_affine(turns, work.shape))
        masks = _glyph_masks(view)
        candidates, skew = _candidates(next(masks), to_input)
        found.extend(candidates)
        views.append((masks, to_input))
        if skew is not None and abs(skew) > MIN_SKEW_DEG:
            level, to_view = rotate_whole(view, skew)
            level_masks = _glyph_masks(level)
            to_work = to_input.compose(to_view)
            found.extend(_candidates(next(level_masks), to_work)[0])
            views.append((level_masks, to_work))
    if not found:  # the strict masks only where the first found nothing
        for masks, to_input in views:
            found.extend(_candidates(next(masks), to_input)[0])
    found.sort(key=lambda c: c.score, reverse=True)
    return tuple(found[:max_candidates])
