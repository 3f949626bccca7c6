"""Fictional travel-document designs: layout, inks, fonts, labels and print conventions.

Each :class:`TemplateSpec` is one design, the way a state's passport data page or ID card looks:
its ICAO size (Doc 9303 Parts 4-7), the pre-print (:class:`~docfraud.synth.security
.BackgroundRecipe`), where every field is printed (millimetres from the top-left corner), which two
languages its labels use, which fonts print its labels and values, how it writes dates, sex and
nationality, and which security features it carries. The designs are invented; the conventions
(bilingual labels, "14 MAR/MARS 1990" dates, "V/F" sex, ghost portraits, seals over the photo
corner) are the ones real documents use, so a model trained on them meets familiar variety.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final
from zlib import crc32

from docfraud.mrz.spec import MrzFormat
from docfraud.synth.records import DocKind, Side
from docfraud.synth.security import BackgroundRecipe, ColourScheme, Rgb

ICAO_SIZE_MM: Final = MappingProxyType(
    {
        MrzFormat.TD3: (125.0, 88.0),
        MrzFormat.TD1: (85.6, 54.0),
        MrzFormat.TD2: (105.0, 74.0),
        MrzFormat.MRVA: (120.0, 80.0),
        MrzFormat.MRVB: (105.0, 74.0),
    }
)
"""Nominal document sizes, (width, height) mm: Part 4 §2.3, Part 5 §2.3, Part 6 §2.3, Part 7."""

_FIELDS = (
    "document_code",
    "issuing_state",
    "document_number",
    "surname",
    "given_names",
    "nationality",
    "birth_date",
    "sex",
    "birth_place",
    "issue_date",
    "expiry_date",
    "authority",
    "personal_number",
    "signature",
)

_LABEL_ROWS: dict[str, tuple[str, ...]] = {
    # in the order of _FIELDS; document_number is the passport wording, see _NUMBER_LABELS
    "en": (
        "Type", "Code", "Passport No.", "Surname", "Given names", "Nationality",
        "Date of birth", "Sex", "Place of birth", "Date of issue", "Date of expiry",
        "Authority", "Personal No.", "Holder's signature",
    ),
    "fr": (
        "Type", "Code", "Passeport N°", "Nom", "Prénoms", "Nationalité",
        "Date de naissance", "Sexe", "Lieu de naissance", "Date de délivrance",
        "Date d'expiration", "Autorité", "N° personnel", "Signature du titulaire",
    ),
    "de": (
        "Typ", "Kode", "Pass-Nr.", "Name", "Vornamen", "Staatsangehörigkeit",
        "Geburtsdatum", "Geschlecht", "Geburtsort", "Ausstellungsdatum", "Gültig bis",
        "Behörde", "Persönliche Nr.", "Unterschrift des Inhabers",
    ),
    "es": (
        "Tipo", "Código", "Pasaporte N.º", "Apellidos", "Nombre", "Nacionalidad",
        "Fecha de nacimiento", "Sexo", "Lugar de nacimiento", "Fecha de expedición",
        "Fecha de caducidad", "Autoridad", "N.º personal", "Firma del titular",
    ),
    "it": (
        "Tipo", "Codice", "Passaporto N.", "Cognome", "Nome", "Cittadinanza",
        "Data di nascita", "Sesso", "Luogo di nascita", "Data di rilascio",
        "Data di scadenza", "Autorità", "Codice personale", "Firma del titolare",
    ),
    "nl": (
        "Soort", "Code", "Paspoortnr.", "Naam", "Voornamen", "Nationaliteit",
        "Geboortedatum", "Geslacht", "Geboorteplaats", "Datum van afgifte", "Geldig tot",
        "Instantie", "Persoonsnr.", "Handtekening houder",
    ),
    "pt": (
        "Tipo", "Código", "Passaporte N.º", "Apelido", "Nome próprio", "Nacionalidade",
        "Data de nascimento", "Sexo", "Local de nascimento", "Data de emissão",
        "Data de validade", "Autoridade", "N.º pessoal", "Assinatura do titular",
    ),
}  # fmt: skip

LABELS: Final = MappingProxyType(
    {
        lang: MappingProxyType(dict(zip(_FIELDS, row, strict=True)))
        for lang, row in _LABEL_ROWS.items()
    }
)
"""Field label per language, as printed above the value."""

_NUMBER_LABELS = {  # (card or permit, visa) wording of document_number
    "en": ("Document No.", "Number"),
    "fr": ("N° du document", "Numéro"),
    "de": ("Dokumentennr.", "Nummer"),
    "es": ("N.º de documento", "Número"),
    "it": ("N. documento", "Numero"),
    "nl": ("Documentnr.", "Nummer"),
    "pt": ("N.º do documento", "Número"),
}

_VISA_LABELS = {  # visas call the dates and the type differently
    "en": {"issue_date": "Valid from", "expiry_date": "Until", "document_code": "Type of visa",
           "authority": "Issued in"},
    "fr": {"issue_date": "Valable du", "expiry_date": "Au", "document_code": "Type de visa",
           "authority": "Délivré à"},
    "de": {"issue_date": "Gültig vom", "expiry_date": "Bis", "document_code": "Visumtyp",
           "authority": "Ausgestellt in"},
    "es": {"issue_date": "Válido desde", "expiry_date": "Hasta", "document_code": "Tipo de visado",
           "authority": "Expedido en"},
    "it": {"issue_date": "Valido dal", "expiry_date": "Al", "document_code": "Tipo di visto",
           "authority": "Rilasciato a"},
    "nl": {"issue_date": "Geldig van", "expiry_date": "Tot", "document_code": "Soort visum",
           "authority": "Afgegeven te"},
    "pt": {"issue_date": "Válido de", "expiry_date": "Até", "document_code": "Tipo de visto",
           "authority": "Emitido em"},
}  # fmt: skip

MONTHS: Final = MappingProxyType(
    {
        "en": ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"),
        "fr": ("JANV", "FÉVR", "MARS", "AVR", "MAI", "JUIN", "JUIL", "AOÛT", "SEPT", "OCT", "NOV",
               "DÉC"),
        "de": ("JAN", "FEB", "MÄR", "APR", "MAI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEZ"),
        "es": ("ENE", "FEB", "MAR", "ABR", "MAY", "JUN", "JUL", "AGO", "SEP", "OCT", "NOV", "DIC"),
        "it": ("GEN", "FEB", "MAR", "APR", "MAG", "GIU", "LUG", "AGO", "SET", "OTT", "NOV", "DIC"),
        "nl": ("JAN", "FEB", "MRT", "APR", "MEI", "JUN", "JUL", "AUG", "SEP", "OKT", "NOV", "DEC"),
        "pt": ("JAN", "FEV", "MAR", "ABR", "MAI", "JUN", "JUL", "AGO", "SET", "OUT", "NOV", "DEZ"),
    }
)  # fmt: skip
"""Month abbreviations as passports print them, per language."""

_SEX_LETTERS = {"nl": {"F": "V"}, "de": {"F": "W"}}
"""Where a language writes sex with another letter (Dutch Vrouw, German weiblich)."""

STATE_NAMES: Final = MappingProxyType(
    {
        "UTO": ("UTOPIA", "UTOPIAN"),
        "D": ("DEUTSCHLAND", "GERMAN"),
        "AUT": ("ÖSTERREICH", "AUSTRIAN"),
        "FRA": ("FRANCE", "FRENCH"),
        "BEL": ("BELGIQUE", "BELGIAN"),
        "ESP": ("ESPAÑA", "SPANISH"),
        "NOR": ("NORGE", "NORWEGIAN"),
        "SWE": ("SVERIGE", "SWEDISH"),
        "TUR": ("TÜRKİYE", "TURKISH"),
        "POL": ("POLSKA", "POLISH"),
        "VNM": ("VIỆT NAM", "VIETNAMESE"),
        "IRL": ("IRELAND", "IRISH"),
        "NGA": ("NIGERIA", "NIGERIAN"),
        "JOR": ("JORDAN", "JORDANIAN"),
        "SYR": ("SYRIA", "SYRIAN"),
        "ITA": ("ITALIA", "ITALIAN"),
        "NLD": ("NEDERLAND", "DUTCH"),
        "PRT": ("PORTUGAL", "PORTUGUESE"),
        "GBR": ("UNITED KINGDOM", "BRITISH CITIZEN"),
        "CHE": ("SCHWEIZ", "SWISS"),
        "DNK": ("DANMARK", "DANISH"),
        "FIN": ("SUOMI", "FINNISH"),
        "GRC": ("HELLAS", "HELLENIC"),
        "CZE": ("ČESKÁ REPUBLIKA", "CZECH"),
        "ROU": ("ROMÂNIA", "ROMANIAN"),
        "UKR": ("UKRAINE", "UKRAINIAN"),
        "MAR": ("MAROC", "MOROCCAN"),
        "IND": ("INDIA", "INDIAN"),
        "CHN": ("CHINA", "CHINESE"),
        "BRA": ("BRASIL", "BRAZILIAN"),
        "USA": ("UNITED STATES", "AMERICAN"),
        "CAN": ("CANADA", "CANADIAN"),
    }
)
"""ICAO code -> (state name as printed in a title, nationality as printed in English)."""


class DateStyle(StrEnum):
    """How a design prints dates; the examples are 14 March 1990."""

    MONTH_BILINGUAL = "month_bilingual"
    """``14 MAR/MARS 1990`` (the month in both label languages; once when they agree)."""
    MONTH_BILINGUAL_SHORT = "month_bilingual_short"
    """``14 MÄR/MAR 90``."""
    DOTS = "dots"
    """``14.03.1990``."""
    SPACES = "spaces"
    """``14 03 1990``."""
    SLASHES = "slashes"
    """``14/03/1990``."""
    ISO = "iso"
    """``1990-03-14``."""


class PortraitShape(StrEnum):
    RECT = "rect"
    """Hard rectangular edge (printed photo)."""
    ROUNDED = "rounded"
    """Rounded corners."""
    VIGNETTE = "vignette"
    """Edges fading into the background (laser-engraved or dye-sublimation portraits)."""


@dataclass(frozen=True, slots=True)
class Rect:
    """A box in millimetres from the top-left corner of the document side."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True, slots=True)
