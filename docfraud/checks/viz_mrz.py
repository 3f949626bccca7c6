"""MRZ against visual zone: every field both hold must say the same thing.

A forger who retypes the printed birth date, or rewrites the MRZ without touching the printed
page, leaves the two zones disagreeing. Names are compared after ICAO transliteration with a
matcher that forgives OCR noise (``BRAN0T`` for ``BRANDT``) but not a changed name; dates as
calendar dates, whatever format and language the page prints them in. A field the visual zone
reader could not find is a skip with its reason, never a silent pass.

A disagreement on a field read with confidence is critical; on a field read poorly it is a
warning that says the printed text may have been misread.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date

from docfraud.analysis import Analysis
from docfraud.checks.registry import CannotRun, check
from docfraud.mrz.codes import alnum
from docfraud.mrz.parse import MrzData
from docfraud.mrz.spec import LAYOUTS
from docfraud.text.names import compare_names
from docfraud.types import FieldReading, Finding, Region, Severity

SURE = 0.60
"""A printed field read with at least this confidence supports a critical finding."""

LABELS = {
    "surname": "surname",
    "given_names": "given names",
    "document_number": "document number",
    "birth_date": "date of birth",
    "expiry_date": "date of expiry",
    "sex": "sex",
    "nationality": "nationality",
    "personal_number": "personal number",
}
_OCR_DIGIT_FOLD = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "Z": "2",
                                 "S": "5", "B": "8", "G": "6"})  # fmt: skip


def _pair(a: Analysis, name: str) -> tuple[MrzData, FieldReading]:
    """The parsed MRZ and the printed field, or :class:`CannotRun` saying which is missing."""
    if a.mrz is None or a.mrz.data is None:
        raise CannotRun("no MRZ was read")
    if a.viz is None:
        raise CannotRun("the visual zone was not read")
    printed = a.viz.get(name)
    if printed is None or not printed.text.strip():
        raise CannotRun(f"the printed {LABELS[name]} was not found in the visual zone")
    return a.mrz.data, printed


def _mrz_region(a: Analysis, field: str) -> tuple[Region, ...]:
    """The MRZ cells of ``field`` (the whole zone when the layout has no such field)."""
    reading = a.mrz
    if reading is None or reading.format is None:
        return ()
    w, h = a.image_size or (0, 0)
    layout = LAYOUTS[reading.format]
    key = "name" if field in ("surname", "given_names") else field
    if layout.has_field(key):
        spec = layout.field(key)
        return (Region(a.page, reading.cells_box(spec.line, spec.start, spec.end, w, h)),)
    return (Region(a.page, reading.zone_box(w, h)),)


def _mismatch(
    a: Analysis,
    field: str,
    printed: FieldReading,
    mrz_value: str,
    printed_value: str,
    why: str = "",
) -> Finding:
    """The finding for one disagreeing field; ``why`` (a clause) makes it a warning."""
    sure = printed.confidence >= SURE and not why
    label = LABELS[field]
    message = (
        f"{label[0].upper()}{label[1:]} in the MRZ ({mrz_value}) differs from the printed "
        f"{label} ({printed_value})"
    )
    if why:
        message += f"; {why}, so compare by eye"
    elif not sure:
        message += "; the printed text was read with low confidence, so compare by eye"
    return Finding(
        f"VIZ_MRZ.{field.upper()}",
        Severity.CRITICAL if sure else Severity.WARNING,
        message + ".",
        field=field,
        region=printed.region,
        evidence=(
            ("mrz", mrz_value),
            ("printed", printed.text),
            ("printed_confidence", f"{printed.confidence:.2f}"),
        ),
        related=_mrz_region(a, field),
    )


def _name_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        mrz_value = data.surname if field == "surname" else data.given_names
        name_field = LAYOUTS[data.format].field("name")
        full = len(data.lines[name_field.line][name_field.start : name_field.end].rstrip("<"))
        truncated = full >= name_field.end - name_field.start
        length = len(mrz_value) if truncated else None
        if compare_names(printed.text, mrz_value, field_length=length).outcome != "different":
            return
        words = printed.text.split()
        within = any(
            compare_names(" ".join(words[i:j]), mrz_value, field_length=length).outcome
            != "different"
            for i in range(len(words))
            for j in range(i + 1, len(words) + 1)
            if (i, j) != (0, len(words))
        )
        why = "the printed line holds the MRZ name and other text, often a neighbouring field"
        yield _mismatch(a, field, printed, mrz_value, printed.text, why if within else "")

    return run


def _date_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        mrz_date: date | None = getattr(data, field)
        if mrz_date is None:
            raise CannotRun(f"the MRZ {LABELS[field]} is not a date")
        if printed.value is None:
            raise CannotRun(f"the printed {LABELS[field]} ({printed.text!r}) is not a date")
        if printed.value != mrz_date.isoformat():
            yield _mismatch(a, field, printed, mrz_date.isoformat(), printed.value)

    return run


def _fold(text: str) -> str:
    """Upper-case alphanumerics with the letters OCR mistakes for digits folded onto them."""
    return alnum(text).translate(_OCR_DIGIT_FOLD)


def _number_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        mrz_value = getattr(data, field).replace("<", "")
        if not mrz_value:
            raise CannotRun(f"the MRZ has no {LABELS[field]}")
        printed_value = alnum(printed.value or printed.text)
        if printed_value == alnum(mrz_value):
            return
        if _fold(printed_value) == _fold(mrz_value):
            return  # differs only where OCR confuses letters and digits
        yield _mismatch(a, field, printed, mrz_value, printed_value)

    return run


def _code_check(field: str) -> Callable[[Analysis], Iterator[Finding]]:
    def run(a: Analysis) -> Iterator[Finding]:
        data, printed = _pair(a, field)
        mrz_value = (getattr(data, field) or "").replace("<", "")
        value = (printed.value or "").upper()
        if field == "nationality" and not re.fullmatch(r"[A-Z]{3}|D", value):
            raise CannotRun(f"the printed nationality ({printed.text!r}) is a word, not a code")
        if field == "sex" and value not in ("M", "F", "X"):
            raise CannotRun(f"the printed sex ({printed.text!r}) is not M, F or X")
        if value != mrz_value:
            yield _mismatch(a, field, printed, mrz_value, value)

    return run


for _field in ("surname", "given_names"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_name_check(_field))
for _field in ("birth_date", "expiry_date"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_date_check(_field))
for _field in ("document_number", "personal_number"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_number_check(_field))
for _field in ("sex", "nationality"):
    check(f"viz_mrz.{_field}", needs=("mrz", "viz"))(_code_check(_field))
