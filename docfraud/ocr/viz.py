"""Read the visual zone (VIZ) of passports, ID cards, residence permits and visas.

The printed fields (surname, given names, document number, nationality, dates, sex, place of
birth, authority, personal number) are found on layouts never seen before, the way an officer
reads them: by their captions, their position and their content.

1. The document is rectified (upright when the MRZ oriented it) and scaled to
   :data:`WORK_WIDTH`; text segments are found and cleaned (:mod:`docfraud.ocr.textlines`) and
   read by tesseract in one call on a collage. Card fronts without an MRZ are turned landscape,
   and read the other way up too when the first reading is unsure: the more confident wins.
2. Segments whose text is a caption (:mod:`docfraud.ocr.labels`) label the value printed just
   below them (or just right of them); the value must have the field's shape (a date parses, a
   sex is ``M``/``F``/``X``/``V/F``…, a number has digits).
3. Fields still missing are found by content: dates by their order (birth < issue < expiry) and
   position, a sex letter, a number or a name by its likeness to what the MRZ says, an
   authority by the words authorities are named with (before a caption read too badly to
   match can take a town for it), the one name-like value left over as the place of birth
   (the state's code is none). The MRZ only *locates*; the value returned is always what is
   printed there, so that a printed field altered after issue disagrees with the MRZ in the
   next stage.
4. Name-like values are read again with a model that knows their diacritics (FERNÁNDEZ,
   KÖHLER, DĄBROWSKI) which the ``eng`` model drops: the national model of the holder's and
   the issuer's states where tesseract has one, else the ``Latin`` script model.
5. A field that disagrees with the MRZ is read again from other images of its print
   (:func:`_confirm`); the MRZ's values no line was tied to are searched for among the lines
   nobody claimed, and a caption left without a value is read under (:func:`_find_missing`),
   each taken only when a second reading agrees with the MRZ (or, without one, with itself).
6. Marks lost to blur are put back where something proves them: the MRZ spelling for names
   (:func:`~docfraud.text.names.restore_marks`), else the names people of the holder's state
   are given (:mod:`docfraud.text.namelists`); the GeoNames gazetteer and a lexicon of
   authorities' words for places and authorities (:mod:`docfraud.text.places`).
"""

from __future__ import annotations

import itertools
import logging
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache

import cv2
import numpy as np
import numpy.typing as npt
import pycountry

from docfraud.imaging.geometry import box_of_points
from docfraud.imaging.rectify import PRINTED_SIZES, DocumentQuad
from docfraud.mrz.codes import alnum, lookup_state
from docfraud.mrz.parse import MrzData
from docfraud.mrz.printed import COMPARED, agrees, fold_digits, mrz_value, name_truncated
from docfraud.mrz.spec import MrzFormat
from docfraud.ocr.labels import likeness, match_label, normalise, ratio
from docfraud.ocr.textlines import (
    MARGIN,
    ROW_HEIGHT,
    Collage,
    Segment,
    build_collage,
    find_segments,
    ink_rows,
    paper_level,
    segment_padding,
)
from docfraud.ocr.words import Word, box_union, installed_models, read_words
from docfraud.text.dates import MONTHS, find_dates, fold, parse_date
from docfraud.text.namelists import restore_name_marks
from docfraud.text.names import compare_names, restore_marks
from docfraud.text.places import fold as places_fold
from docfraud.text.places import known_word, restore_place_marks, town_word
from docfraud.text.translit import to_mrz
from docfraud.types import FieldReading, Region, VizReading

logger = logging.getLogger(__name__)

WORK_WIDTH = 1500
"""Width (px) the flat document is scaled to before segmentation."""
VALUE_CAP_MM = 2.2
"""Typical capital height of a printed value (mm): sizes the segmentation."""
UNKNOWN_WIDTH_MM = 120.0
"""Assumed document width when neither outline nor MRZ gives it."""
MRZ_LINE_PITCH_MM = 4.23
"""Distance between the centre lines of two MRZ lines (Doc 9303 Part 5, figure)."""
MRZ_BAND_TOP = 0.6
"""Where code lines may begin (share of the page height) for a format of unknown size."""
LANG = "eng"
"""Tesseract model for every segment: fast, and the values are mostly A–Z and digits."""
SCRIPT_LANG = "Latin"
"""Model for the second reading of name-like values when no national model fits: it knows every
Latin diacritic (Ą, Ø, Þ, Đ …) but costs about a second more to load than a national model."""
NATIONAL_LANGS: dict[str, frozenset[str]] = {
    "spa": frozenset({"ESP", "MEX", "ARG", "COL", "CHL", "PER", "VEN", "ECU", "BOL", "PRY",
                      "URY", "CUB", "DOM", "GTM", "HND", "SLV", "NIC", "CRI", "PAN", "GNQ"}),
    "fra": frozenset({"FRA", "BEL", "LUX", "MCO", "SEN", "CIV", "MLI", "BFA", "NER", "TCD",
                      "CMR", "GAB", "COG", "COD", "MDG", "HTI", "MAR", "DZA", "TUN", "BEN",
                      "TGO", "GIN"}),
    "deu": frozenset({"D", "DEU", "AUT", "CHE", "LIE"}),
    "ita": frozenset({"ITA", "SMR", "VAT"}),
    "por": frozenset({"PRT", "BRA", "AGO", "MOZ", "CPV", "GNB", "STP", "TLS"}),
    "nld": frozenset({"NLD", "SUR"}),
    "pol": frozenset({"POL"}),
    "tur": frozenset({"TUR"}),
    "vie": frozenset({"VNM"}),
    "eng": frozenset({"GBR", "GBD", "GBN", "GBO", "GBS", "GBP", "USA", "CAN", "AUS",
                      "NZL", "NGA", "GHA", "KEN", "UGA", "ZAF", "IND", "PAK", "JAM",
                      "JOR", "SYR", "IRQ", "EGY", "SAU", "ARE", "CHN", "JPN", "KOR", "PHL"}),
}  # fmt: skip
"""Tesseract model whose alphabet covers a state's names (accents of its language, or none
where names are transliterated to plain A–Z); other states get :data:`SCRIPT_LANG`: Ireland
(Seán, Siobhán) and Utopia, whose specimens hold names of every nation, among them."""
UNSURE = 0.80
"""Mean word confidence below which a document of unknown orientation is also read flipped."""
LABEL_WEIGHT = 1.0
CONTENT_WEIGHT = 0.6
"""How surely a field is tied to its value: by caption, or by content alone."""
UNDER_CAPTION = {
    "surname": 12.0,
    "given_names": 14.0,
    "document_number": 8.0,
    "nationality": 8.0,
    "sex": 2.0,
    "issue_date": 7.0,
    "expiry_date": 7.0,
    "birth_date": 7.0,
    "birth_place": 8.0,
    "authority": 14.0,
    "personal_number": 10.0,
}
"""Fields read again under their caption when no value was tied to it, with the width (in
value heights) their value may take when wider than the caption."""
SURE_DATE_READING = 0.9
"""A date read once under its caption with this confidence is taken without a second image
agreeing, where the MRZ's dates allow it (:func:`_allowed_by_mrz`)."""
INKED = 200
"""Grey level of a cleaned crop below which a pixel is ink (paper is white)."""
VALUE_OVER_CAPTION = 1.6
"""A value's height over its caption's, when no value was read to measure it."""
MIN_NAME_LIKENESS = 0.6
"""A name or number found by content must resemble the MRZ's at least this much."""

PRINTED_MORE_OFTEN = {"birth_date": 0.02, "expiry_date": 0.01}
"""Tiebreak between equally ordered date assignments: the fields nearly every side prints."""
CONTINUED_FIELDS = ("authority", "birth_place")
CONTINUATION_GAP = 1.5
"""A piece of an authority, place or name cut off on its row follows within this many value
heights."""
LINKING_WORDS = frozenset(
    {"DE", "DES", "DU", "DEL", "DELLA", "DI", "DA", "DO", "DOS", "DAS", "OF", "VON", "VAN", "DER",
     "DEN", "LA", "LE", "ET", "Y", "AND", "UND"}
)  # fmt: skip
"""Words no authority, place or name ends with (``PRÉFECTURE DE`` | ``LYON``): the piece after
one is its continuation however differently its box was cut (an accent's height, a descender)."""
HOLDER_FIELDS = ("surname", "given_names", "sex", "nationality")
"""Doc 9303's zone II, printed with the date of birth on the side that shows the holder."""
HOLDER_IDENTIFIERS = ("surname", "given_names", "birth_date", "document_number", "expiry_date")
SAME_HOLDER_FIELDS = 2
"""Fields a card front must print as the other side's MRZ has them to be read as its front:
two, for family members share a surname (and a forged front still shows its holder's number
and date of birth beside a changed name)."""
ANNIVERSARY_BONUS = 0.05
CLOSED_DIGITS = {"6": "0", "8": "03", "9": "0"}
"""Digits a small face's 0 or 3 is read as when blur closes its counter (read -> printed)."""
ANNIVERSARY_DAYS = 3
"""A date a whole number of years (± this many days) before the MRZ's expiry is taken as the
date of issue rather than as a misprinted expiry (a bonus above the tiebreaks)."""
ISSUE_LIKE_PENALTY = 1.5
LONGEST_VALIDITY_YEARS = 15
BIRTH_SHIFT_YEARS = 15
"""A date by content is not taken as the birth date (it costs more than leaving the field
empty) when it lies within the longest validity (years) before the MRZ's expiry and more than
``BIRTH_SHIFT_YEARS`` from the MRZ's date of birth: it is the date of issue."""
MISREAD_DIGITS = 2
"""An earlier date by content is not taken as the expiry (it costs as much as an issue-like
birth date) where more than this many of its eight digits differ from the MRZ's expiry, nor a
date within the validity as a child's birth date where as many differ from the MRZ's: a
misreading changes one or two; it is the date of issue or a visa's "valid from"."""
WEAK_FIELDS = ("birth_place", "authority", "nationality")
NAME_FIELDS = ("surname", "given_names")
NAME_CAPTION_MARGIN = 0.1
"""A badly read name caption must be this much more like one name field's than the other's."""
MIN_CAPTION_LIKENESS = 0.5
"""A caption read this much like a field's (see :func:`~docfraud.ocr.labels.likeness`) ties the
value below it to that field when nothing better did."""
DATE_CAPTION_MARGIN = 0.1
"""A badly read date caption must be this much more like one date field's than another's."""
CAPTION_GAP = 0.5
WIDE_GAP = 2.0
SURE_CAPTION = 0.9
"""Two captions joined in one line are cut at a word gap at least this many of their heights
and this many times the line's median word gap wide, or, where the words' places are unknown,
where each side reads as a caption this surely."""
SPECK_CONFIDENCE = 0.45
"""A one- or two-letter word at a line's end read less surely than this is a speck."""
TOUCH_GAP = 0.25
"""Words closer than this share of their height are one word the recogniser split."""
CAPTION_OVER_VALUE = 1.2
"""A segment this many value heights high may hold a caption and its value; read unsurely, it is
cut where its upper part reads as a caption (:func:`_split_caption_over_value`)."""
MIN_CAPTION_SHARE = 0.4
"""A caption is at least this share of its value's height: a speck or two above a stamp's edge
read as a short caption word (``aDi``, Turkish ``Adı``) is none."""
SURE_LINE = 0.6
"""A segment read less surely than this is read again from its grey print (captions mostly)."""
VARIANT_HEIGHTS = (48, ROW_HEIGHT)
"""Letter heights (px) of the second readings of a field that disagrees with the MRZ: cleaned,
grey (the first reading's is :data:`~docfraud.ocr.textlines.ROW_HEIGHT`, cleaned page-wide)."""
MIN_RESEMBLANCE = 0.6
SEARCH_LINES = 2
"""An unclaimed line resembling an MRZ value this much is read again as that field, at most
this many lines per field (the most alike)."""
CUT_DAY_ROOM = 1.8
"""Room (in letter heights) for a date's day and the space after it, where the segmentation cut
the day off its month."""
ACCENT_ROOM = 0.45
"""Share of a capital's height read above a name's box for its accents (half of it below)."""
PLAIN_ROOM = 0.2
"""The same margin for values without diacritics."""
WITH_CAPTION = 1.6
"""Height (in values' heights) of a value and the small caption printed tight above it, which
segmentation could not part."""
MARKED_VALUE = 1.3
"""Height (in plain values' heights) of a value whose marks stand above its capitals (``HÀ NỘI``);
a title is taller still."""
MIN_UNANCHORED_CONFIDENCE = 0.6
"""Without caption or MRZ, a line must be read at least this surely to be given a field."""
NATION_STEM = 4
"""Letters of the State's English name a nationality word must begin with (GERMAN, UTOPIAN),
or at least two with a demonym ending (IRISH, POLISH, FRENCH)."""
DEMONYM_ENDINGS = ("ISH", "AN", "ESE", "CH", "AISE", "OIS", "ER", "INE", "IC", "ISCH", "SKA",
                   "SKI", "SK", "ESA", "ANA", "ANO", "I")  # fmt: skip
TITLE_OVER_VALUE = 1.25
"""A line taller than this many value heights is a title (the state's name), not a value."""
LEFTOVER_WEIGHT = 0.4
"""How surely the one name-like value no caption or content claimed is the place of birth."""
AUTHORITY_STEMS = (
    "MINIST", "POLIC", "POLIZ", "POLIT", "POLISM", "OFFICE", "BUREAU", "DEPARTMENT", "DIRECC",
    "DIRECT", "REGIST", "PREFE",
    "EMBASS", "CONSUL", "BOTSCHAFT", "AMBASSA", "AMT", "BURGERAMT", "STADT", "GEMEENTE",
    "COMUNE", "MAIRIE", "AYUNTAMIENTO", "MUNICIPAL", "URZAD", "WOJEWOD", "QUESTURA",
    "AUTHORITY", "GOVERNMENT", "SERVICE", "CIVIL", "INTERIOR", "INNERN", "INTERIEUR",
    "MIGRA", "IMMIGR", "EXTRANJ", "AUSLANDER", "BAKANLIG", "MUDURLUG", "NUFUS",
    "COMISAR", "COMMISSAR", "KOMMISSAR",
)  # fmt: skip
"""Word beginnings of the names of passport and identity-card issuing authorities (police,
ministries, registries, municipalities, consulates) across the languages of the labels."""
AUTHORITY_PHRASES = ("CONG AN", "XUAT NHAP CANH", "QUAN LY XUAT")
"""Authorities' names told by words too short or too common alone (Vietnamese ``CÔNG AN``,
public security; ``CỤC QUẢN LÝ XUẤT NHẬP CẢNH``, the immigration department), as whole words
of the text with its marks folded."""

MIN_STRAY_CUT_LETTERS = 5
"""A first word cut of stray glyphs keeps this many letters at least: shorter words (``BAD``,
``AMT``) are found inside too many misreadings."""