class Slot:
    """One printed field: its label at (x, y) mm, its value below, both within ``w`` mm."""

    field: str
    """A :class:`~docfraud.synth.records.Zone` field name (``surname``, ``birth_date`` ...)."""
    x: float
    y: float
    w: float
    side: Side


@dataclass(frozen=True, slots=True)
class Picture:
    """Where a picture element (portrait, ghost, signature, hologram) goes."""

    box: Rect
    side: Side


@dataclass(frozen=True, slots=True)
class TemplateSpec:
    """One fictional document design. Positions are millimetres from the side's top-left corner.

    Attributes:
        name: unique design name (``td3_azure_left``); the dataset splits by it.
        kind: what the document is.
        mrz_format: its MRZ format, which fixes the size.
        document_codes: MRZ document codes the design is issued with.
        size_mm: (width, height) mm, the ICAO size of ``mrz_format``.
        scheme: inks.
        background: pre-print of the front (or only) side.
        back_background: pre-print of the back side of a two-sided card (None: one side).
        title: document name in the two label languages (``("PASSPORT", "PASSEPORT")``).
        title_xy: top-left (``title_align`` left) or top-centre (centre) of the title block.
        title_align: ``left`` or ``centre``.
        title_font: font of the title block.
        title_mm: em size of the state name; the document name is printed at 0.62 of it.
        languages: the two label languages, national first.
        label_font / value_font: fonts of labels and of personalised values.
        label_mm / value_mm: their em sizes in mm.
        label_join: separator between the two languages of a label.
        label_upper: labels in capitals.
        numbered: labels numbered ``1.``, ``2.`` ... as some states do.
        date_style: how dates are written.
        sex_pair: sex in both languages (``V/F``) instead of one letter.
        nationality_name: nationality as a word (``UTOPIAN``) instead of the code.
        upper_values: names and places in capitals (diacritics kept).
        slots: every printed field.
        portrait: the main portrait.
        ghost: the secondary (ghost) portrait, or None.
        signature: the holder's signature, or None.
        seal: an issuing seal stamped over the portrait's lower inner corner.
        hologram: the holographic foil's area, or None.
        laminate: a laminate (or polycarbonate) sheen.
        portrait_colour: colour portrait (else greyscale, as laser engraving gives).
        portrait_shape: how the portrait's edge looks.
        mrz_side: the side that carries the MRZ.
        number_colour: the document number in its own ink (red on many cards), or None.
        states: issuing-state codes this design is plausibly used for (the dataset may ignore).
    """

    name: str
    kind: DocKind
    mrz_format: MrzFormat
    document_codes: tuple[str, ...]
    size_mm: tuple[float, float]
    scheme: ColourScheme
    background: BackgroundRecipe
    back_background: BackgroundRecipe | None
    title: tuple[str, str]
    title_xy: tuple[float, float]
    title_align: str
    title_font: str
    title_mm: float
    languages: tuple[str, str]
    label_font: str
    value_font: str
    label_mm: float
    value_mm: float
    label_join: str
    label_upper: bool
    numbered: bool
    date_style: DateStyle
    sex_pair: bool
    nationality_name: bool
    upper_values: bool
    slots: tuple[Slot, ...]
    portrait: Picture
    ghost: Picture | None
    signature: Picture | None
    seal: bool
    hologram: Picture | None
    laminate: bool
    portrait_colour: bool
    portrait_shape: PortraitShape
    mrz_side: Side
    number_colour: Rgb | None
    states: tuple[str, ...] = ("UTO",)


