"""Handwritten signatures and rubber stamps as ink coverage, printed with :func:`ink.blend_ink`.

Every mark is an (H, W) float32 alpha in [0, 1]: how much ink covers each pixel. The caller picks
the colour (:func:`stamp_colour` for stamps, a pen colour for signatures) and the position, so one
mark can be printed on any document or forged onto another.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from functools import lru_cache
from types import MappingProxyType

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docfraud.synth.ink import load_font

Alpha = npt.NDArray[np.float32]
Points = npt.NDArray[np.float64]

STAMP_COLOURS: Mapping[str, tuple[int, int, int]] = MappingProxyType(
    {
        "blue": (38, 62, 168),
        "violet": (92, 52, 150),
        "red": (190, 38, 52),
        "black": (38, 38, 44),
    }
)
"""Stamp-pad inks as RGB, most common first."""
_STAMP_WEIGHTS = (0.5, 0.25, 0.15, 0.1)

_SCRIPT_FONT = "Z003-MediumItalic.otf"
_STAMP_FONTS = ("NimbusSans-Bold.otf", "LiberationSans-Bold.ttf", "NimbusSans-Regular.otf")
_SHIFT = 4
"""Fractional bits of cv2 drawing coordinates: 1/16 px precision."""
_SS = 2
"""Signature supersampling: strokes are drawn at twice the size, then area-averaged."""

_ASCENDERS = frozenset("bdfhklt")
_DESCENDERS = frozenset("gjpqyz")
_ROUND = frozenset("aceoqgd")


def stamp_colour(rng: np.random.Generator) -> tuple[int, int, int]:
    """A stamp-pad ink: one of :data:`STAMP_COLOURS`, jittered as pads and refills differ."""
    name = list(STAMP_COLOURS)[int(rng.choice(len(STAMP_COLOURS), p=_STAMP_WEIGHTS))]
    base = np.asarray(STAMP_COLOURS[name], dtype=np.float64)
    r, g, b = np.clip(base + rng.normal(0.0, 9.0, 3), 0, 255).astype(int)
    return (int(r), int(g), int(b))


def _fixed(points: Points) -> npt.NDArray[np.int32]:
    return np.round(points * (1 << _SHIFT)).astype(np.int32)


def _catmull_rom(points: Points, step: float) -> Points:
    """A smooth curve through ``points`` (n, 2), sampled about every ``step`` pixels."""
    if len(points) < 3:
        n = max(2, int(np.hypot(*(points[-1] - points[0])) / step))
        t = np.linspace(0.0, 1.0, n)[:, None]
        line: Points = points[0] * (1 - t) + points[-1] * t
        return line
    padded = np.vstack([2 * points[0] - points[1], points, 2 * points[-1] - points[-2]])
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    counts = np.maximum(2, np.ceil(seg / step).astype(int))
    out = []
    for i, n in enumerate(counts):
        p0, p1, p2, p3 = padded[i], padded[i + 1], padded[i + 2], padded[i + 3]
        t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
        t2, t3 = t * t, t * t * t
        out.append(
            0.5
            * (
                2 * p1
                + (p2 - p0) * t
                + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
                + (3 * p1 - p0 - 3 * p2 + p3) * t3
            )
        )
    out.append(points[-1:])
    return np.vstack(out)


def _lowfreq(rng: np.random.Generator, shape: tuple[int, int], cells: int) -> Alpha:
    """Smooth noise in [0, 1] over ``shape`` (h, w) with about ``cells`` blobs across."""
    h, w = shape
    grid = rng.random((max(2, cells * h // max(h, w) + 2), cells + 2)).astype(np.float32)
    return cv2.resize(grid, (w, h), interpolation=cv2.INTER_CUBIC).clip(0.0, 1.0)


# --- signatures -------------------------------------------------------------------------------


def _letter_points(rng: np.random.Generator, char: str, x: float, scale: float) -> list[Points]:
    """Pen path of one cursive letter in unit space (baseline y=0, x-height y=-1), from ``x``."""
    lower = char.lower()
    w = rng.uniform(0.55, 1.0) * scale
    if char.isupper():
        h = rng.uniform(2.0, 3.0)
        kind = rng.integers(3)
        if kind == 0:  # tall stem with a loop back over it
            pts = [(x, 0.2), (x + 0.2, -h), (x + 0.9 * w, -h * 0.7), (x + 0.2, -h * 0.45)]
            pts += [(x + w * 1.1, -0.3), (x + w * 1.4, 0.0)]
        elif kind == 1:  # big open bowl
            pts = [(x + w, -h * 0.8), (x + w * 0.4, -h), (x - 0.2, -h * 0.4), (x + 0.3, 0.1)]
            pts += [(x + w * 1.2, -0.2), (x + w * 1.5, -0.6)]
        else:  # zigzag capital
            pts = [(x, 0.0), (x + w * 0.4, -h), (x + w * 0.8, -0.2), (x + w * 1.2, -h * 0.9)]
            pts += [(x + w * 1.5, 0.0)]
        return [np.asarray(pts, dtype=np.float64)]
    if lower in _ASCENDERS:
        top = -rng.uniform(1.9, 2.6)
        pts = [(x, -0.2), (x + w * 0.6, top), (x + w * 0.2, top * 0.9), (x + w * 0.4, 0.0)]
        pts += [(x + w, -0.5)]
    elif lower in _DESCENDERS:
        bottom = rng.uniform(0.9, 1.5)
        pts = [(x, -0.6), (x + w * 0.5, -1.0), (x + w * 0.6, bottom), (x + w * 0.1, bottom * 0.7)]
        pts += [(x + w, -0.3)]
    elif lower in _ROUND:
        pts = [(x + w * 0.7, -0.9), (x + w * 0.2, -0.8), (x + w * 0.2, -0.05), (x + w * 0.7, -0.4)]
        pts += [(x + w * 0.75, -1.0), (x + w, 0.0)]
    elif lower.isalpha():
        humps = 2 if lower in "mw" else 1
        pts = [(x, 0.0)]
        for k in range(humps):
            hx = x + w * (k + 0.5) / humps
            pts += [(hx, -rng.uniform(0.8, 1.15)), (x + w * (k + 1) / humps, 0.0)]
    else:
        pts = [(x, -0.2), (x + w, -0.3)]
    return [np.asarray(pts, dtype=np.float64)]


def _word_strokes(rng: np.random.Generator, word: str, x: float) -> tuple[list[Points], float]:
    """Cursive pen path of ``word`` from ``x``; legibility decays towards its end, as it does."""
    decay = rng.uniform(0.0, 0.25)
    strokes: list[Points] = []
    joined: list[Points] = []
    for i, char in enumerate(word):
        (path,) = _letter_points(rng, char, x, scale=rng.uniform(0.8, 1.2))
        amplitude = max(0.25, 1.0 - decay * i)
        if i > 0:
            path[:, 1] *= amplitude
        joined.append(path)
        x = float(path[:, 0].max()) + rng.uniform(0.05, 0.25)
    if joined:
        strokes.append(np.vstack(joined))
    return strokes, x


def _flourish(rng: np.random.Generator, x0: float, x1: float, y: float) -> Points:
    """An underline or a looping tail back under the name."""
    kind = rng.integers(3)
    if kind == 0:
        xs = np.linspace(x1, x0 - rng.uniform(0, 1), 5)
        ys = y + rng.uniform(0.9, 1.6) + rng.normal(0, 0.15, 5)
    elif kind == 1:
        xs = np.array([x1 - 0.5, x1 + 0.3, x1 - 0.2, (x0 + x1) / 2, x0])
        ys = np.array([y - 0.5, y + 0.4, y + 1.3, y + 1.1, y + rng.uniform(0.6, 1.4)])
    else:
        xs = np.array([x0 - 0.3, (2 * x0 + x1) / 3, (x0 + 2 * x1) / 3, x1 + 0.8])
        ys = y + rng.uniform(0.5, 1.1) - np.array([0.0, 0.2, 0.4, rng.uniform(0.6, 1.2)])
    return np.column_stack([xs, ys])


def _draw_strokes(
    canvas: npt.NDArray[np.uint8], strokes: list[Points], width: float, rng: np.random.Generator
) -> None:
    """Draw pen strokes whose width follows a smooth pressure curve and tapers at both ends."""
    for stroke in strokes:
        path = _catmull_rom(stroke, step=1.5 * _SS)
        n = len(path)
        if n < 2:
            continue
        t = np.linspace(0.0, 1.0, n)
        phase = rng.uniform(0, 2 * np.pi)
        pressure = 0.75 + 0.25 * np.sin(t * rng.uniform(3, 9) + phase)
        taper = np.minimum(1.0, np.minimum(t, 1 - t) * n / 12 + 0.35)
        seg = np.diff(path, axis=0)
        speed = np.linalg.norm(seg, axis=1)
        turn = np.abs(np.diff(np.arctan2(seg[:, 1], seg[:, 0]), prepend=0.0))
        slow = np.clip(np.minimum(turn, 2 * np.pi - turn) * 2.0, 0.0, 0.4)
        widths = width * _SS * pressure[1:] * taper[1:] * (0.85 + slow) * (speed > 0)
        thick = np.maximum(1, np.round(widths)).astype(int)
        fixed = _fixed(path)
        starts = np.flatnonzero(np.diff(thick, prepend=-1))
        ends = np.append(starts[1:], len(thick))
        for s, e in zip(starts, ends, strict=True):
            cv2.polylines(
                canvas, [fixed[s : e + 1]], False, 255, int(thick[s]), cv2.LINE_AA, _SHIFT
            )


def _script_glyphs(
    rng: np.random.Generator, text: str, height_px: int
) -> tuple[npt.NDArray[np.uint8], int]:
    """``text`` in the Z003 script face, glyphs jittered about the baseline; and the baseline."""
    font = load_font(_SCRIPT_FONT, height_px)
    ascent, descent = font.getmetrics()
    advances = [font.getlength(c) * rng.uniform(0.82, 0.98) for c in text]
    width = int(sum(advances) + height_px)
    pad = height_px // 3
    canvas = Image.new("L", (width, ascent + descent + 2 * pad), 0)
    draw = ImageDraw.Draw(canvas)
    x = height_px * 0.1
    for char, advance in zip(text, advances, strict=True):
        draw.text((x, pad + rng.normal(0, height_px * 0.03)), char, fill=255, font=font)
        x += advance
    return np.asarray(canvas, dtype=np.uint8), pad + ascent


def _hand_warp(
    rng: np.random.Generator, glyphs: npt.NDArray[np.uint8], baseline: int, slant: float
) -> npt.NDArray[np.uint8]:
    """Slant typeset script and make it wobble like a hand: a wandering baseline, uneven widths."""
    gh, gw = glyphs.shape
    yy, xx = np.mgrid[0:gh, 0:gw].astype(np.float32)
    period = gh * rng.uniform(0.6, 1.2)
    wander = gh * rng.uniform(0.03, 0.08) * np.sin(xx * (2 * np.pi / (gw * rng.uniform(0.6, 1.5))))
    wobble = gh * 0.015 * np.sin(yy * (2 * np.pi / period) + rng.uniform(0, 6))
    map_x = xx + slant * (yy - baseline) + wobble
    map_y = yy + wander
    warped = cv2.remap(glyphs, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    if rng.random() < 0.5:
        warped = cv2.dilate(warped, np.ones((2, 2), np.uint8))
    return np.asarray(warped, np.uint8)


def _signature_text(rng: np.random.Generator, name: str) -> list[str]:
    """The words a person signs with: full name, initial and surname, or surname alone.

    Diacritics are dropped (as hands often do, and the script font lacks Vietnamese marks).
    """
    plain = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    words = [w for w in plain.replace("-", " ").split() if any(c.isalpha() for c in w)] or ["X"]
    form = rng.integers(4)
    if form == 0 or len(words) == 1:
        chosen = words[-1:]
    elif form == 1:
        chosen = [words[0][0].upper() + ".", words[-1]]
    elif form == 2:
        chosen = [words[0], words[-1]]
    else:
        chosen = [w[0].upper() for w in words[:-1]] + [words[-1]]
    return [w if w[:1].isupper() else w[:1].upper() + w[1:] for w in chosen]


def _fit(canvas: npt.NDArray[np.uint8], size: tuple[int, int], rng: np.random.Generator) -> Alpha:
    """Scale the ink of ``canvas`` into (w, h) ``size`` with a margin, off-centre a little."""
    w, h = size
    rows = np.flatnonzero(canvas.max(axis=1))
    cols = np.flatnonzero(canvas.max(axis=0))
    out = np.zeros((h, w), dtype=np.float32)
    if rows.size == 0:
        return out
    crop = canvas[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    fill = rng.uniform(0.7, 0.95)
    scale = min(fill * w / crop.shape[1], fill * h / crop.shape[0], 1.1 / _SS)
    cw = max(1, int(crop.shape[1] * scale))
    ch = max(1, int(crop.shape[0] * scale))
    small = cv2.resize(crop, (cw, ch), interpolation=cv2.INTER_AREA)
    x = int(rng.integers(0, w - cw + 1))
    y = int(rng.integers(0, h - ch + 1))
    out[y : y + ch, x : x + cw] = small.astype(np.float32) / 255.0
    return out


def draw_signature(rng: np.random.Generator, name: str, size: tuple[int, int]) -> Alpha:
    """A handwritten signature of ``name`` fitted into ``size`` (w, h).

    Cursive pen paths are built letter by letter from the name (ascenders, descenders, bowls,
    legibility decaying along each word) or, for some writers, from jittered script glyphs, then
    drawn with a pressure-varying width and an optional underline or tail.

    Returns:
        (h, w) float32 pen-ink alpha in [0, 1].
    """
    w, h = size
    unit = 12.0 * _SS
    words = _signature_text(rng, name)
    slant = rng.uniform(-0.1, 0.45)
    pen = rng.uniform(0.9, 1.8) * max(1.0, h / 60.0)
    if rng.random() < 0.3:
        glyphs, baseline = _script_glyphs(rng, " ".join(words), int(h * _SS * 0.6))
        canvas = _hand_warp(rng, glyphs, baseline, slant * 0.4)
        if rng.random() < 0.6:
            x_end = float(np.flatnonzero(canvas.max(axis=0)).max(initial=canvas.shape[1] // 2))
            tail = _flourish(rng, 0.0, x_end / unit, baseline / unit) * unit
            big = np.zeros((canvas.shape[0] + int(unit * 2), canvas.shape[1]), np.uint8)
            big[: canvas.shape[0]] = canvas
            _draw_strokes(big, [tail], pen * 0.8, rng)
            canvas = big
        return _ink_pen(rng, _fit(canvas, size, rng))
    strokes: list[Points] = []
    x = 0.0
    for word in words:
        word_strokes, x = _word_strokes(rng, word, x)
        strokes += word_strokes
        x += rng.uniform(0.4, 1.2)
    if rng.random() < 0.65:
        strokes.append(_flourish(rng, 0.0, x, 0.0))
    angle = rng.normal(0.0, 0.06)
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    shear = np.array([[1.0, -slant], [0.0, 1.0]])
    placed = [(s @ shear.T @ rot.T) for s in strokes]
    allp = np.vstack(placed)
    lo = allp.min(axis=0)
    span = allp.max(axis=0) - lo
    unit = min((w * _SS - 8 * pen) / max(span[0], 1e-6), (h * _SS - 8 * pen) / max(span[1], 1e-6))
    unit *= rng.uniform(0.85, 1.0)
    offset = np.array([4 * pen, 4 * pen]) - lo * unit
    canvas = np.zeros((h * _SS, w * _SS), np.uint8)
    _draw_strokes(canvas, [p * unit + offset for p in placed], pen, rng)
    alpha = cv2.resize(canvas, (w, h), interpolation=cv2.INTER_AREA).astype(np.float32) / 255.0
    return _ink_pen(rng, alpha)


def _ink_pen(rng: np.random.Generator, alpha: Alpha) -> Alpha:
    """Ballpoint texture: ink density drifts along the strokes and skips a little."""
    density = 0.75 + 0.25 * _lowfreq(rng, alpha.shape[:2], 8)
    return (alpha * density * rng.uniform(0.85, 1.0)).clip(0.0, 1.0).astype(np.float32)


# --- stamps ------------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _polar(diameter: int) -> tuple[Alpha, Alpha]:
    """Radius (pixels) and clockwise angle from 12 o'clock (turns, 0..1) of every stamp pixel."""
    c = (diameter - 1) / 2.0
    yy, xx = np.mgrid[0:diameter, 0:diameter].astype(np.float32) - np.float32(c)
    rho = np.hypot(xx, yy).astype(np.float32)
    turns = (np.mod(np.arctan2(xx, -yy), 2 * np.pi) / (2 * np.pi)).astype(np.float32)
    rho.flags.writeable = False
    turns.flags.writeable = False
    return rho, turns


