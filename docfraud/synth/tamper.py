"""Forgeries of rendered pages, each with the exact pixel mask of what it changed.

A forgery takes a :class:`~docfraud.synth.records.Page` and does what a forger does: substitutes
the portrait, erases a field and retypes it in a nearly-right font, edits the MRZ (with or without
recomputing its check digits, alone or together with the visual zone), copies a digit or a piece
of a stamp elsewhere, pastes a region cut from another document, lays the printing on another
template, or edits, re-seals or un-signs a letter. The forger's habits are drawn per forgery: how
well the erased area is restored (exact background, blurred, tinted or OpenCV inpainting), how far
ink colour, size, tracking and baseline miss, and whether the pasted patch was JPEG-compressed on
its own. These are the local traces detectors learn.

The mask is never the intended box: it is ``forged_rgb != original_rgb`` (any channel), so "the
mask covers exactly the changed pixels" holds by construction. Each operation also claims the
fields it changed, and a claim that changed no pixel is an error rather than a silent label.

Field names in :attr:`Forgery.fields` are zone names (``birth_date``, ``portrait``, ``seal`` ...),
``mrz.<field>`` for a field of the machine-readable zone (``mrz.birth_date``,
``mrz.composite`` for the composite check digit) and ``background`` for a foreign template.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from functools import lru_cache

import cv2
import numpy as np
import numpy.typing as npt
from PIL import Image, ImageDraw

from docfraud.imaging.geometry import boxes_overlap
from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.generate import name_field, transliterate
from docfraud.mrz.parse import split_name
from docfraud.mrz.spec import LAYOUTS, MrzFormat, check_spans, detect_format
from docfraud.synth import ink
from docfraud.synth.records import (
    PX_PER_MM,
    DocKind,
    DocumentData,
    Page,
    TextStyle,
    Zone,
    font_path,
)
from docfraud.types import Box

Rgb = npt.NDArray[np.uint8]
Mask = npt.NDArray[np.bool_]
Alpha = npt.NDArray[np.float32]


class ForgeryType(StrEnum):
    PORTRAIT_BLEND = "portrait_blend"
    """Another face printed in with feathered edges; the ghost portrait is left as it was."""
    PORTRAIT_COLOUR_MATCHED = "portrait_colour_matched"
    """Another face, its colours matched to the original print, printed or pasted hard-edged."""
    PORTRAIT_REPHOTO = "portrait_rephoto"
    """A photograph of another photo glued in: blur, glare, moire, JPEG, a visible rim."""
    FIELD_RETYPE = "field_retype"
    """A visual-zone field erased and retyped with a near-miss font, size, tracking and ink."""
    MRZ_EDIT_RECOMPUTED = "mrz_edit_recomputed"
    """An MRZ field edited and its check digits recomputed (the visual zone disagrees)."""
    MRZ_EDIT_RAW = "mrz_edit_raw"
    """An MRZ field edited, check digits left as they were (at least one fails)."""
    MRZ_VIZ_CONSISTENT = "mrz_viz_consistent"
    """The same field changed in the visual zone and the MRZ, check digits recomputed."""
    COPY_MOVE = "copy_move"
    """A patch of the page copied elsewhere on it: a digit over another, a piece of a stamp."""
    CROP_REPLACE = "crop_replace"
    """A field or the portrait cut from another page and pasted in."""
    FOREIGN_BACKGROUND = "foreign_background"
    """The page's printing laid on another template's background."""
    LETTER_FIELD_EDIT = "letter_field_edit"
    """A letter's date or name erased and retyped."""
    LETTER_PASTED_SEAL = "letter_pasted_seal"
    """A seal cut from a scan (another letter's, or this one's) and pasted with its halo."""
    LETTER_NO_SIGNATURE = "letter_no_signature"
    """The signature erased by restoring the paper under it."""


@dataclass(frozen=True, slots=True)
class Forgery:
    """A forged page and the ground truth of what was forged.

    Attributes:
        forgery_type: what was done.
        page: the forged page; zones carry the new text, style and box of what was retyped
            (a removed signature's zone is dropped).
        mask: (H, W) bool, exactly the pixels whose value changed in any channel.
        boxes: (x, y, w, h) of the changed pixels, one per changed field, covering the mask.
        fields: the fields whose value now differs (see the module docstring for names).
        mrz_lines: the MRZ the page now shows, when the forgery changed it; else None.
        details: (key, value) pairs: old and new values, fonts, the forger's habits.
    """

    forgery_type: ForgeryType
    page: Page
    mask: Mask
    boxes: tuple[Box, ...]
    fields: tuple[str, ...]
    mrz_lines: tuple[str, ...] | None
    details: tuple[tuple[str, str], ...]


# --- Field families -----------------------------------------------------------------------------

_DATE_FIELDS = frozenset(
    {
        "birth_date",
        "expiry_date",
        "issue_date",
        "child_birth_date",
        "adult_birth_date",
        "valid_from",
        "valid_until",
    }
)
_NUMBER_FIELDS = frozenset(
    {
        "document_number",
        "personal_number",
        "child_document_number",
        "adult_document_number",
        "reference",
    }
)
_NAME_FIELDS = frozenset({"surname", "given_names", "child_name", "adult_name"})
_PLACE_FIELDS = frozenset({"birth_place", "destination", "city"})
_VIZ_FIELDS = (
    "surname",
    "given_names",
    "document_number",
    "birth_date",
    "expiry_date",
    "issue_date",
    "nationality",
    "sex",
    "birth_place",
    "personal_number",
)
"""Visual-zone fields a forger retypes (the authority is left alone)."""
_VIZ_WEIGHTS = {"birth_date": 3.0, "expiry_date": 3.0, "document_number": 2.0, "surname": 2.0}
_MRZ_SHARED = (
    "document_number",
    "birth_date",
    "expiry_date",
    "surname",
    "given_names",
    "nationality",
    "sex",
    "personal_number",
)
"""Visual-zone fields the MRZ repeats."""
_LETTER_WEIGHTS = {"valid_until": 3.0, "child_birth_date": 3.0, "child_name": 2.0}


def _is_letter_field(name: str) -> bool:
    return (
        name in _DATE_FIELDS
        or name in {"child_name", "adult_name", "child_document_number", "destination"}
        or name.startswith("parent_name")
    )


def _is_name_field(name: str) -> bool:
    return name in _NAME_FIELDS or name.startswith("parent_name")


# --- Plausible new values -----------------------------------------------------------------------

_SURNAMES = tuple(
    (
        "Novák|Kowalski|Müller|Lindqvist|Ferreira|Okafor|Haddad|Petrović|Jørgensen|Dubois|"
        "Rossi|Öztürk|Horváth|Eriksson|Kovačević|García|Walsh|Van Dijk|Papadopoulos|Nowak|"
        "Mäkinen|Costa|Brennan|Ström|Fischer|Lewandowska|Moreau|Şahin|Nguyen|Almeida"
    ).split("|")
)
_GIVEN_NAMES = tuple(
    (
        "Zoë|José|Ana|Łukasz|Søren|Chloé|Mehmet|Aisha|Björn|Inês|Tomáš|Marta|Luca|Yusuf|"
        "Élodie|Jan|Nikolai|Sara|Ömer|Kateřina|Liam|Noor|Matteo|Elif|Hanna|Pieter|Ágnes|"
        "Diego"
    ).split("|")
)
_PLACES = tuple(
    (
        "Kraków|Malmö|Zürich|Porto|Tartu|Göteborg|Linz|Brno|Cluj-Napoca|Sevilla|Aarhus|"
        "Gdańsk|Utopia City|Lyon|Tampere|Thessaloniki"
    ).split("|")
)
_NATIONALITIES = (
    ("UTO", "Utopian"),
    ("DEU", "German"),
    ("FRA", "French"),
    ("NLD", "Dutch"),
    ("POL", "Polish"),
    ("SWE", "Swedish"),
    ("ITA", "Italian"),
    ("ESP", "Spanish"),
    ("PRT", "Portuguese"),
    ("GRC", "Greek"),
    ("AUT", "Austrian"),
    ("CZE", "Czech"),
    ("HUN", "Hungarian"),
    ("ROU", "Romanian"),
    ("HRV", "Croatian"),
    ("FIN", "Finnish"),
    ("IRL", "Irish"),
    ("TUR", "Turkish"),
    ("UKR", "Ukrainian"),
    ("NGA", "Nigerian"),
)
_LOOKALIKE_DIGITS = {
    "0": "86",
    "1": "74",
    "2": "7",
    "3": "85",
    "4": "1",
    "5": "63",
    "6": "58",
    "7": "12",
    "8": "036",
    "9": "8",
}
"""Digits a forger turns another digit into with a few strokes."""
_VOWELS = "AEIOUY"

_YEAR4 = re.compile(r"(?<!\d)(?:1[89]|20)\d\d(?!\d)")
_NUMBER2 = re.compile(r"(?<!\d)\d\d(?!\d)")
_SEX_TOKEN = re.compile(r"(?<![A-Za-z])[FM](?![A-Za-z])")


def _year_token(text: str) -> re.Match[str] | None:
    """The year in a printed date: the last four-digit year, else the last two-digit number."""
    years = list(_YEAR4.finditer(text))
    if years:
        return years[-1]
    pairs = list(_NUMBER2.finditer(text))
    return pairs[-1] if pairs else None


def _shift_year(text: str, delta: int) -> str | None:
    """``text`` with its year moved by ``delta`` years, in the same format; None without a year."""
    token = _year_token(text)
    if token is None or delta == 0:
        return None
    value = int(token.group())
    new = str(value + delta) if len(token.group()) == 4 else f"{(value + delta) % 100:02d}"
    return text[: token.start()] + new + text[token.end() :]


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _year_delta(rng: np.random.Generator, name: str, data: DocumentData | None) -> int:
    """How many years a forger moves a date: minors become adults (and back), validity grows."""
    if name in ("expiry_date", "valid_until"):
        return int(rng.integers(1, 11))
    if name in ("birth_date", "child_birth_date"):
        if data is not None and name == "birth_date":
            age = _age(data.holder.birth_date, data.issue_date)
            if age < 18:
                return -(18 - age + int(rng.integers(0, 5)))
            if age < 26:
                return age - 17 + int(rng.integers(0, 4))
        sign = 1 if rng.random() < 0.5 else -1
        return sign * int(rng.integers(2, 19))
    sign = 1 if rng.random() < 0.6 else -1
    return sign * int(rng.integers(1, 6))


def _change_char(rng: np.random.Generator, text: str) -> str | None:
    """``text`` with one digit (or, lacking digits, one capital letter) changed."""
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    if digits:
        i = digits[int(rng.integers(len(digits)))]
        lookalike = _LOOKALIKE_DIGITS[text[i]]
        if rng.random() < 0.6:
            new = lookalike[int(rng.integers(len(lookalike)))]
        else:
            others = [d for d in "0123456789" if d != text[i]]
            new = others[int(rng.integers(len(others)))]
        return text[:i] + new + text[i + 1 :]
    letters = [i for i, c in enumerate(text) if "A" <= c <= "Z"]
    if not letters:
        return None
    i = letters[int(rng.integers(len(letters)))]
    others = [c for c in "ABCDEFGHJKLMNPRSTUVWXZ" if c != text[i]]
    return text[:i] + others[int(rng.integers(len(others)))] + text[i + 1 :]


def _case_like(new: str, old: str) -> str:
    """``new`` in the capitals of ``old``: all capitals, or word by word from the last word
    (a surname in capitals: ``Anna NOVÁK``)."""
    if old.isupper():
        return new.upper()
    old_words, words = old.split(), new.split()
    if not old_words or not any(w.isupper() and len(w) > 1 for w in old_words):
        return new
    first, shift = old_words[0], len(old_words) - len(words)
    return " ".join(
        w.upper() if (old_words[k + shift] if k + shift >= 0 else first).isupper() else w
        for k, w in enumerate(words)
    )


