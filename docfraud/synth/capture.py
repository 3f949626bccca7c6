"""Capture simulation: a rendered page as a flatbed scan, a document-reader image or a phone photo.

A genuine page and its forged twin must come out of capture with the same geometry, lighting,
noise, blur and file encoding, or a detector learns the capture instead of the forgery. So every
random number here is drawn in an order fixed by the seed, the mode and the image *shape*, never by
pixel values, and every operation is local: two pages that differ in one patch give captures that
differ only near the warped patch. The caller seeds one generator per (genuine, forged) pair and
calls :func:`capture` (and :func:`encode`) on fresh copies of it.

Coordinates are OpenCV pixel-centre coordinates: pixel (x, y) covers [x - 0.5, x + 0.5].
Backgrounds and lighting are generated at a quarter of the output resolution and upscaled, which is
both cheaper and closer to the smooth fields real scenes have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
import numpy.typing as npt

from docfraud.synth.records import PX_PER_MM
from docfraud.types import Box

U8 = npt.NDArray[np.uint8]
F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]

OUT_WIDTH_RANGE = (900, 1200)
"""Output width in pixels of a card or passport page when the caller does not give one."""
PORTRAIT_OUT_WIDTH_RANGE = (1300, 1800)
"""Output width of a portrait page (an A4 letter, rendered 1000 px wide): the letter keeps at
least its rendered resolution even when a phone photo shows it with background around. Real
captures of letters (300-dpi scans, 12-megapixel phones) resolve more still; at ID-card widths
a letter's 10-point text would be 5 px high, illegible to a person too."""
FIELD_STEP = 4
"""Backgrounds and lighting fields are drawn at 1/FIELD_STEP of the output resolution."""
GAIN_SCALE = 160.0
"""Gain maps are stored as uint8 ``gain * GAIN_SCALE``: gains up to 1.59 in steps of 0.6 %."""
A4_MM = (210.0, 297.0)
"""Scanner bed, the size of the glass most flatbeds have."""
JPEG_SAMPLING = {
    "4:2:0": cv2.IMWRITE_JPEG_SAMPLING_FACTOR_420,
    "4:2:2": cv2.IMWRITE_JPEG_SAMPLING_FACTOR_422,
    "4:4:4": cv2.IMWRITE_JPEG_SAMPLING_FACTOR_444,
}
"""Chroma subsampling of JPEG files, drawn with probabilities 0.75, 0.1, 0.15."""
NOISE_OFFSETS = (0, 7919, 15887)
"""Where each channel's sensor noise starts in the shared stream of random bytes."""
UNIFORM_BYTE_STD = float(np.sqrt((256**2 - 1) / 12))
"""Standard deviation of a uniformly random byte (73.9 grey levels)."""


class CaptureMode(StrEnum):
    FLATBED = "flatbed"
    """Flat scan on a scanner bed: small rotation, bed around the page, little noise."""
    LIGHTBOX = "lightbox"
    """Document reader: orthographic, even light, tight crop, sometimes a grey (IR-like) image."""
    PHONE = "phone"
    """Handheld photo: perspective, backgrounds, blur, glare, shadows, colour cast (the camera's
    JPEG is :func:`encode`'s)."""


MODE_WEIGHTS = {CaptureMode.FLATBED: 0.35, CaptureMode.LIGHTBOX: 0.3, CaptureMode.PHONE: 0.35}
"""How often each mode is drawn when the caller does not choose one: border stations read with
document readers, investigators scan on flatbeds, and phone photos arrive from the field."""


@dataclass(frozen=True)
class Captured:
    """A captured page: ``rgb`` is (h, w, 3) uint8, ``homography`` (3, 3) maps page → capture."""

    rgb: U8
    homography: F64
    mode: CaptureMode
    params: tuple[tuple[str, str], ...]
    """What was applied, as (name, value) strings for the labels file."""


@dataclass(frozen=True, slots=True)
class _Look:
    """How the capture renders once the geometry is fixed (all lengths in output pixels)."""

    resolution: float
    """Optical resolution as a fraction of the output's: the scene is drawn this much smaller."""
    blur_sigma: float
    motion: tuple[float, float]
    """Motion-blur length (0 for none) and direction in degrees."""
    noise_sigma: float
    """Sensor noise in grey levels, added at the optical resolution (so upscaling makes it blotchy
    the way demosaiced, denoised phone noise is)."""
    gamma: float
    contrast: float
    black: float
    """Black level lift in grey levels (cheap cameras and readers never reach 0)."""
    sharpen: float
    grey: bool


def capture(
    rng: np.random.Generator,
    rgb: U8,
    mode: CaptureMode | None = None,
    out_width: int | None = None,
) -> Captured:
    """Simulates capturing ``rgb`` (a rendered page, (H, W, 3) uint8) with a scanner or camera.

    Args:
        rng: drawn in an order that depends on the seed, ``mode``, ``out_width`` and the page
            shape only, so a forged twin captured with a copy of the generator gets the same
            treatment as its genuine page.
        rgb: the page.
        mode: how the page is captured; drawn from ``rng`` when None.
        out_width: output width in pixels; when None drawn from ``OUT_WIDTH_RANGE`` (from
            ``PORTRAIT_OUT_WIDTH_RANGE`` for a portrait page).

    Returns:
        The capture, the page → capture homography and the parameters drawn.

    Raises:
        ValueError: ``rgb`` is not an (H, W, 3) uint8 image.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3 or rgb.dtype != np.uint8:
        raise ValueError(f"capture needs an (H, W, 3) uint8 page, got {rgb.shape} {rgb.dtype}")
    if mode is None:
        modes = list(MODE_WEIGHTS)
        mode = modes[int(rng.choice(len(modes), p=list(MODE_WEIGHTS.values())))]
    page_h, page_w = rgb.shape[:2]
    if out_width is None:
        low, high = PORTRAIT_OUT_WIDTH_RANGE if page_h > page_w else OUT_WIDTH_RANGE
        out_width = int(rng.integers(low, high + 1))
    params: list[tuple[str, str]] = [("mode", str(mode)), ("width", str(out_width))]
    if mode is CaptureMode.FLATBED:
        size, homography = _flatbed_geometry(rng, (page_w, page_h), out_width, params)
    elif mode is CaptureMode.LIGHTBOX:
        size, homography = _lightbox_geometry(rng, (page_w, page_h), out_width, params)
    else:
        size, homography = _phone_geometry(rng, (page_w, page_h), out_width, params)
    quad = _project(homography, _page_corners(page_w, page_h))
    look = _draw_look(rng, mode, homography, params)
    field_size = (-(-size[0] // FIELD_STEP), -(-size[1] // FIELD_STEP))
    background = _draw_background(rng, mode, field_size, params)
    lighting = _draw_lighting(rng, mode, size, field_size, quad, params)
    out = _render(rng, rgb, homography, size, background, lighting, look, mode)
    out.flags.writeable = False
    return Captured(out, homography, mode, tuple(params))


def warp_mask(mask: npt.NDArray[np.bool_], captured: Captured) -> npt.NDArray[np.bool_]:
    """Carries a page mask ((H, W) bool) into the capture's (h, w) frame."""
    h, w = captured.rgb.shape[:2]
    warped = cv2.warpPerspective(
        mask.astype(np.uint8) * np.uint8(255), captured.homography, (w, h), flags=cv2.INTER_LINEAR
    )
    return np.asarray(warped >= 128)


