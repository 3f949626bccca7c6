"""The records every synthetic-data module shares: people, document data, rendered pages, fonts.

The generator is a chain of pure functions of a seeded ``numpy.random.Generator``: people →
document data → a rendered :class:`Page` (image plus labelled :class:`Zone` boxes) → optionally a
forgery (image plus exact pixel mask) → a capture simulation (image plus the homography that
carries boxes and masks into the captured frame). Everything here is fictional: invented names,
procedural portraits, the ICAO specimen state UTO next to real three-letter codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

from docfraud.mrz.generate import generate_mrz
from docfraud.mrz.spec import MrzFormat, check_spans
from docfraud.types import Box

PX_PER_MM = 8.0
"""Rendering resolution (203 dpi): a TD3 page (125 mm) is 1000 px wide."""

FONT_DIRS = (
    Path("/usr/share/fonts/opentype/urw-base35"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/freefont"),
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/opentype/ocr-b"),
)
"""Debian font packages installed by ``make setup`` (fonts-urw-base35, fonts-liberation, ...)."""


@lru_cache(maxsize=256)
def font_path(name: str) -> Path:
    """The installed font file called ``name`` (e.g. ``"NimbusSans-Bold.otf"``).

    Raises:
        FileNotFoundError: the font package is not installed (``make setup`` installs it).
    """
    for folder in FONT_DIRS:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"font {name} not found in {', '.join(map(str, FONT_DIRS))}")


class DocKind(StrEnum):
    PASSPORT = "passport"
    ID_CARD = "id_card"
    VISA = "visa"
    RESIDENCE_PERMIT = "residence_permit"
    LETTER = "letter"


class Side(StrEnum):
    PAGE = "page"
    """A passport data page, a visa sticker or a letter: one side only."""
    FRONT = "front"
    BACK = "back"


@dataclass(frozen=True, slots=True)
class Person:
    """An invented person. Names are as printed in the visual zone, diacritics included."""

    surname: str
    given_names: str
    sex: str
    """``F``, ``M`` or ``X``."""
    birth_date: date
    birth_place: str
    nationality: str
    """ICAO three-letter code."""
    face_seed: int
    """Seed of the procedural face: the same person has the same face on every document."""


@dataclass(frozen=True, slots=True)
class DocumentData:
    """What a travel document says about its holder; the MRZ is derived from it."""

    kind: DocKind
    mrz_format: MrzFormat
    document_code: str
    issuing_state: str
    document_number: str
    holder: Person
    issue_date: date
    expiry_date: date
    authority: str
    personal_number: str = ""
    optional_data: str = ""
    misprinted_check: str = ""
    """The check digit (a :class:`~docfraud.mrz.spec.CheckSpan` name) the issuer printed one
    too high, on a genuine document; empty: every check digit right."""

    def mrz_lines(self) -> tuple[str, ...]:
        """The MRZ with every check digit computed (Doc 9303 Parts 3-7), bar the misprinted."""
        lines = self._computed_mrz_lines()
        if not self.misprinted_check:
            return lines
        span = next(
            s for s in check_spans(lines, self.mrz_format) if s.name == self.misprinted_check
        )
        rows = [list(line) for line in lines]
        printed = rows[span.line][span.position]
        rows[span.line][span.position] = str((int(printed) + 1) % 10)
        return tuple("".join(row) for row in rows)

    def _computed_mrz_lines(self) -> tuple[str, ...]:
        td3 = self.mrz_format is MrzFormat.TD3
        return generate_mrz(
            self.mrz_format,
            document_code=self.document_code,
            issuing_state=self.issuing_state,
            surname=self.holder.surname,
            given_names=self.holder.given_names,
            document_number=self.document_number,
            nationality=self.holder.nationality,
            birth_date=self.holder.birth_date,
            sex=self.holder.sex,
            expiry_date=self.expiry_date,
            optional_data="" if td3 else self.optional_data or self.personal_number,
            personal_number=self.personal_number if td3 else "",
        )


@dataclass(frozen=True, slots=True)
class TextStyle:
    """How a text zone was printed, so a forger (and a test) can retype it nearly the same."""

    font: str
    """Font file name, resolvable with :func:`font_path`."""
    size_px: int
    colour: tuple[int, int, int]
    """RGB."""
    tracking_px: float = 0.0
    """Extra space between characters."""


@dataclass(frozen=True, slots=True)
class Zone:
    """One labelled area of a rendered page, in page pixels.

    ``name`` is a field of :class:`DocumentData`/:class:`Person` for text zones (``surname``,
    ``given_names``, ``document_number``, ``birth_date``, ``expiry_date``, ``issue_date``,
    ``nationality``, ``sex``, ``birth_place``, ``authority``, ``personal_number``), or one of
    ``portrait``, ``ghost_portrait``, ``signature``, ``seal``, ``mrz``, ``title``, ``label``.
    """

    name: str
    box: Box
    text: str = ""
    style: TextStyle | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A rendered document side before capture: ``rgb`` is (H, W, 3) uint8."""

    rgb: npt.NDArray[np.uint8]
    zones: tuple[Zone, ...]
    template: str
    side: Side
    kind: DocKind
    background: npt.NDArray[np.uint8] | None = field(default=None, compare=False)
    """The template's blank (H, W, 3) background under the printing, for inpainting forgeries."""

    def zone(self, name: str) -> Zone | None:
        return next((z for z in self.zones if z.name == name), None)