def _new_name(rng: np.random.Generator, name: str, text: str) -> str:
    """A plausible replacement name: one letter changed, or another name altogether."""
    words = text.split()
    vowels = [
        (w, i) for w, word in enumerate(words) for i, c in enumerate(word) if c.upper() in _VOWELS
    ]
    if vowels and rng.random() < 0.35:
        w, i = vowels[int(rng.integers(len(vowels)))]
        old = words[w][i]
        choices = [v for v in _VOWELS if v != old.upper()]
        new = choices[int(rng.integers(len(choices)))]
        words[w] = words[w][:i] + (new if old.isupper() else new.lower()) + words[w][i + 1 :]
        return " ".join(words)
    surname = _SURNAMES[int(rng.integers(len(_SURNAMES)))]
    given = " ".join(
        _GIVEN_NAMES[int(k)] for k in rng.choice(len(_GIVEN_NAMES), min(2, len(words)), False)
    )
    if name == "surname":
        value = surname
    elif name == "given_names":
        value = given
    else:
        value = f"{given.split()[0]} {surname}" if len(words) > 1 else surname
    return _case_like(value, text)


def _new_nationality(rng: np.random.Generator, text: str) -> str | None:
    """Another nationality: a three-letter code for a code (``D`` too), else a word."""
    code = len(text) <= 3 and text.isalpha() and text.isupper()
    options = [c if code else n for c, n in _NATIONALITIES if text.upper() not in (c, n.upper())]
    if not options:
        return None
    return _case_like(options[int(rng.integers(len(options)))], text)


def _swap_sex(text: str) -> str | None:
    if not _SEX_TOKEN.search(text):
        return None
    return _SEX_TOKEN.sub(lambda m: "M" if m.group() == "F" else "F", text)


def _can_edit(name: str, text: str) -> bool:
    """Whether :func:`_edit_text` can change this zone's text (decided without randomness)."""
    if not text.strip():
        return False
    if name in _DATE_FIELDS:
        return _year_token(text) is not None
    if name in _NUMBER_FIELDS:
        return any(c.isdigit() or "A" <= c <= "Z" for c in text)
    if name == "sex":
        return _SEX_TOKEN.search(text) is not None
    return _is_name_field(name) or name in _PLACE_FIELDS or name == "nationality"


def _edit_text(
    rng: np.random.Generator, name: str, text: str, data: DocumentData | None
) -> str | None:
    """A plausible new printed value for zone ``name``, in the old one's format; None if none."""
    if name in _DATE_FIELDS:
        return _shift_year(text, _year_delta(rng, name, data))
    if name in _NUMBER_FIELDS:
        return _change_char(rng, text)
    if name == "sex":
        return _swap_sex(text)
    if name == "nationality":
        return _new_nationality(rng, text)
    if name in _PLACE_FIELDS:
        options = [p for p in _PLACES if p.upper() != text.upper()]
        return _case_like(options[int(rng.integers(len(options)))], text)
    if _is_name_field(name):
        return _new_name(rng, name, text)
    return None


# --- Near-miss fonts ----------------------------------------------------------------------------

_FAMILIES: tuple[tuple[str, ...], ...] = (
    (
        "NimbusSans-Regular.otf",
        "LiberationSans-Regular.ttf",
        "FreeSans.ttf",
        "DejaVuSans.ttf",
        "URWGothic-Book.otf",
        "DejaVuSans-ExtraLight.ttf",
    ),
    (
        "NimbusSans-Bold.otf",
        "LiberationSans-Bold.ttf",
        "FreeSansBold.ttf",
        "DejaVuSans-Bold.ttf",
        "URWGothic-Demi.otf",
    ),
    (
        "NimbusSansNarrow-Regular.otf",
        "LiberationSansNarrow-Regular.ttf",
        "DejaVuSansCondensed.ttf",
    ),
    ("NimbusSansNarrow-Bold.otf", "LiberationSansNarrow-Bold.ttf", "DejaVuSansCondensed-Bold.ttf"),
    (
        "NimbusRoman-Regular.otf",
        "LiberationSerif-Regular.ttf",
        "FreeSerif.ttf",
        "DejaVuSerif.ttf",
        "C059-Roman.otf",
        "P052-Roman.otf",
        "URWBookman-Light.otf",
    ),
    (
        "NimbusRoman-Bold.otf",
        "LiberationSerif-Bold.ttf",
        "FreeSerifBold.ttf",
        "DejaVuSerif-Bold.ttf",
        "C059-Bold.otf",
        "P052-Bold.otf",
        "URWBookman-Demi.otf",
    ),
    (
        "NimbusRoman-Italic.otf",
        "LiberationSerif-Italic.ttf",
        "FreeSerifItalic.ttf",
        "C059-Italic.otf",
        "P052-Italic.otf",
        "Z003-MediumItalic.otf",
    ),
    (
        "NimbusSans-Italic.otf",
        "LiberationSans-Italic.ttf",
        "FreeSansOblique.ttf",
        "DejaVuSans-Oblique.ttf",
        "URWGothic-BookOblique.otf",
    ),
    (
        "OCRB.otf",
        "NimbusMonoPS-Regular.otf",
        "LiberationMono-Regular.ttf",
        "FreeMono.ttf",
        "DejaVuSansMono.ttf",
    ),
    (
        "NimbusMonoPS-Bold.otf",
        "LiberationMono-Bold.ttf",
        "FreeMonoBold.ttf",
        "DejaVuSansMono-Bold.ttf",
    ),
)
"""Fonts a forger would take for one another: same class (sans, serif, mono ...) and weight."""


@lru_cache(maxsize=128)
def _installed(font: str) -> bool:
    try:
        font_path(font)
    except FileNotFoundError:
        return False
    return True


def _family(font: str) -> tuple[str, ...]:
    """The family of ``font``; an unknown font is classed by its name."""
    for family in _FAMILIES:
        if font in family:
            return family
    bold = any(w in font for w in ("Bold", "Demi", "Heavy", "Black"))
    if "Mono" in font or "OCR" in font:
        return _FAMILIES[9 if bold else 8]
    if "Italic" in font or "Oblique" in font:
        return _FAMILIES[6 if "Serif" in font or "Roman" in font else 7]
    if any(w in font for w in ("Serif", "Roman", "C059", "P052", "Bookman", "Times")):
        return _FAMILIES[5 if bold else 4]
    if "Narrow" in font or "Condensed" in font:
        return _FAMILIES[3 if bold else 2]
    return _FAMILIES[1 if bold else 0]


def _similar_fonts(font: str, text: str) -> tuple[str, ...]:
    """Installed fonts of ``font``'s family, other than it, with a glyph for each of ``text``."""
    return tuple(
        f
        for f in _family(font)
        if f != font and _installed(f) and all(ink.has_glyph(f, c) for c in set(text))
    )


def _ink_offset(
    rng: np.random.Generator, colour: tuple[int, int, int], spread: int
) -> tuple[int, int, int]:
    """``colour`` with each channel off by up to ``spread`` levels, at least one by 3 or more."""
    delta = rng.integers(-spread, spread + 1, 3)
    if np.abs(delta).max() < 3:
        delta[int(rng.integers(3))] = 3 if rng.random() < 0.5 else -3
    r, g, b = (int(np.clip(c + d, 0, 255)) for c, d in zip(colour, delta, strict=True))
    if (r, g, b) == colour:
        r = r + 4 if r < 128 else r - 4
    return r, g, b


def _near_miss(
    rng: np.random.Generator, style: TextStyle, text: str, careful: bool
) -> tuple[TextStyle, tuple[int, int]]:
    """The style a forger retypes with, and the (dx, dy) it lands off the original baseline.

    A careless forger takes a similar font (70 %), misses the size by 1-2 px and the tracking,
    and mixes the ink a little off; a careful one (``careful``) mostly keeps the font and size.
    The returned style always differs from ``style``.
    """
    fonts = _similar_fonts(style.font, text)
    font = style.font
    if fonts and rng.random() < (0.3 if careful else 0.7):
        font = fonts[int(rng.integers(len(fonts)))]
    size = style.size_px
    if rng.random() < (0.3 if careful else 0.6) or font == style.font:
        step = 1 if careful else int(rng.integers(1, 3))
        size = max(6, size + (step if rng.random() < 0.5 else -step))
    tracking = style.tracking_px
    if rng.random() < (0.25 if careful else 0.5):
        tracking = round(tracking + float(rng.uniform(-0.8, 0.8)), 2)
    colour = _ink_offset(rng, style.colour, 6 if careful else 18)
    dx = int(rng.integers(-2, 3)) if rng.random() < (0.2 if careful else 0.35) else 0
    dy = int(rng.choice((-2, -1, 1, 2))) if rng.random() < (0.25 if careful else 0.5) else 0
    if careful:
        dy = int(np.sign(dy))
    return TextStyle(font, size, colour, tracking), (dx, dy)


# --- Geometry and pixels ------------------------------------------------------------------------


def _clip(box: Box, shape: tuple[int, ...]) -> Box:
    x, y, w, h = box
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(shape[1], x + w), min(shape[0], y + h)
    return (x0, y0, max(0, x1 - x0), max(0, y1 - y0))


def _grow(box: Box, m: int) -> Box:
    return (box[0] - m, box[1] - m, box[2] + 2 * m, box[3] + 2 * m)


def _union(a: Box, b: Box) -> Box:
    if a[2] == 0 or a[3] == 0:
        return b
    if b[2] == 0 or b[3] == 0:
        return a
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0)


def _slices(box: Box) -> tuple[slice, slice]:
    return slice(box[1], box[1] + box[3]), slice(box[0], box[0] + box[2])


def _changed(a: Rgb, b: Rgb) -> Mask:
    """(H, W) True where ``a`` and ``b`` differ in any channel.

    The difference is padded to four bytes a pixel and read as one 32-bit word per pixel, a few
    times faster on a full page than reducing over the channel axis.
    """
    rgba = np.asarray(cv2.cvtColor(cv2.absdiff(a, b), cv2.COLOR_RGB2RGBA), dtype=np.uint8)
    rgba[..., 3] = 0
    mask: Mask = rgba.view(np.uint32)[..., 0] != 0
    return mask


def _bbox(mask: Mask) -> Box | None:
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return None
    cols = np.flatnonzero(mask.any(axis=0))
    return (int(cols[0]), int(rows[0]), int(cols[-1] - cols[0] + 1), int(rows[-1] - rows[0] + 1))


def _paper(page: Page, box: Box) -> Rgb:
    """The blank paper under ``box`` (clipped): the template background, else an estimate.

    Without a background, a grey closing (dilate, then erode) larger than a stroke removes the
    dark ink and keeps the paper, the way a forger's clone brush would.
    """
    box = _clip(box, page.rgb.shape)
    if page.background is not None:
        return page.background[_slices(box)].copy()
    outer = _clip(_grow(box, 6), page.rgb.shape)
    kernel = np.ones((9, 9), np.uint8)
    closed = cv2.morphologyEx(page.rgb[_slices(outer)], cv2.MORPH_CLOSE, kernel)
    dx, dy = box[0] - outer[0], box[1] - outer[1]
    paper = np.array(closed[dy : dy + box[3], dx : dx + box[2]], dtype=np.uint8)
    return paper


def _darkness(rgb: Rgb, paper: Rgb) -> Alpha:
    """How much ink darkens the paper, 0 (none) to 1 (black), from grey levels."""
    gray = cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY).astype(np.float32)
    base = np.maximum(cv2.cvtColor(paper, cv2.COLOR_RGB2GRAY).astype(np.float32), 1.0)
    dark: Alpha = np.clip(1.0 - gray / base, 0.0, 1.0)
    return dark


