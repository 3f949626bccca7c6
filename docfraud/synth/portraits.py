"""Procedural passport portraits: invented head-and-shoulders photos, never a real person's face.

A face seed fixes who is pictured (:class:`FaceTraits`: face shape, skin tone, hair, eyes, age
cues, beard, glasses, clothing); a shot seed fixes the photo (:class:`Shot`: pose, framing,
lighting, background, colour cast, noise, focus). The same face seed with another shot seed is the
same person photographed again, which is what portrait-reuse and photo-substitution checks need.

Geometry lives in head units: the face oval spans y = -1 (hairline) to y = +1 (chin), x grows to
the subject's left (image right), z points at the camera. Each person's shapes are built once and
cached (pure: same seed, same read-only arrays); a photo projects them all in one product. Flat
colours are drawn anti-aliased at full resolution; shading (relief lighting, occlusion, tints,
highlights) is computed at a quarter of the resolution, where blurring is cheap, and multiplied in.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt

Rgb = tuple[float, float, float]
Points = npt.NDArray[np.float64]
Gray = npt.NDArray[np.float32]
Rgb8 = npt.NDArray[np.uint8]
Fixed = npt.NDArray[np.int32]

_SHIFT = 4
"""Fractional bits of cv2 drawing coordinates: 1/16 px precision."""
_LOW = 4
"""Shading maps are computed at 1/_LOW of the portrait size."""
_TILE = 512
"""Side of the cached noise tiles cropped for textures and sensor noise."""
_MAX_SLOPE = 2.2
"""Steepest surface the lighting sees, so silhouettes darken without turning into outlines."""
_GAIN_ONE = 128.0
"""Lighting gains travel as uint8 with 1.0 at 128, so up to 2x brighter than the flat colour."""

_SKIN = np.array(
    [
        (238, 204, 184),
        (230, 190, 164),
        (222, 176, 145),
        (205, 155, 120),
        (182, 130, 95),
        (156, 106, 74),
        (128, 84, 58),
        (100, 65, 46),
        (76, 50, 37),
        (56, 38, 30),
    ],
    dtype=np.float64,
)
"""Photographed skin tones from very light to very dark (RGB), interpolated continuously."""

_HAIR = {
    "black": (26, 22, 21),
    "dark_brown": (52, 38, 29),
    "brown": (92, 64, 42),
    "light_brown": (136, 100, 66),
    "dark_blonde": (160, 128, 84),
    "blonde": (204, 172, 118),
    "auburn": (118, 56, 32),
    "red": (160, 72, 38),
}
_GREY = (168, 166, 162)
_WHITE_HAIR = (222, 220, 214)
_IRIS = {
    "dark_brown": (58, 36, 24),
    "brown": (96, 60, 34),
    "hazel": (118, 92, 52),
    "green": (88, 108, 68),
    "blue": (82, 112, 150),
    "grey": (112, 122, 130),
}
_CLOTHES = (
    (28, 30, 38),
    (40, 44, 60),
    (22, 22, 24),
    (70, 72, 78),
    (110, 112, 118),
    (235, 235, 232),
    (150, 40, 45),
    (40, 70, 120),
    (60, 90, 60),
    (120, 90, 60),
    (200, 190, 170),
    (90, 50, 90),
    (170, 120, 60),
)
_BACKGROUNDS = (
    (244, 244, 242),
    (236, 238, 240),
    (226, 228, 230),
    (214, 222, 232),
    (200, 214, 230),
    (238, 234, 224),
    (222, 222, 216),
    (205, 208, 210),
)


@dataclass(frozen=True, slots=True)
class FaceTraits:
    """Who is pictured: everything that stays the same from one photo of a person to the next."""

    age: int
    sex: str
    """``F`` or ``M`` (an ``X`` holder gets one of the two appearances)."""
    skin: Rgb
    face_w: float
    """Half-width of the face at the cheekbones, in face half-heights."""
    jaw_w: float
    """Half-width at the jaw angle, as a fraction of ``face_w``."""
    jaw_y: float
    chin_w: float
    forehead_w: float
    skull_h: float
    """Crown height above the face oval's centre."""
    eye_y: float
    eye_dx: float
    eye_w: float
    eye_open: float
    """Eye half-height as a fraction of the eye half-width."""
    eye_tilt: float
    iris: Rgb
    brow_gap: float
    brow_thick: float
    brow_arch: float
    nose_y: float
    nose_w: float
    mouth_y: float
    mouth_w: float
    lip_top: float
    lip_bottom: float
    lips: Rgb
    ear_h: float
    ear_out: float
    blush: float
    """Redness of cheeks and nose, 0..1."""
    neck_w: float
    shoulder_w: float
    hair_style: str
    """``bald``, ``buzz``, ``short``, ``side_part``, ``medium``, ``long``, ``bun``, ``curly``
    or ``fringe``."""
    hair: Rgb
    hair_volume: float
    hairline: float
    """Centre of the hairline (y); higher when receding."""
    recession: float
    """How far the temples recede (M-shaped hairline)."""
    parting: float
    """-1..1: side parting position; 0 is a centre parting."""
    hair_length: float
    """Lowest y the side hair reaches."""
    curly: bool
    hair_forward: bool
    """Long hair falls in front of the shoulders rather than behind them."""
    beard: str
    """``none``, ``stubble``, ``moustache``, ``goatee`` or ``full``."""
    glasses: str
    """``none``, ``thin`` (metal rims) or ``thick`` (plastic frames)."""
    glasses_colour: Rgb
    headscarf: bool
    clothes: Rgb
    shirt: Rgb
    neckline: str
    """``crew``, ``v``, ``collar`` (shirt) or ``suit`` (jacket, shirt, optional tie)."""
    wrinkles: float
    """0 (smooth) .. 1 (deeply lined)."""
    freckles: float
    moles: tuple[tuple[float, float], ...]
    texture_xy: tuple[int, int]
    """Offset into the hair-texture tiles, so the same hair looks the same in every photo."""


@dataclass(frozen=True, slots=True)
class Shot:
    """How one photo was taken: pose, framing, light, background, camera."""

    yaw: float
    pitch: float
    roll: float
    head_frac: float
    """Crown-to-chin height as a fraction of the photo height (ICAO asks 0.7-0.8)."""
    dx: float
    top: float
    light: tuple[float, float, float]
    ambient: float
    exposure: float
    shine: float
    background: Rgb
    bg_gradient: tuple[float, float, float]
    """Vertical, horizontal and radial brightness change across the background."""
    bg_shadow: float
    cast: tuple[float, float, float]
    """Per-channel gains: white balance off by a few percent."""
    noise: float
    blur: float
    smile: float


def _seeded(seed: int, stream: int) -> np.random.Generator:
    return np.random.default_rng((seed % (1 << 63), stream))


def _lerp(a: npt.ArrayLike, b: npt.ArrayLike, t: float) -> npt.NDArray[np.float64]:
    return np.asarray(a, dtype=np.float64) * (1 - t) + np.asarray(b, dtype=np.float64) * t


def _rgb(values: npt.ArrayLike) -> Rgb:
    r, g, b = (float(v) for v in np.clip(values, 0, 255))
    return (r, g, b)