def warp_box(box: Box, captured: Captured) -> Box:
    """The bounding box (x, y, w, h) of the warped page box, clipped to the capture.

    Every capture pixel the warped box touches is inside the result; a box that leaves the frame
    comes back with zero width or height.
    """
    x, y, w, h = box
    corners = np.array(
        [
            [x - 0.5, y - 0.5],
            [x + w - 0.5, y - 0.5],
            [x + w - 0.5, y + h - 0.5],
            [x - 0.5, y + h - 0.5],
        ]
    )
    quad = _project(captured.homography, corners)
    out_h, out_w = captured.rgb.shape[:2]
    x0 = int(np.clip(np.floor(quad[:, 0].min() + 0.5), 0, out_w))
    y0 = int(np.clip(np.floor(quad[:, 1].min() + 0.5), 0, out_h))
    x1 = int(np.clip(np.ceil(quad[:, 0].max() + 0.5), x0, out_w))
    y1 = int(np.clip(np.ceil(quad[:, 1].max() + 0.5), y0, out_h))
    return x0, y0, x1 - x0, y1 - y0


PNG_SHARE_FLATBED = 0.04
PNG_SHARE_OTHER = 0.01
WEBP_SHARE = 0.015
"""Lossless and WebP files are rarer than JPEG in practice, and cost 20-50x more to write."""


def encode(rng: np.random.Generator, rgb: U8, mode: CaptureMode | None = None) -> tuple[bytes, str]:
    """Encodes a capture as the file it would arrive as: mostly JPEG, sometimes PNG or WebP.

    JPEG and PNG are local: twins that differ in a patch give files whose pixels differ only in
    the 16-pixel blocks around it. Lossy WebP is not quite: it picks its segment quantisers from
    the whole image, so a patch leaves a faint echo elsewhere (about one grey level); it is
    drawn rarely.

    Args:
        rng: must not depend on whether the document was forged.
        rgb: (h, w, 3) uint8.
        mode: flatbed scans arrive as PNG more often than photos do.

    Returns:
        The file's bytes and its extension without the dot (``jpg``, ``png`` or ``webp``).
    """
    png_p = PNG_SHARE_FLATBED if mode is CaptureMode.FLATBED else PNG_SHARE_OTHER
    kind = int(rng.choice(3, p=[1.0 - png_p - WEBP_SHARE, png_p, WEBP_SHARE]))
    quality = int(np.clip(np.round(rng.triangular(60, 88, 96)), 60, 95))
    subsampling = list(JPEG_SAMPLING)[int(rng.choice(3, p=[0.75, 0.1, 0.15]))]
    progressive = int(rng.random() < 0.15)
    bgr = cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)
    if kind == 0:
        ext, flags = "jpg", [
            cv2.IMWRITE_JPEG_QUALITY, quality,
            cv2.IMWRITE_JPEG_SAMPLING_FACTOR, JPEG_SAMPLING[subsampling],
            cv2.IMWRITE_JPEG_PROGRESSIVE, progressive,
        ]  # fmt: skip
    elif kind == 1:
        ext, flags = "png", [cv2.IMWRITE_PNG_COMPRESSION, 1]
    else:
        ext, flags = "webp", [cv2.IMWRITE_WEBP_QUALITY, quality]
    ok, buf = cv2.imencode(f".{ext}", bgr, flags)
    if not ok:
        raise RuntimeError(f"OpenCV could not encode a {ext} image")
    return bytes(buf), ext


# Geometry ------------------------------------------------------------------------------------


def _page_corners(page_w: int, page_h: int) -> F64:
    """The page's outer corners (4, 2), clockwise from top left, in pixel-centre coordinates."""
    return np.array(
        [[-0.5, -0.5], [page_w - 0.5, -0.5], [page_w - 0.5, page_h - 0.5], [-0.5, page_h - 0.5]]
    )


def _project(homography: F64, points: F64) -> F64:
    """Applies a (3, 3) homography to (n, 2) points."""
    pts = np.asarray(points, dtype=np.float64)
    mapped = pts @ homography[:, :2].T + homography[:, 2]
    return np.asarray(mapped[:, :2] / mapped[:, 2:3])


def _fit(page_quad: F64, corners: F64) -> F64:
    """The homography taking the page corners onto ``page_quad`` ((4, 2) output coordinates)."""
    return np.asarray(
        cv2.getPerspectiveTransform(corners.astype(np.float32), page_quad.astype(np.float32)),
        dtype=np.float64,
    )


def _rotated(page_w: int, page_h: int, degrees: float) -> F64:
    """Page corners rotated about the page centre, in page-pixel units around the origin."""
    corners = _page_corners(page_w, page_h) - [(page_w - 1) / 2, (page_h - 1) / 2]
    t = np.deg2rad(degrees)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    return np.asarray(corners @ rot.T)