def _match(page: Page, template: Alpha, window: Box) -> tuple[int, int] | None:
    """Top-left in ``window`` where ``template`` (ink darkness) best fits the page's ink."""
    window = _clip(window, page.rgb.shape)
    if window[3] < template.shape[0] or window[2] < template.shape[1] or not template.any():
        return None
    crop = page.rgb[_slices(window)]
    dark = _darkness(crop, _paper(page, window))
    score = cv2.matchTemplate(dark, template, cv2.TM_SQDIFF)
    _, _, best, _ = cv2.minMaxLoc(score)
    return window[0] + int(best[0]), window[1] + int(best[1])


def _shade(colour: tuple[int, int, int]) -> float:
    """How much an ink of ``colour`` darkens white paper in grey (0-1)."""
    r, g, b = colour
    return 1.0 - (0.299 * r + 0.587 * g + 0.114 * b) / 255.0


def _recompress(rgb: Rgb, box: Box, quality: int) -> None:
    """JPEG-compress the patch ``box`` of ``rgb`` on its own, in place (local double JPEG)."""
    box = _clip(box, rgb.shape)
    if box[2] == 0 or box[3] == 0:
        return
    view = rgb[_slices(box)]
    ok, data = cv2.imencode(".jpg", view, (cv2.IMWRITE_JPEG_QUALITY, quality))
    if ok:
        view[...] = np.asarray(cv2.imdecode(data, cv2.IMREAD_UNCHANGED), dtype=np.uint8)


# --- The forger's hand and the working copy -----------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hand:
    """The forger's habits for one forgery, drawn once so every edit in it looks alike."""

    erase: str
    """``exact`` (the blank template), ``blurred``, ``tinted`` or ``telea`` (OpenCV inpaint)."""
    blur_sigma: float
    tint: tuple[int, int, int]
    jpeg_quality: int
    """Quality the pasted patch was saved at on its own; 0 when it was not."""

    def details(self) -> tuple[tuple[str, str], ...]:
        out = [("erase", self.erase)]
        if self.erase == "blurred":
            out.append(("erase_blur_sigma", f"{self.blur_sigma:.2f}"))
        if self.erase == "tinted":
            out.append(("erase_tint", str(self.tint)))
        if self.jpeg_quality:
            out.append(("patch_jpeg_quality", str(self.jpeg_quality)))
        return tuple(out)


def _draw_hand(rng: np.random.Generator, careful: bool) -> _Hand:
    weights = np.array((0.45, 0.2, 0.15, 0.2) if careful else (0.25, 0.25, 0.25, 0.25))
    erase = ("exact", "blurred", "tinted", "telea")[int(rng.choice(4, p=weights / weights.sum()))]
    tint = tuple(int(v) for v in rng.integers(-6, 7, 3))
    if not any(tint):
        tint = (3, 2, -2)
    jpeg = int(rng.integers(55, 90)) if rng.random() < (0.15 if careful else 0.3) else 0
    return _Hand(erase, float(rng.uniform(0.6, 1.4)), (tint[0], tint[1], tint[2]), jpeg)


@dataclass
class _Draft:
    """Private working copy of the page one operation changes in place."""

    page: Page
    rgb: Rgb
    zones: list[Zone]
    background: Rgb | None
    claims: list[tuple[str, Box]]
    details: list[tuple[str, str]]
    mrz_lines: tuple[str, ...] | None = None

    @classmethod
    def start(cls, page: Page) -> _Draft:
        return cls(page, page.rgb.copy(), list(page.zones), page.background, [], [])

    def claim(self, name: str, box: Box) -> None:
        """Record that field ``name`` was changed inside ``box`` (checked in :func:`_finish`)."""
        box = _clip(box, self.rgb.shape)
        if box[2] and box[3]:
            self.claims.append((name, box))

    def swap(self, old: Zone, new: Zone | None) -> None:
        """Replace zone ``old`` (by identity) with ``new``, or drop it."""
        i = next(k for k, z in enumerate(self.zones) if z is old)
        if new is None:
            del self.zones[i]
        else:
            self.zones[i] = new

    def erase(self, box: Box, hand: _Hand) -> Box:
        """Restore the paper in ``box`` the way ``hand`` does; returns the clipped box."""
        box = _clip(box, self.rgb.shape)
        if box[2] == 0 or box[3] == 0:
            return box
        view = self.rgb[_slices(box)]
        if hand.erase == "telea":
            outer = _clip(_grow(box, 4), self.rgb.shape)
            crop = self.rgb[_slices(outer)]
            diff = cv2.absdiff(crop, _paper(self.page, outer)).max(axis=2)
            ink = np.zeros(diff.shape, np.uint8)
            dx, dy = box[0] - outer[0], box[1] - outer[1]
            inside = diff[dy : dy + box[3], dx : dx + box[2]] > 10
            ink[dy : dy + box[3], dx : dx + box[2]] = inside
            ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))
            ink[:dy], ink[dy + box[3] :], ink[:, :dx], ink[:, dx + box[2] :] = 0, 0, 0, 0
            if ink.any():
                crop[...] = cv2.inpaint(crop, ink, 3, cv2.INPAINT_TELEA)
            return box
        if hand.erase == "blurred":
            outer = _clip(_grow(box, 4), self.rgb.shape)
            soft = cv2.GaussianBlur(_paper(self.page, outer), (0, 0), hand.blur_sigma)
            dx, dy = box[0] - outer[0], box[1] - outer[1]
            view[...] = soft[dy : dy + box[3], dx : dx + box[2]]
            return box
        paper = _paper(self.page, box)
        if hand.erase == "tinted":
            paper = np.clip(paper.astype(np.int16) + np.array(hand.tint), 0, 255).astype(np.uint8)
        view[...] = paper
        return box


def _finish(kind: ForgeryType, original: Page, draft: _Draft) -> Forgery:
    """Measure what changed, check it against what the operation claims, and freeze it.

    Raises:
        ValueError: nothing changed, or a claimed field has no changed pixel.
    """
    mask = _changed(original.rgb, draft.rgb)
    if not mask.any():
        raise ValueError(f"{kind}: the forgery changed no pixel")
    names: list[str] = []
    regions: dict[str, Box] = {}
    for name, box in draft.claims:
        if name not in regions:
            names.append(name)
        regions[name] = _union(regions.get(name, (0, 0, 0, 0)), box)
    boxes: list[Box] = []
    covered = np.zeros_like(mask)
    for name in names:
        region = regions[name]
        inside = _bbox(mask[_slices(region)])
        if inside is None:
            raise ValueError(f"{kind}: {name} was claimed but no pixel of it changed")
        box = (region[0] + inside[0], region[1] + inside[1], inside[2], inside[3])
        boxes.append(box)
        covered[_slices(box)] = True
    stray = mask & ~covered
    around = _bbox(stray)
    if around is not None:
        crop = stray[_slices(around)].astype(np.uint8)
        count, _, stats, _ = cv2.connectedComponentsWithStats(crop, connectivity=8)
        for k in range(1, count):
            x, y, w, h = (int(v) for v in stats[k, :4])
            boxes.append((around[0] + x, around[1] + y, w, h))
    mask.flags.writeable = False
    draft.rgb.flags.writeable = False
    page = Page(
        draft.rgb,
        tuple(draft.zones),
        original.template,
        original.side,
        original.kind,
        draft.background,
    )
    return Forgery(
        kind, page, mask, tuple(boxes), tuple(names), draft.mrz_lines, tuple(draft.details)
    )


# --- Visual-zone text ---------------------------------------------------------------------------


def _text_zones(page: Page, names: Sequence[str] | None = None) -> list[Zone]:
    """Printed text zones with a style, optionally only those called one of ``names``."""
    return [
        z
        for z in page.zones
        if z.style is not None and z.text.strip() and (names is None or z.name in names)
    ]


def _text_origin(page: Page, zone: Zone, style: TextStyle) -> tuple[tuple[int, int], Alpha]:
    """Where ``zone``'s text was drawn (top-left of :func:`ink.text_alpha`'s canvas), and its
    rendered coverage.

    The zone box is taken as the ink box :func:`ink.draw_text` returns, then the guess is
    refined by matching the rendered text against the page's ink, which also finds a box given
    as the drawing position.
    """
    alpha, _ = ink.text_alpha(zone.text, style)
    inked = _bbox(alpha > 0.05)
    if inked is None:
        return (zone.box[0], zone.box[1]), alpha
    gx, gy = zone.box[0] - inked[0], zone.box[1] - inked[1]
    r = max(inked[0], inked[1]) + 3
    window = (gx - r, gy - r, alpha.shape[1] + 2 * r, alpha.shape[0] + 2 * r)
    found = _match(page, alpha * np.float32(_shade(style.colour)), window)
    return (found if found is not None else (gx, gy)), alpha


def _extent(alpha: Alpha, origin: tuple[int, int], threshold: float = 0.0) -> Box:
    """Page box of the pixels where ``alpha`` placed at ``origin`` exceeds ``threshold``."""
    found = _bbox(alpha > threshold)
    if found is None:
        return (origin[0], origin[1], 0, 0)
    return (origin[0] + found[0], origin[1] + found[1], found[2], found[3])


def _other_text(
    page: Page, box: Box, own: Zone, own_alpha: Alpha, origin: tuple[int, int]
) -> Mask | None:
    """(h, w) mask over ``box`` of other texts' boxes (labels, fields), less the field's own ink
    (``own_alpha`` drawn at ``origin``, widened 2 px): the forger erases around the field
    without wiping the printing next to it."""
    keep = np.zeros((box[3], box[2]), bool)
    for zone in page.zones:
        if zone is not own and zone.style is not None and boxes_overlap(zone.box, box):
            x0, y0 = max(zone.box[0], box[0]) - box[0], max(zone.box[1], box[1]) - box[1]
            x1 = min(zone.box[0] + zone.box[2], box[0] + box[2]) - box[0]
            y1 = min(zone.box[1] + zone.box[3], box[1] + box[3]) - box[1]
            keep[y0:y1, x0:x1] = True
    if not keep.any():
        return None
    ink_mask = np.zeros((box[3], box[2]), np.uint8)
    ax, ay = origin[0] - box[0], origin[1] - box[1]
    h, w = own_alpha.shape
    sy, sx = max(0, -ay), max(0, -ax)
    ty, tx = max(0, ay), max(0, ax)
    ch, cw = min(h - sy, box[3] - ty), min(w - sx, box[2] - tx)
    if ch > 0 and cw > 0:
        ink_mask[ty : ty + ch, tx : tx + cw] = own_alpha[sy : sy + ch, sx : sx + cw] > 0.02
    keep &= cv2.dilate(ink_mask, np.ones((5, 5), np.uint8)) == 0
    return keep


