"""Does a printed visual-zone field say what the MRZ says? One rule for the reader and the checks.

The visual-zone reader asks it to decide which printed fields to read a second time (a reading
that disagrees with the MRZ may be a misreading); the MRZ-versus-visual-zone checks ask it to
decide what to report. Both must use the same rule, or the reader would confirm fields the
checks then flag.
"""

from __future__ import annotations

import re
from datetime import date

from docfraud.mrz.codes import alnum
from docfraud.mrz.parse import MrzData
from docfraud.mrz.spec import LAYOUTS
from docfraud.text.names import compare_names

COMPARED = (
    "surname",
    "given_names",
    "document_number",
    "personal_number",
    "birth_date",
    "expiry_date",
    "sex",
    "nationality",
)
"""Printed fields the MRZ also holds."""

_OCR_DIGIT_FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2",
                                 "S": "5", "B": "8", "G": "6"})  # fmt: skip


def mrz_value(field: str, data: MrzData) -> str:
    """The MRZ's value of ``field``, fillers removed (ISO format for dates; '' when absent or
    when the MRZ holds no such field)."""
    if field not in COMPARED:
        return ""
    if field in ("birth_date", "expiry_date"):
        found: date | None = getattr(data, field)
        return found.isoformat() if found else ""
    if field == "personal_number":
        return (data.personal_number or data.optional_data).replace("<", "")
    value = str(getattr(data, field) or "")
    return value if field in ("surname", "given_names") else value.replace("<", "")


def name_truncated(data: MrzData) -> bool:
    """The name fills the MRZ name field: it may have been cut, so the MRZ name only has to
    begin the printed one."""
    spec = LAYOUTS[data.format].field("name")
    written = data.lines[spec.line][spec.start : spec.end].rstrip("<")
    return len(written) >= spec.end - spec.start


def fold_digits(text: str) -> str:
    """Upper-case alphanumerics with the letters OCR mistakes for digits folded onto them."""
    return alnum(text).translate(_OCR_DIGIT_FOLD)


def agrees(field: str, text: str, value: str | None, data: MrzData) -> bool | None:
    """Whether the printed ``text`` (normalised ``value``) of ``field`` says what the MRZ says.

    None when the two cannot be compared: a field the MRZ does not hold, an empty MRZ value, a
    printed date that does not parse, a nationality printed as a word rather than a code.
    """
    if field not in COMPARED:
        return None
    expected = mrz_value(field, data)
    if not expected:
        return None
    if field in ("surname", "given_names"):
        length = len(expected) if name_truncated(data) else None
        return compare_names(text, expected, field_length=length).outcome != "different"
    if field in ("birth_date", "expiry_date"):
        if value is None:
            return None
        if field == "birth_date" and value[4:] == expected[4:]:
            # the MRZ writes two digits of the year: a holder born in 1911 reads as 2011
            return int(expected[:4]) - int(value[:4]) in (0, 100)
        return value == expected
    if field in ("document_number", "personal_number"):
        printed = alnum(value or text)
        return printed == alnum(expected) or fold_digits(printed) == fold_digits(expected)
    code = (value or "").upper()
    if field == "nationality" and not re.fullmatch(r"[A-Z]{3}|D", code):
        return None
    if field == "sex" and code not in ("M", "F", "X"):
        return None
    return code == expected