def label_text(template: TemplateSpec, field: str) -> str:
    """The label of ``field`` as ``template`` prints it (``"Surname / Nom"``), unnumbered."""
    parts = []
    for lang in template.languages:
        text = LABELS[lang][field]
        if field == "document_number" and template.kind is not DocKind.PASSPORT:
            text = _NUMBER_LABELS[lang][1 if template.kind is DocKind.VISA else 0]
        if template.kind is DocKind.VISA:
            text = _VISA_LABELS[lang].get(field, text)
        parts.append(text)
    if parts[0] == parts[1]:
        parts = parts[:1]
    joined = template.label_join.join(parts)
    return joined.upper() if template.label_upper else joined


def format_date(d: date, style: DateStyle, languages: tuple[str, str]) -> str:
    """``d`` written the way a design prints dates.

    >>> format_date(date(1990, 3, 14), DateStyle.MONTH_BILINGUAL, ("en", "fr"))
    '14 MAR/MARS 1990'
    >>> format_date(date(1990, 3, 14), DateStyle.MONTH_BILINGUAL_SHORT, ("de", "en"))
    '14 MÄR/MAR 90'
    >>> format_date(date(1990, 3, 14), DateStyle.DOTS, ("de", "en"))
    '14.03.1990'
    """
    if style in (DateStyle.MONTH_BILINGUAL, DateStyle.MONTH_BILINGUAL_SHORT):
        months = [MONTHS[lang][d.month - 1] for lang in languages]
        month = months[0] if months[0] == months[1] else "/".join(months)
        year = f"{d.year % 100:02d}" if style is DateStyle.MONTH_BILINGUAL_SHORT else str(d.year)
        return f"{d.day:02d} {month} {year}"
    if style is DateStyle.ISO:
        return d.isoformat()
    sep = {DateStyle.DOTS: ".", DateStyle.SPACES: " ", DateStyle.SLASHES: "/"}[style]
    return f"{d.day:02d}{sep}{d.month:02d}{sep}{d.year}"


def format_sex(sex: str, pair: bool, languages: tuple[str, str]) -> str:
    """``F``, or ``V/F`` where a design prints sex in both languages.

    >>> format_sex("F", True, ("nl", "en"))
    'V/F'
    """
    if not pair:
        return sex
    letters = [_SEX_LETTERS.get(lang, {}).get(sex, sex) for lang in languages]
    return "/".join(letters)


def state_name(code: str) -> str:
    """The state name a title prints for ICAO ``code`` (the code itself if unknown)."""
    names = STATE_NAMES.get(code.rstrip("<"))
    return names[0] if names else code.rstrip("<")


def nationality_text(code: str, as_name: bool) -> str:
    """Nationality as printed: the code, or the English nationality word where known."""
    names = STATE_NAMES.get(code.rstrip("<"))
    return names[1] if as_name and names else code.rstrip("<")


def _rows(
    x0: float,
    x1: float,
    y0: float,
    pitch: float,
    rows: tuple[tuple[str, ...], ...],
    side: Side,
    weights: dict[str, float] | None = None,
    beside: Rect | None = None,
) -> tuple[Slot, ...]:
    """Fields laid out in rows from ``y0``; each row shares [x0, x1] by field weight.

    Rows that reach down into ``beside`` (a ghost portrait at the right) end left of it.
    """
    weights = weights or {}
    slots = []
    for r, row in enumerate(rows):
        y = y0 + r * pitch
        right = x1
        if beside is not None and y + pitch > beside.y and y < beside.y + beside.h:
            right = beside.x - 2.0
        total = sum(weights.get(f, 1.0) for f in row)
        x = x0
        for field in row:
            w = (right - x0) * weights.get(field, 1.0) / total
            slots.append(Slot(field, x, y, w - 1.5, side))
            x += w
    return tuple(slots)


_NARROW = {"document_code": 0.45, "issuing_state": 0.6, "sex": 0.55}


def _seed(name: str, salt: str = "") -> int:
    return crc32(f"{name}/{salt}".encode())


def _scheme(
    paper: Rgb, fountain: tuple[Rgb, ...], inks: tuple[Rgb, ...], text: Rgb, label: Rgb, accent: Rgb
) -> ColourScheme:
    return ColourScheme(paper, fountain, inks, text, label, accent)