FIELDS = (
    "surname",
    "given_names",
    "document_number",
    "nationality",
    "birth_date",
    "birth_place",
    "sex",
    "issue_date",
    "expiry_date",
    "authority",
    "personal_number",
)
"""The printed fields the reader looks for."""
TEXT_FIELDS = ("surname", "given_names", "birth_place", "authority", "nationality")
DATE_FIELDS = ("birth_date", "issue_date", "expiry_date")
SPECIMEN_WORDS = frozenset(
    {"SPECIMEN", "SPECIMINE", "MUSTER", "MUESTRA", "ESEMPLARE", "EXEMPLAR", "EXEMPLE",
     "VZOR", "WZOR", "MODELO", "NAVZOR", "MINTA", "NAYTE", "PROV", "VOORBEELD", "SAMPLE",
     "SPECIMENUL", "UZORAK", "PAVYZDYS", "PARAUGS", "NAIDIS"}
)  # fmt: skip
"""``SPECIMEN`` in the languages of the documents docfraud meets (upper case, no accents)."""
_SEX = {"M": "M", "H": "M", "F": "F", "W": "F", "K": "F", "V": "F", "X": "X"}
"""Sex letters as printed: M/H (hombre, homme) male; F, W (weiblich), K (kobieta), V (vrouw),
female; X unspecified."""


@dataclass(frozen=True, slots=True)
class _Line:
    """One OCR-read segment in working-image pixels."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]
    index: int
    words: tuple[tuple[str, int, int], ...] = ()
    """(text, left, right) of each word in working-image pixels, from the first reading."""

    @property
    def cx(self) -> float:
        return self.box[0] + self.box[2] / 2

    @property
    def cy(self) -> float:
        return self.box[1] + self.box[3] / 2


def read_viz(
    bgr: npt.NDArray[np.uint8],
    outline: DocumentQuad | None,
    mrz: MrzData | None,
    *,
    other_side: MrzData | None = None,
    upside_down: bool | None = None,
) -> VizReading:
    """Read the printed fields of one document side.

    Args:
        bgr: (H, W, 3) uint8 input page.
        outline: the document in the page (reading order when the MRZ oriented it), or None.
        mrz: the parsed MRZ of this side, or None (card fronts).
        other_side: for a side without an MRZ (a card's front), the MRZ read on the card's
            other side: what to look for, as this side's MRZ would tell, but not where (this
            side's orientation and layout are its own).
        upside_down: for a side without an MRZ, whether it lies upside down in ``outline``;
            None to judge by the words' confidence read both ways (:func:`_reads_upside_down`).

    Returns:
        The fields found, regions in input pixels; ``text_lines`` 0 when nothing was read.
    """
    gray = np.asarray(cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    work, to_input = _prepare(gray, outline, mrz is not None)
    width_mm = _width_mm(outline, mrz, work.shape)
    text_height = VALUE_CAP_MM * work.shape[1] / width_mm
    segments = find_segments(work, text_height)
    if outline is None:  # the document's size in the photo is unknown: measure its text
        measured = _measured_text_height(segments)
        if measured is not None and abs(measured / text_height - 1.0) > 0.25:
            text_height = measured
            segments = find_segments(work, text_height)
    if mrz is not None:
        segments = [s for s in segments if not _in_mrz_band(s, work.shape, mrz)]
    if not segments:
        return VizReading(fields=(), text_lines=0)
    turned = mrz is None and bool(upside_down)
    lines = _read(segments, flip=turned)
    if mrz is None and upside_down is None and _unsure(lines):
        flipped = _read(segments, flip=True)
        if _reads_upside_down(lines, flipped):
            lines, turned = flipped, True
    if turned:
        h, w = work.shape
        rot = np.array([[-1.0, 0.0, w - 1.0], [0.0, -1.0, h - 1.0], [0.0, 0.0, 1.0]])
        to_input = to_input @ rot
        lines = [_Line(ln.text, ln.confidence, _flip_box(ln.box, w, h), ln.index) for ln in lines]
        segments = [Segment(_flip_box(s.box, w, h), s.binary[::-1, ::-1].copy()) for s in segments]
        work = np.ascontiguousarray(work[::-1, ::-1])  # later crops use the flipped boxes

    def black() -> npt.NDArray[np.uint8]:  # only needed where a value is read under its caption
        image, _ = _prepare(_black_print(bgr), outline, mrz is not None)
        return np.ascontiguousarray(image[::-1, ::-1]) if turned else image

    holder = mrz if mrz is not None else other_side
    lines = _reread_unsure(lines, segments, work)
    lines = _split_caption_over_value(lines, work, text_height)
    lines = _split_joined_captions(_split_trailing_numbers([ln for ln in lines if ln.text]))
    lines = _merged_overlaps(lines)
    fields = _assign(lines, holder)
    _continue_on_row(fields, lines)
    fields = _reread_names(fields, work, _name_lang(holder), holder)
    alternatives: dict[str, list[_Line]] = {}
    if holder is not None:
        fields, alternatives = _confirm(fields, work, holder)
    _find_missing(fields, lines, work, holder, black)
    h_in, w_in = bgr.shape[:2]
    readings = tuple(
        _reading(name, line, weight, holder, to_input, (w_in, h_in), alternatives.get(name, []))
        for name, (line, weight) in sorted(fields.items())
    )
    return VizReading(
        fields=readings,
        specimen_marked=any(_is_specimen(ln.text) for ln in lines),
        text_lines=len(lines),
        upside_down=turned,
    )


def read_card_front(
    bgr: npt.NDArray[np.uint8],
    outline: DocumentQuad | None,
    alone: VizReading,
    backs: Sequence[MrzData],
) -> tuple[VizReading, MrzData | None]:
    """A side without an MRZ read again with the MRZ of its card's other side, presented with it.

    The back is the one whose holder the side's reading ``alone`` names in most fields, or the
    only one presented, unless the side reads as a card's reverse. The second reading is kept
    where it names that holder in at least :data:`SAME_HOLDER_FIELDS` fields, else ``alone``
    is: a front presented with someone else's document (a parent's card beside a child's
    passport) keeps its own reading. Where the side read in ``alone``'s orientation does not
    name the holder, it is read once more turned the other way round: the words' confidence
    that chose the orientation is a weak judge on a poor photo, the holder's fields are not.

    Returns:
        (the reading, the MRZ it was read with or None).
    """
    named = [_holder_evidence(alone, back) for back in backs]
    most = max(named, default=0)
    if most > 0 and named.count(most) == 1:
        back = backs[named.index(most)]
    elif _reads_as_reverse(alone):
        return alone, None
    elif len(backs) == 1:
        back = backs[0]
    else:
        return alone, None
    for upside_down in (alone.upside_down, not alone.upside_down):
        again = read_viz(bgr, outline, None, other_side=back, upside_down=upside_down)
        if _holder_evidence(again, back) >= SAME_HOLDER_FIELDS:
            return again, back
    return alone, None


def _reads_as_reverse(reading: VizReading) -> bool:
    """A card's reverse (Doc 9303 prints the holder with the date of birth on the other side):
    an issue date or authority read, and none of the holder's fields. The MRZ has nothing to
    say about its fields, and reading it again costs a second."""
    has = {f.name for f in reading.fields}
    return bool(has & {"issue_date", "authority"}) and not has & set(HOLDER_IDENTIFIERS)


def _holder_evidence(reading: VizReading, mrz: MrzData) -> int:
    """How many of the holder's identifying fields ``reading`` prints as the MRZ has them."""
    return sum(
        agrees(f.name, f.text, f.value, mrz) is True
        for name in HOLDER_IDENTIFIERS
        if (f := reading.get(name)) is not None
    )


def _prepare(
    gray: npt.NDArray[np.uint8], outline: DocumentQuad | None, oriented: bool
) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.float64]]:
    """(working image, 3×3 homography working → input pixels) of one channel of the input.

    The outline is warped straight to :data:`WORK_WIDTH` (one cubic interpolation of the input,
    not a rectification then an upscaling: small captions keep what sharpness they have).
    """
    if outline is None:
        h, w = gray.shape
        scale = WORK_WIDTH / w
        size = (WORK_WIDTH, max(1, round(h * scale)))
        work = cv2.resize(gray, size, interpolation=cv2.INTER_CUBIC)
        return np.asarray(work, dtype=np.uint8), np.diag([1 / scale, 1 / scale, 1.0])
    corners = np.array(outline.corners, dtype=np.float64)
    width = float(max(np.hypot(*(corners[1] - corners[0])), np.hypot(*(corners[2] - corners[3]))))
    height = float(max(np.hypot(*(corners[3] - corners[0])), np.hypot(*(corners[2] - corners[1]))))
    if not oriented and height > width:  # a card front lying on its side: turn it landscape
        corners = corners[[3, 0, 1, 2]]
        width, height = height, width
    out_h = max(1, round(WORK_WIDTH * height / max(width, 1.0)))
    target = np.array(
        [[0, 0], [WORK_WIDTH - 1, 0], [WORK_WIDTH - 1, out_h - 1], [0, out_h - 1]], np.float32
    )
    to_work = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    work = cv2.warpPerspective(gray, to_work, (WORK_WIDTH, out_h), flags=cv2.INTER_CUBIC)
    return np.asarray(work, dtype=np.uint8), np.linalg.inv(to_work).astype(np.float64)


