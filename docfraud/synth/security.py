"""Security printing: the pre-printed backgrounds of travel documents and the overlays on them.

Real data pages are offset-printed before personalisation with fine-line patterns that are hard
to copy: guilloche waves and rope bands, rosettes, a split-fountain ("rainbow") tint, microprint
rows that read as a plain line at capture resolution, a void pantograph screen and a faint
coat-of-arms watermark. After personalisation a laminate (or a polycarbonate surface) adds a
specular sheen and a holographic overlay adds iridescent, translucent emblems.

Patterns are drawn as (H, W) float32 alpha masks with anti-aliased 1-px lines, so they stay fine
at 8 px/mm and blur into tints when a capture is down-sampled. Everything is a pure function of
its arguments and of a seeded generator; :func:`security_background` is cached, because every
copy of a design carries the same pre-print (only registration and ink density vary, which
:func:`print_variation` adds per copy).
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docfraud.synth.ink import load_font
from docfraud.types import Box

Rgb = tuple[int, int, int]
Alpha = npt.NDArray[np.float32]
"""(H, W) float32 ink coverage in [0, 1]."""
FloatRgb = npt.NDArray[np.float32]
"""(H, W, 3) float32 RGB in [0, 1]."""

MICROPRINT_FONT = "NimbusSans-Bold.otf"
SS = 4
"""Supersampling factor for emblems: drawn 4x larger (at most 800 px), then area-averaged."""


@dataclass(frozen=True, slots=True)
class ColourScheme:
    """The inks of one document design.

    Attributes:
        paper: base substrate colour.
        fountain: split-fountain tint stops, left to right (light colours, 2 or 3).
        inks: fine-line inks of the guilloche and rosettes (2 or 3).
        text: personalisation ink (field values).
        label: pre-printed label ink.
        accent: title, emblem and header band ink.
    """

    paper: Rgb
    fountain: tuple[Rgb, ...]
    inks: tuple[Rgb, ...]
    text: Rgb
    label: Rgb
    accent: Rgb


@dataclass(frozen=True, slots=True)
class BackgroundRecipe:
    """What the pre-print of one document side is made of (positions in mm).

    Attributes:
        seed: seeds every random choice of the design (line phases, petal counts ...).
        wave_families: full-page families of sinusoidal lines (0-3); two or more make moiré.
        wave_pitch_mm: distance between neighbouring lines of a family.
        wave_opacity: ink coverage of the wave lines.
        ropes_mm: vertical centres of horizontal guilloche rope bands.
        rope_height_mm: height of each rope band.
        rosettes_mm: (cx, cy, radius) of each rosette.
        pantograph: a fine void-pantograph dot screen with a hidden word.
        microprint: the microprint text (empty: none).
        microprint_rows_mm: vertical positions of horizontal microprint rows.
        microprint_frame_mm: inset of a microprint frame along all four edges (None: none).
        emblem_seed: seed of the coat of arms used for the emblem and the watermark.
        emblem_mm: (cx, cy, diameter) of the printed coat of arms (None: none).
        watermark_mm: (cx, cy, diameter) of a faint, large coat of arms (None: none).
        header_mm: height of an accent-tinted header band along the top (0: none).
        fibres: number of visible coloured security fibres.
    """

    seed: int
    wave_families: int = 2
    wave_pitch_mm: float = 0.8
    wave_opacity: float = 0.4
    ropes_mm: tuple[float, ...] = ()
    rope_height_mm: float = 6.0
    rosettes_mm: tuple[tuple[float, float, float], ...] = ()
    pantograph: bool = True
    microprint: str = ""
    microprint_rows_mm: tuple[float, ...] = ()
    microprint_frame_mm: float | None = None
    emblem_seed: int = 0
    emblem_mm: tuple[float, float, float] | None = None
    watermark_mm: tuple[float, float, float] | None = None
    header_mm: float = 0.0
    fibres: int = 30


@dataclass(frozen=True, slots=True)
class Overlay:
    """A translucent layer over a printed page: ``rgb = rgb * (1 - alpha) + colour * alpha``.

    Attributes:
        box: where it lies, (x, y, w, h) page pixels.
        alpha: (h, w) float32 opacity.
        colour: (h, w, 3) uint8 RGB of the layer.
    """

    box: Box
    alpha: Alpha
    colour: npt.NDArray[np.uint8]


def _polylines(
    canvas: npt.NDArray[np.uint8], curves: list[npt.NDArray[np.float64]], thickness: int = 1
) -> None:
    """Draw (N, 2) float point arrays as anti-aliased lines with sub-pixel (1/16 px) precision."""
    pts = [np.round(c * 16).astype(np.int32) for c in curves]
    cv2.polylines(canvas, pts, False, 255, thickness, cv2.LINE_AA, 4)


def _to_alpha(canvas: npt.NDArray[np.uint8], opacity: float) -> Alpha:
    return canvas.astype(np.float32) * np.float32(opacity / 255.0)


def wave_lines(
    rng: np.random.Generator, size: tuple[int, int], pitch_px: float, opacity: float = 0.4
) -> Alpha:
    """One full-page family of parallel sinusoidal guilloche lines.

    Each line is the sum of two sines whose phase drifts from line to line, so neighbouring
    lines converge and part like real guilloche; two families at different tilts make moiré.

    Args:
        rng: seeded generator (phases, amplitudes, tilt).
        size: (width, height) in px.
        pitch_px: distance between neighbouring lines.
        opacity: ink coverage of a line.

    Returns:
        (H, W) alpha.
    """
    w, h = size
    canvas = np.zeros((h, w), np.uint8)
    tilt = rng.uniform(-0.35, 0.35)
    lam1, lam2 = rng.uniform(0.25, 0.6) * w, rng.uniform(0.05, 0.12) * w
    amp1, amp2 = rng.uniform(1.5, 4.0) * pitch_px, rng.uniform(0.3, 1.0) * pitch_px
    drift1, drift2 = rng.uniform(0.02, 0.12), rng.uniform(-0.3, 0.3)
    phase1, phase2 = rng.uniform(0, 2 * np.pi, 2)
    margin = abs(np.tan(tilt)) * w + amp1 + amp2 + pitch_px
    x = np.arange(-8.0, w + 8.0, 3.0)
    curves = []
    for i in range(int((h + 2 * margin) / pitch_px) + 1):
        y0 = -margin + i * pitch_px
        y = (
            y0
            + np.tan(tilt) * (x - w / 2)
            + amp1 * np.sin(2 * np.pi * x / lam1 + phase1 + i * drift1)
            + amp2 * np.sin(2 * np.pi * x / lam2 + phase2 + i * drift2)
        )
        curves.append(np.stack([x, y], axis=1))
    _polylines(canvas, curves)
    return _to_alpha(canvas, opacity)


def rope_band(
    rng: np.random.Generator,
    size: tuple[int, int],
    y_px: float,
    height_px: float,
    opacity: float = 0.6,
) -> Alpha:
    """A horizontal guilloche rope: phase-shifted strands under a swelling envelope.

    Args:
        rng: seeded generator (strand count, wavelengths).
        size: (width, height) in px.
        y_px: centre line of the band.
        height_px: full height of the band.
        opacity: ink coverage.

    Returns:
        (H, W) alpha.
    """
    w, h = size
    canvas = np.zeros((h, w), np.uint8)
    strands = int(rng.integers(8, 18))
    lam = rng.uniform(0.025, 0.06) * w
    envelope_lam = rng.uniform(0.15, 0.35) * w
    x = np.arange(-4.0, w + 4.0, 1.5)
    envelope = height_px / 2 * (0.55 + 0.45 * np.cos(2 * np.pi * x / envelope_lam))
    curves = []
    for j in range(strands):
        phase = 2 * np.pi * j / strands
        y = y_px + envelope * np.sin(2 * np.pi * x / lam + phase)
        curves.append(np.stack([x, y], axis=1))
        inner = y_px + 0.45 * envelope * np.sin(2 * np.pi * x / (lam * 0.5) - phase)
        curves.append(np.stack([x, inner], axis=1))
    _polylines(canvas, curves)
    return _to_alpha(canvas, opacity)


def rosette(
    rng: np.random.Generator,
    size: tuple[int, int],
    centre_px: tuple[float, float],
    radius_px: float,
    opacity: float = 0.55,
) -> Alpha:
    """A guilloche rosette: rotated copies of an epitrochoid-modulated rose curve.

    Args:
        rng: seeded generator (petals, copies, modulation).
        size: (width, height) in px.
        centre_px: centre of the rosette.
        radius_px: outer radius.
        opacity: ink coverage.

    Returns:
        (H, W) alpha.
    """
    w, h = size
    canvas = np.zeros((h, w), np.uint8)
    petals = int(rng.integers(7, 19))
    copies = int(rng.integers(10, 26))
    inner = rng.uniform(0.25, 0.5)
    wobble = int(rng.integers(2, 6)) * petals
    t = np.linspace(0, 2 * np.pi, max(400, int(radius_px * 12)))
    curves = []
    for k in range(copies):
        rot = 2 * np.pi * k / (copies * petals)
        rho = radius_px * (
            inner + (1 - inner) * (0.5 + 0.5 * np.cos(petals * (t + rot))) ** 1.5
        ) + radius_px * 0.04 * np.sin(wobble * t)
        curves.append(np.stack([centre_px[0] + rho * np.cos(t), centre_px[1] + rho * np.sin(t)], 1))
    for ring in (inner * 0.9, inner * 0.55):
        rho = radius_px * ring * (1 + 0.06 * np.cos(2 * petals * t))
        curves.append(np.stack([centre_px[0] + rho * np.cos(t), centre_px[1] + rho * np.sin(t)], 1))
    _polylines(canvas, curves)
    return _to_alpha(canvas, opacity)


def pantograph(
    rng: np.random.Generator, size: tuple[int, int], word: str = "VOID", opacity: float = 0.16
) -> Alpha:
    """A void pantograph: a fine dot screen hiding a word drawn in a line screen of equal tone.

    At print resolution the word is nearly invisible; a copier or a blurred capture shows it as
    a faint tone change, as on real documents.

    Args:
        rng: seeded generator (screen phase, word placement).
        size: (width, height) in px.
        word: the hidden word.
        opacity: ink coverage of a screen element.

    Returns:
        (H, W) alpha.
    """
    w, h = size
    pitch = 4
    ox, oy = (int(v) for v in rng.integers(0, pitch, 2))
    yy, xx = np.ogrid[:h, :w]
    dots = ((xx + ox) % pitch < 2) & ((yy + oy) % pitch < 2)
    dashes = ((yy + oy) % pitch == 0) & np.ones((1, w), bool)
    font = load_font("NimbusSans-Bold.otf", max(12, h // 5))
    tile_w = int(font.getlength(word + "  "))
    tile = Image.new("L", (tile_w, int(h // 5 * 1.6)), 0)
    ImageDraw.Draw(tile).text((0, 0), word, fill=255, font=font)
    reps = (h // tile.height + 2, w // tile_w + 2)
    word_mask = np.tile(np.asarray(tile) > 127, reps)
    sx, sy = int(rng.integers(0, tile_w)), int(rng.integers(0, tile.height))
    word_mask = word_mask[sy : sy + h, sx : sx + w]
    screen = np.where(word_mask, dashes, dots)
    return screen.astype(np.float32) * np.float32(opacity)


@lru_cache(maxsize=64)
def microprint_row(text: str, height_px: int, length_px: int) -> Alpha:
    """A row of repeated microtext ``height_px`` tall (about 0.6 mm), ``length_px`` long.

    At 8 px/mm the glyphs are barely formed and a capture blurs them into a dotted line,
    which is what microprint looks like to a camera. Cached; do not modify the result.

    Returns:
        (height_px, length_px) alpha.
    """
    font = load_font(MICROPRINT_FONT, max(4, round(height_px * 1.35)))
    unit = text + " "
    unit_w = max(1, int(np.ceil(font.getlength(unit))))
    canvas = Image.new("L", (unit_w, height_px + 4), 0)
    ImageDraw.Draw(canvas).text((0, -1), unit, fill=255, font=font)
    tile = np.asarray(canvas, dtype=np.float32)[:height_px] / 255.0
    row = np.tile(tile, (1, length_px // unit_w + 1))[:, :length_px]
    row = np.ascontiguousarray(row)
    row.flags.writeable = False
    return row


def _star(cx: float, cy: float, r_out: float, r_in: float, points: int) -> npt.NDArray[np.int32]:
    t = np.pi / 2 + np.arange(2 * points) * np.pi / points
    r = np.where(np.arange(2 * points) % 2 == 0, r_out, r_in)
    return np.stack([cx + r * np.cos(t), cy - r * np.sin(t)], 1).astype(np.int32)


def _shield(cx: float, top: float, half_w: float, height: float) -> npt.NDArray[np.int32]:
    """A heater shield: flat top, straight sides, curved flanks meeting in a point."""
    t = np.linspace(0, 1, 24)
    side = top + height * 0.45
    right = np.stack(
        [cx + half_w * np.cos(t * np.pi / 2), side + (top + height - side) * np.sin(t * np.pi / 2)],
        1,
    )
    left = right[::-1] * [-1, 1] + [2 * cx, 0]
    pts = np.vstack([[[cx - half_w, top], [cx + half_w, top]], right, left])
    return pts.astype(np.int32)


@lru_cache(maxsize=32)
def emblem(seed: int, diameter_px: int) -> Alpha:
    """A procedural coat of arms: shield with a divided field, a charge, a crown, a wreath.

    Args:
        seed: chooses the design; the same seed always gives the same arms.
        diameter_px: side of the square result.

    Returns:
        (D, D) alpha, cached (do not modify).
    """
    rng = np.random.default_rng(seed)
    s = diameter_px * max(1, min(SS, 800 // diameter_px))
    c = np.zeros((s, s), np.uint8)
    cx = s / 2
    lw = max(1, s // 90)
    top, half_w, height = s * 0.3, s * 0.22, s * 0.5
    shield = _shield(cx, top, half_w, height)
    cv2.polylines(c, [shield], True, 255, lw * 2, cv2.LINE_AA)
    inner = np.zeros_like(c)
    cv2.fillPoly(inner, [shield], 255)
    inner = np.asarray(cv2.erode(inner, np.ones((lw * 5, lw * 5), np.uint8)), np.uint8)
    hatch = np.zeros_like(c)
    step = max(3, s // 60)
    division = int(rng.integers(0, 4))
    if division == 0:  # per pale: the dexter half hatched vertically
        hatch[:, : int(cx) : 1][:, ::step] = 255
    elif division == 1:  # per fess: the chief hatched horizontally
        hatch[: int(top + height * 0.4) : step, :] = 255
    elif division == 2:  # chevron
        yy, xx = np.ogrid[:s, :s]
        band = np.abs(yy - (top + height * 0.75 - np.abs(xx - cx) * 0.9)) < height * 0.09
        hatch[band & (xx % step == 0)] = 255
    else:  # quartered
        yy, xx = np.ogrid[:s, :s]
        quarter = (xx < cx) == (yy < top + height * 0.45)
        hatch[quarter & ((xx + yy) % step == 0)] = 255
    c = np.maximum(c, hatch & inner)
    charge = int(rng.integers(0, 3))
    ccy = top + height * 0.42
    if charge == 0:
        points = int(rng.integers(5, 9))
        cv2.fillPoly(c, [_star(cx, ccy, half_w * 0.55, half_w * 0.22, points)], 255, cv2.LINE_AA)
    elif charge == 1:  # a tower
        tw, th = half_w * 0.6, height * 0.42
        x0, y0 = int(cx - tw / 2), int(ccy - th / 2)
        cv2.rectangle(c, (x0, y0), (int(cx + tw / 2), int(ccy + th / 2)), 255, -1)
        for k in range(3):
            bx = int(x0 + k * tw / 2.5)
            cv2.rectangle(c, (bx, int(y0 - th * 0.18)), (int(bx + tw / 5), y0), 255, -1)
        cv2.ellipse(c, (int(cx), int(ccy + th / 2)), (int(tw / 5), int(th / 4)), 0, 180, 360, 0, -1)
    else:  # a displayed bird: body and two fanned wings
        cv2.ellipse(
            c, (int(cx), int(ccy)), (int(half_w * 0.14), int(height * 0.2)), 0, 0, 360, 255, -1
        )
        cv2.circle(c, (int(cx), int(ccy - height * 0.24)), int(half_w * 0.1), 255, -1)
        for sign in (-1, 1):
            for k in range(5):
                ang = np.deg2rad(-75 + k * 18)
                reach = half_w * (0.8 - 0.07 * k)
                tip = (cx + sign * reach * np.cos(ang), ccy - height * 0.04 + reach * np.sin(ang))
                feather = np.array([[cx, ccy - height * 0.1], tip, [cx, ccy + height * 0.02]])
                cv2.fillPoly(c, [feather.astype(np.int32)], 255, cv2.LINE_AA)
        tail = np.array(
            [
                [cx, ccy],
                [cx - half_w * 0.3, ccy + height * 0.32],
                [cx + half_w * 0.3, ccy + height * 0.32],
            ]
        )
        cv2.fillPoly(c, [tail.astype(np.int32)], 255, cv2.LINE_AA)
    crown_y = top - s * 0.035
    cv2.rectangle(
        c, (int(cx - half_w * 0.6), int(crown_y)), (int(cx + half_w * 0.6), int(top - lw)), 255, -1
    )
    spikes = int(rng.choice([3, 5]))
    for k in range(spikes):
        px = cx - half_w * 0.6 + k * (1.2 * half_w) / (spikes - 1)
        tri = np.array(
            [[px - s * 0.02, crown_y], [px, crown_y - s * 0.07], [px + s * 0.02, crown_y]]
        )
        cv2.fillPoly(c, [tri.astype(np.int32)], 255, cv2.LINE_AA)
        cv2.circle(c, (int(px), int(crown_y - s * 0.08)), max(2, s // 90), 255, -1, cv2.LINE_AA)
    if rng.random() < 0.6:  # laurel wreath: two stems rising from the base, leaves in pairs
        r, cy = s * 0.41, s * 0.5
        for sign in (-1, 1):
            phi = np.linspace(0.12 * np.pi, 0.78 * np.pi, 12)
            stem = np.stack([cx + sign * r * np.sin(phi), cy + r * np.cos(phi)], 1)
            cv2.polylines(c, [stem.astype(np.int32)], False, 255, lw, cv2.LINE_AA)
            for f in phi[1:]:
                px, py = cx + sign * r * np.sin(f), cy + r * np.cos(f)
                along = np.rad2deg(np.arctan2(-np.sin(f), sign * np.cos(f)))
                for turn in (-40, 40):
                    rad = np.deg2rad(along + turn)
                    centre = (int(px + s * 0.03 * np.cos(rad)), int(py + s * 0.03 * np.sin(rad)))
                    axes = (int(s * 0.032), int(s * 0.012))
                    cv2.ellipse(c, centre, axes, float(along + turn), 0, 360, 255, -1, cv2.LINE_AA)
    else:  # sunburst ring
        t = np.linspace(0, 2 * np.pi, 72, endpoint=False)
        for a in t:
            p0 = (int(cx + s * 0.38 * np.cos(a)), int(s / 2 + s * 0.38 * np.sin(a)))
            p1 = (int(cx + s * 0.46 * np.cos(a)), int(s / 2 + s * 0.46 * np.sin(a)))
            cv2.line(c, p0, p1, 255, lw, cv2.LINE_AA)
    small = cv2.resize(c, (diameter_px, diameter_px), interpolation=cv2.INTER_AREA)
    alpha: Alpha = np.asarray(small, np.float32) / np.float32(255.0)
    alpha.flags.writeable = False
    return alpha


def fountain(size: tuple[int, int], stops: tuple[Rgb, ...], angle: float = 0.0) -> FloatRgb:
    """A split-fountain (rainbow) colour ramp across the page.

    Args:
        size: (width, height) in px.
        stops: colours spread evenly along the ramp.
        angle: ramp direction in radians (0: left to right).

    Returns:
        (H, W, 3) float32 RGB in [0, 1].
    """
    w, h = size
    lw, lh = max(2, w // 8), max(2, h // 8)  # a smooth ramp: computed small, then upsampled
    yy, xx = np.ogrid[:lh, :lw]
    u = (xx * np.cos(angle) + yy * np.sin(angle) * (h / lh) / (w / lw)).astype(np.float32)
    u = (u - u.min()) / max(1e-6, float(u.max() - u.min()))
    pos = np.linspace(0, 1, len(stops))
    cols = np.asarray(stops, dtype=np.float32) / 255.0
    small = np.stack([np.interp(u, pos, cols[:, ch]) for ch in range(3)], axis=2)
    return np.asarray(
        cv2.resize(small.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR), np.float32
    )


def paper(rng: np.random.Generator, size: tuple[int, int], scheme: ColourScheme) -> FloatRgb:
    """The substrate: paper colour under a light split-fountain tint, with soft mottle.

    Returns:
        (H, W, 3) float32 RGB in [0, 1].
    """
    w, h = size
    base = np.asarray(scheme.paper, dtype=np.float32) / 255.0
    tint = fountain(size, scheme.fountain, float(rng.uniform(-0.3, 0.3)))
    rgb = base * (0.55 + 0.45 * tint)
    coarse = rng.normal(0, 1, (max(2, h // 24), max(2, w // 24))).astype(np.float32)
    mottle = cv2.resize(coarse, (w, h), interpolation=cv2.INTER_CUBIC)
    rgb *= (1.0 + 0.008 * mottle)[..., None]
    return rgb


def fibres(rng: np.random.Generator, size: tuple[int, int], count: int) -> Alpha:
    """Short curved security fibres scattered in the substrate (drawn in red and blue)."""
    w, h = size
    canvas = np.zeros((h, w), np.uint8)
    curves = []
    for _ in range(count):
        x0, y0 = rng.uniform(0, w), rng.uniform(0, h)
        ang, bend, length = rng.uniform(0, np.pi), rng.uniform(-0.1, 0.1), rng.uniform(8, 24)
        t = np.linspace(0, length, 8)
        curves.append(
            np.stack([x0 + t * np.cos(ang + bend * t), y0 + t * np.sin(ang + bend * t)], 1)
        )
    _polylines(canvas, curves)
    return _to_alpha(canvas, 0.5)


def _print(
    rgb: FloatRgb, alpha: Alpha, colour: Rgb | FloatRgb, xy: tuple[int, int] = (0, 0)
) -> None:
    """Multiply ink of ``colour`` into ``rgb`` (float, in place) where ``alpha`` covers it."""
    h, w = rgb.shape[:2]
    rows = np.flatnonzero(alpha.any(axis=1))
    cols = np.flatnonzero(alpha.any(axis=0))
    if rows.size == 0:
        return
    x, y = xy[0] + int(cols[0]), xy[1] + int(rows[0])
    alpha = alpha[rows[0] : rows[-1] + 1, cols[0] : cols[-1] + 1]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(w, x + alpha.shape[1]), min(h, y + alpha.shape[0])
    if x1 <= x0 or y1 <= y0:
        return
    a = alpha[y0 - y : y1 - y, x0 - x : x1 - x, None]
    if isinstance(colour, tuple):
        tint: npt.NDArray[np.float32] = np.asarray(colour, dtype=np.float32) / 255.0
    else:
        tint = colour[y0:y1, x0:x1]
    rgb[y0:y1, x0:x1] *= 1.0 - a * (1.0 - tint)


def _microprint_frame(rgb: FloatRgb, text: str, inset: int, hpx: int, colour: Rgb) -> None:
    h, w = rgb.shape[:2]
    horizontal = microprint_row(text, hpx, w - 2 * inset)
    vertical = np.ascontiguousarray(np.rot90(microprint_row(text, hpx, h - 2 * inset)))
    _print(rgb, horizontal, colour, (inset, inset))
    _print(rgb, horizontal[::-1, ::-1], colour, (inset, h - inset - hpx))
    _print(rgb, vertical, colour, (inset, inset))
    _print(rgb, vertical[::-1, ::-1], colour, (w - inset - hpx, inset))


@lru_cache(maxsize=64)
def security_background(
    recipe: BackgroundRecipe, scheme: ColourScheme, size: tuple[int, int], px_per_mm: float
) -> npt.NDArray[np.uint8]:
    """The complete pre-print of one document side, before any text or personalisation.

    Args:
        recipe: the design; ``recipe.seed`` seeds every random choice.
        scheme: the inks.
        size: (width, height) in px.
        px_per_mm: resolution, for converting the recipe's millimetres.

    Returns:
        (H, W, 3) uint8 RGB, cached and read-only (copy before printing on it).
    """
    rng = np.random.default_rng(recipe.seed)
    w, h = size
    mm = px_per_mm
    rgb = paper(rng, size, scheme)
    inks = scheme.inks
    if recipe.header_mm > 0:
        band = np.zeros((h, w), np.float32)
        hh = int(recipe.header_mm * mm)
        band[:hh] = np.linspace(0.22, 0.1, w, dtype=np.float32)[None, :]
        band[hh : hh + 3] = 0.35
        _print(rgb, band, scheme.accent)
    if recipe.pantograph:
        _print(rgb, pantograph(rng, size), inks[-1])
    ramp = fountain(size, (inks[0], inks[1 % len(inks)], inks[0]), float(rng.uniform(-0.6, 0.6)))
    for k in range(recipe.wave_families):
        pitch = recipe.wave_pitch_mm * mm * rng.uniform(0.85, 1.2)
        ink: Rgb | FloatRgb = ramp if k == 0 else inks[k % len(inks)]
        _print(rgb, wave_lines(rng, size, pitch, recipe.wave_opacity), ink)
    if recipe.watermark_mm is not None:
        cx, cy, d = recipe.watermark_mm
        dpx = int(d * mm)
        mark = emblem(recipe.emblem_seed, dpx) * np.float32(0.14)
        _print(rgb, mark, inks[0], (int(cx * mm - dpx / 2), int(cy * mm - dpx / 2)))
    for k, (cx, cy, r) in enumerate(recipe.rosettes_mm):
        alpha = rosette(rng, size, (cx * mm, cy * mm), r * mm)
        _print(rgb, alpha, inks[(k + 1) % len(inks)])
    for k, yc in enumerate(recipe.ropes_mm):
        alpha = rope_band(rng, size, yc * mm, recipe.rope_height_mm * mm)
        _print(rgb, alpha, inks[(k + 2) % len(inks)])
    if recipe.fibres:
        half = recipe.fibres // 2
        _print(rgb, fibres(rng, size, half), (205, 70, 90))
        _print(rgb, fibres(rng, size, recipe.fibres - half), (70, 110, 205))
    hpx = max(4, round(0.6 * mm))
    if recipe.microprint:
        for yc in recipe.microprint_rows_mm:
            row = microprint_row(recipe.microprint, hpx, w - int(8 * mm))
            _print(rgb, row, scheme.label, (int(4 * mm), int(yc * mm)))
        if recipe.microprint_frame_mm is not None:
            inset = int(recipe.microprint_frame_mm * mm)
            _microprint_frame(rgb, recipe.microprint, inset, hpx, scheme.accent)
    if recipe.emblem_mm is not None:
        cx, cy, d = recipe.emblem_mm
        dpx = int(d * mm)
        mark = emblem(recipe.emblem_seed, dpx) * np.float32(0.85)
        _print(rgb, mark, scheme.accent, (int(cx * mm - dpx / 2), int(cy * mm - dpx / 2)))
    out: npt.NDArray[np.uint8] = np.clip(rgb * 255.0 + 0.5, 0, 255).astype(np.uint8)
    out.flags.writeable = False
    return out


def print_variation(
    rng: np.random.Generator, pre_print: npt.NDArray[np.uint8], size: tuple[int, int]
) -> tuple[npt.NDArray[np.uint8], tuple[int, int]]:
    """One printed copy of a pre-print: the personalisation's registration against it.

    Args:
        rng: seeded generator.
        pre_print: (H + 2m, W + 2m, 3) uint8, a background rendered with a margin ``m``.
        size: (width, height) of the copy.

    Returns:
        A new (H, W, 3) uint8 RGB array, and how far (dx, dy) px the pre-print's content moved
        from its nominal place (so pre-printed labels can move with it).
    """
    w, h = size
    mx, my = pre_print.shape[1] - w, pre_print.shape[0] - h
    dx, dy = int(rng.integers(0, mx + 1)), int(rng.integers(0, my + 1))
    copy = np.ascontiguousarray(pre_print[dy : dy + h, dx : dx + w])
    return copy, (mx // 2 - dx, my // 2 - dy)


def laminate_sheen(
    rng: np.random.Generator, size: tuple[int, int], scheme: ColourScheme
) -> tuple[Overlay, ...]:
    """A soft diagonal specular band, as a laminate or polycarbonate surface shows under light.

    Args:
        rng: seeded generator (band position, angle, width, strength).
        size: (width, height) in px.
        scheme: the design's inks (the sheen is faintly tinted by the paper colour).

    Returns:
        The band as horizontal strips, each only as wide as the band is there (blending the
        whole page would cost several times more).
    """
    w, h = size
    sw, sh = max(2, w // 8), max(2, h // 8)
    yy, xx = np.mgrid[:sh, :sw].astype(np.float32)
    ang = rng.uniform(0.5, 1.1) * (1 if rng.random() < 0.5 else -1)
    u = xx * np.cos(ang) + yy * np.sin(ang)
    centre = rng.uniform(float(u.min()), float(u.max()))
    width = rng.uniform(0.08, 0.22) * sw
    strength = rng.uniform(0.08, 0.22)
    band = strength * np.exp(-0.5 * ((u - centre) / width) ** 2)
    band += strength * 0.25 * np.exp(-0.5 * ((u - centre - 2.2 * width) / (width * 0.4)) ** 2)
    alpha = np.asarray(
        cv2.resize(band.astype(np.float32), (w, h), interpolation=cv2.INTER_LINEAR), np.float32
    )
    tint = np.asarray(scheme.paper, dtype=np.float32)
    white = np.clip(255.0 - 0.15 * (255.0 - tint), 0, 255).astype(np.uint8)
    colour = _flat((int(white[0]), int(white[1]), int(white[2])), w, h)
    strips = []
    rows = 64
    for y in range(0, h, rows):
        visible = np.flatnonzero(alpha[y : y + rows].max(axis=0) > 1.0 / 255)
        if visible.size:
            x0, x1 = int(visible[0]), int(visible[-1]) + 1
            strip = alpha[y : y + rows, x0:x1]
            box = (x0, y, x1 - x0, strip.shape[0])
            strips.append(Overlay(box, strip, colour[y : y + rows, x0:x1]))
    return tuple(strips)


@lru_cache(maxsize=16)
def _flat(colour: Rgb, w: int, h: int) -> npt.NDArray[np.uint8]:
    """A read-only (h, w, 3) array of one colour (the sheen's), shared between calls."""
    out = np.empty((h, w, 3), np.uint8)
    out[:] = colour
    out.flags.writeable = False
    return out


@lru_cache(maxsize=32)
def _hologram_pattern(seed: int, w: int, h: int, motif_px: int) -> Alpha:
    """Staggered repeats of the emblem, each with a thin ring, over a (h, w) region."""
    mark = emblem(seed, motif_px)
    ring = np.zeros((motif_px, motif_px), np.uint8)
    cv2.circle(ring, (motif_px // 2, motif_px // 2), motif_px // 2 - 1, 255, 1, cv2.LINE_AA)
    motif = np.maximum(mark, ring.astype(np.float32) / 255.0)
    step = int(motif_px * 1.5)
    out = np.zeros((h + 2 * step, w + 2 * step), np.float32)
    for row, y in enumerate(range(0, h + step, step)):
        shift = (step // 2) * (row % 2)
        for x in range(shift, w + step, step):
            out[y : y + motif_px, x : x + motif_px] = np.maximum(
                out[y : y + motif_px, x : x + motif_px], motif
            )
    pattern = np.ascontiguousarray(out[step // 2 : step // 2 + h, step // 2 : step // 2 + w])
    pattern.flags.writeable = False
    return pattern


@lru_cache(maxsize=1)
def _hue_lut() -> npt.NDArray[np.uint8]:
    """256 saturated-but-light rainbow colours, the palette of a diffractive foil."""
    return np.asarray(
        [[round(255 * v) for v in colorsys.hsv_to_rgb(k / 256, 0.55, 1.0)] for k in range(256)],
        dtype=np.uint8,
    )


def hologram(
    rng: np.random.Generator,
    size: tuple[int, int],
    scheme: ColourScheme,
    box: Box,
    emblem_seed: int,
    motif_px: int,
) -> Overlay:
    """A holographic overlay: repeated emblems in an iridescent colour that shifts across it.

    The hue depends on position and on a random viewing angle, so two captures of the same
    document show different colours in the same place, as real diffractive foils do.

    Args:
        rng: seeded generator (viewing angle, strength).
        size: (width, height) of the page in px (the box is clipped to it).
        scheme: the design's inks (the film is faintly tinted by the accent colour).
        box: (x, y, w, h) region of the foil in px.
        emblem_seed: which coat of arms repeats in the foil.
        motif_px: diameter of one motif.

    Returns:
        The overlay over ``box``.
    """
    x, y, bw, bh = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(size[0], x + bw), min(size[1], y + bh)
    pattern = _hologram_pattern(emblem_seed, bw, bh, motif_px)[y0 - y : y1 - y, x0 - x : x1 - x]
    hh, ww = pattern.shape
    lo_h, lo_w = max(2, hh // 8), max(2, ww // 8)
    yy, xx = np.ogrid[:lo_h, :lo_w]
    angle = rng.uniform(0, 2 * np.pi)
    freq = rng.uniform(1.5, 3.5) / max(lo_h, lo_w)
    hue = (np.cos(angle) * xx + np.sin(angle) * yy) * freq * 256 + rng.uniform(0, 256)
    lut = _hue_lut().astype(np.float32) * 0.85 + np.asarray(scheme.accent, np.float32) * 0.15
    coarse = lut.astype(np.uint8)[hue.astype(np.int64) % 256]
    colour = np.asarray(cv2.resize(coarse, (ww, hh), interpolation=cv2.INTER_LINEAR), np.uint8)
    strength = np.float32(rng.uniform(0.12, 0.3))
    alpha = pattern * strength + np.float32(0.03)
    return Overlay((x0, y0, ww, hh), alpha, colour)


def apply_overlay(overlay: Overlay, *targets: npt.NDArray[np.uint8]) -> None:
    """Blend ``overlay`` into each (H, W, 3) uint8 target in place (a page and its background)."""
    x, y, w, h = overlay.box
    keep = 1.0 - overlay.alpha
    for rgb in targets:
        region = rgb[y : y + h, x : x + w]
        region[...] = cv2.blendLinear(
            np.ascontiguousarray(region), overlay.colour, keep, overlay.alpha
        )
