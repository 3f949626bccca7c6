"""Render a document side from its data and its design: a specimen-like page with labelled zones.

The order is the order of manufacture: the pre-print (security background and coat of arms,
shifted by the print run's registration), the pre-printed title and labels, then the
personalisation (values, portrait, ghost portrait, signature, MRZ), the issuing seal, and last
the holographic foil and the laminate sheen, which cover everything and the blank background
alike. Every printed item is a :class:`~docfraud.synth.records.Zone` with its tight ink box, its
text as printed and its :class:`~docfraud.synth.records.TextStyle`, so a forger can erase it
against :attr:`Page.background` and retype it in the same style.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from functools import lru_cache
from zlib import crc32

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docfraud.mrz.spec import MrzFormat
from docfraud.synth.ink import (
    MRZ_FONT,
    MRZ_PITCH_MM,
    blend_ink,
    has_glyph,
    ink_box,
    load_font,
    mrz_style,
    text_alpha,
)
from docfraud.synth.marks import draw_seal, draw_signature, stamp_colour
from docfraud.synth.portraits import ghost_image, render_portrait
from docfraud.synth.records import PX_PER_MM, DocumentData, Page, Side, TextStyle, Zone
from docfraud.synth.security import (
    apply_overlay,
    hologram,
    laminate_sheen,
    print_variation,
    security_background,
)
from docfraud.synth.templates import (
    PortraitShape,
    Rect,
    TemplateSpec,
    format_date,
    format_sex,
    label_text,
    nationality_text,
    state_name,
)
from docfraud.text.translit import DOTTED_I_STATES, capitals
from docfraud.types import Box

REGISTRATION_PX = 4
"""Largest shift (px, about 0.5 mm) between the pre-print and the personalisation."""
MRZ_LEFT_MM = {
    MrzFormat.TD3: 6.0,
    MrzFormat.TD1: 5.0,
    MrzFormat.TD2: 4.0,
    MrzFormat.MRVA: 4.0,
    MrzFormat.MRVB: 4.0,
}
"""Left edge of the first MRZ character (Part 4 §4.2.1.3, Part 5-7 print position)."""
MRZ_CENTRES_MM = {
    MrzFormat.TD3: (15.75, 9.40),
    MrzFormat.TD2: (15.75, 9.40),
    MrzFormat.MRVA: (15.75, 9.40),
    MrzFormat.MRVB: (15.75, 9.40),
    MrzFormat.TD1: (11.8, 11.8 - 4.23, 11.8 - 8.46),
}
"""Reference centre line of each code line, mm above the bottom edge (Part 4 Figure 3,
Part 6, Part 7: printing zones 13.6-17.9 and 7.25-11.55; Part 5 Figure 6: 4.23 mm apart)."""
FALLBACK_FONTS = {
    "Mono": ("DejaVuSansMono.ttf", "DejaVuSansMono-Bold.ttf"),
    "Narrow": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "Condensed": ("DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "": ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
}
"""Wide-coverage stand-ins (regular, bold) by font family trait, for names a design's font
cannot write (Vietnamese stacked diacritics ...)."""
MIN_SHRINK = 0.7
"""A value too long for its slot is printed down to this fraction of the size, then cut."""
MIN_SHRINK_LABEL = 0.6
"""Labels may shrink further: real ones are often tiny (about 1.2 mm)."""
LABEL_GAP = 0.45
"""From a label's baseline to its value's capitals, in label ems (room for descenders and
accents)."""


def document_size_px(template: TemplateSpec) -> tuple[int, int]:
    """(width, height) of a side of ``template`` in px at :data:`PX_PER_MM`."""
    w, h = template.size_mm
    return round(w * PX_PER_MM), round(h * PX_PER_MM)


def sides(template: TemplateSpec) -> tuple[Side, ...]:
    """The sides of ``template``: (FRONT, BACK) for cards, (PAGE,) for pages and stickers."""
    return (Side.FRONT, Side.BACK) if template.back_background is not None else (Side.PAGE,)


def field_text(data: DocumentData, template: TemplateSpec, field: str) -> str:
    """The value of ``field`` exactly as ``template`` prints it for ``data`` ("" if none).

    Forgeries use this to write changed data the way the design writes it.
    """
    holder = data.holder
    dates = {
        "birth_date": holder.birth_date,
        "issue_date": data.issue_date,
        "expiry_date": data.expiry_date,
    }
    if field in dates:
        return format_date(dates[field], template.date_style, template.languages)
    if field == "sex":
        return format_sex(holder.sex, template.sex_pair, template.languages)
    if field == "nationality":
        return nationality_text(holder.nationality, template.nationality_name)
    texts = {
        "document_code": data.document_code,
        "issuing_state": data.issuing_state.rstrip("<"),
        "document_number": data.document_number,
        "personal_number": data.personal_number,
        "surname": holder.surname,
        "given_names": holder.given_names,
        "birth_place": holder.birth_place,
        "authority": data.authority,
    }
    text = texts[field]
    if (
        field not in ("surname", "given_names", "birth_place", "authority")
        or not template.upper_values
    ):
        return text
    # Each in the capitals of its own language: the holder's name and town as the holder's
    # state writes them, the authority as the issuing state does.
    state = data.issuing_state if field == "authority" else holder.nationality
    return capitals(text, dotted_i=state in DOTTED_I_STATES)


def _font_for(texts: tuple[str, ...], font: str) -> str:
    """``font`` if it has every character of ``texts``, else its wide-coverage stand-in.

    Decided once for all values of a document, so a document never mixes value fonts (a mixed
    font is what a forged field looks like).
    """
    if all(has_glyph(font, c) for text in texts for c in text):
        return font
    trait = next(k for k in FALLBACK_FONTS if k in font)
    bold = any(k in font for k in ("Bold", "Demi"))
    return FALLBACK_FONTS[trait][1 if bold else 0]


def _fit(
    text: str, style: TextStyle, max_w: float, shrink: float = MIN_SHRINK
) -> tuple[str, TextStyle]:
    """Shrink (down to ``shrink`` of the size) and then cut ``text`` to fit ``max_w`` px."""
    fitted, size = _fitted(text, style.font, style.size_px, round(max_w), shrink)
    return fitted, style if size == style.size_px else replace(style, size_px=size)


@lru_cache(maxsize=4096)
def _fitted(text: str, font: str, size_px: int, max_w: int, shrink: float) -> tuple[str, int]:
    width = load_font(font, size_px).getlength(text)
    if width <= max_w:
        return text, size_px
    size = max(round(size_px * shrink), int(size_px * max_w / width))
    face = load_font(font, size)
    while len(text) > 1 and face.getlength(text) > max_w:
        text = text[:-1].rstrip()
    return text, size


def _px(v: float) -> int:
    return round(v * PX_PER_MM)


def _box(r: Rect) -> Box:
    return (_px(r.x), _px(r.y), _px(r.w), _px(r.h))


def _clip(box: Box, size: tuple[int, int]) -> Box:
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(size[0], x + w), min(size[1], y + h)
    return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def _jitter(rng: np.random.Generator, colour: tuple[int, int, int], k: int) -> tuple[int, int, int]:
    """Ink of this print job: ``colour`` off by up to ``k`` levels per channel."""
    c = np.clip(np.asarray(colour) + rng.integers(-k, k + 1, 3), 0, 255)
    return (int(c[0]), int(c[1]), int(c[2]))


@lru_cache(maxsize=4096)
def _text(text: str, font: str, size_px: int) -> tuple[npt.NDArray[np.uint8], Box]:
    """:func:`ink.text_alpha` of ``text`` (kept as its exact 8-bit levels) and its ink box.

    Labels, titles, dates and codes repeat from page to page; printing a cached mask with
    :func:`ink.blend_ink` at ``xy`` gives exactly what :func:`ink.draw_text` at ``xy`` gives.
    """
    alpha, _ = text_alpha(text, TextStyle(font, size_px, (0, 0, 0)))
    levels = np.round(alpha * 255.0).astype(np.uint8)
    levels.flags.writeable = False
    return levels, ink_box(alpha, (0, 0))


class _Printer:
    """Prints onto one side and records a zone for everything it prints."""

    def __init__(self, rgb: npt.NDArray[np.uint8]) -> None:
        self.rgb = rgb
        self.size = (rgb.shape[1], rgb.shape[0])
        self.zones: list[Zone] = []

    def text(self, name: str, xy: tuple[int, int], text: str, style: TextStyle) -> None:
        if not text:
            return
        levels, (bx, by, bw, bh) = _text(text, style.font, style.size_px)
        blend_ink(self.rgb, levels.astype(np.float32) / 255.0, style.colour, xy)
        box = _clip((xy[0] + bx, xy[1] + by, bw, bh), self.size)
        if box[2] and box[3]:
            self.zones.append(Zone(name, box, text, style))

    def mark(self, name: str, alpha: npt.NDArray[np.float32], colour: tuple[int, int, int],
             xy: tuple[int, int], opacity: float = 1.0) -> None:  # fmt: skip
        blend_ink(self.rgb, alpha, colour, xy, opacity)
        box = _clip(ink_box(alpha, xy), self.size)
        if box[2] and box[3]:
            self.zones.append(Zone(name, box))


def _title(p: _Printer, data: DocumentData, t: TemplateSpec, shift: tuple[int, int]) -> None:
    """State name and the bilingual document name, pre-printed in the header."""
    first = TextStyle(t.title_font, _px(t.title_mm), t.scheme.accent)
    second = replace(first, size_px=_px(t.title_mm * 0.62))
    names = t.title if t.title[0] != t.title[1] else t.title[:1]
    lines = ((state_name(data.issuing_state), first), (" / ".join(names), second))
    y = _px(t.title_xy[1]) + shift[1]
    room = t.size_mm[0] * PX_PER_MM - _px(t.title_xy[0]) - 2 * PX_PER_MM
    if t.title_align == "centre":
        room = 2 * min(_px(t.title_xy[0]), t.size_mm[0] * PX_PER_MM - _px(t.title_xy[0])) - 16
    for text, style in lines:
        style = replace(style, font=_font_for((text,), style.font))
        text, style = _fit(capitals(text), style, room)
        width = load_font(style.font, style.size_px).getlength(text)
        x = _px(t.title_xy[0]) + shift[0]
        if t.title_align == "centre":
            x -= round(width / 2)
        p.text("title", (x, y), text, style)
        y += round(style.size_px * 1.08)


def _fields(
    p: _Printer,
    rng: np.random.Generator,
    data: DocumentData,
    t: TemplateSpec,
    side: Side,
    shift: tuple[int, int],
) -> None:
    """Labels (pre-printed, moving with the registration) and values (personalised)."""
    label_style = TextStyle(t.label_font, _px(t.label_mm), t.scheme.label)
    value_colour = _jitter(rng, t.scheme.text, 10)
    font = _font_for(tuple(field_text(data, t, s.field) for s in t.slots), t.value_font)
    gap = round(_px(t.label_mm) * LABEL_GAP)
    for number, slot in enumerate(t.slots, start=1):
        if slot.side is not side:
            continue
        width = slot.w * PX_PER_MM
        label = label_text(t, slot.field)
        if t.numbered:
            label = f"{number}. {label}"
        text, style = _fit(label, label_style, width, MIN_SHRINK_LABEL)
        x, y = _px(slot.x), _px(slot.y)  # the label's cap line
        top, bottom = _caps(style.font, style.size_px)
        p.text("label", (x + shift[0], y - top + shift[1]), text, style)
        value = field_text(data, t, slot.field)
        if not value:
            continue
        colour = value_colour
        if slot.field == "document_number" and t.number_colour is not None:
            colour = _jitter(rng, t.number_colour, 10)
        value_style = TextStyle(font, _px(t.value_mm), colour)
        value, value_style = _fit(value, value_style, width)
        value_top = _caps(value_style.font, value_style.size_px)[0]
        p.text(slot.field, (x, y + (bottom - top) + gap - value_top), value, value_style)


def _caps(font: str, size_px: int) -> tuple[int, int]:
    """Top and bottom row of a capital H in :func:`ink.text_alpha`'s canvas, so labels and
    values line up by their capitals whatever the font's ascent."""
    _, (_, top, _, height) = _text("H", font, size_px)
    return top, top + height