def _black_print(bgr: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """Each pixel's brightest channel: black print stays dark, ink of a colour (a red or blue
    stamp, a tinted background) is bright in its own channel and fades. Not the working image:
    documents print numbers and captions in colour too."""
    return np.ascontiguousarray(bgr.max(axis=2), dtype=np.uint8)


def _width_mm(outline: DocumentQuad | None, mrz: MrzData | None, shape: tuple[int, ...]) -> float:
    if outline is None:
        return UNKNOWN_WIDTH_MM
    if mrz is not None and str(mrz.format) in PRINTED_SIZES:
        return PRINTED_SIZES[str(mrz.format)].width
    aspect = shape[1] / max(1, shape[0])
    return 85.6 if aspect > 1.5 else 110.0  # ID-1 cards are 1.59:1, TD2/TD3/visas ~1.42:1


def _measured_text_height(segments: list[Segment]) -> float | None:
    """A value's capital height judged from the segments that look like words (px)."""
    heights = sorted(s.box[3] for s in segments if s.box[2] >= 2.5 * s.box[3])
    if len(heights) < 4:
        return None
    return 0.85 * float(heights[int(0.8 * (len(heights) - 1))])


def _in_mrz_band(segment: Segment, shape: tuple[int, ...], mrz: MrzData) -> bool:
    """A long line where the format prints its code lines, on an upright page: a code line.

    The band is the format's (Doc 9303 Parts 4–7: the last line's centre above the bottom
    edge, the lines :data:`MRZ_LINE_PITCH_MM` apart), not a fixed share of the page, so that
    a value printed just above the MRZ (the authority, beside a signature) is kept.
    """
    x, y, w, h = segment.box
    size = PRINTED_SIZES.get(str(mrz.format))
    top = MRZ_BAND_TOP
    if size is not None:
        band_mm = size.last_line_to_bottom + (len(mrz.lines) - 1) * MRZ_LINE_PITCH_MM + 3.0
        top = 1.0 - band_mm / size.height
    return y + h / 2 > top * shape[0] and w > 0.55 * shape[1]


def _flip_box(box: tuple[int, int, int, int], w: int, h: int) -> tuple[int, int, int, int]:
    x, y, bw, bh = box
    return (w - x - bw, h - y - bh, bw, bh)


def _ocr(collage: Collage, lang: str) -> list[list[Word]]:
    """Words of each collage row, left to right."""
    rows: list[list[Word]] = [[] for _ in collage.rows]
    for word in read_words(collage.image, lang=lang, psm=6):
        row = collage.row_of(word.box[1] + word.box[3] / 2)
        if row is not None:
            rows[row].append(word)
    return [sorted(ws, key=lambda w: w.box[0]) for ws in rows]


def _read(segments: list[Segment], *, flip: bool) -> list[_Line]:
    rows = _ocr(build_collage([s.binary for s in segments], flip=flip), LANG)
    lines = [_line(ws, s.box, i) for i, (s, ws) in enumerate(zip(segments, rows, strict=True))]
    if flip:
        return lines
    return [_with_words(ln, ws) for ln, ws in zip(lines, rows, strict=True)]


def _with_words(line: _Line, words: list[Word]) -> _Line:
    """``line`` with where its words lie in the working image: a segment's crop was padded by
    :func:`~docfraud.ocr.textlines.segment_padding` and scaled to :data:`ROW_HEIGHT` in the
    collage, :data:`~docfraud.ocr.textlines.MARGIN` from its left edge."""
    x, _, _, h = line.box
    left = max(0, x - segment_padding(h))
    scale = ROW_HEIGHT / max(1, h)
    spans = tuple(
        (
            _clean_text(w.text),
            round(left + (w.box[0] - MARGIN) / scale),
            round(left + (w.box[0] + w.box[2] - MARGIN) / scale),
        )
        for w in words
        if _clean_text(w.text)
    )
    return _Line(line.text, line.confidence, line.box, line.index, spans)


def _narrowed(line: _Line, keep: Callable[[str], bool]) -> _Line:
    """``line`` cut down to the words ``keep`` accepts (a date beside a stamp's lettering), or
    as it is when it has none or no others."""
    kept = [(a, b) for text, a, b in line.words if keep(text)]
    if not kept or len(kept) == len(line.words):
        return line
    x, y, w, h = line.box
    pad = segment_padding(h)
    x0 = max(x, min(a for a, _ in kept) - pad)
    x1 = min(x + w, max(b for _, b in kept) + pad)
    if x1 - x0 < h:
        return line
    return _Line(line.text, line.confidence, (x0, y, x1 - x0, h), line.index)


def _split_trailing_numbers(lines: list[_Line]) -> list[_Line]:
    """A words-then-number or date-then-number line cut in two: an authority or a date printed
    close beside the personal number (``MINISTRY OF INTERIOR 68642231309``) is joined with it
    by the segmentation.

    The number's box is the line's right part, in proportion to the characters.
    """
    out: list[_Line] = []
    next_index = max((ln.index for ln in lines), default=-1) + 1
    for ln in lines:
        m = _WORDS_THEN_NUMBER.match(ln.text) or _DATE_THEN_NUMBER.match(ln.text)
        if m is None or (m.re is _DATE_THEN_NUMBER and _date_of(m.group(1), None) is None):
            out.append(ln)
            continue
        words, number = m.group(1), m.group(2)
        x, y, w, h = ln.box
        cut = round(w * len(words) / len(ln.text))
        out.append(_Line(words, ln.confidence, (x, y, cut, h), ln.index))
        out.append(_Line(number, ln.confidence, (x + cut, y, w - cut, h), next_index))
        next_index += 1
    return out


def _split_joined_captions(lines: list[_Line]) -> list[_Line]:
    """A line that reads as two captions of different fields cut in two: captions printed side
    by side in small type (``07 DATE OF ISSUE   08 DATE OF EXPIRY``) are joined by the
    segmentation, which sizes its gaps to the values, and the whole would caption one field.

    The cut is at the widest word gap whose two sides each read as a caption, the boxes from
    the words' places (in proportion to the characters where they are unknown).
    """
    out: list[_Line] = []
    next_index = max((ln.index for ln in lines), default=-1) + 1
    for ln in lines:
        cut = _caption_cut(ln)
        if cut is None:
            out.append(ln)
            continue
        left_text, right_text, x_cut = cut
        x, y, w, h = ln.box
        out.append(_Line(left_text, ln.confidence, (x, y, x_cut - x, h), ln.index))
        out.append(_Line(right_text, ln.confidence, (x_cut, y, x + w - x_cut, h), next_index))
        next_index += 1
    return out


def _caption_cut(line: _Line) -> tuple[str, str, int] | None:
    """(left text, right text, x of the cut) for :func:`_split_joined_captions`, or None.

    Each side must name a field (not a title word: ``Pasaporte | N.° / Passport No`` is one
    caption) in at least two words, and where the words' places are known the cut must be a
    wide gap (:data:`CAPTION_GAP`, :data:`WIDE_GAP`); where they are not, each side must
    read as a caption at least :data:`SURE_CAPTION`.
    """
    words = line.text.split()
    if len(words) < 4 or match_label(line.text) is None:
        return None
    x, _, w, h = line.box
    spans = [(a, b) for _, a, b in line.words] if len(line.words) == len(words) else None
    word_gap = float(np.median([b[0] - a[1] for a, b in itertools.pairwise(spans)])) if spans else 0
    best: tuple[float, str, str, int] | None = None
    for k in range(2, len(words) - 1):
        left, right = " ".join(words[:k]), " ".join(words[k:])
        ml, mr = match_label(left), match_label(right)
        if ml is None or mr is None or ml[0] == mr[0] or "ignore" in (ml[0], mr[0]):
            continue
        if spans is not None:
            gap, x_cut = spans[k][0] - spans[k - 1][1], (spans[k - 1][1] + spans[k][0]) // 2
            if gap < max(CAPTION_GAP * h, WIDE_GAP * word_gap):
                continue
        elif min(ml[1], mr[1]) >= SURE_CAPTION:
            gap, x_cut = 0, x + round(w * (len(left) + 0.5) / len(line.text))
        else:
            continue
        if x < x_cut < x + w and (best is None or gap > best[0]):
            best = (gap, left, right, x_cut)
    return None if best is None else best[1:]


def _reread_unsure(
    lines: list[_Line], segments: list[Segment], work: npt.NDArray[np.uint8]
) -> list[_Line]:
    """Read the segments read unsurely a second time, from the grey print itself.

    Captions are small and often printed in a light ink that the background removal of the
    first reading thins out; the grey crop, only contrast-stretched, keeps them. The second
    reading wins when it reads as a caption and the first does not, or when it is surer.
    """
    unsure = [i for i, ln in enumerate(lines) if ln.confidence < SURE_LINE]
    if not unsure:
        return lines
    crops = [_grey_crop(work, lines[i].box, ROW_HEIGHT) for i in unsure]
    rows = _ocr(build_collage(crops), LANG)
    out = list(lines)
    for i, words in zip(unsure, rows, strict=True):
        first = lines[i]
        again = _line(words, first.box, first.index)
        if not again.text:
            continue
        caption = match_label(again.text) is not None and match_label(first.text) is None
        if caption or again.confidence > first.confidence:
            out[i] = again
    return out


def _split_caption_over_value(
    lines: list[_Line], work: npt.NDArray[np.uint8], text_height: float
) -> list[_Line]:
    """A segment read unsurely and at least :data:`CAPTION_OVER_VALUE` values high, cut at its
    sparsest row where its upper part then reads as a caption: a caption printed tight above a
    value smaller than the card's size suggests (:data:`VALUE_CAP_MM`), which segmentation,
    sized to that, could not part from it. Read whole, the two read as neither (``sgpereoe
    Mao`` for ``Nationalité / Nationality`` over ``BEL``); the caption's reading (of
    :data:`MIN_CAPTION_SHARE` of the value's height at least), not the cut's shape, decides, so
    a value's own letters (an ``F``'s bare stem) are never taken for the gap.
    """
    tall = [
        ln
        for ln in lines
        if ln.confidence < SURE_LINE
        and ln.box[3] >= CAPTION_OVER_VALUE * text_height
        and match_label(ln.text) is None
    ]
    if not tall:
        return lines
    crops: list[npt.NDArray[np.uint8]] = []
    cuts: list[int] = []
    for ln in tall:
        x, y, w, h = ln.box
        cut = _sparsest_row(work[y : y + h, x : x + w])
        pad_x, pad_y = max(2, h // 5), max(2, h // 8)
        x0, x1 = max(0, x - pad_x), x + w + pad_x
        crops.append(_stretched(work[max(0, y - pad_y) : y + cut, x0:x1], ROW_HEIGHT / cut))
        crops.append(_stretched(work[y + cut : y + h + pad_y, x0:x1], ROW_HEIGHT / (h - cut)))
        cuts.append(cut)
    rows = _ocr(build_collage(crops), LANG)
    parts: dict[int, tuple[_Line, _Line]] = {}
    next_index = max(ln.index for ln in lines) + 1
    for k, (ln, cut) in enumerate(zip(tall, cuts, strict=True)):
        x, y, w, h = ln.box
        caption = _line(rows[2 * k], (x, y, w, cut), ln.index)
        value = _line(rows[2 * k + 1], (x, y + cut, w, h - cut), next_index)
        if cut >= MIN_CAPTION_SHARE * (h - cut) and match_label(caption.text) and value.text:
            parts[ln.index] = (caption, value)
            next_index += 1
    return [part for ln in lines for part in parts.get(ln.index, (ln,))]


def _sparsest_row(crop: npt.NDArray[np.uint8]) -> int:
    """The row of least dark ink in the upper half of ``crop`` (below its top fifth), where a
    caption's descent meets its value's top."""
    h = int(crop.shape[0])
    profile = ink_rows(np.ascontiguousarray(crop), ink_is_dark=True)
    lo, hi = max(1, h // 5), max(2, h // 2)
    return lo + int(np.argmin(profile[lo:hi]))


def _line(words: list[Word], box: tuple[int, int, int, int], index: int) -> _Line:
    words = [w for w in words if _clean_text(w.text)]
    # specks at either end of a value read as a stray letter or two, with little confidence;
    # one touching its neighbour is a letter tesseract split off (S|J159172, Ø|DEGÅRD), kept
    while len(words) > 1 and _is_speck(words[-1]):
        words = (
            _merged(words[:-2], words[-2], words[-1])
            if _touch(words[-2], words[-1])
            else words[:-1]
        )
    while len(words) > 1 and _is_speck(words[0]):
        words = (
            _merged(words[2:], words[0], words[1], before=True)
            if _touch(words[0], words[1])
            else words[1:]
        )
    text = _tidy(" ".join(_clean_text(w.text) for w in words))
    conf = float(np.mean([w.confidence for w in words])) if words else 0.0
    return _Line(text, conf, box, index)


def _touch(left: Word, right: Word) -> bool:
    """Less than a narrow letter's width apart: one word, cut in two by the recogniser."""
    gap = right.box[0] - (left.box[0] + left.box[2])
    return gap < TOUCH_GAP * max(left.box[3], right.box[3])


def _merged(rest: list[Word], left: Word, right: Word, *, before: bool = False) -> list[Word]:
    """``left`` and ``right`` as one word (no space), placed back at the end, or the start."""
    word = Word(
        _clean_text(left.text) + _clean_text(right.text),
        max(left.confidence, right.confidence),
        box_union(left.box, right.box),
        left.line,
    )
    return [word, *rest] if before else [*rest, word]


def _is_speck(word: Word) -> bool:
    return len(word.text) <= 2 and word.confidence < SPECK_CONFIDENCE


def _clean_text(text: str) -> str:
    """Strip the quote and bar marks tesseract reads from specks at the ends of a word; in a
    word with letters or digits, the symbols a bold capital is misread as become the capital
    (no printed field holds a currency sign), and a bar or exclamation mark between two
    capitals an I.

    >>> _clean_text("$J159172"), _clean_text("£8121247"), _clean_text("“MÜLLER|"), _clean_text("$")
    ('SJ159172', 'E8121247', 'MÜLLER', '$')
    >>> _clean_text("POL!SH"), _clean_text("KR|STIN"), _clean_text("Hi!")
    ('POLISH', 'KRISTIN', 'Hi')

    A speck read as a small letter before a word in capitals goes too:

    >>> _clean_text("mLIAM"), _clean_text("iOS"), _clean_text("deLA")
    ('LIAM', 'iOS', 'deLA')
    """
    text = text.strip('|‘’“”"`~_—–,;:!')
    if any(c.isalnum() for c in text):
        text = _BAR_BETWEEN_CAPITALS.sub("I", text.translate(_SYMBOL_CAPITALS))
    if len(text) >= 4 and text[0].islower() and text[1:].isupper() and text[1:].isalpha():
        text = text[1:]
    return text


def _tidy(text: str) -> str:
    """Whitespace collapsed, and a space the recogniser put beside a hyphen between two words
    dropped; marks at the ends dropped (an initial's full stop is kept); a full stop between
    two words, where a speck stood in the space, a space (an abbreviation's two letters kept).

    >>> _tidy(" HADDAD. "), _tidy("O'BRIEN™"), _tidy("Z2A2799D1-"), _tidy("LEE W.")
    ('HADDAD', "O'BRIEN", 'Z2A2799D1', 'LEE W.')
    >>> _tidy("ŞAHIN- ŞAHIN"), _tidy("ABU -ZEID"), _tidy("14 - 16")
    ('ŞAHIN-ŞAHIN', 'ABU-ZEID', '14 - 16')
    >>> _tidy("MINISTRY.OF INTERIOR"), _tidy("ST.GALLEN"), _tidy("12.05.2023")
    ('MINISTRY OF INTERIOR', 'ST.GALLEN', '12.05.2023')
    """
    text = " ".join(text.split())
    text = re.sub(r"(?<=[^\W\d_]{3})\.(?=[^\W\d_]{2})", " ", text)
    text = re.sub(r"(?<=[^\W\d_])(?: -|- )(?=[^\W\d_])", "-", text)
    text = re.sub(r"^[^\w(]+", "", text)
    if re.search(r"(?:^|\s)\w\.$", text) is None:
        text = re.sub(r"[^\w)]+$", "", text)
    return text


def _split_word_joined(name: str, expected: str) -> str:
    """A name's word that OCR split before its last letter or two (``GRABOWSK I``) joined up
    where the MRZ's name ``expected`` has the whole word and not the first part (a space is
    layout, not a letter: a changed name still differs).

    >>> _split_word_joined("GRABOWSK I", "GRABOWSKI"), _split_word_joined("JAN K", "JAN K")
    ('GRABOWSKI', 'JAN K')
    """
    words = name.split(" ")
    whole = set(expected.split())
    for i in range(len(words) - 1, 0, -1):
        head, tail = words[i - 1], words[i]
        if len(tail) <= 2 and to_mrz(head + tail) in whole and to_mrz(head) not in whole:
            words[i - 1 : i + 1] = [head + tail]
    return " ".join(words)


def _spaced_hyphen_closed(name: str) -> str:
    """A double name's hyphen read with a space on each side closed up: the reading models
    space it (``NGUYÊN - ĐẶNG``), names are not printed so. (:func:`_tidy`, for every field,
    closes a space on one side only: ``14 - 16`` is a range.)

    >>> _spaced_hyphen_closed("EL - AMIN"), _spaced_hyphen_closed("ANNA - 2")
    ('EL-AMIN', 'ANNA - 2')
    """
    return re.sub(r"(?<=[^\W\d_]) - (?=[^\W\d_])", "-", name)


def _unsure(lines: list[_Line]) -> bool:
    """Whether a side of unknown orientation read so poorly that it may lie upside down."""
    return _mean_confidence(lines) < UNSURE


def _reads_upside_down(lines: list[_Line], flipped: list[_Line]) -> bool:
    """Whether the side's words read more surely turned half round than as they lie."""
    return _mean_confidence(flipped) > _mean_confidence(lines)


def _mean_confidence(lines: list[_Line]) -> float:
    weights = [len(ln.text) for ln in lines if ln.text]
    if not weights:
        return 0.0
    return float(np.average([ln.confidence for ln in lines if ln.text], weights=weights))


# --- content types -------------------------------------------------------------------------


def parse_sex(text: str) -> str | None:
    """``M``/``F``/``X`` from a printed sex field (``M``, ``F/F``, ``V/F``, ``K/F``, ``H``).

    >>> parse_sex("V/F"), parse_sex("M/M"), parse_sex("K"), parse_sex("xXx"), parse_sex("MAX")
    ('F', 'M', 'F', 'X', None)
    >>> parse_sex("K<K") is None  # a piece of the MRZ
    True
    """
    letters = normalise(text).replace(" ", "")
    if not 1 <= len(letters) <= 3 or "<" in text:  # M, F/F, V/F, slash read or not
        return None
    tokens = list(letters)
    values = {_SEX.get(t) for t in tokens}
    if None in values:
        return None
    if len(values) != 1:
        return None
    return values.pop()


def _is_number(text: str) -> bool:
    compact = re.sub(r"[\s\-]", "", text)
    return (
        4 <= len(compact) <= 20
        and any(c.isdigit() for c in compact)
        and re.fullmatch(r"[A-Za-z0-9<]+", compact) is not None
    )


def _is_name(text: str) -> bool:
    """Whether ``text`` reads as words: mostly letters, no sex mark, and no MRZ filler (a piece
    of a code line, ``CELIK<<HUE``, is no printed name)."""
    letters = sum(c.isalpha() for c in text)
    return (
        letters >= 1
        and letters >= 0.7 * len(text.replace(" ", ""))
        and parse_sex(text) is None
        and "<" not in text
    )


def _is_nationality(text: str) -> bool:
    return re.fullmatch(r"[A-Za-zÀ-ÿ\- /()]{1,40}", text) is not None and parse_sex(text) is None


_SYMBOL_CAPITALS = str.maketrans({"$": "S", "§": "S", "€": "E", "£": "E", "¢": "C"})
_BAR_BETWEEN_CAPITALS = re.compile(r"(?<=[A-ZÀ-ÞĀ-Ž])[!|](?=[A-ZÀ-ÞĀ-Ž])")
_WORDS_THEN_NUMBER = re.compile(r"^((?:[^\W\d_][\w'.\-]*\s+)*[^\W\d_]{2,}[\w'.\-]*)\s+(\d{5,})$")
"""Letters-only words, then one run of at least five digits."""
_DATE_THEN_NUMBER = re.compile(r"^(.*\S)\s+(\d{5,})$")
"""Anything (kept when it is a date), then one run of at least five digits."""
_MONTH_WORD = re.compile(r"^(\d{1,2}\.?\s+)([^\d\s]{2,}(?:\s[^\d\s]+)?)(\s+\d{2,4})$")
"""Day, month word (read in one piece or split in two by a space), year."""
_DAY_MONTH_JOINED = re.compile(r"^(\d{2})(\d{2})(\s+\d{4})$")
"""A numeric date whose space between day and month was lost (``2111 2023``)."""
_DIGIT_DATE = re.compile(r"\d{1,2}[./\- ]\s?\d{2}[./\- ]\s?\d{4}")
"""A numeric day, month and year as printed (digits and separators only)."""


def _date_of(text: str, expect: date | None) -> date | None:
    """The printed date; when a bilingual month was misread (``26 JULJURL 2013``) or split
    (``04 OK T/OCT 2022``), the date with the month joined, each half of it, or its first
    three letters, tried in turn; a numeric day and month read as one (``2111 2023``), apart."""
    found = parse_date(text, expect=expect)
    if found is not None:
        return found
    # a speck read as a letter or bracket beside the date ("S07 03 2031", "(04.03.2027")
    dates = find_dates(text)
    if len(dates) == 1:
        start, end = dates[0][1]
        if sum(c.isalnum() for c in text[:start] + text[end:]) <= 1:
            return parse_date(text[start:end], expect=expect)
    m = _MONTH_WORD.match(text.strip())
    if m is not None:
        word = m.group(2).replace(" ", "")
        for month in (word, *re.split(r"[/|]", word), word[:3], word[:4]):
            found = parse_date(f"{m.group(1)}{month}{m.group(3)}", expect=expect)
            if found is not None:
                return found
    joined = _DAY_MONTH_JOINED.match(text.strip())
    if joined is not None:
        return parse_date(f"{joined.group(1)} {joined.group(2)}{joined.group(3)}", expect=expect)
    start = _stamp_run_in(text, expect)
    return parse_date(text[start:], expect=expect) if start else None


def _stamp_run_in(text: str, expect: date | None) -> int:
    """Where the date at the end of ``text`` starts when stamp ink before it was read as
    characters run into its day (``S\\V228 11 2021``, ``a002/03/2023``); 0 when none does.

    Stamp ink reads as letters or symbols, so what is cut off must hold one: ``2004.12 31`` is
    not the 4th of December 2031. A cut inside a run of digits keeps a two-digit day:
    ``238 11 2021`` is no date, rather than the 8th.
    """
    for start in range(1, len(text) - 5):
        tail = text[start:]
        if not tail[0].isdigit() or text[start - 1].isdigit() and not tail[1].isdigit():
            continue
        if not re.search(r"[^\d\s.,/\-]", text[:start]):
            continue
        if parse_date(tail, expect=expect) is not None:
            return start
    return 0


def _expected(name: str, mrz: MrzData | None) -> date | None:
    if mrz is None:
        return None
    if name == "birth_date":
        return mrz.birth_date
    if name == "expiry_date":
        return mrz.expiry_date
    return None


def _fits(name: str, text: str, mrz: MrzData | None) -> bool:
    if name in DATE_FIELDS:
        return _field_date(name, text, mrz) is not None
    if name == "sex":
        return parse_sex(text) is not None
    if name in ("document_number", "personal_number"):
        return _is_number(text)
    if name == "nationality":
        return _is_nationality(text)
    if name in ("surname", "given_names"):
        return _is_name(text)
    letters = sum(c.isalpha() for c in text)
    return letters >= 2 and letters >= 0.6 * len(text.replace(" ", ""))


# --- assignment ----------------------------------------------------------------------------


def _label_cost(label: _Line, value: _Line) -> float | None:
    """How well ``label`` sits as the caption of ``value`` (lower is better), or None."""
    lx, ly, lw, lh = label.box
    vx, vy, vw, vh = value.box
    if ly + lh <= vy + 0.3 * vh:  # above
        gap = vy - (ly + lh)
        if gap > 1.6 * vh:
            return None
        overlap = min(lx + lw, vx + vw) - max(lx, vx)
        shift = abs(lx - vx)
        if shift > 2.5 * vh and overlap < 0.3 * min(lw, vw):
            return None
        return max(0.0, gap) / vh + 0.5 * shift / vh
    if abs(label.cy - value.cy) < 0.5 * vh and lx + lw <= vx:  # beside, to the left
        gap = vx - (lx + lw)
        if gap > 4.0 * vh:
            return None
        return 1.0 + gap / vh
    return None


def _assign(lines: list[_Line], mrz: MrzData | None) -> dict[str, tuple[_Line, float]]:
    """field → (value line, how surely it is tied)."""
    labels: dict[int, str] = {}
    for ln in lines:
        match = match_label(ln.text)
        if match is not None:
            labels[ln.index] = match[0]
    values = [ln for ln in lines if ln.index not in labels]
    pairs: list[tuple[float, _Line, _Line]] = []
    for lab in lines:
        if lab.index not in labels:
            continue
        for val in values:
            cost = _label_cost(lab, val)
            if cost is not None:
                pairs.append((cost, lab, val))
    pairs.sort(key=lambda p: p[0])
    fields: dict[str, tuple[_Line, float]] = {}
    used_values: set[int] = set()
    claimed: set[int] = set()  # values under a caption, even an ignored one
    for _, lab, val in pairs:
        if val.index in used_values:
            continue
        name = labels[lab.index]
        if name == "ignore":
            used_values.add(val.index)
            claimed.add(val.index)
            continue
        if name in fields or not _fits(name, val.text, mrz):
            continue
        fields[name] = (val, LABEL_WEIGHT * val.confidence)
        used_values.add(val.index)
    pool = [v for v in values if v.index not in used_values and v.index not in claimed]
    reverse = mrz is None and _is_reverse(lines, fields)
    if mrz is None:  # no MRZ dates to order by: a date's caption, even read badly, decides
        # ... but not for a birth date on a reverse, which shows no holder
        unprinted = ("birth_date",) if reverse else ()
        _weak_captions(pool, lines, fields, mrz, DATE_FIELDS, DATE_CAPTION_MARGIN, unprinted)
    _dates_by_content(pool, fields, mrz, reverse=reverse)
    # under a caption of something else may still be a number or name the MRZ recognises: a
    # caption line read across two columns ("Code / Code du pays  Passport No.") claims both
    unclaimed = [v for v in values if v.index in claimed and v.index not in used_values]
    _others_by_content(pool, fields, mrz, unclaimed)
    _nationality_by_word(pool, fields, mrz)
    _authority_by_words(pool, fields, reverse=reverse)
    _weak_captions(pool, lines, fields, mrz, WEAK_FIELDS)
    # a TD1 card's side with the MRZ prints no name: a reverse, though read with its MRZ
    back = reverse or (
        mrz is not None
        and mrz.format == MrzFormat.TD1
        and not any(n in fields for n in NAME_FIELDS)
    )
    _place_left_over(pool, fields, mrz, reverse=back)
    if mrz is None and not reverse:  # a badly read "Surname" caption beats a title's place
        _weak_captions(pool, lines, fields, mrz, NAME_FIELDS, NAME_CAPTION_MARGIN)
        captioned = [v for v in pool if _has_caption(v, lines)]
        _unanchored_by_content(captioned, fields)
    if mrz is None:
        _nationality_by_code(pool, fields)
    return fields


def _continue_on_row(fields: dict[str, tuple[_Line, float]], lines: list[_Line]) -> None:
    """An authority, place of birth or name that segmentation cut into pieces along its row
    (``CIVIL`` | ``STATUS DEPARTMENT`` | ``ALEPPO``, ``HÀ`` | ``TRANG``: wide word spaces, a
    stamp's edge) takes the pieces to its right that no field was tied to, while each follows
    the last closely, on the same baseline, in the same type size (within half of it after a
    word of :data:`LINKING_WORDS`), and reads as words."""
    used = {line.index for line, _ in fields.values()}
    for name in (*CONTINUED_FIELDS, *NAME_FIELDS):
        if name not in fields:
            continue
        line, weight = fields[name]
        while True:
            pieces = [
                ln
                for ln in lines
                if ln.index not in used
                and _follows(ln, line)
                and match_label(ln.text) is None
                and _fits(name, ln.text, None)
            ]
            if not pieces:
                break
            piece = min(pieces, key=lambda ln: ln.box[0])
            used.add(piece.index)
            line = _joined(line, piece)
        fields[name] = (line, weight)


def _follows(piece: _Line, line: _Line) -> bool:
    """``piece`` continues ``line`` on its row: closely to its right, on the same baseline, in
    the same type size (within half of it after a word of :data:`LINKING_WORDS`)."""
    x, _, w, h = line.box
    spread = 0.5 if line.text.rsplit(" ", 1)[-1] in LINKING_WORDS else 0.25
    return (
        0 <= piece.box[0] - (x + w) <= CONTINUATION_GAP * h
        and abs(piece.cy - line.cy) <= 0.3 * h
        and (1 - spread) * h <= piece.box[3] <= (1 + spread) * h
    )


def _joined(left: _Line, right: _Line, repeated: int = 0) -> _Line:
    """One line of two pieces side by side: texts, boxes and words joined, the confidence
    their letters' mean; the ``repeated`` first words of ``right`` (read in both) once."""
    n_left, n_right = len(left.text), len(right.text)
    confidence = (left.confidence * n_left + right.confidence * n_right) / max(1, n_left + n_right)
    rest = " ".join(right.text.split()[repeated:])
    words = right.words[repeated:] if len(right.words) == len(right.text.split()) else right.words
    return _Line(
        f"{left.text} {rest}".rstrip(),
        confidence,
        box_union(left.box, right.box),
        left.index,
        left.words + words,
    )


def _merged_overlaps(lines: list[_Line]) -> list[_Line]:
    """Two segments of one row read with words in common (``CIVIL STATUS`` over
    ``STATUS DEPARTMENT HOMS``: the second begins inside the first, on its baseline, in its
    type size, with the words the first ends with) as the one line they are, the words once.
    The first's last words may be read otherwise, or in part (``BURGERAMT Gl`` over ``GRAZ``):
    those whose middle lies within the second are the second's."""
    out = list(lines)
    merged = True
    while merged:
        merged = False
        for left, right in itertools.permutations(out, 2):
            x, _, w, h = left.box
            if not (
                x < right.box[0] < x + w < right.box[0] + right.box[2]
                and abs(right.cy - left.cy) <= 0.3 * h
                and 0.75 * h <= right.box[3] <= 1.25 * h
            ):
                continue
            if repeated := _repeated(left, right):
                joined = _joined(left, right, repeated)
            elif overlapped := _overlapped(left, right):
                joined = _joined(_without_last_words(left, overlapped), right)
            else:
                continue
            out[out.index(left)] = joined
            out.remove(right)
            merged = True
            break
    return out


def _overlapped(left: _Line, right: _Line) -> int:
    """How many of ``left``'s last words lie within ``right`` (their middle past its left
    edge), where ``left`` has words before them and the first of them begins with ``right``'s
    letter (the word read in part, not a signature's scrawl beside it); 0 without word
    positions.

    >>> words = (("BURGERAMT", 0, 100), ("Gl", 112, 130))
    >>> office = _Line("BURGERAMT Gl", 1.0, (0, 0, 130, 9), 0, words)
    >>> _overlapped(office, _Line("GRAZ", 1.0, (110, 0, 40, 9), 1))
    1
    >>> _overlapped(office, _Line("LINZ", 1.0, (110, 0, 40, 9), 1))
    0
    """
    texts = left.text.split()
    if len(left.words) != len(texts):
        return 0
    k = 0
    while k < len(texts) - 1 and sum(left.words[-1 - k][1:]) / 2 >= right.box[0]:
        k += 1
    return k if k and texts[-k][0].upper() == right.text[:1].upper() else 0


def _without_last_words(line: _Line, k: int) -> _Line:
    """``line`` without its last ``k`` words (text and word positions; the box as it was)."""
    return _Line(
        " ".join(line.text.split()[:-k]), line.confidence, line.box, line.index, line.words[:-k]
    )


def _repeated(left: _Line, right: _Line) -> int:
    """How many words ``right`` begins with that ``left`` ends with (most first), where
    ``right`` has more after them.

    >>> civil = _Line("CIVIL STATUS", 1.0, (0, 0, 9, 9), 0)
    >>> status = _Line("STATUS DEPT", 1.0, (5, 0, 9, 9), 1)
    >>> _repeated(civil, status), _repeated(status, civil)
    (1, 0)
    """
    ends, begins = left.text.split(), right.text.split()
    for k in range(min(len(ends), len(begins) - 1), 0, -1):
        if ends[-k:] == begins[:k]:
            return k
    return 0


def _weak_captions(
    pool: list[_Line],
    lines: list[_Line],
    fields: dict[str, tuple[_Line, float]],
    mrz: MrzData | None,
    names: tuple[str, ...],
    margin: float = 0.0,
    unprinted: tuple[str, ...] = (),
) -> None:
    """Fields of ``names`` from captions read too badly to match: the caption most like one of
    a field's wins, by at least ``margin`` over the other fields (date captions share their
    "Date of" and differ in one word); a caption most like one of ``unprinted`` (fields this
    side does not print) ties nothing. A date must also sit in its place among the page's
    dates (:func:`_in_date_order`): a misread caption does not make the expiry a birth date.
    An authority or place of birth must be read as surely as a line tied by nothing at all
    (:data:`MIN_UNANCHORED_CONFIDENCE`): a signature read as words (``Sched Meudbat a``) sits
    under a caption too, and a garbled caption ties little."""
    missing = [n for n in names if n not in fields and n not in unprinted]
    page_dates = (
        [(ln.index, d) for ln in lines if (d := _date_of(ln.text, None)) is not None]
        if any(n in DATE_FIELDS for n in missing)
        else []
    )
    scored: list[tuple[float, str, _Line]] = []
    for value in pool:
        captions = [
            (cost, ln)
            for ln in lines
            if ln.index != value.index
            and ln.box[3] < 0.9 * value.box[3]
            and (cost := _label_cost(ln, value)) is not None
        ]
        if not captions:
            continue
        caption = min(captions, key=lambda c: c[0])[1]
        scores = {name: likeness(caption.text, name) for name in names}
        for name in missing:
            others = max((v for n, v in scores.items() if n != name), default=0.0)
            score = scores[name]
            if (
                score >= MIN_CAPTION_LIKENESS
                and score >= others + margin
                and (name not in CONTINUED_FIELDS or value.confidence >= MIN_UNANCHORED_CONFIDENCE)
                and _fits(name, value.text, mrz)
                and _in_date_order(name, value, page_dates)
            ):
                scored.append((score, name, value))
    for score, name, value in sorted(scored, key=lambda s: -s[0]):
        if name in fields or value not in pool:
            continue
        fields[name] = (value, CONTENT_WEIGHT * score * value.confidence)
        pool.remove(value)


def _in_date_order(name: str, value: _Line, page_dates: list[tuple[int, date]]) -> bool:
    """Whether ``value`` can be the ``name`` date among the page's other dates: a birth date is
    the earliest an identity document prints, an expiry date the latest (other fields: yes)."""
    if name not in ("birth_date", "expiry_date"):
        return True
    own = _date_of(value.text, None)
    others = [d for index, d in page_dates if index != value.index]
    if own is None or not others:
        return True
    return own <= min(others) if name == "birth_date" else own >= max(others)


def _nationality_by_word(
    pool: list[_Line], fields: dict[str, tuple[_Line, float]], mrz: MrzData | None
) -> None:
    """A nationality printed as a word (``GERMAN``, ``IRISH``) by its likeness to the name of
    the MRZ's nationality, before weak captions can give it to another field."""
    if "nationality" in fields or mrz is None:
        return
    found = [
        ln
        for ln in pool
        if _value_sized(ln, fields) and _nationality_word(ln.text, mrz.nationality)
    ]
    if found:
        _take("nationality", max(found, key=lambda ln: ln.confidence), fields, pool)


def _nationality_by_code(pool: list[_Line], fields: dict[str, tuple[_Line, float]]) -> None:
    """Without an MRZ, the one value-sized line left that is a State's ICAO code (``SWE``),
    read surely: a card front prints the holder's nationality so, and nothing else as three
    capitals that name a State (the names and their captions were tied before)."""
    if "nationality" in fields:
        return
    found = [
        ln
        for ln in pool
        if re.fullmatch(r"[A-Z]{3}", ln.text)
        and lookup_state(ln.text)
        and ln.confidence >= MIN_UNANCHORED_CONFIDENCE
        and _value_sized(ln, fields)
    ]
    if len(found) == 1:
        _take("nationality", found[0], fields, pool)


def _authority_by_words(
    pool: list[_Line], fields: dict[str, tuple[_Line, float]], *, reverse: bool = False
) -> None:
    """An authority no caption tied, by the words issuing authorities are named with
    (``MINISTRY``, ``POLICE``, ``STADT``): before captions read too badly to match, which may
    take a place of birth for the authority (``TROMSØ`` beside ``POLITIET BERGEN``).

    Only value-sized lines count: titles (``IRELAND`` above the page) are larger; on a card's
    ``reverse`` the first value may lie above every field tied yet. A line up to
    :data:`WITH_CAPTION` values high counts: its caption, printed tight above it, joined it.
    """
    if "authority" in fields:
        return
    found = [
        ln
        for ln in pool
        if _value_sized(ln, fields, above=reverse, most=WITH_CAPTION)
        and _is_name(ln.text)
        and ln.confidence >= MIN_UNANCHORED_CONFIDENCE
        and _names_authority(ln.text)
    ]
    if found:
        _take("authority", max(found, key=lambda ln: ln.confidence), fields, pool)


def _names_authority(text: str) -> bool:
    """Whether ``text`` has the words an authority is named with.

    >>> _names_authority("POLITIET BERGEN"), _names_authority("CONG AN HA NOI")
    (True, True)
    >>> _names_authority("HA NOI"), _names_authority("NGUYEN CONGA")
    (False, False)
    """
    plain = normalise(text)
    return any(w.startswith(AUTHORITY_STEMS) for w in plain.split()) or any(
        f" {phrase} " in f" {plain} " for phrase in AUTHORITY_PHRASES
    )


def _place_left_over(
    pool: list[_Line],
    fields: dict[str, tuple[_Line, float]],
    mrz: MrzData | None,
    *,
    reverse: bool = False,
) -> None:
    """On a page with an MRZ, the one name-like value left over among the fields (within their
    rows, not left of them all: a portrait's speck is none) is the place of birth (the state's
    code printed beside the document type is no place); on a card's
    ``reverse`` (also a TD1 card's side with the MRZ), where no name is printed, the one left
    anywhere.

    A place segmentation cut into pieces along its row (``PORT`` | ``AMAUROT``) counts once, by
    its first piece (:func:`_continue_on_row` joins the rest), as does a piece of a field tied
    already; its marks may stand it up to :data:`MARKED_VALUE` values high (``ĐÀ NẴNG``)."""
    if "birth_place" in fields or not (mrz is not None or reverse) or not fields:
        return
    top = min(line.box[1] for line, _ in fields.values())
    bottom = max(line.box[1] for line, _ in fields.values())
    left = min(line.box[0] for line, _ in fields.values())
    found = [
        ln
        for ln in pool
        if _value_sized(ln, fields, above=reverse, most=MARKED_VALUE)
        and (
            reverse or top - ln.box[3] / 2 <= ln.box[1] <= bottom and ln.box[0] >= left - ln.box[3]
        )
        and _is_name(ln.text)
        and len(ln.text) >= 2
        and ln.box[2] >= ln.box[3]  # not one letter read as two (the document type 'P')
        and ln.confidence >= MIN_UNANCHORED_CONFIDENCE
        and match_label(ln.text) is None
        and not _mrz_code(ln.text, mrz)
    ]
    tied = [line for line, _ in fields.values()]
    first_pieces = [ln for ln in found if not any(_follows(ln, o) for o in (*found, *tied))]
    if len(first_pieces) == 1:
        _take("birth_place", first_pieces[0], fields, pool, LEFTOVER_WEIGHT)


def _mrz_code(text: str, mrz: MrzData | None) -> bool:
    """Whether ``text`` is the issuing state's or the holder's code as the MRZ writes it: a
    page prints the state's code beside the document type, under a caption of its own."""
    if mrz is None:
        return False
    return text.strip() in {code.replace("<", "") for code in (mrz.issuing_state, mrz.nationality)}


def _take(
    name: str,
    line: _Line,
    fields: dict[str, tuple[_Line, float]],
    pool: list[_Line],
    weight: float = CONTENT_WEIGHT,
) -> None:
    fields[name] = (line, weight * line.confidence)
    pool.remove(line)


def _value_sized(
    line: _Line,
    fields: dict[str, tuple[_Line, float]],
    *,
    above: bool = False,
    most: float = 1.15,
) -> bool:
    """As tall as the values already tied to fields (at most ``most`` times their median) and
    not above them, as a title is (with no field tied yet, every line is); ``above``: wherever
    it lies (a card's reverse has no title and its first value may lie above every field tied
    yet)."""
    heights = [ln.box[3] for ln, _ in fields.values()]
    if not heights:
        return True
    ref = float(np.median(heights))
    top = min(ln.box[1] for ln, _ in fields.values())
    return 0.75 * ref <= line.box[3] <= most * ref and (above or line.box[1] >= top - ref)


def _nationality_word(text: str, code: str) -> bool:
    """``text`` names the nationality of MRZ ``code``: words sharing the beginning of the
    State's English name (``GERMAN``, ``UTOPIAN``, ``SYRIAN ARAB``; ``IRISH``, ``POLISH`` with a
    demonym ending), and no other word of three letters or more, in one of the languages it is
    printed in (``CESKA REPUBLIKA / CZECH REPUBLIC``): a place named after the State
    (``UTOPIA CITY``) is none. A bare code is left to the MRZ-likeness search, which knows the
    issuing State's code row.

    >>> _nationality_word("IRISH", "IRL"), _nationality_word("GERMAN", "D")
    (True, True)
    >>> _nationality_word("GALWAY", "IRL"), _nationality_word("IRELAND", "FRA")
    (False, False)
    >>> _nationality_word("SYRIAN ARAB", "SYR"), _nationality_word("UTOPIA CITY", "UTO")
    (True, False)
    >>> _nationality_word("CESKA REPUBLIKA / CZECH REPUBLIC", "CZE")  # read without marks
    True
    """
    if not _is_nationality(text):
        return False
    state = lookup_state(code)
    if state is None:
        return False
    parts = _state_name_words(state.code)

    def names_state(word: str) -> bool:
        for part in parts:
            common = len(os.path.commonprefix([word, part]))
            if common >= NATION_STEM or common >= 2 and word.endswith(DEMONYM_ENDINGS):
                return True
        return False

    def names_only_state(part: str) -> bool:
        words = normalise(part).split()
        return any(names_state(w) for w in words) and all(
            names_state(w) for w in words if len(w) >= 3
        )

    return any(names_only_state(part) for part in text.split("/"))


@cache
def _state_name_words(code: str) -> tuple[str, ...]:
    """The words of a State's names, common and official (``SYRIA``, ``SYRIAN ARAB REPUBLIC``)."""
    state = lookup_state(code)
    names = [state.name] if state is not None else []
    found = pycountry.countries.get(alpha_3="DEU" if code == "D" else code)
    if found is not None:
        names += [str(getattr(found, key, "")) for key in ("name", "official_name")]
    return tuple(dict.fromkeys(w for name in names for w in normalise(name).split()))


def _has_caption(value: _Line, lines: list[_Line]) -> bool:
    """Some smaller line sits where a caption of ``value`` would be (read or not)."""
    return any(
        ln.box[3] < 0.9 * value.box[3] and _label_cost(ln, value) is not None
        for ln in lines
        if ln.index != value.index
    )


def _unanchored_by_content(pool: list[_Line], fields: dict[str, tuple[_Line, float]]) -> None:
    """Without captions or an MRZ (a card front read badly): fields by shape and reading order.

    Only lines with something caption-like above them are considered (titles have none); a
    number with digits is the document number, a lone three-letter code the nationality, and
    the first two name-like lines are surname then given names, the order ICAO prescribes.
    """
    pool = sorted(
        (ln for ln in pool if ln.confidence >= MIN_UNANCHORED_CONFIDENCE),
        key=lambda ln: (ln.box[1], ln.box[0]),
    )
    numbers = [ln for ln in pool if _is_number(ln.text) and _date_of(ln.text, None) is None]
    if "document_number" not in fields and numbers:
        fields["document_number"] = (numbers[0], CONTENT_WEIGHT * numbers[0].confidence)
        pool.remove(numbers[0])
    codes = [ln for ln in pool if re.fullmatch(r"[A-Z]{3}", ln.text)]
    if "nationality" not in fields and len(codes) == 1:
        fields["nationality"] = (codes[0], CONTENT_WEIGHT * codes[0].confidence)
        pool.remove(codes[0])
    names = [ln for ln in pool if _is_name(ln.text) and len(ln.text) >= 2]
    typed = [ln.box[3] for ln in pool if _is_number(ln.text) or _date_of(ln.text, None)]
    typed += [ln.box[3] for ln, _ in fields.values()]
    if typed:  # values share one type size; titles are larger, captions smaller
        ref = float(np.median(typed))
        names = [ln for ln in names if 0.75 * ref <= ln.box[3] <= TITLE_OVER_VALUE * ref]
    for name in ("surname", "given_names"):
        if name in fields or not names:
            continue
        if name == "given_names" and "surname" in fields:
            above = fields["surname"][0].box[1]
            names = [ln for ln in names if ln.box[1] > above]
            if not names:
                break
        line = names.pop(0)
        fields[name] = (line, CONTENT_WEIGHT * line.confidence)


def _is_reverse(lines: list[_Line], fields: dict[str, tuple[_Line, float]]) -> bool:
    """A side without an MRZ that shows no holder: no holder's field tied to a caption, no
    number but dates, and at most one date. Doc 9303 prints the date of birth in zone II with
    the name, sex and nationality, and the document number and the date of expiry on that side
    too; what a card's reverse prints is the place of birth, the date of issue and the
    authority."""
    if any(n in fields for n in HOLDER_FIELDS):
        return False
    dates = [ln for ln in lines if _date_of(ln.text, None) is not None]
    numbers = [ln for ln in lines if _is_number(ln.text) and _date_of(ln.text, None) is None]
    return len(dates) <= 1 and not numbers


def _dates_by_content(
    pool: list[_Line],
    fields: dict[str, tuple[_Line, float]],
    mrz: MrzData | None,
    *,
    reverse: bool = False,
) -> None:
    """Give the missing date fields the unlabelled dates, in an order that makes sense.

    Birth comes before issue, issue before expiry; among equally plausible assignments the one
    closest to the MRZ's dates wins (a tiebreak only: a retyped date still lands in its place).
    On a card's ``reverse`` (:func:`_is_reverse`) a lone date is the date of issue.
    """
    missing = [n for n in DATE_FIELDS if n not in fields]
    expiry = mrz.expiry_date if mrz is not None else None
    dated = [(ln, _date_of(_closed_digits(ln.text, expiry), None)) for ln in pool]
    candidates = [(ln, d) for ln, d in dated if d is not None]
    if not missing or not candidates:
        return
    if reverse and len(candidates) == 1 and "issue_date" in missing:
        ln = candidates[0][0]
        fields["issue_date"] = (ln, CONTENT_WEIGHT * ln.confidence)
        pool.remove(ln)
        return
    known = {n: _date_of(fields[n][0].text, _expected(n, mrz)) for n in fields if n in DATE_FIELDS}
    best: tuple[float, dict[str, tuple[_Line, date]]] | None = None
    options: list[tuple[_Line, date] | None] = [*candidates, None]
    for combo in itertools.product(options, repeat=len(missing)):
        chosen = [c for c in combo if c is not None]
        if len({id(c[0]) for c in chosen}) != len(chosen):
            continue
        trial = dict(zip(missing, combo, strict=True))
        dates = dict(known)
        for n, c in trial.items():
            if c is not None:
                dates[n] = c[1]
        score = float(len(chosen))
        # an expiry date is printed on every side that has dates, an issue date often is not
        score += sum(PRINTED_MORE_OFTEN.get(n, 0.0) for n, c in trial.items() if c is not None)
        order = [dates.get(n) for n in DATE_FIELDS]
        present = [d for d in order if d is not None]
        if present != sorted(present):
            score -= 10.0
        for n, c in trial.items():
            expect = _expected(n, mrz)
            if c is not None and expect is not None:
                score -= 0.01 * min(1.0, abs((c[1] - expect).days) / 3650)
            if n == "birth_date" and c is not None and _issue_like(c[1], mrz):
                score -= ISSUE_LIKE_PENALTY
            if n == "expiry_date" and c is not None and _an_earlier_date(c[1], mrz):
                score -= ISSUE_LIKE_PENALTY
            if n == "issue_date" and c is not None and mrz is not None:
                score += ANNIVERSARY_BONUS * _whole_years_before(c[1], mrz.expiry_date)
        if best is None or score > best[0]:
            best = (score, {n: c for n, c in trial.items() if c is not None})
    if best is None:
        return
    for n, (ln, _) in best[1].items():
        fields[n] = (ln, CONTENT_WEIGHT * ln.confidence)
        pool.remove(ln)


def _issue_like(day: date, mrz: MrzData | None) -> bool:
    """``day`` is no birth date of this holder but a date of issue (a visa's "valid from"): it
    lies within the document's longest validity before the MRZ's expiry and is decades from the
    MRZ's date of birth, further than a forger moves one, or, for a child, whose birth lies
    within that validity too, more than :data:`MISREAD_DIGITS` digits from it.

    >>> from docfraud.mrz.parse import parse_mrz
    >>> child = parse_mrz(["V<SWEVU<<HUNG<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<",
    ...                    "F9K3145R93VNM1407042M2607281<<<<<<<<<<<<<<<<"])
    >>> _issue_like(date(2026, 2, 11), child), _issue_like(date(2014, 7, 4), child)
    (True, False)
    >>> _issue_like(date(2012, 7, 4), child)  # the year changed: a forger's, still a birth date
    False
    """
    if mrz is None or mrz.birth_date is None or mrz.expiry_date is None:
        return False
    within_validity = 0 <= (mrz.expiry_date - day).days <= 366 * LONGEST_VALIDITY_YEARS
    decades = abs((day - mrz.birth_date).days) > 365 * BIRTH_SHIFT_YEARS
    return within_validity and (decades or _digits_apart(day, mrz.birth_date) > MISREAD_DIGITS)


def _an_earlier_date(day: date, mrz: MrzData | None) -> bool:
    """``day`` is no reading of the MRZ's expiry but an earlier date of the document: before it
    and more than :data:`MISREAD_DIGITS` digits from it. A later date stays a possible expiry
    (a forger extends a validity)."""
    if mrz is None or mrz.expiry_date is None or day >= mrz.expiry_date:
        return False
    return _digits_apart(day, mrz.expiry_date) > MISREAD_DIGITS


def _digits_apart(a: date, b: date) -> int:
    """How many of the eight digits of two dates, written day, month, year, differ."""
    return sum(x != y for x, y in zip(a.strftime("%d%m%Y"), b.strftime("%d%m%Y"), strict=True))


def _field_date(name: str, text: str, mrz: MrzData | None) -> date | None:
    """The date a printed date field holds, a date of issue's misread digits repaired where the
    MRZ's expiry proves them (:func:`_issue_digits`)."""
    if name == "issue_date" and mrz is not None:
        text = _issue_digits(text, mrz.expiry_date)
    return _date_of(text, _expected(name, mrz))


def _issue_digits(text: str, expiry: date | None) -> str:
    """A date of issue with the digits OCR misread or lost put back where the MRZ's expiry
    proves them (:func:`_closed_digits`, :func:`_lost_day_digit`)."""
    return _lost_day_digit(_closed_digits(text, expiry), expiry)


def _closed_digits(text: str, expiry: date | None) -> str:
    """A date of issue that reads as no date because OCR took one or two of its digits for the
    ones blur makes of them — a small face's 0 or 3, its counter closed, read as 6, 8 or 9
    (``18.65.2023``, ``24.06.2625``, ``98/06/2021``) — with them put back where one choice
    alone, of the fewest changes, makes it a whole number of years before ``expiry``. A date
    that reads as one is kept as read: a forger's clean digits are never turned into ones that
    fit; so is one that the same repair makes the expiry itself (``92/06/2026``, the expiry's
    line, is no issue of 02/06/2020).

    >>> _closed_digits("18.65.2023", date(2033, 5, 17)), _closed_digits("69.65.2023", None)
    ('18.05.2023', '69.65.2023')
    >>> _closed_digits("24.06.2625", date(2030, 6, 23))
    '24.06.2025'
    >>> _closed_digits("98/06/2021", date(2026, 6, 2))  # a 0 and a 3
    '03/06/2021'
    >>> _closed_digits("18.06.2023", date(2033, 6, 17))  # a date: as read
    '18.06.2023'
    >>> _closed_digits("92/06/2026", date(2026, 6, 2))  # the expiry with a zero misread
    '92/06/2026'
    """
    if expiry is None or not _DIGIT_DATE.fullmatch(text) or _date_of(text, None) is not None:
        return text
    spots = [i for i, c in enumerate(text) if c in CLOSED_DIGITS]
    fewest: dict[date, str] = {}
    for changes in (1, 2):
        options: dict[date, str] = {}
        for chosen in itertools.combinations(spots, changes):
            for digits in itertools.product(*(CLOSED_DIGITS[text[i]] for i in chosen)):
                swap = dict(zip(chosen, digits, strict=True))
                repaired = "".join(swap.get(i, c) for i, c in enumerate(text))
                day = _date_of(repaired, None)
                if day == expiry:
                    return text
                if day is not None and _whole_years_before(day, expiry):
                    options[day] = repaired
        fewest = fewest or options
    return next(iter(fewest.values())) if len(fewest) == 1 else text


def _lost_day_digit(text: str, expiry: date | None) -> str:
    """A date of issue read with a one-digit day, with the digit OCR lost put back where one
    choice alone makes it a whole number of years before ``expiry``: Doc 9303 Part 3 prints
    days in two digits (``3/03/2023``, of 13/03/2023 under a thin 1, is no printed date).

    >>> _lost_day_digit("3/03/2023", date(2028, 3, 12)), _lost_day_digit("3/03/2023", None)
    ('13/03/2023', '3/03/2023')
    >>> _lost_day_digit("2023-03-3", date(2033, 3, 12))
    '2023-03-13'
    >>> _lost_day_digit("7/03/2023", date(2026, 1, 1))  # no lost digit makes it fit: as read
    '7/03/2023'
    """
    read = _date_of(text, None)
    if expiry is None or (read is not None and _whole_years_before(read, expiry)):
        return text
    options: dict[date, str] = {}
    for single in re.finditer(r"(?<!\d)\d(?!\d)", text):
        for lead in "0123":
            repaired = text[: single.start()] + lead + text[single.start() :]
            day = _date_of(repaired, None)
            if day is None or (read is not None and day.year != read.year):
                continue
            if _whole_years_before(day, expiry):
                options[day] = repaired
    return next(iter(options.values())) if len(options) == 1 else text


def _whole_years_before(issued: date, expiry: date | None) -> bool:
    """``issued`` lies a whole number of years (1–10, give or take a few days) before
    ``expiry``: documents are valid for whole years, so such a date is the date of issue."""
    if expiry is None:
        return False
    for years in range(1, 11):
        try:
            anniversary = expiry.replace(year=expiry.year - years)
        except ValueError:  # 29 February
            anniversary = expiry.replace(year=expiry.year - years, day=28)
        if abs((issued - anniversary).days) <= ANNIVERSARY_DAYS:
            return True
    return False


def _likeness(a: str, b: str) -> float:
    return ratio(a, b)


def _others_by_content(
    pool: list[_Line],
    fields: dict[str, tuple[_Line, float]],
    mrz: MrzData | None,
    claimed: list[_Line],
) -> None:
    """Sex by its letters; names and numbers by their likeness to the MRZ (numbers and names
    also among the ``claimed`` values under an ignored caption)."""
    if "sex" not in fields:
        sexes = [ln for ln in pool if parse_sex(ln.text) is not None]
        # a speck read as a letter is no sex: of several, only the surely read, value-sized
        # ones count; one alone, if surely read or value-sized (a margin's "w" is neither)
        if len(sexes) > 1:
            sexes = [
                ln
                for ln in sexes
                if ln.confidence >= MIN_UNANCHORED_CONFIDENCE and _value_sized(ln, fields)
            ]
        else:
            sexes = [
                ln
                for ln in sexes
                if ln.confidence >= MIN_UNANCHORED_CONFIDENCE or _value_sized(ln, fields)
            ]
        if len(sexes) == 1:
            fields["sex"] = (sexes[0], CONTENT_WEIGHT * sexes[0].confidence)
            pool.remove(sexes[0])
    if mrz is None:
        return
    targets = {
        "surname": (mrz.surname, _is_name),
        "given_names": (mrz.given_names, _is_name),
        "document_number": (mrz.document_number, _is_number),
        "personal_number": (mrz.personal_number or mrz.optional_data, _is_number),
        "nationality": (mrz.nationality, lambda t: len(t) <= 3 and t.isalpha()),
    }
    for name, (target, fits) in targets.items():
        target = target.replace("<", "").replace(" ", "")
        if name in fields or not target:
            continue
        extra = claimed if name in ("document_number", "surname", "given_names") else []
        candidates = [ln for ln in [*pool, *extra] if fits(ln.text)]
        if name == "nationality":
            # three letters of a caption ('Wor' of 'Nationality') are like a code too
            candidates = [ln for ln in candidates if _value_sized(ln, fields)]
        if name == "nationality" and "document_number" in fields:
            # the code beside the document number is the issuing state's (ICAO's first row)
            row = fields["document_number"][0]
            candidates = [ln for ln in candidates if abs(ln.cy - row.cy) > 0.5 * row.box[3]]
        scored = [(_likeness(_mrz_form(ln.text), target), ln) for ln in candidates]
        scored = [s for s in scored if s[0] >= MIN_NAME_LIKENESS]
        if not scored:
            continue
        score, line = max(scored, key=lambda s: s[0])
        fields[name] = (line, CONTENT_WEIGHT * line.confidence)
        for group in (pool, claimed):
            if line in group:
                group.remove(line)


def _mrz_form(text: str) -> str:
    """A printed name or number as the MRZ would write it, fillers dropped."""
    if any(c.isdigit() for c in text):
        return normalise(text).replace(" ", "")
    try:
        return to_mrz(text).replace("<", "")
    except ValueError:
        return normalise(text).replace(" ", "")


# --- second reading, output ----------------------------------------------------------------


def _name_lang(mrz: MrzData | None) -> str:
    """The model(s) for names and places: the holder's nationality's, then the issuer's;
    :data:`SCRIPT_LANG` where a State has none, or its model is not installed here.

    ``eng`` after the holder's own model is left out: its letters are A–Z, which every other
    Latin-script model has too, so beside one it can only take marks away (a French holder's
    ``CHLOÉ`` on a Jordanian permit was read ``CHLOE`` by ``fra+eng``).

    >>> _name_lang(None)
    'Latin'
    """
    if mrz is None:
        return SCRIPT_LANG
    installed = installed_models()
    langs: list[str] = []
    for code in (mrz.nationality, mrz.issuing_state):
        code = code.replace("<", "")
        lang = next((k for k, codes in NATIONAL_LANGS.items() if code in codes), SCRIPT_LANG)
        if lang == SCRIPT_LANG or lang not in installed:
            return SCRIPT_LANG
        if lang not in langs and not (langs and lang == "eng"):
            langs.append(lang)
    return "+".join(langs)


def _reread_names(
    fields: dict[str, tuple[_Line, float]],
    work: npt.NDArray[np.uint8],
    lang: str,
    mrz: MrzData | None,
) -> dict[str, tuple[_Line, float]]:
    """Read name-like values again with a model that knows their diacritics (``lang``), from
    grey crops with room above and below the capitals for the accents, cedillas and ogoneks a
    segment's box (the capitals' extent) cuts off.

    The second reading replaces the first when both agree once accents are folded, when it
    joins a word the first split (:func:`_joins_words`), when it is clearly more confident, or,
    for a name, when it spells the MRZ's name and the first does not: ``ÞÓRSSON`` (THORSSON)
    is read less surely than ``PORSSON`` by a model that has no Þ. None of these takes a second
    reading that does not spell the MRZ's name over a first that does.
    """
    names = [n for n in TEXT_FIELDS if n in fields]
    if not names:
        return fields
    crops = [_clean_crop(work, fields[n][0].box) for n in names]
    rows = _ocr(build_collage(crops), lang)
    out = dict(fields)
    for n, words in zip(names, rows, strict=True):
        line, weight = fields[n]
        again = _line(words, line.box, line.index)
        if not again.text:
            continue
        if _second_reading_wins(n, line, again, mrz):
            out[n] = (again, weight)
    return out


def _second_reading_wins(name: str, first: _Line, again: _Line, mrz: MrzData | None) -> bool:
    """Whether the reading with the diacritics' model replaces the first (rules above)."""
    if first.text.isupper() and not again.text.replace("ß", "").isupper():
        return False  # printed in capitals (ß has no common capital): lower case is a misread
    if _spells_mrz(name, first, again, mrz, marks_restored=True):
        return False  # ``WEIB``, WEIß, for WEISS stays where a model without ß read ``WEIL``
    same = normalise(again.text) == normalise(first.text) or _joins_words(again.text, first.text)
    return (
        same or again.confidence > first.confidence + 0.15 or _spells_mrz(name, again, first, mrz)
    )


def _joins_words(again: str, first: str) -> bool:
    """Whether ``again`` reads the letters of ``first`` (accents folded) in fewer words: the
    first reading split a word at a gap between letters (``NURNBE RG``, ``NÜRNBERG``)."""
    unspaced = normalise(again).replace(" ", "") == normalise(first).replace(" ", "")
    return unspaced and again.count(" ") < first.count(" ")


def _spells_mrz(
    name: str, again: _Line, first: _Line, mrz: MrzData | None, *, marks_restored: bool = False
) -> bool:
    """Whether ``again`` is the name as the MRZ writes it, and ``first`` is not; with
    ``marks_restored``, once the marks the MRZ proves are put back (``WEIB``: ``WEIß``)."""
    if mrz is None or name not in NAME_FIELDS:
        return False
    expected = mrz_value(name, mrz)
    target = expected.replace("<", "").replace(" ", "")

    def spelled(text: str) -> str:
        if marks_restored:
            text = restore_marks(text, expected, state=mrz.issuing_state)
        return _mrz_form(text)

    return bool(target) and spelled(again.text) == target != spelled(first.text)


def _confirm(
    fields: dict[str, tuple[_Line, float]], work: npt.NDArray[np.uint8], mrz: MrzData
) -> tuple[dict[str, tuple[_Line, float]], dict[str, list[_Line]]]:
    """Read again, from differently prepared crops, every field whose reading disagrees with
    the MRZ.

    A misread character rarely survives a second reading of another image of the same print; an
    altered field reads the same way every time. A second reading that agrees with the MRZ
    replaces the first (it is as much what is printed there); otherwise the other readings are
    kept, so the checks can tell a disagreement read twice from a doubtful one.

    Returns:
        (fields, field → the other readings of the fields still disagreeing).
    """
    disputed = [
        n
        for n, (line, _) in sorted(fields.items())
        if agrees(n, line.text, _value(n, line.text, mrz), mrz) is False
    ]
    if not disputed:
        return fields, {}
    readings = _read_variants(work, [fields[n][0] for n in disputed])
    out = dict(fields)
    others: dict[str, list[_Line]] = {}
    for n, again in zip(disputed, readings, strict=True):
        line, weight = fields[n]
        agreeing = [a for a in again if agrees(n, a.text, _value(n, a.text, mrz), mrz)]
        if agreeing:
            best = max(agreeing, key=lambda a: a.confidence)
            out[n] = (best, weight * best.confidence / max(line.confidence, 1e-6))
        else:
            others[n] = again
    return out, others


def _find_missing(
    fields: dict[str, tuple[_Line, float]],
    lines: list[_Line],
    work: npt.NDArray[np.uint8],
    mrz: MrzData | None,
    black: Callable[[], npt.NDArray[np.uint8]],
) -> None:
    """One more reading, in one tesseract call, for the fields still missing: the MRZ's values
    among the lines nobody claimed (:func:`_search_plan`), then the place under each caption
    left without a value (:func:`_under_caption_plan`); ``black()`` (the working image of
    :func:`_black_print`, made only then) gives one more image of those places and of the
    searched dates (a stamp over a visa's date of birth, ``JUN/JUIN 2007``, falls away there);
    last, where the date of issue is still missing, the dates whose day a stamp damaged
    (:func:`_damaged_date_plan`)."""
    search = _search_plan(fields, lines, mrz) if mrz is not None else []
    under = _under_caption_plan(fields, lines, work)
    if search or under:
        dates = [name in DATE_FIELDS for name, _ in search]
        readings = _read_variants(
            work,
            [ln for _, ln in search] + [ln for _, ln in under],
            strongest=dates + [True] * len(under),
            black=black() if under or any(dates) else None,
        )
        if mrz is not None:
            _take_searched(fields, search, readings[: len(search)], mrz)
        _take_under_captions(fields, under, readings[len(search) :], mrz)
    damaged = _damaged_date_plan(fields, lines, mrz)
    if damaged:  # in a call of its own: the crops of a call sway how the others are read
        assert mrz is not None
        _take_searched(fields, damaged, _read_variants(work, [ln for _, ln in damaged]), mrz)


def _search_plan(
    fields: dict[str, tuple[_Line, float]], lines: list[_Line], mrz: MrzData
) -> list[tuple[str, _Line]]:
    """The MRZ's dates, number and names that no line was tied to, each with the unclaimed
    lines that resemble it (``25.42.1982`` for 1982-12-25, a number with most of the MRZ's
    characters), a date or number cut down to its digits; and the sex, when one value-sized
    line alone begins with its letter, or, of several, one alone is the letter itself."""
    used = {line.index for line, _ in fields.values()}
    free = [ln for ln in lines if ln.index not in used and match_label(ln.text) is None]
    wanted: list[tuple[str, _Line]] = []
    for name in ("birth_date", "expiry_date", "document_number", "surname", "given_names"):
        target = mrz_value(name, mrz)
        if name in fields or not target:
            continue
        scored = [(_resemblance(name, ln.text, target), ln) for ln in free]
        scored = [s for s in scored if s[0] >= MIN_RESEMBLANCE]
        likely = [ln for _, ln in sorted(scored, key=lambda s: -s[0])[:SEARCH_LINES]]
        if name in DATE_FIELDS:  # its digits and month, not stray ink beside; its day cut off
            likely = [_with_cut_day(_narrowed(ln, _date_word)) for ln in likely]
        elif name == "document_number":
            likely = [_narrowed(ln, lambda word: any(c.isdigit() for c in word)) for ln in likely]
        wanted += [(name, ln) for ln in likely]
    letter = mrz_value("sex", mrz)
    if "sex" not in fields and letter in ("M", "F"):
        marks = [ln for ln in free if _sex_like(ln.text, letter) and _value_sized(ln, fields)]
        if len(marks) > 1:  # the letter itself, alone, over a visa's code V or a speck read as V
            marks = [ln for ln in marks if normalise(ln.text) == letter]
        if len(marks) == 1:  # a letter printed twice on the page is no evidence of either
            wanted.append(("sex", marks[0]))
    return wanted


_MONTH_YEAR_END = re.compile(r"(\d{2})\s?[/.\- ]\s?(\d{4})$")
"""A printed date's numeric month and year, at the end of a line."""


def _damaged_date_plan(
    fields: dict[str, tuple[_Line, float]], lines: list[_Line], mrz: MrzData | None
) -> list[tuple[str, _Line]]:
    """With the date of issue missing and the MRZ's dates to bound it, the free lines that end
    in a month and year but read as no date (``98/06/2021``, ``04/2025``: a stamp over the
    day), widened to the left where the day is missing, for :func:`_take_searched`."""
    if "issue_date" in fields or mrz is None or mrz.birth_date is None:
        return []
    used = {line.index for line, _ in fields.values()}
    plan = []
    for ln in lines:
        end = _MONTH_YEAR_END.search(ln.text.strip())
        if ln.index in used or end is None or _date_of(ln.text, None) is not None:
            continue
        before = ln.text.strip()[: end.start()]
        if sum(c.isdigit() for c in before) < 2:  # the day's digits cut off with the stamp
            x, y, w, h = ln.box
            x0 = max(0, x - round(CUT_DAY_ROOM * h))
            ln = _Line(ln.text, ln.confidence, (x0, y, w + x - x0, h), ln.index)
        plan.append(("issue_date", ln))
    return plan


def _repairs_day(reading: _Line, damaged: _Line, mrz: MrzData) -> bool:
    """Whether ``reading`` is a date with the month and year ``damaged`` read and gives the day
    it lost, within the MRZ's bounds (:func:`_allowed_by_mrz`): what is read is still printed."""
    end = _MONTH_YEAR_END.search(damaged.text.strip())
    day = _date_of(reading.text, None)
    return (
        end is not None
        and day is not None
        and (day.month, day.year) == (int(end.group(1)), int(end.group(2)))
        and _allowed_by_mrz("issue_date", reading.text, mrz)
    )


def _date_word(word: str) -> bool:
    """A word of a printed date: digits, or a month's name (``MAR/MARS``)."""
    return any(c.isdigit() for c in word) or any(
        fold(part)[0] in MONTHS for part in word.split("/") if part
    )


def _with_cut_day(line: _Line) -> _Line:
    """A date line that begins with its month (``MAR/MARS 1943``) widened to the left by room
    for a day: a stamp over the day joined it to the stamp, and the segmentation cut it off."""
    words = line.text.split()
    if not words or any(c.isdigit() for c in words[0]) or not _date_word(words[0]):
        return line
    x, y, w, h = line.box
    x0 = max(0, x - round(CUT_DAY_ROOM * h))
    return _Line(line.text, line.confidence, (x0, y, w + x - x0, h), line.index)


def _sex_like(text: str, letter: str) -> bool:
    """A short reading that begins with a printed form of the MRZ's sex ``letter`` (``Fi``: an
    F with a speck of the background read beside it).

    >>> _sex_like("Fi", "F"), _sex_like("W", "F"), _sex_like("Fax", "F"), _sex_like("M", "F")
    (True, True, False, False)
    """
    letters = normalise(text).replace(" ", "")
    return 1 <= len(letters) <= 2 and _SEX.get(letters[0]) == letter


def _take_searched(
    fields: dict[str, tuple[_Line, float]],
    wanted: list[tuple[str, _Line]],
    readings: list[list[_Line]],
    mrz: MrzData,
) -> None:
    """A searched line read again to agree with the MRZ is the field (a sex mark read surely the
    first time, too); a date of issue whose day a stamp damaged, where two readings give the same
    day (:func:`_repairs_day`). What is found is still what is printed; a field altered after
    issue reads differently every time and stays missing (a skip)."""
    used = {line.index for line, _ in fields.values()}
    for (name, line), again in zip(wanted, readings, strict=True):
        if name in fields or line.index in used:
            continue
        if name == "sex":  # one letter, often not read again at all, or read again alone as
            # another (a lone M cropped tight reads u): a sure first reading counts
            first = [line] if not again or line.confidence >= SURE_LINE else []
            again = [_first_letter(a) for a in [*first, *again]]
        if name == "issue_date":  # no MRZ value to agree with: two readings of the same day
            repairs = [a for a in again if _repairs_day(a, line, mrz)]
            days = [_date_of(a.text, None) for a in repairs]
            agreeing = [a for a, d in zip(repairs, days, strict=True) if days.count(d) >= 2]
        else:
            agreeing = [a for a in again if agrees(name, a.text, _value(name, a.text, mrz), mrz)]
        if agreeing:
            best = max(agreeing, key=lambda a: a.confidence)
            fields[name] = (best, CONTENT_WEIGHT * best.confidence)
            used.add(line.index)


def _first_letter(line: _Line) -> _Line:
    """The line cut to its first character: a sex mark read with a speck beside it (``Fi``)."""
    return _Line(line.text.strip()[:1], line.confidence, line.box, line.index)


def _under_caption_plan(
    fields: dict[str, tuple[_Line, float]], lines: list[_Line], work: npt.NDArray[np.uint8]
) -> list[tuple[str, _Line]]:
    """The place under each caption whose field has no value, clear of the values tied: a
    value the segmentation missed, because a stamp or the portrait's edge runs into it, is
    still printed where its caption says."""
    heights = [ln.box[3] for ln, _ in fields.values()]
    taken = [ln.box for ln, _ in fields.values()]
    wanted: list[tuple[str, _Line]] = []
    for caption in lines:
        match = match_label(caption.text)
        if match is None or match[0] not in UNDER_CAPTION or match[0] in fields:
            continue
        name = match[0]
        if any(n == name for n, _ in wanted):
            continue
        x, y, w, h = caption.box
        vh = float(np.median(heights)) if heights else VALUE_OVER_CAPTION * h
        left = max(0, round(x - 0.3 * vh))
        right = min(work.shape[1], round(x + max(w, UNDER_CAPTION[name] * vh)))
        box = (left, y + h, right - left, min(work.shape[0] - (y + h), round(1.4 * vh)))
        if box[2] < vh or box[3] < 0.6 * vh or any(_share(t, box) > 0.3 for t in taken):
            continue
        wanted.append((name, _Line("", 0.0, box, caption.index)))
    return wanted


def _take_under_captions(
    fields: dict[str, tuple[_Line, float]],
    wanted: list[tuple[str, _Line]],
    readings: list[list[_Line]],
    mrz: MrzData | None,
) -> None:
    """A reading under a caption counts when it looks like the field (a date, letters) and,
    for a field the MRZ holds, agrees with the MRZ; for one it does not, when two of the three
    images of the print read the same value, or for a date of issue, when one reads it surely and
    the MRZ's dates allow it (a stamp the date lies under garbles the other two). Not
    where a value was found meanwhile."""
    for (name, place), again in zip(wanted, readings, strict=True):
        if name in fields or any(_share(ln.box, place.box) > 0.3 for ln, _ in fields.values()):
            continue
        if name in DATE_FIELDS:
            again = [_date_tail(a, name, mrz) for a in again]
        fitting = [a for a in again if _fits(name, a.text, mrz)]
        checked = mrz is not None and name in COMPARED
        if checked:
            assert mrz is not None
            fitting = [a for a in fitting if agrees(name, a.text, _value(name, a.text, mrz), mrz)]
        groups: dict[str, list[_Line]] = {}
        for a in fitting:  # the same value read from two images of the print, or the MRZ's
            key = _value(name, a.text, mrz) if name in DATE_FIELDS else normalise(a.text)
            groups.setdefault(str(key), []).append(a)
        agreed = max(groups.values(), key=len, default=[])
        sure = [
            a
            for a in fitting
            if a.confidence >= SURE_DATE_READING and _allowed_by_mrz(name, a.text, mrz)
        ]
        if len(agreed) >= 2 or checked and agreed:
            best = max(agreed, key=lambda a: a.confidence)
            fields[name] = (best, CONTENT_WEIGHT * best.confidence)
        elif len(sure) == 1:
            fields[name] = (sure[0], CONTENT_WEIGHT * sure[0].confidence)


def _allowed_by_mrz(name: str, text: str, mrz: MrzData | None) -> bool:
    """A date of issue read without a second reading agreeing is kept only between the MRZ's
    date of birth and its date of expiry; with no MRZ to bound it, never."""
    if name != "issue_date" or mrz is None or mrz.birth_date is None or mrz.expiry_date is None:
        return False
    day = _date_of(text, None)
    return day is not None and mrz.birth_date < day < mrz.expiry_date


def _date_tail(line: _Line, name: str, mrz: MrzData | None) -> _Line:
    """A reading cut to the date at its end, when stamp ink before the date was read as
    characters run into its day (``2°402/03/2023``, ``a002/03/2023``)."""
    expected = _expected(name, mrz)
    if parse_date(line.text, expect=expected) is not None:
        return line
    start = _stamp_run_in(line.text, expected)
    return _Line(line.text[start:], line.confidence, line.box, line.index) if start else line


def _share(inner: tuple[int, int, int, int], outer: tuple[int, int, int, int]) -> float:
    """The share of ``inner``'s area inside ``outer``."""
    w = min(inner[0] + inner[2], outer[0] + outer[2]) - max(inner[0], outer[0])
    h = min(inner[1] + inner[3], outer[1] + outer[3]) - max(inner[1], outer[1])
    return max(0, w) * max(0, h) / max(1, inner[2] * inner[3])


def _resemblance(name: str, text: str, target: str) -> float:
    """How much a line no field claimed looks like the MRZ's value of ``name`` (0..1): for a
    date, its digits against the digits of the usual printed forms of the MRZ's date.

    >>> round(_resemblance("birth_date", "25.42.1982", "1982-12-25"), 2)
    0.88
    >>> _resemblance("birth_date", "PU/ZAGREB", "1982-12-25")
    0.0
    """
    if name in DATE_FIELDS:
        digits = re.sub(r"\D", "", text)
        if len(digits) < 4:
            return 0.0
        y, m, d = target.split("-")
        forms = (d + m + y, m + d + y, y + m + d, d + m + y[2:], d + y, d + y[2:])
        return max(ratio(digits, form) for form in forms)
    return ratio(_mrz_form(text), target.replace("<", "").replace(" ", ""))


def _read_variants(
    work: npt.NDArray[np.uint8],
    lines: list[_Line],
    *,
    strongest: Sequence[bool] = (),
    black: npt.NDArray[np.uint8] | None = None,
) -> list[list[_Line]]:
    """Each line read again from :func:`_variant_crops` of its print (one tesseract call for
    all), and where ``strongest`` says so from its darkest ink alone too (:func:`_strongest`),
    in ``work`` and, where given, in ``black``: a stamp as dark as the print in grey but of a
    colour falls away there. The black print's crops are read in a call of their own, as every
    crop in a call sways how tesseract reads the others. The non-empty readings of each, in
    order."""
    marked = [k for k in range(len(lines)) if k < len(strongest) and strongest[k]]
    crops = [_variant_crops(work, ln.box) for ln in lines]
    for k in marked:
        crops[k].append(_strongest(crops[k][0]))
    out = _read_crops(lines, crops)
    if black is None:
        return out
    black_crops = [
        [_strongest(_clean_crop(black, lines[k].box, VARIANT_HEIGHTS[0], accents=False))]
        for k in marked
    ]
    for k, more in zip(marked, _read_crops([lines[k] for k in marked], black_crops), strict=True):
        out[k] += more
    return out


def _read_crops(lines: list[_Line], crops: list[list[npt.NDArray[np.uint8]]]) -> list[list[_Line]]:
    """Each line's crops read in one tesseract call: the non-empty readings of each."""
    if not lines:
        return []
    rows = _ocr(build_collage([c for group in crops for c in group]), LANG)
    out: list[list[_Line]] = []
    k = 0
    for line, group in zip(lines, crops, strict=True):
        again = [_line(words, line.box, line.index) for words in rows[k : k + len(group)]]
        out.append([a for a in again if a.text])
        k += len(group)
    return out


def _strongest(crop: npt.NDArray[np.uint8]) -> npt.NDArray[np.uint8]:
    """A cleaned crop with only its darkest ink (Otsu's cut among the inked pixels): a stamp
    in lighter ink than the print it overlaps falls away."""
    inked = crop[crop < INKED]
    if inked.size < 16:
        return crop
    cut, _ = cv2.threshold(
        np.ascontiguousarray(inked.reshape(-1, 1)), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU
    )
    return np.where(crop <= cut, crop, 255).astype(np.uint8)


def _variant_crops(
    work: npt.NDArray[np.uint8], box: tuple[int, int, int, int]
) -> list[npt.NDArray[np.uint8]]:
    """Two more images of one segment for a second reading, unlike the first reading's: the
    print cleaned around the segment (not page-wide) at a larger letter height, and the grey
    print itself, only contrast-stretched."""
    return [
        _clean_crop(work, box, VARIANT_HEIGHTS[0], accents=False),
        _grey_crop(work, box, VARIANT_HEIGHTS[1]),
    ]


def _clean_crop(
    work: npt.NDArray[np.uint8],
    box: tuple[int, int, int, int],
    height: int = ROW_HEIGHT,
    *,
    accents: bool = True,
) -> npt.NDArray[np.uint8]:
    """A segment's print cleaned of the background as :mod:`~docfraud.ocr.textlines` cleans
    it (black-hat less the paper level, here measured around the segment), at ``height`` px
    capitals; ``accents``: with room above and below the capitals for accents, cedillas and
    ogoneks, which the segment's box (the capitals' extent) cuts off."""
    x, y, w, h = box
    k = max(9, int(round(h * 1.6)) | 1)
    room = ACCENT_ROOM if accents else PLAIN_ROOM
    top, bottom = round(room * h), round(room * h / 2)
    x0, x1 = max(0, x - max(2, h // 3)), min(work.shape[1], x + w + max(2, h // 3))
    y0, y1 = max(0, y - top), min(work.shape[0], y + h + bottom)
    mx0, mx1 = max(0, x0 - k), min(work.shape[1], x1 + k)
    my0, my1 = max(0, y0 - k), min(work.shape[0], y1 + k)
    region = work[my0:my1, mx0:mx1]
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (k, k))
    blackhat = np.asarray(cv2.morphologyEx(region, cv2.MORPH_BLACKHAT, kernel), dtype=np.uint8)
    flat = np.clip(blackhat.astype(np.float32) - paper_level(blackhat), 0, None)
    crop = flat[y0 - my0 : y1 - my0, x0 - mx0 : x1 - mx0]
    scale = height / max(1, h)
    big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    stretched = big * (255.0 / max(1.0, float(big.max())))
    return np.asarray(255 - np.clip(stretched, 0, 255), dtype=np.uint8)


def _grey_crop(
    work: npt.NDArray[np.uint8], box: tuple[int, int, int, int], height: int
) -> npt.NDArray[np.uint8]:
    """The segment's grey print, padded, scaled to ``height`` px letters, contrast-stretched."""
    x, y, w, h = box
    pad_x, pad_y = max(2, h // 3), max(2, round(h / 5))
    crop = work[max(0, y - pad_y) : y + h + pad_y, max(0, x - pad_x) : x + w + pad_x]
    return _stretched(crop, height / max(1, h))


def _stretched(crop: npt.NDArray[np.uint8], scale: float) -> npt.NDArray[np.uint8]:
    """``crop`` scaled by ``scale``, its grey levels stretched over 0–255 (2nd–98th centile)."""
    big = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
    lo, hi = np.percentile(big, (2, 98))
    stretched = (big.astype(np.float32) - lo) * (255.0 / max(1.0, float(hi - lo)))
    return np.asarray(np.clip(stretched, 0, 255), dtype=np.uint8)


def _value(name: str, text: str, mrz: MrzData | None) -> str | None:
    if name in DATE_FIELDS:
        found = _field_date(name, text, mrz)
        return found.isoformat() if found else None
    if name == "sex":
        return parse_sex(text)
    if name == "nationality":
        return text.upper()
    if name in ("document_number", "personal_number"):
        return text
    return text


def _reading(
    name: str,
    line: _Line,
    weight: float,
    mrz: MrzData | None,
    to_input: npt.NDArray[np.float64],
    size: tuple[int, int],
    alternatives: list[_Line],
) -> FieldReading:
    x, y, w, h = line.box
    corners = np.array([[x, y, 1.0], [x + w, y, 1.0], [x + w, y + h, 1.0], [x, y + h, 1.0]])
    mapped = corners @ to_input.T
    points = mapped[:, :2] / mapped[:, 2:3]
    text = line.text
    if mrz is not None and name in ("document_number", "personal_number"):
        text = _mrz_glyphs(text, name, mrz)
    elif name == "document_number":
        text = _series_glyphs(text)
    elif mrz is not None and name in ("surname", "given_names"):
        expected = mrz_value(name, mrz)
        text = restore_marks(
            _without_lower_words(
                _split_word_joined(_spaced_hyphen_closed(text), expected), expected
            ),
            expected,
            state=mrz.issuing_state,
            truncated=name_truncated(mrz),
        )
        text = restore_name_marks(text, (mrz.nationality, mrz.issuing_state))
    elif name in ("birth_place", "authority"):
        text = restore_place_marks(
            _without_stray_start(_capital_tail(text), name),
            mrz.issuing_state if mrz is not None else "",
            official=name == "authority",
        )
    elif name == "nationality":
        text = _code_alone(_plain_code(text), mrz)
    elif name == "issue_date" and mrz is not None:
        text = _issue_digits(text, mrz.expiry_date)
    return FieldReading(
        name=name,
        text=text,
        confidence=round(float(min(1.0, max(0.0, weight))), 3),
        region=Region(0, box_of_points(points, size[0], size[1])),
        value=_value(name, text, mrz),
        alternatives=tuple((alt.text, _value(name, alt.text, mrz)) for alt in alternatives),
    )


def _mrz_glyphs(text: str, name: str, mrz: MrzData) -> str:
    """A printed number with the glyphs OCR cannot tell apart (O and 0, I and 1, Z and 2…) as
    the MRZ spells them, where its check digit proves the MRZ's reading.

    The MRZ's OCR-B tells them apart; a visual zone's font often does not. The checks already
    count such a pair as agreeing (:func:`~docfraud.mrz.printed.agrees`), so nothing they report
    changes: only the number shown is the one printed. Spaces and other marks stay as read.

    >>> from docfraud.mrz.parse import parse_mrz
    >>> data = parse_mrz(["P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    ...                   "L898902C36UTO7408122F1204159ZE184226B<<<<<10"])
    >>> _mrz_glyphs("L8989O2C3", "document_number", data)
    'L898902C3'
    >>> _mrz_glyphs("L8989O2C", "document_number", data)  # a glyph missing: left as read
    'L8989O2C'
    >>> _mrz_glyphs("l898902c3", "document_number", data)  # the MRZ's capitals, not OCR's case
    'L898902C3'
    """
    expected = mrz_value(name, mrz)
    check = mrz.check(name) or mrz.check("composite")
    if check is None or not check.valid or len(alnum(text)) != len(expected):
        return text
    if fold_digits(text) != fold_digits(expected) or re.sub(r"[\W_]", "", text) == expected:
        return text
    out, used = [], 0
    for ch in text:
        size = len(alnum(ch))
        out.append(expected[used : used + size] if size else ch)
        used += size
    return "".join(out)


_LOWER_DIGITS = str.maketrans({"o": "0", "l": "1"})
_CAPITAL_DIGITS = str.maketrans({"O": "0", "I": "1"})


def _series_glyphs(text: str) -> str:
    """A document number read without an MRZ, in capitals, with O and I as the digits 0 and 1.

    Issuers leave the letters that pass for digits out of their number series (German passports
    use no vowel, Dutch ones no O), and in a sans-serif face O and 0 are drawn nearly alike, so
    OCR's choice between them is a guess that the series settles. Where the MRZ is read,
    :func:`_mrz_glyphs` spells the number as the MRZ proves it instead.

    >>> _series_glyphs("FRO31749"), _series_glyphs("KOP7563TO"), _series_glyphs("N6P48O9j8")
    ('FR031749', 'K0P7563T0', 'N6P4809J8')
    >>> _series_glyphs("l2345678"), _series_glyphs("AB 12I 456")
    ('12345678', 'AB 121 456')
    """
    return text.translate(_LOWER_DIGITS).upper().translate(_CAPITAL_DIGITS)


def _without_lower_words(text: str, expected: str) -> str:
    """A name without the words at its ends that hold no capital (``yp HUGO``: a speck or a
    smudge read as a word, surely enough to pass for one), where what is left is the MRZ's name
    and the whole was not. A particle printed in lower case (``van der BERG``) is part of the
    MRZ's name, so it stays.

    >>> _without_lower_words("yp HUGO", "HUGO")
    'HUGO'
    >>> _without_lower_words("van der BERG", "VAN DER BERG")
    'van der BERG'
    """
    words = text.split()
    while words and not any(c.isupper() for c in words[0]):
        words.pop(0)
    while words and not any(c.isupper() for c in words[-1]):
        words.pop()
    trimmed = " ".join(words)
    if not trimmed or trimmed == text.strip():
        return text
    if compare_names(text, expected).outcome == "same":
        return text
    return trimmed if compare_names(trimmed, expected).outcome == "same" else text


def _plain_code(text: str) -> str:
    """A nationality printed as an ICAO code without the marks OCR put on it: a code is written
    in A–Z only (Doc 9303 Part 3), so ``ÜTO`` is UTO with a speck of the background read as a
    diaeresis (the ``Latin`` model that reads names again reads marks into shapes readily).
    A nationality written as a word keeps its marks (``FRANÇAISE``).

    >>> _plain_code("ÚTO"), _plain_code("D"), _plain_code("FRANÇAISE"), _plain_code("ÜT0")
    ('UTO', 'D', 'FRANÇAISE', 'ÜT0')
    """
    plain = places_fold(text.strip())
    if text.strip().isupper() and re.fullmatch(r"[A-Z]{1,3}", plain) and lookup_state(plain):
        return plain
    return text


def _code_alone(text: str, mrz: MrzData | None) -> str:
    """A nationality read as the MRZ's code followed by other words: the code, as printed. A
    code is printed alone; what follows it on the segment is a caption or another field the
    segmentation joined to it (``SYR JAG NADONBNLY``). A nationality word stays whole
    (``BRITISH CITIZEN``).

    >>> from docfraud.mrz.parse import parse_mrz
    >>> data = parse_mrz(["P<SYRHADDAD<<BILAL<<<<<<<<<<<<<<<<<<<<<<<<<<",
    ...                   "N123456784SYR9003257M2803118<<<<<<<<<<<<<<02"])
    >>> _code_alone("SYR JAG NADONBNLY", data), _code_alone("SYRIAN ARAB", data)
    ('SYR', 'SYRIAN ARAB')
    """
    words = text.split()
    if mrz is None or len(words) < 2 or words[0] != mrz.nationality.replace("<", ""):
        return text
    return words[0]


def _capital_tail(text: str) -> str:
    """A value printed in capitals without the words before it that are not: a caption or a
    signature beside it that the segmentation joined to it (``Holder's signature ICISLERI``).
    One such word alone is dropped only when it has no capital at all (a misread capital word,
    ``CiVit``, has some).

    >>> _capital_tail("Firma del titolare / Holder's sig ICISLERI BAKANLIGI")
    'ICISLERI BAKANLIGI'
    >>> _capital_tail("CiVit STATUS DEPARTMENT"), _capital_tail("Civil Registry Lagos")
    ('CiVit STATUS DEPARTMENT', 'Civil Registry Lagos')
    >>> _capital_tail("imnaiguniaienareee PRÉFECTURE DE PARIS")
    'PRÉFECTURE DE PARIS'

    A speck after it read as a short word with a small letter goes too:

    >>> _capital_tail("ANYDER Ea"), _capital_tail("PRAHA 1"), _capital_tail("Ea")
    ('ANYDER', 'PRAHA 1', 'Ea')
    """
    words = text.split()
    while len(words) > 1 and len(words[-1]) <= 2 and any(c.islower() for c in words[-1]):
        words.pop()  # a speck after it read as a small word: "ANYDER Ea" (not "PRAHA 1")
    text = " ".join(words)
    start = len(words)
    while start > 0 and _capital_word(words[start - 1]):
        start -= 1
    if start == 0 or start == len(words):
        return text
    if start == 1 and any(c.isupper() for c in words[0]):
        return text
    return " ".join(words[start:])


def _without_stray_start(text: str, name: str) -> str:
    """A place or an authority without the one or two glyphs OCR read before its first word from
    a speck or a rule (``YVURZAD MIASTA``, ``S/POLITIET``, ``NORLÉANS``): only where the word
    without them is a known town or official word (an authority's, by its beginning too) and the
    word as read is none, nor a word of any town's name (``TAMPERE`` keeps its ``T``).

    >>> _without_stray_start("S/POLITIET TROMSØ", "authority")
    'POLITIET TROMSØ'
    >>> [_without_stray_start(town, "birth_place") for town in ("NORLÉANS", "TAMPERE")]
    ['ORLÉANS', 'TAMPERE']
    """
    first, _, rest = text.partition(" ")

    def known(word: str) -> bool:
        official = name == "authority" and normalise(word).startswith(AUTHORITY_STEMS)
        return word[0].isalpha() and (official or known_word(word))

    if not first or known(first) or town_word(first):
        return text
    for cut in (1, 2):
        if len(first) - cut >= MIN_STRAY_CUT_LETTERS and known(first[cut:]):
            return f"{first[cut:]} {rest}".rstrip()
    return text


def _capital_word(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return (
        bool(letters)
        and all(c.isupper() for c in letters)
        and all(c.isalnum() or c in "-.'’/()," for c in word)
    )


def _is_specimen(text: str) -> bool:
    return any(word in SPECIMEN_WORDS for word in normalise(text).split())