def _frame_with_margins(
    quad: F64, out_width: int, margins: tuple[float, float, float, float]
) -> tuple[tuple[int, int], F64]:
    """Scales ``quad`` (plane units) so that it plus (left, top, right, bottom) margins spans the
    output width; returns the output size and the quad in output pixels."""
    left, top, right, bottom = margins
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    span_w = hi[0] - lo[0] + left + right
    span_h = hi[1] - lo[1] + top + bottom
    scale = out_width / span_w
    out_height = max(8, int(round(span_h * scale)))
    placed = (quad - lo + [left, top]) * scale - 0.5
    return (out_width, out_height), np.asarray(placed)


def _flatbed_geometry(
    rng: np.random.Generator,
    page_size: tuple[int, int],
    out_width: int,
    params: list[tuple[str, str]],
) -> tuple[tuple[int, int], F64]:
    """A page lying on the glass: up to 3° off square, either the whole A4 bed scanned (page in
    a corner) or a crop with uneven margins; now and then the scan is turned a quarter or half."""
    page_w, page_h = page_size
    quarter = int(rng.choice(4, p=[0.85, 0.05, 0.05, 0.05]))
    tilt = float(np.clip(rng.normal(0.0, 1.2), -3.0, 3.0))
    quad = _rotated(page_w, page_h, 90.0 * quarter + tilt)
    whole_bed = bool(rng.random() < 0.35)
    offsets = rng.uniform(2.0, 25.0, size=2) * PX_PER_MM
    crop = rng.uniform(0.02, 0.22, size=4)
    corner = int(rng.integers(4))
    extent = quad.max(axis=0) - quad.min(axis=0)
    if whole_bed:
        bed = np.maximum(np.array(A4_MM) * PX_PER_MM, extent + offsets + 2 * PX_PER_MM)
        rest = bed - extent - offsets
        left, right = (offsets[0], rest[0]) if corner in (0, 3) else (rest[0], offsets[0])
        top, bottom = (offsets[1], rest[1]) if corner in (0, 1) else (rest[1], offsets[1])
    else:
        left, top, right, bottom = crop * np.array([extent[0], extent[1], extent[0], extent[1]])
    size, placed = _frame_with_margins(quad, out_width, (left, top, right, bottom))
    params += [
        ("rotation_deg", f"{90.0 * quarter + tilt:.2f}"),
        ("scan_area", "bed" if whole_bed else "crop"),
    ]
    return size, _fit(placed, _page_corners(page_w, page_h))


def _lightbox_geometry(
    rng: np.random.Generator,
    page_size: tuple[int, int],
    out_width: int,
    params: list[tuple[str, str]],
) -> tuple[tuple[int, int], F64]:
    """A document reader's image: the page nearly square to the frame, cropped tight, with a
    trace of perspective from the reader's optics."""
    page_w, page_h = page_size
    tilt = float(np.clip(rng.normal(0.0, 0.4), -1.2, 1.2))
    quad = _rotated(page_w, page_h, tilt)
    extent = quad.max(axis=0) - quad.min(axis=0)
    margins = rng.uniform(0.008, 0.05, size=4) * np.array([extent[0], extent[1]] * 2)
    size, placed = _frame_with_margins(quad, out_width, tuple(margins))
    jitter = rng.normal(0.0, 0.002 * out_width, size=(4, 2))
    placed = np.clip(placed + jitter, 0.0, np.array(size, dtype=np.float64) - 1.0)
    params += [("rotation_deg", f"{tilt:.2f}")]
    return size, _fit(placed, _page_corners(page_w, page_h))


def _phone_geometry(
    rng: np.random.Generator,
    page_size: tuple[int, int],
    out_width: int,
    params: list[tuple[str, str]],
) -> tuple[tuple[int, int], F64]:
    """A handheld camera: the page turned in plane (sometimes by quarter turns), tilted up to
    ~20° out of plane and projected through a phone lens, then framed with room around it."""
    page_w, page_h = page_size
    quarter = int(rng.choice(4, p=[0.82, 0.06, 0.06, 0.06]))
    spin = float(np.clip(rng.normal(0.0, 7.0), -25.0, 25.0))
    tilt = float(np.deg2rad(20.0) * rng.random())
    axis_angle = float(rng.uniform(0.0, 2 * np.pi))
    focal = float(rng.uniform(0.9, 2.2)) * float(np.hypot(page_w, page_h))
    aspect = float(rng.choice([4 / 3, 16 / 9, 1.0], p=[0.7, 0.2, 0.1]))
    match_orientation = bool(rng.random() < 0.9)
    fill = float(rng.uniform(0.6, 0.92))
    slack = rng.random(2)

    flat = np.c_[_rotated(page_w, page_h, 90.0 * quarter + spin), np.zeros(4)]
    axis = np.array([np.cos(axis_angle), np.sin(axis_angle), 0.0])
    tilt_rot = np.asarray(cv2.Rodrigues(axis * tilt)[0], dtype=np.float64)
    cam = flat @ tilt_rot.T + [0.0, 0.0, focal]
    quad = focal * cam[:, :2] / cam[:, 2:3]

    extent = quad.max(axis=0) - quad.min(axis=0)
    landscape = (extent[0] >= extent[1]) == match_orientation
    frame_w = out_width
    frame_h = int(round(out_width / aspect if landscape else out_width * aspect))
    scale = fill * min(frame_w / extent[0], frame_h / extent[1])
    room = np.array([frame_w, frame_h]) - extent * scale
    placed = (quad - quad.min(axis=0)) * scale + room * slack - 0.5
    placed = np.clip(placed, 0.0, np.array([frame_w, frame_h], dtype=np.float64) - 1.0)
    params += [
        ("rotation_deg", f"{90.0 * quarter + spin:.2f}"),
        ("tilt_deg", f"{np.rad2deg(tilt):.2f}"),
        ("fill", f"{fill:.2f}"),
    ]
    return (frame_w, frame_h), _fit(placed, _page_corners(page_w, page_h))


# Look ----------------------------------------------------------------------------------------