def _retype(
    rng: np.random.Generator,
    draft: _Draft,
    zone: Zone,
    new_text: str,
    hand: _Hand,
    careful: bool,
) -> None:
    """Erase ``zone``'s text with ``hand`` and retype ``new_text`` in a near-miss style."""
    style = zone.style
    if style is None:
        raise ValueError(f"zone {zone.name} has no text style to retype")
    origin, old_alpha = _text_origin(draft.page, zone, style)
    forged, (dx, dy) = _near_miss(rng, style, new_text, careful)
    margin = int(rng.integers(1, 3))
    target = _clip(_grow(_union(zone.box, _extent(old_alpha, origin)), margin), draft.rgb.shape)
    before = draft.rgb[_slices(target)].copy()
    erased = draft.erase(target, hand)
    keep = _other_text(draft.page, target, zone, old_alpha, origin)
    if keep is not None:
        draft.rgb[_slices(target)][keep] = before[keep]
    alpha, _ = ink.text_alpha(new_text, forged)
    at = (origin[0] + dx, origin[1] + dy)
    ink.blend_ink(draft.rgb, alpha, forged.colour, at)
    ink_box = _extent(alpha, at, 0.05)
    touched = _union(erased, _extent(alpha, at))
    if hand.jpeg_quality:
        touched = _grow(touched, 2)
        _recompress(draft.rgb, touched, hand.jpeg_quality)
    draft.claim(zone.name, touched)
    draft.swap(
        zone, replace(zone, text=new_text, style=forged, box=_clip(ink_box, draft.rgb.shape))
    )
    draft.details.extend(
        (
            ("field", zone.name),
            ("old", zone.text),
            ("new", new_text),
            ("font", forged.font),
            ("size_px", str(forged.size_px)),
            ("tracking_px", f"{forged.tracking_px:g}"),
            ("colour", str(forged.colour)),
            ("shift", f"{dx},{dy}"),
            ("original_font", style.font),
            ("original_size_px", str(style.size_px)),
        )
    )


def _weighted_order(
    rng: np.random.Generator, names: Sequence[str], weights: dict[str, float]
) -> list[int]:
    """Indices of ``names`` in a random order that favours heavier names first."""
    w = np.array([weights.get(n, 1.0) for n in names])
    return [int(k) for k in rng.choice(len(names), len(names), replace=False, p=w / w.sum())]


def _retype_some(
    rng: np.random.Generator,
    draft: _Draft,
    zones: Sequence[Zone],
    weights: dict[str, float],
    data: DocumentData | None,
    hand: _Hand,
) -> None:
    """Retype the first of ``zones`` (in weighted random order) that takes a new value."""
    for k in _weighted_order(rng, [z.name for z in zones], weights):
        zone = zones[k]
        for _ in range(3):
            new_text = _edit_text(rng, zone.name, zone.text, data)
            if new_text is not None and new_text != zone.text:
                _retype(rng, draft, zone, new_text, hand, careful=False)
                return
    raise ValueError("no field took a new value")


def _viz_zones(page: Page) -> list[Zone]:
    return [z for z in _text_zones(page, _VIZ_FIELDS) if _can_edit(z.name, z.text)]


def _letter_zones(page: Page) -> list[Zone]:
    return [z for z in _text_zones(page) if _is_letter_field(z.name) and _can_edit(z.name, z.text)]


# --- The machine-readable zone ------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _advance(font: str, size_px: int, char: str) -> float:
    return float(ink.load_font(font, size_px).getlength(char))


