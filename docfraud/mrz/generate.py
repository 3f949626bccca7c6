"""Build valid MRZ lines from field values (for tests, synthetic specimens and forgeries).

Layouts come from :mod:`docfraud.mrz.spec` (Doc 9303 Parts 4-7); check digits from Part 3, 4.9.
Names are transliterated per Part 3, section 6.A (multinational Latin characters) and 4.6
(punctuation), and truncated per the form-factor parts (Part 4 4.2.3, Part 5 4.2.3, Part 6).
"""

from __future__ import annotations

import unicodedata
from datetime import date

from docfraud.mrz.checksum import compute_check_digit
from docfraud.mrz.spec import LAYOUTS, MRZ_CHARS, MrzFormat, check_spans

_SPECIAL = {
    "Ä": "AE",
    "Ö": "OE",
    "Ü": "UE",
    "Å": "AA",
    "Æ": "AE",
    "Ø": "OE",
    "Œ": "OE",
    "ß": "SS",
    "ẞ": "SS",
    "Þ": "TH",
    "Ð": "D",
    "Đ": "D",
    "Ñ": "N",
    "Ĳ": "IJ",
    "Ł": "L",
    "Ħ": "H",
    "Ŧ": "T",
    "Ŀ": "L",
    "Ŋ": "N",
    "ı": "I",
}
"""Part 3, 6.A characters whose recommended transliteration is not 'drop the accent'.

Where Part 3 offers a choice (Ä: AE or A, Ñ: N or NXX, Ü: UE, UXX or U) the first is used,
except Ñ, which becomes N.
"""

_SEPARATORS = frozenset(" -‐‑‒–—,\t\n")
_APOSTROPHES = frozenset("'’‘ʼ`´")


def transliterate(name: str) -> str:
    """Write a name (or one part of it) in the MRZ alphabet.

    Upper-cases; maps the Part 3 6.A multinational Latin characters (Ä -> AE, Ø -> OE,
    ß -> SS, Þ -> TH, Ñ -> N ...); drops other diacritics; spaces, hyphens and commas become one
    ``<``; apostrophes and other punctuation, digits and unmapped scripts are dropped (Part 3,
    4.6). Leading and trailing fillers are removed.

    Args:
        name: the name as printed in the visual zone.

    Returns:
        MRZ characters only (A-Z and ``<``).

    >>> transliterate("Anna-Maria O’Connor")
    'ANNA<MARIA<OCONNOR'
    >>> transliterate("Þórunn Ævarsdóttir Müller-Lüdenscheidt Ørsted Straße Peña")
    'THORUNN<AEVARSDOTTIR<MUELLER<LUEDENSCHEIDT<OERSTED<STRASSE<PENA'
    """
    out: list[str] = []
    for ch in name:
        if ch in _SEPARATORS:
            out.append("<")
            continue
        if ch in _APOSTROPHES:
            continue
        upper = ch if ch == "ß" else ch.upper()
        for u in upper:
            mapped = _SPECIAL.get(u)
            if mapped is None:
                base = unicodedata.normalize("NFKD", u)
                mapped = "".join(c for c in base if "A" <= c <= "Z")
            out.append(mapped)
    text = "".join(out)
    while "<<" in text:
        text = text.replace("<<", "<")
    return text.strip("<")


def _cut(text: str, k: int) -> str:
    """``text`` (longer than ``k``) cut to ``k`` characters ending in a letter."""
    head = text[:k]
    if not head.endswith("<"):
        return head
    if k >= 3 and text[k - 3] != "<":
        return text[: k - 2] + "<" + text[k]
    return text[: k - 1] + text[k]


def name_field(surname: str, given_names: str, length: int) -> str:
    """The MRZ name field: primary ``<<`` secondary, filled or truncated to ``length``.

    When too long, the secondary identifier is cut first; if the primary alone leaves no room
    for ``<<`` and one initial, the primary is cut to make that room. A truncated field ends in
    a letter (Part 4 4.2.3, Part 5 4.2.3).

    >>> name_field("Nilavadhanananda", "Arnpol Petch Charonguang", 39)
    'NILAVADHANANANDA<<ARNPOL<PETCH<CHARONGU'
    >>> name_field("Eriksson", "Anna Maria", 31)
    'ERIKSSON<<ANNA<MARIA<<<<<<<<<<<'
    """
    primary = transliterate(surname)
    secondary = transliterate(given_names)
    full = primary + ("<<" + secondary if secondary else "")
    if len(full) <= length:
        return full.ljust(length, "<")
    if not secondary:
        return _cut(primary, length)
    if len(primary) + 3 <= length:
        return primary + "<<" + _cut(secondary, length - len(primary) - 2)
    return _cut(primary, length - 3) + "<<" + secondary[0]


def _code(text: str, length: int, what: str) -> str:
    value = text.upper().replace(" ", "<")
    if len(value) > length or any(c not in MRZ_CHARS for c in value):
        raise ValueError(f"{what}: {text!r} does not fit {length} MRZ characters")
    return value.ljust(length, "<")


def _free(text: str) -> str:
    """Document/personal numbers and optional data: specials and spaces become ``<``."""
    return "".join(c if c in MRZ_CHARS else "<" for c in text.upper())