def _draw_look(
    rng: np.random.Generator,
    mode: CaptureMode,
    homography: F64,
    params: list[tuple[str, str]],
) -> _Look:
    """Optics, noise and tone for the mode (flatbeds are sharp and clean, phones are not)."""
    if mode is CaptureMode.FLATBED:
        dpi = float(rng.choice([150, 200, 300, 300, 400, 600]))
        out_px_per_mm = PX_PER_MM * _magnification(homography, np.zeros(2))
        resolution = min(1.0, dpi / 25.4 / out_px_per_mm)
        look = _Look(
            resolution=resolution,
            blur_sigma=float(rng.uniform(0.2, 0.7)),
            motion=(0.0, 0.0),
            noise_sigma=float(rng.uniform(0.8, 2.5)),
            gamma=float(rng.uniform(0.9, 1.1)),
            contrast=float(rng.uniform(0.1, 0.7)),
            black=float(rng.uniform(0.0, 8.0)),
            sharpen=float(rng.uniform(0.0, 0.5)) if rng.random() < 0.4 else 0.0,
            grey=bool(rng.random() < 0.04),
        )
        params.append(("dpi", f"{dpi:.0f}"))
    elif mode is CaptureMode.LIGHTBOX:
        look = _Look(
            resolution=float(rng.uniform(0.6, 1.0)),
            blur_sigma=float(rng.uniform(0.3, 0.9)),
            motion=(0.0, 0.0),
            noise_sigma=float(rng.uniform(1.2, 3.5)),
            gamma=float(rng.uniform(0.85, 1.15)),
            contrast=float(rng.uniform(0.2, 0.9)),
            black=float(rng.uniform(0.0, 15.0)),
            sharpen=float(rng.uniform(0.2, 0.8)) if rng.random() < 0.5 else 0.0,
            grey=bool(rng.random() < 0.15),
        )
    else:
        # an officer retakes a photo whose text is smeared: heavy blur and shake are rare
        motion_len = float(rng.uniform(2.0, 6.0)) if rng.random() < 0.1 else 0.0
        look = _Look(
            resolution=float(rng.uniform(0.7, 1.0)),
            blur_sigma=float(rng.uniform(0.3, 1.1)),
            motion=(motion_len, float(rng.uniform(0.0, 180.0))),
            noise_sigma=float(rng.uniform(2.0, 7.0)),
            gamma=float(rng.uniform(0.8, 1.15)),
            contrast=float(rng.uniform(0.4, 1.3)),
            black=float(rng.uniform(0.0, 14.0)),
            sharpen=float(rng.uniform(0.3, 1.2)) if rng.random() < 0.6 else 0.0,
            grey=False,
        )
    params += [
        ("resolution", f"{look.resolution:.2f}"),
        ("blur_sigma", f"{look.blur_sigma:.2f}"),
        ("motion_px", f"{look.motion[0]:.1f}"),
        ("noise_sigma", f"{look.noise_sigma:.2f}"),
        ("sharpen", f"{look.sharpen:.2f}"),
        ("grey", str(look.grey)),
    ]
    return look


def _magnification(homography: F64, point: F64) -> float:
    """Linear magnification (√|det J|) of the homography at ``point`` (x, y)."""
    pts = np.array([point, point + [1.0, 0.0], point + [0.0, 1.0]])
    mapped = _project(homography, pts)
    jacobian = np.stack([mapped[1] - mapped[0], mapped[2] - mapped[0]])
    return float(np.sqrt(abs(np.linalg.det(jacobian))))


# Backgrounds ---------------------------------------------------------------------------------
# Fields are float32 (h', w') or (h', w', 3) arrays at 1/FIELD_STEP of the output size. Scalars
# mixed into them are Python floats, which NumPy keeps at float32.


def _smooth_noise(rng: np.random.Generator, size: tuple[int, int], cells: int) -> F32:
    """Smooth noise of unit-ish amplitude, (h, w) for ``size`` (w, h), ``cells`` blobs across."""
    w, h = size
    coarse = rng.standard_normal((max(2, round(cells * h / max(w, 1))), max(2, cells)))
    return np.asarray(
        cv2.resize(coarse.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC),
        dtype=np.float32,
    )