@lru_cache(maxsize=4096)
def face_traits(face_seed: int, age: int | None = None, sex: str | None = None) -> FaceTraits:
    """The identity behind ``face_seed``; ``age``/``sex`` force them, the rest stays the same.

    Every random draw happens in a fixed order whatever is forced, so a forced age changes the
    age cues (proportions, wrinkles, greying) and nothing else about the person.
    """
    rng = _seeded(face_seed, 0xFACE)
    u = rng.random(64)
    n = rng.standard_normal(32)
    age_drawn = int(u[0] * 18) if u[1] < 0.15 else int(18 + u[0] ** 1.3 * 67)
    years = max(0, min(95, age if age is not None else age_drawn))
    female = (sex == "F") if sex in ("F", "M") else u[2] < 0.5
    kid = float(np.clip((18 - years) / 18, 0, 1))
    old = float(np.clip((years - 40) / 40, 0, 1))
    masc = 0.0 if female else 1.0 - kid

    tone = float(np.clip(u[3] * 1.15 - 0.05, 0, 1)) * (len(_SKIN) - 1)
    lo = int(min(len(_SKIN) - 2, np.floor(tone)))
    skin = _lerp(_SKIN[lo], _SKIN[lo + 1], tone - lo) * (1 + 0.04 * n[0:3] * [1.0, 0.6, 0.8])
    darkness = tone / (len(_SKIN) - 1)

    face_w = 0.7 + 0.03 * n[3] + 0.02 * masc + 0.08 * kid
    jaw_w = float(np.clip(0.76 + 0.05 * n[4] + 0.07 * masc - 0.04 * kid, 0.64, 0.92))
    chin_w = float(np.clip(0.28 + 0.04 * n[5] + 0.05 * masc, 0.18, 0.42))
    eye_y = -0.2 + 0.03 * n[6] + 0.22 * kid
    eye_w = 0.145 + 0.012 * n[7] + 0.03 * kid
    eye_open = float(np.clip(0.42 + 0.06 * n[8] + 0.1 * kid - 0.06 * old, 0.26, 0.6))
    nose_y = 0.33 + 0.03 * n[9] + 0.1 * kid
    mouth_y = 0.6 + 0.03 * n[10] + 0.07 * kid
    lips = skin * [0.82, 0.6, 0.62] + np.array([34.0, 8.0, 10.0]) * (1 - darkness * 0.5)

    hair_draw = u[11]
    if darkness > 0.55 or u[12] < 0.45:
        hair_name = "black" if hair_draw < 0.6 else "dark_brown"
    else:
        names = list(_HAIR)
        weights = np.array([0.12, 0.22, 0.22, 0.14, 0.1, 0.1, 0.05, 0.05])
        hair_name = names[int(np.searchsorted(np.cumsum(weights) / weights.sum(), hair_draw))]
    grey_onset = 32 + u[13] * 25
    greyness = float(np.clip((years - grey_onset) / 28, 0, 1))
    hair = _lerp(_HAIR[hair_name], _lerp(_GREY, _WHITE_HAIR, old), greyness)
    if kid > 0.7 and hair_name in ("brown", "light_brown", "dark_blonde"):
        hair = _lerp(hair, _HAIR["blonde"], 0.4)

    style_u = u[14]
    if female:
        style = ("long", "medium", "bun", "curly", "fringe", "side_part", "short")[
            int(np.searchsorted([0.32, 0.52, 0.64, 0.74, 0.84, 0.93], style_u))
        ]
    else:
        style = ("short", "side_part", "buzz", "curly", "medium", "bald", "long")[
            int(np.searchsorted([0.35, 0.55, 0.7, 0.8, 0.88, 0.96], style_u))
        ]
    balding = masc * float(np.clip((years - 25) / 40, 0, 1)) * u[15]
    if balding > 0.55:
        style = "bald"
    if years < 2:
        style = "buzz"
    recession = float(np.clip(balding * 0.5 + 0.05 * u[16], 0, 0.35)) if masc else 0.0
    curly = style == "curly" or (darkness > 0.6 and style in ("short", "buzz") and u[17] < 0.7)

    beard = "none"
    if masc > 0.9 and years >= 18:
        beard = ("none", "stubble", "moustache", "goatee", "full")[
            int(np.searchsorted([0.55, 0.74, 0.82, 0.89], u[18]))
        ]
    glasses = "none"
    if years >= 6 and u[19] < 0.08 + 0.15 * old:
        glasses = "thin" if u[20] < 0.5 else "thick"
    frame = (
        _lerp((30, 28, 28), (120, 90, 60), u[21])
        if glasses == "thick"
        else _lerp((70, 70, 72), (180, 160, 110), u[21])
    )
    neck_options = ("crew", "v", "collar", "suit") if masc else ("crew", "v", "collar", "crew")
    neckline = neck_options[int(u[22] * 4)]
    if kid > 0.3:
        neckline = "crew" if u[22] < 0.7 else "collar"

    moles = tuple(
        (float(0.5 * (2 * u[40 + 2 * k] - 1)), float(-0.1 + 0.8 * u[41 + 2 * k]))
        for k in range(int(u[23] * 3))
    )
    return FaceTraits(
        age=years,
        sex="F" if female else "M",
        skin=_rgb(skin),
        face_w=face_w,
        jaw_w=jaw_w,
        jaw_y=0.62 + 0.05 * n[11],
        chin_w=chin_w,
        forehead_w=float(np.clip(0.9 + 0.04 * n[12], 0.8, 1.0)),
        skull_h=1.02 + 0.05 * n[13] + 0.2 * kid,
        eye_y=eye_y,
        eye_dx=0.33 + 0.02 * n[14] + 0.03 * kid,
        eye_w=eye_w,
        eye_open=eye_open,
        eye_tilt=0.05 * n[15] + 0.03,
        iris=_rgb(_iris(u[24], darkness)),
        brow_gap=0.17 + 0.025 * n[16] - 0.02 * masc + 0.02 * kid,
        brow_thick=float(np.clip(0.045 + 0.012 * n[17] + 0.015 * masc - 0.015 * kid, 0.02, 0.09)),
        brow_arch=float(np.clip(0.05 + 0.02 * n[18] - 0.015 * masc, 0.0, 0.1)),
        nose_y=nose_y,
        nose_w=float(np.clip(0.17 + 0.02 * n[19] - 0.03 * kid + 0.01 * masc, 0.11, 0.25)),
        mouth_y=mouth_y,
        mouth_w=float(np.clip(0.26 + 0.025 * n[22] - 0.05 * kid, 0.17, 0.34)),
        lip_top=float(np.clip(0.045 + 0.012 * n[23] - 0.015 * old, 0.02, 0.08)),
        lip_bottom=float(np.clip(0.065 + 0.015 * n[24] - 0.015 * old, 0.03, 0.1)),
        lips=_rgb(lips),
        ear_h=0.34 + 0.03 * n[25] + 0.03 * old,
        ear_out=0.03 + 0.05 * u[26],
        blush=float(u[37] * (1 - 0.6 * darkness)),
        neck_w=min(0.5 + 0.04 * n[26] + 0.08 * masc - 0.1 * kid, face_w * jaw_w * 0.95),
        shoulder_w=2.1 + 0.15 * n[27] + 0.3 * masc - 0.5 * kid,
        hair_style=style,
        hair=_rgb(hair),
        hair_volume=float(np.clip(0.08 + 0.04 * n[28] + (0.22 if curly else 0.0), 0.02, 0.45)),
        hairline=-0.95 - 0.06 * u[27] - recession * 0.8,
        recession=recession,
        parting=float(np.clip(n[29] * 0.5, -0.8, 0.8)),
        hair_length={"long": 1.9 + 1.0 * u[28], "medium": 0.45 + 0.45 * u[28]}.get(style, -0.2),
        curly=bool(curly),
        hair_forward=bool(u[38] < 0.5),
        beard=beard,
        glasses=glasses,
        glasses_colour=_rgb(frame),
        headscarf=bool(female and years >= 14 and u[29] < 0.05),
        clothes=_rgb(_CLOTHES[int(u[30] * len(_CLOTHES))]),
        shirt=_rgb(_lerp((245, 245, 242), (170, 200, 230), float(u[31] < 0.3) * u[32])),
        neckline=neckline,
        wrinkles=float(np.clip((years - 35) / 45, 0, 1) * (0.7 + 0.6 * u[33])),
        freckles=float(max(0.0, u[34] - 0.85) * 6 * (1 - darkness)),
        moles=moles,
        texture_xy=(int(u[35] * _TILE), int(u[36] * _TILE)),
    )


def _iris(u: float, darkness: float) -> npt.NDArray[np.float64]:
    light_eyes = max(0.0, 0.55 - darkness) * 1.4
    if u > light_eyes:
        return np.asarray(_IRIS["dark_brown" if u > 0.5 + light_eyes / 2 else "brown"], float)
    options = ("blue", "green", "hazel", "grey")
    return np.asarray(_IRIS[options[int(u / max(light_eyes, 1e-6) * 4) % 4]], dtype=np.float64)


def shot_params(shot_seed: int) -> Shot:
    """How the photo ``shot_seed`` was taken (independent of who sits for it)."""
    rng = _seeded(shot_seed, 0x5407)
    u = rng.random(24).tolist()
    n = rng.standard_normal(12).tolist()
    light = np.array([n[0] * 0.35, -0.25 - 0.2 * u[0], 1.0])
    light /= np.linalg.norm(light)
    bg = np.asarray(_BACKGROUNDS[int(u[1] * len(_BACKGROUNDS))], dtype=np.float64)
    return Shot(
        yaw=float(np.radians(np.clip(n[1] * 4.0, -9, 9))),
        pitch=float(np.radians(np.clip(n[2] * 3.0, -7, 7))),
        roll=float(np.radians(np.clip(n[3] * 2.0, -5, 5))),
        head_frac=0.58 + 0.2 * u[2],
        dx=0.025 * n[4],
        top=0.04 + 0.06 * u[3],
        light=(float(light[0]), float(light[1]), float(light[2])),
        ambient=0.5 + 0.2 * u[4],
        exposure=0.95 + 0.12 * u[5],
        shine=0.04 + 0.1 * u[6],
        background=_rgb(bg + np.asarray(n[5:8]) * 3),
        bg_gradient=(0.08 * n[8], 0.05 * n[9], -0.12 * u[7]),
        bg_shadow=0.12 * u[8] ** 2,
        cast=(1.0 + 0.03 * n[10], 1.0 + 0.015 * n[11], 1.0 - 0.03 * n[10]),
        noise=1.0 + 2.5 * u[9],
        blur=0.3 + 0.6 * u[10],
        smile=0.4 * u[11] ** 2,
    )


# --- shapes in head units -----------------------------------------------------------------------


@lru_cache(maxsize=256)
def _spline_matrix(count: int, closed: bool, n: int) -> Points:
    """Catmull-Rom as a linear map: sampled curve = matrix @ ``count`` control points.

    The curve is linear in its control points, so running the construction on the identity
    gives the matrix once per (count, closed, n), and every later curve is one product.
    """
    eye = np.eye(count)
    if closed:
        padded = np.vstack([eye[-1:], eye, eye[:2]])
        segments = count
    else:
        padded = np.vstack([2 * eye[0] - eye[1], eye, 2 * eye[-1] - eye[-2]])
        segments = count - 1
    t = np.linspace(0.0, 1.0, n, endpoint=False)[:, None]
    t2, t3 = t * t, t * t * t
    i = np.arange(segments)
    p0, p1, p2, p3 = (padded[i + k][:, None, :] for k in range(4))
    curve = 0.5 * (
        2 * p1
        + (p2 - p0) * t
        + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2
        + (3 * p1 - p0 - 3 * p2 + p3) * t3
    )
    out: Points = curve.reshape(-1, count)
    if not closed:
        out = np.vstack([out, eye[-1:]])
    out.flags.writeable = False
    return out


def _spline(points: Points, closed: bool, n: int = 8) -> Points:
    """Catmull-Rom curve through ``points`` (k, 2) with ``n`` samples per segment."""
    out: Points = _spline_matrix(len(points), closed, n) @ points
    return out