AZURE = _scheme(
    (247, 246, 240),
    ((226, 236, 250), (246, 236, 244), (230, 246, 240)),
    ((118, 148, 205), (196, 132, 170), (120, 176, 160)),
    (22, 22, 32),
    (42, 68, 128),
    (30, 62, 138),
)
CRIMSON = _scheme(
    (249, 244, 240),
    ((250, 228, 226), (248, 240, 222), (238, 232, 246)),
    ((206, 120, 128), (214, 170, 110), (150, 130, 190)),
    (30, 24, 24),
    (132, 34, 48),
    (150, 28, 44),
)
JADE = _scheme(
    (245, 248, 240),
    ((226, 244, 232), (240, 246, 220), (226, 238, 246)),
    ((98, 170, 136), (180, 190, 96), (110, 150, 196)),
    (18, 28, 24),
    (30, 96, 70),
    (20, 104, 74),
)
AMBER = _scheme(
    (250, 245, 232),
    ((250, 236, 206), (244, 226, 214), (240, 240, 214)),
    ((196, 150, 90), (190, 120, 110), (150, 160, 110)),
    (34, 26, 18),
    (110, 70, 30),
    (140, 84, 24),
)
VIOLET = _scheme(
    (242, 241, 244),
    ((234, 228, 246), (228, 236, 246), (244, 232, 240)),
    ((150, 130, 190), (120, 150, 196), (190, 140, 180)),
    (40, 38, 44),
    (80, 62, 120),
    (86, 60, 140),
)
SLATE = _scheme(
    (244, 245, 246),
    ((230, 236, 240), (240, 236, 228), (232, 240, 236)),
    ((120, 140, 160), (170, 150, 120), (130, 170, 170)),
    (20, 24, 30),
    (52, 66, 84),
    (40, 60, 90),
)
SKY = _scheme(
    (244, 248, 250),
    ((214, 236, 250), (240, 236, 250), (220, 246, 246)),
    ((96, 160, 214), (160, 140, 214), (90, 190, 190)),
    (16, 24, 40),
    (30, 80, 140),
    (20, 90, 160),
)
ROSE = _scheme(
    (250, 244, 246),
    ((250, 226, 236), (236, 232, 250), (250, 240, 226)),
    ((216, 126, 160), (140, 130, 200), (214, 160, 120)),
    (28, 22, 30),
    (120, 40, 80),
    (150, 40, 90),
)
SAND = _scheme(
    (248, 244, 234),
    ((246, 232, 210), (230, 240, 226), (240, 228, 236)),
    ((200, 160, 110), (120, 170, 130), (180, 130, 150)),
    (26, 24, 20),
    (96, 72, 40),
    (170, 60, 40),
)
MINT = _scheme(
    (244, 250, 246),
    ((220, 246, 234), (236, 236, 250), (246, 246, 222)),
    ((90, 190, 150), (130, 140, 210), (190, 190, 100)),
    (14, 30, 28),
    (24, 100, 90),
    (10, 110, 100),
)
STEEL = _scheme(
    (242, 244, 246),
    ((224, 232, 242), (242, 232, 232), (232, 242, 236)),
    ((110, 130, 170), (180, 120, 120), (120, 160, 140)),
    (22, 22, 26),
    (50, 60, 90),
    (60, 70, 110),
)
OLIVE = _scheme(
    (248, 247, 236),
    ((238, 242, 214), (244, 232, 220), (222, 236, 236)),
    ((150, 160, 80), (190, 140, 100), (100, 150, 150)),
    (26, 28, 18),
    (80, 88, 30),
    (90, 100, 30),
)
PLUM = _scheme(
    (248, 244, 248),
    ((240, 226, 244), (226, 238, 246), (246, 240, 226)),
    ((160, 100, 160), (100, 150, 190), (200, 150, 110)),
    (30, 20, 34),
    (90, 40, 100),
    (110, 40, 120),
)
TEAL = _scheme(
    (246, 248, 246),
    ((222, 242, 242), (244, 238, 224), (238, 230, 246)),
    ((80, 160, 170), (200, 160, 100), (150, 120, 190)),
    (18, 26, 30),
    (20, 90, 100),
    (16, 100, 110),
)
OCHRE = _scheme(
    (250, 247, 236),
    ((250, 238, 210), (236, 244, 224), (246, 228, 228)),
    ((210, 170, 80), (120, 170, 120), (200, 120, 120)),
    (30, 24, 16),
    (120, 80, 20),
    (150, 90, 10),
)


def _td3_recipe(name: str, **kw: Any) -> BackgroundRecipe:
    base = BackgroundRecipe(
        seed=_seed(name),
        wave_families=2,
        wave_pitch_mm=0.8,
        ropes_mm=(12.5,),
        rope_height_mm=4.5,
        microprint="",
        microprint_rows_mm=(63.8,),
        microprint_frame_mm=1.2,
        emblem_seed=_seed(name, "emblem"),
        emblem_mm=(9.5, 6.5, 10.0),
        watermark_mm=(80.0, 40.0, 42.0),
    )
    return replace(base, **kw)


def _td3(
    name: str,
    *,
    scheme: ColourScheme,
    portrait_right: bool,
    layout: str,
    languages: tuple[str, str],
    title: tuple[str, str],
    fonts: tuple[str, str, str],
    date_style: DateStyle,
    recipe: BackgroundRecipe,
    ghost: bool,
    seal: bool,
    laminate: bool,
    hologram: bool,
    portrait_colour: bool,
    shape: PortraitShape,
    sex_pair: bool = False,
    nationality_name: bool = True,
    numbered: bool = False,
    label_upper: bool = False,
    label_join: str = " / ",
    number_colour: Rgb | None = None,
    states: tuple[str, ...] = ("UTO",),
) -> TemplateSpec:
    """A TD3 passport data page: VIZ above the 23.2 mm MRZ band (Part 4 §3)."""
    side = Side.PAGE
    if portrait_right:
        portrait = Rect(88.5, 14.5, 32.0, 41.0)
        fx0, fx1 = 4.0, 85.0
    else:
        portrait = Rect(4.5, 14.5, 32.0, 41.0)
        fx0, fx1 = 40.5, 121.0
    if layout == "list":  # ICAO Figure A-1 style: one field a row, short fields paired
        rows: tuple[tuple[str, ...], ...] = (
            ("document_code", "issuing_state", "document_number"),
            ("surname",),
            ("given_names",),
            ("nationality", "birth_date"),
            ("sex", "birth_place"),
            ("issue_date", "personal_number"),
            ("expiry_date",),
            ("authority",),
        )
        pitch, y0 = 6.2, 13.8
    elif layout == "grid":
        rows = (
            ("document_code", "issuing_state", "document_number"),
            ("surname",),
            ("given_names",),
            ("nationality", "birth_date"),
            ("sex", "birth_place"),
            ("issue_date", "expiry_date"),
            ("authority", "personal_number"),
        )
        pitch, y0 = 6.8, 14.0
    else:  # "compact": three columns
        rows = (
            ("document_code", "issuing_state", "document_number"),
            ("surname",),
            ("given_names",),
            ("nationality", "birth_date", "sex"),
            ("birth_place", "personal_number"),
            ("issue_date", "expiry_date"),
            ("authority",),
        )
        pitch, y0 = 6.6, 14.5
    ghost_box = Rect(fx1 - 17.0, 36.0, 17.0, 22.0)
    beside = ghost_box if ghost else None
    slots = _rows(fx0, fx1, y0, pitch, rows, side, _NARROW, beside)
    signature = Picture(Rect(portrait.x, 58.0, portrait.w, 6.0), side)
    ghost_pic = Picture(ghost_box, side) if ghost else None
    holo = Picture(Rect(portrait.x - 2, portrait.y + 12, 60.0, 36.0), side) if hologram else None
    return TemplateSpec(
        name=name,
        kind=DocKind.PASSPORT,
        mrz_format=MrzFormat.TD3,
        document_codes=("P",),
        size_mm=ICAO_SIZE_MM[MrzFormat.TD3],
        scheme=scheme,
        background=recipe,
        back_background=None,
        title=title,
        title_xy=(62.5, 2.2) if portrait_right else (17.0, 2.0),
        title_align="centre" if portrait_right else "left",
        title_font=fonts[0],
        title_mm=4.2,
        languages=languages,
        label_font=fonts[1],
        value_font=fonts[2],
        label_mm=1.75,
        value_mm=3.1,
        label_join=label_join,
        label_upper=label_upper,
        numbered=numbered,
        date_style=date_style,
        sex_pair=sex_pair,
        nationality_name=nationality_name,
        upper_values=True,
        slots=slots,
        portrait=Picture(portrait, side),
        ghost=ghost_pic,
        signature=signature,
        seal=seal,
        hologram=holo,
        laminate=laminate,
        portrait_colour=portrait_colour,
        portrait_shape=shape,
        mrz_side=side,
        number_colour=number_colour,
        states=states,
    )