_SEX = {"M": "M", "F": "F", "X": "<", "<": "<", "": "<"}


def generate_mrz(
    fmt: MrzFormat,
    *,
    document_code: str,
    issuing_state: str,
    surname: str,
    given_names: str,
    document_number: str,
    nationality: str,
    birth_date: date,
    sex: str,
    expiry_date: date,
    optional_data: str = "",
    optional_data_2: str = "",
    personal_number: str = "",
) -> tuple[str, ...]:
    """Build the MRZ lines of ``fmt`` with every check digit and the composite computed.

    A document number longer than nine characters uses the TD1/TD2 long form (Part 5 and 6,
    note j). Sex ``X`` (unspecified) is written ``<`` in the MRZ (Part 4 note p). An empty TD3
    personal number gets check digit ``0``.

    Args:
        fmt: the format.
        document_code: one or two letters (``P``, ``ID``, ``V`` ...).
        issuing_state: three-letter code (``D`` is padded to ``D<<``).
        surname: primary identifier, as printed (transliterated here).
        given_names: secondary identifier, as printed.
        document_number: the number; specials and spaces become ``<``.
        nationality: three-letter code.
        birth_date: date of birth.
        sex: ``M``, ``F``, ``X`` or ``<``.
        expiry_date: date of expiry (visas: valid until).
        optional_data: TD1 upper-line, TD2 and visa optional data.
        optional_data_2: TD1 middle-line optional data.
        personal_number: TD3 personal number.

    Returns:
        The MRZ lines.

    Raises:
        ValueError: a value does not fit the format.

    >>> generate_mrz(MrzFormat.TD3, document_code="P", issuing_state="UTO", surname="Eriksson",
    ...     given_names="Anna María", document_number="L898902C3", nationality="UTO",
    ...     birth_date=date(1974, 8, 12), sex="F", expiry_date=date(2012, 4, 15),
    ...     personal_number="ZE184226B")[1]
    'L898902C36UTO7408122F1204159ZE184226B<<<<<10'
    """
    layout = LAYOUTS[fmt]
    is_visa = fmt in (MrzFormat.MRVA, MrzFormat.MRVB)
    code = _code(document_code, 2, "document_code")
    if (code[0] == "V") != is_visa:
        raise ValueError(f"document_code {document_code!r} does not suit {fmt}")
    if not "A" <= code[0] <= "Z":
        raise ValueError(f"document_code {document_code!r} must start with a letter")
    if sex.upper() not in _SEX:
        raise ValueError(f"sex must be M, F, X or <, not {sex!r}")
    if personal_number and not layout.has_field("personal_number"):
        raise ValueError(f"{fmt} has no personal number field")
    if optional_data and not layout.has_field("optional_data"):
        raise ValueError(f"{fmt} has no optional data field; use personal_number")
    if optional_data_2 and not layout.has_field("optional_data_2"):
        raise ValueError(f"{fmt} has no second optional data field")

    values: dict[str, str] = {
        "document_code": code,
        "issuing_state": _code(issuing_state, 3, "issuing_state"),
        "nationality": _code(nationality, 3, "nationality"),
        "birth_date": f"{birth_date:%y%m%d}",
        "expiry_date": f"{expiry_date:%y%m%d}",
        "sex": _SEX[sex.upper()],
        "optional_data": _free(optional_data),
        "optional_data_2": _free(optional_data_2),
        "personal_number": _free(personal_number),
    }
    name_spec = layout.field("name")
    values["name"] = name_field(surname, given_names, name_spec.length)

    number = _free(document_number)
    number_spec = layout.field("document_number")
    long_check: str | None = None
    if len(number) > number_spec.length:
        if layout.long_number_field is None:
            raise ValueError(f"{fmt} holds at most {number_spec.length} document-number chars")
        extension = number[number_spec.length :]
        if "<" in extension:
            raise ValueError("a long document number may not hold specials after char 9")
        long_check = compute_check_digit(number)
        values[layout.long_number_field] = extension + long_check + "<" + values["optional_data"]
        number = number[: number_spec.length]
    values["document_number"] = number

    rows = [["<"] * layout.line_length for _ in range(layout.line_count)]
    for spec in layout.fields:
        value = values[spec.name]
        if len(value) > spec.length:
            raise ValueError(f"{spec.name}: {value!r} is longer than {spec.length}")
        rows[spec.line][spec.start : spec.end] = list(value.ljust(spec.length, "<"))
        if spec.check_digit is not None:
            data = value.ljust(spec.length, "<")
            rows[spec.line][spec.check_digit] = compute_check_digit(data)
    if long_check is not None and number_spec.check_digit is not None:
        rows[number_spec.line][number_spec.check_digit] = "<"

    lines = ["".join(row) for row in rows]
    if layout.composite is not None:
        comp = next(s for s in check_spans(lines, fmt) if s.name == "composite")
        data = "".join(lines[ln][p] for ln, p in comp.cells)
        rows[comp.line][comp.position] = compute_check_digit(data)
        lines = ["".join(row) for row in rows]
    return tuple(lines)