@lru_cache(maxsize=256)
def _curve_matrix(count: int, k: int) -> Points:
    """Linear map from ``count`` control points to ``k`` evenly indexed curve samples."""
    dense = _spline_matrix(count, False, 8) if count > 2 else np.eye(count)
    t = np.linspace(0.0, len(dense) - 1.0, k)
    i = np.minimum(t.astype(int), len(dense) - 2)
    f = (t - i)[:, None]
    out: Points = dense[i] * (1 - f) + dense[i + 1] * f
    out.flags.writeable = False
    return out


def _curve(points: npt.ArrayLike, k: int = 9) -> Points:
    """An open smooth curve through ``points``, resampled to exactly ``k`` points."""
    ctrl = np.asarray(points, dtype=np.float64)
    out: Points = _curve_matrix(len(ctrl), k) @ ctrl
    return out


def _mirror(right: npt.ArrayLike) -> Points:
    """A symmetric closed outline from its right half, listed from x=0 round to x=0."""
    half = np.asarray(right, dtype=np.float64)
    return np.vstack([half, (half[::-1] * [-1.0, 1.0])[1:-1]])


@lru_cache(maxsize=32)
def _circle(n: int) -> Points:
    t = np.linspace(0, 2 * np.pi, n, endpoint=False)
    out = np.column_stack([np.cos(t), np.sin(t)])
    out.flags.writeable = False
    return out


def _ellipse(cx: float, cy: float, ax: float, ay: float, n: int = 16) -> Points:
    out: Points = _circle(n) * [ax, ay] + [cx, cy]
    return out


def _face_outline(t: FaceTraits) -> Points:
    fw = t.face_w
    jaw_x = fw * t.jaw_w
    right = [
        (0.0, -1.0),
        (fw * t.forehead_w * 0.72, -0.94),
        (fw * t.forehead_w, -0.62),
        (fw, -0.15),
        (fw * 0.975, 0.2),
        (jaw_x, t.jaw_y),
        (t.chin_w + (jaw_x - t.chin_w) * 0.35, 0.9),
        (t.chin_w * 0.55, 0.99),
        (0.0, 1.0),
    ]
    return _spline(_mirror(right), closed=True, n=6)


def _ear(t: FaceTraits, side: int) -> Points:
    top = t.eye_y - t.brow_gap * 0.6
    bottom = t.nose_y + 0.04
    fw, out = t.face_w, t.ear_out
    pts = np.array(
        [
            (fw * 0.95, top + 0.05),
            (fw + out * 0.5, top - 0.02),
            (fw + out + 0.07, top + 0.07),
            (fw + out + 0.06, (top + bottom) / 2),
            (fw + out * 0.6 + 0.03, bottom - 0.06),
            (fw + 0.03, bottom + 0.01),
            (fw * 0.96, bottom - 0.05),
        ]
    )
    return _spline(pts * [side, 1.0], closed=True, n=4)


def _hair_shapes(t: FaceTraits, rng: np.random.Generator) -> tuple[list[Points], Points | None]:
    """The hair in head units: the parts in front of the face and the part behind the body."""
    if t.headscarf:
        return [], None
    if t.hair_style == "bald":
        if t.age < 2:
            return [], None
        return [], _ellipse(0.0, -0.32, t.face_w * 1.1, 0.42, 24)
    fw = t.face_w
    vol = t.hair_volume
    cy = -0.42
    ax = fw * 1.06 + vol * 0.8
    ay = t.skull_h + vol
    theta = np.linspace(-np.pi / 2, 0.0, 24 if t.curly else 12)
    bumps = 0.03 if t.curly else 0.012
    wobble = 1 + bumps * np.sin(theta * rng.integers(18, 30) + rng.uniform(0, 6))
    outer = np.column_stack([ax * np.cos(theta) * wobble, cy + ay * np.sin(theta) * wobble])
    length = t.hair_length
    if t.hair_style == "long":
        side = [(ax + 0.06, 0.3), (ax + 0.16, 1.2), (ax + 0.24, length)]
        outer = np.vstack([outer, side if t.hair_forward else side[:2]])
        low = length if t.hair_forward else 1.1
        inner = [(t.neck_w + 0.1, low), (t.neck_w + 0.08, 1.0), (fw * 0.86, 0.55)]
        inner += [(fw * 0.96, 0.05), (fw * 0.94, -0.4)]
        if not t.hair_forward:
            inner = [(ax * 0.97, low), *inner[2:]]
    elif t.hair_style in ("medium", "curly") and length > 0:
        outer = np.vstack([outer, [(ax + 0.02, 0.1), (ax - 0.02, length)]])
        inner = [(fw * 0.97, length), (fw * 0.99, 0.05), (fw * 0.95, -0.4)]
    else:
        side_y = -0.25 if t.hair_style != "buzz" else -0.32
        outer = np.vstack([outer, [(fw * 1.04 + vol * 0.2, side_y + 0.04), (fw * 1.0, side_y)]])
        inner = [(fw * 0.94, side_y), (fw * 0.92, -0.45)]
    temple_y = -0.62 - t.recession
    if t.hair_style == "fringe":
        brow = t.eye_y - t.brow_gap - 0.1
        hairline = [(fw * 0.9, temple_y + 0.1), (fw * 0.5, brow - 0.02), (0.0, brow + 0.01)]
    else:
        mid = t.hairline + 0.05 + t.recession * 0.5
        hairline = [(fw * 0.82, temple_y), (fw * 0.45, mid), (0.0, t.hairline)]
    right_in = np.vstack([np.asarray(inner), np.asarray(hairline)])
    lean = 1.0 + 0.07 * t.parting
    right = np.vstack([outer * [lean, 1.0], right_in])
    left = (np.vstack([outer * [2.0 - lean, 1.0], right_in]) * [-1.0, 1.0])[::-1]
    front = _spline(np.vstack([right, left[1:-1]]), closed=True, n=3)
    back = None
    if t.hair_style == "long":
        back = _spline(
            _mirror([(0.0, cy - ay), (ax, cy), (ax + 0.25, 1.2), (ax + 0.4, length + 0.15)]),
            closed=True,
            n=4,
        )
        back = np.vstack([back[back[:, 1] < length + 0.1], [(0.0, length + 0.2)]])
    elif t.hair_style == "bun":
        back = _ellipse(0.0, cy - ay - 0.08, 0.3, 0.2, 20)
    return [front], back


def _strands(t: FaceTraits, rng: np.random.Generator, count: int) -> list[Points]:
    """Curves along the hair's flow: from the crown outwards and down over the sides."""
    if t.hair_style in ("bald", "buzz") or t.headscarf:
        return []
    vol = t.hair_volume
    ax = t.face_w * 1.06 + vol * 0.8
    ay = t.skull_h + vol
    side = np.where(rng.random(count) < 0.5 + 0.3 * t.parting, 1.0, -1.0)[:, None]
    start = rng.uniform(-1.5, -0.9, count)[:, None]
    end = np.minimum(-0.05, start + rng.uniform(0.35, 0.8, count)[:, None])
    depth = rng.uniform(0.78, 0.97, count)[:, None]
    s = np.linspace(0.0, 1.0, 9)
    theta = start + (end - start) * s
    rho = 1 - (1 - depth) * (-np.sin(theta))
    crown = np.stack([side * ax * rho * np.cos(theta), -0.42 + ay * rho * np.sin(theta)], -1)
    curves = list(crown)
    if t.hair_style == "long":
        n = count // 3
        fw, nw, length = t.face_w, t.neck_w, t.hair_length
        bottom = (length if t.hair_forward else 1.0) * rng.uniform(0.5, 0.95, n)[:, None]
        y = -0.3 + (bottom + 0.3) * s
        inner = np.interp(
            y,
            [-0.4, 0.05, 0.55, 1.0, length],
            [fw * 0.94, fw * 0.96, fw * 0.86, nw + 0.08, nw + 0.1],
        )
        outer = np.interp(y, [-0.42, 0.3, 1.2, length], [ax, ax + 0.06, ax + 0.16, ax + 0.24])
        between = rng.uniform(0.2, 0.85, n)[:, None]
        side = np.where(rng.random(n) < 0.5, 1.0, -1.0)[:, None]
        curves += list(np.stack([side * (inner + (outer - inner) * between), y], -1))
    return curves


def _torso(t: FaceTraits) -> tuple[Points, Points | None, Points | None]:
    """Clothes outline, the shirt inside a jacket's V, and the right collar wing (head units).

    The torso is in the body frame: it does not turn with the head.
    """
    nw, sw = t.neck_w, t.shoulder_w
    base = 1.2 + 0.08 * (1 - nw) - 0.12 * (t.age < 12)
    low = {"crew": base + 0.2, "v": base + 0.65, "collar": base + 0.45, "suit": base + 0.95}
    dip = low[t.neckline]
    right = [(0.0, dip)]
    if t.neckline == "crew":
        right.append((nw * 0.72, dip - 0.07))
    right += [(nw * 1.05, base), (nw + 0.45, base + 0.14), (sw * 0.75, base + 0.38)]
    right += [(sw, base + 0.75), (sw * 1.1, base + 5.0), (0.0, base + 5.0)]
    outline = _spline(_mirror(right), closed=True, n=4)
    shirt = collar = None
    if t.neckline == "suit":
        shirt = _mirror(
            [(0.0, base + 0.05), (nw * 1.1, base - 0.02), (nw * 1.2, base + 0.6)]
            + [(0.0, dip + 0.3)]
        )
    if t.neckline in ("collar", "suit"):
        collar = _spline(
            np.array(
                [
                    (nw * 1.1, base - 0.14),
                    (0.03, base + 0.42),
                    (nw * 0.55, base + 0.6),
                    (nw * 1.34, base + 0.22),
                ]
            ),
            closed=True,
            n=3,
        )
    return outline, shirt, collar