def _card_recipe(name: str, salt: str, **kw: Any) -> BackgroundRecipe:
    base = BackgroundRecipe(
        seed=_seed(name, salt),
        wave_families=2,
        wave_pitch_mm=0.7,
        wave_opacity=0.38,
        rope_height_mm=3.5,
        microprint_frame_mm=1.0,
        emblem_seed=_seed(name, "emblem"),
        fibres=14,
    )
    return replace(base, **kw)


def _td1(
    name: str,
    *,
    kind: DocKind,
    codes: tuple[str, ...],
    scheme: ColourScheme,
    languages: tuple[str, str],
    title: tuple[str, str],
    fonts: tuple[str, str, str],
    date_style: DateStyle,
    front: BackgroundRecipe,
    back: BackgroundRecipe,
    ghost: bool,
    seal: bool,
    hologram: bool,
    portrait_colour: bool,
    shape: PortraitShape,
    number_colour: Rgb | None,
    sex_pair: bool = False,
    nationality_name: bool = False,
    upper_values: bool = True,
    label_upper: bool = False,
    label_join: str = " / ",
    states: tuple[str, ...] = ("UTO",),
) -> TemplateSpec:
    """A TD1 card: portrait and names on the front, the three-line MRZ on the back (Part 5)."""
    f, b = Side.FRONT, Side.BACK
    front_rows: tuple[tuple[str, ...], ...] = (
        ("surname",),
        ("given_names",),
        ("sex", "nationality", "birth_date"),
        ("document_number", "expiry_date"),
    )
    slots = _rows(31.0, 84.0, 11.0, 5.6, front_rows, f, _NARROW)
    back_rows: tuple[tuple[str, ...], ...] = (
        ("birth_place", "issue_date"),
        ("authority",),
        ("personal_number",),
    )
    slots += _rows(4.0, 82.0, 4.0, 6.4, back_rows, b)
    return TemplateSpec(
        name=name,
        kind=kind,
        mrz_format=MrzFormat.TD1,
        document_codes=codes,
        size_mm=ICAO_SIZE_MM[MrzFormat.TD1],
        scheme=scheme,
        background=front,
        back_background=back,
        title=title,
        title_xy=(14.0, 1.6),
        title_align="left",
        title_font=fonts[0],
        title_mm=3.4,
        languages=languages,
        label_font=fonts[1],
        value_font=fonts[2],
        label_mm=1.45,
        value_mm=2.55,
        label_join=label_join,
        label_upper=label_upper,
        numbered=False,
        date_style=date_style,
        sex_pair=sex_pair,
        nationality_name=nationality_name,
        upper_values=upper_values,
        slots=slots,
        portrait=Picture(Rect(3.0, 11.5, 25.0, 32.0), f),
        ghost=Picture(Rect(65.5, 33.0, 15.5, 19.5), f) if ghost else None,
        signature=Picture(Rect(31.0, 43.0, 30.0, 7.5), f),
        seal=seal,
        hologram=Picture(Rect(18.0, 24.0, 30.0, 26.0), f) if hologram else None,
        laminate=True,
        portrait_colour=portrait_colour,
        portrait_shape=shape,
        mrz_side=b,
        number_colour=number_colour,
        states=states,
    )


def _td2(
    name: str,
    *,
    kind: DocKind,
    codes: tuple[str, ...],
    scheme: ColourScheme,
    languages: tuple[str, str],
    title: tuple[str, str],
    fonts: tuple[str, str, str],
    date_style: DateStyle,
    front: BackgroundRecipe,
    back: BackgroundRecipe,
    seal: bool,
    hologram: bool,
    portrait_colour: bool,
    shape: PortraitShape,
    number_colour: Rgb | None,
    sex_pair: bool = False,
    nationality_name: bool = False,
    label_upper: bool = False,
    label_join: str = " / ",
    states: tuple[str, ...] = ("UTO",),
) -> TemplateSpec:
    """A TD2 card or permit: VIZ and the two-line MRZ on the front, issue data on the back."""
    f, b = Side.FRONT, Side.BACK
    front_rows: tuple[tuple[str, ...], ...] = (
        ("document_code", "issuing_state", "document_number"),
        ("surname",),
        ("given_names",),
        ("nationality", "birth_date", "sex"),
        ("expiry_date", "personal_number"),
    )
    slots = _rows(36.0, 101.0, 12.0, 6.4, front_rows, f, _NARROW)
    back_rows: tuple[tuple[str, ...], ...] = (
        ("birth_place",),
        ("issue_date",),
        ("authority",),
    )
    slots += _rows(5.0, 68.0, 16.0, 7.5, back_rows, b)
    return TemplateSpec(
        name=name,
        kind=kind,
        mrz_format=MrzFormat.TD2,
        document_codes=codes,
        size_mm=ICAO_SIZE_MM[MrzFormat.TD2],
        scheme=scheme,
        background=front,
        back_background=back,
        title=title,
        title_xy=(16.0, 1.8),
        title_align="left",
        title_font=fonts[0],
        title_mm=3.8,
        languages=languages,
        label_font=fonts[1],
        value_font=fonts[2],
        label_mm=1.6,
        value_mm=2.8,
        label_join=label_join,
        label_upper=label_upper,
        numbered=False,
        date_style=date_style,
        sex_pair=sex_pair,
        nationality_name=nationality_name,
        upper_values=True,
        slots=slots,
        portrait=Picture(Rect(4.0, 13.0, 29.0, 37.0), f),
        ghost=Picture(Rect(78.0, 14.0, 20.0, 25.0), b),
        signature=Picture(Rect(36.0, 47.0, 34.0, 7.0), f),
        seal=seal,
        hologram=Picture(Rect(20.0, 28.0, 36.0, 26.0), f) if hologram else None,
        laminate=True,
        portrait_colour=portrait_colour,
        portrait_shape=shape,
        mrz_side=f,
        number_colour=number_colour,
        states=states,
    )