@lru_cache(maxsize=64)
def _glyph_rows(font: str, size_px: int) -> tuple[int, int]:
    """First and last ink row of the MRZ characters below a line's drawing position."""
    _, top, _, bottom = ink.load_font(font, size_px).getbbox(
        "<0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    )
    return int(top), int(math.ceil(bottom))


@dataclass(frozen=True, slots=True)
class _MrzGrid:
    """Where the MRZ's character cells lie, each line as one :func:`ink.draw_mrz` call put it."""

    origins: tuple[tuple[int, int], ...]
    """Page position of each line's drawing canvas (its first cell's top-left)."""
    pitch: float
    style: TextStyle
    size: tuple[int, int]
    """(width, height) of one line's drawing canvas."""

    def cell(self, line: int, index: int) -> Box:
        """Page box of one character cell: the cell's columns, the glyphs' rows, 1-2 px margin."""
        top, bottom = _glyph_rows(self.style.font, self.style.size_px)
        x0 = math.floor(index * self.pitch) - 1
        x1 = math.ceil((index + 1) * self.pitch) + 1
        ox, oy = self.origins[line]
        return (ox + x0, oy + top - 2, x1 - x0, bottom - top + 4)

    def alpha(
        self, cells: Sequence[tuple[int, str]], style: TextStyle, offset: tuple[float, float]
    ) -> Alpha:
        """Coverage of the (index, char) cells of one line in ``style`` on its canvas."""
        font = ink.load_font(style.font, style.size_px)
        canvas = Image.new("L", self.size, 0)
        draw = ImageDraw.Draw(canvas)
        for index, char in cells:
            advance = _advance(style.font, style.size_px, char)
            x = index * self.pitch + (self.pitch - advance) / 2 + offset[0]
            draw.text((x, offset[1]), char, fill=255, font=font)
        return np.asarray(canvas, dtype=np.float32) / 255.0


def _mrz_of(page: Page) -> tuple[Zone, tuple[str, ...], MrzFormat] | None:
    zone = page.zone("mrz")
    if zone is None or not zone.text.strip():
        return None
    lines = tuple(zone.text.split("\n"))
    fmt = detect_format(lines)
    layout = LAYOUTS[fmt] if fmt is not None else None
    if (
        fmt is None
        or layout is None
        or len(lines) != layout.line_count
        or any(len(line) != layout.line_length for line in lines)
    ):
        return None
    return zone, lines, fmt


def _mrz_grid(
    page: Page, zone: Zone, lines: tuple[str, ...], needed: frozenset[int] | None = None
) -> _MrzGrid:
    """The MRZ's cells, each line found by matching its first characters against the page's
    ink inside the zone (documents print line by line, at their own line spacing).

    Only the ``needed`` lines (default all) are searched; the others get a guess at the ICAO
    spacing below the zone's top.
    """
    style = zone.style or ink.mrz_style(PX_PER_MM)
    ascent, descent = ink.load_font(style.font, style.size_px).getmetrics()
    pitch = ink.MRZ_PITCH_MM * PX_PER_MM
    grid = _MrzGrid((), pitch, style, (int(np.ceil(pitch * len(lines[0]))), ascent + descent))
    top, _ = _glyph_rows(style.font, style.size_px)
    head = min(6, len(lines[0]))
    shade = np.float32(_shade(style.colour))
    origins = []
    for k, line in enumerate(lines):
        guess = (zone.box[0], zone.box[1] - top + round(k * ink.MRZ_LINE_MM * PX_PER_MM))
        if needed is not None and k not in needed:
            origins.append(guess)
            continue
        probe = grid.alpha([(i, line[i]) for i in range(head)], style, (0.0, 0.0))
        probe = probe[:, : int(np.ceil(head * pitch))]
        r = 8
        window = (
            zone.box[0] - r,
            zone.box[1] - top - r,
            probe.shape[1] + 2 * r,
            max(zone.box[3] + top, probe.shape[0]) + 2 * r,
        )
        origins.append(_match(page, probe * shade, window) or guess)
    return replace(grid, origins=tuple(origins))


def _mrz_field_at(fmt: MrzFormat, lines: Sequence[str], line: int, index: int) -> str:
    """Name (``mrz.<field>``) of the field holding cell (line, index); check digits count with
    their field, the composite check digit is ``mrz.composite``."""
    for span in check_spans(lines, fmt):
        if (span.line, span.position) == (line, index):
            return f"mrz.{span.name}"
    for spec in LAYOUTS[fmt].fields:
        if spec.line == line and spec.start <= index < spec.end:
            return f"mrz.{spec.name}"
    return "mrz"


def _recompute(
    lines: Sequence[str], fmt: MrzFormat, changed: set[tuple[int, int]]
) -> tuple[str, ...]:
    """``lines`` with the check digits over any ``changed`` cell recomputed (composite last)."""
    rows = [list(line) for line in lines]
    touched = set(changed)
    for span in check_spans(lines, fmt):
        if not touched.intersection(span.cells):
            continue
        data = "".join(rows[ln][p] for ln, p in span.cells)
        digit = compute_check_digit(data)
        if rows[span.line][span.position] != digit:
            rows[span.line][span.position] = digit
            touched.add((span.line, span.position))
    return tuple("".join(row) for row in rows)


def _set_field(lines: Sequence[str], fmt: MrzFormat, name: str, value: str) -> tuple[str, ...]:
    spec = LAYOUTS[fmt].field(name)
    rows = list(lines)
    row = rows[spec.line]
    rows[spec.line] = row[: spec.start] + value.ljust(spec.length, "<") + row[spec.end :]
    return tuple(rows)


def _get_field(lines: Sequence[str], fmt: MrzFormat, name: str) -> str:
    spec = LAYOUTS[fmt].field(name)
    return lines[spec.line][spec.start : spec.end]


def _valid_yymmdd(text: str) -> bool:
    try:
        date(2000 + int(text[:2]), int(text[2:4]), int(text[4:6]))
    except ValueError:
        return False
    return True


def _shift_yymmdd(text: str, delta: int) -> str | None:
    """YYMMDD moved by ``delta`` years (kept a real date: 29 Feb moves by leap years only)."""
    if not text.isdigit() or not _valid_yymmdd(text):
        return None
    if text[2:] == "0229" and delta % 4:
        delta += 4 - delta % 4
    new = f"{(int(text[:2]) + delta) % 100:02d}{text[2:]}"
    return new if _valid_yymmdd(new) and new != text else None


def _mrz_date_edit(
    rng: np.random.Generator, name: str, value: str, data: DocumentData | None
) -> str | None:
    if name == "birth_date" and rng.random() < 0.3 and value.isdigit():
        days = [f"{d:02d}" for d in range(1, 29) if f"{d:02d}" != value[4:]]
        new = value[:4] + days[int(rng.integers(len(days)))]
        return new if _valid_yymmdd(new) else None
    return _shift_yymmdd(value, _year_delta(rng, name, data))


def _mrz_candidates(fmt: MrzFormat, raw: bool) -> tuple[str, ...]:
    """Fields an MRZ edit may touch; a raw edit needs one a check digit covers."""
    layout = LAYOUTS[fmt]
    checked = ["document_number", "birth_date", "expiry_date"]
    if layout.has_field("personal_number"):
        checked.append("personal_number")
    if raw:
        return tuple(checked)
    return (*checked, "name", "nationality")


def _edit_mrz_field(
    rng: np.random.Generator,
    lines: tuple[str, ...],
    fmt: MrzFormat,
    name: str,
    data: DocumentData | None,
) -> tuple[str, ...] | None:
    """``lines`` with field ``name`` changed to a plausible other value (check digits untouched)."""
    value = _get_field(lines, fmt, name)
    new: str | None
    if name in ("birth_date", "expiry_date"):
        new = _mrz_date_edit(rng, name, value, data)
    elif name == "name":
        surname, given = split_name(value)
        new_surname = _new_name(rng, "surname", surname)
        new = name_field(new_surname, given, len(value))
    elif name == "nationality":
        code = _new_nationality(rng, value.replace("<", ""))
        new = code.upper() if code else None
    else:
        new = _change_char(rng, value.replace("<", " ").rstrip())
        new = new.replace(" ", "<") if new else None
    if new is None or len(new) > len(value) or new.ljust(len(value), "<") == value:
        return None
    return _set_field(lines, fmt, name, new)


def _checks_pass(lines: Sequence[str], fmt: MrzFormat) -> bool:
    for span in check_spans(lines, fmt):
        data = "".join(lines[ln][p] for ln, p in span.cells)
        observed = lines[span.line][span.position]
        if span.filler_allowed and observed == "<" and set(data) <= {"<"}:
            continue
        if observed != compute_check_digit(data):
            return False
    return True


def _mrz_near_miss(
    rng: np.random.Generator, style: TextStyle, careful: bool
) -> tuple[TextStyle, tuple[float, float]]:
    """The OCR-B a forger reprints MRZ characters with and its sub-pixel misplacement."""
    font = style.font
    if not careful and rng.random() < 0.1:
        others = _similar_fonts(style.font, "A")
        font = others[int(rng.integers(len(others)))] if others else font
    size = style.size_px
    if rng.random() < (0.1 if careful else 0.3):
        size += 1 if rng.random() < 0.5 else -1
    colour = _ink_offset(rng, style.colour, 5 if careful else 14)
    spread = 0.6 if careful else 1.3
    offset = (float(rng.uniform(-spread, spread)), float(rng.uniform(-spread, spread)))
    if rng.random() < 0.3:
        offset = (0.0, 0.0)
    return TextStyle(font, size, colour, style.tracking_px), offset


def _reprint_mrz(
    rng: np.random.Generator,
    draft: _Draft,
    zone: Zone,
    fmt: MrzFormat,
    old: tuple[str, ...],
    new: tuple[str, ...],
    hand: _Hand,
    careful: bool,
) -> None:
    """Erase the MRZ cells that differ between ``old`` and ``new`` and print the new characters.

    Each run of changed cells on a line is erased with the forger's hand; neighbours' ink that
    reaches into it is printed back as it was, and the new characters in a near-miss OCR-B.
    """
    lines_changed = frozenset(k for k, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
    grid = _mrz_grid(draft.page, zone, old, lines_changed)
    forged, offset = _mrz_near_miss(rng, grid.style, careful)
    runs: list[tuple[int, int, int]] = []
    for k, (a, b) in enumerate(zip(old, new, strict=True)):
        for i in range(len(a)):
            if a[i] == b[i]:
                continue
            if runs and runs[-1][0] == k and runs[-1][2] == i - 1:
                runs[-1] = (k, runs[-1][1], i)
            else:
                runs.append((k, i, i))
    if not runs:
        raise ValueError("the MRZ edit changed no character")
    for k in sorted({run[0] for run in runs}):
        changed = [i for i in range(len(old[k])) if old[k][i] != new[k][i]]
        near = {j for i in changed for j in (i - 1, i + 1) if 0 <= j < len(old[k])}
        keep = grid.alpha([(j, old[k][j]) for j in sorted(near - set(changed))], grid.style, (0, 0))
        fresh = grid.alpha([(i, new[k][i]) for i in changed], forged, offset)
        ox, oy = grid.origins[k]
        for _, first, last in (run for run in runs if run[0] == k):
            box = draft.erase(_union(grid.cell(k, first), grid.cell(k, last)), hand)
            if box[2] == 0 or box[3] == 0:
                continue
            cx, cy = box[0] - ox, box[1] - oy
            for alpha, colour in ((keep, grid.style.colour), (fresh, forged.colour)):
                crop = alpha[max(cy, 0) : cy + box[3], max(cx, 0) : cx + box[2]]
                ink.blend_ink(draft.rgb, crop, colour, (max(box[0], ox), max(box[1], oy)))
            if hand.jpeg_quality:
                box = _grow(box, 2)
                _recompress(draft.rgb, box, hand.jpeg_quality)
            for i in range(first, last + 1):
                draft.claim(_mrz_field_at(fmt, new, k, i), box)
    draft.mrz_lines = new
    draft.swap(zone, replace(zone, text="\n".join(new)))
    draft.details.extend(
        (
            ("mrz_old", "\n".join(old)),
            ("mrz_new", "\n".join(new)),
            ("mrz_font", forged.font),
            ("mrz_size_px", str(forged.size_px)),
            ("mrz_colour", str(forged.colour)),
            ("mrz_offset", f"{offset[0]:.2f},{offset[1]:.2f}"),
        )
    )


# --- Operations ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Inputs:
    hand: _Hand
    data: DocumentData | None
    donor: Page | None
    new_face: Rgb | None


Operation = Callable[[np.random.Generator, _Draft, _Inputs], None]


def _fit(face: Rgb, w: int, h: int) -> npt.NDArray[np.float32]:
    """``face`` centre-cropped to the aspect of (w, h) and resized to it, as float32."""
    fh, fw = face.shape[:2]
    if fw * h > fh * w:
        cw = max(1, round(fh * w / h))
        face = face[:, (fw - cw) // 2 : (fw - cw) // 2 + cw]
    else:
        ch = max(1, round(fw * h / w))
        face = face[(fh - ch) // 2 : (fh - ch) // 2 + ch]
    fitted = cv2.resize(np.ascontiguousarray(face), (w, h), interpolation=cv2.INTER_AREA)
    return fitted.astype(np.float32)


def _feather(w: int, h: int, sigma: float, ellipse: bool) -> npt.NDArray[np.float32]:
    """(h, w, 1) weights: 1 inside, falling to 0 at the edge over about ``2 * sigma`` px."""
    inset = max(1, round(1.5 * sigma))
    hard = np.zeros((h, w), np.float32)
    if ellipse:
        cv2.ellipse(
            hard,
            (w // 2, h // 2),
            (max(1, w // 2 - inset), max(1, h // 2 - inset)),
            0,
            0,
            360,
            1.0,
            -1,
        )
    else:
        hard[inset : h - inset, inset : w - inset] = 1.0
    soft = cv2.GaussianBlur(hard, (0, 0), sigma)
    return np.asarray(soft, dtype=np.float32)[..., None]


def _lab_transfer(face: npt.NDArray[np.float32], target: Rgb) -> npt.NDArray[np.float32]:
    """``face`` with the mean and spread of ``target`` in each Lab channel (Reinhard)."""
    src = cv2.cvtColor(np.clip(face, 0, 255).astype(np.uint8), cv2.COLOR_RGB2LAB)
    ref = cv2.cvtColor(target, cv2.COLOR_RGB2LAB)
    s_mean, s_std = (np.asarray(v, np.float64).ravel() for v in cv2.meanStdDev(src))
    r_mean, r_std = (np.asarray(v, np.float64).ravel() for v in cv2.meanStdDev(ref))
    gain = r_std / (s_std + 1e-3)
    matrix = np.hstack([np.diag(gain), (r_mean - s_mean * gain)[:, None]])
    out = cv2.transform(src, matrix)  # per channel gain and offset, saturated to uint8
    return np.asarray(cv2.cvtColor(out, cv2.COLOR_LAB2RGB), dtype=np.float32)


def _rephoto(rng: np.random.Generator, face: npt.NDArray[np.float32]) -> npt.NDArray[np.float32]:
    """A photo of ``face`` taken with a phone: tilt, blur, flat contrast, cast, glare, moire."""
    h, w = face.shape[:2]
    angle, scale = float(rng.uniform(-2.5, 2.5)), float(rng.uniform(1.0, 1.06))
    matrix = np.asarray(cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale), np.float64)
    matrix[:, 2] += rng.uniform(-2, 2, 2)
    out = np.asarray(
        cv2.warpAffine(face, matrix, (w, h), borderMode=cv2.BORDER_REFLECT), np.float32
    )
    out = np.asarray(cv2.GaussianBlur(out, (0, 0), float(rng.uniform(0.6, 1.5))), np.float32)
    gamma = float(rng.uniform(0.85, 1.2))
    contrast = float(rng.uniform(0.72, 0.92))
    level = 255.0 * (np.arange(256) / 255.0) ** gamma
    lut = np.clip(level * contrast + (1 - contrast) * float(rng.uniform(110, 170)), 0, 255)
    out = cv2.LUT(np.clip(out, 0, 255).astype(np.uint8), lut.astype(np.uint8)).astype(np.float32)
    out *= rng.uniform(0.92, 1.06, 3).astype(np.float32)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if rng.random() < 0.5:
        theta = float(rng.uniform(0, np.pi))
        freq = float(rng.uniform(0.18, 0.45))
        wave = np.sin(2 * np.pi * freq * (xx * np.cos(theta) + yy * np.sin(theta)))
        out += (float(rng.uniform(2, 6)) * wave)[..., None]
    if rng.random() < 0.5:
        theta = float(rng.uniform(0, 2 * np.pi))
        ramp = xx * np.cos(theta) + yy * np.sin(theta)
        ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1.0)
        out += (float(rng.uniform(10, 35)) * ramp**2)[..., None]
    grain = rng.random((h, w, 1), dtype=np.float32) - np.float32(0.5)  # sensor grain, grey
    out += grain * np.float32(math.sqrt(12.0) * rng.uniform(1.5, 4.0))  # std 1.5-4 levels
    patch = np.clip(out, 0, 255).astype(np.uint8)
    ok, data = cv2.imencode(".jpg", patch, (cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(45, 80))))
    if ok:
        patch = np.asarray(cv2.imdecode(data, cv2.IMREAD_UNCHANGED), dtype=np.uint8)
    result: npt.NDArray[np.float32] = patch.astype(np.float32)
    if rng.random() < 0.6:
        rim = float(rng.uniform(0.55, 0.85))
        result[:1] *= rim
        result[-1:] *= rim
        result[:, :1] *= rim
        result[:, -1:] *= rim
    return result


def _portrait(look: ForgeryType) -> Operation:
    """Substitute the portrait in one of three looks; the ghost portrait is left as it was.

    Documents print the portrait as ink multiplying the paper. A forger working on the digital
    file may print the new face the same way over the restored paper (``multiplied``) or paste
    it as an opaque picture (``pasted``), which drops the security print that showed through.
    A grey (laser-engraved) original gets a grey face.
    """

    def run(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
        zone = draft.page.zone("portrait")
        if zone is None or inputs.new_face is None:
            raise ValueError(f"{look} needs a portrait zone and new_face")
        box = _clip(zone.box, draft.rgb.shape)
        view = draft.rgb[_slices(box)]
        original = view.astype(np.float32)
        paper = None
        if draft.page.background is not None:
            paper = np.maximum(_paper(draft.page, box).astype(np.float32), 1.0)
        printed = original if paper is None else np.clip(original / paper * 255.0, 0, 255)
        face = _fit(inputs.new_face, box[2], box[3])
        sample = printed[::3, ::3]
        grey = float(np.mean(sample.max(axis=2) - sample.min(axis=2))) < 10.0
        if grey:
            face = np.repeat(face @ np.array([0.299, 0.587, 0.114], np.float32), 3).reshape(
                face.shape
            )
        multiplied = paper is not None and (
            look is ForgeryType.PORTRAIT_BLEND
            or (look is ForgeryType.PORTRAIT_COLOUR_MATCHED and rng.random() < 0.5)
        )
        if look is ForgeryType.PORTRAIT_COLOUR_MATCHED:
            face = _lab_transfer(face, printed.astype(np.uint8))
            sigma = float(rng.uniform(0.4, 0.9)) if rng.random() < 0.5 else 0.0
            if sigma:
                face = np.asarray(cv2.GaussianBlur(face, (0, 0), sigma), np.float32)
            draft.details.append(("soften_sigma", f"{sigma:.2f}"))
        elif look is ForgeryType.PORTRAIT_REPHOTO:
            face = _rephoto(rng, face)
        new = face * paper / 255.0 if multiplied and paper is not None else face
        if look is ForgeryType.PORTRAIT_BLEND:
            sigma = float(rng.uniform(2.0, 6.0))
            ellipse = bool(rng.random() < 0.4)
            opacity = float(rng.uniform(0.82, 1.0))
            weight = _feather(box[2], box[3], sigma, ellipse) * np.float32(opacity)
            new = original * (1 - weight) + new * weight
            draft.details.extend(
                (
                    ("feather_px", f"{sigma:.1f}"),
                    ("opacity", f"{opacity:.2f}"),
                    ("shape", "ellipse" if ellipse else "rectangle"),
                )
            )
        view[...] = np.clip(new + 0.5, 0, 255).astype(np.uint8)
        if inputs.hand.jpeg_quality and look is not ForgeryType.PORTRAIT_REPHOTO:
            _recompress(draft.rgb, box, inputs.hand.jpeg_quality)
            draft.details.append(("patch_jpeg_quality", str(inputs.hand.jpeg_quality)))
        draft.claim("portrait", box)
        draft.details[:0] = [
            ("look", str(look)),
            ("print", "multiplied" if multiplied else "pasted"),
            ("grey", str(grey)),
        ]

    return run


def _field_retype(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    zones = _viz_zones(draft.page)
    if not zones:
        raise ValueError("no visual-zone field to retype")
    _retype_some(rng, draft, zones, _VIZ_WEIGHTS, inputs.data, inputs.hand)
    draft.details.extend(inputs.hand.details())


def _letter_field_edit(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    zones = _letter_zones(draft.page)
    if not zones:
        raise ValueError("no letter field to edit")
    _retype_some(rng, draft, zones, _LETTER_WEIGHTS, inputs.data, inputs.hand)
    draft.details.extend(inputs.hand.details())


def _mrz_edit(recompute: bool) -> Operation:
    def run(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
        found = _mrz_of(draft.page)
        if found is None:
            raise ValueError("no readable MRZ zone")
        zone, lines, fmt = found
        names = _mrz_candidates(fmt, raw=not recompute)
        for k in _weighted_order(rng, names, {"birth_date": 3.0, "expiry_date": 3.0}):
            name = names[k]
            for _ in range(4):
                new = _edit_mrz_field(rng, lines, fmt, name, inputs.data)
                if new is None:
                    continue
                if recompute:
                    changed = {
                        (ln, p)
                        for ln, (a, b) in enumerate(zip(lines, new, strict=True))
                        for p in range(len(a))
                        if a[p] != b[p]
                    }
                    new = _recompute(new, fmt, changed)
                    ok = _checks_pass(new, fmt)
                else:
                    ok = not _checks_pass(new, fmt)
                if ok:
                    draft.details.append(("mrz_field", name))
                    _reprint_mrz(rng, draft, zone, fmt, lines, new, inputs.hand, careful=False)
                    draft.details.extend(inputs.hand.details())
                    return
        raise ValueError("no MRZ field could be edited")

    return run


def _consistent_pairs(page: Page) -> list[tuple[Zone, str]]:
    """Visual-zone fields that print the same value as an MRZ field: (zone, MRZ field)."""
    found = _mrz_of(page)
    if found is None:
        return []
    _, lines, fmt = found
    layout = LAYOUTS[fmt]
    surname, given = split_name(_get_field(lines, fmt, "name"))
    pairs: list[tuple[Zone, str]] = []
    for zone in _text_zones(page, _MRZ_SHARED):
        if not _can_edit(zone.name, zone.text):
            continue
        text = zone.text
        if zone.name in ("birth_date", "expiry_date"):
            token = _year_token(text)
            value = _get_field(lines, fmt, zone.name)
            if token is not None and token.group()[-2:] == value[:2] and value.isdigit():
                pairs.append((zone, zone.name))
        elif zone.name == "document_number":
            number = _get_field(lines, fmt, "document_number").replace("<", "")
            if "".join(text.split()).upper() == number:
                pairs.append((zone, zone.name))
        elif zone.name in ("surname", "given_names"):
            mrz_value = surname if zone.name == "surname" else given
            if transliterate(text).replace("<", " ") == mrz_value:
                pairs.append((zone, "name"))
        elif zone.name == "nationality" and layout.has_field("nationality"):
            if text.strip() == _get_field(lines, fmt, "nationality").replace("<", ""):
                pairs.append((zone, zone.name))
        elif zone.name == "sex":
            mrz_sex = _get_field(lines, fmt, "sex")
            match = _SEX_TOKEN.search(text)
            if match is not None and match.group() == mrz_sex:
                pairs.append((zone, zone.name))
        elif zone.name == "personal_number":
            field = _personal_field(fmt)
            if field and "".join(text.split()).upper() == _get_field(lines, fmt, field).strip("<"):
                pairs.append((zone, field))
    return pairs


def _personal_field(fmt: MrzFormat) -> str | None:
    """The MRZ field a printed personal number goes to: its own (TD3) or optional data."""
    layout = LAYOUTS[fmt]
    if layout.has_field("personal_number"):
        return "personal_number"
    return "optional_data" if layout.composite is not None else None


def _mrz_for_viz(
    lines: tuple[str, ...],
    fmt: MrzFormat,
    field: str,
    zone: Zone,
    new_text: str,
    page: Page,
) -> tuple[str, ...] | None:
    """The MRZ lines once field ``field`` says what the retyped VIZ zone now says."""
    value = _get_field(lines, fmt, field)
    if field in ("birth_date", "expiry_date"):
        old_token, new_token = _year_token(zone.text), _year_token(new_text)
        if old_token is None or new_token is None:
            return None
        new = new_token.group()[-2:] + value[2:]
        if not _valid_yymmdd(new):
            return None
    elif field in ("document_number", "personal_number", "optional_data"):
        new = "".join(new_text.split()).upper()
        if len(new) > len(value):
            return None
    elif field == "name":
        surname_zone, given_zone = page.zone("surname"), page.zone("given_names")
        old_surname, old_given = split_name(value)
        surname = surname_zone.text if surname_zone is not None else old_surname
        given = given_zone.text if given_zone is not None else old_given
        if zone.name == "surname":
            surname = new_text
        else:
            given = new_text
        new = name_field(surname, given, len(value))
    elif field == "nationality":
        new = new_text.strip().upper()
    else:
        match = _SEX_TOKEN.search(new_text)
        if match is None:
            return None
        new = match.group()
    if len(new) > len(value) or new.ljust(len(value), "<") == value:
        return None
    edited = _set_field(lines, fmt, field, new)
    changed = {
        (ln, p)
        for ln, (a, b) in enumerate(zip(lines, edited, strict=True))
        for p in range(len(a))
        if a[p] != b[p]
    }
    return _recompute(edited, fmt, changed)


def _mrz_viz_consistent(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    found = _mrz_of(draft.page)
    pairs = _consistent_pairs(draft.page)
    if found is None or not pairs:
        raise ValueError("no field printed alike in the visual zone and the MRZ")
    zone, lines, fmt = found
    for k in _weighted_order(rng, [z.name for z, _ in pairs], _VIZ_WEIGHTS):
        viz, field = pairs[k]
        for _ in range(4):
            new_text = _edit_text(rng, viz.name, viz.text, inputs.data)
            if new_text is None or new_text == viz.text:
                continue
            new_lines = _mrz_for_viz(lines, fmt, field, viz, new_text, draft.page)
            if new_lines is None or not _checks_pass(new_lines, fmt):
                continue
            _retype(rng, draft, viz, new_text, inputs.hand, careful=True)
            _reprint_mrz(rng, draft, zone, fmt, lines, new_lines, inputs.hand, careful=True)
            draft.details.append(("mrz_field", field))
            draft.details.extend(inputs.hand.details())
            return
    raise ValueError("no field could be changed consistently")


def _char_cells(zone: Zone, style: TextStyle, origin: tuple[int, int]) -> list[tuple[float, float]]:
    """(left, advance) of each character of ``zone.text`` in page x."""
    font = ink.load_font(style.font, style.size_px)
    out = []
    for i, char in enumerate(zone.text):
        left = origin[0] + font.getlength(zone.text[:i]) + style.tracking_px * i
        out.append((left, font.getlength(char)))
    return out


def _copy_rect(draft: _Draft, src: Box, dst: Box, feather: float) -> Box:
    """Copy page pixels ``src`` (original page) to ``dst`` (same size), clipped; returns dst."""
    h, w = draft.rgb.shape[:2]
    x0 = max(0, -src[0], -dst[0])
    y0 = max(0, -src[1], -dst[1])
    x1 = min(src[2], w - src[0], w - dst[0])
    y1 = min(src[3], h - src[1], h - dst[1])
    if x1 <= x0 or y1 <= y0:
        return (dst[0], dst[1], 0, 0)
    s = (src[0] + x0, src[1] + y0, x1 - x0, y1 - y0)
    d = (dst[0] + x0, dst[1] + y0, x1 - x0, y1 - y0)
    patch = draft.page.rgb[_slices(s)].astype(np.float32)
    view = draft.rgb[_slices(d)]
    if feather > 0:
        weight = _feather(d[2], d[3], feather, ellipse=False)
        patch = view.astype(np.float32) * (1 - weight) + patch * weight
    view[...] = np.clip(patch + 0.5, 0, 255).astype(np.uint8)
    return d


def _distinct_digits(text: str) -> int:
    return len({c for c in text if c.isdigit()})


def _copy_variants(page: Page) -> list[str]:
    variants = []
    if any(_distinct_digits(z.text) >= 2 for z in _text_zones(page, _copy_fields())):
        variants.append("digit")
    found = _mrz_of(page)
    if found is not None and _distinct_digits("".join(found[1])) >= 2:
        variants.append("mrz_char")
    if any(page.zone(n) is not None for n in ("seal", "signature")):
        variants.append("patch")
    return variants


def _copy_fields() -> tuple[str, ...]:
    return (*sorted(_DATE_FIELDS), *sorted(_NUMBER_FIELDS))


def _copy_digit(rng: np.random.Generator, draft: _Draft) -> None:
    """One digit of a printed number or date copied over another digit of it."""
    page = draft.page
    zones = [z for z in _text_zones(page, _copy_fields()) if _distinct_digits(z.text) >= 2]
    zone = zones[int(rng.integers(len(zones)))]
    style = zone.style
    if style is None:
        raise ValueError(f"zone {zone.name} has no text style")
    origin, _ = _text_origin(page, zone, style)
    cells = _char_cells(zone, style, origin)
    digits = [i for i, c in enumerate(zone.text) if c.isdigit()]
    targets = digits
    year = _year_token(zone.text) if zone.name in _DATE_FIELDS else None
    if year is not None:
        targets = [year.end() - 1]  # a date keeps its day and month: the year moves a little
    pairs = [(s, d) for s in digits for d in targets if zone.text[s] != zone.text[d]]
    if not pairs:
        pairs = [(s, d) for s in digits for d in digits if zone.text[s] != zone.text[d]]
    s, d = pairs[int(rng.integers(len(pairs)))]
    left, advance = cells[s]
    top = zone.box[1] - 1
    src = (math.floor(left), top, math.ceil(left + advance) - math.floor(left), zone.box[3] + 2)
    shift = round(cells[d][0] - left)
    dst = _copy_rect(draft, src, (src[0] + shift, top, src[2], src[3]), 0.0)
    text = zone.text[:d] + zone.text[s] + zone.text[d + 1 :]
    draft.claim(zone.name, dst)
    draft.swap(zone, replace(zone, text=text))
    draft.details.extend((("field", zone.name), ("old", zone.text), ("new", text)))


def _copy_mrz_char(rng: np.random.Generator, draft: _Draft) -> None:
    """One MRZ digit's cell copied over another cell holding a different digit."""
    found = _mrz_of(draft.page)
    if found is None:
        raise ValueError("no readable MRZ zone")
    zone, lines, fmt = found
    cells = [(k, i) for k, line in enumerate(lines) for i, c in enumerate(line) if c.isdigit()]
    pairs = [(a, b) for a in cells for b in cells if lines[a[0]][a[1]] != lines[b[0]][b[1]]]
    (ks, i_s), (kd, i_d) = pairs[int(rng.integers(len(pairs)))]
    grid = _mrz_grid(draft.page, zone, lines, frozenset((ks, kd)))
    src = grid.cell(ks, i_s)
    target = grid.cell(kd, i_d)
    dst = _copy_rect(draft, src, (target[0], target[1], src[2], src[3]), 0.0)
    rows = list(lines)
    rows[kd] = rows[kd][:i_d] + lines[ks][i_s] + rows[kd][i_d + 1 :]
    new = tuple(rows)
    draft.claim(_mrz_field_at(fmt, new, kd, i_d), dst)
    draft.mrz_lines = new
    draft.swap(zone, replace(zone, text="\n".join(new)))
    draft.details.extend((("mrz_old", "\n".join(lines)), ("mrz_new", "\n".join(new))))


def _copy_patch(rng: np.random.Generator, draft: _Draft) -> None:
    """A piece of the seal or signature copied next to it, hard-edged or feathered."""
    page = draft.page
    sources = [z for z in page.zones if z.name in ("seal", "signature")]
    source = sources[int(rng.integers(len(sources)))]
    sx, sy, sw, sh = _clip(source.box, page.rgb.shape)
    pw = max(8, int(sw * rng.uniform(0.3, 0.65)))
    ph = max(8, int(sh * rng.uniform(0.3, 0.65)))
    dark = _darkness(page.rgb[_slices((sx, sy, sw, sh))], _paper(page, (sx, sy, sw, sh)))
    ys, xs = np.nonzero(dark > 0.5 * dark.max())
    k = int(rng.integers(len(ys))) if ys.size else 0
    cx, cy = (sx + int(xs[k]), sy + int(ys[k])) if ys.size else (sx + sw // 2, sy + sh // 2)
    px = min(max(cx - pw // 2, 0), page.rgb.shape[1] - pw)
    py = min(max(cy - ph // 2, 0), page.rgb.shape[0] - ph)
    src = (px, py, pw, ph)
    h, w = page.rgb.shape[:2]
    dst = (min(px + pw, w - pw), py, pw, ph)
    for _ in range(20):
        cx = px + int(rng.integers(-int(1.5 * sw) - pw, int(1.5 * sw) + pw + 1))
        cy = py + int(rng.integers(-int(1.5 * sh) - ph, int(1.5 * sh) + ph + 1))
        candidate = (cx, cy, pw, ph)
        if 0 <= cx <= w - pw and 0 <= cy <= h - ph and not boxes_overlap(candidate, src):
            dst = candidate
            break
    feather = float(rng.uniform(1.0, 3.0)) if rng.random() < 0.4 else 0.0
    dst = _copy_rect(draft, src, dst, feather)
    hit = [source.name] + [
        z.name for z in page.zones if z is not source and boxes_overlap(z.box, dst)
    ]
    for name in dict.fromkeys(hit):
        draft.claim(name, dst)
    draft.details.extend(
        (("source", str(src)), ("target", str(dst)), ("feather_px", f"{feather:.1f}"))
    )


_COPY_VARIANTS: dict[str, tuple[float, Callable[[np.random.Generator, _Draft], None]]] = {
    "digit": (0.4, _copy_digit),
    "mrz_char": (0.25, _copy_mrz_char),
    "patch": (0.35, _copy_patch),
}


def _copy_move(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    variants = _copy_variants(draft.page)
    if not variants:
        raise ValueError("nothing on this page to copy and move")
    weights = np.array([_COPY_VARIANTS[v][0] for v in variants])
    variant = variants[int(rng.choice(len(variants), p=weights / weights.sum()))]
    draft.details.append(("variant", variant))
    _COPY_VARIANTS[variant][1](rng, draft)
    if inputs.hand.jpeg_quality:
        box = _clip(_grow(draft.claims[-1][1], 2), draft.rgb.shape)
        _recompress(draft.rgb, box, inputs.hand.jpeg_quality)
        draft.claims = [(n, _union(b, box)) for n, b in draft.claims]
        draft.details.append(("patch_jpeg_quality", str(inputs.hand.jpeg_quality)))


def _crop_fields() -> tuple[str, ...]:
    return (*_VIZ_FIELDS, "child_name", "adult_name", "child_birth_date", "valid_until")


def _crop_pairs(page: Page, donor: Page) -> list[tuple[Zone, Zone]]:
    """(our zone, donor zone) of the same field whose printed values differ."""
    pairs = []
    for zone in _text_zones(page, _crop_fields()):
        other = donor.zone(zone.name)
        if other is not None and other.style is not None and other.text.strip():
            if other.text != zone.text:
                pairs.append((zone, other))
    return pairs


def _paste_field(
    rng: np.random.Generator, draft: _Draft, zone: Zone, other: Zone, donor: Page, hand: _Hand
) -> None:
    """The donor's printed field cut out with its paper and pasted over ours, baselines aligned."""
    page = draft.page
    ours, theirs = zone.style, other.style
    if ours is None or theirs is None:
        raise ValueError("crop-replace needs styled text zones")
    (_, oy), _ = _text_origin(page, zone, ours)
    (_, donor_y), _ = _text_origin(donor, other, theirs)
    ascent_ours = ink.load_font(ours.font, ours.size_px).getmetrics()[0]
    ascent_theirs = ink.load_font(theirs.font, theirs.size_px).getmetrics()[0]
    shift = (zone.box[0] - other.box[0], (oy + ascent_ours) - (donor_y + ascent_theirs))
    mx, my = int(rng.integers(2, 7)), int(rng.integers(1, 3))
    own = (zone.box[0] - shift[0], zone.box[1] - shift[1], zone.box[2], zone.box[3])
    x, y, w, h = _union(other.box, own)
    src = _clip((x - mx, y - my, w + 2 * mx, h + 2 * my), donor.rgb.shape)
    dst = _clip((src[0] + shift[0], src[1] + shift[1], src[2], src[3]), page.rgb.shape)
    src = (dst[0] - shift[0], dst[1] - shift[1], dst[2], dst[3])
    patch = donor.rgb[_slices(src)].astype(np.float32)
    view = draft.rgb[_slices(dst)]
    levelled = rng.random() < 0.4
    if levelled:
        patch += (view.reshape(-1, 3).mean(0) - patch.reshape(-1, 3).mean(0)) * float(
            rng.uniform(0.5, 1.0)
        )
    view[...] = np.clip(patch + 0.5, 0, 255).astype(np.uint8)
    if hand.jpeg_quality:
        _recompress(draft.rgb, dst, hand.jpeg_quality)
    box = _clip(
        (other.box[0] + shift[0], other.box[1] + shift[1], other.box[2], other.box[3]),
        draft.rgb.shape,
    )
    draft.claim(zone.name, dst)
    draft.swap(zone, replace(zone, text=other.text, style=theirs, box=box))
    draft.details.extend(
        (
            ("region", zone.name),
            ("old", zone.text),
            ("new", other.text),
            ("levelled", str(levelled)),
        )
    )


def _paste_portrait(
    rng: np.random.Generator, draft: _Draft, zone: Zone, other: Zone, donor: Page, hand: _Hand
) -> None:
    """The donor's portrait, cut with a small margin of its page, scaled into ours."""
    margin = int(rng.integers(0, 4))
    src = _clip(_grow(other.box, margin), donor.rgb.shape)
    dst = _clip(_grow(zone.box, margin), draft.rgb.shape)
    patch = cv2.resize(
        np.ascontiguousarray(donor.rgb[_slices(src)]),
        (dst[2], dst[3]),
        interpolation=cv2.INTER_AREA,
    )
    draft.rgb[_slices(dst)] = patch
    if hand.jpeg_quality:
        _recompress(draft.rgb, dst, hand.jpeg_quality)
    draft.claim("portrait", dst)
    draft.details.extend((("region", "portrait"), ("margin_px", str(margin))))


def _paste_same_place(rng: np.random.Generator, draft: _Draft, donor: Page, hand: _Hand) -> None:
    """Lacking a matching field, the donor's pixels where one of our fields sits (scaled to the
    donor's size) pasted over it: a patch of foreign print and paper."""
    page = draft.page
    fields = [z for z in _text_zones(page) if z.name not in ("label", "title")]
    zones = fields or list(page.zones)
    if not zones:
        raise ValueError("nothing on this page to replace")
    zone = zones[int(rng.integers(len(zones)))]
    dst = _clip(_grow(zone.box, int(rng.integers(2, 7))), page.rgb.shape)
    sy, sx = donor.rgb.shape[0] / page.rgb.shape[0], donor.rgb.shape[1] / page.rgb.shape[1]
    src = (round(dst[0] * sx), round(dst[1] * sy), round(dst[2] * sx), round(dst[3] * sy))
    src = _clip(src, donor.rgb.shape)
    if src[2] == 0 or src[3] == 0:
        raise ValueError("the donor page is too small")
    patch = donor.rgb[_slices(src)]
    draft.rgb[_slices(dst)] = cv2.resize(np.ascontiguousarray(patch), (dst[2], dst[3]))
    if hand.jpeg_quality:
        _recompress(draft.rgb, dst, hand.jpeg_quality)
    draft.claim(zone.name, dst)
    draft.details.extend((("region", zone.name), ("same_place", "True")))


def _crop_replace(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    donor = inputs.donor
    if donor is None:
        raise ValueError("crop-replace needs a donor page")
    page = draft.page
    pairs = _crop_pairs(page, donor)
    ours, theirs = page.zone("portrait"), donor.zone("portrait")
    portrait = ours is not None and theirs is not None
    draft.details.append(("donor_template", donor.template))
    if not pairs and not portrait:
        _paste_same_place(rng, draft, donor, inputs.hand)
    elif pairs and (not portrait or rng.random() < 0.6):
        weights = np.array([_VIZ_WEIGHTS.get(z.name, 1.0) for z, _ in pairs])
        zone, other = pairs[int(rng.choice(len(pairs), p=weights / weights.sum()))]
        _paste_field(rng, draft, zone, other, donor, inputs.hand)
    elif ours is not None and theirs is not None:
        _paste_portrait(rng, draft, ours, theirs, donor, inputs.hand)
    if inputs.hand.jpeg_quality:
        draft.details.append(("patch_jpeg_quality", str(inputs.hand.jpeg_quality)))


def _foreign_background(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    """Every print of the page multiplied onto the donor's blank template instead of ours.

    Ink multiplies paper (:func:`ink.blend_ink`), so the printing's transmittance is
    ``rgb / background``; on the foreign paper the page becomes ``foreign * rgb / background``,
    which leaves bare paper exactly the foreign background's pixels.
    """
    page, donor = draft.page, inputs.donor
    if page.background is None or donor is None or donor.background is None:
        raise ValueError("a foreign background needs this page's and the donor's background")
    h, w = page.rgb.shape[:2]
    foreign = donor.background
    if foreign.shape[:2] != (h, w):
        foreign = np.asarray(
            cv2.resize(foreign, (w, h), interpolation=cv2.INTER_LINEAR), dtype=np.uint8
        )
    paper = np.asarray(cv2.max(page.background, np.full_like(page.background, 1)), np.uint8)
    transmit = cv2.divide(page.rgb, paper, scale=255.0)  # uint8, 255 = bare paper
    draft.rgb[...] = cv2.multiply(foreign, transmit, scale=1.0 / 255.0)
    draft.background = foreign
    draft.claim("background", (0, 0, w, h))
    draft.details.append(("donor_template", donor.template))


def _lasso(
    rng: np.random.Generator, ink_alpha: Alpha, halo: int
) -> tuple[npt.NDArray[np.float32], str]:
    """(h, w, 1) weights of the forger's selection around a seal whose ink is ``ink_alpha``.

    ``blob`` follows the ink, widened by ``halo`` px and softened (a magic-wand selection);
    ``ellipse`` and ``rectangle`` are drawn by hand, hard or feathered.
    """
    h, w = ink_alpha.shape
    shape = ("blob", "ellipse", "rectangle")[int(rng.choice(3, p=(0.5, 0.25, 0.25)))]
    if shape == "blob":
        core = (ink_alpha > 0.1).astype(np.uint8)
        size = 2 * halo + 1
        grown = cv2.dilate(core, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (size, size)))
        soft = cv2.GaussianBlur(grown.astype(np.float32), (0, 0), max(1.0, halo / 3))
        return np.asarray(soft, np.float32)[..., None], shape
    feather = float(rng.choice((0.0, 0.8, 1.5, 2.5)))
    if feather > 0.0:
        return _feather(w, h, feather, ellipse=shape == "ellipse"), shape
    weight = np.ones((h, w), np.float32)
    if shape == "ellipse":
        weight[...] = 0.0
        cv2.ellipse(weight, (w // 2, h // 2), (w // 2, h // 2), 0, 0, 360, 1.0, -1)
    return weight[..., None], shape


def _protected(page: Page, box: Box, own: Zone) -> Mask:
    """(h, w) mask over ``box`` of every other zone's box: what an erase there must keep."""
    keep = np.zeros((box[3], box[2]), bool)
    for zone in page.zones:
        if zone is own or not boxes_overlap(zone.box, box):
            continue
        x0, y0 = max(zone.box[0], box[0]) - box[0], max(zone.box[1], box[1]) - box[1]
        x1 = min(zone.box[0] + zone.box[2], box[0] + box[2]) - box[0]
        y1 = min(zone.box[1] + zone.box[3], box[1] + box[3]) - box[1]
        keep[y0:y1, x0:x1] = True
    return keep


def _erase_zone(draft: _Draft, zone: Zone, margin: int, hand: _Hand) -> Box:
    """Erase ``zone``'s box (plus ``margin``), keeping other zones' printing where it lies in
    the box, save for strokes in the zone's own ink colour; returns the erased box."""
    box = _clip(_grow(zone.box, margin), draft.rgb.shape)
    before = draft.rgb[_slices(box)].copy()
    draft.erase(box, hand)
    keep = _protected(draft.page, box, zone)
    if keep.any():
        keep = _unlike_ink(before, _paper(draft.page, box), keep)
        draft.rgb[_slices(box)][keep] = before[keep]
    return box


def _letter_pasted_seal(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    """A seal lifted from a scan (the donor's, else this letter's own) and pasted, halo and all.

    The page's own seal is erased (where no other printing lies) and the scanned one pasted
    over it: rescaled, turned a little, softened, tinted like another scanner's white and
    JPEG-compressed, inside the forger's selection, which carries the scan's paper (the halo).
    """
    page, donor = draft.page, inputs.donor
    zone = page.zone("seal")
    if zone is None:
        raise ValueError("no seal on this page")
    source = donor if donor is not None and donor.zone("seal") is not None else page
    seal = source.zone("seal")
    if seal is None:
        raise ValueError("no seal to copy")
    halo = int(rng.integers(4, 15))
    src = _clip(_grow(seal.box, halo), source.rgb.shape)
    crop = np.ascontiguousarray(source.rgb[_slices(src)])
    ink_alpha = _darkness(crop, _paper(source, src))
    scale = float(rng.uniform(0.92, 1.08))
    pw, ph = max(4, round(src[2] * scale)), max(4, round(src[3] * scale))
    angle = float(rng.uniform(-8, 8))
    turn = cv2.getRotationMatrix2D((pw / 2, ph / 2), angle, 1.0)
    patch = cv2.warpAffine(
        cv2.resize(crop, (pw, ph)), turn, (pw, ph), borderMode=cv2.BORDER_REPLICATE
    )
    turned = np.asarray(cv2.warpAffine(cv2.resize(ink_alpha, (pw, ph)), turn, (pw, ph)), np.float32)
    patch = cv2.GaussianBlur(patch, (0, 0), float(rng.uniform(0.4, 1.2))).astype(np.float32)
    patch = patch * rng.uniform(0.97, 1.03, 3).astype(np.float32) + float(rng.uniform(-4, 4))
    quality = int(rng.integers(50, 86))
    ok, data = cv2.imencode(
        ".jpg", np.clip(patch, 0, 255).astype(np.uint8), (cv2.IMWRITE_JPEG_QUALITY, quality)
    )
    if ok:
        patch = np.asarray(cv2.imdecode(data, cv2.IMREAD_UNCHANGED), dtype=np.float32)
    weight, shape = _lasso(rng, turned, round(halo * scale))
    jitter = 0.25 if source is page else 0.12
    cx = zone.box[0] + zone.box[2] / 2 + float(rng.uniform(-jitter, jitter)) * zone.box[2]
    cy = zone.box[1] + zone.box[3] / 2 + float(rng.uniform(-jitter, jitter)) * zone.box[3]
    dst = (round(cx - pw / 2), round(cy - ph / 2), pw, ph)
    erased = _erase_zone(draft, zone, 2, inputs.hand)
    clipped = _clip(dst, draft.rgb.shape)
    ox, oy = clipped[0] - dst[0], clipped[1] - dst[1]
    view = draft.rgb[_slices(clipped)]
    part = patch[oy : oy + clipped[3], ox : ox + clipped[2]]
    wpart = weight[oy : oy + clipped[3], ox : ox + clipped[2]]
    view[...] = np.clip(view * (1 - wpart) + part * wpart + 0.5, 0, 255).astype(np.uint8)
    draft.claim("seal", _union(erased, clipped))
    inner = (dst[0] + round(halo * scale), dst[1] + round(halo * scale))
    size = (round(seal.box[2] * scale), round(seal.box[3] * scale))
    draft.swap(zone, replace(zone, box=_clip((*inner, *size), draft.rgb.shape)))
    draft.details.extend(
        (
            ("seal_source", "donor" if source is donor else "own"),
            ("halo_px", str(halo)),
            ("scale", f"{scale:.3f}"),
            ("angle_deg", f"{angle:.1f}"),
            ("lasso", shape),
            ("seal_jpeg_quality", str(quality)),
            *inputs.hand.details(),
        )
    )


def _unlike_ink(before: Rgb, paper: Rgb, keep: Mask) -> Mask:
    """``keep`` less the pixels inked like the ink outside it.

    Ink multiplies paper, so a pen's darkness ``1 - rgb / paper`` keeps its direction (its hue)
    whatever its coverage, antialiased edges included. Where a seal or a printed line crosses
    the erased zone, the forger keeps what is not of that hue and wipes the rest (crossings,
    being both, stay). With no ink outside ``keep`` to learn the hue from, nothing is kept.
    """
    dark = 1.0 - before.astype(np.float32) / np.maximum(paper.astype(np.float32), 1.0)
    strength = np.linalg.norm(dark, axis=2)
    inked = strength > 0.06
    own = inked & ~keep
    if not own.any():
        return np.zeros_like(keep)
    hue = np.median(dark[own] / strength[own, None], axis=0)
    hue /= max(float(np.linalg.norm(hue)), 1e-6)
    cosine = (dark @ hue) / np.maximum(strength, 1e-6)
    out: Mask = keep & ~(inked & (cosine > 0.985))
    return out


def _letter_no_signature(rng: np.random.Generator, draft: _Draft, inputs: _Inputs) -> None:
    """The signature erased with the forger's hand; a seal or text over it is kept, save for
    the strokes in the pen's colour."""
    zone = draft.page.zone("signature")
    if zone is None:
        raise ValueError("no signature on this page")
    box = _erase_zone(draft, zone, int(rng.integers(1, 4)), inputs.hand)
    draft.claim("signature", box)
    draft.swap(zone, None)
    draft.details.extend(inputs.hand.details())


_OPERATIONS: dict[ForgeryType, Operation] = {
    ForgeryType.PORTRAIT_BLEND: _portrait(ForgeryType.PORTRAIT_BLEND),
    ForgeryType.PORTRAIT_COLOUR_MATCHED: _portrait(ForgeryType.PORTRAIT_COLOUR_MATCHED),
    ForgeryType.PORTRAIT_REPHOTO: _portrait(ForgeryType.PORTRAIT_REPHOTO),
    ForgeryType.FIELD_RETYPE: _field_retype,
    ForgeryType.MRZ_EDIT_RECOMPUTED: _mrz_edit(recompute=True),
    ForgeryType.MRZ_EDIT_RAW: _mrz_edit(recompute=False),
    ForgeryType.MRZ_VIZ_CONSISTENT: _mrz_viz_consistent,
    ForgeryType.COPY_MOVE: _copy_move,
    ForgeryType.CROP_REPLACE: _crop_replace,
    ForgeryType.FOREIGN_BACKGROUND: _foreign_background,
    ForgeryType.LETTER_FIELD_EDIT: _letter_field_edit,
    ForgeryType.LETTER_PASTED_SEAL: _letter_pasted_seal,
    ForgeryType.LETTER_NO_SIGNATURE: _letter_no_signature,
}


def applicable(page: Page, donor_available: bool) -> tuple[ForgeryType, ...]:
    """The forgery types that make sense for ``page``, in :class:`ForgeryType` order.

    Portrait types need a portrait zone (and, at :func:`forge`, the caller's ``new_face``); MRZ
    types a readable MRZ zone; letters get the letter types; crop-replace and a foreign
    background need a donor page (and the background both pages' blank templates).

    Args:
        page: the genuine page.
        donor_available: whether the caller can supply another page as donor.

    Returns:
        The applicable types.
    """
    out: set[ForgeryType] = set()
    letter = page.kind is DocKind.LETTER
    if letter:
        if _letter_zones(page):
            out.add(ForgeryType.LETTER_FIELD_EDIT)
        if page.zone("seal") is not None:
            out.add(ForgeryType.LETTER_PASTED_SEAL)
        if page.zone("signature") is not None:
            out.add(ForgeryType.LETTER_NO_SIGNATURE)
    else:
        if page.zone("portrait") is not None:
            out.update(
                (
                    ForgeryType.PORTRAIT_BLEND,
                    ForgeryType.PORTRAIT_COLOUR_MATCHED,
                    ForgeryType.PORTRAIT_REPHOTO,
                )
            )
        if _viz_zones(page):
            out.add(ForgeryType.FIELD_RETYPE)
        if _mrz_of(page) is not None:
            out.update((ForgeryType.MRZ_EDIT_RECOMPUTED, ForgeryType.MRZ_EDIT_RAW))
            if _consistent_pairs(page):
                out.add(ForgeryType.MRZ_VIZ_CONSISTENT)
    if _copy_variants(page):
        out.add(ForgeryType.COPY_MOVE)
    if donor_available:
        if page.zone("portrait") is not None or _text_zones(page, _crop_fields()):
            out.add(ForgeryType.CROP_REPLACE)
        if page.background is not None:
            out.add(ForgeryType.FOREIGN_BACKGROUND)
    return tuple(t for t in ForgeryType if t in out)


def forge(
    rng: np.random.Generator,
    page: Page,
    forgery_type: ForgeryType,
    *,
    data: DocumentData | None = None,
    donor: Page | None = None,
    new_face: Rgb | None = None,
) -> Forgery:
    """Forge ``page`` the way ``forgery_type`` says, with the forger's habits drawn from ``rng``.

    Args:
        rng: the only source of randomness (same seed, same forgery, byte for byte).
        page: the genuine page (not changed).
        forgery_type: what to do; must be in :func:`applicable` for the page.
        data: what the document says, when known: makes date edits plausible (a minor made an
            adult and back).
        donor: another page, for crop-replace, a foreign background and pasted seals.
        new_face: (h, w, 3) uint8 portrait of another person, for the portrait types.

    Returns:
        The forgery with its exact mask.

    Raises:
        ValueError: the type does not apply to this page or lacks an input, or the page offers
            nothing it can change.
    """
    if forgery_type not in applicable(page, donor is not None):
        raise ValueError(f"{forgery_type} does not apply to this {page.kind} page")
    hand = _draw_hand(rng, careful=forgery_type is ForgeryType.MRZ_VIZ_CONSISTENT)
    draft = _Draft.start(page)
    _OPERATIONS[forgery_type](rng, draft, _Inputs(hand, data, donor, new_face))
    return _finish(forgery_type, page, draft)