def _resample(points: Points, k: int) -> Points:
    """A closed polygon resampled to exactly ``k`` vertices (by index, not arc length)."""
    loop = np.vstack([points, points[:1]])
    t = np.linspace(0.0, len(points), k, endpoint=False)
    i = t.astype(int)
    f = (t - i)[:, None]
    out: Points = loop[i] * (1 - f) + loop[i + 1] * f
    return out


# --- per-identity geometry ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Part:
    body: bool
    start: int
    stop: int
    curves: int


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Every shape of one person in head units, packed for a single projection per photo."""

    traits: FaceTraits
    head: Points
    """(N, 3) x, y, z."""
    smile: Points
    """(N, 2) displacement of each head point per unit of smile."""
    body: Points
    """(M, 2) torso points (body frame)."""
    parts: dict[str, _Part]


class _Builder:
    """Collects named shapes, then packs them into one array per frame."""

    def __init__(self) -> None:
        self.head: list[Points] = []
        self.depth: list[float] = []
        self.smile: dict[int, Points] = {}
        self.body: list[Points] = []
        self.parts: dict[str, _Part] = {}
        self.n_head = 0
        self.n_body = 0

    def add(self, name: str, shapes: list[Points], z: float, smile: Points | None = None) -> None:
        """Head-frame shapes at depth ``z``; a list of equal-length curves is one part."""
        if not shapes:
            return
        count = sum(len(shape) for shape in shapes)
        if smile is not None:
            self.smile[self.n_head] = smile
        self.head += shapes
        self.depth += [z] * len(shapes)
        self.parts[name] = _Part(False, self.n_head, self.n_head + count, len(shapes))
        self.n_head += count

    def add_body(self, name: str, shapes: list[Points]) -> None:
        if not shapes:
            return
        count = sum(len(shape) for shape in shapes)
        self.body += shapes
        self.parts[name] = _Part(True, self.n_body, self.n_body + count, len(shapes))
        self.n_body += count

    def build(self, traits: FaceTraits) -> _Geometry:
        lengths = [len(shape) for shape in self.head]
        head = np.column_stack([np.concatenate(self.head), np.repeat(self.depth, lengths)])
        smile = np.zeros((len(head), 2))
        for start, shift in self.smile.items():
            smile[start : start + len(shift)] = shift
        body = np.concatenate(self.body)
        for arr in (head, smile, body):
            arr.flags.writeable = False
        return _Geometry(traits, head, smile, body, self.parts)


def _mouth(t: FaceTraits, smile: float) -> tuple[Points, Points, Points]:
    mw, my, up, lo = t.mouth_w, t.mouth_y, t.lip_top, t.lip_bottom
    corner = my - smile * 0.05
    sag = my + 0.005 - smile * 0.02
    top = _curve(
        [(-mw, corner), (-0.55 * mw, my - 0.7 * up), (-0.07, my - up), (0.0, my - 0.75 * up)]
        + [(0.07, my - up), (0.55 * mw, my - 0.7 * up), (mw, corner)],
        25,
    )
    seam = _curve(
        [(mw, corner), (0.5 * mw, sag), (0.0, my + 0.01), (-0.5 * mw, sag), (-mw, corner)], 17
    )
    bottom = _curve(
        [(-mw, corner), (-0.55 * mw, my + 0.75 * lo), (0.0, my + lo), (0.55 * mw, my + 0.75 * lo)]
        + [(mw, corner)],
        17,
    )
    return top, seam, bottom


@lru_cache(maxsize=1024)
def _geometry(face_seed: int, age: int | None, sex: str | None) -> _Geometry:
    t = face_traits(face_seed, age, sex)
    rng = _seeded(face_seed, 0x6E0)
    b = _Builder()
    fw = t.face_w
    face = _face_outline(t)
    front, back = _hair_shapes(t, rng)
    if back is not None:
        b.add("back_hair", [back], -0.4)
    b.add("skull", [_ellipse(0.0, -0.42, fw * 1.04, t.skull_h, 32)], -0.2)
    ears = [_ear(t, side) for side in (-1, 1)]
    b.add("ears", ears, -0.35)
    b.add("ear_folds", [_curve(e[6:20] * [0.97, 1.0], 9) for e in ears], -0.35)
    b.add("face", [face], 0.0)
    jaw = fw * t.jaw_w
    under = [_ellipse(0.0, 1.02, jaw * 1.05, 0.38, 20), _ellipse(0.0, 0.95, jaw * 0.85, 0.22, 20)]
    b.add("chin_shadow", under, 0.0)
    if t.headscarf:
        sw = t.shoulder_w
        scarf = [(0.0, -1.72), (fw * 1.28, -1.2), (fw * 1.38, -0.2), (fw * 1.45, 0.9)]
        scarf += [(sw * 0.72, 2.0), (sw * 0.9, 3.5), (0.0, 3.5)]
        b.add("scarf", [_spline(_mirror(scarf), closed=True, n=4)], -0.1)
        outer = [(0.0, -1.22), (fw * 1.08, -0.8), (fw * 1.1, 0.2), (fw * 0.93, 0.95), (0.0, 1.18)]
        inner = [(0.0, 1.04), (fw * 0.9, 0.55), (fw * 0.96, -0.1), (fw * 0.8, -0.7), (0.0, -0.82)]
        ring = [_spline(_mirror(half), closed=True, n=6) for half in (outer, inner[::-1])]
        b.add("scarf_rim", [np.vstack([ring[0], ring[0][:1], ring[1][::-1], ring[1][-1:]])], 0.15)
    _add_age_lines(b, t)
    if t.freckles > 0:
        spots = rng.random((int(60 * t.freckles) + 5, 3))
        b.add(
            "freckles",
            [
                _ellipse(
                    (x - 0.5) * 1.1,
                    t.eye_y + 0.12 + y * 0.35,
                    0.009 + 0.008 * r,
                    0.008 + 0.006 * r,
                    6,
                )
                for x, y, r in spots
            ],
            0.6,
        )
    b.add("moles", [_ellipse(x, y, 0.014, 0.012, 8) for x, y in t.moles], 0.5)
    _add_beard(b, t, face)
    if front:
        b.add("front_hair", front, 0.1)
        b.add("hairline_shadow", [part + [0.0, 0.06] for part in front], 0.1)
        b.add("strands", _strands(t, rng, 44), 0.3)
        if t.hair_style in ("side_part", "short", "medium", "long") and abs(t.parting) > 0.1:
            x = t.parting * 0.35
            b.add(
                "parting", [_curve([(x, t.hairline - 0.02), (x * 0.9, t.hairline - 0.32)], 4)], 0.6
            )
    if t.hair_style != "bald" and not t.headscarf:
        band = _ellipse(0.0, -0.42 - (t.skull_h + t.hair_volume) * 0.72, fw * 0.55, 0.1, 16)
        b.add("h_hair", [band], 0.3)
    elif t.hair_style == "bald":
        b.add("h_hair", [_ellipse(0.0, -1.05, fw * 0.45, 0.14, 16)], 0.8)
    _add_eyes(b, t, rng)
    for part, shapes, z in _nose_and_relief(t):
        b.add(part, shapes, z)
    neutral = _mouth(t, 0.0)
    smiling = _mouth(t, 1.0)
    for name, a, c in zip(
        ("mouth_top", "mouth_seam", "mouth_bottom"), neutral, smiling, strict=True
    ):
        b.add(name, [a], 0.75, smile=c - a)
    if t.glasses != "none":
        _add_glasses(b, t)
    nw = t.neck_w
    neck = [(0.0, 0.2), (nw * 0.95, 0.2), (nw * 0.9, 0.9), (nw * 1.02, 1.4), (nw * 1.1, 2.6)]
    b.add_body("neck", [_mirror([*neck, (0.0, 2.6)])])
    torso, shirt, collar = _torso(t)
    b.add_body("torso", [torso])
    if shirt is not None:
        b.add_body("shirt", [shirt])
    if collar is not None:
        b.add_body("collars", [collar * [-1.0, 1.0], collar])
    return b.build(t)


def _add_age_lines(b: _Builder, t: FaceTraits) -> None:
    if t.wrinkles < 0.05:
        return
    folds, fine = [], []
    for side in (-1, 1):
        folds.append(
            _curve(
                [
                    (side * t.nose_w * 1.05, t.nose_y - 0.07),
                    (side * (t.nose_w + 0.08), t.nose_y + 0.1),
                    (side * (t.mouth_w + 0.05), t.mouth_y + 0.06),
                ]
            )
        )
        folds.append(
            _curve(
                [
                    (side * (t.mouth_w + 0.03), t.mouth_y + 0.06),
                    (side * (t.mouth_w + 0.01), t.mouth_y + 0.24),
                ]
            )
        )
        corner = side * (t.eye_dx + t.eye_w * 1.1)
        for dy in (-0.045, 0.0, 0.045):
            fine.append(
                _curve([(corner, t.eye_y + dy * 0.3), (corner + side * 0.08, t.eye_y + dy)])
            )
        fine.append(
            _curve(
                [
                    (side * (t.eye_dx - t.eye_w * 0.8), t.eye_y + t.eye_w * 0.75),
                    (side * t.eye_dx, t.eye_y + t.eye_w * 1.05),
                    (side * (t.eye_dx + t.eye_w * 0.9), t.eye_y + t.eye_w * 0.7),
                ]
            )
        )
    b.add("folds", folds, 0.7)
    b.add("fine_lines", fine, 0.55)
    b.add(
        "forehead_lines",
        [
            _curve([(-0.36, y + 0.02), (0.0, y - 0.015), (0.36, y + 0.02)])
            for y in (-0.6, -0.69, -0.78)
        ],
        0.8,
    )


def _add_beard(b: _Builder, t: FaceTraits, face: Points) -> None:
    if t.beard == "none":
        return
    top = t.nose_y + 0.02
    shapes = []
    if t.beard in ("stubble", "full"):
        lower = face[face[:, 1] > top - 0.12]
        lower = lower[np.argsort(-np.arctan2(lower[:, 1], lower[:, 0]))]
        drop = 0.05 if t.beard == "full" else 0.0
        cheeks = np.array(
            [(-t.face_w * 0.9, top - 0.1), (0.0, top + 0.04), (t.face_w * 0.9, top - 0.1)]
        )
        shapes.append(_resample(np.vstack([lower + [0.0, drop], cheeks]), 48))
    if t.beard in ("moustache", "goatee", "full"):
        stache = [(-t.mouth_w * 1.05, t.mouth_y + 0.02), (-t.nose_w, top + 0.02), (0.0, top + 0.03)]
        stache += [
            (t.nose_w, top + 0.02),
            (t.mouth_w * 1.05, t.mouth_y + 0.02),
            (0.0, t.mouth_y - t.lip_top * 0.8),
        ]
        shapes.append(_resample(_spline(np.asarray(stache), closed=True, n=4), 48))
    if t.beard == "goatee":
        shapes.append(_ellipse(0.0, 0.86, t.chin_w * 0.9, 0.16, 48))
    b.add("beard", shapes, 0.6)
    b.add("t_beard", [_resample(np.vstack([face[face[:, 1] > top], [(0.0, top)]]), 32)], 0.6)


def _add_eyes(b: _Builder, t: FaceTraits, rng: np.random.Generator) -> None:
    ups, lows, creases, irises, brows, hairs = [], [], [], [], [], []
    for side in (-1, 1):
        cx, cy, w = side * t.eye_dx, t.eye_y, t.eye_w
        h = w * t.eye_open
        tilt = t.eye_tilt * w
        upper = [(cx - side * w, cy + 0.01), (cx - side * w * 0.4, cy - h)]
        upper += [(cx + side * w * 0.35, cy - h * 0.92), (cx + side * w, cy - tilt)]
        lower = [(cx + side * w, cy - tilt), (cx + side * w * 0.3, cy + h * 0.62)]
        lower += [(cx - side * w * 0.4, cy + h * 0.55), (cx - side * w, cy + 0.01)]
        ups.append(_curve(upper, 13))
        lows.append(_curve(lower, 11))
        creases.append(_curve(np.asarray(upper[:1] + upper[1:]) + [0.0, -h * 0.55], 11)[1:-1])
        irises.append(np.array([(cx, cy - h * 0.12)]))
        brow_y = cy - t.brow_gap
        centre = np.array(
            [(cx - side * w * 1.1, brow_y + 0.03), (cx + side * w * 0.4, brow_y - t.brow_arch)]
            + [(cx + side * w * 1.35, brow_y + 0.045)]
        )
        thick = np.array([1.25, 1.0, 0.3])[:, None] * t.brow_thick
        outline = np.vstack([centre - [0, 0.5] * thick, (centre + [0, 0.5] * thick)[::-1]])
        brows.append(_resample(_spline(outline, closed=True, n=5), 30))
        line = _curve(centre, 14)
        u = np.linspace(0.0, 1.0, 14)
        th = t.brow_thick * (1.25 - 0.95 * u)
        base = line + np.column_stack([rng.normal(0, 0.01, 14), th * rng.uniform(0.0, 0.45, 14)])
        tip = base + np.column_stack([side * (0.035 + 0.05 * u), -th * rng.uniform(0.7, 1.1, 14)])
        hairs += list(np.stack([base, tip], axis=1))
    b.add("eye_up", ups, 0.6)
    b.add("eye_low", lows, 0.6)
    b.add("crease", creases, 0.6)
    b.add("iris", irises, 0.7)
    b.add("brows", brows, 0.65)
    b.add("brow_hairs", hairs, 0.66)


def _nose_and_relief(t: FaceTraits) -> list[tuple[str, list[Points], float]]:
    """Nose drawing, and the bumps, shadows, highlights and tints that model the face."""
    ny, nw = t.nose_y, t.nose_w
    sides = (-1, 1)
    nostrils = [_ellipse(s * nw * 0.42, ny - 0.005, 0.05, 0.022, 10) for s in sides]
    wings = [
        _curve(
            [
                (s * nw * 0.72, ny - 0.15),
                (s * nw, ny - 0.07),
                (s * nw * 0.92, ny),
                (s * nw * 0.6, ny + 0.02),
            ]
        )
        for s in sides
    ]
    socket = [_ellipse(s * t.eye_dx, t.eye_y - 0.02, t.eye_w * 1.4, t.eye_w * 1.0) for s in sides]
    cheeks = [_ellipse(s * (t.eye_dx + 0.06), ny - 0.1, 0.2, 0.13) for s in sides]
    corners = [_ellipse(s * (t.eye_dx - t.eye_w * 0.95), t.eye_y - 0.05, 0.06, 0.06) for s in sides]
    return [
        ("nostrils", nostrils, 0.8),
        ("nose_wings", wings, 0.8),
        ("r_ridge", [np.array([(0.0, t.eye_y - 0.02), (0.0, ny - 0.08)])], 0.85),
        ("r_tip", [_ellipse(0.0, ny - 0.07, nw * 0.55, 0.08)], 0.95),
        ("r_wings", [_ellipse(s * nw * 0.8, ny - 0.05, 0.06, 0.06) for s in sides], 0.8),
        ("r_sockets", socket, 0.55),
        ("r_cheeks", cheeks, 0.6),
        ("r_brow", [_ellipse(0.0, t.eye_y - t.brow_gap - 0.02, t.eye_dx + 0.2, 0.07)], 0.6),
        ("r_chin", [_ellipse(0.0, 0.86, t.chin_w * 0.8, 0.1)], 0.6),
        ("r_lips", [_ellipse(0.0, t.mouth_y, t.mouth_w, 0.08)], 0.75),
        ("s_corners", corners, 0.6),
        (
            "s_nose_sides",
            [
                _ellipse(s * nw * 0.55, (t.eye_y + ny) / 2, 0.04, (ny - t.eye_y) * 0.4)
                for s in sides
            ],
            0.75,
        ),
        ("s_under_nose", [_ellipse(0.0, ny + 0.04, nw * 0.9, 0.045)], 0.8),
        (
            "s_under_lip",
            [_ellipse(0.0, t.mouth_y + t.lip_bottom + 0.07, t.mouth_w * 0.55, 0.035)],
            0.7,
        ),
        ("h_forehead", [_ellipse(0.0, -0.55, 0.3, 0.13)], 0.8),
        ("h_nose", [_ellipse(0.0, ny - 0.09, 0.035, 0.03)], 1.0),
        ("h_cheeks", [c + [s * 0.02, -0.04] for s, c in zip(sides, cheeks, strict=True)], 0.6),
        ("h_lip", [_ellipse(0.0, t.mouth_y + t.lip_bottom * 0.45, t.mouth_w * 0.35, 0.02)], 0.8),
        ("t_cheeks", cheeks, 0.6),
        ("t_eyes", socket, 0.55),
        ("t_nose", [_ellipse(0.0, ny - 0.06, nw * 0.9, 0.08)], 0.9),
    ]


def _add_glasses(b: _Builder, t: FaceTraits) -> None:
    lenses, temples, glare, tops = [], [], [], []
    for side in (-1, 1):
        cx, cy = side * t.eye_dx, t.eye_y + 0.03
        lenses.append(_ellipse(cx, cy, t.eye_w * 1.55, t.eye_w * 1.05, 28))
        glare.append(
            np.array([(cx - 0.06, cy - 0.08), (cx + 0.02, cy - 0.1), (cx - 0.08, cy + 0.06)])
        )
        temples.append(
            np.array([(cx + side * t.eye_w * 1.55, cy - 0.02), (side * t.face_w, cy - 0.04)])
        )
        tops.append((cx - side * t.eye_w * 1.4, cy - t.eye_w * 0.4))
    b.add("lenses", lenses, 0.8)
    b.add("glare", glare, 0.8)
    b.add("temples", temples, 0.5)
    b.add("bridge", [_curve([tops[0], (0.0, t.eye_y - 0.02), tops[1]])], 0.9)


# --- one photo -------------------------------------------------------------------------------


class _Camera:
    """Head units to portrait pixels for one photo: head pose, then framing."""

    def __init__(self, traits: FaceTraits, shot: Shot, size: tuple[int, int]) -> None:
        w, h = size
        crown = -(0.42 + traits.skull_h)
        hair_top = crown - (0.0 if traits.hair_style == "bald" else traits.hair_volume)
        self.scale = float(shot.head_frac * h / (1.0 - crown))
        self.cx = float(w / 2 + shot.dx * w)
        self.cy = float(shot.top * h - hair_top * self.scale)
        cy, sy = np.cos(shot.yaw), np.sin(shot.yaw)
        cp, sp = np.cos(shot.pitch), np.sin(shot.pitch)
        cr, sr = np.cos(shot.roll), np.sin(shot.roll)
        yaw = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
        pitch = np.array([[1, 0, 0], [0, cp, -sp], [0, sp, cp]])
        roll = np.array([[cr, -sr, 0], [sr, cr, 0], [0, 0, 1]])
        self.pose = (roll @ pitch @ yaw)[:2]

    def head(self, xyz: Points) -> Points:
        """Project head points (k, 3) to pixels (k, 2)."""
        out: Points = (xyz @ self.pose.T) * self.scale + [self.cx, self.cy]
        return out

    def body(self, points: Points) -> Points:
        """Project torso points (k, 2): the body does not turn with the head."""
        out: Points = points * self.scale + [self.cx, self.cy]
        return out


class _Frame:
    """One person's geometry projected for one photo, as cv2 fixed-point pixels by part name."""

    def __init__(self, geo: _Geometry, cam: _Camera, smile: float) -> None:
        xyz = geo.head.copy()
        xyz[:, :2] += geo.smile * smile
        self._head = _fixed(cam.head(xyz))
        self._body = _fixed(cam.body(geo.body))
        self._parts = geo.parts

    def has(self, name: str) -> bool:
        return name in self._parts

    def __getitem__(self, name: str) -> Fixed:
        part = self._parts[name]
        return (self._body if part.body else self._head)[part.start : part.stop]

    def curves(self, name: str) -> list[Fixed]:
        if name not in self._parts:
            return []
        return list(self[name].reshape(self._parts[name].curves, -1, 2))