def _visa(
    name: str,
    *,
    fmt: MrzFormat,
    scheme: ColourScheme,
    languages: tuple[str, str],
    title: tuple[str, str],
    fonts: tuple[str, str, str],
    date_style: DateStyle,
    recipe: BackgroundRecipe,
    portrait_colour: bool,
    states: tuple[str, ...] = ("UTO",),
) -> TemplateSpec:
    """A visa sticker (Part 7): portrait left, visa data then holder data, MRZ at the bottom.

    The sticker's own pre-print imitates the passport visa page it is glued on: a full-page
    guilloche with the page's rosette showing through the lightly printed sticker.
    """
    side = Side.PAGE
    w, h = ICAO_SIZE_MM[fmt]
    mrva = fmt is MrzFormat.MRVA
    portrait = Rect(4.0, 14.0, 30.0, 38.0) if mrva else Rect(4.0, 13.0, 26.0, 33.0)
    x0 = portrait.x + portrait.w + 3.5
    rows: tuple[tuple[str, ...], ...] = (
        ("document_code", "issuing_state", "document_number"),
        ("issue_date", "expiry_date"),
        ("authority",),
        ("surname",),
        ("given_names",),
        ("birth_date", "sex", "nationality"),
        ("personal_number",),
    )
    pitch = 6.3 if mrva else 5.7
    slots = _rows(x0, w - 4.0, 12.0, pitch, rows, side, _NARROW)
    return TemplateSpec(
        name=name,
        kind=DocKind.VISA,
        mrz_format=fmt,
        document_codes=("VC", "VD", "V") if mrva else ("V", "VB"),
        size_mm=(w, h),
        scheme=scheme,
        background=recipe,
        back_background=None,
        title=title,
        title_xy=(w / 2, 1.8),
        title_align="centre",
        title_font=fonts[0],
        title_mm=4.0 if mrva else 3.6,
        languages=languages,
        label_font=fonts[1],
        value_font=fonts[2],
        label_mm=1.6 if mrva else 1.5,
        value_mm=2.9 if mrva else 2.7,
        label_join=" / ",
        label_upper=False,
        numbered=False,
        date_style=date_style,
        sex_pair=False,
        nationality_name=False,
        upper_values=True,
        slots=slots,
        portrait=Picture(portrait, side),
        ghost=None,
        signature=None,
        seal=True,
        hologram=Picture(Rect(w - 30.0, h - 50.0, 26.0, 24.0), side),
        laminate=True,
        portrait_colour=portrait_colour,
        portrait_shape=PortraitShape.RECT,
        mrz_side=side,
        number_colour=(180, 30, 40),
        states=states,
    )