@lru_cache(maxsize=64)
def _portrait_mask(shape: PortraitShape, w: int, h: int) -> npt.NDArray[np.float32]:
    """(h, w, 3) coverage of the printed portrait: hard, rounded, or fading at the edges."""
    if shape is PortraitShape.RECT:
        mask = np.ones((h, w), np.float32)
    elif shape is PortraitShape.ROUNDED:
        canvas = np.zeros((h, w), np.uint8)
        r = max(2, min(w, h) // 9)
        cv2.rectangle(canvas, (r, 0), (w - 1 - r, h - 1), 255, -1)
        cv2.rectangle(canvas, (0, r), (w - 1, h - 1 - r), 255, -1)
        for cx, cy in ((r, r), (w - 1 - r, r), (r, h - 1 - r), (w - 1 - r, h - 1 - r)):
            cv2.circle(canvas, (cx, cy), r, 255, -1, cv2.LINE_AA)
        mask = canvas.astype(np.float32) / 255.0
    else:
        ramp_x = np.clip(np.minimum(np.arange(w), np.arange(w)[::-1]) / (0.14 * w), 0, 1)
        ramp_y = np.clip(np.minimum(np.arange(h), np.arange(h)[::-1]) / (0.1 * h), 0, 1)
        mask = (np.outer(ramp_y, ramp_x) ** 1.5).astype(np.float32)
    out = np.repeat(mask[..., None], 3, axis=2)
    out.flags.writeable = False
    return out


@lru_cache(maxsize=1)
def _engraving_lut() -> npt.NDArray[np.uint8]:
    """Grey levels of a laser-engraved portrait: slightly darker mid-tones (gamma 1.1)."""
    levels = np.arange(256, dtype=np.float32) / 255.0
    lut: npt.NDArray[np.uint8] = np.clip(255.0 * levels**1.1 + 0.5, 0, 255).astype(np.uint8)
    return lut


def _age(birth: date, on: date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _print_portrait(
    p: _Printer, photo: npt.NDArray[np.uint8], t: TemplateSpec, xy: tuple[int, int]
) -> None:
    """Print the photo as ink multiplying the page, so the pre-print shows through its light
    areas, as with inkjet, dye-sublimation and laser-engraved portraits."""
    h, w = photo.shape[:2]
    x, y = xy
    if not t.portrait_colour:
        gray = cv2.LUT(cv2.cvtColor(photo, cv2.COLOR_RGB2GRAY), _engraving_lut())
        photo = np.asarray(cv2.cvtColor(gray, cv2.COLOR_GRAY2RGB), np.uint8)
    ink = cv2.subtract(np.full_like(photo, 255), photo)
    if t.portrait_shape is not PortraitShape.RECT:
        ink = cv2.multiply(ink, _portrait_mask(t.portrait_shape, w, h), dtype=cv2.CV_8U)
    region = p.rgb[y : y + h, x : x + w]
    paper = cv2.subtract(np.full_like(photo, 255), ink)
    region[...] = cv2.multiply(np.ascontiguousarray(region), paper, scale=1.0 / 255.0)
    p.zones.append(Zone("portrait", _clip((x, y, w, h), p.size)))


@lru_cache(maxsize=256)
def _signature(face_seed: int, name: str, size: tuple[int, int]) -> npt.NDArray[np.float32]:
    """The holder's signature: one person signs alike on every document, so it is seeded by
    the face (the person) and cached; :func:`_wobble` varies each copy."""
    alpha = draw_signature(np.random.default_rng(face_seed), name, size)
    alpha.flags.writeable = False
    return alpha


@lru_cache(maxsize=128)
def _seal(ring: str, centre: str, diameter: int, impression: int) -> npt.NDArray[np.float32]:
    """An impression of the authority's seal: one physical stamp, a few cached inkings."""
    rng = np.random.default_rng((crc32(ring.encode()), impression))
    alpha = draw_seal(rng, ring, centre, diameter)
    alpha.flags.writeable = False
    return alpha


def _wobble(
    rng: np.random.Generator, alpha: npt.NDArray[np.float32], degrees: float, scale: float
) -> npt.NDArray[np.float32]:
    """``alpha`` turned by up to ``degrees`` and scaled by up to ``scale`` about its centre."""
    h, w = alpha.shape
    m = cv2.getRotationMatrix2D(
        (w / 2, h / 2), float(rng.uniform(-degrees, degrees)), float(1 + rng.uniform(-scale, 0))
    )
    return np.asarray(cv2.warpAffine(alpha, m, (w, h), flags=cv2.INTER_LINEAR), np.float32)


def render_document(
    rng: np.random.Generator,
    data: DocumentData,
    template: TemplateSpec,
    side: Side,
    face_shot_seed: int,
) -> Page:
    """Render one side of ``data`` printed on ``template``.

    Args:
        rng: seeded generator: registration, ink drift, seal impression, foil angle, sheen.
        data: what the document says; the MRZ is ``data.mrz_lines()``.
        template: the design.
        side: one of :func:`sides` of the design.
        face_shot_seed: which photo of the holder (same seed: the same photo on every copy).

    Returns:
        The page at :data:`PX_PER_MM` with a zone for every printed item and the blank
        background (pre-print plus foil and sheen, no printing).

    Raises:
        ValueError: ``side`` is not a side of ``template``.
    """
    t = template
    recipe = t.back_background if side is Side.BACK else t.background
    if recipe is None or side not in sides(t):
        raise ValueError(f"{t.name} has no side {side}")
    size = document_size_px(t)
    m = REGISTRATION_PX
    pre = security_background(recipe, t.scheme, (size[0] + 2 * m, size[1] + 2 * m), PX_PER_MM)
    blank, shift = print_variation(rng, pre, size)
    p = _Printer(blank.copy())
    if side is not Side.BACK:
        _title(p, data, t, shift)
    _fields(p, rng, data, t, side, shift)
    _portraits(p, rng, data, t, side, face_shot_seed)
    if t.signature is not None and t.signature.side is side:
        _holder_signature(p, rng, data, t, _box(t.signature.box), shift)
    if t.mrz_side is side:
        _mrz(p, rng, data, t)
    if t.hologram is not None and t.hologram.side is side:
        foil = hologram(rng, size, t.scheme, _box(t.hologram.box), recipe.emblem_seed, _px(7.0))
        apply_overlay(foil, p.rgb, blank)
    if t.laminate:
        for strip in laminate_sheen(rng, size, t.scheme):
            apply_overlay(strip, p.rgb, blank)
    return Page(p.rgb, tuple(p.zones), t.name, side, t.kind, background=blank)


def _portraits(
    p: _Printer,
    rng: np.random.Generator,
    data: DocumentData,
    t: TemplateSpec,
    side: Side,
    shot: int,
) -> None:
    """Main portrait, ghost portrait (the same photo, smaller, in one ink) and the seal over
    the portrait's inner lower corner, each where the design puts it on ``side``."""
    holder = data.holder
    age = _age(holder.birth_date, data.issue_date)
    sex = holder.sex if holder.sex in ("F", "M") else None
    photo = None
    if t.portrait.side is side:
        px, py, pw, ph = _box(t.portrait.box)
        photo = render_portrait(holder.face_seed, shot, (pw, ph), age=age, sex=sex)
        _print_portrait(p, photo, t, (px, py))
    if t.ghost is not None and t.ghost.side is side:
        gx, gy, gw, gh = _box(t.ghost.box)
        if photo is None:
            small = render_portrait(holder.face_seed, shot, (gw, gh), age=age, sex=sex)
        else:
            small = np.asarray(cv2.resize(photo, (gw, gh), interpolation=cv2.INTER_AREA), np.uint8)
        ghost = ghost_image(small, rng)
        colour = _jitter(rng, t.scheme.label if t.portrait_colour else (70, 70, 76), 8)
        p.mark("ghost_portrait", ghost, colour, (gx, gy), float(rng.uniform(0.45, 0.7)))
    if t.seal and t.portrait.side is side:
        px, py, pw, ph = _box(t.portrait.box)
        d = min(round(pw * rng.uniform(0.5, 0.6)), _px(17.0))
        dotted_i = data.issuing_state in DOTTED_I_STATES
        ring = f"{state_name(data.issuing_state)} * {capitals(data.authority, dotted_i=dotted_i)}"
        centre = f"{crc32(data.authority.encode()) % 900 + 100}"
        seal = _wobble(rng, _seal(ring, centre, d, int(rng.integers(0, 3))), 180.0, 0.0)
        inward = round(d * rng.uniform(0.05, 0.25))
        cx = px + pw - inward if t.portrait.box.x < t.size_mm[0] / 2 else px + inward
        cy = py + ph - round(d * rng.uniform(0.15, 0.35))
        opacity = float(rng.uniform(0.75, 1.0))
        p.mark("seal", seal, stamp_colour(rng), (cx - d // 2, cy - d // 2), opacity)


def _holder_signature(
    p: _Printer,
    rng: np.random.Generator,
    data: DocumentData,
    t: TemplateSpec,
    box: Box,
    shift: tuple[int, int],
) -> None:
    """The pre-printed signature label and the holder's signature in ballpoint ink."""
    sx, sy, sw, sh = box
    label_style = TextStyle(t.label_font, _px(t.label_mm * 0.9), t.scheme.label)
    label, label_style = _fit(label_text(t, "signature"), label_style, sw, MIN_SHRINK_LABEL)
    p.text("label", (sx + shift[0], sy - _px(t.label_mm) + shift[1]), label, label_style)
    holder = data.holder
    name = f"{holder.given_names} {holder.surname}"
    alpha = _wobble(rng, _signature(holder.face_seed, name, (sw, sh)), 2.0, 0.06)
    pen = _jitter(rng, (30, 36, 90) if rng.random() < 0.6 else (28, 28, 32), 12)
    p.mark("signature", alpha, pen, (sx, sy))


@lru_cache(maxsize=2048)
def _glyph(char: str, font: str, size_px: int, phase: int) -> tuple[npt.NDArray[np.float32], float]:
    """One OCR-B character drawn at a sub-pixel offset of ``phase``/16 px, and its advance."""
    face = load_font(font, size_px)
    ascent, descent = face.getmetrics()
    pitch = int(np.ceil(MRZ_PITCH_MM * PX_PER_MM)) + 2
    canvas = Image.new("L", (pitch, ascent + descent), 0)
    ImageDraw.Draw(canvas).text((phase / 16, 0), char, fill=255, font=face)
    alpha = np.asarray(canvas, dtype=np.float32) / 255.0
    alpha.flags.writeable = False
    return alpha, face.getlength(char)


def _mrz_alpha(line: str, style: TextStyle) -> npt.NDArray[np.float32]:
    """One code line as :func:`ink.draw_mrz` prints it (each character centred in its 2.54 mm
    cell), assembled from cached glyphs."""
    ascent, descent = load_font(style.font, style.size_px).getmetrics()
    pitch = MRZ_PITCH_MM * PX_PER_MM
    cell = int(np.ceil(pitch)) + 2
    out = np.zeros((ascent + descent, int(np.ceil(pitch * len(line))) + cell), np.float32)
    for i, char in enumerate(line):
        advance = _glyph(char, style.font, style.size_px, 0)[1]
        x = i * pitch + (pitch - advance) / 2
        x0 = int(np.floor(x))
        glyph = _glyph(char, style.font, style.size_px, int((x - x0) * 16))[0]
        window = out[:, x0 : x0 + cell]
        np.maximum(window, glyph, out=window)
    return out


@lru_cache(maxsize=1)
def _mrz_metrics() -> tuple[int, int, int]:
    """OCR-B size at :data:`PX_PER_MM` (:func:`ink.mrz_style`) and the top and bottom of its
    capital H below the drawing origin, for centring a line on its reference line."""
    size = mrz_style(PX_PER_MM).size_px
    _, top, _, bottom = load_font(MRZ_FONT, size).getbbox("H")
    return size, round(top), round(bottom)


def _mrz(p: _Printer, rng: np.random.Generator, data: DocumentData, t: TemplateSpec) -> None:
    """The code lines in OCR-B at the ICAO position: each line centred on its reference line."""
    lines = data.mrz_lines()
    size, top, bottom = _mrz_metrics()
    style = TextStyle(MRZ_FONT, size, _jitter(rng, (24, 24, 30), 8))
    x = _px(MRZ_LEFT_MM[t.mrz_format]) + int(rng.integers(-2, 3))
    dy = int(rng.integers(-2, 3))
    boxes = []
    for line, centre_mm in zip(lines, MRZ_CENTRES_MM[t.mrz_format], strict=True):
        centre = p.size[1] - centre_mm * PX_PER_MM
        y = round(centre - (top + bottom) / 2) + dy
        alpha = _mrz_alpha(line, style)
        blend_ink(p.rgb, alpha, style.colour, (x, y))
        boxes.append(ink_box(alpha, (x, y)))
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    box = _clip((x0, y0, x1 - x0, y1 - y0), p.size)
    p.zones.append(Zone("mrz", box, "\n".join(lines), style))