def _fixed(px: Points) -> Fixed:
    """Pixels as cv2 fixed-point coordinates with ``_SHIFT`` fractional bits."""
    return np.round(px * (1 << _SHIFT)).astype(np.int32)


def _colour(values: npt.ArrayLike) -> tuple[float, float, float]:
    r, g, b = (min(255.0, max(0.0, float(v))) for v in np.asarray(values).ravel()[:3])
    return (r, g, b)


class _Painter:
    """The portrait being drawn: flat colours at full size, lighting layers at 1/_LOW.

    Every shape arrives in fixed point; the lighting layers take the same integers with two more
    fractional bits, which divides them by _LOW = 4 for free.
    """

    def __init__(self, size: tuple[int, int], shot: Shot, scale: float) -> None:
        w, h = size
        self.size = size
        self.unit = float(scale / _LOW)
        """Low-resolution pixels per head unit."""
        lw, lh = -(-w // _LOW), -(-h // _LOW)
        yy = np.linspace(-1.0, 1.0, lh, dtype=np.float32)[:, None]
        xx = np.linspace(-1.0, 1.0, lw, dtype=np.float32)[None, :]
        gv, gh, gr = shot.bg_gradient
        light = 1 + gv * yy + gh * xx + gr * (xx * xx + yy * yy)
        bg_low = np.clip(light[..., None] * np.asarray(shot.background, np.float32), 0, 255)
        self.rgb = cv2.resize(bg_low.astype(np.uint8), (w, h), interpolation=cv2.INTER_LINEAR)
        self.relief = np.zeros((lh, lw), np.float32)
        self.detail = np.zeros((lh, lw), np.float32)
        self.shade = np.ones((lh, lw), np.float32)
        self.soft = np.ones((lh, lw), np.float32)
        self.shine = np.zeros((lh, lw), np.float32)
        self.tint = np.ones((lh, lw, 3), np.float32)
        self.subject = np.zeros((lh, lw), np.float32)
        self.skin = np.zeros((lh, lw), np.float32)
        self.hair = np.zeros((h, w), np.uint8)
        self.hair_box = [w, h, 0, 0]
        self.beard = np.zeros((h, w), np.uint8)
        self.beard_box = [w, h, 0, 0]

    def fill(self, fx: Fixed, colour: npt.ArrayLike, covers_hair: bool = False) -> None:
        """Paint a flat shape; ``covers_hair`` when it hides hair drawn behind it."""
        cv2.fillPoly(self.rgb, [fx], _colour(colour), cv2.LINE_AA, _SHIFT)
        if covers_hair:
            cv2.fillPoly(self.hair, [fx], 0, cv2.LINE_AA, _SHIFT)

    def stroke(
        self,
        curves: list[Fixed],
        under: npt.ArrayLike,
        ink: npt.ArrayLike,
        opacity: float,
        width: int = 1,
    ) -> None:
        """Thin lines over a known flat colour ``under``: drawn solid in the blended colour.

        Exact where the lines lie on ``under`` (strands on hair, creases on skin) and much
        cheaper than :meth:`blend`, which reads the pixels back.
        """
        if curves and opacity > 0:
            colour = _lerp(under, ink, min(opacity, 1.0))
            cv2.polylines(self.rgb, curves, False, _colour(colour), width, cv2.LINE_AA, _SHIFT)

    def blend(
        self,
        polys: list[Fixed],
        colour: npt.ArrayLike,
        opacity: float,
        thickness: int = 0,
        closed: bool = True,
        soft: float = 0.0,
    ) -> None:
        """Lay ``colour`` at ``opacity`` over filled polygons, or lines if ``thickness`` > 0.

        ``soft`` (pixels) feathers the edge, for things without an outline: stubble, brows.
        """
        if not polys or opacity <= 0:
            return
        allp = polys[0] if len(polys) == 1 else np.vstack(polys)
        lo = allp.min(axis=0) >> _SHIFT
        hi = allp.max(axis=0) >> _SHIFT
        pad = thickness + 2 + int(3 * soft)
        x0, y0 = max(0, int(lo[0]) - pad), max(0, int(lo[1]) - pad)
        x1 = min(self.size[0], int(hi[0]) + pad + 1)
        y1 = min(self.size[1], int(hi[1]) + pad + 1)
        if x1 <= x0 or y1 <= y0:
            return
        mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
        origin = np.array([x0 << _SHIFT, y0 << _SHIFT], dtype=np.int32)
        local = [p - origin for p in polys]
        if thickness:
            cv2.polylines(mask, local, closed, 255, thickness, cv2.LINE_AA, _SHIFT)
        else:
            for poly in local:
                cv2.fillPoly(mask, [poly], 255, cv2.LINE_AA, _SHIFT)
        if soft > 0:
            mask = np.asarray(cv2.GaussianBlur(mask, (0, 0), soft), np.uint8)
        k = np.float32(min(opacity, 1.0) / 255.0)
        tint = np.asarray(colour, np.float32)
        if thickness:
            ys, xs = np.nonzero(mask)
            a = mask[ys, xs, None] * k
            ys += y0
            xs += x0
            px = self.rgb[ys, xs].astype(np.float32)
            self.rgb[ys, xs] = px + (tint - px) * a + 0.5
            return
        roi = self.rgb[y0:y1, x0:x1].astype(np.float32)
        roi += (tint - roi) * (mask[..., None] * k)
        self.rgb[y0:y1, x0:x1] = roi + 0.5

    def low(
        self,
        layer: Gray,
        polys: list[Fixed],
        value: float | tuple[float, float, float],
        thickness: int = -1,
    ) -> None:
        """Draw into a lighting layer: filled polygons, or lines ``thickness`` low pixels wide."""
        if thickness < 0:
            for poly in polys:
                cv2.fillPoly(layer, [poly], value, cv2.LINE_8, _SHIFT + 2)
        else:
            cv2.polylines(layer, polys, False, value, thickness, cv2.LINE_8, _SHIFT + 2)

    def volume(self, polys: list[Fixed], base: float, radius: float) -> None:
        """Give the union of ``polys`` a rounded height: ``base`` plus a quarter-round rim.

        ``radius`` (head units) is how far in from the silhouette the surface keeps curving, so
        the rim turns away from the light as a head, a neck or a shoulder does.
        """
        cover = np.zeros(self.relief.shape, np.uint8)
        for poly in polys:
            cv2.fillPoly(cover, [poly], 255, cv2.LINE_AA, _SHIFT + 2)
        inside = cover > 127
        dist = cv2.distanceTransform(inside.astype(np.uint8), cv2.DIST_L2, 5)
        r = max(1.0, radius * self.unit)
        edge = 1.0 - np.minimum(dist * (1.0 / r), 1.0)
        height = base + radius * np.sqrt(1.0 - edge * edge)
        np.copyto(self.relief, height, where=inside)
        np.maximum(self.subject, cover * np.float32(1 / 255.0), out=self.subject)

    def hair_mask(self, fx: Fixed, beard: bool = False, value: int = 255) -> None:
        """Mark hair (or beard) pixels for the strand texture, and grow their bounding box."""
        cv2.fillPoly(self.beard if beard else self.hair, [fx], value, cv2.LINE_AA, _SHIFT)
        lo = fx.min(axis=0) >> _SHIFT
        hi = (fx.max(axis=0) >> _SHIFT) + 2
        box = self.beard_box if beard else self.hair_box
        box[:] = [min(box[0], int(lo[0])), min(box[1], int(lo[1]))] + [
            max(box[2], int(hi[0])),
            max(box[3], int(hi[1])),
        ]


def render_portrait(
    face_seed: int,
    shot_seed: int,
    size: tuple[int, int],
    *,
    age: int | None = None,
    sex: str | None = None,
) -> Rgb8:
    """A passport photo of the invented person ``face_seed``, taken as shot ``shot_seed``.

    Args:
        face_seed: identity (the same seed is the same person in every photo).
        shot_seed: pose, framing, lighting, background and camera of this photo.
        size: (width, height) in pixels, e.g. (280, 360) for 35 x 45 mm at 8 px/mm.
        age: apparent age in years, e.g. from the birth and issue dates; None draws one.
        sex: ``F`` or ``M`` to match the document holder; None (or ``X``) draws one.

    Returns:
        (height, width, 3) uint8 RGB.

    Raises:
        ValueError: ``size`` is smaller than 32 x 32.
    """
    if min(size) < 32:
        raise ValueError(f"portrait size {size} is below 32 x 32 pixels")
    geo = _geometry(face_seed, age, sex if sex in ("F", "M") else None)
    t = geo.traits
    shot = shot_params(shot_seed)
    cam = _Camera(t, shot, size)
    f = _Frame(geo, cam, shot.smile)
    p = _Painter(size, shot, cam.scale)
    _paint_body(p, f, t)
    _paint_head(p, f, t, cam.scale)
    _paint_face(p, f, t, shot, cam.scale)
    return _finish(p, t, shot, shot_seed)


def _paint_body(p: _Painter, f: _Frame, t: FaceTraits) -> None:
    """Hair behind the shoulders, the neck under its chin shadow, and the clothes."""
    skin = np.asarray(t.skin)
    if f.has("back_hair"):
        p.fill(f["back_hair"], np.asarray(t.hair) * 0.8)
        p.volume([f["back_hair"]], 0.1, 0.3)
        p.hair_mask(f["back_hair"])
    p.fill(f["neck"], skin * [0.94, 0.9, 0.9], covers_hair=True)
    p.volume([f["neck"]], 0.25, t.neck_w * 0.9)
    far, near = f.curves("chin_shadow")
    p.low(p.shade, [far], 0.75)
    p.low(p.shade, [near], 0.5)
    clothes = t.shirt if t.neckline == "collar" else t.clothes
    p.fill(f["torso"], clothes, covers_hair=not t.hair_forward)
    p.volume([f["torso"]], 0.0, 0.6)
    p.low(p.soft, [f["torso"]], 1.0)
    p.low(p.shade, [f["torso"]], 1.0)
    if f.has("shirt"):
        p.fill(f["shirt"], t.shirt)
    collars = f.curves("collars")
    for wing in collars:
        p.fill(wing, t.shirt)
    p.blend(collars, np.asarray(t.shirt) * 0.6, 0.5, thickness=1)
    if collars:
        p.low(p.detail, collars, 0.1)
    if f.has("scarf"):
        p.fill(f["scarf"], np.asarray(t.clothes) * 1.1 + 10)
        p.volume([f["scarf"]], 0.2, 0.5)
        p.low(p.soft, [f["scarf"]], 1.0)


def _paint_head(p: _Painter, f: _Frame, t: FaceTraits, scale: float) -> None:
    """Ears, skull and face in skin with their modelling, age lines, beard, then the hair."""
    skin = np.asarray(t.skin)
    ears = f.curves("ears")
    for ear in ears:
        p.fill(ear, skin * [0.96, 0.88, 0.87], covers_hair=True)
    p.volume(ears, 0.3, 0.06)
    p.stroke(f.curves("ear_folds"), skin * [0.96, 0.88, 0.87], skin * 0.55, 0.4)
    head = [f["face"]] if f.has("scarf") else [f["skull"], f["face"]]
    for part in head:
        p.fill(part, skin, covers_hair=True)
    p.volume(head, 0.35, 0.55)
    p.low(p.skin, head, 1.0)
    p.low(p.soft, head, 1.0)
    p.low(p.shade, head, 1.0)
    thick = max(1, int(round(p.unit * 0.05)))
    p.low(p.detail, [f["r_ridge"]], 0.35, thickness=thick)
    p.low(p.detail, [f["r_tip"]], 0.5)
    p.low(p.detail, f.curves("r_wings"), 0.2)
    p.low(p.detail, f.curves("r_sockets"), -0.22)
    p.low(p.detail, f.curves("r_cheeks"), 0.1)
    for name, value in (("r_brow", 0.1), ("r_chin", 0.12), ("r_lips", 0.08)):
        p.low(p.detail, [f[name]], value)
    p.low(p.shade, f.curves("s_corners"), 0.85)
    p.low(p.shade, f.curves("s_nose_sides"), 0.9)
    p.low(p.soft, [f["s_under_nose"]], 0.72)
    p.low(p.soft, [f["s_under_lip"]], 0.82)
    p.low(p.shine, [f["h_forehead"]], 0.45)
    p.low(p.shine, [f["h_nose"]], 0.9)
    p.low(p.shine, f.curves("h_cheeks"), 0.35)
    p.low(p.shine, [f["h_lip"]], 0.6)
    p.low(p.shine, [f["r_ridge"]], 0.35, thickness=max(1, thick // 2))
    red = 1.0 + 0.08 * t.blush
    p.low(p.tint, f.curves("t_cheeks"), (red, 1 - 0.05 * t.blush, 1 - 0.04 * t.blush))
    p.low(p.tint, [f["t_nose"]], (red, 0.98, 0.98))
    p.low(p.tint, f.curves("t_eyes"), (0.93, 0.91, 0.94))
    if f.has("t_beard"):
        p.low(p.tint, [f["t_beard"]], (0.93, 0.93, 0.96))
    line = skin * [0.62, 0.55, 0.55]
    width = max(1, int(round(scale * 0.012)))
    p.stroke(f.curves("folds"), skin, line, 0.45 * t.wrinkles, width + 1)
    p.stroke(f.curves("fine_lines"), skin, line, 0.32 * t.wrinkles, width)
    p.stroke(f.curves("forehead_lines"), skin, line, 0.25 * t.wrinkles, width)
    p.blend(f.curves("freckles"), skin * [0.72, 0.6, 0.55], 0.45)
    p.blend(f.curves("moles"), skin * 0.45, 0.7)
    beard = f.curves("beard")
    stubble = t.beard == "stubble"
    for shape in beard:
        p.blend(
            [shape], t.hair, 0.3 if stubble else 0.9, soft=scale * (0.035 if stubble else 0.012)
        )
        p.hair_mask(shape, beard=True, value=120 if stubble else 255)
    if t.beard == "full":
        p.volume(beard[:1], 0.4, 0.15)
    hair = f.curves("front_hair")
    if hair:
        p.low(p.soft, f.curves("hairline_shadow"), 0.72)
        if t.hair_style == "buzz":
            p.blend(hair, t.hair, 0.6)
        else:
            for part in hair:
                p.fill(part, t.hair)
            p.blend(hair, t.hair, 0.35, thickness=3)
        p.volume(hair, 0.4, 0.35 + t.hair_volume)
        p.low(p.soft, hair, 1.0)
        p.low(p.skin, hair, 0.0)
        for part in hair:
            p.hair_mask(part)
        strands = f.curves("strands")
        colour = np.asarray(t.hair)
        p.stroke(strands[::2], colour, colour * 0.55, 0.35)
        p.stroke(strands[1::2], colour, colour * 1.35 + 12, 0.25)
        p.stroke(f.curves("parting"), colour, skin * 0.8, 0.5)
    if f.has("h_hair"):
        p.low(p.shine, [f["h_hair"]], 0.55 if t.hair_style != "bald" else 0.5)
    if f.has("scarf_rim"):
        p.fill(f["scarf_rim"], np.asarray(t.clothes) * 1.1 + 10)
        p.low(p.soft, [f["scarf_rim"]], 0.95)


def _paint_face(p: _Painter, f: _Frame, t: FaceTraits, shot: Shot, scale: float) -> None:
    """Eyes, brows, nose, lips and glasses."""
    skin = np.asarray(t.skin)
    ups, lows = f.curves("eye_up"), f.curves("eye_low")
    iris_r = 0.45 * t.eye_w * scale
    for up, low, centre in zip(ups, lows, f["iris"], strict=True):
        _paint_eyeball(p, np.vstack([up, low[1:-1]]), centre, iris_r, t, shot)
    lash = _lerp((28, 22, 20), t.hair, 0.15)
    p.blend(ups, lash, 0.9, max(1, int(round(scale * 0.015))), closed=False)
    p.stroke(lows, skin, skin * 0.5, 0.35)
    p.stroke(f.curves("crease"), skin, skin * 0.62, 0.3)
    brow = _lerp(t.hair, (40, 30, 26), 0.35 if t.age > 1 else 0.0)
    opacity = 0.6 if t.age > 3 else 0.3
    p.blend(f.curves("brows"), brow, opacity, soft=0.7)
    p.stroke(f.curves("brow_hairs"), _lerp(skin, brow, opacity), brow * 0.85, opacity * 0.7)
    p.blend(f.curves("nostrils"), skin * 0.3, 0.75)
    p.stroke(f.curves("nose_wings"), skin, skin * 0.55, 0.4)
    lips = np.asarray(t.lips)
    top, seam, bottom = f["mouth_top"], f["mouth_seam"], f["mouth_bottom"]
    p.blend([np.vstack([top, seam])], lips * 0.86, 0.85)
    p.blend([np.vstack([bottom, seam[::-1]])], lips, 0.8)
    p.blend([seam], lips * 0.35, 0.9, max(1, int(round(scale * 0.013))), closed=False)
    if t.glasses != "none":
        frame = np.asarray(t.glasses_colour)
        width = max(1, int(round(scale * (0.035 if t.glasses == "thick" else 0.012))))
        p.blend(f.curves("lenses"), frame, 0.95, width)
        p.blend(f.curves("temples") + [f["bridge"]], frame, 0.9, width, closed=False)
        p.blend(f.curves("glare"), (255, 255, 255), 0.12)


def _paint_eyeball(
    p: _Painter, almond: Fixed, iris_c: Fixed, iris_r: float, t: FaceTraits, shot: Shot
) -> None:
    """Sclera, iris, pupil and catchlight, clipped to the eye opening ``almond``."""
    lo = almond.min(axis=0) >> _SHIFT
    hi = almond.max(axis=0) >> _SHIFT
    x0, y0 = max(0, int(lo[0]) - 1), max(0, int(lo[1]) - 1)
    x1, y1 = min(p.size[0], int(hi[0]) + 2), min(p.size[1], int(hi[1]) + 2)
    if x1 <= x0 or y1 <= y0:
        return
    origin = np.array([x0 << _SHIFT, y0 << _SHIFT], dtype=np.int32)
    mask = np.zeros((y1 - y0, x1 - x0), np.uint8)
    cv2.fillPoly(mask, [almond - origin], 255, cv2.LINE_AA, _SHIFT)
    eye = np.empty((y1 - y0, x1 - x0, 3), np.uint8)
    eye[:] = _colour(_lerp((222, 218, 212), t.skin, 0.25))
    cx, cy = (int(v) for v in iris_c - origin)
    ring = int(iris_r * (1 << _SHIFT))
    iris = np.asarray(t.iris)
    cv2.circle(eye, (cx, cy), ring, _colour(iris * 0.45), -1, cv2.LINE_AA, _SHIFT)
    cv2.circle(eye, (cx, cy), int(ring * 0.84), _colour(iris), -1, cv2.LINE_AA, _SHIFT)
    cv2.circle(eye, (cx, cy), int(ring * 0.55), _colour(iris * 1.2), 1, cv2.LINE_AA, _SHIFT)
    cv2.circle(eye, (cx, cy), int(ring * 0.38), (14, 12, 12), -1, cv2.LINE_AA, _SHIFT)
    glint = (cx + int(shot.light[0] * 1.2 * ring), cy - int(0.35 * ring))
    cv2.circle(eye, glint, int(ring * 0.14), (250, 250, 250), -1, cv2.LINE_AA, _SHIFT)
    lid_shadow = np.linspace(0.6, 1.0, y1 - y0, dtype=np.float32)[:, None, None]
    a = mask[..., None] * np.float32(1 / 255.0)
    roi = p.rgb[y0:y1, x0:x1].astype(np.float32)
    p.rgb[y0:y1, x0:x1] = roi + (eye * lid_shadow - roi) * a


@lru_cache(maxsize=1)
def _tiles() -> tuple[Gray, Gray, Gray]:
    """Fixed noise tiles (wrap-padded to twice their period): grain, straight and curly hair.

    Built once from a constant seed, so they are constants of the module, not hidden state.
    """
    rng = np.random.default_rng(0x7113)
    grain = rng.standard_normal((_TILE, _TILE)).astype(np.float32)
    straight = cv2.GaussianBlur(grain, (1, 0), sigmaX=0.6, sigmaY=6.0)
    rolled = np.roll(grain, 100, axis=0)
    curly = cv2.GaussianBlur(rolled, (0, 0), 1.2)
    curly = curly / curly.std() - 1.2 * np.abs(cv2.GaussianBlur(rolled, (0, 0), 3.0)) / 0.1
    tiles = [
        np.pad((x - x.mean()) / x.std(), ((0, _TILE), (0, _TILE)), mode="wrap")
        for x in (grain, straight, curly)
    ]
    for tile in tiles:
        tile.flags.writeable = False
    return tiles[0], tiles[1], tiles[2]


def _crop(tile: Gray, xy: tuple[int, int], shape: tuple[int, int]) -> Gray:
    """A (h, w) window of a wrap-padded tile from ``xy``, wrapping around its edges."""
    h, w = shape
    x, y = xy[0] % _TILE, xy[1] % _TILE
    if h <= _TILE and w <= _TILE:
        return tile[y : y + h, x : x + w]
    rows = (np.arange(h) + y) % _TILE
    cols = (np.arange(w) + x) % _TILE
    return tile[rows[:, None], cols[None, :]]


def _finish(p: _Painter, t: FaceTraits, shot: Shot, shot_seed: int) -> Rgb8:
    """Light the flat drawing, texture the hair, then colour cast, grain and focus."""
    w, h = p.size
    unit = p.unit
    height = np.asarray(cv2.GaussianBlur(p.relief, (0, 0), 1.6), np.float32)
    height += cv2.GaussianBlur(p.detail, (0, 0), 0.05 * unit + 0.5)
    gy, gx = np.gradient(height * (unit * 0.8))
    steep = np.maximum(1.0, np.sqrt(gx * gx + gy * gy) * (1 / _MAX_SLOPE))
    gx /= steep
    gy /= steep
    lx, ly, lz = shot.light
    lambert = np.clip((lz - gx * lx - gy * ly) / np.sqrt(gx * gx + gy * gy + 1.0), 0.0, 1.0)
    lit = shot.ambient + (1 - shot.ambient) / lz * lambert
    lit *= cv2.GaussianBlur(p.shade, (0, 0), 0.04 * unit + 0.6)
    lit *= cv2.GaussianBlur(p.soft, (0, 0), 0.1 * unit + 0.6)
    subject = cv2.GaussianBlur(p.subject, (0, 0), 0.5)
    offset = np.array([[1, 0, unit * (0.04 - 0.25 * lx)], [0, 1, unit * 0.08]], np.float32)
    behind = cv2.warpAffine(
        cv2.GaussianBlur(p.subject, (0, 0), unit * 0.2), offset, (lit.shape[1], lit.shape[0])
    )
    backdrop = 1 - shot.bg_shadow * behind
    tint = np.asarray(cv2.GaussianBlur(p.tint, (0, 0), 0.05 * unit + 0.6), np.float32)
    grain, straight, curly = _tiles()
    blotch = cv2.GaussianBlur(_crop(grain, t.texture_xy, lit.shape), (0, 0), 0.8)
    tint *= (1.0 + 0.06 * blotch * p.skin)[..., None]
    mix = (subject * lit)[..., None] * tint + ((1 - subject) * backdrop)[..., None]
    mix *= np.asarray(shot.cast, np.float32) * np.float32(shot.exposure * _GAIN_ONE)
    gain = cv2.resize(cv2.convertScaleAbs(mix), (w, h), interpolation=cv2.INTER_LINEAR)
    sheen = shot.shine * 255.0 * (1.0 + max(0.0, 1.0 - sum(t.skin) / 450.0) * 2.0)
    shine = cv2.GaussianBlur(p.shine, (0, 0), 0.05 * unit + 0.7) * sheen * subject
    rng = _seeded(shot_seed, 0x6A1)
    add = np.asarray(cv2.resize(shine, (w, h), interpolation=cv2.INTER_LINEAR), np.float32)
    add += _crop(grain, (int(rng.integers(_TILE)), int(rng.integers(_TILE))), (h, w)) * shot.noise
    strength = (0.07 * sum(t.hair) / 3 + 6.0) / 255.0
    hair_tex = curly if t.curly else straight
    for mask, box, tile, feather in (
        (p.hair, p.hair_box, hair_tex, 0.0),
        (p.beard, p.beard_box, curly, p.unit * 0.1),
    ):
        x0, y0 = max(0, box[0]), max(0, box[1])
        x1, y1 = min(w, box[2]), min(h, box[3])
        if x1 > x0 and y1 > y0:
            roi = mask[y0:y1, x0:x1]
            if feather:
                roi = np.asarray(cv2.GaussianBlur(roi, (0, 0), feather), np.uint8)
                strength *= 0.6
            tex = _crop(tile, t.texture_xy, (h, w))[y0:y1, x0:x1]
            add[y0:y1, x0:x1] += roi * np.float32(strength) * tex
    signed = cv2.convertScaleAbs(add, alpha=1.0, beta=128.0)
    lit = cv2.multiply(p.rgb, gain, scale=1.0 / _GAIN_ONE)
    out = cv2.addWeighted(lit, 1.0, cv2.merge([signed, signed, signed]), 1.0, -128.0)
    return np.asarray(cv2.GaussianBlur(out, (0, 0), shot.blur), np.uint8)


def ghost_image(rgb_portrait: Rgb8, rng: np.random.Generator) -> Gray:
    """The faded monochrome second portrait that ID cards print beside the main one.

    The background is dropped (only what is darker than it takes ink), contrast is lowered, and
    the tones are often rendered through a halftone dot or line screen, as printers and laser
    engravers do. An oval vignette sometimes fades the edges.

    Args:
        rgb_portrait: (H, W, 3) uint8 portrait, usually :func:`render_portrait`'s.
        rng: randomness of contrast, screen and fade.

    Returns:
        (H, W) float32 alpha in [0, 1], to be printed with :func:`ink.blend_ink`.
    """
    h, w = rgb_portrait.shape[:2]
    gray = cv2.cvtColor(rgb_portrait, cv2.COLOR_RGB2GRAY).astype(np.float32) * (1 / 255.0)
    border = np.concatenate([gray[0], gray[: h // 2, 0], gray[: h // 2, -1]])
    paper = max(float(np.median(border)), 0.3)
    darkest = float(np.percentile(gray, 2))
    span = max(paper - darkest, 0.1) * rng.uniform(0.8, 1.1)
    ink = np.clip((paper - gray) / span, 0.0, 1.0)
    ink = ink ** rng.uniform(0.7, 1.3)
    ink = cv2.GaussianBlur(ink, (0, 0), rng.uniform(0.4, 1.4))
    if rng.random() < 0.5:
        yy = np.linspace(-1.0, 1.0, h, dtype=np.float32)[:, None]
        xx = np.linspace(-1.0, 1.0, w, dtype=np.float32)[None, :]
        oval = np.clip((1.15 - np.sqrt(xx * xx * 1.1 + yy * yy * 0.9)) * 3.0, 0.0, 1.0)
        ink *= oval
    screen = rng.random()
    if screen < 0.55:
        period = rng.uniform(2.5, 5.0)
        angle = rng.uniform(0, np.pi)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        u = (xx * np.cos(angle) + yy * np.sin(angle)) * (2 * np.pi / period)
        if screen < 0.3:
            v = (-xx * np.sin(angle) + yy * np.cos(angle)) * (2 * np.pi / period)
            cell = 0.5 + 0.25 * (np.cos(u) + np.cos(v))
        else:
            cell = 0.5 + 0.5 * np.cos(u)
        ink = np.clip((ink - cell) * 4.0 + 0.5, 0.0, 1.0) * np.clip(ink * 3.0, 0.0, 1.0)
    alpha: Gray = (ink * rng.uniform(0.3, 0.65)).astype(np.float32)
    return alpha