@lru_cache(maxsize=4096)
def _glyph(font: str, size_px: int, char: str) -> tuple[npt.NDArray[np.uint8], int, int, float]:
    """A rendered character: its coverage, offset from the pen position, and advance width."""
    face = load_font(font, size_px)
    x0, y0, x1, y1 = (int(v) for v in face.getbbox(char))
    canvas = Image.new("L", (max(1, x1 - x0), max(1, y1 - y0)), 0)
    ImageDraw.Draw(canvas).text((-x0, -y0), char, fill=255, font=face)
    mask = np.asarray(canvas, dtype=np.uint8)
    mask.flags.writeable = False
    return mask, x0, y0, face.getlength(char)


def _stamp_glyph(
    strip: npt.NDArray[np.uint8], char: str, font: str, size: int, x: float, y: float
) -> None:
    """Press ``char`` into ``strip`` at pen position (x, y), wrapping around its width."""
    mask, dx, dy, _ = _glyph(font, size, char)
    h, w = strip.shape
    gh, gw = mask.shape
    top = int(round(y)) + dy
    for left in (int(round(x)) % w + dx, int(round(x)) % w + dx - w):
        x0, y0 = max(0, left), max(0, top)
        x1, y1 = min(w, left + gw), min(h, top + gh)
        if x1 > x0 and y1 > y0:
            region = strip[y0:y1, x0:x1]
            np.maximum(region, mask[y0 - top : y1 - top, x0 - left : x1 - left], out=region)