def _grain(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """Fine white noise of unit standard deviation, (h, w), from raw bytes (cheap to draw)."""
    w, h = size
    raw = rng.bit_generator.random_raw(-(-w * h // 8)).view(np.uint8)[: w * h].reshape(h, w)
    return np.asarray((raw.astype(np.float32) - 127.5) / UNIFORM_BYTE_STD, dtype=np.float32)


def _tinted(base: npt.ArrayLike, variation: F32) -> F32:
    """A colour ``base`` (3,) plus a per-pixel grey ``variation`` (h, w): (h, w, 3)."""
    colour = [float(c) for c in np.asarray(base, dtype=np.float64).ravel()]
    return np.asarray(cv2.merge([variation + c for c in colour]), dtype=np.float32)


def _to_u8(field: npt.ArrayLike) -> U8:
    return np.asarray(np.clip(np.asarray(field) + 0.5, 0, 255), dtype=np.uint8)


def _draw_background(
    rng: np.random.Generator,
    mode: CaptureMode,
    size: tuple[int, int],
    params: list[tuple[str, str]],
) -> U8:
    """The scene behind the page at field resolution, (h', w', 3) uint8 RGB."""
    makers: dict[str, Callable[[np.random.Generator, tuple[int, int]], F32]]
    if mode is CaptureMode.FLATBED:
        makers = {"lid_white": _lid_white, "lid_grey": _lid_grey, "lid_open": _dark_well}
        weights = [0.6, 0.15, 0.25]
    elif mode is CaptureMode.LIGHTBOX:
        makers = {"reader_dark": _dark_well, "reader_grey": _lid_grey}
        weights = [0.7, 0.3]
    else:
        makers = {"wood": _wood, "table": _table, "fabric": _fabric, "clutter": _clutter}
        weights = [0.3, 0.3, 0.2, 0.2]
    kind = list(makers)[int(rng.choice(len(makers), p=weights))]
    params.append(("background", kind))
    return _to_u8(makers[kind](rng, size))


def _lid_white(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """The white underside of a scanner lid, a few levels off pure white and not quite even."""
    base = float(rng.uniform(228, 250)) + rng.uniform(-3, 3, size=3)
    return _tinted(base, 2.0 * _smooth_noise(rng, size, 4))


def _lid_grey(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    base = float(rng.uniform(150, 215)) + rng.uniform(-4, 4, size=3)
    return _tinted(base, 4.0 * _smooth_noise(rng, size, 5))


def _dark_well(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """An open scanner lid or a reader's dark well: near black, with room light from one side."""
    w, h = size
    base = float(rng.uniform(8, 45)) + rng.uniform(-3, 3, size=3)
    angle = float(rng.uniform(0, 2 * np.pi))
    glow = float(rng.uniform(0, 25))
    x = np.linspace(-1, 1, w, dtype=np.float32)[None, :] * float(np.cos(angle))
    y = np.linspace(-1, 1, h, dtype=np.float32)[:, None] * float(np.sin(angle))
    ramp = np.clip(x + y, 0, None) * glow
    return _tinted(base, ramp + 3.0 * _smooth_noise(rng, size, 6))


TABLE_COLOURS = (
    (235, 235, 232), (60, 60, 62), (25, 25, 28), (170, 172, 175), (196, 180, 150),
    (120, 135, 150), (150, 70, 60), (70, 100, 80), (215, 205, 190), (90, 70, 55),
)  # fmt: skip
"""Desk and table tops: white and grey laminate, black, beige, blue-grey, muted red and green."""


def _table(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """A plain table or desk: one colour, uneven light, a fine laminate speckle."""
    base = np.array(TABLE_COLOURS[int(rng.integers(len(TABLE_COLOURS)))]) * rng.uniform(0.85, 1.1)
    speckle = float(rng.uniform(1.0, 6.0))
    shade = 14.0 * _smooth_noise(rng, size, 3)
    return _tinted(base, shade + speckle * _grain(rng, size))


def _wood(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """Wood: planks of wavy grain stripes with streaky fibres, light to dark brown."""
    w, h = size
    colour = np.array([rng.uniform(150, 215), rng.uniform(105, 160), rng.uniform(60, 110)])
    tone = float(rng.uniform(0.35, 1.05))
    across = bool(rng.random() < 0.5)
    period = float(rng.uniform(5.0, 14.0))
    plank = float(rng.uniform(40.0, 120.0))
    along, side = (w, h) if across else (h, w)
    y = np.arange(side, dtype=np.float32)[:, None]
    warp = 6.0 * _smooth_noise(rng, (along, side), 5)
    grain = np.sin((y + warp) * (2 * np.pi / period))
    fibres = cv2.resize(_grain(rng, (max(2, along // 24), side)), (along, side))
    seams = (np.mod(y, plank) < 1.0) * -35.0 + np.sin(np.floor(y / plank) * 7.3) * 8.0
    field = (10.0 * grain + 6.0 * fibres + seams.astype(np.float32)) * tone
    if not across:
        field = field.T
    return _tinted(colour * tone, np.ascontiguousarray(field, dtype=np.float32))


FABRIC_COLOURS = (
    (60, 70, 110), (40, 40, 45), (150, 40, 45), (200, 195, 185), (90, 110, 80),
    (130, 120, 150), (180, 150, 110), (70, 90, 120), (210, 180, 170),
)  # fmt: skip
"""Cloth: navy, black, red, cream, olive, lilac, camel, denim, pink."""


def _fabric(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """Cloth: a woven check of crossing threads with soft folds.

    The weave sin(u)·sin(v) is expanded into products of 1-D waves, so no 2-D trigonometry runs.
    """
    w, h = size
    colour = np.array(FABRIC_COLOURS[int(rng.integers(len(FABRIC_COLOURS)))])
    colour = colour * rng.uniform(0.8, 1.15)
    k = float(2 * np.pi / rng.uniform(2.5, 6.0))
    angle = float(rng.uniform(0, np.pi))
    folds = 22.0 * _smooth_noise(rng, size, 4)
    c, s = float(np.cos(angle)), float(np.sin(angle))
    x = np.arange(w, dtype=np.float32)[None, :]
    y = np.arange(h, dtype=np.float32)[:, None]
    # sin(u) sin(v) = (cos(u - v) - cos(u + v)) / 2, with u ± v = a x + b y.
    weave = np.zeros((h, w), np.float32)
    for a, b, sign in ((k * (c + s), k * (s - c), 0.5), (k * (c - s), k * (s + c), -0.5)):
        ax, by = a * x, b * y
        weave += sign * (np.cos(ax) * np.cos(by) - np.sin(ax) * np.sin(by))
    return _tinted(colour, 12.0 * weave + folds)


def _clutter(rng: np.random.Generator, size: tuple[int, int]) -> F32:
    """Paper clutter: a table with a few loose printed sheets lying at angles, their lines of
    text drawn as rows of word-length dashes."""
    w, h = size
    field = _to_u8(_table(rng, size))
    sheets = rng.uniform(0.0, 1.0, size=(3, 7))
    line_ends = rng.uniform(0.4, 1.0, size=(3, 20))
    words = rng.uniform(0.03, 0.16, size=(3, 20, 12))
    for (cx, cy, sw, sh, angle, shade, lines), ends, row_words in zip(
        sheets, line_ends, words, strict=True
    ):
        box = ((cx * w, cy * h), (w * (0.3 + 0.4 * sw), h * (0.3 + 0.4 * sh)), 360.0 * angle)
        paper = 225.0 + 25.0 * shade
        corners = np.round(cv2.boxPoints(box) * 16).astype(np.int32)
        cv2.fillConvexPoly(field, corners, (paper, paper, paper - 6), cv2.LINE_AA, 4)
        left, top, right, _ = cv2.boxPoints((box[0], (box[1][0] * 0.8, box[1][1] * 0.8), box[2]))
        rows = int(6 + 14 * lines)
        for i in range(rows):
            start = left + (top - left) * (i + 0.5) / rows
            starts = np.cumsum(np.r_[0.0, row_words[i][:-1] + 0.03])
            for t0, length in zip(starts, row_words[i], strict=True):
                t1 = min(t0 + length, ends[i])
                if t1 <= t0:
                    break
                a, b = start + (right - top) * t0, start + (right - top) * t1
                cv2.line(field, _pt(a), _pt(b), (95, 95, 100), 1, cv2.LINE_AA, 4)
    return field.astype(np.float32)


def _pt(xy: npt.ArrayLike) -> tuple[int, int]:
    """A point in 1/16 pixel fixed point, for OpenCV drawing with ``shift=4``."""
    x, y = np.asarray(xy, dtype=np.float64).ravel()[:2]
    return round(x * 16), round(y * 16)


# Lighting ------------------------------------------------------------------------------------


def _draw_lighting(
    rng: np.random.Generator,
    mode: CaptureMode,
    size: tuple[int, int],
    field_size: tuple[int, int],
    quad: F64,
    params: list[tuple[str, str]],
) -> tuple[U8, U8 | None]:
    """The light on the scene at field resolution, as uint8 (h', w', 3) maps: a gain stored as
    ``gain * GAIN_SCALE`` (shading, vignetting, white balance, shadows, moiré) and an additive
    glare, or None where there is none.

    ``quad`` is the page outline in output pixels, for shadows cast by the page's edges.
    """
    fw, fh = field_size
    quad_f = (quad + 0.5) * [fw / size[0], fh / size[1]] - 0.5
    cx, cy = (float(c) for c in rng.uniform(-0.3, 0.3, size=2))
    ranges = {
        CaptureMode.FLATBED: ((0.0, 0.04), (0.97, 1.04), 0.015, 0.02),
        CaptureMode.LIGHTBOX: ((0.03, 0.14), (0.92, 1.08), 0.04, 0.02),
        CaptureMode.PHONE: ((0.08, 0.4), (0.82, 1.15), 0.12, 0.12),
    }
    vignette_range, exposure_range, cast, slope = ranges[mode]
    vignette = float(rng.uniform(*vignette_range))
    exposure = float(rng.uniform(*exposure_range))
    white_balance = [exposure * float(1.0 + c) for c in rng.uniform(-cast, cast, size=3)]
    sx, sy = (float(v) * slope for v in rng.uniform(-1, 1, size=2))
    x = np.linspace(-1, 1, fw, dtype=np.float32)[None, :]
    y = np.linspace(-1, 1, fh, dtype=np.float32)[:, None]
    half_v = vignette / 2.0
    light = (1.0 + sx * x - half_v * (x - cx) ** 2) + (sy * y - half_v * (y - cy) ** 2)
    glare: F32 | None = None
    tint: F32 | None = None
    if mode is CaptureMode.FLATBED:
        light = _edge_shadow(rng, light, quad_f, params)
    elif mode is CaptureMode.LIGHTBOX:
        glare = _laminate_sheen(rng, field_size, quad_f, params)
    else:
        light = _drop_shadow(rng, light, quad_f)
        light = _hand_shadow(rng, light, params)
        tint = _moire(rng, field_size, params)
        glare = _glare(rng, field_size, params)
    gain = cv2.merge([light * (wb * GAIN_SCALE) for wb in white_balance])
    if tint is not None:
        gain = gain * tint
    if glare is not None:
        gain = gain * (1.0 - glare)[:, :, None]
    params += [("vignette", f"{vignette:.2f}"), ("exposure", f"{exposure:.2f}")]
    glare_u8 = None if glare is None else _to_u8(cv2.merge([255.0 * glare] * 3))
    return _to_u8(gain), glare_u8


def _polygon(shape: tuple[int, ...], quad: F64) -> F32:
    """A (h', w') float32 mask of ``quad`` (4, 2), antialiased (OpenCV antialiases 8-bit only)."""
    mask = np.zeros(shape[:2], np.uint8)
    cv2.fillConvexPoly(mask, np.round(quad * 16).astype(np.int32), 255, cv2.LINE_AA, 4)
    return np.asarray(mask, dtype=np.float32) / 255.0


def _edge_shadow(
    rng: np.random.Generator, light: F32, quad_f: F64, params: list[tuple[str, str]]
) -> F32:
    """The dark line a flatbed's lamp throws past one raised page edge."""
    present = bool(rng.random() < 0.5)
    edge = int(rng.integers(4))
    width = float(rng.uniform(0.8, 3.5))
    strength = float(rng.uniform(0.1, 0.35))
    params.append(("edge_shadow", str(edge) if present else "none"))
    if not present:
        return light
    a, b = quad_f[edge], quad_f[(edge + 1) % 4]
    outward = np.array([b[1] - a[1], a[0] - b[0]])
    outward *= width / (np.linalg.norm(outward) + 1e-9)
    band = _polygon(light.shape, np.array([a, b, b + outward, a + outward]))
    soft = cv2.GaussianBlur(band, (0, 0), max(0.6, width / 2))
    return np.asarray(light * (1.0 - strength * soft), dtype=np.float32)


def _drop_shadow(rng: np.random.Generator, light: F32, quad_f: F64) -> F32:
    """The soft shadow the document casts on the surface under it, offset from the light."""
    offset = rng.normal(0.0, 1.5, size=2)
    softness = float(rng.uniform(1.0, 4.0))
    strength = float(rng.uniform(0.1, 0.4))
    shadow = cv2.GaussianBlur(_polygon(light.shape, quad_f + offset), (0, 0), softness)
    page = _polygon(light.shape, quad_f)
    return np.asarray(light * (1.0 - strength * shadow * (1.0 - page)), dtype=np.float32)


def _hand_shadow(rng: np.random.Generator, light: F32, params: list[tuple[str, str]]) -> F32:
    """A hand or the phone itself between the lamp and the page: a big soft dark blob that
    reaches in from one side of the frame."""
    present = bool(rng.random() < 0.3)
    side = int(rng.integers(4))
    along = float(rng.uniform(0.1, 0.9))
    ax, ay = (float(v) for v in rng.uniform(0.25, 0.55, size=2))
    angle = float(rng.uniform(0, np.pi))
    softness = float(rng.uniform(0.15, 0.4))
    strength = float(rng.uniform(0.2, 0.5))
    params.append(("hand_shadow", str(present)))
    if not present:
        return light
    fh, fw = light.shape
    cx, cy = [(along, 0.0), (1.0, along), (along, 1.0), (0.0, along)][side]
    x = np.linspace(0, 1, fw, dtype=np.float32)[None, :] - cx
    y = (np.linspace(0, 1, fh, dtype=np.float32)[:, None] - cy) * (fh / fw)
    c, s = float(np.cos(angle)), float(np.sin(angle))
    u, v = (c * x + s * y) / ax, (c * y - s * x) / ay
    edge = np.clip((np.sqrt(u * u + v * v) - 1.0) / softness, -20, 20)
    return np.asarray(light * (1.0 - strength / (1.0 + np.exp(edge))), dtype=np.float32)


def _moire(
    rng: np.random.Generator, field_size: tuple[int, int], params: list[tuple[str, str]]
) -> F32 | None:
    """Colour banding from re-photographing a screen: a low beat frequency with a phase per
    channel, as (h', w', 3) gain factors."""
    present = bool(rng.random() < 0.08)
    fx, fy = (float(v) for v in rng.uniform(0.03, 0.15, size=2) * rng.choice([-1, 1], size=2))
    amplitude = float(rng.uniform(0.03, 0.1))
    phases = [float(v) for v in rng.uniform(0, 2 * np.pi, size=3)]
    params.append(("moire", str(present)))
    if not present:
        return None
    fw, fh = field_size
    x = np.arange(fw, dtype=np.float32)[None, :]
    y = np.arange(fh, dtype=np.float32)[:, None]
    wave = (fx * 2 * np.pi) * x + (fy * 2 * np.pi) * y
    return np.asarray(
        cv2.merge([1.0 + amplitude * np.cos(wave + p) for p in phases]), dtype=np.float32
    )


def _glare(
    rng: np.random.Generator, field_size: tuple[int, int], params: list[tuple[str, str]]
) -> F32 | None:
    """Specular highlights of a lamp or window on a glossy page: one or two elongated blobs,
    as an (h', w') fraction of white light."""
    count = int(rng.choice(3, p=[0.55, 0.3, 0.15]))
    blobs = rng.uniform(0.0, 1.0, size=(2, 5))
    strength = float(rng.uniform(0.3, 0.9))
    params.append(("glare", str(count)))
    if count == 0:
        return None
    fw, fh = field_size
    x = np.arange(fw, dtype=np.float32)[None, :]
    y = np.arange(fh, dtype=np.float32)[:, None]
    glare = np.zeros((fh, fw), np.float32)
    for cx, cy, size, stretch, angle in blobs[:count].tolist():
        sigma = (0.03 + 0.1 * size) * max(fw, fh)
        c, s = float(np.cos(np.pi * angle)), float(np.sin(np.pi * angle))
        dx, dy = x - cx * fw, y - cy * fh
        u = (c * dx + s * dy) / (sigma * (1.0 + 3.0 * stretch))
        v = (c * dy - s * dx) / sigma
        glare += np.exp(-0.5 * (u * u + v * v))
    return np.asarray(np.clip(strength * glare, 0.0, 0.95), dtype=np.float32)


def _laminate_sheen(
    rng: np.random.Generator,
    field_size: tuple[int, int],
    quad_f: F64,
    params: list[tuple[str, str]],
) -> F32 | None:
    """A faint broad band of light reflected by a laminate, seen now and then in readers."""
    present = bool(rng.random() < 0.15)
    angle = float(rng.uniform(0, np.pi))
    offset = float(rng.uniform(-0.5, 0.5))
    strength = float(rng.uniform(0.05, 0.15))
    params.append(("sheen", str(present)))
    if not present:
        return None
    fw, fh = field_size
    x = np.linspace(-1, 1, fw, dtype=np.float32)[None, :] * float(np.cos(angle))
    y = np.linspace(-1, 1, fh, dtype=np.float32)[:, None] * float(np.sin(angle))
    band = np.exp(-(((x + y - offset) / 0.25) ** 2))
    return np.asarray(strength * band * _polygon((fh, fw), quad_f), dtype=np.float32)


# Rendering -----------------------------------------------------------------------------------


def _resize_map(src: tuple[int, int], dst: tuple[int, int]) -> F64:
    """The (3, 3) map from ``src`` pixel coordinates to ``dst`` ones that cv2.resize applies."""
    sx, sy = dst[0] / src[0], dst[1] / src[1]
    return np.array([[sx, 0.0, 0.5 * sx - 0.5], [0.0, sy, 0.5 * sy - 0.5], [0.0, 0.0, 1.0]])


def _render(
    rng: np.random.Generator,
    rgb: U8,
    homography: F64,
    size: tuple[int, int],
    background: U8,
    lighting: tuple[U8, U8 | None],
    look: _Look,
    mode: CaptureMode,
) -> U8:
    """Composes the capture at the optical resolution, then brings it up to the output size.

    The background and the page are toned and lit separately, each at its own (small)
    resolution, before they meet; the tone curve is per pixel and the light smooth, so this only
    reorders them. Blur and sharpening run around the page only: the background is smooth.
    """
    res = look.resolution
    inner = (max(8, round(size[0] * res)), max(8, round(size[1] * res)))
    tone = _tone_lut(look.gamma, look.contrast, look.black)
    gain, glare = lighting
    field_size = (background.shape[1], background.shape[0])
    lit = _light(_lut(background, tone), gain, glare)
    scene = np.asarray(cv2.resize(lit, inner, interpolation=cv2.INTER_LINEAR), dtype=np.uint8)

    page = rgb
    page_to_out = homography
    magnification = _magnification(homography, np.array(rgb.shape[1::-1]) / 2.0) * res
    while magnification < 0.7 and min(page.shape[:2]) >= 16:
        page = np.asarray(cv2.pyrDown(page), dtype=np.uint8)
        page_to_out = page_to_out @ np.diag([2.0, 2.0, 1.0])
        magnification *= 2.0
    field_from_page = _resize_map(size, field_size) @ page_to_out
    page_gain = _sample_field(gain, field_from_page, page.shape)
    page_glare = None if glare is None else _sample_field(glare, field_from_page, page.shape)
    page = _light(_lut(page, tone), page_gain, page_glare)
    _warp_into(page, _resize_map(size, inner) @ page_to_out, scene, look, res)
    if mode is CaptureMode.FLATBED:
        _dust(rng, scene, res)
    scene = _sensor(rng, scene, look)
    if inner != size:
        scene = np.asarray(cv2.resize(scene, size, interpolation=cv2.INTER_LINEAR), np.uint8)
    return scene


def _light(rgb: U8, gain: U8, glare: U8 | None) -> U8:
    """``rgb * gain / GAIN_SCALE + glare`` in place, for maps of the same shape as ``rgb``."""
    cv2.multiply(rgb, gain, dst=rgb, scale=1.0 / GAIN_SCALE)
    if glare is not None:
        cv2.add(rgb, glare, dst=rgb)
    return rgb


def _sample_field(field: U8, field_from_page: F64, page_shape: tuple[int, ...]) -> U8:
    """A lighting field as seen on the page grid, (H, W, 3): sampled on a grid eight times
    coarser than the page (the fields are smooth), then upscaled."""
    ph, pw = page_shape[:2]
    coarse = (-(-pw // 8), -(-ph // 8))
    sampled = cv2.warpPerspective(
        field,
        field_from_page @ _resize_map(coarse, (pw, ph)),
        coarse,
        flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return np.asarray(cv2.resize(sampled, (pw, ph), interpolation=cv2.INTER_LINEAR), np.uint8)


def _warp_into(page: U8, homography: F64, scene: U8, look: _Look, res: float) -> None:
    """Draws ``page`` through ``homography`` over ``scene`` in place, then blurs (defocus,
    motion) and sharpens the region around it.

    The warp runs on four channels, which OpenCV vectorises and three it does not.
    """
    sigma = look.blur_sigma * res
    motion = look.motion[0] * res
    h, w = scene.shape[:2]
    ph, pw = page.shape[:2]
    quad = _project(homography, _page_corners(pw, ph))
    margin = int(np.ceil(3 * sigma + motion)) + 4
    x0, y0 = np.clip(np.floor(quad.min(axis=0)).astype(int) - margin, 0, [w, h])
    x1, y1 = np.clip(np.ceil(quad.max(axis=0)).astype(int) + margin + 1, 0, [w, h])
    if x1 <= x0 or y1 <= y0:
        return
    shift = np.array([[1.0, 0.0, -x0], [0.0, 1.0, -y0], [0.0, 0.0, 1.0]])
    roi = cv2.cvtColor(scene[y0:y1, x0:x1], cv2.COLOR_RGB2RGBA)
    cv2.warpPerspective(
        cv2.cvtColor(page, cv2.COLOR_RGB2RGBA),
        shift @ homography,
        (int(x1 - x0), int(y1 - y0)),
        dst=roi,
        flags=cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_TRANSPARENT,
    )
    roi = cv2.cvtColor(roi, cv2.COLOR_RGBA2RGB)
    if sigma >= 0.3:
        ksize = 2 * int(np.ceil(2.0 * sigma)) + 1  # ±2σ: the tails are below a grey level
        roi = cv2.GaussianBlur(roi, (ksize, ksize), sigma)
    if motion >= 1.5:
        roi = cv2.filter2D(roi, -1, _motion_kernel(motion, look.motion[1]))
    if look.sharpen > 0.0:
        soft = cv2.GaussianBlur(roi, (3, 3), 0.0)
        roi = cv2.addWeighted(roi, 1.0 + look.sharpen, soft, -look.sharpen, 0.0)
    scene[y0:y1, x0:x1] = roi


def _dust(rng: np.random.Generator, scene: U8, resolution: float) -> None:
    """Specks and hairs on the scanner glass: small dark dots and short straight fibres."""
    count = min(int(rng.poisson(1.5)), 8)
    specks = rng.uniform(0.0, 1.0, size=(8, 6))
    h, w = scene.shape[:2]
    for cx, cy, size, kind, angle, shade in specks[:count].tolist():
        grey = (40 + 120 * shade,) * 3
        centre = (int(cx * w * 16), int(cy * h * 16))
        if kind < 0.75:
            radius = int((0.6 + 1.8 * size) * resolution * 16)
            cv2.circle(scene, centre, radius, grey, -1, cv2.LINE_AA, 4)
        else:
            length = (6 + 30 * size) * resolution * 16
            t = 2 * np.pi * angle
            end = (int(centre[0] + length * np.cos(t)), int(centre[1] + length * np.sin(t)))
            cv2.line(scene, centre, end, grey, 1, cv2.LINE_AA, 4)


def _motion_kernel(length: float, degrees: float) -> F32:
    """A normalised line kernel ``length`` pixels long at ``degrees``."""
    size = int(np.ceil(length)) | 1
    kernel = np.zeros((size, size), np.float32)
    c = (size - 1) / 2
    t = np.deg2rad(degrees)
    dx, dy = 0.5 * (length - 1) * np.cos(t), 0.5 * (length - 1) * np.sin(t)
    a = (round((c - dx) * 16), round((c - dy) * 16))
    b = (round((c + dx) * 16), round((c + dy) * 16))
    cv2.line(kernel, a, b, 1.0, 1, cv2.LINE_AA, 4)
    return np.asarray(kernel / kernel.sum(), dtype=np.float32)


def _sensor(rng: np.random.Generator, rgb: U8, look: _Look) -> U8:
    """Sensor noise, and the grey conversion of readers' infrared-like images.

    The noise is uniform bytes straight from the bit generator: a Gaussian costs ten times as
    much to draw and looks the same once demosaicing, upscaling and JPEG have smoothed it. The
    three channels read one stream at offsets ``NOISE_OFFSETS`` apart, a third of the draws;
    the channels of a pixel stay independent, each echoing another pixel thousands away.
    """
    h, w = rgb.shape[:2]
    count = h * w + NOISE_OFFSETS[-1]
    stream = rng.bit_generator.random_raw(-(-count // 8)).view(np.uint8)
    noise = cv2.merge([stream[k : k + h * w].reshape(h, w) for k in NOISE_OFFSETS])
    weight = look.noise_sigma / UNIFORM_BYTE_STD
    out = cv2.addWeighted(rgb, 1.0, noise, weight, -127.5 * weight, dst=rgb)
    if look.grey:
        out = cv2.cvtColor(cv2.cvtColor(out, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    return np.asarray(out, dtype=np.uint8)


def _lut(rgb: U8, table: U8) -> U8:
    return np.asarray(cv2.LUT(rgb, table), dtype=np.uint8)


def _tone_lut(gamma: float, contrast: float, black: float) -> U8:
    """A camera tone curve: gamma, an S-curve of ``contrast`` around mid-grey, a black lift."""
    v = np.arange(256) / 255.0
    v = v**gamma
    v = 0.5 + np.tanh(contrast * (v - 0.5) * 2.0) / (2.0 * np.tanh(contrast))
    v = black / 255.0 + v * (1.0 - black / 255.0)
    return np.asarray(np.clip(np.round(v * 255.0), 0, 255), dtype=np.uint8)