TEMPLATES: tuple[TemplateSpec, ...] = (
    _td3(
        "td3_azure_left",
        scheme=AZURE,
        portrait_right=False,
        layout="list",
        languages=("en", "fr"),
        title=("PASSPORT", "PASSEPORT"),
        fonts=("NimbusSans-Bold.otf", "NimbusSans-Italic.otf", "NimbusSans-Regular.otf"),
        date_style=DateStyle.MONTH_BILINGUAL,
        recipe=_td3_recipe(
            "td3_azure_left", rosettes_mm=((78.0, 38.0, 20.0),), microprint="UTOPIAREPUBLIC"
        ),
        ghost=True,
        seal=False,
        laminate=True,
        hologram=True,
        portrait_colour=True,
        shape=PortraitShape.RECT,
    ),
    _td3(
        "td3_crimson_right",
        scheme=CRIMSON,
        portrait_right=True,
        layout="grid",
        languages=("de", "en"),
        title=("REISEPASS", "PASSPORT"),
        fonts=("LiberationSans-Bold.ttf", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
        date_style=DateStyle.MONTH_BILINGUAL_SHORT,
        recipe=_td3_recipe(
            "td3_crimson_right",
            wave_families=3,
            ropes_mm=(12.0, 58.0),
            rosettes_mm=((104.0, 36.0, 17.0),),
            emblem_mm=(9.0, 6.5, 9.5),
            microprint="REISEPASSUTOPIA",
        ),
        ghost=False,
        seal=False,
        laminate=False,
        hologram=True,
        portrait_colour=False,
        shape=PortraitShape.VIGNETTE,
        states=("UTO", "D", "AUT"),
        number_colour=(170, 30, 40),
    ),
    _td3(
        "td3_jade_compact",
        scheme=JADE,
        portrait_right=False,
        layout="compact",
        languages=("es", "en"),
        title=("PASAPORTE", "PASSPORT"),
        fonts=("DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSans.ttf"),
        date_style=DateStyle.SPACES,
        recipe=_td3_recipe(
            "td3_jade_compact",
            rosettes_mm=((30.0, 40.0, 24.0), (98.0, 40.0, 18.0)),
            ropes_mm=(),
            microprint="PASAPORTEUTOPIA",
            microprint_rows_mm=(12.8, 63.8),
        ),
        ghost=True,
        seal=True,
        laminate=True,
        hologram=False,
        portrait_colour=True,
        shape=PortraitShape.ROUNDED,
        nationality_name=False,
        states=("UTO", "ESP"),
    ),
    _td3(
        "td3_amber_numbered",
        scheme=AMBER,
        portrait_right=False,
        layout="list",
        languages=("it", "en"),
        title=("PASSAPORTO", "PASSPORT"),
        fonts=("URWGothic-Demi.otf", "URWGothic-Book.otf", "URWGothic-Book.otf"),
        date_style=DateStyle.SLASHES,
        recipe=_td3_recipe(
            "td3_amber_numbered",
            wave_pitch_mm=1.0,
            ropes_mm=(12.5, 62.0),
            watermark_mm=(70.0, 38.0, 48.0),
            microprint="REPUBBLICAUTOPIA",
        ),
        ghost=False,
        seal=True,
        laminate=True,
        hologram=True,
        portrait_colour=True,
        shape=PortraitShape.VIGNETTE,
        numbered=True,
        states=("UTO", "ITA"),
    ),
    _td3(
        "td3_violet_poly",
        scheme=VIOLET,
        portrait_right=False,
        layout="grid",
        languages=("nl", "en"),
        title=("PASPOORT", "PASSPORT"),
        fonts=(
            "NimbusSansNarrow-Bold.otf",
            "NimbusSansNarrow-Regular.otf",
            "NimbusSansNarrow-Regular.otf",
        ),
        date_style=DateStyle.MONTH_BILINGUAL,
        recipe=_td3_recipe(
            "td3_violet_poly",
            wave_families=3,
            wave_opacity=0.3,
            rosettes_mm=((85.0, 42.0, 22.0),),
            microprint="KONINKRIJKUTOPIA",
        ),
        ghost=True,
        seal=False,
        laminate=True,
        hologram=True,
        portrait_colour=False,
        shape=PortraitShape.VIGNETTE,
        sex_pair=True,
        label_upper=True,
        states=("UTO", "NLD"),
    ),
    _td3(
        "td3_slate_right",
        scheme=SLATE,
        portrait_right=True,
        layout="list",
        languages=("pt", "en"),
        title=("PASSAPORTE", "PASSPORT"),
        fonts=("FreeSansBold.ttf", "FreeSans.ttf", "FreeSans.ttf"),
        date_style=DateStyle.DOTS,
        recipe=_td3_recipe(
            "td3_slate_right",
            rosettes_mm=((60.0, 36.0, 26.0),),
            emblem_mm=(9.0, 6.5, 9.0),
            microprint="REPUBLICAUTOPIA",
        ),
        ghost=False,
        seal=True,
        laminate=True,
        hologram=False,
        portrait_colour=True,
        shape=PortraitShape.RECT,
        label_join="/",
        states=("UTO", "PRT", "BRA"),
    ),
    _td1(
        "td1_sky_id",
        kind=DocKind.ID_CARD,
        codes=("ID", "I"),
        scheme=SKY,
        languages=("fr", "en"),
        title=("CARTE D'IDENTITÉ", "IDENTITY CARD"),
        fonts=("NimbusSans-Bold.otf", "NimbusSans-Regular.otf", "NimbusSans-Bold.otf"),
        date_style=DateStyle.DOTS,
        front=_card_recipe(
            "td1_sky_id",
            "front",
            rosettes_mm=((62.0, 30.0, 15.0),),
            microprint="UTOPIAIDENTITE",
            emblem_mm=(7.5, 5.2, 7.5),
            header_mm=10.0,
        ),
        back=_card_recipe(
            "td1_sky_id",
            "back",
            wave_families=1,
            rosettes_mm=((70.0, 18.0, 12.0),),
            microprint="UTOPIAIDENTITE",
            watermark_mm=(42.0, 20.0, 26.0),
        ),
        ghost=True,
        seal=False,
        hologram=True,
        portrait_colour=False,
        shape=PortraitShape.VIGNETTE,
        number_colour=(190, 30, 40),
        states=("UTO", "FRA", "BEL"),
    ),
    _td1(
        "td1_rose_id",
        kind=DocKind.ID_CARD,
        codes=("ID",),
        scheme=ROSE,
        languages=("de", "en"),
        title=("PERSONALAUSWEIS", "IDENTITY CARD"),
        fonts=(
            "LiberationSans-Bold.ttf",
            "LiberationSansNarrow-Regular.ttf",
            "LiberationMono-Regular.ttf",
        ),
        date_style=DateStyle.DOTS,
        front=_card_recipe(
            "td1_rose_id",
            "front",
            wave_families=3,
            ropes_mm=(48.0,),
            emblem_mm=(7.5, 5.5, 8.0),
            microprint="UTOPIAAUSWEIS",
        ),
        back=_card_recipe(
            "td1_rose_id", "back", rosettes_mm=((20.0, 16.0, 14.0),), microprint="UTOPIAAUSWEIS"
        ),
        ghost=True,
        seal=False,
        hologram=True,
        portrait_colour=False,
        shape=PortraitShape.RECT,
        number_colour=None,
        states=("UTO", "D", "AUT"),
    ),
    _td1(
        "td1_sand_id",
        kind=DocKind.ID_CARD,
        codes=("ID", "I"),
        scheme=SAND,
        languages=("es", "en"),
        title=("DOCUMENTO NACIONAL DE IDENTIDAD", "IDENTITY CARD"),
        fonts=(
            "DejaVuSansCondensed-Bold.ttf",
            "DejaVuSansCondensed.ttf",
            "DejaVuSansCondensed-Bold.ttf",
        ),
        date_style=DateStyle.SPACES,
        front=_card_recipe(
            "td1_sand_id",
            "front",
            rosettes_mm=((70.0, 40.0, 13.0),),
            emblem_mm=(7.5, 5.2, 7.5),
            watermark_mm=(56.0, 30.0, 30.0),
            header_mm=10.0,
        ),
        back=_card_recipe(
            "td1_sand_id", "back", wave_families=2, ropes_mm=(26.0,), microprint="DNIUTOPIA"
        ),
        ghost=False,
        seal=True,
        hologram=False,
        portrait_colour=True,
        shape=PortraitShape.ROUNDED,
        number_colour=(170, 40, 30),
        upper_values=True,
        states=("UTO", "ESP"),
    ),
    _td1(
        "td1_mint_permit",
        kind=DocKind.RESIDENCE_PERMIT,
        codes=("IR", "AR"),
        scheme=MINT,
        languages=("it", "en"),
        title=("PERMESSO DI SOGGIORNO", "RESIDENCE PERMIT"),
        fonts=("NimbusSans-Bold.otf", "NimbusSans-Regular.otf", "DejaVuSans.ttf"),
        date_style=DateStyle.SLASHES,
        front=_card_recipe(
            "td1_mint_permit",
            "front",
            rosettes_mm=((58.0, 32.0, 14.0),),
            microprint="PERMESSOUTOPIA",
            emblem_mm=(7.5, 5.2, 7.5),
            header_mm=9.5,
        ),
        back=_card_recipe(
            "td1_mint_permit",
            "back",
            wave_families=1,
            watermark_mm=(40.0, 18.0, 24.0),
            microprint="PERMESSOUTOPIA",
        ),
        ghost=True,
        seal=False,
        hologram=True,
        portrait_colour=True,
        shape=PortraitShape.RECT,
        number_colour=None,
        label_upper=True,
        states=("UTO", "ITA"),
    ),
    _td1(
        "td1_steel_permit",
        kind=DocKind.RESIDENCE_PERMIT,
        codes=("IR", "AR"),
        scheme=STEEL,
        languages=("nl", "en"),
        title=("VERBLIJFSDOCUMENT", "RESIDENCE PERMIT"),
        fonts=("URWGothic-Demi.otf", "URWGothic-Book.otf", "URWGothic-Demi.otf"),
        date_style=DateStyle.MONTH_BILINGUAL,
        front=_card_recipe(
            "td1_steel_permit",
            "front",
            wave_families=3,
            rosettes_mm=((72.0, 14.0, 10.0),),
            emblem_mm=(7.5, 5.5, 8.0),
        ),
        back=_card_recipe(
            "td1_steel_permit",
            "back",
            rosettes_mm=((66.0, 16.0, 12.0),),
            microprint="VERBLIJFUTOPIA",
        ),
        ghost=False,
        seal=True,
        hologram=True,
        portrait_colour=False,
        shape=PortraitShape.VIGNETTE,
        number_colour=(40, 40, 120),
        sex_pair=True,
        states=("UTO", "NLD", "BEL"),
    ),
    _td2(
        "td2_olive_id",
        kind=DocKind.ID_CARD,
        codes=("ID", "I"),
        scheme=OLIVE,
        languages=("fr", "en"),
        title=("CARTE NATIONALE D'IDENTITÉ", "IDENTITY CARD"),
        fonts=("FreeSansBold.ttf", "FreeSans.ttf", "FreeSansBold.ttf"),
        date_style=DateStyle.SPACES,
        front=_card_recipe(
            "td2_olive_id",
            "front",
            rosettes_mm=((82.0, 30.0, 18.0),),
            emblem_mm=(8.5, 6.0, 9.0),
            microprint="REPUBLIQUEUTOPIE",
            microprint_rows_mm=(11.0,),
        ),
        back=_card_recipe(
            "td2_olive_id", "back", ropes_mm=(8.0, 60.0), watermark_mm=(40.0, 38.0, 30.0)
        ),
        seal=True,
        hologram=True,
        portrait_colour=False,
        shape=PortraitShape.RECT,
        number_colour=None,
        states=("UTO", "FRA"),
    ),
    _td2(
        "td2_plum_permit",
        kind=DocKind.RESIDENCE_PERMIT,
        codes=("IR", "AR"),
        scheme=PLUM,
        languages=("pt", "en"),
        title=("AUTORIZAÇÃO DE RESIDÊNCIA", "RESIDENCE PERMIT"),
        fonts=("NimbusSans-Bold.otf", "NimbusSansNarrow-Regular.otf", "NimbusSans-Regular.otf"),
        date_style=DateStyle.ISO,
        front=_card_recipe(
            "td2_plum_permit",
            "front",
            wave_families=3,
            rosettes_mm=((88.0, 20.0, 13.0),),
            emblem_mm=(8.5, 6.0, 9.0),
            header_mm=11.0,
            microprint="RESIDENCIAUTOPIA",
        ),
        back=_card_recipe(
            "td2_plum_permit",
            "back",
            rosettes_mm=((30.0, 40.0, 20.0),),
            microprint="RESIDENCIAUTOPIA",
            microprint_rows_mm=(58.0,),
        ),
        seal=False,
        hologram=True,
        portrait_colour=True,
        shape=PortraitShape.VIGNETTE,
        number_colour=(150, 30, 60),
        states=("UTO", "PRT"),
    ),
    _visa(
        "mrva_teal_visa",
        fmt=MrzFormat.MRVA,
        scheme=TEAL,
        languages=("en", "fr"),
        title=("VISA", "VISA"),
        fonts=("NimbusSans-Bold.otf", "NimbusSans-Regular.otf", "LiberationSans-Regular.ttf"),
        date_style=DateStyle.MONTH_BILINGUAL,
        recipe=BackgroundRecipe(
            seed=_seed("mrva_teal_visa"),
            wave_families=2,
            wave_pitch_mm=0.75,
            rosettes_mm=((60.0, 34.0, 24.0),),
            ropes_mm=(11.0,),
            rope_height_mm=3.5,
            microprint="VISAUTOPIA",
            microprint_rows_mm=(58.5,),
            microprint_frame_mm=1.2,
            emblem_seed=_seed("mrva_teal_visa", "emblem"),
            emblem_mm=(9.0, 6.0, 9.5),
            watermark_mm=(92.0, 30.0, 30.0),
        ),
        portrait_colour=True,
    ),
    _visa(
        "mrvb_ochre_visa",
        fmt=MrzFormat.MRVB,
        scheme=OCHRE,
        languages=("de", "en"),
        title=("VISUM", "VISA"),
        fonts=("DejaVuSans-Bold.ttf", "DejaVuSans.ttf", "DejaVuSansMono.ttf"),
        date_style=DateStyle.DOTS,
        recipe=BackgroundRecipe(
            seed=_seed("mrvb_ochre_visa"),
            wave_families=3,
            wave_pitch_mm=0.85,
            rosettes_mm=((70.0, 30.0, 20.0),),
            microprint="VISUMUTOPIA",
            microprint_rows_mm=(10.5, 53.0),
            microprint_frame_mm=1.0,
            emblem_seed=_seed("mrvb_ochre_visa", "emblem"),
            emblem_mm=(8.5, 5.6, 9.0),
            header_mm=10.0,
        ),
        portrait_colour=False,
        states=("UTO", "D", "AUT"),
    ),
)
"""Every design, by name unique; the dataset splits train/holdout by template name."""


def template(name: str) -> TemplateSpec:
    """The design called ``name``.

    Raises:
        KeyError: no such design.
    """
    for spec in TEMPLATES:
        if spec.name == name:
            return spec
    raise KeyError(name)