def _ring_text(
    rng: np.random.Generator, text: str, diameter: int, r_outer: float, r_inner: float, font: str
) -> Alpha:
    """``text`` in capitals around the ring between ``r_inner`` and ``r_outer``.

    The text is set on a straight strip and bent onto the ring: the strip's top row lands on the
    outer radius and its x runs clockwise from 12 o'clock, so letters stand upright with their
    tops outwards. Short texts are centred on the top arc between two stars; long ones run all
    the way round, spaced to close the circle with one star, smaller if they would not fit.
    """
    if not text.strip():
        return np.zeros((diameter, diameter), np.float32)
    strip_w = int(np.pi * (r_outer + r_inner))
    strip_h = max(4, int(round(r_outer - r_inner)))
    text = " ".join(text.upper().split())
    size = max(6, int(strip_h * 0.98))
    natural = sum(_glyph(font, size, ch)[3] for ch in text) + size * 2.0
    if natural > strip_w * 0.98:
        size = max(5, int(size * strip_w * 0.98 / natural))
    advances = [_glyph(font, size, ch)[3] for ch in text]
    cap = _glyph(font, size, "H")
    y = (strip_h - cap[0].shape[0]) / 2 - cap[2]
    sep = size * 0.8
    natural = sum(advances)
    if natural > strip_w * 0.55:
        tracking = (strip_w - natural - sep - size * 0.8) / max(1, len(text))
        x = rng.uniform(0, strip_w)
        stars = [x + natural + tracking * len(text) + size * 0.4]
    else:
        tracking = size * rng.uniform(0.03, 0.15)
        span = natural + tracking * len(text)
        x = -span / 2
        stars = [x - sep - size * 0.3, x + span + size * 0.3]
    strip = np.zeros((strip_h, strip_w), np.uint8)
    for char, advance in zip(text, advances, strict=True):
        _stamp_glyph(strip, char, font, size, x, y)
        x += advance + tracking
    for sx in stars:
        for wrap in (sx % strip_w, sx % strip_w - strip_w):
            star = _star((wrap + sep / 2, strip_h / 2), sep * 0.45, 5, 0.42, 0.0)
            cv2.fillPoly(strip, [_fixed(star)], 255, cv2.LINE_AA, _SHIFT)
    rho, turns = _polar(diameter)
    map_x = turns * np.float32(strip_w)
    map_y = (np.float32(r_outer) - rho) * np.float32(strip_h / (r_outer - r_inner))
    bent = cv2.remap(strip, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    return np.asarray(bent, np.float32) * np.float32(1 / 255.0)


def _star(centre: tuple[float, float], r: float, points: int, inner: float, rot: float) -> Points:
    k = np.arange(points * 2)
    radius = np.where(k % 2 == 0, r, r * inner)
    ang = rot - np.pi / 2 + k * np.pi / points
    return np.column_stack([centre[0] + radius * np.cos(ang), centre[1] + radius * np.sin(ang)])


def _emblem(rng: np.random.Generator, canvas: npt.NDArray[np.uint8], c: float, r: float) -> None:
    """A coat-of-arms-like geometric centre: star, shield, wreath or sunburst, within radius r."""
    line = max(1, int(round(r * 0.05)))
    kind = rng.integers(4)
    if kind == 0:
        cv2.fillPoly(
            canvas, [_fixed(_star((c, c), r * 0.8, 5, 0.4, 0.0))], 255, cv2.LINE_AA, _SHIFT
        )
    elif kind == 1:
        w, top, bottom = r * 0.62, c - r * 0.7, c + r * 0.85
        t = np.linspace(0, 1, 24)
        left = np.column_stack([c - w + 0 * t, top + (bottom - top) * 0.45 * t])
        curve = np.column_stack([c - w * np.cos(t * np.pi / 2), c + r * 0.1 + r * 0.75 * t**0.8])
        shield = np.vstack([left, curve, (curve * [-1, 1] + [2 * c, 0])[::-1], [[c + w, top]]])
        cv2.polylines(canvas, [_fixed(shield)], True, 255, line + 1, cv2.LINE_AA, _SHIFT)
        division = rng.integers(3)
        if division == 0:
            mid = c + r * 0.05
            cross = [np.array([[c, top], [c, bottom]]), np.array([[c - w, mid], [c + w, mid]])]
            cv2.polylines(canvas, [_fixed(p) for p in cross], False, 255, line, cv2.LINE_AA, _SHIFT)
        elif division == 1:
            chevron = np.array([[c - w, c + r * 0.4], [c, c - r * 0.15], [c + w, c + r * 0.4]])
            cv2.polylines(canvas, [_fixed(chevron)], False, 255, line * 2, cv2.LINE_AA, _SHIFT)
        star = _star((c, c - r * 0.25), r * 0.22, 5, 0.4, 0.0)
        cv2.fillPoly(canvas, [_fixed(star)], 255, cv2.LINE_AA, _SHIFT)
        for dx in (-0.35, 0.0, 0.35):
            crown = _star((c + dx * r, top - r * 0.1), r * 0.1, 3, 0.45, 0.0)
            cv2.fillPoly(canvas, [_fixed(crown)], 255, cv2.LINE_AA, _SHIFT)
    elif kind == 2:
        cv2.fillPoly(canvas, [_fixed(_star((c, c), r * 0.42, 5, 0.4, 0.0))], 255, 16, _SHIFT)
        for side in (-1, 1):
            for k in range(9):
                ang = np.pi / 2 + side * (0.35 + k * 0.27)
                px, py = c + r * 0.75 * np.cos(ang), c + r * 0.75 * np.sin(ang)
                axes = (max(1, int(r * 0.13)), max(1, int(r * 0.055)))
                deg = float(np.degrees(ang) + 90 + side * 25)
                cv2.ellipse(canvas, (int(px), int(py)), axes, deg, 0, 360, 255, -1, cv2.LINE_AA)
    else:
        rays = int(rng.integers(12, 24))
        for a in np.arange(rays) * (2 * np.pi / rays):
            seg = np.array([[c + r * 0.35 * np.cos(a), c + r * 0.35 * np.sin(a)]])
            seg = np.vstack([seg, [[c + r * 0.8 * np.cos(a), c + r * 0.8 * np.sin(a)]]])
            fixed = _fixed(seg)
            cv2.line(canvas, tuple(fixed[0]), tuple(fixed[1]), 255, line, cv2.LINE_AA, _SHIFT)
        cv2.circle(canvas, (int(c), int(c)), max(1, int(r * 0.25)), 255, -1, cv2.LINE_AA)


def _text_line(
    canvas: npt.NDArray[np.uint8], text: str, font: str, centre: tuple[float, float], width: float
) -> None:
    """Draw ``text`` centred on ``centre``, shrunk to fit ``width`` pixels."""
    if not text:
        return
    size = max(6, int(width / max(1, len(text)) * 1.6))
    face = load_font(font, size)
    length = face.getlength(text)
    if length > width:
        size = max(6, int(size * width / length))
        face = load_font(font, size)
        length = face.getlength(text)
    bbox = face.getbbox(text)
    image = Image.fromarray(canvas)
    ImageDraw.Draw(image).text(
        (centre[0] - length / 2, centre[1] - (bbox[1] + bbox[3]) / 2), text, fill=255, font=face
    )
    canvas[:] = np.asarray(image)


def _stamp_ink(rng: np.random.Generator, alpha: Alpha, fade_angle: float | None) -> Alpha:
    """Rubber-stamp ink: uneven and tilted pressure, a fading side, speckle gaps, soft spread."""
    h, w = alpha.shape
    yy, xx = np.mgrid[-0.5:0.5:12j, -0.5:0.5:12j]
    pressure = 0.8 + 0.2 * rng.random((12, 12))
    tilt = rng.uniform(0, 2 * np.pi)
    pressure *= 1.0 + rng.uniform(0.1, 0.6) * (xx * np.cos(tilt) + yy * np.sin(tilt))
    if fade_angle is not None:
        towards = np.cos(np.arctan2(yy, xx) - fade_angle) * np.hypot(xx, yy) * 2
        pressure *= 1.0 - rng.uniform(0.3, 0.7) * np.clip(towards * 2 - 0.9, 0, 1)
    smooth = cv2.resize(pressure.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
    grain = rng.random((h, w), dtype=np.float32)
    holes = (grain < rng.uniform(0.003, 0.03)).astype(np.float32)
    specks = np.minimum(cv2.GaussianBlur(holes, (0, 0), 0.7) * 2.5, 1.0)
    coarse = rng.random((max(2, h // 6), max(2, w // 6)), dtype=np.float32)
    patches = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_LINEAR)
    starved = np.clip((rng.uniform(0.0, 0.3) - patches) * 6.0, 0.0, 0.7)
    spread = cv2.GaussianBlur(alpha, (0, 0), rng.uniform(0.4, 0.8))
    ink = np.minimum(spread * 1.3, 1.0) * smooth * (1.0 - 0.85 * specks) * (1.0 - starved)
    out: Alpha = np.clip(ink * rng.uniform(0.85, 1.0), 0.0, 1.0).astype(np.float32)
    return out


def draw_seal(
    rng: np.random.Generator, ring_text: str, centre_text: str, diameter_px: int
) -> Alpha:
    """A round official rubber stamp: double ring, capitals around it, an emblem in the middle.

    Args:
        rng: randomness of layout, emblem and ink.
        ring_text: printed in capitals around the ring (an authority's name).
        centre_text: a short line across the middle (a number or date); empty for none.
        diameter_px: the stamp's diameter D.

    Returns:
        (D, D) float32 ink alpha in [0, 1].
    """
    d = diameter_px
    c = (d - 1) / 2.0
    r = d / 2.0 - 1.5
    canvas = np.zeros((d, d), np.uint8)
    outer_w = max(1, int(round(d * rng.uniform(0.015, 0.03))))
    cv2.circle(canvas, (int(c * 16), int(c * 16)), int((r - outer_w / 2) * 16), 255, outer_w, 16, 4)
    inner_gap = outer_w * 1.5 + 1
    if rng.random() < 0.5:
        cv2.circle(
            canvas, (int(c * 16), int(c * 16)), int((r - outer_w - inner_gap) * 16), 255, 1, 16, 4
        )
        text_outer = r - outer_w - inner_gap - 2
    else:
        text_outer = r - outer_w - 2
    band = d * rng.uniform(0.12, 0.16)
    text_inner = text_outer - band
    font = _STAMP_FONTS[int(rng.integers(len(_STAMP_FONTS)))]
    ring = _ring_text(rng, ring_text, d, text_outer, text_inner, font)
    inner_r = text_inner - 2
    cv2.circle(
        canvas, (int(c * 16), int(c * 16)), int(inner_r * 16), 255, max(1, outer_w - 1), 16, 4
    )
    emblem_r = inner_r * 0.8
    if centre_text:
        _emblem(rng, canvas, c, emblem_r * 0.55)
        _text_line(canvas, centre_text, font, (c, c + emblem_r * 0.62), emblem_r * 1.3)
    else:
        _emblem(rng, canvas, c, emblem_r)
    alpha = np.maximum(canvas.astype(np.float32) / 255.0, ring)
    fade = rng.uniform(-np.pi, np.pi) if rng.random() < 0.6 else None
    return _stamp_ink(rng, alpha, fade)


def draw_rect_stamp(
    rng: np.random.Generator, lines: tuple[str, ...], size: tuple[int, int]
) -> Alpha:
    """A rectangular notary-style stamp: a (double) border around centred lines of capitals.

    Args:
        rng: randomness of border, font and ink.
        lines: text lines, the first printed in bold (the office), the rest regular.
        size: (w, h) of the stamp.

    Returns:
        (h, w) float32 ink alpha in [0, 1].
    """
    w, h = size
    canvas = np.zeros((h, w), np.uint8)
    line = max(1, int(round(min(w, h) * rng.uniform(0.02, 0.035))))
    inset = line / 2 + 1
    box = np.array([[inset, inset], [w - 1 - inset, inset], [w - 1 - inset, h - 1 - inset]])
    box = np.vstack([box, [[inset, h - 1 - inset]]])
    cv2.polylines(canvas, [_fixed(box)], True, 255, line, cv2.LINE_AA, _SHIFT)
    margin = line + 3
    if rng.random() < 0.5:
        gap = line + 2
        inner = box + np.array([[gap, gap], [-gap, gap], [-gap, -gap], [gap, -gap]])
        cv2.polylines(canvas, [_fixed(inner)], True, 255, 1, cv2.LINE_AA, _SHIFT)
        margin += gap
    bold = _STAMP_FONTS[int(rng.integers(2))]
    regular = "NimbusSans-Regular.otf" if rng.random() < 0.7 else "LiberationSans-Regular.ttf"
    texts = [t.upper() if i == 0 else t for i, t in enumerate(lines) if t]
    if texts:
        step = (h - 2 * margin) / len(texts)
        for i, text in enumerate(texts):
            cy = margin + step * (i + 0.5)
            width = min(w - 2 * margin - 2, step * 0.8 * len(text) / 1.6 * 1.2)
            _text_line(canvas, text, bold if i == 0 else regular, (w / 2, cy), width)
    angle = rng.normal(0.0, 1.0)
    rot = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 0.97)
    turned = cv2.warpAffine(canvas, rot, (w, h), flags=cv2.INTER_LINEAR)
    return _stamp_ink(rng, turned.astype(np.float32) / 255.0, None)
